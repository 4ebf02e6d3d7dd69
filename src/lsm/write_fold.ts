/**
 * The aggregation engine's flush, column by column: every key group of two or more add records
 * is folded per column with that column's aggregate function, reading the buffer sequentially
 * (in arrival order, which is the merge order within a key when there is no `sequence.field`)
 * into per-group accumulators, instead of visiting each group's rows at random.
 *
 * Accumulators are indexed by "slot" (write_sort.ts `slots()`: key - min on the dense path, so
 * no per-row group lookup); double sums without nulls go to the kernel (`sumF64BySlot`, WASM,
 * with a plain-TypeScript twin), which adds every row into its slot's accumulators.
 * Same results as `ReducerMergeFunctionWrapper(AggregateMergeFunction)` (write_merge.ts header):
 *  - one-record groups: the record unchanged (its own row kind);
 *  - groups holding a -U/-D: the merge function itself (KeyValue objects);
 *  - other groups: per column, `primary-key`/`last_value` take the last record's value,
 *    `last_non_null_value` the last non-null one, `first_value` the first record's,
 *    `first_non_null_value` the first non-null one; `sum` of TINYINT..INT/FLOAT/DOUBLE adds JS
 *    numbers (float32 rounding for FLOAT, Java's overflow error for integers); any other
 *    function folds with its aggregator (they are stateless apart from first_value, which is a
 *    pick here); result kind +I, sequence number of the last record.
 * When the buffer holds only +I records and every column is a last-pick or a sum, a one-record
 * group folds to exactly itself, so every group is folded without telling them apart, and the
 * output is built column by column (`foldedOutput`: pick columns share the sort's row arrays,
 * sums are handed over as they are when every slot holds a group).
 *
 * Invariants: output in key (group) order; columns hold every table field.
 * Imports: util/assert.ts, kernel (KeyKernel type, reference_sum.ts), spec (row_kind, values types),
 * lsm/write_columns.ts, lsm/write_merge.ts (types and object merge). Mirrors `AggregateMergeFunction`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/AggregateMergeFunction.java
 */
import { isRetract, type RowKind } from "../spec/row_kind.ts";
import type { Value } from "../spec/values.ts";
import { CHUNK_MASK, CHUNK_SHIFT, type ColumnStore } from "./write_columns.ts";
import type { FieldAggregator } from "./merge_function/aggregators/field_aggregator.ts";
import type { AggregateColumn, MergedRecord, MergeOutput, MergeRows } from "./write_merge.ts";
import type { FieldOutput } from "./write_output.ts";
import type { WriteSortResult } from "./write_sort.ts";
import { unreachable } from "../util/assert.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { sumF64BySlot } from "../kernel/reference_sum.ts";

/** Merges a group with retracts through the merge function (write_merge.ts): positions [a, b). */
export type ObjectMerge = (a: number, b: number) => number | MergedRecord | null;

/** What folding one column produced, per slot (or per group for picks). */
type FoldResult =
  /** `rows`: the group's row is `rows[g]` for every group (the array can be shared). */
  | { readonly kind: "pick"; readonly rowOf: (g: number, slot: number) => number; readonly rows: Int32Array | null }
  | { readonly kind: "sum"; readonly sums: Float64Array; readonly has: Uint8Array | null }
  | { readonly kind: "acc"; readonly acc: readonly Value[] };

interface FoldState {
  readonly sorted: WriteSortResult;
  /** Row → slot. */
  readonly slotOf: Int32Array;
  /** Per slot: 1 when its group is folded here (two or more records, no retract). */
  readonly folded: Uint8Array;
  /** Rows in merge order, or null for arrival order. */
  readonly order: Uint32Array | null;
  readonly n: number;
  readonly slotCount: number;
}

type FieldOutputBuilder =
  | { readonly kind: "rows"; readonly rows: Int32Array }
  | { readonly kind: "numbers"; readonly data: Float64Array; readonly valid: Uint8Array }
  | { readonly kind: "values"; readonly values: Value[] };

