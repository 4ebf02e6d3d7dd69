/**
 * A 32-bit Roaring bitmap (set of unsigned 32-bit integers) with the standard portable
 * serialization, byte-exact with the Java RoaringBitmap library.
 *
 * Portable layout (little-endian throughout):
 * ```
 * no run container : u32 cookie 12346 | u32 containerCount | containerCount × (u16 key, u16 card-1)
 *                    | containerCount × u32 offset | containers
 * with run container: u16 cookie 12347, u16 containerCount-1 | ceil(count/8) bytes run flags (bit i = container i is a run)
 *                    | count × (u16 key, u16 card-1) | [count × u32 offset, only when count ≥ 4] | containers
 * ```
 * A non-run container with cardinality ≤ 4096 is an array container, else a bitmap container
 * (see `roaring_container.ts`). Offsets count from the cookie. The empty bitmap is the 8 bytes
 * `3a300000 00000000`.
 *
 * Mutation mirrors Java so that bytes match: `add` creates array containers that turn into bitmap
 * containers past 4096 values, and `runOptimize` applies Java's per-container rule. Java's
 * `RoaringBitmap32.serialize` (what Paimon's BitmapDeletionVector calls) run-optimizes in place
 * before serializing; `serialize()` here does not, the caller decides (deletion_vector.ts does).
 *
 * Invariants: keys strictly ascending; no empty container; decoding validates cookies, key order,
 * container contents against header cardinalities, offsets and lengths (LakeError "corruption").
 *
 * Imports: errors.ts, roaring_container.ts.
 * Mirrors: org.roaringbitmap.RoaringBitmap / RoaringArray (serialize, deserialize, runOptimize)
 * https://github.com/RoaringBitmap/RoaringBitmap/blob/master/roaringbitmap/src/main/java/org/roaringbitmap/RoaringArray.java
 * Format: https://github.com/RoaringBitmap/RoaringFormatSpec
 */
import { LakeError } from "../../errors.ts";
import {
  ARRAY_CONTAINER_CARDINALITY_MAX,
  type Container,
  containerAdd,
  containerCardinality,
  containerForEach,
  containerHas,
  containerLast,
  containerRunOptimize,
  containerSerializedBytes,
  readContainer,
  singletonContainer,
  writeContainer,
} from "./roaring_container.ts";

/** Cookie of a serialization without run containers (persisted). */
export const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
/** Low 16 bits of the cookie of a serialization with run containers (persisted). */
export const SERIAL_COOKIE = 12347;
/** With run containers, the offset header is written only for this many containers or more. */
export const NO_OFFSET_THRESHOLD = 4;
/** Largest value a 32-bit Roaring bitmap holds (unsigned). */
export const ROARING32_VALUE_MAX = 0xffffffff;
const CONTAINER_COUNT_MAX = 65536;

function corrupt(message: string): never {
  throw new LakeError("corruption", `roaring bitmap: ${message}`);
}

/** A mutable set of unsigned 32-bit integers in Roaring form. */
export class RoaringBitmap32 {
  /** Container keys (high 16 bits), strictly ascending. */
  private readonly keys: number[] = [];
  /** Containers, parallel to `keys`. */
  private readonly containers: Container[] = [];

  /** A bitmap holding `values` (any order, duplicates allowed), added one by one as Java would. */
  static fromValues(values: Iterable<number>): RoaringBitmap32 {
    const bitmap = new RoaringBitmap32();
    for (const v of values) bitmap.add(v);
    return bitmap;
  }

  /**
   * Decodes a portable serialization starting at `offset` of `bytes`. Returns the bitmap and the
   * number of bytes it occupies (trailing bytes are left to the caller).
   * Throws LakeError("corruption") for a bad cookie, truncation or inconsistent containers.
   */
  static deserialize(bytes: Uint8Array, offset = 0): { bitmap: RoaringBitmap32; byteLength: number } {
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.byteLength) corrupt(`offset ${offset} is outside ${bytes.byteLength} bytes`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
    const bitmap = new RoaringBitmap32();
    const byteLength = readPortable(view, (key, container) => {
      bitmap.keys.push(key);
      bitmap.containers.push(container);
    });
    return { bitmap, byteLength };
  }

