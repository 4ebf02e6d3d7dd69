// Goal: writeBufferDataFile (columns in Arrow layout) writes the same file, byte for byte, and
// the same DataFileMeta facts as writeDataFile (value arrays) for every type it serves, in
// primary-key and append files, with nulls, NaN, signed zeros, stats modes and truncation;
// bufferColumnStats equals collectColumnStats; it refuses what writeDataFile refuses.
// Method: random value columns -> writeDataFile -> file A; A read back with the fast reader
// (readParquetBuffers, ColumnBuffers) -> writeBufferDataFile -> file B; compare A and B and
// their facts (the "all" dictionary choice). The parquet-mr dictionary choice: same facts and
// rows, and the column encodings in the footer (hyparquet) are the ones parquet-mr would pick.
// Seeded randomness; several seeds and option sets.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { bufferColumnStats, bufferValueAt } from "../../../src/format/data/buffer_stats.ts";
import { collectColumnStats, type StatsMode } from "../../../src/format/data/file_stats.ts";
import { readParquetBuffers, type BufferColumnRequest } from "../../../src/format/data/parquet_arrow_reader.ts";
import { writeBufferDataFile } from "../../../src/format/data/parquet_buffer_writer.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { dictionarySettings, parquetMrKeepsDictionary } from "../../../src/format/data/dictionary_policy.ts";
import { writeDataFile } from "../../../src/format/data/parquet_writer.ts";
import { isLakeError } from "../../../src/errors.ts";
import { atomic, type DataField } from "../../../src/spec/data_types.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import { timestamp, type Value } from "../../../src/spec/values.ts";
import { toHex } from "../../../src/util/bytes.ts";
import { enableFastParquet } from "../table/fast_read_helpers.ts";
import { field, parquetWasm, tableSchema } from "./parquet_writer_support.ts";

const TYPES: DataField[] = [
  field(0, "bo", "BOOLEAN"), field(1, "ti", "TINYINT"), field(2, "sm", "SMALLINT"), field(3, "i", "INT"), field(4, "bi", "BIGINT"),
  field(5, "fl", "FLOAT"), field(6, "db", "DOUBLE"), field(7, "da", "DATE"), field(8, "tm", "TIME"), field(9, "ts3", "TIMESTAMP(3)"),
  field(10, "ts6", "TIMESTAMP(6)"), field(11, "lz3", "TIMESTAMP(3) WITH LOCAL TIME ZONE"), field(12, "d1", "DECIMAL(1, 0)"),
  field(13, "d9", "DECIMAL(9, 2)"), field(14, "d18", "DECIMAL(18, 4)"), field(15, "d38", "DECIMAL(38, 10)"), field(16, "ch", "CHAR(5)"),
  field(17, "vc", "VARCHAR(20)"), field(18, "st", "STRING"), field(19, "bn", "BINARY(4)"), field(20, "by", "BYTES"), field(21, "nn", "INT NOT NULL"),
];
const WORDS = ["", "a", "Alice", "é", "\uFFFF", "😀", "Two roads diverged in a wood", "\u{10FFFF}\u{10FFFF}", "zzzz"];

function randomValue(f: DataField, rnd: () => number): Value {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const big = (digits: number) => BigInt(Array.from({ length: digits }, () => int(0, 9)).join("")) * (rnd() < 0.5 ? -1n : 1n);
  const t = f.type;
  if (t.nullable && rnd() < 0.15) return null;
  switch (t.root) {
    case "BOOLEAN": return rnd() < 0.5;
    case "TINYINT": return int(-128, 127);
    case "SMALLINT": return int(-32768, 32767);
    case "INT": return pick([-2147483648, 2147483647, int(-1e6, 1e6)]);
    case "BIGINT": return pick([-(2n ** 63n), 2n ** 63n - 1n, big(12)]);
    case "FLOAT": return pick([NaN, -0, 0, Math.fround(rnd() * 1e6 - 5e5), Math.fround(rnd() * 10)]);
    case "DOUBLE": return pick([-0, 0, -Infinity, rnd() * 1e300, -rnd()]);
    case "DATE": return int(-800000, 800000);
    case "TIME": return int(0, 86_399_999);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const ms = pick([int(-4e12, 9e12), -1, 0]);
      return t.precision === 3 ? timestamp(ms) : timestamp(ms, int(0, 999) * 1000);
    }
    case "DECIMAL": return big(t.precision!);
    case "CHAR": return pick(WORDS).slice(0, 5);
    case "VARCHAR": return pick(WORDS).slice(0, 20);
    case "BINARY": case "VARBINARY": return Uint8Array.from({ length: t.root === "BINARY" ? 4 : int(0, 20) }, () => int(0, 255));
    default: throw new Error(`no generator for ${t.root}`);
  }
}

function randomColumns(fields: readonly DataField[], rowCount: number, seed: number, noNaN = false): Value[][] {
  const rnd = seededRandom(seed);
  return fields.map((f) => Array.from({ length: rowCount }, () => {
    const v = randomValue(f, rnd);
    return noNaN && typeof v === "number" && Number.isNaN(v) ? 1 : v;
  }));
}

