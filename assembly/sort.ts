/**
 * Stable sort of variable-length byte keys (and of u64 keys) returning a permutation.
 *
 * Algorithm: every key's first 4 bytes become a big-endian u32 chunk (zero-padded), packed with
 * its row as the word `(chunk << 32) | row` and radix sorted on the chunk (radix.ts). Runs of
 * equal chunks are then resolved depth by depth: a key that ends within the chunk ranks by its
 * length (a proper prefix sorts first; equal lengths mean equal keys); keys that continue get
 * their next 4-byte chunk and are radix sorted again, so a shared prefix costs one pass per 4
 * bytes. Runs of at most INSERTION_ROWS_MAX rows finish with insertion sort on the remaining
 * bytes, in batches whose keys are touched first so their cache misses overlap. Pending work lives on an explicit stack in REGION_U8 (disjoint ranges of more than
 * INSERTION_ROWS_MAX rows: at most rows / 17 + 1 entries of 12 bytes), never on the call stack.
 * u64 keys: radix on the high 32 bits, then runs of equal high halves on the low 32 bits.
 *
 * Contract: the permutation goes to the `out` array; order is unsigned memcmp order of the keys,
 * then input order. Returns -1 when offsets decrease (nothing else is checked).
 *
 * Imports: abi.ts (regions), compare.ts, radix.ts.
 */

import {
  regionOffset, REGION_KEYS_A, REGION_OFFS_A, REGION_U64_A, REGION_U64_B, REGION_U32_A, REGION_U8,
} from "./abi";
import { compareBytes } from "./compare";
import { clearTopCounts, countTop, sortWords, wantsTopCounts } from "./radix";

/** Runs of equal chunks up to this many rows are finished by insertion sort. */
const INSERTION_ROWS_MAX: u32 = 16;
/** Small runs batched per touch pass (enough misses in flight to fill the memory pipeline). */
const PENDING_RUNS_MAX: u32 = 32;
/** Six rank counters (rank = bytes left at the depth, capped at 5 = continues). */
const RANKS: usize = memory.data(6 * 4, 16);

/** Bytes [p, p + rem) as a big-endian u32, zero-padded when rem < 4 (rem may be <= 0). */
// @ts-ignore: decorator
@inline function chunk4(p: usize, rem: i32): u32 {
  if (rem >= 4) return bswap<u32>(load<u32>(p));
  let v: u32 = 0;
  for (let i = 0; i < 4; i++) v = (v << 8) | (i < rem ? <u32>load<u8>(p + <usize>i) : 0);
  return v;
}

// @ts-ignore: decorator
@inline function upper(w: usize, i: u32): u32 {
  return <u32>(load<u64>(w + (<usize>i << 3)) >> 32);
}

// @ts-ignore: decorator
@inline function keyLen(offs: usize, x: u32): u32 {
  return load<u32>(offs + (<usize>x << 2), 4) - load<u32>(offs + (<usize>x << 2));
}

/** Sorts the n keys in KEYS_A/OFFS_A; permutation to U32_A. 0, or -1 on decreasing offsets. */
export function sortKeys(n: u32): i32 {
  const offs = regionOffset(REGION_OFFS_A);
  const base = regionOffset(REGION_KEYS_A) - <usize>load<u32>(offs);
  return sortByteKeys(
    offs, base, regionOffset(REGION_U64_A), regionOffset(REGION_U64_B), regionOffset(REGION_U32_A),
    regionOffset(REGION_U8), n,
  );
}

/** Sorts the n u64 keys in KEYS_A; permutation to U32_A. */
export function sortU64(n: u32): i32 {
  sortU64Core(
    regionOffset(REGION_KEYS_A), regionOffset(REGION_U64_A), regionOffset(REGION_U64_B),
    regionOffset(REGION_U32_A), n,
  );
  return 0;
}

/** Writes out[i] = row of sorted word i. */
function extractRows(w: usize, out: usize, n: u32): void {
  for (let i: usize = 0; i < <usize>n; i++) store<u32>(out + (i << 2), <u32>load<u64>(w + (i << 3)));
}

/**
 * Stable sort of n byte keys (key i = bytes [base + offs[i], base + offs[i + 1])): words w and
 * scratch s (n u64 each), permutation to out, stack of n + 16 bytes.
 */
