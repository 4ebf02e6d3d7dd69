// Goal: with a decoupled changelog lifecycle (changelog retention longer than snapshot
// retention), expiration works as Java's ExpireSnapshotsImpl + ExpireChangelogImpl do:
//  - every expired snapshot is written as changelog/changelog-<id> (byte-identical to Java's
//    Changelog JSON, i.e. the snapshot JSON in the current layout) with the LATEST hint, and the
//    files its changelog needs are kept (producer input: changelog list, manifests and files;
//    producer none: base and delta lists, manifests and the delta's APPEND files);
//  - changelog expiration then removes the changelogs beyond `changelog.num-retained.*` /
//    `changelog.time-retained` (bounded by `snapshot.expire.limit`, consumers and the newest
//    changelog), deleting exactly what no retained snapshot or changelog still needs, and writes
//    the EARLIEST hint;
//  - consumers protect changelogs (and with consumer.changelog-only only changelogs); a failed
//    delete stops before the changelog file goes and the next call finishes the job.
// Method: seeded histories of real commits (expire_helpers.ts); the deleted paths are compared
// with a brute-force model (expire_changelog_helpers.ts) built from plain manifest reads; the
// expected ids are worked out by hand from Java's rules for each case.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { FaultKind, FaultStore } from "../../../src/io/fault_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { encodeChangelog } from "../../../src/spec/changelog.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import { encodeSnapshot } from "../../../src/spec/snapshot.ts";
import { utf8Decode } from "../../../src/util/bytes.ts";
import { earliestChangelogId, latestChangelogId } from "../../../src/table/changelog_manager.ts";
import { writeConsumer } from "../../../src/table/consumer_manager.ts";
import { expireSnapshots } from "../../../src/table/expire_snapshots.ts";
import { listSnapshotIds, readAllSnapshots } from "../../../src/table/snapshot_manager.ts";
import { changelogNeeds, expectedDeletedDecoupled, readChangelogs } from "./expire_changelog_helpers.ts";
import {
  buildHistory, copyStore, createTag, HISTORY_START_MS, minus, pathsOf, referencedPaths, rowsAt, rowsOfAll,
} from "./expire_helpers.ts";

const HOUR_MS = 3_600_000;
const LATER = () => HISTORY_START_MS + 100 * HOUR_MS;

function range(from: number, to: number): bigint[] {
  return Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
}

/** Snapshot retention 3, changelog retention 10 (decoupled), plus `extra`. */
function retention(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "snapshot.num-retained.min": "3", "snapshot.num-retained.max": "3",
    "changelog.num-retained.min": "10", "changelog.num-retained.max": "10", ...extra,
  };
}

/** Every path the remaining snapshots, changelogs and `tags` need exists. */
async function assertNeedsPresent(store: ObjectStore, schema: TableSchema, producerNone: boolean, tags: readonly bigint[] = [], tagSnapshots: Awaited<ReturnType<typeof createTag>>[] = []): Promise<void> {
  const present = await pathsOf(store);
  for (const s of await readAllSnapshots(store)) {
    assert.deepEqual(minus(await referencedPaths(store, schema, s, true), present), [], `snapshot ${s.id} intact`);
  }
  for (const [id, c] of await readChangelogs(store)) {
    assert.deepEqual(minus(await changelogNeeds(store, schema, c, producerNone), present), [], `changelog ${id} intact`);
  }
  for (const [i, t] of tagSnapshots.entries()) {
    assert.deepEqual(minus(await referencedPaths(store, schema, t, false), present), [], `tag ${tags[i]} intact`);
  }
}

