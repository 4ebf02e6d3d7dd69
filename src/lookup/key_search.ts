/**
 * The sorted key part of a bucket index and its searches: which rows of a loaded bucket hold a
 * given lookup key. Two forms:
 * - "u64": one integer lookup column (BIGINT, INT, SMALLINT, TINYINT, DATE, TIME, compact
 *   DECIMAL) as order-preserving u64 words (sign bit flipped), searched through a segment table
 *   (an interpolation over [min, max] that narrows each probe to a short range, then a binary
 *   search inside it: a learned-index style search, exact for any distribution); the engine
 *   sorts large probe batches first (kernel `sortU64`) so consecutive searches stay in cache;
 * - "bytes": any other key, as spec/key_codec.ts key parts (memcmp order equals Java's order),
 *   sorted by the kernel (`sortKeys`) and searched with the kernel's batched `lowerBound` for
 *   large probe batches, or a plain binary search for small ones.
 * Both carry a split-block bloom filter (kernel/reference_bloom.ts) over the keys, so a miss
 * usually costs one cache line; the "u64" form's filter is built by the kernel
 * (`buildBloomU64`: WASM, or its twin, same words). In the "u64" form with evenly spread keys the bloom block is
 * chosen by key position instead of hash (`bloomScale`), so building the filter and probing it
 * with sorted probes walk memory in order, and keys outside [min, max] cost nothing.
 *
 * Invariants: `sorted` is ascending; `rows[j]` is the bucket row of sorted key j (null: the
 * identity); rows whose lookup key has a NULL are not indexed (SQL equality never matches NULL).
 * Imports: kernel (types, bloom), spec/key_codec.ts, lookup/lookup_columns.ts.
 * Mirrors no Java class (cf. Paimon's `LookupStoreReader` / sort-lookup store, in memory).
 */
import type { ByteKeys, KeyKernel } from "../kernel/mod.ts";
import { bloomInsert, bloomWordCount, buildBloomU64, hashBytesPair } from "../kernel/reference_bloom.ts";
import type { DataType } from "../spec/data_types.ts";
import { createKeyCodec } from "../spec/key_codec.ts";
import type { Value } from "../spec/values.ts";
import type { LookupColumn } from "./lookup_columns.ts";

/** Key types the "u64" form serves (one lookup column of these). */
export function isU64KeyType(types: readonly DataType[]): boolean {
  if (types.length !== 1) return false;
  const t = types[0]!;
  return ["BIGINT", "INT", "SMALLINT", "TINYINT", "DATE", "TIME"].includes(t.root) || (t.root === "DECIMAL" && (t.precision ?? 10) <= 18);
}

/** Sorted u64 keys: `words[2j]` low, `words[2j + 1]` high half of key j. */
export interface U64Keys {
  readonly form: "u64";
  readonly words: Uint32Array;
  readonly count: number;
  /** Segment table: keys with segment s are [starts[s], starts[s + 1]). */
  readonly starts: Uint32Array;
  /** High and low word of the smallest key: positions are computed relative to it (exact doubles). */
  readonly minHi: number;
  readonly minLo: number;
  /** Offset of the largest key above the smallest (see `offsetOf`). */
  readonly range: number;
  readonly scale: number;
}

/** Sorted byte keys (key-codec key parts). */
export interface BytesKeys {
  readonly form: "bytes";
  readonly keys: ByteKeys;
  readonly count: number;
}

/** The searchable key part of a bucket index. */
export interface KeyIndex {
  readonly sorted: U64Keys | BytesKeys;
  /** Row of sorted key j; null when the identity. */
  readonly rows: Uint32Array | null;
  /** Bloom filter words. */
  readonly bloom: Uint32Array;
  /**
   * 0: a key's bloom block comes from its hash. > 0 ("u64" form with evenly spread keys): the
   * block is `floor(offset * bloomScale)`, so sorted keys and sorted probes touch neighbouring
   * blocks (sequential memory instead of one cache miss each), and keys outside [min, max] are
   * rejected without touching memory.
   */
  readonly bloomScale: number;
}

/** Bytes of a key index (for cacheBytesMax). */
export function keyIndexBytes(index: KeyIndex): number {
  const s = index.sorted;
  const keyBytes = s.form === "u64" ? s.words.byteLength + s.starts.byteLength : s.keys.bytes.byteLength + s.keys.offsets.byteLength;
  return keyBytes + (index.rows?.byteLength ?? 0) + index.bloom.byteLength;
}

const SIGN = 0x80000000;
/** Keys one position bloom block may take before the index falls back to hash blocks (about 4x the 25.6 average at 10 bits a key). */
const BLOOM_BLOCK_KEYS_MAX = 100;

