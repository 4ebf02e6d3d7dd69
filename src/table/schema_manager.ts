/**
 * A table's schema files (`schema/schema-N`): reading the latest schema and any schema by id,
 * creating schema-0, and committing schema changes as schema-N+1.
 *
 * Mirrors Java `SchemaManager` (`latest`, `schema`, `createTable`, `commitChanges`, `commit`):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/schema/SchemaManager.java
 * Invariants: schema ids are found by listing `schema/` (there is no hint file); a schema's id
 * equals the id in its file name (checked by the decoder). A schema file is written once, by one
 * `putIfAbsent` (Java's `tryToWriteAtomic`): of racing writers of schema-N exactly one wins, the
 * others re-read the latest schema and re-apply their changes (bounded retries). Files hold the
 * bytes of `encodeTableSchema`.
 * Imports: spec (schema, paths), io/store.ts types, errors.ts, util, table/schema_changes.ts,
 * table/snapshot_manager.ts.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { parseSchemaFileName, SCHEMA_DIR, schemaFileName } from "../spec/paths.ts";
import { decodeTableSchema, encodeTableSchema, type TableSchema } from "../spec/schema.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { applySchemaChanges, type SchemaChange } from "./schema_changes.ts";
import { latestSnapshotId } from "./snapshot_manager.ts";

/** Default number of attempts `commitSchemaChanges` makes before giving up on a busy table. */
export const SCHEMA_COMMIT_ATTEMPTS_MAX = 10;

/** Ids of every schema file present, ascending. */
export async function listSchemaIds(store: ObjectStore): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (const e of await store.list(`${SCHEMA_DIR}/`)) {
    const name = e.path.slice(SCHEMA_DIR.length + 1);
    if (name.includes("/")) continue;
    const id = parseSchemaFileName(name);
    if (id !== null) ids.push(id);
  }
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Reads `schema-<id>`; LakeError("not_found") names the file when it is missing. */
export async function readSchema(store: ObjectStore, id: bigint): Promise<TableSchema> {
  const name = schemaFileName(id);
  let bytes: Uint8Array;
  try {
    bytes = await store.get(`${SCHEMA_DIR}/${name}`);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      throw new LakeError("not_found", `schema: ${name} does not exist`, { cause: error });
    }
    throw error;
  }
  try {
    return decodeTableSchema(utf8Decode(bytes), { fileName: name });
  } catch (error) {
    // Name the damaged file: decoder messages talk about JSON positions, not paths.
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LakeError && message.includes(`${SCHEMA_DIR}/${name}`)) throw error;
    throw new LakeError(error instanceof LakeError ? error.code : "corruption", `schema: ${SCHEMA_DIR}/${name} is unreadable: ${message}`, { cause: error });
  }
}

/** The newest schema; LakeError("not_found") when the directory holds no table. */
export async function latestSchema(store: ObjectStore): Promise<TableSchema> {
  const ids = await listSchemaIds(store);
  if (ids.length === 0) throw new LakeError("not_found", `schema: no schema file under ${SCHEMA_DIR}/; this directory is not a Paimon table`);
  return readSchema(store, ids[ids.length - 1]!);
}

/** The store path of schema `id` (`schema/schema-<id>`). */
export function schemaPath(id: bigint): string {
  return `${SCHEMA_DIR}/${schemaFileName(id)}`;
}

/**
 * Creates a table: writes `schema` (which must have id 0) as `schema/schema-0` with one
 * putIfAbsent. Throws LakeError("conflict") "table already exists" when any schema file is
 * present or another writer created schema-0 first (Java: "Schema in filesystem exists,
 * creation is not allowed.").
 */
export async function createTableSchemaFile(store: ObjectStore, schema: TableSchema): Promise<void> {
  if (schema.id !== 0n) throw new LakeError("invalid_argument", `schema: a new table's schema must have id 0, got ${schema.id}`);
  const bytes = utf8Encode(encodeTableSchema(schema));
  const existing = await listSchemaIds(store);
  if (existing.length > 0 || !(await store.putIfAbsent(schemaPath(0n), bytes))) {
    throw new LakeError("conflict", `schema: table already exists (${SCHEMA_DIR}/${schemaFileName(existing[0] ?? 0n)} is present); creation is not allowed`);
  }
}

/** Options of `commitSchemaChanges`. */
export interface CommitSchemaChangesOptions {
  /** Clock for the new schema's `timeMillis`, epoch ms; default Date.now. */
  readonly nowMs?: () => number;
  /** Attempts before giving up when other writers keep taking the next id; default 10. */
  readonly attemptsMax?: number;
  /** Table name for messages ("db.t"). */
  readonly tableName?: string;
  /** Extra check of the next schema before it is written (e.g. option support); throw to refuse. */
  readonly validate?: (next: TableSchema, previous: TableSchema) => void;
}

/**
 * Applies `changes` to the latest schema and writes the result as the next schema file (Java
 * `SchemaManager.commitChanges`). When another writer wrote that id first, re-reads and retries,
 * up to `attemptsMax` attempts; then LakeError("conflict"). Throws LakeError("not_found") when
 * the store holds no table, and whatever `applySchemaChanges` or `validate` throw (nothing is
 * written then). Returns the committed schema.
 */
export async function commitSchemaChanges(store: ObjectStore, changes: readonly SchemaChange[], options: CommitSchemaChangesOptions = {}): Promise<TableSchema> {
  const attemptsMax = options.attemptsMax ?? SCHEMA_COMMIT_ATTEMPTS_MAX;
  if (!Number.isSafeInteger(attemptsMax) || attemptsMax < 1) {
    throw new LakeError("invalid_argument", `schema: attemptsMax ${attemptsMax} must be an integer >= 1`);
  }
  const nowMs = options.nowMs ?? Date.now;
  const needsSnapshots = changes.some((c) => c.kind === "setOption" || c.kind === "removeOption");
  let lastId: bigint | null = null;
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    const previous = await latestSchema(store);
    const hasSnapshots = needsSnapshots ? (await latestSnapshotId(store)) !== null : true;
    const next = applySchemaChanges(previous, changes, {
      timeMillis: BigInt(Math.floor(nowMs())), hasSnapshots, ...(options.tableName === undefined ? {} : { tableName: options.tableName }),
    });
    options.validate?.(next, previous);
    if (await store.putIfAbsent(schemaPath(next.id), utf8Encode(encodeTableSchema(next)))) return next;
    lastId = next.id;
  }
  throw new LakeError("conflict", `schema: gave up after ${attemptsMax} attempts: concurrent writers kept taking the next schema id (last tried ${SCHEMA_DIR}/${schemaFileName(lastId!)}); nothing was written`);
}
