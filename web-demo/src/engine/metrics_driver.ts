/**
 * The cumulative-metrics workload of the demo (use-cases.md workload 2): the aggregation table
 * partitioned by `ds` with 7-day partition expiration, fed by the example's generator
 * (examples/cumulative_metrics/model.ts `commitOrders`) on a simulated clock the visitor speeds
 * up; a consumer (`streamRead` with a consumer id) tails the -U/+U changelog of the `lookup`
 * producer; a lookup on the bucket key gives the chosen buyer's per-day orders and GMV.
 *
 * Simulated time: commit k (1-based, its commit identifier) happens at COMMIT_HOURS[c] of day
 * d = floor((k-1)/4), c = (k-1) mod 4, from FIRST_DAY_MS; its orders are
 * `commitOrders(GENERATE, d, c, dayStart(d))`; the writer's clock (`nowMs`) is that instant, so
 * partition expiration drops days older than 7 simulated days. The clock advances by speed x
 * real time but never runs more than one commit ahead of the table (a slow engine slows time).
 * Restart: the next commit is the table's last identifier of METRICS_USER + 1; the consumer
 * resumes from its stored position.
 *
 * Imports: lakestate (universal API), the cumulative_metrics example model, demo_protocol.ts,
 * refund_driver.ts (lastIdentifierOf). Mirrors no Java class.
 */
import type { Catalog, ChangeStream, SnapshotChanges, Table, TableLookup, TableWrite, Value } from "../../../src/mod.ts";
import { commitOrders, dayStartMs, type GenerateOptions } from "../../../examples/cumulative_metrics/model.ts";
import type { BuyerDay, ChangeItem, MetricsView } from "../demo_protocol.ts";
import { lastIdentifierOf } from "./refund_driver.ts";

export const METRICS_TABLE_ID = "paimon-db.test_dws_pay_cate1_result";
/** The metrics writer's commit user. */
export const METRICS_USER = "demo-metrics";
/** The changelog consumer's id. */
export const CONSUMER_ID = "demo-tail";
/** First simulated day. */
export const FIRST_DAY_MS = Date.UTC(2026, 0, 1);
/** Commits per simulated day and their hours. */
export const COMMITS_PER_DAY = 4;
const COMMIT_HOURS = [3, 9, 15, 21] as const;
const HOUR_MS = 3_600_000;
/** The generator's shape (buyers 1..BUYERS). */
export const GENERATE: GenerateOptions = { seed: 11, buyers: 40, categories: 6, ordersPerCommit: 60 };
/** Commits one step runs at most. */
const STEP_COMMITS_MAX = 2;
/** Changelog records the panel keeps. */
const CHANGELOG_KEPT = 120;
/** Speed bounds, simulated ms per real second. */
export const SPEED_MIN = 60_000;
export const SPEED_MAX = 7 * 86_400_000;

/**
 * The use case's DDL with PARTITIONED BY (ds) (as the example runs it), 4 buckets instead of 40,
 * and snapshots kept 7 simulated days (at least 40), so the consumer, started before the first
 * commit and a little behind a fast clock, still finds the snapshots it has not read.
 */
export const METRICS_DDL = `CREATE DATABASE IF NOT EXISTS \`paimon-db\`;
CREATE TABLE \`paimon-db\`.\`test_dws_pay_cate1_result\` (
    \`test_buyer_id\` BIGINT NOT NULL,
    \`test_cate1_id\` STRING NOT NULL,
    \`ds\` STRING NOT NULL,
    \`test_order_cnt\` BIGINT,
    \`test_gmv\` DOUBLE,
    PRIMARY KEY (test_buyer_id, test_cate1_id, ds) NOT ENFORCED
) PARTITIONED BY (ds) WITH (
    'bucket' = '4',
    'bucket-key' = 'test_buyer_id',
    'changelog-producer' = 'lookup',
    'fields.test_order_cnt.aggregate-function' = 'sum',
    'fields.test_gmv.aggregate-function' = 'sum',
    'merge-engine' = 'aggregation',
    'partition.expiration-time' = '7d',
    'partition.timestamp-formatter' = 'yyyyMMdd',
    'partition.timestamp-pattern' = '$ds',
    'snapshot.time-retained' = '7d',
    'snapshot.num-retained.min' = '40'
);`;

/** Simulated instant of commit `k` (1-based). */
export function commitTimeMs(k: number): number {
  const day = Math.floor((k - 1) / COMMITS_PER_DAY), c = (k - 1) % COMMITS_PER_DAY;
  return dayStartMs(FIRST_DAY_MS, day) + COMMIT_HOURS[c]! * HOUR_MS;
}

