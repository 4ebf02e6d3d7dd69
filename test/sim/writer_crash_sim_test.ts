// Goal: crash safety of the whole writer (issue 4 "Must hold"): whatever write of a streaming
// job fails or "crashes" (data files of flushes, inline compaction output, manifests, manifest
// lists, the snapshot, hints, post-commit snapshot expiration, abort clean-up), the table then
// opens at its last committed snapshot and reads exactly the model's rows for it (nothing
// partial visible, nothing committed lost), and a restarted job carries on to the same final rows
// as a fault-free run, each identifier committed once.
// Method: seeded workloads — a deduplicate primary-key table (2 partitions x 2 buckets, a small
// write buffer so steps flush several times, compaction trigger 2 so flushes compact inline,
// deletes, snapshot retention 3 so commits expire snapshots) and a bucketed append table — are
// committed step by step (identifier = step) by one TableWriter with commit user "job" and
// deterministic uuids and clock. A fault-free dry run through a FaultStore counts the writes;
// then for every write index k and every fault kind (fail, fail_after, crash, crash_after) the
// workload runs on a fresh table through a FaultStore faulting at k. When a call throws: a
// failed commit (store alive) is retried once in place (it must then either commit exactly the
// step, or refuse because the writer is unusable); otherwise the job "restarts": the wrapped
// store is checked directly (latest snapshot of "job" is the step before or the failing step,
// rows equal that step's model, every live file present with its listed size), then a NEW
// TableWrite from `Table.newWrite` (same commit user) replays from the failing step with the same
// identifiers — committing an identifier that is already in must be a no-op — and the final rows
// must equal the model. Exactly-once is also checked directly: crash_after on the snapshot put,
// then the replay commits nothing and rows are not doubled (append and aggregation tables).
// (A writer reused after its own failure: test/unit/table/write/writer_failure_test.ts.)
import { assert, describe, seededRandom, test } from "../harness.ts";
import { Table } from "../../src/api/table.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import { MemoryStore } from "../../src/io/memory_store.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import { loadKernel } from "../../src/kernel/mod.ts";
import { parquetWriterModule } from "../../src/format/data/parquet_arrow_reader.ts";
import { RowKind } from "../../src/spec/row_kind.ts";
import type { TableSchema } from "../../src/spec/schema.ts";
import type { Value } from "../../src/spec/values.ts";
import { readAllSnapshots } from "../../src/table/snapshot_manager.ts";
import { TableWriter } from "../../src/table/write/table_writer.ts";
import { tickingClock, uuidSource } from "../unit/table/commit_helpers.ts";
import { field, makeTable, modelRows, visibleRows, type TableDef } from "../unit/table/write/table_writer_helpers.ts";

const KINDS = [FaultKind.CRASH, FaultKind.CRASH_AFTER, FaultKind.FAIL, FaultKind.FAIL_AFTER];
const USER = "job";

/** One call of the job: rows of one kind. */
interface Batch {
  readonly kind: RowKind;
  readonly rows: Record<string, Value>[];
}

/** One checkpoint of the job: its batches, then a commit with identifier = step number (1-based). */
type Step = readonly Batch[];

interface Workload {
  readonly name: string;
  readonly def: TableDef;
  readonly steps: readonly Step[];
  /** Canonical sorted rows after step j (index 0: empty table). */
  readonly models: readonly string[][];
}

const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

