// Goal: the lookup and full-compaction changelog producers give downstream exactly the changelog
// Java would, for aggregation (sum), deduplicate and partial-update tables.
// Method: seeded random workloads (thousands of upserts and deletes over a small key space) in
// steps: normal commits of a long-lived writer (each flush's compaction pushes level 0 up),
// runs of write-only commits followed by a full table compaction, and plain table compactions;
// random bucket counts, level counts, compaction triggers, file sizes and row deduplication. A
// model written here from Java's rules (write-buffer merge with the single-record shortcut, then
// the lookup merge of the previous value with the level-0 records without it; -U/+U, +I, -D
// by LookupChangelogMergeFunctionWrapper / FullChangelogMergeFunctionWrapper, equal pairs dropped
// by row-deduplicate) predicts each step's changelog, which is read back with the incremental
// changelog reader over the step's snapshots and compared; finally the fold of all changelog
// must equal the table's rows and the model's state.
import { describe, test, assert, seededRandom } from "../../../harness.ts";
import { parquetWriterModule } from "../../../../src/format/data/parquet_arrow_reader.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { readIncremental } from "../../../../src/stream/incremental.ts";
import { compactTable } from "../../../../src/table/table_compact.ts";
import { readAllSnapshots, readSnapshot } from "../../../../src/table/snapshot_manager.ts";
import { snapshotChangeEntries } from "../../../../src/stream/delta_plan.ts";
import type { ObjectStore } from "../../../../src/io/store.ts";
import { TableWriter } from "../../../../src/table/write/table_writer.ts";
import { batchRows, changeText, kernel } from "../../stream/stream_helpers.ts";
import { show } from "../../lsm/write_buffer_helpers.ts";
import { field, makeTable, visibleRows } from "./table_writer_helpers.ts";

type Engine = "aggregation" | "deduplicate" | "partial-update";
type Producer = "lookup" | "full-compaction";
type Row = Value[];
interface Rec { readonly kind: "+I" | "-D"; readonly row: Row }

const BASE_FIELDS = [field(0, "k", "INT NOT NULL"), field(1, "a", "BIGINT"), field(2, "b", "INT")];
const fieldsOf = (engine: Engine) => engine === "aggregation" ? BASE_FIELDS : [...BASE_FIELDS, field(3, "s", "STRING")];

function engineOptions(engine: Engine): Record<string, string> {
  if (engine === "aggregation") return { "merge-engine": "aggregation", "fields.a.aggregate-function": "sum", "fields.b.aggregate-function": "sum" };
  if (engine === "partial-update") return { "merge-engine": "partial-update", "partial-update.remove-record-on-delete": "true" };
  return {};
}

// ---- the model (Java's merge functions on plain values) ----

function sumAgg(acc: Value, x: Value, retract: boolean): Value {
  if (acc === null || x === null) {
    if (acc !== null) return acc;
    if (x === null) return null;
    return retract ? (typeof x === "bigint" ? -x : 0 - (x as number)) : x;
  }
  if (typeof acc === "bigint") return retract ? acc - (x as bigint) : acc + (x as bigint);
  return retract ? (acc as number) - (x as number) : (acc as number) + (x as number);
}

/** The engine's merge function over `recs` (no single-record shortcut). */
function mergeFn(engine: Engine, recs: readonly Rec[]): Rec {
  const last = recs[recs.length - 1]!;
  if (engine === "deduplicate") return last;
  if (engine === "aggregation") {
    const row: Row = [last.row[0]!, null, null];
    for (const r of recs) for (let i = 1; i < row.length; i++) row[i] = sumAgg(row[i]!, r.row[i]!, r.kind === "-D");
    return { kind: "+I", row };
  }
  let row: Row = recs[0]!.row.map(() => null);
  let deleted = false, meetInsert = false;
  for (const r of recs) {
    if (r.kind === "-D") {
      deleted = true;
      row = [...r.row]; // Java 2.0 initRow: every field of the -D record
      continue;
    }
    deleted = false;
    meetInsert = true;
    r.row.forEach((v, i) => { if (v !== null) row[i] = v; });
  }
  return { kind: deleted || !meetInsert ? "-D" : "+I", row };
}

/** Java `ReducerMergeFunctionWrapper`: one record stays itself. */
function reduce(engine: Engine, recs: readonly Rec[]): Rec {
  return recs.length === 1 ? recs[0]! : mergeFn(engine, recs);
}

