// Goal: with changelog retention longer than snapshot retention (Java's decoupled changelog
// lifecycle), streams and incremental reads read ids that only exist as
// changelog/changelog-N exactly as they read snapshots:
//  - a consumer (consumer.changelog-only: it protects changelogs, not snapshots) killed and
//    restarted while writers expire snapshots after every commit reads every change exactly
//    once, in order, for changelog-producer none (delta files) and input (changelog files);
//  - from-snapshot and from-timestamp starts find ids in changelog/; incremental ranges span
//    changelog-only ids;
//  - a stream whose next id is gone from both snapshot/ and changelog/ fails with the expired
//    error, never skipping.
// Method: random primary-key histories through the real writer (stream_helpers.ts), whose
// post-commit expiration runs with the table's retention options; every delivered item is
// compared with the model's deltas; the store is inspected to make sure the ids read were
// changelog-only at the time.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { readIncremental } from "../../../src/stream/incremental.ts";
import { openChangeStream } from "../../../src/stream/stream_read.ts";
import { readConsumer } from "../../../src/table/consumer_manager.ts";
import { listChangelogIds } from "../../../src/table/changelog_manager.ts";
import { listSnapshotIds } from "../../../src/table/snapshot_manager.ts";
import {
  batchItem, batchRows, expectedDeltas, growPkHistory, makeStreamTable, nextWithin, pkDef, take, type ItemText, type ModelSnapshot,
} from "./stream_helpers.ts";

const POLL_MS = 5;

/** Snapshots: at most 2; changelogs: `changelogs` (decoupled). */
function retention(producer: string, changelogs: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "changelog-producer": producer, "snapshot.num-retained.min": "1", "snapshot.num-retained.max": "2", "snapshot.time-retained": "1 ms",
    "changelog.num-retained.min": String(changelogs), "changelog.num-retained.max": String(changelogs), ...extra,
  };
}

async function history(seed: number, commits: number, options: Record<string, string>) {
  const st = await makeStreamTable(pkDef(options));
  const model: ModelSnapshot[] = [];
  await growPkHistory(st, model, seed, commits);
  return { st, model };
}

describe("consumers over expiring snapshots", () => {
  for (const producer of ["none", "input"]) {
    test(`producer ${producer}: a consumer killed and restarted reads every change once while snapshots expire into changelogs`, async () => {
      const { st, model } = await history(61, 3, retention(producer, 100, { "consumer.changelog-only": "true" }));
      const open = () => openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, consumerId: "c", pollIntervalMs: POLL_MS, columnar: false });
      const delivered: ItemText[] = [];
      let changelogOnlyReads = 0;
      for (let round = 0; round < 4; round++) {
        const expected = expectedDeltas(model, 1n);
        const position = (await readConsumer(st.store, "c"))?.nextSnapshot ?? 1n;
        const snapshots = await listSnapshotIds(st.store);
        if (position < snapshots[0]!) {
          changelogOnlyReads++;
          assert.ok((await listChangelogIds(st.store)).includes(position), `round ${round}: the consumer's next id ${position} is in changelog/`);
        }
        const stream = open();
        delivered.push(...await take(stream, expected.length - delivered.length, batchItem));
        // Asking for the next item acknowledges the last one (stored position = its id + 1).
        assert.equal(await nextWithin(stream, 6 * POLL_MS), "timeout", `round ${round}: nothing beyond the model`);
        await stream.return();
        assert.deepEqual(delivered, expected, `round ${round}: every change once, in order`);
        await growPkHistory(st, model, 62 + round, 5, 3);
      }
      assert.ok(changelogOnlyReads >= 3, `restarts resumed from changelog-only ids (${changelogOnlyReads})`);
      assert.ok((await listSnapshotIds(st.store)).length <= 3, "snapshots did expire");
    });
  }
});

