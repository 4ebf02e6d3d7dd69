// Goal: SQL scripts run end to end on real storage (a MemoryStore warehouse and a directory on
// disk): the two CREATE TABLE statements of docs/use-cases.md verbatim (the first creates the
// table with the document's schema, keys and options; the second, as published, fails with the
// error the document requires, at the option's line and column, and creates nothing), and a
// script that creates a table, inserts, selects, deletes, alters and selects again gives exactly
// the expected rows, with the schema and snapshots the statements imply.
// Method: executeSql over SqlSessions whose catalogs are the filesystem Catalog of api/catalog.ts;
// results compared with rows and schemas written out by hand; the disk layout checked with
// node:fs (Java's `<db>.db/<table>/schema/schema-N`). The use-case statements are copied byte for
// byte from shared/docs/use-cases.md.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, describe, test } from "../../../harness.ts";
import { Catalog } from "../../../../src/api/catalog.ts";
import { executeSql, localWarehousePath, type SqlResult, SqlSession, SqlStatementError } from "../../../../src/api/sql/execute.ts";
import { setFastParquetSource } from "../../../../src/format/data/parquet_arrow_reader.ts";
import { NodeFsStore } from "../../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../../src/io/store.ts";
import { describeType } from "../../../../src/spec/data_types.ts";
import { OPTION_SUPPORT } from "../../../../src/spec/option_support.ts";
import type { Row } from "../../../../src/spec/values.ts";

setFastParquetSource(async () => new Uint8Array(await readFile(new URL("../../../../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm", import.meta.url))));

const USE_CASE_1 = [
  "CREATE TABLE `paimon-catalog`.`paimon-db`.test_dws_pay_refund (",
  "    test_buyer_id VARCHAR,",
  "    test_seller_id VARCHAR,",
  "    test_order_dict VARCHAR, -- \"${order_id}:${pay_timestamp}_${is_refund_flag}\" entries",
  "    PRIMARY KEY (test_buyer_id, test_seller_id) NOT ENFORCED",
  ") WITH (",
  "    'merge-engine' = 'deduplicate',",
  "    'changelog-producer' = 'none',",
  "    'bucket' = '1000',",
  "    'bucket-key' = 'test_buyer_id,test_seller_id',",
  "    'delete-file.thread-num' = '32'",
  ");",
].join("\n");
const USE_CASE_2 = [
  "CREATE TABLE `paimon-catalog`.`paimon-db`.`test_dws_pay_cate1_result` (",
  "    `test_buyer_id` BIGINT NOT NULL,",
  "    `test_cate1_id` STRING NOT NULL,",
  "    `ds` STRING NOT NULL,",
  "    `test_order_cnt` BIGINT,",
  "    `test_gmv` DOUBLE,",
  "    PRIMARY KEY (test_buyer_id, test_cate1_id, ds) NOT ENFORCED",
  ") WITH (",
  "    'bucket' = '40',",
  "    'bucket-key' = 'test_buyer_id',",
  "    'changelog-producer' = 'lookup',",
  "    'fields.test_order_cnt.aggregate-function' = 'sum',",
  "    'fields.test_gmv.aggregate-function' = 'sum',",
  "    'merge-engine' = 'aggregation',",
  "    'partition.expiration-time' = '7d',",
  "    'partition.timestamp-formatter' = 'yyyyMMdd',",
  "    'partition.timestamp-pattern' = '$ds'",
  ");",
].join("\n");

/** A warehouse kind: how to open a store for a warehouse text, and how to clean up. */
interface Warehouses {
  readonly name: string;
  /** Store of the warehouse named `warehouse` (a CREATE CATALOG 'warehouse' value). */
  open(warehouse: string): ObjectStore;
  /** The warehouse text to write in CREATE CATALOG for a warehouse called `name`. */
  url(name: string): string;
}

function memoryWarehouses(): Warehouses {
  const stores = new Map<string, MemoryStore>();
  return {
    name: "memory store",
    open: (w) => {
      let s = stores.get(w);
      if (s === undefined) stores.set(w, s = new MemoryStore());
      return s;
    },
    url: (name) => `mem-${name}`,
  };
}

async function diskWarehouses(): Promise<Warehouses & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), "lakestate-sql-"));
  return { name: "filesystem", root, open: (w) => new NodeFsStore(localWarehousePath(w)), url: (name) => `file:${root}/${name}` };
}

