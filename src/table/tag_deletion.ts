/**
 * The files a deleted tag alone kept alive: plan them (reads only) and delete them, as Java's
 * `TagManager.doClean` with `TagDeletion` does once the tag file is gone.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/TagDeletion.java
 * and `TagManager.deleteTag` / `doClean`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/TagManager.java
 *  - only when the tagged snapshot has expired and no other tag names the same snapshot
 *    (otherwise snapshot expiration, or the other tag, still owns the files);
 *  - the skipping snapshots are the nearest older tag and the nearest newer of (the earliest
 *    snapshot, the next tag);
 *  - data: every file of the tag's merged base + delta manifests (with its extra files) whose
 *    (partition, bucket, file name) no skipping snapshot lists; changelog files are left to
 *    snapshot expiration, as Java;
 *  - metadata: the tag's base and delta manifest lists and their manifests, its index manifest
 *    and index files, its statistics file, each unless a skipping snapshot references it.
 * Why this is safe: file names are never reused, so a file live at the tag and at any later
 * snapshot or tag is live at every snapshot between, hence at the nearest newer one; a file the
 * nearest older tag lists is kept. When a skipping set cannot be read (a file missing or
 * damaged), that step plans nothing, as Java skips it: files may leak, never vanish early.
 *
 * Invariants: planning only reads; files at external paths are LakeError("unsupported") at
 * planning, before anything is deleted. Imports: errors.ts, io types, spec (binary_row, paths,
 * schema, snapshot, manifest/index entries, core_options), format/manifest/live_files.ts,
 * table (manifest_reader, table_read).
 */
