// Goal: a TableWriter reused after one of its calls failed never commits a partial batch and
// never commits anything twice: a flush that failed while buffering or while preparing a commit
// lost buffered rows, so the writer then refuses everything but close (as a Java job fails and
// restarts); a commit whose COMPACT part failed after its APPEND part landed is retried in place
// (a random commit user: no exactly-once walk by default) and finds its own APPEND snapshot
// instead of adding the same files again.
// Method: a fault-free run through a FaultStore finds the index of the write to fail; the same
// job then runs with a FAIL fault there, and the table is checked directly.
import { assert, describe, test } from "../../../harness.ts";
import { Table } from "../../../../src/api/table.ts";
import { FaultKind, FaultStore } from "../../../../src/io/fault_store.ts";
import { MemoryStore } from "../../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../../src/io/store.ts";
import { loadKernel } from "../../../../src/kernel/mod.ts";
import { parquetWriterModule } from "../../../../src/format/data/parquet_arrow_reader.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { TableSchema } from "../../../../src/spec/schema.ts";
import { readAllSnapshots } from "../../../../src/table/snapshot_manager.ts";
import { TableWriter } from "../../../../src/table/write/table_writer.ts";
import { tickingClock, uuidSource } from "../commit_helpers.ts";
import { field, makeTable, modelRows, visibleRows, type TableDef } from "./table_writer_helpers.ts";

/** A writer with deterministic uuids and clock (the same writes in every run). */
async function jobWriter(store: ObjectStore, schema: TableSchema): Promise<TableWriter> {
  return new TableWriter(store, schema, {
    kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), commitUser: "job",
    nowMs: tickingClock(), randomUuid: uuidSource("a0000000"),
  });
}

/** Every live data file of the latest snapshot is present with the size the manifest lists. */
async function checkLiveFiles(store: ObjectStore, where: string): Promise<void> {
  for (const f of await (await Table.open(store)).files()) {
    const stat = await store.stat(f.filePath);
    assert.ok(stat !== null, `${where}: live file ${f.filePath} is missing`);
    assert.equal(BigInt(stat.sizeBytes), f.fileSizeInBytes, `${where}: size of ${f.filePath}`);
  }
}

describe("a writer after a failed call", () => {
  const def: TableDef = {
    fields: [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")], primaryKeys: ["k"],
    options: { bucket: "2", "write-buffer-size": "1 kb", "num-sorted-run.compaction-trigger": "2" },
  };
  const rows = (from: number, n: number, v: string) => Array.from({ length: n }, (_, i) => ({ k: from + i, v }));

  /** Index of the first write of `op` whose path matches, in a fault-free run of `job`. */
  async function firstWrite(job: (w: TableWriter) => Promise<void>, match: (op: string, path: string) => boolean, after = 0, table: TableDef = def): Promise<number> {
    const { store, schema } = await makeTable(table, new MemoryStore());
    const dry = new FaultStore(store);
    const w = await jobWriter(dry, schema);
    await job(w);
    const at = dry.writeLog.findIndex((r, i) => i >= after && match(r.op, r.path));
    assert.ok(at >= 0, "the write happens");
    return at;
  }

  test("a flush that failed while buffering: the writer refuses to commit (rows were lost), close works", async () => {
    const job = async (w: TableWriter) => {
      await w.writeRows(RowKind.INSERT, rows(0, 200, "a"));
      await w.commit({ identifier: 1n });
    };
    const at = await firstWrite(job, (op, path) => op === "put" && path.includes("/data-"));
    const { store, schema } = await makeTable(def, new MemoryStore());
    const w = await jobWriter(new FaultStore(store, [{ writeIndex: at, kind: FaultKind.FAIL }]), schema);
    await assert.rejects(w.writeRows(RowKind.INSERT, rows(0, 200, "a")), /simulated fail/);
    await assert.rejects(w.commit({ identifier: 1n }), /an earlier write or flush failed/);
    await assert.rejects(w.writeRows(RowKind.INSERT, rows(0, 1, "b")), /an earlier write or flush failed/);
    await w.close();
    assert.deepEqual(await readAllSnapshots(store), [], "nothing committed");
  });

  test("a flush that failed while preparing the commit: no partial commit, ever", async () => {
    const job = async (w: TableWriter) => {
      await w.writeRows(RowKind.INSERT, rows(0, 20, "a"));
      await w.commit({ identifier: 1n });
    };
    // 20 rows stay buffered (a large budget); the commit flushes both buckets: fail the second's file.
    const roomy: TableDef = { ...def, options: { ...def.options, "write-buffer-size": "8 mb" } };
    const first = await firstWrite(job, (op, path) => op === "put" && path.includes("/data-"), 0, roomy);
    const second = await firstWrite(job, (op, path) => op === "put" && path.includes("/data-"), first + 1, roomy);
    const { store, schema } = await makeTable(roomy, new MemoryStore());
    const w = await jobWriter(new FaultStore(store, [{ writeIndex: second, kind: FaultKind.FAIL }]), schema);
    await w.writeRows(RowKind.INSERT, rows(0, 20, "a"));
    await assert.rejects(w.commit({ identifier: 1n }), /simulated fail/);
    await assert.rejects(w.commit({ identifier: 1n }), /an earlier write or flush failed/, "a retry would commit one bucket only");
    await w.close();
    assert.deepEqual(await readAllSnapshots(store), []);
  });

  test("a commit whose COMPACT part failed after its APPEND part landed: the retry (random commit user) commits nothing twice", async () => {
    const job = async (w: TableWriter) => {
      await w.writeRows(RowKind.INSERT, rows(0, 60, "a"));
      await w.writeRows(RowKind.INSERT, rows(0, 60, "b"));
      await w.commit();
    };
    const appendSnapshot = await firstWrite(job, (op, path) => path === "snapshot/snapshot-1");
    const compactManifest = await firstWrite(job, (op, path) => path.startsWith("manifest/"), appendSnapshot + 1);
    const { store, schema } = await makeTable(def, new MemoryStore());
    const faulty = new FaultStore(store, [{ writeIndex: compactManifest, kind: FaultKind.FAIL }]);
    const w = new TableWriter(faulty, schema, { kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), nowMs: tickingClock(), randomUuid: uuidSource("a0000000") });
    await w.writeRows(RowKind.INSERT, rows(0, 60, "a"));
    await w.writeRows(RowKind.INSERT, rows(0, 60, "b"));
    await assert.rejects(w.commit(), /committed: snapshot 1; not applied: the compaction/);
    const retried = await w.commit();
    assert.equal(retried.alreadyCommitted, true, "the retry finds the APPEND snapshot it left");
    await w.close();
    const snapshots = await readAllSnapshots(store);
    assert.deepEqual(snapshots.map((x) => x.commitKind), ["APPEND"]);
    assert.deepEqual(await visibleRows(store), modelRows(rows(0, 60, "b").map((r) => [r.k, r.v])));
    await checkLiveFiles(store, "after the retry");
  });
});
