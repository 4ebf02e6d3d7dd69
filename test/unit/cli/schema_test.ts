// Goal: `lakestate schema` shows the fields (ids, names, types), keys and options Java wrote,
// for the latest or an older schema, and `--format json` prints the schema file unchanged.
// Method: run the CLI in-process on the Java-written fixtures and compare with the schema files
// (read as fixture text) and the tables' READMEs.
import { assert, readFixtureText, test } from "../../harness.ts";
import { runLakestate, TABLES } from "./cli_host.ts";

const ALTER_REL = "append_table_with_alter_table.db/append_table_with_alter_table";
const ALTER = TABLES + ALTER_REL;

test("schema text: fields with ids and types, keys, options", async () => {
  const r = await runLakestate(["schema", TABLES + "pk_09.db/pk_09"]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split("\n");
  assert.match(lines[0]!, /^schema 0 of .*pk_09 \(latest\), created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  assert.ok(lines.includes("primary key: f0, f1, f2"));
  assert.ok(lines.includes("partition keys: f1"));
  for (const field of ["   0 | f0   | STRING NOT NULL", "   1 | f1   | INT NOT NULL", "   2 | f2   | INT NOT NULL", "   3 | f3   | DOUBLE"]) {
    assert.ok(lines.includes(field), `missing ${JSON.stringify(field)} in\n${r.out}`);
  }
  for (const option of ["  bucket = 2", "  bucket-key = f2", "  deletion-vectors.enabled = true"]) assert.ok(lines.includes(option), option);
});

test("schema of an evolved table: latest by default, --schema-id 0 for the old one (README)", async () => {
  const latest = await runLakestate(["schema", ALTER]);
  assert.equal(latest.code, 0, latest.err);
  // README: after evolution key0:0 key1:1 k:6 c:3 d:7 a:5 e:8; before: key0..k with ids 0..6.
  const idsAndNames = (out: string) => out.split("\n").map((l) => /^ +(\d+) \| (\w+) +\| INT/.exec(l)).filter((m) => m !== null).map((m) => `${m![2]}:${m![1]}`);
  assert.deepEqual(idsAndNames(latest.out), ["key0:0", "key1:1", "k:6", "c:3", "d:7", "a:5", "e:8"]);
  assert.match(latest.out, /primary key: none \(append table\)/);
  assert.match(latest.out, /\| description/); // field d carries a (blank) description in schema-1
  const old = await runLakestate(["schema", ALTER, "--schema-id", "0"]);
  assert.equal(old.code, 0, old.err);
  assert.match(old.out, /^schema 0 of .* \(latest is 1\)/);
  assert.deepEqual(idsAndNames(old.out), ["key0:0", "key1:1", "a:2", "b:3", "c:4", "d:5", "k:6"]);
});

test("schema --format json prints the schema file as Java wrote it", async () => {
  for (const [args, file] of [[[], "schema-1"], [["--schema-id", "0"], "schema-0"]] as const) {
    const r = await runLakestate(["schema", ALTER, "--format", "json", ...args]);
    assert.equal(r.code, 0, r.err);
    const text = await readFixtureText(`paimon/java-tables/${ALTER_REL}/schema/${file}`);
    assert.equal(r.out, text.endsWith("\n") ? text : text + "\n");
  }
});

test("schema errors: missing schema id exits 1 naming the file; bad options exit 2", async () => {
  const missing = await runLakestate(["schema", ALTER, "--schema-id", "9"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^lakestate: schema: schema-9 does not exist\n$/);
  for (const [args, message] of [
    [["--schema-id", "x"], /--schema-id expects a schema id/],
    [["--format", "ndjson"], /--format expects one of text, json, got "ndjson"/],
    [["--snapshot", "1"], /unknown option --snapshot/],
  ] as const) {
    const r = await runLakestate(["schema", ALTER, ...args]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
  }
  const table = await runLakestate(["schema", TABLES + "nope.db/t"]);
  assert.equal(table.code, 1);
  assert.match(table.err, /nope\.db\/t is not a Paimon table directory/);
});
