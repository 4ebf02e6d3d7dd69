/**
 * Commit conflict detection: whether this commit's file changes can still be applied on top of
 * the latest snapshot, checked as Java checks them.
 *
 * Mirrors Java `ConflictDetection` + `PrimaryKeyConflictDetection` / `AppendConflictDetection`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/commit/ConflictDetection.java
 *  1. total buckets stay the same within a partition (skipped for OVERWRITE, which may rescale);
 *  2. the commit's own changes fold cleanly (no file added twice or deleted and re-added);
 *  3. base (live entries of the changed partitions) + delta fold cleanly, and no DELETE is left
 *     over: a file this commit deletes must still be live (else another committer removed it);
 *  4. primary-key tables: files of one (partition, bucket, level >= 1) must not overlap in key
 *     range after the commit (two compactions of one bucket would break the LSM).
 * A failed check is a CommitConflictError naming the files and the base snapshot; Java gives up
 * at once (no retry), and so do we.
 *
 * Invariants: pure functions over entries already read; nothing here touches the store.
 * Imports: format/manifest/live_files.ts, spec types, lsm/sorted_run.ts (type), errors, util.
 */
import { CommitConflictError, LakeError } from "../errors.ts";
import { mergeManifestEntries } from "../format/manifest/live_files.ts";
import type { KeyComparator } from "../lsm/sorted_run.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import type { CommitKind, Snapshot } from "../spec/snapshot.ts";
import { toHex } from "../util/bytes.ts";

/** What conflict checks need to know about the table and the committer. */
export interface ConflictCheckContext {
  readonly commitUser: string;
  /** Comparator of serialized trimmed-primary-key rows; null for append tables. */
  readonly keyComparator: KeyComparator | null;
  /** Readable name of a partition for messages (`k=v/...`, or "table" when unpartitioned). */
  readonly describePartition: (partition: Uint8Array) => string;
}

/** Most files a conflict message lists before it says "and N more". */
const MESSAGE_FILE_COUNT_MAX = 20;

function describeFiles(ctx: ConflictCheckContext, entries: readonly ManifestEntry[]): string {
  const shown = entries.slice(0, MESSAGE_FILE_COUNT_MAX).map((e) =>
    `${e.file.fileName} (${ctx.describePartition(e.partition)}, bucket ${e.bucket}, level ${e.file.level})`);
  const more = entries.length - shown.length;
  return shown.join(", ") + (more > 0 ? ` and ${more} more` : "");
}

/** A partition's expected bucket count, from the commit's ADD entries. */
export interface PartitionBuckets {
  readonly partition: Uint8Array;
  readonly totalBuckets: number;
}

/**
 * The bucket count of each partition the commit adds fixed-bucket files to (`_TOTAL_BUCKETS` > 0),
 * keyed by partition hex. Throws CommitConflictError when two ADDs of one partition disagree
 * (Java `checkSameBucketWithinDelta`).
 */
export function collectPartitionBuckets(ctx: ConflictCheckContext, delta: readonly ManifestEntry[]): Map<string, PartitionBuckets> {
  const out = new Map<string, PartitionBuckets>();
  for (const e of delta) {
    if (e.kind !== FILE_KIND.ADD || e.totalBuckets <= 0) continue;
    const key = toHex(e.partition);
    const previous = out.get(key);
    if (previous === undefined) out.set(key, { partition: e.partition, totalBuckets: e.totalBuckets });
    else if (previous.totalBuckets !== e.totalBuckets) throw bucketCountMismatch(ctx, e.partition, e.totalBuckets, previous.totalBuckets);
  }
  return out;
}

function bucketCountMismatch(ctx: ConflictCheckContext, partition: Uint8Array, buckets: number, previous: number): CommitConflictError {
  return new CommitConflictError(
    `commit: ${ctx.describePartition(partition)} is written with ${buckets} buckets, but its files have ${previous} buckets; ` +
    "rescale it with an overwrite (INSERT OVERWRITE) first");
}

/**
 * Checks the commit's partitions against the bucket counts their live files carry
 * (`previous`, keyed by partition hex; Java `checkSameFixedBucketByTotalBuckets`).
 */
