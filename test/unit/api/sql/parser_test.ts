// Goal: the statement forms other than CREATE/ALTER TABLE (catalogs, databases, USE, DROP, INSERT
// … VALUES, DELETE, SELECT, SET/RESET) parse into the expected AST; scripts split on ';' with
// comments anywhere; errors say what was expected and found at the exact line and column.
// Method: hand-written statements against hand-written ASTs (positions counted by hand);
// malformed statements with their expected code, line, column and message.
import { assert, describe, test } from "../../../harness.ts";
import { parseSql } from "../../../../src/api/sql/parser.ts";
import type { InsertStatement, SelectStatement, SqlStatement } from "../../../../src/api/sql/ast.ts";
import { SqlError } from "../../../../src/api/sql/source.ts";
import { and, equal, greaterThan, isNotNull, lessOrEqual } from "../../../../src/table/predicate.ts";
import { isLakeError } from "../../../../src/errors.ts";

/** The AST without positions and end offsets, for compact comparisons. */
function strip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "position" || k === "endOffset" || k.endsWith("Position") ? undefined : v)));
}
const one = (text: string): SqlStatement => {
  const s = parseSql(text);
  assert.equal(s.length, 1, text);
  return s[0]!;
};
const num = (numericText: string) => ({ numericText });

describe("catalogs, databases, USE, DROP", () => {
  test("CREATE CATALOG … WITH, USE CATALOG, DROP CATALOG", () => {
    assert.deepEqual(strip(one("CREATE CATALOG `paimon-catalog` WITH ('type' = 'paimon', 'warehouse' = 'file:///tmp/wh')")), {
      kind: "create_catalog", name: { name: "paimon-catalog" }, ifNotExists: false,
      options: [{ key: "type", value: "paimon" }, { key: "warehouse", value: "file:///tmp/wh" }],
    });
    assert.deepEqual(strip(one("use catalog my_cat")), { kind: "use_catalog", name: { name: "my_cat" } });
    assert.deepEqual(strip(one("DROP CATALOG IF EXISTS c")), { kind: "drop_catalog", ifExists: true, name: { name: "c" } });
  });

  test("USE db, USE cat.db, USE catalog (a database called catalog)", () => {
    assert.deepEqual(strip(one("USE `paimon-db`")), { kind: "use_database", name: { parts: ["paimon-db"] } });
    assert.deepEqual(strip(one("USE c.d")), { kind: "use_database", name: { parts: ["c", "d"] } });
    assert.deepEqual(strip(one("USE catalog")), { kind: "use_database", name: { parts: ["catalog"] } });
  });

  test("CREATE DATABASE [IF NOT EXISTS] … [COMMENT] [WITH], DROP DATABASE [IF EXISTS] … [CASCADE]", () => {
    assert.deepEqual(strip(one("CREATE DATABASE IF NOT EXISTS `paimon-db`")),
      { kind: "create_database", name: { parts: ["paimon-db"] }, ifNotExists: true, comment: null, options: [] });
    assert.deepEqual(strip(one("create database c.d comment 'x' with ('k' = 'v')")),
      { kind: "create_database", name: { parts: ["c", "d"] }, ifNotExists: false, comment: "x", options: [{ key: "k", value: "v" }] });
    assert.deepEqual(strip(one("DROP DATABASE d")), { kind: "drop_database", ifExists: false, name: { parts: ["d"] }, cascade: false });
    assert.deepEqual(strip(one("DROP DATABASE IF EXISTS d RESTRICT")), { kind: "drop_database", ifExists: true, name: { parts: ["d"] }, cascade: false });
    assert.deepEqual(strip(one("DROP DATABASE d CASCADE")), { kind: "drop_database", ifExists: false, name: { parts: ["d"] }, cascade: true });
  });

  test("DROP TABLE [IF EXISTS] with 1 to 3 parts", () => {
    assert.deepEqual(strip(one("DROP TABLE t")), { kind: "drop_table", ifExists: false, name: { parts: ["t"] } });
    assert.deepEqual(strip(one("drop table if exists `c`.`d`.`t`")), { kind: "drop_table", ifExists: true, name: { parts: ["c", "d", "t"] } });
  });

  test("SET and RESET session options", () => {
    assert.deepEqual(strip(one("SET 'execution.runtime-mode' = 'batch'")), { kind: "set", option: { key: "execution.runtime-mode", value: "batch" } });
    assert.deepEqual(strip(one("SET")), { kind: "set", option: null });
    assert.deepEqual(strip(one("RESET 'a.b'")), { kind: "reset", key: { key: "a.b" } });
    assert.deepEqual(strip(one("RESET")), { kind: "reset", key: null });
  });
});

