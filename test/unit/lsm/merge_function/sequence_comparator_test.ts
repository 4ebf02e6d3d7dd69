// Goal: records of one key are ordered as Java's merge reader orders them: sequence.field values
// (null smallest even when descending, as Java's generated comparator with nullIsLast=false),
// then _SEQUENCE_NUMBER, then retract before add; values compare per type like Java.
// Method: hand-built pairs whose expected order follows from GenerateUtils.generateCompare,
// UserDefinedSeqComparator and SortMergeReaderWithMinHeap, including the cases where JS order
// differs from Java's (UTF-16 vs UTF-8 strings, -0.0/NaN, unsigned bytes).
import { assert, describe, test } from "../../../harness.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import { timestamp, type Value } from "../../../../src/spec/values.ts";
import type { DataType } from "../../../../src/spec/data_types.ts";
import {
  compareJavaFloating, compareSameKeyRecords, compareUtf8, createUserDefinedSeqComparator, sequenceComparatorFromOptions,
  sequenceFieldNames, UserDefinedSeqComparator, valueComparatorOf,
} from "../../../../src/lsm/merge_function/sequence_comparator.ts";
import { kv, lakeError, namedFields, t } from "./merge_test_helpers.ts";

const INT = t("INT");

describe("per-type comparison (GenerateUtils.generateCompare)", () => {
  const ordered: [DataType, Value[]][] = [
    [t("BOOLEAN"), [false, true]],
    [t("TINYINT"), [-128, 0, 127]],
    [t("BIGINT"), [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]],
    [t("DECIMAL", { precision: 38, scale: 2 }), [-(10n ** 30n), -1n, 0n, 10n ** 37n]],
    [t("FLOAT"), [Number.NEGATIVE_INFINITY, -1, -0, 0, 1, Number.POSITIVE_INFINITY, Number.NaN]],
    [t("DOUBLE"), [-1e300, -0, 0, 5e-324, Number.NaN]],
    [t("VARCHAR", { length: 10 }), ["", "A", "a", "ab", "\u00e9", "\uffff", "\u{10000}", "\u{10FFFF}"]],
    [t("VARBINARY", { length: 3 }), [new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 0]), new Uint8Array([0x7f]), new Uint8Array([0x80])]],
    [t("TIMESTAMP", { precision: 9 }), [timestamp(-1, 999_999), timestamp(0), timestamp(0, 1), timestamp(1)]],
    [{ root: "ARRAY", nullable: true, element: INT }, [[], [null], [null, 1], [0], [0, 0], [1]]],
    [{ root: "MAP", nullable: true, key: INT, value: INT }, [[[9, 9]], [[1, 5], [1, 9]], [[1, 0], [2, 0]], [[1, 0], [2, 1]], [[0, 0], [0, 1], [0, 0]]]],
    [{ root: "ROW", nullable: true, fields: [{ id: 0, name: "a", type: INT }, { id: 1, name: "b", type: INT }] }, [[null, 5], [1, null], [1, 0], [2, -1]]],
  ];
  for (const [type, values] of ordered) {
    test(`${type.root} sorts in Java order`, () => {
      const cmp = valueComparatorOf(type);
      for (let i = 0; i < values.length; i++) {
        for (let j = 0; j < values.length; j++) {
          const c = Math.sign(cmp(values[i]!, values[j]!));
          assert.equal(c, Math.sign(i - j), `${type.root}: ${String(i)} vs ${String(j)}`);
        }
      }
    });
  }

  test("UTF-8 order differs from JS UTF-16 order for supplementary characters", () => {
    assert.ok("\uffff" > "\u{10000}"); // JS (UTF-16) order
    assert.ok(compareUtf8("\uffff", "\u{10000}") < 0); // Java BinaryString (UTF-8) order
    assert.equal(compareJavaFloating(Number.NaN, Number.NaN), 0);
    assert.equal(compareJavaFloating(-0, 0), -1);
  });

  test("VARIANT and BLOB cannot be sequence fields", () => {
    assert.throws(() => valueComparatorOf(t("VARIANT")), lakeError("invalid_argument", "cannot be ordered"));
    assert.throws(() => createUserDefinedSeqComparator(namedFields(["b"], [t("BLOB")]), ["b"], true), lakeError("invalid_argument", "BLOB"));
  });
});

