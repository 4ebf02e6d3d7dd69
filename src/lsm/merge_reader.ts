/**
 * Merge-on-read of one bucket: k-way merge of its sorted runs (data files) by key through the
 * kernel, each key's records fed in merge order to the table's merge function.
 *
 * Mirrors Java `MergeFileSplitRead` + `SortMergeReaderWithMinHeap` (the min-heap variant: every
 * file is a run, records of one key ordered by sequence.field, then `_SEQUENCE_NUMBER`, then
 * retract before add) and `DropDeleteReader` for batch reads:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/SortMergeReaderWithMinHeap.java
 *
 * Method: each run's trimmed keys are encoded with spec/key_codec (key part + inverted sequence
 * tail, so memcmp = key ascending, sequence descending) into one ByteKeys; the kernel merges the
 * runs and marks key groups (ignoring the 8-byte tail); a group's records are then put in merge
 * order (reverse = sequence ascending, or the user sequence comparator) and reduced.
 *
 * Invariants: output rows are in key order; a run whose keys are not ascending is sorted first
 * (Java files always are; this only guards foreign files); no more than KERNEL_MERGE_RUNS_MAX
 * runs per call (LakeError("unsupported") beyond, naming the count).
 * Imports: kernel (types), spec (key_codec, row_kind, values, data_types), format/data (types),
 * lsm (key_value, merge_function).
 */
import { LakeError } from "../errors.ts";
import type { DataBatch } from "../format/data/data_batch.ts";
import { KERNEL_MERGE_RUNS_MAX, type ByteKeys, type KeyKernel } from "../kernel/mod.ts";
import type { DataType } from "../spec/data_types.ts";
import { createKeyCodec, KEY_TAIL_BYTES, type KeyCodec } from "../spec/key_codec.ts";
import { isRetract, rowKindFromByte, type RowKind } from "../spec/row_kind.ts";
import type { Value } from "../spec/values.ts";
import type { KeyValue } from "./key_value.ts";
import type { MergeFunction } from "./merge_function/merge_function.ts";
import { compareSameKeyRecords, type UserDefinedSeqComparator } from "./merge_function/sequence_comparator.ts";

/** One sorted run handed to the merge: a primary-key data file's batch and its level. */
export interface SortedRunBatch {
  readonly batch: DataBatch;
  readonly level: number;
  /** Row positions deleted by a deletion vector; they take no part in the merge. */
  readonly deleted?: { has(position: number): boolean } | null;
}

/** What the merge needs besides the runs. */
export interface MergeReadOptions {
  readonly kernel: KeyKernel;
  /** Types of the trimmed primary-key columns, in primary-key order. */
  readonly keyTypes: readonly DataType[];
  /** A fresh (reset) merge function with Java's single-record shortcut applied. */
  readonly mergeFunction: MergeFunction;
  /** The `sequence.field` comparator over value rows, or null. */
  readonly sequenceComparator: UserDefinedSeqComparator | null;
  /** Batch reads drop results whose kind is -U/-D (Java `DropDeleteReader`). */
  readonly dropRetracts: boolean;
}

/** Merged rows, column by column (columns follow the runs' read fields). */
export interface MergedRows {
  readonly rowCount: number;
  readonly columns: Value[][];
  readonly rowKinds: RowKind[];
}

/** Encodes the live rows of a run into ByteKeys and keeps the map from key index to row. */
function encodeRunKeys(run: SortedRunBatch, codec: KeyCodec, options: MergeReadOptions, where: string): { keys: ByteKeys; rowOf: Uint32Array } {
  const { batch } = run;
  if (batch.keys === null || batch.sequenceNumbers === null || batch.rowKinds === null) {
    throw new LakeError("invalid_argument", `merge read: ${where} is not a primary-key data file batch (no keys or system columns)`);
  }
  const encoded: Uint8Array[] = [];
  const rows: number[] = [];
  let total = 0;
  const keyValues: Value[] = new Array(batch.keys.length);
  for (let i = 0; i < batch.rowCount; i++) {
    if (run.deleted?.has(i)) continue;
    for (let k = 0; k < keyValues.length; k++) keyValues[k] = batch.keys[k]![i] ?? null;
    const bytes = codec.encode(keyValues, batch.sequenceNumbers[i]!);
    encoded.push(bytes);
    rows.push(i);
    total += bytes.length;
  }
  const bytes = new Uint8Array(total);
  const offsets = new Uint32Array(encoded.length + 1);
  let at = 0;
  for (let i = 0; i < encoded.length; i++) {
    bytes.set(encoded[i]!, at);
    at += encoded[i]!.length;
    offsets[i + 1] = at;
  }
  let keys: ByteKeys = { bytes, offsets };
  let rowOf = Uint32Array.from(rows);
  if (!isAscending(keys)) {
    const perm = options.kernel.sortKeys(keys);
    const sortedBytes = new Uint8Array(total);
    const sortedOffsets = new Uint32Array(encoded.length + 1);
    const sortedRows = new Uint32Array(encoded.length);
    let pos = 0;
    for (let i = 0; i < perm.length; i++) {
      const src = perm[i]!;
      sortedBytes.set(bytes.subarray(offsets[src]!, offsets[src + 1]!), pos);
      pos += offsets[src + 1]! - offsets[src]!;
      sortedOffsets[i + 1] = pos;
      sortedRows[i] = rowOf[src]!;
    }
    keys = { bytes: sortedBytes, offsets: sortedOffsets };
    rowOf = sortedRows;
  }
  return { keys, rowOf };
}

