/**
 * Casts of values from the type a data file was written with to the table's current type
 * (schema evolution: ALTER TABLE … MODIFY COLUMN), with Java's results bit for bit.
 *
 * Supported (Java `CastExecutors` rules, time-zone-free ones): numeric ↔ numeric (Java primitive
 * conversions: wrapping narrowing, saturating float → integer, round-to-nearest widening),
 * DECIMAL rescale (HALF_UP; a value that no longer fits the precision becomes NULL, like Java's
 * `Decimal.fromBigDecimal`), numeric/BOOLEAN → DECIMAL, DECIMAL → numeric (truncating),
 * BOOLEAN ↔ integer, numeric/BOOLEAN/string → CHAR/VARCHAR (Java text, then cut or space-padded
 * to the target length), DATE/TIME/TIMESTAMP → string, binary ↔ binary/string, TIMESTAMP →
 * TIMESTAMP of the same kind (precision truncation), DATE/TIME → TIMESTAMP, TIMESTAMP →
 * DATE/TIME/INT/BIGINT, INT/BIGINT → TIMESTAMP, and nested ROW (by field id), ARRAY and MAP
 * (values only; keys must keep their type), as `SchemaEvolutionUtil` builds them.
 * Not supported (LakeError("unsupported") naming both types): anything that needs the JVM's
 * default time zone (TIMESTAMP ↔ TIMESTAMP_LTZ, casts from or to TIMESTAMP_LTZ other than
 * precision changes), parsing strings into other types, nested types to strings.
 *
 * Mirrors `org.apache.paimon.schema.SchemaEvolutionUtil#createCastExecutor` and the rules in
 * `org.apache.paimon.casting`:
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/casting/CastExecutors.java
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts,
 * spec/java_number_text.ts, spec/java_datetime_text.ts, numeric_cast.ts.
 */
import { LakeError } from "../../errors.ts";
import { utf8Encode } from "../../util/bytes.ts";
import { describeType, type AtomicType, type DataField, type DataType } from "../../spec/data_types.ts";
import { decimalToString, MILLIS_PER_DAY, type Timestamp, type Value } from "../../spec/values.ts";
import { javaDoubleToString, javaFloatToString } from "../../spec/java_number_text.ts";
import { formatDateText, formatTimeText, formatTimestampText } from "../../spec/java_datetime_text.ts";
import { compileNumericCast, decimalFromNumeric, isApproximate, isIntegral, truncateTimestamp } from "./numeric_cast.ts";

/** Casts one non-null value; may return null (a DECIMAL that no longer fits). */
export type ValueCast = (value: Value) => Value;

const LENIENT_UTF8 = new TextDecoder("utf-8");

/**
 * True when `a` and `b` are the same type, ignoring the top-level nullability only (Java
 * `equalsIgnoreNullable`); nested field names, ids and nullability must match.
 */
export function sameTypeIgnoringNullable(a: DataType, b: DataType): boolean {
  return typeKey(a, true) === typeKey(b, true);
}

function typeKey(t: DataType, ignoreNullable: boolean): string {
  const nn = ignoreNullable || t.nullable ? "" : "!";
  switch (t.root) {
    case "ARRAY": case "MULTISET": return `${t.root}<${typeKey(t.element, false)}>${nn}`;
    case "VECTOR": return `VECTOR<${typeKey(t.element, false)},${t.length}>${nn}`;
    case "MAP": return `MAP<${typeKey(t.key, false)},${typeKey(t.value, false)}>${nn}`;
    case "ROW": return `ROW<${t.fields.map((f) => `${f.id}:${JSON.stringify(f.name)}:${typeKey(f.type, false)}`).join(",")}>${nn}`;
    default: return `${t.root}(${t.length ?? ""},${t.precision ?? ""},${t.scale ?? ""})${nn}`;
  }
}

function isCharString(t: DataType): boolean {
  return t.root === "CHAR" || t.root === "VARCHAR";
}

function isBinaryString(t: DataType): boolean {
  return t.root === "BINARY" || t.root === "VARBINARY";
}

function isNumeric(t: DataType): boolean {
  return isIntegral(t) || isApproximate(t) || t.root === "DECIMAL";
}

