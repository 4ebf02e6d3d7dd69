/**
 * Universal compaction picker (RocksDB-style, as Paimon does it): from a bucket's sorted runs,
 * newest first, pick the runs to merge and their output level, or nothing. In order:
 *  0. early full compaction (optimization interval, total/incremental size thresholds);
 *  1. size amplification: with >= trigger runs, when all runs but the oldest exceed
 *     `compaction.max-size-amplification-percent` of the oldest, compact everything;
 *  2. size ratio: with >= trigger runs, grow a prefix of newer runs while the next run is not
 *     larger than (100 + `compaction.size-ratio` [+ off-peak ratio])% of the prefix;
 *  3. run count: with > trigger runs, take the newest (runs - trigger + 1) runs, then extend them
 *     by size ratio.
 * Output level (`createUnit`): the max level when every run is picked, else the level below the
 * next unpicked run; never level 0 (the prefix then grows to the next run of a level > 0).
 *
 * Mirrors `org.apache.paimon.mergetree.compact.UniversalCompaction` and `OffPeakHours`, with the
 * mutable last-full-compaction time and the wall clock passed in (`UniversalPickContext`) and the
 * new time returned:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/UniversalCompaction.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/OffPeakHours.java
 *
 * Invariants: pure; a picked unit's files are the files of a prefix of `runs` (newest runs), in
 * run order; its output level is in [1, levelCount - 1]; size amplification compares exact
 * bigint byte counts, size ratio compares doubles exactly as Java's `long * double` does.
 *
 * Imports: util/assert.ts, lsm/sorted_run.ts, lsm/compaction/{compact_unit,early_full_compaction}.ts.
 */
import { assert } from "../../util/assert.ts";
import type { LevelSortedRun } from "../sorted_run.ts";
import { compactUnitFromLevelRuns, type CompactUnit } from "./compact_unit.ts";
import { tryEarlyFullCompaction, type EarlyFullCompactionConfig } from "./early_full_compaction.ts";

/** Off-peak window [startHour, endHour) (wrapping midnight when start > end) and its extra size ratio. */
export interface OffPeakHours {
  /** `compaction.offpeak.start.hour`, 0..23. */
  readonly startHour: number;
  /** `compaction.offpeak.end.hour`, 0..23, exclusive. */
  readonly endHour: number;
  /** `compaction.offpeak-ratio`, percent added to the size ratio inside the window. */
  readonly ratioPercent: number;
}

/** The window, or null when disabled (either hour -1, or start == end), as Java `OffPeakHours.create`. */
export function createOffPeakHours(hours: OffPeakHours): OffPeakHours | null {
  const { startHour, endHour, ratioPercent } = hours;
  if (startHour === -1 || endHour === -1 || startHour === endHour) return null;
  return Object.freeze({ startHour, endHour, ratioPercent });
}

/** The extra size ratio (percent) at local `hourOfDay` (0..23): the window's ratio inside it, else 0. */
export function offPeakRatio(offPeak: OffPeakHours | null, hourOfDay: number): number {
  if (offPeak === null) return 0;
  const { startHour, endHour } = offPeak;
  const inside = startHour <= endHour
    ? startHour <= hourOfDay && hourOfDay < endHour
    : hourOfDay < endHour || startHour <= hourOfDay;
  return inside ? offPeak.ratioPercent : 0;
}

/** Options of the universal picker (Java constructor arguments). */
export interface UniversalCompactionConfig {
  /** `compaction.max-size-amplification-percent`. */
  readonly maxSizeAmplificationPercent: number;
  /** `compaction.size-ratio`, percent. */
  readonly sizeRatioPercent: number;
  /** `num-sorted-run.compaction-trigger`, >= 1. */
  readonly sortedRunCompactionTriggerCount: number;
  /** Early full compaction thresholds, or null when none is set. */
  readonly earlyFullCompaction: EarlyFullCompactionConfig | null;
  /** Off-peak window, or null. */
  readonly offPeakHours: OffPeakHours | null;
}

/** Clock and state the picker reads. */
export interface UniversalPickContext {
  /** Current time, epoch ms (early full compaction interval). */
  readonly nowMs: number;
  /** Current local hour of day 0..23 (off-peak window; Java `LocalDateTime.now().getHour()`). */
  readonly hourOfDay: number;
  /** Epoch ms of the last full compaction, null when unknown. */
  readonly lastFullCompactionMs: number | null;
}

/** Why a unit was picked. */
export const PickReason = {
  EARLY_FULL: "early-full",
  SIZE_AMPLIFICATION: "size-amplification",
  SIZE_RATIO: "size-ratio",
  RUN_COUNT: "run-count",
  FORCE_LEVEL_0: "force-level-0",
  FULL: "full",
} as const;
/** One of `PickReason`. */
export type PickReason = (typeof PickReason)[keyof typeof PickReason];

