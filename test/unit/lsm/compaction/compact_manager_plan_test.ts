// Goal: the compact manager and task plans decide like Java's MergeTreeCompactManager and
// MergeTreeCompactTask: which unit runs, whether deletes may be dropped, which files are
// rewritten and which only change level, and when writers stall.
// Method: ports of MergeTreeCompactManagerTest (method names cited): files given as
// (level, minKey, maxKey), Java's test strategies as explicit units, a test rewriter that turns
// each rewrite step into one file spanning its inputs (as Java's TestRewriter does), and the
// levels after applying the result compared with Java's expected (level, min, max) lists. Then
// planCompaction with the real strategy, the write-stall thresholds and the task plan's upgrade
// exceptions (deletes at max level, forced rewrite, file-rewrite units).
import { assert, describe, test } from "../../../harness.ts";
import { Levels } from "../../../../src/lsm/levels.ts";
import {
  compactionNotCompleted, isUsefulUnit, planCompaction, shouldDropDelete, shouldWaitForLatestCompaction,
  shouldWaitForPreparingCheckpoint,
} from "../../../../src/lsm/compaction/compact_manager_plan.ts";
import { planCompactTask, upgradeFile, type CompactTaskStep } from "../../../../src/lsm/compaction/compact_task_plan.ts";
import { compactUnitFromFiles, compactUnitFromLevelRuns, type CompactUnit } from "../../../../src/lsm/compaction/compact_unit.ts";
import { initialCompactStrategyState, type CompactStrategyConfig } from "../../../../src/lsm/compaction/compact_strategy.ts";
import type { LevelSortedRun } from "../../../../src/lsm/sorted_run.ts";
import type { DataFileMeta } from "../../../../src/spec/data_file_meta.ts";
import { AssertionError } from "../../../../src/util/assert.ts";
import { compareIntKeys, dataFile, keyInt } from "../lsm_file_helpers.ts";

type LevelMinMax = [level: number, min: number, max: number];

/** Java DataFileTestUtils.newFile(level, min, max, maxSequence): size = max - min + 1, no deletes. */
function newFile(level: number, min: number, max: number, maxSequence: number): DataFileMeta {
  return dataFile({ level, min, max, size: max - min + 1, maxSequenceNumber: BigInt(maxSequence) });
}

const levelMinMax = (f: DataFileMeta): LevelMinMax => [f.level, keyInt(f.minKey), keyInt(f.maxKey)];

/** Java TestRewriter + MergeTreeCompactTask: runs the task plan, returns (before, after). */
function execute(unit: CompactUnit, steps: CompactTaskStep[]): { before: DataFileMeta[]; after: DataFileMeta[] } {
  const before: DataFileMeta[] = [];
  const after: DataFileMeta[] = [];
  for (const step of steps) {
    if (step.kind === "upgrade") {
      before.push(step.file);
      after.push(upgradeFile(step.file, unit.outputLevel));
      continue;
    }
    const files = step.sections.flatMap((section) => section.flatMap((run) => [...run.files]));
    before.push(...files);
    const min = Math.min(...files.map((f) => keyInt(f.minKey)));
    const max = Math.max(...files.map((f) => keyInt(f.maxKey)));
    const maxSequence = Math.max(...files.map((f) => Number(f.maxSequenceNumber)));
    after.push(newFile(unit.outputLevel, min, max, maxSequence));
  }
  return { before, after };
}

/** Java `innerTest(inputs, expected, strategy, expectedDropDelete)` with 3 levels and minFileSize 2. */
function innerTest(inputs: LevelMinMax[], expected: LevelMinMax[], strategy?: (levelCount: number, runs: LevelSortedRun[]) => CompactUnit,
  expectedDropDelete = true): void {
  let levels = Levels.create(inputs.map(([level, min, max], i) => newFile(level, min, max, i)), { levelCount: 3, compareKeys: compareIntKeys });
  const pick = strategy ?? ((levelCount, runs) => compactUnitFromLevelRuns(levelCount - 1, runs));
  const unit = pick(levels.levelCount, levels.levelSortedRuns());
  if (isUsefulUnit(unit)) {
    assert.equal(shouldDropDelete(levels, unit, { forceKeepDelete: false, deletionVectors: false }), expectedDropDelete);
    const steps = planCompactTask(unit, { compareKeys: compareIntKeys, compactionFileSizeBytes: 2n, maxLevel: levels.maxLevel, forceRewriteAllFiles: false });
    const { before, after } = execute(unit, steps);
    levels = levels.update(before, after);
  }
  assert.deepEqual(levels.allFiles().map(levelMinMax), expected);
}

