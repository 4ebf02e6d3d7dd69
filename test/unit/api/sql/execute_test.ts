// Goal: the executor translates each statement into exactly the catalog / table calls Flink +
// Paimon's FlinkCatalog would make (CREATE CATALOG opening the warehouse and its default database,
// ALTER TABLE into SchemaChange lists in Flink's order, INSERT rows with static partitions and
// column lists, DELETE and SELECT filters, dynamic options from SET), keeps session state (USE,
// SET/RESET), and reports failures as SqlStatementErrors naming the statement, at the offending
// line and column, with the statements after it not run.
// Method: a recording in-memory catalog (FakeCatalog below) stands in for the filesystem catalog,
// so every call and argument is visible; the end-to-end behaviour on real storage is covered by
// execute_store_test.ts. Expected call lists are written out by hand from the Java sources cited
// in exec_tables.ts and exec_catalog.ts.
import { assert, describe, test } from "../../../harness.ts";
import {
  executeSql, matchScopedOption, type SqlCatalog, SqlSession, SqlStatementError, type SqlTable, type SqlTableSpec,
} from "../../../../src/api/sql/execute.ts";
import { SqlError } from "../../../../src/api/sql/source.ts";
import { LakeError } from "../../../../src/errors.ts";
import type { DataField } from "../../../../src/spec/data_types.ts";
import { createTableSchema, type TableSchema } from "../../../../src/spec/schema.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { bindPredicate, evaluatePredicate, type Predicate } from "../../../../src/table/predicate.ts";
import type { SchemaChange } from "../../../../src/table/schema_changes.ts";
import type { ReadOptions } from "../../../../src/api/table.ts";
import type { ReadResult } from "../../../../src/table/table_read.ts";

type Call = { readonly op: string; readonly args: readonly unknown[] };

/** An in-memory catalog recording every call; tables hold rows as objects. */
class FakeCatalog implements SqlCatalog {
  readonly calls: Call[] = [];
  readonly databases = new Set<string>();
  readonly tables = new Map<string, { schema: TableSchema; rows: Record<string, Value>[] }>();
  renameTable?: (from: string, to: string) => Promise<unknown>;

  async listDatabases(): Promise<string[]> {
    return [...this.databases].sort();
  }
  async createDatabase(name: string, opts?: { ignoreIfExists?: boolean }): Promise<void> {
    this.calls.push({ op: "createDatabase", args: [name, opts] });
    if (this.databases.has(name) && opts?.ignoreIfExists !== true) throw new LakeError("conflict", `catalog: database ${name} already exists`);
    this.databases.add(name);
  }
  async dropDatabase(name: string, opts?: { ignoreIfNotExists?: boolean; cascade?: boolean }): Promise<void> {
    this.calls.push({ op: "dropDatabase", args: [name, opts] });
    this.databases.delete(name);
  }
  async createTable(identifier: string, spec: SqlTableSpec, opts?: { ignoreIfExists?: boolean }): Promise<void> {
    this.calls.push({ op: "createTable", args: [identifier, spec, opts] });
    const db = identifier.slice(0, identifier.indexOf("."));
    if (!this.databases.has(db)) throw new LakeError("not_found", `catalog: database ${db} does not exist`);
    if (this.tables.has(identifier)) {
      if (opts?.ignoreIfExists === true) return;
      throw new LakeError("conflict", `catalog: table ${identifier} already exists`);
    }
    const schema = createTableSchema({ fields: spec.fields, primaryKeys: spec.primaryKeys, partitionKeys: spec.partitionKeys, options: spec.options, comment: spec.comment, timeMillis: 0n });
    this.tables.set(identifier, { schema, rows: [] });
  }
  async dropTable(identifier: string, opts?: { ignoreIfNotExists?: boolean }): Promise<void> {
    this.calls.push({ op: "dropTable", args: [identifier, opts] });
    if (!this.tables.delete(identifier) && opts?.ignoreIfNotExists !== true) throw new LakeError("not_found", `catalog: table ${identifier} does not exist`);
  }
  async alterTable(identifier: string, changes: readonly SchemaChange[], opts?: { ignoreIfNotExists?: boolean }): Promise<void> {
    this.calls.push({ op: "alterTable", args: [identifier, changes, opts] });
  }
  async getTable(identifier: string): Promise<SqlTable> {
    const entry = this.tables.get(identifier);
    if (entry === undefined) throw new LakeError("not_found", `catalog: table ${identifier} does not exist`);
    const calls = this.calls;
    const fieldsOf = (columns?: readonly string[]): DataField[] =>
      columns === undefined ? [...entry.schema.fields] : columns.map((c) => entry.schema.fields.find((f) => f.name === c)!);
    return {
      schema: entry.schema,
      async readFields(options?: ReadOptions) {
        return fieldsOf(options?.columns);
      },
      async *readBatches(options?: ReadOptions): AsyncGenerator<ReadResult> {
        calls.push({ op: "read", args: [identifier, options] });
        const fields = fieldsOf(options?.columns);
        const bound = options?.filter ? bindPredicate(options.filter as Predicate, entry.schema.fields) : null;
        // One batch per stored row, so LIMIT's early stop is visible in the read count.
        for (const row of entry.rows) {
          if (bound !== null && !evaluatePredicate(bound, entry.schema.fields.map((f) => row[f.name] ?? null))) continue;
          calls.push({ op: "batch", args: [] });
          yield { fields, columns: fields.map((f) => [row[f.name] ?? null]), rowCount: 1 };
        }
      },
      async write(rows: Iterable<Record<string, Value>>, opts?: { options?: Record<string, string> }) {
        const list = [...rows];
        calls.push({ op: "write", args: [identifier, list, opts] });
        entry.rows.push(...list);
        return { snapshotIds: [BigInt(entry.rows.length)] };
      },
      async deleteWhere(filter: Predicate | null, opts?: { options?: Record<string, string> }) {
        calls.push({ op: "deleteWhere", args: [identifier, filter, opts] });
        const bound = filter === null ? null : bindPredicate(filter, entry.schema.fields);
        entry.rows = entry.rows.filter((r) => bound !== null && !evaluatePredicate(bound, entry.schema.fields.map((f) => r[f.name] ?? null)));
        return { snapshotIds: [99n] };
      },
    };
  }
}

