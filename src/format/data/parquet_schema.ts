/**
 * The Parquet schema Java Paimon writes for a list of data-file fields, as the flat list of
 * footer `SchemaElement`s (depth-first, root first), and its Thrift encoding.
 *
 * Mapping (Java `ParquetSchemaConverter#convertToParquetType`, serialized by parquet-mr's
 * `ParquetMetadataConverter#toParquetSchema`): root `paimon_schema`; NOT NULL → REQUIRED, else
 * OPTIONAL; every field carries its Paimon field id. BOOLEAN; TINYINT/SMALLINT INT32 INT(8/16,
 * signed) (converted INT_8/INT_16); INT INT32; BIGINT INT64; FLOAT; DOUBLE; CHAR/VARCHAR
 * BYTE_ARRAY STRING (UTF8); BINARY/VARBINARY/BLOB BYTE_ARRAY; DATE INT32 DATE; TIME INT32
 * TIME(MILLIS, adjusted to UTC) (TIME_MILLIS); DECIMAL p ≤ 9 INT32, p ≤ 18 INT64, else
 * FIXED_LEN_BYTE_ARRAY(min bytes), all DECIMAL(p, s); TIMESTAMP(_LTZ) p ≤ 3 INT64
 * TIMESTAMP(MILLIS), p ≤ 6 MICROS (adjusted to UTC only for LTZ), p > 6 INT96; ARRAY/VECTOR
 * `LIST` group > repeated group `list` > `element`; MAP/MULTISET `MAP` group > repeated group
 * `key_value` (MAP_KEY_VALUE) > `key` (always REQUIRED) and `value` (MULTISET: INT NOT NULL);
 * ROW a group of its fields; VARIANT a group of REQUIRED BYTE_ARRAY `value` (id 0) and
 * `metadata` (id 1). Elements and keys/values of nested types get Java's derived ids
 * (`SpecialFields.getArrayElementFieldId` etc., with Java int overflow).
 *
 * Invariants: `paimonParquetSchema` output equals, field by field, the footer schema of a
 * parquet-mr file Paimon wrote for the same fields (checked against fixtures in tests).
 *
 * Mirrors: https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/parquet/ParquetSchemaConverter.java
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, thrift_compact.ts (types).
 */
import { LakeError } from "../../errors.ts";
import { utf8Encode } from "../../util/bytes.ts";
import { describeType, type DataField, type DataType } from "../../spec/data_types.ts";
import type { ThriftField, ThriftValue } from "./thrift_compact.ts";

/** Message name of Paimon's Parquet files (persisted). */
export const PAIMON_PARQUET_MESSAGE_NAME = "paimon_schema";

/** Parquet physical type ids (footer `Type` enum, persisted). */
export const ParquetPhysical = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;
/** One of `ParquetPhysical`. */
export type ParquetPhysical = (typeof ParquetPhysical)[keyof typeof ParquetPhysical];
/** Repetition ids (footer `FieldRepetitionType`, persisted). */
export const ParquetRepetition = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
/** One of `ParquetRepetition`. */
export type ParquetRepetition = (typeof ParquetRepetition)[keyof typeof ParquetRepetition];
/** Converted (legacy) type ids used by Paimon (footer `ConvertedType`, persisted). */
export const ParquetConverted = {
  UTF8: 0, MAP: 1, MAP_KEY_VALUE: 2, LIST: 3, DECIMAL: 5, DATE: 6, TIME_MILLIS: 7, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10, INT_8: 15, INT_16: 16,
} as const;

/** A logical-type annotation (footer `LogicalType` union), reduced to what Paimon writes. */
export type ParquetLogicalType =
  | { readonly type: "STRING" | "MAP" | "LIST" | "DATE" }
  | { readonly type: "DECIMAL"; readonly scale: number; readonly precision: number }
  | { readonly type: "TIME" | "TIMESTAMP"; readonly adjustedToUtc: boolean; readonly unit: "MILLIS" | "MICROS" | "NANOS" }
  | { readonly type: "INTEGER"; readonly bitWidth: number; readonly signed: boolean };

/** One footer `SchemaElement`. Absent properties are not written. */
export interface ParquetSchemaElement {
  readonly name: string;
  readonly type?: ParquetPhysical;
  readonly typeLength?: number;
  readonly repetition?: ParquetRepetition;
  readonly numChildren?: number;
  readonly convertedType?: number;
  readonly scale?: number;
  readonly precision?: number;
  readonly fieldId?: number;
  readonly logicalType?: ParquetLogicalType;
}

const STRUCTURED_TYPE_FIELD_ID_BASE = Math.floor(2147483647 / 4);
const STRUCTURED_TYPE_FIELD_DEPTH_LIMIT = 1024;

/** Java `SpecialFields.getArrayElementFieldId` (also the MAP value id), int arithmetic. */
export function arrayElementFieldId(fieldId: number, depth: number): number {
  return (STRUCTURED_TYPE_FIELD_ID_BASE + Math.imul(fieldId, STRUCTURED_TYPE_FIELD_DEPTH_LIMIT) + depth) | 0;
}

