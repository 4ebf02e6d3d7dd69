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
 * Also the statistics parquet-mr keeps for a Parquet column chunk or page over a row range
 * (`parquetChunkStats`: plain bytes of the physical type, Parquet's order for the type), which
 * parquet_footer.ts writes into the footer and the column index.
 *
 * Invariants: same modes, same NaN and signed-zero rules, same truncation as file_stats.ts
 * (its helpers are reused for strings); test/unit/format/parquet_buffer_writer_test.ts compares
 * the two on random columns, test/unit/format/parquet_row_groups_test.ts the Parquet statistics
 * with an oracle. Imports: util/assert.ts, spec/data_types.ts (types), spec/simple_stats.ts,
 * spec/values.ts, column_buffers.ts, file_stats.ts, parquet_schema.ts. Mirrors the same Java
 * classes as file_stats.ts, and parquet-mr's `Statistics` (`PrimitiveComparator` orders).
 */
import type { DataType } from "../../spec/data_types.ts";
import { unreachable } from "../../util/assert.ts";
import { NO_COLUMN_STATS, type ColumnStats } from "../../spec/simple_stats.ts";
import { timestamp, type Value } from "../../spec/values.ts";
import { int32Words, type ColumnBuffers } from "./column_buffers.ts";
import { truncateCodePoints, truncateMaxString, type StatsMode } from "./file_stats.ts";
import { decimalFixedLengthBytes } from "./parquet_schema.ts";

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
function extremes(c: ColumnBuffers, compare: (i: number, j: number) => number, start = 0, end = c.length): { lo: number; hi: number } | null {
  let lo = -1, hi = -1;
  const v = c.validity;
  for (let i = start; i < end; i++) {
    if (!isValid(v, i)) continue;
    if (lo < 0) { lo = hi = i; continue; }
    if (compare(i, lo) < 0) lo = i;
    if (compare(i, hi) > 0) hi = i;
  }
  return lo < 0 ? null : { lo, hi };
}

function smallIntMinMax(c: ColumnBuffers, view: Int8Array | Int16Array | Int32Array, start = 0, end = c.length): { min: number; max: number } | null {
  let min = Infinity, max = -Infinity;
  const v = c.validity;
  if (v === null) {
    for (let i = start; i < end; i++) { const x = view[i]!; if (x < min) min = x; if (x > max) max = x; }
  } else {
    for (let i = start; i < end; i++) {
      if (!isValid(v, i)) continue;
      const x = view[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min === Infinity ? null : { min, max };
}

/** Indexes of the smallest and largest non-null int64 (int32 word pairs lo, hi), or null. */
function int64Extremes(c: ColumnBuffers, start = 0, end = c.length): { lo: number; hi: number } | null {
  const w = int32Words(c), v = c.validity;
  let lo = -1, hi = -1, minHi = 0, minLo = 0, maxHi = 0, maxLo = 0;
  for (let i = start; i < end; i++) {
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

/** Byte-wise compare of values i and j of a "var" column (negative: i sorts first). */
function compareVarAt(o: Int32Array, d: Uint8Array, i: number, j: number): number {
  let p = o[i]!, q = o[j]!;
  const pe = o[i + 1]!, qe = o[j + 1]!;
  const n = Math.min(pe - p, qe - q);
  for (let k = 0; k < n; k++) {
    const x = d[p + k]!, y = d[q + k]!;
    if (x !== y) return x - y;
  }
  return (pe - p) - (qe - q);
}

/** The first 4 bytes of value i of a "var" column as an unsigned big-endian number (missing bytes 0), and its length in the top bits' stead: see `varExtremes`. */
function prefixAt(o: Int32Array, d: Uint8Array, i: number): number {
  const p = o[i]!, n = o[i + 1]! - p;
  if (n >= 4) return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
  let x = 0;
  for (let k = 0; k < 4; k++) x = x * 256 + (k < n ? d[p + k]! : 0);
  return x;
}

/**
 * Indexes of the smallest and largest non-null values of rows [start, end) of a "var" column
 * by unsigned bytes (the first of equal values), or null when all are null. Values are told
 * apart by their first 4 bytes where those differ (two values with equal prefixes, or a prefix
 * padded with zeros, are compared in full).
 */
export function varExtremes(c: ColumnBuffers, start: number, end: number): { lo: number; hi: number } | null {
  const o = c.offsets!, d = c.data, v = c.validity;
  let lo = -1, hi = -1, loKey = 0, hiKey = 0;
  for (let i = start; i < end; i++) {
    if (v !== null && (v[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const key = prefixAt(o, d, i);
    if (lo < 0) { lo = hi = i; loKey = hiKey = key; continue; }
    if (key < loKey || (key === loKey && compareVarAt(o, d, i, lo) < 0)) { lo = i; loKey = key; }
    if (key > hiKey || (key === hiKey && compareVarAt(o, d, i, hi) > 0)) { hi = i; hiKey = key; }
  }
  return lo < 0 ? null : { lo, hi };
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
      const at = varExtremes(c, 0, c.length);
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

/**
 * Statistics of rows [start, end) of a column as parquet-mr 1.15 keeps them for a column chunk
 * (`org.apache.parquet.column.statistics.*Statistics`): the null count and the smallest and
 * largest non-null values as Parquet's plain bytes of the physical type, compared as the type
 * defines: signed INT32/INT64/DECIMAL (FIXED_LEN decimals as signed big-endian), false < true,
 * unsigned bytes for BYTE_ARRAY, and for FLOAT/DOUBLE Java's `Float/Double.compare` (-0.0 <
 * 0.0, NaN above everything: a NaN makes the max NaN, written as the canonical NaN bits).
 */
export interface ParquetChunkStats {
  readonly nullCount: number;
  /** Null when every row is null. */
  readonly min: Uint8Array | null;
  readonly max: Uint8Array | null;
  /** True when Parquet's sort order of the type is SIGNED (parquet-mr then also fills the deprecated min/max). */
  readonly signedOrder: boolean;
}

function le32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, x, true);
  return b;
}

function le64(w: Int32Array, i: number): Uint8Array {
  const b = new Uint8Array(8), d = new DataView(b.buffer);
  d.setInt32(0, w[2 * i]!, true);
  d.setInt32(4, w[2 * i + 1]!, true);
  return b;
}

/** Java `Double.compare` / `Float.compare` (NaN greatest, -0.0 below 0.0). */
export function javaFloatCompare(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (a === 0 && b === 0) return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
  return 0;
}

/** A FLOAT (`double` false) or DOUBLE as Parquet plain bytes, NaN as Java's canonical NaN. */
export function floatBytes(x: number, double: boolean): Uint8Array {
  const b = new Uint8Array(double ? 8 : 4), d = new DataView(b.buffer);
  if (Number.isNaN(x)) { if (double) d.setUint32(4, 0x7ff80000, true); else d.setUint32(0, 0x7fc00000, true); } // Java's canonical NaN
  else if (double) d.setFloat64(0, x, true);
  else d.setFloat32(0, x, true);
  return b;
}

/** The 128-bit value i of a DECIMAL column as Parquet stores DECIMAL(p): INT32, INT64 or `n`-byte big-endian. */
function decimalBytes(w: Int32Array, i: number, precision: number): Uint8Array {
  if (precision <= 9) return le32(w[4 * i]!);
  if (precision <= 18) return le64(new Int32Array([w[4 * i]!, w[4 * i + 1]!]), 0);
  const n = decimalFixedLengthBytes(precision);
  let x = BigInt.asUintN(8 * n, int128At(w, i)); // two's complement in n bytes (n <= 16)
  const out = new Uint8Array(n);
  for (let k = n - 1; k >= 0; k--) {
    out[k] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Null rows in [start, end). */
function nullsIn(c: ColumnBuffers, start: number, end: number): number {
  const v = c.validity;
  if (v === null || c.nullCount === 0) return 0;
  let nulls = 0;
  for (let i = start; i < end; i++) if ((v[i >> 3]! & (1 << (i & 7))) === 0) nulls++;
  return nulls;
}

/**
 * parquet-mr's column-chunk statistics of rows [start, end) of `c` (see ParquetChunkStats).
 * Requires: `isBufferStatsType(type)`, `c` in the layout of column_buffers.ts for `type`,
 * 0 <= start <= end <= c.length.
 */
export function parquetChunkStats(type: DataType, c: ColumnBuffers, start: number, end: number): ParquetChunkStats {
  const nullCount = nullsIn(c, start, end);
  const d = c.data;
  const none = (signedOrder: boolean): ParquetChunkStats => ({ nullCount, min: null, max: null, signedOrder });
  switch (type.root) {
    case "BOOLEAN": {
      let seen = false, min = 1, max = 0;
      for (let i = start; i < end; i++) {
        if (!isValid(c.validity, i)) continue;
        const x = (d[i >> 3]! >> (i & 7)) & 1;
        seen = true;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      return seen ? { nullCount, min: Uint8Array.of(min), max: Uint8Array.of(max), signedOrder: true } : none(true);
    }
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": {
      const view = c.byteWidth === 1 ? new Int8Array(d.buffer, d.byteOffset, c.length) : c.byteWidth === 2 ? new Int16Array(d.buffer, d.byteOffset, c.length) : new Int32Array(d.buffer, d.byteOffset, c.length);
      const r = smallIntMinMax(c, view, start, end);
      return r === null ? none(true) : { nullCount, min: le32(r.min), max: le32(r.max), signedOrder: true };
    }
    case "BIGINT": case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const at = int64Extremes(c, start, end), w = int32Words(c);
      return at === null ? none(true) : { nullCount, min: le64(w, at.lo), max: le64(w, at.hi), signedOrder: true };
    }
    case "FLOAT": case "DOUBLE": {
      const double = type.root === "DOUBLE";
      const view = double ? new Float64Array(d.buffer, d.byteOffset, c.length) : new Float32Array(d.buffer, d.byteOffset, c.length);
      let seen = false, min = 0, max = 0;
      for (let i = start; i < end; i++) {
        if (!isValid(c.validity, i)) continue;
        const x = view[i]!;
        if (!seen) { seen = true; min = max = x; continue; }
        if (javaFloatCompare(x, min) < 0) min = x;
        if (javaFloatCompare(x, max) > 0) max = x;
      }
      return seen ? { nullCount, min: floatBytes(min, double), max: floatBytes(max, double), signedOrder: true } : none(true);
    }
    case "DECIMAL": {
      const w = int32Words(c);
      const at = extremes(c, (i, j) => compareInt128(w, i, j), start, end);
      return at === null ? none(true) : { nullCount, min: decimalBytes(w, at.lo, type.precision!), max: decimalBytes(w, at.hi, type.precision!), signedOrder: true };
    }
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": {
      const at = varExtremes(c, start, end), o = c.offsets!;
      return at === null ? none(false) : { nullCount, min: d.slice(o[at.lo]!, o[at.lo + 1]!), max: d.slice(o[at.hi]!, o[at.hi + 1]!), signedOrder: false };
    }
    default: return unreachable(`buffer stats: no Parquet statistics for ${type.root}`);
  }
}
