/**
 * Column statistics of a ColumnBuffers column (Arrow layout, as the fast reader and the gathers
 * produce it), equal to what `collectColumnStats` (file_stats.ts) returns for the same values:
 * Java's rules for a Parquet data file, computed on typed arrays without per-row JS values.
 *
 * Served types (`isBufferStatsType`): BOOLEAN, TINYINT, SMALLINT, INT, DATE, TIME, BIGINT,
 * FLOAT, DOUBLE, TIMESTAMP(_LTZ) with precision 1..6 (int64 millis for p ≤ 3, micros above),
 * DECIMAL (128-bit little-endian two's complement), CHAR/VARCHAR (UTF-8, ordered by bytes =
 * code points), BINARY/VARBINARY (min/max unknown, as in file_stats.ts). Null rows (validity bit
 * clear) are skipped whatever their value bytes hold.
 *
 * Invariants: same modes, same NaN and signed-zero rules, same truncation as file_stats.ts
 * (its helpers are reused for strings); test/unit/format/buffer_stats_test.ts compares the two
 * on random columns. Imports: util/assert.ts, spec/data_types.ts (types), spec/simple_stats.ts, spec/values.ts,
 * column_buffers.ts, file_stats.ts. Mirrors the same Java classes as file_stats.ts.
 */
import type { DataType } from "../../spec/data_types.ts";
import { unreachable } from "../../util/assert.ts";
import { NO_COLUMN_STATS, type ColumnStats } from "../../spec/simple_stats.ts";
import { timestamp, type Value } from "../../spec/values.ts";
import { int32Words, type ColumnBuffers } from "./column_buffers.ts";
import { truncateCodePoints, truncateMaxString, type StatsMode } from "./file_stats.ts";

const TWO_POW_32 = 4294967296;
const UTF8 = new TextDecoder();

/** True when `bufferColumnStats` serves columns of `type` (see the file header). */
export function isBufferStatsType(type: DataType): boolean {
  switch (type.root) {
    case "BOOLEAN": case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": case "BIGINT":
    case "FLOAT": case "DOUBLE": case "DECIMAL": case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY":
      return true;
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return type.precision! >= 1 && type.precision! <= 6;
    default: return false;
  }
}

