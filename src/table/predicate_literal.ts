/**
 * Literals of the filter model: converting user values (value-model values, plain JS numbers,
 * strings, bigints, Dates, exact numeric text from the `--where` parser) to the value model of a
 * column's type, and comparing two values of one type exactly as Java's `compareTo` does.
 *
 * Comparison (Java `CompareUtils.compareLiteral`): BOOLEAN false < true; integers, DATE, TIME,
 * BIGINT and DECIMAL (same scale) numerically; FLOAT/DOUBLE as `Double.compare` (−0.0 < 0.0,
 * NaN above everything and equal to itself); TIMESTAMP by millis then nanos; CHAR/VARCHAR by
 * their UTF-8 bytes, unsigned (`BinaryString.compareTo`), i.e. by code point, not UTF-16 unit;
 * BINARY/VARBINARY by unsigned bytes. Other types (nested, VARIANT, BLOB) cannot be filtered on:
 * LakeError("unsupported").
 *
 * Conversion is stricter than Java's `PredicateBuilder.convertJavaObject`, which silently
 * truncates (`intValue`) or rounds (`Decimal.fromBigDecimal`): a literal that does not denote a
 * value of the column type exactly is LakeError("invalid_argument") naming column, value and
 * type. FLOAT literals are rounded to float32 as Java's `floatValue()` does. Timestamp text
 * without an offset is wall-clock time taken as UTC (the value model's convention); an offset
 * (`Z`, `+02:00`) is accepted for TIMESTAMP_LTZ only.
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts.
 * Mirrors: org.apache.paimon.predicate.CompareUtils, PredicateBuilder#convertJavaObject
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/predicate/PredicateBuilder.java
 */
import { LakeError } from "../errors.ts";
import { compareBytes } from "../util/bytes.ts";
import { type DataType, describeType } from "../spec/data_types.ts";
import { decimalFitsPrecision, isTimestamp, MILLIS_PER_DAY, pow10, type Timestamp, timestamp, type Value } from "../spec/values.ts";

/** An exact numeric literal as written in text (what the `--where` parser produces for numbers). */
export interface NumericText {
  readonly numericText: string;
}

/** What callers may pass as a literal; converted by the column's type when the predicate is bound. */
export type LiteralInput = Value | Date | NumericText | undefined;

/** True for a NumericText literal. */
export function isNumericText(value: unknown): value is NumericText {
  return typeof value === "object" && value !== null && typeof (value as NumericText).numericText === "string";
}

const INT_RANGES: Record<string, readonly [number, number]> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-2147483648, 2147483647],
  DATE: [-2147483648, 2147483647],
};
const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;
const NUMBER_TEXT = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-])?\.(\d+)(?:[eE]([+-]?\d+))?$/;

/** Renders a literal for messages. */
export function describeLiteral(input: unknown): string {
  if (input === undefined) return "undefined";
  if (isNumericText(input)) return input.numericText;
  if (typeof input === "bigint") return `${input}n`;
  if (input instanceof Date) return `Date(${Number.isNaN(input.getTime()) ? "invalid" : input.toISOString()})`;
  if (input instanceof Uint8Array) return `bytes[${input.length}]`;
  if (isTimestamp(input)) return `Timestamp(${input.epochMillis}, ${input.nanoOfMillisecond})`;
  if (typeof input === "string") return `'${input.replace(/'/g, "''")}'`;
  try {
    return JSON.stringify(input) ?? String(input);
  } catch {
    return String(input);
  }
}

/** Unscaled value of exact decimal text at `scale`, or null when it needs more digits than `scale`. */
function exactUnscaled(text: string, scale: number): bigint | null {
  const m = NUMBER_TEXT.exec(text.trim());
  if (!m) return null;
  const sign = m[1] ?? m[5];
  const intDigits = m[2] ?? "";
  const fracDigits = m[2] !== undefined ? (m[3] ?? "") : (m[6] ?? "");
  const exponent = Number(m[4] ?? m[7] ?? "0");
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10000) return null;
  const digits = (intDigits + fracDigits).replace(/^0+(?=\d)/, "");
  const shift = scale + exponent - fracDigits.length;
  let unscaled: bigint;
  if (shift >= 0) {
    unscaled = BigInt(digits === "" ? "0" : digits) * pow10(shift);
  } else {
    const divisor = pow10(-shift);
    const whole = BigInt(digits === "" ? "0" : digits);
    if (whole % divisor !== 0n) return null;
    unscaled = whole / divisor;
  }
  return sign === "-" ? -unscaled : unscaled;
}

