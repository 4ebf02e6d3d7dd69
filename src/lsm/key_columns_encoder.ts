/**
 * Vectorized twin of spec/key_codec.ts: encodes the keys of a whole run from its key columns
 * (Arrow-layout ColumnBuffers, no per-row JS values) into one ByteKeys buffer, byte-identical
 * to `createKeyCodec(types).encode(values, sequenceNumber)` (or `encodeKeyPart` without a tail).
 *
 * Method: a length pass sums each row's encoded length over the key fields (fixed widths, or
 * the escaped length of a string/binary), a prefix sum gives the offsets, then each field is
 * written column by column at a per-row cursor (tight, monomorphic loops), then the tails.
 * The layout is key_codec's, restated here for the columnar reads:
 *   marker 0x00 (null) | 0x01 + payload, big-endian payloads with the sign bit flipped; floats
 *   in Java `compare` order (NaN canonical, -0.0 < 0.0); strings/binaries escaped (0x00 →
 *   0x00 0xFF) and terminated by 0x00 0x00; TIMESTAMP millis (+ nano-of-milli for p > 3);
 *   tail = the sequence number sign-flipped then inverted (larger sequence first).
 *
 * Column layouts expected per type (what the fast Parquet reader delivers, see
 * format/data/parquet_arrow_reader.ts): BOOLEAN bits; TINYINT/SMALLINT/INT/DATE/TIME fixed
 * 1/2/4/4/4 bytes; BIGINT, FLOAT, DOUBLE fixed 8/4/8; TIMESTAMP p 1..3 int64 millis, p 4..6
 * int64 micros; DECIMAL 16-byte two's complement; CHAR/VARCHAR/BINARY/VARBINARY var.
 *
 * Invariants: output equals key_codec's bytes for the same values (test/unit/lsm/
 * key_columns_encoder_test.ts checks it on random columns); DECIMAL values are not re-checked
 * against their precision (the Parquet decoder delivers declared decimals).
 * Imports: errors.ts, spec/data_types.ts, kernel (ByteKeys type), format/data/column_buffers.ts.
 * Mirrors Java's generated key comparator order, like key_codec.ts.
 */
import { LakeError } from "../errors.ts";
import { describeType, isCompactDecimal, isCompactTimestamp, type DataType } from "../spec/data_types.ts";
import type { ByteKeys } from "../kernel/mod.ts";
import { int32Words, type ColumnBuffers } from "../format/data/column_buffers.ts";

const SIGN = 0x80000000;
const TWO_POW_32 = 4294967296;
/** Magnitude below which an int64 is exact as a JS number. */
const SAFE_BOUND = 2 ** 53;

/** Payload bytes of a fixed-width key type after its marker; -1 for escaped (var) types. */
function payloadBytes(type: DataType): number {
  switch (type.root) {
    case "BOOLEAN": case "TINYINT": return 1;
    case "SMALLINT": return 2;
    case "INT": case "DATE": case "TIME": case "FLOAT": return 4;
    case "BIGINT": case "DOUBLE": return 8;
    case "DECIMAL": return isCompactDecimal(type.precision ?? 10) ? 8 : 16;
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = type.precision ?? 6;
      if (p < 1 || p > 6) break;
      return isCompactTimestamp(p) ? 8 : 12;
    }
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": return -1;
  }
  throw new LakeError("unsupported", `key encoder: ${describeType(type)} keys are not encoded from columns (use spec/key_codec.ts)`);
}

/**
 * The encoded length shared by every key of these columns (key part, no tail), or null when it
 * varies (a string/binary field, or a null in some column).
 */
export function fixedKeyPartBytes(types: readonly DataType[], columns: readonly ColumnBuffers[]): number | null {
  let bytes = 0;
  for (let k = 0; k < types.length; k++) {
    const payload = payloadBytes(types[k]!);
    if (payload < 0 || columns[k]!.nullCount > 0) return null;
    bytes += 1 + payload;
  }
  return bytes;
}

/** True when `encodeKeyColumns` encodes keys of `type` (see the header for the layouts). */
export function isColumnEncodableKeyType(type: DataType): boolean {
  try {
    payloadBytes(type);
    return true;
  } catch {
    return false;
  }
}

