// Goal: the append-table path of table/delete_where.ts and its validation and conflict checks:
// only files holding a match are rewritten (untouched files keep their names, files whose rows
// all match disappear, mixed files are rewritten keeping row order and their place in the
// bucket's sequence), partitioned, multi-bucket and unaware-bucket; filters naming unknown
// columns fail before anything is written; a retraction the writer drops as a replay fails
// instead of reporting rows deleted; a compaction that removed a file between a DELETE's scan and
// its commit makes it fail with a conflict naming the file, and the table stays as it was.
// Method: seeded random rows and filters against a model (delete_where_helpers.ts); every live
// file's rows read in file order before and after; store wrappers count writes and run the rival
// compaction at the DELETE's first write.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { Table } from "../../../src/api/table.ts";
import { CommitConflictError, LakeError } from "../../../src/errors.ts";
import { FaultStore } from "../../../src/io/fault_store.ts";
import type { Value } from "../../../src/spec/values.ts";
import { equal, isNull, predicateColumns, type Predicate } from "../../../src/table/predicate.ts";
import { latestSnapshot } from "../../../src/table/snapshot_manager.ts";
import { randomPredicate } from "./predicate_random.ts";
import { makeTable, modelRows, visibleRows, type TableDef } from "./write/table_writer_helpers.ts";
import {
  checkTimeTravel, fieldsOf, filesWithRows, int, latestId, matcher, randomRow, showRow, text, WatchStore, writeRows,
} from "./delete_where_helpers.ts";

describe("deleteWhere on append tables: file rewrites", () => {
  test("random filters: untouched files keep their names, fully matched files go, mixed files are rewritten in order", async () => {
    const fields = fieldsOf(true);
    let rewrites = 0, drops = 0, untouched = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const rnd = seededRandom(seed * 13);
      const partitioned = seed % 2 === 1;
      const { store } = await makeTable({ fields, partitionKeys: partitioned ? ["a"] : [], options: { bucket: seed % 4 === 0 ? "-1" : "2", ...(seed % 4 === 0 ? {} : { "bucket-key": "k" }) } });
      const table = await Table.open(store);
      let model: Value[][] = [];
      const history = new Map<bigint, string[]>();
      for (let round = 0; round < 3; round++) {
        for (let w = 0; w < 3; w++) {
          const rows = Array.from({ length: 6 + int(rnd, 10) }, () => randomRow(rnd, int(rnd, 40), true));
          model.push(...rows);
          for (const id of await writeRows(table, rows)) history.set(id, modelRows(model));
        }
        const filter = randomPredicate(rnd, 2, ["a", "s", "d", "n"]);
        const matches = matcher(fields, filter);
        const before = await filesWithRows(store);
        const result = await table.deleteWhere(filter);
        const after = await filesWithRows(store);
        const what = `seed ${seed} round ${round} ${text(filter)}`;
        let deleted = 0;
        const added = new Map([...after].filter(([name]) => !before.has(name)));
        for (const [name, file] of before) {
          const kept = file.rows.filter((r) => !matches(r));
          deleted += file.rows.length - kept.length;
          if (kept.length === file.rows.length) {
            assert.ok(after.has(name), `${what}: ${name} has no match and stays`);
            untouched++;
            continue;
          }
          assert.ok(!after.has(name), `${what}: ${name} holds matches and goes`);
          if (kept.length === 0) {
            drops++; // no replacement: every new file is claimed below, none is left over
            continue;
          }
          // Unaware-bucket writers number from 0 each, so several files may share a first
          // sequence number: the replacement is the new file of the bucket with the same first
          // sequence number holding exactly the kept rows in their order.
          const want = kept.map(showRow).join("\n");
          const replacement = [...added].find(([, f]) => f.where === file.where && f.minSeq === file.minSeq && f.rows.map(showRow).join("\n") === want);
          assert.ok(replacement !== undefined, `${what}: ${name} is rewritten with its other rows in order`);
          added.delete(replacement[0]);
          rewrites++;
        }
        assert.equal(added.size, 0, `${what}: no other new file`);
        assert.equal(result.deletedRowCount, deleted);
        const partitionOnly = partitioned && predicateColumns(filter).every((c) => c === "a");
        assert.equal(result.method, deleted === 0 ? "none" : partitionOnly ? "files" : "rewrite");
        if (partitionOnly) assert.equal(added.size, 0, `${what}: partition drops write no file`);
        model = model.filter((r) => !matches(r));
        assert.deepEqual(await visibleRows(store), modelRows(model), what);
        if (deleted > 0) {
          assert.equal((await latestSnapshot(store))!.commitKind, "OVERWRITE");
          history.set(result.snapshotIds[0]!, modelRows(model));
        }
      }
      await checkTimeTravel(store, history);
    }
    assert.ok(rewrites > 0 && drops > 0 && untouched > 0, `every kind of file met (rewritten ${rewrites}, dropped ${drops}, untouched ${untouched})`);
  });

  test("a rewrite keeps the file's place in the bucket's sequence; later writes number after every live row", async () => {
    const fields = fieldsOf(true);
    const { store, table } = await makeTable({ fields, options: { bucket: "1" } });
    const rows: Value[][] = [[1, 0, "a", 1, 1n], [2, 0, "b", 2, 2n], [3, 0, "c", 3, 3n]];
    await writeRows(table, rows);
    await table.deleteWhere("k = 2");
    await writeRows(table, [[4, 0, "d", 4, 4n]]);
    const files = [...(await filesWithRows(store)).values()].sort((x, y) => Number(x.minSeq - y.minSeq));
    assert.deepEqual(files.map((f) => f.rows.map((r) => r[0])), [[1, 3], [4]]);
    assert.deepEqual([files[0]!.minSeq, files[0]!.maxSeq], [0n, 1n], "the rewritten file keeps its first sequence number");
    assert.ok(files[1]!.minSeq > files[0]!.maxSeq, "new rows are numbered after every live row of the bucket");
    assert.deepEqual(await visibleRows(store), modelRows([rows[0]!, rows[2]!, [4, 0, "d", 4, 4n]]));
  });
});

