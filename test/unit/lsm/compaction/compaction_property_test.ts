// Goal: under any options and any stream of flushes, the planning layer keeps the LSM sound:
// every pick is the newest runs (a prefix) or all runs, its output level is valid, applying
// the planned compaction keeps Levels' invariants, and no key is lost.
// Method: seeded random simulation of a bucket writer. Random settings (trigger, level count,
// size amplification, size ratio, force-up-level-0 with or without interval, early full
// compaction thresholds); each round flushes a level-0 file with a random key range, size and
// the next sequence numbers, sometimes forces a full compaction, plans with planCompaction,
// executes the task plan with a model rewriter (one output file per rewrite step spanning its
// inputs' keys), and applies it with Levels.update (which asserts the invariants). Checked per pick:
// prefix property, output-level bounds, "all runs → max level", "output >= every input level",
// the set of keys held preserved, file-size total preserved (the model rewriter keeps bytes).
import { assert, describe, seededRandom, test } from "../../../harness.ts";
import { Levels } from "../../../../src/lsm/levels.ts";
import { planCompaction } from "../../../../src/lsm/compaction/compact_manager_plan.ts";
import { planCompactTask, upgradeFile } from "../../../../src/lsm/compaction/compact_task_plan.ts";
import { initialCompactStrategyState, type CompactStrategyConfig } from "../../../../src/lsm/compaction/compact_strategy.ts";
import { filesOfRuns } from "../../../../src/lsm/sorted_run.ts";
import type { DataFileMeta } from "../../../../src/spec/data_file_meta.ts";
import { compareIntKeys, dataFile } from "../lsm_file_helpers.ts";

const KEY_SPACE = 200;

/** Keys held by each model file (by name; an upgraded file keeps its name and keys). */
const keysOf = new Map<string, readonly number[]>();

/** A model data file holding `keys` (sorted, non-empty): min/max key are its first and last. */
function modelFile(keys: readonly number[], over: Partial<DataFileMeta> & { size: number }): DataFileMeta {
  const file = dataFile({ ...over, min: keys[0]!, max: keys[keys.length - 1]! });
  keysOf.set(file.fileName, keys);
  return file;
}

/** The set of keys held by any file, as text: compaction must neither add nor drop a key. */
function coverage(files: readonly DataFileMeta[]): string {
  const covered = new Uint8Array(KEY_SPACE);
  for (const f of files) for (const k of keysOf.get(f.fileName)!) covered[k] = 1;
  return covered.join("");
}

