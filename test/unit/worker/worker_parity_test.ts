// Goal: the worker client offers what the in-thread API offers for issue 8's demo: catalog.sql
// (results as plain data, SQL error positions kept, CREATE CATALOG of worker warehouses),
// table.manifests, table.newLookup (get,
// getMany, getAll, getManyAll, refresh, stats, close, warnings), catalog.exportTable /
// importTable (round trip, refusals, a corrupt import removed again), and a subclass host whose
// own methods reach the catalog and table behind the page's ids (catalogOf / tableOf).
// Method: a host served with comlink on one end of a MessageChannel and the client on the other
// (one realm; Node, Deno and Chromium), a `memory://` warehouse; every answer is compared with
// the same call on an in-thread Catalog over the same store, or with rows written out by hand.
import { assert, test } from "../../harness.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import { EngineHost, exposeEngine } from "../../../src/worker/engine_host.ts";
import { openWorkerCatalog, type WorkerCatalog } from "../../../src/worker/client.ts";
import type { EngineApi } from "../../../src/worker/protocol.ts";
import { isLakeError } from "../../../src/errors.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { unzipEntries, zipEntries } from "../../../src/util/zip.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";

/** A demo-style host: one extra method using the protected accessors. */
class CountingHost extends EngineHost {
  async countRows(catalogId: number, identifier: string): Promise<number> {
    const table = await this.catalogOf(catalogId).getTable(identifier);
    return (await table.readColumns()).rowCount;
  }
  async schemaIdOf(tableId: number): Promise<bigint> {
    return this.tableOf(tableId).schema.id;
  }
}
type CountingApi = EngineApi & Pick<CountingHost, "countRows" | "schemaIdOf">;

async function rejectsCode(run: () => Promise<unknown>, code: string, needle: RegExp): Promise<unknown> {
  let caught: unknown;
  await assert.rejects(run, (e: unknown) => { caught = e; return isLakeError(e) && e.code === code && needle.test(e.message); });
  return caught;
}

async function open(name: string): Promise<WorkerCatalog<CountingApi>> {
  const { port1, port2 } = new MessageChannel();
  exposeEngine(port2, new CountingHost());
  return openWorkerCatalog<CountingApi>(port1, { warehouse: `memory://${name}`, parquetWasm: parquetWasmBytes() });
}

