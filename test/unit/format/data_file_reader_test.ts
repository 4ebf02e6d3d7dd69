// Goal: the data-file reader maps every Parquet layout Java Paimon writes to the exact values of
// values.ts, reads columns by name (case-insensitive fallback), handles primary-key system
// columns (with and without _KEY_ columns), evolves schemas by field id with Java's casts, and
// fails with the documented error codes.
// Method: build small Parquet files with test/unit/format/parquet_fixture_writer.ts (values and
// physical layouts chosen by hand, edge values included), read them with readDataFile, and
// compare with the values Java would produce (worked out by hand in the comments).
import { assert, describe, test } from "../../harness.ts";
import { readDataFile, dataFileFormatOf } from "../../../src/format/data/data_file_reader.ts";
import { dataBatchKey, dataBatchRow } from "../../../src/format/data/data_batch.ts";
import { dataTypeFromJson, type DataField } from "../../../src/spec/data_types.ts";
import { createTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import { isLakeError, type ErrorCode } from "../../../src/errors.ts";
import type { Value } from "../../../src/spec/values.ts";
import { CONVERTED, decimalBytes, int96, writeParquet, type PNode } from "./parquet_fixture_writer.ts";

const JULIAN_EPOCH = 2_440_588;

function field(id: number, name: string, type: unknown): DataField {
  return { id, name, type: dataTypeFromJson(type) };
}

function schema(fields: DataField[], keys: { pk?: string[]; partition?: string[]; id?: bigint } = {}): TableSchema {
  return createTableSchema({ id: keys.id ?? 0n, fields, primaryKeys: keys.pk ?? [], partitionKeys: keys.partition ?? [], timeMillis: 0n });
}

const opt = (name: string, physical: PNode["physical"], extra: Partial<PNode> = {}): PNode => ({ name, repetition: "OPTIONAL", physical, ...extra });
const req = (name: string, physical: PNode["physical"], extra: Partial<PNode> = {}): PNode => ({ name, repetition: "REQUIRED", physical, ...extra });

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, text: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isLakeError(e, code), `expected LakeError(${code}), got ${String(e)}`);
    assert.ok((e as Error).message.includes(text), `message "${(e as Error).message}" should mention ${text}`);
    return true;
  });
}

