// Goal: what the table writer commits reads back (through the existing read path, Table.rows and
// Table.read) as a brute-force model of each merge engine says, across partitions, buckets,
// bucket-key, several commits and writers, memory-budget flushes, inline compaction, and that it
// keeps Java's rules: sequence numbers continue per bucket, exactly-once per (user, identifier),
// append tables keep arrival order, bad rows change nothing.
// Method: seeded random upserts/deletes into MemoryStore tables, checked after every commit
// against Maps that apply the engine's rule to the same operations in order.
import { assert, describe, seededRandom, test } from "../../../harness.ts";
import { loadKernel } from "../../../../src/kernel/mod.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { TableWriter } from "../../../../src/table/write/table_writer.ts";
import { parquetWriterModule } from "../../../../src/format/data/parquet_arrow_reader.ts";
import { readAllSnapshots } from "../../../../src/table/snapshot_manager.ts";
import { Table } from "../../../../src/api/table.ts";
import type { ObjectStore } from "../../../../src/io/store.ts";
import type { TableSchema } from "../../../../src/spec/schema.ts";
import { field, makeTable, modelRows, record, visibleRows, visibleRowsArrow } from "./table_writer_helpers.ts";

async function writer(store: ObjectStore, schema: TableSchema, options: Record<string, string> = {}, commitUser?: string): Promise<TableWriter> {
  return new TableWriter(store, schema, { kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), options, commitUser });
}

const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

/** Live files per bucket directory: name → [minSeq, maxSeq, level]. */
async function filesByBucket(store: ObjectStore): Promise<Map<string, Map<string, [bigint, bigint, number]>>> {
  const out = new Map<string, Map<string, [bigint, bigint, number]>>();
  for (const f of await (await Table.open(store)).files()) {
    const dir = f.filePath.slice(0, f.filePath.lastIndexOf("/"));
    if (!out.has(dir)) out.set(dir, new Map());
    out.get(dir)!.set(f.filePath, [f.minSequenceNumber, f.maxSequenceNumber, f.level]);
  }
  return out;
}

