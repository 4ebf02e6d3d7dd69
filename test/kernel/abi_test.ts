/**
 * Goal: the loader and ABI contract hold. The embedded module speaks ABI_VERSION and its regions
 * are aligned and disjoint; a module with another ABI is refused loudly (never a silent
 * fallback); the twin is chosen only when instantiation fails or is asked for, with a reason; a
 * precompiled module works; and repeated calls do not grow WASM memory without bound.
 * Method: instantiate the embedded bytes directly to inspect the layout; hand-assembled tiny
 * modules for the failure paths; memoryBytes sampled across repeated calls.
 */

import { assert, describe, seededRandom, test } from "../harness.ts";
import { ABI_VERSION, bindKernelExports, REGION, REGION_COUNT, RUNS_MAX, RUN_STRIDE_BYTES } from "../../src/kernel/abi.ts";
import { KERNEL_WASM_BYTES, loadKernel, TwinKernel, WasmKernel } from "../../src/kernel/mod.ts";
import { AssertionError } from "../../src/util/assert.ts";
import { makeKeys, sortedKeys, toByteKeys } from "./key_gen.ts";

/** A module whose only export is the global ABI_VERSION = 99. */
const WRONG_ABI_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x06, 0x07, 0x01, 0x7f, 0x00, 0x41, 0xe3, 0x00, 0x0b,
  0x07, 0x0f, 0x01, 0x0b, ...Array.from("ABI_VERSION", (c) => c.charCodeAt(0)), 0x03, 0x00,
]);

/** A module importing env.f, so instantiating it with no imports fails. */
const NEEDS_IMPORT_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
  0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
]);

describe("kernel ABI", () => {
  test("the embedded module matches ABI_VERSION; regions are aligned, disjoint and sized", async () => {
    const { instance } = await WebAssembly.instantiate(KERNEL_WASM_BYTES, {});
    const x = bindKernelExports(instance.exports);
    const rows = 1000, bytesA = 5000, bytesB = 3000;
    assert.equal(x.layout(rows, bytesA, bytesB), 0);
    const regions = Array.from({ length: REGION_COUNT }, (_, id) => ({ id, at: x.regionOffset(id) >>> 0, size: x.regionBytes(id) >>> 0 }));
    const expectedMin: Record<number, number> = {
      [REGION.KEYS_A]: bytesA, [REGION.OFFS_A]: (rows + RUNS_MAX + 1) * 4, [REGION.KEYS_B]: bytesB,
      [REGION.OFFS_B]: (rows + 1) * 4, [REGION.U64_A]: rows * 8, [REGION.U64_B]: rows * 8, [REGION.U32_A]: rows * 4,
      [REGION.U32_B]: rows * 4, [REGION.U8]: rows + 16, [REGION.RUNS]: RUNS_MAX * RUN_STRIDE_BYTES,
    };
    for (const r of regions) {
      assert.equal(r.at % 16, 0, `region ${r.id} aligned`);
      assert.ok(r.size >= expectedMin[r.id]!, `region ${r.id} size ${r.size} >= ${expectedMin[r.id]}`);
      assert.ok(r.at + r.size <= x.memory.buffer.byteLength, `region ${r.id} inside memory`);
    }
    const sorted = [...regions].sort((a, b) => a.at - b.at);
    for (let i = 1; i < sorted.length; i++) {
      assert.ok(sorted[i - 1]!.at + sorted[i - 1]!.size <= sorted[i]!.at, `regions ${sorted[i - 1]!.id} and ${sorted[i]!.id} overlap`);
    }
  });

  test("a module with another ABI_VERSION is refused with an AssertionError, not a fallback", async () => {
    const module = await WebAssembly.compile(WRONG_ABI_MODULE);
    await assert.rejects(loadKernel({ module }), (e: unknown) => e instanceof AssertionError && /ABI_VERSION 99/.test(e.message));
    const { instance } = await WebAssembly.instantiate(KERNEL_WASM_BYTES, {});
    const fake = { ...instance.exports, ABI_VERSION: new WebAssembly.Global({ value: "i32", mutable: false }, ABI_VERSION + 1) };
    assert.throws(() => bindKernelExports(fake), AssertionError);
  });
});

describe("loadKernel", () => {
  test("loads the WASM kernel by default, and a precompiled module", async () => {
    const a = await loadKernel();
    assert.equal(a.kind, "wasm");
    assert.equal(a.reason, undefined);
    assert.ok(a.kernel instanceof WasmKernel);
    const module = await WebAssembly.compile(KERNEL_WASM_BYTES);
    const b = await loadKernel({ module });
    assert.equal(b.kind, "wasm");
    const keys = toByteKeys(makeKeys(seededRandom(7), 500, "random"));
    assert.deepEqual(b.kernel.sortKeys(keys), new TwinKernel().sortKeys(keys));
  });

  test("falls back to the twin, saying why, when asked or when instantiation fails", async () => {
    const forced = await loadKernel({ forceTwin: true });
    assert.equal(forced.kind, "twin");
    assert.equal(forced.kernel.kind, "twin");
    assert.match(forced.reason ?? "", /forceTwin/);
    const broken = await loadKernel({ module: await WebAssembly.compile(NEEDS_IMPORT_MODULE) });
    assert.equal(broken.kind, "twin");
    assert.match(broken.reason ?? "", /instantiation failed/);
    assert.ok(broken.kernel instanceof TwinKernel);
  });
});

describe("kernel memory", () => {
  test("repeated calls of the same size do not grow memory; a batch limit bounds it", async () => {
    const kernel = (await loadKernel()).kernel as WasmKernel;
    const rand = seededRandom(11);
    const keys = toByteKeys(makeKeys(rand, 50000, "encoded"));
    const runs = Array.from({ length: 5 }, () => toByteKeys(sortedKeys(makeKeys(rand, 4000, "encoded"))));
    const round = () => {
      kernel.sortKeys(keys);
      kernel.mergeRuns(runs, { groupIgnoreTailBytes: 8 });
      kernel.lowerBound(runs[0]!, keys);
      kernel.sortU64(new BigUint64Array(50000).fill(3n));
    };
    round();
    const after1 = kernel.memoryBytes;
    for (let i = 0; i < 15; i++) round();
    assert.equal(kernel.memoryBytes, after1, "memory grew across identical rounds");
    kernel.sortKeys(toByteKeys(makeKeys(rand, 10, "random")));
    assert.equal(kernel.memoryBytes, after1, "a smaller call grew memory");

    const bounded = (await loadKernel({ limits: { batchRowsMax: 2000, batchBytesMax: 1 << 16 } })).kernel as WasmKernel;
    bounded.sortKeys(keys);
    bounded.mergeRuns(runs);
    const cap = bounded.memoryBytes;
    assert.ok(cap < 2 * 1024 * 1024, `memory ${cap} should stay near the batch limits`);
    for (let i = 0; i < 5; i++) bounded.sortKeys(keys);
    assert.equal(bounded.memoryBytes, cap);
  });
});
