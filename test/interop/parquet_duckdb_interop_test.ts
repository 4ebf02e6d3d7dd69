// Goal: DuckDB (an independent Parquet reader) reads every data file lakestate writes, with the
// values we wrote, and sees the schema and column chunks we intend: names, physical and logical
// types, repetition and field ids as Java Paimon lays them out, and the configured compression.
// Method: write real tables to temp directories through the commit path (CommitPathTable over
// writeDataFile + commitChanges): a partitioned primary-key table (layout `_KEY_id`, `_KEY_code`,
// `_SEQUENCE_NUMBER`, `_VALUE_KIND`, then every column; inserts, +U and -D rows over two commits)
// with the default zstd files, and append tables (no `_KEY_` columns) with snappy and with
// uncompressed, dictionary-off files. Columns cover every Paimon type writeDataFile supports,
// seeded random values with nulls, extremes, NaN, -0 and empty strings/arrays. For every file,
// DuckDB's read_parquet rows (timestamps as epoch microseconds, decimals as text, dates as day
// numbers) equal the rows the file was written from; parquet_schema() equals our intended
// footer schema (paimonParquetSchema) element by element; parquet_metadata() shows the table's
// compression on every column chunk, the row count, and per top-level primitive column the null
// count we wrote (and where a float column holds NaN, parquet-mr's statistics: the smallest
// number as min, NaN as max).
// Then the same for the files of the real writer (table.newWrite): a primary-key table (one
// commit of rows, one of deletes) and an append table; DuckDB must find every row exactly once
// with its row kind.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { assert, describe, seededRandom, test } from "../harness.ts";
import { decodeParquetFooter } from "../../src/format/data/parquet_footer.ts";
import { thriftField, type ThriftField } from "../../src/format/data/thrift_compact.ts";
import { dataFileFields } from "../../src/format/data/data_file_fields.ts";
import { paimonParquetSchema, type ParquetLogicalType } from "../../src/format/data/parquet_schema.ts";
import { dataTypeFromJson, type DataField, type DataType } from "../../src/spec/data_types.ts";
import { RowKind } from "../../src/spec/row_kind.ts";
import { createTableSchema, trimmedPrimaryKeys, type TableSchema } from "../../src/spec/schema.ts";
import { timestamp, type Timestamp, type Value } from "../../src/spec/values.ts";
import { toHex } from "../../src/util/bytes.ts";
import { parquetWasm } from "../unit/format/parquet_writer_support.ts";
import { CommitPathTable, uuidSource, type RowChange, type WrittenDataFile } from "./commit_path_table.ts";
import { dirStore, listFilesRecursive, sqlString, tempDir, withDuckDb } from "./interop_support.ts";
import { writeLakestateTable } from "./lakestate_table_writer.ts";

function f(id: number, name: string, type: unknown): DataField {
  return { id, name, type: dataTypeFromJson(type) };
}

/** Every type writeDataFile supports (TIMESTAMP ≤ 6; no BLOB/VARIANT). */
const VALUE_FIELDS: DataField[] = [
  f(3, "bo", "BOOLEAN"), f(4, "ti", "TINYINT"), f(5, "sm", "SMALLINT"), f(6, "i", "INT"), f(7, "bi", "BIGINT"),
  f(8, "fl", "FLOAT"), f(9, "db", "DOUBLE"), f(10, "da", "DATE"), f(11, "tm", "TIME"),
  f(12, "ts0", "TIMESTAMP(0)"), f(13, "ts3", "TIMESTAMP(3)"), f(14, "ts6", "TIMESTAMP(6)"),
  f(15, "lz3", "TIMESTAMP(3) WITH LOCAL TIME ZONE"), f(16, "lz6", "TIMESTAMP(6) WITH LOCAL TIME ZONE"),
  f(17, "d1", "DECIMAL(1, 0)"), f(18, "d9", "DECIMAL(9, 2)"), f(19, "d18", "DECIMAL(18, 4)"), f(20, "d38", "DECIMAL(38, 10)"),
  f(21, "ch", "CHAR(5)"), f(22, "vc", "VARCHAR(20)"), f(23, "st", "STRING"), f(24, "bn", "BINARY(4)"), f(25, "by", "BYTES"),
  f(26, "ar", { type: "ARRAY", element: "INT" }), f(27, "aa", { type: "ARRAY", element: { type: "ARRAY", element: "STRING" } }),
  f(28, "mp", { type: "MAP", key: "STRING", value: "BIGINT" }), f(29, "ms", { type: "MULTISET", element: "INT" }),
  f(30, "rw", { type: "ROW", fields: [{ id: 31, name: "x", type: "INT NOT NULL" }, { id: 32, name: "y", type: "STRING" }] }),
  f(33, "nn", "BIGINT NOT NULL"), f(34, "ve", { type: "VECTOR", element: "FLOAT", length: 2 }),
];

