/**
 * The key-kernel contract (types + `KeyKernel`) and its plain-TypeScript twin: the fallback when
 * WebAssembly is unavailable and the oracle the WASM kernel is differential-tested against.
 *
 * Contract (identical for both implementations, results bit-for-bit equal):
 * - Keys are byte strings compared in unsigned memcmp order, a proper prefix first. The kernel
 *   knows nothing about Paimon: spec/key_codec.ts makes this order the logical one.
 * - `sortKeys`/`sortU64` return the stable sorting permutation (equal keys keep input order).
 * - `mergeRuns` orders by (key, run index, row) and marks where key groups start.
 * - `lowerBound*` return, per probe, the first index whose key is >= the probe, and whether
 *   that key equals the probe.
 * The twin runs the same algorithms as assembly/ (radix on 4-byte big-endian chunks with
 * depth-wise tie resolution, loser tree on 8-byte head chunks, sorted-probe galloping), written
 * as plain fast JS: typed arrays only, u64 values as two u32 halves, no comparator sorts.
 *
 * Imports: util/assert.ts, errors.ts, reference_sort/merge/search.ts (the twin's algorithms).
 * Mirrors no Java class (cf. Paimon's SortMergeReader for the merge, over bytes only).
 */

import { assert } from "../util/assert.ts";
import { LakeError } from "../errors.ts";
import { lowerBoundBytesTwin, lowerBoundU64Twin } from "./reference_search.ts";
import { mergeByteRuns } from "./reference_merge.ts";
import { sortByteKeysTwin, sortU64Twin } from "./reference_sort.ts";

/** Variable-length byte keys: key i is `bytes[offsets[i] .. offsets[i + 1])`. */
export interface ByteKeys {
  readonly bytes: Uint8Array;
  /** count + 1 non-decreasing offsets into `bytes`; offsets[0] need not be 0. */
  readonly offsets: Uint32Array;
}

/** Options of `mergeRuns`. */
export interface MergeOptions {
  /**
   * Bytes at the end of every key ignored when deciding key groups (0 = the full key is the
   * group; 8 = the key without spec/key_codec's 8-byte sequence tail). Order always uses the
   * full key. Every key must be at least this long, else LakeError("invalid_argument").
   */
  readonly groupIgnoreTailBytes?: number;
}

/** Output of `mergeRuns`: output i is row `rows[i]` of run `runs[i]`. */
export interface MergeResult {
  readonly runs: Uint32Array<ArrayBuffer>;
  readonly rows: Uint32Array<ArrayBuffer>;
  /** 1 when output i starts a new key group (always 1 for output 0), else 0. */
  readonly groupStarts: Uint8Array<ArrayBuffer>;
}

/** Output of the lower-bound searches, one entry per probe in probe order. */
export interface SearchResult {
  /** First table index whose key is >= the probe; the table length when there is none. */
  readonly index: Uint32Array<ArrayBuffer>;
  /** 1 when the key at `index` equals the probe, else 0. */
  readonly found: Uint8Array<ArrayBuffer>;
}

/** The key kernel: the WASM implementation (kernel.ts) and the twin (this file) both meet it. */
export interface KeyKernel {
  /** Which implementation this is. */
  readonly kind: "wasm" | "twin";
  /** Stable sorting permutation of byte keys (memcmp order). */
  sortKeys(keys: ByteKeys): Uint32Array<ArrayBuffer>;
  /** Stable sorting permutation of unsigned 64-bit keys. */
  sortU64(keys: BigUint64Array): Uint32Array<ArrayBuffer>;
  /**
   * Merges sorted runs (at most KERNEL_MERGE_RUNS_MAX) into one order of (run, row) pairs.
   * Requires: each run sorted ascending (not checked; unsorted runs give an unspecified order).
   */
  mergeRuns(runs: readonly ByteKeys[], options?: MergeOptions): MergeResult;
  /** Lower bound of every probe in `sorted`. Requires: `sorted` ascending (not checked). */
  lowerBound(sorted: ByteKeys, probes: ByteKeys): SearchResult;
  /** Lower bound of every u64 probe in `sorted`. Requires: `sorted` ascending (not checked). */
  lowerBoundU64(sorted: BigUint64Array, probes: BigUint64Array): SearchResult;
}

/** Most runs one `mergeRuns` call accepts (the WASM loser tree's size; the twin matches it). */
export const KERNEL_MERGE_RUNS_MAX = 1024;

