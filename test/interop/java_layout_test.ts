// Goal: a table lakestate writes is laid out as Java Paimon lays out a table of the same shape:
// directory layout and file naming, bucket placement, schema and snapshot JSON keys and their
// order, Avro writer schemas of manifests and manifest lists field by field, manifest records
// field by field, and the Parquet schema (names, physical/logical types, repetition, field
// ids) and compression of the data files.
// Method: replay the writes a Java fixture table recorded in its README (test/fixtures/paimon/
// java-tables, see PROVENANCE.md) with lakestate's public API (catalog.createTable with the
// fixture's fields, keys and options, then table.newWrite) into a temp warehouse,
// then compare with the fixture: the Java 1.3 primary-key table pk_table_scan_and_read_mor
// (snapshots 1 and 2: inserts, then a DELETE and an UPDATE_AFTER) and the Java 1.1/1.2 append
// table append_complex_data (snapshots 1 and 2; its TIMESTAMP(9) column cannot be written, so
// it is checked to be refused and the table is written with TIMESTAMP(6) there, that column
// excluded from the comparisons). Records of the same commit are matched by (partition,
// bucket) and compared on every field Java wrote except file names, sizes and creation times;
// fields newer Java appends must be exactly the documented ones (NEWER_*), optional, null.
// Snapshot keys missing on our side must be exactly the ones current Java no longer writes.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, describe, test } from "../harness.ts";
import { readAvroContainerHeader, readAvroContainer } from "../../src/format/avro/container.ts";
import { isLakeError } from "../../src/errors.ts";
import { readDataFile } from "../../src/format/data/data_file_reader.ts";
import { decodeTableSchema, type TableSchema } from "../../src/spec/schema.ts";
import { decodeSimpleStats } from "../../src/spec/simple_stats.ts";
import { parseTypeString } from "../../src/spec/data_types.ts";
import { RowKind } from "../../src/spec/row_kind.ts";
import type { Value } from "../../src/spec/values.ts";
import { compareBytes, fromHex } from "../../src/util/bytes.ts";
import { parquetWasm } from "../unit/format/parquet_writer_support.ts";
import { writeDataFile } from "../../src/format/data/parquet_writer.ts";
import { exactJson, listFilesRecursive, sqlString, tempDir, withDuckDb, type ExactJson } from "./interop_support.ts";
import { writeLakestateTable, type CommitInput, type WritePath } from "./lakestate_table_writer.ts";
import type { TableSpec } from "../../src/table/schema_create.ts";

const JAVA_TABLES = fileURLToPath(new URL("../fixtures/paimon/java-tables/", import.meta.url));
const PK_TABLE = join(JAVA_TABLES, "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");
const APPEND_TABLE = join(JAVA_TABLES, "append_complex_data.db/append_complex_data");

/**
 * Avro fields current Java (apache/paimon master 5dacde5, DataFileMeta.SCHEMA, ManifestFileMeta.SCHEMA)
 * appends after the fixtures' 1.1-1.3 layouts: each must be optional with default null, and null.
 */
const NEWER_FILE_FIELDS = ["_FIRST_ROW_ID", "_WRITE_COLS", "_WRITE_COLS_SEQUENCES"];
const NEWER_LIST_FIELDS = ["_MIN_ROW_ID", "_MAX_ROW_ID"];

/** Snapshot keys in current Java's output order (Snapshot.java @JsonCreator, master 5dacde5). */
const MASTER_SNAPSHOT_KEYS = [
  "version", "uuid", "id", "schemaId", "baseManifestList", "baseManifestListSize", "deltaManifestList", "deltaManifestListSize",
  "changelogManifestList", "changelogManifestListSize", "indexManifest", "commitUser", "writerVersion", "commitIdentifier",
  "commitKind", "timeMillis", "totalRecordCount", "deltaRecordCount", "changelogRecordCount", "watermark", "statistics",
  "properties", "nextRowId", "operation",
];
/**
 * Keys ≤1.3 Java wrote, with the values it wrote, that current Java does not write (apache/paimon
 * d7959fb "Remove legacy codes for 0.2, 0.3 and log system", in 2.0): `logOffsets` (removed), the
 * explicit null `changelogManifestList` (NON_NULL), and `changelogRecordCount` 0 without
 * changelog files (now `nullableRecordCount`: null, so omitted).
 */
