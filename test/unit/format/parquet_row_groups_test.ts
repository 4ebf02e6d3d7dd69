// Goal: the data files both Parquet writers produce carry parquet-mr 1.15's exact column-chunk
// statistics per row group (whole min/max bytes however long, the deprecated min/max only for
// signed orders, nothing at all past 4 KiB, Double.compare order with NaN as max), its column
// indexes (per-page min/max cut by BinaryTruncator's rules, null pages, boundary order, level
// histograms, none for a NaN chunk) and size statistics; are split into row groups of bounded
// size that every reader puts back together; and are the same bytes from writeDataFile and
// writeBufferDataFile.
// Method: write seeded random columns with a small `parquet.block.size` (many row groups), decode
// the footer, and compare every flat column chunk's Statistics with an oracle computed here from
// the values of that row group's rows (independent encoders for each physical type); read the
// file back with readDataFile and DuckDB; write the same rows with writeBufferDataFile from the
// fast reader's buffers and compare bytes. Column indexes: a 45,000-row file (pages of 20,000
// rows) with ascending, descending-with-a-null-page, long-string and signed-zero columns,
// checked page by page against values computed here; the truncator on hand-made byte strings.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { decodeParquetFooter, truncateBinaryStat } from "../../../src/format/data/parquet_footer.ts";
import { writeBufferDataFile } from "../../../src/format/data/parquet_buffer_writer.ts";
import { readParquetBuffers, type BufferColumnRequest } from "../../../src/format/data/parquet_arrow_reader.ts";
import { enableFastParquet } from "../table/fast_read_helpers.ts";
import { writeDataFile } from "../../../src/format/data/parquet_writer.ts";
import { decodeThriftStruct, thriftField, type ThriftField, type ThriftValue } from "../../../src/format/data/thrift_compact.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { compareBytes, toHex, utf8Encode } from "../../../src/util/bytes.ts";
import { sqlString, tempDir, withDuckDb } from "../../interop/interop_support.ts";
import { field, isDeno, parquetWasm, tableSchema } from "./parquet_writer_support.ts";

const FIELDS: DataField[] = [
  field(0, "b", "BOOLEAN"), field(1, "i", "INT"), field(2, "l", "BIGINT"), field(3, "d", "DOUBLE"), field(4, "f", "FLOAT"),
  field(5, "s", "STRING"), field(6, "dec", "DECIMAL(38, 2)"), field(7, "d9", "DECIMAL(9, 2)"), field(8, "by", "BYTES"), field(9, "ar", { type: "ARRAY", element: "INT" }),
];

function randomColumns(rows: number, seed: number): Value[][] {
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const maybe = (v: () => Value): Value => (rnd() < 0.1 ? null : v());
  const long = (n: number) => Array.from({ length: n }, () => String.fromCharCode(int(97, 122))).join("");
  return [
    Array.from({ length: rows }, () => maybe(() => rnd() < 0.5)),
    Array.from({ length: rows }, () => maybe(() => int(-2_000_000_000, 2_000_000_000))),
    Array.from({ length: rows }, () => maybe(() => BigInt(int(-1e9, 1e9)) * 1_000_003n)),
    Array.from({ length: rows }, (_, r) => maybe(() => (r % 97 === 13 ? NaN : r % 89 === 5 ? -0 : (rnd() - 0.5) * 1e6))),
    Array.from({ length: rows }, () => maybe(() => Math.fround((rnd() - 0.5) * 1e3))),
    Array.from({ length: rows }, () => maybe(() => (rnd() < 0.2 ? long(int(65, 200)) : rnd() < 0.5 ? "é😀" + long(3) : long(int(0, 12))))),
    Array.from({ length: rows }, () => maybe(() => BigInt(int(-1e9, 1e9)) * 10n ** 25n + BigInt(int(0, 1e6)))),
    Array.from({ length: rows }, () => maybe(() => BigInt(int(-999_999_999, 999_999_999)))),
    Array.from({ length: rows }, () => maybe(() => Uint8Array.from({ length: int(0, 80) }, () => int(0, 255)))),
    Array.from({ length: rows }, () => maybe(() => [int(0, 9)])),
  ];
}

