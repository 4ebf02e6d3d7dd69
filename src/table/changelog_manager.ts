/**
 * Reads and writes a table's long-lived changelogs (`changelog/changelog-N` with the
 * `changelog/LATEST` and `changelog/EARLIEST` hints): one by id, the earliest and latest ids,
 * writing one (and its LATEST hint) and the EARLIEST hint, and "snapshot or changelog" reads for
 * streams.
 *
 * Mirrors Java `ChangelogManager` and the `HintFileUtils` it uses:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/ChangelogManager.java
 *  - latest: the LATEST hint when `changelog-(hint+1)` does not exist (we also require the hint's
 *    own file, so a stale hint left after every changelog expired is not trusted), else the
 *    largest id listed;
 *  - earliest: the EARLIEST hint when `changelog-hint` exists (and, as for snapshots here,
 *    `changelog-(hint-1)` does not), else the smallest id listed;
 *  - a changelog file is written whole (`store.put`, Java `writeFile(..., overwrite = true)`),
 *    then the LATEST hint (Java `commitChangelog` + `commitLongLivedChangelogLatestHint`).
 * Hints are best effort: a failed hint write is ignored, readers verify hints.
 *
 * Invariants: a returned changelog's id equals the id of its file name.
 * Imports: errors.ts, io/store.ts types, spec (changelog, paths, snapshot), util/bytes.ts,
 * table/snapshot_manager.ts.
 */
import { LakeError } from "../errors.ts";
import { getIfExists, type ObjectStore } from "../io/store.ts";
import { decodeChangelog, encodeChangelog } from "../spec/changelog.ts";
import {
  CHANGELOG_DIR, changelogMetaFileName, EARLIEST_HINT, encodeHint, LATEST_HINT, parseChangelogMetaFileName, parseHint,
} from "../spec/paths.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { tryReadSnapshot } from "./snapshot_manager.ts";

/** Path of `changelog-<id>` relative to the table root. */
export function changelogPath(id: bigint): string {
  return `${CHANGELOG_DIR}/${changelogMetaFileName(id)}`;
}

/**
 * Reads changelog `id`, or null when its file does not exist (Java `tryGetChangelog`).
 * Throws LakeError("corruption") naming the file when it does not decode.
 */
export async function tryReadChangelog(store: ObjectStore, id: bigint): Promise<Snapshot | null> {
  const path = changelogPath(id);
  const bytes = await getIfExists(store, path);
  if (bytes === null) return null;
  try {
    return decodeChangelog(utf8Decode(bytes), { fileName: changelogMetaFileName(id) });
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    throw new LakeError("corruption", `changelog: ${path} is unreadable: ${error.message}`, { cause: error });
  }
}

/** True when `changelog-<id>` exists (Java `longLivedChangelogExists`). */
export async function changelogExists(store: ObjectStore, id: bigint): Promise<boolean> {
  return (await store.stat(changelogPath(id))) !== null;
}

/** Ids of every changelog file present, ascending. */
export async function listChangelogIds(store: ObjectStore): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (const e of await store.list(`${CHANGELOG_DIR}/`)) {
    const name = e.path.slice(CHANGELOG_DIR.length + 1);
    if (name.includes("/")) continue;
    const id = parseChangelogMetaFileName(name);
    if (id !== null) ids.push(id);
  }
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function readHint(store: ObjectStore, hint: string): Promise<bigint | null> {
  try {
    return parseHint(utf8Decode(await store.get(`${CHANGELOG_DIR}/${hint}`)));
  } catch (error) {
    if (error instanceof LakeError) return null; // best effort: costs a listing
    throw error;
  }
}

/** Id of the newest changelog, or null when there is none (Java `latestLongLivedChangelogId`). */
export async function latestChangelogId(store: ObjectStore): Promise<bigint | null> {
  const hint = await readHint(store, LATEST_HINT);
  if (hint !== null && hint > 0n && (await changelogExists(store, hint)) && !(await changelogExists(store, hint + 1n))) return hint;
  const ids = await listChangelogIds(store);
  return ids.length === 0 ? null : ids[ids.length - 1]!;
}

/** Id of the oldest changelog, or null when there is none (Java `earliestLongLivedChangelogId`). */
export async function earliestChangelogId(store: ObjectStore): Promise<bigint | null> {
  const hint = await readHint(store, EARLIEST_HINT);
  if (hint !== null && hint > 0n && (await changelogExists(store, hint)) && !(await changelogExists(store, hint - 1n))) return hint;
  const ids = await listChangelogIds(store);
  return ids.length === 0 ? null : ids[0]!;
}

async function writeHint(store: ObjectStore, hint: string, id: bigint): Promise<void> {
  try {
    await store.put(`${CHANGELOG_DIR}/${hint}`, utf8Encode(encodeHint(id)));
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
  }
}

/**
 * Writes `changelog-<snapshot.id>` from an expiring snapshot (Java `new Changelog(snapshot)`,
 * `commitChangelog`), then the LATEST hint. Throws the store's errors for the changelog file.
 */
export async function writeChangelog(store: ObjectStore, snapshot: Snapshot): Promise<void> {
  await store.put(changelogPath(snapshot.id), utf8Encode(encodeChangelog(snapshot)));
  await writeHint(store, LATEST_HINT, snapshot.id);
}

/** Writes the changelog EARLIEST hint, best effort (Java `commitLongLivedChangelogEarliestHint`). */
export async function writeChangelogEarliestHint(store: ObjectStore, id: bigint): Promise<void> {
  await writeHint(store, EARLIEST_HINT, id);
}

/**
 * Rewrites the changelog LATEST and EARLIEST hints when they do not name `latest` / `earliest`
 * (verified ids, e.g. from `latestChangelogId` / `earliestChangelogId`): a hint put that failed
 * or was interrupted is fixed by the next expiration, as snapshot expiration fixes its EARLIEST
 * hint (lakestate addition; Java leaves a stale hint to its readers' checks). Best effort.
 */
export async function repairChangelogHints(store: ObjectStore, earliest: bigint, latest: bigint): Promise<void> {
  const [earliestHint, latestHint] = await Promise.all([readHint(store, EARLIEST_HINT), readHint(store, LATEST_HINT)]);
  if (earliestHint !== earliest) await writeHint(store, EARLIEST_HINT, earliest);
  if (latestHint !== latest) await writeHint(store, LATEST_HINT, latest);
}

/**
 * Snapshot `id`, or its long-lived changelog when the snapshot has expired and
 * `changelogDecoupled`; null when neither exists. The snapshot is looked up first (one read in
 * the common case); expiration writes the changelog before it deletes the snapshot, so an id
 * moving from one to the other is never missed.
 */
export async function readSnapshotOrChangelog(store: ObjectStore, id: bigint, changelogDecoupled: boolean): Promise<Snapshot | null> {
  const snapshot = await tryReadSnapshot(store, id);
  if (snapshot !== null || !changelogDecoupled) return snapshot;
  return tryReadChangelog(store, id);
}
