/**
 * `lakestate snapshots <table-dir>` and `lakestate files <table-dir>`: the `$snapshots` and
 * `$files` system tables, with Java's column names, column order, types and value texts.
 *
 * Columns (Java `SnapshotsTable.TABLE_TYPE`): snapshot_id, schema_id, commit_user,
 * commit_identifier, commit_kind, commit_time (TIMESTAMP(3), the commit instant as local wall
 * time like Java's `ZoneId.systemDefault()`), base_manifest_list, delta_manifest_list,
 * changelog_manifest_list, total_record_count, delta_record_count, changelog_record_count,
 * watermark, next_row_id, operation, writer_version. One row per snapshot file, oldest first.
 * Columns (Java `FilesTable.TABLE_TYPE`): partition (`{v1, v2}` with Paimon's cast-to-string
 * texts), bucket, file_path (the table directory as given + the file's path), file_format,
 * schema_id, level, record_count, file_size_in_bytes, min_key, max_key (`[k1, k2]` as Java's
 * `Arrays.toString` of the trimmed primary key; null for append tables), min_sequence_number,
 * max_sequence_number, creation_time (TIMESTAMP(3)), deleteRowCount (sic, as Java names it).
 * Deviations: `$files`' null_value_counts, min_value_stats, max_value_stats, file_source,
 * first_row_id and write_cols are not printed (`Table.files()` does not expose them yet); a
 * BINARY key value prints as base64 where Java prints a `[B@hash` object id.
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/SnapshotsTable.java
 * and https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/FilesTable.java
 * Imports: api (table, text_scalar), spec, cli helpers.
 */
import type { FileInfo } from "../api/table.ts";
import { base64Encode } from "../api/text_scalar.ts";
import { atomic, type DataField, type DataType, TYPE_LENGTH_MAX } from "../spec/data_types.ts";
import { localDateTimeText } from "../spec/java_datetime_text.ts";
import { javaDoubleToString, javaFloatToString } from "../spec/java_number_text.ts";
import { formatPartitionValue } from "../spec/partition_values.ts";
import { logicalPartitionType, logicalTrimmedPrimaryKeysType } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { decimalToString, isTimestamp, type Row, timestamp, type Timestamp, type Value } from "../spec/values.ts";
import {
  type CliHost, type CommandSpec, formatFlag, openCliTable, type ParsedArgs, snapshotFlag, tableDirArg,
} from "./cli_args.ts";
import { ROW_FORMATS, writeRows } from "./row_output.ts";

const STRING = atomic("VARCHAR", { length: TYPE_LENGTH_MAX });
const STRING_NOT_NULL = atomic("VARCHAR", { nullable: false, length: TYPE_LENGTH_MAX });
const BIGINT = atomic("BIGINT");
const BIGINT_NOT_NULL = atomic("BIGINT", { nullable: false });
const INT_NOT_NULL = atomic("INT", { nullable: false });
const TIMESTAMP_3 = atomic("TIMESTAMP", { precision: 3 });

function fieldsOf(columns: readonly (readonly [string, DataType])[]): DataField[] {
  return columns.map(([name, type], id) => ({ id, name, type }));
}

/** `$snapshots` columns, ids and types as Java's SnapshotsTable. */
export const SNAPSHOTS_FIELDS: readonly DataField[] = fieldsOf([
  ["snapshot_id", BIGINT_NOT_NULL], ["schema_id", BIGINT_NOT_NULL], ["commit_user", STRING_NOT_NULL],
  ["commit_identifier", BIGINT_NOT_NULL], ["commit_kind", STRING_NOT_NULL],
  ["commit_time", atomic("TIMESTAMP", { nullable: false, precision: 3 })], ["base_manifest_list", STRING_NOT_NULL],
  ["delta_manifest_list", STRING_NOT_NULL], ["changelog_manifest_list", STRING], ["total_record_count", BIGINT],
  ["delta_record_count", BIGINT], ["changelog_record_count", BIGINT], ["watermark", BIGINT], ["next_row_id", BIGINT],
  ["operation", STRING], ["writer_version", STRING],
]);

/** `$files` columns as Java's FilesTable, without the ones listed as deviations in the header. */
export const FILES_FIELDS: readonly DataField[] = fieldsOf([
  ["partition", STRING], ["bucket", INT_NOT_NULL], ["file_path", STRING_NOT_NULL], ["file_format", STRING_NOT_NULL],
  ["schema_id", BIGINT_NOT_NULL], ["level", INT_NOT_NULL], ["record_count", BIGINT_NOT_NULL],
  ["file_size_in_bytes", BIGINT_NOT_NULL], ["min_key", STRING], ["max_key", STRING],
  ["min_sequence_number", BIGINT], ["max_sequence_number", BIGINT], ["creation_time", TIMESTAMP_3],
  ["deleteRowCount", BIGINT],
]);

/**
 * The local wall time of an epoch-millisecond instant, as Java's
 * `LocalDateTime.ofInstant(instant, ZoneId.systemDefault())` (the runtime's time zone).
 */
