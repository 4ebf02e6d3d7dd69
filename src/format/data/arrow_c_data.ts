/**
 * Reader of the Arrow C Data Interface structs a 32-bit WebAssembly module (parquet-wasm)
 * exports into its linear memory: the schema of a record batch and its flat columns, copied out
 * into ColumnBuffers so nothing points into WASM memory afterwards (memory growth detaches views,
 * and the module reuses freed memory).
 *
 * Struct layouts on wasm32 (pointers are 4 bytes, int64 fields 8-byte aligned), from
 * https://arrow.apache.org/docs/format/CDataInterface.html#structure-definitions :
 *   ArrowSchema: format@0 name@4 metadata@8 flags@16(i64) n_children@24(i64) children@32
 *                dictionary@36 release@40 private_data@44
 *   ArrowArray:  length@0 null_count@8 offset@16 n_buffers@24 n_children@32 (all i64)
 *                buffers@40 children@44 dictionary@48 release@52 private_data@56
 *
 * Formats copied (others are reported as not flat, for the caller to fall back): bits "b";
 * fixed "c" "C" "s" "S" "i" "I" "l" "L" "f" "g" "tdD" "tdm" "tt?" "ts?:<tz>" "d:p,s[,bits]"
 * "w:<n>"; var "u" "z" (int32 offsets). Large ("U" "Z"), views, nested and dictionary-encoded
 * columns are not flat.
 *
 * Invariants: reads only inside the given memory (a pointer outside it is a corruption
 * LakeError); copies honour the array `offset`; null-count -1 ("unknown") is recounted.
 * Imports: errors.ts, column_buffers.ts. Mirrors no Java class.
 */
import { LakeError } from "../../errors.ts";
import type { ColumnBuffers, ColumnLayout } from "./column_buffers.ts";

/** One top-level field of an exported schema. */
export interface CSchemaField {
  readonly name: string;
  /** The C data interface format string. */
  readonly format: string;
  readonly nullable: boolean;
  /** True for dictionary-encoded fields (never flat). */
  readonly dictionary: boolean;
}

/** ARROW_FLAG_NULLABLE of the C data interface. */
const FLAG_NULLABLE = 2n;
const DECODER = new TextDecoder("utf-8", { fatal: true });

function corrupt(why: string): LakeError {
  return new LakeError("corruption", `arrow c data: ${why}`);
}

class MemoryReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(memory: ArrayBuffer) {
    this.bytes = new Uint8Array(memory);
    this.view = new DataView(memory);
  }

  check(ptr: number, lengthBytes: number): void {
    if (!(ptr >= 0 && lengthBytes >= 0 && ptr + lengthBytes <= this.bytes.length)) {
      throw corrupt(`pointer ${ptr} + ${lengthBytes} bytes lies outside the module memory (${this.bytes.length} bytes)`);
    }
  }

  u32(ptr: number): number {
    this.check(ptr, 4);
    return this.view.getUint32(ptr, true);
  }

  i64(ptr: number): number {
    this.check(ptr, 8);
    const v = this.view.getBigInt64(ptr, true);
    if (v < -1n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`count ${v} out of range at ${ptr}`);
    return Number(v);
  }

  cString(ptr: number): string {
    if (ptr === 0) return "";
    let end = ptr;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    if (end >= this.bytes.length) throw corrupt(`unterminated string at ${ptr}`);
    return DECODER.decode(this.bytes.subarray(ptr, end));
  }

  /** A private copy of `[ptr, ptr + lengthBytes)`. */
  copy(ptr: number, lengthBytes: number): Uint8Array<ArrayBuffer> {
    this.check(ptr, lengthBytes);
    return this.bytes.slice(ptr, ptr + lengthBytes);
  }
}

