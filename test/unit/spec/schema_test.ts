// Goal: schema JSON decodes in every layout (v1 without version/timeMillis, v3), applies Java's
// compatibility defaults, encodes in Java's exact layout, and rejects what Java rejects.
// Method: Java-written fixtures plus hand-built schemas that break one rule each.
import { assert, describe, readFixtureText, test } from "../../harness.ts";
import {
  bucketKeys, createTableSchema, decodeTableSchema, encodeTableSchema, highestFieldIdOf, logicalBucketKeyType,
  logicalPartitionType, logicalRowType, logicalTrimmedPrimaryKeysType, parseSchemaFileId, schemaFieldByName,
  trimmedPrimaryKeys, type TableSchema,
} from "../../../src/spec/schema.ts";
import { atomic, type DataField } from "../../../src/spec/data_types.ts";
import { isLakeError } from "../../../src/errors.ts";

const PK09 = "paimon/java-tables/pk_09.db/pk_09/schema/schema-0";
const OLD05 = "paimon/java-tables/paimon-0.5.db/many_pk_table/schema/schema-0";
const ALTER1 = "paimon/java-tables/append_table_with_alter_table.db/append_table_with_alter_table/schema/schema-1";

const f = (id: number, name: string, type = atomic("INT")): DataField => ({ id, name, type });

function minimalJson(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 3, id: 0, fields: [{ id: 0, name: "a", type: "INT NOT NULL" }, { id: 1, name: "b", type: "STRING" }],
    highestFieldId: 1, partitionKeys: [], primaryKeys: ["a"], options: { bucket: "2" }, timeMillis: 5, ...extra,
  });
}