describe("starting scans and incremental reads", () => {
  test("from-snapshot and from-timestamp start at changelog-only ids; incremental ranges span them", async () => {
    const { st, model } = await history(63, 12, retention("input", 100));
    const snapshots = await listSnapshotIds(st.store);
    const changelogs = await listChangelogIds(st.store);
    assert.ok(snapshots[0]! > 5n && changelogs[0] === 1n, `snapshots ${snapshots.join(",")}, changelogs from ${changelogs[0]}`);
    for (const from of [1n, 3n, 4n]) {
      const expected = expectedDeltas(model, from);
      const stream = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: from, pollIntervalMs: POLL_MS, columnar: false });
      assert.deepEqual(await take(stream, expected.length, batchItem), expected, `from-snapshot ${from}`);
      assert.equal(await nextWithin(stream, 6 * POLL_MS), "timeout");
      await stream.return();
    }
    const third = model.find((s) => s.id === 3n)!;
    const byTime = openChangeStream(st.table, { scanMode: "from-timestamp", timestampMs: Number(third.timeMillis), pollIntervalMs: POLL_MS, columnar: false });
    const expected = expectedDeltas(model, 3n);
    assert.deepEqual(await take(byTime, expected.length, batchItem), expected, "from-timestamp of snapshot 3");
    await byTime.return();
    const latest = model.at(-1)!.id;
    for (const [start, end] of [[0n, latest], [2n, 5n], [1n, snapshots[0]!]] as const) {
      const rows = model.filter((s) => s.id > start && s.id <= end).flatMap((s) => s.delta).sort();
      assert.deepEqual(batchRows(await readIncremental(st.table, { startSnapshotId: start, endSnapshotId: end, columnar: false })), rows, `incremental (${start}, ${end}]`);
    }
    const t2 = model.find((s) => s.id === 2n)!.timeMillis, t6 = model.find((s) => s.id === 6n)!.timeMillis;
    const rows = model.filter((s) => s.id > 2n && s.id <= 6n).flatMap((s) => s.delta).sort();
    assert.deepEqual(batchRows(await readIncremental(st.table, { startTimestampMs: t2, endTimestampMs: t6, columnar: false })), rows, "incremental by timestamps");
  });

  test("without decoupled retention the same ids are gone (the changelog ids are what made them readable)", async () => {
    const { st } = await history(64, 8, { "snapshot.num-retained.min": "1", "snapshot.num-retained.max": "2", "snapshot.time-retained": "1 ms" });
    assert.deepEqual(await listChangelogIds(st.store), []);
    await assert.rejects(readIncremental(st.table, { startSnapshotId: 1n, endSnapshotId: 3n, columnar: false }), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument");
  });
});

describe("expired changelogs", () => {
  test("a stream whose next id is gone from snapshot/ and changelog/ fails with the expired error, never skipping", async () => {
    const { st, model } = await history(65, 3, retention("none", 4));
    const stream = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, pollIntervalMs: POLL_MS, columnar: false });
    const delivered = await take(stream, 1, batchItem);
    await growPkHistory(st, model, 66, 12);
    const earliestChangelog = (await listChangelogIds(st.store))[0]!;
    assert.ok(earliestChangelog > delivered[0]!.snapshotId + 4n, `changelogs expired too (earliest ${earliestChangelog})`);
    let failure: unknown = null;
    for (let i = 0; i < model.length && failure === null; i++) {
      try {
        const r = await nextWithin(stream, 5000);
        if (r === "timeout") throw new Error("the stream waits instead of failing");
        if (r.done === true) break;
        delivered.push(batchItem(r.value));
      } catch (error) {
        failure = error;
      }
    }
    assert.ok(failure instanceof LakeError && failure.code === "not_found", String(failure));
    const m = /the next snapshot to read, (\d+), has expired/.exec(failure.message);
    assert.ok(m !== null && /changelog\.num-retained/.test(failure.message), failure.message);
    const missing = BigInt(m[1]!);
    assert.ok(missing < earliestChangelog, "the named id is gone from changelog/ too");
    assert.deepEqual(delivered, expectedDeltas(model, 1n).filter((x) => x.snapshotId < missing), "nothing skipped before it");
  });
});