/** The top-level fields of the struct schema at `schemaPtr` (a record batch's schema). */
export function readCSchemaFields(memory: ArrayBuffer, schemaPtr: number): CSchemaField[] {
  const m = new MemoryReader(memory);
  const format = m.cString(m.u32(schemaPtr));
  if (format !== "+s") throw corrupt(`record batch schema has format ${JSON.stringify(format)}, expected a struct "+s"`);
  const count = m.i64(schemaPtr + 24);
  const children = m.u32(schemaPtr + 32);
  const out: CSchemaField[] = [];
  for (let i = 0; i < count; i++) {
    const child = m.u32(children + 4 * i);
    out.push({
      name: m.cString(m.u32(child + 4)),
      format: m.cString(m.u32(child)),
      nullable: (BigInt(m.i64(child + 16)) & FLAG_NULLABLE) !== 0n,
      dictionary: m.u32(child + 36) !== 0,
    });
  }
  return out;
}

/** Layout and byte width of a flat format, or null when the format is not flat. */
export function flatLayoutOf(format: string): { layout: ColumnLayout; byteWidth: number } | null {
  switch (format) {
    case "b": return { layout: "bits", byteWidth: 0 };
    case "c": case "C": return { layout: "fixed", byteWidth: 1 };
    case "s": case "S": return { layout: "fixed", byteWidth: 2 };
    case "i": case "I": case "f": case "tdD": case "tts": case "ttm": return { layout: "fixed", byteWidth: 4 };
    case "l": case "L": case "g": case "tdm": case "ttu": case "ttn": return { layout: "fixed", byteWidth: 8 };
    case "u": case "z": return { layout: "var", byteWidth: 0 };
  }
  if (/^ts[smun]:/.test(format)) return { layout: "fixed", byteWidth: 8 };
  const decimal = /^d:\d+,\d+(?:,(32|64|128|256))?$/.exec(format);
  if (decimal) return { layout: "fixed", byteWidth: Number(decimal[1] ?? "128") / 8 };
  const fixedBinary = /^w:(\d+)$/.exec(format);
  if (fixedBinary && Number(fixedBinary[1]) > 0) return { layout: "fixed", byteWidth: Number(fixedBinary[1]) };
  return null;
}

