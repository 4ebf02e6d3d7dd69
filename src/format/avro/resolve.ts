/**
 * Avro schema resolution: decode data written with the writer schema (from the file) into the
 * shape of a reader schema (ours), the way Paimon reads manifests of every version.
 *
 * Rules (Avro specification "Schema Resolution", with Paimon's leniency):
 *   - records match regardless of their names (Paimon ignores record names); fields match by
 *     name or reader alias; writer fields unknown to the reader are skipped; reader fields
 *     absent from the writer get their default, or null when they have none;
 *   - a writer union is read branch by branch; a branch that cannot be read as the reader type
 *     decodes to a LakeError("corruption") only when data actually uses it (so the <=0.8
 *     `["null", record]` layouts read into a non-null record while the data holds no nulls);
 *   - a reader union takes a non-union writer type through its first matching branch;
 *   - promotions int->long/float/double, long->float/double, float->double, string<->bytes;
 *   - enums by symbol (unknown symbol -> reader default or corruption); fixed sizes must match.
 * Incompatible non-union types fail at compile time with LakeError("corruption"): the file does
 * not hold what the reader schema describes.
 *
 * Imports: `binary.ts`, `datum.ts`, `schema.ts`, `src/errors.ts`.
 * Mirrors: org.apache.avro.io.ResolvingDecoder; Paimon's field-by-name manifest reading
 * (org.apache.paimon.format.avro.AvroSchemaVisitor / FieldReaderFactory).
 */
import { LakeError } from "../../errors.ts";
import { type AvroReader, type AvroRecordValue, type AvroValue, recordObjectFactory } from "./binary.ts";
import { type AvroDecoder, arrayDecoder, compileSkipper, mapDecoder, minEncodedBytes } from "./datum.ts";
import { type AvroRecordSchema, type AvroSchema, avroShortName, isNamedSchema } from "./schema.ts";

/**
 * Compiles a decoder reading `writer`-encoded data as `reader` values.
 * Throws LakeError("corruption") when the two schemas can never match.
 */
export function compileResolvingDecoder(writer: AvroSchema, reader: AvroSchema): AvroDecoder {
  return resolve(writer, reader, new Map(), "$");
}

const UTF8_DECODER = new TextDecoder("utf-8");

type Cache = Map<AvroSchema, Map<AvroSchema, AvroDecoder>>;

function describe(schema: AvroSchema): string {
  return isNamedSchema(schema) ? `${schema.type} ${schema.name}` : schema.type;
}

function incompatible(writer: AvroSchema, reader: AvroSchema, path: string): string {
  return `avro: at ${path}: written type ${describe(writer)} cannot be read as ${describe(reader)}`;
}

/** Whether `writer` can be read as the non-union `reader` without an error (shallow check). */
function matches(writer: AvroSchema, reader: AvroSchema, exact: boolean): boolean {
  if (writer.type === reader.type) {
    if (writer.type === "fixed" && reader.type === "fixed") return writer.size === reader.size;
    if (exact && isNamedSchema(writer) && isNamedSchema(reader) && writer.type === "enum") {
      return avroShortName(writer.name) === avroShortName(reader.name);
    }
    return true;
  }
  if ((writer.type === "record" || writer.type === "error") && (reader.type === "record" || reader.type === "error")) return true;
  if (exact) return false;
  switch (writer.type) {
    case "int":
      return reader.type === "long" || reader.type === "float" || reader.type === "double";
    case "long":
      return reader.type === "float" || reader.type === "double";
    case "float":
      return reader.type === "double";
    case "string":
      return reader.type === "bytes";
    case "bytes":
      return reader.type === "string";
    default:
      return false;
  }
}

/** The reader union branch a non-union writer type resolves to, or -1. */
function pickReaderBranch(writer: AvroSchema, branches: readonly AvroSchema[]): number {
  if (isNamedSchema(writer)) {
    const byName = branches.findIndex((b) => isNamedSchema(b) && b.type === writer.type && avroShortName(b.name) === avroShortName(writer.name));
    if (byName >= 0) return byName;
  }
  const exact = branches.findIndex((b) => matches(writer, b, true));
  return exact >= 0 ? exact : branches.findIndex((b) => matches(writer, b, false));
}

