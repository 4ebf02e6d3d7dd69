/**
 * The writer of one (partition, bucket) of an append table (Java `AppendOnlyWriter`): rows are
 * written in arrival order to level-0 data files holding exactly the table columns; each row
 * gets the next sequence number (files record their range), continuing from the bucket's
 * restored maximum + 1 for bucketed tables and from 0 for every new writer of an unaware-bucket
 * table (Java's `AppendFileStoreWrite` ignores previous files).
 *
 * Rows are kept column by column (lsm/write_columns.ts) until a flush (memory budget or
 * commit), then rolled into files at `target-file-size` (lsm/rolling_buffer_writer.ts, or
 * lsm/rolling_file_writer.ts for types without a buffer layout; lsm/write_output.ts). Java
 * streams rows into the open file instead; the files differ only in where they are cut.
 * No compaction runs in this writer (Java's bucketed append compaction and the unaware-bucket
 * compaction job are not implemented); files stay as written.
 *
 * Imports: spec (data_file_meta, values types), lsm (write_columns, rolling_file_writer), table
 * (commit_changes type, write/bucket_writer, write/row_router type).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/append/AppendOnlyWriter.java
 */
import { FILE_SOURCE, type DataFileMeta } from "../../spec/data_file_meta.ts";
import type { DataField } from "../../spec/data_types.ts";
import type { Value } from "../../spec/values.ts";
import type { ColumnBuffers } from "../../format/data/column_buffers.ts";
import { ColumnStore, storeKindOf, type InputBatch } from "../../lsm/write_columns.ts";
import { buffersServeTypes, outputBuffers, outputValues, type FieldOutput } from "../../lsm/write_output.ts";
import { writeRollingBuffers } from "../../lsm/rolling_buffer_writer.ts";
import { writeRollingFiles } from "../../lsm/rolling_file_writer.ts";
import type { CommitMessage } from "../commit_changes.ts";
import { BucketFileNamer, deleteQuietly, type BucketWriter, type BucketWriterContext } from "./bucket_writer.ts";
import { bucketDirName } from "../../spec/paths.ts";
import type { PartitionTarget } from "./row_router.ts";

/** Java `AppendOnlyWriter` for one (partition, bucket). */
export class AppendWriter implements BucketWriter {
  readonly target: PartitionTarget;
  readonly bucket: number;
  readonly #ctx: BucketWriterContext;
  readonly #stores: ColumnStore[];
  readonly #names: BucketFileNamer;
  #nextSequenceNumber: bigint;
  #newFiles: DataFileMeta[] = [];

  /** `restored`: the bucket's live files (empty for unaware-bucket tables, see the header). */
  constructor(ctx: BucketWriterContext, target: PartitionTarget, bucket: number, restored: readonly DataFileMeta[]) {
    this.#ctx = ctx;
    this.target = target;
    this.bucket = bucket;
    this.#stores = ctx.schema.fields.map((f: DataField) => new ColumnStore(storeKindOf(f.type)));
    this.#names = new BucketFileNamer(ctx.randomUuid, ctx.options);
    let max = -1n;
    for (const f of restored) if (f.maxSequenceNumber > max) max = f.maxSequenceNumber;
    this.#nextSequenceNumber = max + 1n;
  }

  get memoryBytes(): number {
    let bytes = 0;
    for (const s of this.#stores) bytes += s.bytes;
    return bytes;
  }

  get bufferedRowCount(): number {
    return this.#stores[0]?.length ?? 0;
  }

  /** The sequence number of the next row. */
  get nextSequenceNumber(): bigint {
    return this.#nextSequenceNumber + BigInt(this.bufferedRowCount);
  }

  append(batch: InputBatch, rows: Uint32Array | null, from: number, to: number): void {
    for (let f = 0; f < this.#stores.length; f++) {
      if (rows === null) this.#stores[f]!.appendRange(batch.columns[f]!, from, to);
      else this.#stores[f]!.appendPicked(batch.columns[f]!, rows, from, to);
    }
  }

  async flush(): Promise<void> {
    const n = this.bufferedRowCount;
    if (n === 0) return;
    const ctx = this.#ctx;
    const fields = ctx.schema.fields;
    const arrival: FieldOutput = { kind: "rows", rows: Int32Array.from({ length: n }, (_, i) => i) };
    const buffers = buffersServeTypes(fields.map((f) => f.type));
    const columns = this.#stores.map((store, f) => buffers ? outputBuffers(store, fields[f]!.type, f, arrival, n, []) : outputValues(store, f, arrival, n, []));
    const start = this.#nextSequenceNumber;
    for (const s of this.#stores) s.clear();
    this.#nextSequenceNumber = start + BigInt(n);
    const target = {
      store: ctx.store, schema: ctx.schema, partitionPath: this.target.partitionPath, bucket: this.bucket, level: 0,
      fileSource: FILE_SOURCE.APPEND, parquet: ctx.parquet, targetFileSizeBytes: ctx.targetFileSizeBytes,
      nextFileName: this.#names.nextDataFile, nowMs: ctx.nowMs,
    };
    const files = buffers
      ? await writeRollingBuffers({ rowCount: n, columns: columns as ColumnBuffers[], sequenceNumberStart: start }, target)
      : await writeRollingFiles({ rowCount: n, columns: columns as Value[][], sequenceNumberStart: start }, target);
    this.#newFiles.push(...files);
  }

  async abort(): Promise<void> {
    for (const s of this.#stores) s.clear();
    const names = this.#newFiles.map((f) => f.fileName);
    this.#newFiles = [];
    await deleteQuietly(this.#ctx.store, `${this.target.partitionPath}${bucketDirName(this.bucket)}/`, names);
  }

  async prepareCommit(): Promise<CommitMessage | null> {
    await this.flush();
    if (this.#newFiles.length === 0) return null;
    const message: CommitMessage = { partition: this.target.partition, bucket: this.bucket, totalBuckets: this.#ctx.totalBuckets, newFiles: this.#newFiles };
    this.#newFiles = [];
    return message;
  }
}
