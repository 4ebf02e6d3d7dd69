/**
 * Reads the rows of streaming and incremental plans, with their row kinds:
 *  - `readRawFiles`: the files of one bucket concatenated, each record as written (no merge,
 *    retractions kept, `_VALUE_KIND` as the row kind; append files are all +I). This is Java's
 *    read of streaming splits (`MergeFileSplitRead#createNoMergeReader`, chosen when
 *    `DataSplit.isStreaming()`), used for delta files, changelog files and incremental ranges.
 *  - `readMergedSplit`: one bucket of a snapshot merged with the merge engine, each key's
 *    result with its row kind (+I/+U, and -U/-D only with `keepDelete`, Java `forceKeepDelete`
 *    as `$audit_log` reads), deletion vectors applied (Java `MergeFileSplitRead#createMergeReader`).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/MergeFileSplitRead.java
 *
 * Two ways to hold a raw file's rows, same rows either way: Arrow-layout buffers decoded by
 * parquet-wasm (when `columnar` is asked, parquet-wasm is loaded, the file is Parquet without
 * deletion vector and stores every read field with the read type), else the value model
 * (format/data `readDataFile`, which also maps older schemas by field id).
 *
 * Invariants: a file's byte size and row count are checked against its manifest entry
 * (LakeError("corruption") naming the file); a file listed but missing is LakeError("not_found")
 * naming the path; rows keep file order, files keep the given order.
 * Imports: errors.ts, io/store.ts (types), kernel (types), spec, format (data, deletion
 * vectors), lsm (merge reader, merge functions), table (scan, table_read types/paths),
 * stream/change_batch.ts.
 */
import { LakeError } from "../errors.ts";
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import { readDataFile, VALUE_KIND_COLUMN } from "../format/data/data_file_reader.ts";
import { fastParquetReader, isBufferReadable, readParquetBuffers, type ParquetReadModule } from "../format/data/parquet_arrow_reader.ts";
import type { DeletionVector } from "../format/deletion_vector/deletion_vector.ts";
import { readDeletionVector } from "../format/deletion_vector/deletion_vector_index_file.ts";
import type { ObjectStore } from "../io/store.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { ReducerMergeFunction, type TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { mergeReadRuns, type SortedRunBatch } from "../lsm/merge_reader.ts";
import { optionBoolean } from "../spec/core_options.ts";
import { atomic, describeType, type DataField } from "../spec/data_types.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { INDEX_DIR } from "../spec/paths.ts";
import { logicalTrimmedPrimaryKeysType, type TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import type { DataSplit } from "../table/scan.ts";
import { dataFilePath } from "../table/table_read.ts";
import { valuePart, type ChangePart } from "./change_batch.ts";

/** What reading needs from a table handle (an `api/table.ts` Table satisfies it). */
export interface StreamTableContext {
  readonly store: ObjectStore;
  /** The schema rows are read in (the table's current schema). */
  readonly schema: TableSchema;
  /** The schema of a file's `_SCHEMA_ID`. */
  schemaById(id: bigint): Promise<TableSchema>;
}

/** The files of one (partition, bucket), in read order. */
export interface BucketFiles {
  readonly partition: Uint8Array;
  readonly partitionValues: Value[];
  readonly bucket: number;
  readonly files: readonly DataFileMeta[];
}

/** How to read: the output fields and whether Arrow-layout buffers are wanted. */
export interface ChangeReadOptions {
  readonly context: StreamTableContext;
  /** Output fields (of `context.schema`), in order. */
  readonly fields: readonly DataField[];
  /** True to decode Parquet into buffers where possible (Arrow output); false for values. */
  readonly columnar: boolean;
}

const KIND_TYPE = atomic("TINYINT", { nullable: false });

/** File bytes fetched ahead by path (stream read-ahead); a failed fetch is retried directly. */
export type PrefetchedBytes = ReadonlyMap<string, Promise<Uint8Array>>;

async function fetchFile(store: ObjectStore, path: string, file: DataFileMeta, prefetched?: PrefetchedBytes): Promise<Uint8Array<ArrayBuffer>> {
  let bytes: Uint8Array;
  try {
    const ahead = prefetched?.get(path);
    bytes = ahead === undefined ? await store.get(path) : await ahead.catch(() => store.get(path));
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      throw new LakeError("not_found", `stream read: data file ${path} is listed in the snapshot but missing from storage (expired by another job, or a damaged table)`, { cause: error });
    }
    throw error;
  }
  if (BigInt(bytes.length) !== file.fileSize) {
    throw new LakeError("corruption", `stream read: data file ${file.fileName} is ${bytes.length} bytes, the manifest says ${file.fileSize}`);
  }
  return bytes as Uint8Array<ArrayBuffer>;
}