describe("Parquet physical and logical types", () => {
  const fields = [
    field(0, "t8", "TINYINT"), field(1, "t16", "SMALLINT"), field(2, "i", "INT"), field(3, "b", "BIGINT"),
    field(4, "bool", "BOOLEAN"), field(5, "f", "FLOAT"), field(6, "d", "DOUBLE"), field(7, "date", "DATE"),
    field(8, "time", "TIME(3)"), field(9, "s", "STRING"), field(10, "bin", "BYTES"), field(11, "dec9", "DECIMAL(9, 2)"),
    field(12, "dec18", "DECIMAL(18, 4)"), field(13, "dec38", "DECIMAL(38, 10)"), field(14, "decbin", "DECIMAL(20, 0)"),
    field(15, "ts3", "TIMESTAMP(3)"), field(16, "ts6", "TIMESTAMP(6)"), field(17, "ts9", "TIMESTAMP(9)"),
    field(18, "ts96", "TIMESTAMP(9)"), field(19, "ltz", "TIMESTAMP(6) WITH LOCAL TIME ZONE"), field(20, "ts0", "TIMESTAMP(0)"),
    field(21, "ts96ms", "TIMESTAMP(3)"), field(22, "ts6ms", "TIMESTAMP(6)"),
  ];
  const nodes: PNode[] = [
    opt("t8", "INT32", { converted: CONVERTED.INT_8, logical: { type: "INTEGER", bitWidth: 8, signed: true } }),
    opt("t16", "INT32", { converted: CONVERTED.INT_16 }),
    opt("i", "INT32"), opt("b", "INT64"), opt("bool", "BOOLEAN"), opt("f", "FLOAT"), opt("d", "DOUBLE"),
    opt("date", "INT32", { converted: CONVERTED.DATE, logical: { type: "DATE" } }),
    opt("time", "INT32", { converted: CONVERTED.TIME_MILLIS }),
    opt("s", "BYTE_ARRAY", { converted: CONVERTED.UTF8, logical: { type: "STRING" } }),
    opt("bin", "BYTE_ARRAY"),
    opt("dec9", "INT32", { converted: CONVERTED.DECIMAL, scale: 2, precision: 9, logical: { type: "DECIMAL", scale: 2, precision: 9 } }),
    opt("dec18", "INT64", { converted: CONVERTED.DECIMAL, scale: 4, precision: 18 }),
    opt("dec38", "FIXED_LEN_BYTE_ARRAY", { typeLength: 16, converted: CONVERTED.DECIMAL, scale: 10, precision: 38 }),
    opt("decbin", "BYTE_ARRAY", { converted: CONVERTED.DECIMAL, scale: 0, precision: 20 }),
    opt("ts3", "INT64", { converted: CONVERTED.TIMESTAMP_MILLIS, logical: { type: "TIMESTAMP", utc: false, unit: "MILLIS" } }),
    opt("ts6", "INT64", { converted: CONVERTED.TIMESTAMP_MICROS, logical: { type: "TIMESTAMP", utc: false, unit: "MICROS" } }),
    opt("ts9", "INT64", { logical: { type: "TIMESTAMP", utc: false, unit: "NANOS" } }),
    opt("ts96", "INT96"),
    opt("ltz", "INT64", { logical: { type: "TIMESTAMP", utc: true, unit: "MICROS" } }),
    opt("ts0", "INT64"), // 0.5-era TIMESTAMP(0): plain epoch millis, no annotation
    opt("ts96ms", "INT96"),
    opt("ts6ms", "INT64", { logical: { type: "TIMESTAMP", utc: false, unit: "MILLIS" } }),
  ];
  const rows = [
    {
      t8: -128, t16: -32768, i: -2147483648, b: -(1n << 63n), bool: true, f: Math.fround(0.1), d: -0.5, date: -719162,
      time: 86_399_999, s: "héllo 😀", bin: Uint8Array.of(0, 255), dec9: -12345, dec18: 123456789012345678n,
      dec38: decimalBytes(-(10n ** 37n) + 1n, 16), decbin: decimalBytes(-1n, 1), ts3: -1n, ts6: -1n, ts9: -1n,
      ts96: int96(-1n, JULIAN_EPOCH), ltz: 1_000_001n, ts0: 1_692_197_719_000n, ts96ms: int96(-1n, JULIAN_EPOCH), ts6ms: 1234n,
    },
    Object.fromEntries(nodes.map((n) => [n.name, null])),
    {
      t8: 127, t16: 32767, i: 2147483647, b: (1n << 63n) - 1n, bool: false, f: -3.5, d: 1e300, date: 19909, time: 0, s: "",
      bin: new Uint8Array(0), dec9: 0, dec18: -1n, dec38: decimalBytes(10n ** 38n - 1n, 16), decbin: decimalBytes(12345678901234567890n, 9),
      ts3: 2_000_000_000_000n, ts6: 2_000_000_000_000_001n, ts9: 1_000_000_001n,
      ts96: int96(12_000_000_001n, JULIAN_EPOCH + 1), ltz: -1n, ts0: 0n, ts96ms: int96(1_999_999n, JULIAN_EPOCH), ts6ms: -1n,
    },
  ];

  test("each column reads as Java reads it (values.ts shapes, vector precision)", async () => {
    const s = schema(fields);
    const batch = await readDataFile(writeParquet(nodes, rows), { fileName: "data-x-0.parquet", fileSchema: s, readSchema: s, primaryKey: false });
    assert.equal(batch.rowCount, 3);
    assert.equal(batch.sequenceNumbers, null);
    assert.equal(batch.keys, null);
    const ts = (epochMillis: number, nanoOfMillisecond = 0) => ({ epochMillis, nanoOfMillisecond });
    assert.deepEqual(dataBatchRow(batch, 0), [
      -128, -32768, -2147483648, -(1n << 63n), true, Math.fround(0.1), -0.5, -719162, 86_399_999, "héllo 😀", Uint8Array.of(0, 255),
      -12345n, 123456789012345678n, -(10n ** 37n) + 1n, -1n,
      ts(-1), ts(-1, 999_000), ts(-1, 999_999), ts(-1, 999_999), ts(1000, 1000), ts(1_692_197_719_000), ts(-1), ts(1234),
    ]);
    assert.deepEqual(dataBatchRow(batch, 1), fields.map(() => null));
    assert.deepEqual(dataBatchRow(batch, 2), [
      127, 32767, 2147483647, (1n << 63n) - 1n, false, -3.5, 1e300, 19909, 0, "", new Uint8Array(0),
      0n, -1n, 10n ** 38n - 1n, 12345678901234567890n,
      ts(2_000_000_000_000), ts(2_000_000_000_000, 1000), ts(1000, 1), ts(86_400_000 + 12_000, 1), ts(-1, 999_000), ts(0), ts(1), ts(-1),
    ]);
  });

  test("message name `schema`, several row groups and any created_by read the same", async () => {
    const s = schema(fields);
    const many = [...rows, ...rows, rows[0]!];
    const bytes = writeParquet(nodes, many, { messageName: "schema", rowGroupRows: 2, createdBy: "parquet-cpp-arrow version 19.0.0" });
    const batch = await readDataFile(bytes, { fileName: "data-y-0.parquet", fileSchema: s, readSchema: s, primaryKey: false });
    const single = await readDataFile(writeParquet(nodes, many), { fileName: "data-z-0.parquet", fileSchema: s, readSchema: s, primaryKey: false });
    assert.equal(batch.rowCount, 7);
    assert.deepEqual(batch.columns, single.columns);
  });
});

