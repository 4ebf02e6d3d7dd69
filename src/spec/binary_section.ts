/**
 * The binary layouts Java Paimon shares between BinaryRow, BinaryArray, BinaryMap and
 * BinaryVector: the section buffer and per-type writers/readers of one atomic value in a fixed
 * slot plus a variable part. `binary_row.ts` adds the nested sections and is the public API;
 * nothing else should need this module.
 *
 * Layouts (all little-endian; "var part" offsets are relative to the start of the enclosing
 * section, and every var-part chunk is zero-padded to a multiple of 8 bytes):
 * - Row: header+null bits `W = ((n + 71) >> 6) * 8` bytes (byte 0 = RowKind, null bit of field i
 *   is bit i+8), then n 8-byte slots, then the var part.
 * - Array: int32 count, null bits rounded up to 4-byte words (bit i = element i), elements of
 *   fixed width (1/2/4/8 by type), the fixed part rounded up to 8, then the var part. A null
 *   element is a zero slot with no reserved var bytes (unlike rows, see below).
 * - Map: int32 byte size of the key array, key array, value array.
 * - Vector: int32 count, then the packed non-null elements zero-padded to 8 bytes.
 * - Strings and binaries of ≤ 7 bytes live in the slot (byte 7 = 0x80 | length); longer ones
 *   in the var part with slot `(offset << 32) | length`.
 * - Row fields of non-compact DECIMAL (p > 18) always reserve 16 var bytes and non-compact
 *   TIMESTAMP (p > 3) 8, even when null; the null slot then holds `offset << 32`.
 * - NaN is written as Java's canonical NaN (0x7fc00000 / 0x7ff8000000000000).
 *
 * Mirrors AbstractBinaryWriter, BinaryRowWriter, BinaryArrayWriter, BinaryMap, BinaryVector,
 * RowHelper and MemorySegmentUtils read* in
 * https://github.com/apache/paimon/tree/master/paimon-common/src/main/java/org/apache/paimon/data
 *
 * Invariant: encoding is a pure function of (types, values, row kind), so equal values give
 * identical bytes, as Java's bytewise BinaryRow equality requires.
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts.
 */
import { LakeError } from "../errors.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { describeType, isCompactDecimal, isCompactTimestamp, type AtomicType, type DataType } from "./data_types.ts";
import { decimalFitsPrecision, isTimestamp, isVariant, type Value } from "./values.ts";

const TWO_POW_32 = 4294967296;

/** Rounds `n` up to a multiple of 8. */
export function roundToWord(n: number): number {
  return (n + 7) & ~7;
}

/** Width in bytes of the null bitset plus header of a row of `arity` fields. */
export function rowBitSetWidth(arity: number): number {
  return ((arity + 63 + 8) >>> 6) * 8;
}

/** A growable buffer holding one section; bytes past `cursor` are always zero. */
export class SectionWriter {
  bytes: Uint8Array<ArrayBuffer>;
  view: DataView;
  cursor: number;

  constructor(fixedSize: number, spare: number) {
    this.bytes = new Uint8Array(fixedSize + spare);
    this.view = new DataView(this.bytes.buffer);
    this.cursor = fixedSize;
  }

  /** Appends `n` zero bytes (a multiple of 8) to the var part; returns their offset. */
  reserve(n: number): number {
    const need = this.cursor + n;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length + (this.bytes.length >> 1)));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    const offset = this.cursor;
    this.cursor = need;
    return offset;
  }

  /** Appends `data` zero-padded to 8 bytes; returns its offset. */
  appendVar(data: Uint8Array): number {
    const offset = this.reserve(roundToWord(data.length));
    this.bytes.set(data, offset);
    return offset;
  }

  /** Writes the slot `(offset << 32) | size` at `slot`. */
  setOffsetAndSize(slot: number, offset: number, size: number): void {
    this.view.setUint32(slot, size, true);
    this.view.setUint32(slot + 4, offset, true);
  }

  /** The section bytes, exactly `cursor` long. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.cursor === this.bytes.length ? this.bytes : this.bytes.slice(0, this.cursor);
  }
}

/** A read-only view of one section inside `bytes`: [base, end). */
export interface SectionReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly base: number;
  readonly end: number;
}

