// Shared helpers of the DELETE tests (not a test file): the test table (k INT NOT NULL, a INT as
// the partition column, s STRING, d DOUBLE, n BIGINT), seeded random rows with nulls, NaN, -0.0
// and odd strings, the filter model (SQL three-valued logic through the bound predicate),
// merge-engine models, a store wrapper counting data-file reads and writes with a hook before
// the first write, and reads of every live file's rows in file order.
import { assert } from "../../harness.ts";
import { Table } from "../../../src/api/table.ts";
import type { ByteRange, ObjectEntry, ObjectStat, ObjectStore } from "../../../src/io/store.ts";
import { loadKernel } from "../../../src/kernel/mod.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { bindPredicate, evaluatePredicate, type Predicate } from "../../../src/table/predicate.ts";
import { planScan } from "../../../src/table/scan.ts";
import { latestSnapshot } from "../../../src/table/snapshot_manager.ts";
import { readSplits } from "../../../src/table/table_read.ts";
import { randomValue } from "./predicate_random.ts";
import { field, modelRows } from "./write/table_writer_helpers.ts";

/** Values of the partition column a. */
export const A_VALUES = [-1, 0, 2];
/** A random integer in [0, n). */
export const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

/** The test table's fields (a NOT NULL for primary-key tables, whose partition is in the key). */
export function fieldsOf(nullablePartition: boolean): DataField[] {
  return [field(0, "k", "INT NOT NULL"), field(1, "a", nullablePartition ? "INT" : "INT NOT NULL"), field(2, "s", "STRING"), field(3, "d", "DOUBLE"), field(4, "n", "BIGINT")];
}

/** A random row [k, a, s, d, n]. */
export function randomRow(rnd: () => number, k: number, nullableA: boolean): Value[] {
  const maybe = (v: Value): Value => (rnd() < 0.15 ? null : v);
  const a = nullableA && rnd() < 0.15 ? null : A_VALUES[int(rnd, A_VALUES.length)]!;
  return [k, a, maybe(randomValue(rnd, "s")), maybe(randomValue(rnd, "d")), maybe(randomValue(rnd, "n"))];
}

/** A row record from values in field order. */
export const recordOf = (fields: readonly DataField[], row: readonly Value[]): Record<string, Value> =>
  Object.fromEntries(fields.map((f, i) => [f.name, row[i] ?? null]));

/** The model's verdict: rows where the filter is TRUE are deleted. */
export function matcher(fields: readonly DataField[], filter: Predicate | null): (row: readonly Value[]) => boolean {
  if (filter === null) return () => true;
  const bound = bindPredicate(filter, fields);
  return (row) => evaluatePredicate(bound, row as Value[]);
}

/** ObjectStore wrapper counting data-file reads and running a hook before the first write. */
export class WatchStore implements ObjectStore {
  readonly inner: ObjectStore;
  dataReads = 0;
  writes = 0;
  beforeFirstWrite: ((path: string) => Promise<void>) | null = null;

  constructor(inner: ObjectStore) {
    this.inner = inner;
  }

  #read(path: string): void {
    if (/bucket-\d+\/data-/.test(path)) this.dataReads++;
  }

  async #write(path: string): Promise<void> {
    this.writes++;
    const hook = this.beforeFirstWrite;
    this.beforeFirstWrite = null;
    if (hook !== null) await hook(path);
  }

  get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    this.#read(path);
    return this.inner.get(path);
  }

  getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    this.#read(path);
    return this.inner.getRange(path, range);
  }

  async put(path: string, bytes: Uint8Array): Promise<void> {
    await this.#write(path);
    return this.inner.put(path, bytes);
  }

  async putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    await this.#write(path);
    return this.inner.putIfAbsent(path, bytes);
  }

  list(prefix: string): Promise<ObjectEntry[]> {
    return this.inner.list(prefix);
  }

  async delete(path: string): Promise<void> {
    await this.#write(path);
    return this.inner.delete(path);
  }

  stat(path: string): Promise<ObjectStat | null> {
    return this.inner.stat(path);
  }
}

