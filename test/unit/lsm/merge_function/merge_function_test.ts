// Goal: the table-level factory picks and validates the merge engine as Java does (options,
// sequence fields, first-row limits, lookup wrapping, level-0 visibility, read fields), and the
// deduplicate, first-row, lookup and single-record (reducer) behaviours match Java.
// Method: schemas built with createTableSchema; expectations from DeduplicateMergeFunction,
// FirstRowMergeFunction, ReducerMergeFunctionWrapper, Java's LookupMergeFunctionTest (test
// names cited), SchemaValidation and CoreOptions.batchScanSkipLevel0/needLookup.
import { assert, describe, test } from "../../../harness.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import { createTableSchema, type TableSchema } from "../../../../src/spec/schema.ts";
import type { OptionMap } from "../../../../src/spec/core_options_types.ts";
import { OPTION_SUPPORT } from "../../../../src/spec/option_support.ts";
import type { DataField } from "../../../../src/spec/data_types.ts";
import {
  createMergeFunction, createMergeFunctionFactory, ReducerMergeFunction, type MergeFunction,
} from "../../../../src/lsm/merge_function/merge_function.ts";
import { DeduplicateMergeFunction } from "../../../../src/lsm/merge_function/deduplicate.ts";
import { FirstRowMergeFunction } from "../../../../src/lsm/merge_function/first_row.ts";
import { LookupMergeFunction } from "../../../../src/lsm/merge_function/lookup.ts";
import { AGGREGATE_FUNCTIONS_IMPLEMENTED } from "../../../../src/lsm/merge_function/aggregators/factory.ts";
import { intFields, kv, lakeError, namedFields, t } from "./merge_test_helpers.ts";

const { INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE } = RowKind;

function schema(options: OptionMap, fields: DataField[] = intFields(3), primaryKeys = ["f0"]): TableSchema {
  return createTableSchema({ fields, primaryKeys, options: { bucket: "1", ...options }, timeMillis: 0n });
}

function run(fn: MergeFunction, ...records: ReturnType<typeof kv>[]) {
  fn.reset();
  for (const r of records) fn.add(r);
  return fn.getResult();
}

describe("deduplicate", () => {
  test("the last record wins, its kind included", () => {
    const fn = createMergeFunction(schema({}));
    const last = kv([1], 3, DELETE, [1, 3, 3]);
    assert.equal(run(fn, kv([1], 1, INSERT, [1, 1, 1]), kv([1], 2, UPDATE_AFTER, [1, 2, 2]), last), last);
    assert.equal(run(fn), null);
  });

  test("ignore-delete (and its fallback deduplicate.ignore-delete) skips retracts", () => {
    const variants: OptionMap[] = [{ "ignore-delete": "true" }, { "deduplicate.ignore-delete": "true" }];
    for (const options of variants) {
      const fn = createMergeFunction(schema(options));
      const first = kv([1], 1, INSERT, [1, 1, 1]);
      assert.equal(run(fn, first, kv([1], 2, UPDATE_BEFORE, [1, 1, 1]), kv([1], 3, DELETE, [1, 1, 1])), first);
      assert.equal(run(fn, kv([1], 3, DELETE, [1, 1, 1])), null);
    }
    assert.ok(new DeduplicateMergeFunction(false));
  });
});

describe("first-row", () => {
  test("the first record wins; retracts fail unless ignore-delete", () => {
    const fn = createMergeFunction(schema({ "merge-engine": "first-row" })) as FirstRowMergeFunction;
    const first = kv([1], 1, INSERT, [1, 1, 1], 0);
    assert.equal(run(fn, first, kv([1], 2, INSERT, [1, 2, 2], 2)), first);
    assert.equal(fn.containsHighLevel, true);
    fn.reset();
    assert.equal(fn.containsHighLevel, false);
    assert.throws(() => run(fn, first, kv([1], 2, DELETE, [1, 1, 1])),
      lakeError("invalid_argument", "By default, First row merge engine can not accept DELETE/UPDATE_BEFORE records.\nYou can config 'ignore-delete' to ignore the DELETE/UPDATE_BEFORE records."));
    const lenient = createMergeFunction(schema({ "merge-engine": "first-row", "first-row.ignore-delete": "true" }));
    assert.equal(run(lenient, kv([1], 0, DELETE, [1, 0, 0]), first), first);
  });
});

describe("ReducerMergeFunction (ReducerMergeFunctionWrapper)", () => {
  test("a single record bypasses the merge function, even one it would reject", () => {
    const lonely = kv([1], 4, DELETE, [1, 2, 3]);
    const partial = new ReducerMergeFunction(createMergeFunction(schema({ "merge-engine": "partial-update" })));
    assert.equal(run(partial, lonely), lonely);
    assert.throws(() => run(partial, kv([1], 1, INSERT, [1, 1, 1]), lonely), lakeError("invalid_argument", "Partial update can not accept delete records"));
    const agg = new ReducerMergeFunction(createMergeFunction(schema({ "merge-engine": "aggregation", "fields.f1.aggregate-function": "sum" })));
    const add = kv([1], 1, INSERT, [1, 5, 5]);
    assert.equal(run(agg, add), add);
    const merged = run(agg, add, kv([1], 2, INSERT, [1, 6, 6]))!;
    assert.deepEqual([merged.value, merged.sequenceNumber, merged.level], [[1, 11, 6], 2n, -1]);
    assert.equal(run(agg), null);
  });
});