const WORDS = ["", "a", "Alice", "é", "\uFFFF", "😀", "Two roads diverged", "\u{10FFFF}", "zzzzzzzzzzzzzzzzzzzz"];

function randomValue(type: DataType, rnd: () => number): Value {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const big = (digits: number) => BigInt(Array.from({ length: digits }, () => int(0, 9)).join("")) * (rnd() < 0.5 ? -1n : 1n);
  if (type.nullable && rnd() < 0.15) return null;
  switch (type.root) {
    case "BOOLEAN": return rnd() < 0.5;
    case "TINYINT": return pick([-128, 127, int(-128, 127)]);
    case "SMALLINT": return pick([-32768, 32767, int(-32768, 32767)]);
    case "INT": return pick([-2147483648, 2147483647, int(-1e6, 1e6)]);
    case "BIGINT": return pick([-(2n ** 63n), 2n ** 63n - 1n, big(15)]);
    case "FLOAT": return pick([NaN, -0, 0, Infinity, Math.fround(rnd() * 1e6 - 5e5)]);
    case "DOUBLE": return pick([-0, 0, -Infinity, rnd() * 1e300, -rnd()]);
    case "DATE": return int(-700000, 700000);
    case "TIME": return int(0, 86_399_999);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = type.precision!, ms = pick([int(-4e12, 9e12), -1, 0]);
      return p === 0 ? timestamp(Math.floor(ms / 1000) * 1000) : p === 3 ? timestamp(ms) : timestamp(ms, int(0, 999) * 1000);
    }
    case "DECIMAL": return big(type.precision!);
    case "CHAR": return pick(WORDS).slice(0, 5);
    case "VARCHAR": return pick(WORDS).slice(0, 20);
    case "BINARY": case "VARBINARY": return Uint8Array.from({ length: type.root === "BINARY" ? 4 : int(0, 40) }, () => int(0, 255));
    case "ARRAY": case "VECTOR": {
      const n = type.root === "VECTOR" ? type.length! : int(0, 3);
      return Array.from({ length: n }, () => randomValue(type.element, rnd));
    }
    case "MAP": return Array.from({ length: int(0, 3) }, (_, i) => [`k${i}`, randomValue(type.value, rnd)] as Value);
    case "MULTISET": return Array.from({ length: int(0, 2) }, (_, i) => [i, int(1, 3)] as Value);
    case "ROW": return type.fields.map((x) => randomValue(x.type, rnd));
    default: throw new Error(`no generator for ${type.root}`);
  }
}

// ---- DuckDB side: a select list that makes every value exact, and the decoding of its rows.

function selectExpr(field: DataField): string {
  const c = `"${field.name}"`;
  switch (field.type.root) {
    case "DATE": return `(${c} - DATE '1970-01-01')`;
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return `epoch_us(${c})`;
    case "DECIMAL": return `${c}::VARCHAR`;
    case "BINARY": case "VARBINARY": return `lower(hex(${c}))`;
    default: return c;
  }
}

function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n, digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`}`;
}

