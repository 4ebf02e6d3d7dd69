/**
 * Goal: the WASM kernel's lowerBound/lowerBoundU64 return exactly the twin's (index, found), and
 * both equal an oracle binary search written independently here.
 * Method: 1,000+ seeded random cases per function: tables of every key shape (duplicates,
 * prefixes, long shared prefixes, empty keys), probes mixing table keys, near misses (a table
 * key's prefix or extension) and random keys, empty tables and empty probe sets; run through the
 * default kernel and through a kernel with tiny batch limits so the segmented-table and
 * probe-batch paths run.
 */

import { assert, describe, seededRandom, test } from "../harness.ts";
import { loadKernel, TwinKernel } from "../../src/kernel/mod.ts";
import type { KeyKernel, SearchResult } from "../../src/kernel/mod.ts";
import { AssertionError } from "../../src/util/assert.ts";
import { cmp, makeKeys, pickShape, randomU64, sortedKeys, toByteKeys } from "./key_gen.ts";

const twin = new TwinKernel();

function oracle(table: number[][], probes: number[][]): { index: number[]; found: number[] } {
  const index: number[] = [], found: number[] = [];
  for (const p of probes) {
    let lo = 0, hi = table.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(table[mid]!, p) < 0) lo = mid + 1;
      else hi = mid;
    }
    index.push(lo);
    found.push(lo < table.length && cmp(table[lo]!, p) === 0 ? 1 : 0);
  }
  return { index, found };
}

function plain(r: SearchResult): { index: number[]; found: number[] } {
  return { index: Array.from(r.index), found: Array.from(r.found) };
}

function size(rand: () => number, max: number): number {
  const r = rand();
  return r < 0.05 ? 0 : r < 0.1 ? 1 : Math.floor(rand() * max);
}

describe("kernel lowerBound (byte keys)", () => {
  test("1,000 random cases: wasm == twin == oracle, also with tiny batches", async () => {
    const wasm = await loadKernel();
    assert.equal(wasm.kind, "wasm", `expected wasm: ${wasm.reason}`);
    const small = (await loadKernel({ limits: { batchRowsMax: 16, batchBytesMax: 200 } })).kernel;
    const rand = seededRandom(0x5ea201);
    for (let c = 0; c < 1000; c++) {
      const shape = pickShape(rand);
      const table = sortedKeys(makeKeys(rand, size(rand, 400), shape));
      const probes = makeKeys(rand, size(rand, 200), shape).map((key) => {
        const r = rand();
        if (table.length === 0 || r < 0.4) return key;
        const t = table[Math.floor(rand() * table.length)]!;
        if (r < 0.7) return t;
        if (r < 0.85) return t.slice(0, Math.floor(rand() * (t.length + 1)));
        return [...t, Math.floor(rand() * 3)];
      });
      const expected = oracle(table, probes);
      const tk = toByteKeys(table, c % 4), pk = toByteKeys(probes, (c >> 2) % 3);
      const kernels: KeyKernel[] = c % 3 === 0 ? [twin, wasm.kernel, small] : [twin, wasm.kernel];
      for (const k of kernels) assert.deepEqual(plain(k.lowerBound(tk, pk)), expected, `${k.kind} case ${c} (${shape})`);
    }
  });

  test("segments and probe batches with keys larger than a batch", async () => {
    const tiny = (await loadKernel({ limits: { batchRowsMax: 5, batchBytesMax: 64 } })).kernel;
    const rand = seededRandom(0x5ea202);
    for (let c = 0; c < 30; c++) {
      const table = sortedKeys(makeKeys(rand, 1 + Math.floor(rand() * 120), "prefix100"));
      const probes = [...makeKeys(rand, 80, "prefix100"), ...table.slice(0, 20), []];
      const expected = oracle(table, probes);
      const got = tiny.lowerBound(toByteKeys(table), toByteKeys(probes));
      assert.deepEqual(plain(got), expected, `case ${c}`);
    }
  });

  test("decreasing table or probe offsets are a programmer error in both", async () => {
    const { kernel } = await loadKernel();
    const bad = { bytes: new Uint8Array(10), offsets: Uint32Array.from([0, 4, 2, 10]) };
    const good = toByteKeys([[1], [2]]);
    for (const k of [twin, kernel]) {
      assert.throws(() => k.lowerBound(bad, good), AssertionError, `${k.kind} table`);
      assert.throws(() => k.lowerBound(good, bad), AssertionError, `${k.kind} probes`);
    }
  });
});

describe("kernel lowerBoundU64", () => {
  test("1,000 random cases: wasm == twin == oracle, also with tiny batches", async () => {
    const { kernel } = await loadKernel();
    const small = (await loadKernel({ limits: { batchRowsMax: 16, batchBytesMax: 200 } })).kernel;
    const rand = seededRandom(0x5ea203);
    for (let c = 0; c < 1000; c++) {
      const narrow = rand() < 0.5;
      const table = BigUint64Array.from({ length: size(rand, 500) }, () => randomU64(rand, narrow)).sort();
      const probes = BigUint64Array.from({ length: size(rand, 200) }, () =>
        table.length > 0 && rand() < 0.4 ? table[Math.floor(rand() * table.length)]! + BigInt(Math.floor(rand() * 2)) : randomU64(rand, narrow));
      const index: number[] = [], found: number[] = [];
      for (const p of probes) {
        let lo = 0, hi = table.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (table[mid]! < p) lo = mid + 1; else hi = mid; }
        index.push(lo);
        found.push(lo < table.length && table[lo] === p ? 1 : 0);
      }
      const kernels: KeyKernel[] = c % 3 === 0 ? [twin, kernel, small] : [twin, kernel];
      for (const k of kernels) assert.deepEqual(plain(k.lowerBoundU64(table, probes)), { index, found }, `${k.kind} case ${c}`);
    }
  });

  test("extreme values and subarray views", async () => {
    const { kernel } = await loadKernel();
    const base = BigUint64Array.from([0n, 0n, 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n, 2n ** 64n - 1n]);
    const table = new BigUint64Array(base.length + 2);
    table.set(base, 1);
    const view = table.subarray(1, 1 + base.length);
    const probes = BigUint64Array.from([2n ** 64n - 1n, 0n, 5n, 2n ** 63n, 2n ** 63n - 1n]);
    const expected = { index: [5, 0, 3, 3, 3], found: [1, 1, 0, 1, 0] };
    assert.deepEqual(plain(kernel.lowerBoundU64(view, probes)), expected);
    assert.deepEqual(plain(twin.lowerBoundU64(view, probes)), expected);
  });
});
