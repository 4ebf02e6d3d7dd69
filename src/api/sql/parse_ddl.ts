/**
 * Parses the table DDL statements: CREATE TABLE and ALTER TABLE, and the `('k' = 'v', …)` option
 * lists they and CREATE CATALOG / CREATE DATABASE share.
 *
 * Grammar (keywords case-insensitive; Flink's order of clauses):
 * ```
 * create_table := CREATE TABLE [IF NOT EXISTS] name '(' element (',' element)* ')'
 *                 [COMMENT 'text'] [PARTITIONED BY '(' col, … ')'] [WITH options]
 * element      := [CONSTRAINT n] PRIMARY KEY '(' col, … ')' NOT ENFORCED
 *               | col type [[CONSTRAINT n] PRIMARY KEY NOT ENFORCED] [COMMENT 'text']
 * alter_table  := ALTER TABLE [IF EXISTS] name
 *                 ( SET options | RESET '(' 'k', … ')' | RENAME TO name | RENAME col TO col
 *                 | ADD column_move | ADD '(' column_move, … ')'
 *                 | MODIFY column_move | MODIFY '(' column_move, … ')'
 *                 | DROP col | DROP '(' col, … ')' )
 * column_move  := col type [COMMENT 'text'] [FIRST | AFTER col]
 * options      := '(' 'key' '=' 'value' (',' 'key' '=' 'value')* ')'
 * ```
 * Valid Flink SQL that Paimon tables cannot hold (computed and metadata columns, watermarks,
 * CREATE TABLE … LIKE / AS, primary-key changes through ALTER) is SqlError("unsupported").
 *
 * Imports: api/sql/ast.ts, api/sql/cursor.ts, api/sql/lexer.ts, api/sql/parse_types.ts, api/sql/source.ts.
 * Mirrors: Flink's `SqlCreateTable`, `SqlAlterTableOptions`, `SqlAlterTableReset`,
 * `SqlAlterTableAdd`, `SqlAlterTableModify`, `SqlAlterTableRenameColumn`, `SqlAlterTableDropColumn`
 * https://nightlies.apache.org/flink/flink-docs-stable/docs/dev/table/sql/alter/
 */
import type {
  AlterTableStatement, CreateTableStatement, SqlAlterAction, SqlAlterColumn, SqlColumn, SqlColumnMove, SqlIdentifier,
  SqlOption, SqlOptionKey, SqlPrimaryKey,
} from "./ast.ts";
import type { SqlCursor } from "./cursor.ts";
import { TokenKind } from "./lexer.ts";
import { parseSqlType, type ProvisionalFieldIds } from "./parse_types.ts";
import type { SourcePosition } from "./source.ts";

/** Parses `'(' 'key' '=' 'value', … ')'`; rejects a key given twice. `what` names the list. */
export function parseOptionList(c: SqlCursor, what: string): SqlOption[] {
  c.expectPunct("(", `to open the ${what} list`);
  const options: SqlOption[] = [];
  do {
    const keyToken = c.peek();
    const key = c.expectString(`an option key in the ${what} list`);
    const earlier = options.find((o) => o.key === key);
    if (earlier !== undefined) {
      c.failAtPosition(keyToken.position, `option '${key}' is given twice (first at line ${earlier.keyPosition.line}, column ${earlier.keyPosition.column})`);
    }
    c.expectPunct("=", `after the option key '${key}'`);
    const valueToken = c.peek();
    const value = c.expectString(`the value of option '${key}'`);
    options.push({ key, value, keyPosition: keyToken.position, valuePosition: valueToken.position });
  } while (c.acceptPunct(","));
  c.expectPunct(")", `or ',' in the ${what} list`);
  return options;
}

/** Parses `'(' ident, … ')'` (column lists of keys, PARTITIONED BY, INSERT, DROP). */
export function parseIdentifierList(c: SqlCursor, what: string): SqlIdentifier[] {
  c.expectPunct("(", `to open the ${what}`);
  const out: SqlIdentifier[] = [];
  do out.push(c.expectIdentifier(`a column name in the ${what}`));
  while (c.acceptPunct(","));
  c.expectPunct(")", `or ',' in the ${what}`);
  return out;
}

