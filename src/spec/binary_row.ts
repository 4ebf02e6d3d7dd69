/**
 * BinaryRow: Java Paimon's row bytes, used for partitions, keys, stats rows and bucket keys.
 * Encodes and decodes rows of every Paimon type, including nested ROW/ARRAY/MAP/MULTISET/VECTOR
 * sections, and the manifest form (4-byte big-endian arity, then the row bytes).
 *
 * Mirrors BinaryRow, BinaryRowWriter, BinaryArray(Writer), BinaryMap, BinaryVector and
 * InternalRowSerializer/RowHelper (which reserve var bytes for null non-compact decimals and
 * timestamps) and `SerializationUtils.serializeBinaryRow`.
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/data/BinaryRow.java
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/data/BinaryArray.java
 * Layout details: binary_section.ts header and docs/paimon-format.md §5.
 *
 * Invariants: byte-exact with Java: equal values give identical bytes (Java compares these rows
 * bytewise); a row is always a multiple of 8 bytes; decoding bounds-checks every offset and
 * throws LakeError("corruption") on bytes Java could not have written.
 *
 * Imports: errors.ts, util/bytes.ts (via binary_section.ts), spec/data_types.ts,
 * spec/values.ts, spec/row_kind.ts, spec/binary_section.ts.
 */
import { LakeError } from "../errors.ts";
import type { CollectionType, DataType, MapType, RowType, VectorType } from "./data_types.ts";
import { rowKindFromByte, RowKind } from "./row_kind.ts";
import type { Value } from "./values.ts";
import {
  atPosition, atomicCodec, badValue, corrupt, roundToWord, rowBitSetWidth, SectionWriter, varChunk,
  type FieldCodec, type SectionReader,
} from "./binary_section.ts";

/** Bytes of the arity prefix in the manifest (serialized) form. */
export const SERIALIZED_ROW_ARITY_BYTES = 4;

/** Width in bytes of the header + null bitset of a row of `arity` fields: 8 for 0..56 fields. */
export function binaryRowBitSetWidth(arity: number): number {
  return rowBitSetWidth(arity);
}

/** Size of the fixed part (header, null bits, slots) of a row of `arity` fields. */
export function binaryRowFixedPartSize(arity: number): number {
  return rowBitSetWidth(arity) + 8 * arity;
}

/**
 * Encodes `values` (one per type, `null` for null; shapes per values.ts) as Java's BinaryRow.
 * Requires: `values.length === types.length`; each value matches its type, else
 * LakeError("invalid_argument") naming the field. FLOAT values are rounded to float32.
 */
export function encodeBinaryRow(types: readonly DataType[], values: readonly Value[], rowKind: RowKind = RowKind.INSERT): Uint8Array<ArrayBuffer> {
  if (values.length !== types.length) {
    throw new LakeError("invalid_argument", `binary row: ${values.length} values for ${types.length} fields`);
  }
  return encodeRowSection(rowCodecs(types), values, rowKind);
}

/**
 * Decodes a BinaryRow (no arity prefix) of the given field types into values.
 * Throws LakeError("corruption") when the bytes do not fit the types.
 */
export function decodeBinaryRow(types: readonly DataType[], row: Uint8Array): Value[] {
  return decodeRowSection(rowCodecs(types), readerOf(row));
}

/** The RowKind in byte 0 of a BinaryRow. */
export function binaryRowKind(row: Uint8Array): RowKind {
  if (row.length < 8) corrupt(`row of ${row.length} bytes is shorter than its 8-byte header`);
  return rowKindFromByte(row[0]!);
}

/** Manifest form: 4-byte big-endian `arity`, then `row` (LE payload). */
export function serializeBinaryRow(arity: number, row: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(SERIALIZED_ROW_ARITY_BYTES + row.length);
  new DataView(out.buffer).setInt32(0, arity, false);
  out.set(row, SERIALIZED_ROW_ARITY_BYTES);
  return out;
}

/**
 * Splits the manifest form into its arity and row bytes (a view into `bytes`).
 * Throws LakeError("corruption") when too short for the arity's fixed part.
 */