/** A session whose CREATE CATALOG opens FakeCatalogs, one per warehouse text. */
function newSession(initial = new FakeCatalog()) {
  const opened = new Map<string, FakeCatalog>();
  const requests: unknown[] = [];
  const session = new SqlSession({
    catalogs: { default_catalog: initial },
    openCatalog: (request) => {
      requests.push(request);
      let c = opened.get(request.warehouse);
      if (c === undefined) opened.set(request.warehouse, c = new FakeCatalog());
      return c;
    },
    nowMs: () => 1_700_000_000_000,
  });
  return { session, initial, opened, requests };
}

/** Runs `text`, expecting a SqlStatementError; returns it. */
async function failing(text: string, session: SqlSession): Promise<SqlStatementError> {
  try {
    await executeSql(text, session);
  } catch (error) {
    assert.ok(error instanceof SqlStatementError, `expected a SqlStatementError, got ${String(error)}`);
    return error;
  }
  return assert.fail(`expected ${JSON.stringify(text)} to fail`);
}

const TABLE_T = "CREATE TABLE db.t (k INT, p STRING, v BIGINT COMMENT 'value', PRIMARY KEY (k, p) NOT ENFORCED) PARTITIONED BY (p) WITH ('bucket' = '2')";

describe("execute: catalogs and databases", () => {
  test("CREATE CATALOG opens the warehouse through the resolver and creates its default database", async () => {
    const { session, opened, requests } = newSession();
    const results = await executeSql("CREATE CATALOG `my-cat` WITH ('type' = 'paimon', 'warehouse' = 'file:/tmp/wh', 'cache-enabled' = 'false');\nUSE CATALOG `my-cat`", session);
    assert.deepEqual(results.map((r) => [r.kind, r.statement, r.message]), [
      ["ok", "create_catalog", "Execute statement succeed."], ["ok", "use_catalog", "Execute statement succeed."],
    ]);
    assert.deepEqual(requests, [{ name: "my-cat", warehouse: "file:/tmp/wh", options: { type: "paimon", warehouse: "file:/tmp/wh", "cache-enabled": "false" } }]);
    assert.deepEqual(opened.get("file:/tmp/wh")!.calls, [{ op: "createDatabase", args: ["default", { ignoreIfExists: true }] }]);
    assert.deepEqual(session.context, { currentCatalog: "my-cat", currentDatabase: "default" });
  });
  test("default-database and disable-create-table-in-default-db", async () => {
    const { session, opened } = newSession();
    await executeSql("CREATE CATALOG c WITH ('type'='paimon', 'warehouse'='w', 'default-database'='mydb'); USE CATALOG c", session);
    assert.deepEqual(session.context, { currentCatalog: "c", currentDatabase: "mydb" });
    assert.deepEqual(opened.get("w")!.calls[0], { op: "createDatabase", args: ["mydb", { ignoreIfExists: true }] });
    await executeSql("CREATE CATALOG d WITH ('type'='paimon', 'warehouse'='w2', 'disable-create-table-in-default-db'='true')", session);
    assert.deepEqual(opened.get("w2")!.calls, []);
    const e = await failing("USE CATALOG d;\nCREATE TABLE t (a INT)", session);
    assert.match(e.message, /statement 2 of 2 \(line 2\): CREATE TABLE `d`.`default`.`t`: creating tables in the default database is disabled/);
  });
  test("CREATE CATALOG errors point at the offending option", async () => {
    const { session } = newSession();
    let e = await failing("CREATE CATALOG c WITH ('type' = 'hive', 'warehouse' = 'w')", session);
    assert.equal(e.code, "unsupported");
    assert.deepEqual([e.line, e.column], [1, 33]);
    e = await failing("CREATE CATALOG c WITH ('type' = 'paimon',\n  'uri' = 'thrift://x', 'warehouse' = 'w')", session);
    assert.deepEqual([e.code, e.line, e.column], ["unsupported", 2, 3]);
    assert.match(e.message, /catalog option 'uri' is not supported/);
    e = await failing("CREATE CATALOG c WITH ('type' = 'paimon')", session);
    assert.match(e.message, /needs 'warehouse'/);
    await executeSql("CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = 'w')", session);
    e = await failing("CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = 'w')", session);
    assert.deepEqual([e.code, e.column], ["conflict", 16]);
    await executeSql("CREATE CATALOG IF NOT EXISTS c WITH ('type' = 'paimon', 'warehouse' = 'other')", session);
    const noResolver = new SqlSession({ catalogs: { default_catalog: new FakeCatalog() } });
    e = await failing("CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = 'w')", noResolver);
    assert.equal(e.code, "unsupported");
  });
  test("USE and DROP check what exists and what is current", async () => {
    const { session, initial } = newSession();
    let e = await failing("USE nope", session);
    assert.deepEqual([e.code, e.column], ["not_found", 5]);
    assert.match(e.message, /database `nope` does not exist in catalog `default_catalog`/);
    await executeSql("USE `default`", session); // the default database counts as existing
    await executeSql("CREATE DATABASE db COMMENT 'x' WITH ('k' = 'v'); USE db", session);
    assert.deepEqual(session.context, { currentCatalog: "default_catalog", currentDatabase: "db" });
    const created = await executeSql("CREATE DATABASE IF NOT EXISTS db", session);
    assert.deepEqual(created[0]!.warnings, []);
    assert.deepEqual(initial.calls.slice(0, 2), [
      { op: "createDatabase", args: ["db", { ignoreIfExists: false }] }, { op: "createDatabase", args: ["db", { ignoreIfExists: true }] },
    ]);
    e = await failing("DROP DATABASE db", session);
    assert.match(e.message, /the database is in use/);
    e = await failing("DROP CATALOG default_catalog", session);
    assert.match(e.message, /the catalog is in use/);
    await executeSql("USE `default`; DROP DATABASE IF EXISTS db CASCADE; DROP CATALOG IF EXISTS nope", session);
    assert.deepEqual(initial.calls.at(-1), { op: "dropDatabase", args: ["db", { ignoreIfNotExists: true, cascade: true }] });
    e = await failing("CREATE TABLE nocat.db.t (a INT)", session);
    assert.deepEqual([e.code, e.column], ["not_found", 14]);
  });
  test("CREATE DATABASE warns that properties are discarded, refuses a location", async () => {
    const { session } = newSession();
    const [r] = await executeSql("CREATE DATABASE db COMMENT 'c' WITH ('owner' = 'me')", session);
    assert.deepEqual(r!.warnings, ["CREATE DATABASE `default_catalog`.`db`: the filesystem catalog stores no database properties; discarded COMMENT, 'owner' (as Java Paimon does)"]);
    const e = await failing("CREATE DATABASE db2 WITH ('location' = '/x')", session);
    assert.deepEqual([e.code, e.column], ["invalid_argument", 27]);
  });
});

