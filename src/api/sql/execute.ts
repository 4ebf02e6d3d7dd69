/**
 * Runs scripts of Flink SQL statements against a session: parses the whole script first (a
 * syntax error anywhere runs nothing), then executes the statements in order, one result per
 * statement. The first failing statement stops the script: the statements before it have taken
 * effect (each is its own commit), the ones after it do not run.
 *
 * Errors: a SqlStatementError (a SqlError, so a LakeError) whose message starts with
 * `sql: line L, column C: statement N of M (line X): ` — the line and column of the offending
 * text (a name, a literal, an option, or the statement itself when nothing narrower applies),
 * which statement failed and where it starts — followed by what is wrong, then the offending
 * line of the script with a caret. Its `code` is the underlying LakeError's (not_found,
 * conflict, invalid_argument, unsupported, io, corruption). Errors that are not LakeErrors
 * (bugs) pass through untouched.
 *
 * Statements: see parser.ts for the grammar and exec_catalog.ts, exec_tables.ts, exec_dml.ts
 * for what each does. Results follow Flink's SQL client: DDL, USE, SET and RESET give `ok` with
 * "Execute statement succeed."; INSERT and DELETE give the snapshots they committed; SELECT
 * (and a bare SET) give columns and rows.
 *
 * Imports: errors.ts, api/sql/*.
 * Mirrors: Flink's SQL client running a script (`sql-client.sh -f`), statement by statement.
 */
import { LakeError, type ErrorCode } from "../../errors.ts";
import type { SqlStatement } from "./ast.ts";
import { parseSql } from "./parser.ts";
import { SourceText, SqlError, type SourcePosition } from "./source.ts";
import type { SqlResult } from "./exec_common.ts";
import {
  executeCreateCatalog, executeCreateDatabase, executeDropCatalog, executeDropDatabase, executeReset, executeSet,
  executeUseCatalog, executeUseDatabase,
} from "./exec_catalog.ts";
import { executeDelete, executeInsert, executeSelect } from "./exec_dml.ts";
import type { SqlSession } from "./exec_session.ts";
import { executeAlterTable, executeCreateTable, executeDropTable } from "./exec_tables.ts";

export { MESSAGE_EXECUTE_STATEMENT, MESSAGE_UPDATE_COMPLETE, rowCountMessage, type SqlResult } from "./exec_common.ts";
export {
  type CatalogRequest, type CatalogResolver, localWarehousePath, matchScopedOption, type SessionCatalog, type SqlCatalog,
  SqlSession, type SqlSessionOptions, type SqlTable, type SqlTableSpec, type SqlWriteResult, TABLE_DYNAMIC_OPTION_PREFIX,
} from "./exec_session.ts";

/** Statement names for messages, as the user writes them. */
const STATEMENT_NAMES: Readonly<Record<SqlStatement["kind"], string>> = {
  create_catalog: "CREATE CATALOG", drop_catalog: "DROP CATALOG", use_catalog: "USE CATALOG", use_database: "USE",
  create_database: "CREATE DATABASE", drop_database: "DROP DATABASE", create_table: "CREATE TABLE", alter_table: "ALTER TABLE",
  drop_table: "DROP TABLE", insert: "INSERT", delete: "DELETE", select: "SELECT", set: "SET", reset: "RESET",
};

/** The error of a failed statement of a script: which statement, and what had completed before it. */
export class SqlStatementError extends SqlError {
  override name = "SqlStatementError";
  /** 1-based number of the failed statement in the script. */
  readonly statementNumber: number;
  /** Statements in the script. */
  readonly statementCount: number;
  /** 1-based line where the failed statement starts. */
  readonly statementLine: number;
  /** Results of the statements that completed before it (they took effect). */
  readonly completed: readonly SqlResult[];