describe("primary-key tables: round trips against a model", () => {
  const fields = [field(0, "id", "INT NOT NULL"), field(1, "p", "STRING NOT NULL"), field(2, "name", "STRING"), field(3, "v", "BIGINT"), field(4, "d", "DOUBLE")];

  const configurations: { label: string; opts: Record<string, string> }[] = [
    { label: "default options (compaction inline)", opts: {} },
    { label: "tiny write buffer, write-only (many level-0 files, merge on read)", opts: { "write-buffer-size": "16 kb", "write-only": "true" } },
    { label: "tiny write buffer, compaction trigger 2", opts: { "write-buffer-size": "16 kb", "num-sorted-run.compaction-trigger": "2" } },
  ];
  for (const options of configurations) {
    test(`deduplicate with deletes, partitioned, 3 buckets over bucket-key: ${options.label}`, async () => {
      const rnd = seededRandom(4242 + options.label.length);
      const { store, schema } = await makeTable({ fields, primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "3", "bucket-key": "id" } });
      const w = await writer(store, schema, options.opts);
      const model = new Map<string, Value[]>();
      let before = await filesByBucket(store);
      for (let commit = 1; commit <= 4; commit++) {
        for (let batch = 0; batch < 3; batch++) {
          // Consecutive operations of one kind go in one call, so calls keep the model's order.
          let pending: Record<string, Value>[] = [];
          let pendingKind: RowKind = RowKind.INSERT;
          for (let i = 0; i < 400; i++) {
            const id = int(rnd, 150), p = ["a", "b", "c/d"][int(rnd, 3)]!;
            const values: Value[] = [id, p, rnd() < 0.2 ? null : `n${int(rnd, 1000)}`, BigInt(int(rnd, 1e9)), rnd()];
            const kind = rnd() < 0.15 ? RowKind.DELETE : RowKind.INSERT;
            if (kind === RowKind.DELETE) model.delete(`${id}|${p}`);
            else model.set(`${id}|${p}`, values);
            if (kind !== pendingKind && pending.length > 0) {
              await w.writeRows(pendingKind, pending);
              pending = [];
            }
            pendingKind = kind;
            pending.push(record(fields, values));
          }
          await w.writeRows(pendingKind, pending);
          assert.ok(w.memoryBytes <= w.memoryBytesMax, `buffers ${w.memoryBytes} stay within write-buffer-size ${w.memoryBytesMax}`);
        }
        const result = await w.commit({ identifier: BigInt(commit) });
        assert.equal(result.alreadyCommitted, false);
        assert.ok(result.snapshotIds.length >= 1);
        assert.deepEqual(await visibleRows(store), modelRows(model.values()), `commit ${commit}`);
        // Sequence numbers: every new level-0 file of a bucket starts above everything the bucket held.
        const after = await filesByBucket(store);
        for (const [dir, files] of after) {
          const old = before.get(dir) ?? new Map();
          let oldMax = -1n;
          for (const [, [, max]] of old) if (max > oldMax) oldMax = max;
          for (const [name, [min, , level]] of files) {
            if (!old.has(name) && level === 0) assert.ok(min > oldMax, `${name} starts at ${min}, bucket max was ${oldMax}`);
          }
        }
        before = after;
      }
      assert.deepEqual(await visibleRowsArrow(store), modelRows(model.values()), "Table.read agrees");
      const snapshots = await readAllSnapshots(store);
      if (options.opts["num-sorted-run.compaction-trigger"] === "2") {
        assert.ok(snapshots.some((s) => s.commitKind === "COMPACT"), "compactions were committed");
        assert.ok((await (await Table.open(store)).files()).some((f) => f.level > 0), "files moved up");
      }
      if (options.opts["write-only"] === "true") {
        assert.ok(snapshots.every((s) => s.commitKind === "APPEND"));
        const files = await (await Table.open(store)).files();
        assert.ok(files.every((f) => f.level === 0) && files.length > 12, `many level-0 files (${files.length})`);
      }
    });
  }

  test("a new writer continues each bucket's sequence numbers; idle writers restore again", async () => {
    const { store, schema } = await makeTable({ fields, primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "2", "write-only": "true" } });
    const first = await writer(store, schema);
    await first.writeRows(RowKind.INSERT, [0, 1, 2, 3, 4, 5].map((id) => record(fields, [id, "a", "x", 1n, 1])));
    await first.commit();
    const maxBefore = new Map([...await filesByBucket(store)].map(([dir, files]) => [dir, Math.max(...[...files.values()].map(([, max]) => Number(max)))]));
    const second = await writer(store, schema);
    await second.writeRows(RowKind.INSERT, [0, 1, 2, 3, 4, 5].map((id) => record(fields, [id, "a", "y", 2n, 2])));
    await second.commit();
    for (const [dir, files] of await filesByBucket(store)) {
      const mins = [...files.values()].map(([min]) => Number(min)).sort((a, b) => a - b);
      assert.equal(mins[1], maxBefore.get(dir)! + 1, `${dir}: the second file starts right after the first`);
    }
    assert.deepEqual(await visibleRows(store), modelRows([0, 1, 2, 3, 4, 5].map((id) => [id, "a", "y", 2n, 2])));
  });

  test("partial-update: later non-null fields overwrite", async () => {
    const rnd = seededRandom(77);
    const { store, schema } = await makeTable({ fields, primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "2", "merge-engine": "partial-update", "write-buffer-size": "8 kb" } });
    const w = await writer(store, schema);
    const model = new Map<string, Value[]>();
    for (let commit = 1; commit <= 3; commit++) {
      const rows: Record<string, Value>[] = [];
      for (let i = 0; i < 300; i++) {
        const values: Value[] = [int(rnd, 60), "p", rnd() < 0.5 ? null : `n${i}`, rnd() < 0.5 ? null : BigInt(i), rnd() < 0.5 ? null : i / 2];
        rows.push(record(fields, values));
        const old = model.get(String(values[0]));
        model.set(String(values[0]), old === undefined ? values : old.map((v, c) => values[c] ?? v));
      }
      await w.writeRows(RowKind.INSERT, rows);
      await w.commit({ identifier: BigInt(commit) });
      assert.deepEqual(await visibleRows(store), modelRows(model.values()), `commit ${commit}`);
    }
  });

  test("aggregation: sums over several commits, flushes and compactions", async () => {
    const rnd = seededRandom(99);
    const { store, schema } = await makeTable({
      fields, primaryKeys: ["id", "p"], partitionKeys: ["p"],
      options: { bucket: "2", "merge-engine": "aggregation", "fields.v.aggregate-function": "sum", "fields.d.aggregate-function": "sum", "write-buffer-size": "8 kb", "num-sorted-run.compaction-trigger": "3" },
    });
    const w = await writer(store, schema);
    const model = new Map<number, Value[]>();
    for (let commit = 1; commit <= 3; commit++) {
      const rows: Record<string, Value>[] = [];
      for (let i = 0; i < 500; i++) {
        const id = int(rnd, 80), v = BigInt(int(rnd, 100)), d = int(rnd, 64) / 4, name = rnd() < 0.3 ? null : `n${i}`;
        rows.push(record(fields, [id, "q", name, v, d]));
        const old = model.get(id);
        model.set(id, old === undefined ? [id, "q", name, v, d] : [id, "q", name ?? old[2]!, (old[3] as bigint) + v, (old[4] as number) + d]);
      }
      await w.writeRows(RowKind.INSERT, rows);
      await w.commit({ identifier: BigInt(commit) });
      assert.deepEqual(await visibleRows(store), modelRows(model.values()), `commit ${commit}`);
    }
  });

  test("first-row: the first write of a key wins and is visible once compacted up", async () => {
    const rnd = seededRandom(5);
    const { store, schema } = await makeTable({ fields, primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "2", "merge-engine": "first-row" } });
    const w = await writer(store, schema);
    const model = new Map<number, Value[]>();
    for (let commit = 1; commit <= 3; commit++) {
      const rows: Record<string, Value>[] = [];
      for (let i = 0; i < 200; i++) {
        const values: Value[] = [int(rnd, 70), "z", `c${commit}`, BigInt(i), i];
        rows.push(record(fields, values));
        if (!model.has(values[0] as number)) model.set(values[0] as number, values);
      }
      await w.writeRows(RowKind.INSERT, rows);
      await w.commit({ identifier: BigInt(commit) });
      assert.deepEqual(await visibleRows(store), modelRows(model.values()), `commit ${commit}`);
    }
    assert.ok((await (await Table.open(store)).files()).every((f) => f.level > 0), "no level-0 file is left (they are invisible to first-row reads)");
  });
});