/**
 * Folds every group (see the file header). `permOrder`: fold in sorted order (sequence
 * fields decide the merge order) instead of arrival order. `kernel`: the write buffer's key
 * kernel (its WASM form sums double columns; see kernel/reference_sum.ts).
 */
export function foldAggregation(
  rows: MergeRows, sorted: WriteSortResult, permOrder: boolean, columns: readonly AggregateColumn[], objectMerge: ObjectMerge,
  kernel: KeyKernel,
): MergeOutput {
  const G = sorted.groupCount;
  const { slotOf, groupSlot, slotCount } = sorted.slots();
  const lastRows = sorted.lastRows();
  const n = slotOf.length;
  // With only +I records and every column a pick or a sum, a one-record group folds to itself
  // (same values, kind +I): fold every group and skip telling them apart.
  const foldAll = rows.retractRowCount === 0 && rows.updateAfterRowCount === 0 &&
    columns.every((c) => c.pick === "last" || c.pick === "lastNonNull" || c.pick === "sum");
  const folded = new Uint8Array(slotCount);
  const single = foldAll ? null : sorted.firstRows();
  if (single === null) folded.fill(1);
  else for (let g = 0; g < G; g++) if (single[g] !== lastRows[g]) folded[groupSlot[g]!] = 1;
  if (rows.retractRowCount > 0) for (let i = 0; i < n; i++) if (isRetract(rows.kindAt(i) as RowKind)) folded[slotOf[i]!] = 0;
  const state: FoldState = { sorted, slotOf, folded, order: permOrder ? sorted.perm() : null, n, slotCount };
  const fused = fuseSums(rows.stores, columns, state, kernel);
  const results = columns.map((column, f) => fused.get(f) ?? foldColumn(rows.stores[f]!, column, state));
  if (single === null) return foldedOutput(results, groupSlot, lastRows, G, slotCount);

  const sources = new Int32Array(G);
  const kinds = new Uint8Array(G);
  const fields: FieldOutputBuilder[] = results.map((r) => r.kind === "pick"
    ? { kind: "rows", rows: new Int32Array(G) }
    : r.kind === "sum" ? { kind: "numbers", data: new Float64Array(G), valid: new Uint8Array(G) } : { kind: "values", values: new Array<Value>(G) });
  const records: MergedRecord[] = [];
  let count = 0;
  for (let g = 0; g < G; g++) {
    const slot = groupSlot[g]!;
    if (folded[slot] === 1) {
      sources[count] = lastRows[g]!;
      kinds[count] = 0;
      for (let f = 0; f < fields.length; f++) setFolded(fields[f]!, results[f]!, count, g, slot);
      count++;
      continue;
    }
    let merged: number | MergedRecord | null = lastRows[g]!;
    if (single !== null && single[g] !== lastRows[g]) {
      const bounds = sorted.bounds();
      merged = objectMerge(bounds[g]!, bounds[g + 1]!);
    }
    if (merged === null) continue;
    let source: number;
    if (typeof merged === "number") {
      source = merged;
      kinds[count] = rows.kindAt(merged);
    } else {
      records.push(merged);
      source = ~(records.length - 1);
      kinds[count] = merged.rowKind;
    }
    sources[count] = source;
    for (let f = 0; f < fields.length; f++) {
      const out = fields[f]!;
      if (out.kind === "rows") {
        out.rows[count] = source;
        continue;
      }
      const v = typeof merged === "number" ? rows.stores[f]!.valueAt(merged) : merged.value[f] ?? null;
      if (out.kind === "values") out.values[count] = v;
      else if (v !== null) {
        out.data[count] = v as number;
        out.valid[count] = 1;
      }
    }
    count++;
  }
  const outputs: FieldOutput[] = fields.map((f) => (f.kind === "values" ? { kind: "values", values: f.values.slice(0, count) } : f));
  return { count, sources, records, fields: outputs, kinds: kinds.subarray(0, count) };
}

