/**
 * The output of a flush as columns: gathers the rows a merge kept (write_merge.ts
 * `MergeOutput`) from the buffer's column stores into Arrow-layout ColumnBuffers for
 * lsm/rolling_buffer_writer.ts (no JS value per row for fixed-width and string columns), or into
 * value arrays for lsm/rolling_file_writer.ts when a column type has no buffer layout.
 *
 * Layouts (format/data/column_buffers.ts, as `writeBufferDataFile` takes them): BOOLEAN bits;
 * TINYINT/SMALLINT/INT/DATE/TIME/FLOAT fixed 1/2/4/4/4/4; BIGINT/DOUBLE fixed 8; TIMESTAMP(1..3)
 * int64 millis, TIMESTAMP(4..6) int64 micros; DECIMAL 16-byte little-endian two's complement;
 * CHAR/VARCHAR UTF-8 and BINARY/VARBINARY bytes, var. Null rows hold zero bytes / no bytes.
 *
 * Order: when the output keeps most buffered rows, columns are filled by a scatter (each
 * stored row read in order and written to its output position); a string/binary column whose
 * stored values all have one byte length (fixed-width codes, the benchmark's 10-character
 * strings) is scattered in 4- or 2-byte words to `position × width`, with no length pass.
 *
 * Invariants: every column has `count` rows; values of merged records (negative sources) and
 * folded values go through the same per-value setter as the fallback.
 * Imports: errors.ts, util/assert.ts, spec (data_types, values types),
 * format/data (column_buffers type, parquet_buffer_writer), lsm/write_columns.ts.
 */
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import { isBufferWritableType } from "../format/data/parquet_buffer_writer.ts";
import type { DataType } from "../spec/data_types.ts";
import type { Timestamp, Value } from "../spec/values.ts";
import { unreachable } from "../util/assert.ts";
import { CHUNK_MASK, CHUNK_ROWS, CHUNK_SHIFT, type ColumnStore } from "./write_columns.ts";

/** Where the values of one output column come from (default: the output's source rows). */
export type FieldOutput =
  /** Per output row: a buffered row (>= 0) or `~i` for the merged record i (< 0). */
  | { readonly kind: "rows"; readonly rows: Int32Array }
  /** Per output row: the value. */
  | { readonly kind: "values"; readonly values: readonly Value[] }
  /** Per output row: a number (folded sums), null where `valid[o] === 0`. */
  | { readonly kind: "numbers"; readonly data: Float64Array; readonly valid: Uint8Array | null };

/** Values of merged records, by record index. */
export type RecordValues = readonly { readonly value: readonly Value[] }[];

const ENCODER = new TextEncoder();
const TWO_POW_32 = 4294967296;

/** True when every type has a buffer layout (the whole flush can take the buffer writer). */
export function buffersServeTypes(types: readonly DataType[]): boolean {
  return types.every((t) => isBufferWritableType(t));
}

function fixedWidth(type: DataType): number {
  switch (type.root) {
    case "TINYINT": return 1;
    case "SMALLINT": return 2;
    case "INT": case "DATE": case "TIME": case "FLOAT": return 4;
    case "BIGINT": case "DOUBLE": case "TIMESTAMP": case "TIMESTAMP_LTZ": return 8;
    case "DECIMAL": return 16;
    default: return 0;
  }
}

/** A builder of one output column in Arrow layout. */
class ColumnBuilder {
  readonly type: DataType;
  readonly count: number;
  readonly width: number;
  readonly var: boolean;
  data: Uint8Array<ArrayBuffer>;
  readonly view: DataView;
  readonly offsets: Int32Array<ArrayBuffer> | null;
  validity: Uint8Array<ArrayBuffer> | null = null;
  nullCount = 0;

  constructor(type: DataType, count: number, varBytes = 0) {
    this.type = type;
    this.count = count;
    this.var = ["CHAR", "VARCHAR", "BINARY", "VARBINARY"].includes(type.root);
    this.width = fixedWidth(type);
    this.data = new Uint8Array(this.var ? Math.max(16, varBytes) : type.root === "BOOLEAN" ? (count + 7) >> 3 : count * this.width);
    this.view = new DataView(this.data.buffer);
    this.offsets = this.var ? new Int32Array(count + 1) : null;
  }

