/**
 * One snapshot of a commit: the optimistic attempt loop that builds `snapshot-N` on the latest
 * snapshot and publishes it with ONE conditional create, retrying with bounded backoff when a
 * concurrent committer takes N first.
 *
 * Mirrors Java `FileStoreCommitImpl#tryCommit` / `#tryCommitOnce` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/operation/FileStoreCommitImpl.java
 * Per attempt: re-read the latest snapshot; after a failed attempt, first look for our own
 * snapshot (same user, identifier and kind) among those that appeared since, which settles an
 * attempt whose outcome was unknown; ask the phase for its changes; check conflicts; write the
 * new base list (previous base + delta, merged per `manifest_merge.ts`), the delta list, the
 * changelog list and the index manifest; then `putIfAbsent("snapshot/snapshot-N")`.
 * Manifests of the delta and changelog are written once and reused by every attempt (as long as
 * the changes are the same); a lost attempt's merge result is reused when its input is still
 * part of the new base (Java `tryReuseManifestMergeResult`), else the retry skips merging.
 *
 * Invariants (crash safety): the putIfAbsent of the snapshot is the only commit point; every
 * other file is new, uniquely named and unreferenced until that put succeeds, so a crash at any
 * point leaves the table at its last snapshot. The LATEST hint and the clean-up of files no
 * snapshot references are best effort, after the commit point. Nothing is deleted while an
 * attempt's outcome is unknown.
 *
 * Imports: table (commit_* modules, manifest_*, snapshot/schema managers), spec, io types,
 * errors, util.
 */
import { CommitConflictError, LakeError } from "../errors.ts";
import { manifestEntryIdentifier } from "../format/manifest/live_files.ts";
import type { ObjectStore } from "../io/store.ts";
import { INDEX_TYPES } from "../spec/index_manifest_entry.ts";
import type { ManifestEntry } from "../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../spec/manifest_file_meta.ts";
import { encodeHint, LATEST_HINT, SNAPSHOT_DIR, snapshotFileName } from "../spec/paths.ts";
import type { CommitKind, Snapshot } from "../spec/snapshot.ts";
import { equalBytes, utf8Encode } from "../util/bytes.ts";
import type { CommitChangeSet } from "./commit_changes.ts";
import {
  checkConflicts, checkPartitionBuckets, collectPartitionBuckets, type ConflictCheckContext,
} from "./commit_conflicts.ts";
import { PartitionSet, readPartitionEntries, readTotalBuckets } from "./commit_scan.ts";
import { buildSnapshotAttempt, type SnapshotBuildEnv } from "./commit_snapshot.ts";
import { mergeManifestFiles } from "./manifest_merge.ts";
import { snapshotManifests } from "./manifest_reader.ts";
import {
  deleteMetadataFilesQuietly, writeManifestList, writeManifests, type ManifestWriteContext, type WrittenList,
} from "./manifest_writer.ts";
import { latestSnapshot, readSnapshot, snapshotPath } from "./snapshot_manager.ts";

/** One snapshot to commit: its kind, whether to detect conflicts, and its changes per attempt. */
export interface CommitPhase {
  readonly kind: CommitKind;
  /** Java `detectConflicts`: run the full conflict checks against the latest snapshot. */
  readonly detectConflicts: boolean;
  /** The changes to commit on top of `latest` (called once per attempt). */
  readonly provide: (latest: Snapshot | null) => Promise<CommitChangeSet>;
}

/** What every phase of one commit call shares. */
export interface CommitEnv extends SnapshotBuildEnv {
  readonly conflict: ConflictCheckContext;
  /** Fixed-bucket table: APPEND commits check `_TOTAL_BUCKETS` against the live files. */
  readonly fixedBucket: boolean;
  /** `commit.discard-duplicate-files`: APPEND drops ADDs of files already live. */
  readonly discardDuplicateFiles: boolean;
  readonly retryCountMax: number;
  readonly retryWaitMinMs: number;
  readonly retryWaitMaxMs: number;
  /** `commit.timeout` in ms; null = none. */
  readonly timeoutMs: number | null;
  readonly sleepMs: (ms: number) => Promise<void>;
  /** Uniform [0, 1) numbers for backoff jitter. */
  readonly random: () => number;
  /** Partitions whose bucket count this call has already checked (by hex). */
  readonly checkedBucketPartitions: Set<string>;
  /** Builds a fresh write context (its own `written` list) for one phase. */
  readonly newWriteContext: () => ManifestWriteContext;
}

