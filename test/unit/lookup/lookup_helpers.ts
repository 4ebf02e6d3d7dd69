// Shared helpers of the lookup tests (not a test file): tables in a MemoryStore written through
// the real writer (makeTable + TableWriter), a read-counting store wrapper, canonical row text,
// and the brute-force answer of a lookup computed from a full scan (table.rows) at a snapshot.
import { Table } from "../../../src/api/table.ts";
import type { ByteRange, ObjectStore } from "../../../src/io/store.ts";
import type { Value } from "../../../src/spec/values.ts";
import { show } from "../lsm/write_buffer_helpers.ts";

export { field, makeTable } from "../table/write/table_writer_helpers.ts";
export { StreamTable } from "../stream/stream_helpers.ts";

/** Canonical text of a row object (values in the given column order). */
export function rowText(row: Record<string, Value> | null, columns: readonly string[]): string {
  if (row === null) return "null";
  return columns.map((c) => show(row[c] ?? null)).join("|");
}

/** Every row of the table at `snapshotId`, grouped by the text of `keys` values. */
export async function scanByKey(table: Table, keys: readonly string[], snapshotId: bigint | null): Promise<Map<string, Record<string, Value>[]>> {
  const out = new Map<string, Record<string, Value>[]>();
  if (snapshotId === null) return out;
  for await (const row of table.rows({ snapshotId })) {
    if (keys.some((k) => row[k] === null)) continue;
    const k = keys.map((c) => show(row[c]!)).join("|");
    let list = out.get(k);
    if (list === undefined) out.set(k, list = []);
    list.push(row);
  }
  return out;
}

/** Key text of a probe given as values in key order. */
export function keyText(values: readonly Value[]): string {
  return values.map((v) => show(v)).join("|");
}

/** A store wrapper that records every read path. */
export class RecordingStore implements ObjectStore {
  readonly inner: ObjectStore;
  readonly reads: string[] = [];

  constructor(inner: ObjectStore) {
    this.inner = inner;
  }

  get(path: string) { this.reads.push(path); return this.inner.get(path); }
  getRange(path: string, range: ByteRange) { this.reads.push(path); return this.inner.getRange(path, range); }
  put(path: string, bytes: Uint8Array) { return this.inner.put(path, bytes); }
  putIfAbsent(path: string, bytes: Uint8Array) { return this.inner.putIfAbsent(path, bytes); }
  list(prefix: string) { return this.inner.list(prefix); }
  delete(path: string) { return this.inner.delete(path); }
  stat(path: string) { return this.inner.stat(path); }

  /** Data-file reads (paths with a bucket directory) since the last `clear`. */
  dataReads(): string[] {
    return this.reads.filter((p) => /(^|\/)bucket-\d+\//.test(p));
  }

  clear(): void {
    this.reads.length = 0;
  }
}
