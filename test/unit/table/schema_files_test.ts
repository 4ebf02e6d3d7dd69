// Goal: schema files are written byte for byte as Java writes them, created with one
// putIfAbsent, and committed by concurrent alterers as consecutive schemas without loss.
// Method: re-create the schema-0 of every Java-written (version 3) fixture table from its
// columns, keys, options and time, and schema-1 of the altered fixture from schema-0 plus the
// changes its README lists; compare bytes with the fixture files. Options are given in an order
// other than the file's (reversed), except where two keys share a bin of Java's first HashMap,
// where the caller's order decides in Java too (tested both ways). Then the store side on a
// MemoryStore: create/exists conflicts, a race of two committers, a rival that always wins.
import { fileURLToPath } from "node:url";
import { assert, describe, readFixture, readFixtureText, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { atomic } from "../../../src/spec/data_types.ts";
import { decodeTableSchema, encodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import { equalBytes, utf8Decode, utf8Encode } from "../../../src/util/bytes.ts";
import { applySchemaChanges } from "../../../src/table/schema_changes.ts";
import { newTableSchema, type TableSpec } from "../../../src/table/schema_create.ts";
import { commitSchemaChanges, createTableSchemaFile, latestSchema, listSchemaIds } from "../../../src/table/schema_manager.ts";

const TABLES = "paimon/java-tables/";
const PK_COLUMNS = [{ name: "f0", type: "STRING" }, { name: "f1", type: "INT" }, { name: "f2", type: "INT" }, { name: "f3", type: "DOUBLE" }];

/** Fixture table, its definition (options NOT in file order) and creation time. */
const CREATED: [string, TableSpec, bigint][] = [
  ["append_complex_data.db/append_complex_data", {
    columns: [{ name: "f1", type: "INT" }, { name: "f2", type: "INT" }, { name: "f3", type: "DATE" }, { name: "f4", type: "TIMESTAMP(9)" },
      { name: "f5", type: "DECIMAL(23, 5)" }, { name: "f6", type: "BYTES" }],
    partitionKeys: ["f1"],
    // file.format and parquet.use-native share a bin of the 8-bin copy but not of the first map:
    // Java writes parquet.use-native first whatever order they were given in.
    options: { "file.format": "parquet", "parquet.use-native": "false", "manifest.format": "avro", "bucket-key": "f2", bucket: "2" },
  }, 1756113206914n],
  ["append_table_with_alter_table.db/append_table_with_alter_table", {
    columns: ["key0", "key1", "a", "b", "c", "d", "k"].map((name) => ({ name, type: "INT" })),
    partitionKeys: ["key0", "key1"], options: { "file.format": "parquet", "manifest.format": "avro" },
  }, 1756092921896n],
  ["pk_09.db/pk_09", {
    columns: PK_COLUMNS, primaryKeys: ["f0", "f1", "f2"], partitionKeys: ["f1"],
    // deletion-vectors.enabled and commit.force-compact share a bin: their relative order is the caller's.
    options: { "deletion-vectors.enabled": "true", "commit.force-compact": "true", "file.format": "parquet", "manifest.format": "avro", "bucket-key": "f2", bucket: "2" },
  }, 1755758621910n],
  ["pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row", {
    columns: PK_COLUMNS, primaryKeys: ["f0", "f1", "f2"], partitionKeys: ["f1"],
    options: { "merge-engine": "first-row", "ignore-delete": "true", "file.format": "parquet", "manifest.format": "avro", "bucket-key": "f2", bucket: "2" },
  }, 1756199910221n],
  ["pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", {
    // Keys given as options, as `Schema` accepts them, and fields already numbered.
    fields: [
      { id: 0, name: "f0", type: atomic("VARCHAR", { length: 2147483647 }) }, { id: 1, name: "f1", type: atomic("INT") },
      { id: 2, name: "f2", type: atomic("INT") }, { id: 3, name: "f3", type: atomic("DOUBLE") },
    ],
    options: { "file.format": "parquet", "manifest.format": "avro", "primary-key": "f0, f1,f2", partition: "f1", "bucket-key": "f2", bucket: "2" },
  }, 1756266931880n],
];

async function fixtureBytes(table: string, file: string): Promise<Uint8Array> {
  return readFixture(`${TABLES}${table}/schema/${file}`);
}

function assertSameBytes(actual: string, expected: Uint8Array, what: string): void {
  assert.equal(actual, utf8Decode(expected), what); // readable diff first
  assert.ok(equalBytes(utf8Encode(actual), expected), what);
}

describe("schema files are Java's bytes", () => {
  for (const [table, spec, time] of CREATED) {
    test(`schema-0 of ${table.split("/")[1]}`, async () => {
      const schema = newTableSchema(spec, { timeMillis: time });
      assertSameBytes(encodeTableSchema(schema), await fixtureBytes(table, "schema-0"), table);
      const store = new MemoryStore();
      await createTableSchemaFile(store, schema);
      assert.ok(equalBytes(await store.get("schema/schema-0"), await fixtureBytes(table, "schema-0")));
    });
  }

  test("keys sharing a bin of Java's first map keep the caller's order (pk_09 with the pair swapped)", async () => {
    const [table, spec, time] = CREATED[2]!;
    const { "deletion-vectors.enabled": dv, ...rest } = spec.options!;
    const swapped = newTableSchema({ ...spec, options: { "commit.force-compact": "true", ...rest, "deletion-vectors.enabled": dv! } }, { timeMillis: time });
    const keys = Object.keys(swapped.options);
    assert.deepEqual(keys.slice(-2), ["commit.force-compact", "deletion-vectors.enabled"]);
    assert.notEqual(encodeTableSchema(swapped), await readFixtureText(`${TABLES}${table}/schema/schema-0`));
  });

  test("schema-1 of the altered fixture: drops, renames, a move and two adds (README) as one commit", async () => {
    const table = "append_table_with_alter_table.db/append_table_with_alter_table";
    const schema0 = decodeTableSchema(utf8Decode(await fixtureBytes(table, "schema-0")), { fileName: "schema-0" });
    const schema1 = applySchemaChanges(schema0, [
      { kind: "dropColumn", name: "a" }, { kind: "dropColumn", name: "c" },
      { kind: "renameColumn", from: "b", to: "c" }, { kind: "renameColumn", from: "d", to: "a" },
      { kind: "updateColumnPosition", name: "k", position: { kind: "after", column: "key1" } },
      { kind: "addColumn", name: "d", type: "INT", comment: "", position: { kind: "after", column: "c" } },
      { kind: "addColumn", name: "e", type: "INT" },
    ], { timeMillis: 1756098439075n, hasSnapshots: true });
    assertSameBytes(encodeTableSchema(schema1), await fixtureBytes(table, "schema-1"), "schema-1");
  });
});

/** A MemoryStore holding a copy of fixture table `table`. */
async function copyFixture(table: string): Promise<MemoryStore> {
  const source = new NodeFsStore(fileURLToPath(new URL(`../../fixtures/${TABLES}${table}`, import.meta.url)));
  const store = new MemoryStore();
  for (const e of await source.list("")) await store.put(e.path, await source.get(e.path));
  return store;
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof LakeError, String(e));
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(message), `${e.message} lacks ${message}`);
    return true;
  });
}

