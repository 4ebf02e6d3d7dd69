/**
 * Avro binary encoding: a bounds-checked byte cursor (`AvroReader`), a growable output buffer
 * (`AvroWriter`), and the value model shared by the schema-driven encoders and decoders.
 *
 * Byte layout (Avro specification, "Binary Encoding"):
 *   int, long      zig-zag then base-128 varint, low group first (int: at most 5 bytes, long: 10)
 *   float, double  IEEE 754, little-endian, 4 / 8 bytes
 *   boolean        one byte 0 or 1
 *   bytes, string  long length, then the raw / UTF-8 bytes
 *   union          long branch index, then the value of that branch
 *   array, map     blocks: long count, items; a negative count -n is followed by the block's byte
 *                  size and n items; a count of 0 ends the value. Map items are string key + value.
 *   record         the fields in schema order, no framing
 *   enum           int symbol index; fixed: exactly `size` raw bytes
 *
 * Value model (`AvroValue`): null, boolean, int -> number, long -> bigint (all 64 bits),
 * float/double -> number, bytes/fixed -> Uint8Array, string/enum -> string, array -> array,
 * map -> Map<string, AvroValue>, record -> plain object keyed by field name (null prototype only
 * when a field is named `__proto__`), union -> the value of its branch. Logical types keep their
 * underlying value.
 *
 * Invariants: every read past the end of the input throws LakeError("corruption"), never a
 * RangeError; writers validate values and throw LakeError("invalid_argument") naming the path.
 *
 * Imports: `src/errors.ts`.
 * Mirrors: org.apache.avro.io.BinaryDecoder / BinaryEncoder.
 */
import { LakeError } from "../../errors.ts";

/** A decoded Avro value (see the file header for the mapping). */
export type AvroValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | AvroValue[]
  | Map<string, AvroValue>
  | AvroRecordValue;

/** A decoded record: field name -> value. */
export interface AvroRecordValue {
  [field: string]: AvroValue;
}

/**
 * Returns a maker of empty record objects for records with these field names: a plain object
 * (V8 keeps a fixed shape when fields are always set in the same order), or a null-prototype
 * object when a field is named `__proto__` (which a plain object cannot hold as data).
 */
export function recordObjectFactory(fieldNames: readonly string[]): () => AvroRecordValue {
  return fieldNames.includes("__proto__") ? () => Object.create(null) as AvroRecordValue : () => ({});
}

const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;
/** Strings up to this many UTF-16 units encode to < 64 bytes: a one-byte length prefix. */
const SHORT_STRING_UNITS_MAX = 21;
const UTF8_DECODER = new TextDecoder("utf-8");
const UTF8_ENCODER = new TextEncoder();

/** A cursor over Avro binary data. Every read is bounds-checked. */
export class AvroReader {
  readonly bytes: Uint8Array;
  /** Current read offset in `bytes`. */
  pos: number;
  /** End offset (exclusive) of the readable region. */
  readonly end: number;
  readonly #view: DataView;

  /** Reads `bytes[start, end)`. */
  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left to read. */
  remaining(): number {
    return this.end - this.pos;
  }

  /** Throws LakeError("corruption") unless `n` more bytes are available. */
  need(n: number): void {
    if (n > this.end - this.pos) {
      throw new LakeError("corruption", `avro: unexpected end of data: need ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left`);
    }
  }

