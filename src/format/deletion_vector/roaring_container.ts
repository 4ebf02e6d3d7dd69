/**
 * The three 16-bit containers of a Roaring bitmap (array, bitmap, run) and the exact container
 * transitions of the Java RoaringBitmap library, so that a bitmap built the way Java builds it
 * serializes to Java's bytes.
 *
 * Byte layout of one container in the portable format (all little-endian):
 * ```
 * array  : card × u16 value, ascending                       (2·card bytes, card ≤ 4096)
 * bitmap : 1024 × u64 word, bit j of the set = word j/64 bit j%64   (8192 bytes, card > 4096)
 * run    : u16 runCount, runCount × (u16 start, u16 lengthMinusOne)   (2 + 4·runCount bytes)
 * ```
 *
 * Java transitions mirrored here (org.roaringbitmap 1.x):
 * - `add` to an array container holding 4096 values converts it to a bitmap container first;
 *   bitmap and run containers keep their kind on `add`.
 * - `runOptimize`: array → run iff `2·card > 2 + 4·runs`; bitmap → run iff `8192 > 2 + 4·runs`;
 *   run stays run iff `2 + 4·runs <= min(8192, 2 + 2·card)`, else array (card ≤ 4096) or bitmap.
 *
 * Invariants: containers are never empty once built; array values are strictly ascending; runs
 * are ascending, disjoint and non-adjacent; `cardinality` fields are exact.
 *
 * Imports: errors.ts.
 * Mirrors: org.roaringbitmap.ArrayContainer, BitmapContainer, RunContainer
 * https://github.com/RoaringBitmap/RoaringBitmap/blob/master/roaringbitmap/src/main/java/org/roaringbitmap/RunContainer.java
 * Format: https://github.com/RoaringBitmap/RoaringFormatSpec
 */
import { LakeError } from "../../errors.ts";

/** Largest cardinality of an array container (Java `ArrayContainer.DEFAULT_MAX_SIZE`; persisted rule). */
export const ARRAY_CONTAINER_CARDINALITY_MAX = 4096;
/** Serialized size of a bitmap container: 65536 bits. */
export const BITMAP_CONTAINER_BYTES = 8192;
const BITMAP_WORD_COUNT = 2048; // 32-bit words

/** Sorted 16-bit values; `values[0..cardinality)` is in use. */
export interface ArrayContainer {
  readonly kind: "array";
  values: Uint16Array;
  cardinality: number;
}

/** 65536-bit set stored as 2048 little-endian 32-bit words (same bytes as Java's 1024 longs). */
export interface BitmapContainer {
  readonly kind: "bitmap";
  readonly words: Uint32Array;
  cardinality: number;
}

/** Runs as `(start, lengthMinusOne)` pairs; `runs[0..2·runCount)` is in use. */
export interface RunContainer {
  readonly kind: "run";
  runs: Uint16Array;
  runCount: number;
}

/** One container of a Roaring bitmap. */
export type Container = ArrayContainer | BitmapContainer | RunContainer;

/** A container holding the single value `low` (Java adds to a fresh ArrayContainer). */
export function singletonContainer(low: number): ArrayContainer {
  const values = new Uint16Array(4);
  values[0] = low;
  return { kind: "array", values, cardinality: 1 };
}

/** Number of values in `c`. */
export function containerCardinality(c: Container): number {
  if (c.kind !== "run") return c.cardinality;
  let n = 0;
  for (let i = 0; i < c.runCount; i++) n += c.runs[2 * i + 1]! + 1;
  return n;
}

