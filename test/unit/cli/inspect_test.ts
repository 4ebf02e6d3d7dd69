// Goal: `lakestate inspect` shows what Java wrote: the right schema, snapshots, live files and
// totals of real Java tables, and clear errors with the documented exit codes for bad input.
// Method: run the CLI in-process on fixture tables with a capturing host; compare against the
// facts of the tables' READMEs and snapshot files.
import { fileURLToPath } from "node:url";
import { assert, test } from "../../harness.ts";
import { runCli, type CliHost } from "../../../src/cli/main.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { parseJson } from "../../../src/util/json.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const host: CliHost = { openStore: (root) => new NodeFsStore(root), stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, cwd: "." };
  const code = await runCli(args, host);
  return { code, out, err };
}

test("inspect a merge-on-read table: schema, 5 snapshots, 6 live files with 16 rows", async () => {
  const r = await run(["inspect", TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /primary key \(f0, f1, f2\), partitioned by \(f1\)/);
  assert.match(r.out, /snapshots \(5\)/);
  assert.match(r.out, /live files of snapshot 5: 6 files, 16 rows, 11821 bytes/);
  assert.match(r.out, /f1=20 bucket-0 L5 data-7c66dfe2-bec3-4fc2-a952-2d17d6ae91bb-0\.parquet 2 rows/);
});

test("inspect --json at an older snapshot gives that snapshot's files and int64 as strings", async () => {
  const r = await run(["inspect", TABLES + "pk_09.db/pk_09", "--snapshot", "1", "--json"]);
  assert.equal(r.code, 0, r.err);
  const doc = parseJson(r.out) as Record<string, any>;
  assert.equal(doc.snapshot, "1");
  const total = doc.files.reduce((s: bigint, f: any) => s + BigInt(f.rowCount), 0n);
  assert.equal(String(total), doc.snapshots[0].totalRecordCount);
});

test("inspect shows deletion-vector index files of the latest snapshot", async () => {
  const r = await run(["inspect", TABLES + "pk_09.db/pk_09"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /index DELETION_VECTORS f1=10 bucket-1 index-/);
});

test("errors: missing table exits 1 naming the path; unknown command and bad flag exit 2", async () => {
  const missing = await run(["inspect", TABLES + "no_such_table"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no_such_table is not a Paimon table directory/);
  const badSnapshot = await run(["inspect", TABLES + "pk_09.db/pk_09", "--snapshot", "99"]);
  assert.equal(badSnapshot.code, 1);
  assert.match(badSnapshot.err, /snapshot-99 does not exist/);
  assert.equal((await run(["frobnicate"])).code, 2);
  const badFlag = await run(["inspect", "x", "--snapshot", "-3"]);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.err, /--snapshot expects a positive snapshot id, got "-3"/);
});

test("--help and --version", async () => {
  assert.match((await run(["--help"])).out, /lakestate inspect <table-dir>/);
  assert.match((await run(["--version"])).out, /^\d+\.\d+\.\d+\n$/);
});
