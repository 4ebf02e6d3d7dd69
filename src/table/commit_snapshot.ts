/**
 * Builds the snapshot an attempt publishes: the index manifest (complete set, carried forward or
 * rewritten), schema id, record counts, watermark, inherited statistics, next row id, and the
 * snapshot JSON itself, validated by decoding it back before anything can store it.
 *
 * Mirrors the snapshot preparation in Java `FileStoreCommitImpl#tryCommitOnce` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/operation/FileStoreCommitImpl.java
 *  - schemaId = the latest schema id when the attempt runs;
 *  - totalRecordCount = previous total + deltaRecordCount, where deltaRecordCount = rows of ADD
 *    entries - rows of DELETE entries; changelogRecordCount = rows of the changelog files, null
 *    when there are none;
 *  - watermark = max(given, previous); statistics inherited when the stats file was computed
 *    with the latest schema; nextRowId = previous nextRowId, else 0 (Java writes 0 without row
 *    tracking); uuid random per snapshot (2.0); properties null when empty.
 *
 * Invariants: the returned bytes decode to the returned snapshot, whose id equals the file name
 * (pair assertion: encode, decode with the name check, encode again, compare).
 * Imports: spec (snapshot, paths, manifests), table (manifest_reader, manifest_writer,
 * schema_manager, commit_index, manifest_merge types), io types, util, errors.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import type { DataType } from "../spec/data_types.ts";
import type { IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import { snapshotFileName, STATISTICS_DIR } from "../spec/paths.ts";
import {
  createSnapshot, decodeSnapshot, encodeSnapshot, type CommitKind, type Snapshot, type SnapshotOperation,
} from "../spec/snapshot.ts";
import { assert } from "../util/assert.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { isJsonObject, parseJson } from "../util/json.ts";
import { jsonInt64 } from "../util/json_fields.ts";
import { combineIndexEntries } from "./commit_index.ts";
import type { ManifestMergeOptions } from "./manifest_merge.ts";
import { readIndexManifest } from "./manifest_reader.ts";
import { writeIndexManifest, type ManifestWriteContext, type WrittenList } from "./manifest_writer.ts";
import { listSchemaIds } from "./schema_manager.ts";

/** What snapshot building needs from the commit call. */
export interface SnapshotBuildEnv {
  readonly store: ObjectStore;
  readonly commitUser: string;
  readonly commitIdentifier: bigint;
  /** Clock for `timeMillis`, epoch ms. */
  readonly nowMs: () => number;
  /** Random UUIDs (snapshot uuid, file names). */
  readonly randomUuid: () => string;
  readonly partitionTypes: readonly DataType[];
  readonly merge: ManifestMergeOptions;
  /** Watermark given with the commit (merged with the previous one). */
  readonly watermark: bigint | null;
  /** Snapshot properties; null or empty = none. */
  readonly properties: Readonly<Record<string, string>> | null;
  readonly operation: SnapshotOperation | null;
  /** Deletion vectors on an unaware-bucket table (Java's GlobalCombiner). */
  readonly unawareDeletionVectors: boolean;
}

/** The files and changes one attempt has written or will commit. */
export interface SnapshotAttemptInput {
  readonly latest: Snapshot | null;
  readonly kind: CommitKind;
  readonly baseList: WrittenList;
  readonly deltaList: WrittenList;
  readonly changelogList: WrittenList | null;
  readonly delta: readonly ManifestEntry[];
  readonly changelogFiles: readonly ManifestEntry[];
  readonly indexFiles: readonly IndexManifestEntry[];
}

/** A snapshot ready for its conditional create. */
export interface BuiltSnapshot {
  readonly snapshot: Snapshot;
  /** The exact bytes of `snapshot/snapshot-<id>`. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The index manifest this attempt wrote, or null when it carried the previous one forward. */
  readonly newIndexManifest: string | null;
}

function rowCountOf(entries: readonly ManifestEntry[], kind: number): bigint {
  let n = 0n;
  for (const e of entries) if (e.kind === kind) n += e.file.rowCount;
  return n;
}