  setNull(o: number): void {
    if (this.validity === null) this.validity = new Uint8Array((this.count + 7) >> 3).fill(0xff);
    this.validity[o >> 3]! &= ~(1 << (o & 7));
    this.nullCount++;
    if (this.offsets !== null) this.offsets[o + 1] = this.offsets[o]!;
  }

  /** Var columns: room for `extra` bytes after `at`. */
  room(at: number, extra: number): Uint8Array {
    if (at + extra > this.data.length) {
      const grown = new Uint8Array(Math.max(at + extra, this.data.length * 2));
      grown.set(this.data.subarray(0, at));
      this.data = grown;
    }
    return this.data;
  }

  /** Sets output row o from a value of the column's type (null allowed). */
  setValue(o: number, v: Value): void {
    if (v === null) return this.setNull(o);
    const at = o * this.width, d = this.view;
    switch (this.type.root) {
      case "BOOLEAN": if (v === true) this.data[o >> 3]! |= 1 << (o & 7); return;
      case "TINYINT": d.setInt8(at, v as number); return;
      case "SMALLINT": d.setInt16(at, v as number, true); return;
      case "INT": case "DATE": case "TIME": d.setInt32(at, v as number, true); return;
      case "FLOAT": d.setFloat32(at, v as number, true); return;
      case "DOUBLE": d.setFloat64(at, v as number, true); return;
      case "BIGINT": d.setBigInt64(at, v as bigint, true); return;
      case "TIMESTAMP": case "TIMESTAMP_LTZ": {
        const ts = v as Timestamp;
        const micros = (this.type.precision ?? 6) > 3;
        const value = micros ? BigInt(ts.epochMillis) * 1000n + BigInt(Math.floor(ts.nanoOfMillisecond / 1000)) : BigInt(ts.epochMillis);
        d.setBigInt64(at, value, true);
        return;
      }
      case "DECIMAL": {
        const u = BigInt.asUintN(128, v as bigint);
        d.setBigUint64(at, u & 0xffffffffffffffffn, true);
        d.setBigUint64(at + 8, u >> 64n, true);
        return;
      }
      case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": {
        const start = this.offsets![o]!;
        if (typeof v === "string") {
          const buf = this.room(start, v.length * 3);
          this.offsets![o + 1] = start + ENCODER.encodeInto(v, buf.subarray(start)).written;
        } else {
          const bytes = v as Uint8Array;
          this.room(start, bytes.length).set(bytes, start);
          this.offsets![o + 1] = start + bytes.length;
        }
        return;
      }
      default: unreachable(`write output: no buffer layout for ${this.type.root}`);
    }
  }

  build(): ColumnBuffers {
    const length = this.count;
    if (this.var) {
      const used = this.offsets![length]!;
      // Trimmed by a copy only when much is unused (a view keeps its whole buffer alive).
      const data = used * 4 >= this.data.length * 3 ? this.data.subarray(0, used) : this.data.slice(0, used);
      return { layout: "var", byteWidth: 0, length, nullCount: this.nullCount, validity: this.validity, data, offsets: this.offsets };
    }
    if (this.type.root === "BOOLEAN") return { layout: "bits", byteWidth: 0, length, nullCount: this.nullCount, validity: this.validity, data: this.data, offsets: null };
    return { layout: "fixed", byteWidth: this.width, length, nullCount: this.nullCount, validity: this.validity, data: this.data, offsets: null };
  }
}

/**
 * Per buffered row: its output position, or -1 (the inverse of the output's source rows, for
 * `outputBuffers`' scatter), or null when the output picks too few rows for a scatter to pay
 * or picks a row more than once.
 */
export function outputPositions(sources: Int32Array, count: number, bufferedRowCount: number): Int32Array | null {
  if (count * SCATTER_ROWS_PER_OUTPUT_MAX < bufferedRowCount) return null;
  const positions = new Int32Array(bufferedRowCount).fill(-1);
  for (let o = 0; o < count; o++) {
    const s = sources[o]!;
    if (s < 0) continue;
    if (positions[s] !== -1) return null; // a row output twice has no inverse: gather instead
    positions[s] = o;
  }
  return positions;
}

/** A scatter (sequential read of every buffered row) is used when the output keeps at least one row in this many. */
const SCATTER_ROWS_PER_OUTPUT_MAX = 8;

