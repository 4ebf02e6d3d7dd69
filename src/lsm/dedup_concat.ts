/**
 * The "concat" strategy of the columnar deduplicate merge (lsm/dedup_merge.ts): when a bucket's
 * runs form one sorted run (a compacted bucket: files at one level, key ranges disjoint), every
 * key has exactly one record, which wins, so no merge is needed at all. Applies when, with runs
 * ordered by first key, every run is strictly ascending, each run's last key is below the next
 * run's first key, and every row is an add (+I/+U); the answer is then every row of the runs in
 * that order (`runOrder`), the same rows every other strategy picks.
 *
 * Checked with one linear pass over row kinds and key columns: integer words for one integer
 * key column (exact over the whole int64 range), else key_columns_encoder.ts key parts (memcmp
 * order). The selection's per-row `runs`/`rows` are built on first use only, so a caller that
 * concatenates columns by `runOrder` (table/table_read.ts) never pays for them.
 *
 * Invariants: null when any condition fails (the caller tries the next strategy); never reads
 * past a run's rowCount. Imports: format/data/column_buffers.ts, spec/data_types.ts (type),
 * kernel (type), lsm/key_columns_encoder.ts, lsm/dedup_merge.ts (types only).
 * Mirrors no single Java class (cf. Java's raw-convertible splits, `DataSplit.rawConvertible`,
 * which Paimon reads without a merge), decided here per bucket from the rows themselves.
 */
import type { ByteKeys } from "../kernel/mod.ts";
import type { DataType } from "../spec/data_types.ts";
import { int32Words, type ColumnBuffers } from "../format/data/column_buffers.ts";
import { encodeKeyColumns } from "./key_columns_encoder.ts";
import type { DedupRun, DedupSelection } from "./dedup_merge.ts";

const INTEGER_KEY_ROOTS = new Set(["TINYINT", "SMALLINT", "INT", "DATE", "TIME", "BIGINT"]);

/** True when every row kind of the run is an add (+I = 0, +U = 2). */
function allAdds(run: DedupRun): boolean {
  const d = run.rowKinds.data;
  for (let i = 0; i < run.rowCount; i++) { const k = d[i]!; if (k !== 0 && k !== 2) return false; }
  return true;
}

/** Strictly ascending single integer key column (words compared exactly); false on nulls. */
function strictlyAscendingInteger(c: ColumnBuffers, root: string, n: number): boolean {
  if (c.nullCount > 0) return false;
  if (root === "BIGINT") {
    const w = int32Words(c);
    for (let i = 1; i < n; i++) {
      const h0 = w[2 * i - 1]!, h1 = w[2 * i + 1]!;
      if (h1 < h0 || (h1 === h0 && (w[2 * i]! >>> 0) <= (w[2 * i - 2]! >>> 0))) return false;
    }
    return true;
  }
  const d = c.data;
  const view = root === "TINYINT" ? new Int8Array(d.buffer, d.byteOffset, n)
    : root === "SMALLINT" ? new Int16Array(d.buffer, d.byteOffset, n) : new Int32Array(d.buffer, d.byteOffset, n);
  for (let i = 1; i < n; i++) if (view[i]! <= view[i - 1]!) return false;
  return true;
}

