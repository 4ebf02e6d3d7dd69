/**
 * Numeric casts with Java's exact results (TINYINT … DOUBLE, DECIMAL) and TIMESTAMP precision
 * truncation, used by value_cast.ts for schema evolution.
 *
 * Java rules reproduced:
 *  - integer → narrower integer wraps (two's complement), → FLOAT/DOUBLE rounds to nearest
 *    (one rounding, also for BIGINT → FLOAT);
 *  - FLOAT/DOUBLE → integer: NaN → 0, saturating at the int (or long) bounds, truncating; TINYINT
 *    and SMALLINT go through int first (`Number.byteValue()`);
 *  - DECIMAL → integer truncates toward zero then wraps; DECIMAL → DOUBLE is `unscaled / 10^s`
 *    in double arithmetic for precision <= 18 and correctly rounded above (`DecimalUtils`);
 *  - → DECIMAL(p, s): `BigDecimal.valueOf(long | double)` rescaled HALF_UP; values needing more
 *    than p digits become NULL (`Decimal.fromBigDecimal`). A double goes through
 *    `Double.toString`, so 0.1f becomes 0.10000000149011612.
 *  - TIMESTAMP truncation follows `DateTimeUtils.truncate` (millisecond truncation toward zero).
 *
 * Mirrors `org.apache.paimon.casting.NumericPrimitiveCastRule`, `DecimalToDecimalCastRule`,
 * `NumericPrimitiveToDecimalCastRule`, `DecimalToNumericPrimitiveCastRule`, `DecimalUtils`:
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/DecimalUtils.java
 *
 * Imports: errors.ts, spec/data_types.ts, spec/values.ts, spec/java_number_text.ts.
 */
import { LakeError } from "../../errors.ts";
import type { AtomicType, DataType } from "../../spec/data_types.ts";
import { decimalFitsPrecision, decimalToString, pow10, type Timestamp, type Value } from "../../spec/values.ts";
import { javaDoubleToString } from "../../spec/java_number_text.ts";

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const TWO_POW_63 = 9223372036854775808;

/** True for TINYINT, SMALLINT, INT, BIGINT. */
export function isIntegral(t: DataType): boolean {
  return t.root === "TINYINT" || t.root === "SMALLINT" || t.root === "INT" || t.root === "BIGINT";
}

/** True for FLOAT, DOUBLE. */
export function isApproximate(t: DataType): boolean {
  return t.root === "FLOAT" || t.root === "DOUBLE";
}

/** Java `(float) longValue`: round to nearest even, in one step. */
export function bigintToFloat32(x: bigint): number {
  const negative = x < 0n;
  const abs = negative ? -x : x;
  if (abs <= 1n << 53n) return Math.fround(Number(x));
  const bits = abs.toString(2).length;
  const shift = BigInt(bits - 24);
  let mantissa = abs >> shift;
  const rest = abs - (mantissa << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa += 1n;
  const value = Number(mantissa) * 2 ** Number(shift);
  return negative ? -value : value;
}

/** Java `(int) d` for a double. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= INT_MAX) return INT_MAX;
  if (d <= INT_MIN) return INT_MIN;
  return Math.trunc(d);
}

/** Java `(long) d` for a double. */
function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= TWO_POW_63) return LONG_MAX;
  if (d <= -TWO_POW_63) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** Narrows a Java long to the integral target (wrapping), as a Value of that type. */
function narrowLong(x: bigint, to: DataType): Value {
  switch (to.root) {
    case "TINYINT": return Number(BigInt.asIntN(8, x));
    case "SMALLINT": return Number(BigInt.asIntN(16, x));
    case "INT": return Number(BigInt.asIntN(32, x));
    default: return BigInt.asIntN(64, x);
  }
}

/** `u · 10^-from` rescaled to `to` digits, rounding HALF_UP (away from zero on ties). */
function rescale(unscaled: bigint, from: number, to: number): bigint {
  if (to >= from) return unscaled * pow10(to - from);
  const divisor = pow10(from - to);
  let q = unscaled / divisor;
  const r = unscaled % divisor;
  if ((r < 0n ? -r : r) * 2n >= divisor) q += unscaled < 0n ? -1n : 1n;
  return q;
}

function fitDecimal(unscaled: bigint, scale: number, to: AtomicType): bigint | null {
  const v = rescale(unscaled, scale, to.scale!);
  return decimalFitsPrecision(v, to.precision!) ? v : null;
}

/** DECIMAL(to) of the integer `x` (`DecimalUtils.castFrom(long, p, s)`); null when it does not fit. */
export function decimalFromNumeric(x: bigint, to: AtomicType): bigint | null {
  return fitDecimal(x, 0, to);
}

