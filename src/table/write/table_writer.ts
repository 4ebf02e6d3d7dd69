/**
 * The table writer (Java `TableWriteImpl` + `AbstractFileStoreWrite` + `TableCommitImpl`):
 * validates and routes rows to one writer per (partition, bucket) — merge-tree writers for
 * primary-key tables, append writers otherwise — keeps every buffer under ONE memory budget,
 * and commits the files they produce as snapshots, exactly once per (commit user, identifier).
 *
 * Memory: `write-buffer-size` (Java default 256 mb) covers every open bucket. After each slice
 * of SLICE_ROWS rows appended, while the buffers hold more than the budget the largest one is
 * flushed (Java's memory-pool preemption of the biggest owner); buffers never spill to disk.
 * Peak memory is the budget plus one slice plus what a flush allocates: about three times its
 * sorted output (the output columns, their Arrow IPC copy, parquet-wasm's copy; the buffer
 * itself is released first). Measured (bench/ingest_bench.ts, 256 MB budget): +75 MB over the
 * 167 MB buffer of 5M narrow rows; about 3x the budget for string-heavy rows, because
 * parquet-wasm encodes a whole file at once and its linear memory never shrinks (Java streams
 * rows into parquet-mr row groups instead).
 * Commits: `commit(identifier)` flushes every bucket (`prepareCommit`), then `commitChanges`
 * with commit kind APPEND (a COMPACT snapshot follows when compactions ran). The identifier
 * defaults to Long.MAX (`COMMIT_IDENTIFIER_BATCH`), which Java's batch writes use once; pass
 * increasing identifiers to commit several times from one writer (streaming). After a commit
 * the writer goes on with its bucket state (no new restore); buckets idle for a whole commit
 * are dropped and restored again when written to. When not `write-only`, snapshots are expired
 * after each commit (table/expire_snapshots.ts), then partitions when the table has
 * `partition.expiration-time` (table/expire_partitions.ts `PartitionExpireChecker`, at most once
 * per `partition.expiration-check-interval`, an OVERWRITE snapshot under the writer's commit
 * user), as Java's `TableCommitImpl` maintenance does; both are best effort (a failure becomes a
 * warning, the commit stands).
 * Atomicity: a `write*` call checks all its rows before buffering any of them; a failed commit
 * keeps its messages, and the next commit retries them (looking first for the snapshot the
 * failed one may have left). A failure while buffering, flushing or preparing a commit may have
 * lost buffered rows, so the writer then refuses everything but `close` (as a Java job fails and
 * restarts from its last checkpoint). When a commit finds its identifier committed already, the
 * bucket writers are dropped with the changes and restored from the table when next written to.
 *
 * Changelog producers: `input` (flushes), `lookup` and `full-compaction` (compactions, see
 * merge_tree_writer.ts); their changelog files are committed in the snapshots' changelog
 * manifest lists.
 *
 * Refused (LakeError "unsupported", when the writer is created): non-Parquet formats, types the
 * Parquet writer cannot write, dynamic/cross-partition/postpone buckets (row_router.ts); unless
 * `write-only = true` (writers then only write level-0 files, for a Java compactor): deletion
 * vectors, whose compactions lakestate does not run.
 *
 * Imports: errors.ts, format/data (parquet types, parquet_arrow), io (store type), kernel (type),
 * spec/*, lsm (write_buffer, write_merge, write_columns, merge_function, compaction options,
 * rolling writer), table (commit, commit_changes, expire_snapshots, write/*).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/AbstractFileStoreWrite.java
 */
