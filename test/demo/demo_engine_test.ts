// Goal: the web demo's engine (web-demo/src/engine/) computes what the page shows correctly and
// resumes after a restart, independent of the browser: both workloads over MemoryStores,
// stepped with `tick` (no timer loop), checked against the examples' brute-force models
// (refund_tags/model.ts recomputed on the processed prefix of the event stream;
// cumulative_metrics/model.ts for the chosen buyer's per-day totals and the kept partitions).
// Method: open, run a few steps, close, reopen on the same stores (the "reload"), check that the
// generator, the job's batch and the consumer's position survived; then export a table as a ZIP
// and read it back, import it, and feed a corrupt archive (LakeError corruption).
import { assert, test } from "../harness.ts";
import { MemoryStore, openTable, type ObjectStore } from "../../src/mod.ts";
import { setFastParquetSource } from "../../src/format/data/parquet_arrow_reader.ts";
import { unzipEntries } from "../../src/util/zip.ts";
import { parquetWasmBytes } from "../unit/table/fast_read_helpers.ts";
import { RepeatingEventStream } from "../../examples/refund_tags/events.ts";
import { runModel, pairKey } from "../../examples/refund_tags/model.ts";
import { MetricsModel, commitOrders, dayStartMs } from "../../examples/cumulative_metrics/model.ts";
import { DemoEngine } from "../../web-demo/src/engine/demo_engine.ts";
import { BATCH_SIZE, PERIOD_EVENTS, SEED } from "../../web-demo/src/engine/refund_driver.ts";
import { COMMITS_PER_DAY, FIRST_DAY_MS, GENERATE, METRICS_TABLE_ID } from "../../web-demo/src/engine/metrics_driver.ts";

setFastParquetSource(parquetWasmBytes);

interface Stores { warehouse: MemoryStore; stateStore: MemoryStore; lookupCache: MemoryStore }

