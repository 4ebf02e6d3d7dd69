/**
 * Name resolution of SQL statements: the session's current catalog and database, how
 * `USE CATALOG` / `USE db` change them, and how one-, two- and three-part names resolve.
 *
 * Rules (Flink's `CatalogManager`): `catalog.db.table` is taken as written; `db.table` uses the
 * current catalog; `table` uses the current catalog and database. `USE CATALOG c` makes `c`
 * current and its default database current (Paimon's is `default`); `USE db` changes the
 * database only; `USE c.db` changes both. Names are case-sensitive, as Paimon's are.
 *
 * Invariants: contexts are immutable values; every function returns a new one. This module
 * does not know which catalogs or databases exist: the executor checks that.
 *
 * Imports: api/sql/ast.ts (types only), api/sql/source.ts.
 * Mirrors: Flink `CatalogManager#qualifyIdentifier`, `ObjectIdentifier#asSerializableString`.
 */
import type { SqlName, UseCatalogStatement, UseDatabaseStatement } from "./ast.ts";
import { failSql } from "./source.ts";

/** Flink's built-in catalog name, current before any USE CATALOG. */
export const DEFAULT_CATALOG_NAME = "default_catalog";
/** Flink's and Paimon's default database name. */
export const DEFAULT_DATABASE_NAME = "default";

/** Where unqualified names resolve. */
export interface SqlContext {
  readonly currentCatalog: string;
  readonly currentDatabase: string;
}

/** A fully qualified table name. */
export interface TableIdentifier {
  readonly catalog: string;
  readonly database: string;
  readonly table: string;
}

/** A fully qualified database name. */
export interface DatabaseIdentifier {
  readonly catalog: string;
  readonly database: string;
}

/** The context Flink starts a session with: `default_catalog`.`default`. */
export function defaultSqlContext(): SqlContext {
  return { currentCatalog: DEFAULT_CATALOG_NAME, currentDatabase: DEFAULT_DATABASE_NAME };
}

/** Resolves a table name of 1 to 3 parts against `context`. Requires: 1 ≤ parts ≤ 3 (parser-checked). */
export function resolveTableName(name: SqlName, context: SqlContext): TableIdentifier {
  const p = name.parts;
  switch (p.length) {
    case 1: return { catalog: context.currentCatalog, database: context.currentDatabase, table: p[0]! };
    case 2: return { catalog: context.currentCatalog, database: p[0]!, table: p[1]! };
    case 3: return { catalog: p[0]!, database: p[1]!, table: p[2]! };
    default: return failSql(name.position, `expected a table name of 1 to 3 parts, found ${p.length} parts`);
  }
}

/** Resolves a database name of 1 or 2 parts against `context`. */
export function resolveDatabaseName(name: SqlName, context: SqlContext): DatabaseIdentifier {
  const p = name.parts;
  switch (p.length) {
    case 1: return { catalog: context.currentCatalog, database: p[0]! };
    case 2: return { catalog: p[0]!, database: p[1]! };
    default: return failSql(name.position, `expected a database name of 1 or 2 parts, found ${p.length} parts`);
  }
}

/**
 * The context after a USE statement. `defaultDatabase` is the database `USE CATALOG` switches to
 * (a Paimon catalog's `default-database` option; `default` when not given).
 */
export function applyUseStatement(
  context: SqlContext,
  statement: UseCatalogStatement | UseDatabaseStatement,
  options: { defaultDatabase?: string } = {},
): SqlContext {
  if (statement.kind === "use_catalog") {
    return { currentCatalog: statement.name.name, currentDatabase: options.defaultDatabase ?? DEFAULT_DATABASE_NAME };
  }
  const db = resolveDatabaseName(statement.name, context);
  return { currentCatalog: db.catalog, currentDatabase: db.database };
}

/** Backquotes a name part as Flink prints it (`` ` `` doubled). */
export function quoteSqlName(part: string): string {
  return "`" + part.replace(/`/g, "``") + "`";
}

/** `` `catalog`.`db`.`table` ``, as Flink's `asSerializableString`. */
export function formatTableIdentifier(id: TableIdentifier): string {
  return [id.catalog, id.database, id.table].map(quoteSqlName).join(".");
}