  /** Number of values (≤ 2^32). */
  cardinality(): number {
    let n = 0;
    for (const c of this.containers) n += containerCardinality(c);
    return n;
  }

  /** True when the set is empty. */
  isEmpty(): boolean {
    return this.containers.length === 0;
  }

  /** Index of `key` in `keys`, or `-(insertion point) - 1`. */
  private keyIndex(key: number): number {
    const keys = this.keys;
    let lo = 0, hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /** True when `value` is in the set; false for anything that is not an integer in 0..2^32-1. */
  has(value: number): boolean {
    if (!Number.isInteger(value) || value < 0 || value > ROARING32_VALUE_MAX) return false;
    const i = this.keyIndex(Math.floor(value / 65536));
    return i >= 0 && containerHas(this.containers[i]!, value & 0xffff);
  }

  /**
   * Adds `value` (Java `RoaringBitmap.add`). Requires an integer in 0..2^32-1, else
   * LakeError("invalid_argument").
   */
  add(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > ROARING32_VALUE_MAX) {
      throw new LakeError("invalid_argument", `roaring bitmap: value ${value} is not an integer in 0..${ROARING32_VALUE_MAX}`);
    }
    const key = Math.floor(value / 65536), low = value & 0xffff;
    const last = this.keys.length - 1;
    // Fast path for ascending input: the key is usually the last one.
    const i = last >= 0 && this.keys[last] === key ? last : this.keyIndex(key);
    if (i >= 0) {
      this.containers[i] = containerAdd(this.containers[i]!, low);
    } else {
      this.keys.splice(-i - 1, 0, key);
      this.containers.splice(-i - 1, 0, singletonContainer(low));
    }
  }

  /** Largest value, or -1 when empty. */
  last(): number {
    const n = this.keys.length;
    return n === 0 ? -1 : this.keys[n - 1]! * 65536 + containerLast(this.containers[n - 1]!);
  }

  /** Calls `fn` for every value, ascending (unsigned order). */
  forEach(fn: (value: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) containerForEach(this.containers[i]!, this.keys[i]! * 65536, fn);
  }

  /** All values, ascending. */
  toArray(): number[] {
    const out: number[] = [];
    this.forEach((v) => out.push(v));
    return out;
  }

  /** Iterates the values, ascending. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.keys.length; i++) {
      const batch: number[] = [];
      containerForEach(this.containers[i]!, this.keys[i]! * 65536, (v) => batch.push(v));
      yield* batch;
    }
  }

  /** Kind of each container in key order (for tests and diagnostics). */
  containerKinds(): Container["kind"][] {
    return this.containers.map((c) => c.kind);
  }

  /**
   * Java `RoaringBitmap.runOptimize()`: replaces each container by its run form when smaller
   * (and run containers by array/bitmap form when those are smaller). Returns true when any
   * container is a run container afterwards.
   */
  runOptimize(): boolean {
    let hasRun = false;
    for (let i = 0; i < this.containers.length; i++) {
      const c = containerRunOptimize(this.containers[i]!);
      this.containers[i] = c;
      if (c.kind === "run") hasRun = true;
    }
    return hasRun;
  }

  /** Size in bytes of `serialize()` (Java `serializedSizeInBytes`). */
  serializedSizeBytes(): number {
    const count = this.containers.length;
    const hasRun = this.containers.some((c) => c.kind === "run");
    let size = hasRun ? 4 + ((count + 7) >>> 3) + 4 * count + (count >= NO_OFFSET_THRESHOLD ? 4 * count : 0) : 8 + 8 * count;
    for (const c of this.containers) size += containerSerializedBytes(c);
    return size;
  }

