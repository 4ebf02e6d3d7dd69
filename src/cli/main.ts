/**
 * The `lakestate` command line: parses arguments and dispatches to one command module.
 *
 * Contract: runtime-neutral; the runtime entry (node_main.ts, deno_main.ts) passes a `CliHost`
 * with a store factory and output streams. Returns an exit code: 0 success, 1 an operating error
 * (printed as one line naming the problem), 2 a usage error.
 * Imports: errors.ts, io/store.ts (types), cli/* command modules.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { runInspect } from "./inspect.ts";

/** What a runtime gives the CLI. */
export interface CliHost {
  /** Opens a store rooted at a local directory path (absolute or relative to `cwd`). */
  readonly openStore: (rootPath: string) => ObjectStore;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

/** Version printed by `--version`; kept equal to package.json by a meta test. */
export const CLI_VERSION = "0.1.0";

const USAGE = `lakestate ${CLI_VERSION}: Apache Paimon tables for JavaScript runtimes

Usage:
  lakestate inspect <table-dir> [--snapshot N] [--json]
      Show a Paimon table: schema, options, snapshots and the live data files of a snapshot
      (partition, bucket, level, rows, bytes), decoded from its schema, snapshot and manifest files.
  lakestate --help | -h       Show this help.
  lakestate --version | -v    Print the version.

Examples:
  lakestate inspect test/fixtures/paimon/java-tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor
`;

/** A parsed command line: positional arguments and `--flag [value]` options. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(["json", "help", "version"]);

/** Splits argv into positionals and flags; `--x=1` and `--x 1` are both accepted. */
export function parseArgs(args: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h") flags.set("help", true);
    else if (arg === "-v") flags.set("version", true);
    else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq >= 0) flags.set(name, arg.slice(eq + 1));
      else if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
      else {
        const value = args[i + 1];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`option --${name} needs a value`);
        flags.set(name, value);
        i++;
      }
    } else positional.push(arg);
  }
  return { positional, flags };
}

/** A command-line mistake: printed with a hint to run --help, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function runCli(args: readonly string[], host: CliHost): Promise<number> {
  try {
    const parsed = parseArgs(args);
    if (parsed.flags.has("version")) {
      host.stdout(`${CLI_VERSION}\n`);
      return 0;
    }
    const [command, ...rest] = parsed.positional;
    if (parsed.flags.has("help") || command === undefined || command === "help") {
      host.stdout(USAGE);
      return 0;
    }
    switch (command) {
      case "inspect":
        await runInspect({ positional: rest, flags: parsed.flags }, host);
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; expected one of: inspect`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      host.stderr(`lakestate: ${error.message}\nRun 'lakestate --help' for usage.\n`);
      return 2;
    }
    if (error instanceof LakeError) {
      host.stderr(`lakestate: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
