/**
 * Compaction of one bucket of an append table (no primary key), as Java's
 * `BucketedAppendCompactManager` picks it and `AppendOnlyFileStoreWrite#compactRewrite` runs it:
 * files ordered by minSequenceNumber; the picked files are read in that order (each with the
 * schema it was written with, evolved to the current one) and rewritten, rows in the same order,
 * into level-0 COMPACT files of `target-file-size` (append default 256 MiB), numbered from the
 * first picked file's minSequenceNumber on (Java's `LongCounter`).
 *
 * Picks: full compaction (Java `FullCompactTask`) skips the leading files of at least the target
 * size, then rewrites the rest when they hold more small files than big ones and at least
 * FULL_COMPACT_FILE_COUNT_MIN (3) files; with fewer than 3 files in the bucket nothing happens.
 * Normal compaction (`pickCompactBefore`): a window slides over the files, dropping its first file
 * while the window reaches the target size, until it holds `compaction.min.file-num` (5) files.
 *
 * Not done: deletion vectors on append tables (LakeError "unsupported"), Java's separate
 * coordinator for unaware-bucket tables (bucket = -1: its files, all in bucket 0, are compacted
 * with the bucketed rule above), clustering and data-evolution rewrites.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/append/BucketedAppendCompactManager.java
 * and `AppendOnlyFileStoreWrite#compactRewrite`.
 *
 * Imports: errors.ts, spec/*, format/data (readDataFile, parquet types), io (types),
 * lsm/rolling_file_writer.ts.
 */
import { LakeError } from "../errors.ts";
import { readDataFile } from "../format/data/data_file_reader.ts";
import type { ParquetWasmModule } from "../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../io/store.ts";
import { writeRollingFiles } from "../lsm/rolling_file_writer.ts";
import { FILE_SOURCE, type DataFileMeta } from "../spec/data_file_meta.ts";
import { bucketDirName } from "../spec/paths.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";

/** Java `FULL_COMPACT_MIN_FILE`. */
export const FULL_COMPACT_FILE_COUNT_MIN = 3;

/** Files by minSequenceNumber (Java `fileComparator`), ties by name. */
export function sortAppendFiles(files: readonly DataFileMeta[]): DataFileMeta[] {
  return [...files].sort((a, b) => (a.minSequenceNumber < b.minSequenceNumber ? -1 : a.minSequenceNumber > b.minSequenceNumber ? 1 : a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

/**
 * The files a compaction of the bucket rewrites, in order (see the file header); empty for none.
 * `targetFileSizeBytes` and `minFileCount` are `target-file-size` and `compaction.min.file-num`.
 */
export function pickAppendCompaction(files: readonly DataFileMeta[], options: { full: boolean; targetFileSizeBytes: number; minFileCount: number }): DataFileMeta[] {
  const sorted = sortAppendFiles(files);
  const target = BigInt(Math.floor(options.targetFileSizeBytes));
  if (options.full) {
    if (sorted.length < FULL_COMPACT_FILE_COUNT_MIN) return [];
    let start = 0;
    while (start < sorted.length && sorted[start]!.fileSize >= target) start++;
    const rest = sorted.slice(start);
    const big = rest.filter((f) => f.fileSize >= target).length;
    return rest.length - big > big && rest.length >= FULL_COMPACT_FILE_COUNT_MIN ? rest : [];
  }
  const window: DataFileMeta[] = [];
  let total = 0n;
  for (const file of sorted) {
    window.push(file);
    total += file.fileSize;
    if (window.length >= options.minFileCount) return window;
    if (total >= target) total -= window.shift()!.fileSize;
  }
  return [];
}

/** Where the bucket lives and how to write. */
export interface AppendCompactContext {
  readonly store: ObjectStore;
  /** The table's current schema (files are read into it and written with it; options included). */
  readonly schema: TableSchema;
  readonly partitionPath: string;
  readonly bucket: number;
  readonly parquet: ParquetWasmModule;
  readonly targetFileSizeBytes: number;
  readonly nextFileName: () => string;
  readonly nowMs: () => number;
  readonly schemaById: (id: bigint) => Promise<TableSchema>;
}

/**
 * Rewrites `picked` (in the order given: `pickAppendCompaction`'s) into new COMPACT files and
 * returns them. Requires: at least one file. Errors: LakeError("unsupported") for files at
 * external paths, ("not_found")/("corruption") for missing or damaged files, store errors.
 */
export async function rewriteAppendFiles(picked: readonly DataFileMeta[], ctx: AppendCompactContext): Promise<DataFileMeta[]> {
  const columns: Value[][] = ctx.schema.fields.map(() => []);
  let rowCount = 0;
  for (const file of picked) {
    if (file.externalPath !== null) throw new LakeError("unsupported", `append compaction: data file ${file.fileName} lives at the external path ${file.externalPath}; external data paths are not supported yet`);
    const path = `${ctx.partitionPath}${bucketDirName(ctx.bucket)}/${file.fileName}`;
    const bytes = await ctx.store.get(path).catch((error: unknown) => {
      if (error instanceof LakeError && error.code === "not_found") throw new LakeError("not_found", `append compaction: data file ${path} is listed in the snapshot but missing from storage`, { cause: error });
      throw error;
    });
    if (BigInt(bytes.length) !== file.fileSize) throw new LakeError("corruption", `append compaction: data file ${file.fileName} is ${bytes.length} bytes, the manifest says ${file.fileSize}`);
    const batch = await readDataFile(bytes, { fileName: file.fileName, fileSchema: await ctx.schemaById(file.schemaId), readSchema: ctx.schema, primaryKey: false });
    if (BigInt(batch.rowCount) !== file.rowCount) throw new LakeError("corruption", `append compaction: data file ${file.fileName} holds ${batch.rowCount} rows, the manifest says ${file.rowCount}`);
    for (let c = 0; c < columns.length; c++) {
      const out = columns[c]!, src = batch.columns[c]!;
      for (let i = 0; i < batch.rowCount; i++) out.push(src[i] ?? null);
    }
    rowCount += batch.rowCount;
  }
  return writeRollingFiles({ rowCount, columns, sequenceNumberStart: picked[0]!.minSequenceNumber }, {
    store: ctx.store, schema: ctx.schema, partitionPath: ctx.partitionPath, bucket: ctx.bucket, level: 0, fileSource: FILE_SOURCE.COMPACT,
    parquet: ctx.parquet, targetFileSizeBytes: ctx.targetFileSizeBytes, nextFileName: ctx.nextFileName, nowMs: ctx.nowMs,
  });
}
