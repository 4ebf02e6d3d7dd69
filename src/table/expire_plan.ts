/**
 * Plans what one snapshot expiration deletes, by reading only (no writes): the data files the
 * expired snapshots' successors DELETE, the changelog files of the expired snapshots, and the
 * manifests, manifest lists, index files, index manifests and statistics files that neither the
 * earliest retained snapshot nor an overlapping tag references.
 *
 * Mirrors Java `FileDeletionBase` + `SnapshotDeletion` and the planning half of
 * `ExpireSnapshotsImpl.expireUntil`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/FileDeletionBase.java
 *  - data: for every snapshot s in (begin, end], the entries of s's delta manifests, in order,
 *    keyed by file path: DELETE marks the file (and its extra files), a later ADD of the same
 *    path (an upgrade) unmarks it; marked files are kept when the nearest tag older than s lists
 *    a file of that (partition, bucket, name). A snapshot whose delta (or tag) cannot be read is
 *    skipped, as Java "cancels deletion" for it;
 *  - changelog: every ADD of the changelog manifests of snapshots in [begin, end);
 *  - decoupled changelog lifecycle (`ExpirePlanMode.decoupled`, Java `changelogDecoupled`): the
 *    expired snapshots become long-lived changelogs, so no changelog file and no changelog
 *    manifest list is planned; with changelog-producer none (`produceChangelog` false) the
 *    changelog is the APPEND files of the delta lists, so DELETEd files whose `fileSource` is
 *    APPEND (or unknown) are kept and no base or delta manifest list (nor their manifests) is
 *    planned either: changelog expiration (expire_changelog.ts) deletes them later;
 *  - metadata: the skipping set holds what `end` and the tags overlapping [begin, end) reference
 *    (base and delta lists, their manifests, the index manifest and its index files, the
 *    statistics file); every other such name of an expired snapshot is deleted once. When the
 *    skipping set cannot be built (a referenced file is missing or corrupt), no metadata is
 *    deleted (Java logs and skips).
 * Files an earlier, interrupted expiration already removed are tolerated: a missing or corrupt
 * manifest list or manifest of an expired snapshot reads as empty. Any other read failure (an
 * I/O error) propagates, so nothing is deleted on a guess.
 *
 * Invariants: the plan never names a file the `end` snapshot or an overlapping tag references;
 * paths are relative to the table root; names in `manifests`, `manifestLists` and
 * `indexManifests` live in `manifest/`. Files at an external path are LakeError("unsupported")
 * (this store is the table directory, so they could not be deleted).
 *
 * Imports: errors.ts, io types, spec (manifest entries, snapshot, schema, paths, binary_row,
 * core_options), format/manifest/live_files.ts, table (manifest_reader, table_read).
 */
import { isLakeError, LakeError } from "../errors.ts";
import { mergeManifestEntries } from "../format/manifest/live_files.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { optionBoolean } from "../spec/core_options.ts";
import { FILE_SOURCE, type DataFileMeta } from "../spec/data_file_meta.ts";
import type { IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../spec/manifest_file_meta.ts";
import { INDEX_DIR, STATISTICS_DIR } from "../spec/paths.ts";
import { logicalPartitionType, type TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { toHex } from "../util/bytes.ts";
import { readIndexManifest, readManifest, readManifestList } from "./manifest_reader.ts";
import { dataFilePath } from "./table_read.ts";

/** What one expiration deletes, step by step (see the file header). */
export interface ExpirePlan {
  /** Data files with their extra files, then changelog files (paths, no duplicates). */
  readonly dataFiles: readonly string[];
  /** Manifest file names (in `manifest/`). */
  readonly manifests: readonly string[];
  /** Manifest list names (in `manifest/`). */
  readonly manifestLists: readonly string[];
  /** Index file paths. */
  readonly indexFiles: readonly string[];
  /** Index manifest names (in `manifest/`). */
  readonly indexManifests: readonly string[];
  /** Statistics file paths. */
  readonly statistics: readonly string[];
  /** True when the skipping set could not be built, so no metadata file is planned. */
  readonly metadataSkipped: boolean;
}

/** True for read failures an interrupted expiration (or a damaged file) explains. */
export function tolerated(error: unknown): boolean {
  return isLakeError(error, "not_found") || isLakeError(error, "corruption");
}

/** `read()`, or null when it fails for a `tolerated` reason. */
export async function tryRead<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (tolerated(error)) return null;
    throw error;
  }
}

