// Goal: the forced full compaction pick, the delta-commit rule, the strategy state and the
// compaction settings read from table options behave as Java's CompactStrategy,
// ForceUpLevel0Compaction, FullCompactedStartingScanner, MergeTreeCompactManagerFactory and
// CoreOptions getters do.
// Method: hand-built runs for pickFullCompaction (each branch of Java's method); identifiers
// around multiples and Long.MAX_VALUE for isFullCompactionCommit; option maps checked against
// the Java defaults and derivations (values computed by hand from CoreOptions' rules).
import { assert, describe, test } from "../../../harness.ts";
import {
  COMMIT_IDENTIFIER_MAX, initialCompactStrategyState, isFullCompactionCommit, pickCompaction, pickFullCompaction,
} from "../../../../src/lsm/compaction/compact_strategy.ts";
import {
  compactionSettingsFromOptions, estimateLastFullCompactionMs, fullCompactionDeltaCommits,
} from "../../../../src/lsm/compaction/compaction_options.ts";
import { isLakeError } from "../../../../src/errors.ts";
import { dataFile, level0, run, sizesOf } from "../lsm_file_helpers.ts";
import { sortedRunOf } from "../../../../src/lsm/sorted_run.ts";

describe("pickFullCompaction (CompactStrategy.pickFullCompaction)", () => {
  const opts = { forceRewriteAllFiles: false };

  test("no runs: nothing; several runs: all into the max level", () => {
    assert.equal(pickFullCompaction(3, [], opts), null);
    const unit = pickFullCompaction(4, [run(0, 1), run(0, 2), run(2, 3)], opts)!;
    assert.deepEqual([sizesOf(unit.files), unit.outputLevel, unit.fileRewrite], [[1, 2, 3], 3, false]);
    const single = pickFullCompaction(4, [run(1, 7)], opts)!;
    assert.deepEqual([single.outputLevel, single.fileRewrite], [3, false], "one run below the max level is merged up");
  });

  test("one run at the max level: only files needing a rewrite, as a file-rewrite unit", () => {
    const a = dataFile({ level: 2, min: 1, max: 2, size: 10 });
    const b = dataFile({ level: 2, min: 3, max: 4, size: 20 });
    const runs = [{ level: 2, run: sortedRunOf([a, b]) }];
    assert.equal(pickFullCompaction(3, runs, opts), null);
    const dv = pickFullCompaction(3, runs, { forceRewriteAllFiles: false, rewriteMaxLevelFile: (f) => f === b })!;
    assert.deepEqual([sizesOf(dv.files), dv.outputLevel, dv.fileRewrite], [[20], 2, true]);
    assert.deepEqual(sizesOf(pickFullCompaction(3, runs, { forceRewriteAllFiles: true })!.files), [10, 20]);
  });
});

describe("isFullCompactionCommit (FullCompactedStartingScanner.isFullCompactedIdentifier)", () => {
  test("multiples of delta commits and Long.MAX_VALUE", () => {
    assert.deepEqual([0n, 1n, 2n, 3n, 6n, 7n].map((id) => isFullCompactionCommit(id, 3)), [true, false, false, true, true, false]);
    assert.equal(isFullCompactionCommit(COMMIT_IDENTIFIER_MAX, 5), true);
    assert.equal(isFullCompactionCommit(COMMIT_IDENTIFIER_MAX - 1n, 5), false);
    assert.equal(isFullCompactionCommit(17n, 1), true);
  });
});

describe("pickCompaction state", () => {
  test("a size-amplification pick with early full compaction configured records the time", () => {
    const config = {
      universal: {
        maxSizeAmplificationPercent: 25, sizeRatioPercent: 1, sortedRunCompactionTriggerCount: 3, offPeakHours: null,
        earlyFullCompaction: { intervalMs: 1000, totalSizeThresholdBytes: null, incrementalSizeThresholdBytes: null },
      },
      forceUpLevel0: null,
    };
    const state = initialCompactStrategyState(500);
    const pick = pickCompaction(3, level0(1, 2, 3, 3), { config, state, clock: { nowMs: 900, hourOfDay: 0 } });
    assert.deepEqual([pick.reason, pick.state.lastFullCompactionMs], ["size-amplification", 900]);
    const none = pickCompaction(3, [run(2, 9)], { config, state, clock: { nowMs: 901, hourOfDay: 0 } });
    assert.deepEqual([none.unit, none.state.lastFullCompactionMs], [null, 500]);
  });
});

