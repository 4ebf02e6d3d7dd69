/**
 * Java's text forms of numbers, dates, times and timestamps, as Paimon's casts to STRING produce
 * them (schema evolution INT → STRING, DOUBLE → STRING, DATE → STRING, …).
 *
 * Rules:
 *  - `Double.toString` / `Float.toString` (JDK 19+ specification): the shortest decimal that
 *    rounds back to the value (for FLOAT: to the float32), where a one-digit result may be
 *    replaced by the closest two-digit one (Java prints 4.9E-324, not 5E-324); plain notation
 *    with at least one fraction digit for 1e-3 <= |x| < 1e7, else `d.dddE±n`.
 *  - DATE: `yyyy-MM-dd` of the proleptic Gregorian calendar (Paimon `DateTimeUtils.formatDate`),
 *    TIME(p): `HH:mm:ss[.fff]` (`formatTimestampMillis`, including its early stop on zeros),
 *    TIMESTAMP(p): `yyyy-MM-dd HH:mm:ss[.fraction]` with trailing zeros trimmed down to p digits
 *    (`formatTimestamp`). Years are written with Java's 4-digit routine, digit by digit.
 *
 * Mirrors `org.apache.paimon.utils.DateTimeUtils` and `java.lang.Double#toString`:
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/DateTimeUtils.java
 *
 * Imports: spec/values.ts (types only).
 */
import type { Timestamp } from "../../spec/values.ts";

const MILLIS_PER_DAY = 86_400_000;

/** Shortest decimal digits and exponent of `x` (finite, non-zero): x ≈ d[0].d[1..] × 10^exponent. */
function decimalParts(text: string): { digits: string; exponent: number } {
  // `text` is toExponential/toPrecision output such as "4.9e-324" or "1.5e+2".
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text)!;
  const digits = (m[1]! + (m[2] ?? "")).replace(/0+$/, "");
  return { digits: digits === "" ? "0" : digits, exponent: Number(m[3]) };
}

function formatJavaDecimal(negative: boolean, digits: string, exponent: number): string {
  const sign = negative ? "-" : "";
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const frac = digits.slice(exponent + 1);
      return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}E${exponent}`;
}

function specialText(x: number): string | null {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  return null;
}

/** `Double.toString(x)` of Java 19+. */
export function javaDoubleToString(x: number): string {
  const special = specialText(x);
  if (special !== null) return special;
  const abs = Math.abs(x);
  let parts = decimalParts(abs.toExponential());
  if (parts.digits.length === 1) {
    const two = abs.toPrecision(2);
    if (Number(two) === abs) parts = decimalParts(Number(two).toExponential(1));
  }
  return formatJavaDecimal(x < 0, parts.digits, parts.exponent);
}

/** `Float.toString(x)` of Java 19+. Requires: `x` is float32-representable. */
export function javaFloatToString(x: number): string {
  const special = specialText(x);
  if (special !== null) return special;
  const abs = Math.abs(x);
  // 9 significant digits always identify a float32, so the loop ends by p = 9.
  let p = 1;
  while (p < 9 && Math.fround(Number(abs.toExponential(p - 1))) !== abs) p++;
  let parts = decimalParts(abs.toExponential(p - 1));
  if (p === 1) {
    const two = abs.toExponential(1);
    if (Math.fround(Number(two)) === abs) parts = decimalParts(two);
  }
  return formatJavaDecimal(x < 0, parts.digits, parts.exponent);
}

/** Java's `int4`: four digits computed one by one (truncating division, as Java does). */
function int4(i: number): string {
  const d = (n: number): string => String.fromCharCode(48 + (Math.trunc(i / n) % 10));
  return d(1000) + d(100) + d(10) + d(1);
}

function int2(i: number): string {
  return String.fromCharCode(48 + (Math.trunc(i / 10) % 10)) + String.fromCharCode(48 + (i % 10));
}

/** Proleptic Gregorian civil date of `days` since 1970-01-01 (Howard Hinnant's algorithm). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** DATE → `yyyy-MM-dd` (Paimon `DateTimeUtils.formatDate`). */
export function formatJavaDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${int4(year)}-${int2(month)}-${int2(day)}`;
}

/** TIME(precision) millis of day → `HH:mm:ss[.f…]` (Paimon `formatTimestampMillis`). */
export function formatJavaTime(millisOfDay: number, precision: number): string {
  let time = millisOfDay;
  while (time < 0) time += MILLIS_PER_DAY;
  const h = Math.trunc(time / 3600000);
  const time2 = time % 3600000;
  const m = Math.trunc(time2 / 60000);
  const time3 = time2 % 60000;
  const s = Math.trunc(time3 / 1000);
  let ms = time3 % 1000;
  let out = `${int2(h)}:${int2(m)}:${int2(s)}`;
  if (precision > 0) {
    out += ".";
    for (let p = precision; p > 0; p--) {
      out += String.fromCharCode(48 + Math.trunc(ms / 100));
      ms = (ms % 100) * 10;
      if (ms === 0) break; // Java stops here too ("keep consistent with Timestamp.toString()")
    }
  }
  return out;
}

/** TIMESTAMP(precision) → `yyyy-MM-dd HH:mm:ss[.fraction]` (Paimon `formatTimestamp`, UTC). */
export function formatJavaTimestamp(ts: Timestamp, precision: number): string {
  const days = Math.floor(ts.epochMillis / MILLIS_PER_DAY);
  const millisOfDay = ts.epochMillis - days * MILLIS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const h = Math.trunc(millisOfDay / 3600000);
  const m = Math.trunc((millisOfDay % 3600000) / 60000);
  const s = Math.trunc((millisOfDay % 60000) / 1000);
  const nanoOfSecond = (millisOfDay % 1000) * 1_000_000 + ts.nanoOfMillisecond;
  let fraction = String(nanoOfSecond).padStart(9, "0");
  while (fraction.length > precision && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  const base = `${int4(year)}-${int2(month)}-${int2(day)} ${int2(h)}:${int2(m)}:${int2(s)}`;
  return fraction.length > 0 ? `${base}.${fraction}` : base;
}
