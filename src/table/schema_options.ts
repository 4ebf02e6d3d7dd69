/**
 * Table options across schema changes, as Java's `SchemaManager` treats them: which options may
 * change once a table has snapshots (`checkAlterTableOption` / `checkResetTableOption`, the
 * `@Immutable` options of `CoreOptions`), which settings are no change at all
 * (`isUnchangedNormalizedKey`), how column renames and drops rewrite options
 * (`applyRenameColumnsToOptions`, `ColumnDirectiveUtils.removeDroppedDirectiveOptions`), and the
 * Java `HashMap`s the options pass through, whose iteration order is the order of `options` in
 * the schema file (see util/java_hash_map.ts).
 *
 * Mirrors (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/schema/SchemaManager.java
 * Invariants: functions mutate only the JavaHashMap they are given; messages quote Java's.
 * Imports: errors.ts, util/java_hash_map.ts, spec/data_types.ts (types), spec/core_options_types.ts (types).
 */
import { LakeError } from "../errors.ts";
import { JavaHashMap } from "../util/java_hash_map.ts";
import type { DataType } from "../spec/data_types.ts";
import type { OptionMap } from "../spec/core_options_types.ts";

const NOUN = "schema";

/**
 * Options Java refuses to change or reset once the table has snapshots (fields of `CoreOptions`
 * annotated `@Immutable`, release-2.0). Persisted semantics: keep in sync with Java.
 */
export const IMMUTABLE_OPTION_KEYS: ReadonlySet<string> = new Set([
  "type", "bucket-key", "bucket-function.type", "data-file.path-directory", "merge-engine",
  "sequence.snapshot-ordering", "aggregation.remove-record-on-delete", "partial-update.remove-record-on-delete",
  "partial-update.remove-record-on-sequence-group", "rowkind.field", "primary-key", "partition",
  "dynamic-bucket.initial-buckets", "force-lookup", "row-tracking.enabled", "data-evolution.enabled",
  "index-file-in-data-file-dir", "blob-field", "blob-descriptor-field", "blob-view-field", "pk-clustering-override",
]);

/** Java `Boolean.parseBoolean`: true only for "true", any case. */
export function javaParseBoolean(text: string | undefined): boolean {
  return text !== undefined && text.toLowerCase() === "true";
}

/** Java `Integer.parseInt` (optional sign, decimal digits, int32); invalid_argument otherwise. */
function javaParseInt(key: string, text: string): number {
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new LakeError("invalid_argument", `${NOUN}: option '${key}' = ${JSON.stringify(text)} is not an int (For input string: "${text}")`);
  }
  return n;
}

function refuse(message: string): never {
  throw new LakeError("unsupported", `${NOUN}: ${message}`);
}

/** The options map Java's `SchemaSerializer` builds when it reads a schema file (file order). */
export function deserializedOptions(options: OptionMap): JavaHashMap<string> {
  return JavaHashMap.fromEntries(Object.entries(options));
}

/**
 * The options map of a new table as Java builds it from options given in `options` order (a
 * Flink `WITH` list or `Schema.Builder#option` calls fill a `new HashMap<>()`; `FlinkCatalog`,
 * `Schema.Builder#options` and the `Schema` constructor copy it with `new HashMap<>(m)`).
 * The caller then removes `primary-key` / `partition` as `Schema` does.
 */
export function newTableOptions(options: OptionMap): JavaHashMap<string> {
  return JavaHashMap.copyOf(JavaHashMap.fromEntries(Object.entries(options)));
}

/** The options of a JavaHashMap as a record in Java's iteration order. */
export function optionsRecord(map: JavaHashMap<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of map.entries()) out[k] = v;
  return out;
}

