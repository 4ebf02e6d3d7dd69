// Goal: `lakestate expire` runs partition then snapshot expiration once and says what each did,
// honours --partitions/--snapshots/--older-than, refuses what cannot run with the right exit code
// (2 for usage, 1 naming the bad option or table); `lakestate tag` lists, creates, renames and
// deletes tags with Java's errors.
// Method: MemoryStore tables written through the public Table API at the real clock (partitions
// dated 2000 are old, today's is new), the CLI run in-process against them.
import { assert, describe, test } from "../../harness.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { listSnapshotIds, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import { readTag } from "../../../src/table/tag_manager.ts";
import { Table } from "../../../src/api/table.ts";
import { field, makeTable } from "../table/write/table_writer_helpers.ts";
import { runLakestate } from "./cli_host.ts";

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}${String(d.getDate()).padStart(2, "0")}`;
}

async function dailyTable(options: Record<string, string>, partitioned = true): Promise<ObjectStore> {
  const { store, table } = await makeTable({
    fields: [field(0, "k", "INT NOT NULL"), field(1, "dt", "STRING NOT NULL")],
    primaryKeys: partitioned ? ["k", "dt"] : ["k"], partitionKeys: partitioned ? ["dt"] : [],
    options: { bucket: "1", ...options },
  });
  // write-only: the writer's own post-commit expiration stays off, so the CLI does the work here.
  const writeOnly = { options: { "write-only": "true" } };
  await table.write([{ k: 1, dt: "20000101" }, { k: 2, dt: "20000102" }], writeOnly);
  await table.write([{ k: 3, dt: today() }], writeOnly);
  return store;
}

const run = (store: ObjectStore, args: string[]) => runLakestate(args, { openStore: () => store });

async function dts(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const row of (await Table.open(store)).rows()) out.push(String(row.dt));
  return out.sort();
}

describe("lakestate expire", () => {
  test("drops old partitions by the table's options, then expires snapshots", async () => {
    const store = await dailyTable({ "partition.expiration-time": "1 d", "partition.timestamp-formatter": "yyyyMMdd" });
    const r = await run(store, ["expire", "t"]);
    assert.equal(r.err, "");
    assert.equal(r.code, 0);
    assert.equal(r.out, "partitions: expired 2 (dt=20000101; dt=20000102) in snapshot 3\nsnapshots: none expired\n");
    assert.deepEqual(await dts(store), [today()]);
    assert.equal((await readSnapshot(store, 3n)).commitKind, "OVERWRITE");
    assert.equal((await run(store, ["expire", "t", "--partitions"])).out, "partitions: none expired\n");
  });

  test("--older-than sets the partition expiration time and the snapshot retention for the run", async () => {
    const store = await dailyTable({ "snapshot.num-retained.min": "1", "partition.timestamp-formatter": "yyyyMMdd" });
    const none = await run(store, ["expire", "t"]);
    assert.equal(none.out, "partitions: not configured (no 'partition.expiration-time'; --older-than sets one)\nsnapshots: none expired\n");
    const usage = await run(store, ["expire", "t", "--partitions"]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /sets no 'partition.expiration-time'; pass --older-than DURATION/);
    const r = await run(store, ["expire", "t", "--older-than", "2 d"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, "partitions: expired 2 (dt=20000101; dt=20000102) in snapshot 3\nsnapshots: none expired\n", "snapshots are younger than 2 d");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const s = await run(store, ["expire", "t", "--snapshots", "--older-than", "0 s"]);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /^snapshots: expired 2, deleted \d+ files\n$/);
    assert.deepEqual(await listSnapshotIds(store), [3n]);
    assert.deepEqual(await dts(store), [today()]);
  });

  test("unparsable partition values are reported as kept", async () => {
    const { store, table } = await makeTable({
      fields: [field(0, "k", "INT NOT NULL"), field(1, "dt", "STRING NOT NULL")], partitionKeys: ["dt"],
      options: { bucket: "-1", "partition.expiration-time": "1 d", "partition.timestamp-formatter": "yyyyMMdd" },
    });
    await table.write([{ k: 1, dt: "20000101" }, { k: 2, dt: "unknown" }]);
    const r = await run(store, ["expire", "t", "--partitions"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^partitions: expired 1 \(dt=20000101\) in snapshot 2\npartitions: kept 1 whose time could not be read \(dt=unknown\)/);
  });

  test("mistakes: a bad duration is usage (2); bad options and unpartitioned tables are errors (1)", async () => {
    const store = await dailyTable({ "partition.expiration-time": "1 d", "partition.timestamp-formatter": "yyyyMM" });
    const bad = await run(store, ["expire", "t"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^lakestate: partition expiration: option 'partition.timestamp-formatter' = "yyyyMM"/);
    const duration = await run(store, ["expire", "t", "--older-than", "soon"]);
    assert.equal(duration.code, 2);
    assert.match(duration.err, /--older-than expects a duration such as '7 d' or '12 h', got "soon"/);
    const flat = await dailyTable({}, false);
    const r = await run(flat, ["expire", "t", "--partitions", "--older-than", "1 d"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /t is not partitioned/);
    assert.equal((await run(flat, ["expire", "t"])).out, "partitions: the table is not partitioned\nsnapshots: none expired\n");
  });
});

describe("lakestate tag", () => {
  test("create, list, rename, delete, with Java's errors", async () => {
    const store = await dailyTable({});
    assert.equal((await run(store, ["tag", "t", "list"])).out, "no tags\n");
    assert.equal((await run(store, ["tag", "t", "create", "first", "--snapshot", "1"])).out, "created tag first of snapshot 1\n");
    assert.equal((await run(store, ["tag", "t", "create", "last", "--time-retained", "36 h"])).out, "created tag last of snapshot 2\n");
    assert.deepEqual((await readTag(store, "last"))?.tagTimeRetained, { seconds: 129600n, nanos: 0 });
    const list = await run(store, ["tag", "t", "list"]);
    assert.equal(list.code, 0, list.err);
    const lines = list.out.trimEnd().split("\n");
    assert.match(lines[0]!, /tag_name .*snapshot_id .*schema_id .*commit_time .*record_count .*create_time .*time_retained/);
    assert.match(list.out, /first +\| +1 +\| +0 .*\| +2 +\| NULL +\| NULL/);
    assert.match(list.out, /last +\| +2 .*\| PT36H/);
    const dup = await run(store, ["tag", "t", "create", "first"]);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /Tag 'first' already exists/);
    assert.equal((await run(store, ["tag", "t", "rename", "first", "one"])).out, "renamed tag first to one\n");
    assert.equal((await run(store, ["tag", "t", "delete", "one"])).out, "deleted tag one\n");
    const gone = await run(store, ["tag", "t", "delete", "one"]);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /Tag 'one' doesn't exist/);
    assert.equal((await run(store, ["tag", "t", "create", "x", "--snapshot", "9"])).code, 1);
    for (const args of [["tag", "t"], ["tag", "t", "create"], ["tag", "t", "drop", "x"], ["tag", "t", "list", "--snapshot", "1"], ["tag", "t", "create", "x", "--time-retained", "later"]]) {
      assert.equal((await run(store, args)).code, 2, args.join(" "));
    }
  });
});
