/**
 * Writes one Paimon data file from columns in Arrow layout (ColumnBuffers) instead of value
 * arrays: the same file, byte for byte, and the same DataFileMeta facts as `writeDataFile`
 * (parquet_writer.ts) would give for the same rows, without building a JS value per row. The
 * columnar compaction path (lsm/compaction) uses it; its input comes from the fast Parquet
 * reader and `gatherColumn`, so no value needs checking against its type beyond NOT NULL.
 *
 * Served types: those of `isBufferStatsType` (buffer_stats.ts), in the layouts the fast
 * reader delivers them (`arrowFormatsFor`), which are the Arrow layouts `parquetArrowType`
 * asks parquet-wasm to write. The file itself is written by parquet_writer.ts `writeParquetFile`
 * (row groups, compression, dictionary policy, exact footer statistics, the NaN rule), as for
 * `writeDataFile`; Paimon statistics and min/max keys come from buffer_stats.ts.
 *
 * Invariants: test/unit/format/parquet_buffer_writer_test.ts checks file bytes and facts
 * against `writeDataFile` on random columns of every served type. Errors: as writeDataFile
 * (LakeError "invalid_argument" for mismatched lengths, nulls in NOT NULL columns, no rows,
 * bad row kinds; "unsupported" for types not served; "io" when parquet-wasm fails).
 *
 * Mirrors `KeyValueDataFileWriter` / `RowDataFileWriter` like parquet_writer.ts:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/KeyValueDataFileWriter.java
 *
 * Imports: apache-arrow, errors.ts, spec/*, buffer_stats.ts, column_buffers.ts (types),
 * data_file_fields.ts, file_stats.ts, parquet_arrow.ts, parquet_writer.ts,
 * parquet_wasm_loader.ts (types).
 */
import { Int64, Int8, makeData } from "apache-arrow";
import type { Data } from "apache-arrow";
import { LakeError } from "../../errors.ts";
import { emptySerializedBinaryRow, encodeSerializedBinaryRow } from "../../spec/binary_row.ts";
import { optionBoolean } from "../../spec/core_options.ts";
import { describeType, type DataField } from "../../spec/data_types.ts";
import type { TableSchema } from "../../spec/schema.ts";
import { EMPTY_STATS, encodeDenseSimpleStats, encodeSimpleStats } from "../../spec/simple_stats.ts";
import { bufferColumnStats, bufferValueAt, isBufferStatsType } from "./buffer_stats.ts";
import type { ColumnBuffers } from "./column_buffers.ts";
import { dataFileFields, keyColumnFields, SEQUENCE_NUMBER_FIELD, trimmedPrimaryKeyFields, VALUE_KIND_FIELD } from "./data_file_fields.ts";
import { columnStatsModes, dataFileStatsMode } from "./file_stats.ts";
import { parquetArrowType } from "./parquet_arrow.ts";
import { parquetFileSettings, writeParquetFile, type DataFileWriteResult, type ParquetCompression, type PhysicalColumn } from "./parquet_writer.ts";
import type { ParquetWasmModule } from "./parquet_wasm_loader.ts";

const NOUN = "parquet writer";

/** Options of `writeBufferDataFile` (the fields of parquet_writer.ts `WriteDataFileOptions` it uses). */
export interface BufferDataFileOptions {
  readonly schema: TableSchema;
  readonly primaryKey: boolean;
  /** Primary-key files: `_SEQUENCE_NUMBER` per row (required). */
  readonly sequenceNumbers?: BigInt64Array;
  /** Primary-key files: RowKind byte 0..3 per row; default all INSERT. */
  readonly rowKinds?: Uint8Array;
  /** Append files: sequence number of the first row; default 0. */
  readonly sequenceNumberStart?: bigint;
  /** Primary-key files: LSM level (per-level stats mode and compression); default 0. */
  readonly level?: number;
  readonly parquetWasm: ParquetWasmModule;
  readonly compression?: ParquetCompression;
}

/** True when `writeBufferDataFile` writes columns of `type`. */
export function isBufferWritableType(type: DataField["type"]): boolean {
  return isBufferStatsType(type);
}

