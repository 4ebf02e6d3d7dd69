/**
 * Cumulative metrics over N days (use-cases.md, workload 2) on a local filesystem warehouse:
 * the aggregation table of the use case, partitioned by `ds`, fed ten simulated days of
 * generated orders; a consumer tails the running totals (-U/+U from the `lookup` changelog
 * producer) and is restarted midway from its stored position; a reader answers "orders and GMV
 * of buyer B over the last N days" with a lookup on the bucket key; partition expiration leaves
 * the last 7 days. Every figure is checked against a brute-force model
 * (cumulative_metrics/model.ts); exit code 0 when all match, 1 otherwise, 2 for bad arguments.
 *
 * The use case's DDL is first run verbatim: it lacks `PARTITIONED BY (ds)`, and lakestate
 * refuses it with an error naming the missing clause (a table whose partitions never expire
 * would be a silent wrong answer); the example then runs it with the clause added.
 *
 * Runs in Node (`node --import tsx examples/cumulative-metrics.ts`) and Deno
 * (`deno run -A examples/cumulative-metrics.ts`); `main(args)` is exported for the test.
 * Imports: lakestate's runtime entries (dynamically), node:fs/os/path, example_cli.ts, the model.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Catalog, Table } from "../src/mod.ts";
import { intFlag, parseFlags, runIfEntry, UsageError } from "./example_cli.ts";
import { commitOrders, dayStartMs, dsOf, keyOf, MetricsModel, type Totals } from "./cumulative_metrics/model.ts";

/** The table DDL of use-cases.md, verbatim (it has no PARTITIONED BY). */
export const USE_CASE_DDL = `CREATE TABLE \`paimon-catalog\`.\`paimon-db\`.\`test_dws_pay_cate1_result\` (
    \`test_buyer_id\` BIGINT NOT NULL,
    \`test_cate1_id\` STRING NOT NULL,
    \`ds\` STRING NOT NULL,
    \`test_order_cnt\` BIGINT,
    \`test_gmv\` DOUBLE,
    PRIMARY KEY (test_buyer_id, test_cate1_id, ds) NOT ENFORCED
) WITH (
    'bucket' = '40',
    'bucket-key' = 'test_buyer_id',
    'changelog-producer' = 'lookup',
    'fields.test_order_cnt.aggregate-function' = 'sum',
    'fields.test_gmv.aggregate-function' = 'sum',
    'merge-engine' = 'aggregation',
    'partition.expiration-time' = '7d',
    'partition.timestamp-formatter' = 'yyyyMMdd',
    'partition.timestamp-pattern' = '$ds'
);`;

/** The same statement as the team meant it: partitioned by day. */
export const PARTITIONED_DDL = USE_CASE_DDL.replace("\n) WITH (", "\n) PARTITIONED BY (ds) WITH (");

const TABLE_ID = "paimon-db.test_dws_pay_cate1_result";
const COMMIT_USER = "cumulative-metrics";
const CONSUMER_ID = "metrics-tail";
const KEEP_DAYS = 7;
const HOUR_MS = 3_600_000;
/** Longest wait for the consumer to catch up with the last commit. */
const CATCH_UP_MS_MAX = 60_000;

const USAGE = `Usage: node --import tsx examples/cumulative-metrics.ts [options]
       deno run -A examples/cumulative-metrics.ts [options]
  --days N         simulated days (default 10, at least 8 so expiration shows)
  --commits N      commits per day (default 4)
  --orders N       orders per commit (default 500)
  --buyers N       buyers (default 300)
  --seed N         generator seed (default 7)
  --warehouse DIR  warehouse directory (default a new temporary directory)`;

/** Options of one run. */
export interface RunOptions {
  readonly days: number;
  readonly commitsPerDay: number;
  readonly ordersPerCommit: number;
  readonly buyers: number;
  readonly seed: number;
  readonly warehouse: string | null;
}

export { UsageError };