describe("nested Parquet groups", () => {
  const nodes: PNode[] = [
    req("id", "INT32"),
    { name: "arr", repetition: "OPTIONAL", converted: CONVERTED.LIST, logical: { type: "LIST" }, children: [
      { name: "list", repetition: "REPEATED", children: [opt("element", "BYTE_ARRAY", { converted: CONVERTED.UTF8 })] }] },
    { name: "m", repetition: "OPTIONAL", converted: CONVERTED.MAP, children: [
      { name: "key_value", repetition: "REPEATED", children: [req("key", "INT32"), opt("value", "BYTE_ARRAY", { converted: CONVERTED.UTF8 })] }] },
    { name: "r", repetition: "OPTIONAL", children: [
      opt("a", "INT32"),
      { name: "b", repetition: "OPTIONAL", converted: CONVERTED.LIST, children: [
        { name: "list", repetition: "REPEATED", children: [req("element", "INT64")] }] }] },
    { name: "nn", repetition: "REQUIRED", converted: CONVERTED.LIST, children: [
      { name: "list", repetition: "REPEATED", children: [req("element", "INT32")] }] },
    { name: "ms", repetition: "OPTIONAL", converted: CONVERTED.MAP, children: [
      { name: "key_value", repetition: "REPEATED", children: [req("key", "BYTE_ARRAY", { converted: CONVERTED.UTF8 }), req("value", "INT32")] }] },
    { name: "mr", repetition: "REQUIRED", converted: CONVERTED.MAP, children: [
      { name: "key_value", repetition: "REPEATED", children: [req("key", "INT64"), opt("value", "DOUBLE")] }] },
  ];
  const fields = [
    field(0, "id", "INT NOT NULL"),
    field(1, "arr", { type: "ARRAY", element: "STRING" }),
    field(2, "m", { type: "MAP", key: "INT NOT NULL", value: "STRING" }),
    field(3, "r", { type: "ROW", fields: [{ id: 4, name: "a", type: "INT" }, { id: 5, name: "b", type: { type: "ARRAY", element: "BIGINT NOT NULL" } }] }),
    field(6, "nn", { type: "ARRAY NOT NULL", element: "INT NOT NULL" }),
    field(7, "ms", { type: "MULTISET", element: "STRING NOT NULL" }),
    field(8, "mr", { type: "MAP NOT NULL", key: "BIGINT NOT NULL", value: "DOUBLE" }),
  ];
  const rows = [
    { id: 1, arr: { list: [{ element: "x" }, { element: null }] }, m: { key_value: [{ key: 2, value: "two" }, { key: 1, value: null }] },
      r: { a: 5, b: { list: [{ element: 7n }, { element: -8n }] } }, nn: { list: [{ element: 3 }, { element: 4 }] }, ms: { key_value: [{ key: "k", value: 2 }] }, mr: { key_value: [{ key: 5n, value: null }] } },
    { id: 2, arr: null, m: null, r: null, nn: { list: [] }, ms: null, mr: { key_value: [] } },
    { id: 3, arr: { list: [] }, m: { key_value: [] }, r: { a: null, b: null }, nn: { list: [] }, ms: { key_value: [] }, mr: { key_value: [] } },
    { id: 4, arr: { list: [{ element: "y" }] }, m: { key_value: [{ key: 1, value: "one" }, { key: 1, value: "dup" }] },
      r: { a: 1, b: { list: [] } }, nn: { list: [{ element: 5 }] }, ms: { key_value: [{ key: "a", value: 1 }, { key: "b", value: 3 }] }, mr: { key_value: [{ key: -1n, value: 0.5 }, { key: 2n, value: 1 }] } },
  ];

  test("LIST, MAP (entry order and duplicates kept), ROW and MULTISET with nulls at every level", async () => {
    const s = schema(fields);
    const batch = await readDataFile(writeParquet(nodes, rows, { rowGroupRows: 3 }), { fileName: "n.parquet", fileSchema: s, readSchema: s, primaryKey: false });
    assert.deepEqual(batch.columns, [
      [1, 2, 3, 4],
      [["x", null], null, [], ["y"]],
      [[[2, "two"], [1, null]], null, [], [[1, "one"], [1, "dup"]]],
      [[5, [7n, -8n]], null, [null, null], [1, []]],
      [[3, 4], [], [], [5]],
      [[["k", 2]], null, [], [["a", 1], ["b", 3]]],
      [[[5n, null]], [], [], [[-1n, 0.5], [2n, 1]]],
    ]);
  });

  test("nested ROW fields evolve by id: renamed, reordered, added, widened", async () => {
    const s = schema(fields);
    const evolved = schema([
      field(0, "id", "INT NOT NULL"),
      field(3, "r", { type: "ROW", fields: [
        { id: 5, name: "bb", type: { type: "ARRAY", element: "STRING" } }, { id: 9, name: "z", type: "INT" }, { id: 4, name: "a", type: "BIGINT" }] }),
    ], { id: 1n });
    const batch = await readDataFile(writeParquet(nodes, rows), { fileName: "n.parquet", fileSchema: s, readSchema: evolved, primaryKey: false });
    assert.deepEqual(batch.columns[1], [[["7", "-8"], null, 5n], null, [null, null, null], [[], null, 1n]]);
  });
});

