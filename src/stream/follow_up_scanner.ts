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
import { readMergedSplit, readRawFiles, type BucketFiles, type PrefetchedBytes } from "./change_read.ts";
import { planOverwriteChanges, planSnapshotFiles, type BucketChanges } from "./delta_plan.ts";
import type { ReadEnv } from "./read_env.ts";

/** Which follow-up scanner a stream uses, and whether it reads overwrites. */
export interface FollowUpMode {
  /** True: `ChangelogFollowUpScanner`; false: `DeltaFollowUpScanner`. */
  readonly readChangelog: boolean;
  /** True: OVERWRITE snapshots are read as changes (see the file header). */
  readonly readOverwrite: boolean;
  /** True: an expired snapshot is read from its long-lived changelog (`changelog/changelog-N`). */
  readonly changelogDecoupled?: boolean;
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

/** What one follow-up snapshot reads: files as written, or an overwrite's removed and added files. */
export type FollowUpPlan =
  | { readonly kind: "files"; readonly buckets: readonly BucketFiles[] }
  | { readonly kind: "overwrite"; readonly changes: readonly BucketChanges[] };

/**
 * Plans what `snapshot` brings to a stream in `mode`, or null when the stream skips it (Java:
 * not an APPEND snapshot / no changelog, or an overwrite not read as changes).
 */
export async function planFollowUpSnapshot(env: ReadEnv, snapshot: Snapshot, mode: FollowUpMode): Promise<FollowUpPlan | null> {
  const { store, schema } = env.context;
  if (snapshot.commitKind === CommitKind.OVERWRITE && mode.readOverwrite) {
    // Java `getOverwriteChangesPlan`: append tables read the added files as written.
    return env.primaryKey
      ? { kind: "overwrite", changes: await planOverwriteChanges(store, schema, snapshot) }
      : { kind: "files", buckets: await planSnapshotFiles(store, schema, snapshot, "delta") };
  }
  if (!shouldScanSnapshot(snapshot, mode)) return null;
  return { kind: "files", buckets: await planSnapshotFiles(store, schema, snapshot, mode.readChangelog ? "changelog" : "delta") };
}

/** Reads a plan of `snapshot` (buckets concurrently, parts in bucket order); `prefetched` from a read-ahead. */
export async function readFollowUpPlan(env: ReadEnv, snapshot: Snapshot, plan: FollowUpPlan, prefetched?: PrefetchedBytes): Promise<ChangeBatch> {
  if (plan.kind === "files") {
    const parts = await Promise.all(plan.buckets.map((bucket) => readRawFiles(env, bucket, undefined, prefetched)));
    return changeBatch(snapshot.id, env.fields, parts.flat());
  }
  // Java `ReverseReader` over the removed files' merged rows, then the added files' merged rows.
  const parts: ChangePart[] = [];
  for (const changes of plan.changes) {
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

/** The changes `snapshot` brings to a stream in `mode` (plan, then read), or null when skipped. */
export async function readFollowUpSnapshot(env: ReadEnv, snapshot: Snapshot, mode: FollowUpMode): Promise<ChangeBatch | null> {
  const plan = await planFollowUpSnapshot(env, snapshot, mode);
  return plan === null ? null : readFollowUpPlan(env, snapshot, plan);
}
