/**
 * The worker side of the Web Worker engine: `EngineHost` implements the EngineApi of
 * protocol.ts over real catalogs and tables living in the worker, and `exposeEngine(endpoint)`
 * serves it with comlink on a Worker's global scope or any MessagePort.
 *
 * Invariants: handles (catalogs, tables, writers, streams, lookups) are small integer ids owned
 * by this host; a released or unknown id is LakeError("invalid_argument"). Arrow results leave
 * as IPC stream bytes with their buffer transferred. Streams are pulled one item per
 * `streamNext`, and `streamClose` aborts a pending pull (it resolves `{ done: true }`).
 * Subclassing: an application may extend EngineHost with its own methods (they are served by
 * comlink like the built-in ones) and serve it with `exposeEngine(endpoint, new MyHost())`;
 * `catalogOf(catalogId)` and `tableOf(tableId)` give a subclass the objects behind the ids the
 * page holds (WorkerCatalog.catalogId, WorkerTable.tableId).
 *
 * Imports: comlink, apache-arrow, browser.ts (storeOf, useParquetWasm), api, io/memory_store.ts, io/s3_store.ts,
 * worker/protocol.ts, worker/error_transfer.ts. Mirrors no Java class.
 */
import { expose, transfer, type Endpoint } from "comlink";
import { tableFromIPC, tableToIPC, type Table as ArrowTable } from "apache-arrow";
import type { Catalog } from "../api/catalog.ts";
import type { Table } from "../api/table.ts";
import type { TableWrite, WriteInput } from "../api/table_write.ts";
import type { TableLookup } from "../api/table_lookup.ts";
import type { SqlResult } from "../api/sql/execute.ts";
import type { ZipEntry } from "../util/zip.ts";
import type { ChangeStream, SnapshotChanges } from "../api/table_stream.ts";
import { storeOf, useParquetWasm, useZstdWasm } from "../browser.ts";
import { Catalog as CatalogClass } from "../api/catalog.ts";
import { LakeError } from "../errors.ts";
import { MemoryStore } from "../io/memory_store.ts";
import { isS3Url } from "../io/s3_store.ts";
import type { ObjectStore } from "../io/store.ts";
import { installErrorTransfer } from "./error_transfer.ts";
import type {
  CompactTableResult, EngineApi, FileInfo, ManifestInfo, SchemaChange, WorkerLookupAnswer, WorkerLookupCalls, WorkerLookupInfo, WorkerLookupOptions, Snapshot, TableSpec, Value, WorkerCatalogCalls, WorkerCatalogRequest,
  WorkerCompactOptions, WorkerReadOptions, WorkerRows, WorkerStreamItem, WorkerStreamOptions, WorkerTableInfo, WorkerWriteOptions,
  WriteCommitResult, WorkerS3Options,
} from "./protocol.ts";

/** The warehouse scheme of worker-memory stores. */
const MEMORY_SCHEME = "memory://";

/** Memory warehouses by name, shared by every catalog of this worker that names them. */
const memoryStores = new Map<string, MemoryStore>();

/** `bytes` over its own whole buffer, so the buffer can be transferred. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes as Uint8Array<ArrayBuffer>
    : new Uint8Array(bytes);
}

/** Arrow table -> IPC stream bytes, buffer marked for transfer. */
function toIpc(table: ArrowTable): Uint8Array<ArrayBuffer> {
  const bytes = ownBuffer(tableToIPC(table, "stream"));
  return transfer(bytes, [bytes.buffer]);
}

/** The store a warehouse URL names in the worker: `memory://<name>` (shared per worker) or what `storeOf` opens (`idb://`, `s3://` with `s3`). */
function storeFor(warehouse: string, s3?: WorkerS3Options): ObjectStore {
  if (!warehouse.startsWith(MEMORY_SCHEME)) return storeOf(warehouse, s3);
  const name = warehouse.slice(MEMORY_SCHEME.length);
  let store = memoryStores.get(name);
  if (store === undefined) memoryStores.set(name, store = new MemoryStore());
  return store;
}

/** The catalogs SQL `CREATE CATALOG` opens in the worker: `idb://` and `memory://` warehouses (S3 needs credentials SQL does not carry). */
function sqlCatalogFor(request: { readonly warehouse: string }): Catalog {
  if (isS3Url(request.warehouse)) {
    throw new LakeError("unsupported", `worker: CREATE CATALOG cannot open ${JSON.stringify(request.warehouse)} (S3 needs credentials; open it with openWorkerCatalog({ warehouse, s3 }))`);
  }
  return new CatalogClass(storeFor(request.warehouse), { openCatalog: sqlCatalogFor });
}

