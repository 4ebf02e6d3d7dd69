/**
 * Paimon data types: the in-memory model and the exact type strings of schema JSON.
 *
 * Mirrors `org.apache.paimon.types.DataType` and its subclasses, and the JSON form produced by
 * `DataTypeJsonParser` / `DataType#serializeJson`: atomic types are strings such as
 * `"DECIMAL(10, 2) NOT NULL"`; ARRAY, MAP, MULTISET, ROW and VECTOR are objects.
 * https://github.com/apache/paimon/blob/master/paimon-api/src/main/java/org/apache/paimon/types/DataTypeJsonParser.java
 *
 * Invariants: `formatTypeString(parseTypeString(s))` is the canonical spelling Java writes
 * (aliases such as INTEGER or NUMERIC normalise to INT and DECIMAL); lengths and precisions are
 * validated against Paimon's bounds on parse.
 *
 * Imports: errors.ts only.
 */
import { LakeError } from "../errors.ts";

/** Atomic type roots, spelled as Paimon's `DataTypeRoot`. Persisted in schema JSON. */
export const ATOMIC_ROOTS = [
  "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE", "TIME",
  "TIMESTAMP", "TIMESTAMP_LTZ", "CHAR", "VARCHAR", "BINARY", "VARBINARY", "DECIMAL",
  "VARIANT", "BLOB",
] as const;

/** Root of an atomic type. */
export type AtomicRoot = (typeof ATOMIC_ROOTS)[number];

/** Largest length of CHAR/VARCHAR/BINARY/VARBINARY (Java Integer.MAX_VALUE). */
export const TYPE_LENGTH_MAX = 2147483647;
/** Largest DECIMAL precision Paimon accepts. */
export const DECIMAL_PRECISION_MAX = 38;
/** Largest TIMESTAMP/TIME precision Paimon accepts. */
export const TIMESTAMP_PRECISION_MAX = 9;

/** An atomic type. `length` for CHAR/VARCHAR/BINARY/VARBINARY, `precision`/`scale` otherwise. */
export interface AtomicType {
  readonly root: AtomicRoot;
  readonly nullable: boolean;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** A field of a ROW type or of a table schema (`DataField`). */
export interface DataField {
  readonly id: number;
  readonly name: string;
  readonly type: DataType;
  readonly description?: string;
  readonly defaultValue?: string;
}

/** ARRAY or MULTISET of `element`. */
export interface CollectionType {
  readonly root: "ARRAY" | "MULTISET";
  readonly nullable: boolean;
  readonly element: DataType;
}

/** MAP from `key` to `value`. */
export interface MapType {
  readonly root: "MAP";
  readonly nullable: boolean;
  readonly key: DataType;
  readonly value: DataType;
}

/** ROW of named fields with their own ids. */
export interface RowType {
  readonly root: "ROW";
  readonly nullable: boolean;
  readonly fields: readonly DataField[];
}

/** VECTOR of fixed `length` (Paimon 1.4+). */
export interface VectorType {
  readonly root: "VECTOR";
  readonly nullable: boolean;
  readonly element: DataType;
  readonly length: number;
}

/** Any Paimon data type. */
export type DataType = AtomicType | CollectionType | MapType | RowType | VectorType;

/** Returns `type` with the given nullability. */
export function withNullable<T extends DataType>(type: T, nullable: boolean): T {
  return type.nullable === nullable ? type : { ...type, nullable };
}

/** Builds an atomic type; handy for tests and code that creates schemas. */
export function atomic(
  root: AtomicRoot,
  options: { nullable?: boolean; length?: number; precision?: number; scale?: number } = {},
): AtomicType {
  const t: { -readonly [K in keyof AtomicType]: AtomicType[K] } = { root, nullable: options.nullable ?? true };
  if (options.length !== undefined) t.length = options.length;
  if (options.precision !== undefined) t.precision = options.precision;
  if (options.scale !== undefined) t.scale = options.scale;
  return normalizeAtomic(t, String(root));
}

function fail(text: string, why: string): never {
  throw new LakeError("invalid_argument", `data type: cannot parse ${JSON.stringify(text)}: ${why}`);
}

function normalizeAtomic(t: AtomicType, text: string): AtomicType {
  const { root } = t;
  const out: { -readonly [K in keyof AtomicType]: AtomicType[K] } = { root, nullable: t.nullable };
  switch (root) {
    case "CHAR": case "BINARY": case "VARCHAR": case "VARBINARY": {
      const len = t.length ?? (root === "CHAR" || root === "BINARY" ? 1 : 1);
      if (!Number.isInteger(len) || len < 1 || len > TYPE_LENGTH_MAX) fail(text, `length ${len} must be in [1, ${TYPE_LENGTH_MAX}]`);
      out.length = len;
      break;
    }
    case "DECIMAL": {
      const p = t.precision ?? 10, s = t.scale ?? 0;
      if (!Number.isInteger(p) || p < 1 || p > DECIMAL_PRECISION_MAX) fail(text, `precision ${p} must be in [1, ${DECIMAL_PRECISION_MAX}]`);
      if (!Number.isInteger(s) || s < 0 || s > p) fail(text, `scale ${s} must be in [0, precision ${p}]`);
      out.precision = p;
      out.scale = s;
      break;
    }
    case "TIME": case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = t.precision ?? (root === "TIME" ? 0 : 6);
      if (!Number.isInteger(p) || p < 0 || p > TIMESTAMP_PRECISION_MAX) fail(text, `precision ${p} must be in [0, ${TIMESTAMP_PRECISION_MAX}]`);
      out.precision = p;
      break;
    }
    default:
      break;
  }
  return out;
}

