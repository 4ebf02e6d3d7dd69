/**
 * Paimon table options (`CoreOptions`): the table of typed option definitions (keys, types,
 * defaults, fallback keys), Java's value parsers, and keyed typed access with Java defaults.
 *
 * The definitions are split by topic: `core_options_types.ts` (vocabulary),
 * `core_options_keys_storage.ts` and `core_options_keys_read_write.ts` (typed keys, assembled
 * here into `CORE_OPTION_SPECS`), `core_options_keys_other.ts` (keys known but not typed).
 * Derived values are in `core_options_view.ts`, the support check in `option_support.ts`.
 *
 * Mirrors `org.apache.paimon.CoreOptions` (release-2.0) and its value parsers `OptionsUtils`,
 * `MemorySize.parseBytes`, `TimeUtils.parseDuration`, `StructuredOptionsSplitter`:
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/CoreOptions.java
 *
 * Invariants:
 *  - Option maps are string -> string exactly as schema JSON stores them; nothing here rewrites
 *    them. Unknown keys are kept.
 *  - Typed parsing follows Java: ints/longs are decimal with optional sign, booleans are
 *    true/false in any case, enums match their value case-insensitively, memory sizes are
 *    `<digits> [unit]` (b, k/kb, m/mb, g/gb, t/tb; powers of 1024), durations `<digits> [unit]`
 *    (ms when no unit; d, h, min/m, s, ms, µs, ns and long forms). A bad value is
 *    LakeError("invalid_argument") naming the option and the value.
 *  - Typed access reads a key, else its first present fallback key, else the Java default.
 *  - Option keys are persisted in schema files: never rename.
 *
 * Imports: errors.ts, util/assert.ts, spec/core_options_types.ts, spec/core_options_keys_*.ts.
 */
import { LakeError } from "../errors.ts";
import { assert } from "../util/assert.ts";
import { OptionType, type OptionMap, type OptionSpec } from "./core_options_types.ts";
import { STORAGE_OPTION_SPECS } from "./core_options_keys_storage.ts";
import { READ_WRITE_OPTION_SPECS } from "./core_options_keys_read_write.ts";

const { STRING, INT, LONG, BOOLEAN, DOUBLE, MEMORY, DURATION, ENUM, MAP } = OptionType;

/** Options lakestate reads typed (Java release-2.0 keys, types and defaults). */
export const CORE_OPTION_SPECS: readonly OptionSpec[] = [...STORAGE_OPTION_SPECS, ...READ_WRITE_OPTION_SPECS];

const SPEC_BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(CORE_OPTION_SPECS.map((s) => [s.key, s]));

/** The typed spec of `key`, or undefined when lakestate does not read it typed. */
export function optionSpec(key: string): OptionSpec | undefined {
  return SPEC_BY_KEY.get(key);
}

// ---------------------------------------------------------------------------------------------
// Value parsers (Java OptionsUtils, MemorySize, TimeUtils)

function badValue(key: string, value: string, expected: string): LakeError {
  return new LakeError("invalid_argument", `core options: option '${key}' has invalid value ${JSON.stringify(value)}: expected ${expected}`);
}

/** Parses an int option as Java `Integer.parseInt`. */
export function parseIntOption(key: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw badValue(key, value, "an integer");
  const n = Number(value);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1) throw badValue(key, value, "a 32-bit integer");
  return n;
}

/** Parses a long option as Java `Long.parseLong`. */
export function parseLongOption(key: string, value: string): bigint {
  if (!/^[+-]?\d+$/.test(value)) throw badValue(key, value, "an integer");
  const n = BigInt(value);
  if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) throw badValue(key, value, "a 64-bit integer");
  return n;
}

/** Parses a boolean option: true or false in any case. */
export function parseBooleanOption(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw badValue(key, value, "true or false");
}

