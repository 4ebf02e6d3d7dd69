// Goal: partition expiration drops exactly the partitions Java's NormalPartitionExpire drops —
// values-time with a formatter (`yyyyMMdd`), a pattern over several keys (`$dt $hh:00:00`),
// update-time by the last file creation time — sorted and cut to partition.expiration-max-num,
// in batches, each an OVERWRITE snapshot of DELETE entries for every live file of its
// partitions; reads afterwards miss exactly those partitions while older snapshots still read
// them; partitions whose values give no time are kept and reported; the writer-side checker
// runs at most once per check interval; bad options fail at creation naming the option.
// Method: MemoryStore tables written with TableWriter under controlled clocks (local wall
// times built with `new Date(y, m, d, h)`, so the test holds in any time zone), compared with a
// model of rows per partition.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { parquetWriterModule } from "../../../src/format/data/parquet_arrow_reader.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { loadKernel } from "../../../src/kernel/mod.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import { logicalPartitionType, type TableSchema } from "../../../src/spec/schema.ts";
import { COMMIT_IDENTIFIER_BATCH } from "../../../src/spec/snapshot.ts";
import {
  expirePartitions, PartitionExpireChecker, validatePartitionExpiration, validatePartitionExpirationChange,
} from "../../../src/table/expire_partitions.ts";
import { snapshotEntries } from "../../../src/table/manifest_reader.ts";
import { latestSnapshot, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import { TableWriter } from "../../../src/table/write/table_writer.ts";
import { Table } from "../../../src/api/table.ts";
import { field, makeTable } from "./write/table_writer_helpers.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 2024-01-10 12:00 local wall time. */
const NOW = new Date(2024, 0, 10, 12).getTime();

async function writeRows(store: ObjectStore, schema: TableSchema, rows: Record<string, unknown>[], nowMs = NOW): Promise<bigint[]> {
  const w = new TableWriter(store, schema, { kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), nowMs: () => nowMs });
  await w.writeRows(RowKind.INSERT, rows);
  const result = await w.commit();
  await w.close();
  return result.snapshotIds;
}

