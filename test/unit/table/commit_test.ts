// Goal: commitChanges publishes file changes as Java's FileStoreCommitImpl does: snapshots our
// readers (snapshotLiveFiles, Table.files) see correctly, with Java's snapshot JSON layout and
// Avro writer schemas, exact sizes and statistics, contiguous ids under concurrency, Java's
// conflict rules (deleted files must be live, bucket counts stay fixed) and exactly-once commits.
// Method: tables on a MemoryStore with hand-built DataFileMetas (real key rows and stats, no data
// files needed); every expectation is computed from the store (stat sizes, decoded manifests)
// or written out by hand; Java fixtures (test/fixtures/paimon/java-tables) give the layouts.
import { assert, describe, readFixture, readFixtureText, test } from "../../harness.ts";
import { openTable } from "../../../src/api/catalog.ts";
import { CommitConflictError, LakeError } from "../../../src/errors.ts";
import { readAvroContainerHeader } from "../../../src/format/avro/container.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { avroSchemaToJson } from "../../../src/format/avro/schema.ts";
import { MANIFEST_ENTRY_SCHEMA, MANIFEST_FILE_META_SCHEMA } from "../../../src/format/manifest/manifest_codec.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { parseTypeString } from "../../../src/spec/data_types.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import { decodeSnapshot, SNAPSHOT_KEYS } from "../../../src/spec/snapshot.ts";
import { utf8Decode } from "../../../src/util/bytes.ts";
import { parseJson } from "../../../src/util/json.ts";
import { readManifest, readManifestList, snapshotLiveFiles } from "../../../src/table/manifest_reader.ts";
import { latestSnapshot, listSnapshotIds, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import {
  addMessage, commit, dataFile, liveFileNames, newTable, part, referencedMetadataFiles,
} from "./commit_helpers.ts";

const JAVA = "paimon/java-tables";
const STRING = parseTypeString("STRING");

function isConflict(needle: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof CommitConflictError, `expected CommitConflictError, got ${String(e)}`);
    assert.equal((e as LakeError).code, "conflict");
    assert.match((e as Error).message, needle);
    return true;
  };
}

/**
 * Asserts that Avro schema JSON `ours` equals `java` except that records may have extra trailing
 * fields, each `["null", T]` with default null (what newer Java versions add). Returns how many
 * fields were added, at any depth.
 */
function assertExtends(ours: unknown, java: unknown, where: string): number {
  if (Array.isArray(java)) {
    assert.ok(Array.isArray(ours) && ours.length === java.length, where);
    return java.reduce((n: number, j, i) => n + assertExtends((ours as unknown[])[i], j, `${where}[${i}]`), 0);
  }
  if (java === null || typeof java !== "object") {
    assert.deepEqual(ours, java, where);
    return 0;
  }
  const o = ours as Record<string, unknown>, j = java as Record<string, unknown>;
  assert.deepEqual(Object.keys(o), Object.keys(j), `${where}: keys`);
  let added = 0;
  for (const k of Object.keys(j)) {
    if (k !== "fields") {
      added += assertExtends(o[k], j[k], `${where}.${k}`);
      continue;
    }
    const of = o.fields as { name: string; type: unknown; default?: unknown }[], jf = j.fields as unknown[];
    assert.ok(of.length >= jf.length, `${where}: fields`);
    jf.forEach((f, i) => { added += assertExtends(of[i], f, `${where}.${of[i]!.name}`); });
    for (const extra of of.slice(jf.length)) {
      assert.ok(Array.isArray(extra.type) && extra.type[0] === "null" && extra.default === null, `${where}.${extra.name} is ["null", T] = null`);
      added++;
    }
  }
  return added;
}