export function deserializeBinaryRow(bytes: Uint8Array): { arity: number; row: Uint8Array } {
  if (bytes.length < SERIALIZED_ROW_ARITY_BYTES) corrupt(`serialized row of ${bytes.length} bytes has no arity prefix`);
  const arity = new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, false);
  const row = bytes.subarray(SERIALIZED_ROW_ARITY_BYTES);
  if (arity < 0 || row.length < binaryRowFixedPartSize(arity)) {
    corrupt(`serialized row with arity ${arity} has ${row.length} row bytes, fewer than its fixed part`);
  }
  return { arity, row };
}

/** `encodeBinaryRow` then `serializeBinaryRow` (row kind INSERT): the manifest bytes. */
export function encodeSerializedBinaryRow(types: readonly DataType[], values: readonly Value[]): Uint8Array<ArrayBuffer> {
  return serializeBinaryRow(types.length, encodeBinaryRow(types, values));
}

/** Decodes the manifest form; the stored arity must equal `types.length` (else corruption). */
export function decodeSerializedBinaryRow(types: readonly DataType[], bytes: Uint8Array): Value[] {
  const { arity, row } = deserializeBinaryRow(bytes);
  if (arity !== types.length) corrupt(`serialized row has arity ${arity}, expected ${types.length}`);
  return decodeBinaryRow(types, row);
}

/** A new empty row (arity 0): 8 zero bytes, Java's `BinaryRow.EMPTY_ROW`. */
export function emptyBinaryRow(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(8);
}

/** A new serialized empty row: `00000000` + 8 zero bytes (12 bytes). */
export function emptySerializedBinaryRow(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(SERIALIZED_ROW_ARITY_BYTES + 8);
}

// ---------------------------------------------------------------------------------------------
// Codecs and sections

const codecCache = new WeakMap<DataType, FieldCodec>();
const rowCodecCache = new WeakMap<readonly DataType[], readonly FieldCodec[]>();

function codecFor(type: DataType): FieldCodec {
  let codec = codecCache.get(type);
  if (codec === undefined) {
    switch (type.root) {
      case "ARRAY": case "MULTISET": case "MAP": case "ROW": case "VECTOR": codec = nestedCodec(type); break;
      default: codec = atomicCodec(type);
    }
    codecCache.set(type, codec);
  }
  return codec;
}

function rowCodecs(types: readonly DataType[]): readonly FieldCodec[] {
  let codecs = rowCodecCache.get(types);
  if (codecs === undefined) {
    codecs = types.map(codecFor);
    rowCodecCache.set(types, codecs);
  }
  return codecs;
}

function readerOf(bytes: Uint8Array): SectionReader {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), base: 0, end: bytes.length };
}

function encodeRowSection(codecs: readonly FieldCodec[], values: readonly Value[], rowKind: RowKind): Uint8Array<ArrayBuffer> {
  const n = codecs.length;
  const width = rowBitSetWidth(n);
  const w = new SectionWriter(width + 8 * n, 0);
  w.bytes[0] = rowKind;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const codec = codecs[i]!;
    const slot = width + 8 * i;
    try {
      if (value === null) {
        w.bytes[(i + 8) >> 3]! |= 1 << ((i + 8) & 7);
        if (codec.writeRowNull !== null) codec.writeRowNull(w, slot);
      } else {
        if (value === undefined) throw new LakeError("invalid_argument", "binary row: undefined is not a value (use null)");
        codec.write(w, slot, value);
      }
    } catch (e) {
      throw atPosition(e, `field ${i}`);
    }
  }
  return w.finish();
}

function decodeRowSection(codecs: readonly FieldCodec[], r: SectionReader): Value[] {
  const n = codecs.length;
  const width = rowBitSetWidth(n);
  if (r.end - r.base < width + 8 * n) corrupt(`row of ${r.end - r.base} bytes is shorter than the fixed part ${width + 8 * n} of ${n} fields`);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    if (r.bytes[r.base + ((i + 8) >> 3)]! & (1 << ((i + 8) & 7))) {
      out[i] = null;
      continue;
    }
    try {
      out[i] = codecs[i]!.read(r, r.base + width + 8 * i);
    } catch (e) {
      throw atPosition(e, `field ${i}`);
    }
  }
  return out;
}

