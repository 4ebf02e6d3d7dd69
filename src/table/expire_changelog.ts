/**
 * Changelog expiration: removes the oldest long-lived changelogs (`changelog/changelog-N`) that
 * changelog retention no longer keeps, with the changelog files, manifests and manifest lists
 * only they still reference, as Java's `ExpireChangelogImpl` with `ChangelogDeletion` does. Runs
 * after snapshot expiration when the changelog lifecycle is decoupled (expire_snapshots.ts).
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/ExpireChangelogImpl.java
 * and https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/ChangelogDeletion.java
 *  - Range: with latest snapshot L and changelogs E..LC, expire [E, end) where
 *    end = min(L - `changelog.num-retained.min` + 1, the smallest consumer `nextSnapshot`,
 *    E + `snapshot.expire.limit`, LC) (the newest changelog always stays); from
 *    max(L - `changelog.num-retained.max` + 1, E) on, the first changelog whose own `timeMillis`
 *    is not older than now - `changelog.time-retained` ends the range (Java's rule: it checks the
 *    changelog itself, not its successor as snapshot expiration does).
 *  - Per changelog: with a changelog manifest list, the files its changelog manifests ADD and
 *    that list with its manifests; without (changelog-producer none: the changelog is the APPEND
 *    files of the delta), the files its delta DELETEs (kept when the nearest older tag lists
 *    them; a changelog whose tag cannot be read is left alone, as Java does) and its delta and
 *    base lists with their manifests. Manifests and lists that the tags overlapping the range,
 *    the `end` changelog or the earliest snapshot reference are kept. Index manifests and
 *    statistics were already deleted with the snapshot.
 *  - Order (each step finishes before the next starts): data and changelog files; manifests;
 *    manifest lists; the changelog files of `changelog/`, oldest first; the changelog EARLIEST
 *    hint = end. Before planning, stale changelog LATEST / EARLIEST hints (a hint put that failed
 *    earlier) are rewritten (lakestate addition, as snapshot expiration fixes its EARLIEST hint).
 * Crash safety: a changelog file is deleted only after every file it names that is planned, so
 * a retry re-plans the same range; deletes are idempotent and planning tolerates files an
 * earlier run removed. A failed delete stops the run with LakeError("io") (Java deletes quietly).
 *
 * Imports: errors.ts, io/store.ts types, spec (snapshot, schema, paths), table (changelog_manager,
 * consumer_manager, expire_delete, expire_plan, manifest_reader, snapshot_manager, tag_manager).
 */
import { isLakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { MANIFEST_DIR } from "../spec/paths.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import {
  changelogPath, earliestChangelogId, latestChangelogId, repairChangelogHints, tryReadChangelog, writeChangelogEarliestHint,
} from "./changelog_manager.ts";
import { minNextSnapshot } from "./consumer_manager.ts";
import { deleteStep } from "./expire_delete.ts";
import {
  planAddedInChangelog, planDeletedInDelta, planUnusedManifestList, skippingTags, TablePaths, TagSkippers,
} from "./expire_plan.ts";
import { readIndexManifest, readManifestList } from "./manifest_reader.ts";
import { earliestExistingSnapshot, latestSnapshotId } from "./snapshot_manager.ts";
import { taggedSnapshots } from "./tag_manager.ts";

const NOUN = "expire changelog";

/** The changelog retention one call uses (Java `ExpireConfig` changelog fields). */
export interface ChangelogExpireConfig {
  /** `changelog.num-retained.min` (>= 1). */
  readonly retainMin: bigint;
  /** `changelog.num-retained.max` (>= retainMin). */
  readonly retainMax: bigint;
  /** `changelog.time-retained`, ms. */
  readonly timeRetainedMs: number;
  /** `snapshot.expire.limit`: most changelogs one call expires. */
  readonly limit: bigint;
  /** Concurrent deletes per step (>= 1). */
  readonly concurrency: number;
}

/** What one changelog expiration did. */
export interface ChangelogExpireResult {
  /** Changelog metadata files (`changelog/changelog-N`) deleted. */
  readonly expiredChangelogs: number;
  /** Successful deletes of every kind (changelog metadata files included). */
  readonly deletedFiles: number;
}

const NOTHING: ChangelogExpireResult = { expiredChangelogs: 0, deletedFiles: 0 };

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Expires long-lived changelogs of the table rooted at `store` (see the file header); `nowMs`
 * is the clock (epoch ms). Throws LakeError("io") when a delete failed (call again),
 * ("unsupported") for files at external paths, and read errors other than missing files.
 */
