/**
 * Finds the snapshots a stream reads: the next one by id (or null while it is not committed
 * yet), the error when it can never come (expired, or the table was recreated), the earliest
 * snapshot a stream may start from, and commit-time searches for from-timestamp starts and
 * timestamp ranges.
 *
 * Mirrors Java `NextSnapshotFetcher` (a missing `snapshot-N` is awaited while N is within
 * [earliest, latest + 1]; a long-lived `changelog/changelog-N` stands in for an expired
 * snapshot when the changelog lifecycle is decoupled), `TimeTravelUtil.earlierThanTimeMills`
 * and `SnapshotManager.earlierOrEqualTimeMills`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/NextSnapshotFetcher.java
 * A miss costs two reads: `snapshot-N` and the EARLIEST hint. The full range check (earliest
 * and latest ids, a directory listing when hints are stale) runs on a stream's first miss, when
 * the hint says N is below the earliest snapshot, and every 16th miss as in Java
 * (`RANGE_CHECK_INTERVAL`), so an expired
 * snapshot is reported on the first poll after expiration wrote its hint, and within 16 polls
 * when the hint is missing or stale.
 *
 * Invariants: never skips a snapshot: an expired next snapshot is LakeError("not_found") whose
 * message names the snapshot, the retained range and how to restart.
 * Imports: errors.ts, io/store.ts (types), spec (paths, snapshot), util/bytes.ts,
 * table (snapshot_manager, changelog_manager).
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { EARLIEST_HINT, parseHint, SNAPSHOT_DIR } from "../spec/paths.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { utf8Decode } from "../util/bytes.ts";
import { earliestChangelogId, readSnapshotOrChangelog, tryReadChangelog } from "../table/changelog_manager.ts";
import { earliestSnapshotId, latestSnapshotId, readSnapshot } from "../table/snapshot_manager.ts";

/** Misses between two full range checks (Java `NextSnapshotFetcher.RANGE_CHECK_INTERVAL`). */
export const RANGE_CHECK_INTERVAL = 16;

/** Mutable per-stream state of `fetchNextSnapshot`. */
export interface FollowState {
  /** Consecutive misses since the last snapshot found. */
  misses: number;
  /** True once a full range check ran (the stream's first miss always runs one). */
  rangeChecked: boolean;
}

/** How the follower looks for snapshots. */
export interface FollowOptions {
  /** Java `changelogLifecycleDecoupled()`: fall back to `changelog/changelog-N`. */
  readonly changelogDecoupled: boolean;
  /** The stream's consumer id, named in the restart advice; null without consumer. */
  readonly consumerId: string | null;
}

/** Reads snapshot `id`, or null when `snapshot-<id>` does not exist. */
export async function readSnapshotOrNull(store: ObjectStore, id: bigint): Promise<Snapshot | null> {
  try {
    return await readSnapshot(store, id);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") return null;
    throw error;
  }
}

/** Reads the long-lived changelog `changelog/changelog-<id>`, or null when absent. */
export async function readLongLivedChangelog(store: ObjectStore, id: bigint): Promise<Snapshot | null> {
  return tryReadChangelog(store, id);
}

/**
 * The earliest id a stream can read changes of: the earliest long-lived changelog when the
 * lifecycle is decoupled and one exists, else the earliest snapshot; null for an empty table.
 */
export async function earliestChangeId(store: ObjectStore, changelogDecoupled: boolean): Promise<bigint | null> {
  if (changelogDecoupled) {
    const id = await earliestChangelogId(store);
    if (id !== null) return id;
  }
  return earliestSnapshotId(store);
}

/** The advice of every "cannot continue" error. */
function restartAdvice(consumerId: string | null): string {
  const consumer = consumerId === null ? "" : `, or reset consumer '${consumerId}' (consumer/consumer-${consumerId}) to a retained snapshot`;
  return `restart the stream with scan mode 'latest-full' or 'latest'${consumer}; to keep unread snapshots, read with a consumer id (expiration keeps what consumers have not read) or retain snapshots or their changelogs longer (snapshot.time-retained, snapshot.num-retained.min, changelog.time-retained, changelog.num-retained.min)`;
}

/** LakeError("not_found") for a stream whose next snapshot `id` has expired. */
export function expiredSnapshotError(id: bigint, earliest: bigint | null, latest: bigint | null, consumerId: string | null): LakeError {
  const range = earliest === null ? "the table has no snapshot left" : `snapshots ${earliest}..${latest ?? earliest} remain`;
  return new LakeError("not_found", `stream: the next snapshot to read, ${id}, has expired (${range}); changes were lost to this stream, so it stops instead of skipping them: ${restartAdvice(consumerId)}`);
}

/**
 * The snapshot `id` when it exists (or its long-lived changelog), null while it is not
 * committed yet. Throws the expired error when `id` is below the earliest snapshot, and
 * LakeError("invalid_argument") when `id` is beyond latest + 1 (the table was recreated).
 */
