/**
 * Column statistics of a Parquet data file exactly as Java Paimon records them in its manifest:
 * the stats mode of every column (`metadata.stats-mode`, `fields.<f>.stats-mode`, per-level
 * modes, `metadata.stats-keep-first-n-columns`, truncate(128) for system and key columns), and
 * the min / max / null count of a column of values under that mode.
 *
 * Java takes Parquet statistics from the footer parquet-mr wrote (`ParquetSimpleStatsExtractor`)
 * and passes them through the column's collector (`convert`). Reproduced here from the values:
 *  - null count: exact, for every mode but `none`.
 *  - min/max by the Parquet order of the physical value: numbers numerically, booleans
 *    false < true, strings by UTF-8 bytes (= code points), decimals by unscaled value,
 *    timestamps at the precision written (millis for p ≤ 3, micros for p ≤ 6).
 *  - FLOAT/DOUBLE: any NaN makes min/max unknown (parquet-mr drops NaN min/max when it reads a
 *    footer back); a min of +0.0 becomes -0.0 and a max of -0.0 becomes +0.0 (same reader).
 *  - TIMESTAMP(_LTZ) precision > 6 (INT96): min/max unknown.
 *  - BINARY/VARBINARY: min/max unknown, as Paimon ≤ 1.4 writes them (2.0 records them, but ≤ 1.x
 *    readers compare bytes signed and would skip files wrongly).
 *  - ARRAY/MAP/MULTISET/ROW/VARIANT/VECTOR: no statistics at all (Java finds no Parquet column
 *    under the field name), whatever the mode.
 *  - truncate(n): strings longer than n code points keep an n-code-point prefix as min and, as
 *    max, the prefix with its last incrementable code point incremented (later ones dropped);
 *    when no code point can be incremented both become unknown. Where Java's increment lands
 *    on a surrogate (U+D7FF + 1) Java writes '?', a wrong bound; we use U+E000 instead.
 *  - `counts`: null count only; `none`: nothing; `full`: min/max untruncated.
 * Java 2.0 reads the stats from the writer's in-memory footer and may keep a NaN max; the rule
 * above (unknown) is the one of every release before it, and is never wrong.
 *
 * Mirrors StatsCollectorFactories, SimpleColStatsCollector (Truncate/Full/Counts/None) and
 * ParquetSimpleStatsExtractor:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/StatsCollectorFactories.java
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/statistics/TruncateSimpleColStatsCollector.java
 * https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/parquet/ParquetSimpleStatsExtractor.java
 *
 * Imports: errors.ts, spec/core_options.ts, spec/core_options_types.ts, spec/data_types.ts,
 * spec/simple_stats.ts, spec/values.ts, data_file_fields.ts.
 */
import { LakeError } from "../../errors.ts";
import { optionInt, optionMap, optionString } from "../../spec/core_options.ts";
import type { OptionMap } from "../../spec/core_options_types.ts";
import type { DataType } from "../../spec/data_types.ts";
import { NO_COLUMN_STATS, type ColumnStats } from "../../spec/simple_stats.ts";
import { timestamp, type Timestamp, type Value } from "../../spec/values.ts";
import { isSystemFieldName } from "./data_file_fields.ts";

/** A column's stats mode (Java `SimpleColStatsCollector` kinds). */
export type StatsMode =
  | { readonly kind: "none" }
  | { readonly kind: "counts" }
  | { readonly kind: "full" }
  | { readonly kind: "truncate"; readonly length: number };

/** Truncate length Java uses for system and key columns since 1.0. */
export const KEY_STATS_TRUNCATE_LENGTH = 128;

const TRUNCATE = /^TRUNCATE\((\d+)\)$/;

/** Parses a stats mode as Java's `SimpleColStatsCollector.from` (case-insensitive, no spaces). */
export function parseStatsMode(text: string, where: string): StatsMode {
  const upper = text.toUpperCase();
  if (upper === "NONE") return { kind: "none" };
  if (upper === "FULL") return { kind: "full" };
  if (upper === "COUNTS") return { kind: "counts" };
  const m = TRUNCATE.exec(upper);
  const length = m === null ? NaN : Number(m[1]);
  if (!Number.isSafeInteger(length) || length <= 0 || length > 2147483647) {
    throw new LakeError("invalid_argument", `stats: ${where} = ${JSON.stringify(text)} is not a stats mode (none, counts, full, truncate(n) with n > 0)`);
  }
  return { kind: "truncate", length };
}

