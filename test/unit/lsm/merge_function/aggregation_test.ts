// Goal: the aggregation merge engine folds a key's records like Java's AggregateMergeFunction:
// default and per-field functions, primary-key and sequence-field columns, retractions,
// aggregation.remove-record-on-delete, ignore-retract, and the errors Java raises.
// Method: port of Java's AggregateMergeFunctionTest (test names cited) plus engine-level cases
// whose expected rows follow from the Java source (getAggFuncName, add, getResult).
import { assert, describe, test } from "../../../harness.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { OptionMap } from "../../../../src/spec/core_options_types.ts";
import type { DataField } from "../../../../src/spec/data_types.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { aggregationFunctionName, createAggregationFactory } from "../../../../src/lsm/merge_function/aggregation.ts";
import type { MergeFunction } from "../../../../src/lsm/merge_function/merge_function.ts";
import { kv, lakeError, namedFields, t } from "./merge_test_helpers.ts";

const { INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE } = RowKind;
const INT = t("INT"), STRING = t("VARCHAR", { length: 2147483647 });

function engine(fields: DataField[], options: OptionMap, pk = ["k"]): MergeFunction {
  const fn = createAggregationFactory(fields, pk, options).create();
  fn.reset();
  return fn;
}

/** Java's `value(...)`: key = first value, sequence -1, INSERT. */
function value(...values: Value[]) {
  return kv([values[0]!], -1, INSERT, values);
}