/** Parses the command line; null means `--help`. */
export function parseRunArgs(args: readonly string[]): RunOptions | null {
  const values = parseFlags(args, ["days", "commits", "orders", "buyers", "seed", "warehouse"]);
  if (values === null) return null;
  const int = (name: string, fallback: number, min: number): number => intFlag(values, name, fallback, min);
  return {
    days: int("days", 10, KEEP_DAYS + 1), commitsPerDay: int("commits", 4, 1), ordersPerCommit: int("orders", 500, 1),
    buyers: int("buyers", 300, 3), seed: int("seed", 7, 0), warehouse: values.warehouse ?? null,
  };
}

/** What a run found. */
export interface RunReport {
  readonly ok: boolean;
  readonly problems: string[];
  readonly warehouse: string;
  readonly changes: number;
  readonly partitions: string[];
}

interface Runtime {
  readonly openCatalog: (options: { warehouse: string }) => Catalog;
}

async function runtime(): Promise<Runtime> {
  if ("Deno" in globalThis) return await import("../src/deno.ts");
  return await import("../src/node.ts");
}

/** The consumer: folds the changelog into running totals and records each key's +I/+U sequence. */
class Tail {
  readonly totals = new Map<string, Totals>();
  readonly history = new Map<string, Totals[]>();
  readonly problems: string[] = [];
  changes = 0;
  kinds: Record<string, number> = { "+I": 0, "-U": 0, "+U": 0, "-D": 0 };
  lastSnapshot = 0n;
  watched: string[] = [];
  readonly watchBuyer: bigint;

  constructor(watchBuyer: bigint) {
    this.watchBuyer = watchBuyer;
  }

  apply(snapshotId: bigint, rows: Iterable<Record<string, unknown>>): void {
    if (snapshotId <= this.lastSnapshot) this.problems.push(`tail: snapshot ${snapshotId} delivered again after ${this.lastSnapshot}`);
    this.lastSnapshot = snapshotId;
    for (const r of rows) {
      const kind = String(r._ROW_KIND);
      const key = keyOf(r.test_buyer_id as bigint, String(r.test_cate1_id), String(r.ds));
      const totals: Totals = { count: r.test_order_cnt as bigint, gmv: r.test_gmv as number };
      this.changes++;
      this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
      const current = this.totals.get(key);
      if (kind === "-U" || kind === "-D") {
        if (current === undefined || current.count !== totals.count || current.gmv !== totals.gmv) {
          this.problems.push(`tail: snapshot ${snapshotId}: ${kind} ${key} ${fmt(totals)} but the running total was ${current === undefined ? "absent" : fmt(current)}`);
        }
        this.totals.delete(key);
      } else {
        if (kind === "+I" && current !== undefined) this.problems.push(`tail: snapshot ${snapshotId}: +I ${key} for a key that has a total`);
        this.totals.set(key, totals);
        const list = this.history.get(key) ?? [];
        list.push(totals);
        this.history.set(key, list);
        if (r.test_buyer_id === this.watchBuyer && this.watched.length < 12) this.watched.push(`  snapshot ${snapshotId} ${kind} buyer ${this.watchBuyer} ${r.test_cate1_id} ${r.ds}: ${fmt(totals)}`);
      }
    }
  }
}

function fmt(t: Totals): string {
  return `${t.count} orders, GMV ${t.gmv.toFixed(2)}`;
}

/** Tails the table with the shared consumer id until `stop` aborts; acknowledges each snapshot after applying it. */
async function consume(table: Table, tail: Tail, stop: AbortSignal, first: boolean): Promise<void> {
  const stream = table.streamRead({
    consumerId: CONSUMER_ID, pollIntervalMs: 10, signal: stop,
    ...(first ? { scanMode: "from-snapshot" as const, snapshotId: 1 } : {}),
  });
  try {
    for (;;) {
      const item = await stream.next();
      if (item.done === true) return;
      tail.apply(item.value.snapshotId, item.value.changes.toArray() as Record<string, unknown>[]);
      await stream.acknowledge(); // processed: the stored position moves past it
    }
  } finally {
    await stream.return?.();
  }
}