/** Index of `low` in the array container, or `-(insertion point) - 1`. */
function arraySearch(c: ArrayContainer, low: number): number {
  let lo = 0, hi = c.cardinality - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = c.values[mid]!;
    if (v < low) lo = mid + 1;
    else if (v > low) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** Index of the last run whose start is ≤ `low`, or -1. */
function runFloor(c: RunContainer, low: number): number {
  let lo = 0, hi = c.runCount - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (c.runs[2 * mid]! <= low) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** True when `low` (0..65535) is in `c`. */
export function containerHas(c: Container, low: number): boolean {
  switch (c.kind) {
    case "array": return arraySearch(c, low) >= 0;
    case "bitmap": return (c.words[low >>> 5]! & (1 << (low & 31))) !== 0;
    case "run": {
      const i = runFloor(c, low);
      return i >= 0 && low - c.runs[2 * i]! <= c.runs[2 * i + 1]!;
    }
  }
}

function arrayToBitmap(c: ArrayContainer): BitmapContainer {
  const words = new Uint32Array(BITMAP_WORD_COUNT);
  for (let i = 0; i < c.cardinality; i++) {
    const v = c.values[i]!;
    words[v >>> 5] = words[v >>> 5]! | (1 << (v & 31));
  }
  return { kind: "bitmap", words, cardinality: c.cardinality };
}

function runInsertAt(c: RunContainer, index: number, start: number, lengthMinusOne: number): void {
  if (2 * (c.runCount + 1) > c.runs.length) {
    const grown = new Uint16Array(Math.max(8, c.runs.length * 2));
    grown.set(c.runs.subarray(0, 2 * c.runCount));
    c.runs = grown;
  }
  c.runs.copyWithin(2 * index + 2, 2 * index, 2 * c.runCount);
  c.runs[2 * index] = start;
  c.runs[2 * index + 1] = lengthMinusOne;
  c.runCount++;
}

function runAdd(c: RunContainer, low: number): void {
  const i = runFloor(c, low);
  if (i >= 0) {
    const start = c.runs[2 * i]!, len = c.runs[2 * i + 1]!;
    if (low - start <= len) return; // already present
    if (low - start === len + 1) {
      const next = i + 1 < c.runCount && c.runs[2 * (i + 1)] === low + 1;
      if (next) { // fuse run i, low and run i+1
        c.runs[2 * i + 1] = c.runs[2 * (i + 1)]! + c.runs[2 * (i + 1) + 1]! - start;
        c.runs.copyWithin(2 * (i + 1), 2 * (i + 2), 2 * c.runCount);
        c.runCount--;
      } else {
        c.runs[2 * i + 1] = len + 1;
      }
      return;
    }
  }
  const n = i + 1; // first run starting after low
  if (n < c.runCount && c.runs[2 * n] === low + 1) {
    c.runs[2 * n] = low;
    c.runs[2 * n + 1] = c.runs[2 * n + 1]! + 1;
    return;
  }
  runInsertAt(c, n, low, 0);
}

/**
 * Adds `low` (0..65535) and returns the container to keep (a new bitmap container when an array
 * container overflows, as Java's `ArrayContainer.add` does; otherwise `c` itself).
 */
export function containerAdd(c: Container, low: number): Container {
  switch (c.kind) {
    case "array": {
      const at = arraySearch(c, low);
      if (at >= 0) return c;
      if (c.cardinality >= ARRAY_CONTAINER_CARDINALITY_MAX) return containerAdd(arrayToBitmap(c), low);
      if (c.cardinality === c.values.length) {
        const grown = new Uint16Array(Math.min(ARRAY_CONTAINER_CARDINALITY_MAX, c.values.length * 2));
        grown.set(c.values);
        c.values = grown;
      }
      const ins = -at - 1;
      c.values.copyWithin(ins + 1, ins, c.cardinality);
      c.values[ins] = low;
      c.cardinality++;
      return c;
    }
    case "bitmap": {
      const w = low >>> 5, bit = 1 << (low & 31);
      if ((c.words[w]! & bit) === 0) {
        c.words[w] = c.words[w]! | bit;
        c.cardinality++;
      }
      return c;
    }
    case "run":
      runAdd(c, low);
      return c;
  }
}

/** Largest value of a non-empty container. */
export function containerLast(c: Container): number {
  switch (c.kind) {
    case "array": return c.values[c.cardinality - 1]!;
    case "run": return c.runs[2 * (c.runCount - 1)]! + c.runs[2 * (c.runCount - 1) + 1]!;
    case "bitmap":
      for (let w = BITMAP_WORD_COUNT - 1; w >= 0; w--) if (c.words[w] !== 0) return w * 32 + 31 - Math.clz32(c.words[w]!);
      return -1;
  }
}

/** Calls `fn(base + value)` for every value of `c`, ascending. */
export function containerForEach(c: Container, base: number, fn: (value: number) => void): void {
  switch (c.kind) {
    case "array":
      for (let i = 0; i < c.cardinality; i++) fn(base + c.values[i]!);
      return;
    case "bitmap":
      for (let w = 0; w < BITMAP_WORD_COUNT; w++) {
        let word = c.words[w]!;
        while (word !== 0) {
          const t = word & -word;
          fn(base + w * 32 + (31 - Math.clz32(t)));
          word ^= t;
        }
      }
      return;
    case "run":
      for (let i = 0; i < c.runCount; i++) {
        const start = c.runs[2 * i]!, end = start + c.runs[2 * i + 1]!;
        for (let v = start; v <= end; v++) fn(base + v);
      }
      return;
  }
}

/** Number of maximal runs of consecutive values in `c`. */
export function containerRunCount(c: Container): number {
  switch (c.kind) {
    case "run": return c.runCount;
    case "array": {
      let runs = c.cardinality > 0 ? 1 : 0;
      for (let i = 1; i < c.cardinality; i++) if (c.values[i]! !== c.values[i - 1]! + 1) runs++;
      return runs;
    }
    case "bitmap": {
      let runs = 0;
      for (let w = 0; w < BITMAP_WORD_COUNT; w++) {
        const word = c.words[w]!;
        const carry = w > 0 ? c.words[w - 1]! >>> 31 : 0;
        // a run starts at bit i when bit i is set and bit i-1 (or the previous word's top bit) is clear
        runs += popcount32(word & ~((word << 1) | carry));
      }
      return runs;
    }
  }
}

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function toRunContainer(c: Container, runCount: number): RunContainer {
  const runs = new Uint16Array(Math.max(2, 2 * runCount));
  let n = 0, start = -1, prev = -2;
  containerForEach(c, 0, (v) => {
    if (v !== prev + 1) {
      if (start >= 0) { runs[2 * n] = start; runs[2 * n + 1] = prev - start; n++; }
      start = v;
    }
    prev = v;
  });
  if (start >= 0) { runs[2 * n] = start; runs[2 * n + 1] = prev - start; n++; }
  return { kind: "run", runs, runCount: n };
}

function runToArrayOrBitmap(c: RunContainer, cardinality: number): Container {
  if (cardinality <= ARRAY_CONTAINER_CARDINALITY_MAX) {
    const values = new Uint16Array(Math.max(1, cardinality));
    let n = 0;
    containerForEach(c, 0, (v) => { values[n++] = v; });
    return { kind: "array", values, cardinality };
  }
  const words = new Uint32Array(BITMAP_WORD_COUNT);
  containerForEach(c, 0, (v) => { words[v >>> 5] = words[v >>> 5]! | (1 << (v & 31)); });
  return { kind: "bitmap", words, cardinality };
}

/** Java `Container.runOptimize()`: the container to keep (possibly `c`), see the header. */
export function containerRunOptimize(c: Container): Container {
  const runs = containerRunCount(c);
  const sizeAsRun = 2 + 4 * runs;
  switch (c.kind) {
    case "array":
      return 2 * c.cardinality > sizeAsRun ? toRunContainer(c, runs) : c;
    case "bitmap":
      return BITMAP_CONTAINER_BYTES > sizeAsRun ? toRunContainer(c, runs) : c;
    case "run": {
      const cardinality = containerCardinality(c);
      return sizeAsRun <= Math.min(BITMAP_CONTAINER_BYTES, 2 + 2 * cardinality) ? c : runToArrayOrBitmap(c, cardinality);
    }
  }
}

/** Serialized size of the container body in bytes (Java `getArraySizeInBytes`). */
export function containerSerializedBytes(c: Container): number {
  switch (c.kind) {
    case "array": return 2 * c.cardinality;
    case "bitmap": return BITMAP_CONTAINER_BYTES;
    case "run": return 2 + 4 * c.runCount;
  }
}

/** Writes the container body at `offset` of `view` (little-endian); returns the byte count. */
export function writeContainer(c: Container, view: DataView, offset: number): number {
  switch (c.kind) {
    case "array":
      for (let i = 0; i < c.cardinality; i++) view.setUint16(offset + 2 * i, c.values[i]!, true);
      break;
    case "bitmap":
      for (let w = 0; w < BITMAP_WORD_COUNT; w++) view.setUint32(offset + 4 * w, c.words[w]!, true);
      break;
    case "run":
      view.setUint16(offset, c.runCount, true);
      for (let i = 0; i < 2 * c.runCount; i++) view.setUint16(offset + 2 + 2 * i, c.runs[i]!, true);
      break;
  }
  return containerSerializedBytes(c);
}

function corrupt(message: string): never {
  throw new LakeError("corruption", `roaring bitmap: ${message}`);
}

/**
 * Reads one container body of the given kind at `offset`; validates order, bounds and that the
 * header cardinality matches the content. Returns the container and its byte length.
 * Requires: `kind` decided from the run flag and `cardinality` (1..65536) as the spec says.
 */
export function readContainer(
  kind: Container["kind"],
  cardinality: number,
  view: DataView,
  offset: number,
): { container: Container; byteLength: number } {
  const need = (n: number) => {
    if (offset + n > view.byteLength) corrupt(`${kind} container at byte ${offset} needs ${n} bytes, only ${view.byteLength - offset} left`);
  };
  if (kind === "array") {
    need(2 * cardinality);
    const values = new Uint16Array(cardinality);
    for (let i = 0; i < cardinality; i++) {
      values[i] = view.getUint16(offset + 2 * i, true);
      if (i > 0 && values[i]! <= values[i - 1]!) corrupt(`array container at byte ${offset} is not strictly ascending at index ${i}`);
    }
    return { container: { kind, values, cardinality }, byteLength: 2 * cardinality };
  }
  if (kind === "bitmap") {
    need(BITMAP_CONTAINER_BYTES);
    const words = new Uint32Array(BITMAP_WORD_COUNT);
    let count = 0;
    for (let w = 0; w < BITMAP_WORD_COUNT; w++) {
      words[w] = view.getUint32(offset + 4 * w, true);
      count += popcount32(words[w]!);
    }
    if (count !== cardinality) corrupt(`bitmap container at byte ${offset} holds ${count} values, header says ${cardinality}`);
    return { container: { kind, words, cardinality }, byteLength: BITMAP_CONTAINER_BYTES };
  }
  need(2);
  const runCount = view.getUint16(offset, true);
  need(2 + 4 * runCount);
  const runs = new Uint16Array(Math.max(2, 2 * runCount));
  let count = 0, nextFree = 0;
  for (let i = 0; i < runCount; i++) {
    const start = view.getUint16(offset + 2 + 4 * i, true);
    const lengthMinusOne = view.getUint16(offset + 4 + 4 * i, true);
    if (start < nextFree || start + lengthMinusOne > 0xffff) corrupt(`run container at byte ${offset}: run ${i} (${start}, ${lengthMinusOne}) overlaps or leaves 16 bits`);
    runs[2 * i] = start;
    runs[2 * i + 1] = lengthMinusOne;
    count += lengthMinusOne + 1;
    nextFree = start + lengthMinusOne + 1;
  }
  if (count !== cardinality) corrupt(`run container at byte ${offset} holds ${count} values, header says ${cardinality}`);
  return { container: { kind, runs, runCount }, byteLength: 2 + 4 * runCount };
}
