/**
 * Arrow input of writers: turns an `apache-arrow` Table into a validated columnar input batch
 * (lsm/write_columns.ts `InputBatch`) under the same rules as plain-object rows
 * (table/write/write_batch.ts: row kinds, NOT NULL, default values, row-kind filter).
 *
 * Columns match table fields by exact name. A column absent from the Arrow table is all null
 * (an error for a NOT NULL field; a field's `defaultValue` fills it); a column that is not a
 * field is an error, except `_ROW_KIND` (api/arrow.ts `ROW_KIND_COLUMN`: "+I", "-U", "+U",
 * "-D" per row), which sets row kinds for `write` (`delete` writes -D whatever it says).
 * Fixed-width columns whose Arrow type is the Paimon type's own layout (Int8/16/32/64 for
 * TINYINT..BIGINT, Float32/64 for FLOAT/DOUBLE, DateDay for DATE) are taken as typed arrays,
 * and Utf8/Binary columns of CHAR/VARCHAR/BINARY/VARBINARY as bytes (strings checked to be
 * UTF-8), without a JS value per row; every other column is decoded by api/arrow_decode.ts,
 * which accepts the Arrow types listed there.
 *
 * Imports: apache-arrow (types), errors.ts, spec (row_kind, values, data_types), lsm
 * (write_columns types), table/write/write_batch.ts, api/arrow.ts, api/arrow_decode.ts.
 */
import { Type, type Data, type Table as ArrowTable, type Vector } from "apache-arrow";
import { LakeError } from "../errors.ts";
import type { DataField } from "../spec/data_types.ts";
import type { RowKind } from "../spec/row_kind.ts";
import type { Value } from "../spec/values.ts";
import { inputValueAt, type InputBatch, type InputColumn, type TypedChunk } from "../lsm/write_columns.ts";
import { dropsRowKind, rowKindOf, type WriteRules } from "../table/write/write_batch.ts";
import { ROW_KIND_COLUMN, rowKindsFromArrow } from "./arrow.ts";
import { checkNotNull, decodeVector } from "./arrow_decode.ts";

/** True when `input` looks like an apache-arrow Table (duck-typed: one realm may load two copies). */
export function isArrowTable(input: unknown): input is ArrowTable {
  const t = input as ArrowTable;
  return typeof input === "object" && input !== null && typeof t.getChildAt === "function" && typeof t.numRows === "number" &&
    typeof t.schema === "object" && Array.isArray(t.schema?.fields);
}

/** Typed layouts taken as is: Paimon root → [Arrow type id, bit width or precision, store kind]. */
const TYPED: Readonly<Record<string, readonly [number, number, InputColumn["kind"]]>> = {
  TINYINT: [Type.Int, 8, "i8"], SMALLINT: [Type.Int, 16, "i16"], INT: [Type.Int, 32, "i32"], BIGINT: [Type.Int, 64, "i64"],
  FLOAT: [Type.Float, 1, "f32"], DOUBLE: [Type.Float, 2, "f64"], DATE: [Type.Date, 0, "i32"],
};

/**
 * The typed column of `vector` when its Arrow type is the Paimon type's layout, else null.
 * A sliced arrow-js Data has its value (and offset) buffers already sliced; its `offset` only
 * applies to the validity bitmap.
 */
