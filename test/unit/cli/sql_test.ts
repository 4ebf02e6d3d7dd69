// Goal: `lakestate sql <warehouse> …` runs Flink SQL scripts given as an argument, a file (-f) or
// standard input (-), against a warehouse directory that is the current catalog
// (`default_catalog`), prints what Flink's SQL client prints ([INFO] lines, result tables with
// "N rows in set", or NDJSON/CSV), and exits 0 / 1 (a failing statement, with its line and
// column, after the output of the statements before it) / 2 (usage mistakes).
// Method: the CLI in-process (runCli) with a capturing host over temporary directories on disk;
// outputs compared with exact expected text; CREATE CATALOG with a relative warehouse checked to
// land relative to the current directory.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { assert, describe, test } from "../../harness.ts";
import { runCli, type CliHost } from "../../../src/cli/main.ts";
import { normalizeSqlArgs, type SqlCliHost } from "../../../src/cli/sql.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { runLakestate } from "./cli_host.ts";

setFastParquetSource(async () => new Uint8Array(await readFile(new URL("../../../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm", import.meta.url))));

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lakestate-sql-cli-"));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const CREATE = "CREATE DATABASE db;\nCREATE TABLE db.t (k INT, v STRING, PRIMARY KEY (k) NOT ENFORCED) WITH ('bucket' = '1');";

