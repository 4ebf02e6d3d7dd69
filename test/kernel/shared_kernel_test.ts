/**
 * Goal: the realm's shared kernel takes a precompiled module registered with `useKernelModule`
 * (the Cloudflare Workers / workerd path, where compiling from bytes is forbidden), reports
 * where its WASM came from through `kernelStatus`, and falls back to the TypeScript twin with
 * exactly one console warning (naming the reason) when the module cannot be instantiated; a
 * wrong argument is a clear invalid_argument, and `useKernelModule(null)` returns to the bytes.
 * Method: the real embedded module compiled here; a hand-assembled module that needs an import
 * (so instantiation without imports fails, as a forbidden compilation does); console.warn
 * captured around the calls; sort results compared with the twin on seeded random keys.
 * test/edge/workerd_test.ts checks the same path inside workerd itself.
 */

import { assert, describe, seededRandom, test } from "../harness.ts";
import { isLakeError } from "../../src/errors.ts";
import {
  KERNEL_TWIN_WARNING, KERNEL_WASM_BYTES, kernelStatus, sharedKernel, TwinKernel, useKernelModule, WasmKernel,
} from "../../src/kernel/mod.ts";

// (type () -> ()) imported as env.f: instantiating with {} fails with a LinkError.
const NEEDS_IMPORT_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
  0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
]);

function randomKeys(count: number, seed: number): { bytes: Uint8Array; offsets: Uint32Array } {
  const next = seededRandom(seed);
  const offsets = new Uint32Array(count + 1);
  const parts: number[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + ((next() * 12) | 0);
    for (let j = 0; j < length; j++) parts.push((next() * 4) | 0); // few distinct bytes: many ties
    offsets[i + 1] = parts.length;
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

async function captureWarnings<T>(body: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args.map(String).join(" ")); };
  try {
    return { value: await body(), warnings };
  } finally {
    console.warn = original;
  }
}

describe("sharedKernel", () => {
  test("a registered module is used, reported as source 'module'; null returns to the embedded bytes", async () => {
    try {
      const module = await WebAssembly.compile(KERNEL_WASM_BYTES);
      useKernelModule(module);
      assert.deepEqual(kernelStatus(), { kind: "unloaded" });
      const { value: kernel, warnings } = await captureWarnings(() => sharedKernel());
      assert.ok(kernel instanceof WasmKernel);
      assert.deepEqual(kernelStatus(), { kind: "wasm", source: "module" });
      assert.equal(await sharedKernel(), kernel, "one kernel per realm");
      assert.deepEqual(warnings, []);
      const keys = randomKeys(700, 3);
      assert.deepEqual(kernel.sortKeys(keys), new TwinKernel().sortKeys(keys));
      useKernelModule(null);
      const fromBytes = await sharedKernel();
      assert.notEqual(fromBytes, kernel);
      assert.deepEqual(kernelStatus(), { kind: "wasm", source: "bytes" });
    } finally {
      useKernelModule(null);
    }
  });

  test("an unusable module falls back to the twin with one warning naming the reason", async () => {
    try {
      useKernelModule(await WebAssembly.compile(NEEDS_IMPORT_MODULE));
      const { value: kernel, warnings } = await captureWarnings(async () => {
        const first = await sharedKernel();
        useKernelModule(await WebAssembly.compile(NEEDS_IMPORT_MODULE)); // a second failing load
        await sharedKernel();
        return first;
      });
      assert.ok(kernel instanceof TwinKernel);
      const status = kernelStatus();
      assert.equal(status.kind, "twin");
      assert.match(status.reason ?? "", /instantiation failed/);
      assert.equal(warnings.length, 1, `warnings: ${JSON.stringify(warnings)}`);
      assert.ok(warnings[0]!.startsWith(KERNEL_TWIN_WARNING), warnings[0]);
      assert.match(warnings[0]!, /instantiation failed.*useKernelModule/);
      const keys = randomKeys(300, 4);
      assert.deepEqual(kernel.sortKeys(keys), new TwinKernel().sortKeys(keys));
    } finally {
      useKernelModule(null);
    }
  });

  test("useKernelModule refuses what is not a WebAssembly.Module", () => {
    assert.throws(() => useKernelModule(KERNEL_WASM_BYTES as unknown as WebAssembly.Module),
      (error: unknown) => isLakeError(error, "invalid_argument") && /expects a WebAssembly\.Module, got \[object Uint8Array\]/.test((error as Error).message));
  });
});
