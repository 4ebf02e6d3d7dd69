/**
 * Field ids of new columns, numbered as Java numbers them: `Schema.Builder#column` for CREATE
 * TABLE and `SchemaManager` for ALTER TABLE ADD COLUMN, both through `ReassignFieldId`.
 *
 * Rule: a counter starts at the table's `highestFieldId` (-1 for a new table). Each column takes
 * the next id, then the ROW fields nested in its type take the following ids, depth first in
 * field order, a nested field's own children before the field itself (Java evaluates a nested
 * field's type before `RowType.Builder#field` takes its id). Ids given on the input are ignored.
 *
 * Mirrors https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/types/ReassignFieldId.java
 * and `Schema.Builder#column` (release-2.0).
 * Invariants: ids come out strictly increasing in visiting order, every id > highestFieldId.
 * Imports: spec/data_types.ts.
 */
import type { DataField, DataType } from "./data_types.ts";

/** A column to number: name, type (nested ROW field ids are renumbered) and comment. */
export interface ColumnToNumber {
  readonly name: string;
  readonly type: DataType;
  /** Stored as the field's `description`; null/undefined leaves it out. */
  readonly comment?: string | null;
}

/** A mutable id counter: `value` is the last id handed out. */
export interface FieldIdCounter {
  value: number;
}

/**
 * Java `ReassignFieldId.reassign(type, counter)`: `type` with every nested ROW field renumbered
 * from `counter` (which advances). Atomic types come back unchanged.
 */
export function reassignFieldIds(type: DataType, counter: FieldIdCounter): DataType {
  switch (type.root) {
    case "ARRAY": case "MULTISET":
      return { ...type, element: reassignFieldIds(type.element, counter) };
    case "VECTOR":
      return { ...type, element: reassignFieldIds(type.element, counter) };
    case "MAP":
      return { ...type, key: reassignFieldIds(type.key, counter), value: reassignFieldIds(type.value, counter) };
    case "ROW":
      return {
        ...type,
        fields: type.fields.map((f) => {
          const inner = reassignFieldIds(f.type, counter);
          return { ...f, id: ++counter.value, type: inner };
        }),
      };
    default:
      return type;
  }
}

/**
 * Numbers `columns` continuing after `highestFieldId` (-1 for a new table, the table's
 * `highestFieldId` for ADD COLUMN). Returns the fields and the new highest field id.
 * Requires: highestFieldId is an integer ≥ -1.
 */
export function numberColumns(
  columns: readonly ColumnToNumber[],
  highestFieldId: number,
): { fields: DataField[]; highestFieldId: number } {
  const counter: FieldIdCounter = { value: highestFieldId };
  const fields = columns.map((column) => numberColumn(column, counter));
  return { fields, highestFieldId: counter.value };
}

/** Numbers one column from `counter` (the column itself, then its nested fields). */
export function numberColumn(column: ColumnToNumber, counter: FieldIdCounter): DataField {
  const id = ++counter.value;
  const type = reassignFieldIds(column.type, counter);
  const field: { -readonly [K in keyof DataField]: DataField[K] } = { id, name: column.name, type };
  if (column.comment !== undefined && column.comment !== null) field.description = column.comment;
  return field;
}
