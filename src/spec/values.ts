/**
 * The in-memory representation of Paimon values, used by every layer that holds row data.
 *
 * One JS shape per Paimon type (the type itself lives beside the value, never inside it):
 *
 * | Paimon type                      | JS value                                                  |
 * |----------------------------------|-----------------------------------------------------------|
 * | any type, SQL NULL               | `null`                                                    |
 * | BOOLEAN                          | `boolean`                                                 |
 * | TINYINT, SMALLINT, INT           | `number` (integer within the type's range)                |
 * | BIGINT                           | `bigint` (int64 range)                                    |
 * | FLOAT, DOUBLE                    | `number` (FLOAT values are float32-representable)         |
 * | DATE                             | `number`: days since 1970-01-01 (int32)                   |
 * | TIME(p)                          | `number`: milliseconds of the day, 0..86_399_999          |
 * | TIMESTAMP(p), TIMESTAMP_LTZ(p)   | `Timestamp` `{epochMillis, nanoOfMillisecond}` (below)    |
 * | DECIMAL(p, s)                    | `bigint`: the unscaled value (value = unscaled · 10^-s)   |
 * | CHAR, VARCHAR                    | `string`                                                  |
 * | BINARY, VARBINARY, BLOB          | `Uint8Array` (BLOB: the bytes Java stores in the row)     |
 * | VARIANT                          | `Variant` `{value, metadata}` (raw variant encoding)      |
 * | ARRAY<T>, VECTOR<T, n>           | `Value[]` of elements                                     |
 * | MAP<K, V>                        | `[key, value][]`: entries in order, duplicates kept       |
 * | MULTISET<T>                      | `[element, count][]`: as Java stores it, MAP<T, INT>      |
 * | ROW<...>                         | `Value[]` of field values in field order                  |
 *
 * Choices: a TIMESTAMP is an object of two numbers rather than one bigint so that the common
 * millisecond path needs no bigint arithmetic; `epochMillis` is a safe integer (±285,000 years),
 * `nanoOfMillisecond` is 0..999_999 and is 0 for precision ≤ 3. MAP is a list of pairs, not a
 * JS `Map`, because keys may be bytes, bigints or timestamps (no value identity) and Java's
 * binary map keeps entry order. TIMESTAMP_LTZ holds UTC epoch time like Java.
 *
 * Mirrors Paimon's internal data structures (`InternalRow` accessors, `Timestamp`, `Decimal`).
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/data/Timestamp.java
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/data/Decimal.java
 *
 * Imports: errors.ts only.
 */
import { LakeError } from "../errors.ts";

/** A TIMESTAMP or TIMESTAMP_LTZ value: milliseconds since the epoch plus nanoseconds within it. */
export interface Timestamp {
  /** Milliseconds since 1970-01-01T00:00:00 (negative before); a safe integer. */
  readonly epochMillis: number;
  /** Nanoseconds within the millisecond, 0..999_999. */
  readonly nanoOfMillisecond: number;
}

/** A VARIANT value in Paimon's (Spark-compatible) binary variant encoding. */
export interface Variant {
  /** The encoded value bytes. */
  readonly value: Uint8Array;
  /** The encoded metadata (dictionary) bytes. */
  readonly metadata: Uint8Array;
}

/** Any Paimon value; see the table in the header for which shape goes with which type. */
export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Timestamp
  | Variant
  | readonly Value[];

/** One MAP (or MULTISET) entry: `[key, value]` (`[element, count]`). */
export type MapEntry = readonly [Value, Value];

/** A row: one value per field, in field order. */
export type Row = readonly Value[];

/** Nanoseconds in a millisecond. */
export const NANOS_PER_MILLI = 1_000_000;
/** Milliseconds in a day (TIME values are below this). */
export const MILLIS_PER_DAY = 86_400_000;

const NANOS_PER_MILLI_BIG = 1_000_000n;

/**
 * Builds a Timestamp. Requires: `epochMillis` a safe integer, `nanoOfMillisecond` an integer in
 * 0..999_999; otherwise LakeError("invalid_argument").
 */