function micros(t: Timestamp): bigint {
  return BigInt(t.epochMillis) * 1000n + BigInt(Math.floor(t.nanoOfMillisecond / 1000));
}

/** What DuckDB must return (through selectExpr) for the value we wrote. */
function expectedDuck(type: DataType, v: Value): unknown {
  if (v === null) return null;
  switch (type.root) {
    case "DATE": return BigInt(v as number);
    case "TIME": return { micros: BigInt(v as number) * 1000n, offset: 0 };
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return micros(v as Timestamp);
    case "DECIMAL": return decimalText(v as bigint, type.scale!);
    case "BINARY": case "VARBINARY": return toHex(v as Uint8Array);
    case "FLOAT": return Math.fround(v as number);
    case "ARRAY": case "VECTOR": return (v as Value[]).map((e) => expectedDuck(type.element, e));
    case "MAP": return (v as Value[][]).map(([k, x]) => ({ key: expectedDuck(type.key, k!), value: expectedDuck(type.value, x!) }));
    case "MULTISET": return (v as Value[][]).map(([k, x]) => ({ key: expectedDuck(type.element, k!), value: x }));
    case "ROW": return Object.fromEntries(type.fields.map((x, i) => [x.name, expectedDuck(x.type, (v as Value[])[i]!)]));
    default: return v;
  }
}

/** DuckDB JS values made comparable: TIMETZ objects to plain objects, Buffers to hex. */
function normalizeDuck(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(normalizeDuck);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeDuck(x)]));
}

// ---- parquet_schema() side: our intended elements in DuckDB's vocabulary.

const PHYSICAL = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"];
const REPETITION = ["REQUIRED", "OPTIONAL", "REPEATED"];
const CONVERTED: Record<number, string> = {
  0: "UTF8", 1: "MAP", 2: "MAP_KEY_VALUE", 3: "LIST", 5: "DECIMAL", 6: "DATE", 7: "TIME_MILLIS", 9: "TIMESTAMP_MILLIS", 10: "TIMESTAMP_MICROS", 15: "INT_8", 16: "INT_16",
};

function logicalText(t: ParquetLogicalType | undefined): string | null {
  if (t === undefined) return null;
  const unit = (u: string) => `unit=TimeUnit(MILLIS=${u === "MILLIS" ? "MilliSeconds()" : "<null>"}, MICROS=${u === "MICROS" ? "MicroSeconds()" : "<null>"}, NANOS=${u === "NANOS" ? "NanoSeconds()" : "<null>"})`;
  switch (t.type) {
    case "STRING": return "StringType()";
    case "MAP": return "MapType()";
    case "LIST": return "ListType()";
    case "DATE": return "DateType()";
    case "DECIMAL": return `DecimalType(scale=${t.scale}, precision=${t.precision})`;
    case "TIME": return `TimeType(isAdjustedToUTC=${t.adjustedToUtc ? 1 : 0}, ${unit(t.unit)})`;
    case "TIMESTAMP": return `TimestampType(isAdjustedToUTC=${t.adjustedToUtc ? 1 : 0}, ${unit(t.unit)})`;
    case "INTEGER": return `IntType(bitWidth=${String.fromCharCode(t.bitWidth)}, isSigned=${t.signed ? 1 : 0})`;
  }
}

function intendedSchema(schema: TableSchema, primaryKey: boolean): unknown[][] {
  return paimonParquetSchema(dataFileFields(schema, primaryKey)).map((e) => [
    e.name, e.type === undefined ? null : PHYSICAL[e.type], e.typeLength === undefined ? null : String(e.typeLength),
    e.repetition === undefined ? null : REPETITION[e.repetition], e.numChildren ?? null,
    e.convertedType === undefined ? null : CONVERTED[e.convertedType], e.scale ?? null, e.precision ?? null, e.fieldId ?? null, logicalText(e.logicalType),
  ]);
}

function nums(row: unknown[]): unknown[] {
  return row.map((v) => (typeof v === "bigint" ? Number(v) : v));
}

