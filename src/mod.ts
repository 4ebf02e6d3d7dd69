/**
 * lakestate's universal entry: the public API that runs in every runtime (browsers, Deno, Node,
 * edge workers). Touches no runtime global; runtime entries (node.ts, deno.ts) add their
 * filesystem store on top of this.
 *
 * Today (foundation): Paimon spec codecs, the ObjectStore interface with the memory store, the
 * manifest codecs, table metadata readers and the kernel loader. The table API (openCatalog,
 * openTable, read, write) arrives with the read and write issues.
 * Imports: every layer (L7).
 */
export { LakeError, CommitConflictError, isLakeError, ERROR_CODES, type ErrorCode } from "./errors.ts";

// Storage.
export type { ObjectStore, ObjectEntry, ObjectStat, ByteRange, RangeReader } from "./io/store.ts";
export { openRangeReader, validatePath } from "./io/store.ts";
export { MemoryStore } from "./io/memory_store.ts";
export { prefixedStore } from "./io/prefixed_store.ts";
export { IdbStore, IDB_STORE_NAME_DEFAULT, type IdbStoreOptions } from "./io/idb_store.ts";
export { ZipStore, exportStoreZip, importZipToStore, findTableRoot, openZipTableStore } from "./io/zip_store.ts";
export { zipEntries, unzipEntries, type ZipEntry, type ZipOptions } from "./util/zip.ts";
export { S3Store, parseS3Url, isS3Url, openS3Url, type S3StoreOptions, type S3Options, type S3ClientOptions } from "./io/s3_store.ts";

// Paimon spec: types, schema, snapshot, options, paths, rows, buckets, keys.
export * from "./spec/data_types.ts";
export * from "./spec/values.ts";
export * from "./spec/row_kind.ts";
export * from "./spec/schema.ts";
export * from "./spec/snapshot.ts";
export * from "./spec/paths.ts";
export * from "./spec/binary_row.ts";
export * from "./spec/simple_stats.ts";
export * from "./spec/bucket.ts";
export * from "./spec/key_codec.ts";
export { parseJson, stringifyJson } from "./util/json.ts";

// Table metadata readers.
export { readSnapshot, latestSnapshot, latestSnapshotId, earliestSnapshotId, listSnapshotIds, readAllSnapshots } from "./table/snapshot_manager.ts";
export { readSchema, latestSchema, listSchemaIds } from "./table/schema_manager.ts";

// Tables and catalogs.
export { Table, type ReadOptions, type FilterInput, type FileInfo, type ManifestInfo } from "./api/table.ts";
export {
  ChangeStream, StreamScanMode, POLL_INTERVAL_MS_DEFAULT, POLL_INTERVAL_MS_MAX, changeBatchToArrow,
  type SnapshotChanges, type StreamReadOptions, type IncrementalReadOptions, type AuditLogOptions,
} from "./api/table_stream.ts";
export { TableWrite, type WriteInput, type NewWriteOptions, type WriteCommitResult } from "./api/table_write.ts";
export { TableWriter, type TableWriterOptions } from "./table/write/table_writer.ts";
export type { DeleteResult } from "./table/delete_where.ts";
export type { CompactTableResult } from "./table/table_compact.ts";
export {
  TableLookup, LOOKUP_CACHE_BYTES_MAX_DEFAULT, LOOKUP_REFRESH_INTERVAL_MS_DEFAULT, LOOKUP_FULL_LOAD_THRESHOLD_DEFAULT,
  type NewLookupOptions, type LookupStats, type LookupKey, type LookupRow, type PartitionSelection,
} from "./api/table_lookup.ts";
export { Catalog, openCatalog, openTable, parseTableIdentifier } from "./api/catalog.ts";
export {
  and, or, not, equal, notEqual, lessThan, lessOrEqual, greaterThan, greaterOrEqual, compare, isNull, isNotNull,
  isIn, notIn, type Predicate,
} from "./table/predicate.ts";
export { parsePredicate, formatPredicate } from "./table/predicate_parser.ts";

// Fast columnar Parquet reads (parquet-wasm): runtime entries register where its wasm comes from.
export { setFastParquetSource, fastParquetStatus, parquetWriterModule } from "./format/data/parquet_arrow_reader.ts";
export { setZstdWasmSource, zstdWasmFailure } from "./format/data/zstd_wasm.ts";

// Kernel.
export { loadKernel, type LoadedKernel, type LoadKernelOptions, type KeyKernel } from "./kernel/mod.ts";
export { useKernelModule, kernelStatus, KERNEL_TWIN_WARNING, type KernelStatus } from "./kernel/mod.ts";