/**
 * The table-wide stats mode of a data file: `metadata.stats-mode`, overridden for primary-key
 * files by `metadata.stats-mode.per.level` for `level` (Java `KeyValueFileWriterFactory`;
 * append files use `metadata.stats-mode` only).
 */
export function dataFileStatsMode(options: OptionMap, primaryKey: boolean, level: number): string {
  if (primaryKey) {
    const perLevel = optionMap(options, "metadata.stats-mode.per.level");
    for (const [key, mode] of Object.entries(perLevel)) {
      if (!/^[+-]?\d+$/.test(key.trim())) throw new LakeError("invalid_argument", `stats: metadata.stats-mode.per.level key ${JSON.stringify(key)} is not a level number`);
      if (Number(key) === level) return mode;
    }
  }
  return optionString(options, "metadata.stats-mode")!;
}

/**
 * The stats mode of each physical column `fieldNames` of a data file (Java
 * `StatsCollectorFactories.createStatsFactories`): `fields.<name>.stats-mode` first; else
 * truncate(128) for system fields (`_KEY_*`, `_SEQUENCE_NUMBER`, ...); else `statsMode`, or
 * `none` once `metadata.stats-keep-first-n-columns` non-system columns have a mode.
 */
export function columnStatsModes(fieldNames: readonly string[], options: OptionMap, statsMode: string): StatsMode[] {
  const keepFirst = optionInt(options, "metadata.stats-keep-first-n-columns")!;
  let columnCount = 0;
  return fieldNames.map((name) => {
    const key = `fields.${name}.stats-mode`;
    const own = options[key];
    if (own !== undefined) {
      columnCount++;
      return parseStatsMode(own, key);
    }
    if (isSystemFieldName(name)) return { kind: "truncate", length: KEY_STATS_TRUNCATE_LENGTH };
    const mode: StatsMode = keepFirst >= 0 && columnCount >= keepFirst ? { kind: "none" } : parseStatsMode(statsMode, "metadata.stats-mode");
    columnCount++;
    return mode;
  });
}

// ---------------------------------------------------------------------------------------------
// Ordering helpers

