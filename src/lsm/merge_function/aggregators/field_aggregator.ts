/**
 * The per-column aggregator contract of the aggregation merge engine (and of aggregate columns
 * in partial-update), plus the `fields.<f>.ignore-retract` wrapper.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.aggregate.FieldAggregator` and
 * `FieldIgnoreRetractAgg`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/FieldAggregator.java
 *
 * Invariants:
 *  - `agg(accumulator, input)` folds one more input into the accumulator; either may be null.
 *  - `aggReversed(accumulator, input)` is used by partial-update when the input is older than
 *    the accumulator; by default it is `agg(input, accumulator)`.
 *  - `retract` throws LakeError("unsupported") with Java's message unless the function supports
 *    retraction; `reset()` clears per-key state (first_value's "seen" flag).
 *  - Values follow spec/values.ts; aggregators never mutate their inputs.
 *
 * Imports: errors.ts, spec/data_types.ts (types), spec/values.ts (types).
 */
import { LakeError } from "../../../errors.ts";
import type { DataType } from "../../../spec/data_types.ts";
import type { Value } from "../../../spec/values.ts";

/** Error noun of every aggregation message. */
export const AGG_NOUN = "aggregation";

/** One column's aggregate function. */
export abstract class FieldAggregator {
  /** Java identifier of the function (`sum`, `last_non_null_value`, ...). */
  readonly name: string;
  /** The column this instance aggregates (for messages). */
  readonly fieldName: string;
  /** The column's type. */
  readonly fieldType: DataType;

  constructor(name: string, fieldName: string, fieldType: DataType) {
    this.name = name;
    this.fieldName = fieldName;
    this.fieldType = fieldType;
  }

  /** Folds `input` into `accumulator`; both may be null. */
  abstract agg(accumulator: Value, input: Value): Value;

  /** Folds an input that is older than the accumulator (partial-update sequence groups). */
  aggReversed(accumulator: Value, input: Value): Value {
    return this.agg(input, accumulator);
  }

  /** Clears per-key state before the next key. */
  reset(): void {}

  /** Removes `retractField` from `accumulator`; unsupported unless overridden. */
  retract(_accumulator: Value, _retractField: Value): Value {
    throw new LakeError(
      "unsupported",
      `${AGG_NOUN}: Aggregate function '${this.name}' does not support retraction, If you allow this function to ignore retraction messages, you can configure 'fields.${this.fieldName}.ignore-retract'='true'.`,
    );
  }
}

/** `fields.<f>.ignore-retract=true`: retractions leave the accumulator unchanged. */
export class IgnoreRetractAggregator extends FieldAggregator {
  private readonly inner: FieldAggregator;

  constructor(inner: FieldAggregator) {
    super(inner.name, inner.fieldName, inner.fieldType);
    this.inner = inner;
  }

  override agg(accumulator: Value, input: Value): Value {
    return this.inner.agg(accumulator, input);
  }

  // Java's FieldIgnoreRetractAgg does not forward aggReversed, so the default
  // agg(input, accumulator) applies: mirror that.

  override reset(): void {
    this.inner.reset();
  }

  override retract(accumulator: Value, _retractField: Value): Value {
    return accumulator;
  }
}

/** LakeError("invalid_argument") for a value Java rejects while aggregating (overflow, bad input). */
export function aggregationError(message: string): LakeError {
  return new LakeError("invalid_argument", `${AGG_NOUN}: ${message}`);
}