const DROPPED_SNAPSHOT_KEYS: Record<string, ExactJson> = { logOffsets: {}, changelogManifestList: null, changelogRecordCount: 0 };

/** File name patterns of a Paimon table (Java DataFilePathFactory, FileStorePathFactory, SnapshotManager, SchemaManager). */
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
const NAME_PATTERNS: [string, RegExp][] = [
  ["data", new RegExp(`^(?:[^/=]+=[^/]*/)*bucket-\\d+/data-${UUID}-\\d+\\.parquet$`)],
  ["manifest", new RegExp(`^manifest/manifest-${UUID}-\\d+$`)],
  ["manifest-list", new RegExp(`^manifest/manifest-list-${UUID}-\\d+$`)],
  ["index-manifest", new RegExp(`^manifest/index-manifest-${UUID}-\\d+$`)],
  ["schema", /^schema\/schema-\d+$/],
  ["snapshot", /^snapshot\/snapshot-\d+$/],
  ["hint", /^snapshot\/(EARLIEST|LATEST)$/],
];

function kindOfPath(p: string): string {
  return NAME_PATTERNS.find(([, re]) => re.test(p))?.[0] ?? `unmatched: ${p}`;
}

async function text(dir: string, p: string): Promise<string> {
  return new TextDecoder().decode(await readFile(join(dir, p)));
}

async function avro(dir: string, name: string): Promise<{ schema: { [k: string]: ExactJson }; records: { [k: string]: ExactJson }[] }> {
  const bytes = new Uint8Array(await readFile(join(dir, "manifest", name)));
  const { records } = await readAvroContainer(bytes);
  let schema = JSON.parse(readAvroContainerHeader(bytes).schemaJson) as ExactJson;
  if (Array.isArray(schema)) schema = schema.find((s) => s !== "null")!; // ≤0.9 nullable-union wrapper
  return { schema: schema as { [k: string]: ExactJson }, records: records.map(exactJson) as { [k: string]: ExactJson }[] };
}

/** The delta manifest list records and their manifests' entries of snapshot `id`. */
async function snapshotDelta(dir: string, id: number) {
  const snapshot = JSON.parse(await text(dir, `snapshot/snapshot-${id}`)) as { [k: string]: ExactJson };
  const list = await avro(dir, snapshot["deltaManifestList"] as string);
  const entries = (await Promise.all(list.records.map((m) => avro(dir, m["_FILE_NAME"] as string)))).flatMap((m) => m.records);
  return { snapshot, list: list.records, entries };
}

/** Keys of an object: the JSON key order as written. */
function keys(v: ExactJson): string[] {
  return Object.keys(v as object);
}

function isPlainRecord(v: ExactJson | undefined): v is { [k: string]: ExactJson } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !("$bytes" in v) && !("$long" in v);
}

/**
 * Every field Java wrote equals ours (recursing into nested records) unless ignored; fields
 * only we have must be in `newer` and null.
 */
function compareRecord(java: { [k: string]: ExactJson }, ours: { [k: string]: ExactJson }, where: string, ignore: readonly string[], newer: readonly string[]): void {
  for (const k of keys(java)) {
    if (ignore.includes(k)) continue;
    assert.ok(k in ours, `${where}: Java field ${k} missing in ours`);
    if (isPlainRecord(java[k]) && isPlainRecord(ours[k])) compareRecord(java[k], ours[k], `${where}.${k}`, ignore, newer);
    else assert.deepEqual(ours[k], java[k], `${where}.${k}`);
  }
  for (const k of keys(ours).filter((x) => !(x in java))) {
    assert.ok(newer.includes(k), `${where}: field ${k} is ours only and not a documented newer-Java field`);
    assert.equal(ours[k], null, `${where}.${k}: newer-Java field must be null here`);
  }
}

/** Avro types compared structurally (unions branch by branch, arrays by items, records by compareAvroSchema). */
function compareAvroType(java: ExactJson, ours: ExactJson, where: string, newer: readonly string[]): void {
  if (Array.isArray(java)) {
    assert.ok(Array.isArray(ours) && ours.length === java.length, `${where}: union branches (nullability) ${JSON.stringify(ours)}`);
    java.forEach((b, i) => compareAvroType(b, (ours as ExactJson[])[i]!, `${where}[${i}]`, newer));
  } else if (isPlainRecord(java) && java["type"] === "record") {
    assert.ok(isPlainRecord(ours), `${where}: expected a record`);
    compareAvroSchema(java, ours, where, newer);
  } else if (isPlainRecord(java) && java["type"] === "array") {
    assert.ok(isPlainRecord(ours), `${where}: expected an array`);
    assert.deepEqual(keys(ours), keys(java), `${where}: array attributes`);
    compareAvroType(java["items"]!, ours["items"]!, `${where}.items`, newer);
  } else {
    assert.deepEqual(ours, java, `${where}: type`);
  }
}

