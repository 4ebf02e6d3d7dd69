/**
 * Sorted run: data files of one bucket ordered by key whose key ranges [minKey, maxKey] do not
 * overlap, with its total size; and `LevelSortedRun`, a sorted run tagged with its LSM level.
 * Key-range math (overlap tests, binary search for the files touching a range) is done through a
 * caller-supplied `KeyComparator` over the files' serialized min/max key BinaryRows, so this
 * module knows nothing about key types.
 *
 * Mirrors `org.apache.paimon.mergetree.SortedRun` and `LevelSortedRun`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/SortedRun.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/LevelSortedRun.java
 *
 * Invariants: a SortedRun is immutable; `totalSizeBytes` is the sum of its files' `fileSize`;
 * a run built by `sortedRunFromUnsorted` or checked by `isSortedRunValid` has
 * `files[i].minKey > files[i-1].maxKey` for every i (strictly, as Java's `validate`).
 * `sortedRunOf` trusts its caller (Java `fromSorted`) and does not check.
 *
 * Imports: spec/data_file_meta.ts (type), util/assert.ts.
 */
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { assert } from "../util/assert.ts";

/**
 * Total order over serialized key BinaryRows (the `minKey`/`maxKey` bytes of DataFileMeta):
 * negative, zero or positive like Java's `Comparator<InternalRow>` on the trimmed primary key.
 */
export type KeyComparator = (a: Uint8Array, b: Uint8Array) => number;

/** Files ordered by key with disjoint key ranges (see module invariants). */
export interface SortedRun {
  /** The files, ascending by key. */
  readonly files: readonly DataFileMeta[];
  /** Sum of the files' `fileSize`, in bytes. */
  readonly totalSizeBytes: bigint;
}

/** A sorted run and the LSM level it lives on (0 for a single level-0 file). */
export interface LevelSortedRun {
  /** LSM level, >= 0. */
  readonly level: number;
  /** The run. */
  readonly run: SortedRun;
}

const EMPTY_RUN: SortedRun = Object.freeze({ files: Object.freeze([]) as readonly DataFileMeta[], totalSizeBytes: 0n });

/** The empty run (Java `SortedRun.empty()`). */
export function emptySortedRun(): SortedRun {
  return EMPTY_RUN;
}

/**
 * A run of files the caller guarantees to be sorted and non-overlapping (Java `fromSorted`).
 * Does not check the order; use `isSortedRunValid` when in doubt. Copies the array.
 */
export function sortedRunOf(sortedFiles: readonly DataFileMeta[]): SortedRun {
  let totalSizeBytes = 0n;
  for (const file of sortedFiles) totalSizeBytes += file.fileSize;
  return Object.freeze({ files: Object.freeze([...sortedFiles]), totalSizeBytes });
}

/** A run of one file (Java `fromSingle`). */
export function sortedRunOfSingle(file: DataFileMeta): SortedRun {
  return sortedRunOf([file]);
}

/**
 * Sorts `files` by minKey and builds the run (Java `fromUnsorted`). Returns null when the sorted
 * files overlap (Java throws "SortedRun is not sorted and may contain overlapping key
 * intervals"); callers decide whether that is a bug (assert) or corrupt input (LakeError).
 * Does not modify `files`.
 */
export function sortedRunFromUnsorted(files: readonly DataFileMeta[], compareKeys: KeyComparator): SortedRun | null {
  const sorted = [...files].sort((a, b) => compareKeys(a.minKey, b.minKey));
  const run = sortedRunOf(sorted);
  return isSortedRunValid(run, compareKeys) ? run : null;
}

/** True when every file's minKey is strictly greater than the previous file's maxKey. */
export function isSortedRunValid(run: SortedRun, compareKeys: KeyComparator): boolean {
  const files = run.files;
  for (let i = 1; i < files.length; i++) {
    if (compareKeys(files[i]!.minKey, files[i - 1]!.maxKey) <= 0) return false;
  }
  return true;
}

/** Smallest key of a non-empty run (its first file's minKey). Requires: run non-empty. */
export function sortedRunMinKey(run: SortedRun): Uint8Array {
  assert(run.files.length > 0, "sorted run: min key of an empty run");
  return run.files[0]!.minKey;
}

/** Largest key of a non-empty run (its last file's maxKey). Requires: run non-empty. */
export function sortedRunMaxKey(run: SortedRun): Uint8Array {
  assert(run.files.length > 0, "sorted run: max key of an empty run");
  return run.files[run.files.length - 1]!.maxKey;
}

/** Key range [minKey, maxKey], both bounds inclusive, as serialized key BinaryRows. */
export interface KeyRange {
  /** Inclusive lower bound. */
  readonly minKey: Uint8Array;
  /** Inclusive upper bound. */
  readonly maxKey: Uint8Array;
}

/** True when the closed ranges [a.minKey, a.maxKey] and [b.minKey, b.maxKey] share a key. */
export function keyRangesOverlap(a: KeyRange, b: KeyRange, compareKeys: KeyComparator): boolean {
  return compareKeys(a.minKey, b.maxKey) <= 0 && compareKeys(b.minKey, a.maxKey) <= 0;
}

/**
 * The files of a valid run whose key range overlaps `range` (both inclusive), in run order,
 * found by binary search on maxKey: O(log n + result). Requires: `run` valid for `compareKeys`.
 */
export function filesOverlapping(run: SortedRun, range: KeyRange, compareKeys: KeyComparator): DataFileMeta[] {
  const files = run.files;
  // First file whose maxKey >= range.minKey: every earlier file ends before the range.
  let low = 0;
  let high = files.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(files[mid]!.maxKey, range.minKey) < 0) low = mid + 1;
    else high = mid;
  }
  const out: DataFileMeta[] = [];
  for (let i = low; i < files.length && compareKeys(files[i]!.minKey, range.maxKey) <= 0; i++) out.push(files[i]!);
  return out;
}

/** True when some file of the valid run overlaps `range` (both inclusive). */
export function sortedRunOverlaps(run: SortedRun, range: KeyRange, compareKeys: KeyComparator): boolean {
  return filesOverlapping(run, range, compareKeys).length > 0;
}

/** All files of the runs, run after run (Java `CompactUnit.fromLevelRuns` file order). */
export function filesOfRuns(runs: readonly LevelSortedRun[]): DataFileMeta[] {
  const out: DataFileMeta[] = [];
  for (const r of runs) for (const file of r.run.files) out.push(file);
  return out;
}

/** Sum of the runs' sizes in bytes. */
export function totalSizeOfRuns(runs: readonly LevelSortedRun[]): bigint {
  let total = 0n;
  for (const r of runs) total += r.run.totalSizeBytes;
  return total;
}
