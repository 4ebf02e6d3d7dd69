/**
 * Rolling data-file writer over columns in Arrow layout (ColumnBuffers): the twin of
 * `writeRollingFiles` (rolling_file_writer.ts, same rolling loop and DataFileMeta) for rows
 * that are already columnar, such as the output of the columnar compaction. Each file is
 * written by `writeBufferDataFile`, which produces the same bytes and facts as the value-array
 * writer; a row range is cut out of the columns by `sliceColumn` (buffers shared where aligned).
 *
 * Invariants: rows keep their order; every file holds at least one row. Imports: errors.ts,
 * format/data (column_buffers, parquet_buffer_writer), lsm/rolling_file_writer.ts.
 * Mirrors the same Java classes as rolling_file_writer.ts.
 */
import { LakeError } from "../errors.ts";
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import { writeBufferDataFile } from "../format/data/parquet_buffer_writer.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { rollFiles, type DataFileTarget, type RollOptions } from "./rolling_file_writer.ts";

const NOUN = "rolling file writer";

/** One bucket's rows in final order, as columns (every table field, schema order). */
export interface BufferSortedRows {
  readonly rowCount: number;
  readonly columns: readonly ColumnBuffers[];
  /** Primary-key files: `_SEQUENCE_NUMBER` per row (required). */
  readonly sequenceNumbers?: BigInt64Array;
  /** Primary-key files: RowKind byte 0..3 per row (default all +I). */
  readonly rowKinds?: Uint8Array;
  /** Append files: the first row's sequence number (default 0). */
  readonly sequenceNumberStart?: bigint;
}

function sliceBits(bits: Uint8Array<ArrayBuffer>, start: number, count: number): Uint8Array<ArrayBuffer> {
  if ((start & 7) === 0) return bits.slice(start >> 3, (start + count + 7) >> 3);
  const out = new Uint8Array((count + 7) >> 3);
  for (let i = 0; i < count; i++) {
    const j = start + i;
    if ((bits[j >> 3]! & (1 << (j & 7))) !== 0) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function countNulls(validity: Uint8Array, count: number): number {
  let valid = 0;
  for (let i = 0; i < count; i++) if ((validity[i >> 3]! & (1 << (i & 7))) !== 0) valid++;
  return count - valid;
}

/**
 * Rows [start, start + count) of a column, in the same layout, every buffer starting at byte 0
 * of its own ArrayBuffer (copied; the column itself is returned when the range is all of it).
 */
export function sliceColumn(c: ColumnBuffers, start: number, count: number): ColumnBuffers {
  if (start === 0 && count === c.length) return c;
  let validity: Uint8Array<ArrayBuffer> | null = null, nullCount = 0;
  if (c.validity !== null) {
    validity = sliceBits(c.validity, start, count);
    nullCount = countNulls(validity, count);
    if (nullCount === 0) validity = null;
  }
  const base = { layout: c.layout, byteWidth: c.byteWidth, length: count, nullCount, validity };
  switch (c.layout) {
    case "fixed": return { ...base, data: c.data.slice(start * c.byteWidth, (start + count) * c.byteWidth), offsets: null };
    case "bits": return { ...base, data: sliceBits(c.data, start, count), offsets: null };
    case "var": {
      const o = c.offsets!, first = o[start]!;
      const offsets = new Int32Array(count + 1);
      for (let i = 0; i <= count; i++) offsets[i] = o[start + i]! - first;
      return { ...base, data: c.data.slice(first, o[start + count]!), offsets };
    }
  }
}

/**
 * Writes `rows` as Parquet data files of about `target.targetFileSizeBytes` each, exactly as
 * `writeRollingFiles` would write the same rows, and returns their DataFileMeta in row order.
 * `options.bytesPerRowHint` sizes the first file without a trial write. No rows: `[]`.
 * Errors: as writeRollingFiles, plus LakeError("unsupported") for column types
 * `writeBufferDataFile` does not serve.
 */
export async function writeRollingBuffers(rows: BufferSortedRows, target: DataFileTarget, options: RollOptions = {}): Promise<DataFileMeta[]> {
  const primaryKey = target.schema.primaryKeys.length > 0;
  if (rows.columns.length !== target.schema.fields.length) {
    throw new LakeError("invalid_argument", `${NOUN}: ${rows.columns.length} columns for the ${target.schema.fields.length} fields of schema ${target.schema.id}`);
  }
  rows.columns.forEach((c, i) => {
    if (c.length !== rows.rowCount) throw new LakeError("invalid_argument", `${NOUN}: column ${target.schema.fields[i]!.name} has ${c.length} rows, expected ${rows.rowCount}`);
  });
  if (primaryKey && rows.sequenceNumbers === undefined) throw new LakeError("invalid_argument", `${NOUN}: primary-key files need sequenceNumbers`);
  if (!primaryKey && target.level !== 0) throw new LakeError("invalid_argument", `${NOUN}: append files are level 0, not ${target.level}`);
  const writeChunk = (start: number, count: number) => {
    const whole = start === 0 && count === rows.rowCount;
    return writeBufferDataFile(rows.columns.map((c) => sliceColumn(c, start, count)), {
      schema: target.schema,
      primaryKey,
      parquetWasm: target.parquet,
      level: target.level,
      sequenceNumbers: rows.sequenceNumbers === undefined || whole ? rows.sequenceNumbers : rows.sequenceNumbers.subarray(start, start + count),
      rowKinds: rows.rowKinds === undefined || whole ? rows.rowKinds : rows.rowKinds.subarray(start, start + count),
      sequenceNumberStart: primaryKey ? undefined : (rows.sequenceNumberStart ?? 0n) + BigInt(start),
    });
  };
  return rollFiles(rows.rowCount, writeChunk, target, options);
}
