// Goal (Chromium only): in a real module Web Worker on real IndexedDB, the client's additions for
// the demo work end to end: SQL DDL/INSERT/SELECT through catalog.sql, $manifests, a lookup
// (get/getMany/getAll, refresh after a new commit, stats), exportTable -> importTable into a
// second IndexedDB warehouse (same rows), import of a Java-written fixture table given as
// unpacked entries (as a directory picker gives them), and a corrupt import refused with the
// imported files removed.
// Method: `new Worker(new URL("../../src/worker/engine_worker.ts", import.meta.url))` (bundled by
// the Chromium runner); fixture files fetched through the read-only fs shim (NodeFsStore over
// test/fixtures); expected rows written by hand or read from the fixture by the page's own engine.
import { assert, test } from "../harness.ts";
import { fileURLToPath } from "node:url";
import { openTable, openWorkerCatalog, isLakeError, unzipEntries } from "../../src/browser.ts";
import { NodeFsStore } from "../../src/io/fs_node_store.ts";

const PARQUET_WASM = "/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm";
const MOR = fileURLToPath(new URL("../fixtures/paimon/java-tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", import.meta.url));

test("a Web Worker on IndexedDB: sql, manifests, lookup, export/import, Java fixture import", { timeout: 120_000 }, async () => {
  const worker = new Worker(new URL("../../src/worker/engine_worker.ts", import.meta.url), { type: "module" });
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const catalog = await openWorkerCatalog(worker, { warehouse: `idb://lakestate-parity-a-${suffix}`, parquetWasm: PARQUET_WASM });
  const other = await openWorkerCatalog(worker, { warehouse: `idb://lakestate-parity-b-${suffix}`, parquetWasm: PARQUET_WASM });
  try {
    const results = await catalog.sql(`CREATE DATABASE shop;
CREATE TABLE shop.orders (id BIGINT PRIMARY KEY NOT ENFORCED, buyer STRING, amount DOUBLE) WITH ('bucket' = '2');
INSERT INTO shop.orders VALUES (1, 'ann', 10.5), (2, 'bob', 20.0), (3, 'ann', 7.25);
SELECT id, amount FROM shop.orders WHERE buyer = 'ann'`);
    const select = results[3]!;
    assert.ok(select.kind === "rows");
    assert.deepEqual([...select.rows].map((r) => [...r]).sort((a, b) => Number(a[0]) - Number(b[0])), [[1n, 10.5], [3n, 7.25]]);

    const table = await catalog.getTable("shop.orders");
    const lookup = await table.newLookup({ refreshIntervalMs: 0 });
    assert.deepEqual(await lookup.get([2n]), { id: 2n, buyer: "bob", amount: 20 });
    await table.write([{ id: 4n, buyer: "cy", amount: 4 }]);
    assert.deepEqual(await lookup.getMany([[4n], [9n]]), [{ id: 4n, buyer: "cy", amount: 4 }, null]);
    assert.equal(lookup.snapshotId, 2n);
    assert.ok((await lookup.stats()).lookups >= 3);
    await lookup.close();

    const manifests = await table.manifests();
    assert.ok(manifests.length >= 2);
    assert.equal(manifests.every((m) => m.numDeletedFiles === 0n && m.fileSize > 0n), true);

    const zip = await catalog.exportTable("shop.orders");
    const copy = await other.importTable("imported.orders", zip);
    const rows = async (t: typeof copy) => { const out: string[] = []; for await (const r of t.rows()) out.push(`${r.id}|${r.buyer}|${r.amount}`); return out.sort(); };
    assert.deepEqual(await rows(copy), ["1|ann|10.5", "2|bob|20", "3|ann|7.25", "4|cy|4"]);

    // A Java-written table, given as entries under a top folder (a picked directory).
    const fixture = new NodeFsStore(MOR);
    const entries = [];
    for (const e of await fixture.list("")) entries.push({ path: `pk_table/${e.path}`, bytes: await fixture.get(e.path) });
    const java = await other.importTable("java.mor", entries);
    const expected: string[] = [];
    for await (const r of (await openTable(fixture)).rows()) expected.push(JSON.stringify(r));
    const got: string[] = [];
    for await (const r of java.rows()) got.push(JSON.stringify(r));
    assert.deepEqual(got.sort(), expected.sort());
    assert.deepEqual((await java.snapshots()).map((s) => s.id), [1n, 2n, 3n, 4n, 5n]);

    // A corrupt table (data files missing) is refused and removed.
    const broken = (await unzipEntries(zip)).filter((e) => !e.path.startsWith("bucket-"));
    await assert.rejects(() => other.importTable("imported.broken", broken), (e: unknown) => isLakeError(e) && /imported table imported\.broken does not read/.test((e as Error).message));
    assert.deepEqual(await other.listTables("imported"), ["orders"]);
  } finally {
    await catalog.close();
    await other.close();
    worker.terminate();
  }
});
