/**
 * The message protocol between a page and the engine running in a Web Worker (comlink RPC):
 * what crosses the boundary and in which form. Shared by src/worker/engine_host.ts (the worker
 * side) and src/worker/client.ts (the page side).
 *
 * Invariants: every value crossing is structured-cloneable: plain rows (lakestate's value model
 * is plain objects, bigint, Uint8Array, Map, Date), schemas, results; Arrow tables cross as Arrow
 * IPC stream bytes whose ArrayBuffer is transferred (never copied twice, never shared).
 * Callbacks and AbortSignals never cross: a stream is pulled with `streamNext` and stopped with
 * `streamClose`.
 *
 * Imports: types only (api, table, spec, stream, format). Mirrors no Java class.
 */
import type { ReadOptions, FileInfo, ManifestInfo } from "../api/table.ts";
import type { SqlResult } from "../api/sql/execute.ts";
import type { LookupKey, LookupRow, LookupStats, NewLookupOptions } from "../api/table_lookup.ts";
import type { ZipEntry } from "../util/zip.ts";
import type { TableSpec, SchemaChange } from "../api/catalog.ts";
import type { WriteCommitResult } from "../table/write/table_writer.ts";
import type { CompactTableResult } from "../table/table_compact.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { Value } from "../spec/values.ts";
import type { S3StoreOptions } from "../io/s3_store.ts";
import type { StreamReadOptions } from "../stream/stream_options.ts";

export type {
  TableSpec, SchemaChange, ReadOptions, FileInfo, ManifestInfo, WriteCommitResult, CompactTableResult, TableSchema, Snapshot, Value,
  SqlResult, LookupKey, LookupRow, LookupStats, ZipEntry,
};

/** Where the worker's parquet-wasm comes from: a URL it fetches, or the wasm bytes. */
export type WorkerParquetSource = string | Uint8Array<ArrayBuffer>;

/** Connection options of an `s3://` warehouse in the worker: S3StoreOptions without `fetch` (a function cannot cross to a worker). */
export type WorkerS3Options = Omit<S3StoreOptions, "fetch">;

/** How the worker opens its catalog. */
export interface WorkerCatalogRequest {
  /**
   * "idb://<database name>" (IndexedDB, persistent), "memory://<name>" (in the worker's memory,
   * gone with it) or "s3://bucket/prefix" (with `s3`; the bucket must answer CORS).
   */
  readonly warehouse: string;
  /** Endpoint, region and credentials of an `s3://` warehouse. */
  readonly s3?: WorkerS3Options;
  /** parquet-wasm for writes and fast reads (`parquet_wasm_bg.wasm` of the parquet-wasm package). */
  readonly parquetWasm?: WorkerParquetSource;
  /** The zstd codec's wasm (`@foxglove/wasm-zstd/dist/wasm-zstd.wasm`), optional. */
  readonly zstdWasm?: WorkerParquetSource;
}

/** What opening a table returns to the page. */
export interface WorkerTableInfo {
  readonly tableId: number;
  readonly name: string;
  readonly schema: TableSchema;
}

/** Rows for a write: plain objects, or an Arrow table as IPC stream bytes. */
export type WorkerRows =
  | { readonly kind: "objects"; readonly rows: readonly Readonly<Record<string, unknown>>[] }
  | { readonly kind: "ipc"; readonly ipc: Uint8Array<ArrayBuffer> };

/** Options of a write through the worker (as NewWriteOptions). */
export interface WorkerWriteOptions {
  readonly commitUser?: string;
  readonly options?: Readonly<Record<string, string>>;
}

/** Options of a compaction through the worker (as Table.compact). */
export interface WorkerCompactOptions {
  readonly full?: boolean;
  readonly partition?: Record<string, Value> | null;
  readonly commitUser?: string;
  readonly options?: Record<string, string>;
}

/** Stream options that can cross (no signal: close the stream instead). */
export type WorkerStreamOptions = Omit<StreamReadOptions, "signal">;

/** One pulled stream item: done, or a snapshot's changes as Arrow IPC bytes. */
export type WorkerStreamItem =
  | { readonly done: true }
  | { readonly done: false; readonly snapshotId: bigint; readonly ipc: Uint8Array<ArrayBuffer> };

/** Read options that can cross (filters as SQL-like text or plain predicate objects). */
export type WorkerReadOptions = ReadOptions;

/**
 * Lookup options that can cross: as NewLookupOptions, but `localStore` names a store the worker
 * opens ("idb://<database>" or "memory://<name>", as a warehouse) and warnings come back with
 * the answer instead of through a callback.
 */
export type WorkerLookupOptions = Omit<NewLookupOptions, "localStore" | "onWarning"> & { readonly localStore?: string };

