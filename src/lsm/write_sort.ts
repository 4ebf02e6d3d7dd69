/**
 * The sort of a write buffer: the stable permutation of its rows by (trimmed primary key,
 * user-defined sequence fields, arrival) and the boundaries of the key groups in it, computed
 * with the kernel over encoded keys (no per-row objects on the common paths).
 *
 * Order (Java `SortBufferWriteBuffer`: sort fields = key fields ascending, then the
 * `sequence.field` columns ascending or descending per `sequence.field.sort-order`, then
 * `_SEQUENCE_NUMBER` ascending; nulls first for every field, descending ones included, as
 * Java's generated comparator has `nullIsLast = false` and only negates non-null compares).
 * Arrival order equals sequence-number order in one buffer, so a stable sort supplies the last
 * criterion.
 * Paths, same order:
 *  - "dense": one integer-like key without nulls and no sequence fields, whose key range holds
 *    at most DENSE_SLOTS_PER_ROW_MAX slots per row: a stable counting sort on `key - min` (no
 *    key comparisons; `groupOf` comes for free);
 *  - "u64": one integer-like key (TINYINT..BIGINT, DATE, TIME) without nulls and no sequence
 *    fields: the key with its sign bit flipped as a u64, `kernel.sortU64`;
 *  - "bytes": spec/key_codec.ts bytes of the key part (built column by column with
 *    lsm/key_columns_encoder.ts where it encodes the types, else row by row with the codec),
 *    followed by each sequence field encoded alone (descending: the payload bits inverted, the
 *    null marker kept so nulls stay first), `kernel.sortKeys`;
 *  - "compare": sequence fields the key codec cannot order (ARRAY, MAP, ROW...): a stable JS
 *    comparator sort over the key bytes and Java's value comparison (sequence_comparator.ts).
 *
 * Invariants: `perm` is a permutation of [0, n); rows of one key are adjacent and in the order
 * above; `bounds[g]..bounds[g+1]` are the positions of group g in `perm`.
 * Imports: kernel (types), spec (data_types, key_codec), lsm/key_columns_encoder.ts,
 * lsm/write_columns.ts, lsm/write_key_columns.ts, lsm/merge_function/sequence_comparator.ts.
 */
import type { ByteKeys, KeyKernel } from "../kernel/mod.ts";
import type { DataType } from "../spec/data_types.ts";
import { createKeyCodec } from "../spec/key_codec.ts";
import { encodeKeyColumns } from "./key_columns_encoder.ts";
import { CHUNK_SHIFT, type ColumnStore } from "./write_columns.ts";
import { columnBuffersOf } from "./write_key_columns.ts";
import { valueComparatorOf } from "./merge_function/sequence_comparator.ts";

/** One sort field: its column and type. */
export interface SortField {
  readonly store: ColumnStore;
  readonly type: DataType;
}

/** What the sort needs. */
export interface WriteSortInput {
  readonly rowCount: number;
  /** Trimmed primary-key fields, in key order. */
  readonly keys: readonly SortField[];
  /** `sequence.field` fields, in option order (empty when not configured). */
  readonly sequenceFields: readonly SortField[];
  /** `sequence.field.sort-order` is ascending. */
  readonly sequenceAscending: boolean;
}

/** The sorted order and its key groups (lazy parts are computed on first use and kept). */
export interface WriteSortResult {
  /** Which path sorted (tests and benchmarks). */
  readonly path: "dense" | "u64" | "bytes" | "compare";
  readonly groupCount: number;
  /** Group g holds the sorted positions [bounds[g], bounds[g + 1]); length groupCount + 1. */
  bounds(): Uint32Array;
  /** Row index at each sorted position. */
  perm(): Uint32Array;
  /** Group of each row. */
  groupOf(): Int32Array;
  /** Per group: its first row in merge order. */
  firstRows(): Int32Array;
  /** Per group: its last row in merge order. */
  lastRows(): Int32Array;
  /**
   * Slots: an id per row that is equal for the rows of one group, in [0, slotCount), and the
   * slot of each group (dense: key - min, no lookup per row; else the group itself).
   */
  slots(): { readonly slotOf: Int32Array; readonly groupSlot: Int32Array; readonly slotCount: number };
}