describe("legacy layouts", () => {
  test("a 2-level LIST (repeated element under the LIST group) is unsupported rather than misread", async () => {
    const nodes: PNode[] = [{ name: "l", repetition: "OPTIONAL", converted: CONVERTED.LIST, children: [{ name: "array", repetition: "REPEATED", physical: "INT32" }] }];
    const s = schema([field(0, "l", { type: "ARRAY", element: "INT" })]);
    const bytes = writeParquet(nodes, [{ l: { array: [1] } }, { l: { array: [] } }]);
    await rejectsWith(readDataFile(bytes, { fileName: "l.parquet", fileSchema: s, readSchema: s, primaryKey: false }), "unsupported", "3-level");
  });
});

describe("column matching", () => {
  test("exact names first, then one case-insensitive match; missing columns are NULL", async () => {
    const nodes = [opt("A", "INT32"), opt("a", "INT32"), opt("Name", "BYTE_ARRAY", { converted: CONVERTED.UTF8 })];
    const bytes = writeParquet(nodes, [{ A: 1, a: 2, Name: "n" }]);
    const s = schema([field(0, "A", "INT"), field(1, "a", "INT"), field(2, "name", "STRING"), field(3, "gone", "INT")]);
    const batch = await readDataFile(bytes, { fileName: "c.parquet", fileSchema: s, readSchema: s, primaryKey: false });
    assert.deepEqual(dataBatchRow(batch, 0), [1, 2, "n", null]);
  });

  test("a name matching two columns case-insensitively is a corruption error", async () => {
    const bytes = writeParquet([opt("aB", "INT32"), opt("Ab", "INT32")], [{ aB: 1, Ab: 2 }]);
    const s = schema([field(0, "ab", "INT")]);
    await rejectsWith(readDataFile(bytes, { fileName: "amb.parquet", fileSchema: s, readSchema: s, primaryKey: false }), "corruption", "case-insensitively");
  });
});

