// Goal: the kernel's WASM bloom build (assembly/bloom.ts via WasmKernel.bloomBuildU64) and its
// twin (reference_bloom.ts bloomBuildU64Twin) give the same filter words and the same block
// scale, bit for bit, for hash blocks, position blocks, and the fall-back from position to hash
// blocks; across batch limits that split the keys; and every built key is found by the probe.
// Method: seeded random and evenly spread sorted u64 key sets (some with a crowded block that
// forces the fall-back), built by both forms and compared word by word; members probed with
// bloomMayContain / bloomMayContainBlock.
import { assert, describe, seededRandom, test } from "../harness.ts";
import { loadKernel, WasmKernel } from "../../src/kernel/mod.ts";
import {
  bloomBuildU64Twin, bloomMayContain, bloomMayContainBlock, bloomWordCount, buildBloomU64, hashWordsPair, type BloomU64Options,
} from "../../src/kernel/reference_bloom.ts";

/** Sorted distinct u64 keys as (lo, hi) word pairs. */
function sortedKeys(rnd: () => number, n: number, shape: "spread" | "random" | "crowded"): Uint32Array {
  const values = new Set<bigint>();
  let next = BigInt(Math.floor(rnd() * 1e6));
  while (values.size < n) {
    if (shape === "spread") next += BigInt(1 + Math.floor(rnd() * 7));
    else if (shape === "random") next = BigInt.asUintN(64, BigInt(Math.floor(rnd() * 2 ** 32)) << 32n | BigInt(Math.floor(rnd() * 2 ** 32)));
    else next = values.size < n / 2 ? next + 1n : next + BigInt(1 + Math.floor(rnd() * 1e9));
    values.add(next);
  }
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const words = new Uint32Array(2 * n);
  sorted.forEach((v, j) => { words[2 * j] = Number(v & 0xffffffffn); words[2 * j + 1] = Number(v >> 32n); });
  return words;
}

function optionsFor(words: Uint32Array, n: number, position: boolean): BloomU64Options {
  const blocks = bloomWordCount(n) >>> 3;
  const minHi = n === 0 ? 0 : words[1]!, minLo = n === 0 ? 0 : words[0]!;
  const range = n === 0 ? 0 : (words[2 * n - 1]! - minHi) * 4294967296 + (words[2 * n - 2]! - minLo);
  return { blocks, scale: position && range > 0 ? (blocks * (1 - 1e-12)) / range : 0, minHi, minLo, blockKeysMax: Math.max(100, Math.ceil((4 * n) / blocks)) };
}

describe("kernel bloom build", () => {
  test("WASM and twin give identical filters and scales; every key is found", async () => {
    const small = (await loadKernel({ limits: { batchRowsMax: 97, batchBytesMax: 1 << 20 } })).kernel;
    const big = (await loadKernel()).kernel;
    assert.ok(small instanceof WasmKernel && big instanceof WasmKernel);
    const rnd = seededRandom(11);
    const seen = { position: 0, hash: 0, fallback: 0 };
    for (let round = 0; round < 60; round++) {
      const shape = (["spread", "random", "crowded"] as const)[round % 3]!;
      const n = round % 10 === 0 ? Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * 5000);
      const words = sortedKeys(rnd, n, shape);
      for (const position of [true, false]) {
        const options = optionsFor(words, n, position);
        const twin = bloomBuildU64Twin(words, n, options);
        for (const kernel of [small, big]) {
          const wasm = buildBloomU64(kernel, words, n, options);
          assert.equal(wasm.scale, twin.scale, `round ${round} ${shape} n ${n} position ${position}`);
          assert.deepEqual(wasm.filter, twin.filter, `round ${round} ${shape} n ${n} position ${position}`);
        }
        if (position && options.scale > 0 && twin.scale === 0) seen.fallback++;
        else if (twin.scale > 0) seen.position++;
        else seen.hash++;
        const pair = new Uint32Array(2);
        for (let j = 0; j < n; j++) {
          const hi = words[2 * j + 1]!, lo = words[2 * j]!;
          hashWordsPair(hi, lo, pair, 0);
          const block = twin.scale > 0 ? Math.min(options.blocks - 1, Math.floor(((hi - options.minHi) * 4294967296 + (lo - options.minLo)) * twin.scale)) : -1;
          const found = block >= 0 ? bloomMayContainBlock(twin.filter, block, pair[1]!) : bloomMayContain(twin.filter, pair[0]!, pair[1]!);
          assert.ok(found, `round ${round}: key ${j} not found`);
        }
      }
    }
    assert.ok(seen.position > 10 && seen.hash > 10 && seen.fallback > 3, JSON.stringify(seen));
  });

  test("a kernel without the WASM form (the twin kernel) builds through the twin", async () => {
    const twinKernel = (await loadKernel({ forceTwin: true })).kernel;
    const words = sortedKeys(seededRandom(3), 1000, "spread");
    const options = optionsFor(words, 1000, true);
    assert.deepEqual(buildBloomU64(twinKernel, words, 1000, options), bloomBuildU64Twin(words, 1000, options));
  });
});
