// Goal: the metadata a commit writes follows Java: manifests roll at manifest.target-file-size,
// the base list is merged like Java's ManifestFileLegacyMerger (minor and full compaction) without
// changing the live set, overwrites delete exactly the overwritten partitions, the index manifest
// is the complete set carried forward or replaced per (partition, bucket), changelog lists and
// counts are written, statistics are inherited only for the same schema, and partition stats
// cover nulls and unpartitioned tables.
// Method: commits on a MemoryStore with hand-built DataFileMetas; after each commit the live set
// (snapshotLiveFiles) is compared with a list kept by hand, and manifests are decoded to check
// entry counts, kinds, sizes and statistics.
import { assert, describe, test } from "../../harness.ts";
import { openTable } from "../../../src/api/catalog.ts";
import { LakeError } from "../../../src/errors.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { parseTypeString } from "../../../src/spec/data_types.ts";
import type { IndexFileMeta } from "../../../src/spec/index_manifest_entry.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import { createSnapshot, encodeSnapshot } from "../../../src/spec/snapshot.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import {
  readIndexManifest, readManifest, readManifestList, snapshotEntries, snapshotManifests,
} from "../../../src/table/manifest_reader.ts";
import { latestSnapshot, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import {
  addMessage, commit, dataFile, liveFileNames, newTable, NO_PARTITION, part,
} from "./commit_helpers.ts";

const STRING = parseTypeString("STRING");

function hashIndex(name: string, rows = 10): IndexFileMeta {
  return { indexType: "HASH", fileName: name, fileSize: 64n, rowCount: BigInt(rows), dvRanges: null, externalPath: null, globalIndex: null };
}

describe("manifest rolling", () => {
  test("a commit of 2500 files rolls manifests every 1000 entries when the target is tiny", async () => {
    const { store, schema } = await newTable({ options: { "manifest.target-file-size": "1 b" } });
    const files = Array.from({ length: 2500 }, (_, i) => dataFile(`f${i}.parquet`, { min: i, max: i }));
    await commit(store, { schema, commitUser: "u", messages: [addMessage("a", 0, files)] });
    const s = (await latestSnapshot(store))!;
    const metas = await readManifestList(store, s.deltaManifestList);
    assert.deepEqual(metas.map((m) => m.numAddedFiles), [1000n, 1000n, 500n]);
    for (const m of metas) {
      assert.equal(m.fileSize, BigInt((await store.stat(`manifest/${m.fileName}`))!.sizeBytes));
      assert.equal((await readManifest(store, m.fileName)).length, Number(m.numAddedFiles));
    }
    assert.equal((await liveFileNames(store)).length, 2500);
  });

  test("with the default 8 MB target the same commit is one manifest", async () => {
    const { store, schema } = await newTable();
    const files = Array.from({ length: 2500 }, (_, i) => dataFile(`f${i}.parquet`, { min: i, max: i }));
    await commit(store, { schema, commitUser: "u", messages: [addMessage("a", 0, files)] });
    const metas = await readManifestList(store, (await latestSnapshot(store))!.deltaManifestList);
    assert.deepEqual(metas.map((m) => m.numAddedFiles), [2500n]);
  });
});

describe("base list merging", () => {
  test("minor compaction folds the trailing group once it has manifest.merge-min-count manifests", async () => {
    const { store, schema } = await newTable({ options: { "manifest.merge-min-count": "3" } });
    const baseSizes: number[] = [];
    const expected: string[] = [];
    for (let i = 1; i <= 6; i++) {
      await commit(store, { schema, commitUser: "u", commitIdentifier: BigInt(i), messages: [addMessage("a", 0, [dataFile(`f${i}.parquet`, { min: i })])] });
      expected.push(`a/0/f${i}.parquet`);
      const s = (await latestSnapshot(store))!;
      baseSizes.push((await readManifestList(store, s.baseManifestList)).length);
      assert.deepEqual(await liveFileNames(store), expected.slice().sort());
    }
    // Inputs per commit (previous base + previous delta): 0, 1, 2, 3 -> merged to 1, 2, 3 -> 1.
    assert.deepEqual(baseSizes, [0, 1, 2, 1, 2, 1]);
    const s6 = (await latestSnapshot(store))!;
    const merged = (await readManifestList(store, s6.baseManifestList))[0]!;
    assert.equal(merged.numAddedFiles, 5n);
  });

  test("merging cancels an ADD with its later DELETE", async () => {
    const { store, schema } = await newTable({ options: { "manifest.merge-min-count": "2" } });
    const f1 = dataFile("f1.parquet", { min: 1 });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 1n, messages: [addMessage("a", 0, [f1])] });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 2n, commitKind: "COMPACT", messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f1], compactAfter: [dataFile("g1.parquet", { min: 1, level: 5 })] }] });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 3n, messages: [addMessage("a", 1, [dataFile("f2.parquet")])] });
    const s = (await latestSnapshot(store))!;
    const base = await readManifestList(store, s.baseManifestList);
    assert.equal(base.length, 1);
    const entries = await readManifest(store, base[0]!.fileName);
    assert.deepEqual(entries.map((e) => [e.kind, e.file.fileName]), [[FILE_KIND.ADD, "g1.parquet"]]);
    assert.deepEqual(await liveFileNames(store), ["a/0/g1.parquet", "a/1/f2.parquet"]);
  });

  test("full compaction applies every DELETE and keeps manifests of untouched partitions", async () => {
    const { store, schema } = await newTable({ options: { "manifest.full-compaction-threshold-size": "1 b", "manifest.target-file-size": "2 kb" } });
    const f1 = dataFile("f1.parquet", { min: 1 });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 1n, messages: [addMessage("a", 0, [f1])] });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 2n, messages: [addMessage("b", 0, [dataFile("b1.parquet")])] });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 3n, commitKind: "COMPACT", messages: [{ partition: part("a"), bucket: 0, deletedFiles: [f1], compactAfter: [dataFile("g1.parquet", { min: 1, level: 5 })] }] });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 4n, messages: [addMessage("b", 1, [dataFile("b2.parquet")])] });
    const s = (await latestSnapshot(store))!;
    const baseEntries = (await Promise.all((await readManifestList(store, s.baseManifestList)).map((m) => readManifest(store, m.fileName)))).flat();
    assert.ok(baseEntries.every((e) => e.kind === FILE_KIND.ADD), "no DELETE survives a full compaction");
    assert.deepEqual(baseEntries.map((e) => e.file.fileName).sort(), ["b1.parquet", "g1.parquet"]);
    assert.deepEqual(await liveFileNames(store), ["a/0/g1.parquet", "b/0/b1.parquet", "b/1/b2.parquet"]);
  });
});

