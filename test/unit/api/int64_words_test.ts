// Goal: the bigint-free int64 scaling used for Arrow timestamps is exact over the whole range
// and reports overflow instead of rounding. Method: differential test against bigint arithmetic
// on seeded random values (all magnitudes, both signs) and on the int64 / safe-integer limits.
import { assert, seededRandom, test } from "../../harness.ts";
import { readScaledInt64, writeScaledInt64 } from "../../../src/api/int64_words.ts";

const FACTORS = [1, 1000, 1_000_000];
const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

function randomSafe(rnd: () => number): number {
  const magnitude = Math.floor(rnd() * 2 ** Math.floor(rnd() * 54));
  return Math.min(magnitude, Number.MAX_SAFE_INTEGER) * (rnd() < 0.5 ? -1 : 1);
}

test("writeScaledInt64 equals value * factor + add in bigint, or reports overflow", () => {
  const rnd = seededRandom(11);
  const words = new Uint32Array(2);
  const view = new BigInt64Array(words.buffer);
  const values = [0, -1, 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 9223372036854, -9223372036855, 9223372036855, -9223372036856];
  for (let i = 0; i < 20000; i++) values.push(randomSafe(rnd));
  for (const value of values) {
    for (const factor of FACTORS) {
      const add = Math.floor(rnd() * factor);
      const expected = BigInt(value) * BigInt(factor) + BigInt(add);
      const ok = writeScaledInt64(words, 0, value, factor, add);
      assert.equal(ok, expected >= INT64_MIN && expected <= INT64_MAX, `${value}*${factor}+${add}`);
      if (ok) assert.equal(view[0], expected, `${value}*${factor}+${add}`);
    }
  }
});

test("readScaledInt64 is floor division with a non-negative remainder", () => {
  const rnd = seededRandom(12);
  const words = new Uint32Array(2);
  const view = new BigInt64Array(words.buffer);
  const qr = new Float64Array(2);
  const values = [0n, -1n, 1n, INT64_MIN, INT64_MAX, INT64_MIN + 1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n)];
  for (let i = 0; i < 20000; i++) {
    values.push(BigInt.asIntN(64, (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32))) >> BigInt(Math.floor(rnd() * 63)));
  }
  for (const value of values) {
    view[0] = value;
    for (const factor of FACTORS) {
      const f = BigInt(factor);
      let q = value / f, r = value % f;
      if (r < 0n) { r += f; q -= 1n; }
      const safe = q >= -BigInt(Number.MAX_SAFE_INTEGER) && q <= BigInt(Number.MAX_SAFE_INTEGER);
      const ok = readScaledInt64(words, 0, factor, qr);
      assert.equal(ok, safe, `${value}/${factor}`);
      if (ok) assert.deepEqual([qr[0], qr[1]], [Number(q), Number(r)], `${value}/${factor}`);
    }
  }
});
