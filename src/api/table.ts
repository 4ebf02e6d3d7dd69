/**
 * The public table handle: schema, options, the `$snapshots` and `$files` system tables, and
 * batch reads returning Apache Arrow tables or plain objects.
 *
 * Writes: `newWrite()` returns a TableWrite (api/table_write.ts) for several writes and commits;
 * `write(rows)` writes and commits once; `deleteWhere(filter)` deletes matching rows
 * (table/delete_where.ts, retracting through a TableWrite on primary-key tables); `compact()`
 * compacts on demand (table/table_compact.ts); `expireSnapshots()` expires old snapshots
 * (table/expire_snapshots.ts).
 *
 * Mirrors Java `FileStoreTable` + `ReadBuilder` (newScan/newRead) + `BatchWriteBuilder`, and the
 * `SnapshotsTable` and `FilesTable` system tables:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/FilesTable.java
 *
 * Invariants: a handle is bound to one store (the table directory); every read resolves its
 * snapshot first and reads only files that snapshot lists; the table's options are validated
 * for reading when the handle opens (an unsupported setting is an error, never a silent
 * different answer).
 * Imports: every lower layer (L7).
 */
import { auditLogTable, incrementalTable, streamTable, type AuditLogOptions, type ChangeStream, type IncrementalReadOptions, type SnapshotChanges, type StreamReadOptions } from "./table_stream.ts";
import type { Table as ArrowTable } from "apache-arrow";
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { sharedKernel } from "../kernel/mod.ts";
import { createMergeFunctionFactory, type TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataField } from "../spec/data_types.ts";
import { validateTableOptions } from "../spec/option_support.ts";
import { logicalPartitionType, logicalTrimmedPrimaryKeysType, type TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { parsePredicate } from "../table/predicate_parser.ts";
import type { Predicate } from "../table/predicate.ts";
import { planScan, type DataSplit } from "../table/scan.ts";
import { latestSchema, readSchema } from "../table/schema_manager.ts";
import { latestSnapshotId, readAllSnapshots, readSnapshot } from "../table/snapshot_manager.ts";
import { snapshotManifests } from "../table/manifest_reader.ts";
import { dataFilePath, readSplits, readSplitsBuffers, type ReadResult, type SplitReadOptions } from "../table/table_read.ts";
import { columnsToArrowTable } from "./arrow.ts";
import { bufferColumnsToArrowTable } from "./arrow_buffers.ts";
import { parquetWriterModule } from "../format/data/parquet_arrow_reader.ts";
import { deleteWhere, type DeleteResult } from "../table/delete_where.ts";
import { compactTable, type CompactTableResult } from "../table/table_compact.ts";
import { createTag, deleteTag, listTags, type CreateTagOptions, type DeleteTagResult, type NamedTag } from "../table/tag_manager.ts";
import { resolveTimeTravel } from "../table/time_travel.ts";
import { expirePartitions, type ExpirePartitionsOptions, type PartitionExpireResult } from "../table/expire_partitions.ts";
import type { Tag } from "../spec/snapshot.ts";
import { expireSnapshots, type ExpireResult as ExpireSnapshotsResult } from "../table/expire_snapshots.ts";
import { TableWrite, type NewWriteOptions, type WriteCommitResult, type WriteInput } from "./table_write.ts";
import { TableLookup, type NewLookupOptions } from "./table_lookup.ts";

/** A filter: a predicate built with the `table/predicate.ts` builders, or SQL-like text. */
export type FilterInput = Predicate | string;

/** Options of `read` and `rows`. */
export interface ReadOptions {
  /** Snapshot to read; default the latest. At most one of snapshotId, timestampMs, tag. */
  readonly snapshotId?: number | bigint;
  /** Time travel: the latest snapshot committed at or before this instant (epoch ms; Java `scan.timestamp-millis`). */
  readonly timestampMs?: number;
  /** Time travel: the snapshot a tag keeps (Java `scan.tag-name`). */
  readonly tag?: string;
  /** Columns to return, in this order; default all. */
  readonly columns?: readonly string[];
  /** Rows to keep (SQL semantics: a row is kept when the filter is TRUE). */
  readonly filter?: FilterInput | null;
}

/** One row of `$files`. */
export interface FileInfo {
  readonly partition: Record<string, Value>;
  readonly bucket: number;
  readonly filePath: string;
  readonly fileFormat: string;
  readonly schemaId: bigint;
  readonly level: number;
  readonly recordCount: bigint;
  readonly fileSizeInBytes: bigint;
  readonly minSequenceNumber: bigint;
  readonly maxSequenceNumber: bigint;
  readonly minKey: Value[];
  readonly maxKey: Value[];
  readonly creationTimeMillis: bigint | null;
  readonly deleteRowCount: bigint | null;
}

/**
 * One row of `$manifests` (Java `ManifestsTable`, same columns and order): a manifest file of a
 * snapshot's base, delta and changelog manifest lists. Partition bounds are rows keyed by
 * partition column ({} for unpartitioned tables; null when the manifest recorded no stats).
 */
export interface ManifestInfo {
  readonly fileName: string;
  readonly fileSize: bigint;
  readonly numAddedFiles: bigint;
  readonly numDeletedFiles: bigint;
  readonly schemaId: bigint;
  readonly minPartitionStats: Record<string, Value> | null;
  readonly maxPartitionStats: Record<string, Value> | null;
  readonly minRowId: bigint | null;
  readonly maxRowId: bigint | null;
}

/** A Paimon table opened from a store rooted at the table directory. */
export class Table {
  /** Display name (`db.table` in a catalog, else the path or "table"). */
  readonly name: string;
  readonly store: ObjectStore;
  /** The latest schema when the handle was opened. */
  readonly schema: TableSchema;
  /** Warnings about options (misspelt keys...), from validation when the table opened. */
  readonly warnings: readonly string[];
  readonly #schemas = new Map<bigint, Promise<TableSchema>>();
  readonly #mergeFactory: TableMergeFunctionFactory | null;
  readonly #mergeFactories = new Map<bigint, TableMergeFunctionFactory>();

  private constructor(store: ObjectStore, schema: TableSchema, name: string, warnings: readonly string[]) {
    this.store = store;
    this.schema = schema;
    this.name = name;
    this.warnings = warnings;
    this.#schemas.set(schema.id, Promise.resolve(schema));
    this.#mergeFactory = schema.primaryKeys.length > 0 ? createMergeFunctionFactory(schema) : null;
  }

  /**
   * A streaming read: an async iterator of `{ snapshotId, changes }`, `changes` an Arrow table
   * whose first column is `_ROW_KIND`. Scan modes, consumers, polling and cancellation as in
   * src/stream/stream_read.ts. Mirrors Java `ReadBuilder#newStreamScan`.
   */
  streamRead(options: StreamReadOptions = {}): ChangeStream<SnapshotChanges> {
    return streamTable(this, options);
  }

  /** The changes between two snapshots, timestamps or tags (Java `incremental-between`), `_ROW_KIND` first. */
  incremental(options: IncrementalReadOptions = {}): Promise<ArrowTable> {
    return incrementalTable(this, options);
  }

  /** The `$audit_log` system table: every row of a snapshot with its `_ROW_KIND`. */
  auditLog(options: AuditLogOptions = {}): Promise<ArrowTable> {
    return auditLogTable(this, options);
  }

  /** Opens the table whose directory is the root of `store`. */
  static async open(store: ObjectStore, options: { name?: string } = {}): Promise<Table> {
    const name = options.name ?? "table";
    const schema = await latestSchema(store).catch((error: unknown) => {
      if (error instanceof LakeError && error.code === "not_found") {
        throw new LakeError("not_found", `table: ${name} is not a Paimon table (no schema/schema-N file)`, { cause: error });
      }
      throw error;
    });
    const { warnings } = validateTableOptions(schema.options, { primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, use: "read" });
    return new Table(store, schema, name, warnings);
  }

  /** The table options (string to string, as in the schema file). */
  get options(): Readonly<Record<string, string>> {
    return this.schema.options;
  }

  /** The schema with id `id` (cached). */
  schemaById(id: bigint): Promise<TableSchema> {
    let s = this.#schemas.get(id);
    if (s === undefined) this.#schemas.set(id, s = readSchema(this.store, id));
    return s;
  }

  /** `$snapshots`: every snapshot present, oldest first. */
  snapshots(): Promise<Snapshot[]> {
    return readAllSnapshots(this.store);
  }

  /**
   * The snapshot a read resolves to: `snapshotId` (a number, or the time-travel options
   * `{ snapshotId?, timestampMs?, tag? }`, at most one set), else the latest; null for an empty
   * table. Time travel resolves as Java does (table/time_travel.ts), tags included.
   */
  async resolveSnapshot(snapshotId?: number | bigint | Pick<ReadOptions, "snapshotId" | "timestampMs" | "tag">): Promise<Snapshot | null> {
    if (typeof snapshotId === "object") {
      const travel = snapshotId;
      const given = [travel.snapshotId, travel.timestampMs, travel.tag].filter((v) => v !== undefined).length;
      if (given > 1) throw new LakeError("invalid_argument", "table: give at most one of snapshotId, timestampMs and tag");
      if (travel.timestampMs !== undefined || travel.tag !== undefined) {
        return resolveTimeTravel(this.store, travel.tag !== undefined ? { tag: travel.tag } : { timestampMs: travel.timestampMs! });
      }
      snapshotId = travel.snapshotId;
    }
    if (snapshotId === undefined) {
      const id = await latestSnapshotId(this.store);
      return id === null ? null : readSnapshot(this.store, id);
    }
    const id = BigInt(snapshotId);
    if (id < 1n) throw new LakeError("invalid_argument", `table: snapshot id ${snapshotId} is not a positive integer`);
    return readSnapshot(this.store, id);
  }

  /** `$files`: the live data files of a snapshot (default the latest). */
  async files(options: { snapshotId?: number | bigint } = {}): Promise<FileInfo[]> {
    const snapshot = await this.resolveSnapshot(options.snapshotId);
    if (snapshot === null) return [];
    const plan = await planScan(this.store, { snapshot, schema: this.schema });
    const partitionFields = logicalPartitionType(this.schema).fields;
    const keyTypes = logicalTrimmedPrimaryKeysType(this.schema).fields.map((f) => f.type);
    const out: FileInfo[] = [];
    for (const split of plan.splits) {
      const partition = Object.fromEntries(partitionFields.map((f, i) => [f.name, split.partitionValues[i] ?? null]));
      for (const file of split.files) {
        const keyed = this.schema.primaryKeys.length > 0;
        out.push({
          partition,
          bucket: split.bucket,
          filePath: dataFilePath(this.schema, split, file),
          fileFormat: file.fileName.slice(file.fileName.lastIndexOf(".") + 1),
          schemaId: file.schemaId,
          level: file.level,
          recordCount: file.rowCount,
          fileSizeInBytes: file.fileSize,
          minSequenceNumber: file.minSequenceNumber,
          maxSequenceNumber: file.maxSequenceNumber,
          minKey: keyed ? decodeSerializedBinaryRow(keyTypes, file.minKey) : [],
          maxKey: keyed ? decodeSerializedBinaryRow(keyTypes, file.maxKey) : [],
          creationTimeMillis: file.creationTime,
          deleteRowCount: file.deleteRowCount,
        });
      }
    }
    return out;
  }

  /**
   * `$manifests`: the manifest files of a snapshot (default the latest; [] for an empty table),
   * base list, then delta, then changelog, as Java's `ManifestList.readAllManifests`.
   */
  async manifests(options: { snapshotId?: number | bigint } = {}): Promise<ManifestInfo[]> {
    const snapshot = await this.resolveSnapshot(options.snapshotId);
    if (snapshot === null) return [];
    const [data, changelog] = await Promise.all([snapshotManifests(this.store, snapshot, "all"), snapshotManifests(this.store, snapshot, "changelog")]);
    const fields = logicalPartitionType(this.schema).fields;
    const types = fields.map((f) => f.type);
    const bound = (bytes: Uint8Array): Record<string, Value> | null => {
      if (fields.length > 0 && bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0) === 0) return null; // no stats recorded
      const values = decodeSerializedBinaryRow(types, bytes);
      return Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? null]));
    };
    return [...data, ...changelog].map((m) => ({
      fileName: m.fileName, fileSize: m.fileSize, numAddedFiles: m.numAddedFiles, numDeletedFiles: m.numDeletedFiles,
      schemaId: m.schemaId, minPartitionStats: bound(m.partitionStats.minValues), maxPartitionStats: bound(m.partitionStats.maxValues),
      minRowId: m.minRowId, maxRowId: m.maxRowId,
    }));
  }

  /** Resolves `columns` to schema fields, with a clear error for unknown names. */
  fieldsOf(columns?: readonly string[], schema: TableSchema = this.schema): DataField[] {
    if (columns === undefined) return [...schema.fields];
    return columns.map((name) => {
      const field = schema.fields.find((f) => f.name === name);
      if (field === undefined) {
        throw new LakeError("invalid_argument", `table: column ${JSON.stringify(name)} does not exist in ${this.name} (columns: ${schema.fields.map((f) => f.name).join(", ")})`);
      }
      return field;
    });
  }

  /** The merge-function factory of a primary-key schema (cached per schema id), else null. */
  #mergeFactoryOf(schema: TableSchema): TableMergeFunctionFactory | null {
    if (schema.id === this.schema.id) return this.#mergeFactory;
    if (schema.primaryKeys.length === 0) return null;
    let factory = this.#mergeFactories.get(schema.id);
    if (factory === undefined) this.#mergeFactories.set(schema.id, factory = createMergeFunctionFactory(schema));
    return factory;
  }

  /** Resolves what a read needs: fields, filter, snapshot and the scan plan (null: empty table). */
  async #prepareRead(options: ReadOptions): Promise<{ split: SplitReadOptions; splits: readonly DataSplit[] | null }> {
    const snapshot = await this.resolveSnapshot(options);
    // Time travel reads with the schema of that snapshot, as Java's `tryTimeTravel` does; the
    // latest read uses the table's current schema (an ALTER may not have committed data yet).
    const travels = options.snapshotId !== undefined || options.timestampMs !== undefined || options.tag !== undefined;
    const schema = travels && snapshot !== null ? await this.schemaById(snapshot.schemaId) : this.schema;
    const fields = this.fieldsOf(options.columns, schema);
    const filter = typeof options.filter === "string" ? parsePredicate(options.filter) : options.filter ?? null;
    const mergeFactory = this.#mergeFactoryOf(schema);
    const split: SplitReadOptions = {
      store: this.store,
      schema,
      schemaById: (id) => this.schemaById(id),
      fields,
      filter,
      kernel: await sharedKernel(),
      mergeFactory,
    };
    if (snapshot === null) return { split, splits: null };
    const plan = await planScan(this.store, {
      snapshot,
      schema,
      filter,
      skipLevel0: mergeFactory?.batchScanSkipsLevel0 ?? false,
    });
    return { split, splits: plan.splits };
  }

  /**
   * Reads one split (one partition and bucket) at a time, so callers can stream a large table
   * holding one bucket's rows; the concatenated batches equal `readColumns` with the same
   * options. Splits whose rows are all filtered out are skipped.
   */
  async *readBatches(options: ReadOptions = {}): AsyncGenerator<ReadResult> {
    const { split, splits } = await this.#prepareRead(options);
    for (const one of splits ?? []) {
      const batch = await readSplits(split, [one]);
      if (batch.rowCount > 0) yield batch;
    }
  }

  /** The fields a read with these options returns (time travel uses that snapshot's schema). */
  async readFields(options: ReadOptions = {}): Promise<DataField[]> {
    return (await this.#prepareRead({ ...options, filter: null })).split.fields.slice();
  }

  /**
   * A writer for this table (see api/table_write.ts): `write`/`delete` rows, then `commit`.
   * Writing needs parquet-wasm (registered by lakestate/node and lakestate/deno). Writes use
   * the schema this handle opened with.
   */
  newWrite(options: NewWriteOptions = {}): TableWrite {
    return new TableWrite({ store: this.store, schema: this.schema, kernel: sharedKernel, parquet: parquetWriterModule }, options);
  }

  /**
   * A lookup over this table (api/table_lookup.ts): `get`/`getMany` by primary key, `getAll`/
   * `getManyAll` by keys covering the bucket key, loading only the buckets probes touch, kept
   * fresh by `refresh`. Mirrors Java's lookup join (`FileStoreLookupFunction`).
   */
  newLookup(options: NewLookupOptions = {}): Promise<TableLookup> {
    return TableLookup.open(this, options);
  }

  /** Writes `rows` and commits them as one batch (a TableWrite used once); see `newWrite`. */
  async write(rows: WriteInput, options: NewWriteOptions = {}): Promise<WriteCommitResult> {
    const writer = this.newWrite(options);
    try {
      await writer.write(rows);
      return await writer.commit();
    } finally {
      await writer.close();
    }
  }

  /**
   * Deletes the rows matching `filter` (a predicate or SQL-like text; null: every row) from the
   * latest snapshot, as table/delete_where.ts describes (partition drops, -D records on
   * primary-key tables, file rewrites on append tables).
   */
  async deleteWhere(filter: FilterInput | null, options: NewWriteOptions = {}): Promise<DeleteResult> {
    const predicate = typeof filter === "string" ? parsePredicate(filter) : filter;
    const commitUser = options.commitUser ?? crypto.randomUUID();
    return deleteWhere({
      store: this.store,
      schema: this.schema,
      schemaById: (id) => this.schemaById(id),
      snapshot: await this.resolveSnapshot(),
      kernel: await sharedKernel(),
      mergeFactory: this.#mergeFactory,
      parquet: parquetWriterModule,
      retract: (rows) => this.#retract(rows, { ...options, commitUser }),
      commitUser,
      options: options.options,
    }, predicate);
  }

  /**
   * Compacts the table now (table/table_compact.ts): `full` merges every bucket into one run at
   * the max level; `partition` limits it to one partition. Needs parquet-wasm like writes.
   */
  async compact(options: { full?: boolean; partition?: Record<string, Value> | null; commitUser?: string; options?: Record<string, string> } = {}): Promise<CompactTableResult> {
    return compactTable(this.store, this.schema, { ...options, kernel: await sharedKernel(), parquet: await parquetWriterModule() });
  }

  /**
   * Expires old snapshots now (table/expire_snapshots.ts), as writers do after each commit
   * unless `write-only`: keeps `snapshot.num-retained.min`..`max` and what `snapshot.time-retained`
   * covers, at most `snapshot.expire.limit` per call, never what a tag or consumer needs.
   * `options` are laid over the table's options.
   */
  async expireSnapshots(options: { options?: Record<string, string>; nowMs?: () => number } = {}): Promise<ExpireSnapshotsResult> {
    return expireSnapshots(this.store, this.schema, options);
  }

  /** Creates tag `name` on a snapshot (default the latest), stored as Java stores tags. */
  createTag(name: string, options: CreateTagOptions = {}): Promise<Tag> {
    return createTag(this.store, name, options);
  }

  /** Deletes tag `name` and the files only it kept alive (Java `TagDeletion`). */
  deleteTag(name: string): Promise<DeleteTagResult> {
    return deleteTag(this.store, name, { schema: this.schema });
  }

  /** The tags, by name, with the snapshot each keeps. */
  tags(): Promise<NamedTag[]> {
    return listTags(this.store);
  }

  /**
   * Expires partitions now per `partition.expiration-time` and `partition.expiration-strategy`
   * (table/expire_partitions.ts), as Java's writers do every `partition.expiration-check-interval`.
   */
  expirePartitions(options: ExpirePartitionsOptions = {}): Promise<PartitionExpireResult> {
    return expirePartitions(this.store, this.schema, options);
  }

  async #retract(rows: readonly Record<string, Value>[], options: NewWriteOptions): Promise<WriteCommitResult> {
    const writer = this.newWrite(options);
    try {
      await writer.delete(rows);
      return await writer.commit();
    } finally {
      await writer.close();
    }
  }

  /** Reads rows column by column (the engine's own form; `rows` builds on it). */
  async readColumns(options: ReadOptions = {}): Promise<ReadResult> {
    const { split, splits } = await this.#prepareRead(options);
    if (splits === null) return { fields: split.fields, columns: split.fields.map(() => []), rowCount: 0 };
    return readSplits(split, splits);
  }

  /**
   * Reads the table as an Apache Arrow table (what a Java batch read returns). Takes the
   * columnar fast path when it serves the read (table/table_read.ts `fastReadBlocker`; it needs
   * parquet-wasm, see `setFastParquetSource`), else the general path; both give the same table.
   */
  async read(options: ReadOptions = {}): Promise<ArrowTable> {
    const { split, splits } = await this.#prepareRead(options);
    if (splits !== null) {
      const fast = await readSplitsBuffers(split, splits);
      if (fast !== null) return bufferColumnsToArrowTable(fast.fields, fast.columns, fast.rowCount);
    }
    const result = splits === null ? { fields: split.fields, columns: split.fields.map(() => []), rowCount: 0 } : await readSplits(split, splits);
    return columnsToArrowTable(result.fields, result.columns, result.rowCount);
  }

  /** Reads the table as plain objects, one per row, keyed by column name. */
  async *rows(options: ReadOptions = {}): AsyncGenerator<Record<string, Value>> {
    const result = await this.readColumns(options);
    const names = result.fields.map((f) => f.name);
    for (let i = 0; i < result.rowCount; i++) {
      const row: Record<string, Value> = {};
      for (let c = 0; c < names.length; c++) row[names[c]!] = result.columns[c]![i] ?? null;
      yield row;
    }
  }
}