/** Waits until the consumer has passed snapshot `latest` (bounded). */
async function caughtUp(table: Table, latest: bigint): Promise<boolean> {
  const deadline = Date.now() + CATCH_UP_MS_MAX;
  while (Date.now() < deadline) {
    const bytes = await table.store.get(`consumer/consumer-${CONSUMER_ID}`).catch(() => null);
    if (bytes !== null && BigInt((JSON.parse(new TextDecoder().decode(bytes)) as { nextSnapshot: number }).nextSnapshot) > latest) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** Runs the example; returns the verdict (also logged). */
export async function main(args: readonly string[], log: (line: string) => void = console.log): Promise<RunReport> {
  const options = parseRunArgs(args);
  if (options === null) {
    log(USAGE);
    return { ok: true, problems: [], warehouse: "", changes: 0, partitions: [] };
  }
  const lake = await runtime();
  const warehouse = resolve(options.warehouse ?? await mkdtemp(join(tmpdir(), "lakestate-metrics-")));
  const started = performance.now();
  const catalog = lake.openCatalog({ warehouse });
  const prelude = `CREATE CATALOG \`paimon-catalog\` WITH ('type' = 'paimon', 'warehouse' = '${warehouse.replaceAll("'", "''")}');
USE CATALOG \`paimon-catalog\`;
CREATE DATABASE IF NOT EXISTS \`paimon-db\`;
`;
  const problems: string[] = [];
  // 1. The DDL as published: refused, naming the missing clause.
  try {
    await catalog.sql(prelude + USE_CASE_DDL);
    problems.push("the use case's DDL without PARTITIONED BY (ds) was accepted");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`use-case DDL as published is refused:\n  ${message}`);
    if (!message.includes("PARTITIONED BY (ds)")) problems.push(`the refusal does not name PARTITIONED BY (ds): ${message}`);
  }
  await catalog.sql(prelude + PARTITIONED_DDL);
  const table = await lake.openCatalog({ warehouse }).getTable(TABLE_ID);
  log(`table ${TABLE_ID} in ${warehouse} (aggregation, lookup changelog, 40 buckets on test_buyer_id, 7-day partition expiration)`);

  // 2. Ten simulated days; the consumer tails from the first snapshot, restarted midway.
  const model = new MetricsModel();
  const tail = new Tail(1n);
  const firstDayMs = Date.UTC(2026, 10, 1);
  let clockMs = firstDayMs;
  const write = table.newWrite({ commitUser: COMMIT_USER, nowMs: () => clockMs });
  let stop = new AbortController();
  let consumer = consume(table, tail, stop.signal, true);
  let identifier = 0n, orders = 0;
  const restartAfterDay = Math.floor(options.days / 2);
  for (let day = 0; day < options.days; day++) {
    const dayMs = dayStartMs(firstDayMs, day);
    for (let c = 0; c < options.commitsPerDay; c++) {
      clockMs = dayMs + 12 * HOUR_MS + c * 60_000; // commits at noon, a minute apart
      const batch = commitOrders({ seed: options.seed, buyers: options.buyers, categories: 8, ordersPerCommit: options.ordersPerCommit }, day, c, dayMs);
      await write.write(batch.map((o) => ({ test_buyer_id: o.buyer, test_cate1_id: o.cate1, ds: o.ds, test_order_cnt: 1n, test_gmv: o.gmv })));
      await write.commit({ identifier: ++identifier });
      model.commit(batch);
      orders += batch.length;
    }
    if (day === restartAfterDay) { // the consumer process "restarts": same consumer id, no scan mode
      const latest = (await table.snapshots()).at(-1)!.id;
      if (!await caughtUp(table, latest)) problems.push(`consumer did not reach snapshot ${latest} before its restart`);
      stop.abort();
      await consumer;
      stop = new AbortController();
      consumer = consume(table, tail, stop.signal, false);
      log(`day ${day}: consumer restarted from its stored position (after snapshot ${tail.lastSnapshot})`);
    }
  }
  await write.close();
  const snapshots = await table.snapshots();
  const latest = snapshots.at(-1)!.id;
  if (!await caughtUp(table, latest)) problems.push(`consumer did not reach snapshot ${latest} within ${CATCH_UP_MS_MAX} ms`);
  stop.abort();
  await consumer;
  problems.push(...tail.problems);

  // 3. Checks: the changelog per key, the kept partitions, the table, the buyer windows.
  let keysChecked = 0;
  for (const [key, want] of model.history) {
    const got = tail.history.get(key) ?? [];
    keysChecked++;
    if (got.length !== want.length || got.some((t, i) => t.count !== want[i]!.count || t.gmv !== want[i]!.gmv)) {
      problems.push(`changelog of ${key}: +I/+U totals ${got.map(fmt).join("; ")} expected ${want.map(fmt).join("; ")}`);
      if (problems.length > 20) break;
    }
  }
  for (const key of tail.history.keys()) if (!model.history.has(key)) problems.push(`changelog has key ${key} that was never written`);
  const expectedKept = Array.from({ length: KEEP_DAYS }, (_, i) => dsOf(dayStartMs(firstDayMs, options.days - KEEP_DAYS + i)));
  const rows: Record<string, unknown>[] = [];
  for await (const r of table.rows()) rows.push(r);
  const partitions = [...new Set(rows.map((r) => String(r.ds)))].sort();
  if (partitions.join() !== expectedKept.join()) problems.push(`partitions ${partitions.join(",")} expected the last ${KEEP_DAYS} days ${expectedKept.join(",")}`);
  const kept = new Set(expectedKept);
  let tableDiffs = 0, expectedRows = 0;
  const byKey = new Map(rows.map((r) => [keyOf(r.test_buyer_id as bigint, String(r.test_cate1_id), String(r.ds)), r]));
  for (const [key, t] of model.totals) {
    if (!kept.has(key.split("|")[2]!)) continue;
    expectedRows++;
    const r = byKey.get(key);
    if (r === undefined || r.test_order_cnt !== t.count || r.test_gmv !== t.gmv) tableDiffs++;
  }
  if (tableDiffs > 0 || rows.length !== expectedRows) problems.push(`table: ${tableDiffs} of ${expectedRows} rows differ from the model (${rows.length} rows read)`);

  const lookup = await table.newLookup({ keys: ["test_buyer_id"] });
  const lastDs = expectedKept.at(-1)!;
  const answers: string[] = [];
  for (const buyer of [1n, 2n, BigInt(1 + (options.seed % options.buyers)), BigInt(options.buyers)]) {
    const found = await lookup.getAll({ test_buyer_id: buyer });
    for (const n of [1, 3, 7]) {
      const fromDs = dsOf(dayStartMs(firstDayMs, options.days - n));
      let count = 0n, gmv = 0;
      for (const r of found) if (String(r.ds) >= fromDs && String(r.ds) <= lastDs) { count += r.test_order_cnt as bigint; gmv += r.test_gmv as number; }
      const want = model.buyerWindow(buyer, fromDs, lastDs, kept);
      if (count !== want.count || gmv !== want.gmv) problems.push(`buyer ${buyer}, last ${n} days: lookup says ${fmt({ count, gmv })}, model ${fmt(want)}`);
      if (n === 3) answers.push(`  buyer ${buyer}, last ${n} days: ${fmt({ count, gmv })}`);
    }
  }
  await lookup.close();

  const seconds = (performance.now() - started) / 1000;
  log(`running totals of buyer ${tail.watchBuyer} as the consumer saw them (first few):\n${tail.watched.join("\n")}`);
  log(`orders and GMV over the last 3 days (lookup on test_buyer_id):\n${answers.join("\n")}`);
  log(`${options.days} days, ${identifier} commits, ${orders} orders, ${snapshots.length} snapshots kept; ` +
    `changelog ${tail.changes} records (+I ${tail.kinds["+I"]}, -U ${tail.kinds["-U"]}, +U ${tail.kinds["+U"]}, -D ${tail.kinds["-D"]}) over ${keysChecked} keys; ` +
    `partitions ${partitions.length}: ${partitions[0]}..${partitions.at(-1)}; ${seconds.toFixed(1)} s`);
  log(problems.length === 0 ? "verified: changelog, partitions, table and buyer windows match the model" : `MISMATCH (${problems.length}):\n  ${problems.slice(0, 20).join("\n  ")}`);
  return { ok: problems.length === 0, problems, warehouse, changes: tail.changes, partitions };
}

await runIfEntry(import.meta, "cumulative-metrics", USAGE, main);