describe("overwrite", () => {
  async function threeFiles() {
    const t = await newTable();
    await commit(t.store, { ...t, commitUser: "w", commitIdentifier: 1n, messages: [addMessage("a", 0, [dataFile("a0.parquet", { rows: 2 })]), addMessage("a", 1, [dataFile("a1.parquet", { rows: 3 })]), addMessage("b", 0, [dataFile("b0.parquet", { rows: 4 })])] });
    return t;
  }

  test("dynamic partition overwrite replaces only the partitions written", async () => {
    const { store, schema } = await threeFiles();
    const r = await commit(store, { schema, commitUser: "o", commitKind: "OVERWRITE", messages: [addMessage("a", 0, [dataFile("new.parquet", { rows: 1 })])] });
    assert.deepEqual(r.snapshotIds, [2n]);
    const s = (await latestSnapshot(store))!;
    assert.equal(s.commitKind, "OVERWRITE");
    assert.deepEqual([s.deltaRecordCount, s.totalRecordCount], [1n - 5n, 5n]);
    assert.deepEqual(await liveFileNames(store), ["a/0/new.parquet", "b/0/b0.parquet"]);
  });

  test("overwrite of the whole table with no files truncates it; static partitions are checked", async () => {
    const { store, schema } = await threeFiles();
    await assert.rejects(commit(store, { schema, commitUser: "o", commitKind: "OVERWRITE", overwritePartitions: [part("b")], messages: [addMessage("a", 0, [dataFile("x.parquet")])] }),
      (e: unknown) => e instanceof LakeError && e.code === "invalid_argument" && /partition p=a/.test(e.message));
    await commit(store, { schema, commitUser: "o", commitKind: "OVERWRITE", overwritePartitions: [part("b")], messages: [] });
    assert.deepEqual(await liveFileNames(store), ["a/0/a0.parquet", "a/1/a1.parquet"]);
    await commit(store, { schema, commitUser: "o2", commitKind: "OVERWRITE", overwritePartitions: null, messages: [] });
    assert.deepEqual(await liveFileNames(store), []);
    assert.equal((await latestSnapshot(store))!.totalRecordCount, 0n);
  });

  test("an overwrite may rescale a partition's buckets and drops changelog with a warning", async () => {
    const { store, schema } = await threeFiles();
    const r = await commit(store, { schema, commitUser: "o", commitKind: "OVERWRITE", messages: [{ partition: part("a"), bucket: 3, totalBuckets: 4, newFiles: [dataFile("r.parquet")], changelogFiles: [dataFile("c.parquet")] }] });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /changelog/);
    assert.equal((await latestSnapshot(store))!.changelogManifestList, null);
    assert.deepEqual(await liveFileNames(store), ["a/3/r.parquet", "b/0/b0.parquet"]);
  });

  test("a data increment that deletes files commits as OVERWRITE with conflict checks", async () => {
    const { store, schema } = await newTable({ primaryKey: false });
    const f = dataFile("f.parquet", { rows: 5 });
    await commit(store, { schema, commitUser: "w", commitIdentifier: 1n, messages: [addMessage("a", 0, [f])] });
    const rewrite = { partition: part("a"), bucket: 0, totalBuckets: 2, appendDeletedFiles: [f], newFiles: [dataFile("f2.parquet", { rows: 3 })] };
    await commit(store, { schema, commitUser: "d", commitIdentifier: 1n, messages: [rewrite] });
    const s = (await latestSnapshot(store))!;
    assert.deepEqual([s.commitKind, s.deltaRecordCount], ["OVERWRITE", -2n]);
    // A second rewrite of the same (now removed) file conflicts, naming it.
    const again = { ...rewrite, newFiles: [dataFile("f3.parquet", { rows: 3 })] };
    await assert.rejects(commit(store, { schema, commitUser: "d2", commitIdentifier: 1n, messages: [again] }),
      (e: unknown) => e instanceof LakeError && e.code === "conflict" && /no longer live.*\bf\.parquet/s.test(e.message));
  });
});

