// Goal: the universal picker chooses exactly what Java's UniversalCompaction chooses.
// Method: ports of Java's UniversalCompactionTest, ForceUpLevel0CompactionTest,
// EarlyFullCompactionTest and OffPeakHoursTest cases (method names cited per test), with Java's
// mutable clock and last-full-compaction time replaced by explicit state threaded through picks.
import { assert, describe, test } from "../../../harness.ts";
import {
  createOffPeakHours, createUnit, forcePickLevel0, offPeakRatio, pickForSizeAmplification, pickForSizeRatioTriggered,
  pickUniversalCompaction, type UniversalCompactionConfig,
} from "../../../../src/lsm/compaction/universal.ts";
import {
  createEarlyFullCompaction, tryEarlyFullCompaction, type EarlyFullCompactionConfig,
} from "../../../../src/lsm/compaction/early_full_compaction.ts";
import { initialCompactStrategyState, pickCompaction, type CompactStrategyConfig } from "../../../../src/lsm/compaction/compact_strategy.ts";
import type { CompactUnit } from "../../../../src/lsm/compaction/compact_unit.ts";
import type { LevelSortedRun } from "../../../../src/lsm/sorted_run.ts";
import { level0, run, sizesOf } from "../lsm_file_helpers.ts";

/** Java `UniversalCompactionTest.ofTesting`. */
function ofTesting(maxSizeAmp: number, sizeRatio: number, trigger: number, early: EarlyFullCompactionConfig | null = null): UniversalCompactionConfig {
  return {
    maxSizeAmplificationPercent: maxSizeAmp, sizeRatioPercent: sizeRatio, sortedRunCompactionTriggerCount: trigger,
    earlyFullCompaction: early, offPeakHours: null,
  };
}

/** A stateful picker like Java's strategy objects, over an adjustable clock. */
function picker(config: CompactStrategyConfig, time = { nowMs: 0 }, lastFullCompactionMs: number | null = null) {
  let state = initialCompactStrategyState(lastFullCompactionMs);
  return (levelCount: number, runs: LevelSortedRun[]): CompactUnit | null => {
    const pick = pickCompaction(levelCount, runs, { config, state, clock: { nowMs: time.nowMs, hourOfDay: 12 } });
    state = pick.state;
    return pick.unit;
  };
}

function universal(config: UniversalCompactionConfig, time?: { nowMs: number }) {
  return picker({ universal: config, forceUpLevel0: null }, time);
}

function forceUp(config: UniversalCompactionConfig, maxCompactInterval: number | null) {
  return picker({ universal: config, forceUpLevel0: { maxCompactInterval } });
}

/** Java `appendAndPickForSizeAmp`. */
function appendAndPickForSizeAmp(config: UniversalCompactionConfig, sizes: number[]): number[] {
  const next = [1, ...sizes];
  const picked = pickForSizeAmplification(3, level0(...next), config);
  return picked === null ? next : [sizesOf(picked.unit.files).reduce((a, b) => a + b, 0)];
}

/** Java `pickForSizeRatio(compaction, sizes)`: run i at level i, maxLevel = sizes.length. */
function pickForSizeRatioSizes(config: UniversalCompactionConfig, sizes: number[]): number[] {
  const runs = sizes.map((size, i) => run(i, size));
  const picked = pickForSizeRatioTriggered(sizes.length, runs, { config });
  if (picked === null) return sizes;
  const compact = sizesOf(picked.unit.files);
  const rest = [...sizes];
  for (const s of compact) rest.splice(rest.indexOf(s), 1);
  return [compact.reduce((a, b) => a + b, 0), ...rest];
}