function isValid(c: ColumnBuffers, i: number): boolean {
  return c.validity === null || (c.validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** Adds each row's encoded length of field `c` to `lengths` (`escape`: some byte is 0x00). */
function addLengths(type: DataType, c: ColumnBuffers, lengths: Int32Array, rowCount: number, escape: boolean): void {
  const fixed = payloadBytes(type);
  if (fixed >= 0) {
    for (let i = 0; i < rowCount; i++) lengths[i] += isValid(c, i) ? 1 + fixed : 1;
    return;
  }
  const o = c.offsets!, d = c.data;
  if (!escape) {
    // No byte needs escaping: marker + value + terminator.
    for (let i = 0; i < rowCount; i++) lengths[i] += isValid(c, i) ? 3 + o[i + 1]! - o[i]! : 1;
    return;
  }
  for (let i = 0; i < rowCount; i++) {
    if (!isValid(c, i)) { lengths[i] += 1; continue; }
    let n = 3; // marker + terminator
    for (let j = o[i]!; j < o[i + 1]!; j++) n += d[j] === 0 ? 2 : 1;
    lengths[i] += n;
  }
}

/** True when some value byte of a var column is 0x00 (needs escaping); a native scan. */
function hasZeroByte(c: ColumnBuffers): boolean {
  return c.data.subarray(0, c.offsets![c.length]!).indexOf(0) >= 0;
}

/** Writes an unsigned 32-bit value big-endian at `at`. */
function put32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = v >>> 16;
  out[at + 2] = v >>> 8;
  out[at + 3] = v;
}

/** Splits a safe integer into (hi, lo) words of its int64 two's complement. */
function writeInt64Number(out: Uint8Array, at: number, v: number): void {
  const hi = Math.floor(v / TWO_POW_32);
  put32(out, at, (hi ^ SIGN) >>> 0);
  put32(out, at + 4, v - hi * TWO_POW_32);
}

/** TIMESTAMP p 4..6: micros → sign-flipped millis (8 bytes) + nano-of-milli (4 bytes). */
function writeMicros(out: Uint8Array, at: number, hi: number, lo: number): void {
  const us = hi * TWO_POW_32 + (lo >>> 0);
  if (us > -SAFE_BOUND && us < SAFE_BOUND) {
    let millis = Math.floor(us / 1000), rest = us - millis * 1000;
    if (rest < 0) { millis -= 1; rest += 1000; } else if (rest >= 1000) { millis += 1; rest -= 1000; }
    writeInt64Number(out, at, millis);
    put32(out, at + 8, rest * 1000);
    return;
  }
  const big = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  let millis = big / 1000n, rest = big % 1000n;
  if (rest < 0n) { millis -= 1n; rest += 1000n; }
  const u = BigInt.asUintN(64, millis);
  put32(out, at, Number(u >> 32n) ^ SIGN);
  put32(out, at + 4, Number(u & 0xffffffffn));
  put32(out, at + 8, Number(rest) * 1000);
}

/** Writes the null marker of row i when it is null; true when it was. */
function writeNull(c: ColumnBuffers, i: number, out: Uint8Array, cursor: Uint32Array): boolean {
  if (c.validity === null || (c.validity[i >> 3]! & (1 << (i & 7))) !== 0) return false;
  out[cursor[i]!] = 0;
  cursor[i] = cursor[i]! + 1;
  return true;
}

/** Writes field `c` of every row at `cursor[i]`, advancing the cursors (one loop per type). */
function writeField(type: DataType, c: ColumnBuffers, out: Uint8Array, cursor: Uint32Array, rowCount: number, escape: boolean): void {
  const fixed = payloadBytes(type);
  const d = c.data;
  const words = c.layout === "fixed" && c.byteWidth >= 4 ? int32Words(c) : new Int32Array(0);
  const step = 1 + fixed;
  switch (type.root) {
    case "BOOLEAN":
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!;
        out[at] = 1;
        out[at + 1] = (d[i >> 3]! >> (i & 7)) & 1;
        cursor[i] = at + step;
      }
      return;
    case "TINYINT":
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!;
        out[at] = 1;
        out[at + 1] = d[i]! ^ 0x80;
        cursor[i] = at + step;
      }
      return;
    case "SMALLINT":
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!;
        out[at] = 1;
        out[at + 1] = d[2 * i + 1]! ^ 0x80;
        out[at + 2] = d[2 * i]!;
        cursor[i] = at + step;
      }
      return;
    case "INT": case "DATE": case "TIME":
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!;
        out[at] = 1;
        put32(out, at + 1, (words[i]! ^ SIGN) >>> 0);
        cursor[i] = at + step;
      }
      return;
    case "FLOAT":
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!;
        let bits = words[i]!;
        if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) bits = 0x7fc00000;
        out[at] = 1;
        put32(out, at + 1, (bits < 0 ? ~bits : bits | SIGN) >>> 0);
        cursor[i] = at + step;
      }
      return;
    case "DOUBLE":
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!;
        let hi = words[2 * i + 1]!, lo = words[2 * i]!;
        if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0) { hi = 0x7ff80000; lo = 0; }
        out[at] = 1;
        if (hi < 0) { put32(out, at + 1, ~hi >>> 0); put32(out, at + 5, ~lo >>> 0); }
        else { put32(out, at + 1, (hi | SIGN) >>> 0); put32(out, at + 5, lo >>> 0); }
        cursor[i] = at + step;
      }
      return;
    case "BIGINT": case "DECIMAL": case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      // int64 words (BIGINT, compact DECIMAL's low half, TIMESTAMP millis) or wider layouts.
      const stride = c.byteWidth >> 2;
      const micros = (type.root === "TIMESTAMP" || type.root === "TIMESTAMP_LTZ") && fixed === 12;
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        const at = cursor[i]!, w = stride * i;
        out[at] = 1;
        if (micros) writeMicros(out, at + 1, words[w + 1]!, words[w]!);
        else if (fixed === 8) { put32(out, at + 1, (words[w + 1]! ^ SIGN) >>> 0); put32(out, at + 5, words[w]! >>> 0); }
        else for (let k = 3; k >= 0; k--) put32(out, at + 1 + 4 * (3 - k), (k === 3 ? words[w + 3]! ^ SIGN : words[w + k]!) >>> 0);
        cursor[i] = at + step;
      }
      return;
    }
    default: {
      const o = c.offsets!;
      for (let i = 0; i < rowCount; i++) {
        if (writeNull(c, i, out, cursor)) continue;
        let at = cursor[i]!;
        out[at++] = 1;
        const end = o[i + 1]!;
        if (escape) {
          for (let j = o[i]!; j < end; j++) {
            const b = d[j]!;
            out[at++] = b;
            if (b === 0) out[at++] = 0xff;
          }
        } else {
          for (let j = o[i]!; j < end; j++) out[at++] = d[j]!;
        }
        out[at] = 0;
        out[at + 1] = 0;
        cursor[i] = at + 2;
      }
    }
  }
}