// ---- the tables

interface Variant {
  readonly name: string;
  readonly primaryKey: boolean;
  readonly options: Record<string, string>;
  readonly compression: string;
}

const VARIANTS: Variant[] = [
  { name: "primary-key layout, default zstd", primaryKey: true, options: { bucket: "2" }, compression: "ZSTD" },
  { name: "append layout, snappy", primaryKey: false, options: { bucket: "2", "bucket-key": "id", "file.compression": "snappy" }, compression: "SNAPPY" },
  { name: "append layout (bucket -1), uncompressed, no dictionary", primaryKey: false, options: { bucket: "-1", "file.compression": "none", "parquet.enable.dictionary": "false" }, compression: "UNCOMPRESSED" },
];

async function writeTable(dir: string, variant: Variant): Promise<CommitPathTable> {
  const fields = [f(0, "id", "INT NOT NULL"), f(1, "code", "STRING NOT NULL"), f(2, "part", "STRING NOT NULL"), ...VALUE_FIELDS];
  const schema = createTableSchema({
    fields, partitionKeys: ["part"], primaryKeys: variant.primaryKey ? ["id", "code", "part"] : [], options: variant.options, timeMillis: 0n,
  });
  let t = 1_700_000_000_000;
  const table = new CommitPathTable(dirStore(dir), schema, await parquetWasm(), { commitUser: "duck", randomUuid: uuidSource("duck"), nowMs: () => t++ });
  await table.createSchemaFile();
  const rnd = seededRandom(variant.name.length * 7919);
  const rowOf = (id: number) => [id, `c${id % 3}`, id % 2 === 0 ? "p0" : "p1", ...VALUE_FIELDS.map((x) => randomValue(x.type, rnd))];
  await table.commit(Array.from({ length: 240 }, (_, id) => ({ row: rowOf(id) })), 1n);
  const second: RowChange[] = Array.from({ length: 40 }, (_, j) => ({
    row: rowOf(j * 7), kind: variant.primaryKey ? [RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE, RowKind.UPDATE_BEFORE][j % 4]! : RowKind.INSERT,
  }));
  await table.commit(second, 2n);
  return table;
}

