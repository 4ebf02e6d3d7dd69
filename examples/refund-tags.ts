/**
 * The main job of lakestate (`npm start`): the refund-adjusted "last successful order" tag of
 * use-cases.md, workload 1, on a local filesystem warehouse, as a stateless micro-batch job
 * whose only state is a Paimon table, killed midway and restarted from nothing but the table.
 *
 * Steps: create the table with the use case's DDL verbatim (`catalog.sql`); generate orders and
 * refunds from a seed (events.ts); run the job (refund_tags/job.ts: `lookup.getMany`, update the
 * order dicts, upsert, `commit({ identifier })`, refresh, publish), killing it as planned; check
 * every published tag, the final table and the commit history against a brute-force model
 * (model.ts, report.ts); print a summary. Exit code 0 when everything matches, 1 otherwise,
 * 2 for bad arguments.
 *
 * Runs in Node (`node --import tsx examples/refund-tags.ts`, `npm start`) and Deno
 * (`deno run -A examples/refund-tags.ts`): this file is a runtime entry, so it picks lakestate's
 * Node or Deno entry by `globalThis.Deno`; everything else is runtime-neutral. `main(args)` is
 * exported for the example's test.
 * Imports: lakestate's runtime entries (dynamically), node:fs/os/path/process (both runtimes
 * provide them), example_cli.ts, this example's modules.
 */
import { mkdir, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import type { Catalog, ObjectStore } from "../src/mod.ts";
import { batchCount, generateEvents } from "./refund_tags/events.ts";
import { intFlag, parseFlags, runIfEntry, seededRandom, UsageError } from "./example_cli.ts";
import { newMetrics, runJob, TABLE_ID, type KillPlan } from "./refund_tags/job.ts";
import { runModel } from "./refund_tags/model.ts";
import { checkCommits, checkTable, checkTags, summaryLines, tableFigures } from "./refund_tags/report.ts";
import { TagSink } from "./refund_tags/sink.ts";

/** The table DDL of use-cases.md, verbatim (the `${…}` in its comment are escaped for this template). */
export const USE_CASE_DDL = `CREATE TABLE \`paimon-catalog\`.\`paimon-db\`.test_dws_pay_refund (
    test_buyer_id VARCHAR,
    test_seller_id VARCHAR,
    test_order_dict VARCHAR, -- "\${order_id}:\${pay_timestamp}_\${is_refund_flag}" entries
    PRIMARY KEY (test_buyer_id, test_seller_id) NOT ENFORCED
) WITH (
    'merge-engine' = 'deduplicate',
    'changelog-producer' = 'none',
    'bucket' = '1000',
    'bucket-key' = 'test_buyer_id,test_seller_id',
    'delete-file.thread-num' = '32'
);`;

const USAGE = `Usage: npm start -- [options]
       node --import tsx examples/refund-tags.ts [options]
       deno run -A examples/refund-tags.ts [options]
  --events N       events to process (default 10000)
  --batch N        events per micro-batch (default 2000)
  --seed N         seed of the generated orders, refunds and kills (default 42)
  --kills N        times the job is killed and restarted (default 2)
  --warehouse DIR  warehouse directory (default: a new temporary directory); must not hold the table yet
  --lookup-cache DIR  persist the lookup's bucket indexes there, so restarted instances reuse them
                   (default: none, a restart rebuilds them from the table)
  --help           this text`;

/** The options of a run. */
export interface RunOptions {
  readonly events: number;
  readonly batch: number;
  readonly seed: number;
  readonly kills: number;
  readonly warehouse: string | null;
  /** Directory of the lookup's persisted bucket indexes (null: none). */
  readonly lookupCache?: string | null;
  /** Kills to inject instead of the ones `kills` and `seed` plan (tests use it to aim at one point). */
  readonly killPlan?: readonly KillPlan[];
}

export { UsageError };

/** Parses the command line; `null` means `--help`. */
export function parseRunArgs(args: readonly string[]): RunOptions | null {
  const values = parseFlags(args, ["events", "batch", "seed", "kills", "warehouse", "lookup-cache"]);
  if (values === null) return null;
  const int = (name: string, fallback: number, min: number): number => intFlag(values, name, fallback, min);
  return { events: int("events", 10_000, 1), batch: int("batch", 2_000, 1), seed: int("seed", 42, 0), kills: int("kills", 2, 0), warehouse: values.warehouse ?? null,
    ...(values["lookup-cache"] === undefined ? {} : { lookupCache: values["lookup-cache"] }),
  };
}

/** What a run found. */
export interface RunReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly warehouse: string;
  readonly tableDir: string;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly kills: readonly string[];
  readonly recoveries: readonly string[];
  readonly lines: readonly string[];
}

/** lakestate's entry for this runtime: Deno's or Node's (both export the same API). */
async function runtimeEntry(): Promise<{ name: string; openCatalog: (o: { warehouse: string | ObjectStore }) => Catalog; openStore: (dir: string) => ObjectStore }> {
  if ("Deno" in globalThis) {
    const lake = await import("../src/deno.ts");
    return { name: "Deno", openCatalog: lake.openCatalog, openStore: (dir) => new lake.DenoFsStore(dir) };
  }
  const lake = await import("../src/node.ts");
  return { name: `Node ${process.versions.node}`, openCatalog: lake.openCatalog, openStore: (dir) => new lake.NodeFsStore(dir) };
}