/**
 * Output column `f` of `count` rows in Arrow layout (see the file header). `positions`
 * (`outputPositions` of the same `source.rows`): fixed-width columns without nulls are then
 * filled by reading the store sequentially and writing each kept row to its position, which
 * touches memory in order instead of one random read per output row.
 */
export function outputBuffers(
  store: ColumnStore, type: DataType, f: number, source: FieldOutput, count: number, records: RecordValues, positions: Int32Array | null = null,
): ColumnBuffers {
  if (source.kind === "values") {
    const b = new ColumnBuilder(type, count, count * 16);
    for (let o = 0; o < count; o++) b.setValue(o, source.values[o] ?? null);
    return b.build();
  }
  if (source.kind === "numbers") {
    const b = new ColumnBuilder(type, count);
    if (type.root === "DOUBLE") {
      const dst = new Float64Array(b.data.buffer);
      if (source.valid === null) {
        dst.set(source.data.subarray(0, count));
        return b.build();
      }
      for (let o = 0; o < count; o++) {
        if (source.valid[o] === 0) b.setNull(o);
        else dst[o] = source.data[o]!;
      }
      return b.build();
    }
    for (let o = 0; o < count; o++) b.setValue(o, source.valid !== null && source.valid[o] === 0 ? null : source.data[o]!);
    return b.build();
  }
  const rows = source.rows;
  if (store.kind === "str" || store.kind === "bin") {
    return positions !== null && store.nullCount === 0 ? scatterVar(store, type, f, rows, count, records, positions) : gatherVar(store, type, f, rows, count, records);
  }
  const b = new ColumnBuilder(type, count);
  const nulls = store.nullCount > 0;
  const chunks = store.chunks;
  switch (store.kind) {
    case "i64": case "f64": case "i32": case "f32": {
      // Whole words: no value (no bigint) per row.
      const words = b.width >> 2;
      const dst = new Int32Array(b.data.buffer);
      const src = chunks.map((c) => new Int32Array((c as Float64Array).buffer));
      if (positions !== null && !nulls) {
        scatterWords(src, words, store.length, positions, dst);
        for (let o = 0; o < count; o++) if (rows[o]! < 0) b.setValue(o, records[~rows[o]!]!.value[f] ?? null);
        return b.build();
      }
      for (let o = 0; o < count; o++) {
        const s = rows[o]!;
        if (s < 0) { b.setValue(o, records[~s]!.value[f] ?? null); continue; }
        if (nulls && store.isNull(s)) { b.setNull(o); continue; }
        const w = src[s >>> CHUNK_SHIFT]!, at = (s & CHUNK_MASK) * words;
        dst[o * words] = w[at]!;
        if (words === 2) dst[o * words + 1] = w[at + 1]!;
      }
      return b.build();
    }
    case "i8": case "i16": {
      const dst = store.kind === "i8" ? new Int8Array(b.data.buffer) : new Int16Array(b.data.buffer);
      for (let o = 0; o < count; o++) {
        const s = rows[o]!;
        if (s < 0) { b.setValue(o, records[~s]!.value[f] ?? null); continue; }
        if (nulls && store.isNull(s)) { b.setNull(o); continue; }
        dst[o] = (chunks[s >>> CHUNK_SHIFT] as Int16Array)[s & CHUNK_MASK]!;
      }
      return b.build();
    }
    default:
      for (let o = 0; o < count; o++) {
        const s = rows[o]!;
        b.setValue(o, s < 0 ? records[~s]!.value[f] ?? null : store.valueAt(s));
      }
      return b.build();
  }
}

/** Copies the words of every kept row (`positions[row] >= 0`) to its output position, reading rows in order. */
function scatterWords(src: readonly Int32Array[], words: number, n: number, positions: Int32Array, dst: Int32Array): void {
  for (let c = 0; c * CHUNK_ROWS < n; c++) {
    const w = src[c]!, base = c << CHUNK_SHIFT, end = Math.min(CHUNK_ROWS, n - base);
    if (words === 2) {
      for (let i = 0; i < end; i++) {
        const o = positions[base + i]!;
        if (o < 0) continue;
        dst[2 * o] = w[2 * i]!;
        dst[2 * o + 1] = w[2 * i + 1]!;
      }
    } else {
      for (let i = 0; i < end; i++) {
        const o = positions[base + i]!;
        if (o >= 0) dst[o] = w[i]!;
      }
    }
  }
}

