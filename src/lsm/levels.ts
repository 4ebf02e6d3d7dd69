/**
 * Levels: the immutable per-bucket view of a merge tree's data files by LSM level. Level 0 holds
 * one sorted run per file, newest first; every level >= 1 is one sorted run of files with
 * disjoint key ranges. Applying a compaction result or a new level-0 file returns a new Levels.
 *
 * Mirrors `org.apache.paimon.mergetree.Levels` (ordering of level 0 as its TreeSet comparator:
 * maxSequenceNumber descending, then minSequenceNumber ascending, then creationTime ascending,
 * then fileName ascending, so the order never depends on insertion order):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/Levels.java
 *
 * Invariants (checked on every construction):
 *  - `levelCount` >= 2 and every file's level is < `levelCount`;
 *  - file names are unique across all levels;
 *  - level 0 is sorted by `compareLevel0Files`;
 *  - the files of each level >= 1 are sorted by minKey and never overlap (minKey of a file is
 *    strictly greater than maxKey of the previous one).
 * Restored files breaking an invariant are corrupt input (LakeError "corruption"); an update
 * breaking one is a bug in the caller's compaction (assert).
 * Differences from Java: `update` asserts that every removed file is present (Java ignores
 * missing ones) and that added files fit the level count (Java silently drops them); Java's
 * `DropFileCallback` is the pure `droppedFileNames`. A null creationTime (older manifests) sorts
 * before any time (Java would fail on it).
 *
 * Imports: errors.ts, util/assert.ts, spec/data_file_meta.ts (type), lsm/sorted_run.ts.
 */
import { LakeError } from "../errors.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { assert } from "../util/assert.ts";
import {
  emptySortedRun, isSortedRunValid, sortedRunFromUnsorted, sortedRunOfSingle, type KeyComparator, type LevelSortedRun,
  type SortedRun,
} from "./sorted_run.ts";

/** Smallest level count Java accepts ("Number of levels must be at least 2"). */
export const LEVEL_COUNT_MIN = 2;

/**
 * Level-0 order: negative when `a` comes first. maxSequenceNumber descending (newest first), then
 * minSequenceNumber ascending, then creationTime ascending (null first), then fileName (UTF-16
 * code units, as Java `String.compareTo`).
 */
export function compareLevel0Files(a: DataFileMeta, b: DataFileMeta): number {
  if (a.maxSequenceNumber !== b.maxSequenceNumber) return a.maxSequenceNumber > b.maxSequenceNumber ? -1 : 1;
  if (a.minSequenceNumber !== b.minSequenceNumber) return a.minSequenceNumber < b.minSequenceNumber ? -1 : 1;
  if (a.creationTime !== b.creationTime) {
    if (a.creationTime === null) return -1;
    if (b.creationTime === null) return 1;
    return a.creationTime < b.creationTime ? -1 : 1;
  }
  return a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;
}

/** What `Levels.create` needs besides the files. */
export interface LevelsOptions {
  /** `num-levels` (CoreOptions.numLevels); raised to (highest file level + 1) when smaller. */
  readonly levelCount: number;
  /** Order of the serialized trimmed primary keys. */
  readonly compareKeys: KeyComparator;
}

/** Immutable files-by-level view of one bucket. Build with `Levels.create`. */
export class Levels {
  /** Number of levels (max level + 1), >= 2. */
  readonly levelCount: number;
  /** Level-0 files, newest first (`compareLevel0Files`). */
  readonly level0: readonly DataFileMeta[];
  /** The key order used for levels >= 1. */
  readonly compareKeys: KeyComparator;
  /** Runs of levels 1..levelCount-1 (index = level - 1); empty runs for empty levels. */
  readonly #runs: readonly SortedRun[];

  private constructor(levelCount: number, level0: readonly DataFileMeta[], runs: readonly SortedRun[], compareKeys: KeyComparator) {
    this.levelCount = levelCount;
    this.level0 = Object.freeze(level0);
    this.#runs = Object.freeze(runs);
    this.compareKeys = compareKeys;
  }