test("worker parity: sql, manifests, lookup, subclass host", async () => {
  setFastParquetSource(parquetWasmBytes());
  const catalog = await open(`parity-${Math.random()}`);
  try {
    const results = await catalog.sql(`CREATE DATABASE db;
CREATE TABLE db.orders (id BIGINT PRIMARY KEY NOT ENFORCED, buyer STRING, amount DOUBLE) WITH ('bucket' = '2');
INSERT INTO db.orders VALUES (1, 'ann', 10.5), (2, 'bob', 20.0), (3, 'ann', 7.25);
SELECT buyer, amount FROM db.orders WHERE id >= 2`);
    assert.deepEqual(results.map((r) => r.kind), ["ok", "ok", "insert", "rows"]);
    const select = results[3]!;
    assert.ok(select.kind === "rows");
    assert.deepEqual(select.columns.map((c) => c.name), ["buyer", "amount"]);
    assert.deepEqual([...select.rows].map((r) => [...r]).sort(), [["ann", 7.25], ["bob", 20]]);
    const sqlError = await rejectsCode(() => catalog.sql("SELECT * FROM db.nope"), "not_found", /nope/) as { line?: number; column?: number; name?: string };
    assert.equal(sqlError.line, 1);
    assert.equal(typeof sqlError.column, "number");

    const table = await catalog.getTable("db.orders");
    await table.write([{ id: 4n, buyer: "cy", amount: 1 }, { id: 1n, buyer: "ann", amount: 11 }]);
    const manifests = await table.manifests();
    assert.ok(manifests.length >= 2);
    assert.equal(manifests.reduce((n, m) => n + m.numAddedFiles, 0n) >= 3n, true);
    for (const m of manifests) {
      assert.match(m.fileName, /^manifest-/);
      assert.deepEqual([m.minPartitionStats, m.maxPartitionStats, m.schemaId], [{}, {}, 0n]);
    }
    const first = await table.manifests({ snapshotId: 1 });
    assert.ok(first.length >= 1 && first.length < manifests.length + 1);
    assert.equal(first.reduce((n, m) => n + m.numAddedFiles, 0n), 2n, "ids 1..3 fall into both buckets: one file per bucket");

    const lookup = await table.newLookup({ refreshIntervalMs: 0 });
    assert.equal(lookup.unique, true);
    assert.deepEqual(lookup.keys, ["id"]);
    assert.deepEqual(await lookup.get([1n]), { id: 1n, buyer: "ann", amount: 11 });
    assert.deepEqual(await lookup.getMany([[2n], [99n], { id: 4n }]), [{ id: 2n, buyer: "bob", amount: 20 }, null, { id: 4n, buyer: "cy", amount: 1 }]);
    assert.equal(lookup.snapshotId, 2n);
    await table.write([{ id: 5n, buyer: "dee", amount: 3 }]);
    assert.deepEqual(await lookup.get([5n]), { id: 5n, buyer: "dee", amount: 3 });
    assert.equal(lookup.snapshotId, 3n);
    const stats = await lookup.stats();
    assert.ok(stats.lookups >= 5 && stats.hits >= 4, JSON.stringify(stats, (_k, v) => (typeof v === "bigint" ? String(v) : v)));
    await lookup.close();
    await rejectsCode(() => lookup.get([1n]), "invalid_argument", /no open lookup/);

    const warnings: string[] = [];
    const byBuyer = await table.newLookup({ keys: ["buyer"], onWarning: (w) => warnings.push(w) });
    assert.equal(byBuyer.unique, false);
    assert.ok(warnings.length >= 1, "keys not covering the bucket key warn");
    const anns = await byBuyer.getAll(["ann"]);
    assert.deepEqual(anns.map((r) => r.id).sort(), [1n, 3n]);
    assert.deepEqual((await byBuyer.getManyAll([["cy"], ["zed"]])).map((rs) => rs.length), [1, 0]);
    await rejectsCode(() => byBuyer.get(["ann"]), "invalid_argument", /./);
    const refreshed = await byBuyer.refresh();
    assert.equal(refreshed.snapshotId, 3n);
    await byBuyer.close();

    assert.equal(await catalog.remote.countRows(catalog.catalogId, "db.orders"), 5);
    assert.equal(await catalog.remote.schemaIdOf(table.tableId), 0n);
    await rejectsCode(() => catalog.remote.countRows(999, "db.orders"), "invalid_argument", /no open catalog with id 999/);
  } finally {
    await catalog.close();
  }
});

test("worker parity: exportTable / importTable round trip and refusals", async () => {
  setFastParquetSource(parquetWasmBytes());
  const name = `zip-${Math.random()}`;
  const catalog = await open(name);
  try {
    await catalog.createDatabase("src");
    const table = await catalog.createTable("src.t", {
      columns: [{ name: "k", type: "INT NOT NULL" }, { name: "v", type: "STRING" }], primaryKeys: ["k"], options: { bucket: "1" },
    });
    await table.write(Array.from({ length: 50 }, (_, i) => ({ k: i, v: `v${i}` })));
    await table.write([{ k: 3, v: "three" }]);
    const zip = await catalog.exportTable("src.t");
    assert.ok((await unzipEntries(zip)).some((e) => e.path === "snapshot/snapshot-2"));

    const imported = await catalog.importTable("copy.t", zip);
    assert.equal(imported.name, "copy.t");
    assert.deepEqual(await catalog.listDatabases(), ["copy", "src"]);
    const rowsOf = async (t: typeof table) => { const out: string[] = []; for await (const r of t.rows()) out.push(`${r.k}|${r.v}`); return out.sort(); };
    assert.deepEqual(await rowsOf(imported), await rowsOf(table));
    assert.equal((await rowsOf(imported)).find((r) => r.startsWith("3|")), "3|three");
    // Unpacked entries (a picked directory with a top folder) work as well.
    const entries = (await unzipEntries(zip)).map((e) => ({ path: `t/${e.path}`, bytes: e.bytes }));
    assert.deepEqual(await rowsOf(await catalog.importTable("copy.t2", entries)), await rowsOf(table));

    await rejectsCode(() => catalog.importTable("copy.t", zip), "conflict", /already exists/);
    await rejectsCode(() => catalog.importTable("fresh.x", zipEntries([{ path: "notes.txt", bytes: utf8Encode("hi") }])), "invalid_argument", /no Paimon table/);
    assert.equal(await catalog.databaseExists("fresh"), false, "a database created for a refused import is removed");
    // A table whose snapshot names a manifest list that is not in the archive: opens, does not read.
    const broken = (await unzipEntries(zip)).filter((e) => !e.path.startsWith("manifest/"));
    await rejectsCode(() => catalog.importTable("copy.broken", broken), "not_found", /imported table copy\.broken does not read.*removed/);
    assert.equal(await catalog.tableExists("copy.broken"), false);
    assert.deepEqual(await catalog.listTables("copy"), ["t", "t2"]);
    await rejectsCode(() => catalog.exportTable("src.none"), "not_found", /does not exist/);
  } finally {
    await catalog.close();
  }
});

