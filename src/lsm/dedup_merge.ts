/**
 * The deduplicate merge of one bucket's sorted runs, computed on columns: which (run, row) wins
 * each key, in key order, without building a KeyValue per record. It returns exactly the rows
 * `mergeReadRuns` (merge_reader.ts) returns with the deduplicate engine and `dropRetracts`,
 * for tables without `sequence.field` and without the lookup wrapper (the caller's rule).
 *
 * Winner of a key (derived from merge_reader's order: records of a key sorted by sequence
 * ascending, retract before add, equal ones in reverse run order; the last one wins):
 *  - plain deduplicate: among the records with the key's highest sequence number, the first
 *    add (+I/+U) by run index; the key is dropped when all of them are retracts (-U/-D);
 *  - `ignore-delete`: the add with the highest sequence number (lowest run index on ties);
 *    the key is dropped when it has no add.
 *
 * Four strategies, same answer (test/unit/lsm/dedup_merge_test.ts and dedup_concat_test.ts run each):
 *  - "concat" (lsm/dedup_concat.ts): the runs form one sorted run of adds (a compacted bucket):
 *    every key has one record, which wins; the output is every row of the runs in `runOrder`,
 *    no merge at all (the caller may concatenate columns instead of gathering);
 *  - "dense": one integer key column (as for "numeric" below) whose key range is at most
 *    DENSE_SLOTS_PER_ROW_MAX slots per input row: every record goes straight to the slot
 *    `key - minKey`, which keeps the best record so far (runs in order, so equal records keep
 *    the lowest run); the slots are then read in key order. No key comparisons at all;
 *  - "numeric": one integer key column (TINYINT..BIGINT, DATE, TIME) without nulls whose
 *    values are exact as doubles, every run strictly ascending, at most NUMERIC_MERGE_RUNS_MAX
 *    runs: keys are flattened into one Float64Array (a +Infinity sentinel closes each run) and
 *    merged by scanning the cached run heads; sequence numbers are compared as int64 words;
 *  - "kernel": any key types key_columns_encoder.ts encodes: each run's key parts are encoded
 *    (no sequence tail: a key's records then come by run and row, and the scan of each key
 *    group keeps the best one, the first met on a full tie), merged by the kernel, which marks
 *    the key groups. A run may repeat a key (it is a tie between its rows, as in the general
 *    merge after its stable sort).
 * Runs whose keys are not ascending make `dedupMergeRuns` return null (the general reader
 * sorts such foreign files; Java files are always sorted).
 *
 * Invariants: output rows are in key order; each key appears at most once; row kinds are 0..3
 * (the caller validates them). Imports: kernel (types), spec/data_types.ts,
 * format/data/column_buffers.ts, lsm/key_columns_encoder.ts, lsm/dedup_concat.ts.
 * Mirrors Java `DeduplicateMergeFunction` + `SortMergeReaderWithMinHeap` + `DropDeleteReader`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/DeduplicateMergeFunction.java
 */
import { KERNEL_MERGE_RUNS_MAX, type ByteKeys, type KeyKernel } from "../kernel/mod.ts";
import { LakeError } from "../errors.ts";
import type { DataType } from "../spec/data_types.ts";
import { int32Words, type ColumnBuffers } from "../format/data/column_buffers.ts";
import { encodeKeyColumns, fixedKeyPartBytes } from "./key_columns_encoder.ts";
import { mergeConcat } from "./dedup_concat.ts";

/** Most runs the numeric strategy scans per key; more go to the kernel's loser tree. */
export const NUMERIC_MERGE_RUNS_MAX = 8;
/** The dense strategy applies when the key range holds at most this many slots per input row. */
export const DENSE_SLOTS_PER_ROW_MAX = 2;
/** Most slots the dense strategy allocates (6 bytes a slot: 192 MB at the limit). */
const DENSE_SLOTS_MAX = 1 << 25;
const TWO_POW_32 = 4294967296;
const SAFE_HI_MAX = 1 << 21; // |hi word| below this keeps an int64 within ±2^53

