// Goal: the catalog creates, alters and drops databases and tables as Java's FileSystemCatalog
// does (directories `<db>.db`, schema files), refuses what it must with clear LakeErrors, lets
// concurrent alters both land, and tables keep reading through the existing read path after an
// ALTER (files written under the old schema read under the new one).
// Method: every scenario runs on a MemoryStore warehouse and on a NodeFsStore warehouse in a
// fresh temp directory (whose raw layout is inspected with node:fs); Java-written fixture tables
// are copied into the warehouse and read before and after ALTERs, with expected rows derived
// from the pre-ALTER rows (plus an independent date formatter for DATE → STRING).
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, describe, readFixture, test } from "../../harness.ts";
import { Catalog, openCatalog } from "../../../src/api/catalog.ts";
import { LakeError } from "../../../src/errors.ts";
import { FaultKind, FaultStore } from "../../../src/io/fault_store.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import type { Value } from "../../../src/spec/values.ts";
import { equalBytes } from "../../../src/util/bytes.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const MOR = "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
const COMPLEX = "append_complex_data.db/append_complex_data";

interface Warehouse {
  readonly store: ObjectStore;
  /** Directory on disk (fs warehouses only). */
  readonly dir: string | null;
  dispose(): Promise<void>;
}

const WAREHOUSES: [string, () => Promise<Warehouse>][] = [
  ["memory", async () => ({ store: new MemoryStore(), dir: null, dispose: async () => {} })],
  ["node fs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakestate-catalog-"));
    return { store: new NodeFsStore(dir, { syncWrites: false }), dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  }],
];

async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof LakeError, String(e));
    assert.equal(e.code, code, e.message);
    if (typeof message === "string") assert.ok(e.message.includes(message), `${e.message} lacks ${message}`);
    else assert.match(e.message, message);
    return true;
  });
}

/** Copies fixture table `table` into `store` under `into` ("db.db/t"). */
async function copyFixtureTable(store: ObjectStore, table: string, into: string): Promise<void> {
  const source = new NodeFsStore(FIXTURES + table);
  for (const e of await source.list("")) await store.put(`${into}/${e.path}`, await source.get(e.path));
}

async function rowsOf(catalog: Catalog, identifier: string): Promise<Record<string, Value>[]> {
  const out: Record<string, Value>[] = [];
  for await (const row of (await catalog.getTable(identifier)).rows()) out.push(row);
  return out;
}

const COLUMNS = [{ name: "id", type: "BIGINT" }, { name: "name", type: "STRING", comment: "who" }, { name: "dt", type: "STRING" }];

