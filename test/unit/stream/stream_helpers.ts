// Shared helpers of the stream tests (not a test file): tables in a MemoryStore written through
// the real writer with a controllable clock (one commit per call, +I and -D records), COMPACT
// snapshots through compactTable, snapshot expiration, canonical texts of change rows
// ("kind|v1|v2..." sorted per snapshot), and bounded collection of stream items.
import { Table } from "../../../src/api/table.ts";
import { parquetWriterModule } from "../../../src/format/data/parquet_arrow_reader.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { loadKernel, type KeyKernel } from "../../../src/kernel/mod.ts";
import { RowKind, ROW_KIND_SHORT_STRINGS } from "../../../src/spec/row_kind.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import type { ChangeBatch } from "../../../src/stream/change_batch.ts";
import { compactTable } from "../../../src/table/table_compact.ts";
import { expireSnapshots } from "../../../src/table/expire_snapshots.ts";
import { TableWriter } from "../../../src/table/write/table_writer.ts";
import { show } from "../lsm/write_buffer_helpers.ts";
import { field as fieldOf, makeTable, type TableDef } from "../table/write/table_writer_helpers.ts";
import { seededRandom } from "../../harness.ts";

export { field } from "../table/write/table_writer_helpers.ts";

let kernelPromise: Promise<KeyKernel> | null = null;
/** The WASM kernel (the twin when WASM cannot load). */
export function kernel(): Promise<KeyKernel> {
  kernelPromise ??= loadKernel().then((k) => k.kernel);
  return kernelPromise;
}

/** One record to commit: a row object and its kind. */
export interface Op {
  readonly kind: RowKind;
  readonly row: Record<string, Value>;
}

/** A test table: the store, a handle, and commit/compact/expire with a clock that advances 1 s per commit. */
export class StreamTable {
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  readonly table: Table;
  /** Commit time of the next commit (epoch ms). */
  nowMs = 1_700_000_000_000;

  constructor(store: ObjectStore, schema: TableSchema, table: Table) {
    this.store = store;
    this.schema = schema;
    this.table = table;
  }

  /** Commits `ops` as one batch; returns the snapshot ids created. */
  async commit(ops: readonly Op[], options: Record<string, string> = {}): Promise<bigint[]> {
    const now = this.nowMs;
    this.nowMs += 1000;
    const writer = new TableWriter(this.store, this.schema, { kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => now, options });
    try {
      for (const op of ops) await writer.write(op.kind, op.row);
      return (await writer.commit()).snapshotIds;
    } finally {
      await writer.close();
    }
  }

  /** Upserts `rows` (+I) in one commit. */
  upsert(rows: readonly Record<string, Value>[]): Promise<bigint[]> {
    return this.commit(rows.map((row) => ({ kind: RowKind.INSERT, row })));
  }

  /** Compacts (full or not) as one COMPACT snapshot; returns its ids. */
  async compact(full = true): Promise<bigint[]> {
    const now = this.nowMs;
    this.nowMs += 1000;
    return (await compactTable(this.store, this.schema, { full, kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => now })).snapshotIds;
  }

  /** Expires snapshots keeping the newest `retain` (consumers still protect theirs). */
  async expire(retain: number): Promise<number> {
    const result = await expireSnapshots(this.store, this.schema, {
      options: { "snapshot.num-retained.min": String(retain), "snapshot.num-retained.max": String(retain), "snapshot.time-retained": "1 ms" },
      nowMs: () => this.nowMs + 3_600_000,
    });
    return result.expiredSnapshots;
  }
}

/** A fresh StreamTable of `def` in a MemoryStore (parquet-wasm registered). */
export async function makeStreamTable(def: TableDef): Promise<StreamTable> {
  const { store, table, schema } = await makeTable(def);
  return new StreamTable(store, schema, table);
}

/** Canonical text of a change row: "+I|1|x". */
export function changeText(kind: number, values: readonly Value[]): string {
  return `${ROW_KIND_SHORT_STRINGS[kind as 0 | 1 | 2 | 3]}|${values.map(show).join("|")}`;
}

/** The rows of a value-path batch as sorted canonical texts. */
export function batchRows(batch: ChangeBatch): string[] {
  const out: string[] = [];
  for (const part of batch.parts) {
    if (part.values === null) throw new Error("stream helpers: batch holds buffers; read with columnar: false");
    for (let i = 0; i < part.rowCount; i++) out.push(changeText(part.rowKinds[i]!, part.values.map((c) => c[i] ?? null)));
  }
  return out.sort();
}

/** One item as { snapshotId, rows } for deepEqual against a model. */
export interface ItemText {
  readonly snapshotId: bigint;
  readonly rows: string[];
}

/** `next()` calls that timed out in `nextWithin`, still pending: the next call waits on them. */
const pendingNext = new WeakMap<object, Promise<IteratorResult<unknown>>>();

/**
 * The next item within `ms`, or "timeout". A `next()` that times out stays pending and is the
 * one the following call waits on, so no item is lost to a timeout.
 */
