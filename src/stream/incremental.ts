/**
 * Batch incremental reads and the `$audit_log` system table.
 *
 * Incremental: the changes of the snapshots in (start, end], given as snapshot ids
 * (`incremental-between`) or commit timestamps (`incremental-between-timestamp`), every
 * record as written with its row kind. Mirrors Java `IncrementalDeltaStartingScanner`:
 *  - scan mode `auto` (Java default `incremental-between-scan-mode`): delta for
 *    changelog-producer none, else changelog; `delta` reads the delta files of APPEND snapshots
 *    (COMPACT and OVERWRITE skipped); `changelog` reads the changelog files of every snapshot but
 *    OVERWRITE ones; `diff` is not implemented (LakeError "unsupported");
 *  - ids: start >= earliest - 1 and end <= latest, else LakeError("invalid_argument") with
 *    Java's message; start == end or an empty table: no rows;
 *  - timestamps: start = the newest snapshot committed at or before the start time (earliest - 1
 *    when none, or when the earliest is younger), end = the newest at or before the end time;
 *    empty when the range misses every snapshot;
 *  - files of one (partition, bucket) are read together, snapshots in order, no merge.
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/snapshot/IncrementalDeltaStartingScanner.java
 * Tags as range ends (Java `IncrementalDiffStartingScanner.betweenTags`) are not implemented.
 * Extension over Java (whose incremental scan sees snapshots only): when the changelog lifecycle
 * is decoupled, ids and timestamps also resolve to long-lived changelogs (`changelog/changelog-N`)
 * older than the earliest snapshot, so the available range starts at the earliest changelog,
 * and a changelog reads as its snapshot did (its changelog or delta files, retained for it).
 *
 * Audit log: every row of a snapshot (default the latest) with its row kind, as Java's
 * `AuditLogTable` batch read returns it (merged, deletes kept; see full_read.ts).
 *
 * Invariants: delta and changelog manifests of the range must hold ADD entries only (Java
 * checks the same), else LakeError("corruption") naming the snapshot.
 * Imports: errors.ts, spec, table/snapshot_manager.ts, stream/*.
 */
import { LakeError } from "../errors.ts";
import { optionEnum, optionString } from "../spec/core_options.ts";
import { ChangelogProducer, type OptionMap } from "../spec/core_options_types.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import { CommitKind } from "../spec/snapshot.ts";
import { readSnapshotOrChangelog } from "../table/changelog_manager.ts";
import { latestSnapshot, latestSnapshotId, readSnapshot } from "../table/snapshot_manager.ts";
import { changeBatch, type ChangeBatch } from "./change_batch.ts";
import { readRawFiles, type StreamTableContext } from "./change_read.ts";
import { groupByBucket, snapshotChangeEntries } from "./delta_plan.ts";
import { readFullSnapshot } from "./full_read.ts";
import { createReadEnv } from "./read_env.ts";
import { earlierOrEqualTimeMills, earliestChangeId, earliestExisting } from "./snapshot_follower.ts";
import { changelogLifecycleDecoupled, parseIncrementalRange, parseLongText } from "./stream_options.ts";

/** Options of `readIncremental`: one range, by snapshot ids or by timestamps. */
export interface IncrementalReadOptions {
  /** Exclusive start snapshot id (with `endSnapshotId`). */
  readonly startSnapshotId?: number | bigint;
  /** Inclusive end snapshot id. */
  readonly endSnapshotId?: number | bigint;
  /** Exclusive start commit time, epoch ms (with `endTimestampMs`). */
  readonly startTimestampMs?: number | bigint;
  /** Inclusive end commit time, epoch ms. */
  readonly endTimestampMs?: number | bigint;
  /** `incremental-between-scan-mode`: auto (default), delta or changelog. */
  readonly scanMode?: "auto" | "delta" | "changelog";
  /** Columns to return (default all). */
  readonly columns?: readonly string[];
  /** Dynamic options; `incremental-between` / `incremental-between-timestamp` give the range when no field does. */
  readonly options?: OptionMap;
  /** True (default) for Arrow-layout buffers where possible; false for values. */
  readonly columnar?: boolean;
}

