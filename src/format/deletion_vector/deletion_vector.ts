/**
 * Paimon deletion vectors: the set of deleted row positions of one data file, and their
 * serialized record, byte-exact with Java.
 *
 * Serialized record (`DeletionVector#serializeTo`, what index files hold per data file):
 * ```
 * u32 BE size | data (size bytes) | u32 BE CRC-32 of data
 * data, default (32-bit)     : u32 BE magic 1581511376 | portable 32-bit Roaring bitmap (LE)
 * data, bitmap64 (Iceberg)   : u32 LE magic 1681511377 | u64 LE count | count × (u32 LE key | 32-bit Roaring)
 * ```
 * The length Java records in the index manifest (`DeletionVectorMeta.length`, range `f2`) is what
 * `serializeTo` returns: `size` for 32-bit vectors, but `4 + size + 4` (the whole record) for
 * 64-bit ones; `readDeletionVectorRecord` checks it the same way `DeletionVector.read` does.
 *
 * Writing mirrors Java: 32-bit vectors are run-optimized in place, then serialized
 * (`RoaringBitmap32.serialize`); 64-bit vectors likewise (`runLengthEncode`). Positions in a
 * 32-bit vector are limited to 0..2^31-1 (Java `checkPosition`), in a 64-bit one to 0..2^53-1.
 * Unlike Java, reading also verifies the CRC and that the bitmap fills the record exactly.
 *
 * Imports: errors.ts, util/assert.ts, format/avro/crc32.ts, roaring_bitmap.ts, roaring_bitmap64.ts.
 * Mirrors: org.apache.paimon.deletionvectors.DeletionVector, BitmapDeletionVector, Bitmap64DeletionVector
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/deletionvectors/DeletionVector.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/deletionvectors/BitmapDeletionVector.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/deletionvectors/Bitmap64DeletionVector.java
 */
import { LakeError } from "../../errors.ts";
import { assert } from "../../util/assert.ts";
import { crc32 } from "../../util/crc32.ts";
import { RoaringBitmap32 } from "./roaring_bitmap.ts";
import { RoaringBitmap64 } from "./roaring_bitmap64.ts";

/** Magic of a 32-bit deletion vector, stored big-endian (persisted: never change). */
export const BITMAP_DELETION_VECTOR_MAGIC = 1581511376;
/** Magic of a 64-bit deletion vector, stored little-endian (persisted: never change). */
export const BITMAP64_DELETION_VECTOR_MAGIC = 1681511377;
/** Bytes of the size prefix, the magic and the CRC suffix. */
export const DELETION_VECTOR_SIZE_BYTES = 4;
export const DELETION_VECTOR_MAGIC_BYTES = 4;
export const DELETION_VECTOR_CRC_BYTES = 4;
/** Largest position of a 32-bit deletion vector (Java `RoaringBitmap32.MAX_VALUE`). */
export const BITMAP_DELETION_VECTOR_POSITION_MAX = 2147483647;

/** The deleted row positions (0-based) of one data file. */
export interface DeletionVector {
  /** True for the 64-bit (`deletion-vectors.bitmap64`) form. */
  readonly bitmap64: boolean;
  /** True when row `position` is deleted. Requires a position within the form's range. */
  isDeleted(position: number): boolean;
  /** Marks row `position` deleted. */
  delete(position: number): void;
  /** Marks row `position` deleted; true when it was not deleted before. */
  checkedDelete(position: number): boolean;
  /** True when no row is deleted. */
  isEmpty(): boolean;
  /** Number of deleted rows. */
  cardinality(): number;
  /** Calls `fn` for each deleted position, ascending. */
  forEachDeletedPosition(fn: (position: number) => void): void;
  /** Iterates the deleted positions, ascending. */
  [Symbol.iterator](): IterableIterator<number>;
}

function checkPosition32(position: number): void {
  if (!Number.isInteger(position) || position < 0 || position > BITMAP_DELETION_VECTOR_POSITION_MAX) {
    throw new LakeError("invalid_argument",
      `deletion vector: position ${position} is outside 0..${BITMAP_DELETION_VECTOR_POSITION_MAX}; a 32-bit deletion vector only supports files with at most 2147483647 rows (use deletion-vectors.bitmap64)`);
  }
}

/** The default deletion vector over a 32-bit Roaring bitmap (Java `BitmapDeletionVector`). */
export class BitmapDeletionVector implements DeletionVector {
  readonly bitmap64 = false;
  /** The positions; read-only for callers. */
  readonly bitmap: RoaringBitmap32;

