/**
 * MemoryStore: the reference ObjectStore, kept in a Map. Every unit test above io runs on it,
 * and the contract suite holds the other adapters to its behaviour.
 *
 * Invariants:
 * - Stored bytes are private: put copies the caller's bytes in, get/getRange copy them out, so
 *   no caller can change a stored object except through put.
 * - Each method does its whole check-and-update synchronously before its promise settles, so
 *   every operation is atomic and putIfAbsent has exactly one winner.
 * - The layout rule of store.ts holds: `#directoryObjectCounts` counts, for every directory-like
 *   prefix "a", "a/b", the objects below it, so file/directory collisions are rejected the way a
 *   filesystem would reject them.
 * - Directories: a directory exists while it holds an object or was made by `makeDirectory`
 *   (kept in `#madeDirectories`, with its parents, until `deleteDirectory` removes it). Unlike a
 *   filesystem, a directory that only held objects disappears with its last object.
 *
 * Imports: L0 and io/store.ts only. Mirrors leveldb `helpers/memenv` (an in-memory Env used by
 * tests), not a Paimon class.
 */
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

/** Options of a MemoryStore. */
export type MemoryStoreOptions = {
  /** Clock for `modifiedMs`, in integer ms since the epoch; defaults to Date.now. Simulations
   * pass a deterministic clock. */
  readonly nowMs?: () => number;
};

type StoredObject = { readonly bytes: Uint8Array<ArrayBuffer>; readonly modifiedMs: number };

/** The in-memory reference ObjectStore. See ObjectStore for the contract of each method. */
export class MemoryStore implements ObjectStore {
  readonly #objects = new Map<string, StoredObject>();
  readonly #directoryObjectCounts = new Map<string, number>();
  readonly #madeDirectories = new Set<string>();
  readonly #nowMs: () => number;

  /** Creates an empty store. */
  constructor(options: MemoryStoreOptions = {}) {
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** See ObjectStore.get. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    return this.#objectAt(path).bytes.slice();
  }

  /** See ObjectStore.getRange. */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    validateRange(path, range);
    const { bytes } = this.#objectAt(path);
    checkRangeInObject(path, range, bytes.length);
    return bytes.slice(range.offset, range.offset + range.lengthBytes);
  }

  /** See ObjectStore.put. */
  async put(path: string, bytes: Uint8Array): Promise<void> {
    validatePath(path);
    validateBytes(path, bytes);
    this.#checkLayout(path);
    this.#store(path, bytes);
  }

  /** See ObjectStore.putIfAbsent. */
  async putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    validatePath(path);
    validateBytes(path, bytes);
    if (this.#objects.has(path)) return false;
    this.#checkLayout(path);
    this.#store(path, bytes);
    return true;
  }

  /** See ObjectStore.list. */
  async list(prefix: string): Promise<ObjectEntry[]> {
    validatePrefix(prefix);
    const entries: ObjectEntry[] = [];
    for (const [path, object] of this.#objects) {
      if (path.startsWith(prefix)) entries.push({ path, sizeBytes: object.bytes.length });
    }
    return entries.sort((a, b) => comparePaths(a.path, b.path));
  }

  /** See ObjectStore.delete. */
  async delete(path: string): Promise<void> {
    validatePath(path);
    this.#remove(path);
  }

  /** Removes the object at `path` (if any) and its directory counts, synchronously. */
  #remove(path: string): void {
    if (!this.#objects.delete(path)) return;
    for (const directory of parentDirectories(path)) {
      const count = this.#directoryObjectCounts.get(directory)! - 1;
      if (count === 0) this.#directoryObjectCounts.delete(directory);
      else this.#directoryObjectCounts.set(directory, count);
    }
  }

  /** See ObjectStore.makeDirectory. */
  async makeDirectory(path: string): Promise<void> {
    validatePath(path);
    const chain = [...parentDirectories(path), path];
    for (const directory of chain) {
      if (this.#objects.has(directory)) {
        throw new LakeError("invalid_argument", `memory store: cannot create directory ${quotePath(path)}: ${quotePath(directory)} is an object`);
      }
    }
    for (const directory of chain) this.#madeDirectories.add(directory);
  }

  /** See ObjectStore.listDirectories. */
  async listDirectories(path: string): Promise<string[]> {
    if (path !== "") validatePath(path);
    const prefix = path === "" ? "" : `${path}/`;
    const names = new Set<string>();
    for (const directory of [...this.#madeDirectories, ...this.#directoryObjectCounts.keys()]) {
      if (directory.startsWith(prefix) && !directory.includes("/", prefix.length)) names.add(directory.slice(prefix.length));
    }
    return [...names].sort(comparePaths);
  }

  /** See ObjectStore.deleteDirectory. */
  async deleteDirectory(path: string): Promise<void> {
    validatePath(path);
    const prefix = `${path}/`;
    for (const object of [...this.#objects.keys()]) if (object.startsWith(prefix)) this.#remove(object);
    for (const directory of [...this.#madeDirectories]) {
      if (directory === path || directory.startsWith(prefix)) this.#madeDirectories.delete(directory);
    }
  }

  /** See ObjectStore.stat. */
  async stat(path: string): Promise<ObjectStat | null> {
    validatePath(path);
    const object = this.#objects.get(path);
    return object === undefined ? null : { sizeBytes: object.bytes.length, modifiedMs: object.modifiedMs };
  }

  #objectAt(path: string): StoredObject {
    const object = this.#objects.get(path);
    if (object === undefined) throw new LakeError("not_found", `memory store: no object at ${quotePath(path)}`);
    return object;
  }

  /** Rejects a write at `path` that would make an object also a directory (layout rule). */
  #checkLayout(path: string): void {
    if (this.#directoryObjectCounts.has(path) || this.#madeDirectories.has(path)) {
      throw new LakeError("invalid_argument", `memory store: cannot write ${quotePath(path)}: it is a directory of other objects`);
    }
    for (const directory of parentDirectories(path)) {
      if (this.#objects.has(directory)) {
        throw new LakeError("invalid_argument", `memory store: cannot write ${quotePath(path)}: its parent ${quotePath(directory)} is an object`);
      }
    }
  }

  /** Stores a private copy of `bytes`; the layout has been checked. */
  #store(path: string, bytes: Uint8Array): void {
    const isNew = !this.#objects.has(path);
    this.#objects.set(path, { bytes: new Uint8Array(bytes), modifiedMs: this.#nowMs() });
    if (!isNew) return;
    for (const directory of parentDirectories(path)) {
      this.#directoryObjectCounts.set(directory, (this.#directoryObjectCounts.get(directory) ?? 0) + 1);
    }
  }
}

/** The directory-like prefixes of `path` without trailing '/': "a/b/c" -> ["a", "a/b"]. */
function parentDirectories(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  return out;
}