describe("execute: tables", () => {
  test("CREATE TABLE passes the planner's numbered fields, keys, options; creates the default database first", async () => {
    const { session, initial } = newSession();
    const [r] = await executeSql("CREATE TABLE IF NOT EXISTS t (a INT NOT NULL COMMENT 'x', b ROW<c INT>, PRIMARY KEY (a) NOT ENFORCED) COMMENT 'tc' WITH ('bucket' = '2', 'connector' = 'paimon', 'bukcet-key' = 'a')", session);
    assert.equal(initial.calls.length, 2);
    assert.deepEqual(initial.calls[0], { op: "createDatabase", args: ["default", { ignoreIfExists: true }] });
    const [identifier, spec, opts] = initial.calls[1]!.args as [string, SqlTableSpec, unknown];
    assert.equal(identifier, "default.t");
    assert.deepEqual(opts, { ignoreIfExists: true });
    assert.deepEqual(spec.fields.map((f) => [f.id, f.name, f.description ?? null]), [[0, "a", "x"], [1, "b", null]]);
    assert.deepEqual(spec.primaryKeys, ["a"]);
    assert.deepEqual(spec.partitionKeys, []);
    assert.deepEqual(spec.options, { bucket: "2", "bukcet-key": "a" });
    assert.equal(spec.comment, "tc");
    assert.equal(r!.warnings.length, 1);
    assert.match(r!.warnings[0]!, /bukcet-key/);
  });
  test("catalog errors keep their code and point at the table name", async () => {
    const { session } = newSession();
    await executeSql("CREATE DATABASE db", session);
    await executeSql(TABLE_T, session);
    const e = await failing(`SET 'a' = 'b';\n  ${TABLE_T}`, session);
    assert.deepEqual([e.code, e.line, e.column, e.statementNumber, e.statementCount, e.statementLine], ["conflict", 2, 16, 2, 2, 2]);
    assert.match(e.message, /^sql: line 2, column 16: statement 2 of 2 \(line 2\): CREATE TABLE `default_catalog`.`db`.`t`: catalog: table db.t already exists\n  {3}CREATE TABLE db.t/);
    assert.equal(e.completed.length, 1);
    assert.ok(e.cause instanceof LakeError);
  });
  test("ALTER TABLE actions become SchemaChanges in Flink's order", async () => {
    const { session, initial } = newSession();
    await executeSql(`CREATE DATABASE db; ${TABLE_T}`, session);
    const alter = async (action: string): Promise<unknown> => {
      await executeSql(`ALTER TABLE db.t ${action}`, session);
      const call = initial.calls.at(-1)!;
      assert.equal(call.op, "alterTable");
      assert.equal(call.args[0], "db.t");
      return call.args[1];
    };
    assert.deepEqual(await alter("SET ('comment' = 'tc', 'bucket' = '4')"), [
      { kind: "updateComment", comment: "tc" }, { kind: "setOption", key: "bucket", value: "4" },
    ]);
    assert.deepEqual(await alter("RESET ('comment', 'bucket')"), [{ kind: "updateComment", comment: null }, { kind: "removeOption", key: "bucket" }]);
    const added = await alter("ADD (x INT COMMENT 'cx' FIRST, y STRING AFTER k, z DOUBLE)") as SchemaChange[];
    assert.deepEqual(added.map((c) => ({ ...c, type: undefined })), [
      { kind: "addColumn", name: "x", type: undefined, comment: "cx", position: { kind: "first" } },
      { kind: "addColumn", name: "y", type: undefined, comment: null, position: { kind: "after", column: "k" } },
      { kind: "addColumn", name: "z", type: undefined, comment: null },
    ]);
    assert.deepEqual(added.map((c) => c.kind === "addColumn" && typeof c.type === "object" ? c.type.root : null), ["INT", "VARCHAR", "DOUBLE"]);
    // MODIFY without COMMENT keeps it; with one, it comes first; then type, nullability, position.
    assert.deepEqual(await alter("MODIFY v BIGINT"), []);
    assert.deepEqual(await alter("MODIFY (v DECIMAL(20, 0) NOT NULL COMMENT 'new' AFTER k)"), [
      { kind: "updateColumnComment", name: "v", comment: "new" },
      { kind: "updateColumnType", name: "v", type: { root: "DECIMAL", nullable: false, precision: 20, scale: 0 } },
      { kind: "updateColumnNullability", name: "v", nullable: false },
      { kind: "updateColumnPosition", name: "v", position: { kind: "after", column: "k" } },
    ]);
    assert.deepEqual(await alter("MODIFY v BIGINT FIRST"), [{ kind: "updateColumnPosition", name: "v", position: { kind: "first" } }]);
    assert.deepEqual(await alter("RENAME v TO w"), [{ kind: "renameColumn", from: "v", to: "w" }]);
    assert.deepEqual(await alter("DROP (v, p)"), [{ kind: "dropColumn", name: "v" }, { kind: "dropColumn", name: "p" }]);
    let e = await failing("ALTER TABLE db.t DROP (v, v)", session);
    assert.deepEqual([e.code, e.column], ["invalid_argument", 27]);
    e = await failing("ALTER TABLE db.t MODIFY nope INT", session);
    assert.deepEqual([e.code, e.column], ["invalid_argument", 25]);
    e = await failing("ALTER TABLE db.t MODIFY v ROW<a INT>", session);
    assert.deepEqual([e.code, e.column], ["unsupported", 27]);
    e = await failing("ALTER TABLE db.t RENAME TO t2", session);
    assert.equal(e.code, "unsupported");
    const renamed: unknown[] = [];
    initial.renameTable = async (from, to) => renamed.push([from, to]);
    await executeSql("ALTER TABLE db.t RENAME TO db.t2", session);
    assert.deepEqual(renamed, [["db.t", "db.t2"]]);
    await executeSql("ALTER TABLE IF EXISTS db.missing MODIFY a INT", session); // no such table: nothing to do
  });
  test("DROP TABLE [IF EXISTS]", async () => {
    const { session, initial } = newSession();
    await executeSql(`CREATE DATABASE db; ${TABLE_T}; DROP TABLE db.t; DROP TABLE IF EXISTS db.t`, session);
    assert.deepEqual(initial.calls.slice(-2).map((c) => c.args), [["db.t", { ignoreIfNotExists: false }], ["db.t", { ignoreIfNotExists: true }]]);
    const e = await failing("DROP TABLE db.t", session);
    assert.deepEqual([e.code, e.column], ["not_found", 12]);
  });
});

