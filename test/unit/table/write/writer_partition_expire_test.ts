// Goal: a table writer expires partitions after its commits as Java's TableCommitImpl does
// (partition.expiration-time, partition.expiration-check-interval), never when write-only, and
// a commit stands when that expiration fails.
// Method: a table partitioned by `dt` (yyyyMMdd) written through TableWriter with a controllable
// clock; rows and snapshots are read back and compared with the partitions that must remain.
import { describe, test, assert } from "../../../harness.ts";
import { LakeError } from "../../../../src/errors.ts";
import { parquetWriterModule } from "../../../../src/format/data/parquet_arrow_reader.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import { readAllSnapshots } from "../../../../src/table/snapshot_manager.ts";
import { TableWriter } from "../../../../src/table/write/table_writer.ts";
import { kernel } from "../../stream/stream_helpers.ts";
import { field, makeTable, visibleRows } from "./table_writer_helpers.ts";

const DAY_MS = 86_400_000;
/** 2024-01-20 12:00 UTC: at least 10 h from a day boundary in every time zone. */
const NOW = Date.UTC(2024, 0, 20, 12);
const fields = [field(0, "dt", "STRING NOT NULL"), field(1, "k", "INT NOT NULL"), field(2, "v", "INT")];

async function table(options: Record<string, string>) {
  return makeTable({
    fields, primaryKeys: ["dt", "k"], partitionKeys: ["dt"],
    options: { bucket: "1", "partition.expiration-time": "3 d", "partition.timestamp-formatter": "yyyyMMdd", ...options },
  });
}

const partitionsOf = (rows: string[]): string[] => [...new Set(rows.map((r) => r.split("|")[0]!))].sort();

describe("partition expiration after writer commits", () => {
  test("a commit expires partitions older than partition.expiration-time, in an OVERWRITE snapshot", async () => {
    const { store, schema } = await table({ "partition.expiration-check-interval": "0 s" });
    const writer = new TableWriter(store, schema, { kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => NOW });
    for (const dt of ["20240110", "20240115", "20240118", "20240120"]) await writer.write(RowKind.INSERT, { dt, k: 1, v: 1 });
    const result = await writer.commit({ identifier: 1n });
    await writer.close();
    // Cut-off 2024-01-17 12:00: the 10th and the 15th go.
    assert.deepEqual(result.expiredPartitions, [{ dt: "20240110" }, { dt: "20240115" }]);
    assert.deepEqual(partitionsOf(await visibleRows(store)), ['"20240118"', '"20240120"']);
    const snapshots = await readAllSnapshots(store);
    assert.deepEqual(snapshots.map((s) => s.commitKind), ["APPEND", "OVERWRITE"]);
    assert.ok(result.snapshotIds.every((id) => id < snapshots[snapshots.length - 1]!.id), "the expiration follows the commit's snapshots");
  });

  test("expiration runs at most once per partition.expiration-check-interval", async () => {
    const { store, schema } = await table({ "partition.expiration-check-interval": "1 h" });
    let now = NOW;
    const writer = new TableWriter(store, schema, { kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => now });
    await writer.write(RowKind.INSERT, { dt: "20240120", k: 1, v: 1 });
    await writer.commit({ identifier: 1n }); // may or may not check (Java's random first offset): nothing is old
    now = NOW + 2 * 3_600_000;
    await writer.write(RowKind.INSERT, { dt: "20240101", k: 1, v: 1 });
    const due = await writer.commit({ identifier: 2n }); // more than an interval since the writer started: due
    assert.deepEqual(due.expiredPartitions, [{ dt: "20240101" }]);
    now += 60_000;
    await writer.write(RowKind.INSERT, { dt: "20240102", k: 1, v: 1 });
    const early = await writer.commit({ identifier: 3n });
    assert.deepEqual(early.expiredPartitions, [], "one minute after a check, no new check");
    assert.deepEqual(partitionsOf(await visibleRows(store)), ['"20240102"', '"20240120"']);
    now += 3_600_000;
    await writer.write(RowKind.INSERT, { dt: "20240120", k: 2, v: 2 });
    const later = await writer.commit({ identifier: 4n });
    assert.deepEqual(later.expiredPartitions, [{ dt: "20240102" }]);
    await writer.close();
    assert.deepEqual(partitionsOf(await visibleRows(store)), ['"20240120"']);
  });

  test("write-only writers and tables without the option never expire", async () => {
    for (const options of [{ "write-only": "true", "partition.expiration-check-interval": "0 s" }]) {
      const { store, schema } = await table(options);
      const writer = new TableWriter(store, schema, { kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => NOW });
      await writer.write(RowKind.INSERT, { dt: "20240101", k: 1, v: 1 });
      const result = await writer.commit();
      await writer.close();
      assert.deepEqual(result.expiredPartitions, []);
      assert.deepEqual(partitionsOf(await visibleRows(store)), ['"20240101"']);
    }
    const { store, schema } = await makeTable({ fields, primaryKeys: ["dt", "k"], partitionKeys: ["dt"], options: { bucket: "1" } });
    const writer = new TableWriter(store, schema, { kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => NOW + 1000 * DAY_MS });
    await writer.write(RowKind.INSERT, { dt: "20240101", k: 1, v: 1 });
    assert.deepEqual((await writer.commit()).expiredPartitions, []);
    await writer.close();
  });

  test("a failing expiration is a warning; the commit stands", async () => {
    const { store, schema } = await table({ "partition.expiration-check-interval": "0 s" });
    const writer = new TableWriter(store, schema, { kernel: await kernel(), parquet: await parquetWriterModule(), nowMs: () => NOW });
    await writer.write(RowKind.INSERT, { dt: "20240101", k: 1, v: 1 });
    // The data commit's snapshot is the first snapshot written; the expiration's fails.
    const putIfAbsent = store.putIfAbsent.bind(store);
    let snapshotPuts = 0;
    store.putIfAbsent = async (path: string, bytes: Uint8Array): Promise<boolean> => {
      if (path.startsWith("snapshot/snapshot-") && ++snapshotPuts > 1) throw new LakeError("io", "injected snapshot write failure");
      return putIfAbsent(path, bytes);
    };
    const result = await writer.commit();
    await writer.close();
    store.putIfAbsent = putIfAbsent;
    assert.equal(result.snapshotIds.length, 1);
    assert.ok(result.warnings.some((w) => /partition expiration after commit failed/.test(w)), JSON.stringify(result.warnings));
    assert.deepEqual(partitionsOf(await visibleRows(store)), ['"20240101"']);
  });
});
