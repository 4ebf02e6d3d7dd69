/**
 * MurmurHash3 x86 32-bit over 4-byte little-endian words, exactly as Paimon's
 * `MurmurHashUtils.hashBytesByWords` (what `BinaryRow.hashCode()` computes, hence bucket
 * assignment and the dynamic-bucket HASH index).
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/MurmurHashUtils.java
 *
 * Invariants: results are signed int32 like Java `int`; the input length must be a multiple of
 * 4 (BinaryRows are multiples of 8), so Paimon's non-standard tail handling never applies.
 *
 * Imports: util/assert.ts only.
 */
import { assert } from "./assert.ts";

/** Paimon's default seed (`MurmurHashUtils.DEFAULT_SEED`). */
export const MURMUR_DEFAULT_SEED = 42;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * Hash of `bytes` read as little-endian int32 words, finalized with the byte length.
 * Requires: `bytes.length % 4 === 0`. Returns a signed int32.
 */
export function murmurHashBytesByWords(bytes: Uint8Array, seed: number = MURMUR_DEFAULT_SEED): number {
  const length = bytes.length;
  assert(length % 4 === 0, `murmur3: length ${length} is not a multiple of 4`);
  let h1 = seed | 0;
  for (let i = 0; i < length; i += 4) {
    h1 = murmurMixWord(h1, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  return murmurFmix32(h1 ^ length);
}

/** One int32 word `k1` mixed into the running hash `h1` (`MurmurHashUtils.mixK1` + `mixH1`); signed int32. */
export function murmurMixWord(h1: number, k1: number): number {
  k1 = Math.imul(k1, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, C2);
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

/** The 32-bit finalization mix (`MurmurHashUtils.fmix(int)`); returns a signed int32. */
export function murmurFmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
