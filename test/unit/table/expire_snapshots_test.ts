// Goal: snapshot expiration keeps exactly the snapshots Java's retention rules keep
// (`snapshot.num-retained.min/max`, `snapshot.time-retained` with Java master's successor
// rule, `snapshot.expire.limit`, consumers, `consumer.expiration-time`), deletes exactly the
// files no retained snapshot or tag references (data, changelog, manifests, lists, index files),
// and every retained snapshot reads the same rows afterwards.
// Method: seeded histories of real commits (Parquet files, compactions and upgrades that
// DELETE files, merged manifests, changelog and HASH index files) from expire_helpers.ts; the
// expected snapshot ids are worked out by hand from the rules for each case, the expected
// deleted paths come from the brute-force reference model (expectedDeleted), and the actual
// deletions are the store's paths before minus after.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { FaultKind, FaultStore } from "../../../src/io/fault_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { decodeSnapshot, encodeSnapshot, type Snapshot } from "../../../src/spec/snapshot.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import { utf8Decode, utf8Encode } from "../../../src/util/bytes.ts";
import { writeConsumer } from "../../../src/table/consumer_manager.ts";
import { expireSnapshots, type ExpireOptions } from "../../../src/table/expire_snapshots.ts";
import { earliestSnapshotId, listSnapshotIds } from "../../../src/table/snapshot_manager.ts";
import {
  buildHistory, copyStore, createTag, expectedDeleted, HISTORY_START_MS, HISTORY_STEP_MS, minus, pathsOf, referencedPaths,
  rowsAt, rowsOfAll,
} from "./expire_helpers.ts";

const HOUR_MS = 3_600_000;
/** A clock long after every generated snapshot (time-retained never protects). */
const LATER = () => HISTORY_START_MS + 100 * HOUR_MS;

function range(from: number, to: number): bigint[] {
  return Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
}

/**
 * Expires once and checks everything: remaining snapshot ids, the exact deleted paths (model),
 * unchanged rows of every retained snapshot, the EARLIEST hint. Returns the result.
 */
async function expireAndCheck(
  store: ObjectStore, schema: TableSchema, opts: ExpireOptions, expectRemaining: bigint[], tags: Snapshot[] = [],
  alsoDeleted: readonly string[] = [],
): Promise<{ expiredSnapshots: number; deletedFiles: number }> {
  const before = await pathsOf(store);
  const idsBefore = await listSnapshotIds(store);
  const expiredIds = idsBefore.filter((id) => !expectRemaining.includes(id));
  const expected = await expectedDeleted(store, schema, expiredIds, tags);
  for (const p of alsoDeleted) expected.add(p);
  const rowsBefore = await rowsOfAll(store);
  const result = await expireSnapshots(store, schema, opts);
  assert.deepEqual(await listSnapshotIds(store), expectRemaining, "remaining snapshots");
  const after = await pathsOf(store);
  assert.deepEqual(minus(before, after), [...expected].sort(), "deleted paths = brute-force model");
  assert.deepEqual(minus(after, before).filter((p) => p !== "snapshot/EARLIEST"), [], "nothing but the EARLIEST hint appears");
  for (const id of expectRemaining) assert.deepEqual(await rowsAt(store, id), rowsBefore.get(id), `rows of snapshot ${id}`);
  assert.equal(result.expiredSnapshots, expiredIds.length);
  assert.equal(result.deletedFiles, expected.size - alsoDeleted.length);
  if (expectRemaining.length > 0) {
    assert.equal(utf8Decode(await store.get("snapshot/EARLIEST")), String(expectRemaining[0]));
    assert.equal(await earliestSnapshotId(store), expectRemaining[0]);
  }
  return result;
}

