/**
 * The SQL parser's entry point: a script of `;`-separated Flink SQL statements to a typed AST.
 *
 * Statements (keywords case-insensitive, names keep their case, `--` and `/* *\/` comments):
 * ```
 * CREATE CATALOG [IF NOT EXISTS] name WITH ('k' = 'v', …)      DROP CATALOG [IF EXISTS] name
 * USE CATALOG name                                              USE [catalog.]database
 * CREATE DATABASE [IF NOT EXISTS] [catalog.]db [COMMENT 'x'] [WITH (…)]
 * DROP DATABASE [IF EXISTS] [catalog.]db [RESTRICT | CASCADE]
 * CREATE TABLE …  /  ALTER TABLE …                              (see parse_ddl.ts)
 * DROP TABLE [IF EXISTS] name
 * INSERT {INTO | OVERWRITE} name [PARTITION (k = v, …)] [(col, …)] VALUES (v, …), …
 * DELETE FROM name [WHERE predicate]
 * SELECT * | col, … FROM name [WHERE predicate] [LIMIT n]
 * SET ['k' = 'v']    RESET ['k']                                 (session options)
 * ```
 * Table names have one to three parts (`table`, `db.table`, `catalog.db.table`); `names.ts`
 * resolves them. Empty statements (`;;`) are skipped.
 *
 * Errors: SqlError("invalid_argument") with "line L, column C", what was expected and what was
 * found; SqlError("unsupported") for Flink statements lakestate does not run (SHOW, EXPLAIN,
 * INSERT … SELECT, …).
 *
 * Imports: api/sql/*.
 * Mirrors: Flink's SQL statement grammar (`flink-sql-parser`, `parserImpls.ftl`):
 * https://github.com/apache/flink/blob/master/flink-table/flink-sql-parser/src/main/codegen/includes/parserImpls.ftl
 */
import type {
  InsertStatement, SelectStatement, SqlExpression, SqlIdentifier, SqlStatement,
} from "./ast.ts";
import { SqlCursor } from "./cursor.ts";
import { TokenKind } from "./lexer.ts";
import { parseAlterTable, parseCreateTable, parseIdentifierList, parseOptionList } from "./parse_ddl.ts";
import { parseOptionalWhere, parseValueExpression } from "./parse_expressions.ts";
import type { ProvisionalFieldIds } from "./parse_types.ts";
import type { SourcePosition } from "./source.ts";

/** Largest LIMIT accepted (rows). */
export const SELECT_LIMIT_ROWS_MAX = Number.MAX_SAFE_INTEGER;

const UNSUPPORTED_STATEMENTS = new Set([
  "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "UPDATE", "TRUNCATE", "CALL", "ANALYZE", "LOAD", "UNLOAD", "BEGIN", "EXECUTE",
  "MERGE", "COMPILE", "OPTIMIZE",
]);

/**
 * Parses a script of statements separated by `;` (the last `;` is optional). Returns the
 * statements in order. Throws SqlError at the first error; nothing is returned for a script
 * with any error.
 */
export function parseSql(text: string): SqlStatement[] {
  const c = new SqlCursor(text);
  const ids: ProvisionalFieldIds = { next: 0 };
  const statements: SqlStatement[] = [];
  for (;;) {
    while (c.acceptPunct(";"));
    if (c.atEnd()) return statements;
    statements.push(parseStatement(c, ids));
    if (!c.atEnd() && !c.isPunct(";")) c.fail("expected ';' or the end of the input after the statement");
  }
}

function parseStatement(c: SqlCursor, ids: ProvisionalFieldIds): SqlStatement {
  const first = c.peek();
  const statement = parseStatementBody(c, ids, first.position);
  return { ...statement, endOffset: c.previous().end };
}

