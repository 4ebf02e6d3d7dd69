/**
 * What a lookup sees of one snapshot: its splits by `<partition hex>/<bucket>`, its partitions
 * (values, bucket count, order) and which buckets changed between two snapshots.
 *
 * Partition order is Java's partition comparator order (field by field, nulls first), computed
 * on spec/key_codec.ts key parts; "latest" is the greatest partition, as Java's lookup
 * `max_pt()` picks it (`lookup.dynamic-partition`).
 * Incremental refresh (`advanceSnapshotView`) applies the delta manifests of every pending
 * snapshot to the previous view's live files (no full manifest read); the changed buckets are
 * the buckets named by the delta manifests of every
 * pending snapshot, except COMPACT snapshots, which rewrite files without changing what a batch
 * read returns, unless the table hides level 0 from batch reads (deletion vectors, first-row):
 * there a compaction makes rows visible, so COMPACT counts as a change.
 * Imports: io types, spec, format/manifest/live_files.ts, table (scan, manifest_reader,
 * snapshot_manager), util/bytes.ts.
 * Mirrors Java `FileStoreLookupFunction`'s refresh and `DynamicPartitionLoader` (max_pt).
 */
import { manifestEntryIdentifier } from "../format/manifest/live_files.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import type { DataType } from "../spec/data_types.ts";
import { createKeyCodec } from "../spec/key_codec.ts";
import { FILE_KIND } from "../spec/manifest_entry.ts";
import { CommitKind, type Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import type { TableSchema } from "../spec/schema.ts";
import { compareBytes, toHex } from "../util/bytes.ts";
import { snapshotEntries, snapshotIndexFiles } from "../table/manifest_reader.ts";
import { planScan, type DataSplit, type DeletionFileRef } from "../table/scan.ts";
import { readSnapshot } from "../table/snapshot_manager.ts";

/** One partition of a snapshot. */
export interface PartitionInfo {
  readonly hex: string;
  readonly bytes: Uint8Array;
  readonly values: readonly Value[];
  /** The bucket count its files were written with (-1 dynamic, -2 postpone). */
  readonly totalBuckets: number;
  /** Buckets holding files. */
  readonly buckets: readonly number[];
}

/** The live manifest entries of one bucket (every level, level 0 included), by entry identifier. */
interface LiveBucket {
  readonly partition: Uint8Array;
  readonly partitionValues: Value[];
  readonly bucket: number;
  readonly totalBuckets: number;
  readonly entries: Map<string, DataFileMeta>;
}

/** A snapshot as the lookup uses it. */
export interface SnapshotView {
  readonly snapshot: Snapshot | null;
  readonly splits: ReadonlyMap<string, DataSplit>;
  /** Partitions in ascending partition order. */
  readonly partitions: readonly PartitionInfo[];
  /** Live files by bucket id (what the next incremental refresh starts from). */
  readonly live: ReadonlyMap<string, LiveBucket>;
}

/** What building a view needs besides the snapshot. */
export interface ViewOptions {
  /** Hide level-0 files (batch reads of deletion-vector and first-row tables). */
  readonly skipLevel0: boolean;
  readonly partitionTypes: readonly DataType[];
}

/** Id of a (partition, bucket). */
export function bucketId(partitionHex: string, bucket: number): string {
  return `${partitionHex}/${bucket}`;
}

/** Plans `snapshot` (null: an empty table) into a view, reading every manifest. */
export async function loadSnapshotView(store: ObjectStore, schema: TableSchema, snapshot: Snapshot | null, options: ViewOptions): Promise<SnapshotView> {
  const live = new Map<string, LiveBucket>();
  if (snapshot === null) return { snapshot, splits: new Map(), partitions: [], live };
  // Level 0 is kept in `live` (a later compaction deletes it) and hidden when splits are made.
  const plan = await planScan(store, { snapshot, schema, skipLevel0: false });
  for (const split of plan.splits) {
    const entries = new Map<string, DataFileMeta>();
    for (const file of split.files) {
      entries.set(manifestEntryIdentifier({ kind: 0, partition: split.partition, bucket: split.bucket, totalBuckets: split.totalBuckets, file }), file);
    }
    live.set(bucketId(toHex(split.partition), split.bucket), {
      partition: split.partition, partitionValues: split.partitionValues, bucket: split.bucket, totalBuckets: split.totalBuckets, entries,
    });
  }
  const deletion = new Map<string, Map<string, DeletionFileRef>>();
  for (const split of plan.splits) deletion.set(bucketId(toHex(split.partition), split.bucket), new Map(split.deletionFiles));
  return makeView(snapshot, live, deletion, options);
}

/** Splits and partitions of live files (level 0 hidden when asked). */
function makeView(snapshot: Snapshot, live: Map<string, LiveBucket>, deletion: ReadonlyMap<string, ReadonlyMap<string, DeletionFileRef>>, options: ViewOptions): SnapshotView {
  const splits = new Map<string, DataSplit>();
  const parts = new Map<string, { bytes: Uint8Array; values: readonly Value[]; totalBuckets: number; buckets: number[] }>();
  for (const [id, b] of live) {
    const files = [...b.entries.values()].filter((f) => !options.skipLevel0 || f.level > 0);
    if (files.length === 0) continue;
    files.sort((x, y) => y.level - x.level || (x.fileName < y.fileName ? -1 : x.fileName > y.fileName ? 1 : 0));
    splits.set(id, {
      partition: b.partition, partitionValues: b.partitionValues, bucket: b.bucket, totalBuckets: b.totalBuckets, files,
      deletionFiles: deletion.get(id) ?? new Map(),
    });
    const hex = id.slice(0, id.lastIndexOf("/"));
    let p = parts.get(hex);
    if (p === undefined) parts.set(hex, p = { bytes: b.partition, values: b.partitionValues, totalBuckets: b.totalBuckets, buckets: [] });
    p.buckets.push(b.bucket);
  }
  const codec = createKeyCodec(options.partitionTypes);
  const order = [...parts].map(([hex, p]) => ({ hex, ...p, sortKey: codec.encodeKeyPart(p.values) }));
  order.sort((a, b) => compareBytes(a.sortKey, b.sortKey));
  return { snapshot, splits, partitions: order.map(({ sortKey: _s, ...p }) => p), live };
}

/**
 * Moves `view` forward to snapshot `toId` by applying the delta manifests of every snapshot
 * after it (Java's incremental lookup refresh), reading only those manifests and the new
 * snapshot's index manifest. Returns the new view and the ids of buckets whose visible rows may
 * differ (see the file header on COMPACT), or null when a snapshot in between is gone
 * (expired) and the caller must plan the snapshot in full.
 */
export async function advanceSnapshotView(store: ObjectStore, view: SnapshotView, toId: bigint, options: ViewOptions): Promise<{ view: SnapshotView; changed: Set<string> } | null> {
  const from = view.snapshot;
  if (from === null) return null;
  const snapshots: Snapshot[] = [];
  for (let id = from.id + 1n; id <= toId; id++) {
    try {
      snapshots.push(await readSnapshot(store, id));
    } catch {
      // Expired or unreadable in between: a full plan decides (never a stale answer).
      return null;
    }
  }
  const live = new Map([...view.live].map(([id, b]) => [id, { ...b, entries: new Map(b.entries) }]));
  const changed = new Set<string>();
  for (const snapshot of snapshots) {
    const compactOnly = snapshot.commitKind === CommitKind.COMPACT && !options.skipLevel0;
    for (const entry of await snapshotEntries(store, snapshot, "delta")) {
      const hex = toHex(entry.partition);
      const id = bucketId(hex, entry.bucket);
      if (!compactOnly) changed.add(id);
      let b = live.get(id);
      if (entry.kind === FILE_KIND.ADD) {
        if (b === undefined) {
          const values = decodeSerializedBinaryRow(options.partitionTypes, entry.partition);
          live.set(id, b = { partition: entry.partition, partitionValues: values, bucket: entry.bucket, totalBuckets: entry.totalBuckets, entries: new Map() });
        }
        b.entries.set(manifestEntryIdentifier(entry), entry.file);
      } else if (b !== undefined) {
        b.entries.delete(manifestEntryIdentifier(entry));
        if (b.entries.size === 0) live.delete(id);
      }
    }
  }
  const last = snapshots.at(-1) ?? from;
  const deletion = new Map<string, Map<string, DeletionFileRef>>();
  for (const entry of await snapshotIndexFiles(store, last)) {
    if (entry.indexFile.indexType !== "DELETION_VECTORS" || entry.indexFile.dvRanges === null) continue;
    const id = bucketId(toHex(entry.partition), entry.bucket);
    let files = deletion.get(id);
    if (files === undefined) deletion.set(id, files = new Map());
    for (const range of entry.indexFile.dvRanges) files.set(range.dataFileName, { indexFileName: entry.indexFile.fileName, range });
  }
  return { view: makeView(last, live, deletion, options), changed };
}
