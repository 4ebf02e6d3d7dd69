/**
 * The columnar merge-on-read of one bucket of a deduplicate table: decodes each data file's
 * needed columns with the fast Parquet reader (Arrow buffers), checks the system columns, and
 * picks each key's winner with dedup_merge.ts. The caller gathers the output columns.
 *
 * Scope (the caller's rule, see table/table_read.ts `fastReadBlocker`): Parquet files whose
 * needed fields carry the read schema's ids and exact types (no casts), flat types the fast
 * reader serves, no deletion vectors. At run time it returns null — the caller then reads the
 * bucket with the general path — when a column is missing under its exact name or decodes to an
 * unexpected Arrow layout, when a file's keys are not ascending, or when a forced strategy
 * (`strategy`: "concat" where the merge is more than the deduplicate pick) does not apply.
 *
 * Invariants: a file's byte size, row count, `_SEQUENCE_NUMBER` (no nulls) and `_VALUE_KIND`
 * (0..3, no nulls) are checked as the general reader checks them (LakeError("corruption")
 * naming the file). Keys are taken from the value columns of the trimmed primary key, by
 * field id, as the general reader does (Java `FormatReaderMapping.trimKeyFields`).
 * Imports: errors.ts, kernel (types), spec (data_types, schema), format/data (column_buffers,
 * parquet_arrow_reader, data_file_reader constants), lsm/dedup_merge.ts.
 * Mirrors Java `MergeFileSplitRead` for the deduplicate engine.
 */
import { LakeError } from "../errors.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { atomic, type DataField } from "../spec/data_types.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import { SEQUENCE_NUMBER_COLUMN, VALUE_KIND_COLUMN } from "../format/data/data_file_reader.ts";
import { readParquetBuffers, type BufferColumnRequest, type ParquetReadModule } from "../format/data/parquet_arrow_reader.ts";
import { dedupMergeRuns, type DedupRun, type DedupSelection, type DedupStrategy } from "./dedup_merge.ts";

/** One data file of the bucket, fetched. */
export interface DedupFile {
  readonly fileName: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Size and row count from the manifest, checked against the file. */
  readonly fileSize: bigint;
  readonly rowCount: bigint;
  /** The schema the file was written with. */
  readonly fileSchema: TableSchema;
}

/** What the bucket read needs besides its files. */
export interface DedupReadOptions {
  readonly kernel: KeyKernel;
  /** The initialised parquet-wasm (`fastParquetReader()`). */
  readonly parquet: ParquetReadModule;
  /** Fields to return (read schema), in order. */
  readonly fields: readonly DataField[];
  /** Trimmed primary-key fields of the read schema, in primary-key order. */
  readonly keyFields: readonly DataField[];
  readonly ignoreDelete: boolean;
  /**
   * Only this strategy (dedup_merge.ts), else null. "concat" serves merges beyond the
   * deduplicate pick: when every key has one record, every merge returns it unchanged.
   */
  readonly strategy?: DedupStrategy;
}

/** The bucket's winners and, per file, the output columns to gather them from. */
export interface DedupBucket {
  readonly selection: DedupSelection;
  /** `columns[f][c]`: output field c of file f. */
  readonly columns: readonly (readonly ColumnBuffers[])[];
}

const SEQUENCE_TYPE = atomic("BIGINT", { nullable: false });
const KIND_TYPE = atomic("TINYINT", { nullable: false });

function corrupt(fileName: string, why: string): LakeError {
  return new LakeError("corruption", `data file: ${fileName}: ${why}`);
}

/** The request of a read-schema field in a file: its name there (by field id). */
function requestOf(field: DataField, file: DedupFile): BufferColumnRequest {
  const inFile = file.fileSchema.fields.find((f) => f.id === field.id);
  if (inFile === undefined) throw new LakeError("invalid_argument", `merge read: field ${field.name} (id ${field.id}) is not in schema ${file.fileSchema.id} of ${file.fileName}; the caller's rule admits only files holding every read field`);
  return { name: inFile.name, type: inFile.type };
}

function checkSystemColumns(file: DedupFile, seq: ColumnBuffers, kinds: ColumnBuffers): void {
  if (seq.nullCount > 0) throw corrupt(file.fileName, `${SEQUENCE_NUMBER_COLUMN} holds ${seq.nullCount} nulls`);
  if (kinds.nullCount > 0) throw corrupt(file.fileName, `${VALUE_KIND_COLUMN} holds ${kinds.nullCount} nulls`);
  const d = kinds.data;
  for (let i = 0; i < kinds.length; i++) {
    if (d[i]! > 3) throw corrupt(file.fileName, `row ${i}: ${VALUE_KIND_COLUMN} ${(d[i]! << 24) >> 24} is not a row kind (0..3)`);
  }
}

/** Decodes one file's columns into a run and its output columns, or null (see the header). */
async function decodeFile(file: DedupFile, options: DedupReadOptions): Promise<{ run: DedupRun; columns: ColumnBuffers[] } | null> {
  if (BigInt(file.bytes.length) !== file.fileSize) {
    throw corrupt(file.fileName, `${file.bytes.length} bytes, the manifest says ${file.fileSize}`);
  }
  const requests = [
    ...options.fields.map((f) => requestOf(f, file)),
    ...options.keyFields.map((f) => requestOf(f, file)),
    { name: SEQUENCE_NUMBER_COLUMN, type: SEQUENCE_TYPE },
    { name: VALUE_KIND_COLUMN, type: KIND_TYPE },
  ];
  const read = await readParquetBuffers(options.parquet, file.bytes, requests, { fileName: file.fileName });
  if (read === null) return null;
  if (BigInt(read.rowCount) !== file.rowCount) {
    throw corrupt(file.fileName, `holds ${read.rowCount} rows, the manifest says ${file.rowCount}`);
  }
  const nf = options.fields.length, nk = options.keyFields.length;
  const seq = read.columns[nf + nk]!, kinds = read.columns[nf + nk + 1]!;
  checkSystemColumns(file, seq, kinds);
  return {
    run: { rowCount: read.rowCount, keys: read.columns.slice(nf, nf + nk), sequenceNumbers: seq, rowKinds: kinds },
    columns: read.columns.slice(0, nf),
  };
}

/**
 * Reads one bucket: decodes `files` (the bucket's live files, in the split's order: the merge
 * breaks ties by this order exactly as the general reader does) and selects each key's winner.
 * Returns null when the fast read cannot serve the bucket at run time (see the file header).
 */
export async function readDedupBucket(files: readonly DedupFile[], options: DedupReadOptions): Promise<DedupBucket | null> {
  const runs: DedupRun[] = [];
  const columns: ColumnBuffers[][] = [];
  for (const file of files) {
    const decoded = await decodeFile(file, options);
    if (decoded === null) return null;
    runs.push(decoded.run);
    columns.push(decoded.columns);
  }
  const selection = dedupMergeRuns(runs, {
    kernel: options.kernel,
    keyTypes: options.keyFields.map((f) => f.type),
    ignoreDelete: options.ignoreDelete,
    ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
  });
  return selection === null ? null : { selection, columns };
}
