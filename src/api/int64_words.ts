/**
 * Exact int64 ↔ (number quotient, remainder) arithmetic on little-endian 32-bit word pairs,
 * without bigint: the hot path of Arrow timestamp columns (millis × 1000 or × 1_000_000).
 *
 * Method: an int64 is `hi · 2^32 + lo` (hi signed, lo unsigned). Scaling or dividing by a factor
 * f ≤ 10^6 splits 2^32 as `A·f + B`, which keeps every intermediate below 2^53, so double
 * arithmetic is exact. Words sit at `words[2·i]` (lo) and `words[2·i + 1]` (hi), the layout of a
 * BigInt64Array on little-endian hosts (every JS engine Arrow supports).
 *
 * Invariants: results are exact or reported as out of range, never rounded.
 * Imports: nothing.
 */

const TWO_POW_32 = 4294967296;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Writes `value · factor + add` as int64 at pair `index` of `words`.
 * Requires: `value` a safe integer, `factor` an integer in 1..1_000_000, `add` an integer in
 * [0, factor). Returns false (writing nothing) when the result does not fit int64.
 */
export function writeScaledInt64(words: Uint32Array, index: number, value: number, factor: number, add: number): boolean {
  const valueHi = Math.floor(value / TWO_POW_32);
  const valueLo = value - valueHi * TWO_POW_32; // [0, 2^32)
  const t = valueLo * factor + add; // < 2^52: exact
  const tHi = Math.floor(t / TWO_POW_32);
  const hi = valueHi * factor + tHi; // |valueHi| < 2^21, so < 2^41: exact
  if (hi < INT32_MIN || hi > INT32_MAX) return false;
  words[2 * index] = t - tHi * TWO_POW_32;
  words[2 * index + 1] = hi >>> 0;
  return true;
}

/**
 * Reads the int64 at pair `index` of `words` and divides it by `factor` with floor division.
 * Writes the quotient to `out[0]` and the remainder (0..factor-1) to `out[1]`.
 * Requires: `factor` an integer in 1..1_000_000. Returns false when the quotient is not a safe
 * integer (then `out` is unspecified).
 */
export function readScaledInt64(words: Uint32Array, index: number, factor: number, out: Float64Array): boolean {
  const lo = words[2 * index]!;
  const hi = words[2 * index + 1]! | 0;
  const a = Math.floor(TWO_POW_32 / factor);
  const base = hi * a;
  if (!Number.isSafeInteger(base)) return readScaledInt64Slow(hi, lo, factor, out);
  const b = TWO_POW_32 - a * factor;
  const r = hi * b + lo; // |hi · b| ≤ 2^31 · 967_296 < 2^53: exact
  let q = Math.floor(r / factor);
  let rem = r - q * factor;
  if (rem < 0) { rem += factor; q -= 1; } else if (rem >= factor) { rem -= factor; q += 1; }
  const quotient = base + q; // exact whenever the true quotient is a safe integer
  if (!Number.isSafeInteger(quotient)) return false;
  out[0] = quotient;
  out[1] = rem;
  return true;
}

/** Bigint twin of `readScaledInt64` for values near the int64 limits, where `hi · A` is unsafe. */
function readScaledInt64Slow(hi: number, lo: number, factor: number, out: Float64Array): boolean {
  const value = BigInt(hi) * 4294967296n + BigInt(lo);
  const f = BigInt(factor);
  let q = value / f;
  let rem = value % f;
  if (rem < 0n) { rem += f; q -= 1n; }
  const quotient = Number(q);
  if (!Number.isSafeInteger(quotient)) return false;
  out[0] = quotient;
  out[1] = Number(rem);
  return true;
}
