/**
 * ALTER TABLE: the schema changes a caller can ask for and the next schema Java would compute
 * for them (`SchemaManager.generateTableSchema`), checks and messages included.
 *
 * The next schema: id = old id + 1, version 3, the caller's time; new columns take ids after
 * `highestFieldId` (spec/field_ids.ts), renames keep the id, drops leave `highestFieldId` as it
 * was; options go through the Java HashMaps Java uses (table/schema_options.ts) so they are
 * written in Java's order; keys given as options `primary-key` / `partition` move into the key
 * lists as Java's `Schema` does; primary-key columns are NOT NULL; the result passes
 * `validateTableSchema`.
 * Refused as Java refuses them: NOT NULL added columns; dropping, renaming or retyping partition
 * columns; dropping or retyping primary-key columns (renaming them is allowed and renames the key);
 * dropping the last column; names that exist or do not; type changes outside
 * `DataTypeCasts.supportsCast` + `CastExecutors` (spec/data_type_casts.ts); nullable to NOT NULL
 * unless `alter-column-null-to-not-null.disabled` = false; and, once the table has snapshots,
 * changes of immutable options. Column directives (comments starting `__BLOB` / `__VECTOR`) are
 * LakeError("unsupported").
 *
 * Mirrors (release-2.0): https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/schema/SchemaManager.java
 * and `org.apache.paimon.schema.SchemaChange` (top-level columns only: no nested paths).
 * Imports: errors.ts, util/java_hash_map.ts, spec (data_types, data_type_casts, field_ids, schema),
 * table/schema_options.ts.
 */
import { LakeError } from "../errors.ts";
import { describeType, parseTypeString, withNullable, type DataField, type DataType } from "../spec/data_types.ts";
import { castRuleExists, supportsCast } from "../spec/data_type_casts.ts";
import { numberColumn } from "../spec/field_ids.ts";
import { SCHEMA_VERSION_CURRENT, validateTableSchema, type TableSchema } from "../spec/schema.ts";
import { JavaHashMap } from "../util/java_hash_map.ts";
import {
  applyRenameColumnsToOptions, checkAlterTableOption, checkResetTableOption, deserializedOptions, isBlobFileField,
  isUnchangedNormalizedKey, javaParseBoolean, optionsRecord, removeDroppedColumnOptions,
} from "./schema_options.ts";

/** Where ADD COLUMN puts the column (default: last, or before the partition columns with `add-column-before-partition`). */
export type ColumnPosition = { kind: "first" } | { kind: "after"; column: string };

/** One schema change (Java `SchemaChange`, top-level columns only). */
export type SchemaChange =
  | { kind: "setOption"; key: string; value: string }
  | { kind: "removeOption"; key: string }
  | { kind: "addColumn"; name: string; type: DataType | string; comment?: string | null; position?: ColumnPosition }
  | { kind: "renameColumn"; from: string; to: string }
  | { kind: "dropColumn"; name: string }
  | { kind: "updateColumnType"; name: string; type: DataType | string }
  | { kind: "updateColumnNullability"; name: string; nullable: boolean }
  | { kind: "updateColumnComment"; name: string; comment: string | null }
  | { kind: "updateComment"; comment: string | null }
  /** Java `UpdateColumnPosition` (`ALTER TABLE … MODIFY c … FIRST | AFTER x`). */
  | { kind: "updateColumnPosition"; name: string; position: MovePosition };

/** Where UPDATE COLUMN POSITION moves a column (Java `SchemaChange.Move`). */
export type MovePosition = { kind: "first" } | { kind: "last" } | { kind: "after"; column: string } | { kind: "before"; column: string };

/** Options of `applySchemaChanges`. */
export interface ApplySchemaChangesOptions {
  /** The new schema's `timeMillis` (epoch ms; the caller's clock). */
  readonly timeMillis: bigint;
  /** Whether the table has a snapshot (Java checks option changes only then); default true. */
  readonly hasSnapshots?: boolean;
  /** Table name for messages ("db.t"); default "this". */
  readonly tableName?: string;
}

const NOUN = "schema";

