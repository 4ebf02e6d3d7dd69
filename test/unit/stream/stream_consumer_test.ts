// Goal: consumers, expiry and cancellation behave as stream_read.ts documents:
//  - a consumer killed at any point (after receiving an item, after asking for the next one, in
//    the middle of a poll, before or after acknowledging a full starting read) and restarted
//    sees every change from its stored position: no gap, and a repeat only of the one item it
//    received but had not acknowledged; progress is `consumer/consumer-<id>` as Java stores it;
//  - snapshot expiration keeps what a consumer has not read, so a restart after expiry is whole;
//  - a next snapshot that expired fails with LakeError("not_found") naming it and how to
//    restart, never skipping; a stored consumer position that expired fails the same way;
//  - return() and an AbortSignal end a pending next() at once (even with a 60 s poll
//    interval), leave no timer behind and write nothing afterwards.
// Method: random histories from stream_helpers.ts; "killing" is dropping the iterator after
// return() (what a dead process leaves is only the consumer file); every run's delivered items
// are compared with the model's deltas.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { decodeConsumer } from "../../../src/spec/consumer.ts";
import { utf8Decode } from "../../../src/util/bytes.ts";
import { READ_AHEAD_SNAPSHOTS } from "../../../src/stream/read_ahead.ts";
import { openChangeStream } from "../../../src/stream/stream_read.ts";
import { readConsumer, writeConsumer } from "../../../src/table/consumer_manager.ts";
import {
  batchItem, expectedDeltas, expectedFullThenDeltas, growPkHistory, makeStreamTable, nextWithin, pkDef, take, within,
  type ItemText, type ModelSnapshot,
} from "./stream_helpers.ts";

const POLL_MS = 5;

async function pkHistory(seed: number, commits: number) {
  const st = await makeStreamTable(pkDef());
  const model: ModelSnapshot[] = [];
  await growPkHistory(st, model, seed, commits);
  return { st, model };
}