function arrayHeaderSize(count: number): number {
  return 4 + ((count + 31) >>> 5) * 4;
}

function elementCodec(type: DataType): FieldCodec {
  if (type.root === "VECTOR") throw new LakeError("unsupported", "binary row: VECTOR cannot be an ARRAY or MAP element (Java BinaryArray has no layout for it)");
  return codecFor(type);
}

function encodeArraySection(elementType: DataType, elements: readonly Value[]): Uint8Array<ArrayBuffer> {
  const codec = elementCodec(elementType);
  const n = elements.length;
  const header = arrayHeaderSize(n);
  const w = new SectionWriter(roundToWord(header + codec.width * n), 0);
  w.view.setInt32(0, n, true);
  for (let i = 0; i < n; i++) {
    const value = elements[i];
    try {
      if (value === null) w.bytes[4 + (i >> 3)]! |= 1 << (i & 7);
      else if (value === undefined) throw new LakeError("invalid_argument", "binary row: undefined is not a value (use null)");
      else codec.write(w, header + codec.width * i, value);
    } catch (e) {
      throw atPosition(e, `element ${i}`);
    }
  }
  return w.finish();
}

function decodeArraySection(elementType: DataType, r: SectionReader): Value[] {
  const codec = elementCodec(elementType);
  if (r.end - r.base < 4) corrupt(`array of ${r.end - r.base} bytes has no element count`);
  const n = r.view.getInt32(r.base, true);
  const header = arrayHeaderSize(n);
  if (n < 0 || header + codec.width * n > r.end - r.base) corrupt(`array count ${n} does not fit its ${r.end - r.base} bytes`);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    if (r.bytes[r.base + 4 + (i >> 3)]! & (1 << (i & 7))) {
      out[i] = null;
      continue;
    }
    try {
      out[i] = codec.read(r, r.base + header + codec.width * i);
    } catch (e) {
      throw atPosition(e, `element ${i}`);
    }
  }
  return out;
}

const MULTISET_COUNT_TYPE: DataType = { root: "INT", nullable: false };

function mapParts(type: MapType | CollectionType): [DataType, DataType] {
  return type.root === "MAP" ? [type.key, type.value] : [type.element, MULTISET_COUNT_TYPE];
}

function encodeMapSection(type: DataType, keyType: DataType, valueType: DataType, entries: Value): Uint8Array {
  if (!Array.isArray(entries)) badValue(type, "an array of [key, value] entries", entries);
  const keys: Value[] = [];
  const values: Value[] = [];
  for (const entry of entries as readonly Value[]) {
    if (!Array.isArray(entry) || entry.length !== 2) badValue(type, "[key, value] entries", entry);
    keys.push((entry as readonly Value[])[0]!);
    values.push((entry as readonly Value[])[1]!);
  }
  const k = encodeSection(keyType, keys, "keys", (t, v) => encodeArraySection(t, v));
  const v = encodeSection(valueType, values, "values", (t, vs) => encodeArraySection(t, vs));
  const out = new Uint8Array(4 + k.length + v.length);
  new DataView(out.buffer).setInt32(0, k.length, true);
  out.set(k, 4);
  out.set(v, 4 + k.length);
  return out;
}

function encodeSection(type: DataType, values: Value[], position: string, encode: (t: DataType, v: Value[]) => Uint8Array): Uint8Array {
  try {
    return encode(type, values);
  } catch (e) {
    throw atPosition(e, position);
  }
}