describe("a first and a second APPEND commit", () => {
  test("snapshot-1: fields, exact sizes, statistics, and our readers see the files", async () => {
    const { store, schema } = await newTable();
    const r = await commit(store, {
      schema, commitUser: "u1",
      messages: [addMessage("a", 0, [dataFile("f1.parquet", { rows: 3, min: 1, max: 3 })]), addMessage("b", 1, [dataFile("f2.parquet", { rows: 2, min: 5, max: 9 })])],
    });
    assert.deepEqual(r.snapshotIds, [1n]);
    const s = (await latestSnapshot(store))!;
    assert.equal(s.id, 1n);
    assert.equal(s.commitKind, "APPEND");
    assert.equal(s.commitUser, "u1");
    assert.equal(s.commitIdentifier, 9223372036854775807n);
    assert.equal(s.totalRecordCount, 5n);
    assert.equal(s.deltaRecordCount, 5n);
    assert.equal(s.changelogRecordCount, null);
    assert.equal(s.nextRowId, 0n);
    assert.equal(s.schemaId, 0n);
    assert.match(s.uuid ?? "", /^[0-9a-f-]{36}$/);
    // Exact list sizes, and the first base list is an empty Avro file of 0 records.
    assert.equal(s.baseManifestListSize, BigInt((await store.stat(`manifest/${s.baseManifestList}`))!.sizeBytes));
    assert.equal(s.deltaManifestListSize, BigInt((await store.stat(`manifest/${s.deltaManifestList}`))!.sizeBytes));
    assert.deepEqual(await readManifestList(store, s.baseManifestList), []);
    const [meta, ...more] = await readManifestList(store, s.deltaManifestList);
    assert.equal(more.length, 0);
    assert.equal(meta!.fileSize, BigInt((await store.stat(`manifest/${meta!.fileName}`))!.sizeBytes));
    assert.equal(meta!.numAddedFiles, 2n);
    assert.equal(meta!.numDeletedFiles, 0n);
    assert.deepEqual([meta!.minBucket, meta!.maxBucket, meta!.minLevel, meta!.maxLevel], [0, 1, 0, 0]);
    assert.deepEqual(decodeSerializedBinaryRow([STRING], meta!.partitionStats.minValues), ["a"]);
    assert.deepEqual(decodeSerializedBinaryRow([STRING], meta!.partitionStats.maxValues), ["b"]);
    assert.deepEqual(meta!.partitionStats.nullCounts, [0n]);
    assert.deepEqual(await liveFileNames(store), ["a/0/f1.parquet", "b/1/f2.parquet"]);
    assert.equal(utf8Decode(await store.get("snapshot/LATEST")), "1");
    // The public reader sees the same files, partitions and buckets.
    const files = await (await openTable(store)).files();
    assert.deepEqual(files.map((f) => [f.partition.p, f.bucket, f.filePath, f.recordCount]).sort(), [
      ["a", 0, "p=a/bucket-0/f1.parquet", 3n], ["b", 1, "p=b/bucket-1/f2.parquet", 2n],
    ]);
  });

  test("snapshot-2: base list = previous base + previous delta, counts accumulate", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u1", commitIdentifier: 1n, messages: [addMessage("a", 0, [dataFile("f1.parquet", { rows: 3 })])] });
    const s1 = (await latestSnapshot(store))!;
    const r = await commit(store, { schema, commitUser: "u1", commitIdentifier: 2n, watermark: 77n, properties: { k: "v" }, messages: [addMessage("a", 1, [dataFile("f2.parquet", { rows: 4 })])] });
    assert.deepEqual(r.snapshotIds, [2n]);
    const s2 = (await latestSnapshot(store))!;
    const expectedBase = [...await readManifestList(store, s1.baseManifestList), ...await readManifestList(store, s1.deltaManifestList)];
    assert.deepEqual((await readManifestList(store, s2.baseManifestList)).map((m) => m.fileName), expectedBase.map((m) => m.fileName));
    assert.equal(s2.totalRecordCount, 7n);
    assert.equal(s2.deltaRecordCount, 4n);
    assert.equal(s2.watermark, 77n);
    assert.deepEqual(s2.properties, { k: "v" });
    assert.deepEqual(await liveFileNames(store), ["a/0/f1.parquet", "a/1/f2.parquet"]);
    // A later, lower watermark never moves it back (max of previous and given).
    await commit(store, { schema, commitUser: "u1", commitIdentifier: 3n, watermark: 5n, messages: [addMessage("a", 1, [dataFile("f3.parquet")])] });
    assert.equal((await latestSnapshot(store))!.watermark, 77n);
  });

  test("a compaction in the same message set makes an APPEND then a COMPACT snapshot", async () => {
    const { store, schema } = await newTable();
    const f1 = dataFile("f1.parquet", { rows: 3, min: 1, max: 3 });
    await commit(store, { schema, commitUser: "u1", commitIdentifier: 1n, messages: [addMessage("a", 0, [f1])] });
    const upgraded = { ...f1, level: 5 };
    const r = await commit(store, {
      schema, commitUser: "u1", commitIdentifier: 2n,
      messages: [{ partition: part("a"), bucket: 0, totalBuckets: 2, newFiles: [dataFile("f2.parquet", { rows: 2, min: 4, max: 5 })], deletedFiles: [f1], compactAfter: [upgraded] }],
    });
    assert.deepEqual(r.snapshotIds, [2n, 3n]);
    const [s2, s3] = [await readSnapshot(store, 2n), await readSnapshot(store, 3n)];
    assert.deepEqual([s2.commitKind, s3.commitKind], ["APPEND", "COMPACT"]);
    assert.deepEqual([s2.commitIdentifier, s3.commitIdentifier], [2n, 2n]);
    assert.deepEqual([s3.deltaRecordCount, s3.totalRecordCount], [0n, 5n]);
    // Upgrade = DELETE(level 0) + ADD(level 5) of the same file name, as Java writes it.
    const delta = (await readManifestList(store, s3.deltaManifestList))[0]!;
    const entries = await readManifest(store, delta.fileName);
    assert.deepEqual(entries.map((e) => [e.kind, e.file.fileName, e.file.level]), [[FILE_KIND.DELETE, "f1.parquet", 0], [FILE_KIND.ADD, "f1.parquet", 5]]);
    assert.deepEqual([delta.minLevel, delta.maxLevel, delta.numAddedFiles, delta.numDeletedFiles], [0, 5, 1n, 1n]);
    const live = await snapshotLiveFiles(store, s3);
    assert.deepEqual(live.map((e) => [e.file.fileName, e.file.level]).sort(), [["f1.parquet", 5], ["f2.parquet", 0]]);
  });

  test("an empty commit makes no snapshot unless snapshot.ignore-empty-commit is false", async () => {
    const { store, schema } = await newTable();
    assert.deepEqual((await commit(store, { schema, commitUser: "u1", messages: [] })).snapshotIds, []);
    assert.deepEqual(await listSnapshotIds(store), []);
    const r = await commit(store, { schema, commitUser: "u2", commitIdentifier: 4n, messages: [], options: { "snapshot.ignore-empty-commit": "false" } });
    assert.deepEqual(r.snapshotIds, [1n]);
    assert.equal((await latestSnapshot(store))!.deltaRecordCount, 0n);
  });
});

