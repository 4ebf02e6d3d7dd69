// Goal: every Java-written fixture table, at every snapshot, reads as Java Paimon's batch read
// returns it: merge-on-read with the table's merge engine, deletes applied, level-0 files hidden
// where Java hides them (first-row, deletion vectors), deletion vectors applied, older schemas
// mapped by field id.
// Method: the expected rows are derived by hand from each table's README (the writes and commits
// Java made, in order) and Java's documented read rules, not from our reader; rows are compared
// as sorted sets of plain values.
import { fileURLToPath } from "node:url";
import { assert, test } from "../harness.ts";
import { openTable } from "../../src/api/catalog.ts";
import { NodeFsStore } from "../../src/io/fs_node_store.ts";
import { decimalFromString, timestampFromEpochNanos, type Value } from "../../src/spec/values.ts";

const TABLES = fileURLToPath(new URL("../fixtures/paimon/java-tables/", import.meta.url));

async function readAt(table: string, snapshotId: number, columns?: string[]): Promise<Value[][]> {
  const t = await openTable(new NodeFsStore(TABLES + table));
  const rows: Value[][] = [];
  for await (const row of t.rows({ snapshotId, ...(columns ? { columns } : {}) })) rows.push(Object.values(row));
  return sortRows(rows);
}

function sortRows(rows: Value[][]): Value[][] {
  const key = (r: Value[]) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v));
  return rows.map((r) => [...r]).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const TWO_ROADS = "Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.";

/** The 9 rows of snapshot 1 of the pk_table_scan_and_read_* tables (README "Msgs"). */
const FIRST_COMMIT: Value[][] = [
  [TWO_ROADS, 10, 1, 11.0], ["Alice", 10, 1, 11.1], ["Bob", 10, 0, 12.1], ["Emily", 10, 0, 13.1],
  ["Tony", 10, 0, 14.1], ["Alex", 10, 0, 16.1], ["David", 10, 0, 17.1], ["Lucy", 20, 1, 14.1], ["Paul", 20, 1, 18.1],
];

function apply(rows: Value[][], change: { delete?: string[]; upsert?: Value[][] }): Value[][] {
  const out = rows.filter((r) => !(change.delete ?? []).includes(r[0] as string) && !(change.upsert ?? []).some((u) => u[0] === r[0]));
  return sortRows([...out, ...(change.upsert ?? [])]);
}

test("pk_table_scan_and_read_mor (deduplicate, merge-on-read) at every snapshot", async () => {
  const s1 = sortRows(FIRST_COMMIT);
  const s2 = apply(s1, { delete: ["Tony"], upsert: [["Alice", 10, 1, 19.1]] });
  const s4 = apply(s2, { upsert: [["Skye", 10, 0, 21.0], ["Marco", 10, 0, 21.1], ["Alex", 10, 0, 21.2]] });
  const s5 = apply(s4, { delete: ["Alex"], upsert: [["Skye2", 10, 0, 31.0], ["Marco2", 10, 0, 31.1]] });
  const expected = [s1, s2, s2, s4, s5];
  for (let id = 1; id <= 5; id++) {
    assert.deepEqual(await readAt("pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", id), expected[id - 1], `snapshot ${id}`);
  }
});

test("pk_table_scan_and_read_first_row: level-0 files are invisible, the first row per key wins, deletes ignored", async () => {
  const table = "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row";
  // Snapshots 1 and 2 hold only level-0 files: Java's batch scan skips them for first-row.
  assert.deepEqual(await readAt(table, 1), []);
  assert.deepEqual(await readAt(table, 2), []);
  // Snapshot 3 compacted everything to level 5; snapshots 4 and 5 add level-0 files only.
  for (const id of [3, 4, 5]) assert.deepEqual(await readAt(table, id), sortRows(FIRST_COMMIT), `snapshot ${id}`);
});