/** Parses CREATE TABLE after `CREATE TABLE`; `start` is the CREATE token's position. */
export function parseCreateTable(c: SqlCursor, ids: ProvisionalFieldIds, position: SourcePosition): Omit<CreateTableStatement, "endOffset"> {
  const ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
  const name = c.expectName("a table name", 3);
  if (c.isWord("LIKE") || c.isWord("AS")) c.unsupported(c.peek().position, `CREATE TABLE … ${c.peek().value.toUpperCase()} is not supported; list the columns`);
  c.expectPunct("(", "to open the column list of CREATE TABLE");
  const columns: SqlColumn[] = [];
  let primaryKey: SqlPrimaryKey | null = null;
  const setPrimaryKey = (key: SqlPrimaryKey): void => {
    if (primaryKey !== null) {
      c.failAtPosition(key.position, `a table has one primary key, but one is already defined at line ${primaryKey.position.line}, column ${primaryKey.position.column}`);
    }
    primaryKey = key;
  };
  do {
    if (c.isWord("WATERMARK")) c.unsupported(c.peek().position, "WATERMARK is not supported: lakestate has no event-time processing");
    if (c.isWord("PRIMARY") || c.isWord("CONSTRAINT")) {
      const keyPosition = c.peek().position;
      const constraintName = parseConstraintName(c);
      c.expectWord("PRIMARY", "after CONSTRAINT name");
      c.expectWord("KEY", "after PRIMARY");
      const keyColumns = parseIdentifierList(c, "primary key column list");
      expectNotEnforced(c);
      setPrimaryKey({ columns: keyColumns, constraintName, position: keyPosition });
      continue;
    }
    const column = parseColumnDefinition(c, ids, true);
    columns.push(column.column);
    if (column.primaryKey !== null) setPrimaryKey(column.primaryKey);
  } while (c.acceptPunct(","));
  c.expectPunct(")", "or ',' after the column definition");
  let comment: string | null = null;
  if (c.acceptWords("COMMENT")) comment = c.expectString("the table comment");
  let partitionedBy: SqlIdentifier[] | null = null;
  if (c.acceptWords("PARTITIONED", "BY")) partitionedBy = parseIdentifierList(c, "PARTITIONED BY column list");
  if (c.isWord("DISTRIBUTED")) c.unsupported(c.peek().position, "DISTRIBUTED BY is not supported; set the options 'bucket' and 'bucket-key' in WITH (…)");
  let options: SqlOption[] = [];
  let withPosition: SourcePosition | null = null;
  if (c.isWord("WITH")) {
    withPosition = c.next().position;
    options = parseOptionList(c, "WITH");
  }
  if (c.isWord("PARTITIONED") || c.isWord("COMMENT")) {
    c.fail(`expected ';' or the end of the statement (${c.peek().value.toUpperCase()} must come before ${withPosition !== null ? "WITH" : "PARTITIONED BY"})`);
  }
  if (c.isWord("LIKE")) c.unsupported(c.peek().position, "CREATE TABLE … LIKE is not supported; list the columns");
  return {
    kind: "create_table", position, name, ifNotExists, columns, primaryKey, partitionedBy, comment, options, withPosition,
  };
}

function parseConstraintName(c: SqlCursor): string | null {
  if (!c.acceptWords("CONSTRAINT")) return null;
  return c.expectIdentifier("a constraint name").name;
}

function expectNotEnforced(c: SqlCursor): void {
  if (c.acceptWords("NOT", "ENFORCED")) return;
  if (c.isWord("ENFORCED")) c.unsupported(c.peek().position, "ENFORCED primary keys are not supported: Flink and Paimon only accept PRIMARY KEY … NOT ENFORCED");
  c.fail("expected NOT ENFORCED after PRIMARY KEY (Flink and Paimon only accept PRIMARY KEY … NOT ENFORCED)");
}

/**
 * Parses `col type [inline key] [COMMENT 'x']`. `allowKey` is false in ALTER TABLE, where an
 * inline key is unsupported.
 */
