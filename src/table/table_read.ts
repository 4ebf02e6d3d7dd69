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
 * Two paths return the same rows. The general path (`readSplits`) decodes every value into the
 * value model and merges KeyValues through the table's merge function; it serves every table.
 * The columnar fast path (`readSplitsBuffers`) decodes Parquet with parquet-wasm into Arrow
 * buffers, picks each key's winner on columns (lsm/dedup_read.ts) and gathers the output
 * columns with typed-array copies (or, when every bucket is one sorted run of adds, as a
 * compacted bucket is, concatenates the files' columns: no merge, no gather). It serves a read
 * when `fastReadBlocker` finds no blocker:
 * a deduplicate primary-key table without `sequence.field` and without the lookup wrapper
 * (changelog-producer=lookup, deletion vectors, force-lookup), or any other primary-key table
 * whose every split is one sorted run of adds (see `oneRunBlocker`; only the concat strategy
 * serves it, as every key has one record), no filter, parquet-wasm loaded,
 * flat column types the fast Parquet reader serves, and per split: Parquet files only, no
 * deletion vectors, no external paths, every file written with the read fields' ids and exact
 * types (no casts). It also steps aside at run time (null) when a file decodes to an unexpected
 * Arrow layout or holds unsorted keys; the caller then uses the general path.
 *
 * Invariants: rows come out per split in key order (primary-key) or file order (append); a row
 * is returned only when the filter is TRUE (SQL three-valued logic); every read field is from
 * the table's current schema, older files are mapped by field id (format/data).
 * Imports: spec, format (data, deletion vectors), lsm (merge reader, merge functions, dedup
 * read), kernel types, table (scan, predicate, schema manager), io types.
 */
import { LakeError } from "../errors.ts";
import { gatherColumn, VAR_COLUMN_BYTES_MAX, type ColumnBuffers } from "../format/data/column_buffers.ts";
import { readDataFile } from "../format/data/data_file_reader.ts";
import { fastParquetReader, isBufferReadable, type ParquetReadModule } from "../format/data/parquet_arrow_reader.ts";
import type { DataBatch } from "../format/data/data_batch.ts";
import type { DeletionVector } from "../format/deletion_vector/deletion_vector.ts";
import { readDeletionVector } from "../format/deletion_vector/deletion_vector_index_file.ts";
import type { ObjectStore } from "../io/store.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { ReducerMergeFunction, type TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { mergeReadRuns, type SortedRunBatch } from "../lsm/merge_reader.ts";
import { readDedupBucket, type DedupBucket } from "../lsm/dedup_read.ts";
import { isColumnEncodableKeyType } from "../lsm/key_columns_encoder.ts";
import { MergeEngine } from "../spec/core_options_types.ts";
import { optionBoolean, optionString } from "../spec/core_options.ts";
import { describeType, type DataField } from "../spec/data_types.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { partitionPathOf } from "../spec/partition_values.ts";
import { bucketDirName, INDEX_DIR } from "../spec/paths.ts";
import { RowKind } from "../spec/row_kind.ts";
import { logicalPartitionType, logicalTrimmedPrimaryKeysType, trimmedPrimaryKeys, type TableSchema } from "../spec/schema.ts";
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

// ---------------------------------------------------------------------------------------------
// Columnar fast path (see the file header)

/** Rows read by the fast path: one Arrow-layout column per requested field. */
export interface BufferReadResult {
  readonly fields: readonly DataField[];
  readonly columns: readonly ColumnBuffers[];
  readonly rowCount: number;
}

function keyFieldsOf(schema: TableSchema): DataField[] {
  return trimmedPrimaryKeys(schema).map((n) => schema.fields.find((f) => f.name === n)!);
}

/** Why a file cannot be read by the fast path, or null. */
function fileBlocker(options: SplitReadOptions, split: DataSplit, file: DataFileMeta, fileSchema: TableSchema, needed: readonly DataField[]): string | null {
  if (!/\.parquet$/i.test(file.fileName)) return `${file.fileName} is not a Parquet file`;
  if (file.externalPath !== null) return `${file.fileName} lives at an external path`;
  if (split.deletionFiles.has(file.fileName)) return `${file.fileName} has a deletion vector`;
  for (const field of needed) {
    const inFile = fileSchema.fields.find((f) => f.id === field.id);
    if (inFile === undefined || describeType(inFile.type) !== describeType(field.type)) {
      return `${file.fileName} (schema ${fileSchema.id}) stores field ${field.name} with another type or not at all`;
    }
  }
  return null;
}

/**
 * Why a split of a table whose merge is more than the deduplicate pick is not known, from its
 * manifest entries, to be one sorted run of adds (one file, or files at one level above 0,
 * which never overlap; no file counting deleted rows), or null when it is. Only then does every
 * key hold one record, which the merge function returns unchanged (Java
 * `ReducerMergeFunctionWrapper`): the rows are the files' rows and no merge is needed.
 */
function oneRunBlocker(split: DataSplit): string | null {
  const files = split.files;
  if (files.length > 1 && (files[0]!.level === 0 || files.some((f) => f.level !== files[0]!.level))) {
    return `a bucket holds ${files.length} files that may overlap (levels ${[...new Set(files.map((f) => f.level))].sort((a, b) => a - b).join(", ")})`;
  }
  const retracting = files.find((f) => f.deleteRowCount !== 0n);
  if (retracting !== undefined) return `${retracting.fileName} counts ${retracting.deleteRowCount ?? "unknown"} deleted rows`;
  return null;
}

/**
 * Why the table's merge needs more than the deduplicate pick (another merge engine, the lookup
 * wrapper, `sequence.field`), or null when it does not. Such a read is served only where every
 * bucket is one sorted run of adds (`oneRunBlocker`), by the concat strategy alone.
 */
function mergeBeyondPick(options: SplitReadOptions): string | null {
  const factory = options.mergeFactory;
  if (factory === null) return null;
  if (factory.mergeEngine !== MergeEngine.DEDUPLICATE) return `merge engine ${factory.mergeEngine}`;
  if (factory.needLookup) return "the merge goes through the lookup wrapper";
  if (factory.sequenceComparator(options.fields) !== null) return "sequence.field is set";
  return null;
}

/**
 * Why the fast path does not serve this read (a sentence), or null when it does (see the file
 * header for the rule). Resolves file schemas through `options.schemaById`.
 */
export async function fastReadBlocker(options: SplitReadOptions, splits: readonly DataSplit[]): Promise<string | null> {
  const factory = options.mergeFactory;
  if (factory === null) return "append table";
  const merging = mergeBeyondPick(options);
  if (merging !== null) {
    const why = splits.map(oneRunBlocker).find((w) => w !== null);
    if (why !== undefined) return `${merging}: ${why}`;
  }
  if (options.filter) return "a filter is set";
  const keyFields = keyFieldsOf(options.schema);
  for (const f of options.fields) if (!isBufferReadable(f.type)) return `column ${f.name} has type ${describeType(f.type)}`;
  for (const f of keyFields) {
    if (!isBufferReadable(f.type) || !isColumnEncodableKeyType(f.type)) return `key ${f.name} has type ${describeType(f.type)}`;
  }
  const needed = [...options.fields, ...keyFields];
  for (const split of splits) {
    for (const file of split.files) {
      const why = fileBlocker(options, split, file, await options.schemaById(file.schemaId), needed);
      if (why !== null) return why;
    }
  }
  if ((await fastParquetReader()) === null) return "parquet-wasm is not loaded (no source registered, or loading failed)";
  return null;
}

/** Fetches and merges one split with the fast path; null when it steps aside at run time. */
async function readSplitBuffers(
  options: SplitReadOptions, parquet: ParquetReadModule, split: DataSplit, keyFields: readonly DataField[], concatOnly: boolean,
): Promise<DedupBucket | null> {
  const files = await Promise.all(split.files.map(async (file) => ({
    fileName: file.fileName,
    bytes: await readFile(options.store, dataFilePath(options.schema, split, file), "data file") as Uint8Array<ArrayBuffer>,
    fileSize: file.fileSize,
    rowCount: file.rowCount,
    fileSchema: await options.schemaById(file.schemaId),
  })));
  return readDedupBucket(files, {
    // A merge beyond the deduplicate pick is served only where no key has two records
    // (`oneRunBlocker`); the concat strategy checks that on the rows and steps aside otherwise.
    strategy: concatOnly ? "concat" : undefined,
    kernel: options.kernel,
    parquet,
    fields: options.fields,
    keyFields,
    ignoreDelete: optionBoolean(options.schema.options, "ignore-delete")!,
  });
}

/**
 * Reads `splits` with the columnar fast path: the same rows, in the same order, as
 * `readSplits`, as Arrow-layout columns. Returns null when the path does not serve the read
 * (`fastReadBlocker`, or a run-time step-aside); the caller then uses `readSplits`.
 */
export async function readSplitsBuffers(options: SplitReadOptions, splits: readonly DataSplit[]): Promise<BufferReadResult | null> {
  const parquet = await fastParquetReader();
  if (parquet === null || await fastReadBlocker(options, splits) !== null) return null;
  const keyFields = keyFieldsOf(options.schema);
  const concatOnly = mergeBeyondPick(options) !== null;
  const buckets: DedupBucket[] = [];
  let total = 0;
  for (const split of splits) {
    const bucket = await readSplitBuffers(options, parquet, split, keyFields, concatOnly);
    if (bucket === null) return null;
    buckets.push(bucket);
    total += bucket.selection.count;
  }
  // One global pick list over every file of every split, in split order (built only when a
  // column is gathered: "concat" selections are joined by copying whole columns).
  let picks: { runs: Uint32Array; rows: Uint32Array } | null = null;
  const globalPicks = (): { runs: Uint32Array; rows: Uint32Array } => {
    if (picks !== null) return picks;
    const runs = new Uint32Array(total), rows = new Uint32Array(total);
    let at = 0, base = 0;
    for (const { selection, columns } of buckets) {
      const sr = selection.runs;
      for (let i = 0; i < selection.count; i++) runs[at + i] = base + sr[i]!;
      rows.set(selection.rows.subarray(0, selection.count), at);
      at += selection.count;
      base += columns.length;
    }
    return picks = { runs, rows };
  };
  const concat = buckets.every((b) => b.selection.runOrder !== undefined);
  const columns = options.fields.map((field, c) => {
    if (concat) {
      const ordered = buckets.flatMap((b) => [...b.selection.runOrder!].map((r) => b.columns[r]![c]!));
      const joined = concatPlainColumns(ordered, total);
      if (joined !== null) return joined;
    }
    const sources = buckets.flatMap((b) => b.columns.map((fileColumns) => fileColumns[c]!));
    const { runs, rows } = globalPicks();
    return gatherColumn(sources, runs, rows, total, field.name);
  });
  return { fields: options.fields, columns, rowCount: total };
}

/**
 * The rows of `sources` one after another, when no source has nulls and the layout is "fixed"
 * or "var" (one copy per source; a single source is returned as is); null otherwise (the
 * caller gathers). Used when the merge found one sorted run ("concat" selections).
 */
function concatPlainColumns(sources: readonly ColumnBuffers[], total: number): ColumnBuffers | null {
  const first = sources[0];
  if (first === undefined || first.layout === "bits" || sources.some((s) => s.validity !== null || s.layout !== first.layout || s.byteWidth !== first.byteWidth)) return null;
  if (sources.length === 1) return first.length === total ? first : null;
  if (first.layout === "fixed") {
    const w = first.byteWidth, data = new Uint8Array(total * w);
    let at = 0;
    for (const s of sources) { data.set(s.data.subarray(0, s.length * w), at * w); at += s.length; }
    return at === total ? { layout: "fixed", byteWidth: w, length: total, nullCount: 0, validity: null, data, offsets: null } : null;
  }
  let bytes = 0;
  for (const s of sources) bytes += s.offsets![s.length]! - s.offsets![0]!;
  if (bytes > VAR_COLUMN_BYTES_MAX) return null;
  const data = new Uint8Array(bytes), offsets = new Int32Array(total + 1);
  let row = 0, pos = 0;
  for (const s of sources) {
    const o = s.offsets!, base = o[0]!;
    data.set(s.data.subarray(base, o[s.length]!), pos);
    for (let i = 1; i <= s.length; i++) offsets[row + i] = pos + o[i]! - base;
    row += s.length;
    pos += o[s.length]! - base;
  }
  return row === total ? { layout: "var", byteWidth: 0, length: total, nullCount: 0, validity: null, data, offsets } : null;
}
