/**
 * `lakestate lookup <table-dir> --key col=value[,col=value]`: prints the rows whose lookup
 * columns equal the given values, found through `table.newLookup` (only the buckets the keys
 * hash to are loaded when the columns cover the bucket key), as NDJSON (default), CSV or an
 * aligned table, exactly as `lakestate read` prints rows.
 *
 * Contract: the columns named in `--key` are the lookup keys, in that order. Several keys are
 * separated by `;` and must name the same columns. Values are plain text converted by the
 * column's type with the `--where` literal rules (numbers, true/false, 'YYYY-MM-DD', timestamp
 * text; strings as they are); a value holding `,` `;` `=` or spaces at its ends is written in
 * single quotes ('' for a quote). Keys equal to the primary key give at most one row each; other
 * keys give every matching row. Rows print in key order; a key that matches nothing prints
 * nothing (exit 0). Mistakes in `--key` and `--columns` are usage errors (exit 2); lookup
 * warnings (keys not covering the bucket key: every bucket is loaded) go to stderr.
 * Imports: api/table.ts (via cli_args), table/predicate_literal.ts, spec types, cli helpers.
 * Mirrors Java's lookup join probe (`FileStoreLookupFunction#lookup`) from the shell.
 */
import { LakeError } from "../errors.ts";
import type { DataField } from "../spec/data_types.ts";
import type { Value } from "../spec/values.ts";
import { literalForColumn } from "../table/predicate_literal.ts";
import {
  type CliHost, type CommandSpec, columnsFlag, formatFlag, openCliTable, type ParsedArgs, snapshotFlag, tableDirArg, UsageError,
} from "./cli_args.ts";
import { ROW_FORMATS, RowWriter } from "./row_output.ts";

/** The lookup refreshes never: one command reads one snapshot. */
const NO_REFRESH_MS = 2 ** 31 - 1;

/** The `lookup` command. */
export const LOOKUP_COMMAND: CommandSpec = {
  name: "lookup",
  summary: "Print the rows matching key values, loading only the buckets the keys hash to.",
  synopsis: "lakestate lookup <table-dir> --key col=value[,col=value][;...] [--columns a,b] [--snapshot N] [--format ndjson|csv|table]",
  help: `Look up rows of a Paimon table by key, as a lookup join probes it: only the buckets the keys
hash to are read when the key columns cover the bucket key (else every bucket, with a warning).
  --key K         col=value pairs joined by ',' (the lookup columns, in order); several keys
                  joined by ';'. Values are text read by the column's type (numbers, true/false,
                  YYYY-MM-DD, timestamps; strings as written); quote a value holding , ; = or
                  edge spaces in '…' ('' for a quote). Keys equal to the primary key give at
                  most one row each, other keys every matching row.
  --columns a,b   print these columns, in this order (default: all)
  --snapshot N    look up in snapshot N (default: the latest)
  --format F      ndjson (default; one JSON object per row), csv (RFC 4180, header line) or table`,
  flags: { key: "value", columns: "value", snapshot: "value", format: "value" },
  run: runLookup,
};

/** One `col=value` pair as written. */
interface KeyPair {
  readonly column: string;
  readonly text: string;
}

function usage(message: string): UsageError {
  return new UsageError(message, LOOKUP_COMMAND);
}

/** Splits `--key` text into keys (`;`) of `col=value` pairs (`,`), honouring '…' quoting. */
export function parseKeyFlag(raw: string): KeyPair[][] {
  const keys: KeyPair[][] = [];
  let pairs: KeyPair[] = [];
  let i = 0;
  const readPart = (stops: string): { text: string; quoted: boolean } => {
    while (raw[i] === " ") i++;
    if (raw[i] === "'") {
      let text = "";
      for (i++; ; i++) {
        if (i >= raw.length) throw usage(`--key has an unterminated quote in ${JSON.stringify(raw)}`);
        if (raw[i] === "'") {
          if (raw[i + 1] !== "'") break;
          i++;
        }
        text += raw[i];
      }
      i++;
      while (raw[i] === " ") i++;
      if (i < raw.length && !stops.includes(raw[i]!)) throw usage(`--key has text after a quoted value at position ${i + 1} of ${JSON.stringify(raw)}`);
      return { text, quoted: true };
    }
    const start = i;
    while (i < raw.length && !stops.includes(raw[i]!)) i++;
    return { text: raw.slice(start, i).trim(), quoted: false };
  };
  for (;;) {
    const column = readPart("=,;").text;
    if (raw[i] !== "=" || column === "") throw usage(`--key expects col=value[,col=value][;...], got ${JSON.stringify(raw)}`);
    i++;
    const value = readPart(",;");
    if (value.text === "" && !value.quoted) throw usage(`--key gives no value for ${JSON.stringify(column)} (write '' for an empty string)`);
    pairs.push({ column, text: value.text });
    if (i >= raw.length) break;
    if (raw[i] === ";") {
      keys.push(pairs);
      pairs = [];
    }
    i++;
    if (i >= raw.length) throw usage(`--key ends with a separator: ${JSON.stringify(raw)}`);
  }
  keys.push(pairs);
  return keys;
}

