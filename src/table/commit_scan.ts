/**
 * What a commit reads from the latest snapshot: the file entries of the partitions it changes
 * (for conflict checks and overwrites), the bucket count those partitions were written with,
 * and the latest snapshot a commit user made (for exactly-once commits).
 *
 * Mirrors Java `CommitScanner` (readAllEntriesFromChangedPartitions, readTotalBuckets) and
 * `SnapshotManager#latestSnapshotOfUser`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/commit/CommitScanner.java
 * Manifests are skipped when their partition statistics show they cannot hold any of the
 * partitions asked for (`mayContainPartitions`, conservative: unknown statistics keep a manifest).
 *
 * Invariants: only reads; entries come back folded exactly like a scan folds them (base list then
 * delta list, by identifier), so a DELETE whose ADD is missing stays visible to the caller.
 * Imports: table (manifest_reader, snapshot_manager, predicate_literal), format/manifest,
 * spec, io types, errors, util.
 */
import { LakeError } from "../errors.ts";
import { manifestEntryIdentifier, mergeManifestEntries } from "../format/manifest/live_files.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataField, DataType } from "../spec/data_types.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../spec/manifest_file_meta.ts";
import { decodeSimpleStats, type ColumnStats } from "../spec/simple_stats.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { toHex } from "../util/bytes.ts";
import { readManifest, snapshotManifests } from "./manifest_reader.ts";
import { compareValues } from "./predicate_literal.ts";
import { readSnapshot } from "./snapshot_manager.ts";

/** A set of serialized partition rows, compared bytewise as Java compares BinaryRows. */
export class PartitionSet {
  readonly #byHex = new Map<string, Uint8Array>();

  /** Builds a set holding `partitions`. */
  constructor(partitions: Iterable<Uint8Array> = []) {
    for (const p of partitions) this.add(p);
  }

