/**
 * `lakestate inspect <table-dir>`: shows a Paimon table's schema, options, snapshots and the live
 * data files of one snapshot, decoded with lakestate's own codecs. The main job of the
 * foundation: it exercises schema, snapshot, manifest list, manifest, index manifest and
 * BinaryRow decoding on a real table, as a user would.
 *
 * Contract: read-only; output is text, or one JSON document with `--json` (int64 values as
 * strings so no precision is lost). Bounded output: INSPECT_SNAPSHOT_ROWS_MAX snapshots and
 * INSPECT_FILE_ROWS_MAX files are printed, the rest summarised.
 * Imports: table readers, spec, cli/cli_args.ts.
 */
import { INSPECT_FILE_ROWS_MAX, INSPECT_SNAPSHOT_ROWS_MAX } from "../constants.ts";
import { LakeError } from "../errors.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { type DataType, describeType } from "../spec/data_types.ts";
import type { ManifestEntry } from "../spec/manifest_entry.ts";
import { logicalPartitionType, type TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { decimalToString, isTimestamp, type Value } from "../spec/values.ts";
import { snapshotIndexFiles, snapshotLiveFiles } from "../table/manifest_reader.ts";
import { latestSchema } from "../table/schema_manager.ts";
import { latestSnapshotId, readAllSnapshots, readSnapshot } from "../table/snapshot_manager.ts";
import { toHex } from "../util/bytes.ts";
import { stringifyJson } from "../util/json.ts";
import { type CliHost, type CommandSpec, type ParsedArgs, snapshotFlag, tableDirArg } from "./cli_args.ts";

/** Formats one decoded value for display (JSON-safe: int64 and decimals as strings). */
function displayValue(type: DataType, value: Value): unknown {
  if (value === null) return null;
  if (typeof value === "bigint") return type.root === "DECIMAL" ? decimalToString(value, type.scale ?? 0) : value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  if (isTimestamp(value)) return new Date(value.epochMillis).toISOString().replace("Z", "") + (value.nanoOfMillisecond ? `+${value.nanoOfMillisecond}ns` : "");
  if (type.root === "DATE" && typeof value === "number") return new Date(value * 86_400_000).toISOString().slice(0, 10);
  return value;
}

/** Deep copy with every bigint turned into its decimal string, so any JSON reader keeps int64s exact. */
function int64AsStrings(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(int64AsStrings);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, int64AsStrings(v)]));
  return value;
}

function partitionLabel(schema: TableSchema, partition: Uint8Array): string {
  const rowType = logicalPartitionType(schema);
  if (rowType.fields.length === 0) return "(unpartitioned)";
  const values = decodeSerializedBinaryRow(rowType.fields.map((f) => f.type), partition);
  return rowType.fields.map((f, i) => `${f.name}=${String(displayValue(f.type, values[i] ?? null))}`).join("/");
}

function compareEntries(a: ManifestEntry, b: ManifestEntry, labels: Map<ManifestEntry, string>): number {
  const pa = labels.get(a)!, pb = labels.get(b)!;
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.bucket !== b.bucket) return a.bucket - b.bucket;
  if (a.file.level !== b.file.level) return b.file.level - a.file.level;
  return a.file.fileName < b.file.fileName ? -1 : a.file.fileName > b.file.fileName ? 1 : 0;
}

/** The `inspect` command. */
export const INSPECT_COMMAND: CommandSpec = {
  name: "inspect",
  summary: "Show schema, options, snapshots and live files, decoded from the metadata.",
  synopsis: "lakestate inspect <table-dir> [--snapshot N] [--json]",
  help: `Show a Paimon table: schema, options, snapshots and the live data files of a snapshot
(partition, bucket, level, rows, bytes), decoded from its schema, snapshot and manifest files.
  --snapshot N      live files of snapshot N (default: the latest)
  --json            one JSON document (int64 values as strings)`,
  flags: { snapshot: "value", json: "boolean" },
  run: runInspect,
};

