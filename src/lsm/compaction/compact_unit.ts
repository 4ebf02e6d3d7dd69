/**
 * Compact unit: the files one compaction takes as input and the level its output goes to.
 *
 * Mirrors `org.apache.paimon.compact.CompactUnit`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/compact/CompactUnit.java
 *
 * Invariants: a unit is immutable; `fromLevelRuns` keeps run order (newest run first) and each
 * run's file order; `fileRewrite` units (forced full compaction of max-level files) rewrite each
 * file on its own instead of merging sections.
 *
 * Imports: spec/data_file_meta.ts (type), lsm/sorted_run.ts, util/assert.ts.
 */
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import { assert } from "../../util/assert.ts";
import { filesOfRuns, type LevelSortedRun } from "../sorted_run.ts";

/** Input files of one compaction and where its output goes. */
export interface CompactUnit {
  /** Level of the output files (an upgraded file moves to it). */
  readonly outputLevel: number;
  /** Input files, newest run first. May be empty (callers skip such units, as Java does). */
  readonly files: readonly DataFileMeta[];
  /** True: rewrite each file alone (Java `FileRewriteCompactTask`); false: merge-tree compaction. */
  readonly fileRewrite: boolean;
}

/** The unit of all files of `runs`, merged into `outputLevel` (Java `fromLevelRuns`). Requires: outputLevel >= 0. */
export function compactUnitFromLevelRuns(outputLevel: number, runs: readonly LevelSortedRun[]): CompactUnit {
  return compactUnitFromFiles(filesOfRuns(runs), { outputLevel, fileRewrite: false });
}

/** A unit of explicit files (Java `fromFiles`). Requires: outputLevel >= 0. */
export function compactUnitFromFiles(files: readonly DataFileMeta[], options: { outputLevel: number; fileRewrite: boolean }): CompactUnit {
  const { outputLevel, fileRewrite } = options;
  assert(Number.isInteger(outputLevel) && outputLevel >= 0, `compact unit: output level ${outputLevel}`);
  return Object.freeze({ outputLevel, files: Object.freeze([...files]), fileRewrite });
}
