/**
 * Reads one snapshot in full, with row kinds: the starting read of latest-full and
 * from-snapshot-full streams, and the `$audit_log` system table.
 *
 * Primary-key tables: every bucket merged by the merge engine, each key's result with its row
 * kind (+I, or +U when the winning record was +U; -U/-D results are dropped by streams and kept
 * by `$audit_log`, Java `forceKeepDelete`). Append tables: every live row as +I, deletion
 * vectors applied.
 * Level selection mirrors Java: `DataTableStreamScan#tryFirstPlan` reads only levels > 0 for
 * changelog-producer lookup and only the top level for full-compaction (level 0 will produce
 * changelog later); batch scans (`$audit_log`) of deletion-vector and first-row tables skip
 * level 0 (`AbstractBatchTableScan`, `batchScanSkipLevel0`).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/DataTableStreamScan.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/AuditLogTable.java
 *
 * Invariants: only files the snapshot lists are read; buckets in plan order.
 * Imports: spec (snapshot), table/scan.ts, stream (change_batch, change_read, read_env).
 */
import type { Snapshot } from "../spec/snapshot.ts";
import { planScan } from "../table/scan.ts";
import { changeBatch, type ChangeBatch, type ChangePart } from "./change_batch.ts";
import { loadSplitDeletionVectors, readMergedSplit, readRawFiles } from "./change_read.ts";
import type { ReadEnv } from "./read_env.ts";

/** How to read a snapshot in full. */
export interface FullReadOptions {
  /** Keep -U/-D merge results (audit log) instead of dropping them (streams). */
  readonly keepDelete: boolean;
  /** Files of these levels only (changelog producers); default every level. */
  readonly levelFilter?: ((level: number) => boolean) | null;
  /** Drop level-0 files (batch scans of deletion-vector and first-row tables). */
  readonly skipLevel0?: boolean;
}

/** Reads `snapshot` in full (see the file header); the batch carries the snapshot's id. */
export async function readFullSnapshot(env: ReadEnv, snapshot: Snapshot, options: FullReadOptions): Promise<ChangeBatch> {
  const { context } = env;
  const plan = await planScan(context.store, { snapshot, schema: context.schema, skipLevel0: options.skipLevel0 ?? false });
  const levelFilter = options.levelFilter ?? null;
  const parts: ChangePart[] = [];
  const kernel = env.mergeFactory === null ? null : await env.kernel();
  for (const planned of plan.splits) {
    const split = levelFilter === null ? planned : { ...planned, files: planned.files.filter((f) => levelFilter(f.level)) };
    if (split.files.length === 0) continue;
    if (env.mergeFactory === null) {
      parts.push(...await readRawFiles(env, split, await loadSplitDeletionVectors(context.store, context.schema, split)));
    } else {
      parts.push(await readMergedSplit(env, split, { kernel: kernel!, mergeFactory: env.mergeFactory, keepDelete: options.keepDelete }));
    }
  }
  return changeBatch(snapshot.id, env.fields, parts);
}
