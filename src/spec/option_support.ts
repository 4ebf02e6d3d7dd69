/**
 * What lakestate supports of Paimon's table options, and the check of a table's options for a
 * use (read or write): the `OPTION_SUPPORT` table, `validateTableOptions`, and the warnings for
 * unknown keys that look like misspelt known keys.
 *
 * No single Java class: Java checks option combinations in
 * `org.apache.paimon.schema.SchemaValidation` and fails on a bad value only when it reads it;
 * the support table is lakestate's own. Known keys follow `org.apache.paimon.CoreOptions`:
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/schema/SchemaValidation.java
 *
 * Invariants:
 *  - `OPTION_SUPPORT` is the one table of values lakestate supports per use; extend it there.
 *  - Validation never changes the options. It throws for an unsupported or malformed
 *    reader-visible feature and only warns (returns text, never prints) for anything else.
 *
 * Imports: errors.ts, spec/core_options.ts, spec/core_options_types.ts,
 * spec/core_options_keys_other.ts, spec/core_options_view.ts.
 */
import { LakeError } from "../errors.ts";
import {
  CORE_OPTION_SPECS, optionBoolean, optionEnum, optionMap, optionRaw, optionSpec, optionString, parseBooleanOption,
  parseDoubleOption, parseDurationMs, parseEnumOption, parseIntOption, parseLongOption, parseMapOption,
  parseMemorySizeBytes,
} from "./core_options.ts";
import { BUCKET_POSTPONE, MergeEngine, OptionType, type OptionMap, type OptionSpec } from "./core_options_types.ts";
import {
  FIELD_OPTION_SUFFIXES, OTHER_KNOWN_OPTION_KEYS, PASS_THROUGH_OPTION_PREFIXES,
} from "./core_options_keys_other.ts";
import { CoreOptions, type TableKeys } from "./core_options_view.ts";

const { STRING, INT, LONG, BOOLEAN, DOUBLE, MEMORY, DURATION, ENUM, MAP } = OptionType;

/** What a table is opened for. */
export type OptionUse = "read" | "write";

/** Values every feature check below recognizes besides concrete option values. */
const SET = "set";
const UNSET = "unset";

/** Aggregate functions lakestate's writer supports (`fields.<f>.aggregate-function`). */
const AGGREGATE_FUNCTIONS_SUPPORTED = [
  "sum", "product", "max", "min", "last_value", "last_non_null_value", "first_value",
  "first_non_null_value", "listagg", "bool_and", "bool_or", "primary-key",
] as const;

/**
 * Aggregate functions lakestate's merge functions implement for reading (kept equal to
 * `AGGREGATE_FUNCTIONS_IMPLEMENTED` of lsm/merge_function/aggregators/factory.ts; spec cannot
 * import lsm, a test checks they agree). Not implemented: rbm32, rbm64, theta_sketch,
 * hll_sketch, nested_update, nested_partial_update.
 */
const AGGREGATE_FUNCTIONS_READ = [
  ...AGGREGATE_FUNCTIONS_SUPPORTED, "first_not_null_value", "collect", "merge_map", "merge_map_with_keytime",
] as const;

/**
 * THE table of reader-visible features and the values lakestate supports for each use. A
 * feature is an option (or a value derived from options) that changes what readers see or what
 * a writer must produce; `set`/`unset` stand for free-form options being present or absent.
 * Extend support by adding values here, and only here.
 */
