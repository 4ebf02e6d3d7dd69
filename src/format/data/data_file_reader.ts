/**
 * Reads one Paimon data file (bytes in memory or a RangeReader) into a DataBatch in the table's
 * current schema: picks the format reader by file extension, maps the requested columns to the
 * file's columns by field id, and casts values written with an older column type to the current
 * one.
 *
 * Schema evolution (Java `SchemaEvolutionUtil`): a data file stores the column names of the
 * schema it was written with (`_SCHEMA_ID`, passed as `fileSchema`). For each requested field of
 * `readSchema` the file field with the same id is read under its file name and cast from its
 * file type to the read type (value_cast.ts); a field with no such id (added later) is all NULL.
 * A file field the file lacks physically is NULL too (Java fills it with null and logs).
 *
 * Primary-key files (`primaryKey: true`): `_SEQUENCE_NUMBER` and `_VALUE_KIND` are required;
 * the key columns are taken from the value columns of the trimmed primary keys, mapped by field
 * id like any column. That is what Java ≥ 1.0 does (`FormatReaderMapping.trimKeyFields` maps
 * every `_KEY_<k>` to the value field of the same id) and it works for `data-file.thin-mode`
 * files, which have no `_KEY_` columns; the `_KEY_` columns of other files hold the same values.
 *
 * Invariants: the batch has one column per requested field, each `rowCount` long; row kinds
 * are 0..3. Errors: LakeError("invalid_argument") for bad options, ("unsupported") for ORC files,
 * unknown formats, types or casts we cannot read, ("corruption") for damaged files; messages
 * name the file.
 *
 * Mirrors `org.apache.paimon.io.KeyValueFileReaderFactory` / `DataFileRecordReader` with
 * `org.apache.paimon.utils.FormatReaderMapping`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/FormatReaderMapping.java
 *
 * Imports: errors.ts, spec/schema.ts, spec/data_types.ts, spec/values.ts, spec/row_kind.ts,
 * data_batch.ts, parquet_reader.ts, avro_data_reader.ts, value_cast.ts.
 */
import { LakeError } from "../../errors.ts";
import { atomic, type DataField } from "../../spec/data_types.ts";
import { rowKindFromByte } from "../../spec/row_kind.ts";
import { trimmedPrimaryKeys, type TableSchema } from "../../spec/schema.ts";
import type { Value } from "../../spec/values.ts";
import { readAvroColumns } from "./avro_data_reader.ts";
import type { DataBatch, FileColumnRequest, FileColumns, RangeReader } from "./data_batch.ts";
import { readParquetColumns } from "./parquet_reader.ts";
import { compileValueCast } from "./value_cast.ts";

/** Column name of the sequence number in primary-key data files (persisted). */
export const SEQUENCE_NUMBER_COLUMN = "_SEQUENCE_NUMBER";
/** Column name of the row kind byte in primary-key data files (persisted). */
export const VALUE_KIND_COLUMN = "_VALUE_KIND";

/** Data file formats, as named by the `file.format` option and the file extension. */
export type DataFileFormat = "parquet" | "avro" | "orc";

/** Options of `readDataFile`. */
export interface ReadDataFileOptions {
  /** File name (or path); its extension picks the format, and messages name it. */
  readonly fileName: string;
  /** The schema the file was written with (`schema-<_SCHEMA_ID>`). */
  readonly fileSchema: TableSchema;
  /** The schema to read into (usually the table's current schema). */
  readonly readSchema: TableSchema;
  /** Field ids of `readSchema` to return, in this order; default all its fields. */
  readonly readFieldIds?: readonly number[];
  /** True for files of primary-key tables: also return sequence numbers, row kinds and keys. */
  readonly primaryKey: boolean;
}

const PARQUET_HEAD = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const AVRO_HEAD = [0x4f, 0x62, 0x6a, 0x01]; // "Obj\x01"
const ORC_HEAD = [0x4f, 0x52, 0x43]; // "ORC"

