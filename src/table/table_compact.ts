/**
 * On-demand compaction of a table (`table.compact({ full, partition })`, Java's compact
 * procedure / dedicated compaction job in batch mode): from the latest snapshot, every
 * (partition, bucket) of the selected partitions is compacted and all results are committed as
 * one COMPACT snapshot.
 *
 * Primary-key tables: the bucket's live files form `Levels` (`num-levels`); `full` picks Java's
 * forced full compaction into the max level (`pickFullCompaction`), otherwise the table's
 * strategy picks (universal compaction with `num-sorted-run.compaction-trigger`,
 * `compaction.max-size-amplification-percent`, `compaction.size-ratio`, forced up from level 0
 * for lookup tables), through compact_manager_plan.ts `planCompaction`, which also decides
 * whether deletes may be dropped; lsm/compaction/compact_rewriter.ts runs the unit. Append
 * tables: table/append_compact.ts (Java's bucketed append compaction, full or normal pick).
 * Buckets with nothing to do are left alone; no change at all commits nothing.
 *
 * Commit: one `commitChanges` COMPACT request (compactBefore/compactAfter per bucket) with a
 * fresh commit user unless given, batch identifier, no exactly-once filter (a compaction retried
 * after a crash starts again from the latest snapshot). A lost race or a conflict (another job
 * removed our input files) is the commit's CommitConflictError; the files written for it are
 * then left for orphan-file cleaning, as after a crash (nothing partial is ever visible).
 *
 * Changelog: with `changelog-producer` lookup (compactions that push level-0 files up) or
 * full-compaction (compactions into the max level), the changelog files the compaction writes
 * are committed as the COMPACT snapshot's changelog (Java's dedicated compaction job does the
 * same).
 *
 * Not supported: tables with deletion vectors (compact_rewriter.ts), postpone buckets
 * (bucket = -2), append deletion vectors.
 *
 * Mirrors `org.apache.paimon.operation.AbstractFileStoreWrite#compact` with `full` and the
 * `CompactAction` batch job:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/AbstractFileStoreWrite.java
 *
 * Imports: errors.ts, kernel (types), spec/*, format/data (parquet types), io (types),
 * lsm (levels, comparator, merge functions, compaction modules, rolling writer namer),
 * table (scan, commit, schema manager, snapshot manager, append_compact).
 */