/** Compares key i of run a with key j of run b for one integer key column (sign of the difference). */
function compareIntegerKeys(a: ColumnBuffers, i: number, b: ColumnBuffers, j: number, root: string): number {
  if (root === "BIGINT") {
    const wa = int32Words(a), wb = int32Words(b);
    const ha = wa[2 * i + 1]!, hb = wb[2 * j + 1]!;
    if (ha !== hb) return ha < hb ? -1 : 1;
    const la = wa[2 * i]! >>> 0, lb = wb[2 * j]! >>> 0;
    return la === lb ? 0 : la < lb ? -1 : 1;
  }
  const x = smallIntegerAt(a, root, i), y = smallIntegerAt(b, root, j);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Value i of a TINYINT, SMALLINT or INT-like (4-byte) column. */
function smallIntegerAt(c: ColumnBuffers, root: string, i: number): number {
  const d = c.data;
  return root === "TINYINT" ? (d[i]! << 24) >> 24 : root === "SMALLINT" ? new Int16Array(d.buffer, d.byteOffset, c.length)[i]! : int32Words(c)[i]!;
}

/** memcmp of key i of `a` with key j of `b`. */
function compareEncoded(a: ByteKeys, i: number, b: ByteKeys, j: number): number {
  let p = a.offsets[i]!, q = b.offsets[j]!;
  const pe = a.offsets[i + 1]!, qe = b.offsets[j + 1]!;
  for (; p < pe && q < qe; p++, q++) { const d = a.bytes[p]! - b.bytes[q]!; if (d !== 0) return d; }
  return (pe - p) - (qe - q);
}

/** True when the encoded keys are strictly ascending (memcmp order). */
function strictlyAscendingEncoded(keys: ByteKeys, n: number): boolean {
  for (let i = 1; i < n; i++) if (compareEncoded(keys, i - 1, keys, i) >= 0) return false;
  return true;
}

/**
 * The concat strategy (see the header), or null when the runs are not one sorted run of adds.
 * Cost: one pass over row kinds and key columns; no allocation beyond the selection.
 */
export function mergeConcat(runs: readonly DedupRun[], keyTypes: readonly DataType[]): DedupSelection | null {
  const root = keyTypes.length === 1 && INTEGER_KEY_ROOTS.has(keyTypes[0]!.root) ? keyTypes[0]!.root : "";
  const live: number[] = [];
  for (let r = 0; r < runs.length; r++) if (runs[r]!.rowCount > 0) live.push(r);
  // Cheap checks first: row kinds, then key order within runs.
  for (const r of live) if (!allAdds(runs[r]!)) return null;
  const encoded: (ByteKeys | null)[] = runs.map(() => null);
  for (const r of live) {
    const run = runs[r]!;
    if (root !== "") {
      if (!strictlyAscendingInteger(run.keys[0]!, root, run.rowCount)) return null;
    } else {
      const keys = encodeKeyColumns(keyTypes, run.keys, null, run.rowCount);
      if (!strictlyAscendingEncoded(keys, run.rowCount)) return null;
      encoded[r] = keys;
    }
  }
  const compareAt = (ra: number, i: number, rb: number, j: number): number => root !== ""
    ? compareIntegerKeys(runs[ra]!.keys[0]!, i, runs[rb]!.keys[0]!, j, root)
    : compareEncoded(encoded[ra]!, i, encoded[rb]!, j);
  // Order runs by first key (stable), then require disjoint, ascending ranges.
  live.sort((a, b) => compareAt(a, 0, b, 0) || a - b);
  for (let k = 1; k < live.length; k++) {
    const prev = live[k - 1]!, cur = live[k]!;
    if (compareAt(prev, runs[prev]!.rowCount - 1, cur, 0) >= 0) return null;
  }
  return new ConcatSelection(Uint32Array.from(live), live.map((r) => runs[r]!.rowCount));
}

/**
 * A "concat" selection: `runs`/`rows` are built on first use only (a caller that concatenates
 * by `runOrder` never pays for them: two fresh arrays of 4 bytes a row).
 */
class ConcatSelection implements DedupSelection {
  readonly strategy = "concat" as const;
  readonly runOrder: Uint32Array<ArrayBuffer>;
  readonly count: number;
  readonly #rowCounts: readonly number[];
  #picks: { runs: Uint32Array<ArrayBuffer>; rows: Uint32Array<ArrayBuffer> } | null = null;

  constructor(runOrder: Uint32Array<ArrayBuffer>, rowCounts: readonly number[]) {
    this.runOrder = runOrder;
    this.#rowCounts = rowCounts;
    this.count = rowCounts.reduce((a, b) => a + b, 0);
  }

  #materialize(): { runs: Uint32Array<ArrayBuffer>; rows: Uint32Array<ArrayBuffer> } {
    if (this.#picks !== null) return this.#picks;
    const out = { runs: new Uint32Array(this.count), rows: new Uint32Array(this.count) };
    let at = 0;
    for (let k = 0; k < this.runOrder.length; k++) {
      const n = this.#rowCounts[k]!;
      out.runs.fill(this.runOrder[k]!, at, at + n);
      for (let i = 0; i < n; i++) out.rows[at + i] = i;
      at += n;
    }
    return this.#picks = out;
  }

  get runs(): Uint32Array<ArrayBuffer> { return this.#materialize().runs; }
  get rows(): Uint32Array<ArrayBuffer> { return this.#materialize().rows; }
}
