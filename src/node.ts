/**
 * lakestate for Node: the universal API plus the Node filesystem store, with `openCatalog` and
 * `openTable` that also take a local path or `file://` URL.
 *
 * `import { openCatalog } from "lakestate/node"`. The only entry Node users need.
 * Imports: mod.ts, api/catalog.ts, io/fs_node_store.ts, io/s3_store.ts, node_zstd.ts, node:url.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Catalog, openTable as openTableInStore } from "./api/catalog.ts";
import { localWarehousePath } from "./api/sql/exec_session.ts";
import type { Table } from "./api/table.ts";
import { NodeFsStore } from "./io/fs_node_store.ts";
import type { ObjectStore } from "./io/store.ts";
import { isS3Url, openS3Url, type S3StoreOptions } from "./io/s3_store.ts";
import { isZipPath, openZipTableFile } from "./io/zip_store.ts";
import { setFastParquetSource } from "./format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource } from "./format/data/zstd_wasm.ts";
import { useNativeZstd } from "./node_zstd.ts";

export * from "./mod.ts";
export { NodeFsStore, type NodeFsStoreOptions } from "./io/fs_node_store.ts";
export { nativeZstdStatus } from "./node_zstd.ts";

// The fast Parquet path loads parquet-wasm's module bytes from the installed package on first use.
setFastParquetSource(async () => new Uint8Array(await readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")))));
// ZSTD pages go through @foxglove/wasm-zstd's libzstd build (about 3 times parquet-wasm's zstd).
setZstdWasmSource(async () => new Uint8Array(await readFile(fileURLToPath(import.meta.resolve("@foxglove/wasm-zstd/dist/wasm-zstd.wasm")))));
// ...and decode through native libzstd when the optional zstd-napi addon is installed (about 1.7
// times the wasm build); without it the wasm build decodes (`nativeZstdStatus()` says why).
useNativeZstd();

/** A local directory (path or `file://` URL), an `s3://bucket/prefix` URL (with `s3` options) or any store. */
export type StoreInput = string | URL | ObjectStore;

function storeOf(input: StoreInput, s3?: S3StoreOptions): ObjectStore {
  if (typeof input === "string" && isS3Url(input)) return openS3Url(input, s3);
  if (typeof input === "string") return new NodeFsStore(input.startsWith("file:") ? fileURLToPath(input) : input);
  if (input instanceof URL) return new NodeFsStore(fileURLToPath(input));
  return input;
}

/** The local path of a `.zip` archive `input` names (a path or `file:` URL ending in .zip), else null. */
function zipPathOf(input: StoreInput): string | null {
  let path: string | null = null;
  if (typeof input === "string" && !isS3Url(input)) path = input.startsWith("file:") ? fileURLToPath(input) : input;
  else if (input instanceof URL && input.protocol === "file:") path = fileURLToPath(input);
  return path !== null && isZipPath(path) ? path : null;
}

/** Reads the archive at a local path: through a filesystem store on its directory. */
async function readLocalFile(path: string): Promise<Uint8Array> {
  const slash = path.lastIndexOf("/");
  return new NodeFsStore(slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash)).get(path.slice(slash + 1));
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