describe("layout matches Java", () => {
  test("snapshot JSON keys are Java's, in Java's order", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u1", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    const ours = Object.keys(parseJson(utf8Decode(await store.get("snapshot/snapshot-1"))) as object);
    const order = SNAPSHOT_KEYS as readonly string[];
    assert.deepEqual(ours, [...ours].sort((a, b) => order.indexOf(a) - order.indexOf(b)), "keys in SNAPSHOT_KEYS order");
    // The newest Java snapshots (1.3 builds): the same keys, minus what later versions dropped
    // (logOffsets removed in 1.4; null changelogManifestList and 0 changelogRecordCount are
    // omitted since 1.4/2.0), plus the 2.0 uuid.
    for (const path of [
      `${JAVA}/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor/snapshot/snapshot-4`,
      `${JAVA}/pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row/snapshot/snapshot-5`,
    ]) {
      const text = await readFixtureText(path);
      const java = parseJson(text) as Record<string, unknown>;
      decodeSnapshot(text); // sanity: our decoder reads it
      const javaKeys = Object.keys(java).filter((k) => java[k] !== null && k !== "logOffsets" && k !== "changelogRecordCount");
      assert.deepEqual(ours.filter((k) => k !== "uuid"), javaKeys, path);
    }
  });

  test("manifests and manifest lists embed our writer schemas, which extend Java's field by field", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u1", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    const s = (await latestSnapshot(store))!;
    const listHeader = readAvroContainerHeader(await store.get(`manifest/${s.deltaManifestList}`));
    const manifestName = (await readManifestList(store, s.deltaManifestList))[0]!.fileName;
    const manifestHeader = readAvroContainerHeader(await store.get(`manifest/${manifestName}`));
    assert.equal(listHeader.schemaJson, avroSchemaToJson(MANIFEST_FILE_META_SCHEMA));
    assert.equal(manifestHeader.schemaJson, avroSchemaToJson(MANIFEST_ENTRY_SCHEMA));
    assert.equal(manifestHeader.codec, "zstandard");
    const dir = `${JAVA}/pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row/manifest`;
    const pairs: [string, string][] = [
      [`${dir}/manifest-8c86c123-fde9-4718-b412-6083fc2dbcfa-0`, manifestHeader.schemaJson],
      [`${dir}/manifest-list-187137d8-60f0-498f-a0a2-49b633d726fb-0`, listHeader.schemaJson],
    ];
    for (const [path, oursText] of pairs) {
      const java = JSON.parse(readAvroContainerHeader(await readFixture(path)).schemaJson);
      assert.ok(assertExtends(JSON.parse(oursText), java, path) > 0, `${path}: ours adds the newer nullable fields`);
    }
  });

  test("file names follow Java: manifest-<uuid>-<n>, manifest-list-<uuid>-<n>", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u1", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    const names = (await store.list("manifest/")).map((e) => e.path.slice("manifest/".length));
    assert.ok(names.length === 3);
    for (const n of names) assert.match(n, /^manifest-(list-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+$/);
  });
});

