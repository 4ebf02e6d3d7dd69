/**
 * The `aggregation` merge engine: every non-key column folds the records of a key with its
 * aggregate function (`fields.<f>.aggregate-function`, else
 * `fields.default-aggregate-function`, else `last_non_null_value`); retract records (-U/-D) are
 * retracted from each column, or with `aggregation.remove-record-on-delete` a -D removes the row.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.aggregate.AggregateMergeFunction`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/AggregateMergeFunction.java
 *
 * Invariants (from Java):
 *  - Primary-key columns use `primary-key` (take the input); `sequence.field` columns use
 *    `last_value`; per-field configuration applies to the rest.
 *  - `ignore-delete` is not consulted here: Java drops retracts at write time only, so retract
 *    records found in files are retracted (and fail for functions without retraction unless
 *    `fields.<f>.ignore-retract`).
 *  - With `aggregation.remove-record-on-delete`, a -D resets the row to the -D's values and the
 *    result is a -D until a later record arrives; a NOT NULL column that is null in that -D is an
 *    error. The result carries the key and sequence number of the last record and is +I
 *    otherwise.
 *
 * Imports: util/assert.ts, spec (data_types, core_options, core_options_types, row_kind,
 * values), lsm/key_value.ts (type), merge_function/{merge_function (types), merge_result,
 * sequence_comparator}.ts, aggregators/{factory,field_aggregator}.ts.
 */
import { assert } from "../../util/assert.ts";
import type { DataField } from "../../spec/data_types.ts";
import { optionBoolean } from "../../spec/core_options.ts";
import { MergeEngine, type OptionMap } from "../../spec/core_options_types.ts";
import { isRetract, RowKind } from "../../spec/row_kind.ts";
import type { Value } from "../../spec/values.ts";
import type { KeyValue } from "../key_value.ts";
import type { MergeFunction, MergeFunctionFactory } from "./merge_function.ts";
import { checkNotNullField, mergedKeyValue } from "./merge_result.ts";
import { sequenceFieldNames } from "./sequence_comparator.ts";
import { createFieldAggregator, DEFAULT_AGGREGATE_FUNCTION } from "./aggregators/factory.ts";
import type { FieldAggregator } from "./aggregators/field_aggregator.ts";

/** Aggregates the records of a key column by column. */
export class AggregateMergeFunction implements MergeFunction {
  private readonly aggregators: readonly FieldAggregator[];
  private readonly nullables: readonly boolean[];
  private readonly removeRecordOnDelete: boolean;
  private latest: KeyValue | null = null;
  private row: Value[];
  private currentDeleteRow = false;

  /** Requires: one aggregator and one nullability per read field. */
  constructor(aggregators: readonly FieldAggregator[], nullables: readonly boolean[], removeRecordOnDelete: boolean) {
    assert(aggregators.length === nullables.length, "aggregation: one aggregator per field");
    this.aggregators = aggregators;
    this.nullables = nullables;
    this.removeRecordOnDelete = removeRecordOnDelete;
    this.row = new Array<Value>(aggregators.length).fill(null);
  }

  reset(): void {
    this.latest = null;
    this.row = new Array<Value>(this.aggregators.length).fill(null);
    for (const a of this.aggregators) a.reset();
    this.currentDeleteRow = false;
  }

  add(kv: KeyValue): void {
    this.latest = kv;
    this.currentDeleteRow = this.removeRecordOnDelete && kv.rowKind === RowKind.DELETE;
    if (this.currentDeleteRow) {
      this.row = this.aggregators.map((_, i) => {
        const v = kv.value[i] ?? null;
        checkNotNullField(v, this.nullables[i]!, i);
        return v;
      });
      return;
    }
    const retract = isRetract(kv.rowKind);
    for (let i = 0; i < this.aggregators.length; i++) {
      const aggregator = this.aggregators[i]!;
      const input = kv.value[i] ?? null;
      this.row[i] = retract ? aggregator.retract(this.row[i]!, input) : aggregator.agg(this.row[i]!, input);
    }
  }

  getResult(): KeyValue | null {
    assert(this.latest !== null, "aggregation: Trying to get result from merge function without any input. This is unexpected.");
    return mergedKeyValue(this.latest.key, this.latest.sequenceNumber, this.currentDeleteRow ? RowKind.DELETE : RowKind.INSERT, this.row);
  }
}

/** Java `AggregateMergeFunction.getAggFuncName`. */
export function aggregationFunctionName(field: string, options: OptionMap, primaryKeys: readonly string[], sequenceFields: readonly string[]): string {
  if (sequenceFields.includes(field)) return "last_value";
  if (primaryKeys.includes(field)) return "primary-key";
  return options[`fields.${field}.aggregate-function`] ?? options["fields.default-aggregate-function"] ?? DEFAULT_AGGREGATE_FUNCTION;
}

/**
 * Factory of the aggregation engine over a table's `fields`. Validates every column's function
 * eagerly (Java checks names at table validation and types at first use).
 */
export function createAggregationFactory(fields: readonly DataField[], primaryKeys: readonly string[], options: OptionMap): MergeFunctionFactory {
  const removeRecordOnDelete = optionBoolean(options, "aggregation.remove-record-on-delete")!;
  const sequenceFields = sequenceFieldNames(options);
  const create = (readFields?: readonly DataField[]): MergeFunction => {
    const target = readFields ?? fields;
    const aggregators = target.map((f) => createFieldAggregator(f.type, f.name, aggregationFunctionName(f.name, options, primaryKeys, sequenceFields), options));
    return new AggregateMergeFunction(aggregators, target.map((f) => f.type.nullable), removeRecordOnDelete);
  };
  create();
  return { mergeEngine: MergeEngine.AGGREGATION, create, adjustReadFields: (readFields) => [...readFields] };
}