/** The column as Arrow Data of `parquetArrowType(field.type)` (shares the buffers). */
function arrowData(field: DataField, c: ColumnBuffers): Data {
  const type = parquetArrowType(field.type, field.name);
  const base = { type, length: c.length, nullCount: c.nullCount, nullBitmap: c.validity ?? undefined };
  const d = c.data;
  switch (field.type.root) {
    case "BOOLEAN": return makeData({ ...base, data: d } as never);
    case "TINYINT": return makeData({ ...base, data: new Int8Array(d.buffer, d.byteOffset, c.length) } as never);
    case "SMALLINT": return makeData({ ...base, data: new Int16Array(d.buffer, d.byteOffset, c.length) } as never);
    case "INT": case "DATE": case "TIME": return makeData({ ...base, data: new Int32Array(d.buffer, d.byteOffset, c.length) } as never);
    case "FLOAT": return makeData({ ...base, data: new Float32Array(d.buffer, d.byteOffset, c.length) } as never);
    case "DOUBLE": return makeData({ ...base, data: new Float64Array(d.buffer, d.byteOffset, c.length) } as never);
    case "BIGINT": case "TIMESTAMP": case "TIMESTAMP_LTZ": return makeData({ ...base, data: new BigInt64Array(d.buffer, d.byteOffset, c.length) } as never);
    case "DECIMAL": return makeData({ ...base, data: new Uint32Array(d.buffer, d.byteOffset, 4 * c.length) } as never);
    default: return makeData({ ...base, valueOffsets: c.offsets!, data: d } as never);
  }
}

function checkColumns(columns: readonly ColumnBuffers[], schema: TableSchema): number {
  if (columns.length !== schema.fields.length) {
    throw new LakeError("invalid_argument", `${NOUN}: ${columns.length} columns for the ${schema.fields.length} fields of schema ${schema.id}`);
  }
  const rowCount = columns[0]?.length ?? 0;
  if (rowCount === 0) throw new LakeError("invalid_argument", `${NOUN}: a data file needs at least one row`);
  schema.fields.forEach((f, i) => {
    const c = columns[i]!;
    if (!isBufferWritableType(f.type)) throw new LakeError("unsupported", `${NOUN}: column ${f.name}: ${describeType(f.type)} cannot be written from Arrow buffers; use writeDataFile`);
    if (c.length !== rowCount) throw new LakeError("invalid_argument", `${NOUN}: column ${f.name} has ${c.length} rows, expected ${rowCount}`);
    if (!f.type.nullable && c.nullCount > 0) throw new LakeError("invalid_argument", `${NOUN}: column ${f.name} holds ${c.nullCount} nulls but is NOT NULL`);
  });
  return rowCount;
}

/** A typed array as a "fixed" column without nulls (a view, for reading only). */
function fixedColumn(array: BigInt64Array | Uint8Array, byteWidth: number): ColumnBuffers {
  return { layout: "fixed", byteWidth, length: array.length, nullCount: 0, validity: null, data: new Uint8Array(array.buffer as ArrayBuffer, array.byteOffset, array.byteLength), offsets: null };
}

/** Sequence range, row-kind check and delete count of a primary-key file. */
function keyValueFacts(seq: BigInt64Array | undefined, kindsIn: Uint8Array | undefined, rowCount: number) {
  if (seq === undefined) throw new LakeError("invalid_argument", `${NOUN}: primary-key files need sequenceNumbers`);
  if (seq.length !== rowCount) throw new LakeError("invalid_argument", `${NOUN}: sequenceNumbers has ${seq.length} rows, expected ${rowCount}`);
  const kinds = kindsIn ?? new Uint8Array(rowCount);
  if (kinds.length !== rowCount) throw new LakeError("invalid_argument", `${NOUN}: rowKinds has ${kinds.length} rows, expected ${rowCount}`);
  let deletes = 0;
  for (let i = 0; i < rowCount; i++) {
    const k = kinds[i]!;
    if (k > 3) throw new LakeError("invalid_argument", `${NOUN}: row ${i} has row kind ${k}, expected 0..3`);
    if (k === 1 || k === 3) deletes++;
  }
  const words = new Int32Array(seq.buffer, seq.byteOffset, 2 * rowCount);
  let lo = 0, hi = 0;
  for (let i = 1; i < rowCount; i++) {
    const h = words[2 * i + 1]!, l = words[2 * i]! >>> 0;
    const mh = words[2 * lo + 1]!, xh = words[2 * hi + 1]!;
    if (h < mh || (h === mh && l < words[2 * lo]! >>> 0)) lo = i;
    if (h > xh || (h === xh && l > words[2 * hi]! >>> 0)) hi = i;
  }
  return { seq, kinds, deleteRowCount: BigInt(deletes), minSequenceNumber: seq[lo]!, maxSequenceNumber: seq[hi]! };
}

