/**
 * The filesystem catalog over a warehouse store: databases are `<name>.db` directories, tables
 * are directories inside them holding `schema/schema-N` (Java `FileSystemCatalog`). Lists,
 * opens, creates, alters and drops databases and tables.
 *
 * Mirrors https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/catalog/FileSystemCatalog.java
 * and its base `AbstractCatalog` (existence checks, system database `sys`, errors).
 * Invariants:
 *  - A database exists while its directory does (created empty by `createDatabase` through the
 *    store's directory capability, io/store.ts), as Java's `fileIO.exists(<name>.db)`; so Java
 *    sees the databases created here and this catalog sees Java's.
 *  - A table exists when its `schema/` directory holds a schema file; schema-0 is created with
 *    one putIfAbsent and schema changes commit as the next schema file (table/schema_manager.ts),
 *    so concurrent creators and alterers never overwrite each other.
 *  - Names are validated (no '/', not empty, no surrounding spaces) before they become paths.
 *  - Tables created here pass option validation for writing; an ALTER never makes a table
 *    unreadable, nor unwritable when it was writable before.
 * Imports: errors.ts, io (store, prefixed_store), spec (paths, option_support, schema types),
 * table (schema_manager, schema_create, schema_changes types), api/table.ts.
 */
import { LakeError } from "../errors.ts";
import { prefixedStore } from "../io/prefixed_store.ts";
import { deleteDirectory, listDirectories, makeDirectory, type ObjectStore } from "../io/store.ts";
import { DATABASE_DIR_SUFFIX } from "../spec/paths.ts";
import { validateTableOptions } from "../spec/option_support.ts";
import { validatePartitionExpiration, validatePartitionExpirationChange } from "../table/expire_partitions.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { SchemaChange } from "../table/schema_changes.ts";
import { newTableSchema, type TableSpec } from "../table/schema_create.ts";
import { commitSchemaChanges, createTableSchemaFile, listSchemaIds } from "../table/schema_manager.ts";
import { exportStoreZip, importZipToStore } from "../io/zip_store.ts";
import type { ZipEntry } from "../util/zip.ts";
import { executeSql, SqlSession, type CatalogResolver, type SqlResult } from "./sql/execute.ts";
import { Table } from "./table.ts";

export type { TableSpec } from "../table/schema_create.ts";
export type { SchemaChange } from "../table/schema_changes.ts";

/** Java's system database (`Catalog.SYSTEM_DATABASE_NAME`): no DDL on it. */
export const SYSTEM_DATABASE_NAME = "sys";

/** Splits "db.table" (the table name may itself contain dots only after the first one). */
export function parseTableIdentifier(identifier: string): { database: string; table: string } {
  const dot = identifier.indexOf(".");
  if (dot <= 0 || dot === identifier.length - 1) {
    throw new LakeError("invalid_argument", `catalog: table identifier ${JSON.stringify(identifier)} must be "database.table"`);
  }
  const database = identifier.slice(0, dot), table = identifier.slice(dot + 1);
  checkName("database", database);
  checkName("table", table);
  return { database, table };
}

function checkName(what: "database" | "table", name: string): void {
  if (name === "" || name.includes("/") || name.trim() !== name) {
    throw new LakeError("invalid_argument", `catalog: ${what} name ${JSON.stringify(name)} may not be empty or contain '/' or surrounding spaces`);
  }
}

/** The identifier of a DDL target: no system database, no system or branch table (`t$…`). */
function ddlIdentifier(identifier: string, method: string): { database: string; table: string } {
  const id = parseTableIdentifier(identifier);
  if (id.database === SYSTEM_DATABASE_NAME || id.table.includes("$")) {
    throw new LakeError("invalid_argument", `catalog: Cannot '${method}' for system table '${identifier}', please use data table.`);
  }
  return id;
}

function checkDatabaseName(name: string): void {
  checkName("database", name);
  if (name === SYSTEM_DATABASE_NAME) throw new LakeError("invalid_argument", `catalog: Can't do operation on system database (${JSON.stringify(name)}).`);
}

