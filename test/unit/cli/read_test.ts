// Goal: `lakestate read` prints what a Java batch read of the table returns, in NDJSON (the read
// issue's value rules), CSV and table form, honours --snapshot/--columns/--where/--limit, streams
// split by split exactly as Table.readColumns reads, and fails with the documented exit codes.
// Method: run the CLI in-process on the Java-written fixture tables with a capturing host; the
// expected rows come from the tables' READMEs (as in test/golden/read_tables_golden_test.ts) and
// the NDJSON spellings are written out by hand from the rules.
import { assert, test } from "../../harness.ts";
import { openTable } from "../../../src/api/catalog.ts";
import { readTableBatches } from "../../../src/cli/read_batches.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { parsePredicate } from "../../../src/table/predicate_parser.ts";
import type { Value } from "../../../src/spec/values.ts";
import { copyFixtureTable, ndjsonRows, runLakestate, TABLES } from "./cli_host.ts";

const MOR = TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
const COMPLEX = TABLES + "append_complex_data.db/append_complex_data";
const ALTER = TABLES + "append_table_with_alter_table.db/append_table_with_alter_table";
const TWO_ROADS = "Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.";

/** f0 → f3 of the mor table's latest snapshot (README: inserts, Tony and Alex deleted, updates). */
const MOR_LATEST: Record<string, number> = {
  Alice: 19.1, [TWO_ROADS]: 11, Bob: 12.1, David: 17.1, Emily: 13.1, Marco: 21.1, Marco2: 31.1, Skye: 21, Skye2: 31, Lucy: 14.1, Paul: 18.1,
};

test("read: NDJSON of a merge-on-read table is the merged latest snapshot, keys in field order", async () => {
  const r = await runLakestate(["read", MOR]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  const rows = ndjsonRows(r.out);
  assert.equal(rows.length, Object.keys(MOR_LATEST).length);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row), ["f0", "f1", "f2", "f3"]);
    assert.equal(row.f3, MOR_LATEST[row.f0 as string], `f3 of ${String(row.f0)}`);
    assert.equal(row.f1, (row.f0 === "Lucy" || row.f0 === "Paul") ? 20 : 10);
  }
  // Integral doubles are JSON numbers without a fraction (11, not "11.0").
  assert.ok(r.out.includes(`{"f0":${JSON.stringify(TWO_ROADS)},"f1":10,"f2":1,"f3":11}\n`), r.out);
});

