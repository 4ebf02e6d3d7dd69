/**
 * Lookup workload: P probes (half present, half random) against a sorted table of N keys,
 * answered as batched lower bounds. Kernel vs twin (target: kernel >= 1.5x the twin) vs the
 * per-probe binary search a developer would write. Byte keys are the 8-byte big-endian form of
 * the u64 values; the u64 fast path is measured separately against a BigUint64Array binary
 * search. The kernel's time includes copying the table and probes in and results out.
 */

import type { ByteKeys, KeyKernel, SearchResult } from "../src/kernel/reference.ts";
import { randomU64s, rng, u64ToByteKeys } from "./data.ts";
import { rateMeasurement, timeContenders } from "./harness.ts";
import type { BenchOptions, Measurement } from "./harness.ts";

/** memcmp of key i of (tb, to) with key j of (pb, po). */
function cmpAt(tb: Uint8Array, to: Uint32Array, i: number, pb: Uint8Array, po: Uint32Array, j: number): number {
  let p = to[i]!, q = po[j]!;
  const la = to[i + 1]! - p, lb = po[j + 1]! - q;
  const end = p + Math.min(la, lb);
  for (; p < end; p++, q++) if (tb[p] !== pb[q]) return tb[p]! - pb[q]!;
  return la - lb;
}

/** Per-probe binary search over byte keys (the "plain JS" peer). */
function binarySearchBytes(table: ByteKeys, probes: ByteKeys): SearchResult {
  const n = table.offsets.length - 1, p = probes.offsets.length - 1;
  const index = new Uint32Array(p), found = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpAt(table.bytes, table.offsets, mid, probes.bytes, probes.offsets, j) < 0) lo = mid + 1;
      else hi = mid;
    }
    index[j] = lo;
    found[j] = lo < n && cmpAt(table.bytes, table.offsets, lo, probes.bytes, probes.offsets, j) === 0 ? 1 : 0;
  }
  return { index, found };
}

/** Per-probe binary search over a BigUint64Array (the "plain JS" u64 peer). */
function binarySearchU64(table: BigUint64Array, probes: BigUint64Array): SearchResult {
  const n = table.length, p = probes.length;
  const index = new Uint32Array(p), found = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const v = probes[j]!;
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    index[j] = lo;
    found[j] = lo < n && table[lo] === v ? 1 : 0;
  }
  return { index, found };
}

function same(a: SearchResult, b: SearchResult): boolean {
  if (a.index.length !== b.index.length) return false;
  for (let i = 0; i < a.index.length; i++) if (a.index[i] !== b.index[i] || a.found[i] !== b.found[i]) return false;
  return true;
}

/** Runs the lookup workloads. */
export function searchBench(kernel: KeyKernel, twin: KeyKernel, options: BenchOptions): Measurement[] {
  const n = options.quick ? 500_000 : 5_000_000, p = options.quick ? 100_000 : 1_000_000;
  const table = randomU64s(n, 0x7ab1e).sort();
  const next = rng(0x9806e);
  const probes = randomU64s(p, 0x9806e5);
  for (let j = 0; j < p; j += 2) probes[j] = table[next() % n]!;
  const tableKeys = u64ToByteKeys(table), probeKeys = u64ToByteKeys(probes);
  const expected = binarySearchU64(table, probes);
  for (const r of [kernel.lowerBound(tableKeys, probeKeys), twin.lowerBound(tableKeys, probeKeys), kernel.lowerBoundU64(table, probes),
    twin.lowerBoundU64(table, probes), binarySearchBytes(tableKeys, probeKeys)]) {
    if (!same(r, expected)) throw new Error("bench search: contenders disagree");
  }
  const scale = { tableKeys: n, probes: p, keyBytes: 8, hitRate: "50%" };
  let t = timeContenders([
    { name: "kernel", run: () => kernel.lowerBound(tableKeys, probeKeys) },
    { name: "twin", run: () => twin.lowerBound(tableKeys, probeKeys) },
    { name: "js-binary-search", run: () => binarySearchBytes(tableKeys, probeKeys) },
  ], options.rounds);
  const out = [rateMeasurement(`lookup-${p / 1e6}M-in-${n / 1e6}M`, "lowerBound (byte keys)", "kernel", t, p, scale)];
  t = timeContenders([
    { name: "kernel", run: () => kernel.lowerBoundU64(table, probes) },
    { name: "twin", run: () => twin.lowerBoundU64(table, probes) },
    { name: "js-binary-search", run: () => binarySearchU64(table, probes) },
  ], options.rounds);
  out.push(rateMeasurement(`lookup-${p / 1e6}M-in-${n / 1e6}M`, "lowerBoundU64", "kernel", t, p, scale));
  return out;
}
