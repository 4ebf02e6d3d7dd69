// Shared helpers of the snapshot-expiration tests (not a test file): a seeded history of real
// commits on a primary-key table (real Parquet data and changelog files, HASH index files,
// appends, full compactions and upgrades that DELETE files, merged manifests), reads of every
// snapshot, store copies and diffs, and the brute-force model of what expiration may delete:
// the files the expired snapshots reference that no retained snapshot and no tag references.
// Method: plain helpers over src/; the model reads references through manifest_reader and the
// reader's own path rule (table_read.dataFilePath), never through expire_plan.
import { Table } from "../../../src/api/table.ts";
import { writeDataFile } from "../../../src/format/data/parquet_writer.ts";
import type { ParquetWasmModule } from "../../../src/format/data/parquet_wasm_loader.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import type { IndexFileMeta } from "../../../src/spec/index_manifest_entry.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import { INDEX_DIR, MANIFEST_DIR, STATISTICS_DIR } from "../../../src/spec/paths.ts";
import { logicalPartitionType, type TableSchema } from "../../../src/spec/schema.ts";
import { encodeTag, type Snapshot } from "../../../src/spec/snapshot.ts";
import type { Value } from "../../../src/spec/values.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { commitChanges } from "../../../src/table/commit.ts";
import type { CommitMessage } from "../../../src/table/commit_changes.ts";
import { readIndexManifest, readManifest, readManifestList, snapshotLiveFiles } from "../../../src/table/manifest_reader.ts";
import { readAllSnapshots, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import { dataFilePath } from "../../../src/table/table_read.ts";
import { seededRandom } from "../../harness.ts";
import { parquetWasm } from "../format/parquet_writer_support.ts";
import { makeTable, part } from "./commit_helpers.ts";

/** Time of snapshot 1 in the generated histories; snapshot n is (n - 1) minutes later. */
export const HISTORY_START_MS = 1_700_000_000_000;
/** Minutes between consecutive snapshots of a generated history. */
export const HISTORY_STEP_MS = 60_000;

/** Options of `buildHistory`. */
export interface HistoryOptions {
  readonly seed: number;
  /** Number of commits = number of snapshots. */
  readonly steps: number;
  /** Attach a changelog file to some appends. */
  readonly changelog?: boolean;
  /** Attach a HASH index file to some appends. */
  readonly index?: boolean;
  readonly tableOptions?: Record<string, string>;
}

/** A generated table. */
export interface History {
  readonly store: MemoryStore;
  readonly schema: TableSchema;
}

interface BucketState {
  files: DataFileMeta[];
  rows: Map<number, bigint>;
}

function uuids(tag: string): () => string {
  let n = 0;
  return () => `${tag}-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;
}

/**
 * Commits `steps` snapshots (one per commit, snapshot n at HISTORY_START_MS + (n-1) minutes):
 * appends of 1-4 upserts to one (partition, bucket) of keys 0..19 (bucket = k % 2), full
 * compactions of one bucket into a level-5 file, and upgrades of a lone level-0 file to level 5.
 */
export async function buildHistory(o: HistoryOptions): Promise<History> {
  const store = new MemoryStore({ nowMs: () => HISTORY_START_MS });
  const schema = await makeTable(store, { options: { "manifest.merge-min-count": "3", ...o.tableOptions } });
  const pq = await parquetWasm();
  const random = seededRandom(o.seed);
  const uuid = uuids(`e${o.seed.toString(16).padStart(7, "0")}`);
  const buckets = new Map<string, BucketState>();
  let seq = 0n, fileNo = 0;
  const writeFile = async (p: string, bucket: number, rows: [number, bigint][], level: number, prefix: string): Promise<DataFileMeta> => {
    rows.sort((a, b) => a[0] - b[0]);
    const name = `${prefix}${uuid()}-${fileNo++}.parquet`;
    const columns: Value[][] = [rows.map((r) => r[0]), rows.map(() => p), rows.map((r) => r[1])];
    const sequenceNumbers = BigInt64Array.from(rows.map(() => seq++));
    const out = writeDataFile(columns, { schema, primaryKey: true, sequenceNumbers, level, parquetWasm: pq });
    await store.put(`p=${p}/bucket-${bucket}/${name}`, out.bytes);
    return {
      fileName: name, fileSize: BigInt(out.bytes.length), rowCount: BigInt(out.rowCount), minKey: out.minKey, maxKey: out.maxKey,
      keyStats: out.keyStats, valueStats: out.valueStats, minSequenceNumber: out.minSequenceNumber,
      maxSequenceNumber: out.maxSequenceNumber, schemaId: schema.id, level, extraFiles: [], creationTime: BigInt(HISTORY_START_MS),
      deleteRowCount: out.deleteRowCount, embeddedIndex: null, fileSource: level === 0 ? FILE_SOURCE.APPEND : FILE_SOURCE.COMPACT,
      valueStatsCols: out.valueStatsCols, externalPath: null, firstRowId: null, writeCols: null, columnMaxSequenceNumbers: null,
    };
  };
  for (let step = 0; step < o.steps; step++) {
    const nowMs = HISTORY_START_MS + step * HISTORY_STEP_MS;
    const groups = [...buckets.entries()].filter(([, b]) => b.files.length > 0);
    let message: CommitMessage;
    let kind: "APPEND" | "COMPACT" = "APPEND";
    if (groups.length > 0 && random() < 0.35) {
      kind = "COMPACT";
      const [id, state] = groups[Math.floor(random() * groups.length)]!;
      const [p, b] = id.split("/") as [string, string];
      const bucket = Number(b);
      const before = state.files;
      let after: DataFileMeta[];
      if (before.length === 1 && before[0]!.level === 0 && random() < 0.6) {
        after = [{ ...before[0]!, level: 5 }]; // upgrade: DELETE(level 0) + ADD(level 5), same file
      } else {
        after = [await writeFile(p, bucket, [...state.rows.entries()], 5, "data-")];
      }
      message = { partition: part(p), bucket, totalBuckets: 2, deletedFiles: before, compactAfter: after };
      state.files = after;
    } else {
      const p = random() < 0.5 ? "a" : "b", bucket = random() < 0.5 ? 0 : 1;
      const rows = new Map<number, bigint>();
      for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) rows.set(2 * Math.floor(random() * 10) + bucket, BigInt(Math.floor(random() * 1000)));
      const file = await writeFile(p, bucket, [...rows], 0, "data-");
      const id = `${p}/${bucket}`;
      const state = buckets.get(id) ?? { files: [], rows: new Map() };
      buckets.set(id, state);
      state.files = [...state.files, file];
      for (const [k, v] of rows) state.rows.set(k, v);
      const changelog = o.changelog === true && random() < 0.5 ? [await writeFile(p, bucket, [...rows], 0, "changelog-")] : [];
      let indexChanges: CommitMessage["indexChanges"];
      if (o.index === true && random() < 0.4) {
        const name = `index-${uuid()}-${fileNo++}`;
        const bytes = utf8Encode(`hash index ${name}`);
        await store.put(`${INDEX_DIR}/${name}`, bytes);
        const meta: IndexFileMeta = { indexType: "HASH", fileName: name, fileSize: BigInt(bytes.length), rowCount: 1n, dvRanges: null, externalPath: null, globalIndex: null };
        indexChanges = { newIndexFiles: [meta] };
      }
      message = { partition: part(p), bucket, totalBuckets: 2, newFiles: [file], changelogFiles: changelog, ...(indexChanges ? { indexChanges } : {}) };
    }
    const result = await commitChanges(store, {
      schema, commitUser: "expire-test", commitIdentifier: BigInt(step + 1), commitKind: kind, messages: [message],
      nowMs: () => nowMs, randomUuid: uuid, sleepMs: async () => {}, random: () => 0.5,
    });
    if (result.snapshotIds.length !== 1) throw new Error(`expire helpers: step ${step} made ${result.snapshotIds.length} snapshots`);
  }
  return { store, schema };
}

/** The rows of snapshot `id` as sorted JSON lines (bigints as text). */
export async function rowsAt(store: ObjectStore, id: bigint): Promise<string[]> {
  const table = await Table.open(store);
  const out: string[] = [];
  for await (const row of table.rows({ snapshotId: id })) out.push(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? `${v}n` : v)));
  return out.sort();
}

/** Rows of every snapshot present, by id. */
export async function rowsOfAll(store: ObjectStore): Promise<Map<bigint, string[]>> {
  const out = new Map<bigint, string[]>();
  for (const s of await readAllSnapshots(store)) out.set(s.id, await rowsAt(store, s.id));
  return out;
}

/** A copy of every object of `store`. */
export async function copyStore(store: ObjectStore, into: ObjectStore = new MemoryStore()): Promise<ObjectStore> {
  for (const e of await store.list("")) await into.put(e.path, await store.get(e.path));
  return into;
}

/** Every path of `store`. */
export async function pathsOf(store: ObjectStore): Promise<Set<string>> {
  return new Set((await store.list("")).map((e) => e.path));
}

/** Every path with its content (hex-free: bytes joined), for exact state comparisons. */
export async function stateOf(store: ObjectStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await store.list("")) out.set(e.path, Array.from(await store.get(e.path)).join(","));
  return out;
}

/**
 * Every file `snapshot` references, as paths: live data files, base and delta lists and their
 * manifests, the index manifest and its index files, the statistics file, and (when
 * `changelog`) the changelog list, its manifests and its files.
 */
export async function referencedPaths(store: ObjectStore, schema: TableSchema, snapshot: Snapshot, changelog: boolean): Promise<Set<string>> {
  const out = new Set<string>();
  const types = logicalPartitionType(schema).fields.map((f) => f.type);
  const pathOf = (partition: Uint8Array, bucket: number, file: DataFileMeta) =>
    dataFilePath(schema, { partitionValues: decodeSerializedBinaryRow(types, partition), bucket }, file);
  for (const e of await snapshotLiveFiles(store, snapshot)) {
    out.add(pathOf(e.partition, e.bucket, e.file));
    for (const x of e.file.extraFiles) out.add(pathOf(e.partition, e.bucket, { ...e.file, fileName: x }));
  }
  const lists = [snapshot.baseManifestList, snapshot.deltaManifestList];
  if (changelog && snapshot.changelogManifestList !== null) lists.push(snapshot.changelogManifestList);
  for (const list of lists) {
    out.add(`${MANIFEST_DIR}/${list}`);
    for (const m of await readManifestList(store, list)) out.add(`${MANIFEST_DIR}/${m.fileName}`);
  }
  if (changelog && snapshot.changelogManifestList !== null) {
    for (const m of await readManifestList(store, snapshot.changelogManifestList)) {
      for (const e of await readManifest(store, m.fileName)) if (e.kind === FILE_KIND.ADD) out.add(pathOf(e.partition, e.bucket, e.file));
    }
  }
  if (snapshot.indexManifest !== null) {
    out.add(`${MANIFEST_DIR}/${snapshot.indexManifest}`);
    for (const e of await readIndexManifest(store, snapshot.indexManifest)) out.add(`${INDEX_DIR}/${e.indexFile.fileName}`);
  }
  if (snapshot.statistics !== null) out.add(`${STATISTICS_DIR}/${snapshot.statistics}`);
  return out;
}

/**
 * The brute-force model: the paths expiring the snapshots with ids in `expiredIds` may delete
 * (their snapshot files, plus what they reference that no retained snapshot or tag
 * references). Tags protect what a snapshot references except its changelog (as Java).
 * Requires: read before the expiration; `tags` are the tag files' snapshots.
 */
export async function expectedDeleted(
  store: ObjectStore, schema: TableSchema, expiredIds: readonly bigint[], tags: readonly Snapshot[] = [],
): Promise<Set<string>> {
  const expired = new Set(expiredIds);
  const doomed = new Set<string>();
  const kept = new Set<string>();
  for (const s of await readAllSnapshots(store)) {
    const refs = await referencedPaths(store, schema, s, true);
    for (const p of refs) (expired.has(s.id) ? doomed : kept).add(p);
    if (expired.has(s.id)) doomed.add(`snapshot/snapshot-${s.id}`);
  }
  for (const t of tags) for (const p of await referencedPaths(store, schema, t, false)) kept.add(p);
  return new Set([...doomed].filter((p) => !kept.has(p)));
}

/** Writes `tag/tag-<name>` for snapshot `id` as Java does (the snapshot JSON plus tag fields). */
export async function createTag(store: ObjectStore, name: string, id: bigint): Promise<Snapshot> {
  const snapshot = await readSnapshot(store, id);
  await store.put(`tag/tag-${name}`, utf8Encode(encodeTag({ ...snapshot, tagCreateTime: "2024-05-06T07:08:09.123", tagTimeRetained: null })));
  return snapshot;
}

/** Sorted difference a − b. */
export function minus(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

/** parquet-wasm for tests that write their own files. */
export function parquet(): Promise<ParquetWasmModule> {
  return parquetWasm();
}
