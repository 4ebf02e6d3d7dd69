// Goal: `lakestate snapshots` and `lakestate files` print Paimon's $snapshots and $files system
// tables with Java's column names and order, the values Java wrote, in every format; errors exit
// with the documented codes.
// Method: run the CLI in-process on the Java-written fixtures; expected snapshot values are taken
// from the snapshot JSON files with a regex (not lakestate's decoder), commit_time from the
// runtime's own local-time Date getters, and file facts from the filesystem (each printed path
// exists with the printed size) and the tables' READMEs.
import { stat } from "node:fs/promises";
import { assert, readFixtureText, test } from "../../harness.ts";
import { FILES_FIELDS, SNAPSHOTS_FIELDS } from "../../../src/cli/system_tables.ts";
import { ndjsonRows, runLakestate, TABLES } from "./cli_host.ts";

const MOR_REL = "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
const MOR = TABLES + MOR_REL;

/** Java's SnapshotsTable columns, in order. */
const JAVA_SNAPSHOTS_COLUMNS = ["snapshot_id", "schema_id", "commit_user", "commit_identifier", "commit_kind", "commit_time",
  "base_manifest_list", "delta_manifest_list", "changelog_manifest_list", "total_record_count", "delta_record_count",
  "changelog_record_count", "watermark", "next_row_id", "operation", "writer_version"];
/** Java's FilesTable columns, in order, without the ones lakestate does not print yet. */
const JAVA_FILES_COLUMNS = ["partition", "bucket", "file_path", "file_format", "schema_id", "level", "record_count",
  "file_size_in_bytes", "min_key", "max_key", "min_sequence_number", "max_sequence_number", "creation_time", "deleteRowCount"];

/** A JSON scalar of a snapshot file as the NDJSON rules print it (int64 beyond 2^53-1 as a string). */
function field(json: string, key: string): unknown {
  const m = new RegExp(`"${key}" : (-?\\d+|null|"[^"]*")`).exec(json);
  if (m === null) return null;
  if (m[1]!.startsWith('"')) return JSON.parse(m[1]!);
  if (m[1] === "null") return null;
  const big = BigInt(m[1]!);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : m[1];
}

/** Local wall time of epoch millis via Date's local getters, as `YYYY-MM-DDTHH:MM:SS.mmm`. */
function localText(millis: number): string {
  const d = new Date(millis);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

test("the column lists are Java's", () => {
  assert.deepEqual(SNAPSHOTS_FIELDS.map((f) => f.name), JAVA_SNAPSHOTS_COLUMNS);
  assert.deepEqual(FILES_FIELDS.map((f) => f.name), JAVA_FILES_COLUMNS);
});

test("snapshots --format ndjson: every snapshot of every shape with the values of its JSON file", async () => {
  for (const [rel, count] of [["pk_09.db/pk_09", 8], ["paimon-0.5.db/many_pk_table", 4], [MOR_REL, 5]] as const) {
    const r = await runLakestate(["snapshots", TABLES + rel, "--format", "ndjson"]);
    assert.equal(r.code, 0, r.err);
    const rows = ndjsonRows(r.out);
    assert.equal(rows.length, count, rel);
    for (const [i, row] of rows.entries()) {
      const json = await readFixtureText(`paimon/java-tables/${rel}/snapshot/snapshot-${i + 1}`);
      assert.deepEqual(Object.keys(row), JAVA_SNAPSHOTS_COLUMNS);
      const expected = {
        snapshot_id: field(json, "id"), schema_id: field(json, "schemaId"), commit_user: field(json, "commitUser"),
        commit_identifier: field(json, "commitIdentifier"), commit_kind: field(json, "commitKind"),
        commit_time: localText(Number(field(json, "timeMillis"))), base_manifest_list: field(json, "baseManifestList"),
        delta_manifest_list: field(json, "deltaManifestList"), changelog_manifest_list: field(json, "changelogManifestList"),
        total_record_count: field(json, "totalRecordCount"), delta_record_count: field(json, "deltaRecordCount"),
        changelog_record_count: field(json, "changelogRecordCount"), watermark: field(json, "watermark"),
        next_row_id: field(json, "nextRowId"), operation: field(json, "operation"), writer_version: field(json, "writerVersion"),
      };
      assert.deepEqual(row, expected, `${rel} snapshot ${i + 1}`);
    }
  }
  // The 0.5 table's watermark is Long.MIN_VALUE: beyond 2^53-1, so a decimal string.
  const old = ndjsonRows((await runLakestate(["snapshots", TABLES + "paimon-0.5.db/many_pk_table", "--format", "ndjson"])).out);
  assert.equal(old[0]!.watermark, "-9223372036854775808");
});

test("snapshots default table format and csv", async () => {
  const t = await runLakestate(["snapshots", MOR]);
  assert.equal(t.code, 0, t.err);
  const lines = t.out.trimEnd().split("\n");
  assert.equal(lines.length, 2 + 5);
  assert.match(lines[0]!, /^snapshot_id \| schema_id \| commit_user +\| commit_identifier \| commit_kind \| commit_time /);
  assert.match(lines[1]!, /^-+-\+-/);
  const csv = await runLakestate(["snapshots", MOR, "--format", "csv"]);
  const records = csv.out.split("\r\n");
  assert.equal(records[0], JAVA_SNAPSHOTS_COLUMNS.join(","));
  assert.equal(records.length, 1 + 5 + 1);
  assert.match(records[5]!, /^5,0,[0-9a-f-]+,\d+,(APPEND|COMPACT),\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3},manifest-list-/);
});

