// Goal: `lakestate lookup` prints exactly the rows a full read holds for the given keys, in key
// order and in the read command's formats; keys equal to the primary key give one row, other
// keys every match (with a warning when they miss the bucket key); quoting, --snapshot,
// --columns work; mistakes are usage errors (exit 2) and missing tables exit 1.
// Method: run the CLI in-process on the Java-written fixture tables; the expected rows come
// from `lakestate read` of the same table and snapshot (a full scan, an independent path), for
// every row of every snapshot of the primary-key fixtures plus misses.
import { assert, test } from "../../harness.ts";
import { parseKeyFlag } from "../../../src/cli/lookup.ts";
import { ndjsonRows, runLakestate, TABLES } from "./cli_host.ts";

const MOR = TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
const PK_TABLES = ["pk_09.db/pk_09", "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor",
  "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row", "paimon-0.5.db/many_pk_table"];
const TWO_ROADS = "Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.";

/** `--key` text of one row's values for `columns`, quoting where needed. */
function keyText(row: Record<string, unknown>, columns: readonly string[]): string {
  return columns.map((c) => {
    const text = String(row[c]);
    return `${c}=${/[,;=']|^ | $|^$/.test(text) ? `'${text.replaceAll("'", "''")}'` : text}`;
  }).join(",");
}

