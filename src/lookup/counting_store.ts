/**
 * A read-counting view of an ObjectStore: the lookup reads data and deletion-vector files
 * through it, so `stats()` reports the files and bytes each bucket load cost.
 *
 * Invariants: behaves exactly like the wrapped store; only `get` and `getRange` are counted.
 * Imports: io/store.ts (types). Mirrors no Java class.
 */
import type { ByteRange, ObjectStore } from "../io/store.ts";

/** Counters a counting store adds to. */
export interface ReadCounters {
  filesRead: number;
  bytesRead: number;
}

/** Wraps `store`, adding each read to `counters`. */
export function countingStore(store: ObjectStore, counters: ReadCounters): ObjectStore {
  return {
    async get(path: string) {
      const bytes = await store.get(path);
      counters.filesRead++;
      counters.bytesRead += bytes.length;
      return bytes;
    },
    async getRange(path: string, range: ByteRange) {
      const bytes = await store.getRange(path, range);
      counters.filesRead++;
      counters.bytesRead += bytes.length;
      return bytes;
    },
    put: (path, bytes) => store.put(path, bytes),
    putIfAbsent: (path, bytes) => store.putIfAbsent(path, bytes),
    list: (prefix) => store.list(prefix),
    delete: (path) => store.delete(path),
    stat: (path) => store.stat(path),
  };
}
