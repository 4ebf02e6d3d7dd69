/**
 * The WASM key kernel: owns one instance of the AssemblyScript module (assembly/), its typed
 * views, and the batching that keeps every call inside the regions.
 *
 * Contract: same results as the twins (reference.ts, reference_bloom.ts), bit for bit. Each call copies its inputs
 * into fixed regions (abi.ts), makes one kernel call per batch, and copies results out; nothing
 * is allocated inside WASM. A call larger than a batch (`batchRowsMax` rows or `batchBytesMax`
 * key bytes) is split: sorts become sorted chunks merged by the kernel merge, merges stream
 * windows of every run through the kernel, searches split the table into segments and the
 * probes into batches. Memory grows to the largest batch seen and never shrinks; views are
 * re-created when it grows, and after every kernel call the buffer must be unchanged.
 *
 * Invariants: region offsets are read back from the module (`>>> 0`), never computed here.
 * Imports: util/assert.ts, errors.ts, kernel/abi.ts, kernel/reference.ts (types, key helpers),
 * kernel/reference_bloom.ts (bloom types), kernel/reference_sum.ts (slot-sum checks),
 * kernel/batches.ts (batch planning).
 * Mirrors no Java class.
 */

import { assert } from "../util/assert.ts";
import { LakeError } from "../errors.ts";
import { bindKernelExports, KERNEL_RC, REGION, REGION_COUNT, RUN_FIELD, RUN_STRIDE_BYTES, RUNS_MAX } from "./abi.ts";
import type { KernelExports } from "./abi.ts";
import {
  assertKeysShape, compareKeysAt, equalKeysIgnoringTail, keyCount, shortKeyError, tailBytesOption,
  tooManyRunsError,
} from "./reference.ts";
import type { ByteKeys, KeyKernel, MergeOptions, MergeResult, SearchResult } from "./reference.ts";
import type { BloomKernel, BloomU64Options, BloomU64Result } from "./reference_bloom.ts";
import { assertShape, assertSlotsInRange, type SlotSumKernel } from "./reference_sum.ts";
import { gatherKeys, planBatches, u64AsKeys } from "./batches.ts";

/** Default rows per kernel call: 8 Mi rows keeps a 5 M-row sort in one call (≈ 33 B of regions per row). */
export const KERNEL_BATCH_ROWS_MAX = 1 << 23;
/** Default key bytes per kernel call: 256 MiB, so one call's memory stays well under 1 GiB. */
export const KERNEL_BATCH_BYTES_MAX = 1 << 28;
/** Largest region capacity the layout can address (wasm32: 4 GiB minus one page, all regions). */
const REGION_BYTES_MAX = 0xffff0000;

/** Per-call batch limits; tests shrink them to exercise the batching paths. */
export interface KernelLimits {
  /** Rows (keys, probes, merge outputs) per kernel call; >= 1. */
  readonly batchRowsMax: number;
  /** Key bytes per kernel call (a single larger key still goes through, alone); >= 1. */
  readonly batchBytesMax: number;
}

/** The WebAssembly implementation of `KeyKernel`. Not re-entrant; one call at a time. */
export class WasmKernel implements KeyKernel, BloomKernel, SlotSumKernel {
  readonly kind = "wasm" as const;
  private readonly x: KernelExports;
  private readonly rowsMax: number;
  private readonly bytesMax: number;
  private readonly reg = new Uint32Array(REGION_COUNT);
  private buf: ArrayBuffer | null = null;
  private u8 = new Uint8Array(0);
  private u32 = new Uint32Array(0);
  private u64 = new BigUint64Array(0);
  private f64 = new Float64Array(0);
  private rowsCap = 0;
  private bytesACap = 0;
  private bytesBCap = 0;

  /** Requires: an instance of the embedded kernel module (ABI checked here). */
  constructor(instance: WebAssembly.Instance, limits?: Partial<KernelLimits>) {
    this.x = bindKernelExports(instance.exports);
    this.rowsMax = limits?.batchRowsMax ?? KERNEL_BATCH_ROWS_MAX;
    this.bytesMax = limits?.batchBytesMax ?? KERNEL_BATCH_BYTES_MAX;
    assert(Number.isInteger(this.rowsMax) && this.rowsMax >= 1, `kernel: batchRowsMax ${this.rowsMax}, expected an integer >= 1`);
    assert(Number.isInteger(this.bytesMax) && this.bytesMax >= 1, `kernel: batchBytesMax ${this.bytesMax}, expected an integer >= 1`);
  }

