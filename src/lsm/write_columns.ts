/**
 * Columnar storage of a write buffer: one growable, chunked column per table field, holding
 * fixed-width types in typed arrays and everything else as JS values, with lazily allocated
 * null flags and an estimate of the bytes held. Also the columnar input batch writers hand in.
 *
 * Physical kinds (per Paimon type root):
 *   BOOLEAN "u8" (0/1) | TINYINT "i8" | SMALLINT "i16" | INT, DATE, TIME "i32" | BIGINT "i64" |
 *   FLOAT "f32" | DOUBLE "f64" | CHAR, VARCHAR "str" (UTF-8 bytes) | BINARY, VARBINARY "bin" |
 *   every other type "values" (spec/values.ts shapes).
 * "str"/"bin" chunks hold `CHUNK_ROWS + 1` int32 offsets and their own growable byte buffer, so
 * strings never become JS strings on the way from Arrow input to a data file.
 * Rows live in chunks of CHUNK_ROWS (index i is chunk `i >>> CHUNK_SHIFT`, slot `i & CHUNK_MASK`),
 * so appending never copies what is stored and the memory held is at most one chunk per column
 * above what the rows need. A null row stores 0 in its typed slot.
 *
 * Memory accounting (`bytes`): typed chunks count their full allocated size; "values" columns
 * count an estimate per value (`estimateValueBytes`: V8 object and string sizes, rounded up),
 * plus 8 bytes per slot; null flags count one byte per row of a chunk once allocated.
 *
 * Invariants: every column of a buffer has the same `length`; values stored are already
 * validated for the field's type (the writer's input layer does that); nothing here throws on
 * bad values except `assert` for a kind mismatch (a programmer error).
 * Imports: util/assert.ts, spec/data_types.ts (types), spec/values.ts (types). Mirrors no Java
 * class (Java keeps serialized rows in memory segments: `BinaryInMemorySortBuffer`).
 */
import { assert } from "../util/assert.ts";
import type { DataType } from "../spec/data_types.ts";
import type { Value } from "../spec/values.ts";

/** log2 of the rows per chunk. */
export const CHUNK_SHIFT = 16;
/** Rows per chunk (65,536). */
export const CHUNK_ROWS = 1 << CHUNK_SHIFT;
/** Mask of the slot inside a chunk. */
export const CHUNK_MASK = CHUNK_ROWS - 1;

/** How a column of a type is stored (see the file header). */
export type StoreKind = "u8" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "str" | "bin" | "values";

/** The fixed-width kinds (typed arrays). */
export type FixedKind = Exclude<StoreKind, "str" | "bin" | "values">;

/** Typed chunk of a fixed-width kind. */
export type TypedChunk = Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** The physical kind of a Paimon type. */
export function storeKindOf(type: DataType): StoreKind {
  switch (type.root) {
    case "BOOLEAN": return "u8";
    case "TINYINT": return "i8";
    case "SMALLINT": return "i16";
    case "INT": case "DATE": case "TIME": return "i32";
    case "BIGINT": return "i64";
    case "FLOAT": return "f32";
    case "DOUBLE": return "f64";
    case "CHAR": case "VARCHAR": return "str";
    case "BINARY": case "VARBINARY": return "bin";
    default: return "values";
  }
}

/**
 * One column of an input batch: validated values (any type), or in the column's own kind a
 * typed array (fixed widths) or UTF-8/binary bytes with `length + 1` offsets ("str"/"bin",
 * strings valid UTF-8), each with optional validity bytes (1 = valid, 0 = null). FLOAT values
 * must be float32-exact.
 */
export type InputColumn =
  | { readonly kind: "values"; readonly values: readonly Value[] }
  | { readonly kind: FixedKind; readonly data: TypedChunk; readonly valid: Uint8Array | null }
  | { readonly kind: "str" | "bin"; readonly data: Uint8Array; readonly offsets: Int32Array; readonly valid: Uint8Array | null };

/** A validated, columnar batch of rows: one column per table field (schema order) and row kinds. */
export interface InputBatch {
  readonly rowCount: number;
  readonly columns: readonly InputColumn[];
  /** RowKind byte 0..3 per row. */
  readonly rowKinds: Uint8Array;
}

/** Rows of a first chunk when it is created (it doubles up to CHUNK_ROWS as rows arrive). */
const FIRST_CHUNK_ROWS = 1024;

