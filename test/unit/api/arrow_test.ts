// Goal: Paimon columns become Arrow tables with the exact Arrow types, nullability and field
// metadata, and every type round-trips value model -> Arrow -> value model, also through Arrow
// IPC (stream and file). Method: fixed columns covering every Paimon type and its edge values
// (nulls, int64 extremes, DECIMAL p <= 18 and p = 38 signs, timestamps of every precision before
// 1970 and at the int64-nanosecond limits, multi-byte UTF-8, empty strings, nested types); the
// raw Arrow buffers are checked against independent bigint arithmetic, not only our decoder.
import { Type, tableFromIPC, tableToIPC } from "apache-arrow";
import type { Table } from "apache-arrow";
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  ARROW_FIELD_ID_KEY, ARROW_PAIMON_TYPE_KEY, ROW_KIND_COLUMN, arrowSchemaOf, arrowTableToColumns, columnsToArrowTable,
  rowKindsFromArrow,
} from "../../../src/api/arrow.ts";
import { isLakeError } from "../../../src/errors.ts";
import { dataTypeFromJson } from "../../../src/spec/data_types.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";

let nextId = 0;
function field(name: string, type: unknown): DataField {
  return { id: nextId++, name, type: dataTypeFromJson(type) };
}
const ts = (epochMillis: number, nanoOfMillisecond = 0) => ({ epochMillis, nanoOfMillisecond });
const bytes = (...b: number[]) => new Uint8Array(b);
const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;
const P38_MAX = 10n ** 38n - 1n;

/** One column per Paimon type, 6 rows each. */
const CASES: readonly [DataField, Value[]][] = [
  [field("bool", "BOOLEAN"), [true, false, null, true, false, true]],
  [field("i8", "TINYINT NOT NULL"), [-128, 127, 0, -1, 1, 5]],
  [field("i16", "SMALLINT"), [-32768, 32767, null, 0, -1, 300]],
  [field("i32", "INT"), [-2147483648, 2147483647, null, 0, -1, 123456]],
  [field("i64", "BIGINT"), [INT64_MIN, INT64_MAX, null, 0n, -1n, 2n ** 53n + 1n]],
  [field("f32", "FLOAT"), [Math.fround(1.1), -0, null, NaN, Infinity, Math.fround(-3.4e38)]],
  [field("f64", "DOUBLE"), [0.1, -0, null, NaN, -Infinity, Number.MAX_VALUE]],
  [field("date", "DATE"), [-719528, 0, null, -1, 2932896, 2147483647]],
  [field("time0", "TIME(0)"), [0, 86399000, null, 3600000, 1000, 59000]],
  [field("time3", "TIME(3)"), [0, 86399999, null, 1, 999, 43200123]],
  [field("ts0", "TIMESTAMP(0)"), [ts(-1000), ts(0), null, ts(-62135596800000), ts(253402300799000), ts(1700000000000)]],
  [field("ts3", "TIMESTAMP(3)"), [ts(-1), ts(0), null, ts(-8640000000000000), ts(8640000000000000), ts(1700000000123)]],
  [field("ts6", "TIMESTAMP(6)"), [ts(-1, 999000), ts(0, 1000), null, ts(-62135596800000, 123000), ts(9007199254740, 991000), ts(-1, 0)]],
  [field("ts9", "TIMESTAMP(9)"), [ts(-1, 999999), ts(0, 1), null, ts(-9223372036855, 224192), ts(9223372036854, 775807), ts(-1000, 1)]],
  [field("ltz3", "TIMESTAMP(3) WITH LOCAL TIME ZONE"), [ts(-1), ts(1), null, ts(0), ts(86400000), ts(-86400001)]],
  [field("ltz9", "TIMESTAMP(9) WITH LOCAL TIME ZONE NOT NULL"), [ts(-1, 1), ts(1, 999999), ts(0), ts(0, 500), ts(-5, 5), ts(7, 7)]],
  [field("dec18", "DECIMAL(18, 4)"), [999999999999999999n, -999999999999999999n, null, 0n, -1n, 12345n]],
  [field("dec38", "DECIMAL(38, 10)"), [P38_MAX, -P38_MAX, null, -1n, 2n ** 64n, -(2n ** 64n) - 1n]],
  [field("dec9", "DECIMAL(9, 0)"), [999999999n, -999999999n, null, 0n, -123456789n, 42n]],
  [field("char", "CHAR(3)"), ["abc", "", null, "é  ", "日本", "a\u0000b"]],
  [field("str", "STRING"), ["", "héllo wörld", null, "日本語テキスト", "emoji 😀 and 𝄞", "x".repeat(100)]],
  [field("long", "STRING NOT NULL"), ["é".repeat(70) + "😀", "ascii then ü" + "日".repeat(80), "\u{10FFFF}", "ß", "x".repeat(17), "€"]],
  [field("bin", "BINARY(2)"), [bytes(0, 255), bytes(), null, bytes(1), bytes(0x80, 0x7f), bytes(9, 9)]],
  [field("varbin", "BYTES"), [bytes(), bytes(1, 2, 3), null, new Uint8Array(300).fill(7), bytes(0), bytes(255)]],
  [field("arr", { type: "ARRAY", element: "INT" }), [[1, null, 3], [], null, [2147483647], [-1, -2], [0]]],
  [field("arr2", { type: "ARRAY", element: { type: "ARRAY NOT NULL", element: "STRING" } }), [[["a"], []], [], null, [[null, "é"]], [["x", "y"]], [[]]]],
  [field("map", { type: "MAP", key: "STRING", value: "BIGINT" }), [[["a", 1n], ["b", null]], [], null, [["a", 2n], ["a", 3n]], [["", INT64_MIN]], [["日", 0n]]]],
  [field("map2", { type: "MAP", key: "INT NOT NULL", value: { type: "ARRAY", element: "STRING" } }), [[[1, ["x"]], [2, null]], null, [], [[3, []]], [[-1, [null]]], [[0, ["a", "b"]]]]],
  [field("mset", { type: "MULTISET", element: "STRING" }), [[["x", 2], ["y", 1]], null, [], [["z", 2147483647]], [["", 1]], [["q", 3]]]],
  [field("row", { type: "ROW", fields: [
    { id: 100, name: "x", type: "INT NOT NULL" },
    { id: 101, name: "y", type: "STRING" },
    { id: 102, name: "z", type: { type: "ROW", fields: [{ id: 103, name: "t", type: "TIMESTAMP(9)" }] } },
  ] }), [[1, "a", [ts(-1, 1)]], null, [2, null, null], [3, "", [null]], [-4, "日", [ts(0)]], [5, "e", null]]],
  [field("vec", { type: "VECTOR", element: "FLOAT NOT NULL", length: 3 }), [[1, 2, 3], null, [0, -0, 0.5], [1, 1, 1], [NaN, Infinity, -1], [4, 5, 6]]],
];
const FIELDS = CASES.map(([f]) => f);
const COLUMNS = CASES.map(([, c]) => c);
const ROWS = 6;

