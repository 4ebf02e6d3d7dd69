// Goal: a table lakestate writes is laid out as Java lays it out and reads as Java's does. The
// Java fixture pk_table_scan_and_read_mor (README: the writes Java made, commit by commit) is
// replayed into a table with the very same schema file; then, for every commit, the rows equal
// what the Java table holds at the matching snapshot; rows sit in the same partition/bucket
// directories as Java's; our data files carry exactly the Parquet schema of Java's files (column
// names, physical and logical types, repetition, field ids) and Java's file naming.
// Method: schema-0 copied from the fixture into a MemoryStore; writes through Table.newWrite
// (plain objects, streaming identifiers); Java's side read from the fixture with the read path;
// Parquet footers compared element by element (test/unit/format/parquet_writer_support.ts).
import { fileURLToPath } from "node:url";
import { assert, readFixture, readFixtureText, test } from "../../../harness.ts";
import { Table } from "../../../../src/api/table.ts";
import { NodeFsStore } from "../../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../../src/io/memory_store.ts";
import { readAllSnapshots } from "../../../../src/table/snapshot_manager.ts";
import { utf8Encode } from "../../../../src/util/bytes.ts";
import { footerSchema, schemaHex } from "../../format/parquet_writer_support.ts";
import { enableFastParquet } from "../fast_read_helpers.ts";
import type { Value } from "../../../../src/spec/values.ts";

const TABLE = "paimon/java-tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
const TWO_ROADS = "Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.";
const row = (f0: string, f1: number, f2: number, f3: number) => ({ f0, f1, f2, f3 });

/** The README's commits (the compaction of snapshot 3 is Java's own; we do not replay it). */
const COMMITS: { javaSnapshot: number; upserts: ReturnType<typeof row>[]; deletes: ReturnType<typeof row>[] }[] = [
  {
    javaSnapshot: 1, deletes: [],
    upserts: [row(TWO_ROADS, 10, 1, 11.0), row("Alice", 10, 1, 11.1), row("Bob", 10, 0, 12.1), row("Emily", 10, 0, 13.1), row("Tony", 10, 0, 14.1),
      row("Alex", 10, 0, 16.1), row("David", 10, 0, 17.1), row("Lucy", 20, 1, 14.1), row("Paul", 20, 1, 18.1)],
  },
  { javaSnapshot: 2, deletes: [row("Tony", 10, 0, 14.1)], upserts: [row("Alice", 10, 1, 19.1)] },
  { javaSnapshot: 4, deletes: [], upserts: [row("Skye", 10, 0, 21.0), row("Marco", 10, 0, 21.1), row("Alex", 10, 0, 21.2)] },
  { javaSnapshot: 5, deletes: [row("Alex", 10, 0, 31.2)], upserts: [row("Skye2", 10, 0, 31.0), row("Marco2", 10, 0, 31.1)] },
];

async function rowsOf(table: Table, snapshotId?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const r of table.rows(snapshotId === undefined ? {} : { snapshotId })) out.push(JSON.stringify(Object.values(r) as Value[]));
  return out.sort();
}

test("replaying pk_table_scan_and_read_mor gives Java's rows, directories and Parquet schema", async () => {
  await enableFastParquet();
  const java = await Table.open(new NodeFsStore(fileURLToPath(new URL(`../../../fixtures/${TABLE}/`, import.meta.url))));
  const store = new MemoryStore();
  await store.put("schema/schema-0", utf8Encode(await readFixtureText(`${TABLE}/schema/schema-0`)));
  const ours = await Table.open(store);
  const writer = ours.newWrite({ commitUser: "replay", options: { "write-only": "true" } });
  let identifier = 0n;
  for (const c of COMMITS) {
    if (c.deletes.length > 0) await writer.delete(c.deletes);
    await writer.write(c.upserts);
    const result = await writer.commit({ identifier: ++identifier });
    assert.equal(result.snapshotIds.length, 1);
    assert.deepEqual(await rowsOf(await Table.open(store)), await rowsOf(java, c.javaSnapshot), `after Java snapshot ${c.javaSnapshot}`);
  }
  await writer.close();

  // Same directories: every key lives in the partition and bucket Java chose for it.
  const dirsOf = async (table: Table, snapshotId?: number) =>
    [...new Set((await table.files(snapshotId === undefined ? {} : { snapshotId })).map((f) => f.filePath.slice(0, f.filePath.lastIndexOf("/"))))].sort();
  assert.deepEqual(await dirsOf(await Table.open(store)), await dirsOf(java, 1));
  for (const f of await (await Table.open(store)).files()) {
    assert.match(f.filePath.slice(f.filePath.lastIndexOf("/") + 1), /^data-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+\.parquet$/);
    assert.equal(f.level, 0);
    assert.equal(f.fileFormat, "parquet");
  }

  // Same Parquet schema as Java's files of this table (names, types, repetition, field ids).
  const javaFile = (await java.files({ snapshotId: 1 }))[0]!;
  const javaSchema = schemaHex(footerSchema(await readFixture(`${TABLE}/${javaFile.filePath}`)));
  for (const f of await (await Table.open(store)).files()) {
    assert.deepEqual(schemaHex(footerSchema((await store.get(f.filePath))!)), javaSchema, f.filePath);
  }

  const snapshots = await readAllSnapshots(store);
  assert.deepEqual(snapshots.map((s) => [s.commitKind, s.commitIdentifier, s.commitUser]), [1n, 2n, 3n, 4n].map((i) => ["APPEND", i, "replay"]));
});