describe("consumer progress", () => {
  test("stored as Java stores it, written when the next item is asked for", async () => {
    const { st, model } = await pkHistory(31, 4);
    const stream = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 2n, consumerId: "c1", pollIntervalMs: POLL_MS, columnar: false });
    const expected = expectedDeltas(model, 2n);
    const [first] = await take(stream, 1, batchItem);
    assert.deepEqual(first, expected[0]);
    // Written at start (the first snapshot to read), not yet acknowledged past it.
    assert.equal(utf8Decode(await st.store.get("consumer/consumer-c1")), '{\n  "nextSnapshot" : 2\n}');
    await take(stream, 1, batchItem);
    assert.equal((await readConsumer(st.store, "c1"))!.nextSnapshot, expected[0]!.snapshotId + 1n, "asking for item 2 acknowledged item 1");
    await stream.acknowledge();
    assert.equal((await readConsumer(st.store, "c1"))!.nextSnapshot, expected[1]!.snapshotId + 1n, "acknowledge() writes at once");
    await stream.return();
  });

  test("passed-over snapshots (COMPACT) advance the stored position before the stream sleeps", async () => {
    const { st, model } = await pkHistory(32, 4); // ends with a COMPACT snapshot
    assert.equal(model.at(-1)!.commitKind, "COMPACT");
    const stream = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, consumerId: "c", pollIntervalMs: POLL_MS, columnar: false });
    const expected = expectedDeltas(model, 1n);
    await take(stream, expected.length, batchItem);
    assert.equal(await nextWithin(stream, 8 * POLL_MS), "timeout");
    assert.equal((await readConsumer(st.store, "c"))!.nextSnapshot, model.at(-1)!.id + 1n);
    await stream.return();
  });

  test("killed at every point and restarted: every change from the stored position, a repeat only of the unacknowledged item", async () => {
    const { st, model } = await pkHistory(33, 8);
    const all = expectedDeltas(model, 1n);
    const open = () => openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, consumerId: "k", pollIntervalMs: POLL_MS, columnar: false });
    for (let received = 1; received <= all.length; received++) {
      for (const kill of ["after-receive", "after-acknowledge", "while-asking"] as const) {
        await st.store.delete("consumer/consumer-k");
        const first = open();
        const seen: ItemText[] = await take(first, received, batchItem);
        if (kill === "after-acknowledge") await first.acknowledge();
        if (kill === "while-asking") {
          const pending = first.next(); // acknowledges the last item, then polls (or reads the next)
          await new Promise((r) => setTimeout(r, 2 * POLL_MS));
          await first.return();
          const r = await pending;
          if (r.done !== true) seen.push(batchItem(r.value)); // it came before the kill: received, not acknowledged
        } else {
          await first.return();
        }
        const rest = all.length - seen.length + (kill === "after-receive" || (kill === "while-asking" && seen.length > received) ? 1 : 0);
        const second = open();
        const resumed = await take(second, rest, batchItem);
        assert.equal(await nextWithin(second, 4 * POLL_MS), "timeout");
        await second.return();
        const repeated = kill === "after-receive" || seen.length > received;
        assert.deepEqual(resumed[0], repeated ? seen.at(-1) : all[seen.length], `kill ${kill} after ${received}: resumes at the right item`);
        assert.deepEqual([...seen, ...resumed.slice(repeated ? 1 : 0)], all, `kill ${kill} after ${received}: nothing lost, nothing else repeated`);
      }
    }
  });

  test("latest-full with a consumer: a full read not acknowledged is read again, an acknowledged one is not", async () => {
    const { st, model } = await pkHistory(34, 3);
    const latest = model.at(-1)!.id;
    const full = expectedFullThenDeltas(model, latest)[0]!;
    const a = openChangeStream(st.table, { consumerId: "f", pollIntervalMs: POLL_MS, columnar: false });
    assert.deepEqual(await take(a, 1, batchItem), [full]);
    await a.return();
    assert.equal(await readConsumer(st.store, "f"), null, "nothing stored before the full read is acknowledged");
    const b = openChangeStream(st.table, { consumerId: "f", pollIntervalMs: POLL_MS, columnar: false });
    assert.deepEqual(await take(b, 1, batchItem), [full]);
    await b.acknowledge();
    await b.return();
    await growPkHistory(st, model, 35, 2);
    const c = openChangeStream(st.table, { consumerId: "f", pollIntervalMs: POLL_MS, columnar: false });
    assert.deepEqual(await take(c, expectedDeltas(model, latest + 1n).length, batchItem), expectedDeltas(model, latest + 1n), "resumes with the deltas after the full read");
    await c.return();
  });

  test("consumer.ignore-progress starts from the scan mode; a stored position wins over the scan mode otherwise", async () => {
    const { st, model } = await pkHistory(36, 5);
    await writeConsumer(st.store, "g", { nextSnapshot: 3n });
    const resumed = openChangeStream(st.table, { scanMode: "latest", consumerId: "g", pollIntervalMs: POLL_MS, columnar: false });
    assert.deepEqual(await take(resumed, expectedDeltas(model, 3n).length, batchItem), expectedDeltas(model, 3n));
    await resumed.return();
    await writeConsumer(st.store, "g", { nextSnapshot: 3n });
    const ignoring = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 5n, consumerId: "g", pollIntervalMs: POLL_MS, columnar: false, options: { "consumer.ignore-progress": "true" } });
    assert.deepEqual(await take(ignoring, expectedDeltas(model, 5n).length, batchItem), expectedDeltas(model, 5n));
    await ignoring.return();
  });

  test("expiration keeps what a consumer has not read: a restart after expiring reads everything", async () => {
    const { st, model } = await pkHistory(37, 8);
    const all = expectedDeltas(model, 1n);
    const a = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, consumerId: "e", pollIntervalMs: POLL_MS, columnar: false });
    const seen = await take(a, 2, batchItem);
    await a.acknowledge();
    await a.return();
    const expired = await st.expire(1);
    assert.ok(expired > 0, "some snapshots expired");
    assert.equal((await st.table.snapshots())[0]!.id, seen[1]!.snapshotId + 1n, "expiration stopped at the consumer's position");
    const b = openChangeStream(st.table, { scanMode: "latest", consumerId: "e", pollIntervalMs: POLL_MS, columnar: false });
    assert.deepEqual([...seen, ...await take(b, all.length - 2, batchItem)], all);
    await b.return();
  });
});