for (const [kind, make] of WAREHOUSES) {
  describe(`catalog writes on a ${kind} warehouse`, () => {
    const check = (title: string, body: (w: Warehouse, catalog: Catalog) => Promise<void>) =>
      test(title, async () => {
        const w = await make();
        try {
          await body(w, openCatalog({ warehouse: w.store, nowMs: () => 1_750_000_000_000 }));
        } finally {
          await w.dispose();
        }
      });

    check("createDatabase: listed while empty, conflict when present, system and bad names refused", async (w, catalog) => {
      await catalog.createDatabase("sales");
      await catalog.createDatabase("analytics");
      assert.deepEqual(await catalog.listDatabases(), ["analytics", "sales"]);
      assert.deepEqual(await catalog.listTables("sales"), []);
      await rejectsWith(catalog.createDatabase("sales"), "conflict", "Database sales already exists.");
      await catalog.createDatabase("sales", { ignoreIfExists: true });
      await rejectsWith(catalog.createDatabase("sys"), "invalid_argument", "system database");
      for (const bad of ["", "a/b", " x"]) await rejectsWith(catalog.createDatabase(bad), "invalid_argument", "database name");
      if (w.dir !== null) assert.ok((await stat(join(w.dir, "sales.db"))).isDirectory(), "Java sees a sales.db directory");
    });

    check("createTable: schema-0 as Java writes it, the table opened, conflicts and refusals", async (w, catalog) => {
      await rejectsWith(catalog.createTable("nodb.t", { columns: COLUMNS }), "not_found", "nodb");
      await catalog.createDatabase("db");
      const table = await catalog.createTable("db.people", {
        columns: COLUMNS, primaryKeys: ["id", "dt"], partitionKeys: ["dt"], options: { bucket: "2", "file.format": "parquet" }, comment: "people",
      });
      assert.equal(table.name, "db.people");
      assert.equal(table.schema.id, 0n);
      assert.deepEqual(table.schema.fields.map((f) => [f.id, f.name, f.type.nullable, f.description]), [[0, "id", false, undefined], [1, "name", true, "who"], [2, "dt", false, undefined]]);
      assert.equal(table.schema.timeMillis, 1_750_000_000_000n);
      assert.deepEqual(await table.snapshots(), []);
      assert.deepEqual(await catalog.listTables("db"), ["people"]);
      const bytes = await w.store.get("db.db/people/schema/schema-0");
      await rejectsWith(catalog.createTable("db.people", { columns: COLUMNS }), "conflict", "Table db.people already exists.");
      const again = await catalog.createTable("db.people", { columns: [{ name: "other", type: "INT" }] }, { ignoreIfExists: true });
      assert.deepEqual(again.schema, table.schema);
      assert.ok(equalBytes(await w.store.get("db.db/people/schema/schema-0"), bytes), "ignoreIfExists leaves the table alone");
      if (w.dir !== null) assert.deepEqual(await readdir(join(w.dir, "db.db", "people", "schema")), ["schema-0"]);
    });

    check("createTable refusals write nothing", async (w, catalog) => {
      await catalog.createDatabase("db");
      await rejectsWith(catalog.createTable("db.t", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "1", "deletion-vectors.enabled": "true" } }), "unsupported", "deletion-vectors.enabled");
      await rejectsWith(catalog.createTable("db.t", { columns: COLUMNS, fields: [] }), "invalid_argument", "exactly one of columns and fields");
      await rejectsWith(catalog.createTable("db.t", { columns: COLUMNS, primaryKeys: ["nope"] }), "invalid_argument", "nope");
      await rejectsWith(catalog.createTable("db.t", { columns: COLUMNS, options: { "auto-create": "true" } }), "invalid_argument", "auto-create");
      await rejectsWith(catalog.createTable("db.t", { columns: COLUMNS, options: { type: "format-table" } }), "unsupported", "format-table");
      await rejectsWith(catalog.createTable("db.t$snapshots", { columns: COLUMNS }), "invalid_argument", "system table");
      assert.deepEqual(await catalog.listTables("db"), []);
      assert.deepEqual((await w.store.list("db.db/")).map((e) => e.path), []);
    });

    check("alterTable: the next schema, the returned table at it, refusals leave nothing behind", async (w, catalog) => {
      await catalog.createDatabase("db");
      await catalog.createTable("db.t", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "1" } });
      const altered = await catalog.alterTable("db.t", [
        { kind: "addColumn", name: "age", type: "INT" }, { kind: "setOption", key: "snapshot.num-retained.max", value: "5" },
        { kind: "renameColumn", from: "name", to: "full_name" },
      ]);
      assert.equal(altered.schema.id, 1n);
      assert.deepEqual(altered.schema.fields.map((f) => [f.id, f.name]), [[0, "id"], [1, "full_name"], [2, "dt"], [3, "age"]]);
      assert.equal(altered.options["snapshot.num-retained.max"], "5");
      assert.deepEqual((await catalog.getTable("db.t")).schema, altered.schema);
      // Read-unsupported, or write-unsupported on a table that was writable: refused before writing.
      await rejectsWith(catalog.alterTable("db.t", [{ kind: "setOption", key: "data-file.thin-mode", value: "true" }]), "unsupported", "data-file.thin-mode");
      await rejectsWith(catalog.alterTable("db.t", [{ kind: "setOption", key: "deletion-vectors.enabled", value: "true" }]), "unsupported", "deletion-vectors.enabled");
      await rejectsWith(catalog.alterTable("db.t", [{ kind: "dropColumn", name: "id" }]), "unsupported", "Cannot drop partition key or primary key: [id]");
      await rejectsWith(catalog.alterTable("db.t", [{ kind: "dropColumn", name: "nope" }]), "not_found", "Column nope does not exist in the db.t table.");
      assert.deepEqual((await w.store.list("db.db/t/schema/")).map((e) => e.path), ["db.db/t/schema/schema-0", "db.db/t/schema/schema-1"]);
      await rejectsWith(catalog.alterTable("db.none", []), "not_found", "Table db.none does not exist.");
      assert.equal(await catalog.alterTable("db.none", [], { ignoreIfNotExists: true }), null);
    });

    check("concurrent alterTable calls both land as consecutive schemas", async (w, catalog) => {
      await catalog.createDatabase("db");
      await catalog.createTable("db.t", { columns: COLUMNS });
      const other = openCatalog({ warehouse: w.store });
      const results = await Promise.all([
        catalog.alterTable("db.t", [{ kind: "setOption", key: "a", value: "1" }, { kind: "addColumn", name: "x", type: "INT" }]),
        other.alterTable("db.t", [{ kind: "setOption", key: "b", value: "2" }, { kind: "addColumn", name: "y", type: "INT" }]),
        catalog.alterTable("db.t", [{ kind: "updateComment", comment: "third" }]),
      ]);
      assert.deepEqual(results.map((t) => t.schema.id).sort(), [1n, 2n, 3n]);
      const last = (await catalog.getTable("db.t")).schema;
      assert.equal(last.id, 3n);
      assert.equal(last.options.a, "1");
      assert.equal(last.options.b, "2");
      assert.equal(last.comment, "third");
      assert.deepEqual(new Set(last.fields.map((f) => f.name)), new Set(["id", "name", "dt", "x", "y"]));
      assert.equal(last.highestFieldId, 4);
    });

    check("dropTable deletes the table directory; dropDatabase refuses non-empty unless cascade", async (w, catalog) => {
      await catalog.createDatabase("db");
      await catalog.createTable("db.a", { columns: COLUMNS });
      await catalog.createTable("db.b", { columns: COLUMNS });
      await catalog.dropTable("db.a");
      assert.deepEqual(await catalog.listTables("db"), ["b"]);
      assert.deepEqual(await w.store.list("db.db/a/"), []);
      await rejectsWith(catalog.getTable("db.a"), "not_found", "db.a");
      await rejectsWith(catalog.dropTable("db.a"), "not_found", "Table db.a does not exist.");
      await catalog.dropTable("db.a", { ignoreIfNotExists: true });
      if (w.dir !== null) assert.deepEqual(await readdir(join(w.dir, "db.db")), ["b"], "no empty table directory left for Java to see");
      await rejectsWith(catalog.dropDatabase("db"), "conflict", "Database db is not empty.");
      await catalog.dropDatabase("db", { cascade: true });
      assert.deepEqual(await catalog.listDatabases(), []);
      assert.deepEqual(await w.store.list(""), []);
      if (w.dir !== null) assert.deepEqual(await readdir(w.dir), []);
      await rejectsWith(catalog.dropDatabase("db"), "not_found", "Database db does not exist.");
      await catalog.dropDatabase("db", { ignoreIfNotExists: true });
      await catalog.createDatabase("empty");
      await catalog.dropDatabase("empty");
      assert.deepEqual(await catalog.listDatabases(), []);
    });

    check("a Java table read after ALTER: rename, add and drop on a primary-key table (merge read)", async (w, catalog) => {
      await copyFixtureTable(w.store, MOR, "db.db/mor");
      assert.deepEqual(await catalog.listDatabases(), ["db"]);
      const before = await rowsOf(catalog, "db.mor");
      assert.equal(before.length, 11);
      await catalog.alterTable("db.mor", [{ kind: "renameColumn", from: "f3", to: "score" }, { kind: "addColumn", name: "note", type: "STRING" }]);
      const after = await rowsOf(catalog, "db.mor");
      assert.deepEqual(after, before.map(({ f3, ...rest }) => ({ ...rest, score: f3!, note: null })));
      await catalog.alterTable("db.mor", [{ kind: "dropColumn", name: "score" }]);
      assert.deepEqual(await rowsOf(catalog, "db.mor"), before.map(({ f3: _, ...rest }) => ({ ...rest, note: null })));
      // A column re-added under the dropped name is a new column (new id): old files have no value for it.
      await catalog.alterTable("db.mor", [{ kind: "addColumn", name: "f3", type: "DOUBLE" }]);
      assert.ok((await rowsOf(catalog, "db.mor")).every((r) => r.f3 === null));
    });

    check("a Java table read after ALTER: DECIMAL widened, DATE to STRING, column moved first", async (w, catalog) => {
      await copyFixtureTable(w.store, COMPLEX, "db.db/complex");
      const before = await rowsOf(catalog, "db.complex");
      const table = await catalog.alterTable("db.complex", [
        { kind: "updateColumnType", name: "f5", type: "DECIMAL(25, 5)" }, { kind: "updateColumnType", name: "f3", type: "STRING" },
        { kind: "updateColumnPosition", name: "f6", position: { kind: "first" } },
      ]);
      assert.deepEqual(table.schema.fields.map((f) => f.name), ["f6", "f1", "f2", "f3", "f4", "f5"]);
      const isoDate = (days: number): string => new Date(days * 86_400_000).toISOString().slice(0, 10);
      const after = await rowsOf(catalog, "db.complex");
      assert.deepEqual(after, before.map((r) => ({ f6: r.f6!, f1: r.f1!, f2: r.f2!, f3: r.f3 === null ? null : isoDate(r.f3 as number), f4: r.f4!, f5: r.f5! })));
      assert.deepEqual(after.map((r) => Object.keys(r)), after.map(() => ["f6", "f1", "f2", "f3", "f4", "f5"]));
    });
  });
}