describe("deleteWhere: validation and conflicts", () => {
  test("filters naming unknown columns fail with invalid_argument before anything is written", async () => {
    for (const def of [
      { fields: fieldsOf(true), partitionKeys: ["a"] },
      { fields: fieldsOf(false), primaryKeys: ["k", "a"], partitionKeys: ["a"], options: { bucket: "1" } },
      { fields: fieldsOf(false), primaryKeys: ["k", "a"], options: { bucket: "1", "merge-engine": "first-row" } },
    ] as TableDef[]) {
      const { store, table } = await makeTable(def);
      await writeRows(table, [[1, 0, "x", 1, 1n]]);
      for (const filter of ["nope = 1", equal("nope", 1), isNull("A")] as (string | Predicate)[]) {
        const faulty = new FaultStore(store);
        await assert.rejects((await Table.open(faulty)).deleteWhere(filter), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument" && /unknown column/.test(e.message));
        assert.equal(faulty.writeCount, 0, `nothing written for ${text(filter)}`);
      }
    }
  });

  test("a retraction the writer takes for a replay (a commit user reused for batch commits) fails instead of reporting rows deleted", async () => {
    const { store, table } = await makeTable({ fields: fieldsOf(false), primaryKeys: ["k", "a"], options: { bucket: "1" } });
    await writeRows(table, [[1, 0, "x", 1, 1n], [2, 0, "y", 2, 2n]]);
    const first = await table.deleteWhere("k = 1", { commitUser: "svc" });
    assert.equal(first.method, "retract");
    await assert.rejects(table.deleteWhere("k = 2", { commitUser: "svc" }), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument" && /nothing was deleted/.test(e.message));
    assert.deepEqual(await visibleRows(store), modelRows([[2, 0, "y", 2, 2n]]));
  });

  test("an empty table deletes nothing and writes nothing", async () => {
    const { store, table } = await makeTable({ fields: fieldsOf(true) });
    assert.equal((await table.files()).length, 0);
    const faulty = new FaultStore(store);
    const result = await (await Table.open(faulty)).deleteWhere("k = 1");
    assert.deepEqual(result, { snapshotIds: [], deletedRowCount: 0, method: "none" });
    assert.equal(faulty.writeCount, 0);
  });

  const racing: { name: string; def: TableDef; filter: string; method: string }[] = [
    { name: "append rewrite", def: { fields: fieldsOf(true), options: { bucket: "1" } }, filter: "k = 3", method: "rewrite" },
    { name: "append whole-file delete", def: { fields: fieldsOf(true), partitionKeys: ["a"], options: { bucket: "1" } }, filter: "a = 0", method: "files" },
    { name: "primary-key partition drop", def: { fields: fieldsOf(false), primaryKeys: ["k", "a"], partitionKeys: ["a"], options: { bucket: "1" } }, filter: "a = 0", method: "files" },
  ];
  for (const r of racing) {
    test(`${r.name}: a compaction that removed a file after the DELETE's scan makes it fail, naming the file; nothing applied`, async () => {
      const { store, table } = await makeTable(r.def);
      for (let i = 0; i < 4; i++) await writeRows(table, [[i * 2, 0, "x", 1, 1n], [i * 2 + 1, 0, "y", 2, 2n]], { "write-only": "true" });
      const filesBefore = new Set((await table.files()).map((f) => f.filePath.slice(f.filePath.lastIndexOf("/") + 1)));
      let afterCompaction: { id: bigint; rows: string[] } | null = null;
      const watch = new WatchStore(store);
      watch.beforeFirstWrite = async () => {
        const compacted = await (await Table.open(store)).compact({ full: true });
        assert.equal(compacted.snapshotIds.length, 1, "the compaction commits");
        afterCompaction = { id: compacted.snapshotIds[0]!, rows: await visibleRows(store) };
      };
      let error: unknown = null;
      try {
        await (await Table.open(watch)).deleteWhere(r.filter);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof CommitConflictError, `conflict expected, got ${String(error)}`);
      const named = [...filesBefore].filter((name) => (error as Error).message.includes(name));
      assert.ok(named.length > 0, `the message names a removed file: ${(error as Error).message}`);
      assert.ok(afterCompaction !== null);
      const state = afterCompaction as { id: bigint; rows: string[] };
      assert.equal(await latestId(store), state.id, "no snapshot after the compaction's");
      assert.deepEqual(await visibleRows(store), state.rows, "rows as the compaction left them");
      // The same DELETE from the new snapshot succeeds.
      const retried = await (await Table.open(store)).deleteWhere(r.filter);
      assert.equal(retried.method, r.method === "rewrite" ? "rewrite" : "files");
    });
  }
});
