/**
 * `lakestate read <table-dir>`: prints the rows a Java batch read of the table returns (merge
 * engine applied, deletes and deletion vectors applied, older schemas mapped), as NDJSON
 * (default), CSV or an aligned table.
 *
 * Contract: output text follows `api/text_output.ts` exactly. Rows are printed split by split
 * as they are read (bounded memory: one bucket's rows plus one output chunk), except with
 * `--format table`, which must see every row first. `--limit N` stops reading after N rows.
 * Mistakes in `--columns` and `--where` (unknown column, syntax, literal of the wrong type) are
 * usage errors (exit 2); unreadable tables are LakeErrors (exit 1).
 * Imports: api/table.ts, table/predicate*, cli helpers.
 * Mirrors Java's batch `ReadBuilder` use: `newScan().plan()` then `newRead().createReader(split)`.
 */
import type { DataField } from "../spec/data_types.ts";
import type { Table } from "../api/table.ts";
import { LakeError } from "../errors.ts";
import type { Value } from "../spec/values.ts";
import { bindPredicate, type Predicate } from "../table/predicate.ts";
import { parsePredicate } from "../table/predicate_parser.ts";
import {
  type CliHost, type CommandSpec, columnsFlag, formatFlag, limitFlag, openCliTable, type ParsedArgs, snapshotFlag,
  tableDirArg, UsageError, whereFlag,
} from "./cli_args.ts";
import { readTableBatches } from "./read_batches.ts";
import { ROW_FORMATS, RowWriter } from "./row_output.ts";

/** The `read` command. */
export const READ_COMMAND: CommandSpec = {
  name: "read",
  summary: "Print the rows a Java batch read returns (NDJSON, CSV or a table).",
  synopsis: "lakestate read <table-dir> [--snapshot N] [--columns a,b] [--where EXPR] [--format ndjson|csv|table] [--limit N]",
  help: `Print the rows of a Paimon table as a Java batch read returns them.
  --snapshot N      read snapshot N (default: the latest)
  --columns a,b     print these columns, in this order (default: all)
  --where EXPR      keep rows where EXPR is TRUE: comparisons (= != <> < <= > >=), IN lists,
                    IS [NOT] NULL, BETWEEN, joined with AND/OR/NOT; strings in 'quotes'
  --format F        ndjson (default; one JSON object per row), csv (RFC 4180, header line) or table
  --limit N         stop after N rows`,
  flags: { snapshot: "value", columns: "value", where: "value", format: "value", limit: "value" },
  run: runRead,
};

/** Runs `read`; throws UsageError for bad arguments and LakeError for unreadable tables. */
async function runRead(args: ParsedArgs, host: CliHost): Promise<void> {
  const cmd = READ_COMMAND;
  const dir = tableDirArg(args, cmd);
  const snapshotId = snapshotFlag(args, cmd);
  const columns = columnsFlag(args, cmd);
  const where = whereFlag(args);
  const format = formatFlag(args, ROW_FORMATS, "ndjson", cmd);
  const limit = limitFlag(args, cmd);

  const table = await openCliTable(host, dir);
  // Time travel reads with that snapshot's schema, so the output fields come from the read itself.
  const at = snapshotId === undefined ? {} : { snapshotId };
  const allFields = await table.readFields(at);
  const fields = await table.readFields({ ...at, ...(columns === undefined ? {} : { columns }) })
    .catch((error: unknown) => asUsage(() => { throw error; }));
  const filter = where === undefined ? null : checkedFilter(allFields, where);

  const writer = new RowWriter(host, fields, format);
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  if (remaining > 0) {
    const row: Value[] = new Array(fields.length);
    outer: for await (const batch of readTableBatches(table, { snapshotId, fields, filter })) {
      for (let i = 0; i < batch.rowCount; i++) {
        for (let c = 0; c < fields.length; c++) row[c] = batch.columns[c]![i] ?? null;
        await writer.write(row);
        if (--remaining === 0) break outer;
      }
    }
  }
  await writer.end();
}

/** Parses `--where` and binds it to the table's columns, so mistakes surface before reading. */
function checkedFilter(fields: readonly DataField[], where: string): Predicate {
  return asUsage(() => {
    const predicate = parsePredicate(where);
    bindPredicate(predicate, fields);
    return predicate;
  });
}

/** Runs `f`, turning its invalid_argument LakeErrors (the user's own values) into usage errors. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof LakeError && error.code === "invalid_argument") throw new UsageError(error.message, READ_COMMAND);
    throw error;
  }
}
