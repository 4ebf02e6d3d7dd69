/**
 * Early full compaction: the checks universal compaction runs before all others, forcing a full
 * compaction (all runs into the max level) when `compaction.optimization-interval` has passed
 * since the last full compaction, when the bucket is smaller than
 * `compaction.total-size-threshold`, or when the runs above the max level exceed
 * `compaction.incremental-size-threshold`.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.EarlyFullCompaction`, with its mutable
 * `lastFullCompaction` and clock made explicit (the caller passes `nowMs` and the last time, and
 * stores `nowMs` when a unit is returned):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/EarlyFullCompaction.java
 *
 * Invariants: pure; a returned unit holds every run and outputs to the max level; a single run
 * never triggers. Checks run in Java's order: interval, total size, incremental size.
 *
 * Imports: lsm/sorted_run.ts, lsm/compaction/compact_unit.ts, util/assert.ts.
 */
import { assert } from "../../util/assert.ts";
import type { LevelSortedRun } from "../sorted_run.ts";
import { compactUnitFromLevelRuns, type CompactUnit } from "./compact_unit.ts";

/** Thresholds of early full compaction; at least one is non-null (else no config at all). */
export interface EarlyFullCompactionConfig {
  /** `compaction.optimization-interval` in ms, or null. */
  readonly intervalMs: number | null;
  /** `compaction.total-size-threshold` in bytes, or null: full compaction while total < it. */
  readonly totalSizeThresholdBytes: bigint | null;
  /** `compaction.incremental-size-threshold` in bytes, or null: full compaction while the runs above the max level exceed it. */
  readonly incrementalSizeThresholdBytes: bigint | null;
}

/** The clock state of early full compaction. */
export interface FullCompactionClock {
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** Epoch ms of the last full compaction, or null when unknown (Java's initial null). */
  readonly lastFullCompactionMs: number | null;
}

/** The config when any threshold is set, else null (Java `EarlyFullCompaction.create`). */
export function createEarlyFullCompaction(config: EarlyFullCompactionConfig): EarlyFullCompactionConfig | null {
  if (config.intervalMs === null && config.totalSizeThresholdBytes === null && config.incrementalSizeThresholdBytes === null) return null;
  return Object.freeze({ ...config });
}

/**
 * The full-compaction unit when an early trigger fires, else null (Java `tryFullCompact`).
 * On a non-null result the caller must record `clock.nowMs` as the last full compaction.
 * Requires: levelCount >= 2.
 */
export function tryEarlyFullCompaction(
  levelCount: number, runs: readonly LevelSortedRun[], options: { config: EarlyFullCompactionConfig; clock: FullCompactionClock },
): CompactUnit | null {
  assert(levelCount >= 2, `early full compaction: level count ${levelCount}`);
  if (runs.length === 1) return null;
  const { config, clock } = options;
  const maxLevel = levelCount - 1;
  if (config.intervalMs !== null) {
    if (clock.lastFullCompactionMs === null || clock.nowMs - clock.lastFullCompactionMs > config.intervalMs) {
      return compactUnitFromLevelRuns(maxLevel, runs);
    }
  }
  if (config.totalSizeThresholdBytes !== null) {
    let totalBytes = 0n;
    for (const r of runs) totalBytes += r.run.totalSizeBytes;
    if (totalBytes < config.totalSizeThresholdBytes) return compactUnitFromLevelRuns(maxLevel, runs);
  }
  if (config.incrementalSizeThresholdBytes !== null) {
    let incrementalBytes = 0n;
    for (const r of runs) if (r.level !== maxLevel) incrementalBytes += r.run.totalSizeBytes;
    if (incrementalBytes > config.incrementalSizeThresholdBytes) return compactUnitFromLevelRuns(maxLevel, runs);
  }
  return null;
}