/** Java `SpecialFields.getMapKeyFieldId`, int arithmetic. */
export function mapKeyFieldId(fieldId: number, depth: number): number {
  return (STRUCTURED_TYPE_FIELD_ID_BASE - Math.imul(fieldId, STRUCTURED_TYPE_FIELD_DEPTH_LIMIT) - depth) | 0;
}

/** Java `computeMinBytesForDecimalPrecision`: fewest bytes whose signed range holds 10^precision. */
export function decimalFixedLengthBytes(precision: number): number {
  let n = 1;
  while (2n ** BigInt(8 * n - 1) < 10n ** BigInt(precision)) n++;
  return n;
}

/** Physical type of a DECIMAL column: INT32 for p ≤ 9, INT64 for p ≤ 18, else FIXED_LEN_BYTE_ARRAY. */
export function decimalPhysicalType(precision: number): ParquetPhysical {
  return precision <= 9 ? ParquetPhysical.INT32 : precision <= 18 ? ParquetPhysical.INT64 : ParquetPhysical.FIXED_LEN_BYTE_ARRAY;
}

const INT32_MIN = -2147483648;

function repetitionOf(type: DataType): ParquetRepetition {
  return type.nullable ? ParquetRepetition.OPTIONAL : ParquetRepetition.REQUIRED;
}

function timestampElement(name: string, precision: number, adjustedToUtc: boolean, repetition: ParquetRepetition): ParquetSchemaElement {
  if (precision > 6) return { type: ParquetPhysical.INT96, repetition, name };
  const unit = precision <= 3 ? "MILLIS" : "MICROS";
  return {
    type: ParquetPhysical.INT64, repetition, name,
    convertedType: unit === "MILLIS" ? ParquetConverted.TIMESTAMP_MILLIS : ParquetConverted.TIMESTAMP_MICROS,
    logicalType: { type: "TIMESTAMP", adjustedToUtc, unit },
  };
}

/** Elements of one atomic column (one leaf), without its field id. */
function atomicElement(name: string, type: DataType): ParquetSchemaElement {
  const repetition = repetitionOf(type);
  switch (type.root) {
    case "CHAR": case "VARCHAR":
      return { type: ParquetPhysical.BYTE_ARRAY, repetition, name, convertedType: ParquetConverted.UTF8, logicalType: { type: "STRING" } };
    case "BOOLEAN": return { type: ParquetPhysical.BOOLEAN, repetition, name };
    case "BINARY": case "VARBINARY": case "BLOB": return { type: ParquetPhysical.BYTE_ARRAY, repetition, name };
    case "DECIMAL": {
      const precision = type.precision!, scale = type.scale!;
      const physical = decimalPhysicalType(precision);
      return {
        type: physical, ...(physical === ParquetPhysical.FIXED_LEN_BYTE_ARRAY ? { typeLength: decimalFixedLengthBytes(precision) } : {}),
        repetition, name, convertedType: ParquetConverted.DECIMAL, scale, precision, logicalType: { type: "DECIMAL", scale, precision },
      };
    }
    case "TINYINT": case "SMALLINT": {
      const bitWidth = type.root === "TINYINT" ? 8 : 16;
      return {
        type: ParquetPhysical.INT32, repetition, name, convertedType: bitWidth === 8 ? ParquetConverted.INT_8 : ParquetConverted.INT_16,
        logicalType: { type: "INTEGER", bitWidth, signed: true },
      };
    }
    case "INT": return { type: ParquetPhysical.INT32, repetition, name };
    case "BIGINT": return { type: ParquetPhysical.INT64, repetition, name };
    case "FLOAT": return { type: ParquetPhysical.FLOAT, repetition, name };
    case "DOUBLE": return { type: ParquetPhysical.DOUBLE, repetition, name };
    case "DATE": return { type: ParquetPhysical.INT32, repetition, name, convertedType: ParquetConverted.DATE, logicalType: { type: "DATE" } };
    case "TIME":
      return { type: ParquetPhysical.INT32, repetition, name, convertedType: ParquetConverted.TIME_MILLIS, logicalType: { type: "TIME", adjustedToUtc: true, unit: "MILLIS" } };
    case "TIMESTAMP": return timestampElement(name, type.precision!, false, repetition);
    case "TIMESTAMP_LTZ": return timestampElement(name, type.precision!, true, repetition);
    default: throw new LakeError("unsupported", `parquet schema: column ${name}: type ${describeType(type)} has no Parquet mapping`);
  }
}