describe("UniversalCompaction (UniversalCompactionTest)", () => {
  test("testOutputLevel", () => {
    const runs = [0, 0, 1, 3, 4].map((level) => run(level, 1));
    assert.deepEqual([1, 2, 3, 4, 5].map((count) => createUnit(runs, { maxLevel: 5, runCount: count }).unit.outputLevel), [1, 1, 2, 3, 5]);
  });

  test("testPick", () => {
    const pick = universal(ofTesting(25, 1, 3));
    assert.deepEqual(sizesOf(pick(3, level0(1, 2, 3, 3))!.files), [1, 2, 3, 3]); // size amplification
    assert.deepEqual(sizesOf(pick(4, [run(0, 1), run(1, 1), run(2, 1), run(3, 50)])!.files), [1, 1, 1]); // size ratio
    assert.deepEqual(sizesOf(pick(4, [run(0, 1), run(1, 2), run(2, 3), run(3, 50)])!.files), [1, 2, 3]); // file num
  });

  test("testOptimizedCompactionInterval", () => {
    const time = { nowMs: 0 };
    const early = createEarlyFullCompaction({ intervalMs: 1000, totalSizeThresholdBytes: null, incrementalSizeThresholdBytes: null });
    const pick = universal(ofTesting(100, 1, 3, early), time);
    const runs = () => [run(0, 1), run(1, 3), run(2, 5)];
    assert.deepEqual(sizesOf(pick(3, runs())!.files), [1, 3, 5]); // first time: forced
    time.nowMs = 1001;
    assert.deepEqual(sizesOf(pick(3, runs())!.files), [1, 3, 5]);
    assert.equal(pick(3, runs()), null);
    time.nowMs = 1500;
    assert.deepEqual(sizesOf(pick(3, [run(0, 3), run(1, 3), run(2, 5)])!.files), [3, 3, 5]); // size amp
    time.nowMs = 2001;
    assert.equal(pick(3, runs()), null, "size amplification at 1500 counts as the last full compaction");
  });

  test("testTotalSizeThreshold", () => {
    const early = createEarlyFullCompaction({ intervalMs: null, totalSizeThresholdBytes: 10n, incrementalSizeThresholdBytes: null });
    const pick = universal(ofTesting(100, 1, 3, early));
    assert.deepEqual(sizesOf(pick(3, [run(0, 1), run(1, 3), run(2, 5)])!.files), [1, 3, 5]);
    assert.equal(pick(3, [run(0, 2), run(1, 6), run(2, 10)]), null);
    assert.equal(pick(3, [run(3, 5)]), null);
  });

  test("testNoOutputLevel0", () => {
    const pick = universal(ofTesting(25, 1, 3));
    assert.deepEqual(sizesOf(pick(3, [run(0, 1), run(0, 1), run(1, 1), run(2, 50)])!.files), [1, 1, 1]);
    assert.deepEqual(sizesOf(pick(3, [run(0, 1), run(0, 2), run(1, 3), run(2, 50)])!.files), [1, 2, 3]);
  });

  test("testFileNumCompactionConsidersLevel2", () => {
    const unit = universal(ofTesting(200, 1, 3))(3, [run(0, 10), run(0, 20), run(1, 97), run(2, 100)])!;
    assert.equal(unit.files.length, 4);
    assert.equal(unit.outputLevel, 2);
  });

  test("testExtremeCaseNoOutputLevel0", () => {
    const unit = universal(ofTesting(200, 1, 5))(6, level0(1, 1, 1, 1024, 1024 * 1024))!;
    assert.deepEqual(sizesOf(unit.files), [1, 1, 1, 1024, 1024 * 1024]);
    assert.equal(unit.outputLevel, 5);
  });

  test("testSizeAmplification", () => {
    const config = ofTesting(25, 0, 1);
    const expected = [[2], [3], [4], [1, 4], [6], [1, 6], [8], [1, 8], [1, 1, 8], [11], [1, 11], [1, 1, 11], [14], [1, 14],
      [1, 1, 14], [1, 1, 1, 14], [18]];
    let sizes = [1];
    for (const want of expected) {
      sizes = appendAndPickForSizeAmp(config, sizes);
      assert.deepEqual(sizes, want);
    }
  });

  test("testSizeRatio", () => {
    const config = ofTesting(25, 1, 5);
    const expected = [[5], [1, 5], [1, 1, 5], [1, 1, 1, 5], [4, 5], [1, 4, 5], [1, 1, 4, 5], [3, 4, 5], [1, 3, 4, 5],
      [2, 3, 4, 5], [1, 2, 3, 4, 5], [16], [1, 16], [1, 1, 16], [1, 1, 1, 16], [4, 16], [1, 4, 16], [1, 1, 4, 16],
      [3, 4, 16], [1, 3, 4, 16], [2, 3, 4, 16], [1, 2, 3, 4, 16], [11, 16]];
    let sizes = [1, 1, 1, 1];
    for (const want of expected) {
      sizes = pickForSizeRatioSizes(config, [1, ...sizes]);
      assert.deepEqual(sizes, want);
    }
  });

  test("testSizeRatioThreshold", () => {
    assert.deepEqual(pickForSizeRatioSizes(ofTesting(25, 10, 2), [8, 9, 10]), [8, 9, 10]);
    assert.deepEqual(pickForSizeRatioSizes(ofTesting(25, 20, 2), [8, 9, 10]), [27]);
  });

  test("testLookup", () => {
    const pick = forceUp(ofTesting(25, 1, 3), null);
    let unit = pick(3, level0(1, 2, 2, 2))!;
    assert.deepEqual([sizesOf(unit.files), unit.outputLevel], [[1, 2, 2, 2], 2]);
    unit = pick(3, [run(0, 1), run(1, 2), run(2, 2)])!;
    assert.deepEqual([sizesOf(unit.files), unit.outputLevel], [[1, 2, 2], 2]);
    unit = pick(3, [run(0, 1), run(2, 2)])!;
    assert.deepEqual([sizesOf(unit.files), unit.outputLevel], [[1], 1]);
  });

  test("testForcePickL0", () => {
    const maxInterval = 5;
    const pick = forceUp(ofTesting(25, 1, 5), maxInterval);
    const cases: [LevelSortedRun[], number[], number][] = [
      [level0(1, 2, 2, 2), [1, 2, 2, 2], 2],
      [[run(0, 2), run(1, 2), run(2, 2)], [2, 2, 2], 2],
      [[run(0, 1), run(2, 2)], [1], 1],
    ];
    for (const [runs, sizes, outputLevel] of cases) {
      for (let i = 1; i <= maxInterval; i++) {
        const unit = pick(3, runs);
        if (i < maxInterval) {
          assert.equal(unit, null, `pick ${i} skipped`);
        } else {
          assert.deepEqual([sizesOf(unit!.files), unit!.outputLevel], [sizes, outputLevel]);
        }
      }
    }
  });
});