  /** The portable serialization of the containers as they are (no run-optimization here). */
  serialize(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.serializedSizeBytes());
    this.serializeInto(out, 0);
    return out;
  }

  /** Writes `serialize()` into `out` at `offset`; returns the byte count. */
  serializeInto(out: Uint8Array, offset: number): number {
    const size = this.serializedSizeBytes();
    const view = new DataView(out.buffer, out.byteOffset + offset, size);
    const count = this.containers.length;
    const hasRun = this.containers.some((c) => c.kind === "run");
    let p = 0;
    let start: number;
    if (hasRun) {
      view.setUint32(0, (SERIAL_COOKIE | ((count - 1) << 16)) >>> 0, true);
      p = 4;
      const flagBytes = (count + 7) >>> 3;
      for (let i = 0; i < count; i++) {
        if (this.containers[i]!.kind === "run") view.setUint8(p + (i >>> 3), view.getUint8(p + (i >>> 3)) | (1 << (i & 7)));
      }
      p += flagBytes;
      start = 4 + flagBytes + 4 * count + (count >= NO_OFFSET_THRESHOLD ? 4 * count : 0);
    } else {
      view.setUint32(0, SERIAL_COOKIE_NO_RUNCONTAINER, true);
      view.setUint32(4, count, true);
      p = 8;
      start = 8 + 8 * count;
    }
    for (let i = 0; i < count; i++) {
      view.setUint16(p, this.keys[i]!, true);
      view.setUint16(p + 2, containerCardinality(this.containers[i]!) - 1, true);
      p += 4;
    }
    if (!hasRun || count >= NO_OFFSET_THRESHOLD) {
      let at = start;
      for (let i = 0; i < count; i++) {
        view.setUint32(p, at, true);
        p += 4;
        at += containerSerializedBytes(this.containers[i]!);
      }
    }
    for (let i = 0; i < count; i++) p += writeContainer(this.containers[i]!, view, p);
    return p;
  }
}

/** Reads a portable serialization, handing each container to `push` in key order; returns the byte length. */
function readPortable(view: DataView, push: (key: number, container: Container) => void): number {
  if (view.byteLength < 4) corrupt(`${view.byteLength} bytes is too short for a cookie`);
  const cookie = view.getUint32(0, true);
  let count: number, p: number, runFlags: number | null = null;
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    count = (cookie >>> 16) + 1;
    runFlags = 4;
    p = 4 + ((count + 7) >>> 3);
  } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    if (view.byteLength < 8) corrupt("truncated container count");
    count = view.getUint32(4, true);
    p = 8;
  } else {
    return corrupt(`cookie ${cookie} is neither ${SERIAL_COOKIE_NO_RUNCONTAINER} nor ${SERIAL_COOKIE} in its low 16 bits`);
  }
  if (count > CONTAINER_COUNT_MAX) corrupt(`container count ${count} exceeds ${CONTAINER_COUNT_MAX}`);
  const hasOffsets = runFlags === null || count >= NO_OFFSET_THRESHOLD;
  const headerEnd = p + 4 * count + (hasOffsets ? 4 * count : 0);
  if (headerEnd > view.byteLength) corrupt(`header of ${count} containers needs ${headerEnd} bytes, only ${view.byteLength} present`);
  const keysAt = p, offsetsAt = p + 4 * count;
  let at = headerEnd;
  for (let i = 0; i < count; i++) {
    const key = view.getUint16(keysAt + 4 * i, true);
    const cardinality = view.getUint16(keysAt + 4 * i + 2, true) + 1;
    if (i > 0 && key <= view.getUint16(keysAt + 4 * (i - 1), true)) corrupt(`container keys not ascending at container ${i} (key ${key})`);
    const isRun = runFlags !== null && (view.getUint8(runFlags + (i >>> 3)) & (1 << (i & 7))) !== 0;
    const kind = isRun ? "run" : cardinality > ARRAY_CONTAINER_CARDINALITY_MAX ? "bitmap" : "array";
    if (hasOffsets && view.getUint32(offsetsAt + 4 * i, true) !== at) {
      corrupt(`offset of container ${i} is ${view.getUint32(offsetsAt + 4 * i, true)}, expected ${at}`);
    }
    const { container, byteLength } = readContainer(kind, cardinality, view, at);
    push(key, container);
    at += byteLength;
  }
  return at;
}