function decode(table: Table, fields: readonly DataField[] = FIELDS): Value[][] {
  const { columns, rowCount } = arrowTableToColumns(table, fields);
  assert.equal(rowCount, table.numRows);
  return columns;
}

describe("arrowSchemaOf", () => {
  const schema = arrowSchemaOf(FIELDS);
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  test("exact Arrow types per Paimon type", () => {
    const expected: Record<string, string> = {
      bool: "Bool", i8: "Int8", i16: "Int16", i32: "Int32", i64: "Int64", f32: "Float32", f64: "Float64",
      date: "Date32<DAY>", time0: "Time32<MILLISECOND>", time3: "Time32<MILLISECOND>",
      ts0: "Timestamp<SECOND>", ts3: "Timestamp<MILLISECOND>", ts6: "Timestamp<MICROSECOND>", ts9: "Timestamp<NANOSECOND>",
      ltz3: "Timestamp<MILLISECOND, UTC>", ltz9: "Timestamp<NANOSECOND, UTC>", long: "Utf8",
      dec18: "Decimal[18e+4]", dec38: "Decimal[38e+10]", dec9: "Decimal[9e0]", char: "Utf8", str: "Utf8", bin: "Binary", varbin: "Binary",
      arr: "List<Int32>", arr2: "List<List<Utf8>>", map: "Map<{key:Utf8, value:Int64}>", map2: "Map<{key:Int32, value:List<Utf8>}>",
      mset: "Map<{key:Utf8, value:Int32}>", row: "Struct<{x:Int32, y:Utf8, z:Struct<{t:Timestamp<NANOSECOND>}>}>",
      vec: "FixedSizeList[3]<Float32>",
    };
    for (const [name, text] of Object.entries(expected)) assert.equal(String(byName.get(name)!.type), text, name);
    assert.equal(Object.keys(expected).length, FIELDS.length);
  });
  test("decimal is 128-bit, timestamps carry no zone unless LTZ", () => {
    const dec = byName.get("dec38")!.type as unknown as { bitWidth: number; scale: number; precision: number };
    assert.deepEqual([dec.bitWidth, dec.scale, dec.precision], [128, 10, 38]);
    assert.equal((byName.get("ts6")!.type as unknown as { timezone: string | null }).timezone ?? null, null);
    assert.equal((byName.get("ltz3")!.type as unknown as { timezone: string }).timezone, "UTC");
  });
  test("nullability and field metadata follow the Paimon field", () => {
    assert.equal(byName.get("i8")!.nullable, false);
    assert.equal(byName.get("i16")!.nullable, true);
    assert.equal(byName.get("ltz9")!.nullable, false);
    const i32 = FIELDS.find((f) => f.name === "i32")!;
    assert.equal(byName.get("i32")!.metadata.get(ARROW_FIELD_ID_KEY), String(i32.id));
    assert.equal(byName.get("dec38")!.metadata.get(ARROW_PAIMON_TYPE_KEY), "DECIMAL(38, 10)");
    assert.equal(byName.get("ltz3")!.metadata.get(ARROW_PAIMON_TYPE_KEY), "TIMESTAMP(3) WITH LOCAL TIME ZONE");
    const row = byName.get("row")!.type as unknown as { children: { name: string; nullable: boolean; metadata: Map<string, string> }[] };
    assert.deepEqual(row.children.map((c) => [c.name, c.nullable, c.metadata.get(ARROW_FIELD_ID_KEY)]), [["x", false, "100"], ["y", true, "101"], ["z", true, "102"]]);
  });
  test("map entries: key NOT NULL, value nullable as Paimon; multiset counts NOT NULL", () => {
    const entries = (name: string) => (byName.get(name)!.type as unknown as { children: { name: string; type: { children: { name: string; nullable: boolean }[] } }[] }).children[0]!;
    assert.equal(entries("map").name, "entries");
    assert.deepEqual(entries("map").type.children.map((c) => [c.name, c.nullable]), [["key", false], ["value", true]]);
    assert.deepEqual(entries("mset").type.children.map((c) => [c.name, c.nullable]), [["key", false], ["value", false]]);
  });
  test("VARIANT and BLOB are unsupported", () => {
    assert.throws(() => arrowSchemaOf([field("v", "VARIANT")]), (e) => isLakeError(e, "unsupported") && /VARIANT/.test((e as Error).message));
    assert.throws(() => arrowSchemaOf([field("b", { type: "ARRAY", element: "BLOB" })]), (e) => isLakeError(e, "unsupported"));
  });
});