function invalid(message: string): LakeError {
  return new LakeError("invalid_argument", `incremental: ${message}`);
}

function big(value: number | bigint, what: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) throw invalid(`${what} ${value} is not an integer`);
  return BigInt(value);
}

/** The (start, end] snapshot-id range of the options, or null when the range is empty. */
async function resolveRange(context: StreamTableContext, options: IncrementalReadOptions, tableOptions: OptionMap, decoupled: boolean): Promise<[bigint, bigint] | null> {
  const { store } = context;
  let ids: [bigint, bigint] | null = null;
  let times: [bigint, bigint] | null = null;
  if (options.startSnapshotId !== undefined || options.endSnapshotId !== undefined) {
    if (options.startSnapshotId === undefined || options.endSnapshotId === undefined) throw invalid("give both startSnapshotId and endSnapshotId");
    ids = [big(options.startSnapshotId, "start snapshot id"), big(options.endSnapshotId, "end snapshot id")];
  } else if (options.startTimestampMs !== undefined || options.endTimestampMs !== undefined) {
    if (options.startTimestampMs === undefined || options.endTimestampMs === undefined) throw invalid("give both startTimestampMs and endTimestampMs");
    times = [big(options.startTimestampMs, "start timestamp"), big(options.endTimestampMs, "end timestamp")];
  } else if (optionString(tableOptions, "incremental-between") !== null) {
    const [a, b] = parseIncrementalRange("incremental-between", optionString(tableOptions, "incremental-between")!);
    if (!/^-?\d+$/.test(a) || !/^-?\d+$/.test(b)) {
      throw new LakeError("unsupported", `incremental: incremental-between ${JSON.stringify(`${a},${b}`)} is not two snapshot ids; ranges between tags are not supported`);
    }
    ids = [parseLongText("incremental-between", a), parseLongText("incremental-between", b)];
  } else if (optionString(tableOptions, "incremental-between-timestamp") !== null) {
    const [a, b] = parseIncrementalRange("incremental-between-timestamp", optionString(tableOptions, "incremental-between-timestamp")!);
    times = [parseLongText("incremental-between-timestamp", a), parseLongText("incremental-between-timestamp", b)];
  } else {
    throw invalid("no range: give startSnapshotId/endSnapshotId, startTimestampMs/endTimestampMs, or option incremental-between / incremental-between-timestamp");
  }
  if (ids !== null) {
    const [start, end] = ids;
    if (end < start) throw invalid(`Ending snapshotId should >= starting snapshotId: end ${end}, start ${start}`);
    const earliest = await earliestChangeId(store, decoupled);
    if (earliest === null || start === end) return null;
    const latest = (await latestSnapshotId(store))!;
    if (start < earliest - 1n || end > latest) {
      throw invalid(`The specified scan snapshotId range [${start}, ${end}] is out of available snapshotId range [${earliest}, ${latest}].`);
    }
    return [start, end];
  }
  const [startMs, endMs] = times!;
  if (endMs < startMs) throw invalid(`Ending timestamp ${endMs} should be >= starting timestamp ${startMs}.`);
  const latest = await latestSnapshot(store);
  const earliest = latest === null ? null : await earliestExisting(store, latest.id, decoupled);
  if (earliest === null || latest === null) return null;
  if (startMs === endMs || startMs > latest.timeMillis || endMs < earliest.timeMillis) return null;
  const startSnapshot = await earlierOrEqualTimeMills(store, startMs, decoupled);
  const start = startSnapshot === null || earliest.timeMillis > startMs ? earliest.id - 1n : startSnapshot.id;
  const endSnapshot = await earlierOrEqualTimeMills(store, endMs, decoupled);
  const end = endSnapshot === null ? latest.id : endSnapshot.id;
  return end > start ? [start, end] : null;
}

