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
 * only changes the file size, not its content), snappy or none. Footer statistics are on
 * (other engines prune with them), except for top-level FLOAT/DOUBLE columns holding NaN,
 * where Parquet writers disagree on NaN and we write none.
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
 * Imports: apache-arrow, errors.ts, spec/*, data_file_fields.ts, file_stats.ts, parquet_arrow.ts,
 * parquet_footer.ts, parquet_schema.ts, parquet_wasm_loader.ts (types).
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
import { dataFileFields, keyColumnFields, trimmedPrimaryKeyFields } from "./data_file_fields.ts";
import { collectColumnStats, columnStatsModes, dataFileStatsMode } from "./file_stats.ts";
import { encodeParquetArrowData, parquetArrowType } from "./parquet_arrow.ts";
import { rewriteParquetFooter } from "./parquet_footer.ts";
import { paimonParquetSchema } from "./parquet_schema.ts";
import type { ParquetWasmModule } from "./parquet_wasm_loader.ts";

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

function encodeArrow(fields: readonly DataField[], columns: readonly (readonly Value[] | Data)[], rowCount: number): Uint8Array {
  const arrowFields: Field[] = [];
  const children: Data[] = [];
  fields.forEach((f, i) => {
    const column = columns[i]!;
    const type = parquetArrowType(f.type, f.name);
    arrowFields.push(new Field(f.name, type, f.type.nullable));
    children.push(Array.isArray(column) ? encodeParquetArrowData(f.type, type, column as readonly Value[], f.name, null) : column as Data);
  });
  const batch = new RecordBatch(new Schema(arrowFields), makeData({ type: new Struct(arrowFields), length: rowCount, nullCount: 0, children }));
  return tableToIPC(new Table([batch]), "stream");
}

/** Names of the FLOAT/DOUBLE columns among `fields` whose values hold a NaN. */
function nanColumns(fields: readonly DataField[], columns: readonly (readonly Value[])[]): string[] {
  return fields.filter((f, i) => (f.type.root === "FLOAT" || f.type.root === "DOUBLE") &&
    columns[i]!.some((v) => typeof v === "number" && Number.isNaN(v))).map((f) => f.name);
}

function writeParquetBytes(pq: ParquetWasmModule, ipc: Uint8Array, compression: ParquetCompression, dictionary: boolean, noStatsColumns: readonly string[]): Uint8Array {
  let builder = new pq.WriterPropertiesBuilder()
    .setWriterVersion(pq.WriterVersion.V1)
    .setCompression(compression === "zstd" ? pq.Compression.ZSTD : compression === "snappy" ? pq.Compression.SNAPPY : pq.Compression.UNCOMPRESSED)
    .setDictionaryEnabled(dictionary)
    .setEncoding(pq.Encoding.PLAIN)
    .setStatisticsEnabled(pq.EnabledStatistics.Page);
  for (const name of noStatsColumns) builder = builder.setColumnStatisticsEnabled(name, pq.EnabledStatistics.None);
  try {
    return pq.writeParquet(pq.Table.fromIPCStream(ipc), builder.build());
  } catch (error) {
    throw new LakeError("io", `${NOUN}: parquet-wasm failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
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
  const valueData = schema.fields.map((f, i) => encodeParquetArrowData(f.type, parquetArrowType(f.type, f.name), columns[i]!, f.name, null));
  const { facts, keys, seq, kinds } = prepareDataFile(columns, options);
  const rowCount = facts.rowCount;
  const fields = dataFileFields(schema, primaryKey);
  let physical: (readonly Value[] | Data)[] = valueData;
  if (seq !== null && kinds !== null) {
    const seqData = makeData({ type: new Int64(), length: rowCount, nullCount: 0, data: seq });
    const kindData = makeData({ type: new Int8(), length: rowCount, nullCount: 0, data: new Int8Array(kinds.buffer, kinds.byteOffset, rowCount) });
    physical = [...keys, seqData, kindData, ...valueData];
  }
  const compression = options.compression ?? dataFileCompression(schema.options, primaryKey, options.level ?? 0);
  const dictionary = (schema.options["parquet.enable.dictionary"] ?? "true").toLowerCase() !== "false";
  const noStats = [...nanColumns(schema.fields, columns), ...(primaryKey ? nanColumns(keyColumnFields(schema), keys) : [])];
  const written = writeParquetBytes(options.parquetWasm, encodeArrow(fields, physical, rowCount), compression, dictionary, noStats);
  return { ...facts, bytes: rewriteParquetFooter(written, paimonParquetSchema(fields)) };
}