/** Writes the u64 words of an integer lookup value (bigint or number) at `out[2i]`, `out[2i + 1]`. */
export function putU64Key(value: bigint | number, out: Uint32Array, i: number, scratch: BigInt64Array, scratchWords: Uint32Array): void {
  if (typeof value === "number") {
    out[2 * i] = (value ^ SIGN) >>> 0;
    out[2 * i + 1] = 0;
    return;
  }
  scratch[0] = value;
  out[2 * i] = scratchWords[0]!;
  out[2 * i + 1] = (scratchWords[1]! ^ SIGN) >>> 0;
}

/**
 * Distance of (hi, lo) above the smallest key as a double: exact below 2^53, and monotone in
 * the key always (one rounding of an exact value), which is all the segment table needs.
 */
function offsetOf(hi: number, lo: number, minHi: number, minLo: number): number {
  return (hi - minHi) * 4294967296 + (lo - minLo);
}

function segmentOf(offset: number, scale: number, segs: number): number {
  const s = Math.floor(offset * scale);
  return s < 0 ? 0 : s >= segs ? segs - 1 : s;
}

/** Builds the u64 form from one integer column; `kernel.sortU64` sorts unless the keys are already ascending. */
export function buildU64Index(column: LookupColumn, kernel: KeyKernel): KeyIndex {
  const n = column.length;
  const nulls = column.nulls;
  const ids: number[] | null = nulls === null ? null : [];
  if (ids !== null) for (let i = 0; i < n; i++) if (nulls![i] !== 1) ids.push(i);
  const count = ids === null ? n : ids.length;
  const words = new Uint32Array(count * 2);
  if (column.kind === "i64") {
    const src = new Uint32Array((column.data as BigInt64Array).buffer, (column.data as BigInt64Array).byteOffset, n * 2);
    for (let j = 0; j < count; j++) {
      const r = ids === null ? j : ids[j]!;
      words[2 * j] = src[2 * r]!;
      words[2 * j + 1] = (src[2 * r + 1]! ^ SIGN) >>> 0;
    }
  } else {
    const src = column.data as Int32Array;
    for (let j = 0; j < count; j++) words[2 * j] = (src[ids === null ? j : ids[j]!]! ^ SIGN) >>> 0;
  }
  let ascending = true;
  for (let j = 1; j < count && ascending; j++) {
    const h0 = words[2 * j - 1]!, h1 = words[2 * j + 1]!;
    if (h1 < h0 || (h1 === h0 && words[2 * j]! < words[2 * j - 2]!)) ascending = false;
  }
  let rows: Uint32Array | null = ids === null ? null : Uint32Array.from(ids);
  let sortedWords = words;
  if (!ascending) {
    const perm = kernel.sortU64(new BigUint64Array(words.buffer, 0, count));
    sortedWords = new Uint32Array(count * 2);
    const newRows = new Uint32Array(count);
    for (let j = 0; j < count; j++) {
      const p = perm[j]!;
      sortedWords[2 * j] = words[2 * p]!;
      sortedWords[2 * j + 1] = words[2 * p + 1]!;
      newRows[j] = rows === null ? p : rows[p]!;
    }
    rows = newRows;
  }
  const sorted = u64Segments(sortedWords, count);
  const blocks = bloomWordCount(count) >>> 3;
  // Position blocks only when no block gets far more keys than average (else hash blocks);
  // the kernel builds the filter (WASM, or its twin: same words).
  const built = buildBloomU64(kernel, sortedWords, count, {
    blocks, scale: sorted.range > 0 ? (blocks * (1 - 1e-12)) / sorted.range : 0, minHi: sorted.minHi, minLo: sorted.minLo,
    blockKeysMax: Math.max(BLOOM_BLOCK_KEYS_MAX, Math.ceil((4 * count) / blocks)),
  });
  const bloom = built.filter, bloomScale = built.scale;
  return { sorted, rows, bloom, bloomScale };
}

/** Adds the segment table to sorted u64 words. */
export function u64Segments(words: Uint32Array, count: number): U64Keys {
  const segs = Math.max(1, count >>> 2);
  const minHi = count === 0 ? 0 : words[1]!, minLo = count === 0 ? 0 : words[0]!;
  const range = count === 0 ? 0 : offsetOf(words[2 * count - 1]!, words[2 * count - 2]!, minHi, minLo);
  // Slightly below segs / range so the largest key still lands in the last segment.
  const scale = range > 0 ? (segs * (1 - 1e-12)) / range : 0;
  const starts = new Uint32Array(segs + 1);
  let s = 0;
  for (let j = 0; j < count; j++) {
    const seg = segmentOf(offsetOf(words[2 * j + 1]!, words[2 * j]!, minHi, minLo), scale, segs);
    while (s <= seg) starts[s++] = j;
  }
  while (s <= segs) starts[s++] = count;
  return { form: "u64", words, count, starts, minHi, minLo, range, scale };
}

