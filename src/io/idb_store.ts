/**
 * IdbStore: the ObjectStore contract on IndexedDB (browsers, Web Workers; Node and Deno through
 * fake-indexeddb in tests), built on idb-keyval's custom store (`createStore(dbName, storeName)`:
 * one database holding one object store).
 *
 * Record layout inside the one IndexedDB object store (array keys, so one store holds all kinds
 * and each kind is a contiguous key range):
 * - `["o", path]` -> `{ sizeBytes, modifiedMs }`: the object's metadata; its presence IS the
 *   object's existence. `list`, `stat` and `listDirectories` read only these small records.
 * - `["b", path]` -> Uint8Array: the whole file as one value (written in the same transaction as
 *   its metadata, so the two never disagree).
 * - `["d", path]` -> 1: a directory made by `makeDirectory` (and each of its parents).
 *
 * Invariants:
 * - Every operation is ONE IndexedDB transaction (putIfAbsent, the commit point, with strict
 *   durability: flushed before it reports success); writes are readwrite transactions that first
 *   read what they must check (existence, layout rule) and then write, all through request
 *   callbacks (no foreign await inside, so the transaction never auto-commits half way).
 *   IndexedDB serializes readwrite transactions with overlapping scope across tabs and workers,
 *   so putIfAbsent has exactly one winner among all callers of the same database.
 * - Listing by prefix reads the key range `[["o", prefix], ["o", successor(prefix)])`, never
 *   every key; IndexedDB orders strings by UTF-16 unit, so results are re-sorted by comparePaths.
 * - Stored bytes are private: put stores a fresh copy (a structured clone of a view would clone
 *   its whole backing buffer), get returns the freshly deserialized array.
 * - A quota failure (QuotaExceededError) becomes LakeError("io") naming the path, the size and
 *   that the browser's storage quota is exceeded.
 *
 * Imports: idb-keyval, L0 (errors.ts) and io/store.ts. Uses the IDBKeyRange global (present
 * wherever IndexedDB is). Mirrors no Paimon class (Java has no browser FileIO); it plays the
 * part of `FileIO` as io/store.ts describes.
 */
import { createStore, type UseStore } from "idb-keyval";
import { LakeError } from "../errors.ts";
import {
  checkRangeInObject,
  comparePaths,
  quotePath,
  validateBytes,
  validatePath,
  validatePrefix,
  validateRange,
  type ByteRange,
  type ObjectEntry,
  type ObjectStat,
  type ObjectStore,
} from "./store.ts";

/** Object store name used when none is given. */
export const IDB_STORE_NAME_DEFAULT = "objects";

/** Options of an IdbStore. */
export type IdbStoreOptions = {
  /** IndexedDB database name (one warehouse per database). Requires: non-empty. */
  readonly dbName: string;
  /** Object store inside the database (default IDB_STORE_NAME_DEFAULT). */
  readonly storeName?: string;
  /** Test hook: every IDBObjectStore a transaction uses is passed through this first (tests
   * wrap it to count requests or to inject failures such as QuotaExceededError). */
  readonly wrapObjectStore?: (store: IDBObjectStore) => IDBObjectStore;
  /** Clock for `modifiedMs`, integer ms since the epoch; default Date.now. */
  readonly nowMs?: () => number;
};

/** Metadata record of one object. */
type ObjectMeta = { readonly sizeBytes: number; readonly modifiedMs: number };

const META = "o";
const BYTES = "b";
const DIRECTORY = "d";

/** Per-transaction bookkeeping: the outcome, or the error that aborted it. */
type TxState<T> = { result: T | undefined; error: unknown; store: IDBObjectStore };

/** An ObjectStore over one IndexedDB database. See ObjectStore for the contract of each method. */
export class IdbStore implements ObjectStore {
  /** The IndexedDB database name. */
  readonly dbName: string;
  readonly #useStore: UseStore;
  readonly #wrap: (store: IDBObjectStore) => IDBObjectStore;
  readonly #nowMs: () => number;
  #closed = false;