describe("LookupMergeFunction", () => {
  const dedup = () => new LookupMergeFunction(new DeduplicateMergeFunction(false));

  test("testKeepLowestHighLevel", () => {
    assert.deepEqual(run(dedup(), kv([1], 1, INSERT, [2], 1), kv([1], 1, INSERT, [1], 2))!.value, [2]);
  });

  test("testLevelNegative", () => {
    assert.deepEqual(run(dedup(), kv([1], 1, INSERT, [2], -1), kv([1], 1, INSERT, [1], -1))!.value, [1]);
  });

  test("testPicksTheLowestHighLevelFromTheMiddleWhenCandidatesHaveSpilled", () => {
    assert.deepEqual(run(dedup(), kv([1], 1, INSERT, [30], 3), kv([1], 2, INSERT, [10], 1), kv([1], 3, INSERT, [20], 2))!.value, [10]);
  });

  test("level-0 records all take part; deeper levels are skipped (aggregation)", () => {
    const fn = createMergeFunction(schema({ "merge-engine": "aggregation", "fields.f1.aggregate-function": "sum", "changelog-producer": "lookup" }));
    assert.ok(fn instanceof LookupMergeFunction);
    const r = run(fn, kv([1], 1, INSERT, [1, 100, 0], 5), kv([1], 2, INSERT, [1, 10, 0], 1), kv([1], 3, INSERT, [1, 1, 0], 0), kv([1], 4, INSERT, [1, 2, 0], 0))!;
    assert.deepEqual(r.value, [1, 13, 0]);
    assert.equal((fn as LookupMergeFunction).containLevel0(), true);
  });
});

describe("createMergeFunctionFactory", () => {
  test("needLookup and level-0 visibility follow CoreOptions", () => {
    const cases: [OptionMap, boolean, boolean][] = [
      [{}, false, false],
      [{ "changelog-producer": "lookup" }, true, false],
      [{ "force-lookup": "true" }, true, false],
      [{ "deletion-vectors.enabled": "true" }, true, true],
      [{ "deletion-vectors.enabled": "true", "deletion-vectors.merge-on-read": "true" }, true, false],
      [{ "merge-engine": "first-row" }, true, true],
      [{ "merge-engine": "first-row", "changelog-producer": "lookup" }, true, true],
    ];
    for (const [options, needLookup, skip] of cases) {
      const f = createMergeFunctionFactory(schema(options));
      assert.deepEqual([f.needLookup, f.batchScanSkipsLevel0], [needLookup, skip], JSON.stringify(options));
      // first-row is never wrapped
      assert.equal(f.create() instanceof LookupMergeFunction, needLookup && options["merge-engine"] !== "first-row");
    }
    assert.equal(createMergeFunctionFactory(schema({ "merge-engine": "partial-update" })).mergeEngine, "partial-update");
  });

  test("read fields: sequence.field first, then sequence-group fields", () => {
    const fields = intFields(5);
    const f = createMergeFunctionFactory(schema({ "merge-engine": "partial-update", "sequence.field": "f4", "fields.f3.sequence-group": "f1" }, fields));
    assert.deepEqual(f.readFieldsFor([fields[1]!]).map((x) => x.name), ["f1", "f4", "f3"]);
    assert.deepEqual(f.readFieldsFor(fields).map((x) => x.name), ["f0", "f1", "f2", "f3", "f4"]);
    const seq = f.sequenceComparator(f.readFieldsFor([fields[1]!]))!;
    assert.deepEqual(seq.fieldIndexes, [1]);
  });

  test("tableOptions override the schema's options (dynamic options)", () => {
    const f = createMergeFunctionFactory(schema({}), { tableOptions: { "merge-engine": "first-row" } });
    assert.equal(f.mergeEngine, "first-row");
  });

  test("configurations Java rejects are invalid_argument", () => {
    const cases: [OptionMap, string][] = [
      [{ "sequence.field": "nope" }, "Sequence field: 'nope' can not be found in table schema."],
      [{ "sequence.field": "f1", "fields.f1.aggregate-function": "max" }, "Should not define aggregation on sequence field: 'f1'."],
      [{ "sequence.field": "f1,f1" }, "Sequence field 'f1' is defined repeatedly."],
      [{ "sequence.field": "f1", "merge-engine": "first-row" }, "Do not support use sequence field on FIRST_ROW merge engine."],
      [{ "merge-engine": "first-row", "changelog-producer": "input" }, "Only support 'none' and 'lookup' changelog-producer on FIRST_ROW merge engine"],
      [{ "merge-engine": "dedup" }, "'merge-engine' has invalid value \"dedup\""],
    ];
    for (const [options, message] of cases) assert.throws(() => createMergeFunctionFactory(schema(options)), lakeError("invalid_argument", message));
    assert.throws(() => createMergeFunctionFactory(schema({ "bucket": "-1" }, intFields(2), [])), lakeError("invalid_argument", "without primary key"));
  });

  test("unsupported functions are reported when the table is opened", () => {
    const fields = namedFields(["k", "bits"], [t("INT"), t("VARBINARY", { length: 100 })]);
    assert.throws(() => createMergeFunctionFactory(schema({ "merge-engine": "aggregation", "fields.bits.aggregate-function": "rbm32" }, fields, ["k"])),
      lakeError("unsupported", "aggregate function 'rbm32' of field 'bits' is not supported by lakestate"));
  });

  test("OPTION_SUPPORT lists exactly the implemented aggregate functions for read", () => {
    assert.deepEqual([...OPTION_SUPPORT["aggregate-function"].read].sort(), [...AGGREGATE_FUNCTIONS_IMPLEMENTED].sort());
    for (const [feature, value] of [["sequence-group", "set"], ["partial-update.remove-record-on-delete", "true"],
      ["aggregation.remove-record-on-delete", "true"], ["sequence.field.sort-order", "descending"]] as const) {
      assert.ok((OPTION_SUPPORT[feature].read as readonly string[]).includes(value), feature);
    }
  });
});