function startsWith(bytes: Uint8Array, head: readonly number[]): boolean {
  return bytes.length >= head.length && head.every((b, i) => bytes[i] === b);
}

/**
 * The format of a data file: from its extension (`.parquet`, `.avro`, `.orc`), else from its
 * leading magic bytes `head` (at least 4 bytes of the file start). Throws
 * LakeError("unsupported") when neither tells.
 */
export function dataFileFormatOf(fileName: string, head: Uint8Array): DataFileFormat {
  const m = /\.(parquet|avro|orc)$/i.exec(fileName);
  if (m) return m[1]!.toLowerCase() as DataFileFormat;
  if (startsWith(head, PARQUET_HEAD)) return "parquet";
  if (startsWith(head, AVRO_HEAD)) return "avro";
  if (startsWith(head, ORC_HEAD)) return "orc";
  throw new LakeError("unsupported", `data file: cannot tell the format of ${fileName} (expected a .parquet, .avro or .orc file)`);
}

async function formatOf(fileName: string, source: Uint8Array | RangeReader): Promise<DataFileFormat> {
  if (source instanceof Uint8Array || /\.(parquet|avro|orc)$/i.test(fileName)) return dataFileFormatOf(fileName, source instanceof Uint8Array ? source : new Uint8Array(0));
  return dataFileFormatOf(fileName, await source.read(0, Math.min(4, source.sizeBytes)));
}

function readColumns(format: DataFileFormat, source: Uint8Array | RangeReader, requests: readonly FileColumnRequest[], fileName: string): Promise<FileColumns> {
  switch (format) {
    case "parquet": return readParquetColumns(source, requests, { fileName });
    case "avro": return readAvroColumns(source, requests, { fileName });
    case "orc": throw new LakeError("unsupported", `data file: ${fileName}: ORC data files are not supported yet (file.format = orc); rewrite the table as Parquet or Avro`);
  }
}

/** Collects file column requests, one per distinct file name. */
class RequestList {
  readonly requests: FileColumnRequest[] = [];
  private readonly byName = new Map<string, number>();

  add(request: FileColumnRequest): number {
    const known = this.byName.get(request.name);
    if (known !== undefined) return known;
    this.byName.set(request.name, this.requests.length);
    this.requests.push(request);
    return this.requests.length - 1;
  }
}

/** How one output column is produced: from a file column (with a cast), or all NULL. */
interface ColumnPlan {
  readonly field: DataField;
  readonly fileField: DataField | undefined;
  readonly request: number;
}

function planColumn(field: DataField, fileSchema: TableSchema, list: RequestList): ColumnPlan {
  const fileField = fileSchema.fields.find((f) => f.id === field.id);
  return { field, fileField, request: fileField === undefined ? -1 : list.add({ name: fileField.name, type: fileField.type }) };
}

function buildColumn(plan: ColumnPlan, read: FileColumns, fileName: string): Value[] {
  const values = plan.request < 0 ? undefined : read.columns[plan.request];
  if (values === undefined || plan.fileField === undefined) return new Array<Value>(read.rowCount).fill(null);
  const cast = compileValueCast(plan.fileField.type, plan.field.type, `column ${plan.field.name} of ${fileName}`);
  if (cast === null) return values;
  const out = new Array<Value>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = v === null ? null : cast(v);
  }
  return out;
}

function readFields(schema: TableSchema, ids: readonly number[] | undefined): DataField[] {
  if (ids === undefined) return [...schema.fields];
  return ids.map((id) => {
    const f = schema.fields.find((x) => x.id === id);
    if (f === undefined) throw new LakeError("invalid_argument", `data file: read field id ${id} is not a field of schema ${schema.id} (ids ${schema.fields.map((x) => x.id).join(", ")})`);
    return f;
  });
}

