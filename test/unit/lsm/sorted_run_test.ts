// Goal: sorted runs keep Java's SortedRun contract (size, order check) and their key-range math
// is right; the file key comparator orders serialized key rows like Java's key comparator.
// Method: hand-built runs of one-INT-key files; overlap queries checked against a brute-force
// scan over random ranges (seeded); comparator checked on negative/positive ints and on a
// two-field key against the order of the values.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  filesOverlapping, isSortedRunValid, keyRangesOverlap, sortedRunFromUnsorted, sortedRunMaxKey, sortedRunMinKey, sortedRunOf,
  sortedRunOverlaps,
} from "../../../src/lsm/sorted_run.ts";
import { createFileKeyComparator } from "../../../src/lsm/file_key_comparator.ts";
import { atomic, parseTypeString } from "../../../src/spec/data_types.ts";
import { encodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { isLakeError } from "../../../src/errors.ts";
import type { DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { compareIntKeys, dataFile, intKey, keyInt } from "./lsm_file_helpers.ts";

describe("SortedRun", () => {
  test("fromUnsorted sorts by min key, sums sizes, and rejects overlap (Java validate)", () => {
    const a = dataFile({ min: 10, max: 19, size: 3 });
    const b = dataFile({ min: -5, max: 9, size: 4 });
    const run = sortedRunFromUnsorted([a, b], compareIntKeys)!;
    assert.deepEqual(run.files.map((f) => keyInt(f.minKey)), [-5, 10]);
    assert.equal(run.totalSizeBytes, 7n);
    assert.equal(keyInt(sortedRunMinKey(run)), -5);
    assert.equal(keyInt(sortedRunMaxKey(run)), 19);
    assert.equal(sortedRunFromUnsorted([a, dataFile({ min: 19, max: 30 })], compareIntKeys), null, "touching ranges overlap");
    assert.equal(isSortedRunValid(sortedRunOf([a, b]), compareIntKeys), false);
  });

  test("overlap queries match a brute-force scan", () => {
    const random = seededRandom(7);
    const files: DataFileMeta[] = [];
    let next = -50;
    for (let i = 0; i < 40; i++) {
      const min = next + Math.floor(random() * 3);
      const max = min + Math.floor(random() * 4);
      files.push(dataFile({ min, max }));
      next = max + 1;
    }
    const run = sortedRunOf(files);
    assert.ok(isSortedRunValid(run, compareIntKeys));
    for (let i = 0; i < 500; i++) {
      const lo = Math.floor(random() * 260) - 80;
      const hi = lo + Math.floor(random() * 20);
      const range = { minKey: intKey(lo), maxKey: intKey(hi) };
      const want = files.filter((f) => keyInt(f.minKey) <= hi && lo <= keyInt(f.maxKey)).map((f) => f.fileName);
      assert.deepEqual(filesOverlapping(run, range, compareIntKeys).map((f) => f.fileName), want, `[${lo}, ${hi}]`);
      assert.equal(sortedRunOverlaps(run, range, compareIntKeys), want.length > 0);
    }
    assert.equal(keyRangesOverlap({ minKey: intKey(1), maxKey: intKey(2) }, { minKey: intKey(2), maxKey: intKey(3) }, compareIntKeys), true);
    assert.equal(keyRangesOverlap({ minKey: intKey(1), maxKey: intKey(2) }, { minKey: intKey(3), maxKey: intKey(3) }, compareIntKeys), false);
  });
});

describe("file key comparator", () => {
  test("orders INT keys numerically, not by little-endian bytes", () => {
    const values = [-300, -1, 0, 1, 255, 256, 65536, 2 ** 31 - 1, -(2 ** 31)];
    const sorted = [...values].sort((a, b) => compareIntKeys(intKey(a), intKey(b)));
    assert.deepEqual(sorted, [...values].sort((a, b) => a - b));
  });

  test("orders (STRING, BIGINT) keys field by field, nulls first", () => {
    const types = [parseTypeString("STRING"), atomic("BIGINT")];
    const compare = createFileKeyComparator(types);
    const keys: [string | null, bigint][] = [["b", 1n], ["a", 5n], [null, 0n], ["a", -2n], ["ab", 0n]];
    const sorted = [...keys].sort((x, y) => compare(encodeSerializedBinaryRow(types, x), encodeSerializedBinaryRow(types, y)));
    assert.deepEqual(sorted, [[null, 0n], ["a", -2n], ["a", 5n], ["ab", 0n], ["b", 1n]]);
  });

  test("bytes that do not decode with the key types are corrupt", () => {
    const compare = createFileKeyComparator([atomic("INT"), atomic("INT")]);
    assert.throws(() => compare(intKey(1), intKey(2)), (e: unknown) => isLakeError(e, "corruption"));
  });
});
