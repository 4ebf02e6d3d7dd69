/**
 * Table schema (`schema/schema-N`): model, JSON codec, creation rules and key helpers.
 *
 * Mirrors `org.apache.paimon.schema.TableSchema`, `SchemaSerializer` and the normalisation of
 * `org.apache.paimon.schema.Schema` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/schema/SchemaSerializer.java
 *
 * Wire layout (Jackson pretty printer, keys in this order): version, id, fields, highestFieldId,
 * partitionKeys, primaryKeys, options, comment (only when not null), timeMillis. Files of Paimon
 * ≤0.7 have no `version` (read as 1) and may lack `timeMillis` (read as 0).
 *
 * Invariants:
 *  - Decoding applies Java's compatibility defaults: version ≤ 1 without `bucket` gets
 *    bucket=1, version ≤ 2 without `file.format` gets file.format=orc. The added keys are listed
 *    in `defaultedOptionKeys`; `options` holds the effective map as Java's TableSchema does, and
 *    re-encoding writes them (as Java does when it rewrites a schema).
 *  - Encoding keeps `version` as decoded; schemas made by `createTableSchema` are version 3.
 *  - A decoded or created schema passed `validateTableSchema`.
 *
 * Imports: errors.ts, util/json.ts, util/json_fields.ts, spec/data_types.ts,
 * spec/core_options_types.ts, spec/core_options_view.ts.
 */
import { LakeError, type ErrorCode } from "../errors.ts";
import { isJsonObject, parseJson, stringifyJson, type JsonObject } from "../util/json.ts";
import { jsonInt32, jsonInt64OrNull, jsonStringArray, jsonStringOrNull } from "../util/json_fields.ts";
import {
  dataFieldFromJson, dataFieldToJson, withNullable, type DataField, type DataType, type RowType,
} from "./data_types.ts";
import { BUCKET_DYNAMIC, BUCKET_POSTPONE, type OptionMap } from "./core_options_types.ts";
import { CoreOptions } from "./core_options_view.ts";

/** Schema layout version Java writes today. Persisted: never renumber. */
export const SCHEMA_VERSION_CURRENT = 3;
/** Layout of Paimon ≤0.7 (also what a missing `version` means). Persisted: never renumber. */
export const SCHEMA_VERSION_PAIMON_07 = 1;
/** Layout of Paimon 0.8. Persisted: never renumber. */
export const SCHEMA_VERSION_PAIMON_08 = 2;
/** Field ids from here on are system fields (`_SEQUENCE_NUMBER`, …), never user columns. */
export const SYSTEM_FIELD_ID_START = Math.floor(2147483647 / 2);

/** A table schema, one `schema-N` file. */
export interface TableSchema {
  readonly version: number;
  readonly id: bigint;
  readonly fields: readonly DataField[];
  /** Largest field id ever assigned, including nested ROW fields and dropped columns. */
  readonly highestFieldId: number;
  readonly partitionKeys: readonly string[];
  readonly primaryKeys: readonly string[];
  /** Effective options (string -> string), compatibility defaults included. */
  readonly options: OptionMap;
  readonly comment: string | null;
  /** Creation time, epoch milliseconds; 0 when the file has none. */
  readonly timeMillis: bigint;
  /** Option keys that decoding added as compatibility defaults (absent from the file). */
  readonly defaultedOptionKeys: readonly string[];
}

const NOUN = "schema";

// ---------------------------------------------------------------------------------------------
// Codec

/**
 * Decodes schema JSON. When `fileName` (e.g. `schema-3`) is given, its id must equal the id in
 * the file. Throws LakeError("corruption") on malformed or invalid content.
 */
