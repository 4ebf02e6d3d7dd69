// Goal: writeDataFile writes every supported type so that it reads back exactly, with Java's
// Parquet layout (schema elements, v1 PLAIN/dictionary pages, codecs, no footer metadata) and
// the value/key statistics Java's rules give; DuckDB reads the files; what we cannot write as
// Java does is refused. (Comparison with Java-written files: parquet_writer_fixtures_test.ts.)
// Method: write PK and append files of every type from seeded random values, read them back
// with readDataFile and compare with the values as the file stores them; compare stats with the
// independent oracle of stats_oracle.ts; check the footer with hyparquet against elements
// hand-derived from Java's ParquetSchemaConverter; query the files with DuckDB (Node only).
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { dataFileFields } from "../../../src/format/data/data_file_fields.ts";
import { columnStatsModes, dataFileStatsMode } from "../../../src/format/data/file_stats.ts";
import { dataFileFacts, writeDataFile, type DataFileFacts } from "../../../src/format/data/parquet_writer.ts";
import { thriftField } from "../../../src/format/data/thrift_compact.ts";
import { isLakeError, type ErrorCode } from "../../../src/errors.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import { decodeSimpleStats } from "../../../src/spec/simple_stats.ts";
import { timestamp, type Timestamp, type Value } from "../../../src/spec/values.ts";
import { compareBytes, toHex, utf8Encode } from "../../../src/util/bytes.ts";
import { oracleColumnStats } from "./stats_oracle.ts";
import { field, footerSchema, isDeno, parquetWasm, tableSchema } from "./parquet_writer_support.ts";

async function rejectsWith(run: () => unknown, code: ErrorCode, text: string): Promise<void> {
  await assert.rejects(async () => run(), (e: unknown) => isLakeError(e, code) && e.message.includes(text));
}

// ---------------------------------------------------------------------------------------------
// Every type, random values

const ALL_TYPES: DataField[] = [
  field(0, "bo", "BOOLEAN"), field(1, "ti", "TINYINT"), field(2, "sm", "SMALLINT"), field(3, "i", "INT"),
  field(4, "bi", "BIGINT"), field(5, "fl", "FLOAT"), field(6, "db", "DOUBLE"), field(7, "da", "DATE"),
  field(8, "tm", "TIME"), field(9, "ts0", "TIMESTAMP(0)"), field(10, "ts3", "TIMESTAMP(3)"), field(11, "ts6", "TIMESTAMP(6)"),
  field(12, "lz3", "TIMESTAMP(3) WITH LOCAL TIME ZONE"), field(13, "lz6", "TIMESTAMP(6) WITH LOCAL TIME ZONE"),
  field(14, "d1", "DECIMAL(1, 0)"), field(15, "d9", "DECIMAL(9, 2)"), field(16, "d18", "DECIMAL(18, 4)"), field(17, "d38", "DECIMAL(38, 10)"),
  field(18, "ch", "CHAR(5)"), field(19, "vc", "VARCHAR(20)"), field(20, "st", "STRING"), field(21, "bn", "BINARY(4)"), field(22, "by", "BYTES"),
  field(23, "ar", { type: "ARRAY", element: "INT" }), field(24, "aa", { type: "ARRAY", element: { type: "ARRAY", element: "STRING" } }),
  field(25, "mp", { type: "MAP", key: "STRING", value: "BIGINT" }), field(26, "ms", { type: "MULTISET", element: "INT" }),
  field(27, "rw", { type: "ROW", fields: [{ id: 28, name: "x", type: "INT NOT NULL" }, { id: 29, name: "y", type: "STRING" }] }),
  field(30, "nn", "INT NOT NULL"), field(31, "ve", { type: "VECTOR", element: "FLOAT", length: 2 }),
];

const WORDS = ["", "a", "Alice", "é", "\uFFFF", "😀", "Two roads diverged in a wood, and I", "\u{10FFFF}\u{10FFFF}", "zzzzzzzzzzzzzzzzzz"];

