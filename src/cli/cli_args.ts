/**
 * Command-line plumbing shared by every `lakestate` command: the host a runtime provides, the
 * command descriptor, argument parsing against a command's declared options, and the checked
 * readers of common option values (--snapshot, --format, --limit, --columns).
 *
 * Contract: runtime-neutral (no `process`, no `Deno`); every mistake in the command line is a
 * `UsageError` naming the option and the value given, which main.ts prints with the command's
 * usage and exits 2. Options a command does not declare are usage errors, never ignored.
 * Option syntax: `--name value`, `--name=value`, boolean `--name`; `--` ends the options.
 * Imports: errors.ts, io/store.ts (types), io/zip_store.ts, api/table.ts, api/catalog.ts.
 * Mirrors nothing in Java (Paimon has no CLI of its own; Flink/Spark SQL play that role).
 */
import { openTable } from "../api/catalog.ts";
import type { Table } from "../api/table.ts";
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { isZipPath, openZipTableFile } from "../io/zip_store.ts";

/** What a runtime gives the CLI. */
export interface CliHost {
  /** Opens a store rooted at a local directory path (absolute or relative to `cwd`). */
  readonly openStore: (rootPath: string) => ObjectStore;
  /** Writes to standard output; a returned promise resolves when the runtime can take more (backpressure). */
  readonly stdout: (text: string) => void | Promise<void>;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Print stack traces of unexpected errors (LAKESTATE_DEBUG=1). */
  readonly debug?: boolean;
  /** Reads a whole local file (a table's `.zip` archive); absent where the runtime cannot. */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
  /** Reads all of standard input as UTF-8 text (`sql <warehouse> -`); absent where the runtime cannot. */
  readonly readStdin?: () => Promise<string>;
  /**
   * A signal aborted on Ctrl-C (SIGINT), for commands that run until interrupted (`tail`).
   * Calling it opts in: from then on Ctrl-C aborts the signal instead of ending the process, so
   * the command can stop cleanly (exit 0); commands that never call it keep the default Ctrl-C.
   * Absent where the runtime has no interrupt.
   */
  readonly interruptSignal?: () => AbortSignal;
}

/** A parsed command line: positional arguments and `--flag [value]` options. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

/** How an option is written: `value` takes the next argument, `boolean` takes none. */
export type FlagKind = "value" | "boolean";

/** One `lakestate` command. */
export interface CommandSpec {
  readonly name: string;
  /** One-line synopsis, e.g. `lakestate read <table-dir> [--snapshot N]`. */
  readonly synopsis: string;
  /** One line for `lakestate --help`. */
  readonly summary: string;
  /** What the command prints, with its options explained (for `lakestate <cmd> --help`). */
  readonly help: string;
  /** Options the command accepts (without `--`); `help` is always accepted. */
  readonly flags: Readonly<Record<string, FlagKind>>;
  readonly run: (args: ParsedArgs, host: CliHost) => Promise<void>;
}

/** A command-line mistake: printed with the command's usage and a hint, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  /** The command whose usage to show; null for mistakes before a command is known. */
  readonly command: CommandSpec | null;

  constructor(message: string, command: CommandSpec | null = null) {
    super(message);
    this.command = command;
  }
}

/**
 * Splits `args` into positionals and options, accepting only the options in `flags` (plus
 * `--help`/`-h`). Throws UsageError for an unknown option, a missing value, or an option given
 * twice. Values may start with `-` (e.g. `--where "-1 < a"`) but not with `--`.
 */