/** The rows commit `k` writes (each order adds 1 to the count and its amount to the GMV). */
export function commitRows(k: number): Record<string, Value>[] {
  const day = Math.floor((k - 1) / COMMITS_PER_DAY), c = (k - 1) % COMMITS_PER_DAY;
  return commitOrders(GENERATE, day, c, dayStartMs(FIRST_DAY_MS, day))
    .map((o) => ({ test_buyer_id: o.buyer, test_cate1_id: o.cate1, ds: o.ds, test_order_cnt: 1n, test_gmv: o.gmv }));
}

/** What the driver persists (part of DemoState). */
export interface MetricsPersisted {
  readonly metricsRunning: boolean;
  readonly metricsSpeed: number;
  readonly simMs: number;
  readonly buyer: number;
}

/** The metrics workload (see the file header). */
export class MetricsDriver {
  readonly #table: Table;
  readonly #write: TableWrite;
  readonly #onError: (error: unknown) => void;
  #clockMs: number;
  #lookup: TableLookup | null = null;
  running: boolean;
  speed: number;
  buyer: number;
  commits: number;
  #buyerDays: BuyerDay[] = [];
  #partitions: string[] = [];
  readonly #expired: string[] = [];
  readonly #changelog: ChangeItem[] = [];
  #changelogCount = 0;
  readonly #kinds: Record<string, number> = { "+I": 0, "-U": 0, "+U": 0, "-D": 0 };
  #resumedFrom: number | null = null;
  #firstDelivered: number | null = null;
  #lastAcked = 0;
  /** The commits the buyer's days and partitions were read at (the view shows both, consistent). */
  #shownCommits = 0;
  #tailAbort = new AbortController();
  #tail: Promise<void> = Promise.resolve();

  private constructor(table: Table, committed: number, persisted: MetricsPersisted, onError: (error: unknown) => void) {
    this.#table = table;
    this.#onError = onError;
    this.commits = committed;
    this.running = persisted.metricsRunning;
    this.speed = persisted.metricsSpeed;
    this.buyer = persisted.buyer;
    this.#clockMs = Math.max(persisted.simMs, committed === 0 ? commitTimeMs(1) - HOUR_MS : commitTimeMs(committed));
    this.#write = table.newWrite({ commitUser: METRICS_USER, nowMs: () => this.#clockMs });
  }

  /** Opens (creating the table on first use), resumes the commit count from the table and starts the consumer. */
  static async open(catalog: Catalog, persisted: MetricsPersisted, onError: (error: unknown) => void): Promise<MetricsDriver> {
    if (!await catalog.tableExists(METRICS_TABLE_ID)) await catalog.sql(METRICS_DDL);
    const table = await catalog.getTable(METRICS_TABLE_ID);
    const driver = new MetricsDriver(table, await lastIdentifierOf(table, METRICS_USER), persisted, onError);
    await driver.#startTail();
    await driver.refreshView();
    return driver;
  }

  /** The simulated clock, epoch ms. */
  get simMs(): number {
    return this.#clockMs;
  }