/** A statement before its end offset is known (distributes over the union). */
type Body = SqlStatement extends unknown ? DistributiveOmit<SqlStatement, "endOffset"> : never;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function parseStatementBody(c: SqlCursor, ids: ProvisionalFieldIds, position: SourcePosition): Body {
  const t = c.peek();
  const word = t.kind === TokenKind.WORD ? t.value.toUpperCase() : "";
  if (UNSUPPORTED_STATEMENTS.has(word)) c.unsupported(position, `${word} statements are not supported`);
  switch (word) {
    case "CREATE": c.next(); return parseCreate(c, ids, position);
    case "DROP": c.next(); return parseDrop(c, position);
    case "ALTER":
      c.next();
      c.expectWord("TABLE", "after ALTER (only ALTER TABLE is supported)");
      return parseAlterTable(c, ids, position);
    case "USE": c.next(); return parseUse(c, position);
    case "INSERT": c.next(); return parseInsert(c, ids, position);
    case "DELETE":
      c.next();
      c.expectWord("FROM", "after DELETE");
      return { kind: "delete", position, name: c.expectName("a table name", 3), where: parseOptionalWhere(c, ids) };
    case "SELECT": c.next(); return parseSelect(c, ids, position);
    case "SET": {
      c.next();
      if (c.peek().kind !== TokenKind.STRING) return { kind: "set", position, option: null };
      const keyPosition = c.peek().position;
      const key = c.expectString("a session option key");
      c.expectPunct("=", `after the option key '${key}'`);
      const valuePosition = c.peek().position;
      const value = c.expectString(`the value of option '${key}'`);
      return { kind: "set", position, option: { key, value, keyPosition, valuePosition } };
    }
    case "RESET": {
      c.next();
      const keyPosition = c.peek().position;
      const key = c.acceptString();
      return { kind: "reset", position, key: key === null ? null : { key, position: keyPosition } };
    }
    default:
      return c.fail("expected a statement (CREATE, USE, ALTER, DROP, INSERT, DELETE, SELECT, SET or RESET)");
  }
}

function rejectTemporary(c: SqlCursor, verb: string): void {
  const t = c.peek();
  if (c.isWord("TEMPORARY") || c.isWord("VIEW") || c.isWord("FUNCTION") || c.isWord("OR")) {
    c.unsupported(t.position, `${verb} ${t.value.toUpperCase()} is not supported`);
  }
}

function parseCreate(c: SqlCursor, ids: ProvisionalFieldIds, position: SourcePosition): Body {
  rejectTemporary(c, "CREATE");
  if (c.acceptWords("CATALOG")) {
    const ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
    const name = c.expectIdentifier("a catalog name");
    c.expectWord("WITH", `after CREATE CATALOG ${name.name}`);
    return { kind: "create_catalog", position, name, ifNotExists, options: parseOptionList(c, "WITH") };
  }
  if (c.acceptWords("DATABASE")) {
    const ifNotExists = c.acceptWords("IF", "NOT", "EXISTS");
    const name = c.expectName("a database name", 2);
    const comment = c.acceptWords("COMMENT") ? c.expectString("the database comment") : null;
    const options = c.acceptWords("WITH") ? parseOptionList(c, "WITH") : [];
    return { kind: "create_database", position, name, ifNotExists, comment, options };
  }
  if (c.acceptWords("TABLE")) return parseCreateTable(c, ids, position);
  return c.fail("expected CATALOG, DATABASE or TABLE after CREATE");
}

function parseDrop(c: SqlCursor, position: SourcePosition): Body {
  rejectTemporary(c, "DROP");
  if (c.acceptWords("CATALOG")) {
    const ifExists = c.acceptWords("IF", "EXISTS");
    return { kind: "drop_catalog", position, ifExists, name: c.expectIdentifier("a catalog name") };
  }
  if (c.acceptWords("DATABASE")) {
    const ifExists = c.acceptWords("IF", "EXISTS");
    const name = c.expectName("a database name", 2);
    const cascade = c.acceptWords("CASCADE");
    if (!cascade) c.acceptWords("RESTRICT");
    return { kind: "drop_database", position, ifExists, name, cascade };
  }
  if (c.acceptWords("TABLE")) {
    const ifExists = c.acceptWords("IF", "EXISTS");
    return { kind: "drop_table", position, ifExists, name: c.expectName("a table name", 3) };
  }
  return c.fail("expected CATALOG, DATABASE or TABLE after DROP");
}

