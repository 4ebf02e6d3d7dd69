/**
 * Rolling data-file writer: writes one bucket's rows, already in their final order, as one or
 * more Parquet data files of about `target-file-size` each, and returns the DataFileMeta of
 * each file as Java's `KeyValueDataFileWriter` / `RowDataFileWriter` would record it.
 *
 * Rolling rule. Java writes record by record and, every 1000 records, closes the file once its
 * written size reaches the target (`RollingFileWriterImpl`), so its files end at about the
 * target and the last one holds the rest. We cannot know a Parquet file's size before writing
 * it, so: write the next chunk of rows; when the file exceeds the target (and holds more than
 * one row), measure bytes per row, cut the chunk to `floor(rows × target / size)` rows (at
 * least 1) and write that instead. Later chunks are sized from the bytes per row of the
 * previous file and are kept when at most ROLL_SLACK (5%) above the target, else cut again
 * the same way. So every file holds at least one row, all but the last are near the target
 * (a single row larger than the target makes a file of its own), and rows keep their order.
 * `target-file-row-num` caps the rows per file as in Java. Each extra write of a chunk costs
 * one more Parquet encode of it; only the first file of a call can need one in the common case,
 * and none when the caller passes a bytes-per-row estimate (`RollOptions.bytesPerRowHint`, e.g.
 * from a compaction's input files). The loop itself (`rollFiles`) is shared with the writer of
 * Arrow-layout columns (rolling_buffer_writer.ts).
 *
 * File names come from `nextFileName` (Java `DataFilePathFactory`: `<data-file.prefix><uuid>-
 * <count>.<format>`, one uuid per factory, count from 0, see `dataFileNamer`). Files go to
 * `<partitionPath>bucket-<n>/<name>` through `store.put`. A failure leaves already written
 * files behind (Java's abort deletes them; an uncommitted file is garbage either way, removed
 * by orphan-file cleaning) and is rethrown.
 *
 * `creationTime` is Java's `Timestamp.fromLocalDateTime(LocalDateTime.now())`: the wall clock
 * of the writer's local time zone read as if it were UTC (`localWallClockMs`); Java fixtures
 * written at UTC+8 show it 8 h ahead of the snapshot time.
 *
 * Not done (as Java would): file indexes (`file-index.*` options: Java adds an embedded index
 * or an extra `.index` file; our files have none, which readers accept — only pruning is
 * lost), external paths (`data-file.external-paths`), `data-file.thin-mode` (refused by the
 * Parquet writer), formats other than Parquet (LakeError("unsupported")).
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/RollingFileWriterImpl.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/KeyValueDataFileWriter.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/DataFilePathFactory.java
 *
 * Imports: errors.ts, spec/*, format/data/parquet_writer.ts, format/data/file_stats.ts,
 * format/data/parquet_wasm_loader.ts (types), io/store.ts (types).
 */
import { LakeError } from "../errors.ts";
import { optionBoolean, optionLong, optionMap, optionMemoryBytes, optionString, bytesToNumber } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import type { DataFileMeta, FileSource } from "../spec/data_file_meta.ts";
import { bucketDirName, dataFileName } from "../spec/paths.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import { writeDataFile, type DataFileWriteResult } from "../format/data/parquet_writer.ts";
import type { ParquetWasmModule } from "../format/data/parquet_wasm_loader.ts";
import { parseStatsMode } from "../format/data/file_stats.ts";
import type { ObjectStore } from "../io/store.ts";

const NOUN = "rolling file writer";

/** How far above the target a file sized from an estimate may end before it is cut again. */
export const ROLL_SLACK = 0.05;

/** Java's default `target-file-size`: 128 MiB for primary-key tables, 256 MiB for append tables. */
export const TARGET_FILE_SIZE_PK_DEFAULT_BYTES = 128 * 1024 * 1024;
/** See TARGET_FILE_SIZE_PK_DEFAULT_BYTES. */
export const TARGET_FILE_SIZE_APPEND_DEFAULT_BYTES = 256 * 1024 * 1024;

/** One bucket's rows, already in their final order (primary-key files: key ascending, unique). */
export interface SortedRows {
  readonly rowCount: number;
  /** Every table field, in schema order, each `rowCount` long (values per spec/values.ts). */
  readonly columns: readonly (readonly Value[])[];
  /** Primary-key files: the trimmed primary-key columns (default: taken from `columns`). */
  readonly keys?: readonly (readonly Value[])[];
  /** Primary-key files: `_SEQUENCE_NUMBER` per row (required). */
  readonly sequenceNumbers?: BigInt64Array;
  /** Primary-key files: RowKind byte 0..3 per row (default all +I). */
  readonly rowKinds?: Uint8Array;
  /** Append files: the first row's sequence number (rows are numbered consecutively; default 0). */
  readonly sequenceNumberStart?: bigint;
}