/** The result of a committed phase. */
export interface PhaseResult {
  readonly snapshotId: bigint;
  /** Failed attempts before the successful one. */
  readonly retryCount: number;
}

/** How an attempt ended when it did not commit. */
interface RetryState {
  /** The latest snapshot the attempt built on. */
  readonly latestBefore: Snapshot | null;
  /** The snapshot id it tried to create. */
  readonly targetId: bigint;
  /** Base manifests before and after merging, for reuse by the next attempt; null = none. */
  readonly merge: { before: ManifestFileMeta[]; after: ManifestFileMeta[] } | null;
}

/** Metadata written by the attempts of one phase, for reuse and clean-up. */
interface PhaseFiles {
  readonly ctx: ManifestWriteContext;
  delta: { key: string; metas: ManifestFileMeta[]; list: WrittenList } | null;
  changelog: { key: string; metas: ManifestFileMeta[]; list: WrittenList } | null;
  /** Names each attempt's snapshot would reference, by that attempt's base list name. */
  readonly referencedByBaseList: Map<string, Set<string>>;
  /** Snapshot ids attempts tried to create with an unknown outcome (any blocks every delete). */
  readonly uncertainTargets: Set<bigint>;
}

function changesKey(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => `${e.kind}:${manifestEntryIdentifier(e)}`).join("\n");
}

/** Java `ManifestEntryChanges.changedPartitions`: data partitions plus DV/global index ones. */
function changedPartitions(changes: CommitChangeSet): PartitionSet {
  const out = new PartitionSet(changes.tableFiles.map((e) => e.partition));
  for (const e of changes.indexFiles) {
    if (e.indexFile.indexType === INDEX_TYPES.DELETION_VECTORS || e.indexFile.globalIndex !== null) out.add(e.partition);
  }
  return out;
}

/** Java `ListUtils.tryReplace`: `list` with the first run equal to `replaced` swapped, or null. */
function tryReplace(list: readonly ManifestFileMeta[], replaced: readonly ManifestFileMeta[], replacement: readonly ManifestFileMeta[]): ManifestFileMeta[] | null {
  for (let start = 0; start + replaced.length <= list.length; start++) {
    if (replaced.every((m, i) => list[start + i]!.fileName === m.fileName)) {
      return [...list.slice(0, start), ...replacement, ...list.slice(start + replaced.length)];
    }
  }
  return null;
}

async function checkBeforeWrite(env: CommitEnv, phase: CommitPhase, latest: Snapshot | null, changes: CommitChangeSet): Promise<readonly ManifestEntry[]> {
  let delta = changes.tableFiles;
  if (latest === null) {
    collectPartitionBuckets(env.conflict, delta); // Java checkSameBucketWithinDelta
    return delta;
  }
  const discard = env.discardDuplicateFiles && phase.kind === "APPEND";
  if (phase.detectConflicts || discard) {
    const base = await readPartitionEntries(env.store, latest, changedPartitions(changes), env.partitionTypes);
    if (discard) {
      const live = new Set(base.map(manifestEntryIdentifier));
      delta = delta.filter((e) => !live.has(manifestEntryIdentifier(e)));
    }
    checkConflicts(env.conflict, { latest, base, delta, commitKind: phase.kind });
    return delta;
  }
  if (phase.kind === "APPEND" && env.fixedBucket) {
    // Java checks this in the writer (restore) or, for write-only tables, here; a committer that
    // cannot trust its writer checks it always. Reads stop at the first live file per partition.
    const expected = collectPartitionBuckets(env.conflict, delta);
    for (const key of env.checkedBucketPartitions) expected.delete(key);
    if (expected.size > 0) {
      const partitions = new PartitionSet([...expected.values()].map((p) => p.partition));
      checkPartitionBuckets(env.conflict, expected, await readTotalBuckets(env.store, latest, partitions, env.partitionTypes));
      for (const key of expected.keys()) env.checkedBucketPartitions.add(key);
    }
  }
  return delta;
}