describe("INSERT … VALUES", () => {
  test("every literal form", () => {
    const s = one(`INSERT INTO db.t VALUES (1, -2.5, +3, 'it''s', TRUE, false, NULL, DATE '2024-01-02', TIME '10:11:12',
      TIMESTAMP '2024-01-02 03:04:05.123', X'0aff', CAST('7' AS BIGINT), CAST(NULL AS DECIMAL(5, 2)), 1e3, - 4)`) as InsertStatement;
    assert.deepEqual(strip(s.rows), [[
      { kind: "number", text: "1" }, { kind: "number", text: "-2.5" }, { kind: "number", text: "3" },
      { kind: "string", value: "it's" }, { kind: "boolean", value: true }, { kind: "boolean", value: false }, { kind: "null" },
      { kind: "typed", type: "DATE", text: "2024-01-02" }, { kind: "typed", type: "TIME", text: "10:11:12" },
      { kind: "typed", type: "TIMESTAMP", text: "2024-01-02 03:04:05.123" }, { kind: "binary", bytes: { 0: 10, 1: 255 } },
      { kind: "cast", operand: { kind: "string", value: "7" }, type: { root: "BIGINT", nullable: true } },
      { kind: "cast", operand: { kind: "null" }, type: { root: "DECIMAL", nullable: true, precision: 5, scale: 2 } },
      { kind: "number", text: "1e3" }, { kind: "number", text: "-4" },
    ]]);
    assert.ok(s.rows[0]![10]!.kind === "binary" && s.rows[0]![10]!.bytes instanceof Uint8Array);
  });

  test("several rows, a column list, nested constructors, OVERWRITE with a static partition", () => {
    const s = one("INSERT OVERWRITE t PARTITION (dt = '2024-01-01') (a, `b`) VALUES (ARRAY[1, 2], MAP['k', ROW(1, 'x')]), (ARRAY[], NULL)") as InsertStatement;
    assert.deepEqual(strip({ o: s.overwrite, p: s.partition, c: s.columns, r: s.rows }), {
      o: true,
      p: [{ column: { name: "dt" }, value: { kind: "string", value: "2024-01-01" } }],
      c: [{ name: "a" }, { name: "b" }],
      r: [
        [{ kind: "array", elements: [{ kind: "number", text: "1" }, { kind: "number", text: "2" }] },
          { kind: "map", entries: [[{ kind: "string", value: "k" }, { kind: "row", fields: [{ kind: "number", text: "1" }, { kind: "string", value: "x" }] }]] }],
        [{ kind: "array", elements: [] }, { kind: "null" }],
      ],
    });
    assert.deepEqual([s.rows[1]![0]!.position.line, s.rows[1]![0]!.position.column], [1, 105]);
  });
});

describe("DELETE and SELECT", () => {
  test("DELETE FROM … WHERE and without WHERE", () => {
    const d = one("DELETE FROM t WHERE a = 1 AND b IS NOT NULL");
    assert.ok(d.kind === "delete");
    assert.deepEqual(d.where?.predicate, and(equal("a", num("1")), isNotNull("b")));
    assert.deepEqual([d.where!.position.line, d.where!.position.column], [1, 21]);
    const all = one("DELETE FROM db.t");
    assert.ok(all.kind === "delete" && all.where === null);
  });

  test("SELECT *, column lists, WHERE, LIMIT", () => {
    const star = one("SELECT * FROM `c`.`d`.t") as SelectStatement;
    assert.deepEqual([star.columns, star.name.parts, star.where, star.limit], [null, ["c", "d", "t"], null, null]);
    const s = one("select a, `select` from t where a > 1 and `select` <= 'z' limit 10") as SelectStatement;
    assert.deepEqual(s.columns?.map((c) => c.name), ["a", "select"]);
    assert.deepEqual(s.where?.predicate, and(greaterThan("a", num("1")), lessOrEqual("select", "z")));
    assert.equal(s.limit, 10);
    assert.equal((one("SELECT a FROM t LIMIT 0") as SelectStatement).limit, 0);
  });
});

