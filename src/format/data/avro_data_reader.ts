/**
 * Reads columns of one Paimon Avro data file (`file.format = avro`) into Paimon values.
 *
 * File layout: an Avro object container (see src/format/avro/container.ts) whose writer schema
 * is the record `org.apache.paimon.avro.generated.record` with one field per column, nullable
 * columns as `["null", T]` unions. Paimon's type mapping (`AvroSchemaConverter`): TINYINT,
 * SMALLINT, INT → int; BIGINT → long; FLOAT/DOUBLE; CHAR/VARCHAR → string; BINARY/VARBINARY/BLOB
 * → bytes; DECIMAL → bytes with logical type decimal (unscaled, big-endian two's complement);
 * DATE → int date; TIME → int time-millis; TIMESTAMP(≤3/≤6) → long timestamp-millis/-micros;
 * TIMESTAMP_LTZ → long local-timestamp-millis/-micros; ARRAY → array; MAP with string keys →
 * map, other keys → array of {key, value} records; ROW → record.
 *
 * How: only the requested fields are decoded (a projecting reader schema lets the resolving
 * decoder skip the others); records are consumed block by block into per-column arrays.
 * Timestamps are read by their logical type, as Java's `FieldReaderFactory` does (no precision
 * reduction); a long without one is read by the declared precision (≤3 millis, else micros).
 *
 * Invariants: columns are matched by name, exactly first, then by a unique case-insensitive
 * match; missing columns come back undefined. Damaged files fail with LakeError("corruption")
 * naming the file.
 *
 * Mirrors `org.apache.paimon.format.avro.AvroSchemaConverter` and `FieldReaderFactory`:
 * https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/avro/FieldReaderFactory.java
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts, format/avro/*,
 * physical_values.ts, data_batch.ts (types only).
 */
import { LakeError } from "../../errors.ts";
import { utf8Decode, utf8Encode } from "../../util/bytes.ts";
import { describeType, type DataField, type DataType } from "../../spec/data_types.ts";
import { timestampFromEpochNanos, type Value } from "../../spec/values.ts";
import type { AvroRecordValue, AvroValue } from "../avro/binary.ts";
import { decodeAvroBlock, readAvroContainerBlocks, readAvroContainerHeader } from "../avro/container.ts";
import { compileResolvingDecoder } from "../avro/resolve.ts";
import type { AvroField, AvroRecordSchema, AvroSchema } from "../avro/schema.ts";
import { decimalFromBigEndian, timestampFromMillisBig } from "./physical_values.ts";
import type { FileColumnRequest, FileColumns, RangeReader } from "./data_batch.ts";

type Converter = (raw: AvroValue) => Value;

function unsupported(column: string, schema: AvroSchema, type: DataType): LakeError {
  const logical = "logicalType" in schema && schema.logicalType !== undefined ? ` (${schema.logicalType})` : "";
  return new LakeError("unsupported", `avro data file: column ${column}: cannot read Avro ${schema.type}${logical} as ${describeType(type)}`);
}

function corrupt(column: string, why: string): LakeError {
  return new LakeError("corruption", `avro data file: column ${column}: ${why}`);
}

/** The single non-null branch of a `["null", T]` union, or the schema itself. */
function nonNullSchema(schema: AvroSchema, column: string, type: DataType): AvroSchema {
  if (schema.type !== "union") return schema;
  const branches = schema.branches.filter((b) => b.type !== "null");
  if (branches.length !== 1) throw unsupported(column, schema, type);
  return branches[0]!;
}