/** The merge engines a row-level DELETE may retract from. */
export type Engine = "deduplicate" | "partial-update" | "aggregation";

/** Table options selecting each engine with its remove-record-on-delete option. */
export const ENGINE_OPTIONS: Record<Engine, Record<string, string>> = {
  deduplicate: {},
  "partial-update": { "merge-engine": "partial-update", "partial-update.remove-record-on-delete": "true" },
  aggregation: { "merge-engine": "aggregation", "aggregation.remove-record-on-delete": "true", "fields.n.aggregate-function": "sum" },
};

/** Applies one upsert to a primary-key model (key = k|a) as the engine merges it. */
export function upsert(engine: Engine, model: Map<string, Value[]>, row: readonly Value[]): void {
  const key = `${row[0]}|${row[1]}`;
  const old = model.get(key);
  if (old === undefined || engine === "deduplicate") {
    model.set(key, [...row]);
    return;
  }
  if (engine === "partial-update") {
    model.set(key, old.map((v, i) => row[i] ?? v));
    return;
  }
  // aggregation: s and d last_non_null_value, n sum.
  const n = old[4] === null ? row[4]! : row[4] === null ? old[4]! : (old[4] as bigint) + (row[4] as bigint);
  model.set(key, [row[0]!, row[1]!, row[2] ?? old[2]!, row[3] ?? old[3]!, n]);
}

/** Writes rows through a fresh writer and commits; returns the snapshot ids. */
export async function writeRows(table: Table, rows: readonly Value[][], options: Record<string, string> = {}): Promise<bigint[]> {
  const w = table.newWrite({ options });
  try {
    await w.write(rows.map((r) => recordOf(table.schema.fields, r)));
    return (await w.commit()).snapshotIds;
  } finally {
    await w.close();
  }
}

/** Rows of every snapshot kept for the time-travel check at the end. */
export async function checkTimeTravel(store: ObjectStore, history: ReadonlyMap<bigint, string[]>): Promise<void> {
  const table = await Table.open(store);
  for (const [id, rows] of history) {
    const got: string[] = [];
    const names = table.schema.fields.map((f) => f.name);
    for await (const r of table.rows({ snapshotId: id })) got.push(names.map((n) => showValue(r[n] ?? null)).join("|"));
    assert.deepEqual(got.sort(), rows, `time travel to snapshot ${id}`);
  }
}

/** Canonical text of one value. */
export function showValue(v: Value): string {
  return modelRows([[v]])[0]!;
}

/** A filter as text for messages (bigint literals included). */
export function text(filter: unknown): string {
  return JSON.stringify(filter, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Canonical text of one row. */
export function showRow(row: readonly Value[]): string {
  return modelRows([row])[0]!;
}

/** Id of the latest snapshot (the table must have one). */
export async function latestId(store: ObjectStore): Promise<bigint> {
  return (await latestSnapshot(store))!.id;
}

/** Every live file of the latest snapshot: name → its bucket, first sequence number and rows in file order. */
export async function filesWithRows(store: ObjectStore): Promise<Map<string, { where: string; minSeq: bigint; maxSeq: bigint; rows: Value[][] }>> {
  const table = await Table.open(store);
  const snapshot = (await latestSnapshot(store))!;
  const plan = await planScan(store, { snapshot, schema: table.schema });
  const kernel = (await loadKernel()).kernel;
  const out = new Map<string, { where: string; minSeq: bigint; maxSeq: bigint; rows: Value[][] }>();
  for (const split of plan.splits) {
    for (const file of split.files) {
      const read = await readSplits({
        store, schema: table.schema, schemaById: (id) => table.schemaById(id), fields: table.schema.fields, kernel, mergeFactory: null,
      }, [{ ...split, files: [file] }]);
      const rows = Array.from({ length: read.rowCount }, (_, i) => read.columns.map((c) => c[i] ?? null));
      out.set(file.fileName, { where: `${split.partitionValues.join(",")}/${split.bucket}`, minSeq: file.minSequenceNumber, maxSeq: file.maxSequenceNumber, rows });
    }
  }
  return out;
}
