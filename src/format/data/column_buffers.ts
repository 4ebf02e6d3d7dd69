/**
 * ColumnBuffers: one flat column in Apache Arrow's physical layout, held in plain typed arrays
 * (no arrow-js objects, no per-row JS values), plus the typed-array gathers the fast read path
 * uses to build its output: rows picked by (source, row) pairs, copied buffer to buffer.
 *
 * Layouts (Arrow's, so the output becomes Arrow `Data` without conversion):
 *   "fixed"  `data` holds `length * byteWidth` bytes, value i at `i * byteWidth` (little-endian
 *            integers, IEEE floats, 128-bit decimals as 16 bytes)
 *   "bits"   `data` holds `ceil(length / 8)` bytes, value i is bit i (LSB first): BOOLEAN
 *   "var"    `offsets` holds `length + 1` int32 offsets starting at 0, value i is
 *            `data[offsets[i] .. offsets[i + 1])`: strings (UTF-8) and binaries
 * `validity` is Arrow's bitmap (bit i set = row i is not null) or null when no row is null.
 *
 * Invariants: every buffer starts at byte 0 of its own ArrayBuffer (typed views of any width
 * can be laid over `data`); `nullCount` equals the unset bits of `validity`; a null row's value
 * bytes are zero and its var-length value is empty in everything `gatherColumn` produces.
 * Imports: errors.ts. Mirrors no Java class (cf. Paimon's `ColumnVector`s, flattened).
 */
import { LakeError } from "../../errors.ts";

/** Physical layout of a column (see the file header). */
export type ColumnLayout = "fixed" | "bits" | "var";

/** One column of `length` rows in Arrow's physical layout. */
export interface ColumnBuffers {
  readonly layout: ColumnLayout;
  /** Bytes per value for "fixed" (1, 2, 4, 8 or 16); 0 for the other layouts. */
  readonly byteWidth: number;
  readonly length: number;
  readonly nullCount: number;
  /** Validity bitmap, or null when `nullCount` is 0. */
  readonly validity: Uint8Array<ArrayBuffer> | null;
  /** Values ("fixed"), packed bits ("bits") or concatenated value bytes ("var"). */
  readonly data: Uint8Array<ArrayBuffer>;
  /** "var" only: `length + 1` offsets into `data`, the first one 0. */
  readonly offsets: Int32Array<ArrayBuffer> | null;
}

/** Largest "var" column in bytes (Arrow int32 offsets). */
export const VAR_COLUMN_BYTES_MAX = 0x7fffffff;
/** Values this long or longer are copied with `set(subarray)` instead of a byte loop. */
const BULK_COPY_BYTES_MIN = 48;

/** A "fixed" column viewed as int32 words (byteWidth 4, 8 or 16: 1, 2 or 4 words a value). */
export function int32Words(column: ColumnBuffers): Int32Array<ArrayBuffer> {
  return new Int32Array(column.data.buffer, column.data.byteOffset, column.data.byteLength >> 2);
}

