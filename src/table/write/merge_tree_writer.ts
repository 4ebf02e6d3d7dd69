/**
 * The writer of one (partition, bucket) of a primary-key table (Java `MergeTreeWriter`): rows go
 * into a write buffer (lsm/write_buffer.ts) with sequence numbers continuing from the bucket's
 * restored maximum; a flush sorts and merges the buffer into level-0 files
 * (lsm/rolling_buffer_writer.ts from Arrow-layout columns, or lsm/rolling_file_writer.ts from
 * values when a type has no buffer layout; FILE_SOURCE.APPEND), adds them to the bucket's Levels, then runs
 * the compaction the compact manager picks (lsm/compaction/compact_manager_plan.ts +
 * compact_rewriter.ts `runCompaction`) unless `write-only` is set.
 *
 * Compaction is run inline and awaited (lakestate is single-threaded): Java runs it on a
 * background thread and blocks the writer only at the write stall (more sorted runs than
 * `num-sorted-run.stop-trigger`); running every picked compaction right after its flush means
 * the stall can never be reached, and a commit always carries the compactions picked so far.
 * A compaction input that an earlier compaction of the same commit produced is deleted at once
 * (never committed), as Java's `updateCompactResult` does; every other input becomes a
 * compact-before entry of the commit.
 * `changelog-producer = input`: each flush also writes every buffered record (sort order, all
 * row kinds) to changelog files, as Java's flush feeds its changelog writer.
 * `changelog-producer = lookup` / `full-compaction`: compactions write changelog files
 * (compact_rewriter.ts) that go to the commit as compaction changelog. Tables that need lookup
 * pick with Java's ForceUpLevel0Compaction, so each flush's compaction pushes level 0 up and
 * commits carry its changelog (Java's `lookup-wait`: with inline compaction a commit always
 * waits, so `lookup-wait = false` changes nothing here). The bucket's lookup cache lives as
 * long as the writer.
 *
 * Invariants: `levels` holds exactly the bucket's files as the next commit will leave them;
 * sequence numbers only grow; the lists handed to a commit are cleared after `prepareCommit`.
 * Imports: errors.ts, spec (data_file_meta, schema, values types, core_options(_view)), lsm
 * (levels, write_buffer, rolling_file_writer, file_key_comparator, compaction/*), table
 * (commit_changes type, write/bucket_writer, write/row_router type).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/MergeTreeWriter.java
 */
import { FILE_SOURCE, type DataFileMeta } from "../../spec/data_file_meta.ts";
import { CoreOptions } from "../../spec/core_options_view.ts";
import { bucketDirName } from "../../spec/paths.ts";
import { logicalTrimmedPrimaryKeysType } from "../../spec/schema.ts";
import type { InputBatch } from "../../lsm/write_columns.ts";
import { WriteBuffer, type FlushRows, type WriteBufferConfig } from "../../lsm/write_buffer.ts";
import { writeRollingBuffers } from "../../lsm/rolling_buffer_writer.ts";
import { Levels } from "../../lsm/levels.ts";
import { createFileKeyComparator } from "../../lsm/file_key_comparator.ts";
import type { TableMergeFunctionFactory } from "../../lsm/merge_function/merge_function.ts";
import { changelogTargetOf, writeRollingFiles, type DataFileTarget } from "../../lsm/rolling_file_writer.ts";
import { planCompaction } from "../../lsm/compaction/compact_manager_plan.ts";
import { initialCompactStrategyState, type CompactStrategyState } from "../../lsm/compaction/compact_strategy.ts";
import { estimateLastFullCompactionMs, type CompactionSettings } from "../../lsm/compaction/compaction_options.ts";
import { createLookupLevels, runCompaction, type CompactContext, type CompactResult } from "../../lsm/compaction/compact_rewriter.ts";
import type { LookupLevels } from "../../lsm/lookup_levels.ts";
import type { CommitMessage } from "../commit_changes.ts";
import { BucketFileNamer, deleteQuietly, type BucketWriter, type BucketWriterContext } from "./bucket_writer.ts";
import type { PartitionTarget } from "./row_router.ts";