function randomValue(f: DataField, rnd: () => number, row: number): Value {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const big = (digits: number) => BigInt(Array.from({ length: digits }, () => int(0, 9)).join("")) * (rnd() < 0.5 ? -1n : 1n);
  const t = f.type;
  if (t.nullable && rnd() < 0.15) return null;
  switch (t.root) {
    case "BOOLEAN": return rnd() < 0.5;
    case "TINYINT": return pick([-128, 127, int(-128, 127)]);
    case "SMALLINT": return pick([-32768, 32767, int(-32768, 32767)]);
    case "INT": return pick([-2147483648, 2147483647, int(-1e6, 1e6), row]);
    case "BIGINT": return pick([-(2n ** 63n), 2n ** 63n - 1n, big(12)]);
    case "FLOAT": return pick([NaN, -0, 0, Infinity, Math.fround(rnd() * 1e6 - 5e5)]);
    case "DOUBLE": return pick([-0, 0, -Infinity, rnd() * 1e300, -rnd()]);
    case "DATE": return int(-800000, 800000);
    case "TIME": return int(0, 86_399_999);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = t.precision!;
      const ms = pick([int(-4e12, 9e12), -1, 0]);
      return p === 0 ? timestamp(Math.floor(ms / 1000) * 1000) : p === 3 ? timestamp(ms) : timestamp(ms, int(0, 999) * 1000);
    }
    case "DECIMAL": return big(t.precision!);
    case "CHAR": case "VARCHAR": return pick(WORDS).slice(0, t.length === 5 ? 5 : 20);
    case "BINARY": case "VARBINARY": return Uint8Array.from({ length: t.root === "BINARY" ? 4 : int(0, 40) }, () => int(0, 255));
    case "ARRAY": return Array.from({ length: int(0, 3) }, () => (t.element.root === "INT" ? (rnd() < 0.2 ? null : int(-9, 9)) : [pick(WORDS), null]));
    case "MAP": return Array.from({ length: int(0, 3) }, (_, i) => [`k${i}`, rnd() < 0.2 ? null : big(5)] as Value);
    case "MULTISET": return Array.from({ length: int(0, 2) }, (_, i) => [i, int(1, 3)] as Value);
    case "ROW": return [int(-5, 5), rnd() < 0.3 ? null : pick(WORDS)];
    case "VECTOR": return [Math.fround(rnd()), -0];
    default: throw new Error(`no generator for ${t.root}`);
  }
}

function randomColumns(fields: readonly DataField[], rowCount: number, seed: number): Value[][] {
  const rnd = seededRandom(seed);
  const rows = Array.from({ length: rowCount }, (_, r) => fields.map((f) => randomValue(f, rnd, r)));
  return fields.map((_, c) => rows.map((row) => row[c]!));
}

/** The value as the file stores it: FLOAT rounded to float32 (nested too). */
function stored(type: DataField["type"], v: Value): Value {
  if (v === null) return null;
  switch (type.root) {
    case "FLOAT": return Math.fround(v as number);
    case "ARRAY": case "VECTOR": return (v as Value[]).map((e) => stored(type.element, e));
    default: return v;
  }
}

function checkValueStatsAgainstOracle(schema: TableSchema, facts: DataFileFacts, columns: readonly (readonly Value[])[], primaryKey: boolean): void {
  const fields = dataFileFields(schema, primaryKey);
  const modes = columnStatsModes(fields.map((f) => f.name), schema.options, dataFileStatsMode(schema.options, primaryKey, 0)).slice(fields.length - schema.fields.length);
  const decoded = decodeSimpleStats(schema.fields, facts.valueStats, facts.valueStatsCols);
  schema.fields.forEach((f, i) => {
    const want = oracleColumnStats(f.type, columns[i]!, modes[i]!);
    // BinaryRow stats hold FLOAT as float32 and CHAR/VARCHAR as UTF-8, which the oracle already is.
    assert.deepEqual(decoded[i], want, `stats of ${f.name}`);
  });
}

