/**
 * The worker side of the Web Worker engine: `EngineHost` implements the EngineApi of
 * protocol.ts over real catalogs and tables living in the worker, and `exposeEngine(endpoint)`
 * serves it with comlink on a Worker's global scope or any MessagePort.
 *
 * Invariants: handles (catalogs, tables, writers, streams) are small integer ids owned by this
 * host; a released or unknown id is LakeError("invalid_argument"). Arrow results leave as IPC
 * stream bytes with their buffer transferred. Streams are pulled one item per `streamNext`,
 * and `streamClose` aborts a pending pull (it resolves `{ done: true }`).
 *
 * Imports: comlink, apache-arrow, browser.ts (storeOf, useParquetWasm), api, io/memory_store.ts,
 * worker/protocol.ts, worker/error_transfer.ts. Mirrors no Java class.
 */
import { expose, transfer, type Endpoint } from "comlink";
import { tableFromIPC, tableToIPC, type Table as ArrowTable } from "apache-arrow";
import type { Catalog } from "../api/catalog.ts";
import type { Table } from "../api/table.ts";
import type { TableWrite, WriteInput } from "../api/table_write.ts";
import type { ChangeStream, SnapshotChanges } from "../api/table_stream.ts";
import { storeOf, useParquetWasm, useZstdWasm } from "../browser.ts";
import { Catalog as CatalogClass } from "../api/catalog.ts";
import { LakeError } from "../errors.ts";
import { MemoryStore } from "../io/memory_store.ts";
import type { ObjectStore } from "../io/store.ts";
import { installErrorTransfer } from "./error_transfer.ts";
import type {
  CompactTableResult, EngineApi, FileInfo, SchemaChange, Snapshot, TableSpec, Value, WorkerCatalogCalls, WorkerCatalogRequest,
  WorkerCompactOptions, WorkerReadOptions, WorkerRows, WorkerStreamItem, WorkerStreamOptions, WorkerTableInfo, WorkerWriteOptions,
  WriteCommitResult,
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

  #get<T>(map: Map<number, T>, id: number, what: string): T {
    const value = map.get(id);
    if (value === undefined) throw new LakeError("invalid_argument", `worker: no open ${what} with id ${id} (closed or released)`);
    return value;
  }

  #tableInfo(table: Table): WorkerTableInfo {
    const tableId = this.#nextId++;
    this.#tables.set(tableId, table);
    return { tableId, name: table.name, schema: table.schema };
  }

  async openCatalog(request: WorkerCatalogRequest): Promise<number> {
    if (request.parquetWasm !== undefined) useParquetWasm(request.parquetWasm);
    if (request.zstdWasm !== undefined) useZstdWasm(request.zstdWasm);
    let store: ObjectStore;
    if (request.warehouse.startsWith(MEMORY_SCHEME)) {
      const name = request.warehouse.slice(MEMORY_SCHEME.length);
      store = memoryStores.get(name) ?? new MemoryStore();
      memoryStores.set(name, store as MemoryStore);
    } else {
      store = storeOf(request.warehouse);
    }
    const id = this.#nextId++;
    this.#catalogs.set(id, { catalog: new CatalogClass(store), store });
    return id;
  }

  /** Closes a catalog's store; also ends every stream and writer of this host (one page usually drives one catalog per worker). */
  async closeCatalog(catalogId: number): Promise<void> {
    const entry = this.#catalogs.get(catalogId);
    if (entry === undefined) return;
    this.#catalogs.delete(catalogId);
    for (const [id, { abort }] of this.#streams) { abort.abort(); this.#streams.delete(id); }
    for (const [id, writer] of this.#writers) { await writer.close(); this.#writers.delete(id); }
    this.#tables.clear();
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
    return this.#tableInfo(await this.#get(this.#catalogs, catalogId, "catalog").catalog.getTable(identifier));
  }

  async createTable(catalogId: number, identifier: string, spec: TableSpec, opts: { ignoreIfExists?: boolean } = {}): Promise<WorkerTableInfo> {
    return this.#tableInfo(await this.#get(this.#catalogs, catalogId, "catalog").catalog.createTable(identifier, spec, opts));
  }

  async alterTable(catalogId: number, identifier: string, changes: readonly SchemaChange[]): Promise<WorkerTableInfo> {
    return this.#tableInfo(await this.#get(this.#catalogs, catalogId, "catalog").catalog.alterTable(identifier, changes));
  }

  async releaseTable(tableId: number): Promise<void> {
    this.#tables.delete(tableId);
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
    const id = this.#nextId++;
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
    const id = this.#nextId++;
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
    entry.abort.abort();
    await entry.stream.return?.();
  }
}

/**
 * Serves a new EngineHost on `endpoint` (a Worker's global scope — the default in a worker —
 * or a MessagePort). Returns the host.
 */
export function exposeEngine(endpoint: Endpoint): EngineHost {
  installErrorTransfer();
  const host = new EngineHost();
  expose(host, endpoint);
  return host;
}
