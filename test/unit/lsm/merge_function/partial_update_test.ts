// Goal: the partial-update merge engine reproduces Java's PartialUpdateMergeFunction exactly:
// non-null overwrite, sequence groups (single and multi-field), retracts inside groups, aggregate
// functions in groups, projections, delete options and every configuration error.
// Method: port of Java's PartialUpdateMergeFunctionTest (same inputs, same expected rows, each
// test names its Java method), plus the delete-option combinations Java's factory rejects.
import { assert, describe, test } from "../../../harness.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { DataField } from "../../../../src/spec/data_types.ts";
import type { OptionMap } from "../../../../src/spec/core_options_types.ts";
import { createPartialUpdateFactory, PartialUpdateMergeFunction } from "../../../../src/lsm/merge_function/partial_update.ts";
import type { MergeFunction } from "../../../../src/lsm/merge_function/merge_function.ts";
import { Feeder, intFields, kv, lakeError, namedFields, rowOf, t } from "./merge_test_helpers.ts";

const { INSERT, UPDATE_BEFORE, DELETE } = RowKind;

function create(options: OptionMap, fields: DataField[], readFields?: DataField[], pk: string[] = ["f0"]): Feeder {
  const fn = createPartialUpdateFactory(fields, pk, options).create(readFields);
  fn.reset();
  return new Feeder(fn);
}

function project(fields: DataField[], ...names: string[]): DataField[] {
  return names.map((n) => fields.find((f) => f.name === n)!);
}