export const OPTION_SUPPORT = {
  "bucket-mode": { read: ["fixed", "dynamic", "cross-partition", "unaware"], write: ["fixed", "unaware"] },
  "bucket-function.type": { read: ["default", "mod", "hive"], write: ["default"] },
  "merge-engine": { read: ["deduplicate", "partial-update", "aggregation", "first-row"], write: ["deduplicate", "partial-update", "aggregation", "first-row"] },
  "changelog-producer": { read: ["none", "input", "lookup", "full-compaction"], write: ["none", "input", "lookup", "full-compaction"] },
  "sequence.field": { read: [UNSET, SET], write: [UNSET, SET] },
  "sequence.field.sort-order": { read: ["ascending", "descending"], write: ["ascending", "descending"] },
  "rowkind.field": { read: [UNSET, SET], write: [UNSET, SET] },
  "aggregate-function": { read: AGGREGATE_FUNCTIONS_READ, write: AGGREGATE_FUNCTIONS_SUPPORTED },
  "sequence-group": { read: [UNSET, SET], write: [UNSET, SET] },
  "partial-update.remove-record-on-delete": { read: ["false", "true"], write: ["false", "true"] },
  "aggregation.remove-record-on-delete": { read: ["false", "true"], write: ["false", "true"] },
  "file.format": { read: ["parquet", "avro"], write: ["parquet"] },
  "manifest.format": { read: ["avro"], write: ["avro"] },
  "deletion-vectors.enabled": { read: ["false", "true"], write: ["false"] },
  "data-file.thin-mode": { read: ["false"], write: ["false"] },
  "data-file.external-paths": { read: [UNSET, SET], write: [UNSET] },
  "row-tracking.enabled": { read: ["false", "true"], write: ["false"] },
  "data-evolution.enabled": { read: ["false"], write: ["false"] },
} as const satisfies Record<string, { readonly read: readonly string[]; readonly write: readonly string[] }>;

/** A feature named in `OPTION_SUPPORT`. */
export type SupportedFeature = keyof typeof OPTION_SUPPORT;

interface FeatureValue {
  readonly feature: SupportedFeature;
  readonly option: string;
  readonly value: string;
  readonly shown: string;
}

function presence(options: OptionMap, key: string): FeatureValue {
  const raw = optionRaw(options, key);
  return { feature: key as SupportedFeature, option: key, value: raw === null ? UNSET : SET, shown: raw ?? "(unset)" };
}

function plain(feature: SupportedFeature, option: string, value: string, shown = value): FeatureValue {
  return { feature, option, value, shown };
}

/** The feature values of a table; throws invalid_argument on a malformed checked option. */
function featureValuesOf(options: OptionMap, table: TableKeys): FeatureValue[] {
  const view = new CoreOptions(options);
  const bucket = view.bucket;
  if (bucket === 0 || bucket < BUCKET_POSTPONE) {
    throw new LakeError("invalid_argument", `core options: option 'bucket' has invalid value ${JSON.stringify(String(bucket))}: expected a positive bucket count, -1 or -2`);
  }
  const out: FeatureValue[] = [
    plain("bucket-mode", "bucket", view.bucketMode(table), `${bucket} (bucket mode ${view.bucketMode(table)})`),
    plain("bucket-function.type", "bucket-function.type", optionEnum(options, "bucket-function.type")!),
    presence(options, "rowkind.field"),
    presence(options, "data-file.external-paths"),
  ];
  const formats: [string, string][] = [["file.format", view.fileFormat]];
  const changelogFormat = optionString(options, "changelog-file.format");
  if (changelogFormat !== null) formats.push(["changelog-file.format", changelogFormat.toLowerCase()]);
  for (const f of Object.values(optionMap(options, "file.format.per.level"))) formats.push(["file.format.per.level", f.toLowerCase()]);
  for (const [option, f] of formats) out.push(plain("file.format", option, f));
  out.push(plain("manifest.format", "manifest.format", view.manifestFormat));
  for (const key of ["deletion-vectors.enabled", "data-file.thin-mode", "row-tracking.enabled", "data-evolution.enabled"] as const) {
    out.push(plain(key, key, String(optionBoolean(options, key))));
  }
  if (table.primaryKeys.length === 0) return out;
  const engine = view.mergeEngine;
  out.push(plain("merge-engine", "merge-engine", engine), plain("changelog-producer", "changelog-producer", view.changelogProducer));
  out.push(presence(options, "sequence.field"));
  if (view.sequenceFields.length > 0) out.push(plain("sequence.field.sort-order", "sequence.field.sort-order", optionEnum(options, "sequence.field.sort-order")!));
  if (engine === MergeEngine.PARTIAL_UPDATE || engine === MergeEngine.AGGREGATION) {
    for (const key of ["partial-update.remove-record-on-delete", "aggregation.remove-record-on-delete"] as const) {
      out.push(plain(key, key, String(optionBoolean(options, key))));
    }
    for (const [key, value] of Object.entries(options)) {
      if (!key.startsWith("fields.")) continue;
      if (key.endsWith(".aggregate-function")) out.push(plain("aggregate-function", key, value.trim().toLowerCase(), value));
      if (key.endsWith(".sequence-group")) out.push(plain("sequence-group", key, SET, value));
    }
  }
  return out;
}