/**
 * Encodes rows [0, rowCount) of the key columns (trimmed primary key, in order) into ByteKeys:
 * key part + 8-byte sequence tail when `sequenceNumbers` (an int64 "fixed" column) is given,
 * the key part alone otherwise. Byte-identical to spec/key_codec.ts (see the header).
 * Throws LakeError("unsupported") for a key type it does not encode (`isColumnEncodableKeyType`)
 * and LakeError("invalid_argument") when column and type counts differ.
 */
export function encodeKeyColumns(types: readonly DataType[], columns: readonly ColumnBuffers[], sequenceNumbers: ColumnBuffers | null, rowCount: number): ByteKeys {
  if (types.length !== columns.length) {
    throw new LakeError("invalid_argument", `key encoder: ${columns.length} key columns for ${types.length} key types`);
  }
  const tail = sequenceNumbers === null ? 0 : 8;
  const offsets = new Uint32Array(rowCount + 1);
  const cursor = new Uint32Array(rowCount);
  const fixed = fixedKeyPartBytes(types, columns);
  const escapes = columns.map((c) => c.layout === "var" && hasZeroByte(c));
  let total = 0;
  if (fixed !== null) {
    // Every key has the same length: no length pass.
    const stride = fixed + tail;
    for (let i = 0; i < rowCount; i++) {
      cursor[i] = total;
      total += stride;
      offsets[i + 1] = total;
    }
  } else {
    const lengths = new Int32Array(rowCount).fill(tail);
    types.forEach((t, k) => addLengths(t, columns[k]!, lengths, rowCount, escapes[k]!));
    for (let i = 0; i < rowCount; i++) {
      cursor[i] = total;
      total += lengths[i]!;
      offsets[i + 1] = total;
    }
  }
  if (total > 0xffffffff) throw new LakeError("unsupported", `key encoder: ${rowCount} keys need ${total} bytes, more than a run takes`);
  const out = new Uint8Array(total);
  types.forEach((t, k) => writeField(t, columns[k]!, out, cursor, rowCount, escapes[k]!));
  if (sequenceNumbers !== null) {
    const w = int32Words(sequenceNumbers);
    for (let i = 0; i < rowCount; i++) {
      const at = cursor[i]!;
      put32(out, at, (w[2 * i + 1]! ^ 0x7fffffff) >>> 0);
      put32(out, at + 4, ~w[2 * i]! >>> 0);
    }
  }
  return { bytes: out, offsets };
}
