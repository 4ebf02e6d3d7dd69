/**
 * Reads a table split by split (one (partition, bucket) at a time) so the CLI can print a large
 * table while holding only one bucket's rows in memory.
 *
 * Contract: the concatenated batches are exactly `Table.readColumns` with the same snapshot,
 * fields and filter: the same scan plan (pruning, level-0 skipping of the merge engine), the
 * same `readSplits` per split, in plan order. A test compares the two on every fixture table
 * at every snapshot. TODO(lead): this belongs on `Table` (e.g. `Table.batches()`); it lives here
 * because api/table.ts is not the CLI's file.
 * Mirrors Java `TableRead#createReader(split)` called per split of `TableScan#plan()`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/TableRead.java
 * Imports: api/table.ts (types), kernel, lsm/merge_function, table (scan, read, predicate).
 */
import type { Table } from "../api/table.ts";
import { loadKernel, type KeyKernel } from "../kernel/mod.ts";
import { createMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import type { DataField } from "../spec/data_types.ts";
import type { Predicate } from "../table/predicate.ts";
import { planScan } from "../table/scan.ts";
import { readSplits, type ReadResult } from "../table/table_read.ts";

/** What to read: the snapshot (default latest), the output fields (current schema) and a filter. */
export interface BatchReadOptions {
  readonly snapshotId?: bigint;
  readonly fields: readonly DataField[];
  readonly filter: Predicate | null;
}

let sharedKernel: Promise<KeyKernel> | null = null;

/** The CLI's kernel (WASM, or the twin where WASM cannot load); loaded once. */
function kernel(): Promise<KeyKernel> {
  sharedKernel ??= loadKernel().then((k) => k.kernel);
  return sharedKernel;
}

/**
 * Yields the rows of `table` one split at a time, columns in `options.fields` order; empty
 * splits (everything filtered out) are skipped. An empty table yields nothing.
 * Requires: `options.fields` are fields of `table.schema` (use `table.fieldsOf`).
 */
export async function* readTableBatches(table: Table, options: BatchReadOptions): AsyncGenerator<ReadResult> {
  const snapshot = await table.resolveSnapshot(options.snapshotId);
  if (snapshot === null) return;
  const mergeFactory = table.schema.primaryKeys.length > 0 ? createMergeFunctionFactory(table.schema) : null;
  const plan = await planScan(table.store, {
    snapshot,
    schema: table.schema,
    filter: options.filter,
    skipLevel0: mergeFactory?.batchScanSkipsLevel0 ?? false,
  });
  const readOptions = {
    store: table.store,
    schema: table.schema,
    schemaById: (id: bigint) => table.schemaById(id),
    fields: options.fields,
    filter: options.filter,
    kernel: await kernel(),
    mergeFactory,
  };
  for (const split of plan.splits) {
    const batch = await readSplits(readOptions, [split]);
    if (batch.rowCount > 0) yield batch;
  }
}
