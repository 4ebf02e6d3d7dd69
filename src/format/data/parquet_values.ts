/**
 * Converts the raw column arrays hyparquet decodes into Paimon values (values.ts shapes) for a
 * column's declared Paimon type, the way Java's Parquet vector updaters read them.
 *
 * Input contract (set up by parquet_reader.ts): leaf annotations are stripped before decoding,
 * so leaves arrive as physical values: BOOLEAN boolean, INT32 number, INT64 bigint, FLOAT/DOUBLE
 * number, BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY / INT96 Uint8Array (INT96 is decoded as 12-byte
 * fixed, while `ParquetNode.element` keeps the element as written, INT96 included), except
 * UTF8/STRING-annotated byte arrays, which arrive as strings already (strict UTF-8). Groups:
 * LIST → array, MAP (annotation stripped) → `{ <repeated>: [{ key, value }] }`, struct → object
 * keyed by Parquet child names. Null or undefined means SQL NULL at every level.
 *
 * Type mapping (Java `ParquetVectorUpdaterFactory`): TINYINT/SMALLINT/INT from INT32 (or INT64,
 * narrowed as Java's casts do), BIGINT from INT64 or INT32, DATE/TIME from INT32, FLOAT/DOUBLE
 * with float↔double promotion, DECIMAL from INT32/INT64/BINARY/FIXED as the unscaled value,
 * TIMESTAMP/TIMESTAMP_LTZ from INT64 (unit from the annotation, else by precision) or INT96,
 * reduced to the vector precision (physical_values.ts). Anything else is LakeError("unsupported")
 * naming the column and both types.
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts, physical_values.ts,
 * hyparquet (types only).
 */
import type { SchemaElement } from "hyparquet";
import { LakeError } from "../../errors.ts";
import { utf8Decode, utf8Encode } from "../../util/bytes.ts";
import { describeType, type DataField, type DataType } from "../../spec/data_types.ts";
import type { Value } from "../../spec/values.ts";
import {
  decimalFromBigEndian, defaultTimestampUnit, timestampAtVectorPrecision, timestampFromInt96,
  timestampFromParquetInt64, type TimestampUnit,
} from "./physical_values.ts";

/** A node of the file's Parquet schema, with the element as written (before any patching). */
export interface ParquetNode {
  readonly element: SchemaElement;
  readonly children: readonly ParquetNode[];
}

/** Converts one non-null raw value; throws LakeError on bad data. */
type Converter = (raw: unknown) => Value;

function unsupported(column: string, node: ParquetNode, type: DataType, why = ""): LakeError {
  const e = node.element;
  const physical = e.type ?? `group${e.converted_type ? ` (${e.converted_type})` : ""}`;
  return new LakeError("unsupported", `parquet: column ${column}: cannot read Parquet ${physical}${e.logical_type ? ` ${e.logical_type.type}` : ""} as ${describeType(type)}${why ? `: ${why}` : ""}`);
}

function corrupt(column: string, why: string): LakeError {
  return new LakeError("corruption", `parquet: column ${column}: ${why}`);
}

/** Timestamp unit from the element's annotation, if any. */
function annotatedUnit(e: SchemaElement): TimestampUnit | undefined {
  if (e.logical_type?.type === "TIMESTAMP") return e.logical_type.unit;
  if (e.converted_type === "TIMESTAMP_MILLIS") return "MILLIS";
  if (e.converted_type === "TIMESTAMP_MICROS") return "MICROS";
  return undefined;
}

function isUnsignedInt32(e: SchemaElement): boolean {
  return e.converted_type === "UINT_32" || (e.logical_type?.type === "INTEGER" && !e.logical_type.isSigned && e.logical_type.bitWidth === 32);
}

function bytesOf(raw: unknown, column: string): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (typeof raw === "string") return utf8Encode(raw);
  throw corrupt(column, `expected bytes, got ${typeof raw}`);
}

function stringOf(raw: unknown, column: string): string {
  if (typeof raw === "string") return raw;
  if (raw instanceof Uint8Array) {
    try {
      return utf8Decode(raw);
    } catch (error) {
      throw new LakeError("corruption", `parquet: column ${column}: invalid UTF-8 in a string value`, { cause: error });
    }
  }
  throw corrupt(column, `expected a string, got ${typeof raw}`);
}

function int64Of(raw: unknown, column: string): bigint {
  if (typeof raw === "bigint") return raw;
  throw corrupt(column, `expected an INT64 value, got ${typeof raw}`);
}