/** Avro record schema fields compared one by one: Java's in order, then only documented newer optional ones. */
function compareAvroSchema(java: { [k: string]: ExactJson }, ours: { [k: string]: ExactJson }, where: string, newer: readonly string[]): void {
  assert.equal(ours["type"], "record", where);
  assert.equal(ours["name"], java["name"], `${where}: record name`);
  assert.equal(ours["namespace"], java["namespace"], `${where}: namespace`);
  const jf = java["fields"] as { [k: string]: ExactJson }[], of = ours["fields"] as { [k: string]: ExactJson }[];
  jf.forEach((j, i) => {
    const o = of[i];
    assert.ok(o !== undefined, `${where}: Java field ${String(j["name"])} missing`);
    assert.equal(o["name"], j["name"], `${where}: field ${i} name`);
    assert.deepEqual(keys(o), keys(j), `${where}.${String(j["name"])}: attribute keys (type/default)`);
    assert.equal("default" in o, "default" in j, `${where}.${String(j["name"])}: default present`);
    if ("default" in j) assert.deepEqual(o["default"], j["default"], `${where}.${String(j["name"])}: default`);
    compareAvroType(j["type"]!, o["type"]!, `${where}.${String(j["name"])}`, newer);
  });
  for (const o of of.slice(jf.length)) {
    assert.ok(newer.includes(o["name"] as string), `${where}: field ${String(o["name"])} appended but not a documented newer-Java field`);
    assert.ok(Array.isArray(o["type"]) && o["type"][0] === "null" && o["default"] === null, `${where}.${String(o["name"])}: appended fields must be optional, default null`);
  }
}

function partitionBucket(e: { [k: string]: ExactJson }): string {
  return `${JSON.stringify(e["_PARTITION"])}/${String(e["_BUCKET"])}`;
}

function sortByPlace<T extends { [k: string]: ExactJson }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => (partitionBucket(a) < partitionBucket(b) ? -1 : 1));
}

async function parquetFacts(path: string): Promise<{ schema: unknown[][]; chunks: unknown[][] }> {
  return withDuckDb(async (sql) => {
    const p = sqlString(path);
    const schema = await sql(`SELECT name, type, type_length, repetition_type, num_children, converted_type, scale, precision, field_id, logical_type FROM parquet_schema(${p})`);
    const chunks = await sql(`SELECT path_in_schema, type, compression, num_values, stats_null_count, stats_min_value, stats_max_value FROM parquet_metadata(${p}) ORDER BY column_id`);
    return { schema: schema.rows, chunks: chunks.rows };
  });
}

function dataFilePath(dir: string, entry: { [k: string]: ExactJson }, partitionDir: string): string {
  return join(dir, partitionDir, `bucket-${String(entry["_BUCKET"])}`, (entry["_FILE"] as { [k: string]: ExactJson })["_FILE_NAME"] as string);
}