/**
 * Checks a table's options for a use. Throws LakeError("unsupported") naming the option and value
 * for the first reader-visible feature whose value `OPTION_SUPPORT` lacks for `use`, and
 * LakeError("invalid_argument") when such an option is malformed. Returns warnings (never
 * printed): unknown keys that look like misspelt known keys, and malformed values of other
 * typed options (Java fails on those only when it reads them).
 */
export function validateTableOptions(
  options: OptionMap,
  context: TableKeys & { readonly use: OptionUse },
): { warnings: string[] } {
  for (const f of featureValuesOf(options, context)) {
    const supported: readonly string[] = OPTION_SUPPORT[f.feature][context.use];
    if (!supported.includes(f.value)) {
      throw new LakeError(
        "unsupported",
        `core options: option '${f.option}' = ${JSON.stringify(f.shown)} is not supported for ${context.use} by lakestate (supported: ${supported.join(", ")})`,
      );
    }
  }
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const spec = optionSpec(key);
    if (spec !== undefined) {
      const problem = typedValueProblem(spec, value);
      if (problem !== null) warnings.push(problem);
      continue;
    }
    const guess = misspeltKeyGuess(key);
    if (guess !== null) warnings.push(`core options: unknown option '${key}' is kept as is; did you mean '${guess}'?`);
  }
  return { warnings };
}

function typedValueProblem(spec: OptionSpec, value: string): string | null {
  try {
    switch (spec.type) {
      case INT: parseIntOption(spec.key, value); break;
      case LONG: parseLongOption(spec.key, value); break;
      case BOOLEAN: parseBooleanOption(spec.key, value); break;
      case DOUBLE: parseDoubleOption(spec.key, value); break;
      case MEMORY: parseMemorySizeBytes(spec.key, value); break;
      case DURATION: parseDurationMs(spec.key, value); break;
      case ENUM: parseEnumOption(spec.key, value, spec.values!); break;
      case MAP: parseMapOption(spec.key, value); break;
      case STRING: break;
    }
    return null;
  } catch (error) {
    if (error instanceof LakeError) return error.message;
    throw error;
  }
}

const ALL_KNOWN_KEYS: readonly string[] = [
  ...CORE_OPTION_SPECS.flatMap((s) => [s.key, ...(s.fallbackKeys ?? [])]),
  ...OTHER_KNOWN_OPTION_KEYS,
];
const ALL_KNOWN_KEY_SET: ReadonlySet<string> = new Set(ALL_KNOWN_KEYS);

/** True when Java knows `key` (typed, untyped, per-field or pass-through prefix). */
export function isKnownOptionKey(key: string): boolean {
  if (ALL_KNOWN_KEY_SET.has(key)) return true;
  if (PASS_THROUGH_OPTION_PREFIXES.some((p) => key.startsWith(p))) return true;
  return key.startsWith("fields.") && FIELD_OPTION_SUFFIXES.some((s) => key.endsWith("." + s));
}

/** The known key an unknown `key` most likely misspells (small edit distance), or null. */
export function misspeltKeyGuess(key: string): string | null {
  if (isKnownOptionKey(key)) return null;
  if (key.startsWith("fields.")) {
    const last = key.slice(key.lastIndexOf(".") + 1);
    const hit = closest(last, FIELD_OPTION_SUFFIXES);
    return hit === null ? null : key.slice(0, key.length - last.length) + hit;
  }
  return closest(key, ALL_KNOWN_KEYS);
}

function closest(word: string, candidates: readonly string[]): string | null {
  const limit = word.length >= 10 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) >= bestDistance) continue;
    const d = editDistance(word, c, bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance of a and b, or `max + 1` as soon as it must exceed `max`. */
function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
