// Goal: time travel resolves as Java's TimeTravelUtil: a snapshot id (or, once it expired, the
// tag that keeps it), the newest snapshot committed at or before a timestamp (exact matches,
// between commits, before the first, after the last; a tag before the earliest snapshot only
// when no expired snapshot can lie between), a tag; exactly one of them; options
// (`scan.snapshot-id`, `scan.tag-name`, `scan.timestamp-millis`, `scan.timestamp`,
// `scan.version`) map to the same; errors name what exists.
// Method: seeded histories of real commits one minute apart (expire_helpers.ts); each answer is
// compared with a linear scan over the snapshots' commit times.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { expireSnapshots } from "../../../src/table/expire_snapshots.ts";
import { readAllSnapshots, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import { createTag } from "../../../src/table/tag_manager.ts";
import { earlierOrEqualTimeMillis, resolveTimeTravel, timeTravelFromOptions } from "../../../src/table/time_travel.ts";
import { buildHistory, HISTORY_START_MS, HISTORY_STEP_MS } from "./expire_helpers.ts";

const NOW = () => HISTORY_START_MS + 100 * 3_600_000;

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(() => "ok", (e: unknown) => (e instanceof LakeError ? `${e.code}: ${e.message}` : String(e)));
}

describe("time travel", () => {
  test("by snapshot id and by timestamp, against a linear scan of commit times", async () => {
    const { store } = await buildHistory({ seed: 1, steps: 9 });
    const all = await readAllSnapshots(store);
    assert.deepEqual((await resolveTimeTravel(store, { snapshotId: 4n })).id, 4n);
    assert.deepEqual((await resolveTimeTravel(store, { snapshotId: 4 })).id, 4n, "numbers work too");
    for (let ts = HISTORY_START_MS - 2 * HISTORY_STEP_MS; ts <= HISTORY_START_MS + 10 * HISTORY_STEP_MS; ts += HISTORY_STEP_MS / 4) {
      const expected = all.filter((s) => s.timeMillis <= BigInt(ts)).at(-1) ?? null;
      const got = await earlierOrEqualTimeMillis(store, BigInt(ts));
      assert.equal(got?.id ?? null, expected?.id ?? null, `timestamp ${ts}`);
      if (expected === null) assert.match(await code(resolveTimeTravel(store, { timestampMs: ts })), /^not_found: .*no snapshot earlier than or equal to timestamp/);
      else assert.equal((await resolveTimeTravel(store, { timestampMs: ts })).id, expected.id);
    }
    assert.match(await code(resolveTimeTravel(store, { snapshotId: 12n })), /^not_found: .*snapshot 12 does not exist: the available snapshot ids are \[1, 9\] \(no tags\)/);
    assert.match(await code(resolveTimeTravel(store, {})), /^invalid_argument: .*exactly one .* got none/);
    assert.match(await code(resolveTimeTravel(store, { snapshotId: 1n, tag: "x" })), /^invalid_argument: .*got snapshotId, tag/);
    assert.match(await code(resolveTimeTravel(new MemoryStore(), { snapshotId: 1n })), /^not_found: .*There is currently no snapshot/);
    assert.equal(await earlierOrEqualTimeMillis(new MemoryStore(), 5n), null);
  });

  test("by tag, and by id or timestamp once the snapshot expired but a tag keeps it", async () => {
    const { store, schema } = await buildHistory({ seed: 2, steps: 10 });
    const s3 = await readSnapshot(store, 3n), s4 = await readSnapshot(store, 4n), s6 = await readSnapshot(store, 6n);
    await createTag(store, "t3", { snapshotId: 3n, options: {}, timeRetainedMs: 60_000 });
    await createTag(store, "t4", { snapshotId: 4n, options: {} });
    await createTag(store, "t6", { snapshotId: 6n, options: {} });
    assert.deepEqual(await resolveTimeTravel(store, { tag: "t4" }), s4, "a live snapshot's tag");
    await expireSnapshots(store, schema, { options: { "snapshot.num-retained.min": "3", "snapshot.num-retained.max": "3" }, nowMs: NOW });
    // Snapshots 8..10 remain; tags 3, 4 and 6 keep theirs.
    assert.deepEqual(await resolveTimeTravel(store, { tag: "t3" }), s3, "tag fields trimmed: the snapshot itself");
    assert.deepEqual(await resolveTimeTravel(store, { snapshotId: 6n }), s6, "expired id served by its tag");
    assert.match(await code(resolveTimeTravel(store, { snapshotId: 5n })), /^not_found: .*snapshot 5 does not exist: the available snapshot ids are \[8, 10\] \(tags: t3 \(snapshot 3\), t4 \(snapshot 4\), t6 \(snapshot 6\)\)/);
    assert.match(await code(resolveTimeTravel(store, { tag: "nope" })), /^not_found: .*Tag 'nope' doesn't exist \(tags: t3/);

    const at = (id: number, extraMs = 0) => HISTORY_START_MS + (id - 1) * HISTORY_STEP_MS + extraMs;
    assert.equal((await resolveTimeTravel(store, { timestampMs: at(3, 30_000) })).id, 3n, "t4 follows t3 and was committed later");
    assert.equal((await resolveTimeTravel(store, { timestampMs: at(4) - 1 })).id, 3n);
    assert.match(await code(resolveTimeTravel(store, { timestampMs: at(4) })), /snapshot 5 expired/, "snapshot 5 may share the millisecond");
    assert.match(await code(resolveTimeTravel(store, { timestampMs: at(4, 30_000) })), /snapshot 5 expired, so the snapshot current at that time is unknown/);
    assert.match(await code(resolveTimeTravel(store, { timestampMs: at(6, 1) })), /snapshot 7 expired/);
    assert.equal((await resolveTimeTravel(store, { timestampMs: at(8) })).id, 8n);
    assert.match(await code(resolveTimeTravel(store, { timestampMs: at(1) })), /no snapshot earlier than or equal to timestamp/);
  });

  test("options map to the same travels, one at a time", async () => {
    const { store } = await buildHistory({ seed: 3, steps: 3 });
    await createTag(store, "v1", { snapshotId: 1n, options: {} });
    await createTag(store, "7", { snapshotId: 2n, options: {} });
    const exists = async (name: string) => (await store.stat(`tag/tag-${name}`)) !== null;
    const from = (o: Record<string, string>) => timeTravelFromOptions(o, exists);
    assert.equal(await from({}), null);
    assert.deepEqual(await from({ "scan.snapshot-id": "2" }), { snapshotId: 2n });
    assert.deepEqual(await from({ "scan.tag-name": "v1" }), { tag: "v1" });
    assert.deepEqual(await from({ "scan.timestamp-millis": "1700000000000" }), { timestampMs: 1700000000000n });
    assert.deepEqual(await from({ "log.scan.timestamp-millis": "5" }), { timestampMs: 5n }, "the fallback key");
    const local = new Date(2024, 0, 2, 3, 4, 5).getTime();
    assert.deepEqual(await from({ "scan.timestamp": "2024-01-02 03:04:05" }), { timestampMs: BigInt(local) }, "local time zone, as Java's TimeZone.getDefault()");
    assert.deepEqual(await from({ "scan.version": "v1" }), { tag: "v1" });
    assert.deepEqual(await from({ "scan.version": "7" }), { tag: "7" }, "a tag wins over a snapshot id");
    assert.deepEqual(await from({ "scan.version": "3" }), { snapshotId: 3n });
    assert.match(await code(from({ "scan.version": "nope" })), /Cannot find a time travel version for nope/);
    assert.match(await code(from({ "scan.snapshot-id": "2", "scan.tag-name": "v1" })), /^invalid_argument: .*Only one of the following parameters may be set/);
    assert.match(await code(from({ "scan.watermark": "5" })), /^unsupported: /);
    assert.match(await code(from({ "scan.snapshot-id": "two" })), /^invalid_argument: .*'scan.snapshot-id' = "two" is not an integer/);
    assert.equal((await resolveTimeTravel(store, (await from({ "scan.version": "7" }))!)).id, 2n);
  });
});
