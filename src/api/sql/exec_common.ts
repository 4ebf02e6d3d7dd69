/**
 * What every statement executor shares: the result of one statement, the messages Flink's SQL
 * client prints, turning catalog and table errors into SqlErrors at a position, and looking up
 * catalogs and tables of the session.
 *
 * Invariants: an error leaving an executor is a SqlError pointing into the statement (the
 * offending name, literal or clause), with the code of the underlying LakeError kept; errors
 * that are not LakeErrors (bugs) pass through untouched.
 *
 * Imports: errors.ts, spec (types), api/sql/ast.ts (types), api/sql/names.ts,
 * api/sql/source.ts, api/sql/exec_session.ts.
 * Mirrors: Flink SQL client's `CliStrings` messages (MESSAGE_EXECUTE_STATEMENT, …).
 */
import { LakeError } from "../../errors.ts";
import type { DataField } from "../../spec/data_types.ts";
import type { Row } from "../../spec/values.ts";
import type { SqlStatement, SqlStatementKind } from "./ast.ts";
import { formatTableIdentifier, quoteSqlName, type TableIdentifier } from "./names.ts";
import { failSql, SqlError, type SourcePosition } from "./source.ts";
import type { SessionCatalog, SqlSession, SqlTable } from "./exec_session.ts";

/** What Flink's SQL client prints after a DDL, USE, SET or RESET statement. */
export const MESSAGE_EXECUTE_STATEMENT = "Execute statement succeed.";
/** What Flink's SQL client prints after a synchronous INSERT or DELETE. */
export const MESSAGE_UPDATE_COMPLETE = "Complete execution of the SQL update statement.";

interface SqlResultBase {
  /** The statement's kind (`create_table`, `insert`, …). */
  readonly statement: SqlStatementKind;
  /** Where the statement starts. */
  readonly position: SourcePosition;
  /** One line, as Flink's SQL client prints it after the statement (without `[INFO] `). */
  readonly message: string;
  /** Things the user should know that did not stop the statement (misspelt option keys, …). */
  readonly warnings: readonly string[];
}

/** The outcome of one statement. */
export type SqlResult =
  /** DDL, USE, SET 'k' = 'v', RESET. */
  | (SqlResultBase & { readonly kind: "ok" })
  /** INSERT: rows written and the snapshots committed. */
  | (SqlResultBase & { readonly kind: "insert"; readonly rowCount: number; readonly snapshotIds: readonly bigint[] })
  /** DELETE: the snapshots committed. */
  | (SqlResultBase & { readonly kind: "delete"; readonly snapshotIds: readonly bigint[] })
  /** SELECT (and bare SET): the columns and rows, values in column order. */
  | (SqlResultBase & { readonly kind: "rows"; readonly columns: readonly DataField[]; readonly rows: readonly Row[] });

/** An `ok` result of `statement`. */
export function okResult(statement: SqlStatement, warnings: readonly string[] = []): SqlResult {
  return { kind: "ok", statement: statement.kind, position: statement.position, message: MESSAGE_EXECUTE_STATEMENT, warnings };
}

/** Flink's row-count line after a result table: "Empty set", "1 row in set", "N rows in set". */
export function rowCountMessage(rowCount: number): string {
  return rowCount === 0 ? "Empty set" : rowCount === 1 ? "1 row in set" : `${rowCount} rows in set`;
}

/** A LakeError (not yet a SqlError) restated as a SqlError at `position`, prefixed by `what`. */
export function asSqlError(error: unknown, position: SourcePosition, what: string): unknown {
  if (error instanceof SqlError || !(error instanceof LakeError)) return error;
  return new SqlError(error.code, position, `${what}: ${error.message}`, { cause: error });
}

/** Runs `work`; its LakeErrors become SqlErrors at `position` (see `asSqlError`). */
export async function atPosition<T>(position: SourcePosition, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asSqlError(error, position, what);
  }
}

/** The session catalog `name`; SqlError("not_found") at `position` when there is none. */
export function requireCatalog(session: SqlSession, name: string, position: SourcePosition): SessionCatalog {
  const entry = session.catalog(name);
  if (entry === undefined) {
    throw new SqlError("not_found", position,
      `catalog ${quoteSqlName(name)} does not exist (catalogs: ${session.catalogNames().map(quoteSqlName).join(", ") || "none"}); create it with CREATE CATALOG ${quoteSqlName(name)} WITH ('type' = 'paimon', 'warehouse' = '…')`);
  }
  return entry;
}

/** `database.table`, the identifier the catalog API takes. */
export function catalogTableName(id: TableIdentifier): string {
  return `${id.database}.${id.table}`;
}

/** Opens table `id` of the session; SqlError at `position` when the catalog or table is missing. */
export async function openSessionTable(session: SqlSession, id: TableIdentifier, position: SourcePosition, verb: string): Promise<SqlTable> {
  const entry = requireCatalog(session, id.catalog, position);
  return atPosition(position, `${verb} ${formatTableIdentifier(id)}`, () => entry.catalog.getTable(catalogTableName(id)));
}

/** The field `name` of `fields`; SqlError at `position` naming the columns when there is none. */
export function requireField(fields: readonly DataField[], name: string, position: SourcePosition, what: string): DataField {
  const field = fields.find((f) => f.name === name);
  if (field === undefined) failSql(position, `${what}: column ${name} does not exist (columns: ${fields.map((f) => f.name).join(", ")})`);
  return field;
}

/** Whether `error` is a LakeError with code `not_found` (directly or as the cause of a SqlError). */
export function isNotFound(error: unknown): boolean {
  return error instanceof LakeError && error.code === "not_found";
}
