/**
 * Arrow-layout columns (format/data/column_buffers.ts) → an `arrow.Table`, without going
 * through the value model: the buffers become Arrow `Data` as they are. Used by the columnar
 * fast read path, whose output must equal `columnsToArrowTable` of the general path for the
 * same rows: same schema (arrow_types.ts: types, nullability, field metadata), one record
 * batch, no validity bitmap when a column has no null, zero bytes under nulls.
 *
 * Checks the general path makes while encoding values are repeated where the buffers could
 * break them: a null in a NOT NULL column and a TIME outside 0..86399999 ms are
 * LakeError("invalid_argument") with the same message. Serves the flat types the fast Parquet
 * reader serves (parquet_arrow_reader.ts `arrowFormatsFor`); anything else is a programmer
 * error.
 *
 * Imports: apache-arrow, errors.ts, util/assert.ts, spec/data_types.ts, spec/values.ts,
 * format/data/column_buffers.ts, api/arrow_types.ts.
 */
import { makeData, RecordBatch, Schema, Struct, Table } from "apache-arrow";
import type { Data, DataType as ArrowType } from "apache-arrow";
import { LakeError } from "../errors.ts";
import { assert, unreachable } from "../util/assert.ts";
import type { DataField, DataType } from "../spec/data_types.ts";
import { MILLIS_PER_DAY } from "../spec/values.ts";
import { int32Words, type ColumnBuffers } from "../format/data/column_buffers.ts";
import { arrowSchemaOf } from "./arrow_types.ts";

function firstNull(column: ColumnBuffers): number {
  const v = column.validity!;
  for (let i = 0; i < column.length; i++) if ((v[i >> 3]! & (1 << (i & 7))) === 0) return i;
  return -1;
}

function checkColumn(field: DataField, column: ColumnBuffers): void {
  if (!field.type.nullable && column.nullCount > 0) {
    throw new LakeError("invalid_argument", `arrow: column "${field.name}" row ${firstNull(column)}: null in a NOT NULL column`);
  }
  if (field.type.root === "TIME") {
    const w = int32Words(column);
    for (let i = 0; i < column.length; i++) {
      const valid = column.validity === null || (column.validity[i >> 3]! & (1 << (i & 7))) !== 0;
      if (valid && (w[i]! < 0 || w[i]! >= MILLIS_PER_DAY)) {
        throw new LakeError("invalid_argument", `arrow: column "${field.name}" row ${i}: value ${w[i]} is not a TIME (integer millis 0..86399999)`);
      }
    }
  }
}

/** The typed array arrow-js expects for the values of a flat Paimon type. */
function valuesOf(type: DataType, column: ColumnBuffers): ArrayBufferView {
  const d = column.data, n = column.length;
  switch (type.root) {
    case "BOOLEAN": return d;
    case "TINYINT": return new Int8Array(d.buffer, d.byteOffset, n);
    case "SMALLINT": return new Int16Array(d.buffer, d.byteOffset, n);
    case "INT": case "DATE": case "TIME": return new Int32Array(d.buffer, d.byteOffset, n);
    case "BIGINT": case "TIMESTAMP": case "TIMESTAMP_LTZ": return new BigInt64Array(d.buffer, d.byteOffset, n);
    case "FLOAT": return new Float32Array(d.buffer, d.byteOffset, n);
    case "DOUBLE": return new Float64Array(d.buffer, d.byteOffset, n);
    case "DECIMAL": return new Uint32Array(d.buffer, d.byteOffset, 4 * n);
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": return d;
    default: return unreachable(`arrow buffers: type ${type.root} is not a flat type of the fast read path`);
  }
}

function dataOf(field: DataField, arrowType: ArrowType, column: ColumnBuffers): Data {
  checkColumn(field, column);
  const common = { type: arrowType, length: column.length, nullCount: column.nullCount, nullBitmap: column.validity ?? undefined };
  const root = field.type.root;
  if (root === "CHAR" || root === "VARCHAR" || root === "BINARY" || root === "VARBINARY") {
    // An empty read may come with no source column at all: offsets are then the single 0.
    return makeData({ ...common, valueOffsets: column.offsets ?? new Int32Array(1), data: column.data } as never);
  }
  return makeData({ ...common, data: valuesOf(field.type, column) } as never);
}

/**
 * One-batch Arrow table of `fields` from their columns (`columns[j]` holds field j, every
 * column `rowCount` long). Throws LakeError("invalid_argument") for a null in a NOT NULL
 * column or a TIME out of range (the general path's messages).
 */
export function bufferColumnsToArrowTable(fields: readonly DataField[], columns: readonly ColumnBuffers[], rowCount: number): Table {
  assert(columns.length === fields.length, `arrow buffers: ${columns.length} columns for ${fields.length} fields`);
  const schema = arrowSchemaOf(fields);
  const children = fields.map((field, j) => {
    const column = columns[j]!;
    assert(column.length === rowCount, `arrow buffers: column ${field.name} has ${column.length} rows, expected ${rowCount}`);
    return dataOf(field, schema.fields[j]!.type, column);
  });
  const data = makeData({ type: new Struct(schema.fields), length: rowCount, nullCount: 0, children });
  return new Table(schema, new RecordBatch(schema, data));
}
