/**
 * Avro schemas: parse Avro schema JSON into a typed tree, and write it back as JSON.
 *
 * Covers the whole Avro 1.11 type system: primitives (null, boolean, int, long, float, double,
 * bytes, string), record (and "error"), enum, array, map, union, fixed, logical-type annotations
 * (kept as attributes: values stay in their underlying type), named types, namespaces and
 * references to named types by short or full name (including recursive records).
 *
 * Invariants: a parsed schema is a tree whose named nodes are shared by reference (a reference
 * `"record__FILE"` yields the same object as its definition, so recursive schemas are cyclic
 * graphs). `name` of a named type is always its full name. Field `default` values are kept as
 * parsed JSON (a long default beyond 2^53 therefore loses precision: Paimon only uses `null`).
 * `avroSchemaToJson` writes the layout of Java's `Schema.toString()` (attribute order type, name,
 * namespace, fields; nested namespace omitted when equal to the enclosing one), so schemas we
 * write compare equal as strings to the ones Java embeds in its files.
 *
 * Imports: `src/errors.ts` only.
 * Mirrors: org.apache.avro.Schema (Avro specification, "Schema Declaration" and "Names").
 * https://avro.apache.org/docs/1.11.1/specification/
 */
import { LakeError } from "../../errors.ts";

/** Avro primitive type names (persisted in schema JSON: never rename). */
export const AVRO_PRIMITIVE_TYPES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"] as const;

/** One of `AVRO_PRIMITIVE_TYPES`. */
export type AvroPrimitiveType = (typeof AVRO_PRIMITIVE_TYPES)[number];

/** Logical-type attributes a primitive or fixed may carry; the value keeps its underlying type. */
export interface AvroLogicalAttributes {
  readonly logicalType?: string;
  readonly precision?: number;
  readonly scale?: number;
}

/** A primitive type, optionally annotated with a logical type (e.g. long + timestamp-millis). */
export interface AvroPrimitiveSchema extends AvroLogicalAttributes {
  readonly type: AvroPrimitiveType;
}

/** One field of a record. `hasDefault` distinguishes "no default" from `"default": null`. */
export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly aliases?: readonly string[];
  readonly doc?: string;
  readonly order?: "ascending" | "descending" | "ignore";
}

/** A record. `name` is the full name (namespace included). */
export interface AvroRecordSchema {
  readonly type: "record" | "error";
  readonly name: string;
  readonly fields: readonly AvroField[];
  readonly aliases?: readonly string[];
  readonly doc?: string;
}

/** An enum. `default` is the symbol used for unknown symbols during resolution. */
export interface AvroEnumSchema {
  readonly type: "enum";
  readonly name: string;
  readonly symbols: readonly string[];
  readonly default?: string;
  readonly aliases?: readonly string[];
  readonly doc?: string;
}

/** An array of `items`. */
export interface AvroArraySchema {
  readonly type: "array";
  readonly items: AvroSchema;
}

/** A map from string to `values`. */
export interface AvroMapSchema {
  readonly type: "map";
  readonly values: AvroSchema;
}

/** A union; `branches` is the JSON array in order (the branch index is on the wire). */
export interface AvroUnionSchema {
  readonly type: "union";
  readonly branches: readonly AvroSchema[];
}

/** A fixed-size byte string. */
export interface AvroFixedSchema extends AvroLogicalAttributes {
  readonly type: "fixed";
  readonly name: string;
  readonly size: number;
  readonly aliases?: readonly string[];
}

/** Any Avro schema. */
export type AvroSchema =
  | AvroPrimitiveSchema
  | AvroRecordSchema
  | AvroEnumSchema
  | AvroArraySchema
  | AvroMapSchema
  | AvroUnionSchema
  | AvroFixedSchema;

/** A named schema (record, error, enum or fixed). */
export type AvroNamedSchema = AvroRecordSchema | AvroEnumSchema | AvroFixedSchema;

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRIMITIVE_SET: ReadonlySet<string> = new Set(AVRO_PRIMITIVE_TYPES);

/** True when `schema` is a record, enum or fixed. */
export function isNamedSchema(schema: AvroSchema): schema is AvroNamedSchema {
  return schema.type === "record" || schema.type === "error" || schema.type === "enum" || schema.type === "fixed";
}

