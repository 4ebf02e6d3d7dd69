// Shared helpers of the LSM planning tests (not a test file): DataFileMeta builders with an INT
// key serialized as Java's BinaryRow (like the Java tests' `row(i)` and `makeInterval`), the key
// comparator over them, and run builders mirroring `level(level, size)` / `level0(sizes...)` of
// UniversalCompactionTest.
import { atomic } from "../../../src/spec/data_types.ts";
import { decodeSerializedBinaryRow, encodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import type { DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { createFileKeyComparator } from "../../../src/lsm/file_key_comparator.ts";
import { sortedRunOfSingle, type LevelSortedRun } from "../../../src/lsm/sorted_run.ts";

const INT = [atomic("INT")];
const EMPTY_ROW = new Uint8Array(12);
const EMPTY_STATS = { minValues: EMPTY_ROW, maxValues: EMPTY_ROW, nullCounts: [] };

/** Serialized one-INT key row. */
export function intKey(value: number): Uint8Array {
  return encodeSerializedBinaryRow(INT, [value]);
}

/** The INT held by a serialized one-INT key row. */
export function keyInt(row: Uint8Array): number {
  return decodeSerializedBinaryRow(INT, row)[0] as number;
}

/** The key comparator of one-INT keys, through the real file key comparator. */
export const compareIntKeys = createFileKeyComparator(INT);

let fileCounter = 0;

/** A data file; defaults: unique name, size 1, keys [0, 0], sequence 0..0, level 0, no deletes. */
export function dataFile(over: Partial<DataFileMeta> & { min?: number; max?: number; size?: number } = {}): DataFileMeta {
  const { min, max, size, ...rest } = over;
  fileCounter++;
  return {
    fileName: `data-${fileCounter}.parquet`,
    fileSize: BigInt(size ?? 1),
    rowCount: 1n,
    minKey: intKey(min ?? 0),
    maxKey: intKey(max ?? min ?? 0),
    keyStats: EMPTY_STATS,
    valueStats: EMPTY_STATS,
    minSequenceNumber: 0n,
    maxSequenceNumber: 0n,
    schemaId: 0n,
    level: 0,
    extraFiles: [],
    creationTime: 0n,
    deleteRowCount: 0n,
    embeddedIndex: null,
    fileSource: 0,
    valueStatsCols: null,
    externalPath: null,
    firstRowId: null,
    writeCols: null,
    columnMaxSequenceNumbers: null,
    ...rest,
  };
}

/** Java test `level(level, size)`: one run of one file of `size` bytes at `level`. */
export function run(level: number, size: number): LevelSortedRun {
  return { level, run: sortedRunOfSingle(dataFile({ size, level })) };
}

/** Java test `level0(sizes...)`: level-0 runs of the given sizes. */
export function level0(...sizes: number[]): LevelSortedRun[] {
  return sizes.map((size) => run(0, size));
}

/** File sizes of a list of files, as numbers. */
export function sizesOf(files: readonly DataFileMeta[]): number[] {
  return files.map((f) => Number(f.fileSize));
}