/** Java `isUnchangedNormalizedKey`: setting this value changes nothing. */
export function isUnchangedNormalizedKey(
  key: string, oldValue: string | undefined, newValue: string,
  primaryKeys: readonly string[], partitionKeys: readonly string[],
): boolean {
  if (key === "type") return newValue.toLowerCase() === (oldValue ?? "table").toLowerCase();
  if (oldValue !== undefined) return false;
  const keyList = (): string[] => newValue.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (key === "primary-key") return sameList(keyList(), primaryKeys);
  if (key === "partition") return sameList(keyList(), partitionKeys);
  return false;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Java `checkAlterTableOption` (applies only when the table has snapshots): immutable options,
 * `bucket` from or to -1, `deletion-vectors.enabled` unless `deletion-vectors.modifiable`,
 * `ignore-delete` / `ignore-update-before` from true to false, `clustering.columns` under
 * `pk-clustering-override`. Throws LakeError("unsupported") with Java's message.
 */
export function checkAlterTableOption(options: JavaHashMap<string>, key: string, oldValue: string | undefined, newValue: string): void {
  if (IMMUTABLE_OPTION_KEYS.has(key)) refuse(`Change '${key}' is not supported yet.`);
  if (key === "bucket") {
    const oldBucket = oldValue === undefined ? -1 : javaParseInt(key, oldValue);
    const newBucket = javaParseInt(key, newValue);
    if (oldBucket === -1) refuse("Cannot change bucket when it is -1.");
    if (newBucket === -1) refuse("Cannot change bucket to -1.");
  }
  if (key === "deletion-vectors.enabled" && !javaParseBoolean(options.get("deletion-vectors.modifiable") ?? "false")) {
    const oldDv = oldValue === undefined ? false : javaParseBoolean(oldValue);
    const newDv = javaParseBoolean(newValue);
    if (oldDv !== newDv) {
      refuse(`Cannot change deletion vectors mode from ${oldDv} to ${newDv}. If modifying table deletion-vectors mode without full-compaction, this may result in data duplication. `
        + "If you are confident, you can set table option 'deletion-vectors.modifiable' = 'true' to allow deletion vectors modification.");
    }
  }
  for (const flag of ["ignore-delete", "ignore-update-before"]) {
    if (key === flag && javaParseBoolean(oldValue ?? "false") && !javaParseBoolean(newValue)) {
      refuse(`Cannot change ${flag} from true to false.`);
    }
  }
  if (key === "clustering.columns" && options.has("pk-clustering-override")) {
    refuse("Cannot change clustering.columns when pk-clustering-override enabled.");
  }
}

/** Java `checkResetTableOption` (only when the table has snapshots). */
export function checkResetTableOption(options: JavaHashMap<string>, key: string): void {
  if (IMMUTABLE_OPTION_KEYS.has(key)) refuse(`Change '${key}' is not supported yet.`);
  if (key === "bucket") refuse(`Cannot reset ${key}.`);
  if (key === "deletion-vectors.enabled") checkAlterTableOption(options, key, options.get(key), "false");
  if (options.has("pk-clustering-override") && key === "clustering.columns") {
    refuse(`Cannot reset ${key} when pk-clustering-override enabled.`);
  }
}

/** Per-field option suffixes whose key names one column and whose value holds no column names. */
const RENAMED_FIELD_OPTION_SUFFIXES = [
  "aggregate-function", "ignore-retract", "distinct", "list-agg-delimiter", "map.storage-layout",
  "map.shared-shredding.max-columns", "map.shared-shredding.column-placement-policy",
] as const;

/**
 * Java `applyRenameColumnsToOptions`: renamed columns in `bucket-key` and `sequence.field`, in
 * `fields.<col>.<suffix>` keys, and in both key and value of `fields.<cols>.sequence-group` and
 * `fields.<cols>.nested-key`. Returns `options` itself when there is no rename, else a copy
 * (Guava `Maps.newHashMap`) with the changes applied in Java's order.
 */
export function applyRenameColumnsToOptions(options: JavaHashMap<string>, renames: readonly { from: string; to: string }[]): JavaHashMap<string> {
  if (renames.length === 0) return options;
  const out = JavaHashMap.copyOf(options);
  const mapping = new Map<string, string>();
  for (const r of renames) mapping.set(r.from, r.to);
  const rename = (list: readonly string[]): string => list.map((c) => mapping.get(c) ?? c).join(",");
  for (const key of ["bucket-key", "sequence.field"]) {
    const value = options.get(key);
    if (value !== undefined && value.trim() !== "") out.put(key, rename(javaSplitComma(value)));
  }
  for (const r of renames) {
    for (const suffix of RENAMED_FIELD_OPTION_SUFFIXES) {
      const key = `fields.${r.from}.${suffix}`;
      if (out.has(key)) {
        const value = out.remove(key)!;
        out.put(`fields.${r.to}.${suffix}`, value);
      }
    }
  }
  for (const key of options.keys()) {
    if (!key.startsWith("fields")) continue;
    const suffix = key.endsWith("sequence-group") ? "sequence-group" : key.endsWith("nested-key") ? "nested-key" : null;
    if (suffix === null) continue;
    const keyFields = key.substring("fields".length + 1, key.length - suffix.length - 1);
    const value = out.remove(key);
    out.put(`fields.${rename(javaSplitComma(keyFields))}.${suffix}`, rename(javaSplitComma(value ?? "null")));
  }
  return out;
}

/** Java `String.split(",")`: trailing empty strings are dropped. */
function javaSplitComma(text: string): string[] {
  const parts = text.split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** True for BLOB, ARRAY<BLOB> and MAP<_, BLOB> (Java `BlobType.isBlobFileField`). */
export function isBlobFileField(type: DataType): boolean {
  if (type.root === "BLOB") return true;
  if (type.root === "ARRAY") return type.element.root === "BLOB";
  if (type.root === "MAP") return type.value.root === "BLOB";
  return false;
}

/** Java `ColumnDirectiveUtils.removeDroppedDirectiveOptions` for a dropped top-level column. */
export function removeDroppedColumnOptions(fieldName: string, type: DataType, options: JavaHashMap<string>): void {
  if (isBlobFileField(type)) {
    for (const key of ["blob-field", "blob-descriptor-field", "blob.stored-descriptor-fields", "blob-view-field"]) {
      removeFromCsvOption(key, fieldName, options);
    }
  } else if (type.root === "VECTOR") {
    removeFromCsvOption("vector-field", fieldName, options);
    options.remove(`field.${fieldName}.vector-dim`);
  } else if (type.root === "MAP") {
    for (const suffix of ["map.storage-layout", "map.shared-shredding.max-columns", "map.shared-shredding.column-placement-policy"]) {
      options.remove(`fields.${fieldName}.${suffix}`);
    }
  }
}

function removeFromCsvOption(key: string, fieldName: string, options: JavaHashMap<string>): void {
  const existing = options.get(key);
  if (existing === undefined || existing === "") return;
  const kept = existing.split(",").map((v) => v.trim()).filter((v) => v !== "" && v !== fieldName);
  if (kept.length === 0) options.remove(key);
  else options.put(key, kept.join(","));
}