describe("partial-update: non-null overwrite and sequence groups", () => {
  test("testUpdateNonNull", () => {
    const f = create({}, intFields(7));
    f.add(1, 1, 1, 1, 1, 1, 1);
    f.add(1, 2, 2, 2, 2, 2, null);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 2, 2, 1]);
  });

  test("testSequenceGroup", () => {
    const f = create({ "fields.f3.sequence-group": "f1,f2", "fields.f6.sequence-group": "f4,f5" }, intFields(7));
    f.add(1, 1, 1, 1, 1, 1, 1);
    f.add(1, 2, 2, 2, 2, 2, null);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 1, 1, 1]);
    f.add(1, 3, 3, 1, 3, 3, 3);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 3, 3, 3]);
    f.addKind(DELETE, 1, 1, 1, 3, 1, 1, null);
    assert.deepEqual(f.value(), [1, null, null, 3, 3, 3, 3]);
    f.addKind(DELETE, 1, 1, 1, 3, 1, 1, 4);
    assert.deepEqual(f.value(), [1, null, null, 3, null, null, 4]);
    f.add(1, 4, 4, 4, 5, 5, 5);
    assert.deepEqual(f.value(), [1, 4, 4, 4, 5, 5, 5]);
    f.addKind(DELETE, 1, 1, 1, 6, 1, 1, 6);
    assert.deepEqual(f.value(), [1, null, null, 6, null, null, 6]);
  });

  test("testSequenceGroupWithBlobField", () => {
    const fields = rowOf(t("INT"), t("INT"), t("BLOB"), t("INT"));
    const f = create({ "fields.f3.sequence-group": "f1,f2" }, fields);
    const first = new Uint8Array([1, 2, 3]), second = new Uint8Array([4, 5, 6]), third = new Uint8Array([7, 8, 9]);
    f.add(1, 10, first, 1);
    f.add(1, 20, second, null);
    assert.deepEqual(f.value(), [1, 10, first, 1]); // null sequence group does not overwrite
    f.add(1, 30, third, 2);
    assert.deepEqual(f.value(), [1, 30, third, 2]);
    f.add(1, 40, second, 2); // equal sequence overwrites the group
    assert.deepEqual(f.value(), [1, 40, second, 2]);
    f.add(1, 50, null, 3); // newer sequence overwrites, nulls included
    assert.deepEqual(f.value(), [1, 50, null, 3]);
    f.add(1, 60, first, 2); // older sequence does not
    assert.deepEqual(f.value(), [1, 50, null, 3]);
  });

  test("testSequenceGroupPartialDelete", () => {
    const f = create({
      "fields.f3.sequence-group": "f1,f2", "fields.f6.sequence-group": "f4,f5",
      "partial-update.remove-record-on-sequence-group": "f6",
    }, intFields(7));
    f.add(1, 1, 1, 1, 1, 1, 1);
    f.add(1, 2, 2, 2, 2, 2, null);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 1, 1, 1]);
    f.add(1, 3, 3, 1, 3, 3, 3);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 3, 3, 3]);
    f.addKind(DELETE, 1, 1, 1, 3, 1, 1, null);
    assert.deepEqual(f.value(), [1, null, null, 3, 3, 3, 3]);
    f.addKind(DELETE, 1, 1, 1, 3, 1, 1, 4);
    assert.deepEqual(f.value(), [1, 1, 1, 3, 1, 1, 4]);
    f.add(1, 4, 4, 4, 5, 5, 5);
    assert.deepEqual(f.value(), [1, 4, 4, 4, 5, 5, 5]);
    f.addKind(DELETE, 1, 1, 1, 6, 1, 1, 6);
    assert.deepEqual(f.value(), [1, 1, 1, 6, 1, 1, 6]);
  });

  test("testSequenceGroupPartialDelete: the row kind says the row is removed", () => {
    const fn = createPartialUpdateFactory(intFields(7), ["f0"], {
      "fields.f3.sequence-group": "f1,f2", "fields.f6.sequence-group": "f4,f5",
      "partial-update.remove-record-on-sequence-group": "f6",
    }).create();
    fn.reset();
    fn.add(kv([1], 0, INSERT, [1, 1, 1, 1, 1, 1, 1]));
    fn.add(kv([1], 1, DELETE, [1, 1, 1, 3, 1, 1, 4]));
    assert.equal(fn.getResult()!.rowKind, DELETE);
    fn.add(kv([1], 2, INSERT, [1, 4, 4, 4, 5, 5, 5]));
    assert.equal(fn.getResult()!.rowKind, INSERT);
  });

  test("testSequenceGroupPartialDeleteWithProjection", () => {
    const fields = intFields(7);
    const read = project(fields, "f3", "f6", "f0", "f1", "f2", "f4", "f5");
    const f = create({
      "fields.f3.sequence-group": "f1,f2", "fields.f6.sequence-group": "f4,f5",
      "partial-update.remove-record-on-sequence-group": "f3,f6",
    }, fields, read);
    f.add(11, 22, 100, 200, 1, 12, 21);
    f.addKind(DELETE, 11, 22, 100, 200, 1, 12, 21);
    assert.deepEqual(f.value(), [11, 22, 100, 200, 1, 12, 21]);
  });

  test("testMultiSequenceFields", () => {
    const options = { "fields.f3,f4.sequence-group": "f1,f2", "fields.f7,f8.sequence-group": "f5,f6" };
    const fn = createPartialUpdateFactory(intFields(9), ["f0"], options).create();
    fn.reset();
    const f = new Feeder(fn);
    f.add(1, null, null, null, null, 1, 1, 1, 3);
    f.add(1, 2, 2, null, null, 2, 2, 1, 3);
    assert.deepEqual(f.value(), [1, null, null, null, null, 2, 2, 1, 3]);
    fn.reset();
    f.add(1, 1, 1, 1, 1, 1, 1, 1, 3);
    f.add(1, 2, 2, 2, 2, 2, 1, 1, null);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 2, 1, 1, 1, 3]);
    f.add(1, 1, 3, 1, 3, 3, 3, 3, 2);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 2, 3, 3, 3, 2]);
    f.addKind(DELETE, 1, 1, 1, 3, 3, 1, 1, null, null);
    assert.deepEqual(f.value(), [1, null, null, 3, 3, 3, 3, 3, 2]);
    f.addKind(DELETE, 1, 1, 1, 3, 1, 1, 1, 4, 4);
    assert.deepEqual(f.value(), [1, null, null, 3, 3, null, null, 4, 4]);
    f.add(1, 4, 4, 4, 4, 5, 5, 5, 5);
    assert.deepEqual(f.value(), [1, 4, 4, 4, 4, 5, 5, 5, 5]);
    f.addKind(DELETE, 1, 1, 1, 6, 1, 1, 1, 6, 1);
    assert.deepEqual(f.value(), [1, null, null, 6, 1, null, null, 6, 1]);
  });

  test("testSequenceGroupDefaultAggFunc", () => {
    const f = create({
      "fields.f3.sequence-group": "f1,f2", "fields.f6.sequence-group": "f4,f5",
      "fields.default-aggregate-function": "last_non_null_value",
    }, intFields(7));
    f.add(1, 1, 1, 1, 1, 1, 1);
    f.add(1, 2, 2, 2, 2, 2, null);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 1, 1, 1]);
    f.add(1, 3, 3, 1, 3, 3, 3);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 3, 3, 3]);
    f.add(1, 4, null, 4, 5, null, 5);
    assert.deepEqual(f.value(), [1, 4, 2, 4, 5, 3, 5]);
  });

  test("testMultiSequenceFieldsDefaultAggFunc", () => {
    const f = create({
      "fields.f3,f4.sequence-group": "f1,f2", "fields.f7,f8.sequence-group": "f5,f6",
      "fields.default-aggregate-function": "last_non_null_value",
    }, intFields(9));
    f.add(1, 1, 1, 1, 1, 1, 1, 1, 1);
    f.add(1, 2, 2, 2, 2, 2, 2, null, null);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 2, 1, 1, 1, 1]);
    f.add(1, 3, 3, 1, 1, 3, 3, 3, 3);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 2, 3, 3, 3, 3]);
    f.add(1, 4, null, 4, 4, 5, null, 5, 5);
    assert.deepEqual(f.value(), [1, 4, 2, 4, 4, 5, 3, 5, 5]);
  });

  test("testFirstValue", () => {
    const f = create({
      "fields.f1.sequence-group": "f2,f3", "fields.f2.aggregate-function": "first_value", "fields.f3.aggregate-function": "last_value",
    }, intFields(4));
    f.add(1, 1, 1, 1);
    f.add(1, 2, 2, 2);
    assert.deepEqual(f.value(), [1, 2, 1, 2]);
    f.add(1, 0, 3, 3);
    assert.deepEqual(f.value(), [1, 2, 3, 2]);
  });

  test("testMultiSequenceFieldsFirstValue", () => {
    const f = create({
      "fields.f1,f2.sequence-group": "f3,f4", "fields.f3.aggregate-function": "first_value", "fields.f4.aggregate-function": "last_value",
    }, intFields(5));
    f.add(1, 1, 1, 1, 1);
    f.add(1, 2, 2, 2, 2);
    assert.deepEqual(f.value(), [1, 2, 2, 1, 2]);
    f.add(1, 0, 1, 3, 3);
    assert.deepEqual(f.value(), [1, 2, 2, 3, 2]);
  });
});