async function rowsOf(args: string[]): Promise<Record<string, unknown>[]> {
  const r = await runLakestate(args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
  return ndjsonRows(r.out);
}

test("lookup by the primary key returns each row a full read holds, at every snapshot, and nothing for misses", async () => {
  let probed = 0;
  for (const name of PK_TABLES) {
    const dir = TABLES + name;
    const schema = await runLakestate(["schema", dir, "--format", "json"]);
    const parsed = JSON.parse(schema.out) as { primaryKeys: string[]; fields: { name: string; type: string }[] };
    const pk = parsed.primaryKeys;
    // A key no row has: a string no fixture holds, an integer out of the fixtures' ranges.
    const miss = Object.fromEntries(pk.map((c) => [c, parsed.fields.find((f) => f.name === c)!.type.startsWith("STRING") ? "no such key" : 987654]));
    const snapshots = ndjsonRows((await runLakestate(["snapshots", dir, "--format", "ndjson"])).out).map((s) => String(s.snapshot_id));
    for (const snapshot of snapshots) {
      const expected = await rowsOf(["read", dir, "--snapshot", snapshot]);
      // All keys in one call (several `;`-joined keys), plus a miss in the middle.
      const probes = [...expected.slice(0, 1), miss, ...expected.slice(1)];
      const got = await rowsOf(["lookup", dir, "--snapshot", snapshot, "--key", probes.map((r) => keyText(r, pk)).join(";")]);
      assert.deepEqual(got, expected, `${name} at snapshot ${snapshot}`);
      probed += probes.length;
    }
  }
  assert.ok(probed > 60, `probed ${probed} keys`);
});

test("lookup: key order, quoted values holding commas, misses print nothing", async () => {
  const got = await rowsOf(["lookup", MOR, "--key", `f0=Paul,f1=20,f2=1; f0=Nobody,f1=10,f2=0; f2=0,f1=10,f0=Bob; f0='${TWO_ROADS}',f1=10,f2=1`]);
  assert.deepEqual(got.map((r) => r.f0), ["Paul", "Bob", TWO_ROADS]);
  assert.deepEqual(got[0], { f0: "Paul", f1: 20, f2: 1, f3: 18.1 });
  const none = await runLakestate(["lookup", MOR, "--key", "f0=Tony,f1=10,f2=0"]);
  assert.deepEqual([none.code, none.out, none.err], [0, "", ""]); // Tony was deleted
  assert.deepEqual(await rowsOf(["lookup", MOR, "--snapshot", "1", "--key", "f0=Tony,f1=10,f2=0"]), [{ f0: "Tony", f1: 10, f2: 0, f3: 14.1 }]);
});

test("lookup by keys that are not the primary key returns every match; missing the bucket key warns", async () => {
  const r = await runLakestate(["lookup", MOR, "--key", "f2=0"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "", "f2 is the bucket key: no warning");
  const expected = await rowsOf(["read", MOR, "--where", "f2 = 0"]);
  const sort = (rows: Record<string, unknown>[]) => rows.map((x) => JSON.stringify(x)).sort();
  assert.deepEqual(sort(ndjsonRows(r.out)), sort(expected));
  assert.equal(expected.length, 7);

  const p = await runLakestate(["lookup", MOR, "--key", "f1=20"]);
  assert.equal(p.code, 0, p.err);
  assert.deepEqual(ndjsonRows(p.out).map((x) => x.f0).sort(), ["Lucy", "Paul"]);
  assert.match(p.err, /^lakestate: warning: lookup: keys \[f1\] do not cover the bucket key \[f2\].*every bucket/);
});

test("lookup --format table/csv and --columns print as read does", async () => {
  const key = ["--key", "f0=Alice,f1=10,f2=1;f0=Lucy,f1=20,f2=1"];
  const table = await runLakestate(["lookup", MOR, ...key, "--format", "table", "--columns", "f3,f0"]);
  assert.equal(table.code, 0, table.err);
  assert.equal(table.out, ["  f3 | f0", "-----+------", "19.1 | Alice", "14.1 | Lucy", ""].join("\n"));
  const csv = await runLakestate(["lookup", MOR, ...key, "--format", "csv"]);
  assert.equal(csv.out, "f0,f1,f2,f3\r\nAlice,10,1,19.1\r\nLucy,20,1,14.1\r\n");
});

test("lookup usage errors exit 2 with the command's usage; a missing table exits 1", async () => {
  const cases: [string[], RegExp][] = [
    [["lookup", MOR], /lookup needs --key col=value/],
    [["lookup", MOR, "--key", "f0"], /--key expects col=value/],
    [["lookup", MOR, "--key", "f0=Alice,"], /--key ends with a separator/],
    [["lookup", MOR, "--key", "f0="], /gives no value for "f0"/],
    [["lookup", MOR, "--key", "f0='Alice"], /unterminated quote/],
    [["lookup", MOR, "--key", "nope=1"], /column "nope" does not exist/],
    [["lookup", MOR, "--key", "f0=a,f0=b"], /names a column twice/],
    [["lookup", MOR, "--key", "f1=ten"], /value "ten" for f1: .*not a INT|value "ten" for f1/],
    [["lookup", MOR, "--key", "f1=10;f2=1"], /--key 2 names columns f2; every key must name f1/],
    [["lookup", MOR, "--key", "f1=10", "--columns", "zz"], /column "zz" does not exist/],
    [["lookup", MOR, "--key", "f1=10", "--format", "xml"], /--format expects one of ndjson, csv, table/],
    [["lookup", MOR, "--key", "f1=10", "--snapshot", "0"], /--snapshot expects a positive snapshot id/],
    [["lookup", "--key", "f1=10"], /lookup needs a table directory/],
  ];
  for (const [args, message] of cases) {
    const r = await runLakestate(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, message, args.join(" "));
    assert.match(r.err, /usage: lakestate lookup <table-dir> --key/);
    assert.equal(r.out, "");
  }
  const missing = await runLakestate(["lookup", TABLES + "no_such.db/t", "--key", "a=1"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no_such\.db\/t is not a Paimon table directory/);
  const help = await runLakestate(["--help"]);
  assert.match(help.out, /lakestate lookup <table-dir> --key/);
});

test("--key parsing: pairs, keys, quotes with '' and separators inside", () => {
  assert.deepEqual(parseKeyFlag("a=1,b=x y"), [[{ column: "a", text: "1" }, { column: "b", text: "x y" }]]);
  assert.deepEqual(parseKeyFlag(" a = 1 ; a='it''s, a;b=c' "), [[{ column: "a", text: "1" }], [{ column: "a", text: "it's, a;b=c" }]]);
  assert.deepEqual(parseKeyFlag("a=''"), [[{ column: "a", text: "" }]]);
  assert.throws(() => parseKeyFlag("a='x'y"), /text after a quoted value/);
  assert.throws(() => parseKeyFlag("=1"), /--key expects col=value/);
});
