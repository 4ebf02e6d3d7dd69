/**
 * Reads a table's schema files (`schema/schema-N`): the latest schema and any schema by id.
 *
 * Mirrors the read side of Java `SchemaManager`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/schema/SchemaManager.java
 * Invariants: schema ids are found by listing `schema/` (there is no hint file); a schema's id
 * equals the id in its file name (checked by the decoder).
 * Imports: spec (schema, paths), io/store.ts types, errors.ts, util.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { parseSchemaFileName, SCHEMA_DIR, schemaFileName } from "../spec/paths.ts";
import { decodeTableSchema, type TableSchema } from "../spec/schema.ts";
import { utf8Decode } from "../util/bytes.ts";

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