describe("index manifest, changelog, statistics", () => {
  test("the index manifest is the complete set: carried forward, replaced per (partition, bucket, type)", async () => {
    const { store, schema } = await newTable();
    const msg = (p: string, bucket: number, index: IndexFileMeta, file: string) => ({ ...addMessage(p, bucket, [dataFile(file)]), indexChanges: { newIndexFiles: [index] } });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 1n, messages: [msg("a", 0, hashIndex("index-1"), "f1.parquet"), msg("b", 1, hashIndex("index-2"), "f2.parquet")] });
    const s1 = (await latestSnapshot(store))!;
    assert.deepEqual((await readIndexManifest(store, s1.indexManifest!)).map((e) => e.indexFile.fileName), ["index-1", "index-2"]);
    await commit(store, { schema, commitUser: "u", commitIdentifier: 2n, messages: [addMessage("a", 1, [dataFile("f3.parquet")])] });
    assert.equal((await latestSnapshot(store))!.indexManifest, s1.indexManifest, "unchanged indexes keep the same file");
    await commit(store, { schema, commitUser: "u", commitIdentifier: 3n, messages: [{ ...msg("a", 0, hashIndex("index-3", 20), "f4.parquet"), indexChanges: { newIndexFiles: [hashIndex("index-3", 20)], deletedIndexFiles: [hashIndex("index-1")] } }] });
    const s3 = (await latestSnapshot(store))!;
    const entries = await readIndexManifest(store, s3.indexManifest!);
    assert.deepEqual(entries.map((e) => [e.kind, e.indexFile.fileName, e.bucket, e.indexFile.rowCount]), [[FILE_KIND.ADD, "index-3", 0, 20n], [FILE_KIND.ADD, "index-2", 1, 10n]]);
  });

  test("changelog files get their own manifest list and record count", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u", messages: [{ ...addMessage("a", 0, [dataFile("f1.parquet", { rows: 3 })]), changelogFiles: [dataFile("changelog-1.parquet", { rows: 4 })] }] });
    const s = (await latestSnapshot(store))!;
    assert.equal(s.changelogRecordCount, 4n);
    assert.equal(s.changelogManifestListSize, BigInt((await store.stat(`manifest/${s.changelogManifestList}`))!.sizeBytes));
    const changelog = await snapshotEntries(store, s, "changelog");
    assert.deepEqual(changelog.map((e) => e.file.fileName), ["changelog-1.parquet"]);
    assert.equal((await snapshotManifests(store, s, "delta")).length, 1);
    assert.deepEqual(await liveFileNames(store), ["a/0/f1.parquet"]);
  });

  test("statistics are inherited only when computed with the latest schema", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u", commitIdentifier: 1n, messages: [addMessage("a", 0, [dataFile("f1.parquet")])] });
    const s1 = (await latestSnapshot(store))!;
    // An ANALYZE snapshot made by hand, pointing at a statistics file of schema 0.
    const analyze = createSnapshot({ ...s1, id: 2n, commitKind: "ANALYZE", commitUser: "analyzer", statistics: "stat-1" });
    await store.put("statistics/stat-1", utf8Encode(`{"snapshotId":1,"schemaId":0,"mergedRecordCount":1,"mergedRecordSize":10,"colStats":{}}`));
    await store.put("snapshot/snapshot-2", utf8Encode(encodeSnapshot(analyze)));
    await commit(store, { schema, commitUser: "u", commitIdentifier: 2n, messages: [addMessage("a", 0, [dataFile("f2.parquet")])] });
    assert.equal((await readSnapshot(store, 3n)).statistics, "stat-1");
    await store.put("statistics/stat-1", utf8Encode(`{"snapshotId":1,"schemaId":5,"colStats":{}}`));
    await commit(store, { schema, commitUser: "u", commitIdentifier: 3n, messages: [addMessage("a", 0, [dataFile("f3.parquet")])] });
    assert.equal((await readSnapshot(store, 4n)).statistics, null);
  });
});