async function checkFile(sql: (text: string) => Promise<{ columns: string[]; rows: unknown[][] }>, dir: string, table: CommitPathTable, file: WrittenDataFile, variant: Variant): Promise<void> {
  const path = sqlString(join(dir, file.path));
  const schema = table.schema;
  const n = file.sequenceNumbers.length;
  const expectRows: unknown[][] = Array.from({ length: n }, () => []);
  const exprs: string[] = [];
  if (variant.primaryKey) {
    const keyIdx = trimmedPrimaryKeys(schema).map((k) => schema.fields.findIndex((x) => x.name === k));
    for (const i of keyIdx) {
      exprs.push(selectExpr({ ...schema.fields[i]!, name: `_KEY_${schema.fields[i]!.name}` }));
      for (let r = 0; r < n; r++) expectRows[r]!.push(expectedDuck(schema.fields[i]!.type, file.columns[i]![r]!));
    }
    exprs.push("_SEQUENCE_NUMBER", "_VALUE_KIND");
    for (let r = 0; r < n; r++) expectRows[r]!.push(file.sequenceNumbers[r]!, file.rowKinds[r]!);
  }
  schema.fields.forEach((field, i) => {
    exprs.push(selectExpr(field));
    for (let r = 0; r < n; r++) expectRows[r]!.push(expectedDuck(field.type, file.columns[i]![r]!));
  });
  const got = await sql(`SELECT ${exprs.join(", ")} FROM read_parquet(${path})`);
  assert.equal(got.rows.length, n, `${file.path}: row count`);
  for (let r = 0; r < n; r++) assert.deepEqual(normalizeDuck(got.rows[r]), expectRows[r], `${file.path} row ${r}`);

  const duckSchema = await sql(`SELECT name, type, type_length, repetition_type, num_children, converted_type, scale, precision, field_id, logical_type FROM parquet_schema(${path})`);
  assert.deepEqual(duckSchema.rows.map(nums), intendedSchema(schema, variant.primaryKey).map(nums), `${file.path}: parquet_schema()`);

  const meta = await sql(`SELECT path_in_schema, compression, num_values, row_group_num_rows, stats_null_count, stats_min_value, encodings, stats_max_value FROM parquet_metadata(${path}) ORDER BY column_id`);
  assert.ok(meta.rows.length >= schema.fields.length);
  const dictionary = variant.options["parquet.enable.dictionary"] !== "false";
  let dictionaryChunks = 0;
  for (const [column, compression, , groupRows, , , encodings] of meta.rows) {
    assert.equal(compression, variant.compression, `${file.path} column ${String(column)}: compression`);
    assert.equal(groupRows, BigInt(n));
    if (String(encodings).includes("DICTIONARY")) dictionaryChunks++;
  }
  assert.ok(dictionary ? dictionaryChunks > 0 : dictionaryChunks === 0, `${file.path}: ${dictionaryChunks} dictionary-encoded chunks, dictionary ${dictionary}`);
  const footer = decodeParquetFooter(await readFile(join(dir, file.path)));
  schema.fields.forEach((field, i) => {
    const chunk = meta.rows.find((m) => m[0] === field.name);
    if (chunk === undefined) return; // nested types: leaf paths such as `ar, list, element`
    const values = file.columns[i]!;
    assert.equal(chunk[2], BigInt(n), `${file.path} ${field.name}: num_values`);
    const nulls = BigInt(values.filter((v) => v === null).length);
    assert.equal(chunk[4], nulls, `${file.path} ${field.name}: null count`);
    if (values.some((v) => typeof v === "number" && Number.isNaN(v))) {
      // parquet-mr 1.15 orders floats by Float/Double.compare: the min is the smallest number, the max NaN.
      const numbers = values.filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
      const min = numbers.reduce((a, b) => (b < a || (b === 0 && a === 0 && Object.is(b, -0)) ? b : a), Infinity);
      const round = field.type.root === "FLOAT" ? Math.fround : (x: number) => x;
      assert.equal(round(Number(chunk[5])), round(min), `${file.path} ${field.name}: min of a NaN column`);
      // DuckDB hides a NaN max; read it from the footer: Java's canonical NaN bits.
      assert.equal(toHex(footerStat(footer, field.name, 5)!), field.type.root === "FLOAT" ? "0000c07f" : "000000000000f87f", `${file.path} ${field.name}: max of a NaN column`);
    }
  });
}

/** Statistics field `id` of the first row group's chunk of top-level column `name`, from a decoded footer. */
function footerStat(footer: readonly ThriftField[], name: string, id: number): Uint8Array | undefined {
  const groups = thriftField(footer, 4);
  if (groups?.kind !== "list" || groups.items[0]?.kind !== "struct") return undefined;
  const columns = thriftField(groups.items[0].fields, 1);
  if (columns?.kind !== "list") return undefined;
  for (const c of columns.items) {
    if (c.kind !== "struct") continue;
    const meta = thriftField(c.fields, 3);
    if (meta?.kind !== "struct") continue;
    const path = thriftField(meta.fields, 3);
    if (path?.kind !== "list" || path.items.length !== 1 || path.items[0]?.kind !== "binary" || new TextDecoder().decode(path.items[0].value) !== name) continue;
    const stats = thriftField(meta.fields, 12);
    const v = stats?.kind === "struct" ? thriftField(stats.fields, id) : undefined;
    return v?.kind === "binary" ? v.value : undefined;
  }
  return undefined;
}