function parseColumnDefinition(c: SqlCursor, ids: ProvisionalFieldIds, allowKey: boolean): { column: SqlColumn; primaryKey: SqlPrimaryKey | null } {
  const name = c.expectIdentifier("a column name");
  if (c.isWord("AS")) c.unsupported(c.peek().position, `computed column ${name.name} is not supported; store the value in a physical column`);
  const typePosition = c.peek().position;
  const type = parseSqlType(c, ids);
  if (c.isWord("METADATA")) c.unsupported(c.peek().position, `metadata column ${name.name} is not supported`);
  let primaryKey: SqlPrimaryKey | null = null;
  let comment: string | null = null;
  for (;;) {
    if (primaryKey === null && (c.isWord("PRIMARY") || c.isWord("CONSTRAINT"))) {
      const keyPosition = c.peek().position;
      if (!allowKey) c.unsupported(keyPosition, "changing the primary key through ALTER TABLE is not supported");
      const constraintName = parseConstraintName(c);
      c.expectWord("PRIMARY", "after CONSTRAINT name");
      c.expectWord("KEY", "after PRIMARY");
      expectNotEnforced(c);
      primaryKey = { columns: [name], constraintName, position: keyPosition };
    } else if (comment === null && c.acceptWords("COMMENT")) {
      comment = c.expectString(`the comment of column ${name.name}`);
    } else {
      break;
    }
  }
  return { column: { name: name.name, position: name.position, type, typePosition, comment, primaryKey: primaryKey !== null }, primaryKey };
}

/** Parses ALTER TABLE after `ALTER TABLE`. */
export function parseAlterTable(c: SqlCursor, ids: ProvisionalFieldIds, position: SourcePosition): Omit<AlterTableStatement, "endOffset"> {
  const ifExists = c.acceptWords("IF", "EXISTS");
  const name = c.expectName("a table name", 3);
  return { kind: "alter_table", position, name, ifExists, action: parseAlterAction(c, ids) };
}

function parseAlterAction(c: SqlCursor, ids: ProvisionalFieldIds): SqlAlterAction {
  const t = c.peek();
  const word = t.kind === TokenKind.WORD ? t.value.toUpperCase() : "";
  switch (word) {
    case "SET":
      c.next();
      return { kind: "set_options", options: parseOptionList(c, "SET") };
    case "RESET": {
      c.next();
      c.expectPunct("(", "to open the RESET list");
      const keys: SqlOptionKey[] = [];
      do {
        const position = c.peek().position;
        keys.push({ key: c.expectString("an option key in the RESET list"), position });
      } while (c.acceptPunct(","));
      c.expectPunct(")", "or ',' in the RESET list");
      return { kind: "reset_options", keys };
    }
    case "RENAME": {
      c.next();
      if (c.acceptWords("TO")) return { kind: "rename_table", to: c.expectName("the new table name", 3) };
      const from = c.expectIdentifier("TO or the column to rename");
      c.expectWord("TO", `after RENAME ${from.name}`);
      return { kind: "rename_column", from, to: c.expectIdentifier("the new column name") };
    }
    case "ADD": case "MODIFY": {
      c.next();
      rejectConstraintChange(c, word);
      const columns: SqlAlterColumn[] = [];
      if (c.acceptPunct("(")) {
        do columns.push(parseAlterColumn(c, ids));
        while (c.acceptPunct(","));
        c.expectPunct(")", `or ',' in the ${word} list`);
      } else {
        columns.push(parseAlterColumn(c, ids));
      }
      return { kind: word === "ADD" ? "add_columns" : "modify_columns", columns };
    }
    case "DROP": {
      c.next();
      rejectConstraintChange(c, word);
      if (c.isPunct("(")) return { kind: "drop_columns", columns: parseIdentifierList(c, "DROP column list") };
      return { kind: "drop_columns", columns: [c.expectIdentifier("the column to drop")] };
    }
    default:
      return c.fail("expected SET, RESET, ADD, MODIFY, RENAME or DROP after the table name");
  }
}

function rejectConstraintChange(c: SqlCursor, verb: string): void {
  if (c.isWord("PRIMARY") || c.isWord("CONSTRAINT") || c.isWord("WATERMARK")) {
    c.unsupported(c.peek().position, `ALTER TABLE … ${verb} ${c.peek().value.toUpperCase()} is not supported: a Paimon table's primary key is fixed at creation`);
  }
}

function parseAlterColumn(c: SqlCursor, ids: ProvisionalFieldIds): SqlAlterColumn {
  const { column } = parseColumnDefinition(c, ids, false);
  let move: SqlColumnMove | null = null;
  if (c.isWord("FIRST")) {
    move = { kind: "first", position: c.next().position };
  } else if (c.isWord("AFTER")) {
    const position = c.next().position;
    move = { kind: "after", column: c.expectIdentifier("the column after which to place it"), position };
  }
  return { ...column, move };
}
