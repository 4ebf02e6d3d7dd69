/**
 * Scan planning: a snapshot's live data files, pruned by partition, bucket and statistics,
 * grouped into one split per (partition, bucket), with each file's deletion vector located.
 *
 * Mirrors Java `AbstractFileStoreScan` / `KeyValueFileStoreScan` / `AppendOnlyFileStoreScan` and
 * `SnapshotReaderImpl#generateSplits`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/AbstractFileStoreScan.java
 * - manifests are skipped when their partition stats cannot match the partition filter;
 * - entries are kept by exact partition values and by bucket (equality/IN on every bucket-key
 *   column selects buckets, fixed-bucket tables only);
 * - primary-key files are pruned by key statistics with the part of the filter on trimmed key
 *   columns (safe: every version of a key shares the key); append files by value statistics;
 *   statistics are used only for files written with the current schema (older files are kept);
 * - batch scans of tables that hide level 0 (deletion vectors, first-row) drop level-0 files.
 *
 * Invariants: pruning only ever removes files no matching row can come from; splits are
 * ordered by partition bytes then bucket, files by level then name.
 * Imports: spec, format/manifest (types), table (manifest_reader, predicate*), io types.
 */
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { fixedBucket } from "../spec/bucket.ts";
import type { DataField } from "../spec/data_types.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import type { DeletionVectorMeta } from "../spec/index_manifest_entry.ts";
import type { ManifestEntry } from "../spec/manifest_entry.ts";
import {
  bucketKeys, logicalPartitionType, logicalTrimmedPrimaryKeysType, type TableSchema,
} from "../spec/schema.ts";
import { decodeSimpleStats } from "../spec/simple_stats.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import { compareBytes, toHex } from "../util/bytes.ts";
import { foldLiveFiles } from "../format/manifest/live_files.ts";
import { readManifest, snapshotIndexFiles, snapshotManifests } from "./manifest_reader.ts";
import { bindPredicate, type BoundPredicate, type Predicate } from "./predicate.ts";
import {
  mayMatchPartition, mayMatchStats, partitionPredicate, projectPredicate, selectBuckets,
} from "./predicate_pruning.ts";

/** Where a data file's deletion vector lives. */
export interface DeletionFileRef {
  /** Index file name (in `index/`, or the bucket directory when so configured). */
  readonly indexFileName: string;
  readonly range: DeletionVectorMeta;
}

/** The files of one (partition, bucket) to read together. */
export interface DataSplit {
  /** Serialized partition BinaryRow (as in the manifest). */
  readonly partition: Uint8Array;
  /** Decoded partition values, in partition-key order. */
  readonly partitionValues: Value[];
  readonly bucket: number;
  readonly totalBuckets: number;
  /** Live files, ordered by level descending then file name. */
  readonly files: DataFileMeta[];
  /** Deletion vector of each file that has one, by data file name. */
  readonly deletionFiles: ReadonlyMap<string, DeletionFileRef>;
}

/** Inputs of `planScan`. */
export interface ScanOptions {
  readonly snapshot: Snapshot;
  /** The table's current schema (filters are bound to it). */
  readonly schema: TableSchema;
  /** Row filter (pruning only; the reader still evaluates it per row). */
  readonly filter?: Predicate | null;
  /** True to drop level-0 files (Java `batchScanSkipLevel0`). */
  readonly skipLevel0?: boolean;
}

/** What a scan found and what it pruned, for `$files`, logs and tests. */
export interface ScanPlan {
  readonly splits: DataSplit[];
  /** Counts of what pruning removed. */
  readonly pruned: { manifests: number; files: number };
}

function statsFilterOf(filter: Predicate, fields: readonly DataField[]): BoundPredicate | null {
  const projected = projectPredicate(filter, fields.map((f) => f.name));
  return projected === null ? null : bindPredicate(projected, fields);
}

