/**
 * A 64-bit position set as Paimon's `OptimizedRoaringBitmap64` (copied from Iceberg) stores it:
 * one 32-bit Roaring bitmap per value of the high 32 bits ("key"), with the portable 64-bit
 * Roaring serialization.
 *
 * Layout (little-endian throughout):
 * ```
 * u64 bitmapCount | bitmapCount × ( u32 key | 32-bit portable Roaring bitmap )   keys ascending
 * ```
 * Java keeps a dense array indexed by key and serializes every slot up to the highest key ever
 * touched, including empty bitmaps (8 bytes each: `3a300000 00000000`); `serialize` here does the
 * same so bytes match. Reading accepts sparse keys (what Iceberg and CRoaring write).
 *
 * Invariants: positions are JS numbers, so they are limited to 0..2^53-1 (keys 0..2^21-1); a
 * serialized key beyond that is LakeError("unsupported"). Java allows keys up to 2^31-2.
 *
 * Imports: errors.ts, roaring_bitmap.ts.
 * Mirrors: org.apache.paimon.utils.OptimizedRoaringBitmap64
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/OptimizedRoaringBitmap64.java
 * Format: https://github.com/RoaringBitmap/RoaringFormatSpec#extension-for-64-bit-implementations
 */
import { LakeError } from "../../errors.ts";
import { RoaringBitmap32 } from "./roaring_bitmap.ts";

/** Largest position this implementation holds (JS safe integer limit). */
export const ROARING64_POSITION_MAX = Number.MAX_SAFE_INTEGER;
const KEY_SPAN = 4294967296; // 2^32
const KEY_MAX = Math.floor(ROARING64_POSITION_MAX / KEY_SPAN);
/** Java's own key limit (`Integer.MAX_VALUE - 1`). */
const JAVA_KEY_MAX = 2147483646;
const EMPTY_BITMAP_BYTES = 8;

/** A mutable set of non-negative positions (0..2^53-1) in Paimon's 64-bit Roaring form. */
export class RoaringBitmap64 {
  /** Keys that have a bitmap object (possibly empty after decoding), ascending. */
  private readonly keys: number[] = [];
  private readonly bitmaps: RoaringBitmap32[] = [];
  /** Java's `bitmaps.length`: every key below it is serialized. */
  private keyCount = 0;

  /** A set holding `positions` (any order). */
  static fromValues(positions: Iterable<number>): RoaringBitmap64 {
    const bitmap = new RoaringBitmap64();
    for (const p of positions) bitmap.add(p);
    return bitmap;
  }

  /**
   * Decodes the portable 64-bit serialization at `offset` of `bytes`; returns the set and its
   * byte length. LakeError("corruption") for truncation, unordered keys or bad inner bitmaps;
   * LakeError("unsupported") for positions beyond 2^53-1.
   */
  static deserialize(bytes: Uint8Array, offset = 0): { bitmap: RoaringBitmap64; byteLength: number } {
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.byteLength) corrupt(`offset ${offset} is outside ${bytes.byteLength} bytes`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
    if (view.byteLength < 8) corrupt(`${view.byteLength} bytes is too short for the bitmap count`);
    const countLow = view.getUint32(0, true), countHigh = view.getUint32(4, true);
    if (countHigh !== 0 || countLow > 2147483647) corrupt(`invalid bitmap count ${countHigh * KEY_SPAN + countLow}`);
    const bitmap = new RoaringBitmap64();
    let p = 8, lastKey = -1;
    for (let i = 0; i < countLow; i++) {
      if (p + 4 > view.byteLength) corrupt(`truncated before the key of bitmap ${i}`);
      const key = view.getUint32(p, true);
      if (key > JAVA_KEY_MAX) corrupt(`key ${key} of bitmap ${i} is out of range`);
      if (key <= lastKey) corrupt(`keys not ascending at bitmap ${i} (key ${key} after ${lastKey})`);
      if (key > KEY_MAX) {
        throw new LakeError("unsupported", `roaring bitmap64: key ${key} holds positions beyond 2^53-1, which this reader cannot represent`);
      }
      const inner = RoaringBitmap32.deserialize(bytes, offset + p + 4);
      bitmap.keys.push(key);
      bitmap.bitmaps.push(inner.bitmap);
      p += 4 + inner.byteLength;
      lastKey = key;
    }
    bitmap.keyCount = lastKey + 1;
    return { bitmap, byteLength: p };
  }