function freshStores(): Stores {
  return { warehouse: new MemoryStore(), stateStore: new MemoryStore(), lookupCache: new MemoryStore() };
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Expected tag and dict of each pair after the first `processed` events (brute-force model). */
function refundModel(processed: number) {
  const events = new RepeatingEventStream(PERIOD_EVENTS, SEED).slice(0, processed);
  const model = runModel(events);
  const lastTag = new Map<string, string>();
  for (const e of events) lastTag.set(pairKey(e.buyer, e.seller), model.expectedTags[e.seq]!);
  return { lastTag, rows: model.expectedRows };
}

/** Per-day orders and GMV of `buyer` after `commits` commits, on the days in `kept`. */
function metricsModel(commits: number, buyer: bigint, kept: readonly string[]): { ds: string; orders: number; gmv: number }[] {
  const model = new MetricsModel();
  for (let k = 1; k <= commits; k++) {
    const day = Math.floor((k - 1) / COMMITS_PER_DAY), c = (k - 1) % COMMITS_PER_DAY;
    model.commit(commitOrders(GENERATE, day, c, dayStartMs(FIRST_DAY_MS, day)));
  }
  return kept.map((ds) => {
    const t = model.buyerWindow(buyer, ds, ds, new Set(kept));
    return { ds, orders: Number(t.count), gmv: t.gmv };
  }).filter((d) => d.orders > 0);
}

test("the demo engine's figures match the models and survive a restart", async () => {
  const stores = freshStores();
  let engine = await DemoEngine.open(stores);
  engine.refund.running = true;
  engine.refund.setRate(2_000);
  engine.metrics.running = true;
  engine.metrics.setSpeed(2 * 86_400_000); // two simulated days a second
  for (let i = 0; i < 6; i++) await engine.tick(500); // 6000 events generated, 3 s of simulated 2 days/s
  let stats = engine.stats();
  assert.ok(stats.errors.length === 0, stats.errors.join("\n"));
  assert.ok(stats.refund.committedBatches >= 4, `committed ${stats.refund.committedBatches} batches`);
  assert.equal(stats.refund.processed, stats.refund.committedBatches * BATCH_SIZE);
  const expected = refundModel(stats.refund.processed);
  assert.equal(stats.refund.watched.length, 5);
  for (const w of stats.refund.watched) {
    const key = pairKey(w.buyer, w.seller);
    assert.equal(w.tag, expected.lastTag.get(key) ?? "", `tag of ${w.buyer}/${w.seller}`);
    const dict = w.orders.map((o) => `${o.orderId}:${o.payMs}_${o.refunded ? 1 : 0}`).join(",");
    assert.equal(dict, expected.rows.get(key) ?? "", `orders of ${w.buyer}/${w.seller}`);
  }
  assert.ok(stats.refund.watched.some((w) => w.orders.length > 0), "a watched pair has orders");

  const m = stats.metrics;
  assert.ok(m.commits >= 6, `metrics commits ${m.commits}`);
  assert.deepEqual(m.buyerDays, metricsModel(m.commits, BigInt(m.buyer), m.partitions));
  assert.ok(m.partitions.length >= 1 && m.partitions.length <= 8, `partitions ${m.partitions}`);
  await waitFor("the changelog consumer", () => engine.stats().metrics.consumerLastAcked >= 2);
  stats = engine.stats();
  assert.equal(stats.metrics.consumerResumedFrom, null);
  const firstChangelog = (await engine.inspect(METRICS_TABLE_ID)).snapshots.find((s) => (s.changelogRecords ?? 0) > 0)!;
  assert.equal(stats.metrics.consumerFirstDelivered, firstChangelog.id, "the consumer started at the first snapshot with changelog");
  assert.ok(stats.metrics.changelogKinds["-U"]! > 0 && stats.metrics.changelogKinds["-U"] === stats.metrics.changelogKinds["+U"], JSON.stringify(stats.metrics.changelogKinds));
  const acked = stats.metrics.consumerLastAcked;
  const before = stats;
  await engine.close();

  // The "reload": a new engine on the same stores.
  engine = await DemoEngine.open(stores);
  stats = engine.stats();
  assert.equal(stats.refund.committedBatches, before.refund.committedBatches);
  assert.equal(stats.refund.generated, before.refund.generated);
  assert.equal(stats.refund.running, true);
  assert.deepEqual(stats.refund.watched, before.refund.watched);
  assert.equal(stats.metrics.commits, before.metrics.commits);
  assert.equal(stats.metrics.consumerResumedFrom, acked + 1);
  assert.ok(stats.refund.recovery.some((line) => line.includes(`last commit identifier ${before.refund.committedBatches}`)), stats.refund.recovery.join("\n"));
  for (let i = 0; i < 3; i++) await engine.tick(500);
  stats = engine.stats();
  assert.ok(stats.refund.committedBatches > before.refund.committedBatches);
  const again = refundModel(stats.refund.processed);
  for (const w of stats.refund.watched) assert.equal(w.tag, again.lastTag.get(pairKey(w.buyer, w.seller)) ?? "");
  if (stats.metrics.commits > before.metrics.commits) {
    await waitFor("the resumed consumer", () => engine.stats().metrics.consumerFirstDelivered !== null);
    assert.ok(engine.stats().metrics.consumerFirstDelivered! >= acked + 1, "the consumer resumed after its stored position");
  }

  // Inspector, SQL, export, import.
  const inspected = await engine.inspect(METRICS_TABLE_ID);
  assert.deepEqual(inspected.partitionKeys, ["ds"]);
  assert.ok(inspected.files.length > 0 && inspected.snapshots.length > 0);
  const [result] = await engine.sql("SELECT test_buyer_id FROM `paimon-db`.test_dws_pay_refund");
  assert.equal(result!.kind, "rows");
  const zip = await engine.exportTable("paimon-db.test_dws_pay_refund");
  const exported = new MemoryStore();
  for (const e of await unzipEntries(zip)) await exported.put(e.path, e.bytes);
  const table = await openTable(exported as ObjectStore);
  let rowCount = 0;
  for await (const _ of table.rows()) rowCount++;
  assert.equal(rowCount, result!.rowCount);
  assert.ok(rowCount > 100, `${rowCount} rows`);
  const id = await engine.importTable("copy.zip", zip);
  assert.equal(id, "imported.copy");
  assert.equal((await engine.inspect(id)).files.length, (await engine.inspect("paimon-db.test_dws_pay_refund")).files.length);
  await assert.rejects(engine.importTable("bad", new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9])), (e: unknown) => (e as { code?: string }).code === "corruption");
  await engine.close();
});