export function decodeTableSchema(text: string, options: { fileName?: string } = {}): TableSchema {
  let root: unknown;
  try {
    root = parseJson(text);
  } catch (error) {
    throw new LakeError("corruption", `${NOUN}: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(root)) throw new LakeError("corruption", `${NOUN}: expected a JSON object`);
  const version = root.version === undefined ? SCHEMA_VERSION_PAIMON_07 : jsonInt32(root, "version", NOUN);
  const id = BigInt(jsonInt32(root, "id", NOUN));
  if (options.fileName !== undefined) {
    const expected = parseSchemaFileId(options.fileName);
    if (expected !== id) {
      throw new LakeError("corruption", `${NOUN}: id in file ${id} does not match file name ${options.fileName}`);
    }
  }
  const fields = decodeFields(root);
  const rawOptions = decodeOptions(root);
  const effective: Record<string, string> = { ...rawOptions };
  const defaulted: string[] = [];
  if (version <= SCHEMA_VERSION_PAIMON_07 && effective.bucket === undefined) {
    effective.bucket = "1"; // Paimon ≤0.7 defaulted to one bucket
    defaulted.push("bucket");
  }
  if (version <= SCHEMA_VERSION_PAIMON_08 && effective["file.format"] === undefined) {
    effective["file.format"] = "orc"; // Paimon ≤0.8 defaulted to ORC
    defaulted.push("file.format");
  }
  const comment = root.comment === undefined ? null : jsonStringOrNull(root, "comment", NOUN);
  const schema: TableSchema = {
    version,
    id,
    fields,
    highestFieldId: jsonInt32(root, "highestFieldId", NOUN),
    partitionKeys: jsonStringArray(root, "partitionKeys", NOUN),
    primaryKeys: jsonStringArray(root, "primaryKeys", NOUN),
    options: effective,
    comment,
    timeMillis: jsonInt64OrNull(root, "timeMillis", NOUN) ?? 0n,
    defaultedOptionKeys: defaulted,
  };
  validateTableSchema(schema, "corruption");
  return schema;
}

function decodeFields(root: JsonObject): DataField[] {
  const raw = root.fields;
  if (!Array.isArray(raw)) throw new LakeError("corruption", `${NOUN}: field "fields" must be an array`);
  return raw.map((f, i) => {
    try {
      return dataFieldFromJson(f);
    } catch (error) {
      throw new LakeError("corruption", `${NOUN}: fields[${i}]: ${(error as Error).message}`, { cause: error });
    }
  });
}

function decodeOptions(root: JsonObject): Record<string, string> {
  const raw = root.options;
  if (!isJsonObject(raw)) throw new LakeError("corruption", `${NOUN}: field "options" must be an object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    // Java reads every value with asText(): numbers and booleans become their text.
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") out[k] = String(v);
    else throw new LakeError("corruption", `${NOUN}: option ${JSON.stringify(k)} must be a string, got ${stringifyJson(v)}`);
  }
  return out;
}

/** Encodes a schema exactly as Java's SchemaSerializer with the default pretty printer. */
export function encodeTableSchema(schema: TableSchema): string {
  validateTableSchema(schema, "invalid_argument");
  const o: Record<string, unknown> = {
    version: schema.version,
    id: schema.id,
    fields: schema.fields.map(dataFieldToJson),
    highestFieldId: schema.highestFieldId,
    partitionKeys: schema.partitionKeys,
    primaryKeys: schema.primaryKeys,
    options: new Map(Object.entries(schema.options)),
  };
  if (schema.comment !== null) o.comment = schema.comment;
  o.timeMillis = schema.timeMillis;
  return stringifyJson(o, "pretty");
}

/** The id N of a `schema-N` file name; throws invalid_argument for any other name. */
export function parseSchemaFileId(fileName: string): bigint {
  const m = /^schema-(0|[1-9]\d*)$/.exec(fileName);
  if (!m) throw new LakeError("invalid_argument", `${NOUN}: ${JSON.stringify(fileName)} is not a schema file name (schema-<id>)`);
  return BigInt(m[1]!);
}

// ---------------------------------------------------------------------------------------------
// Creation and validation

/** Input of `createTableSchema` (Java `Schema` plus the new schema's id and time). */
export interface TableSchemaInput {
  readonly id?: bigint;
  readonly fields: readonly DataField[];
  readonly partitionKeys?: readonly string[];
  readonly primaryKeys?: readonly string[];
  readonly options?: OptionMap;
  readonly comment?: string | null;
  /** Creation time, epoch ms (callers pass their clock; this module reads no clock). */
  readonly timeMillis: bigint;
  /** Defaults to the largest field id in `fields` (nested included); may be larger. */
  readonly highestFieldId?: number;
}

/**
 * Builds a version-3 schema as Java's `Schema` + `TableSchema.create` do: keys given as options
 * `primary-key` / `partition` move into the key lists, primary-key columns become NOT NULL,
 * `highestFieldId` is computed, and everything Java checks at creation is checked.
 * Throws LakeError("invalid_argument") naming the offending value.
 */
export function createTableSchema(input: TableSchemaInput): TableSchema {
  const options: Record<string, string> = { ...(input.options ?? {}) };
  const partitionKeys = keysFromOption(options, "partition", input.partitionKeys ?? []);
  const primaryKeys = keysFromOption(options, "primary-key", input.primaryKeys ?? []);
  const pk = new Set(primaryKeys);
  const fields = input.fields.map((f) =>
    pk.has(f.name) && f.type.nullable ? { ...f, type: withNullable(f.type, false) as DataType } : f,
  );
  const highest = highestFieldIdOf(fields);
  const schema: TableSchema = {
    version: SCHEMA_VERSION_CURRENT,
    id: input.id ?? 0n,
    fields,
    highestFieldId: input.highestFieldId ?? highest,
    partitionKeys,
    primaryKeys,
    options,
    comment: input.comment ?? null,
    timeMillis: input.timeMillis,
    defaultedOptionKeys: [],
  };
  validateTableSchema(schema, "invalid_argument");
  const bucket = new CoreOptions(options).bucket;
  if (bucket === 0 || bucket < BUCKET_POSTPONE) {
    throw new LakeError("invalid_argument", `${NOUN}: option 'bucket' = ${bucket} must be a positive bucket count, ${BUCKET_DYNAMIC} or ${BUCKET_POSTPONE}`);
  }
  return schema;
}

function keysFromOption(options: Record<string, string>, key: string, given: readonly string[]): string[] {
  const raw = options[key];
  if (raw === undefined) return [...given];
  if (given.length > 0) {
    throw new LakeError("invalid_argument", `${NOUN}: keys given both as a list ${JSON.stringify(given)} and as option '${key}' = ${JSON.stringify(raw)}`);
  }
  delete options[key];
  return raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Largest non-system field id in `fields`, nested ROW fields included; -1 when none. */
export function highestFieldIdOf(fields: readonly DataField[]): number {
  let max = -1;
  for (const id of collectFieldIds(fields, "invalid_argument")) if (id < SYSTEM_FIELD_ID_START && id > max) max = id;
  return max;
}

function collectFieldIds(fields: readonly DataField[], code: ErrorCode): number[] {
  const ids = new Set<number>();
  const visitType = (type: DataType): void => {
    switch (type.root) {
      case "ROW": visitFields(type.fields); break;
      case "ARRAY": case "MULTISET": case "VECTOR": visitType(type.element); break;
      case "MAP": visitType(type.key); visitType(type.value); break;
      default: break;
    }
  };
  const visitFields = (list: readonly DataField[]): void => {
    const names = new Set<string>();
    for (const f of list) {
      if (f.name.trim() === "") throw new LakeError(code, `${NOUN}: field name ${JSON.stringify(f.name)} is blank`);
      if (names.has(f.name)) throw new LakeError(code, `${NOUN}: field name ${JSON.stringify(f.name)} is duplicated`);
      names.add(f.name);
      if (ids.has(f.id)) throw new LakeError(code, `${NOUN}: field id ${f.id} (field ${JSON.stringify(f.name)}) is duplicated`);
      ids.add(f.id);
      visitType(f.type);
    }
  };
  visitFields(fields);
  return [...ids];
}

function checkKeyList(schema: TableSchema, what: string, keys: readonly string[], code: ErrorCode): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw new LakeError(code, `${NOUN}: ${what} ${JSON.stringify(keys)} contain ${JSON.stringify(k)} twice`);
    seen.add(k);
    if (!schema.fields.some((f) => f.name === k)) {
      throw new LakeError(code, `${NOUN}: ${what} name ${JSON.stringify(k)}, which is not a column of ${JSON.stringify(schema.fields.map((f) => f.name))}`);
    }
  }
}