/** Runs `inspect`; throws UsageError for bad arguments and LakeError for unreadable tables. */
export async function runInspect(args: ParsedArgs, host: CliHost): Promise<void> {
  const tableDir = tableDirArg(args, INSPECT_COMMAND);
  const wanted = snapshotFlag(args, INSPECT_COMMAND) ?? null;
  const store = host.openStore(tableDir);
  const schema = await latestSchema(store).catch((error: unknown) => {
    if (isMissingTableError(error)) {
      throw new LakeError("not_found", `inspect: ${tableDir} is not a Paimon table directory (no schema/schema-N file; does the path exist?)`, { cause: error });
    }
    throw error;
  });
  const snapshots = await readAllSnapshots(store);
  const selectedId = wanted ?? (await latestSnapshotId(store));
  const selected: Snapshot | null = selectedId === null ? null : await readSnapshot(store, selectedId);
  const live = selected === null ? [] : await snapshotLiveFiles(store, selected);
  const indexFiles = selected === null ? [] : await snapshotIndexFiles(store, selected);
  const labels = new Map(live.map((e) => [e, partitionLabel(schema, e.partition)] as const));
  live.sort((a, b) => compareEntries(a, b, labels));

  const files = live.map((e) => ({
    partition: labels.get(e)!,
    bucket: e.bucket,
    level: e.file.level,
    fileName: e.file.fileName,
    rowCount: e.file.rowCount,
    fileSizeBytes: e.file.fileSize,
    deleteRowCount: e.file.deleteRowCount,
    sequenceNumbers: [e.file.minSequenceNumber, e.file.maxSequenceNumber],
    schemaId: e.file.schemaId,
  }));
  const totals = {
    fileCount: live.length,
    rowCount: live.reduce((s, e) => s + e.file.rowCount, 0n),
    fileSizeBytes: live.reduce((s, e) => s + e.file.fileSize, 0n),
  };
  const indexes = indexFiles.map((e) => ({ partition: partitionLabel(schema, e.partition), bucket: e.bucket, indexType: e.indexFile.indexType, fileName: e.indexFile.fileName, rowCount: e.indexFile.rowCount }));

  if (args.flags.has("json")) {
    await host.stdout(stringifyJson(int64AsStrings({
      table: tableDir,
      schema: { id: schema.id, fields: schema.fields.map((f) => ({ id: f.id, name: f.name, type: describeType(f.type) })), primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, options: schema.options },
      snapshots: snapshots.map((s) => ({ id: s.id, commitKind: s.commitKind, commitUser: s.commitUser, commitIdentifier: s.commitIdentifier, timeMillis: s.timeMillis, totalRecordCount: s.totalRecordCount, deltaRecordCount: s.deltaRecordCount })),
      snapshot: selected?.id ?? null,
      files,
      indexFiles: indexes,
      totals,
    }), "pretty") + "\n");
    return;
  }

  const out: string[] = [];
  out.push(`table ${tableDir}`);
  out.push(`schema ${schema.id}: ${schema.primaryKeys.length ? `primary key (${schema.primaryKeys.join(", ")})` : "append table (no primary key)"}${schema.partitionKeys.length ? `, partitioned by (${schema.partitionKeys.join(", ")})` : ""}`);
  for (const f of schema.fields) out.push(`  ${String(f.id).padStart(3)} ${f.name} ${describeType(f.type)}`);
  out.push("options");
  for (const [k, v] of Object.entries(schema.options).sort()) out.push(`  ${k} = ${v}`);
  out.push(`snapshots (${snapshots.length})`);
  for (const s of snapshots.slice(-INSPECT_SNAPSHOT_ROWS_MAX)) {
    out.push(`  ${String(s.id).padStart(4)} ${s.commitKind.padEnd(9)} ${new Date(Number(s.timeMillis)).toISOString()} total ${s.totalRecordCount ?? "?"} delta ${s.deltaRecordCount ?? "?"} rows`);
  }
  if (snapshots.length > INSPECT_SNAPSHOT_ROWS_MAX) out.push(`  ... ${snapshots.length - INSPECT_SNAPSHOT_ROWS_MAX} older snapshots not shown`);
  if (selected === null) {
    out.push("no snapshot yet: the table is empty");
  } else {
    out.push(`live files of snapshot ${selected.id}: ${totals.fileCount} files, ${totals.rowCount} rows, ${totals.fileSizeBytes} bytes`);
    for (const f of files.slice(0, INSPECT_FILE_ROWS_MAX)) {
      out.push(`  ${f.partition} bucket-${f.bucket} L${f.level} ${f.fileName} ${f.rowCount} rows${f.deleteRowCount ? ` (${f.deleteRowCount} retractions)` : ""} ${f.fileSizeBytes} B seq ${f.sequenceNumbers[0]}..${f.sequenceNumbers[1]}`);
    }
    if (files.length > INSPECT_FILE_ROWS_MAX) out.push(`  ... ${files.length - INSPECT_FILE_ROWS_MAX} more files not shown`);
    for (const x of indexes) out.push(`  index ${x.indexType} ${x.partition} bucket-${x.bucket} ${x.fileName} (${x.rowCount} entries)`);
  }
  await host.stdout(out.join("\n") + "\n");
}

function isMissingTableError(error: unknown): boolean {
  return error instanceof LakeError && error.code === "not_found";
}
