// Goal: INSERT … VALUES literals convert to exactly the value-model value of the column type, and
// every literal that does not fit (wrong kind, out of range, too many digits or characters, NULL
// into NOT NULL) is a SqlError at that literal's line and column naming value, column and type.
// Method: literals parsed from real INSERT statements (so positions are the parser's), converted
// with valueOfExpression against types parsed from type text; expected values worked out by hand.
import { assert, describe, test } from "../../../harness.ts";
import { parseSql } from "../../../../src/api/sql/parser.ts";
import type { InsertStatement, SqlExpression } from "../../../../src/api/sql/ast.ts";
import { describeExpression, valueOfExpression } from "../../../../src/api/sql/exec_values.ts";
import { SqlError } from "../../../../src/api/sql/source.ts";
import { atomic, type DataType } from "../../../../src/spec/data_types.ts";

/** The literals of `INSERT INTO t VALUES (<values>)`, with their positions in that text. */
function literals(values: string): SqlExpression[] {
  const s = parseSql(`INSERT INTO t VALUES (${values})`)[0] as InsertStatement;
  return [...s.rows[0]!];
}
function one(value: string): SqlExpression {
  return literals(value)[0]!;
}
function convert(value: string, type: DataType) {
  return valueOfExpression(one(value), type, "c");
}
/** Asserts conversion fails with a SqlError at column `column` of line 1 whose message matches `pattern`. */
function fails(value: string, type: DataType, pattern: RegExp, code = "invalid_argument", column?: number): SqlError {
  const expr = one(value);
  let caught: unknown;
  try {
    valueOfExpression(expr, type, "c");
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SqlError, `expected a SqlError for ${value}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.line, 1);
  assert.equal(caught.column, column ?? expr.position.column);
  assert.match(caught.message, pattern);
  return caught;
}

const BIGINT = atomic("BIGINT");
const INT = atomic("INT");

describe("exec_values: numbers", () => {
  test("integers by type, with ranges", () => {
    assert.equal(convert("42", BIGINT), 42n);
    assert.equal(convert("-9223372036854775808", BIGINT), -9223372036854775808n);
    assert.equal(convert("127", atomic("TINYINT")), 127);
    assert.equal(convert("-32768", atomic("SMALLINT")), -32768);
    assert.equal(convert("2147483647", INT), 2147483647);
    fails("2147483648", INT, /value 2147483648 for column c does not fit INT: out of range/);
    fails("9223372036854775808", BIGINT, /int64/);
    fails("1.5", INT, /expected an integer/);
  });
  test("a string into BIGINT is an error at the literal (use case of the brief)", () => {
    const e = fails("'x'", BIGINT, /value 'x' for column c does not fit BIGINT: expected a number/);
    assert.equal(e.column, 23); // "INSERT INTO t VALUES (" is 22 characters
    fails("'5'", BIGINT, /expected a number/);
  });
  test("DECIMAL is exact, never rounded", () => {
    const d = atomic("DECIMAL", { precision: 5, scale: 2 });
    assert.equal(convert("123.45", d), 12345n);
    assert.equal(convert("-1.5", d), -150n);
    assert.equal(convert("1e2", d), 10000n);
    fails("1.234", d, /fraction digits/);
    fails("1234.5", d, /more than 5 digits/);
  });
  test("FLOAT rounds to float32 as Java's floatValue; overflow is an error", () => {
    assert.equal(convert("0.1", atomic("FLOAT")), Math.fround(0.1));
    assert.equal(convert("0.1", atomic("DOUBLE")), 0.1);
    assert.equal(convert("-2.5E3", atomic("DOUBLE")), -2500);
    fails("1e39", atomic("FLOAT"), /out of the FLOAT range/);
    fails("1e400", atomic("DOUBLE"), /out of the DOUBLE range/);
  });
});

describe("exec_values: strings, binary, boolean", () => {
  test("CHAR/VARCHAR keep the text and check the length in characters", () => {
    assert.equal(convert("'it''s'", atomic("VARCHAR", { length: 4 })), "it's");
    assert.equal(convert("'😀😀'", atomic("VARCHAR", { length: 2 })), "😀😀"); // 2 characters, 4 UTF-16 units
    fails("'abcd'", atomic("VARCHAR", { length: 3 }), /4 characters, more than the length 3/);
    fails("'ab'", atomic("CHAR", { length: 1 }), /more than the length 1/);
    fails("42", atomic("VARCHAR", { length: 10 }), /expected a 'string'/);
  });
  test("X'hex' into BINARY/VARBINARY with a byte length check", () => {
    assert.deepEqual(convert("X'00ff10'", atomic("VARBINARY", { length: 3 })), new Uint8Array([0, 255, 16]));
    fails("X'0011'", atomic("BINARY", { length: 1 }), /2 bytes, more than the length 1/);
    fails("'ab'", atomic("VARBINARY", { length: 10 }), /binary literal/);
  });
  test("BOOLEAN takes TRUE and FALSE only", () => {
    assert.equal(convert("TRUE", atomic("BOOLEAN")), true);
    assert.equal(convert("false", atomic("BOOLEAN")), false);
    fails("1", atomic("BOOLEAN"), /expected TRUE or FALSE/);
  });
  test("NULL fits nullable types only", () => {
    assert.equal(convert("NULL", BIGINT), null);
    fails("NULL", atomic("BIGINT", { nullable: false }), /NULL for column c, which is BIGINT NOT NULL/);
  });
});

describe("exec_values: dates and times", () => {
  test("DATE from text or a DATE literal, not from a number", () => {
    assert.equal(convert("'1970-01-02'", atomic("DATE")), 1);
    assert.equal(convert("DATE '2024-02-29'", atomic("DATE")), 19782);
    fails("'2023-02-29'", atomic("DATE"), /YYYY-MM-DD/);
    fails("19782", atomic("DATE"), /expected DATE/);
    fails("TIMESTAMP '2024-01-01 00:00:00'", atomic("DATE"), /expected DATE/);
  });
  test("TIMESTAMP precision: extra fraction digits are an error", () => {
    const ts3 = atomic("TIMESTAMP", { precision: 3 });
    assert.deepEqual(convert("TIMESTAMP '1970-01-01 00:00:01.250'", ts3), { epochMillis: 1250, nanoOfMillisecond: 0 });
    assert.deepEqual(convert("'1969-12-31 23:59:59.999'", ts3), { epochMillis: -1, nanoOfMillisecond: 0 });
    fails("'1970-01-01 00:00:00.0001'", ts3, /more than 3 fraction digits/);
    const ts6 = atomic("TIMESTAMP", { precision: 6 });
    assert.deepEqual(convert("'1970-01-01 00:00:00.000123'", ts6), { epochMillis: 0, nanoOfMillisecond: 123000 });
    fails("'1970-01-01 00:00:00.0000001'", ts6, /more than 6 fraction digits/);
    const ts0 = atomic("TIMESTAMP", { precision: 0 });
    fails("'1969-12-31 23:59:59.5'", ts0, /more than 0 fraction digits/);
  });
  test("TIMESTAMP_LTZ needs an explicit offset", () => {
    const ltz = atomic("TIMESTAMP_LTZ", { precision: 3 });
    assert.deepEqual(convert("'1970-01-01 01:00:00+01:00'", ltz), { epochMillis: 0, nanoOfMillisecond: 0 });
    assert.deepEqual(convert("'1970-01-01 00:00:02Z'", ltz), { epochMillis: 2000, nanoOfMillisecond: 0 });
    fails("'1970-01-01 00:00:00'", ltz, /offset.*no session time zone/);
    fails("TIMESTAMP '1970-01-01 00:00:00'", ltz, /no session time zone/);
  });
  test("TIME in milliseconds of the day, precision checked", () => {
    assert.equal(convert("TIME '01:00:00'", atomic("TIME")), 3_600_000);
    assert.equal(convert("'00:00:01.5'", atomic("TIME", { precision: 1 })), 1500);
    fails("'00:00:01.5'", atomic("TIME"), /more than 0 fraction digits/);
  });
});

describe("exec_values: nested values and CAST", () => {
  test("ARRAY, MAP and ROW convert element by element", () => {
    const arr: DataType = { root: "ARRAY", nullable: true, element: INT };
    assert.deepEqual(convert("ARRAY[1, NULL, 3]", arr), [1, null, 3]);
    const map: DataType = { root: "MAP", nullable: true, key: atomic("VARCHAR", { length: 5 }), value: BIGINT };
    assert.deepEqual(convert("MAP['a', 1, 'b', 2]", map), [["a", 1n], ["b", 2n]]);
    const row: DataType = { root: "ROW", nullable: true, fields: [{ id: 1, name: "x", type: INT }, { id: 2, name: "y", type: atomic("BOOLEAN") }] };
    assert.deepEqual(convert("ROW(7, TRUE)", row), [7, true]);
    fails("ROW(7)", row, /expected 2 field values \(x, y\), found 1/);
    fails("ARRAY[1, 'two']", arr, /value 'two' for column c\[2\] does not fit INT/, "invalid_argument", 23 + "ARRAY[1, ".length);
    const vec: DataType = { root: "VECTOR", nullable: true, element: atomic("FLOAT"), length: 2 };
    fails("ARRAY[1.0]", vec, /expected 2 elements/);
    fails("ARRAY[1]", INT, /expected a number/);
  });
  test("CAST converts explicitly, then fits the column type exactly", () => {
    assert.equal(convert("CAST('12' AS INT)", BIGINT), 12n);
    assert.equal(convert("CAST(1.50 AS STRING)", atomic("VARCHAR", { length: 10 })), "1.50");
    assert.equal(convert("CAST(TRUE AS STRING)", atomic("VARCHAR", { length: 10 })), "TRUE");
    assert.equal(convert("CAST(' true ' AS BOOLEAN)", atomic("BOOLEAN")), true);
    assert.equal(convert("CAST(2.5 AS DECIMAL(3, 1))", atomic("DECIMAL", { precision: 5, scale: 2 })), 250n);
    assert.equal(convert("CAST(NULL AS INT)", INT), null);
    fails("CAST('abc' AS INT)", BIGINT, /value 'abc' for column c \(CAST to INT\) does not fit INT/, "invalid_argument", 23 + "CAST(".length);
    fails("CAST(2.55 AS DECIMAL(3, 2))", atomic("DECIMAL", { precision: 5, scale: 1 }), /fraction digits/);
    fails("CAST(1 AS INT)", atomic("VARCHAR", { length: 5 }), /the CAST gives a INT/);
    fails("CAST(NULL AS INT)", atomic("INT", { nullable: false }), /gives NULL/);
  });
  test("types without literals are unsupported", () => {
    fails("'x'", { root: "MULTISET", nullable: true, element: INT }, /takes no literal/, "unsupported");
    fails("'x'", atomic("VARIANT"), /takes no literal/, "unsupported");
  });
  test("describeExpression cuts long strings", () => {
    assert.equal(describeExpression(one(`'${"a".repeat(50)}'`)), `'${"a".repeat(39)}…'`);
    assert.equal(describeExpression(one("X'0a'")), "X'0A'");
  });
});
