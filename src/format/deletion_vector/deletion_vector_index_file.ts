/**
 * Deletion-vector index files (index type `DELETION_VECTORS`): read one data file's deletion
 * vector given the index file bytes and its range from the index manifest, and write index files
 * byte-exact with Java.
 *
 * Layout:
 * ```
 * u8 version (1) | per data file: u32 BE size | data (size bytes) | u32 BE CRC-32(data)   (see deletion_vector.ts)
 * ```
 * The index manifest's `DeletionVectorMeta` (range) for a data file holds `offset` = the byte
 * position of its size prefix and `length` = what Java's `serializeTo` returned (`size` for
 * 32-bit vectors, `size + 8` for 64-bit ones), plus the cardinality (since 1.0). A file with no
 * vectors is the single byte `01` (Java writes it to replace a bucket's old vectors).
 *
 * Errors: damaged bytes, a range that does not fit, a CRC or cardinality mismatch are
 * LakeError("corruption") naming the index file and the data file; a version byte other than 1
 * is LakeError("unsupported").
 *
 * Imports: errors.ts, spec/index_manifest_entry.ts (types), deletion_vector.ts.
 * Mirrors: org.apache.paimon.deletionvectors.DeletionVectorsIndexFile, DeletionFileWriter,
 * DeletionVectorIndexFileWriter
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/deletionvectors/DeletionVectorsIndexFile.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/deletionvectors/DeletionFileWriter.java
 */
import { isLakeError, LakeError } from "../../errors.ts";
import type { DeletionVectorMeta } from "../../spec/index_manifest_entry.ts";
import { type DeletionVector, readDeletionVectorRecord, serializeDeletionVector } from "./deletion_vector.ts";

/** Version byte at the start of every deletion-vector index file (persisted: `VERSION_ID_V1`). */
export const DELETION_VECTORS_INDEX_FILE_VERSION = 1;
/** Default of `deletion-vector.index-file.target-size` (2 MB) for rolling writes. */
export const DELETION_VECTOR_INDEX_FILE_TARGET_SIZE_BYTES_DEFAULT = 2 * 1024 * 1024;

/** Where one deletion vector lives; the index manifest's `DeletionVectorMeta` fits this shape. */
export interface DeletionVectorRange {
  /** Data file the vector applies to (used in error messages). */
  readonly dataFileName: string;
  /** Byte offset of the vector's size prefix in the index file. */
  readonly offset: number;
  /** Recorded length (see the header). */
  readonly length: number;
  /** Recorded number of deleted rows, or null when unknown (before 1.0). */
  readonly cardinality?: bigint | null;
}

function checkVersion(bytes: Uint8Array, indexFileName: string): void {
  if (bytes.length === 0) {
    throw new LakeError("corruption", `deletion vector: index file ${indexFileName} is empty (expected a version byte)`);
  }
  if (bytes[0] !== DELETION_VECTORS_INDEX_FILE_VERSION) {
    throw new LakeError("unsupported",
      `deletion vector: index file ${indexFileName} has version ${bytes[0]}, expected ${DELETION_VECTORS_INDEX_FILE_VERSION}`);
  }
}

/**
 * Reads the deletion vector of `range.dataFileName` from the bytes of the index file named
 * `indexFileName` (Java `DeletionVectorsIndexFile#readDeletionVector`), verifying the version
 * byte, the recorded length, the CRC and, when recorded, the cardinality.
 */
export function readDeletionVector(indexFileBytes: Uint8Array, range: DeletionVectorRange, indexFileName: string): DeletionVector {
  checkVersion(indexFileBytes, indexFileName);
  const where = `index file ${indexFileName}, data file ${range.dataFileName}`;
  if (range.offset < 1) {
    throw new LakeError("corruption", `deletion vector: ${where}: offset ${range.offset} points into the version byte`);
  }
  let dv: DeletionVector;
  try {
    dv = readDeletionVectorRecord(indexFileBytes, range.offset, range.length).deletionVector;
  } catch (error) {
    if (isLakeError(error)) {
      const detail = error.message.replace(/^deletion vector: /, "");
      throw new LakeError(error.code, `deletion vector: ${where} (offset ${range.offset}, length ${range.length}): ${detail}`, { cause: error });
    }
    throw error;
  }
  const recorded = range.cardinality ?? null;
  if (recorded !== null && BigInt(dv.cardinality()) !== recorded) {
    throw new LakeError("corruption", `deletion vector: ${where}: holds ${dv.cardinality()} positions, the index manifest says ${recorded}`);
  }
  return dv;
}