describe("columnsToArrowTable", () => {
  const table = columnsToArrowTable(FIELDS, COLUMNS, ROWS);
  const child = (name: string) => table.getChild(name)!;

  test("every type round-trips through the value model", () => {
    assert.equal(table.numRows, ROWS);
    const back = decode(table);
    FIELDS.forEach((f, j) => assert.deepStrictEqual(back[j], COLUMNS[j], f.name));
  });

  test("strings are plain Utf8 with offsets over UTF-8 bytes, never dictionaries", () => {
    const str = child("str");
    assert.equal(str.type.typeId, Type.Utf8);
    const data = str.data[0]!;
    const texts = COLUMNS[FIELDS.findIndex((f) => f.name === "str")]!;
    texts.forEach((s, i) => {
      const len = data.valueOffsets[i + 1]! - data.valueOffsets[i]!;
      assert.equal(len, s === null ? 0 : utf8Encode(s as string).length);
      assert.equal(str.get(i), s);
    });
    assert.equal(data.nullCount, 1);
  });

  test("lone surrogates become U+FFFD, as TextEncoder writes them", () => {
    const f = [field("s", "STRING")];
    const t = columnsToArrowTable(f, [["a\ud800b", "\udc00"]], 2);
    const data = t.getChild("s")!.data[0]!;
    assert.deepEqual([...data.values], [0x61, 0xef, 0xbf, 0xbd, 0x62, 0xef, 0xbf, 0xbd]);
    assert.deepEqual(arrowTableToColumns(t, f).columns, [["a\ufffdb", "\ufffd"]]);
  });

  test("decoded bytes are copies, not views of the Arrow buffers", () => {
    const f = [field("b", "BYTES")];
    const t = columnsToArrowTable(f, [[bytes(1, 2)]], 1);
    const [decoded] = arrowTableToColumns(t, f).columns[0]! as Uint8Array[];
    (t.getChild("b")!.data[0]!.values as Uint8Array)[0] = 9;
    assert.deepEqual([...decoded!], [1, 2]);
  });

  test("BIGINT comes back from arrow-js as bigint, nulls through its validity bitmap", () => {
    const v = child("i64");
    assert.equal(v.get(0), INT64_MIN);
    assert.equal(v.get(1), INT64_MAX);
    assert.equal(v.get(2), null);
    assert.equal(v.isValid(2), false);
    assert.equal(v.nullCount, 1);
  });

  test("timestamp buffers hold epoch units computed independently with bigint", () => {
    const check = (name: string, toUnit: (t: { epochMillis: number; nanoOfMillisecond: number }) => bigint) => {
      const raw = child(name).data[0]!.values as BigInt64Array;
      const column = COLUMNS[FIELDS.findIndex((f) => f.name === name)]!;
      column.forEach((t, i) => { if (t !== null) assert.equal(raw[i], toUnit(t as { epochMillis: number; nanoOfMillisecond: number }), `${name}[${i}]`); });
    };
    const nanos = (t: { epochMillis: number; nanoOfMillisecond: number }) => BigInt(t.epochMillis) * 1_000_000n + BigInt(t.nanoOfMillisecond);
    const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
    check("ts0", (t) => floorDiv(nanos(t), 1_000_000_000n));
    check("ts3", (t) => BigInt(t.epochMillis));
    check("ts6", (t) => floorDiv(nanos(t), 1000n));
    check("ts9", nanos);
    check("ltz9", nanos);
  });

  test("decimal buffers are 128-bit two's complement little-endian words", () => {
    for (const name of ["dec18", "dec38", "dec9"]) {
      const words = child(name).data[0]!.values as Uint32Array;
      const column = COLUMNS[FIELDS.findIndex((f) => f.name === name)]!;
      column.forEach((v, i) => {
        if (v === null) return;
        const u = BigInt.asUintN(128, v as bigint);
        const expected = [0, 1, 2, 3].map((k) => Number((u >> BigInt(32 * k)) & 0xffffffffn));
        assert.deepEqual([...words.subarray(4 * i, 4 * i + 4)], expected, `${name}[${i}]`);
      });
    }
  });

  test("IPC stream and file round trips keep types, nullability, metadata and values", () => {
    for (const format of ["stream", "file"] as const) {
      const copy = tableFromIPC(tableToIPC(table, format));
      assert.deepEqual(copy.schema.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]),
        table.schema.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]));
      const back = decode(copy);
      FIELDS.forEach((f, j) => assert.deepStrictEqual(back[j], COLUMNS[j], `${format} ${f.name}`));
    }
  });

  test("sliced and multi-batch tables decode with offsets honoured", () => {
    const sliced = table.slice(1, 5);
    const back = decode(sliced);
    FIELDS.forEach((f, j) => assert.deepStrictEqual(back[j], COLUMNS[j]!.slice(1, 5), `slice ${f.name}`));
    const two = table.concat(table.slice(3));
    const both = decode(two);
    FIELDS.forEach((f, j) => assert.deepStrictEqual(both[j], [...COLUMNS[j]!, ...COLUMNS[j]!.slice(3)], `concat ${f.name}`));
  });

  test("zero rows and zero fields", () => {
    const empty = columnsToArrowTable(FIELDS, FIELDS.map(() => []), 0);
    assert.equal(empty.numRows, 0);
    assert.deepEqual(decode(tableFromIPC(tableToIPC(empty))), FIELDS.map(() => []));
    assert.equal(columnsToArrowTable([], [], 3).numRows, 3);
  });

  test("row kinds: a leading _ROW_KIND Utf8 column, read back and skipped by arrowTableToColumns", () => {
    const fields = [field("k", "INT NOT NULL")];
    const t = columnsToArrowTable(fields, [[1, 2, 3, 4]], 4, { rowKinds: [0, 1, 2, 3] });
    assert.deepEqual(t.schema.fields.map((f) => [f.name, String(f.type), f.nullable]), [[ROW_KIND_COLUMN, "Utf8", false], ["k", "Int32", false]]);
    assert.deepEqual(t.getChild(ROW_KIND_COLUMN)!.toArray(), ["+I", "-U", "+U", "-D"]);
    const copy = tableFromIPC(tableToIPC(t));
    assert.deepEqual([...rowKindsFromArrow(copy.getChild(ROW_KIND_COLUMN)!)], [0, 1, 2, 3]);
    assert.deepEqual(arrowTableToColumns(copy, fields).columns, [[1, 2, 3, 4]]);
    assert.throws(() => columnsToArrowTable(fields, [[1]], 1, { rowKinds: [4] }), (e) => isLakeError(e, "invalid_argument"));
  });

  test("seeded random rows of a mixed schema round-trip through IPC", () => {
    const rnd = seededRandom(7);
    const fields = [
      field("k", "BIGINT NOT NULL"), field("s", "STRING"), field("t", "TIMESTAMP(9)"), field("d", "DECIMAL(38, 6)"),
      field("l", { type: "ARRAY", element: "DOUBLE" }),
    ];
    const n = 2000;
    const alphabet = ["a", "é", "日", "😀", " ", "\n", "Z"];
    const maybe = <T>(make: () => T): T | null => (rnd() < 0.1 ? null : make());
    const big = () => BigInt(Math.floor(rnd() * 2 ** 32)) * BigInt(Math.floor(rnd() * 2 ** 31)) * (rnd() < 0.5 ? -1n : 1n);
    const columns: Value[][] = [
      Array.from({ length: n }, () => big()),
      Array.from({ length: n }, () => maybe(() => Array.from({ length: Math.floor(rnd() * 30) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(""))),
      Array.from({ length: n }, () => maybe(() => ts(Math.floor((rnd() - 0.5) * 2 * 9e12), Math.floor(rnd() * 1e6)))),
      Array.from({ length: n }, () => maybe(() => (big() * big()) % (10n ** 38n))),
      Array.from({ length: n }, () => maybe(() => Array.from({ length: Math.floor(rnd() * 4) }, () => (rnd() < 0.2 ? null : (rnd() - 0.5) * 1e10)))),
    ];
    const back = decode(tableFromIPC(tableToIPC(columnsToArrowTable(fields, columns, n))), fields);
    fields.forEach((f, j) => assert.deepStrictEqual(back[j], columns[j], f.name));
  });
});