describe("scripts", () => {
  test("several statements, comments everywhere, empty statements, optional final ';'", () => {
    const text = [
      "-- set up",
      "CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = '/wh'); USE CATALOG c;",
      "/* the database */ CREATE DATABASE IF NOT EXISTS d;;",
      "USE d; CREATE TABLE t (k INT PRIMARY KEY NOT ENFORCED, v STRING); -- trailing",
      "INSERT INTO t VALUES (1, 'a; not a separator'), (2, 'b');",
      "SELECT * FROM t WHERE k = 1 /* done */",
    ].join("\n");
    const statements = parseSql(text);
    assert.deepEqual(statements.map((s) => [s.kind, s.position.line, s.position.column]), [
      ["create_catalog", 2, 1], ["use_catalog", 2, 65], ["create_database", 3, 20], ["use_database", 4, 1],
      ["create_table", 4, 8], ["insert", 5, 1], ["select", 6, 1],
    ]);
    assert.equal(text.slice(statements[1]!.position.offset, statements[1]!.endOffset), "USE CATALOG c");
    assert.equal(text.slice(statements[6]!.position.offset, statements[6]!.endOffset), "SELECT * FROM t WHERE k = 1");
  });

  test("an empty script or only comments gives no statements", () => {
    assert.deepEqual(parseSql(""), []);
    assert.deepEqual(parseSql("  -- nothing\n /* at all */ ;"), []);
  });
});

describe("limits", () => {
  test("deep nesting is an error, not a stack overflow", () => {
    const deep = `SELECT * FROM t WHERE ${"(".repeat(500)}a = 1${")".repeat(500)}`;
    assert.throws(() => parseSql(deep), (e: unknown) => e instanceof SqlError && isLakeError(e, "invalid_argument") && /nest deeper than 200 levels/.test(e.message));
    assert.throws(() => parseSql(`CREATE TABLE t (c ${"ARRAY<".repeat(300)}INT${">".repeat(300)})`), (e: unknown) => e instanceof SqlError && /nest deeper/.test(e.message));
    assert.throws(() => parseSql(`INSERT INTO t VALUES (${"ARRAY[".repeat(300)}1${"]".repeat(300)})`), (e: unknown) => e instanceof SqlError && /nest deeper/.test(e.message));
    const fine = parseSql(`SELECT * FROM t WHERE ${"(".repeat(100)}a = 1${")".repeat(100)}`)[0];
    assert.ok(fine?.kind === "select" && fine.where?.predicate.kind === "compare");
  });

  test("a long one-line INSERT keeps exact columns", () => {
    const rowCount = 20000;
    const text = "INSERT INTO t VALUES " + Array.from({ length: rowCount }, (_, i) => `(${i}, 'é${i}')`).join(", ");
    const [s] = parseSql(text);
    assert.ok(s?.kind === "insert" && s.rows.length === rowCount);
    const last = s.rows[rowCount - 1]![1]!;
    assert.equal(last.position.column, text.length - `'é${rowCount - 1}')`.length + 1);
    assert.deepEqual(last.kind === "string" && last.value, `é${rowCount - 1}`);
  });
});