/** Maps a UTF-16 unit ≥ 0xD800 so that code-point order holds: surrogates above U+E000..U+FFFF. */
function fixUnit(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/** Compares well-formed strings by code points, which is their UTF-8 byte order. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? fixUnit(x) - fixUnit(y) : x - y;
  }
  return a.length - b.length;
}

type WellFormed = { isWellFormed?: () => boolean; toWellFormed?: () => string };

/** The string as UTF-8 stores it: lone surrogates become U+FFFD (TextEncoder's rule). */
export function wellFormedString(s: string): string {
  const w = s as unknown as WellFormed;
  if (w.isWellFormed !== undefined && w.toWellFormed !== undefined) return w.isWellFormed() ? s : w.toWellFormed();
  return s.replace(/\p{Surrogate}/gu, "\uFFFD");
}

/** Java `BinaryString#substring(0, n)`: the first `n` code points (`s` itself when shorter). */
export function truncateCodePoints(s: string, n: number): string {
  let units = 0;
  for (let count = 0; count < n; count++) {
    if (units >= s.length) return s;
    const c = s.charCodeAt(units);
    units += c >= 0xd800 && c < 0xdc00 && units + 1 < s.length ? 2 : 1;
  }
  return units >= s.length ? s : s.slice(0, units);
}

/**
 * Java `TruncateSimpleColStatsCollector#truncateMax` for strings: `s` when it has at most `n`
 * code points; else the first `n` code points with the last one that can be incremented
 * incremented (and the rest dropped); null when none can (all are U+10FFFF).
 */
export function truncateMaxString(s: string, n: number): string | null {
  const prefix = truncateCodePoints(s, n);
  if (prefix === s) return s;
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  for (let i = points.length - 1; i >= 0; i--) {
    let next = points[i]! + 1;
    if (next > 0x10ffff) continue;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // Java would write '?' here (a lower value)
    return String.fromCodePoint(...points.slice(0, i), next);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Collection

const NESTED_ROOTS = new Set(["ARRAY", "MAP", "MULTISET", "ROW", "VARIANT", "VECTOR"]);

/** Min and max of the non-null values as Parquet orders them, or null when all are null / unknown. */
function parquetMinMax(type: DataType, values: readonly Value[]): { min: Value; max: Value } | null {
  switch (type.root) {
    case "BINARY": case "VARBINARY": case "BLOB": return null;
    case "FLOAT": case "DOUBLE": return floatMinMax(values, type.root === "FLOAT");
    case "CHAR": case "VARCHAR": {
      let min: string | null = null, max: string | null = null;
      for (const v of values) {
        if (v === null) continue;
        const s = wellFormedString(v as string);
        if (min === null || compareCodePoints(s, min) < 0) min = s;
        if (max === null || compareCodePoints(s, max) > 0) max = s;
      }
      return min === null ? null : { min, max };
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return timestampMinMax(type.precision!, values);
    case "BOOLEAN": case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": case "BIGINT": case "DECIMAL": {
      let min: number | bigint | boolean | null = null, max: number | bigint | boolean | null = null;
      for (const v of values) {
        if (v === null) continue;
        const x = v as number | bigint | boolean;
        if (min === null || x < min) min = x;
        if (max === null || x > max) max = x;
      }
      return min === null ? null : { min, max };
    }
    default: return null;
  }
}

function floatMinMax(values: readonly Value[], float32: boolean): { min: Value; max: Value } | null {
  let min = Infinity, max = -Infinity, seen = false;
  for (const v of values) {
    if (v === null) continue;
    const x = float32 ? Math.fround(v as number) : v as number; // the value the file holds
    if (Number.isNaN(x)) return null; // parquet-mr drops min/max of a chunk holding NaN
    seen = true;
    if (x < min || (x === 0 && min === 0 && Object.is(x, -0))) min = x;
    if (x > max || (x === 0 && max === 0 && Object.is(x, 0))) max = x;
  }
  if (!seen) return null;
  // parquet-mr's reader widens zero bounds so that no 0.0 or -0.0 value is skipped.
  return { min: min === 0 ? -0 : min, max: max === 0 ? 0 : max };
}

function timestampMinMax(precision: number, values: readonly Value[]): { min: Value; max: Value } | null {
  if (precision > 6) return null; // INT96: parquet-mr keeps no usable order, Java records unknown
  const micros = precision > 3;
  let min: Timestamp | null = null, max: Timestamp | null = null;
  let minMillis = 0, minMicro = 0, maxMillis = 0, maxMicro = 0;
  for (const v of values) {
    if (v === null) continue;
    const ts = v as Timestamp;
    const millis = ts.epochMillis, micro = micros ? Math.floor(ts.nanoOfMillisecond / 1000) : 0;
    if (min === null || millis < minMillis || (millis === minMillis && micro < minMicro)) { min = ts; minMillis = millis; minMicro = micro; }
    if (max === null || millis > maxMillis || (millis === maxMillis && micro > maxMicro)) { max = ts; maxMillis = millis; maxMicro = micro; }
  }
  if (min === null) return null;
  return { min: timestamp(minMillis, minMicro * 1000), max: timestamp(maxMillis, maxMicro * 1000) };
}

/**
 * Statistics of one column of `type` with `values` under `mode`, as Java records them for a
 * Parquet data file (see the file header). Requires: values valid for `type` (values.ts).
 */
export function collectColumnStats(type: DataType, values: readonly Value[], mode: StatsMode): ColumnStats {
  if (mode.kind === "none" || NESTED_ROOTS.has(type.root)) return NO_COLUMN_STATS;
  let nullCount = 0;
  for (const v of values) if (v === null) nullCount++;
  const counts = BigInt(nullCount);
  if (mode.kind === "counts") return { min: null, max: null, nullCount: counts };
  const range = parquetMinMax(type, values);
  if (range === null) return { min: null, max: null, nullCount: counts };
  if (mode.kind === "full" || typeof range.min !== "string") return { min: range.min, max: range.max, nullCount: counts };
  const max = truncateMaxString(range.max as string, mode.length);
  if (max === null) return { min: null, max: null, nullCount: counts };
  return { min: truncateCodePoints(range.min, mode.length), max, nullCount: counts };
}
