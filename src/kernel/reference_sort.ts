/**
 * Twin of assembly/radix.ts + assembly/sort.ts: stable radix sort of byte keys and u64 keys
 * returning a permutation, in plain TypeScript.
 *
 * Algorithm (same as the kernel): each key's first 4 bytes form a big-endian u32 chunk; (chunk,
 * row) pairs, held in two parallel Uint32Arrays, are radix sorted on byte digits, skipping
 * digits every key shares, with one MSD pass first for large inputs. Runs of equal chunks are
 * resolved depth by depth: keys ending inside the chunk rank by length, keys that continue get
 * their next chunk and are radix sorted again; runs of <= 16 rows finish with insertion sort,
 * batched so their keys are touched first. u64 keys: high halves, then low halves per run.
 *
 * Contract: returns the permutation; equal keys keep input order. Inputs are not modified.
 * Module-level histograms are reused across calls (JS runs one call at a time; no re-entry).
 *
 * Imports: reference.ts (types only). Mirrors no Java class.
 */

import type { ByteKeys } from "./reference.ts";

const HIST = new Uint32Array(4 * 256);
const BUCKETS = new Uint32Array(257);
const RANKS = new Uint32Array(6);
const MSD_ROWS_MIN = 1 << 14;
const INSERTION_ROWS_MAX = 16;
const PENDING_RUNS_MAX = 32;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** (key, row) pairs plus scratch of the same length. */
interface Words {
  key: Uint32Array<ArrayBuffer>; row: Uint32Array<ArrayBuffer>;
  key2: Uint32Array<ArrayBuffer>; row2: Uint32Array<ArrayBuffer>;
}

function makeWords(n: number): Words {
  return { key: new Uint32Array(n), row: new Uint32Array(n), key2: new Uint32Array(n), row2: new Uint32Array(n) };
}

/** LSD radix of [s, s + m) from (key, row) into (key2, row2) and back; true if it ended in the latter. */
function lsd8(key: Uint32Array, row: Uint32Array, key2: Uint32Array, row2: Uint32Array, s: number, m: number): boolean {
  if (m < 2) return false;
  const H = HIST;
  H.fill(0);
  const e = s + m;
  for (let i = s; i < e; i++) {
    const k = key[i]!;
    H[k & 255]!++; H[256 + ((k >>> 8) & 255)]!++; H[512 + ((k >>> 16) & 255)]!++; H[768 + (k >>> 24)]!++;
  }
  const first = key[s]!;
  let sk = key, sr = row, dk = key2, dr = row2;
  let flipped = false;
  for (let d = 0; d < 4; d++) {
    const base = d << 8, shift = d << 3;
    if (H[base + ((first >>> shift) & 255)] === m) continue;
    let sum = s;
    for (let c = base; c < base + 256; c++) { const t = H[c]!; H[c] = sum; sum += t; }
    for (let i = s; i < e; i++) {
      const k = sk[i]!;
      const pos = H[base + ((k >>> shift) & 255)]!++;
      dk[pos] = k; dr[pos] = sr[i]!;
    }
    let t = sk; sk = dk; dk = t;
    t = sr; sr = dr; dr = t;
    flipped = !flipped;
  }
  return flipped;
}

function copyBack(w: Words, s: number, m: number): void {
  w.key.set(w.key2.subarray(s, s + m), s);
  w.row.set(w.row2.subarray(s, s + m), s);
}

/** Sorts [s, s + m) by key, stable, result in (key, row); diff = OR of (key XOR first key). */
function sortRange(w: Words, s: number, m: number, diff: number): void {
  if (m < 2 || diff === 0) return;
  if (m < MSD_ROWS_MIN) {
    if (lsd8(w.key, w.row, w.key2, w.row2, s, m)) copyBack(w, s, m);
    return;
  }
  const shift = ((31 - Math.clz32(diff)) >> 3) << 3;
  const { key, row, key2, row2 } = w;
  const B = BUCKETS;
  B.fill(0);
  for (let i = s; i < s + m; i++) B[1 + ((key[i]! >>> shift) & 255)]!++;
  B[0] = s;
  for (let c = 1; c <= 256; c++) B[c] = B[c]! + B[c - 1]!;
  for (let i = s; i < s + m; i++) {
    const k = key[i]!;
    const pos = B[(k >>> shift) & 255]!++;
    key2[pos] = k; row2[pos] = row[i]!;
  }
  let start = s;
  for (let c = 0; c < 256; c++) {
    const end = B[c]!;
    if (end > start && !lsd8(key2, row2, key, row, start, end - start)) copyBack(w, start, end - start);
    start = end;
  }
}

/** Bytes [p, p + rem) of b as a big-endian u32, zero-padded (rem may be <= 0). */
function chunk4(b: Uint8Array, p: number, rem: number): number {
  if (rem >= 4) return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  let v = 0;
  for (let j = 0; j < 4; j++) v = (v << 8) | (j < rem ? b[p + j]! : 0);
  return v >>> 0;
}

/** memcmp of keys x and y of (b, o) from depth d on. */
function compareFrom(b: Uint8Array, o: Uint32Array, x: number, y: number, d: number): number {
  let p = o[x]! + d, q = o[y]! + d;
  const lx = o[x + 1]! - p, ly = o[y + 1]! - q;
  const end = p + (lx < ly ? lx : ly);
  for (; p < end; p++, q++) {
    const c = b[p]! - b[q]!;
    if (c !== 0) return c;
  }
  return lx - ly;
}