/**
 * Checks what Java checks when it builds a TableSchema: unique non-blank field names (per ROW
 * level), unique field ids, `highestFieldId` ≥ every id, keys naming existing columns once,
 * primary keys not all partition keys, and `bucket-key` ⊆ columns, ∉ partition keys,
 * ⊆ primary keys. Throws LakeError(code).
 */
export function validateTableSchema(schema: TableSchema, code: ErrorCode): void {
  for (const id of collectFieldIds(schema.fields, code)) {
    if (id < SYSTEM_FIELD_ID_START && id > schema.highestFieldId) {
      throw new LakeError(code, `${NOUN}: field id ${id} is above highestFieldId ${schema.highestFieldId}`);
    }
  }
  checkKeyList(schema, "partition keys", schema.partitionKeys, code);
  checkKeyList(schema, "primary keys", schema.primaryKeys, code);
  if (schema.primaryKeys.length > 0 && trimmedPrimaryKeys(schema).length === 0) {
    throw new LakeError(code, `${NOUN}: primary keys ${JSON.stringify(schema.primaryKeys)} must not all be partition keys ${JSON.stringify(schema.partitionKeys)}`);
  }
  let view: CoreOptions;
  let bucketKeyList: string[];
  try {
    view = new CoreOptions(schema.options);
    void view.bucket;
    bucketKeyList = view.bucketKeys;
  } catch (error) {
    throw new LakeError(code, `${NOUN}: ${(error as Error).message}`, { cause: error });
  }
  for (const k of bucketKeyList) {
    const fail = (why: string): never => {
      throw new LakeError(code, `${NOUN}: bucket key ${JSON.stringify(k)} ${why}`);
    };
    if (!schema.fields.some((f) => f.name === k)) fail(`is not a column of ${JSON.stringify(schema.fields.map((f) => f.name))}`);
    if (schema.partitionKeys.includes(k)) fail(`must not be a partition key`);
    if (schema.primaryKeys.length > 0 && !schema.primaryKeys.includes(k)) fail(`must be one of the primary keys ${JSON.stringify(schema.primaryKeys)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The top-level field called `name`, or undefined. */
export function schemaFieldByName(schema: TableSchema, name: string): DataField | undefined {
  return schema.fields.find((f) => f.name === name);
}

/** Primary keys minus partition keys, in primary-key order (the physical `_KEY_` columns). */
export function trimmedPrimaryKeys(schema: TableSchema): string[] {
  return schema.primaryKeys.filter((k) => !schema.partitionKeys.includes(k));
}

/** Bucket keys: option `bucket-key` when set, else the trimmed primary keys (may be empty). */
export function bucketKeys(schema: TableSchema): string[] {
  const fromOption = new CoreOptions(schema.options).bucketKeys;
  return fromOption.length > 0 ? fromOption : trimmedPrimaryKeys(schema);
}

/** The fields named by `names`, in that order; names that are not columns are skipped (as Java). */
export function projectSchemaFields(schema: TableSchema, names: readonly string[]): DataField[] {
  const out: DataField[] = [];
  for (const n of names) {
    const f = schemaFieldByName(schema, n);
    if (f !== undefined) out.push(f);
  }
  return out;
}

/** The table's row type (Java `logicalRowType()`: a nullable ROW of all fields). */
export function logicalRowType(schema: TableSchema): RowType {
  return { root: "ROW", nullable: true, fields: schema.fields };
}

/** Row type of the partition keys, in partition-key order. */
export function logicalPartitionType(schema: TableSchema): RowType {
  return { root: "ROW", nullable: true, fields: projectSchemaFields(schema, schema.partitionKeys) };
}

/** Row type of the trimmed primary keys. */
export function logicalTrimmedPrimaryKeysType(schema: TableSchema): RowType {
  return { root: "ROW", nullable: true, fields: projectSchemaFields(schema, trimmedPrimaryKeys(schema)) };
}

/** Row type of the bucket keys. */
export function logicalBucketKeyType(schema: TableSchema): RowType {
  return { root: "ROW", nullable: true, fields: projectSchemaFields(schema, bucketKeys(schema)) };
}