describe("columnsToArrowTable rejects values that do not fit", () => {
  const one = (type: unknown, value: Value) => () => columnsToArrowTable([{ id: 1, name: "c", type: dataTypeFromJson(type) }], [[value]], 1);
  const rejects = (fn: () => unknown, code: "invalid_argument" | "unsupported", pattern: RegExp) =>
    assert.throws(fn, (e) => isLakeError(e, code) && pattern.test((e as Error).message));
  test("shape, range and NOT NULL errors name the column and row", () => {
    rejects(one("TINYINT", 128), "invalid_argument", /column "c" row 0: value 128 is not a TINYINT/);
    rejects(one("INT", 1.5), "invalid_argument", /not a INT/);
    rejects(one("BIGINT", 5), "invalid_argument", /not a BIGINT/);
    rejects(one("BIGINT", 2n ** 63n), "invalid_argument", /not a BIGINT/);
    rejects(one("DECIMAL(5, 2)", 100000n), "invalid_argument", /DECIMAL\(5, 2\)/);
    rejects(one("TIME", 86400000), "invalid_argument", /TIME/);
    rejects(one("STRING", 5), "invalid_argument", /not a string/);
    rejects(one("BYTES", "x"), "invalid_argument", /Uint8Array/);
    rejects(one("TIMESTAMP(3)", ts(0, 1e6)), "invalid_argument", /Timestamp/);
    rejects(one("INT NOT NULL", null), "invalid_argument", /null in a NOT NULL column/);
    rejects(one({ type: "ARRAY", element: "INT NOT NULL" }, [1, null]), "invalid_argument", /column "c\[\]" row 1: null/);
    rejects(one({ type: "MAP", key: "STRING", value: "INT" }, [[null, 1]]), "invalid_argument", /column "c\{key\}" row 0: null/);
    rejects(one({ type: "VECTOR", element: "INT", length: 2 }, [1]), "invalid_argument", /array of 2 elements/);
    rejects(one({ type: "ROW", fields: [{ id: 2, name: "x", type: "INT NOT NULL" }] }, [null]), "invalid_argument", /column "c.x" row 0: null/);
    rejects(one("TIMESTAMP(9)", ts(9223372036855)), "unsupported", /1677\.\.2262/);
    rejects(() => columnsToArrowTable([field("a", "INT")], [[1, 2]], 3), "invalid_argument", /2 values, expected 3/);
  });
  test("a NOT NULL ROW field may be null inside a null ROW", () => {
    const f = { id: 1, name: "c", type: dataTypeFromJson({ type: "ROW", fields: [{ id: 2, name: "x", type: "INT NOT NULL" }] }) };
    const t = columnsToArrowTable([f], [[null, [1]]], 2);
    assert.deepEqual(arrowTableToColumns(tableFromIPC(tableToIPC(t)), [f]).columns, [[null, [1]]]);
  });
});