test("read: NDJSON spellings of DATE, TIMESTAMP(9), DECIMAL(23,5), BYTES and null", async () => {
  const r = await runLakestate(["read", COMPLEX, "--where", "f1 = 20"]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n").sort();
  // README row (20, 1, -1234, 1899-01-01 00:59:20.001001001, -123456789987654321.45678, "bad"):
  // day -1234 is 1966-08-16; "bad" in base64 is YmFk. Row (20, 0, -100, null, 0, "get").
  assert.deepEqual(lines, [
    '{"f1":20,"f2":0,"f3":"1969-09-23","f4":null,"f5":"0.00000","f6":"Z2V0"}',
    '{"f1":20,"f2":1,"f3":"1966-08-16","f4":"1899-01-01T00:59:20.001001001","f5":"-123456789987654321.45678","f6":"YmFk"}',
  ]);
  const all = ndjsonRows((await runLakestate(["read", COMPLEX])).out);
  assert.equal(all.length, 8);
  assert.ok(all.some((row) => row.f4 === "2033-05-18T03:33:20.000000000" && row.f5 === "123456789987654321.45678"), "TIMESTAMP(9) keeps 9 fraction digits");
});

test("read --format csv: RFC 4180 with CRLF, quoted cells holding commas, empty cell for NULL", async () => {
  const r = await runLakestate(["read", MOR, "--format", "csv", "--where", `f0 IN ('Alice', '${TWO_ROADS}')`]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split("\r\n");
  assert.equal(lines[0], "f0,f1,f2,f3");
  assert.deepEqual(lines.slice(1).sort(), ["", `"${TWO_ROADS}",10,1,11`, "Alice,10,1,19.1"]);
  const nulls = await runLakestate(["read", COMPLEX, "--format=csv", "--columns", "f3,f5", "--where", "f5 IS NULL OR f3 IS NULL"]);
  assert.equal(nulls.code, 0, nulls.err);
  assert.deepEqual(nulls.out.split("\r\n").slice(1).sort(), ["", ",0.00000", "1970-01-01,"]);
});

test("read --format table: header, rule, aligned rows, NULL shown", async () => {
  const r = await runLakestate(["read", ALTER, "--format", "table", "--where", "k = 16 OR k = 106"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, [
    "key0 | key1 |   k |   c |    d |   a |    e",
    "-----+------+-----+-----+------+-----+-----",
    "   0 |    1 |  16 |  13 | NULL |  15 | NULL",
    "   1 |    1 | 106 | 103 |  557 | 105 |  658",
    "",
  ].join("\n"));
});

test("read --snapshot, --columns order and --where on the mor table", async () => {
  const s1 = ndjsonRows((await runLakestate(["read", MOR, "--snapshot", "1", "--columns", "f3,f0", "--where", "f0 = 'Tony'"])).out);
  assert.deepEqual(s1, [{ f3: 14.1, f0: "Tony" }]); // Tony exists at snapshot 1, deleted later
  const latest = await runLakestate(["read", MOR, "--where", "f0 = 'Tony'"]);
  assert.equal(latest.code, 0, latest.err);
  assert.equal(latest.out, "");
  const r = await runLakestate(["read", MOR, "--columns", "f0", "--where", "f1 = 10 AND f3 > 20 AND NOT f0 = 'Marco2'"]);
  assert.deepEqual(ndjsonRows(r.out).map((x) => x.f0).sort(), ["Marco", "Skye", "Skye2"]);
  assert.ok(ndjsonRows(r.out).every((x) => Object.keys(x).join() === "f0"));
});

test("read --limit stops after N rows; --limit 0 prints nothing (CSV: the header only)", async () => {
  const three = await runLakestate(["read", MOR, "--limit", "3"]);
  assert.equal(three.code, 0, three.err);
  assert.equal(ndjsonRows(three.out).length, 3);
  assert.equal((await runLakestate(["read", MOR, "--limit", "0"])).out, "");
  assert.equal((await runLakestate(["read", MOR, "--limit", "0", "--format", "csv"])).out, "f0,f1,f2,f3\r\n");
});

test("read of a schema-evolved append table maps old files by field id", async () => {
  const rows = ndjsonRows((await runLakestate(["read", ALTER, "--where", "k < 60"])).out);
  assert.deepEqual(rows.map((x) => x.k).sort((a, b) => Number(a) - Number(b)), [16, 26, 36, 46, 56]);
  assert.ok(rows.every((x) => x.d === null && x.e === null && Number(x.a) === Number(x.k) - 1), JSON.stringify(rows));
});

test("split-by-split reading equals Table.readColumns on every fixture table at every snapshot", async () => {
  const tables = ["pk_09.db/pk_09", "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor",
    "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row", "append_complex_data.db/append_complex_data",
    "append_table_with_alter_table.db/append_table_with_alter_table", "paimon-0.5.db/many_pk_table"];
  let compared = 0;
  for (const name of tables) {
    const table = await openTable(new NodeFsStore(TABLES + name));
    for (const snapshot of await table.snapshots()) {
      for (const filter of [null, table.schema.primaryKeys.length > 0 ? `${table.schema.primaryKeys[0]} IS NOT NULL` : null]) {
        const expected = await table.readColumns({ snapshotId: snapshot.id, filter });
        const got: Value[][] = expected.fields.map(() => []);
        let batches = 0;
        for await (const b of readTableBatches(table, { snapshotId: snapshot.id, fields: await table.readFields({ snapshotId: snapshot.id }), filter: filter === null ? null : parsePredicate(filter) })) {
          batches++;
          b.columns.forEach((col, c) => got[c]!.push(...col.slice(0, b.rowCount)));
        }
        assert.deepEqual(got, expected.columns, `${name} at snapshot ${snapshot.id}`);
        if (expected.rowCount > 0) assert.ok(batches >= 1);
        compared++;
      }
    }
  }
  assert.ok(compared >= 30, `compared ${compared} reads`);
});

test("read errors: missing table and snapshot exit 1 with one line naming them", async () => {
  const missing = await runLakestate(["read", TABLES + "no_such.db/table"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^lakestate: .*no_such\.db\/table is not a Paimon table directory.*\n$/);
  const snap = await runLakestate(["read", MOR, "--snapshot", "99"]);
  assert.equal(snap.code, 1);
  assert.match(snap.err, /^lakestate: .*snapshot-99 does not exist.*\n$/);
  assert.equal(snap.out, "");
});

test("read usage errors exit 2 with the command's usage: columns, where, flags, formats", async () => {
  const cases: [string[], RegExp][] = [
    [["read", MOR, "--columns", "f0,nope"], /column "nope" does not exist/],
    [["read", MOR, "--columns", "f0,,f1"], /--columns expects comma-separated column names/],
    [["read", MOR, "--columns", "f0,f0"], /--columns names "f0" twice/],
    [["read", MOR, "--where", "f0 = "], /where: .*position/],
    [["read", MOR, "--where", "nope = 1"], /unknown column "nope"/],
    [["read", MOR, "--where", "f1 = 'abc'"], /literal 'abc' for column "f1"/],
    [["read", MOR, "--format", "xml"], /--format expects one of ndjson, csv, table, got "xml"/],
    [["read", MOR, "--limit", "-1"], /--limit expects a non-negative row count, got "-1"/],
    [["read", MOR, "--snapshot", "0"], /--snapshot expects a positive snapshot id, got "0"/],
    [["read", MOR, "--bogus", "1"], /unknown option --bogus; expected one of: --snapshot, --columns, --where, --format, --limit/],
    [["read", MOR, "--json"], /unknown option --json/],
    [["read", MOR, "-x"], /unknown option "-x"/],
    [["read", MOR, "--limit", "1", "--limit", "2"], /--limit is given more than once/],
    [["read", MOR, "--where"], /option --where needs a value/],
    [["read"], /read needs a table directory/],
    [["read", MOR, MOR], /read takes one table directory/],
  ];
  for (const [args, message] of cases) {
    const r = await runLakestate(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, message, args.join(" "));
    assert.match(r.err, /usage: lakestate read <table-dir>/);
    assert.match(r.err, /Run 'lakestate read --help' for details\./);
    assert.equal(r.out, "");
  }
});

test("read of a damaged table exits 1 with one line naming the file, no stack trace", async () => {
  const relDir = "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
  const store = await copyFixtureTable(relDir);
  const victim = (await store.list("f1=20/bucket-0/")).find((e) => e.path.endsWith(".parquet"))!.path;
  const bytes = await store.get(victim);
  await store.put(victim, bytes.subarray(0, bytes.length - 10));
  const r = await runLakestate(["read", "damaged"], { openStore: () => store });
  assert.equal(r.code, 1);
  assert.equal(r.err.split("\n").length, 2, r.err); // one line plus the final newline
  assert.ok(r.err.includes(victim.split("/").pop()!), r.err);
  assert.doesNotMatch(r.err, /\n\s+at /);
});

test("an unsupported table feature exits 1 naming the option", async () => {
  const store = await copyFixtureTable("pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");
  const schema = new TextDecoder().decode(await store.get("schema/schema-0"));
  const edited = schema.replace(/"options" : \{/, `"options" : { "merge-engine" : "aggregation", "fields.f3.aggregate-function" : "hll_sketch",`);
  assert.notEqual(edited, schema);
  await store.put("schema/schema-0", new TextEncoder().encode(edited));
  const r = await runLakestate(["read", "t"], { openStore: () => store });
  assert.equal(r.code, 1);
  assert.match(r.err, /^lakestate: .*fields\.f3\.aggregate-function.*hll_sketch.*not supported.*\n$/);
});

test("an unexpected error is one line with exit 1; the stack only with debug", async () => {
  const boom = () => { throw new TypeError("boom"); };
  const r = await runLakestate(["read", "somewhere"], { openStore: boom });
  assert.equal(r.code, 1);
  assert.match(r.err, /^lakestate: unexpected TypeError in 'read somewhere': boom \(.*LAKESTATE_DEBUG=1.*\)\n$/);
  const d = await runLakestate(["read", "somewhere"], { openStore: boom, debug: true });
  assert.match(d.err, /\n\s+at /);
});
