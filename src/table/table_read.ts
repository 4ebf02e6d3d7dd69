/**
 * Reads the rows of scan splits: fetches each data file, applies its deletion vector, merges
 * primary-key buckets with the merge engine (append buckets are concatenated), filters rows and
 * projects the requested columns.
 *
 * Mirrors Java `MergeFileSplitRead` (primary-key tables), `RawFileSplitRead` (append tables),
 * `ApplyDeletionVectorReader` and `KeyValueFileReaderFactory`'s path resolution
 * (`FileStorePathFactory`: `<partition path>/bucket-<b>/<file>`, or the file's external path):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/MergeFileSplitRead.java
 *
 * Invariants: rows come out per split in key order (primary-key) or file order (append); a row
 * is returned only when the filter is TRUE (SQL three-valued logic); every read field is from
 * the table's current schema, older files are mapped by field id (format/data).
 * Imports: spec, format (data, deletion vectors), lsm (merge reader, merge functions), kernel
 * types, table (scan, predicate, schema manager), io types.
 */
import { LakeError } from "../errors.ts";
import { readDataFile } from "../format/data/data_file_reader.ts";
import type { DataBatch } from "../format/data/data_batch.ts";
import type { DeletionVector } from "../format/deletion_vector/deletion_vector.ts";
import { readDeletionVector } from "../format/deletion_vector/deletion_vector_index_file.ts";
import type { ObjectStore } from "../io/store.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { ReducerMergeFunction, type TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { mergeReadRuns, type SortedRunBatch } from "../lsm/merge_reader.ts";
import { optionBoolean, optionString } from "../spec/core_options.ts";
import type { DataField } from "../spec/data_types.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { partitionPathOf } from "../spec/partition_values.ts";
import { bucketDirName, INDEX_DIR } from "../spec/paths.ts";
import { RowKind } from "../spec/row_kind.ts";
import { logicalPartitionType, logicalTrimmedPrimaryKeysType, type TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import { bindPredicate, evaluatePredicate, type Predicate, predicateColumns } from "./predicate.ts";
import type { DataSplit } from "./scan.ts";

/** Rows read from splits, column by column, in the requested field order. */
export interface ReadResult {
  readonly fields: readonly DataField[];
  readonly columns: Value[][];
  readonly rowCount: number;
}

/** What reading splits needs. */
export interface SplitReadOptions {
  readonly store: ObjectStore;
  /** The table's current schema. */
  readonly schema: TableSchema;
  /** Schema of a file's `_SCHEMA_ID` (cached by the caller). */
  readonly schemaById: (id: bigint) => Promise<TableSchema>;
  /** Fields to return, in order (current schema fields). */
  readonly fields: readonly DataField[];
  readonly filter?: Predicate | null;
  readonly kernel: KeyKernel;
  /** Present for primary-key tables. */
  readonly mergeFactory: TableMergeFunctionFactory | null;
}

/** Path of a data file relative to the table root, as Java computes it. */
export function dataFilePath(schema: TableSchema, split: Pick<DataSplit, "partitionValues" | "bucket">, file: DataFileMeta): string {
  if (file.externalPath !== null) {
    throw new LakeError("unsupported", `table read: data file ${file.fileName} lives at the external path ${file.externalPath}; external data paths are not supported yet`);
  }
  const partitionFields = logicalPartitionType(schema).fields;
  const dir = partitionPathOf(partitionFields, split.partitionValues, {
    legacyName: optionBoolean(schema.options, "partition.legacy-name") ?? true,
    defaultName: optionString(schema.options, "partition.default-name") ?? "__DEFAULT_PARTITION__",
  });
  return `${dir === "" ? "" : dir + "/"}${bucketDirName(split.bucket)}/${file.fileName}`;
}

async function readFile(store: ObjectStore, path: string, what: string): Promise<Uint8Array> {
  try {
    return await store.get(path);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      throw new LakeError("not_found", `table read: ${what} ${path} is listed in the snapshot but missing from storage (expired by another job, or a damaged table)`, { cause: error });
    }
    throw error;
  }
}

/** Loads the deletion vectors of a split's files (each index file fetched once). */
async function loadDeletionVectors(store: ObjectStore, schema: TableSchema, split: DataSplit): Promise<Map<string, DeletionVector>> {
  const out = new Map<string, DeletionVector>();
  if (split.deletionFiles.size === 0) return out;
  const inDataDir = optionBoolean(schema.options, "index-file-in-data-file-dir") ?? false;
  const indexFiles = new Map<string, Promise<Uint8Array>>();
  for (const [dataFile, ref] of split.deletionFiles) {
    if (!split.files.some((f) => f.fileName === dataFile)) continue;
    const path = inDataDir
      ? dataFilePath(schema, split, { fileName: ref.indexFileName, externalPath: null } as DataFileMeta)
      : `${INDEX_DIR}/${ref.indexFileName}`;
    let bytes = indexFiles.get(path);
    if (bytes === undefined) indexFiles.set(path, bytes = readFile(store, path, "deletion-vector index file"));
    out.set(dataFile, readDeletionVector(await bytes, ref.range, ref.indexFileName));
  }
  return out;
}

