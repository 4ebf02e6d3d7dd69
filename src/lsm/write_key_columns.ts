/**
 * Key columns of a write buffer in Arrow layout: the contiguous ColumnBuffers that
 * lsm/key_columns_encoder.ts encodes into key-codec bytes, copied out of the buffer's chunked
 * column stores (lsm/write_columns.ts) without a JS value per row (strings stay UTF-8).
 *
 * Layouts: BOOLEAN "bits"; fixed-width kinds "fixed" with their own width (little-endian);
 * "str"/"bin" stores and string/binary "values" stores "var" (UTF-8 for strings). Null rows hold
 * zero bytes / no bytes; `validity` is null when the column has no null.
 * Imports: format/data/column_buffers.ts (type), lsm/write_columns.ts. Mirrors no Java class.
 */
import type { ColumnBuffers } from "../format/data/column_buffers.ts";
import { CHUNK_MASK, CHUNK_SHIFT, type ColumnStore } from "./write_columns.ts";

/** Contiguous Arrow-layout buffers of a column's first `n` rows (for key_columns_encoder). */
export function columnBuffersOf(store: ColumnStore, n: number): ColumnBuffers {
  const validity = validityOf(store, n);
  const nullCount = validity === null ? 0 : store.nullCount;
  switch (store.kind) {
    case "u8": {
      const data = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        if ((store.chunks[i >>> CHUNK_SHIFT] as Uint8Array)[i & CHUNK_MASK] === 1) data[i >> 3]! |= 1 << (i & 7);
      }
      return { layout: "bits", byteWidth: 0, length: n, nullCount, validity, data, offsets: null };
    }
    case "values": return varBuffers(store, n, validity, nullCount);
    case "str": case "bin": return storedVarBuffers(store, n, validity, nullCount);
    default: {
      const width = store.kind === "i8" ? 1 : store.kind === "i16" ? 2 : store.kind === "i32" || store.kind === "f32" ? 4 : 8;
      const data = new Uint8Array(n * width);
      for (let c = 0; c * (1 << CHUNK_SHIFT) < n; c++) {
        const base = c << CHUNK_SHIFT;
        const count = Math.min(n - base, 1 << CHUNK_SHIFT);
        const chunk = store.chunks[c]!;
        data.set(new Uint8Array((chunk as Float64Array).buffer, 0, count * width), base * width);
      }
      return { layout: "fixed", byteWidth: width, length: n, nullCount, validity, data, offsets: null };
    }
  }
}

function validityOf(store: ColumnStore, n: number): Uint8Array<ArrayBuffer> | null {
  if (store.nullCount === 0) return null;
  const validity = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (!store.isNull(i)) validity[i >> 3]! |= 1 << (i & 7);
  return validity;
}

const ENCODER = new TextEncoder();

/** Strings (UTF-8) or binaries of a "values" column as one var-length column. */
function varBuffers(store: ColumnStore, n: number, validity: Uint8Array<ArrayBuffer> | null, nullCount: number): ColumnBuffers {
  const offsets = new Int32Array(n + 1);
  let data = new Uint8Array(Math.max(64, n * 16));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = (store.chunks[i >>> CHUNK_SHIFT] as unknown[])[i & CHUNK_MASK];
    if (typeof v === "string") {
      if (at + v.length * 3 > data.length) data = grow(data, at + v.length * 3);
      at += ENCODER.encodeInto(v, data.subarray(at)).written;
    } else if (v instanceof Uint8Array) {
      if (at + v.length > data.length) data = grow(data, at + v.length);
      data.set(v, at);
      at += v.length;
    }
    offsets[i + 1] = at;
  }
  return { layout: "var", byteWidth: 0, length: n, nullCount, validity, data, offsets };
}

/** The first `n` rows of a "str"/"bin" column as one var-length column (chunks concatenated). */
function storedVarBuffers(store: ColumnStore, n: number, validity: Uint8Array<ArrayBuffer> | null, nullCount: number): ColumnBuffers {
  let total = 0;
  for (let c = 0; c * (1 << CHUNK_SHIFT) < n; c++) {
    const count = Math.min(n - (c << CHUNK_SHIFT), 1 << CHUNK_SHIFT);
    total += (store.chunks[c] as Int32Array)[count]!;
  }
  const data = new Uint8Array(total);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  for (let c = 0; c * (1 << CHUNK_SHIFT) < n; c++) {
    const base = c << CHUNK_SHIFT;
    const count = Math.min(n - base, 1 << CHUNK_SHIFT);
    const o = store.chunks[c] as Int32Array;
    data.set(store.bytesOf[c]!.subarray(0, o[count]!), at);
    for (let s = 1; s <= count; s++) offsets[base + s] = at + o[s]!;
    at += o[count]!;
  }
  return { layout: "var", byteWidth: 0, length: n, nullCount, validity, data, offsets };
}

function grow(data: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(need, data.length * 2));
  next.set(data);
  return next;
}
