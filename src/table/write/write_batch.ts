/**
 * Turns plain-object rows into a validated columnar input batch (lsm/write_columns.ts
 * `InputBatch`), with Java's write-time rules applied in Java's order:
 *  1. the row kind: the writer's (`write` +I, `delete` -D), or the `rowkind.field` column's
 *     short string when that option is set (Java `RowKindGenerator`: null is an error);
 *  2. NOT NULL columns must hold a value (Java `TableWriteImpl#checkNullability`);
 *  3. a null in a column with a `defaultValue` takes the default (Java `DefaultValueRow`; the
 *     text is cast like Java's `TypeUtils.castFromString`);
 *  4. the row-kind filter: `ignore-delete` drops -U/-D rows, `ignore-update-before` drops -U
 *     (Java `RowKindFilter`); dropped rows get no sequence number;
 * and each value checked against its type (table/write/write_values.ts).
 * Unknown property names are an error naming the property and the row; a batch is built
 * completely before anything is written, so a bad row leaves the writer untouched.
 *
 * Mirrors `TableWriteImpl#writeAndReturn` (the parts before the bucket):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/sink/TableWriteImpl.java
 * Imports: errors.ts, spec (data_types, row_kind, values, core_options, partition_values),
 * lsm/write_columns.ts (types), table/write/write_values.ts.
 */
import { LakeError } from "../../errors.ts";
import { optionBoolean, optionString } from "../../spec/core_options.ts";
import type { OptionMap } from "../../spec/core_options_types.ts";
import type { DataField } from "../../spec/data_types.ts";
import { parsePartitionValue } from "../../spec/partition_values.ts";
import { isRetract, RowKind, rowKindFromShortString } from "../../spec/row_kind.ts";
import type { Value } from "../../spec/values.ts";
import type { InputBatch } from "../../lsm/write_columns.ts";
import { normalizeValue, nullNotAllowed } from "./write_values.ts";

/** Java's write-time rules of one table (build once per writer). */
export interface WriteRules {
  readonly fields: readonly DataField[];
  /** Index of the `rowkind.field` column, or -1. */
  readonly rowKindFieldIndex: number;
  /** Per field: the parsed default value, or undefined. */
  readonly defaults: readonly (Value | undefined)[];
  /** `ignore-delete`: -U and -D rows are dropped. */
  readonly ignoreDelete: boolean;
  /** `ignore-update-before`: -U rows are dropped. */
  readonly ignoreUpdateBefore: boolean;
}

const NO_DEFAULT_NAME = "\u0000lakestate: no default partition name\u0000";

/** The write rules of a table with these fields and options. */
export function writeRulesOf(fields: readonly DataField[], options: OptionMap): WriteRules {
  const rowKindField = optionString(options, "rowkind.field");
  const rowKindFieldIndex = rowKindField === null ? -1 : fields.findIndex((f) => f.name === rowKindField);
  if (rowKindField !== null) {
    const field = fields[rowKindFieldIndex];
    if (field === undefined) throw new LakeError("invalid_argument", `write: rowkind.field ${JSON.stringify(rowKindField)} is not a column`);
    if (field.type.root !== "CHAR" && field.type.root !== "VARCHAR") {
      throw new LakeError("invalid_argument", `write: rowkind.field ${JSON.stringify(rowKindField)} must be a string column (only support string type for rowkind)`);
    }
  }
  const defaults = fields.map((f) => {
    if (f.defaultValue === undefined) return undefined;
    try {
      return parsePartitionValue(f.type, f.defaultValue, { defaultName: NO_DEFAULT_NAME, legacyName: false });
    } catch (error) {
      throw new LakeError("invalid_argument", `write: default value ${JSON.stringify(f.defaultValue)} of column ${JSON.stringify(f.name)} cannot be cast: ${(error as Error).message}`, { cause: error });
    }
  });
  return {
    fields, rowKindFieldIndex, defaults,
    ignoreDelete: optionBoolean(options, "ignore-delete")!,
    ignoreUpdateBefore: optionBoolean(options, "ignore-update-before") ?? false,
  };
}

/** True when the row-kind filter drops rows of `kind`. */
export function dropsRowKind(rules: WriteRules, kind: RowKind): boolean {
  return (rules.ignoreDelete && isRetract(kind)) || (rules.ignoreUpdateBefore && kind === RowKind.UPDATE_BEFORE);
}

/**
 * Builds the batch of `rows` written with `kind` (see the header). Throws
 * LakeError("invalid_argument") naming the column and the row index (counting every input row).
 */
export function batchFromObjects(rules: WriteRules, rows: Iterable<unknown>, kind: RowKind): InputBatch {
  const { fields } = rules;
  const names = new Map(fields.map((f, i) => [f.name, i]));
  const columns: Value[][] = fields.map(() => []);
  const kinds: number[] = [];
  let index = 0;
  for (const row of rows) {
    if (row === null || typeof row !== "object" || Array.isArray(row) || row instanceof Uint8Array) {
      throw new LakeError("invalid_argument", `write: row ${index} is not an object of column values`);
    }
    const record = row as Record<string, unknown>;
    for (const name in record) {
      if (!names.has(name)) {
        throw new LakeError("invalid_argument", `write: row ${index} has property ${JSON.stringify(name)}, which is not a column (columns: ${fields.map((f) => f.name).join(", ")})`);
      }
    }
    const values = rowValues(rules, record, index);
    const rowKind = rowKindOf(rules, values, kind, index);
    index++;
    if (dropsRowKind(rules, rowKind)) continue;
    for (let f = 0; f < fields.length; f++) columns[f]!.push(values[f]!);
    kinds.push(rowKind);
  }
  return { rowCount: kinds.length, columns: columns.map((values) => ({ kind: "values", values })), rowKinds: Uint8Array.from(kinds) };
}

/** The checked values of one row, defaults applied. */
export function rowValues(rules: WriteRules, record: Readonly<Record<string, unknown>>, row: number): Value[] {
  const { fields, defaults } = rules;
  const values: Value[] = new Array(fields.length);
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f]!;
    const input = record[field.name];
    if (input === null || input === undefined) {
      if (!field.type.nullable) throw nullNotAllowed({ column: field.name, row });
      values[f] = defaults[f] ?? null;
      continue;
    }
    values[f] = normalizeValue(field.type, input, { column: field.name, row });
  }
  return values;
}

/** The row kind: `kind`, or the `rowkind.field` column's value. */
export function rowKindOf(rules: WriteRules, values: readonly Value[], kind: RowKind, row: number): RowKind {
  if (rules.rowKindFieldIndex < 0) return kind;
  const text = values[rules.rowKindFieldIndex];
  const name = rules.fields[rules.rowKindFieldIndex]!.name;
  if (typeof text !== "string") throw new LakeError("invalid_argument", `write: row ${row}: row kind column ${JSON.stringify(name)} is null (Row kind cannot be null.)`);
  try {
    return rowKindFromShortString(text);
  } catch (error) {
    throw new LakeError("invalid_argument", `write: row ${row}: ${(error as Error).message}`, { cause: error });
  }
}
