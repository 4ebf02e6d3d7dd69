/**
 * The refund-tags workload of the demo (use-cases.md workload 1): the example job
 * (examples/refund_tags/job.ts, `runJob`) fed from the example's deterministic event stream at
 * the rate the visitor picks, in micro-batches, on a table in the demo's warehouse.
 *
 * How the rate drives the unchanged job: the generator's position `generated` grows by
 * rate x elapsed time; each step hands `runJob` the events of every whole batch generated so far
 * (at most STEP_BATCHES_MAX new batches a step), so a new job instance recovers its position from
 * the table (last commit identifier of its commit user, as job.ts's `recover` does) and runs the
 * new batches. The tag sink stands for the downstream topic: its published batch is persisted in
 * the demo state, so a reloaded tab resumes exactly where the table is.
 *
 * Invariants: events are a pure function of (SEED, event index) in an endless stream that
 * repeats a period of PERIOD_EVENTS events later in time with new order ids
 * (`new RepeatingEventStream(PERIOD_EVENTS, SEED).at(i)`); processed = committedBatches x BATCH_SIZE;
 * the watched pairs' tags and orders are read from the table (a lookup) after each step, and the
 * view reports them with the batch count they were read at (never a mix of two steps).
 * Imports: lakestate (universal API), the refund_tags example modules, demo_state.ts, series.ts.
 */
import type { Catalog, ObjectStore, Table, TableLookup } from "../../../src/mod.ts";
import { RepeatingEventStream, type PayEvent } from "../../../examples/refund_tags/events.ts";
import { COMMIT_USER, TABLE_ID, newMetrics, runJob, type JobMetrics } from "../../../examples/refund_tags/job.ts";
import { parseOrderDict, tagOf } from "../../../examples/refund_tags/order_dict.ts";
import { TagSink, type TagEmit } from "../../../examples/refund_tags/sink.ts";
import { SERIES_LENGTH_MAX, type RefundView, type WatchedPair } from "../demo_protocol.ts";
import { Series } from "./series.ts";

/** Events per period of the demo's endless stream (the generator never runs out). */
export const PERIOD_EVENTS = 100_000;
/** Seed of the demo's event stream. */
export const SEED = 2026;
/** Events per micro-batch (one commit each). */
export const BATCH_SIZE = 200;
/** New batches one step runs at most (the rest wait for the next step). */
const STEP_BATCHES_MAX = 4;
/** Pairs whose tags the panel follows. */
const WATCHED_COUNT = 5;
/** The watched pairs are the busiest of the stream's first WATCH_WINDOW events. */
const WATCH_WINDOW = 4_000;
/** Rate bounds, events per second. */
export const RATE_MIN = 10;
export const RATE_MAX = 5_000;

/** The table as the use case declares it, with 16 buckets instead of 1000 (a tab's IndexedDB, a drawable inspector). */
export const REFUND_DDL = `CREATE DATABASE IF NOT EXISTS \`paimon-db\`;
CREATE TABLE \`paimon-db\`.test_dws_pay_refund (
    test_buyer_id VARCHAR,
    test_seller_id VARCHAR,
    test_order_dict VARCHAR,
    PRIMARY KEY (test_buyer_id, test_seller_id) NOT ENFORCED
) WITH (
    'merge-engine' = 'deduplicate',
    'changelog-producer' = 'none',
    'bucket' = '16',
    'bucket-key' = 'test_buyer_id,test_seller_id'
);`;

/**
 * The busiest (buyer, seller) pairs among the first WATCH_WINDOW events (most events first,
 * ties by buyer then seller): the pairs the panel watches.
 */