  /**
   * Restores the levels of one bucket from its live files (Java `new Levels(...)`).
   * Throws LakeError("invalid_argument") when the resulting level count is below 2 and
   * LakeError("corruption") when a file name repeats or files of a level >= 1 overlap.
   */
  static create(files: readonly DataFileMeta[], options: LevelsOptions): Levels {
    let levelCount = options.levelCount;
    for (const file of files) {
      if (!Number.isInteger(file.level) || file.level < 0) {
        throw new LakeError("corruption", `levels: file ${file.fileName} has level ${file.level}, expected an integer >= 0`);
      }
      levelCount = Math.max(levelCount, file.level + 1);
    }
    if (!(levelCount >= LEVEL_COUNT_MIN)) {
      throw new LakeError("invalid_argument", `levels: level count ${levelCount}, expected at least ${LEVEL_COUNT_MIN}`);
    }
    const names = new Set<string>();
    for (const file of files) {
      if (names.has(file.fileName)) throw new LakeError("corruption", `levels: file ${file.fileName} appears twice`);
      names.add(file.fileName);
    }
    const byLevel = groupByLevel(files);
    const runs: SortedRun[] = [];
    for (let level = 1; level < levelCount; level++) {
      const levelFiles = byLevel.get(level) ?? [];
      const run = levelFiles.length === 0 ? emptySortedRun() : sortedRunFromUnsorted(levelFiles, options.compareKeys);
      if (run === null) throw new LakeError("corruption", `levels: files of level ${level} overlap in key range`);
      runs.push(run);
    }
    const level0 = [...(byLevel.get(0) ?? [])].sort(compareLevel0Files);
    return new Levels(levelCount, level0, runs, options.compareKeys);
  }

  /** Highest level number (`levelCount - 1`). */
  get maxLevel(): number {
    return this.levelCount - 1;
  }

  /** The single sorted run of `level`. Requires: 1 <= level < levelCount. */
  runOfLevel(level: number): SortedRun {
    assert(Number.isInteger(level) && level >= 1 && level < this.levelCount, `levels: no single run for level ${level}`);
    return this.#runs[level - 1]!;
  }