/** What opening a lookup returns to the page. */
export interface WorkerLookupInfo {
  readonly lookupId: number;
  readonly keys: readonly string[];
  readonly unique: boolean;
  readonly snapshotId: bigint | null;
  /** Warnings given while opening (e.g. keys not covering the bucket key). */
  readonly warnings: readonly string[];
}

/** A lookup answer with the snapshot it reflects (after any refresh the call made). */
export interface WorkerLookupAnswer<T> {
  readonly value: T;
  readonly snapshotId: bigint | null;
}

/** Lookup calls forwarded to a TableLookup (name -> [args, value]). */
export interface WorkerLookupCalls {
  get: [[key: LookupKey], LookupRow | null];
  getMany: [[keys: readonly LookupKey[]], (LookupRow | null)[]];
  getAll: [[key: LookupKey], LookupRow[]];
  getManyAll: [[keys: readonly LookupKey[]], LookupRow[][]];
  refresh: [[], { snapshotId: bigint | null; mode: "none" | "incremental" | "full" }];
  stats: [[], LookupStats];
}

/** The catalog methods the worker forwards unchanged (name -> [args, result]). */
export interface WorkerCatalogCalls {
  listDatabases: [[], string[]];
  databaseExists: [[name: string], boolean];
  createDatabase: [[name: string, opts?: { ignoreIfExists?: boolean }], void];
  dropDatabase: [[name: string, opts?: { ignoreIfNotExists?: boolean; cascade?: boolean }], void];
  listTables: [[database: string], string[]];
  tableExists: [[identifier: string], boolean];
  dropTable: [[identifier: string, opts?: { ignoreIfNotExists?: boolean }], void];
}

/** The object the worker exposes over comlink (see engine_host.ts). All methods are async. */
export interface EngineApi {
  openCatalog(request: WorkerCatalogRequest): Promise<number>;
  closeCatalog(catalogId: number): Promise<void>;
  catalogCall<K extends keyof WorkerCatalogCalls>(catalogId: number, method: K, args: WorkerCatalogCalls[K][0]): Promise<WorkerCatalogCalls[K][1]>;
  getTable(catalogId: number, identifier: string): Promise<WorkerTableInfo>;
  createTable(catalogId: number, identifier: string, spec: TableSpec, opts?: { ignoreIfExists?: boolean }): Promise<WorkerTableInfo>;
  alterTable(catalogId: number, identifier: string, changes: readonly SchemaChange[]): Promise<WorkerTableInfo>;
  releaseTable(tableId: number): Promise<void>;
  write(tableId: number, rows: WorkerRows, options?: WorkerWriteOptions): Promise<WriteCommitResult>;
  delete(tableId: number, rows: WorkerRows, options?: WorkerWriteOptions): Promise<WriteCommitResult>;
  deleteWhere(tableId: number, filter: string | null, options?: WorkerWriteOptions): Promise<unknown>;
  newWrite(tableId: number, options?: WorkerWriteOptions): Promise<number>;
  writerWrite(writerId: number, rows: WorkerRows): Promise<void>;
  writerDelete(writerId: number, rows: WorkerRows): Promise<void>;
  writerCommit(writerId: number, identifier?: bigint): Promise<WriteCommitResult>;
  writerClose(writerId: number): Promise<void>;
  compact(tableId: number, options?: WorkerCompactOptions): Promise<CompactTableResult>;
  read(tableId: number, options?: WorkerReadOptions): Promise<Uint8Array<ArrayBuffer>>;
  rows(tableId: number, options?: WorkerReadOptions): Promise<Record<string, Value>[]>;
  snapshots(tableId: number): Promise<Snapshot[]>;
  files(tableId: number, options?: { snapshotId?: number | bigint }): Promise<FileInfo[]>;
  streamOpen(tableId: number, options?: WorkerStreamOptions): Promise<number>;
  streamNext(streamId: number): Promise<WorkerStreamItem>;
  streamClose(streamId: number): Promise<void>;
  /** Catalog.sql: the results are plain data (rows of lakestate values) and cross as they are. */
  sql(catalogId: number, text: string): Promise<SqlResult[]>;
  /** Catalog.exportTable: the archive, its buffer transferred. */
  exportTable(catalogId: number, identifier: string): Promise<Uint8Array<ArrayBuffer>>;
  /** Catalog.importTable, then opens the table. */
  importTable(catalogId: number, identifier: string, zip: Uint8Array | readonly ZipEntry[]): Promise<WorkerTableInfo>;
  manifests(tableId: number, options?: { snapshotId?: number | bigint }): Promise<ManifestInfo[]>;
  lookupOpen(tableId: number, options?: WorkerLookupOptions): Promise<WorkerLookupInfo>;
  lookupCall<K extends keyof WorkerLookupCalls>(lookupId: number, method: K, args: WorkerLookupCalls[K][0]): Promise<WorkerLookupAnswer<WorkerLookupCalls[K][1]>>;
  lookupClose(lookupId: number): Promise<void>;
}
