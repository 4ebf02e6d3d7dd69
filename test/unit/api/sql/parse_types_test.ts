// Goal: every Flink SQL spelling of a type becomes the Paimon type Flink + Paimon create, with
// Flink's defaults (VARCHAR is STRING), nullability at every nesting level, and type errors at
// the type's line and column.
// Method: parse `CREATE TABLE t (c <type>)` and compare the column type with the schema-JSON
// spelling (`dataTypeToJson`) written out by hand; bad types with their exact positions.
import { assert, describe, test } from "../../../harness.ts";
import { parseSql } from "../../../../src/api/sql/parser.ts";
import type { CreateTableStatement } from "../../../../src/api/sql/ast.ts";
import { SqlError } from "../../../../src/api/sql/source.ts";
import { dataTypeToJson, type DataType } from "../../../../src/spec/data_types.ts";
import { isLakeError } from "../../../../src/errors.ts";

function typeOf(sqlType: string): DataType {
  const [statement] = parseSql(`CREATE TABLE t (c ${sqlType})`);
  return (statement as CreateTableStatement).columns[0]!.type;
}
/** Schema JSON with provisional ROW field ids dropped (ddl.ts renumbers them). */
function json(sqlType: string): unknown {
  return JSON.parse(JSON.stringify(dataTypeToJson(typeOf(sqlType)), (k, v) => (k === "id" ? undefined : v)));
}

describe("atomic types and Flink's defaults", () => {
  const cases: [string, string][] = [
    ["BOOLEAN", "BOOLEAN"], ["tinyint", "TINYINT"], ["SMALLINT", "SMALLINT"], ["INT", "INT"], ["INTEGER", "INT"],
    ["BIGINT", "BIGINT"], ["FLOAT", "FLOAT"], ["REAL", "FLOAT"], ["DOUBLE", "DOUBLE"], ["DOUBLE PRECISION", "DOUBLE"],
    ["DATE", "DATE"], ["VARIANT", "VARIANT"],
    ["STRING", "STRING"], ["VARCHAR", "STRING"], ["VARCHAR(20)", "VARCHAR(20)"], ["VARCHAR(2147483647)", "STRING"],
    ["CHAR", "CHAR(1)"], ["CHAR(5)", "CHAR(5)"], ["CHARACTER(3)", "CHAR(3)"], ["CHARACTER VARYING(7)", "VARCHAR(7)"],
    ["CHAR VARYING", "STRING"], ["BYTES", "BYTES"], ["VARBINARY", "BYTES"], ["VARBINARY(4)", "VARBINARY(4)"],
    ["BINARY", "BINARY(1)"], ["BINARY(16)", "BINARY(16)"], ["BINARY VARYING(9)", "VARBINARY(9)"],
    ["DECIMAL", "DECIMAL(10, 0)"], ["DECIMAL(5)", "DECIMAL(5, 0)"], ["DECIMAL(38, 18)", "DECIMAL(38, 18)"],
    ["DEC(4,1)", "DECIMAL(4, 1)"], ["NUMERIC(12, 2)", "DECIMAL(12, 2)"],
    ["TIME", "TIME(0)"], ["TIME(3)", "TIME(3)"], ["TIME WITHOUT TIME ZONE", "TIME(0)"],
    ["TIMESTAMP", "TIMESTAMP(6)"], ["TIMESTAMP(3)", "TIMESTAMP(3)"], ["TIMESTAMP(9) WITHOUT TIME ZONE", "TIMESTAMP(9)"],
    ["TIMESTAMP WITH LOCAL TIME ZONE", "TIMESTAMP(6) WITH LOCAL TIME ZONE"],
    ["TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP(3) WITH LOCAL TIME ZONE"],
    ["TIMESTAMP_LTZ(0)", "TIMESTAMP(0) WITH LOCAL TIME ZONE"], ["TIMESTAMP_LTZ", "TIMESTAMP(6) WITH LOCAL TIME ZONE"],
    ["INT NOT NULL", "INT NOT NULL"], ["STRING NULL", "STRING"], ["decimal(3, 1) not null", "DECIMAL(3, 1) NOT NULL"],
  ];
  for (const [sql, expected] of cases) {
    test(sql, () => assert.deepEqual(json(sql), expected));
  }
});