export function watchedPairsOf(events: readonly PayEvent[]): [string, string][] {
  const counts = new Map<string, { buyer: string; seller: string; n: number }>();
  for (const e of events.slice(0, WATCH_WINDOW)) {
    const key = `${e.buyer}\u0000${e.seller}`;
    const entry = counts.get(key) ?? { buyer: e.buyer, seller: e.seller, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  return [...counts.values()]
    .sort((a, b) => b.n - a.n || (a.buyer < b.buyer ? -1 : a.buyer > b.buyer ? 1 : a.seller < b.seller ? -1 : a.seller > b.seller ? 1 : 0))
    .slice(0, WATCHED_COUNT)
    .map((p) => [p.buyer, p.seller]);
}

/** The tag sink of the demo: starts at the batch the demo state says was published. */
class DemoSink extends TagSink {
  readonly #base: number;
  emitted = 0;

  constructor(base: number) {
    super();
    this.#base = base;
  }

  override get lastBatch(): number {
    return Math.max(this.#base, super.lastBatch);
  }

  override record(batchNo: number, emits: readonly TagEmit[]): void {
    super.record(batchNo, emits);
    this.emitted += emits.length;
  }
}

/** What the driver persists (part of DemoState). */
export interface RefundPersisted {
  readonly refundRunning: boolean;
  readonly refundRate: number;
  readonly generated: number;
  readonly publishedBatch: number;
}

/** The refund workload (see the file header). */
export class RefundDriver {
  readonly #warehouse: ObjectStore;
  readonly #lookupCache: ObjectStore;
  readonly #table: Table;
  readonly #events: RepeatingEventStream;
  readonly #watchedKeys: [string, string][];
  readonly #metrics: JobMetrics = newMetrics();
  readonly #log: (line: string) => void;
  #sink: DemoSink;
  #watchLookup: TableLookup | null = null;
  running: boolean;
  rate: number;
  generated: number;
  #watched: WatchedPair[] = [];
  readonly #recovery: string[] = [];
  readonly #eventsPerSecond = new Series(SERIES_LENGTH_MAX);
  readonly #lookupMs = new Series(SERIES_LENGTH_MAX);
  readonly #commitsPerSecond = new Series(SERIES_LENGTH_MAX);
  #sampledBatches = 0;
  #sampledLookups = 0;
  /** The committed batches the watched pairs were read at (the view shows both, consistent). */
  #shownBatches = 0;

  private constructor(warehouse: ObjectStore, lookupCache: ObjectStore, table: Table, events: RepeatingEventStream, persisted: RefundPersisted, base: number, log: (line: string) => void) {
    this.#warehouse = warehouse;
    this.#lookupCache = lookupCache;
    this.#table = table;
    this.#events = events;
    this.#watchedKeys = watchedPairsOf(events.slice(0, WATCH_WINDOW));
    this.#log = log;
    this.running = persisted.refundRunning;
    this.rate = persisted.refundRate;
    this.generated = Math.max(persisted.generated, base * BATCH_SIZE);
    this.#sink = new DemoSink(base);
    this.#sampledBatches = base;
  }

  /**
   * Opens (creating the table on first use) and reconciles the persisted sink position with the
   * table: the job's `recover` replays one committed-but-unpublished batch; if the tab died with
   * more than one, the tags of the older ones are reported lost (the table is still right).
   */
  static async open(catalog: Catalog, warehouse: ObjectStore, lookupCache: ObjectStore, persisted: RefundPersisted, log: (line: string) => void): Promise<RefundDriver> {
    if (!await catalog.tableExists(TABLE_ID)) await catalog.sql(REFUND_DDL);
    const table = await catalog.getTable(TABLE_ID);
    const committed = await lastIdentifierOf(table, COMMIT_USER);
    let base = Math.min(persisted.publishedBatch, committed);
    const recovery: string[] = [];
    if (committed > base + 1) {
      recovery.push(`batches ${base + 1}..${committed - 1} were committed but their tags were never published (the tab closed first); the table holds them`);
      base = committed - 1;
    }
    const driver = new RefundDriver(warehouse, lookupCache, table, new RepeatingEventStream(PERIOD_EVENTS, SEED), persisted, base, log);
    driver.#recovery.push(...recovery);
    if (committed > 0) driver.#recovery.push(`resumed from the table: last commit identifier ${committed} of ${COMMIT_USER}, tags published up to batch ${base}`);
    await driver.refreshWatched();
    return driver;
  }

  /** The persisted part of the driver's state. */
  persisted(): RefundPersisted {
    return { refundRunning: this.running, refundRate: this.rate, generated: this.generated, publishedBatch: this.#sink.lastBatch };
  }

  /** Sets the rate (clamped to RATE_MIN..RATE_MAX). */
  setRate(rate: number): void {
    if (!Number.isFinite(rate)) throw new RangeError(`refund demo: rate ${rate} is not a number`);
    this.rate = Math.min(RATE_MAX, Math.max(RATE_MIN, Math.round(rate)));
  }

  /** Advances the generator by `elapsedMs` and runs the batches it completed; returns batches run. */
  async step(elapsedMs: number): Promise<number> {
    if (this.running) this.generated += this.rate * elapsedMs / 1000;
    const ready = Math.floor(this.generated / BATCH_SIZE);
    const next = this.#sink.lastBatch + 1;
    if (ready < next) return 0;
    const target = Math.min(ready, next + STEP_BATCHES_MAX - 1);
    const before = this.#sink.lastBatch;
    await runJob({
      warehouse: this.#warehouse, events: this.#events.upTo(target * BATCH_SIZE), batchSize: BATCH_SIZE,
      sink: this.#sink, metrics: this.#metrics, log: (line) => this.#log(line.trim()), lookupCache: this.#lookupCache,
    }, []);
    await this.refreshWatched();
    return this.#sink.lastBatch - before;
  }

  /** Re-reads the watched pairs from the table. */
  async refreshWatched(): Promise<void> {
    if (this.#watchLookup === null) this.#watchLookup = await this.#table.newLookup({ refreshIntervalMs: 24 * 3_600_000 });
    else await this.#watchLookup.refresh();
    const at = this.#sink.lastBatch; // steps are serialised: the table holds exactly these batches now
    const rows = await this.#watchLookup.getMany(this.#watchedKeys);
    this.#watched = this.#watchedKeys.map(([buyer, seller], i) => {
      const dict = rows[i]?.test_order_dict;
      const entries = parseOrderDict(typeof dict === "string" ? dict : null);
      return { buyer, seller, tag: tagOf(entries), orders: entries.map((e) => ({ orderId: e.orderId, payMs: e.payMs, refunded: e.refunded })) };
    });
    this.#shownBatches = at;
  }

  /** Takes the once-a-second samples of the charts. */
  sample(): void {
    const batches = this.#sink.lastBatch;
    this.#eventsPerSecond.push((batches - this.#sampledBatches) * BATCH_SIZE);
    this.#commitsPerSecond.push(batches - this.#sampledBatches);
    this.#sampledBatches = batches;
    const lookups = this.#metrics.getManyMs.slice(this.#sampledLookups);
    this.#sampledLookups = this.#metrics.getManyMs.length;
    this.#lookupMs.push(lookups.length === 0 ? 0 : lookups.reduce((a, b) => a + b, 0) / lookups.length);
  }

  /** The panel's figures (committed batches and watched pairs as of the last completed step). */
  view(): RefundView {
    const committedBatches = this.#shownBatches;
    return {
      running: this.running, rate: this.rate, seed: SEED, generated: Math.floor(this.generated), periodEvents: PERIOD_EVENTS,
      processed: committedBatches * BATCH_SIZE, committedBatches, batchSize: BATCH_SIZE, watched: this.#watched,
      eventsPerSecond: this.#eventsPerSecond.values(), lookupMs: this.#lookupMs.values(), commitsPerSecond: this.#commitsPerSecond.values(),
      recovery: [...this.#recovery],
    };
  }

  /** Closes the watch lookup. */
  async close(): Promise<void> {
    await this.#watchLookup?.close();
    this.#watchLookup = null;
  }
}

/** The last commit identifier of `commitUser` (0: none), walking back from the latest snapshot. */
export async function lastIdentifierOf(table: Table, commitUser: string): Promise<number> {
  const snapshots = await table.snapshots();
  for (let i = snapshots.length - 1; i >= 0; i--) {
    if (snapshots[i]!.commitUser === commitUser) return Number(snapshots[i]!.commitIdentifier);
  }
  return 0;
}
