// Goal: the filesystem catalog lists the databases and tables of a warehouse as Java's
// FileSystemCatalog lays them out (`<db>.db/<table>/schema/schema-N`), opens `db.table` for
// reading, and rejects bad identifiers and missing databases/tables with clear LakeErrors.
// Method: a catalog over the Java-written fixture warehouse (test/fixtures/paimon/java-tables)
// through the universal entry with a NodeFsStore and through the Node entry with a path and a
// file:// URL; edge cases on a MemoryStore warehouse built in the test.
import { fileURLToPath, pathToFileURL } from "node:url";
import { assert, test } from "../../harness.ts";
import { Catalog, openCatalog, parseTableIdentifier } from "../../../src/api/catalog.ts";
import { LakeError } from "../../../src/errors.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { openCatalog as openNodeCatalog } from "../../../src/node.ts";

const WAREHOUSE = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const DATABASES = ["append_complex_data", "append_table_with_alter_table", "paimon-0.5", "pk_09",
  "pk_table_scan_and_read_first_row", "pk_table_scan_and_read_mor"];

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof LakeError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test("listDatabases and listTables over the fixture warehouse", async () => {
  const catalog = openCatalog({ warehouse: new NodeFsStore(WAREHOUSE) });
  assert.deepEqual(await catalog.listDatabases(), DATABASES);
  assert.deepEqual(await catalog.listTables("pk_09"), ["pk_09"]);
  assert.deepEqual(await catalog.listTables("paimon-0.5"), ["many_pk_table"]);
  assert.deepEqual(await catalog.listTables("append_table_with_alter_table"), ["append_table_with_alter_table"]);
});

test("getTable(\"db.table\") opens and reads the table (rows as the README says)", async () => {
  const catalog = openCatalog({ warehouse: new NodeFsStore(WAREHOUSE) });
  const table = await catalog.getTable("pk_table_scan_and_read_mor.pk_table_scan_and_read_mor");
  assert.equal(table.name, "pk_table_scan_and_read_mor.pk_table_scan_and_read_mor");
  assert.deepEqual(table.schema.primaryKeys, ["f0", "f1", "f2"]);
  const arrow = await table.read({ snapshotId: 1 });
  assert.equal(arrow.numRows, 9); // README: the first commit writes 9 rows
  const pk09 = await catalog.getTable("pk_09.pk_09");
  const names: unknown[] = [];
  for await (const row of pk09.rows({ columns: ["f0"], filter: "f1 = 20" })) names.push(row.f0);
  assert.deepEqual(names.sort(), ["Lucy", "Paul"]);
});

test("the Node entry takes a warehouse path or file:// URL", async () => {
  for (const warehouse of [WAREHOUSE, pathToFileURL(WAREHOUSE), pathToFileURL(WAREHOUSE).href]) {
    const catalog = openNodeCatalog({ warehouse });
    assert.ok(catalog instanceof Catalog);
    assert.deepEqual(await catalog.listDatabases(), DATABASES);
    assert.equal((await (await catalog.getTable("pk_09.pk_09")).snapshots()).length, 8);
  }
});

test("bad identifiers are invalid_argument naming the identifier or the offending part", async () => {
  const cases: [string, string][] = [
    ["", '""'], ["nodot", '"nodot"'], [".table", '".table"'], ["db.", '"db."'],
    ["a/b.t", '"a/b"'], ["db.t/x", '"t/x"'], [" db.t", '" db"'], ["db.t ", '"t "'],
  ];
  for (const [bad, named] of cases) {
    assert.throws(() => parseTableIdentifier(bad), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument" && e.message.includes(named), bad);
    await rejectsWith(openCatalog({ warehouse: new MemoryStore() }).getTable(bad), "invalid_argument", /^catalog: /);
  }
  assert.deepEqual(parseTableIdentifier("db.t"), { database: "db", table: "t" });
  // A database whose name holds a dot cannot be named as "db.table" (Java's Identifier.fromString
  // rejects three parts too); it must not open some other table.
  await assert.rejects(openCatalog({ warehouse: new NodeFsStore(WAREHOUSE) }).getTable("paimon-0.5.many_pk_table"), LakeError);
});

test("missing database or table: not_found naming it", async () => {
  const catalog = openCatalog({ warehouse: new NodeFsStore(WAREHOUSE) });
  await rejectsWith(catalog.listTables("no_such_db"), "not_found", /database "no_such_db" does not exist/);
  await rejectsWith(catalog.getTable("no_such_db.t"), "not_found", /no_such_db\.t/);
  await rejectsWith(catalog.getTable("pk_09.no_such_table"), "not_found", /pk_09\.no_such_table is not a Paimon table/);
});

test("a MemoryStore warehouse: only <name>.db directories are databases, only dirs with schema files are tables", async () => {
  const store = new MemoryStore();
  const put = (path: string) => store.put(path, new TextEncoder().encode("x"));
  await put("sales.db/orders/schema/schema-0");
  await put("sales.db/orders/snapshot/snapshot-1");
  await put("sales.db/scratch/data.txt"); // not a table: no schema/
  await put("sales.db/deep/x/schema/schema-0"); // not a table directly under the database
  await put("notadb/t/schema/schema-0");
  await put(".db/t/schema/schema-0"); // empty database name
  await put("empty.db/README");
  const catalog = openCatalog({ warehouse: store });
  assert.deepEqual(await catalog.listDatabases(), ["empty", "sales"]);
  assert.deepEqual(await catalog.listTables("sales"), ["orders"]);
  assert.deepEqual(await catalog.listTables("empty"), []);
  await rejectsWith(catalog.listTables("notadb"), "not_found", /"notadb"/);
  assert.deepEqual(await openCatalog({ warehouse: new MemoryStore() }).listDatabases(), []);
});