describe("MergeTreeCompactManager (MergeTreeCompactManagerTest)", () => {
  test("testOutputToZeroLevel", () => {
    innerTest([[0, 1, 3], [0, 1, 5], [0, 1, 8]], [[0, 1, 8], [0, 1, 3]], (_n, runs) => compactUnitFromLevelRuns(0, runs.slice(0, 2)), false);
  });
  test("testCompactToPenultimateLayer", () => {
    innerTest([[0, 1, 3], [0, 1, 5], [2, 1, 7]], [[1, 1, 5], [2, 1, 7]], (_n, runs) => compactUnitFromLevelRuns(1, runs.slice(0, 2)), false);
  });
  test("testNoCompaction", () => innerTest([[3, 1, 3]], [[3, 1, 3]]));
  test("testNormal", () => innerTest([[0, 1, 3], [1, 1, 5], [1, 6, 7]], [[2, 1, 5], [2, 6, 7]]));
  test("testUpgrade", () => innerTest([[0, 1, 3], [0, 1, 5], [0, 6, 8]], [[2, 1, 5], [2, 6, 8]]));
  test("testSmallFiles", () => innerTest([[0, 1, 1], [0, 2, 2]], [[2, 1, 2]]));
  test("testSmallFilesNoCompact", () => {
    innerTest([[0, 1, 5], [0, 6, 6], [1, 7, 8], [1, 9, 10]], [[2, 1, 5], [2, 6, 6], [2, 7, 8], [2, 9, 10]]);
  });
  test("testSmallFilesCrossLevel", () => {
    innerTest([[0, 1, 5], [0, 6, 6], [1, 7, 7], [1, 9, 10]], [[2, 1, 5], [2, 6, 7], [2, 9, 10]]);
  });
  test("testComplex", () => {
    innerTest([[0, 1, 5], [0, 6, 6], [1, 1, 4], [1, 6, 8], [1, 10, 11], [2, 1, 3], [2, 4, 6]], [[2, 1, 8], [2, 10, 11]]);
  });
  test("testSmallInComplex", () => {
    innerTest([[0, 1, 5], [0, 6, 6], [1, 1, 4], [1, 6, 8], [1, 10, 10], [2, 1, 3], [2, 4, 6]], [[2, 1, 10]]);
  });

  test("testIsCompacting", () => {
    const levels = Levels.create([newFile(0, 1, 3, 0), newFile(1, 1, 5, 1), newFile(1, 6, 7, 2)], { levelCount: 3, compareKeys: compareIntKeys });
    assert.equal(compactionNotCompleted(levels, { taskRunning: false, needLookup: true }), true);
    assert.equal(compactionNotCompleted(levels, { taskRunning: false, needLookup: false }), false);
    assert.equal(compactionNotCompleted(levels, { taskRunning: true, needLookup: false }), true);
  });
});

describe("compaction task plan details (MergeTreeCompactTask)", () => {
  const plan = (unit: CompactUnit, over: { force?: boolean; maxLevel?: number } = {}) =>
    planCompactTask(unit, { compareKeys: compareIntKeys, compactionFileSizeBytes: 2n, maxLevel: over.maxLevel ?? 2, forceRewriteAllFiles: over.force ?? false });
  const kinds = (steps: CompactTaskStep[]) => steps.map((s) => s.kind === "upgrade" ? `up:${keyInt(s.file.minKey)}` : `rw:${s.sections.length}`);

  test("a large file that may hold deletes is rewritten, not upgraded, into the max level", () => {
    const unknownDeletes = dataFile({ level: 0, min: 1, max: 5, size: 9, deleteRowCount: null });
    const someDeletes = dataFile({ level: 0, min: 6, max: 9, size: 9, deleteRowCount: 2n });
    const clean = dataFile({ level: 0, min: 10, max: 12, size: 9, deleteRowCount: 0n });
    assert.deepEqual(kinds(plan(compactUnitFromFiles([unknownDeletes, someDeletes, clean], { outputLevel: 2, fileRewrite: false }))), ["rw:1", "rw:1", "up:10"]);
    assert.deepEqual(kinds(plan(compactUnitFromFiles([unknownDeletes, someDeletes, clean], { outputLevel: 1, fileRewrite: false }))), ["up:1", "up:6", "up:10"]);
  });

  test("forceRewriteAllFiles rewrites every large file; a file at its output level is no step", () => {
    const atOutput = dataFile({ level: 2, min: 1, max: 5, size: 9 });
    assert.deepEqual(kinds(plan(compactUnitFromFiles([atOutput], { outputLevel: 2, fileRewrite: false }))), []);
    assert.deepEqual(kinds(plan(compactUnitFromFiles([atOutput], { outputLevel: 2, fileRewrite: false }), { force: true })), ["rw:1"]);
  });

  test("file-rewrite units rewrite each file alone", () => {
    const files = [dataFile({ level: 2, min: 1, max: 2 }), dataFile({ level: 2, min: 3, max: 4 })];
    assert.deepEqual(kinds(plan(compactUnitFromFiles(files, { outputLevel: 2, fileRewrite: true }))), ["rw:1", "rw:1"]);
  });

  test("upgradeFile keeps the name and raises the level only", () => {
    const file = dataFile({ level: 1 });
    assert.deepEqual(upgradeFile(file, 3), { ...file, level: 3 });
    assert.throws(() => upgradeFile(file, 1), AssertionError);
  });
});