/** The short (unqualified) part of a full name. */
export function avroShortName(fullName: string): string {
  const dot = fullName.lastIndexOf(".");
  return dot < 0 ? fullName : fullName.slice(dot + 1);
}

/** The namespace part of a full name ("" when none). */
export function avroNamespace(fullName: string): string {
  const dot = fullName.lastIndexOf(".");
  return dot < 0 ? "" : fullName.slice(0, dot);
}

/**
 * Parses Avro schema JSON text (what `avro.schema` holds; a bare primitive is `"int"` with quotes).
 * Throws LakeError("invalid_argument") naming the offending part when the text is not valid
 * JSON or not a valid Avro schema (unknown type name, duplicate name, bad union, ...).
 */
export function parseAvroSchema(text: string): AvroSchema {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LakeError("invalid_argument", `avro schema: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return avroSchemaFromJson(value);
}

/**
 * Builds a schema from an already parsed JSON value (a string is a type name, an array a union,
 * an object a complex type). Same errors as `parseAvroSchema`.
 */
export function avroSchemaFromJson(json: unknown): AvroSchema {
  return parseNode(json, "", new Map(), "$");
}

function fail(path: string, message: string): never {
  throw new LakeError("invalid_argument", `avro schema: at ${path}: ${message}`);
}

function fullNameOf(name: unknown, namespace: unknown, enclosing: string, path: string): string {
  if (typeof name !== "string" || name === "") fail(path, `expected a non-empty "name", got ${JSON.stringify(name)}`);
  const ns = name.includes(".") ? avroNamespace(name) : typeof namespace === "string" ? namespace : enclosing;
  const short = avroShortName(name);
  if (!NAME_PATTERN.test(short)) fail(path, `invalid name "${name}"`);
  for (const part of ns === "" ? [] : ns.split(".")) {
    if (!NAME_PATTERN.test(part)) fail(path, `invalid namespace "${ns}"`);
  }
  return ns === "" ? short : `${ns}.${short}`;
}

function resolveReference(name: string, enclosing: string, names: Map<string, AvroSchema>, path: string): AvroSchema {
  if (PRIMITIVE_SET.has(name)) return { type: name as AvroPrimitiveType };
  const candidates = name.includes(".") ? [name] : enclosing === "" ? [name] : [`${enclosing}.${name}`, name];
  for (const candidate of candidates) {
    const found = names.get(candidate);
    if (found !== undefined) return found;
  }
  return fail(path, `unknown type "${name}"`);
}

function defineName(names: Map<string, AvroSchema>, schema: AvroNamedSchema, path: string): void {
  if (names.has(schema.name)) fail(path, `type "${schema.name}" is defined twice`);
  names.set(schema.name, schema);
}

function stringList(value: unknown, what: string, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) fail(path, `"${what}" must be an array of strings`);
  return value as string[];
}

function parseNode(node: unknown, enclosing: string, names: Map<string, AvroSchema>, path: string): AvroSchema {
  if (typeof node === "string") return resolveReference(node, enclosing, names, path);
  if (Array.isArray(node)) return parseUnion(node, enclosing, names, path);
  if (node === null || typeof node !== "object") fail(path, `expected a type, got ${JSON.stringify(node)}`);
  const obj = node as Record<string, unknown>;
  const type = obj.type;
  if (typeof type !== "string") {
    // {"type": {...}} or {"type": [...]} wraps another schema.
    if (type !== undefined && typeof type === "object") return parseNode(type, enclosing, names, `${path}.type`);
    fail(path, `missing "type"`);
  }
  if (PRIMITIVE_SET.has(type)) return withLogical({ type: type as AvroPrimitiveType }, obj, path);
  switch (type) {
    case "record":
    case "error":
      return parseRecord(obj, type, enclosing, names, path);
    case "enum":
      return parseEnum(obj, enclosing, names, path);
    case "array":
      if (obj.items === undefined) fail(path, `array without "items"`);
      return { type: "array", items: parseNode(obj.items, enclosing, names, `${path}.items`) };
    case "map":
      if (obj.values === undefined) fail(path, `map without "values"`);
      return { type: "map", values: parseNode(obj.values, enclosing, names, `${path}.values`) };
    case "fixed":
      return parseFixed(obj, enclosing, names, path);
    default:
      return resolveReference(type, enclosing, names, path);
  }
}

function withLogical<T extends AvroPrimitiveSchema | AvroFixedSchema>(base: T, obj: Record<string, unknown>, path: string): T {
  const { logicalType, precision, scale } = obj;
  if (logicalType === undefined) return base;
  if (typeof logicalType !== "string") fail(path, `"logicalType" must be a string`);
  const out: Record<string, unknown> = { ...base, logicalType };
  if (precision !== undefined) {
    if (!Number.isInteger(precision)) fail(path, `"precision" must be an integer`);
    out.precision = precision;
  }
  if (scale !== undefined) {
    if (!Number.isInteger(scale)) fail(path, `"scale" must be an integer`);
    out.scale = scale;
  }
  return out as unknown as T;
}

function parseRecord(
  obj: Record<string, unknown>,
  type: "record" | "error",
  enclosing: string,
  names: Map<string, AvroSchema>,
  path: string,
): AvroRecordSchema {
  const name = fullNameOf(obj.name, obj.namespace, enclosing, path);
  if (!Array.isArray(obj.fields)) fail(path, `record "${name}" without a "fields" array`);
  const fields: AvroField[] = [];
  const record: { -readonly [K in keyof AvroRecordSchema]: AvroRecordSchema[K] } = { type, name, fields };
  const aliases = stringList(obj.aliases, "aliases", path);
  if (aliases !== undefined) record.aliases = aliases;
  if (typeof obj.doc === "string") record.doc = obj.doc;
  defineName(names, record, path); // before the fields, so they may refer to the record itself
  const seen = new Set<string>();
  const namespace = avroNamespace(name);
  (obj.fields as unknown[]).forEach((raw, i) => {
    const fieldPath = `${path}.fields[${i}]`;
    if (raw === null || typeof raw !== "object") fail(fieldPath, "a field must be an object");
    const f = raw as Record<string, unknown>;
    if (typeof f.name !== "string" || !NAME_PATTERN.test(f.name)) fail(fieldPath, `invalid field name ${JSON.stringify(f.name)}`);
    if (seen.has(f.name)) fail(fieldPath, `duplicate field "${f.name}" in record "${name}"`);
    seen.add(f.name);
    if (f.type === undefined) fail(fieldPath, `field "${f.name}" without "type"`);
    const field: { -readonly [K in keyof AvroField]: AvroField[K] } = {
      name: f.name,
      type: parseNode(f.type, namespace, names, `${fieldPath}.type`),
      hasDefault: Object.prototype.hasOwnProperty.call(f, "default"),
    };
    if (field.hasDefault) field.default = f.default;
    const fieldAliases = stringList(f.aliases, "aliases", fieldPath);
    if (fieldAliases !== undefined) field.aliases = fieldAliases;
    if (typeof f.doc === "string") field.doc = f.doc;
    if (f.order !== undefined) {
      if (f.order !== "ascending" && f.order !== "descending" && f.order !== "ignore") fail(fieldPath, `invalid "order"`);
      field.order = f.order;
    }
    fields.push(field);
  });
  return record;
}

function parseEnum(obj: Record<string, unknown>, enclosing: string, names: Map<string, AvroSchema>, path: string): AvroEnumSchema {
  const name = fullNameOf(obj.name, obj.namespace, enclosing, path);
  const symbols = stringList(obj.symbols, "symbols", path);
  if (symbols === undefined) fail(path, `enum "${name}" without "symbols"`);
  if (new Set(symbols).size !== symbols.length) fail(path, `enum "${name}" has duplicate symbols`);
  for (const s of symbols) if (!NAME_PATTERN.test(s)) fail(path, `enum "${name}" has invalid symbol "${s}"`);
  const out: { -readonly [K in keyof AvroEnumSchema]: AvroEnumSchema[K] } = { type: "enum", name, symbols };
  if (obj.default !== undefined) {
    if (typeof obj.default !== "string" || !symbols.includes(obj.default)) fail(path, `enum "${name}" default is not a symbol`);
    out.default = obj.default;
  }
  const aliases = stringList(obj.aliases, "aliases", path);
  if (aliases !== undefined) out.aliases = aliases;
  if (typeof obj.doc === "string") out.doc = obj.doc;
  defineName(names, out, path);
  return out;
}

function parseFixed(obj: Record<string, unknown>, enclosing: string, names: Map<string, AvroSchema>, path: string): AvroFixedSchema {
  const name = fullNameOf(obj.name, obj.namespace, enclosing, path);
  const size = obj.size;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) fail(path, `fixed "${name}" needs a non-negative integer "size"`);
  let out: AvroFixedSchema = { type: "fixed", name, size };
  const aliases = stringList(obj.aliases, "aliases", path);
  if (aliases !== undefined) out = { ...out, aliases };
  out = withLogical(out, obj, path);
  defineName(names, out, path);
  return out;
}

function unionBranchKey(branch: AvroSchema): string {
  return isNamedSchema(branch) ? `named:${branch.name}` : branch.type;
}

function parseUnion(node: unknown[], enclosing: string, names: Map<string, AvroSchema>, path: string): AvroUnionSchema {
  const branches: AvroSchema[] = [];
  const keys = new Set<string>();
  node.forEach((raw, i) => {
    const branch = parseNode(raw, enclosing, names, `${path}[${i}]`);
    if (branch.type === "union") fail(path, "a union may not directly contain a union");
    const key = unionBranchKey(branch);
    if (keys.has(key)) fail(path, `union has two branches of type ${key}`);
    keys.add(key);
    branches.push(branch);
  });
  if (branches.length === 0) fail(path, "empty union");
  return { type: "union", branches };
}

/**
 * Writes `schema` as compact JSON in the layout of Java's `Schema.toString()`.
 * Named types appear in full once, then as name references. Round trip:
 * `avroSchemaToJson(parseAvroSchema(text))` is a normal form of `text`.
 */
export function avroSchemaToJson(schema: AvroSchema): string {
  return JSON.stringify(toJsonValue(schema, "", new Set()));
}

function namedReference(fullName: string, enclosing: string): string {
  return avroNamespace(fullName) === enclosing ? avroShortName(fullName) : fullName;
}

function logicalJson(out: Record<string, unknown>, schema: AvroLogicalAttributes): void {
  if (schema.logicalType !== undefined) out.logicalType = schema.logicalType;
  if (schema.precision !== undefined) out.precision = schema.precision;
  if (schema.scale !== undefined) out.scale = schema.scale;
}

function nameJson(out: Record<string, unknown>, fullName: string, enclosing: string): void {
  out.name = avroShortName(fullName);
  const ns = avroNamespace(fullName);
  if (ns !== enclosing) out.namespace = ns;
}

function toJsonValue(schema: AvroSchema, enclosing: string, written: Set<string>): unknown {
  if (isNamedSchema(schema)) {
    if (written.has(schema.name)) return namedReference(schema.name, enclosing);
    written.add(schema.name);
  }
  switch (schema.type) {
    case "union":
      return schema.branches.map((b) => toJsonValue(b, enclosing, written));
    case "array":
      return { type: "array", items: toJsonValue(schema.items, enclosing, written) };
    case "map":
      return { type: "map", values: toJsonValue(schema.values, enclosing, written) };
    case "record":
    case "error": {
      const out: Record<string, unknown> = { type: schema.type };
      nameJson(out, schema.name, enclosing);
      if (schema.doc !== undefined) out.doc = schema.doc;
      const ns = avroNamespace(schema.name);
      out.fields = schema.fields.map((f) => {
        const field: Record<string, unknown> = { name: f.name, type: toJsonValue(f.type, ns, written) };
        if (f.doc !== undefined) field.doc = f.doc;
        if (f.hasDefault) field.default = f.default;
        if (f.order !== undefined && f.order !== "ascending") field.order = f.order;
        if (f.aliases !== undefined) field.aliases = f.aliases;
        return field;
      });
      if (schema.aliases !== undefined) out.aliases = schema.aliases;
      return out;
    }
    case "enum": {
      const out: Record<string, unknown> = { type: "enum" };
      nameJson(out, schema.name, enclosing);
      if (schema.doc !== undefined) out.doc = schema.doc;
      out.symbols = schema.symbols;
      if (schema.default !== undefined) out.default = schema.default;
      if (schema.aliases !== undefined) out.aliases = schema.aliases;
      return out;
    }
    case "fixed": {
      const out: Record<string, unknown> = { type: "fixed" };
      nameJson(out, schema.name, enclosing);
      out.size = schema.size;
      logicalJson(out, schema);
      if (schema.aliases !== undefined) out.aliases = schema.aliases;
      return out;
    }
    default: {
      if (schema.logicalType === undefined) return schema.type;
      const out: Record<string, unknown> = { type: schema.type };
      logicalJson(out, schema);
      return out;
    }
  }
}
