// Goal: the public Table streaming methods (streamRead, incremental, auditLog) work as a user
// calls them: `for await` over a live table sees each commit's changes with `_ROW_KIND`, an
// AbortSignal stops a waiting stream at once, a consumer id resumes after the last snapshot
// processed, and incremental/auditLog return Arrow tables with `_ROW_KIND` first.
// Method: a MemoryStore catalog table (deduplicate, changelog-producer input) written through
// Table.write while a stream tails it; rows compared as sorted "kind|k|v" texts.
import { assert, test } from "../../harness.ts";
import { Catalog } from "../../../src/api/catalog.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import type { Table as ArrowTable } from "apache-arrow";

function texts(t: ArrowTable): string[] {
  assert.equal(t.schema.fields[0]!.name, "_ROW_KIND");
  const out: string[] = [];
  for (const r of t.toArray()) out.push(`${r._ROW_KIND}|${r.k}|${r.v}`);
  return out.sort();
}

async function setup() {
  setFastParquetSource(parquetWasmBytes);
  const catalog = new Catalog(new MemoryStore());
  await catalog.createDatabase("d");
  return catalog.createTable("d.t", {
    columns: [{ name: "k", type: "INT NOT NULL" }, { name: "v", type: "STRING" }],
    primaryKeys: ["k"], options: { bucket: "2", "changelog-producer": "input" },
  });
}

test("Table.streamRead tails commits, resumes by consumer, stops on abort", async () => {
  const table = await setup();
  await table.write([{ k: 1, v: "a" }, { k: 2, v: "b" }]);
  const abort = new AbortController();
  const stream = table.streamRead({ consumerId: "c1", pollIntervalMs: 5, signal: abort.signal });
  const first = await stream.next();
  assert.equal(first.done, false);
  assert.deepEqual(texts(first.value!.changes), ["+I|1|a", "+I|2|b"]); // latest-full: the snapshot's rows
  const pending = stream.next(); // acknowledges the first; waits for a commit
  await table.write([{ k: 1, v: "c" }]);
  const second = await pending;
  assert.deepEqual(texts(second.value!.changes), ["+I|1|c"]);
  const waiting = stream.next();
  abort.abort();
  assert.equal((await waiting).done, true);

  // A new stream with the same consumer starts after the acknowledged snapshot.
  await table.write([{ k: 3, v: "d" }]);
  const resumed = table.streamRead({ consumerId: "c1", pollIntervalMs: 5 });
  const next = await resumed.next();
  assert.ok(next.value!.snapshotId > second.value!.snapshotId, `${next.value!.snapshotId} after ${second.value!.snapshotId}: ${texts(next.value!.changes)} ${new TextDecoder().decode(await table.store.get("consumer/consumer-c1"))}`);
  assert.deepEqual(texts(next.value!.changes), ["+I|3|d"]);
  await resumed.return!();
});

test("Table.incremental and Table.auditLog return _ROW_KIND first", async () => {
  const table = await setup();
  await table.write([{ k: 1, v: "a" }]);
  const s1 = (await table.snapshots()).at(-1)!.id;
  await table.write([{ k: 2, v: "b" }]);
  const s2 = (await table.snapshots()).at(-1)!.id;
  assert.deepEqual(texts(await table.incremental({ startSnapshotId: s1, endSnapshotId: s2 })), ["+I|2|b"]);
  assert.deepEqual(texts(await table.auditLog()), ["+I|1|a", "+I|2|b"]);
  await assert.rejects(table.incremental({ startSnapshotId: s2, endSnapshotId: s1 }), /Ending snapshotId should >= starting snapshotId/);
});