describe("partial-update: aggregation inside sequence groups", () => {
  const aggOptions = {
    "fields.f1.sequence-group": "f2,f3,f4", "fields.f7.sequence-group": "f6",
    "fields.f0.aggregate-function": "listagg", "fields.f2.aggregate-function": "sum",
    "fields.f4.aggregate-function": "last_value", "fields.f6.aggregate-function": "last_non_null_value",
    "fields.f4.ignore-retract": "true", "fields.f6.ignore-retract": "true",
  };

  test("testPartialUpdateWithAggregation", () => {
    const f = create(aggOptions, intFields(8));
    f.add(1, 1, 1, 1, 1, 1, 1, 1);
    f.add(1, 2, 1, 2, 2, 2, 2, 0);
    assert.deepEqual(f.value(), [1, 2, 2, 2, 2, 2, 1, 1]);
    f.add(1, 1, 1, 1, 1, 1, 2, 0); // groups not advanced
    assert.deepEqual(f.value(), [1, 2, 3, 2, 2, 1, 1, 1]);
    f.add(1, 1, -1, 1, 1, 2, 2, 0);
    f.add(1, 3, null, null, null, null, null, 2); // nulls
    assert.deepEqual(f.value(), [1, 3, 2, null, null, 2, 1, 2]);
    f.add(1, 3, 1, 1, 1, 1, 1, 3); // retracts
    assert.deepEqual(f.value(), [1, 3, 3, 1, 1, 1, 1, 3]);
    f.addKind(UPDATE_BEFORE, 1, 3, 2, 1, 1, 1, 1, 3);
    assert.deepEqual(f.value(), [1, 3, 1, null, 1, 1, 1, 3]);
    f.addKind(DELETE, 1, 3, 2, 1, 1, 1, 1, 3);
    assert.deepEqual(f.value(), [1, 3, -1, null, 1, 1, 1, 3]);
    f.addKind(DELETE, 1, 2, 2, 1, 1, 1, 1, 3); // retract for an old sequence
    assert.deepEqual(f.value(), [1, 3, -3, null, 1, 1, 1, 3]);
  });

  test("testMultiSequenceFieldsPartialUpdateWithAggregation", () => {
    const f = create({
      "fields.f1,f2.sequence-group": "f3,f4,f5", "fields.f7,f8.sequence-group": "f6",
      "fields.f0.aggregate-function": "listagg", "fields.f3.aggregate-function": "sum",
      "fields.f4.aggregate-function": "first_value", "fields.f5.aggregate-function": "last_value",
      "fields.f6.aggregate-function": "last_non_null_value",
      "fields.f4.ignore-retract": "true", "fields.f6.ignore-retract": "true",
    }, intFields(9));
    f.add(1, null, null, 1, 1, 1, 1, 1, 1); // null retract
    assert.deepEqual(f.value(), [1, null, null, null, null, null, 1, 1, 1]);
    f.addKind(DELETE, 1, null, null, 1, 1, 1, 0, 1, 1);
    assert.deepEqual(f.value(), [1, null, null, null, null, null, 1, 1, 1]);
    f.add(1, 1, 1, 1, 1, 1, 1, 1, 1);
    f.add(1, 1, 2, 1, 2, 2, null, 2, 0);
    assert.deepEqual(f.value(), [1, 1, 2, 2, 1, 2, 1, 2, 0]);
    f.add(1, 1, 1, 1, 3, 1, 1, 2, 0); // group not advanced
    assert.deepEqual(f.value(), [1, 1, 2, 3, 3, 2, 1, 2, 0]);
    f.add(1, 1, 3, null, null, null, null, 4, 2);
    assert.deepEqual(f.value(), [1, 1, 3, 3, 3, null, 1, 4, 2]);
    f.add(1, 2, 3, 1, 1, 1, 1, 4, 3);
    assert.deepEqual(f.value(), [1, 2, 3, 4, 3, 1, 1, 4, 3]);
    f.addKind(UPDATE_BEFORE, 1, 2, 3, 2, 1, 2, 1, 4, 3);
    assert.deepEqual(f.value(), [1, 2, 3, 2, 3, null, 1, 4, 3]);
    // Java passes 8 values to a 9-field row here; f8 is never read (the f7 comparison decides)
    f.addKind(DELETE, 1, 3, 2, 3, 1, 1, 4, 3, null);
    assert.deepEqual(f.value(), [1, 3, 2, -1, 3, null, 1, 4, 3]);
    f.addKind(DELETE, 1, 2, 2, 2, 1, 1, 1, 1, 3); // retract for an old sequence
    assert.deepEqual(f.value(), [1, 3, 2, -3, 3, null, 1, 4, 3]);
  });

  test("testPartialUpdateWithAggregationProjectPushDown", () => {
    const fields = intFields(8);
    const factory = createPartialUpdateFactory(fields, ["f0"], aggOptions);
    const pushdown = factory.adjustReadFields(project(fields, "f3", "f2", "f5"));
    assert.deepEqual(pushdown.map((x) => x.name), ["f3", "f2", "f5", "f1"]);
    const fn = factory.create(pushdown);
    fn.reset();
    const f = new Feeder(fn);
    f.add(1, 1, 1, 1);
    f.add(2, 1, 2, 2);
    assert.deepEqual(f.value(), [2, 2, 2, 2]);
    f.addKind(INSERT, null, null, null, 3);
    assert.deepEqual(f.value(), [null, 2, 2, 3]);
    f.addKind(UPDATE_BEFORE, 1, 2, 1, 3);
    assert.deepEqual(f.value(), [null, 0, 2, 3]);
    f.addKind(DELETE, 1, 2, 1, 3);
    assert.deepEqual(f.value(), [null, -2, 2, 3]);
  });

  test("testMultiSequenceFieldsPartialUpdateWithAggregationProjectPushDown", () => {
    const fields = intFields(10);
    const factory = createPartialUpdateFactory(fields, ["f0"], {
      "fields.f1,f8.sequence-group": "f2,f3,f4", "fields.f7,f9.sequence-group": "f6",
      "fields.f0.aggregate-function": "listagg", "fields.f2.aggregate-function": "sum",
      "fields.f4.aggregate-function": "last_value", "fields.f6.aggregate-function": "last_non_null_value",
      "fields.f4.ignore-retract": "true", "fields.f6.ignore-retract": "true",
    });
    const pushdown = factory.adjustReadFields(project(fields, "f3", "f2", "f5"));
    assert.deepEqual(pushdown.map((x) => x.name), ["f3", "f2", "f5", "f1", "f8"]);
    const fn = factory.create(pushdown);
    fn.reset();
    const f = new Feeder(fn);
    f.add(1, 1, 1, 1, 1);
    f.add(2, 1, 2, 2, 2);
    assert.deepEqual(f.value(), [2, 2, 2, 2, 2]);
    f.addKind(INSERT, null, null, null, 3, 3);
    assert.deepEqual(f.value(), [null, 2, 2, 3, 3]);
    f.addKind(UPDATE_BEFORE, 1, 2, 1, 3, 3);
    assert.deepEqual(f.value(), [null, 0, 2, 3, 3]);
    f.addKind(DELETE, 1, 2, 1, 3, 3);
    assert.deepEqual(f.value(), [null, -2, 2, 3, 3]);
  });

  test("testAggregationWithoutSequenceGroup", () => {
    const fields = namedFields(["pk", "f0", "g0", "f1", "g1"], [t("INT"), t("INT"), t("INT"), t("INT"), t("INT")]);
    const options1 = { "fields.f0.aggregate-function": "listagg", "fields.f1.aggregate-function": "listagg" };
    assert.throws(() => createPartialUpdateFactory(fields, ["pk"], options1),
      lakeError("invalid_argument", "Must use sequence group for aggregation functions but not found for field f0."));
    assert.throws(() => createPartialUpdateFactory(fields, ["pk"], { ...options1, "fields.g0.sequence-group": "f0" }),
      lakeError("invalid_argument", "Must use sequence group for aggregation functions but not found for field f1."));
  });
});