/** A picked unit and whether it counts as a full compaction (Java `updateLastFullCompaction`). */
export interface PickedUnit {
  /** The unit. */
  readonly unit: CompactUnit;
  /** True when every run was picked into the max level: the last full compaction time becomes now. */
  readonly fullCompaction: boolean;
}

/** Result of `pickUniversalCompaction`. */
export interface UniversalPick {
  /** The unit, or null when nothing needs compacting. */
  readonly unit: CompactUnit | null;
  /** Why, when `unit` is not null. */
  readonly reason: PickReason | null;
  /** The last full compaction time to keep for the next pick (now, when this pick was full). */
  readonly lastFullCompactionMs: number | null;
}

/**
 * Picks the runs to compact (Java `UniversalCompaction.pick`). `runs` are newest first, as
 * `Levels.levelSortedRuns` returns them. Requires: levelCount >= 2; config trigger >= 1.
 */
export function pickUniversalCompaction(
  levelCount: number, runs: readonly LevelSortedRun[], options: { config: UniversalCompactionConfig; context: UniversalPickContext },
): UniversalPick {
  const { config, context } = options;
  checkConfig(levelCount, config);
  const maxLevel = levelCount - 1;
  const done = (picked: PickedUnit | null, reason: PickReason): UniversalPick | null =>
    picked === null ? null : { unit: picked.unit, reason, lastFullCompactionMs: nextLastFull(config, context, picked.fullCompaction) };
  if (config.earlyFullCompaction !== null) {
    const unit = tryEarlyFullCompaction(levelCount, runs, {
      config: config.earlyFullCompaction,
      clock: { nowMs: context.nowMs, lastFullCompactionMs: context.lastFullCompactionMs },
    });
    if (unit !== null) return { unit, reason: PickReason.EARLY_FULL, lastFullCompactionMs: context.nowMs };
  }
  const ratio = offPeakRatio(config.offPeakHours, context.hourOfDay);
  const bySizeAmp = done(pickForSizeAmplification(maxLevel, runs, config), PickReason.SIZE_AMPLIFICATION);
  if (bySizeAmp !== null) return bySizeAmp;
  const bySizeRatio = done(pickForSizeRatioTriggered(maxLevel, runs, { config, offPeakRatioPercent: ratio }), PickReason.SIZE_RATIO);
  if (bySizeRatio !== null) return bySizeRatio;
  const trigger = config.sortedRunCompactionTriggerCount;
  if (runs.length > trigger) {
    const picked = pickForSizeRatio(maxLevel, runs, { config, candidateCount: runs.length - trigger + 1, forcePick: false, offPeakRatioPercent: ratio });
    const byRunCount = done(picked, PickReason.RUN_COUNT);
    if (byRunCount !== null) return byRunCount;
  }
  return { unit: null, reason: null, lastFullCompactionMs: context.lastFullCompactionMs };
}

/**
 * Picks every level-0 run, extended by size ratio (Java `forcePickL0`, used by lookup and
 * `compaction.force-up-level-0`); null when level 0 is empty. Requires: levelCount >= 2.
 */
export function forcePickLevel0(
  levelCount: number, runs: readonly LevelSortedRun[], options: { config: UniversalCompactionConfig; context: UniversalPickContext },
): UniversalPick {
  const { config, context } = options;
  checkConfig(levelCount, config);
  let candidateCount = 0;
  while (candidateCount < runs.length && runs[candidateCount]!.level === 0) candidateCount++;
  if (candidateCount === 0) return { unit: null, reason: null, lastFullCompactionMs: context.lastFullCompactionMs };
  const ratio = offPeakRatio(config.offPeakHours, context.hourOfDay);
  const picked = pickForSizeRatio(levelCount - 1, runs, { config, candidateCount, forcePick: true, offPeakRatioPercent: ratio })!;
  return { unit: picked.unit, reason: PickReason.FORCE_LEVEL_0, lastFullCompactionMs: nextLastFull(config, context, picked.fullCompaction) };
}

/**
 * Size-amplification check (Java `pickForSizeAmp`): with at least `trigger` runs, all runs into
 * `maxLevel` when (size of all runs but the oldest) * 100 > max-size-amplification-percent *
 * (size of the oldest run); else null.
 */