/** A chunk of `rows` slots (var kinds: `rows + 1` offsets). */
function newChunk(kind: StoreKind, rows: number): TypedChunk | Value[] {
  switch (kind) {
    case "u8": return new Uint8Array(rows);
    case "i8": return new Int8Array(rows);
    case "i16": return new Int16Array(rows);
    case "i32": return new Int32Array(rows);
    case "i64": return new BigInt64Array(rows);
    case "f32": return new Float32Array(rows);
    case "f64": return new Float64Array(rows);
    case "str": case "bin": return new Int32Array(rows + 1);
    case "values": return [];
  }
}

/** Slots of a typed chunk (var kinds: one less than their offsets). */
function chunkRows(kind: StoreKind, chunk: TypedChunk | Value[]): number {
  if (kind === "values") return CHUNK_ROWS;
  return kind === "str" || kind === "bin" ? chunk.length - 1 : chunk.length;
}

/**
 * Estimated heap bytes of one stored JS value (V8, 64-bit, pointer compression off: strings
 * 24 B header + 1 B a char (2 for non-Latin-1), bigints 24 B, typed arrays ~100 B + data,
 * plain objects 48 B, arrays 32 B + 8 B a slot plus their elements).
 */
export function estimateValueBytes(value: Value): number {
  if (value === null || typeof value === "boolean" || typeof value === "number") return 0;
  if (typeof value === "string") return 24 + value.length * 2;
  if (typeof value === "bigint") return 24;
  if (value instanceof Uint8Array) return 104 + value.byteLength;
  if (Array.isArray(value)) {
    let bytes = 32 + value.length * 8;
    for (const v of value as readonly Value[]) bytes += estimateValueBytes(v);
    return bytes;
  }
  if ("value" in value) return 48 + 2 * 104 + (value as { value: Uint8Array }).value.byteLength + (value as { metadata: Uint8Array }).metadata.byteLength;
  return 48; // Timestamp
}

/** Bytes a typed chunk takes. */
function chunkBytes(chunk: TypedChunk | Value[]): number {
  return Array.isArray(chunk) ? 0 : (chunk as Float64Array).byteLength;
}

/** First size of a var chunk's byte buffer (it doubles as needed). */
const VAR_CHUNK_BYTES_INITIAL = 1 << 12;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** One growable column of a write buffer. */
export class ColumnStore {
  readonly kind: StoreKind;
  /** Rows stored. */
  length = 0;
  /** Estimated bytes held (see the file header). */
  bytes = 0;
  /** Per chunk: the typed values, the var offsets ("str"/"bin"), or the JS values. */
  readonly chunks: (TypedChunk | Value[])[] = [];
  /** "str"/"bin": per chunk, its value bytes (offsets in `chunks`). */
  readonly bytesOf: Uint8Array[] = [];
  /** Per chunk: null flags (1 = null), or null when the chunk has no null so far. */
  readonly nulls: (Uint8Array | null)[] = [];
  /** Count of null rows. */
  nullCount = 0;

  /** The zero of a typed slot (0n for BIGINT), stored in null rows. */
  private readonly zero: number;

  constructor(kind: StoreKind) {
    this.kind = kind;
    this.zero = (kind === "i64" ? 0n : 0) as number;
  }

  /**
   * Makes room for `rows` rows from `this.length` (all in its chunk: Requires `rows` <= the
   * slots left in that chunk); returns the chunk. The first chunk starts small and doubles, so a
   * bucket with few rows holds little memory; later chunks are allocated whole.
   */
  private chunkForAppend(rows = 1): TypedChunk | Value[] {
    const c = this.length >>> CHUNK_SHIFT;
    const need = (this.length & CHUNK_MASK) + rows;
    if (c === this.chunks.length) {
      const size = c === 0 ? Math.min(CHUNK_ROWS, Math.max(FIRST_CHUNK_ROWS, need)) : CHUNK_ROWS;
      const chunk = newChunk(this.kind, size);
      this.chunks.push(chunk);
      this.nulls.push(null);
      this.bytes += chunkBytes(chunk);
      if (this.kind === "str" || this.kind === "bin") {
        this.bytesOf.push(new Uint8Array(VAR_CHUNK_BYTES_INITIAL));
        this.bytes += VAR_CHUNK_BYTES_INITIAL;
      }
      return chunk;
    }
    const chunk = this.chunks[c]!;
    const have = chunkRows(this.kind, chunk);
    if (need <= have) return chunk;
    // Growing the first chunk: copy into one twice as large (at most CHUNK_ROWS).
    const size = Math.min(CHUNK_ROWS, Math.max(need, have * 2));
    const grown = newChunk(this.kind, size) as Float64Array;
    grown.set(chunk as Float64Array);
    this.bytes += chunkBytes(grown) - chunkBytes(chunk);
    this.chunks[c] = grown;
    const flags = this.nulls[c];
    if (flags !== null && flags !== undefined) {
      const more = new Uint8Array(size);
      more.set(flags);
      this.bytes += size - flags.length;
      this.nulls[c] = more;
    }
    return grown;
  }

