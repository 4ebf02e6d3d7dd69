/**
 * Compaction settings of a primary-key table read from its options, with Java's defaults and
 * derived values: the strategy (universal, optionally forced up from level 0), level count,
 * write-stall trigger, the small-file size below which files are rewritten rather than upgraded,
 * full-compaction cadence, and the restore-time estimate of the last full compaction.
 *
 * Mirrors `MergeTreeCompactManagerFactory#create/#createCompactStrategy/
 * #estimateLastFullCompactionTime`, the compaction getters of `CoreOptions`
 * (`maxSizeAmplificationPercent`, `sortedRunSizeRatio`, `numSortedRunStopTrigger`, `numLevels`,
 * `compactionFileSize`, `lookupCompactMaxInterval`, `prepareCommitWaitCompaction`,
 * `optimizedCompactionInterval`, ...) and the delta-commit choice of Flink `StoreSinkWrite`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactManagerFactory.java
 * https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/sink/StoreSinkWrite.java
 *
 * Invariants: pure; every value equals what Java derives from the same options; bad values
 * throw LakeError("invalid_argument") (through spec/core_options or here, for a compaction
 * trigger below 1, which Java would fail on at the first pick).
 *
 * Imports: errors.ts, spec (core_options, core_options_view, core_options_types, data_file_meta
 * type), lsm/compaction/{compact_strategy,early_full_compaction,universal}.ts.
 */
import { LakeError } from "../../errors.ts";
import {
  optionBoolean, optionDouble, optionDurationMs, optionEnum, optionInt, optionMemoryBytes, optionRaw,
} from "../../spec/core_options.ts";
import { ChangelogProducer, type OptionMap } from "../../spec/core_options_types.ts";
import { CoreOptions } from "../../spec/core_options_view.ts";
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import type { CompactStrategyConfig } from "./compact_strategy.ts";
import { createEarlyFullCompaction } from "./early_full_compaction.ts";
import { createOffPeakHours, type UniversalCompactionConfig } from "./universal.ts";

const LONG_MAX = (1n << 63n) - 1n;

/** Everything a bucket writer needs to plan compactions. */
export interface CompactionSettings {
  /** `write-only`: writers never compact (Java `NoopCompactManager`). */
  readonly writeOnly: boolean;
  /** `num-levels` (default trigger + 1). */
  readonly levelCount: number;
  /** `num-sorted-run.stop-trigger` (default trigger + 3, never below the trigger). */
  readonly sortedRunStopTriggerCount: number;
  /** The picking strategy. */
  readonly strategy: CompactStrategyConfig;
  /** `target-file-size` * `compaction.small-file-ratio`, bytes: smaller files are rewritten, larger ones upgraded. */
  readonly compactionFileSizeBytes: bigint;
  /** `compaction.force-rewrite-all-files`. */
  readonly forceRewriteAllFiles: boolean;
  /** The table needs lookup (changelog-producer lookup, deletion vectors, first-row, force-lookup). */
  readonly needLookup: boolean;
  /** Lookup tables with `lookup-wait`: a commit waits for its compaction (Java `prepareCommitWaitCompaction`). */
  readonly prepareCommitWaitCompaction: boolean;
  /** `commit.force-compact`: every commit waits for compaction. */
  readonly commitForceCompact: boolean;
  /** Commits whose identifier is a multiple of this carry a full compaction (see `isFullCompactionCommit`), or null. */
  readonly fullCompactionDeltaCommits: number | null;
}

/**
 * Reads the compaction settings of a primary-key table. `needLookup` comes from the merge
 * function factory (lsm/merge_function), which owns that rule.
 * Throws LakeError("invalid_argument") on bad option values and LakeError("unsupported") for
 * `changelog-producer.compaction-interval` without `full-compaction.delta-commits` (Java turns it
 * into delta commits through the Flink checkpoint interval, which lakestate does not have).
 */