function insertionSort(b: Uint8Array, o: Uint32Array, row: Uint32Array, s: number, m: number, d: number): void {
  for (let a = s + 1; a < s + m; a++) {
    const x = row[a]!;
    let j = a;
    while (j > s && compareFrom(b, o, row[j - 1]!, x, d) > 0) { row[j] = row[j - 1]!; j--; }
    row[j] = x;
  }
}

/** Orders run [i, i + r) of equal chunks at depth d; pushes a range to resolve at d + 4, if any. */
function resolveRun(b: Uint8Array, o: Uint32Array, w: Words, stack: number[], i: number, r: number, d: number): void {
  const { key, row, row2 } = w;
  RANKS.fill(0);
  for (let u = i; u < i + r; u++) { const x = row[u]!; RANKS[Math.min(o[x + 1]! - o[x]! - d, 5)]!++; }
  const q = RANKS[5]!;
  if (q !== r) {
    let sum = 0;
    for (let k = 0; k < 6; k++) {
      const cnt = RANKS[k]!;
      if (cnt === r) return; // all keys end here with one length: all equal
      RANKS[k] = sum; sum += cnt;
    }
    for (let u = i; u < i + r; u++) { const x = row[u]!; row2[i + RANKS[Math.min(o[x + 1]! - o[x]! - d, 5)]!++] = x; }
    row.set(row2.subarray(i, i + r), i);
  }
  if (q < 2) return;
  const t0 = i + r - q, d2 = d + 4;
  if (q <= INSERTION_ROWS_MAX) { insertionSort(b, o, row, t0, q, d2); return; }
  let diff = 0;
  for (let u = t0; u < t0 + q; u++) {
    const x = row[u]!, p = o[x]! + d2;
    key[u] = chunk4(b, p, o[x + 1]! - p);
    diff |= key[u]! ^ key[t0]!;
  }
  sortRange(w, t0, q, diff);
  stack.push(t0, q, d2);
}

/** Resolves every run of equal chunks in [start, start + m) at depth d (small runs batched). */
function scanLevel(b: Uint8Array, o: Uint32Array, w: Words, stack: number[], start: number, m: number, d: number): void {
  const { key, row } = w;
  const pending: number[] = [];
  const flush = () => {
    let sink = 0;
    for (let k = 0; k < pending.length; k += 2) {
      for (let t = pending[k]!; t < pending[k]! + pending[k + 1]!; t++) sink ^= b[o[row[t]!]! + d] ?? 0;
    }
    for (let k = 0; k < pending.length; k += 2) insertionSort(b, o, row, pending[k]!, pending[k + 1]!, d);
    pending.length = 0;
    return sink;
  };
  for (let i = start; i < start + m;) {
    const c = key[i]!;
    let j = i + 1;
    while (j < start + m && key[j] === c) j++;
    if (j - i > INSERTION_ROWS_MAX) resolveRun(b, o, w, stack, i, j - i, d);
    else if (j - i >= 2) {
      pending.push(i, j - i);
      if (pending.length === 2 * PENDING_RUNS_MAX) flush();
    }
    i = j;
  }
  flush();
}

/** Stable sorting permutation of byte keys. Requires: valid offsets (checked by the caller). */
export function sortByteKeysTwin(keys: ByteKeys): Uint32Array<ArrayBuffer> {
  const o = keys.offsets, b = keys.bytes, n = o.length - 1;
  const w = makeWords(n);
  if (n === 0) return w.row;
  let diff = 0;
  const first = chunk4(b, o[0]!, o[1]! - o[0]!);
  for (let i = 0; i < n; i++) {
    const c = chunk4(b, o[i]!, o[i + 1]! - o[i]!);
    w.key[i] = c; w.row[i] = i;
    diff |= c ^ first;
  }
  sortRange(w, 0, n, diff);
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const d = stack.pop()!, m = stack.pop()!, s = stack.pop()!;
    scanLevel(b, o, w, stack, s, m, d);
  }
  return w.row;
}

/** Stable sorting permutation of unsigned 64-bit keys: high halves, then low halves per run. */
export function sortU64Twin(values: BigUint64Array): Uint32Array<ArrayBuffer> {
  const n = values.length;
  const w = makeWords(n);
  if (n === 0) return w.row;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const lw = LITTLE_ENDIAN ? 0 : 1, hw = 1 - lw;
  let diff = 0;
  for (let i = 0; i < n; i++) { w.key[i] = words[2 * i + hw]!; w.row[i] = i; diff |= w.key[i]! ^ w.key[0]!; }
  sortRange(w, 0, n, diff);
  const { key, row } = w;
  for (let i = 0; i < n;) {
    const c = key[i]!;
    let j = i + 1;
    while (j < n && key[j] === c) j++;
    const r = j - i;
    if (r > INSERTION_ROWS_MAX) {
      let d = 0;
      for (let u = i; u < j; u++) { key[u] = words[2 * row[u]! + lw]!; d |= key[u]! ^ key[i]!; }
      sortRange(w, i, r, d);
    } else if (r >= 2) {
      for (let a = i + 1; a < j; a++) {
        const x = row[a]!, xl = words[2 * x + lw]!;
        let t = a;
        while (t > i && words[2 * row[t - 1]! + lw]! > xl) { row[t] = row[t - 1]!; t--; }
        row[t] = x;
      }
    }
    i = j;
  }
  return row;
}

/** A Uint32Array view of u64 `values` and the word index (0 or 1) of each value's high and low half. */
export function u64Words(values: BigUint64Array): { words: Uint32Array; hw: number; lw: number } {
  const lw = LITTLE_ENDIAN ? 0 : 1;
  return { words: new Uint32Array(values.buffer, values.byteOffset, values.length * 2), hw: 1 - lw, lw };
}