describe("ForceUpLevel0Compaction (ForceUpLevel0CompactionTest)", () => {
  test("testForceCompaction0", () => {
    const pick = forceUp(ofTesting(200, 1, 5), null);
    assert.equal(pick(3, [run(0, 1), run(0, 1)])!.outputLevel, 2);
    assert.equal(pick(3, [run(0, 1), run(1, 10)])!.outputLevel, 2);
    assert.equal(pick(3, [run(0, 1), run(0, 5), run(2, 10)])!.outputLevel, 1);
    assert.equal(pick(3, [run(2, 10)]), null);
    assert.equal(pick(3, [run(0, 1), run(0, 5), run(0, 10), run(0, 20)])!.outputLevel, 2);
  });

  test("testForceCompaction0ConsidersLevel2", () => {
    const pick = forceUp(ofTesting(200, 1, 5), null);
    let unit = pick(3, [run(0, 1), run(1, 99), run(2, 100)])!;
    assert.deepEqual([unit.files.length, unit.outputLevel], [3, 2]);
    unit = pick(3, [run(0, 1), run(1, 99), run(2, 102)])!;
    assert.deepEqual([unit.files.length, unit.outputLevel], [2, 1]);
  });

  test("forcePickLevel0 with no level-0 run picks nothing", () => {
    const context = { nowMs: 0, hourOfDay: 0, lastFullCompactionMs: null };
    assert.equal(forcePickLevel0(3, [run(1, 1), run(2, 1)], { config: ofTesting(200, 1, 5), context }).unit, null);
  });
});

