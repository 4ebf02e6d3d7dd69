/**
 * Executes the session and database statements: CREATE / DROP / USE CATALOG, USE [catalog.]db,
 * CREATE / DROP DATABASE, SET and RESET.
 *
 * Rules (Flink's `CatalogManager`, Paimon's `FlinkCatalog` and `FileSystemCatalog`):
 *  - CREATE CATALOG takes `'type' = 'paimon'` (required), `'warehouse'` (required),
 *    `'metastore' = 'filesystem'`, `'default-database'`, `'disable-create-table-in-default-db'`,
 *    and the cache options (`cache-enabled`, `cache.*`; lakestate caches no catalog metadata, so
 *    they change nothing). Other options are SqlError("unsupported") rather than ignored. The
 *    session's resolver opens the warehouse; the default database is created when missing, as
 *    Java's FlinkCatalog does when it opens a catalog.
 *  - The current catalog cannot be dropped; the current database cannot be dropped.
 *  - USE checks that the catalog and database exist. The default database of a catalog counts as
 *    existing even before it has a directory (a catalog handed to the session, such as the CLI's
 *    warehouse, gets it created by its first CREATE TABLE there).
 *  - CREATE DATABASE: the filesystem catalog stores no database properties; like Java it
 *    discards a COMMENT and WITH options with a warning, and refuses a `location` option.
 *  - SET 'execution.runtime-mode' = 'streaming' is unsupported (statements run as bounded batch
 *    jobs); other keys are kept (see exec_session.ts for which reach tables).
 *
 * Imports: spec/data_types.ts, api/sql/*.
 * Mirrors: Flink `CatalogManager`, Paimon `FlinkCatalog`, `FileSystemCatalog#createDatabaseImpl`.
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/catalog/FileSystemCatalog.java
 */
import { atomic, type DataField } from "../../spec/data_types.ts";
import type {
  CreateCatalogStatement, CreateDatabaseStatement, DropCatalogStatement, DropDatabaseStatement, ResetStatement,
  SetStatement, SqlOption, UseCatalogStatement, UseDatabaseStatement,
} from "./ast.ts";
import { applyUseStatement, DEFAULT_DATABASE_NAME, quoteSqlName, resolveDatabaseName } from "./names.ts";
import { failSql, failSqlUnsupported, SqlError } from "./source.ts";
import { atPosition, okResult, requireCatalog, rowCountMessage, type SqlResult } from "./exec_common.ts";
import type { SqlSession } from "./exec_session.ts";

const CATALOG_OPTION_KEYS = ["type", "warehouse", "metastore", "default-database", "disable-create-table-in-default-db", "cache-enabled"];
const CATALOG_OPTION_PREFIXES = ["cache."];
const STRING_TYPE = atomic("VARCHAR", { length: 2147483647 });
const SET_LIST_FIELDS: readonly DataField[] = [{ id: 0, name: "key", type: STRING_TYPE }, { id: 1, name: "value", type: STRING_TYPE }];

function optionNamed(options: readonly SqlOption[], key: string): SqlOption | undefined {
  return options.find((o) => o.key === key);
}

/** CREATE CATALOG [IF NOT EXISTS] name WITH (…). */
export async function executeCreateCatalog(s: CreateCatalogStatement, session: SqlSession): Promise<SqlResult> {
  const name = s.name.name;
  const what = `CREATE CATALOG ${quoteSqlName(name)}`;
  if (session.catalog(name) !== undefined) {
    if (s.ifNotExists) return okResult(s);
    throw new SqlError("conflict", s.name.position, `${what}: catalog ${quoteSqlName(name)} already exists`);
  }
  for (const o of s.options) {
    if (!CATALOG_OPTION_KEYS.includes(o.key) && !CATALOG_OPTION_PREFIXES.some((p) => o.key.startsWith(p))) {
      failSqlUnsupported(o.keyPosition, `${what}: catalog option '${o.key}' is not supported (supported: ${CATALOG_OPTION_KEYS.map((k) => `'${k}'`).join(", ")}, 'cache.*')`);
    }
  }
  const type = optionNamed(s.options, "type");
  if (type === undefined) failSql(s.name.position, `${what}: the WITH list needs 'type' = 'paimon'`);
  if (type.value !== "paimon") {
    failSqlUnsupported(type.valuePosition, `${what}: catalog type '${type.value}' is not supported; lakestate opens Paimon catalogs ('type' = 'paimon')`);
  }
  const metastore = optionNamed(s.options, "metastore");
  if (metastore !== undefined && metastore.value !== "filesystem") {
    failSqlUnsupported(metastore.valuePosition, `${what}: metastore '${metastore.value}' is not supported; lakestate opens filesystem catalogs ('metastore' = 'filesystem')`);
  }
  const warehouse = optionNamed(s.options, "warehouse");
  if (warehouse === undefined || warehouse.value.trim() === "") {
    failSql(warehouse?.valuePosition ?? s.name.position, `${what}: the WITH list needs 'warehouse' = '<directory or file: URL>'`);
  }
  const disabledOption = optionNamed(s.options, "disable-create-table-in-default-db");
  const disabled = disabledOption === undefined ? false : parseBooleanOption(disabledOption, what);
  const defaultOption = optionNamed(s.options, "default-database");
  if (defaultOption !== undefined && defaultOption.value.trim() === "") failSql(defaultOption.valuePosition, `${what}: 'default-database' must not be empty`);
  const defaultDatabase = defaultOption?.value ?? DEFAULT_DATABASE_NAME;
  const resolver = session.openCatalog;
  if (resolver === null) {
    failSqlUnsupported(s.position, `${what}: this session cannot open catalogs (no catalog resolver); use the runtime entry's SQL session or pass openCatalog`);
  }
  const options = Object.fromEntries(s.options.map((o) => [o.key, o.value]));
  const catalog = await atPosition(warehouse.valuePosition, what, async () => resolver({ name, warehouse: warehouse.value, options }));
  if (!disabled) {
    await atPosition(s.name.position, `${what}: creating its default database ${quoteSqlName(defaultDatabase)}`,
      () => catalog.createDatabase(defaultDatabase, { ignoreIfExists: true }));
  }
  session.addCatalog({ name, catalog, defaultDatabase, defaultDatabaseDisabled: disabled });
  return okResult(s);
}