test("files --format ndjson: the live files of the latest and of an older snapshot", async () => {
  const r = await runLakestate(["files", MOR, "--format", "ndjson"]);
  assert.equal(r.code, 0, r.err);
  const rows = ndjsonRows(r.out);
  // inspect_test / README facts: 6 live files, 16 rows, 11821 bytes at snapshot 5.
  assert.equal(rows.length, 6);
  assert.equal(rows.reduce((s, x) => s + Number(x.record_count), 0), 16);
  assert.equal(rows.reduce((s, x) => s + Number(x.file_size_in_bytes), 0), 11821);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row), JAVA_FILES_COLUMNS);
    assert.equal((await stat(String(row.file_path))).size, row.file_size_in_bytes, String(row.file_path));
    assert.ok(String(row.file_path).startsWith(`${MOR}/f1=${String(row.partition).slice(1, -1)}/bucket-${row.bucket}/data-`));
    assert.equal(row.file_format, "parquet");
    assert.equal(row.schema_id, 0);
    assert.match(String(row.creation_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    assert.ok(Number(row.min_sequence_number) <= Number(row.max_sequence_number));
  }
  const lucy = rows.find((x) => x.partition === "{20}")!;
  assert.deepEqual([lucy.bucket, lucy.level, lucy.record_count, lucy.min_key, lucy.max_key], [0, 5, 2, "[Lucy, 1]", "[Paul, 1]"]);
  assert.ok(String(lucy.file_path).endsWith("/f1=20/bucket-0/data-7c66dfe2-bec3-4fc2-a952-2d17d6ae91bb-0.parquet"));
  const first = ndjsonRows((await runLakestate(["files", MOR, "--snapshot", "1", "--format", "ndjson"])).out);
  assert.equal(first.reduce((s, x) => s + Number(x.record_count), 0), 9); // README: 9 rows in the first commit
  assert.ok(first.every((x) => x.level === 0));
});

test("files of an append table: no key range; csv has Java's header", async () => {
  const r = await runLakestate(["files", TABLES + "append_complex_data.db/append_complex_data", "--format", "csv"]);
  assert.equal(r.code, 0, r.err);
  const records = r.out.split("\r\n").filter((l) => l !== "");
  assert.equal(records[0], JAVA_FILES_COLUMNS.join(","));
  for (const rec of records.slice(1)) assert.match(rec, /^\{(10|20)\},[01],[^,]+\.parquet,parquet,0,0,\d+,\d+,,,/);
  const table = await runLakestate(["files", TABLES + "append_table_with_alter_table.db/append_table_with_alter_table", "--format", "ndjson"]);
  const parts = new Set(ndjsonRows(table.out).map((x) => x.partition));
  assert.deepEqual([...parts].sort(), ["{0, 1}", "{1, 1}"]); // two partition keys: Java's `{v1, v2}`
});

test("snapshots and files errors: missing table exits 1, bad options exit 2", async () => {
  const missing = await runLakestate(["files", TABLES + "nope"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^lakestate: .*nope is not a Paimon table directory.*\n$/);
  const snap = await runLakestate(["files", MOR, "--snapshot", "42"]);
  assert.equal(snap.code, 1);
  assert.match(snap.err, /snapshot-42/);
  for (const [args, message] of [
    [["snapshots", MOR, "--snapshot", "1"], /unknown option --snapshot; expected one of: --format/],
    [["snapshots", MOR, "--format", "json"], /--format expects one of ndjson, csv, table, got "json"/],
    [["files", MOR, "--where", "x = 1"], /unknown option --where/],
    [["files"], /files needs a table directory/],
  ] as const) {
    const r = await runLakestate([...args]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.match(r.err, new RegExp(`usage: lakestate ${args[0]} <table-dir>`));
  }
});
