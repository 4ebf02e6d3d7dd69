/**
 * lakestate for Deno: the universal API plus the Deno filesystem store, with `openCatalog` and
 * `openTable` that also take a local path or `file://` URL.
 *
 * `import { openCatalog } from "lakestate/deno"` (or this file by path).
 * Imports: mod.ts, api/catalog.ts, io/fs_deno_store.ts, io/s3_store.ts.
 */
import { Catalog, openTable as openTableInStore } from "./api/catalog.ts";
import { localWarehousePath } from "./api/sql/exec_session.ts";
import type { Table } from "./api/table.ts";
import { DenoFsStore } from "./io/fs_deno_store.ts";
import type { ObjectStore } from "./io/store.ts";
import { isS3Url, openS3Url, type S3StoreOptions } from "./io/s3_store.ts";
import { isZipPath, openZipTableFile } from "./io/zip_store.ts";
import { setFastParquetSource } from "./format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource } from "./format/data/zstd_wasm.ts";

export * from "./mod.ts";
export { DenoFsStore, type DenoFsStoreOptions } from "./io/fs_deno_store.ts";

// The fast Parquet path fetches parquet-wasm's module bytes (Deno fetches file: URLs) on first use.
setFastParquetSource(async () => new Uint8Array(await (await fetch(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))).arrayBuffer()));
// ZSTD pages go through @foxglove/wasm-zstd's libzstd build (about 3 times parquet-wasm's zstd).
setZstdWasmSource(async () => new Uint8Array(await (await fetch(import.meta.resolve("@foxglove/wasm-zstd/dist/wasm-zstd.wasm"))).arrayBuffer()));

/** A local directory (path or `file://` URL), an `s3://bucket/prefix` URL (with `s3` options) or any store. */
export type StoreInput = string | URL | ObjectStore;

function pathOf(url: URL): string {
  if (url.protocol !== "file:") throw new TypeError(`lakestate: only file:// URLs name local directories, got ${url.href}`);
  return decodeURIComponent(url.pathname);
}

function storeOf(input: StoreInput, s3?: S3StoreOptions): ObjectStore {
  if (typeof input === "string" && isS3Url(input)) return openS3Url(input, s3);
  if (typeof input === "string") return new DenoFsStore(input.startsWith("file:") ? pathOf(new URL(input)) : input);
  if (input instanceof URL) return new DenoFsStore(pathOf(input));
  return input;
}

/** The local path of a `.zip` archive `input` names (a path or `file:` URL ending in .zip), else null. */
function zipPathOf(input: StoreInput): string | null {
  let path: string | null = null;
  if (typeof input === "string" && !isS3Url(input)) path = input.startsWith("file:") ? pathOf(new URL(input)) : input;
  else if (input instanceof URL && input.protocol === "file:") path = pathOf(input);
  return path !== null && isZipPath(path) ? path : null;
}

/** Reads the archive at a local path: through a filesystem store on its directory. */
async function readLocalFile(path: string): Promise<Uint8Array> {
  const slash = path.lastIndexOf("/");
  return new DenoFsStore(slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash)).get(path.slice(slash + 1));
}

/** Opens the local warehouse of a SQL `CREATE CATALOG` (a path, relative to the working directory, or a `file:` URL). */
function openSqlCatalog(request: { readonly warehouse: string }): Catalog {
  return new Catalog(storeOf(localWarehousePath(request.warehouse)), { openCatalog: openSqlCatalog });
}

/**
 * Opens a filesystem catalog: `warehouse` is a directory path, a `file://` URL, an
 * `s3://bucket/prefix` URL (then `s3` gives endpoint, region and credentials) or a store.
 * Its `sql()` opens the local warehouses of `CREATE CATALOG` statements.
 */
export function openCatalog(options: { warehouse: StoreInput; s3?: S3StoreOptions; nowMs?: () => number }): Catalog {
  return new Catalog(storeOf(options.warehouse, options.s3), { openCatalog: openSqlCatalog, ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }) });
}

/**
 * Opens the table in a directory (path or `file://` URL), in a `.zip` archive (a path or URL
 * ending in .zip: read whole, read-only, the table found inside as io/zip_store.ts
 * `openZipTableFile` does; errors name the archive), at an `s3://` URL (with `options.s3`) or at the root of a store.
 */
export async function openTable(table: StoreInput, options: { name?: string; s3?: S3StoreOptions } = {}): Promise<Table> {
  const zipPath = zipPathOf(table);
  const store = zipPath === null ? storeOf(table, options.s3) : await openZipTableFile(zipPath, readLocalFile);
  return openTableInStore(store, { name: options.name ?? (typeof table === "string" ? table : table instanceof URL ? table.href : undefined) });
}
