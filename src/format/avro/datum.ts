/**
 * Schema-driven Avro datum encoding: compiles a schema once into closures that encode, decode or
 * skip one value, so per-record work is a chain of direct calls (no schema walk per value).
 *
 * Encoding is strict: a value must match its schema under the `AvroValue` model of `binary.ts`
 * (a long is a bigint, an int a 32-bit integer number, a map a `Map`); a mismatch throws
 * LakeError("invalid_argument") with the path of the value (e.g. `$._FILE._LEVEL`). A record
 * field that is `undefined` in the value is written as its default when the schema has one.
 * Union branches are chosen from the value's type (`selectUnionBranch`).
 *
 * Arrays and maps are written as one block (count, items, 0), like Java's encoder; with
 * `blockByteSizes` a block is written as negative count plus byte size instead (what
 * Avro allows for fast skipping). Decoding accepts both, and several blocks.
 *
 * Imports: `binary.ts`, `schema.ts`, `src/errors.ts`.
 * Mirrors: org.apache.avro.generic.GenericDatumWriter / GenericDatumReader (no resolution; see
 * `resolve.ts` for reading with a different reader schema).
 */
import { LakeError } from "../../errors.ts";
import { type AvroRecordValue, type AvroValue, AvroReader, AvroWriter, recordObjectFactory } from "./binary.ts";
import type { AvroRecordSchema, AvroSchema, AvroUnionSchema } from "./schema.ts";

/** Writes one value. `path` names the value in error messages. */
export type AvroEncoder = (writer: AvroWriter, value: unknown, path: string) => void;

/** Reads one value. */
export type AvroDecoder = (reader: AvroReader) => AvroValue;

/** Skips one value. */
export type AvroSkipper = (reader: AvroReader) => void;

/** Options for `compileEncoder`. */
export interface AvroEncodeOptions {
  /** Write array/map blocks as negative count + byte size (default false, as Java does). */
  readonly blockByteSizes?: boolean;
  /** Items per array/map block; longer arrays are split into several blocks (default: one block). */
  readonly blockItemCountMax?: number;
}

/**
 * Upper bound on items of a zero-byte item type (e.g. an array of null) in one value, so a
 * corrupt count cannot make the decoder loop for 2^53 iterations.
 */
export const ZERO_BYTE_ITEM_COUNT_MAX = 1 << 24;

/** Smallest encoded size in bytes of any value of `schema` (0 for null and empty records). */
export function minEncodedBytes(schema: AvroSchema, seen: Set<AvroSchema> = new Set()): number {
  switch (schema.type) {
    case "null":
      return 0;
    case "float":
      return 4;
    case "double":
      return 8;
    case "fixed":
      return schema.size;
    case "record":
    case "error": {
      if (seen.has(schema)) return 0; // recursion: a lower bound is enough
      seen.add(schema);
      let sum = 0;
      for (const f of schema.fields) sum += minEncodedBytes(f.type, seen);
      seen.delete(schema);
      return sum;
    }
    default:
      return 1;
  }
}