/** Java `BinaryStringUtils.toCharacterString`: cut to the length in code points, pad CHAR. */
function toCharacterString(text: string, target: AtomicType): string {
  const length = target.length!;
  // Fast path: fewer UTF-16 units than the target means fewer code points too.
  if (text.length <= length && target.root !== "CHAR") return text;
  const points = [...text];
  if (points.length > length) return points.slice(0, length).join("");
  if (points.length < length && target.root === "CHAR") return text + " ".repeat(length - points.length);
  return text;
}

/** Java `BinaryStringUtils.toBinaryString`: BINARY(n) cut or zero-padded, VARBINARY(n) cut. */
function toBinaryString(bytes: Uint8Array, target: AtomicType): Uint8Array {
  const length = target.length!;
  if (bytes.length === length) return bytes;
  if (target.root === "BINARY") {
    const out = new Uint8Array(length);
    out.set(bytes.subarray(0, length));
    return out;
  }
  return bytes.length <= length ? bytes : bytes.slice(0, length);
}

function numericToText(from: DataType): (v: Value) => string {
  switch (from.root) {
    case "DECIMAL": { const scale = from.scale!; return (v) => decimalToString(v as bigint, scale); }
    case "FLOAT": return (v) => javaFloatToString(v as number);
    case "DOUBLE": return (v) => javaDoubleToString(v as number);
    default: return (v) => String(v);
  }
}

function toStringCast(from: AtomicType, to: AtomicType, fail: () => never): ValueCast {
  if (isNumeric(from)) {
    const text = numericToText(from);
    return (v) => toCharacterString(text(v), to);
  }
  if (from.root === "BOOLEAN") return (v) => toCharacterString(v ? "true" : "false", to);
  if (isCharString(from)) return (v) => toCharacterString(v as string, to);
  // The rules below do not fit the text to the target length (Java does not either).
  if (isBinaryString(from)) return (v) => LENIENT_UTF8.decode(v as Uint8Array);
  if (from.root === "DATE") return (v) => formatDateText(v as number);
  if (from.root === "TIME") { const p = from.precision!; return (v) => formatTimeText(v as number, p); }
  if (from.root === "TIMESTAMP") { const p = from.precision!; return (v) => formatTimestampText(v as Timestamp, p); }
  return fail();
}

function toTimestampCast(from: AtomicType, to: AtomicType, fail: () => never): ValueCast {
  if (from.root === "TIMESTAMP" || from.root === "TIMESTAMP_LTZ") {
    if (from.root !== to.root) return fail(); // needs the JVM default time zone
    const p = to.precision!;
    return from.precision! <= p ? (v) => v : (v) => truncateTimestamp(v as Timestamp, p);
  }
  if (to.root === "TIMESTAMP_LTZ") return fail();
  switch (from.root) {
    case "DATE": return (v) => ({ epochMillis: (v as number) * MILLIS_PER_DAY, nanoOfMillisecond: 0 });
    case "TIME": return (v) => ({ epochMillis: v as number, nanoOfMillisecond: 0 });
    case "INT": return (v) => ({ epochMillis: (v as number) * 1000, nanoOfMillisecond: 0 });
    case "BIGINT": return (v) => {
      const millis = Number(BigInt.asIntN(64, (v as bigint) * 1000n));
      if (!Number.isSafeInteger(millis)) throw new LakeError("unsupported", `data file: BIGINT ${v} seconds is out of the TIMESTAMP range`);
      return { epochMillis: millis, nanoOfMillisecond: 0 };
    };
    default: return fail();
  }
}

function fromTimestampCast(from: AtomicType, to: AtomicType, fail: () => never): ValueCast {
  if (from.root !== "TIMESTAMP") return fail(); // TIMESTAMP_LTZ needs the JVM default time zone
  switch (to.root) {
    case "DATE": return (v) => Math.floor((v as Timestamp).epochMillis / MILLIS_PER_DAY);
    case "TIME": return (v) => { const ms = (v as Timestamp).epochMillis % MILLIS_PER_DAY; return ms < 0 ? ms + MILLIS_PER_DAY : ms; };
    case "BIGINT": return (v) => BigInt(Math.trunc((v as Timestamp).epochMillis / 1000));
    case "INT": return (v) => Number(BigInt.asIntN(32, BigInt(Math.trunc((v as Timestamp).epochMillis / 1000))));
    default: return fail();
  }
}

