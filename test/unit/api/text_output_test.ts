// Goal: the CLI text formats are exact: NDJSON scalar rules (safe-integer BIGINT, quoted
// NaN/Infinity, DECIMAL scale digits, base64, ISO dates with expanded years, fixed fraction
// digits), CSV quoting per RFC 4180 and aligned, truncated terminal tables.
// Method: exact expected strings written by hand, plus differential checks of dates and
// timestamps against JS Date.toISOString and of FLOAT text against float32 round trips.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { formatCsv, formatNdjsonRow, formatTextTable } from "../../../src/api/text_output.ts";
import { base64Encode, formatDate, formatFloat, formatTimestamp } from "../../../src/api/text_scalar.ts";
import { isLakeError } from "../../../src/errors.ts";
import { dataTypeFromJson } from "../../../src/spec/data_types.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";

function fields(spec: Record<string, unknown>): DataField[] {
  return Object.entries(spec).map(([name, type], id) => ({ id, name, type: dataTypeFromJson(type) }));
}
const ts = (epochMillis: number, nanoOfMillisecond = 0) => ({ epochMillis, nanoOfMillisecond });
/** NDJSON text of one value of `type`. */
const json = (type: unknown, value: Value) => formatNdjsonRow(fields({ v: type }), [value]).slice(5, -1);

