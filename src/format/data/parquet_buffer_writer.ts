/**
 * Writes one Paimon data file from columns in Arrow layout (ColumnBuffers) instead of value
 * arrays: the same file, byte for byte, and the same DataFileMeta facts as `writeDataFile`
 * (parquet_writer.ts) would give for the same rows, without building a JS value per row. The
 * columnar compaction path (lsm/compaction) uses it; its input comes from the fast Parquet
 * reader and `gatherColumn`, so no value needs checking against its type beyond NOT NULL.
 *
 * Served types: those of `isBufferStatsType` (buffer_stats.ts), in the layouts the fast
 * reader delivers them (`arrowFormatsFor`), which are the Arrow layouts `parquetArrowType`
 * asks parquet-wasm to write. Layout, compression, footer statistics and the NaN rule are
 * parquet_writer.ts's; statistics and min/max keys come from buffer_stats.ts. Dictionary
 * encoding: by default only for the columns parquet-mr keeps it for (dictionary_policy.ts;
 * `dictionary: "all"` gives writeDataFile's choice, every column, and so its exact bytes).
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
 * data_file_fields.ts, file_stats.ts, parquet_arrow.ts, parquet_footer.ts, parquet_schema.ts,
 * parquet_writer.ts, parquet_wasm_loader.ts (types).
 */
