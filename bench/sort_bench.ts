/**
 * Sort workloads: the kernel's stable sorting permutation of N keys against the twin and
 * against `BigUint64Array.prototype.sort` on the same keys (target: kernel >= 3x the TypedArray
 * sort, in one run). The kernel's time includes copying keys into WASM memory and the
 * permutation out; the TypedArray sort is timed on the sort alone (its input copy is untimed),
 * and it sorts values in place rather than producing a permutation, so it does less work.
 *
 * Inputs: uniform random u64 (no digit can be skipped: the radix worst case), as 8-byte
 * big-endian byte keys for sortKeys and as BigUint64Array for sortU64 and the TypedArray sort;
 * plus key_codec-shaped 16-byte keys (5 upserts per key on average) for sortKeys alone.
 */

import type { KeyKernel } from "../src/kernel/reference.ts";
import { encodedKeys, randomU64s, u64ToByteKeys } from "./data.ts";
import { rateMeasurement, timeContenders } from "./harness.ts";
import type { BenchOptions, Measurement } from "./harness.ts";

function checkSorted(values: BigUint64Array, perm: Uint32Array, what: string): void {
  for (let i = 1; i < perm.length; i++) {
    if (values[perm[i - 1]!]! > values[perm[i]!]!) throw new Error(`bench sort: ${what} output not sorted at ${i}`);
  }
}

/** Runs the sort workloads. */
export function sortBench(kernel: KeyKernel, twin: KeyKernel, options: BenchOptions): Measurement[] {
  const out: Measurement[] = [];
  const sizes = options.quick ? [100_000, 500_000] : [1_000_000, 5_000_000];
  for (const n of sizes) {
    const values = randomU64s(n, 0x50f7 + n);
    const keys = u64ToByteKeys(values);
    checkSorted(values, kernel.sortKeys(keys), "kernel sortKeys");
    checkSorted(values, kernel.sortU64(values), "kernel sortU64");
    const copy = new BigUint64Array(n);
    const typedSort = { name: "BigUint64Array.sort", prepare: () => copy.set(values), run: () => copy.sort() };
    const scale = { keys: n, keyBytes: 8, distribution: "uniform u64" };
    let t = timeContenders([
      { name: "kernel", run: () => kernel.sortKeys(keys) },
      { name: "twin", run: () => twin.sortKeys(keys) },
      typedSort,
    ], options.rounds);
    out.push(rateMeasurement(`sort-${n / 1e6}M`, "sortKeys (byte keys → permutation)", "kernel", t, n, scale));
    t = timeContenders([
      { name: "kernel", run: () => kernel.sortU64(values) },
      { name: "twin", run: () => twin.sortU64(values) },
      typedSort,
    ], options.rounds);
    out.push(rateMeasurement(`sort-${n / 1e6}M`, "sortU64 (u64 keys → permutation)", "kernel", t, n, scale));
  }
  const n = sizes[sizes.length - 1]!;
  const encoded = encodedKeys(n, Math.max(1, n / 5), 1, 0xe4c0);
  const t = timeContenders([
    { name: "kernel", run: () => kernel.sortKeys(encoded) },
    { name: "twin", run: () => twin.sortKeys(encoded) },
  ], options.rounds);
  out.push(rateMeasurement(`sort-encoded-${n / 1e6}M`, "sortKeys (key + seq tail → permutation)", "kernel", t, n,
    { keys: n, keyBytes: 16, distribution: `${n / 5} distinct keys + inverted seq` }));
  return out;
}