/** One call, checked against the model; returns the result. */
async function expireDecoupled(
  store: ObjectStore, schema: TableSchema, options: Record<string, string>, remainingSnapshots: bigint[], remainingChangelogs: bigint[], producerNone: boolean,
) {
  const before = await pathsOf(store);
  const snapshotsBefore = new Map((await readAllSnapshots(store)).map((s) => [s.id, s]));
  const changelogsBefore = await readChangelogs(store);
  const expected = await expectedDeletedDecoupled(store, schema, remainingSnapshots, remainingChangelogs, producerNone);
  const rows = await rowsOfAll(store);
  const result = await expireSnapshots(store, schema, { nowMs: LATER, options });
  assert.deepEqual(await listSnapshotIds(store), remainingSnapshots, "remaining snapshots");
  assert.deepEqual([...(await readChangelogs(store)).keys()].sort((a, b) => (a < b ? -1 : 1)), remainingChangelogs, "remaining changelogs");
  const after = await pathsOf(store);
  assert.deepEqual(minus(before, after), [...expected].filter((p) => before.has(p)).sort(), "deleted paths = model");
  const hints = new Set(["snapshot/EARLIEST", "changelog/LATEST", "changelog/EARLIEST"]);
  const created = minus(after, before).filter((p) => !hints.has(p));
  assert.deepEqual(created, remainingChangelogs.filter((id) => !changelogsBefore.has(id)).map((id) => `changelog/changelog-${id}`).sort(), "new changelog files");
  for (const id of remainingChangelogs) {
    const text = utf8Decode(await store.get(`changelog/changelog-${id}`));
    const source = snapshotsBefore.get(id);
    if (source !== undefined) {
      assert.equal(text, encodeChangelog(source), `changelog-${id} is the snapshot as Java's Changelog writes it`);
      assert.equal(text, encodeSnapshot(source), `changelog-${id}: current-layout snapshot JSON`);
    }
  }
  for (const id of remainingSnapshots) assert.deepEqual(await rowsAt(store, id), rows.get(id), `rows of snapshot ${id}`);
  await assertNeedsPresent(store, schema, producerNone);
  if (remainingChangelogs.length > 0) {
    assert.equal(await earliestChangelogId(store), remainingChangelogs[0]);
    assert.equal(await latestChangelogId(store), remainingChangelogs.at(-1));
  }
  return result;
}

describe("decoupled changelog lifecycle", () => {
  test("producer input: snapshots become changelogs, then changelog retention applies (model)", async () => {
    const { store, schema } = await buildHistory({ seed: 11, steps: 16, changelog: true, index: true, tableOptions: { "changelog-producer": "input" } });
    // Snapshots 1..13 expire into changelogs; changelog expiry: L=16, range [1, min(16-10+1, 13)) = [1, 7).
    const result = await expireDecoupled(store, schema, retention(), range(14, 16), range(7, 13), false);
    assert.deepEqual({ s: result.expiredSnapshots, c: result.expiredChangelogs }, { s: 13, c: 6 });
    assert.equal(utf8Decode(await store.get("changelog/LATEST")), "13");
    assert.equal(utf8Decode(await store.get("changelog/EARLIEST")), "7");
    // Three more commits' worth of retention: the next call with max 5 leaves 12..13.
    await expireDecoupled(store, schema, retention({ "changelog.num-retained.min": "5", "changelog.num-retained.max": "5" }), range(14, 16), range(12, 13), false);
  });

  test("producer none: delta lists and APPEND files stay with their changelogs (model)", async () => {
    const { store, schema } = await buildHistory({ seed: 12, steps: 16 });
    const result = await expireDecoupled(store, schema, retention(), range(14, 16), range(7, 13), true);
    assert.deepEqual({ s: result.expiredSnapshots, c: result.expiredChangelogs }, { s: 13, c: 6 });
    await expireDecoupled(store, schema, retention({ "changelog.num-retained.min": "4", "changelog.num-retained.max": "4" }), range(14, 16), range(13, 13), true);
  });

  test("time retention decouples too; a young changelog stops changelog expiration", async () => {
    // Snapshot n is at START + (n-1) min; now = START + 12 min. Snapshots: keep 2 (time 1 ms).
    const nowMs = HISTORY_START_MS + 12 * 60_000;
    const base = { "snapshot.num-retained.min": "2", "snapshot.num-retained.max": "2", "snapshot.time-retained": "1 ms", "changelog.time-retained": "5 min" };
    // Only the time decouples: the changelog counts default to the snapshot ones (max 2), so
    // changelogs below L - 2 + 1 = 11 go whatever their age, except the newest (10) that stays.
    const a = await buildHistory({ seed: 13, steps: 12, changelog: true, tableOptions: { "changelog-producer": "input" } });
    const ra = await expireSnapshots(a.store, a.schema, { nowMs: () => nowMs, options: base });
    assert.deepEqual(await listSnapshotIds(a.store), range(11, 12));
    assert.deepEqual([...(await readChangelogs(a.store)).keys()], [10n]);
    assert.deepEqual({ s: ra.expiredSnapshots, c: ra.expiredChangelogs }, { s: 10, c: 9 });
    await assertNeedsPresent(a.store, a.schema, false);
    // With max 100 the time rules: the first changelog not older than now - 5 min (id 8) stops it.
    const b = await buildHistory({ seed: 13, steps: 12, changelog: true, tableOptions: { "changelog-producer": "input" } });
    const rb = await expireSnapshots(b.store, b.schema, { nowMs: () => nowMs, options: { ...base, "changelog.num-retained.max": "100" } });
    assert.deepEqual([...(await readChangelogs(b.store)).keys()], range(8, 10));
    assert.deepEqual({ s: rb.expiredSnapshots, c: rb.expiredChangelogs }, { s: 10, c: 7 });
    await assertNeedsPresent(b.store, b.schema, false);
  });

  test("expire.limit bounds both; repeated calls converge without breaking retained changelogs or tags", async () => {
    for (const producerNone of [false, true]) {
      const { store, schema } = await buildHistory({ seed: 14, steps: 18, changelog: !producerNone, tableOptions: producerNone ? {} : { "changelog-producer": "input" } });
      const tagged = [4n, 9n];
      const tags = [await createTag(store, "t4", 4n), await createTag(store, "t9", 9n)];
      const reference = await copyStore(store);
      const options = retention({ "snapshot.expire.limit": "2" });
      let calls = 0;
      for (;;) {
        const r = await expireSnapshots(store, schema, { nowMs: LATER, options });
        await assertNeedsPresent(store, schema, producerNone, tagged, tags);
        calls++;
        if (r.expiredSnapshots === 0 && r.expiredChangelogs === 0) break;
        assert.ok(r.expiredSnapshots <= 2 && r.expiredChangelogs <= 2, `call ${calls}: at most 2 of each`);
      }
      assert.ok(calls >= 8, `converged after ${calls} calls`);
      assert.deepEqual(await listSnapshotIds(store), range(16, 18));
      // Changelog L - 10 + 1 = 9 onwards stay (limit 2 per call from the earliest changelog).
      assert.deepEqual([...(await readChangelogs(store)).keys()], range(9, 15));
      // One unbounded call on the copy reaches the same table state.
      await expireSnapshots(reference, schema, { nowMs: LATER, options: retention() });
      assert.deepEqual([...await pathsOf(store)].sort(), [...await pathsOf(reference)].sort(), `producer ${producerNone ? "none" : "input"}: same files`);
    }
  });
});

