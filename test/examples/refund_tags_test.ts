// Goal: the main job (examples/refund-tags.ts) runs end to end on a filesystem warehouse in this
// runtime, survives kills at the commit point and right after a commit without applying a batch
// twice or losing a publication, and its checks really catch wrong answers.
// Method: run `main` at small scale and `runRefundTags` with kills aimed at the snapshot's
// conditional create (landed and not landed) on temporary directories, and read the reports; the
// job's own verdict compares every tag and row with the brute-force model and the snapshot
// history with one APPEND per batch. Separately, replay generated events through the order-dict
// logic in memory against the model, and feed the checkers deliberately wrong tags and rows.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, test } from "../harness.ts";
import { main, parseRunArgs, runRefundTags, UsageError } from "../../examples/refund-tags.ts";
import { generateEvents } from "../../examples/refund_tags/events.ts";
import { pairKey, runModel } from "../../examples/refund_tags/model.ts";
import { addOrder, formatOrderDict, parseOrderDict, refundOrder, tagOf, type OrderEntry } from "../../examples/refund_tags/order_dict.ts";
import { checkTags, percentile } from "../../examples/refund_tags/report.ts";

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "refund-tags-test-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("refund-tags main: small run with two kills verifies OK against the model", async () => {
  await withDir(async (dir) => {
    const lines: string[] = [];
    const report = await main(["--events", "1200", "--batch", "200", "--seed", "7", "--warehouse", dir], (l) => lines.push(l));
    assert.deepEqual(report.problems, [], lines.join("\n"));
    assert.equal(report.ok, true);
    assert.equal(report.events, 1200);
    assert.equal(report.kills.length, 2, lines.join("\n"));
    // The first kill lands between a commit and its publication: the restart must replay it and
    // show the retried commit as a no-op.
    assert.match(report.recoveries.join("\n"), /commit\(\{ identifier: \d+ \}\) again was a no-op/);
    assert.ok(report.eventsPerSecond > 0);
    assert.ok(lines.some((l) => /^lookup getMany .* per call p50 [\d.]+ ms, p99 [\d.]+ ms; per key p50/.test(l)), lines.join("\n"));
    assert.ok(lines.some((l) => /^OK: all 1200 tags and \d+ rows match/.test(l)), lines.join("\n"));
  });
});

test("refund-tags: kills at the snapshot's conditional create, landed or not, never apply a batch twice", async () => {
  await withDir(async (dir) => {
    const lines: string[] = [];
    const report = await runRefundTags({
      events: 800, batch: 200, seed: 11, kills: 0, warehouse: join(dir, "warehouse"), lookupCache: join(dir, "lookup-cache"),
      killPlan: [{ batchNo: 2, at: { kind: "snapshot", landed: true } }, { batchNo: 3, at: { kind: "snapshot", landed: false } }],
    }, (l) => lines.push(l));
    assert.deepEqual(report.problems, [], lines.join("\n"));
    assert.equal(report.kills.length, 2);
    assert.match(report.kills[0]!, /putIfAbsent .*snapshot\/snapshot-\d+ \(landed\)/);
    assert.match(report.kills[1]!, /putIfAbsent .*snapshot\/snapshot-\d+ \(not written\)/);
    // Landed: batch 2 is in the table but unpublished, so it is replayed with a no-op commit.
    assert.match(report.recoveries[0]!, /batch 2 was committed .* no-op/);
    // Not written: batch 3 is not in the table, so the new instance simply runs it again.
    assert.match(report.recoveries[1]!, /last commit is batch 2, tags published up to batch 2: resume at batch 3/);
    // With a lookup cache, restarted instances reuse bucket indexes persisted by the dead ones.
    const restored = /buckets loaded \d+ \((\d+) restored from the local store\)/.exec(lines.join("\n"));
    assert.ok(restored !== null && Number(restored[1]) > 0, lines.join("\n"));
  });
});