async function roundTrip(schema: TableSchema, columns: Value[][], pk: { seq: BigInt64Array; kinds: Uint8Array } | null, level = 0) {
  const pq = await parquetWasm();
  const common = { schema, primaryKey: pk !== null, parquetWasm: pq, level, sequenceNumbers: pk?.seq, rowKinds: pk?.kinds, sequenceNumberStart: pk === null ? 5n : undefined };
  const a = writeDataFile(columns, common);
  const requests: BufferColumnRequest[] = schema.fields.map((f) => ({ name: f.name, type: f.type }));
  const read = await readParquetBuffers(await enableFastParquet(), a.bytes, requests, { fileName: "a.parquet" });
  assert.ok(read !== null, "the fast reader serves every type of the test");
  const b = writeBufferDataFile(read.columns, common);
  return { a, b, buffers: read.columns, common };
}

function sameResult(a: ReturnType<typeof writeDataFile>, b: ReturnType<typeof writeDataFile>): void {
  const { bytes: ab, ...af } = a;
  const { bytes: bb, ...bf } = b;
  assert.deepEqual(bf, af);
  assert.equal(bb.length, ab.length);
  assert.equal(toHex(bb), toHex(ab));
}

describe("writeBufferDataFile equals writeDataFile", () => {
  for (const seed of [1, 2, 3]) {
    test(`append file of every served type, seed ${seed}`, async () => {
      const schema = tableSchema(TYPES, seed === 2 ? { "metadata.stats-mode": "full", "fields.st.stats-mode": "truncate(3)" } : {});
      const { a, b } = await roundTrip(schema, randomColumns(TYPES, 200 + seed * 37, seed), null);
      sameResult(a, b);
    });
  }

  test("primary-key file: keys, sequence numbers, row kinds, per-level options", async () => {
    const fields = [field(100, "k", "STRING NOT NULL"), field(101, "id", "BIGINT NOT NULL"), ...TYPES];
    const schema = tableSchema(fields, { "metadata.stats-mode.per.level": "3:counts", "file.compression.per.level": "3:snappy" }, ["k", "id"]);
    const n = 150;
    const columns = randomColumns(fields, n, 9);
    columns[0] = Array.from({ length: n }, (_, i) => `key${String(Math.floor(i / 3)).padStart(4, "0")}`);
    columns[1] = Array.from({ length: n }, (_, i) => BigInt((i % 3) * 10 - 7));
    const rnd = seededRandom(10);
    const pk = { seq: BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 1e9))), kinds: Uint8Array.from({ length: n }, () => Math.floor(rnd() * 4)) };
    for (const level of [0, 3]) {
      const { a, b } = await roundTrip(schema, columns, pk, level);
      sameResult(a, b);
    }
  });

  test("a NaN key column: no footer stats, same bytes", async () => {
    const fields = [field(0, "f", "DOUBLE NOT NULL"), field(1, "v", "INT")];
    const schema = tableSchema(fields, {}, ["f"]);
    const columns: Value[][] = [[-1, 0, 1, NaN], [1, 2, null, 4]];
    const { a, b } = await roundTrip(schema, columns, { seq: BigInt64Array.from([1n, 2n, 3n, 4n]), kinds: new Uint8Array(4) });
    sameResult(a, b);
  });

  test("refuses nulls in NOT NULL columns and types it does not serve", async () => {
    const pq = await parquetWasm();
    const schema = tableSchema([field(0, "nn", "INT NOT NULL")]);
    const { buffers } = await roundTrip(tableSchema([field(0, "nn", "INT")]), [[1, null, 3]], null);
    assert.throws(() => writeBufferDataFile(buffers, { schema, primaryKey: false, parquetWasm: pq }), (e) => isLakeError(e, "invalid_argument") && /NOT NULL/.test(e.message));
    const arr = tableSchema([field(0, "a", { type: "ARRAY", element: "INT" })]);
    assert.throws(() => writeBufferDataFile(buffers, { schema: arr, primaryKey: false, parquetWasm: pq }), (e) => isLakeError(e, "unsupported"));
  });
});