function int32Of(raw: unknown, column: string): number {
  if (typeof raw === "number") return raw;
  throw corrupt(column, `expected an INT32 value, got ${typeof raw}`);
}

function leafConverter(node: ParquetNode, type: DataType, column: string): Converter {
  const e = node.element;
  const physical = e.type!;
  const fail = (): never => { throw unsupported(column, node, type); };
  switch (type.root) {
    case "BOOLEAN":
      return physical === "BOOLEAN" ? (raw) => raw as boolean : fail();
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": {
      const bits = type.root === "TINYINT" ? 24 : type.root === "SMALLINT" ? 16 : 0;
      if (physical === "INT32") return bits === 0 ? (raw) => int32Of(raw, column) : (raw) => (int32Of(raw, column) << bits) >> bits;
      if (physical === "INT64" && (type.root === "TINYINT" || type.root === "SMALLINT" || type.root === "INT")) {
        const width = 32 - bits;
        return (raw) => Number(BigInt.asIntN(width, int64Of(raw, column)));
      }
      return fail();
    }
    case "BIGINT":
      if (physical === "INT64") return (raw) => int64Of(raw, column);
      if (physical === "INT32") return isUnsignedInt32(e) ? (raw) => BigInt(int32Of(raw, column) >>> 0) : (raw) => BigInt(int32Of(raw, column));
      return fail();
    case "FLOAT":
      if (physical === "FLOAT") return (raw) => raw as number;
      if (physical === "DOUBLE") return (raw) => Math.fround(raw as number);
      return fail();
    case "DOUBLE":
      return physical === "DOUBLE" || physical === "FLOAT" ? (raw) => raw as number : fail();
    case "CHAR": case "VARCHAR":
      return physical === "BYTE_ARRAY" || physical === "FIXED_LEN_BYTE_ARRAY" ? (raw) => stringOf(raw, column) : fail();
    case "BINARY": case "VARBINARY": case "BLOB":
      // Copy: decoded byte arrays are views into a page buffer.
      return physical === "BYTE_ARRAY" || physical === "FIXED_LEN_BYTE_ARRAY" ? (raw) => bytesOf(raw, column).slice() : fail();
    case "DECIMAL":
      if (physical === "INT32") return (raw) => BigInt(int32Of(raw, column));
      if (physical === "INT64") return (raw) => int64Of(raw, column);
      if (physical === "BYTE_ARRAY" || physical === "FIXED_LEN_BYTE_ARRAY") return (raw) => decimalFromBigEndian(bytesOf(raw, column));
      return fail();
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const precision = type.precision!;
      if (physical === "INT64") {
        const unit = defaultTimestampUnit(annotatedUnit(e), precision);
        if (unit === "MILLIS" && precision <= 3) {
          // Hot path: whole milliseconds, no bigint arithmetic when the value is a safe integer.
          return (raw) => {
            const n = Number(int64Of(raw, column));
            return Number.isSafeInteger(n) ? { epochMillis: n, nanoOfMillisecond: 0 } : timestampFromParquetInt64(raw as bigint, unit, precision);
          };
        }
        return (raw) => timestampFromParquetInt64(int64Of(raw, column), unit, precision);
      }
      if (physical === "INT96") {
        // Decoded as 12-byte fixed (see the file header): hyparquet's own INT96 path loses the sign.
        return (raw) => timestampAtVectorPrecision(timestampFromInt96(bytesOf(raw, column)), precision);
      }
      return fail();
    }
    default:
      return fail();
  }
}