import { LakeError } from "../../errors.ts";
import { parquetArrowType } from "../../format/data/parquet_arrow.ts";
import type { ParquetWasmModule } from "../../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../../io/store.ts";
import type { KeyKernel } from "../../kernel/mod.ts";
import { createMergeFunctionFactory, type TableMergeFunctionFactory } from "../../lsm/merge_function/merge_function.ts";
import { sequenceFieldAscending, sequenceFieldNames } from "../../lsm/merge_function/sequence_comparator.ts";
import { checkParquetFormat, targetFileSizeBytes } from "../../lsm/rolling_file_writer.ts";
import type { InputBatch } from "../../lsm/write_columns.ts";
import { createWriteMergeConfig } from "../../lsm/write_merge.ts";
import { compactionSettingsFromOptions, type CompactionSettings } from "../../lsm/compaction/compaction_options.ts";
import { isFullCompactionCommit } from "../../lsm/compaction/compact_strategy.ts";
import { optionBoolean, optionEnum } from "../../spec/core_options.ts";
import { ChangelogProducer, type OptionMap } from "../../spec/core_options_types.ts";
import { CoreOptions } from "../../spec/core_options_view.ts";
import type { RowKind } from "../../spec/row_kind.ts";
import { trimmedPrimaryKeys, type TableSchema } from "../../spec/schema.ts";
import { COMMIT_IDENTIFIER_BATCH } from "../../spec/snapshot.ts";
import { toHex } from "../../util/bytes.ts";
import { commitChanges } from "../commit.ts";
import type { CommitMessage } from "../commit_changes.ts";
import { expireSnapshots } from "../expire_snapshots.ts";
import { PartitionExpireChecker } from "../expire_partitions.ts";
import { AppendWriter } from "./append_writer.ts";
import { BucketRestore } from "./bucket_restore.ts";
import type { BucketWriter, BucketWriterContext } from "./bucket_writer.ts";
import { MergeTreeWriter, type MergeTreeContext } from "./merge_tree_writer.ts";
import { RowRouter, type PartitionTarget } from "./row_router.ts";
import { batchFromObjects, writeRulesOf, type WriteRules } from "./write_batch.ts";

/** Rows appended between two checks of the memory budget. */
export const SLICE_ROWS = 1 << 16;
const INT64_MIN = -(2n ** 63n);
const NOUN = "table writer";

/** Bucket writers flushed concurrently by `prepareCommit` (their store writes overlap). */
export const FLUSH_BUCKETS_CONCURRENCY_MAX = 8;

/** Options of a TableWriter. */
export interface TableWriterOptions {
  readonly kernel: KeyKernel;
  /** An initialised parquet-wasm (format/data/parquet_arrow_reader.ts `parquetWriterModule`). */
  readonly parquet: ParquetWasmModule;
  /** Identifies the writer job for exactly-once commits; default a random UUID. */
  readonly commitUser?: string;
  /** Dynamic options laid over the table's (e.g. `write-buffer-size`, `write-only`). */
  readonly options?: Readonly<Record<string, string>>;
  /** Clock, epoch ms (file creation times, snapshot times). */
  readonly nowMs?: () => number;
  /** Random UUIDs (file names, commit user default). */
  readonly randomUuid?: () => string;
}

/** What a commit did. */
export interface WriteCommitResult {
  /** Snapshots created, ascending (APPEND, then COMPACT when compactions ran); none when nothing changed. */
  readonly snapshotIds: bigint[];
  /** True when this (commit user, identifier) was committed before: nothing was written. */
  readonly alreadyCommitted: boolean;
  /** Things Java would log: commit warnings, a failed post-commit snapshot or partition expiration. */
  readonly warnings: string[];
  /**
   * Partitions the post-commit partition expiration dropped (key → value text), in its own
   * OVERWRITE snapshot(s) after `snapshotIds`; empty when none expired or no check was due.
   */
  readonly expiredPartitions: Record<string, string>[];
}

/** Writes rows into a table and commits them (see the file header). */
export class TableWriter {
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  readonly commitUser: string;
  readonly #userGiven: boolean;
  readonly #options: OptionMap;
  readonly #rules: WriteRules;
  readonly #router: RowRouter;
  readonly #restore: BucketRestore;
  readonly #bufferBytesMax: number;
  readonly #writeOnly: boolean;
  readonly #restoresFiles: boolean;
  readonly #context: BucketWriterContext | MergeTreeContext;
  readonly #compaction: CompactionSettings | null;
  readonly #writers = new Map<string, BucketWriter>();
  /** Post-commit partition expiration (`partition.expiration-time`), null when off or write-only. */
  readonly #partitionExpire: PartitionExpireChecker | null;
  #pending: CommitMessage[] = [];
  #lastCommitted: bigint | null = null;
  #batchCommitted = false;
  #closed = false;
  /** The error that left buffers or prepared messages lost (the writer then refuses all but close). */
  #failure: unknown = null;
  /** A commit failed after its messages were prepared: its snapshot may exist. */
  #commitFailed = false;

