/**
 * The filesystem catalog over a warehouse store: databases are `<name>.db` directories, tables
 * are directories inside them holding `schema/` (Java `FileSystemCatalog`).
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/catalog/FileSystemCatalog.java
 * Invariants: read-only for now (create/alter/drop arrive with the write issue); names are
 * validated (no '/', not empty) before they become paths.
 * Imports: io (store, prefixed_store), spec/paths.ts, api/table.ts.
 */
import { LakeError } from "../errors.ts";
import { prefixedStore } from "../io/prefixed_store.ts";
import type { ObjectStore } from "../io/store.ts";
import { DATABASE_DIR_SUFFIX, SCHEMA_DIR } from "../spec/paths.ts";
import { Table } from "./table.ts";

/** Splits "db.table" (the table name may itself contain dots only after the first one). */
export function parseTableIdentifier(identifier: string): { database: string; table: string } {
  const dot = identifier.indexOf(".");
  if (dot <= 0 || dot === identifier.length - 1) {
    throw new LakeError("invalid_argument", `catalog: table identifier ${JSON.stringify(identifier)} must be "database.table"`);
  }
  const database = identifier.slice(0, dot), table = identifier.slice(dot + 1);
  for (const [what, name] of [["database", database], ["table", table]] as const) {
    if (name.includes("/") || name.trim() !== name) throw new LakeError("invalid_argument", `catalog: ${what} name ${JSON.stringify(name)} may not contain '/' or surrounding spaces`);
  }
  return { database, table };
}

/** A catalog over one warehouse store. */
export class Catalog {
  readonly warehouse: ObjectStore;

  constructor(warehouse: ObjectStore) {
    this.warehouse = warehouse;
  }

  /** Database names (directories ending in `.db` that hold at least one file), sorted. */
  async listDatabases(): Promise<string[]> {
    // TODO(#4): a delimiter listing in ObjectStore would avoid listing every object here.
    const names = new Set<string>();
    for (const e of await this.warehouse.list("")) {
      const top = e.path.slice(0, e.path.indexOf("/"));
      if (top.endsWith(DATABASE_DIR_SUFFIX) && top.length > DATABASE_DIR_SUFFIX.length) names.add(top.slice(0, -DATABASE_DIR_SUFFIX.length));
    }
    return [...names].sort();
  }

  /** Table names of `database` (directories holding `schema/schema-N`), sorted. */
  async listTables(database: string): Promise<string[]> {
    const prefix = `${database}${DATABASE_DIR_SUFFIX}/`;
    const entries = await this.warehouse.list(prefix);
    if (entries.length === 0 && !(await this.listDatabases()).includes(database)) {
      throw new LakeError("not_found", `catalog: database ${JSON.stringify(database)} does not exist`);
    }
    const names = new Set<string>();
    for (const e of entries) {
      const parts = e.path.slice(prefix.length).split("/");
      if (parts.length === 3 && parts[1] === SCHEMA_DIR && parts[2]!.startsWith("schema-")) names.add(parts[0]!);
    }
    return [...names].sort();
  }

  /** Opens `database.table`. */
  async getTable(identifier: string): Promise<Table> {
    const { database, table } = parseTableIdentifier(identifier);
    return Table.open(prefixedStore(this.warehouse, `${database}${DATABASE_DIR_SUFFIX}/${table}`), { name: identifier });
  }
}

/** Opens a catalog over a warehouse store (the universal form; runtime entries also take paths). */
export function openCatalog(options: { warehouse: ObjectStore }): Catalog {
  return new Catalog(options.warehouse);
}

/** Opens the table at the root of `store`. */
export function openTable(store: ObjectStore, options: { name?: string } = {}): Promise<Table> {
  return Table.open(store, options);
}
