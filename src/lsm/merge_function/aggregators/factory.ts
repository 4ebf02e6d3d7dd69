/**
 * Creates the aggregator of one column from its function name and the table options: the
 * function identifiers, their type checks, the per-field options they read, and the
 * `fields.<f>.ignore-retract` wrapping.
 *
 * Mirrors `FieldAggregatorFactory.create` and the `Field*AggFactory` classes:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/factory/FieldAggregatorFactory.java
 *
 * Invariants:
 *  - Identifiers match exactly (case-sensitive), as Java's factory discovery does.
 *  - A name Java knows but lakestate does not implement, or a name unknown to both, is
 *    LakeError("unsupported") naming the field and the function. A type Java's factory rejects
 *    is LakeError("invalid_argument") with Java's message. `aggregation.remove-record-on-delete`
 *    together with `fields.<f>.ignore-retract` is LakeError("invalid_argument").
 *  - Every call returns a fresh instance (aggregators keep per-key state).
 *
 * Imports: errors.ts, spec/data_types.ts, spec/core_options.ts, spec/core_options_types.ts,
 * aggregators/*.ts.
 */
import { LakeError } from "../../../errors.ts";
import { describeType, TYPE_LENGTH_MAX, type DataType, type MapType } from "../../../spec/data_types.ts";
import { optionBoolean, parseBooleanOption } from "../../../spec/core_options.ts";
import type { OptionMap } from "../../../spec/core_options_types.ts";
import { AGG_NOUN, IgnoreRetractAggregator, type FieldAggregator } from "./field_aggregator.ts";
import { isNumericType, ProductAggregator, SumAggregator } from "./numeric.ts";
import {
  BoolAggregator, FirstNonNullValueAggregator, FirstValueAggregator, isComparableType, LastNonNullValueAggregator,
  LastValueAggregator, MinMaxAggregator, PrimaryKeyAggregator,
} from "./value.ts";
import { ListaggAggregator } from "./listagg.ts";
import {
  CollectAggregator, collectDistinctSupported, mapKeySupported, MergeMapAggregator, MergeMapWithKeyTimeAggregator,
} from "./collections.ts";

/** Java identifiers lakestate implements (`primary-key` is what primary-key columns get). */
export const AGGREGATE_FUNCTIONS_IMPLEMENTED = [
  "sum", "product", "max", "min", "last_value", "last_non_null_value", "first_value", "first_non_null_value",
  "first_not_null_value", "listagg", "bool_and", "bool_or", "primary-key", "collect", "merge_map",
  "merge_map_with_keytime",
] as const;

/** Java identifiers lakestate does not implement (reading such a table fails clearly). */
export const AGGREGATE_FUNCTIONS_NOT_IMPLEMENTED = [
  "rbm32", "rbm64", "theta_sketch", "hll_sketch", "nested_update", "nested_partial_update",
] as const;

/** `last_non_null_value`: the function of columns without configuration. */
export const DEFAULT_AGGREGATE_FUNCTION = "last_non_null_value";

function typeError(message: string): LakeError {
  return new LakeError("invalid_argument", `${AGG_NOUN}: ${message}`);
}

function fieldBoolean(options: OptionMap, field: string, suffix: string): boolean {
  const key = `fields.${field}.${suffix}`;
  const raw = options[key];
  return raw === undefined ? false : parseBooleanOption(key, raw);
}

function checkType(ok: boolean, message: string): void {
  if (!ok) throw typeError(message);
}