/** Per-type writer and reader of one value. */
export interface FieldCodec {
  /** Width of the value in an array element slot (1, 2, 4 or 8). */
  readonly width: number;
  /** Writes non-null `value` at `slot` (fixed part) and, if needed, into the var part. */
  write(w: SectionWriter, slot: number, value: Value): void;
  /** For row fields only: what a null needs beyond its null bit (reserved var bytes). */
  writeRowNull: ((w: SectionWriter, slot: number) => void) | null;
  /** Reads the non-null value whose slot is at absolute offset `slot`. */
  read(r: SectionReader, slot: number): Value;
}

/** Thrown by codecs for a value that does not match its type; callers add the position. */
export function badValue(type: DataType, expected: string, value: unknown): never {
  throw new LakeError("invalid_argument", `binary row: ${describeType(type)} expects ${expected}, got ${showValue(value)}`);
}

/** Short text of any value for error messages. */
export function showValue(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === "object" && value !== null) return `object {${Object.keys(value).join(", ")}}`;
  return String(value);
}

/** Throws LakeError("corruption") about a section. */
export function corrupt(message: string): never {
  throw new LakeError("corruption", `binary row: ${message}`);
}

/** Prefixes the message of a LakeError with a position ("field 3: ..."). */
export function atPosition(error: unknown, position: string): unknown {
  if (error instanceof LakeError) {
    const m = /^binary row: (.*)$/s.exec(error.message);
    return new LakeError(error.code, `binary row: ${position}: ${m ? m[1] : error.message}`, { cause: error });
  }
  return error;
}

function intCodec(type: DataType, width: 1 | 2 | 4, min: number, max: number): FieldCodec {
  return {
    width,
    writeRowNull: null,
    write(w, slot, value) {
      if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        badValue(type, `an integer number in ${min}..${max}`, value);
      }
      if (width === 1) w.view.setInt8(slot, value);
      else if (width === 2) w.view.setInt16(slot, value, true);
      else w.view.setInt32(slot, value, true);
    },
    read(r, slot) {
      return width === 1 ? r.view.getInt8(slot) : width === 2 ? r.view.getInt16(slot, true) : r.view.getInt32(slot, true);
    },
  };
}

/** Writes a safe integer as int64 LE. */
function setInt64Number(view: DataView, offset: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  view.setUint32(offset, value - hi * TWO_POW_32, true);
  view.setInt32(offset + 4, hi, true);
}

/** Reads an int64 LE that must be a safe integer (epoch millis). */
function getInt64Number(view: DataView, offset: number): number {
  const value = view.getInt32(offset + 4, true) * TWO_POW_32 + view.getUint32(offset, true);
  if (!Number.isSafeInteger(value)) {
    throw new LakeError("unsupported", `binary row: timestamp millis ${view.getBigInt64(offset, true)} is outside the safe integer range`);
  }
  return value;
}

/** Writes bytes inline (≤ 7) or into the var part. */
function writeBytes(w: SectionWriter, slot: number, data: Uint8Array): void {
  if (data.length <= 7) {
    w.bytes.set(data, slot);
    w.bytes[slot + 7] = 0x80 | data.length;
  } else {
    w.setOffsetAndSize(slot, w.appendVar(data), data.length);
  }
}

/** Reads inline or var-part bytes (a view into the section; callers copy if they keep it). */
function readBytes(r: SectionReader, slot: number): Uint8Array {
  const mark = r.bytes[slot + 7]!;
  if (mark & 0x80) {
    const len = mark & 0x7f;
    if (len > 7) corrupt(`inline length ${len} at offset ${slot} is above 7`);
    return r.bytes.subarray(slot, slot + len);
  }
  return varChunk(r, slot);
}

