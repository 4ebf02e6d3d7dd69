/**
 * lakestate for Node: the universal API plus the Node filesystem store, with `openCatalog` and
 * `openTable` that also take a local path or `file://` URL.
 *
 * `import { openCatalog } from "lakestate/node"`. The only entry Node users need.
 * Imports: mod.ts, api/catalog.ts, io/fs_node_store.ts, node:url.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Catalog, openTable as openTableInStore } from "./api/catalog.ts";
import type { Table } from "./api/table.ts";
import { NodeFsStore } from "./io/fs_node_store.ts";
import type { ObjectStore } from "./io/store.ts";
import { setFastParquetSource } from "./format/data/parquet_arrow_reader.ts";

export * from "./mod.ts";
export { NodeFsStore, type NodeFsStoreOptions } from "./io/fs_node_store.ts";

// The fast Parquet path loads parquet-wasm's module bytes from the installed package on first use.
setFastParquetSource(async () => new Uint8Array(await readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")))));

/** A local directory (path or `file://` URL) or any store. */
export type StoreInput = string | URL | ObjectStore;

function storeOf(input: StoreInput): ObjectStore {
  if (typeof input === "string") return new NodeFsStore(input.startsWith("file:") ? fileURLToPath(input) : input);
  if (input instanceof URL) return new NodeFsStore(fileURLToPath(input));
  return input;
}

/** Opens a filesystem catalog: `warehouse` is a directory path, a `file://` URL or a store. */
export function openCatalog(options: { warehouse: StoreInput }): Catalog {
  return new Catalog(storeOf(options.warehouse));
}

/** Opens the table in a directory (path or `file://` URL) or at the root of a store. */
export function openTable(table: StoreInput, options: { name?: string } = {}): Promise<Table> {
  return openTableInStore(storeOf(table), { name: options.name ?? (typeof table === "string" ? table : table instanceof URL ? table.href : undefined) });
}