describe("formatNdjsonRow", () => {
  test("integers: numbers up to 2^53-1, decimal strings beyond", () => {
    assert.equal(json("TINYINT", -128), "-128");
    assert.equal(json("INT", 2147483647), "2147483647");
    assert.equal(json("BIGINT", 9007199254740991n), "9007199254740991");
    assert.equal(json("BIGINT", -9007199254740991n), "-9007199254740991");
    assert.equal(json("BIGINT", 9007199254740992n), '"9007199254740992"');
    assert.equal(json("BIGINT", -9223372036854775808n), '"-9223372036854775808"');
  });
  test("floats: shortest text; NaN and infinities as strings; -0 kept", () => {
    assert.equal(json("FLOAT", Math.fround(1.1)), "1.1");
    assert.equal(json("FLOAT", Math.fround(3.4028234663852886e38)), "3.4028235e+38");
    assert.equal(json("FLOAT", Math.fround(1e-45)), "1e-45");
    assert.equal(json("DOUBLE", 0.1), "0.1");
    assert.equal(json("DOUBLE", 1e21), "1e+21");
    assert.equal(json("DOUBLE", -0), "-0");
    assert.equal(json("DOUBLE", NaN), '"NaN"');
    assert.equal(json("FLOAT", Infinity), '"Infinity"');
    assert.equal(json("DOUBLE", -Infinity), '"-Infinity"');
    assert.deepEqual(JSON.parse(`[${json("DOUBLE", 1e21)},${json("DOUBLE", -0)}]`), [1e21, -0]);
  });
  test("decimals: strings with exactly scale fraction digits", () => {
    assert.equal(json("DECIMAL(10, 2)", 5n), '"0.05"');
    assert.equal(json("DECIMAL(10, 2)", -5n), '"-0.05"');
    assert.equal(json("DECIMAL(10, 2)", 150n), '"1.50"');
    assert.equal(json("DECIMAL(5, 0)", -42n), '"-42"');
    assert.equal(json("DECIMAL(38, 4)", -(10n ** 38n - 1n)), '"-9999999999999999999999999999999999.9999"');
  });
  test("booleans, strings, bytes, null", () => {
    assert.equal(json("BOOLEAN", false), "false");
    assert.equal(json("STRING", 'a"b\n\u0001日'), '"a\\"b\\n\\u0001日"');
    assert.equal(json("STRING", ""), '""');
    assert.equal(json("BYTES", new Uint8Array([0xfb, 0xff])), '"+/8="');
    assert.equal(json("BYTES", new Uint8Array([77, 97, 110])), '"TWFu"');
    assert.equal(json("BINARY(2)", new Uint8Array([77, 97])), '"TWE="');
    assert.equal(json("BYTES", new Uint8Array([])), '""');
    assert.equal(json("INT", null), "null");
  });
  test("dates: ISO 8601 with Java's expanded years", () => {
    assert.equal(json("DATE", 0), '"1970-01-01"');
    assert.equal(json("DATE", -1), '"1969-12-31"');
    assert.equal(json("DATE", 11016), '"2000-02-29"');
    assert.equal(json("DATE", 2932896), '"9999-12-31"');
    assert.equal(json("DATE", 2932897), '"+10000-01-01"');
    assert.equal(json("DATE", -719528), '"0000-01-01"');
    assert.equal(json("DATE", -719529), '"-0001-12-31"');
    assert.equal(formatDate(-1084405), "-0999-01-01");
    assert.equal(formatDate(-1084406), "-1000-12-31");
    assert.equal(formatDate(2147483647), "+5881580-07-11");
    assert.equal(formatDate(-2147483648), "-5877641-06-23");
  });
  test("timestamps: exactly p fraction digits, truncated; LTZ ends in Z; TIME likewise", () => {
    assert.equal(json("TIMESTAMP(0)", ts(-1000)), '"1969-12-31T23:59:59"');
    assert.equal(json("TIMESTAMP(3)", ts(-1)), '"1969-12-31T23:59:59.999"');
    assert.equal(json("TIMESTAMP(3)", ts(0)), '"1970-01-01T00:00:00.000"');
    assert.equal(json("TIMESTAMP(6)", ts(-1, 999000)), '"1969-12-31T23:59:59.999999"');
    assert.equal(json("TIMESTAMP(9)", ts(-1, 999999)), '"1969-12-31T23:59:59.999999999"');
    assert.equal(json("TIMESTAMP(9)", ts(0, 1)), '"1970-01-01T00:00:00.000000001"');
    assert.equal(json("TIMESTAMP(6)", ts(1700000000123, 456789)), '"2023-11-14T22:13:20.123456"');
    assert.equal(json("TIMESTAMP(1)", ts(1700000000999)), '"2023-11-14T22:13:20.9"');
    assert.equal(json("TIMESTAMP(3)", ts(253402300800000)), '"+10000-01-01T00:00:00.000"');
    assert.equal(json("TIMESTAMP(3) WITH LOCAL TIME ZONE", ts(0)), '"1970-01-01T00:00:00.000Z"');
    assert.equal(json("TIMESTAMP(0) WITH LOCAL TIME ZONE", ts(-62135596800000)), '"0001-01-01T00:00:00Z"');
    assert.equal(json("TIME(0)", 3723000), '"01:02:03"');
    assert.equal(json("TIME(3)", 86399999), '"23:59:59.999"');
    assert.equal(json("TIME(6)", 1), '"00:00:00.001000"');
  });
  test("nested: arrays, string-keyed maps as objects, other maps as pairs, rows by name", () => {
    assert.equal(json({ type: "ARRAY", element: "INT" }, [1, null, 3]), "[1,null,3]");
    assert.equal(json({ type: "ARRAY", element: "BIGINT" }, []), "[]");
    assert.equal(json({ type: "MAP", key: "STRING", value: "INT" }, [["a", 1], ["b\"", null]]), '{"a":1,"b\\"":null}');
    assert.equal(json({ type: "MAP", key: "INT", value: "STRING" }, [[1, "x"], [2, null]]), '[[1,"x"],[2,null]]');
    assert.equal(json({ type: "MAP", key: "DATE", value: "BOOLEAN" }, [[0, true]]), '[["1970-01-01",true]]');
    assert.equal(json({ type: "MULTISET", element: "STRING" }, [["x", 2]]), '{"x":2}');
    const row = { type: "ROW", fields: [{ id: 1, name: "x", type: "INT" }, { id: 2, name: "y", type: { type: "ROW", fields: [{ id: 3, name: "z", type: "DATE" }] } }] };
    assert.equal(json(row, [1, [0]]), '{"x":1,"y":{"z":"1970-01-01"}}');
    assert.equal(json(row, [null, null]), '{"x":null,"y":null}');
    assert.throws(() => json({ type: "MAP", key: "STRING", value: "INT" }, [[null, 1]]), (e) => isLakeError(e, "unsupported"));
    assert.throws(() => json("VARIANT", { value: new Uint8Array(), metadata: new Uint8Array() }), (e) => isLakeError(e, "unsupported"));
  });
  test("one object per row, keys in field order; wrong shapes are errors", () => {
    const f = fields({ zeta: "INT", alpha: "STRING", "we\"ird": "BOOLEAN" });
    assert.equal(formatNdjsonRow(f, [1, "a", true]), '{"zeta":1,"alpha":"a","we\\"ird":true}');
    assert.throws(() => formatNdjsonRow(f, [1, "a"]), (e) => isLakeError(e, "invalid_argument"));
    assert.throws(() => formatNdjsonRow(f, [1n, "a", true]), (e) => isLakeError(e, "invalid_argument") && /INT/.test((e as Error).message));
  });
});