/** A type given as DataType or as Paimon type text (atomic types, e.g. "BIGINT NOT NULL"). */
export function resolveType(type: DataType | string): DataType {
  return typeof type === "string" ? parseTypeString(type) : type;
}

/** Refuses Java's column directives, which lakestate does not implement. */
export function checkNoColumnDirective(name: string, comment: string | null | undefined): void {
  const c = comment?.trim();
  if (c !== undefined && (c.startsWith("__BLOB") || c.startsWith("__VECTOR"))) {
    throw new LakeError("unsupported", `${NOUN}: column ${name} has comment ${JSON.stringify(comment)}: column directives (__BLOB…, __VECTOR…) are not supported by lakestate`);
  }
}

/** Java's `Schema` normalisation of keys given as options: moves them into the lists (removing the options). */
export function keysFromOptions(options: JavaHashMap<string>, partitionKeys: readonly string[], primaryKeys: readonly string[]): { partitionKeys: string[]; primaryKeys: string[] } {
  const take = (key: string, given: readonly string[], what: string): string[] => {
    const raw = options.get(key);
    if (raw === undefined) return [...given];
    if (given.length > 0) throw new LakeError("invalid_argument", `${NOUN}: Cannot define ${what} on DDL and table options at the same time.`);
    options.remove(key);
    return raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  };
  const partition = take("partition", partitionKeys, "partition");
  return { partitionKeys: partition, primaryKeys: take("primary-key", primaryKeys, "primary key") };
}

/** Primary-key columns become NOT NULL (Java `Schema.normalizeFields`). */
export function primaryKeysNotNull(fields: readonly DataField[], primaryKeys: readonly string[]): DataField[] {
  return fields.map((f) => (primaryKeys.includes(f.name) && f.type.nullable ? { ...f, type: withNullable(f.type, false) } : f));
}

/**
 * The schema after `changes`, applied in order to `schema` (see the file header). Throws
 * LakeError: not_found (a column that does not exist), invalid_argument (a column that exists, a
 * NOT NULL added column, a lossy type change, an invalid result), unsupported (what Java does not
 * support). Never touches storage.
 */