describe("exactly-once", () => {
  test("the same user and identifier twice makes one snapshot", async () => {
    const { store, schema } = await newTable();
    const messages = [addMessage("a", 0, [dataFile("f1.parquet")])];
    const first = await commit(store, { schema, commitUser: "job", commitIdentifier: 7n, messages });
    const again = await commit(store, { schema, commitUser: "job", commitIdentifier: 7n, messages });
    assert.deepEqual(first.snapshotIds, [1n]);
    assert.deepEqual([again.alreadyCommitted, again.committedSnapshotId, again.snapshotIds], [true, 1n, []]);
    assert.deepEqual(await listSnapshotIds(store), [1n]);
    // An older checkpoint of the same job is also already in; a newer one and another user are not.
    assert.equal((await commit(store, { schema, commitUser: "job", commitIdentifier: 6n, messages })).alreadyCommitted, true);
    await commit(store, { schema, commitUser: "other", commitIdentifier: 7n, messages: [addMessage("a", 1, [dataFile("f2.parquet")])] });
    const newer = await commit(store, { schema, commitUser: "job", commitIdentifier: 8n, messages: [addMessage("a", 0, [dataFile("f3.parquet")])] });
    assert.deepEqual(newer.snapshotIds, [3n]);
    assert.deepEqual(await liveFileNames(store), ["a/0/f1.parquet", "a/0/f3.parquet", "a/1/f2.parquet"]);
  });

  test("an unknown putIfAbsent outcome that did land is found and not committed twice", async () => {
    const { FaultStore, FaultKind } = await import("../../../src/io/fault_store.ts");
    const { store: inner, schema } = await newTable();
    // Writes of a first commit: manifest, base list, delta list, snapshot, LATEST.
    const store = new FaultStore(inner, [{ writeIndex: 3, kind: FaultKind.FAIL_AFTER }]);
    const r = await commit(store, { schema, commitUser: "u1", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    assert.equal(store.writeLog[3]!.path, "snapshot/snapshot-1");
    assert.deepEqual(r.snapshotIds, [1n]);
    assert.deepEqual(await listSnapshotIds(inner), [1n]);
    assert.deepEqual(await liveFileNames(inner), ["a/0/f1.parquet"]);
  });

  test("a putIfAbsent that failed without effect is retried at the same id", async () => {
    const { FaultStore, FaultKind } = await import("../../../src/io/fault_store.ts");
    const { store: inner, schema } = await newTable();
    const store = new FaultStore(inner, [{ writeIndex: 3, kind: FaultKind.FAIL }]);
    const r = await commit(store, { schema, commitUser: "u1", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    assert.deepEqual([r.snapshotIds, r.retryCount], [[1n], 1]);
    const referenced = await referencedMetadataFiles(inner, (await latestSnapshot(inner))!);
    // The retry took snapshot-1 itself, which settles the failed attempt as lost: its base list
    // was cleaned up, and the reused delta manifest and list are referenced.
    assert.deepEqual((await inner.list("manifest/")).map((e) => e.path.slice(9)).filter((n) => !referenced.has(n)), []);
    assert.equal(store.writeLog.filter((w) => w.op === "delete").length, 1);
  });
});

describe("conflicts", () => {
  test("deleting a file that is no longer live fails naming it", async () => {
    const { store, schema } = await newTable();
    const f1 = dataFile("f1.parquet", { min: 1, max: 2 });
    await commit(store, { schema, commitUser: "w", commitIdentifier: 1n, messages: [addMessage("a", 0, [f1])] });
    await commit(store, { schema, commitUser: "c1", commitIdentifier: 1n, commitKind: "COMPACT", messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f1], compactAfter: [dataFile("g1.parquet", { level: 5, min: 1, max: 2 })] }] });
    await assert.rejects(
      commit(store, { schema, commitUser: "c2", commitIdentifier: 1n, commitKind: "COMPACT", messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f1], compactAfter: [dataFile("g2.parquet", { level: 5, min: 1, max: 2 })] }] }),
      isConflict(/f1\.parquet.*partition p=a, bucket 0.*nothing was committed; not applied: the compaction/s));
    assert.deepEqual(await liveFileNames(store), ["a/0/g1.parquet"]);
    // The failed commit left no metadata file behind.
    const referenced = await referencedMetadataFiles(store, (await latestSnapshot(store))!);
    const all = (await store.list("manifest/")).map((e) => e.path.slice(9));
    const prior = await referencedMetadataFiles(store, await readSnapshot(store, 1n));
    assert.deepEqual(all.filter((n) => !referenced.has(n) && !prior.has(n)), []);
  });

  test("a total-bucket change within a partition fails; other partitions may differ", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "w", commitIdentifier: 1n, messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    await assert.rejects(
      commit(store, { schema, commitUser: "w", commitIdentifier: 2n, messages: [{ partition: part("a"), bucket: 2, totalBuckets: 3, newFiles: [dataFile("f2.parquet")] }] }),
      isConflict(/partition p=a is written with 3 buckets, but its files have 2 buckets/));
    await assert.rejects(
      commit(store, { schema, commitUser: "w", commitIdentifier: 3n, messages: [
        { partition: part("c"), bucket: 0, totalBuckets: 4, newFiles: [dataFile("f3.parquet")] },
        { partition: part("c"), bucket: 1, totalBuckets: 5, newFiles: [dataFile("f4.parquet")] },
      ] }),
      isConflict(/partition p=c is written with 5 buckets, but its files have 4 buckets/));
    const ok = await commit(store, { schema, commitUser: "w", commitIdentifier: 4n, messages: [{ partition: part("b"), bucket: 3, totalBuckets: 4, newFiles: [dataFile("f5.parquet")] }] });
    assert.deepEqual(ok.snapshotIds, [2n]);
  });

  test("overlapping key ranges in one level of a primary-key bucket are an LSM conflict", async () => {
    const { store, schema } = await newTable();
    const f1 = dataFile("f1.parquet", { min: 1, max: 5 }), f2 = dataFile("f2.parquet", { min: 3, max: 9 });
    await commit(store, { schema, commitUser: "w", commitIdentifier: 1n, messages: [addMessage("a", 0, [f1, f2])] });
    await commit(store, { schema, commitUser: "c", commitIdentifier: 1n, commitKind: "COMPACT", messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f1], compactAfter: [{ ...f1, level: 4 }] }] });
    await assert.rejects(
      commit(store, { schema, commitUser: "c", commitIdentifier: 2n, commitKind: "COMPACT", messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f2], compactAfter: [{ ...f2, level: 4 }] }] }),
      isConflict(/LSM conflict.*f1\.parquet.*f2\.parquet/s));
  });

  test("a COMPACT commit carrying new files is refused", async () => {
    const { store, schema } = await newTable();
    await assert.rejects(commit(store, { schema, commitUser: "c", commitKind: "COMPACT", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] }),
      (e: unknown) => e instanceof LakeError && e.code === "invalid_argument");
  });

  test("unsupported table settings are refused before anything is written", async () => {
    const { store, schema } = await newTable({ options: { "row-tracking.enabled": "true" } });
    await assert.rejects(commit(store, { schema, commitUser: "u", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] }),
      (e: unknown) => e instanceof LakeError && e.code === "unsupported" && /row-tracking/.test(e.message));
    assert.deepEqual(await store.list("manifest/"), []);
  });
});

