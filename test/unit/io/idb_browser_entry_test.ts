// Goal: the browser entry (src/browser.ts) opens IndexedDB warehouses from `idb://<name>` URLs
// (names percent-decoded), passes stores through, refuses anything else with invalid_argument,
// and its openCatalog registers parquet-wasm so a table written through it reads back (through a
// new catalog, and through openTable on the table's directory).
// Method: direct calls; the catalog round trip on real IndexedDB in Chromium, fake-indexeddb
// under Node and Deno.
import * as fakeIndexedDb from "fake-indexeddb";
import { assert, test } from "../../harness.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import { IdbStore, MemoryStore, isLakeError, openCatalog, openTable, prefixedStore, storeOf } from "../../../src/browser.ts";

if (!("indexedDB" in globalThis)) Object.assign(globalThis, { indexedDB: fakeIndexedDb.indexedDB, IDBKeyRange: fakeIndexedDb.IDBKeyRange });

test("storeOf: idb:// URLs, stores, and nothing else", () => {
  const store = storeOf("idb://my%20lake");
  assert.ok(store instanceof IdbStore);
  assert.equal(store.dbName, "my lake");
  const memory = new MemoryStore();
  assert.equal(storeOf(memory), memory);
  for (const bad of ["idb://", "/tmp/x", "file:///tmp/x", "s3://bucket/p", "IDB://x"]) {
    assert.throws(() => storeOf(bad), (error: unknown) => isLakeError(error, "invalid_argument") && (error as Error).message.includes(JSON.stringify(bad)), bad);
  }
});

test("openCatalog on idb:// writes a table that openTable and a new catalog read back", async () => {
  const dbName = `lakestate-browser-entry-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const catalog = openCatalog({ warehouse: `idb://${dbName}`, parquetWasm: parquetWasmBytes() });
  await catalog.createDatabase("db");
  const table = await catalog.createTable("db.t", { columns: [{ name: "id", type: "BIGINT NOT NULL" }, { name: "s", type: "STRING" }], primaryKeys: ["id"], options: { bucket: "1" } });
  await table.write([{ id: 2n, s: "two" }, { id: 1n, s: "one" }]);
  await table.write([{ id: 2n, s: "deux" }]);
  await catalog.warehouse.close?.();

  const again = openCatalog({ warehouse: `idb://${dbName}` });
  const rows = [];
  for await (const row of (await again.getTable("db.t")).rows()) rows.push(row);
  assert.deepEqual(rows.sort((a, b) => Number((a.id as bigint) - (b.id as bigint))), [{ id: 1n, s: "one" }, { id: 2n, s: "deux" }]);
  const direct = await openTable(prefixedStore(again.warehouse, "db.db/t"));
  assert.deepEqual((await direct.read()).toArray().map((r) => `${r.id}:${r.s}`).sort(), ["1:one", "2:deux"]);
  await again.warehouse.close?.();
});