function textOfNumber(input: number | bigint | NumericText): string | null {
  if (typeof input === "bigint") return input.toString();
  if (typeof input === "number") return Number.isFinite(input) ? String(input) : null;
  return input.numericText;
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:\d{2})?$/;

function daysOf(text: string): number | null {
  const m = DATE_TEXT.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return ms / MILLIS_PER_DAY;
}

/** Nanoseconds of the day for `HH:MM[:SS[.f]]`, or null. */
function nanosOfDay(text: string): bigint | null {
  const m = TIME_TEXT.exec(text);
  if (!m) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? "0")];
  if (h > 23 || mi > 59 || s > 59) return null;
  const fraction = BigInt((m[4] ?? "").padEnd(9, "0"));
  return BigInt((h * 3600 + mi * 60 + s)) * 1_000_000_000n + fraction;
}

function timestampOf(text: string, withOffset: boolean): Timestamp | null {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return null;
  const days = daysOf(m[1]!);
  const nanos = m[2] === undefined ? 0n : nanosOfDay(m[2]);
  if (days === null || nanos === null) return null;
  let offsetMinutes = 0;
  if (m[3] !== undefined) {
    if (!withOffset) return null;
    if (m[3] !== "Z") {
      const oh = Number(m[3].slice(1, 3)), om = Number(m[3].slice(4, 6));
      if (oh > 18 || om > 59) return null;
      offsetMinutes = (m[3][0] === "-" ? -1 : 1) * (oh * 60 + om);
    }
  }
  const epochNanos = BigInt(days) * 86_400_000_000_000n + nanos - BigInt(offsetMinutes) * 60_000_000_000n;
  const millis = epochNanos / 1_000_000n - (epochNanos % 1_000_000n < 0n ? 1n : 0n);
  return { epochMillis: Number(millis), nanoOfMillisecond: Number(epochNanos - millis * 1_000_000n) };
}

/**
 * Converts `input` to the value-model value of `type` for a literal on `column`.
 * `undefined` and `null` give null. Throws LakeError("invalid_argument") naming column, value
 * and expected type when the input does not denote a value of the type exactly, and
 * LakeError("unsupported") for types that cannot be filtered on.
 */
export function literalForColumn(column: string, type: DataType, input: LiteralInput): Value {
  if (input === null || input === undefined) return null;
  const fail = (why: string): never => {
    throw new LakeError("invalid_argument",
      `predicate: literal ${describeLiteral(input)} for column ${JSON.stringify(column)} is not a ${describeType(type)}: ${why}`);
  };
  const numeric = typeof input === "number" || typeof input === "bigint" || isNumericText(input) ? input : null;
  switch (type.root) {
    case "BOOLEAN":
      return typeof input === "boolean" ? input : fail("expected true or false");
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": {
      if (type.root === "DATE") {
        if (input instanceof Date) {
          const ms = input.getTime();
          if (!Number.isFinite(ms) || ms % MILLIS_PER_DAY !== 0) fail("a Date must be exactly midnight UTC");
          return ms / MILLIS_PER_DAY;
        }
        if (typeof input === "string") return daysOf(input) ?? fail("expected 'YYYY-MM-DD'");
      }
      const [lo, hi] = INT_RANGES[type.root]!;
      const text = numeric === null ? null : textOfNumber(numeric);
      const value = text === null ? null : exactUnscaled(text, 0);
      if (value === null) return fail(type.root === "DATE" ? "expected days since 1970-01-01, 'YYYY-MM-DD' or a Date" : "expected an integer");
      if (value < BigInt(lo) || value > BigInt(hi)) fail(`out of range ${lo}..${hi}`);
      return Number(value);
    }
    case "BIGINT": {
      const text = numeric === null ? null : textOfNumber(numeric);
      const value = text === null ? null : exactUnscaled(text, 0);
      if (value === null) return fail("expected an integer");
      if (typeof input === "number" && !Number.isSafeInteger(input)) fail("a number beyond 2^53 is not exact; pass a bigint");
      if (value < LONG_MIN || value > LONG_MAX) fail("out of the int64 range");
      return value;
    }
    case "FLOAT": case "DOUBLE": {
      let n: number;
      if (typeof input === "number") n = input;
      else if (typeof input === "bigint") n = Number(input);
      else if (isNumericText(input) && NUMBER_TEXT.test(input.numericText.trim())) n = Number(input.numericText);
      else return fail("expected a number");
      return type.root === "FLOAT" ? Math.fround(n) : n;
    }
    case "DECIMAL": {
      const text = numeric === null ? null : textOfNumber(numeric);
      if (text === null) return fail("expected a finite number, bigint or numeric text");
      const unscaled = exactUnscaled(text, type.scale!);
      if (unscaled === null) return fail(`needs more than ${type.scale} fraction digits`);
      if (!decimalFitsPrecision(unscaled, type.precision!)) fail(`more than ${type.precision} digits`);
      return unscaled;
    }
    case "TIME": {
      if (typeof input === "string") {
        const nanos = nanosOfDay(input);
        if (nanos === null) return fail("expected 'HH:MM:SS[.fff]'");
        if (nanos % 1_000_000n !== 0n) fail("TIME values hold whole milliseconds");
        return Number(nanos / 1_000_000n);
      }
      if (typeof input === "number" && Number.isInteger(input) && input >= 0 && input < MILLIS_PER_DAY) return input;
      return fail("expected milliseconds of the day or 'HH:MM:SS[.fff]'");
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      if (isTimestamp(input)) {
        const { epochMillis: ms, nanoOfMillisecond: nanos } = input;
        if (!Number.isSafeInteger(ms) || !Number.isInteger(nanos) || nanos < 0 || nanos > 999_999) fail("invalid Timestamp fields");
        return timestamp(ms, nanos);
      }
      if (input instanceof Date) {
        if (!Number.isFinite(input.getTime())) fail("invalid Date");
        return timestamp(input.getTime());
      }
      if (typeof input === "number" && Number.isSafeInteger(input)) return timestamp(input);
      if (typeof input === "string") {
        return timestampOf(input.trim(), type.root === "TIMESTAMP_LTZ") ??
          fail(`expected 'YYYY-MM-DD HH:MM:SS[.fffffffff]'${type.root === "TIMESTAMP_LTZ" ? " with an optional Z or ±HH:MM" : " without an offset"}`);
      }
      return fail("expected a Timestamp, Date, epoch milliseconds or timestamp text");
    }
    case "CHAR": case "VARCHAR":
      return typeof input === "string" ? input : fail("expected a string");
    case "BINARY": case "VARBINARY":
      return input instanceof Uint8Array ? input : fail("expected a Uint8Array");
    default:
      throw new LakeError("unsupported", `predicate: column ${JSON.stringify(column)} of type ${describeType(type)} cannot be filtered on`);
  }
}