describe("UserDefinedSeqComparator", () => {
  const fields = namedFields(["k", "s1", "s2"], [INT, INT, t("VARCHAR", { length: 5 })]);

  test("fields compare in order; descending negates non-null comparisons only", () => {
    const asc = createUserDefinedSeqComparator(fields, ["s1", "s2"], true)!;
    const desc = createUserDefinedSeqComparator(fields, ["s1", "s2"], false)!;
    assert.deepEqual(asc.fieldIndexes, [1, 2]);
    assert.equal(asc.compare([0, 1, "b"], [0, 1, "a"]), 1);
    assert.equal(asc.compare([0, 1, "z"], [0, 2, "a"]), -1);
    assert.equal(desc.compare([0, 1, "z"], [0, 2, "a"]), 1);
    assert.equal(asc.compare([9, 1, "a"], [8, 1, "a"]), 0); // the key is not compared
    // null is smallest in both orders
    assert.equal(asc.compare([0, null, "a"], [0, 1, "a"]), -1);
    assert.equal(desc.compare([0, null, "a"], [0, 1, "a"]), -1);
    assert.equal(desc.compare([0, 1, null], [0, 1, "a"]), -1);
    assert.equal(desc.compare([0, null, null], [0, null, null]), 0);
  });

  test("empty names give no comparator; unknown names are rejected", () => {
    assert.equal(createUserDefinedSeqComparator(fields, [], true), null);
    assert.throws(() => createUserDefinedSeqComparator(fields, ["nope"], true), lakeError("invalid_argument", "sequence field 'nope'"));
    assert.throws(() => new UserDefinedSeqComparator(fields, [3], true), lakeError("invalid_argument", "outside the row"));
  });

  test("options: sequence.field split like Java, sort order", () => {
    assert.deepEqual(sequenceFieldNames({ "sequence.field": " s1 , s2" }), ["s1", "s2"]);
    assert.deepEqual(sequenceFieldNames({ "sequence.field": "s1,,s2," }), ["s1", "", "s2"]);
    assert.deepEqual(sequenceFieldNames({}), []);
    const cmp = sequenceComparatorFromOptions(fields, { "sequence.field": "s1", "sequence.field.sort-order": "DESCENDING" })!;
    assert.equal(cmp.ascending, false);
    assert.equal(cmp.compare([0, 1, null], [0, 2, null]), 1);
    assert.equal(sequenceComparatorFromOptions(fields, {}), null);
  });
});

describe("same-key record order (SortMergeReaderWithMinHeap)", () => {
  const fields = namedFields(["k", "ts"], [INT, INT]);
  const seq = createUserDefinedSeqComparator(fields, ["ts"], true);

  test("sequence field, then sequence number, then retract before add", () => {
    const records = [
      kv([1], 5, RowKind.INSERT, [1, 2]),
      kv([1], 9, RowKind.INSERT, [1, 1]),
      kv([1], 7, RowKind.UPDATE_AFTER, [1, null]),
      kv([1], 5, RowKind.UPDATE_BEFORE, [1, 2]),
      kv([1], 3, RowKind.DELETE, [1, 2]),
    ];
    const sorted = [...records].sort((a, b) => compareSameKeyRecords(a, b, seq));
    assert.deepEqual(sorted.map((r) => [r.sequenceNumber, r.rowKind]), [
      [7n, RowKind.UPDATE_AFTER], [9n, RowKind.INSERT], [3n, RowKind.DELETE], [5n, RowKind.UPDATE_BEFORE], [5n, RowKind.INSERT],
    ]);
    const bySequenceNumber = [...records].sort((a, b) => compareSameKeyRecords(a, b, null));
    assert.deepEqual(bySequenceNumber.map((r) => Number(r.sequenceNumber)), [3, 5, 5, 7, 9]);
    assert.equal(bySequenceNumber[1]!.rowKind, RowKind.UPDATE_BEFORE);
  });
});
