// Goal: the lookup's resource behaviour: (1) with keys covering the bucket key a lookup reads
// only the data files of the buckets its probes hash to; (2) persisted indexes are reused after
// a "restart" (a new lookup on the same localStore reads no data file when nothing changed),
// stale ones are rebuilt after a write, corrupt ones are rebuilt with a warning; (3) under a
// small cacheBytesMax buckets are evicted and answers stay right; (4) "latest" follows a newer
// partition on refresh; (5) get/getMany refresh on their own when refreshIntervalMs is 0.
// Method: MemoryStore tables through the real writer, a store wrapper recording read paths,
// Java's bucket function (spec/bucket.ts) to know which bucket directory a key lives in.
import { describe, test, assert, seededRandom } from "../../harness.ts";
import { Table } from "../../../src/api/table.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { fixedBucket } from "../../../src/spec/bucket.ts";
import { parseTypeString } from "../../../src/spec/data_types.ts";
import { field, keyText, makeTable, RecordingStore, rowText, scanByKey, StreamTable } from "./lookup_helpers.ts";

const COLUMNS = ["id", "v"];

async function bigTable(bucketCount: number, rowCount: number, store = new MemoryStore()) {
  const { table, schema } = await makeTable({
    fields: [field(0, "id", "BIGINT NOT NULL"), field(1, "v", "STRING")], primaryKeys: ["id"], options: { bucket: String(bucketCount) },
  }, store);
  const t = new StreamTable(store, schema, table);
  await t.upsert(Array.from({ length: rowCount }, (_, i) => ({ id: BigInt(i), v: `v${i}` })));
  return t;
}