/** Throws corruption when `count` items of at least `itemBytesMin` bytes cannot fit. */
export function checkItemCount(reader: AvroReader, count: number, itemBytesMin: number): void {
  const fits = itemBytesMin === 0 ? count <= ZERO_BYTE_ITEM_COUNT_MAX : count * itemBytesMin <= reader.remaining();
  if (!fits) {
    throw new LakeError("corruption", `avro: block of ${count} items at offset ${reader.pos} does not fit the ${reader.remaining()} remaining bytes`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return "Uint8Array";
  if (Array.isArray(value)) return "array";
  if (value instanceof Map) return "Map";
  return typeof value;
}

function mismatch(path: string, expected: string, value: unknown): never {
  throw new LakeError("invalid_argument", `avro: value at ${path} must be ${expected}, got ${typeName(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof Uint8Array);
}

/** Index of the union branch that encodes `value`, or -1 when none does. */
export function selectUnionBranch(union: AvroUnionSchema, value: unknown): number {
  const b = union.branches;
  const find = (pred: (s: AvroSchema) => boolean): number => b.findIndex(pred);
  if (value === null || value === undefined) return find((s) => s.type === "null");
  switch (typeof value) {
    case "boolean":
      return find((s) => s.type === "boolean");
    case "bigint":
      return find((s) => s.type === "long");
    case "number": {
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) {
        const i = find((s) => s.type === "int");
        if (i >= 0) return i;
      }
      const d = find((s) => s.type === "double");
      return d >= 0 ? d : find((s) => s.type === "float");
    }
    case "string": {
      const s = find((t) => t.type === "string");
      return s >= 0 ? s : find((t) => t.type === "enum" && t.symbols.includes(value));
    }
  }
  if (value instanceof Uint8Array) {
    const bytes = find((s) => s.type === "bytes");
    return bytes >= 0 ? bytes : find((s) => s.type === "fixed" && s.size === value.length);
  }
  if (Array.isArray(value)) return find((s) => s.type === "array");
  if (value instanceof Map) return find((s) => s.type === "map");
  if (isPlainObject(value)) {
    const records = b.map((s, i) => [s, i] as const).filter(([s]) => s.type === "record" || s.type === "error");
    if (records.length <= 1) return records.length === 1 ? records[0]![1] : -1;
    // Several record branches: the first whose required fields are all present.
    for (const [s, i] of records) {
      const rec = s as AvroRecordSchema;
      if (rec.fields.every((f) => f.hasDefault || value[f.name] !== undefined)) return i;
    }
  }
  return -1;
}

/** Compiles an encoder for `schema`. Requires: `schema` from `parseAvroSchema` or `avroSchemaFromJson`. */
export function compileEncoder(schema: AvroSchema, options: AvroEncodeOptions = {}): AvroEncoder {
  return encoderFor(schema, options, new Map());
}

function encoderFor(schema: AvroSchema, options: AvroEncodeOptions, cache: Map<AvroSchema, AvroEncoder>): AvroEncoder {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  switch (schema.type) {
    case "null":
      return (_w, v, p) => {
        if (v !== null && v !== undefined) mismatch(p, "null", v);
      };
    case "boolean":
      return (w, v, p) => (typeof v === "boolean" ? w.writeBoolean(v) : mismatch(p, "boolean", v));
    case "int":
      return (w, v, p) => (typeof v === "number" && Number.isInteger(v) ? w.writeInt(v) : mismatch(p, "an int (integer number)", v));
    case "long":
      return (w, v, p) => (typeof v === "bigint" ? w.writeLong(v) : mismatch(p, "a long (bigint)", v));
    case "float":
      return (w, v, p) => (typeof v === "number" ? w.writeFloat(v) : mismatch(p, "a float (number)", v));
    case "double":
      return (w, v, p) => (typeof v === "number" ? w.writeDouble(v) : mismatch(p, "a double (number)", v));
    case "bytes":
      return (w, v, p) => (v instanceof Uint8Array ? w.writeBytes(v) : mismatch(p, "bytes (Uint8Array)", v));
    case "string":
      return (w, v, p) => (typeof v === "string" ? w.writeString(v) : mismatch(p, "a string", v));
    case "fixed": {
      const size = schema.size;
      return (w, v, p) => (v instanceof Uint8Array && v.length === size ? w.writeFixed(v) : mismatch(p, `fixed(${size}) bytes`, v));
    }
    case "enum": {
      const index = new Map(schema.symbols.map((s, i) => [s, i]));
      return (w, v, p) => {
        const i = typeof v === "string" ? index.get(v) : undefined;
        if (i === undefined) mismatch(p, `a symbol of enum ${schema.name}`, v);
        w.writeInt(i);
      };
    }
    case "union": {
      const branches = schema.branches.map((b) => encoderFor(b, options, cache));
      return (w, v, p) => {
        const i = selectUnionBranch(schema, v);
        if (i < 0) mismatch(p, `one of union [${schema.branches.map((b) => b.type).join(", ")}]`, v);
        w.writeLength(i);
        branches[i]!(w, v, p);
      };
    }
    case "array": {
      const item = encoderFor(schema.items, options, cache);
      return (w, v, p) => {
        if (!Array.isArray(v)) mismatch(p, "an array", v);
        writeBlocks(w, v.length, options, (out, i) => item(out, v[i], `${p}[${i}]`));
      };
    }
    case "map": {
      const value = encoderFor(schema.values, options, cache);
      return (w, v, p) => {
        if (!(v instanceof Map)) mismatch(p, "a Map<string, value>", v);
        const entries = [...v.entries()];
        writeBlocks(w, entries.length, options, (out, i) => {
          const [k, x] = entries[i]!;
          if (typeof k !== "string") mismatch(`${p} key`, "a string", k);
          out.writeString(k);
          value(out, x, `${p}[${JSON.stringify(k)}]`);
        });
      };
    }
    case "record":
    case "error":
      return recordEncoder(schema, options, cache);
  }
}

function recordEncoder(schema: AvroRecordSchema, options: AvroEncodeOptions, cache: Map<AvroSchema, AvroEncoder>): AvroEncoder {
  const fields: { name: string; encode: AvroEncoder; hasDefault: boolean; default: unknown }[] = [];
  const encode: AvroEncoder = (w, v, p) => {
    if (!isPlainObject(v)) mismatch(p, `a record ${schema.name}`, v);
    for (const f of fields) {
      let x = v[f.name];
      if (x === undefined && f.hasDefault) x = f.default;
      f.encode(w, x, `${p}.${f.name}`);
    }
  };
  cache.set(schema, encode); // before the fields: recursive records
  for (const f of schema.fields) {
    fields.push({ name: f.name, encode: encoderFor(f.type, options, cache), hasDefault: f.hasDefault, default: defaultForEncode(f.type, f.default) });
  }
  return encode;
}

/** Encoding a JSON default: only null and plain JSON scalars are used by defaults we write. */
function defaultForEncode(schema: AvroSchema, json: unknown): unknown {
  const first = schema.type === "union" ? schema.branches[0]! : schema;
  if (first.type === "long" && typeof json === "number") return BigInt(json);
  return json;
}

function writeBlocks(w: AvroWriter, count: number, options: AvroEncodeOptions, item: (out: AvroWriter, i: number) => void): void {
  const per = options.blockItemCountMax ?? count;
  for (let start = 0; start < count; start += Math.max(1, per)) {
    const end = Math.min(count, start + Math.max(1, per));
    if (options.blockByteSizes === true) {
      const scratch = new AvroWriter(256);
      for (let i = start; i < end; i++) item(scratch, i);
      w.writeLong(-BigInt(end - start));
      w.writeLength(scratch.length);
      w.writeFixed(scratch.view());
    } else {
      w.writeLength(end - start);
      for (let i = start; i < end; i++) item(w, i);
    }
  }
  w.writeLength(0);
}

/** Compiles a decoder for values written with `schema` (reader schema = writer schema). */
export function compileDecoder(schema: AvroSchema): AvroDecoder {
  return decoderFor(schema, new Map());
}

function decoderFor(schema: AvroSchema, cache: Map<AvroSchema, AvroDecoder>): AvroDecoder {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  switch (schema.type) {
    case "null":
      return () => null;
    case "boolean":
      return (r) => r.readBoolean();
    case "int":
      return (r) => r.readInt();
    case "long":
      return (r) => r.readLong();
    case "float":
      return (r) => r.readFloat();
    case "double":
      return (r) => r.readDouble();
    case "bytes":
      return (r) => r.readBytes();
    case "string":
      return (r) => r.readString();
    case "fixed": {
      const size = schema.size;
      return (r) => r.readFixed(size);
    }
    case "enum": {
      const symbols = schema.symbols;
      return (r) => {
        const i = r.readInt();
        if (i < 0 || i >= symbols.length) throw new LakeError("corruption", `avro: enum ${schema.name} index ${i} out of range`);
        return symbols[i]!;
      };
    }
    case "union": {
      const branches = schema.branches.map((b) => decoderFor(b, cache));
      return (r) => branches[r.readUnionIndex(branches.length)]!(r);
    }
    case "array":
      return arrayDecoder(decoderFor(schema.items, cache), minEncodedBytes(schema.items));
    case "map":
      return mapDecoder(decoderFor(schema.values, cache), 1 + minEncodedBytes(schema.values));
    case "record":
    case "error": {
      const fields: { name: string; decode: AvroDecoder }[] = [];
      const make = recordObjectFactory(schema.fields.map((f) => f.name));
      const decode: AvroDecoder = (r) => {
        const out: AvroRecordValue = make();
        for (const f of fields) out[f.name] = f.decode(r);
        return out;
      };
      cache.set(schema, decode);
      for (const f of schema.fields) fields.push({ name: f.name, decode: decoderFor(f.type, cache) });
      return decode;
    }
  }
}

function checkBlockEnd(r: AvroReader, blockEnd: number, byteSize: number): void {
  if (blockEnd >= 0 && r.pos !== blockEnd) {
    throw new LakeError("corruption", `avro: block declared ${byteSize} bytes but its items end at offset ${r.pos}, expected ${blockEnd}`);
  }
}

/**
 * A decoder of arrays whose items `item` decodes; `itemBytesMin` bounds a block's count.
 * Accepts any number of blocks, with positive or negative (sized) counts.
 */
export function arrayDecoder(item: AvroDecoder, itemBytesMin: number): AvroDecoder {
  return (r) => {
    const out: AvroValue[] = [];
    for (;;) {
      const count = r.readBlockCount();
      if (count === 0) return out;
      checkItemCount(r, count, itemBytesMin);
      const byteSize = r.blockBytes;
      const blockEnd = byteSize >= 0 ? r.pos + byteSize : -1;
      for (let i = 0; i < count; i++) out.push(item(r));
      checkBlockEnd(r, blockEnd, byteSize);
    }
  };
}

/** A decoder of maps whose values `value` decodes (keys are strings). */
export function mapDecoder(value: AvroDecoder, itemBytesMin: number): AvroDecoder {
  return (r) => {
    const out = new Map<string, AvroValue>();
    for (;;) {
      const count = r.readBlockCount();
      if (count === 0) return out;
      checkItemCount(r, count, itemBytesMin);
      const byteSize = r.blockBytes;
      const blockEnd = byteSize >= 0 ? r.pos + byteSize : -1;
      for (let i = 0; i < count; i++) {
        const key = r.readString();
        out.set(key, value(r));
      }
      checkBlockEnd(r, blockEnd, byteSize);
    }
  };
}

/** Compiles a skipper for values written with `schema`. */
export function compileSkipper(schema: AvroSchema): AvroSkipper {
  return skipperFor(schema, new Map());
}

function skipperFor(schema: AvroSchema, cache: Map<AvroSchema, AvroSkipper>): AvroSkipper {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  switch (schema.type) {
    case "null":
      return () => {};
    case "boolean":
      return (r) => r.skip(1);
    case "int":
    case "long":
    case "enum":
      return (r) => r.skipVarint();
    case "float":
      return (r) => r.skip(4);
    case "double":
      return (r) => r.skip(8);
    case "bytes":
    case "string":
      return (r) => r.skipBytes();
    case "fixed": {
      const size = schema.size;
      return (r) => r.skip(size);
    }
    case "union": {
      const branches = schema.branches.map((b) => skipperFor(b, cache));
      return (r) => branches[r.readUnionIndex(branches.length)]!(r);
    }
    case "array":
    case "map": {
      const item = schema.type === "array" ? skipperFor(schema.items, cache) : skipperFor(schema.values, cache);
      const isMap = schema.type === "map";
      const itemBytesMin = isMap ? 1 : minEncodedBytes(schema.items);
      return (r) => {
        for (;;) {
          const count = r.readBlockCount();
          if (count === 0) return;
          if (r.blockBytes >= 0) {
            r.skip(r.blockBytes); // the point of negative counts: skip without decoding
            continue;
          }
          checkItemCount(r, count, itemBytesMin);
          for (let i = 0; i < count; i++) {
            if (isMap) r.skipBytes();
            item(r);
          }
        }
      };
    }
    case "record":
    case "error": {
      const fields: AvroSkipper[] = [];
      const skip: AvroSkipper = (r) => {
        for (const f of fields) f(r);
      };
      cache.set(schema, skip);
      for (const f of schema.fields) fields.push(skipperFor(f.type, cache));
      return skip;
    }
  }
}