  /** The persisted part of the driver's state. */
  persisted(): MetricsPersisted {
    return { metricsRunning: this.running, metricsSpeed: this.speed, simMs: this.#clockMs, buyer: this.buyer };
  }

  /** Sets the speed (clamped to SPEED_MIN..SPEED_MAX simulated ms per second). */
  setSpeed(speed: number): void {
    if (!Number.isFinite(speed)) throw new RangeError(`metrics demo: speed ${speed} is not a number`);
    this.speed = Math.min(SPEED_MAX, Math.max(SPEED_MIN, Math.round(speed)));
  }

  /** Chooses the buyer of the chart (1..GENERATE.buyers). */
  setBuyer(buyer: number): void {
    if (!Number.isSafeInteger(buyer) || buyer < 1 || buyer > GENERATE.buyers) throw new RangeError(`metrics demo: buyer ${buyer} is not in 1..${GENERATE.buyers}`);
    this.buyer = buyer;
  }

  /** Advances the clock by `elapsedMs` of real time and runs the commits that fell due; returns commits run. */
  async step(elapsedMs: number): Promise<number> {
    if (!this.running) return 0;
    let done = 0;
    const target = this.#clockMs + this.speed * elapsedMs / 1000;
    while (done < STEP_COMMITS_MAX && commitTimeMs(this.commits + 1) <= target) {
      const k = this.commits + 1;
      this.#clockMs = commitTimeMs(k);
      await this.#write.write(commitRows(k));
      await this.#write.commit({ identifier: BigInt(k) });
      this.commits = k;
      done++;
    }
    // Never more than one commit ahead of the table.
    this.#clockMs = Math.max(this.#clockMs, Math.min(target, commitTimeMs(this.commits + 1)));
    if (done > 0) await this.refreshView();
    return done;
  }

  /** Re-reads the chosen buyer's days and the partitions present. */
  async refreshView(): Promise<void> {
    const at = this.commits; // steps are serialised: the table holds exactly these commits now
    if (this.#lookup === null) this.#lookup = await this.#table.newLookup({ keys: ["test_buyer_id"], refreshIntervalMs: 24 * 3_600_000 });
    else await this.#lookup.refresh();
    const rows = await this.#lookup.getAll({ test_buyer_id: BigInt(this.buyer) });
    const days = new Map<string, { orders: number; gmv: number }>();
    for (const r of rows) {
      const day = days.get(String(r.ds)) ?? { orders: 0, gmv: 0 };
      day.orders += Number(r.test_order_cnt as bigint);
      day.gmv += r.test_gmv as number;
      days.set(String(r.ds), day);
    }
    this.#buyerDays = [...days].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([ds, d]) => ({ ds, ...d }));
    const partitions = [...new Set((await this.#table.files()).map((f) => String(f.partition.ds)))].sort();
    for (const p of this.#partitions) if (!partitions.includes(p) && !this.#expired.includes(p)) this.#expired.push(p);
    this.#partitions = partitions;
    this.#shownCommits = at;
  }

  /** Starts the changelog consumer: from snapshot 1 the first time, else from its stored position. */
  async #startTail(): Promise<void> {
    const stored = await this.#table.store.get(`consumer/consumer-${CONSUMER_ID}`).catch(() => null);
    this.#resumedFrom = stored === null ? null : Number((JSON.parse(new TextDecoder().decode(stored)) as { nextSnapshot: number }).nextSnapshot);
    const stream: ChangeStream<SnapshotChanges> = this.#table.streamRead({
      consumerId: CONSUMER_ID, pollIntervalMs: 250, signal: this.#tailAbort.signal,
      ...(stored === null ? { scanMode: "from-snapshot" as const, snapshotId: 1 } : {}),
    });
    this.#tail = this.#consume(stream).catch((error: unknown) => {
      if (!this.#tailAbort.signal.aborted) this.#onError(error);
    });
  }

  async #consume(stream: ChangeStream<SnapshotChanges>): Promise<void> {
    try {
      for (;;) {
        const item = await stream.next();
        if (item.done === true) return;
        const snapshotId = Number(item.value.snapshotId);
        this.#firstDelivered ??= snapshotId;
        for (const r of item.value.changes.toArray() as Record<string, unknown>[]) {
          const kind = String(r._ROW_KIND);
          this.#kinds[kind] = (this.#kinds[kind] ?? 0) + 1;
          this.#changelogCount++;
          this.#changelog.push({
            snapshotId, kind, buyer: String(r.test_buyer_id), cate1: String(r.test_cate1_id), ds: String(r.ds),
            orders: String(r.test_order_cnt), gmv: Number(r.test_gmv),
          });
        }
        if (this.#changelog.length > CHANGELOG_KEPT) this.#changelog.splice(0, this.#changelog.length - CHANGELOG_KEPT);
        await stream.acknowledge();
        this.#lastAcked = snapshotId;
      }
    } finally {
      await stream.return?.();
    }
  }

  /** The panel's figures (commits, buyer days and partitions as of the last view refresh). */
  view(): MetricsView {
    return {
      running: this.running, speed: this.speed, simMs: this.#clockMs, commits: this.#shownCommits, buyer: this.buyer,
      buyerDays: this.#buyerDays, partitions: this.#partitions, expired: [...this.#expired], changelog: [...this.#changelog],
      changelogCount: this.#changelogCount, changelogKinds: { ...this.#kinds }, consumerResumedFrom: this.#resumedFrom,
      consumerFirstDelivered: this.#firstDelivered, consumerLastAcked: this.#lastAcked,
    };
  }

  /** Stops the consumer and closes the writer and lookup. */
  async close(): Promise<void> {
    this.#tailAbort.abort();
    await this.#tail;
    await this.#write.close();
    await this.#lookup?.close();
    this.#lookup = null;
  }
}

