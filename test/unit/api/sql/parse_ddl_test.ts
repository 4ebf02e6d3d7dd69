// Goal: CREATE TABLE and ALTER TABLE parse into exactly the AST their Flink meaning implies:
// multi-part backquoted names, column comments, table-level and inline primary keys, PARTITIONED
// BY, table COMMENT, WITH options in order, every ALTER TABLE form; and their errors name the
// expected and found tokens at exact lines and columns.
// Method: parse hand-written statements and compare AST parts written out by hand (positions
// counted by hand); malformed statements with the expected code, position and message.
import { assert, describe, test } from "../../../harness.ts";
import { parseSql } from "../../../../src/api/sql/parser.ts";
import type { AlterTableStatement, CreateTableStatement, SqlStatement } from "../../../../src/api/sql/ast.ts";
import { SqlError } from "../../../../src/api/sql/source.ts";
import { formatTypeString, type AtomicType } from "../../../../src/spec/data_types.ts";
import { isLakeError } from "../../../../src/errors.ts";

const one = (text: string): SqlStatement => {
  const statements = parseSql(text);
  assert.equal(statements.length, 1);
  return statements[0]!;
};
const createTable = (text: string) => one(text) as CreateTableStatement;
const alter = (text: string) => (one(text) as AlterTableStatement).action;
const at = (line: number, column: number) => ({ line, column });
const lc = (p: { line: number; column: number }) => ({ line: p.line, column: p.column });

describe("CREATE TABLE", () => {
  test("every clause, in Flink's order", () => {
    const text = [
      "create table if not exists `my-cat`.db1.`T` (",
      "  id BIGINT NOT NULL COMMENT 'the id',",
      "  `name` VARCHAR(32),",
      "  dt STRING,",
      "  CONSTRAINT pk PRIMARY KEY (id, dt) NOT ENFORCED",
      ") COMMENT 'a ''table'''",
      "PARTITIONED BY (dt)",
      "WITH ('bucket' = '4', 'file.format' = 'parquet')",
    ].join("\n");
    const s = createTable(text);
    assert.equal(s.kind, "create_table");
    assert.equal(s.ifNotExists, true);
    assert.deepEqual(s.name.parts, ["my-cat", "db1", "T"]);
    assert.deepEqual(lc(s.name.position), at(1, 28));
    assert.deepEqual(s.columns.map((c) => [c.name, formatTypeString(c.type as AtomicType), c.comment, c.primaryKey, lc(c.position), lc(c.typePosition)]), [
      ["id", "BIGINT NOT NULL", "the id", false, at(2, 3), at(2, 6)],
      ["name", "VARCHAR(32)", null, false, at(3, 3), at(3, 10)],
      ["dt", "STRING", null, false, at(4, 3), at(4, 6)],
    ]);
    assert.deepEqual(s.primaryKey?.columns.map((c) => [c.name, lc(c.position)]), [["id", at(5, 30)], ["dt", at(5, 34)]]);
    assert.equal(s.primaryKey?.constraintName, "pk");
    assert.deepEqual(lc(s.primaryKey!.position), at(5, 3));
    assert.equal(s.comment, "a 'table'");
    assert.deepEqual(s.partitionedBy?.map((c) => c.name), ["dt"]);
    assert.deepEqual(s.options.map((o) => [o.key, o.value, lc(o.keyPosition), lc(o.valuePosition)]), [
      ["bucket", "4", at(8, 7), at(8, 18)], ["file.format", "parquet", at(8, 23), at(8, 39)],
    ]);
    assert.deepEqual(lc(s.withPosition!), at(8, 1));
    assert.deepEqual(lc(s.position), at(1, 1));
    assert.equal(s.endOffset, text.length);
  });

  test("minimal table: no key, no partitioning, no options, one-part name", () => {
    const s = createTable("CREATE TABLE t (a INT)");
    assert.deepEqual([s.name.parts, s.primaryKey, s.partitionedBy, s.comment, s.options, s.withPosition, s.ifNotExists],
      [["t"], null, null, null, [], null, false]);
  });

  test("inline primary key, with and without CONSTRAINT, before or after COMMENT", () => {
    const a = createTable("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED COMMENT 'k', v INT)");
    assert.deepEqual([a.primaryKey?.columns.map((c) => c.name), a.primaryKey?.constraintName, a.columns[0]!.primaryKey, a.columns[0]!.comment, a.columns[1]!.primaryKey],
      [["id"], null, true, "k", false]);
    const b = createTable("CREATE TABLE t (v INT, id INT COMMENT 'k' CONSTRAINT c1 PRIMARY KEY NOT ENFORCED)");
    assert.deepEqual([b.primaryKey?.columns.map((c) => c.name), b.primaryKey?.constraintName, b.columns[1]!.comment], [["id"], "c1", "k"]);
    assert.deepEqual(lc(b.primaryKey!.position), at(1, 43));
  });

  test("keywords in any case, names keep theirs; non-reserved words are names", () => {
    const s = createTable("CrEaTe TaBlE MyT (Comment STRING, `Key` INT, value INT, `from` INT, date DATE)");
    assert.deepEqual(s.name.parts, ["MyT"]);
    assert.deepEqual(s.columns.map((c) => c.name), ["Comment", "Key", "value", "from", "date"]);
  });
});

