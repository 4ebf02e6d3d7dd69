/**
 * Commit messages (what writers and compactions hand to the committer) and the manifest entries
 * they turn into: new files, compaction before/after, changelog and index changes per
 * (partition, bucket), split into the APPEND part and the COMPACT part as Java splits them, plus
 * the entries an OVERWRITE adds to delete what the overwritten partitions held.
 *
 * Mirrors Java `CommitMessageImpl` (DataIncrement + CompactIncrement), `ManifestEntryChanges`
 * and `OverwriteChangesProvider`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/commit/ManifestEntryChanges.java
 *
 * Invariants: entry order is Java's (per message: new files ADD, then data-increment deletes,
 * then compact-before DELETE, then compact-after ADD); a DELETE entry carries the message's
 * partition and bucket and the given DataFileMeta unchanged, so its identifier equals the ADD's
 * when the caller passes the file as it was listed.
 * Imports: spec (manifest_entry, data_file_meta, index_manifest_entry, binary_row, snapshot),
 * io types, table (commit_scan, manifest_reader), errors.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { deserializeBinaryRow } from "../spec/binary_row.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import type { DataType } from "../spec/data_types.ts";
import { INDEX_TYPES, type IndexFileMeta, type IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import { FILE_KIND, type FileKind, type ManifestEntry } from "../spec/manifest_entry.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { PartitionSet, readPartitionEntries } from "./commit_scan.ts";
import { snapshotIndexFiles } from "./manifest_reader.ts";

/** Index file changes of one (partition, bucket). */
export interface CommitIndexChanges {
  /** Index files written with the new data (Java DataIncrement.newIndexFiles). */
  readonly newIndexFiles?: readonly IndexFileMeta[];
  /** Index files the new data replaces (DataIncrement.deletedIndexFiles). */
  readonly deletedIndexFiles?: readonly IndexFileMeta[];
  /** Index files written by a compaction (CompactIncrement.newIndexFiles). */
  readonly compactNewIndexFiles?: readonly IndexFileMeta[];
  /** Index files a compaction replaces (CompactIncrement.deletedIndexFiles). */
  readonly compactDeletedIndexFiles?: readonly IndexFileMeta[];
}

/** The changes of one (partition, bucket), Java `CommitMessageImpl`. Absent lists are empty. */
export interface CommitMessage {
  /** Serialized partition BinaryRow (4-byte BE arity + row), arity = number of partition keys. */
  readonly partition: Uint8Array;
  /** Bucket id (>= 0, or -2 for postpone). */
  readonly bucket: number;
  /** `_TOTAL_BUCKETS` of the new entries; null/absent = the table's `bucket` option. */
  readonly totalBuckets?: number | null;
  /** New data files (level 0 for writer output). */
  readonly newFiles?: readonly DataFileMeta[];
  /** Compaction input: files the compaction replaces (Java CompactIncrement.compactBefore). */
  readonly deletedFiles?: readonly DataFileMeta[];
  /** Compaction output (Java CompactIncrement.compactAfter). */
  readonly compactAfter?: readonly DataFileMeta[];
  /** Changelog files written with the new data (DataIncrement.changelogFiles). */
  readonly changelogFiles?: readonly DataFileMeta[];
  /** Changelog files written by a compaction (CompactIncrement.changelogFiles). */
  readonly compactChangelogFiles?: readonly DataFileMeta[];
  /** Files a data rewrite removes (DataIncrement.deletedFiles, e.g. DELETE on append tables);
   * makes the APPEND snapshot an OVERWRITE with conflict checks, as Java does. */
  readonly appendDeletedFiles?: readonly DataFileMeta[];
  readonly indexChanges?: CommitIndexChanges;
}

/** The entries of a batch of messages, split as Java's `ManifestEntryChanges`. */
export interface CollectedChanges {
  readonly appendTableFiles: ManifestEntry[];
  readonly appendChangelog: ManifestEntry[];
  readonly appendIndexFiles: IndexManifestEntry[];
  readonly compactTableFiles: ManifestEntry[];
  readonly compactChangelog: ManifestEntry[];
  readonly compactIndexFiles: IndexManifestEntry[];
}

/** One snapshot's worth of changes (Java `CommitChanges`). */
export interface CommitChangeSet {
  readonly tableFiles: readonly ManifestEntry[];
  readonly changelogFiles: readonly ManifestEntry[];
  readonly indexFiles: readonly IndexManifestEntry[];
}

function checkMessage(m: CommitMessage, index: number, partitionArity: number): void {
  const where = `commit: message ${index}`;
  if (!(m.partition instanceof Uint8Array)) throw new LakeError("invalid_argument", `${where}: partition must be a serialized BinaryRow`);
  const { arity } = deserializeBinaryRow(m.partition);
  if (arity !== partitionArity) {
    throw new LakeError("invalid_argument", `${where}: partition row has arity ${arity}, expected ${partitionArity} (one field per partition key)`);
  }
  if (!Number.isInteger(m.bucket) || m.bucket < -2 || m.bucket > 2147483647) {
    throw new LakeError("invalid_argument", `${where}: bucket ${m.bucket} is not an integer >= -2`);
  }
  const t = m.totalBuckets;
  if (t !== undefined && t !== null && (!Number.isInteger(t) || t < -2 || t > 2147483647)) {
    throw new LakeError("invalid_argument", `${where}: totalBuckets ${t} is not an integer >= -2`);
  }
}