export async function fetchNextSnapshot(store: ObjectStore, id: bigint, options: FollowOptions, state: FollowState = { misses: 0, rangeChecked: false }): Promise<Snapshot | null> {
  const snapshot = await readSnapshotOrNull(store, id);
  if (snapshot !== null) {
    state.misses = 0;
    return snapshot;
  }
  if (options.changelogDecoupled) {
    const changelog = await readLongLivedChangelog(store, id);
    if (changelog !== null) return changelog;
  }
  state.misses++;
  if (state.rangeChecked && state.misses % RANGE_CHECK_INTERVAL !== 0 && !(await earliestHintBeyond(store, id))) return null;
  state.rangeChecked = true;
  const [earliest, latest] = await Promise.all([earliestSnapshotId(store), latestSnapshotId(store)]);
  if (earliest === null || earliest <= id) {
    if ((earliest === null && id > 1n) || (latest !== null && id > latest + 1n)) {
      throw new LakeError("invalid_argument", `stream: the next snapshot to read, ${id}, is beyond the latest snapshot ${latest ?? "(none)"} + 1: the table was probably dropped and recreated; ${restartAdvice(options.consumerId)}`);
    }
    return null; // not committed yet
  }
  // A concurrent commit may have been read as missing just before the listing: look again.
  const again = await readSnapshotOrNull(store, id);
  if (again !== null) return again;
  throw expiredSnapshotError(id, earliest, latest, options.consumerId);
}

/** True when the EARLIEST hint names a snapshot after `id` (best effort: false when absent or unreadable). */
async function earliestHintBeyond(store: ObjectStore, id: bigint): Promise<boolean> {
  try {
    const hint = parseHint(utf8Decode(await store.get(`${SNAPSHOT_DIR}/${EARLIEST_HINT}`)));
    return hint !== null && hint > id;
  } catch (error) {
    if (error instanceof LakeError) return false; // a missing hint only delays the check
    throw error;
  }
}

/** Snapshot `id`, or its changelog when `changelogDecoupled`; LakeError("not_found") when neither exists. */
async function readChangeSnapshot(store: ObjectStore, id: bigint, changelogDecoupled: boolean): Promise<Snapshot> {
  if (!changelogDecoupled) return readSnapshot(store, id);
  const found = await readSnapshotOrChangelog(store, id, true);
  if (found === null) throw new LakeError("not_found", `stream: neither snapshot ${id} nor changelog ${id} exists (expired meanwhile?)`);
  return found;
}

/**
 * Java `TimeTravelUtil.earlierThanTimeMills(..., startFromChangelog = changelogDecoupled,
 * returnNullIfTooEarly = false)`: the id of the newest snapshot (or long-lived changelog, when
 * decoupled) committed strictly before `timestampMs`; earliest - 1 when every one is at or after
 * it; null for an empty table.
 */
export async function earlierThanTimeMills(store: ObjectStore, timestampMs: bigint, changelogDecoupled = false): Promise<bigint | null> {
  const latest = await latestSnapshotId(store);
  if (latest === null) return null;
  const first = await earliestExisting(store, latest, changelogDecoupled);
  if (first === null) return latest - 1n;
  if (first.timeMillis >= timestampMs) return first.id - 1n;
  let lo = first.id, hi = latest;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if ((await readChangeSnapshot(store, mid, changelogDecoupled)).timeMillis < timestampMs) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * Java `SnapshotManager.earlierOrEqualTimeMills`: a snapshot committed at or before
 * `timestampMs` (the newest such, or one committed exactly then), or null. With
 * `changelogDecoupled` (a lakestate extension for incremental reads) long-lived changelogs
 * older than the earliest snapshot are searched too.
 */
export async function earlierOrEqualTimeMills(store: ObjectStore, timestampMs: bigint, changelogDecoupled = false): Promise<Snapshot | null> {
  const latest = await latestSnapshotId(store);
  if (latest === null) return null;
  const first = await earliestExisting(store, latest, changelogDecoupled);
  if (first === null || first.timeMillis > timestampMs) return null;
  let lo = first.id, hi = latest;
  let found: Snapshot | null = null;
  while (lo <= hi) {
    const mid = lo + (hi - lo) / 2n;
    const snapshot = await readChangeSnapshot(store, mid, changelogDecoupled);
    if (snapshot.timeMillis > timestampMs) hi = mid - 1n;
    else if (snapshot.timeMillis < timestampMs) {
      lo = mid + 1n;
      found = snapshot;
    } else return snapshot;
  }
  return found;
}

/**
 * The earliest snapshot (or long-lived changelog, when decoupled) that still exists up to
 * `latest` (expiration may race the search).
 */
export async function earliestExisting(store: ObjectStore, latest: bigint, changelogDecoupled = false): Promise<Snapshot | null> {
  const earliest = await earliestChangeId(store, changelogDecoupled);
  if (earliest === null) return null;
  for (let id = earliest; id <= latest; id++) {
    const snapshot = await readSnapshotOrChangelog(store, id, changelogDecoupled);
    if (snapshot !== null) return snapshot;
  }
  return null;
}
