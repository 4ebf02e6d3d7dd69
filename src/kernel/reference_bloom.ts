/**
 * Split-block bloom filter over precomputed 64-bit key hashes (given as two 32-bit halves), in
 * plain TypeScript: the lookup index's "is this key possibly here?" test, so a miss costs one
 * cache line instead of a binary search.
 *
 * Algorithm (Parquet's SBBF, parquet-format BloomFilter.md): the filter is an array of 256-bit
 * blocks (8 u32 words). A key's block is `floor(h1 * blockCount / 2^32)`; in that block, word i
 * gets bit `(h2 * SALT[i]) >>> 27`. A probe checks the same 8 bits. No false negatives; the
 * false-positive rate is about 1-2 % at 10 bits a key. The `*Block` forms let the caller pick
 * the block (the lookup picks it from a sorted key's position when keys are spread evenly, so
 * building and sorted probing touch neighbouring blocks instead of random ones).
 *
 * Contract: `bloomBuild` then `bloomMayContain` is true for every built hash pair. The kernel
 * knows nothing of Paimon: callers hash their keys (lookup/bucket_index.ts).
 * Build of a whole u64 key set (`bloomBuildU64Twin`) has a WASM twin, the kernel's
 * `bloomBuildU64` (assembly/bloom.ts, reached through `buildBloomU64`): same filter words, bit
 * for bit (test/kernel/bloom_kernel_test.ts); hashing and inserting millions of keys there
 * measured about 3x faster than here. Probes stay plain TS: a probe is 8 multiplies and one cache
 * line, interleaved with the caller's search, and a WASM call per batch would add a copy of
 * the probe hashes into linear memory.
 * Imports: nothing. Mirrors no Java class (cf. Paimon's `BloomFilter64` / `FileIndex` bloom).
 */

const SALT = new Uint32Array([0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31]);
const S0 = SALT[0]!, S1 = SALT[1]!, S2 = SALT[2]!, S3 = SALT[3]!, S4 = SALT[4]!, S5 = SALT[5]!, S6 = SALT[6]!, S7 = SALT[7]!;

/** Filter bits per key used when the caller does not say (about 1 % false positives). */
export const BLOOM_BITS_PER_KEY_DEFAULT = 10;

/** Words (u32) of a filter for `keyCount` keys at `bitsPerKey` (a whole number of 8-word blocks, at least one). */
export function bloomWordCount(keyCount: number, bitsPerKey: number = BLOOM_BITS_PER_KEY_DEFAULT): number {
  const blocks = Math.max(1, Math.ceil((keyCount * bitsPerKey) / 256));
  return blocks * 8;
}

/** Adds one hash pair to `filter`. */
export function bloomInsert(filter: Uint32Array, h1: number, h2: number): void {
  bloomInsertBlock(filter, Math.floor((h1 >>> 0) * (filter.length >>> 3) / 4294967296), h2);
}

/**
 * Adds `h2` to block `block` (the caller chose the block: e.g. from the key's position, so
 * sorted keys fill neighbouring blocks). Requires: 0 <= block < filter.length / 8.
 */
export function bloomInsertBlock(filter: Uint32Array, block: number, h2: number): void {
  const b = block << 3;
  filter[b] = filter[b]! | (1 << (Math.imul(h2, S0) >>> 27));
  filter[b + 1] = filter[b + 1]! | (1 << (Math.imul(h2, S1) >>> 27));
  filter[b + 2] = filter[b + 2]! | (1 << (Math.imul(h2, S2) >>> 27));
  filter[b + 3] = filter[b + 3]! | (1 << (Math.imul(h2, S3) >>> 27));
  filter[b + 4] = filter[b + 4]! | (1 << (Math.imul(h2, S4) >>> 27));
  filter[b + 5] = filter[b + 5]! | (1 << (Math.imul(h2, S5) >>> 27));
  filter[b + 6] = filter[b + 6]! | (1 << (Math.imul(h2, S6) >>> 27));
  filter[b + 7] = filter[b + 7]! | (1 << (Math.imul(h2, S7) >>> 27));
}

/** False when the hash pair was certainly never inserted; true when it may have been. */
export function bloomMayContain(filter: Uint32Array, h1: number, h2: number): boolean {
  return bloomMayContainBlock(filter, Math.floor((h1 >>> 0) * (filter.length >>> 3) / 4294967296), h2);
}

/** `bloomMayContain` for a caller-chosen block (see `bloomInsertBlock`). */
export function bloomMayContainBlock(filter: Uint32Array, block: number, h2: number): boolean {
  const b = block << 3;
  return (filter[b]! & (1 << (Math.imul(h2, S0) >>> 27))) !== 0 &&
    (filter[b + 1]! & (1 << (Math.imul(h2, S1) >>> 27))) !== 0 &&
    (filter[b + 2]! & (1 << (Math.imul(h2, S2) >>> 27))) !== 0 &&
    (filter[b + 3]! & (1 << (Math.imul(h2, S3) >>> 27))) !== 0 &&
    (filter[b + 4]! & (1 << (Math.imul(h2, S4) >>> 27))) !== 0 &&
    (filter[b + 5]! & (1 << (Math.imul(h2, S5) >>> 27))) !== 0 &&
    (filter[b + 6]! & (1 << (Math.imul(h2, S6) >>> 27))) !== 0 &&
    (filter[b + 7]! & (1 << (Math.imul(h2, S7) >>> 27))) !== 0;
}

/**
 * Builds a filter from `count` hash pairs (`hashes[2i]`, `hashes[2i + 1]`).
 * Requires: `hashes.length >= 2 * count`; `bitsPerKey` > 0.
 */