test("order dict updates agree with the brute-force model over a generated stream", () => {
  const events = generateEvents(6000, 3);
  const model = runModel(events);
  assert.ok(model.pairsOverKept > 0, "some pairs get more than 10 orders");
  assert.ok(model.refundsOfEvictedOrders > 0, "some refunds find their order evicted");
  assert.ok(events.some((e) => e.kind === "refund" && e.atMs - e.payMs > 180 * 86_400_000), "some refunds come half a year later");
  assert.ok(model.expectedTags.some((t) => t === ""), "some pairs have every kept order refunded");
  const dicts = new Map<string, string>();
  let seqOk = true;
  events.forEach((e, i) => {
    seqOk &&= e.seq === i;
    const key = pairKey(e.buyer, e.seller);
    const entries: OrderEntry[] = parseOrderDict(dicts.get(key) ?? null);
    if (e.kind === "order") addOrder(entries, e.orderId, e.payMs); else refundOrder(entries, e.orderId);
    dicts.set(key, formatOrderDict(entries));
    assert.equal(tagOf(entries), model.expectedTags[i], `tag of event ${i}`);
  });
  assert.ok(seqOk);
  assert.deepEqual(new Map([...dicts].sort()), new Map([...model.expectedRows].sort()));
  // Same seed, same stream; another seed, another stream.
  assert.deepEqual(generateEvents(6000, 3), events);
  assert.notDeepEqual(generateEvents(6000, 4), events);
});

test("order dict format: newest first, ten kept, malformed entries rejected", () => {
  const entries: OrderEntry[] = [];
  for (let i = 0; i < 12; i++) addOrder(entries, `o${i}`, 1000 + i);
  assert.equal(entries.length, 10);
  assert.equal(formatOrderDict(entries).split(",")[0], "o11:1011_0");
  assert.equal(addOrder(entries, "o0", 1000), false, "an order older than the kept ten changes nothing");
  assert.equal(refundOrder(entries, "o1"), false, "evicted");
  assert.equal(refundOrder(entries, "o11"), true);
  assert.equal(tagOf(entries), "1010");
  assert.deepEqual(parseOrderDict(formatOrderDict(entries)), entries);
  assert.throws(() => parseOrderDict("o1:12x_0"), /malformed entry/);
  assert.throws(() => parseOrderDict("o1:12_2"), /malformed entry/);
});

test("the tag check reports a wrong, missing or reordered tag", () => {
  const events = generateEvents(300, 5);
  const model = runModel(events);
  const good = events.map((e, i) => ({ seq: e.seq, buyer: e.buyer, seller: e.seller, tag: model.expectedTags[i]! }));
  assert.deepEqual(checkTags(events, good, model), []);
  const wrong = good.map((e, i) => (i === 17 ? { ...e, tag: e.tag === "" ? "1" : "" } : e));
  assert.match(checkTags(events, wrong, model).join("\n"), /event 17 /);
  assert.match(checkTags(events, good.slice(1), model).join("\n"), /published 299 tags for 300 events/);
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([5, 1, 4, 2, 3], 99), 5);
});

test("refund-tags arguments: defaults, values and usage errors", () => {
  assert.deepEqual(parseRunArgs([]), { events: 10000, batch: 2000, seed: 42, kills: 2, warehouse: null });
  assert.deepEqual(parseRunArgs(["--events=50", "--batch", "10", "--warehouse", "w"]), { events: 50, batch: 10, seed: 42, kills: 2, warehouse: "w" });
  assert.equal(parseRunArgs(["--help"]), null);
  assert.equal(parseRunArgs(["--lookup-cache", "c"])!.lookupCache, "c");
  assert.throws(() => parseRunArgs(["--events", "0"]), UsageError);
  assert.throws(() => parseRunArgs(["--nope"]), /unknown argument "--nope"/);
  assert.throws(() => parseRunArgs(["--seed"]), /--seed needs a value/);
});