describe("decode", () => {
  test("a 0.9 PK schema: every field, keys and helpers", async () => {
    const s = decodeTableSchema(await readFixtureText(PK09), { fileName: "schema-0" });
    assert.equal(s.version, 3);
    assert.equal(s.id, 0n);
    assert.deepEqual(s.fields.map((x) => x.name), ["f0", "f1", "f2", "f3"]);
    assert.equal(s.fields[0]!.type.nullable, false);
    assert.equal(s.highestFieldId, 3);
    assert.deepEqual(s.partitionKeys, ["f1"]);
    assert.deepEqual(s.primaryKeys, ["f0", "f1", "f2"]);
    assert.equal(s.options["deletion-vectors.enabled"], "true");
    assert.equal(s.timeMillis, 1755758621910n);
    assert.equal(s.comment, null);
    assert.deepEqual(s.defaultedOptionKeys, []);
    assert.deepEqual(trimmedPrimaryKeys(s), ["f0", "f2"]);
    assert.deepEqual(bucketKeys(s), ["f2"]);
    assert.equal(schemaFieldByName(s, "f3")?.id, 3);
    assert.equal(schemaFieldByName(s, "nope"), undefined);
    assert.deepEqual(logicalPartitionType(s).fields.map((x) => x.name), ["f1"]);
    assert.deepEqual(logicalTrimmedPrimaryKeysType(s).fields.map((x) => x.name), ["f0", "f2"]);
    assert.deepEqual(logicalBucketKeyType(s).fields.map((x) => x.name), ["f2"]);
    assert.equal(logicalRowType(s).fields.length, 4);
  });

  test("a 0.5 schema without version and timeMillis reads as version 1, time 0", async () => {
    const s = decodeTableSchema(await readFixtureText(OLD05));
    assert.equal(s.version, 1);
    assert.equal(s.timeMillis, 0n);
    assert.deepEqual(s.primaryKeys, ["point_id", "version"]);
    assert.deepEqual(s.defaultedOptionKeys, []); // bucket and file.format are in the file
    const out = encodeTableSchema(s);
    assert.match(out, /^\{\n  "version" : 1,\n  "id" : 0,/);
    assert.match(out, /\n  "timeMillis" : 0\n\}$/);
  });

  test("compatibility defaults: v1 without bucket gets bucket=1, v<=2 without file.format gets orc", () => {
    const v1 = decodeTableSchema(minimalJson({ version: undefined, options: {} }));
    assert.equal(v1.options.bucket, "1");
    assert.equal(v1.options["file.format"], "orc");
    assert.deepEqual(v1.defaultedOptionKeys, ["bucket", "file.format"]);
    const v2 = decodeTableSchema(minimalJson({ version: 2, options: {} }));
    assert.equal(v2.options.bucket, undefined);
    assert.equal(v2.options["file.format"], "orc");
    const v3 = decodeTableSchema(minimalJson({ options: {} }));
    assert.deepEqual(v3.options, {});
  });

  test("a renamed/reordered schema keeps ids and description", async () => {
    const s = decodeTableSchema(await readFixtureText(ALTER1));
    assert.deepEqual(s.fields.map((x) => `${x.id}:${x.name}`), ["0:key0", "1:key1", "6:k", "3:c", "7:d", "5:a", "8:e"]);
    assert.equal(s.fields[4]!.description, "");
    assert.equal(s.highestFieldId, 8);
  });

  test("options given as JSON numbers/booleans become text (Java asText)", () => {
    const s = decodeTableSchema(minimalJson({ options: { bucket: 2, "write-only": true } }));
    assert.deepEqual(s.options, { bucket: "2", "write-only": "true" });
  });

  const corrupt: [string, string, RegExp][] = [
    ["bad json", "{", /schema: json: /],
    ["not an object", "[]", /expected a JSON object/],
    ["id mismatch", minimalJson({ id: 4 }), /id in file 4 does not match file name schema-3/],
    ["id not int", minimalJson({ id: "x" }), /field "id" must be a 32-bit integer, got "x"/],
    ["fields missing", minimalJson({ fields: undefined }), /"fields" must be an array/],
    ["bad type", minimalJson({ fields: [{ id: 0, name: "a", type: "INTEGRAL" }] }), /fields\[0\].*INTEGRAL/],
    ["highestFieldId too small", minimalJson({ highestFieldId: 0 }), /field id 1 is above highestFieldId 0/],
    ["nested id above highest", minimalJson({
      fields: [{ id: 0, name: "a", type: "INT NOT NULL" }, { id: 1, name: "r", type: { type: "ROW", fields: [{ id: 7, name: "x", type: "INT" }] } }],
    }), /field id 7 is above highestFieldId 1/],
    ["duplicate id", minimalJson({ fields: [{ id: 0, name: "a", type: "INT" }, { id: 0, name: "b", type: "INT" }] }), /field id 0 .* duplicated/],
    ["duplicate name", minimalJson({ fields: [{ id: 0, name: "a", type: "INT" }, { id: 1, name: "a", type: "INT" }] }), /field name "a" is duplicated/],
    ["pk not a column", minimalJson({ primaryKeys: ["zz"] }), /primary keys name "zz"/],
    ["bucket-key not in pk", minimalJson({ options: { bucket: "2", "bucket-key": "b" } }), /bucket key "b" must be one of the primary keys/],
    ["bad bucket", minimalJson({ options: { bucket: "two" } }), /'bucket' has invalid value "two"/],
    ["option value object", minimalJson({ options: { bucket: {} } }), /option "bucket" must be a string/],
  ];
  for (const [name, text, re] of corrupt) {
    test(`rejects: ${name}`, () => {
      assert.throws(() => decodeTableSchema(text, { fileName: name === "id mismatch" ? "schema-3" : "schema-0" }),
        (e: unknown) => isLakeError(e, "corruption") && re.test((e as Error).message));
    });
  }

  test("schema file names", () => {
    assert.equal(parseSchemaFileId("schema-12"), 12n);
    assert.throws(() => parseSchemaFileId("schema-01"), /not a schema file name/);
  });
});