export function applySchemaChanges(schema: TableSchema, changes: readonly SchemaChange[], options: ApplySchemaChangesOptions): TableSchema {
  const table = options.tableName ?? "this";
  const hasSnapshots = options.hasSnapshots ?? true;
  const read = deserializedOptions(schema.options);
  const oldOptions = JavaHashMap.copyOf(read);
  let newOptions = JavaHashMap.copyOf(read);
  const flag = (key: string, fallback: string): boolean => javaParseBoolean(oldOptions.get(key) ?? fallback);
  const disableNullToNotNull = flag("alter-column-null-to-not-null.disabled", "true");
  const allowExplicitCast = !flag("disable-explicit-type-casting", "false");
  const addColumnBeforePartition = flag("add-column-before-partition", "false");
  const fields: DataField[] = [...schema.fields];
  const counter = { value: schema.highestFieldId };
  let comment = schema.comment;
  const renames: { from: string; to: string }[] = [];

  const indexOf = (name: string): number => fields.findIndex((f) => f.name === name);
  const notFound = (name: string): never => {
    throw new LakeError("not_found", `${NOUN}: Column ${name} does not exist in the ${table} table.`);
  };
  const existing = (name: string): number => {
    const i = indexOf(name);
    return i < 0 ? notFound(name) : i;
  };
  const assertAbsent = (name: string): void => {
    if (indexOf(name) >= 0) throw new LakeError("invalid_argument", `${NOUN}: Column ${name} already exists in the ${table} table.`);
  };
  const refuse = (message: string): never => {
    throw new LakeError("unsupported", `${NOUN}: ${message}`);
  };
  const notPartition = (name: string, op: string): void => {
    if (schema.partitionKeys.includes(name)) refuse(`Cannot ${op} partition column: [${name}]`);
  };
  const notPrimaryKey = (name: string, op: string): void => {
    if (schema.primaryKeys.includes(name)) refuse(`Cannot ${op} primary key`);
  };
  const notPkIndexColumn = (name: string, op: string): void => {
    for (const key of ["pk-vector.index.columns", "pk-btree.index.columns", "pk-bitmap.index.columns", "pk-full-text.index.columns"]) {
      const cols = schema.options[key];
      if (cols !== undefined && cols.split(",").map((c) => c.trim()).includes(name)) refuse(`Cannot ${op} primary-key index column: [${name}]`);
    }
  };
  const nullabilityChange = (from: boolean, to: boolean, name: string): void => {
    if (disableNullToNotNull && from && !to) {
      refuse(`Cannot update column type from nullable to non nullable for ${name}. You can set table configuration option 'alter-column-null-to-not-null.disabled' = 'false' to allow converting null columns to not null`);
    }
  };

  for (const change of changes) {
    switch (change.kind) {
      case "setOption": {
        const oldValue = oldOptions.get(change.key);
        const unchanged = oldValue === change.value || isUnchangedNormalizedKey(change.key, oldValue, change.value, schema.primaryKeys, schema.partitionKeys);
        if (!unchanged && change.key === "type") refuse("Change 'type' is not supported yet.");
        if (hasSnapshots && !unchanged) checkAlterTableOption(oldOptions, change.key, oldValue, change.value);
        if (!unchanged) newOptions.put(change.key, change.value);
        break;
      }
      case "removeOption":
        if (change.key === "type") refuse("Change 'type' is not supported yet.");
        if (hasSnapshots) checkResetTableOption(oldOptions, change.key);
        newOptions.remove(change.key);
        break;
      case "updateComment":
        comment = change.comment;
        break;
      case "addColumn": {
        const type = resolveType(change.type);
        if (!type.nullable) throw new LakeError("invalid_argument", `${NOUN}: Column ${change.name} cannot specify NOT NULL in the ${table} table.`);
        checkNoColumnDirective(change.name, change.comment);
        const field = numberColumn({ name: change.name, type, comment: change.comment }, counter);
        assertAbsent(change.name);
        if (change.position?.kind === "first") fields.unshift(field);
        else if (change.position?.kind === "after") fields.splice(existing(change.position.column) + 1, 0, field);
        else if (change.position === undefined && addColumnBeforePartition && schema.partitionKeys.length > 0) {
          const i = fields.findIndex((f) => schema.partitionKeys.includes(f.name));
          fields.splice(i < 0 ? fields.length : i, 0, field);
        } else fields.push(field);
        break;
      }
      case "renameColumn": {
        notPartition(change.from, "rename");
        notPkIndexColumn(change.from, "rename");
        const i = indexOf(change.from);
        if (i >= 0 && isBlobFileField(fields[i]!.type)) refuse(`Cannot rename BLOB column: [${change.from}]`);
        existing(change.from);
        assertAbsent(change.to);
        fields[i] = { ...fields[i]!, name: change.to };
        renames.push({ from: change.from, to: change.to });
        break;
      }
      case "dropColumn": {
        if (schema.partitionKeys.includes(change.name) || schema.primaryKeys.includes(change.name)) {
          refuse(`Cannot drop partition key or primary key: [${change.name}]`);
        }
        notPkIndexColumn(change.name, "drop");
        const i = indexOf(change.name);
        if (i >= 0) removeDroppedColumnOptions(change.name, fields[i]!.type, newOptions);
        fields.splice(existing(change.name), 1);
        if (fields.length === 0) throw new LakeError("invalid_argument", `${NOUN}: Cannot drop all fields in table`);
        break;
      }
      case "updateColumnType": {
        notPartition(change.name, "update");
        notPrimaryKey(change.name, "update");
        notPkIndexColumn(change.name, "update type of");
        const target = resolveType(change.type);
        const i = existing(change.name);
        const field = fields[i]!;
        if (isBlobFileField(field.type) || isBlobFileField(target)) {
          refuse(`Cannot change column type involving BLOB: [${change.name}] ${describeType(field.type)} -> ${describeType(target)}`);
        }
        nullabilityChange(field.type.nullable, target.nullable, change.name);
        if (!supportsCast(field.type, target, allowExplicitCast) || !castRuleExists(field.type, target)) {
          throw new LakeError("invalid_argument", `${NOUN}: Column type ${field.name}[${describeType(field.type)}] cannot be converted to ${describeType(target)} without losing information.`);
        }
        fields[i] = { ...field, type: target };
        break;
      }
      case "updateColumnNullability": {
        if (change.nullable) notPrimaryKey(change.name, "change nullability of");
        const i = existing(change.name);
        const field = fields[i]!;
        nullabilityChange(field.type.nullable, change.nullable, change.name);
        fields[i] = { ...field, type: withNullable(field.type, change.nullable) };
        break;
      }
      case "updateColumnComment": {
        const i = existing(change.name);
        const { description: _old, ...rest } = fields[i]!;
        fields[i] = change.comment === null ? rest : { ...rest, description: change.comment };
        break;
      }
      case "updateColumnPosition":
        applyMove(fields, change.name, change.position);
        break;
      default:
        throw new LakeError("invalid_argument", `${NOUN}: unknown schema change ${JSON.stringify((change as { kind?: unknown }).kind)}`);
    }
  }

  const renameMap = new Map(renames.map((r) => [r.from, r.to]));
  const primaryKeysRenamed = schema.primaryKeys.map((k) => renameMap.get(k) ?? k);
  newOptions = JavaHashMap.copyOf(applyRenameColumnsToOptions(newOptions, renames)); // the `Schema` constructor copies
  const keys = keysFromOptions(newOptions, schema.partitionKeys, primaryKeysRenamed);
  checkKeyColumns(fields, keys.partitionKeys, keys.primaryKeys);
  const next: TableSchema = {
    version: SCHEMA_VERSION_CURRENT,
    id: schema.id + 1n,
    fields: primaryKeysNotNull(fields, keys.primaryKeys),
    highestFieldId: counter.value,
    partitionKeys: keys.partitionKeys,
    primaryKeys: keys.primaryKeys,
    options: optionsRecord(newOptions),
    comment,
    timeMillis: options.timeMillis,
    defaultedOptionKeys: [],
  };
  validateTableSchema(next, "invalid_argument");
  return next;
}