describe("retention options", () => {
  test("defaults: nothing expires while younger than 1 h; then 10 snapshots are kept", async () => {
    const { store, schema } = await buildHistory({ seed: 1, steps: 15, changelog: true, index: true });
    const young = () => HISTORY_START_MS + 14 * HISTORY_STEP_MS + 1;
    assert.deepEqual(await expireAndCheck(store, schema, { nowMs: young }, range(1, 15)), { expiredSnapshots: 0, expiredChangelogs: 0, deletedFiles: 0 });
    await expireAndCheck(store, schema, { nowMs: LATER }, range(6, 15));
  });

  test("num-retained.max keeps at most max snapshots even when they are young", async () => {
    const { store, schema } = await buildHistory({ seed: 2, steps: 14, changelog: true, index: true });
    const young = () => HISTORY_START_MS + 14 * HISTORY_STEP_MS;
    await expireAndCheck(store, schema, { nowMs: young, options: { "snapshot.num-retained.max": "4", "snapshot.num-retained.min": "1" } }, range(11, 14));
  });

  test("time-retained: a snapshot expires only when its successor is older than the retention", async () => {
    const { store, schema } = await buildHistory({ seed: 3, steps: 12, changelog: true, index: true });
    // Snapshot n was committed at start + (n-1) min. now = start + 12 min, retention 5 min:
    // the threshold is start + 7 min = time of snapshot 8, so 1..6 expire (snapshot 7's
    // successor is not strictly older) and 7 is the earliest kept. Judging a snapshot by its own
    // time (Java before 1.x) would also expire 7.
    const now = () => HISTORY_START_MS + 12 * HISTORY_STEP_MS;
    await expireAndCheck(store, schema, { nowMs: now, options: { "snapshot.time-retained": "5 min", "snapshot.num-retained.min": "1" } }, range(7, 12));
  });

  test("expire.limit bounds each call; repeated calls converge to the retention", async () => {
    const { store, schema } = await buildHistory({ seed: 4, steps: 30, changelog: true, index: true });
    const options = { "snapshot.num-retained.max": "2", "snapshot.num-retained.min": "1", "snapshot.expire.limit": "10" };
    await expireAndCheck(store, schema, { nowMs: LATER, options }, range(11, 30));
    await expireAndCheck(store, schema, { nowMs: LATER, options }, range(21, 30));
    // max is only an upper bound: old snapshots go down to min (1) once the limit allows.
    await expireAndCheck(store, schema, { nowMs: LATER, options }, range(30, 30));
    assert.deepEqual(await expireAndCheck(store, schema, { nowMs: LATER, options }, range(30, 30)), { expiredSnapshots: 0, expiredChangelogs: 0, deletedFiles: 0 });
  });

  test("the default expire.limit is Java's 50", async () => {
    const { store, schema } = await buildHistory({ seed: 5, steps: 60 });
    await expireAndCheck(store, schema, { nowMs: LATER, options: { "snapshot.num-retained.max": "1", "snapshot.num-retained.min": "1" } }, range(51, 60));
  });

  test("an empty table and a single snapshot expire nothing", async () => {
    const empty = await buildHistory({ seed: 6, steps: 0 });
    assert.deepEqual(await expireSnapshots(empty.store, empty.schema, { nowMs: LATER }), { expiredSnapshots: 0, expiredChangelogs: 0, deletedFiles: 0 });
    const one = await buildHistory({ seed: 6, steps: 1 });
    await expireAndCheck(one.store, one.schema, { nowMs: LATER, options: { "snapshot.num-retained.min": "1" } }, range(1, 1));
  });

  test("bad or unsupported options are errors before anything is deleted", async () => {
    const { store, schema } = await buildHistory({ seed: 7, steps: 4 });
    const before = await pathsOf(store);
    const cases: [Record<string, string>, string][] = [
      [{ "snapshot.num-retained.min": "0" }, "invalid_argument"],
      [{ "snapshot.num-retained.min": "5", "snapshot.num-retained.max": "4" }, "invalid_argument"],
      [{ "snapshot.expire.execution-mode": "async" }, "unsupported"],
      [{ "changelog.num-retained.min": "20", "changelog.num-retained.max": "3" }, "invalid_argument"],
      [{ "changelog.time-retained": "2 h", "changelog.num-retained.min": "0" }, "invalid_argument"],
      [{ "changelog.time-retained": "later" }, "invalid_argument"],
      [{ "snapshot.time-retained": "soon" }, "invalid_argument"],
    ];
    for (const [options, code] of cases) {
      await assert.rejects(expireSnapshots(store, schema, { nowMs: LATER, options }), (e: unknown) => e instanceof LakeError && e.code === code, JSON.stringify(options));
    }
    assert.deepEqual(minus(before, await pathsOf(store)), []);
  });
});