/** Checks shared by both tables; `skipColumn` names a column excluded from value comparisons. */
async function compareTables(via: WritePath, javaDir: string, ourDir: string, schema: TableSchema, snapshots: readonly number[], partitionDir: (e: { [k: string]: ExactJson }) => string, skipColumn: string | null): Promise<void> {
  // Directory layout and file names.
  const javaFiles = (await listFilesRecursive(javaDir)).filter((p) => p !== "README");
  const ourFiles = await listFilesRecursive(ourDir);
  for (const p of javaFiles) assert.ok(!kindOfPath(p).startsWith("unmatched"), `the name patterns must match Java's own ${p}`);
  for (const p of ourFiles) assert.ok(!kindOfPath(p).startsWith("unmatched"), `our file ${p} matches no Java naming pattern`);
  const dirsOf = (files: string[]) => [...new Set(files.map((p) => p.slice(0, p.lastIndexOf("/"))))].sort();
  assert.deepEqual(dirsOf(ourFiles), dirsOf(javaFiles), "directories (partition/bucket placement and metadata dirs)");
  assert.deepEqual([...new Set(ourFiles.map(kindOfPath))].sort(), [...new Set(javaFiles.map(kindOfPath))].sort(), "kinds of files");
  // Java's FileStoreCommit writes LATEST; EARLIEST comes from the snapshot expiration its table
  // commit runs after each commit (ExpireSnapshotsImpl writes the hint when nothing expires).
  for (const hint of ["EARLIEST", "LATEST"]) assert.match(await text(ourDir, `snapshot/${hint}`), /^\d+$/, `${hint} hint is a bare number like Java's (${via})`);

  // Schema JSON: keys and order, values but the creation time.
  const javaSchema = JSON.parse(await text(javaDir, "schema/schema-0")), ourSchema = JSON.parse(await text(ourDir, "schema/schema-0"));
  assert.deepEqual(keys(ourSchema), keys(javaSchema), "schema JSON keys and order");
  for (const [i, f] of (javaSchema.fields as ExactJson[]).entries()) assert.deepEqual(keys(ourSchema.fields[i]), keys(f), `schema field ${i} keys`);
  assert.deepEqual({ ...ourSchema, timeMillis: 0, fields: null }, { ...javaSchema, timeMillis: 0, fields: null }, "schema JSON values");

  for (const id of snapshots) {
    const java = await snapshotDelta(javaDir, id), ours = await snapshotDelta(ourDir, id);
    // Snapshot JSON keys: Java's order; the differences are exactly the documented ones.
    const jk = keys(java.snapshot), ok = keys(ours.snapshot);
    const missing = jk.filter((k) => !ok.includes(k)), extra = ok.filter((k) => !jk.includes(k));
    for (const k of missing) {
      assert.ok(k in DROPPED_SNAPSHOT_KEYS, `snapshot-${id}: we do not write Java's key ${k}`);
      assert.deepEqual(java.snapshot[k], DROPPED_SNAPSHOT_KEYS[k], `snapshot-${id}: Java's ${k} has a value current Java still writes`);
    }
    for (const k of extra) assert.ok(MASTER_SNAPSHOT_KEYS.includes(k), `snapshot-${id}: our key ${k} is not a Java snapshot key`);
    assert.deepEqual(ok.filter((k) => jk.includes(k)), jk.filter((k) => ok.includes(k)), `snapshot-${id}: order of the common keys`);
    assert.deepEqual(ok, MASTER_SNAPSHOT_KEYS.filter((k) => ok.includes(k)), `snapshot-${id}: our keys follow current Java's order`);
    for (const k of ["version", "id", "schemaId", "commitIdentifier", "commitKind", "totalRecordCount", "deltaRecordCount", "changelogRecordCount", "nextRowId"]) {
      if (k in java.snapshot && !(k in DROPPED_SNAPSHOT_KEYS && !(k in ours.snapshot))) assert.deepEqual(ours.snapshot[k], java.snapshot[k], `snapshot-${id}.${k}`);
    }

    // Manifest list and manifest records of the commit, matched by (partition, bucket).
    assert.equal(ours.list.length, java.list.length, `snapshot-${id}: delta manifests`);
    ours.list.forEach((o, i) => compareRecord(java.list[i]!, o, `snapshot-${id} manifest list record ${i}`, ["_FILE_NAME", "_FILE_SIZE"], NEWER_LIST_FIELDS));
    const je = sortByPlace(java.entries), oe = sortByPlace(ours.entries);
    assert.deepEqual(oe.map(partitionBucket), je.map(partitionBucket), `snapshot-${id}: files per partition and bucket`);
    for (const [i, o] of oe.entries()) {
      const j = je[i]!, where = `snapshot-${id} entry ${partitionBucket(j)}`;
      const ignore = ["_FILE_NAME", "_FILE_SIZE", "_CREATION_TIME", ...(skipColumn === null ? [] : ["_VALUE_STATS"])];
      compareRecord(j, o, where, ignore, NEWER_FILE_FIELDS);
      assert.equal(typeof (o["_FILE"] as { [k: string]: ExactJson })["_CREATION_TIME"], typeof (j["_FILE"] as { [k: string]: ExactJson })["_CREATION_TIME"], `${where}: _CREATION_TIME set`);
      if (skipColumn !== null) {
        const stat = (e: { [k: string]: ExactJson }) => {
          const s = (e["_FILE"] as { [k: string]: ExactJson })["_VALUE_STATS"] as { [k: string]: ExactJson };
          const cols = decodeSimpleStats(schema.fields, {
            minValues: fromHex((s["_MIN_VALUES"] as { $bytes: string }).$bytes), maxValues: fromHex((s["_MAX_VALUES"] as { $bytes: string }).$bytes),
            nullCounts: (s["_NULL_COUNTS"] as (number | null)[]).map((n) => (n === null ? null : BigInt(n))),
          });
          return schema.fields.map((f, c) => (f.name === skipColumn ? null : exactJson(cols[c])));
        };
        assert.deepEqual(stat(o), stat(j), `${where}: value stats (all columns but ${skipColumn})`);
      }
      // The data files of the same rows: Parquet schema and column chunks as DuckDB reads them.
      const jp = await parquetFacts(dataFilePath(javaDir, j, partitionDir(j))), op = await parquetFacts(dataFilePath(ourDir, o, partitionDir(o)));
      const keep = (rows: unknown[][]) => rows.filter((r) => r[0] !== skipColumn);
      assert.deepEqual(keep(op.schema), keep(jp.schema), `${where}: Parquet schema (names, types, repetition, field ids)`);
      assert.deepEqual(keep(op.chunks), keep(jp.chunks), `${where}: Parquet column chunks (type, compression, counts, min/max)`);
    }
  }
}