function once<T>(make: () => T): () => T {
  let value: T | null = null;
  return () => (value ??= make());
}

/** The result of a sort that produced the permutation. */
function permResult(path: WriteSortResult["path"], perm: Uint32Array, bounds: Uint32Array): WriteSortResult {
  const groupCount = Math.max(0, bounds.length - 1);
  const groupOf = once(() => {
    const out = new Int32Array(perm.length);
    for (let g = 0; g < groupCount; g++) for (let p = bounds[g]!; p < bounds[g + 1]!; p++) out[perm[p]!] = g;
    return out;
  });
  return {
    path, groupCount, groupOf,
    bounds: () => bounds,
    perm: () => perm,
    firstRows: once(() => Int32Array.from({ length: groupCount }, (_, g) => perm[bounds[g]!]!)),
    lastRows: once(() => Int32Array.from({ length: groupCount }, (_, g) => perm[bounds[g + 1]! - 1]!)),
    slots: once(() => ({ slotOf: groupOf(), groupSlot: Int32Array.from({ length: groupCount }, (_, g) => g), slotCount: groupCount })),
  };
}

/** The dense path applies when the key range holds at most this many slots per buffered row. */
export const DENSE_SLOTS_PER_ROW_MAX = 2;
/** Most slots the dense path allocates (4 bytes each, twice). */
const DENSE_SLOTS_MAX = 1 << 25;
/** Below this many rows the dense path may use up to this many slots anyway. */
const DENSE_SLOTS_FLOOR = 4096;

const TWO_POW_32 = 4294967296;
const INT_KINDS = new Set(["i8", "i16", "i32", "i64"]);
const COLUMN_ROOTS = new Set(["BOOLEAN", "TINYINT", "SMALLINT", "INT", "DATE", "TIME", "BIGINT", "FLOAT", "DOUBLE", "CHAR", "VARCHAR", "BINARY", "VARBINARY"]);
const ORDERABLE = new Set([...COLUMN_ROOTS, "DECIMAL", "TIMESTAMP", "TIMESTAMP_LTZ"]);

/** Sorts the rows and finds the key groups (see the file header). */
export function sortWriteBuffer(input: WriteSortInput, kernel: KeyKernel): WriteSortResult {
  const n = input.rowCount;
  const keys = input.keys;
  if (input.sequenceFields.length === 0 && keys.length === 1 && INT_KINDS.has(keys[0]!.store.kind) && keys[0]!.store.nullCount === 0) {
    const words = u64KeyWords(keys[0]!.store, n);
    const dense = denseSort(words, n);
    if (dense !== null) return dense;
    const perm = kernel.sortU64(new BigUint64Array(words.buffer));
    return permResult("u64", perm, u64Bounds(words, perm));
  }
  const keyBytes = encodeFields(keys, n);
  if (input.sequenceFields.length === 0) {
    const perm = kernel.sortKeys(keyBytes);
    return permResult("bytes", perm, byteBounds(keyBytes, perm));
  }
  if (input.sequenceFields.every((f) => ORDERABLE.has(f.type.root))) {
    const parts = [keyBytes, ...input.sequenceFields.map((f) => {
      const encoded = encodeFields([f], n);
      if (!input.sequenceAscending) invertPayloads(encoded);
      return encoded;
    })];
    const perm = kernel.sortKeys(concatKeys(parts, n));
    return permResult("bytes", perm, byteBounds(keyBytes, perm));
  }
  const perm = compareSort(keyBytes, input, n);
  return permResult("compare", perm, byteBounds(keyBytes, perm));
}

/**
 * Stable counting sort of sign-flipped u64 keys whose range is small (see DENSE_*), or null
 * when the range is too wide. Keys are compared as (hi, lo) words; the range is computed on
 * the words, exact for any int64.
 */
