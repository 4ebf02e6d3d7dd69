/**
 * Entry of the key kernel: `loadKernel` instantiates the embedded WebAssembly module (or a
 * precompiled `WebAssembly.Module` passed in) and falls back to the plain-TypeScript twin only
 * when WebAssembly cannot be instantiated, saying so in the result.
 *
 * Contract: the returned kernel, WASM or twin, gives identical results (test/kernel/*). A module
 * whose ABI does not match this source is a programmer error (AssertionError), never a reason to
 * fall back. No runtime globals beyond the standard `WebAssembly`.
 *
 * Imports: kernel/kernel.ts, kernel/reference.ts, kernel/reference_bloom.ts, kernel/wasm_bytes.ts. Mirrors no Java class.
 */

import { WasmKernel } from "./kernel.ts";
import type { KernelLimits } from "./kernel.ts";
import { TwinKernel } from "./reference.ts";
import type { KeyKernel } from "./reference.ts";
import { KERNEL_WASM_BYTES } from "./wasm_bytes.ts";

export type { ByteKeys, KeyKernel, MergeOptions, MergeResult, SearchResult } from "./reference.ts";
export { KERNEL_MERGE_RUNS_MAX, TwinKernel } from "./reference.ts";
export type { KernelLimits } from "./kernel.ts";
export { KERNEL_BATCH_BYTES_MAX, KERNEL_BATCH_ROWS_MAX, WasmKernel } from "./kernel.ts";
export { KERNEL_WASM_BYTES, KERNEL_WASM_SHA256 } from "./wasm_bytes.ts";
export {
  BLOOM_BITS_PER_KEY_DEFAULT, bloomBuild, bloomInsert, bloomInsertBlock, bloomMayContain, bloomMayContainBlock, bloomProbe, bloomWordCount,
  hashBytesPair, hashWordsPair,
} from "./reference_bloom.ts";

/** Options of `loadKernel`. */
export interface LoadKernelOptions {
  /**
   * A precompiled kernel module, for runtimes that cannot compile from bytes (Cloudflare
   * Workers) or to share one compilation between workers. Requires: compiled from
   * `KERNEL_WASM_BYTES` of this version.
   */
  readonly module?: WebAssembly.Module;
  /** Use the twin even when WebAssembly works (debugging, differential tests). */
  readonly forceTwin?: boolean;
  /** Per-call batch limits of the WASM kernel (tests shrink them to exercise batching). */
  readonly limits?: Partial<KernelLimits>;
}

/** What `loadKernel` produced: the kernel and which implementation it is, with the reason for a twin. */
export interface LoadedKernel {
  readonly kernel: KeyKernel;
  readonly kind: "wasm" | "twin";
  /** Why the twin was chosen; absent for "wasm". */
  readonly reason?: string;
}

/**
 * Instantiates the kernel. Resolves to the WASM kernel, or to the twin with a `reason` when
 * `forceTwin` is set, `WebAssembly` is missing, or instantiation fails (e.g. a CSP forbids
 * compiling, or memory cannot be reserved). Each call makes a new instance with its own memory.
 */
export async function loadKernel(options: LoadKernelOptions = {}): Promise<LoadedKernel> {
  if (options.forceTwin === true) return twin("forceTwin requested");
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return twin("WebAssembly is not available in this runtime");
  }
  let instance: WebAssembly.Instance;
  try {
    instance = options.module !== undefined
      ? await WebAssembly.instantiate(options.module, {})
      : (await WebAssembly.instantiate(KERNEL_WASM_BYTES, {})).instance;
  } catch (error) {
    return twin(`WebAssembly instantiation failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { kernel: new WasmKernel(instance, options.limits), kind: "wasm" };
}

function twin(reason: string): LoadedKernel {
  return { kernel: new TwinKernel(), kind: "twin", reason };
}

let shared: Promise<KeyKernel> | null = null;

/**
 * The process-wide kernel (one WASM instance, or the twin where WASM cannot load), loaded on
 * first use and shared by reads, writes, streams and lookups.
 */
export function sharedKernel(): Promise<KeyKernel> {
  shared ??= loadKernel().then((k) => k.kernel);
  return shared;
}