/**
 * The output when every group is folded here (only +I records, see the file header): one row
 * per group, kind +I, sources the groups' last rows; pick columns reuse their row arrays and
 * sums are read per group slot (taken as they are when every slot holds a group).
 */
function foldedOutput(results: readonly FoldResult[], groupSlot: Int32Array, lastRows: Int32Array, G: number, slotCount: number): MergeOutput {
  const identity = G === slotCount;
  const fields = results.map((r): FieldOutput => {
    if (r.kind === "sum") {
      if (identity) return { kind: "numbers", data: r.sums, valid: r.has };
      const { sums, has } = r, data = new Float64Array(G), valid = has === null ? null : new Uint8Array(G);
      for (let g = 0; g < G; g++) data[g] = sums[groupSlot[g]!]!;
      if (valid !== null) for (let g = 0; g < G; g++) valid[g] = has![groupSlot[g]!]!;
      return { kind: "numbers", data, valid };
    }
    // Every group folds here only when every column is a last-pick or a sum (no accumulator).
    if (r.kind === "acc") unreachable("write fold: an accumulator column in a fold of every group");
    if (r.rows !== null) return { kind: "rows", rows: r.rows };
    const out = new Int32Array(G);
    for (let g = 0; g < G; g++) out[g] = r.rowOf(g, groupSlot[g]!);
    return { kind: "rows", rows: out };
  });
  return { count: G, sources: lastRows, records: [], fields, kinds: new Uint8Array(G) };
}

function setFolded(out: FieldOutputBuilder, result: FoldResult, o: number, g: number, slot: number): void {
  if (out.kind === "rows" && result.kind === "pick") out.rows[o] = result.rowOf(g, slot);
  else if (out.kind === "numbers" && result.kind === "sum") {
    out.data[o] = result.sums[slot]!;
    out.valid[o] = result.has === null ? 1 : result.has[slot]!;
  } else if (out.kind === "values" && result.kind === "acc") out.values[o] = result.acc[slot]!;
}

/** Folds one column over the folded groups. */
function foldColumn(store: ColumnStore, column: AggregateColumn, s: FoldState): FoldResult {
  switch (column.pick) {
    case "last": case "first": {
      const rows = column.pick === "last" ? s.sorted.lastRows() : s.sorted.firstRows();
      return { kind: "pick", rowOf: (g) => rows[g]!, rows };
    }
    case "lastNonNull": case "firstNonNull": {
      const rows = column.pick === "lastNonNull" ? s.sorted.lastRows() : s.sorted.firstRows();
      if (store.nullCount === 0) return { kind: "pick", rowOf: (g) => rows[g]!, rows };
      const picked = pickNonNull(store, s, column.pick === "lastNonNull");
      // No non-null value: every row of the group is null there; take the last/first one.
      return { kind: "pick", rowOf: (g, slot) => (picked[slot]! < 0 ? rows[g]! : picked[slot]!), rows: null };
    }
    case "sum": return sumColumn(store, s, column);
    case null: {
      const acc: Value[] = new Array<Value>(s.slotCount).fill(null);
      const aggregator = column.aggregator;
      const { slotOf, folded, order, n } = s;
      for (let p = 0; p < n; p++) {
        const row = order === null ? p : order[p]!;
        const slot = slotOf[row]!;
        if (folded[slot] === 1) acc[slot] = aggregator.agg(acc[slot]!, store.valueAt(row));
      }
      return { kind: "acc", acc };
    }
  }
}

/** Per slot: the last (or first) non-null row in merge order, -1 when none. */
function pickNonNull(store: ColumnStore, s: FoldState, last: boolean): Int32Array {
  const picked = new Int32Array(s.slotCount).fill(-1);
  const { slotOf, folded, order, n } = s;
  for (let p = 0; p < n; p++) {
    const row = order === null ? p : order[p]!;
    const slot = slotOf[row]!;
    if (folded[slot] === 1 && !store.isNull(row) && (last || picked[slot] === -1)) picked[slot] = row;
  }
  return picked;
}