describe("lookup store reads, persistence and eviction", () => {
  test("keys covering the bucket key read only the probed buckets' files", async () => {
    const t = await bigTable(8, 400);
    const recording = new RecordingStore(t.store);
    const table = await Table.open(recording);
    const lookup = await table.newLookup({ onWarning: () => {} });
    recording.clear();
    const probes = [5n, 77n, 301n];
    const got = await lookup.getMany(probes.map((id) => [id]));
    assert.deepEqual(got.map((r) => r?.["v"]), ["v5", "v77", "v301"]);
    const buckets = new Set(probes.map((id) => fixedBucket([parseTypeString("BIGINT")], [id], 8)));
    const dirs = new Set(recording.dataReads().map((p) => p.split("/")[0]));
    assert.ok(dirs.size > 0 && dirs.size <= buckets.size, `read ${[...dirs].join(",")}`);
    assert.deepEqual([...dirs].sort(), [...buckets].map((b) => `bucket-${b}`).sort());
    // A second round on loaded buckets reads nothing more.
    recording.clear();
    const again = await lookup.getMany(probes.map((id) => [id]));
    assert.deepEqual(again.map((r) => r?.["v"] ?? null), ["v5", "v77", "v301"]);
    assert.deepEqual(recording.dataReads(), []);
  });

  test("persisted indexes: reused after restart, rebuilt when stale, rebuilt with a warning when corrupt", async () => {
    const t = await bigTable(2, 300);
    const local = new MemoryStore();
    const recording = new RecordingStore(t.store);
    const first = await (await Table.open(recording)).newLookup({ localStore: local, onWarning: () => {} });
    const probes = Array.from({ length: 50 }, (_, i) => [BigInt(i * 7)]);
    const before = await first.getMany(probes);
    assert.ok(first.stats().indexesPersisted >= 1);
    await first.close();

    recording.clear();
    const second = await (await Table.open(recording)).newLookup({ localStore: local, onWarning: () => {} });
    const after = await second.getMany(probes);
    assert.deepEqual(after.map((r) => rowText(r, COLUMNS)), before.map((r) => rowText(r, COLUMNS)));
    assert.deepEqual(recording.dataReads(), [], "a restart on an unchanged table reads no data file");
    assert.equal(second.stats().indexesRestored, second.stats().bucketsLoaded);

    // A write makes the persisted index stale: a new lookup rebuilds it and sees the new value.
    await t.upsert([{ id: 7n, v: "changed" }]);
    const third = await (await Table.open(t.store)).newLookup({ localStore: local, onWarning: () => {} });
    assert.equal((await third.get([7n]))?.["v"], "changed");

    // Corrupt every persisted file: rebuilt, with a warning, answers still right.
    for (const e of await local.list("")) {
      const bytes = (await local.get(e.path)).slice();
      bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
      await local.put(e.path, bytes);
    }
    const warnings: string[] = [];
    const fourth = await (await Table.open(t.store)).newLookup({ localStore: local, onWarning: (m) => warnings.push(m) });
    assert.equal((await fourth.get([7n]))?.["v"], "changed");
    assert.equal((await fourth.get([8n]))?.["v"], "v8");
    assert.ok(warnings.some((w) => /corrupt/.test(w)), warnings.join("\n"));
    assert.ok(fourth.stats().indexesCorrupt >= 1);
  });

  test("a small cacheBytesMax evicts whole buckets and still answers correctly", async () => {
    const t = await bigTable(6, 600);
    const lookup = await t.table.newLookup({ cacheBytesMax: 2000, onWarning: () => {} });
    const expected = await scanByKey(t.table, ["id"], lookup.snapshotId);
    const rnd = seededRandom(3);
    for (let round = 0; round < 5; round++) {
      const probes = Array.from({ length: 60 }, () => BigInt(Math.floor(rnd() * 700)));
      const got = await lookup.getMany(probes.map((id) => ({ id })));
      for (let i = 0; i < probes.length; i++) {
        assert.equal(rowText(got[i]!, COLUMNS), rowText(expected.get(keyText([probes[i]!]))?.[0] ?? null, COLUMNS));
      }
    }
    const s = lookup.stats();
    assert.ok(s.bucketsEvicted > 0, `evicted ${s.bucketsEvicted}`);
    assert.ok(s.bucketsCached <= 1 || s.bytesCached <= 2000, `cached ${s.bucketsCached} buckets, ${s.bytesCached} bytes`);
  });

  test("latest partition switches on refresh; refreshIntervalMs 0 refreshes every call", async () => {
    const { store, table, schema } = await makeTable({
      fields: [field(0, "ds", "STRING NOT NULL"), field(1, "id", "INT NOT NULL"), field(2, "v", "INT")],
      primaryKeys: ["ds", "id"], partitionKeys: ["ds"], options: { bucket: "2" },
    });
    const t = new StreamTable(store, schema, table);
    await t.upsert([{ ds: "20240101", id: 1, v: 10 }, { ds: "20240102", id: 1, v: 20 }]);
    const lookup = await table.newLookup({ keys: ["id"], partition: "latest", refreshIntervalMs: 0, onWarning: () => {} });
    assert.equal(lookup.unique, true);
    assert.equal((await lookup.get([1]))?.["v"], 20);
    await t.upsert([{ ds: "20240103", id: 1, v: 30 }, { ds: "20240101", id: 2, v: 1 }]);
    assert.equal((await lookup.get([1]))?.["v"], 30, "getMany refreshed on its own and moved to the newer partition");
    assert.equal(await lookup.get([2]), null, "id 2 lives only in an older partition");
    const fixed = await table.newLookup({ keys: ["id"], partition: { ds: "20240101" }, onWarning: () => {} });
    assert.deepEqual((await fixed.getMany([[1], [2]])).map((r) => r?.["v"]), [10, 1]);
    const withPartition = await table.newLookup({ onWarning: () => {} });
    assert.deepEqual((await withPartition.getMany([["20240102", 1], ["20240103", 2], ["20240101", 2]])).map((r) => r?.["v"] ?? null), [20, null, 1]);
    // Dropping a partition (a delete on the partition key) empties its loaded buckets on refresh.
    await table.deleteWhere("ds = '20240101'");
    const r = await withPartition.refresh();
    assert.notEqual(r.mode, "none");
    assert.deepEqual((await withPartition.getMany([["20240102", 1], ["20240101", 2]])).map((x) => x?.["v"] ?? null), [20, null]);
    assert.deepEqual((await fixed.refresh()).mode, "incremental");
    assert.deepEqual((await fixed.getMany([[1], [2]])).map((x) => x?.["v"] ?? null), [null, null]);
  });
});