describe("EarlyFullCompaction (EarlyFullCompactionTest)", () => {
  const early = (intervalMs: number | null, total: number | null, incremental: number | null) => ({
    intervalMs, totalSizeThresholdBytes: total === null ? null : BigInt(total), incrementalSizeThresholdBytes: incremental === null ? null : BigInt(incremental),
  });
  /** Java's TestableEarlyFullCompaction: tryFullCompact with a clock, recording the time on a hit. */
  function trigger(config: EarlyFullCompactionConfig, time: { nowMs: number }, last: number | null = null) {
    let lastFullCompactionMs = last;
    return (runs: LevelSortedRun[]): CompactUnit | null => {
      const unit = tryEarlyFullCompaction(5, runs, { config, clock: { nowMs: time.nowMs, lastFullCompactionMs } });
      if (unit !== null) lastFullCompactionMs = time.nowMs;
      return unit;
    };
  }

  test("testCreateNoOptions / testCreateWithInterval / testCreateWithThreshold / testCreateWithBoth", () => {
    assert.equal(createEarlyFullCompaction(early(null, null, null)), null);
    assert.notEqual(createEarlyFullCompaction(early(3_600_000, null, null)), null);
    assert.notEqual(createEarlyFullCompaction(early(null, 100 * 1024 * 1024, null)), null);
    assert.notEqual(createEarlyFullCompaction(early(3_600_000, 100 * 1024 * 1024, null)), null);
  });

  test("testSingleRun / testNoOptions", () => {
    assert.equal(trigger(early(1000, 1000, null), { nowMs: 0 })(level0(100)), null);
    assert.equal(trigger(early(null, null, null), { nowMs: 0 })(level0(100, 200)), null);
  });

  test("testIntervalDoesNotRetriggerWhenSeededRecent / testIntervalTriggersWhenSeededOld", () => {
    const time = { nowMs: 10_000 };
    const recent = trigger(early(1000, null, null), time, 9_500);
    assert.equal(recent(level0(100, 200)), null);
    time.nowMs += 501;
    assert.equal(recent(level0(100, 200))!.outputLevel, 4);
    assert.equal(trigger(early(1000, null, null), { nowMs: 10_000 }, 5_000)(level0(100, 200))!.outputLevel, 4);
  });

  test("testInterval", () => {
    const time = { nowMs: 10_000 };
    const t = trigger(early(1000, null, null), time);
    let unit = t(level0(100, 200))!;
    assert.deepEqual([unit.outputLevel, unit.files.length], [4, 2]);
    time.nowMs += 500;
    assert.equal(t(level0(100, 200)), null);
    time.nowMs += 501;
    unit = t(level0(100, 200))!;
    assert.deepEqual([unit.outputLevel, unit.files.length], [4, 2]);
  });

  test("testTotalSizeThreshold", () => {
    const t = trigger(early(null, 1000, null), { nowMs: 0 });
    const unit = t(level0(100, 200))!;
    assert.deepEqual([unit.outputLevel, unit.files.length], [4, 2]);
    assert.equal(t(level0(500, 500)), null);
    assert.equal(t(level0(500, 1000)), null);
  });

  test("testIncrementalSizeThreshold", () => {
    const t = trigger(early(null, null, 500), { nowMs: 0 });
    assert.deepEqual([t(level0(400, 200))!.outputLevel, t(level0(400, 200))!.files.length], [4, 2]);
    assert.equal(t(level0(100, 200)), null);
    assert.equal(t([run(0, 100), run(0, 300), run(4, 500)]), null);
    const unit = t([run(0, 100), run(0, 300), run(0, 300), run(4, 500)])!;
    assert.deepEqual([unit.outputLevel, unit.files.length], [4, 4]);
  });

  test("testIntervalTriggersFirst / testThresholdTriggersWhenIntervalFails", () => {
    assert.equal(trigger(early(1000, 500, null), { nowMs: 10_000 })(level0(300, 300))!.outputLevel, 4);
    const time = { nowMs: 10_000 };
    const t = trigger(early(1000, 500, null), time);
    assert.notEqual(t(level0(10, 20)), null);
    time.nowMs += 500;
    assert.equal(t(level0(30, 30))!.outputLevel, 4);
    assert.equal(t(level0(300, 300)), null);
  });

  test("testUpdateLastWhenFullCompactIsTriggeredByTotalSize / ...ByIncSize", () => {
    for (const [config, second] of [[early(1000, 500, null), [300, 100]], [early(1000, null, 500), [300, 300]]] as const) {
      const time = { nowMs: 10_000 };
      const t = trigger(config, time);
      assert.equal(t(level0(300, config.totalSizeThresholdBytes === null ? 100 : 300))!.outputLevel, 4);
      time.nowMs += 100;
      assert.equal(t(level0(...second))!.outputLevel, 4);
      time.nowMs += 901; // 11_001 - 10_100 < 1000
      assert.equal(t(level0(300, config.totalSizeThresholdBytes === null ? 100 : 300)), null);
    }
  });
});

