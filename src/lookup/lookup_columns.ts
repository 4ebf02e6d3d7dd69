/**
 * Columnar storage of one loaded bucket's rows for lookups: one typed column per field, built
 * from the merge-on-read result (plain values from `readSplits`, or Arrow-layout buffers from
 * `readSplitsBuffers`), measured in bytes, read back as values only for hits.
 *
 * Kinds: "i64" (BIGINT, compact DECIMAL: BigInt64Array), "i32" (TINYINT, SMALLINT, INT, DATE,
 * TIME: Int32Array), "f64" (FLOAT, DOUBLE: Float64Array, exact for float32 values), "bool"
 * (Uint8Array 0/1), "str"/"bin" (CHAR/VARCHAR UTF-8, BINARY/VARBINARY: bytes + Uint32 offsets),
 * "ts" (TIMESTAMP/LTZ: epoch millis Float64Array + nano-of-milli Int32Array), "any" (every other
 * type: the JS values themselves; such a column is not persisted, see `isPersistable`).
 * `nulls` is a byte per row (1 = SQL NULL) or null when no row is null.
 *
 * Invariants: `valueAt(c, i)` returns exactly the value the read produced for row i (same JS
 * shape as `table.rows()`); a null row's slot holds zero/empty.
 * Imports: errors.ts, spec (data_types, values), util/bytes.ts, format/data/column_buffers.ts (type).
 * Mirrors no Java class (cf. Paimon's lookup `InternalRow` serializers in RocksDB state).
 */
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import type { DataType } from "../spec/data_types.ts";
import { isCompactDecimal } from "../spec/data_types.ts";
import type { Timestamp, Value } from "../spec/values.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";

/** Storage kind of a lookup column (persisted as its index in COLUMN_KINDS: never renumber). */
export type ColumnKind = "i64" | "i32" | "f64" | "bool" | "str" | "bin" | "ts" | "any";
/** Persisted order of column kinds (the byte written in index files). */
export const COLUMN_KINDS: readonly ColumnKind[] = ["i64", "i32", "f64", "bool", "str", "bin", "ts", "any"];

/** One column of a loaded bucket. */
export interface LookupColumn {
  readonly kind: ColumnKind;
  readonly length: number;
  /** 1 byte per row, 1 = null; null when no row is null. */
  readonly nulls: Uint8Array | null;
  /** i64: BigInt64Array; i32: Int32Array; f64/ts: Float64Array; bool/str/bin: Uint8Array; any: null. */
  readonly data: BigInt64Array | Int32Array | Float64Array | Uint8Array | null;
  /** str/bin: length + 1 offsets into `data`. */
  readonly offsets: Uint32Array | null;
  /** ts: nano-of-millisecond per row. */
  readonly nanos: Int32Array | null;
  /** any: the values. */
  readonly values: Value[] | null;
}

/** The storage kind used for values of `type`. */
export function columnKindOf(type: DataType): ColumnKind {
  switch (type.root) {
    case "BIGINT": return "i64";
    case "DECIMAL": return isCompactDecimal(type.precision ?? 10) ? "i64" : "any";
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": return "i32";
    case "FLOAT": case "DOUBLE": return "f64";
    case "BOOLEAN": return "bool";
    case "CHAR": case "VARCHAR": return "str";
    case "BINARY": case "VARBINARY": return "bin";
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return "ts";
    default: return "any";
  }
}

/** Bytes held by a column (what `cacheBytesMax` counts); "any" columns are estimated at 32 B a value. */
export function columnBytes(column: LookupColumn): number {
  let n = column.nulls?.byteLength ?? 0;
  n += column.data?.byteLength ?? 0;
  n += column.offsets?.byteLength ?? 0;
  n += column.nanos?.byteLength ?? 0;
  if (column.values !== null) n += column.values.length * 32;
  return n;
}

/** Builds a column from plain values (the general read path). */
export function columnFromValues(type: DataType, values: readonly Value[]): LookupColumn {
  const kind = columnKindOf(type);
  const n = values.length;
  let nulls: Uint8Array | null = null;
  const markNull = (i: number): void => {
    nulls ??= new Uint8Array(n);
    nulls[i] = 1;
  };
  const base = { kind, length: n, offsets: null, nanos: null, values: null };
  switch (kind) {
    case "i64": {
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; i++) { const v = values[i]; if (v === null || v === undefined) markNull(i); else data[i] = v as bigint; }
      return { ...base, nulls, data };
    }
    case "i32": {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) { const v = values[i]; if (v === null || v === undefined) markNull(i); else data[i] = v as number; }
      return { ...base, nulls, data };
    }
    case "f64": {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) { const v = values[i]; if (v === null || v === undefined) markNull(i); else data[i] = v as number; }
      return { ...base, nulls, data };
    }
    case "bool": {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) { const v = values[i]; if (v === null || v === undefined) markNull(i); else data[i] = v ? 1 : 0; }
      return { ...base, nulls, data };
    }
    case "str": case "bin": {
      const parts: Uint8Array[] = new Array(n);
      const offsets = new Uint32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        const bytes = v === null || v === undefined ? (markNull(i), EMPTY) : kind === "str" ? utf8Encode(v as string) : v as Uint8Array;
        parts[i] = bytes;
        total += bytes.length;
        offsets[i + 1] = total;
      }
      const data = new Uint8Array(total);
      for (let i = 0; i < n; i++) data.set(parts[i]!, offsets[i]!);
      return { ...base, nulls, data, offsets };
    }
    case "ts": {
      const data = new Float64Array(n), nanos = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i] as Timestamp | null | undefined;
        if (v === null || v === undefined) markNull(i);
        else { data[i] = v.epochMillis; nanos[i] = v.nanoOfMillisecond; }
      }
      return { ...base, nulls, data, nanos };
    }
    case "any":
      return { ...base, nulls: null, data: null, values: values.map((v) => v ?? null) };
  }
}