describe("execute: INSERT, DELETE, SELECT", () => {
  async function withTable() {
    const ctx = newSession();
    await executeSql(`CREATE DATABASE db; ${TABLE_T}`, ctx.session);
    return ctx;
  }
  test("INSERT fills columns by list, static partition and NULL", async () => {
    const { session, initial } = await withTable();
    const [a, b] = await executeSql("INSERT INTO db.t VALUES (1, 'x', 10), (2, 'y', NULL);\nINSERT INTO db.t PARTITION (p = 'z') (v, k) VALUES (30, 3)", session);
    assert.deepEqual([a!.kind, a!.message], ["insert", "Complete execution of the SQL update statement."]);
    assert.ok(a!.kind === "insert" && a!.rowCount === 2 && b!.kind === "insert" && b!.rowCount === 1);
    const writes = initial.calls.filter((c) => c.op === "write").map((c) => c.args[1]);
    assert.deepEqual(writes, [
      [{ k: 1, p: "x", v: 10n }, { k: 2, p: "y", v: null }],
      [{ k: 3, p: "z", v: 30n }],
    ]);
  });
  test("INSERT errors: literal type, width, NOT NULL, partition clause", async () => {
    const { session } = await withTable();
    let e = await failing("INSERT INTO db.t VALUES\n  (1, 'x', 'ten')", session);
    assert.deepEqual([e.code, e.line, e.column], ["invalid_argument", 2, 12]);
    assert.match(e.message, /value 'ten' for column v does not fit BIGINT: expected a number/);
    e = await failing("INSERT INTO db.t VALUES (1, 'x')", session);
    assert.match(e.message, /a row of VALUES has 2 values, but the insert takes 3 \(columns: k, p, v\)/);
    e = await failing("INSERT INTO db.t (k, v) VALUES (1, 2)", session);
    assert.match(e.message, /column p is NOT NULL, but the INSERT gives it no value/);
    e = await failing("INSERT INTO db.t PARTITION (k = 1) VALUES ('x', 2)", session);
    assert.match(e.message, /PARTITION names k, which is not a partition key \(partition keys: p\)/);
    e = await failing("INSERT INTO db.t PARTITION (p = 'a') (p, k, v) VALUES ('x', 1, 2)", session);
    assert.match(e.message, /column p already has its value from PARTITION/);
    e = await failing("INSERT OVERWRITE db.t VALUES (1, 'x', 2)", session);
    assert.equal(e.code, "unsupported");
    e = await failing("INSERT INTO db.nope VALUES (1)", session);
    assert.deepEqual([e.code, e.column], ["not_found", 13]);
  });
  test("SELECT projects, filters and stops reading at LIMIT", async () => {
    const { session, initial } = await withTable();
    await executeSql("INSERT INTO db.t VALUES (1, 'x', 10), (2, 'y', 20), (3, 'x', 30)", session);
    const [r] = await executeSql("SELECT v, k FROM db.t WHERE p = 'x' OR v > 100", session);
    assert.ok(r!.kind === "rows");
    assert.deepEqual(r.columns.map((f) => f.name), ["v", "k"]);
    assert.deepEqual(r.rows, [[10n, 1], [30n, 3]]);
    assert.equal(r.message, "2 rows in set");
    initial.calls.length = 0;
    const [l] = await executeSql("SELECT * FROM db.t LIMIT 1", session);
    assert.ok(l!.kind === "rows" && l.rows.length === 1 && l.message === "1 row in set");
    assert.equal(initial.calls.filter((c) => c.op === "batch").length, 1);
    const [z] = await executeSql("SELECT k FROM db.t LIMIT 0", session);
    assert.ok(z!.kind === "rows" && z.rows.length === 0 && z.message === "Empty set");
    let e = await failing("SELECT k, nope FROM db.t", session);
    assert.deepEqual([e.code, e.column], ["invalid_argument", 11]);
    e = await failing("SELECT k FROM db.t\nWHERE nope = 1", session);
    assert.deepEqual([e.code, e.line, e.column], ["invalid_argument", 2, 7]);
    e = await failing("SELECT k FROM db.t WHERE k = 'x'", session);
    assert.match(e.message, /WHERE: predicate: literal 'x' for column "k" is not a INT/);
    e = await failing("SELECT k, k FROM db.t", session);
    assert.equal(e.code, "unsupported");
  });
  test("DELETE with and without WHERE", async () => {
    const { session, initial } = await withTable();
    await executeSql("INSERT INTO db.t VALUES (1, 'x', 10), (2, 'y', 20), (3, 'x', 30)", session);
    const [d] = await executeSql("DELETE FROM db.t WHERE v >= 20 AND p = 'x'", session);
    assert.ok(d!.kind === "delete" && d.snapshotIds[0] === 99n);
    const [r] = await executeSql("SELECT k FROM db.t", session);
    assert.ok(r!.kind === "rows");
    assert.deepEqual(r.rows, [[1], [2]]);
    await executeSql("DELETE FROM db.t", session);
    assert.deepEqual(initial.calls.at(-1), { op: "deleteWhere", args: ["db.t", null, {}] });
    assert.equal(initial.tables.get("db.t")!.rows.length, 0);
    const e = await failing("DELETE FROM db.t WHERE x = 1", session);
    assert.equal(e.column, 24);
  });
});