/**
 * Writes `columns` (one per field of `options.schema`, schema order) as one Parquet data file,
 * exactly as `writeDataFile` writes the same rows (see the file header), and returns the bytes
 * with Java's DataFileMeta facts. Requires: primary-key rows sorted by key, each key once.
 */
export function writeBufferDataFile(columns: readonly ColumnBuffers[], options: BufferDataFileOptions): DataFileWriteResult {
  const { schema, primaryKey } = options;
  const level = options.level ?? 0;
  const rowCount = checkColumns(columns, schema);
  const fields = dataFileFields(schema, primaryKey);
  const modes = columnStatsModes(fields.map((f) => f.name), schema.options, dataFileStatsMode(schema.options, primaryKey, level));
  const valueModes = modes.slice(fields.length - schema.fields.length);
  const valueColumnStats = schema.fields.map((f, i) => bufferColumnStats(f.type, columns[i]!, valueModes[i]!));
  const dense = optionBoolean(schema.options, "metadata.stats-dense-store")!;
  const { stats: valueStats, statsColumns: valueStatsCols } = dense
    ? encodeDenseSimpleStats(schema.fields, valueColumnStats)
    : { stats: encodeSimpleStats(schema.fields.map((f) => f.type), valueColumnStats), statsColumns: null };
  const physical = (f: DataField, c: ColumnBuffers): PhysicalColumn => ({ field: f, data: arrowData(f, c), buffers: c });
  const valueColumns = schema.fields.map((f, i) => physical(f, columns[i]!));
  const settings = parquetFileSettings(schema.options, primaryKey, level, options.compression);
  const write = (all: readonly PhysicalColumn[]): Uint8Array<ArrayBuffer> => writeParquetFile(options.parquetWasm, all, rowCount, settings);

  if (!primaryKey) {
    const start = options.sequenceNumberStart ?? 0n;
    return {
      rowCount, valueStats, valueStatsCols, keyStats: EMPTY_STATS, minKey: emptySerializedBinaryRow(), maxKey: emptySerializedBinaryRow(),
      minSequenceNumber: start, maxSequenceNumber: start + BigInt(rowCount - 1), deleteRowCount: 0n, bytes: write(valueColumns),
    };
  }
  if (optionBoolean(schema.options, "data-file.thin-mode")) {
    throw new LakeError("unsupported", `${NOUN}: data-file.thin-mode = true (files without _KEY_ columns, key stats from value columns) is not supported`);
  }
  const keyFields = keyColumnFields(schema);
  const keyColumns = trimmedPrimaryKeyFields(schema).map((f) => columns[schema.fields.indexOf(f)]!);
  const keyTypes = keyFields.map((f) => f.type);
  const keyStats = encodeSimpleStats(keyTypes, keyFields.map((f, i) => bufferColumnStats(f.type, keyColumns[i]!, modes[i]!)));
  const facts = keyValueFacts(options.sequenceNumbers, options.rowKinds, rowCount);
  const seqColumn = fixedColumn(facts.seq, 8), kindColumn = fixedColumn(facts.kinds, 1);
  return {
    rowCount, valueStats, valueStatsCols, keyStats,
    minKey: encodeSerializedBinaryRow(keyTypes, keyColumns.map((k, i) => bufferValueAt(keyTypes[i]!, k, 0))),
    maxKey: encodeSerializedBinaryRow(keyTypes, keyColumns.map((k, i) => bufferValueAt(keyTypes[i]!, k, rowCount - 1))),
    minSequenceNumber: facts.minSequenceNumber, maxSequenceNumber: facts.maxSequenceNumber, deleteRowCount: facts.deleteRowCount,
    bytes: write([
      ...keyFields.map((f, i) => physical(f, keyColumns[i]!)),
      { field: SEQUENCE_NUMBER_FIELD, data: makeData({ type: new Int64(), length: rowCount, nullCount: 0, data: facts.seq }), buffers: seqColumn },
      { field: VALUE_KIND_FIELD, data: makeData({ type: new Int8(), length: rowCount, nullCount: 0, data: new Int8Array(facts.kinds.buffer, facts.kinds.byteOffset, rowCount) }), buffers: kindColumn },
      ...valueColumns,
    ]),
  };
}
