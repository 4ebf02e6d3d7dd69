/**
 * The state a SQL session keeps between statements: the catalogs it knows by name, the current
 * catalog and database, and the session options of SET; plus the narrow views of a catalog and
 * a table that executing statements needs (the filesystem `Catalog` and `Table` of api/ satisfy
 * them) and how CREATE CATALOG opens a catalog (a resolver the runtime entry supplies).
 *
 * Rules (Flink's `CatalogManager` + Paimon's `FlinkCatalog`):
 *  - Catalog names are unique in a session; CREATE CATALOG of a known name is an error unless
 *    IF NOT EXISTS. The current catalog cannot be dropped.
 *  - `default-database` (default `default`) is the database USE CATALOG switches to. Java's
 *    FlinkCatalog creates it when it opens the catalog (unless
 *    `disable-create-table-in-default-db`); the executor does so for CREATE CATALOG.
 *  - Session options: SET keys of the form `paimon.<catalog>.<database>.<table>.<key>` (each of
 *    the three may be `*`) are dynamic options of the tables they match, as Paimon's
 *    `AbstractFlinkTableFactory#getDynamicConfigOptions` reads them; any other key that is a
 *    Paimon table option is a dynamic option of every table; the rest (Flink settings, `paimon.`
 *    keys for other tables) are not table options.
 *    A more specific match (fewer `*`) wins over a less specific one.
 *
 * Imports: errors.ts, spec (types; option_support.ts), table (types: predicate, schema_changes,
 * table_read), api/table.ts (types), api/sql/names.ts.
 * Mirrors: Flink `CatalogManager`, Paimon `FlinkCatalog`, `FlinkCatalogFactory`.
 * https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/FlinkCatalog.java
 */
import { LakeError } from "../../errors.ts";
import type { DataField } from "../../spec/data_types.ts";
import { isKnownOptionKey } from "../../spec/option_support.ts";
import type { TableSchema } from "../../spec/schema.ts";
import type { Value } from "../../spec/values.ts";
import type { Predicate } from "../../table/predicate.ts";
import type { SchemaChange } from "../../table/schema_changes.ts";
import type { ReadResult } from "../../table/table_read.ts";
import type { ReadOptions } from "../table.ts";
import { DEFAULT_CATALOG_NAME, DEFAULT_DATABASE_NAME, type SqlContext, type TableIdentifier } from "./names.ts";

/** What a table write returns (the snapshots it committed). */
export interface SqlWriteResult {
  readonly snapshotIds: readonly bigint[];
}

/** What executing statements needs of a table (api/table.ts `Table` satisfies it). */
export interface SqlTable {
  readonly schema: TableSchema;
  /** The fields a read with these options returns (time travel uses that snapshot's schema). */
  readFields(options?: ReadOptions): Promise<DataField[]>;
  /** Reads split by split (see `Table.readBatches`). */
  readBatches(options?: ReadOptions): AsyncGenerator<ReadResult>;
  /** One-shot write and commit of rows keyed by column name. */
  write(rows: Iterable<Record<string, Value>>, opts?: { options?: Record<string, string> }): Promise<SqlWriteResult>;
  /** Batch DELETE of the rows matching `filter` (null: every row). */
  deleteWhere(filter: Predicate | null, opts?: { options?: Record<string, string> }): Promise<SqlWriteResult>;
}

/** The table definition `catalog.createTable` takes (fields already numbered by the planner). */
export interface SqlTableSpec {
  readonly fields: readonly DataField[];
  readonly primaryKeys?: readonly string[];
  readonly partitionKeys?: readonly string[];
  readonly options?: Record<string, string>;
  readonly comment?: string | null;
}

