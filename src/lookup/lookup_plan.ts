/**
 * The static plan of a lookup, resolved once from the table schema and the options: stored
 * fields, lookup-key positions, whether keys are unique (equal to the primary key), whether
 * they cover the bucket key and the partition keys, and the partition selection.
 *
 * Rules:
 * - keys default to the primary key; a table without one needs explicit keys (Java's lookup
 *   join serves append tables with a full cache, so they are allowed, never unique);
 * - unique = keys equal the primary key as sets, or equal the primary key without the
 *   partition keys when at most one partition is selected (unpartitioned table, "latest",
 *   or a fixed partition);
 * - keys cover the bucket key when every bucket-key column is a key and the table has fixed
 *   buckets; otherwise every bucket of each selected partition is loaded (`bucketWarning`).
 * Imports: errors.ts, spec (schema, data_types, values, binary_row, key_codec), lookup_probe.
 * Mirrors Java `FileStoreLookupFunction` / `LookupTable` selection (PrimaryKeyLookupTable,
 * SecondaryIndexLookupTable, NoPrimaryKeyLookupTable) and `lookup.dynamic-partition`.
 */
import { LakeError } from "../errors.ts";
import { encodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataField, DataType } from "../spec/data_types.ts";
import { optionInt } from "../spec/core_options.ts";
import { bucketKeys, logicalPartitionType, trimmedPrimaryKeys, type TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import { toHex } from "../util/bytes.ts";
import type { ProbeShape } from "./lookup_probe.ts";
import { isU64KeyType } from "./key_search.ts";

/** Which partitions a lookup reads when a probe does not name one. */
export type PartitionSelection = "all" | "latest" | Readonly<Record<string, Value>>;

/** The resolved plan. */
export interface LookupPlan {
  readonly tableName: string;
  readonly shape: ProbeShape;
  readonly unique: boolean;
  readonly form: "u64" | "bytes";
  /** Fields stored per bucket: the returned columns, then key columns not among them. */
  readonly storedFields: readonly DataField[];
  readonly keyPositions: readonly number[];
  readonly outputNames: readonly string[];
  readonly partitionTypes: readonly DataType[];
  /** Positions of the partition keys in the lookup key, or null when not all are keys. */
  readonly partitionPositions: readonly number[] | null;
  /** Positions of the bucket keys in the lookup key, or null when the keys do not cover them. */
  readonly bucketPositions: readonly number[] | null;
  readonly bucketTypes: readonly DataType[];
  readonly selection: "all" | "latest" | { readonly hex: string };
  /** Why every bucket is loaded, or null. */
  readonly bucketWarning: string | null;
}

function invalid(message: string): never {
  throw new LakeError("invalid_argument", `lookup: ${message}`);
}

function fieldOf(schema: TableSchema, name: string, what: string, tableName: string): DataField {
  if (typeof name !== "string") invalid(`${what} ${String(name)} is not a column name`);
  const f = schema.fields.find((x) => x.name === name);
  if (f === undefined) invalid(`${what} ${JSON.stringify(name)} is not a column of ${tableName} (columns: ${schema.fields.map((x) => x.name).join(", ")})`);
  return f;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** Resolves the plan; throws LakeError("invalid_argument") for bad options. */
export function planLookup(schema: TableSchema, tableName: string, options: { keys?: readonly string[]; columns?: readonly string[]; partition?: PartitionSelection }): LookupPlan {
  const pk = schema.primaryKeys;
  if (options.keys === undefined && pk.length === 0) invalid(`table ${tableName} has no primary key: pass keys (the columns to look up by)`);
  const keys = [...(options.keys ?? pk)];
  if (!Array.isArray(options.keys ?? pk) || keys.length === 0) invalid(`keys must be a non-empty array of column names, got ${JSON.stringify(options.keys)}`);
  if (new Set(keys).size !== keys.length) invalid(`keys [${keys.join(", ")}] name a column twice`);
  const keyFields = keys.map((k) => fieldOf(schema, k, "key", tableName));
  for (const f of keyFields) {
    if (["ARRAY", "MAP", "MULTISET", "ROW", "VARIANT", "VECTOR", "BLOB"].includes(f.type.root)) {
      throw new LakeError("unsupported", `lookup: key ${f.name} has type ${f.type.root}, which cannot be a lookup key (not orderable)`);
    }
  }
  const outputFields = (options.columns ?? schema.fields.map((f) => f.name)).map((c) => fieldOf(schema, c, "column", tableName));
  const storedFields = [...outputFields, ...keyFields.filter((k) => !outputFields.some((o) => o.id === k.id))];
  const keyPositions = keyFields.map((k) => storedFields.findIndex((s) => s.id === k.id));

  const partitionKeys = schema.partitionKeys;
  const partitionType = logicalPartitionType(schema);
  const partitionPositions = partitionKeys.length > 0 && partitionKeys.every((p) => keys.includes(p)) ? partitionKeys.map((p) => keys.indexOf(p)) : null;

  const partition = options.partition ?? "all";
  let selection: LookupPlan["selection"];
  if (partition === "all" || partition === "latest") selection = partition;
  else if (partition !== null && typeof partition === "object" && !Array.isArray(partition)) {
    if (partitionKeys.length === 0) invalid(`table ${tableName} is not partitioned; partition ${JSON.stringify(Object.keys(partition))} cannot be selected`);
    const names = Object.keys(partition);
    if (!sameSet(names, partitionKeys)) invalid(`partition names [${names.join(", ")}], expected the partition keys [${partitionKeys.join(", ")}]`);
    try {
      selection = { hex: toHex(encodeSerializedBinaryRow(partitionType.fields.map((f) => f.type), partitionKeys.map((k) => partition[k]!))) };
    } catch (error) {
      throw new LakeError("invalid_argument", `lookup: partition ${JSON.stringify(names)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } else invalid(`partition must be "all", "latest" or a partition row, got ${JSON.stringify(partition)}`);

  const onePartition = partitionKeys.length === 0 || selection !== "all";
  const unique = pk.length > 0 && (sameSet(keys, pk) || (onePartition && sameSet(keys, trimmedPrimaryKeys(schema))));

  const bucketOption = optionInt(schema.options, "bucket") ?? -1;
  let bucketNames: string[] = [];
  try {
    bucketNames = bucketKeys(schema);
  } catch {
    bucketNames = [];
  }
  let bucketWarning: string | null = null;
  let bucketPositions: number[] | null = null;
  if (bucketOption <= 0) {
    bucketWarning = `table ${tableName} has no fixed buckets (bucket = ${bucketOption}), so a key cannot name its bucket: every bucket of each selected partition is loaded`;
  } else if (bucketNames.length === 0 || !bucketNames.every((b) => keys.includes(b))) {
    bucketWarning = `keys [${keys.join(", ")}] do not cover the bucket key [${bucketNames.join(", ")}] of ${tableName}: every bucket of each selected partition is loaded (include every bucket-key column in the keys to load only the buckets probes touch)`;
  } else {
    bucketPositions = bucketNames.map((b) => keys.indexOf(b));
  }
  const types = keyFields.map((f) => f.type);
  return {
    tableName,
    shape: { names: keys, types },
    unique,
    form: isU64KeyType(types) ? "u64" : "bytes",
    storedFields,
    keyPositions,
    outputNames: outputFields.map((f) => f.name),
    partitionTypes: partitionType.fields.map((f) => f.type),
    partitionPositions,
    bucketPositions,
    bucketTypes: bucketPositions === null ? [] : bucketNames.map((b) => schema.fields.find((f) => f.name === b)!.type),
    selection,
    bucketWarning,
  };
}
