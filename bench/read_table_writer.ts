/**
 * Writes a small but real Paimon primary-key table into an ObjectStore for the read benchmark
 * and the fast-read tests: schema-0, data files in Paimon's physical Parquet layout
 * (`_KEY_<k>`, `_SEQUENCE_NUMBER`, `_VALUE_KIND`, then the table columns) written by
 * parquet-wasm from Arrow, one manifest with an ADD entry per file, a manifest list, and one
 * APPEND snapshot. Not a table writer: the caller supplies sorted, per-file-unique keys and the
 * sequence numbers; key and value statistics are left empty (no pruning is exercised).
 *
 * Imports: apache-arrow, parquet-wasm (an initialised module passed in), src/spec/*,
 * src/format/manifest/manifest_codec.ts, src/api/arrow.ts, src/io/store.ts (type).
 */
import { tableToIPC, type Table as ArrowTable } from "apache-arrow";
import type * as ParquetWasm from "parquet-wasm/esm";
import { columnsToArrowTable } from "../src/api/arrow.ts";
import { encodeManifest, encodeManifestList } from "../src/format/manifest/manifest_codec.ts";
import type { ObjectStore } from "../src/io/store.ts";
import { encodeSerializedBinaryRow } from "../src/spec/binary_row.ts";
import { atomic, type DataField } from "../src/spec/data_types.ts";
import type { DataFileMeta } from "../src/spec/data_file_meta.ts";
import type { ManifestEntry } from "../src/spec/manifest_entry.ts";
import { partitionPathOf } from "../src/spec/partition_values.ts";
import { bucketDirName, encodeHint, schemaFileName, snapshotFileName } from "../src/spec/paths.ts";
import { encodeTableSchema, logicalPartitionType, logicalTrimmedPrimaryKeysType, SYSTEM_FIELD_ID_START, trimmedPrimaryKeys, type TableSchema } from "../src/spec/schema.ts";
import { COMMIT_IDENTIFIER_BATCH, createSnapshot, encodeSnapshot } from "../src/spec/snapshot.ts";
import type { Value } from "../src/spec/values.ts";

/** Parquet compression of the written data files. */
export type BenchCompression = "UNCOMPRESSED" | "SNAPPY" | "ZSTD";

/** One data file to write. */
export interface TableFileInput {
  readonly partition?: readonly Value[];
  readonly bucket?: number;
  readonly level?: number;
  /** Physical columns (`physicalFields(schema)` order), rows sorted by key, keys unique. */
  readonly data: ArrowTable;
  readonly minKey: readonly Value[];
  readonly maxKey: readonly Value[];
  readonly minSequenceNumber: bigint;
  readonly maxSequenceNumber: bigint;
  readonly deleteRowCount: bigint;
}

const EMPTY_ROW = encodeSerializedBinaryRow([], []);
const EMPTY_STATS = { minValues: EMPTY_ROW, maxValues: EMPTY_ROW, nullCounts: [] };

/** The fields of a primary-key data file in Paimon's order (docs/paimon-format.md §6.1). */
export function physicalFields(schema: TableSchema): DataField[] {
  const keys = trimmedPrimaryKeys(schema).map((name) => {
    const f = schema.fields.find((x) => x.name === name)!;
    return { ...f, id: SYSTEM_FIELD_ID_START + f.id, name: `_KEY_${name}` };
  });
  return [
    ...keys,
    { id: 2147483646, name: "_SEQUENCE_NUMBER", type: atomic("BIGINT", { nullable: false }) },
    { id: 2147483645, name: "_VALUE_KIND", type: atomic("TINYINT", { nullable: false }) },
    ...schema.fields,
  ];
}

/**
 * The Arrow table of one data file from value columns: `keys` (trimmed primary key columns),
 * sequence numbers, row kinds and the table columns (`values[j]` for `schema.fields[j]`).
 */
export function physicalArrowTable(schema: TableSchema, keys: readonly Value[][], seqs: readonly bigint[], kinds: readonly number[], values: readonly Value[][]): ArrowTable {
  return columnsToArrowTable(physicalFields(schema), [...keys, seqs, kinds, ...values], seqs.length);
}