/** Options of a catalog. */
export interface CatalogOptions {
  readonly warehouse: ObjectStore;
  /** Clock for schema `timeMillis`, epoch ms; default Date.now. */
  readonly nowMs?: () => number;
  /** Opens the warehouses of SQL `CREATE CATALOG` statements run by `sql` (runtime entries supply one). */
  readonly openCatalog?: CatalogResolver;
}

/** A catalog over one warehouse store. */
export class Catalog {
  readonly warehouse: ObjectStore;
  readonly #nowMs: () => number;
  readonly #openCatalog: CatalogResolver | undefined;

  /**
   * A catalog over `warehouse`; `options.nowMs` is the clock of new schemas (default Date.now),
   * `options.openCatalog` opens the warehouses of SQL `CREATE CATALOG` statements.
   */
  constructor(warehouse: ObjectStore, options: { nowMs?: () => number; openCatalog?: CatalogResolver } = {}) {
    this.warehouse = warehouse;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#openCatalog = options.openCatalog;
  }

  /**
   * Runs Flink SQL statements (see api/sql/execute.ts) with this catalog as the session's
   * current catalog `default_catalog`, database `default`; one result per statement. A failing
   * statement throws SqlStatementError at its line and column; the statements before it stay applied.
   */
  sql(text: string): Promise<SqlResult[]> {
    const session = new SqlSession({
      catalogs: { default_catalog: this }, nowMs: this.#nowMs,
      ...(this.#openCatalog === undefined ? {} : { openCatalog: this.#openCatalog }),
    });
    return executeSql(text, session);
  }

  /** Database names (directories `<name>.db` directly in the warehouse), sorted. */
  async listDatabases(): Promise<string[]> {
    const names: string[] = [];
    for (const dir of await listDirectories(this.warehouse, "")) {
      if (dir.endsWith(DATABASE_DIR_SUFFIX) && dir.length > DATABASE_DIR_SUFFIX.length) names.push(dir.slice(0, -DATABASE_DIR_SUFFIX.length));
    }
    return names.sort();
  }

  /** True when database `name` exists (its `<name>.db` directory does). */
  async databaseExists(name: string): Promise<boolean> {
    checkName("database", name);
    return (await listDirectories(this.warehouse, "")).includes(databaseDir(name));
  }

  /** Table names of `database` (its directories holding `schema/schema-N`), sorted. */
  async listTables(database: string): Promise<string[]> {
    await this.#requireDatabase(database);
    const dirs = await listDirectories(this.warehouse, databaseDir(database));
    const isTable = await Promise.all(dirs.map(async (d) => (await listSchemaIds(this.#tableStore(database, d))).length > 0));
    return dirs.filter((_, i) => isTable[i]).sort();
  }

  /** True when table `database.table` exists (a schema file is present). */
  async tableExists(identifier: string): Promise<boolean> {
    const { database, table } = parseTableIdentifier(identifier);
    return (await listSchemaIds(this.#tableStore(database, table))).length > 0;
  }

  /** Opens `database.table`. */
  async getTable(identifier: string): Promise<Table> {
    const { database, table } = parseTableIdentifier(identifier);
    return Table.open(this.#tableStore(database, table), { name: identifier });
  }

  /**
   * Creates database `name` (its `<name>.db` directory). LakeError("conflict") when it exists,
   * unless `ignoreIfExists`. Needs a store with directories (LakeError("unsupported") otherwise).
   */
  async createDatabase(name: string, opts: { ignoreIfExists?: boolean } = {}): Promise<void> {
    checkDatabaseName(name);
    if (await this.databaseExists(name)) {
      if (opts.ignoreIfExists === true) return;
      throw new LakeError("conflict", `catalog: Database ${name} already exists.`);
    }
    await makeDirectory(this.warehouse, databaseDir(name));
  }

  /**
   * Drops database `name` with everything in it. LakeError("not_found") when it does not exist
   * (unless `ignoreIfNotExists`); LakeError("conflict") when it holds tables and `cascade` is
   * not true.
   */
  async dropDatabase(name: string, opts: { ignoreIfNotExists?: boolean; cascade?: boolean } = {}): Promise<void> {
    checkDatabaseName(name);
    if (!(await this.databaseExists(name))) {
      if (opts.ignoreIfNotExists === true) return;
      throw new LakeError("not_found", `catalog: Database ${name} does not exist.`);
    }
    if (opts.cascade !== true && (await this.listTables(name)).length > 0) {
      throw new LakeError("conflict", `catalog: Database ${name} is not empty.`);
    }
    await deleteDirectory(this.warehouse, databaseDir(name));
  }

  /**
   * Creates table `database.table` from `spec` (table/schema_create.ts: exactly one of columns
   * and fields) and returns it opened. The options must be writable by lakestate
   * (spec/option_support.ts). LakeError("not_found") for a missing database, ("conflict") when
   * the table exists (unless `ignoreIfExists`: the existing table is returned).
   */
  async createTable(identifier: string, spec: TableSpec, opts: { ignoreIfExists?: boolean } = {}): Promise<Table> {
    const { database, table } = ddlIdentifier(identifier, "createTable");
    const schema = newTableSchema(spec, { timeMillis: BigInt(Math.floor(this.#nowMs())) });
    validateTableOptions(schema.options, { primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, use: "write" });
    validatePartitionExpiration(schema); // a pattern that cannot parse the partitions fails now, not never expires
    await this.#requireDatabase(database);
    const store = this.#tableStore(database, table);
    const exists = (): LakeError => new LakeError("conflict", `catalog: Table ${identifier} already exists.`);
    if ((await listSchemaIds(store)).length > 0) {
      if (opts.ignoreIfExists === true) return this.getTable(identifier);
      throw exists();
    }
    try {
      await createTableSchemaFile(store, schema);
    } catch (error) {
      if (!(error instanceof LakeError && error.code === "conflict")) throw error;
      if (opts.ignoreIfExists === true) return this.getTable(identifier);
      throw exists();
    }
    return Table.open(store, { name: identifier });
  }

  /**
   * Drops table `database.table`: deletes its directory and everything in it (Java
   * `FileIO.delete(tablePath, true)`). LakeError("not_found") when it does not exist, unless
   * `ignoreIfNotExists`.
   */
  async dropTable(identifier: string, opts: { ignoreIfNotExists?: boolean } = {}): Promise<void> {
    const { database, table } = ddlIdentifier(identifier, "dropTable");
    if (!(await this.tableExists(identifier))) {
      if (opts.ignoreIfNotExists === true) return;
      throw new LakeError("not_found", `catalog: Table ${identifier} does not exist.`);
    }
    await deleteDirectory(this.warehouse, `${databaseDir(database)}/${table}`);
  }

  /**
   * Applies `changes` to table `database.table` as one new schema (Java `alterTable`; see
   * table/schema_changes.ts for what is allowed) and returns the table opened at it.
   * LakeError("not_found") when the table does not exist: with `ignoreIfNotExists` the call
   * does nothing and returns null. Concurrent alters both land, as consecutive schemas.
   */
  alterTable(identifier: string, changes: readonly SchemaChange[], opts?: { ignoreIfNotExists?: false }): Promise<Table>;
  alterTable(identifier: string, changes: readonly SchemaChange[], opts: { ignoreIfNotExists?: boolean }): Promise<Table | null>;
  async alterTable(identifier: string, changes: readonly SchemaChange[], opts: { ignoreIfNotExists?: boolean } = {}): Promise<Table | null> {
    const { database, table } = ddlIdentifier(identifier, "alterTable");
    const store = this.#tableStore(database, table);
    if ((await listSchemaIds(store)).length === 0) {
      if (opts.ignoreIfNotExists === true) return null;
      throw new LakeError("not_found", `catalog: Table ${identifier} does not exist.`);
    }
    await commitSchemaChanges(store, changes, { nowMs: this.#nowMs, tableName: identifier, validate: checkAlteredOptions });
    return Table.open(store, { name: identifier });
  }

  /**
   * The files of table `database.table` as a ZIP archive (io/zip_store.ts `exportStoreZip`):
   * paths relative to the table directory, so unzipping gives a table directory Java Paimon and
   * `openTable` read, and `importTable` takes it back. LakeError("not_found") for a missing table.
   */
  async exportTable(identifier: string): Promise<Uint8Array<ArrayBuffer>> {
    const { database, table } = parseTableIdentifier(identifier);
    if (!(await this.tableExists(identifier))) throw new LakeError("not_found", `catalog: Table ${identifier} does not exist.`);
    return exportStoreZip(this.warehouse, `${databaseDir(database)}/${table}`);
  }

  /**
   * Imports the Paimon table held by `zip` (archive bytes or unpacked entries, e.g. a picked
   * directory; io/zip_store.ts `importZipToStore` finds the table root) as `database.table`,
   * creating the database when missing, then checks that the table opens and its latest
   * snapshot reads, and returns it opened. LakeError("conflict") when the table exists;
   * ("invalid_argument") for an archive without exactly one table or an occupied table
   * directory. When the check fails, everything this call wrote (files, a database it created)
   * is removed and the error says why, with the reader's error code.
   */
  async importTable(identifier: string, zip: Uint8Array | readonly ZipEntry[]): Promise<Table> {
    const { database, table } = ddlIdentifier(identifier, "importTable");
    checkDatabaseName(database);
    if (await this.tableExists(identifier)) throw new LakeError("conflict", `catalog: Table ${identifier} already exists.`);
    const createdDatabase = !(await this.databaseExists(database));
    if (createdDatabase && this.warehouse.makeDirectory !== undefined) await makeDirectory(this.warehouse, databaseDir(database));
    const dir = `${databaseDir(database)}/${table}`;
    const undo = async (): Promise<void> => {
      await deleteDirectory(this.warehouse, createdDatabase ? databaseDir(database) : dir).catch(() => {});
    };
    try {
      await importZipToStore(this.warehouse, dir, zip);
    } catch (error) {
      if (createdDatabase) await undo();
      throw error;
    }
    try {
      const opened = await Table.open(this.#tableStore(database, table), { name: identifier });
      await opened.readColumns();
      return opened;
    } catch (error) {
      await undo();
      const code = error instanceof LakeError ? error.code : "corruption";
      const reason = error instanceof Error ? error.message : String(error);
      throw new LakeError(code, `catalog: imported table ${identifier} does not read (${reason}); the imported files were removed`, { cause: error });
    }
  }

  async #requireDatabase(database: string): Promise<void> {
    if (!(await this.databaseExists(database))) {
      throw new LakeError("not_found", `catalog: database ${JSON.stringify(database)} does not exist`);
    }
  }

  #tableStore(database: string, table: string): ObjectStore {
    return prefixedStore(this.warehouse, `${databaseDir(database)}/${table}`);
  }
}

function databaseDir(name: string): string {
  return `${name}${DATABASE_DIR_SUFFIX}`;
}

/** An altered table stays readable, and writable when it was writable before. */
function checkAlteredOptions(next: TableSchema, previous: TableSchema): void {
  validatePartitionExpirationChange(next, previous);
  const keys = (s: TableSchema) => ({ primaryKeys: s.primaryKeys, partitionKeys: s.partitionKeys });
  validateTableOptions(next.options, { ...keys(next), use: "read" });
  let writable = true;
  try {
    validateTableOptions(previous.options, { ...keys(previous), use: "write" });
  } catch {
    writable = false;
  }
  if (writable) validateTableOptions(next.options, { ...keys(next), use: "write" });
}

/** Opens a catalog over a warehouse store (the universal form; runtime entries also take paths). */
export function openCatalog(options: CatalogOptions): Catalog {
  return new Catalog(options.warehouse, {
    ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    ...(options.openCatalog === undefined ? {} : { openCatalog: options.openCatalog }),
  });
}

/** Opens the table at the root of `store`. */
export function openTable(store: ObjectStore, options: { name?: string } = {}): Promise<Table> {
  return Table.open(store, options);
}
