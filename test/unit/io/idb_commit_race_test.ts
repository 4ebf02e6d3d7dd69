// Goal (issue 7 must-hold): two writers racing to commit snapshots of one table on IndexedDB
// never lose or overwrite a snapshot: every commit lands under its own snapshot id (the loser of
// a putIfAbsent race retries on the next id), and the table then holds every row written.
// Method: two IdbStore connections to one database (as two tabs or workers would have), each
// with its own Catalog; two writers commit 6 batches each concurrently, with distinct keys.
// Checked: snapshot ids 1..n are contiguous, each writer's commit identifiers all appear once,
// and a fresh reader sees all 24 rows with the values written. Real IndexedDB in Chromium,
// fake-indexeddb under Node and Deno.
import * as fakeIndexedDb from "fake-indexeddb";
import { assert, test } from "../../harness.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import { Catalog } from "../../../src/api/catalog.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { IdbStore } from "../../../src/io/idb_store.ts";

// Node and Deno have no IndexedDB: install fake-indexeddb's globals; Chromium keeps its real one.
if (!("indexedDB" in globalThis)) Object.assign(globalThis, { indexedDB: fakeIndexedDb.indexedDB, IDBKeyRange: fakeIndexedDb.IDBKeyRange });

test("two connections commit concurrently to one IndexedDB table: no snapshot lost or overwritten", async () => {
  setFastParquetSource(parquetWasmBytes);
  const dbName = `lakestate-idb-race-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const storeA = new IdbStore({ dbName }), storeB = new IdbStore({ dbName });
  try {
    const catalogA = new Catalog(storeA), catalogB = new Catalog(storeB);
    await catalogA.createDatabase("db");
    await catalogA.createTable("db.t", {
      columns: [{ name: "k", type: "INT NOT NULL" }, { name: "w", type: "STRING" }],
      primaryKeys: ["k"],
      options: { bucket: "1", "write-only": "true" },
    });
    const tableA = await catalogA.getTable("db.t"), tableB = await catalogB.getTable("db.t");
    const writerA = tableA.newWrite({ commitUser: "writer-a" }), writerB = tableB.newWrite({ commitUser: "writer-b" });
    const BATCHES = 6;
    const run = async (writer: typeof writerA, name: string, base: number) => {
      const ids: bigint[] = [];
      for (let i = 0; i < BATCHES; i++) {
        await writer.write([{ k: base + 2 * i, w: name }, { k: base + 2 * i + 1, w: name }]);
        const result = await writer.commit({ identifier: BigInt(i + 1) });
        assert.equal(result.alreadyCommitted, false);
        ids.push(...result.snapshotIds);
      }
      return ids;
    };
    const [idsA, idsB] = await Promise.all([run(writerA, "a", 0), run(writerB, "b", 100)]);
    await writerA.close();
    await writerB.close();

    const all = [...idsA, ...idsB].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.deepEqual(all, Array.from({ length: 2 * BATCHES }, (_, i) => BigInt(i + 1)), "each commit got its own id, none lost");
    const snapshots = await tableA.snapshots();
    assert.deepEqual(snapshots.map((s) => s.id), all);
    for (const user of ["writer-a", "writer-b"]) {
      const identifiers = snapshots.filter((s) => s.commitUser === user).map((s) => s.commitIdentifier).sort((x, y) => (x < y ? -1 : 1));
      assert.deepEqual(identifiers, Array.from({ length: BATCHES }, (_, i) => BigInt(i + 1)), `${user}: every batch committed once`);
    }

    const reader = await new Catalog(new IdbStore({ dbName })).getTable("db.t");
    const rows: string[] = [];
    for await (const row of reader.rows()) rows.push(`${row.k}:${row.w}`);
    const expected = [...Array.from({ length: 2 * BATCHES }, (_, i) => `${i}:a`), ...Array.from({ length: 2 * BATCHES }, (_, i) => `${100 + i}:b`)];
    assert.deepEqual(rows.sort(), expected.sort());
    await reader.store.close?.();
  } finally {
    await storeA.close();
    await storeB.close();
  }
});