/** Partition key values (joined with '/') of every row the table reads, sorted, with counts. */
async function partitionsRead(store: ObjectStore, snapshotId?: bigint): Promise<string[]> {
  const table = await Table.open(store);
  const keys = table.schema.partitionKeys;
  const counts = new Map<string, number>();
  for await (const row of table.rows(snapshotId === undefined ? {} : { snapshotId })) {
    const k = keys.map((name) => String(row[name])).join("/");
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}:${n}`).sort();
}

async function dailyTable(options: Record<string, string>): Promise<{ store: ObjectStore; schema: TableSchema }> {
  const { store, schema } = await makeTable({
    fields: [field(0, "k", "INT NOT NULL"), field(1, "dt", "STRING NOT NULL"), field(2, "v", "BIGINT")],
    primaryKeys: ["k", "dt"], partitionKeys: ["dt"],
    options: { bucket: "1", "partition.expiration-time": "3 d", "partition.timestamp-formatter": "yyyyMMdd", ...options },
  });
  const rows: Record<string, unknown>[] = [];
  for (let day = 1; day <= 10; day++) {
    const dt = `202401${String(day).padStart(2, "0")}`;
    for (let k = 0; k < day; k++) rows.push({ k, dt, v: BigInt(day * 100 + k) });
  }
  await writeRows(store, schema, rows);
  return { store, schema };
}

describe("values-time", () => {
  test("yyyyMMdd: partitions before now - 3 d are dropped in one OVERWRITE of DELETE entries", async () => {
    const { store, schema } = await dailyTable({});
    const before = await partitionsRead(store);
    assert.equal(before.length, 10);
    const result = await expirePartitions(store, schema, { nowMs: () => NOW });
    assert.deepEqual(result.expired, [1, 2, 3, 4, 5, 6, 7].map((d) => ({ dt: `2024010${d}` })), "cut-off 2024-01-07 12:00 is after 2024-01-07 00:00");
    assert.equal(result.snapshotId, 2n);
    assert.deepEqual(result.snapshotIds, [2n]);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(await partitionsRead(store), ["20240108:8", "20240109:9", "20240110:10"]);
    assert.deepEqual(await partitionsRead(store, 1n), before, "the previous snapshot still reads everything");

    const s = await readSnapshot(store, 2n);
    assert.equal(s.commitKind, "OVERWRITE");
    assert.equal(s.operation, null);
    assert.equal(s.commitIdentifier, COMMIT_IDENTIFIER_BATCH);
    assert.equal(s.deltaRecordCount, -BigInt(1 + 2 + 3 + 4 + 5 + 6 + 7));
    const types = logicalPartitionType(schema).fields.map((f) => f.type);
    const delta = await snapshotEntries(store, s, "delta");
    assert.ok(delta.every((e) => e.kind === FILE_KIND.DELETE));
    assert.deepEqual([...new Set(delta.map((e) => String(decodeSerializedBinaryRow(types, e.partition)[0])))].sort(), result.expired.map((p) => p.dt));

    const again = await expirePartitions(store, schema, { nowMs: () => NOW });
    assert.deepEqual(again, { expired: [], snapshotId: null, snapshotIds: [], skipped: [] }, "nothing left to expire commits nothing");
  });

  test("max-num cuts the sorted list; batch-size splits it into several snapshots", async () => {
    const { store, schema } = await dailyTable({ "partition.expiration-max-num": "5", "partition.expiration-batch-size": "2" });
    const result = await expirePartitions(store, schema, { nowMs: () => NOW });
    assert.deepEqual(result.expired.map((p) => p.dt), ["20240101", "20240102", "20240103", "20240104", "20240105"]);
    assert.deepEqual(result.snapshotIds, [2n, 3n, 4n]);
    assert.equal(result.snapshotId, 4n);
    for (const id of result.snapshotIds) assert.equal((await readSnapshot(store, id)).commitKind, "OVERWRITE");
    assert.deepEqual(await partitionsRead(store), ["20240106:6", "20240107:7", "20240108:8", "20240109:9", "20240110:10"]);
    assert.deepEqual(await partitionsRead(store, 3n), ["20240105:5", "20240106:6", "20240107:7", "20240108:8", "20240109:9", "20240110:10"]);
  });

  test("dynamic options override the table's (the procedure's expiration_time)", async () => {
    const { store, schema } = await dailyTable({});
    const result = await expirePartitions(store, schema, { nowMs: () => NOW, options: { "partition.expiration-time": "1 d" } });
    assert.equal(result.expired.length, 9);
    assert.deepEqual(await partitionsRead(store), ["20240110:10"]);
  });

  test("a pattern over two keys with the default formatter; values that give no time are kept and reported", async () => {
    const { store, schema } = await makeTable({
      fields: [field(0, "k", "INT NOT NULL"), field(1, "dt", "STRING NOT NULL"), field(2, "hh", "STRING NOT NULL")],
      primaryKeys: ["k", "dt", "hh"], partitionKeys: ["dt", "hh"],
      options: { bucket: "1", "partition.expiration-time": "1 d", "partition.timestamp-pattern": "$dt $hh:00:00" },
    });
    const parts = [["2024-01-08", "23"], ["2024-01-09", "05"], ["2024-01-09", "11"], ["2024-01-09", "13"], ["2024-01-10", "00"], ["someday", "01"]];
    await writeRows(store, schema, parts.map(([dt, hh], k) => ({ k, dt, hh })));
    const result = await expirePartitions(store, schema, { nowMs: () => NOW });
    assert.deepEqual(result.expired, [{ dt: "2024-01-08", hh: "23" }, { dt: "2024-01-09", hh: "05" }, { dt: "2024-01-09", hh: "11" }]);
    assert.equal(result.skipped.length, 1);
    assert.deepEqual(result.skipped[0]!.partition, { dt: "someday", hh: "01" });
    assert.match(result.skipped[0]!.reason, /give no time/);
    assert.deepEqual(await partitionsRead(store), ["2024-01-09/13:1", "2024-01-10/00:1", "someday/01:1"]);
  });
});

describe("update-time", () => {
  test("partitions expire by their newest file; an update keeps a partition alive", async () => {
    const { store, schema } = await makeTable({
      fields: [field(0, "k", "INT NOT NULL"), field(1, "p", "STRING NOT NULL")],
      primaryKeys: ["k", "p"], partitionKeys: ["p"],
      options: { bucket: "1", "partition.expiration-time": "1 d", "partition.expiration-strategy": "update-time" },
    });
    const t0 = new Date(2024, 0, 5, 8).getTime();
    await writeRows(store, schema, [{ k: 1, p: "a" }, { k: 1, p: "c" }], t0);
    await writeRows(store, schema, [{ k: 1, p: "b" }], t0 + 2 * DAY_MS);
    await writeRows(store, schema, [{ k: 2, p: "a" }], t0 + 3 * DAY_MS);
    const result = await expirePartitions(store, schema, { nowMs: () => t0 + 3 * DAY_MS + 12 * HOUR_MS });
    assert.deepEqual(result.expired, [{ p: "b" }, { p: "c" }]);
    assert.deepEqual(await partitionsRead(store), ["a:2"]);
    const none = await expirePartitions(store, schema, { nowMs: () => t0 + 4 * DAY_MS - 1 });
    assert.deepEqual(none.expired, [], "a's newest file is exactly 1 d old minus 1 ms: not expired");
    const later = await expirePartitions(store, schema, { nowMs: () => t0 + 4 * DAY_MS + 1 });
    assert.deepEqual(later.expired, [{ p: "a" }]);
    assert.deepEqual(await partitionsRead(store), []);
  });
});

describe("the writer-side checker", () => {
  test("checks at most once per interval, at the end of input when asked, never for write-only tables", async () => {
    const { store, schema } = await dailyTable({ "partition.expiration-check-interval": "1 h", "partition.expiration-max-num": "1" });
    let now = NOW;
    const checker = PartitionExpireChecker.create(store, schema, { commitUser: "writer", nowMs: () => now, random: () => 0 })!;
    assert.ok(checker !== null);
    assert.equal(await checker.afterCommit(1n), null, "right after start: not due");
    now += 30 * 60_000;
    assert.equal(await checker.afterCommit(2n), null);
    now += 31 * 60_000;
    const first = await checker.afterCommit(3n);
    assert.deepEqual(first?.expired, [{ dt: "20240101" }]);
    const s = await latestSnapshot(store);
    assert.equal(s?.commitUser, "writer");
    assert.equal(s?.commitIdentifier, 3n, "the writer's identifier, as Java passes it");
    now += 60_000;
    assert.equal(await checker.afterCommit(4n), null, "checked a minute ago");
    now += HOUR_MS;
    assert.deepEqual((await checker.afterCommit(5n))?.expired, [{ dt: "20240102" }]);

    const atEnd = PartitionExpireChecker.create(store, { ...schema, options: { ...schema.options, "end-input.check-partition-expire": "true" } }, { commitUser: "w2", nowMs: () => now, random: () => 0 })!;
    assert.equal(await atEnd.afterCommit(7n), null);
    assert.deepEqual((await atEnd.afterCommit(COMMIT_IDENTIFIER_BATCH))?.expired, [{ dt: "20240103" }]);

    // Java: lastCheck = now - random(0 .. interval seconds): a random 0.999 makes the first check due almost at once.
    const early = PartitionExpireChecker.create(store, schema, { commitUser: "w3", nowMs: () => now, random: () => 0.9999 })!;
    now += 1000;
    assert.equal(await early.afterCommit(8n), null, "exactly one interval after the back-dated last check: not after it yet");
    now += 1000;
    assert.deepEqual((await early.afterCommit(8n))?.expired, [{ dt: "20240104" }]);

    const always = PartitionExpireChecker.create(store, schema, { commitUser: "w4", nowMs: () => now, options: { "partition.expiration-check-interval": "0 s" } })!;
    assert.deepEqual((await always.afterCommit(9n))?.expired, [{ dt: "20240105" }]);
    assert.deepEqual((await always.afterCommit(10n))?.expired, [{ dt: "20240106" }]);

    assert.equal(PartitionExpireChecker.create(store, schema, { commitUser: "w", options: { "write-only": "true" } }), null);
    assert.equal(PartitionExpireChecker.create(store, { ...schema, options: { bucket: "1" } }, { commitUser: "w" }), null);
  });
});

describe("validation", () => {
  const schemaWith = async (options: Record<string, string>, partitionKeys = ["dt"]) => (await makeTable({
    fields: [field(0, "k", "INT NOT NULL"), field(1, "dt", "STRING NOT NULL")], partitionKeys, options,
  })).schema;
  const problem = async (options: Record<string, string>): Promise<string> => {
    try {
      validatePartitionExpiration(await schemaWith(options));
      return "ok";
    } catch (error) {
      assert.ok(error instanceof LakeError);
      return `${error.code}: ${error.message}`;
    }
  };

  test("good settings pass; none set, or an unpartitioned table, is nothing to check", async () => {
    assert.equal(await problem({ "partition.expiration-time": "7 d", "partition.timestamp-formatter": "yyyyMMdd" }), "ok");
    assert.equal(await problem({ "partition.timestamp-formatter": "yyyyMM" }), "ok", "no expiration time: the formatter is not used for expiration");
    validatePartitionExpiration(await schemaWith({ "partition.expiration-time": "1 d", "partition.timestamp-formatter": "yyyyMM" }, []));
  });

  test("bad settings fail naming the option and value", async () => {
    assert.match(await problem({ "partition.expiration-time": "7 d", "partition.timestamp-formatter": "yyyyMM" }), /^invalid_argument: .*'partition.timestamp-formatter' = "yyyyMM".*"202401"/);
    assert.match(await problem({ "partition.expiration-time": "7 d", "partition.timestamp-pattern": "$day" }), /^invalid_argument: .*'partition.timestamp-pattern' = "\$day" references no partition key/);
    assert.match(await problem({ "partition.expiration-time": "7 d", "partition.timestamp-pattern": "$dt $hour:00:00" }), /^invalid_argument: .*'partition.timestamp-pattern' = "\$dt \$hour:00:00" references \$hour, which is not a partition key/);
    assert.match(await problem({ "partition.expiration-time": "7 d", "partition.expiration-strategy": "value-time" }), /^invalid_argument: .*'partition.expiration-strategy' = "value-time".*values-time or update-time/);
    assert.match(await problem({ "partition.expiration-time": "7 d", "partition.expiration-max-num": "0" }), /^invalid_argument: .*'partition.expiration-max-num' = "0"/);
    assert.match(await problem({ "partition.expiration-time": "seven days" }), /^invalid_argument: .*partition.expiration-time/);
    assert.equal(await problem({ "partition.expiration-time": "7 d", "partition.expiration-strategy": "update-time", "partition.timestamp-formatter": "yyyyMM" }), "ok", "update-time reads no values");
    assert.match(await problem({ "partition.expiration-time": "7 d", "chain-table.enabled": "true" }), /^unsupported: .*chain tables/);
  });

  test("ALTER checks only when an expiration option changes", async () => {
    const bad = await schemaWith({ "partition.expiration-time": "7 d", "partition.timestamp-formatter": "yyyyMM" });
    const unrelated = { ...bad, options: { ...bad.options, "write-buffer-size": "64 mb" } };
    validatePartitionExpirationChange(unrelated, bad);
    const worse = { ...bad, options: { ...bad.options, "partition.expiration-time": "1 d" } };
    assert.throws(() => validatePartitionExpirationChange(worse, bad), /'partition.timestamp-formatter' = "yyyyMM"/);
    const fixed = { ...bad, options: { ...bad.options, "partition.timestamp-formatter": "yyyyMMdd" } };
    validatePartitionExpirationChange(fixed, bad);
  });

  test("expirePartitions refuses bad options before touching the table", async () => {
    const { store, schema } = await dailyTable({});
    await assert.rejects(expirePartitions(store, schema, { nowMs: () => NOW, options: { "partition.timestamp-formatter": "HH" } }), /partition.timestamp-formatter/);
    assert.equal((await latestSnapshot(store))?.id, 1n);
  });
});
