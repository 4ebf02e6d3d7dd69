/**
 * Batch DELETE: removes the rows matching a filter from the latest snapshot, as Paimon's engines
 * do it, in one of three ways:
 *  - whole files: when the filter reads partition columns only (or is absent), every row of a
 *    matching partition matches, so the live files of those partitions are deleted from the
 *    table without reading them (Java `BatchTableCommit#truncatePartitions` / `truncateTable`,
 *    which Flink's `SupportsDeletePushDown` uses for such filters);
 *  - primary-key tables: the matching rows are read at the snapshot and written back as -D
 *    records through the table writer (Flink's row-level DELETE on `validatePKUpsertDeletable`
 *    tables: deduplicate; partial-update with `partial-update.remove-record-on-delete` or
 *    `partial-update.remove-record-on-sequence-group`; aggregation with
 *    `aggregation.remove-record-on-delete`; first-row refuses, and so does `ignore-delete`);
 *    partition-only filters take this path too when `delete.force-produce-changelog` is set;
 *  - append tables: every file holding a matching row is rewritten without those rows
 *    (Spark's `DeleteFromPaimonTableCommand` copy-on-write), keeping the order of the rows left.
 * File deletions and rewrites commit as Java's data rewrites do (DataIncrement deleted files): an
 * OVERWRITE snapshot with conflict checks, so a concurrent compaction that already removed one of
 * the files makes this commit fail with an error naming the file, and nothing is applied.
 *
 * Invariants: nothing is written before the filter is bound and the table checked; a failed
 * commit leaves the table at its last snapshot (new files are then orphans, as in Java's abort).
 * Tables with deletion vectors take the -D path (primary key) or are refused (append rewrite),
 * since rewriting would have to carry their index files.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/sink/SupportsRowLevelOperationFlinkTableSink.java
 * and `PrimaryKeyTableUtils#validatePKUpsertDeletable`.
 * Imports: errors, spec, format (parquet module type), io (store type), lsm (rolling writer),
 * table (scan, table_read, predicate, commit).
 */