async function writeOnce(
  ctx: ManifestWriteContext,
  cached: { key: string; metas: ManifestFileMeta[]; list: WrittenList } | null,
  entries: readonly ManifestEntry[],
): Promise<{ key: string; metas: ManifestFileMeta[]; list: WrittenList }> {
  const key = changesKey(entries);
  if (cached !== null && cached.key === key) return cached;
  const metas = await writeManifests(ctx, entries);
  return { key, metas, list: await writeManifestList(ctx, metas) };
}

async function mergeBase(env: CommitEnv, ctx: ManifestWriteContext, latest: Snapshot | null, retry: RetryState | null): Promise<{
  before: ManifestFileMeta[]; after: ManifestFileMeta[]; skipped: boolean;
}> {
  const before = latest === null ? [] : await snapshotManifests(env.store, latest, "all");
  if (retry === null) return { before, after: await mergeManifestFiles(ctx, before, env.merge, []), skipped: false };
  const previous = retry.merge;
  if (previous !== null) {
    if (previous.before.length === 0) {
      if (before.length === 0) return { before, after: previous.after, skipped: false };
    } else {
      const reused = tryReplace(before, previous.before, previous.after);
      if (reused !== null) return { before, after: reused, skipped: false };
    }
  }
  return { before, after: before, skipped: true }; // Java skips merging on a retry it cannot reuse
}

type AttemptOutcome =
  | { readonly committed: Snapshot; readonly byThisAttempt: boolean }
  | { readonly retry: RetryState };

async function findOwnSnapshot(env: CommitEnv, kind: CommitKind, latest: Snapshot, retry: RetryState): Promise<Snapshot | null> {
  for (let id = (retry.latestBefore?.id ?? 0n) + 1n; id <= latest.id; id++) {
    const s = id === latest.id ? latest : await readSnapshot(env.store, id);
    if (s.commitUser === env.commitUser && s.commitIdentifier === env.commitIdentifier && s.commitKind === kind) return s;
  }
  return null;
}

async function attemptOnce(env: CommitEnv, phase: CommitPhase, files: PhaseFiles, retry: RetryState | null): Promise<AttemptOutcome> {
  const latest = await latestSnapshot(env.store);
  if (retry !== null && latest !== null) {
    const own = await findOwnSnapshot(env, phase.kind, latest, retry);
    // Attempts aiming at ids that now exist are settled: ours was found, or they lost.
    for (const target of files.uncertainTargets) if (target <= latest.id) files.uncertainTargets.delete(target);
    if (own !== null) return { committed: own, byThisAttempt: false };
  }
  const changes = await phase.provide(latest);
  const delta = await checkBeforeWrite(env, phase, latest, changes);
  const ctx = files.ctx;
  const merged = await mergeBase(env, ctx, latest, retry);
  const baseList = await writeManifestList(ctx, merged.after);
  files.delta = await writeOnce(ctx, files.delta, delta);
  files.changelog = changes.changelogFiles.length === 0 ? files.changelog : await writeOnce(ctx, files.changelog, changes.changelogFiles);
  const changelog = changes.changelogFiles.length === 0 ? null : files.changelog!;
  const built = await buildSnapshotAttempt(env, ctx, {
    latest, kind: phase.kind, baseList, deltaList: files.delta.list, changelogList: changelog?.list ?? null,
    delta, changelogFiles: changes.changelogFiles, indexFiles: changes.indexFiles,
  });
  const referenced = new Set<string>([baseList.fileName, files.delta.list.fileName, ...files.delta.metas.map((m) => m.fileName),
    ...merged.after.map((m) => m.fileName)]);
  if (changelog !== null) for (const n of [changelog.list.fileName, ...changelog.metas.map((m) => m.fileName)]) referenced.add(n);
  if (built.newIndexManifest !== null) referenced.add(built.newIndexManifest);
  files.referencedByBaseList.set(baseList.fileName, referenced);

  const id = built.snapshot.id;
  const nextRetry = (): RetryState => ({
    latestBefore: latest, targetId: id, merge: merged.skipped ? null : { before: merged.before, after: merged.after },
  });
  let created: boolean;
  try {
    created = await env.store.putIfAbsent(snapshotPath(id), built.bytes); // THE commit point
  } catch (error) {
    if (!(error instanceof LakeError) || error.code !== "io") throw error;
    files.uncertainTargets.add(id); // the snapshot may exist: never clean up files blindly now
    return { retry: nextRetry() };
  }
  if (created) {
    files.uncertainTargets.delete(id); // an earlier attempt at this id did not land: we hold it
    return { committed: built.snapshot, byThisAttempt: true };
  }
  // Lost the race, unless the file is ours (Java RenamingSnapshotCommit compares contents).
  const existing = await env.store.get(snapshotPath(id));
  if (equalBytes(existing, built.bytes)) return { committed: built.snapshot, byThisAttempt: true };
  return { retry: nextRetry() };
}

