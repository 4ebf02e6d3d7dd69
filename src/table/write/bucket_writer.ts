/**
 * What every per-bucket writer of a TableWriter shares: the contract (buffer rows, flush to
 * level-0 files, hand over the commit message), the per-writer context, and the file namer.
 *
 * File names follow Java's `DataFilePathFactory`: one random uuid per bucket writer and one
 * counter shared by data files, changelog files and compaction output of that bucket:
 * `<data-file.prefix|changelog-file.prefix><uuid>-<count>.<format>` (spec/paths.ts
 * `dataFileName`, with `file.suffix.include.compression`).
 *
 * Imports: spec (paths, core_options, data_file_meta types), format/data (parquet module type),
 * io (store type), kernel (type), lsm/write_columns.ts (types), table (commit_changes type,
 * write/row_router type).
 */
import type { ParquetWasmModule } from "../../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../../io/store.ts";
import type { KeyKernel } from "../../kernel/mod.ts";
import type { InputBatch } from "../../lsm/write_columns.ts";
import { optionBoolean, optionString } from "../../spec/core_options.ts";
import type { OptionMap } from "../../spec/core_options_types.ts";
import { dataFileName } from "../../spec/paths.ts";
import type { TableSchema } from "../../spec/schema.ts";
import type { CommitMessage } from "../commit_changes.ts";
import type { PartitionTarget } from "./row_router.ts";

/** One (partition, bucket) of a table writer. */
export interface BucketWriter {
  readonly target: PartitionTarget;
  readonly bucket: number;
  /** Bytes the buffer holds (0 for writers without buffer). */
  readonly memoryBytes: number;
  /** Rows buffered and not yet in a file. */
  readonly bufferedRowCount: number;
  /** Buffers batch rows [from, to) (or `rows[from..to)`). Requires: validated, routed here. */
  append(batch: InputBatch, rows: Uint32Array | null, from: number, to: number): void;
  /** Writes the buffered rows to level-0 files (and compacts, for merge trees). */
  flush(): Promise<void>;
  /**
   * Flushes, then hands over what changed since the last call (Java `prepareCommit`), or null
   * when nothing did. `fullCompaction`: compact everything first (full-compaction.delta-commits).
   */
  prepareCommit(options: { fullCompaction: boolean }): Promise<CommitMessage | null>;
  /**
   * Drops buffered rows and deletes the files written since the last `prepareCommit` (never
   * handed to a commit), as Java's writer `close` does; best effort (a failed delete leaves an
   * orphan file, which no snapshot names).
   */
  abort(): Promise<void>;
}

/** Deletes `files` of a bucket directory, ignoring failures (see `BucketWriter.abort`). */
export async function deleteQuietly(store: ObjectStore, dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      await store.delete(dir + name);
    } catch {
      // Best effort: an orphan data file is harmless (no snapshot references it).
    }
  }
}

/** What a bucket writer needs from its table writer. */
export interface BucketWriterContext {
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  /** Schema options with the writer's dynamic options over them. */
  readonly options: OptionMap;
  readonly kernel: KeyKernel;
  readonly parquet: ParquetWasmModule;
  /** `_TOTAL_BUCKETS` of new files. */
  readonly totalBuckets: number;
  /** Roll data files at this size (`target-file-size`). */
  readonly targetFileSizeBytes: number;
  readonly nowMs: () => number;
  readonly randomUuid: () => string;
}

/** Java `DataFilePathFactory` of one bucket writer: data, changelog and compaction file names. */
export class BucketFileNamer {
  readonly #uuid: string;
  readonly #options: OptionMap;
  #count = 0;

  constructor(randomUuid: () => string, options: OptionMap) {
    this.#uuid = randomUuid();
    this.#options = options;
  }

  #next(prefix: string): string {
    return dataFileName({
      prefix,
      uuid: this.#uuid,
      count: this.#count++,
      format: "parquet",
      compression: optionString(this.#options, "file.compression") ?? undefined,
      includeCompression: optionBoolean(this.#options, "file.suffix.include.compression")!,
    });
  }

  /** The next data file name (`data-file.prefix`). */
  readonly nextDataFile = (): string => this.#next(optionString(this.#options, "data-file.prefix")!);

  /** The next changelog file name (`changelog-file.prefix`). */
  readonly nextChangelogFile = (): string => this.#next(optionString(this.#options, "changelog-file.prefix")!);
}