function decodeMapSection(keyType: DataType, valueType: DataType, r: SectionReader): Value[] {
  const size = r.end - r.base;
  const keyBytes = size >= 4 ? r.view.getInt32(r.base, true) : -1;
  if (keyBytes < 0 || 4 + keyBytes > size) corrupt(`map key array size ${keyBytes} does not fit its ${size} bytes`);
  const keys = decodeArraySection(keyType, { ...r, base: r.base + 4, end: r.base + 4 + keyBytes });
  const values = decodeArraySection(valueType, { ...r, base: r.base + 4 + keyBytes });
  if (keys.length !== values.length) corrupt(`map has ${keys.length} keys but ${values.length} values`);
  return keys.map((k, i) => [k, values[i]!]);
}

const VECTOR_ELEMENT_ROOTS = new Set(["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE"]);

function vectorCodec(type: VectorType): FieldCodec {
  if (!VECTOR_ELEMENT_ROOTS.has(type.element.root)) {
    throw new LakeError("unsupported", `binary row: VECTOR of ${type.element.root} (Java supports BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE)`);
  }
  return codecFor(type.element);
}

function encodeVectorSection(type: VectorType, elements: Value): Uint8Array {
  const codec = vectorCodec(type);
  if (!Array.isArray(elements) || elements.length !== type.length) badValue(type, `an array of ${type.length} elements`, elements);
  const list = elements as readonly Value[];
  const w = new SectionWriter(4 + roundToWord(codec.width * list.length), 0);
  w.view.setInt32(0, list.length, true);
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (value === null || value === undefined) badValue(type, "non-null elements", value);
    try {
      codec.write(w, 4 + codec.width * i, value);
    } catch (e) {
      throw atPosition(e, `element ${i}`);
    }
  }
  return w.finish();
}

function decodeVectorSection(type: VectorType, r: SectionReader): Value[] {
  const codec = vectorCodec(type);
  const n = r.end - r.base >= 4 ? r.view.getInt32(r.base, true) : -1;
  if (n < 0 || 4 + codec.width * n > r.end - r.base) corrupt(`vector count ${n} does not fit its ${r.end - r.base} bytes`);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) out[i] = codec.read(r, r.base + 4 + codec.width * i);
  return out;
}

const fieldTypesCache = new WeakMap<RowType, readonly DataType[]>();

function fieldTypes(type: RowType): readonly DataType[] {
  let types = fieldTypesCache.get(type);
  if (types === undefined) {
    types = type.fields.map((f) => f.type);
    fieldTypesCache.set(type, types);
  }
  return types;
}

function nestedCodec(type: DataType): FieldCodec {
  const encode = (value: Value): Uint8Array => {
    switch (type.root) {
      case "ROW": {
        const types = fieldTypes(type);
        if (!Array.isArray(value) || value.length !== types.length) badValue(type, `an array of ${types.length} field values`, value);
        return encodeRowSection(rowCodecs(types), value as readonly Value[], RowKind.INSERT);
      }
      case "ARRAY":
        if (!Array.isArray(value)) badValue(type, "an array", value);
        return encodeArraySection(type.element, value as readonly Value[]);
      case "MAP": case "MULTISET": {
        const [k, v] = mapParts(type);
        return encodeMapSection(type, k, v, value);
      }
      case "VECTOR": return encodeVectorSection(type, value);
      default: throw new LakeError("unsupported", `binary row: ${type.root} is not a nested type`);
    }
  };
  const decode = (r: SectionReader): Value => {
    switch (type.root) {
      case "ROW": return decodeRowSection(rowCodecs(fieldTypes(type)), r);
      case "ARRAY": return decodeArraySection(type.element, r);
      case "MAP": case "MULTISET": {
        const [k, v] = mapParts(type);
        return decodeMapSection(k, v, r);
      }
      case "VECTOR": return decodeVectorSection(type, r);
      default: throw new LakeError("unsupported", `binary row: ${type.root} is not a nested type`);
    }
  };
  return {
    width: 8,
    writeRowNull: null,
    write(w, slot, value) {
      const bytes = encode(value);
      w.setOffsetAndSize(slot, w.appendVar(bytes), bytes.length);
    },
    read(r, slot) {
      const chunk = varChunk(r, slot);
      const base = chunk.byteOffset - r.bytes.byteOffset;
      return decode({ bytes: r.bytes, view: r.view, base, end: base + chunk.length });
    },
  };
}
