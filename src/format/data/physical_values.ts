/**
 * Physical-to-logical value helpers shared by the Parquet and Avro data-file readers: decimals
 * from two's-complement bytes, INT96 and INT64 timestamps, and the precision rules Java applies
 * when it materialises a TIMESTAMP(p) column.
 *
 * Rules (checked against Java):
 *  - DECIMAL bytes are the unscaled value, big-endian two's complement (Parquet BINARY/FIXED and
 *    Avro bytes/fixed alike); the scale is the declared one, never rescaled here.
 *  - INT96 = 8 bytes little-endian signed nanoseconds of the day, then 4 bytes little-endian
 *    Julian day. The nanoseconds may be negative (Java writes them so for instants before 1970):
 *    the instant is (julianDay - 2440588) days + nanosOfDay, floored to milliseconds.
 *  - A Parquet TIMESTAMP(p) column is read as Java's vectors hold it: p <= 3 keeps epoch
 *    milliseconds (floor), p <= 6 epoch microseconds (floor), p > 6 the full value.
 *
 * Mirrors `ParquetVectorUpdaterFactory` (TimestampUpdater.int96ToTimestamp, LongTimestampUpdater)
 * and `org.apache.paimon.data.Timestamp` (fromMicros, toMicros):
 * https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/parquet/reader/ParquetVectorUpdaterFactory.java
 *
 * Imports: errors.ts, spec/values.ts.
 */
import { LakeError } from "../../errors.ts";
import { type Timestamp, timestampFromEpochNanos } from "../../spec/values.ts";

/** Julian day number of 1970-01-01 (persisted in every INT96 value). */
export const JULIAN_DAY_OF_EPOCH = 2_440_588;
const NANOS_PER_DAY = 86_400_000_000_000n;
const MICROS_PER_MILLI = 1000n;
const NANOS_PER_MILLI = 1_000_000n;

/** A time unit of a stored INT64 timestamp. */
export type TimestampUnit = "MILLIS" | "MICROS" | "NANOS";

/** Unscaled DECIMAL value of big-endian two's-complement `bytes` (empty = 0). */
export function decimalFromBigEndian(bytes: Uint8Array): bigint {
  const n = bytes.length;
  if (n === 0) return 0n;
  if (n <= 6) {
    // Fast path: fits a double exactly.
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + bytes[i]!;
    if (bytes[0]! >= 0x80) v -= 2 ** (8 * n);
    return BigInt(v);
  }
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return bytes[0]! >= 0x80 ? v - (1n << BigInt(8 * n)) : v;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/** Timestamp of `millis` epoch milliseconds (nanoOfMillisecond 0). */
export function timestampFromMillisBig(millis: bigint): Timestamp {
  return timestampFromEpochNanos(millis * NANOS_PER_MILLI);
}

/** Timestamp of an INT96 value (12 bytes at `bytes[0..12)`). Throws corruption for other lengths. */
export function timestampFromInt96(bytes: Uint8Array): Timestamp {
  if (bytes.length !== 12) {
    throw new LakeError("corruption", `parquet: INT96 timestamp must be 12 bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
  const nanosOfDay = view.getBigInt64(0, true);
  const julianDay = view.getInt32(8, true);
  return timestampFromEpochNanos(BigInt(julianDay - JULIAN_DAY_OF_EPOCH) * NANOS_PER_DAY + nanosOfDay);
}

/** Full-precision Timestamp of an INT64 stored in `unit` (Java `timestampFromInt64`). */
export function timestampFromInt64(value: bigint, unit: TimestampUnit): Timestamp {
  switch (unit) {
    case "MILLIS": return timestampFromMillisBig(value);
    case "MICROS": return timestampFromEpochNanos(value * 1000n);
    case "NANOS": return timestampFromEpochNanos(value);
  }
}

/**
 * `ts` as Java's Parquet vectors keep a TIMESTAMP(precision): floored to milliseconds for
 * precision <= 3, to microseconds for precision <= 6, unchanged above.
 */
export function timestampAtVectorPrecision(ts: Timestamp, precision: number): Timestamp {
  if (precision > 6 || ts.nanoOfMillisecond === 0) return ts;
  if (precision <= 3) return { epochMillis: ts.epochMillis, nanoOfMillisecond: 0 };
  const micros = ts.nanoOfMillisecond - (ts.nanoOfMillisecond % 1000);
  return micros === ts.nanoOfMillisecond ? ts : { epochMillis: ts.epochMillis, nanoOfMillisecond: micros };
}

/**
 * The TIMESTAMP(precision) value Java reads from an INT64 Parquet column stored in `unit`:
 * p <= 3 → floor to millis, p <= 6 → floor to micros, else full (see file header).
 */
export function timestampFromParquetInt64(value: bigint, unit: TimestampUnit, precision: number): Timestamp {
  if (precision <= 3) {
    const millis = unit === "MILLIS" ? value : floorDiv(value, unit === "MICROS" ? MICROS_PER_MILLI : NANOS_PER_MILLI);
    return timestampFromMillisBig(millis);
  }
  if (precision <= 6) {
    const micros = unit === "MICROS" ? value : unit === "MILLIS" ? value * MICROS_PER_MILLI : floorDiv(value, 1000n);
    return timestampFromEpochNanos(micros * 1000n);
  }
  return timestampFromInt64(value, unit);
}

/**
 * Unit Java assumes for an INT64 timestamp column: the annotation's unit when there is one,
 * else by declared precision (<= 3 millis, <= 6 micros, otherwise millis: the 0.5-era files
 * hold plain epoch milliseconds).
 */
export function defaultTimestampUnit(annotated: TimestampUnit | undefined, precision: number): TimestampUnit {
  if (annotated !== undefined) return annotated;
  return precision > 3 && precision <= 6 ? "MICROS" : "MILLIS";
}
