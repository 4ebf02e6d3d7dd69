/**
 * The `lakestate` command line: finds the command, parses its options and runs it.
 *
 * Contract: runtime-neutral; the runtime entry (node_main.ts, deno_main.ts) passes a `CliHost`
 * with a store factory and output streams. Returns an exit code: 0 success; 1 an operating
 * error (missing table, corrupt file, unsupported feature), printed as `lakestate: <message>`
 * naming the file or value; 2 a usage error, printed with the command's usage and a hint.
 * An unexpected error (a bug, or damage a decoder did not recognise) is also one line, exit 1;
 * its stack is printed only with `host.debug`.
 * Imports: errors.ts, cli/* command modules.
 */
import { LakeError } from "../errors.ts";
import { type CliHost, type CommandSpec, parseArgs, UsageError } from "./cli_args.ts";
import { EXPIRE_COMMAND } from "./expire.ts";
import { INSPECT_COMMAND } from "./inspect.ts";
import { LOOKUP_COMMAND } from "./lookup.ts";
import { MANIFESTS_COMMAND } from "./manifests.ts";
import { READ_COMMAND } from "./read.ts";
import { SCHEMA_COMMAND } from "./schema.ts";
import { normalizeSqlArgs, SQL_COMMAND } from "./sql.ts";
import { FILES_COMMAND, SNAPSHOTS_COMMAND } from "./system_tables.ts";
import { TAG_COMMAND } from "./tag.ts";
import { TAIL_COMMAND } from "./tail.ts";

export { type CliHost, type ParsedArgs, UsageError, parseArgs } from "./cli_args.ts";

/** Version printed by `--version`; kept equal to package.json by a meta test. */
export const CLI_VERSION = "0.1.0";

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [READ_COMMAND, LOOKUP_COMMAND, SNAPSHOTS_COMMAND, FILES_COMMAND, MANIFESTS_COMMAND, SCHEMA_COMMAND, INSPECT_COMMAND, SQL_COMMAND, TAIL_COMMAND, EXPIRE_COMMAND, TAG_COMMAND];

const EXAMPLE_TABLE = "test/fixtures/paimon/java-tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";

function usage(): string {
  return `lakestate ${CLI_VERSION}: Apache Paimon tables for JavaScript runtimes

Usage:
${COMMANDS.map((c) => `  ${c.synopsis}\n      ${c.summary}`).join("\n")}
  A <table-dir> may also be a table's .zip archive (catalog.exportTable, the web demo's export), read-only.
  lakestate <command> --help   Options of one command.
  lakestate --help | -h        Show this help.
  lakestate --version | -v     Print the version.

Exit codes: 0 success, 1 the table could not be read (missing, corrupt, unsupported) or a SQL statement failed, 2 a usage error.

Examples:
  lakestate read ${EXAMPLE_TABLE} --where "f1 = 10" --format table
  lakestate snapshots ${EXAMPLE_TABLE}
  lakestate files ${EXAMPLE_TABLE} --snapshot 2 --format ndjson
  lakestate schema ${EXAMPLE_TABLE}
  lakestate sql ./warehouse "CREATE DATABASE db; CREATE TABLE db.t (k INT PRIMARY KEY NOT ENFORCED, v STRING); SELECT * FROM db.t"
`;
}

function commandUsage(command: CommandSpec): string {
  return `Usage: ${command.synopsis}\n${command.help}\n`;
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function runCli(args: readonly string[], host: CliHost): Promise<number> {
  let command: CommandSpec | null = null;
  let subject: string | undefined; // the table directory, for messages about unexpected errors
  try {
    const first = args[0];
    if (first === undefined || first === "help" || first === "-h" || first === "--help") {
      await host.stdout(usage());
      return 0;
    }
    if (first === "-v" || first === "--version") {
      await host.stdout(`${CLI_VERSION}\n`);
      return 0;
    }
    command = COMMANDS.find((c) => c.name === first) ?? null;
    if (command === null) {
      const what = first.startsWith("-") ? `unknown option ${JSON.stringify(first)} before the command` : `unknown command ${JSON.stringify(first)}`;
      throw new UsageError(`${what}; expected one of: ${COMMANDS.map((c) => c.name).join(", ")}`);
    }
    const parsed = parseArgs(command === SQL_COMMAND ? normalizeSqlArgs(args.slice(1)) : args.slice(1), command.flags, command);
    subject = parsed.positional[0];
    if (parsed.flags.has("help")) {
      await host.stdout(commandUsage(command));
      return 0;
    }
    await command.run(parsed, host);
    return 0;
  } catch (error) {
    return reportError(error, command, subject, host);
  }
}

function reportError(error: unknown, command: CommandSpec | null, subject: string | undefined, host: CliHost): number {
  if (error instanceof UsageError) {
    const cmd = error.command ?? command;
    const hint = cmd === null ? "Run 'lakestate --help' for usage." : `usage: ${cmd.synopsis}\nRun 'lakestate ${cmd.name} --help' for details.`;
    host.stderr(`lakestate: ${error.message}\n${hint}\n`);
    return 2;
  }
  if (error instanceof LakeError) {
    host.stderr(`lakestate: ${error.message}\n`);
    return 1;
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const where = command === null ? "" : ` in '${command.name}${subject === undefined ? "" : " " + subject}'`;
  const debugHint = host.debug === true ? "" : "; LAKESTATE_DEBUG=1 prints the stack";
  host.stderr(`lakestate: unexpected ${name}${where}: ${message.split("\n")[0]} (a bug, or damage the readers did not recognise${debugHint})\n`);
  if (host.debug === true && error instanceof Error && error.stack !== undefined) host.stderr(`${error.stack}\n`);
  return 1;
}
