// Goal (Chromium only): the engine runs inside a real module Web Worker on real IndexedDB and a
// page drives it with the Table API through comlink: create a primary-key table, write three
// batches (objects and an Arrow table), tail it with streamRead while writing, compact, then
// read (Arrow, transferred as IPC) and rows; the page's own engine (lakestate/browser on the
// same `idb://` database) then reads exactly what the worker committed, and exported files
// (every object copied out of IndexedDB) read identically from a MemoryStore here and, after the
// run, from the filesystem in Node (the runner reads what this test PUTs to /__export/).
// Method: `new Worker(new URL("../../src/worker/engine_worker.ts", import.meta.url))`, which the
// Chromium runner (tools/browser_tests.mjs) serves as its bundle; parquet-wasm fetched by the
// worker from the test server. Expected rows are written out by hand.
import { Int32, Table as ArrowTable, Utf8, vectorFromArray } from "apache-arrow";
import { assert, test } from "../harness.ts";
import { openCatalog, openTable, openWorkerCatalog, IdbStore, MemoryStore } from "../../src/browser.ts";

const PARQUET_WASM = "/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm";

function rowTexts(table: ArrowTable, withKind = false): string[] {
  return table.toArray().map((r) => `${withKind ? `${r._ROW_KIND}|` : ""}${r.id}|${r.name}|${r.score}`).sort();
}

test("a Web Worker with IndexedDB creates, writes, streams, compacts and reads a table", async () => {
  const worker = new Worker(new URL("../../src/worker/engine_worker.ts", import.meta.url), { type: "module" });
  const dbName = `lakestate-e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const catalog = await openWorkerCatalog(worker, { warehouse: `idb://${dbName}`, parquetWasm: PARQUET_WASM });
  const abort = new AbortController();
  try {
    await catalog.createDatabase("app");
    const table = await catalog.createTable("app.scores", {
      columns: [{ name: "id", type: "INT NOT NULL" }, { name: "name", type: "STRING" }, { name: "score", type: "BIGINT" }],
      primaryKeys: ["id"],
      options: { bucket: "2" },
    });

    await table.write([{ id: 1, name: "ann", score: 10n }, { id: 2, name: "bob", score: 20n }, { id: 3, name: "cy", score: 30n }]);
    const stream = table.streamRead({ pollIntervalMs: 10, signal: abort.signal });
    const first = await stream.next();
    assert.equal(first.value!.snapshotId, 1n);
    assert.deepEqual(rowTexts(first.value!.changes, true), ["+I|1|ann|10", "+I|2|bob|20", "+I|3|cy|30"]);

    const next = stream.next();
    const arrow = new ArrowTable({
      id: vectorFromArray([2, 4], new Int32()),
      name: vectorFromArray(["bob2", "dee"], new Utf8()),
      score: vectorFromArray([21n, 40n]),
    });
    await table.write(arrow);
    assert.deepEqual(rowTexts((await next).value!.changes, true), ["+I|2|bob2|21", "+I|4|dee|40"]);

    const writer = await table.newWrite();
    await writer.write([{ id: 5, name: "eve", score: 50n }]);
    await writer.delete([{ id: 1 }]);
    const third = await writer.commit();
    await writer.close();
    assert.deepEqual(third.snapshotIds, [3n]);
    assert.deepEqual(rowTexts((await stream.next()).value!.changes, true), ["+I|5|eve|50", "-D|1|null|null"]);

    const compaction = await table.compact({ full: true });
    assert.equal(compaction.snapshotIds.length, 1);
    const expected = ["2|bob2|21", "3|cy|30", "4|dee|40", "5|eve|50"];
    const read = await table.read();
    assert.equal(read.numRows, 4);
    assert.deepEqual(rowTexts(read), expected);
    const rows = [];
    for await (const row of table.rows({ columns: ["id", "score"], filter: "score > 25" })) rows.push(row);
    assert.deepEqual(rows.sort((a, b) => (a.id as number) - (b.id as number)), [{ id: 3, score: 30n }, { id: 4, score: 40n }, { id: 5, score: 50n }]);
    const files = await table.files();
    assert.ok(files.every((f) => f.level > 0), `after a full compaction every file is above level 0: ${files.map((f) => f.level)}`);
    assert.deepEqual((await table.snapshots()).map((s) => s.commitKind), ["APPEND", "APPEND", "APPEND", "COMPACT"]);

    const waiting = stream.next();
    abort.abort();
    assert.equal((await waiting).done, true);

    // The page's own engine reads the same IndexedDB database (IndexedDB is shared per origin).
    const pageCatalog = openCatalog({ warehouse: `idb://${dbName}` });
    assert.deepEqual(rowTexts(await (await pageCatalog.getTable("app.scores")).read()), expected);
    await pageCatalog.warehouse.close?.();

    // Export: copy every object out of IndexedDB; the copy reads identically elsewhere.
    const source = new IdbStore({ dbName });
    const copy = new MemoryStore();
    const objects = await source.list("app.db/scores/");
    assert.ok(objects.some((o) => o.path.endsWith(".parquet")) && objects.some((o) => o.path.includes("snapshot/snapshot-4")));
    for (const o of objects) {
      const bytes = await source.get(o.path);
      await copy.put(o.path.slice("app.db/scores/".length), bytes);
      // The runner reads these files with lakestate/node after the run (tools/browser_tests.mjs).
      const put = await fetch(`/__export/worker-e2e/files/${o.path.split("/").map(encodeURIComponent).join("/")}`, { method: "PUT", body: bytes });
      assert.equal(put.status, 201, `export of ${o.path}`);
    }
    await source.close();
    assert.deepEqual(rowTexts(await (await openTable(copy)).read()), expected);
    const manifest = { table: "app.db/scores", columns: ["id", "name", "score"], rows: expected };
    assert.equal((await fetch("/__export/worker-e2e/expected.json", { method: "PUT", body: JSON.stringify(manifest) })).status, 201);
  } finally {
    abort.abort();
    await catalog.close().catch(() => undefined);
    worker.terminate();
  }
});