/** Where and how `writeRollingFiles` writes. */
export interface DataFileTarget {
  /** The table root. */
  readonly store: ObjectStore;
  /** The schema the files are written with (its id becomes `_SCHEMA_ID`). */
  readonly schema: TableSchema;
  /** "" or "dt=2024-01-01/hr=1/" (with trailing slash), from partitionPathOf. */
  readonly partitionPath: string;
  readonly bucket: number;
  /** LSM level of the files: 0 for flushes (and always 0 for append tables). */
  readonly level: number;
  /** FILE_SOURCE.APPEND for flushes, COMPACT for compaction output. */
  readonly fileSource: FileSource;
  /** An initialised parquet-wasm. */
  readonly parquet: ParquetWasmModule;
  /** Roll when a file would exceed this many bytes (`target-file-size`; see `targetFileSizeBytes`). Requires > 0. */
  readonly targetFileSizeBytes: number;
  /** The next data file name (see `dataFileNamer`). */
  readonly nextFileName: () => string;
  /** The current time, epoch milliseconds (UTC instant); creationTime derives from it. */
  readonly nowMs: () => number;
}

/**
 * Java `Timestamp.fromLocalDateTime(LocalDateTime.now())` for the instant `epochMs`: the
 * runtime's local wall-clock time read as UTC, in milliseconds (a UTC+8 zone adds 8 h).
 */
export function localWallClockMs(epochMs: number): bigint {
  return BigInt(epochMs - new Date(epochMs).getTimezoneOffset() * 60_000);
}

/**
 * Java `CoreOptions.targetFileSize(hasPrimaryKey)`: `target-file-size`, else 128 MiB for
 * primary-key tables and 256 MiB for append tables. Bytes as a number (≥ 1).
 */
export function targetFileSizeBytes(options: OptionMap, primaryKey: boolean): number {
  const set = optionMemoryBytes(options, "target-file-size");
  if (set === null) return primaryKey ? TARGET_FILE_SIZE_PK_DEFAULT_BYTES : TARGET_FILE_SIZE_APPEND_DEFAULT_BYTES;
  return Math.max(1, bytesToNumber(set));
}

/**
 * Java `DataFilePathFactory`: a namer returning `<prefix><uuid>-<count>.<format>` with one
 * `randomUuid()` per namer and count 0, 1, 2, … per call. `options` (a table's options) supply
 * `data-file.prefix` (default `data-`) and, with `file.suffix.include.compression`, the codec
 * extension of `file.compression`.
 */
export function dataFileNamer(randomUuid: () => string, format = "parquet", options: OptionMap = {}): () => string {
  const uuid = randomUuid();
  const prefix = optionString(options, "data-file.prefix")!;
  const includeCompression = optionBoolean(options, "file.suffix.include.compression")!;
  const compression = optionString(options, "file.compression") ?? undefined;
  let count = 0;
  return () => dataFileName({ prefix, uuid, count: count++, format, compression, includeCompression });
}

/**
 * The options changelog files are written with (Java `KeyValueFileWriterFactory`'s
 * `WriteFormatKey(level, isChangelog = true)`): `changelog-file.format`,
 * `changelog-file.compression` and `changelog-file.stats-mode` (no defaults) replace, when set,
 * the data-file choice (`file.format[.per.level]`, `file.compression[.per.level]`,
 * `metadata.stats-mode[.per.level]`); unset, changelog files follow the data-file options of
 * their level. `parquet.compression` still wins over both, as in Java's Parquet writer, and
 * `fields.<f>.stats-mode` still applies per column. File names keep `file.compression`'s
 * extension (Java's path factory takes it from `file.compression`). Throws
 * LakeError("unsupported") for a changelog format other than parquet or an unsupported
 * compression, ("invalid_argument") for a malformed stats mode, each naming the option.
 */