describe("expired snapshots", () => {
  test("a stream whose next snapshot expired fails naming it and how to restart, never skipping", async () => {
    const { st, model } = await pkHistory(41, 12);
    const stream = openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, pollIntervalMs: POLL_MS, columnar: false });
    const delivered = await take(stream, 1, batchItem);
    await st.expire(2);
    const earliest = (await st.table.snapshots())[0]!.id;
    assert.ok(earliest > delivered[0]!.snapshotId + BigInt(READ_AHEAD_SNAPSHOTS) + 1n, "more snapshots expired than the read-ahead holds");
    // What the read-ahead already held may still come (it was read before expiring); then the
    // first snapshot the stream cannot read fails it.
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
    assert.ok(m !== null && /latest-full/.test(failure.message) && /consumer id/.test(failure.message), failure.message);
    const missing = BigInt(m[1]!);
    assert.ok(missing < earliest, "the named snapshot is gone");
    assert.deepEqual(delivered, expectedDeltas(model, 1n).filter((x) => x.snapshotId < missing), "no change before it was skipped");
    assert.deepEqual(await stream.next(), { done: true, value: undefined }, "the stream ended with the error");
  });

  test("a consumer whose stored position expired fails at start and names the consumer to reset", async () => {
    const { st } = await pkHistory(42, 6);
    await st.expire(2);
    await writeConsumer(st.store, "old", { nextSnapshot: 1n });
    const stream = openChangeStream(st.table, { consumerId: "old", pollIntervalMs: POLL_MS, columnar: false });
    await assert.rejects(within(stream.next(), 5000, "the start"), (e: unknown) => e instanceof LakeError && e.code === "not_found" && /reset consumer 'old'/.test(e.message));
  });

  test("a next snapshot far beyond the latest (the table was recreated) is an error, not a wait", async () => {
    const { st, model } = await pkHistory(43, 2);
    await writeConsumer(st.store, "far", { nextSnapshot: model.at(-1)!.id + 5n });
    const stream = openChangeStream(st.table, { consumerId: "far", pollIntervalMs: POLL_MS, columnar: false });
    await assert.rejects(within(stream.next(), 5000, "the first look"), /recreated/);
  });
});

function activeTimers(): number | null {
  const p = (globalThis as { process?: { getActiveResourcesInfo?: () => string[] } }).process;
  if (typeof p?.getActiveResourcesInfo !== "function" || "Deno" in globalThis) return null;
  return p.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

describe("cancellation", () => {
  test("return() and abort end a pending next() at once, even with a 60 s poll interval, leaving no timer", async () => {
    const st = await makeStreamTable(pkDef());
    await st.upsert([{ k: 1, v: "a" }]);
    const timersBefore = activeTimers();
    for (const how of ["return", "abort"] as const) {
      const controller = new AbortController();
      const stream = openChangeStream(st.table, { scanMode: "latest", pollIntervalMs: 60_000, consumerId: `x-${how}`, signal: controller.signal, columnar: false });
      const pending = stream.next();
      await new Promise((r) => setTimeout(r, 30)); // the stream is asleep in its poll
      const t0 = performance.now();
      if (how === "return") assert.deepEqual(await stream.return(), { done: true, value: undefined });
      else controller.abort();
      assert.deepEqual(await pending, { done: true, value: undefined });
      assert.ok(performance.now() - t0 < 50, `${how}: ended in ${performance.now() - t0} ms`);
      assert.deepEqual(await stream.next(), { done: true, value: undefined });
      // Nothing is written after the end (only the start position was, before).
      const before = await st.store.get(`consumer/consumer-x-${how}`);
      await st.upsert([{ k: 2, v: how }]);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(await st.store.get(`consumer/consumer-x-${how}`), before);
      assert.equal(decodeConsumer(utf8Decode(before)).nextSnapshot > 0n, true);
    }
    const timersAfter = activeTimers();
    if (timersBefore !== null) assert.equal(timersAfter, timersBefore, "no poll timer left behind");
  });

  test("an already aborted signal ends the stream before it reads; break in for-await ends it without acknowledging", async () => {
    const st = await makeStreamTable(pkDef());
    await st.upsert([{ k: 1, v: "a" }]);
    await st.upsert([{ k: 2, v: "b" }]);
    const aborted = AbortSignal.abort();
    const stream = openChangeStream(st.table, { signal: aborted, pollIntervalMs: POLL_MS, columnar: false });
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
    let n = 0;
    for await (const batch of openChangeStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, consumerId: "b", pollIntervalMs: POLL_MS, columnar: false })) {
      n++;
      assert.equal(batch.snapshotId, 1n);
      break;
    }
    assert.equal(n, 1);
    assert.equal((await readConsumer(st.store, "b"))!.nextSnapshot, 1n, "break does not acknowledge snapshot 1");
  });
});
