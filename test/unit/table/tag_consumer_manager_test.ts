// Goal: the tag and consumer read helpers list what Java lists (only `tag-*` / `consumer-*`
// objects directly in `tag/` / `consumer/`), read them back, sort tagged snapshots by id with one
// entry per snapshot, skip absent files, name damaged files, and expire consumers by their
// modification time strictly before the cut-off (Java `ConsumerManager.expire`).
// Method: a MemoryStore with a controllable clock, hand-written tag and consumer files beside
// foreign names, then the helpers' answers against the files written.
import { assert, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { createSnapshot, encodeTag } from "../../../src/spec/snapshot.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import {
  deleteConsumer, expireConsumers, listConsumerIds, listConsumers, minNextSnapshot, readConsumer, writeConsumer,
} from "../../../src/table/consumer_manager.ts";
import { listTagNames, listTags, readTag, taggedSnapshots } from "../../../src/table/tag_manager.ts";

function tagText(id: bigint): string {
  const s = createSnapshot({
    id, schemaId: 0n, baseManifestList: `base-${id}`, deltaManifestList: `delta-${id}`, commitUser: "u",
    commitIdentifier: id, commitKind: "APPEND", timeMillis: 1000n * id,
  });
  return encodeTag({ ...s, tagCreateTime: "2024-01-02T03:04:05", tagTimeRetained: { seconds: 3600n, nanos: 0 } });
}

test("tags: list, read, sort by snapshot id, one entry per snapshot", async () => {
  const store = new MemoryStore();
  await store.put("tag/tag-b", utf8Encode(tagText(7n)));
  await store.put("tag/tag-a", utf8Encode(tagText(7n)));
  await store.put("tag/tag-z", utf8Encode(tagText(2n)));
  await store.put("tag/other", utf8Encode("x"));
  await store.put("tag/sub/tag-x", utf8Encode(tagText(1n)));
  assert.deepEqual(await listTagNames(store), ["a", "b", "z"]);
  assert.deepEqual((await listTags(store)).map((t) => [t.name, t.tag.id]), [["z", 2n], ["a", 7n], ["b", 7n]]);
  assert.deepEqual((await taggedSnapshots(store)).map((t) => t.id), [2n, 7n]);
  const a = await readTag(store, "a");
  assert.equal(a?.baseManifestList, "base-7");
  assert.equal(a?.tagCreateTime, "2024-01-02T03:04:05");
  assert.equal(await readTag(store, "missing"), null);
  await store.put("tag/tag-bad", utf8Encode("{"));
  await assert.rejects(readTag(store, "bad"), (e: unknown) => e instanceof LakeError && e.code === "corruption" && e.message.includes("tag/tag-bad"));
});

test("consumers: write, list with modification times, min next snapshot, delete", async () => {
  let now = 1000;
  const store = new MemoryStore({ nowMs: () => now });
  assert.equal(await minNextSnapshot(store), null);
  await writeConsumer(store, "b", { nextSnapshot: 12n });
  now = 2000;
  await writeConsumer(store, "a", { nextSnapshot: 30n });
  await store.put("consumer/readme", utf8Encode("x"));
  assert.deepEqual(await listConsumerIds(store), ["a", "b"]);
  assert.deepEqual(await listConsumers(store), [{ id: "a", nextSnapshot: 30n, modifiedMs: 2000 }, { id: "b", nextSnapshot: 12n, modifiedMs: 1000 }]);
  assert.equal(await minNextSnapshot(store), 12n);
  assert.deepEqual(await readConsumer(store, "a"), { nextSnapshot: 30n });
  assert.equal(await readConsumer(store, "none"), null);
  await deleteConsumer(store, "b");
  assert.equal(await minNextSnapshot(store), 30n);
  await store.put("consumer/consumer-bad", utf8Encode("{}"));
  await assert.rejects(minNextSnapshot(store), (e: unknown) => e instanceof LakeError && e.code === "corruption" && e.message.includes("consumer/consumer-bad"));
});

test("expireConsumers deletes consumers modified strictly before the cut-off", async () => {
  let now = 1000;
  const store = new MemoryStore({ nowMs: () => now });
  await writeConsumer(store, "old", { nextSnapshot: 1n });
  now = 1500;
  await writeConsumer(store, "edge", { nextSnapshot: 2n });
  now = 3000;
  await writeConsumer(store, "new", { nextSnapshot: 3n });
  assert.deepEqual(await expireConsumers(store, 1500), ["old"]);
  assert.deepEqual(await listConsumerIds(store), ["edge", "new"]);
  assert.deepEqual(await expireConsumers(store, 1501), ["edge"]);
  assert.equal(await minNextSnapshot(store), 3n);
});