export function changelogFileOptions(options: OptionMap): OptionMap {
  const out: Record<string, string> = { ...options };
  const format = optionString(options, "changelog-file.format");
  if (format !== null) {
    if (format.toLowerCase() !== "parquet") {
      throw new LakeError("unsupported", `${NOUN}: changelog-file.format = ${JSON.stringify(format)} is not supported; only parquet changelog files are written`);
    }
    out["file.format"] = format;
    delete out["file.format.per.level"];
  }
  const compression = optionString(options, "changelog-file.compression");
  if (compression !== null) {
    if (!CHANGELOG_COMPRESSIONS.has(compression.toLowerCase())) {
      throw new LakeError("unsupported", `${NOUN}: changelog-file.compression = ${JSON.stringify(compression)} is not supported (zstd, snappy or none)`);
    }
    out["file.compression"] = compression;
    delete out["file.compression.per.level"];
  }
  const stats = optionString(options, "changelog-file.stats-mode");
  if (stats !== null) {
    parseStatsMode(stats, "changelog-file.stats-mode");
    out["metadata.stats-mode"] = stats;
    delete out["metadata.stats-mode.per.level"];
  }
  return out;
}

/** Compressions the Parquet writer produces (parquet_writer.ts `dataFileCompression`). */
const CHANGELOG_COMPRESSIONS: ReadonlySet<string> = new Set(["zstd", "snappy", "none", "uncompressed"]);

/** `target` for changelog files: the same place, its schema's options through `changelogFileOptions`. */
export function changelogTargetOf(target: DataFileTarget): DataFileTarget {
  return { ...target, schema: { ...target.schema, options: changelogFileOptions(target.schema.options) } };
}

/** Throws LakeError("unsupported") unless the files of `level` are Parquet (Java `file.format[.per.level]`). */
export function checkParquetFormat(options: OptionMap, level: number): void {
  const perLevel = optionMap(options, "file.format.per.level")[String(level)];
  const format = (perLevel ?? optionString(options, "file.format")!).toLowerCase();
  if (format !== "parquet") {
    throw new LakeError("unsupported", `${NOUN}: writing ${JSON.stringify(format)} data files (file.format${perLevel === undefined ? "" : ".per.level"}) is not supported; only parquet`);
  }
}

/** The rows [start, start + count) of `rows`, as writeDataFile inputs. */
function chunkColumns(rows: SortedRows, start: number, count: number): (readonly Value[])[] {
  if (start === 0 && count === rows.rowCount) return rows.columns as (readonly Value[])[];
  return rows.columns.map((c) => c.slice(start, start + count));
}

function writeChunk(rows: SortedRows, target: DataFileTarget, primaryKey: boolean, start: number, count: number): DataFileWriteResult {
  const whole = start === 0 && count === rows.rowCount;
  return writeDataFile(chunkColumns(rows, start, count), {
    schema: target.schema,
    primaryKey,
    parquetWasm: target.parquet,
    level: target.level,
    keys: rows.keys === undefined ? undefined : whole ? rows.keys : rows.keys.map((k) => k.slice(start, start + count)),
    sequenceNumbers: rows.sequenceNumbers === undefined ? undefined : whole ? rows.sequenceNumbers : rows.sequenceNumbers.subarray(start, start + count),
    rowKinds: rows.rowKinds === undefined ? undefined : whole ? rows.rowKinds : rows.rowKinds.subarray(start, start + count),
    sequenceNumberStart: primaryKey ? undefined : (rows.sequenceNumberStart ?? 0n) + BigInt(start),
  });
}

function metaOf(out: DataFileWriteResult, fileName: string, target: DataFileTarget): DataFileMeta {
  return {
    fileName,
    fileSize: BigInt(out.bytes.length),
    rowCount: BigInt(out.rowCount),
    minKey: out.minKey,
    maxKey: out.maxKey,
    keyStats: out.keyStats,
    valueStats: out.valueStats,
    minSequenceNumber: out.minSequenceNumber,
    maxSequenceNumber: out.maxSequenceNumber,
    schemaId: target.schema.id,
    level: target.level,
    extraFiles: [],
    creationTime: localWallClockMs(target.nowMs()),
    deleteRowCount: out.deleteRowCount,
    embeddedIndex: null,
    fileSource: target.fileSource,
    valueStatsCols: out.valueStatsCols,
    externalPath: null,
    firstRowId: null,
    writeCols: null,
    columnMaxSequenceNumbers: null,
  };
}

