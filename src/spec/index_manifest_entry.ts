/**
 * IndexManifestEntry: one record of an index manifest, naming one index file (HASH bucket
 * index, DELETION_VECTORS, or a global index) of one (partition, bucket).
 *
 * Mirrors `org.apache.paimon.manifest.IndexManifestEntry` (SCHEMA), `IndexFileMeta`,
 * `DeletionVectorMeta`, `GlobalIndexMeta` and `IndexManifestEntrySerializer` (format
 * identifier `_VERSION` = 1).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/manifest/IndexManifestEntry.java
 *
 * Invariants: 64-bit values are bigints; `dvRanges` keeps the file's order (Java holds a
 * LinkedHashMap keyed by data file name); fields added after 0.8 (`cardinality` 1.0,
 * `externalPath` 1.3, `globalIndex` 1.4) are null when absent.
 *
 * Imports: `manifest_entry.ts` (types only).
 */
import type { FileKind } from "./manifest_entry.ts";

/** `_VERSION` of index manifest entries (persisted format identifier: never change). */
export const INDEX_MANIFEST_ENTRY_VERSION = 1;

/** Index types Paimon itself writes (persisted strings; global indexes add their own names). */
export const INDEX_TYPES = {
  HASH: "HASH",
  DELETION_VECTORS: "DELETION_VECTORS",
} as const;

/** The Avro field names of IndexManifestEntry, by TS property (persisted: never rename). */
export const INDEX_MANIFEST_ENTRY_FIELDS = {
  version: "_VERSION",
  kind: "_KIND",
  partition: "_PARTITION",
  bucket: "_BUCKET",
  indexType: "_INDEX_TYPE",
  fileName: "_FILE_NAME",
  fileSize: "_FILE_SIZE",
  rowCount: "_ROW_COUNT",
  dvRanges: "_DELETIONS_VECTORS_RANGES",
  externalPath: "_EXTERNAL_PATH",
  globalIndex: "_GLOBAL_INDEX",
} as const;

/** Avro field names of one deletion-vector range (persisted: never rename). */
export const DELETION_VECTOR_META_FIELDS = {
  dataFileName: "f0",
  offset: "f1",
  length: "f2",
  cardinality: "_CARDINALITY",
} as const;

/** Avro field names of the global index record (persisted: never rename). */
export const GLOBAL_INDEX_META_FIELDS = {
  rowRangeStart: "_ROW_RANGE_START",
  rowRangeEnd: "_ROW_RANGE_END",
  indexFieldId: "_INDEX_FIELD_ID",
  extraFieldIds: "_EXTRA_FIELD_IDS",
  indexMeta: "_INDEX_META",
  sourceMeta: "_SOURCE_META",
} as const;

/** Where the deletion vector of one data file lives inside a DV index file. */
export interface DeletionVectorMeta {
  /** Data file the vector applies to (`f0`). */
  readonly dataFileName: string;
  /** Byte offset of the vector's length prefix in the index file (`f1`). */
  readonly offset: number;
  /** Length in bytes of the serialized bitmap, magic included (`f2`). */
  readonly length: number;
  /** Number of deleted rows (since 1.0; null = unknown). */
  readonly cardinality: bigint | null;
}

/** Metadata of a global index file (since 1.4). */
export interface GlobalIndexMeta {
  /** First row id covered, inclusive. */
  readonly rowRangeStart: bigint;
  /** Last row id covered, inclusive (Java's `Range(from, to)`). */
  readonly rowRangeEnd: bigint;
  readonly indexFieldId: number;
  readonly extraFieldIds: readonly number[] | null;
  readonly indexMeta: Uint8Array | null;
  readonly sourceMeta: Uint8Array | null;
}

/** Metadata of one index file. */
export interface IndexFileMeta {
  /** `HASH`, `DELETION_VECTORS`, or a global index type name. */
  readonly indexType: string;
  readonly fileName: string;
  /** Exact byte size of the index file. */
  readonly fileSize: bigint;
  /** HASH: number of hashes; DELETION_VECTORS: number of data files with a vector. */
  readonly rowCount: bigint;
  /** Deletion-vector locations (DELETION_VECTORS only; null otherwise). */
  readonly dvRanges: readonly DeletionVectorMeta[] | null;
  readonly externalPath: string | null;
  readonly globalIndex: GlobalIndexMeta | null;
}

/** One index manifest entry. */
export interface IndexManifestEntry {
  readonly kind: FileKind;
  /** Serialized partition BinaryRow. */
  readonly partition: Uint8Array;
  readonly bucket: number;
  readonly indexFile: IndexFileMeta;
}
