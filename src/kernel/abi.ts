/**
 * TypeScript mirror of assembly/abi.ts: ABI version, region ids, run-table fields, and the typed
 * view of an instance's exports.
 *
 * Contract: `bindKernelExports` refuses (AssertionError) an instance whose ABI_VERSION,
 * REGION_COUNT, RUNS_MAX or RUN_STRIDE_BYTES differ from the constants here, or that lacks an
 * export: a mismatch means the embedded module and this file were built from different sources,
 * a programmer error, never a reason to fall back silently.
 *
 * Imports: util/assert.ts. Mirrors no Java class.
 */

import { assert } from "../util/assert.ts";

/** The ABI this TypeScript side speaks; must equal the module's exported ABI_VERSION. */
export const ABI_VERSION = 3;

/** Region ids (see assembly/abi.ts for the role and size rule of each). */
export const REGION = {
  KEYS_A: 0,
  OFFS_A: 1,
  KEYS_B: 2,
  OFFS_B: 3,
  U64_A: 4,
  U64_B: 5,
  U32_A: 6,
  U32_B: 7,
  U8: 8,
  RUNS: 9,
} as const;

/** Number of regions. */
export const REGION_COUNT = 10;

/** Most runs one kernel merge call accepts. */
export const RUNS_MAX = 1024;

/** Bytes per run-table entry. */
export const RUN_STRIDE_BYTES = 32;

/** Run-table fields as u32 indexes within an entry (byte offset / 4). */
export const RUN_FIELD = {
  OFF_INDEX: 0,
  ROWS: 1,
  FINAL: 2,
  DATA_BASE: 3,
  ROW_BASE: 4,
  CURSOR: 5,
} as const;

/** Return codes of kernel calls that can fail. */
export const KERNEL_RC = {
  OK: 0,
  /** merge: an emitted key is shorter than the ignored tail; search: table offsets decrease. */
  SHORT_KEY_OR_BAD_TABLE: -1,
  /** Offsets decrease (merge windows, probes). */
  BAD_OFFSETS: -2,
} as const;

/** The kernel module's exports, typed. Pointers and sizes come back as i32: use `>>> 0`. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  layout(rows: number, bytesA: number, bytesB: number): number;
  regionOffset(id: number): number;
  regionBytes(id: number): number;
  sortKeys(n: number): number;
  sortU64(n: number): number;
  mergeRuns(k: number, tailBytes: number, outCap: number): number;
  lowerBound(n: number, p: number): number;
  lowerBoundU64(n: number, p: number): number;
  bloomBuildU64(count: number, blocks: number, minHi: number, minLo: number, scale: number, first: number): number;
  sumF64BySlot(n: number, k: number, lo: number, window: number): number;
}

const FUNCTION_EXPORTS = [
  "layout", "regionOffset", "regionBytes", "sortKeys", "sortU64", "mergeRuns", "lowerBound",
  "lowerBoundU64", "bloomBuildU64", "sumF64BySlot",
] as const;

function globalValue(exports: WebAssembly.Exports, name: string): number {
  const g = exports[name];
  assert(g instanceof WebAssembly.Global, `kernel abi: export ${name} is not a global`);
  return Number(g.value);
}

/**
 * Checks an instance's exports against this ABI and returns them typed.
 * Requires: an instance of the kernel module built from assembly/ at the same ABI_VERSION.
 */
export function bindKernelExports(exports: WebAssembly.Exports): KernelExports {
  const version = globalValue(exports, "ABI_VERSION");
  assert(version === ABI_VERSION, `kernel abi: module ABI_VERSION ${version}, expected ${ABI_VERSION}`);
  const checks: Array<[string, number]> = [
    ["REGION_COUNT", REGION_COUNT], ["RUNS_MAX", RUNS_MAX], ["RUN_STRIDE_BYTES", RUN_STRIDE_BYTES],
  ];
  for (const [name, expected] of checks) {
    const got = globalValue(exports, name);
    assert(got === expected, `kernel abi: module ${name} ${got}, expected ${expected}`);
  }
  assert(exports["memory"] instanceof WebAssembly.Memory, "kernel abi: module exports no memory");
  for (const name of FUNCTION_EXPORTS) {
    assert(typeof exports[name] === "function", `kernel abi: module lacks function ${name}`);
  }
  return exports as unknown as KernelExports;
}