function isValid(validity: Uint8Array | null, i: number): boolean {
  return validity === null || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** Index of the smallest and largest non-null value by `compare(i, j)`, or null when all are null. */
function extremes(c: ColumnBuffers, compare: (i: number, j: number) => number): { lo: number; hi: number } | null {
  let lo = -1, hi = -1;
  const v = c.validity;
  for (let i = 0; i < c.length; i++) {
    if (!isValid(v, i)) continue;
    if (lo < 0) { lo = hi = i; continue; }
    if (compare(i, lo) < 0) lo = i;
    if (compare(i, hi) > 0) hi = i;
  }
  return lo < 0 ? null : { lo, hi };
}

function smallIntMinMax(c: ColumnBuffers, view: Int8Array | Int16Array | Int32Array): { min: Value; max: Value } | null {
  let min = Infinity, max = -Infinity;
  const v = c.validity;
  if (v === null) {
    for (let i = 0; i < c.length; i++) { const x = view[i]!; if (x < min) min = x; if (x > max) max = x; }
  } else {
    for (let i = 0; i < c.length; i++) {
      if (!isValid(v, i)) continue;
      const x = view[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min === Infinity ? null : { min, max };
}

/** Indexes of the smallest and largest non-null int64 (int32 word pairs lo, hi), or null. */
function int64Extremes(c: ColumnBuffers): { lo: number; hi: number } | null {
  const w = int32Words(c), v = c.validity;
  let lo = -1, hi = -1, minHi = 0, minLo = 0, maxHi = 0, maxLo = 0;
  for (let i = 0; i < c.length; i++) {
    if (v !== null && (v[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const h = w[2 * i + 1]!, l = w[2 * i]! >>> 0;
    if (lo < 0) { lo = hi = i; minHi = maxHi = h; minLo = maxLo = l; continue; }
    if (h < minHi || (h === minHi && l < minLo)) { lo = i; minHi = h; minLo = l; }
    if (h > maxHi || (h === maxHi && l > maxLo)) { hi = i; maxHi = h; maxLo = l; }
  }
  return lo < 0 ? null : { lo, hi };
}

function int64At(w: Int32Array, i: number): bigint {
  return (BigInt(w[2 * i + 1]!) << 32n) | BigInt(w[2 * i]! >>> 0);
}

/** An int64 as a JS number (exact below 2^53, which timestamps in millis or micros always are). */
function int64Number(w: Int32Array, i: number): number {
  return w[2 * i + 1]! * TWO_POW_32 + (w[2 * i]! >>> 0);
}

/** Signed compare of 128-bit values held as 4 int32 words, least significant first. */
function compareInt128(w: Int32Array, i: number, j: number): number {
  const a = w[4 * i + 3]!, b = w[4 * j + 3]!;
  if (a !== b) return a < b ? -1 : 1;
  for (let k = 2; k >= 0; k--) {
    const x = w[4 * i + k]! >>> 0, y = w[4 * j + k]! >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function int128At(w: Int32Array, i: number): bigint {
  let x = BigInt(w[4 * i + 3]!);
  for (let k = 2; k >= 0; k--) x = (x << 32n) | BigInt(w[4 * i + k]! >>> 0);
  return x;
}

function floatMinMax(c: ColumnBuffers, view: Float32Array | Float64Array): { min: Value; max: Value } | null {
  let min = Infinity, max = -Infinity, seen = false;
  const v = c.validity;
  for (let i = 0; i < c.length; i++) {
    if (!isValid(v, i)) continue;
    const x = view[i]!;
    if (Number.isNaN(x)) return null; // parquet-mr drops min/max of a chunk holding NaN
    seen = true;
    if (x < min || (x === 0 && min === 0 && Object.is(x, -0))) min = x;
    if (x > max || (x === 0 && max === 0 && Object.is(x, 0))) max = x;
  }
  if (!seen) return null;
  return { min: min === 0 ? -0 : min, max: max === 0 ? 0 : max };
}

function compareVar(c: ColumnBuffers, i: number, j: number): number {
  const o = c.offsets!, d = c.data;
  let p = o[i]!, q = o[j]!;
  const pe = o[i + 1]!, qe = o[j + 1]!;
  while (p < pe && q < qe) {
    const x = d[p]!, y = d[q]!;
    if (x !== y) return x - y;
    p++;
    q++;
  }
  return (pe - p) - (qe - q);
}

function textAt(c: ColumnBuffers, i: number): string {
  return UTF8.decode(c.data.subarray(c.offsets![i]!, c.offsets![i + 1]!));
}

function timestampValue(w: Int32Array, i: number, micros: boolean): Value {
  const t = int64Number(w, i);
  if (!micros) return timestamp(t);
  const millis = Math.floor(t / 1000);
  return timestamp(millis, (t - millis * 1000) * 1000);
}

/** Min and max of the non-null values as Parquet orders them, or null (all null / unknown). */
function minMax(type: DataType, c: ColumnBuffers): { min: Value; max: Value } | null {
  const d = c.data;
  switch (type.root) {
    case "BOOLEAN": {
      let min: boolean | null = null, max: boolean | null = null;
      for (let i = 0; i < c.length; i++) {
        if (!isValid(c.validity, i)) continue;
        const x = (d[i >> 3]! & (1 << (i & 7))) !== 0;
        if (min === null || (!x && min)) min = x;
        if (max === null || (x && !max)) max = x;
      }
      return min === null ? null : { min, max };
    }
    case "TINYINT": return smallIntMinMax(c, new Int8Array(d.buffer, d.byteOffset, c.length));
    case "SMALLINT": return smallIntMinMax(c, new Int16Array(d.buffer, d.byteOffset, c.length));
    case "INT": case "DATE": case "TIME": return smallIntMinMax(c, new Int32Array(d.buffer, d.byteOffset, c.length));
    case "FLOAT": return floatMinMax(c, new Float32Array(d.buffer, d.byteOffset, c.length));
    case "DOUBLE": return floatMinMax(c, new Float64Array(d.buffer, d.byteOffset, c.length));
    case "BIGINT": {
      const w = int32Words(c), at = int64Extremes(c);
      return at === null ? null : { min: int64At(w, at.lo), max: int64At(w, at.hi) };
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const w = int32Words(c), micros = type.precision! > 3, at = int64Extremes(c);
      return at === null ? null : { min: timestampValue(w, at.lo, micros), max: timestampValue(w, at.hi, micros) };
    }
    case "DECIMAL": {
      const w = int32Words(c);
      const at = extremes(c, (i, j) => compareInt128(w, i, j));
      return at === null ? null : { min: int128At(w, at.lo), max: int128At(w, at.hi) };
    }
    case "CHAR": case "VARCHAR": {
      const at = extremes(c, (i, j) => compareVar(c, i, j));
      return at === null ? null : { min: textAt(c, at.lo), max: textAt(c, at.hi) };
    }
    default: return null; // BINARY/VARBINARY: unknown (see file_stats.ts)
  }
}

/**
 * Statistics of one column of `type` under `mode`, equal to `collectColumnStats` over the same
 * values. Requires: `isBufferStatsType(type)` (other types give NO_COLUMN_STATS) and `column`
 * in the layout the fast reader delivers for `type`.
 */
export function bufferColumnStats(type: DataType, column: ColumnBuffers, mode: StatsMode): ColumnStats {
  if (mode.kind === "none" || !isBufferStatsType(type)) return NO_COLUMN_STATS;
  const nullCount = BigInt(column.nullCount);
  if (mode.kind === "counts") return { min: null, max: null, nullCount };
  const range = minMax(type, column);
  if (range === null) return { min: null, max: null, nullCount };
  if (mode.kind === "full" || typeof range.min !== "string") return { min: range.min, max: range.max, nullCount };
  const max = truncateMaxString(range.max as string, mode.length);
  if (max === null) return { min: null, max: null, nullCount };
  return { min: truncateCodePoints(range.min, mode.length), max, nullCount };
}

/** True when a FLOAT/DOUBLE column holds a NaN in a non-null row (the writer then writes no footer stats for it). */
export function bufferHasNaN(type: DataType, c: ColumnBuffers): boolean {
  if (type.root !== "FLOAT" && type.root !== "DOUBLE") return false;
  const d = c.data;
  const view = type.root === "FLOAT" ? new Float32Array(d.buffer, d.byteOffset, c.length) : new Float64Array(d.buffer, d.byteOffset, c.length);
  for (let i = 0; i < c.length; i++) if (Number.isNaN(view[i]!) && isValid(c.validity, i)) return true;
  return false;
}

/**
 * Row `i` of `column` as a value of `type` (spec/values.ts shape), for the min/max keys of a
 * file. Requires: `isBufferStatsType(type)`, 0 <= i < column.length.
 */
export function bufferValueAt(type: DataType, c: ColumnBuffers, i: number): Value {
  if (!isValid(c.validity, i)) return null;
  const d = c.data;
  switch (type.root) {
    case "BOOLEAN": return (d[i >> 3]! & (1 << (i & 7))) !== 0;
    case "TINYINT": return (d[i]! << 24) >> 24;
    case "SMALLINT": return new Int16Array(d.buffer, d.byteOffset, c.length)[i]!;
    case "INT": case "DATE": case "TIME": return int32Words(c)[i]!;
    case "FLOAT": return new Float32Array(d.buffer, d.byteOffset, c.length)[i]!;
    case "DOUBLE": return new Float64Array(d.buffer, d.byteOffset, c.length)[i]!;
    case "BIGINT": return int64At(int32Words(c), i);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return timestampValue(int32Words(c), i, type.precision! > 3);
    case "DECIMAL": return int128At(int32Words(c), i);
    case "CHAR": case "VARCHAR": return textAt(c, i);
    case "BINARY": case "VARBINARY": return d.slice(c.offsets![i]!, c.offsets![i + 1]!);
    default: return unreachable(`buffer stats: no value reader for ${type.root}`);
  }
}