export function localWallTime(epochMillis: bigint): Timestamp {
  const ms = Number(epochMillis);
  const offsetMs = Math.round(new Date(ms).getTimezoneOffset() * 60_000);
  return timestamp(ms - offsetMs);
}

/** One `$snapshots` row. */
export function snapshotRow(s: Snapshot): Row {
  return [
    s.id, s.schemaId, s.commitUser, s.commitIdentifier, s.commitKind, localWallTime(s.timeMillis),
    s.baseManifestList, s.deltaManifestList, s.changelogManifestList, s.totalRecordCount, s.deltaRecordCount,
    s.changelogRecordCount, s.watermark, s.nextRowId, s.operation, s.writerVersion,
  ];
}

/** Java `Object#toString` of a value in Paimon's internal form (keys in `$files`). */
export function javaObjectText(type: DataType, value: Value): string {
  if (value === null) return "null";
  switch (type.root) {
    case "FLOAT": return javaFloatToString(value as number);
    case "DOUBLE": return javaDoubleToString(value as number);
    case "DECIMAL": return decimalToString(value as bigint, type.scale ?? 0);
    case "BINARY": case "VARBINARY": return base64Encode(value as Uint8Array);
    default:
      if (isTimestamp(value)) return localDateTimeText(value);
      return String(value); // BOOLEAN, integers, DATE (epoch days) and TIME (millis) as Java ints, strings
  }
}

/** Paimon's cast of a partition row to STRING: `{v1, v2}`, `null` for null values. */
export function partitionText(fields: readonly DataField[], values: Record<string, Value>): string {
  const texts = fields.map((f) => formatPartitionValue(f.type, values[f.name] ?? null, { legacyName: false }) ?? "null");
  return `{${texts.join(", ")}}`;
}

/** One `$files` row; `tableDir` prefixes the file path as Java's absolute path would. */
export function fileRow(file: FileInfo, partitionFields: readonly DataField[], keyTypes: readonly DataType[], tableDir: string): Row {
  const keyText = (key: Value[]) => key.length === 0 ? null : `[${key.map((v, i) => javaObjectText(keyTypes[i]!, v)).join(", ")}]`;
  const dir = tableDir.replace(/\/+$/, "");
  return [
    partitionText(partitionFields, file.partition), file.bucket, `${dir === "" ? "" : dir + "/"}${file.filePath}`,
    file.fileFormat, file.schemaId, file.level, file.recordCount, file.fileSizeInBytes, keyText(file.minKey),
    keyText(file.maxKey), file.minSequenceNumber, file.maxSequenceNumber,
    file.creationTimeMillis === null ? null : timestamp(Number(file.creationTimeMillis)), file.deleteRowCount,
  ];
}

const FORMAT_HELP = "  --format F        table (default), ndjson (one JSON object per row) or csv";

/** The `snapshots` command. */
export const SNAPSHOTS_COMMAND: CommandSpec = {
  name: "snapshots",
  summary: "Print the $snapshots system table.",
  synopsis: "lakestate snapshots <table-dir> [--format table|ndjson|csv]",
  help: `Print the $snapshots system table: one row per snapshot, oldest first, with Java's columns
(snapshot_id, schema_id, commit_user, commit_identifier, commit_kind, commit_time in local time,
manifest lists, record counts, watermark...).
${FORMAT_HELP}`,
  flags: { format: "value" },
  run: async (args: ParsedArgs, host: CliHost) => {
    const dir = tableDirArg(args, SNAPSHOTS_COMMAND);
    const format = formatFlag(args, ROW_FORMATS, "table", SNAPSHOTS_COMMAND);
    const table = await openCliTable(host, dir);
    await writeRows(host, SNAPSHOTS_FIELDS, (await table.snapshots()).map(snapshotRow), format);
  },
};

/** The `files` command. */
export const FILES_COMMAND: CommandSpec = {
  name: "files",
  summary: "Print the $files system table: the live data files of a snapshot.",
  synopsis: "lakestate files <table-dir> [--snapshot N] [--format table|ndjson|csv]",
  help: `Print the $files system table: the live data files of a snapshot (partition, bucket, path,
format, schema id, level, record count, size, key range, sequence numbers, creation time...).
  --snapshot N      files of snapshot N (default: the latest)
${FORMAT_HELP}`,
  flags: { snapshot: "value", format: "value" },
  run: async (args: ParsedArgs, host: CliHost) => {
    const dir = tableDirArg(args, FILES_COMMAND);
    const snapshotId = snapshotFlag(args, FILES_COMMAND);
    const format = formatFlag(args, ROW_FORMATS, "table", FILES_COMMAND);
    const table = await openCliTable(host, dir);
    const files = await table.files(snapshotId === undefined ? {} : { snapshotId });
    const partitionFields = logicalPartitionType(table.schema).fields;
    const keyTypes = logicalTrimmedPrimaryKeysType(table.schema).fields.map((f) => f.type);
    await writeRows(host, FILES_FIELDS, files.map((f) => fileRow(f, partitionFields, keyTypes, dir)), format);
  },
};