import { Field, Int64, Int8, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from "apache-arrow";
import type { Data } from "apache-arrow";
import { LakeError } from "../../errors.ts";
import { emptySerializedBinaryRow, encodeSerializedBinaryRow } from "../../spec/binary_row.ts";
import { optionBoolean } from "../../spec/core_options.ts";
import { describeType, type DataField } from "../../spec/data_types.ts";
import type { TableSchema } from "../../spec/schema.ts";
import { EMPTY_STATS, encodeDenseSimpleStats, encodeSimpleStats } from "../../spec/simple_stats.ts";
import { bufferColumnStats, bufferHasNaN, bufferValueAt, isBufferStatsType } from "./buffer_stats.ts";
import type { ColumnBuffers } from "./column_buffers.ts";
import { dataFileFields, keyColumnFields, SEQUENCE_NUMBER_FIELD, trimmedPrimaryKeyFields, VALUE_KIND_FIELD } from "./data_file_fields.ts";
import { dictionarySettings, parquetMrKeepsDictionary } from "./dictionary_policy.ts";
import { columnStatsModes, dataFileStatsMode } from "./file_stats.ts";
import { parquetArrowType } from "./parquet_arrow.ts";
import { rewriteParquetFooter } from "./parquet_footer.ts";
import { paimonParquetSchema } from "./parquet_schema.ts";
import { dataFileCompression, type DataFileWriteResult, type ParquetCompression } from "./parquet_writer.ts";
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
  /**
   * With dictionary encoding on (`parquet.enable.dictionary`, default true): "parquet-mr"
   * (default) writes PLAIN the columns parquet-mr would write PLAIN (dictionary_policy.ts);
   * "all" lets every column try the dictionary, as `writeDataFile` does (same bytes as it).
   */
  readonly dictionary?: "parquet-mr" | "all";
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

function encodeIpc(fields: readonly DataField[], children: readonly Data[], rowCount: number): Uint8Array {
  const arrowFields = fields.map((f, i) => new Field(f.name, children[i]!.type, f.type.nullable));
  const batch = new RecordBatch(new Schema(arrowFields), makeData({ type: new Struct(arrowFields), length: rowCount, nullCount: 0, children: [...children] }));
  return tableToIPC(new Table([batch]), "stream");
}

/** parquet-wasm with the settings of parquet_writer.ts (v1 pages, PLAIN + dictionary, page statistics). */
function writeParquet(pq: ParquetWasmModule, ipc: Uint8Array, compression: ParquetCompression, dictionary: boolean, plainColumns: readonly string[], noStatsColumns: readonly string[]): Uint8Array {
  let builder = new pq.WriterPropertiesBuilder()
    .setWriterVersion(pq.WriterVersion.V1)
    .setCompression(compression === "zstd" ? pq.Compression.ZSTD : compression === "snappy" ? pq.Compression.SNAPPY : pq.Compression.UNCOMPRESSED)
    .setDictionaryEnabled(dictionary)
    .setEncoding(pq.Encoding.PLAIN)
    .setStatisticsEnabled(pq.EnabledStatistics.Page);
  for (const name of noStatsColumns) builder = builder.setColumnStatisticsEnabled(name, pq.EnabledStatistics.None);
  if (dictionary) for (const name of plainColumns) builder = builder.setColumnDictionaryEnabled(name, false);
  try {
    return pq.writeParquet(pq.Table.fromIPCStream(ipc), builder.build());
  } catch (error) {
    throw new LakeError("io", `${NOUN}: parquet-wasm failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
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
  const valueData = schema.fields.map((f, i) => arrowData(f, columns[i]!));
  const noStats = schema.fields.filter((f, i) => bufferHasNaN(f.type, columns[i]!)).map((f) => f.name);
  const compression = options.compression ?? dataFileCompression(schema.options, primaryKey, level);
  const dictionary = (schema.options["parquet.enable.dictionary"] ?? "true").toLowerCase() !== "false";
  const policy = dictionary && options.dictionary !== "all" ? dictionarySettings(schema.options) : null;
  /** Names of the physical columns parquet-mr would write PLAIN (none without a policy). */
  const plainColumns = (physical: readonly (readonly [DataField, ColumnBuffers])[]): string[] =>
    policy === null ? [] : physical.filter(([f, c]) => !parquetMrKeepsDictionary(f.type, c, policy)).map(([f]) => f.name);
  const write = (physical: readonly Data[], plain: readonly string[]): Uint8Array<ArrayBuffer> =>
    rewriteParquetFooter(writeParquet(options.parquetWasm, encodeIpc(fields, physical, rowCount), compression, dictionary, plain, noStats), paimonParquetSchema(fields));
  const valuePairs = schema.fields.map((f, i) => [f, columns[i]!] as const);

  if (!primaryKey) {
    const start = options.sequenceNumberStart ?? 0n;
    return {
      rowCount, valueStats, valueStatsCols, keyStats: EMPTY_STATS, minKey: emptySerializedBinaryRow(), maxKey: emptySerializedBinaryRow(),
      minSequenceNumber: start, maxSequenceNumber: start + BigInt(rowCount - 1), deleteRowCount: 0n, bytes: write(valueData, plainColumns(valuePairs)),
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
  keyFields.forEach((f, i) => { if (bufferHasNaN(f.type, keyColumns[i]!)) noStats.push(f.name); });
  const seqData = makeData({ type: new Int64(), length: rowCount, nullCount: 0, data: facts.seq });
  const kindData = makeData({ type: new Int8(), length: rowCount, nullCount: 0, data: new Int8Array(facts.kinds.buffer, facts.kinds.byteOffset, rowCount) });
  const keyData = keyFields.map((f, i) => arrowData(f, keyColumns[i]!));
  return {
    rowCount, valueStats, valueStatsCols, keyStats,
    minKey: encodeSerializedBinaryRow(keyTypes, keyColumns.map((k, i) => bufferValueAt(keyTypes[i]!, k, 0))),
    maxKey: encodeSerializedBinaryRow(keyTypes, keyColumns.map((k, i) => bufferValueAt(keyTypes[i]!, k, rowCount - 1))),
    minSequenceNumber: facts.minSequenceNumber, maxSequenceNumber: facts.maxSequenceNumber, deleteRowCount: facts.deleteRowCount,
    bytes: write([...keyData, seqData, kindData, ...valueData], plainColumns([
      ...keyFields.map((f, i) => [f, keyColumns[i]!] as const),
      [SEQUENCE_NUMBER_FIELD, fixedColumn(facts.seq, 8)], [VALUE_KIND_FIELD, fixedColumn(facts.kinds, 1)], ...valuePairs,
    ])),
  };
}
