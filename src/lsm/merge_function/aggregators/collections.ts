/**
 * Collection aggregate functions: `collect` (ARRAY, optional `fields.<f>.distinct`),
 * `merge_map` (MAP) and `merge_map_with_keytime` (MAP<K, ROW<..., ts STRING>>).
 *
 * Mirrors `FieldCollectAgg`, `FieldMergeMapAgg`, `FieldMergeMapWithKeyTimeAgg` and
 * `BinaryMapKeys` (master, where binary elements and keys compare by content):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/FieldCollectAgg.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/FieldMergeMapAgg.java
 *
 * Invariants (from Java):
 *  - collect without distinct concatenates (a null side returns the other unchanged); with
 *    distinct, constructed and binary elements are deduplicated into a list in first-seen
 *    order (the accumulator is taken as already distinct), other elements through a HashSet,
 *    so the output is in Java's HashSet iteration order (see java_hash.ts). Retract removes,
 *    for each retracted element, the first equal accumulator element.
 *  - merge_map puts the accumulator's then the input's entries into a HashMap (input wins);
 *    retract drops the retracted keys. Output in HashMap order.
 *  - merge_map_with_keytime keeps per key the row with the greatest timestamp string (Java
 *    `String.compareTo`, UTF-16 order); an input entry with a null row removes the key, one
 *    with a null timestamp is ignored. No retraction.
 *
 * Imports: spec/data_types.ts, spec/values.ts, aggregators/field_aggregator.ts,
 * aggregators/java_hash.ts.
 */
import type { DataType, MapType, RowType } from "../../../spec/data_types.ts";
import type { MapEntry, Row, Value } from "../../../spec/values.ts";
import { aggregationError, FieldAggregator } from "./field_aggregator.ts";
import { hashable, javaEquals, JavaHashOrder } from "./java_hash.ts";

/** Element types whose distinct collection uses Java's equaliser list instead of a HashSet. */
function needsEqualiser(type: DataType): boolean {
  return ["ARRAY", "MULTISET", "MAP", "ROW", "VECTOR", "BINARY", "VARBINARY"].includes(type.root);
}

/** True when `collect` with `distinct` can reproduce Java for this element type. */
export function collectDistinctSupported(element: DataType): boolean {
  return needsEqualiser(element) || hashable(element);
}

/** True when merge_map keys of this type can be handled like Java does. */
export function mapKeySupported(key: DataType): boolean {
  return hashable(key) || key.root === "BINARY" || key.root === "VARBINARY";
}

/** `collect` over ARRAY columns. */
export class CollectAggregator extends FieldAggregator {
  private readonly element: DataType;
  private readonly distinct: boolean;
  private readonly listDistinct: boolean;

  /** Requires: `fieldType` is ARRAY; with `distinct`, `collectDistinctSupported(element)`. */
  constructor(fieldName: string, fieldType: DataType, distinct: boolean) {
    super("collect", fieldName, fieldType);
    this.element = (fieldType as { element: DataType }).element;
    this.distinct = distinct;
    this.listDistinct = distinct && needsEqualiser(this.element);
  }

  override aggReversed(accumulator: Value, input: Value): Value {
    return this.agg(accumulator, input); // Java: order does not matter for collect
  }

  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null && input === null) return null;
    if ((accumulator === null || input === null) && !this.distinct) return accumulator === null ? input : accumulator;
    const acc = (accumulator ?? []) as readonly Value[], inp = (input ?? []) as readonly Value[];
    if (this.listDistinct) {
      const out: Value[] = [...acc];
      for (const e of inp) if (!out.some((o) => javaEquals(this.element, o, e))) out.push(e);
      return out;
    }
    if (!this.distinct) return [...acc, ...inp];
    const set = new JavaHashOrder<true>(this.element);
    for (const e of acc) set.put(e, true);
    for (const e of inp) set.put(e, true);
    return set.entries().map(([e]) => e);
  }

  override retract(accumulator: Value, retractField: Value): Value {
    if (accumulator === null) return null;
    if (retractField === null || (retractField as readonly Value[]).length === 0) return accumulator;
    const pending: Value[] = [...(retractField as readonly Value[])];
    const out: Value[] = [];
    for (const candidate of accumulator as readonly Value[]) {
      const i = pending.findIndex((r) => javaEquals(this.element, r, candidate));
      if (i >= 0) pending.splice(i, 1);
      else out.push(candidate);
    }
    return out;
  }
}

/** `merge_map` over MAP columns. */
export class MergeMapAggregator extends FieldAggregator {
  private readonly keyType: DataType;

  /** Requires: `fieldType` is MAP with `mapKeySupported(key)`. */
  constructor(fieldName: string, fieldType: DataType) {
    super("merge_map", fieldName, fieldType);
    this.keyType = (fieldType as MapType).key;
  }

  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator === null ? input : accumulator;
    const map = new JavaHashOrder<Value>(this.keyType);
    for (const [k, v] of accumulator as readonly MapEntry[]) map.put(k, v);
    for (const [k, v] of input as readonly MapEntry[]) map.put(k, v);
    return map.entries();
  }

  override retract(accumulator: Value, retractField: Value): Value {
    if (accumulator === null) return null;
    if (retractField === null || (retractField as readonly MapEntry[]).length === 0) return accumulator;
    const retracted = new JavaHashOrder<true>(this.keyType);
    for (const [k] of retractField as readonly MapEntry[]) retracted.put(k, true);
    const map = new JavaHashOrder<Value>(this.keyType);
    for (const [k, v] of accumulator as readonly MapEntry[]) if (!retracted.has(k)) map.put(k, v);
    return map.entries();
  }
}

/** `merge_map_with_keytime`: per key, the row with the latest timestamp string wins. */
export class MergeMapWithKeyTimeAggregator extends FieldAggregator {
  private readonly keyType: DataType;
  private readonly tsFieldIndex: number;

  /** Requires: MAP with a ROW value of ≥ 2 fields; `tsFieldIndex` inside that row. */
  constructor(fieldName: string, fieldType: DataType, tsFieldIndex: number) {
    super("merge_map_with_keytime", fieldName, fieldType);
    this.keyType = (fieldType as MapType).key;
    this.tsFieldIndex = tsFieldIndex;
  }

  private timestampOf(row: Row): string {
    const ts = row[this.tsFieldIndex];
    if (typeof ts !== "string") {
      throw aggregationError(`merge_map_with_keytime field '${this.fieldName}': timestamp field ${this.tsFieldIndex} of ${((this.fieldType as MapType).value as RowType).fields.map((f) => f.name).join(", ")} is not a string`);
    }
    return ts;
  }

  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null) return input;
    if (input === null) return accumulator;
    const map = new JavaHashOrder<Value>(this.keyType);
    for (const [k, v] of accumulator as readonly MapEntry[]) map.put(k, v);
    for (const [k, v] of input as readonly MapEntry[]) {
      if (v === null) {
        map.remove(k);
        continue;
      }
      const row = v as Row;
      if ((row[this.tsFieldIndex] ?? null) === null) continue;
      const existing = map.get(k) ?? null;
      if (existing === null || ((existing as Row)[this.tsFieldIndex] ?? null) === null ||
        this.timestampOf(row) > this.timestampOf(existing as Row)) {
        map.put(k, row);
      }
    }
    return map.entries();
  }
}