const NOT_NULL = / NOT NULL$/i;

/** Parses an atomic type string such as `"VARCHAR(10) NOT NULL"` or `"STRING"`. */
export function parseTypeString(text: string): AtomicType {
  let s = text.trim();
  let nullable = true;
  if (NOT_NULL.test(s)) {
    nullable = false;
    s = s.replace(NOT_NULL, "").trim();
  } else if (/ NULL$/i.test(s)) {
    s = s.replace(/ NULL$/i, "").trim();
  }
  const upper = s.toUpperCase().replace(/\s+/g, " ");
  const m = /^([A-Z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?( WITH LOCAL TIME ZONE| WITHOUT TIME ZONE)?$/.exec(upper);
  if (!m) fail(text, "unknown type syntax");
  const name = m[1]!.trim();
  const a = m[2] === undefined ? undefined : Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  const ltz = m[4] === " WITH LOCAL TIME ZONE";
  const one = (root: AtomicRoot, extra: Partial<AtomicType> = {}): AtomicType => {
    if (b !== undefined && root !== "DECIMAL") fail(text, `${root} takes one parameter`);
    return normalizeAtomic({ root, nullable, ...extra }, text);
  };
  const none = (root: AtomicRoot): AtomicType => {
    if (a !== undefined) fail(text, `${root} takes no parameter`);
    return one(root);
  };
  if (ltz && name !== "TIMESTAMP") fail(text, "WITH LOCAL TIME ZONE applies to TIMESTAMP only");
  switch (name) {
    case "BOOLEAN": return none("BOOLEAN");
    case "TINYINT": return none("TINYINT");
    case "SMALLINT": return none("SMALLINT");
    case "INT": case "INTEGER": return none("INT");
    case "BIGINT": return none("BIGINT");
    case "FLOAT": return none("FLOAT");
    case "DOUBLE": case "DOUBLE PRECISION": return none("DOUBLE");
    case "DATE": return none("DATE");
    case "VARIANT": return none("VARIANT");
    case "BLOB": return none("BLOB");
    case "STRING": return a === undefined ? one("VARCHAR", { length: TYPE_LENGTH_MAX }) : fail(text, "STRING takes no parameter");
    case "BYTES": return a === undefined ? one("VARBINARY", { length: TYPE_LENGTH_MAX }) : fail(text, "BYTES takes no parameter");
    case "CHAR": case "CHARACTER": return one("CHAR", { length: a ?? 1 });
    case "VARCHAR": case "CHARACTER VARYING": case "CHAR VARYING": return one("VARCHAR", { length: a ?? 1 });
    case "BINARY": return one("BINARY", { length: a ?? 1 });
    case "VARBINARY": case "BINARY VARYING": return one("VARBINARY", { length: a ?? 1 });
    case "DECIMAL": case "DEC": case "NUMERIC": return one("DECIMAL", { precision: a ?? 10, scale: b ?? 0 });
    case "TIME": return one("TIME", { precision: a ?? 0 });
    case "TIMESTAMP": return one(ltz ? "TIMESTAMP_LTZ" : "TIMESTAMP", { precision: a ?? 6 });
    case "TIMESTAMP_LTZ": return one("TIMESTAMP_LTZ", { precision: a ?? 6 });
    default: return fail(text, `unknown type ${name}`);
  }
}

/** Formats an atomic type exactly as Java's `asSQLString()` (what schema JSON holds). */
export function formatTypeString(type: AtomicType): string {
  const nn = type.nullable ? "" : " NOT NULL";
  switch (type.root) {
    case "VARCHAR": return (type.length === TYPE_LENGTH_MAX ? "STRING" : `VARCHAR(${type.length})`) + nn;
    case "VARBINARY": return (type.length === TYPE_LENGTH_MAX ? "BYTES" : `VARBINARY(${type.length})`) + nn;
    case "CHAR": case "BINARY": return `${type.root}(${type.length})${nn}`;
    case "DECIMAL": return `DECIMAL(${type.precision}, ${type.scale})${nn}`;
    case "TIME": case "TIMESTAMP": return `${type.root}(${type.precision})${nn}`;
    case "TIMESTAMP_LTZ": return `TIMESTAMP(${type.precision}) WITH LOCAL TIME ZONE${nn}`;
    default: return type.root + nn;
  }
}

/** Decodes a `type` value of schema JSON (string or object) into a DataType. */
export function dataTypeFromJson(json: unknown): DataType {
  if (typeof json === "string") return parseTypeString(json);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new LakeError("invalid_argument", `data type: expected a string or object, got ${JSON.stringify(json)}`);
  }
  const o = json as Record<string, unknown>;
  const head = String(o.type ?? "");
  const nullable = !/ NOT NULL$/i.test(head);
  const name = head.replace(/ NOT NULL$/i, "").trim().toUpperCase();
  switch (name) {
    case "ARRAY": case "MULTISET": return { root: name, nullable, element: dataTypeFromJson(o.element) };
    case "MAP": return { root: "MAP", nullable, key: dataTypeFromJson(o.key), value: dataTypeFromJson(o.value) };
    case "ROW": {
      if (!Array.isArray(o.fields)) throw new LakeError("invalid_argument", `data type: ROW without fields: ${JSON.stringify(json)}`);
      return { root: "ROW", nullable, fields: o.fields.map(dataFieldFromJson) };
    }
    case "VECTOR": {
      const length = Number(o.length);
      if (!Number.isInteger(length) || length < 1) throw new LakeError("invalid_argument", `data type: VECTOR length ${String(o.length)} must be a positive integer`);
      return { root: "VECTOR", nullable, element: dataTypeFromJson(o.element), length };
    }
    default:
      throw new LakeError("invalid_argument", `data type: unknown nested type ${JSON.stringify(head)}`);
  }
}

/** Encodes a DataType as schema JSON holds it (string for atomic, object for nested). */
export function dataTypeToJson(type: DataType): unknown {
  const nn = type.nullable ? "" : " NOT NULL";
  switch (type.root) {
    case "ARRAY": case "MULTISET": return { type: type.root + nn, element: dataTypeToJson(type.element) };
    case "MAP": return { type: "MAP" + nn, key: dataTypeToJson(type.key), value: dataTypeToJson(type.value) };
    case "ROW": return { type: "ROW" + nn, fields: type.fields.map(dataFieldToJson) };
    case "VECTOR": return { type: "VECTOR" + nn, element: dataTypeToJson(type.element), length: type.length };
    default: return formatTypeString(type);
  }
}

/** Decodes a DataField JSON object (`id`, `name`, `type`, optional `description`, `defaultValue`). */
export function dataFieldFromJson(json: unknown): DataField {
  const o = json as Record<string, unknown>;
  if (o === null || typeof o !== "object" || typeof o.name !== "string" || !Number.isInteger(Number(o.id))) {
    throw new LakeError("invalid_argument", `data field: expected {id, name, type}, got ${JSON.stringify(json)}`);
  }
  const field: { -readonly [K in keyof DataField]: DataField[K] } = { id: Number(o.id), name: o.name, type: dataTypeFromJson(o.type) };
  if (typeof o.description === "string") field.description = o.description;
  if (typeof o.defaultValue === "string") field.defaultValue = o.defaultValue;
  return field;
}

/** Encodes a DataField in Java's key order: id, name, type, description, defaultValue. */
export function dataFieldToJson(field: DataField): Record<string, unknown> {
  const o: Record<string, unknown> = { id: field.id, name: field.name, type: dataTypeToJson(field.type) };
  if (field.description !== undefined) o.description = field.description;
  if (field.defaultValue !== undefined) o.defaultValue = field.defaultValue;
  return o;
}

/** Human-readable spelling of any type (atomic string, or e.g. `ARRAY<INT>`), for messages. */
export function describeType(type: DataType): string {
  const nn = type.nullable ? "" : " NOT NULL";
  switch (type.root) {
    case "ARRAY": case "MULTISET": return `${type.root}<${describeType(type.element)}>${nn}`;
    case "MAP": return `MAP<${describeType(type.key)}, ${describeType(type.value)}>${nn}`;
    case "ROW": return `ROW<${type.fields.map((f) => `${f.name} ${describeType(f.type)}`).join(", ")}>${nn}`;
    case "VECTOR": return `VECTOR<${describeType(type.element)}, ${type.length}>${nn}`;
    default: return formatTypeString(type);
  }
}

/** True for DECIMAL precision ≤ 18: stored inline as an unscaled int64 in BinaryRow. */
export function isCompactDecimal(precision: number): boolean {
  return precision <= 18;
}

/** True for TIMESTAMP precision ≤ 3: stored inline as epoch millis in BinaryRow. */
export function isCompactTimestamp(precision: number): boolean {
  return precision <= 3;
}