function parseBooleanOption(o: SqlOption, what: string): boolean {
  const v = o.value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  return failSql(o.valuePosition, `${what}: option '${o.key}' = '${o.value}' must be 'true' or 'false'`);
}

/** DROP CATALOG [IF EXISTS] name. */
export function executeDropCatalog(s: DropCatalogStatement, session: SqlSession): SqlResult {
  const name = s.name.name;
  if (session.catalog(name) === undefined) {
    if (s.ifExists) return okResult(s);
    requireCatalog(session, name, s.name.position);
  }
  if (session.context.currentCatalog === name) {
    failSql(s.name.position, `DROP CATALOG ${quoteSqlName(name)}: the catalog is in use (current); USE CATALOG another one first`);
  }
  session.removeCatalog(name);
  return okResult(s);
}

/** USE CATALOG name. */
export function executeUseCatalog(s: UseCatalogStatement, session: SqlSession): SqlResult {
  const entry = requireCatalog(session, s.name.name, s.name.position);
  session.setContext(applyUseStatement(session.context, s, { defaultDatabase: entry.defaultDatabase }));
  return okResult(s);
}

/** USE [catalog.]database. */
export async function executeUseDatabase(s: UseDatabaseStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveDatabaseName(s.name, session.context);
  const entry = requireCatalog(session, id.catalog, s.name.position);
  if (id.database !== entry.defaultDatabase) {
    const what = `USE ${quoteSqlName(id.catalog)}.${quoteSqlName(id.database)}`;
    const databases = await atPosition(s.name.position, what, () => entry.catalog.listDatabases());
    if (!databases.includes(id.database)) {
      throw new SqlError("not_found", s.name.position,
        `${what}: database ${quoteSqlName(id.database)} does not exist in catalog ${quoteSqlName(id.catalog)} (databases: ${databases.map(quoteSqlName).join(", ") || "none"})`);
    }
  }
  session.setContext(applyUseStatement(session.context, s));
  return okResult(s);
}

/** CREATE DATABASE [IF NOT EXISTS] [catalog.]db [COMMENT '…'] [WITH (…)]. */
export async function executeCreateDatabase(s: CreateDatabaseStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveDatabaseName(s.name, session.context);
  const what = `CREATE DATABASE ${quoteSqlName(id.catalog)}.${quoteSqlName(id.database)}`;
  const entry = requireCatalog(session, id.catalog, s.name.position);
  const location = optionNamed(s.options, "location");
  if (location !== undefined) failSql(location.keyPosition, `${what}: a filesystem catalog does not take a database 'location'`);
  const warnings: string[] = [];
  const discarded = [...(s.comment === null ? [] : ["COMMENT"]), ...s.options.map((o) => `'${o.key}'`)];
  if (discarded.length > 0) warnings.push(`${what}: the filesystem catalog stores no database properties; discarded ${discarded.join(", ")} (as Java Paimon does)`);
  await atPosition(s.name.position, what, () => entry.catalog.createDatabase(id.database, { ignoreIfExists: s.ifNotExists }));
  return okResult(s, warnings);
}

/** DROP DATABASE [IF EXISTS] [catalog.]db [RESTRICT | CASCADE]. */
export async function executeDropDatabase(s: DropDatabaseStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveDatabaseName(s.name, session.context);
  const what = `DROP DATABASE ${quoteSqlName(id.catalog)}.${quoteSqlName(id.database)}`;
  const entry = requireCatalog(session, id.catalog, s.name.position);
  const ctx = session.context;
  if (ctx.currentCatalog === id.catalog && ctx.currentDatabase === id.database) {
    failSql(s.name.position, `${what}: the database is in use (current); USE another database first`);
  }
  await atPosition(s.name.position, what, () => entry.catalog.dropDatabase(id.database, { ignoreIfNotExists: s.ifExists, cascade: s.cascade }));
  return okResult(s);
}

/** SET ['key' = 'value']: sets a session option, or lists them (a `rows` result). */
export function executeSet(s: SetStatement, session: SqlSession): SqlResult {
  const option = s.option;
  if (option === null) {
    const rows = [...session.options()].map(([k, v]) => [k, v]);
    return { kind: "rows", statement: s.kind, position: s.position, message: rowCountMessage(rows.length), warnings: [], columns: SET_LIST_FIELDS, rows };
  }
  if (option.key === "execution.runtime-mode" && option.value.trim().toLowerCase() !== "batch") {
    failSqlUnsupported(option.valuePosition, `SET '${option.key}' = '${option.value}': lakestate runs every statement as a bounded batch job ('batch')`);
  }
  session.setOption(option.key, option.value);
  return okResult(s);
}

/** RESET ['key']: removes one session option, or all. */
export function executeReset(s: ResetStatement, session: SqlSession): SqlResult {
  session.resetOption(s.key?.key ?? null);
  return okResult(s);
}