  /** Adds one partition. */
  add(partition: Uint8Array): void {
    const key = toHex(partition);
    if (!this.#byHex.has(key)) this.#byHex.set(key, partition);
  }

  /** True when `partition` is in the set. */
  has(partition: Uint8Array): boolean {
    return this.#byHex.has(toHex(partition));
  }

  /** Number of distinct partitions. */
  get size(): number {
    return this.#byHex.size;
  }

  /** The partitions, in insertion order. */
  values(): Uint8Array[] {
    return [...this.#byHex.values()];
  }

  /** The partitions decoded with `types` (memoized per types array), in insertion order. */
  decoded(types: readonly DataType[]): Value[][] {
    if (this.#decoded === null || this.#decodedTypes !== types || this.#decoded.length !== this.#byHex.size) {
      this.#decoded = this.values().map((p) => decodeSerializedBinaryRow(types, p));
      this.#decodedTypes = types;
    }
    return this.#decoded;
  }

  #decoded: Value[][] | null = null;
  #decodedTypes: readonly DataType[] | null = null;
}

function fieldsOf(types: readonly DataType[]): DataField[] {
  return types.map((type, i) => ({ id: i, name: `p${i}`, type }));
}

function valueMayBeIn(type: DataType, v: Value, stats: ColumnStats): boolean {
  if (v === null) return stats.nullCount === null || stats.nullCount > 0n;
  if (stats.min === null || stats.max === null) return true; // unknown (or all null: kept, conservative)
  try {
    return compareValues(type, stats.min, v) <= 0 && compareValues(type, v, stats.max) <= 0;
  } catch (error) {
    if (error instanceof LakeError && error.code === "unsupported") return true;
    throw error;
  }
}

/**
 * True when the manifest's partition statistics allow it to hold any of `partitions`.
 * Conservative: unreadable or unknown statistics answer true.
 */
export function mayContainPartitions(meta: ManifestFileMeta, partitions: PartitionSet, types: readonly DataType[]): boolean {
  if (partitions.size === 0) return false;
  if (types.length === 0) return true;
  let stats: ColumnStats[];
  try {
    stats = decodeSimpleStats(fieldsOf(types), meta.partitionStats);
  } catch (error) {
    if (error instanceof LakeError && error.code === "corruption") return true; // old layouts: keep
    throw error;
  }
  for (const values of partitions.decoded(types)) {
    if (values.every((v, i) => valueMayBeIn(types[i]!, v, stats[i]!))) return true;
  }
  return false;
}

async function readEntries(store: ObjectStore, metas: readonly ManifestFileMeta[]): Promise<ManifestEntry[]> {
  const perFile = await Promise.all(metas.map((m) => readManifest(store, m.fileName)));
  return perFile.flat();
}

/**
 * Every entry of `snapshot` in `partitions` (null = all partitions), folded by identifier:
 * live ADDs plus any DELETE whose ADD was not found (Java `readAllEntriesFromChangedPartitions`).
 */
export async function readPartitionEntries(
  store: ObjectStore,
  snapshot: Snapshot,
  partitions: PartitionSet | null,
  partitionTypes: readonly DataType[],
): Promise<ManifestEntry[]> {
  if (partitions !== null && partitions.size === 0) return [];
  const metas = (await snapshotManifests(store, snapshot, "all"))
    .filter((m) => partitions === null || mayContainPartitions(m, partitions, partitionTypes));
  const entries = (await readEntries(store, metas)).filter((e) => partitions === null || partitions.has(e.partition));
  return mergeManifestEntries(entries);
}

/**
 * The `_TOTAL_BUCKETS` (> 0) of a live file in each of `partitions`, where one exists
 * (Java `CommitScanner#readTotalBuckets`): reads manifests in order and stops once every
 * partition has an answer. Returned map is keyed by partition hex.
 */
export async function readTotalBuckets(
  store: ObjectStore,
  snapshot: Snapshot,
  partitions: PartitionSet,
  partitionTypes: readonly DataType[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (partitions.size === 0) return out;
  const metas = (await snapshotManifests(store, snapshot, "all")).filter((m) => mayContainPartitions(m, partitions, partitionTypes));
  // Deleted identifiers first, so only live files answer (a rescaling overwrite deletes files
  // that carry the old bucket count).
  const deleted = new Set<string>();
  for (const e of await readEntries(store, metas.filter((m) => m.numDeletedFiles > 0n))) {
    if (e.kind === FILE_KIND.DELETE) deleted.add(manifestEntryIdentifier(e));
  }
  const remaining = new PartitionSet(partitions.values());
  const missing = (): number => remaining.values().filter((p) => !out.has(toHex(p))).length;
  for (const m of metas) {
    if (m.numAddedFiles === 0n) continue;
    for (const e of await readManifest(store, m.fileName)) {
      if (e.kind !== FILE_KIND.ADD || e.totalBuckets <= 0 || !remaining.has(e.partition)) continue;
      const key = toHex(e.partition);
      if (!out.has(key) && !deleted.has(manifestEntryIdentifier(e))) out.set(key, e.totalBuckets);
    }
    if (missing() === 0) break;
  }
  return out;
}

/** Snapshots read concurrently while walking back in `latestSnapshotOfUser`. */
const USER_SCAN_BATCH_COUNT = 8;

/**
 * The newest snapshot committed by `commitUser`, walking back from `latestId` to `earliestId`
 * (default 1) and stopping at the first missing (expired) snapshot, as Java does; null when
 * none. Reads up to USER_SCAN_BATCH_COUNT snapshots at a time.
 */
export async function latestSnapshotOfUser(
  store: ObjectStore,
  commitUser: string,
  latestId: bigint | null,
  earliestId = 1n,
): Promise<Snapshot | null> {
  if (latestId === null) return null;
  for (let top = latestId; top >= earliestId; top -= BigInt(USER_SCAN_BATCH_COUNT)) {
    const ids: bigint[] = [];
    for (let id = top; id > top - BigInt(USER_SCAN_BATCH_COUNT) && id >= earliestId; id--) ids.push(id);
    const batch = await Promise.all(ids.map((id) => readSnapshot(store, id).catch((error: unknown) => {
      if (error instanceof LakeError && error.code === "not_found") return null;
      throw error;
    })));
    for (const snapshot of batch) {
      if (snapshot === null) return null; // expired: stop searching (Java logs and stops)
      if (snapshot.commitUser === commitUser) return snapshot;
    }
  }
  return null;
}
