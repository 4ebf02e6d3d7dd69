/**
 * The index manifest a commit writes: the previous complete index set with this commit's index
 * changes applied, per index type as Java combines them.
 *
 * Mirrors Java `IndexManifestFileHandler` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/manifest/IndexManifestFileHandler.java
 *  - HASH indexes and deletion vectors of bucketed tables (`BucketedCombiner`): one file per
 *    (partition, bucket, index type); the commit's DELETEs remove, then its ADDs replace;
 *  - deletion vectors of unaware-bucket tables (`GlobalCombiner`): by index file name, with each
 *    data file covered by at most one deletion vector;
 *  - global indexes (any other type) are LakeError("unsupported"): they come with row tracking
 *    and data evolution, which this committer refuses.
 *
 * Invariants: the result holds only ADD entries; inputs are not modified; the order is the
 * previous entries' order (replacements in place of what they replace), then new keys in the
 * order of the changes (Java's hash maps give no order; readers do not depend on it).
 * Imports: spec (index_manifest_entry, manifest_entry), errors, util/bytes.ts.
 */
import { CommitConflictError, LakeError } from "../errors.ts";
import { INDEX_TYPES, type IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import { FILE_KIND } from "../spec/manifest_entry.ts";
import { toHex } from "../util/bytes.ts";

function bucketKey(e: IndexManifestEntry): string {
  return `${toHex(e.partition)}/${e.bucket}/${e.indexFile.indexType}`;
}

function combineBucketed(previous: readonly IndexManifestEntry[], changes: readonly IndexManifestEntry[]): IndexManifestEntry[] {
  // Deletes apply before adds, so a DELETE never removes the ADD that replaces it (as Java).
  const deleted = new Set(changes.filter((e) => e.kind === FILE_KIND.DELETE).map(bucketKey));
  const added = new Map<string, IndexManifestEntry>();
  for (const e of changes) if (e.kind === FILE_KIND.ADD) added.set(bucketKey(e), e);
  const out: IndexManifestEntry[] = [];
  const seen = new Set<string>();
  for (const e of previous) {
    const key = bucketKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    const replacement = added.get(key);
    if (replacement !== undefined) out.push(replacement);
    else if (!deleted.has(key)) out.push(e);
  }
  for (const [key, e] of added) if (!seen.has(key)) out.push(e);
  return out;
}

function combineGlobalDeletionVectors(previous: readonly IndexManifestEntry[], changes: readonly IndexManifestEntry[]): IndexManifestEntry[] {
  const byFile = new Map<string, IndexManifestEntry>();
  const coveredDataFiles = new Set<string>();
  for (const e of previous) {
    byFile.set(e.indexFile.fileName, e);
    for (const r of e.indexFile.dvRanges ?? []) coveredDataFiles.add(r.dataFileName);
  }
  for (const e of changes) {
    const name = e.indexFile.fileName;
    const dataFiles = (e.indexFile.dvRanges ?? []).map((r) => r.dataFileName);
    if (e.kind === FILE_KIND.ADD) {
      if (byFile.has(name)) throw new CommitConflictError(`commit: index file ${name} is already in the index manifest`);
      const dup = dataFiles.find((f) => coveredDataFiles.has(f));
      if (dup !== undefined) throw new CommitConflictError(`commit: data file ${dup} already has a deletion vector; cannot add ${name}`);
      for (const f of dataFiles) coveredDataFiles.add(f);
      byFile.set(name, e);
    } else {
      if (!byFile.has(name)) throw new CommitConflictError(`commit: cannot delete index file ${name}: it is not in the index manifest`);
      for (const f of dataFiles) coveredDataFiles.delete(f);
      byFile.delete(name);
    }
  }
  return [...byFile.values()];
}

/**
 * Applies `changes` (ADD and DELETE index entries of one commit) to `previous` (the complete
 * ADD-only set of the latest snapshot). `unawareDeletionVectors` selects Java's GlobalCombiner
 * for DELETION_VECTORS (deletion vectors on an unaware-bucket table).
 * Throws CommitConflictError when a change contradicts the previous set (unaware DVs), and
 * LakeError("unsupported") for global index types.
 */
export function combineIndexEntries(
  previous: readonly IndexManifestEntry[],
  changes: readonly IndexManifestEntry[],
  unawareDeletionVectors: boolean,
): IndexManifestEntry[] {
  for (const e of previous) {
    if (e.kind !== FILE_KIND.ADD) throw new LakeError("corruption", `commit: the index manifest holds a DELETE entry for ${e.indexFile.fileName}`);
  }
  const types: string[] = [];
  for (const e of [...previous, ...changes]) if (!types.includes(e.indexFile.indexType)) types.push(e.indexFile.indexType);
  const out: IndexManifestEntry[] = [];
  for (const type of types) {
    const prev = previous.filter((e) => e.indexFile.indexType === type);
    const next = changes.filter((e) => e.indexFile.indexType === type);
    if (type !== INDEX_TYPES.HASH && type !== INDEX_TYPES.DELETION_VECTORS) {
      if (next.length === 0) {
        out.push(...prev); // carried forward untouched
        continue;
      }
      throw new LakeError("unsupported", `commit: changes to global index type ${JSON.stringify(type)} are not supported (row tracking / data evolution)`);
    }
    out.push(...(type === INDEX_TYPES.DELETION_VECTORS && unawareDeletionVectors ? combineGlobalDeletionVectors(prev, next) : combineBucketed(prev, next)));
  }
  return out;
}
