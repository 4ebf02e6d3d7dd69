// Goal: Levels orders, counts and updates a bucket's files exactly as Java's Levels does, and
// refuses states that break the LSM invariants.
// Method: ports of Java's LevelsTest and LevelsOrderingFixTest (method names cited), plus
// update/upgrade cases, corrupt restores (overlap, duplicate names) and broken updates.
import { assert, describe, test } from "../../harness.ts";
import { compareLevel0Files, droppedFileNames, Levels } from "../../../src/lsm/levels.ts";
import { isLakeError } from "../../../src/errors.ts";
import { AssertionError } from "../../../src/util/assert.ts";
import { compareIntKeys, dataFile, keyInt } from "./lsm_file_helpers.ts";
import type { DataFileMeta } from "../../../src/spec/data_file_meta.ts";

const create = (files: DataFileMeta[], levelCount = 3) => Levels.create(files, { levelCount, compareKeys: compareIntKeys });
/** Java LevelsTest.newFile(level): keys [0, 0], sequence 0..1. */
const newFile = (level: number) => dataFile({ level, min: 0, max: 0, minSequenceNumber: 0n, maxSequenceNumber: 1n });
const names = (files: readonly DataFileMeta[]) => files.map((f) => f.fileName);

describe("Levels (LevelsTest)", () => {
  test("testNonEmptyHighestLevelNo", () => assert.equal(create([]).nonEmptyHighestLevel, -1));
  test("testNonEmptyHighestLevel0", () => assert.equal(create([newFile(0), newFile(0)]).nonEmptyHighestLevel, 0));
  test("testNonEmptyHighestLevel1", () => assert.equal(create([newFile(0), newFile(1)]).nonEmptyHighestLevel, 1));
  test("testNonEmptyHighestLevel2", () => assert.equal(create([newFile(0), newFile(1), newFile(2)]).nonEmptyHighestLevel, 2));
  test("testLevel0WithSameSequenceNumbers", () => assert.equal(create([newFile(0), newFile(0)]).allFiles().length, 2));
});

describe("Levels ordering (LevelsOrderingFixTest)", () => {
  test("testIssue5872FixDeterministicOrdering", () => {
    const earlier = dataFile({ fileName: "z-file.parquet", minSequenceNumber: 98n, maxSequenceNumber: 100n, creationTime: 1000n });
    const later = dataFile({ fileName: "a-file.parquet", minSequenceNumber: 99n, maxSequenceNumber: 100n, creationTime: 1001n });
    const ordered = create([earlier, later], 2).allFiles();
    assert.equal(ordered[0]!.fileName, "z-file.parquet");
    assert.equal(ordered[0]!.minSequenceNumber, 98n);
    assert.deepEqual(names(create([later, earlier], 2).allFiles()), names(ordered));
  });

  test("level 0 is newest first, then min sequence, creation time (null first), file name", () => {
    const f = (fileName: string, min: bigint, max: bigint, creationTime: bigint | null) =>
      dataFile({ fileName, minSequenceNumber: min, maxSequenceNumber: max, creationTime });
    const files = [f("e", 0n, 5n, 3n), f("a", 0n, 9n, 1n), f("d", 1n, 5n, 0n), f("c", 0n, 5n, 3n), f("b", 0n, 5n, null)];
    assert.deepEqual(names(create(files).level0), ["a", "b", "c", "e", "d"]);
    for (const a of files) for (const b of files) {
      assert.equal(Math.sign(compareLevel0Files(a, b)) + Math.sign(compareLevel0Files(b, a)), 0, `${a.fileName} vs ${b.fileName}`);
      assert.equal(compareLevel0Files(a, b) === 0, a === b);
    }
  });
});

describe("Levels counts and runs", () => {
  const files = [
    dataFile({ level: 0, min: 1, max: 9, maxSequenceNumber: 7n, size: 10 }),
    dataFile({ level: 0, min: 3, max: 4, maxSequenceNumber: 8n, size: 20 }),
    dataFile({ level: 2, min: 5, max: 6, size: 30 }),
    dataFile({ level: 2, min: 1, max: 4, size: 40 }),
  ];
  const levels = create(files, 4);

  test("sorted runs: each level-0 file, then non-empty levels", () => {
    const runs = levels.levelSortedRuns();
    assert.deepEqual(runs.map((r) => r.level), [0, 0, 2]);
    assert.deepEqual(runs[2]!.run.files.map((f) => keyInt(f.minKey)), [1, 5], "level 2 sorted by min key");
    assert.equal(levels.sortedRunCount, 3);
    assert.equal(levels.totalFileSizeBytes, 100n);
    assert.equal(levels.maxLevel, 3);
    assert.equal(levels.runOfLevel(1).files.length, 0);
    assert.equal(levels.nonEmptyHighestLevel, 2);
    assert.deepEqual(names(levels.allFiles()), [files[1], files[0], files[3], files[2]].map((f) => f!.fileName));
  });

  test("level count grows to hold the highest restored level", () => {
    assert.equal(create([newFile(6)], 3).levelCount, 7);
  });

  test("update applies a compaction: rewrite and upgrade", () => {
    const rewritten = dataFile({ level: 3, min: 1, max: 9, size: 5 });
    const upgraded = { ...files[2]!, level: 3 };
    const next = levels.update([files[0]!, files[1]!, files[2]!, files[3]!], [rewritten]);
    assert.deepEqual(names(next.allFiles()), [rewritten.fileName]);
    assert.equal(next.sortedRunCount, 1);
    assert.equal(levels.sortedRunCount, 3, "the old view is unchanged");
    const moved = levels.update([files[2]!], [upgraded]);
    assert.deepEqual(moved.levelSortedRuns().map((r) => r.level), [0, 0, 2, 3]);
    assert.deepEqual(droppedFileNames([files[2]!, files[0]!], [upgraded]), [files[0]!.fileName]);
  });

  test("addLevel0File puts the newest file first", () => {
    const newest = dataFile({ level: 0, maxSequenceNumber: 100n });
    assert.equal(levels.addLevel0File(newest).level0[0]!.fileName, newest.fileName);
  });
});

describe("Levels invariants", () => {
  const throwsAssert = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof AssertionError);

  test("restored overlapping files of a level >= 1 are corrupt", () => {
    assert.throws(() => create([dataFile({ level: 1, min: 1, max: 5 }), dataFile({ level: 1, min: 5, max: 7 })]),
      (e: unknown) => isLakeError(e, "corruption") && /level 1 overlap/.test((e as Error).message));
  });

  test("restored duplicate file names are corrupt; level count below 2 is invalid", () => {
    const f = dataFile({ level: 0 });
    assert.throws(() => create([f, { ...f, level: 1 }]), (e: unknown) => isLakeError(e, "corruption"));
    assert.throws(() => create([], 1), (e: unknown) => isLakeError(e, "invalid_argument"));
  });

  test("an update that makes a level overlap, removes a missing file or exceeds the levels is a bug", () => {
    const levels = create([dataFile({ level: 1, min: 1, max: 5 })]);
    throwsAssert(() => levels.update([], [dataFile({ level: 1, min: 4, max: 8 })]));
    throwsAssert(() => levels.update([dataFile({ level: 1 })], []));
    throwsAssert(() => levels.update([], [dataFile({ level: 3 })]));
    throwsAssert(() => levels.addLevel0File(dataFile({ level: 1, min: 7, max: 8 })));
    throwsAssert(() => levels.update([], [levels.allFiles()[0]!]));
  });
});
