/**
 * Reads a table's snapshots: ids, latest and earliest, one snapshot by id, all of them.
 *
 * Mirrors Java `SnapshotManager` and `HintFileUtils`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/SnapshotManager.java
 * The LATEST hint is trusted only when `snapshot-(hint+1)` does not exist (then we walk forward);
 * EARLIEST only when `snapshot-hint` exists; otherwise both fall back to listing `snapshot/`.
 * Hints are best effort and may be stale, missing or even negative (paimon-format.md §14.7).
 *
 * Invariants: a returned snapshot's id equals the id in its file name (checked by the decoder).
 * This module only reads; the commit (one putIfAbsent of snapshot-N) lives in table/commit.ts.
 * Imports: spec (snapshot, paths), io/store.ts types, errors.ts, util.
 */
import { isLakeError, LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import {
  EARLIEST_HINT, LATEST_HINT, parseHint, parseSnapshotFileName, SNAPSHOT_DIR, snapshotFileName,
} from "../spec/paths.ts";
import { decodeSnapshot, type Snapshot } from "../spec/snapshot.ts";
import { utf8Decode } from "../util/bytes.ts";

/** Most snapshots `latestSnapshotId` walks forward from a stale LATEST hint before it lists the
 * directory instead (one `stat` per step, listing is cheaper past this). */
const HINT_WALK_STEPS_MAX = 16;

/** Path of `snapshot-<id>` relative to the table root. */
export function snapshotPath(id: bigint): string {
  return `${SNAPSHOT_DIR}/${snapshotFileName(id)}`;
}

/** Reads one snapshot; LakeError("not_found") names the id when it does not exist. */
export async function readSnapshot(store: ObjectStore, id: bigint): Promise<Snapshot> {
  const name = snapshotFileName(id);
  let bytes: Uint8Array;
  try {
    bytes = await store.get(`${SNAPSHOT_DIR}/${name}`);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      throw new LakeError("not_found", `snapshot: ${name} does not exist (expired, or never committed)`, { cause: error });
    }
    throw error;
  }
  try {
    return decodeSnapshot(utf8Decode(bytes), { fileName: name });
  } catch (error) {
    // Name the damaged file: decoder messages talk about JSON positions, not paths.
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LakeError && message.includes(`${SNAPSHOT_DIR}/${name}`)) throw error;
    throw new LakeError(error instanceof LakeError ? error.code : "corruption", `snapshot: ${SNAPSHOT_DIR}/${name} is unreadable: ${message}`, { cause: error });
  }
}

/** Ids of every snapshot file present, ascending. */
export async function listSnapshotIds(store: ObjectStore): Promise<bigint[]> {
  const entries = await store.list(`${SNAPSHOT_DIR}/`);
  const ids: bigint[] = [];
  for (const e of entries) {
    const name = e.path.slice(SNAPSHOT_DIR.length + 1);
    if (name.includes("/")) continue;
    const id = parseSnapshotFileName(name);
    if (id !== null) ids.push(id);
  }
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function readHint(store: ObjectStore, hint: string): Promise<bigint | null> {
  try {
    return parseHint(utf8Decode(await store.get(`${SNAPSHOT_DIR}/${hint}`)));
  } catch (error) {
    // Best effort: a missing or unreadable hint only costs a directory listing.
    if (error instanceof LakeError) return null;
    throw error;
  }
}

async function exists(store: ObjectStore, id: bigint): Promise<boolean> {
  return (await store.stat(snapshotPath(id))) !== null;
}

/** Id of the newest snapshot, or null for a table with no snapshot yet. */
export async function latestSnapshotId(store: ObjectStore): Promise<bigint | null> {
  const hint = await readHint(store, LATEST_HINT);
  if (hint !== null && hint > 0n && (await exists(store, hint))) {
    let id = hint;
    for (let step = 0; step < HINT_WALK_STEPS_MAX; step++) {
      if (!(await exists(store, id + 1n))) return id;
      id += 1n;
    }
  }
  const ids = await listSnapshotIds(store);
  return ids.length === 0 ? null : ids[ids.length - 1]!;
}

/** Id of the oldest snapshot still present, or null for a table with no snapshot. */
export async function earliestSnapshotId(store: ObjectStore): Promise<bigint | null> {
  const hint = await readHint(store, EARLIEST_HINT);
  if (hint !== null && hint > 0n && (await exists(store, hint)) && !(await exists(store, hint - 1n))) return hint;
  const ids = await listSnapshotIds(store);
  return ids.length === 0 ? null : ids[0]!;
}

/** Reads snapshot `id`, or null when it does not exist (Java `tryGetSnapshot`). */
export async function tryReadSnapshot(store: ObjectStore, id: bigint): Promise<Snapshot | null> {
  try {
    return await readSnapshot(store, id);
  } catch (error) {
    if (isLakeError(error, "not_found")) return null;
    throw error;
  }
}

/** Attempts to read the earliest snapshot while expiration races with us (Java `retryEarliestSnapshot`). */
const EARLIEST_READ_ATTEMPTS_MAX = 3;

/**
 * The oldest snapshot still present, or null for a table with none; retried when expiration
 * deletes it between listing and reading. Throws LakeError("conflict") (message starting with
 * `noun`) when it keeps expiring.
 */
export async function earliestExistingSnapshot(store: ObjectStore, noun: string): Promise<Snapshot | null> {
  for (let attempt = 0; attempt < EARLIEST_READ_ATTEMPTS_MAX; attempt++) {
    const id = await earliestSnapshotId(store);
    if (id === null) return null;
    const s = await tryReadSnapshot(store, id);
    if (s !== null) return s;
  }
  throw new LakeError("conflict", `${noun}: the earliest snapshot kept expiring while it was read; try again`);
}

/** The newest snapshot, or null for a table with no snapshot yet. */
export async function latestSnapshot(store: ObjectStore): Promise<Snapshot | null> {
  const id = await latestSnapshotId(store);
  return id === null ? null : readSnapshot(store, id);
}

/** Every snapshot present, ascending by id. */
export async function readAllSnapshots(store: ObjectStore): Promise<Snapshot[]> {
  const ids = await listSnapshotIds(store);
  return Promise.all(ids.map((id) => readSnapshot(store, id)));
}
