/**
 * Writes one Paimon data file as Parquet, the way Java Paimon writes it, and returns the
 * DataFileMeta facts Java derives while writing (row count, key and value statistics, min/max
 * key, sequence number range, delete row count).
 *
 * Layout (docs/paimon-format.md §6.1, §10): primary-key files hold `_KEY_<k>` per trimmed
 * primary key, `_SEQUENCE_NUMBER`, `_VALUE_KIND`, then every table column; append files the
 * table columns. The schema (names, physical/logical types, REQUIRED/OPTIONAL, field ids,
 * message `paimon_schema`) equals parquet-mr's for Java; pages are data page v1 with PLAIN or
 * dictionary (RLE_DICTIONARY) values and RLE levels, which Paimon ≤ 1.1 readers require;
 * compression from `parquet.compression` / `file.compression` (per level for primary-key
 * files): zstd (arrow-rs level 1, Java's default level; another `file.compression.zstd-level`
 * only changes the file size, not its content), snappy or none. Dictionary encoding only for
 * the flat columns parquet-mr keeps it for (dictionary_policy.ts), decided per row group.
 *
 * Row groups and footer (`writeParquetFile`): the rows go to parquet-wasm in row groups of at
 * most ROW_GROUP_ARROW_BYTES_MAX Arrow bytes (one parquet-wasm call each, so its memory stays
 * bounded), assembled into one file by parquet_footer.ts with parquet-mr's exact column-chunk
 * statistics, size statistics and column indexes for flat columns (computed here from the
 * values, buffer_stats.ts; parquet-wasm computes none for them) and parquet-wasm's for nested
 * columns (BYTE_ARRAY min/max there truncated to 64 bytes, unlike Java).
 *
 * Statistics (file_stats.ts): key stats over the `_KEY_` columns (truncate(128) unless
 * `fields._KEY_<k>.stats-mode`), never dense; value stats over the table columns, dense unless
 * `metadata.stats-dense-store = false` (then `valueStatsCols` is null). Append files have
 * empty key stats and empty (12-byte) min/max keys.
 *
 * Requires (not checked): primary-key rows sorted by key ascending (strings by UTF-8 bytes),
 * each key at most once (docs §6.2): `minKey`/`maxKey` are the first and last rows' keys, as
 * Java takes them from the order written.
 *
 * Mirrors `KeyValueDataFileWriter` / `RowDataFileWriter` over `ParquetWriterFactory`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/KeyValueDataFileWriter.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/RowDataFileWriter.java
 *
 * Imports: apache-arrow, errors.ts, spec/*, buffer_stats.ts, column_buffers.ts (types),
 * data_file_fields.ts, dictionary_policy.ts, file_stats.ts, parquet_arrow.ts, parquet_footer.ts,
 * parquet_schema.ts, parquet_wasm_loader.ts (types).
 */