describe("concurrent committers", () => {
  test("two appends to different buckets both land, with contiguous ids", async () => {
    const { store, schema } = await newTable();
    const [a, b] = await Promise.all([
      commit(store, { schema, commitUser: "w1", messages: [addMessage("a", 0, [dataFile("f1.parquet")])] }),
      commit(store, { schema, commitUser: "w2", messages: [addMessage("a", 1, [dataFile("f2.parquet")])] }),
    ]);
    assert.deepEqual([...a.snapshotIds, ...b.snapshotIds].sort(), [1n, 2n]);
    assert.equal(a.retryCount + b.retryCount, 1, "exactly one lost the race and retried");
    assert.deepEqual(await listSnapshotIds(store), [1n, 2n]);
    assert.deepEqual(await liveFileNames(store), ["a/0/f1.parquet", "a/1/f2.parquet"]);
    // No metadata file of the lost attempt is left behind.
    const referenced = new Set([...await referencedMetadataFiles(store, await readSnapshot(store, 1n)), ...await referencedMetadataFiles(store, await readSnapshot(store, 2n))]);
    assert.deepEqual((await store.list("manifest/")).map((e) => e.path.slice(9)).filter((n) => !referenced.has(n)), []);
  });

  test("eight concurrent appends all land in contiguous snapshots", async () => {
    const { store, schema } = await newTable();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      commit(store, { schema, commitUser: `w${i}`, messages: [addMessage(i % 2 ? "a" : "b", i % 2, [dataFile(`f${i}.parquet`)])] })));
    assert.deepEqual(results.flatMap((r) => r.snapshotIds).sort((x, y) => Number(x - y)), [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    assert.equal((await liveFileNames(store)).length, 8);
    assert.equal((await latestSnapshot(store))!.totalRecordCount, 8n);
  });

  test("two compactions deleting the same file: one lands, the other fails naming the file", async () => {
    const { store, schema } = await newTable();
    const f1 = dataFile("shared.parquet", { min: 1, max: 2 });
    await commit(store, { schema, commitUser: "w", messages: [addMessage("a", 0, [f1])] });
    const compaction = (user: string, out: string) => commit(store, {
      schema, commitUser: user, commitKind: "COMPACT",
      messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f1], compactAfter: [dataFile(out, { level: 5, min: 1, max: 2 })] }],
    });
    const outcomes = await Promise.allSettled([compaction("c1", "out1.parquet"), compaction("c2", "out2.parquet")]);
    const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    assert.equal(fulfilled.length, 1);
    assert.equal(rejected.length, 1);
    isConflict(/shared\.parquet/)(rejected[0]!.reason);
    const live = await liveFileNames(store);
    assert.equal(live.length, 1);
    assert.match(live[0]!, /^a\/0\/out[12]\.parquet$/);
  });

  test("running out of retries is a CommitConflictError saying nothing was applied", async () => {
    const { store, schema } = await newTable();
    // A store where every snapshot put is beaten by a rival commit taking that id first.
    let rivalCount = 0;
    const racing: ObjectStore = {
      get: (p) => store.get(p), getRange: (p, r) => store.getRange(p, r), put: (p, b) => store.put(p, b),
      list: (p) => store.list(p), delete: (p) => store.delete(p), stat: (p) => store.stat(p),
      putIfAbsent: async (path, bytes) => {
        if (path.startsWith("snapshot/snapshot-")) {
          rivalCount++;
          await commit(store, { schema, commitUser: `rival${rivalCount}`, messages: [addMessage("b", 0, [dataFile(`r${rivalCount}.parquet`)])] });
        }
        return store.putIfAbsent(path, bytes);
      },
    };
    await assert.rejects(
      commit(racing, { schema, commitUser: "loser", options: { "commit.max-retries": "2" }, messages: [addMessage("a", 0, [dataFile("mine.parquet")])] }),
      isConflict(/gave up after 2 retries.*nothing was committed; not applied: the new data \(1 data file change/s));
    assert.equal(rivalCount, 3);
    assert.ok(!(await liveFileNames(store)).includes("a/0/mine.parquet"));
    const referenced = new Set<string>();
    for (const id of await listSnapshotIds(store)) for (const n of await referencedMetadataFiles(store, await readSnapshot(store, id))) referenced.add(n);
    assert.deepEqual((await store.list("manifest/")).map((e) => e.path.slice(9)).filter((n) => !referenced.has(n)), []);
  });
});