  constructor(code: ErrorCode, position: SourcePosition, what: string, details: {
    source: SourceText; cause: unknown; statementNumber: number; statementCount: number; statementLine: number; completed: readonly SqlResult[];
  }) {
    super(code, position, what, { source: details.source, cause: details.cause });
    this.statementNumber = details.statementNumber;
    this.statementCount = details.statementCount;
    this.statementLine = details.statementLine;
    this.completed = details.completed;
  }
}

/**
 * Runs every statement of `text` in order against `session` and returns their results. Throws
 * SqlError for a syntax error (nothing ran) and SqlStatementError for the first statement that
 * fails (see the header).
 */
export async function executeSql(text: string, session: SqlSession): Promise<SqlResult[]> {
  const results: SqlResult[] = [];
  for await (const result of executeSqlStatements(text, session)) results.push(result);
  return results;
}

/**
 * `executeSql` one statement at a time: yields each statement's result before the next
 * statement runs (so a caller can print results as they come). Throws as `executeSql`.
 */
export async function* executeSqlStatements(text: string, session: SqlSession): AsyncGenerator<SqlResult, void, undefined> {
  const statements = parseSql(text);
  const source = new SourceText(text);
  const completed: SqlResult[] = [];
  for (let i = 0; i < statements.length; i++) {
    let result: SqlResult;
    try {
      result = await executeStatement(statements[i]!, session);
    } catch (error) {
      throw statementError(error, statements, i, completed, source);
    }
    completed.push(result);
    yield result;
  }
}

/** Executes one parsed statement. Throws SqlError (or non-LakeErrors for bugs). */
export function executeStatement(statement: SqlStatement, session: SqlSession): Promise<SqlResult> {
  switch (statement.kind) {
    case "create_catalog": return executeCreateCatalog(statement, session);
    case "drop_catalog": return Promise.resolve().then(() => executeDropCatalog(statement, session));
    case "use_catalog": return Promise.resolve().then(() => executeUseCatalog(statement, session));
    case "use_database": return executeUseDatabase(statement, session);
    case "create_database": return executeCreateDatabase(statement, session);
    case "drop_database": return executeDropDatabase(statement, session);
    case "create_table": return executeCreateTable(statement, session);
    case "alter_table": return executeAlterTable(statement, session);
    case "drop_table": return executeDropTable(statement, session);
    case "insert": return executeInsert(statement, session);
    case "delete": return executeDelete(statement, session);
    case "select": return executeSelect(statement, session);
    case "set": return Promise.resolve().then(() => executeSet(statement, session));
    case "reset": return Promise.resolve().then(() => executeReset(statement, session));
  }
}

/** The text of a SqlError without its `sql: line L, column C: ` head and caret lines. */
function sqlErrorWhat(error: SqlError, source: SourceText): string {
  const head = `sql: line ${error.line}, column ${error.column}: `;
  let what = error.message.startsWith(head) ? error.message.slice(head.length) : error.message;
  const caret = `\n  ${source.lineText(error.line).replace(/\t/g, " ")}\n  ${" ".repeat(Math.max(0, error.column - 1))}^`;
  if (what.endsWith(caret)) what = what.slice(0, -caret.length);
  return what;
}

function statementError(error: unknown, statements: readonly SqlStatement[], index: number, completed: readonly SqlResult[], source: SourceText): unknown {
  if (!(error instanceof LakeError)) return error;
  const statement = statements[index]!;
  const position: SourcePosition = error instanceof SqlError
    ? { offset: error.offset, line: error.line, column: error.column }
    : statement.position;
  const what = error instanceof SqlError ? sqlErrorWhat(error, source) : `${STATEMENT_NAMES[statement.kind]}: ${error.message}`;
  const line = statement.position.line;
  return new SqlStatementError(error.code, position, `statement ${index + 1} of ${statements.length} (line ${line}): ${what}`, {
    source, cause: error, statementNumber: index + 1, statementCount: statements.length, statementLine: line, completed: [...completed],
  });
}