describe("primary-key data files", () => {
  const fields = [field(0, "p", "INT"), field(1, "k", "STRING"), field(2, "k2", "BIGINT"), field(3, "v", "DOUBLE")];
  const s = schema(fields, { pk: ["p", "k", "k2"], partition: ["p"] });
  const system = [req("_SEQUENCE_NUMBER", "INT64", { fieldId: 2147483646 }), req("_VALUE_KIND", "INT32", { converted: CONVERTED.INT_8, fieldId: 2147483645 })];
  const values = [req("p", "INT32"), req("k", "BYTE_ARRAY", { converted: CONVERTED.UTF8 }), req("k2", "INT64"), opt("v", "DOUBLE")];
  const keyColumns = [req("_KEY_k", "BYTE_ARRAY", { converted: CONVERTED.UTF8 }), req("_KEY_k2", "INT64")];
  const rows = [
    { _KEY_k: "a", _KEY_k2: 1n, _SEQUENCE_NUMBER: 7n, _VALUE_KIND: 0, p: 1, k: "a", k2: 1n, v: 1.5 },
    { _KEY_k: "b", _KEY_k2: 0n, _SEQUENCE_NUMBER: 3n, _VALUE_KIND: 3, p: 1, k: "b", k2: 0n, v: null },
    { _KEY_k: "b", _KEY_k2: 2n, _SEQUENCE_NUMBER: 9n, _VALUE_KIND: 2, p: 1, k: "b", k2: 2n, v: 2.5 },
  ];

  test("sequence numbers, row kinds and trimmed keys (partition key excluded), with and without _KEY_ columns", async () => {
    for (const layout of [[...keyColumns, ...system, ...values], [...system, ...values]]) {
      const batch = await readDataFile(writeParquet(layout, rows), { fileName: "data-pk-0.parquet", fileSchema: s, readSchema: s, readFieldIds: [3], primaryKey: true });
      assert.deepEqual([...batch.sequenceNumbers!], [7n, 3n, 9n]);
      assert.deepEqual([...batch.rowKinds!], [0, 3, 2]);
      assert.deepEqual(batch.keys, [["a", "b", "b"], [1n, 0n, 2n]]);
      assert.deepEqual(dataBatchKey(batch, 2), ["b", 2n]);
      assert.deepEqual(batch.columns, [[1.5, null, 2.5]]);
    }
  });

  test("a missing system column or an unknown row kind is corruption; a schema without keys is invalid", async () => {
    const noSeq = writeParquet([system[1]!, ...values], rows);
    await rejectsWith(readDataFile(noSeq, { fileName: "data-a-0.parquet", fileSchema: s, readSchema: s, primaryKey: true }), "corruption", "_SEQUENCE_NUMBER");
    const badKind = writeParquet([...system, ...values], rows.map((r, i) => ({ ...r, _VALUE_KIND: i === 1 ? 4 : 0 })));
    await rejectsWith(readDataFile(badKind, { fileName: "data-b-0.parquet", fileSchema: s, readSchema: s, primaryKey: true }), "corruption", "row 1");
    const append = schema(fields);
    await rejectsWith(readDataFile(badKind, { fileName: "data-c-0.parquet", fileSchema: append, readSchema: append, primaryKey: true }), "invalid_argument", "no primary key");
  });
});

