/**
 * The merge step of a write-buffer flush: folds each key group of the sorted buffer into at most
 * one record with the table's merge engine, exactly as Java's flush does
 * (`SortBufferWriteBuffer.MergeIterator` over `ReducerMergeFunctionWrapper` of the table's merge
 * function), and says which rows the data file gets.
 *
 * Semantics (from Java): a group of ONE record yields that record unchanged (any row kind, even
 * -D with `ignore-delete` or for first-row: the merge function is not called); a group of two or
 * more records yields the merge function's result, and a null result drops the key. Delete
 * records are kept (a -D result is written as -D; only compaction to the last level drops them).
 * Fast paths, same answers without a KeyValue per record:
 *  - deduplicate: the last record, or with `ignore-delete` the last add (none: dropped);
 *  - first-row, groups without retracts: the first record;
 *  - aggregation, groups without retracts: folded column by column (lsm/write_fold.ts).
 * Every other group (partial-update, aggregation or first-row groups holding -U/-D) goes through
 * the merge function itself with KeyValue objects (level -1, like Java's buffer records; the
 * lookup wrapper then merges them all).
 *
 * Invariants: output positions follow key order; a source row appears at most once.
 * Imports: kernel (KeyKernel type), spec (data_types, row_kind, values, schema types,
 * core_options_types), lsm/key_value.ts (type), lsm/merge_function/*, lsm/write_columns.ts (type).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/SortBufferWriteBuffer.java
 */
import type { KeyKernel } from "../kernel/mod.ts";
import type { DataField } from "../spec/data_types.ts";
import { MergeEngine, type OptionMap } from "../spec/core_options_types.ts";
import { isRetract, type RowKind } from "../spec/row_kind.ts";
import type { Value } from "../spec/values.ts";
import type { KeyValue } from "./key_value.ts";
import { ReducerMergeFunction, type TableMergeFunctionFactory } from "./merge_function/merge_function.ts";
import { aggregationFunctionName } from "./merge_function/aggregation.ts";
import { createFieldAggregator } from "./merge_function/aggregators/factory.ts";
import type { FieldAggregator } from "./merge_function/aggregators/field_aggregator.ts";
import { sequenceFieldNames } from "./merge_function/sequence_comparator.ts";
import type { ColumnStore } from "./write_columns.ts";
import type { FieldOutput } from "./write_output.ts";
import { foldAggregation } from "./write_fold.ts";
import type { WriteSortResult } from "./write_sort.ts";

/** A record built by a merge function (not a buffered row). */
export interface MergedRecord {
  readonly value: readonly Value[];
  readonly sequenceNumber: bigint;
  readonly rowKind: RowKind;
}

/** The rows of the flushed file, in key order. */
export interface MergeOutput {
  /** Output rows. */
  readonly count: number;
  /**
   * Per output row: the buffered row index (>= 0), or `~i` for `records[i]` (< 0). The row's
   * values, kind and sequence number are the output's unless `columns` / `kinds` say otherwise.
   */
  readonly sources: Int32Array;
  readonly records: readonly MergedRecord[];
  /** When set: where each output column's values come from (folded values); `sources` then give the sequence numbers. */
  readonly fields?: readonly FieldOutput[];
  /** When set: the row kind of every output row. */
  readonly kinds?: Uint8Array;
}

/** The buffered rows a merge reads. */
export interface MergeRows {
  /** One column per table field, schema order. */
  readonly stores: readonly ColumnStore[];
  /** Row kind of row i. */
  readonly kindAt: (row: number) => number;
  /** Sequence number of row i. */
  readonly sequenceAt: (row: number) => bigint;
  /** Indices (into `stores`) of the trimmed primary-key fields. */
  readonly keyFieldIndexes: readonly number[];
  /** Rows of kind -U/-D (0 lets the merges skip looking for them). */
  readonly retractRowCount: number;
  /** Rows of kind +U. */
  readonly updateAfterRowCount: number;
}

/** The merge configuration of one table (build once per writer). */
export interface WriteMergeConfig {
  readonly engine: MergeEngine;
  readonly ignoreDelete: boolean;
  readonly factory: TableMergeFunctionFactory;
  /** Aggregation only: per field, how the columnar path folds it. */
  readonly aggregation: readonly AggregateColumn[] | null;
}

/** How one column folds in the aggregation fast path (write_fold.ts). */
export type AggregateColumn =
  | { readonly pick: "last" | "lastNonNull" | "first" | "firstNonNull" }
  | { readonly pick: "sum"; readonly aggregator: FieldAggregator; readonly float32: boolean; readonly range: readonly [number, number] | null }
  | { readonly pick: null; readonly aggregator: FieldAggregator };

/** Types whose `sum` the fast path adds as JS numbers (exactly Java's float, double and checked int sums). */
const NUMBER_SUM_ROOTS = new Set(["TINYINT", "SMALLINT", "INT", "FLOAT", "DOUBLE"]);
const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  TINYINT: [-128, 127], SMALLINT: [-32768, 32767], INT: [-2147483648, 2147483647],
};