describe("catalog writes under injected faults", () => {
  test("a crash or failure at any write leaves the last complete schema readable, and the next writer carries on", async () => {
    const script = async (catalog: Catalog): Promise<void> => {
      await catalog.createDatabase("db");
      await catalog.createTable("db.t", { columns: COLUMNS });
      await catalog.alterTable("db.t", [{ kind: "addColumn", name: "x", type: "INT" }]);
      await catalog.alterTable("db.t", [{ kind: "setOption", key: "k", value: "v" }]);
    };
    const clean = new FaultStore(new MemoryStore());
    await script(openCatalog({ warehouse: clean }));
    const writes = clean.writeCount;
    assert.deepEqual(clean.writeLog.map((w) => w.op), ["makeDirectory", "putIfAbsent", "putIfAbsent", "putIfAbsent"]);
    for (let i = 0; i < writes; i++) {
      for (const kind of [FaultKind.FAIL, FaultKind.FAIL_AFTER, FaultKind.CRASH, FaultKind.CRASH_AFTER]) {
        const faulty = new FaultStore(new MemoryStore(), [{ writeIndex: i, kind }]);
        await assert.rejects(script(openCatalog({ warehouse: faulty })), LakeError, `${kind} at ${i}`);
        const reopened = openCatalog({ warehouse: faulty.inner });
        const done = kind === FaultKind.FAIL_AFTER || kind === FaultKind.CRASH_AFTER ? i + 1 : i; // writes that landed
        assert.deepEqual(await reopened.listDatabases(), done >= 1 ? ["db"] : [], `${kind} at ${i}`);
        if (done >= 2) assert.equal((await reopened.getTable("db.t")).schema.id, BigInt(done - 2), `${kind} at ${i}`);
        else assert.ok(!(await reopened.tableExists("db.t")));
        // The next writer carries on from what is there.
        await reopened.createDatabase("db", { ignoreIfExists: true });
        await reopened.createTable("db.t", { columns: COLUMNS }, { ignoreIfExists: true });
        const next = await reopened.alterTable("db.t", [{ kind: "updateComment", comment: "after" }]);
        assert.equal(next.schema.id, BigInt(Math.max(done - 2, 0) + 1));
      }
    }
  });
});

describe("catalog over the Java fixture warehouse (read-only listing is unchanged)", () => {
  test("databases and tables Java wrote are listed through directory listing", async () => {
    const catalog = openCatalog({ warehouse: new NodeFsStore(FIXTURES) });
    assert.deepEqual(await catalog.listDatabases(), ["append_complex_data", "append_table_with_alter_table", "paimon-0.5", "pk_09",
      "pk_table_scan_and_read_first_row", "pk_table_scan_and_read_mor"]);
    assert.ok(await catalog.databaseExists("pk_09"));
    assert.ok(!(await catalog.databaseExists("nope")));
    assert.ok(await catalog.tableExists("pk_09.pk_09"));
    assert.ok(!(await catalog.tableExists("pk_09.nope")));
    const schema0 = await readFixture(`paimon/java-tables/${MOR}/schema/schema-0`);
    assert.ok(schema0.length > 0);
  });
});
