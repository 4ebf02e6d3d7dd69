/**
 * Export list of the key kernel (AssemblyScript → WebAssembly). No logic lives here.
 *
 * The kernel compares, sorts, merges and searches byte keys in memcmp order, builds bloom
 * filters over u64 keys, and sums double columns per slot; it knows nothing about Paimon:
 * src/spec/key_codec.ts makes byte order equal to logical order. Built by tools/build_wasm.mjs
 * into src/kernel/wasm_bytes.ts; loaded by src/kernel/kernel.ts, whose plain-TypeScript twins
 * are src/kernel/reference.ts, src/kernel/reference_bloom.ts (bloom) and
 * src/kernel/reference_sum.ts (slot sums).
 *
 * Imports: the concept files below.
 */

export {
  ABI_VERSION, REGION_COUNT, RUNS_MAX, RUN_STRIDE_BYTES, layout, regionOffset, regionBytes,
} from "./abi";
export { sortKeys, sortU64 } from "./sort";
export { mergeRuns } from "./merge";
export { lowerBound, lowerBoundU64 } from "./search";
export { bloomBuildU64 } from "./bloom";
export { sumF64BySlot } from "./sum";