function systemColumn(read: FileColumns, index: number, name: string, fileName: string): Value[] {
  const values = read.columns[index];
  if (values === undefined) throw new LakeError("corruption", `data file: ${fileName} has no ${name} column, which every primary-key data file has`);
  return values;
}

function sequenceNumbersOf(values: readonly Value[], fileName: string): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "bigint") throw new LakeError("corruption", `data file: ${fileName}: ${SEQUENCE_NUMBER_COLUMN} of row ${i} is ${v === null ? "null" : typeof v}`);
    out[i] = v;
  }
  return out;
}

function rowKindsOf(values: readonly Value[], fileName: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw new LakeError("corruption", `data file: ${fileName}: ${VALUE_KIND_COLUMN} of row ${i} is ${v === null ? "null" : typeof v}`);
    try {
      out[i] = rowKindFromByte(v);
    } catch (error) {
      throw new LakeError("corruption", `data file: ${fileName}: row ${i}: ${(error as Error).message}`, { cause: error });
    }
  }
  return out;
}

function keyFields(readSchema: TableSchema, fileName: string): DataField[] {
  const names = trimmedPrimaryKeys(readSchema);
  if (names.length === 0) throw new LakeError("invalid_argument", `data file: ${fileName} is read as a primary-key file, but schema ${readSchema.id} has no primary key`);
  return names.map((n) => readSchema.fields.find((f) => f.name === n)!);
}

/**
 * Reads a data file into a DataBatch in `readSchema` (see the file header). `source` is the
 * whole file in memory, or a RangeReader: then Parquet files fetch only their footer and the
 * column chunks needed (Avro files are read whole).
 * Requires: `fileSchema` is the schema with the file's `_SCHEMA_ID`. Does not apply deletion
 * vectors, filters or merging. Errors of `source.read` keep their code.
 */
export async function readDataFile(source: Uint8Array | RangeReader, options: ReadDataFileOptions): Promise<DataBatch> {
  const { fileName, fileSchema, readSchema, primaryKey } = options;
  const format = await formatOf(fileName, source);
  const fields = readFields(readSchema, options.readFieldIds);
  const list = new RequestList();
  const plans = fields.map((f) => planColumn(f, fileSchema, list));
  let keyPlans: ColumnPlan[] | null = null;
  let sequenceIndex = -1, kindIndex = -1;
  if (primaryKey) {
    keyPlans = keyFields(readSchema, fileName).map((f) => {
      const plan = planColumn(f, fileSchema, list);
      if (plan.fileField === undefined) throw new LakeError("corruption", `data file: ${fileName}: primary key ${f.name} (field id ${f.id}) is not in the file's schema ${fileSchema.id}`);
      return plan;
    });
    sequenceIndex = list.add({ name: SEQUENCE_NUMBER_COLUMN, type: atomic("BIGINT", { nullable: false }) });
    kindIndex = list.add({ name: VALUE_KIND_COLUMN, type: atomic("TINYINT", { nullable: false }) });
  }
  const read = await readColumns(format, source, list.requests, fileName);
  const columns = plans.map((p) => buildColumn(p, read, fileName));
  if (keyPlans === null) {
    return { rowCount: read.rowCount, fields, columns, sequenceNumbers: null, rowKinds: null, keys: null };
  }
  const keys = keyPlans.map((p) => {
    if (read.columns[p.request] === undefined) throw new LakeError("corruption", `data file: ${fileName} has no column ${p.fileField!.name} for primary key ${p.field.name}`);
    return buildColumn(p, read, fileName);
  });
  return {
    rowCount: read.rowCount,
    fields,
    columns,
    sequenceNumbers: sequenceNumbersOf(systemColumn(read, sequenceIndex, SEQUENCE_NUMBER_COLUMN, fileName), fileName),
    rowKinds: rowKindsOf(systemColumn(read, kindIndex, VALUE_KIND_COLUMN, fileName), fileName),
    keys,
  };
}
