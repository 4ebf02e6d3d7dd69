/**
 * Goal: the WASM kernel's mergeRuns returns exactly the twin's (run, row) order and group marks,
 * and both equal an oracle: all rows sorted by (key, run, row), a group starting wherever the key
 * without its last `groupIgnoreTailBytes` bytes changes.
 * Method: 1,000+ seeded random cases (0-12 runs, empty runs, single rows, duplicate keys within
 * and across runs, every key shape of key_gen.ts, tail 0/1/8), through the default kernel and
 * through kernels with tiny batch limits so the windowed refill path runs (windows down to one
 * row); plus the error contracts (key shorter than the tail, too many runs).
 */

import { assert, describe, seededRandom, test } from "../harness.ts";
import { KERNEL_MERGE_RUNS_MAX, loadKernel, TwinKernel } from "../../src/kernel/mod.ts";
import type { ByteKeys, KeyKernel, MergeResult } from "../../src/kernel/mod.ts";
import { isLakeError } from "../../src/errors.ts";
import { cmp, makeKeys, pickShape, sortedKeys, toByteKeys } from "./key_gen.ts";
import type { KeyShape } from "./key_gen.ts";

const twin = new TwinKernel();

interface Expected { runs: number[]; rows: number[]; groupStarts: number[] }

function oracleMerge(runs: number[][][], tail: number): Expected {
  const all: Array<{ key: number[]; run: number; row: number }> = [];
  runs.forEach((run, r) => run.forEach((key, row) => all.push({ key, run: r, row })));
  all.sort((a, b) => cmp(a.key, b.key) || a.run - b.run || a.row - b.row);
  const groupStarts = all.map((e, i) => {
    if (i === 0) return 1;
    const a = all[i - 1]!.key, b = e.key;
    return cmp(a.slice(0, a.length - tail), b.slice(0, b.length - tail)) === 0 && a.length === b.length ? 0 : 1;
  });
  return { runs: all.map((e) => e.run), rows: all.map((e) => e.row), groupStarts };
}

function plain(r: MergeResult): Expected {
  return { runs: Array.from(r.runs), rows: Array.from(r.rows), groupStarts: Array.from(r.groupStarts) };
}

function randomRuns(rand: () => number, shape: KeyShape): number[][][] {
  const k = rand() < 0.05 ? 0 : rand() < 0.1 ? 1 : 1 + Math.floor(rand() * 12);
  return Array.from({ length: k }, () => {
    const r = rand();
    const n = r < 0.15 ? 0 : r < 0.3 ? 1 : Math.floor(rand() * (r < 0.9 ? 30 : 300));
    return sortedKeys(makeKeys(rand, n, shape));
  });
}

function checkCase(kernels: KeyKernel[], runs: number[][][], tail: number, label: string): void {
  const byteRuns: ByteKeys[] = runs.map((r, i) => toByteKeys(r, i % 3));
  const short = runs.some((run) => run.some((key) => key.length < tail));
  for (const k of kernels) {
    if (short) {
      assert.throws(() => k.mergeRuns(byteRuns, { groupIgnoreTailBytes: tail }),
        (e: unknown) => isLakeError(e, "invalid_argument"), `${k.kind} ${label} should reject short keys`);
    } else {
      assert.deepEqual(plain(k.mergeRuns(byteRuns, { groupIgnoreTailBytes: tail })), oracleMerge(runs, tail), `${k.kind} ${label}`);
    }
  }
}

describe("kernel mergeRuns", () => {
  test("1,000 random cases: wasm == twin == oracle, also with tiny windows", async () => {
    const wasm = await loadKernel();
    assert.equal(wasm.kind, "wasm", `expected wasm: ${wasm.reason}`);
    const small = (await loadKernel({ limits: { batchRowsMax: 16, batchBytesMax: 200 } })).kernel;
    const rand = seededRandom(0x3e7e01);
    for (let c = 0; c < 1000; c++) {
      const shape = pickShape(rand);
      const runs = randomRuns(rand, shape);
      const tail = shape === "encoded" || shape === "fixed8" ? (rand() < 0.7 ? 8 : 0) : rand() < 0.2 ? 1 : 0;
      const kernels = c % 3 === 0 ? [twin, wasm.kernel, small] : [twin, wasm.kernel];
      checkCase(kernels, runs, tail, `case ${c} (${shape}, ${runs.length} runs, tail ${tail})`);
    }
  });

  test("one-row windows: every refill boundary, group marks across calls", async () => {
    const tiny = (await loadKernel({ limits: { batchRowsMax: 3, batchBytesMax: 24 } })).kernel;
    const rand = seededRandom(0x3e7e02);
    for (let c = 0; c < 60; c++) {
      const shape = (["encoded", "duplicates", "prefix9", "short"] as const)[c % 4]!;
      const runs = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => sortedKeys(makeKeys(rand, Math.floor(rand() * 40), shape)));
      checkCase([tiny, twin], runs, shape === "encoded" ? 8 : 0, `case ${c} (${shape})`);
    }
  });

  test("edge cases: no runs, only empty runs, one run, all keys equal across runs", async () => {
    const { kernel } = await loadKernel();
    const same = Array.from({ length: 50 }, () => [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    const cases: number[][][][] = [[], [[], [], []], [sortedKeys(makeKeys(seededRandom(1), 100, "random"))], [same, [], same, same]];
    for (const [i, runs] of cases.entries()) checkCase([twin, kernel], runs, 0, `edge ${i}`);
    checkCase([twin, kernel], [same, same], 8, "equal keys, tail 8");
  });

  test("too many runs is an 'unsupported' LakeError in both", async () => {
    const { kernel } = await loadKernel();
    const runs = Array.from({ length: KERNEL_MERGE_RUNS_MAX + 1 }, () => toByteKeys([[1]]));
    for (const k of [twin, kernel]) {
      assert.throws(() => k.mergeRuns(runs), (e: unknown) => isLakeError(e, "unsupported"), k.kind);
    }
    const ok = runs.slice(0, KERNEL_MERGE_RUNS_MAX);
    assert.deepEqual(plain(kernel.mergeRuns(ok)), plain(twin.mergeRuns(ok)));
  });

  test("a bad groupIgnoreTailBytes is an 'invalid_argument' LakeError", async () => {
    const { kernel } = await loadKernel();
    for (const k of [twin, kernel]) {
      assert.throws(() => k.mergeRuns([toByteKeys([[1]])], { groupIgnoreTailBytes: -1 }), (e: unknown) => isLakeError(e, "invalid_argument"));
      assert.throws(() => k.mergeRuns([toByteKeys([[1]])], { groupIgnoreTailBytes: 1.5 }), (e: unknown) => isLakeError(e, "invalid_argument"));
    }
  });
});
