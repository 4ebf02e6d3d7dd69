// Test helper (not a test file): writes real tables through lakestate's lower layers, the way a
// writer job does it, for the interop tests to hand to python3-avro, DuckDB and the Java layout
// comparison. Rows are routed to partitions (Java's partition path) and fixed buckets (Java's
// bucket hash over the bucket key), each (partition, bucket) gets its rows as one level-0
// Parquet file from writeDataFile (primary-key files: one row per key, key order, the last
// change of a key wins as the deduplicate write buffer keeps it; append files: arrival order),
// sequence numbers continue from each bucket's maximum, and the files are committed with
// commitChanges as one APPEND snapshot per call. `compactBucket` rewrites a bucket's live files
// into one file at the top level (deletes dropped) as a COMPACT snapshot, optionally with a
// deletion-vector index file, so manifests carry DELETE entries and an index manifest exists.
// Every file written is remembered with the exact rows, sequence numbers and row kinds it holds.
// Method: composition of spec/, format/ and table/commit.ts only; no assertions of its own.
import { writeDataFile } from "../../src/format/data/parquet_writer.ts";
import type { ParquetWasmModule } from "../../src/format/data/parquet_wasm_loader.ts";
import { deletionVectorOf } from "../../src/format/deletion_vector/deletion_vector.ts";
import { encodeDeletionVectorIndexFile } from "../../src/format/deletion_vector/deletion_vector_index_file.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import { encodeSerializedBinaryRow } from "../../src/spec/binary_row.ts";
import { fixedBucket } from "../../src/spec/bucket.ts";
import { CoreOptions } from "../../src/spec/core_options_view.ts";
import type { DataFileMeta } from "../../src/spec/data_file_meta.ts";
import type { IndexFileMeta } from "../../src/spec/index_manifest_entry.ts";
import { createKeyCodec } from "../../src/spec/key_codec.ts";
import { partitionPathOf } from "../../src/spec/partition_values.ts";
import { bucketDirName, dataFileName, indexFileName } from "../../src/spec/paths.ts";
import { RowKind } from "../../src/spec/row_kind.ts";
import { bucketKeys, encodeTableSchema, logicalPartitionType, trimmedPrimaryKeys, type TableSchema } from "../../src/spec/schema.ts";
import type { Value } from "../../src/spec/values.ts";
import { compareBytes, toHex, utf8Encode } from "../../src/util/bytes.ts";
import { commitChanges, type CommitMessage, type CommitResult } from "../../src/table/commit.ts";

/** One row change: the row (every table field, schema order) and its kind (default +I). */
export interface RowChange {
  readonly row: readonly Value[];
  readonly kind?: RowKind;
}

/** A data file this helper wrote, with exactly what it holds. */
export interface WrittenDataFile {
  /** Path relative to the table root. */
  readonly path: string;
  readonly partition: readonly Value[];
  readonly bucket: number;
  readonly meta: DataFileMeta;
  /** Table columns, schema order. */
  readonly columns: readonly (readonly Value[])[];
  readonly sequenceNumbers: readonly bigint[];
  readonly rowKinds: readonly number[];
}

/** An index file this helper wrote. */
export interface WrittenIndexFile {
  readonly path: string;
  readonly partition: readonly Value[];
  readonly bucket: number;
  readonly meta: IndexFileMeta;
}