export function pickForSizeAmplification(maxLevel: number, runs: readonly LevelSortedRun[], config: UniversalCompactionConfig): PickedUnit | null {
  if (runs.length < config.sortedRunCompactionTriggerCount) return null;
  let candidateBytes = 0n;
  for (let i = 0; i < runs.length - 1; i++) candidateBytes += runs[i]!.run.totalSizeBytes;
  const earliestBytes = runs[runs.length - 1]!.run.totalSizeBytes;
  if (candidateBytes * 100n > BigInt(config.maxSizeAmplificationPercent) * earliestBytes) {
    return { unit: compactUnitFromLevelRuns(maxLevel, runs), fullCompaction: true };
  }
  return null;
}

/** Size-ratio check from one candidate run, only with at least `trigger` runs (Java `pickForSizeRatio(maxLevel, runs)`). */
export function pickForSizeRatioTriggered(
  maxLevel: number, runs: readonly LevelSortedRun[], options: { config: UniversalCompactionConfig; offPeakRatioPercent?: number },
): PickedUnit | null {
  const { config, offPeakRatioPercent = 0 } = options;
  if (runs.length < config.sortedRunCompactionTriggerCount) return null;
  return pickForSizeRatio(maxLevel, runs, { config, candidateCount: 1, forcePick: false, offPeakRatioPercent });
}

/**
 * Grows the candidate prefix of `candidateCount` runs while the next run is not larger than
 * (100 + size ratio + off-peak ratio)% of the prefix, or while the next run is of level > 1 once
 * a compaction is triggered (Java `pickForSizeRatio(maxLevel, runs, candidateCount, forcePick)`).
 * A compaction is triggered when forced, when the prefix starts with 2+ runs, or once it grew.
 * Returns null when not triggered. Requires: 1 <= candidateCount <= runs.length.
 */
export function pickForSizeRatio(
  maxLevel: number, runs: readonly LevelSortedRun[],
  options: { config: UniversalCompactionConfig; candidateCount: number; forcePick: boolean; offPeakRatioPercent: number },
): PickedUnit | null {
  let candidateCount = options.candidateCount;
  assert(candidateCount >= 1 && candidateCount <= runs.length, `universal compaction: candidate count ${candidateCount} of ${runs.length} runs`);
  let candidateBytes = 0n;
  for (let i = 0; i < candidateCount; i++) candidateBytes += runs[i]!.run.totalSizeBytes;
  const factor = 100.0 + options.config.sizeRatioPercent + options.offPeakRatioPercent;
  let triggered = options.forcePick || candidateCount > 1;
  for (let i = candidateCount; i < runs.length; i++) {
    const next = runs[i]!;
    if ((Number(candidateBytes) * factor) / 100.0 < Number(next.run.totalSizeBytes)) {
      if (!triggered || next.level > 1) break;
    }
    candidateBytes += next.run.totalSizeBytes;
    candidateCount++;
    triggered = true;
  }
  return triggered ? createUnit(runs, { maxLevel, runCount: candidateCount }) : null;
}

/**
 * The unit of the newest `runCount` runs and its output level (Java `createUnit`): maxLevel when
 * all runs are taken; else the next run's level - 1; when that is 0, the prefix takes runs up to
 * and including the next run of level > 0 and outputs to its level; all runs again means maxLevel.
 * Requires: 1 <= runCount <= runs.length.
 */
export function createUnit(runs: readonly LevelSortedRun[], options: { maxLevel: number; runCount: number }): PickedUnit {
  const { maxLevel, runCount } = options;
  assert(runCount >= 1 && runCount <= runs.length, `universal compaction: run count ${runCount} of ${runs.length} runs`);
  let count = runCount;
  let outputLevel = count === runs.length ? maxLevel : Math.max(0, runs[count]!.level - 1);
  if (outputLevel === 0) {
    // Never output to level 0: take runs until one of a level > 0 is included.
    for (let i = count; i < runs.length; i++) {
      const next = runs[i]!;
      count++;
      if (next.level !== 0) {
        outputLevel = next.level;
        break;
      }
    }
  }
  const fullCompaction = count === runs.length;
  if (fullCompaction) outputLevel = maxLevel;
  return { unit: compactUnitFromLevelRuns(outputLevel, runs.slice(0, count)), fullCompaction };
}

function nextLastFull(config: UniversalCompactionConfig, context: UniversalPickContext, fullCompaction: boolean): number | null {
  // Java records the time only through its EarlyFullCompaction object, which exists only when configured.
  return fullCompaction && config.earlyFullCompaction !== null ? context.nowMs : context.lastFullCompactionMs;
}

function checkConfig(levelCount: number, config: UniversalCompactionConfig): void {
  assert(Number.isInteger(levelCount) && levelCount >= 2, `universal compaction: level count ${levelCount}`);
  assert(Number.isInteger(config.sortedRunCompactionTriggerCount) && config.sortedRunCompactionTriggerCount >= 1,
    `universal compaction: sorted run compaction trigger ${config.sortedRunCompactionTriggerCount}`);
}
