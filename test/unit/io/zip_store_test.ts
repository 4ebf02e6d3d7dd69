// Goal: ZipStore answers get/getRange/list/stat as the ObjectStore contract says and refuses
// writes; exportStoreZip -> ZipStore / importZipToStore gives back the same table (same rows,
// same snapshots) for tables written by lakestate and by Java; imports refuse archives without a
// table, with several tables, and occupied prefixes, and never overwrite or leave partial files.
// Method: differential checks against a MemoryStore holding the same objects (same answers,
// same error codes, on paths, prefixes and ranges chosen to hit edges); Java fixtures read
// through NodeFsStore (read-only, served over HTTP in Chromium); a table written here with
// TableWrite; rows compared as whole sorted lists with the source table's.
import { fileURLToPath } from "node:url";
import { assert, describe, test } from "../../harness.ts";
import { openTable } from "../../../src/api/catalog.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { prefixedStore } from "../../../src/io/prefixed_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { exportStoreZip, importZipToStore, openZipTableStore, ZipStore } from "../../../src/io/zip_store.ts";
import { isLakeError } from "../../../src/errors.ts";
import { equalBytes, utf8Encode } from "../../../src/util/bytes.ts";
import { unzipEntries, zipEntries } from "../../../src/util/zip.ts";
import type { Table } from "../../../src/api/table.ts";
import { randomBytes, rejectsWith } from "../../contract/store_contract.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const JAVA = ["pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", "append_complex_data.db/append_complex_data", "paimon-0.5.db/many_pk_table"];

async function sortedRows(table: Table, snapshotId?: bigint): Promise<string[]> {
  const out: string[] = [];
  for await (const row of table.rows(snapshotId === undefined ? {} : { snapshotId })) {
    out.push(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));
  }
  return out.sort();
}

/** Same answer (value, or error code) from both stores. */
async function same<T>(what: string, a: () => Promise<T>, b: () => Promise<T>, eq: (x: T, y: T) => boolean = (x, y) => JSON.stringify(x) === JSON.stringify(y)): Promise<void> {
  const settle = async (f: () => Promise<T>) => { try { return { ok: true as const, value: await f() }; } catch (e) { return { ok: false as const, code: isLakeError(e) ? e.code : String(e) }; } };
  const [x, y] = await Promise.all([settle(a), settle(b)]);
  assert.equal(x.ok, y.ok, `${what}: ${JSON.stringify(x.ok ? "value" : x.code)} vs ${JSON.stringify(y.ok ? "value" : y.code)}`);
  if (x.ok && y.ok) assert.ok(eq(x.value, y.value), `${what}: values differ`);
  else if (!x.ok && !y.ok) assert.equal(x.code, y.code, what);
}

async function memoryOf(objects: Record<string, Uint8Array>): Promise<MemoryStore> {
  const m = new MemoryStore();
  for (const [p, b] of Object.entries(objects)) await m.put(p, b);
  return m;
}

