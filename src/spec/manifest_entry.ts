/**
 * ManifestEntry: one record of a manifest file, adding or deleting one data file of one
 * (partition, bucket).
 *
 * Mirrors `org.apache.paimon.manifest.ManifestEntry` (SCHEMA), `FileKind` and
 * `ManifestEntrySerializer` (format identifier `_VERSION` = 2).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/manifest/ManifestEntry.java
 *
 * Invariants: `partition` is a serialized BinaryRow (4-byte big-endian arity + row bytes);
 * Java compares it bytewise, so it must be reproduced byte for byte.
 *
 * Imports: `data_file_meta.ts` (types only).
 */
import type { DataFileMeta } from "./data_file_meta.ts";

/** Kind of a manifest entry (persisted as a TINYINT: never renumber). */
export const FILE_KIND = {
  ADD: 0,
  DELETE: 1,
} as const;

/** One of `FILE_KIND`. */
export type FileKind = (typeof FILE_KIND)[keyof typeof FILE_KIND];

/**
 * `_VERSION` of manifest entries: a permanent format identifier, not a schema version (every
 * release 0.4 to master writes 2; 1 means a pre-0.4 incompatible table). Persisted: never change.
 */
export const MANIFEST_ENTRY_VERSION = 2;

/** The Avro field names of ManifestEntry, by TS property (persisted: never rename). */
export const MANIFEST_ENTRY_FIELDS = {
  version: "_VERSION",
  kind: "_KIND",
  partition: "_PARTITION",
  bucket: "_BUCKET",
  totalBuckets: "_TOTAL_BUCKETS",
  file: "_FILE",
} as const;

/** One manifest entry. */
export interface ManifestEntry {
  readonly kind: FileKind;
  /** Serialized partition BinaryRow. */
  readonly partition: Uint8Array;
  /** Bucket id (-2 postpone bucket, >= 0 otherwise). */
  readonly bucket: number;
  /** The table's `bucket` option when the file was written (-1 for unaware buckets). */
  readonly totalBuckets: number;
  readonly file: DataFileMeta;
}
