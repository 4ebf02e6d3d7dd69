/**
 * `lakestate manifests <table-dir>`: the `$manifests` system table, with Java's column names,
 * order, types and value texts: file_name, file_size, num_added_files, num_deleted_files,
 * schema_id, min_partition_stats and max_partition_stats (the partition row cast to STRING,
 * `{v1, v2}`), min_row_id, max_row_id. One row per manifest of the snapshot's base, delta and
 * changelog lists, in that order (`Table.manifests`).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/ManifestsTable.java
 * Imports: api/table.ts (types), spec, cli helpers.
 */
import type { ManifestInfo } from "../api/table.ts";
import { atomic, type DataField, TYPE_LENGTH_MAX } from "../spec/data_types.ts";
import { logicalPartitionType } from "../spec/schema.ts";
import type { Row } from "../spec/values.ts";
import { type CliHost, type CommandSpec, formatFlag, openCliTable, type ParsedArgs, snapshotFlag, tableDirArg } from "./cli_args.ts";
import { ROW_FORMATS, writeRows } from "./row_output.ts";
import { partitionText } from "./system_tables.ts";

const STRING = atomic("VARCHAR", { length: TYPE_LENGTH_MAX });
const BIGINT_NOT_NULL = atomic("BIGINT", { nullable: false });

/** `$manifests` columns, ids and types as Java's ManifestsTable. */
export const MANIFESTS_FIELDS: readonly DataField[] = ([
  ["file_name", atomic("VARCHAR", { nullable: false, length: TYPE_LENGTH_MAX })], ["file_size", BIGINT_NOT_NULL],
  ["num_added_files", BIGINT_NOT_NULL], ["num_deleted_files", BIGINT_NOT_NULL], ["schema_id", BIGINT_NOT_NULL],
  ["min_partition_stats", STRING], ["max_partition_stats", STRING], ["min_row_id", atomic("BIGINT")], ["max_row_id", atomic("BIGINT")],
] as const).map(([name, type], id) => ({ id, name, type }));

/** One `$manifests` row; partition bounds as Paimon's cast of the partition row to STRING. */
export function manifestRow(m: ManifestInfo, partitionFields: readonly DataField[]): Row {
  const text = (values: ManifestInfo["minPartitionStats"]) => values === null ? null : partitionText(partitionFields, values);
  return [m.fileName, m.fileSize, m.numAddedFiles, m.numDeletedFiles, m.schemaId, text(m.minPartitionStats), text(m.maxPartitionStats), m.minRowId, m.maxRowId];
}

/** The `manifests` command. */
export const MANIFESTS_COMMAND: CommandSpec = {
  name: "manifests",
  summary: "Print the $manifests system table: the manifest files of a snapshot.",
  synopsis: "lakestate manifests <table-dir> [--snapshot N] [--format table|ndjson|csv]",
  help: `Print the $manifests system table: the manifest files of a snapshot (base, delta and changelog
lists), with file name, size, added and deleted file counts, schema id, partition bounds, row-id bounds.
  --snapshot N      manifests of snapshot N (default: the latest)
  --format F        table (default), ndjson (one JSON object per row) or csv`,
  flags: { snapshot: "value", format: "value" },
  run: async (args: ParsedArgs, host: CliHost) => {
    const dir = tableDirArg(args, MANIFESTS_COMMAND);
    const snapshotId = snapshotFlag(args, MANIFESTS_COMMAND);
    const format = formatFlag(args, ROW_FORMATS, "table", MANIFESTS_COMMAND);
    const table = await openCliTable(host, dir);
    const manifests = await table.manifests(snapshotId === undefined ? {} : { snapshotId });
    const partitionFields = logicalPartitionType(table.schema).fields;
    await writeRows(host, MANIFESTS_FIELDS, manifests.map((m) => manifestRow(m, partitionFields)), format);
  },
};