describe("ZipStore", () => {
  test("answers get, getRange, stat and list as a MemoryStore with the same objects", async () => {
    const objects: Record<string, Uint8Array> = {
      "a": randomBytes(100, 1), "ab": new Uint8Array(0), "dir/x.bin": randomBytes(5000, 2), "dir/y/z": utf8Encode("z"),
      "snapshot/snapshot-1": utf8Encode("{}"), "snapshot/snapshot-10": utf8Encode("{1}"), "ü/✓": utf8Encode("unicode"),
    };
    const mem = await memoryOf(objects);
    const zip = await ZipStore.open(await exportStoreZip(mem, ""));
    const bytesEq = (x: Uint8Array, y: Uint8Array) => equalBytes(x, y);
    for (const path of [...Object.keys(objects), "dir", "missing", "dir/", "/a", "a/../b", ""]) {
      await same(`get ${path}`, () => zip.get(path), () => mem.get(path), bytesEq);
      await same(`stat ${path}`, () => zip.stat(path).then((s) => s?.sizeBytes ?? null), () => mem.stat(path).then((s) => s?.sizeBytes ?? null));
    }
    for (const [offset, lengthBytes] of [[0, 0], [0, 100], [99, 1], [100, 0], [100, 1], [50, 60], [-1, 2], [1.5, 2]]) {
      await same(`range a ${offset}+${lengthBytes}`, () => zip.getRange("a", { offset: offset!, lengthBytes: lengthBytes! }), () => mem.getRange("a", { offset: offset!, lengthBytes: lengthBytes! }), bytesEq);
    }
    await same("range missing", () => zip.getRange("nope", { offset: 0, lengthBytes: 0 }), () => mem.getRange("nope", { offset: 0, lengthBytes: 0 }), bytesEq);
    for (const prefix of ["", "a", "d", "dir/", "dir/y", "snapshot/snapshot-1", "ü", "zzz", "/x", "a//"]) {
      await same(`list ${prefix}`, () => zip.list(prefix), () => mem.list(prefix));
    }
    const got = await zip.get("a");
    got[0]! ^= 0xff;
    assert.ok(equalBytes(await zip.get("a"), objects.a!), "returned bytes are the caller's copy");
  });

  test("every write is LakeError(unsupported), naming the store as read-only", async () => {
    const zip = await ZipStore.open(zipEntries([{ path: "f", bytes: utf8Encode("x") }]));
    await rejectsWith(() => zip.put("g", new Uint8Array(1)), "unsupported", "zip store: read-only");
    await rejectsWith(() => zip.putIfAbsent("g", new Uint8Array(1)), "unsupported", "zip store: read-only");
    await rejectsWith(() => zip.delete("f"), "unsupported", "zip store: read-only");
    await rejectsWith(() => zip.makeDirectory("d"), "unsupported", "zip store: read-only");
    assert.ok(equalBytes(await zip.get("f"), utf8Encode("x")));
  });

  test("root option and archive clutter; a file that is also a directory is corruption", async () => {
    const zip = zipEntries([
      { path: "top/orders/a", bytes: utf8Encode("1") }, { path: "top/other", bytes: utf8Encode("2") },
      { path: "__MACOSX/top/orders/._a", bytes: utf8Encode("junk") }, { path: "top/orders/.DS_Store", bytes: utf8Encode("junk") },
    ]);
    const store = await ZipStore.open(zip, { root: "top/orders/" });
    assert.deepEqual(await store.list(""), [{ path: "a", sizeBytes: 1 }]);
    await rejectsWith(() => ZipStore.open(zipEntries([{ path: "a", bytes: new Uint8Array(1) }, { path: "a/b", bytes: new Uint8Array(1) }])), "corruption", "both a file and a directory");
  });
});

