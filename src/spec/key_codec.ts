/**
 * The ONE order-preserving key encoding: `memcmp(encode(a), encode(b))` orders records exactly as
 * Java Paimon's key comparator does, then by sequence number DESCENDING. The WASM kernel sorts,
 * merges and seeks on these bytes with plain memcmp and knows nothing else about Paimon.
 *
 * Layout: key part, then an 8-byte tail.
 * - Key part: per key field, in primary-key order, a marker byte 0x00 (null) or 0x01 (non-null)
 *   and, when non-null, the payload. Nulls sort first, as Java's ascending sort specs put them
 *   (`nullIsLast = !ascending`, GenerateUtils#getAscendingSortSpec).
 * - Payloads (all big-endian):
 *   BOOLEAN 1 byte 0/1 (false < true); TINYINT/SMALLINT/INT/DATE/TIME and BIGINT the two's
 *   complement with the sign bit flipped (1/2/4/8 bytes); FLOAT/DOUBLE the IEEE bits of Java's
 *   `Float.compare`/`Double.compare` order (NaN canonical and above +Infinity, -0.0 < 0.0):
 *   positive → sign bit set, negative → all bits inverted; DECIMAL the unscaled value sign-flipped
 *   in 8 bytes (p ≤ 18) or 16 bytes (p > 18), equal scale so numeric order; TIMESTAMP/LTZ the
 *   epoch millis sign-flipped in 8 bytes, plus for precision > 3 the nanoOfMillisecond in 4
 *   bytes (Timestamp#compareTo); CHAR/VARCHAR (UTF-8) and BINARY/VARBINARY the raw bytes with
 *   every 0x00 written as 0x00 0xFF and terminated by 0x00 0x00, so unsigned byte order with
 *   the shorter prefix first holds and the encoding is prefix-free ("a" < "a\0" < "ab").
 * - Tail: the 64-bit sequence number with its sign bit flipped, then all bits inverted, so larger
 *   sequence numbers sort first within one key.
 * ARRAY, MAP, MULTISET, ROW, VECTOR, VARIANT and BLOB cannot be key fields: LakeError("unsupported").
 *
 * Mirrors the order of Java's generated RecordComparator (paimon-codegen GenerateUtils
 * #generateCompare), BinaryString#compareTo, Timestamp#compareTo, Decimal#compareTo:
 * https://github.com/apache/paimon/blob/master/paimon-codegen/src/main/scala/org/apache/paimon/codegen/GenerateUtils.scala
 *
 * Invariants: the encoding is a pure function of (types, values, sequence number); equal keys
 * (Java compare == 0) give identical key parts; the key part is prefix-free.
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts, spec/binary_section.ts
 * (for showValue only).
 */
import { LakeError } from "../errors.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { describeType, isCompactDecimal, isCompactTimestamp, type DataType } from "./data_types.ts";
import { decimalFitsPrecision, isTimestamp, type Value } from "./values.ts";
import { showValue } from "./binary_section.ts";

/** Bytes of the sequence-number tail after the key part. */
export const KEY_TAIL_BYTES = 8;
/** Smallest sequence number (Java Long.MIN_VALUE). */
export const SEQUENCE_NUMBER_MIN = -(1n << 63n);
/** Largest sequence number (Java Long.MAX_VALUE); a key with it sorts first among equal keys. */
export const SEQUENCE_NUMBER_MAX = (1n << 63n) - 1n;

const NULL_MARKER = 0x00;
const VALUE_MARKER = 0x01;
const SIGN_64 = 1n << 63n;
const SIGN_128 = 1n << 127n;
const MASK_64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;

/** Encoder/decoder of keys of one list of key field types. */
export interface KeyCodec {
  /** The key field types, in primary-key order. */
  readonly types: readonly DataType[];
  /** Key part + 8-byte tail of `sequenceNumber` (int64 range). */
  encode(values: readonly Value[], sequenceNumber: bigint): Uint8Array<ArrayBuffer>;
  /** The key part alone (prefix-free, no tail). */
  encodeKeyPart(values: readonly Value[]): Uint8Array<ArrayBuffer>;
  /** Decodes a key part (exactly, no trailing bytes) back into values. */
  decodeKeyPart(keyPart: Uint8Array): Value[];
  /** Decodes a full encoded key into its values and sequence number. */
  decode(encoded: Uint8Array): { values: Value[]; sequenceNumber: bigint };
}