export function checkPartitionBuckets(ctx: ConflictCheckContext, expected: ReadonlyMap<string, PartitionBuckets>, previous: ReadonlyMap<string, number>): void {
  for (const [key, { partition, totalBuckets }] of expected) {
    const old = previous.get(key);
    if (old !== undefined && old !== totalBuckets) throw bucketCountMismatch(ctx, partition, totalBuckets, old);
  }
}

/** Inputs of `checkConflicts`. */
export interface ConflictCheckInput {
  /** The snapshot the commit builds on. */
  readonly latest: Snapshot;
  /** Live entries of the changed partitions in `latest` (from `readPartitionEntries`). */
  readonly base: readonly ManifestEntry[];
  /** This commit's table-file changes, in order. */
  readonly delta: readonly ManifestEntry[];
  readonly commitKind: CommitKind;
}

/** Runs Java's conflict checks; throws CommitConflictError naming what conflicts. */
export function checkConflicts(ctx: ConflictCheckContext, input: ConflictCheckInput): void {
  const { latest, base, delta } = input;
  const where = `snapshot ${latest.id} (committed by ${latest.commitUser}, this commit user ${ctx.commitUser})`;
  if (input.commitKind !== "OVERWRITE") checkBucketKeepSame(ctx, [...base, ...delta], where);
  try {
    mergeManifestEntries(delta);
  } catch (error) {
    throw conflictFromFold(error, "this commit's own changes add or delete a file twice", where);
  }
  let merged: ManifestEntry[];
  try {
    merged = mergeManifestEntries([...base, ...delta]);
  } catch (error) {
    throw conflictFromFold(error, "this commit adds a file that is already live", where);
  }
  const orphanDeletes = merged.filter((e) => e.kind === FILE_KIND.DELETE);
  if (orphanDeletes.length > 0) {
    throw new CommitConflictError(
      `commit: file deletion conflict: ${orphanDeletes.length} file(s) to delete are no longer live in ${where}, ` +
      `another commit removed them: ${describeFiles(ctx, orphanDeletes)}`);
  }
  if (ctx.keyComparator !== null) checkLevelOverlaps(ctx, ctx.keyComparator, merged, where);
}

function conflictFromFold(error: unknown, what: string, where: string): CommitConflictError {
  if (!(error instanceof LakeError)) throw error;
  return new CommitConflictError(`commit: file deletion conflict: ${what} on ${where}: ${error.message}`, { cause: error });
}

function checkBucketKeepSame(ctx: ConflictCheckContext, all: readonly ManifestEntry[], where: string): void {
  const buckets = new Map<string, number>();
  for (const e of all) {
    if (e.totalBuckets <= 0) continue;
    const key = toHex(e.partition);
    const old = buckets.get(key);
    if (old === undefined) buckets.set(key, e.totalBuckets);
    else if (old !== e.totalBuckets) {
      throw new CommitConflictError(
        `commit: total buckets of ${ctx.describePartition(e.partition)} changed from ${old} to ${e.totalBuckets} without overwrite on ${where}`);
    }
  }
}

function checkLevelOverlaps(ctx: ConflictCheckContext, compare: KeyComparator, merged: readonly ManifestEntry[], where: string): void {
  const levels = new Map<string, ManifestEntry[]>();
  for (const e of merged) {
    if (e.file.level < 1) continue;
    const key = `${toHex(e.partition)}/${e.bucket}/${e.file.level}`;
    let list = levels.get(key);
    if (list === undefined) levels.set(key, list = []);
    list.push(e);
  }
  for (const files of levels.values()) {
    files.sort((a, b) => compare(a.file.minKey, b.file.minKey));
    for (let i = 0; i + 1 < files.length; i++) {
      const a = files[i]!, b = files[i + 1]!;
      if (compare(a.file.maxKey, b.file.minKey) >= 0) {
        throw new CommitConflictError(
          `commit: LSM conflict: key ranges overlap within one level after this commit on ${where}: ${describeFiles(ctx, [a, b])}`);
      }
    }
  }
}