describe("writing every supported type", () => {
  test("append file: values read back exactly, stats match the oracle", async () => {
    const schema = tableSchema(ALL_TYPES);
    const columns = randomColumns(ALL_TYPES, 300, 1);
    const out = writeDataFile(columns, { schema, primaryKey: false, parquetWasm: await parquetWasm(), sequenceNumberStart: 40n });
    assert.equal(out.rowCount, 300);
    assert.deepEqual([out.minSequenceNumber, out.maxSequenceNumber, out.deleteRowCount], [40n, 339n, 0n]);
    assert.equal(toHex(out.minKey), "000000000000000000000000");
    assert.deepEqual(out.keyStats.nullCounts, []);
    const nested = ["ar", "aa", "mp", "ms", "rw", "ve"];
    assert.deepEqual(out.valueStatsCols, ALL_TYPES.map((f) => f.name).filter((n) => !nested.includes(n)));
    checkValueStatsAgainstOracle(schema, out, columns, false);
    const back = await readDataFile(out.bytes, { fileName: "a.parquet", fileSchema: schema, readSchema: schema, primaryKey: false });
    ALL_TYPES.forEach((f, c) => assert.deepEqual(back.columns[c], columns[c]!.map((v) => stored(f.type, v)), f.name));
  });

  test("primary-key file: _KEY_ columns, sequence numbers, row kinds, min/max key and key stats", async () => {
    const fields = [field(100, "p", "INT NOT NULL"), field(101, "k", "STRING NOT NULL"), field(102, "id", "BIGINT NOT NULL"), ...ALL_TYPES];
    const schema = tableSchema(fields, { "metadata.stats-mode": "full", "fields.st.stats-mode": "truncate(4)" }, ["p", "k", "id"], ["p"]);
    const rowCount = 200;
    const columns = randomColumns(fields, rowCount, 2);
    // Unique keys in Java's order: k by UTF-8 bytes, then id.
    const order = Array.from({ length: rowCount }, (_, i) => i).map((i) => [WORDS[i % WORDS.length]!, BigInt(Math.floor(i / WORDS.length)) - 5n] as const)
      .sort((a, b) => compareBytes(utf8Encode(a[0]), utf8Encode(b[0])) || (a[1] < b[1] ? -1 : 1));
    columns[0] = columns[0]!.map(() => 7);
    columns[1] = order.map((o) => o[0]);
    columns[2] = order.map((o) => o[1]);
    const rnd = seededRandom(3);
    const sequenceNumbers = BigInt64Array.from({ length: rowCount }, (_, i) => BigInt(1000 + ((i * 7919) % rowCount)));
    const rowKinds = Uint8Array.from({ length: rowCount }, () => Math.floor(rnd() * 4));
    const out = writeDataFile(columns, { schema, primaryKey: true, parquetWasm: await parquetWasm(), sequenceNumbers, rowKinds, compression: "snappy" });
    assert.deepEqual([out.minSequenceNumber, out.maxSequenceNumber], [1000n, 1199n]);
    assert.equal(out.deleteRowCount, BigInt(rowKinds.filter((k) => k === 1 || k === 3).length));
    const keyFields = [field(101, "k", "STRING NOT NULL"), field(102, "id", "BIGINT NOT NULL")];
    const keyStats = decodeSimpleStats(keyFields, out.keyStats);
    assert.deepEqual(keyStats, [oracleColumnStats(keyFields[0]!.type, columns[1]!, { kind: "truncate", length: 128 }), oracleColumnStats(keyFields[1]!.type, columns[2]!, { kind: "full" })]);
    checkValueStatsAgainstOracle(schema, out, columns, true);
    const back = await readDataFile(out.bytes, { fileName: "k.parquet", fileSchema: schema, readSchema: schema, primaryKey: true });
    assert.deepEqual(back.keys, [columns[1], columns[2]]);
    assert.deepEqual(back.sequenceNumbers, sequenceNumbers);
    assert.deepEqual(back.rowKinds, rowKinds);
    fields.forEach((f, c) => assert.deepEqual(back.columns[c], columns[c]!.map((v) => stored(f.type, v)), f.name));
    const names = footerSchema(out.bytes).map((e) => new TextDecoder().decode((thriftField(e, 4) as { value: Uint8Array }).value));
    assert.deepEqual(names.slice(0, 6), ["paimon_schema", "_KEY_k", "_KEY_id", "_SEQUENCE_NUMBER", "_VALUE_KIND", "p"]);
  });
});