/**
 * The position bloom block of key (hi, lo) (see KeyIndex.bloomScale), or -1 when the key lies
 * outside [min, max] and so is certainly absent.
 */
export function u64BloomBlock(keys: U64Keys, bloomScale: number, blocks: number, hi: number, lo: number): number {
  const offset = offsetOf(hi, lo, keys.minHi, keys.minLo);
  if (offset < 0 || offset > keys.range) return -1;
  const b = Math.floor(offset * bloomScale);
  return b >= blocks ? blocks - 1 : b;
}

/** Lower bound of the u64 key (hi, lo): the first sorted index whose key is >= it. */
export function lowerBoundU64Key(keys: U64Keys, hi: number, lo: number): number {
  const w = keys.words, segs = keys.starts.length - 1;
  const offset = offsetOf(hi, lo, keys.minHi, keys.minLo);
  if (keys.count === 0 || offset < 0) return 0;
  const s = segmentOf(offset, keys.scale, segs);
  let a = keys.starts[s]!, b = keys.starts[s + 1]!;
  while (a < b) {
    const m = (a + b) >>> 1;
    const mh = w[2 * m + 1]!;
    if (mh < hi || (mh === hi && w[2 * m]! < lo)) a = m + 1;
    else b = m;
  }
  return a;
}

/** True when sorted key j equals (hi, lo). */
export function u64KeyEquals(keys: U64Keys, j: number, hi: number, lo: number): boolean {
  return j < keys.count && keys.words[2 * j + 1] === hi && keys.words[2 * j] === lo;
}

/** Builds the bytes form from the lookup key columns (values per row via `valueAt`). */
export function buildBytesIndex(types: readonly DataType[], rowCount: number, valuesOf: (row: number, out: Value[]) => boolean, kernel: KeyKernel): KeyIndex {
  const codec = createKeyCodec(types);
  const parts: Uint8Array[] = [];
  const ids: number[] = [];
  const scratch: Value[] = new Array(types.length);
  let total = 0;
  for (let i = 0; i < rowCount; i++) {
    if (!valuesOf(i, scratch)) continue;
    const part = codec.encodeKeyPart(scratch);
    parts.push(part);
    ids.push(i);
    total += part.length;
  }
  const count = ids.length;
  const bytes = new Uint8Array(total), offsets = new Uint32Array(count + 1);
  for (let j = 0; j < count; j++) { bytes.set(parts[j]!, offsets[j]!); offsets[j + 1] = offsets[j]! + parts[j]!.length; }
  const perm = kernel.sortKeys({ bytes, offsets });
  const sortedBytes = new Uint8Array(total), sortedOffsets = new Uint32Array(count + 1);
  const rows = new Uint32Array(count);
  for (let j = 0; j < count; j++) {
    const p = perm[j]!, part = parts[p]!;
    sortedBytes.set(part, sortedOffsets[j]!);
    sortedOffsets[j + 1] = sortedOffsets[j]! + part.length;
    rows[j] = ids[p]!;
  }
  const bloom = new Uint32Array(bloomWordCount(count));
  const pair = new Uint32Array(2);
  for (let j = 0; j < count; j++) {
    hashBytesPair(sortedBytes, sortedOffsets[j]!, sortedOffsets[j + 1]!, pair, 0);
    bloomInsert(bloom, pair[0]!, pair[1]!);
  }
  return { sorted: { form: "bytes", keys: { bytes: sortedBytes, offsets: sortedOffsets }, count }, rows, bloom, bloomScale: 0 };
}

/** memcmp of sorted key j with probe bytes [ps, pe) of `pb`. */
export function compareBytesKey(keys: BytesKeys, j: number, pb: Uint8Array, ps: number, pe: number): number {
  const tb = keys.keys.bytes, to = keys.keys.offsets;
  let p = to[j]!;
  const tl = to[j + 1]! - p, ql = pe - ps;
  const end = p + (tl < ql ? tl : ql);
  for (let q = ps; p < end; p++, q++) {
    const d = tb[p]! - pb[q]!;
    if (d !== 0) return d;
  }
  return tl - ql;
}

/** Lower bound of one probe (bytes [ps, pe) of `pb`) by binary search. */
export function lowerBoundBytesKey(keys: BytesKeys, pb: Uint8Array, ps: number, pe: number): number {
  let a = 0, b = keys.count;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (compareBytesKey(keys, m, pb, ps, pe) < 0) a = m + 1;
    else b = m;
  }
  return a;
}