describe("compaction settings from options (CoreOptions, MergeTreeCompactManagerFactory)", () => {
  test("defaults", () => {
    const s = compactionSettingsFromOptions({}, { needLookup: false });
    assert.equal(s.levelCount, 6);
    assert.equal(s.sortedRunStopTriggerCount, 8);
    assert.deepEqual(s.strategy, {
      universal: { maxSizeAmplificationPercent: 200, sizeRatioPercent: 1, sortedRunCompactionTriggerCount: 5, earlyFullCompaction: null, offPeakHours: null },
      forceUpLevel0: null,
    });
    assert.equal(s.compactionFileSizeBytes, BigInt(Math.trunc(128 * 1024 * 1024 * 0.7)));
    assert.deepEqual([s.writeOnly, s.forceRewriteAllFiles, s.prepareCommitWaitCompaction, s.commitForceCompact, s.fullCompactionDeltaCommits],
      [false, false, false, false, null]);
  });

  test("derived values follow the trigger and explicit options", () => {
    const s = compactionSettingsFromOptions({
      "num-sorted-run.compaction-trigger": "2", "num-sorted-run.stop-trigger": "1", "compaction.size-ratio": "7",
      "compaction.optimization-interval": "1 h", "compaction.total-size-threshold": "1 kb", "compaction.offpeak.start.hour": "22",
      "compaction.offpeak.end.hour": "6", "compaction.offpeak-ratio": "30", "target-file-size": "10 mb", "compaction.small-file-ratio": "0.5",
      "compaction.force-up-level-0": "true", "write.compaction-skip": "true",
    }, { needLookup: false });
    assert.equal(s.levelCount, 3);
    assert.equal(s.sortedRunStopTriggerCount, 2, "never below the trigger");
    assert.equal(s.strategy.universal.sizeRatioPercent, 7);
    assert.deepEqual(s.strategy.universal.earlyFullCompaction, { intervalMs: 3_600_000, totalSizeThresholdBytes: 1024n, incrementalSizeThresholdBytes: null });
    assert.deepEqual(s.strategy.universal.offPeakHours, { startHour: 22, endHour: 6, ratioPercent: 30 });
    assert.equal(s.compactionFileSizeBytes, 5n * 1024n * 1024n);
    assert.deepEqual(s.strategy.forceUpLevel0, { maxCompactInterval: null });
    assert.equal(s.writeOnly, true, "fallback key write.compaction-skip");
  });

  test("lookup tables force level 0 up: radical every pick, gentle every max-interval picks", () => {
    assert.deepEqual(compactionSettingsFromOptions({}, { needLookup: true }).strategy.forceUpLevel0, { maxCompactInterval: null });
    assert.deepEqual(compactionSettingsFromOptions({ "lookup-compact": "gentle" }, { needLookup: true }).strategy.forceUpLevel0, { maxCompactInterval: 10 });
    assert.deepEqual(compactionSettingsFromOptions({ "lookup-compact": "GENTLE", "lookup-compact.max-interval": "3" }, { needLookup: true })
      .strategy.forceUpLevel0, { maxCompactInterval: 5 }, "never below the trigger");
    assert.equal(compactionSettingsFromOptions({}, { needLookup: true }).prepareCommitWaitCompaction, true);
    assert.equal(compactionSettingsFromOptions({ "lookup-wait": "false" }, { needLookup: true }).prepareCommitWaitCompaction, false);
  });

  test("bad values are invalid arguments", () => {
    assert.throws(() => compactionSettingsFromOptions({ "num-sorted-run.compaction-trigger": "0" }, { needLookup: false }),
      (e: unknown) => isLakeError(e, "invalid_argument") && /compaction-trigger is 0/.test((e as Error).message));
    assert.throws(() => compactionSettingsFromOptions({ "compaction.size-ratio": "x" }, { needLookup: false }), (e: unknown) => isLakeError(e, "invalid_argument"));
  });

  test("full-compaction delta commits as Flink's StoreSinkWrite derives them", () => {
    assert.equal(fullCompactionDeltaCommits({}), null);
    assert.equal(fullCompactionDeltaCommits({ "full-compaction.delta-commits": "4" }), 4);
    assert.equal(fullCompactionDeltaCommits({ "full-compaction.delta-commits": "0" }), 1);
    assert.equal(fullCompactionDeltaCommits({ "full-compaction.delta-commits": "-3" }), null);
    assert.equal(fullCompactionDeltaCommits({ "changelog-producer": "full-compaction" }), 1);
    assert.equal(fullCompactionDeltaCommits({ "changelog-producer": "full-compaction", "full-compaction.delta-commits": "-3" }), 1);
    assert.equal(fullCompactionDeltaCommits({ "full-compaction.delta-commits": "4", "write-only": "true" }), null);
    assert.throws(() => fullCompactionDeltaCommits({ "changelog-producer.compaction-interval": "1 min" }), (e: unknown) => isLakeError(e, "unsupported"));
  });

  test("estimateLastFullCompactionMs: latest creation time at the max level", () => {
    const files = [
      dataFile({ level: 2, creationTime: 5000n }), dataFile({ level: 2, creationTime: 7000n }), dataFile({ level: 1, creationTime: 9000n }),
      dataFile({ level: 2, creationTime: null }),
    ];
    assert.equal(estimateLastFullCompactionMs(files, { levelCount: 3 }), 7000);
    assert.equal(estimateLastFullCompactionMs(files, { levelCount: 3, localToEpochMs: (ms) => ms - 3600_000 + 10_000_000 }), 7000 - 3600_000 + 10_000_000);
    assert.equal(estimateLastFullCompactionMs(files, { levelCount: 4 }), null);
  });
});