/** The fields to read from files: requested, plus filter columns, plus what merging needs. */
function fieldsToRead(options: SplitReadOptions): DataField[] {
  const { schema } = options;
  const names = new Set(options.fields.map((f) => f.name));
  const extra = options.filter ? predicateColumns(options.filter).filter((n) => !names.has(n)) : [];
  let fields = [...options.fields, ...extra.map((n) => {
    const f = schema.fields.find((x) => x.name === n);
    if (f === undefined) throw new LakeError("invalid_argument", `table read: filter column ${JSON.stringify(n)} is not a column of the table (columns: ${schema.fields.map((x) => x.name).join(", ")})`);
    return f;
  })];
  if (options.mergeFactory !== null) fields = options.mergeFactory.readFieldsFor(fields);
  return fields;
}

/** Reads one split into rows of `fields` (all of them), unfiltered. */
async function readSplitRows(options: SplitReadOptions, split: DataSplit, fields: readonly DataField[]): Promise<{ columns: Value[][]; rowCount: number }> {
  const { store, schema } = options;
  const dvs = await loadDeletionVectors(store, schema, split);
  const readFieldIds = fields.map((f) => f.id);
  const batches: { batch: DataBatch; file: DataFileMeta }[] = await Promise.all(split.files.map(async (file) => {
    const bytes = await readFile(store, dataFilePath(schema, split, file), "data file");
    if (BigInt(bytes.length) !== file.fileSize) {
      throw new LakeError("corruption", `table read: data file ${file.fileName} is ${bytes.length} bytes, the manifest says ${file.fileSize}`);
    }
    const batch = await readDataFile(bytes, {
      fileName: file.fileName,
      fileSchema: await options.schemaById(file.schemaId),
      readSchema: schema,
      readFieldIds,
      primaryKey: options.mergeFactory !== null,
    });
    if (BigInt(batch.rowCount) !== file.rowCount) {
      throw new LakeError("corruption", `table read: data file ${file.fileName} holds ${batch.rowCount} rows, the manifest says ${file.rowCount}`);
    }
    return { batch, file };
  }));

  if (options.mergeFactory === null) {
    const columns: Value[][] = fields.map(() => []);
    let rowCount = 0;
    for (const { batch, file } of batches) {
      const dv = dvs.get(file.fileName);
      for (let i = 0; i < batch.rowCount; i++) {
        if (dv?.isDeleted(i)) continue;
        for (let c = 0; c < fields.length; c++) columns[c]!.push(batch.columns[c]![i] ?? null);
        rowCount++;
      }
    }
    return { columns, rowCount };
  }

  const runs: SortedRunBatch[] = batches.map(({ batch, file }) => {
    const dv = dvs.get(file.fileName);
    return { batch, level: file.level, deleted: dv === undefined ? null : { has: (p: number) => dv.isDeleted(p) } };
  });
  const merged = mergeReadRuns(runs, {
    kernel: options.kernel,
    keyTypes: logicalTrimmedPrimaryKeysType(schema).fields.map((f) => f.type),
    mergeFunction: new ReducerMergeFunction(options.mergeFactory.create(fields)),
    sequenceComparator: options.mergeFactory.sequenceComparator(fields),
    dropRetracts: true,
  });
  for (const kind of merged.rowKinds) {
    if (kind !== RowKind.INSERT && kind !== RowKind.UPDATE_AFTER) throw new LakeError("corruption", `table read: merge produced row kind ${kind} in a batch read`);
  }
  return { columns: merged.columns, rowCount: merged.rowCount };
}

/** Reads, filters and projects the rows of `splits`, in split order. */
export async function readSplits(options: SplitReadOptions, splits: readonly DataSplit[]): Promise<ReadResult> {
  const fields = fieldsToRead(options);
  const filter = options.filter ? bindPredicate(options.filter, fields) : null;
  const wanted = options.fields.map((f) => fields.findIndex((x) => x.id === f.id));
  const out: Value[][] = options.fields.map(() => []);
  let rowCount = 0;
  const row: Value[] = new Array(fields.length);
  for (const split of splits) {
    const { columns, rowCount: n } = await readSplitRows(options, split, fields);
    for (let i = 0; i < n; i++) {
      if (filter !== null) {
        for (let c = 0; c < fields.length; c++) row[c] = columns[c]![i] ?? null;
        if (!evaluatePredicate(filter, row)) continue;
      }
      for (let c = 0; c < wanted.length; c++) out[c]!.push(columns[wanted[c]!]![i] ?? null);
      rowCount++;
    }
  }
  return { fields: options.fields, columns: out, rowCount };
}