import { LakeError } from "../errors.ts";
import type { ParquetWasmModule } from "../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../io/store.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { runCompaction } from "../lsm/compaction/compact_rewriter.ts";
import { planCompaction } from "../lsm/compaction/compact_manager_plan.ts";
import { initialCompactStrategyState } from "../lsm/compaction/compact_strategy.ts";
import { compactionSettingsFromOptions, estimateLastFullCompactionMs } from "../lsm/compaction/compaction_options.ts";
import { createFileKeyComparator } from "../lsm/file_key_comparator.ts";
import { Levels } from "../lsm/levels.ts";
import { createMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { dataFileNamer } from "../lsm/rolling_file_writer.ts";
import { encodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { optionInt } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import { CoreOptions } from "../spec/core_options_view.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { partitionPathOf } from "../spec/partition_values.ts";
import { logicalPartitionType, logicalTrimmedPrimaryKeysType, type TableSchema } from "../spec/schema.ts";
import { COMMIT_IDENTIFIER_BATCH } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { equalBytes } from "../util/bytes.ts";
import { pickAppendCompaction, rewriteAppendFiles } from "./append_compact.ts";
import { commitChanges, type CommitMessage } from "./commit.ts";
import { planScan, type DataSplit } from "./scan.ts";
import { readSchema } from "./schema_manager.ts";
import { BucketFileNamer } from "./write/bucket_writer.ts";
import { latestSnapshot } from "./snapshot_manager.ts";

const NOUN = "compact";

/** Options of `compactTable`. */
export interface CompactTableOptions {
  /** Full compaction (every bucket into one run at the max level / append full rewrite); default false. */
  readonly full?: boolean;
  /** Only the partitions whose values equal these (by partition key name); null/absent: all. */
  readonly partition?: Record<string, Value> | null;
  /** Commit user; default a random UUID. */
  readonly commitUser?: string;
  readonly kernel: KeyKernel;
  /** An initialised parquet-wasm. */
  readonly parquet: ParquetWasmModule;
  /** Dynamic options laid over the schema's options. */
  readonly options?: OptionMap;
  /** Clock, epoch ms (file creation times, snapshot time); default Date.now. */
  readonly nowMs?: () => number;
  /** Random UUIDs (file names, commit user, snapshot); default crypto.randomUUID. */
  readonly randomUuid?: () => string;
}

/** What `compactTable` did. */
export interface CompactTableResult {
  /** Snapshots created (none when nothing needed compacting). */
  readonly snapshotIds: bigint[];
  /** Buckets whose files changed. */
  readonly compactedBuckets: number;
}

/** A predicate over splits selecting `partition` (every named key must be a partition key). */
function partitionSelector(schema: TableSchema, partition: Record<string, Value> | null | undefined): (split: DataSplit) => boolean {
  if (partition === null || partition === undefined) return () => true;
  const fields = logicalPartitionType(schema).fields;
  const wanted = Object.entries(partition).map(([name, value]) => {
    const index = fields.findIndex((f) => f.name === name);
    if (index < 0) throw new LakeError("invalid_argument", `${NOUN}: ${JSON.stringify(name)} is not a partition key (partition keys: ${fields.map((f) => f.name).join(", ") || "none"})`);
    const type = fields[index]!.type;
    return { index, type, bytes: encodeSerializedBinaryRow([type], [value]) };
  });
  return (split) => wanted.every((w) => equalBytes(encodeSerializedBinaryRow([w.type], [split.partitionValues[w.index]!]), w.bytes));
}

/** A creation time (local wall clock read as UTC, rolling_file_writer.ts) back to an instant. */
function localToEpochMs(localMs: number): number {
  return localMs + new Date(localMs).getTimezoneOffset() * 60_000;
}

/** Local hour of the day of an instant (off-peak hours are local, as in Java). */
function hourOfDay(ms: number): number {
  return new Date(ms).getHours();
}

/**
 * Compacts the table at the root of `store` (see the file header) and commits the result as one
 * COMPACT snapshot. `schema` is the table's latest schema. Returns the snapshots created and the
 * number of buckets compacted. Errors: LakeError("unsupported") for tables compaction does not
 * serve, ("invalid_argument") for a partition spec naming non-partition keys, the commit's
 * CommitConflictError, store errors.
 */
export async function compactTable(store: ObjectStore, schema: TableSchema, opts: CompactTableOptions): Promise<CompactTableResult> {
  const options: OptionMap = { ...schema.options, ...(opts.options ?? {}) };
  const core = new CoreOptions(options);
  const nowMs = opts.nowMs ?? (() => Date.now());
  const randomUuid = opts.randomUuid ?? (() => crypto.randomUUID());
  const full = opts.full ?? false;
  const snapshot = await latestSnapshot(store);
  if (snapshot === null) return { snapshotIds: [], compactedBuckets: 0 };
  const selected = partitionSelector(schema, opts.partition);
  const splits = (await planScan(store, { snapshot, schema })).splits.filter(selected);
  const schemas = new Map<bigint, Promise<TableSchema>>([[schema.id, Promise.resolve(schema)]]);
  const schemaById = (id: bigint): Promise<TableSchema> => {
    let s = schemas.get(id);
    if (s === undefined) schemas.set(id, s = readSchema(store, id));
    return s;
  };
  const writeSchema: TableSchema = { ...schema, options };
  const partitionFields = logicalPartitionType(schema).fields;
  const primaryKey = schema.primaryKeys.length > 0;
  const mergeFactory = primaryKey ? createMergeFunctionFactory(schema, { tableOptions: options }) : null;
  const messages: CommitMessage[] = [];
  for (const split of splits) {
    if (split.bucket === -2) throw new LakeError("unsupported", `${NOUN}: postpone buckets (bucket = -2) are compacted by Java's postpone compaction, which lakestate does not do`);
    const dir = partitionPathOf(partitionFields, split.partitionValues, { legacyName: core.partitionLegacyName, defaultName: core.partitionDefaultName });
    const partitionPath = dir === "" ? "" : dir + "/";
    const nextFileName = dataFileNamer(randomUuid, "parquet", options);
    let before: DataFileMeta[], after: DataFileMeta[], changelog: DataFileMeta[] = [];
    if (mergeFactory !== null) {
      const settings = compactionSettingsFromOptions(options, { needLookup: mergeFactory.needLookup });
      const compareKeys = createFileKeyComparator(logicalTrimmedPrimaryKeysType(schema).fields.map((f) => f.type));
      const levels = Levels.create(split.files, { levelCount: settings.levelCount, compareKeys });
      const now = nowMs();
      const { plan } = planCompaction(levels, {
        full, taskRunning: false, strategy: settings.strategy,
        state: initialCompactStrategyState(estimateLastFullCompactionMs(levels.allFiles(), { levelCount: levels.levelCount, localToEpochMs: localToEpochMs })),
        clock: { nowMs: now, hourOfDay: hourOfDay(now) },
        forceRewriteAllFiles: settings.forceRewriteAllFiles, deletionVectors: core.deletionVectorsEnabled,
      });
      if (plan === null) continue;
      // One namer for data and changelog files, as Java's DataFilePathFactory of the bucket.
      const names = new BucketFileNamer(randomUuid, options);
      const result = await runCompaction(plan.unit, levels, {
        store, schema, partitionPath, bucket: split.bucket, kernel: opts.kernel, parquet: opts.parquet, mergeFactory,
        options: core, nextFileName: names.nextDataFile, nextChangelogFileName: names.nextChangelogFile, nowMs, schemaById,
      }, { dropDelete: plan.dropDelete });
      ({ before, after, changelog } = result);
    } else {
      if (core.deletionVectorsEnabled) throw new LakeError("unsupported", `${NOUN}: append tables with deletion-vectors.enabled = true cannot be compacted yet`);
      const targetFileSizeBytes = core.targetFileSizeBytes(false);
      const picked = pickAppendCompaction(split.files, { full, targetFileSizeBytes, minFileCount: optionInt(options, "compaction.min.file-num")! });
      if (picked.length === 0) continue;
      before = picked;
      after = await rewriteAppendFiles(picked, {
        store, schema: writeSchema, partitionPath, bucket: split.bucket, parquet: opts.parquet, targetFileSizeBytes, nextFileName, nowMs, schemaById,
      });
    }
    if (before.length === 0) continue;
    messages.push({
      partition: split.partition, bucket: split.bucket, totalBuckets: split.totalBuckets, deletedFiles: before, compactAfter: after, compactChangelogFiles: changelog,
    });
  }
  if (messages.length === 0) return { snapshotIds: [], compactedBuckets: 0 };
  const result = await commitChanges(store, {
    schema, commitUser: opts.commitUser ?? randomUuid(), commitIdentifier: COMMIT_IDENTIFIER_BATCH, commitKind: "COMPACT",
    messages, options: opts.options, nowMs, randomUuid, checkCommitted: false,
  });
  return { snapshotIds: [...result.snapshotIds], compactedBuckets: messages.length };
}