import { isLakeError, LakeError } from "../errors.ts";
import { mergeManifestEntries } from "../format/manifest/live_files.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { optionBoolean } from "../spec/core_options.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import type { IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import type { ManifestEntry } from "../spec/manifest_entry.ts";
import { INDEX_DIR, MANIFEST_DIR, STATISTICS_DIR } from "../spec/paths.ts";
import { logicalPartitionType, type TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { toHex } from "../util/bytes.ts";
import { readIndexManifest, readManifest, readManifestList } from "./manifest_reader.ts";
import { dataFilePath } from "./table_read.ts";

/** What deleting a tag's files deletes, in order (paths relative to the table root). */
export interface TagDeletionPlan {
  /** Data files and their extra files. */
  readonly dataFiles: readonly string[];
  /** Manifests, manifest lists, index files, index manifests and statistics files. */
  readonly metadataFiles: readonly string[];
  /** Steps skipped because a skipping set could not be read (Java logs these). */
  readonly warnings: readonly string[];
}

/** True for failures an earlier, interrupted deletion or a damaged file explains. */
function tolerated(error: unknown): boolean {
  return isLakeError(error, "not_found") || isLakeError(error, "corruption");
}

function fileKey(partition: Uint8Array, bucket: number, fileName: string): string {
  return `${toHex(partition)}/${bucket}/${fileName}`;
}

/** Merged base + delta entries of a snapshot (Java `readMergedDataFiles`); strict reads. */
async function mergedEntries(store: ObjectStore, snapshot: Snapshot): Promise<ManifestEntry[]> {
  const metas = [...await readManifestList(store, snapshot.baseManifestList), ...await readManifestList(store, snapshot.deltaManifestList)];
  return mergeManifestEntries((await Promise.all(metas.map((m) => readManifest(store, m.fileName)))).flat());
}

/** Java `manifestSkippingSet` of one snapshot: lists, manifests, index manifest and files, statistics. */
async function referencedMetadata(store: ObjectStore, snapshot: Snapshot, into: Set<string>): Promise<void> {
  for (const list of [snapshot.baseManifestList, snapshot.deltaManifestList]) {
    into.add(list);
    for (const m of await readManifestList(store, list)) into.add(m.fileName);
  }
  if (snapshot.indexManifest !== null) {
    into.add(snapshot.indexManifest);
    for (const e of await readIndexManifest(store, snapshot.indexManifest)) into.add(e.indexFile.fileName);
  }
  if (snapshot.statistics !== null) into.add(snapshot.statistics);
}

/** Paths of one table's data and index files. */
function tablePaths(schema: TableSchema) {
  const types = logicalPartitionType(schema).fields.map((f) => f.type);
  const indexInDataDir = optionBoolean(schema.options, "index-file-in-data-file-dir") ?? false;
  const inBucket = (partition: Uint8Array, bucket: number, fileName: string): string =>
    dataFilePath(schema, { partitionValues: decodeSerializedBinaryRow(types, partition), bucket }, { fileName, externalPath: null } as DataFileMeta);
  return {
    data(e: ManifestEntry): string[] {
      if (e.file.externalPath !== null) {
        throw new LakeError("unsupported", `tag: data file ${e.file.fileName} lives at the external path ${e.file.externalPath}; deleting external files is not supported`);
      }
      return [inBucket(e.partition, e.bucket, e.file.fileName), ...e.file.extraFiles.map((x) => inBucket(e.partition, e.bucket, x))];
    },
    index(e: IndexManifestEntry): string {
      if (e.indexFile.externalPath !== null) {
        throw new LakeError("unsupported", `tag: index file ${e.indexFile.fileName} lives at the external path ${e.indexFile.externalPath}; deleting external files is not supported`);
      }
      return indexInDataDir ? inBucket(e.partition, e.bucket, e.indexFile.fileName) : `${INDEX_DIR}/${e.indexFile.fileName}`;
    },
  };
}

async function planData(store: ObjectStore, paths: ReturnType<typeof tablePaths>, tagged: Snapshot, skipping: readonly Snapshot[], warnings: string[]): Promise<string[]> {
  const keep = new Set<string>();
  try {
    for (const s of skipping) for (const e of await mergedEntries(store, s)) keep.add(fileKey(e.partition, e.bucket, e.file.fileName));
  } catch (error) {
    if (!tolerated(error)) throw error;
    warnings.push(`tag: kept the data files of the tag of snapshot ${tagged.id}: the skipping set could not be built (${(error as Error).message})`);
    return [];
  }
  let entries: ManifestEntry[];
  try {
    entries = await mergedEntries(store, tagged);
  } catch (error) {
    if (!tolerated(error)) throw error;
    warnings.push(`tag: kept the data files of the tag of snapshot ${tagged.id}: its manifests could not be read (${(error as Error).message})`);
    return [];
  }
  const out = new Set<string>();
  for (const e of entries) {
    if (!keep.has(fileKey(e.partition, e.bucket, e.file.fileName))) for (const p of paths.data(e)) out.add(p);
  }
  return [...out];
}

async function planMetadata(store: ObjectStore, paths: ReturnType<typeof tablePaths>, tagged: Snapshot, skipping: readonly Snapshot[], warnings: string[]): Promise<string[]> {
  const skip = new Set<string>();
  try {
    for (const s of skipping) await referencedMetadata(store, s, skip);
  } catch (error) {
    if (!tolerated(error)) throw error;
    warnings.push(`tag: kept the manifests of the tag of snapshot ${tagged.id}: the skipping set could not be built (${(error as Error).message})`);
    return [];
  }
  const manifests: string[] = [], indexFiles: string[] = [], indexManifests: string[] = [], statistics: string[] = [];
  for (const list of [tagged.baseManifestList, tagged.deltaManifestList]) {
    let metas: { fileName: string }[] = [];
    try {
      metas = await readManifestList(store, list);
    } catch (error) {
      if (!tolerated(error)) throw error; // Java `tryReadManifestList`: an unreadable list reads as empty
    }
    for (const m of metas) if (!skip.has(m.fileName)) { skip.add(m.fileName); manifests.push(`${MANIFEST_DIR}/${m.fileName}`); }
    if (!skip.has(list)) { skip.add(list); manifests.push(`${MANIFEST_DIR}/${list}`); }
  }
  const indexManifest = tagged.indexManifest;
  if (indexManifest !== null) {
    let entries: IndexManifestEntry[] | null = null;
    try {
      entries = await readIndexManifest(store, indexManifest);
    } catch (error) {
      if (!isLakeError(error, "not_found")) throw error; // Java: only FileNotFoundException skips
    }
    if (entries !== null) {
      for (const e of entries) if (!skip.has(e.indexFile.fileName)) { skip.add(e.indexFile.fileName); indexFiles.push(paths.index(e)); }
      if (!skip.has(indexManifest)) { skip.add(indexManifest); indexManifests.push(`${MANIFEST_DIR}/${indexManifest}`); }
    }
  }
  if (tagged.statistics !== null && !skip.has(tagged.statistics)) statistics.push(`${STATISTICS_DIR}/${tagged.statistics}`);
  return [...manifests, ...indexFiles, ...indexManifests, ...statistics];
}

/**
 * Plans the files only `tagged` kept alive, given the skipping snapshots (see the header).
 * Reads only. Throws LakeError("unsupported") for external paths, other read errors than a
 * missing or damaged file (LakeError "io").
 */
export async function planTagDeletion(
  store: ObjectStore, opts: { readonly schema: TableSchema; readonly tagged: Snapshot; readonly skipping: readonly Snapshot[] },
): Promise<TagDeletionPlan> {
  const { schema, tagged, skipping } = opts;
  const paths = tablePaths(schema);
  const warnings: string[] = [];
  const dataFiles = await planData(store, paths, tagged, skipping, warnings);
  const metadataFiles = await planMetadata(store, paths, tagged, skipping, warnings);
  return { dataFiles, metadataFiles, warnings };
}

/**
 * The skipping snapshots of deleting the tag of `tagged` (Java `doClean`): the nearest older
 * tagged snapshot, and the nearest newer of `earliest` and the next tagged snapshot.
 * Requires: `tags` ascending by id, one per snapshot id, `tagged` among them.
 */
export function tagSkippingSnapshots(tagged: Snapshot, opts: { readonly tags: readonly Snapshot[]; readonly earliest: Snapshot | null }): Snapshot[] {
  const { tags, earliest } = opts;
  const index = tags.findIndex((t) => t.id === tagged.id);
  const out: Snapshot[] = [];
  if (index > 0) out.push(tags[index - 1]!);
  const nextTag = index >= 0 && index + 1 < tags.length ? tags[index + 1]! : null;
  const right = earliest === null ? nextTag : nextTag === null || earliest.id < nextTag.id ? earliest : nextTag;
  if (right !== null) out.push(right);
  return out;
}

/**
 * Deletes the planned files, data first, best effort (Java `deleteQuietly`): returns how many
 * deletes succeeded and the paths that failed (orphans now: no snapshot or tag lists them).
 */
export async function executeTagDeletion(
  store: ObjectStore, plan: TagDeletionPlan, opts: { readonly concurrency: number },
): Promise<{ deletedFiles: number; failedPaths: string[] }> {
  const { concurrency } = opts;
  let deletedFiles = 0;
  const failedPaths: string[] = [];
  for (const step of [plan.dataFiles, plan.metadataFiles]) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < step.length) {
        const path = step[next++]!;
        try {
          await store.delete(path);
          deletedFiles++;
        } catch (error) {
          if (!(error instanceof LakeError)) throw error;
          failedPaths.push(path);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), step.length) }, worker));
  }
  return { deletedFiles, failedPaths };
}