export function parseArgs(args: readonly string[], flags: Readonly<Record<string, FlagKind>>, command: CommandSpec | null = null): ParsedArgs {
  const positional: string[] = [];
  const out = new Map<string, string | true>();
  const set = (name: string, value: string | true) => {
    if (out.has(name)) throw new UsageError(`option --${name} is given more than once`, command);
    out.set(name, value);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") {
      out.set("help", true);
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unknown option ${JSON.stringify(arg)}${allowedText(flags)}`, command);
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option --${name}${allowedText(flags)}`, command);
    if (kind === "boolean") {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`, command);
      set(name, true);
    } else if (eq >= 0) {
      set(name, arg.slice(eq + 1));
    } else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`option --${name} needs a value`, command);
      set(name, value);
      i++;
    }
  }
  return { positional, flags: out };
}

function allowedText(flags: Readonly<Record<string, FlagKind>>): string {
  const names = Object.keys(flags);
  return names.length === 0 ? "; this command takes no options" : `; expected one of: ${names.map((n) => `--${n}`).join(", ")}`;
}

/** The value of a value option, or undefined when absent. */
function valueOf(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v === true ? undefined : v;
}

/** The single table directory argument of `command`. */
export function tableDirArg(args: ParsedArgs, command: CommandSpec): string {
  const [dir, extra] = args.positional;
  if (dir === undefined) throw new UsageError(`${command.name} needs a table directory`, command);
  if (extra !== undefined) throw new UsageError(`${command.name} takes one table directory, got also ${JSON.stringify(extra)}`, command);
  return dir;
}

/** `--snapshot N`: a positive snapshot id, or undefined (the latest). */
export function snapshotFlag(args: ParsedArgs, command: CommandSpec | null = null): bigint | undefined {
  const raw = valueOf(args, "snapshot");
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,18}$/.test(raw) || BigInt(raw) > 9223372036854775807n) {
    throw new UsageError(`--snapshot expects a positive snapshot id, got ${JSON.stringify(raw)}`, command);
  }
  return BigInt(raw);
}

/** `--format F` checked against `allowed`; `fallback` when absent. */
export function formatFlag<F extends string>(args: ParsedArgs, allowed: readonly F[], fallback: F, command: CommandSpec): F {
  const raw = valueOf(args, "format");
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--format expects one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}`, command);
  }
  return raw as F;
}

/** `--limit N`: a non-negative row count (at most 2^53-1), or undefined (no limit). */
export function limitFlag(args: ParsedArgs, command: CommandSpec): number | undefined {
  const raw = valueOf(args, "limit");
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new UsageError(`--limit expects a non-negative row count, got ${JSON.stringify(raw)}`, command);
  return n;
}

/** `--columns a,b`: column names in order (spaces around names ignored), or undefined (all). */
export function columnsFlag(args: ParsedArgs, command: CommandSpec): string[] | undefined {
  const raw = valueOf(args, "columns");
  if (raw === undefined) return undefined;
  const names = raw.split(",").map((s) => s.trim());
  if (names.some((n) => n === "")) throw new UsageError(`--columns expects comma-separated column names, got ${JSON.stringify(raw)}`, command);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new UsageError(`--columns names ${JSON.stringify(n)} twice`, command);
    seen.add(n);
  }
  return names;
}

/** `--where EXPR` text, or undefined. */
export function whereFlag(args: ParsedArgs): string | undefined {
  return valueOf(args, "where");
}

/**
 * Opens the Paimon table in `dir` (named `dir` in messages), or in the zip archive `dir` when
 * it ends in `.zip` (read-only: commands that write refuse with the zip store's error). A
 * directory or archive without a schema file is LakeError("not_found") naming the path; option
 * warnings go to stderr.
 */
export async function openCliTable(host: CliHost, dir: string): Promise<Table> {
  let table: Table;
  const zip = isZipPath(dir);
  const store = zip ? await openZipFromHost(host, dir) : host.openStore(dir);
  try {
    table = await openTable(store, { name: dir });
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      const what = zip ? "a zip archive of a Paimon table" : "a Paimon table directory";
      throw new LakeError("not_found", `${dir} is not ${what} (no schema/schema-N file; does the path exist?)`, { cause: error });
    }
    throw error;
  }
  for (const w of table.warnings) host.stderr(`lakestate: warning: ${w}\n`);
  return table;
}

function openZipFromHost(host: CliHost, path: string): Promise<ObjectStore> {
  if (host.readFile === undefined) throw new LakeError("unsupported", `cannot read the archive ${path}: this runtime gives the CLI no file reads`);
  return openZipTableFile(path, host.readFile);
}