/** Bounded exponential backoff with 20% jitter (Java `RetryWaiter`). */
function retryWaitMs(env: CommitEnv, retryCount: number): number {
  const wait = Math.min(env.retryWaitMinMs * 2 ** retryCount, env.retryWaitMaxMs);
  return wait + Math.floor(env.random() * Math.max(1, Math.floor(wait * 0.2)));
}

async function cleanUp(env: CommitEnv, files: PhaseFiles, committed: Snapshot | null): Promise<void> {
  if (files.uncertainTargets.size > 0) return; // an unknown outcome may reference any of them
  const keep = committed === null ? new Set<string>() : files.referencedByBaseList.get(committed.baseManifestList);
  if (committed !== null && keep === undefined) return; // committed by an attempt we cannot map: keep all
  await deleteMetadataFilesQuietly(env.store, files.ctx.written.filter((n) => !keep!.has(n)));
}

/**
 * Commits one phase as one new snapshot, retrying lost races up to `env.retryCountMax` times.
 * Throws CommitConflictError on a detected conflict (at once, as Java) or when retries run out;
 * io errors propagate. Files written by failed attempts are deleted best effort.
 */
export async function commitPhase(env: CommitEnv, phase: CommitPhase): Promise<PhaseResult> {
  const files: PhaseFiles = {
    ctx: env.newWriteContext(), delta: null, changelog: null, referencedByBaseList: new Map(), uncertainTargets: new Set(),
  };
  const startMs = env.nowMs();
  let retry: RetryState | null = null;
  for (let retryCount = 0; ; retryCount++) {
    let outcome: AttemptOutcome;
    try {
      outcome = await attemptOnce(env, phase, files, retry);
    } catch (error) {
      await cleanUp(env, files, null);
      throw error;
    }
    if ("committed" in outcome) {
      await cleanUp(env, files, outcome.committed);
      if (outcome.byThisAttempt) await writeLatestHint(env.store, outcome.committed.id);
      return { snapshotId: outcome.committed.id, retryCount };
    }
    retry = outcome.retry;
    const timedOut = env.timeoutMs !== null && env.nowMs() - startMs > env.timeoutMs;
    if (timedOut || retryCount >= env.retryCountMax) {
      await cleanUp(env, files, null);
      const why = timedOut ? `commit.timeout ${env.timeoutMs} ms passed` : `${retryCount} retries (commit.max-retries)`;
      throw new CommitConflictError(
        `commit: ${phase.kind} snapshot lost the race for ${snapshotFileName(retry.targetId)} and gave up after ${why}; ` +
        "concurrent committers keep taking the next snapshot id");
    }
    await env.sleepMs(retryWaitMs(env, retryCount));
  }
}

/**
 * Writes the LATEST hint, best effort: readers trust it only when the next snapshot does not
 * exist (they walk forward or list), so a failed or stale write (racing committers may even
 * move it backwards) costs readers a listing, never correctness.
 */
async function writeLatestHint(store: ObjectStore, id: bigint): Promise<void> {
  try {
    await store.put(`${SNAPSHOT_DIR}/${LATEST_HINT}`, utf8Encode(encodeHint(id)));
  } catch {
    // Best effort, see above.
  }
}