const PICKS: Readonly<Record<string, "last" | "lastNonNull" | "first" | "firstNonNull">> = {
  "primary-key": "last", last_value: "last", last_non_null_value: "lastNonNull",
  first_value: "first", first_non_null_value: "firstNonNull", first_not_null_value: "firstNonNull",
};

/** Builds the merge configuration (validates like Java's table creation through `factory`). */
export function createWriteMergeConfig(
  fields: readonly DataField[], primaryKeys: readonly string[], options: OptionMap, factory: TableMergeFunctionFactory, ignoreDelete: boolean,
): WriteMergeConfig {
  let aggregation: AggregateColumn[] | null = null;
  if (factory.mergeEngine === MergeEngine.AGGREGATION) {
    const sequenceFields = sequenceFieldNames(options);
    aggregation = fields.map((f) => {
      const name = aggregationFunctionName(f.name, options, primaryKeys, sequenceFields);
      const pick = PICKS[name];
      if (pick !== undefined) return { pick };
      const aggregator = createFieldAggregator(f.type, f.name, name, options);
      if (name === "sum" && NUMBER_SUM_ROOTS.has(f.type.root)) {
        return { pick: "sum", aggregator, float32: f.type.root === "FLOAT", range: INT_RANGES[f.type.root] ?? null };
      }
      return { pick: null, aggregator };
    });
  }
  return { engine: factory.mergeEngine, ignoreDelete, factory, aggregation };
}

/**
 * Merges the sorted groups (see the file header). `permOrder`: `sequence.field` decides the
 * order within a key (arrival order is then not the merge order). `kernel`: the key kernel
 * (the aggregation fold sums double columns with it). Throws the merge function's LakeErrors.
 */
export function mergeWriteGroups(
  rows: MergeRows, sorted: WriteSortResult, permOrder: boolean, config: WriteMergeConfig, kernel: KeyKernel,
): MergeOutput {
  let objectMerge: ReducerMergeFunction | null = null;
  const mergeObjects = (a: number, b: number): number | MergedRecord | null => {
    objectMerge ??= new ReducerMergeFunction(config.factory.create());
    return mergeWithObjects(rows, sorted.perm(), a, b, objectMerge);
  };
  if (config.aggregation !== null) return foldAggregation(rows, sorted, permOrder, config.aggregation, mergeObjects, kernel);
  const groupCount = sorted.groupCount;
  const lastRows = sorted.lastRows();
  if (config.engine === MergeEngine.DEDUPLICATE && !config.ignoreDelete) {
    return { count: groupCount, sources: lastRows, records: [] };
  }
  const bounds = sorted.bounds();
  const sources = new Int32Array(groupCount);
  const records: MergedRecord[] = [];
  let count = 0;
  const kindAt = rows.kindAt;
  for (let g = 0; g < groupCount; g++) {
    const a = bounds[g]!, b = bounds[g + 1]!;
    if (b - a === 1) {
      sources[count++] = lastRows[g]!;
      continue;
    }
    if (config.engine === MergeEngine.DEDUPLICATE) {
      // ignore-delete: the last add wins; none: the key is dropped.
      const perm = sorted.perm();
      let pick = -1;
      for (let p = b - 1; p >= a && pick < 0; p--) if (!isRetract(kindAt(perm[p]!) as RowKind)) pick = perm[p]!;
      if (pick >= 0) sources[count++] = pick;
      continue;
    }
    if (config.engine === MergeEngine.FIRST_ROW && !hasRetract(sorted.perm(), a, b, kindAt)) {
      sources[count++] = sorted.firstRows()[g]!;
      continue;
    }
    const out = mergeObjects(a, b);
    if (out === null) continue;
    if (typeof out === "number") sources[count++] = out;
    else {
      records.push(out);
      sources[count++] = ~(records.length - 1);
    }
  }
  return { count, sources, records };
}

function hasRetract(perm: Uint32Array, a: number, b: number, kindAt: (row: number) => number): boolean {
  for (let p = a; p < b; p++) if (isRetract(kindAt(perm[p]!) as RowKind)) return true;
  return false;
}

/** One KeyValue of a buffered row (level -1: not yet in a file). */
function keyValueOf(rows: MergeRows, row: number): KeyValue {
  const value = rows.stores.map((s) => s.valueAt(row));
  return {
    key: rows.keyFieldIndexes.map((i) => value[i]!),
    sequenceNumber: rows.sequenceAt(row),
    rowKind: rows.kindAt(row) as RowKind,
    value,
    level: -1,
  };
}

/** The group through the merge function: a row index when the result is an input, a record, or null. */
function mergeWithObjects(rows: MergeRows, perm: Uint32Array, a: number, b: number, merge: ReducerMergeFunction): number | MergedRecord | null {
  merge.reset();
  const inputs: KeyValue[] = [];
  for (let p = a; p < b; p++) {
    const kv = keyValueOf(rows, perm[p]!);
    inputs.push(kv);
    merge.add(kv);
  }
  const result = merge.getResult();
  if (result === null) return null;
  const at = inputs.indexOf(result);
  if (at >= 0) return perm[a + at]!;
  return { value: result.value, sequenceNumber: result.sequenceNumber, rowKind: result.rowKind };
}