/** What the merge-tree writers of one table share. */
export interface MergeTreeContext extends BucketWriterContext {
  readonly buffer: WriteBufferConfig;
  readonly mergeFactory: TableMergeFunctionFactory;
  readonly compaction: CompactionSettings;
  /** `changelog-producer = input`. */
  readonly changelogInput: boolean;
}

/** Java `MergeTreeWriter` for one (partition, bucket). */
export class MergeTreeWriter implements BucketWriter {
  readonly target: PartitionTarget;
  readonly bucket: number;
  readonly #ctx: MergeTreeContext;
  readonly #buffer: WriteBuffer;
  readonly #names: BucketFileNamer;
  #levels: Levels;
  #strategy: CompactStrategyState;
  #newFiles: DataFileMeta[] = [];
  #newChangelog: DataFileMeta[] = [];
  #compactBefore = new Map<string, DataFileMeta>();
  #compactAfter: DataFileMeta[] = [];
  #compactChangelog: DataFileMeta[] = [];
  /** Lookup cache of deeper levels (lookup compaction), kept across compactions. */
  #lookupLevels: LookupLevels | null = null;

  /** Restores the bucket from `restored` (its live files in the latest snapshot). */
  constructor(ctx: MergeTreeContext, target: PartitionTarget, bucket: number, restored: readonly DataFileMeta[]) {
    this.#ctx = ctx;
    this.target = target;
    this.bucket = bucket;
    let maxSequenceNumber = -1n;
    for (const f of restored) if (f.maxSequenceNumber > maxSequenceNumber) maxSequenceNumber = f.maxSequenceNumber;
    this.#buffer = new WriteBuffer(ctx.buffer, maxSequenceNumber + 1n);
    this.#names = new BucketFileNamer(ctx.randomUuid, ctx.options);
    const keyTypes = logicalTrimmedPrimaryKeysType(ctx.schema).fields.map((f) => f.type);
    this.#levels = Levels.create(restored, { levelCount: ctx.compaction.levelCount, compareKeys: createFileKeyComparator(keyTypes) });
    this.#strategy = initialCompactStrategyState(estimateLastFullCompactionMs(restored, { levelCount: this.#levels.levelCount }));
  }

  get memoryBytes(): number {
    return this.#buffer.memoryBytes;
  }

  get bufferedRowCount(): number {
    return this.#buffer.rowCount;
  }

  /** The bucket's files as the next commit leaves them (tests). */
  get levels(): Levels {
    return this.#levels;
  }

  /** The sequence number of the next row. */
  get nextSequenceNumber(): bigint {
    return this.#buffer.nextSequenceNumber;
  }

  append(batch: InputBatch, rows: Uint32Array | null, from: number, to: number): void {
    this.#buffer.append(batch, rows, from, to);
  }