/** Parquet plain bytes of a value of `f` and the physical order (negative: a before b). */
function plain(f: DataField, v: Exclude<Value, null>): Uint8Array {
  const b = new Uint8Array(16), d = new DataView(b.buffer);
  switch (f.type.root) {
    case "BOOLEAN": return Uint8Array.of(v ? 1 : 0);
    case "INT": d.setInt32(0, v as number, true); return b.slice(0, 4);
    case "BIGINT": d.setBigInt64(0, v as bigint, true); return b.slice(0, 8);
    case "DOUBLE": if (Number.isNaN(v)) return Uint8Array.of(0, 0, 0, 0, 0, 0, 0xf8, 0x7f); d.setFloat64(0, v as number, true); return b.slice(0, 8);
    case "FLOAT": d.setFloat32(0, v as number, true); return b.slice(0, 4);
    case "VARCHAR": return utf8Encode(v as string);
    case "VARBINARY": return v as Uint8Array;
    case "DECIMAL": {
      if (f.type.precision! <= 9) { d.setInt32(0, Number(v), true); return b.slice(0, 4); }
      const out = new Uint8Array(16); // FIXED_LEN_BYTE_ARRAY(16) big-endian two's complement
      let x = BigInt.asUintN(128, v as bigint);
      for (let k = 15; k >= 0; k--) { out[k] = Number(x & 0xffn); x >>= 8n; }
      return out;
    }
    default: throw new Error(`no oracle for ${f.type.root}`);
  }
}