/** The var-part chunk addressed by the slot at `slot`, bounds-checked. */
export function varChunk(r: SectionReader, slot: number): Uint8Array {
  const size = r.view.getUint32(slot, true);
  const start = r.base + r.view.getUint32(slot + 4, true);
  if (start + size > r.end) corrupt(`var part [${start - r.base}, +${size}) exceeds the section size ${r.end - r.base}`);
  return r.bytes.subarray(start, start + size);
}

/** `BigInteger.toByteArray()`: minimal big-endian two's complement, at least one byte. */
export function bigintToTwosComplement(value: bigint): Uint8Array {
  const magnitude = value < 0n ? ~value : value;
  const bitLength = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const out = new Uint8Array((bitLength >> 3) + 1);
  let v = value;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Inverse of `bigintToTwosComplement` (`new BigInteger(bytes)`). */
export function bigintFromTwosComplement(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

const FLOAT_NAN_BITS = 0x7fc00000;
const DOUBLE_NAN_HIGH_BITS = 0x7ff80000;

/**
 * The codec of an atomic type (every type but ARRAY, MAP, MULTISET, ROW and VECTOR, which
 * `binary_row.ts` builds from sections).
 */
export function atomicCodec(type: AtomicType): FieldCodec {
  switch (type.root) {
    case "BOOLEAN":
      return {
        width: 1, writeRowNull: null,
        write(w, slot, value) {
          if (typeof value !== "boolean") badValue(type, "a boolean", value);
          w.bytes[slot] = value ? 1 : 0;
        },
        read: (r, slot) => r.bytes[slot] !== 0,
      };
    case "TINYINT": return intCodec(type, 1, -128, 127);
    case "SMALLINT": return intCodec(type, 2, -32768, 32767);
    case "INT": case "DATE": case "TIME": return intCodec(type, 4, -2147483648, 2147483647);
    case "BIGINT":
      return {
        width: 8, writeRowNull: null,
        write(w, slot, value) {
          if (typeof value !== "bigint" || BigInt.asIntN(64, value) !== value) badValue(type, "an int64 bigint", value);
          w.view.setBigInt64(slot, value, true);
        },
        read: (r, slot) => r.view.getBigInt64(slot, true),
      };
    case "FLOAT":
      return {
        width: 4, writeRowNull: null,
        write(w, slot, value) {
          if (typeof value !== "number") badValue(type, "a number", value);
          if (Number.isNaN(value)) w.view.setUint32(slot, FLOAT_NAN_BITS, true);
          else w.view.setFloat32(slot, value, true);
        },
        read: (r, slot) => r.view.getFloat32(slot, true),
      };
    case "DOUBLE":
      return {
        width: 8, writeRowNull: null,
        write(w, slot, value) {
          if (typeof value !== "number") badValue(type, "a number", value);
          if (Number.isNaN(value)) w.view.setUint32(slot + 4, DOUBLE_NAN_HIGH_BITS, true);
          else w.view.setFloat64(slot, value, true);
        },
        read: (r, slot) => r.view.getFloat64(slot, true),
      };
    case "CHAR": case "VARCHAR":
      return {
        width: 8, writeRowNull: null,
        write(w, slot, value) {
          if (typeof value !== "string") badValue(type, "a string", value);
          writeBytes(w, slot, utf8Encode(value));
        },
        read(r, slot) {
          try {
            return utf8Decode(readBytes(r, slot));
          } catch (e) {
            return corrupt(`invalid UTF-8 in ${describeType(type)} at offset ${slot - r.base}: ${String(e)}`);
          }
        },
      };
    case "BINARY": case "VARBINARY": case "BLOB":
      return {
        width: 8, writeRowNull: null,
        write(w, slot, value) {
          if (!(value instanceof Uint8Array)) badValue(type, "a Uint8Array", value);
          writeBytes(w, slot, value);
        },
        read: (r, slot) => readBytes(r, slot).slice(),
      };
    case "DECIMAL": return decimalCodec(type, type.precision ?? 10);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return timestampCodec(type, type.precision ?? 6);
    case "VARIANT": return variantCodec(type);
  }
}

function decimalCodec(type: DataType, precision: number): FieldCodec {
  const check = (value: Value): bigint => {
    if (typeof value !== "bigint" || !decimalFitsPrecision(value, precision)) {
      badValue(type, `an unscaled bigint of at most ${precision} digits`, value);
    }
    return value;
  };
  if (isCompactDecimal(precision)) {
    return {
      width: 8, writeRowNull: null,
      write: (w, slot, value) => w.view.setBigInt64(slot, check(value), true),
      read: (r, slot) => r.view.getBigInt64(slot, true),
    };
  }
  return {
    width: 8,
    writeRowNull: (w, slot) => w.setOffsetAndSize(slot, w.reserve(16), 0),
    write(w, slot, value) {
      const bytes = bigintToTwosComplement(check(value));
      const offset = w.reserve(16);
      w.bytes.set(bytes, offset);
      w.setOffsetAndSize(slot, offset, bytes.length);
    },
    read(r, slot) {
      const chunk = varChunk(r, slot);
      if (chunk.length < 1 || chunk.length > 16) corrupt(`decimal byte length ${chunk.length} at offset ${slot - r.base} is not in 1..16`);
      return bigintFromTwosComplement(chunk);
    },
  };
}

function timestampCodec(type: DataType, precision: number): FieldCodec {
  const compact = isCompactTimestamp(precision);
  const check = (value: Value): { epochMillis: number; nanoOfMillisecond: number } => {
    if (!isTimestamp(value) || !Number.isSafeInteger(value.epochMillis) || !Number.isInteger(value.nanoOfMillisecond) ||
      value.nanoOfMillisecond < 0 || value.nanoOfMillisecond > 999_999 || (compact && value.nanoOfMillisecond !== 0)) {
      badValue(type, compact ? "a Timestamp with nanoOfMillisecond 0" : "a Timestamp", value);
    }
    return value;
  };
  if (compact) {
    return {
      width: 8, writeRowNull: null,
      write: (w, slot, value) => setInt64Number(w.view, slot, check(value).epochMillis),
      read: (r, slot) => ({ epochMillis: getInt64Number(r.view, slot), nanoOfMillisecond: 0 }),
    };
  }
  return {
    width: 8,
    writeRowNull: (w, slot) => w.setOffsetAndSize(slot, w.reserve(8), 0),
    write(w, slot, value) {
      const ts = check(value);
      const offset = w.reserve(8);
      setInt64Number(w.view, offset, ts.epochMillis);
      w.setOffsetAndSize(slot, offset, ts.nanoOfMillisecond);
    },
    read(r, slot) {
      const nano = r.view.getUint32(slot, true);
      const at = r.base + r.view.getUint32(slot + 4, true);
      if (at + 8 > r.end) corrupt(`timestamp offset ${at - r.base} exceeds the section size ${r.end - r.base}`);
      if (nano > 999_999) corrupt(`nanoOfMillisecond ${nano} at offset ${slot - r.base} is above 999999`);
      return { epochMillis: getInt64Number(r.view, at), nanoOfMillisecond: nano };
    },
  };
}

function variantCodec(type: DataType): FieldCodec {
  return {
    width: 8, writeRowNull: null,
    write(w, slot, value) {
      if (!isVariant(value)) badValue(type, "a Variant {value, metadata}", value);
      const total = 4 + value.value.length + value.metadata.length;
      const offset = w.reserve(roundToWord(total));
      w.view.setInt32(offset, value.value.length, true);
      w.bytes.set(value.value, offset + 4);
      w.bytes.set(value.metadata, offset + 4 + value.value.length);
      w.setOffsetAndSize(slot, offset, total);
    },
    read(r, slot) {
      const chunk = varChunk(r, slot);
      const valueSize = chunk.length >= 4 ? new DataView(chunk.buffer, chunk.byteOffset, 4).getInt32(0, true) : -1;
      if (valueSize < 0 || 4 + valueSize > chunk.length) corrupt(`variant value size ${valueSize} does not fit its ${chunk.length}-byte chunk`);
      return { value: chunk.slice(4, 4 + valueSize), metadata: chunk.slice(4 + valueSize) };
    },
  };
}