  /** Sorted runs: one per level-0 file plus one per non-empty level >= 1. */
  get sortedRunCount(): number {
    let count = this.level0.length;
    for (const run of this.#runs) if (run.files.length > 0) count++;
    return count;
  }

  /** Highest non-empty level; 0 when only level 0 has files; -1 when the bucket is empty. */
  get nonEmptyHighestLevel(): number {
    for (let i = this.#runs.length - 1; i >= 0; i--) if (this.#runs[i]!.files.length > 0) return i + 1;
    return this.level0.length > 0 ? 0 : -1;
  }

  /** Sum of all file sizes, in bytes. */
  get totalFileSizeBytes(): bigint {
    let total = 0n;
    for (const file of this.level0) total += file.fileSize;
    for (const run of this.#runs) total += run.totalSizeBytes;
    return total;
  }

  /** Sorted runs newest first: level-0 files in order, then levels 1.. that are non-empty. */
  levelSortedRuns(): LevelSortedRun[] {
    const out: LevelSortedRun[] = this.level0.map((file) => ({ level: 0, run: sortedRunOfSingle(file) }));
    this.#runs.forEach((run, i) => {
      if (run.files.length > 0) out.push({ level: i + 1, run });
    });
    return out;
  }

  /** Every file, in `levelSortedRuns` order. */
  allFiles(): DataFileMeta[] {
    const out: DataFileMeta[] = [...this.level0];
    for (const run of this.#runs) out.push(...run.files);
    return out;
  }

  /** Adds a new level-0 file. Requires: `file.level === 0` and its name is not present. */
  addLevel0File(file: DataFileMeta): Levels {
    assert(file.level === 0, `levels: addLevel0File got ${file.fileName} at level ${file.level}`);
    return this.update([], [file]);
  }

  /**
   * Applies a compaction result: removes `before` (each at its `level`) and adds `after` (each at
   * its `level`); a file upgraded to another level appears in both with the same name.
   * Requires: every `before` file is present at its level; `after` names are new (or removed by
   * `before`); every `after` level < levelCount; levels >= 1 stay non-overlapping.
   */
  update(before: readonly DataFileMeta[], after: readonly DataFileMeta[]): Levels {
    const beforeByLevel = groupByLevel(before);
    const afterByLevel = groupByLevel(after);
    for (const level of [...beforeByLevel.keys(), ...afterByLevel.keys()]) {
      assert(Number.isInteger(level) && level >= 0 && level < this.levelCount, `levels: update names level ${level} of ${this.levelCount}`);
    }
    const level0 = replaceFiles(this.level0, beforeByLevel.get(0), afterByLevel.get(0), 0).sort(compareLevel0Files);
    const runs = this.#runs.map((run, i) => {
      const removed = beforeByLevel.get(i + 1);
      const added = afterByLevel.get(i + 1);
      if (removed === undefined && added === undefined) return run;
      const files = replaceFiles(run.files, removed, added, i + 1);
      const next = files.length === 0 ? emptySortedRun() : sortedRunFromUnsorted(files, this.compareKeys);
      assert(next !== null, `levels: update makes files of level ${i + 1} overlap in key range`);
      return next;
    });
    const levels = new Levels(this.levelCount, level0, runs, this.compareKeys);
    levels.checkInvariants();
    return levels;
  }

  /** Asserts every module invariant (unique names, level-0 order, no overlap in levels >= 1). */
  checkInvariants(): void {
    const names = new Set<string>();
    const seen = (file: DataFileMeta, level: number): void => {
      assert(file.level === level, `levels: file ${file.fileName} says level ${file.level} but sits in level ${level}`);
      assert(!names.has(file.fileName), `levels: file ${file.fileName} appears twice`);
      names.add(file.fileName);
    };
    this.level0.forEach((file, i) => {
      seen(file, 0);
      if (i > 0) assert(compareLevel0Files(this.level0[i - 1]!, file) < 0, `levels: level 0 out of order at ${file.fileName}`);
    });
    this.#runs.forEach((run, i) => {
      for (const file of run.files) seen(file, i + 1);
      assert(isSortedRunValid(run, this.compareKeys), `levels: files of level ${i + 1} overlap in key range`);
    });
  }
}

/**
 * Names of files a compaction result really drops (in `before`, not re-added by `after`): Java's
 * `DropFileCallback` notifications; upgraded files keep their name and are not dropped.
 */
export function droppedFileNames(before: readonly DataFileMeta[], after: readonly DataFileMeta[]): string[] {
  const kept = new Set(after.map((f) => f.fileName));
  return [...new Set(before.map((f) => f.fileName))].filter((name) => !kept.has(name));
}

function groupByLevel(files: readonly DataFileMeta[]): Map<number, DataFileMeta[]> {
  const out = new Map<number, DataFileMeta[]>();
  for (const file of files) {
    const list = out.get(file.level);
    if (list === undefined) out.set(file.level, [file]);
    else list.push(file);
  }
  return out;
}

function replaceFiles(
  current: readonly DataFileMeta[], removed: readonly DataFileMeta[] | undefined, added: readonly DataFileMeta[] | undefined,
  level: number,
): DataFileMeta[] {
  let files = [...current];
  if (removed !== undefined) {
    const names = new Set(removed.map((f) => f.fileName));
    const kept = files.filter((f) => !names.has(f.fileName));
    assert(kept.length === files.length - names.size, `levels: update removes files absent from level ${level}`);
    files = kept;
  }
  if (added !== undefined) files.push(...added);
  return files;
}