/** Growable scratch buffer shared by all encoders (encoding is synchronous). */
let scratch = new Uint8Array(256);
let scratchView = new DataView(scratch.buffer);
let pos = 0;

function ensure(n: number): void {
  if (pos + n <= scratch.length) return;
  const grown = new Uint8Array(Math.max(pos + n, scratch.length * 2));
  grown.set(scratch.subarray(0, pos));
  scratch = grown;
  scratchView = new DataView(grown.buffer);
}

function bad(type: DataType, index: number, expected: string, value: unknown): never {
  throw new LakeError("invalid_argument", `key codec: field ${index} (${describeType(type)}) expects ${expected}, got ${showValue(value)}`);
}

function putU32(v: number): void {
  ensure(4);
  scratchView.setUint32(pos, v >>> 0, false);
  pos += 4;
}

function putU64(v: bigint): void {
  ensure(8);
  scratchView.setBigUint64(pos, v, false);
  pos += 8;
}

/** Escapes 0x00 as 0x00 0xFF and terminates with 0x00 0x00. */
function putEscaped(bytes: Uint8Array): void {
  ensure(bytes.length * 2 + 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    scratch[pos++] = b;
    if (b === 0) scratch[pos++] = 0xff;
  }
  scratch[pos++] = 0;
  scratch[pos++] = 0;
}

function putInt(type: DataType, i: number, value: Value, width: 1 | 2 | 4): void {
  const min = width === 1 ? -128 : width === 2 ? -32768 : -2147483648;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > -min - 1) bad(type, i, `an integer in ${min}..${-min - 1}`, value);
  ensure(width);
  const flipped = value - min; // unsigned, order preserving
  if (width === 1) scratch[pos] = flipped;
  else if (width === 2) scratchView.setUint16(pos, flipped, false);
  else scratchView.setUint32(pos, flipped, false);
  pos += width;
}

function putFloat(value: number, double: boolean): void {
  ensure(8);
  if (!double) {
    let bits: number;
    if (Number.isNaN(value)) bits = 0x7fc00000;
    else {
      scratchView.setFloat32(pos, value, false);
      bits = scratchView.getUint32(pos, false);
    }
    putU32(bits & 0x80000000 ? ~bits : bits | 0x80000000);
    return;
  }
  let hi: number, lo: number;
  if (Number.isNaN(value)) {
    hi = 0x7ff80000;
    lo = 0;
  } else {
    scratchView.setFloat64(pos, value, false);
    hi = scratchView.getUint32(pos, false);
    lo = scratchView.getUint32(pos + 4, false);
  }
  if (hi & 0x80000000) {
    putU32(~hi);
    putU32(~lo);
  } else {
    putU32(hi | 0x80000000);
    putU32(lo);
  }
}

function putField(type: DataType, i: number, value: Value): void {
  switch (type.root) {
    case "BOOLEAN":
      if (typeof value !== "boolean") bad(type, i, "a boolean", value);
      ensure(1);
      scratch[pos++] = value ? 1 : 0;
      return;
    case "TINYINT": return putInt(type, i, value, 1);
    case "SMALLINT": return putInt(type, i, value, 2);
    case "INT": case "DATE": case "TIME": return putInt(type, i, value, 4);
    case "BIGINT":
      if (typeof value !== "bigint" || BigInt.asIntN(64, value) !== value) bad(type, i, "an int64 bigint", value);
      return putU64(BigInt.asUintN(64, value) ^ SIGN_64);
    case "FLOAT": case "DOUBLE":
      if (typeof value !== "number") bad(type, i, "a number", value);
      return putFloat(value, type.root === "DOUBLE");
    case "DECIMAL": {
      const p = type.precision ?? 10;
      if (typeof value !== "bigint" || !decimalFitsPrecision(value, p)) bad(type, i, `an unscaled bigint of at most ${p} digits`, value);
      if (isCompactDecimal(p)) return putU64(BigInt.asUintN(64, value) ^ SIGN_64);
      const u = BigInt.asUintN(128, value) ^ SIGN_128;
      putU64(u >> 64n);
      return putU64(u & MASK_64);
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const compact = isCompactTimestamp(type.precision ?? 6);
      if (!isTimestamp(value) || !Number.isSafeInteger(value.epochMillis) || !Number.isInteger(value.nanoOfMillisecond) ||
        value.nanoOfMillisecond < 0 || value.nanoOfMillisecond > 999_999 || (compact && value.nanoOfMillisecond !== 0)) {
        bad(type, i, compact ? "a Timestamp with nanoOfMillisecond 0" : "a Timestamp", value);
      }
      const hi = Math.floor(value.epochMillis / TWO_POW_32);
      putU32((hi ^ 0x80000000) >>> 0);
      putU32(value.epochMillis - hi * TWO_POW_32);
      if (!compact) putU32(value.nanoOfMillisecond);
      return;
    }
    case "CHAR": case "VARCHAR":
      if (typeof value !== "string") bad(type, i, "a string", value);
      return putEscaped(utf8Encode(value));
    case "BINARY": case "VARBINARY":
      if (!(value instanceof Uint8Array)) bad(type, i, "a Uint8Array", value);
      return putEscaped(value);
    default:
      throw new LakeError("unsupported", `key codec: ${describeType(type)} cannot be a key field (not orderable)`);
  }
}