function checkRows(rows: SortedRows, target: DataFileTarget, primaryKey: boolean): void {
  if (!Number.isSafeInteger(rows.rowCount) || rows.rowCount < 0) throw new LakeError("invalid_argument", `${NOUN}: rowCount ${rows.rowCount} is not a count`);
  if (rows.columns.length !== target.schema.fields.length) {
    throw new LakeError("invalid_argument", `${NOUN}: ${rows.columns.length} columns for the ${target.schema.fields.length} fields of schema ${target.schema.id}`);
  }
  rows.columns.forEach((c, i) => {
    if (c.length !== rows.rowCount) throw new LakeError("invalid_argument", `${NOUN}: column ${target.schema.fields[i]!.name} has ${c.length} rows, expected ${rows.rowCount}`);
  });
  if (primaryKey && rows.sequenceNumbers === undefined) throw new LakeError("invalid_argument", `${NOUN}: primary-key files need sequenceNumbers`);
  if (!primaryKey && target.level !== 0) throw new LakeError("invalid_argument", `${NOUN}: append files are level 0, not ${target.level}`);
}

/** Options of the rolling loop beyond the target. */
export interface RollOptions {
  /** Estimated bytes per row (e.g. from the input files of a compaction); sizes the first chunk like a previous file would. */
  readonly bytesPerRowHint?: number;
}

/**
 * The rolling loop (see the file header) over any writer of row ranges: `writeChunk(start,
 * count)` encodes rows [start, start + count) as one file; the loop sizes chunks, cuts them
 * when over the target, puts each kept file under `<partitionPath>bucket-<bucket>/` and returns
 * their DataFileMeta in row order. Requires: rowCount >= 0.
 */
export async function rollFiles(
  rowCount: number, writeChunk: (start: number, count: number) => DataFileWriteResult, target: DataFileTarget, options: RollOptions = {},
): Promise<DataFileMeta[]> {
  if (rowCount === 0) return [];
  checkParquetFormat(target.schema.options, target.level);
  if (!(target.targetFileSizeBytes > 0)) throw new LakeError("invalid_argument", `${NOUN}: targetFileSizeBytes ${target.targetFileSizeBytes} must be positive`);
  const rowNum = optionLong(target.schema.options, "target-file-row-num")!;
  if (rowNum <= 0n) throw new LakeError("invalid_argument", `${NOUN}: target-file-row-num ${rowNum} must be positive`);
  const rowsPerFileMax = rowNum < BigInt(Number.MAX_SAFE_INTEGER) ? Number(rowNum) : Number.MAX_SAFE_INTEGER;
  const targetBytes = target.targetFileSizeBytes;
  const dir = `${target.partitionPath}${bucketDirName(target.bucket)}/`;
  const metas: DataFileMeta[] = [];
  const hint = options.bytesPerRowHint;
  let bytesPerRow: number | null = hint !== undefined && hint > 0 && Number.isFinite(hint) ? hint : null;
  let start = 0;
  while (start < rowCount) {
    const remaining = rowCount - start;
    let count = Math.min(remaining, rowsPerFileMax);
    if (bytesPerRow !== null) count = Math.min(count, Math.max(1, Math.floor(targetBytes / bytesPerRow)));
    let allowed = bytesPerRow === null ? targetBytes : targetBytes * (1 + ROLL_SLACK);
    let out = writeChunk(start, count);
    while (out.bytes.length > allowed && count > 1) {
      const fitted = Math.max(1, Math.floor((count * targetBytes) / out.bytes.length));
      count = Math.min(fitted, count - 1);
      allowed = targetBytes * (1 + ROLL_SLACK);
      out = writeChunk(start, count);
    }
    const fileName = target.nextFileName();
    await target.store.put(dir + fileName, out.bytes);
    metas.push(metaOf(out, fileName, target));
    bytesPerRow = out.bytes.length / count;
    start += count;
  }
  return metas;
}

/**
 * Writes `rows` as Parquet data files of about `target.targetFileSizeBytes` each (see the file
 * header for the rolling rule) under `<partitionPath>bucket-<bucket>/`, and returns their
 * DataFileMeta in row order. No rows: no file, `[]`.
 * Requires: rows in final order (primary-key files: keys ascending and unique).
 * Errors: LakeError("invalid_argument") for inconsistent inputs or values that do not fit their
 * types, ("unsupported") for non-Parquet formats and what the Parquet writer refuses, and the
 * store's errors.
 */
export async function writeRollingFiles(rows: SortedRows, target: DataFileTarget): Promise<DataFileMeta[]> {
  const primaryKey = target.schema.primaryKeys.length > 0;
  checkRows(rows, target, primaryKey);
  return rollFiles(rows.rowCount, (start, count) => writeChunk(rows, target, primaryKey, start, count), target);
}
