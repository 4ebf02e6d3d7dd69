// Goal: downstream of the use-case aggregation table (sum metrics, changelog-producer lookup) a
// `Table.streamRead` consumer sees running totals as -U/+U pairs, +I for new keys, exactly once
// per commit, and row-deduplicate drops updates that change nothing.
// Method: a MemoryStore catalog table written through Table.write while a stream tails it;
// each commit's expected changes computed by hand from the sums; rows compared as sorted texts.
import { assert, test } from "../../harness.ts";
import { Catalog } from "../../../src/api/catalog.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import type { Table as ArrowTable } from "apache-arrow";

function texts(t: ArrowTable): string[] {
  assert.equal(t.schema.fields[0]!.name, "_ROW_KIND");
  return t.toArray().map((r) => `${r._ROW_KIND}|${r.buyer}|${r.cnt}|${r.gmv}`).sort();
}

async function setup(options: Record<string, string>) {
  setFastParquetSource(parquetWasmBytes);
  const catalog = new Catalog(new MemoryStore());
  await catalog.createDatabase("d");
  return catalog.createTable("d.metrics", {
    columns: [{ name: "buyer", type: "BIGINT NOT NULL" }, { name: "cnt", type: "BIGINT" }, { name: "gmv", type: "DOUBLE" }],
    primaryKeys: ["buyer"],
    options: {
      bucket: "2", "changelog-producer": "lookup", "merge-engine": "aggregation",
      "fields.cnt.aggregate-function": "sum", "fields.gmv.aggregate-function": "sum", ...options,
    },
  });
}

test("streamRead of a lookup aggregation table: running totals as -U/+U", async () => {
  const table = await setup({ "changelog-producer.row-deduplicate": "true" });
  await table.write([{ buyer: 1n, cnt: 1n, gmv: 10 }, { buyer: 2n, cnt: 1n, gmv: 5 }]);
  const stream = table.streamRead({ pollIntervalMs: 5 });
  const first = await stream.next();
  assert.deepEqual(texts(first.value!.changes), ["+I|1|1|10", "+I|2|1|5"]); // latest-full
  const commits: { rows: Record<string, bigint | number>[]; changes: string[] }[] = [
    { rows: [{ buyer: 1n, cnt: 2n, gmv: 2.5 }, { buyer: 3n, cnt: 1n, gmv: 1 }], changes: ["+I|3|1|1", "+U|1|3|12.5", "-U|1|1|10"] },
    { rows: [{ buyer: 2n, cnt: 1n, gmv: 1 }, { buyer: 2n, cnt: 1n, gmv: 1 }], changes: ["+U|2|3|7", "-U|2|1|5"] },
    // Adds nothing to buyer 3: row-deduplicate drops the equal -U/+U pair.
    { rows: [{ buyer: 3n, cnt: 0n, gmv: 0 }, { buyer: 1n, cnt: 1n, gmv: 0.5 }], changes: ["+U|1|4|13", "-U|1|3|12.5"] },
  ];
  for (const c of commits) {
    const pending = stream.next();
    await table.write(c.rows);
    let item = await pending;
    // Snapshots without changelog (the commit's APPEND snapshot) yield no changes.
    while (item.value!.changes.numRows === 0) item = await stream.next();
    assert.deepEqual(texts(item.value!.changes), c.changes);
  }
  await stream.return!();
  const rows = [];
  for await (const r of table.rows()) rows.push(`${r.buyer}|${r.cnt}|${r.gmv}`);
  assert.deepEqual(rows.sort(), ["1|4|13", "2|3|7", "3|1|1"]);
});
