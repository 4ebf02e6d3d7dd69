/**
 * The page side of the Web Worker engine: `openWorkerCatalog(worker, options)` returns a
 * WorkerCatalog whose tables (WorkerTable) have the Catalog/Table API shape — the same method
 * names and options, every method async — while the engine (IndexedDB I/O, Parquet, merging)
 * runs in the worker (engine_worker.ts) over comlink.
 *
 * What differs from an in-thread Table, by necessity: Arrow tables cross as IPC bytes (decoded
 * here with apache-arrow: `read()` and `streamRead()` yield ordinary Arrow tables); rows cross as
 * structured clones (bigint, Uint8Array, Map and Date survive; class instances do not, and
 * lakestate's values are plain objects); a stream's AbortSignal stays on the page and closes the
 * worker's stream; errors arrive as LakeError with their `code` (error_transfer.ts); a lookup's
 * `stats()` is async and `localStore` is a warehouse URL the worker opens; `catalog.sql` results
 * are plain data (rows of lakestate values), as in-thread.
 *
 * Invariants: one handle id per opened table/writer/stream/lookup on the worker; catalogs opened
 * on the same endpoint share one comlink proxy, released when the last of them closes
 * (releasing makes the worker stop serving the endpoint); `close()` leaves the Worker running
 * (the caller owns it; call `worker.terminate()`).
 * Imports: comlink, apache-arrow, api/write_input.ts (isArrowTable), worker/protocol.ts,
 * worker/error_transfer.ts. Mirrors no Java class.
 */
import { releaseProxy, transfer, wrap, type Endpoint, type Remote } from "comlink";
import { tableFromIPC, tableToIPC, type Table as ArrowTable } from "apache-arrow";
import type { WriteInput } from "../api/table_write.ts";
import { isArrowTable } from "../api/write_input.ts";
import type { StreamReadOptions } from "../stream/stream_options.ts";
import { installErrorTransfer } from "./error_transfer.ts";
import type {
  CompactTableResult, EngineApi, FileInfo, LookupKey, LookupRow, LookupStats, ManifestInfo, SchemaChange, Snapshot, SqlResult, TableSchema,
  TableSpec, Value, WorkerCompactOptions, WorkerCatalogCalls, WorkerLookupCalls, WorkerLookupInfo, WorkerLookupOptions, WorkerReadOptions,
  WorkerRows, WorkerTableInfo, WorkerWriteOptions, WriteCommitResult, WorkerS3Options, ZipEntry,
} from "./protocol.ts";

/** Options of `openWorkerCatalog`. */
export interface OpenWorkerCatalogOptions {
  /**
   * "idb://<database>" (IndexedDB, visible to every worker and page of the origin),
   * "memory://<name>" (the worker's memory) or "s3://bucket/prefix" (with `s3`).
   */
  readonly warehouse: string;
  /** Endpoint, region and credentials of an `s3://` warehouse (no `fetch`: the worker uses its own). */
  readonly s3?: WorkerS3Options;
  /** parquet-wasm's `parquet_wasm_bg.wasm` for the worker: a URL (relative ones resolve against the page) or the bytes. */
  readonly parquetWasm?: string | URL | Uint8Array<ArrayBuffer>;
  /** The zstd codec's wasm for the worker (optional), as `parquetWasm`. */
  readonly zstdWasm?: string | URL | Uint8Array<ArrayBuffer>;
}

/** Rows for the worker: plain objects as they are, an Arrow table as transferred IPC bytes. */
function toWorkerRows(rows: WriteInput): WorkerRows {
  if (isArrowTable(rows)) {
    const ipc = tableToIPC(rows as ArrowTable, "stream");
    const own = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc as Uint8Array<ArrayBuffer> : new Uint8Array(ipc);
    return transfer({ kind: "ipc", ipc: own }, [own.buffer]);
  }
  return { kind: "objects", rows: Array.from(rows as Iterable<Readonly<Record<string, unknown>>>) };
}

/** A wasm source for the worker: URLs made absolute against the page (the worker's base differs). */
function absoluteSource(source: string | URL | Uint8Array<ArrayBuffer> | undefined): string | Uint8Array<ArrayBuffer> | undefined {
  if (source === undefined || source instanceof Uint8Array) return source;
  const base = (globalThis as { location?: { href: string } }).location?.href;
  return base === undefined ? String(source) : new URL(source, base).href;
}

/** One comlink proxy per endpoint, shared by the catalogs opened on it (counted). */
const proxies = new WeakMap<Endpoint, { api: Remote<EngineApi>; catalogs: number }>();

/**
 * Connects to the engine worker on `endpoint` (a Worker running engine_worker.ts, or a
 * MessagePort served by `exposeEngine`) and opens the catalog `options.warehouse` there.
 */
