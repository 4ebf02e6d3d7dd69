/**
 * The SQL front end's public surface: parse Flink SQL scripts into a typed AST, resolve names
 * against a session context, and plan CREATE TABLE into a Paimon table schema.
 *
 * Invariants: nothing here touches storage or a clock; executing statements is the catalog's
 * job (`catalog.sql`), which builds on these functions.
 *
 * Imports: api/sql/* only.
 * Mirrors: nothing in Java (Flink's SQL client + Paimon's FlinkCatalog play this role).
 */
export type * from "./ast.ts";
export { parseSql, SELECT_LIMIT_ROWS_MAX } from "./parser.ts";
export { SqlError, type SourcePosition } from "./source.ts";
export { RESERVED_WORDS } from "./cursor.ts";
export {
  applyUseStatement, DEFAULT_CATALOG_NAME, DEFAULT_DATABASE_NAME, defaultSqlContext, formatTableIdentifier, quoteSqlName,
  resolveDatabaseName, resolveTableName, type DatabaseIdentifier, type SqlContext, type TableIdentifier,
} from "./names.ts";
export { numberColumnFields, planCreateTable, timestampPatternColumns, type ColumnToNumber, type CreateTablePlan } from "./ddl.ts";