/**
 * Reads the changes of the snapshots in (start, end] (see the file header). The batch carries
 * the end snapshot id (0 when the range is empty and the table has no snapshot).
 */
export async function readIncremental(context: StreamTableContext, options: IncrementalReadOptions = {}): Promise<ChangeBatch> {
  const tableOptions: OptionMap = { ...context.schema.options, ...(options.options ?? {}) };
  const env = createReadEnv(context, { columns: options.columns, columnar: options.columnar ?? true, tableOptions });
  const mode = options.scanMode ?? optionEnum(tableOptions, "incremental-between-scan-mode")!;
  if (mode === "diff") throw new LakeError("unsupported", "incremental: incremental-between-scan-mode 'diff' is not supported (use auto, delta or changelog)");
  if (mode !== "auto" && mode !== "delta" && mode !== "changelog") throw invalid(`scan mode ${JSON.stringify(mode)} is not auto, delta or changelog`);
  const changelog = mode === "changelog" || (mode === "auto" && optionEnum(tableOptions, "changelog-producer") !== ChangelogProducer.NONE);
  const decoupled = changelogLifecycleDecoupled(tableOptions);
  const range = await resolveRange(context, options, tableOptions, decoupled);
  if (range === null) return changeBatch((await latestSnapshotId(context.store)) ?? 0n, env.fields, []);
  const [start, end] = range;
  const entries: ManifestEntry[] = [];
  for (let id = start + 1n; id <= end; id++) {
    const snapshot = await readSnapshotOrChangelog(context.store, id, decoupled);
    if (snapshot === null) {
      throw new LakeError("not_found", `incremental: snapshot ${id} of the range (${start}, ${end}] does not exist${decoupled ? " as a snapshot or a long-lived changelog" : ""} (expired while reading?)`);
    }
    if (changelog ? snapshot.commitKind === CommitKind.OVERWRITE : snapshot.commitKind !== CommitKind.APPEND) continue;
    if (changelog && snapshot.changelogManifestList === null) continue;
    for (const entry of await snapshotChangeEntries(context.store, snapshot, changelog ? "changelog" : "delta")) {
      if (entry.kind !== FILE_KIND.ADD) {
        throw new LakeError("corruption", `incremental: snapshot ${id}'s ${changelog ? "changelog" : "delta"} manifests delete file ${entry.file.fileName}; delta or changelog manifests should only have ADD files`);
      }
      entries.push(entry);
    }
  }
  const parts = await Promise.all(groupByBucket(context.schema, entries).map((bucket) => readRawFiles(env, bucket)));
  return changeBatch(end, env.fields, parts.flat());
}

/** Options of `readAuditLog`. */
export interface AuditLogOptions {
  /** Snapshot to read; default the latest. */
  readonly snapshotId?: number | bigint;
  readonly columns?: readonly string[];
  readonly options?: OptionMap;
  readonly columnar?: boolean;
}

/**
 * `$audit_log`: every row of a snapshot with its row kind (see the file header). An empty table
 * gives an empty batch with snapshot id 0.
 */
export async function readAuditLog(context: StreamTableContext, options: AuditLogOptions = {}): Promise<ChangeBatch> {
  const tableOptions: OptionMap = { ...context.schema.options, ...(options.options ?? {}) };
  const env = createReadEnv(context, { columns: options.columns, columnar: options.columnar ?? true, tableOptions });
  const snapshot = options.snapshotId === undefined
    ? await latestSnapshot(context.store)
    : await readSnapshot(context.store, big(options.snapshotId, "snapshot id"));
  if (snapshot === null) return changeBatch(0n, env.fields, []);
  return readFullSnapshot(env, snapshot, { keepDelete: true, skipLevel0: env.mergeFactory?.batchScanSkipsLevel0 ?? false });
}
