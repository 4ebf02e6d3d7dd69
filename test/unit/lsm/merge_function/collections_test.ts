// Goal: collect, merge_map and merge_map_with_keytime behave like Java's FieldCollectAgg,
// FieldMergeMapAgg and FieldMergeMapWithKeyTimeAgg, including the order Java's HashSet/HashMap
// gives their output, and the Java hash codes that order rests on.
// Method: (1) port of the collect/merge_map tests of Java's FieldAggregatorTest (each names its
// Java method); (2) hash codes and iteration orders computed by a throwaway Java 17 program
// using java.util.HashSet/HashMap, JDK boxed types and BigDecimal, and Paimon's own
// MurmurHashUtils (compiled from apache/paimon master) as BinaryString.hashCode; the expected
// values below are that program's output, not values computed by the code under test.
import { assert, describe, test } from "../../../harness.ts";
import { createFieldAggregator } from "../../../../src/lsm/merge_function/aggregators/factory.ts";
import { javaHashCode, JavaHashOrder } from "../../../../src/lsm/merge_function/aggregators/java_hash.ts";
import type { DataType } from "../../../../src/spec/data_types.ts";
import { timestamp, type MapEntry, type Value } from "../../../../src/spec/values.ts";
import { lakeError, t } from "./merge_test_helpers.ts";

const INT = t("INT"), STRING = t("VARCHAR", { length: 2147483647 });
const arrayOf = (element: DataType): DataType => ({ root: "ARRAY", nullable: true, element });
const mapOf = (key: DataType, value: DataType): DataType => ({ root: "MAP", nullable: true, key, value });
const rowType = (...types: DataType[]): DataType => ({ root: "ROW", nullable: true, fields: types.map((type, i) => ({ id: i, name: `f${i}`, type })) });
const DISTINCT = { "fields.fieldName.distinct": "true" };

function collect(element: DataType, distinct: boolean) {
  return createFieldAggregator(arrayOf(element), "fieldName", "collect", distinct ? DISTINCT : {});
}

/** Multiset equality (Java's containsExactlyInAnyOrder). */
function sameElements(actual: Value, expected: Value[]): void {
  const key = (v: Value) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x] : x));
  assert.deepEqual((actual as Value[]).map(key).sort(), expected.map(key).sort());
}

