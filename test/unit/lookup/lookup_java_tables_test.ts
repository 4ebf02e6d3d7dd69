// Goal: lookups over tables written by Java Paimon (merge-on-read with a DELETE and a COMPACT,
// deletion vectors, first-row, append tables with complex types, an evolved append schema)
// answer what a full scan at the same snapshot holds, at every snapshot; the partition forms
// (partition from the probe, "latest", a fixed partition) and bucket-key lookups included.
// Method: pinned lookups per snapshot over the fixture tables in test/fixtures/paimon/java-tables;
// probes are every key the scan holds plus misses; answers compared with table.rows().
import { fileURLToPath } from "node:url";
import { describe, test, assert } from "../../harness.ts";
import { Table } from "../../../src/api/table.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import type { Value } from "../../../src/spec/values.ts";
import { keyText, rowText, scanByKey } from "./lookup_helpers.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const open = (name: string, dir = `${name}.db/${name}`) => Table.open(new NodeFsStore(TABLES + dir), { name });
const quiet = { onWarning: () => {} };

async function snapshotIds(table: Table): Promise<bigint[]> {
  return (await table.snapshots()).map((s) => s.id);
}

/** Compares getManyAll (and getMany when unique) with the scan for every key of the scan plus misses. */
async function compareAll(table: Table, keys: readonly string[], options: { snapshotId: bigint; partition?: "all" | "latest" | Record<string, Value>; misses: Value[][] }): Promise<number> {
  const lookup = await table.newLookup({ ...quiet, keys, snapshotId: options.snapshotId, partition: options.partition ?? "all" });
  const columns = table.schema.fields.map((f) => f.name);
  let rows = [];
  for await (const row of table.rows({ snapshotId: options.snapshotId })) rows.push(row);
  if (options.partition === "latest" || (typeof options.partition === "object")) {
    const pk = table.schema.partitionKeys;
    let target: string | null = null;
    if (options.partition === "latest") {
      const values = rows.map((r) => pk.map((k) => r[k]!));
      values.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
      target = values.length === 0 ? null : keyText(values[values.length - 1]!);
    } else target = keyText(pk.map((k) => (options.partition as Record<string, Value>)[k]!));
    rows = rows.filter((r) => keyText(pk.map((k) => r[k]!)) === target);
  }
  const expected = new Map<string, Record<string, Value>[]>();
  for (const row of rows) {
    if (keys.some((k) => row[k] === null)) continue;
    const k = keyText(keys.map((c) => row[c]!));
    const list = expected.get(k) ?? [];
    list.push(row);
    expected.set(k, list);
  }
  const probes: Value[][] = [...new Map(rows.map((r) => [keyText(keys.map((k) => r[k]!)), keys.map((k) => r[k]!)])).values(), ...options.misses];
  const got = await lookup.getManyAll(probes);
  for (let i = 0; i < probes.length; i++) {
    const want = (expected.get(keyText(probes[i]!)) ?? []).map((r) => rowText(r, columns)).sort();
    assert.deepEqual(got[i]!.map((r) => rowText(r, columns)).sort(), want, `snapshot ${options.snapshotId} key ${keyText(probes[i]!)}`);
  }
  if (lookup.unique) {
    const one = await lookup.getMany(probes);
    for (let i = 0; i < probes.length; i++) assert.equal(rowText(one[i]!, columns), rowText(expected.get(keyText(probes[i]!))?.[0] ?? null, columns));
  }
  await lookup.close();
  return rows.length;
}

describe("lookups over Java-written tables", () => {
  for (const name of ["pk_table_scan_and_read_mor", "pk_09", "pk_table_scan_and_read_first_row"]) {
    test(`${name}: primary key, bucket key, latest and fixed partition at every snapshot`, async () => {
      const table = await open(name);
      let seen = 0;
      for (const id of await snapshotIds(table)) {
        seen += await compareAll(table, ["f0", "f1", "f2"], { snapshotId: id, misses: [["nobody", 10, 0], ["Skye2", 99, 1]] });
        await compareAll(table, ["f2"], { snapshotId: id, misses: [[12345]] });
        await compareAll(table, ["f0", "f2"], { snapshotId: id, partition: "latest", misses: [["x", 1]] });
        await compareAll(table, ["f0", "f2"], { snapshotId: id, partition: { f1: 10 }, misses: [["x", 1]] });
      }
      assert.ok(seen > 0, "the fixture has rows");
    });
  }

  test("latest partition: unique on the primary key minus the partition key", async () => {
    const table = await open("pk_table_scan_and_read_mor");
    const latest = await table.newLookup({ ...quiet, keys: ["f0", "f2"], partition: "latest" });
    assert.equal(latest.unique, true);
    const all = await table.newLookup({ ...quiet, keys: ["f0", "f2"] });
    assert.equal(all.unique, false);
  });

  test("append tables: any key column, every matching row (complex types, evolved schema)", async () => {
    const complex = await open("append_complex_data");
    for (const id of await snapshotIds(complex)) {
      await compareAll(complex, ["f2"], { snapshotId: id, misses: [[-77]] });
      await compareAll(complex, ["f1", "f2"], { snapshotId: id, misses: [[1, -77]] });
    }
    const evolved = await open("append_table_with_alter_table");
    for (const id of await snapshotIds(evolved)) {
      if (id !== (await snapshotIds(evolved)).at(-1)) continue; // older snapshots use another schema
      await compareAll(evolved, ["k"], { snapshotId: id, misses: [[-1]] });
    }
  });

  test("paimon 0.5 primary-key table", async () => {
    const table = await open("many_pk_table", "paimon-0.5.db/many_pk_table");
    const id = (await snapshotIds(table)).at(-1)!;
    const n = await compareAll(table, table.schema.primaryKeys, { snapshotId: id, misses: [] });
    assert.ok(n > 0);
  });
});