  /** Var kinds: room for `extra` more bytes in the current chunk; returns its byte buffer. */
  private varRoom(extra: number): Uint8Array {
    const c = this.length >>> CHUNK_SHIFT;
    const offsets = this.chunks[c] as Int32Array;
    let buf = this.bytesOf[c]!;
    const used = offsets[this.length & CHUNK_MASK]!;
    if (used + extra > buf.length) {
      const grown = new Uint8Array(Math.max(used + extra, buf.length * 2));
      grown.set(buf.subarray(0, used));
      this.bytes += grown.length - buf.length;
      this.bytesOf[c] = buf = grown;
    }
    return buf;
  }

  /** Var kinds: appends one value's bytes (`text` UTF-8 encoded, or `raw`). */
  private appendVar(text: string | null, raw: Uint8Array | null): void {
    const offsets = this.chunkForAppend() as Int32Array;
    const slot = this.length & CHUNK_MASK;
    const start = offsets[slot]!;
    let end = start;
    if (text !== null) {
      const buf = this.varRoom(text.length * 3);
      end += ENCODER.encodeInto(text, buf.subarray(start)).written;
    } else if (raw !== null) {
      const buf = this.varRoom(raw.length);
      buf.set(raw, start);
      end += raw.length;
    }
    offsets[slot + 1] = end;
  }

  private markNull(row: number): void {
    const c = row >>> CHUNK_SHIFT;
    let flags = this.nulls[c];
    if (flags === null || flags === undefined) {
      const rows = chunkRows(this.kind, this.chunks[c]!);
      flags = new Uint8Array(rows);
      this.nulls[c] = flags;
      this.bytes += rows;
    }
    flags[row & CHUNK_MASK] = 1;
    this.nullCount++;
  }

  /** Appends one validated value (null allowed). */
  appendValue(value: Value): void {
    if (this.kind === "str" || this.kind === "bin") {
      this.appendVar(typeof value === "string" ? value : null, value instanceof Uint8Array ? value : null);
      if (value === null) this.markNull(this.length);
      this.length++;
      return;
    }
    const chunk = this.chunkForAppend();
    const slot = this.length & CHUNK_MASK;
    if (value === null) {
      this.markNull(this.length);
      if (this.kind === "values") (chunk as Value[])[slot] = null;
      this.length++;
      if (this.kind === "values") this.bytes += 8;
      return;
    }
    switch (this.kind) {
      case "u8": (chunk as Uint8Array)[slot] = value ? 1 : 0; break;
      case "i64": (chunk as BigInt64Array)[slot] = typeof value === "bigint" ? value : BigInt(value as number); break;
      case "values":
        (chunk as Value[])[slot] = value;
        this.bytes += 8 + estimateValueBytes(value);
        break;
      default: (chunk as Float64Array)[slot] = value as number;
    }
    this.length++;
  }

  /** Appends rows [from, to) of `input`. Requires: a typed input has this column's kind. */
  appendRange(input: InputColumn, from: number, to: number): void {
    if (input.kind === "values") {
      for (let i = from; i < to; i++) this.appendValue(input.values[i]!);
      return;
    }
    if (input.kind === "str" || input.kind === "bin") {
      assert(input.kind === this.kind, `write columns: ${input.kind} input for a ${this.kind} column`);
      this.appendVarRange(input, from, to);
      return;
    }
    assert(input.kind === this.kind, `write columns: ${input.kind} input for a ${this.kind} column`);
    let i = from;
    while (i < to) {
      const slot = this.length & CHUNK_MASK;
      const n = Math.min(to - i, CHUNK_ROWS - slot);
      const chunk = this.chunkForAppend(n) as TypedChunk;
      (chunk as Float64Array).set((input.data as Float64Array).subarray(i, i + n), slot);
      if (input.valid !== null) {
        for (let k = 0; k < n; k++) {
          if (input.valid[i + k] === 0) {
            this.markNull(this.length + k);
            (chunk as Float64Array)[slot + k] = this.zero;
          }
        }
      }
      this.length += n;
      i += n;
    }
  }

