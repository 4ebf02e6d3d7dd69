/**
 * Seeded benchmark inputs, built columnar in typed arrays (no per-row objects, per
 * docs/performance.md §9): random u64 keys, their 8-byte big-endian byte keys, and
 * key_codec-shaped 16-byte keys (8-byte key + 8-byte inverted sequence tail).
 *
 * Imports: src/kernel/reference.ts (types only).
 */

import type { ByteKeys } from "../src/kernel/reference.ts";

/** mulberry32: a small seeded PRNG returning u32. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** n uniformly random u64 values. */
export function randomU64s(n: number, seed: number): BigUint64Array {
  const next = rng(seed);
  const out = new BigUint64Array(n);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < words.length; i++) words[i] = next();
  return out;
}

/** The same values as 8-byte big-endian byte keys (memcmp order == numeric order). */
export function u64ToByteKeys(values: BigUint64Array): ByteKeys {
  const n = values.length;
  const bytes = new Uint8Array(n * 8);
  const view = new DataView(bytes.buffer);
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    view.setUint32(i * 8, words[2 * i + 1]!);
    view.setUint32(i * 8 + 4, words[2 * i]!);
    offsets[i + 1] = (i + 1) * 8;
  }
  return { bytes, offsets };
}

/**
 * n key_codec-shaped keys: 8-byte big-endian key drawn from [0, keySpace) with the sign bit
 * flipped (as an encoded BIGINT), then 8 bytes of inverted sequence number (seqBase + i).
 */
export function encodedKeys(n: number, keySpace: number, seqBase: number, seed: number): ByteKeys {
  const next = rng(seed);
  const bytes = new Uint8Array(n * 16);
  const view = new DataView(bytes.buffer);
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const key = next() % keySpace;
    view.setUint32(i * 16, 0x80000000);
    view.setUint32(i * 16 + 4, key);
    const seq = seqBase + i;
    view.setUint32(i * 16 + 8, ~Math.floor(seq / 2 ** 32) >>> 0);
    view.setUint32(i * 16 + 12, ~seq >>> 0);
    offsets[i + 1] = (i + 1) * 16;
  }
  return { bytes, offsets };
}

/** Keys of `keys` reordered by `perm` into fresh contiguous ByteKeys. */
export function permuted(keys: ByteKeys, perm: Uint32Array): ByteKeys {
  const o = keys.offsets;
  const offsets = new Uint32Array(perm.length + 1);
  for (let j = 0; j < perm.length; j++) offsets[j + 1] = offsets[j]! + o[perm[j]! + 1]! - o[perm[j]!]!;
  const bytes = new Uint8Array(offsets[perm.length]!);
  for (let j = 0; j < perm.length; j++) bytes.set(keys.bytes.subarray(o[perm[j]!]!, o[perm[j]! + 1]!), offsets[j]!);
  return { bytes, offsets };
}
