// Goal (Chromium only): the browser entry's catalog.sql opens the `idb://` warehouses of CREATE
// CATALOG statements (what the Node and Deno entries do for directories), and refuses an
// `s3://` one (SQL carries no credentials) with an error naming it.
// Method: two fresh IndexedDB databases; the second is opened again directly and must hold
// what the SQL session wrote there.
import { assert, test } from "../harness.ts";
import { isLakeError } from "../../src/errors.ts";
import { openCatalog } from "../../src/browser.ts";

const PARQUET_WASM = await WebAssembly.compileStreaming(fetch("/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm"));

test("catalog.sql: CREATE CATALOG opens an idb:// warehouse; s3:// is refused naming it", async () => {
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const main = openCatalog({ warehouse: `idb://sql-main-${suffix}`, parquetWasm: PARQUET_WASM });
  const results = await main.sql(`CREATE CATALOG other WITH ('type' = 'paimon', 'warehouse' = 'idb://sql-other-${suffix}');
USE CATALOG other;
CREATE DATABASE d;
CREATE TABLE d.t (id INT PRIMARY KEY NOT ENFORCED, v STRING) WITH ('bucket' = '1');
INSERT INTO d.t VALUES (1, 'x'), (2, 'y')`);
  assert.deepEqual(results.map((r) => r.kind), ["ok", "ok", "ok", "ok", "insert"]);
  const other = openCatalog({ warehouse: `idb://sql-other-${suffix}` });
  assert.deepEqual(await other.listTables("d"), ["t"]);
  const rows: string[] = [];
  for await (const r of (await other.getTable("d.t")).rows()) rows.push(`${r["id"]}:${r["v"]}`);
  assert.deepEqual(rows.sort(), ["1:x", "2:y"]);
  assert.deepEqual(await main.listDatabases(), [], "nothing was written to the session's first warehouse");
  await assert.rejects(main.sql("CREATE CATALOG s WITH ('type' = 'paimon', 'warehouse' = 's3://bucket/wh')"),
    (e: unknown) => isLakeError(e) && e.code === "unsupported" && /s3:\/\/bucket\/wh/.test(e.message));
});