/**
 * Kill plan: spread over the run; the first right after a commit (before the tags are
 * published), the others at a random point of the batch's commit: a store write (a data file,
 * a manifest, ...) or the snapshot's conditional create, before or after it lands.
 */
function planKills(options: RunOptions, batches: number): KillPlan[] {
  const random = seededRandom(options.seed ^ 0x5eed);
  const kills: KillPlan[] = [];
  const count = Math.min(options.kills, Math.max(0, batches - 1));
  for (let i = 0; i < count; i++) {
    const batchNo = Math.max(1, Math.round((batches * (i + 1)) / (count + 1)));
    if (kills.some((k) => k.batchNo === batchNo)) continue;
    const landed = random() < 0.5;
    kills.push({ batchNo, at: i === 0 ? { kind: "after-commit" } : random() < 0.3 ? { kind: "snapshot", landed } : { kind: "write", fraction: random(), landed } });
  }
  return kills;
}

/**
 * Runs the command line `args` (see USAGE); prints through `log`. Never exits the process;
 * throws UsageError for bad arguments.
 */
export async function main(args: readonly string[], log: (line: string) => void = console.log): Promise<RunReport> {
  const options = parseRunArgs(args);
  if (options === null) {
    log(USAGE);
    return { ok: true, problems: [], warehouse: "", tableDir: "", events: 0, eventsPerSecond: 0, kills: [], recoveries: [], lines: [] };
  }
  return runRefundTags(options, log);
}

/** Creates the table, runs the job with its kills, checks it against the model and prints the summary. */
export async function runRefundTags(options: RunOptions, log: (line: string) => void = console.log): Promise<RunReport> {
  const runtime = await runtimeEntry();
  const warehouse = options.warehouse === null ? await mkdtemp(join(tmpdir(), "lakestate-refund-tags-")) : resolve(options.warehouse);
  await mkdir(warehouse, { recursive: true });
  const tableDir = join(warehouse, "paimon-db.db", "test_dws_pay_refund");
  if ((await readdir(tableDir).catch(() => [])).length > 0) throw new UsageError(`--warehouse ${warehouse} already holds ${TABLE_ID}; give a new or empty directory`);
  log(`refund-tags on ${runtime.name}: ${options.events} events (seed ${options.seed}) in micro-batches of ${options.batch}, warehouse ${warehouse}`);

  // The table, with the use case's DDL verbatim.
  const catalog = runtime.openCatalog({ warehouse });
  await catalog.sql(`CREATE CATALOG \`paimon-catalog\` WITH ('type' = 'paimon', 'warehouse' = '${warehouse.replaceAll("'", "''")}');
USE CATALOG \`paimon-catalog\`;
CREATE DATABASE IF NOT EXISTS \`paimon-db\`;
${USE_CASE_DDL}`);

  const events = generateEvents(options.events, options.seed);
  const model = runModel(events);
  const batches = batchCount(events.length, options.batch);
  const kills = options.killPlan ?? planKills(options, batches);
  log(`  ${events.filter((e) => e.kind === "refund").length} refunds among them; kills planned in batches ${kills.map((k) => k.batchNo).join(", ") || "(none)"}`);

  const sink = new TagSink();
  const metrics = newMetrics();
  const t0 = performance.now();
  let lookupCache: { lookupCache: ObjectStore } | Record<string, never> = {};
  if (options.lookupCache != null) {
    const dir = resolve(options.lookupCache);
    await mkdir(dir, { recursive: true });
    lookupCache = { lookupCache: runtime.openStore(dir) };
  }
  await runJob({ warehouse: runtime.openStore(warehouse), events, batchSize: options.batch, sink, metrics, log, ...lookupCache }, kills);
  const elapsedMs = performance.now() - t0;

  // Checks against the brute-force model, through a table opened afresh.
  const table = await runtime.openCatalog({ warehouse }).getTable(TABLE_ID);
  const tags = checkTags(events, sink.all(), model);
  const content = await checkTable(table, model);
  const commits = await checkCommits(table, batches);
  const problems = [...tags, ...content.problems, ...commits];
  if (metrics.kills.length !== kills.length) problems.push(`planned ${kills.length} kills, ${metrics.kills.length} happened`);
  const lines = summaryLines({
    events: events.length, batches, batchSize: options.batch, elapsedMs, metrics, model,
    figures: await tableFigures(table), rowCount: content.rowCount, duplicatesSuppressed: sink.duplicatesSuppressed,
  });
  for (const line of lines) log(line);
  if (problems.length === 0) {
    log(`OK: all ${events.length} tags and ${content.rowCount} rows match the brute-force model; each of ${batches} batches committed exactly once`);
  } else {
    log(`FAILED: ${problems.length} differences from the brute-force model:`);
    for (const p of problems) log(`  ${p}`);
  }
  const sample = events[events.length - 1]!;
  log(`table ${tableDir}\n  try: npx lakestate lookup ${tableDir} --key test_buyer_id=${sample.buyer},test_seller_id=${sample.seller}`);
  return {
    ok: problems.length === 0, problems, warehouse, tableDir, events: events.length, eventsPerSecond: events.length / (elapsedMs / 1000),
    kills: metrics.kills, recoveries: metrics.recoveries, lines,
  };
}

await runIfEntry(import.meta, "refund-tags", USAGE, main);