describe("Java hash codes and HashSet order (oracle: Java 17 + Paimon MurmurHashUtils)", () => {
  const cases: [string, DataType, Value[], number[], Value[]][] = [
    ["INT", INT, [100, 5, 17, 33, -1, 2147483647, 16, 0, 5, -2147483648],
      [100, 5, 17, 33, -1, 2147483647, 16, 0, 5, -2147483648], [-1, 2147483647, 16, 0, -2147483648, 17, 33, 100, 5]],
    ["BIGINT", t("BIGINT"), [2n ** 40n, -1n, 5n, 2n ** 33n + 1n, -(2n ** 63n), 2n ** 63n - 1n],
      [256, 0, 5, 3, -2147483648, -2147483648], [2n ** 40n, -1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 33n + 1n, 5n]],
    ["BOOLEAN", t("BOOLEAN"), [true, false], [1231, 1237], [false, true]],
    ["DOUBLE", t("DOUBLE"), [0, -0, Number.NaN, 1.5, -2.25, 1e300, Number.NEGATIVE_INFINITY],
      [0, -2147483648, 2146959360, 1073217536, -1073610752, -164130400, -1048576], [0, -0, Number.NEGATIVE_INFINITY, -2.25, 1e300, Number.NaN, 1.5]],
    ["FLOAT", t("FLOAT"), [0, -0, Number.NaN, 1.5, -2.25, Math.fround(3.4e38), Math.fround(0.1)],
      [0, -2147483648, 2143289344, 1069547520, -1072693248, 2139081118, 1036831949], [0, -0, Number.NaN, 1.5, -2.25, Math.fround(3.4e38), Math.fround(0.1)]],
    ["STRING", STRING, ["user1", "b", "hello world!", "ab", "abc", "abcd", "abcde", "ü", "日本語", "", "😀x"],
      [130348247, 1905031361, -294328854, -97053317, 1322437556, -396302900, 814637928, -1098725648, -1143049834, 142593372, -1814635023],
      ["ü", "user1", "", "abc", "abcde", "😀x", "日本語", "ab", "abcd", "b", "hello world!"]],
    ["DECIMAL(10, 2)", t("DECIMAL", { precision: 10, scale: 2 }), [0n, 1n, -1n, 12345n, 2n ** 40n, -(2n ** 35n)],
      [2, 33, -29, 382697, 246018, -7686], [1n, 2n ** 40n, 0n, -(2n ** 35n), -1n, 12345n]],
    ["DECIMAL(38, 10)", t("DECIMAL", { precision: 38, scale: 10 }), [10n ** 30n, -(10n ** 30n) + 7n, -(2n ** 63n)],
      [-2043238736, 2043238973, -2147483638], [-(10n ** 30n) + 7n, 10n ** 30n, -(2n ** 63n)]],
    ["TIMESTAMP", t("TIMESTAMP", { precision: 9 }), [timestamp(0), timestamp(1700000000123, 456000), timestamp(-1, 999999), timestamp(2 ** 33, 1)],
      [0, 751749456, 999999, 63], [timestamp(0), timestamp(-1, 999999), timestamp(1700000000123, 456000), timestamp(2 ** 33, 1)]],
  ];
  for (const [name, type, values, hashes, order] of cases) {
    test(`${name}: hashCode and HashSet iteration order`, () => {
      assert.deepEqual(values.map((v) => javaHashCode(type, v)), hashes);
      assert.deepEqual(collect(type, true).agg(null, values), order);
    });
  }

  test("resizing: 40 string keys (table of 64)", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const want = ["k9", "k19", "k30", "k36", "k8", "k0", "k23", "k18", "k1", "k27", "k29", "k15", "k4", "k13", "k28", "k34", "k6", "k39", "k31", "k3",
      "k14", "k38", "k25", "k37", "k20", "k10", "k2", "k33", "k22", "k32", "k5", "k12", "k35", "k16", "k24", "k7", "k21", "k11", "k26", "k17"];
    assert.deepEqual(collect(STRING, true).agg(keys.slice(0, 20), keys.slice(20)), want);
    const ints = Array.from({ length: 30 }, (_, i) => (30 - i) * 7);
    assert.deepEqual(collect(INT, true).agg(null, ints),
      [196, 133, 70, 7, 203, 140, 77, 14, 210, 147, 84, 21, 154, 91, 28, 161, 98, 35, 168, 105, 42, 175, 112, 49, 182, 119, 56, 189, 126, 63]);
  });

  test("merge_map output is in HashMap order, the input winning on shared keys", () => {
    const agg = createFieldAggregator(mapOf(STRING, STRING), "m", "merge_map", {});
    assert.deepEqual(agg.agg([["k1", "A"], ["k2", "B"], ["k5", "E"]], [["k1", "a"], ["k3", "c"]]), [["k1", "a"], ["k2", "B"], ["k3", "c"], ["k5", "E"]]);
  });

  test("a removed and re-added key goes to the end of its bucket", () => {
    const m = new JavaHashOrder<Value>(INT);
    m.put(1, "a");
    m.put(17, "b");
    m.remove(1);
    m.put(1, "c");
    assert.deepEqual(m.entries(), [[17, "b"], [1, "c"]]);
  });
});

