/**
 * The bytes-bounded LRU of loaded bucket indexes, backed by the lookup's local store: a miss
 * first tries the persisted index file (used only when its identity matches the bucket at the
 * current snapshot), then builds the index from the table and persists it.
 *
 * Invariants: `bytesCached` is the sum of `bytes` of the cached indexes; after `put`, it is at
 * most `cacheBytesMax` unless the newest index alone is larger (it stays until the next put);
 * eviction drops whole indexes, least recently used first. A corrupt persisted file is rebuilt
 * with a warning; a store error while persisting is a warning (the index still serves from
 * memory); a stale file (other identity) is silently rebuilt and overwritten.
 * Imports: io types, lookup (bucket_index, index_file). Mirrors no Java class (cf. Paimon's
 * `LookupFile` cache with `lookup.cache-max-disk-size` / `lookup.cache-max-memory-size`).
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { indexFromFileParts, indexToFileParts, type BucketIndex } from "./bucket_index.ts";
import { decodeIndexFile, encodeIndexFile } from "./index_file.ts";

/** Counters of cache activity (part of the lookup's stats). */
export interface CacheCounters {
  bucketsLoaded: number;
  bucketsEvicted: number;
  indexesRestored: number;
  indexesPersisted: number;
  indexesCorrupt: number;
}

/** Where persisted indexes go and how to warn. */
export interface CacheOptions {
  readonly cacheBytesMax: number;
  readonly localStore: ObjectStore | null;
  /** Directory (no trailing slash) of this lookup's index files in `localStore`. */
  readonly directory: string;
  readonly warn: (message: string) => void;
}

function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** A short stable hash of `text` (16 hex digits) for file names. */
export function shortHash(text: string): string {
  return fnv(text, 0x811c9dc5) + fnv(text, 0x3c6ef372);
}

/** The LRU cache of bucket indexes. */
export class IndexCache {
  readonly #options: CacheOptions;
  readonly #entries = new Map<string, BucketIndex>();
  #bytes = 0;
  readonly counters: CacheCounters = { bucketsLoaded: 0, bucketsEvicted: 0, indexesRestored: 0, indexesPersisted: 0, indexesCorrupt: 0 };

  constructor(options: CacheOptions) {
    this.#options = options;
  }

  /** Bytes of the cached indexes. */
  get bytesCached(): number {
    return this.#bytes;
  }

  /** Number of cached indexes. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached index `id` (marked most recently used), or undefined. */
  get(id: string): BucketIndex | undefined {
    const index = this.#entries.get(id);
    if (index !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, index);
    }
    return index;
  }

  /** Ids currently cached, least recently used first. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }

  /** Inserts (or replaces) an index and evicts down to the bound. */
  put(index: BucketIndex): void {
    this.remove(index.id);
    this.#entries.set(index.id, index);
    this.#bytes += index.bytes;
    for (const [id, old] of this.#entries) {
      if (this.#bytes <= this.#options.cacheBytesMax || id === index.id) break;
      this.#entries.delete(id);
      this.#bytes -= old.bytes;
      this.counters.bucketsEvicted++;
    }
  }

  /** Drops index `id` if cached. */
  remove(id: string): void {
    const old = this.#entries.get(id);
    if (old === undefined) return;
    this.#entries.delete(id);
    this.#bytes -= old.bytes;
  }

  #path(id: string): string {
    const [hex, bucket] = id.split("/") as [string, string];
    const part = hex.length <= 96 ? (hex === "" ? "p" : `p${hex}`) : `h${shortHash(hex)}`;
    return `${this.#options.directory}/${part}-bucket-${bucket}.idx`;
  }

  /** The persisted index `id` when its identity is `identity`; null when absent, stale or corrupt. */
  async restore(id: string, identity: string): Promise<BucketIndex | null> {
    const store = this.#options.localStore;
    if (store === null) return null;
    const path = this.#path(id);
    let bytes: Uint8Array;
    try {
      bytes = await store.get(path);
    } catch (error) {
      if (error instanceof LakeError && error.code === "not_found") return null;
      this.#options.warn(`lookup: cannot read the persisted index ${path} (${error instanceof Error ? error.message : String(error)}); rebuilding it`);
      return null;
    }
    const decoded = decodeIndexFile(bytes);
    if (decoded.status === "corrupt") {
      this.counters.indexesCorrupt++;
      this.#options.warn(`lookup: persisted index ${path} is corrupt (${decoded.reason}); rebuilding it`);
      return null;
    }
    if (decoded.header["identity"] !== identity) return null;
    try {
      const index = indexFromFileParts(id, decoded.header, decoded.sections);
      this.counters.indexesRestored++;
      return index;
    } catch (error) {
      this.counters.indexesCorrupt++;
      this.#options.warn(`lookup: persisted index ${path} is corrupt (${error instanceof Error ? error.message : String(error)}); rebuilding it`);
      return null;
    }
  }

  /** Writes `index` to the local store (best effort: a failure is a warning). */
  async persist(index: BucketIndex): Promise<void> {
    const store = this.#options.localStore;
    if (store === null) return;
    const parts = indexToFileParts(index);
    if (parts === null) return;
    const path = this.#path(index.id);
    try {
      await store.put(path, encodeIndexFile(parts.header, parts.sections));
      this.counters.indexesPersisted++;
    } catch (error) {
      this.#options.warn(`lookup: cannot persist index ${path} (${error instanceof Error ? error.message : String(error)}); it serves from memory only`);
    }
  }
}