describe("aggregation engine", () => {
  test("testDefaultAggFunc", () => {
    const fn = engine(namedFields(["k", "a", "b", "c", "d"], [INT, INT, INT, INT, INT]),
      { "fields.default-aggregate-function": "first_non_null_value", "fields.b.aggregate-function": "sum" });
    fn.add(value(1, null, 1, 1, 1));
    fn.add(value(1, 2, null, 2, 2));
    fn.add(value(1, 3, 3, null, 3));
    fn.add(value(1, 4, 4, 4, null));
    fn.add(value(1, 5, 5, 5, 5));
    assert.deepEqual(fn.getResult()!.value, [1, 2, 13, 1, 1]);
  });

  test("tesListAggFunc", () => {
    const fn = engine(namedFields(["k", "a", "b", "c", "d"], [INT, STRING, STRING, INT, STRING]), {
      "fields.a.aggregate-function": "listagg", "fields.b.aggregate-function": "listagg", "fields.b.list-agg-delimiter": "-",
      "fields.d.aggregate-function": "listagg", "fields.d.list-agg-delimiter": "/",
    });
    for (let i = 1; i <= 5; i++) fn.add(value(1, String(i), String(i), i, String(i)));
    assert.deepEqual(fn.getResult()!.value, [1, "1,2,3,4,5", "1-2-3-4-5", 5, "1/2/3/4/5"]);
  });

  test("testInitRowWithNullableFieldOnDelete", () => {
    const fn = engine(namedFields(["k", "a", "b", "c"], [t("INT", { nullable: false }), t("INT", { nullable: false }), INT, INT]),
      { "fields.default-aggregate-function": "sum", "aggregation.remove-record-on-delete": "true" });
    fn.add(value(1, 0, 0, 5));
    fn.add(kv([1], -1, DELETE, [1, 2, 2, null]));
    assert.deepEqual(fn.getResult()!.value, [1, 2, 2, null]);
    assert.equal(fn.getResult()!.rowKind, DELETE);
  });

  test("remove-record-on-delete: a later record restarts from the -D row; -U still retracts", () => {
    const fn = engine(namedFields(["k", "v"], [INT, INT]), { "fields.v.aggregate-function": "sum", "aggregation.remove-record-on-delete": "true" });
    fn.add(kv([1], 1, INSERT, [1, 10]));
    fn.add(kv([1], 2, UPDATE_BEFORE, [1, 4]));
    assert.deepEqual([fn.getResult()!.rowKind, fn.getResult()!.value], [INSERT, [1, 6]]);
    fn.add(kv([1], 3, DELETE, [1, 6]));
    assert.deepEqual([fn.getResult()!.rowKind, fn.getResult()!.value], [DELETE, [1, 6]]);
    fn.add(kv([1], 4, INSERT, [1, 1]));
    assert.deepEqual([fn.getResult()!.rowKind, fn.getResult()!.value, fn.getResult()!.sequenceNumber], [INSERT, [1, 7], 4n]);
    assert.throws(() => {
      const strict = engine(namedFields(["k", "v"], [INT, t("INT", { nullable: false })]), { "aggregation.remove-record-on-delete": "true" });
      strict.add(kv([1], 1, DELETE, [1, null]));
    }, lakeError("invalid_argument", "Field 1 can not be null"));
  });

  test("retractions go through each column's function; result key and sequence are the last record's", () => {
    const fn = engine(namedFields(["k", "total", "last", "label"], [INT, t("BIGINT"), INT, STRING]),
      { "fields.total.aggregate-function": "sum", "fields.last.aggregate-function": "last_value" });
    fn.add(kv([7], 10, INSERT, [7, 5n, 1, "x"]));
    fn.add(kv([7], 11, UPDATE_BEFORE, [7, 5n, 1, "x"]));
    fn.add(kv([7], 12, UPDATE_AFTER, [7, 8n, 2, null]));
    const r = fn.getResult()!;
    // label: last_non_null_value retracts "x" to null, then null input keeps null
    assert.deepEqual([r.key, r.sequenceNumber, r.rowKind, r.value, r.level], [[7], 12n, INSERT, [7, 8n, 2, null], -1]);
  });

  test("a retract into a function without retraction fails with Java's message; ignore-retract skips it", () => {
    const fields = namedFields(["k", "m"], [INT, INT]);
    const strict = engine(fields, { "fields.m.aggregate-function": "max" });
    strict.add(kv([1], 1, INSERT, [1, 3]));
    assert.throws(() => strict.add(kv([1], 2, DELETE, [1, 3])),
      lakeError("unsupported", "Aggregate function 'max' does not support retraction, If you allow this function to ignore retraction messages, you can configure 'fields.m.ignore-retract'='true'."));
    const lenient = engine(fields, { "fields.m.aggregate-function": "max", "fields.m.ignore-retract": "true" });
    lenient.add(kv([1], 1, INSERT, [1, 3]));
    lenient.add(kv([1], 2, DELETE, [1, 3]));
    lenient.add(kv([1], 3, INSERT, [1, 2]));
    assert.deepEqual(lenient.getResult()!.value, [1, 3]);
  });

  test("ignore-delete is not consulted by the aggregation engine (Java drops retracts when writing only)", () => {
    const fn = engine(namedFields(["k", "v"], [INT, INT]), { "fields.v.aggregate-function": "sum", "ignore-delete": "true" });
    fn.add(kv([1], 1, INSERT, [1, 10]));
    fn.add(kv([1], 2, DELETE, [1, 3]));
    assert.deepEqual(fn.getResult()!.value, [1, 7]);
  });

  test("function per column: sequence fields use last_value, keys primary-key, default last_non_null_value", () => {
    const options = { "sequence.field": "ts", "fields.default-aggregate-function": "sum", "fields.c.aggregate-function": "max" };
    assert.equal(aggregationFunctionName("ts", options, ["k"], ["ts"]), "last_value");
    assert.equal(aggregationFunctionName("k", options, ["k"], ["ts"]), "primary-key");
    assert.equal(aggregationFunctionName("c", options, ["k"], ["ts"]), "max");
    assert.equal(aggregationFunctionName("d", options, ["k"], ["ts"]), "sum");
    assert.equal(aggregationFunctionName("d", {}, ["k"], []), "last_non_null_value");
    const fn = engine(namedFields(["k", "ts", "v"], [INT, INT, INT]), { "sequence.field": "ts", "fields.default-aggregate-function": "sum" });
    fn.add(kv([1], 1, INSERT, [1, 5, 1]));
    fn.add(kv([1], 2, INSERT, [1, null, 2]));
    assert.deepEqual(fn.getResult()!.value, [1, null, 3]);
  });

  test("configuration errors surface when the factory is built", () => {
    const fields = namedFields(["k", "v"], [INT, STRING]);
    assert.throws(() => createAggregationFactory(fields, ["k"], { "fields.v.aggregate-function": "sum" }),
      lakeError("invalid_argument", "Data type for sum column must be 'NumericType' but was 'STRING'."));
    assert.throws(() => createAggregationFactory(fields, ["k"], { "fields.v.aggregate-function": "hll_sketch" }),
      lakeError("unsupported", "aggregate function 'hll_sketch' of field 'v'"));
    assert.throws(() => createAggregationFactory(fields, ["k"], { "fields.default-aggregate-function": "foo" }),
      lakeError("unsupported", "field 'v' uses aggregate function 'foo'"));
  });

  test("projection: functions follow the read fields by name", () => {
    const fields = namedFields(["k", "a", "b"], [INT, INT, INT]);
    const fn = createAggregationFactory(fields, ["k"], { "fields.a.aggregate-function": "sum", "fields.b.aggregate-function": "min" })
      .create([fields[2]!, fields[1]!]);
    fn.reset();
    fn.add(kv([1], 1, INSERT, [5, 5]));
    fn.add(kv([1], 2, INSERT, [3, 3]));
    assert.deepEqual(fn.getResult()!.value, [3, 8]);
  });
});
