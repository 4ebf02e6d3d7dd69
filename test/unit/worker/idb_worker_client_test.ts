// Goal: the Web Worker engine's protocol (src/worker/client.ts <-> src/worker/engine_host.ts)
// gives a page the Catalog/Table API with async methods over an IndexedDB warehouse: create,
// write (plain objects and an Arrow table, which crosses as IPC bytes), stream, compact, read
// (Arrow back from IPC) and rows, with LakeError codes surviving the boundary and a stream
// stopped by an AbortSignal on the page side.
// Method: the host served with comlink on one end of a MessageChannel and the client on the
// other, in one realm: real IndexedDB in Chromium, fake-indexeddb under Node and Deno. (A real
// Worker + IndexedDB run is test/browser/worker_e2e_test.ts.) Expected rows are written out.
import { Int32, Table as ArrowTable, Utf8, vectorFromArray } from "apache-arrow";
import * as fakeIndexedDb from "fake-indexeddb";
import { assert, test } from "../../harness.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import { exposeEngine } from "../../../src/worker/engine_host.ts";
import { openWorkerCatalog } from "../../../src/worker/client.ts";
import { isLakeError } from "../../../src/errors.ts";

// Node and Deno have no IndexedDB: install fake-indexeddb's globals; Chromium keeps its real one.
if (!("indexedDB" in globalThis)) Object.assign(globalThis, { indexedDB: fakeIndexedDb.indexedDB, IDBKeyRange: fakeIndexedDb.IDBKeyRange });

function rowTexts(table: ArrowTable, withKind = false): string[] {
  return table.toArray().map((r) => `${withKind ? `${r._ROW_KIND}|` : ""}${r.k}|${r.v}`).sort();
}

test("worker client over a MessageChannel: create, write, stream, compact, read, rows, errors", async () => {
  const { port1, port2 } = new MessageChannel();
  exposeEngine(port2);
  const dbName = `lakestate-worker-client-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const catalog = await openWorkerCatalog(port1, { warehouse: `idb://${dbName}`, parquetWasm: parquetWasmBytes() });
  const abort = new AbortController();
  try {
    await catalog.createDatabase("db");
    assert.deepEqual(await catalog.listDatabases(), ["db"]);
    const table = await catalog.createTable("db.t", {
      columns: [{ name: "k", type: "INT NOT NULL" }, { name: "v", type: "STRING" }],
      primaryKeys: ["k"],
      options: { bucket: "1" },
    });
    assert.equal(table.name, "db.t");
    assert.deepEqual(table.schema.fields.map((f) => f.name), ["k", "v"]);
    assert.deepEqual(await catalog.listTables("db"), ["t"]);

    const arrowRows = new ArrowTable({ k: vectorFromArray([1, 2], new Int32()), v: vectorFromArray(["a", "b"], new Utf8()) });
    const first = await table.write(arrowRows);
    assert.deepEqual(first.snapshotIds, [1n]);

    const stream = table.streamRead({ pollIntervalMs: 5, signal: abort.signal });
    const initial = await stream.next();
    assert.equal(initial.done, false);
    assert.equal(initial.value!.snapshotId, 1n);
    assert.deepEqual(rowTexts(initial.value!.changes, true), ["+I|1|a", "+I|2|b"]);
    const pending = stream.next();
    const second = await table.write([{ k: 1, v: "c" }, { k: 3, v: null }]);
    assert.deepEqual(second.snapshotIds, [2n]);
    const change = await pending;
    assert.equal(change.value!.snapshotId, 2n);
    assert.deepEqual(rowTexts(change.value!.changes, true), ["+I|1|c", "+I|3|null"]);

    const compacted = await table.compact({ full: true });
    assert.ok(compacted.snapshotIds.length === 1, `compaction snapshots ${compacted.snapshotIds}`);
    const snapshots = await table.snapshots();
    assert.deepEqual(snapshots.map((s) => s.commitKind), ["APPEND", "APPEND", "COMPACT"]);
    const files = await table.files();
    assert.equal(files.length, 1, "one file after a full compaction");
    assert.equal(files[0]!.recordCount, 3n);

    assert.deepEqual(rowTexts(await table.read()), ["1|c", "2|b", "3|null"]);
    const rows = [];
    for await (const row of table.rows({ filter: "k >= 2" })) rows.push(row);
    assert.deepEqual(rows.sort((a, b) => (a.k as number) - (b.k as number)), [{ k: 2, v: "b" }, { k: 3, v: null }]);

    // The stream skips the COMPACT snapshot; aborting on the page ends a pending pull.
    const waiting = stream.next();
    abort.abort();
    assert.equal((await waiting).done, true);

    // Errors keep their LakeError code across the boundary.
    await assert.rejects(catalog.getTable("db.missing"), (error: unknown) => isLakeError(error, "not_found"));
    await assert.rejects(table.write([{ k: null, v: "x" }]), (error: unknown) => isLakeError(error, "invalid_argument"));

    // A second client on the same IndexedDB database sees the committed table.
    const { port1: otherPort, port2: otherHostPort } = new MessageChannel();
    exposeEngine(otherHostPort);
    const other = await openWorkerCatalog(otherPort, { warehouse: `idb://${dbName}` });
    try {
      assert.deepEqual(rowTexts(await (await other.getTable("db.t")).read()), ["1|c", "2|b", "3|null"]);
    } finally {
      await other.close();
      otherPort.close();
      otherHostPort.close();
    }
  } finally {
    abort.abort();
    await catalog.close();
    port1.close();
    port2.close();
  }
});