function checkRowCount(file: DataFileMeta, rowCount: number): void {
  if (BigInt(rowCount) !== file.rowCount) {
    throw new LakeError("corruption", `stream read: data file ${file.fileName} holds ${rowCount} rows, the manifest says ${file.rowCount}`);
  }
}

/** Row kinds of a `_VALUE_KIND` buffer column, checked (no nulls, 0..3). */
function kindsOf(file: DataFileMeta, column: ColumnBuffers, rowCount: number): Uint8Array {
  if (column.nullCount > 0) throw new LakeError("corruption", `stream read: data file ${file.fileName}: ${VALUE_KIND_COLUMN} holds ${column.nullCount} nulls`);
  const kinds = column.data.slice(0, rowCount);
  for (let i = 0; i < rowCount; i++) {
    if (kinds[i]! > 3) throw new LakeError("corruption", `stream read: data file ${file.fileName} row ${i}: ${VALUE_KIND_COLUMN} ${(kinds[i]! << 24) >> 24} is not a row kind (0..3)`);
  }
  return kinds;
}

/** The file's rows as buffers, or null when the columnar path does not serve the file. */
async function readFileBuffers(options: ChangeReadOptions, parquet: ParquetReadModule, file: DataFileMeta, bytes: Uint8Array<ArrayBuffer>, primaryKey: boolean): Promise<ChangePart | null> {
  if (!/\.parquet$/i.test(file.fileName)) return null;
  const fileSchema = await options.context.schemaById(file.schemaId);
  const requests = [];
  for (const field of options.fields) {
    const inFile = fileSchema.fields.find((f) => f.id === field.id);
    if (inFile === undefined || !isBufferReadable(field.type) || describeType(inFile.type) !== describeType(field.type)) return null;
    requests.push({ name: inFile.name, type: inFile.type });
  }
  if (primaryKey) requests.push({ name: VALUE_KIND_COLUMN, type: KIND_TYPE });
  const read = await readParquetBuffers(parquet, bytes, requests, { fileName: file.fileName });
  if (read === null) return null;
  checkRowCount(file, read.rowCount);
  const n = options.fields.length;
  return {
    rowCount: read.rowCount,
    rowKinds: primaryKey ? kindsOf(file, read.columns[n]!, read.rowCount) : new Uint8Array(read.rowCount),
    values: null,
    buffers: read.columns.slice(0, n),
  };
}

/** The file's rows as values, minus rows a deletion vector deletes. */
async function readFileValues(options: ChangeReadOptions, file: DataFileMeta, bytes: Uint8Array, primaryKey: boolean, dv: DeletionVector | undefined): Promise<ChangePart> {
  const { context, fields } = options;
  const batch = await readDataFile(bytes, {
    fileName: file.fileName,
    fileSchema: await context.schemaById(file.schemaId),
    readSchema: context.schema,
    readFieldIds: fields.map((f) => f.id),
    primaryKey,
  });
  checkRowCount(file, batch.rowCount);
  if (dv === undefined) return valuePart(batch.columns, batch.rowCount, batch.rowKinds === null ? null : batch.rowKinds.slice());
  const columns: Value[][] = fields.map(() => []);
  const kinds: number[] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    if (dv.isDeleted(i)) continue;
    for (let c = 0; c < fields.length; c++) columns[c]!.push(batch.columns[c]![i] ?? null);
    kinds.push(batch.rowKinds === null ? 0 : batch.rowKinds[i]!);
  }
  return valuePart(columns, kinds.length, Uint8Array.from(kinds));
}

/**
 * Reads every file of `bucket` as written: one part per file, in order, records with their
 * row kinds. `deletionVectors` (by data file name) drop deleted positions (batch reads of
 * append tables); streaming reads pass none, as Java attaches none to streaming splits.
 * `prefetched` holds file bytes a read-ahead already requested.
 */