describe("statement errors", () => {
  const cases: [string, number, number, string, RegExp][] = [
    ["CREATE TABLE t (a INT)\nCREATE TABLE u (a INT)", 2, 1, "invalid_argument", /expected ';' or the end of the input after the statement, found 'CREATE'/],
    ["SELEC * FROM t", 1, 1, "invalid_argument", /expected a statement \(CREATE, USE, ALTER, DROP, INSERT, DELETE, SELECT, SET or RESET\), found 'SELEC'/],
    ["SHOW TABLES", 1, 1, "unsupported", /SHOW statements are not supported/],
    ["CREATE CATALOG c", 1, 17, "invalid_argument", /expected WITH after CREATE CATALOG c, found the end of the input/],
    ["CREATE VIEW v AS SELECT 1", 1, 8, "unsupported", /CREATE VIEW is not supported/],
    ["DROP t", 1, 6, "invalid_argument", /expected CATALOG, DATABASE or TABLE after DROP, found 't'/],
    ["INSERT t VALUES (1)", 1, 8, "invalid_argument", /expected INTO or OVERWRITE after INSERT, found 't'/],
    ["INSERT INTO t SELECT * FROM u", 1, 15, "unsupported", /INSERT … SELECT is not supported/],
    ["INSERT INTO t VALUES (1, 2),\n  (3)", 2, 3, "invalid_argument", /expected 2 values to match the 2 values of the first row, found 1/],
    ["INSERT INTO t (a) VALUES (1, 2)", 1, 26, "invalid_argument", /expected 1 values to match the 1 columns of the column list, found 2/],
    ["INSERT INTO t VALUES (1, )", 1, 26, "invalid_argument", /expected a value \(number, 'string', .*\), found '\)'/],
    ["INSERT INTO t VALUES (- 'x')", 1, 25, "invalid_argument", /expected a number after '-', found string 'x'/],
    ["INSERT INTO t VALUES (CAST(1 TO INT))", 1, 30, "invalid_argument", /expected AS in CAST\(value AS type\), found 'TO'/],
    ["INSERT INTO t VALUES (MAP['a'])", 1, 23, "invalid_argument", /expected MAP\[key, value, …\] with pairs, found 1 values/],
    ["DELETE t WHERE a = 1", 1, 8, "invalid_argument", /expected FROM after DELETE, found 't'/],
    ["SELECT FROM t", 1, 8, "invalid_argument", /expected a column name or \* \(FROM is a reserved word: write `FROM` if it is a name\), found 'FROM'/],
    ["SELECT a FROM t LIMIT -1", 1, 23, "invalid_argument", /expected a row count after LIMIT \(a whole number\), found '-'/],
    ["SELECT a FROM t ORDER BY a", 1, 17, "unsupported", /ORDER is not supported in SELECT/],
    ["SELECT count(*) FROM t", 1, 8, "unsupported", /expressions such as count\(…\) are not supported/],
    ["SELECT a FROM t WHERE", 1, 22, "invalid_argument", /expected a column name or a literal, found the end of the input/],
    ["SELECT a FROM t\nWHERE a = 1 AND\n  b ~ 2", 3, 5, "invalid_argument", /unexpected character '~'/],
    ["SELECT a FROM t WHERE a = b", 1, 27, "unsupported", /comparing two columns is not supported \(a = b\)/],
    ["SELECT a FROM t WHERE a LIKE 'x%'", 1, 25, "unsupported", /LIKE is not supported in WHERE/],
    ["SELECT a FROM t WHERE a = CAST(1 AS INT)", 1, 27, "unsupported", /CAST is not supported in WHERE/],
    ["SELECT a FROM t WHERE (a = 1", 1, 29, "invalid_argument", /expected '\)' to close the parenthesis, found the end of the input/],
    ["SELECT a FROM t WHERE a IS 1", 1, 28, "invalid_argument", /expected NULL after IS, found number 1/],
    ["SELECT a FROM t WHERE a 1", 1, 25, "invalid_argument", /expected an operator \(=, <>, <, <=, >, >=\), IS, IN or BETWEEN after the column a, found number 1/],
    ["SELECT a FROM t WHERE 1 IS NULL", 1, 25, "invalid_argument", /expected a comparison operator .* after the literal, found 'IS'/],
  ];
  for (const [text, line, column, code, pattern] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(() => parseSql(text), (e: unknown) => {
        assert.ok(e instanceof SqlError && isLakeError(e, code as "invalid_argument"), String(e));
        assert.deepEqual([e.line, e.column], [line, column], e.message);
        assert.match(e.message, new RegExp(`^sql: line ${line}, column ${column}: `));
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});