/** Parquet bytes of an Arrow table, one row group of at most `rowGroupRows`. */
export function writeParquetBytes(pq: typeof ParquetWasm, data: ArrowTable, compression: BenchCompression, rowGroupRows = 1 << 20): Uint8Array<ArrayBuffer> {
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression[compression]).setMaxRowGroupSize(rowGroupRows).build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(data, "stream")), props) as Uint8Array<ArrayBuffer>;
}

/** Writes the table (schema, data files, manifests, snapshot 1) into `store`; returns the data file paths. */
export async function writePkTable(
  store: ObjectStore, schema: TableSchema, files: readonly TableFileInput[],
  options: { readonly pq: typeof ParquetWasm; readonly compression: BenchCompression },
): Promise<string[]> {
  await store.put(`schema/${schemaFileName(schema.id)}`, new TextEncoder().encode(encodeTableSchema(schema)));
  const keyTypes = logicalTrimmedPrimaryKeysType(schema).fields.map((f) => f.type);
  const partitionFields = logicalPartitionType(schema).fields;
  const bucketOption = Number(schema.options["bucket"] ?? "1");
  const entries: ManifestEntry[] = [];
  const paths: string[] = [];
  let total = 0n;
  for (const [i, input] of files.entries()) {
    const bytes = writeParquetBytes(options.pq, input.data, options.compression);
    const fileName = `data-${i.toString(16).padStart(8, "0")}-bench-0000-0000-000000000000-0.parquet`;
    const partition = input.partition ?? [];
    const dir = partitionPathOf(partitionFields, partition, { legacyName: true, defaultName: "__DEFAULT_PARTITION__" });
    const path = `${dir === "" ? "" : dir + "/"}${bucketDirName(input.bucket ?? 0)}/${fileName}`;
    await store.put(path, bytes);
    paths.push(path);
    const file: DataFileMeta = {
      fileName, fileSize: BigInt(bytes.length), rowCount: BigInt(input.data.numRows),
      minKey: encodeSerializedBinaryRow(keyTypes, input.minKey), maxKey: encodeSerializedBinaryRow(keyTypes, input.maxKey),
      keyStats: EMPTY_STATS, valueStats: EMPTY_STATS,
      minSequenceNumber: input.minSequenceNumber, maxSequenceNumber: input.maxSequenceNumber,
      schemaId: schema.id, level: input.level ?? 0, extraFiles: [], creationTime: 0n,
      deleteRowCount: input.deleteRowCount, embeddedIndex: null, fileSource: 0, valueStatsCols: null,
      externalPath: null, firstRowId: null, writeCols: null, columnMaxSequenceNumbers: null,
    };
    total += file.rowCount;
    entries.push({
      kind: 0, partition: encodeSerializedBinaryRow(partitionFields.map((f) => f.type), partition),
      bucket: input.bucket ?? 0, totalBuckets: bucketOption, file,
    });
  }
  const manifest = await encodeManifest(entries);
  await store.put("manifest/manifest-bench-0", manifest);
  const list = await encodeManifestList([{
    fileName: "manifest-bench-0", fileSize: BigInt(manifest.length), numAddedFiles: BigInt(entries.length), numDeletedFiles: 0n,
    partitionStats: partitionFields.length === 0 ? EMPTY_STATS : { minValues: EMPTY_ROW, maxValues: EMPTY_ROW, nullCounts: null },
    schemaId: schema.id, minBucket: null, maxBucket: null, minLevel: null, maxLevel: null, minRowId: null, maxRowId: null,
  }]);
  const base = await encodeManifestList([]);
  await store.put("manifest/manifest-list-bench-0", base);
  await store.put("manifest/manifest-list-bench-1", list);
  const snapshot = createSnapshot({
    id: 1n, schemaId: schema.id, baseManifestList: "manifest-list-bench-0", deltaManifestList: "manifest-list-bench-1",
    commitUser: "bench", commitIdentifier: COMMIT_IDENTIFIER_BATCH, commitKind: "APPEND", timeMillis: 0n,
    totalRecordCount: total, deltaRecordCount: total,
  });
  await store.put(`snapshot/${snapshotFileName(1n)}`, new TextEncoder().encode(encodeSnapshot(snapshot)));
  await store.put("snapshot/LATEST", new TextEncoder().encode(encodeHint(1n)));
  await store.put("snapshot/EARLIEST", new TextEncoder().encode(encodeHint(1n)));
  return paths;
}
