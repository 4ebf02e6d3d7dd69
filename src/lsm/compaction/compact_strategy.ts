/**
 * Compaction strategies of a primary-key bucket: the normal pick (universal compaction, wrapped
 * in "force up level 0" for lookup tables and `compaction.force-up-level-0`), the on-demand full
 * compaction pick (`table.compact({ full: true })`), and the `full-compaction.delta-commits` rule
 * telling which commits carry a full compaction.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.CompactStrategy` (`pickFullCompaction`),
 * `ForceUpLevel0Compaction`, the strategy choice of `MergeTreeCompactManagerFactory
 * #createCompactStrategy`, and `FullCompactedStartingScanner#isFullCompactedIdentifier`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/CompactStrategy.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/ForceUpLevel0Compaction.java
 *
 * Invariants: pure; Java's mutable strategy state (last full compaction time, gentle lookup
 * trigger counter) is the explicit `CompactStrategyState`, returned updated by every pick; a
 * picked unit holds a prefix of the runs (newest first) or all of them.
 *
 * Imports: util/assert.ts, spec/data_file_meta.ts (type), lsm/sorted_run.ts (type),
 * lsm/compaction/{compact_unit,universal}.ts.
 */
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import { assert } from "../../util/assert.ts";
import type { LevelSortedRun } from "../sorted_run.ts";
import { compactUnitFromFiles, compactUnitFromLevelRuns, type CompactUnit } from "./compact_unit.ts";
import {
  forcePickLevel0, pickUniversalCompaction, PickReason, type UniversalCompactionConfig, type UniversalPick,
} from "./universal.ts";

/** Largest commit identifier (Java Long.MAX_VALUE, the identifier of a bounded job's last commit). */
export const COMMIT_IDENTIFIER_MAX = (1n << 63n) - 1n;

/** Which strategy a bucket's writer uses (Java `createCompactStrategy`). */
export interface CompactStrategyConfig {
  /** The universal picker's options. */
  readonly universal: UniversalCompactionConfig;
  /**
   * Null: plain universal compaction. Otherwise `ForceUpLevel0Compaction`: when universal picks
   * nothing, push level 0 up anyway, every time (`maxCompactInterval` null: lookup-compact
   * radical or `compaction.force-up-level-0`) or every `maxCompactInterval`-th pick (lookup-compact
   * gentle, `lookup-compact.max-interval`).
   */
  readonly forceUpLevel0: { readonly maxCompactInterval: number | null } | null;
}

/** The strategy's memory between picks (Java keeps it in the strategy objects). */
export interface CompactStrategyState {
  /** Epoch ms of the last full compaction picked (or estimated at restore), null when unknown. */
  readonly lastFullCompactionMs: number | null;
  /** Picks since the last gentle force-up-level-0 compaction, 0 <= count < maxCompactInterval. */
  readonly forceUpLevel0PickCount: number;
}

/** Wall clock of one pick. */
export interface PickClock {
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** Current local hour of the day, 0..23 (off-peak hours). */
  readonly hourOfDay: number;
}

/** Result of `pickCompaction`. */
export interface StrategyPick {
  /** The unit, or null. May hold no file or a single file already at its output level: see compact_manager_plan.ts. */
  readonly unit: CompactUnit | null;
  /** Why, when `unit` is not null. */
  readonly reason: PickReason | null;
  /** State for the next pick. */
  readonly state: CompactStrategyState;
}

/** The state of a freshly restored writer (Java: estimated last full compaction, counter 0). */
export function initialCompactStrategyState(lastFullCompactionMs: number | null): CompactStrategyState {
  return { lastFullCompactionMs, forceUpLevel0PickCount: 0 };
}

/**
 * Normal compaction pick (Java `CompactStrategy.pick` of the configured strategy). `runs` newest
 * first (`Levels.levelSortedRuns`). Requires: levelCount >= 2; maxCompactInterval >= 1 when set.
 */
export function pickCompaction(
  levelCount: number, runs: readonly LevelSortedRun[],
  options: { config: CompactStrategyConfig; state: CompactStrategyState; clock: PickClock },
): StrategyPick {
  const { config, state, clock } = options;
  const context = { nowMs: clock.nowMs, hourOfDay: clock.hourOfDay, lastFullCompactionMs: state.lastFullCompactionMs };
  const universal = pickUniversalCompaction(levelCount, runs, { config: config.universal, context });
  const withState = (pick: UniversalPick, forceUpLevel0PickCount: number): StrategyPick => ({
    unit: pick.unit, reason: pick.reason, state: { lastFullCompactionMs: pick.lastFullCompactionMs, forceUpLevel0PickCount },
  });
  if (universal.unit !== null || config.forceUpLevel0 === null) return withState(universal, state.forceUpLevel0PickCount);
  const interval = config.forceUpLevel0.maxCompactInterval;
  if (interval === null) return withState(forcePickLevel0(levelCount, runs, { config: config.universal, context }), 0);
  assert(Number.isInteger(interval) && interval >= 1, `compact strategy: lookup compact max interval ${interval}`);
  const count = state.forceUpLevel0PickCount + 1;
  if (count === interval) return withState(forcePickLevel0(levelCount, runs, { config: config.universal, context }), 0);
  return withState(universal, count);
}

/** What the forced full compaction needs to know about files already at the max level. */
export interface FullCompactionOptions {
  /** `compaction.force-rewrite-all-files`: rewrite max-level files even when nothing else asks. */
  readonly forceRewriteAllFiles: boolean;
  /**
   * True when a max-level file must still be rewritten: it holds expired records
   * (record-level expiration) or has a deletion vector. Java `RecordLevelExpire#isExpireFile`
   * and `BucketedDvMaintainer#deletionVectorOf`. Default: never.
   */
  readonly rewriteMaxLevelFile?: (file: DataFileMeta) => boolean;
}

/**
 * The forced full compaction unit (Java `CompactStrategy.pickFullCompaction`): null when the
 * bucket is empty; when it is one run already at the max level, a file-rewrite unit of the files
 * that still need rewriting (null when none); else every run merged into the max level.
 * Requires: levelCount >= 2.
 */
export function pickFullCompaction(levelCount: number, runs: readonly LevelSortedRun[], options: FullCompactionOptions): CompactUnit | null {
  assert(Number.isInteger(levelCount) && levelCount >= 2, `compact strategy: level count ${levelCount}`);
  const maxLevel = levelCount - 1;
  if (runs.length === 0) return null;
  if (runs.length === 1 && runs[0]!.level === maxLevel) {
    const rewrite = options.rewriteMaxLevelFile ?? (() => false);
    const files = runs[0]!.run.files.filter((file) => options.forceRewriteAllFiles || rewrite(file));
    return files.length === 0 ? null : compactUnitFromFiles(files, { outputLevel: maxLevel, fileRewrite: true });
  }
  return compactUnitFromLevelRuns(maxLevel, runs);
}

/**
 * True when the commit with this identifier carries a full compaction under
 * `full-compaction.delta-commits` (Java `isFullCompactedIdentifier`: identifier % deltaCommits
 * == 0, or the end-of-input identifier Long.MAX_VALUE). Requires: deltaCommits >= 1.
 */
export function isFullCompactionCommit(commitIdentifier: bigint, deltaCommits: number): boolean {
  assert(Number.isInteger(deltaCommits) && deltaCommits >= 1, `compact strategy: delta commits ${deltaCommits}`);
  return commitIdentifier % BigInt(deltaCommits) === 0n || commitIdentifier === COMMIT_IDENTIFIER_MAX;
}
