/**
 * Compact task plan: turns a picked compact unit into the ordered steps a compaction executes,
 * without doing any I/O. A step either rewrites (merge-reads sections of sorted runs and writes
 * new files at the output level) or upgrades (moves one file to the output level unchanged:
 * manifest DELETE + ADD of the same file name).
 *
 * Rules (Java `MergeTreeCompactTask#doCompact`): the unit's files are interval-partitioned into
 * sections. A section of 2+ runs joins the rewrite candidates. In a single-run section, each
 * file smaller than `compactionFileSizeBytes` joins the candidates as its own section, and each
 * larger file first flushes the candidates (rewrite), then is upgraded. Candidates left at the
 * end are rewritten. A "rewrite" of exactly one single-run section upgrades its files instead.
 * An upgrade becomes a rewrite of that file alone when the output is the max level and the file
 * may hold deletes (`deleteRowCount` > 0 or unknown), when `forceRewriteAllFiles`, or when the
 * file holds expired records; an upgrade to the file's own level is no step at all. File-rewrite
 * units (Java `FileRewriteCompactTask`) rewrite each file alone. Candidates are never skipped
 * over: merged sections stay adjacent, so the output keeps the key order.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.MergeTreeCompactTask`, `FileRewriteCompactTask`
 * and `DataFileMeta#upgrade`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactTask.java
 *
 * Invariants: pure; every unit file appears in exactly one step; steps are in key order.
 * Whether the rewriter of a step honours "upgrade" (lookup and full-compaction changelog
 * rewriters may rewrite instead) is the executor's business.
 *
 * Imports: util/assert.ts, spec/data_file_meta.ts (type), lsm/sorted_run.ts,
 * lsm/compaction/{compact_unit,interval_partition}.ts.
 */
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import { assert } from "../../util/assert.ts";
import { sortedRunOfSingle, type KeyComparator, type SortedRun } from "../sorted_run.ts";
import type { CompactUnit } from "./compact_unit.ts";
import { partitionIntervals } from "./interval_partition.ts";

/** One step of a compaction, in execution order. */
export type CompactTaskStep =
  /** Merge these sections (each a list of sorted runs, disjoint across sections) into new files at the output level. */
  | { readonly kind: "rewrite"; readonly sections: readonly (readonly SortedRun[])[] }
  /** Move this file to the output level unchanged (`upgradeFile`). */
  | { readonly kind: "upgrade"; readonly file: DataFileMeta };

/** What the plan needs besides the unit. */
export interface CompactTaskPlanOptions {
  /** Order of the serialized keys. */
  readonly compareKeys: KeyComparator;
  /** Files below this size are rewritten, not upgraded (`CompactionSettings.compactionFileSizeBytes`). */
  readonly compactionFileSizeBytes: bigint;
  /** The bucket's max level (`Levels.maxLevel`). */
  readonly maxLevel: number;
  /** `compaction.force-rewrite-all-files`. */
  readonly forceRewriteAllFiles: boolean;
  /** True when the file holds records expired by record-level expiration; default never. */
  readonly containsExpiredRecords?: (file: DataFileMeta) => boolean;
}

/** The steps of the compaction of `unit`, in order. */
export function planCompactTask(unit: CompactUnit, options: CompactTaskPlanOptions): CompactTaskStep[] {
  const steps: CompactTaskStep[] = [];
  if (unit.fileRewrite) {
    for (const file of unit.files) steps.push({ kind: "rewrite", sections: [[sortedRunOfSingle(file)]] });
    return steps;
  }
  const expired = options.containsExpiredRecords ?? (() => false);
  const upgrade = (file: DataFileMeta): void => {
    const mayHoldDeletes = file.deleteRowCount === null || file.deleteRowCount > 0n;
    if ((unit.outputLevel === options.maxLevel && mayHoldDeletes) || options.forceRewriteAllFiles || expired(file)) {
      steps.push({ kind: "rewrite", sections: [[sortedRunOfSingle(file)]] });
    } else if (file.level !== unit.outputLevel) {
      steps.push({ kind: "upgrade", file });
    }
  };
  let candidate: SortedRun[][] = [];
  const rewrite = (): void => {
    if (candidate.length === 0) return;
    if (candidate.length === 1 && candidate[0]!.length <= 1) {
      // One section of one run: nothing to merge, so its files are upgraded instead.
      for (const file of candidate[0]![0]?.files ?? []) upgrade(file);
    } else {
      steps.push({ kind: "rewrite", sections: candidate });
    }
    candidate = [];
  };
  for (const section of partitionIntervals(unit.files, options.compareKeys)) {
    if (section.length > 1) {
      candidate.push(section);
      continue;
    }
    for (const file of section[0]!.files) {
      if (file.fileSize < options.compactionFileSizeBytes) {
        candidate.push([sortedRunOfSingle(file)]);
      } else {
        rewrite();
        upgrade(file);
      }
    }
  }
  rewrite();
  return steps;
}

/**
 * The metadata of `file` moved to `outputLevel` (Java `DataFileMeta#upgrade`): same file, same
 * name, new level. Requires: outputLevel > file.level.
 */
export function upgradeFile(file: DataFileMeta, outputLevel: number): DataFileMeta {
  assert(outputLevel > file.level, `compact task: upgrade of ${file.fileName} from level ${file.level} to ${outputLevel}`);
  return { ...file, level: outputLevel };
}