export function compactionSettingsFromOptions(options: OptionMap, table: { needLookup: boolean }): CompactionSettings {
  const view = new CoreOptions(options);
  const trigger = view.sortedRunCompactionTriggerCount;
  if (trigger < 1) {
    throw new LakeError("invalid_argument", `compaction options: num-sorted-run.compaction-trigger is ${trigger}, expected at least 1`);
  }
  const universal = universalConfigFromOptions(options, trigger);
  const forceUpLevel0 = table.needLookup
    ? { maxCompactInterval: optionEnum(options, "lookup-compact") === "gentle" ? lookupCompactMaxInterval(options, trigger) : null }
    : optionBoolean(options, "compaction.force-up-level-0")! ? { maxCompactInterval: null } : null;
  const smallFileRatio = optionDouble(options, "compaction.small-file-ratio")!;
  return Object.freeze({
    writeOnly: view.writeOnly,
    levelCount: view.levelCount,
    sortedRunStopTriggerCount: view.sortedRunStopTriggerCount,
    strategy: Object.freeze({ universal, forceUpLevel0 }),
    compactionFileSizeBytes: javaDoubleToLong(view.targetFileSizeBytes(true) * smallFileRatio),
    forceRewriteAllFiles: optionBoolean(options, "compaction.force-rewrite-all-files")!,
    needLookup: table.needLookup,
    prepareCommitWaitCompaction: table.needLookup && optionBoolean(options, "lookup-wait")!,
    commitForceCompact: optionBoolean(options, "commit.force-compact")!,
    fullCompactionDeltaCommits: fullCompactionDeltaCommits(options),
  });
}

/** The universal picker options (Java `new UniversalCompaction(...)` in the factory). */
export function universalConfigFromOptions(options: OptionMap, sortedRunCompactionTriggerCount: number): UniversalCompactionConfig {
  return Object.freeze({
    maxSizeAmplificationPercent: optionInt(options, "compaction.max-size-amplification-percent")!,
    sizeRatioPercent: optionInt(options, "compaction.size-ratio")!,
    sortedRunCompactionTriggerCount,
    earlyFullCompaction: createEarlyFullCompaction({
      intervalMs: optionDurationMs(options, "compaction.optimization-interval"),
      totalSizeThresholdBytes: optionMemoryBytes(options, "compaction.total-size-threshold"),
      incrementalSizeThresholdBytes: optionMemoryBytes(options, "compaction.incremental-size-threshold"),
    }),
    offPeakHours: createOffPeakHours({
      startHour: optionInt(options, "compaction.offpeak.start.hour")!,
      endHour: optionInt(options, "compaction.offpeak.end.hour")!,
      ratioPercent: optionInt(options, "compaction.offpeak-ratio")!,
    }),
  });
}

/** `lookup-compact.max-interval`, default trigger * 2, never below the trigger (Java `lookupCompactMaxInterval`). */
function lookupCompactMaxInterval(options: OptionMap, trigger: number): number {
  const set = optionInt(options, "lookup-compact.max-interval");
  return Math.max(trigger, set ?? Math.min(trigger * 2, 2 ** 31 - 1));
}

/**
 * The delta-commit cadence of full compactions, as Flink's `StoreSinkWrite` derives it: null for
 * write-only tables; with d = `full-compaction.delta-commits` (-1 when unset), `max(d, 1)` when
 * d >= 0 or changelog-producer=full-compaction, else null.
 */
export function fullCompactionDeltaCommits(options: OptionMap): number | null {
  if (optionBoolean(options, "write-only")!) return null;
  const set = optionInt(options, "full-compaction.delta-commits");
  if (set === null && optionRaw(options, "changelog-producer.compaction-interval") !== null) {
    throw new LakeError("unsupported",
      "compaction options: changelog-producer.compaction-interval needs a Flink checkpoint interval; set full-compaction.delta-commits instead");
  }
  const deltaCommits = set ?? -1;
  const fullCompactionChangelog = optionEnum(options, "changelog-producer") === ChangelogProducer.FULL_COMPACTION;
  return fullCompactionChangelog || deltaCommits >= 0 ? Math.max(deltaCommits, 1) : null;
}

/**
 * Java `estimateLastFullCompactionTime`: the latest creation time of the files at the max level
 * (`levelCount - 1` from the options), as epoch ms, or null when none. `creationTime` is the
 * writer's local wall clock read as UTC; `localToEpochMs` turns it into an instant (Java uses
 * the JVM's zone; default: UTC). Files without a creation time are skipped.
 */
export function estimateLastFullCompactionMs(
  files: readonly DataFileMeta[], options: { levelCount: number; localToEpochMs?: (localMs: number) => number },
): number | null {
  const { levelCount, localToEpochMs = (ms: number) => ms } = options;
  let max = -1;
  for (const file of files) {
    if (file.level !== levelCount - 1 || file.creationTime === null) continue;
    const t = localToEpochMs(Number(file.creationTime));
    if (t > max) max = t;
  }
  return max < 0 ? null : max;
}

/** Java `(long) double`: truncation toward zero, saturating at the long range (NaN -> 0). */
function javaDoubleToLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 9223372036854775807) return LONG_MAX;
  if (value <= -9223372036854775808) return -LONG_MAX - 1n;
  return BigInt(Math.trunc(value));
}
