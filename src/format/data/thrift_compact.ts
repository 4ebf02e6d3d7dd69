/**
 * A generic Thrift Compact Protocol codec: decodes a struct into a tree that keeps every field
 * (known or not) with its wire type, and encodes such a tree back. Used to rewrite the Parquet
 * footer (`FileMetaData`) of files written by parquet-wasm without a generated Parquet binding.
 *
 * Wire rules (Apache Thrift `TCompactProtocol`): field header = (id delta << 4) | type when the
 * delta is 1..15, else the type byte then the id as a zigzag varint; booleans as struct fields
 * live in the header type (1 true, 2 false), as collection elements in one byte (1 true, 2
 * false); i8 one byte; i16/i32/i64 zigzag varints; double 8 bytes little-endian; binary a
 * varint length then bytes; list/set header (size << 4) | element type for size < 15, else
 * 0xF0 | type and a varint size; map a varint size then (key type << 4) | value type when the
 * size is not 0; struct fields end with a 0 byte.
 *
 * Invariants: `encodeThriftStruct(decodeThriftStruct(b).struct)` reproduces `b` byte for byte
 * for any canonical encoder's output (shortest varints, short field headers where possible,
 * which is what parquet-rs and parquet-mr write). Decoding bounds-checks every read and throws
 * LakeError("corruption"); nesting is limited to `THRIFT_DEPTH_MAX`.
 *
 * Mirrors Apache Thrift's `TCompactProtocol` (the protocol Parquet's footer uses):
 * https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 *
 * Imports: errors.ts.
 */
import { LakeError } from "../../errors.ts";

/** Compact-protocol type ids (persisted wire values). */
export const ThriftType = {
  BOOL_TRUE: 1, BOOL_FALSE: 2, I8: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12,
} as const;
/** One of `ThriftType`. */
export type ThriftType = (typeof ThriftType)[keyof typeof ThriftType];

/** Deepest struct/collection nesting accepted when decoding. */
export const THRIFT_DEPTH_MAX = 64;

/** A decoded value with its wire kind. */
export type ThriftValue =
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "i8" | "i16" | "i32"; readonly value: number }
  | { readonly kind: "i64"; readonly value: bigint }
  | { readonly kind: "double"; readonly value: number }
  | { readonly kind: "binary"; readonly value: Uint8Array }
  | { readonly kind: "list" | "set"; readonly elementType: ThriftType; readonly items: readonly ThriftValue[] }
  | { readonly kind: "map"; readonly keyType: ThriftType; readonly valueType: ThriftType; readonly entries: readonly (readonly [ThriftValue, ThriftValue])[] }
  | { readonly kind: "struct"; readonly fields: readonly ThriftField[] };

/** One struct field: its id and value, in wire order. */
export interface ThriftField {
  readonly id: number;
  readonly value: ThriftValue;
}

const KIND_TYPE = { i8: 3, i16: 4, i32: 5, i64: 6, double: 7, binary: 8, list: 9, set: 10, map: 11, struct: 12 } as const;

function corrupt(why: string): never {
  throw new LakeError("corruption", `thrift: ${why}`);
}

class Reader {
  offset = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  byte(): number {
    if (this.offset >= this.bytes.length) corrupt(`unexpected end of data at byte ${this.offset}`);
    return this.bytes[this.offset++]!;
  }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    return corrupt(`varint longer than 10 bytes at byte ${this.offset}`);
  }
  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }
  int(bits: number): number {
    const v = this.zigzag();
    const limit = 1n << BigInt(bits - 1);
    if (v < -limit || v >= limit) corrupt(`i${bits} value ${v} out of range`);
    return Number(v);
  }
  take(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.bytes.length) corrupt(`length ${length} at byte ${this.offset} runs past the end (${this.bytes.length})`);
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

function readValue(r: Reader, type: number, depth: number, inCollection: boolean): ThriftValue {
  if (depth > THRIFT_DEPTH_MAX) corrupt(`nesting deeper than ${THRIFT_DEPTH_MAX}`);
  switch (type) {
    case ThriftType.BOOL_TRUE: case ThriftType.BOOL_FALSE:
      return { kind: "bool", value: inCollection ? r.byte() === ThriftType.BOOL_TRUE : type === ThriftType.BOOL_TRUE };
    case ThriftType.I8: return { kind: "i8", value: (r.byte() << 24) >> 24 };
    case ThriftType.I16: return { kind: "i16", value: r.int(16) };
    case ThriftType.I32: return { kind: "i32", value: r.int(32) };
    case ThriftType.I64: return { kind: "i64", value: BigInt.asIntN(64, r.zigzag()) };
    case ThriftType.DOUBLE: {
      const b = r.take(8);
      return { kind: "double", value: new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true) };
    }
    case ThriftType.BINARY: return { kind: "binary", value: r.take(Number(r.varint())) };
    case ThriftType.LIST: case ThriftType.SET: {
      const header = r.byte();
      const elementType = (header & 0x0f) as ThriftType;
      const size = (header >> 4) === 15 ? Number(r.varint()) : header >> 4;
      if (size > r.bytes.length - r.offset) corrupt(`collection of ${size} elements cannot fit the remaining ${r.bytes.length - r.offset} bytes`);
      const items: ThriftValue[] = [];
      for (let i = 0; i < size; i++) items.push(readValue(r, elementType, depth + 1, true));
      return { kind: type === ThriftType.LIST ? "list" : "set", elementType, items };
    }
    case ThriftType.MAP: {
      const size = Number(r.varint());
      const types = size === 0 ? 0 : r.byte();
      if (size > r.bytes.length - r.offset) corrupt(`map of ${size} entries cannot fit the remaining bytes`);
      const keyType = (types >> 4) as ThriftType, valueType = (types & 0x0f) as ThriftType;
      const entries: (readonly [ThriftValue, ThriftValue])[] = [];
      for (let i = 0; i < size; i++) entries.push([readValue(r, keyType, depth + 1, true), readValue(r, valueType, depth + 1, true)]);
      return { kind: "map", keyType, valueType, entries };
    }
    case ThriftType.STRUCT: return { kind: "struct", fields: readFields(r, depth + 1) };
    default: return corrupt(`unknown type id ${type} at byte ${r.offset}`);
  }
}