describe("schema evolution by field id", () => {
  const nodes = [
    opt("a", "INT32"), opt("b", "FLOAT"), opt("c", "INT32", { converted: CONVERTED.DECIMAL, scale: 2, precision: 5 }),
    opt("d", "INT96"), opt("e", "DOUBLE"), opt("s", "BYTE_ARRAY", { converted: CONVERTED.UTF8 }),
  ];
  const fileSchema = schema([
    field(0, "a", "INT"), field(1, "b", "FLOAT"), field(2, "c", "DECIMAL(5, 2)"), field(3, "d", "TIMESTAMP(9)"), field(4, "e", "DOUBLE"), field(5, "s", "STRING"),
  ]);
  const rows = [
    { a: 42, b: Math.fround(0.1), c: 125, d: int96(1_500_000_999n, JULIAN_EPOCH), e: 1e7, s: "12" },
    { a: -7, b: -2.5, c: -999, d: int96(-1_500_000_000n, JULIAN_EPOCH), e: 0.001, s: null },
  ];
  const bytes = writeParquet(nodes, rows);

  test("widening, rescaling, truncation and to-string casts give Java's values", async () => {
    const readSchema = schema([
      field(6, "added", "STRING"), field(4, "e_text", "STRING"), field(3, "d3", "TIMESTAMP(3)"), field(2, "c", "DECIMAL(2, 1)"),
      field(1, "b", "DOUBLE"), field(0, "a_long", "BIGINT"),
    ], { id: 1n });
    const batch = await readDataFile(bytes, { fileName: "e.parquet", fileSchema, readSchema, primaryKey: false });
    assert.deepEqual(batch.fields.map((f) => f.name), ["added", "e_text", "d3", "c", "b", "a_long"]);
    assert.deepEqual(batch.columns, [
      [null, null],
      ["1.0E7", "0.001"],
      // 1.500000999 s → 1500 ms; -1.5 s → Java's truncate works toward zero on millis: -1500 stays
      [{ epochMillis: 1500, nanoOfMillisecond: 0 }, { epochMillis: -1500, nanoOfMillisecond: 0 }],
      [13n, null], // 1.25 → 1.3 (HALF_UP); -9.99 → -10.0 needs 3 digits, DECIMAL(2, 1) has 2: NULL
      [Math.fround(0.1), -2.5],
      [42n, -7n],
    ]);
    const asText = schema([field(0, "a", "VARCHAR(1)"), field(1, "b", "STRING"), field(5, "s", "CHAR(4)")], { id: 2n });
    const text = await readDataFile(bytes, { fileName: "e.parquet", fileSchema, readSchema: asText, primaryKey: false });
    assert.deepEqual(text.columns, [["4", "-"], ["0.1", "-2.5"], ["12  ", null]]);
  });

  test("casts Paimon does not allow or we cannot do yet are unsupported, naming the column", async () => {
    const toInt = schema([field(5, "s", "INT")], { id: 3n });
    await rejectsWith(readDataFile(bytes, { fileName: "e.parquet", fileSchema, readSchema: toInt, primaryKey: false }), "unsupported", "column s");
    const toLtz = schema([field(3, "d", "TIMESTAMP(9) WITH LOCAL TIME ZONE")], { id: 3n });
    await rejectsWith(readDataFile(bytes, { fileName: "e.parquet", fileSchema, readSchema: toLtz, primaryKey: false }), "unsupported", "TIMESTAMP");
  });
});