function typedColumn(vector: Vector, field: DataField): InputColumn | null {
  const spec = TYPED[field.type.root];
  if (spec === undefined) return null;
  const [typeId, width, kind] = spec;
  for (const d of vector.data) {
    const t = d.type as { typeId: number; bitWidth?: number; isSigned?: boolean; precision?: number; unit?: number };
    if (t.typeId !== typeId) return null;
    if (typeId === Type.Int && (t.bitWidth !== width || t.isSigned !== true)) return null;
    if (typeId === Type.Float && t.precision !== width) return null;
    if (typeId === Type.Date && t.unit !== 0) return null; // DateUnit.DAY
  }
  const n = vector.length;
  const chunks = vector.data as Data[];
  let data: TypedChunk;
  if (chunks.length === 1) {
    const d = chunks[0]!;
    data = (d.values as TypedChunk).subarray(0, d.length);
  } else {
    const first = chunks[0]?.values as TypedChunk | undefined;
    const Ctor = (first?.constructor ?? Int32Array) as new (n: number) => TypedChunk;
    data = new Ctor(n);
    let at = 0;
    for (const d of chunks) {
      (data as Float64Array).set((d.values as Float64Array).subarray(0, d.length), at);
      at += d.length;
    }
  }
  let valid: Uint8Array | null = null;
  if (vector.nullCount > 0) {
    valid = new Uint8Array(n);
    let at = 0;
    for (const d of chunks) {
      for (let i = 0; i < d.length; i++) {
        const bit = d.offset + i;
        valid[at + i] = d.nullCount <= 0 || (d.nullBitmap![bit >> 3]! & (1 << (bit & 7))) !== 0 ? 1 : 0;
      }
      at += d.length;
    }
  }
  return { kind: kind as Exclude<InputColumn["kind"], "values">, data, valid } as InputColumn;
}

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** True when every byte is below 0x80 (ASCII is valid UTF-8 wherever a string starts); 32-bit words where aligned. */
function isAscii(data: Uint8Array): boolean {
  const n = data.length;
  const head = Math.min(n, (4 - (data.byteOffset & 3)) & 3);
  let bits = 0;
  for (let i = 0; i < head; i++) bits |= data[i]!;
  const words = (n - head) >> 2;
  if (words > 0) {
    const w = new Int32Array(data.buffer, data.byteOffset + head, words);
    for (let i = 0; i < words; i++) bits |= w[i]!;
  }
  for (let i = head + 4 * words; i < n; i++) bits |= data[i]!;
  return (bits & 0x80808080) === 0;
}

/**
 * The bytes of a Utf8 (CHAR/VARCHAR) or Binary (BINARY/VARBINARY) column without a JS value per
 * row, else null. Strings are checked to be valid UTF-8 (each one: the concatenation decodes and
 * no string starts inside a multi-byte sequence; all-ASCII bytes pass by one scan).
 */
function varColumn(vector: Vector, field: DataField): InputColumn | null {
  const root = field.type.root;
  const text = root === "CHAR" || root === "VARCHAR";
  if (!text && root !== "BINARY" && root !== "VARBINARY") return null;
  const wanted = text ? Type.Utf8 : Type.Binary;
  const chunks = vector.data as Data[];
  if (chunks.some((d) => d.type.typeId !== wanted)) return null;
  const n = vector.length;
  let total = 0;
  for (const d of chunks) total += d.valueOffsets[d.length]! - d.valueOffsets[0]!;
  // One chunk whose offsets start at 0 is taken as it is (views, as typedColumn does); else copied.
  const only = chunks.length === 1 && chunks[0]!.valueOffsets[0] === 0 ? chunks[0]! : null;
  const data = only === null ? new Uint8Array(total) : (only.values as Uint8Array).subarray(0, total);
  const offsets = only === null ? new Int32Array(n + 1) : (only.valueOffsets as Int32Array).subarray(0, n + 1);
  let valid: Uint8Array | null = vector.nullCount > 0 ? new Uint8Array(n) : null;
  let at = 0, row = 0;
  for (const d of only === null || valid !== null ? chunks : []) {
    if (only !== null) { // views: the validity only
      for (let i = 0; i < d.length; i++) {
        const bit = d.offset + i;
        valid![i] = d.nullCount <= 0 || (d.nullBitmap![bit >> 3]! & (1 << (bit & 7))) !== 0 ? 1 : 0;
      }
      continue;
    }
    const o = d.valueOffsets as Int32Array, first = o[0]!;
    data.set((d.values as Uint8Array).subarray(first, o[d.length]!), at);
    for (let i = 0; i < d.length; i++) {
      offsets[row + i + 1] = at + o[i + 1]! - first;
      if (valid !== null) {
        const bit = d.offset + i;
        valid[row + i] = d.nullCount <= 0 || (d.nullBitmap![bit >> 3]! & (1 << (bit & 7))) !== 0 ? 1 : 0;
      }
    }
    at += o[d.length]! - first;
    row += d.length;
  }
  if (valid !== null && valid.every((v) => v === 1)) valid = null;
  if (text && !isAscii(data)) {
    try {
      FATAL_UTF8.decode(data);
    } catch {
      throw new LakeError("invalid_argument", `write: column ${JSON.stringify(field.name)} holds bytes that are not valid UTF-8`);
    }
    for (let i = 0; i < n; i++) {
      if (offsets[i + 1]! > offsets[i]! && (data[offsets[i]!]! & 0xc0) === 0x80) {
        throw new LakeError("invalid_argument", `write: column ${JSON.stringify(field.name)}, row ${i} is not valid UTF-8`);
      }
    }
  }
  return { kind: text ? "str" : "bin", data, offsets, valid };
}