  /** Current size of the kernel's linear memory in bytes (grows to the largest batch, never shrinks). */
  get memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /** Makes the regions hold `rows` rows and the given key bytes; re-creates views if memory moved. */
  private ensure(rows: number, bytesA: number, bytesB: number): void {
    if (rows > this.rowsCap || bytesA > this.bytesACap || bytesB > this.bytesBCap) {
      const round = (v: number, unit: number) => Math.ceil(v / unit) * unit;
      const r = Math.max(this.rowsCap, round(rows, 4096));
      const a = Math.max(this.bytesACap, round(bytesA, 65536));
      const b = Math.max(this.bytesBCap, round(bytesB, 65536));
      if (r > REGION_BYTES_MAX / 8 || a > REGION_BYTES_MAX || b > REGION_BYTES_MAX || this.x.layout(r, a, b) !== 0) {
        throw new LakeError("unsupported",
          `kernel: cannot lay out wasm memory for ${rows} rows and ${bytesA} + ${bytesB} key bytes (4 GiB limit)`);
      }
      this.rowsCap = r; this.bytesACap = a; this.bytesBCap = b;
      for (let id = 0; id < REGION_COUNT; id++) this.reg[id] = this.x.regionOffset(id) >>> 0;
    }
    const buffer = this.x.memory.buffer;
    if (buffer !== this.buf) {
      this.buf = buffer;
      this.u8 = new Uint8Array(buffer);
      this.u32 = new Uint32Array(buffer);
      this.u64 = new BigUint64Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
  }

  /** After a kernel call: the kernel never grows memory, so the views must still be live. */
  private checkBuffer(): void {
    assert(this.x.memory.buffer === this.buf, "kernel: wasm memory changed during a kernel call");
  }

  /** Copies keys [from, to) into KEYS_A/OFFS_A (offsets verbatim; the kernel rebases). */
  private putKeysA(keys: ByteKeys, from: number, to: number): void {
    const o = keys.offsets;
    this.u8.set(keys.bytes.subarray(o[from]!, o[to]!), this.reg[REGION.KEYS_A]!);
    this.u32.set(o.subarray(from, to + 1), this.reg[REGION.OFFS_A]! >>> 2);
  }

  /** True when all n keys fit one batch (or are a single key, which always goes alone). */
  private fitsOneBatch(keys: ByteKeys, n: number): boolean {
    return n <= 1 || (n <= this.rowsMax && keys.offsets[n]! - keys.offsets[0]! <= this.bytesMax);
  }

  private u32Out(region: number, n: number): Uint32Array<ArrayBuffer> {
    const at = this.reg[region]! >>> 2;
    return this.u32.slice(at, at + n);
  }

  sortKeys(keys: ByteKeys): Uint32Array<ArrayBuffer> {
    assertKeysShape(keys, "sort");
    const n = keyCount(keys);
    if (this.fitsOneBatch(keys, n)) return this.sortBatch(keys, 0, n);
    const cuts = planBatches(keys, 0, n, this.rowsMax, this.bytesMax);
    // Over one batch: sort each batch, then merge the sorted batches (stable: batches in order).
    const runs: ByteKeys[] = [], perms: Uint32Array[] = [];
    for (let c = 0; c + 1 < cuts.length; c++) {
      const perm = this.sortBatch(keys, cuts[c]!, cuts[c + 1]!);
      for (let i = 0; i < perm.length; i++) perm[i] = perm[i]! + cuts[c]!;
      perms.push(perm);
      runs.push(gatherKeys(keys, perm));
    }
    return this.composeMerged(runs, perms);
  }

  /** Merges sorted `runs` and maps each output (run, row) through `perms[run][row]`. */
  private composeMerged(runs: ByteKeys[], perms: Uint32Array[]): Uint32Array<ArrayBuffer> {
    if (runs.length > RUNS_MAX) throw tooManyRunsError(runs.length);
    const merged = this.mergeRuns(runs);
    const out = new Uint32Array(merged.runs.length);
    for (let i = 0; i < out.length; i++) out[i] = perms[merged.runs[i]!]![merged.rows[i]!]!;
    return out;
  }

  private sortBatch(keys: ByteKeys, from: number, to: number): Uint32Array<ArrayBuffer> {
    const n = to - from;
    if (n === 0) return new Uint32Array(0);
    const o = keys.offsets;
    this.ensure(n, o[to]! - o[from]!, 0);
    this.putKeysA(keys, from, to);
    const rc = this.x.sortKeys(n);
    this.checkBuffer();
    assert(rc === KERNEL_RC.OK, `kernel sort: offsets decrease within keys [${from}, ${to})`);
    return this.u32Out(REGION.U32_A, n);
  }

  sortU64(keys: BigUint64Array): Uint32Array<ArrayBuffer> {
    const n = keys.length;
    if (n <= this.rowsMax && n * 8 <= this.bytesMax) return this.sortU64Batch(keys);
    const step = Math.max(1, Math.min(this.rowsMax, Math.floor(this.bytesMax / 8)));
    const runs: ByteKeys[] = [], perms: Uint32Array[] = [];
    for (let s = 0; s < n; s += step) {
      const part = keys.subarray(s, Math.min(n, s + step));
      const perm = this.sortU64Batch(part);
      const sorted = new BigUint64Array(perm.length);
      for (let i = 0; i < perm.length; i++) { sorted[i] = part[perm[i]!]!; perm[i] = perm[i]! + s; }
      perms.push(perm);
      runs.push(u64AsKeys(sorted));
    }
    return this.composeMerged(runs, perms);
  }

  private sortU64Batch(keys: BigUint64Array): Uint32Array<ArrayBuffer> {
    const n = keys.length;
    if (n === 0) return new Uint32Array(0);
    this.ensure(n, n * 8, 0);
    this.u64.set(keys, this.reg[REGION.KEYS_A]! >>> 3);
    this.x.sortU64(n);
    this.checkBuffer();
    return this.u32Out(REGION.U32_A, n);
  }

  mergeRuns(runs: readonly ByteKeys[], options?: MergeOptions): MergeResult {
    const tail = tailBytesOption(options);
    const k = runs.length;
    if (k > RUNS_MAX) throw tooManyRunsError(k);
    let total = 0, remainingBytes = 0;
    const rowsOf = runs.map((r) => { assertKeysShape(r, "merge run"); return keyCount(r); });
    for (let r = 0; r < k; r++) { total += rowsOf[r]!; remainingBytes += runs[r]!.offsets[rowsOf[r]!]! - runs[r]!.offsets[0]!; }
    const out = { runs: new Uint32Array(total), rows: new Uint32Array(total), groupStarts: new Uint8Array(total) };
    const cursors = new Array<number>(k).fill(0), windows = new Array<number>(k).fill(0);
    let produced = 0;
    while (produced < total) {
      const remainingRows = total - produced;
      const whole = remainingRows <= this.rowsMax && remainingBytes <= this.bytesMax;
      let active = 0;
      for (let r = 0; r < k; r++) if (cursors[r]! < rowsOf[r]!) active++;
      const rowShare = Math.max(1, Math.floor(this.rowsMax / active));
      const byteShare = Math.floor(this.bytesMax / active);
      let sumRows = 0, sumBytes = 0;
      for (let r = 0; r < k; r++) {
        const o = runs[r]!.offsets, c = cursors[r]!;
        let w = whole ? rowsOf[r]! - c : 0;
        if (!whole) {
          while (c + w < rowsOf[r]! && w < rowShare && (w === 0 || o[c + w + 1]! - o[c]! <= byteShare)) w++;
        }
        windows[r] = w;
        sumRows += w;
        sumBytes += o[c + w]! - o[c]!;
      }
      this.ensure(sumRows, sumBytes, 0);
      this.putWindows(runs, rowsOf, cursors, windows);
      const cnt = this.x.mergeRuns(k, tail, sumRows);
      this.checkBuffer();
      if (cnt === KERNEL_RC.SHORT_KEY_OR_BAD_TABLE) throw shortKeyError(tail);
      assert(cnt > 0, `kernel merge: call returned ${cnt} (decreasing offsets or no progress)`);
      const a = this.reg[REGION.U32_A]! >>> 2, b = this.reg[REGION.U32_B]! >>> 2, m = this.reg[REGION.U8]!;
      out.runs.set(this.u32.subarray(a, a + cnt), produced);
      out.rows.set(this.u32.subarray(b, b + cnt), produced);
      out.groupStarts.set(this.u8.subarray(m, m + cnt), produced);
      if (produced > 0) {
        const pr = out.runs[produced - 1]!, pw = out.rows[produced - 1]!;
        const fr = out.runs[produced]!, fw = out.rows[produced]!;
        out.groupStarts[produced] = equalKeysIgnoringTail(runs[pr]!, pw, runs[fr]!, fw, tail) ? 0 : 1;
      }
      const table = this.reg[REGION.RUNS]! >>> 2;
      for (let r = 0; r < k; r++) {
        const used = this.u32[table + r * (RUN_STRIDE_BYTES >>> 2) + RUN_FIELD.CURSOR]!;
        const o = runs[r]!.offsets;
        remainingBytes -= o[cursors[r]! + used]! - o[cursors[r]!]!;
        cursors[r] = cursors[r]! + used;
      }
      produced += cnt;
    }
    return out;
  }

  /** Copies each run's window [cursor, cursor + window) and fills the run table. */
  private putWindows(runs: readonly ByteKeys[], rowsOf: number[], cursors: number[], windows: number[]): void {
    const keysA = this.reg[REGION.KEYS_A]!, offsA = this.reg[REGION.OFFS_A]! >>> 2;
    const table = this.reg[REGION.RUNS]! >>> 2, stride = RUN_STRIDE_BYTES >>> 2;
    let offIndex = 0, bytePos = 0;
    for (let r = 0; r < runs.length; r++) {
      const o = runs[r]!.offsets, c = cursors[r]!, w = windows[r]!;
      const e = table + r * stride;
      if (w > 0) {
        this.u32.set(o.subarray(c, c + w + 1), offsA + offIndex);
        this.u8.set(runs[r]!.bytes.subarray(o[c]!, o[c + w]!), keysA + bytePos);
      }
      this.u32[e + RUN_FIELD.OFF_INDEX] = offIndex;
      this.u32[e + RUN_FIELD.ROWS] = w;
      this.u32[e + RUN_FIELD.FINAL] = c + w === rowsOf[r]! ? 1 : 0;
      this.u32[e + RUN_FIELD.DATA_BASE] = (keysA + bytePos - o[c]!) >>> 0;
      this.u32[e + RUN_FIELD.ROW_BASE] = c;
      offIndex += w + 1;
      bytePos += o[c + w]! - o[c]!;
    }
  }

  lowerBound(sorted: ByteKeys, probes: ByteKeys): SearchResult {
    assertKeysShape(sorted, "search table");
    assertKeysShape(probes, "search probes");
    const n = keyCount(sorted), p = keyCount(probes);
    if (this.fitsOneBatch(sorted, n)) return this.searchSegment(sorted, 0, n, probes);
    const segments = planBatches(sorted, 0, n, this.rowsMax, this.bytesMax);
    // Table over one batch: probe q belongs to the first segment whose last key is >= it.
    const index = new Uint32Array(p).fill(n), found = new Uint8Array(p);
    const segs = segments.length - 1;
    const members: number[][] = Array.from({ length: segs }, () => []);
    for (let q = 0; q < p; q++) {
      let lo = 0, hi = segs;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareKeysAt(sorted, segments[mid + 1]! - 1, probes, q) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (lo < segs) members[lo]!.push(q);
    }
    for (let s = 0; s < segs; s++) {
      const ids = members[s]!;
      if (ids.length === 0) continue;
      const r = this.searchSegment(sorted, segments[s]!, segments[s + 1]!, gatherKeys(probes, ids));
      for (let j = 0; j < ids.length; j++) { index[ids[j]!] = r.index[j]! + segments[s]!; found[ids[j]!] = r.found[j]!; }
    }
    return { index, found };
  }

  /** Searches all probes in table rows [from, to) (one region's worth); indexes relative to `from`. */
  private searchSegment(table: ByteKeys, from: number, to: number, probes: ByteKeys): SearchResult {
    const p = keyCount(probes), n = to - from, o = table.offsets, po = probes.offsets;
    const index = new Uint32Array(p), found = new Uint8Array(p);
    const batches = planBatches(probes, 0, p, this.rowsMax, this.bytesMax);
    let rows = n, bytesB = 0;
    for (let i = 0; i + 1 < batches.length; i++) {
      rows = Math.max(rows, batches[i + 1]! - batches[i]!);
      bytesB = Math.max(bytesB, po[batches[i + 1]!]! - po[batches[i]!]!);
    }
    if (p === 0) return { index, found };
    this.ensure(rows, o[to]! - o[from]!, bytesB);
    this.putKeysA(table, from, to);
    const keysB = this.reg[REGION.KEYS_B]!, offsB = this.reg[REGION.OFFS_B]! >>> 2;
    for (let i = 0; i + 1 < batches.length; i++) {
      const s = batches[i]!, e = batches[i + 1]!;
      this.u8.set(probes.bytes.subarray(po[s]!, po[e]!), keysB);
      this.u32.set(po.subarray(s, e + 1), offsB);
      const rc = this.x.lowerBound(n, e - s);
      this.checkBuffer();
      assert(rc === KERNEL_RC.OK, `kernel search: offsets decrease (${rc === -1 ? "table" : "probes"})`);
      const a = this.reg[REGION.U32_A]! >>> 2, f = this.reg[REGION.U8]!;
      index.set(this.u32.subarray(a, a + e - s), s);
      found.set(this.u8.subarray(f, f + e - s), s);
    }
    return { index, found };
  }

  lowerBoundU64(sorted: BigUint64Array, probes: BigUint64Array): SearchResult {
    const n = sorted.length, p = probes.length;
    const segRows = Math.max(1, Math.min(this.rowsMax, Math.floor(this.bytesMax / 8)));
    if (n <= segRows) return this.searchU64Segment(sorted, probes);
    const index = new Uint32Array(p).fill(n), found = new Uint8Array(p);
    const segs = Math.ceil(n / segRows);
    const members: number[][] = Array.from({ length: segs }, () => []);
    for (let q = 0; q < p; q++) {
      let lo = 0, hi = segs;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[Math.min(n, (mid + 1) * segRows) - 1]! < probes[q]!) lo = mid + 1;
        else hi = mid;
      }
      if (lo < segs) members[lo]!.push(q);
    }
    for (let s = 0; s < segs; s++) {
      const ids = members[s]!;
      if (ids.length === 0) continue;
      const sub = BigUint64Array.from(ids, (q) => probes[q]!);
      const r = this.searchU64Segment(sorted.subarray(s * segRows, Math.min(n, (s + 1) * segRows)), sub);
      for (let j = 0; j < ids.length; j++) { index[ids[j]!] = r.index[j]! + s * segRows; found[ids[j]!] = r.found[j]!; }
    }
    return { index, found };
  }

  /**
   * The WASM form of `bloomBuildU64Twin` (reference_bloom.ts), same filter words. The filter
   * lives in U32_A (the layout's rows are its word count, even beyond `batchRowsMax`: about
   * 0.3 words a key); keys stream through KEYS_A in batches of at most `batchRowsMax` keys and
   * `batchBytesMax` bytes, the kernel carrying the block-run state across them.
   */
  bloomBuildU64(words: Uint32Array, count: number, options: BloomU64Options): BloomU64Result {
    const filterWords = options.blocks * 8;
    assert(Number.isInteger(options.blocks) && options.blocks >= 1, `kernel bloom: ${options.blocks} blocks, expected an integer >= 1`);
    assert(words.length >= 2 * count, `kernel bloom: ${words.length} words for ${count} keys`);
    const step = Math.max(1, Math.min(this.rowsMax, Math.floor(this.bytesMax / 8), count));
    const run = (scale: number): number => {
      // Rows sized for the filter only (U32_A); the keys need KEYS_A bytes, not row regions.
      this.ensure(filterWords, step * 8, 0);
      let runMax = 0;
      if (count === 0) {
        runMax = this.x.bloomBuildU64(0, options.blocks, options.minHi, options.minLo, scale, 1);
      }
      for (let s = 0; s < count; s += step) {
        const e = Math.min(count, s + step);
        this.u32.set(words.subarray(2 * s, 2 * e), this.reg[REGION.KEYS_A]! >>> 2);
        runMax = this.x.bloomBuildU64(e - s, options.blocks, options.minHi, options.minLo, scale, s === 0 ? 1 : 0);
        this.checkBuffer();
        if (scale > 0 && runMax > options.blockKeysMax) break;
      }
      return runMax;
    };
    let scale = options.scale;
    if (scale > 0 && run(scale) > options.blockKeysMax) scale = 0;
    if (scale === 0) run(0);
    return { filter: this.u32Out(REGION.U32_A, filterWords), scale };
  }

  /**
   * The WASM form of `sumF64BySlotTwin` (reference_sum.ts), same sums. The accumulators of a
   * window of slots live in KEYS_B (one window holds every slot unless the accumulators exceed
   * `batchBytesMax`; each further window reads every row again); rows stream through U32_A
   * (slots) and KEYS_A (values, column by column) a segment at a time, at most `batchRowsMax`
   * rows and `batchBytesMax` value bytes per call.
   */
  sumF64BySlot(slotOf: Int32Array, columns: readonly (readonly Float64Array[])[], segmentShift: number, slotCount: number): Float64Array[] {
    assertShape(segmentShift, slotCount);
    const k = columns.length, n = slotOf.length;
    if (k === 0 || n === 0 || slotCount === 0) {
      if (n > 0) assertSlotsInRange(slotOf, slotCount);
      return columns.map(() => new Float64Array(slotCount).fill(-0));
    }
    const segmentRows = 2 ** segmentShift;
    const step = Math.max(1, Math.min(this.rowsMax, Math.floor(this.bytesMax / (8 * k)), segmentRows, n));
    const window = Math.max(1, Math.min(slotCount, Math.floor(this.bytesMax / (8 * k))));
    this.ensure(step, step * 8 * k, window * 8 * k);
    const slotsAt = this.reg[REGION.U32_A]! >>> 2, valuesAt = this.reg[REGION.KEYS_A]! >>> 3, accAt = this.reg[REGION.KEYS_B]! >>> 3;
    const slots = new Int32Array(this.u32.buffer);
    const out: Float64Array[] = [];
    let added = 0;
    for (let lo = 0; lo < slotCount; lo += window) {
      const w = Math.min(window, slotCount - lo); // slots of this window (a slot past slotCount is in none)
      this.f64.fill(-0, accAt, accAt + w * k);
      for (let from = 0, to = 0; from < n; from = to) {
        // A call stays within one segment: its rows are contiguous in every column.
        const c = Math.floor(from / segmentRows), r = from - c * segmentRows;
        to = Math.min(n, from + step, (c + 1) * segmentRows);
        const m = to - from;
        slots.set(slotOf.subarray(from, to), slotsAt);
        for (let j = 0; j < k; j++) this.f64.set(columns[j]![c]!.subarray(r, r + m), valuesAt + j * m);
        added += this.x.sumF64BySlot(m, k, lo, w) >>> 0;
        this.checkBuffer();
      }
      for (let j = 0; j < k; j++) {
        const sums = this.f64.subarray(accAt + j * w, accAt + j * w + w);
        if (lo === 0 && w === slotCount) out.push(sums.slice());
        else (out[j] ??= new Float64Array(slotCount)).set(sums, lo);
      }
    }
    if (added !== n) assertSlotsInRange(slotOf, slotCount);
    assert(added === n, `kernel slot sum: ${added} of ${n} rows added`);
    return out;
  }

  private searchU64Segment(table: BigUint64Array, probes: BigUint64Array): SearchResult {
    const n = table.length, p = probes.length;
    const index = new Uint32Array(p), found = new Uint8Array(p);
    if (p === 0) return { index, found };
    const batch = Math.max(1, this.rowsMax);
    this.ensure(Math.max(n, Math.min(p, batch)), n * 8, Math.min(p, batch) * 8);
    this.u64.set(table, this.reg[REGION.KEYS_A]! >>> 3);
    for (let s = 0; s < p; s += batch) {
      const e = Math.min(p, s + batch);
      this.u64.set(probes.subarray(s, e), this.reg[REGION.KEYS_B]! >>> 3);
      this.x.lowerBoundU64(n, e - s);
      this.checkBuffer();
      const a = this.reg[REGION.U32_A]! >>> 2, f = this.reg[REGION.U8]!;
      index.set(this.u32.subarray(a, a + e - s), s);
      found.set(this.u8.subarray(f, f + e - s), s);
    }
    return { index, found };
  }
}