  /** Throws LakeError("unsupported") for tables this writer refuses (see the file header). */
  constructor(store: ObjectStore, schema: TableSchema, options: TableWriterOptions) {
    this.store = store;
    this.schema = schema;
    const randomUuid = options.randomUuid ?? (() => crypto.randomUUID());
    this.#userGiven = options.commitUser !== undefined;
    this.commitUser = options.commitUser ?? randomUuid();
    if (this.commitUser.length === 0) throw new LakeError("invalid_argument", `${NOUN}: commitUser must not be empty`);
    this.#options = { ...schema.options, ...(options.options ?? {}) };
    const dynamic: TableSchema = { ...schema, options: this.#options };
    const core = new CoreOptions(this.#options);
    const primaryKey = schema.primaryKeys.length > 0;
    checkParquetFormat(this.#options, 0);
    for (const f of schema.fields) parquetArrowType(f.type, f.name); // refuses what the Parquet writer cannot write
    if (optionBoolean(this.#options, "data-file.thin-mode") === true) {
      throw new LakeError("unsupported", `${NOUN}: data-file.thin-mode = true is not supported`);
    }
    this.#rules = writeRulesOf(schema.fields, this.#options);
    this.#router = new RowRouter(dynamic);
    this.#restore = new BucketRestore(store, schema);
    this.#bufferBytesMax = core.writeBufferBytes;
    this.#writeOnly = core.writeOnly;
    this.#restoresFiles = primaryKey || this.#router.totalBuckets > 0;
    this.#partitionExpire = this.#writeOnly ? null : PartitionExpireChecker.create(store, schema, {
      commitUser: this.commitUser, options: options.options ?? {}, nowMs: options.nowMs ?? Date.now, randomUuid,
    });
    const base: BucketWriterContext = {
      store, schema: dynamic, options: this.#options, kernel: options.kernel, parquet: options.parquet,
      totalBuckets: this.#router.totalBuckets, targetFileSizeBytes: targetFileSizeBytes(this.#options, primaryKey),
      nowMs: options.nowMs ?? Date.now, randomUuid,
    };
    if (!primaryKey) {
      this.#compaction = null;
      this.#context = base;
      return;
    }
    const mergeFactory = createMergeFunctionFactory(schema, { tableOptions: this.#options });
    this.#compaction = compactionSettingsFromOptions(this.#options, { needLookup: mergeFactory.needLookup });
    if (!this.#writeOnly) refuseUncompactable(this.#options);
    this.#context = mergeTreeContext(base, dynamic, mergeFactory, this.#compaction);
  }

  /** Bytes every buffer holds together (the budget is `write-buffer-size`). */
  get memoryBytes(): number {
    let bytes = 0;
    for (const w of this.#writers.values()) bytes += w.memoryBytes;
    return bytes;
  }

  /** `write-buffer-size` in bytes. */
  get memoryBytesMax(): number {
    return this.#bufferBytesMax;
  }

  /** Open bucket writers, by `<partition hex>/<bucket>` (tests, diagnostics). */
  get bucketWriters(): ReadonlyMap<string, BucketWriter> {
    return this.#writers;
  }

  /** Writes one row with `kind` (see `writeRows`). */
  write(kind: RowKind, row: Readonly<Record<string, unknown>>): Promise<void> {
    return this.writeRows(kind, [row]);
  }

  /**
   * Writes plain-object rows with `kind` (+I for inserts/upserts, -D for deletes; the
   * `rowkind.field` column overrides it). Every row is checked before any is buffered: a bad
   * value throws LakeError("invalid_argument") naming the column and the row index and writes
   * nothing.
   */
  async writeRows(kind: RowKind, rows: Iterable<unknown>): Promise<void> {
    this.#checkOpen();
    await this.writeBatch(batchFromObjects(this.#rules, rows, kind));
  }

  /** The write rules (fields, defaults, row-kind filter) batches are built with. */
  get rules(): WriteRules {
    return this.#rules;
  }

  /**
   * Writes a validated columnar batch (built with `batchFromObjects`, or by the API from Arrow
   * under the same rules). Append tables accept only +I/+U rows (LakeError("invalid_argument")).
   */
  async writeBatch(batch: InputBatch): Promise<void> {
    this.#checkOpen();
    if (batch.rowCount === 0) return;
    if (this.schema.primaryKeys.length === 0) {
      const at = batch.rowKinds.findIndex((k) => k === 1 || k === 3);
      if (at >= 0) throw new LakeError("invalid_argument", `${NOUN}: row ${at}: Append only writer can not accept row with RowKind ${batch.rowKinds[at] === 1 ? "-U" : "-D"}`);
    }
    const route = this.#router.route(batch);
    await this.#restore.refresh();
    const writers: BucketWriter[] = [];
    for (const t of route.targets) writers.push(await this.#writerFor(t.partition, t.bucket));
    // Nothing is buffered before this point; from here a failure may lose buffered rows.
    try {
      await this.#appendRouted(batch, route.targetOf, writers);
    } catch (error) {
      this.#failure ??= error;
      throw error;
    }
  }

  async #appendRouted(batch: InputBatch, targetOf: Uint32Array | null, writers: readonly BucketWriter[]): Promise<void> {
    if (targetOf === null) {
      await this.#appendSlices(writers[0]!, batch, null, 0, batch.rowCount);
      return;
    }
    // Stable grouping of the rows by target (arrival order kept within each bucket).
    const starts = new Uint32Array(writers.length + 1);
    for (let i = 0; i < batch.rowCount; i++) starts[targetOf[i]! + 1]!++;
    for (let t = 0; t < writers.length; t++) starts[t + 1] = starts[t + 1]! + starts[t]!;
    const at = starts.slice(0, writers.length);
    const rows = new Uint32Array(batch.rowCount);
    for (let i = 0; i < batch.rowCount; i++) rows[at[targetOf[i]!]!++] = i;
    for (let t = 0; t < writers.length; t++) await this.#appendSlices(writers[t]!, batch, rows, starts[t]!, starts[t + 1]!);
  }

  async #appendSlices(writer: BucketWriter, batch: InputBatch, rows: Uint32Array | null, from: number, to: number): Promise<void> {
    for (let s = from; s < to; s += SLICE_ROWS) {
      writer.append(batch, rows, s, Math.min(to, s + SLICE_ROWS));
      await this.#keepBudget();
    }
  }

  /** Flushes the largest buffers until all of them fit `write-buffer-size`. */
  async #keepBudget(): Promise<void> {
    for (;;) {
      let total = 0, largest: BucketWriter | null = null;
      for (const w of this.#writers.values()) {
        const bytes = w.memoryBytes;
        total += bytes;
        if (w.bufferedRowCount > 0 && (largest === null || bytes > largest.memoryBytes)) largest = w;
      }
      if (total <= this.#bufferBytesMax || largest === null) return;
      await largest.flush();
    }
  }

  async #writerFor(partition: PartitionTarget, bucket: number): Promise<BucketWriter> {
    const key = `${toHex(partition.partition)}/${bucket}`;
    let writer = this.#writers.get(key);
    if (writer !== undefined) return writer;
    const restored = this.#restoresFiles ? await this.#restore.bucket(partition.partition, bucket) : { files: [], totalBuckets: null };
    const expected = this.#router.totalBuckets;
    if (restored.totalBuckets !== null && restored.totalBuckets !== expected) {
      const where = partition.partitionPath === "" ? "table" : `partition ${partition.partitionPath.slice(0, -1)}`;
      throw new LakeError("invalid_argument", `${NOUN}: Try to write ${where} with a new bucket num ${expected}, but the previous bucket num is ${restored.totalBuckets}. Please switch to batch mode, and perform INSERT OVERWRITE to rescale current data layout first.`);
    }
    writer = this.schema.primaryKeys.length > 0
      ? new MergeTreeWriter(this.#context as MergeTreeContext, partition, bucket, restored.files)
      : new AppendWriter(this.#context, partition, bucket, restored.files);
    this.#writers.set(key, writer);
    return writer;
  }

  /**
   * Flushes every bucket and returns the commit messages of what changed since the last call
   * (Java `prepareCommit`). `identifier` decides `full-compaction.delta-commits` compactions.
   */
  async prepareCommit(identifier: bigint = COMMIT_IDENTIFIER_BATCH): Promise<CommitMessage[]> {
    this.#checkOpen();
    const deltaCommits = this.#compaction?.fullCompactionDeltaCommits ?? null;
    const fullCompaction = deltaCommits !== null && isFullCompactionCommit(identifier, deltaCommits);
    const messages: CommitMessage[] = [];
    const entries = [...this.#writers];
    const results = new Array<CommitMessage | null>(entries.length).fill(null);
    // Up to FLUSH_BUCKETS_CONCURRENCY_MAX buckets flush at once, so their file writes overlap
    // (a table with many buckets writes hundreds of small files per commit); each one's CPU
    // work (sort, encode) is synchronous and only interleaves between writes. After a failure
    // no new bucket starts, and the ones under way finish before it is thrown.
    let next = 0;
    let failed: { error: unknown } | null = null;
    const lane = async (): Promise<void> => {
      while (failed === null && next < entries.length) {
        const i = next++;
        try {
          results[i] = await entries[i]![1].prepareCommit({ fullCompaction });
        } catch (error) {
          failed ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FLUSH_BUCKETS_CONCURRENCY_MAX, entries.length) }, lane));
    if (failed !== null) {
      // Drained buffers and the messages of buckets already prepared are gone with `results`.
      this.#failure ??= (failed as { error: unknown }).error;
      throw (failed as { error: unknown }).error;
    }
    entries.forEach(([key, writer], i) => {
      const message = results[i] ?? null;
      if (message !== null) messages.push(message);
      else if (writer.bufferedRowCount === 0) this.#writers.delete(key); // idle: restored again when written to
    });
    return messages;
  }

  /**
   * Commits everything written so far (see the file header). Without `identifier`, commits once
   * as a batch (Long.MAX); a second batch commit is LakeError("invalid_argument"). When this
   * (commit user, identifier) was already committed, nothing is written and what was written
   * since the previous commit is dropped with it, as Java's `filterCommitted` drops the
   * committables of a restarted job (they are in the table already).
   */
  async commit(options: { identifier?: bigint } = {}): Promise<WriteCommitResult> {
    this.#checkOpen();
    const identifier = options.identifier ?? COMMIT_IDENTIFIER_BATCH;
    if (typeof identifier !== "bigint" || identifier < INT64_MIN || identifier > COMMIT_IDENTIFIER_BATCH) {
      throw new LakeError("invalid_argument", `${NOUN}: commit identifier ${String(identifier)} must be an int64 bigint`);
    }
    if (options.identifier === undefined && this.#batchCommitted) {
      throw new LakeError("invalid_argument", `${NOUN}: a batch commit (no identifier) can only happen once per writer; pass increasing identifiers to commit several times`);
    }
    if (this.#lastCommitted !== null && identifier <= this.#lastCommitted) {
      await this.#dropBucketWriters(true);
      return { snapshotIds: [], alreadyCommitted: true, warnings: [], expiredPartitions: [] };
    }
    this.#pending.push(...await this.prepareCommit(identifier));
    let result;
    try {
      result = await commitChanges(this.store, {
        schema: this.schema, commitUser: this.commitUser, commitIdentifier: identifier, commitKind: "APPEND", messages: this.#pending,
        options: this.#options, nowMs: this.#context.nowMs, randomUuid: this.#context.randomUuid,
        // After a failed commit its snapshot may have landed: the retry must look for it.
        checkCommitted: this.#userGiven || this.#commitFailed,
      });
    } catch (error) {
      this.#commitFailed = true;
      throw error;
    }
    this.#pending = [];
    this.#commitFailed = false;
    if (result.alreadyCommitted) {
      // The bucket writers numbered and compacted on top of the changes just dropped (in the
      // table already, or a compaction that never will be): restore them from the table.
      await this.#dropBucketWriters(false);
    }
    // Only a snapshot (ours, or one found by the exactly-once check) makes the identifier used.
    if (result.snapshotIds.length > 0 || result.alreadyCommitted) this.#lastCommitted = identifier;
    if (options.identifier === undefined) this.#batchCommitted = true;
    const warnings = [...result.warnings];
    const expiredPartitions: Record<string, string>[] = [];
    if (!this.#writeOnly && result.snapshotIds.length > 0) {
      try {
        await expireSnapshots(this.store, this.schema, { options: this.#options, nowMs: this.#context.nowMs });
      } catch (error) {
        // Best effort, after the commit succeeded: Java's maintenance failure does not undo it.
        warnings.push(`${NOUN}: snapshot expiration after commit failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (this.#partitionExpire !== null) {
        try {
          const expired = await this.#partitionExpire.afterCommit(identifier);
          if (expired !== null) expiredPartitions.push(...expired.expired);
          for (const p of expired?.skipped ?? []) warnings.push(`${NOUN}: partition ${JSON.stringify(p.partition)} not expired: ${p.reason}`);
        } catch (error) {
          warnings.push(`${NOUN}: partition expiration after commit failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    return { snapshotIds: [...result.snapshotIds], alreadyCommitted: result.alreadyCommitted, warnings, expiredPartitions };
  }

  /**
   * Closes the writer: drops buffered rows and deletes the data files written since the last
   * commit and never handed to one (Java's writer `close`). Files of a failed commit are kept:
   * after an ambiguous failure they may be in the table.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const writer of this.#writers.values()) await writer.abort();
    this.#writers.clear();
    this.#pending = [];
  }

  /**
   * Forgets every bucket writer (they are restored from the table when next written to);
   * `abort`: also drop their buffers and delete the files they wrote since the last commit.
   */
  async #dropBucketWriters(abort: boolean): Promise<void> {
    if (abort) for (const writer of this.#writers.values()) await writer.abort();
    this.#writers.clear();
  }

  #checkOpen(): void {
    if (this.#closed) throw new LakeError("invalid_argument", `${NOUN}: the writer is closed`);
    if (this.#failure !== null) {
      const cause = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
      throw new LakeError("invalid_argument", `${NOUN}: an earlier write or flush failed (${cause}); buffered rows may be lost, so this writer can only be closed: write again from the last commit with a new writer`, { cause: this.#failure });
    }
  }
}

/** Java refuses nothing here; lakestate cannot run these compactions (see the file header). */
function refuseUncompactable(options: OptionMap): void {
  const hint = "; set 'write-only' = 'true' to write level-0 files and compact with Java";
  if (optionBoolean(options, "deletion-vectors.enabled") === true) {
    throw new LakeError("unsupported", `${NOUN}: writing tables with deletion vectors needs compaction that maintains them, which lakestate does not do${hint}`);
  }
}

function mergeTreeContext(base: BucketWriterContext, schema: TableSchema, mergeFactory: TableMergeFunctionFactory, compaction: CompactionSettings): MergeTreeContext {
  const options = schema.options;
  const names = schema.fields.map((f) => f.name);
  const sequenceFields = sequenceFieldNames(options);
  return {
    ...base,
    mergeFactory,
    compaction,
    changelogInput: optionEnum(options, "changelog-producer") === ChangelogProducer.INPUT,
    buffer: {
      fields: schema.fields,
      keyFieldIndexes: trimmedPrimaryKeys(schema).map((k) => names.indexOf(k)),
      sequenceFieldIndexes: sequenceFields.map((s) => names.indexOf(s)),
      sequenceAscending: sequenceFieldAscending(options),
      merge: createWriteMergeConfig(schema.fields, schema.primaryKeys, options, mergeFactory, optionBoolean(options, "ignore-delete")!),
      kernel: base.kernel,
    },
  };
}