describe("partial-update: projections", () => {
  const groups = { "fields.f4.sequence-group": "f1,f3", "fields.f5.sequence-group": "f7" };
  const multiGroups = { "fields.f2,f4.sequence-group": "f1,f3", "fields.f5,f6.sequence-group": "f7" };

  test("testAdjustProjectionSequenceFieldsProject", () => {
    const fields = intFields(8);
    const factory = createPartialUpdateFactory(fields, ["f0"], groups);
    const pushdown = factory.adjustReadFields(project(fields, "f1", "f4", "f3", "f7"));
    assert.deepEqual(pushdown.map((x) => x.name), ["f1", "f4", "f3", "f7", "f5"]);
    const fn = factory.create(pushdown);
    fn.reset();
    const f = new Feeder(fn);
    f.add(1, 1, 1, 1, 1);
    f.add(1, null, 1, 2, 2); // a null sequence field leaves its group alone
    assert.deepEqual(f.value(), [1, 1, 1, 2, 2]);
  });

  test("testMultiSequenceFieldsAdjustProjectionProject", () => {
    const fields = intFields(8);
    const factory = createPartialUpdateFactory(fields, ["f0"], multiGroups);
    const pushdown = factory.adjustReadFields(project(fields, "f1", "f4", "f3", "f7"));
    assert.deepEqual(pushdown.map((x) => x.name), ["f1", "f4", "f3", "f7", "f2", "f5", "f6"]);
    const fn = factory.create(pushdown);
    fn.reset();
    const f = new Feeder(fn);
    f.add(1, 1, 1, 1, 1, 1, 1);
    f.add(1, null, 1, 3, 2, 2, 2);
    assert.deepEqual(f.value(), [1, null, 1, 3, 2, 2, 2]);
  });

  for (const [name, options] of [["testAdjustProjectionAllFieldsProject", groups], ["testMultiSequenceFieldsAdjustProjectionAllFieldsProject", multiGroups]] as const) {
    test(name, () => {
      const fields = intFields(8);
      const factory = createPartialUpdateFactory(fields, ["f0"], options);
      const pushdown = factory.adjustReadFields(fields);
      assert.deepEqual(pushdown.map((x) => x.name), ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"]);
      const fn = factory.create(pushdown);
      fn.reset();
      const f = new Feeder(fn);
      f.add(1, 1, 1, 1, 1, 1, 1, 1);
      f.add(4, 2, 4, 2, 2, 0, null, 3); // f6 has no group: not overwritten by null
      assert.deepEqual(f.value(), [4, 2, 4, 2, 2, 1, 1, 1]);
    });
  }

  test("testAdjustProjectionNonProject", () => {
    const fields = intFields(8);
    const f = create(groups, fields, fields);
    f.add(1, 1, 1, 1, 1, 1, 1, 1);
    f.add(4, 2, 4, 2, 2, 0, null, 3);
    assert.deepEqual(f.value(), [4, 2, 4, 2, 2, 1, 1, 1]);
  });

  test("testAdjustProjectionNoSequenceGroup", () => {
    const fields = intFields(8);
    const factory = createPartialUpdateFactory(fields, ["f0"], {});
    const read = project(fields, "f0", "f1", "f3", "f4", "f7");
    const pushdown = factory.adjustReadFields(read);
    assert.deepEqual(pushdown, read);
    const fn = factory.create(pushdown);
    fn.reset();
    const f = new Feeder(fn);
    f.add(1, 1, 1, 1, 1);
    f.add(3, 3, null, 3, 3);
    assert.deepEqual(f.value(), [3, 3, 1, 3, 3]);
    f.add(2, 2, 2, 2, 2);
    assert.deepEqual(f.value(), [2, 2, 2, 2, 2]);
  });

  test("testAdjustProjectionCreateDirectly", () => {
    const fields = intFields(8);
    assert.throws(() => createPartialUpdateFactory(fields, ["f0"], groups).create(project(fields, "f1", "f7")),
      lakeError("invalid_argument", "Can not find new sequence field for new field."));
  });
});

describe("partial-update: configuration errors", () => {
  const cases: [string, OptionMap, number, string, string][] = [
    ["testSequenceGroupDefinedNoField", { "fields.f3.sequence-group": "f1,f2,f7", "fields.f6.sequence-group": "f4,f5" }, 7, "f0", "can not be found in table schema"],
    ["testMultiSequenceFieldsDefinedNoField", { "fields.f2,f3.sequence-group": "f1,f7", "fields.f5,f6.sequence-group": "f4" }, 7, "f0", "can not be found in table schema"],
    ["testSequenceGroupRepeatDefine", { "fields.f3.sequence-group": "f1,f2", "fields.f4.sequence-group": "f1,f2" }, 5, "f0", "is defined repeatedly by multiple groups"],
    ["testMultiSequenceFieldsRepeatDefine", { "fields.f3,f4.sequence-group": "f1,f2", "fields.f5,f6.sequence-group": "f1,f2" }, 7, "f0", "is defined repeatedly by multiple groups"],
    ["testSequenceGroupCannotContainPrimaryKey", { "fields.f0.sequence-group": "f1,f2" }, 4, "f0",
      "The sequence-group 'fields.f0.sequence-group' contains primary key field 'f0', which is not allowed. Primary key columns cannot be put in sequence-group."],
    ["testMultiSequenceFieldsCannotContainPrimaryKey", { "fields.f2,f3.sequence-group": "f0,f4" }, 6, "f2",
      "The sequence-group 'fields.f2,f3.sequence-group' contains primary key field 'f2', which is not allowed. Primary key columns cannot be put in sequence-group."],
    ["testPrimaryKeyCannotBeInSequenceGroupValue", { "fields.f4.sequence-group": "f1,f2" }, 6, "f2",
      "The sequence-group 'fields.f4.sequence-group' contains primary key field 'f2', which is not allowed. Primary key columns cannot be put in sequence-group."],
    ["ignore-delete + remove-record-on-delete", { "ignore-delete": "true", "partial-update.remove-record-on-delete": "true" }, 3, "f0", "have conflicting behavior"],
    ["ignore-delete + remove-record-on-sequence-group", { "partial-update.ignore-delete": "true", "fields.f2.sequence-group": "f1", "partial-update.remove-record-on-sequence-group": "f2" }, 3, "f0", "ignore-delete and partial-update.remove-record-on-sequence-group"],
    ["sequence groups + remove-record-on-delete", { "fields.f2.sequence-group": "f1", "partial-update.remove-record-on-delete": "true" }, 3, "f0", "sequence-group and partial-update.remove-record-on-delete"],
    ["remove-record-on-sequence-group outside groups", { "fields.f2.sequence-group": "f1", "partial-update.remove-record-on-sequence-group": "f1" }, 3, "f0", "must be part of sequence groups"],
    ["unknown aggregate function in a group", { "fields.f2.sequence-group": "f1", "fields.f1.aggregate-function": "median" }, 3, "f0", "aggregate function 'median'"],
  ];
  for (const [name, options, count, pk, message] of cases) {
    test(name, () => {
      const code = name.startsWith("unknown") ? "unsupported" : "invalid_argument";
      assert.throws(() => createPartialUpdateFactory(intFields(count), [pk], options), lakeError(code, message));
    });
  }
});

describe("partial-update: deletes", () => {
  test("deletes are rejected by default with Java's message", () => {
    const f = create({}, intFields(3));
    f.add(1, 1, 1);
    assert.throws(() => f.addKind(DELETE, 1, 1, 1), lakeError("invalid_argument", "By default, Partial update can not accept delete records"));
    assert.throws(() => f.addKind(UPDATE_BEFORE, 1, 1, 1), lakeError("invalid_argument", "2. Configure 'partial-update.remove-record-on-delete'"));
  });

  test("ignore-delete skips retracts but a leading retract still initialises the row", () => {
    const fn = createPartialUpdateFactory(intFields(3), ["f0"], { "ignore-delete": "true" }).create();
    fn.reset();
    fn.add(kv([1], 5, DELETE, [1, 7, 7]));
    let r = fn.getResult()!;
    assert.deepEqual([r.rowKind, r.sequenceNumber, r.value], [DELETE, 0n, [1, 7, 7]]);
    fn.add(kv([1], 6, INSERT, [1, null, 2]));
    fn.add(kv([1], 7, UPDATE_BEFORE, [1, 9, 9]));
    r = fn.getResult()!;
    assert.deepEqual([r.rowKind, r.sequenceNumber, r.value], [INSERT, 6n, [1, 7, 2]]);
  });

  test("testDeleteReproduceCorrectSequenceNumber", () => {
    const fn = createPartialUpdateFactory(intFields(5), ["f0"], { "partial-update.remove-record-on-delete": "true" }).create();
    fn.reset();
    fn.add(kv([1], 0, INSERT, [1, 1, 1, 1, 1]));
    fn.add(kv([1], 1, DELETE, [1, 1, 1, 1, 1]));
    assert.equal(fn.getResult()!.sequenceNumber, 1n);
    assert.equal(fn.getResult()!.rowKind, DELETE);
  });

  test("remove-record-on-delete: -U is ignored, only -D removes", () => {
    const fn = createPartialUpdateFactory(intFields(3), ["f0"], { "partial-update.remove-record-on-delete": "true" }).create();
    fn.reset();
    fn.add(kv([1], 0, INSERT, [1, 1, 1]));
    fn.add(kv([1], 1, UPDATE_BEFORE, [1, 1, 1]));
    assert.deepEqual([fn.getResult()!.rowKind, fn.getResult()!.value], [INSERT, [1, 1, 1]]);
  });

  test("testInitRowWithNullableFieldOnDelete", () => {
    const fields = rowOf(t("INT", { nullable: false }), t("INT", { nullable: false }), t("INT"), t("INT"));
    const f = create({ "partial-update.remove-record-on-delete": "true" }, fields);
    f.add(1, 3, 5, 7);
    f.addKind(DELETE, 1, 2, 2, null);
    assert.deepEqual(f.value(), [1, 2, 2, null]);
  });

  test("a NOT NULL column that is null fails as in Java", () => {
    const fields = rowOf(t("INT", { nullable: false }), t("INT", { nullable: false }));
    const f = create({}, fields);
    assert.throws(() => f.add(1, null), lakeError("invalid_argument", "Field 1 can not be null"));
  });

  test("only retracts with sequence groups give a -D result", () => {
    const fn: MergeFunction = createPartialUpdateFactory(intFields(3), ["f0"], { "fields.f2.sequence-group": "f1" }).create();
    fn.reset();
    fn.add(kv([1], 3, DELETE, [1, 5, 1]));
    const r = fn.getResult()!;
    assert.deepEqual([r.rowKind, r.sequenceNumber, r.value], [DELETE, 3n, [1, null, 1]]);
    assert.ok(fn instanceof PartialUpdateMergeFunction);
  });
});
