// Goal: tags are written byte for byte as Java writes them (the snapshot JSON in Java's current
// layout; with a retention also `tagCreateTime` as a LocalDateTime array and `tagTimeRetained`
// as Jackson's seconds text, checked against Java's TagTest), created from the latest, a given
// or an expired-but-tagged snapshot, renamed, expired by retention; a tag keeps every file of its
// snapshot through snapshot expiration (end to end with expireSnapshots), and deleting it removes
// exactly the files nothing else references — nothing another tag or a retained snapshot needs.
// Method: hand-built snapshots for the layout; seeded histories of real commits
// (expire_helpers.ts) with changelog and index files; the brute-force reference model of
// expire_helpers (paths each snapshot and tag references) decides what may be deleted.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import { createSnapshot, decodeSnapshot, encodeSnapshot, type Snapshot } from "../../../src/spec/snapshot.ts";
import { utf8Decode, utf8Encode } from "../../../src/util/bytes.ts";
import { expireSnapshots } from "../../../src/table/expire_snapshots.ts";
import { listSnapshotIds, readAllSnapshots, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import {
  createTag, deleteTag, expireTags, listTags, readTag, renameTag, tagFileText, trimToSnapshot,
} from "../../../src/table/tag_manager.ts";
import { copyFixtureTable } from "../cli/cli_host.ts";
import { buildHistory, copyStore, HISTORY_START_MS, minus, pathsOf, referencedPaths, rowsAt } from "./expire_helpers.ts";

const JAVA_TAG_TEST_SNAPSHOT = createSnapshot({
  uuid: "snapshot-uuid", id: 0n, schemaId: 0n, baseManifestList: "base", deltaManifestList: "delta", commitUser: "user",
  writerVersion: "java-2.1-SNAPSHOT-commit-id", commitIdentifier: 0n, commitKind: "APPEND", timeMillis: 1000n,
  totalRecordCount: 0n, deltaRecordCount: 0n,
});

/** Java TagTest's expected JSON, with strings where Java's test has nulls and millisecond nanos. */
const JAVA_TAG_TEXT = `{
  "version" : 3,
  "uuid" : "snapshot-uuid",
  "id" : 0,
  "schemaId" : 0,
  "baseManifestList" : "base",
  "deltaManifestList" : "delta",
  "commitUser" : "user",
  "writerVersion" : "java-2.1-SNAPSHOT-commit-id",
  "commitIdentifier" : 0,
  "commitKind" : "APPEND",
  "timeMillis" : 1000,
  "totalRecordCount" : 0,
  "deltaRecordCount" : 0,
  "tagCreateTime" : [ 1969, 1, 1, 0, 0, 0, 123000000 ],
  "tagTimeRetained" : 5.000000000
}`;

describe("tag files", () => {
  test("the layout of Java's TagTest: snapshot fields, then tagCreateTime (local wall clock) and tagTimeRetained", () => {
    const now = new Date(1969, 0, 1, 0, 0, 0, 123).getTime();
    assert.equal(tagFileText(JAVA_TAG_TEST_SNAPSHOT, { retainedMs: 5000, nowMs: now }), JAVA_TAG_TEXT);
    assert.equal(tagFileText(JAVA_TAG_TEST_SNAPSHOT, { retainedMs: null, nowMs: now }), encodeSnapshot(JAVA_TAG_TEST_SNAPSHOT), "no retention: no tag fields (readers <= 0.7)");
    const whole = tagFileText(JAVA_TAG_TEST_SNAPSHOT, { retainedMs: 36 * 3_600_000 + 500, nowMs: new Date(2024, 4, 6, 7, 8).getTime() });
    assert.match(whole, /"tagCreateTime" : \[ 2024, 5, 6, 7, 8 \],\n {2}"tagTimeRetained" : 129600.500000000\n\}$/);
  });

  test("old snapshot layouts are written in Java's current layout (no logOffsets, no explicit nulls)", async () => {
    const store = await copyFixtureTable("pk_09.db/pk_09");
    const old = await readSnapshot(store, 8n);
    assert.ok(old.logOffsets !== null || old.explicitNullKeys.length > 0, "the fixture has an old layout");
    const tag = await createTag(store, "t", { snapshotId: 8n, options: {} });
    const text = utf8Decode(await store.get("tag/tag-t"));
    assert.ok(!text.includes("logOffsets") && !text.includes(": null"));
    assert.equal(text, encodeSnapshot({ ...old, logOffsets: null, explicitNullKeys: [] }));
    assert.deepEqual(trimToSnapshot(tag), decodeSnapshot(text));
  });
});