  constructor(bitmap: RoaringBitmap32 = new RoaringBitmap32()) {
    this.bitmap = bitmap;
  }

  isDeleted(position: number): boolean {
    checkPosition32(position);
    return this.bitmap.has(position);
  }

  delete(position: number): void {
    checkPosition32(position);
    this.bitmap.add(position);
  }

  checkedDelete(position: number): boolean {
    if (this.isDeleted(position)) return false;
    this.bitmap.add(position);
    return true;
  }

  isEmpty(): boolean {
    return this.bitmap.isEmpty();
  }

  cardinality(): number {
    return this.bitmap.cardinality();
  }

  forEachDeletedPosition(fn: (position: number) => void): void {
    this.bitmap.forEach(fn);
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.bitmap[Symbol.iterator]();
  }
}

/** The 64-bit deletion vector (Java `Bitmap64DeletionVector`, Iceberg-compatible bitmap). */
export class Bitmap64DeletionVector implements DeletionVector {
  readonly bitmap64 = true;
  /** The positions; read-only for callers. */
  readonly bitmap: RoaringBitmap64;

  constructor(bitmap: RoaringBitmap64 = new RoaringBitmap64()) {
    this.bitmap = bitmap;
  }

  isDeleted(position: number): boolean {
    return this.bitmap.has(position);
  }

  delete(position: number): void {
    this.bitmap.add(position);
  }

  checkedDelete(position: number): boolean {
    if (this.bitmap.has(position)) return false;
    this.bitmap.add(position);
    return true;
  }

  isEmpty(): boolean {
    return this.bitmap.isEmpty();
  }

  cardinality(): number {
    return this.bitmap.cardinality();
  }

  forEachDeletedPosition(fn: (position: number) => void): void {
    this.bitmap.forEach(fn);
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.bitmap[Symbol.iterator]();
  }
}

/** An empty deletion vector of the form the table option `deletion-vectors.bitmap64` selects. */
export function newDeletionVector(options: { bitmap64?: boolean } = {}): DeletionVector {
  return options.bitmap64 === true ? new Bitmap64DeletionVector() : new BitmapDeletionVector();
}

/** A deletion vector holding `positions`, built by adding them in the given order as Java would. */
export function deletionVectorOf(positions: Iterable<number>, options: { bitmap64?: boolean } = {}): DeletionVector {
  const dv = newDeletionVector(options);
  for (const p of positions) dv.delete(p);
  return dv;
}

function corrupt(message: string): never {
  throw new LakeError("corruption", `deletion vector: ${message}`);
}

/**
 * Java `serializeTo`: run-optimizes the bitmap in place (as Java does), then returns the record
 * `size | data | crc` and `rangeLength`, the length Java records in `DeletionVectorMeta`
 * (`size` for 32-bit, the whole record for 64-bit).
 */
export function serializeDeletionVector(dv: DeletionVector): { bytes: Uint8Array<ArrayBuffer>; rangeLength: number } {
  if (!(dv instanceof BitmapDeletionVector) && !(dv instanceof Bitmap64DeletionVector)) {
    throw new LakeError("invalid_argument", "deletion vector: only BitmapDeletionVector and Bitmap64DeletionVector can be serialized");
  }
  dv.bitmap.runOptimize();
  const size = DELETION_VECTOR_MAGIC_BYTES + dv.bitmap.serializedSizeBytes();
  const bytes = new Uint8Array(DELETION_VECTOR_SIZE_BYTES + size + DELETION_VECTOR_CRC_BYTES);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, size, false);
  if (dv instanceof Bitmap64DeletionVector) view.setInt32(4, BITMAP64_DELETION_VECTOR_MAGIC, true);
  else view.setInt32(4, BITMAP_DELETION_VECTOR_MAGIC, false);
  const written = dv.bitmap.serializeInto(bytes, 8);
  assert(written === size - DELETION_VECTOR_MAGIC_BYTES, `deletion vector: serialized ${written} bitmap bytes, expected ${size - DELETION_VECTOR_MAGIC_BYTES}`);
  view.setUint32(4 + size, crc32(bytes.subarray(4, 4 + size)), false);
  return { bytes, rangeLength: dv.bitmap64 ? bytes.length : size };
}

/**
 * Decodes the data part of a record (magic + bitmap, exactly `data.length` bytes).
 * LakeError("corruption") for an unknown magic, a bad bitmap or trailing bytes.
 */