describe("lakestate sql", () => {
  test("runs a script and prints [INFO] lines and a result table", () => withDir(async (dir) => {
    const run = await runLakestate(["sql", dir, `${CREATE}\nINSERT INTO db.t VALUES (2, 'b'), (1, NULL);\nSELECT * FROM db.t;\nSELECT v FROM db.t WHERE k > 5`]);
    assert.equal(run.err, "");
    assert.equal(run.code, 0);
    assert.equal(run.out, [
      "[INFO] Execute statement succeed.",
      "[INFO] Execute statement succeed.",
      "[INFO] Complete execution of the SQL update statement.",
      "k | v",
      "--+-----",
      "1 | NULL",
      "2 | b",
      "2 rows in set",
      "v",
      "-",
      "Empty set",
      "",
    ].join("\n"));
    assert.ok((await stat(join(dir, "db.db", "t", "schema", "schema-0"))).isFile());
  }));

  test("--format ndjson / csv for SELECT rows", () => withDir(async (dir) => {
    const setup = await runLakestate(["sql", dir, `${CREATE} INSERT INTO db.t VALUES (1, 'a,b')`]);
    assert.equal(setup.code, 0, setup.err);
    const nd = await runLakestate(["sql", dir, "SELECT * FROM db.t", "--format", "ndjson"]);
    assert.equal(nd.out, '{"k":1,"v":"a,b"}\n');
    const csv = await runLakestate(["sql", "--format=csv", dir, "SELECT v FROM db.t"]);
    assert.equal(csv.out, 'v\r\n"a,b"\r\n');
  }));

  test("-f FILE, a leading -- comment, and - for standard input", () => withDir(async (dir) => {
    const file = join(dir, "script.sql");
    await writeFile(file, `\uFEFF-- set up\n${CREATE}\n`);
    const viaFile = await runLakestate(["sql", join(dir, "wh"), "-f", file]);
    assert.equal(viaFile.code, 0, viaFile.err);
    assert.equal(viaFile.out, "[INFO] Execute statement succeed.\n".repeat(2));
    const comment = await runLakestate(["sql", join(dir, "wh"), "-- a comment first\nINSERT INTO db.t VALUES (7, 'x')"]);
    assert.equal(comment.code, 0, comment.err);
    let out = "";
    const host: SqlCliHost = {
      openStore: (root) => new NodeFsStore(root), stdout: (t) => { out += t; }, stderr: () => {}, cwd: ".",
      readStdin: async () => "SELECT k FROM db.t",
    };
    assert.equal(await runCli(["sql", join(dir, "wh"), "-"], host), 0);
    assert.equal(out, "k\n-\n7\n1 row in set\n");
    const noStdin: CliHost = { openStore: (root) => new NodeFsStore(root), stdout: () => {}, stderr: (t) => { out = t; }, cwd: "." };
    assert.equal(await runCli(["sql", join(dir, "wh"), "-"], noStdin), 1);
    assert.match(out, /cannot read statements from standard input/);
    const missing = await runLakestate(["sql", join(dir, "wh"), "-f", join(dir, "nope.sql")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /script file .*nope\.sql does not exist/);
  }));

  test("a failing statement: earlier output printed, error with line and column, exit 1", () => withDir(async (dir) => {
    const run = await runLakestate(["sql", dir, `${CREATE}\nINSERT INTO db.t VALUES ('x', 'y');\nSELECT * FROM db.t`]);
    assert.equal(run.code, 1);
    assert.equal(run.out, "[INFO] Execute statement succeed.\n[INFO] Execute statement succeed.\n");
    assert.equal(run.err, [
      "lakestate: sql: line 3, column 26: statement 3 of 4 (line 3): value 'x' for column k does not fit INT NOT NULL: expected a number",
      "  INSERT INTO db.t VALUES ('x', 'y');",
      "                           ^",
      "",
    ].join("\n"));
    const syntax = await runLakestate(["sql", dir, "SELECT FROM db.t"]);
    assert.equal(syntax.code, 1);
    assert.match(syntax.err, /^lakestate: sql: line 1, column 8: /);
  }));

  test("CREATE CATALOG with a relative warehouse resolves against the current directory; file: URLs work", () => withDir(async (dir) => {
    const rel = relative(process.cwd(), join(dir, "other"));
    const run = await runLakestate(["sql", `file://${dir}/main`, [
      `CREATE CATALOG \`my-cat\` WITH ('type' = 'paimon', 'warehouse' = '${rel}');`,
      "USE CATALOG `my-cat`;",
      "CREATE TABLE t (a INT);",
      "USE CATALOG default_catalog;",
      "CREATE TABLE u (a INT)",
    ].join("\n")]);
    assert.equal(run.code, 0, run.err);
    assert.ok((await stat(join(dir, "other", "default.db", "t", "schema", "schema-0"))).isFile());
    assert.ok((await stat(join(dir, "main", "default.db", "u", "schema", "schema-0"))).isFile());
    const s3 = await runLakestate(["sql", dir, "CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = 's3://bucket/wh')"]);
    assert.equal(s3.code, 1);
    assert.match(s3.err, /line 1, column 57: .*scheme s3: is not supported/);
  }));

  test("warnings go to standard error", () => withDir(async (dir) => {
    const run = await runLakestate(["sql", dir, "CREATE TABLE t (a INT) WITH ('bukcet-key' = 'a')"]);
    assert.equal(run.code, 0);
    assert.match(run.err, /^lakestate: warning: .*bukcet/);
  }));

  test("usage mistakes exit 2", () => withDir(async (dir) => {
    for (const args of [["sql"], ["sql", dir], ["sql", dir, "SELECT 1", "extra"], ["sql", dir, "x", "-f", "y"], ["sql", dir, "x", "--format", "xml"], ["sql", dir, "x", "--bogus"]]) {
      const run = await runLakestate(args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.err}`);
      assert.match(run.err, /usage: lakestate sql <warehouse>/);
    }
    const help = await runLakestate(["sql", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.out, /default_catalog/);
    const top = await runLakestate(["--help"]);
    assert.match(top.out, /lakestate sql <warehouse>/);
  }));

  test("normalizeSqlArgs: -f is --file; SQL starting with -- is the statements", () => {
    assert.deepEqual(normalizeSqlArgs(["wh", "-f", "a.sql"]), ["--file", "a.sql", "--", "wh"]);
    assert.deepEqual(normalizeSqlArgs(["wh", "-- c\nSELECT 1", "--format", "csv"]), ["--format", "csv", "--", "wh", "-- c\nSELECT 1"]);
    assert.deepEqual(normalizeSqlArgs(["wh", "-"]), ["--", "wh", "-"]);
    assert.deepEqual(normalizeSqlArgs(["wh", "--", "--x"]), ["--", "wh", "--x"]);
  });
});