function writeInput(rows: WorkerRows): WriteInput {
  if (rows.kind === "ipc") return tableFromIPC(rows.ipc);
  return rows.rows as WriteInput;
}

/** The engine a worker serves (see the file header). */
export class EngineHost implements EngineApi {
  #nextId = 1;
  readonly #catalogs = new Map<number, { catalog: Catalog; store: ObjectStore }>();
  readonly #tables = new Map<number, Table>();
  readonly #writers = new Map<number, TableWrite>();
  readonly #streams = new Map<number, { stream: ChangeStream<SnapshotChanges>; abort: AbortController }>();
  readonly #lookups = new Map<number, { lookup: TableLookup; localStore: ObjectStore | null }>();
  /** Handle id (table, writer, stream, lookup) -> id of the catalog it came from. */
  readonly #owners = new Map<number, number>();

  /** A new handle id owned by the catalog that owns table `tableId`. */
  #childId(tableId: number): number {
    const id = this.#nextId++;
    const owner = this.#owners.get(tableId);
    if (owner !== undefined) this.#owners.set(id, owner);
    return id;
  }

  /**
   * The Catalog behind a catalog id (for subclasses' own methods; not meant to be called over
   * comlink: a Catalog is not cloneable). LakeError("invalid_argument") for an unknown id.
   */
  catalogOf(catalogId: number): Catalog {
    return this.#get(this.#catalogs, catalogId, "catalog").catalog;
  }

  /** The Table behind a table id (for subclasses, like `catalogOf`). LakeError("invalid_argument") for an unknown id. */
  tableOf(tableId: number): Table {
    return this.#get(this.#tables, tableId, "table");
  }

  /**
   * Registers a table opened from catalog `catalogId` and returns its info for the page (for
   * subclasses returning tables; the handle ends with that catalog).
   */
  tableInfo(table: Table, catalogId: number): WorkerTableInfo {
    return this.#tableInfo(table, catalogId);
  }

  #get<T>(map: Map<number, T>, id: number, what: string): T {
    const value = map.get(id);
    if (value === undefined) throw new LakeError("invalid_argument", `worker: no open ${what} with id ${id} (closed or released)`);
    return value;
  }

  #tableInfo(table: Table, catalogId: number): WorkerTableInfo {
    const tableId = this.#nextId++;
    this.#owners.set(tableId, catalogId);
    this.#tables.set(tableId, table);
    return { tableId, name: table.name, schema: table.schema };
  }

  async openCatalog(request: WorkerCatalogRequest): Promise<number> {
    if (request.parquetWasm !== undefined) useParquetWasm(request.parquetWasm);
    if (request.zstdWasm !== undefined) useZstdWasm(request.zstdWasm);
    if (request.s3 !== undefined && "fetch" in request.s3) {
      throw new LakeError("invalid_argument", "worker: s3.fetch cannot cross to a worker (a function); the worker uses its own fetch");
    }
    const store = storeFor(request.warehouse, request.s3);
    const id = this.#nextId++;
    this.#catalogs.set(id, { catalog: new CatalogClass(store, { openCatalog: sqlCatalogFor }), store });
    return id;
  }

  /** Closes a catalog: ends its streams, writers and lookups, forgets its tables, closes its store. Other catalogs' handles stay. */
  async closeCatalog(catalogId: number): Promise<void> {
    const entry = this.#catalogs.get(catalogId);
    if (entry === undefined) return;
    this.#catalogs.delete(catalogId);
    const owned = (id: number) => this.#owners.get(id) === catalogId;
    for (const [id, { abort }] of this.#streams) if (owned(id)) { abort.abort(); this.#streams.delete(id); }
    for (const [id, writer] of this.#writers) if (owned(id)) { this.#writers.delete(id); await writer.close(); }
    for (const id of [...this.#lookups.keys()]) if (owned(id)) await this.lookupClose(id);
    for (const id of [...this.#tables.keys()]) if (owned(id)) this.#tables.delete(id);
    for (const [id, owner] of this.#owners) if (owner === catalogId) this.#owners.delete(id);
    await entry.store.close?.();
  }

  async catalogCall<K extends keyof WorkerCatalogCalls>(catalogId: number, method: K, args: WorkerCatalogCalls[K][0]): Promise<WorkerCatalogCalls[K][1]> {
    const { catalog } = this.#get(this.#catalogs, catalogId, "catalog");
    const allowed: readonly (keyof WorkerCatalogCalls)[] = ["listDatabases", "databaseExists", "createDatabase", "dropDatabase", "listTables", "tableExists", "dropTable"];
    if (!allowed.includes(method)) throw new LakeError("invalid_argument", `worker: catalog method ${JSON.stringify(method)} is not forwarded`);
    const fn = catalog[method] as (...a: unknown[]) => Promise<WorkerCatalogCalls[K][1]>;
    return fn.apply(catalog, args as unknown[]);
  }

  async getTable(catalogId: number, identifier: string): Promise<WorkerTableInfo> {
    return this.#tableInfo(await this.#get(this.#catalogs, catalogId, "catalog").catalog.getTable(identifier), catalogId);
  }

  async createTable(catalogId: number, identifier: string, spec: TableSpec, opts: { ignoreIfExists?: boolean } = {}): Promise<WorkerTableInfo> {
    return this.#tableInfo(await this.#get(this.#catalogs, catalogId, "catalog").catalog.createTable(identifier, spec, opts), catalogId);
  }

  async alterTable(catalogId: number, identifier: string, changes: readonly SchemaChange[]): Promise<WorkerTableInfo> {
    return this.#tableInfo(await this.#get(this.#catalogs, catalogId, "catalog").catalog.alterTable(identifier, changes), catalogId);
  }

  async releaseTable(tableId: number): Promise<void> {
    this.#tables.delete(tableId);
    this.#owners.delete(tableId);
  }

  write(tableId: number, rows: WorkerRows, options: WorkerWriteOptions = {}): Promise<WriteCommitResult> {
    return this.#get(this.#tables, tableId, "table").write(writeInput(rows), options);
  }

  async delete(tableId: number, rows: WorkerRows, options: WorkerWriteOptions = {}): Promise<WriteCommitResult> {
    const writer = this.#get(this.#tables, tableId, "table").newWrite(options);
    try {
      await writer.delete(writeInput(rows));
      return await writer.commit();
    } finally {
      await writer.close();
    }
  }

  deleteWhere(tableId: number, filter: string | null, options: WorkerWriteOptions = {}): Promise<unknown> {
    return this.#get(this.#tables, tableId, "table").deleteWhere(filter, options);
  }

  async newWrite(tableId: number, options: WorkerWriteOptions = {}): Promise<number> {
    const id = this.#childId(tableId);
    this.#writers.set(id, this.#get(this.#tables, tableId, "table").newWrite(options));
    return id;
  }

  writerWrite(writerId: number, rows: WorkerRows): Promise<void> {
    return this.#get(this.#writers, writerId, "writer").write(writeInput(rows));
  }

  writerDelete(writerId: number, rows: WorkerRows): Promise<void> {
    return this.#get(this.#writers, writerId, "writer").delete(writeInput(rows));
  }

  writerCommit(writerId: number, identifier?: bigint): Promise<WriteCommitResult> {
    return this.#get(this.#writers, writerId, "writer").commit(identifier === undefined ? {} : { identifier });
  }

  async writerClose(writerId: number): Promise<void> {
    const writer = this.#writers.get(writerId);
    this.#writers.delete(writerId);
    this.#owners.delete(writerId);
    await writer?.close();
  }

  compact(tableId: number, options: WorkerCompactOptions = {}): Promise<CompactTableResult> {
    return this.#get(this.#tables, tableId, "table").compact(options);
  }

  async read(tableId: number, options: WorkerReadOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    return toIpc(await this.#get(this.#tables, tableId, "table").read(options));
  }

  async rows(tableId: number, options: WorkerReadOptions = {}): Promise<Record<string, Value>[]> {
    const out: Record<string, Value>[] = [];
    for await (const row of this.#get(this.#tables, tableId, "table").rows(options)) out.push(row);
    return out;
  }

  snapshots(tableId: number): Promise<Snapshot[]> {
    return this.#get(this.#tables, tableId, "table").snapshots();
  }

  files(tableId: number, options: { snapshotId?: number | bigint } = {}): Promise<FileInfo[]> {
    return this.#get(this.#tables, tableId, "table").files(options);
  }

  async streamOpen(tableId: number, options: WorkerStreamOptions = {}): Promise<number> {
    const abort = new AbortController();
    const stream = this.#get(this.#tables, tableId, "table").streamRead({ ...options, signal: abort.signal });
    const id = this.#childId(tableId);
    this.#streams.set(id, { stream, abort });
    return id;
  }

  async streamNext(streamId: number): Promise<WorkerStreamItem> {
    const entry = this.#streams.get(streamId);
    if (entry === undefined) return { done: true };
    const item = await entry.stream.next();
    if (item.done === true) {
      this.#streams.delete(streamId);
      return { done: true };
    }
    return { done: false, snapshotId: item.value.snapshotId, ipc: toIpc(item.value.changes) };
  }

  async streamClose(streamId: number): Promise<void> {
    const entry = this.#streams.get(streamId);
    if (entry === undefined) return;
    this.#streams.delete(streamId);
    this.#owners.delete(streamId);
    entry.abort.abort();
    await entry.stream.return?.();
  }

  sql(catalogId: number, text: string): Promise<SqlResult[]> {
    return this.catalogOf(catalogId).sql(text);
  }

  async exportTable(catalogId: number, identifier: string): Promise<Uint8Array<ArrayBuffer>> {
    const zip = ownBuffer(await this.catalogOf(catalogId).exportTable(identifier));
    return transfer(zip, [zip.buffer]);
  }

  async importTable(catalogId: number, identifier: string, zip: Uint8Array | readonly ZipEntry[]): Promise<WorkerTableInfo> {
    return this.#tableInfo(await this.catalogOf(catalogId).importTable(identifier, zip), catalogId);
  }

  manifests(tableId: number, options: { snapshotId?: number | bigint } = {}): Promise<ManifestInfo[]> {
    return this.tableOf(tableId).manifests(options);
  }

  async lookupOpen(tableId: number, options: WorkerLookupOptions = {}): Promise<WorkerLookupInfo> {
    const warnings: string[] = [];
    const { localStore: localUrl, ...rest } = options;
    const localStore = localUrl === undefined ? null : storeFor(localUrl);
    const lookup = await this.tableOf(tableId).newLookup({
      ...rest, ...(localStore === null ? {} : { localStore }), onWarning: (message) => { warnings.push(message); },
    });
    const lookupId = this.#childId(tableId);
    this.#lookups.set(lookupId, { lookup, localStore: localUrl?.startsWith(MEMORY_SCHEME) === false ? localStore : null });
    return { lookupId, keys: lookup.keys, unique: lookup.unique, snapshotId: lookup.snapshotId, warnings };
  }

  async lookupCall<K extends keyof WorkerLookupCalls>(lookupId: number, method: K, args: WorkerLookupCalls[K][0]): Promise<WorkerLookupAnswer<WorkerLookupCalls[K][1]>> {
    const { lookup } = this.#get(this.#lookups, lookupId, "lookup");
    const allowed: readonly (keyof WorkerLookupCalls)[] = ["get", "getMany", "getAll", "getManyAll", "refresh", "stats"];
    if (!allowed.includes(method)) throw new LakeError("invalid_argument", `worker: lookup method ${JSON.stringify(method)} is not forwarded`);
    const fn = lookup[method] as (...a: unknown[]) => WorkerLookupCalls[K][1] | Promise<WorkerLookupCalls[K][1]>;
    const value = await fn.apply(lookup, args as unknown[]);
    return { value, snapshotId: lookup.snapshotId };
  }

  async lookupClose(lookupId: number): Promise<void> {
    const entry = this.#lookups.get(lookupId);
    if (entry === undefined) return;
    this.#lookups.delete(lookupId);
    this.#owners.delete(lookupId);
    await entry.lookup.close();
    await entry.localStore?.close?.();
  }
}

/**
 * Serves `host` (default a new EngineHost; pass an instance of a subclass to serve its extra
 * methods too) on `endpoint` (a Worker's global scope, the default in a worker, or a
 * MessagePort). Returns the host.
 */
export function exposeEngine<H extends EngineHost>(endpoint: Endpoint, host?: H): H {
  installErrorTransfer();
  const served = host ?? (new EngineHost() as H);
  expose(served, endpoint);
  return served;
}