/** The input column of one field (absent Arrow column: all null), with NOT NULL and defaults applied. */
function fieldColumn(table: ArrowTable, index: number | undefined, field: DataField, rules: WriteRules, f: number): InputColumn {
  const n = table.numRows;
  const fallback = rules.defaults[f];
  if (index === undefined) {
    if (!field.type.nullable) throw new LakeError("invalid_argument", `write: column ${JSON.stringify(field.name)}, row 0 is null (or missing) but the column is NOT NULL (the Arrow table has no such column)`);
    return { kind: "values", values: new Array<Value>(n).fill(fallback ?? null) };
  }
  const vector = table.getChildAt(index)!;
  const typed = vector.nullCount > 0 && fallback !== undefined ? null : typedColumn(vector, field) ?? varColumn(vector, field);
  if (typed !== null && typed.kind !== "values") {
    if (!field.type.nullable && typed.valid !== null) {
      throw new LakeError("invalid_argument", `write: column ${JSON.stringify(field.name)}, row ${typed.valid.indexOf(0)} is null (or missing) but the column is NOT NULL`);
    }
    return typed;
  }
  const values = decodeVector(vector, field.type, field.name);
  checkNotNull(values, 0, values.length, field.type, field.name);
  if (fallback !== undefined) for (let i = 0; i < n; i++) if (values[i] === null) values[i] = fallback;
  return { kind: "values", values };
}

/** Rows [0, n) of `column` picked by `keep`. */
function pickRows(column: InputColumn, keep: Uint32Array): InputColumn {
  if (column.kind === "values") return { kind: "values", values: Array.from(keep, (i) => column.values[i]!) };
  if (column.kind === "str" || column.kind === "bin") {
    return { kind: "values", values: Array.from(keep, (i) => inputValueAt(column, i)) };
  }
  const Ctor = column.data.constructor as new (n: number) => TypedChunk;
  const data = new Ctor(keep.length);
  for (let j = 0; j < keep.length; j++) (data as Float64Array)[j] = (column.data as Float64Array)[keep[j]!]!;
  const valid = column.valid === null ? null : Uint8Array.from(keep, (i) => column.valid![i]!);
  return { kind: column.kind, data, valid } as InputColumn;
}

/**
 * The batch of an Arrow table written with `kind` (see the header). Throws
 * LakeError("invalid_argument") for unknown or duplicate columns, Arrow types that do not
 * match, values that do not fit and nulls in NOT NULL columns, naming the column and row.
 */
export function batchFromArrow(rules: WriteRules, table: ArrowTable, kind: RowKind, options: { rowKindColumn: boolean }): InputBatch {
  const fields = rules.fields;
  const indexByName = new Map<string, number>();
  table.schema.fields.forEach((f, k) => {
    if (indexByName.has(f.name)) throw new LakeError("invalid_argument", `write: the Arrow table has two columns named ${JSON.stringify(f.name)}`);
    if (f.name !== ROW_KIND_COLUMN && !fields.some((x) => x.name === f.name)) {
      throw new LakeError("invalid_argument", `write: the Arrow table has column ${JSON.stringify(f.name)}, which is not a column (columns: ${fields.map((x) => x.name).join(", ")})`);
    }
    indexByName.set(f.name, k);
  });
  const n = table.numRows;
  const columns = fields.map((field, f) => fieldColumn(table, indexByName.get(field.name), field, rules, f));
  const kindIndex = indexByName.get(ROW_KIND_COLUMN);
  const kinds = options.rowKindColumn && kindIndex !== undefined ? rowKindsFromArrow(table.getChildAt(kindIndex)!) : new Uint8Array(n).fill(kind);
  if (rules.rowKindFieldIndex >= 0) {
    const column = columns[rules.rowKindFieldIndex]!;
    for (let i = 0; i < n; i++) {
      const text = inputValueAt(column, i);
      const values: Value[] = [];
      values[rules.rowKindFieldIndex] = text;
      kinds[i] = rowKindOf(rules, values, kinds[i] as RowKind, i);
    }
  }
  if (!rules.ignoreDelete && !rules.ignoreUpdateBefore) return { rowCount: n, columns, rowKinds: kinds };
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!dropsRowKind(rules, kinds[i] as RowKind)) keep.push(i);
  if (keep.length === n) return { rowCount: n, columns, rowKinds: kinds };
  const rows = Uint32Array.from(keep);
  return { rowCount: rows.length, columns: columns.map((c) => pickRows(c, rows)), rowKinds: Uint8Array.from(rows, (i) => kinds[i]!) };
}