/** Appends the elements of one column (Java `convertToParquetType(name, type, fieldId, depth)`), then sets `id` on its first element. */
function appendColumn(out: ParquetSchemaElement[], name: string, type: DataType, fieldId: number, depth: number, id: number): void {
  const start = out.length;
  const repetition = repetitionOf(type);
  switch (type.root) {
    case "ARRAY": case "VECTOR": {
      out.push({ repetition, name, numChildren: 1, convertedType: ParquetConverted.LIST, logicalType: { type: "LIST" } });
      out.push({ repetition: ParquetRepetition.REPEATED, name: "list", numChildren: 1 });
      appendColumn(out, "element", type.element, fieldId, depth + 1, arrayElementFieldId(fieldId, depth + 1));
      break;
    }
    case "MAP": case "MULTISET": {
      const keyType = type.root === "MAP" ? type.key : type.element;
      const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
      out.push({ repetition, name, numChildren: 1, convertedType: ParquetConverted.MAP, logicalType: { type: "MAP" } });
      out.push({ repetition: ParquetRepetition.REPEATED, name: "key_value", numChildren: 2, convertedType: ParquetConverted.MAP_KEY_VALUE });
      appendColumn(out, "key", keyType.nullable ? { ...keyType, nullable: false } : keyType, fieldId, depth + 1, mapKeyFieldId(fieldId, depth + 1));
      appendColumn(out, "value", valueType, fieldId, depth + 1, arrayElementFieldId(fieldId, depth + 1));
      break;
    }
    case "ROW":
      out.push({ repetition, name, numChildren: type.fields.length });
      for (const f of type.fields) appendColumn(out, f.name, f.type, f.id, 0, f.id);
      break;
    case "VARIANT":
      out.push({ repetition, name, numChildren: 2 });
      out.push({ type: ParquetPhysical.BYTE_ARRAY, repetition: ParquetRepetition.REQUIRED, name: "value", fieldId: 0 });
      out.push({ type: ParquetPhysical.BYTE_ARRAY, repetition: ParquetRepetition.REQUIRED, name: "metadata", fieldId: 1 });
      break;
    default:
      out.push(atomicElement(name, type));
  }
  out[start] = { ...out[start]!, fieldId: id };
}

/**
 * The footer schema Java Paimon writes for `fields` (root first). Throws
 * LakeError("unsupported") for types without a Parquet mapping.
 */
export function paimonParquetSchema(fields: readonly DataField[]): ParquetSchemaElement[] {
  const out: ParquetSchemaElement[] = [{ name: PAIMON_PARQUET_MESSAGE_NAME, numChildren: fields.length }];
  for (const f of fields) appendColumn(out, f.name, f.type, f.id, 0, f.id);
  return out;
}

const i32 = (value: number): ThriftValue => ({ kind: "i32", value });
const empty: ThriftValue = { kind: "struct", fields: [] };
const UNIT_ID = { MILLIS: 1, MICROS: 2, NANOS: 3 } as const;
const LOGICAL_ID = { STRING: 1, MAP: 2, LIST: 3, DECIMAL: 5, DATE: 6, TIME: 7, TIMESTAMP: 8, INTEGER: 10 } as const;

function logicalTypeToThrift(t: ParquetLogicalType): ThriftValue {
  let inner: ThriftValue;
  switch (t.type) {
    case "DECIMAL": inner = { kind: "struct", fields: [{ id: 1, value: i32(t.scale) }, { id: 2, value: i32(t.precision) }] }; break;
    case "TIME": case "TIMESTAMP":
      inner = { kind: "struct", fields: [
        { id: 1, value: { kind: "bool", value: t.adjustedToUtc } },
        { id: 2, value: { kind: "struct", fields: [{ id: UNIT_ID[t.unit], value: empty }] } },
      ] };
      break;
    case "INTEGER": inner = { kind: "struct", fields: [{ id: 1, value: { kind: "i8", value: t.bitWidth } }, { id: 2, value: { kind: "bool", value: t.signed } }] }; break;
    default: inner = empty;
  }
  return { kind: "struct", fields: [{ id: LOGICAL_ID[t.type], value: inner }] };
}

/** Thrift fields of one `SchemaElement`, in field-id order as parquet-mr writes them. */
export function schemaElementToThrift(e: ParquetSchemaElement): ThriftField[] {
  const f: ThriftField[] = [];
  if (e.type !== undefined) f.push({ id: 1, value: i32(e.type) });
  if (e.typeLength !== undefined) f.push({ id: 2, value: i32(e.typeLength) });
  if (e.repetition !== undefined) f.push({ id: 3, value: i32(e.repetition) });
  f.push({ id: 4, value: { kind: "binary", value: utf8Encode(e.name) } });
  if (e.numChildren !== undefined) f.push({ id: 5, value: i32(e.numChildren) });
  if (e.convertedType !== undefined) f.push({ id: 6, value: i32(e.convertedType) });
  if (e.scale !== undefined) f.push({ id: 7, value: i32(e.scale) });
  if (e.precision !== undefined) f.push({ id: 8, value: i32(e.precision) });
  if (e.fieldId !== undefined) {
    if (!Number.isInteger(e.fieldId) || e.fieldId < INT32_MIN || e.fieldId > 2147483647) throw new LakeError("invalid_argument", `parquet schema: field id ${e.fieldId} of ${e.name} is not an int32`);
    f.push({ id: 9, value: i32(e.fieldId) });
  }
  if (e.logicalType !== undefined) f.push({ id: 10, value: logicalTypeToThrift(e.logicalType) });
  return f;
}