/** Finds the child of a struct node matching `name`: exact first, then one case-insensitive match. */
export function matchParquetChild(children: readonly ParquetNode[], name: string, where: string): ParquetNode | undefined {
  const exact = children.find((c) => c.element.name === name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  const matches = children.filter((c) => c.element.name.toLowerCase() === lower);
  if (matches.length > 1) {
    throw new LakeError("corruption", `parquet: ${where}: field ${JSON.stringify(name)} matches ${matches.map((m) => JSON.stringify(m.element.name)).join(", ")} case-insensitively`);
  }
  return matches[0];
}

function isNull(raw: unknown): boolean {
  return raw === null || raw === undefined;
}

function structConverter(node: ParquetNode, fields: readonly DataField[], column: string): Converter {
  const parts = fields.map((f) => {
    const child = matchParquetChild(node.children, f.name, column);
    return child === undefined ? null : { key: child.element.name, convert: compileParquetConverter(child, f.type, `${column}.${f.name}`) };
  });
  return (raw) => {
    if (typeof raw !== "object" || raw === null) throw corrupt(column, "expected a struct");
    const record = raw as Record<string, unknown>;
    return parts.map((p) => {
      if (p === null) return null;
      const v = record[p.key];
      return isNull(v) ? null : p.convert(v);
    });
  };
}

function listConverter(node: ParquetNode, element: DataType, column: string): Converter {
  // Standard 3-level LIST (group LIST > repeated group > element), which Paimon writes. The
  // legacy 2-level forms (repeated element directly under the LIST group) are refused: hyparquet
  // reads an empty 2-level list as NULL, which would silently change values.
  const repeated = node.children[0];
  if (node.children.length !== 1 || repeated === undefined || repeated.children.length !== 1) {
    throw unsupported(column, node, { root: "ARRAY", nullable: true, element }, "only the standard 3-level LIST layout is supported");
  }
  const convert = compileParquetConverter(repeated.children[0]!, element, `${column}[]`);
  return (raw) => {
    if (!Array.isArray(raw)) throw corrupt(column, "expected a list");
    const out = new Array<Value>(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = isNull(raw[i]) ? null : convert(raw[i]);
    return out;
  };
}

function mapConverter(node: ParquetNode, keyType: DataType, valueType: DataType, column: string): Converter {
  const repeated = node.children[0];
  if (node.children.length !== 1 || repeated === undefined || repeated.children.length !== 2) {
    throw unsupported(column, node, { root: "MAP", nullable: true, key: keyType, value: valueType });
  }
  const [keyNode, valueNode] = repeated.children as [ParquetNode, ParquetNode];
  const convertKey = compileParquetConverter(keyNode, keyType, `${column}.key`);
  const convertValue = compileParquetConverter(valueNode, valueType, `${column}.value`);
  const entriesName = repeated.element.name;
  const keyName = keyNode.element.name;
  const valueName = valueNode.element.name;
  return (raw) => {
    if (typeof raw !== "object" || raw === null) throw corrupt(column, "expected a map");
    const entries = (raw as Record<string, unknown>)[entriesName];
    if (isNull(entries)) return [];
    if (!Array.isArray(entries)) throw corrupt(column, "expected map entries");
    return entries.map((entry: Record<string, unknown>) => {
      const k = entry[keyName], v = entry[valueName];
      return [isNull(k) ? null : convertKey(k), isNull(v) ? null : convertValue(v)] as const;
    });
  };
}

/**
 * Compiles the converter of one non-null raw value of `node` to a value of Paimon `type`.
 * Throws LakeError("unsupported") when the Parquet type cannot be read as `type`.
 */
export function compileParquetConverter(node: ParquetNode, type: DataType, column: string): Converter {
  const e = node.element;
  const isGroup = e.type === undefined;
  switch (type.root) {
    case "ROW":
      if (!isGroup) throw unsupported(column, node, type);
      return structConverter(node, type.fields, column);
    case "ARRAY": case "VECTOR":
      if (!isGroup) throw unsupported(column, node, type);
      return listConverter(node, type.element, column);
    case "MAP":
      if (!isGroup) throw unsupported(column, node, type);
      return mapConverter(node, type.key, type.value, column);
    case "MULTISET":
      if (!isGroup) throw unsupported(column, node, type);
      return mapConverter(node, type.element, { root: "INT", nullable: false }, column);
    case "VARIANT":
      throw unsupported(column, node, type, "VARIANT columns are not supported yet");
    default:
      if (isGroup) throw unsupported(column, node, type);
      return leafConverter(node, type, column);
  }
}

/**
 * Converts a whole decoded column (`rowCount` raw entries, null/undefined = NULL) to values.
 * Typed arrays and plain arrays are both accepted; identity conversions reuse no input storage.
 */
export function convertParquetColumn(raw: ArrayLike<unknown>, node: ParquetNode, type: DataType, column: string): Value[] {
  const n = raw.length;
  // Fast paths: numbers and strings that need no per-value work.
  const root = type.root;
  const physical = node.element.type;
  if ((raw instanceof Int32Array && physical === "INT32" && (root === "INT" || root === "DATE" || root === "TIME")) ||
    (raw instanceof Float64Array && root === "DOUBLE") || (raw instanceof Float32Array && (root === "FLOAT" || root === "DOUBLE")) ||
    (raw instanceof BigInt64Array && physical === "INT64" && (root === "BIGINT" || root === "DECIMAL"))) {
    return Array.from(raw as ArrayLike<number | bigint>);
  }
  const convert = compileParquetConverter(node, type, column);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    out[i] = v === null || v === undefined ? null : convert(v);
  }
  return out;
}