describe("create", () => {
  const base = { timeMillis: 1700000000000n, fields: [f(0, "k"), f(1, "p"), f(2, "v", atomic("VARCHAR", { length: 10 }))] };

  test("primary keys become NOT NULL, highestFieldId covers nested ids, version 3", () => {
    const nested: DataField = { id: 9, name: "r", type: { root: "ROW", nullable: true, fields: [f(12, "x")] } };
    const s = createTableSchema({ ...base, fields: [...base.fields, nested], primaryKeys: ["k", "p"], partitionKeys: ["p"], options: { bucket: "4" } });
    assert.equal(s.version, 3);
    assert.equal(s.fields[0]!.type.nullable, false);
    assert.equal(s.fields[1]!.type.nullable, false);
    assert.equal(s.fields[2]!.type.nullable, true);
    assert.equal(s.highestFieldId, 12);
    assert.equal(highestFieldIdOf(base.fields), 2);
    assert.deepEqual(bucketKeys(s), ["k"]);
  });

  test("keys given as options move into the key lists", () => {
    const s = createTableSchema({ ...base, options: { "primary-key": "k, p", partition: "p", bucket: "1" } });
    assert.deepEqual(s.primaryKeys, ["k", "p"]);
    assert.deepEqual(s.partitionKeys, ["p"]);
    assert.deepEqual(s.options, { bucket: "1" });
    assert.throws(() => createTableSchema({ ...base, primaryKeys: ["k"], options: { "primary-key": "k" } }), /both as a list/);
  });

  const invalid: [string, Partial<Parameters<typeof createTableSchema>[0]>, RegExp][] = [
    ["missing pk", { primaryKeys: ["nope"] }, /primary keys name "nope"/],
    ["duplicate pk", { primaryKeys: ["k", "k"] }, /contain "k" twice/],
    ["pk equals partition", { primaryKeys: ["p"], partitionKeys: ["p"] }, /must not all be partition keys/],
    ["missing partition key", { partitionKeys: ["zz"] }, /partition keys name "zz"/],
    ["bucket key is partition key", { partitionKeys: ["p"], options: { "bucket-key": "p" } }, /bucket key "p" must not be a partition key/],
    ["bucket key unknown", { options: { "bucket-key": "k,zz" } }, /bucket key "zz" is not a column/],
    ["bucket 0", { options: { bucket: "0" } }, /'bucket' = 0 must be a positive bucket count/],
    ["highest too small", { highestFieldId: 1 }, /field id 2 is above highestFieldId 1/],
    ["blank name", { fields: [f(0, " ")] }, /field name " " is blank/],
  ];
  for (const [name, input, re] of invalid) {
    test(`rejects: ${name}`, () => {
      assert.throws(() => createTableSchema({ ...base, ...input }), (e: unknown) => isLakeError(e, "invalid_argument") && re.test((e as Error).message));
    });
  }

  test("encode writes Java's layout: comment before timeMillis, options in order", () => {
    const s: TableSchema = createTableSchema({ ...base, primaryKeys: ["k"], options: { z: "1", a: "2", bucket: "3" }, comment: "hi" });
    const expected = [
      "{", '  "version" : 3,', '  "id" : 0,', '  "fields" : [ {', '    "id" : 0,', '    "name" : "k",', '    "type" : "INT NOT NULL"',
      "  }, {", '    "id" : 1,', '    "name" : "p",', '    "type" : "INT"', "  }, {", '    "id" : 2,', '    "name" : "v",',
      '    "type" : "VARCHAR(10)"', "  } ],", '  "highestFieldId" : 2,', '  "partitionKeys" : [ ],', '  "primaryKeys" : [ "k" ],',
      '  "options" : {', '    "z" : "1",', '    "a" : "2",', '    "bucket" : "3"', "  },", '  "comment" : "hi",',
      '  "timeMillis" : 1700000000000', "}",
    ].join("\n");
    assert.equal(encodeTableSchema(s), expected);
    assert.deepEqual(decodeTableSchema(expected), s);
  });
});
