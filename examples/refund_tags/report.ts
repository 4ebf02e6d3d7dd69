/**
 * Checks and figures of a refund-tag run: compares every published tag and the final table
 * with the brute-force model, checks that every batch was applied exactly once, and formats
 * the summary (events per second, lookup latency percentiles, lookup and table counters).
 *
 * Invariants: a check lists every kind of difference it finds (first few examples each); the
 * run is OK only when the list of problems is empty.
 * Imports: lakestate (types), this example's modules.
 */
import type { ObjectStore, Table } from "../../src/mod.ts";
import type { PayEvent } from "./events.ts";
import { COMMIT_USER, type JobMetrics } from "./job.ts";
import { pairKey, type ModelResult } from "./model.ts";
import type { TagEmit } from "./sink.ts";

/** Nearest-rank percentile of `values` (p in [0, 100]); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const EXAMPLES_MAX = 5;

/** Problems of the published tags: missing, extra, out of order or different from the model. */
export function checkTags(events: readonly PayEvent[], emits: readonly TagEmit[], model: ModelResult): string[] {
  const problems: string[] = [];
  if (emits.length !== events.length) problems.push(`published ${emits.length} tags for ${events.length} events`);
  let wrong = 0;
  for (let i = 0; i < Math.min(emits.length, events.length); i++) {
    const e = emits[i]!, event = events[i]!;
    if (e.seq !== i || e.buyer !== event.buyer || e.seller !== event.seller || e.tag !== model.expectedTags[i]) {
      if (++wrong <= EXAMPLES_MAX) problems.push(`event ${i} (${event.kind} ${event.orderId} of ${event.buyer}/${event.seller}): published seq ${e.seq} tag ${JSON.stringify(e.tag)}, model ${JSON.stringify(model.expectedTags[i])}`);
    }
  }
  if (wrong > EXAMPLES_MAX) problems.push(`... ${wrong} wrong tags in all`);
  return problems;
}

/** Problems of the final table content against the model's rows. */
export async function checkTable(table: Table, model: ModelResult): Promise<{ problems: string[]; rowCount: number }> {
  const problems: string[] = [];
  const seen = new Set<string>();
  let wrong = 0;
  for await (const row of table.rows()) {
    const key = pairKey(String(row.test_buyer_id), String(row.test_seller_id));
    seen.add(key);
    const expected = model.expectedRows.get(key);
    if (expected !== row.test_order_dict && ++wrong <= EXAMPLES_MAX) {
      problems.push(`row ${row.test_buyer_id}/${row.test_seller_id}: table ${JSON.stringify(row.test_order_dict)}, model ${JSON.stringify(expected ?? "(no row)")}`);
    }
  }
  const missing = [...model.expectedRows.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0) problems.push(`${missing.length} rows missing from the table, e.g. ${missing[0]!.replace("\u0000", "/")}`);
  if (wrong > EXAMPLES_MAX) problems.push(`... ${wrong} wrong rows in all`);
  return { problems, rowCount: seen.size };
}

/** Problems of the commit history: each batch 1..batches must have exactly one APPEND snapshot of the job. */
export async function checkCommits(table: Table, batches: number): Promise<string[]> {
  const appends = new Map<bigint, number>();
  for (const s of await table.snapshots()) {
    if (s.commitUser === COMMIT_USER && s.commitKind === "APPEND") appends.set(s.commitIdentifier, (appends.get(s.commitIdentifier) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (let b = 1; b <= batches; b++) {
    const n = appends.get(BigInt(b)) ?? 0;
    if (n !== 1) problems.push(`batch ${b} has ${n} APPEND snapshots (expected exactly 1)`);
  }
  return problems;
}

/** Table figures: snapshots, live data files and their bytes, and every object under the table. */
export async function tableFigures(table: Table): Promise<{ snapshots: number; liveFiles: number; liveBytes: bigint; objects: number; objectBytes: number }> {
  const files = await table.files();
  const objects = await table.store.list("");
  return {
    snapshots: (await table.snapshots()).length,
    liveFiles: files.length,
    liveBytes: files.reduce((sum, f) => sum + f.fileSizeInBytes, 0n),
    objects: objects.length,
    objectBytes: objects.reduce((sum, o) => sum + o.sizeBytes, 0),
  };
}

/** Total bytes of every object in `store` (a warehouse or a lookup cache). */
export async function storeBytes(store: ObjectStore): Promise<number> {
  return (await store.list("")).reduce((sum, o) => sum + o.sizeBytes, 0);
}

function ms(v: number): string {
  return Number.isNaN(v) ? "-" : v < 10 ? v.toFixed(2) : v.toFixed(0);
}

function mib(bytes: number | bigint): string {
  return `${(Number(bytes) / 1048576).toFixed(1)} MiB`;
}

/** The summary lines of a run. */
export function summaryLines(input: {
  events: number; batches: number; batchSize: number; elapsedMs: number; metrics: JobMetrics; model: ModelResult;
  figures: Awaited<ReturnType<typeof tableFigures>>; rowCount: number; duplicatesSuppressed: number;
}): string[] {
  const { metrics: m, figures: f } = input;
  const perKeyUs = m.getManyMs.map((t, i) => (t * 1000) / Math.max(1, m.getManyKeys[i]!));
  const keys = m.getManyKeys.reduce((a, b) => a + b, 0);
  const lk = m.lookup;
  const modes = Object.entries(m.refreshModes).map(([k, v]) => `${v} ${k}`).join(", ");
  return [
    `events          ${input.events} in ${input.batches} batches of ${input.batchSize}, ${(input.elapsedMs / 1000).toFixed(1)} s: ${Math.round(input.events / (input.elapsedMs / 1000))} events/s (lookups, commits, refreshes, kills and restarts included)`,
    `workload        ${input.model.pairsOverKept} pairs with more than 10 orders, ${input.model.refundsOfEvictedOrders} refunds of orders already evicted; ${input.rowCount} rows at the end`,
    `lookup getMany  ${m.getManyMs.length} calls, ${keys} keys: per call p50 ${ms(percentile(m.getManyMs, 50))} ms, p99 ${ms(percentile(m.getManyMs, 99))} ms; per key p50 ${ms(percentile(perKeyUs, 50))} us, p99 ${ms(percentile(perKeyUs, 99))} us`,
    `lookup state    buckets loaded ${lk.bucketsLoaded ?? 0}${(lk.indexesRestored ?? 0) > 0 ? ` (${lk.indexesRestored} restored from the local store)` : ""}, evicted ${lk.bucketsEvicted ?? 0}, files read ${lk.filesRead ?? 0} (${mib(lk.bytesRead ?? 0)}), load ${ms(lk.loadMs ?? 0)} ms, refreshes ${modes || "none"} (p50 ${ms(percentile(m.refreshMs, 50))} ms)`,
    `commits         p50 ${ms(percentile(m.commitMs, 50))} ms, p99 ${ms(percentile(m.commitMs, 99))} ms per batch`,
    `table           ${f.snapshots} snapshots, ${f.liveFiles} live data files (${mib(f.liveBytes)}), ${f.objects} objects on disk (${mib(f.objectBytes)})`,
    `restarts        ${m.kills.length} kills, ${m.instances} job instances, ${input.duplicatesSuppressed} duplicate publications suppressed`,
  ];
}
