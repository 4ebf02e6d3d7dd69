/**
 * `lakestate sql <warehouse> "<statements>"`: runs a script of Flink SQL statements against a
 * Paimon filesystem warehouse and prints what Flink's SQL client prints.
 *
 * Catalogs: the warehouse argument (a directory, or a `file:` URL) is the session's current
 * catalog, named `default_catalog` like the catalog a Flink session starts in, with `default`
 * as the current database; unqualified names resolve there. Scripts written for Flink run
 * verbatim: `CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = '…')` opens another
 * warehouse (relative paths resolve against the current directory), `USE CATALOG c` switches to
 * it, `USE CATALOG default_catalog` switches back.
 *
 * Output: DDL, USE, SET and RESET print `[INFO] Execute statement succeed.`; INSERT and DELETE
 * print `[INFO] Complete execution of the SQL update statement.`; SELECT prints its rows (an
 * aligned table followed by Flink's `N rows in set`, or NDJSON / CSV with --format). Warnings go
 * to standard error. A failing statement stops the script (the statements before it have taken
 * effect) and exits 1 with the error's line and column; a syntax error anywhere runs nothing.
 *
 * Imports: api/catalog.ts, api/sql/*, cli helpers.
 * Mirrors: Flink's `sql-client.sh -f script.sql` (batch mode, tableau result mode).
 */
import { Catalog } from "../api/catalog.ts";
import { executeSqlStatements, localWarehousePath, type SqlCatalog, type SqlResult, SqlSession } from "../api/sql/execute.ts";
import { DEFAULT_CATALOG_NAME } from "../api/sql/names.ts";
import { LakeError } from "../errors.ts";
import { type CliHost, type CommandSpec, formatFlag, type ParsedArgs, UsageError } from "./cli_args.ts";
import { ROW_FORMATS, RowWriter } from "./row_output.ts";

/** A host that can also read standard input (for `lakestate sql <warehouse> -`). */
export type SqlCliHost = CliHost;

/** The `sql` command. */
export const SQL_COMMAND: CommandSpec = {
  name: "sql",
  summary: "Run Flink SQL statements (CREATE/ALTER/DROP, INSERT, DELETE, SELECT) against a warehouse.",
  synopsis: "lakestate sql <warehouse> (\"<statements>\" | -f FILE | -) [--format table|ndjson|csv]",
  help: `Run a script of Flink SQL statements, separated by ';', against a Paimon warehouse.
  <warehouse>       a directory or file: URL; it is the current catalog, named default_catalog
                    (the catalog a Flink session starts in), current database 'default' (created
                    by the first CREATE TABLE in it); scripts that CREATE and USE their own
                    catalogs run as written, and USE CATALOG default_catalog comes back here
  "<statements>"    the script; '-' reads it from standard input
  -f, --file FILE   read the script from FILE
  --format F        how SELECT rows print: table (default; then "N rows in set"), ndjson or csv
Statements: CREATE CATALOG c WITH ('type' = 'paimon', 'warehouse' = 'dir') (relative
directories resolve against the current directory), USE CATALOG c, USE db, CREATE/DROP DATABASE,
CREATE TABLE (PRIMARY KEY … NOT ENFORCED, PARTITIONED BY, WITH), ALTER TABLE … SET/RESET/ADD/
MODIFY/RENAME/DROP, DROP TABLE, INSERT INTO … VALUES, DELETE FROM … WHERE, SELECT cols FROM t
[WHERE …] [LIMIT n], SET 'k' = 'v', RESET. Statements run in order; the first failing one stops
the script (those before it have taken effect) with its line and column, exit code 1.
Example:
  lakestate sql ./warehouse "CREATE DATABASE db; CREATE TABLE db.t (k INT, v STRING,
    PRIMARY KEY (k) NOT ENFORCED); INSERT INTO db.t VALUES (1, 'a'); SELECT * FROM db.t"`,
  flags: { file: "value", format: "value" },
  run: runSql,
};

/**
 * The arguments of `sql` made parseable by `parseArgs`: `-f` becomes `--file`, and an argument
 * starting with `--` that holds whitespace (a script opening with a `--` comment) counts as the
 * statements, not an option.
 */
export function normalizeSqlArgs(args: readonly string[]): string[] {
  const flags: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-f" || arg === "--file" || arg === "--format") {
      flags.push(arg === "-f" ? "--file" : arg);
      if (i + 1 < args.length) flags.push(args[++i]!);
    } else if (arg.startsWith("--") && /\s/.test(arg)) {
      positional.push(arg);
    } else if (arg.startsWith("-") && arg !== "-") {
      flags.push(arg);
    } else {
      positional.push(arg);
    }
  }
  return [...flags, "--", ...positional];
}

/** Opens the filesystem catalog of a warehouse (directory or file: URL) through the host. */
function openWarehouse(host: CliHost, warehouse: string): SqlCatalog {
  return new Catalog(host.openStore(localWarehousePath(warehouse)));
}

async function readScript(args: ParsedArgs, host: SqlCliHost, command: CommandSpec): Promise<string> {
  const [, statements, extra] = args.positional;
  const file = args.flags.get("file");
  if (extra !== undefined) throw new UsageError(`sql takes a warehouse and one statements argument, got also ${JSON.stringify(extra)}`, command);
  if (file !== undefined && statements !== undefined) throw new UsageError("sql takes the statements as an argument or from --file, not both", command);
  if (typeof file === "string") return readScriptFile(host, file);
  if (statements === undefined) throw new UsageError("sql needs statements: an argument, -f FILE, or - for standard input", command);
  if (statements !== "-") return statements;
  if (host.readStdin === undefined) throw new LakeError("unsupported", "sql: this runtime cannot read statements from standard input; use -f FILE");
  return host.readStdin();
}

/** Reads a script file through a store rooted at its directory (the host's only file access). */
async function readScriptFile(host: CliHost, path: string): Promise<string> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const name = path.slice(slash + 1);
  if (name === "") throw new LakeError("invalid_argument", `sql: script file ${JSON.stringify(path)} names a directory`);
  let bytes: Uint8Array;
  try {
    bytes = await host.openStore(dir).get(name);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") throw new LakeError("not_found", `sql: script file ${path} does not exist`, { cause: error });
    throw error;
  }
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
}

async function runSql(args: ParsedArgs, host: CliHost): Promise<void> {
  const command = SQL_COMMAND;
  const warehouse = args.positional[0];
  if (warehouse === undefined) throw new UsageError("sql needs a warehouse directory", command);
  const format = formatFlag(args, ROW_FORMATS, "table", command);
  const script = await readScript(args, host, command);
  const session = new SqlSession({
    catalogs: { [DEFAULT_CATALOG_NAME]: openWarehouse(host, warehouse) },
    openCatalog: (request) => openWarehouse(host, request.warehouse),
  });
  for await (const result of executeSqlStatements(script, session)) await printResult(host, result, format);
}

async function printResult(host: CliHost, result: SqlResult, format: (typeof ROW_FORMATS)[number]): Promise<void> {
  for (const w of result.warnings) host.stderr(`lakestate: warning: ${w}\n`);
  if (result.kind !== "rows") {
    await host.stdout(`[INFO] ${result.message}\n`);
    return;
  }
  const writer = new RowWriter(host, result.columns, format);
  for (const row of result.rows) await writer.write(row);
  await writer.end();
  if (format === "table") await host.stdout(`${result.message}\n`);
}
