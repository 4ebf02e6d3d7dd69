/**
 * Partition values ⇄ the value strings of partition directory names (`k=v/…`), exactly as Java
 * Paimon writes and reads them.
 *
 * Writing (`InternalRowPartitionComputer#generatePartValues`): with `partition.legacy-name=true`
 * (the default) the string is Java `toString()` of the internal value; with `false` it is the
 * cast to STRING. A null value, or a blank string, becomes `partition.default-name` (done by
 * `partitionPath` in paths.ts). Per type:
 *
 * | type                 | legacy (`toString`)                      | non-legacy (cast to STRING)          |
 * |----------------------|------------------------------------------|--------------------------------------|
 * | BOOLEAN              | `true` / `false`                         | same                                 |
 * | TINYINT … BIGINT     | decimal integer                          | same                                 |
 * | FLOAT, DOUBLE        | Java `Float/Double.toString` (JDK 19+)   | same                                 |
 * | DECIMAL(p, s)        | `BigDecimal#toPlainString` (`1.50`)      | same                                 |
 * | CHAR, VARCHAR        | the string                               | same                                 |
 * | DATE                 | epoch-day integer (`18628`)              | `2021-01-01`                         |
 * | TIME(p)              | millis-of-day integer (`3600000`)        | `01:00:00[.f]`                       |
 * | TIMESTAMP(p)         | `LocalDateTime#toString` (`2021-01-01T12:00`) | `2021-01-01 12:00:00[.f]`       |
 * | TIMESTAMP_LTZ(p)     | as TIMESTAMP, of the UTC instant         | as TIMESTAMP in the JVM zone: UTC here |
 * | BINARY, VARBINARY    | unsupported: Java prints `[B@<hash>`     | bytes decoded as UTF-8 (U+FFFD for bad bytes) |
 * | VARIANT, BLOB, ARRAY, MAP, MULTISET, ROW, VECTOR | unsupported (Paimon refuses them as partition keys) |
 *
 * Reading (`InternalRowPartitionComputer#convertSpecToInternal` → `TypeUtils.castFromString`):
 * the default name is null; otherwise Java's cast from STRING, which is the same in both modes and
 * also reads the legacy forms (an all-digit DATE is epoch days, TIME millis of day). Deviations,
 * each an error here where Java would go on: legacy BINARY/VARBINARY (Java would return the bytes
 * of `[B@…`); DECIMAL values that overflow the precision (Java: null); out-of-range TIME.
 * TIMESTAMP_LTZ text is read as UTC wall time (Java: the JVM time zone).
 * parse(format(v)) == v for every value except: null and blank strings (→ default name → null);
 * non-legacy DATE/TIMESTAMP outside years 0000/0001..9999 and legacy TIMESTAMP before year 1
 * (Java cannot read its own text either); BINARY bytes that are not UTF-8.
 * FLOAT/DOUBLE text follows JDK 19+; older JDKs wrote longer digits for some values (see
 * java_number_text.ts).
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/InternalRowPartitionComputer.java
 * and https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/TypeUtils.java
 *
 * Imports: errors.ts, util/bytes.ts, spec/{data_types,values,paths,java_number_text,java_datetime_text,
 * java_timestamp_parse}.ts.
 */
import { LakeError } from "../errors.ts";
import { utf8Encode } from "../util/bytes.ts";
import { describeType, TYPE_LENGTH_MAX, type AtomicType, type DataField, type DataType } from "./data_types.ts";
import {
  formatDateText, formatTimestampText, formatTimeText, localDateTimeText, parseDateText, parseTimeText,
} from "./java_datetime_text.ts";
import { parseTimestampPattern, parseTimestampText } from "./java_timestamp_parse.ts";
import { javaDoubleToString, javaFloatToString, parseJavaDouble, parseJavaFloat, parseJavaInteger } from "./java_number_text.ts";
import { partitionPath } from "./paths.ts";
import { decimalFromString, decimalToString, isTimestamp, type Value } from "./values.ts";

const NOUN = "partition value";

/** Options for writing partition value strings. */
export interface PartitionFormatOptions {
  /** `partition.legacy-name` (Java default true). */
  readonly legacyName: boolean;
}

/** Options for reading partition value strings. */
export interface PartitionParseOptions extends PartitionFormatOptions {
  /** `partition.default-name` (Java default `__DEFAULT_PARTITION__`): read as null. */
  readonly defaultName: string;
}