test("worker parity: two catalogs on one endpoint; closing one leaves the other and its tables working", async () => {
  setFastParquetSource(parquetWasmBytes());
  const { port1, port2 } = new MessageChannel();
  exposeEngine(port2);
  const a = await openWorkerCatalog(port1, { warehouse: `memory://two-a-${Math.random()}`, parquetWasm: parquetWasmBytes() });
  const b = await openWorkerCatalog(port1, { warehouse: `memory://two-b-${Math.random()}` });
  await b.createDatabase("db");
  const t = await b.createTable("db.t", { columns: [{ name: "k", type: "INT NOT NULL" }], primaryKeys: ["k"], options: { bucket: "1" } });
  await a.createDatabase("other");
  const ta = await a.createTable("other.t", { columns: [{ name: "k", type: "INT NOT NULL" }], primaryKeys: ["k"], options: { bucket: "1" } });
  await a.close();
  await a.close(); // idempotent
  await t.write([{ k: 1 }, { k: 2 }]);
  assert.equal((await t.read()).numRows, 2);
  assert.deepEqual(await b.listDatabases(), ["db"]);
  await rejectsCode(() => ta.snapshots(), "invalid_argument", /no open table/);
  await b.close();
  port1.close();
});

test("worker sql: CREATE CATALOG opens a memory:// warehouse of the worker; s3:// is refused naming it", async () => {
  setFastParquetSource(parquetWasmBytes());
  const name = `sqlcat-${Math.random()}`;
  const catalog = await open(`main-${Math.random()}`);
  try {
    const results = await catalog.sql(`CREATE CATALOG other WITH ('type' = 'paimon', 'warehouse' = 'memory://${name}');
USE CATALOG other;
CREATE DATABASE d;
CREATE TABLE d.t (id INT PRIMARY KEY NOT ENFORCED, v STRING) WITH ('bucket' = '1');
INSERT INTO d.t VALUES (1, 'x'), (2, 'y');
SELECT v FROM d.t WHERE id = 2`);
    assert.deepEqual(results.map((r) => r.kind), ["ok", "ok", "ok", "ok", "insert", "rows"]);
    const select = results[5]!;
    assert.ok(select.kind === "rows");
    assert.deepEqual([...select.rows].map((r) => [...r]), [["y"]]);
    // The same warehouse, opened again by another CREATE CATALOG, holds the table.
    const same = await catalog.sql(`CREATE CATALOG again WITH ('type' = 'paimon', 'warehouse' = 'memory://${name}');
SELECT id FROM again.d.t`);
    const rows = same[1]!;
    assert.ok(rows.kind === "rows");
    assert.deepEqual([...rows.rows].map((r) => Number(r[0])).sort(), [1, 2]);
    await rejectsCode(() => catalog.sql(`CREATE CATALOG s WITH ('type' = 'paimon', 'warehouse' = 's3://bucket/wh')`), "unsupported", /s3:\/\/bucket\/wh.*credentials/);
  } finally {
    await catalog.close();
  }
});
