// Goal: interval partition splits files into the same sections and sorted runs as Java's
// IntervalPartition, with every section disjoint, every run valid and every file placed once.
// Method: ports of IntervalPartitionTest (testSameMinKey, testSameMaxKey,
// testSectionPartitioning compared as per-section multisets of runs, as Java does; randomTest
// seeded), plus a seeded property test checking coverage, section disjointness and that each
// section has exactly as many runs as its deepest overlap (the optimum).
import { assert, describe, seededRandom, test } from "../../../harness.ts";
import { partitionIntervals } from "../../../../src/lsm/compaction/interval_partition.ts";
import { isSortedRunValid, type SortedRun } from "../../../../src/lsm/sorted_run.ts";
import type { DataFileMeta } from "../../../../src/spec/data_file_meta.ts";
import { compareIntKeys, dataFile, keyInt } from "../lsm_file_helpers.ts";

/** Java `parseMetas`: "[a, b], [c, d]" → files with those INT key ranges. */
function parseMetas(text: string): DataFileMeta[] {
  return [...text.matchAll(/\[(-?\d+), (-?\d+)]/g)].map((m) => dataFile({ min: Number(m[1]), max: Number(m[2]), size: 100 }));
}

const runText = (run: SortedRun) => run.files.map((f) => `[${keyInt(f.minKey)}, ${keyInt(f.maxKey)}]`).join(", ");
/** A section as a sorted multiset of run texts (order of runs inside a section does not matter). */
const sectionText = (section: readonly SortedRun[]) => section.map(runText).sort();

/** Java `runTest(in, ans)`: sections by line, runs by '|'. */
function runTest(input: string, answer: string): void {
  const actual = partitionIntervals(parseMetas(input), compareIntKeys);
  for (const section of actual) for (const run of section) assert.ok(isSortedRunValid(run, compareIntKeys), runText(run));
  const expected = answer.split("\n").map((line) => line.split("|").map((r) => r.trim()).sort());
  assert.deepEqual(actual.map(sectionText), expected);
}

describe("IntervalPartition (IntervalPartitionTest)", () => {
  test("testSameMinKey", () => {
    runTest("[100, 200], [100, 400], [100, 300], [100, 500]", "[100, 200] | [100, 300] | [100, 400] | [100, 500]");
  });

  test("testSameMaxKey", () => {
    runTest("[100, 500], [300, 500], [200, 500], [400, 500]", "[100, 500] | [200, 500] | [300, 500] | [400, 500]");
  });

  test("testSectionPartitioning", () => {
    runTest("[0, 9], [5, 7], [9, 15], [16, 22], [16, 28], [24, 32]", "[0, 9] | [5, 7], [9, 15]\n[16, 22], [24, 32] | [16, 28]");
  });

  test("empty input gives no section", () => {
    assert.deepEqual(partitionIntervals([], compareIntKeys), []);
  });

  test("randomTest (100 seeded repetitions): no section needs more runs than the input had", () => {
    const random = seededRandom(20240501);
    const int = (n: number) => Math.floor(random() * n);
    for (let rep = 0; rep < 100; rep++) {
      const files: DataFileMeta[] = [];
      const sortedRunCount = int(10) + 1;
      for (let i = 0; i < sortedRunCount; i++) {
        const intervalCount = int(10) + 1;
        const set = new Set<number>();
        while (set.size < 2 * intervalCount) set.add(int(1000));
        const points = [...set].sort((a, b) => a - b);
        for (let j = 0; j < points.length; j += 2) files.push(dataFile({ min: points[j]!, max: points[j + 1]! }));
      }
      for (const section of partitionIntervals(files, compareIntKeys)) {
        assert.ok(section.length <= sortedRunCount);
        for (const run of section) assert.ok(isSortedRunValid(run, compareIntKeys));
      }
    }
  });
});

describe("IntervalPartition properties (seeded random)", () => {
  test("sections cover all files once, are ascending and disjoint, and use the fewest runs", () => {
    const random = seededRandom(99);
    const int = (n: number) => Math.floor(random() * n);
    for (let rep = 0; rep < 200; rep++) {
      const files = Array.from({ length: int(30) }, () => {
        const min = int(100);
        return dataFile({ min, max: min + int(int(2) === 0 ? 3 : 25) });
      });
      const sections = partitionIntervals(files, compareIntKeys);
      const placed = sections.flatMap((s) => s.flatMap((r) => r.files.map((f) => f.fileName))).sort();
      assert.deepEqual(placed, files.map((f) => f.fileName).sort(), "every file exactly once");
      let previousMax = -Infinity;
      for (const section of sections) {
        const all = section.flatMap((r) => r.files);
        const lo = Math.min(...all.map((f) => keyInt(f.minKey)));
        const hi = Math.max(...all.map((f) => keyInt(f.maxKey)));
        assert.ok(lo > previousMax, "sections ascending and disjoint");
        previousMax = hi;
        for (const run of section) assert.ok(run.files.length > 0 && isSortedRunValid(run, compareIntKeys));
        let depth = 0;
        for (let k = lo; k <= hi; k++) {
          depth = Math.max(depth, all.filter((f) => keyInt(f.minKey) <= k && k <= keyInt(f.maxKey)).length);
        }
        assert.equal(section.length, depth, "run count equals the deepest overlap");
      }
    }
  });
});