function denseSort(words: Uint32Array, n: number): WriteSortResult | null {
  if (n === 0) return null;
  let minHi = words[1]!, minLo = words[0]!, maxHi = minHi, maxLo = minLo;
  for (let i = 1; i < n; i++) {
    const hi = words[2 * i + 1]!, lo = words[2 * i]!;
    if (hi < minHi || (hi === minHi && lo < minLo)) { minHi = hi; minLo = lo; }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) { maxHi = hi; maxLo = lo; }
  }
  const range = (maxHi - minHi) * TWO_POW_32 + (maxLo - minLo) + 1; // exact while small
  const slotsMax = Math.min(DENSE_SLOTS_MAX, Math.max(DENSE_SLOTS_FLOOR, n * DENSE_SLOTS_PER_ROW_MAX));
  if (range > slotsMax) return null;
  // One pass: slot per row and the last row of each slot (writes only, no read-modify-write).
  const slotOf = new Int32Array(n);
  const lastOf = new Int32Array(range).fill(-1);
  for (let i = 0; i < n; i++) {
    const slot = (words[2 * i + 1]! - minHi) * TWO_POW_32 + (words[2 * i]! - minLo); // exact: range is small
    slotOf[i] = slot;
    lastOf[slot] = i;
  }
  let groupCount = 0;
  for (let s = 0; s < range; s++) if (lastOf[s]! >= 0) groupCount++;
  const groupSlot = new Int32Array(groupCount), lastRows = new Int32Array(groupCount);
  for (let s = 0, g = 0; s < range; s++) {
    if (lastOf[s]! < 0) continue;
    groupSlot[g] = s;
    lastRows[g++] = lastOf[s]!;
  }
  const firstRows = once(() => {
    const firstOf = new Int32Array(range);
    for (let i = n - 1; i >= 0; i--) firstOf[slotOf[i]!] = i;
    return Int32Array.from(groupSlot, (slot) => firstOf[slot]!);
  });
  const bounds = once(() => {
    const counts = new Int32Array(range);
    for (let i = 0; i < n; i++) counts[slotOf[i]!]!++;
    const out = new Uint32Array(groupCount + 1);
    for (let g = 0; g < groupCount; g++) out[g + 1] = out[g]! + counts[groupSlot[g]!]!;
    return out;
  });
  const rank = once(() => {
    const out = new Int32Array(range);
    for (let g = 0; g < groupCount; g++) out[groupSlot[g]!] = g;
    return out;
  });
  const groupOf = once(() => {
    const r = rank(), out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = r[slotOf[i]!]!;
    return out;
  });
  const perm = once(() => {
    const out = new Uint32Array(n), at = bounds().slice(0, groupCount), groups = groupOf();
    for (let i = 0; i < n; i++) out[at[groups[i]!]!++] = i; // stable: rows in arrival order
    return out;
  });
  return {
    path: "dense", groupCount, bounds, perm, groupOf, firstRows, lastRows: () => lastRows,
    slots: () => ({ slotOf, groupSlot, slotCount: range }),
  };
}

/** u64 words (lo, hi per row) of an integer key with its sign flipped: unsigned order = signed order. */
function u64KeyWords(store: ColumnStore, n: number): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(n * 2);
  for (let c = 0; c * (1 << CHUNK_SHIFT) < n; c++) {
    const base = c << CHUNK_SHIFT;
    const count = Math.min(n - base, 1 << CHUNK_SHIFT);
    const chunk = store.chunks[c]!;
    if (store.kind === "i64") {
      const w = new Int32Array((chunk as BigInt64Array).buffer, 0, count * 2);
      for (let s = 0; s < count; s++) {
        const o = (base + s) * 2;
        words[o] = w[2 * s]!;
        words[o + 1] = (w[2 * s + 1]! ^ 0x80000000) >>> 0;
      }
    } else {
      const v = chunk as Int32Array;
      for (let s = 0; s < count; s++) {
        const o = (base + s) * 2;
        words[o] = (v[s]! ^ 0x80000000) >>> 0;
        words[o + 1] = 0;
      }
    }
  }
  return words;
}

function u64Bounds(words: Uint32Array, perm: Uint32Array): Uint32Array {
  const n = perm.length;
  const bounds: number[] = [0];
  for (let i = 1; i < n; i++) {
    const a = perm[i - 1]! * 2, b = perm[i]! * 2;
    if (words[a] !== words[b] || words[a + 1] !== words[b + 1]) bounds.push(i);
  }
  if (n > 0) bounds.push(n);
  return Uint32Array.from(bounds);
}