/** `sum` of a number column with nulls (or in sorted order), per slot (see the file header). */
function sumColumn(
  store: ColumnStore, s: FoldState, column: { aggregator: FieldAggregator; float32: boolean; range: readonly [number, number] | null },
): FoldResult {
  const sums = new Float64Array(s.slotCount);
  const has = new Uint8Array(s.slotCount);
  const { slotOf, folded, order, n } = s;
  const chunks = store.chunks as Float64Array[];
  const { float32, range } = column;
  for (let p = 0; p < n; p++) {
    const row = order === null ? p : order[p]!;
    const slot = slotOf[row]!;
    if (folded[slot] === 0 || store.isNull(row)) continue;
    const v = chunks[row >>> CHUNK_SHIFT]![row & CHUNK_MASK]!;
    if (has[slot] === 0) {
      has[slot] = 1;
      sums[slot] = v;
      continue;
    }
    const next = sums[slot]! + v;
    if (float32) sums[slot] = Math.fround(next);
    else if (range !== null && (next < range[0] || next > range[1])) column.aggregator.agg(sums[slot]!, v); // throws Java's overflow error
    else sums[slot] = next;
  }
  return { kind: "sum", sums, has };
}

/**
 * The `sum` columns without nulls, folded together in arrival order; accumulators start at
 * -0.0, the identity of IEEE addition, so no "has value" flag is needed. Doubles go through
 * the kernel's `sumF64BySlot` (kernel/reference_sum.ts; one array per column, handed out as the
 * column's sums);
 * FLOAT and integer columns are summed row by row into interleaved accumulators (float32
 * rounding, overflow check). Nothing when the fold runs in sorted order.
 */
function fuseSums(stores: readonly ColumnStore[], columns: readonly AggregateColumn[], s: FoldState, kernel: KeyKernel): Map<number, FoldResult> {
  const out = new Map<number, FoldResult>();
  if (s.order !== null) return out;
  const picked: number[] = [];
  columns.forEach((c, f) => { if (c.pick === "sum" && stores[f]!.nullCount === 0) picked.push(f); });
  if (picked.length === 0) return out;
  const k = picked.length, S = s.slotCount, n = s.n;
  const chunkOf = picked.map((f) => stores[f]!.chunks as Float64Array[]);
  const specs = picked.map((f) => columns[f] as Extract<AggregateColumn, { pick: "sum" }>);
  if (specs.every((c) => !c.float32 && c.range === null)) {
    // Doubles: every slot is summed (slots not folded here are not read back).
    const accs = sumF64BySlot(kernel, s.slotOf, chunkOf, CHUNK_SHIFT, S);
    picked.forEach((f, j) => out.set(f, { kind: "sum", sums: accs[j]!, has: null }));
    return out;
  }
  const acc = new Float64Array(S * k).fill(-0);
  const { slotOf, folded } = s;
  for (let row = 0; row < n; row++) {
    const slot = slotOf[row]!;
    if (folded[slot] === 0) continue;
    const c = row >>> CHUNK_SHIFT, r = row & CHUNK_MASK;
    for (let j = 0; j < k; j++) {
      const spec = specs[j]!, v = chunkOf[j]![c]![r]!, at = slot * k + j;
      const next = acc[at]! + v;
      if (spec.float32) acc[at] = Math.fround(next);
      else if (spec.range !== null && (next < spec.range[0] || next > spec.range[1])) spec.aggregator.agg(acc[at]!, v); // throws
      else acc[at] = next;
    }
  }
  picked.forEach((f, j) => {
    const sums = k === 1 ? acc : new Float64Array(S);
    if (k > 1) for (let slot = 0; slot < S; slot++) sums[slot] = acc[slot * k + j]!;
    out.set(f, { kind: "sum", sums, has: null });
  });
  return out;
}