  private indexOf(key: number): number {
    let lo = 0, hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /** True when `position` is in the set; false for anything not an integer in 0..2^53-1. */
  has(position: number): boolean {
    if (!Number.isSafeInteger(position) || position < 0) return false;
    const i = this.indexOf(Math.floor(position / KEY_SPAN));
    return i >= 0 && this.bitmaps[i]!.has(position % KEY_SPAN);
  }

  /** Adds `position`. Requires an integer in 0..2^53-1, else LakeError("invalid_argument"). */
  add(position: number): void {
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new LakeError("invalid_argument", `roaring bitmap64: position ${position} is not an integer in 0..${ROARING64_POSITION_MAX}`);
    }
    const key = Math.floor(position / KEY_SPAN);
    let i = this.indexOf(key);
    if (i < 0) {
      i = -i - 1;
      this.keys.splice(i, 0, key);
      this.bitmaps.splice(i, 0, new RoaringBitmap32());
    }
    this.bitmaps[i]!.add(position % KEY_SPAN);
    if (key >= this.keyCount) this.keyCount = key + 1;
  }

  /** Number of positions. */
  cardinality(): number {
    let n = 0;
    for (const b of this.bitmaps) n += b.cardinality();
    return n;
  }

  /** True when no position is set. */
  isEmpty(): boolean {
    return this.bitmaps.every((b) => b.isEmpty());
  }

  /** Calls `fn` for every position, ascending. */
  forEach(fn: (position: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) {
      const base = this.keys[i]! * KEY_SPAN;
      this.bitmaps[i]!.forEach((low) => fn(base + low));
    }
  }

  /** Iterates the positions, ascending. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.keys.length; i++) {
      const base = this.keys[i]! * KEY_SPAN;
      for (const low of this.bitmaps[i]!) yield base + low;
    }
  }

  /** Java `runLengthEncode()`: run-optimizes every inner bitmap; true when any run container results. */
  runOptimize(): boolean {
    let changed = false;
    for (const b of this.bitmaps) changed = b.runOptimize() || changed;
    return changed;
  }

  /** Size in bytes of `serialize()` (Java `serializedSizeInBytes`). */
  serializedSizeBytes(): number {
    let size = 8 + 4 * this.keyCount + EMPTY_BITMAP_BYTES * (this.keyCount - this.keys.length);
    for (const b of this.bitmaps) size += b.serializedSizeBytes();
    return size;
  }

  /** Writes the serialization into `out` at `offset` (all keys below `keyCount`, as Java); returns the byte count. */
  serializeInto(out: Uint8Array, offset: number): number {
    const view = new DataView(out.buffer, out.byteOffset + offset);
    view.setUint32(0, this.keyCount, true);
    view.setUint32(4, 0, true);
    let p = 8, next = 0;
    for (let key = 0; key < this.keyCount; key++) {
      view.setUint32(p, key, true);
      p += 4;
      if (next < this.keys.length && this.keys[next] === key) {
        p += this.bitmaps[next]!.serializeInto(out, offset + p);
        next++;
      } else {
        p += new RoaringBitmap32().serializeInto(out, offset + p);
      }
    }
    return p;
  }

  /** The serialization as a new array (no run-optimization here). */
  serialize(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.serializedSizeBytes());
    this.serializeInto(out, 0);
    return out;
  }
}

function corrupt(message: string): never {
  throw new LakeError("corruption", `roaring bitmap64: ${message}`);
}