/** The value of `text` for a column of `field`'s type (the `--where` literal rules, strings as written). */
function valueOf(field: DataField, text: string): Value {
  const type = field.type;
  let input: Value | { numericText: string };
  switch (type.root) {
    case "BOOLEAN": {
      const lower = text.toLowerCase();
      if (lower !== "true" && lower !== "false") throw usage(`--key value ${JSON.stringify(text)} for ${field.name} (BOOLEAN) must be true or false`);
      input = lower === "true";
      break;
    }
    case "TINYINT": case "SMALLINT": case "INT": case "BIGINT": case "FLOAT": case "DOUBLE": case "DECIMAL":
      input = { numericText: text };
      break;
    default:
      input = text; // strings, DATE, TIME, TIMESTAMP text
  }
  try {
    return literalForColumn(field.name, type, input);
  } catch (error) {
    if (error instanceof LakeError) throw usage(`--key value ${JSON.stringify(text)} for ${field.name}: ${error.message.replace(/^predicate: /, "")}`);
    throw error;
  }
}

/** Runs `lookup`; throws UsageError for bad arguments and LakeError for unreadable tables. */
async function runLookup(args: ParsedArgs, host: CliHost): Promise<void> {
  const cmd = LOOKUP_COMMAND;
  const dir = tableDirArg(args, cmd);
  const rawKey = args.flags.get("key");
  if (typeof rawKey !== "string") throw usage("lookup needs --key col=value[,col=value]");
  const probes = parseKeyFlag(rawKey);
  const columns = columnsFlag(args, cmd);
  const snapshotId = snapshotFlag(args, cmd);
  const format = formatFlag(args, ROW_FORMATS, "ndjson", cmd);

  const table = await openCliTable(host, dir);
  const keyNames = probes[0]!.map((p) => p.column);
  if (new Set(keyNames).size !== keyNames.length) throw usage(`--key names a column twice: ${keyNames.join(", ")}`);
  const keyFields = asUsage(() => table.fieldsOf(keyNames));
  const keys: Value[][] = probes.map((pairs, n) => {
    const names = pairs.map((p) => p.column);
    if (names.length !== keyNames.length || !names.every((c) => keyNames.includes(c))) {
      throw usage(`--key ${n + 1} names columns ${names.join(", ")}; every key must name ${keyNames.join(", ")}`);
    }
    return keyFields.map((f) => valueOf(f, pairs.find((p) => p.column === f.name)!.text));
  });
  const fields = asUsage(() => table.fieldsOf(columns));

  const lookup = await table.newLookup({
    keys: keyNames,
    ...(columns === undefined ? {} : { columns }),
    ...(snapshotId === undefined ? {} : { snapshotId }),
    refreshIntervalMs: NO_REFRESH_MS,
    onWarning: (message) => host.stderr(`lakestate: warning: ${message}\n`),
  }).catch((error: unknown) => asUsage(() => { throw error; }));
  try {
    const matches = lookup.unique ? (await lookup.getMany(keys)).map((row) => (row === null ? [] : [row])) : await lookup.getManyAll(keys);
    const writer = new RowWriter(host, fields, format);
    const out: Value[] = new Array(fields.length);
    for (const rows of matches) {
      for (const row of rows) {
        for (let c = 0; c < fields.length; c++) out[c] = row[fields[c]!.name] ?? null;
        await writer.write(out);
      }
    }
    await writer.end();
  } finally {
    await lookup.close();
  }
}

/** Runs `f`, turning its invalid_argument LakeErrors (the user's own names and values) into usage errors. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof LakeError && error.code === "invalid_argument") throw usage(error.message);
    throw error;
  }
}