export function sortByteKeys(offs: usize, base: usize, w: usize, s: usize, out: usize, stack: usize, n: u32): i32 {
  if (n == 0) return 0;
  let off = load<u32>(offs);
  let bad: u32 = 0;
  let diff: u32 = 0;
  const first = chunk4(base + <usize>off, <i32>(load<u32>(offs, 4) - off));
  const count = wantsTopCounts(n);
  if (count) clearTopCounts();
  for (let i: usize = 0; i < <usize>n; i++) {
    const next = load<u32>(offs + ((i + 1) << 2));
    bad |= <u32>(next < off);
    const c = chunk4(base + <usize>off, <i32>(next - off));
    store<u64>(w + (i << 3), (<u64>c << 32) | <u64>i);
    diff |= c ^ first;
    if (count) countTop(c);
    off = next;
  }
  if (bad != 0) return -1;
  sortWords(w, s, n, diff, count);
  let sp = stack;
  store<u32>(sp, 0);
  store<u32>(sp, n, 4);
  store<u32>(sp, 0, 8);
  sp += 12;
  while (sp > stack) {
    sp -= 12;
    sp = scanLevel(offs, base, w, s, sp, load<u32>(sp), load<u32>(sp, 4), load<u32>(sp, 8));
  }
  extractRows(w, out, n);
  return 0;
}

/** Small runs waiting for their keys to be touched: (start, rows) pairs. */
const PENDING: usize = memory.data(PENDING_RUNS_MAX * 8, 16);
/** Sink for the touch loads, so they are not optimised away. */
let touchSink: u32 = 0;

/**
 * Resolves every run of equal chunks in [start, start + m) at depth d; returns sp. Small runs
 * are batched: one loop first touches all their keys (independent loads, so cache misses
 * overlap instead of queueing behind each comparison), then each is insertion sorted.
 */
function scanLevel(offs: usize, base: usize, w: usize, s: usize, sp: usize, start: u32, m: u32, d: u32): usize {
  const end = start + m;
  let pending: u32 = 0;
  let i = start;
  while (i < end) {
    const c = upper(w, i);
    let j = i + 1;
    while (j < end && upper(w, j) == c) j++;
    const r = j - i;
    if (r > INSERTION_ROWS_MAX) {
      sp = resolveRun(offs, base, w, s, sp, i, r, d);
    } else if (r >= 2) {
      store<u32>(PENDING + (<usize>pending << 3), i);
      store<u32>(PENDING + (<usize>pending << 3), r, 4);
      if (++pending == PENDING_RUNS_MAX) {
        flushPending(offs, base, w, pending, d);
        pending = 0;
      }
    }
    i = j;
  }
  flushPending(offs, base, w, pending, d);
  return sp;
}

function flushPending(offs: usize, base: usize, w: usize, pending: u32, d: u32): void {
  let sink = touchSink;
  for (let k: usize = 0; k < <usize>pending; k++) {
    const i = load<u32>(PENDING + (k << 3)), r = load<u32>(PENDING + (k << 3), 4);
    for (let t = i; t < i + r; t++) {
      const x = <usize><u32>load<u64>(w + (<usize>t << 3));
      sink ^= load<u8>(base + <usize>load<u32>(offs + (x << 2)) + <usize>d);
    }
  }
  touchSink = sink;
  for (let k: usize = 0; k < <usize>pending; k++) {
    insertionSort(offs, base, w, load<u32>(PENDING + (k << 3)), load<u32>(PENDING + (k << 3), 4), d);
  }
}

/** Orders run [i, i + r) whose chunks at depth d are equal; may push one range; returns sp. */
function resolveRun(offs: usize, base: usize, w: usize, s: usize, sp: usize, i: u32, r: u32, d: u32): usize {
  if (r <= INSERTION_ROWS_MAX) {
    insertionSort(offs, base, w, i, r, d);
    return sp;
  }
  memory.fill(RANKS, 0, 24);
  for (let t = i; t < i + r; t++) {
    const rank = min(keyLen(offs, <u32>load<u64>(w + (<usize>t << 3))) - d, 5);
    store<u32>(RANKS + (<usize>rank << 2), load<u32>(RANKS + (<usize>rank << 2)) + 1);
  }
  const q = load<u32>(RANKS + 20);
  if (q != r) {
    // Stable counting partition by rank into scratch, then back.
    let sum: u32 = 0;
    for (let k: usize = 0; k < 6; k++) {
      const cnt = load<u32>(RANKS + (k << 2));
      if (cnt == r) return sp; // every key ends here with the same length: all equal
      store<u32>(RANKS + (k << 2), sum);
      sum += cnt;
    }
    for (let t = i; t < i + r; t++) {
      const x = load<u64>(w + (<usize>t << 3));
      const slot = RANKS + (<usize>min(keyLen(offs, <u32>x) - d, 5) << 2);
      const pos = load<u32>(slot);
      store<u32>(slot, pos + 1);
      store<u64>(s + (<usize>(i + pos) << 3), x);
    }
    memory.copy(w + (<usize>i << 3), s + (<usize>i << 3), <usize>r << 3);
  }
  if (q < 2) return sp;
  const t0 = i + r - q;
  const d2 = d + 4;
  if (q <= INSERTION_ROWS_MAX) {
    insertionSort(offs, base, w, t0, q, d2);
    return sp;
  }
  let diff: u32 = 0;
  let first: u32 = 0;
  for (let t = t0; t < t0 + q; t++) {
    const at = w + (<usize>t << 3);
    const x = <u32>load<u64>(at);
    const off = load<u32>(offs + (<usize>x << 2));
    const c = chunk4(base + <usize>off + <usize>d2, <i32>(keyLen(offs, x) - d2));
    if (t == t0) first = c;
    diff |= c ^ first;
    store<u64>(at, (<u64>c << 32) | <u64>x);
  }
  sortWords(w + (<usize>t0 << 3), s + (<usize>t0 << 3), q, diff);
  store<u32>(sp, t0);
  store<u32>(sp, q, 4);
  store<u32>(sp, d2, 8);
  return sp + 12;
}

