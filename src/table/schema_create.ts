/**
 * CREATE TABLE: the schema-0 Java writes for a table definition (columns or numbered fields,
 * keys, options, comment), as `Catalog.createTable` → `SchemaManager.createTable` computes it.
 *
 * Steps as Java takes them: columns are numbered as `Schema.Builder#column` numbers them
 * (spec/field_ids.ts); the options pass through Java's HashMaps (table/schema_options.ts
 * `newTableOptions`, which fixes their order in the file); keys given as options `primary-key` /
 * `partition` move into the key lists; the checks of `CatalogUtils.validateCreateTable` and of
 * `Schema` apply; then `createTableSchema` (spec/schema.ts) builds and validates schema-0.
 *
 * Mirrors (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/schema/Schema.java
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/catalog/CatalogUtils.java
 * Imports: errors.ts, spec (data_types, field_ids, schema), table/schema_options.ts, table/schema_changes.ts.
 */
import { LakeError } from "../errors.ts";
import type { DataField, DataType } from "../spec/data_types.ts";
import { numberColumns } from "../spec/field_ids.ts";
import { createTableSchema, type TableSchema } from "../spec/schema.ts";
import { newTableOptions, javaParseBoolean, optionsRecord } from "./schema_options.ts";
import { checkKeyColumns, checkNoColumnDirective, keysFromOptions, resolveType } from "./schema_changes.ts";

/** A table definition: exactly one of `columns` (numbered here) and `fields` (already numbered). */
export interface TableSpec {
  /** Columns in order; types as DataType or atomic type text ("BIGINT NOT NULL"). */
  readonly columns?: readonly { readonly name: string; readonly type: DataType | string; readonly comment?: string | null }[];
  /** Fields with ids already assigned (e.g. by the SQL planner). */
  readonly fields?: readonly DataField[];
  readonly primaryKeys?: readonly string[];
  readonly partitionKeys?: readonly string[];
  /** Table options, in the order given (the order a Flink WITH list or builder calls give). */
  readonly options?: Readonly<Record<string, string>>;
  readonly comment?: string | null;
}

const NOUN = "schema";

/** Table types whose schema is a Paimon file-store schema (Java `TableType` TABLE, MATERIALIZED_TABLE). */
const FILE_STORE_TABLE_TYPES = ["table", "materialized-table"];

/**
 * Schema-0 for `spec` created at `timeMillis` (see the file header). Throws
 * LakeError("invalid_argument") for a malformed definition and ("unsupported") for table types
 * and column directives lakestate does not implement. Never touches storage.
 */
export function newTableSchema(spec: TableSpec, options: { readonly timeMillis: bigint }): TableSchema {
  if ((spec.columns === undefined) === (spec.fields === undefined)) {
    throw new LakeError("invalid_argument", `${NOUN}: a table definition needs exactly one of columns and fields`);
  }
  const fields = spec.fields !== undefined
    ? [...spec.fields]
    : numberColumns(spec.columns!.map((c) => ({ name: c.name, type: resolveType(c.type), comment: c.comment })), -1).fields;
  for (const f of fields) checkNoColumnDirective(f.name, f.description);
  const map = newTableOptions(spec.options ?? {});
  checkCreateOptions(map.get("auto-create"), map.get("target-file-row-num"), map.get("type"));
  const keys = keysFromOptions(map, spec.partitionKeys ?? [], spec.primaryKeys ?? []);
  for (const [what, list] of [["Partition key", keys.partitionKeys], ["Primary key", keys.primaryKeys]] as const) {
    const dup = list.filter((k, i) => list.indexOf(k) !== i);
    if (dup.length > 0) {
      throw new LakeError("invalid_argument", `${NOUN}: ${what} constraint [${list.join(", ")}] must not contain duplicate columns. Found: [${[...new Set(dup)].join(", ")}]`);
    }
  }
  checkKeyColumns(fields, keys.partitionKeys, keys.primaryKeys);
  return createTableSchema({
    fields,
    partitionKeys: keys.partitionKeys,
    primaryKeys: keys.primaryKeys,
    options: optionsRecord(map),
    comment: spec.comment ?? null,
    timeMillis: options.timeMillis,
  });
}

/** Java `CatalogUtils.validateCreateTable` (auto-create, target-file-row-num) and the table type. */
function checkCreateOptions(autoCreate: string | undefined, targetFileRowNum: string | undefined, type: string | undefined): void {
  if (javaParseBoolean(autoCreate)) throw new LakeError("invalid_argument", `${NOUN}: The value of auto-create property should be false.`);
  if (targetFileRowNum !== undefined && /^[+-]?\d+$/.test(targetFileRowNum.trim()) && BigInt(targetFileRowNum.trim()) <= 0n) {
    throw new LakeError("invalid_argument", `${NOUN}: target-file-row-num should be at least 1.`);
  }
  if (type !== undefined && !FILE_STORE_TABLE_TYPES.includes(type.toLowerCase())) {
    throw new LakeError("unsupported", `${NOUN}: option 'type' = ${JSON.stringify(type)} is not supported by lakestate (supported: ${FILE_STORE_TABLE_TYPES.join(", ")})`);
  }
}