test("append_complex_data: DATE, TIMESTAMP(9) before 1970, DECIMAL(23,5), BYTES at every snapshot", async () => {
  const ts = (text: string) => {
    const [date, time] = text.split(" ");
    const [whole, frac = ""] = time!.split(".");
    const millis = Date.parse(`${date}T${whole}Z`);
    return timestampFromEpochNanos(BigInt(millis) * 1_000_000n + BigInt(frac.padEnd(9, "0")));
  };
  const dec = (text: string | null) => (text === null ? null : decimalFromString(text, 23, 5));
  const bytes = (text: string | null) => (text === null ? null : new TextEncoder().encode(text));
  const row = (f1: number, f2: number, f3: number | null, f4: string | null, f5: string | null, f6: string | null): Value[] =>
    [f1, f2, f3, f4 === null ? null : ts(f4), dec(f5), bytes(f6)];
  const s1 = [
    row(10, 1, 1234, "2033-05-18 03:33:20.0", "123456789987654321.45678", "add"),
    row(20, 1, -1234, "1899-01-01 00:59:20.001001001", "-123456789987654321.45678", "bad"),
    row(10, 1, 19909, "2033-05-18 03:33:20.000001001", "12.30000", "cat"),
  ];
  const s2 = [...s1,
    row(10, 1, 0, "2008-12-28 00:00:00.000123456", null, "dad"),
    row(10, 1, 100, "2008-12-28 00:00:00.00012345", "-123.45000", "eat"),
    row(10, 1, null, "1899-01-01 00:59:20.001001001", "0.00000", "fat"),
    row(20, 0, -100, null, "-0.00000", "get"),
  ];
  const s3 = [...s2, row(10, 1, 20006, "2024-10-10 10:10:10.1001001", "1728551410100.10010", null)];
  const table = "append_complex_data.db/append_complex_data";
  assert.deepEqual(await readAt(table, 1), sortRows(s1));
  assert.deepEqual(await readAt(table, 2), sortRows(s2));
  assert.deepEqual(await readAt(table, 3), sortRows(s3));
  assert.deepEqual(await readAt(table, 4), sortRows(s3), "full compaction keeps the rows");
});

test("append_table_with_alter_table: time travel uses the snapshot's schema; files of schema 0 map to schema 1 by field id", async () => {
  // README "Recall with schema-1": columns key0, key1, k, c, d, a, e.
  const old = [[0, 1, 16, 13, null, 15, null], [0, 1, 26, 23, null, 25, null], [0, 1, 36, 33, null, 35, null],
    [1, 1, 46, 43, null, 45, null], [1, 1, 56, 53, null, 55, null]];
  const added = [[0, 1, 66, 63, 517, 65, 618], [0, 1, 76, 73, 527, 75, 628], [0, 1, 86, 83, 537, 85, 638],
    [1, 1, 96, 93, 547, 95, 648], [1, 1, 106, 103, 557, 105, 658]];
  const table = "append_table_with_alter_table.db/append_table_with_alter_table";
  // Time travel to snapshot 1 reads with that snapshot's schema (schema 0: key0, key1, a, b, c, d, k),
  // as Java's tryTimeTravel does; README "snapshot-1" lists those rows.
  assert.deepEqual(await readAt(table, 1), sortRows([[0, 1, 12, 13, 14, 15, 16], [0, 1, 22, 23, 24, 25, 26],
    [0, 1, 32, 33, 34, 35, 36], [1, 1, 42, 43, 44, 45, 46], [1, 1, 52, 53, 54, 55, 56]]));
  assert.deepEqual(await readAt(table, 2), sortRows([...old, ...added]));
  // The latest read (no snapshot id) uses the current schema: schema 0's files mapped by field id.
  const t = await openTable(new NodeFsStore(TABLES + table));
  const latest: Value[][] = [];
  for await (const row of t.rows()) latest.push(Object.values(row));
  assert.deepEqual(sortRows(latest), sortRows([...old, ...added]));
});