/**
 * Reads every deletion vector of one index file (Java `readAllDeletionVectors`), keyed by data
 * file name in range order. `dvRanges` null is treated as no vectors.
 */
export function readAllDeletionVectors(
  indexFileBytes: Uint8Array,
  indexFile: { readonly fileName: string; readonly dvRanges: readonly DeletionVectorRange[] | null },
): Map<string, DeletionVector> {
  checkVersion(indexFileBytes, indexFile.fileName);
  const out = new Map<string, DeletionVector>();
  for (const range of indexFile.dvRanges ?? []) out.set(range.dataFileName, readDeletionVector(indexFileBytes, range, indexFile.fileName));
  return out;
}

/** The bytes of one index file and the ranges to record for it in the index manifest. */
export interface EncodedDeletionVectorIndexFile {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** One range per data file, in write order (`_DELETIONS_VECTORS_RANGES`). */
  readonly dvRanges: DeletionVectorMeta[];
}

class IndexFileBuilder {
  private readonly parts: Uint8Array[] = [Uint8Array.of(DELETION_VECTORS_INDEX_FILE_VERSION)];
  private position = 1;
  readonly dvRanges: DeletionVectorMeta[] = [];

  /** Java `DeletionFileWriter#write`. */
  write(dataFileName: string, dv: DeletionVector): void {
    const { bytes, rangeLength } = serializeDeletionVector(dv);
    this.dvRanges.push({ dataFileName, offset: this.position, length: rangeLength, cardinality: BigInt(dv.cardinality()) });
    this.parts.push(bytes);
    this.position += bytes.length;
  }

  /** Bytes written so far (Java `getPos`). */
  sizeBytes(): number {
    return this.position;
  }

  finish(): EncodedDeletionVectorIndexFile {
    const bytes = new Uint8Array(this.position);
    let at = 0;
    for (const p of this.parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { bytes, dvRanges: this.dvRanges };
  }
}

/**
 * One index file holding every vector of `entries` in order (Java `writeSingleFile`, used for
 * bucketed tables); no entries gives the one-byte file. Serializing run-optimizes each vector
 * in place, as Java does.
 */
export function encodeDeletionVectorIndexFile(entries: Iterable<readonly [string, DeletionVector]>): EncodedDeletionVectorIndexFile {
  const builder = new IndexFileBuilder();
  for (const [name, dv] of entries) builder.write(name, dv);
  return builder.finish();
}

/**
 * Index files rolled at `targetSizeBytes` (Java `writeWithRolling`): a file is closed after the
 * vector that takes it past the target, so files may exceed it by one vector. No entries gives
 * no files. Requires `targetSizeBytes` ≥ 1 (else LakeError("invalid_argument")).
 */
export function encodeDeletionVectorIndexFilesRolling(
  entries: Iterable<readonly [string, DeletionVector]>,
  targetSizeBytes: number = DELETION_VECTOR_INDEX_FILE_TARGET_SIZE_BYTES_DEFAULT,
): EncodedDeletionVectorIndexFile[] {
  if (!Number.isSafeInteger(targetSizeBytes) || targetSizeBytes < 1) {
    throw new LakeError("invalid_argument", `deletion vector: target size ${targetSizeBytes} bytes must be a positive integer`);
  }
  const files: EncodedDeletionVectorIndexFile[] = [];
  let builder: IndexFileBuilder | null = null;
  for (const [name, dv] of entries) {
    builder ??= new IndexFileBuilder();
    builder.write(name, dv);
    if (builder.sizeBytes() > targetSizeBytes) {
      files.push(builder.finish());
      builder = null;
    }
  }
  if (builder !== null) files.push(builder.finish());
  return files;
}
