/**
 * Entry of the key kernel: `loadKernel` instantiates the embedded WebAssembly module (or a
 * precompiled `WebAssembly.Module` passed in) and falls back to the plain-TypeScript twin only
 * when WebAssembly cannot be instantiated, saying so in the result. `sharedKernel` is the one
 * kernel of the realm: from the module registered with `useKernelModule` when there is one
 * (runtimes that forbid compiling WebAssembly from bytes, such as Cloudflare Workers and
 * workerd: "Wasm code generation disallowed by embedder"), else from the embedded bytes, else
 * the twin with one console warning saying so; `kernelStatus` tells which it is.
 *
 * Contract: the returned kernel, WASM or twin, gives identical results (test/kernel/*). A module
 * whose ABI does not match this source is a programmer error (AssertionError), never a reason to
 * fall back. No runtime globals beyond the standard `WebAssembly` and `console.warn` (the one
 * fallback warning of the shared kernel).
 *
 * Imports: errors.ts, kernel/kernel.ts, kernel/reference.ts, kernel/reference_bloom.ts, kernel/wasm_bytes.ts. Mirrors no Java class.
 */

import { LakeError } from "../errors.ts";
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
  /** Where a WASM kernel came from: the precompiled `module` option, or the embedded `bytes`; absent for "twin". */
  readonly source?: "module" | "bytes";
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
  return { kernel: new WasmKernel(instance, options.limits), kind: "wasm", source: options.module !== undefined ? "module" : "bytes" };
}

function twin(reason: string): LoadedKernel {
  return { kernel: new TwinKernel(), kind: "twin", reason };
}

/** The shared kernel's state: "unloaded" before first use, else what `loadKernel` chose. */
export interface KernelStatus {
  readonly kind: "unloaded" | "wasm" | "twin";
  /** For "wasm": the module registered with `useKernelModule`, or the embedded bytes. */
  readonly source?: "module" | "bytes";
  /** For "twin": why WebAssembly could not be used. */
  readonly reason?: string;
}

let registeredModule: WebAssembly.Module | null = null;
let shared: Promise<KeyKernel> | null = null;
let status: KernelStatus = { kind: "unloaded" };
let warned = false;

/** Text of the one warning printed when the shared kernel falls back to the twin. */
export const KERNEL_TWIN_WARNING = "lakestate kernel: WebAssembly cannot be used here, running the TypeScript twin (same results, slower)";

/**
 * Registers a precompiled kernel module for the shared kernel, for runtimes that cannot compile
 * WebAssembly from bytes (Cloudflare Workers, workerd: import the kernel's `.wasm` as a module;
 * its bytes are `KERNEL_WASM_BYTES`). Call it before the first table operation; a later call
 * makes later operations use the new module (kernels already handed out stay valid, results
 * are identical). null forgets the module (back to the embedded bytes).
 * Requires: `module` compiled from `KERNEL_WASM_BYTES` of this version (an ABI mismatch is an
 * AssertionError on first use).
 */
export function useKernelModule(module: WebAssembly.Module | null): void {
  if (module !== null && !(typeof WebAssembly === "object" && module instanceof WebAssembly.Module)) {
    throw new LakeError("invalid_argument", `kernel: useKernelModule expects a WebAssembly.Module, got ${Object.prototype.toString.call(module)}`);
  }
  registeredModule = module;
  shared = null;
  status = { kind: "unloaded" };
}

/** Which kernel the shared kernel is (after its first use), and from where or why not. */
export function kernelStatus(): KernelStatus {
  return status;
}

/**
 * The process-wide kernel (one WASM instance, or the twin where WASM cannot load), loaded on
 * first use and shared by reads, writes, streams and lookups. Falling back to the twin prints
 * one console warning per realm (`KERNEL_TWIN_WARNING` and the reason).
 */
export function sharedKernel(): Promise<KeyKernel> {
  if (shared !== null) return shared;
  const loading = loadKernel(registeredModule === null ? {} : { module: registeredModule }).then((loaded) => {
    if (shared !== loading) return loaded.kernel; // superseded by useKernelModule meanwhile
    status = loaded.kind === "wasm" ? { kind: "wasm", source: loaded.source ?? "bytes" } : { kind: "twin", reason: loaded.reason ?? "unknown" };
    if (loaded.kind === "twin" && !warned) {
      warned = true;
      console.warn(`${KERNEL_TWIN_WARNING}: ${loaded.reason}. Register a precompiled module with useKernelModule(module) to use WebAssembly.`);
    }
    return loaded.kernel;
  });
  shared = loading;
  return loading;
}