describe("CREATE TABLE errors", () => {
  const cases: [string, number, number, string, RegExp][] = [
    ["CREATE TABLE t (\n  a INT,\n  PRIMARY KEY (a)\n)", 4, 1, "invalid_argument", /expected NOT ENFORCED after PRIMARY KEY .*, found '\)'/],
    ["CREATE TABLE t (a INT, PRIMARY KEY (a) ENFORCED)", 1, 40, "unsupported", /only accept PRIMARY KEY … NOT ENFORCED/],
    ["CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED)", 1, 49, "invalid_argument", /one primary key, but one is already defined at line 1, column 23/],
    ["CREATE TABLE t (a INT b INT)", 1, 23, "invalid_argument", /expected '\)' or ',' after the column definition, found 'b'/],
    ["CREATE TABLE t (a INT,)", 1, 23, "invalid_argument", /expected a column name, found '\)'/],
    ["CREATE TABLE t (a INT) WITH ('bucket' = 4)", 1, 41, "invalid_argument", /expected the value of option 'bucket' as a 'string' \(write '4'\), found number 4/],
    ["CREATE TABLE t (a INT) WITH (bucket = '4')", 1, 30, "invalid_argument", /expected an option key in the WITH list as a 'string' \(write 'bucket'\)/],
    ["CREATE TABLE t (a INT) WITH ('x' = '1',\n 'x' = '2')", 2, 2, "invalid_argument", /option 'x' is given twice \(first at line 1, column 30\)/],
    ["CREATE TABLE t (a INT) WITH ('b' = '1') PARTITIONED BY (a)", 1, 41, "invalid_argument", /PARTITIONED must come before WITH/],
    ["CREATE TABLE t (a INT, WATERMARK FOR a AS a)", 1, 24, "unsupported", /WATERMARK is not supported/],
    ["CREATE TABLE t (a INT, b AS a + 1)", 1, 26, "unsupported", /computed column b/],
    ["CREATE TABLE t (a INT METADATA)", 1, 23, "unsupported", /metadata column a/],
    ["CREATE TABLE t LIKE s", 1, 16, "unsupported", /CREATE TABLE … LIKE/],
    ["CREATE TABLE t (a INT) DISTRIBUTED BY (a)", 1, 24, "unsupported", /DISTRIBUTED BY/],
    ["CREATE TABLE t (select INT)", 1, 17, "invalid_argument", /expected a column name \(select is a reserved word: write `select` if it is a name\)/],
    ["CREATE TABLE a.b.c.d (x INT)", 1, 19, "invalid_argument", /expected at most 3 name parts in a table name, found '\.'/],
    ["CREATE TEMPORARY TABLE t (a INT)", 1, 8, "unsupported", /CREATE TEMPORARY is not supported/],
  ];
  for (const [text, line, column, code, pattern] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(() => parseSql(text), (e: unknown) => {
        assert.ok(e instanceof SqlError, String(e));
        assert.ok(isLakeError(e, code as "invalid_argument"), `${e.code}: ${e.message}`);
        assert.deepEqual([e.line, e.column], [line, column], e.message);
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});

describe("ALTER TABLE", () => {
  test("SET and RESET options", () => {
    const s = one("ALTER TABLE IF EXISTS db.t SET ('write-only' = 'true', 'snapshot.num-retained.max' = '5')") as AlterTableStatement;
    assert.deepEqual([s.ifExists, s.name.parts], [true, ["db", "t"]]);
    assert.deepEqual(s.action.kind === "set_options" && s.action.options.map((o) => [o.key, o.value]), [["write-only", "true"], ["snapshot.num-retained.max", "5"]]);
    const r = alter("ALTER TABLE t RESET ('write-only', 'bucket')");
    assert.deepEqual(r.kind === "reset_options" && r.keys.map((k) => [k.key, lc(k.position)]), [["write-only", at(1, 22)], ["bucket", at(1, 36)]]);
  });

  test("ADD one column or a list, with COMMENT, FIRST and AFTER", () => {
    const a = alter("ALTER TABLE t ADD c3 DOUBLE NOT NULL COMMENT 'third' AFTER c1");
    assert.ok(a.kind === "add_columns");
    assert.deepEqual(a.columns.map((c) => [c.name, formatTypeString(c.type as AtomicType), c.comment, c.move?.kind, c.move?.kind === "after" ? c.move.column.name : null]),
      [["c3", "DOUBLE NOT NULL", "third", "after", "c1"]]);
    const b = alter("ALTER TABLE t ADD (x INT FIRST, y ARRAY<STRING>)");
    assert.ok(b.kind === "add_columns");
    assert.deepEqual(b.columns.map((c) => [c.name, c.move?.kind ?? null]), [["x", "first"], ["y", null]]);
  });

  test("MODIFY, RENAME column, RENAME TO table, DROP one or several", () => {
    const m = alter("ALTER TABLE t MODIFY (v BIGINT COMMENT 'wider', w STRING AFTER v)");
    assert.ok(m.kind === "modify_columns");
    assert.deepEqual(m.columns.map((c) => [c.name, formatTypeString(c.type as AtomicType), c.comment]), [["v", "BIGINT", "wider"], ["w", "STRING", null]]);
    const m1 = alter("ALTER TABLE t MODIFY v INT NOT NULL");
    assert.ok(m1.kind === "modify_columns" && m1.columns.length === 1 && !m1.columns[0]!.type.nullable);
    const rc = alter("ALTER TABLE t RENAME c0 TO `c 1`");
    assert.deepEqual(rc.kind === "rename_column" && [rc.from.name, rc.to.name, lc(rc.to.position)], ["c0", "c 1", at(1, 28)]);
    const rt = alter("ALTER TABLE t RENAME TO db2.t2");
    assert.deepEqual(rt.kind === "rename_table" && rt.to.parts, ["db2", "t2"]);
    const d1 = alter("ALTER TABLE t DROP c1");
    assert.deepEqual(d1.kind === "drop_columns" && d1.columns.map((c) => c.name), ["c1"]);
    const d2 = alter("ALTER TABLE t DROP (c1, `c2`)");
    assert.deepEqual(d2.kind === "drop_columns" && d2.columns.map((c) => c.name), ["c1", "c2"]);
  });

  const errors: [string, number, number, string, RegExp][] = [
    ["ALTER TABLE t", 1, 14, "invalid_argument", /expected SET, RESET, ADD, MODIFY, RENAME or DROP after the table name, found the end of the input/],
    ["ALTER TABLE t SET 'a' = 'b'", 1, 19, "invalid_argument", /expected '\(' to open the SET list, found string 'a'/],
    ["ALTER TABLE t RENAME a b", 1, 24, "invalid_argument", /expected TO after RENAME a, found 'b'/],
    ["ALTER TABLE t ADD PRIMARY KEY (a) NOT ENFORCED", 1, 19, "unsupported", /primary key is fixed at creation/],
    ["ALTER TABLE t ADD c INT PRIMARY KEY NOT ENFORCED", 1, 25, "unsupported", /changing the primary key/],
    ["ALTER TABLE t DROP (a", 1, 22, "invalid_argument", /expected '\)' or ',' in the DROP column list, found the end of the input/],
    ["ALTER DATABASE d SET ('a' = 'b')", 1, 7, "invalid_argument", /expected TABLE after ALTER \(only ALTER TABLE is supported\), found 'DATABASE'/],
  ];
  for (const [text, line, column, code, pattern] of errors) {
    test(`error: ${text}`, () => {
      assert.throws(() => parseSql(text), (e: unknown) => {
        assert.ok(e instanceof SqlError && isLakeError(e, code as "invalid_argument"), String(e));
        assert.deepEqual([e.line, e.column], [line, column], e.message);
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});
