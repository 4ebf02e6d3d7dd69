/**
 * Compact manager plan: the decisions a bucket writer's compact manager makes around the
 * strategy, without I/O or threads: whether to pick now and what (normal or forced full), which
 * picked units to skip, whether the compaction may drop delete records, and the write stall
 * (when a writer must wait for the running compaction before going on).
 *
 * Mirrors `org.apache.paimon.mergetree.compact.MergeTreeCompactManager` (`triggerCompaction`,
 * `shouldWaitForLatestCompaction`, `shouldWaitForPreparingCheckpoint`, `compactNotCompleted`):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactManager.java
 * How Java's `MergeTreeWriter` uses them: after each flush of the write buffer it waits for the
 * running compaction when `shouldWaitForLatestCompaction`, applies a finished result
 * (`Levels.update`), then triggers a pick; at commit it waits when
 * `shouldWaitForPreparingCheckpoint`, `commit.force-compact` or lookup-wait says so.
 *
 * Invariants: pure; a normal pick never yields an empty unit nor a single file already at its
 * output level (nothing to do); deletes are dropped only when the output level is > 0 and no
 * older data can sit below it (output level >= the highest non-empty level) or deletion vectors
 * are maintained, and never with `forceKeepDelete`.
 *
 * Imports: util/assert.ts, spec/data_file_meta.ts (type), lsm/levels.ts (type),
 * lsm/compaction/{compact_unit,compact_strategy,universal}.ts (types and pickers).
 */
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import { assert } from "../../util/assert.ts";
import type { Levels } from "../levels.ts";
import type { CompactUnit } from "./compact_unit.ts";
import {
  pickCompaction, pickFullCompaction, type CompactStrategyConfig, type CompactStrategyState, type PickClock,
} from "./compact_strategy.ts";
import { PickReason } from "./universal.ts";

/**
 * Writers must wait for the running compaction before flushing more: more sorted runs than
 * `num-sorted-run.stop-trigger` (Java `shouldWaitForLatestCompaction`).
 */
export function shouldWaitForLatestCompaction(levels: Levels, sortedRunStopTriggerCount: number): boolean {
  return levels.sortedRunCount > sortedRunStopTriggerCount;
}

/** A commit must wait for the running compaction: more than stop-trigger + 1 sorted runs. */
export function shouldWaitForPreparingCheckpoint(levels: Levels, sortedRunStopTriggerCount: number): boolean {
  return levels.sortedRunCount > sortedRunStopTriggerCount + 1;
}

/**
 * Compaction work remains: a task is running, or (lookup tables) level 0 is not empty yet
 * (Java `compactNotCompleted`; lookup readers must not see level-0 files).
 */
export function compactionNotCompleted(levels: Levels, state: { taskRunning: boolean; needLookup: boolean }): boolean {
  return state.taskRunning || (state.needLookup && levels.level0.length > 0);
}

/** Inputs of one trigger. */
export interface CompactionTrigger {
  /** Forced full compaction (`table.compact({ full: true })`, delta-commit full compaction). */
  readonly full: boolean;
  /** A compaction task of this bucket is still running. */
  readonly taskRunning: boolean;
  /** The strategy (`CompactionSettings.strategy`). */
  readonly strategy: CompactStrategyConfig;
  /** The strategy state from the previous pick or restore. */
  readonly state: CompactStrategyState;
  /** Wall clock of this pick. */
  readonly clock: PickClock;
  /** `compaction.force-rewrite-all-files` (forced full compaction of max-level files). */
  readonly forceRewriteAllFiles: boolean;
  /** Deletion vectors are maintained for this bucket (Java `dvMaintainer != null`). */
  readonly deletionVectors: boolean;
  /** Keep delete records whatever the output level (Java passes `isChainTable`); default false. */
  readonly forceKeepDelete?: boolean;
  /** A max-level file still needs rewriting (expired records, deletion vector); forced full only. */
  readonly rewriteMaxLevelFile?: (file: DataFileMeta) => boolean;
}

/** A compaction to run. */
export interface CompactionPlan {
  /** Files and output level. */
  readonly unit: CompactUnit;
  /** The rewrite may drop -U/-D records (nothing older can be below the output). */
  readonly dropDelete: boolean;
  /** Why it was picked. */
  readonly reason: PickReason;
}

/**
 * Decides the compaction to submit now (Java `triggerCompaction`). Normal trigger: nothing while
 * a task runs; otherwise the strategy's pick minus useless units. Full trigger: the forced full
 * pick, unfiltered. Returns the plan (or null) and the strategy state for the next trigger.
 * Requires: not `full` while a task runs (Java: "A compaction task is still running while the
 * user forces a new compaction").
 */
export function planCompaction(levels: Levels, trigger: CompactionTrigger): { plan: CompactionPlan | null; state: CompactStrategyState } {
  const runs = levels.levelSortedRuns();
  let unit: CompactUnit | null;
  let reason: PickReason | null;
  let state = trigger.state;
  if (trigger.full) {
    assert(!trigger.taskRunning, "compact manager: forced full compaction while a compaction task is still running");
    unit = pickFullCompaction(levels.levelCount, runs, {
      forceRewriteAllFiles: trigger.forceRewriteAllFiles,
      rewriteMaxLevelFile: trigger.rewriteMaxLevelFile,
    });
    reason = PickReason.FULL;
  } else {
    if (trigger.taskRunning) return { plan: null, state };
    const pick = pickCompaction(levels.levelCount, runs, { config: trigger.strategy, state, clock: trigger.clock });
    state = pick.state;
    unit = pick.unit !== null && isUsefulUnit(pick.unit) ? pick.unit : null;
    reason = pick.reason;
  }
  if (unit === null) return { plan: null, state };
  const dropDelete = shouldDropDelete(levels, unit, { forceKeepDelete: trigger.forceKeepDelete ?? false, deletionVectors: trigger.deletionVectors });
  return { plan: { unit, dropDelete, reason: reason! }, state };
}

/**
 * The compaction of `unit` may drop delete records: never with `forceKeepDelete` or into level
 * 0; else when nothing older can lie below the output (output level >= the highest non-empty
 * level) or when deletion vectors are maintained.
 */
export function shouldDropDelete(levels: Levels, unit: CompactUnit, options: { forceKeepDelete: boolean; deletionVectors: boolean }): boolean {
  return !options.forceKeepDelete && unit.outputLevel !== 0 &&
    (unit.outputLevel >= levels.nonEmptyHighestLevel || options.deletionVectors);
}

/** Java's filters of a normal pick: a unit with files, and not a single file already at the output level. */
export function isUsefulUnit(unit: CompactUnit): boolean {
  return unit.files.length > 1 || (unit.files.length === 1 && unit.files[0]!.level !== unit.outputLevel);
}