/** Deduplicate table (k, p) partitioned by p ∈ {a, b}, 2 buckets, with upserts and deletes. */
function primaryKeyWorkload(seed: number, stepCount: number): Workload {
  const fields = [field(0, "k", "INT NOT NULL"), field(1, "p", "STRING NOT NULL"), field(2, "v", "BIGINT"), field(3, "s", "STRING")];
  const rnd = seededRandom(seed);
  const model = new Map<string, Value[]>();
  const steps: Step[] = [];
  const models: string[][] = [[]];
  for (let s = 0; s < stepCount; s++) {
    const step: Batch[] = [];
    for (let b = 0; b < 3; b++) {
      const rows: Record<string, Value>[] = [];
      if (b === 1) {
        // Deletes: mostly live keys, some absent ones (a -D of nothing).
        const live = [...model.keys()];
        for (let i = 0; i < 8; i++) {
          const key = rnd() < 0.8 && live.length > 0 ? live[int(rnd, live.length)]! : `${int(rnd, 60)}|${rnd() < 0.5 ? "a" : "b"}`;
          const [k, p] = key.split("|");
          model.delete(key);
          rows.push({ k: Number(k), p: p! });
        }
        step.push({ kind: RowKind.DELETE, rows });
        continue;
      }
      const used = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const k = int(rnd, 60), p = rnd() < 0.5 ? "a" : "b";
        if (used.has(`${k}|${p}`)) continue; // one version per key and call keeps the model simple
        used.add(`${k}|${p}`);
        const values: Value[] = [k, p, rnd() < 0.1 ? null : BigInt(int(rnd, 1e6)), rnd() < 0.1 ? null : `s${int(rnd, 1e4)}`];
        model.set(`${k}|${p}`, values);
        rows.push({ k, p, v: values[2]!, s: values[3]! });
      }
      step.push({ kind: RowKind.INSERT, rows });
    }
    steps.push(step);
    models.push(modelRows(model.values()));
  }
  return {
    name: "primary-key table (deduplicate, 2 partitions x 2 buckets, flushes, inline compaction, deletes, expiration)",
    def: {
      fields, primaryKeys: ["k", "p"], partitionKeys: ["p"],
      options: {
        bucket: "2", "write-buffer-size": "64 kb", "num-sorted-run.compaction-trigger": "2",
        "snapshot.num-retained.min": "1", "snapshot.num-retained.max": "3",
      },
    },
    steps, models,
  };
}

/** Append table partitioned by p, 2 buckets over bucket-key id: rows accumulate (doubling shows). */
function appendWorkload(seed: number, stepCount: number): Workload {
  const fields = [field(0, "id", "INT"), field(1, "p", "STRING"), field(2, "v", "STRING")];
  const rnd = seededRandom(seed);
  const all: Value[][] = [];
  const steps: Step[] = [];
  const models: string[][] = [[]];
  let id = 0;
  for (let s = 0; s < stepCount; s++) {
    const step: Batch[] = [];
    for (let b = 0; b < 2; b++) {
      const rows: Record<string, Value>[] = [];
      for (let i = 0; i < 20; i++) {
        const values: Value[] = [id++ % 25, rnd() < 0.5 ? "x" : "y", rnd() < 0.1 ? null : `v${int(rnd, 1e4)}`];
        all.push(values);
        rows.push({ id: values[0]!, p: values[1]!, v: values[2]! });
      }
      step.push({ kind: RowKind.INSERT, rows });
    }
    steps.push(step);
    models.push(modelRows(all));
  }
  return {
    name: "append table (2 partitions x 2 buckets over bucket-key, flushes)",
    def: { fields, partitionKeys: ["p"], options: { bucket: "2", "bucket-key": "id", "write-buffer-size": "1 kb", "snapshot.num-retained.max": "2", "snapshot.num-retained.min": "1" } },
    steps, models,
  };
}

/** The deterministic writer of dry and faulty runs (same uuids and clock each run). */
async function jobWriter(store: ObjectStore, schema: TableSchema): Promise<TableWriter> {
  return new TableWriter(store, schema, {
    kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), commitUser: USER,
    nowMs: tickingClock(), randomUuid: uuidSource("a0000000"),
  });
}

/** Identifier of the newest snapshot of the job (0 when it committed nothing yet). */
async function committedStep(store: ObjectStore): Promise<number> {
  let step = 0;
  for (const s of await readAllSnapshots(store)) if (s.commitUser === USER && s.commitKind === "APPEND") step = Math.max(step, Number(s.commitIdentifier));
  return step;
}