/** The CREATE TABLE a user would issue for Java's schema: same numbered fields, keys and options. */
function specOf(schema: TableSchema): TableSpec {
  return { fields: schema.fields, primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, options: schema.options, comment: schema.comment };
}

const PK_COMMITS: CommitInput[] = [
  {
    identifier: 1n, changes: [
      ["Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.", 10, 1, 11.0],
      ["Alice", 10, 1, 11.1], ["Bob", 10, 0, 12.1], ["Emily", 10, 0, 13.1], ["Tony", 10, 0, 14.1], ["Alex", 10, 0, 16.1],
      ["David", 10, 0, 17.1], ["Lucy", 20, 1, 14.1], ["Paul", 20, 1, 18.1],
    ].map((row) => ({ row: row as Value[] })),
  },
  { identifier: 2n, changes: [{ row: ["Tony", 10, 0, 14.1], kind: RowKind.DELETE }, { row: ["Alice", 10, 1, 19.1], kind: RowKind.UPDATE_AFTER }] },
];

describe("lakestate tables are laid out as Java lays them out", () => {
  test("primary-key table shaped like the Java 1.3 fixture pk_table_scan_and_read_mor (snapshots 1-2)", async () => {
    const { dir, remove } = await tempDir("layout-pk");
    try {
      const javaSchema = decodeTableSchema(await text(PK_TABLE, "schema/schema-0"));
      const { via, tableDir } = await writeLakestateTable(dir, specOf(javaSchema), PK_COMMITS, "lakestate-layout");
      await compareTables(via, PK_TABLE, tableDir, javaSchema, [1, 2], (e) => `f1=${(e["_PARTITION"] as { $bytes: string }).$bytes.slice(24, 26) === "0a" ? 10 : 20}`, null);
    } finally {
      await remove();
    }
  });

  test("append table shaped like the Java fixture append_complex_data (snapshots 1-2; TIMESTAMP(9) refused)", async () => {
    const { dir, remove } = await tempDir("layout-append");
    try {
      const javaSchema = decodeTableSchema(await text(APPEND_TABLE, "schema/schema-0"));
      // The rows Java wrote, per snapshot, in file order (read back from Java's own files).
      const commits: CommitInput[] = [];
      for (const id of [1, 2]) {
        const { entries } = await snapshotDelta(APPEND_TABLE, id);
        const changes = [];
        for (const e of entries) {
          const path = dataFilePath(APPEND_TABLE, e, `f1=${(e["_PARTITION"] as { $bytes: string }).$bytes.slice(24, 26) === "0a" ? 10 : 20}`);
          const batch = await readDataFile(new Uint8Array(await readFile(path)), { fileName: path, fileSchema: javaSchema, readSchema: javaSchema, primaryKey: false });
          for (let r = 0; r < batch.rowCount; r++) changes.push({ row: batch.columns.map((c) => c[r]!) });
        }
        commits.push({ identifier: BigInt(id), changes });
      }
      // TIMESTAMP(9) (Parquet INT96 in Java) is refused, never written differently.
      await assert.rejects(async () => writeDataFile(javaSchema.fields.map((_, c) => [commits[0]!.changes[0]!.row[c]!]), { schema: javaSchema, primaryKey: false, parquetWasm: await parquetWasm() }),
        (e: unknown) => isLakeError(e, "unsupported") && /TIMESTAMP\(9\)|INT96/.test(e.message));
      const f4 = javaSchema.fields.findIndex((f) => f.name === "f4");
      const spec = specOf({ ...javaSchema, fields: javaSchema.fields.map((f, i) => (i === f4 ? { ...f, type: parseTypeString("TIMESTAMP(6)") } : f)) });
      const truncate = (v: Value) => (v === null ? null : { ...(v as { epochMillis: number; nanoOfMillisecond: number }), nanoOfMillisecond: Math.floor((v as { nanoOfMillisecond: number }).nanoOfMillisecond / 1000) * 1000 });
      const ours = commits.map((c) => ({ ...c, changes: c.changes.map((ch) => ({ row: ch.row.map((v, i) => (i === f4 ? truncate(v) : v)) })) }));
      const { via, tableDir } = await writeLakestateTable(dir, spec, ours, "lakestate-layout");
            // Our schema file says TIMESTAMP(6) where Java's says TIMESTAMP(9): restore it for the schema comparison only.
      const ourSchemaText = await text(tableDir, "schema/schema-0");
      assert.ok(ourSchemaText.includes(`"TIMESTAMP(6)"`));
      const { writeFile } = await import("node:fs/promises");
      await writeFile(join(tableDir, "schema/schema-0"), ourSchemaText.replace(`"TIMESTAMP(6)"`, `"TIMESTAMP(9)"`));
      await compareTables(via, APPEND_TABLE, tableDir, javaSchema, [1, 2], (e) => `f1=${(e["_PARTITION"] as { $bytes: string }).$bytes.slice(24, 26) === "0a" ? 10 : 20}`, "f4");
    } finally {
      await remove();
    }
  });

  test("Avro writer schemas: manifest and manifest list as the Java 1.3 fixture, index manifest as the Java 0.9 fixture, plus only documented newer fields", async () => {
    const { dir, remove } = await tempDir("layout-avro");
    try {
      const javaSchema = decodeTableSchema(await text(PK_TABLE, "schema/schema-0"));
      const { tableDir } = await writeLakestateTable(dir, specOf(javaSchema), PK_COMMITS.slice(0, 1), "lakestate-layout");
      const { snapshot: js } = await snapshotDelta(PK_TABLE, 1);
      const { snapshot: os } = await snapshotDelta(tableDir, 1);
      const javaList = await avro(PK_TABLE, js["deltaManifestList"] as string), ourList = await avro(tableDir, os["deltaManifestList"] as string);
      compareAvroSchema(javaList.schema, ourList.schema, "manifest list", NEWER_LIST_FIELDS);
      const javaManifest = await avro(PK_TABLE, javaList.records[0]!["_FILE_NAME"] as string), ourManifest = await avro(tableDir, ourList.records[0]!["_FILE_NAME"] as string);
      compareAvroSchema(javaManifest.schema, ourManifest.schema, "manifest", NEWER_FILE_FIELDS.filter((f) => f !== "_FIRST_ROW_ID"));
      // Index manifests: the fixtures have only a 0.9 one (deletion vectors); ours comes from the commit path.
      const { INDEX_MANIFEST_ENTRY_AVRO_SCHEMA } = await import("../../src/spec/manifest_avro_schemas.ts");
      const pk09 = join(JAVA_TABLES, "pk_09.db/pk_09");
      const javaIndexName = (await listFilesRecursive(join(pk09, "manifest"))).find((n) => n.startsWith("index-manifest-"))!;
      const javaIndex = await avro(pk09, javaIndexName);
      compareAvroSchema(javaIndex.schema, INDEX_MANIFEST_ENTRY_AVRO_SCHEMA as { [k: string]: ExactJson }, "index manifest", ["_CARDINALITY", "_EXTERNAL_PATH", "_GLOBAL_INDEX"]);
    } finally {
      await remove();
    }
  });
});
