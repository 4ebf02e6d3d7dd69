/**
 * Twin of assembly/search.ts: batched lower-bound search of byte keys and u64 keys, in plain
 * TypeScript.
 *
 * Algorithm (same as the kernel): sort the probes (reference_sort.ts), visit them in ascending
 * order, and gallop forward from the previous probe's answer (exponential, then binary search),
 * so consecutive probes touch neighbouring table rows instead of each paying a full binary
 * search of cache misses.
 *
 * Contract: index[q] = first table index whose key is >= probe q (table length if none);
 * found[q] = 1 when that key equals probe q. Requires: table ascending, offsets valid (the
 * caller checks offsets).
 *
 * Imports: reference.ts (types only), reference_sort.ts. Mirrors no Java class.
 */

import type { ByteKeys, SearchResult } from "./reference.ts";
import { sortByteKeysTwin, sortU64Twin, u64Words } from "./reference_sort.ts";

/** memcmp of table key i with the probe bytes [qs, qs + ql) of pb. */
function cmpRow(tb: Uint8Array, to: Uint32Array, i: number, pb: Uint8Array, qs: number, ql: number): number {
  let p = to[i]!;
  const tl = to[i + 1]! - p;
  const end = p + (tl < ql ? tl : ql);
  for (let q = qs; p < end; p++, q++) {
    const d = tb[p]! - pb[q]!;
    if (d !== 0) return d;
  }
  return tl - ql;
}

/** Lower bound of every probe in the sorted byte-key table. */
export function lowerBoundBytesTwin(table: ByteKeys, probes: ByteKeys): SearchResult {
  const order = sortByteKeysTwin(probes);
  const n = table.offsets.length - 1, p = probes.offsets.length - 1;
  const index = new Uint32Array(p), found = new Uint8Array(p);
  const tb = table.bytes, to = table.offsets, pb = probes.bytes, po = probes.offsets;
  let lb = 0;
  for (let j = 0; j < p; j++) {
    const q = order[j]!, qs = po[q]!, ql = po[q + 1]! - qs;
    let lo = lb;
    if (lo < n && cmpRow(tb, to, lo, pb, qs, ql) < 0) {
      let step = 1, hi = lo + 1;
      while (hi < n && cmpRow(tb, to, hi, pb, qs, ql) < 0) {
        lo = hi;
        step *= 2;
        hi = n - lo > step ? lo + step : n;
      }
      while (hi - lo > 1) {
        const mid = lo + ((hi - lo) >>> 1);
        if (cmpRow(tb, to, mid, pb, qs, ql) < 0) lo = mid;
        else hi = mid;
      }
      lo = hi;
    }
    lb = lo;
    index[q] = lb;
    found[q] = lb < n && cmpRow(tb, to, lb, pb, qs, ql) === 0 ? 1 : 0;
  }
  return { index, found };
}

/** Lower bound of every u64 probe in the sorted u64 table. */
export function lowerBoundU64Twin(table: BigUint64Array, probes: BigUint64Array): SearchResult {
  const n = table.length, p = probes.length;
  const order = sortU64Twin(probes);
  const { words: pw } = u64Words(probes);
  const { words: w, hw, lw } = u64Words(table);
  const index = new Uint32Array(p), found = new Uint8Array(p);
  let lb = 0;
  for (let j = 0; j < p; j++) {
    const q = order[j]!, h = pw[2 * q + hw]!, l = pw[2 * q + lw]!;
    let lo = lb;
    // less(i): table[i] < probe, on (hi, lo) halves.
    if (lo < n && (w[2 * lo + hw]! < h || (w[2 * lo + hw] === h && w[2 * lo + lw]! < l))) {
      let step = 1, hi = lo + 1;
      while (hi < n && (w[2 * hi + hw]! < h || (w[2 * hi + hw] === h && w[2 * hi + lw]! < l))) {
        lo = hi;
        step *= 2;
        hi = n - lo > step ? lo + step : n;
      }
      while (hi - lo > 1) {
        const mid = lo + ((hi - lo) >>> 1);
        if (w[2 * mid + hw]! < h || (w[2 * mid + hw] === h && w[2 * mid + lw]! < l)) lo = mid;
        else hi = mid;
      }
      lo = hi;
    }
    lb = lo;
    index[q] = lb;
    found[q] = lb < n && w[2 * lb + hw] === h && w[2 * lb + lw] === l ? 1 : 0;
  }
  return { index, found };
}