describe("commits", () => {
  const fields = [field(0, "k", "BIGINT NOT NULL"), field(1, "v", "STRING")];

  test("exactly-once: the same commit user and identifier twice is a no-op, also from a new writer", async () => {
    const { store, schema } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1" } });
    const a = await writer(store, schema, {}, "job-1");
    await a.writeRows(RowKind.INSERT, [{ k: 1n, v: "a" }]);
    const first = await a.commit({ identifier: 7n });
    assert.deepEqual(first.snapshotIds, [1n]);
    assert.deepEqual((await a.commit({ identifier: 7n })).alreadyCommitted, true);
    const b = await writer(store, schema, {}, "job-1");
    await b.writeRows(RowKind.INSERT, [{ k: 2n, v: "b" }]);
    const again = await b.commit({ identifier: 7n });
    assert.equal(again.alreadyCommitted, true);
    assert.deepEqual(again.snapshotIds, []);
    assert.equal((await readAllSnapshots(store)).length, 1);
    // As Java's filterCommitted: what was written for identifier 7 counts as committed with it.
    await b.writeRows(RowKind.INSERT, [{ k: 3n, v: "c" }]);
    const next = await b.commit({ identifier: 8n });
    assert.deepEqual(next.snapshotIds, [2n], "a higher identifier commits the rows written since");
    assert.deepEqual(await visibleRows(store), ["1n|\"a\"", "3n|\"c\""]);
  });

  test("a batch commit happens once; streaming identifiers commit several times; empty commits write nothing", async () => {
    const { store, schema } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1" } });
    const w = await writer(store, schema);
    assert.deepEqual((await w.commit({ identifier: 1n })).snapshotIds, [], "nothing written: no snapshot");
    await w.writeRows(RowKind.INSERT, [{ k: 1n, v: "a" }]);
    const s = await w.commit();
    assert.equal((await readAllSnapshots(store)).at(-1)!.commitIdentifier, 9223372036854775807n);
    assert.deepEqual(s.snapshotIds, [1n]);
    await assert.rejects(w.commit(), /batch commit/);
  });

  test("bad rows: unknown columns, nulls in NOT NULL columns and wrong types name the column and row; nothing is written", async () => {
    const { store, schema } = await makeTable({ fields: [...fields, field(2, "n", "INT NOT NULL"), field(3, "m", "DECIMAL(5, 2)")], primaryKeys: ["k"], options: { bucket: "1" } });
    const w = await writer(store, schema);
    const good = { k: 1n, v: "a", n: 1, m: "1.25" };
    const bad = async (row: Record<string, unknown>, pattern: RegExp) => {
      await assert.rejects(w.writeRows(RowKind.INSERT, [good, good, row]), (e: Error & { code?: string }) => e.code === "invalid_argument" && pattern.test(e.message));
    };
    await bad({ ...good, extra: 1 }, /row 2 has property "extra", which is not a column/);
    await bad({ k: 2n, v: "b", m: null }, /column "n", row 2 is null \(or missing\) but the column is NOT NULL/);
    await bad({ ...good, n: 1.5 }, /column "n", row 2 expects an integer/);
    await bad({ ...good, n: "1" }, /column "n", row 2/);
    await bad({ ...good, k: 2 ** 60 }, /column "k", row 2 expects a bigint/);
    await bad({ ...good, m: 1.25 }, /column "m", row 2 .*numbers are refused/);
    await bad({ ...good, m: "1234.5" }, /column "m", row 2 .*DECIMAL\(5, 2\)/);
    assert.equal(w.memoryBytes, 0, "no row of a failed call is buffered");
    assert.deepEqual((await w.commit()).snapshotIds, [], "nothing to commit");
    await w.writeRows(RowKind.INSERT, [good, { k: 2, v: null, n: -3, m: 5n }]);
    await w.commit({ identifier: 2n });
    assert.deepEqual(await visibleRows(store), ["1n|\"a\"|1|125n", "2n|null|-3|5n"]);
  });

  test("changelog-producer input: every written record goes to changelog files of the commit", async () => {
    const { store, schema } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1", "changelog-producer": "input" } });
    const w = await writer(store, schema);
    await w.writeRows(RowKind.INSERT, [{ k: 1n, v: "a" }, { k: 2n, v: "b" }, { k: 1n, v: "c" }]);
    await w.writeRows(RowKind.DELETE, [{ k: 2n }]);
    await w.commit({ identifier: 1n });
    const [snapshot] = await readAllSnapshots(store);
    assert.equal(snapshot!.changelogRecordCount, 4n, "all four input records");
    assert.equal(snapshot!.deltaRecordCount, 2n, "the data file holds one record per key");
    assert.ok(snapshot!.changelogManifestList !== null);
    assert.ok((await store.list("")).some((e) => /bucket-0\/changelog-[0-9a-f-]{36}-\d+\.parquet$/.test(e.path)));
    assert.deepEqual(await visibleRows(store), ['1n|"c"']);
  });

  test("close without commit deletes the files flushed since the last commit, and keeps committed ones", async () => {
    const { store, schema } = await makeTable({ fields: [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")], primaryKeys: ["k"], options: { bucket: "2", "write-buffer-size": "8 kb" } });
    const w = await writer(store, schema);
    await w.writeRows(RowKind.INSERT, Array.from({ length: 200 }, (_, k) => ({ k, v: "committed" })));
    await w.commit({ identifier: 1n });
    const committed = (await store.list("")).map((e) => e.path).filter((p) => p.endsWith(".parquet")).sort();
    for (let i = 0; i < 4; i++) await w.writeRows(RowKind.INSERT, Array.from({ length: 200 }, (_, k) => ({ k, v: `later ${i}` })));
    assert.ok((await store.list("")).filter((e) => e.path.endsWith(".parquet")).length > committed.length, "the budget flushed files");
    await w.close();
    assert.deepEqual((await store.list("")).map((e) => e.path).filter((p) => p.endsWith(".parquet")).sort(), committed);
    assert.equal((await visibleRows(store)).length, 200);
    await assert.rejects(w.writeRows(RowKind.INSERT, [{ k: 1 }]), /closed/);
  });

  test("memory budget: many buckets never hold more than write-buffer-size after a write", async () => {
    const { store, schema } = await makeTable({ fields: [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")], primaryKeys: ["k"], options: { bucket: "16", "write-buffer-size": "1 mb", "write-only": "true" } });
    const w = await writer(store, schema);
    const model = new Map<number, string>();
    for (let round = 0; round < 8; round++) {
      const rows = Array.from({ length: 4000 }, (_, i) => ({ k: (round * 977 + i * 31) % 6000, v: `${round}-${"x".repeat(64)}-${i}` }));
      for (const r of rows) model.set(r.k, r.v);
      await w.writeRows(RowKind.INSERT, rows);
      assert.ok(w.memoryBytes <= w.memoryBytesMax, `${w.memoryBytes} <= ${w.memoryBytesMax}`);
    }
    await w.commit();
    const files = await (await Table.open(store)).files();
    assert.ok(files.length > 16, `budget flushes made more files than buckets (${files.length})`);
    assert.deepEqual(await visibleRows(store), modelRows([...model].map(([k, v]) => [k, v])));
  });
});

describe("append tables", () => {
  const fields = [field(0, "id", "INT"), field(1, "s", "STRING"), field(2, "t", "TIMESTAMP(3)")];

  test("unaware bucket: rows in arrival order, sequence numbers from 0 for every writer", async () => {
    const { store, schema } = await makeTable({ fields, options: { bucket: "-1" } });
    for (let run = 0; run < 2; run++) {
      const w = await writer(store, schema, { "write-buffer-size": "4 kb" });
      for (let part = 0; part < 3; part++) {
        await w.writeRows(RowKind.INSERT, Array.from({ length: 100 }, (_, i) => ({ id: run * 1000 + part * 100 + i, s: `r${i}`, t: new Date(i * 1000) })));
      }
      await w.commit();
    }
    const table = await Table.open(store);
    const ids: Value[] = [];
    for await (const row of table.rows()) ids.push(row.id!);
    assert.deepEqual([...ids].sort((a, b) => (a as number) - (b as number)), [...Array.from({ length: 300 }, (_, i) => i), ...Array.from({ length: 300 }, (_, i) => 1000 + i)]);
    const files = await table.files();
    assert.ok(files.length > 2 && files.every((f) => f.bucket === 0 && f.level === 0));
    assert.equal(Math.min(...files.map((f) => Number(f.minSequenceNumber))), 0);
    assert.equal(files.filter((f) => f.minSequenceNumber === 0n).length, 2, "each writer numbers from 0 (Java ignores previous files)");
  });

  test("bucketed with bucket-key: sequence numbers continue, -D rows are refused", async () => {
    const { store, schema } = await makeTable({ fields, options: { bucket: "2", "bucket-key": "id" } });
    for (let run = 0; run < 2; run++) {
      const w = await writer(store, schema);
      await w.writeRows(RowKind.INSERT, Array.from({ length: 50 }, (_, i) => ({ id: i, s: `run${run}`, t: null })));
      await w.commit();
    }
    const files = await (await Table.open(store)).files();
    for (const bucket of [0, 1]) {
      const mine = files.filter((f) => f.bucket === bucket).sort((a, b) => Number(a.minSequenceNumber - b.minSequenceNumber));
      assert.equal(mine.length, 2);
      assert.equal(mine[1]!.minSequenceNumber, mine[0]!.maxSequenceNumber + 1n);
    }
    assert.equal((await visibleRows(store)).length, 100);
    const w = await writer(store, schema);
    await assert.rejects(w.writeRows(RowKind.DELETE, [{ id: 1 }]), /Append only writer can not accept row with RowKind -D/);
  });
});