/** One sorted run (a data file) as columns. */
export interface DedupRun {
  readonly rowCount: number;
  /** Trimmed primary-key columns, in primary-key order. */
  readonly keys: readonly ColumnBuffers[];
  /** `_SEQUENCE_NUMBER`: int64 "fixed", no nulls. */
  readonly sequenceNumbers: ColumnBuffers;
  /** `_VALUE_KIND`: int8 "fixed", values 0..3, no nulls. */
  readonly rowKinds: ColumnBuffers;
}

/** What the merge needs besides the runs. */
export interface DedupMergeOptions {
  readonly kernel: KeyKernel;
  /** Types of the trimmed primary-key columns, in primary-key order. */
  readonly keyTypes: readonly DataType[];
  /** The deduplicate engine's `ignore-delete`. */
  readonly ignoreDelete: boolean;
  /**
   * Force a strategy (tests; the fast read forces concat where the merge is more than the
   * deduplicate pick); default: concat, dense, numeric, kernel, the first that applies.
   */
  readonly strategy?: DedupStrategy;
}

/** How the winners were picked (see the file header). */
export type DedupStrategy = "concat" | "dense" | "numeric" | "kernel";

/** The winners: output row i is row `rows[i]` of run `runs[i]`, for i < count. */
export interface DedupSelection {
  readonly runs: Uint32Array<ArrayBuffer>;
  readonly rows: Uint32Array<ArrayBuffer>;
  readonly count: number;
  readonly strategy: DedupStrategy;
  /**
   * "concat" only: the run indexes in output order; the output is every row of each of these
   * runs in row order (`runs`/`rows` say the same, row by row). Empty runs may be left out.
   */
  readonly runOrder?: Uint32Array<ArrayBuffer>;
}

const NUMERIC_KEY_ROOTS = new Set(["TINYINT", "SMALLINT", "INT", "DATE", "TIME", "BIGINT"]);

/** Writes a run's single integer key column as doubles at `out[at..]`; false when a value is not exact or the keys are not strictly ascending. */
function numericKeys(c: ColumnBuffers, root: string, out: Float64Array, at: number): boolean {
  if (c.nullCount > 0) return false;
  const n = c.length;
  let prev = -Infinity;
  if (root === "BIGINT") {
    const w = int32Words(c);
    for (let i = 0; i < n; i++) {
      const hi = w[2 * i + 1]!;
      if (hi >= SAFE_HI_MAX || hi < -SAFE_HI_MAX) return false;
      const v = hi * TWO_POW_32 + (w[2 * i]! >>> 0);
      if (v <= prev) return false;
      out[at + i] = prev = v;
    }
    return true;
  }
  const d = c.data;
  const view = root === "TINYINT" ? new Int8Array(d.buffer, d.byteOffset, n)
    : root === "SMALLINT" ? new Int16Array(d.buffer, d.byteOffset, n) : new Int32Array(d.buffer, d.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const v = view[i]!;
    if (v <= prev) return false;
    out[at + i] = prev = v;
  }
  return true;
}

function selection(total: number): { runs: Uint32Array<ArrayBuffer>; rows: Uint32Array<ArrayBuffer> } {
  return { runs: new Uint32Array(total), rows: new Uint32Array(total) };
}

/**
 * The numeric strategy (see the header), or null when the runs do not qualify. Keys are
 * flattened into one Float64Array (run r's row i at `starts[r] + r + i`, a +Infinity sentinel
 * after each run) and the run heads cached; sequence numbers and kinds are read in place, only
 * for the records of the current key.
 */