async function latestSchemaId(store: ObjectStore): Promise<bigint> {
  const ids = await listSchemaIds(store);
  if (ids.length === 0) throw new LakeError("not_found", "commit: the table has no schema/schema-N file; create the table first");
  return ids[ids.length - 1]!;
}

/** Java inherits the statistics file only when it was computed with the latest schema. */
async function inheritedStatistics(store: ObjectStore, latest: Snapshot | null, schemaId: bigint): Promise<string | null> {
  if (latest === null || latest.statistics === null) return null;
  const path = `${STATISTICS_DIR}/${latest.statistics}`;
  let root: unknown;
  try {
    root = parseJson(utf8Decode(await store.get(path)));
  } catch (error) {
    // Java fails the commit when the statistics file cannot be read; so do we, naming it.
    const code = error instanceof LakeError ? error.code : "corruption";
    throw new LakeError(code, `commit: statistics file ${path} of snapshot ${latest.id} is unreadable: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(root)) throw new LakeError("corruption", `commit: statistics file ${path} is not a JSON object`);
  return jsonInt64(root, "schemaId", `statistics ${path}`) === schemaId ? latest.statistics : null;
}

async function indexManifestFor(env: SnapshotBuildEnv, ctx: ManifestWriteContext, input: SnapshotAttemptInput): Promise<{ name: string | null; isNew: boolean }> {
  const old = input.latest?.indexManifest ?? null;
  if (input.indexFiles.length === 0) return { name: old, isNew: false };
  const previous = old === null ? [] : await readIndexManifest(env.store, old);
  const combined = combineIndexEntries(previous, input.indexFiles, env.unawareDeletionVectors);
  return { name: await writeIndexManifest(ctx, combined), isNew: true };
}

/**
 * Writes the attempt's index manifest (when the commit changes indexes) and builds, encodes and
 * validates `snapshot-(latest + 1)`. Stores nothing else.
 */
export async function buildSnapshotAttempt(env: SnapshotBuildEnv, ctx: ManifestWriteContext, input: SnapshotAttemptInput): Promise<BuiltSnapshot> {
  const { latest } = input;
  const index = await indexManifestFor(env, ctx, input);
  const schemaId = await latestSchemaId(env.store);
  const deltaRecordCount = rowCountOf(input.delta, FILE_KIND.ADD) - rowCountOf(input.delta, FILE_KIND.DELETE);
  let watermark = env.watermark;
  const previousWatermark = latest?.watermark ?? null;
  if (previousWatermark !== null) watermark = watermark === null || previousWatermark > watermark ? previousWatermark : watermark;
  const properties = env.properties !== null && Object.keys(env.properties).length > 0 ? { ...env.properties } : null;
  const snapshot = createSnapshot({
    uuid: env.randomUuid(),
    id: latest === null ? 1n : latest.id + 1n,
    schemaId,
    baseManifestList: input.baseList.fileName,
    baseManifestListSize: input.baseList.fileSizeBytes,
    deltaManifestList: input.deltaList.fileName,
    deltaManifestListSize: input.deltaList.fileSizeBytes,
    changelogManifestList: input.changelogList?.fileName ?? null,
    changelogManifestListSize: input.changelogList?.fileSizeBytes ?? null,
    indexManifest: index.name,
    commitUser: env.commitUser,
    commitIdentifier: env.commitIdentifier,
    commitKind: input.kind,
    timeMillis: BigInt(Math.floor(env.nowMs())),
    totalRecordCount: (latest?.totalRecordCount ?? 0n) + deltaRecordCount,
    deltaRecordCount,
    changelogRecordCount: input.changelogFiles.length === 0 ? null : rowCountOf(input.changelogFiles, FILE_KIND.ADD),
    watermark,
    statistics: await inheritedStatistics(env.store, latest, schemaId),
    properties,
    nextRowId: latest?.nextRowId ?? 0n,
    operation: env.operation,
  });
  const text = encodeSnapshot(snapshot);
  const name = snapshotFileName(snapshot.id);
  assert(encodeSnapshot(decodeSnapshot(text, { fileName: name })) === text, `commit: ${name} does not decode back to itself`);
  return { snapshot, bytes: utf8Encode(text), newIndexManifest: index.isNew ? index.name : null };
}