export function decodeDeletionVectorData(data: Uint8Array): DeletionVector {
  if (data.length < DELETION_VECTOR_MAGIC_BYTES) corrupt(`${data.length} bytes is too short for a magic number`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bigEndian = view.getInt32(0, false);
  let dv: DeletionVector, used: number;
  if (bigEndian === BITMAP_DELETION_VECTOR_MAGIC) {
    const { bitmap, byteLength } = RoaringBitmap32.deserialize(data, DELETION_VECTOR_MAGIC_BYTES);
    if (bitmap.last() > BITMAP_DELETION_VECTOR_POSITION_MAX) {
      corrupt(`position ${bitmap.last()} exceeds ${BITMAP_DELETION_VECTOR_POSITION_MAX} in a 32-bit deletion vector`);
    }
    dv = new BitmapDeletionVector(bitmap);
    used = byteLength;
  } else if (view.getInt32(0, true) === BITMAP64_DELETION_VECTOR_MAGIC) {
    const { bitmap, byteLength } = RoaringBitmap64.deserialize(data, DELETION_VECTOR_MAGIC_BYTES);
    dv = new Bitmap64DeletionVector(bitmap);
    used = byteLength;
  } else {
    return corrupt(`invalid magic number ${bigEndian}: expected ${BITMAP_DELETION_VECTOR_MAGIC} (big-endian) or ${BITMAP64_DELETION_VECTOR_MAGIC} (little-endian)`);
  }
  if (DELETION_VECTOR_MAGIC_BYTES + used !== data.length) {
    corrupt(`bitmap occupies ${DELETION_VECTOR_MAGIC_BYTES + used} of ${data.length} data bytes`);
  }
  return dv;
}

/**
 * Reads the record starting at `offset` of `bytes` (Java `DeletionVector.read`): the size prefix,
 * the data, the CRC. `rangeLength` is the index manifest's length for it (null = unchecked);
 * it must equal `size` for a 32-bit vector and `size + 8` for a 64-bit one.
 * Returns the vector and the record's total byte length. Throws LakeError("corruption").
 */
export function readDeletionVectorRecord(
  bytes: Uint8Array,
  offset: number,
  rangeLength: number | null,
): { deletionVector: DeletionVector; recordBytes: number } {
  if (!Number.isInteger(offset) || offset < 0 || offset + 8 > bytes.length) {
    corrupt(`record offset ${offset} leaves no room for size and magic in ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getInt32(offset, false);
  const is64 = view.getInt32(offset + 4, false) !== BITMAP_DELETION_VECTOR_MAGIC &&
    view.getInt32(offset + 4, true) === BITMAP64_DELETION_VECTOR_MAGIC;
  if (rangeLength !== null) {
    const expected = is64 ? rangeLength - DELETION_VECTOR_SIZE_BYTES - DELETION_VECTOR_CRC_BYTES : rangeLength;
    if (size !== expected) corrupt(`size prefix ${size} does not match the recorded length ${rangeLength} (expected size ${expected})`);
  }
  const end = offset + DELETION_VECTOR_SIZE_BYTES + size + DELETION_VECTOR_CRC_BYTES;
  if (size < DELETION_VECTOR_MAGIC_BYTES || end > bytes.length) {
    corrupt(`size ${size} at offset ${offset} runs past the end (${bytes.length} bytes)`);
  }
  const data = bytes.subarray(offset + DELETION_VECTOR_SIZE_BYTES, offset + DELETION_VECTOR_SIZE_BYTES + size);
  const stored = view.getUint32(offset + DELETION_VECTOR_SIZE_BYTES + size, false);
  const actual = crc32(data);
  if (stored !== actual) {
    corrupt(`CRC-32 mismatch: stored ${stored.toString(16).padStart(8, "0")}, computed ${actual.toString(16).padStart(8, "0")}`);
  }
  return { deletionVector: decodeDeletionVectorData(data), recordBytes: end - offset };
}

/** Java `DeletionVector.deserializeFromBytes`: decodes one whole record (no length check). */
export function deserializeDeletionVector(bytes: Uint8Array): DeletionVector {
  const { deletionVector, recordBytes } = readDeletionVectorRecord(bytes, 0, null);
  if (recordBytes !== bytes.length) corrupt(`record of ${recordBytes} bytes followed by ${bytes.length - recordBytes} extra bytes`);
  return deletionVector;
}