function mergeNumeric(runs: readonly DedupRun[], root: string, ignoreDelete: boolean): DedupSelection | null {
  const k = runs.length;
  let total = 0;
  for (const r of runs) total += r.rowCount;
  const keys = new Float64Array(total + k);
  const starts = new Int32Array(k + 1);
  for (let r = 0; r < k; r++) {
    const run = runs[r]!;
    if (!numericKeys(run.keys[0]!, root, keys, starts[r]! + r)) return null;
    keys[starts[r]! + r + run.rowCount] = Infinity;
    starts[r + 1] = starts[r]! + run.rowCount;
  }
  const seqWords = runs.map((run) => int32Words(run.sequenceNumbers));
  const kinds = runs.map((run) => run.rowKinds.data);
  const out = selection(total);
  const pos = new Int32Array(k), head = new Float64Array(k);
  for (let r = 0; r < k; r++) { pos[r] = starts[r]! + r; head[r] = keys[pos[r]!]!; }
  let count = 0;
  for (;;) {
    let min = head[0]!;
    for (let r = 1; r < k; r++) { const v = head[r]!; if (v < min) min = v; }
    if (min === Infinity) break;
    // Winner: highest sequence, then add over retract, then lowest run (first met).
    let bestRun = -1, bestRow = 0, bestHi = 0, bestLo = 0, bestAdd = 0;
    for (let r = 0; r < k; r++) {
      if (head[r] !== min) continue;
      const p = pos[r]!;
      pos[r] = p + 1;
      head[r] = keys[p + 1]!;
      const row = p - r - starts[r]!;
      const kind = kinds[r]![row]!;
      const add = kind === 0 || kind === 2 ? 1 : 0;
      if (ignoreDelete && add === 0) continue;
      const w = seqWords[r]!, hi = w[2 * row + 1]!, lo = w[2 * row]! >>> 0;
      if (bestRun < 0 || hi > bestHi || (hi === bestHi && (lo > bestLo || (lo === bestLo && add > bestAdd)))) {
        bestRun = r; bestRow = row; bestHi = hi; bestLo = lo; bestAdd = add;
      }
    }
    if (bestAdd === 1) {
      out.runs[count] = bestRun;
      out.rows[count] = bestRow;
      count++;
    }
  }
  return { ...out, count, strategy: "numeric" };
}

/** Key i of a single integer key column as a double; NaN when not exact (BIGINT beyond ±2^53). */
function integerKeyAt(c: ColumnBuffers, root: string, i: number): number {
  if (root === "BIGINT") {
    const w = int32Words(c), hi = w[2 * i + 1]!;
    return hi >= SAFE_HI_MAX || hi < -SAFE_HI_MAX ? NaN : hi * TWO_POW_32 + (w[2 * i]! >>> 0);
  }
  const d = c.data;
  return root === "TINYINT" ? (d[i]! << 24) >> 24 : root === "SMALLINT" ? new Int16Array(d.buffer, d.byteOffset, c.length)[i]! : int32Words(c)[i]!;
}

/** Smallest and largest key over sorted runs (first and last rows), or null when not exact. */
function keyRange(runs: readonly DedupRun[], root: string): { lo: number; hi: number } | null {
  let lo = Infinity, hi = -Infinity;
  for (const run of runs) {
    if (run.rowCount === 0) continue;
    const c = run.keys[0]!;
    if (c.nullCount > 0) return null;
    const first = integerKeyAt(c, root, 0), last = integerKeyAt(c, root, run.rowCount - 1);
    if (Number.isNaN(first) || Number.isNaN(last)) return null;
    lo = Math.min(lo, first);
    hi = Math.max(hi, last);
  }
  return { lo, hi };
}