describe("execute: session options", () => {
  test("paimon.<cat>.<db>.<table>.<key> and global Paimon keys become dynamic options, most specific wins", async () => {
    assert.deepEqual(matchScopedOption("paimon.*.db.t.write-buffer-size", { catalog: "c", database: "db", table: "t" }), { key: "write-buffer-size", wildcards: 1 });
    assert.equal(matchScopedOption("paimon.*.db.u.x", { catalog: "c", database: "db", table: "t" }), null);
    assert.equal(matchScopedOption("paimon.*.*.*.", { catalog: "c", database: "db", table: "t" }), null);
    const { session, initial } = newSession();
    await executeSql(`CREATE DATABASE db; ${TABLE_T};
      SET 'write-buffer-size' = '1 mb'; SET 'paimon.*.*.*.target-file-size' = '1 mb';
      SET 'paimon.default_catalog.db.t.target-file-size' = '2 mb'; SET 'paimon.*.db.*.target-file-size' = '3 mb';
      SET 'paimon.*.*.other.sink.parallelism' = '9'; SET 'execution.runtime-mode' = 'batch'; SET 'table.dml-sync' = 'true';
      INSERT INTO db.t VALUES (1, 'x', 2)`, session);
    const write = initial.calls.find((c) => c.op === "write")!;
    assert.deepEqual(write.args[2], { options: { "write-buffer-size": "1 mb", "target-file-size": "2 mb" } });
    const [list] = await executeSql("SET", session);
    assert.ok(list!.kind === "rows");
    assert.deepEqual(list.rows.map((r) => r[0]), [
      "write-buffer-size", "paimon.*.*.*.target-file-size", "paimon.default_catalog.db.t.target-file-size", "paimon.*.db.*.target-file-size",
      "paimon.*.*.other.sink.parallelism", "execution.runtime-mode", "table.dml-sync",
    ]);
    await executeSql("RESET 'write-buffer-size'; SET 'paimon.*.*.t.scan.snapshot-id' = '1'", session);
    initial.calls.length = 0;
    await executeSql("SELECT * FROM db.t", session);
    assert.equal((initial.calls[0]!.args[1] as ReadOptions).snapshotId, 1n);
    await executeSql("DELETE FROM db.t WHERE k = 1", session);
    assert.deepEqual(initial.calls.at(-1)!.args[2], { options: { "target-file-size": "2 mb", "scan.snapshot-id": "1" } });
    await executeSql("SET 'paimon.*.*.t.scan.mode' = 'latest'", session);
    let e = await failing("SELECT * FROM db.t", session);
    assert.match(e.message, /dynamic table option 'scan.mode' \(from SET\) is not supported for SELECT/);
    await executeSql("RESET", session);
    const [empty] = await executeSql("SET", session);
    assert.ok(empty!.kind === "rows" && empty.rows.length === 0);
    e = await failing("SET 'execution.runtime-mode' = 'streaming'", session);
    assert.deepEqual([e.code, e.column], ["unsupported", 32]);
  });
});

