/**
 * The table inspector's data: schema and options, the newest snapshots, the manifests of the
 * latest snapshot (`$manifests`), and every live data file with its
 * partition, bucket and level, which the page draws as sorted runs per bucket.
 *
 * Invariants: values are rendered to plain numbers and strings (structured-cloneable); files
 * are sorted by partition, bucket, level, then min sequence number.
 * Imports: lakestate (universal API), demo_protocol.ts. Mirrors Java's `$snapshots`,
 * `$manifests`, `$files` and `$options` system tables (what the page shows of them).
 */
import { describeType, type Table, type Value } from "../../../src/mod.ts";
import type { InspectorData, InspectorFile, InspectorManifest, InspectorSnapshot } from "../demo_protocol.ts";

/** Snapshots the inspector lists. */
const SNAPSHOTS_SHOWN = 40;

/** A value as short display text. */
export function valueText(value: Value | unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Uint8Array) return `0x${[...value.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}${value.length > 16 ? "…" : ""}`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(valueText).join(", ")}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${valueText(k)}=${valueText(v)}`).join(", ")}}`;
  if (typeof value === "object") return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  return String(value);
}

function numberOrNull(value: bigint | null): number | null {
  return value === null ? null : Number(value);
}

async function manifestsOf(table: Table): Promise<InspectorManifest[]> {
  return (await table.manifests()).map((m) => ({
    fileName: m.fileName, bytes: Number(m.fileSize), addedFiles: Number(m.numAddedFiles), deletedFiles: Number(m.numDeletedFiles),
    partitions: m.minPartitionStats === null ? "" : `${valueText(Object.values(m.minPartitionStats))}..${valueText(Object.values(m.maxPartitionStats ?? {}))}`,
  }));
}

/** Collects what the inspector shows of `table` (see the file header). */
export async function inspectTable(table: Table): Promise<InspectorData> {
  const schema = table.schema;
  const snapshots = await table.snapshots();
  const shown: InspectorSnapshot[] = snapshots.slice(-SNAPSHOTS_SHOWN).map((s) => ({
    id: Number(s.id), kind: s.commitKind, commitUser: s.commitUser, identifier: String(s.commitIdentifier), timeMs: Number(s.timeMillis),
    totalRecords: numberOrNull(s.totalRecordCount), deltaRecords: numberOrNull(s.deltaRecordCount), changelogRecords: numberOrNull(s.changelogRecordCount),
  }));
  const files: InspectorFile[] = (await table.files()).map((f) => ({
    partition: Object.entries(f.partition).map(([k, v]) => `${k}=${valueText(v)}`).join("/"),
    bucket: f.bucket, level: f.level, fileName: f.filePath.slice(f.filePath.lastIndexOf("/") + 1),
    records: Number(f.recordCount), bytes: Number(f.fileSizeInBytes),
    minKey: valueText(f.minKey), maxKey: valueText(f.maxKey), minSeq: Number(f.minSequenceNumber), maxSeq: Number(f.maxSequenceNumber),
  }));
  files.sort((a, b) => (a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : a.bucket - b.bucket || a.level - b.level || a.minSeq - b.minSeq));
  const manifests = snapshots.length === 0 ? [] : await manifestsOf(table);
  return {
    table: table.name,
    fields: schema.fields.map((f) => ({ name: f.name, type: describeType(f.type) })),
    primaryKeys: [...schema.primaryKeys], partitionKeys: [...schema.partitionKeys], options: { ...schema.options },
    snapshots: shown, snapshotCount: snapshots.length, manifests, files,
  };
}