/** Deterministic UUIDs (version-4 shaped): `<tag:8>-0000-4000-8000-<counter:12>`. */
export function uuidSource(tag: string): () => string {
  let n = 0;
  return () => `${tag.padEnd(8, "0").slice(0, 8)}-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;
}

interface BucketState {
  readonly partition: readonly Value[];
  readonly bucket: number;
  nextSequence: bigint;
  live: WrittenDataFile[];
  readonly uuid: string;
  fileCount: number;
}

/** Java `Timestamp.fromLocalDateTime(LocalDateTime.now())`: local wall clock read as UTC. */
function localWallClockMs(epochMs: number): bigint {
  return BigInt(epochMs - new Date(epochMs).getTimezoneOffset() * 60_000);
}

/** Writes and commits tables as described in the file header. */
export class CommitPathTable {
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  readonly files: WrittenDataFile[] = [];
  readonly indexFiles: WrittenIndexFile[] = [];
  readonly #pq: ParquetWasmModule;
  readonly #uuid: () => string;
  readonly #nowMs: () => number;
  readonly #commitUser: string;
  readonly #core: CoreOptions;
  readonly #buckets = new Map<string, BucketState>();
  readonly #primaryKey: boolean;

  constructor(store: ObjectStore, schema: TableSchema, pq: ParquetWasmModule, options: { commitUser: string; randomUuid: () => string; nowMs: () => number }) {
    this.store = store;
    this.schema = schema;
    this.#pq = pq;
    this.#uuid = options.randomUuid;
    this.#nowMs = options.nowMs;
    this.#commitUser = options.commitUser;
    this.#core = new CoreOptions(schema.options);
    this.#primaryKey = schema.primaryKeys.length > 0;
  }

  /** Writes `schema/schema-<id>` (what CREATE TABLE leaves on disk). */
  async createSchemaFile(): Promise<void> {
    await this.store.put(`schema/schema-${this.schema.id}`, utf8Encode(encodeTableSchema(this.schema)));
  }

  #index(names: readonly string[]): number[] {
    return names.map((n) => this.schema.fields.findIndex((f) => f.name === n));
  }

  #partitionPath(partition: readonly Value[]): string {
    const dir = partitionPathOf(logicalPartitionType(this.schema).fields, partition, {
      legacyName: this.#core.partitionLegacyName, defaultName: this.#core.partitionDefaultName,
    });
    return dir === "" ? "" : `${dir}/`;
  }

  /** The bucket Java routes `row` to (0 for bucket = -1 tables). */
  bucketOf(row: readonly Value[]): number {
    const numBuckets = this.#core.bucket;
    if (numBuckets <= 0) return 0;
    const idx = this.#index(bucketKeys(this.schema));
    return fixedBucket(idx.map((i) => this.schema.fields[i]!.type), idx.map((i) => row[i]!), numBuckets);
  }

  #state(partition: readonly Value[], bucket: number): BucketState {
    const key = `${this.#partitionPath(partition)}|${bucket}`;
    let s = this.#buckets.get(key);
    if (s === undefined) {
      s = { partition, bucket, nextSequence: 0n, live: [], uuid: this.#uuid(), fileCount: 0 };
      this.#buckets.set(key, s);
    }
    return s;
  }

  #sortByKey(rows: { row: readonly Value[]; kind: number; seq: bigint }[]): void {
    const idx = this.#index(trimmedPrimaryKeys(this.schema));
    const codec = createKeyCodec(idx.map((i) => this.schema.fields[i]!.type));
    const keyed = rows.map((r) => ({ r, k: codec.encodeKeyPart(idx.map((i) => r.row[i]!)) }));
    keyed.sort((a, b) => compareBytes(a.k, b.k));
    rows.splice(0, rows.length, ...keyed.map((x) => x.r));
  }

  /** Keeps the highest-sequence change per key (the deduplicate merge), in key order. */
  #dedupe(rows: { row: readonly Value[]; kind: number; seq: bigint }[]): { row: readonly Value[]; kind: number; seq: bigint }[] {
    const idx = this.#index(trimmedPrimaryKeys(this.schema));
    const codec = createKeyCodec(idx.map((i) => this.schema.fields[i]!.type));
    const latest = new Map<string, { row: readonly Value[]; kind: number; seq: bigint }>();
    for (const r of rows) {
      const k = toHex(codec.encodeKeyPart(idx.map((i) => r.row[i]!)));
      const seen = latest.get(k);
      if (seen === undefined || seen.seq < r.seq) latest.set(k, r);
    }
    const out = [...latest.values()];
    this.#sortByKey(out);
    return out;
  }

  async #writeFile(state: BucketState, rows: { row: readonly Value[]; kind: number; seq: bigint }[], level: number, fileSource: 0 | 1): Promise<WrittenDataFile> {
    const columns = this.schema.fields.map((_, c) => rows.map((r) => r.row[c]!));
    const seqs = rows.map((r) => r.seq);
    const kinds = rows.map((r) => r.kind);
    const out = writeDataFile(columns, {
      schema: this.schema, primaryKey: this.#primaryKey, parquetWasm: this.#pq, level,
      ...(this.#primaryKey ? { sequenceNumbers: BigInt64Array.from(seqs), rowKinds: Uint8Array.from(kinds) } : { sequenceNumberStart: seqs[0]! }),
    });
    const fileName = dataFileName({ prefix: "data-", uuid: state.uuid, count: state.fileCount++, format: "parquet" });
    const path = `${this.#partitionPath(state.partition)}${bucketDirName(state.bucket)}/${fileName}`;
    await this.store.put(path, out.bytes);
    const meta: DataFileMeta = {
      fileName, fileSize: BigInt(out.bytes.length), rowCount: BigInt(out.rowCount), minKey: out.minKey, maxKey: out.maxKey,
      keyStats: out.keyStats, valueStats: out.valueStats, minSequenceNumber: out.minSequenceNumber, maxSequenceNumber: out.maxSequenceNumber,
      schemaId: this.schema.id, level, extraFiles: [], creationTime: localWallClockMs(this.#nowMs()), deleteRowCount: out.deleteRowCount,
      embeddedIndex: null, fileSource, valueStatsCols: out.valueStatsCols, externalPath: null, firstRowId: null, writeCols: null,
      columnMaxSequenceNumbers: null,
    };
    const file: WrittenDataFile = { path, partition: state.partition, bucket: state.bucket, meta, columns, sequenceNumbers: seqs, rowKinds: kinds };
    this.files.push(file);
    return file;
  }

  #partitionRow(partition: readonly Value[]): Uint8Array {
    return encodeSerializedBinaryRow(logicalPartitionType(this.schema).fields.map((f) => f.type), partition);
  }

  /** Writes `changes` (one file per touched partition and bucket) and commits them as one APPEND snapshot. */
  async commit(changes: readonly RowChange[], commitIdentifier: bigint): Promise<{ result: CommitResult; written: WrittenDataFile[] }> {
    const partIdx = this.#index(this.schema.partitionKeys);
    const groups = new Map<BucketState, { row: readonly Value[]; kind: number; seq: bigint }[]>();
    for (const c of changes) {
      const state = this.#state(partIdx.map((i) => c.row[i]!), this.bucketOf(c.row));
      let g = groups.get(state);
      if (g === undefined) groups.set(state, (g = []));
      g.push({ row: c.row, kind: c.kind ?? RowKind.INSERT, seq: state.nextSequence++ });
    }
    const written: WrittenDataFile[] = [];
    const messages: CommitMessage[] = [];
    for (const [state, rows] of groups) {
      const file = await this.#writeFile(state, this.#primaryKey ? this.#dedupe(rows) : rows, 0, 0);
      state.live.push(file);
      written.push(file);
      messages.push({ partition: this.#partitionRow(state.partition), bucket: state.bucket, totalBuckets: this.#core.bucket, newFiles: [file.meta] });
    }
    const result = await commitChanges(this.store, {
      schema: this.schema, commitUser: this.#commitUser, commitIdentifier, messages, randomUuid: this.#uuid, nowMs: this.#nowMs,
    });
    return { result, written };
  }

  /**
   * Rewrites every live file of (partition, bucket) into one file at the top level (primary-key
   * tables: deduplicated, -U/-D dropped) and commits a COMPACT snapshot. With `deletePositions`,
   * also writes a deletion-vector index file marking those row positions of the new file.
   */
  async compactBucket(partition: readonly Value[], bucket: number, commitIdentifier: bigint, options: { deletePositions?: readonly number[] } = {}): Promise<{ result: CommitResult; written: WrittenDataFile; replaced: WrittenDataFile[] }> {
    const state = this.#state(partition, bucket);
    const before = state.live;
    const rows = before.flatMap((f) => f.sequenceNumbers.map((seq, r) => ({ row: this.schema.fields.map((_, c) => f.columns[c]![r]!), kind: f.rowKinds[r]!, seq })));
    const merged = this.#primaryKey ? this.#dedupe(rows).filter((r) => r.kind === RowKind.INSERT || r.kind === RowKind.UPDATE_AFTER) : rows;
    const topLevel = this.#primaryKey ? this.#core.levelCount - 1 : 0;
    const after = await this.#writeFile(state, merged, topLevel, 1);
    state.live = [after];
    let indexChanges: CommitMessage["indexChanges"];
    if (options.deletePositions !== undefined) {
      const encoded = encodeDeletionVectorIndexFile([[after.meta.fileName, deletionVectorOf(options.deletePositions)]]);
      const name = indexFileName(this.#uuid(), 0);
      const path = `index/${name}`;
      await this.store.put(path, encoded.bytes);
      const meta: IndexFileMeta = {
        indexType: "DELETION_VECTORS", fileName: name, fileSize: BigInt(encoded.bytes.length), rowCount: BigInt(encoded.dvRanges.length),
        dvRanges: encoded.dvRanges, externalPath: null, globalIndex: null,
      };
      this.indexFiles.push({ path, partition, bucket, meta });
      indexChanges = { compactNewIndexFiles: [meta] };
    }
    const result = await commitChanges(this.store, {
      schema: this.schema, commitUser: this.#commitUser, commitIdentifier, commitKind: "COMPACT", randomUuid: this.#uuid, nowMs: this.#nowMs,
      messages: [{
        partition: this.#partitionRow(partition), bucket, totalBuckets: this.#core.bucket,
        deletedFiles: before.map((f) => f.meta), compactAfter: [after.meta], ...(indexChanges === undefined ? {} : { indexChanges }),
      }],
    });
    return { result, written: after, replaced: before };
  }
}