export async function readRawFiles(options: ChangeReadOptions, bucket: BucketFiles, deletionVectors: ReadonlyMap<string, DeletionVector> = new Map(), prefetched?: PrefetchedBytes): Promise<ChangePart[]> {
  const { context } = options;
  const primaryKey = context.schema.primaryKeys.length > 0;
  const parquet = options.columnar ? await fastParquetReader() : null;
  return Promise.all(bucket.files.map(async (file) => {
    const bytes = await fetchFile(context.store, dataFilePath(context.schema, bucket, file), file, prefetched);
    const dv = deletionVectors.get(file.fileName);
    if (parquet !== null && dv === undefined) {
      const part = await readFileBuffers(options, parquet, file, bytes, primaryKey);
      if (part !== null) return part;
    }
    return readFileValues(options, file, bytes, primaryKey, dv);
  }));
}

/** Loads the deletion vectors of a split's files (each index file fetched once). */
export async function loadSplitDeletionVectors(store: ObjectStore, schema: TableSchema, split: DataSplit): Promise<Map<string, DeletionVector>> {
  const out = new Map<string, DeletionVector>();
  const inDataDir = optionBoolean(schema.options, "index-file-in-data-file-dir") ?? false;
  const indexFiles = new Map<string, Promise<Uint8Array>>();
  for (const [dataFile, ref] of split.deletionFiles) {
    if (!split.files.some((f) => f.fileName === dataFile)) continue;
    const path = inDataDir
      ? dataFilePath(schema, split, { fileName: ref.indexFileName, externalPath: null } as DataFileMeta)
      : `${INDEX_DIR}/${ref.indexFileName}`;
    let bytes = indexFiles.get(path);
    if (bytes === undefined) {
      indexFiles.set(path, bytes = store.get(path).catch((error: unknown) => {
        if (error instanceof LakeError && error.code === "not_found") {
          throw new LakeError("not_found", `stream read: deletion-vector index file ${path} is listed in the snapshot but missing from storage`, { cause: error });
        }
        throw error;
      }));
    }
    out.set(dataFile, readDeletionVector(await bytes, ref.range, ref.indexFileName));
  }
  return out;
}

/** What a merged read needs besides the split. */
export interface MergedReadOptions {
  readonly kernel: KeyKernel;
  readonly mergeFactory: TableMergeFunctionFactory;
  /** Keep results whose kind is -U/-D (Java `forceKeepDelete`); false drops them (`DropDeleteReader`). */
  readonly keepDelete: boolean;
}

/**
 * Merges one bucket of a primary-key snapshot and returns each key's result with its kind,
 * in key order, projected to `options.fields`.
 */
export async function readMergedSplit(options: ChangeReadOptions, split: DataSplit, merge: MergedReadOptions): Promise<ChangePart> {
  const { context } = options;
  const readFields = merge.mergeFactory.readFieldsFor(options.fields);
  const dvs = await loadSplitDeletionVectors(context.store, context.schema, split);
  const runs: SortedRunBatch[] = await Promise.all(split.files.map(async (file) => {
    const bytes = await fetchFile(context.store, dataFilePath(context.schema, split, file), file);
    const batch = await readDataFile(bytes, {
      fileName: file.fileName,
      fileSchema: await context.schemaById(file.schemaId),
      readSchema: context.schema,
      readFieldIds: readFields.map((f) => f.id),
      primaryKey: true,
    });
    checkRowCount(file, batch.rowCount);
    const dv = dvs.get(file.fileName);
    return { batch, level: file.level, deleted: dv === undefined ? null : { has: (p: number) => dv.isDeleted(p) } };
  }));
  const merged = mergeReadRuns(runs, {
    kernel: merge.kernel,
    keyTypes: logicalTrimmedPrimaryKeysType(context.schema).fields.map((f) => f.type),
    mergeFunction: new ReducerMergeFunction(merge.mergeFactory.create(readFields)),
    sequenceComparator: merge.mergeFactory.sequenceComparator(readFields),
    dropRetracts: !merge.keepDelete,
  });
  const wanted = options.fields.map((f) => readFields.findIndex((x) => x.id === f.id));
  const values = wanted.map((c) => merged.rowCount === 0 ? [] : merged.columns[c]!);
  return valuePart(values, merged.rowCount, Uint8Array.from(merged.rowKinds));
}