/** Copies `length` bits starting at bit `offset` into a fresh bitmap starting at bit 0. */
function copyBits(m: MemoryReader, ptr: number, offset: number, length: number): Uint8Array<ArrayBuffer> {
  if (offset % 8 === 0) {
    const out = m.copy(ptr + offset / 8, (length + 7) >> 3);
    if (length % 8 !== 0) out[out.length - 1]! &= (1 << (length % 8)) - 1;
    return out;
  }
  const src = m.copy(ptr + (offset >> 3), ((offset % 8) + length + 7) >> 3);
  const out = new Uint8Array((length + 7) >> 3);
  const shift = offset % 8;
  for (let i = 0; i < length; i++) {
    const b = i + shift;
    if ((src[b >> 3]! & (1 << (b & 7))) !== 0) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function countNulls(validity: Uint8Array, length: number): number {
  let valid = 0;
  for (let i = 0; i < length; i++) if ((validity[i >> 3]! & (1 << (i & 7))) !== 0) valid++;
  return length - valid;
}

/** Copies one flat array (a struct child) described by `format` out of module memory. */
function copyFlatArray(m: MemoryReader, arrayPtr: number, format: string): ColumnBuffers {
  const shape = flatLayoutOf(format);
  if (shape === null) throw corrupt(`format ${JSON.stringify(format)} is not a flat layout`);
  const length = m.i64(arrayPtr), offset = m.i64(arrayPtr + 16);
  if (length < 0 || offset < 0) throw corrupt(`array length ${length} or offset ${offset} is negative`);
  const buffers = m.u32(arrayPtr + 40);
  const buffer = (i: number): number => m.u32(buffers + 4 * i);
  const validityPtr = buffer(0);
  let validity = validityPtr === 0 ? null : copyBits(m, validityPtr, offset, length);
  let nullCount = m.i64(arrayPtr + 8);
  if (validity === null && nullCount > 0) throw corrupt(`array reports ${nullCount} nulls but has no validity bitmap`);
  if (validity !== null && nullCount !== 0) nullCount = countNulls(validity, length);
  if (nullCount <= 0) { nullCount = 0; validity = null; }
  if (shape.layout === "bits") {
    return { layout: "bits", byteWidth: 0, length, nullCount, validity, data: copyBits(m, buffer(1), offset, length), offsets: null };
  }
  if (shape.layout === "fixed") {
    const w = shape.byteWidth;
    return { layout: "fixed", byteWidth: w, length, nullCount, validity, data: m.copy(buffer(1) + offset * w, length * w), offsets: null };
  }
  const raw = new Int32Array(m.copy(buffer(1) + offset * 4, (length + 1) * 4).buffer);
  const base = raw[0]!, end = raw[length]!;
  if (base < 0 || end < base) throw corrupt(`var-length offsets run from ${base} to ${end}`);
  const offsets = base === 0 ? raw : raw.map((o) => o - base);
  for (let i = 0; i < length; i++) if (offsets[i + 1]! < offsets[i]!) throw corrupt(`var-length offsets decrease at row ${i}`);
  return { layout: "var", byteWidth: 0, length, nullCount, validity, data: m.copy(buffer(2) + base, end - base), offsets };
}

/**
 * Copies column `index` (a child of the struct array at each of `arrayPtrs`, one per record
 * batch) into one ColumnBuffers, batches concatenated in order.
 * Requires: `format` is the child's format and `flatLayoutOf(format)` is not null.
 */
export function copyCColumn(memory: ArrayBuffer, arrayPtrs: readonly number[], index: number, format: string): ColumnBuffers {
  const m = new MemoryReader(memory);
  const parts = arrayPtrs.map((ptr) => {
    if (m.i64(ptr + 32) <= index) throw corrupt(`record batch has no column ${index}`);
    return copyFlatArray(m, m.u32(m.u32(ptr + 44) + 4 * index), format);
  });
  if (parts.length === 0) {
    const shape = flatLayoutOf(format)!;
    return { ...shape, length: 0, nullCount: 0, validity: null, data: new Uint8Array(0), offsets: shape.layout === "var" ? new Int32Array(1) : null };
  }
  return parts.length === 1 ? parts[0]! : concatColumns(parts);
}

/** Concatenates columns of one layout (used when a file decodes into several batches). */
export function concatColumns(parts: readonly ColumnBuffers[]): ColumnBuffers {
  const first = parts[0]!;
  const length = parts.reduce((s, p) => s + p.length, 0);
  const nullCount = parts.reduce((s, p) => s + p.nullCount, 0);
  let validity: Uint8Array<ArrayBuffer> | null = null;
  const setBits = (target: Uint8Array, source: Uint8Array | null, at: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      if (source === null || (source[i >> 3]! & (1 << (i & 7))) !== 0) target[(at + i) >> 3]! |= 1 << ((at + i) & 7);
    }
  };
  if (nullCount > 0) {
    validity = new Uint8Array((length + 7) >> 3);
    let at = 0;
    for (const p of parts) { setBits(validity, p.validity, at, p.length); at += p.length; }
  }
  if (first.layout === "bits") {
    const data = new Uint8Array((length + 7) >> 3);
    let at = 0;
    for (const p of parts) {
      for (let i = 0; i < p.length; i++) if ((p.data[i >> 3]! & (1 << (i & 7))) !== 0) data[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      at += p.length;
    }
    return { layout: "bits", byteWidth: 0, length, nullCount, validity, data, offsets: null };
  }
  const bytes = parts.reduce((s, p) => s + p.data.length, 0);
  if (first.layout === "var" && bytes > 0x7fffffff) throw new LakeError("unsupported", `arrow c data: a column holds more than 2^31-1 bytes of values`);
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) { data.set(p.data, at); at += p.data.length; }
  if (first.layout === "fixed") return { layout: "fixed", byteWidth: first.byteWidth, length, nullCount, validity, data, offsets: null };
  const offsets = new Int32Array(length + 1);
  let row = 0, base = 0;
  for (const p of parts) {
    const o = p.offsets!;
    for (let i = 1; i <= p.length; i++) offsets[row + i] = base + o[i]!;
    row += p.length;
    base += p.data.length;
  }
  return { layout: "var", byteWidth: 0, length, nullCount, validity, data, offsets };
}