function byteBounds(keys: ByteKeys, perm: Uint32Array): Uint32Array {
  const n = perm.length, o = keys.offsets, b = keys.bytes;
  const bounds: number[] = [0];
  for (let i = 1; i < n; i++) {
    const x = perm[i - 1]!, y = perm[i]!;
    const xs = o[x]!, xl = o[x + 1]! - xs, ys = o[y]!, yl = o[y + 1]! - ys;
    let same = xl === yl;
    for (let k = 0; same && k < xl; k++) same = b[xs + k] === b[ys + k];
    if (!same) bounds.push(i);
  }
  if (n > 0) bounds.push(n);
  return Uint32Array.from(bounds);
}

/** Key-codec bytes (no tail) of the fields, column by column when possible, else row by row. */
function encodeFields(fields: readonly SortField[], n: number): ByteKeys {
  if (fields.every((f) => COLUMN_ROOTS.has(f.type.root))) {
    return encodeKeyColumns(fields.map((f) => f.type), fields.map((f) => columnBuffersOf(f.store, n)), null, n);
  }
  const codec = createKeyCodec(fields.map((f) => f.type));
  const parts: Uint8Array[] = new Array(n);
  const offsets = new Uint32Array(n + 1);
  const row = new Array(fields.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < fields.length; k++) row[k] = fields[k]!.store.valueAt(i);
    const part = codec.encodeKeyPart(row);
    parts[i] = part;
    offsets[i + 1] = offsets[i]! + part.length;
  }
  const bytes = new Uint8Array(offsets[n]!);
  for (let i = 0; i < n; i++) bytes.set(parts[i]!, offsets[i]!);
  return { bytes, offsets };
}

/** Descending order of one encoded field: invert every byte after a non-null marker. */
function invertPayloads(keys: ByteKeys): void {
  const o = keys.offsets, b = keys.bytes;
  for (let i = 0; i + 1 < o.length; i++) {
    if (b[o[i]!] === 0) continue; // null marker: nulls stay first
    for (let k = o[i]! + 1; k < o[i + 1]!; k++) b[k] = ~b[k]! & 0xff;
  }
}

function concatKeys(parts: readonly ByteKeys[], n: number): ByteKeys {
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let len = 0;
    for (const p of parts) len += p.offsets[i + 1]! - p.offsets[i]!;
    offsets[i + 1] = offsets[i]! + len;
  }
  const bytes = new Uint8Array(offsets[n]!);
  for (let i = 0; i < n; i++) {
    let at = offsets[i]!;
    for (const p of parts) {
      const s = p.offsets[i]!, e = p.offsets[i + 1]!;
      bytes.set(p.bytes.subarray(s, e), at);
      at += e - s;
    }
  }
  return { bytes, offsets };
}

/** Stable comparator sort: key bytes, then sequence fields (Java order, nulls first), then row. */
function compareSort(keys: ByteKeys, input: WriteSortInput, n: number): Uint32Array {
  const o = keys.offsets, b = keys.bytes;
  const compares = input.sequenceFields.map((f) => valueComparatorOf(f.type));
  const sign = input.sequenceAscending ? 1 : -1;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => {
    const xs = o[x]!, xl = o[x + 1]! - xs, ys = o[y]!, yl = o[y + 1]! - ys;
    for (let k = 0; k < Math.min(xl, yl); k++) {
      const d = b[xs + k]! - b[ys + k]!;
      if (d !== 0) return d;
    }
    if (xl !== yl) return xl - yl;
    for (let f = 0; f < compares.length; f++) {
      const store = input.sequenceFields[f]!.store;
      const u = store.valueAt(x), v = store.valueAt(y);
      if (u === null || v === null) {
        if (u === null && v === null) continue;
        return u === null ? -1 : 1;
      }
      const c = compares[f]!(u, v);
      if (c !== 0) return sign * c;
    }
    return x - y;
  });
  return Uint32Array.from(order);
}