  /** Reads a zig-zag varint int; throws corruption when it does not fit 32 bits. */
  readInt(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.need(1);
      const b = this.bytes[this.pos++]!;
      if (shift === 28) {
        if (b > 0x0f) throw new LakeError("corruption", `avro: int varint longer than 32 bits at offset ${this.pos - 1}`);
        result = (result | (b << 28)) >>> 0;
        break;
      }
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        result >>>= 0;
        break;
      }
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  }

  /** Reads a zig-zag varint long as a bigint (full 64-bit range). */
  readLong(): bigint {
    // Fast path: up to 7 groups (49 bits) accumulate exactly in a double.
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) this.need(1);
      const b = this.bytes[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) {
        const half = Math.floor(n / 2);
        return BigInt(n % 2 === 0 ? half : -half - 1);
      }
      scale *= 128;
    }
    let big = BigInt(n);
    let shift = 49n;
    for (;;) {
      if (this.pos >= this.end) this.need(1);
      const b = this.bytes[this.pos++]!;
      if (shift === 63n && b > 1) throw new LakeError("corruption", `avro: long varint longer than 64 bits at offset ${this.pos - 1}`);
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7n;
    }
    return (big >> 1n) ^ -(big & 1n);
  }

  /**
   * Reads a long that must fit a safe integer (lengths, counts, indexes) as a number, without
   * allocating a bigint on the common short path. `what` names the value in errors.
   */
  readSafeLong(what: string): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) this.need(1);
      const b = this.bytes[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      scale *= 128;
    }
    this.pos -= 7;
    const at = this.pos;
    const value = this.readLong();
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new LakeError("corruption", `avro: ${what} ${value} at offset ${at} is out of range`);
    }
    return Number(value);
  }

  /** Reads a long that must be a non-negative safe integer (lengths, counts); `what` names it. */
  readLength(what: string): number {
    const at = this.pos;
    const value = this.readSafeLong(what);
    if (value < 0) throw new LakeError("corruption", `avro: ${what} ${value} at offset ${at} is out of range`);
    return value;
  }

  /**
   * Byte size of the block whose header `readBlockCount` read last, or -1 when the block was
   * written with a positive count (no size).
   */
  blockBytes = -1;

  /** Reads an array/map block header: returns the item count (0 ends the value), sets `blockBytes`. */
  readBlockCount(): number {
    const count = this.readSafeLong("block count");
    if (count >= 0) {
      this.blockBytes = -1;
      return count;
    }
    this.blockBytes = this.readLength("block byte size");
    this.need(this.blockBytes);
    return -count;
  }

  /** Reads one byte as boolean; any value other than 0/1 is corruption. */
  readBoolean(): boolean {
    this.need(1);
    const b = this.bytes[this.pos++]!;
    if (b > 1) throw new LakeError("corruption", `avro: boolean byte ${b} at offset ${this.pos - 1}`);
    return b === 1;
  }

  /** Reads a little-endian IEEE float. */
  readFloat(): number {
    this.need(4);
    const v = this.#view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian IEEE double. */
  readDouble(): number {
    this.need(8);
    const v = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /**
   * Reads exactly `n` raw bytes as a view into the input (no copy: decoding stays cheap; the
   * container reader decodes from private block buffers, so views never alias caller memory).
   */
  readFixed(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads length-prefixed bytes (a view, see `readFixed`). */
  readBytes(): Uint8Array {
    return this.readFixed(this.readLength("bytes length"));
  }

  /** Reads a length-prefixed UTF-8 string (invalid sequences become U+FFFD, as in Java). */
  readString(): string {
    const n = this.readLength("string length");
    this.need(n);
    const start = this.pos;
    this.pos += n;
    return UTF8_DECODER.decode(this.bytes.subarray(start, start + n));
  }

  /** Advances `n` bytes. */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Skips length-prefixed bytes or a string. */
  skipBytes(): void {
    this.skip(this.readLength("bytes length"));
  }

  /** Skips a varint (int or long). */
  skipVarint(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.need(1);
      if (this.bytes[this.pos++]! < 0x80) return;
    }
    throw new LakeError("corruption", `avro: varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** Reads a union branch index and checks it against `branchCount`. */
  readUnionIndex(branchCount: number): number {
    const at = this.pos;
    const index = this.readSafeLong("union branch index");
    if (index < 0 || index >= branchCount) {
      throw new LakeError("corruption", `avro: union branch index ${index} at offset ${at}, expected 0..${branchCount - 1}`);
    }
    return index;
  }
}

/** A growable output buffer for Avro binary data. */
export class AvroWriter {
  #buf: Uint8Array<ArrayBuffer>;
  #view: DataView;
  #len = 0;

  /** Starts with `initialBytes` of capacity (grows by doubling). */
  constructor(initialBytes = 1024) {
    this.#buf = new Uint8Array(Math.max(16, initialBytes));
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  #ensure(n: number): void {
    const need = this.#len + n;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Writes an int (zig-zag varint). Requires: a 32-bit signed integer. */
  writeInt(value: number): void {
    if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
      throw new LakeError("invalid_argument", `avro: int value ${value} is not a 32-bit integer`);
    }
    this.#writeUnsigned32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  #writeUnsigned32(v: number): void {
    this.#ensure(5);
    while (v > 0x7f) {
      this.#buf[this.#len++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.#buf[this.#len++] = v;
  }

  /** Writes a long (zig-zag varint). Requires: a bigint in [-2^63, 2^63 - 1]. */
  writeLong(value: bigint): void {
    if (typeof value !== "bigint" || value < LONG_MIN || value > LONG_MAX) {
      throw new LakeError("invalid_argument", `avro: long value ${String(value)} is not a 64-bit bigint`);
    }
    if (value >= -1073741824n && value <= 1073741823n) {
      const n = Number(value);
      this.#writeUnsigned32(((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    // Large magnitudes: at most 10 groups, bigint arithmetic is fine here.
    let z = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    this.#ensure(10);
    while (z >= 0x80n) {
      this.#buf[this.#len++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.#buf[this.#len++] = Number(z);
  }

  /** Writes a non-negative count or length that fits a safe integer. */
  writeLength(n: number): void {
    if (n <= 1073741823) this.#writeUnsigned32(n * 2);
    else this.writeLong(BigInt(n));
  }

  /** Writes one byte 0/1. */
  writeBoolean(value: boolean): void {
    this.#ensure(1);
    this.#buf[this.#len++] = value ? 1 : 0;
  }

  /** Writes a little-endian IEEE float. */
  writeFloat(value: number): void {
    this.#ensure(4);
    this.#view.setFloat32(this.#len, value, true);
    this.#len += 4;
  }

  /** Writes a little-endian IEEE double. */
  writeDouble(value: number): void {
    this.#ensure(8);
    this.#view.setFloat64(this.#len, value, true);
    this.#len += 8;
  }

  /** Writes raw bytes without a length prefix. */
  writeFixed(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  /** Writes length-prefixed bytes. */
  writeBytes(bytes: Uint8Array): void {
    this.writeLength(bytes.length);
    this.writeFixed(bytes);
  }

  /** Writes a length-prefixed UTF-8 string. */
  writeString(value: string): void {
    if (value.length <= SHORT_STRING_UNITS_MAX) {
      // At most 3 UTF-8 bytes per UTF-16 unit, so the length (< 64) zig-zags into one byte.
      this.#ensure(1 + value.length * 3);
      const at = this.#len + 1;
      const { written } = UTF8_ENCODER.encodeInto(value, this.#buf.subarray(at));
      this.#buf[this.#len] = written * 2;
      this.#len = at + written;
      return;
    }
    this.writeBytes(UTF8_ENCODER.encode(value));
  }

  /** The bytes written so far (a view over the internal buffer, valid until the next write). */
  view(): Uint8Array<ArrayBuffer> {
    return this.#buf.subarray(0, this.#len);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array<ArrayBuffer> {
    return this.#buf.slice(0, this.#len);
  }

  /** Forgets the content, keeping the capacity. */
  reset(): void {
    this.#len = 0;
  }
}