/** Rows DuckDB reads from every data file under `tableDir` (through selectExpr), with `_VALUE_KIND` when `primaryKey`. */
async function duckRowsOfTable(tableDir: string, fields: readonly DataField[], primaryKey: boolean): Promise<{ files: string[]; rows: unknown[][] }> {
  const files = (await listFilesRecursive(tableDir)).filter((p) => p.endsWith(".parquet")).map((p) => join(tableDir, p));
  const rows = await withDuckDb(async (sql) => {
    const out: unknown[][] = [];
    for (const file of files) {
      const exprs = [...(primaryKey ? ["_VALUE_KIND"] : []), ...fields.map(selectExpr)];
      out.push(...(await sql(`SELECT ${exprs.join(", ")} FROM read_parquet(${sqlString(file)})`)).rows.map((r) => normalizeDuck(r) as unknown[]));
      const schema = await sql(`SELECT name FROM parquet_schema(${sqlString(file)})`);
      assert.ok(schema.rows.some((r) => r[0] === "_SEQUENCE_NUMBER") === primaryKey, `${file}: layout`);
    }
    return out;
  });
  return { files, rows };
}

describe("DuckDB reads lakestate's Parquet data files", () => {
  for (const primaryKey of [true, false]) {
    test(`files of the real writer (table.newWrite), ${primaryKey ? "primary-key" : "append"} table: every row once, as written`, async () => {
      const { dir, remove } = await tempDir("duck-writer");
      try {
        const fields = [f(0, "id", "INT NOT NULL"), f(1, "code", "STRING NOT NULL"), f(2, "part", "STRING NOT NULL"), ...VALUE_FIELDS];
        const rnd = seededRandom(primaryKey ? 17 : 19);
        const rows = Array.from({ length: 300 }, (_, id) => [id, `c${id % 3}`, id % 2 === 0 ? "p0" : "p1", ...VALUE_FIELDS.map((x) => randomValue(x.type, rnd))]);
        const deleted = primaryKey ? rows.filter((r) => (r[0] as number) % 10 === 0) : [];
        const { tableDir } = await writeLakestateTable(dir, {
          fields, primaryKeys: primaryKey ? ["id", "code", "part"] : [], partitionKeys: ["part"],
          options: primaryKey ? { bucket: "2" } : { bucket: "2", "bucket-key": "id" },
        }, [{ changes: rows.map((row) => ({ row })), identifier: 1n }, ...(primaryKey ? [{ changes: deleted.map((row) => ({ row, kind: RowKind.DELETE })), identifier: 2n }] : [])], "duck-writer");
        const { files, rows: got } = await duckRowsOfTable(tableDir, fields, primaryKey);
        assert.ok(files.length >= 4, `${files.length} data files`);
        const expected = [
          ...rows.map((r) => [...(primaryKey ? [RowKind.INSERT] : []), ...fields.map((x, i) => expectedDuck(x.type, r[i]!))]),
          ...deleted.map((r) => [RowKind.DELETE, ...fields.map((x, i) => expectedDuck(x.type, r[i]!))]),
        ];
        const order = (a: unknown[], b: unknown[]) => (primaryKey ? (a[0] as number) - (b[0] as number) : 0) || (a[primaryKey ? 1 : 0] as number) - (b[primaryKey ? 1 : 0] as number);
        assert.deepEqual([...got].sort(order), expected.sort(order));
      } finally {
        await remove();
      }
    });
  }

  for (const variant of VARIANTS) {
    test(`${variant.name}: values, parquet_schema() and parquet_metadata() of every file`, async () => {
      const { dir, remove } = await tempDir("duck");
      try {
        const table = await writeTable(dir, variant);
        assert.ok(table.files.length >= (variant.options.bucket === "-1" ? 4 : 6), `${table.files.length} files`);
        if (variant.primaryKey) assert.ok(table.files.some((x) => x.rowKinds.includes(RowKind.DELETE)) && table.files.some((x) => x.rowKinds.includes(RowKind.UPDATE_AFTER)));
        await withDuckDb(async (sql) => {
          for (const file of table.files) await checkFile(sql, dir, table, file, variant);
        });
      } finally {
        await remove();
      }
    });
  }
});
