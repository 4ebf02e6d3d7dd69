/**
 * Java's text forms of numbers, both ways: `Double.toString` / `Float.toString` and
 * `Double.parseDouble` / `Float.parseFloat` / `Long.parseLong`, as Paimon's casts to and from
 * STRING (and so partition directory names) use them.
 *
 * `toString` follows the JDK 19+ specification (JDK-4511638): among the decimals that round back
 * to the value (for FLOAT: to the float32), take the shortest; when the shortest has one digit,
 * take the closest of all one- and two-digit decimals (so 4.9E-324, not 5E-324); ties go to the
 * even last digit. Plain notation with at least one fraction digit when 1e-3 <= d < 1e7, else
 * `d.dddE±n`. JDK 8..18 (`FloatingDecimal`) print a longer digit string for some values; measured
 * with JDK 17.0.15 against JDK 25 on a sample: 1.3 % of doubles (`4.0E23` was
 * `3.9999999999999997E23`, `8.0E23` was `7.999999999999999E23`) and 7 % of floats (`2.43925E8` was
 * `2.43924992E8`, `2.2E-44` was `2.24E-44`). Tables written by Java 8..18 may hold such FLOAT/DOUBLE
 * partition directory names; they are not reproduced. Those DOUBLE texts parse back to the same
 * value; most such FLOAT texts fail Paimon's cast-from-string precision check on JDK 19+, in Java
 * as in partition_values.ts.
 *
 * Parsing accepts exactly Java's `FloatingDecimal` grammar: surrounding chars <= U+0020 trimmed,
 * optional sign, `NaN`, `Infinity`, decimal digits with optional fraction and exponent, hex
 * `0x1.8p3`, optional suffix `f F d D`. Results are correctly rounded (FLOAT directly to float32,
 * never through a double). Integers accept ASCII digits only (Java also takes other Unicode
 * decimal digits; Paimon never writes them).
 *
 * Mirrors `java.lang.Double#toString(double)`, `java.lang.Float#toString(float)` and
 * `jdk.internal.math.FloatingDecimal#readJavaFormatString`:
 * https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Double.html#toString(double)
 *
 * Imports: util/assert.ts.
 */
import { assert, unreachable } from "../util/assert.ts";

interface BinaryFormat {
  /** Significand bits including the hidden bit. */
  readonly bits: number;
  /** Exponent of the least significant bit of subnormals. */
  readonly ulpExponentMin: number;
  /** Values at or above 2^this overflow to Infinity. */
  readonly overflowExponent: number;
  /** Most significant digits ever needed to round-trip. */
  readonly digitsMax: number;
}

const DOUBLE: BinaryFormat = { bits: 53, ulpExponentMin: -1074, overflowExponent: 1024, digitsMax: 17 };
const FLOAT: BinaryFormat = { bits: 24, ulpExponentMin: -149, overflowExponent: 128, digitsMax: 9 };

/** An exact rational n/d with d > 0. */
interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

function decimalRational(digits: bigint, exp10: number): Rational {
  return exp10 >= 0 ? { n: digits * 10n ** BigInt(exp10), d: 1n } : { n: digits, d: 10n ** BigInt(-exp10) };
}

function binaryRational(mantissa: bigint, exp2: number): Rational {
  return exp2 >= 0 ? { n: mantissa << BigInt(exp2), d: 1n } : { n: mantissa, d: 1n << BigInt(-exp2) };
}