function resolve(writer: AvroSchema, reader: AvroSchema, cache: Cache, path: string): AvroDecoder {
  const cached = cache.get(writer)?.get(reader);
  if (cached !== undefined) return cached;

  if (writer.type === "union") {
    const branches = writer.branches.map((w, i) => resolveLenient(w, reader, cache, `${path}<branch ${i}>`));
    return (r) => branches[r.readUnionIndex(branches.length)]!(r);
  }
  if (reader.type === "union") {
    const i = pickReaderBranch(writer, reader.branches);
    if (i < 0) throw new LakeError("corruption", incompatible(writer, reader, path));
    return resolve(writer, reader.branches[i]!, cache, path);
  }
  if (!matches(writer, reader, false)) throw new LakeError("corruption", incompatible(writer, reader, path));

  switch (writer.type) {
    case "null":
      return () => null;
    case "boolean":
      return (r) => r.readBoolean();
    case "int":
      if (reader.type === "long") return (r) => BigInt(r.readInt());
      return (r) => r.readInt();
    case "long":
      if (reader.type === "float" || reader.type === "double") return (r) => Number(r.readLong());
      return (r) => r.readLong();
    case "float":
      return (r) => r.readFloat();
    case "double":
      return (r) => r.readDouble();
    case "bytes":
      if (reader.type === "string") return (r) => UTF8_DECODER.decode(r.readBytes());
      return (r) => r.readBytes();
    case "string":
      if (reader.type === "bytes") return (r) => r.readBytes();
      return (r) => r.readString();
    case "fixed": {
      const size = writer.size;
      return (r) => r.readFixed(size);
    }
    case "enum":
      return resolveEnum(writer.symbols, reader as Extract<AvroSchema, { type: "enum" }>, path);
    case "array": {
      const items = resolve(writer.items, (reader as Extract<AvroSchema, { type: "array" }>).items, cache, `${path}[]`);
      return arrayDecoder(items, minEncodedBytes(writer.items));
    }
    case "map": {
      const values = resolve(writer.values, (reader as Extract<AvroSchema, { type: "map" }>).values, cache, `${path}{}`);
      return mapDecoder(values, 1 + minEncodedBytes(writer.values));
    }
    case "record":
    case "error":
      return resolveRecord(writer, reader as AvroRecordSchema, cache, path);
  }
}

/** Like `resolve`, but an incompatible pair becomes a decoder that throws when used. */
function resolveLenient(writer: AvroSchema, reader: AvroSchema, cache: Cache, path: string): AvroDecoder {
  try {
    return resolve(writer, reader, cache, path);
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    const message = error.message;
    return () => {
      throw new LakeError("corruption", message);
    };
  }
}

function resolveEnum(writerSymbols: readonly string[], reader: Extract<AvroSchema, { type: "enum" }>, path: string): AvroDecoder {
  const mapped = writerSymbols.map((s) => (reader.symbols.includes(s) ? s : reader.default));
  return (r) => {
    const i = r.readInt();
    if (i < 0 || i >= mapped.length) throw new LakeError("corruption", `avro: at ${path}: enum index ${i} out of range`);
    const symbol = mapped[i];
    if (symbol === undefined) {
      throw new LakeError("corruption", `avro: at ${path}: enum symbol ${writerSymbols[i]} unknown to reader enum ${reader.name}`);
    }
    return symbol;
  };
}

function resolveRecord(writer: AvroRecordSchema, reader: AvroRecordSchema, cache: Cache, path: string): AvroDecoder {
  // Writer fields in writer order: the reader field each one fills (null = skip) and its decoder.
  const stepNames: (string | null)[] = [];
  const stepDecoders: ((r: AvroReader) => AvroValue | void)[] = [];
  // Reader fields in reader order, set first so every record gets the same shape and key order;
  // a maker computes a default (fresh per record: defaults may be arrays or maps).
  const slotNames: string[] = [];
  const slotMakers: ((() => AvroValue) | null)[] = [];
  const make = recordObjectFactory(reader.fields.map((f) => f.name));
  const decode: AvroDecoder = (r) => {
    const out: AvroRecordValue = make();
    for (let i = 0; i < slotNames.length; i++) {
      const maker = slotMakers[i]!;
      out[slotNames[i]!] = maker === null ? null : maker();
    }
    for (let i = 0; i < stepDecoders.length; i++) {
      const value = stepDecoders[i]!(r);
      const name = stepNames[i]!;
      if (name !== null) out[name] = value as AvroValue;
    }
    return out;
  };
  let byWriter = cache.get(writer);
  if (byWriter === undefined) cache.set(writer, (byWriter = new Map()));
  byWriter.set(reader, decode); // before the fields: recursive records

  try {
    compileRecordSteps(writer, reader, cache, path, { stepNames, stepDecoders, slotNames, slotMakers });
  } catch (error) {
    byWriter.delete(reader); // never leave a half-built decoder behind for later lookups
    throw error;
  }
  return decode;
}