/** Gathers the validity of the picked rows; null when none of them is null. */
function gatherValidity(sources: readonly ColumnBuffers[], runs: Uint32Array, rows: Uint32Array, count: number): { validity: Uint8Array<ArrayBuffer> | null; nullCount: number } {
  if (sources.every((s) => s.validity === null)) return { validity: null, nullCount: 0 };
  const validity = new Uint8Array((count + 7) >> 3);
  const bitmaps = sources.map((s) => s.validity);
  let nullCount = 0;
  for (let i = 0; i < count; i++) {
    const v = bitmaps[runs[i]!]!, row = rows[i]!;
    if (v === null || (v[row >> 3]! & (1 << (row & 7))) !== 0) validity[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  }
  return nullCount === 0 ? { validity: null, nullCount: 0 } : { validity, nullCount };
}

function gatherFixed(sources: readonly ColumnBuffers[], byteWidth: number, runs: Uint32Array, rows: Uint32Array, count: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(count * byteWidth);
  if (byteWidth === 1) {
    const src = sources.map((s) => s.data);
    for (let i = 0; i < count; i++) out[i] = src[runs[i]!]![rows[i]!]!;
  } else if (byteWidth === 2) {
    const src = sources.map((s) => new Uint16Array(s.data.buffer, s.data.byteOffset, s.length));
    const dst = new Uint16Array(out.buffer);
    for (let i = 0; i < count; i++) dst[i] = src[runs[i]!]![rows[i]!]!;
  } else {
    const words = byteWidth >> 2;
    const src = sources.map(int32Words);
    const dst = new Int32Array(out.buffer);
    if (words === 1) {
      for (let i = 0; i < count; i++) dst[i] = src[runs[i]!]![rows[i]!]!;
    } else if (words === 2) {
      for (let i = 0; i < count; i++) {
        const s = src[runs[i]!]!, p = rows[i]! << 1, q = i << 1;
        dst[q] = s[p]!;
        dst[q + 1] = s[p + 1]!;
      }
    } else {
      for (let i = 0; i < count; i++) {
        const s = src[runs[i]!]!, p = rows[i]! * words, q = i * words;
        for (let w = 0; w < words; w++) dst[q + w] = s[p + w]!;
      }
    }
  }
  return out;
}

function gatherBits(sources: readonly ColumnBuffers[], runs: Uint32Array, rows: Uint32Array, count: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array((count + 7) >> 3);
  const src = sources.map((s) => s.data);
  for (let i = 0; i < count; i++) {
    const row = rows[i]!;
    if ((src[runs[i]!]![row >> 3]! & (1 << (row & 7))) !== 0) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function gatherVar(sources: readonly ColumnBuffers[], runs: Uint32Array, rows: Uint32Array, count: number, what: string): { offsets: Int32Array<ArrayBuffer>; data: Uint8Array<ArrayBuffer> } {
  const offsets = new Int32Array(count + 1);
  const srcOffsets = sources.map((s) => s.offsets!);
  const bitmaps = sources.map((s) => s.validity);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const r = runs[i]!, row = rows[i]!;
    const o = srcOffsets[r]!, v = bitmaps[r]!;
    // A null row contributes no bytes, whatever its source holds.
    if (v === null || (v[row >> 3]! & (1 << (row & 7))) !== 0) total += o[row + 1]! - o[row]!;
    if (total > VAR_COLUMN_BYTES_MAX) {
      throw new LakeError("unsupported", `column buffers: ${what} holds more than ${VAR_COLUMN_BYTES_MAX} bytes in one batch; read fewer rows at once`);
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  const srcData = sources.map((s) => s.data);
  for (let i = 0; i < count; i++) {
    let at = offsets[i]!;
    const size = offsets[i + 1]! - at;
    if (size === 0) continue;
    const r = runs[i]!, row = rows[i]!;
    const start = srcOffsets[r]![row]!, end = start + size;
    if (size >= BULK_COPY_BYTES_MIN) {
      data.set(srcData[r]!.subarray(start, end), at);
      continue;
    }
    const src = srcData[r]!;
    for (let j = start; j < end; j++) data[at++] = src[j]!;
  }
  return { offsets, data };
}

/** Zeroes the value bytes of null rows of a "fixed" or "bits" column (see the invariants). */
function zeroNulls(layout: ColumnLayout, byteWidth: number, data: Uint8Array, validity: Uint8Array, count: number): void {
  for (let i = 0; i < count; i++) {
    if ((validity[i >> 3]! & (1 << (i & 7))) !== 0) continue;
    if (layout === "bits") data[i >> 3]! &= ~(1 << (i & 7));
    else data.fill(0, i * byteWidth, (i + 1) * byteWidth);
  }
}

/**
 * The column made of `count` picked rows: output row i is row `rows[i]` of `sources[runs[i]]`.
 * Requires: every source has the same layout and byteWidth; every pick is in range. Throws
 * LakeError("unsupported") when a "var" result would exceed VAR_COLUMN_BYTES_MAX (`what` names
 * the column).
 */
export function gatherColumn(sources: readonly ColumnBuffers[], runs: Uint32Array, rows: Uint32Array, count: number, what: string): ColumnBuffers {
  const first = sources[0];
  if (first === undefined || count === 0) {
    const layout = first?.layout ?? "fixed";
    return { layout, byteWidth: first?.byteWidth ?? 0, length: 0, nullCount: 0, validity: null, data: new Uint8Array(0), offsets: layout === "var" ? new Int32Array(1) : null };
  }
  const { validity, nullCount } = gatherValidity(sources, runs, rows, count);
  const { layout, byteWidth } = first;
  if (layout === "var") {
    const { offsets, data } = gatherVar(sources, runs, rows, count, what);
    return { layout, byteWidth: 0, length: count, nullCount, validity, data, offsets };
  }
  const data = layout === "bits" ? gatherBits(sources, runs, rows, count) : gatherFixed(sources, byteWidth, runs, rows, count);
  if (validity !== null) zeroNulls(layout, byteWidth, data, validity, count);
  return { layout, byteWidth, length: count, nullCount, validity, data, offsets: null };
}