  /** Var input rows [from, to): bytes copied chunk by chunk, offsets shifted. */
  private appendVarRange(input: { data: Uint8Array; offsets: Int32Array; valid: Uint8Array | null }, from: number, to: number): void {
    let i = from;
    while (i < to) {
      const slot = this.length & CHUNK_MASK;
      const n = Math.min(to - i, CHUNK_ROWS - slot);
      const offsets = this.chunkForAppend(n) as Int32Array;
      const src = input.offsets, first = src[i]!, last = src[i + n]!;
      const buf = this.varRoom(last - first);
      const base = offsets[slot]!;
      buf.set(input.data.subarray(first, last), base);
      for (let k = 1; k <= n; k++) offsets[slot + k] = base + src[i + k]! - first;
      if (input.valid !== null) {
        for (let k = 0; k < n; k++) {
          if (input.valid[i + k] !== 0) continue;
          this.markNull(this.length + k);
        }
      }
      this.length += n;
      i += n;
    }
  }

  /** Appends the rows `rows[from..to)` of `input`, in that order. */
  appendPicked(input: InputColumn, rows: Uint32Array, from: number, to: number): void {
    if (input.kind === "values") {
      for (let k = from; k < to; k++) this.appendValue(input.values[rows[k]!]!);
      return;
    }
    if (input.kind === "str" || input.kind === "bin") {
      for (let k = from; k < to; k++) {
        const r = rows[k]!;
        this.appendVar(null, input.data.subarray(input.offsets[r]!, input.offsets[r + 1]!));
        if (input.valid !== null && input.valid[r] === 0) this.markNull(this.length);
        this.length++;
      }
      return;
    }
    assert(input.kind === this.kind, `write columns: ${input.kind} input for a ${this.kind} column`);
    const data = input.data as Float64Array, valid = input.valid;
    for (let k = from; k < to; k++) {
      const r = rows[k]!;
      const chunk = this.chunkForAppend() as Float64Array;
      const slot = this.length & CHUNK_MASK;
      if (valid !== null && valid[r] === 0) {
        this.markNull(this.length);
        chunk[slot] = this.zero;
      } else {
        chunk[slot] = data[r]!;
      }
      this.length++;
    }
  }

  /** True when row `i` is null. */
  isNull(i: number): boolean {
    const flags = this.nulls[i >>> CHUNK_SHIFT];
    return flags !== null && flags !== undefined && flags[i & CHUNK_MASK] === 1;
  }

  /** The value of row `i` (a fresh bigint for BIGINT, string or bytes copy for var kinds). */
  valueAt(i: number): Value {
    if (this.isNull(i)) return null;
    const chunk = this.chunks[i >>> CHUNK_SHIFT]!;
    if (this.kind === "str" || this.kind === "bin") {
      const slot = i & CHUNK_MASK, o = chunk as Int32Array;
      const bytes = this.bytesOf[i >>> CHUNK_SHIFT]!.subarray(o[slot]!, o[slot + 1]!);
      return this.kind === "str" ? DECODER.decode(bytes) : bytes.slice();
    }
    const v = (chunk as Value[])[i & CHUNK_MASK]!;
    return this.kind === "u8" ? v === 1 : v;
  }

  /** Drops every row and chunk (the memory goes back to the JS heap). */
  clear(): void {
    this.chunks.length = 0;
    this.bytesOf.length = 0;
    this.nulls.length = 0;
    this.length = 0;
    this.bytes = 0;
    this.nullCount = 0;
  }
}

/** Row `i` of an input column as a value (a fresh bigint for "i64", a boolean for "u8"). */
export function inputValueAt(column: InputColumn, i: number): Value {
  if (column.kind === "values") return column.values[i] ?? null;
  if (column.valid !== null && column.valid[i] === 0) return null;
  if (column.kind === "str" || column.kind === "bin") {
    const bytes = column.data.subarray(column.offsets[i]!, column.offsets[i + 1]!);
    return column.kind === "str" ? DECODER.decode(bytes) : bytes.slice();
  }
  const v = (column.data as Float64Array)[i]!;
  return column.kind === "u8" ? v === 1 : v;
}