import { Field, Int64, Int8, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from "apache-arrow";
import type { Data } from "apache-arrow";
import { LakeError } from "../../errors.ts";
import { encodeSerializedBinaryRow, emptySerializedBinaryRow } from "../../spec/binary_row.ts";
import { optionBoolean, optionMap, optionString } from "../../spec/core_options.ts";
import type { DataField } from "../../spec/data_types.ts";
import type { TableSchema } from "../../spec/schema.ts";
import { EMPTY_STATS, encodeDenseSimpleStats, encodeSimpleStats, type SimpleStats } from "../../spec/simple_stats.ts";
import type { Value } from "../../spec/values.ts";
import { isBufferStatsType, parquetChunkStats } from "./buffer_stats.ts";
import type { ColumnBuffers } from "./column_buffers.ts";
import { keyColumnFields, SEQUENCE_NUMBER_FIELD, trimmedPrimaryKeyFields, VALUE_KIND_FIELD, dataFileFields } from "./data_file_fields.ts";
import { dictionarySettings, parquetMrKeepsDictionary, type DictionarySettings } from "./dictionary_policy.ts";
import { collectColumnStats, columnStatsModes, dataFileStatsMode } from "./file_stats.ts";
import { encodeParquetArrowData, parquetArrowType } from "./parquet_arrow.ts";
import { assembleParquetFile, columnIndexToThrift, combineChunkStats, parquetPageIndex, sizeStatisticsToThrift, type ChunkIndexes, type ParquetPart } from "./parquet_footer.ts";
import { paimonParquetSchema, type ParquetSchemaElement } from "./parquet_schema.ts";
import type { ParquetWasmModule } from "./parquet_wasm_loader.ts";
import { compressChunksZstd, ZSTD_LEVEL_DEFAULT } from "./parquet_zstd_pages.ts";
import { loadedZstdWasmCodec } from "./zstd_wasm.ts";

/** Parquet compressions the writer produces (and every lakestate reader decodes). */
export type ParquetCompression = "zstd" | "snappy" | "none";

/** Options of `dataFileFacts`: the table and the per-row system inputs. */
export interface DataFileFactsOptions {
  /** The table schema the file is written with (its id becomes the file's `_SCHEMA_ID`). */
  readonly schema: TableSchema;
  /** True for primary-key table files (`_KEY_*`, `_SEQUENCE_NUMBER`, `_VALUE_KIND` columns). */
  readonly primaryKey: boolean;
  /** Trimmed primary-key columns in key order; default: the value columns of those fields. */
  readonly keys?: readonly (readonly Value[])[];
  /** Primary-key files: `_SEQUENCE_NUMBER` per row (required). */
  readonly sequenceNumbers?: BigInt64Array;
  /** Primary-key files: RowKind byte 0..3 per row; default all INSERT. */
  readonly rowKinds?: Uint8Array;
  /** Append files: sequence number of the first row (rows get consecutive numbers); default 0. */
  readonly sequenceNumberStart?: bigint;
  /** Primary-key files: LSM level (selects per-level stats mode and compression); default 0. */
  readonly level?: number;
}

/** Options of `writeDataFile`. */
export interface WriteDataFileOptions extends DataFileFactsOptions {
  /** An initialised parquet-wasm (`loadParquetWasm`). */
  readonly parquetWasm: ParquetWasmModule;
  /** Overrides the compression the table options select. */
  readonly compression?: ParquetCompression;
}

/** The DataFileMeta facts Java derives while writing a data file. */
export interface DataFileFacts {
  readonly rowCount: number;
  /** Key stats (all mode over `_KEY_` columns); EMPTY_STATS for append files. */
  readonly keyStats: SimpleStats;
  readonly valueStats: SimpleStats;
  /** `_VALUE_STATS_COLS`: null when every column is kept (or dense store is off). */
  readonly valueStatsCols: string[] | null;
  /** Serialized BinaryRow of the first / last key (the 12-byte empty row for append files). */
  readonly minKey: Uint8Array<ArrayBuffer>;
  readonly maxKey: Uint8Array<ArrayBuffer>;
  readonly minSequenceNumber: bigint;
  readonly maxSequenceNumber: bigint;
  /** Rows of kind -U or -D (0 for append files). */
  readonly deleteRowCount: bigint;
}

/** The file bytes and the DataFileMeta facts Java derives while writing them. */
export interface DataFileWriteResult extends DataFileFacts {
  readonly bytes: Uint8Array<ArrayBuffer>;
}

const NOUN = "parquet writer";

/** The compression of a data file (Java: `parquet.compression`, else `file.compression`[.per.level]). */
export function dataFileCompression(options: TableSchema["options"], primaryKey: boolean, level: number): ParquetCompression {
  let name = options["parquet.compression"] ?? null;
  if (name === null && primaryKey) name = optionMap(options, "file.compression.per.level")[String(level)] ?? null;
  name ??= optionString(options, "file.compression")!;
  switch (name.toLowerCase()) {
    case "zstd": return "zstd";
    case "snappy": return "snappy";
    case "none": case "uncompressed": return "none";
    default:
      throw new LakeError("unsupported", `${NOUN}: file.compression = ${JSON.stringify(name)} is not supported (zstd, snappy or none)`);
  }
}

function checkLength(what: string, length: number, rowCount: number): void {
  if (length !== rowCount) throw new LakeError("invalid_argument", `${NOUN}: ${what} has ${length} rows, expected ${rowCount}`);
}

/** Validates the per-row system inputs of a primary-key file and derives their meta facts. */
function keyValueFacts(options: DataFileFactsOptions, rowCount: number): { seq: BigInt64Array; kinds: Uint8Array; deleteRowCount: bigint } {
  const seq = options.sequenceNumbers;
  if (seq === undefined) throw new LakeError("invalid_argument", `${NOUN}: primary-key files need sequenceNumbers`);
  checkLength("sequenceNumbers", seq.length, rowCount);
  const kinds = options.rowKinds ?? new Uint8Array(rowCount);
  checkLength("rowKinds", kinds.length, rowCount);
  let deletes = 0;
  for (let i = 0; i < rowCount; i++) {
    const k = kinds[i]!;
    if (k > 3) throw new LakeError("invalid_argument", `${NOUN}: row ${i} has row kind ${k}, expected 0..3`);
    if (k === 1 || k === 3) deletes++;
  }
  return { seq, kinds, deleteRowCount: BigInt(deletes) };
}

function sequenceRange(seq: BigInt64Array): [bigint, bigint] {
  let min = seq[0]!, max = seq[0]!;
  for (let i = 1; i < seq.length; i++) {
    const s = seq[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return [min, max];
}

/** One physical column of a data file: its field, its values as Arrow Data, and the same values as ColumnBuffers for flat types. */
export interface PhysicalColumn {
  readonly field: DataField;
  readonly data: Data;
  /** The values in column_buffers.ts layout (flat types): exact footer statistics and the dictionary decision; null for nested types. */
  readonly buffers: ColumnBuffers | null;
}

/** How `writeParquetFile` writes (resolved from the table options by its callers). */
export interface ParquetFileSettings {
  readonly compression: ParquetCompression;
  /** `parquet.enable.dictionary`. */
  readonly dictionary: boolean;
  /** parquet-mr's dictionary decision for flat columns (dictionary_policy.ts); null: every column tries the dictionary. */
  readonly dictionaryPolicy: DictionarySettings | null;
  /** Largest Arrow size of a row group in bytes (see ROW_GROUP_ARROW_BYTES_MAX). */
  readonly rowGroupBytesMax: number;
}

/**
 * Largest row group, in bytes of its Arrow input. parquet-wasm encodes a whole input in wasm
 * memory (the IPC copy, the decoded arrays, the pages, the output), so a file is written as row
 * groups of at most this size, one parquet-wasm call each: the wasm memory a write needs is
 * bounded by about 4 times this (124 MB measured for the benchmark's rows), whatever the file
 * size; parquet-wasm's memory grows to that once and never shrinks. Java closes a row group at
 * `parquet.block.size` (128 MiB of buffered pages); a smaller `parquet.block.size` applies here
 * too (`rowGroupBytesMaxOf`), counted in Arrow bytes.
 */
export const ROW_GROUP_ARROW_BYTES_MAX = 32 * 1024 * 1024;

/** The row group bound of a table: ROW_GROUP_ARROW_BYTES_MAX, or `parquet.block.size` when smaller. */
export function rowGroupBytesMaxOf(options: TableSchema["options"]): number {
  // A Hadoop setting Paimon passes through: a plain number of bytes.
  const text = options["parquet.block.size"];
  const set = text === undefined ? NaN : Number(text.trim());
  return Number.isSafeInteger(set) && set > 0 ? Math.min(ROW_GROUP_ARROW_BYTES_MAX, set) : ROW_GROUP_ARROW_BYTES_MAX;
}

/** The settings of a data file of `schema` (compression per level, dictionary, row groups). */
export function parquetFileSettings(options: TableSchema["options"], primaryKey: boolean, level: number, compression?: ParquetCompression): ParquetFileSettings {
  const dictionary = (options["parquet.enable.dictionary"] ?? "true").toLowerCase() !== "false";
  return {
    compression: compression ?? dataFileCompression(options, primaryKey, level),
    dictionary,
    dictionaryPolicy: dictionary ? dictionarySettings(options) : null,
    rowGroupBytesMax: rowGroupBytesMaxOf(options),
  };
}

/** Leaf columns (Parquet column chunks) per top-level element of a Paimon Parquet schema. */
function leafCounts(elements: readonly ParquetSchemaElement[]): number[] {
  let at = 1;
  const walk = (): number => {
    const e = elements[at++]!;
    let leaves = e.numChildren === undefined || e.numChildren === 0 ? 1 : 0;
    for (let k = 0; k < (e.numChildren ?? 0); k++) leaves += walk();
    return leaves;
  };
  return Array.from({ length: elements[0]!.numChildren ?? 0 }, walk);
}

function encodeIpc(columns: readonly PhysicalColumn[], start: number, count: number, whole: boolean): Uint8Array {
  const arrowFields = columns.map((c) => new Field(c.field.name, c.data.type, c.field.type.nullable));
  const children = columns.map((c) => (whole ? c.data : c.data.slice(start, count)));
  const batch = new RecordBatch(new Schema(arrowFields), makeData({ type: new Struct(arrowFields), length: count, nullCount: 0, children }));
  return tableToIPC(new Table([batch]), "stream");
}

/**
 * Rows arrow-rs encodes between two checks of the page limits. 1000 divides parquet-mr's (and
 * arrow-rs's) 20,000-row page limit, so row-limited pages close at 20,000 rows as Java's do
 * (arrow-rs's default of 1024 closes them at 20,480).
 */
const WRITE_BATCH_ROWS = 1000;

function writeParquetPart(pq: ParquetWasmModule, ipc: Uint8Array, settings: ParquetFileSettings, rows: number, plainColumns: readonly string[], noStatsColumns: readonly string[]): Uint8Array {
  const { compression, dictionary } = settings;
  // ZSTD through the faster zstd wasm codec when loaded: parquet-wasm writes the pages raw and
  // parquet_zstd_pages.ts compresses each one at level 1, byte-identical to parquet-wasm's ZSTD.
  const zstd = compression === "zstd" ? loadedZstdWasmCodec() : null;
  const codec = zstd !== null ? pq.Compression.UNCOMPRESSED
    : compression === "zstd" ? pq.Compression.ZSTD : compression === "snappy" ? pq.Compression.SNAPPY : pq.Compression.UNCOMPRESSED;
  let builder = new pq.WriterPropertiesBuilder()
    .setWriterVersion(pq.WriterVersion.V1)
    .setCompression(codec)
    .setDictionaryEnabled(dictionary)
    .setEncoding(pq.Encoding.PLAIN)
    .setStatisticsEnabled(pq.EnabledStatistics.Page)
    .setMaxRowGroupSize(Math.max(1, rows))
    .setWriteBatchSize(WRITE_BATCH_ROWS);
  for (const name of noStatsColumns) builder = builder.setColumnStatisticsEnabled(name, pq.EnabledStatistics.None);
  if (dictionary) for (const name of plainColumns) builder = builder.setColumnDictionaryEnabled(name, false);
  try {
    const bytes = pq.writeParquet(pq.Table.fromIPCStream(ipc), builder.build());
    return zstd === null ? bytes : compressChunksZstd(bytes, zstd, { level: ZSTD_LEVEL_DEFAULT });
  } catch (error) {
    if (error instanceof LakeError) throw error;
    throw new LakeError("io", `${NOUN}: parquet-wasm failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Writes `columns` (the physical columns of a data file, `rowCount` rows each) as one Parquet
 * file in Java's layout: row groups of at most `settings.rowGroupBytesMax` Arrow bytes, each
 * written by parquet-wasm (data page v1, PLAIN or dictionary; statistics only for nested
 * columns), then assembled by parquet_footer.ts with Java's schema and, for flat columns,
 * parquet-mr's exact column-chunk statistics, size statistics and column indexes computed here
 * from the values and the page boundaries parquet-wasm chose. Flat columns parquet-mr would
 * write PLAIN are written PLAIN (dictionary_policy.ts, decided per row group as parquet-mr
 * does); FLOAT/DOUBLE chunks holding a NaN get no column index (parquet-mr drops it). Requires:
 * every column `rowCount` long, rowCount >= 1. Throws LakeError("io") when parquet-wasm fails.
 */
export function writeParquetFile(pq: ParquetWasmModule, columns: readonly PhysicalColumn[], rowCount: number, settings: ParquetFileSettings): Uint8Array<ArrayBuffer> {
  const fields = columns.map((c) => c.field);
  const expected = paimonParquetSchema(fields);
  const leaves = leafCounts(expected);
  let arrowBytes = 0;
  for (const c of columns) arrowBytes += c.data.byteLength;
  const groupRows = Math.max(1, Math.floor(settings.rowGroupBytesMax / Math.max(1, arrowBytes / rowCount)));
  const parts: ParquetPart[] = [];
  for (let start = 0; start < rowCount; start += groupRows) {
    const count = Math.min(groupRows, rowCount - start), end = start + count;
    const policy = settings.dictionaryPolicy;
    const plain = policy === null ? [] : columns.filter((c) => c.buffers !== null && !parquetMrKeepsDictionary(c.field.type, c.buffers, policy, start, end)).map((c) => c.field.name);
    // Flat columns: statistics, column index and size statistics are computed here, so parquet-wasm skips them.
    const noStats = columns.filter((c) => c.buffers !== null).map((c) => c.field.name);
    const bytes = writeParquetPart(pq, encodeIpc(columns, start, count, count === rowCount), settings, count, plain, noStats);
    const indexes = columns.flatMap((c, i) => c.buffers === null ? new Array<null>(leaves[i]!).fill(null) : [chunkIndexes(c.field.type, c.buffers, start, end)]);
    parts.push({ bytes, indexes });
  }
  return assembleParquetFile(parts, expected);
}

/**
 * The column index and size statistics of rows [start, end) of a flat column as parquet-mr
 * writes them, for pages starting at `pageFirstRows` (relative to `start`): level histograms of
 * a flat column are one repetition level (every row) and one (REQUIRED: every row) or two
 * (OPTIONAL: nulls, values) definition levels per page.
 */
function chunkIndexes(type: DataField["type"], c: ColumnBuffers, start: number, end: number): (pageFirstRows: readonly number[]) => ChunkIndexes {
  return (pageFirstRows) => {
    const starts = pageFirstRows.map((r) => start + r);
    const rep: number[] = [], def: number[] = [];
    const levels = (from: number, to: number, nulls: number): void => {
      rep.push(to - from);
      if (type.nullable) def.push(nulls, to - from - nulls);
      else def.push(to - from);
    };
    const pages = starts.map((s, p) => parquetChunkStats(type, c, s, p + 1 < starts.length ? starts[p + 1]! : end));
    const index = parquetPageIndex(type, pages);
    starts.forEach((s, p) => levels(s, p + 1 < starts.length ? starts[p + 1]! : end, pages[p]!.nullCount));
    const chunkRep = [end - start], chunkDef = type.nullable ? [0, 0] : [0];
    for (let p = 0; p < starts.length; p++) {
      if (type.nullable) { chunkDef[0]! += def[2 * p]!; chunkDef[1]! += def[2 * p + 1]!; } else chunkDef[0]! += def[p]!;
    }
    let unencoded: number | null = null;
    if (c.layout === "var") {
      const o = c.offsets!;
      unencoded = o[end]! - o[start]!; // null rows hold no bytes (column_buffers.ts)
    }
    return {
      columnIndex: index === null ? null : columnIndexToThrift(index, rep, def),
      sizeStatistics: sizeStatisticsToThrift(unencoded, chunkRep, chunkDef),
      statistics: combineChunkStats(type, pages),
    };
  };
}

/** The ColumnBuffers view of flat Arrow Data written by `encodeParquetArrowData` (null for nested types). */
function flatBuffers(type: DataField["type"], data: Data): ColumnBuffers | null {
  const timestamp0 = (type.root === "TIMESTAMP" || type.root === "TIMESTAMP_LTZ") && type.precision === 0; // int64 millis like p 1..3
  if (!isBufferStatsType(type) && !timestamp0) return null;
  const validity = data.nullCount > 0 && data.nullBitmap !== undefined ? data.nullBitmap as Uint8Array<ArrayBuffer> : null;
  const base = { length: data.length, nullCount: validity === null ? 0 : data.nullCount, validity };
  const values = data.values as ArrayBufferView;
  const bytes = new Uint8Array(values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
  switch (type.root) {
    case "BOOLEAN": return { ...base, layout: "bits", byteWidth: 0, data: bytes, offsets: null };
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY":
      return { ...base, layout: "var", byteWidth: 0, data: bytes, offsets: data.valueOffsets as Int32Array<ArrayBuffer> };
    default: return { ...base, layout: "fixed", byteWidth: data.length === 0 ? 0 : bytes.byteLength / data.length, data: bytes, offsets: null };
  }
}

/** Facts plus the resolved physical inputs (keys, sequence numbers, row kinds). */
interface PreparedFile {
  readonly facts: DataFileFacts;
  readonly keys: readonly (readonly Value[])[];
  readonly seq: BigInt64Array | null;
  readonly kinds: Uint8Array | null;
}

/** Checks the column count and lengths; returns the row count (at least 1). */
function checkColumns(columns: readonly (readonly Value[])[], schema: TableSchema): number {
  if (columns.length !== schema.fields.length) {
    throw new LakeError("invalid_argument", `${NOUN}: ${columns.length} columns for the ${schema.fields.length} fields of schema ${schema.id}`);
  }
  const rowCount = columns[0]?.length ?? 0;
  if (rowCount === 0) throw new LakeError("invalid_argument", `${NOUN}: a data file needs at least one row`);
  schema.fields.forEach((f, i) => checkLength(`column ${f.name}`, columns[i]!.length, rowCount));
  return rowCount;
}

function prepareDataFile(columns: readonly (readonly Value[])[], options: DataFileFactsOptions): PreparedFile {
  const { schema, primaryKey } = options;
  const level = options.level ?? 0;
  const rowCount = checkColumns(columns, schema);

  const fields = dataFileFields(schema, primaryKey);
  const modes = columnStatsModes(fields.map((f) => f.name), schema.options, dataFileStatsMode(schema.options, primaryKey, level));
  const valueModes = modes.slice(fields.length - schema.fields.length);
  const valueColumnStats = schema.fields.map((f, i) => collectColumnStats(f.type, columns[i]!, valueModes[i]!));
  const dense = optionBoolean(schema.options, "metadata.stats-dense-store")!;
  const { stats: valueStats, statsColumns: valueStatsCols } = dense
    ? encodeDenseSimpleStats(schema.fields, valueColumnStats)
    : { stats: encodeSimpleStats(schema.fields.map((f) => f.type), valueColumnStats), statsColumns: null };
  const common = { rowCount, valueStats, valueStatsCols };
  if (!primaryKey) {
    const start = options.sequenceNumberStart ?? 0n;
    const facts: DataFileFacts = {
      ...common, keyStats: EMPTY_STATS, minKey: emptySerializedBinaryRow(), maxKey: emptySerializedBinaryRow(),
      minSequenceNumber: start, maxSequenceNumber: start + BigInt(rowCount - 1), deleteRowCount: 0n,
    };
    return { facts, keys: [], seq: null, kinds: null };
  }
  if (optionBoolean(schema.options, "data-file.thin-mode")) {
    throw new LakeError("unsupported", `${NOUN}: data-file.thin-mode = true (files without _KEY_ columns, key stats from value columns) is not supported`);
  }
  const keyFields = keyColumnFields(schema);
  const keys = options.keys ?? trimmedPrimaryKeyFields(schema).map((f) => columns[schema.fields.indexOf(f)]!);
  if (keys.length !== keyFields.length) throw new LakeError("invalid_argument", `${NOUN}: ${keys.length} key columns for ${keyFields.length} trimmed primary keys`);
  keys.forEach((k, i) => checkLength(`key column ${keyFields[i]!.name}`, k.length, rowCount));
  const { seq, kinds, deleteRowCount } = keyValueFacts(options, rowCount);
  const keyTypes = keyFields.map((f) => f.type);
  const keyStats = encodeSimpleStats(keyTypes, keyFields.map((f, i) => collectColumnStats(f.type, keys[i]!, modes[i]!)));
  const [minSequenceNumber, maxSequenceNumber] = sequenceRange(seq);
  const facts: DataFileFacts = {
    ...common, keyStats, deleteRowCount, minSequenceNumber, maxSequenceNumber,
    minKey: encodeSerializedBinaryRow(keyTypes, keys.map((k) => k[0]!)),
    maxKey: encodeSerializedBinaryRow(keyTypes, keys.map((k) => k[rowCount - 1]!)),
  };
  return { facts, keys, seq, kinds };
}

/**
 * The DataFileMeta facts (statistics, min/max key, sequence range, counts) Java derives for a
 * data file of these rows, without writing it. Same inputs and errors as `writeDataFile`.
 */
export function dataFileFacts(columns: readonly (readonly Value[])[], options: DataFileFactsOptions): DataFileFacts {
  return prepareDataFile(columns, options).facts;
}

/**
 * Writes `columns` (one per field of `options.schema`, in schema order, values per values.ts)
 * as one Parquet data file (see the file header). Throws LakeError("invalid_argument") for
 * mismatched lengths, no rows, values that do not fit their types or missing primary-key
 * inputs; ("unsupported") for types, options or compressions Java would write differently
 * than we can (TIMESTAMP precision > 6, BLOB, lz4/gzip, ...).
 */
export function writeDataFile(columns: readonly (readonly Value[])[], options: WriteDataFileOptions): DataFileWriteResult {
  const { schema, primaryKey } = options;
  checkColumns(columns, schema);
  // Encode (and so validate, with row numbers in errors) the values before computing their stats.
  const encode = (f: DataField, values: readonly Value[]): PhysicalColumn => {
    const data = encodeParquetArrowData(f.type, parquetArrowType(f.type, f.name), values, f.name, null);
    return { field: f, data, buffers: flatBuffers(f.type, data) };
  };
  const valueColumns = schema.fields.map((f, i) => encode(f, columns[i]!));
  const { facts, keys, seq, kinds } = prepareDataFile(columns, options);
  const rowCount = facts.rowCount;
  let physical = valueColumns;
  if (seq !== null && kinds !== null) {
    const seqData = makeData({ type: new Int64(), length: rowCount, nullCount: 0, data: seq });
    const kindData = makeData({ type: new Int8(), length: rowCount, nullCount: 0, data: new Int8Array(kinds.buffer, kinds.byteOffset, rowCount) });
    physical = [
      ...keyColumnFields(schema).map((f, i) => encode(f, keys[i]!)),
      { field: SEQUENCE_NUMBER_FIELD, data: seqData, buffers: flatBuffers(SEQUENCE_NUMBER_FIELD.type, seqData) },
      { field: VALUE_KIND_FIELD, data: kindData, buffers: flatBuffers(VALUE_KIND_FIELD.type, kindData) },
      ...valueColumns,
    ];
  }
  const settings = parquetFileSettings(schema.options, primaryKey, options.level ?? 0, options.compression);
  return { ...facts, bytes: writeParquetFile(options.parquetWasm, physical, rowCount, settings) };
}