/** The dense strategy (see the header), or null when the runs do not qualify. */
function mergeDense(runs: readonly DedupRun[], root: string, ignoreDelete: boolean, total: number): DedupSelection | null {
  const range = keyRange(runs, root);
  if (range === null || runs.length > 0xffff) return null;
  const slots = range.hi < range.lo ? 0 : range.hi - range.lo + 1;
  if (slots > DENSE_SLOTS_PER_ROW_MAX * total || slots > DENSE_SLOTS_MAX) return null;
  const winRun = new Uint16Array(slots), winRow = new Int32Array(slots).fill(-1);
  const seqWords = runs.map((run) => int32Words(run.sequenceNumbers));
  const kinds = runs.map((run) => run.rowKinds.data);
  const keys = new Float64Array(runs.reduce((m, run) => Math.max(m, run.rowCount), 0));
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (!numericKeys(run.keys[0]!, root, keys, 0)) return null;
    const w = seqWords[r]!, kd = kinds[r]!;
    for (let i = 0; i < run.rowCount; i++) {
      const slot = keys[i]! - range.lo;
      if (!(slot >= 0 && slot < slots)) return null; // the first/last rows lied: not sorted
      const kind = kd[i]!, add = kind === 0 || kind === 2 ? 1 : 0;
      if (ignoreDelete && add === 0) continue;
      const row = winRow[slot]!;
      if (row < 0) { winRun[slot] = r; winRow[slot] = i; continue; }
      // The slot holds a record of an earlier run: replace it only when strictly better.
      const cr = winRun[slot]!, cw = seqWords[cr]!;
      const hi = w[2 * i + 1]!, chi = cw[2 * row + 1]!;
      if (hi < chi) continue;
      if (hi === chi) {
        const lo = w[2 * i]! >>> 0, clo = cw[2 * row]! >>> 0;
        if (lo < clo) continue;
        if (lo === clo) {
          const ck = kinds[cr]![row]!;
          if (!(add === 1 && ck !== 0 && ck !== 2)) continue;
        }
      }
      winRun[slot] = r;
      winRow[slot] = i;
    }
  }
  const out = selection(Math.min(slots, total));
  let count = 0;
  for (let slot = 0; slot < slots; slot++) {
    const row = winRow[slot]!;
    if (row < 0) continue;
    const r = winRun[slot]!, kind = kinds[r]![row]!;
    if (kind !== 0 && kind !== 2) continue;
    out.runs[count] = r;
    out.rows[count] = row;
    count++;
  }
  return { ...out, count, strategy: "dense" };
}

/** True when the `count` keys of `stride` bytes each in `bytes` never descend (memcmp order). */
function isAscendingFixed(bytes: Uint8Array, stride: number, count: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = stride >> 2;
  for (let i = 1; i < count; i++) {
    let p = (i - 1) * stride, q = p + stride, w = 0, cmp = 0;
    for (; w < words; w++, p += 4, q += 4) {
      const x = view.getUint32(p), y = view.getUint32(q);
      if (x !== y) { cmp = x < y ? -1 : 1; break; }
    }
    for (let b = words * 4; cmp === 0 && b < stride; b++, p++, q++) cmp = bytes[p]! - bytes[q]!;
    if (cmp > 0) return false;
  }
  return true;
}

/** True when every key of `keys` is >= the previous one (memcmp order, 4 bytes at a time). */
function isAscending(keys: ByteKeys): boolean {
  const { bytes, offsets } = keys;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 1; i + 1 < offsets.length; i++) {
    let p = offsets[i - 1]!, q = offsets[i]!;
    const pe = offsets[i]!, qe = offsets[i + 1]!;
    let cmp = 0;
    while (p + 4 <= pe && q + 4 <= qe) {
      const x = view.getUint32(p), y = view.getUint32(q);
      if (x !== y) { cmp = x < y ? -1 : 1; break; }
      p += 4;
      q += 4;
    }
    while (cmp === 0 && p < pe && q < qe) {
      cmp = bytes[p]! - bytes[q]!;
      p++;
      q++;
    }
    if (cmp === 0) cmp = (pe - p) - (qe - q);
    if (cmp > 0) return false;
  }
  return true;
}

/**
 * The kernel strategy (see the header), or null when a run's keys are not ascending. Keys are
 * encoded without the sequence tail: the kernel orders a key's records by run then row, and
 * the group scan below keeps the best record, the first one met on a full tie.
 */
