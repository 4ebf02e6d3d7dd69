/**
 * The live-file fold: merge manifest entries, in commit order, into the set of data files a
 * snapshot holds.
 *
 * Two entries refer to the same data file when their identifiers are equal: partition bytes,
 * bucket, level, file name, extra files, embedded index bytes and external path (the level is
 * part of it: an upgrade compaction is DELETE(level 0) + ADD(level n) of the same file name).
 * ADD of an identifier already present (added, or remembered as deleted) is corruption; DELETE
 * removes the matching ADD, or is remembered when its ADD has not been seen (it belongs to a
 * manifest read later or earlier outside this batch).
 *
 * Invariants: the result keeps first-insertion order of identifiers, like Java's LinkedHashMap.
 *
 * Imports: `src/errors.ts`, `src/util/bytes.ts`, `src/spec/manifest_entry.ts`.
 * Mirrors: org.apache.paimon.manifest.FileEntry#mergeEntries and FileEntry.Identifier.
 */
import { LakeError } from "../../errors.ts";
import { FILE_KIND, type ManifestEntry } from "../../spec/manifest_entry.ts";
import { toHex } from "../../util/bytes.ts";

/** A string that is equal for two entries exactly when their Java identifiers are equal. */
export function manifestEntryIdentifier(entry: ManifestEntry): string {
  const f = entry.file;
  return JSON.stringify([
    toHex(entry.partition),
    entry.bucket,
    f.level,
    f.fileName,
    f.extraFiles,
    f.embeddedIndex === null ? null : toHex(f.embeddedIndex),
    f.externalPath,
  ]);
}

function describe(entry: ManifestEntry): string {
  const f = entry.file;
  return `partition ${toHex(entry.partition)}, bucket ${entry.bucket}, level ${f.level}, file ${f.fileName}`;
}

/**
 * Merges `entries` (in order) by identifier, as Java's `FileEntry.mergeEntries`: the result holds
 * the ADDs still live and the DELETEs whose ADD was not among `entries`.
 * Throws LakeError("corruption") on an ADD whose identifier is already in the map.
 */
export function mergeManifestEntries(entries: Iterable<ManifestEntry>): ManifestEntry[] {
  const map = new Map<string, ManifestEntry>();
  for (const entry of entries) {
    const id = manifestEntryIdentifier(entry);
    if (entry.kind === FILE_KIND.ADD) {
      const old = map.get(id);
      if (old !== undefined) {
        const state = old.kind === FILE_KIND.ADD ? "already added" : "already deleted";
        throw new LakeError("corruption", `manifest: ADD of a file ${state} (${describe(entry)})`);
      }
      map.set(id, entry);
    } else if (map.has(id)) {
      map.delete(id);
    } else {
      map.set(id, entry);
    }
  }
  return [...map.values()];
}

/**
 * The live data files of a snapshot: fold base then delta manifest entries and keep the ADDs.
 * A DELETE whose ADD is not among `entries` is ignored, as Java's scan does (it filters ADDs by
 * the set of deleted identifiers).
 * Requires: `entries` is every entry of the snapshot's manifests, in order.
 * Throws LakeError("corruption") on a duplicate ADD.
 */
export function foldLiveFiles(entries: Iterable<ManifestEntry>): ManifestEntry[] {
  return mergeManifestEntries(entries).filter((e) => e.kind === FILE_KIND.ADD);
}
