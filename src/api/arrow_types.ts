/**
 * Paimon data type → Apache Arrow type mapping: the schema half of the Arrow conversions.
 *
 * | Paimon                    | Arrow                                                             |
 * |---------------------------|-------------------------------------------------------------------|
 * | BOOLEAN                   | Bool                                                              |
 * | TINYINT/SMALLINT/INT      | Int8 / Int16 / Int32                                              |
 * | BIGINT                    | Int64 (bigint values)                                             |
 * | FLOAT / DOUBLE            | Float32 / Float64                                                 |
 * | DATE                      | DateDay                                                           |
 * | TIME(p), every p          | TimeMillisecond: the value model holds milliseconds of the day     |
 * | TIMESTAMP(p)              | Timestamp, unit by p: 0 SECOND, 1-3 MILLI, 4-6 MICRO, 7-9 NANO; no zone |
 * | TIMESTAMP_LTZ(p)          | the same unit, timezone "UTC"                                     |
 * | DECIMAL(p, s)             | Decimal(scale s, precision p, 128 bits)                           |
 * | CHAR / VARCHAR            | Utf8 (never a dictionary)                                         |
 * | BINARY / VARBINARY        | Binary                                                            |
 * | ARRAY<T>                  | List, child field "element"                                       |
 * | VECTOR<T, n>              | FixedSizeList(n), child field "element"                           |
 * | MAP<K, V>                 | Map_ with entries struct {key (not null), value}                  |
 * | MULTISET<T>               | Map_ {key T (not null), value Int32 not null}: element → count    |
 * | ROW<...>                  | Struct, one child per field                                       |
 * | VARIANT, BLOB             | LakeError("unsupported") (Java's paimon-arrow rejects them too)   |
 *
 * The timestamp units and TIME as milliseconds follow Java `ArrowFieldTypeConversion`; unlike
 * Java, TIMESTAMP_LTZ is tagged "UTC" (not the JVM default zone) because the value is a UTC
 * instant, and a MAP's value child keeps the Paimon nullability (Arrow forbids only null keys).
 * Field nullability is the Paimon type's. Every field that carries a Paimon field id (top-level
 * columns and ROW fields) gets metadata `paimon.field.id` (the id, decimal; the key paimon-cpp
 * uses) and `paimon.type` (`describeType`, which for atomic types is the schema JSON spelling).
 * https://github.com/apache/paimon/blob/master/paimon-arrow/src/main/java/org/apache/paimon/arrow/ArrowFieldTypeConversion.java
 *
 * Imports: apache-arrow, errors.ts, spec/data_types.ts.
 */
import {
  Binary, Bool, DateDay, Decimal, Field, FixedSizeList, Float32, Float64, Int16, Int32, Int64, Int8,
  List, Map_, Schema, Struct, TimeMillisecond, TimestampMicrosecond, TimestampMillisecond,
  TimestampNanosecond, TimestampSecond, Utf8,
} from "apache-arrow";
import type { DataType as ArrowType } from "apache-arrow";
import { LakeError } from "../errors.ts";
import { describeType } from "../spec/data_types.ts";
import type { DataField, DataType } from "../spec/data_types.ts";

/** Arrow field metadata key holding the Paimon field id (decimal text). */
export const ARROW_FIELD_ID_KEY = "paimon.field.id";
/** Arrow field metadata key holding the Paimon type (`describeType` spelling). */
export const ARROW_PAIMON_TYPE_KEY = "paimon.type";
/** Name of the child field of ARRAY and VECTOR lists. */
export const ARROW_LIST_ELEMENT_NAME = "element";
/** Timezone of TIMESTAMP_LTZ columns. */
export const ARROW_LTZ_TIMEZONE = "UTC";

/** Arrow timestamp units as decimal digits of a second: SECOND 0, MILLI 3, MICRO 6, NANO 9. */
export type TimestampUnitDigits = 0 | 3 | 6 | 9;

/** Digits of the Arrow timestamp unit used for TIMESTAMP(p): 0 → 0, 1-3 → 3, 4-6 → 6, 7-9 → 9. */
export function timestampUnitDigits(precision: number): TimestampUnitDigits {
  if (precision === 0) return 0;
  if (precision <= 3) return 3;
  if (precision <= 6) return 6;
  return 9;
}

function timestampArrowType(precision: number, timezone: string | null): ArrowType {
  switch (timestampUnitDigits(precision)) {
    case 0: return new TimestampSecond(timezone);
    case 3: return new TimestampMillisecond(timezone);
    case 6: return new TimestampMicrosecond(timezone);
    default: return new TimestampNanosecond(timezone);
  }
}

/**
 * The Arrow type of a Paimon type (see the table in the header). Nullability is not part of an
 * Arrow type; `arrowFieldOf` carries it.
 * Throws LakeError("unsupported") for VARIANT and BLOB.
 */
export function arrowTypeOf(type: DataType): ArrowType {
  switch (type.root) {
    case "BOOLEAN": return new Bool();
    case "TINYINT": return new Int8();
    case "SMALLINT": return new Int16();
    case "INT": return new Int32();
    case "BIGINT": return new Int64();
    case "FLOAT": return new Float32();
    case "DOUBLE": return new Float64();
    case "DATE": return new DateDay();
    case "TIME": return new TimeMillisecond();
    case "TIMESTAMP": return timestampArrowType(type.precision ?? 6, null);
    case "TIMESTAMP_LTZ": return timestampArrowType(type.precision ?? 6, ARROW_LTZ_TIMEZONE);
    case "DECIMAL": return new Decimal(type.scale ?? 0, type.precision ?? 10, 128);
    case "CHAR": case "VARCHAR": return new Utf8();
    case "BINARY": case "VARBINARY": return new Binary();
    case "ARRAY": return new List(childField(ARROW_LIST_ELEMENT_NAME, type.element));
    case "VECTOR": return new FixedSizeList(type.length, childField(ARROW_LIST_ELEMENT_NAME, type.element));
    case "MAP": return mapArrowType(type.key, arrowTypeOf(type.value), type.value.nullable);
    case "MULTISET": return mapArrowType(type.element, new Int32(), false);
    case "ROW": return new Struct(type.fields.map(arrowFieldOf));
    case "VARIANT": case "BLOB":
      throw new LakeError("unsupported", `arrow: Paimon type ${type.root} has no Arrow mapping (Java's paimon-arrow rejects it too)`);
  }
}

function mapArrowType(key: DataType, value: ArrowType, valueNullable: boolean): Map_ {
  const entries = new Struct([new Field("key", arrowTypeOf(key), false), new Field("value", value, valueNullable)]);
  return new Map_(new Field("entries", entries, false), false);
}

function childField(name: string, type: DataType): Field {
  return new Field(name, arrowTypeOf(type), type.nullable);
}

/** The Arrow field of a Paimon field: same name, nullability, and id/type metadata. */
export function arrowFieldOf(field: DataField): Field {
  const metadata = new Map<string, string>([
    [ARROW_FIELD_ID_KEY, String(field.id)],
    [ARROW_PAIMON_TYPE_KEY, describeType(field.type)],
  ]);
  return new Field(field.name, arrowTypeOf(field.type), field.type.nullable, metadata);
}

/**
 * The Arrow schema of a Paimon row type: one field per Paimon field, in order.
 * Throws LakeError("unsupported") when a field (or a nested one) is VARIANT or BLOB.
 */
export function arrowSchemaOf(fields: readonly DataField[]): Schema {
  return new Schema(fields.map(arrowFieldOf));
}
