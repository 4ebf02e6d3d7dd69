/**
 * Merge workload: 5 sorted runs of N key_codec-shaped keys (16 bytes: key + inverted sequence,
 * keys drawn from a 2N key space so runs overlap, as in docs/performance.md W4), merged into one
 * (run, row) order with key-group marks ignoring the 8-byte tail. Kernel vs twin (target: kernel
 * >= 1.5x the twin) vs the binary-heap merge a developer would write with util/bytes. The
 * kernel's time includes copying every run in and the outputs out.
 */

import type { ByteKeys, KeyKernel, MergeResult } from "../src/kernel/reference.ts";
import { compareBytes, equalBytes } from "../src/util/bytes.ts";
import { encodedKeys, permuted } from "./data.ts";
import { rateMeasurement, timeContenders } from "./harness.ts";
import type { BenchOptions, Measurement } from "./harness.ts";

const TAIL_BYTES = 8;

/** A straightforward binary-heap k-way merge over subarray keys (the "plain JS" peer). */
function heapMerge(runs: ByteKeys[]): MergeResult {
  const k = runs.length;
  let total = 0;
  for (const r of runs) total += r.offsets.length - 1;
  const outRuns = new Uint32Array(total), outRows = new Uint32Array(total), marks = new Uint8Array(total);
  const cursor = new Array<number>(k).fill(0);
  const key = (r: number, i: number) => runs[r]!.bytes.subarray(runs[r]!.offsets[i]!, runs[r]!.offsets[i + 1]!);
  const heads: Uint8Array[] = runs.map((_, r) => key(r, 0));
  const less = (a: number, b: number) => { const c = compareBytes(heads[a]!, heads[b]!); return c < 0 || (c === 0 && a < b); };
  const heap: number[] = [];
  for (let r = 0; r < k; r++) if (runs[r]!.offsets.length > 1) heap.push(r);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, rr = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (rr < heap.length && less(heap[rr]!, heap[m]!)) m = rr;
      if (m === i) return;
      const t = heap[i]!; heap[i] = heap[m]!; heap[m] = t; i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let prev: Uint8Array | null = null;
  for (let out = 0; out < total; out++) {
    const r = heap[0]!, row = cursor[r]!, cur = heads[r]!;
    outRuns[out] = r; outRows[out] = row;
    const body = cur.subarray(0, cur.length - TAIL_BYTES);
    marks[out] = prev !== null && equalBytes(prev, body) ? 0 : 1;
    prev = body;
    cursor[r] = row + 1;
    if (row + 1 < runs[r]!.offsets.length - 1) heads[r] = key(r, row + 1);
    else { heap[0] = heap[heap.length - 1]!; heap.pop(); }
    down(0);
  }
  return { runs: outRuns, rows: outRows, groupStarts: marks };
}

function same(a: MergeResult, b: MergeResult): boolean {
  if (a.runs.length !== b.runs.length) return false;
  for (let i = 0; i < a.runs.length; i++) {
    if (a.runs[i] !== b.runs[i] || a.rows[i] !== b.rows[i] || a.groupStarts[i] !== b.groupStarts[i]) return false;
  }
  return true;
}

/** Runs the merge workload. */
export function mergeBench(kernel: KeyKernel, twin: KeyKernel, options: BenchOptions): Measurement[] {
  const perRun = options.quick ? 100_000 : 1_000_000, k = 5;
  const runs: ByteKeys[] = [];
  for (let r = 0; r < k; r++) {
    const raw = encodedKeys(perRun, 2 * perRun, 1 + r * perRun, 0x3e7 + r);
    runs.push(permuted(raw, kernel.sortKeys(raw)));
  }
  const opts = { groupIgnoreTailBytes: TAIL_BYTES };
  const expected = twin.mergeRuns(runs, opts);
  if (!same(kernel.mergeRuns(runs, opts), expected) || !same(heapMerge(runs), expected)) {
    throw new Error("bench merge: contenders disagree");
  }
  const t = timeContenders([
    { name: "kernel", run: () => kernel.mergeRuns(runs, opts) },
    { name: "twin", run: () => twin.mergeRuns(runs, opts) },
    { name: "js-heap-merge", run: () => heapMerge(runs) },
  ], options.rounds);
  return [rateMeasurement(`merge-${k}x${perRun / 1e6}M`, "mergeRuns (→ run,row + group marks)", "kernel", t, k * perRun,
    { runs: k, rowsPerRun: perRun, keyBytes: 16 })];
}