const INTEGER_BOUNDS = {
  TINYINT: [-128n, 127n],
  SMALLINT: [-32768n, 32767n],
  INT: [-2147483648n, 2147483647n],
  BIGINT: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

function atomicOf(type: DataType): AtomicType {
  switch (type.root) {
    case "ARRAY": case "MULTISET": case "MAP": case "ROW": case "VECTOR": case "VARIANT": case "BLOB":
      throw new LakeError("unsupported", `${NOUN}: type ${describeType(type)} cannot be a partition key`);
    default:
      return type;
  }
}

function legacyBinary(type: AtomicType): never {
  throw new LakeError("unsupported",
    `${NOUN}: ${describeType(type)} partition keys need partition.legacy-name=false (legacy names are Java's byte[] identity, not the bytes)`);
}

function badValue(type: AtomicType, value: Value, expected: string): never {
  const shown = typeof value === "bigint" ? `${value}n` : value instanceof Uint8Array ? "bytes" : JSON.stringify(value);
  throw new LakeError("invalid_argument", `${NOUN}: ${shown} is not a ${describeType(type)} value (expected ${expected})`);
}

function intValue(type: AtomicType, value: Value, lo: number, hi: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) badValue(type, value, `an integer in ${lo}..${hi}`);
  return value;
}

const UTF8_DECODER = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Java `new String(bytes, UTF_8)` (Paimon's `BinaryString#toString` falls back to it on bad
 * input): malformed sequences become U+FFFD as in the WHATWG decoder, except that Java reads an
 * encoded surrogate `ED A0..BF [80..BF]` as one malformed sequence (one U+FFFD, not two or three).
 */
export function javaUtf8Decode(bytes: Uint8Array): string {
  let out = "", from = 0;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0xed || bytes[i + 1]! < 0xa0 || bytes[i + 1]! > 0xbf) continue;
    const end = i + 2 < bytes.length && bytes[i + 2]! >= 0x80 && bytes[i + 2]! <= 0xbf ? i + 3 : i + 2;
    out += UTF8_DECODER.decode(bytes.subarray(from, i)) + "\uFFFD";
    from = end;
    i = end - 1;
  }
  return out + UTF8_DECODER.decode(bytes.subarray(from));
}

/** Java `String#getBytes(UTF_8)`: unpaired surrogates become '?'. */
function javaUtf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return utf8Encode(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "?"));
}

/**
 * The partition directory value string Java writes for `value` of `type` (before escaping and
 * before a blank result becomes the default name); null for a null value.
 * Throws LakeError("invalid_argument") when `value` does not fit `type` (see values.ts), and
 * LakeError("unsupported") for types Java cannot use or name (legacy BINARY/VARBINARY, complex types).
 */
export function formatPartitionValue(type: DataType, value: Value, options: PartitionFormatOptions): string | null {
  const t = atomicOf(type);
  if (value === null) return null;
  const legacy = options.legacyName;
  switch (t.root) {
    case "BOOLEAN":
      if (typeof value !== "boolean") badValue(t, value, "a boolean");
      return String(value);
    case "TINYINT": case "SMALLINT": case "INT": {
      const [lo, hi] = INTEGER_BOUNDS[t.root];
      return String(intValue(t, value, Number(lo), Number(hi)));
    }
    case "BIGINT":
      if (typeof value !== "bigint" || value < INTEGER_BOUNDS.BIGINT[0] || value > INTEGER_BOUNDS.BIGINT[1]) badValue(t, value, "an int64 bigint");
      return value.toString();
    case "FLOAT":
      if (typeof value !== "number" || (Math.fround(value) !== value && !Number.isNaN(value))) badValue(t, value, "a float32 number");
      return javaFloatToString(value);
    case "DOUBLE":
      if (typeof value !== "number") badValue(t, value, "a number");
      return javaDoubleToString(value);
    case "DECIMAL":
      if (typeof value !== "bigint") badValue(t, value, "the unscaled bigint");
      return decimalToString(value, t.scale!);
    case "CHAR": case "VARCHAR":
      if (typeof value !== "string") badValue(t, value, "a string");
      return value;
    case "DATE": {
      const days = intValue(t, value, -2147483648, 2147483647);
      return legacy ? String(days) : formatDateText(days);
    }
    case "TIME": {
      const millis = intValue(t, value, -2147483648, 2147483647);
      return legacy ? String(millis) : formatTimeText(millis, t.precision!);
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ":
      if (!isTimestamp(value)) badValue(t, value, "a Timestamp");
      return legacy ? localDateTimeText(value) : formatTimestampText(value, t.precision!);
    case "BINARY": case "VARBINARY":
      if (!(value instanceof Uint8Array)) badValue(t, value, "a Uint8Array");
      if (legacy) legacyBinary(t);
      return javaUtf8Decode(value);
    default:
      throw new LakeError("unsupported", `${NOUN}: type ${describeType(t)} cannot be a partition key`);
  }
}

const TRUE_TEXTS = ["t", "true", "y", "yes", "1"];
const FALSE_TEXTS = ["f", "false", "n", "no", "0"];
/** Java `new BigDecimal(String)` grammar (ASCII digits). */
const BIG_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string, precision: number, scale: number): bigint | null {
  const m = BIG_DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const exponent = Number(m[4] ?? "0");
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 2147483647) return null;
  const digits = ((m[2] ?? "") + (m[3] ?? "")).replace(/^0+/, "");
  if (digits === "") return 0n;
  const exp10 = exponent - (m[3] ?? "").length; // value = digits · 10^exp10
  if (digits.length + exp10 > precision - scale) return null; // overflows before rounding can help
  if (digits.length + exp10 < -scale - 1) return 0n; // rounds to zero (HALF_UP needs >= 0.5 ulp)
  try {
    return decimalFromString(`${m[1]}${digits}e${exp10}`, precision, scale);
  } catch {
    return null; // rounding carried into a new digit: more than `precision` digits
  }
}