class Model {
  readonly engine: Engine;
  /** Visible rows by key. */
  readonly state = new Map<number, Row>();
  /** Per key, the level-0 records (one per commit) not yet pushed up by a changelog compaction. */
  readonly pending = new Map<number, Rec[]>();
  /** Full-compaction producer: per key, its value at the last full compaction and the commits since. */
  readonly top = new Map<number, Row>();
  readonly equal: ((a: Row, b: Row) => boolean) | null;

  constructor(engine: Engine, rowDedup: boolean, ignore: readonly number[]) {
    this.engine = engine;
    this.equal = rowDedup ? (a, b) => a.every((v, i) => ignore.includes(i) || show(v) === show(b[i]!)) : null;
  }

  /** One commit's records (write-buffer merge per key). */
  commit(ops: readonly Rec[]): void {
    const byKey = new Map<number, Rec[]>();
    for (const op of ops) {
      const k = op.row[0] as number;
      byKey.set(k, [...(byKey.get(k) ?? []), op]);
    }
    for (const [k, recs] of byKey) {
      const l0 = reduce(this.engine, recs);
      this.pending.set(k, [...(this.pending.get(k) ?? []), l0]);
      // The visible state (merge on read of everything): before + records.
      const before = this.state.get(k);
      const merged = mergeFn(this.engine, before === undefined ? [l0] : [{ kind: "+I", row: before }, l0]);
      if (merged.kind === "+I") this.state.set(k, merged.row);
      else this.state.delete(k);
    }
  }

  #emit(out: string[], before: Row | undefined, after: Row | undefined): void {
    if (before === undefined) {
      if (after !== undefined) out.push(changeText(RowKind.INSERT, after));
    } else if (after === undefined) {
      out.push(changeText(RowKind.DELETE, before));
    } else if (this.equal === null || !this.equal(before, after)) {
      out.push(changeText(RowKind.UPDATE_BEFORE, before), changeText(RowKind.UPDATE_AFTER, after));
    }
  }

  /** Lookup compaction of every pending level-0 record: the changelog it emits. */
  lookupCompaction(): string[] {
    const out: string[] = [];
    for (const [k, recs] of this.pending) {
      const before = this.emitted.get(k);
      const merged = mergeFn(this.engine, before === undefined ? recs : [{ kind: "+I", row: before }, ...recs]);
      const after = merged.kind === "+I" ? merged.row : undefined;
      this.#emit(out, before, after);
      if (after === undefined) this.emitted.delete(k);
      else this.emitted.set(k, after);
    }
    this.pending.clear();
    return out.sort();
  }

  /** What the changelog so far says each key holds. */
  readonly emitted = new Map<number, Row>();

  /** Full compaction (full-compaction producer): changelog of every key touched since the last one. */
  fullCompaction(): string[] {
    const out: string[] = [];
    for (const [k, recs] of this.pending) {
      const top = this.top.get(k);
      const all: Rec[] = top === undefined ? recs : [{ kind: "+I", row: top }, ...recs];
      const merged = reduce(this.engine, all);
      const after = merged.kind === "+I" ? merged.row : undefined;
      if (all.length > 1 || top === undefined) this.#emit(out, top, after);
      if (after === undefined) this.top.delete(k);
      else this.top.set(k, after);
      if (after === undefined) this.emitted.delete(k);
      else this.emitted.set(k, after);
    }
    this.pending.clear();
    return out.sort();
  }
}

// ---- the workload ----

interface Config {
  readonly engine: Engine;
  readonly producer: Producer;
  readonly seed: number;
  readonly steps: number;
}

function randomOps(rnd: () => number, cfg: Config, model: Model, count: number): Rec[] {
  const ops: Rec[] = [];
  const keys = 30;
  for (let i = 0; i < count; i++) {
    const k = Math.floor(rnd() * keys);
    const del = rnd() < 0.2;
    const n = (x: number): Value => (rnd() < 0.15 ? null : x);
    if (cfg.engine === "aggregation") {
      // Full-compaction changelog: delete only keys that hold a value (see the model's notes).
      if (del && cfg.producer === "full-compaction" && !model.state.has(k) && !ops.some((o) => o.row[0] === k)) continue;
      const a = n(Math.floor(rnd() * 100) - 20), b = n(Math.floor(rnd() * 10));
      ops.push({ kind: del ? "-D" : "+I", row: [k, a === null ? null : BigInt(a as number), b] });
    } else if (del) {
      ops.push({ kind: "-D", row: [k, null, null, null] });
    } else {
      const a = n(Math.floor(rnd() * 5)), b = n(Math.floor(rnd() * 5)), s = rnd() < 0.3 ? null : ["x", "y", "zz"][Math.floor(rnd() * 3)]!;
      ops.push({ kind: "+I", row: [k, a === null ? null : BigInt(a as number), b, s] });
    }
  }
  return ops;
}

