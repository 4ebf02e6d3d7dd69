/**
 * Apache Arrow conversions of the public API: Paimon columns (value model) ↔ `arrow.Table`.
 *
 * - `arrowSchemaOf` / `columnsToArrowTable`: one Arrow column per Paimon field, typed as in
 *   arrow_types.ts (exact Arrow types, Paimon nullability, `paimon.field.id` and `paimon.type`
 *   field metadata), buffers built directly by arrow_encode.ts.
 * - `arrowTableToColumns`: the strict inverse for writers (arrow_decode.ts lists what it accepts).
 * - `_ROW_KIND` helpers: a Utf8 column of "+I", "-U", "+U", "-D" for streaming reads; when
 *   present it is the first column of the table.
 *
 * Invariants: `arrowTableToColumns(columnsToArrowTable(f, c, n), f)` returns `c` (values floored
 * to the Arrow unit aside, see arrow_encode.ts), also after an IPC round trip.
 * Mirrors Java `org.apache.paimon.arrow.ArrowUtils` / `ArrowFieldTypeConversion` (type mapping).
 * https://github.com/apache/paimon/blob/master/paimon-arrow/src/main/java/org/apache/paimon/arrow/ArrowUtils.java
 *
 * Imports: apache-arrow, errors.ts, spec/*, api/arrow_*.ts.
 */
import { Field, RecordBatch, Schema, Struct, Table, Utf8, makeData } from "apache-arrow";
import type { Data, Vector } from "apache-arrow";
import { LakeError } from "../errors.ts";
import type { DataField } from "../spec/data_types.ts";
import { ROW_KIND_SHORT_STRINGS, isRowKind, rowKindFromShortString } from "../spec/row_kind.ts";
import type { Value } from "../spec/values.ts";
import { checkNotNull, decodeVector } from "./arrow_decode.ts";
import { encodeColumnData } from "./arrow_encode.ts";
import { arrowSchemaOf } from "./arrow_types.ts";

export { arrowFieldOf, arrowSchemaOf, arrowTypeOf, ARROW_FIELD_ID_KEY, ARROW_PAIMON_TYPE_KEY } from "./arrow_types.ts";

/** Name of the row kind column (Utf8, NOT NULL, values "+I", "-U", "+U", "-D"). */
export const ROW_KIND_COLUMN = "_ROW_KIND";

/** Options of `columnsToArrowTable`. */
export interface ColumnsToArrowOptions {
  /** When set, a `_ROW_KIND` column (one kind byte per row) is prepended to the table. */
  readonly rowKinds?: ArrayLike<number>;
}

/**
 * Builds a one-batch Arrow table from Paimon columns: `columns[j][i]` is row i of `fields[j]`.
 * Requires: `columns.length === fields.length`, every column (and `rowKinds`) of `rowCount`
 * values shaped as spec/values.ts says; otherwise LakeError("invalid_argument") naming the
 * column and row. Throws LakeError("unsupported") for VARIANT/BLOB columns, more than 2^31-1
 * bytes of one string/binary column, or TIMESTAMP(7..9) values outside years 1677..2262.
 */
export function columnsToArrowTable(
  fields: readonly DataField[],
  columns: readonly (readonly Value[])[],
  rowCount: number,
  options: ColumnsToArrowOptions = {},
): Table {
  if (!Number.isSafeInteger(rowCount) || rowCount < 0) {
    throw new LakeError("invalid_argument", `arrow: row count ${rowCount} must be a non-negative integer`);
  }
  if (columns.length !== fields.length) {
    throw new LakeError("invalid_argument", `arrow: ${columns.length} columns given for ${fields.length} fields`);
  }
  const schema = arrowSchemaOf(fields);
  const children: Data[] = fields.map((field, j) => {
    const column = columns[j]!;
    if (column.length !== rowCount) {
      throw new LakeError("invalid_argument", `arrow: column "${field.name}" has ${column.length} values, expected ${rowCount}`);
    }
    return encodeColumnData(field.type, schema.fields[j]!.type, column, field.name, null);
  });
  let arrowFields = schema.fields;
  if (options.rowKinds !== undefined) {
    if (options.rowKinds.length !== rowCount) {
      throw new LakeError("invalid_argument", `arrow: ${options.rowKinds.length} row kinds given for ${rowCount} rows`);
    }
    arrowFields = [rowKindArrowField(), ...arrowFields];
    children.unshift(rowKindsToArrowData(options.rowKinds));
  }
  const fullSchema = new Schema(arrowFields);
  const data = makeData({ type: new Struct(arrowFields), length: rowCount, nullCount: 0, children });
  return new Table(fullSchema, new RecordBatch(fullSchema, data));
}

