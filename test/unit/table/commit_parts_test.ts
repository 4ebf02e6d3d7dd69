// Goal: the pieces the committer is built from behave as Java's do on their own: manifest pruning
// by partition statistics is conservative, index manifests combine per (partition, bucket, type)
// or per file for unaware-bucket deletion vectors, and the walk for a commit user's newest
// snapshot stops at the first expired one.
// Method: hand-built ManifestFileMetas, index entries and snapshots with expected results written
// out by hand; snapshots stored on a MemoryStore.
import { assert, describe, test } from "../../harness.ts";
import { CommitConflictError, LakeError } from "../../../src/errors.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { parseTypeString } from "../../../src/spec/data_types.ts";
import type { IndexFileMeta, IndexManifestEntry } from "../../../src/spec/index_manifest_entry.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../../../src/spec/manifest_file_meta.ts";
import { EMPTY_STATS, encodeSimpleStats } from "../../../src/spec/simple_stats.ts";
import { createSnapshot, encodeSnapshot } from "../../../src/spec/snapshot.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { combineIndexEntries } from "../../../src/table/commit_index.ts";
import { latestSnapshotOfUser, mayContainPartitions, PartitionSet } from "../../../src/table/commit_scan.ts";
import { part } from "./commit_helpers.ts";

const STRING = parseTypeString("STRING");

function meta(min: string | null, max: string | null, nullCount: bigint | null): ManifestFileMeta {
  return {
    fileName: "m", fileSize: 1n, numAddedFiles: 1n, numDeletedFiles: 0n, schemaId: 0n,
    partitionStats: encodeSimpleStats([STRING], [{ min, max, nullCount }]),
    minBucket: 0, maxBucket: 0, minLevel: 0, maxLevel: 0, minRowId: null, maxRowId: null,
  };
}

describe("mayContainPartitions", () => {
  test("keeps a manifest exactly when a partition may be inside its min/max and null counts", () => {
    const m = meta("b", "d", 0n);
    const check = (...values: (string | null)[]) => mayContainPartitions(m, new PartitionSet(values.map(part)), [STRING]);
    assert.equal(check("a"), false);
    assert.equal(check("e"), false);
    assert.equal(check("b"), true);
    assert.equal(check("c"), true);
    assert.equal(check("a", "d"), true);
    assert.equal(check(null), false, "no nulls counted");
    assert.equal(mayContainPartitions(meta("b", "d", 3n), new PartitionSet([part(null)]), [STRING]), true);
    assert.equal(mayContainPartitions(meta(null, null, null), new PartitionSet([part("zzz")]), [STRING]), true, "unknown stats keep it");
    assert.equal(check(), false, "no partitions asked: nothing to read");
    assert.equal(mayContainPartitions({ ...m, partitionStats: EMPTY_STATS }, new PartitionSet([part("a")]), []), true, "unpartitioned");
  });
});

function indexFile(name: string, type = "HASH", dvFiles: string[] = []): IndexFileMeta {
  return {
    indexType: type, fileName: name, fileSize: 10n, rowCount: 1n, externalPath: null, globalIndex: null,
    dvRanges: dvFiles.length === 0 ? null : dvFiles.map((f, i) => ({ dataFileName: f, offset: 1 + 10 * i, length: 9, cardinality: 1n })),
  };
}

function entry(kind: 0 | 1, p: string, bucket: number, file: IndexFileMeta): IndexManifestEntry {
  return { kind, partition: part(p), bucket, indexFile: file };
}

const names = (entries: IndexManifestEntry[]) => entries.map((e) => e.indexFile.fileName);

describe("combineIndexEntries", () => {
  test("bucketed: a new file replaces the one of its (partition, bucket, type) in place", () => {
    const previous = [entry(0, "a", 0, indexFile("h1")), entry(0, "a", 1, indexFile("h2")), entry(0, "a", 0, indexFile("d1", "DELETION_VECTORS", ["f"]))];
    const out = combineIndexEntries(previous, [entry(0, "a", 0, indexFile("h3")), entry(1, "a", 1, indexFile("h2")), entry(0, "b", 0, indexFile("h4"))], false);
    assert.deepEqual(names(out), ["h3", "h4", "d1"]);
    assert.ok(out.every((e) => e.kind === FILE_KIND.ADD));
    // A DELETE and an ADD of the same bucket in one commit: the ADD stays.
    assert.deepEqual(names(combineIndexEntries(previous, [entry(0, "a", 1, indexFile("h5")), entry(1, "a", 1, indexFile("h2"))], false)), ["h1", "h5", "d1"]);
  });

  test("unaware-bucket deletion vectors combine by file, one vector per data file", () => {
    const previous = [entry(0, "a", 0, indexFile("dv1", "DELETION_VECTORS", ["f1", "f2"]))];
    const added = combineIndexEntries(previous, [entry(0, "a", 0, indexFile("dv2", "DELETION_VECTORS", ["f3"]))], true);
    assert.deepEqual(names(added), ["dv1", "dv2"]);
    const replaced = combineIndexEntries(previous, [entry(1, "a", 0, indexFile("dv1", "DELETION_VECTORS", ["f1", "f2"])), entry(0, "a", 0, indexFile("dv3", "DELETION_VECTORS", ["f1"]))], true);
    assert.deepEqual(names(replaced), ["dv3"]);
    assert.throws(() => combineIndexEntries(previous, [entry(0, "a", 0, indexFile("dv4", "DELETION_VECTORS", ["f2"]))], true),
      (e: unknown) => e instanceof CommitConflictError && /f2 already has a deletion vector/.test(e.message));
    assert.throws(() => combineIndexEntries(previous, [entry(1, "a", 0, indexFile("dv9", "DELETION_VECTORS", ["f9"]))], true), CommitConflictError);
  });

  test("global indexes are carried forward untouched, but changing them is unsupported", () => {
    const previous = [entry(0, "a", 0, indexFile("btree-1", "btree"))];
    assert.deepEqual(names(combineIndexEntries(previous, [entry(0, "a", 0, indexFile("h1"))], false)), ["btree-1", "h1"]);
    assert.throws(() => combineIndexEntries(previous, [entry(0, "a", 0, indexFile("btree-2", "btree"))], false),
      (e: unknown) => e instanceof LakeError && e.code === "unsupported");
  });
});

describe("latestSnapshotOfUser", () => {
  async function storeWith(users: [bigint, string][]): Promise<MemoryStore> {
    const store = new MemoryStore();
    for (const [id, commitUser] of users) {
      const s = createSnapshot({ id, schemaId: 0n, baseManifestList: "b", deltaManifestList: "d", commitUser, commitIdentifier: id * 10n, commitKind: "APPEND", timeMillis: 0n });
      await store.put(`snapshot/snapshot-${id}`, utf8Encode(encodeSnapshot(s)));
    }
    return store;
  }

  test("finds the newest snapshot of the user, across read batches", async () => {
    const users: [bigint, string][] = Array.from({ length: 20 }, (_, i) => [BigInt(i + 1), i === 2 || i === 4 ? "job" : "other"]);
    const store = await storeWith(users);
    assert.equal((await latestSnapshotOfUser(store, "job", 20n))?.id, 5n);
    assert.equal(await latestSnapshotOfUser(store, "nobody", 20n), null);
    assert.equal(await latestSnapshotOfUser(store, "job", null), null);
  });

  test("stops at the first expired snapshot, as Java does", async () => {
    const store = await storeWith([[1n, "job"], [3n, "other"], [4n, "other"]]); // snapshot-2 expired
    assert.equal(await latestSnapshotOfUser(store, "job", 4n), null);
  });
});