/** Parses a double option (decimal or exponent notation, as Java `Double.parseDouble`). */
export function parseDoubleOption(key: string, value: string): number {
  const t = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) throw badValue(key, value, "a number");
  return Number(t.replace(/[dDfF]$/, ""));
}

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  b: 1n, bytes: 1n, k: 1n << 10n, kb: 1n << 10n, kibibytes: 1n << 10n, m: 1n << 20n, mb: 1n << 20n,
  mebibytes: 1n << 20n, g: 1n << 30n, gb: 1n << 30n, gibibytes: 1n << 30n, t: 1n << 40n, tb: 1n << 40n,
  tebibytes: 1n << 40n,
};

/** Parses a MemorySize (`256 mb`, `64kb`, `500 B`, digits alone = bytes) into exact bytes. */
export function parseMemorySizeBytes(key: string, value: string): bigint {
  const m = /^(\d+)\s*(\S*)$/.exec(value.trim());
  const expected = "a memory size such as '256 mb' (units b, kb, mb, gb, tb)";
  if (!m) throw badValue(key, value, expected);
  const unit = m[2]!.toLowerCase();
  const multiplier = unit === "" ? 1n : MEMORY_UNITS[unit];
  if (multiplier === undefined) throw badValue(key, value, expected);
  const bytes = BigInt(m[1]!) * multiplier;
  if (bytes > 2n ** 63n - 1n) throw badValue(key, value, "a memory size below 2^63 bytes");
  return bytes;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = (() => {
  const out: Record<string, number> = {};
  const add = (ms: number, labels: string[]) => { for (const l of labels) out[l] = ms; };
  add(86_400_000, ["d", "day", "days"]);
  add(3_600_000, ["h", "hour", "hours"]);
  add(60_000, ["min", "m", "minute", "minutes"]);
  add(1000, ["s", "sec", "secs", "second", "seconds"]);
  add(1, ["ms", "milli", "millis", "millisecond", "milliseconds"]);
  add(1e-3, ["µs", "micro", "micros", "microsecond", "microseconds"]);
  add(1e-6, ["ns", "nano", "nanos", "nanosecond", "nanoseconds"]);
  return out;
})();

/**
 * Parses a Duration (`7d`, `1 h`, `30 min`, `10 s`, digits alone = milliseconds) into
 * milliseconds; sub-millisecond units give a fractional result.
 */
export function parseDurationMs(key: string, value: string): number {
  const m = /^(\d+)\s*(\S*)$/.exec(value.trim());
  const expected = "a duration such as '1 h' (units d, h, min, s, ms, µs, ns)";
  if (!m) throw badValue(key, value, expected);
  const unitMs = m[2] === "" ? 1 : DURATION_UNITS_MS[m[2]!.toLowerCase()];
  if (unitMs === undefined) throw badValue(key, value, expected);
  const ms = Number(m[1]) * unitMs;
  if (!Number.isSafeInteger(Math.ceil(ms))) throw badValue(key, value, "a duration below 2^53 ms");
  return ms;
}

/** Parses an enum option against `values` case-insensitively; returns the canonical value. */
export function parseEnumOption<T extends string>(key: string, value: string, values: readonly T[]): T {
  const upper = value.toUpperCase();
  const hit = values.find((v) => v.toUpperCase() === upper);
  if (hit === undefined) throw badValue(key, value, `one of ${values.join(", ")}`);
  return hit;
}

/** Parses a map option `k1:v1,k2:v2` (Java StructuredOptionsSplitter; quotes ' and " allowed). */
export function parseMapOption(key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of splitQuoted(key, value, ",")) {
    const pair = splitQuoted(key, item, ":");
    if (pair.length !== 2) throw badValue(key, value, "a map 'key1:value1,key2:value2'");
    out[pair[0]!] = pair[1]!;
  }
  return out;
}