function readFields(r: Reader, depth: number): ThriftField[] {
  const fields: ThriftField[] = [];
  let lastId = 0;
  for (;;) {
    const header = r.byte();
    if (header === 0) return fields;
    const type = header & 0x0f;
    const delta = header >> 4;
    const id = delta === 0 ? r.int(16) : lastId + delta;
    fields.push({ id, value: readValue(r, type, depth, false) });
    lastId = id;
  }
}

/**
 * Decodes one struct starting at `bytes[0]`. Returns its fields and the number of bytes it
 * used. Throws LakeError("corruption") on malformed input.
 */
export function decodeThriftStruct(bytes: Uint8Array): { struct: ThriftField[]; lengthBytes: number } {
  const r = new Reader(bytes);
  const struct = readFields(r, 0);
  return { struct, lengthBytes: r.offset };
}

class Writer {
  bytes = new Uint8Array(1024);
  length = 0;
  byte(b: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }
  grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
  varint(n: bigint): void {
    let x = n;
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
  }
  zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : ((-n) << 1n) - 1n);
  }
  raw(b: Uint8Array): void {
    if (this.length + b.length > this.bytes.length) this.grow(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
}

function typeOf(value: ThriftValue): number {
  return value.kind === "bool" ? (value.value ? ThriftType.BOOL_TRUE : ThriftType.BOOL_FALSE) : KIND_TYPE[value.kind];
}

function writeValue(w: Writer, value: ThriftValue, inCollection: boolean): void {
  switch (value.kind) {
    case "bool": if (inCollection) w.byte(value.value ? ThriftType.BOOL_TRUE : ThriftType.BOOL_FALSE); return;
    case "i8": w.byte(value.value & 0xff); return;
    case "i16": case "i32": w.zigzag(BigInt(value.value)); return;
    case "i64": w.zigzag(value.value); return;
    case "double": {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, value.value, true);
      w.raw(b);
      return;
    }
    case "binary": w.varint(BigInt(value.value.length)); w.raw(value.value); return;
    case "list": case "set": {
      const n = value.items.length;
      if (n < 15) w.byte((n << 4) | value.elementType);
      else { w.byte(0xf0 | value.elementType); w.varint(BigInt(n)); }
      for (const item of value.items) writeValue(w, item, true);
      return;
    }
    case "map":
      w.varint(BigInt(value.entries.length));
      if (value.entries.length > 0) w.byte((value.keyType << 4) | value.valueType);
      for (const [k, v] of value.entries) { writeValue(w, k, true); writeValue(w, v, true); }
      return;
    case "struct": writeFields(w, value.fields); return;
  }
}

function writeFields(w: Writer, fields: readonly ThriftField[]): void {
  let lastId = 0;
  for (const field of fields) {
    const type = typeOf(field.value);
    const delta = field.id - lastId;
    if (delta > 0 && delta <= 15) w.byte((delta << 4) | type);
    else { w.byte(type); w.zigzag(BigInt(field.id)); }
    writeValue(w, field.value, false);
    lastId = field.id;
  }
  w.byte(0);
}

/** Encodes a struct's fields (in the given order) with the compact protocol. */
export function encodeThriftStruct(fields: readonly ThriftField[]): Uint8Array<ArrayBuffer> {
  const w = new Writer();
  writeFields(w, fields);
  return w.bytes.slice(0, w.length);
}

/** The value of field `id`, or undefined. */
export function thriftField(fields: readonly ThriftField[], id: number): ThriftValue | undefined {
  return fields.find((f) => f.id === id)?.value;
}

/** The integer value of field `id` (any integer wire kind; i64 as a number), or undefined. */
export function thriftInt(fields: readonly ThriftField[], id: number): number | undefined {
  const v = thriftField(fields, id);
  if (v === undefined) return undefined;
  if (v.kind === "i64") return Number(v.value);
  return v.kind === "i32" || v.kind === "i16" || v.kind === "i8" ? v.value : undefined;
}

/** `fields` with field `id` replaced by `value` (kept in id order; added when absent, removed when undefined). */
export function withField(fields: readonly ThriftField[], id: number, value: ThriftValue | undefined): ThriftField[] {
  const out = fields.filter((f) => f.id !== id);
  if (value !== undefined) {
    const at = out.findIndex((f) => f.id > id);
    out.splice(at < 0 ? out.length : at, 0, { id, value });
  }
  return out;
}
