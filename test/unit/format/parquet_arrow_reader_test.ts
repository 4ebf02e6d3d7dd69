// Goal: the fast Parquet reader (parquet-wasm → Arrow C data → ColumnBuffers) returns, for every
// column it serves of every Java-written fixture data file (ZSTD and SNAPPY, dictionary and
// plain pages, 0.5 to 1.3 writers), exactly the values the general reader (hyparquet) returns;
// it refuses (null) columns it does not serve instead of converting them; damaged bytes are
// corruption. Also: the buffer gathers and concatenation keep values, nulls and offsets.
// Method: walk test/fixtures/paimon/java-tables, read each data file with both readers under the
// file's own schema, turn the buffers into values through Arrow, compare; then hand-built
// buffers for gatherColumn / concatColumns.
import { assert, listFixtureDir, readFixture, readFixtureText, test } from "../../harness.ts";
import { enableFastParquet, columnsOf } from "../table/fast_read_helpers.ts";
import { arrowTableToColumns } from "../../../src/api/arrow.ts";
import { bufferColumnsToArrowTable } from "../../../src/api/arrow_buffers.ts";
import { concatColumns } from "../../../src/format/data/arrow_c_data.ts";
import { gatherColumn } from "../../../src/format/data/column_buffers.ts";
import { isBufferReadable, readParquetBuffers } from "../../../src/format/data/parquet_arrow_reader.ts";
import { readParquetColumns } from "../../../src/format/data/parquet_reader.ts";
import { decodeManifest } from "../../../src/format/manifest/manifest_codec.ts";
import { atomic, describeType, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import { decodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";

const ROOT = "paimon/java-tables";
const SYSTEM: DataField[] = [
  { id: 2147483646, name: "_SEQUENCE_NUMBER", type: atomic("BIGINT", { nullable: false }) },
  { id: 2147483645, name: "_VALUE_KIND", type: atomic("TINYINT", { nullable: false }) },
];

async function dataFiles(): Promise<{ path: string; schema: TableSchema; primaryKey: boolean }[]> {
  const out: { path: string; schema: TableSchema; primaryKey: boolean }[] = [];
  for (const db of await listFixtureDir(ROOT)) {
    for (const t of await listFixtureDir(`${ROOT}/${db}`)) {
      const dir = `${ROOT}/${db}/${t}`;
      const schemas = await Promise.all((await listFixtureDir(`${dir}/schema`)).map(async (n) => decodeTableSchema(await readFixtureText(`${dir}/schema/${n}`))));
      const schemaIds = new Map<string, bigint>();
      for (const m of await listFixtureDir(`${dir}/manifest`)) {
        if (!m.startsWith("manifest-") || m.startsWith("manifest-list-")) continue;
        for (const e of await decodeManifest(await readFixture(`${dir}/manifest/${m}`))) schemaIds.set(e.file.fileName, e.file.schemaId);
      }
      const walk = async (rel: string): Promise<void> => {
        for (const name of await listFixtureDir(`${dir}/${rel}`)) {
          if (name.startsWith("bucket-") || name.includes("=")) await walk(`${rel}${name}/`);
          else if (name.endsWith(".parquet")) {
            const schema = schemas.find((s) => s.id === (schemaIds.get(name) ?? 0n))!;
            out.push({ path: `${dir}/${rel}${name}`, schema, primaryKey: schema.primaryKeys.length > 0 });
          }
        }
      };
      await walk("");
    }
  }
  return out;
}

function show(values: readonly Value[]): string {
  return JSON.stringify(values, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v));
}

test("every served column of every Java fixture data file decodes to the general reader's values", async () => {
  const pq = await enableFastParquet();
  let columns = 0, refused = 0;
  const files = await dataFiles();
  assert.ok(files.length >= 20, `${files.length} files`);
  for (const file of files) {
    const bytes = await readFixture(file.path);
    const fields = [...file.schema.fields, ...(file.primaryKey ? SYSTEM : [])];
    const served = fields.filter((f) => isBufferReadable(f.type));
    const general = await readParquetColumns(bytes, served.map((f) => ({ name: f.name, type: f.type })), { fileName: file.path });
    const fast = await readParquetBuffers(pq, bytes, served.map((f) => ({ name: f.name, type: f.type })), { fileName: file.path });
    if (fast === null) {
      // Only the 0.5-era files, whose TIMESTAMP(0) is stored as plain INT64, may be refused.
      refused++;
      assert.match(file.path, /paimon-0\.5/, `${file.path} refused`);
      continue;
    }
    assert.equal(fast.rowCount, general.rowCount, file.path);
    const values = arrowTableToColumns(bufferColumnsToArrowTable(served, fast.columns, fast.rowCount), served).columns;
    served.forEach((f, i) => {
      assert.equal(show(values[i]!), show(general.columns[i]!), `${file.path} column ${f.name} ${describeType(f.type)}`);
      columns++;
    });
  }
  assert.ok(columns > 100, `${columns} columns compared, ${refused} files refused`);
});

test("a column missing under its exact name, or stored in another layout than its type's, is refused", async () => {
  const pq = await enableFastParquet();
  const file = (await dataFiles()).find((f) => f.path.includes("pk_table_scan_and_read_mor"))!;
  const bytes = await readFixture(file.path);
  const f3 = file.schema.fields.find((f) => f.name === "f3")!; // DOUBLE
  assert.notEqual(await readParquetBuffers(pq, bytes, [{ name: "f3", type: f3.type }], { fileName: "x" }), null);
  assert.equal(await readParquetBuffers(pq, bytes, [{ name: "F3", type: f3.type }], { fileName: "x" }), null, "exact names only");
  assert.equal(await readParquetBuffers(pq, bytes, [{ name: "nope", type: f3.type }], { fileName: "x" }), null);
  assert.equal(await readParquetBuffers(pq, bytes, [{ name: "f3", type: atomic("FLOAT") }], { fileName: "x" }), null, "DOUBLE read as FLOAT");
  assert.equal(await readParquetBuffers(pq, bytes, [{ name: "f1", type: atomic("BIGINT") }], { fileName: "x" }), null, "INT read as BIGINT");
  const old = (await dataFiles()).find((f) => f.path.includes("paimon-0.5"))!;
  const ts = old.schema.fields.find((f) => f.type.root === "TIMESTAMP")!;
  assert.equal(isBufferReadable(ts.type), false, "TIMESTAMP(0) is not served");
  assert.equal(await readParquetBuffers(pq, await readFixture(old.path), [{ name: ts.name, type: atomic("TIMESTAMP", { precision: 3 }) }], { fileName: "x" }), null, "plain INT64 is not a millis timestamp");
});

test("damaged bytes are corruption naming the file", async () => {
  const pq = await enableFastParquet();
  const file = (await dataFiles())[0]!;
  const bytes = await readFixture(file.path);
  const request = [{ name: file.schema.fields[0]!.name, type: file.schema.fields[0]!.type }];
  for (const bad of [bytes.slice(0, 100), new Uint8Array(3), bytes.slice(0, bytes.length - 9)]) {
    await assert.rejects(readParquetBuffers(pq, bad as Uint8Array<ArrayBuffer>, request, { fileName: "broken.parquet" }),
      (e: unknown) => (e as { code?: string }).code === "corruption" && /broken\.parquet/.test(String(e)));
  }
});

test("gatherColumn picks rows across sources: fixed, bits and var layouts, nulls zeroed", () => {
  const types: DataType[] = [atomic("BIGINT"), atomic("BOOLEAN"), atomic("VARCHAR", { length: 9 }), atomic("DECIMAL", { precision: 20, scale: 1 }), atomic("SMALLINT")];
  const a = columnsOf(types, [[1n, null, 3n], [true, false, null], ["x", null, "zzz"], [5n, -7n, null], [1, 2, null]], 3);
  const b = columnsOf(types, [[10n, 20n], [null, true], ["", "long enough to take the bulk copy path: 0123456789abcdefghij"], [null, 9n], [-5, 6]], 2);
  const runs = Uint32Array.from([1, 0, 0, 1, 0]), rows = Uint32Array.from([1, 0, 1, 0, 2]);
  const want: Value[][] = [[20n, 1n, null, 10n, 3n], [true, true, false, null, null], ["long enough to take the bulk copy path: 0123456789abcdefghij", "x", null, "", "zzz"], [9n, 5n, -7n, null, null], [6, 1, 2, -5, null]];
  const fields = types.map((type, i) => ({ id: i, name: `c${i}`, type }));
  const gathered = types.map((_, c) => gatherColumn([a[c]!, b[c]!], runs, rows, 5, `c${c}`));
  assert.deepEqual(arrowTableToColumns(bufferColumnsToArrowTable(fields, gathered, 5), fields).columns, want);
  assert.equal(gathered[0]!.nullCount, 1);
  assert.deepEqual([...gathered[0]!.data.subarray(16, 24)], [0, 0, 0, 0, 0, 0, 0, 0], "null slot zeroed");
  const none = gatherColumn([a[0]!], Uint32Array.from([0]), Uint32Array.from([0]), 1, "c0");
  assert.equal(none.validity, null, "no bitmap without nulls");
});

test("concatColumns joins batches: offsets rebased, validity and bits shifted", () => {
  const types: DataType[] = [atomic("INT"), atomic("BOOLEAN"), atomic("VARBINARY", { length: 9 })];
  const a = columnsOf(types, [[1, null, 3], [true, null, false], [Uint8Array.of(1), null, Uint8Array.of(2, 3)]], 3);
  const b = columnsOf(types, [[4, 5], [true, true], [Uint8Array.of(), Uint8Array.of(9)]], 2);
  const fields = types.map((type, i) => ({ id: i, name: `c${i}`, type }));
  const joined = types.map((_, c) => concatColumns([a[c]!, b[c]!]));
  assert.deepEqual(arrowTableToColumns(bufferColumnsToArrowTable(fields, joined, 5), fields).columns, [
    [1, null, 3, 4, 5], [true, null, false, true, true], [Uint8Array.of(1), null, Uint8Array.of(2, 3), Uint8Array.of(), Uint8Array.of(9)],
  ]);
});

test("NOT NULL and TIME range are checked when buffers become Arrow, with the general path's messages", () => {
  const notNull = [{ id: 0, name: "n", type: atomic("INT", { nullable: false }) }];
  const withNull = columnsOf([atomic("INT")], [[1, null]], 2);
  assert.throws(() => bufferColumnsToArrowTable(notNull, withNull, 2), /arrow: column "n" row 1: null in a NOT NULL column/);
  const time = [{ id: 0, name: "t", type: atomic("TIME", { precision: 0 }) }];
  const bad = columnsOf([atomic("INT")], [[5, 86_400_000]], 2);
  assert.throws(() => bufferColumnsToArrowTable(time, bad, 2), /arrow: column "t" row 1: value 86400000 is not a TIME/);
});
