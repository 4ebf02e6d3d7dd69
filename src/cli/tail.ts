/**
 * `lakestate tail <table-dir>`: follows a table's changes and prints them as NDJSON, one line
 * per change, `_ROW_KIND` ("+I", "-U", "+U", "-D") first and then the columns, until Ctrl-C.
 *
 * Contract: a streaming read (stream/stream_read.ts) printed snapshot by snapshot; each
 * snapshot's lines are handed to the host before the next snapshot is read, so a consumer's
 * progress (`--consumer ID`) is stored only for snapshots already printed. Ctrl-C (the host's
 * interrupt signal) stops at once and exits 0; an expired next snapshot or an unreadable table
 * exits 1 with one line naming the problem and how to restart. Column values follow
 * api/text_output.ts exactly as `lakestate read --format ndjson` prints them.
 * `--from`: `full` (default, Java's latest-full: the latest snapshot's rows, then every change),
 * `latest` (changes committed from now on), `earliest` (the changes of every snapshot still
 * retained), or a snapshot id N (the changes of snapshot N and after). A stored consumer
 * position takes precedence over `--from`, as in Java.
 * Imports: errors.ts, spec (data_types, row_kind, values), api/text_output.ts, stream/*, cli helpers.
 * Mirrors a Flink `SELECT * FROM t$audit_log` streaming query with `scan.mode` and `consumer-id`.
 */
import { formatNdjsonRow } from "../api/text_output.ts";
import { atomic, type DataField } from "../spec/data_types.ts";
import { ROW_KIND_SHORT_STRINGS } from "../spec/row_kind.ts";
import type { Value } from "../spec/values.ts";
import type { ChangeBatch } from "../stream/change_batch.ts";
import { openChangeStream } from "../stream/stream_read.ts";
import { POLL_INTERVAL_MS_MAX, POLL_INTERVAL_MS_MIN, type StreamReadOptions } from "../stream/stream_options.ts";
import { type CliHost, type CommandSpec, columnsFlag, openCliTable, type ParsedArgs, tableDirArg, UsageError } from "./cli_args.ts";
import { OUTPUT_CHUNK_CHARS } from "./row_output.ts";

/** Poll interval of `tail` when `--poll-ms` is absent: quicker than Java's 10 s, for terminals. */
export const TAIL_POLL_MS_DEFAULT = 1000;

/** The `tail` command. */
export const TAIL_COMMAND: CommandSpec = {
  name: "tail",
  summary: "Follow a table's changes and print them as NDJSON with _ROW_KIND, until Ctrl-C.",
  synopsis: "lakestate tail <table-dir> [--from full|latest|earliest|SNAPSHOT] [--consumer ID] [--poll-ms N] [--columns a,b]",
  help: `Follow the changes of a Paimon table and print one NDJSON object per change:
"_ROW_KIND" (+I, -U, +U, -D) first, then the columns. Stops on Ctrl-C (exit 0).
  --from F        where to start: full (default: the latest snapshot's rows, then every change),
                  latest (changes committed from now on), earliest (the changes of every retained
                  snapshot), or a snapshot id N (the changes of snapshot N and later ones)
  --consumer ID   store progress in consumer/consumer-ID after each printed snapshot and resume
                  from it (then --from is ignored); expiration keeps the snapshots not yet printed
  --poll-ms N     wait N ms between looks for a new snapshot (default ${TAIL_POLL_MS_DEFAULT}; ${POLL_INTERVAL_MS_MIN}..${POLL_INTERVAL_MS_MAX})
  --columns a,b   print these columns, in this order (default: all)`,
  flags: { from: "value", consumer: "value", "poll-ms": "value", columns: "value" },
  run: runTail,
};

const ROW_KIND_FIELD: DataField = { id: -1, name: "_ROW_KIND", type: atomic("VARCHAR", { nullable: false, length: 2147483647 }) };

/** `--from` as stream options. */
function fromFlag(args: ParsedArgs): Pick<StreamReadOptions, "scanMode" | "snapshotId"> {
  const raw = args.flags.get("from");
  if (raw === undefined || raw === "full") return { scanMode: "latest-full" };
  if (raw === "latest") return { scanMode: "latest" };
  // from-snapshot below the earliest snapshot starts at the earliest one (Java's rule).
  if (raw === "earliest") return { scanMode: "from-snapshot", snapshotId: 1n };
  if (typeof raw === "string" && /^[1-9]\d{0,18}$/.test(raw) && BigInt(raw) <= 9223372036854775807n) return { scanMode: "from-snapshot", snapshotId: BigInt(raw) };
  throw new UsageError(`--from expects full, latest, earliest or a positive snapshot id, got ${JSON.stringify(raw)}`, TAIL_COMMAND);
}

function pollFlag(args: ParsedArgs): number {
  const raw = args.flags.get("poll-ms");
  if (raw === undefined) return TAIL_POLL_MS_DEFAULT;
  const n = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || n < POLL_INTERVAL_MS_MIN || n > POLL_INTERVAL_MS_MAX) {
    throw new UsageError(`--poll-ms expects an integer from ${POLL_INTERVAL_MS_MIN} to ${POLL_INTERVAL_MS_MAX}, got ${JSON.stringify(raw)}`, TAIL_COMMAND);
  }
  return n;
}

function consumerFlag(args: ParsedArgs): string | undefined {
  const raw = args.flags.get("consumer");
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || raw === "" || raw.includes("/")) throw new UsageError(`--consumer expects an id without '/', got ${JSON.stringify(raw)}`, TAIL_COMMAND);
  return raw;
}

/** Prints one snapshot's changes in chunks of about OUTPUT_CHUNK_CHARS. */
async function printBatch(host: CliHost, fields: readonly DataField[], batch: ChangeBatch): Promise<void> {
  const lineFields = [ROW_KIND_FIELD, ...fields];
  const row: Value[] = new Array(lineFields.length);
  let pending = "";
  for (const part of batch.parts) {
    for (let i = 0; i < part.rowCount; i++) {
      row[0] = ROW_KIND_SHORT_STRINGS[part.rowKinds[i]! as 0 | 1 | 2 | 3];
      for (let c = 0; c < fields.length; c++) row[c + 1] = part.values![c]![i] ?? null;
      pending += formatNdjsonRow(lineFields, row) + "\n";
      if (pending.length >= OUTPUT_CHUNK_CHARS) {
        await host.stdout(pending);
        pending = "";
      }
    }
  }
  if (pending !== "") await host.stdout(pending);
}

/** Runs `tail`; throws UsageError for bad arguments and LakeError for unreadable tables. */
async function runTail(args: ParsedArgs, host: CliHost): Promise<void> {
  const dir = tableDirArg(args, TAIL_COMMAND);
  const from = fromFlag(args);
  const consumerId = consumerFlag(args);
  const pollIntervalMs = pollFlag(args);
  const columns = columnsFlag(args, TAIL_COMMAND);
  const table = await openCliTable(host, dir);
  const signal = host.interruptSignal?.();
  let stream;
  try {
    stream = openChangeStream(table, {
      ...from,
      pollIntervalMs,
      columnar: false,
      ...(consumerId === undefined ? {} : { consumerId }),
      ...(columns === undefined ? {} : { columns }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "invalid_argument" && columns !== undefined) throw new UsageError(error.message, TAIL_COMMAND);
    throw error;
  }
  for await (const batch of stream) await printBatch(host, batch.fields, batch);
}
