/**
 * The follow-up step of a stream: given the next snapshot, decide whether it carries changes
 * for this stream and read them.
 *
 * Mirrors Java `DataTableStreamScan#nextPlan` with its `FollowUpScanner`s:
 *  - `DeltaFollowUpScanner` (changelog-producer none): only APPEND snapshots, their delta
 *    manifest list's ADD files read as written (records keep their row kinds, -D included;
 *    no merge inside the delta); COMPACT, OVERWRITE and ANALYZE snapshots are skipped.
 *  - `ChangelogFollowUpScanner` (input, lookup, full-compaction): every snapshot with a
 *    changelog manifest list, its changelog files read as written (APPEND snapshots for input,
 *    COMPACT snapshots for lookup and full-compaction).
 *  - OVERWRITE snapshots, first, when the table supports streaming overwrite reads
 *    (`streaming-read-overwrite` on primary-key tables, `streaming-read-append-overwrite` on
 *    append tables, default false: skipped): `getOverwriteChangesPlan`, i.e. for append tables
 *    the files the overwrite added (+I); for primary-key tables the merged rows of the files it
 *    removed as -D (Java `ReverseReader`) followed by the merged rows of the files it added.
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/snapshot/DeltaFollowUpScanner.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/splitread/IncrementalChangelogReadProvider.java
 *
 * Invariants: returns null exactly when Java's scan moves on without a plan; a snapshot whose
 * plan reads no row yields an empty batch (the stream skips it, as Java skips empty plans).
 * Imports: spec (row_kind, snapshot), table/scan.ts (types), stream (change_batch, change_read,
 * delta_plan, read_env).
 */
import { LakeError } from "../errors.ts";
import { RowKind } from "../spec/row_kind.ts";
import { CommitKind, type Snapshot } from "../spec/snapshot.ts";
import type { DataSplit } from "../table/scan.ts";
import { changeBatch, type ChangeBatch, type ChangePart } from "./change_batch.ts";
import { readMergedSplit, readRawFiles, type BucketFiles } from "./change_read.ts";
import { planOverwriteChanges, planSnapshotFiles, type BucketChanges } from "./delta_plan.ts";
import type { ReadEnv } from "./read_env.ts";

/** Which follow-up scanner a stream uses, and whether it reads overwrites. */
export interface FollowUpMode {
  /** True: `ChangelogFollowUpScanner`; false: `DeltaFollowUpScanner`. */
  readonly readChangelog: boolean;
  /** True: OVERWRITE snapshots are read as changes (see the file header). */
  readonly readOverwrite: boolean;
}

/** Java `FollowUpScanner#shouldScanSnapshot`. */
export function shouldScanSnapshot(snapshot: Snapshot, mode: FollowUpMode): boolean {
  return mode.readChangelog ? snapshot.changelogManifestList !== null : snapshot.commitKind === CommitKind.APPEND;
}

/** The merged rows of `files` in one bucket (no deletion vectors: Java attaches none to streaming splits). */
async function readMergedFiles(env: ReadEnv, changes: BucketChanges, files: DataSplit["files"]): Promise<ChangePart> {
  const split: DataSplit = {
    partition: changes.partition,
    partitionValues: changes.partitionValues,
    bucket: changes.bucket,
    totalBuckets: 0,
    files: [...files].sort((a, b) => b.level - a.level || (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0)),
    deletionFiles: new Map(),
  };
  return readMergedSplit(env, split, { kernel: await env.kernel(), mergeFactory: env.mergeFactory!, keepDelete: false });
}

/** Reads the files of every bucket as written (buckets concurrently, parts in bucket order). */
async function readBuckets(env: ReadEnv, snapshot: Snapshot, buckets: readonly BucketFiles[]): Promise<ChangeBatch> {
  const parts = await Promise.all(buckets.map((bucket) => readRawFiles(env, bucket)));
  return changeBatch(snapshot.id, env.fields, parts.flat());
}

/** Java `getOverwriteChangesPlan` + its read (see the file header). */
async function readOverwriteChanges(env: ReadEnv, snapshot: Snapshot): Promise<ChangeBatch> {
  const { context } = env;
  if (!env.primaryKey) {
    return readBuckets(env, snapshot, await planSnapshotFiles(context.store, context.schema, snapshot, "delta"));
  }
  const parts: ChangePart[] = [];
  for (const changes of await planOverwriteChanges(context.store, context.schema, snapshot)) {
    if (changes.before.length > 0) {
      const before = await readMergedFiles(env, changes, changes.before);
      for (let i = 0; i < before.rowCount; i++) {
        const kind = before.rowKinds[i]!;
        if (kind !== RowKind.INSERT && kind !== RowKind.UPDATE_AFTER) {
          throw new LakeError("corruption", `stream: overwrite snapshot ${snapshot.id}: a removed file's merged row has row kind ${kind}; Java's ReverseReader accepts only +I/+U`);
        }
      }
      parts.push({ ...before, rowKinds: new Uint8Array(before.rowCount).fill(RowKind.DELETE) });
    }
    if (changes.after.length > 0) parts.push(await readMergedFiles(env, changes, changes.after));
  }
  return changeBatch(snapshot.id, env.fields, parts);
}

/**
 * The changes `snapshot` brings to a stream in `mode`, or null when the stream skips it
 * (Java: not an APPEND snapshot / no changelog, or an overwrite not read as changes).
 */
export async function readFollowUpSnapshot(env: ReadEnv, snapshot: Snapshot, mode: FollowUpMode): Promise<ChangeBatch | null> {
  if (snapshot.commitKind === CommitKind.OVERWRITE && mode.readOverwrite) return readOverwriteChanges(env, snapshot);
  if (!shouldScanSnapshot(snapshot, mode)) return null;
  const { context } = env;
  return readBuckets(env, snapshot, await planSnapshotFiles(context.store, context.schema, snapshot, mode.readChangelog ? "changelog" : "delta"));
}