/** True when a COMPACT snapshot among `ids` added a file at `maxLevel` (a compaction of every run). */
async function wroteMaxLevel(store: ObjectStore, ids: readonly bigint[], maxLevel: number): Promise<boolean> {
  for (const id of ids) {
    const snapshot = await readSnapshot(store, id);
    if (snapshot.commitKind !== "COMPACT") continue;
    for (const e of await snapshotChangeEntries(store, snapshot, "delta")) if (e.kind === 0 && e.file.level === maxLevel) return true;
  }
  return false;
}

async function runWorkload(cfg: Config): Promise<{ ops: number; changes: number }> {
  const rnd = seededRandom(cfg.seed);
  const fields = fieldsOf(cfg.engine);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const rowDedup = rnd() < 0.5;
  const ignoreB = rowDedup && rnd() < 0.5;
  const deltaCommits = 1 + Math.floor(rnd() * 3);
  const levelCount = pick([3, 4, 6]);
  const options: Record<string, string> = {
    // Full-compaction changelog is per bucket: one bucket keeps the model's "was the max level written" global.
    bucket: cfg.producer === "lookup" ? String(pick([1, 2])) : "1",
    "changelog-producer": cfg.producer,
    "num-sorted-run.compaction-trigger": String(pick([2, 3, 5])),
    "num-levels": String(levelCount),
    "changelog-producer.row-deduplicate": String(rowDedup),
    ...(ignoreB ? { "changelog-producer.row-deduplicate-ignore-fields": "b" } : {}),
    ...(rnd() < 0.4 ? { "target-file-size": "1 kb" } : {}),
    ...(cfg.producer === "full-compaction" ? { "full-compaction.delta-commits": String(deltaCommits) } : {}),
    ...engineOptions(cfg.engine),
  };
  const where = `${cfg.engine}/${cfg.producer} seed ${cfg.seed} ${JSON.stringify(options)}`;
  const { store, table, schema } = await makeTable({ fields, primaryKeys: ["k"], options });
  const model = new Model(cfg.engine, rowDedup, ignoreB ? [2] : []);
  const env = { kernel: await kernel(), parquet: await parquetWriterModule() };
  let now = 1_700_000_000_000;
  const nowMs = () => now;
  let writer: TableWriter | null = null;
  let identifier = 0n;
  let opCount = 0, changeCount = 0;
  const folded = new Map<number, Value[]>();

  const check = async (ids: readonly bigint[], expected: string[], what: string): Promise<void> => {
    if (ids.length === 0) {
      assert.deepEqual(expected, [], `${where}: ${what}: no snapshot, but the model expects changelog`);
      return;
    }
    const start = ids[0]! - 1n, end = ids[ids.length - 1]!;
    const batch = await readIncremental(table, { startSnapshotId: start, endSnapshotId: end, columnar: false });
    const got = batchRows(batch);
    assert.deepEqual(got, expected, `${where}: ${what}: changelog of snapshots ${start + 1n}..${end}`);
    changeCount += got.length;
    // Fold in read order (-U before +U of a key).
    for (const part of batch.parts) {
      for (let i = 0; i < part.rowCount; i++) {
        const values = part.values!.map((c) => c[i] ?? null);
        const kind = part.rowKinds[i]!;
        if (kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER) folded.set(values[0] as number, values);
        else folded.delete(values[0] as number);
      }
    }
  };
  // Row deduplication ignoring b drops updates that only change b: the fold then lags on b.
  const foldText = (r: readonly Value[]): string => r.map((v, i) => (ignoreB && i === 2 ? "?" : show(v))).join("|");

  for (let step = 0; step < cfg.steps; step++) {
    now += 1000;
    const r = rnd();
    if (r < 0.6) {
      // A normal commit of the long-lived writer.
      writer ??= new TableWriter(store, schema, { ...env, nowMs, commitUser: "model" });
      const ops = randomOps(rnd, cfg, model, 1 + Math.floor(rnd() * 40));
      for (const op of ops) await writer.write(op.kind === "+I" ? RowKind.INSERT : RowKind.DELETE, Object.fromEntries(fields.map((f, i) => [f.name, op.row[i] ?? null])));
      opCount += ops.length;
      model.commit(ops);
      identifier++;
      const { snapshotIds } = await writer.commit({ identifier });
      let expected: string[] = [];
      if (cfg.producer === "lookup") expected = model.lookupCompaction();
      else if (await wroteMaxLevel(store, snapshotIds, levelCount - 1)) {
        // Delta-commit full compactions, and normal picks of every run (they also land in the max level).
        expected = model.fullCompaction();
      } else {
        assert.notEqual(identifier % BigInt(deltaCommits), 0n, `${where}: commit ${identifier} must fully compact`);
      }
      await check(snapshotIds, expected, `commit ${identifier}`);
    } else if (r < 0.85) {
      // Write-only commits (level-0 files left for a compaction), then a full compaction.
      if (writer !== null) { await writer.close(); writer = null; }
      const commits = 1 + Math.floor(rnd() * 3);
      const ids: bigint[] = [];
      for (let c = 0; c < commits; c++) {
        now += 1000;
        const w = new TableWriter(store, schema, { ...env, nowMs, options: { "write-only": "true" } });
        const ops = randomOps(rnd, cfg, model, 1 + Math.floor(rnd() * 30));
        for (const op of ops) await w.write(op.kind === "+I" ? RowKind.INSERT : RowKind.DELETE, Object.fromEntries(fields.map((f, i) => [f.name, op.row[i] ?? null])));
        opCount += ops.length;
        model.commit(ops);
        ids.push(...(await w.commit()).snapshotIds);
        await w.close();
      }
      await check(ids, [], "write-only commits");
      now += 1000;
      const compacted = await compactTable(store, schema, { ...env, full: true, nowMs });
      await check(compacted.snapshotIds, cfg.producer === "lookup" ? model.lookupCompaction() : model.fullCompaction(), "full compaction");
    } else {
      // A normal table compaction: level 0 is empty, so no changelog.
      if (writer !== null) { await writer.close(); writer = null; }
      const compacted = await compactTable(store, schema, { ...env, full: false, nowMs });
      const full = cfg.producer === "full-compaction" && await wroteMaxLevel(store, compacted.snapshotIds, levelCount - 1);
      await check(compacted.snapshotIds, full ? model.fullCompaction() : [], "normal compaction");
    }
  }
  if (writer !== null) await writer.close();
  // Bring everything to the max level, then the changelog must describe the table exactly.
  now += 1000;
  const last = await compactTable(store, schema, { ...env, full: true, nowMs });
  await check(last.snapshotIds, cfg.producer === "lookup" ? model.lookupCompaction() : model.fullCompaction(), "final full compaction");
  const rows = await visibleRows(store);
  const modelRows = [...model.state.values()].map((r) => r.map(show).join("|")).sort();
  assert.deepEqual(rows, modelRows, `${where}: table rows against the model`);
  const masked = [...model.state.values()].map(foldText).sort();
  assert.deepEqual([...folded.values()].map(foldText).sort(), masked, `${where}: fold of the whole changelog against the table`);
  const snapshots = await readAllSnapshots(store);
  for (const s of snapshots) {
    if (s.changelogManifestList === null) continue;
    assert.ok(s.changelogRecordCount !== null && s.changelogRecordCount > 0n, `${where}: snapshot ${s.id} has a changelog list and changelogRecordCount ${s.changelogRecordCount}`);
  }
  return { ops: opCount, changes: changeCount };
}

describe("lookup and full-compaction changelog against a model of Java", () => {
  for (const producer of ["lookup", "full-compaction"] as const) {
    for (const engine of ["aggregation", "deduplicate", "partial-update"] as const) {
      test(`${producer} changelog of a ${engine} table`, async () => {
        let ops = 0, changes = 0;
        for (const seed of [1, 2]) {
          const done = await runWorkload({ engine, producer, seed: seed * 101 + engine.length + producer.length, steps: producer === "lookup" ? 40 : 30 });
          ops += done.ops;
          changes += done.changes;
        }
        assert.ok(ops > 1000, `thousands of writes (${ops})`);
        assert.ok(changes > 100, `changelog records checked (${changes})`);
      });
    }
  }
});
