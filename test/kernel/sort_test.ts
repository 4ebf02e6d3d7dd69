/**
 * Goal: the WASM kernel's sortKeys/sortU64 return exactly the twin's permutation, and both equal
 * an independent comparator-sort oracle (stable, memcmp order).
 * Method: 1,000+ seeded random cases per function over every key shape in key_gen.ts (empty
 * keys, zero bytes, prefixes of other keys, duplicates, shared prefixes > 8 and > 100 bytes,
 * key_codec-like tails), sizes from 0 to past the MSD threshold, run through the default kernel
 * and through a kernel with tiny batch limits (so the chunk-sort + merge path runs), plus edge
 * cases written out by hand.
 */

import { assert, describe, seededRandom, test } from "../harness.ts";
import { loadKernel, TwinKernel } from "../../src/kernel/mod.ts";
import type { KeyKernel } from "../../src/kernel/mod.ts";
import { AssertionError } from "../../src/util/assert.ts";
import { makeKeys, oracleSort, pickShape, randomU64, toByteKeys } from "./key_gen.ts";

const twin = new TwinKernel();

async function kernels(): Promise<{ wasm: KeyKernel; small: KeyKernel }> {
  const a = await loadKernel();
  const b = await loadKernel({ limits: { batchRowsMax: 16, batchBytesMax: 200 } });
  assert.equal(a.kind, "wasm", `expected the wasm kernel, got twin: ${a.reason}`);
  assert.equal(b.kind, "wasm");
  return { wasm: a.kernel, small: b.kernel };
}

function caseSize(rand: () => number): number {
  const r = rand();
  if (r < 0.05) return 0;
  if (r < 0.1) return 1;
  if (r < 0.6) return 2 + Math.floor(rand() * 40);
  return 40 + Math.floor(rand() * 600);
}

describe("kernel sortKeys", () => {
  test("1,000 random cases: wasm == twin == oracle, also with tiny batches", async () => {
    const { wasm, small } = await kernels();
    const rand = seededRandom(0x5eed01);
    for (let c = 0; c < 1000; c++) {
      const shape = pickShape(rand);
      const list = makeKeys(rand, caseSize(rand), shape);
      const keys = toByteKeys(list, Math.floor(rand() * 5));
      const expected = oracleSort(list);
      const label = `case ${c} (${shape}, n=${list.length})`;
      assert.deepEqual(Array.from(twin.sortKeys(keys)), expected, `twin ${label}`);
      assert.deepEqual(Array.from(wasm.sortKeys(keys)), expected, `wasm ${label}`);
      if (c % 4 === 0) assert.deepEqual(Array.from(small.sortKeys(keys)), expected, `wasm small batches ${label}`);
    }
  });

  test("large inputs take the MSD path (n >= 32768) and agree", async () => {
    const { wasm } = await kernels();
    const rand = seededRandom(0x5eed02);
    for (const shape of ["fixed8", "encoded", "random", "prefix9"] as const) {
      const list = makeKeys(rand, 40000 + Math.floor(rand() * 20000), shape);
      const keys = toByteKeys(list);
      const expected = oracleSort(list);
      assert.deepEqual(Array.from(wasm.sortKeys(keys)), expected, `wasm ${shape}`);
      assert.deepEqual(Array.from(twin.sortKeys(keys)), expected, `twin ${shape}`);
    }
  });

  test("edge cases: empty, single, all duplicates, nested prefixes, long shared prefixes", async () => {
    const { wasm, small } = await kernels();
    const cases: number[][][] = [
      [],
      [[1, 2, 3]],
      [[]],
      Array.from({ length: 5000 }, () => [9, 9, 0, 9]),
      Array.from({ length: 40 }, (_, i) => Array.from({ length: 40 - i }, () => 0)),
      Array.from({ length: 300 }, (_, i) => [...Array.from({ length: 150 }, () => 7), (i * 37) % 5, i % 3]),
      Array.from({ length: 200 }, (_, i) => Array.from({ length: 8 + (i % 17) }, () => 0)),
    ];
    for (const [i, list] of cases.entries()) {
      const keys = toByteKeys(list);
      const expected = oracleSort(list);
      for (const k of [twin, wasm, small]) assert.deepEqual(Array.from(k.sortKeys(keys)), expected, `${k.kind} case ${i}`);
    }
  });

  test("a single key larger than a whole batch still sorts (it goes alone)", async () => {
    const tiny = (await loadKernel({ limits: { batchRowsMax: 4, batchBytesMax: 64 } })).kernel;
    const rand = seededRandom(0x5eed03);
    const list = Array.from({ length: 30 }, () => [...Array.from({ length: 500 }, () => 3), Math.floor(rand() * 4)]);
    list.push(Array.from({ length: 5000 }, () => 3));
    const keys = toByteKeys(list);
    assert.deepEqual(Array.from(tiny.sortKeys(keys)), oracleSort(list));
  });

  test("decreasing offsets are a programmer error in both implementations", async () => {
    const { wasm } = await kernels();
    const keys = { bytes: new Uint8Array(10), offsets: Uint32Array.from([0, 4, 2, 10]) };
    assert.throws(() => twin.sortKeys(keys), AssertionError);
    assert.throws(() => wasm.sortKeys(keys), AssertionError);
  });
});

describe("kernel sortU64", () => {
  test("1,000 random cases: wasm == twin == oracle, also with tiny batches", async () => {
    const { wasm, small } = await kernels();
    const rand = seededRandom(0x5eed04);
    for (let c = 0; c < 1000; c++) {
      const n = caseSize(rand);
      const narrow = rand() < 0.4;
      const values = BigUint64Array.from({ length: n }, () => randomU64(rand, narrow));
      const expected = Array.from(values.keys()).sort((x, y) => (values[x]! < values[y]! ? -1 : values[x]! > values[y]! ? 1 : x - y));
      assert.deepEqual(Array.from(twin.sortU64(values)), expected, `twin case ${c}`);
      assert.deepEqual(Array.from(wasm.sortU64(values)), expected, `wasm case ${c}`);
      if (c % 4 === 0) assert.deepEqual(Array.from(small.sortU64(values)), expected, `wasm small batches case ${c}`);
    }
  });

  test("large input (MSD path), including values with the top bit set", async () => {
    const { wasm } = await kernels();
    const rand = seededRandom(0x5eed05);
    const values = BigUint64Array.from({ length: 100000 }, (_, i) => (i % 7 === 0 ? 0xffffffffffffffffn - BigInt(i % 3) : randomU64(rand, false)));
    const expected = Array.from(values.keys()).sort((x, y) => (values[x]! < values[y]! ? -1 : values[x]! > values[y]! ? 1 : x - y));
    assert.deepEqual(Array.from(wasm.sortU64(values)), expected);
    assert.deepEqual(Array.from(twin.sortU64(values)), expected);
    // A subarray view with a non-zero byteOffset.
    const sub = values.subarray(3, 5003);
    assert.deepEqual(Array.from(wasm.sortU64(sub)), Array.from(twin.sortU64(sub)));
  });
});
