/**
 * Value-picking aggregate functions: `last_value`, `last_non_null_value` (the default),
 * `first_value`, `first_non_null_value` (alias `first_not_null_value`), `primary-key`, `min`,
 * `max`, `bool_and`, `bool_or`.
 *
 * Mirrors the Java classes of the same behaviour in
 * `org.apache.paimon.mergetree.compact.aggregate` (`FieldLastValueAgg`,
 * `FieldLastNonNullValueAgg`, `FieldFirstValueAgg`, `FieldFirstNonNullValueAgg`,
 * `FieldPrimaryKeyAgg`, `FieldMinAgg`, `FieldMaxAgg`, `FieldBoolAndAgg`, `FieldBoolOrAgg`):
 * https://github.com/apache/paimon/tree/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate
 *
 * Retraction (from Java): last_value retracts to null; last_non_null_value retracts to null when
 * the retracted value is non-null, else keeps the accumulator; primary-key returns the
 * retracted value; the others do not support retraction. first_value/first_non_null_value keep
 * a per-key "initialized" flag cleared by `reset()`. min/max use Java `InternalRowUtils.compare`
 * (see sequence_comparator.ts for the per-type order); a null side never wins.
 *
 * Imports: spec/data_types.ts, spec/values.ts, aggregators/field_aggregator.ts,
 * merge_function/sequence_comparator.ts.
 */
import type { DataType } from "../../../spec/data_types.ts";
import type { Value } from "../../../spec/values.ts";
import { valueComparatorOf, type ValueComparator } from "../sequence_comparator.ts";
import { FieldAggregator } from "./field_aggregator.ts";

/** `last_value`: the latest input, null included. */
export class LastValueAggregator extends FieldAggregator {
  override agg(_accumulator: Value, input: Value): Value {
    return input;
  }

  override retract(_accumulator: Value, _retractField: Value): Value {
    return null;
  }
}

/** `last_non_null_value`: the latest non-null input. */
export class LastNonNullValueAggregator extends FieldAggregator {
  override agg(accumulator: Value, input: Value): Value {
    return input === null ? accumulator : input;
  }

  override retract(accumulator: Value, retractField: Value): Value {
    return retractField !== null ? null : accumulator;
  }
}

/** `first_value`: the first input of the key, null included. */
export class FirstValueAggregator extends FieldAggregator {
  private initialized = false;

  override agg(accumulator: Value, input: Value): Value {
    if (!this.initialized) {
      this.initialized = true;
      return input;
    }
    return accumulator;
  }

  override reset(): void {
    this.initialized = false;
  }
}

/** `first_non_null_value` (legacy name `first_not_null_value`): the first non-null input. */
export class FirstNonNullValueAggregator extends FieldAggregator {
  private initialized = false;

  override agg(accumulator: Value, input: Value): Value {
    if (!this.initialized && input !== null) {
      this.initialized = true;
      return input;
    }
    return accumulator;
  }

  override reset(): void {
    this.initialized = false;
  }
}

/** `primary-key`: primary-key columns simply take the input. */
export class PrimaryKeyAggregator extends FieldAggregator {
  override agg(_accumulator: Value, input: Value): Value {
    return input;
  }

  override retract(_accumulator: Value, retractField: Value): Value {
    return retractField;
  }
}

/** True for types Java can order with `InternalRowUtils.compare` (`TypeCheckUtils.isComparable`). */
export function isComparableType(type: DataType): boolean {
  return !["MAP", "MULTISET", "ROW", "ARRAY", "VECTOR", "VARIANT", "BLOB"].includes(type.root);
}

/** `max` or `min` of non-null inputs. */
export class MinMaxAggregator extends FieldAggregator {
  private readonly compare: ValueComparator;
  private readonly isMax: boolean;

  /** Requires: `isComparableType(fieldType)`. */
  constructor(name: "min" | "max", fieldName: string, fieldType: DataType) {
    super(name, fieldName, fieldType);
    this.compare = valueComparatorOf(fieldType);
    this.isMax = name === "max";
  }

  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator === null ? input : accumulator;
    const accumulatorSmaller = this.compare(accumulator, input) < 0;
    return this.isMax ? (accumulatorSmaller ? input : accumulator) : (accumulatorSmaller ? accumulator : input);
  }
}

/** `bool_and` / `bool_or` of non-null inputs. */
export class BoolAggregator extends FieldAggregator {
  private readonly isAnd: boolean;

  constructor(name: "bool_and" | "bool_or", fieldName: string, fieldType: DataType) {
    super(name, fieldName, fieldType);
    this.isAnd = name === "bool_and";
  }

  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator === null ? input : accumulator;
    return this.isAnd ? (accumulator as boolean) && (input as boolean) : (accumulator as boolean) || (input as boolean);
  }
}