/**
 * A "str"/"bin" column without nulls by scatter: lengths of the kept rows to their positions,
 * a prefix sum, then the bytes, both passes reading the store in row order.
 */
function scatterVar(store: ColumnStore, type: DataType, f: number, rows: Int32Array, count: number, records: RecordValues, positions: Int32Array): ColumnBuffers {
  const width = uniformLength(store);
  if (width >= 0) {
    const fixed = scatterUniform(store, type, f, rows, count, records, positions, width);
    if (fixed !== null) return fixed;
  }
  const n = store.length;
  const offsetChunks = store.chunks as Int32Array[], byteChunks = store.bytesOf;
  const lengths = new Int32Array(count);
  for (let c = 0; c * CHUNK_ROWS < n; c++) {
    const o = offsetChunks[c]!, base = c << CHUNK_SHIFT, end = Math.min(CHUNK_ROWS, n - base);
    for (let i = 0; i < end; i++) {
      const at = positions[base + i]!;
      if (at >= 0) lengths[at] = o[i + 1]! - o[i]!;
    }
  }
  const recordBytes: (Uint8Array | null)[] = [];
  for (let at = 0; at < count; at++) {
    const s = rows[at]!;
    if (s >= 0) continue;
    const v = records[~s]!.value[f] ?? null;
    const bytes = v === null ? null : typeof v === "string" ? ENCODER.encode(v) : v as Uint8Array;
    recordBytes[at] = bytes;
    lengths[at] = bytes === null ? 0 : bytes.length;
  }
  const b = new ColumnBuilder(type, count, 16);
  const out = b.offsets!;
  for (let at = 0; at < count; at++) out[at + 1] = out[at]! + lengths[at]!;
  const data = b.room(0, out[count]!);
  for (let c = 0; c * CHUNK_ROWS < n; c++) {
    const o = offsetChunks[c]!, bytes = byteChunks[c]!, base = c << CHUNK_SHIFT, end = Math.min(CHUNK_ROWS, n - base);
    for (let i = 0; i < end; i++) {
      const at = positions[base + i]!;
      if (at < 0) continue;
      let to = out[at]!;
      const start = o[i]!, stop = o[i + 1]!;
      if (stop - start > 24) data.set(bytes.subarray(start, stop), to);
      else for (let k = start; k < stop; k++) data[to++] = bytes[k]!;
    }
  }
  recordBytes.forEach((bytes, at) => {
    if (bytes === null) b.setNull(at);
    else data.set(bytes, out[at]!);
  });
  return b.build();
}

/** The byte length every stored value of a "str"/"bin" store has, or -1 when lengths differ (or no rows). */
function uniformLength(store: ColumnStore): number {
  const n = store.length;
  if (n === 0) return -1;
  const first = store.chunks[0] as Int32Array;
  const width = first[1]! - first[0]!;
  for (let c = 0; c * CHUNK_ROWS < n; c++) {
    const o = store.chunks[c] as Int32Array, end = Math.min(CHUNK_ROWS, n - (c << CHUNK_SHIFT));
    if (o[0] !== 0) return -1;
    for (let i = 1; i <= end; i++) if (o[i] !== i * width) return -1;
  }
  return width;
}

/**
 * `scatterVar` when every stored value (and every merged record's value) is `width` bytes and
 * none is null: output offsets are `o * width`, so each kept row's bytes go straight to their
 * place, copied in 4- or 2-byte words where `width` allows. Null when a record does not fit.
 */