describe("dictionary encoding as parquet-mr decides it", () => {
  test("PLAIN for columns parquet-mr writes plain, dictionary for the others; same rows and facts", async () => {
    const fields = [field(0, "k", "BIGINT NOT NULL"), field(1, "low", "INT"), field(2, "d", "DOUBLE"), field(3, "s", "STRING"), field(4, "u", "STRING")];
    const schema = tableSchema(fields, {}, ["k"]);
    const n = 30_000;
    const rnd = seededRandom(31);
    const columns: Value[][] = [
      Array.from({ length: n }, (_, i) => BigInt(3 * i - 5000)),
      Array.from({ length: n }, () => (rnd() < 0.1 ? null : Math.floor(rnd() * 50))),
      Array.from({ length: n }, () => rnd()),
      Array.from({ length: n }, () => ["alpha", "beta", "gamma"][Math.floor(rnd() * 3)]!),
      Array.from({ length: n }, (_, i) => `unique-${i}-${Math.floor(rnd() * 1e9)}`),
    ];
    const seq = BigInt64Array.from({ length: n }, (_, i) => BigInt(i));
    const { a, buffers, common } = await roundTrip(schema, columns, { seq, kinds: new Uint8Array(n) });
    const b = writeBufferDataFile(buffers, common);
    const { bytes: _ab, ...af } = a;
    const { bytes: bb, ...bf } = b;
    assert.deepEqual(bf, af);
    const back = await readDataFile(bb, { fileName: "b.parquet", fileSchema: schema, readSchema: schema, primaryKey: true });
    assert.deepEqual(back.columns, columns);
    assert.deepEqual(back.sequenceNumbers, seq);
    const { parquetMetadata } = await import("hyparquet");
    const chunks = parquetMetadata(bb.buffer).row_groups[0]!.columns.map((c) => [c.meta_data!.path_in_schema.join("."), c.meta_data!.encodings.some((e) => e.endsWith("DICTIONARY"))]);
    assert.deepEqual(Object.fromEntries(chunks), {
      _KEY_k: false, _SEQUENCE_NUMBER: false, _VALUE_KIND: true, k: false, low: true, d: false, s: true, u: false,
    });
    assert.ok(bb.length < a.bytes.length * 1.05, "plain columns are not larger than arrow-rs's dictionary-then-plain");
  });

  test("parquetMrKeepsDictionary: the first-page rule", async () => {
    const settings = dictionarySettings({});
    const cols = async (types: DataField[], columns: Value[][]) => (await roundTrip(tableSchema(types), columns, null)).buffers;
    const [unique100, threeInts, longStrings, repeated, sameThenUnique] = await cols(
      [field(0, "a", "BIGINT"), field(1, "b", "INT"), field(2, "c", "STRING"), field(3, "d", "STRING"), field(4, "e", "BIGINT")],
      [
        Array.from({ length: 100 }, (_, i) => BigInt(i)),
        Array.from({ length: 100 }, (_, i) => i % 3),
        Array.from({ length: 100 }, (_, i) => "x".repeat(20_000) + i),
        Array.from({ length: 100 }, (_, i) => `same-${i % 2}`),
        Array.from({ length: 100 }, (_, i) => BigInt(Math.max(0, i - 10))),
      ],
    );
    // 100 distinct BIGINTs: 800 dictionary bytes + 89 id bytes >= 800 raw bytes.
    assert.equal(parquetMrKeepsDictionary(atomic("BIGINT"), unique100!, settings), false);
    assert.equal(parquetMrKeepsDictionary(atomic("INT"), threeInts!, settings), true);
    // A dictionary beyond 1 MiB falls back during the first page.
    assert.equal(parquetMrKeepsDictionary(atomic("VARCHAR", { length: 2147483647 }), longStrings!, settings), false);
    assert.equal(parquetMrKeepsDictionary(atomic("VARCHAR", { length: 2147483647 }), repeated!, settings), true);
    // The row limit: the decision looks at the first page only.
    // 10 equal values then 90 distinct: all 100 rows do not pay (728 + 89 >= 800), the first 10 do.
    assert.equal(parquetMrKeepsDictionary(atomic("BIGINT"), sameThenUnique!, settings), false);
    assert.equal(parquetMrKeepsDictionary(atomic("BIGINT"), sameThenUnique!, { ...settings, pageRowCountLimit: 10 }), true);
    assert.equal(parquetMrKeepsDictionary(atomic("BOOLEAN"), threeInts!, settings), false);
  });
});

describe("bufferColumnStats", () => {
  test("equals collectColumnStats for every mode and served type", async () => {
    const schema = tableSchema(TYPES);
    const columns = randomColumns(TYPES, 120, 21, true);
    const { buffers } = await roundTrip(schema, columns, null);
    const modes: StatsMode[] = [{ kind: "none" }, { kind: "counts" }, { kind: "full" }, { kind: "truncate", length: 2 }, { kind: "truncate", length: 16 }];
    TYPES.forEach((f, i) => {
      // The values as the file stores them (FLOAT rounded to float32 already by the generator).
      const stored = buffers[i]!;
      const values = Array.from({ length: stored.length }, (_, r) => bufferValueAt(f.type, stored, r));
      for (const mode of modes) assert.deepEqual(bufferColumnStats(f.type, stored, mode), collectColumnStats(f.type, values, mode), `${f.name} ${mode.kind}`);
    });
  });

  test("bufferValueAt reads back the values written", async () => {
    const fields = TYPES.filter((f) => f.type.root !== "FLOAT");
    const schema = tableSchema(fields);
    const columns = randomColumns(fields, 60, 22);
    const { buffers } = await roundTrip(schema, columns, null);
    fields.forEach((f, i) => {
      assert.deepEqual(Array.from({ length: 60 }, (_, r) => bufferValueAt(f.type, buffers[i]!, r)), columns[i], f.name);
    });
    assert.equal(bufferValueAt(atomic("INT"), buffers[3]!, 0), columns[3]![0]);
  });
});