describe("OffPeakHours (OffPeakHoursTest)", () => {
  test("testCreateWithInvalidHours / testCreateFromOptionsWithDefault / ...WithSameHour", () => {
    assert.equal(createOffPeakHours({ startHour: -1, endHour: -1, ratioPercent: 10 }), null);
    assert.equal(createOffPeakHours({ startHour: 5, endHour: 5, ratioPercent: 10 }), null);
    assert.equal(createOffPeakHours({ startHour: 2, endHour: -1, ratioPercent: 10 }), null);
    assert.equal(createOffPeakHours({ startHour: -1, endHour: 2, ratioPercent: 10 }), null);
  });

  test("testCurrentRatioNormalHours", () => {
    const hours = createOffPeakHours({ startHour: 2, endHour: 8, ratioPercent: 10 });
    assert.deepEqual([1, 2, 5, 7, 8, 9].map((h) => offPeakRatio(hours, h)), [0, 10, 10, 10, 0, 0]);
  });

  test("testCurrentRatioOvernightHours / testCreateFromOptions", () => {
    const hours = createOffPeakHours({ startHour: 22, endHour: 6, ratioPercent: 10 });
    assert.deepEqual([21, 22, 23, 0, 5, 6, 10, 7].map((h) => offPeakRatio(hours, h)), [0, 10, 10, 10, 10, 0, 0, 0]);
  });

  test("off-peak ratio widens the size ratio inside the window only", () => {
    // 8 * (100 + 1) / 100 < 9 stops the prefix; with +20 off-peak, 8 * 1.21 >= 9 and 17 * 1.21 >= 10.
    const config = { ...ofTesting(1000, 1, 3), offPeakHours: createOffPeakHours({ startHour: 22, endHour: 6, ratioPercent: 20 }) };
    const runs = () => [run(0, 8), run(1, 9), run(2, 10)];
    const at = (hourOfDay: number) => pickUniversalCompaction(3, runs(), { config, context: { nowMs: 0, hourOfDay, lastFullCompactionMs: null } });
    assert.equal(at(12).unit, null);
    assert.deepEqual(sizesOf(at(23).unit!.files), [8, 9, 10]);
    assert.equal(at(23).reason, "size-ratio");
  });
});
