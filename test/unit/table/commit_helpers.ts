// Shared helpers of the commit tests (not a test file): a primary-key table (INT key `k`,
// partitioned by STRING `p`, BIGINT value `v`, fixed buckets) or an append table written to a
// MemoryStore, data-file metadata with real key rows and stats, deterministic UUIDs and clocks,
// and readers of what a snapshot holds (live file names, every metadata file it references).
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { decodeSerializedBinaryRow, deserializeBinaryRow, encodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { atomic, parseTypeString, type DataField } from "../../../src/spec/data_types.ts";
import type { DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { createTableSchema, encodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import { EMPTY_STATS, encodeSimpleStats } from "../../../src/spec/simple_stats.ts";
import type { Snapshot } from "../../../src/spec/snapshot.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { commitChanges, type CommitRequest, type CommitResult } from "../../../src/table/commit.ts";
import type { CommitMessage } from "../../../src/table/commit_changes.ts";
import { readManifestList, snapshotLiveFiles } from "../../../src/table/manifest_reader.ts";
import { latestSnapshot } from "../../../src/table/snapshot_manager.ts";

const INT = atomic("INT", { nullable: false });
const STRING = parseTypeString("STRING");

/** Options of `makeTable`. */
export interface TableSetup {
  readonly primaryKey?: boolean;
  readonly partitioned?: boolean;
  readonly options?: Record<string, string>;
}

/** Creates `schema/schema-0` of a test table on `store` and returns the schema. */
export async function makeTable(store: ObjectStore, setup: TableSetup = {}): Promise<TableSchema> {
  const fields: DataField[] = [
    { id: 0, name: "k", type: INT },
    { id: 1, name: "p", type: STRING },
    { id: 2, name: "v", type: atomic("BIGINT") },
  ];
  const schema = createTableSchema({
    fields,
    partitionKeys: setup.partitioned === false ? [] : ["p"],
    primaryKeys: setup.primaryKey === false ? [] : setup.partitioned === false ? ["k"] : ["k", "p"],
    options: {
      bucket: "2",
      ...(setup.primaryKey === false && setup.options?.bucket !== "-1" ? { "bucket-key": "k" } : {}),
      ...setup.options,
    },
    timeMillis: 1_700_000_000_000n,
  });
  await store.put("schema/schema-0", utf8Encode(encodeTableSchema(schema)));
  return schema;
}

/** Serialized partition row of the partitioned test table (`p` = value). */
export function part(value: string | null): Uint8Array {
  return encodeSerializedBinaryRow([STRING], [value]);
}

/** Serialized partition row of an unpartitioned table. */
export const NO_PARTITION: Uint8Array = encodeSerializedBinaryRow([], []);

/** Serialized trimmed key row (`k`). */
export function key(k: number): Uint8Array {
  return encodeSerializedBinaryRow([INT], [k]);
}

/** A data file of the PK test table with key range [min, max] and `rows` rows. */
export function dataFile(name: string, over: { min?: number; max?: number; rows?: number; level?: number; seq?: number } = {}): DataFileMeta {
  const min = over.min ?? 0, max = over.max ?? min, rows = BigInt(over.rows ?? 1), seq = BigInt(over.seq ?? 0);
  return {
    fileName: name,
    fileSize: 100n + rows,
    rowCount: rows,
    minKey: key(min),
    maxKey: key(max),
    keyStats: encodeSimpleStats([INT], [{ min, max, nullCount: 0n }]),
    valueStats: EMPTY_STATS,
    minSequenceNumber: seq,
    maxSequenceNumber: seq + rows - 1n,
    schemaId: 0n,
    level: over.level ?? 0,
    extraFiles: [],
    creationTime: 1_700_000_000_000n,
    deleteRowCount: 0n,
    embeddedIndex: null,
    fileSource: 0,
    valueStatsCols: [],
    externalPath: null,
    firstRowId: null,
    writeCols: null,
    columnMaxSequenceNumbers: null,
  };
}

/** A message adding `files` to (p, bucket). */
export function addMessage(p: string, bucket: number, files: DataFileMeta[]): CommitMessage {
  return { partition: part(p), bucket, totalBuckets: 2, newFiles: files };
}

/** Deterministic UUIDs: `<tag>-0000-4000-8000-<counter>`. */
export function uuidSource(tag = "00000000"): () => string {
  let n = 0;
  return () => `${tag}-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;
}

/** A clock that advances 1 ms per call from `startMs`. */
export function tickingClock(startMs = 1_700_000_000_000): () => number {
  let t = startMs;
  return () => t++;
}

/** One UUID source for every test commit of this process, so names never repeat in a store. */
const sharedUuids = uuidSource();

/** Defaults for test commits: deterministic ids and clock, no real sleeping. */
export function testCommitDefaults(): Pick<CommitRequest, "randomUuid" | "nowMs" | "sleepMs" | "random"> {
  return { randomUuid: sharedUuids, nowMs: tickingClock(), sleepMs: async () => {}, random: () => 0.5 };
}

/** Commits with the test defaults; `request` fields win. */
export function commit(store: ObjectStore, request: Omit<CommitRequest, "commitIdentifier"> & Partial<Pick<CommitRequest, "commitIdentifier">>): Promise<CommitResult> {
  return commitChanges(store, { ...testCommitDefaults(), commitIdentifier: 9223372036854775807n, ...request });
}

/** Sorted names of the live data files of the latest snapshot ([] for an empty table). */
export async function liveFileNames(store: ObjectStore): Promise<string[]> {
  const snapshot = await latestSnapshot(store);
  if (snapshot === null) return [];
  return (await snapshotLiveFiles(store, snapshot)).map((e) => {
    const p = deserializeBinaryRow(e.partition).arity === 0 ? "" : String(decodeSerializedBinaryRow([STRING], e.partition)[0]);
    return `${p}/${e.bucket}/${e.file.fileName}`;
  }).sort();
}

/** Names (in `manifest/`) of every metadata file `snapshot` references. */
export async function referencedMetadataFiles(store: ObjectStore, snapshot: Snapshot): Promise<Set<string>> {
  const out = new Set<string>();
  for (const list of [snapshot.baseManifestList, snapshot.deltaManifestList, snapshot.changelogManifestList]) {
    if (list === null) continue;
    out.add(list);
    for (const m of await readManifestList(store, list)) out.add(m.fileName);
  }
  if (snapshot.indexManifest !== null) out.add(snapshot.indexManifest);
  return out;
}

/** A fresh store holding a new test table. */
export async function newTable(setup: TableSetup = {}): Promise<{ store: MemoryStore; schema: TableSchema }> {
  const store = new MemoryStore();
  return { store, schema: await makeTable(store, setup) };
}