/** Every live data file of the latest snapshot is present with the size the manifest lists. */
async function checkLiveFiles(store: ObjectStore, where: string): Promise<void> {
  for (const f of await (await Table.open(store)).files()) {
    const stat = await store.stat(f.filePath);
    assert.ok(stat !== null, `${where}: live file ${f.filePath} is missing`);
    assert.equal(BigInt(stat.sizeBytes), f.fileSizeInBytes, `${where}: size of ${f.filePath}`);
  }
}

/** Snapshots of the job never repeat an (identifier, kind): nothing was committed twice. */
async function checkOncePerIdentifier(store: ObjectStore, where: string): Promise<void> {
  const seen = new Set<string>();
  for (const s of await readAllSnapshots(store)) {
    if (s.commitUser !== USER) continue;
    const key = `${s.commitIdentifier}/${s.commitKind}`;
    assert.ok(!seen.has(key), `${where}: identifier ${s.commitIdentifier} committed twice (${s.commitKind})`);
    seen.add(key);
  }
}

type Outcome = { readonly failedStep: number; readonly error: unknown; readonly inCommit: boolean } | null;

/** Runs steps [from, n) on `w` (0-based); returns where it first threw. */
async function runSteps(
  w: { write(kind: RowKind, rows: Record<string, Value>[]): Promise<void>; commit(identifier: bigint): Promise<{ alreadyCommitted: boolean; snapshotIds: readonly bigint[] }> },
  work: Workload, from: number, onCommitted?: (step: number, result: { alreadyCommitted: boolean; snapshotIds: readonly bigint[] }) => void,
): Promise<Outcome> {
  for (let s = from; s < work.steps.length; s++) {
    try {
      for (const batch of work.steps[s]!) await w.write(batch.kind, batch.rows);
    } catch (error) {
      return { failedStep: s + 1, error, inCommit: false };
    }
    let result;
    try {
      result = await w.commit(BigInt(s + 1));
    } catch (error) {
      return { failedStep: s + 1, error, inCommit: true };
    }
    onCommitted?.(s + 1, result);
  }
  return null;
}

function tableWriterJob(w: TableWriter) {
  return {
    write: (kind: RowKind, rows: Record<string, Value>[]) => w.writeRows(kind, rows),
    commit: (identifier: bigint) => w.commit({ identifier }),
  };
}

/** A restarted job: a fresh TableWrite of the public API with the same commit user. */
function restartedJob(table: Table) {
  const w = table.newWrite({ commitUser: USER });
  return {
    writer: w,
    job: {
      write: (kind: RowKind, rows: Record<string, Value>[]) => (kind === RowKind.DELETE ? w.delete(rows) : w.write(rows)),
      commit: (identifier: bigint) => w.commit({ identifier }),
    },
  };
}