/** The Arrow field of the `_ROW_KIND` column. */
export function rowKindArrowField(): Field<Utf8> {
  return new Field(ROW_KIND_COLUMN, new Utf8(), false);
}

/**
 * Utf8 data of row kind short strings ("+I", "-U", "+U", "-D"), one per kind byte.
 * Throws LakeError("invalid_argument") for a byte outside 0..3.
 */
export function rowKindsToArrowData(kinds: ArrayLike<number>): Data<Utf8> {
  const n = kinds.length;
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    if (!isRowKind(kind)) throw new LakeError("invalid_argument", `arrow: row kind ${String(kind)} at row ${i} is not 0..3`);
    const text = ROW_KIND_SHORT_STRINGS[kind];
    bytes[2 * i] = text.charCodeAt(0);
    bytes[2 * i + 1] = text.charCodeAt(1);
    offsets[i + 1] = 2 * (i + 1);
  }
  return makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: bytes });
}

/**
 * Row kind bytes of a `_ROW_KIND` column (Utf8, LargeUtf8 or a dictionary of them).
 * Throws LakeError("invalid_argument") for nulls or strings other than +I/-U/+U/-D.
 */
export function rowKindsFromArrow(vector: Vector): Uint8Array {
  const type = { root: "VARCHAR", nullable: false, length: 2 } as const;
  const texts = decodeVector(vector, type, ROW_KIND_COLUMN);
  checkNotNull(texts, 0, texts.length, type, ROW_KIND_COLUMN);
  const kinds = new Uint8Array(texts.length);
  for (let i = 0; i < texts.length; i++) kinds[i] = rowKindFromShortString(texts[i] as string);
  return kinds;
}

/** Columns decoded from an Arrow table: `columns[j]` holds `rowCount` values of field j. */
export interface ArrowColumns {
  readonly columns: Value[][];
  readonly rowCount: number;
}

/**
 * Decodes `table` into Paimon columns of `fields`, matching Arrow columns by exact name.
 * A `_ROW_KIND` column is skipped (read it with `rowKindsFromArrow`).
 * Throws LakeError("invalid_argument") for a missing, duplicate or unexpected column, an Arrow
 * type that does not match the Paimon type (see arrow_decode.ts), a value that does not fit,
 * or a null in a NOT NULL column.
 */
export function arrowTableToColumns(table: Table, fields: readonly DataField[]): ArrowColumns {
  const arrowFields = table.schema.fields;
  const indexByName = new Map<string, number>();
  arrowFields.forEach((f, k) => {
    if (indexByName.has(f.name)) throw new LakeError("invalid_argument", `arrow: table has two columns named "${f.name}"`);
    indexByName.set(f.name, k);
  });
  const wanted = new Set(fields.map((f) => f.name));
  const extra = arrowFields.map((f) => f.name).filter((name) => !wanted.has(name) && name !== ROW_KIND_COLUMN);
  if (extra.length > 0) {
    throw new LakeError("invalid_argument", `arrow: table has columns ${extra.map((e) => `"${e}"`).join(", ")} that are not Paimon fields`);
  }
  const columns = fields.map((field) => {
    const k = indexByName.get(field.name);
    if (k === undefined) throw new LakeError("invalid_argument", `arrow: table has no column "${field.name}" (Paimon field id ${field.id})`);
    const values = decodeVector(table.getChildAt(k)!, field.type, field.name);
    checkNotNull(values, 0, values.length, field.type, field.name);
    return values;
  });
  return { columns, rowCount: table.numRows };
}