export function timestamp(epochMillis: number, nanoOfMillisecond = 0): Timestamp {
  if (!Number.isSafeInteger(epochMillis)) {
    throw new LakeError("invalid_argument", `timestamp: epochMillis ${epochMillis} is not a safe integer`);
  }
  if (!Number.isInteger(nanoOfMillisecond) || nanoOfMillisecond < 0 || nanoOfMillisecond > 999_999) {
    throw new LakeError("invalid_argument", `timestamp: nanoOfMillisecond ${nanoOfMillisecond} must be an integer in 0..999999`);
  }
  return { epochMillis, nanoOfMillisecond };
}

/** Timestamp from nanoseconds since the epoch (floor division, so nanos stay non-negative). */
export function timestampFromEpochNanos(epochNanos: bigint): Timestamp {
  let millis = epochNanos / NANOS_PER_MILLI_BIG;
  let nanos = epochNanos % NANOS_PER_MILLI_BIG;
  if (nanos < 0n) {
    nanos += NANOS_PER_MILLI_BIG;
    millis -= 1n;
  }
  return timestamp(Number(millis), Number(nanos));
}

/** Nanoseconds since the epoch of `ts`. */
export function timestampToEpochNanos(ts: Timestamp): bigint {
  return BigInt(ts.epochMillis) * NANOS_PER_MILLI_BIG + BigInt(ts.nanoOfMillisecond);
}

/** Timestamp from microseconds since the epoch (floor division). */
export function timestampFromEpochMicros(epochMicros: bigint): Timestamp {
  return timestampFromEpochNanos(epochMicros * 1000n);
}

/** True when `value` has the Timestamp shape. */
export function isTimestamp(value: unknown): value is Timestamp {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) &&
    typeof (value as Timestamp).epochMillis === "number" && typeof (value as Timestamp).nanoOfMillisecond === "number";
}

/** True when `value` has the Variant shape. */
export function isVariant(value: unknown): value is Variant {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    (value as Variant).value instanceof Uint8Array && (value as Variant).metadata instanceof Uint8Array;
}

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** True when the unscaled value has at most `precision` digits (Java `BigDecimal.precision()`). */
export function decimalFitsPrecision(unscaled: bigint, precision: number): boolean {
  const abs = unscaled < 0n ? -unscaled : unscaled;
  return abs < pow10(precision);
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses decimal text (`"-12.345"`, `"1e3"`) into the unscaled bigint for DECIMAL(precision,
 * scale), rounding HALF_UP to `scale` digits as Java's `Decimal.fromBigDecimal` does.
 * Throws LakeError("invalid_argument") for bad text or a value with more than `precision` digits
 * (where Java would return null).
 */
export function decimalFromString(text: string, precision: number, scale: number): bigint {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
    throw new LakeError("invalid_argument", `decimal: cannot parse ${JSON.stringify(text)}`);
  }
  const negative = m[1] === "-";
  const digits = (m[2] ?? "") + (m[3] ?? "");
  // value = digits · 10^(exponent - fractionDigits); we want round(value · 10^scale).
  const shift = scale + Number(m[4] ?? "0") - (m[3] ?? "").length;
  let unscaled = BigInt(digits === "" ? "0" : digits);
  if (shift >= 0) {
    unscaled *= pow10(shift);
  } else {
    const divisor = pow10(-shift);
    const quotient = unscaled / divisor;
    const remainder = unscaled % divisor;
    unscaled = remainder * 2n >= divisor ? quotient + 1n : quotient; // HALF_UP on the magnitude
  }
  if (negative) unscaled = -unscaled;
  if (!decimalFitsPrecision(unscaled, precision)) {
    throw new LakeError("invalid_argument", `decimal: ${text} does not fit DECIMAL(${precision}, ${scale})`);
  }
  return unscaled;
}

/** Plain decimal text of `unscaled · 10^-scale` (Java `BigDecimal.toPlainString`). */
export function decimalToString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(scale + 1, "0");
  const point = padded.length - scale;
  return `${negative ? "-" : ""}${padded.slice(0, point)}.${padded.slice(point)}`;
}
