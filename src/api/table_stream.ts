/**
 * The public streaming, incremental and `$audit_log` reads of a table, as Apache Arrow tables
 * whose first column is `_ROW_KIND` ("+I", "-U", "+U", "-D") followed by the table columns.
 * The work is in src/stream (see stream_read.ts for the streaming contract: scan modes,
 * polling, cancellation, consumer progress and delivery guarantees); this module only turns
 * each ChangeBatch into one Arrow table (buffer parts become Arrow data without re-encoding).
 *
 * Mirrors Java `ReadBuilder#newStreamScan` + `AuditLogTable`.
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/AuditLogTable.java
 * Imports: apache-arrow, api/arrow.ts, api/arrow_buffers.ts, api/arrow_types.ts, stream/*.
 */
import { makeData, RecordBatch, Schema, Struct, Table as ArrowTable } from "apache-arrow";
import type { Data } from "apache-arrow";
import { columnsToArrowTable, rowKindArrowField, rowKindsToArrowData } from "./arrow.ts";
import { bufferColumnsToArrowTable } from "./arrow_buffers.ts";
import { arrowSchemaOf } from "./arrow_types.ts";
import type { ChangeBatch, ChangePart } from "../stream/change_batch.ts";
import type { StreamTableContext } from "../stream/change_read.ts";
import { readAuditLog, readIncremental, type AuditLogOptions, type IncrementalReadOptions } from "../stream/incremental.ts";
import { ChangeStream } from "../stream/stream_read.ts";
import type { StreamReadOptions } from "../stream/stream_options.ts";

export { StreamScanMode, POLL_INTERVAL_MS_DEFAULT, POLL_INTERVAL_MS_MAX, type StreamReadOptions } from "../stream/stream_options.ts";
export type { IncrementalReadOptions, AuditLogOptions } from "../stream/incremental.ts";
export { ChangeStream } from "../stream/stream_read.ts";

/** One item of a streaming read: a snapshot's id and its changes. */
export interface SnapshotChanges {
  readonly snapshotId: bigint;
  /** `_ROW_KIND` then the read columns, one row per change. */
  readonly changes: ArrowTable;
}

/** A shared all-"+I" `_ROW_KIND` column, grown by doubling; parts of inserts only slice it. */
let insertKinds: Data | null = null;

/** `_ROW_KIND` data of `kinds`: a zero-copy slice of the shared "+I" column when every kind is +I. */
function rowKindData(kinds: Uint8Array): Data {
  const n = kinds.length;
  for (let i = 0; i < n; i++) if (kinds[i] !== 0) return rowKindsToArrowData(kinds);
  if (insertKinds === null || insertKinds.length < n) {
    let capacity = 1024;
    while (capacity < n) capacity *= 2;
    insertKinds = rowKindsToArrowData(new Uint8Array(capacity));
  }
  return insertKinds.slice(0, n);
}

/** The record batch of one part, `_ROW_KIND` first. */
function partBatch(schema: Schema, batch: ChangeBatch, part: ChangePart): RecordBatch {
  const table = part.buffers !== null
    ? bufferColumnsToArrowTable(batch.fields, part.buffers, part.rowCount)
    : columnsToArrowTable(batch.fields, part.values!, part.rowCount);
  const children: Data[] = [rowKindData(part.rowKinds)];
  for (let c = 0; c < batch.fields.length; c++) children.push(table.getChildAt(c)!.data[0]!);
  const data = makeData({ type: new Struct(schema.fields), length: part.rowCount, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/**
 * A ChangeBatch as one Arrow table (one record batch per part; zero rows: an empty table with
 * the full schema).
 */
export function changeBatchToArrow(batch: ChangeBatch): ArrowTable {
  const schema = new Schema([rowKindArrowField(), ...arrowSchemaOf(batch.fields).fields]);
  if (batch.parts.length === 0) {
    const empty = columnsToArrowTable(batch.fields, batch.fields.map(() => []), 0, { rowKinds: [] });
    return new ArrowTable(schema, empty.batches);
  }
  return new ArrowTable(schema, batch.parts.map((part) => partBatch(schema, batch, part)));
}

/**
 * `table.streamRead(options)`: an async iterator of `{ snapshotId, changes }` (see
 * stream/stream_read.ts). Throws LakeError("invalid_argument" / "unsupported") synchronously for
 * bad options; I/O errors reject `next()`.
 */
export function streamTable(table: StreamTableContext, options: StreamReadOptions = {}): ChangeStream<SnapshotChanges> {
  return new ChangeStream(table, { ...options, columnar: true }, (batch) => ({ snapshotId: batch.snapshotId, changes: changeBatchToArrow(batch) }));
}

/** `table.incremental(options)`: the changes of the snapshots in (start, end] as one Arrow table. */
export async function incrementalTable(table: StreamTableContext, options: IncrementalReadOptions = {}): Promise<ArrowTable> {
  return changeBatchToArrow(await readIncremental(table, { ...options, columnar: true }));
}

/** `table.auditLog(options)`: `$audit_log`, every row of a snapshot with its row kind. */
export async function auditLogTable(table: StreamTableContext, options: AuditLogOptions = {}): Promise<ArrowTable> {
  return changeBatchToArrow(await readAuditLog(table, { ...options, columnar: true }));
}