/** Runs the workload with a fault at write `k` and checks recovery; returns a label of the path taken. */
async function runWithFault(work: Workload, k: number, kind: FaultKind, where: string): Promise<string> {
  const { store: inner, schema } = await makeTable(work.def, new MemoryStore());
  const faulty = new FaultStore(inner, [{ writeIndex: k, kind }]);
  const first = await jobWriter(faulty, schema);
  let outcome = await runSteps(tableWriterJob(first), work, 0);
  if (outcome === null) {
    // The fault hit a best-effort write (LATEST hint, expiration, clean-up): nothing failed.
    assert.deepEqual(await visibleRows(inner), work.models[work.steps.length], `${where}: rows`);
    await checkLiveFiles(inner, where);
    await checkOncePerIdentifier(inner, where);
    return "unreported";
  }
  const crashed = faulty.crashed;
  if (!crashed && outcome.inCommit) {
    // The store is alive: retry the commit in place (a failed commit keeps its messages).
    const step = outcome.failedStep;
    let retried: Outcome;
    try {
      const result = await first.commit({ identifier: BigInt(step) });
      assert.ok(result.alreadyCommitted || result.snapshotIds.length > 0 || work.models[step]!.join() === work.models[step - 1]!.join(),
        `${where}: the retried commit of step ${step} did nothing`);
      assert.deepEqual(await visibleRows(inner), work.models[step], `${where}: rows after the retried commit of step ${step}`);
      retried = await runSteps(tableWriterJob(first), work, step);
    } catch (error) {
      retried = { failedStep: step, error, inCommit: true };
    }
    if (retried === null) {
      assert.deepEqual(await visibleRows(inner), work.models[work.steps.length], `${where}: final rows after an in-place retry`);
      await checkLiveFiles(inner, where);
      await checkOncePerIdentifier(inner, where);
      return "retried in place";
    }
    outcome = retried;
  }
  // The job dies here (a crash, or an error it does not handle) and restarts from the table.
  if (!crashed) await first.close(); // closing must never delete committed files
  const step = outcome.failedStep;
  const committed = await committedStep(inner);
  assert.ok(committed === step || committed === step - 1, `${where}: job at step ${committed} after failing in step ${step}`);
  assert.deepEqual(await visibleRows(inner), work.models[committed], `${where}: rows at the last committed snapshot (step ${committed})`);
  await checkLiveFiles(inner, where);
  const table = await Table.open(inner);
  const { writer, job } = restartedJob(table);
  try {
    const again = await runSteps(job, work, step - 1, (s, result) => {
      if (s === committed) {
        assert.equal(result.alreadyCommitted, true, `${where}: replayed step ${s} was committed already`);
        assert.deepEqual(result.snapshotIds, [], `${where}: replay of committed step ${s} wrote a snapshot`);
      } else {
        assert.equal(result.alreadyCommitted, false, `${where}: step ${s} is new`);
      }
    });
    if (again !== null) throw again.error;
  } finally {
    await writer.close();
  }
  assert.deepEqual(await visibleRows(inner), work.models[work.steps.length], `${where}: final rows after the restart`);
  await checkLiveFiles(inner, where);
  await checkOncePerIdentifier(inner, where);
  return committed === step ? "restarted after the commit point" : "restarted before the commit point";
}

for (const make of [() => primaryKeyWorkload(11, 2), () => appendWorkload(12, 3)]) {
  const work = make();
  describe(`writer crash safety: ${work.name}`, () => {
    test("every write failing or crashing in turn: last snapshot intact, the restarted job finishes once", async () => {
      // Dry run: count the writes, and check the fault-free job against the model.
      const { store: dryInner, schema } = await makeTable(work.def, new MemoryStore());
      const dry = new FaultStore(dryInner);
      const dryWriter = await jobWriter(dry, schema);
      assert.equal(await runSteps(tableWriterJob(dryWriter), work, 0), null);
      assert.deepEqual(await visibleRows(dryInner), work.models[work.steps.length], "fault-free run");
      const log = dry.writeLog;
      const dataWrites = log.filter((w) => w.op === "put" && /\/bucket-\d\/data-/.test(w.path)).length;
      assert.ok(dataWrites >= work.steps.length * 4, `the job flushes several data files per step (${dataWrites})`);
      if (work.def.primaryKeys !== undefined) {
        const snaps = await readAllSnapshots(dryInner);
        assert.ok(log.some((w) => w.op === "delete"), "the job deletes files (compaction inputs of one commit, expiration)");
        assert.ok(snaps.some((s) => s.commitKind === "COMPACT"), "inline compaction committed COMPACT snapshots");
      }
      const paths = new Map<string, number>();
      for (let k = 0; k < log.length; k++) {
        for (const kind of KINDS) {
          const where = `${kind} at write ${k} (${log[k]!.op} ${log[k]!.path})`;
          const label = await runWithFault(work, k, kind, where).catch((error: unknown) => {
            throw error instanceof assert.AssertionError ? error : new Error(`${where}: ${String(error)}`, { cause: error });
          });
          paths.set(label, (paths.get(label) ?? 0) + 1);
        }
      }
      // Every recovery path was exercised.
      for (const label of ["restarted before the commit point", "restarted after the commit point", "retried in place"]) {
        assert.ok((paths.get(label) ?? 0) > 0, `path "${label}" taken (${JSON.stringify([...paths])})`);
      }
    });
  });
}