describe("partition statistics", () => {
  test("null partition values are counted and min/max come from the others", async () => {
    const { store, schema } = await newTable();
    await commit(store, { schema, commitUser: "u", messages: [
      { partition: part(null), bucket: 0, newFiles: [dataFile("n1.parquet"), dataFile("n2.parquet")] },
      { partition: part("m"), bucket: 1, newFiles: [dataFile("m.parquet", { level: 2 })] },
      { partition: part("c"), bucket: 0, newFiles: [dataFile("c.parquet")] },
    ] });
    const meta = (await readManifestList(store, (await latestSnapshot(store))!.deltaManifestList))[0]!;
    assert.deepEqual(decodeSerializedBinaryRow([STRING], meta.partitionStats.minValues), ["c"]);
    assert.deepEqual(decodeSerializedBinaryRow([STRING], meta.partitionStats.maxValues), ["m"]);
    assert.deepEqual(meta.partitionStats.nullCounts, [2n]);
    assert.deepEqual([meta.minBucket, meta.maxBucket, meta.minLevel, meta.maxLevel], [0, 1, 0, 2]);
    const files = await (await openTable(store)).files();
    assert.deepEqual(files.map((f) => f.filePath).sort(), [
      "p=__DEFAULT_PARTITION__/bucket-0/n1.parquet", "p=__DEFAULT_PARTITION__/bucket-0/n2.parquet", "p=c/bucket-0/c.parquet", "p=m/bucket-1/m.parquet",
    ]);
  });

  test("an unpartitioned unaware-bucket append table: arity-0 stats, _TOTAL_BUCKETS -1", async () => {
    const { store, schema } = await newTable({ primaryKey: false, partitioned: false, options: { bucket: "-1" } });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 1n, messages: [{ partition: NO_PARTITION, bucket: 0, newFiles: [dataFile("x.parquet", { rows: 7 })] }] });
    await commit(store, { schema, commitUser: "u", commitIdentifier: 2n, messages: [{ partition: NO_PARTITION, bucket: 0, newFiles: [dataFile("y.parquet", { rows: 1 })] }] });
    const s = (await latestSnapshot(store))!;
    const meta = (await readManifestList(store, s.deltaManifestList))[0]!;
    assert.deepEqual(meta.partitionStats.nullCounts, []);
    const entries = await snapshotEntries(store, s);
    assert.deepEqual(entries.map((e) => e.totalBuckets), [-1, -1]);
    assert.deepEqual(await liveFileNames(store), ["/0/x.parquet", "/0/y.parquet"]);
    assert.equal(s.totalRecordCount, 8n);
  });

  test("a message whose partition arity does not match the table is refused", async () => {
    const { store, schema } = await newTable();
    await assert.rejects(commit(store, { schema, commitUser: "u", messages: [{ partition: NO_PARTITION, bucket: 0, newFiles: [dataFile("x.parquet")] }] }),
      (e: unknown) => e instanceof LakeError && e.code === "invalid_argument" && /arity 0, expected 1/.test(e.message));
  });
});