function rowCast(from: readonly DataField[], to: readonly DataField[], where: string): ValueCast | null {
  const plan = to.map((t) => {
    const index = from.findIndex((f) => f.id === t.id);
    return { index, cast: index < 0 ? null : compileValueCast(from[index]!.type, t.type, `${where}.${t.name}`) };
  });
  if (plan.length === from.length && plan.every((p, i) => p.index === i && p.cast === null)) return null;
  return (v) => {
    const row = v as readonly Value[];
    return plan.map((p) => {
      if (p.index < 0) return null;
      const x = row[p.index] ?? null;
      return x === null || p.cast === null ? x : p.cast(x);
    });
  };
}

function elementsCast(cast: ValueCast): ValueCast {
  return (v) => (v as readonly Value[]).map((x) => (x === null ? null : cast(x)));
}

/**
 * Compiles the cast of non-null values of `from` to `to`, or returns null when values need no
 * change. Throws LakeError("unsupported") naming `where` and both types when Paimon has no such
 * cast or we do not support it yet (see the file header).
 */
export function compileValueCast(from: DataType, to: DataType, where: string): ValueCast | null {
  if (sameTypeIgnoringNullable(from, to)) return null;
  const fail = (): never => {
    throw new LakeError("unsupported", `data file: cannot cast ${where} from ${describeType(from)} to ${describeType(to)}`);
  };
  if (from.root === "ROW" && to.root === "ROW") return rowCast(from.fields, to.fields, where);
  if (from.root === "ARRAY" && to.root === "ARRAY") {
    const cast = compileValueCast(from.element, to.element, `${where}[]`);
    return cast === null ? null : elementsCast(cast);
  }
  if (from.root === "MAP" && to.root === "MAP") {
    if (typeKey(from.key, false) !== typeKey(to.key, false)) return fail();
    const cast = compileValueCast(from.value, to.value, `${where}{}`);
    if (cast === null) return null;
    return (v) => (v as readonly (readonly [Value, Value])[]).map(([k, x]) => [k, x === null ? null : cast(x)] as const);
  }
  if (isNested(from) || isNested(to)) return fail();
  return atomicCast(from as AtomicType, to as AtomicType, fail);
}

function isNested(t: DataType): boolean {
  return t.root === "ROW" || t.root === "ARRAY" || t.root === "MAP" || t.root === "MULTISET" || t.root === "VECTOR";
}

function atomicCast(from: AtomicType, to: AtomicType, fail: () => never): ValueCast {
  if (isCharString(to)) return toStringCast(from, to, fail);
  if (to.root === "DECIMAL" || isIntegral(to) || isApproximate(to)) {
    if (isNumeric(from)) return compileNumericCast(from, to);
    if (from.root === "BOOLEAN") {
      return to.root === "DECIMAL" ? (v) => decimalFromNumeric(v ? 1n : 0n, to) : compileNumericCast({ root: "INT", nullable: true }, to, (v) => (v ? 1 : 0));
    }
    if (from.root === "TIMESTAMP" || from.root === "TIMESTAMP_LTZ") return fromTimestampCast(from, to, fail);
    return fail();
  }
  if (to.root === "BOOLEAN") {
    if (isIntegral(from)) return (v) => (typeof v === "bigint" ? v !== 0n : v !== 0);
    return fail();
  }
  if (isBinaryString(to)) {
    if (isBinaryString(from)) return (v) => toBinaryString(v as Uint8Array, to);
    if (isCharString(from)) return (v) => toBinaryString(utf8Encode(v as string), to);
    return fail();
  }
  if (to.root === "TIMESTAMP" || to.root === "TIMESTAMP_LTZ") return toTimestampCast(from, to, fail);
  if (to.root === "DATE" || to.root === "TIME") {
    if (from.root === "TIMESTAMP" || from.root === "TIMESTAMP_LTZ") return fromTimestampCast(from, to, fail);
    return fail();
  }
  return fail();
}