function parseFloatValue(text: string): number | null {
  const d = parseJavaDouble(text);
  if (d === null) return null;
  if (Math.fround(d) === d) return d;
  const f = parseJavaFloat(text)!;
  return javaFloatToString(f) === javaDoubleToString(d) ? f : null; // Java: "cannot be cast to float due to precision loss"
}

function parseAtomic(t: AtomicType, text: string, legacy: boolean): Value | undefined {
  switch (t.root) {
    case "CHAR": case "VARCHAR":
      return t.length === TYPE_LENGTH_MAX || [...text].length <= t.length! ? text : undefined;
    case "BOOLEAN": {
      const lower = text.toLowerCase();
      return TRUE_TEXTS.includes(lower) ? true : FALSE_TEXTS.includes(lower) ? false : undefined;
    }
    case "TINYINT": case "SMALLINT": case "INT": {
      const [lo, hi] = INTEGER_BOUNDS[t.root];
      const v = parseJavaInteger(text, lo, hi);
      return v === null ? undefined : Number(v);
    }
    case "BIGINT":
      return parseJavaInteger(text, INTEGER_BOUNDS.BIGINT[0], INTEGER_BOUNDS.BIGINT[1]) ?? undefined;
    case "FLOAT":
      return parseFloatValue(text) ?? undefined;
    case "DOUBLE":
      return parseJavaDouble(text) ?? undefined;
    case "DECIMAL":
      return parseDecimal(text, t.precision!, t.scale!) ?? undefined;
    case "DATE":
      return parseDateText(text) ?? undefined;
    case "TIME":
      return parseTimeText(text) ?? undefined;
    case "TIMESTAMP":
      return parseTimestampText(text, t.precision!) ?? undefined;
    case "TIMESTAMP_LTZ":
      return parseTimestampPattern(text, t.precision!) ?? undefined;
    case "BINARY": case "VARBINARY": {
      if (legacy) legacyBinary(t);
      const bytes = javaUtf8Encode(text);
      return t.root === "BINARY" || bytes.length <= t.length! ? bytes : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Reads a partition directory value string (already unescaped) as a value of `type`:
 * `options.defaultName` → null, else Java's `TypeUtils.castFromString`.
 * Throws LakeError("invalid_argument") naming the text and the type when it does not parse (or
 * exceeds the type's length/precision), LakeError("unsupported") as `formatPartitionValue`.
 */
export function parsePartitionValue(type: DataType, text: string, options: PartitionParseOptions): Value {
  const t = atomicOf(type);
  if (text === options.defaultName) return null;
  const value = parseAtomic(t, text, options.legacyName);
  if (value === undefined) {
    throw new LakeError("invalid_argument", `${NOUN}: cannot read ${JSON.stringify(text)} as ${describeType(t)}`);
  }
  return value;
}

/**
 * The relative partition directory `k1=v1/k2=v2` (no slashes around; "" when unpartitioned) for
 * one partition row: names escaped, values formatted as Java does, null/blank as `defaultName`.
 * Requires: `values.length === partitionFields.length` (else LakeError("invalid_argument")).
 */
export function partitionPathOf(partitionFields: readonly DataField[], values: readonly Value[], options: PartitionParseOptions): string {
  if (partitionFields.length !== values.length) {
    throw new LakeError("invalid_argument", `${NOUN}: ${partitionFields.length} partition fields but ${values.length} values`);
  }
  return partitionPath(
    partitionFields.map((f) => f.name),
    partitionFields.map((f, i) => formatPartitionValue(f.type, values[i]!, options)),
    options.defaultName,
  );
}