  /** Opens (lazily, on first call) the database `options.dbName`. */
  constructor(options: IdbStoreOptions) {
    if (typeof options?.dbName !== "string" || options.dbName === "") {
      throw new LakeError("invalid_argument", `idb store: dbName must be a non-empty string, got ${JSON.stringify(options?.dbName)}`);
    }
    this.dbName = options.dbName;
    this.#useStore = createStore(options.dbName, options.storeName ?? IDB_STORE_NAME_DEFAULT);
    this.#wrap = options.wrapObjectStore ?? ((store) => store);
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** See ObjectStore.get. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    const bytes = await this.#run<Uint8Array | undefined>("readonly", "get", path, 0, (tx) => {
      request(tx, tx.store.get([BYTES, path]), (value) => { tx.result = value as Uint8Array | undefined; });
    });
    if (bytes === undefined) throw notFound(path);
    return owned(bytes);
  }

  /** See ObjectStore.getRange. The whole value is read (IndexedDB has no partial reads). */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    validateRange(path, range);
    const bytes = await this.get(path);
    checkRangeInObject(path, range, bytes.length);
    return bytes.slice(range.offset, range.offset + range.lengthBytes);
  }

  /** See ObjectStore.put. */
  async put(path: string, bytes: Uint8Array): Promise<void> {
    validatePath(path);
    validateBytes(path, bytes);
    const copy = bytes.slice();
    await this.#run<void>("readwrite", "put", path, copy.length, (tx) => {
      this.#checkLayoutThen(tx, path, () => this.#write(tx.store, path, copy));
    });
  }

  /** See ObjectStore.putIfAbsent: check and write in one readwrite transaction. */
  async putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    validatePath(path);
    validateBytes(path, bytes);
    const copy = bytes.slice();
    return (await this.#run<boolean>("commit", "putIfAbsent", path, copy.length, (tx) => {
      request(tx, tx.store.count([META, path]), (count) => {
        if (count > 0) {
          tx.result = false;
          return;
        }
        this.#checkLayoutThen(tx, path, () => {
          this.#write(tx.store, path, copy);
          tx.result = true;
        });
      });
    }))!;
  }

  /** See ObjectStore.list: one key-range read of the metadata records under `prefix`. */
  async list(prefix: string): Promise<ObjectEntry[]> {
    validatePrefix(prefix);
    const entries = await this.#run<ObjectEntry[]>("readonly", "list", prefix, 0, (tx) => {
      const range = prefixRange(META, prefix);
      request(tx, tx.store.getAllKeys(range), (keys) => {
        request(tx, tx.store.getAll(range), (values) => {
          tx.result = keys.map((key, i) => ({ path: (key as [string, string])[1], sizeBytes: (values[i] as ObjectMeta).sizeBytes }));
        });
      });
    });
    return entries!.sort((a, b) => comparePaths(a.path, b.path));
  }

  /** See ObjectStore.delete. */
  async delete(path: string): Promise<void> {
    validatePath(path);
    await this.#run<void>("readwrite", "delete", path, 0, (tx) => {
      tx.store.delete([META, path]);
      tx.store.delete([BYTES, path]);
    });
  }

  /** See ObjectStore.stat. */
  async stat(path: string): Promise<ObjectStat | null> {
    validatePath(path);
    const meta = await this.#run<ObjectMeta | undefined>("readonly", "stat", path, 0, (tx) => {
      request(tx, tx.store.get([META, path]), (value) => { tx.result = value as ObjectMeta | undefined; });
    });
    return meta === undefined ? null : { sizeBytes: meta.sizeBytes, modifiedMs: meta.modifiedMs };
  }

  /** See ObjectStore.makeDirectory: marker records for the directory and its parents. */
  async makeDirectory(path: string): Promise<void> {
    validatePath(path);
    const chain = [...parentDirectories(path), path];
    await this.#run<void>("readwrite", "makeDirectory", path, 0, (tx) => {
      let pending = chain.length;
      const objects: string[] = [];
      for (const directory of chain) {
        request(tx, tx.store.count([META, directory]), (count) => {
          if (count > 0) objects.push(directory);
          if (--pending > 0) return;
          if (objects.length > 0) {
            fail(tx, new LakeError("invalid_argument", `idb store: cannot create directory ${quotePath(path)}: ${quotePath(objects[0]!)} is an object`));
            return;
          }
          for (const d of chain) tx.store.put(1, [DIRECTORY, d]);
        });
      }
    });
  }

  /**
   * See ObjectStore.listDirectories: made directories under `path`, plus the first segment of
   * every object below, found with a key cursor that skips each subtree once it is seen.
   */
  async listDirectories(path: string): Promise<string[]> {
    if (path !== "") validatePath(path);
    const prefix = path === "" ? "" : `${path}/`;
    const names = await this.#run<Set<string>>("readonly", "listDirectories", path, 0, (tx) => {
      const found = new Set<string>();
      request(tx, tx.store.getAllKeys(prefixRange(DIRECTORY, prefix)), (keys) => {
        for (const key of keys) {
          const rest = (key as [string, string])[1].slice(prefix.length);
          if (!rest.includes("/")) found.add(rest);
        }
        const cursorRequest = tx.store.openKeyCursor(prefixRange(META, prefix));
        request(tx, cursorRequest, (cursor) => {
          if (cursor === null) {
            tx.result = found;
            return;
          }
          const rest = (cursor.key as [string, string])[1].slice(prefix.length);
          const slash = rest.indexOf("/");
          if (slash < 0) {
            cursor.continue();
            return;
          }
          const name = rest.slice(0, slash);
          found.add(name);
          cursor.continue([META, `${prefix}${name}0`]); // "0" follows "/": skips the subtree
        });
      });
    });
    return [...names!].sort(comparePaths);
  }

  /** See ObjectStore.deleteDirectory: one transaction deletes the key ranges below `path`. */
  async deleteDirectory(path: string): Promise<void> {
    validatePath(path);
    const prefix = `${path}/`;
    await this.#run<void>("readwrite", "deleteDirectory", path, 0, (tx) => {
      tx.store.delete(prefixRange(META, prefix));
      tx.store.delete(prefixRange(BYTES, prefix));
      tx.store.delete(prefixRange(DIRECTORY, prefix));
      tx.store.delete([DIRECTORY, path]);
    });
  }

  /** Closes the database connection (so it can be deleted); no call may follow. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const db = await this.#useStore("readonly", (store) => store.transaction.db);
    db.close();
  }

  /** Writes metadata and bytes of `path` (inside the caller's readwrite transaction). */
  #write(store: IDBObjectStore, path: string, bytes: Uint8Array<ArrayBuffer>): void {
    store.put({ sizeBytes: bytes.length, modifiedMs: this.#nowMs() } satisfies ObjectMeta, [META, path]);
    store.put(bytes, [BYTES, path]);
  }

  /**
   * Checks the layout rule for a write at `path` (no parent is an object; `path` is no
   * directory: nothing below it, no made directory there), then runs `write`; fails the
   * transaction with LakeError("invalid_argument") otherwise.
   */
  #checkLayoutThen(tx: TxState<unknown>, path: string, write: () => void): void {
    const parents = parentDirectories(path);
    const problems: string[] = [];
    let pending = parents.length + 2;
    const done = () => {
      if (--pending > 0) return;
      if (problems.length > 0) fail(tx, new LakeError("invalid_argument", `idb store: cannot write ${quotePath(path)}: ${problems[0]}`));
      else write();
    };
    for (const parent of parents) {
      request(tx, tx.store.count([META, parent]), (count) => {
        if (count > 0) problems.push(`its parent ${quotePath(parent)} is an object`);
        done();
      });
    }
    request(tx, tx.store.count(prefixRange(META, `${path}/`)), (count) => {
      if (count > 0) problems.push("it is a directory of other objects");
      done();
    });
    request(tx, tx.store.count([DIRECTORY, path]), (count) => {
      if (count > 0) problems.push("it is a directory");
      done();
    });
  }

  /**
   * Runs one transaction: `body` issues requests on `tx.store` and sets `tx.result`; resolves
   * with it once the transaction commits, rejects with the error that aborted it (mapped to a
   * LakeError naming `operation`, `path` and `sizeBytes`).
   */
  #run<T>(mode: IDBTransactionMode | "commit", operation: string, path: string, sizeBytes: number, body: (tx: TxState<T>) => void): Promise<T | undefined> {
    if (this.#closed) return Promise.reject(new LakeError("invalid_argument", `idb store: ${operation} ${quotePath(path)} after close()`));
    return this.#useStore(mode === "commit" ? "readonly" : mode, (opened) => new Promise<T | undefined>((resolve, reject) => {
      // A commit (putIfAbsent) runs in its own readwrite transaction with strict durability
      // (flushed to disk before it completes); idb-keyval's transaction is left empty.
      const raw = mode === "commit" ? opened.transaction.db.transaction(opened.name, "readwrite", { durability: "strict" }).objectStore(opened.name) : opened;
      const store = this.#wrap(raw);
      const tx: TxState<T> = { result: undefined, error: undefined, store };
      const transaction = store.transaction;
      transaction.oncomplete = () => resolve(tx.result);
      transaction.onabort = () => reject(mapError(tx.error ?? transaction.error, operation, path, sizeBytes));
      try {
        body(tx);
      } catch (error) {
        fail(tx, error);
      }
    })).catch((error: unknown) => {
      throw mapError(error, operation, path, sizeBytes);
    });
  }
}