describe("writer exactly-once after a crash right after the snapshot put", () => {
  const tables: { name: string; def: TableDef; rows: Record<string, Value>[]; expected: string[] }[] = [
    {
      name: "append table",
      def: { fields: [field(0, "id", "INT"), field(1, "v", "STRING")], options: { bucket: "2", "bucket-key": "id" } },
      rows: [{ id: 1, v: "a" }, { id: 2, v: "b" }, { id: 2, v: "b" }],
      expected: ["1|\"a\"", "1|\"a\"", "2|\"b\"", "2|\"b\"", "2|\"b\"", "2|\"b\""],
    },
    {
      name: "aggregation (sum) table",
      def: { fields: [field(0, "k", "INT NOT NULL"), field(1, "n", "BIGINT")], primaryKeys: ["k"], options: { bucket: "1", "merge-engine": "aggregation", "fields.n.aggregate-function": "sum" } },
      rows: [{ k: 1, n: 5n }, { k: 2, n: 7n }],
      expected: ["1|10n", "2|14n"],
    },
  ];
  for (const t of tables) {
    test(`${t.name}: the restarted job's commit with the same identifier is a no-op, rows not doubled`, async () => {
      const { store: inner, schema } = await makeTable(t.def, new MemoryStore());
      // Step 1 commits normally; step 2 crashes right after its snapshot landed.
      const dry = new FaultStore(await copyOf(inner));
      const dryWriter = await jobWriter(dry, schema);
      await dryWriter.writeRows(RowKind.INSERT, t.rows);
      await dryWriter.commit({ identifier: 1n });
      const before = dry.writeCount;
      await dryWriter.writeRows(RowKind.INSERT, t.rows);
      await dryWriter.commit({ identifier: 2n });
      const snapshotWrite = dry.writeLog.findIndex((w, i) => i >= before && w.path === "snapshot/snapshot-2");
      assert.ok(snapshotWrite > 0, "step 2 writes snapshot-2");

      const faulty = new FaultStore(inner, [{ writeIndex: snapshotWrite, kind: FaultKind.CRASH_AFTER }]);
      const w = await jobWriter(faulty, schema);
      await w.writeRows(RowKind.INSERT, t.rows);
      await w.commit({ identifier: 1n });
      await w.writeRows(RowKind.INSERT, t.rows);
      await assert.rejects(w.commit({ identifier: 2n }), /simulated crash/);
      assert.deepEqual(await visibleRows(inner), t.expected, "step 2 is in the table");

      // The restarted job replays step 2 with identifier 2: nothing new, nothing doubled.
      const restarted = (await Table.open(inner)).newWrite({ commitUser: USER });
      await restarted.write(t.rows);
      const result = await restarted.commit({ identifier: 2n });
      await restarted.close();
      assert.equal(result.alreadyCommitted, true);
      assert.deepEqual(result.snapshotIds, []);
      assert.deepEqual(await visibleRows(inner), t.expected, "rows not doubled");
      assert.equal((await readAllSnapshots(inner)).length, 2);
      await checkLiveFiles(inner, "after the replay");
      // ...and the job goes on with identifier 3.
      const next = (await Table.open(inner)).newWrite({ commitUser: USER });
      await next.write(t.rows.slice(0, 1));
      assert.equal((await next.commit({ identifier: 3n })).snapshotIds.length, 1);
      await next.close();
    });
  }
});

async function copyOf(store: ObjectStore): Promise<MemoryStore> {
  const copy = new MemoryStore();
  for (const e of await store.list("")) await copy.put(e.path, await store.get(e.path));
  return copy;
}
