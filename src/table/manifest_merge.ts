/**
 * Manifest merging at commit time: the previous snapshot's base + delta manifests become the new
 * base list, merged when there are many small manifests or much deleted content.
 *
 * Mirrors Java's full-entry merger, `ManifestFileLegacyMerger` (what release-2.0's
 * `ManifestFileMerger` does; master's block-copying merger gives the same live set):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/ManifestFileLegacyMerger.java
 *  - full compaction, when the manifests that must change (holding deletes, or smaller than
 *    `manifest.target-file-size`) total at least `manifest.full-compaction-threshold-size`:
 *    every DELETE is applied, manifests of partitions without deletes stay as they are, the rest
 *    are rewritten (rolled) with only their live ADDs;
 *  - otherwise minor compaction: consecutive manifests are grouped until a group reaches the
 *    target size and each such group is folded (ADD then DELETE of one file cancel out) into new
 *    manifests; a trailing group is folded only when it has `manifest.merge-min-count` members.
 * Java's partition predicate over manifest statistics decides which untouched manifests are read
 * during full compaction; ours (`mayContainPartitions`) is conservative, so it may read more, but
 * the merged result holds the same entries.
 *
 * Invariants: the merged list folds to the same live files as the input (merging never adds or
 * drops a live file); input manifests are never modified or deleted; new manifests are reported
 * in `created` as soon as they are written, for clean-up if the commit fails.
 *
 * Imports: table (manifest_writer, manifest_reader, commit_scan), format/manifest/live_files.ts,
 * spec types.
 */
import { manifestEntryIdentifier, mergeManifestEntries } from "../format/manifest/live_files.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../spec/manifest_file_meta.ts";
import { mayContainPartitions, PartitionSet } from "./commit_scan.ts";
import { readManifest } from "./manifest_reader.ts";
import { writeManifests, type ManifestWriteContext } from "./manifest_writer.ts";

/** The merge thresholds (Paimon options, in bytes and counts). */
export interface ManifestMergeOptions {
  /** `manifest.target-file-size`. Requires: > 0. */
  readonly targetBytes: number;
  /** `manifest.merge-min-count`. */
  readonly mergeMinCount: number;
  /** `manifest.full-compaction-threshold-size`. Requires: > 0. */
  readonly fullCompactionThresholdBytes: number;
}

/**
 * Merges `input` (base then delta manifests of the previous snapshot, in order) as Java does and
 * returns the new base manifests. New manifests are pushed to `created` as they are written.
 */
export async function mergeManifestFiles(
  ctx: ManifestWriteContext,
  input: readonly ManifestFileMeta[],
  options: ManifestMergeOptions,
  created: ManifestFileMeta[],
): Promise<ManifestFileMeta[]> {
  const full = await tryFullCompaction(ctx, input, options, created);
  if (full !== null) return full;
  return compactMinor(ctx, input, options, created);
}

async function compactMinor(
  ctx: ManifestWriteContext,
  input: readonly ManifestFileMeta[],
  options: ManifestMergeOptions,
  created: ManifestFileMeta[],
): Promise<ManifestFileMeta[]> {
  const result: ManifestFileMeta[] = [];
  let candidates: ManifestFileMeta[] = [];
  let totalBytes = 0n;
  for (const manifest of input) {
    totalBytes += manifest.fileSize;
    candidates.push(manifest);
    if (totalBytes >= BigInt(options.targetBytes)) {
      await mergeCandidates(ctx, candidates, result, created);
      candidates = [];
      totalBytes = 0n;
    }
  }
  if (candidates.length >= options.mergeMinCount) await mergeCandidates(ctx, candidates, result, created);
  else result.push(...candidates);
  return result;
}

async function mergeCandidates(
  ctx: ManifestWriteContext,
  candidates: readonly ManifestFileMeta[],
  result: ManifestFileMeta[],
  created: ManifestFileMeta[],
): Promise<void> {
  if (candidates.length === 1) {
    result.push(candidates[0]!);
    return;
  }
  const entries = await readAll(ctx, candidates);
  const merged = mergeManifestEntries(entries);
  if (merged.length === 0) return;
  const written = await writeManifests(ctx, merged);
  result.push(...written);
  created.push(...written);
}

async function readAll(ctx: ManifestWriteContext, manifests: readonly ManifestFileMeta[]): Promise<ManifestEntry[]> {
  const perFile = await Promise.all(manifests.map((m) => readManifest(ctx.store, m.fileName)));
  return perFile.flat();
}

async function tryFullCompaction(
  ctx: ManifestWriteContext,
  inputs: readonly ManifestFileMeta[],
  options: ManifestMergeOptions,
  created: ManifestFileMeta[],
): Promise<ManifestFileMeta[] | null> {
  const target = BigInt(options.targetBytes);
  const mustChange = (m: ManifestFileMeta): boolean => m.numDeletedFiles > 0n || m.fileSize < target;
  let mustChangeBytes = 0n;
  for (const m of inputs) if (mustChange(m)) mustChangeBytes += m.fileSize;
  if (mustChangeBytes < BigInt(options.fullCompactionThresholdBytes)) return null;

  // Identifiers of every DELETE entry (Java FileEntry.readDeletedEntries).
  const deleted = new Set<string>();
  const deletePartitions = new PartitionSet();
  for (const e of await readAll(ctx, inputs.filter((m) => m.numDeletedFiles > 0n))) {
    if (e.kind !== FILE_KIND.DELETE) continue;
    deleted.add(manifestEntryIdentifier(e));
    deletePartitions.add(e.partition);
  }
  // Java: no deletes -> ALWAYS_FALSE; partitioned -> the delete partitions; else ALWAYS_TRUE.
  const mayHoldDeletes = (m: ManifestFileMeta): boolean => {
    if (deleted.size === 0) return false;
    if (ctx.partitionTypes.length === 0) return true;
    return mayContainPartitions(m, deletePartitions, ctx.partitionTypes);
  };
  const result: ManifestFileMeta[] = [];
  const toBeMerged: ManifestFileMeta[] = [];
  for (const m of inputs) {
    if (!mustChange(m) && !mayHoldDeletes(m)) result.push(m);
    else toBeMerged.push(m);
  }
  if (toBeMerged.length <= 1) return null;

  const rewritten: ManifestEntry[] = [];
  for (const m of toBeMerged) {
    let requireChange = mustChange(m);
    const kept: ManifestEntry[] = [];
    for (const e of await readManifest(ctx.store, m.fileName)) {
      if (e.kind !== FILE_KIND.ADD) continue;
      if (deleted.has(manifestEntryIdentifier(e))) requireChange = true;
      else kept.push(e);
    }
    if (requireChange) rewritten.push(...kept);
    else result.push(m);
  }
  const written = await writeManifests(ctx, rewritten);
  created.push(...written);
  result.push(...written);
  return result;
}