export function bloomBuild(hashes: Uint32Array, count: number, bitsPerKey: number = BLOOM_BITS_PER_KEY_DEFAULT): Uint32Array<ArrayBuffer> {
  const filter = new Uint32Array(bloomWordCount(count, bitsPerKey));
  for (let i = 0; i < count; i++) bloomInsert(filter, hashes[2 * i]!, hashes[2 * i + 1]!);
  return filter;
}

/** Probes `count` hash pairs; out[i] = 1 when pair i may be in the filter. */
export function bloomProbe(filter: Uint32Array, hashes: Uint32Array, count: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = bloomMayContain(filter, hashes[2 * i]!, hashes[2 * i + 1]!) ? 1 : 0;
  return out;
}

/**
 * 64-bit-quality mix of a key given as two u32 words into a hash pair (h1, h2), written to
 * `out[at]`, `out[at + 1]`. Used for u64 keys; byte keys hash with `hashBytesPair`.
 */
export function hashWordsPair(hi: number, lo: number, out: Uint32Array, at: number): void {
  let a = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ hi;
  a ^= a >>> 16; a = Math.imul(a, 0x7feb352d); a ^= a >>> 15; a = Math.imul(a, 0x846ca68b); a ^= a >>> 16;
  let b = Math.imul(hi ^ 0xc2b2ae35, 0x27d4eb2f) ^ lo ^ a;
  b ^= b >>> 15; b = Math.imul(b, 0x2c1b3c6d); b ^= b >>> 12; b = Math.imul(b, 0x297a2d39); b ^= b >>> 15;
  out[at] = a;
  out[at + 1] = b;
}

/** Hash pair of the bytes [start, end) of `bytes` (FNV-1a-style, then mixed), to `out[at]`, `out[at + 1]`. */
export function hashBytesPair(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  let h = 0x811c9dc5, g = 0x01000193 ^ (end - start);
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ bytes[i]!, 0x01000193);
    g = Math.imul(g + bytes[i]!, 0x5bd1e995) ^ (g >>> 13);
  }
  hashWordsPair(h, g, out, at);
}

/** Options of a u64 bloom build (see `bloomBuildU64Twin`). */
export interface BloomU64Options {
  /** Filter blocks (8 words each); `bloomWordCount(count) / 8` for 10 bits a key. Requires: >= 1. */
  readonly blocks: number;
  /** 0: hash blocks. > 0: position blocks `floor(((hi - minHi) * 2^32 + (lo - minLo)) * scale)`. */
  readonly scale: number;
  /** The smallest key's high and low word (position blocks are relative to it). */
  readonly minHi: number;
  readonly minLo: number;
  /** Position blocks are given up for hash blocks when more consecutive keys than this share one block. */
  readonly blockKeysMax: number;
}

/** A built filter and the block scale it used (0 when it fell back to, or was asked for, hash blocks). */
export interface BloomU64Result {
  readonly filter: Uint32Array<ArrayBuffer>;
  readonly scale: number;
}

/** The kernel form of `bloomBuildU64Twin` (WasmKernel has it; see `buildBloomU64`). */
export interface BloomKernel {
  bloomBuildU64(words: Uint32Array, count: number, options: BloomU64Options): BloomU64Result;
}

/** Position block of key (hi, lo) for a build (keys lie in [min, max]). */
function positionBlock(hi: number, lo: number, options: BloomU64Options): number {
  const b = Math.floor(((hi - options.minHi) * 4294967296 + (lo - options.minLo)) * options.scale);
  return b >= options.blocks ? options.blocks - 1 : b;
}

/**
 * Builds the filter of `count` u64 keys given as word pairs (`words[2j]` low, `words[2j + 1]`
 * high; for sorted keys with position blocks, ascending). With position blocks (`scale` > 0), a
 * run of more than `blockKeysMax` consecutive keys in one block makes the whole filter use hash
 * blocks instead (the result's `scale` is then 0). Hash pair per key: `hashWordsPair(hi, lo)`;
 * the block from h1 (hash blocks) or the position; the bits from h2.
 * Requires: `words.length >= 2 * count`; keys within [min, max] when `scale` > 0.
 */
export function bloomBuildU64Twin(words: Uint32Array, count: number, options: BloomU64Options): BloomU64Result {
  let scale = options.scale;
  if (scale > 0) {
    let run = 0, previous = -1;
    for (let j = 0; j < count; j++) {
      const b = positionBlock(words[2 * j + 1]!, words[2 * j]!, options);
      run = b === previous ? run + 1 : 1;
      previous = b;
      if (run > options.blockKeysMax) { scale = 0; break; }
    }
  }
  const filter = new Uint32Array(options.blocks * 8);
  const pair = new Uint32Array(2);
  const at = { ...options, scale };
  for (let j = 0; j < count; j++) {
    const hi = words[2 * j + 1]!, lo = words[2 * j]!;
    hashWordsPair(hi, lo, pair, 0);
    if (scale > 0) bloomInsertBlock(filter, positionBlock(hi, lo, at), pair[1]!);
    else bloomInsert(filter, pair[0]!, pair[1]!);
  }
  return { filter, scale };
}

/** Builds with the kernel's WASM form when `kernel` has one, else with the twin (same result). */
export function buildBloomU64(kernel: object, words: Uint32Array, count: number, options: BloomU64Options): BloomU64Result {
  return "bloomBuildU64" in kernel ? (kernel as BloomKernel).bloomBuildU64(words, count, options) : bloomBuildU64Twin(words, count, options);
}