function isAscending(keys: ByteKeys): boolean {
  const { bytes, offsets } = keys;
  for (let i = 1; i + 1 < offsets.length; i++) {
    let p = offsets[i - 1]!, q = offsets[i]!;
    const pe = offsets[i]!, qe = offsets[i + 1]!;
    let cmp = 0;
    while (p < pe && q < qe) {
      cmp = bytes[p]! - bytes[q]!;
      if (cmp !== 0) break;
      p++;
      q++;
    }
    if (cmp === 0) cmp = (pe - p) - (qe - q);
    if (cmp > 0) return false;
  }
  return true;
}

function keyValueAt(run: SortedRunBatch, row: number): KeyValue {
  const { batch } = run;
  const key: Value[] = batch.keys!.map((column) => column[row] ?? null);
  const value: Value[] = batch.columns.map((column) => column[row] ?? null);
  return {
    key,
    sequenceNumber: batch.sequenceNumbers![row]!,
    rowKind: rowKindFromByte(batch.rowKinds![row]!),
    value,
    level: run.level,
  };
}

/**
 * Merges the runs of one bucket and reduces each key with the merge function.
 * Requires: every run comes from the same bucket and was read with the same read fields.
 */
export function mergeReadRuns(runs: readonly SortedRunBatch[], options: MergeReadOptions): MergedRows {
  if (runs.length > KERNEL_MERGE_RUNS_MAX) {
    throw new LakeError("unsupported", `merge read: ${runs.length} sorted runs in one bucket, more than the ${KERNEL_MERGE_RUNS_MAX} the merge takes at once; compact the table first`);
  }
  const columnCount = runs[0]?.batch.columns.length ?? 0;
  const columns: Value[][] = Array.from({ length: columnCount }, () => []);
  const rowKinds: RowKind[] = [];
  if (runs.length === 0) return { rowCount: 0, columns, rowKinds };

  const codec = createKeyCodec(options.keyTypes);
  const encoded = runs.map((run, i) => encodeRunKeys(run, codec, options, `run ${i}`));
  const merged = options.kernel.mergeRuns(encoded.map((e) => e.keys), { groupIgnoreTailBytes: KEY_TAIL_BYTES });
  const fn = options.mergeFunction;
  const group: KeyValue[] = [];

  const emit = (): void => {
    // Merge order is key then sequence descending: reverse for sequence ascending, then the
    // user sequence comparator and retract-before-add ties (stable sort keeps sequence order).
    group.reverse();
    if (group.length > 1) group.sort((a, b) => compareSameKeyRecords(a, b, options.sequenceComparator));
    fn.reset();
    for (const kv of group) fn.add(kv);
    const result = fn.getResult();
    group.length = 0;
    if (result === null || (options.dropRetracts && isRetract(result.rowKind))) return;
    for (let c = 0; c < columnCount; c++) columns[c]!.push(result.value[c] ?? null);
    rowKinds.push(result.rowKind);
  };

  for (let i = 0; i < merged.runs.length; i++) {
    if (merged.groupStarts[i] === 1 && group.length > 0) emit();
    const r = merged.runs[i]!;
    group.push(keyValueAt(runs[r]!, encoded[r]!.rowOf[merged.rows[i]!]!));
  }
  if (group.length > 0) emit();
  return { rowCount: rowKinds.length, columns, rowKinds };
}