const EMPTY = new Uint8Array(0);

/** True when `columnFromBuffers` serves `type` (the fast read path's layouts this file converts). */
export function isBufferConvertible(type: DataType): boolean {
  return ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE", "CHAR", "VARCHAR", "BINARY", "VARBINARY"].includes(type.root);
}

function nullsFromValidity(buffers: ColumnBuffers): Uint8Array | null {
  if (buffers.validity === null || buffers.nullCount === 0) return null;
  const n = buffers.length, v = buffers.validity, out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (v[i >> 3]! >> (i & 7)) & 1 ? 0 : 1;
  return out;
}

/** `bytes` itself when its offset is a multiple of `width`, else an aligned copy. */
function aligned(bytes: Uint8Array<ArrayBuffer>, width: number): Uint8Array<ArrayBuffer> {
  return bytes.byteOffset % width === 0 ? bytes : bytes.slice();
}

/** Builds a column from an Arrow-layout column. Requires: `isBufferConvertible(type)`. */
export function columnFromBuffers(type: DataType, buffers: ColumnBuffers): LookupColumn {
  const kind = columnKindOf(type);
  const n = buffers.length, d = buffers.data;
  const nulls = nullsFromValidity(buffers);
  const base = { kind, length: n, nulls, offsets: null, nanos: null, values: null };
  switch (type.root) {
    // The read's output buffers are fresh and start at byte 0 of their own ArrayBuffer
    // (column_buffers.ts invariant): views, no copy.
    case "BIGINT": return { ...base, data: new BigInt64Array(aligned(d, 8).buffer, aligned(d, 8).byteOffset, n) };
    case "INT": case "DATE": case "TIME": return { ...base, data: new Int32Array(aligned(d, 4).buffer, aligned(d, 4).byteOffset, n) };
    case "SMALLINT": return { ...base, data: Int32Array.from(new Int16Array(d.buffer, d.byteOffset, n)) };
    case "TINYINT": return { ...base, data: Int32Array.from(new Int8Array(d.buffer, d.byteOffset, n)) };
    case "DOUBLE": return { ...base, data: new Float64Array(aligned(d, 8).buffer, aligned(d, 8).byteOffset, n) };
    case "FLOAT": return { ...base, data: Float64Array.from(new Float32Array(d.buffer, d.byteOffset, n)) };
    case "BOOLEAN": {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = (d[i >> 3]! >> (i & 7)) & 1;
      return { ...base, data };
    }
    default: {
      const o = buffers.offsets!;
      const offsets = new Uint32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = o[i]! - o[0]!;
      return { ...base, data: d.slice(o[0]!, o[n]!), offsets };
    }
  }
}

/** Value of row `i` (the JS shape `table.rows()` gives). */
export function columnValueAt(column: LookupColumn, i: number): Value {
  if (column.nulls !== null && column.nulls[i] === 1) return null;
  switch (column.kind) {
    case "i64": return (column.data as BigInt64Array)[i]!;
    case "i32": return (column.data as Int32Array)[i]!;
    case "f64": return (column.data as Float64Array)[i]!;
    case "bool": return (column.data as Uint8Array)[i] === 1;
    case "str": return utf8Decode((column.data as Uint8Array).subarray(column.offsets![i]!, column.offsets![i + 1]!));
    case "bin": return (column.data as Uint8Array).slice(column.offsets![i]!, column.offsets![i + 1]!);
    case "ts": return { epochMillis: (column.data as Float64Array)[i]!, nanoOfMillisecond: column.nanos![i]! };
    case "any": return column.values![i] ?? null;
  }
}

/** True when the column can be written to an index file (every kind but "any"). */
export function isPersistable(column: LookupColumn): boolean {
  return column.kind !== "any";
}

/** A reader of one column's values, specialised to its kind (faster than `columnValueAt` in loops). */
export function columnGetter(column: LookupColumn): (i: number) => Value {
  const nulls = column.nulls;
  switch (column.kind) {
    case "i64": {
      const d = column.data as BigInt64Array;
      return nulls === null ? (i) => d[i]! : (i) => (nulls[i] === 1 ? null : d[i]!);
    }
    case "i32": {
      const d = column.data as Int32Array;
      return nulls === null ? (i) => d[i]! : (i) => (nulls[i] === 1 ? null : d[i]!);
    }
    case "f64": {
      const d = column.data as Float64Array;
      return nulls === null ? (i) => d[i]! : (i) => (nulls[i] === 1 ? null : d[i]!);
    }
    default:
      return (i) => columnValueAt(column, i);
  }
}