function simulate(seed: number): { picks: number; fulls: number } {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const trigger = 1 + int(6);
  const levelCount = Math.max(2, trigger + 1 - int(3));
  const interval = [null, 1, 3][int(3)]!;
  const strategy: CompactStrategyConfig = {
    universal: {
      maxSizeAmplificationPercent: [25, 100, 200, 400][int(4)]!,
      sizeRatioPercent: int(21),
      sortedRunCompactionTriggerCount: trigger,
      earlyFullCompaction: int(4) === 0
        ? { intervalMs: 50 + int(200), totalSizeThresholdBytes: int(2) ? BigInt(int(300)) : null, incrementalSizeThresholdBytes: null }
        : null,
      offPeakHours: null,
    },
    forceUpLevel0: int(3) === 0 ? { maxCompactInterval: interval } : null,
  };
  let levels = Levels.create([], { levelCount, compareKeys: compareIntKeys });
  let state = initialCompactStrategyState(null);
  let sequence = 0n;
  let nowMs = 0;
  let picks = 0;
  let fulls = 0;
  for (let round = 0; round < 60; round++) {
    const min = int(KEY_SPACE - 20);
    const rows = 1 + int(10);
    const keys = [...new Set([min, ...Array.from({ length: rows - 1 }, () => min + int(20))])].sort((a, b) => a - b);
    const file = modelFile(keys, { level: 0, size: 1 + int(100), minSequenceNumber: sequence, maxSequenceNumber: sequence + BigInt(rows - 1) });
    sequence += BigInt(rows);
    levels = levels.addLevel0File(file);
    nowMs += int(40);
    const full = int(10) === 0;
    const runs = levels.levelSortedRuns();
    const result = planCompaction(levels, {
      full, taskRunning: false, strategy, state, clock: { nowMs, hourOfDay: 0 }, forceRewriteAllFiles: false, deletionVectors: false,
    });
    state = result.state;
    const plan = result.plan;
    if (plan === null) continue;
    picks++;
    if (full) fulls++;
    const unit = plan.unit;
    const names = unit.files.map((f) => f.fileName);
    const prefixLength = runs.findIndex((_, k) => filesOfRuns(runs.slice(0, k + 1)).map((f) => f.fileName).join() === names.join());
    assert.ok(prefixLength >= 0, `seed ${seed} round ${round}: picked files are not a prefix of the runs`);
    assert.ok(unit.outputLevel >= 1 && unit.outputLevel <= levels.maxLevel, `seed ${seed}: output level ${unit.outputLevel}`);
    if (prefixLength === runs.length - 1) assert.equal(unit.outputLevel, levels.maxLevel, "all runs go to the max level");
    for (const f of unit.files) assert.ok(f.level <= unit.outputLevel, "output level below an input level");
    if (full) assert.equal(unit.files.length, levels.allFiles().length, "full compaction takes every file");
    assert.equal(plan.dropDelete, unit.outputLevel >= levels.nonEmptyHighestLevel);
    const steps = planCompactTask(unit, { compareKeys: compareIntKeys, compactionFileSizeBytes: 40n, maxLevel: levels.maxLevel, forceRewriteAllFiles: false });
    const before: DataFileMeta[] = [];
    const after: DataFileMeta[] = [];
    for (const step of steps) {
      if (step.kind === "upgrade") {
        before.push(step.file);
        after.push(upgradeFile(step.file, unit.outputLevel));
        continue;
      }
      const inputs = step.sections.flatMap((s) => s.flatMap((r) => [...r.files]));
      before.push(...inputs);
      const keys = [...new Set(inputs.flatMap((f) => keysOf.get(f.fileName)!))].sort((a, b) => a - b);
      after.push(modelFile(keys, {
        level: unit.outputLevel,
        size: inputs.reduce((a, f) => a + Number(f.fileSize), 0),
        minSequenceNumber: inputs.reduce((a, f) => (f.minSequenceNumber < a ? f.minSequenceNumber : a), inputs[0]!.minSequenceNumber),
        maxSequenceNumber: inputs.reduce((a, f) => (f.maxSequenceNumber > a ? f.maxSequenceNumber : a), 0n),
      }));
    }
    const stepped = before.map((f) => f.fileName).sort();
    const unitFiles = unit.files.map((f) => f.fileName);
    assert.ok(stepped.every((n) => unitFiles.includes(n)) && new Set(stepped).size === stepped.length, "steps touch unit files once");
    const coverageBefore = coverage(levels.allFiles());
    const sizeBefore = levels.totalFileSizeBytes;
    levels = levels.update(before, after);
    levels.checkInvariants();
    assert.equal(coverage(levels.allFiles()), coverageBefore, `seed ${seed} round ${round}: key coverage changed`);
    assert.equal(levels.totalFileSizeBytes, sizeBefore);
  }
  return { picks, fulls };
}

describe("compaction planning properties (seeded random)", () => {
  test("prefix picks, valid output levels, invariants after every applied compaction", () => {
    let picks = 0;
    let fulls = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = simulate(seed);
      picks += r.picks;
      fulls += r.fulls;
    }
    // The simulation must actually exercise compaction, or the checks above prove nothing.
    assert.ok(picks > 1000, `only ${picks} picks`);
    assert.ok(fulls > 50, `only ${fulls} full compactions`);
  });
});