/** Stable insertion sort of words [s, s + m) by key bytes from depth d on (all keys have >= d). */
function insertionSort(offs: usize, base: usize, w: usize, s: u32, m: u32, d: u32): void {
  for (let a = s + 1; a < s + m; a++) {
    const xw = load<u64>(w + (<usize>a << 3));
    const x = <u32>xw;
    const xp = base + <usize>load<u32>(offs + (<usize>x << 2)) + <usize>d;
    const xl = keyLen(offs, x) - d;
    let j = a;
    while (j > s) {
      const yw = load<u64>(w + (<usize>(j - 1) << 3));
      const y = <u32>yw;
      const yp = base + <usize>load<u32>(offs + (<usize>y << 2)) + <usize>d;
      if (compareBytes(yp, keyLen(offs, y) - d, xp, xl) <= 0) break;
      store<u64>(w + (<usize>j << 3), yw);
      j--;
    }
    store<u64>(w + (<usize>j << 3), xw);
  }
}

/**
 * Stable sort of the n u64 values at v: words w and scratch s (n u64 each), permutation to out.
 * High halves first; runs of equal high halves are sorted on their low halves.
 */
export function sortU64Core(v: usize, w: usize, s: usize, out: usize, n: u32): void {
  if (n == 0) return;
  const first = <u32>(load<u64>(v) >> 32);
  let diff: u32 = 0;
  const count = wantsTopCounts(n);
  if (count) clearTopCounts();
  for (let i: usize = 0; i < <usize>n; i++) {
    const hi = <u32>(load<u64>(v + (i << 3)) >> 32);
    store<u64>(w + (i << 3), (<u64>hi << 32) | <u64>i);
    diff |= hi ^ first;
    if (count) countTop(hi);
  }
  sortWords(w, s, n, diff, count);
  let i: u32 = 0;
  while (i < n) {
    const c = upper(w, i);
    let j = i + 1;
    while (j < n && upper(w, j) == c) j++;
    if (j - i >= 2) sortRunByLow(v, w, s, i, j - i);
    i = j;
  }
  extractRows(w, out, n);
}

/** Sorts words [i, i + r) (equal high halves) by the low halves of their values, stable. */
function sortRunByLow(v: usize, w: usize, s: usize, i: u32, r: u32): void {
  if (r <= INSERTION_ROWS_MAX) {
    for (let a = i + 1; a < i + r; a++) {
      const xw = load<u64>(w + (<usize>a << 3));
      const xl = <u32>load<u64>(v + (<usize>(<u32>xw) << 3));
      let j = a;
      while (j > i) {
        const yw = load<u64>(w + (<usize>(j - 1) << 3));
        if (<u32>load<u64>(v + (<usize>(<u32>yw) << 3)) <= xl) break;
        store<u64>(w + (<usize>j << 3), yw);
        j--;
      }
      store<u64>(w + (<usize>j << 3), xw);
    }
    return;
  }
  let diff: u32 = 0;
  const first = <u32>load<u64>(v + (<usize>(<u32>load<u64>(w + (<usize>i << 3))) << 3));
  for (let t = i; t < i + r; t++) {
    const at = w + (<usize>t << 3);
    const x = <u32>load<u64>(at);
    const lo = <u32>load<u64>(v + (<usize>x << 3));
    diff |= lo ^ first;
    store<u64>(at, (<u64>lo << 32) | <u64>x);
  }
  sortWords(w + (<usize>i << 3), s + (<usize>i << 3), r, diff);
}