function putKeyPart(types: readonly DataType[], values: readonly Value[]): void {
  if (values.length !== types.length) {
    throw new LakeError("invalid_argument", `key codec: ${values.length} values for ${types.length} key fields`);
  }
  pos = 0;
  for (let i = 0; i < types.length; i++) {
    const value = values[i];
    ensure(1);
    if (value === null) {
      scratch[pos++] = NULL_MARKER;
    } else {
      if (value === undefined) bad(types[i]!, i, "a value or null", value);
      scratch[pos++] = VALUE_MARKER;
      putField(types[i]!, i, value);
    }
  }
}

function putTail(sequenceNumber: bigint): void {
  if (typeof sequenceNumber !== "bigint" || sequenceNumber < SEQUENCE_NUMBER_MIN || sequenceNumber > SEQUENCE_NUMBER_MAX) {
    throw new LakeError("invalid_argument", `key codec: sequence number ${showValue(sequenceNumber)} is not an int64 bigint`);
  }
  putU64(MASK_64 ^ (BigInt.asUintN(64, sequenceNumber) ^ SIGN_64));
}

const ORDERABLE_ROOTS = new Set([
  "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE", "TIME",
  "TIMESTAMP", "TIMESTAMP_LTZ", "DECIMAL", "CHAR", "VARCHAR", "BINARY", "VARBINARY",
]);

/**
 * Builds the codec for keys with these field types (primary-key order).
 * Throws LakeError("unsupported") when a type is not orderable as a key.
 */
export function createKeyCodec(types: readonly DataType[]): KeyCodec {
  for (const type of types) {
    if (!ORDERABLE_ROOTS.has(type.root)) {
      throw new LakeError("unsupported", `key codec: ${describeType(type)} cannot be a key field (not orderable)`);
    }
  }
  const frozen = [...types];
  return {
    types: frozen,
    encode(values, sequenceNumber) {
      putKeyPart(frozen, values);
      putTail(sequenceNumber);
      return scratch.slice(0, pos);
    },
    encodeKeyPart(values) {
      putKeyPart(frozen, values);
      return scratch.slice(0, pos);
    },
    decodeKeyPart(keyPart) {
      const { values, end } = readKeyPart(frozen, keyPart, keyPart.length);
      if (end !== keyPart.length) corrupt(`${keyPart.length - end} trailing bytes after the key part`);
      return values;
    },
    decode(encoded) {
      const limit = encoded.length - KEY_TAIL_BYTES;
      if (limit < 0) corrupt(`encoded key of ${encoded.length} bytes has no ${KEY_TAIL_BYTES}-byte tail`);
      const { values, end } = readKeyPart(frozen, encoded, limit);
      if (end !== limit) corrupt(`${limit - end} bytes between the key part and the tail`);
      return { values, sequenceNumber: keySequenceNumber(encoded) };
    },
  };
}

/** Encodes one key with a one-off codec (prefer `createKeyCodec` in loops). */
export function encodeKey(types: readonly DataType[], values: readonly Value[], sequenceNumber: bigint): Uint8Array<ArrayBuffer> {
  return createKeyCodec(types).encode(values, sequenceNumber);
}