function freshSchema(): TableSchema {
  return newTableSchema({ columns: [{ name: "k", type: "INT" }, { name: "v", type: "STRING" }], primaryKeys: ["k"], options: { bucket: "1" } }, { timeMillis: 1n });
}

describe("createTableSchemaFile", () => {
  test("one putIfAbsent; a second create, or any existing schema file, is a conflict", async () => {
    const store = new MemoryStore();
    await createTableSchemaFile(store, freshSchema());
    await rejectsWith(createTableSchemaFile(store, freshSchema()), "conflict", "table already exists");
    const other = new MemoryStore();
    await other.put("schema/schema-3", utf8Encode(encodeTableSchema({ ...freshSchema(), id: 3n })));
    await rejectsWith(createTableSchemaFile(other, freshSchema()), "conflict", "schema-3");
    assert.deepEqual(await listSchemaIds(other), [3n]);
    await rejectsWith(createTableSchemaFile(new MemoryStore(), { ...freshSchema(), id: 1n }), "invalid_argument", "id 0");
  });

  test("of two racing creators exactly one wins", async () => {
    const store = new MemoryStore();
    const results = await Promise.allSettled([createTableSchemaFile(store, freshSchema()), createTableSchemaFile(store, { ...freshSchema(), comment: "b" })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
    assert.deepEqual(await listSchemaIds(store), [0n]);
  });
});

describe("commitSchemaChanges", () => {
  test("writes the next schema file with the clock's time; the read path sees it", async () => {
    const store = await copyFixture("pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");
    const next = await commitSchemaChanges(store, [{ kind: "addColumn", name: "note", type: "STRING" }], { nowMs: () => 1234.9 });
    assert.equal(next.id, 1n);
    assert.equal(next.timeMillis, 1234n);
    assert.deepEqual(await latestSchema(store), next);
    assert.equal(utf8Decode(await store.get("schema/schema-1")), encodeTableSchema(next));
  });

  test("option rules depend on snapshots: the fixture (with snapshots) refuses, a fresh table allows", async () => {
    const withSnapshots = await copyFixture("pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");
    await rejectsWith(commitSchemaChanges(withSnapshots, [{ kind: "setOption", key: "merge-engine", value: "first-row" }]), "unsupported", "Change 'merge-engine'");
    assert.deepEqual(await listSchemaIds(withSnapshots), [0n], "nothing written on refusal");
    const fresh = new MemoryStore();
    await createTableSchemaFile(fresh, freshSchema());
    const next = await commitSchemaChanges(fresh, [{ kind: "setOption", key: "merge-engine", value: "first-row" }]);
    assert.equal(next.options["merge-engine"], "first-row");
  });

  test("two racing committers both land, as consecutive schemas", async () => {
    const store = new MemoryStore();
    await createTableSchemaFile(store, freshSchema());
    const [a, b] = await Promise.all([
      commitSchemaChanges(store, [{ kind: "setOption", key: "a", value: "1" }, { kind: "addColumn", name: "x", type: "INT" }]),
      commitSchemaChanges(store, [{ kind: "setOption", key: "b", value: "2" }, { kind: "addColumn", name: "y", type: "INT" }]),
    ]);
    assert.deepEqual([a.id, b.id].sort(), [1n, 2n]);
    assert.deepEqual(await listSchemaIds(store), [0n, 1n, 2n]);
    const last = await latestSchema(store);
    assert.equal(last.options.a, "1");
    assert.equal(last.options.b, "2");
    assert.deepEqual(last.fields.map((f) => f.name).slice(0, 2), ["k", "v"]);
    assert.deepEqual(new Set(last.fields.map((f) => f.name)), new Set(["k", "v", "x", "y"]));
    assert.deepEqual(last.fields.map((f) => f.id), [0, 1, 2, 3], "the second committer numbers after the first");
  });

  test("a rival that always takes the next id: bounded attempts, then conflict, nothing written", async () => {
    const inner = new MemoryStore();
    await createTableSchemaFile(inner, freshSchema());
    let rivals = 0;
    const racing: ObjectStore = {
      get: (p) => inner.get(p), getRange: (p, r) => inner.getRange(p, r), put: (p, b) => inner.put(p, b), list: (p) => inner.list(p),
      delete: (p) => inner.delete(p), stat: (p) => inner.stat(p),
      putIfAbsent: async (path, bytes) => {
        if (path.startsWith("schema/")) {
          rivals++;
          const latest = await latestSchema(inner);
          await inner.putIfAbsent(path, utf8Encode(encodeTableSchema({ ...latest, id: latest.id + 1n, comment: `rival ${rivals}` })));
        }
        return inner.putIfAbsent(path, bytes);
      },
    };
    await rejectsWith(commitSchemaChanges(racing, [{ kind: "setOption", key: "mine", value: "1" }], { attemptsMax: 3 }), "conflict", "gave up after 3 attempts");
    assert.equal(rivals, 3);
    const last = await latestSchema(inner);
    assert.equal(last.id, 3n);
    assert.equal(last.options.mine, undefined);
  });

  test("a missing table is not_found; a refusing validate hook writes nothing", async () => {
    await rejectsWith(commitSchemaChanges(new MemoryStore(), []), "not_found", "no schema file");
    const store = new MemoryStore();
    await createTableSchemaFile(store, freshSchema());
    const refuse = () => { throw new LakeError("unsupported", "hook says no"); };
    await rejectsWith(commitSchemaChanges(store, [{ kind: "setOption", key: "x", value: "1" }], { validate: refuse }), "unsupported", "hook says no");
    assert.deepEqual(await listSchemaIds(store), [0n]);
    await rejectsWith(commitSchemaChanges(store, [], { attemptsMax: 0 }), "invalid_argument", "attemptsMax");
  });
});