/** Number of keys in `keys`. Requires: at least one offset. */
export function keyCount(keys: ByteKeys): number {
  assert(keys.offsets.length >= 1, "kernel: ByteKeys needs count + 1 offsets, got 0");
  return keys.offsets.length - 1;
}

/** O(1) shape checks every entry point makes: first <= last offset <= bytes.length. */
export function assertKeysShape(keys: ByteKeys, what: string): void {
  const n = keyCount(keys);
  const first = keys.offsets[0]!, last = keys.offsets[n]!;
  assert(first <= last && last <= keys.bytes.length,
    `kernel: ${what} offsets span [${first}, ${last}] outside bytes of length ${keys.bytes.length}`);
}

/** Full check (the twin's): offsets non-decreasing and inside `bytes`. */
export function assertKeysValid(keys: ByteKeys, what: string): void {
  assertKeysShape(keys, what);
  const o = keys.offsets;
  for (let i = 1; i < o.length; i++) {
    if (o[i]! < o[i - 1]!) assert(false, `kernel: ${what} offsets decrease at key ${i - 1}: ${o[i - 1]} > ${o[i]}`);
  }
}

/** memcmp compare of key i of `a` with key j of `b`: negative, zero or positive. */
export function compareKeysAt(a: ByteKeys, i: number, b: ByteKeys, j: number): number {
  const ab = a.bytes, bb = b.bytes;
  let p = a.offsets[i]!, q = b.offsets[j]!;
  const la = a.offsets[i + 1]! - p, lb = b.offsets[j + 1]! - q;
  const end = p + (la < lb ? la : lb);
  for (; p < end; p++, q++) {
    const d = ab[p]! - bb[q]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/** True when key i of `a` and key j of `b` are equal once their last `tail` bytes are dropped. */
export function equalKeysIgnoringTail(a: ByteKeys, i: number, b: ByteKeys, j: number, tail: number): boolean {
  const p = a.offsets[i]!, q = b.offsets[j]!;
  const la = a.offsets[i + 1]! - p - tail, lb = b.offsets[j + 1]! - q - tail;
  if (la !== lb) return false;
  const ab = a.bytes, bb = b.bytes;
  for (let k = 0; k < la; k++) if (ab[p + k] !== bb[q + k]) return false;
  return true;
}

/** Validates `groupIgnoreTailBytes` and returns it (0 by default). */
export function tailBytesOption(options: MergeOptions | undefined): number {
  const t = options?.groupIgnoreTailBytes ?? 0;
  if (!Number.isInteger(t) || t < 0 || t > 0xffff) {
    throw new LakeError("invalid_argument", `kernel merge: groupIgnoreTailBytes ${t}, expected an integer in [0, 65535]`);
  }
  return t;
}

/** The error both implementations raise for a key shorter than the ignored tail. */
export function shortKeyError(tail: number): LakeError {
  return new LakeError("invalid_argument", `kernel merge: a key is shorter than groupIgnoreTailBytes ${tail}`);
}

/** The error both implementations raise for too many runs. */
export function tooManyRunsError(k: number): LakeError {
  return new LakeError("unsupported", `kernel merge: ${k} runs, at most ${KERNEL_MERGE_RUNS_MAX} per call`);
}

/** The plain-TypeScript kernel. Stateless; safe to share. */
export class TwinKernel implements KeyKernel {
  readonly kind = "twin" as const;

  sortKeys(keys: ByteKeys): Uint32Array<ArrayBuffer> {
    assertKeysValid(keys, "sort");
    return sortByteKeysTwin(keys);
  }

  sortU64(keys: BigUint64Array): Uint32Array<ArrayBuffer> {
    return sortU64Twin(keys);
  }

  mergeRuns(runs: readonly ByteKeys[], options?: MergeOptions): MergeResult {
    const tail = tailBytesOption(options);
    if (runs.length > KERNEL_MERGE_RUNS_MAX) throw tooManyRunsError(runs.length);
    for (const r of runs) assertKeysValid(r, "merge run");
    const result = mergeByteRuns(runs, tail);
    if (result === null) throw shortKeyError(tail);
    return result;
  }

  lowerBound(sorted: ByteKeys, probes: ByteKeys): SearchResult {
    assertKeysValid(sorted, "search table");
    assertKeysValid(probes, "search probes");
    return lowerBoundBytesTwin(sorted, probes);
  }

  lowerBoundU64(sorted: BigUint64Array, probes: BigUint64Array): SearchResult {
    return lowerBoundU64Twin(sorted, probes);
  }
}
