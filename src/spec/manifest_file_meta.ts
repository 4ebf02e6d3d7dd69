/**
 * ManifestFileMeta: one record of a manifest list, describing one manifest file.
 *
 * Mirrors `org.apache.paimon.manifest.ManifestFileMeta` (SCHEMA) and
 * `ManifestFileMetaSerializer` (format identifier `_VERSION` = 2).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/manifest/ManifestFileMeta.java
 *
 * Invariants: 64-bit values are bigints; `partitionStats` has the full partition arity (arity 0
 * for unpartitioned tables). The bucket/level bounds (since 1.1) and row-id bounds (since 1.4.1)
 * are null when unknown or absent from an older layout.
 *
 * Imports: `simple_stats.ts` (types only).
 */
import type { SimpleStats } from "./simple_stats.ts";

/** `_VERSION` of manifest list records (persisted format identifier: never change). */
export const MANIFEST_FILE_META_VERSION = 2;

/** The Avro field names of ManifestFileMeta, by TS property (persisted: never rename). */
export const MANIFEST_FILE_META_FIELDS = {
  version: "_VERSION",
  fileName: "_FILE_NAME",
  fileSize: "_FILE_SIZE",
  numAddedFiles: "_NUM_ADDED_FILES",
  numDeletedFiles: "_NUM_DELETED_FILES",
  partitionStats: "_PARTITION_STATS",
  schemaId: "_SCHEMA_ID",
  minBucket: "_MIN_BUCKET",
  maxBucket: "_MAX_BUCKET",
  minLevel: "_MIN_LEVEL",
  maxLevel: "_MAX_LEVEL",
  minRowId: "_MIN_ROW_ID",
  maxRowId: "_MAX_ROW_ID",
} as const;

/** One manifest list record. */
export interface ManifestFileMeta {
  /** Manifest file name (in the table's `manifest/` directory). */
  readonly fileName: string;
  /** Exact byte size of the manifest file. */
  readonly fileSize: bigint;
  /** Number of ADD entries in the manifest. */
  readonly numAddedFiles: bigint;
  /** Number of DELETE entries in the manifest. */
  readonly numDeletedFiles: bigint;
  /** Min/max/null counts of the partition columns over all entries. */
  readonly partitionStats: SimpleStats;
  /** Largest schema id of the files in the manifest. */
  readonly schemaId: bigint;
  /** Smallest bucket of the entries (since 1.1; null = unknown). */
  readonly minBucket: number | null;
  /** Largest bucket of the entries (since 1.1). */
  readonly maxBucket: number | null;
  /** Smallest level of the entries (since 1.1). */
  readonly minLevel: number | null;
  /** Largest level of the entries (since 1.1). */
  readonly maxLevel: number | null;
  /** Smallest first row id (row tracking, since 1.4.1). */
  readonly minRowId: bigint | null;
  /** Largest row id (row tracking, since 1.4.1). */
  readonly maxRowId: bigint | null;
}
