// Goal: the Table handle's time travel (snapshotId / timestampMs / tag) and tag methods read what
// the table held at that point, with that snapshot's schema, and refuse ambiguous requests.
// Method: a MemoryStore table written in three commits with a controlled clock, a tag on the
// first, an ALTER after it; reads through Table.rows with each form of time travel.
import { assert, test } from "../../harness.ts";
import { Catalog } from "../../../src/api/catalog.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";

async function rowsOf(it: AsyncIterable<Record<string, unknown>>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of it) out.push(JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
  return out.sort();
}

test("time travel by snapshot id, timestamp and tag through Table", async () => {
  setFastParquetSource(parquetWasmBytes);
  let clock = 1_000_000;
  const catalog = new Catalog(new MemoryStore(), { nowMs: () => clock });
  await catalog.createDatabase("d");
  const table = await catalog.createTable("d.t", { columns: [{ name: "k", type: "INT NOT NULL" }, { name: "v", type: "STRING" }], primaryKeys: ["k"], options: { bucket: "1" } });
  await table.write([{ k: 1, v: "a" }], { options: {} });
  const s1 = (await table.snapshots()).at(-1)!;
  clock += 10_000;
  await table.createTag("first", { snapshotId: s1.id });
  await table.write([{ k: 1, v: "b" }, { k: 2, v: "c" }]);
  const s2 = (await table.snapshots()).at(-1)!;
  assert.ok(s2.id > s1.id);
  const altered = await catalog.alterTable("d.t", [{ kind: "addColumn", name: "w", type: "INT" }]);
  assert.deepEqual(await rowsOf(altered.rows({ tag: "first" })), ['{"k":1,"v":"a"}']);
  assert.deepEqual(await rowsOf(altered.rows({ snapshotId: s1.id })), ['{"k":1,"v":"a"}']);
  assert.deepEqual(await rowsOf(altered.rows({ timestampMs: Number(s1.timeMillis) })), ['{"k":1,"v":"a"}']);
  assert.deepEqual(await rowsOf(altered.rows({ timestampMs: Number(s2.timeMillis) + 1 })), ['{"k":1,"v":"b"}', '{"k":2,"v":"c"}']);
  assert.deepEqual(await rowsOf(altered.rows()), ['{"k":1,"v":"b","w":null}', '{"k":2,"v":"c","w":null}']);
  assert.deepEqual((await altered.tags()).map((t) => t.name), ["first"]);
  await assert.rejects(altered.rows({ tag: "first", snapshotId: 1 }).next(), /at most one/);
  await assert.rejects(altered.rows({ tag: "nope" }).next(), (e: Error & { code?: string }) => e.code === "not_found");
  const deleted = await altered.deleteTag("first");
  assert.equal(deleted.deleted, true);
  assert.deepEqual(await altered.tags(), []);
});