function mergeKernel(runs: readonly DedupRun[], options: DedupMergeOptions): DedupSelection | null {
  if (runs.length > KERNEL_MERGE_RUNS_MAX) {
    throw new LakeError("unsupported", `merge read: ${runs.length} sorted runs in one bucket, more than the ${KERNEL_MERGE_RUNS_MAX} the merge takes at once; compact the table first`);
  }
  const encoded: ByteKeys[] = [];
  for (const run of runs) {
    const keys = encodeKeyColumns(options.keyTypes, run.keys, null, run.rowCount);
    const stride = fixedKeyPartBytes(options.keyTypes, run.keys);
    if (!(stride === null ? isAscending(keys) : isAscendingFixed(keys.bytes, stride, run.rowCount))) return null;
    encoded.push(keys);
  }
  const merged = options.kernel.mergeRuns(encoded, { groupIgnoreTailBytes: 0 });
  const seqWords = runs.map((r) => int32Words(r.sequenceNumbers));
  const kinds = runs.map((r) => r.rowKinds.data);
  const n = merged.runs.length;
  const out = selection(n);
  const ignoreDelete = options.ignoreDelete;
  let count = 0;
  for (let i = 0; i < n;) {
    let bestRun = -1, bestRow = 0, bestHi = 0, bestLo = 0, bestAdd = 0;
    let j = i;
    do {
      const r = merged.runs[j]!, row = merged.rows[j]!;
      const kind = kinds[r]![row]!, add = kind === 0 || kind === 2 ? 1 : 0;
      if (!ignoreDelete || add === 1) {
        const w = seqWords[r]!, hi = w[2 * row + 1]!, lo = w[2 * row]! >>> 0;
        if (bestRun < 0 || hi > bestHi || (hi === bestHi && (lo > bestLo || (lo === bestLo && add > bestAdd)))) {
          bestRun = r; bestRow = row; bestHi = hi; bestLo = lo; bestAdd = add;
        }
      }
      j++;
    } while (j < n && merged.groupStarts[j] === 0);
    if (bestAdd === 1) {
      out.runs[count] = bestRun;
      out.rows[count] = bestRow;
      count++;
    }
    i = j;
  }
  return { ...out, count, strategy: "kernel" };
}

/**
 * Picks the winner of every key across `runs` (see the file header), in key order, or null when
 * a run's keys are not ascending (or, with a forced strategy, when that strategy does not apply).
 * The default order is concat, dense, numeric, kernel: the first that applies. Requires: row kinds 0..3 and sequence numbers without nulls
 * (validated by the caller), key columns of `options.keyTypes` in the layouts
 * key_columns_encoder.ts reads. Throws LakeError("unsupported") beyond KERNEL_MERGE_RUNS_MAX runs.
 */
export function dedupMergeRuns(runs: readonly DedupRun[], options: DedupMergeOptions): DedupSelection | null {
  if (runs.length === 0) return { ...selection(0), count: 0, strategy: options.strategy ?? "dense" };
  const forced = options.strategy;
  if (forced === undefined || forced === "concat") {
    const concat = mergeConcat(runs, options.keyTypes);
    if (concat !== null || forced === "concat") return concat;
  }
  const root = options.keyTypes.length === 1 ? options.keyTypes[0]!.root : "";
  if (NUMERIC_KEY_ROOTS.has(root) && forced !== "kernel") {
    if (forced !== "numeric") {
      const total = runs.reduce((s, run) => s + run.rowCount, 0);
      const dense = mergeDense(runs, root, options.ignoreDelete, total);
      if (dense !== null || forced === "dense") return dense;
    }
    if (runs.length <= NUMERIC_MERGE_RUNS_MAX || forced === "numeric") {
      const numeric = mergeNumeric(runs, root, options.ignoreDelete);
      if (numeric !== null || forced === "numeric") return numeric;
    }
  }
  return forced === "dense" || forced === "numeric" ? null : mergeKernel(runs, options);
}
