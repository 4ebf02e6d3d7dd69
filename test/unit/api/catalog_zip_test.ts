// Goal: Catalog.importTable / exportTable in-thread: every Java fixture table imports into a
// fresh database (created on the way), reads the same rows and snapshots as the fixture, and
// exports back to exactly the fixture's files (same paths, same bytes); imports over an existing
// table or from a damaged archive leave the warehouse as it was.
// Method: fixtures read through NodeFsStore (HTTP-backed and read-only in Chromium), catalogs
// over MemoryStore; file sets compared path by path and byte by byte.
import { fileURLToPath } from "node:url";
import { assert, test } from "../../harness.ts";
import { Catalog, openTable } from "../../../src/api/catalog.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { exportStoreZip } from "../../../src/io/zip_store.ts";
import { unzipEntries } from "../../../src/util/zip.ts";
import { equalBytes } from "../../../src/util/bytes.ts";
import { isLakeError } from "../../../src/errors.ts";
import type { Table } from "../../../src/api/table.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const FIXTURES = [
  "pk_09.db/pk_09", "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row",
  "append_table_with_alter_table.db/append_table_with_alter_table",
];

async function rowsOf(table: Table): Promise<string[]> {
  const out: string[] = [];
  for await (const r of table.rows()) out.push(JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)));
  return out.sort();
}

for (const rel of FIXTURES) {
  test(`Catalog import/export of Java table ${rel}`, async () => {
    const source = new NodeFsStore(TABLES + rel);
    const zip = await exportStoreZip(source, "");
    const warehouse = new MemoryStore();
    const catalog = new Catalog(warehouse);
    const imported = await catalog.importTable("java.t", zip);
    assert.deepEqual(await catalog.listDatabases(), ["java"]);
    const original = await openTable(source);
    assert.deepEqual(await rowsOf(imported), await rowsOf(original));
    assert.deepEqual((await imported.snapshots()).map((s) => s.id), (await original.snapshots()).map((s) => s.id));
    const back = await unzipEntries(await catalog.exportTable("java.t"));
    const files = await source.list("");
    assert.deepEqual(back.map((e) => e.path), files.map((f) => f.path));
    for (const e of back) assert.ok(equalBytes(e.bytes, await source.get(e.path)), e.path);

    await assert.rejects(() => catalog.importTable("java.t", zip), (e: unknown) => isLakeError(e, "conflict"));
    const before = (await warehouse.list("")).map((e) => e.path);
    const damaged = zip.slice(0, zip.length - 30);
    await assert.rejects(() => catalog.importTable("java.t2", damaged), (e: unknown) => isLakeError(e, "corruption"));
    await assert.rejects(() => catalog.importTable("sys.t", zip), (e: unknown) => isLakeError(e, "invalid_argument"));
    assert.deepEqual((await warehouse.list("")).map((e) => e.path), before);
  });
}
