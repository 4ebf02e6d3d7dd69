/**
 * lakestate for browsers (pages and Web Workers): the universal API plus the IndexedDB store,
 * with `openCatalog` / `openTable` that also take an `idb://<database>` warehouse or an
 * `s3://bucket/prefix` one (with `s3` options; the bucket must answer CORS), and
 * `useParquetWasm` (and `useZstdWasm`) to say where parquet-wasm's (and libzstd's) .wasm comes from. The Web Worker client
 * (`openWorkerCatalog`) runs the same engine off the main thread (src/worker/).
 *
 * `import { openCatalog } from "lakestate/browser"`. (IdbStore itself is in the universal API,
 * mod.ts: it needs only a global `indexedDB`, which fake-indexeddb provides elsewhere.)
 * parquet-wasm (writes, fast reads): bundlers do not copy its `parquet_wasm_bg.wasm`, so the page
 * serves that file and passes its URL (or the bytes, or a compiled module) once, to
 * `useParquetWasm` or as `openCatalog({ parquetWasm })`; the module is fetched and compiled on
 * first use. Without it, reads take the pure-TypeScript path (same rows) and writes fail with
 * LakeError("unsupported"). The key kernel needs nothing: its wasm is embedded.
 *
 * Imports: mod.ts, api/catalog.ts, io/idb_store.ts, io/s3_store.ts, format/data/parquet_arrow_reader.ts,
 * worker/client.ts, worker/engine_host.ts (re-exported; it imports this file back for storeOf,
 * used only inside its methods, so the cycle is safe).
 */
import { Catalog, openTable as openTableInStore } from "./api/catalog.ts";
import type { Table } from "./api/table.ts";
import { LakeError } from "./errors.ts";
import { setFastParquetSource, type FastParquetSource } from "./format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource, type ZstdWasmSourceOrThunk } from "./format/data/zstd_wasm.ts";
import { IdbStore } from "./io/idb_store.ts";
import { isS3Url, openS3Url, type S3StoreOptions } from "./io/s3_store.ts";
import type { ObjectStore } from "./io/store.ts";

export * from "./mod.ts";
export {
  openWorkerCatalog, WorkerCatalog, WorkerTable, WorkerTableWrite, WorkerLookup, type OpenWorkerCatalogOptions, type WorkerSnapshotChanges,
} from "./worker/client.ts";
// The worker side, for applications that serve their own host (`class MyHost extends EngineHost`, `exposeEngine(self, new MyHost())`).
export { EngineHost, exposeEngine } from "./worker/engine_host.ts";
export type { EngineApi, WorkerLookupOptions, WorkerLookupInfo, WorkerTableInfo, WorkerCatalogRequest, WorkerS3Options } from "./worker/protocol.ts";

/** The warehouse URL scheme of IndexedDB databases: `idb://<database name>`. */
export const IDB_SCHEME = "idb://";

/** An `idb://<database>` URL, an `s3://bucket/prefix` URL or any store. */
export type StoreInput = string | ObjectStore;

/**
 * The store a warehouse names: `idb://<name>` opens the IndexedDB database `<name>` (created on
 * first write); `s3://bucket/prefix` an S3Store with connection options `s3` (required then);
 * a store is used as is. Anything else is LakeError("invalid_argument").
 */
export function storeOf(input: StoreInput, s3?: S3StoreOptions): ObjectStore {
  if (typeof input !== "string") return input;
  if (input.startsWith(IDB_SCHEME) && input.length > IDB_SCHEME.length) {
    return new IdbStore({ dbName: decodeURIComponent(input.slice(IDB_SCHEME.length)) });
  }
  if (isS3Url(input)) return openS3Url(input, s3);
  throw new LakeError("invalid_argument", `browser: warehouse ${JSON.stringify(input)} is not an "idb://<database>" or "s3://bucket/prefix" URL or a store`);
}

/**
 * Registers where parquet-wasm's `parquet_wasm_bg.wasm` comes from (a URL string or URL,
 * fetched on first use; the bytes; a Response; a compiled module); null turns it off. One
 * module per realm: a page and each worker register their own.
 */
export function useParquetWasm(source: FastParquetSource | URL | null): void {
  if (source === null) return setFastParquetSource(null);
  if (typeof source === "string" || source instanceof URL) {
    const url = source;
    return setFastParquetSource(() => fetch(url));
  }
  setFastParquetSource(source);
}

/**
 * Registers where the zstd codec's wasm (`@foxglove/wasm-zstd/dist/wasm-zstd.wasm`) comes from,
 * like `useParquetWasm`; it speeds up zstd Parquet pages (without it parquet-wasm's own zstd is
 * used, same bytes). null turns it off.
 */
export function useZstdWasm(source: ZstdWasmSourceOrThunk | string | URL | null): void {
  if (typeof source === "string" || source instanceof URL) {
    const url = source;
    return setZstdWasmSource(() => fetch(url));
  }
  setZstdWasmSource(source);
}

/** Options of the browser `openCatalog`. */
export interface BrowserCatalogOptions {
  /** `idb://<database>`, `s3://bucket/prefix` (with `s3`) or a store. */
  readonly warehouse: StoreInput;
  /** Endpoint, region and credentials of an `s3://` warehouse. */
  readonly s3?: S3StoreOptions;
  /** Clock of new schemas, epoch ms (default Date.now). */
  readonly nowMs?: () => number;
  /** parquet-wasm source, registered with `useParquetWasm` (see there). */
  readonly parquetWasm?: FastParquetSource | URL;
  /** zstd codec wasm source, registered with `useZstdWasm` (optional). */
  readonly zstdWasm?: ZstdWasmSourceOrThunk | string | URL;
}

/**
 * The catalogs SQL `CREATE CATALOG ... WITH ('warehouse' = 'idb://<database>')` opens in a
 * browser (an `s3://` warehouse there needs credentials SQL does not carry: open it with
 * `openCatalog({ warehouse, s3 })` instead).
 */
export function openSqlCatalog(request: { readonly warehouse: string }): Catalog {
  if (isS3Url(request.warehouse)) {
    throw new LakeError("unsupported", `browser: CREATE CATALOG cannot open ${JSON.stringify(request.warehouse)} (S3 needs credentials; use openCatalog({ warehouse, s3 }))`);
  }
  return new Catalog(storeOf(request.warehouse), { openCatalog: openSqlCatalog });
}

/**
 * Opens a catalog over an IndexedDB database (`idb://name`), an S3 prefix (`s3://bucket/prefix`)
 * or a store. Its `sql()` opens the `idb://` warehouses of `CREATE CATALOG` statements.
 */
export function openCatalog(options: BrowserCatalogOptions): Catalog {
  if (options.parquetWasm !== undefined) useParquetWasm(options.parquetWasm);
  if (options.zstdWasm !== undefined) useZstdWasm(options.zstdWasm);
  return new Catalog(storeOf(options.warehouse, options.s3), { openCatalog: openSqlCatalog, ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }) });
}

/** Opens the table at the root of a store or of an IndexedDB database (`idb://name`). */
export function openTable(table: StoreInput, options: { name?: string; s3?: S3StoreOptions } = {}): Promise<Table> {
  return openTableInStore(storeOf(table, options.s3), { name: options.name ?? (typeof table === "string" ? table : undefined) });
}