export async function expireChangelogs(store: ObjectStore, schema: TableSchema, config: ChangelogExpireConfig, nowMs: number): Promise<ChangelogExpireResult> {
  const latest = await latestSnapshotId(store);
  if (latest === null) return NOTHING;
  const [earliestCl, latestCl] = await Promise.all([earliestChangelogId(store), latestChangelogId(store)]);
  if (earliestCl === null || latestCl === null) return NOTHING;
  await repairChangelogHints(store, earliestCl, latestCl);

  const min = latest - config.retainMax + 1n > earliestCl ? latest - config.retainMax + 1n : earliestCl;
  let maxExclusive = latest - config.retainMin + 1n;
  const consumerNext = await minNextSnapshot(store);
  if (consumerNext !== null) maxExclusive = minBig(maxExclusive, consumerNext);
  maxExclusive = minBig(maxExclusive, earliestCl + config.limit);
  maxExclusive = minBig(maxExclusive, latestCl); // only changelogs, and the newest one stays
  if (maxExclusive <= earliestCl) return NOTHING;

  const olderThanMs = BigInt(nowMs) - BigInt(config.timeRetainedMs);
  for (let id = min; id <= maxExclusive; id++) {
    const changelog = await tryReadChangelog(store, id);
    if (changelog !== null && olderThanMs <= changelog.timeMillis) return expireUntil(store, schema, config, earliestCl, id);
  }
  return expireUntil(store, schema, config, earliestCl, maxExclusive);
}

/** Adds a list and its manifests to `into` unless the list is gone (Java `manifestList.exists`). */
async function addListIfPresent(store: ObjectStore, list: string, into: Set<string>): Promise<void> {
  let metas;
  try {
    metas = await readManifestList(store, list);
  } catch (error) {
    if (isLakeError(error, "not_found")) return;
    throw error;
  }
  into.add(list);
  for (const m of metas) into.add(m.fileName);
}

/** Java `ChangelogDeletion.manifestSkippingSet`: what `snapshots` reference, skipping lists already gone. */
async function changelogSkippingSet(store: ObjectStore, snapshots: readonly Snapshot[]): Promise<Set<string>> {
  const skip = new Set<string>();
  for (const s of snapshots) {
    await addListIfPresent(store, s.baseManifestList, skip);
    await addListIfPresent(store, s.deltaManifestList, skip);
    if (s.indexManifest !== null) {
      try {
        const entries = await readIndexManifest(store, s.indexManifest);
        skip.add(s.indexManifest);
        for (const e of entries) skip.add(e.indexFile.fileName);
      } catch (error) {
        if (!isLakeError(error, "not_found")) throw error;
      }
    }
    if (s.statistics !== null) skip.add(s.statistics);
  }
  return skip;
}

/** Expires changelogs [earliest, endExclusive) (Java `ExpireChangelogImpl.expireUntil`). */
async function expireUntil(
  store: ObjectStore, schema: TableSchema, config: ChangelogExpireConfig, earliest: bigint, endExclusive: bigint,
): Promise<ChangelogExpireResult> {
  if (endExclusive <= earliest) return NOTHING;
  const end = await tryReadChangelog(store, endExclusive);
  if (end === null) return NOTHING; // Java: "The endExclusive changelog ... not found, skip expiration."
  const tags = await taggedSnapshots(store);
  const firstSnapshot = await earliestExistingSnapshot(store, NOUN);
  const skipping = [...skippingTags(tags, earliest, endExclusive), end, ...(firstSnapshot === null ? [] : [firstSnapshot])];
  const skip = await changelogSkippingSet(store, skipping);

  const paths = new TablePaths(schema);
  const skippers = new TagSkippers(store, tags);
  const dataFiles: string[] = [];
  const manifests: string[] = [];
  const manifestLists: string[] = [];
  const expired: bigint[] = [];
  for (let id = earliest; id < endExclusive; id++) {
    const changelog = await tryReadChangelog(store, id);
    if (changelog === null) continue; // Java: "Changelog #id not found, skip it."
    const tagSkip = await skippers.forSnapshot(id);
    if (tagSkip === null) continue; // Java: skip the whole changelog when the tag skipping set fails
    if (changelog.changelogManifestList !== null) {
      dataFiles.push(...await planAddedInChangelog(store, paths, changelog));
      await planUnusedManifestList(store, changelog.changelogManifestList, skip, manifests, manifestLists);
    } else {
      dataFiles.push(...(await planDeletedInDelta(store, paths, changelog, tagSkip)) ?? []);
      await planUnusedManifestList(store, changelog.deltaManifestList, skip, manifests, manifestLists);
      await planUnusedManifestList(store, changelog.baseManifestList, skip, manifests, manifestLists);
    }
    expired.push(id);
  }

  let deleted = await deleteStep(store, NOUN, "data and changelog file", [...new Set(dataFiles)], config.concurrency);
  // Manifests before their lists: a list deleted first would hide a manifest whose delete failed.
  deleted += await deleteStep(store, NOUN, "manifest file", manifests.map((n) => `${MANIFEST_DIR}/${n}`), config.concurrency);
  deleted += await deleteStep(store, NOUN, "manifest list", manifestLists.map((n) => `${MANIFEST_DIR}/${n}`), config.concurrency);
  let expiredCount = 0;
  for (const id of expired) {
    deleted += await deleteStep(store, NOUN, "changelog metadata file", [changelogPath(id)], 1);
    expiredCount++;
  }
  await writeChangelogEarliestHint(store, endExclusive);
  return { expiredChangelogs: expiredCount, deletedFiles: deleted };
}