interface RecordPlan {
  readonly stepNames: (string | null)[];
  readonly stepDecoders: ((r: AvroReader) => AvroValue | void)[];
  readonly slotNames: string[];
  readonly slotMakers: ((() => AvroValue) | null)[];
}

function compileRecordSteps(writer: AvroRecordSchema, reader: AvroRecordSchema, cache: Cache, path: string, plan: RecordPlan): void {
  const { stepNames, stepDecoders, slotNames, slotMakers } = plan;
  const readerByName = new Map<string, AvroRecordSchema["fields"][number]>();
  for (const f of reader.fields) {
    readerByName.set(f.name, f);
    for (const alias of f.aliases ?? []) if (!readerByName.has(alias)) readerByName.set(alias, f);
  }
  const written = new Set<string>();
  for (const wf of writer.fields) {
    const rf = readerByName.get(wf.name);
    if (rf === undefined || written.has(rf.name)) {
      stepNames.push(null);
      stepDecoders.push(compileSkipper(wf.type));
      continue;
    }
    written.add(rf.name);
    stepNames.push(rf.name);
    stepDecoders.push(resolve(wf.type, rf.type, cache, `${path}.${rf.name}`));
  }
  for (const rf of reader.fields) {
    slotNames.push(rf.name);
    const fallback = written.has(rf.name) || !rf.hasDefault ? null : rf.default;
    if (fallback === null) {
      slotMakers.push(null);
      continue;
    }
    const schema = rf.type;
    const fieldPath = `${path}.${rf.name}`;
    jsonToAvroValue(schema, fallback, fieldPath); // validate the default once, at compile time
    slotMakers.push(() => jsonToAvroValue(schema, fallback, fieldPath));
  }
}

/**
 * Converts a JSON default value to an `AvroValue` of `schema` (a union default belongs to its
 * first branch; bytes/fixed defaults are strings of code points 0-255).
 * Throws LakeError("corruption") when the default does not fit the schema.
 */
export function jsonToAvroValue(schema: AvroSchema, json: unknown, path: string): AvroValue {
  const bad = (): never => {
    throw new LakeError("corruption", `avro: at ${path}: default ${JSON.stringify(json)} does not fit ${describe(schema)}`);
  };
  if (json === null) {
    // A missing field without default reads as null whatever its type (Paimon's reader does so).
    return null;
  }
  switch (schema.type) {
    case "union":
      return jsonToAvroValue(schema.branches[0]!, json, path);
    case "boolean":
      return typeof json === "boolean" ? json : bad();
    case "int":
    case "float":
    case "double":
      return typeof json === "number" ? json : bad();
    case "long":
      return typeof json === "number" && Number.isInteger(json) ? BigInt(json) : bad();
    case "string":
    case "enum":
      return typeof json === "string" ? json : bad();
    case "bytes":
    case "fixed": {
      if (typeof json !== "string") return bad();
      const out = new Uint8Array(json.length);
      for (let i = 0; i < json.length; i++) {
        const c = json.charCodeAt(i);
        if (c > 255) bad();
        out[i] = c;
      }
      return out;
    }
    case "array":
      return Array.isArray(json) ? json.map((x, i) => jsonToAvroValue(schema.items, x, `${path}[${i}]`)) : bad();
    case "map": {
      if (typeof json !== "object" || Array.isArray(json)) return bad();
      const out = new Map<string, AvroValue>();
      for (const [k, v] of Object.entries(json as Record<string, unknown>)) out.set(k, jsonToAvroValue(schema.values, v, `${path}{${k}}`));
      return out;
    }
    case "record":
    case "error": {
      if (typeof json !== "object" || Array.isArray(json)) return bad();
      const obj = json as Record<string, unknown>;
      const out: AvroRecordValue = recordObjectFactory(schema.fields.map((f) => f.name))();
      for (const f of schema.fields) {
        const v = Object.prototype.hasOwnProperty.call(obj, f.name) ? obj[f.name] : f.hasDefault ? f.default : null;
        out[f.name] = jsonToAvroValue(f.type, v, `${path}.${f.name}`);
      }
      return out;
    }
    case "null":
      return bad();
  }
}
