/**
 * Batched lower-bound search of probe keys in a sorted key array (byte keys and u64 keys).
 *
 * Algorithm: the probes are sorted first (sort.ts / radix.ts), then visited in ascending order,
 * each one galloping forward from the previous probe's answer (exponential then binary search).
 * Neighbouring probes therefore touch neighbouring table rows, which keeps the table walk in
 * cache instead of paying one cache miss per binary-search step per probe. Sorted order is
 * random order in the probe arrays, so each batch of probes is first touched in one loop of
 * independent loads (their misses overlap), and the results' lines with them.
 *
 * Contract: for probe q, U32_A[q] = the first table index whose key is >= probe q (n when none)
 * and U8[q] = 1 when that key equals the probe. Byte keys: table in KEYS_A/OFFS_A, probes in
 * KEYS_B/OFFS_B. u64 keys: table in KEYS_A and probes in KEYS_B, as little-endian u64.
 * Returns 0, -1 when table offsets decrease, -2 when probe offsets decrease.
 *
 * Requires: the table sorted ascending (memcmp / unsigned). Not checked.
 *
 * Imports: abi.ts, compare.ts, sort.ts.
 */

import {
  regionOffset, REGION_KEYS_A, REGION_OFFS_A, REGION_KEYS_B, REGION_OFFS_B, REGION_U64_A,
  REGION_U64_B, REGION_U32_A, REGION_U32_B, REGION_U8,
} from "./abi";
import { chunkAt, compareAfterEqualChunk, equalBytes } from "./compare";
import { sortByteKeys, sortU64Core } from "./sort";

/** Probes touched per batch before galloping (a power of two). */
const TOUCH_BATCH: usize = 64;
/** Sink for the touch loads, so they are not optimised away. */
let touchSink: u32 = 0;
let tOffs: usize = 0;
let tBase: usize = 0;
let qPtr: usize = 0;
let qLen: u32 = 0;
let qChunk: u64 = 0;

/** Compares table key i with the current probe. */
function cmpRow(i: u32): i32 {
  const off = load<u32>(tOffs + (<usize>i << 2));
  const len = load<u32>(tOffs + (<usize>i << 2), 4) - off;
  const ptr = tBase + <usize>off;
  const c = chunkAt(ptr, <i32>len);
  if (c != qChunk) return c < qChunk ? -1 : 1;
  return compareAfterEqualChunk(ptr, len, qPtr, qLen);
}

/** First index in [lo, n] whose key is >= the current probe; all keys before lo are smaller. */
function gallopBytes(lo: u32, n: u32): u32 {
  if (lo >= n || cmpRow(lo) >= 0) return lo;
  let step: u32 = 1;
  let hi = lo + 1;
  while (hi < n && cmpRow(hi) < 0) {
    lo = hi;
    step <<= 1;
    hi = n - lo > step ? lo + step : n;
  }
  while (hi - lo > 1) {
    const mid = lo + ((hi - lo) >> 1);
    if (cmpRow(mid) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Lower bounds of the p probes in the n-key table; see the file contract. */
export function lowerBound(n: u32, p: u32): i32 {
  tOffs = regionOffset(REGION_OFFS_A);
  tBase = regionOffset(REGION_KEYS_A) - <usize>load<u32>(tOffs);
  for (let i: usize = 0; i < <usize>n; i++) {
    if (load<u32>(tOffs + (i << 2), 4) < load<u32>(tOffs + (i << 2))) return -1;
  }
  const pOffs = regionOffset(REGION_OFFS_B);
  const pBase = regionOffset(REGION_KEYS_B) - <usize>load<u32>(pOffs);
  const order = regionOffset(REGION_U32_B);
  const rc = sortByteKeys(
    pOffs, pBase, regionOffset(REGION_U64_A), regionOffset(REGION_U64_B), order,
    regionOffset(REGION_U8), p,
  );
  if (rc < 0) return -2;
  const outIdx = regionOffset(REGION_U32_A);
  const outFound = regionOffset(REGION_U8);
  let lb: u32 = 0;
  let sink: u32 = 0;
  for (let j: usize = 0; j < <usize>p; j++) {
    if ((j & (TOUCH_BATCH - 1)) == 0) {
      // Probes are visited in sorted order, i.e. at random places in memory: load the next
      // batch's keys in one loop of independent loads so their cache misses overlap.
      const end = min(j + TOUCH_BATCH, <usize>p);
      for (let t = j; t < end; t++) {
        const x = <usize>load<u32>(order + (t << 2));
        sink ^= load<u8>(pBase + <usize>load<u32>(pOffs + (x << 2)));
        store<u8>(outFound + x, 0);
        store<u32>(outIdx + (x << 2), 0);
      }
    }
    const q = <usize>load<u32>(order + (j << 2));
    const off = load<u32>(pOffs + (q << 2));
    qLen = load<u32>(pOffs + (q << 2), 4) - off;
    qPtr = pBase + <usize>off;
    qChunk = chunkAt(qPtr, <i32>qLen);
    lb = gallopBytes(lb, n);
    let found = false;
    if (lb < n) {
      const to = load<u32>(tOffs + (<usize>lb << 2));
      const tl = load<u32>(tOffs + (<usize>lb << 2), 4) - to;
      found = tl == qLen && equalBytes(tBase + <usize>to, qPtr, qLen);
    }
    store<u32>(outIdx + (q << 2), lb);
    store<u8>(outFound + q, found ? 1 : 0);
  }
  touchSink = sink;
  return 0;
}

/** First index in [lo, n] of table t whose value is >= v; all values before lo are smaller. */
function gallopU64(t: usize, lo: u32, n: u32, v: u64): u32 {
  if (lo >= n || load<u64>(t + (<usize>lo << 3)) >= v) return lo;
  let step: u32 = 1;
  let hi = lo + 1;
  while (hi < n && load<u64>(t + (<usize>hi << 3)) < v) {
    lo = hi;
    step <<= 1;
    hi = n - lo > step ? lo + step : n;
  }
  while (hi - lo > 1) {
    const mid = lo + ((hi - lo) >> 1);
    if (load<u64>(t + (<usize>mid << 3)) < v) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Lower bounds of the p u64 probes (KEYS_B) in the n u64 table (KEYS_A). */
export function lowerBoundU64(n: u32, p: u32): i32 {
  const t = regionOffset(REGION_KEYS_A);
  const probes = regionOffset(REGION_KEYS_B);
  const order = regionOffset(REGION_U32_B);
  sortU64Core(probes, regionOffset(REGION_U64_A), regionOffset(REGION_U64_B), order, p);
  const outIdx = regionOffset(REGION_U32_A);
  const outFound = regionOffset(REGION_U8);
  let lb: u32 = 0;
  let sink: u64 = 0;
  for (let j: usize = 0; j < <usize>p; j++) {
    if ((j & (TOUCH_BATCH - 1)) == 0) {
      const end = min(j + TOUCH_BATCH, <usize>p);
      for (let t = j; t < end; t++) {
        const x = <usize>load<u32>(order + (t << 2));
        sink ^= load<u64>(probes + (x << 3));
        store<u8>(outFound + x, 0);
        store<u32>(outIdx + (x << 2), 0);
      }
    }
    const q = <usize>load<u32>(order + (j << 2));
    const v = load<u64>(probes + (q << 3));
    lb = gallopU64(t, lb, n, v);
    store<u32>(outIdx + (q << 2), lb);
    store<u8>(outFound + q, lb < n && load<u64>(t + (<usize>lb << 3)) == v ? 1 : 0);
  }
  touchSink = <u32>sink;
  return 0;
}