/**
 * Turns messages into manifest entries (Java `ManifestEntryChanges#collect`).
 * Throws LakeError("invalid_argument") naming a malformed message.
 */
export function collectChanges(messages: readonly CommitMessage[], tableBuckets: number, partitionArity: number): CollectedChanges {
  const out: CollectedChanges = {
    appendTableFiles: [], appendChangelog: [], appendIndexFiles: [],
    compactTableFiles: [], compactChangelog: [], compactIndexFiles: [],
  };
  messages.forEach((m, i) => {
    checkMessage(m, i, partitionArity);
    const totalBuckets = m.totalBuckets ?? tableBuckets;
    const entry = (kind: FileKind, file: DataFileMeta): ManifestEntry => ({ kind, partition: m.partition, bucket: m.bucket, totalBuckets, file });
    const index = (kind: FileKind, indexFile: IndexFileMeta): IndexManifestEntry => ({ kind, partition: m.partition, bucket: m.bucket, indexFile });
    const ix = m.indexChanges ?? {};
    for (const f of m.newFiles ?? []) out.appendTableFiles.push(entry(FILE_KIND.ADD, f));
    for (const f of m.appendDeletedFiles ?? []) out.appendTableFiles.push(entry(FILE_KIND.DELETE, f));
    for (const f of m.changelogFiles ?? []) out.appendChangelog.push(entry(FILE_KIND.ADD, f));
    for (const f of ix.deletedIndexFiles ?? []) out.appendIndexFiles.push(index(FILE_KIND.DELETE, f));
    for (const f of ix.newIndexFiles ?? []) out.appendIndexFiles.push(index(FILE_KIND.ADD, f));
    for (const f of m.deletedFiles ?? []) out.compactTableFiles.push(entry(FILE_KIND.DELETE, f));
    for (const f of m.compactAfter ?? []) out.compactTableFiles.push(entry(FILE_KIND.ADD, f));
    for (const f of m.compactChangelogFiles ?? []) out.compactChangelog.push(entry(FILE_KIND.ADD, f));
    for (const f of ix.compactDeletedIndexFiles ?? []) out.compactIndexFiles.push(index(FILE_KIND.DELETE, f));
    for (const f of ix.compactNewIndexFiles ?? []) out.compactIndexFiles.push(index(FILE_KIND.ADD, f));
  });
  return out;
}

/**
 * True when the APPEND part must be committed as OVERWRITE with conflict checks (Java
 * `shouldBeOverwriteCommit`): it deletes files, or it carries deletion vectors.
 */
export function appendNeedsOverwrite(changes: CollectedChanges): boolean {
  return changes.appendTableFiles.some((e) => e.kind === FILE_KIND.DELETE) ||
    changes.appendIndexFiles.some((e) => e.indexFile.indexType === INDEX_TYPES.DELETION_VECTORS);
}

/** Where an OVERWRITE applies: these partitions, or the whole table (null). */
export type OverwriteScope = PartitionSet | null;

/**
 * The changes of an OVERWRITE on top of `latest` (Java `OverwriteChangesProvider#buildResult`):
 * a DELETE for every live file in scope (bucket >= 0 unless the table uses bucket -2) and for
 * every index entry in scope, followed by the new files and index files.
 */
export async function overwriteChangeSet(
  store: ObjectStore,
  latest: Snapshot | null,
  scope: OverwriteScope,
  newFiles: readonly ManifestEntry[],
  newIndexFiles: readonly IndexManifestEntry[],
  options: { readonly partitionTypes: readonly DataType[]; readonly tableBuckets: number },
): Promise<CommitChangeSet> {
  if (latest === null) return { tableFiles: newFiles, changelogFiles: [], indexFiles: newIndexFiles };
  const live = await readPartitionEntries(store, latest, scope, options.partitionTypes);
  const keepPostpone = options.tableBuckets === -2;
  const deletes: ManifestEntry[] = live
    .filter((e) => e.kind === FILE_KIND.ADD && (keepPostpone || e.bucket >= 0))
    .map((e) => ({ ...e, kind: FILE_KIND.DELETE }));
  const indexDeletes: IndexManifestEntry[] = (await snapshotIndexFiles(store, latest))
    .filter((e) => scope === null || scope.has(e.partition))
    .map((e) => ({ ...e, kind: FILE_KIND.DELETE }));
  return { tableFiles: [...deletes, ...newFiles], changelogFiles: [], indexFiles: [...indexDeletes, ...newIndexFiles] };
}