describe("the Parquet layout", () => {
  test("every type's schema element, as hyparquet decodes it, is Java's (hand-derived from ParquetSchemaConverter)", async () => {
    const fields = [field(0, "ti", "TINYINT NOT NULL"), field(1, "sm", "SMALLINT"), field(2, "tm", "TIME"), field(3, "ts6", "TIMESTAMP(6)"),
      field(4, "lz3", "TIMESTAMP(3) WITH LOCAL TIME ZONE"), field(5, "d1", "DECIMAL(1, 1)"), field(6, "d18", "DECIMAL(18, 4)"), field(7, "d38", "DECIMAL(38, 10)"),
      field(8, "bo", "BOOLEAN"), field(9, "fl", "FLOAT"), field(10, "bn", "BINARY(4)"), field(11, "ch", "CHAR(3)"),
      field(12, "ar", { type: "ARRAY", element: { type: "ARRAY", element: "INT NOT NULL" } }),
      field(13, "mp", { type: "MAP", key: "STRING", value: { type: "ROW", fields: [{ id: 14, name: "x", type: "INT" }] } }),
      field(15, "ms", { type: "MULTISET NOT NULL", element: "BIGINT" }), field(16, "vr", "VARIANT"), field(17, "ve", { type: "VECTOR", element: "FLOAT", length: 2 })];
    const values: Value[] = [1, 2, 3, timestamp(1), timestamp(1), 1n, 1n, 1n, true, 1, new Uint8Array(4), "abc", [[1]], [["a", [1]]], [[1n, 2]],
      { value: Uint8Array.from([12, 1]), metadata: Uint8Array.from([1, 0, 0]) }, [1, 2]];
    const out = writeDataFile(values.map((v) => [v]), { schema: tableSchema(fields), primaryKey: false, parquetWasm: await parquetWasm(), compression: "none" });
    const { parquetMetadata } = await import("hyparquet");
    const got = parquetMetadata(out.bytes.buffer).schema.map((e) => JSON.stringify(e));
    // Ids of nested elements: 536870911 (Integer.MAX_VALUE / 4) ± fieldId * 1024 ± depth, as SpecialFields computes them.
    assert.deepEqual(got, [
      `{"name":"paimon_schema","num_children":17}`,
      `{"type":"INT32","repetition_type":"REQUIRED","name":"ti","converted_type":"INT_8","field_id":0,"logical_type":{"type":"INTEGER","bitWidth":8,"isSigned":true}}`,
      `{"type":"INT32","repetition_type":"OPTIONAL","name":"sm","converted_type":"INT_16","field_id":1,"logical_type":{"type":"INTEGER","bitWidth":16,"isSigned":true}}`,
      `{"type":"INT32","repetition_type":"OPTIONAL","name":"tm","converted_type":"TIME_MILLIS","field_id":2,"logical_type":{"type":"TIME","isAdjustedToUTC":true,"unit":"MILLIS"}}`,
      `{"type":"INT64","repetition_type":"OPTIONAL","name":"ts6","converted_type":"TIMESTAMP_MICROS","field_id":3,"logical_type":{"type":"TIMESTAMP","isAdjustedToUTC":false,"unit":"MICROS"}}`,
      `{"type":"INT64","repetition_type":"OPTIONAL","name":"lz3","converted_type":"TIMESTAMP_MILLIS","field_id":4,"logical_type":{"type":"TIMESTAMP","isAdjustedToUTC":true,"unit":"MILLIS"}}`,
      `{"type":"INT32","repetition_type":"OPTIONAL","name":"d1","converted_type":"DECIMAL","scale":1,"precision":1,"field_id":5,"logical_type":{"type":"DECIMAL","scale":1,"precision":1}}`,
      `{"type":"INT64","repetition_type":"OPTIONAL","name":"d18","converted_type":"DECIMAL","scale":4,"precision":18,"field_id":6,"logical_type":{"type":"DECIMAL","scale":4,"precision":18}}`,
      `{"type":"FIXED_LEN_BYTE_ARRAY","type_length":16,"repetition_type":"OPTIONAL","name":"d38","converted_type":"DECIMAL","scale":10,"precision":38,"field_id":7,"logical_type":{"type":"DECIMAL","scale":10,"precision":38}}`,
      `{"type":"BOOLEAN","repetition_type":"OPTIONAL","name":"bo","field_id":8}`,
      `{"type":"FLOAT","repetition_type":"OPTIONAL","name":"fl","field_id":9}`,
      `{"type":"BYTE_ARRAY","repetition_type":"OPTIONAL","name":"bn","field_id":10}`,
      `{"type":"BYTE_ARRAY","repetition_type":"OPTIONAL","name":"ch","converted_type":"UTF8","field_id":11,"logical_type":{"type":"STRING"}}`,
      `{"repetition_type":"OPTIONAL","name":"ar","num_children":1,"converted_type":"LIST","field_id":12,"logical_type":{"type":"LIST"}}`,
      `{"repetition_type":"REPEATED","name":"list","num_children":1}`,
      `{"repetition_type":"OPTIONAL","name":"element","num_children":1,"converted_type":"LIST","field_id":536883200,"logical_type":{"type":"LIST"}}`,
      `{"repetition_type":"REPEATED","name":"list","num_children":1}`,
      `{"type":"INT32","repetition_type":"REQUIRED","name":"element","field_id":536883201}`,
      `{"repetition_type":"OPTIONAL","name":"mp","num_children":1,"converted_type":"MAP","field_id":13,"logical_type":{"type":"MAP"}}`,
      `{"repetition_type":"REPEATED","name":"key_value","num_children":2,"converted_type":"MAP_KEY_VALUE"}`,
      `{"type":"BYTE_ARRAY","repetition_type":"REQUIRED","name":"key","converted_type":"UTF8","field_id":536857598,"logical_type":{"type":"STRING"}}`,
      `{"repetition_type":"OPTIONAL","name":"value","num_children":1,"field_id":536884224}`,
      `{"type":"INT32","repetition_type":"OPTIONAL","name":"x","field_id":14}`,
      `{"repetition_type":"REQUIRED","name":"ms","num_children":1,"converted_type":"MAP","field_id":15,"logical_type":{"type":"MAP"}}`,
      `{"repetition_type":"REPEATED","name":"key_value","num_children":2,"converted_type":"MAP_KEY_VALUE"}`,
      `{"type":"INT64","repetition_type":"REQUIRED","name":"key","field_id":536855550}`,
      `{"type":"INT32","repetition_type":"REQUIRED","name":"value","field_id":536886272}`,
      `{"repetition_type":"OPTIONAL","name":"vr","num_children":2,"field_id":16}`,
      `{"type":"BYTE_ARRAY","repetition_type":"REQUIRED","name":"value","field_id":0}`,
      `{"type":"BYTE_ARRAY","repetition_type":"REQUIRED","name":"metadata","field_id":1}`,
      `{"repetition_type":"OPTIONAL","name":"ve","num_children":1,"converted_type":"LIST","field_id":17,"logical_type":{"type":"LIST"}}`,
      `{"repetition_type":"REPEATED","name":"list","num_children":1}`,
      `{"type":"FLOAT","repetition_type":"OPTIONAL","name":"element","field_id":536888320}`,
    ]);
    // VARIANT: readDataFile cannot read it yet, so check its two binaries with hyparquet.
    const { parquetReadObjects } = await import("hyparquet");
    const rows = await parquetReadObjects({ file: out.bytes.buffer, columns: ["vr"], utf8: false });
    assert.deepEqual(rows[0]!.vr, { value: Uint8Array.from([12, 1]), metadata: Uint8Array.from([1, 0, 0]) });
  });

  test("pages: v1, PLAIN or dictionary values; codec per option; no footer metadata; NaN statistics as parquet-mr", async () => {
    const { parquetMetadata } = await import("hyparquet");
    const fields = [field(0, "i", "INT"), field(1, "s", "STRING"), field(2, "d", "DOUBLE"), field(3, "e", "DOUBLE"), field(4, "b", "BOOLEAN")];
    const columns: Value[][] = [[1, 2, null], ["x", null, "y"], [1.5, NaN, null], [1, 2, 3], [true, null, false]];
    const cases = [[{}, "ZSTD"], [{ "file.compression": "snappy" }, "SNAPPY"], [{ "file.compression": "none" }, "UNCOMPRESSED"],
      [{ "parquet.compression": "SNAPPY", "file.compression": "zstd" }, "SNAPPY"]] as const;
    for (const [options, codec] of cases) {
      const out = writeDataFile(columns, { schema: tableSchema(fields, options), primaryKey: false, parquetWasm: await parquetWasm() });
      const meta = parquetMetadata(out.bytes.buffer);
      assert.equal(meta.key_value_metadata, undefined);
      assert.match(meta.created_by ?? "", /^parquet-rs version \d/); // parseable by parquet-mr's VersionParser, so its stats are trusted
      for (const chunk of meta.row_groups.flatMap((g) => g.columns)) {
        const m = chunk.meta_data!;
        assert.equal(m.codec, codec);
        for (const e of m.encodings) assert.ok(["PLAIN", "RLE", "RLE_DICTIONARY", "PLAIN_DICTIONARY", "BIT_PACKED"].includes(e), `${m.path_in_schema}: ${e}`);
        for (const p of m.encoding_stats ?? []) assert.ok(p.page_type === "DATA_PAGE" || p.page_type === "DICTIONARY_PAGE", p.page_type);
        const name = m.path_in_schema[0];
        // parquet-mr 1.15 orders doubles by Double.compare (NaN above all): max NaN, and no column index.
        if (name === "d") {
          assert.deepEqual([m.statistics?.null_count, m.statistics?.min_value], [1n, 1.5], "NaN column: null count and min");
          assert.ok(Number.isNaN(m.statistics?.max_value as number), "NaN column: max is NaN");
          assert.equal(chunk.column_index_offset, undefined, "NaN column: no column index");
        }
        if (name === "e") assert.deepEqual([m.statistics?.min_value, m.statistics?.max_value], [1, 3]);
      }
    }
  });

  test("a 300k-row file (dictionary falls back to PLAIN, many pages) reads back exactly", async () => {
    const n = 300_000;
    const fields = [field(0, "id", "BIGINT NOT NULL"), field(1, "s", "STRING"), field(2, "d", "DOUBLE")];
    const columns: Value[][] = [Array.from({ length: n }, (_, i) => BigInt(i) * 7919n - 10n ** 12n),
      Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : `row-${i}-${(i * 2654435761) % 1000003}`)), Array.from({ length: n }, (_, i) => i / 3)];
    const schema = tableSchema(fields);
    const out = writeDataFile(columns, { schema, primaryKey: false, parquetWasm: await parquetWasm() });
    const back = await readDataFile(out.bytes, { fileName: "big.parquet", fileSchema: schema, readSchema: schema, primaryKey: false });
    assert.equal(back.rowCount, n);
    for (let c = 0; c < 3; c++) assert.deepEqual(back.columns[c], columns[c], fields[c]!.name);
    const { parquetMetadata } = await import("hyparquet");
    const s = parquetMetadata(out.bytes.buffer).row_groups[0]!.columns[1]!.meta_data!;
    assert.ok(s.encodings.includes("PLAIN"), `string column encodings ${s.encodings}`);
  });

  test("stats options: dense store off keeps all columns; mode none everywhere leaves key stats unknown too", async () => {
    const fields = [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING"), field(2, "w", "INT")];
    const columns: Value[][] = [[1, 2], ["aaaaaaaaaaaaaaaaaaaa", null], [null, null]];
    const sparse = dataFileFacts(columns, { schema: tableSchema(fields, { "metadata.stats-dense-store": "false", "fields.w.stats-mode": "none" }), primaryKey: false });
    assert.equal(sparse.valueStatsCols, null);
    assert.deepEqual(decodeSimpleStats(fields, sparse.valueStats), [
      { min: 1, max: 2, nullCount: 0n }, { min: "aaaaaaaaaaaaaaaa", max: "aaaaaaaaaaaaaaab", nullCount: 1n }, { min: null, max: null, nullCount: null }]);
    const none = dataFileFacts(columns, {
      schema: tableSchema(fields, { "metadata.stats-mode": "none", "fields._KEY_k.stats-mode": "none" }, ["k"]), primaryKey: true,
      sequenceNumbers: new BigInt64Array([0n, 1n]),
    });
    assert.deepEqual(none.valueStatsCols, []);
    assert.deepEqual(none.keyStats.nullCounts, [null]);
    assert.equal(toHex(none.minKey), toHex(dataFileFacts(columns, { schema: tableSchema(fields, {}, ["k"]), primaryKey: true, sequenceNumbers: new BigInt64Array(2) }).minKey));
  });
});