/** DECIMAL(to) of a double through `Double.toString` (`BigDecimal.valueOf(double)`). */
function decimalFromDouble(d: number, to: AtomicType): bigint | null {
  if (!Number.isFinite(d)) {
    throw new LakeError("unsupported", `data file: cannot cast ${d} to DECIMAL(${to.precision}, ${to.scale}) (Java fails too)`);
  }
  const m = /^(-?)(\d+)\.(\d+)(?:E(-?\d+))?$/.exec(javaDoubleToString(d))!;
  const digits = BigInt(m[2]! + m[3]!);
  const scale = m[3]!.length - Number(m[4] ?? "0");
  return fitDecimal(m[1] === "-" ? -digits : digits, scale, to);
}

function decimalToDouble(unscaled: bigint, from: AtomicType): number {
  const scale = from.scale!;
  return from.precision! <= 18 ? Number(unscaled) / 10 ** scale : Number(decimalToString(unscaled, scale));
}

type Cast = (v: Value) => Value;

function fromDecimal(from: AtomicType, to: AtomicType): Cast {
  const scale = from.scale!;
  if (to.root === "DECIMAL") return (v) => fitDecimal(v as bigint, scale, to);
  if (to.root === "DOUBLE") return (v) => decimalToDouble(v as bigint, from);
  if (to.root === "FLOAT") return (v) => Math.fround(decimalToDouble(v as bigint, from));
  const divisor = pow10(scale);
  return (v) => narrowLong(BigInt.asIntN(64, (v as bigint) / divisor), to);
}

function fromIntegral(from: AtomicType, to: AtomicType): Cast {
  const asLong = from.root === "BIGINT" ? (v: Value) => v as bigint : (v: Value) => BigInt(v as number);
  switch (to.root) {
    case "DECIMAL": return (v) => decimalFromNumeric(asLong(v), to);
    case "DOUBLE": return from.root === "BIGINT" ? (v) => Number(v as bigint) : (v) => v;
    case "FLOAT": return from.root === "BIGINT" ? (v) => bigintToFloat32(v as bigint) : (v) => Math.fround(v as number);
    case "BIGINT": return asLong;
    default:
      if (from.root !== "BIGINT") {
        const rank = { TINYINT: 1, SMALLINT: 2, INT: 3 } as Record<string, number>;
        if (rank[from.root]! <= rank[to.root]!) return (v) => v; // widening: the value is unchanged
      }
      return (v) => narrowLong(asLong(v), to);
  }
}

function fromApproximate(to: AtomicType): Cast {
  switch (to.root) {
    case "DECIMAL": return (v) => decimalFromDouble(v as number, to);
    case "DOUBLE": return (v) => v;
    case "FLOAT": return (v) => Math.fround(v as number);
    case "BIGINT": return (v) => doubleToLong(v as number);
    case "INT": return (v) => doubleToInt(v as number);
    case "SMALLINT": return (v) => (doubleToInt(v as number) << 16) >> 16;
    default: return (v) => (doubleToInt(v as number) << 24) >> 24;
  }
}

/**
 * Cast between numeric types (integral, FLOAT/DOUBLE, DECIMAL), optionally after `pre` maps the
 * input (BOOLEAN → 0/1). Requires: both types numeric.
 */
export function compileNumericCast(from: AtomicType, to: AtomicType, pre?: Cast): Cast {
  const cast = from.root === "DECIMAL" ? fromDecimal(from, to) : isIntegral(from) ? fromIntegral(from, to) : fromApproximate(to);
  return pre === undefined ? cast : (v) => cast(pre(v));
}

/** `DateTimeUtils.truncate(ts, precision)`: drop fraction digits beyond `precision`. */
export function truncateTimestamp(ts: Timestamp, precision: number): Timestamp {
  const millisOfSecond = ((ts.epochMillis % 1000) + 1000) % 1000;
  const nanoOfSecond = millisOfSecond * 1_000_000 + ts.nanoOfMillisecond;
  let significant = 9;
  for (let n = nanoOfSecond; significant > 0 && n % 10 === 0; n /= 10) significant--;
  if (significant <= precision) return ts;
  if (precision <= 3) {
    const unit = 10 ** (3 - precision);
    return { epochMillis: Math.trunc(ts.epochMillis / unit) * unit + 0, nanoOfMillisecond: 0 };
  }
  const unit = 10 ** (9 - precision);
  return { epochMillis: ts.epochMillis, nanoOfMillisecond: Math.trunc(ts.nanoOfMillisecond / unit) * unit };
}