/** Java `Schema.normalizeFields` checks: unique column names, keys naming columns. */
export function checkKeyColumns(fields: readonly DataField[], partitionKeys: readonly string[], primaryKeys: readonly string[]): void {
  const names = fields.map((f) => f.name);
  const dup = names.filter((n, i) => names.indexOf(n) !== i);
  if (dup.length > 0) throw new LakeError("invalid_argument", `${NOUN}: Table column ${javaList(names)} must not contain duplicate fields. Found: ${javaList([...new Set(dup)])}`);
  if (!partitionKeys.every((k) => names.includes(k))) {
    throw new LakeError("invalid_argument", `${NOUN}: Table column ${javaList(names)} should include all partition fields ${javaList(partitionKeys)}`);
  }
  if (!primaryKeys.every((k) => names.includes(k))) {
    throw new LakeError("invalid_argument", `${NOUN}: Table column ${javaList(names)} should include all primary key constraint ${javaList(primaryKeys)}`);
  }
}

/** Java's `List.toString()`: "[a, b]". */
function javaList(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

/** Java `SchemaManager.applyMove`. */
function applyMove(fields: DataField[], name: string, position: MovePosition): void {
  const from = fields.findIndex((f) => f.name === name);
  if (from < 0) throw new LakeError("not_found", `${NOUN}: Field name not found: ${name}`);
  const self = (): never => {
    throw new LakeError("unsupported", `${NOUN}: Cannot move itself for column ${name}`);
  };
  const move = (to: number): void => {
    const [f] = fields.splice(from, 1);
    fields.splice(to, 0, f!);
  };
  if (position.kind === "first") return from === 0 ? self() : move(0);
  if (position.kind === "last") return from === fields.length - 1 ? self() : move(fields.length - 1);
  const ref = fields.findIndex((f) => f.name === position.column);
  if (ref < 0) throw new LakeError("not_found", `${NOUN}: Reference field name not found: ${position.column}`);
  if (ref === from) self();
  let target = ref;
  if (position.kind === "after" && from > ref) target++;
  if (position.kind === "before" && from < ref) target--;
  move(Math.min(target, fields.length - 1));
}