describe("DuckDB reads our files", () => {
  test("count, min and max equal ours", { skip: isDeno ? "DuckDB's Node addon runs under Node only" : false }, async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const fields = [field(0, "k", "STRING NOT NULL"), field(1, "i", "INT"), field(2, "bi", "BIGINT"), field(3, "d9", "DECIMAL(9, 2)"),
      field(4, "d38", "DECIMAL(38, 10)"), field(5, "ts6", "TIMESTAMP(6)"), field(6, "st", "STRING"), field(7, "ar", { type: "ARRAY", element: "INT" })];
    const schema = tableSchema(fields, {}, ["k"]);
    const n = 500;
    const columns = randomColumns(fields, n, 9);
    columns[0] = Array.from({ length: n }, (_, i) => `key-${String(i).padStart(4, "0")}`);
    const out = writeDataFile(columns, { schema, primaryKey: true, parquetWasm: await parquetWasm(), sequenceNumbers: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) });
    const dir = await mkdtemp(join(tmpdir(), "lakestate-pq-"));
    const path = join(dir, "data.parquet");
    await writeFile(path, out.bytes);
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(`SELECT count(*), min(_KEY_k), max(_KEY_k), min(i), max(i), min(bi)::VARCHAR, max(bi)::VARCHAR,
        min(d9)::VARCHAR, max(d9)::VARCHAR, min(d38)::VARCHAR, max(d38)::VARCHAR, epoch_us(min(ts6))::VARCHAR, epoch_us(max(ts6))::VARCHAR,
        min(st), max(st), sum(len(ar)), max(_SEQUENCE_NUMBER), max(_VALUE_KIND) FROM read_parquet('${path}')`);
      const present = <T>(c: number) => columns[c]!.filter((v) => v !== null) as T[];
      const minMax = <T>(xs: T[], cmp: (a: T, b: T) => number) => { const s = [...xs].sort(cmp); return [s[0], s[s.length - 1]]; };
      const num = (a: number, b: number) => a - b, big = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
      const dec = (scale: number) => (v: bigint) => { const neg = v < 0n, d = (neg ? -v : v).toString().padStart(scale + 1, "0"); return `${neg ? "-" : ""}${d.slice(0, -scale)}.${d.slice(-scale)}`; };
      const micros = (t: Timestamp) => String(BigInt(t.epochMillis) * 1000n + BigInt(t.nanoOfMillisecond / 1000));
      const strs = minMax(present<string>(6), (a, b) => compareBytes(utf8Encode(a), utf8Encode(b)));
      assert.deepEqual(reader.getRowsJson()[0], [
        String(n), "key-0000", `key-${String(n - 1).padStart(4, "0")}`, ...minMax(present<number>(1), num),
        ...minMax(present<bigint>(2), big).map(String), ...minMax(present<bigint>(3), big).map(dec(2)), ...minMax(present<bigint>(4), big).map(dec(10)),
        ...minMax(present<Timestamp>(5), (a, b) => a.epochMillis - b.epochMillis || a.nanoOfMillisecond - b.nanoOfMillisecond).map(micros),
        ...strs, String(present<Value[]>(7).reduce((s, a) => s + a.length, 0)), String(n - 1), 0,
      ]);
    } finally {
      conn.closeSync();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("what we cannot write as Java does is refused", () => {
  test("unsupported types, compressions; bad inputs", async () => {
    const pq = await parquetWasm();
    const write = (fields: DataField[], columns: Value[][], extra: Record<string, unknown> = {}, options: Record<string, string> = {}) =>
      () => writeDataFile(columns, { schema: tableSchema(fields, options), primaryKey: false, parquetWasm: pq, ...extra });
    await rejectsWith(write([field(0, "t", "TIMESTAMP(9)")], [[timestamp(1)]]), "unsupported", "INT96");
    await rejectsWith(write([field(0, "b", "BLOB")], [[new Uint8Array(1)]]), "unsupported", "BLOB");
    await rejectsWith(write([field(0, "i", "INT")], [[1]], {}, { "file.compression": "lz4" }), "unsupported", "lz4");
    await rejectsWith(write([field(0, "i", "INT NOT NULL")], [[1, null]]), "invalid_argument", "NOT NULL");
    await rejectsWith(write([field(0, "i", "INT")], [["1"]]), "invalid_argument", "row 0");
    await rejectsWith(write([field(0, "d", "DECIMAL(3, 0)")], [[1000n]]), "invalid_argument", "DECIMAL(3, 0)");
    await rejectsWith(write([field(0, "i", "INT")], [[]]), "invalid_argument", "at least one row");
    await rejectsWith(write([field(0, "i", "INT"), field(1, "j", "INT")], [[1], [1, 2]]), "invalid_argument", "column j");
    const pk = tableSchema([field(0, "k", "INT NOT NULL")], {}, ["k"]);
    await rejectsWith(() => writeDataFile([[1]], { schema: pk, primaryKey: true, parquetWasm: pq }), "invalid_argument", "sequenceNumbers");
    const thin = tableSchema([field(0, "k", "INT NOT NULL")], { "data-file.thin-mode": "true" }, ["k"]);
    await rejectsWith(() => writeDataFile([[1]], { schema: thin, primaryKey: true, parquetWasm: pq, sequenceNumbers: new BigInt64Array(1) }), "unsupported", "thin-mode");
    await rejectsWith(() => writeDataFile([[1]], { schema: pk, primaryKey: true, parquetWasm: pq, sequenceNumbers: new BigInt64Array(1), rowKinds: Uint8Array.of(4) }), "invalid_argument", "row kind 4");
  });
});
