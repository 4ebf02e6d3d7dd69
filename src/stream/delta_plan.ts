/**
 * Plans what one snapshot changed: the files its delta or changelog manifest lists ADD,
 * grouped by (partition, bucket); and, for overwrite snapshots read as changes, the files it
 * removed (before) and added (after) per bucket.
 *
 * Mirrors Java `SnapshotReaderImpl#read` in `ScanMode.DELTA` / `ScanMode.CHANGELOG` (entries of
 * that manifest list merged by identifier, ADD files kept, one streaming split per bucket whose
 * files keep manifest order: `splitForStreaming` does not split) and `#readChanges` +
 * `toIncrementalPlan` (DELETE files are "before", ADD files "after", files in both dropped):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/snapshot/SnapshotReaderImpl.java
 *
 * Invariants: buckets are ordered by partition bytes then bucket (Java's hash order is not
 * meaningful; a fixed order makes reads repeatable); only reads.
 * Imports: constants.ts, errors.ts, io/store.ts (types), spec (binary_row, manifest_entry,
 * paths, schema, snapshot, values), format/manifest (live_files, manifest_codec), util/bytes.ts,
 * stream/change_read.ts (types).
 */
import { METADATA_FILE_BYTES_MAX } from "../constants.ts";
import { LakeError } from "../errors.ts";
import { mergeManifestEntries, manifestEntryIdentifier } from "../format/manifest/live_files.ts";
import { decodeManifest, decodeManifestList } from "../format/manifest/manifest_codec.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import { MANIFEST_DIR } from "../spec/paths.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import { logicalPartitionType, type TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { compareBytes, toHex } from "../util/bytes.ts";
import type { BucketFiles } from "./change_read.ts";

/** Which manifest list of a snapshot holds its changes. */
export type ChangeSource = "delta" | "changelog";

/** The files an overwrite removed and added in one bucket. */
export interface BucketChanges {
  readonly partition: Uint8Array;
  readonly partitionValues: Value[];
  readonly bucket: number;
  readonly before: DataFileMeta[];
  readonly after: DataFileMeta[];
}

/** Decodes partition bytes with a per-call cache. */
function partitionDecoder(schema: TableSchema): (bytes: Uint8Array) => Value[] {
  const types = logicalPartitionType(schema).fields.map((f) => f.type);
  const cache = new Map<string, Value[]>();
  return (bytes) => {
    const key = toHex(bytes);
    let values = cache.get(key);
    if (values === undefined) cache.set(key, values = decodeSerializedBinaryRow(types, bytes));
    return values;
  };
}

function bucketKey(entry: ManifestEntry): string {
  return `${toHex(entry.partition)}/${entry.bucket}`;
}

function byPartitionThenBucket(a: { partition: Uint8Array; bucket: number }, b: { partition: Uint8Array; bucket: number }): number {
  return compareBytes(a.partition, b.partition) || a.bucket - b.bucket;
}

/**
 * Groups ADD entries by (partition, bucket), files in entry order.
 * Requires: `entries` are ADD entries of tables with `schema`'s partition type.
 */
export function groupByBucket(schema: TableSchema, entries: readonly ManifestEntry[]): BucketFiles[] {
  const decode = partitionDecoder(schema);
  const groups = new Map<string, { partition: Uint8Array; partitionValues: Value[]; bucket: number; files: DataFileMeta[] }>();
  for (const entry of entries) {
    const key = bucketKey(entry);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, group = { partition: entry.partition, partitionValues: decode(entry.partition), bucket: entry.bucket, files: [] });
    group.files.push(entry.file);
  }
  return [...groups.values()].sort(byPartitionThenBucket);
}

/**
 * Reads a metadata file of `manifest/` with one request (table/manifest_reader.ts stats first;
 * a stream reads two such files per snapshot, so the round trip matters). The size limit is
 * checked after the read.
 */
async function readMetadataBytes(store: ObjectStore, name: string, what: string): Promise<Uint8Array> {
  const path = `${MANIFEST_DIR}/${name}`;
  let bytes: Uint8Array;
  try {
    bytes = await store.get(path);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      throw new LakeError("not_found", `${what}: ${path} does not exist (expired snapshot, or a damaged table)`, { cause: error });
    }
    throw error;
  }
  if (bytes.length > METADATA_FILE_BYTES_MAX) {
    throw new LakeError("corruption", `${what}: ${path} is ${bytes.length} bytes, over the ${METADATA_FILE_BYTES_MAX}-byte limit for metadata files`);
  }
  return bytes;
}

/** Every entry of the manifests of one manifest list of `snapshot`, in order (ADD and DELETE). */
export async function snapshotChangeEntries(store: ObjectStore, snapshot: Snapshot, source: ChangeSource): Promise<ManifestEntry[]> {
  const list = source === "delta" ? snapshot.deltaManifestList : snapshot.changelogManifestList;
  if (list === null) return [];
  const metas = await decodeManifestList(await readMetadataBytes(store, list, "manifest list"), { fileName: list });
  const perManifest = await Promise.all(metas.map(async (m) => decodeManifest(await readMetadataBytes(store, m.fileName, "manifest"), { fileName: m.fileName })));
  return perManifest.flat();
}

/** The files `snapshot` adds in its delta or changelog manifest list, by bucket. */
export async function planSnapshotFiles(store: ObjectStore, schema: TableSchema, snapshot: Snapshot, source: ChangeSource): Promise<BucketFiles[]> {
  const entries = mergeManifestEntries(await snapshotChangeEntries(store, snapshot, source));
  return groupByBucket(schema, entries.filter((e) => e.kind === FILE_KIND.ADD));
}

/** The files an overwrite snapshot removed and added, by bucket (Java `readChanges`). */
export async function planOverwriteChanges(store: ObjectStore, schema: TableSchema, snapshot: Snapshot): Promise<BucketChanges[]> {
  const decode = partitionDecoder(schema);
  const entries = mergeManifestEntries(await snapshotChangeEntries(store, snapshot, "delta"));
  const groups = new Map<string, { partition: Uint8Array; bucket: number; before: ManifestEntry[]; after: ManifestEntry[] }>();
  for (const entry of entries) {
    const key = bucketKey(entry);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, group = { partition: entry.partition, bucket: entry.bucket, before: [], after: [] });
    (entry.kind === FILE_KIND.ADD ? group.after : group.before).push(entry);
  }
  const out: BucketChanges[] = [];
  for (const group of groups.values()) {
    // Java `deduplicate(before, after)`: a file on both sides did not change.
    // The identifier leaves out the kind, so equal identifiers are the same file.
    const beforeIds = new Set(group.before.map(manifestEntryIdentifier));
    const afterIds = new Set(group.after.map(manifestEntryIdentifier));
    out.push({
      partition: group.partition,
      partitionValues: decode(group.partition),
      bucket: group.bucket,
      before: group.before.filter((e) => !afterIds.has(manifestEntryIdentifier(e))).map((e) => e.file),
      after: group.after.filter((e) => !beforeIds.has(manifestEntryIdentifier(e))).map((e) => e.file),
    });
  }
  return out.sort(byPartitionThenBucket);
}