describe("tags", () => {
  test("tags protect their data files, manifests and index files; tagged snapshots still read", async () => {
    const { store, schema } = await buildHistory({ seed: 8, steps: 16, changelog: true, index: true });
    const tags = [await createTag(store, "t3", 3n), await createTag(store, "t9", 9n), await createTag(store, "also9", 9n)];
    const rows3 = await rowsAt(store, 3n), rows9 = await rowsAt(store, 9n);
    const refs = [await referencedPaths(store, schema, tags[0]!, false), await referencedPaths(store, schema, tags[1]!, false)];
    await expireAndCheck(store, schema, { nowMs: LATER, options: { "snapshot.num-retained.max": "1", "snapshot.num-retained.min": "1" } }, range(16, 16), tags);
    const after = await pathsOf(store);
    for (const r of refs) assert.deepEqual(minus(r, after), [], "every file a tag references survives");
    // Read the tags as snapshots from a copy (the tag file is the snapshot JSON plus tag fields).
    const copy = await copyStore(store);
    for (const [name, rows] of [["t3", rows3], ["t9", rows9]] as const) {
      const tag = decodeSnapshot(utf8Decode(await store.get(`tag/tag-${name}`)));
      await copy.put(`snapshot/snapshot-${tag.id}`, utf8Encode(encodeSnapshot(tag)));
      assert.deepEqual(await rowsAt(copy, tag.id), rows, `rows of tag ${name}`);
    }
  });

  test("a tag newer than the expired range protects nothing extra and is not needed", async () => {
    const { store, schema } = await buildHistory({ seed: 9, steps: 12, changelog: true, index: true });
    const tags = [await createTag(store, "late", 11n)];
    await expireAndCheck(store, schema, { nowMs: LATER, options: { "snapshot.num-retained.max": "3", "snapshot.num-retained.min": "3" } }, range(10, 12), tags);
  });
});

describe("consumers", () => {
  test("a consumer keeps its next snapshot and every later one", async () => {
    const { store, schema } = await buildHistory({ seed: 10, steps: 12, changelog: true, index: true });
    await writeConsumer(store, "job-1", { nextSnapshot: 9n });
    await writeConsumer(store, "job-2", { nextSnapshot: 5n });
    const options = { "snapshot.num-retained.max": "1", "snapshot.num-retained.min": "1", "consumer.ignore-progress": "true" };
    await expireAndCheck(store, schema, { nowMs: LATER, options }, range(5, 12));
    await writeConsumer(store, "job-2", { nextSnapshot: 10n });
    await expireAndCheck(store, schema, { nowMs: LATER, options }, range(9, 12));
  });

  test("consumer.expiration-time deletes idle consumers first, unless told not to", async () => {
    const { store, schema } = await buildHistory({ seed: 11, steps: 10 });
    const clock = { now: HISTORY_START_MS };
    const timed = new MemoryStore({ nowMs: () => clock.now });
    await copyStore(store, timed);
    await writeConsumer(timed, "old", { nextSnapshot: 2n }); // modified at HISTORY_START_MS
    clock.now = HISTORY_START_MS + 3 * HOUR_MS;
    await writeConsumer(timed, "fresh", { nextSnapshot: 6n });
    const base = { "snapshot.num-retained.max": "1", "snapshot.num-retained.min": "1", "consumer.expiration-time": "2 h" };
    const now = () => HISTORY_START_MS + 3 * HOUR_MS + 1;
    // Kept on request: "old" (next 2) still protects 2..10.
    await expireAndCheck(timed, schema, { nowMs: now, options: base, expireConsumers: false }, range(2, 10));
    assert.ok(await timed.stat("consumer/consumer-old"));
    // "old" is idle for 3 h > 2 h: deleted; "fresh" (1 ms old) now limits expiration.
    await expireAndCheck(timed, schema, { nowMs: now, options: base }, range(6, 10), [], ["consumer/consumer-old"]);
    assert.equal(await timed.stat("consumer/consumer-old"), null);
    assert.ok(await timed.stat("consumer/consumer-fresh"));
  });
});

describe("failures", () => {
  test("a failed delete stops before any snapshot file goes; the next call finishes the job", async () => {
    const { store, schema } = await buildHistory({ seed: 12, steps: 10, changelog: true, index: true });
    const options = { "snapshot.num-retained.max": "2", "snapshot.num-retained.min": "2" };
    const reference = await copyStore(store);
    const expected = await expectedDeleted(store, schema, range(1, 8));
    const rows = await rowsOfAll(store);
    await expireSnapshots(reference, schema, { nowMs: LATER, options });
    const faulty = new FaultStore(store, [{ writeIndex: 1, kind: FaultKind.FAIL }]);
    await assert.rejects(expireSnapshots(faulty, schema, { nowMs: LATER, options }), (e: unknown) => e instanceof LakeError && e.code === "io" && /next expire call/.test(e.message));
    assert.deepEqual(await listSnapshotIds(store), range(1, 10), "no snapshot file deleted");
    for (const id of [9n, 10n]) assert.deepEqual(await rowsAt(store, id), rows.get(id));
    await expireSnapshots(store, schema, { nowMs: LATER, options });
    assert.deepEqual([...await pathsOf(store)].sort(), [...await pathsOf(reference)].sort());
    assert.ok(expected.size > 10);
  });
});