test("projection and filter: columns in the requested order, rows where the filter is TRUE", async () => {
  const t = await openTable(new NodeFsStore(TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor"));
  const rows: Value[][] = [];
  for await (const r of t.rows({ snapshotId: 5, columns: ["f3", "f0"], filter: "f1 = 10 AND f3 > 20" })) rows.push(Object.values(r));
  assert.deepEqual(sortRows(rows), sortRows([[21.0, "Skye"], [21.1, "Marco"], [31.0, "Skye2"], [31.1, "Marco2"]]));
  const arrow = await t.read({ snapshotId: 2, filter: "f0 IN ('Alice', 'Tony')" });
  assert.equal(arrow.numRows, 1);
  assert.equal(arrow.getChild("f3")!.get(0), 19.1);
});

test("pk_09 (deletion vectors, 0.9): level 0 hidden, deletion vectors applied, at every snapshot", async () => {
  // Snapshots alternate APPEND (level-0 files, invisible with deletion vectors) and COMPACT.
  // Writes: snapshot 1 the 9 rows of FIRST_COMMIT; 3 adds Lily and "Whether..."; 5 deletes Lily,
  // sets Alice to 19.1 and deletes Tony (compaction 6 turns these into deletion vectors on the
  // level-5/level-4 files: Tony at position 4 of bucket-1, Alice and Lily at position 0 of theirs);
  // 7 sets Alice to 21.1, visible after compaction 8.
  const whether: Value[] = ["Whether I shall turn out to be the hero of my own life.", 10, 1, 19.1];
  const s2 = sortRows(FIRST_COMMIT);
  const s4 = sortRows([...FIRST_COMMIT, ["Lily", 10, 1, 20.1], whether]);
  const s6 = apply(sortRows([...FIRST_COMMIT, whether]), { delete: ["Tony"], upsert: [["Alice", 10, 1, 19.1]] });
  const s8 = apply(s6, { upsert: [["Alice", 10, 1, 21.1]] });
  const expected = [[], s2, s2, s4, s4, s6, s6, s8];
  for (let id = 1; id <= 8; id++) assert.deepEqual(await readAt("pk_09.db/pk_09", id), expected[id - 1], `snapshot ${id}`);
});

test("paimon-0.5 many_pk_table (changelog-producer input, schema without version): keys and updates per snapshot", async () => {
  const table = "paimon-0.5.db/many_pk_table";
  const keys = async (id: number) => (await readAt(table, id, ["point_id", "version", "version_info"]));
  // Snapshot 1 inserts three points; 2 deletes 787fb… and adds three rows; 3 adds 391db… and
  // updates a73d…77's version_info to "" (UPDATE_AFTER); 4 commits nothing new.
  const s1 = sortRows([["7404538406d14105a5fa9fa216bc583c", 1, "2023/6/5"], ["787fb961f52e4b0b85e5dc161420da98", 1, "2023/6/5"],
    ["9d1902511e5d4ecd8f9404ab447a1842", 1, "2023/5/29"]]);
  const s2 = sortRows([s1[0]!, s1[2]!, ["4f8ae6d3eea547068e42fa03a57acd7e", 1, "2023/6/12"], ["a73d4147e5634a72b9371b21bfea3078", 1, "2023/6/12"],
    ["a73d4147e5634a72b9371b21bfea3077", 2, "2023/6/26"]]);
  const s3 = sortRows([...s2.filter((r) => r[0] !== "a73d4147e5634a72b9371b21bfea3077"), ["a73d4147e5634a72b9371b21bfea3077", 2, ""],
    ["391db506f77b4d8da379fc4bd6fc69d3", 1, ""]]);
  assert.deepEqual(await keys(1), s1);
  assert.deepEqual(await keys(2), s2);
  assert.deepEqual(await keys(3), s3);
  assert.deepEqual(await keys(4), s3);
  // TIMESTAMP(0) stored by 0.5 as plain INT64 epoch millis: whole seconds.
  const [first] = await readAt(table, 1, ["create_time"]);
  assert.equal((first![0] as { epochMillis: number }).epochMillis % 1000, 0);
});

test("reading a missing snapshot, an unknown column or a bad filter is a clear error", async () => {
  const t = await openTable(new NodeFsStore(TABLES + "pk_09.db/pk_09"));
  await assert.rejects(() => t.read({ snapshotId: 42 }), /snapshot-42 does not exist/);
  await assert.rejects(() => t.read({ columns: ["nope"] }), /column "nope" does not exist/);
  await assert.rejects(() => t.read({ filter: "f1 = = 3" }), /position|expected/i);
});