describe("scalar text against independent references", () => {
  test("dates and millisecond timestamps match Date.toISOString for years 0..9999", () => {
    const rnd = seededRandom(3);
    const minMs = -62167219200000, maxMs = 253402300799999; // 0000-01-01 .. 9999-12-31 end
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(minMs + rnd() * (maxMs - minMs));
      const iso = new Date(ms).toISOString();
      assert.equal(formatTimestamp(ts(ms), 3, true), iso);
      assert.equal(formatDate(Math.floor(ms / 86400000)), iso.slice(0, 10));
    }
  });
  test("FLOAT text reads back as the same float32 and no shorter text does", () => {
    const rnd = seededRandom(5);
    const bits = new Uint32Array(1), view = new Float32Array(bits.buffer);
    for (let i = 0; i < 5000; i++) {
      bits[0] = Math.floor(rnd() * 2 ** 32);
      const v = view[0]!;
      if (!Number.isFinite(v)) continue;
      const text = formatFloat(v);
      assert.equal(Math.fround(Number(text)), v, text);
      const digits = text.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length; // significant digits
      if (digits > 1) assert.notEqual(Math.fround(Number(v.toPrecision(digits - 1))), v, text);
    }
  });
  test("base64 of every length 0..5", () => {
    const expected = ["", "AA==", "AAE=", "AAEC", "AAECAw==", "AAECAwQ="];
    expected.forEach((b64, n) => assert.equal(base64Encode(Uint8Array.from({ length: n }, (_, i) => i)), b64));
  });
});

describe("formatCsv", () => {
  test("RFC 4180 quoting, CRLF, null empty, empty string quoted, nested as JSON", () => {
    const f = fields({ id: "INT", name: "STRING", note: "STRING", amount: "DECIMAL(5, 2)", tags: { type: "ARRAY", element: "STRING" }, "a,b": "BIGINT" });
    const rows: Value[][] = [
      [1, "plain", "", 150n, ["a", "b"], 9223372036854775807n],
      [2, 'has "quote", comma', null, -5n, null, null],
      [3, "line\nbreak", " sp ", 0n, [], -1n],
    ];
    assert.equal(formatCsv(f, rows),
      'id,name,note,amount,tags,"a,b"\r\n' +
      '1,plain,"",1.50,"[""a"",""b""]",9223372036854775807\r\n' +
      '2,"has ""quote"", comma",,-0.05,,\r\n' +
      '3,"line\nbreak", sp ,0.00,[],-1\r\n');
  });
  test("other scalars unquoted: NaN, dates, timestamps, bytes", () => {
    const f = fields({ d: "DOUBLE", day: "DATE", t: "TIMESTAMP(3) WITH LOCAL TIME ZONE", b: "BYTES", ok: "BOOLEAN" });
    assert.equal(formatCsv(f, [[NaN, -1, ts(1), new Uint8Array([0xfb, 0xff]), true]]),
      "d,day,t,b,ok\r\n" + "NaN,1969-12-31,1970-01-01T00:00:00.001Z,+/8=,true\r\n");
  });
});

describe("formatTextTable", () => {
  const f = fields({ id: "INT", name: "STRING" });
  test("aligned columns, numbers right-aligned, NULL, wide characters", () => {
    assert.equal(formatTextTable(f, [[1, "alice"], [22, null], [3, "日本語"]]),
      "id | name\n" +
      "---+-------\n" +
      " 1 | alice\n" +
      "22 | NULL\n" +
      " 3 | 日本語\n");
  });
  test("cells wider than widthMax end in an ellipsis; control characters escaped", () => {
    assert.equal(formatTextTable(f, [[123456, "abcdefgh"], [1, "日本語"], [2, "a\nb"]], { widthMax: 5 }),
      "   id | name\n" +
      "------+------\n" +
      "1234… | abcd…\n" +
      "    1 | 日本…\n" +
      "    2 | a\\nb\n");
    assert.throws(() => formatTextTable(f, [], { widthMax: 0 }), (e) => isLakeError(e, "invalid_argument"));
  });
});