  #fileTarget(nextFileName: () => string): DataFileTarget {
    const ctx = this.#ctx;
    return {
      store: ctx.store, schema: ctx.schema, partitionPath: this.target.partitionPath, bucket: this.bucket, level: 0,
      fileSource: FILE_SOURCE.APPEND, parquet: ctx.parquet, targetFileSizeBytes: ctx.targetFileSizeBytes, nextFileName, nowMs: ctx.nowMs,
    };
  }

  async flush(): Promise<void> {
    await this.#flush(false);
  }

  /** Java `flushWriteBuffer`: buffer → level-0 files, then the compaction the manager picks. */
  async #flush(fullCompaction: boolean): Promise<void> {
    const drained = this.#buffer.drain({ changelog: this.#ctx.changelogInput });
    if (drained !== null) {
      if (drained.changelog !== null) this.#newChangelog.push(...await this.#write(drained.changelog, this.#names.nextChangelogFile, true));
      for (const file of await this.#write(drained.rows, this.#names.nextDataFile)) {
        this.#newFiles.push(file);
        this.#levels = this.#levels.addLevel0File(file);
      }
    }
    await this.#compact(fullCompaction);
  }

  /** Writes flushed rows; changelog files (`changelog` true) take the `changelog-file.*` options. */
  #write(rows: FlushRows, nextFileName: () => string, changelog = false): Promise<DataFileMeta[]> {
    const target = changelog ? changelogTargetOf(this.#fileTarget(nextFileName)) : this.#fileTarget(nextFileName);
    return rows.kind === "buffers" ? writeRollingBuffers(rows.rows, target) : writeRollingFiles(rows.rows, target);
  }

  /** Java `triggerCompaction` + waiting for its result (inline, see the header). */
  async #compact(full: boolean): Promise<void> {
    const settings = this.#ctx.compaction;
    if (settings.writeOnly) return;
    const nowMs = this.#ctx.nowMs();
    const { plan, state } = planCompaction(this.#levels, {
      full,
      taskRunning: false,
      strategy: settings.strategy,
      state: this.#strategy,
      clock: { nowMs, hourOfDay: new Date(nowMs).getHours() },
      forceRewriteAllFiles: settings.forceRewriteAllFiles,
      deletionVectors: false,
    });
    this.#strategy = state;
    if (plan === null) return;
    const ctx = this.#ctx;
    const compactCtx: CompactContext = {
      store: ctx.store, schema: ctx.schema, partitionPath: this.target.partitionPath, bucket: this.bucket, kernel: ctx.kernel,
      parquet: ctx.parquet, mergeFactory: ctx.mergeFactory, options: new CoreOptions(ctx.options),
      nextFileName: this.#names.nextDataFile, nextChangelogFileName: this.#names.nextChangelogFile, nowMs: ctx.nowMs,
    };
    if (ctx.mergeFactory.needLookup) this.#lookupLevels ??= createLookupLevels(compactCtx);
    const result = await runCompaction(plan.unit, this.#levels, { ...compactCtx, lookupLevels: this.#lookupLevels ?? undefined }, { dropDelete: plan.dropDelete });
    this.#levels = this.#levels.update(result.before, result.after);
    await this.#applyCompactResult(result);
  }

  /** Java `updateCompactResult`. */
  async #applyCompactResult(result: CompactResult): Promise<void> {
    const afterNames = new Set(result.after.map((f) => f.fileName));
    for (const file of result.before) {
      const at = this.#compactAfter.findIndex((f) => f.fileName === file.fileName && f.level === file.level);
      if (at >= 0) {
        // An output of an earlier compaction of this commit: never committed, so delete it now,
        // unless it is an upgrade's input or output (still named by a snapshot or by `after`).
        this.#compactAfter.splice(at, 1);
        // Quietly, as Java's `deleteFile`: an orphan is harmless, failing the write is not.
        if (!this.#compactBefore.has(file.fileName) && !afterNames.has(file.fileName)) {
          await deleteQuietly(this.#ctx.store, `${this.target.partitionPath}${bucketDirName(this.bucket)}/`, [file.fileName]);
        }
      } else {
        this.#compactBefore.set(file.fileName, file);
      }
    }
    this.#compactAfter.push(...result.after);
    this.#compactChangelog.push(...result.changelog);
  }

  async abort(): Promise<void> {
    this.#buffer.clear();
    // Upgraded files keep their name and are still named by the table: never delete those.
    const names = [...this.#newFiles, ...this.#newChangelog, ...this.#compactAfter.filter((f) => !this.#compactBefore.has(f.fileName)), ...this.#compactChangelog]
      .map((f) => f.fileName);
    this.#newFiles = [];
    this.#newChangelog = [];
    this.#compactAfter = [];
    this.#compactChangelog = [];
    await deleteQuietly(this.#ctx.store, `${this.target.partitionPath}${bucketDirName(this.bucket)}/`, names);
  }

  async prepareCommit(options: { fullCompaction: boolean }): Promise<CommitMessage | null> {
    await this.#flush(options.fullCompaction);
    const message: CommitMessage = {
      partition: this.target.partition,
      bucket: this.bucket,
      totalBuckets: this.#ctx.totalBuckets,
      newFiles: this.#newFiles,
      changelogFiles: this.#newChangelog,
      deletedFiles: [...this.#compactBefore.values()],
      compactAfter: this.#compactAfter,
      compactChangelogFiles: this.#compactChangelog,
    };
    const empty = this.#newFiles.length === 0 && this.#newChangelog.length === 0 && this.#compactBefore.size === 0 &&
      this.#compactAfter.length === 0 && this.#compactChangelog.length === 0;
    this.#newFiles = [];
    this.#newChangelog = [];
    this.#compactBefore = new Map();
    this.#compactAfter = [];
    this.#compactChangelog = [];
    return empty ? null : message;
  }
}