describe("consumers", () => {
  test("a consumer protects its changelog and later ones; consumer.changelog-only releases snapshots", async () => {
    for (const changelogOnly of [true, false]) {
      const { store, schema } = await buildHistory({ seed: 15, steps: 16, changelog: true, tableOptions: { "changelog-producer": "input" } });
      await writeConsumer(store, "c", { nextSnapshot: 4n });
      const options = retention({ "consumer.changelog-only": String(changelogOnly) });
      if (changelogOnly) {
        // Snapshots ignore the consumer; changelog expiry stops at its next snapshot 4.
        await expireDecoupled(store, schema, options, range(14, 16), range(4, 13), false);
      } else {
        // Snapshots 4.. stay; changelogs 1..3 were written, [1, min(7, 4, latest 3)) = 1..2 expire.
        await expireDecoupled(store, schema, options, range(4, 16), [3n], false);
      }
    }
  });
});

describe("failures", () => {
  test("a failed delete stops before the changelog file goes; the next call finishes the job", async () => {
    const { store, schema } = await buildHistory({ seed: 16, steps: 14, changelog: true, tableOptions: { "changelog-producer": "input" } });
    const options = retention();
    // First call: snapshots 1..11 become changelogs; changelogs 1..4 expire ([1, min(5, 11))).
    const reference = await copyStore(store);
    await expireSnapshots(reference, schema, { nowMs: LATER, options });
    // Fail the first changelog-file delete of the changelog phase (after the snapshot phase wrote snapshot/EARLIEST).
    const probe = new FaultStore(await copyStore(store));
    await expireSnapshots(probe, schema, { nowMs: LATER, options });
    const writes = probe.writeLog;
    const hint = writes.findIndex((w) => w.path === "snapshot/EARLIEST");
    const firstChangelogDelete = writes.findIndex((w) => w.index > hint && w.op === "delete" && /\/changelog-/.test(w.path));
    assert.ok(hint > 0 && firstChangelogDelete > hint, "changelog expiration deletes changelog files after the snapshot phase");
    const faulty = new FaultStore(store, [{ writeIndex: firstChangelogDelete, kind: FaultKind.FAIL }]);
    await assert.rejects(expireSnapshots(faulty, schema, { nowMs: LATER, options }), (e: unknown) => e instanceof LakeError && e.code === "io" && /next expire call/.test(e.message));
    assert.deepEqual([...(await readChangelogs(store)).keys()], range(1, 11), "no changelog file deleted");
    await assertNeedsPresent(store, schema, false);
    await expireSnapshots(store, schema, { nowMs: LATER, options });
    assert.deepEqual([...await pathsOf(store)].sort(), [...await pathsOf(reference)].sort());
  });
});
