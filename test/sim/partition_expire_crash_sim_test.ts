// Goal: crash safety of partition expiration. Whatever write of an expiration fails or
// "crashes" (the process stops there), the table afterwards opens at a committed snapshot that
// reads either the partitions before, or those left after some whole batches (never a partial
// batch, never a lost row of a kept partition), and running the expiration again converges to
// exactly the partitions a fault-free run leaves.
// Method: a daily-partitioned primary-key table (real Parquet files) expiring 5 of 8 partitions
// in batches of 2 (three OVERWRITE commits). A fault-free run through a FaultStore on a copy
// counts the writes; then for every write index and every fault kind (fail, fail_after, crash,
// crash_after) a copy expires through a FaultStore faulting there, the underlying MemoryStore is
// read directly, and a second, fault-free expiration finishes the job.
import { assert, describe, test } from "../harness.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import { loadKernel } from "../../src/kernel/mod.ts";
import { parquetWriterModule } from "../../src/format/data/parquet_arrow_reader.ts";
import { RowKind } from "../../src/spec/row_kind.ts";
import { expirePartitions } from "../../src/table/expire_partitions.ts";
import { TableWriter } from "../../src/table/write/table_writer.ts";
import { Table } from "../../src/api/table.ts";
import { field, makeTable } from "../unit/table/write/table_writer_helpers.ts";
import { copyStore } from "../unit/table/expire_helpers.ts";

const KINDS = [FaultKind.FAIL, FaultKind.FAIL_AFTER, FaultKind.CRASH, FaultKind.CRASH_AFTER];
const NOW = new Date(2024, 0, 10, 12).getTime();
const DAYS = ["20240103", "20240104", "20240105", "20240106", "20240107", "20240108", "20240109", "20240110"];
const EXPIRED = DAYS.slice(0, 5);

async function partitionsRead(store: ObjectStore): Promise<string[]> {
  const counts = new Map<string, number>();
  for await (const row of (await Table.open(store)).rows()) counts.set(String(row.dt), (counts.get(String(row.dt)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}:${n}`).sort();
}

describe("partition expiration crash simulation", () => {
  test("a fault at any write leaves whole batches applied; a second run converges", async () => {
    const { store: pre, schema } = await makeTable({
      fields: [field(0, "k", "INT NOT NULL"), field(1, "dt", "STRING NOT NULL")], primaryKeys: ["k", "dt"], partitionKeys: ["dt"],
      options: {
        bucket: "1", "partition.expiration-time": "3 d", "partition.timestamp-formatter": "yyyyMMdd",
        "partition.expiration-batch-size": "2",
      },
    });
    const w = new TableWriter(pre, schema, { kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), nowMs: () => NOW });
    await w.writeRows(RowKind.INSERT, DAYS.flatMap((dt, i) => Array.from({ length: i + 1 }, (_, k) => ({ k, dt }))));
    await w.commit();
    const all = await partitionsRead(pre);
    // The states a reader may see: all partitions, then after each whole batch of two.
    const states = [0, 2, 4, 5].map((n) => all.filter((p) => !EXPIRED.slice(0, n).includes(p.slice(0, 8))));
    const expected = states[states.length - 1]!;

    const dry = new FaultStore(await copyStore(pre));
    const reference = await expirePartitions(dry, schema, { nowMs: () => NOW, sleepMs: async () => {} });
    assert.deepEqual(reference.expired.map((p) => p.dt), EXPIRED);
    assert.equal(reference.snapshotIds.length, 3);
    assert.deepEqual(await partitionsRead(dry.inner), expected);
    const writes = dry.writeCount;
    assert.ok(writes >= 9, `three commits write manifests, lists and snapshots (${writes})`);

    let faulted = 0;
    for (let k = 0; k < writes; k++) {
      for (const kind of KINDS) {
        const what = `write ${k} (${dry.writeLog[k]!.op} ${dry.writeLog[k]!.path}), ${kind}`;
        const inner = await copyStore(pre);
        const fs = new FaultStore(inner, [{ writeIndex: k, kind }]);
        try {
          await expirePartitions(fs, schema, { nowMs: () => NOW, sleepMs: async () => {} });
        } catch {
          faulted++;
        }
        const seen = await partitionsRead(inner);
        assert.ok(states.some((s) => JSON.stringify(s) === JSON.stringify(seen)), `${what}: reads a whole-batch state, got ${seen.join(" ")}`);
        await expirePartitions(inner, schema, { nowMs: () => NOW, sleepMs: async () => {} });
        assert.deepEqual(await partitionsRead(inner), expected, `${what}: converges`);
      }
    }
    assert.ok(faulted > 0);
  });
});