function createUnwrapped(type: DataType, field: string, name: string, options: OptionMap): FieldAggregator {
  const shown = describeType(type);
  switch (name) {
    case "sum":
      checkType(isNumericType(type), `Data type for sum column must be 'NumericType' but was '${shown}'.`);
      return new SumAggregator(name, field, type);
    case "product":
      checkType(isNumericType(type), `Data type for product column must be 'NumericType' but was '${shown}'.`);
      return new ProductAggregator(name, field, type);
    case "max": case "min":
      checkType(isComparableType(type), `Data type for ${name} column '${field}' must be comparable but was '${shown}'.`);
      return new MinMaxAggregator(name, field, type);
    case "last_value": return new LastValueAggregator(name, field, type);
    case "last_non_null_value": return new LastNonNullValueAggregator(name, field, type);
    case "first_value": return new FirstValueAggregator(name, field, type);
    case "first_non_null_value": case "first_not_null_value": return new FirstNonNullValueAggregator(name, field, type);
    case "primary-key": return new PrimaryKeyAggregator(name, field, type);
    case "bool_and": case "bool_or":
      checkType(type.root === "BOOLEAN", `Data type for ${name === "bool_and" ? "bool and" : "bool or"} column must be 'BooleanType' but was '${shown}'.`);
      return new BoolAggregator(name, field, type);
    case "listagg":
      checkType(type.root === "VARCHAR", `Data type for list agg column must be 'VarCharType' but was '${shown}'.`);
      checkType((type as { length?: number }).length === TYPE_LENGTH_MAX, `Data type for list agg column must be STRING (unbounded VARCHAR), but was VARCHAR(${(type as { length?: number }).length}).`);
      return new ListaggAggregator(field, type, options[`fields.${field}.list-agg-delimiter`] ?? ",", fieldBoolean(options, field, "distinct"));
    case "collect": {
      checkType(type.root === "ARRAY", `Data type for collect column must be 'Array' but was '${shown}'.`);
      const distinct = fieldBoolean(options, field, "distinct");
      const element = (type as { element: DataType }).element;
      if (distinct && !collectDistinctSupported(element)) {
        throw new LakeError("unsupported", `${AGG_NOUN}: collect with distinct on elements of type ${describeType(element)} (field '${field}') is not supported by lakestate`);
      }
      return new CollectAggregator(field, type, distinct);
    }
    case "merge_map":
      checkType(type.root === "MAP", `Data type for merge map column must be 'MAP' but was '${shown}'`);
      checkMapKey(type as MapType, field, name);
      return new MergeMapAggregator(field, type);
    case "merge_map_with_keytime":
      return createMergeMapWithKeyTime(type, field, options);
    default:
      throw new LakeError(
        "unsupported",
        (AGGREGATE_FUNCTIONS_NOT_IMPLEMENTED as readonly string[]).includes(name)
          ? `${AGG_NOUN}: aggregate function '${name}' of field '${field}' is not supported by lakestate`
          : `${AGG_NOUN}: field '${field}' uses aggregate function '${name}', which neither lakestate nor Java Paimon knows (Java: "Use unsupported aggregation: ${name} or spell aggregate function incorrectly!")`,
      );
  }
}

function checkMapKey(type: MapType, field: string, name: string): void {
  if (!mapKeySupported(type.key)) {
    throw new LakeError("unsupported", `${AGG_NOUN}: ${name} with keys of type ${describeType(type.key)} (field '${field}') is not supported by lakestate`);
  }
}

function createMergeMapWithKeyTime(type: DataType, field: string, options: OptionMap): FieldAggregator {
  checkType(type.root === "MAP", `Data type for field '${field}' must be 'MAP' but was '${describeType(type)}'`);
  const map = type as MapType;
  checkType(map.value.root === "ROW", `Value type of MAP for field '${field}' must be ROW but was '${describeType(map.value)}'`);
  const row = map.value as { fields: readonly { name: string }[] };
  checkType(row.fields.length >= 2, `ROW type for field '${field}' must have at least 2 fields, but found ${row.fields.length}`);
  const tsName = options[`fields.${field}.ts-field`];
  let tsIndex = row.fields.length - 1;
  if (tsName !== undefined) {
    tsIndex = row.fields.findIndex((f) => f.name === tsName);
    checkType(tsIndex >= 0, `Timestamp field '${tsName}' not found in ROW type for field '${field}'. Available fields: [${row.fields.map((f) => f.name).join(", ")}]`);
  }
  checkMapKey(map, field, "merge_map_with_keytime");
  return new MergeMapWithKeyTimeAggregator(field, type, tsIndex);
}

/**
 * The aggregator for column `field` of `type` running function `name` (Java
 * `FieldAggregatorFactory.create(fieldType, fieldName, aggFuncName, options)`).
 * Throws LakeError("unsupported") / ("invalid_argument") as described in the header.
 */
export function createFieldAggregator(type: DataType, field: string, name: string, options: OptionMap): FieldAggregator {
  if (!(AGGREGATE_FUNCTIONS_IMPLEMENTED as readonly string[]).includes(name)) return createUnwrapped(type, field, name, options);
  const removeRecordOnDelete = optionBoolean(options, "aggregation.remove-record-on-delete")!;
  const ignoreRetract = fieldBoolean(options, field, "ignore-retract");
  if (removeRecordOnDelete && ignoreRetract) {
    throw new LakeError(
      "invalid_argument",
      `${AGG_NOUN}: aggregation.remove-record-on-delete and fields.${field}.ignore-retract have conflicting behavior so should not be enabled at the same time.`,
    );
  }
  const aggregator = createUnwrapped(type, field, name, options);
  return ignoreRetract ? new IgnoreRetractAggregator(aggregator) : aggregator;
}
