/**
 * Reads a table split by split (one (partition, bucket) at a time) so the CLI can print a large
 * table while holding only one bucket's rows in memory.
 *
 * Contract: the concatenated batches are exactly `Table.readColumns` with the same snapshot,
 * fields and filter: the same scan plan (pruning, level-0 skipping of the merge engine), the
 * same `readSplits` per split, in plan order. A test compares the two on every fixture table
 * at every snapshot. The work is `Table.readBatches`; this adapter keeps the CLI's field-based call.
 * Mirrors Java `TableRead#createReader(split)` called per split of `TableScan#plan()`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/TableRead.java
 * Imports: api/table.ts, spec and table types.
 */
import type { Table } from "../api/table.ts";
import type { DataField } from "../spec/data_types.ts";
import type { Predicate } from "../table/predicate.ts";
import type { ReadResult } from "../table/table_read.ts";

/** What to read: the snapshot (default latest), the output fields and a filter. */
export interface BatchReadOptions {
  readonly snapshotId?: bigint;
  readonly fields: readonly DataField[];
  readonly filter: Predicate | null;
}

/**
 * Yields the rows of `table` one split at a time, columns in `options.fields` order (matched by
 * name in the schema the read uses); empty splits are skipped. An empty table yields nothing.
 */
export async function* readTableBatches(table: Table, options: BatchReadOptions): AsyncGenerator<ReadResult> {
  yield* table.readBatches({
    ...(options.snapshotId === undefined ? {} : { snapshotId: options.snapshotId }),
    columns: options.fields.map((f) => f.name),
    filter: options.filter,
  });
}