/** The sequence number held in the tail of an encoded key. */
export function keySequenceNumber(encoded: Uint8Array): bigint {
  if (encoded.length < KEY_TAIL_BYTES) corrupt(`encoded key of ${encoded.length} bytes has no ${KEY_TAIL_BYTES}-byte tail`);
  const tail = new DataView(encoded.buffer, encoded.byteOffset + encoded.length - KEY_TAIL_BYTES, KEY_TAIL_BYTES).getBigUint64(0, false);
  return BigInt.asIntN(64, (MASK_64 ^ tail) ^ SIGN_64);
}

/** Length of the key part of an encoded key (everything before the tail). */
export function keyPartLength(encoded: Uint8Array): number {
  if (encoded.length < KEY_TAIL_BYTES) corrupt(`encoded key of ${encoded.length} bytes has no ${KEY_TAIL_BYTES}-byte tail`);
  return encoded.length - KEY_TAIL_BYTES;
}

/** The key part of an encoded key, as a view (no copy). Equal keys have equal key parts. */
export function keyPart(encoded: Uint8Array): Uint8Array {
  return encoded.subarray(0, keyPartLength(encoded));
}

function corrupt(message: string): never {
  throw new LakeError("corruption", `key codec: ${message}`);
}

function readKeyPart(types: readonly DataType[], bytes: Uint8Array, limit: number): { values: Value[]; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number): number => {
    if (at + n > limit) corrupt(`key part ends at byte ${limit}, needed ${at + n}`);
    const start = at;
    at += n;
    return start;
  };
  const readEscaped = (): Uint8Array => {
    const out: number[] = [];
    for (;;) {
      const b = bytes[need(1)]!;
      if (b !== 0) { out.push(b); continue; }
      const next = bytes[need(1)]!;
      if (next === 0) return Uint8Array.from(out);
      if (next !== 0xff) corrupt(`bad escape 0x00 0x${next.toString(16)} at byte ${at - 1}`);
      out.push(0);
    }
  };
  const values: Value[] = [];
  for (const type of types) {
    const marker = bytes[need(1)]!;
    if (marker === NULL_MARKER) { values.push(null); continue; }
    if (marker !== VALUE_MARKER) corrupt(`bad null marker 0x${marker.toString(16)} at byte ${at - 1}`);
    switch (type.root) {
      case "BOOLEAN": values.push(bytes[need(1)] !== 0); break;
      case "TINYINT": values.push(bytes[need(1)]! - 128); break;
      case "SMALLINT": values.push(view.getUint16(need(2), false) - 32768); break;
      case "INT": case "DATE": case "TIME": values.push(view.getUint32(need(4), false) - 2147483648); break;
      case "BIGINT": values.push(BigInt.asIntN(64, view.getBigUint64(need(8), false) ^ SIGN_64)); break;
      case "FLOAT": case "DOUBLE": {
        const double = type.root === "DOUBLE";
        const n = double ? 8 : 4;
        const start = need(n);
        const raw = new DataView(new ArrayBuffer(n));
        const hi = view.getUint32(start, false);
        const neg = (hi & 0x80000000) === 0;
        raw.setUint32(0, neg ? ~hi : hi & 0x7fffffff, false);
        if (double) raw.setUint32(4, neg ? ~view.getUint32(start + 4, false) : view.getUint32(start + 4, false), false);
        values.push(double ? raw.getFloat64(0, false) : raw.getFloat32(0, false));
        break;
      }
      case "DECIMAL": {
        if (isCompactDecimal(type.precision ?? 10)) { values.push(BigInt.asIntN(64, view.getBigUint64(need(8), false) ^ SIGN_64)); break; }
        const start = need(16);
        const u = (view.getBigUint64(start, false) << 64n) | view.getBigUint64(start + 8, false);
        values.push(BigInt.asIntN(128, u ^ SIGN_128));
        break;
      }
      case "TIMESTAMP": case "TIMESTAMP_LTZ": {
        const start = need(8);
        const hi = (view.getUint32(start, false) ^ 0x80000000) | 0;
        const epochMillis = hi * TWO_POW_32 + view.getUint32(start + 4, false);
        const nanoOfMillisecond = isCompactTimestamp(type.precision ?? 6) ? 0 : view.getUint32(need(4), false);
        values.push({ epochMillis, nanoOfMillisecond });
        break;
      }
      case "CHAR": case "VARCHAR": values.push(utf8Decode(readEscaped())); break;
      case "BINARY": case "VARBINARY": values.push(readEscaped()); break;
      default: throw new LakeError("unsupported", `key codec: ${describeType(type)} cannot be a key field (not orderable)`);
    }
  }
  return { values, end: at };
}