describe("execute: scripts", () => {
  test("a failing statement stops the script; the ones before it took effect", async () => {
    const { session, initial } = newSession();
    const e = await failing("CREATE DATABASE db;\n-- comment\nCREATE TABLE db.t (a INT);\nINSERT INTO db.t VALUES ('no');\nCREATE TABLE db.u (a INT)", session);
    assert.deepEqual([e.statementNumber, e.statementCount, e.statementLine, e.line, e.column], [3, 4, 4, 4, 26]);
    assert.match(e.message, /^sql: line 4, column 26: statement 3 of 4 \(line 4\): value 'no' for column a does not fit INT/);
    assert.match(e.message, /\n  INSERT INTO db.t VALUES \('no'\);\n {27}\^$/);
    assert.deepEqual(e.completed.map((r) => r.statement), ["create_database", "create_table"]);
    assert.ok(initial.tables.has("db.t") && !initial.tables.has("db.u"));
  });
  test("a syntax error anywhere runs nothing", async () => {
    const { session, initial } = newSession();
    await assert.rejects(executeSql("CREATE DATABASE db;\nCREATE TABLE db.t (a INT,)", session), (error: unknown) => {
      assert.ok(error instanceof SqlError && !(error instanceof SqlStatementError));
      assert.equal(error.line, 2);
      return true;
    });
    assert.deepEqual(initial.calls, []);
  });
  test("errors that are not LakeErrors pass through unchanged", async () => {
    const broken = new FakeCatalog();
    broken.createDatabase = async () => { throw new TypeError("boom"); };
    const { session } = newSession(broken);
    await assert.rejects(executeSql("CREATE DATABASE db", session), TypeError);
  });
});
