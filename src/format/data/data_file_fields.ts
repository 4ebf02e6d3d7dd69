/**
 * The physical columns of a Paimon data file, as DataFields: for primary-key tables
 * `_KEY_<k>` per trimmed primary key (id 1073741823 + id), `_SEQUENCE_NUMBER` (BIGINT NOT NULL,
 * id 2147483646), `_VALUE_KIND` (TINYINT NOT NULL, id 2147483645), then every table column;
 * for append tables the table columns alone. Shared by every data-file writer format.
 *
 * Invariants: names and ids are persisted (readers match columns by name, newer ones by id);
 * the order is Java's `KeyValue.createKeyValueFields(keyFields, valueFields)`.
 *
 * Mirrors `org.apache.paimon.KeyValue#schema`, `org.apache.paimon.table.SpecialFields` and
 * `PrimaryKeyTableUtils#addKeyNamePrefix`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/KeyValue.java
 * https://github.com/apache/paimon/blob/master/paimon-api/src/main/java/org/apache/paimon/table/SpecialFields.java
 *
 * Imports: errors.ts, spec/data_types.ts, spec/schema.ts.
 */
import { LakeError } from "../../errors.ts";
import { atomic, type DataField } from "../../spec/data_types.ts";
import { SYSTEM_FIELD_ID_START, trimmedPrimaryKeys, type TableSchema } from "../../spec/schema.ts";

/** Name prefix of key columns in primary-key data files (persisted). */
export const KEY_FIELD_PREFIX = "_KEY_";
/** Added to a primary-key field's id to get its key column's id (Java `KEY_FIELD_ID_START`). */
export const KEY_FIELD_ID_START = SYSTEM_FIELD_ID_START;
/** `_SEQUENCE_NUMBER`: BIGINT NOT NULL, id Integer.MAX_VALUE - 1 (persisted). */
export const SEQUENCE_NUMBER_FIELD: DataField = Object.freeze({ id: 2147483646, name: "_SEQUENCE_NUMBER", type: atomic("BIGINT", { nullable: false }) });
/** `_VALUE_KIND`: TINYINT NOT NULL holding the RowKind byte, id Integer.MAX_VALUE - 2 (persisted). */
export const VALUE_KIND_FIELD: DataField = Object.freeze({ id: 2147483645, name: "_VALUE_KIND", type: atomic("TINYINT", { nullable: false }) });
/** Field names Java treats as system fields besides `_KEY_*` (`SpecialFields.SYSTEM_FIELD_NAMES`). */
export const SYSTEM_FIELD_NAMES: ReadonlySet<string> = new Set(["_SEQUENCE_NUMBER", "_VALUE_KIND", "_LEVEL", "rowkind", "_ROW_ID"]);

/** Java `SpecialFields.isSystemField(String)`: `_KEY_*` or one of `SYSTEM_FIELD_NAMES`. */
export function isSystemFieldName(name: string): boolean {
  return name.startsWith(KEY_FIELD_PREFIX) || SYSTEM_FIELD_NAMES.has(name);
}

/** The schema fields of the trimmed primary keys (primary keys minus partition keys), in key order. */
export function trimmedPrimaryKeyFields(schema: TableSchema): DataField[] {
  return trimmedPrimaryKeys(schema).map((name) => {
    const field = schema.fields.find((f) => f.name === name);
    if (field === undefined) throw new LakeError("invalid_argument", `data file: primary key ${JSON.stringify(name)} is not a field of schema ${schema.id}`);
    return field;
  });
}

/** The `_KEY_<k>` fields of a primary-key data file (Java `addKeyNamePrefix`). */
export function keyColumnFields(schema: TableSchema): DataField[] {
  return trimmedPrimaryKeyFields(schema).map((f) => ({ id: f.id + KEY_FIELD_ID_START, name: KEY_FIELD_PREFIX + f.name, type: f.type }));
}

/**
 * All physical columns of a data file of `schema`, in file order. Requires: `primaryKey` only
 * for schemas with primary keys (else LakeError("invalid_argument")).
 */
export function dataFileFields(schema: TableSchema, primaryKey: boolean): DataField[] {
  if (!primaryKey) return [...schema.fields];
  const keys = keyColumnFields(schema);
  if (keys.length === 0) throw new LakeError("invalid_argument", `data file: schema ${schema.id} has no trimmed primary key, so it cannot have primary-key data files`);
  return [...keys, SEQUENCE_NUMBER_FIELD, VALUE_KIND_FIELD, ...schema.fields];
}