describe("nested types", () => {
  test("ARRAY, MULTISET, MAP with nullability at each level", () => {
    assert.deepEqual(json("ARRAY<INT NOT NULL> NOT NULL"), { type: "ARRAY NOT NULL", element: "INT NOT NULL" });
    assert.deepEqual(json("MULTISET<VARCHAR(3)>"), { type: "MULTISET", element: "VARCHAR(3)" });
    assert.deepEqual(json("MAP<STRING NOT NULL, ARRAY<MAP<INT, BIGINT>>>"), {
      type: "MAP", key: "STRING NOT NULL", value: { type: "ARRAY", element: { type: "MAP", key: "INT", value: "BIGINT" } },
    });
  });

  test("postfix ARRAY and MULTISET", () => {
    assert.deepEqual(json("INT ARRAY"), { type: "ARRAY", element: "INT" });
    assert.deepEqual(json("INT NOT NULL ARRAY NOT NULL"), { type: "ARRAY NOT NULL", element: "INT NOT NULL" });
    assert.deepEqual(json("STRING MULTISET"), { type: "MULTISET", element: "STRING" });
  });

  test("ROW<…> and ROW(…) with descriptions, backquoted names and nesting", () => {
    assert.deepEqual(json("ROW<a INT NOT NULL 'first', `b c` ROW(x STRING COMMENT 'inner', y ARRAY<DOUBLE>)> NOT NULL"), {
      type: "ROW NOT NULL",
      fields: [
        { name: "a", type: "INT NOT NULL", description: "first" },
        { name: "b c", type: { type: "ROW", fields: [{ name: "x", type: "STRING", description: "inner" }, { name: "y", type: { type: "ARRAY", element: "DOUBLE" } }] } },
      ],
    });
  });

  test("provisional ROW field ids are distinct within a script", () => {
    const type = typeOf("ROW<a INT, b ROW<c INT>>");
    assert.equal(type.root, "ROW");
    const ids: number[] = [];
    const visit = (t: DataType): void => { if (t.root === "ROW") for (const f of t.fields) { ids.push(f.id); visit(f.type); } };
    visit(type);
    assert.equal(new Set(ids).size, 3);
  });
});

describe("type errors point at the type", () => {
  const cases: [string, number, number, string, RegExp][] = [
    ["CREATE TABLE t (\n  c VARCHAR(0)\n)", 2, 5, "invalid_argument", /invalid type VARCHAR\(0\): length 0 must be in/],
    ["CREATE TABLE t (c DECIMAL(39, 2))", 1, 19, "invalid_argument", /precision 39 must be in \[1, 38\]/],
    ["CREATE TABLE t (c DECIMAL(5, 6))", 1, 19, "invalid_argument", /scale 6 must be in \[0, precision 5\]/],
    ["CREATE TABLE t (c TIMESTAMP(10))", 1, 19, "invalid_argument", /precision 10 must be in \[0, 9\]/],
    ["CREATE TABLE t (c INT(3))", 1, 22, "invalid_argument", /expected no parameters after INT, found '\('/],
    ["CREATE TABLE t (c STRANGE)", 1, 19, "invalid_argument", /expected a data type, found 'STRANGE'/],
    ["CREATE TABLE t (c MAP<INT>)", 1, 26, "invalid_argument", /expected ',' between the key and value types of MAP<…>, found '>'/],
    ["CREATE TABLE t (c ARRAY<INT)", 1, 28, "invalid_argument", /expected '>' to close ARRAY<…>, found '\)'/],
    ["CREATE TABLE t (c ROW<>)", 1, 22, "invalid_argument", /expected '<' or '\(' after ROW, found '<>'/],
    ["CREATE TABLE t (c ROW< >)", 1, 24, "invalid_argument", /expected a field name of ROW, found '>'/],
    ["CREATE TABLE t (c INTERVAL DAY)", 1, 19, "unsupported", /Paimon has no INTERVAL type/],
    ["CREATE TABLE t (c TIMESTAMP WITH TIME ZONE)", 1, 19, "unsupported", /no TIMESTAMP WITH TIME ZONE type/],
    ["CREATE TABLE t (c VARCHAR(1.5))", 1, 27, "invalid_argument", /expected a length for VARCHAR \(a whole number\), found number 1.5/],
  ];
  for (const [text, line, column, code, pattern] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(() => parseSql(text), (e: unknown) => {
        assert.ok(e instanceof SqlError, String(e));
        assert.ok(isLakeError(e, code as "invalid_argument"), e.code);
        assert.deepEqual([e.line, e.column], [line, column], e.message);
        assert.match(e.message, new RegExp(`^sql: line ${line}, column ${column}: `));
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});