/** Issues `req`'s success handler `onOk` (errors thrown by it abort the transaction). */
function request<R>(tx: TxState<unknown>, req: IDBRequest<R>, onOk: (result: R) => void): void {
  req.onsuccess = () => {
    if (tx.error !== undefined) return;
    try {
      onOk(req.result);
    } catch (error) {
      fail(tx, error);
    }
  };
}

/** Records `error` as the transaction's outcome and aborts it (nothing it wrote persists). */
function fail(tx: TxState<unknown>, error: unknown): void {
  if (tx.error !== undefined) return;
  tx.error = error;
  try {
    tx.store.transaction.abort();
  } catch {
    // Already finished or aborting: onabort reports tx.error.
  }
}

/** The key range of every `[kind, p]` with `p` starting with `prefix`. */
function prefixRange(kind: string, prefix: string): IDBKeyRange {
  const upper = successor(prefix);
  // Array keys sort after every string, so [kind, []] bounds all [kind, string] keys.
  return IDBKeyRange.bound([kind, prefix], upper === null ? [kind, []] : [kind, upper], false, true);
}

/** The least string greater than every string starting with `prefix` (UTF-16 order), or null. */
function successor(prefix: string): string | null {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end--;
  if (end === 0) return null;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}

/** The directory-like prefixes of `path` without trailing '/': "a/b/c" -> ["a", "a/b"]. */
function parentDirectories(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  return out;
}

function notFound(path: string): LakeError {
  return new LakeError("not_found", `idb store: no object at ${quotePath(path)}`);
}

/** `bytes` as an array over its own whole ArrayBuffer (what IndexedDB returns), else a copy. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!(bytes instanceof Uint8Array)) throw new LakeError("corruption", "idb store: a stored value is not a Uint8Array");
  const backing = bytes.buffer;
  if (backing instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === backing.byteLength) return bytes as Uint8Array<ArrayBuffer>;
  return new Uint8Array(bytes);
}

/** Maps an IndexedDB failure to a LakeError; LakeErrors pass through. */
function mapError(error: unknown, operation: string, path: string, sizeBytes: number): LakeError {
  if (error instanceof LakeError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "QuotaExceededError") {
    return new LakeError("io", `idb store: ${operation} ${quotePath(path)} of ${sizeBytes} bytes failed: the browser's storage quota for this origin is exceeded (QuotaExceededError); free space or request persistent storage`, { cause: error });
  }
  const message = (error as { message?: unknown } | null)?.message ?? String(error);
  return new LakeError("io", `idb store: ${operation} ${quotePath(path)} failed: ${String(name ?? "Error")}: ${String(message)}`, { cause: error });
}