import { LakeError } from "../errors.ts";
import type { ParquetWasmModule } from "../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../io/store.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import type { TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { dataFileNamer, targetFileSizeBytes, writeRollingFiles } from "../lsm/rolling_file_writer.ts";
import { optionBoolean, optionEnum, optionRaw } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import { CoreOptions } from "../spec/core_options_view.ts";
import { FILE_SOURCE, type DataFileMeta } from "../spec/data_file_meta.ts";
import { partitionPathOf } from "../spec/partition_values.ts";
import { logicalPartitionType, type TableSchema } from "../spec/schema.ts";
import { COMMIT_IDENTIFIER_BATCH, type Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { commitChanges, type CommitMessage } from "./commit.ts";
import { bindPredicate, evaluatePredicate, predicateColumns, type Predicate } from "./predicate.ts";
import { planScan, type DataSplit } from "./scan.ts";
import { readSplits, type SplitReadOptions } from "./table_read.ts";

const NOUN = "delete";

/** What a DELETE needs besides the filter. */
export interface DeleteWhereContext {
  readonly store: ObjectStore;
  /** The table's current schema. */
  readonly schema: TableSchema;
  readonly schemaById: (id: bigint) => Promise<TableSchema>;
  /** The latest snapshot (null: empty table, nothing to delete). */
  readonly snapshot: Snapshot | null;
  readonly kernel: KeyKernel;
  readonly mergeFactory: TableMergeFunctionFactory | null;
  /** Loads parquet-wasm (append rewrites only). */
  readonly parquet: () => Promise<ParquetWasmModule>;
  /**
   * Writes `rows` as -D records and commits them (primary-key tables); returns the snapshots, and
   * whether the writer took the commit for one its commit user had made already (then nothing
   * was written).
   */
  readonly retract: (rows: readonly Record<string, Value>[]) => Promise<{ snapshotIds: readonly bigint[]; alreadyCommitted?: boolean }>;
  readonly commitUser: string;
  /** Dynamic options over the schema's (commit retries and the like). */
  readonly options?: OptionMap;
  readonly nowMs?: () => number;
  readonly randomUuid?: () => string;
}

/** What a DELETE did. */
export interface DeleteResult {
  /** Snapshots created (none when nothing matched). */
  readonly snapshotIds: readonly bigint[];
  /** Rows removed (for whole-file deletes: the files' row counts). */
  readonly deletedRowCount: number;
  /** How: `files` (partitions dropped), `retract` (-D records) or `rewrite` (files rewritten). */
  readonly method: "files" | "retract" | "rewrite" | "none";
}

/**
 * Java `validatePKUpsertDeletable`: the merge engines a row-level DELETE may retract from, with
 * Java's messages. Also refuses `ignore-delete = true`, whose writers drop the -D records (Java
 * then deletes nothing without a word; a silent no-op is worse than an error).
 */
export function checkPrimaryKeyDeletable(options: OptionMap): void {
  const engine = optionEnum(options, "merge-engine");
  const byDefault = `${NOUN}: Merge engine ${engine} doesn't support batch delete by default. To support batch delete, please set`;
  switch (engine) {
    case "deduplicate": break;
    case "partial-update":
      if (optionBoolean(options, "partial-update.remove-record-on-delete") === true) break;
      if (optionRaw(options, "partial-update.remove-record-on-sequence-group") !== null) break;
      throw new LakeError("unsupported", `${byDefault} partial-update.remove-record-on-delete to true when there is no sequence-group or set partial-update.remove-record-on-sequence-group.`);
    case "aggregation":
      if (optionBoolean(options, "aggregation.remove-record-on-delete") === true) break;
      throw new LakeError("unsupported", `${byDefault} aggregation.remove-record-on-delete to true.`);
    default:
      throw new LakeError("unsupported", `${NOUN}: Merge engine ${String(engine)} can not support batch delete.`);
  }
  if (new CoreOptions(options).ignoreDelete) {
    throw new LakeError("unsupported", `${NOUN}: 'ignore-delete' = true makes the writers drop the delete records a row-level DELETE writes, so it would delete nothing`);
  }
}

/** `delete.force-produce-changelog` (untyped in lakestate's option table; Java default false). */
function forceProduceChangelog(options: OptionMap): boolean {
  return (optionRaw(options, "delete.force-produce-changelog") ?? "false").trim().toLowerCase() === "true";
}

/**
 * Deletes the rows matching `filter` (null: every row) from the latest snapshot; see the file
 * header. Throws LakeError("invalid_argument") for a filter naming unknown columns,
 * ("unsupported") for tables Java refuses to delete from, CommitConflictError when a concurrent
 * commit removed a file this delete rewrites.
 */
export async function deleteWhere(ctx: DeleteWhereContext, filter: Predicate | null): Promise<DeleteResult> {
  const { schema } = ctx;
  const bound = filter === null ? null : bindPredicate(filter, schema.fields); // validates columns first
  const primaryKey = schema.primaryKeys.length > 0;
  const options: OptionMap = { ...schema.options, ...(ctx.options ?? {}) };
  // Partition drops produce no changelog; `delete.force-produce-changelog` asks for -D records.
  const partitionOnly = (filter === null || predicateColumns(filter).every((c) => schema.partitionKeys.includes(c))) &&
    !(primaryKey && forceProduceChangelog(options));
  if (primaryKey && !partitionOnly) checkPrimaryKeyDeletable(options);
  if (ctx.snapshot === null) return { snapshotIds: [], deletedRowCount: 0, method: "none" };
  const plan = await planScan(ctx.store, { snapshot: ctx.snapshot, schema, filter });
  if (plan.splits.length === 0) return { snapshotIds: [], deletedRowCount: 0, method: "none" };
  if (partitionOnly) return deleteFiles(ctx, plan.splits);
  const read: SplitReadOptions = {
    store: ctx.store, schema, schemaById: ctx.schemaById, fields: schema.fields, filter, kernel: ctx.kernel, mergeFactory: ctx.mergeFactory,
  };
  if (primaryKey) {
    const matched = await readSplits(read, plan.splits);
    if (matched.rowCount === 0) return { snapshotIds: [], deletedRowCount: 0, method: "none" };
    const rows: Record<string, Value>[] = [];
    for (let i = 0; i < matched.rowCount; i++) {
      const row: Record<string, Value> = {};
      matched.fields.forEach((f, c) => { row[f.name] = matched.columns[c]![i] ?? null; });
      rows.push(row);
    }
    const { snapshotIds, alreadyCommitted } = await ctx.retract(rows);
    if (alreadyCommitted === true) {
      // The writer's exactly-once filter: this commit user already made a batch commit.
      throw new LakeError("invalid_argument", `${NOUN}: commit user ${JSON.stringify(ctx.commitUser)} has made a batch commit before, so the -D records of this DELETE were taken for a replay and dropped; nothing was deleted. Use a new commit user for each DELETE`);
    }
    return { snapshotIds, deletedRowCount: rows.length, method: "retract" };
  }
  return rewriteFiles(ctx, plan.splits, { ...read, filter: null }, bound!);
}

function commitRequest(ctx: DeleteWhereContext, messages: CommitMessage[]) {
  return {
    schema: ctx.schema, commitUser: ctx.commitUser, commitIdentifier: COMMIT_IDENTIFIER_BATCH, messages, checkCommitted: false,
    options: ctx.options, nowMs: ctx.nowMs, randomUuid: ctx.randomUuid,
  };
}

function refuseDeletionVectors(split: DataSplit, what: string): void {
  if (split.deletionFiles.size > 0) {
    throw new LakeError("unsupported", `${NOUN}: ${what} of a bucket with deletion vectors is not supported yet (their index files would have to be rewritten too)`);
  }
}

async function deleteFiles(ctx: DeleteWhereContext, splits: readonly DataSplit[]): Promise<DeleteResult> {
  const messages: CommitMessage[] = [];
  let rows = 0;
  for (const split of splits) {
    refuseDeletionVectors(split, "dropping the files");
    if (split.files.length === 0) continue;
    messages.push({ partition: split.partition, bucket: split.bucket, totalBuckets: split.totalBuckets, appendDeletedFiles: split.files });
    for (const f of split.files) rows += Number(f.rowCount);
  }
  if (messages.length === 0) return { snapshotIds: [], deletedRowCount: 0, method: "none" };
  const result = await commitChanges(ctx.store, commitRequest(ctx, messages));
  return { snapshotIds: result.snapshotIds, deletedRowCount: rows, method: "files" };
}

async function rewriteFiles(
  ctx: DeleteWhereContext, splits: readonly DataSplit[], read: SplitReadOptions, filter: ReturnType<typeof bindPredicate>,
): Promise<DeleteResult> {
  const { schema } = ctx;
  const partitionFields = logicalPartitionType(schema).fields;
  const core = new CoreOptions(schema.options);
  const partitionOptions = { defaultName: core.partitionDefaultName, legacyName: core.partitionLegacyName };
  const nextFileName = dataFileNamer(ctx.randomUuid ?? (() => crypto.randomUUID()), "parquet", schema.options);
  const messages: CommitMessage[] = [];
  let deleted = 0;
  const row: Value[] = new Array(schema.fields.length);
  for (const split of splits) {
    const removed: DataFileMeta[] = [];
    const added: DataFileMeta[] = [];
    for (const file of split.files) {
      const { columns, rowCount } = await readSplits(read, [{ ...split, files: [file] }]);
      const keep: number[] = [];
      for (let i = 0; i < rowCount; i++) {
        for (let c = 0; c < row.length; c++) row[c] = columns[c]![i] ?? null;
        if (!evaluatePredicate(filter, row)) keep.push(i);
      }
      if (keep.length === rowCount) continue;
      refuseDeletionVectors(split, "rewriting the files");
      deleted += rowCount - keep.length;
      removed.push(file);
      if (keep.length === 0) continue;
      const kept = columns.map((col) => keep.map((i) => col[i] ?? null));
      const partitionPath = partitionFields.length === 0 ? "" : `${partitionPathOf(partitionFields, split.partitionValues, partitionOptions)}/`;
      added.push(...await writeRollingFiles({ rowCount: keep.length, columns: kept, sequenceNumberStart: file.minSequenceNumber }, {
        store: ctx.store, schema, partitionPath, bucket: split.bucket, level: 0, fileSource: FILE_SOURCE.APPEND,
        parquet: await ctx.parquet(), targetFileSizeBytes: targetFileSizeBytes(schema.options, false), nextFileName, nowMs: ctx.nowMs ?? Date.now,
      }));
    }
    if (removed.length > 0) {
      messages.push({ partition: split.partition, bucket: split.bucket, totalBuckets: split.totalBuckets, newFiles: added, appendDeletedFiles: removed });
    }
  }
  if (messages.length === 0) return { snapshotIds: [], deletedRowCount: 0, method: "none" };
  const result = await commitChanges(ctx.store, commitRequest(ctx, messages));
  return { snapshotIds: result.snapshotIds, deletedRowCount: deleted, method: "rewrite" };
}
