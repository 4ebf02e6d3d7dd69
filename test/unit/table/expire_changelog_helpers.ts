// Shared helpers of the decoupled-changelog expiration tests (not a test file): the brute-force
// model of what a retained long-lived changelog needs, and of what one expiration call may
// delete when the changelog lifecycle is decoupled (Java ExpireSnapshotsImpl + ExpireChangelogImpl).
// Method: plain reads through manifest_reader and the reader's own path rule
// (table_read.dataFilePath); never through expire_plan or expire_changelog.
import type { ObjectStore } from "../../../src/io/store.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { decodeChangelog } from "../../../src/spec/changelog.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import { MANIFEST_DIR } from "../../../src/spec/paths.ts";
import { logicalPartitionType, type TableSchema } from "../../../src/spec/schema.ts";
import type { Snapshot } from "../../../src/spec/snapshot.ts";
import { utf8Decode } from "../../../src/util/bytes.ts";
import { readManifest, readManifestList } from "../../../src/table/manifest_reader.ts";
import { readAllSnapshots } from "../../../src/table/snapshot_manager.ts";
import { dataFilePath } from "../../../src/table/table_read.ts";
import { referencedPaths } from "./expire_helpers.ts";

/** Every changelog of `changelog/`, by id ascending, read with the spec decoder. */
export async function readChangelogs(store: ObjectStore): Promise<Map<bigint, Snapshot>> {
  const found: Snapshot[] = [];
  for (const e of await store.list("changelog/")) {
    const name = e.path.slice("changelog/".length);
    if (!/^changelog-\d+$/.test(name)) continue;
    const c = decodeChangelog(utf8Decode(await store.get(e.path)), { fileName: name });
    found.push(c);
  }
  return new Map(found.sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => [c.id, c]));
}

function pathOf(schema: TableSchema, partition: Uint8Array, bucket: number, file: DataFileMeta): string {
  const types = logicalPartitionType(schema).fields.map((f) => f.type);
  return dataFilePath(schema, { partitionValues: decodeSerializedBinaryRow(types, partition), bucket }, file);
}

async function listAndManifests(store: ObjectStore, list: string, into: Set<string>): Promise<string[]> {
  into.add(`${MANIFEST_DIR}/${list}`);
  const names: string[] = [];
  for (const m of await readManifestList(store, list)) {
    into.add(`${MANIFEST_DIR}/${m.fileName}`);
    names.push(m.fileName);
  }
  return names;
}

const isAppend = (f: DataFileMeta) => (f.fileSource ?? FILE_SOURCE.APPEND) === FILE_SOURCE.APPEND;

/**
 * What a long-lived changelog keeps alive until it expires. changelog-producer not none: its
 * changelog list, manifests and the files they ADD. Producer none (the changelog is the delta's
 * APPEND files): its base and delta lists with their manifests, and every APPEND file its delta
 * adds or deletes.
 */
export async function changelogNeeds(store: ObjectStore, schema: TableSchema, c: Snapshot, producerNone: boolean): Promise<Set<string>> {
  const out = new Set<string>();
  if (!producerNone) {
    if (c.changelogManifestList === null) return out;
    for (const m of await listAndManifests(store, c.changelogManifestList, out)) {
      for (const e of await readManifest(store, m)) if (e.kind === FILE_KIND.ADD) out.add(pathOf(schema, e.partition, e.bucket, e.file));
    }
    return out;
  }
  await listAndManifests(store, c.baseManifestList, out);
  for (const m of await listAndManifests(store, c.deltaManifestList, out)) {
    for (const e of await readManifest(store, m)) if (isAppend(e.file)) out.add(pathOf(schema, e.partition, e.bucket, e.file));
  }
  return out;
}

/** Producer none, decoupled: the APPEND files `s`'s delta DELETEs (kept until changelog `s` expires). */
async function appendDeletedBy(store: ObjectStore, schema: TableSchema, s: Snapshot): Promise<Set<string>> {
  const out = new Set<string>();
  for (const m of await readManifestList(store, s.deltaManifestList)) {
    for (const e of await readManifest(store, m.fileName)) if (e.kind === FILE_KIND.DELETE && isAppend(e.file)) out.add(pathOf(schema, e.partition, e.bucket, e.file));
  }
  return out;
}

/**
 * The model of one decoupled expiration call (no tags): given the snapshot ids and changelog ids
 * that remain afterwards, the paths it may delete: what expired snapshots reference and what
 * expired changelogs need, plus their metadata files, minus what retained snapshots reference
 * and retained changelogs (old ones, and expired snapshots turned into changelogs) need.
 * Requires: read before the expiration.
 */
export async function expectedDeletedDecoupled(
  store: ObjectStore, schema: TableSchema, remainingSnapshots: readonly bigint[], remainingChangelogs: readonly bigint[], producerNone: boolean,
): Promise<Set<string>> {
  const doomed = new Set<string>();
  const kept = new Set<string>();
  const keepSnapshot = new Set(remainingSnapshots), keepChangelog = new Set(remainingChangelogs);
  for (const s of await readAllSnapshots(store)) {
    if (keepSnapshot.has(s.id)) {
      for (const p of await referencedPaths(store, schema, s, true)) kept.add(p);
      if (producerNone) for (const p of await appendDeletedBy(store, schema, s)) kept.add(p);
      continue;
    }
    doomed.add(`snapshot/snapshot-${s.id}`);
    for (const p of await referencedPaths(store, schema, s, true)) doomed.add(p);
    const needs = await changelogNeeds(store, schema, s, producerNone);
    for (const p of needs) (keepChangelog.has(s.id) ? kept : doomed).add(p);
  }
  for (const [id, c] of await readChangelogs(store)) {
    const needs = await changelogNeeds(store, schema, c, producerNone);
    if (keepChangelog.has(id)) for (const p of needs) kept.add(p);
    else {
      doomed.add(`changelog/changelog-${id}`);
      for (const p of needs) doomed.add(p);
    }
  }
  return new Set([...doomed].filter((p) => !kept.has(p)));
}
