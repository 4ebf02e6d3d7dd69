/**
 * DataFileMeta: the metadata of one data file as stored in the `_FILE` record of a manifest
 * entry (Avro record `record__FILE`, field ids 0-20).
 *
 * Mirrors `org.apache.paimon.io.DataFileMeta` (SCHEMA) and `DataFileMetaSerializer`.
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/io/DataFileMeta.java
 *
 * Invariants: every 64-bit wire value is a bigint; BinaryRows (`minKey`, `maxKey`, stats rows)
 * stay serialized (4-byte big-endian arity + little-endian row bytes). Fields 0-11 are always
 * present; fields 12-20 are null when unknown or absent from an older file layout
 * (ids 13-14 since 0.8, 15 since 0.9, 16-17 since 1.0, 18 since 1.3, 19 since 1.3/2.0, 20 master).
 *
 * Imports: `simple_stats.ts` (types only).
 */
import type { SimpleStats } from "./simple_stats.ts";

/** Who wrote a data file (persisted as a TINYINT: never renumber). */
export const FILE_SOURCE = {
  /** Written by a table writer (new data). */
  APPEND: 0,
  /** Written by a compaction. */
  COMPACT: 1,
} as const;

/** One of `FILE_SOURCE`. */
export type FileSource = (typeof FILE_SOURCE)[keyof typeof FILE_SOURCE];

/** The Avro field names of DataFileMeta, by TS property (persisted: never rename). */
export const DATA_FILE_META_FIELDS = {
  fileName: "_FILE_NAME",
  fileSize: "_FILE_SIZE",
  rowCount: "_ROW_COUNT",
  minKey: "_MIN_KEY",
  maxKey: "_MAX_KEY",
  keyStats: "_KEY_STATS",
  valueStats: "_VALUE_STATS",
  minSequenceNumber: "_MIN_SEQUENCE_NUMBER",
  maxSequenceNumber: "_MAX_SEQUENCE_NUMBER",
  schemaId: "_SCHEMA_ID",
  level: "_LEVEL",
  extraFiles: "_EXTRA_FILES",
  creationTime: "_CREATION_TIME",
  deleteRowCount: "_DELETE_ROW_COUNT",
  embeddedIndex: "_EMBEDDED_FILE_INDEX",
  fileSource: "_FILE_SOURCE",
  valueStatsCols: "_VALUE_STATS_COLS",
  externalPath: "_EXTERNAL_PATH",
  firstRowId: "_FIRST_ROW_ID",
  writeCols: "_WRITE_COLS",
  columnMaxSequenceNumbers: "_WRITE_COLS_SEQUENCES",
} as const;

/** Metadata of one data file (`_FILE`). Field ids in brackets. */
export interface DataFileMeta {
  /** [0] File name, relative to the bucket directory. */
  readonly fileName: string;
  /** [1] Exact size in bytes (readers locate the Parquet/ORC footer with it). */
  readonly fileSize: bigint;
  /** [2] All rows of the file, retractions included. */
  readonly rowCount: bigint;
  /** [3] Serialized BinaryRow of the smallest key (empty row for append tables). */
  readonly minKey: Uint8Array;
  /** [4] Serialized BinaryRow of the largest key. */
  readonly maxKey: Uint8Array;
  /** [5] Per-key-column stats. */
  readonly keyStats: SimpleStats;
  /** [6] Per-value-column stats (only `valueStatsCols` when that is not null). */
  readonly valueStats: SimpleStats;
  /** [7] Smallest sequence number in the file. */
  readonly minSequenceNumber: bigint;
  /** [8] Largest sequence number in the file. */
  readonly maxSequenceNumber: bigint;
  /** [9] Id of the schema the file was written with. */
  readonly schemaId: bigint;
  /** [10] LSM level (0 for new and append files). */
  readonly level: number;
  /** [11] Side files (e.g. `<name>.index`), never null. */
  readonly extraFiles: readonly string[];
  /** [12] Creation time, epoch milliseconds of the writer's local wall clock read as UTC. */
  readonly creationTime: bigint | null;
  /** [13] Rows with row kind -U or -D (since 0.8). */
  readonly deleteRowCount: bigint | null;
  /** [14] Inlined small file index (since 0.8). */
  readonly embeddedIndex: Uint8Array | null;
  /** [15] APPEND or COMPACT (since 0.9). */
  readonly fileSource: FileSource | null;
  /** [16] Columns covered by `valueStats`; null = all columns (since 1.0). */
  readonly valueStatsCols: readonly string[] | null;
  /** [17] Absolute URI when the file lives outside the table directory (since 1.0). */
  readonly externalPath: string | null;
  /** [18] First row id for row tracking (since 1.3). */
  readonly firstRowId: bigint | null;
  /** [19] Columns of a partial-column (data-evolution) file (since 1.3). */
  readonly writeCols: readonly string[] | null;
  /** [20] Per-column maximum sequence numbers, positional with the written columns (master). */
  readonly columnMaxSequenceNumbers: readonly bigint[] | null;
}
