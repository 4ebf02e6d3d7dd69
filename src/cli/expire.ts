/**
 * `lakestate expire <table-dir> [--snapshots] [--partitions] [--older-than DURATION]`: runs
 * partition expiration and then snapshot expiration once, in the order of Java's post-commit
 * maintenance, and prints what each did.
 *
 * Contract: without `--snapshots` / `--partitions` both run; partition expiration runs only
 * when the table sets `partition.expiration-time` or `--older-than` gives it (an explicit
 * `--partitions` without either is a usage error; an unpartitioned table has none to expire).
 * `--older-than D` sets `partition.expiration-time` and `snapshot.time-retained` to D for this
 * run (Java's expire_partitions procedure takes the same duration; its expire_snapshots takes a
 * timestamp instead). Partition expiration ignores the check interval, as Java's procedure.
 * Output: one line per step, e.g. `partitions: expired 2 (dt=20240101; dt=20240102) in
 * snapshot 9` and `snapshots: expired 3, deleted 12 files`; partitions whose time could not be
 * read are listed as kept. Errors: LakeError as exit 1 (bad options name the option), usage 2.
 * Imports: cli helpers, spec/core_options.ts, table (expire_partitions, expire_snapshots).
 * Mirrors Java's `ExpirePartitionsProcedure` and `ExpireSnapshotsProcedure` (Flink/Spark).
 */
import { LakeError } from "../errors.ts";
import { parseDurationMs } from "../spec/core_options.ts";
import { expirePartitions, partitionExpireConfig } from "../table/expire_partitions.ts";
import { expireSnapshots } from "../table/expire_snapshots.ts";
import { type CliHost, type CommandSpec, openCliTable, type ParsedArgs, tableDirArg, UsageError } from "./cli_args.ts";

/** Partitions listed by name in the output before it says "and N more". */
const LISTED_PARTITIONS_MAX = 20;

/** The `expire` command. */
export const EXPIRE_COMMAND: CommandSpec = {
  name: "expire",
  summary: "Expire old partitions and snapshots once (as writers do after commits).",
  synopsis: "lakestate expire <table-dir> [--snapshots] [--partitions] [--older-than DURATION]",
  help: `Run partition expiration, then snapshot expiration, once, with the table's options
(partition.expiration-*, snapshot.num-retained.*, snapshot.time-retained, ...), and print what
was dropped and deleted.
  --snapshots           only snapshot expiration
  --partitions          only partition expiration
  --older-than D        a duration such as '7 d' or '12 h': the partition expiration time and
                        the snapshot time-retained for this run`,
  flags: { snapshots: "boolean", partitions: "boolean", "older-than": "value" },
  run: runExpire,
};

function partitionText(spec: Record<string, string>): string {
  return Object.entries(spec).map(([k, v]) => `${k}=${v}`).join(",");
}

function listText(specs: readonly Record<string, string>[]): string {
  const shown = specs.slice(0, LISTED_PARTITIONS_MAX).map(partitionText).join("; ");
  return specs.length > LISTED_PARTITIONS_MAX ? `${shown}; and ${specs.length - LISTED_PARTITIONS_MAX} more` : shown;
}

async function runExpire(args: ParsedArgs, host: CliHost): Promise<void> {
  const dir = tableDirArg(args, EXPIRE_COMMAND);
  const onlySnapshots = args.flags.has("snapshots"), onlyPartitions = args.flags.has("partitions");
  const doSnapshots = onlySnapshots || !onlyPartitions, doPartitions = onlyPartitions || !onlySnapshots;
  const olderThan = args.flags.get("older-than");
  if (olderThan === true) throw new UsageError("--older-than needs a value", EXPIRE_COMMAND);
  if (olderThan !== undefined) {
    try {
      parseDurationMs("--older-than", olderThan);
    } catch (error) {
      if (error instanceof LakeError) throw new UsageError(`--older-than expects a duration such as '7 d' or '12 h', got ${JSON.stringify(olderThan)}`, EXPIRE_COMMAND);
      throw error;
    }
  }
  const table = await openCliTable(host, dir);
  const nowMs = Date.now;
  if (doPartitions) {
    const options: Record<string, string> = olderThan === undefined ? {} : { "partition.expiration-time": olderThan };
    if (table.schema.partitionKeys.length === 0) {
      if (onlyPartitions) throw new LakeError("invalid_argument", `expire: ${dir} is not partitioned; it has no partitions to expire`);
      await host.stdout("partitions: the table is not partitioned\n");
    } else if (partitionExpireConfig(table.schema, { ...table.schema.options, ...options }) === null) {
      if (onlyPartitions) throw new UsageError(`${dir} sets no 'partition.expiration-time'; pass --older-than DURATION`, EXPIRE_COMMAND);
      await host.stdout("partitions: not configured (no 'partition.expiration-time'; --older-than sets one)\n");
    } else {
      const result = await expirePartitions(table.store, table.schema, {
        options: { ...options, "partition.expiration-check-interval": "0" }, nowMs,
      });
      await host.stdout(result.expired.length === 0
        ? "partitions: none expired\n"
        : `partitions: expired ${result.expired.length} (${listText(result.expired)}) in snapshot ${result.snapshotIds.join(", ")}\n`);
      if (result.skipped.length > 0) {
        await host.stdout(`partitions: kept ${result.skipped.length} whose time could not be read (${listText(result.skipped.map((s) => s.partition))}): ${result.skipped[0]!.reason}\n`);
      }
    }
  }
  if (doSnapshots) {
    const options: Record<string, string> = olderThan === undefined ? {} : { "snapshot.time-retained": olderThan };
    const result = await expireSnapshots(table.store, table.schema, { options, nowMs, expireConsumers: true });
    await host.stdout(result.expiredSnapshots === 0
      ? "snapshots: none expired\n"
      : `snapshots: expired ${result.expiredSnapshots}, deleted ${result.deletedFiles} files\n`);
    if (result.expiredChangelogs > 0) await host.stdout(`changelogs: expired ${result.expiredChangelogs} (changelog.num-retained.*, changelog.time-retained)\n`);
  }
}