/** Resolves the paths of data, extra and index files of one table. */
export class TablePaths {
  readonly #schema: TableSchema;
  readonly #partitionTypes;
  readonly #values = new Map<string, Value[]>();
  readonly #indexInDataDir: boolean;

  constructor(schema: TableSchema) {
    this.#schema = schema;
    this.#partitionTypes = logicalPartitionType(schema).fields.map((f) => f.type);
    this.#indexInDataDir = optionBoolean(schema.options, "index-file-in-data-file-dir") ?? false;
  }

  #split(partition: Uint8Array, bucket: number): { partitionValues: Value[]; bucket: number } {
    const key = toHex(partition);
    let values = this.#values.get(key);
    if (values === undefined) this.#values.set(key, values = decodeSerializedBinaryRow(this.#partitionTypes, partition));
    return { partitionValues: values, bucket };
  }

  #inBucketDir(partition: Uint8Array, bucket: number, fileName: string): string {
    return dataFilePath(this.#schema, this.#split(partition, bucket), { fileName, externalPath: null } as DataFileMeta);
  }

  /** The path of a data (or changelog) file. */
  dataFile(entry: ManifestEntry): string {
    const f = entry.file;
    if (f.externalPath !== null) {
      throw new LakeError("unsupported", `expire: data file ${f.fileName} lives at the external path ${f.externalPath}; deleting external files is not supported`);
    }
    return this.#inBucketDir(entry.partition, entry.bucket, f.fileName);
  }

  /** The data file, then its extra files (Java `toAlignedPath`: same directory). */
  dataFileWithExtras(entry: ManifestEntry): string[] {
    return [this.dataFile(entry), ...entry.file.extraFiles.map((name) => this.#inBucketDir(entry.partition, entry.bucket, name))];
  }

  /** The path of an index file (Java `IndexFileHandler.filePath`). */
  indexFile(entry: IndexManifestEntry): string {
    const f = entry.indexFile;
    if (f.externalPath !== null) {
      throw new LakeError("unsupported", `expire: index file ${f.fileName} lives at the external path ${f.externalPath}; deleting external files is not supported`);
    }
    return this.#indexInDataDir ? this.#inBucketDir(entry.partition, entry.bucket, f.fileName) : `${INDEX_DIR}/${f.fileName}`;
  }
}

/** `(partition, bucket, file name)` of a data file: Java `containsDataFile`'s identity. */
export function fileKey(partition: Uint8Array, bucket: number, fileName: string): string {
  return `${toHex(partition)}/${bucket}/${fileName}`;
}

/** Every file a tag lists after merging its manifests (unmatched DELETEs included, as Java). */
export async function tagFileKeys(store: ObjectStore, tag: Snapshot): Promise<Set<string>> {
  const metas = [...await readManifestList(store, tag.baseManifestList), ...await readManifestList(store, tag.deltaManifestList)];
  const entries = (await Promise.all(metas.map((m) => readManifest(store, m.fileName)))).flat();
  return new Set(mergeManifestEntries(entries).map((e) => fileKey(e.partition, e.bucket, e.file.fileName)));
}

/** Index of the last tag with id < `id` (Java `findPreviousSnapshot`), or -1. */
export function previousTag(tags: readonly Snapshot[], id: bigint): number {
  for (let i = tags.length - 1; i >= 0; i--) if (tags[i]!.id < id) return i;
  return -1;
}

/** Tags overlapping [begin, end) (Java `ExpireSnapshotsImpl.findSkippingTags`). */
export function skippingTags(tags: readonly Snapshot[], begin: bigint, end: bigint): Snapshot[] {
  const right = previousTag(tags, end);
  if (right < 0) return [];
  let left = -1;
  for (let i = tags.length - 1; i >= 0; i--) if (tags[i]!.id <= begin) { left = i; break; }
  return tags.slice(Math.max(left, 0), right + 1);
}

/**
 * Java `planDeletedInDeltaManifest`: the files (with extra files) `snapshot`'s delta manifests
 * DELETE and do not ADD again, minus those `skip` keeps; null when the delta cannot be read
 * (Java "Failed to read some manifest files. Cancel deletion.").
 */
export async function planDeletedInDelta(
  store: ObjectStore, paths: TablePaths, snapshot: Snapshot, skip: (entry: ManifestEntry) => boolean,
): Promise<string[] | null> {
  const entries = await tryRead(async () => {
    const metas = await readManifestList(store, snapshot.deltaManifestList);
    return (await Promise.all(metas.map((m) => readManifest(store, m.fileName)))).flat();
  });
  if (entries === null) return null;
  const marked = new Map<string, ManifestEntry>();
  for (const entry of entries) {
    const path = paths.dataFile(entry);
    if (entry.kind === FILE_KIND.ADD) marked.delete(path);
    else marked.set(path, entry);
  }
  const out: string[] = [];
  for (const entry of marked.values()) if (!skip(entry)) out.push(...paths.dataFileWithExtras(entry));
  return out;
}

/** True for a DELETEd file that must be kept (a tag still lists it). */
export type TagSkipper = (entry: ManifestEntry) => boolean;

/** Caches the data-file skippers of tags (Java `createDataFileSkipperForTags`). */
export class TagSkippers {
  readonly #store: ObjectStore;
  readonly #tags: readonly Snapshot[];
  readonly #keys = new Map<bigint, Promise<Set<string> | null>>();

  constructor(store: ObjectStore, tags: readonly Snapshot[]) {
    this.#store = store;
    this.#tags = tags;
  }

  /** The skipper for files of snapshot `id` (the nearest older tag's files), or null when that tag cannot be read. */
  async forSnapshot(id: bigint): Promise<TagSkipper | null> {
    const t = previousTag(this.#tags, id);
    if (t < 0) return () => false;
    const tag = this.#tags[t]!;
    let keys = this.#keys.get(tag.id);
    if (keys === undefined) this.#keys.set(tag.id, keys = tryRead(() => tagFileKeys(this.#store, tag)));
    const set = await keys;
    return set === null ? null : (entry) => set.has(fileKey(entry.partition, entry.bucket, entry.file.fileName));
  }
}

async function planDataFiles(
  store: ObjectStore, paths: TablePaths, snapshots: readonly Snapshot[], begin: bigint, tags: readonly Snapshot[], keepAppend: boolean,
): Promise<string[]> {
  const skippers = new TagSkippers(store, tags);
  const out: string[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.id === begin) continue;
    const tagSkip = await skippers.forSnapshot(snapshot.id);
    if (tagSkip === null) continue; // Java: cannot build the tag's skipping set, keep this snapshot's files
    // Decoupled with producer none: APPEND files are the changelog (Java SnapshotDeletion).
    const skip = keepAppend ? (e: ManifestEntry) => tagSkip(e) || (e.file.fileSource ?? FILE_SOURCE.APPEND) === FILE_SOURCE.APPEND : tagSkip;
    const planned = await planDeletedInDelta(store, paths, snapshot, skip);
    if (planned !== null) out.push(...planned);
  }
  return out;
}

/** Java `planAddedInChangelogManifest`: the files `snapshot`'s changelog manifests ADD (tolerant reads). */
export async function planAddedInChangelog(store: ObjectStore, paths: TablePaths, snapshot: Snapshot): Promise<string[]> {
  const out: string[] = [];
  const list = snapshot.changelogManifestList;
  if (list === null) return out;
  const metas = (await tryRead(() => readManifestList(store, list))) ?? [];
  for (const meta of metas) {
    // Java ignores an unreadable changelog manifest and deletes what it can.
    for (const entry of (await tryRead(() => readManifest(store, meta.fileName))) ?? []) {
      if (entry.kind === FILE_KIND.ADD) out.push(paths.dataFile(entry));
    }
  }
  return out;
}

async function planChangelogFiles(store: ObjectStore, paths: TablePaths, expired: readonly Snapshot[]): Promise<string[]> {
  const out: string[] = [];
  for (const snapshot of expired) out.push(...await planAddedInChangelog(store, paths, snapshot));
  return out;
}

/** The names `snapshot` keeps alive (Java `manifestSkippingSet` of one snapshot). Reads strictly. */
async function referencedMetadata(store: ObjectStore, snapshot: Snapshot, into: Set<string>): Promise<void> {
  into.add(snapshot.baseManifestList);
  into.add(snapshot.deltaManifestList);
  for (const list of [snapshot.baseManifestList, snapshot.deltaManifestList]) {
    for (const m of await readManifestList(store, list)) into.add(m.fileName);
  }
  if (snapshot.indexManifest !== null) {
    into.add(snapshot.indexManifest);
    for (const e of await readIndexManifest(store, snapshot.indexManifest)) into.add(e.indexFile.fileName);
  }
  if (snapshot.statistics !== null) into.add(snapshot.statistics);
}

interface MetadataPlan {
  manifests: string[];
  manifestLists: string[];
  indexFiles: string[];
  indexManifests: string[];
  statistics: string[];
}

/**
 * Java `collectUnusedManifestList`: plans `list` and its manifests that `skip` does not hold,
 * adding them to `skip`. A missing or corrupt list reads as empty.
 */
export async function planUnusedManifestList(store: ObjectStore, list: string, skip: Set<string>, manifests: string[], manifestLists: string[]): Promise<void> {
  const metas: ManifestFileMeta[] = (await tryRead(() => readManifestList(store, list))) ?? [];
  for (const m of metas) if (!skip.has(m.fileName)) { skip.add(m.fileName); manifests.push(m.fileName); }
  if (!skip.has(list)) { skip.add(list); manifestLists.push(list); }
}

async function planMetadata(store: ObjectStore, paths: TablePaths, expired: readonly Snapshot[], skip: Set<string>, mode: ExpirePlanMode): Promise<MetadataPlan> {
  const plan: MetadataPlan = { manifests: [], manifestLists: [], indexFiles: [], indexManifests: [], statistics: [] };
  const addList = (list: string) => planUnusedManifestList(store, list, skip, plan.manifests, plan.manifestLists);
  // Java `planManifestsCleaner(snapshot, skip, !decoupled || produceChangelog, !decoupled)`.
  const dataLists = !mode.decoupled || mode.produceChangelog;
  for (const snapshot of expired) {
    if (dataLists) {
      await addList(snapshot.baseManifestList);
      await addList(snapshot.deltaManifestList);
    }
    if (!mode.decoupled && snapshot.changelogManifestList !== null) await addList(snapshot.changelogManifestList);
    const indexManifest = snapshot.indexManifest;
    if (indexManifest !== null) {
      let entries: IndexManifestEntry[] | null;
      try {
        entries = await readIndexManifest(store, indexManifest);
      } catch (error) {
        if (!isLakeError(error, "not_found")) throw error; // Java: only FileNotFoundException is skipped
        entries = null;
      }
      if (entries !== null) {
        for (const e of entries) {
          if (!skip.has(e.indexFile.fileName)) { skip.add(e.indexFile.fileName); plan.indexFiles.push(paths.indexFile(e)); }
        }
        if (!skip.has(indexManifest)) { skip.add(indexManifest); plan.indexManifests.push(indexManifest); }
      }
    }
    if (snapshot.statistics !== null && !skip.has(snapshot.statistics)) {
      skip.add(snapshot.statistics);
      plan.statistics.push(`${STATISTICS_DIR}/${snapshot.statistics}`);
    }
  }
  return plan;
}

/** How snapshot expiration treats changelogs (Java `SnapshotDeletion` flags). */
export interface ExpirePlanMode {
  /** Java `changelogDecoupled`: expired snapshots become long-lived changelogs. */
  readonly decoupled: boolean;
  /** Java `produceChangelog`: `changelog-producer` is not none. */
  readonly produceChangelog: boolean;
}

/** The mode of a table whose changelog lifecycle is not decoupled. */
export const COUPLED_MODE: ExpirePlanMode = { decoupled: false, produceChangelog: false };

/**
 * Plans the expiration of the snapshots in [begin, end) (see the file header).
 * Requires: `snapshots` are the existing snapshots of [begin, end], ascending, the first has id
 * `begin` and the last id `end`; `tags` are the tagged snapshots ascending by id.
 * Throws LakeError("io") for read failures other than missing or corrupt files of expired
 * snapshots, ("unsupported") for files at external paths.
 */
export async function planExpiration(
  store: ObjectStore, schema: TableSchema, snapshots: readonly Snapshot[], tags: readonly Snapshot[], mode: ExpirePlanMode = COUPLED_MODE,
): Promise<ExpirePlan> {
  const begin = snapshots[0]!.id;
  const end = snapshots[snapshots.length - 1]!;
  const expired = snapshots.slice(0, -1);
  const paths = new TablePaths(schema);
  const data = await planDataFiles(store, paths, snapshots, begin, tags, mode.decoupled && !mode.produceChangelog);
  const changelog = mode.decoupled ? [] : await planChangelogFiles(store, paths, expired);
  const skip = new Set<string>();
  let metadataSkipped = false;
  try {
    for (const s of [...skippingTags(tags, begin, end.id), end]) await referencedMetadata(store, s, skip);
  } catch (error) {
    if (!tolerated(error)) throw error;
    metadataSkipped = true; // Java: "Skip cleaning manifest files due to failed to build skipping set."
  }
  const metadata = metadataSkipped
    ? { manifests: [], manifestLists: [], indexFiles: [], indexManifests: [], statistics: [] }
    : await planMetadata(store, paths, expired, skip, mode);
  return { dataFiles: [...new Set([...data, ...changelog])], ...metadata, metadataSkipped };
}
