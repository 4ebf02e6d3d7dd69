/**
 * Vocabulary of Paimon table options: value types, the shape of one option definition, the
 * option map, the persisted enum values lakestate interprets (`merge-engine`,
 * `changelog-producer`), the special `bucket` values, and the builders the key tables use.
 *
 * Mirrors `org.apache.paimon.options.ConfigOption` (key, type, default, fallback keys) and the
 * enums `CoreOptions.MergeEngine` / `CoreOptions.ChangelogProducer` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/CoreOptions.java
 *
 * Invariants:
 *  - Enum values and option keys are persisted in schema files: never rename.
 *  - An `OptionSpec` default is the Java default as text, parsed like a set value; null means
 *    Java has no default.
 *
 * Imports: nothing (leaf of the core options files).
 */

/** Value types of options (Java `ConfigOption<T>` types). */
export const OptionType = {
  STRING: "string", INT: "int", LONG: "long", BOOLEAN: "boolean", DOUBLE: "double",
  MEMORY: "memory", DURATION: "duration", ENUM: "enum", MAP: "map",
} as const;
/** One of `OptionType`. */
export type OptionType = (typeof OptionType)[keyof typeof OptionType];

/** A known option: key, type, Java default as text (null = no default), enum values, fallbacks. */
export interface OptionSpec {
  readonly key: string;
  readonly type: OptionType;
  readonly defaultValue: string | null;
  readonly values?: readonly string[];
  readonly fallbackKeys?: readonly string[];
}

/** `merge-engine` values. Persisted: never rename. */
export const MergeEngine = {
  DEDUPLICATE: "deduplicate", PARTIAL_UPDATE: "partial-update", AGGREGATION: "aggregation", FIRST_ROW: "first-row",
} as const;
/** One of `MergeEngine`. */
export type MergeEngine = (typeof MergeEngine)[keyof typeof MergeEngine];

/** `changelog-producer` values. Persisted: never rename. */
export const ChangelogProducer = {
  NONE: "none", INPUT: "input", FULL_COMPACTION: "full-compaction", LOOKUP: "lookup",
} as const;
/** One of `ChangelogProducer`. */
export type ChangelogProducer = (typeof ChangelogProducer)[keyof typeof ChangelogProducer];

/** `bucket` value of dynamic-bucket (PK) and bucket-unaware (append) tables. */
export const BUCKET_DYNAMIC = -1;
/** `bucket` value of postpone-bucket tables (files staged in `bucket-postpone`). */
export const BUCKET_POSTPONE = -2;

/** A table's options as stored in schema JSON. */
export type OptionMap = Readonly<Record<string, string>>;

/** An option definition of any non-enum type; `extra` adds fallback keys. */
export function optionSpecOf(key: string, type: OptionType, defaultValue: string | null, extra: Partial<OptionSpec> = {}): OptionSpec {
  return { key, type, defaultValue, ...extra };
}

/** An enum option definition: `values` are the canonical (lower-case) values Java accepts. */
export function enumOptionSpecOf(
  key: string,
  defaultValue: string | null,
  values: readonly string[],
  fallbackKeys?: readonly string[],
): OptionSpec {
  return fallbackKeys
    ? { key, type: OptionType.ENUM, defaultValue, values, fallbackKeys }
    : { key, type: OptionType.ENUM, defaultValue, values };
}