describe("create, rename, list", () => {
  test("latest by default, a given snapshot, retention from tag.default-time-retained, and Java's errors", async () => {
    const { store } = await buildHistory({ seed: 3, steps: 5, tableOptions: { "tag.default-time-retained": "2 h" } });
    const now = new Date(2024, 1, 3, 4, 5, 6).getTime();
    const latest = await createTag(store, "latest", { nowMs: () => now });
    assert.equal(latest.id, 5n);
    assert.deepEqual(latest.tagTimeRetained, { seconds: 7200n, nanos: 0 });
    assert.equal(latest.tagCreateTime, "2024-02-03T04:05:06");
    const two = await createTag(store, "two", { snapshotId: 2n, timeRetainedMs: 1500 });
    assert.deepEqual(two.tagTimeRetained, { seconds: 1n, nanos: 500_000_000 });
    assert.deepEqual(trimToSnapshot((await readTag(store, "two"))!), await readSnapshot(store, 2n));

    const code = async (p: Promise<unknown>): Promise<string> => p.then(() => "ok", (e: unknown) => (e instanceof LakeError ? `${e.code}: ${e.message}` : String(e)));
    assert.equal(await code(createTag(store, "two", { snapshotId: 3n })), "conflict: tag: Tag 'two' already exists.");
    assert.equal((await createTag(store, "two", { snapshotId: 3n, ignoreIfExists: true })).id, 2n, "ignoreIfExists returns the existing tag");
    assert.match(await code(createTag(store, "x", { snapshotId: 9n })), /^not_found: .*given snapshot #9 doesn't exist/);
    assert.match(await code(createTag(store, " ", {})), /^invalid_argument: .*shouldn't be blank/);
    assert.match(await code(createTag(new MemoryStore(), "x", { options: {} })), /^not_found: .*latest snapshot doesn't exist/);

    await renameTag(store, "two", "second");
    assert.deepEqual((await listTags(store)).map((t) => [t.name, t.tag.id]), [["second", 2n], ["latest", 5n]]);
    assert.match(await code(renameTag(store, "second", "latest")), /^conflict: .*Tag 'latest' already exists/);
    assert.match(await code(renameTag(store, "gone", "x")), /^not_found: .*Tag 'gone' doesn't exist/);
  });

  test("expireTags deletes tags past their retention (and, with olderThanMs, older ones)", async () => {
    const { store } = await buildHistory({ seed: 4, steps: 3 });
    const t = new Date(2024, 0, 10, 12).getTime();
    await createTag(store, "hour", { snapshotId: 1n, timeRetainedMs: 3_600_000, nowMs: () => t });
    await createTag(store, "day", { snapshotId: 2n, timeRetainedMs: 86_400_000, nowMs: () => t });
    await createTag(store, "forever", { snapshotId: 3n, options: {} });
    assert.deepEqual(await expireTags(store, { nowMs: () => t + 30 * 60_000 }), []);
    assert.deepEqual(await expireTags(store, { nowMs: () => t + 2 * 3_600_000 }), ["hour"]);
    assert.deepEqual(await expireTags(store, { nowMs: () => t + 2 * 3_600_000, olderThanMs: HISTORY_START_MS - 1 }), [], "the file time of 'forever' (the store clock) is not before it");
    assert.deepEqual(await expireTags(store, { nowMs: () => t + 2 * 3_600_000, olderThanMs: t + 1 }), ["day", "forever"]);
    assert.deepEqual(await listTags(store), []);
  });
});

/** Rows of a tag read through the ordinary read path (its JSON as snapshot-N in a copy). */
async function rowsOfTag(store: ObjectStore, tag: Snapshot): Promise<string[]> {
  const copy = await copyStore(store);
  await copy.put(`snapshot/snapshot-${tag.id}`, utf8Encode(encodeSnapshot(tag)));
  return rowsAt(copy, tag.id);
}

/** Paths deleting `tag` may delete: what it references that no snapshot and no other tag references. */
async function onlyTagReferences(store: ObjectStore, schema: TableSchema, tag: Snapshot, otherTags: readonly Snapshot[]): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const s of await readAllSnapshots(store)) for (const p of await referencedPaths(store, schema, s, true)) kept.add(p);
  for (const t of otherTags) for (const p of await referencedPaths(store, schema, t, false)) kept.add(p);
  return new Set(minus(await referencedPaths(store, schema, tag, false), kept));
}

describe("tags and expiration", () => {
  const NOW = () => HISTORY_START_MS + 100 * 3_600_000;
  const RETAIN = { "snapshot.num-retained.min": "2", "snapshot.num-retained.max": "2" };

  test("a tag keeps its snapshot's files through snapshot expiration; deleting it removes exactly what only it kept", async () => {
    for (const seed of [11, 12, 13]) {
      const { store, schema } = await buildHistory({ seed, steps: 12, changelog: true, index: true });
      const tagged = await readSnapshot(store, 4n);
      const rows = await rowsAt(store, 4n);
      await createTag(store, "t4", { snapshotId: 4n, options: {} });
      const result = await expireSnapshots(store, schema, { options: RETAIN, nowMs: NOW });
      assert.equal(result.expiredSnapshots, 10);
      assert.deepEqual(await listSnapshotIds(store), [11n, 12n]);
      assert.deepEqual(minus(await referencedPaths(store, schema, tagged, false), await pathsOf(store)), [], `seed ${seed}: every file of the tag survives`);
      assert.deepEqual(await rowsOfTag(store, tagged), rows, `seed ${seed}: the tag reads as snapshot 4 did`);

      const doomed = await onlyTagReferences(store, schema, tagged, []);
      const before = await pathsOf(store);
      const retainedRows = [await rowsAt(store, 11n), await rowsAt(store, 12n)];
      const deleted = await deleteTag(store, "t4");
      assert.equal(deleted.deleted, true);
      assert.deepEqual(deleted.failedPaths, []);
      assert.deepEqual(deleted.warnings, []);
      assert.deepEqual(minus(before, await pathsOf(store)), [...doomed, "tag/tag-t4"].sort(), `seed ${seed}: exactly the tag's own files go`);
      assert.equal(deleted.deletedFiles, doomed.size);
      assert.ok(doomed.size > 0, `seed ${seed}: the scenario frees something`);
      assert.deepEqual([await rowsAt(store, 11n), await rowsAt(store, 12n)], retainedRows);
    }
  });

  test("neighbouring tags keep what they share; two tags of one snapshot; a live snapshot keeps its files", async () => {
    const { store, schema } = await buildHistory({ seed: 21, steps: 14, changelog: true, index: true });
    const [s3, s6, s8] = await Promise.all([3n, 6n, 8n].map((id) => readSnapshot(store, id)));
    await createTag(store, "a3", { snapshotId: 3n, options: {} });
    await createTag(store, "b6", { snapshotId: 6n, options: {} });
    await createTag(store, "b6-copy", { snapshotId: 6n, options: {} });
    await createTag(store, "c8", { snapshotId: 8n, options: {} });
    await createTag(store, "live", { snapshotId: 13n, options: {} });
    await expireSnapshots(store, schema, { options: RETAIN, nowMs: NOW });
    assert.deepEqual(await listSnapshotIds(store), [13n, 14n]);
    const rows6 = await rowsOfTag(store, s6);

    const before = await pathsOf(store);
    await deleteTag(store, "live");
    assert.deepEqual(minus(before, await pathsOf(store)), ["tag/tag-live"], "snapshot 13 still exists: only the tag file goes");
    await deleteTag(store, "b6-copy");
    assert.deepEqual(minus(before, await pathsOf(store)), ["tag/tag-b6-copy", "tag/tag-live"], "b6 still names snapshot 6");

    const doomed = await onlyTagReferences(store, schema, s6, [s3, s8]);
    const result = await deleteTag(store, "b6");
    assert.deepEqual(minus(before, await pathsOf(store)), [...doomed, "tag/tag-b6", "tag/tag-b6-copy", "tag/tag-live"].sort());
    assert.equal(result.deletedFiles, doomed.size);
    for (const t of [s3, s8]) assert.deepEqual(minus(await referencedPaths(store, schema, t, false), await pathsOf(store)), [], `tag of ${t.id} intact`);
    assert.ok(rows6.length > 0);

    assert.deepEqual(await deleteTag(store, "b6"), { deleted: false, deletedFiles: 0, failedPaths: [], warnings: [] }, "a missing tag: nothing to do");
    const doomed3 = await onlyTagReferences(store, schema, s3, [s8]);
    const before3 = await pathsOf(store);
    await deleteTag(store, "a3");
    assert.deepEqual(minus(before3, await pathsOf(store)), [...doomed3, "tag/tag-a3"].sort(), "the oldest tag: only the right neighbour skips");
  });

  test("a tagged snapshot can be tagged again after it expired", async () => {
    const { store, schema } = await buildHistory({ seed: 5, steps: 6 });
    await createTag(store, "t2", { snapshotId: 2n, options: {} });
    await expireSnapshots(store, schema, { options: RETAIN, nowMs: NOW });
    const again = await createTag(store, "t2-again", { snapshotId: 2n, options: {} });
    assert.deepEqual(trimToSnapshot(again), trimToSnapshot((await readTag(store, "t2"))!));
    await assert.rejects(createTag(store, "t3", { snapshotId: 3n, options: {} }), /given snapshot #3 doesn't exist/);
  });
});