function sessionOver(warehouses: Warehouses): SqlSession {
  return new SqlSession({
    catalogs: { default_catalog: new Catalog(warehouses.open(warehouses.url("default"))) },
    openCatalog: (request) => new Catalog(warehouses.open(request.warehouse)),
  });
}

/** Rows of a `rows` result, sorted by their JSON text (bigints as text), for order-free comparison. */
function sortedRows(result: SqlResult | undefined): Row[] {
  assert.ok(result !== undefined && result.kind === "rows", `expected a rows result, got ${result?.kind}`);
  const key = (r: Row) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
  return [...result.rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function withWarehouses(run: (w: Warehouses) => Promise<void>): Promise<void> {
  await run(memoryWarehouses());
  const disk = await diskWarehouses();
  try {
    await run(disk);
  } finally {
    await rm(disk.root, { recursive: true, force: true });
  }
}

describe("execute on storage: docs/use-cases.md", () => {
  test("use case 1 runs verbatim and creates the table the document describes", () => withWarehouses(async (w) => {
    const session = sessionOver(w);
    const setup = `CREATE CATALOG \`paimon-catalog\` WITH ('type' = 'paimon', 'warehouse' = '${w.url("pc")}');\nCREATE DATABASE \`paimon-catalog\`.\`paimon-db\`;\n`;
    const results = await executeSql(setup + USE_CASE_1, session);
    assert.deepEqual(results.map((r) => [r.kind, r.message]), Array(3).fill(["ok", "Execute statement succeed."]), w.name);
    const table = await new Catalog(w.open(w.url("pc"))).getTable("paimon-db.test_dws_pay_refund");
    const schema = table.schema;
    assert.deepEqual(schema.fields.map((f) => [f.id, f.name, describeType(f.type)]), [
      [0, "test_buyer_id", "STRING NOT NULL"], [1, "test_seller_id", "STRING NOT NULL"], [2, "test_order_dict", "STRING"],
    ]);
    assert.deepEqual(schema.primaryKeys, ["test_buyer_id", "test_seller_id"]);
    assert.deepEqual(schema.partitionKeys, []);
    assert.deepEqual({ ...schema.options }, {
      "merge-engine": "deduplicate", "changelog-producer": "none", bucket: "1000",
      "bucket-key": "test_buyer_id,test_seller_id", "delete-file.thread-num": "32",
    });
    // The table takes writes and reads them back through SQL.
    const rows = await executeSql("INSERT INTO `paimon-catalog`.`paimon-db`.test_dws_pay_refund VALUES ('b1', 's1', 'o1:1700000000_0'), ('b2', 's1', NULL);\n" +
      "INSERT INTO `paimon-catalog`.`paimon-db`.test_dws_pay_refund VALUES ('b1', 's1', 'o1:1700000000_1');\n" +
      "SELECT * FROM `paimon-catalog`.`paimon-db`.test_dws_pay_refund", session);
    assert.deepEqual(sortedRows(rows[2]), [["b1", "s1", "o1:1700000000_1"], ["b2", "s1", null]]);
    if (w.name === "filesystem") {
      const root = (w as Warehouses & { root: string }).root;
      assert.ok((await stat(join(root, "pc", "paimon-db.db", "test_dws_pay_refund", "schema", "schema-0"))).isFile());
      assert.ok((await stat(join(root, "pc", "default.db"))).isDirectory()); // FlinkCatalog's default database
    }
  }));

  test("use case 2 as published fails at the option, naming the missing PARTITIONED BY (ds), and creates nothing", () => withWarehouses(async (w) => {
    const session = sessionOver(w);
    const setup = `CREATE CATALOG \`paimon-catalog\` WITH ('type' = 'paimon', 'warehouse' = '${w.url("pc")}');\nCREATE DATABASE \`paimon-catalog\`.\`paimon-db\`;\n`;
    await executeSql(setup, session);
    let error: unknown;
    try {
      await executeSql(USE_CASE_2, session);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof SqlStatementError, String(error));
    assert.equal(error.code, "invalid_argument");
    // Line 15, column 5: `'partition.expiration-time' = '7d',` in the statement as published.
    assert.deepEqual([error.line, error.column, error.statementNumber], [15, 5, 1]);
    assert.match(error.message, /option 'partition.expiration-time' = '7d' expires partitions, but the table has no partition keys, so no partition would ever expire/);
    assert.match(error.message, /reads the partition time from column ds: add the missing clause PARTITIONED BY \(ds\)/);
    assert.match(error.message, /\n {2} {4}'partition.expiration-time' = '7d',\n {6}\^$/);
    assert.deepEqual(await new Catalog(w.open(w.url("pc"))).listTables("paimon-db"), []);
    // With the clause the document says is missing, the same statement creates the partitioned
    // table, when lakestate can write its changelog producer; else it says so at that option.
    const partitioned = USE_CASE_2.replace(") WITH (", ") PARTITIONED BY (ds) WITH (");
    if ((OPTION_SUPPORT["changelog-producer"].write as readonly string[]).includes("lookup")) {
      await executeSql(partitioned, session);
      const table = await new Catalog(w.open(w.url("pc"))).getTable("paimon-db.test_dws_pay_cate1_result");
      assert.deepEqual(table.schema.partitionKeys, ["ds"]);
      assert.deepEqual(table.schema.primaryKeys, ["test_buyer_id", "test_cate1_id", "ds"]);
      assert.equal(table.schema.options["merge-engine"], "aggregation");
    } else {
      const e = await executeSql(partitioned, session).catch((x: unknown) => x);
      assert.ok(e instanceof SqlStatementError, String(e));
      assert.deepEqual([e.code, e.line, e.column], ["unsupported", 11, 5]);
      assert.match(e.message, /option 'changelog-producer' = "lookup" is not supported for write/);
    }
  }));
});

const SCRIPT = `
CREATE DATABASE shop;
USE shop;
CREATE TABLE orders (
  id BIGINT,
  buyer STRING NOT NULL,
  amount DECIMAL(10, 2),
  dt STRING,
  PRIMARY KEY (dt, id) NOT ENFORCED
) PARTITIONED BY (dt) WITH ('bucket' = '2');
INSERT INTO orders VALUES (1, 'ann', 10.50, '2024-01-01'), (2, 'bob', 3, '2024-01-01'), (3, 'cy', NULL, '2024-01-02');
INSERT INTO orders PARTITION (dt = '2024-01-02') (id, buyer) VALUES (4, 'dee');
INSERT INTO orders VALUES (2, 'bob', 4.25, '2024-01-01'); -- an upsert of id 2
SELECT id, buyer, amount FROM orders WHERE dt = '2024-01-01';
DELETE FROM orders WHERE amount IS NULL;
SELECT * FROM orders;
ALTER TABLE orders ADD note STRING COMMENT 'free text';
ALTER TABLE orders SET ('snapshot.num-retained.min' = '5');
INSERT INTO orders (id, buyer, dt, note) VALUES (5, 'eve', '2024-01-03', 'hi');
SELECT * FROM orders;
SELECT id FROM orders WHERE id >= 2 LIMIT 1;
ALTER TABLE orders RENAME note TO memo;
SELECT id, memo FROM orders WHERE memo IS NOT NULL
`;

describe("execute on storage: a whole script", () => {
  test("create, insert, select, delete, alter, select again", () => withWarehouses(async (w) => {
    const session = sessionOver(w);
    const r = await executeSql(SCRIPT, session);
    assert.deepEqual(r.map((x) => x.statement), [
      "create_database", "use_database", "create_table", "insert", "insert", "insert", "select", "delete", "select",
      "alter_table", "alter_table", "insert", "select", "select", "alter_table", "select",
    ], w.name);
    const snapshots = r.flatMap((x) => (x.kind === "insert" || x.kind === "delete" ? x.snapshotIds : []));
    assert.deepEqual(snapshots, [1n, 2n, 3n, 4n, 5n]);
    assert.deepEqual(sortedRows(r[6]), [[1n, "ann", 1050n], [2n, "bob", 425n]]);
    assert.deepEqual(sortedRows(r[8]), [[1n, "ann", 1050n, "2024-01-01"], [2n, "bob", 425n, "2024-01-01"]]);
    const all = r[12]!;
    assert.ok(all.kind === "rows");
    assert.deepEqual(all.columns.map((f) => f.name), ["id", "buyer", "amount", "dt", "note"]);
    assert.deepEqual(sortedRows(all), [
      [1n, "ann", 1050n, "2024-01-01", null], [2n, "bob", 425n, "2024-01-01", null], [5n, "eve", null, "2024-01-03", "hi"],
    ]);
    const limited = r[13]!;
    assert.ok(limited.kind === "rows" && limited.rows.length === 1 && [2n, 5n].includes(limited.rows[0]![0] as bigint));
    assert.deepEqual(sortedRows(r[15]), [[5n, "hi"]]);
    const table = await new Catalog(w.open(w.url("default"))).getTable("shop.orders");
    assert.deepEqual(table.schema.fields.map((f) => [f.id, f.name, describeType(f.type), f.description ?? null]), [
      [0, "id", "BIGINT NOT NULL", null], [1, "buyer", "STRING NOT NULL", null], [2, "amount", "DECIMAL(10, 2)", null],
      [3, "dt", "STRING NOT NULL", null], [4, "memo", "STRING", "free text"],
    ]);
    assert.equal(table.schema.id, 3n);
    assert.equal(table.schema.options["snapshot.num-retained.min"], "5");
    // DROP TABLE, then the table is gone for SELECT; DROP DATABASE … CASCADE removes the rest.
    await executeSql("DROP TABLE orders", session);
    const e = await executeSql("SELECT * FROM orders", session).catch((x: unknown) => x);
    assert.ok(e instanceof SqlStatementError && e.code === "not_found", String(e));
    await executeSql("USE `default`; DROP DATABASE shop CASCADE", session);
    // The session's initial catalog gets its default database only when a table is created there.
    assert.deepEqual(await new Catalog(w.open(w.url("default"))).listDatabases(), []);
  }));

  test("an append table: insert, delete by rewrite, select", () => withWarehouses(async (w) => {
    const session = sessionOver(w);
    const r = await executeSql(`
      CREATE TABLE logs (ts TIMESTAMP(3), level STRING, msg STRING, n INT);
      INSERT INTO logs VALUES (TIMESTAMP '2024-01-01 10:00:00.125', 'INFO', 'start', 1),
        ('2024-01-01 10:00:01', 'WARN', 'slow', 2), (NULL, 'INFO', 'x', 3);
      DELETE FROM logs WHERE level = 'INFO' AND n > 1;
      SELECT ts, msg FROM logs WHERE n BETWEEN 1 AND 5`, session);
    assert.deepEqual(sortedRows(r[3]), [
      [{ epochMillis: 1704103200125, nanoOfMillisecond: 0 }, "start"], [{ epochMillis: 1704103201000, nanoOfMillisecond: 0 }, "slow"],
    ]);
  }));

  test("ALTER MODIFY / RESET / DROP columns, time travel through SET, DROP CATALOG", () => withWarehouses(async (w) => {
    const session = sessionOver(w);
    const r = await executeSql(`
      CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = '${w.url("c")}');
      USE CATALOG c;
      CREATE TABLE t (k INT, n INT COMMENT 'count', s STRING, PRIMARY KEY (k) NOT ENFORCED) WITH ('bucket' = '1', 'file.compression' = 'zstd',
        'alter-column-null-to-not-null.disabled' = 'false');
      INSERT INTO t VALUES (1, 10, 'a');
      ALTER TABLE t MODIFY (n BIGINT NOT NULL COMMENT 'total' FIRST);
      ALTER TABLE t RESET ('file.compression');
      ALTER TABLE t DROP s;
      INSERT INTO t VALUES (5000000000, 2);
      SELECT * FROM t;
      SET 'paimon.c.default.t.scan.snapshot-id' = '1';
      SELECT * FROM t;
      RESET;
      USE CATALOG default_catalog;
      DROP CATALOG c`, session);
    assert.deepEqual(sortedRows(r[8]), [[10n, 1], [5000000000n, 2]], w.name);
    const latest = r[8]!;
    assert.ok(latest.kind === "rows");
    assert.deepEqual(latest.columns.map((f) => `${f.name} ${describeType(f.type)}`), ["n BIGINT NOT NULL", "k INT NOT NULL"]);
    const travelled = r[10]!;
    assert.ok(travelled.kind === "rows");
    assert.deepEqual(travelled.columns.map((f) => f.name), ["k", "n", "s"]); // snapshot 1 reads with its own schema
    assert.deepEqual(travelled.rows, [[1, 10, "a"]]);
    const table = await new Catalog(w.open(w.url("c"))).getTable("default.t");
    assert.deepEqual(table.schema.fields.map((f) => [f.id, f.name, f.description ?? null]), [[1, "n", "total"], [0, "k", null]]);
    assert.equal(table.schema.options["file.compression"], undefined);
    assert.deepEqual(session.catalogNames(), ["default_catalog"]);
    const e = await executeSql("USE CATALOG c", session).catch((x: unknown) => x);
    assert.ok(e instanceof SqlStatementError && e.code === "not_found", String(e));
  }));
});
