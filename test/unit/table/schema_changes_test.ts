// Goal: applySchemaChanges computes the next schema as Java's SchemaManager.generateTableSchema
// does, for every SchemaChange kind, and refuses what Java refuses with Java's messages.
// Method: small schemas built with newTableSchema (and one decoded from Paimon 0.7-style JSON);
// expected fields, ids, keys and options written out by hand from Java's rules; option orders
// after a change were printed by OpenJDK 17 running the same HashMap chain Java's
// generateTableSchema uses (copy of the read map, put/remove, rename copy, Schema copy).
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { atomic, type DataType } from "../../../src/spec/data_types.ts";
import { decodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import { applySchemaChanges, type SchemaChange } from "../../../src/table/schema_changes.ts";
import { newTableSchema } from "../../../src/table/schema_create.ts";

const T0 = 1_700_000_000_000n;

/** A partitioned primary-key table: dt (partition), id (pk with dt), v, s, m MAP. */
function pkTable(options: Record<string, string> = {}): TableSchema {
  return newTableSchema({
    columns: [
      { name: "dt", type: "STRING" }, { name: "id", type: "BIGINT" }, { name: "v", type: "INT" },
      { name: "s", type: "STRING", comment: "text" },
      { name: "m", type: { root: "MAP", nullable: true, key: atomic("VARCHAR", { length: 2147483647, nullable: false }), value: atomic("INT") } },
    ],
    primaryKeys: ["dt", "id"], partitionKeys: ["dt"], options: { bucket: "2", ...options },
  }, { timeMillis: T0 });
}

/** An append table (no keys) with one partition column p. */
function appendTable(options: Record<string, string> = {}): TableSchema {
  return newTableSchema({ columns: [{ name: "a", type: "INT" }, { name: "b", type: "STRING" }, { name: "p", type: "INT" }], partitionKeys: ["p"], options }, { timeMillis: T0 });
}

function apply(schema: TableSchema, changes: SchemaChange[], hasSnapshots = true): TableSchema {
  return applySchemaChanges(schema, changes, { timeMillis: 1_800_000_000_000n, hasSnapshots, tableName: "db.t" });
}

function refuses(schema: TableSchema, changes: SchemaChange[], code: string, message: string | RegExp, hasSnapshots = true): void {
  assert.throws(() => apply(schema, changes, hasSnapshots), (e: unknown) => {
    assert.ok(e instanceof LakeError, String(e));
    assert.equal(e.code, code, e.message);
    if (typeof message === "string") assert.ok(e.message.includes(message), `${e.message} lacks ${message}`);
    else assert.match(e.message, message);
    return true;
  });
}

const names = (s: TableSchema): string[] => s.fields.map((f) => f.name);
const idsOf = (s: TableSchema): number[] => s.fields.map((f) => f.id);
const typeOf = (s: TableSchema, name: string): DataType => s.fields.find((f) => f.name === name)!.type;

describe("applySchemaChanges: the new schema", () => {
  test("id + 1, version 3, the given time, comment and highestFieldId carried", () => {
    const base = pkTable();
    const next = apply(base, []);
    assert.equal(next.id, 1n);
    assert.equal(next.version, 3);
    assert.equal(next.timeMillis, 1_800_000_000_000n);
    assert.equal(next.highestFieldId, 4);
    assert.deepEqual(next.fields, base.fields);
    assert.equal(apply(next, [{ kind: "updateComment", comment: "hello" }]).comment, "hello");
    assert.equal(apply(apply(next, [{ kind: "updateComment", comment: "x" }]), [{ kind: "updateComment", comment: null }]).comment, null);
  });

  test("a Paimon 0.7 schema (no version) gets its defaulted options written and version 3", () => {
    const old = decodeTableSchema(JSON.stringify({ id: 4, fields: [{ id: 0, name: "k", type: "INT" }], highestFieldId: 0, partitionKeys: [], primaryKeys: [], options: { x: "1" } }));
    assert.deepEqual(old.defaultedOptionKeys, ["bucket", "file.format"]);
    const next = apply(old, [{ kind: "setOption", key: "y", value: "2" }], false);
    assert.equal(next.id, 5n);
    assert.equal(next.version, 3);
    assert.deepEqual(next.defaultedOptionKeys, []);
    assert.deepEqual(next.options, { bucket: "1", x: "1", y: "2", "file.format": "orc" });
  });
});

describe("applySchemaChanges: options", () => {
  test("set, replace, reset; unchanged values are no change; order as Java's HashMaps give it (JDK 17)", () => {
    const base = newTableSchema({ columns: [{ name: "f2", type: "INT" }, { name: "f3", type: "INT" }], primaryKeys: ["f2"],
      options: { bucket: "2", "bucket-key": "f2", "manifest.format": "avro", "file.format": "parquet" } }, { timeMillis: T0 });
    assert.deepEqual(Object.keys(base.options), ["bucket", "bucket-key", "manifest.format", "file.format"]);
    const next = apply(base, [
      { kind: "setOption", key: "snapshot.num-retained.max", value: "10" }, { kind: "setOption", key: "write-only", value: "true" },
      { kind: "removeOption", key: "manifest.format" }, { kind: "setOption", key: "changelog.num-retained.max", value: "5" },
      { kind: "setOption", key: "sink.parallelism", value: "2" }, { kind: "setOption", key: "bucket", value: "2" },
    ]);
    assert.deepEqual(Object.keys(next.options), ["bucket", "changelog.num-retained.max", "write-only", "bucket-key", "snapshot.num-retained.max", "file.format", "sink.parallelism"]);
    assert.equal(next.options["write-only"], "true");
    assert.equal(apply(next, [{ kind: "setOption", key: "write-only", value: "false" }]).options["write-only"], "false");
  });

  test("immutable options: refused once the table has snapshots, allowed before", () => {
    const base = pkTable();
    refuses(base, [{ kind: "setOption", key: "merge-engine", value: "partial-update" }], "unsupported", "Change 'merge-engine' is not supported yet.");
    refuses(base, [{ kind: "removeOption", key: "bucket-key" }], "unsupported", "Change 'bucket-key' is not supported yet.");
    assert.equal(apply(base, [{ kind: "setOption", key: "merge-engine", value: "partial-update" }], false).options["merge-engine"], "partial-update");
    // Setting an option to its current value is no change, so never refused.
    const withEngine = pkTable({ "merge-engine": "deduplicate" });
    assert.equal(apply(withEngine, [{ kind: "setOption", key: "merge-engine", value: "deduplicate" }]).options["merge-engine"], "deduplicate");
  });

  test("'type' never changes; 'TABLE' on an unset type is no change", () => {
    refuses(pkTable(), [{ kind: "setOption", key: "type", value: "format-table" }], "unsupported", "Change 'type' is not supported yet.", false);
    refuses(pkTable(), [{ kind: "removeOption", key: "type" }], "unsupported", "Change 'type' is not supported yet.", false);
    assert.equal(apply(pkTable(), [{ kind: "setOption", key: "type", value: "TABLE" }]).options.type, undefined);
  });

  test("bucket: not from or to -1, never reset; other counts may change", () => {
    refuses(pkTable({ bucket: "-1" }), [{ kind: "setOption", key: "bucket", value: "4" }], "unsupported", "Cannot change bucket when it is -1.");
    refuses(pkTable(), [{ kind: "setOption", key: "bucket", value: "-1" }], "unsupported", "Cannot change bucket to -1.");
    refuses(pkTable(), [{ kind: "removeOption", key: "bucket" }], "unsupported", "Cannot reset bucket.");
    refuses(pkTable(), [{ kind: "setOption", key: "bucket", value: "four" }], "invalid_argument", "'bucket'");
    assert.equal(apply(pkTable(), [{ kind: "setOption", key: "bucket", value: "4" }]).options.bucket, "4");
  });

  test("deletion vectors, ignore-delete and ignore-update-before one way only", () => {
    refuses(pkTable(), [{ kind: "setOption", key: "deletion-vectors.enabled", value: "true" }], "unsupported", "Cannot change deletion vectors mode from false to true.");
    const modifiable = pkTable({ "deletion-vectors.modifiable": "true" });
    assert.equal(apply(modifiable, [{ kind: "setOption", key: "deletion-vectors.enabled", value: "true" }]).options["deletion-vectors.enabled"], "true");
    refuses(pkTable({ "deletion-vectors.enabled": "true" }), [{ kind: "removeOption", key: "deletion-vectors.enabled" }], "unsupported", "from true to false");
    refuses(pkTable({ "ignore-delete": "true" }), [{ kind: "setOption", key: "ignore-delete", value: "false" }], "unsupported", "Cannot change ignore-delete from true to false.");
    refuses(pkTable({ "ignore-update-before": "TRUE" }), [{ kind: "setOption", key: "ignore-update-before", value: "no" }], "unsupported", "ignore-update-before");
    assert.equal(apply(pkTable(), [{ kind: "setOption", key: "ignore-delete", value: "true" }]).options["ignore-delete"], "true");
  });

  test("keys given as options: the same keys are no change; on an empty append table they become keys", () => {
    assert.equal(apply(pkTable(), [{ kind: "setOption", key: "primary-key", value: "dt, id" }]).options["primary-key"], undefined);
    const keyed = apply(appendTable(), [{ kind: "setOption", key: "primary-key", value: "a,p" }], false);
    assert.deepEqual(keyed.primaryKeys, ["a", "p"]);
    assert.equal(keyed.options["primary-key"], undefined);
    assert.equal(typeOf(keyed, "a").nullable, false, "primary-key columns become NOT NULL");
    refuses(pkTable(), [{ kind: "setOption", key: "primary-key", value: "v" }], "invalid_argument", "Cannot define primary key on DDL and table options at the same time.", false);
  });
});

describe("applySchemaChanges: columns", () => {
  test("addColumn: ids after highestFieldId, positions, nested ROW ids, type text", () => {
    const base = appendTable();
    const next = apply(base, [
      { kind: "addColumn", name: "c", type: "BIGINT", comment: "new" },
      { kind: "addColumn", name: "z", type: "INT", position: { kind: "first" } },
      { kind: "addColumn", name: "r", type: { root: "ROW", nullable: true, fields: [{ id: 0, name: "x", type: atomic("INT") }] }, position: { kind: "after", column: "a" } },
    ]);
    assert.deepEqual(names(next), ["z", "a", "r", "b", "p", "c"]);
    assert.deepEqual(idsOf(next), [4, 0, 5, 1, 2, 3]);
    assert.equal(next.highestFieldId, 6);
    const r = typeOf(next, "r");
    assert.equal(r.root === "ROW" ? r.fields[0]!.id : -1, 6);
    assert.equal(next.fields.at(-1)!.description, "new");
  });

  test("addColumn: before the partition columns with add-column-before-partition", () => {
    const next = apply(appendTable({ "add-column-before-partition": "true" }), [{ kind: "addColumn", name: "c", type: "INT" }]);
    assert.deepEqual(names(next), ["a", "b", "c", "p"]);
  });

  test("addColumn refusals", () => {
    refuses(appendTable(), [{ kind: "addColumn", name: "c", type: "INT NOT NULL" }], "invalid_argument", "Column c cannot specify NOT NULL in the db.t table.");
    refuses(appendTable(), [{ kind: "addColumn", name: "b", type: "INT" }], "invalid_argument", "Column b already exists in the db.t table.");
    refuses(appendTable(), [{ kind: "addColumn", name: "c", type: "INT", position: { kind: "after", column: "nope" } }], "not_found", "Column nope does not exist in the db.t table.");
    refuses(appendTable(), [{ kind: "addColumn", name: "c", type: "BLOB", comment: "__BLOB_FIELD" }], "unsupported", "column directives");
    refuses(appendTable(), [{ kind: "addColumn", name: "c", type: "NOT A TYPE" }], "invalid_argument", "NOT A TYPE");
  });

  test("renameColumn keeps the id and renames primary keys and the options naming the column (JDK 17 order)", () => {
    const base = newTableSchema({ columns: [{ name: "f2", type: "INT" }, { name: "f3", type: "INT" }], primaryKeys: ["f2"],
      options: { bucket: "2", "bucket-key": "f2", "manifest.format": "avro", "file.format": "parquet" } }, { timeMillis: T0 });
    const withAgg = apply(base, [{ kind: "setOption", key: "fields.f3.aggregate-function", value: "sum" }], false);
    const next = apply(withAgg, [{ kind: "renameColumn", from: "f2", to: "z" }, { kind: "renameColumn", from: "f3", to: "amount" }]);
    assert.deepEqual(names(next), ["z", "amount"]);
    assert.deepEqual(idsOf(next), [0, 1]);
    assert.deepEqual(next.primaryKeys, ["z"]);
    assert.deepEqual(next.options, { bucket: "2", "bucket-key": "z", "fields.amount.aggregate-function": "sum", "manifest.format": "avro", "file.format": "parquet" });
    assert.deepEqual(Object.keys(next.options), ["bucket", "bucket-key", "fields.amount.aggregate-function", "manifest.format", "file.format"]);
  });

  test("renameColumn: sequence groups have columns in key and value", () => {
    const base = newTableSchema({ columns: [{ name: "k", type: "INT" }, { name: "a", type: "INT" }, { name: "g", type: "INT" }], primaryKeys: ["k"],
      options: { "merge-engine": "partial-update", "fields.g.sequence-group": "a", "sequence.field": "g" } }, { timeMillis: T0 });
    const next = apply(base, [{ kind: "renameColumn", from: "g", to: "g2" }, { kind: "renameColumn", from: "a", to: "a2" }]);
    assert.equal(next.options["fields.g2.sequence-group"], "a2");
    assert.equal(next.options["fields.g.sequence-group"], undefined);
    assert.equal(next.options["sequence.field"], "g2");
  });

  test("renameColumn refusals", () => {
    refuses(pkTable(), [{ kind: "renameColumn", from: "dt", to: "day" }], "unsupported", "Cannot rename partition column: [dt]");
    refuses(pkTable(), [{ kind: "renameColumn", from: "nope", to: "x" }], "not_found", "Column nope does not exist");
    refuses(pkTable(), [{ kind: "renameColumn", from: "v", to: "s" }], "invalid_argument", "Column s already exists");
    refuses(pkTable({ "pk-btree.index.columns": "v" }), [{ kind: "renameColumn", from: "v", to: "w" }], "unsupported", "Cannot rename primary-key index column: [v]");
  });

  test("dropColumn removes the column, keeps highestFieldId, removes options of a dropped MAP", () => {
    const base = pkTable({ "fields.m.map.storage-layout": "shared", "fields.v.aggregate-function": "sum" });
    const next = apply(base, [{ kind: "dropColumn", name: "m" }, { kind: "dropColumn", name: "s" }]);
    assert.deepEqual(names(next), ["dt", "id", "v"]);
    assert.equal(next.highestFieldId, 4);
    assert.equal(next.options["fields.m.map.storage-layout"], undefined);
    assert.equal(next.options["fields.v.aggregate-function"], "sum");
    const re = apply(next, [{ kind: "addColumn", name: "s", type: "STRING" }]);
    assert.equal(re.fields.at(-1)!.id, 5, "a re-added column gets a new id");
  });

  test("dropColumn refusals", () => {
    refuses(pkTable(), [{ kind: "dropColumn", name: "id" }], "unsupported", "Cannot drop partition key or primary key: [id]");
    refuses(pkTable(), [{ kind: "dropColumn", name: "dt" }], "unsupported", "Cannot drop partition key or primary key: [dt]");
    refuses(pkTable(), [{ kind: "dropColumn", name: "nope" }], "not_found", "Column nope does not exist");
    const one = newTableSchema({ columns: [{ name: "a", type: "INT" }, { name: "b", type: "INT" }] }, { timeMillis: T0 });
    refuses(one, [{ kind: "dropColumn", name: "a" }, { kind: "dropColumn", name: "b" }], "invalid_argument", "Cannot drop all fields in table");
  });

  test("updateColumnType: Java's casts, explicit ones unless disabled; keys refused", () => {
    const next = apply(pkTable(), [{ kind: "updateColumnType", name: "v", type: "BIGINT" }, { kind: "updateColumnType", name: "s", type: "VARCHAR(10)" }]);
    assert.deepEqual(typeOf(next, "v"), atomic("BIGINT"));
    assert.deepEqual(typeOf(next, "s"), atomic("VARCHAR", { length: 10 }));
    assert.equal(next.fields.find((f) => f.name === "s")!.description, "text");
    assert.deepEqual(typeOf(apply(pkTable(), [{ kind: "updateColumnType", name: "s", type: "INT" }]), "s"), atomic("INT"));
    refuses(pkTable({ "disable-explicit-type-casting": "true" }), [{ kind: "updateColumnType", name: "s", type: "INT" }], "invalid_argument",
      "Column type s[STRING] cannot be converted to INT without losing information.");
    refuses(pkTable(), [{ kind: "updateColumnType", name: "v", type: "DATE" }], "invalid_argument", "Column type v[INT] cannot be converted to DATE");
    refuses(pkTable(), [{ kind: "updateColumnType", name: "id", type: "STRING" }], "unsupported", "Cannot update primary key");
    refuses(pkTable(), [{ kind: "updateColumnType", name: "dt", type: "INT" }], "unsupported", "Cannot update partition column: [dt]");
    refuses(pkTable(), [{ kind: "updateColumnType", name: "nope", type: "INT" }], "not_found", "Column nope does not exist");
  });

  test("nullability: NOT NULL to nullable allowed, the reverse only with alter-column-null-to-not-null.disabled = false", () => {
    refuses(pkTable(), [{ kind: "updateColumnType", name: "v", type: "INT NOT NULL" }], "unsupported", "Cannot update column type from nullable to non nullable for v.");
    refuses(pkTable(), [{ kind: "updateColumnNullability", name: "v", nullable: false }], "unsupported", "nullable to non nullable");
    const allowed = pkTable({ "alter-column-null-to-not-null.disabled": "false" });
    const notNull = apply(allowed, [{ kind: "updateColumnNullability", name: "v", nullable: false }]);
    assert.equal(typeOf(notNull, "v").nullable, false);
    assert.equal(typeOf(apply(notNull, [{ kind: "updateColumnNullability", name: "v", nullable: true }]), "v").nullable, true);
    refuses(pkTable(), [{ kind: "updateColumnNullability", name: "id", nullable: true }], "unsupported", "Cannot change nullability of primary key");
  });

  test("updateColumnComment sets and clears a description", () => {
    const set = apply(pkTable(), [{ kind: "updateColumnComment", name: "v", comment: "value" }]);
    assert.equal(set.fields.find((f) => f.name === "v")!.description, "value");
    const cleared = apply(set, [{ kind: "updateColumnComment", name: "v", comment: null }]);
    assert.ok(!("description" in cleared.fields.find((f) => f.name === "v")!));
    refuses(pkTable(), [{ kind: "updateColumnComment", name: "nope", comment: "x" }], "not_found", "Column nope");
  });

  test("updateColumnPosition: first, last, after, before; moving onto itself refused", () => {
    const base = appendTable(); // a b p
    assert.deepEqual(names(apply(base, [{ kind: "updateColumnPosition", name: "p", position: { kind: "first" } }])), ["p", "a", "b"]);
    assert.deepEqual(names(apply(base, [{ kind: "updateColumnPosition", name: "a", position: { kind: "last" } }])), ["b", "p", "a"]);
    assert.deepEqual(names(apply(base, [{ kind: "updateColumnPosition", name: "a", position: { kind: "after", column: "b" } }])), ["b", "a", "p"]);
    assert.deepEqual(names(apply(base, [{ kind: "updateColumnPosition", name: "p", position: { kind: "before", column: "b" } }])), ["a", "p", "b"]);
    refuses(base, [{ kind: "updateColumnPosition", name: "a", position: { kind: "first" } }], "unsupported", "Cannot move itself for column a");
    refuses(base, [{ kind: "updateColumnPosition", name: "a", position: { kind: "after", column: "x" } }], "not_found", "Reference field name not found: x");
  });

  test("an unknown change kind is invalid_argument", () => {
    refuses(pkTable(), [{ kind: "renameTable" } as unknown as SchemaChange], "invalid_argument", "renameTable");
  });
});