export async function openWorkerCatalog<A extends EngineApi = EngineApi>(endpoint: Endpoint, options: OpenWorkerCatalogOptions): Promise<WorkerCatalog<A>> {
  installErrorTransfer();
  let shared = proxies.get(endpoint);
  if (shared === undefined) proxies.set(endpoint, shared = { api: wrap<EngineApi>(endpoint), catalogs: 0 });
  const api = shared.api as unknown as Remote<A>;
  const parquetWasm = absoluteSource(options.parquetWasm), zstdWasm = absoluteSource(options.zstdWasm);
  const id = await api.openCatalog({
    warehouse: options.warehouse,
    ...(options.s3 === undefined ? {} : { s3: options.s3 }),
    ...(parquetWasm === undefined ? {} : { parquetWasm }),
    ...(zstdWasm === undefined ? {} : { zstdWasm }),
  });
  shared.catalogs++;
  return new WorkerCatalog<A>(api, id, () => {
    if (--shared.catalogs > 0) return;
    proxies.delete(endpoint);
    shared.api[releaseProxy]();
  });
}

/**
 * A catalog in the engine worker (the Catalog API, async). `A` is the API the worker serves:
 * EngineApi, or a subclass host's (see engine_host.ts), reachable through `remote` with
 * `catalogId` and `WorkerTable.tableId`.
 */
export class WorkerCatalog<A extends EngineApi = EngineApi> {
  readonly #api: Remote<A>;
  readonly #id: number;
  readonly #release: () => void;
  #closed = false;

  /** Use `openWorkerCatalog`. `release` is called once, by `close()` (default: release the proxy). */
  constructor(api: Remote<A>, catalogId: number, release?: () => void) {
    this.#api = api;
    this.#id = catalogId;
    this.#release = release ?? (() => api[releaseProxy]());
  }