function javaOrder(f: DataField, a: Exclude<Value, null>, c: Exclude<Value, null>): number {
  switch (f.type.root) {
    case "BOOLEAN": return Number(a) - Number(c);
    case "INT": case "FLOAT": case "DOUBLE": {
      const x = a as number, y = c as number;
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
      if (x === 0 && y === 0) return Object.is(x, y) ? 0 : Object.is(x, -0) ? -1 : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "BIGINT": case "DECIMAL": return a < c ? -1 : a > c ? 1 : 0;
    default: return compareBytes(plain(f, a), plain(f, c));
  }
}

/** The Statistics fields parquet-mr 1.15 writes for these values (see parquet_footer.ts `statisticsToThrift`). */
function oracleStatistics(f: DataField, values: readonly Value[]): Record<number, string> {
  const present = values.filter((v): v is Exclude<Value, null> => v !== null);
  const out: Record<number, string> = { 3: String(values.length - present.length) };
  if (present.length === 0) return out;
  let min = present[0]!, max = present[0]!;
  for (const v of present) {
    if (javaOrder(f, v, min) < 0) min = v;
    if (javaOrder(f, v, max) > 0) max = v;
  }
  const lo = plain(f, min), hi = plain(f, max);
  if (lo.length + hi.length >= 4096) return {};
  const signed = !["VARCHAR", "VARBINARY"].includes(f.type.root);
  if (signed || toHex(lo) === toHex(hi)) { out[1] = toHex(hi); out[2] = toHex(lo); }
  out[5] = toHex(hi);
  out[6] = toHex(lo);
  return out;
}

function structOf(v: ThriftValue | undefined): readonly ThriftField[] {
  assert.ok(v?.kind === "struct");
  return v.fields;
}

function listOf(v: ThriftValue | undefined): readonly ThriftValue[] {
  assert.ok(v?.kind === "list");
  return v.items;
}

/** Per row group: its row count and, per top-level column name, its Statistics as {field id: text}. */
function footerStatistics(bytes: Uint8Array): { rows: number; stats: Map<string, Record<number, string>>; columnIndex: Map<string, boolean> }[] {
  return listOf(thriftField(decodeParquetFooter(bytes), 4)).map((rg) => {
    const fields = structOf(rg);
    const stats = new Map<string, Record<number, string>>(), columnIndex = new Map<string, boolean>();
    for (const c of listOf(thriftField(fields, 1))) {
      const meta = structOf(thriftField(structOf(c), 3));
      const path = listOf(thriftField(meta, 3)).map((p) => new TextDecoder().decode((p as { value: Uint8Array }).value)).join(".");
      const s = thriftField(meta, 12);
      const rec: Record<number, string> = {};
      for (const x of s?.kind === "struct" ? s.fields : []) rec[x.id] = x.value.kind === "binary" ? toHex(x.value.value) : String(x.value.kind === "i64" ? x.value.value : "?");
      stats.set(path, rec);
      columnIndex.set(path, thriftField(structOf(c), 6) !== undefined);
    }
    const n = thriftField(fields, 3);
    return { rows: n?.kind === "i64" ? Number(n.value) : -1, stats, columnIndex };
  });
}

describe("row groups and parquet-mr's column-chunk statistics", () => {
  test("many row groups: exact statistics per group, rows read back, both writers the same bytes", async () => {
    const rows = 3000;
    const schema = tableSchema(FIELDS, { "parquet.block.size": "40000" });
    const columns = randomColumns(rows, 11);
    const pq = await parquetWasm();
    const out = writeDataFile(columns, { schema, primaryKey: false, parquetWasm: pq });
    const groups = footerStatistics(out.bytes);
    assert.ok(groups.length >= 4, `${groups.length} row groups`);
    assert.equal(groups.reduce((n, g) => n + g.rows, 0), rows);
    let start = 0;
    for (const [gi, g] of groups.entries()) {
      FIELDS.forEach((f, c) => {
        if (f.type.root === "ARRAY") return;
        const values = columns[c]!.slice(start, start + g.rows);
        assert.deepEqual(g.stats.get(f.name), oracleStatistics(f, values), `row group ${gi} column ${f.name}`);
        const nan = values.some((v) => typeof v === "number" && Number.isNaN(v));
        assert.equal(g.columnIndex.get(f.name), !nan, `row group ${gi} column ${f.name}: column index unless NaN`);
      });
      start += g.rows;
    }
    const back = await readDataFile(out.bytes, { fileName: "g.parquet", fileSchema: schema, readSchema: schema, primaryKey: false });
    FIELDS.forEach((f, c) => assert.deepEqual(back.columns[c], columns[c], `${f.name} reads back`));

    const flat = FIELDS.filter((f) => f.type.root !== "ARRAY");
    const flatSchema = tableSchema(flat, { "parquet.block.size": "40000" });
    const flatColumns = columns.filter((_, c) => FIELDS[c]!.type.root !== "ARRAY");
    const a = writeDataFile(flatColumns, { schema: flatSchema, primaryKey: false, parquetWasm: pq });
    const requests: BufferColumnRequest[] = flat.map((f) => ({ name: f.name, type: f.type }));
    const read = await readParquetBuffers(await enableFastParquet(), a.bytes, requests, { fileName: "a.parquet" });
    assert.ok(read !== null);
    const b = writeBufferDataFile(read.columns, { schema: flatSchema, primaryKey: false, parquetWasm: pq });
    assert.equal(toHex(b.bytes), toHex(a.bytes));
  });

  test("long strings are whole in the footer; past 4 KiB there are none; DuckDB reads every group", async () => {
    const fields = [field(0, "s", "STRING"), field(1, "n", "INT")];
    const big = "y".repeat(3000);
    const columns: Value[][] = [["m".repeat(70) + "a", "a".repeat(300), "z".repeat(65) + "é", null, big, "b"], [1, 2, 3, 4, 5, 6]];
    const out = writeDataFile(columns, { schema: tableSchema(fields, { "parquet.block.size": "2" }), primaryKey: false, parquetWasm: await parquetWasm() });
    const groups = footerStatistics(out.bytes);
    assert.equal(groups.length, 6, "one row per group");
    groups.forEach((g, r) => assert.deepEqual(g.stats.get("s"), oracleStatistics(fields[0]!, [columns[0]![r]!]), `row ${r}`));
    assert.equal(groups[1]!.stats.get("s")![5], toHex(utf8Encode("a".repeat(300))), "a 300-byte string is whole");
    assert.deepEqual(groups[4]!.stats.get("s"), {}, "min + max of 6000 bytes: no statistics at all");
    const whole = writeDataFile(columns, { schema: tableSchema(fields), primaryKey: false, parquetWasm: await parquetWasm() });
    const one = footerStatistics(whole.bytes);
    assert.equal(one.length, 1);
    assert.deepEqual(one[0]!.stats.get("s"), { 3: "1", 5: toHex(utf8Encode("z".repeat(65) + "é")), 6: toHex(utf8Encode("a".repeat(300))) });
    if (isDeno) return; // DuckDB's node bindings run under Node only
    const { dir, remove } = await tempDir("lakestate-row-groups-");
    try {
      const path = join(dir, "g.parquet");
      await writeFile(path, out.bytes);
      await withDuckDb(async (sql) => {
        const got = await sql(`SELECT s, n FROM read_parquet(${sqlString(path)}) ORDER BY n`);
        assert.deepEqual(got.rows, columns[0]!.map((s, r) => [s, columns[1]![r]]));
        const meta = await sql(`SELECT row_group_id, stats_min_value, stats_max_value FROM parquet_metadata(${sqlString(path)}) WHERE path_in_schema = 's' ORDER BY row_group_id`);
        assert.deepEqual(meta.rows[1], [1n, "a".repeat(300), "a".repeat(300)]);
      });
      assert.equal((await readFile(path)).length, out.bytes.length);
    } finally {
      await remove();
    }
  });

  test("column index per page as parquet-mr: truncated strings, null pages, boundary order, level histograms", async () => {
    const rows = 45_000; // pages close at 20,000 rows
    const fields = [field(0, "up", "INT NOT NULL"), field(1, "down", "BIGINT"), field(2, "s", "STRING"), field(3, "z", "DOUBLE")];
    const columns: Value[][] = [
      Array.from({ length: rows }, (_, r) => r),
      Array.from({ length: rows }, (_, r) => (r >= 20_000 && r < 40_000 ? null : BigInt(rows - r))),
      Array.from({ length: rows }, (_, r) => (r % 7 === 0 ? null : `${"q".repeat(70)}${String(r).padStart(6, "0")}`)),
      Array.from({ length: rows }, (_, r) => (r % 2 === 0 ? 0 : -0)),
    ];
    const out = writeDataFile(columns, { schema: tableSchema(fields), primaryKey: false, parquetWasm: await parquetWasm() });
    const footer = decodeParquetFooter(out.bytes);
    const chunks = listOf(thriftField(structOf(listOf(thriftField(footer, 4))[0]), 1)).map((c) => structOf(c));
    const region = (c: readonly ThriftField[], at: number, length: number): readonly ThriftField[] => {
      const o = thriftField(c, at), n = thriftField(c, length);
      assert.ok(o?.kind === "i64" && n?.kind === "i32");
      return decodeThriftStruct(out.bytes.subarray(Number(o.value), Number(o.value) + n.value)).struct;
    };
    const ints = (v: ThriftValue | undefined) => listOf(v).map((x) => Number((x as { value: bigint }).value));
    const hexes = (v: ThriftValue | undefined) => listOf(v).map((x) => toHex((x as { value: Uint8Array }).value));
    const le = (x: number | bigint, bytes: 4 | 8) => { const b = new Uint8Array(bytes); if (bytes === 4) new DataView(b.buffer).setInt32(0, Number(x), true); else new DataView(b.buffer).setBigInt64(0, BigInt(x), true); return toHex(b); };
    const firstRows = chunks.map((c) => listOf(thriftField(region(c, 4, 5), 1)).map((loc) => Number((thriftField(structOf(loc), 3) as { value: bigint }).value)));
    assert.deepEqual(firstRows[0], [0, 20_000, 40_000]);
    const ci = chunks.map((c) => region(c, 6, 7));
    // up: ascending ints, REQUIRED: one definition level per page.
    assert.deepEqual(hexes(thriftField(ci[0]!, 2)), [le(0, 4), le(20_000, 4), le(40_000, 4)]);
    assert.deepEqual(hexes(thriftField(ci[0]!, 3)), [le(19_999, 4), le(39_999, 4), le(44_999, 4)]);
    assert.equal((thriftField(ci[0]!, 4) as { value: number }).value, 1, "ASCENDING");
    assert.deepEqual(ints(thriftField(ci[0]!, 7)), [20_000, 20_000, 5_000]);
    assert.deepEqual(ints(thriftField(ci[0]!, 6)), [20_000, 20_000, 5_000]);
    // down: descending with a null page in the middle; OPTIONAL: [nulls, values] per page.
    assert.deepEqual(listOf(thriftField(ci[1]!, 1)).map((x) => (x as { value: boolean }).value), [false, true, false]);
    assert.deepEqual(hexes(thriftField(ci[1]!, 2)), [le(25_001, 8), "", le(1, 8)]);
    assert.equal((thriftField(ci[1]!, 4) as { value: number }).value, 2, "DESCENDING");
    assert.deepEqual(ints(thriftField(ci[1]!, 5)), [0, 20_000, 0]);
    assert.deepEqual(ints(thriftField(ci[1]!, 7)), [0, 20_000, 20_000, 0, 0, 5_000]);
    // s: 76-byte strings cut to 64 bytes, the max with its last byte incremented.
    const page0 = columns[2]!.slice(0, 20_000).filter((v): v is string => v !== null).sort();
    assert.equal(hexes(thriftField(ci[2]!, 2))[0], toHex(utf8Encode(page0[0]!).slice(0, 64)));
    const maxCut = utf8Encode(page0.at(-1)!).slice(0, 64);
    maxCut[63]! += 1;
    assert.equal(hexes(thriftField(ci[2]!, 3))[0], toHex(maxCut));
    // z: zeros only: -0.0 as min and +0.0 as max on every page.
    assert.deepEqual(hexes(thriftField(ci[3]!, 2)), Array(3).fill("0000000000000080"));
    assert.deepEqual(hexes(thriftField(ci[3]!, 3)), Array(3).fill("0000000000000000"));
    // Size statistics of the chunk: unencoded bytes of BYTE_ARRAY values, level histograms.
    const size = structOf(thriftField(structOf(thriftField(chunks[2]!, 3)), 16));
    assert.equal(Number((thriftField(size, 1) as { value: bigint }).value), columns[2]!.reduce((n: number, v) => n + (v === null ? 0 : 76), 0));
    assert.deepEqual(ints(thriftField(size, 3)), [columns[2]!.filter((v) => v === null).length, columns[2]!.filter((v) => v !== null).length]);
    // The chunk statistics stay whole.
    assert.deepEqual(footerStatistics(out.bytes)[0]!.stats.get("s"), oracleStatistics(fields[2]!, columns[2]!));
  });

  test("BinaryTruncator rules: UTF-8 cut at a character boundary, max incremented, other bytes cut plainly", () => {
    const text = utf8Encode("a" + "é".repeat(40)); // 81 bytes; byte 64 falls inside an é
    assert.equal(toHex(truncateBinaryStat(text, 64, false)), toHex(text.slice(0, 63)));
    const max = text.slice(0, 63);
    max[62] = 0xaa; // é (c3 a9) becomes ê (c3 aa)
    assert.equal(toHex(truncateBinaryStat(text, 64, true)), toHex(max));
    const raw = Uint8Array.from({ length: 70 }, (_, i) => (i < 63 ? 0xfe : 0xff)); // not UTF-8
    assert.equal(toHex(truncateBinaryStat(raw, 64, false)), toHex(raw.slice(0, 64)));
    const rawMax = raw.slice(0, 64);
    rawMax[63] = 0; rawMax[62] = 0xff; // 0xff overflows, the carry bumps the byte before
    assert.equal(toHex(truncateBinaryStat(raw, 64, true)), toHex(rawMax));
    const short = utf8Encode("short");
    assert.equal(truncateBinaryStat(short, 64, true), short, "values within the limit are kept");
  });
});