describe("collect", () => {
  test("testFieldCollectAggWithDistinct", () => {
    const agg = collect(INT, true);
    assert.equal(agg.agg(null, null), null);
    sameElements(agg.agg(null, [1, 1, 2]), [1, 2]);
    sameElements(agg.agg([1, 1, 2], [2, 3]), [1, 2, 3]);
  });

  test("testFieldCollectAggWithDistinctBinary / testFieldCollectAggRetractWithDistinctBinary", () => {
    const agg = collect(t("VARBINARY", { length: 10 }), true);
    const b = (...x: number[]) => new Uint8Array(x);
    assert.deepEqual(agg.agg([b(1, 2)], [b(1, 2), b(3, 4)]), [b(1, 2), b(3, 4)]);
    assert.deepEqual(agg.retract([b(1, 2), b(3, 4)], [b(1, 2)]), [b(3, 4)]);
  });

  test("testFiledCollectAggWithRowType", () => {
    const agg = collect(rowType(INT, STRING), true);
    assert.equal(agg.agg(null, null), null);
    const input1: Value[] = [[1, "A"], [1, "B"]];
    sameElements(agg.agg(null, input1), input1);
    sameElements(agg.agg(input1, [[1, "A"], [2, "A"]]), [[1, "A"], [1, "B"], [2, "A"]]);
  });

  test("testFiledCollectAggWithArrayType", () => {
    const agg = collect(arrayOf(INT), true);
    const input1: Value[] = [[1, 1], [1, 2]];
    sameElements(agg.agg(null, input1), input1);
    sameElements(agg.agg(input1, [[1, 1], [1, 2], [2, 1]]), [[1, 1], [1, 2], [2, 1]]);
  });

  test("testFiledCollectAggWithMapType (map elements equal regardless of entry order)", () => {
    const agg = collect(mapOf(INT, STRING), true);
    const input1: Value[] = [[[1, "A"]], [[1, "A"], [2, "B"]]];
    sameElements(agg.agg(null, input1), input1);
    sameElements(agg.agg(input1, [[[1, "A"]], [[2, "B"], [1, "A"]], [[1, "C"]]]), [[[1, "A"]], [[1, "A"], [2, "B"]], [[1, "C"]]]);
  });

  test("testFieldCollectAggWithoutDistinct", () => {
    const agg = collect(INT, false);
    assert.equal(agg.agg(null, null), null);
    assert.deepEqual(agg.agg(null, [1, 1, 2]), [1, 1, 2]);
    assert.deepEqual(agg.agg([1, 1, 2], [2, 3]), [1, 1, 2, 2, 3]);
    assert.deepEqual(agg.aggReversed([1], [2]), [1, 2]); // Java: aggReversed = agg
  });

  test("testFieldCollectAggRetractWithDistinct", () => {
    sameElements(collect(INT, true).retract([1, 2, 3], [1]), [2, 3]);
    sameElements(collect(rowType(INT, STRING), true).retract([[1, "A"], [1, "B"], [2, "B"]], [[1, "A"], [2, "B"]]), [[1, "B"]]);
    sameElements(collect(arrayOf(INT), true).retract([[1, 1], [1, 2], [2, 1]], [[1, 1], [1, 2]]), [[2, 1]]);
    sameElements(collect(mapOf(INT, STRING), true).retract([[[1, "A"]], [[2, "B"], [1, "A"]], [[1, "C"]]], [[[1, "A"]], [[1, "A"], [2, "B"]]]), [[[1, "C"]]]);
  });

  test("testFieldCollectAggRetractWithoutDistinct (one accumulator element per retracted element)", () => {
    sameElements(collect(INT, true).retract([1, 1, 2, 2, 3], [1, 2, 3]), [1, 2]);
    sameElements(collect(rowType(INT, STRING), true).retract([[1, "A"], [1, "A"], [1, "B"], [2, "B"]], [[1, "A"], [2, "B"]]), [[1, "A"], [1, "B"]]);
    sameElements(collect(arrayOf(INT), true).retract([[1, 1], [1, 1], [1, 2], [2, 1]], [[1, 1], [1, 2]]), [[1, 1], [2, 1]]);
    sameElements(collect(mapOf(INT, STRING), true).retract([[[1, "A"]], [[1, "A"]], [[2, "B"], [1, "A"]], [[1, "C"]]], [[[1, "A"]], [[1, "A"], [2, "B"]]]),
      [[[1, "A"]], [[1, "C"]]]);
  });

  test("retract edge cases (FieldAggregatorRetractNullTest.testFieldCollectAgg)", () => {
    const agg = collect(INT, false);
    assert.deepEqual(agg.retract([], []), []);
    assert.equal(agg.retract(null, [1]), null);
    assert.deepEqual(agg.retract([1], null), [1]);
    assert.deepEqual(agg.retract([null, 1, null], [null]), [1, null]);
  });

  test("collect requires ARRAY", () => {
    assert.throws(() => createFieldAggregator(INT, "c", "collect", {}), lakeError("invalid_argument", "Data type for collect column must be 'Array' but was 'INT'."));
    assert.throws(() => createFieldAggregator(arrayOf(t("VARIANT")), "c", "collect", { "fields.c.distinct": "true" }), lakeError("unsupported", "collect with distinct"));
  });
});