  /** The comlink proxy of the worker's host (for a subclass host's own methods). */
  get remote(): Remote<A> { return this.#api; }
  /** This catalog's id in the worker (the argument of the host's catalog methods and `catalogOf`). */
  get catalogId(): number { return this.#id; }

  /** Runs Flink SQL statements in the worker (Catalog.sql); results are plain data, rows of lakestate values. */
  sql(text: string): Promise<SqlResult[]> {
    return this.#api.sql(this.#id, text) as Promise<SqlResult[]>;
  }

  /** The table's files as a ZIP archive (Catalog.exportTable). */
  exportTable(identifier: string): Promise<Uint8Array<ArrayBuffer>> {
    return this.#api.exportTable(this.#id, identifier) as Promise<Uint8Array<ArrayBuffer>>;
  }

  /** Imports a table from a ZIP archive or unpacked entries (Catalog.importTable) and opens it. */
  async importTable(identifier: string, zip: Uint8Array | readonly ZipEntry[]): Promise<WorkerTable> {
    return new WorkerTable(this.#api, await (this.#api.importTable(this.#id, identifier, zip) as Promise<WorkerTableInfo>));
  }

  /** One forwarded catalog call (comlink's Remote type loses the method's generic result). */
  #call<K extends keyof WorkerCatalogCalls>(method: K, args: WorkerCatalogCalls[K][0]): Promise<WorkerCatalogCalls[K][1]> {
    return (this.#api as unknown as Remote<EngineApi>).catalogCall(this.#id, method, args) as Promise<WorkerCatalogCalls[K][1]>;
  }

  /** Database names, sorted. */
  listDatabases(): Promise<string[]> { return this.#call("listDatabases", []); }
  /** True when the database exists. */
  databaseExists(name: string): Promise<boolean> { return this.#call("databaseExists", [name]); }
  /** Creates a database (see Catalog.createDatabase). */
  createDatabase(name: string, opts: { ignoreIfExists?: boolean } = {}): Promise<void> { return this.#call("createDatabase", [name, opts]); }
  /** Drops a database (see Catalog.dropDatabase). */
  dropDatabase(name: string, opts: { ignoreIfNotExists?: boolean; cascade?: boolean } = {}): Promise<void> { return this.#call("dropDatabase", [name, opts]); }
  /** Table names of a database, sorted. */
  listTables(database: string): Promise<string[]> { return this.#call("listTables", [database]); }
  /** True when the table "db.table" exists. */
  tableExists(identifier: string): Promise<boolean> { return this.#call("tableExists", [identifier]); }
  /** Drops a table (see Catalog.dropTable). */
  dropTable(identifier: string, opts: { ignoreIfNotExists?: boolean } = {}): Promise<void> { return this.#call("dropTable", [identifier, opts]); }

  /** Opens the table "db.table". */
  async getTable(identifier: string): Promise<WorkerTable> {
    return new WorkerTable(this.#api, await this.#api.getTable(this.#id, identifier));
  }

  /** Creates a table (see Catalog.createTable) and opens it. */
  async createTable(identifier: string, spec: TableSpec, opts: { ignoreIfExists?: boolean } = {}): Promise<WorkerTable> {
    return new WorkerTable(this.#api, await this.#api.createTable(this.#id, identifier, spec, opts));
  }

  /** Alters a table (see Catalog.alterTable) and opens it with its new schema. */
  async alterTable(identifier: string, changes: readonly SchemaChange[]): Promise<WorkerTable> {
    return new WorkerTable(this.#api, await this.#api.alterTable(this.#id, identifier, changes));
  }

  /** Closes the catalog in the worker and releases the connection (the Worker keeps running). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#api.closeCatalog(this.#id);
    } finally {
      this.#release();
    }
  }
}

/** One snapshot's changes from `WorkerTable.streamRead` (as Table.streamRead yields). */
export interface WorkerSnapshotChanges {
  readonly snapshotId: bigint;
  /** `_ROW_KIND` then the read columns. */
  readonly changes: ArrowTable;
}

/** A table in the engine worker (the Table API, async). */
export class WorkerTable {
  /** Display name (`db.table`). */
  readonly name: string;
  /** The latest schema when the handle was opened. */
  readonly schema: TableSchema;
  readonly #api: Remote<EngineApi>;
  readonly #id: number;

  /** Use WorkerCatalog.getTable / createTable. */
  constructor(api: Remote<EngineApi> | Remote<EngineApi & object>, info: WorkerTableInfo) {
    this.#api = api as Remote<EngineApi>;
    this.#id = info.tableId;
    this.name = info.name;
    this.schema = info.schema;
  }

  /** The table options. */
  get options(): Readonly<Record<string, string>> { return this.schema.options; }

  /** Writes `rows` (plain objects or an Arrow table) and commits them once (Table.write). */
  write(rows: WriteInput, options: WorkerWriteOptions = {}): Promise<WriteCommitResult> {
    return this.#api.write(this.#id, toWorkerRows(rows), options);
  }

  /** A writer for several writes and commits (Table.newWrite). */
  async newWrite(options: WorkerWriteOptions = {}): Promise<WorkerTableWrite> {
    return new WorkerTableWrite(this.#api, await this.#api.newWrite(this.#id, options));
  }

  /** Deletes the rows matching a SQL-like filter (null: all) (Table.deleteWhere). */
  deleteWhere(filter: string | null, options: WorkerWriteOptions = {}): Promise<unknown> {
    return this.#api.deleteWhere(this.#id, filter, options);
  }

  /** Compacts now (Table.compact). */
  compact(options: WorkerCompactOptions = {}): Promise<CompactTableResult> {
    return this.#api.compact(this.#id, options);
  }

  /** Reads the table as an Arrow table (Table.read). */
  async read(options: WorkerReadOptions = {}): Promise<ArrowTable> {
    return tableFromIPC(await this.#api.read(this.#id, options));
  }

  /** Reads the table as plain objects, one per row (Table.rows); read whole in the worker, then yielded. */
  async *rows(options: WorkerReadOptions = {}): AsyncGenerator<Record<string, Value>> {
    yield* await this.#api.rows(this.#id, options);
  }

  /** `$snapshots` (Table.snapshots). */
  snapshots(): Promise<Snapshot[]> { return this.#api.snapshots(this.#id); }

  /** `$files` (Table.files). */
  files(options: { snapshotId?: number | bigint } = {}): Promise<FileInfo[]> { return this.#api.files(this.#id, options); }

  /** `$manifests` (Table.manifests). */
  manifests(options: { snapshotId?: number | bigint } = {}): Promise<ManifestInfo[]> { return this.#api.manifests(this.#id, options); }

  /**
   * A lookup over this table in the worker (Table.newLookup). As NewLookupOptions, except that
   * `localStore` is a warehouse URL the worker opens ("idb://<database>" or "memory://<name>")
   * and `onWarning` (default console.warn) receives the warnings the worker collected.
   */
  async newLookup(options: WorkerLookupOptions & { onWarning?: (message: string) => void } = {}): Promise<WorkerLookup> {
    const { onWarning, ...crossing } = options;
    const info = await this.#api.lookupOpen(this.#id, crossing);
    const warn = onWarning ?? ((message: string) => console.warn(message));
    for (const w of info.warnings) warn(w);
    return new WorkerLookup(this.#api, info);
  }

  /** This table handle's id in the worker (for a subclass host's own methods, see `tableOf`). */
  get tableId(): number { return this.#id; }

  /**
   * A streaming read (Table.streamRead): each `next()` pulls one snapshot's changes from the
   * worker. `signal` (or `return()`) closes the worker's stream; a pending `next()` then ends.
   */
  streamRead(options: StreamReadOptions = {}): AsyncIterableIterator<WorkerSnapshotChanges> {
    const { signal, ...crossing } = options;
    const api = this.#api, tableId = this.#id;
    let streamId: Promise<number> | null = null;
    let finished = false;
    const close = async (): Promise<void> => {
      if (finished) return;
      finished = true;
      if (streamId !== null) await api.streamClose(await streamId);
    };
    // An abort after the catalog closed (its streams closed with it) or the worker ended has nothing
    // left to close, and nobody to tell: the listener's promise must not reject unhandled.
    signal?.addEventListener("abort", () => { close().catch(() => undefined); }, { once: true });
    const done = { done: true as const, value: undefined };
    const iterator: AsyncIterableIterator<WorkerSnapshotChanges> = {
      async next(): Promise<IteratorResult<WorkerSnapshotChanges>> {
        if (finished || signal?.aborted === true) {
          await close();
          return done;
        }
        streamId ??= api.streamOpen(tableId, crossing);
        const item = await api.streamNext(await streamId);
        if (item.done) {
          finished = true;
          return done;
        }
        return { done: false, value: { snapshotId: item.snapshotId, changes: tableFromIPC(item.ipc) } };
      },
      async return(): Promise<IteratorResult<WorkerSnapshotChanges>> {
        await close();
        return done;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Forgets this handle in the worker. */
  release(): Promise<void> { return this.#api.releaseTable(this.#id); }
}

/** A writer in the engine worker (TableWrite, async). */
export class WorkerTableWrite {
  readonly #api: Remote<EngineApi>;
  readonly #id: number;

  /** Use WorkerTable.newWrite. */
  constructor(api: Remote<EngineApi>, writerId: number) {
    this.#api = api;
    this.#id = writerId;
  }

  /** Writes rows (TableWrite.write). */
  write(rows: WriteInput): Promise<void> { return this.#api.writerWrite(this.#id, toWorkerRows(rows)); }
  /** Writes -D records (TableWrite.delete). */
  delete(rows: WriteInput): Promise<void> { return this.#api.writerDelete(this.#id, toWorkerRows(rows)); }
  /** Commits (TableWrite.commit). */
  commit(options: { identifier?: bigint } = {}): Promise<WriteCommitResult> { return this.#api.writerCommit(this.#id, options.identifier); }
  /** Closes the writer (TableWrite.close). */
  close(): Promise<void> { return this.#api.writerClose(this.#id); }
}

/**
 * A lookup in the engine worker (TableLookup, every method async): `snapshotId` is the
 * snapshot of the last answer (refreshes happen in the worker as TableLookup does them).
 */
export class WorkerLookup {
  /** The lookup columns, in key order. */
  readonly keys: readonly string[];
  /** True when the keys are the primary key (get/getMany allowed). */
  readonly unique: boolean;
  #snapshotId: bigint | null;
  readonly #api: Remote<EngineApi>;
  readonly #id: number;

  /** Use WorkerTable.newLookup. */
  constructor(api: Remote<EngineApi>, info: WorkerLookupInfo) {
    this.#api = api;
    this.#id = info.lookupId;
    this.keys = info.keys;
    this.unique = info.unique;
    this.#snapshotId = info.snapshotId;
  }

  /** The snapshot the last answer reflected. */
  get snapshotId(): bigint | null { return this.#snapshotId; }

  async #call<K extends keyof WorkerLookupCalls>(method: K, args: WorkerLookupCalls[K][0]): Promise<WorkerLookupCalls[K][1]> {
    const answer = await this.#api.lookupCall(this.#id, method, args);
    this.#snapshotId = answer.snapshotId;
    return answer.value as WorkerLookupCalls[K][1];
  }

  /** The row with this unique key, or null (TableLookup.get). */
  get(key: LookupKey): Promise<LookupRow | null> { return this.#call("get", [key]); }
  /** One answer per key, in order (TableLookup.getMany). */
  getMany(keys: readonly LookupKey[]): Promise<(LookupRow | null)[]> { return this.#call("getMany", [keys]); }
  /** Every row matching the key (TableLookup.getAll). */
  getAll(key: LookupKey): Promise<LookupRow[]> { return this.#call("getAll", [key]); }
  /** Every matching row per key (TableLookup.getManyAll). */
  getManyAll(keys: readonly LookupKey[]): Promise<LookupRow[][]> { return this.#call("getManyAll", [keys]); }
  /** Catches up with the table now (TableLookup.refresh). */
  refresh(): Promise<{ snapshotId: bigint | null; mode: "none" | "incremental" | "full" }> { return this.#call("refresh", []); }
  /** Counters (TableLookup.stats); async here. */
  stats(): Promise<LookupStats> { return this.#call("stats", []); }
  /** Drops the worker's in-memory indexes (TableLookup.close). */
  close(): Promise<void> { return this.#api.lookupClose(this.#id); }
}
