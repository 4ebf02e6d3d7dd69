/**
 * The changes of one snapshot (or of a batch incremental / audit-log read): rows of the read
 * fields, each with its row kind, held as parts that came from one data file, changelog file or
 * merged split each. A part holds its columns either as values (spec/values.ts shapes, the
 * general path) or as Arrow-layout buffers (format/data/column_buffers.ts, the columnar path);
 * the API layer turns a batch into one Arrow table without re-encoding buffer parts.
 *
 * Invariants: every part has the batch's `fields`; `rowKinds.length === rowCount` in every part;
 * exactly one of `values` / `buffers` is set; kinds are RowKind bytes 0..3.
 * Imports: spec (data_types, row_kind, values), format/data/column_buffers.ts (types).
 * Mirrors the rows of Java's `AuditLogTable` read (`rowkind` first, then the table columns).
 */
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import type { DataField } from "../spec/data_types.ts";
import type { Value } from "../spec/values.ts";

/** Rows of one file or split, with their row kinds. */
export interface ChangePart {
  readonly rowCount: number;
  /** One RowKind byte (0 +I, 1 -U, 2 +U, 3 -D) per row. */
  readonly rowKinds: Uint8Array;
  /** Value columns (`values[c][i]`: field c of row i), or null when `buffers` is set. */
  readonly values: readonly (readonly Value[])[] | null;
  /** Arrow-layout columns, or null when `values` is set. */
  readonly buffers: readonly ColumnBuffers[] | null;
}

/** The changes of one snapshot (stream) or one range (incremental / audit log). */
export interface ChangeBatch {
  /** The snapshot the changes belong to (the end snapshot for ranges; 0 when the table is empty). */
  readonly snapshotId: bigint;
  /** The read fields, in output order (without `_ROW_KIND`). */
  readonly fields: readonly DataField[];
  readonly parts: readonly ChangePart[];
  /** Total rows over all parts. */
  readonly rowCount: number;
}

/** A batch of `parts` (empty parts dropped). */
export function changeBatch(snapshotId: bigint, fields: readonly DataField[], parts: readonly ChangePart[]): ChangeBatch {
  const kept = parts.filter((p) => p.rowCount > 0);
  return { snapshotId, fields, parts: kept, rowCount: kept.reduce((n, p) => n + p.rowCount, 0) };
}

/** A value part; `rowKinds` null means every row is +I (append tables). */
export function valuePart(values: readonly (readonly Value[])[], rowCount: number, rowKinds: Uint8Array | null): ChangePart {
  return { rowCount, rowKinds: rowKinds ?? new Uint8Array(rowCount), values, buffers: null };
}