/** What executing statements needs of a catalog (api/catalog.ts `Catalog` satisfies it). */
export interface SqlCatalog {
  listDatabases(): Promise<string[]>;
  getTable(identifier: string): Promise<SqlTable>;
  createDatabase(name: string, opts?: { ignoreIfExists?: boolean }): Promise<void>;
  dropDatabase(name: string, opts?: { ignoreIfNotExists?: boolean; cascade?: boolean }): Promise<void>;
  createTable(identifier: string, spec: SqlTableSpec, opts?: { ignoreIfExists?: boolean }): Promise<unknown>;
  dropTable(identifier: string, opts?: { ignoreIfNotExists?: boolean }): Promise<void>;
  alterTable(identifier: string, changes: readonly SchemaChange[], opts?: { ignoreIfNotExists?: boolean }): Promise<unknown>;
  /** Optional: ALTER TABLE … RENAME TO is unsupported without it. */
  renameTable?(from: string, to: string, opts?: { ignoreIfNotExists?: boolean }): Promise<unknown>;
}

/** What CREATE CATALOG asks a resolver for. */
export interface CatalogRequest {
  /** The catalog name in the session. */
  readonly name: string;
  /** The `warehouse` option as written (a path, a `file:` URL, or whatever the resolver understands). */
  readonly warehouse: string;
  /** Every option of the WITH list. */
  readonly options: Readonly<Record<string, string>>;
}

/** Opens the catalog of CREATE CATALOG; throws LakeError for a warehouse it cannot open. */
export type CatalogResolver = (request: CatalogRequest) => SqlCatalog | Promise<SqlCatalog>;

/** A catalog of the session with its CREATE CATALOG settings. */
export interface SessionCatalog {
  readonly name: string;
  readonly catalog: SqlCatalog;
  /** The database USE CATALOG switches to (`default-database`). */
  readonly defaultDatabase: string;
  /** `disable-create-table-in-default-db` = true: CREATE TABLE in the default database is refused. */
  readonly defaultDatabaseDisabled: boolean;
}

/** Options of a new session. */
export interface SqlSessionOptions {
  /**
   * Catalogs known before any statement, by name. The CLI registers its warehouse argument as
   * `default_catalog`, the catalog a Flink session starts in.
   */
  readonly catalogs?: Readonly<Record<string, SqlCatalog>>;
  /** The current catalog at the start; default `default_catalog`. */
  readonly currentCatalog?: string;
  /** The current database at the start; default `default`. */
  readonly currentDatabase?: string;
  /** Opens catalogs for CREATE CATALOG; without it CREATE CATALOG is unsupported. */
  readonly openCatalog?: CatalogResolver;
  /** Clock for schema creation times, in epoch milliseconds; default `Date.now`. */
  readonly nowMs?: () => number;
}

/** Prefix of table-scoped dynamic options (Paimon `FlinkConnectorOptions.TABLE_DYNAMIC_OPTION_PREFIX`). */
export const TABLE_DYNAMIC_OPTION_PREFIX = "paimon.";
const WILDCARD = "*";

/** A SQL session: catalogs, current catalog/database, session options. Not safe for concurrent `executeSql`. */
export class SqlSession {
  readonly #catalogs = new Map<string, SessionCatalog>();
  readonly #options = new Map<string, string>();
  #context: SqlContext;
  /** Opens catalogs for CREATE CATALOG, or null. */
  readonly openCatalog: CatalogResolver | null;
  /** The session clock (epoch milliseconds). */
  readonly nowMs: () => number;

  constructor(options: SqlSessionOptions = {}) {
    for (const [name, catalog] of Object.entries(options.catalogs ?? {})) {
      this.addCatalog({ name, catalog, defaultDatabase: DEFAULT_DATABASE_NAME, defaultDatabaseDisabled: false });
    }
    this.#context = {
      currentCatalog: options.currentCatalog ?? DEFAULT_CATALOG_NAME,
      currentDatabase: options.currentDatabase ?? DEFAULT_DATABASE_NAME,
    };
    this.openCatalog = options.openCatalog ?? null;
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Where unqualified names resolve now. */
  get context(): SqlContext {
    return this.#context;
  }

  /** Changes the current catalog and database (USE). The executor checks they exist. */
  setContext(context: SqlContext): void {
    this.#context = context;
  }

  /** The catalog named `name`, or undefined. */
  catalog(name: string): SessionCatalog | undefined {
    return this.#catalogs.get(name);
  }