describe("formats and errors", () => {
  const s = schema([field(0, "s", "STRING"), field(1, "i", "INT")]);
  const good = writeParquet([opt("s", "BYTE_ARRAY", { converted: CONVERTED.UTF8 }), opt("i", "INT32")], [{ s: "ok", i: 1 }]);

  test("the format comes from the extension, else from the magic bytes", () => {
    assert.equal(dataFileFormatOf("bucket-0/data-1-0.parquet", new Uint8Array(0)), "parquet");
    assert.equal(dataFileFormatOf("data-1-0.avro", new Uint8Array(0)), "avro");
    assert.equal(dataFileFormatOf("data-1-0.ORC", new Uint8Array(0)), "orc");
    assert.equal(dataFileFormatOf("data-1-0", good), "parquet");
    assert.throws(() => dataFileFormatOf("data-1-0", Uint8Array.of(1, 2, 3, 4)), (e: unknown) => isLakeError(e, "unsupported"));
  });

  test("ORC files and unsupported codecs are unsupported errors naming the file", async () => {
    await rejectsWith(readDataFile(good, { fileName: "data-9-0.orc", fileSchema: s, readSchema: s, primaryKey: false }), "unsupported", "data-9-0.orc");
    const gzip = writeParquet([opt("s", "BYTE_ARRAY", { converted: CONVERTED.UTF8 })], [{ s: "x" }], { codecLabel: "GZIP" });
    await rejectsWith(readDataFile(gzip, { fileName: "data-g-0.parquet", fileSchema: s, readSchema: s, primaryKey: false }), "unsupported", "GZIP");
  });

  test("invalid UTF-8 in a string column is corruption; unknown read field ids are invalid", async () => {
    const bad = writeParquet([opt("s", "BYTE_ARRAY", { converted: CONVERTED.UTF8 })], [{ s: Uint8Array.of(0x61, 0xff) }]);
    await rejectsWith(readDataFile(bad, { fileName: "data-u-0.parquet", fileSchema: s, readSchema: s, primaryKey: false }), "corruption", "data-u-0.parquet");
    await rejectsWith(readDataFile(good, { fileName: "data-v-0.parquet", fileSchema: s, readSchema: s, readFieldIds: [1, 7], primaryKey: false }), "invalid_argument", "7");
  });

  test("a Parquet type that cannot hold the declared type is unsupported", async () => {
    const wrong = schema([field(0, "s", "INT"), field(1, "i", "STRING")]);
    await rejectsWith(readDataFile(good, { fileName: "data-w-0.parquet", fileSchema: wrong, readSchema: wrong, primaryKey: false }), "unsupported", "column s");
  });

  test("an empty file (no row groups) reads as zero rows", async () => {
    const empty = writeParquet([opt("s", "BYTE_ARRAY", { converted: CONVERTED.UTF8 }), opt("i", "INT32")], []);
    const batch = await readDataFile(empty, { fileName: "data-e-0.parquet", fileSchema: s, readSchema: s, primaryKey: false });
    assert.equal(batch.rowCount, 0);
    assert.deepEqual(batch.columns, [[], []]);
  });

  test("values are copies: mutating a returned BYTES value does not touch the file bytes", async () => {
    const bs = schema([field(0, "b", "BYTES")]);
    const bytes = writeParquet([opt("b", "BYTE_ARRAY")], [{ b: Uint8Array.of(1, 2, 3) }]);
    const before = bytes.slice();
    const batch = await readDataFile(bytes, { fileName: "data-c-0.parquet", fileSchema: bs, readSchema: bs, primaryKey: false });
    (batch.columns[0]![0] as Uint8Array)[0] = 99;
    assert.deepEqual(bytes, before);
    const again = await readDataFile(bytes, { fileName: "data-c-0.parquet", fileSchema: bs, readSchema: bs, primaryKey: false });
    assert.deepEqual(again.columns[0], [Uint8Array.of(1, 2, 3)] as Value[]);
  });
});