describe("export and import of tables", () => {
  for (const rel of JAVA) {
    test(`Java table ${rel}: export -> ZipStore and -> import read the same snapshots and rows`, async () => {
      const source = new NodeFsStore(TABLES + rel);
      const original = await openTable(source);
      const zip = await exportStoreZip(source, "");
      const paths = (await unzipEntries(zip)).map((e) => e.path);
      assert.deepEqual(paths, (await source.list("")).map((e) => e.path));
      const viaZip = await openTable(await ZipStore.open(zip));
      const target = new MemoryStore();
      const result = await importZipToStore(target, "db.db/t", zip);
      assert.equal(result.files, paths.length);
      const imported = await openTable(prefixedStore(target, "db.db/t"));
      const expectedSnapshots = (await original.snapshots()).map((s) => s.id);
      for (const t of [viaZip, imported]) {
        assert.deepEqual((await t.snapshots()).map((s) => s.id), expectedSnapshots);
        assert.deepEqual(await sortedRows(t), await sortedRows(original));
        assert.deepEqual(await sortedRows(t, expectedSnapshots[0]), await sortedRows(original, expectedSnapshots[0]));
        assert.deepEqual(await t.manifests(), await original.manifests());
      }
    });
  }

  test("a table written by lakestate round-trips; a single top folder is stripped", async () => {
    setFastParquetSource(parquetWasmBytes());
    const warehouse = new MemoryStore();
    const { Catalog } = await import("../../../src/api/catalog.ts");
    const catalog = new Catalog(warehouse);
    await catalog.createDatabase("db");
    const table = await catalog.createTable("db.orders", {
      columns: [{ name: "id", type: "BIGINT NOT NULL" }, { name: "buyer", type: "STRING" }, { name: "amount", type: "DOUBLE" }],
      primaryKeys: ["id"], options: { bucket: "2" },
    });
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: BigInt(i), buyer: `b${i % 17}`, amount: i * 1.5 }));
    await table.write(rows.slice(0, 200));
    await table.write(rows.slice(150));
    const zip = await exportStoreZip(warehouse, "db.db/orders");
    // Re-pack under a top folder, as a directory picker or `zip -r orders` would.
    const wrapped = zipEntries((await unzipEntries(zip)).map((e) => ({ path: `orders/${e.path}`, bytes: e.bytes })));
    const target = new MemoryStore();
    await importZipToStore(target, "w.db/orders", wrapped);
    const back = await openTable(prefixedStore(target, "w.db/orders"));
    assert.deepEqual(await sortedRows(back), await sortedRows(table));
    assert.equal((await sortedRows(back)).length, 300);
    const viaZip = await openTable(await ZipStore.open(zip));
    assert.deepEqual(await sortedRows(viaZip), await sortedRows(table));
    assert.deepEqual(await sortedRows(viaZip, 1n), await sortedRows(table, 1n));
    assert.equal((await sortedRows(viaZip, 1n)).length, 200);
    assert.deepEqual(await viaZip.files(), await table.files());
    const wrappedStore = await openZipTableStore(wrapped);
    assert.deepEqual(await sortedRows(await openTable(wrappedStore)), await sortedRows(table));
  });

  test("imports refuse archives without a table, with two tables, and occupied prefixes", async () => {
    const target = new MemoryStore();
    await rejectsWith(() => importZipToStore(target, "x", zipEntries([{ path: "readme.txt", bytes: utf8Encode("hi") }])), "invalid_argument", "holds no Paimon table");
    const two = zipEntries([{ path: "a/schema/schema-0", bytes: utf8Encode("{}") }, { path: "b/schema/schema-0", bytes: utf8Encode("{}") }]);
    await rejectsWith(() => importZipToStore(target, "x", two), "invalid_argument", "several tables");
    const table = zipEntries([{ path: "schema/schema-0", bytes: utf8Encode("{}") }, { path: "snapshot/LATEST", bytes: utf8Encode("1") }]);
    await target.put("x/keep", utf8Encode("mine"));
    await rejectsWith(() => importZipToStore(target, "x", table), "invalid_argument", "already holds 1 file");
    assert.deepEqual((await target.list("")).map((e) => e.path), ["x/keep"]);
    await rejectsWith(() => importZipToStore(target, "y", new Uint8Array(10)), "corruption", "zip:");
  });

  test("writes snapshot files, then hints, last; a failure removes what was written", async () => {
    const order: string[] = [];
    const inner = new MemoryStore();
    let failAt = -1;
    const spy: ObjectStore = Object.assign(Object.create(inner) as ObjectStore, {
      putIfAbsent: async (path: string, bytes: Uint8Array) => {
        if (order.length === failAt) throw new Error("disk full");
        order.push(path);
        return inner.putIfAbsent(path, bytes);
      },
      list: (p: string) => inner.list(p), delete: (p: string) => inner.delete(p),
    });
    const entries = ["snapshot/LATEST", "snapshot/snapshot-10", "manifest/m-1", "snapshot/EARLIEST", "schema/schema-0", "snapshot/snapshot-9", "bucket-0/d.parquet"]
      .map((path) => ({ path, bytes: utf8Encode(path) }));
    await importZipToStore(spy, "t", entries);
    assert.deepEqual(order, ["t/bucket-0/d.parquet", "t/manifest/m-1", "t/schema/schema-0", "t/snapshot/snapshot-9", "t/snapshot/snapshot-10", "t/snapshot/EARLIEST", "t/snapshot/LATEST"]);
    order.length = 0;
    failAt = 4;
    await assert.rejects(() => importZipToStore(spy, "u", entries), /disk full/);
    assert.deepEqual((await inner.list("u/")).map((e) => e.path), []);
  });
});
