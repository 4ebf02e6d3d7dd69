// Goal: an independent oracle for the column statistics Java records for a Parquet data file,
// to check file_stats.ts and the writer against.
// Method: sort the non-null values with a plain comparator per type (strings as UTF-8 bytes
// via utf8Encode + compareBytes, code points via Array.from), then apply Java's rules as
// written in ParquetSimpleStatsExtractor and TruncateSimpleColStatsCollector.
// Test helper only (not a test file); nothing in src/ depends on it.
import type { DataType } from "../../../src/spec/data_types.ts";
import type { ColumnStats } from "../../../src/spec/simple_stats.ts";
import { timestamp, type Timestamp, type Value } from "../../../src/spec/values.ts";
import { compareBytes, utf8Encode } from "../../../src/util/bytes.ts";
import type { StatsMode } from "../../../src/format/data/file_stats.ts";

const UNKNOWN: ColumnStats = { min: null, max: null, nullCount: null };

/** Java's stats of a string column: min/max by UTF-8 bytes, truncated to `n` code points (null: full). */
export function oracleStrings(values: readonly (string | null)[], n: number | null): ColumnStats {
  const present = values.filter((v): v is string => v !== null).map((v) => v.replace(/\p{Surrogate}/gu, "\uFFFD"));
  const nullCount = BigInt(values.length - present.length);
  if (present.length === 0) return { min: null, max: null, nullCount };
  present.sort((a, b) => compareBytes(utf8Encode(a), utf8Encode(b)));
  const min = present[0]!, max = present[present.length - 1]!;
  if (n === null) return { min, max, nullCount };
  const tmin = Array.from(min).slice(0, n).join("");
  const maxPoints = Array.from(max);
  if (maxPoints.length <= n) return { min: tmin, max, nullCount };
  const prefix = maxPoints.slice(0, n).map((c) => c.codePointAt(0)!);
  for (let i = n - 1; i >= 0; i--) {
    if (prefix[i]! < 0x10ffff) {
      let next = prefix[i]! + 1;
      if (next === 0xd800) next = 0xe000;
      return { min: tmin, max: String.fromCodePoint(...prefix.slice(0, i), next), nullCount };
    }
  }
  return { min: null, max: null, nullCount };
}

function sortedBy<T>(values: T[], key: (v: T) => number | bigint | boolean): T[] {
  return values.sort((a, b) => {
    const x = key(a), y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Java's statistics of one column of atomic or nested `type` under `mode`. */
export function oracleColumnStats(type: DataType, values: readonly Value[], mode: StatsMode): ColumnStats {
  if (mode.kind === "none" || ["ARRAY", "MAP", "MULTISET", "ROW", "VARIANT", "VECTOR"].includes(type.root)) return UNKNOWN;
  const present = values.filter((v) => v !== null);
  const nullCount = BigInt(values.length - present.length);
  const unknownRange: ColumnStats = { min: null, max: null, nullCount };
  if (mode.kind === "counts" || present.length === 0) return unknownRange;
  switch (type.root) {
    case "CHAR": case "VARCHAR": return oracleStrings(values as (string | null)[], mode.kind === "truncate" ? mode.length : null);
    case "BINARY": case "VARBINARY": return unknownRange;
    case "FLOAT": case "DOUBLE": {
      const xs = (present as number[]).map((x) => (type.root === "FLOAT" ? Math.fround(x) : x));
      if (xs.some(Number.isNaN)) return unknownRange;
      xs.sort((a, b) => (a === b ? (Object.is(a, -0) ? -1 : Object.is(b, -0) ? 1 : 0) : a - b));
      const min = xs[0]!, max = xs[xs.length - 1]!;
      return { min: min === 0 ? -0 : min, max: max === 0 ? 0 : max, nullCount };
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = type.precision!;
      if (p > 6) return unknownRange;
      const unit = (t: Timestamp) => BigInt(t.epochMillis) * 1000n + (p > 3 ? BigInt(Math.floor(t.nanoOfMillisecond / 1000)) : 0n);
      const xs = sortedBy(present as Timestamp[], unit);
      const back = (t: Timestamp) => {
        const u = unit(t);
        const ms = u / 1000n - (u % 1000n < 0n ? 1n : 0n);
        return timestamp(Number(ms), Number(u - ms * 1000n) * 1000);
      };
      return { min: back(xs[0]!), max: back(xs[xs.length - 1]!), nullCount };
    }
    default: {
      const xs = sortedBy(present as (number | bigint | boolean)[], (v) => v);
      return { min: xs[0]!, max: xs[xs.length - 1]!, nullCount };
    }
  }
}