  /** Names of the session's catalogs, in the order they were added. */
  catalogNames(): string[] {
    return [...this.#catalogs.keys()];
  }

  /** Adds a catalog. Throws LakeError("conflict") when the name is taken. */
  addCatalog(entry: SessionCatalog): void {
    if (this.#catalogs.has(entry.name)) throw new LakeError("conflict", `sql session: catalog ${entry.name} already exists`);
    this.#catalogs.set(entry.name, entry);
  }

  /** Removes a catalog; returns false when there was none of that name. */
  removeCatalog(name: string): boolean {
    return this.#catalogs.delete(name);
  }

  /** The session options set by SET, in the order first set. */
  options(): ReadonlyMap<string, string> {
    return this.#options;
  }

  /** SET 'key' = 'value'. */
  setOption(key: string, value: string): void {
    this.#options.set(key, value);
  }

  /** RESET 'key' (true when it was set), or RESET of every key when `key` is null. */
  resetOption(key: string | null): boolean {
    if (key === null) {
      const had = this.#options.size > 0;
      this.#options.clear();
      return had;
    }
    return this.#options.delete(key);
  }

  /**
   * The dynamic table options the session options give table `id` (see the header): global
   * Paimon option keys first, then `paimon.` keys from the least to the most specific match.
   */
  dynamicTableOptions(id: TableIdentifier): Record<string, string> {
    const out: Record<string, string> = {};
    const scoped: { key: string; value: string; wildcards: number; order: number }[] = [];
    let order = 0;
    for (const [key, value] of this.#options) {
      order++;
      const match = matchScopedOption(key, id);
      if (match !== null) scoped.push({ key: match.key, value, wildcards: match.wildcards, order });
      else if (!key.startsWith(TABLE_DYNAMIC_OPTION_PREFIX) && isKnownOptionKey(key)) out[key] = value;
    }
    scoped.sort((a, b) => b.wildcards - a.wildcards || a.order - b.order);
    for (const s of scoped) out[s.key] = s.value;
    return out;
  }
}

const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/**
 * The local directory a filesystem warehouse names: a path as is (relative paths are the
 * store's business: the runtime stores resolve them against the current directory), or the path
 * of a `file:` URL (`file:/tmp/wh`, `file:///tmp/wh`, `file://localhost/tmp/wh`, percent-escapes
 * decoded). Other schemes (`s3://`, `hdfs://`, `oss://`) are LakeError("unsupported").
 */
export function localWarehousePath(warehouse: string): string {
  const scheme = URL_SCHEME.exec(warehouse)?.[1]?.toLowerCase();
  if (scheme === undefined) return warehouse;
  if (scheme !== "file") {
    throw new LakeError("unsupported", `catalog: warehouse ${JSON.stringify(warehouse)}: scheme ${scheme}: is not supported here; give a local directory or a file: URL`);
  }
  let url: URL;
  try {
    url = new URL(warehouse);
  } catch {
    throw new LakeError("invalid_argument", `catalog: warehouse ${JSON.stringify(warehouse)} is not a valid file: URL`);
  }
  if (url.host !== "" && url.host !== "localhost") {
    throw new LakeError("unsupported", `catalog: warehouse ${JSON.stringify(warehouse)} names host ${url.host}; only local file: URLs are supported`);
  }
  return decodeURIComponent(url.pathname);
}

/**
 * Matches `paimon.<catalog>.<database>.<table>.<key>` against `id` (each part the name or `*`);
 * returns the option key and how many parts were `*`, or null when the key does not match.
 */
export function matchScopedOption(key: string, id: TableIdentifier): { key: string; wildcards: number } | null {
  if (!key.startsWith(TABLE_DYNAMIC_OPTION_PREFIX)) return null;
  let rest = key.slice(TABLE_DYNAMIC_OPTION_PREFIX.length);
  let wildcards = 0;
  for (const name of [id.catalog, id.database, id.table]) {
    if (rest.startsWith(WILDCARD + ".")) {
      wildcards++;
      rest = rest.slice(WILDCARD.length + 1);
    } else if (rest.startsWith(name + ".")) {
      rest = rest.slice(name.length + 1);
    } else {
      return null;
    }
  }
  return rest === "" ? null : { key: rest, wildcards };
}