function parseUse(c: SqlCursor, position: SourcePosition): Body {
  // `USE CATALOG x` unless CATALOG is itself the database name (`USE catalog;`).
  if (c.isWord("CATALOG") && c.isName(1)) {
    c.next();
    return { kind: "use_catalog", position, name: c.expectIdentifier("a catalog name") };
  }
  if (c.isWord("MODULES") && c.isName(1)) c.unsupported(position, "USE MODULES is not supported");
  return { kind: "use_database", position, name: c.expectName("a database name", 2) };
}

function parseInsert(c: SqlCursor, ids: ProvisionalFieldIds, position: SourcePosition): Body {
  let overwrite = false;
  if (c.acceptWords("OVERWRITE")) overwrite = true;
  else c.expectWord("INTO", "or OVERWRITE after INSERT");
  const name = c.expectName("a table name", 3);
  let partition: { column: SqlIdentifier; value: SqlExpression }[] | null = null;
  if (c.acceptWords("PARTITION")) {
    c.expectPunct("(", "after PARTITION");
    partition = [];
    do {
      const column = c.expectIdentifier("a partition column");
      c.expectPunct("=", `after the partition column ${column.name}`);
      partition.push({ column, value: parseValueExpression(c, ids) });
    } while (c.acceptPunct(","));
    c.expectPunct(")", "or ',' in the PARTITION list");
  }
  const columns = c.isPunct("(") ? parseIdentifierList(c, "INSERT column list") : null;
  if (c.isWord("SELECT") || c.isWord("WITH")) c.unsupported(c.peek().position, "INSERT … SELECT is not supported; use INSERT … VALUES");
  c.expectWord("VALUES", columns === null ? "(or a column list) after the table name" : "after the column list");
  const rows: SqlExpression[][] = [];
  do {
    const rowToken = c.expectPunct("(", "to open a row of VALUES");
    const row: SqlExpression[] = [];
    do row.push(parseValueExpression(c, ids));
    while (c.acceptPunct(","));
    c.expectPunct(")", "or ',' in the row of VALUES");
    const width = columns?.length ?? rows[0]?.length;
    if (width !== undefined && row.length !== width) {
      const against = columns !== null ? `the ${columns.length} columns of the column list` : `the ${width} values of the first row`;
      c.failAtPosition(rowToken.position, `expected ${width} values to match ${against}, found ${row.length}`);
    }
    rows.push(row);
  } while (c.acceptPunct(","));
  return { kind: "insert", position, name, overwrite, partition, columns, rows } satisfies Omit<InsertStatement, "endOffset">;
}

function parseSelect(c: SqlCursor, ids: ProvisionalFieldIds, position: SourcePosition): Body {
  if (c.isWord("DISTINCT") || c.isWord("ALL")) c.unsupported(c.peek().position, `SELECT ${c.peek().value.toUpperCase()} is not supported`);
  let columns: SqlIdentifier[] | null = null;
  if (!c.acceptPunct("*")) {
    columns = [];
    do {
      const t = c.peek();
      if (c.isName() && c.isPunct("(", 1)) c.unsupported(t.position, `expressions such as ${t.value}(…) are not supported in SELECT; list columns or *`);
      columns.push(c.expectIdentifier("a column name or *"));
      if (c.isWord("AS") || c.isName()) c.unsupported(c.peek().position, "column aliases are not supported in SELECT");
    } while (c.acceptPunct(","));
  }
  c.expectWord("FROM", columns === null ? "after SELECT *" : "or ',' after the column");
  const name = c.expectName("a table name", 3);
  const where = parseOptionalWhere(c, ids);
  for (const clause of ["GROUP", "ORDER", "HAVING", "JOIN", "UNION"]) {
    if (c.isWord(clause)) c.unsupported(c.peek().position, `${clause} is not supported in SELECT`);
  }
  let limit: number | null = null;
  if (c.acceptWords("LIMIT")) limit = c.expectInteger("a row count after LIMIT", SELECT_LIMIT_ROWS_MAX);
  return { kind: "select", position, name, columns, where, limit } satisfies Omit<SelectStatement, "endOffset">;
}