export async function nextWithin<T>(it: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => { timer = setTimeout(() => resolve("timeout"), ms); });
  const next = (pendingNext.get(it) ?? it.next()) as Promise<IteratorResult<T>>;
  pendingNext.set(it, next);
  try {
    const r = await Promise.race([next, timeout]);
    if (r !== "timeout") pendingNext.delete(it);
    return r;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Takes `count` items (each within `ms`), converting each with `text`; throws when one does not
 * come in time or the stream ends early.
 */
export async function take<T>(it: AsyncIterator<T>, count: number, text: (item: T) => ItemText, ms = 5000): Promise<ItemText[]> {
  const out: ItemText[] = [];
  for (let i = 0; i < count; i++) {
    const r = await nextWithin(it, ms);
    if (r === "timeout") throw new Error(`stream helpers: item ${i + 1} of ${count} did not come within ${ms} ms (got ${out.map((o) => o.snapshotId).join(",")})`);
    if (r.done === true) throw new Error(`stream helpers: the stream ended after ${i} of ${count} items`);
    out.push(text(r.value));
  }
  return out;
}

/** ItemText of a value-path batch. */
export function batchItem(batch: ChangeBatch): ItemText {
  return { snapshotId: batch.snapshotId, rows: batchRows(batch) };
}

/** What the model knows of one snapshot. */
export interface ModelSnapshot {
  readonly id: bigint;
  readonly commitKind: string;
  readonly timeMillis: bigint;
  /** The changes a delta stream reads from it (APPEND: the committed records; else none). */
  readonly delta: string[];
  /** The visible rows after it, as +I texts. */
  readonly state: string[];
}

/** A primary-key table `k INT NOT NULL, v STRING` and the model of its history. */
export interface PkHistory {
  readonly st: StreamTable;
  readonly snapshots: ModelSnapshot[];
}

/** `k INT NOT NULL, v STRING`, primary key k, 2 buckets, plus `options`. */
export function pkDef(options: Record<string, string> = {}): TableDef {
  return { fields: [fieldOf(0, "k", "INT NOT NULL"), fieldOf(1, "v", "STRING")], primaryKeys: ["k"], options: { bucket: "2", ...options } };
}

/**
 * Commits `commitCount` random batches (distinct keys per commit: upserts, and deletes of
 * visible keys) to `st`, with a full compaction after every `compactEvery`-th commit, and
 * records the model of every snapshot created (read back for ids, kinds and times).
 */
export async function growPkHistory(st: StreamTable, history: ModelSnapshot[], seed: number, commitCount: number, compactEvery = 4): Promise<void> {
  const random = seededRandom(seed);
  const state = new Map<number, string>();
  for (const line of history.at(-1)?.state ?? []) {
    const [, k, v] = line.split("|");
    state.set(Number(k), JSON.parse(v!) as string);
  }
  const record = async (ids: bigint[], delta: string[]): Promise<void> => {
    const visible = [...state].map(([k, v]) => changeText(RowKind.INSERT, [k, v])).sort();
    for (const id of ids) {
      const snapshot = (await st.table.snapshots()).find((s) => s.id === id)!;
      history.push({ id, commitKind: snapshot.commitKind, timeMillis: snapshot.timeMillis, delta: snapshot.commitKind === "APPEND" ? delta : [], state: visible });
    }
  };
  for (let c = 0; c < commitCount; c++) {
    const keys = new Set<number>();
    const n = 1 + Math.floor(random() * 6);
    while (keys.size < n) keys.add(1 + Math.floor(random() * 20));
    const ops: Op[] = [];
    const delta: string[] = [];
    for (const k of keys) {
      if (state.has(k) && random() < 0.3) {
        ops.push({ kind: RowKind.DELETE, row: { k, v: null } });
        delta.push(changeText(RowKind.DELETE, [k, null]));
        state.delete(k);
      } else {
        const v = `v${seed}_${history.length}_${k}`;
        ops.push({ kind: RowKind.INSERT, row: { k, v } });
        delta.push(changeText(RowKind.INSERT, [k, v]));
        state.set(k, v);
      }
    }
    await record(await st.commit(ops), delta.sort());
    if ((c + 1) % compactEvery === 0) await record(await st.compact(true), []);
  }
}

/** Items a delta stream starting at `from` reads from the recorded history. */
export function expectedDeltas(history: readonly ModelSnapshot[], from: bigint): ItemText[] {
  return history.filter((s) => s.id >= from && s.delta.length > 0).map((s) => ({ snapshotId: s.id, rows: s.delta }));
}

/** Items of a stream that reads snapshot `at` in full, then the deltas after it. */
export function expectedFullThenDeltas(history: readonly ModelSnapshot[], at: bigint): ItemText[] {
  const full = history.find((s) => s.id === at)!;
  return [...(full.state.length > 0 ? [{ snapshotId: at, rows: full.state }] : []), ...expectedDeltas(history, at + 1n)];
}

/** `promise`, or a rejection naming `what` after `ms` (so a stream that waits forever fails the test instead of hanging it). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`stream helpers: ${what} did not settle within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