describe("planCompaction and write stall", () => {
  const strategy: CompactStrategyConfig = {
    universal: { maxSizeAmplificationPercent: 200, sizeRatioPercent: 1, sortedRunCompactionTriggerCount: 2, earlyFullCompaction: null, offPeakHours: null },
    forceUpLevel0: null,
  };
  const base = {
    full: false, taskRunning: false, strategy, state: initialCompactStrategyState(null), clock: { nowMs: 0, hourOfDay: 0 },
    forceRewriteAllFiles: false, deletionVectors: false,
  };
  const levelsOf = (files: DataFileMeta[]) => Levels.create(files, { levelCount: 3, compareKeys: compareIntKeys });

  test("normal trigger picks by the strategy and drops deletes at the top level", () => {
    const levels = levelsOf([dataFile({ level: 0, size: 11, maxSequenceNumber: 2n }), dataFile({ level: 0, size: 5, maxSequenceNumber: 1n })]);
    const { plan } = planCompaction(levels, base);
    assert.deepEqual([plan!.unit.outputLevel, plan!.unit.files.length, plan!.dropDelete, plan!.reason], [2, 2, true, "size-amplification"]);
    assert.deepEqual(planCompaction(levels, { ...base, taskRunning: true }).plan, null, "nothing while a task runs");
    assert.equal(planCompaction(levels, { ...base, forceKeepDelete: true }).plan!.dropDelete, false);
  });

  test("full trigger: one max-level run is rewritten only when asked; running task is a bug", () => {
    const top = dataFile({ level: 2, min: 1, max: 3 });
    const levels = levelsOf([top]);
    assert.equal(planCompaction(levels, { ...base, full: true }).plan, null);
    assert.equal(planCompaction(levels, base).plan, null, "a single file at its output level is skipped");
    const forced = planCompaction(levels, { ...base, full: true, rewriteMaxLevelFile: (f) => f.fileName === top.fileName }).plan!;
    assert.deepEqual([forced.unit.fileRewrite, forced.unit.files.length, forced.reason], [true, 1, "full"]);
    assert.throws(() => planCompaction(levels, { ...base, full: true, taskRunning: true }), AssertionError);
  });

  test("output below the highest level keeps deletes unless deletion vectors are maintained", () => {
    const levels = levelsOf([dataFile({ level: 0, min: 1, max: 1 }), dataFile({ level: 2, min: 1, max: 9 })]);
    const unit = compactUnitFromLevelRuns(1, levels.levelSortedRuns().slice(0, 1));
    assert.equal(shouldDropDelete(levels, unit, { forceKeepDelete: false, deletionVectors: false }), false);
    assert.equal(shouldDropDelete(levels, unit, { forceKeepDelete: false, deletionVectors: true }), true);
    assert.equal(shouldDropDelete(levels, compactUnitFromLevelRuns(0, []), { forceKeepDelete: false, deletionVectors: true }), false);
  });

  test("writers stall above stop-trigger runs, commits above stop-trigger + 1", () => {
    const files = Array.from({ length: 6 }, (_, i) => dataFile({ level: 0, maxSequenceNumber: BigInt(i) }));
    const levels = levelsOf(files);
    assert.equal(levels.sortedRunCount, 6);
    assert.deepEqual([4, 5, 6].map((stop) => shouldWaitForLatestCompaction(levels, stop)), [true, true, false]);
    assert.deepEqual([4, 5, 6].map((stop) => shouldWaitForPreparingCheckpoint(levels, stop)), [true, false, false]);
  });
});