/** Finds the record field matching `name`: exact first, then one case-insensitive match. */
function matchAvroField(fields: readonly AvroField[], name: string, where: string): AvroField | undefined {
  const exact = fields.find((f) => f.name === name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  const matches = fields.filter((f) => f.name.toLowerCase() === lower);
  if (matches.length > 1) throw new LakeError("corruption", `avro data file: ${where}: field ${JSON.stringify(name)} matches ${matches.map((m) => JSON.stringify(m.name)).join(", ")} case-insensitively`);
  return matches[0];
}

function timestampConverter(s: AvroSchema, precision: number, column: string, type: DataType): Converter {
  if (s.type === "int") return (raw) => ({ epochMillis: raw as number, nanoOfMillisecond: 0 });
  if (s.type !== "long") throw unsupported(column, s, type);
  const logical = s.logicalType ?? (precision <= 3 ? "timestamp-millis" : "timestamp-micros");
  switch (logical) {
    case "timestamp-millis": case "local-timestamp-millis":
      return (raw) => timestampFromMillisBig(raw as bigint);
    case "timestamp-micros": case "local-timestamp-micros":
      return (raw) => timestampFromEpochNanos((raw as bigint) * 1000n);
    case "timestamp-nanos": case "local-timestamp-nanos":
      return (raw) => timestampFromEpochNanos(raw as bigint);
    default:
      throw unsupported(column, s, type);
  }
}

function rowConverter(s: AvroSchema, fields: readonly DataField[], column: string, type: DataType): Converter {
  if (s.type !== "record" && s.type !== "error") throw unsupported(column, s, type);
  const parts = fields.map((f) => {
    const field = matchAvroField(s.fields, f.name, column);
    return field === undefined ? null : { name: field.name, convert: compileAvroConverter(field.type, f.type, `${column}.${f.name}`) };
  });
  return (raw) => {
    const record = raw as AvroRecordValue;
    return parts.map((p) => {
      if (p === null) return null;
      const v = record[p.name];
      return v === null || v === undefined ? null : p.convert(v);
    });
  };
}

function mapConverter(s: AvroSchema, keyType: DataType, valueType: DataType, column: string, type: DataType): Converter {
  if (s.type === "map") {
    const convertKey = compileAvroConverter({ type: "string" }, keyType, `${column}.key`);
    const convertValue = compileAvroConverter(s.values, valueType, `${column}.value`);
    return (raw) => [...(raw as Map<string, AvroValue>)].map(([k, v]) => [convertKey(k), v === null ? null : convertValue(v)] as const);
  }
  // Non-string keys: an array of {key, value} records.
  if (s.type !== "array") throw unsupported(column, s, type);
  const entry = nonNullSchema(s.items, column, type);
  if (entry.type !== "record") throw unsupported(column, s, type);
  const keyField = entry.fields.find((f) => f.name === "key");
  const valueField = entry.fields.find((f) => f.name === "value");
  if (keyField === undefined || valueField === undefined) throw unsupported(column, s, type);
  const convertKey = compileAvroConverter(keyField.type, keyType, `${column}.key`);
  const convertValue = compileAvroConverter(valueField.type, valueType, `${column}.value`);
  return (raw) => (raw as AvroRecordValue[]).map((e) => {
    const k = e.key ?? null, v = e.value ?? null;
    return [k === null ? null : convertKey(k), v === null ? null : convertValue(v)] as const;
  });
}

/**
 * Compiles the converter of one non-null Avro value written as `schema` to Paimon `type`.
 * Throws LakeError("unsupported") when the pair does not match Paimon's mapping.
 */
export function compileAvroConverter(schema: AvroSchema, type: DataType, column: string): Converter {
  const s = nonNullSchema(schema, column, type);
  const fail = (): never => { throw unsupported(column, s, type); };
  switch (type.root) {
    case "BOOLEAN": return s.type === "boolean" ? (raw) => raw as boolean : fail();
    case "TINYINT": return s.type === "int" ? (raw) => ((raw as number) << 24) >> 24 : fail();
    case "SMALLINT": return s.type === "int" ? (raw) => ((raw as number) << 16) >> 16 : fail();
    case "INT": case "DATE": case "TIME": return s.type === "int" ? (raw) => raw as number : fail();
    case "BIGINT":
      if (s.type === "long") return (raw) => raw as bigint;
      return s.type === "int" ? (raw) => BigInt(raw as number) : fail();
    case "FLOAT": return s.type === "float" ? (raw) => raw as number : s.type === "double" ? (raw) => Math.fround(raw as number) : fail();
    case "DOUBLE": return s.type === "double" || s.type === "float" ? (raw) => raw as number : fail();
    case "CHAR": case "VARCHAR":
      if (s.type === "string") return (raw) => raw as string;
      return s.type === "bytes" ? (raw) => {
        try { return utf8Decode(raw as Uint8Array); } catch (error) { throw new LakeError("corruption", `avro data file: column ${column}: invalid UTF-8`, { cause: error }); }
      } : fail();
    case "BINARY": case "VARBINARY": case "BLOB":
      if (s.type === "bytes" || s.type === "fixed") return (raw) => (raw as Uint8Array).slice();
      return s.type === "string" ? (raw) => utf8Encode(raw as string) : fail();
    case "DECIMAL":
      if (s.type === "bytes" || s.type === "fixed") return (raw) => decimalFromBigEndian(raw as Uint8Array);
      if (s.type === "long") return (raw) => raw as bigint;
      return s.type === "int" ? (raw) => BigInt(raw as number) : fail();
    case "TIMESTAMP": case "TIMESTAMP_LTZ":
      return timestampConverter(s, type.precision!, column, type);
    case "ARRAY": case "VECTOR": {
      if (s.type !== "array") return fail();
      const convert = compileAvroConverter(s.items, type.element, `${column}[]`);
      return (raw) => (raw as AvroValue[]).map((v) => (v === null ? null : convert(v)));
    }
    case "MAP": return mapConverter(s, type.key, type.value, column, type);
    case "MULTISET": return mapConverter(s, type.element, { root: "INT", nullable: false }, column, type);
    case "ROW": return rowConverter(s, type.fields, column, type);
    default: return fail();
  }
}

function topRecord(schema: AvroSchema, fileName: string): AvroRecordSchema {
  const s = schema.type === "union" ? schema.branches.find((b) => b.type === "record") : schema;
  if (s === undefined || s.type !== "record") throw new LakeError("corruption", `avro data file: file ${fileName}: writer schema is not a record`);
  return s;
}

/**
 * Reads the requested columns of an Avro data file, in memory or through `source` (same contract as
 * `readParquetColumns`: undefined for columns the file does not have).
 * Throws LakeError("corruption") for damaged files, ("unsupported") for types or codecs we
 * cannot read.
 */
export async function readAvroColumns(
  source: Uint8Array | RangeReader,
  requests: readonly FileColumnRequest[],
  options: { readonly fileName: string },
): Promise<FileColumns> {
  const { fileName } = options;
  const rename = (error: unknown): never => {
    if (error instanceof LakeError) throw new LakeError(error.code === "invalid_argument" ? "corruption" : error.code, `${error.message} (file ${fileName})`, { cause: error });
    throw new LakeError("corruption", `avro data file: file ${fileName}: ${(error as Error).message}`, { cause: error });
  };
  // Avro has no column chunks: the whole file is needed.
  const bytes = source instanceof Uint8Array ? source : await source.read(0, source.sizeBytes);
  try {
    const header = readAvroContainerHeader(bytes);
    const record = topRecord(header.schema, fileName);
    const matched = requests.map((r) => matchAvroField(record.fields, r.name, `file ${fileName}`));
    const fields = [...new Set(matched.filter((f) => f !== undefined))];
    const projected: AvroRecordSchema = { type: "record", name: record.name, fields };
    const readerSchema: AvroSchema = header.schema.type === "union"
      ? { type: "union", branches: header.schema.branches.map((b) => (b === record ? projected : b)) }
      : projected;
    const decode = compileResolvingDecoder(header.schema, readerSchema);
    const converters = requests.map((r, i) => (matched[i] === undefined ? null : compileAvroConverter(matched[i]!.type, r.type, matched[i]!.name)));
    const columns: (Value[] | undefined)[] = requests.map((_, i) => (matched[i] === undefined ? undefined : []));
    let rowCount = 0;
    const records: AvroValue[] = [];
    for await (const block of readAvroContainerBlocks(bytes, header)) {
      records.length = 0;
      decodeAvroBlock(block, decode, records);
      for (const rec of records) {
        if (rec === null) throw corrupt("(record)", "null top-level record");
        const row = rec as AvroRecordValue;
        for (let c = 0; c < requests.length; c++) {
          const convert = converters[c];
          if (convert === null || convert === undefined) continue;
          const v = row[matched[c]!.name];
          columns[c]!.push(v === null || v === undefined ? null : convert(v));
        }
      }
      rowCount += records.length;
    }
    return { rowCount, columns };
  } catch (error) {
    return rename(error);
  }
}
