/**
 * A view of an ObjectStore under a path prefix, so a table (or database) sees paths relative to
 * its own directory ("snapshot/snapshot-3") whatever the warehouse layout above it.
 *
 * Invariants: every call maps `path` to `prefix + "/" + path` and back; `list` results are
 * relative to the prefix; the view adds no buffering or caching, so it keeps every guarantee of
 * the store it wraps (atomic put, putIfAbsent, ordering). Errors come from the wrapped store and
 * name full paths (prefix included); a bad path rejects (never throws synchronously). Directory
 * calls go to the wrapped store through store.ts `makeDirectory` / `listDirectories` /
 * `deleteDirectory` (so a view of a store without directories emulates what those emulate).
 * Imports: io/store.ts.
 * Mirrors: Java Paimon tables addressed by a root `Path` inside one `FileIO`.
 */
import {
  deleteDirectory, listDirectories, makeDirectory, type ByteRange, type ObjectEntry, type ObjectStat, type ObjectStore, validatePath,
} from "./store.ts";

/** Returns a store whose paths are relative to `prefix` inside `store` (prefix "" returns `store`). */
export function prefixedStore(store: ObjectStore, prefix: string): ObjectStore {
  if (prefix === "") return store;
  validatePath(prefix);
  return new PrefixedStore(store, prefix);
}

class PrefixedStore implements ObjectStore {
  readonly #inner: ObjectStore;
  readonly #prefix: string;

  constructor(inner: ObjectStore, prefix: string) {
    this.#inner = inner;
    this.#prefix = prefix + "/";
  }

  #full(path: string): string {
    validatePath(path);
    return this.#prefix + path;
  }

  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    return this.#inner.get(this.#full(path));
  }

  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    return this.#inner.getRange(this.#full(path), range);
  }

  async put(path: string, bytes: Uint8Array): Promise<void> {
    return this.#inner.put(this.#full(path), bytes);
  }

  async putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    return this.#inner.putIfAbsent(this.#full(path), bytes);
  }

  async list(prefix: string): Promise<ObjectEntry[]> {
    const entries = await this.#inner.list(this.#prefix + prefix);
    return entries.map((e) => ({ path: e.path.slice(this.#prefix.length), sizeBytes: e.sizeBytes }));
  }

  async delete(path: string): Promise<void> {
    return this.#inner.delete(this.#full(path));
  }

  async stat(path: string): Promise<ObjectStat | null> {
    return this.#inner.stat(this.#full(path));
  }

  async makeDirectory(path: string): Promise<void> {
    return makeDirectory(this.#inner, this.#full(path));
  }

  async listDirectories(path: string): Promise<string[]> {
    return listDirectories(this.#inner, path === "" ? this.#prefix.slice(0, -1) : this.#full(path));
  }

  async deleteDirectory(path: string): Promise<void> {
    return deleteDirectory(this.#inner, this.#full(path));
  }
}
