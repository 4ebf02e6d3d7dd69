/**
 * Reads a snapshot's manifest lists, manifests and index manifest from a table's store, and
 * folds them into the snapshot's live data files.
 *
 * Mirrors the read side of Java `ManifestList`, `ManifestFile`, `IndexManifestFile` and the
 * entry folding of `FileStoreScan` (base list, then delta list, in order; ADD/DELETE folded by
 * file identifier):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/AbstractFileStoreScan.java
 *
 * Invariants: only reads; every file is read whole (bounded by METADATA_FILE_BYTES_MAX) and
 * decoded by format/manifest; partition and bucket pruning arrive with scan planning.
 * Imports: format/manifest, spec (manifests, snapshot, paths), io/store.ts types, constants.
 */
import { METADATA_FILE_BYTES_MAX } from "../constants.ts";
import { LakeError } from "../errors.ts";
import { decodeIndexManifest, decodeManifest, decodeManifestList } from "../format/manifest/manifest_codec.ts";
import { foldLiveFiles } from "../format/manifest/live_files.ts";
import type { ObjectStore } from "../io/store.ts";
import type { IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import type { ManifestEntry } from "../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../spec/manifest_file_meta.ts";
import { MANIFEST_DIR } from "../spec/paths.ts";
import type { Snapshot } from "../spec/snapshot.ts";

async function readMetadataFile(store: ObjectStore, name: string, what: string): Promise<Uint8Array> {
  const path = `${MANIFEST_DIR}/${name}`;
  const stat = await store.stat(path);
  if (stat === null) throw new LakeError("not_found", `${what}: ${path} does not exist (expired snapshot, or a damaged table)`);
  if (stat.sizeBytes > METADATA_FILE_BYTES_MAX) {
    throw new LakeError("corruption", `${what}: ${path} is ${stat.sizeBytes} bytes, over the ${METADATA_FILE_BYTES_MAX}-byte limit for metadata files`);
  }
  return store.get(path);
}

/** Reads one manifest list file by name (in `manifest/`). */
export async function readManifestList(store: ObjectStore, name: string): Promise<ManifestFileMeta[]> {
  return decodeManifestList(await readMetadataFile(store, name, "manifest list"), { fileName: name });
}

/** Reads one manifest file by name (in `manifest/`). */
export async function readManifest(store: ObjectStore, name: string): Promise<ManifestEntry[]> {
  return decodeManifest(await readMetadataFile(store, name, "manifest"), { fileName: name });
}

/** Reads one index manifest file by name (in `manifest/`). */
export async function readIndexManifest(store: ObjectStore, name: string): Promise<IndexManifestEntry[]> {
  return decodeIndexManifest(await readMetadataFile(store, name, "index manifest"), { fileName: name });
}

/** Which manifest lists of a snapshot to read. */
export type ManifestSelection = "all" | "delta" | "changelog";

/** Manifest file metas of a snapshot: base + delta ("all"), delta only, or changelog only. */
export async function snapshotManifests(store: ObjectStore, snapshot: Snapshot, selection: ManifestSelection = "all"): Promise<ManifestFileMeta[]> {
  switch (selection) {
    case "all": {
      const [base, delta] = await Promise.all([
        readManifestList(store, snapshot.baseManifestList),
        readManifestList(store, snapshot.deltaManifestList),
      ]);
      return [...base, ...delta];
    }
    case "delta":
      return readManifestList(store, snapshot.deltaManifestList);
    case "changelog":
      return snapshot.changelogManifestList === null ? [] : readManifestList(store, snapshot.changelogManifestList);
  }
}

/** Every manifest entry of the selected lists, in order (ADD and DELETE, not folded). */
export async function snapshotEntries(store: ObjectStore, snapshot: Snapshot, selection: ManifestSelection = "all"): Promise<ManifestEntry[]> {
  const metas = await snapshotManifests(store, snapshot, selection);
  const perManifest = await Promise.all(metas.map((m) => readManifest(store, m.fileName)));
  return perManifest.flat();
}

/** The live data files of a snapshot (base + delta folded; only ADDs remain). */
export async function snapshotLiveFiles(store: ObjectStore, snapshot: Snapshot): Promise<ManifestEntry[]> {
  return foldLiveFiles(await snapshotEntries(store, snapshot, "all"));
}

/** The snapshot's index files (deletion vectors, hash indexes), or [] when it has none. */
export async function snapshotIndexFiles(store: ObjectStore, snapshot: Snapshot): Promise<IndexManifestEntry[]> {
  return snapshot.indexManifest === null ? [] : readIndexManifest(store, snapshot.indexManifest);
}