/** Plans the splits of `options.snapshot`. */
export async function planScan(store: ObjectStore, options: ScanOptions): Promise<ScanPlan> {
  const { schema, snapshot } = options;
  const filter = options.filter ?? null;
  const partitionFields = logicalPartitionType(schema).fields;
  const partitionTypes = partitionFields.map((f) => f.type);
  const partitionFilter = filter === null ? null : partitionPredicate(filter, partitionFields);
  const primaryKey = schema.primaryKeys.length > 0;
  const keyFields = primaryKey ? logicalTrimmedPrimaryKeysType(schema).fields : [];
  const statsFields = primaryKey ? keyFields : schema.fields;
  const statsFilter = filter === null ? null : statsFilterOf(filter, statsFields);
  const bucketFilter = filter === null ? null : bucketSelector(schema, filter);
  let prunedManifests = 0, prunedFiles = 0;

  const metas = await snapshotManifests(store, snapshot, "all");
  const kept = metas.filter((m) => {
    if (partitionFilter === null || partitionFields.length === 0) return true;
    const stats = decodeSimpleStats(partitionFields, m.partitionStats, null);
    const ok = mayMatchStats(partitionFilter, {
      rowCount: m.numAddedFiles + m.numDeletedFiles,
      min: stats.map((s) => s.min),
      max: stats.map((s) => s.max),
      nullCounts: stats.map((s) => s.nullCount),
    });
    if (!ok) prunedManifests++;
    return ok;
  });
  const entries = (await Promise.all(kept.map((m) => readManifest(store, m.fileName)))).flat();
  const live = foldLiveFiles(entries);

  const partitionCache = new Map<string, Value[]>();
  const partitionValuesOf = (bytes: Uint8Array): Value[] => {
    const key = toHex(bytes);
    let values = partitionCache.get(key);
    if (values === undefined) {
      values = decodeSerializedBinaryRow(partitionTypes, bytes);
      partitionCache.set(key, values);
    }
    return values;
  };

  const groups = new Map<string, { entry: ManifestEntry; files: DataFileMeta[] }>();
  for (const entry of live) {
    const file = entry.file;
    const keep = (options.skipLevel0 !== true || file.level > 0) &&
      mayMatchPartition(partitionFilter, partitionValuesOf(entry.partition)) &&
      (bucketFilter === null || entry.totalBuckets <= 0 || bucketFilter(entry.totalBuckets).has(entry.bucket)) &&
      fileMayMatch(file, schema, statsFields, statsFilter, primaryKey);
    if (!keep) {
      prunedFiles++;
      continue;
    }
    const id = `${toHex(entry.partition)}/${entry.bucket}`;
    let group = groups.get(id);
    if (group === undefined) groups.set(id, group = { entry, files: [] });
    group.files.push(file);
  }

  const deletion = await deletionFilesByBucket(store, snapshot);
  const splits: DataSplit[] = [...groups.entries()].map(([id, { entry, files }]) => ({
    partition: entry.partition,
    partitionValues: partitionValuesOf(entry.partition),
    bucket: entry.bucket,
    totalBuckets: entry.totalBuckets,
    files: files.sort((a, b) => b.level - a.level || (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0)),
    deletionFiles: deletion.get(id) ?? new Map(),
  }));
  splits.sort((a, b) => compareBytes(a.partition, b.partition) || a.bucket - b.bucket);
  return { splits, pruned: { manifests: prunedManifests, files: prunedFiles } };
}

/** Buckets selected by equalities on every bucket-key column, per total bucket count. */
function bucketSelector(schema: TableSchema, filter: Predicate): ((totalBuckets: number) => Set<number>) | null {
  const names = bucketKeys(schema);
  if (names.length === 0) return null;
  const fields = names.map((n) => schema.fields.find((f) => f.name === n)!);
  const bound = statsFilterOf(filter, fields);
  if (bound === null) return null;
  const types = fields.map((f) => f.type);
  const cache = new Map<number, Set<number> | null>();
  const probe = selectBuckets(bound, { bucketKeys: names, bucketOf: () => 0 });
  if (probe === null) return null;
  return (totalBuckets) => {
    let set = cache.get(totalBuckets);
    if (set === undefined) {
      set = selectBuckets(bound, { bucketKeys: names, bucketOf: (v) => fixedBucket(types, v, totalBuckets) });
      cache.set(totalBuckets, set);
    }
    return set ?? new Set(Array.from({ length: totalBuckets }, (_, i) => i));
  };
}

/** Statistics pruning of one file; files of other schemas are kept (their stats use old names). */
function fileMayMatch(file: DataFileMeta, schema: TableSchema, fields: readonly DataField[], filter: BoundPredicate | null, primaryKey: boolean): boolean {
  if (filter === null || file.schemaId !== schema.id) return true;
  const stats = primaryKey
    ? decodeSimpleStats(fields, file.keyStats, null)
    : decodeSimpleStats(fields, file.valueStats, file.valueStatsCols);
  return mayMatchStats(filter, {
    rowCount: file.rowCount,
    min: stats.map((s) => s.min),
    max: stats.map((s) => s.max),
    nullCounts: stats.map((s) => s.nullCount),
  });
}

/** Deletion-vector locations of the snapshot, grouped like splits (`<partition hex>/<bucket>`). */
async function deletionFilesByBucket(store: ObjectStore, snapshot: Snapshot): Promise<Map<string, Map<string, DeletionFileRef>>> {
  const out = new Map<string, Map<string, DeletionFileRef>>();
  for (const entry of await snapshotIndexFiles(store, snapshot)) {
    if (entry.indexFile.indexType !== "DELETION_VECTORS" || entry.indexFile.dvRanges === null) continue;
    const id = `${toHex(entry.partition)}/${entry.bucket}`;
    let files = out.get(id);
    if (files === undefined) out.set(id, files = new Map());
    for (const range of entry.indexFile.dvRanges) files.set(range.dataFileName, { indexFileName: entry.indexFile.fileName, range });
  }
  return out;
}
