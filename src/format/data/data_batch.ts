/**
 * DataBatch: the columnar result of reading one data file, in the table's current (read) schema.
 *
 * Shape (one batch per file, all arrays of length `rowCount`, row i is index i everywhere):
 *
 *   fields           the read fields (current schema), in request order
 *   columns[c][i]    value of fields[c] in row i (values.ts shapes; null for SQL NULL and for
 *                    columns added after the file was written)
 *   sequenceNumbers  `_SEQUENCE_NUMBER` per row (primary-key files only, else null)
 *   rowKinds         `_VALUE_KIND` RowKind byte 0..3 per row (primary-key files only, else null)
 *   keys[k][i]       trimmed primary-key column k (primary keys minus partition keys, in
 *                    primary-key order of the read schema) of row i (primary-key files only)
 *
 * Invariants: rows keep the file order (sorted by key for primary-key data files); every column
 * array has exactly `rowCount` entries; `rowKinds` holds only 0..3. There are no per-row objects:
 * consumers index the arrays.
 *
 * Mirrors the columnar batches of Java's `KeyValueDataFileRecordReader` / `ColumnarRowIterator`
 * (key, sequence number, value kind, value), flattened into arrays:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/KeyValueDataFileRecordReader.java
 *
 * Also defines the request/result types shared by the per-format column readers
 * (parquet_reader.ts, avro_data_reader.ts) and the RangeReader they read through. Column arrays
 * are read-only and may be shared (a key column and the projected value column it comes from
 * are the same array).
 *
 * Imports: spec/data_types.ts, spec/values.ts (types only).
 */
import type { DataField, DataType } from "../../spec/data_types.ts";
import type { Value } from "../../spec/values.ts";

/** The rows of one data file, column by column, in the read schema. */
export interface DataBatch {
  /** Number of rows (retractions included). */
  readonly rowCount: number;
  /** The read-schema fields the columns hold, in request order. */
  readonly fields: readonly DataField[];
  /** One array per field, each `rowCount` long. */
  readonly columns: readonly (readonly Value[])[];
  /** `_SEQUENCE_NUMBER` per row, or null for append-table files. */
  readonly sequenceNumbers: BigInt64Array | null;
  /** `_VALUE_KIND` (RowKind byte 0..3) per row, or null for append-table files. */
  readonly rowKinds: Uint8Array | null;
  /** Trimmed primary-key columns in primary-key order, or null for append-table files. */
  readonly keys: readonly (readonly Value[])[] | null;
}

/**
 * Random access to the bytes of one immutable file: the structural twin of io's `RangeReader`
 * (the format layer never imports io; an io reader satisfies this type as is).
 */
export interface RangeReader {
  /** Total size in bytes. */
  readonly sizeBytes: number;
  /** Reads exactly `[offset, offset + lengthBytes)`; the caller owns the result. */
  read(offset: number, lengthBytes: number): Promise<Uint8Array>;
}

/** One column a file reader is asked for: its name in the file and the Paimon type it was written as. */
export interface FileColumnRequest {
  readonly name: string;
  readonly type: DataType;
}

/** What a file reader returns for a list of `FileColumnRequest`s. */
export interface FileColumns {
  readonly rowCount: number;
  /** One entry per request: `rowCount` values, or undefined when the file has no such column. */
  readonly columns: readonly (Value[] | undefined)[];
}

/**
 * Row `rowIndex` of `batch` as an array of column values, for tests, tools and slow paths.
 * Requires: 0 <= rowIndex < batch.rowCount. Allocates: do not use in per-row hot loops.
 */
export function dataBatchRow(batch: DataBatch, rowIndex: number): Value[] {
  return batch.columns.map((column) => column[rowIndex] ?? null);
}

/**
 * Trimmed primary key of row `rowIndex` as an array, or null for append-table batches.
 * Requires: 0 <= rowIndex < batch.rowCount. Allocates (tests and slow paths only).
 */
export function dataBatchKey(batch: DataBatch, rowIndex: number): Value[] | null {
  return batch.keys === null ? null : batch.keys.map((column) => column[rowIndex] ?? null);
}