function compareRational(a: Rational, b: Rational): number {
  const l = a.n * b.d, r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

function distance(a: Rational, b: Rational): Rational {
  const n = a.n * b.d - b.n * a.d;
  return { n: n < 0n ? -n : n, d: a.d * b.d };
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

const VIEW = new DataView(new ArrayBuffer(8));

/** Exact `x = mantissa · 2^exp2` of a positive finite double, in `format`'s own grid. */
function decompose(x: number, format: BinaryFormat): { mantissa: bigint; exp2: number } {
  VIEW.setFloat64(0, x);
  const hi = VIEW.getUint32(0), lo = VIEW.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (biased !== 0) {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  const exp2 = Math.max(e + bitLength(m) - format.bits, format.ulpExponentMin);
  return { mantissa: exp2 >= e ? m >> BigInt(exp2 - e) : m << BigInt(e - exp2), exp2 };
}

/** The decimals that round to x: bounds in units of 2^(exp2-2), inclusive when the mantissa is even. */
function roundingInterval(x: number, format: BinaryFormat): { lo: Rational; hi: Rational; inclusive: boolean; x: Rational } {
  const { mantissa, exp2 } = decompose(x, format);
  const unit = exp2 - 2;
  const center = mantissa * 4n;
  const narrowBelow = mantissa === 1n << BigInt(format.bits - 1) && exp2 > format.ulpExponentMin;
  return {
    lo: binaryRational(center - (narrowBelow ? 1n : 2n), unit),
    hi: binaryRational(center + 2n, unit),
    inclusive: mantissa % 2n === 0n,
    x: binaryRational(center, unit),
  };
}

interface Decimal {
  readonly digits: bigint;
  readonly exp10: number;
}

/** Closest `n`-digit decimal that rounds to x (ties: even last digit), or null when none does. */
function closestOfLength(x: number, n: number, r: ReturnType<typeof roundingInterval>): Decimal | null {
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential(n - 1))!;
  const digits = BigInt(m[1]! + (m[2] ?? ""));
  const exp10 = Number(m[3]) - (n - 1);
  const low = 10n ** BigInt(n - 1), high = 10n ** BigInt(n) - 1n;
  const candidates: Decimal[] = [
    digits === low ? { digits: high, exp10: exp10 - 1 } : { digits: digits - 1n, exp10 },
    { digits, exp10 },
    digits === high ? { digits: low, exp10: exp10 + 1 } : { digits: digits + 1n, exp10 },
  ];
  let best: Decimal | null = null;
  let bestDistance: Rational | null = null;
  for (const c of candidates) {
    const v = decimalRational(c.digits, c.exp10);
    const cl = compareRational(v, r.lo), ch = compareRational(v, r.hi);
    const inside = r.inclusive ? cl >= 0 && ch <= 0 : cl > 0 && ch < 0;
    if (!inside) continue;
    const d = distance(v, r.x);
    const cmp = bestDistance === null ? -1 : compareRational(d, bestDistance);
    if (cmp < 0 || (cmp === 0 && c.digits % 2n === 0n)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Java's (JDK 19+) selected decimal for a positive finite x. */
function javaDecimal(x: number, format: BinaryFormat): Decimal {
  const r = roundingInterval(x, format);
  for (let n = 1; n <= format.digitsMax; n++) {
    const found = closestOfLength(x, n, r);
    if (found === null) continue;
    return n === 1 ? closestOfLength(x, 2, r)! : found;
  }
  return unreachable(`java_number_text: no decimal rounds to ${x}`); // 17 (double) / 9 (float) digits always do
}

function layout(negative: boolean, d: Decimal): string {
  const digits = d.digits.toString().replace(/0+$/, "") || "0";
  const e = d.exp10 + d.digits.toString().length - 1; // value = d0.d1d2… · 10^e
  const sign = negative ? "-" : "";
  if (e >= -3 && e < 7) {
    if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
    const whole = digits.slice(0, e + 1).padEnd(e + 1, "0");
    return `${sign}${whole}.${digits.slice(e + 1) || "0"}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${e}`;
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  return null;
}

/** Java `Double.toString(x)` (JDK 19+ digits). */
export function javaDoubleToString(x: number): string {
  return special(x) ?? layout(x < 0, javaDecimal(Math.abs(x), DOUBLE));
}

/** Java `Float.toString(x)` (JDK 19+ digits). Requires: `x` is float32-representable (`Math.fround(x) === x`). */
export function javaFloatToString(x: number): string {
  assert(Number.isNaN(x) || Math.fround(x) === x, `java_number_text: ${x} is not a float32 value`);
  return special(x) ?? layout(x < 0, javaDecimal(Math.abs(x), FLOAT));
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Java `String.trim()`: strips chars <= U+0020 at both ends. */
export function javaTrim(text: string): string {
  let start = 0, end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

const DECIMAL_FLOAT = /^([+-]?)(?:(NaN)|(Infinity)|(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?[fFdD]?)$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/;

/** Rounds `s · 2^e` (s >= 0) to the nearest value of `format`, ties to even; Infinity on overflow. */
function roundBinary(s: bigint, e: number, format: BinaryFormat): number {
  if (s === 0n) return 0;
  const length = bitLength(s);
  if (e + length > format.overflowExponent + 1) return Infinity;
  let q = Math.max(e + length - format.bits, format.ulpExponentMin);
  let r: bigint;
  if (q > e) {
    const shift = q - e;
    if (shift > length + 1) return 0;
    r = s >> BigInt(shift);
    const rest = s - (r << BigInt(shift)), half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && r % 2n === 1n)) r += 1n;
    if (r === 1n << BigInt(format.bits)) {
      r >>= 1n;
      q += 1;
    }
  } else {
    r = s << BigInt(e - q);
  }
  if (bitLength(r) + q > format.overflowExponent) return Infinity;
  return Number(r) * 2 ** q;
}

interface ParsedFloat {
  readonly negative: boolean;
  /** Exact value as digits · 10^exp10 (decimal) or digits · 2^exp2 (hex); null for NaN/Infinity. */
  readonly kind: "nan" | "infinity" | "decimal" | "hex";
  readonly body: string;
  readonly digits: bigint;
  readonly exponent: number;
}

function parseFloatText(text: string): ParsedFloat | null {
  const t = javaTrim(text);
  const hex = HEX_FLOAT.exec(t);
  if (hex) {
    const whole = hex[2]!, frac = hex[3] ?? "";
    if (whole === "" && frac === "") return null;
    const exp = Number(hex[4]);
    return { negative: hex[1] === "-", kind: "hex", body: t, digits: BigInt("0x" + (whole + frac)), exponent: exp - 4 * frac.length };
  }
  const m = DECIMAL_FLOAT.exec(t);
  if (!m) return null;
  const negative = m[1] === "-";
  if (m[2]) return { negative, kind: "nan", body: t, digits: 0n, exponent: 0 };
  if (m[3]) return { negative, kind: "infinity", body: t, digits: 0n, exponent: 0 };
  const whole = m[4] ?? "", frac = m[5] ?? "";
  if (whole === "" && frac === "") return null;
  const expText = m[6] ?? "0";
  const body = `${whole || "0"}.${frac || "0"}e${expText}`;
  // The exponent only matters exactly when the value is in range; clamp absurd ones.
  const exponent = Math.max(-100000, Math.min(100000, Number(expText))) - frac.length;
  return { negative, kind: "decimal", body, digits: BigInt(whole + frac), exponent };
}

function applySign(negative: boolean, v: number): number {
  return negative ? -v : v;
}

/** Java `Double.parseDouble(text)`, or null where Java throws NumberFormatException. */
export function parseJavaDouble(text: string): number | null {
  const p = parseFloatText(text);
  if (p === null) return null;
  if (p.kind === "nan") return NaN;
  if (p.kind === "infinity") return applySign(p.negative, Infinity);
  if (p.kind === "hex") return applySign(p.negative, roundBinary(p.digits, p.exponent, DOUBLE));
  return applySign(p.negative, Number(p.body)); // ECMAScript string-to-number is correctly rounded in V8
}

const FLOAT_VIEW = new DataView(new ArrayBuffer(4));

/** The float32 adjacent to positive float `f` in direction `up` (2^128 above the largest). */
function adjacentFloat(f: number, up: boolean): number {
  FLOAT_VIEW.setFloat32(0, f);
  FLOAT_VIEW.setUint32(0, FLOAT_VIEW.getUint32(0) + (up ? 1 : -1));
  const g = FLOAT_VIEW.getFloat32(0);
  return g === Infinity ? 2 ** 128 : g;
}

/** Java `Float.parseFloat(text)` (correctly rounded to float32), or null where Java throws. */
export function parseJavaFloat(text: string): number | null {
  const p = parseFloatText(text);
  if (p === null) return null;
  if (p.kind === "nan") return NaN;
  if (p.kind === "infinity") return applySign(p.negative, Infinity);
  if (p.kind === "hex") return applySign(p.negative, roundBinary(p.digits, p.exponent, FLOAT));
  const d = Number(p.body);
  let f = Math.fround(d);
  if (f !== d && d !== 0 && d < 2 ** 128) {
    // Double rounding can only go wrong when d is exactly halfway between two floats.
    const fv = f === Infinity ? 2 ** 128 : f;
    const g = adjacentFloat(fv, d > fv);
    if ((fv + g) / 2 === d) {
      const exact = decompose(d, DOUBLE);
      const cmp = compareRational(decimalRational(p.digits, p.exponent), binaryRational(exact.mantissa, exact.exp2));
      const chosen = cmp === 0 ? fv : (cmp > 0) === (g > fv) ? g : fv;
      f = chosen === 2 ** 128 ? Infinity : chosen;
    }
  }
  return applySign(p.negative, f);
}

/**
 * Java `Long.parseLong` / `Integer.parseInt` / `Short.parseShort` / `Byte.parseByte` with the
 * given bounds: optional sign, ASCII digits, no spaces. Null when Java throws.
 */
export function parseJavaInteger(text: string, min: bigint, max: bigint): bigint | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const v = BigInt(text);
  return v < min || v > max ? null : v;
}