describe("merge_map", () => {
  const agg = () => createFieldAggregator(mapOf(INT, STRING), "m", "merge_map", {});
  const asObject = (v: Value) => Object.fromEntries((v as MapEntry[]).map(([k, x]) => [String(k), x]));

  test("testFieldMergeMapAgg", () => {
    const a = agg();
    assert.equal(a.agg(null, null), null);
    let acc = a.agg(null, [[1, "A"]]);
    assert.deepEqual(asObject(acc), { 1: "A" });
    acc = a.agg(acc, [[1, "A"], [2, "B"]]);
    assert.deepEqual(asObject(acc), { 1: "A", 2: "B" });
    acc = a.agg(acc, [[1, "a"], [3, "c"]]);
    assert.deepEqual(acc, [[1, "a"], [2, "B"], [3, "c"]]); // Integer keys: HashMap order = key order here
  });

  test("testFieldMergeMapAggRetract (and FieldAggregatorRetractNullTest.testFieldMergeMapAgg)", () => {
    assert.deepEqual(agg().retract([[1, "A"], [2, "B"], [3, "C"]], [[1, "A"], [2, "A"]]), [[3, "C"]]);
    assert.deepEqual(agg().retract([], []), []);
    assert.equal(agg().retract(null, [[1, "A"]]), null);
  });

  test("testFieldMergeMapAggWithBinaryKey / testFieldMergeMapAggRetractWithBinaryKey", () => {
    const a = createFieldAggregator(mapOf(t("VARBINARY", { length: 10 }), INT), "m", "merge_map", {});
    const b = (...x: number[]) => new Uint8Array(x);
    const merged = a.agg([[b(1, 2), 1]], [[b(1, 2), 2], [b(3, 4), 3]]) as MapEntry[];
    assert.deepEqual(merged.map(([k, v]) => [[...(k as Uint8Array)], v]).sort(), [[[1, 2], 2], [[3, 4], 3]]);
    assert.deepEqual(a.retract([[b(1, 2), 1], [b(3, 4), 2]], [[b(1, 2), 1]]), [[b(3, 4), 2]]);
  });

  test("merge_map requires MAP with value-hashed or binary keys", () => {
    assert.throws(() => createFieldAggregator(INT, "m", "merge_map", {}), lakeError("invalid_argument", "Data type for merge map column must be 'MAP' but was 'INT'"));
    assert.throws(() => createFieldAggregator(mapOf(rowType(INT), INT), "m", "merge_map", {}), lakeError("unsupported", "merge_map with keys of type ROW"));
  });
});

describe("merge_map_with_keytime", () => {
  const valueType = rowType(STRING, STRING);
  const type = mapOf(STRING, valueType);

  test("testFieldMergeMapWithKeyTimeAgg", () => {
    const a = createFieldAggregator(type, "m", "merge_map_with_keytime", {});
    const values = (v: Value) => Object.fromEntries((v as MapEntry[]).map(([k, row]) => [k as string, (row as Value[])[0]]));
    let acc = a.agg(null, [["key1", ["A", "17682882903686900100"]], ["key2", ["B", "17682882903686900100"]]]);
    assert.deepEqual(values(acc), { key1: "A", key2: "B" });
    acc = a.agg(acc, [["key1", ["A1", "17682882903686900200"]], ["key3", ["C", "17682882903686900200"]]]);
    assert.deepEqual(values(acc), { key1: "A1", key2: "B", key3: "C" });
    acc = a.agg(acc, [["key2", ["B2", "17682882903686900050"]]]);
    assert.deepEqual(values(acc), { key1: "A1", key2: "B", key3: "C" });
  });

  test("testFieldMergeMapWithKeyTimeAggWithBinaryKey (null row removes, null timestamp ignored)", () => {
    const a = createFieldAggregator(mapOf(t("VARBINARY", { length: 10 }), valueType), "m", "merge_map_with_keytime", {});
    const k = new Uint8Array([1, 2]);
    let acc = a.agg(null, [[k, ["A", "100"]]]);
    acc = a.agg(acc, [[new Uint8Array([1, 2]), ["A1", "200"]]]);
    assert.deepEqual(acc, [[k, ["A1", "200"]]]);
    acc = a.agg(acc, [[k, ["A0", "050"]]]);
    assert.deepEqual(acc, [[k, ["A1", "200"]]]);
    acc = a.agg(acc, [[k, ["A2", null]]]);
    assert.deepEqual(acc, [[k, ["A1", "200"]]]);
    acc = a.agg(acc, [[k, null]]);
    assert.deepEqual(acc, []);
  });

  test("ts-field option and the factory's checks", () => {
    const a = createFieldAggregator(mapOf(STRING, rowType(STRING, STRING, INT)), "m", "merge_map_with_keytime", { "fields.m.ts-field": "f1" });
    assert.deepEqual(a.agg([["k", ["old", "2", 9]]], [["k", ["new", "3", 1]]]), [["k", ["new", "3", 1]]]);
    assert.throws(() => createFieldAggregator(mapOf(STRING, rowType(STRING)), "m", "merge_map_with_keytime", {}),
      lakeError("invalid_argument", "ROW type for field 'm' must have at least 2 fields, but found 1"));
    assert.throws(() => createFieldAggregator(mapOf(STRING, valueType), "m", "merge_map_with_keytime", { "fields.m.ts-field": "x" }),
      lakeError("invalid_argument", "Timestamp field 'x' not found in ROW type for field 'm'"));
    assert.throws(() => createFieldAggregator(mapOf(STRING, STRING), "m", "merge_map_with_keytime", {}),
      lakeError("invalid_argument", "Value type of MAP for field 'm' must be ROW"));
    assert.throws(() => a.retract([], []), lakeError("unsupported", "Aggregate function 'merge_map_with_keytime' does not support retraction"));
  });
});