/** True when predicates may reference a column of this type. */
export function isFilterableType(type: DataType): boolean {
  switch (type.root) {
    case "ARRAY": case "MULTISET": case "MAP": case "ROW": case "VECTOR": case "VARIANT": case "BLOB": return false;
    default: return true;
  }
}

/** Java `Double.compare`: −0.0 < 0.0; NaN is above every number and equal to itself. */
function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) {
    if (a !== 0) return 0;
    const aNegative = Object.is(a, -0), bNegative = Object.is(b, -0);
    return aNegative === bNegative ? 0 : aNegative ? -1 : 1;
  }
  const aNaN = Number.isNaN(a), bNaN = Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** A UTF-16 code unit mapped so that unit order equals code point (and so UTF-8 byte) order. */
function codePointOrderUnit(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000; // surrogates stand for code points above U+FFFF
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * Compares two strings by their UTF-8 bytes (Java `BinaryString.compareTo`) without encoding
 * them: UTF-8 byte order is code point order. Lone surrogates are compared as units.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) return codePointOrderUnit(x) - codePointOrderUnit(y);
  }
  return a.length - b.length;
}

/**
 * Java's `compareTo` between two non-null values of `type` (see the header): negative, zero or
 * positive. Requires: both values are of the type (as `literalForColumn` and row decoding give).
 */
export function compareValues(type: DataType, a: Value, b: Value): number {
  switch (type.root) {
    case "BOOLEAN": return (a ? 1 : 0) - (b ? 1 : 0);
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME":
      return (a as number) - (b as number);
    case "BIGINT": case "DECIMAL": {
      const x = a as bigint, y = b as bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "FLOAT": case "DOUBLE": return compareDoubles(a as number, b as number);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const x = a as Timestamp, y = b as Timestamp;
      return x.epochMillis !== y.epochMillis ? x.epochMillis - y.epochMillis : x.nanoOfMillisecond - y.nanoOfMillisecond;
    }
    case "CHAR": case "VARCHAR": return compareUtf8(a as string, b as string);
    case "BINARY": case "VARBINARY": return compareBytes(a as Uint8Array, b as Uint8Array);
    default:
      throw new LakeError("unsupported", `predicate: values of type ${describeType(type)} cannot be compared`);
  }
}