function splitQuoted(key: string, text: string, delimiter: string): string[] {
  const out: string[] = [];
  let i = 0;
  let pendingEmpty = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === delimiter) {
      if (pendingEmpty) out.push("");
      pendingEmpty = true;
      i++;
    } else if (c === "'" || c === "\"") {
      let s = "";
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] !== c) { s += text[j]; continue; }
        if (text[j + 1] === c) { s += c; j++; continue; }
        break;
      }
      if (j >= text.length) throw badValue(key, text, "closed quotes");
      out.push(s);
      pendingEmpty = false;
      i = j + 1;
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (i < text.length && text[i] !== delimiter) throw badValue(key, text, `'${delimiter}' after a quoted part`);
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const end = text.indexOf(delimiter, i);
      const stop = end < 0 ? text.length : end;
      out.push(text.slice(i, stop).trim());
      pendingEmpty = false;
      i = stop;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Typed access

/** The raw text of `key` (or its first present fallback key), or null when absent. */
export function optionRaw(options: OptionMap, key: string): string | null {
  const own = options[key];
  if (own !== undefined) return own;
  for (const fb of SPEC_BY_KEY.get(key)?.fallbackKeys ?? []) {
    const v = options[fb];
    if (v !== undefined) return v;
  }
  return null;
}

function typedText(options: OptionMap, key: string, type: OptionType): string | null {
  const spec = SPEC_BY_KEY.get(key);
  assert(spec !== undefined, `core options: ${key} is not a typed option`);
  assert(spec.type === type, `core options: ${key} is ${spec.type}, not ${type}`);
  return optionRaw(options, key) ?? spec.defaultValue;
}

/** A string option with its Java default; null when unset without default. */
export function optionString(options: OptionMap, key: string): string | null {
  return typedText(options, key, STRING);
}
/** An int option with its Java default. Throws invalid_argument on a bad value. */
export function optionInt(options: OptionMap, key: string): number | null {
  const t = typedText(options, key, INT);
  return t === null ? null : parseIntOption(key, t);
}
/** A long option with its Java default. */
export function optionLong(options: OptionMap, key: string): bigint | null {
  const t = typedText(options, key, LONG);
  return t === null ? null : parseLongOption(key, t);
}
/** A boolean option with its Java default. */
export function optionBoolean(options: OptionMap, key: string): boolean | null {
  const t = typedText(options, key, BOOLEAN);
  return t === null ? null : parseBooleanOption(key, t);
}
/** A double option with its Java default. */
export function optionDouble(options: OptionMap, key: string): number | null {
  const t = typedText(options, key, DOUBLE);
  return t === null ? null : parseDoubleOption(key, t);
}
/** A MemorySize option in exact bytes, with its Java default. */
export function optionMemoryBytes(options: OptionMap, key: string): bigint | null {
  const t = typedText(options, key, MEMORY);
  return t === null ? null : parseMemorySizeBytes(key, t);
}
/** A Duration option in milliseconds, with its Java default. */
export function optionDurationMs(options: OptionMap, key: string): number | null {
  const t = typedText(options, key, DURATION);
  return t === null ? null : parseDurationMs(key, t);
}
/** An enum option as its canonical lower-case value, with its Java default. */
export function optionEnum(options: OptionMap, key: string): string | null {
  const t = typedText(options, key, ENUM);
  return t === null ? null : parseEnumOption(key, t, SPEC_BY_KEY.get(key)!.values!);
}
/** A map option (`k:v,k:v`), with its Java default (empty). */
export function optionMap(options: OptionMap, key: string): Record<string, string> {
  const t = typedText(options, key, MAP);
  return t === null || t.trim() === "" ? {} : parseMapOption(key, t);
}

/** Bytes as a JS number; values of 2^53 or more (Java's "unlimited" MAX_VALUE) become Infinity. */
export function bytesToNumber(bytes: bigint): number {
  return bytes >= 2n ** 53n ? Number.POSITIVE_INFINITY : Number(bytes);
}

/** Splits a comma list as Java does (`split(",")`, trimmed, blanks dropped). */
export function splitOptionList(text: string | null): string[] {
  if (text === null) return [];
  return text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}