function scatterUniform(store: ColumnStore, type: DataType, f: number, rows: Int32Array, count: number, records: RecordValues, positions: Int32Array, width: number): ColumnBuffers | null {
  const recordBytes: [number, Uint8Array][] = [];
  if (records.length > 0) {
    for (let at = 0; at < count; at++) {
      const s = rows[at]!;
      if (s >= 0) continue;
      const v = records[~s]!.value[f] ?? null;
      if (v === null) return null;
      const bytes = typeof v === "string" ? ENCODER.encode(v) : v as Uint8Array;
      if (bytes.length !== width) return null;
      recordBytes.push([at, bytes]);
    }
  }
  const b = new ColumnBuilder(type, count, count * width);
  const out = b.offsets!;
  for (let o = 1; o <= count; o++) out[o] = o * width;
  const data = b.data;
  const n = store.length;
  const unit = width % 4 === 0 ? 4 : width % 2 === 0 ? 2 : 1;
  const step = width / unit;
  const dst = unit === 4 ? new Int32Array(data.buffer, 0, (count * width) >> 2) : unit === 2 ? new Uint16Array(data.buffer, 0, (count * width) >> 1) : data;
  for (let c = 0; c * CHUNK_ROWS < n; c++) {
    const bytes = store.bytesOf[c]!, base = c << CHUNK_SHIFT, end = Math.min(CHUNK_ROWS, n - base);
    const src = unit === 4 ? new Int32Array(bytes.buffer, 0, bytes.length >> 2) : unit === 2 ? new Uint16Array(bytes.buffer, 0, bytes.length >> 1) : bytes;
    for (let i = 0; i < end; i++) {
      const at = positions[base + i]!;
      if (at < 0) continue;
      let p = i * step, q = at * step;
      for (let k = 0; k < step; k++) dst[q++] = src[p++]!;
    }
  }
  for (const [at, bytes] of recordBytes) data.set(bytes, at * width);
  return b.build();
}

/**
 * A "str"/"bin" column gathered in one pass: the output can hold at most every stored byte
 * (plus what merged records bring), so it is sized from the store and trimmed by `build`.
 */
function gatherVar(store: ColumnStore, type: DataType, f: number, rows: Int32Array, count: number, records: RecordValues): ColumnBuffers {
  let stored = 0;
  for (let c = 0; c < store.chunks.length; c++) {
    const offsets = store.chunks[c] as Int32Array;
    stored += offsets[Math.min(offsets.length - 1, store.length - (c << CHUNK_SHIFT))]!;
  }
  const b = new ColumnBuilder(type, count, stored + 16);
  const nulls = store.nullCount > 0;
  const out = b.offsets!;
  const offsetChunks = store.chunks as Int32Array[], byteChunks = store.bytesOf;
  let data = b.data, at = 0;
  for (let o = 0; o < count; o++) {
    const s = rows[o]!;
    if (s < 0 || (nulls && store.isNull(s))) {
      b.data = data;
      if (s < 0) b.setValue(o, records[~s]!.value[f] ?? null);
      else b.setNull(o);
      data = b.data;
      at = out[o + 1]!;
      continue;
    }
    const c = s >>> CHUNK_SHIFT, slot = s & CHUNK_MASK;
    const offsets = offsetChunks[c]!, bytes = byteChunks[c]!;
    const start = offsets[slot]!, end = offsets[slot + 1]!;
    if (end - start > 24) {
      data.set(bytes.subarray(start, end), at);
      at += end - start;
    } else {
      for (let k = start; k < end; k++) data[at++] = bytes[k]!;
    }
    out[o + 1] = at;
  }
  b.data = data;
  return b.build();
}

/** Output column `f` as values (the fallback for types without a buffer layout). */
export function outputValues(store: ColumnStore, f: number, source: FieldOutput, count: number, records: RecordValues): Value[] {
  if (source.kind === "values") return source.values.slice(0, count);
  const out: Value[] = new Array(count);
  if (source.kind === "numbers") {
    for (let o = 0; o < count; o++) out[o] = source.valid !== null && source.valid[o] === 0 ? null : source.data[o]!;
    return out;
  }
  for (let o = 0; o < count; o++) {
    const s = source.rows[o]!;
    out[o] = s < 0 ? records[~s]!.value[f] ?? null : store.valueAt(s);
  }
  return out;
}

/** Sequence numbers of the output: `start + row` for buffered rows, the record's for merged ones. */
export function outputSequenceNumbers(
  sources: Int32Array, count: number, start: bigint, bufferedRowCount: number, recordSequence: (r: number) => bigint,
): BigInt64Array {
  const out = new BigInt64Array(count);
  if (start >= 0n && start + BigInt(bufferedRowCount) < 2n ** 53n) {
    const words = new Uint32Array(out.buffer);
    const base = Number(start);
    for (let o = 0; o < count; o++) {
      const s = sources[o]!;
      if (s < 0) { out[o] = recordSequence(~s); continue; }
      const v = base + s;
      words[2 * o] = v >>> 0;
      words[2 * o + 1] = Math.floor(v / TWO_POW_32);
    }
    return out;
  }
  for (let o = 0; o < count; o++) {
    const s = sources[o]!;
    out[o] = s >= 0 ? start + BigInt(s) : recordSequence(~s);
  }
  return out;
}
