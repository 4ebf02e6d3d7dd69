/**
 * The refund-tag job itself (use-cases.md workload 1), stateless: everything it knows comes from
 * the table, so a killed instance is replaced by a new one that reopens the catalog and table
 * and finds its position there.
 *
 * Per micro-batch: look up the batch's (buyer, seller) rows with one `getMany` on a lookup kept
 * across batches; update each order dict event by event (order_dict.ts) and collect the tags;
 * upsert the changed rows; `commit({ identifier: batchNo })` under the fixed COMMIT_USER; refresh
 * the lookup (the commit is the freshness); publish the tags to the sink.
 *
 * Restart (`recover`): the position is the last commit identifier of COMMIT_USER in the
 * snapshots (Java `SnapshotManager#latestSnapshotOfUser`). When that batch is committed but its
 * tags were never published (killed between the two), the new instance replays the batch
 * against the snapshot it originally read (a lookup pinned to the snapshot before the batch's
 * first one), commits the same identifier again, which is a no-op (`alreadyCommitted`), and
 * publishes the tags. A batch killed before its commit landed simply runs again.
 *
 * Invariants: a batch's rows are committed at most once (commit user + identifier); every batch
 * is published exactly once; the job never reads anything but the table and the event source.
 * Imports: lakestate (universal API), this example's modules.
 */
import { openCatalog, type LookupRow as Row, type Table, type TableLookup, type TableWrite, type ObjectStore, type Snapshot } from "../../src/mod.ts";
import { batchCount, batchEvents, type EventList, type PayEvent } from "./events.ts";
import { JobKilled, KillSwitchStore } from "./kill_switch.ts";
import { addOrder, formatOrderDict, parseOrderDict, refundOrder, tagOf, type OrderEntry } from "./order_dict.ts";
import type { TagEmit, TagSink } from "./sink.ts";

/** The table of the use case, as `catalog.getTable` names it. */
export const TABLE_ID = "paimon-db.test_dws_pay_refund";
/** The job's commit user: fixed, so that commits are exactly-once across restarts. */
export const COMMIT_USER = "refund-tags-job";
/** The lookup refreshes only when the job says so (after each commit), never on a timer. */
const REFRESH_INTERVAL_MS = 24 * 3_600_000;

/** Where a planned kill fires in its batch. */
export type KillPoint =
  | { readonly kind: "after-commit" }
  /** At a store write of the batch, `fraction` of the way through its expected writes. */
  | { readonly kind: "write"; readonly fraction: number; readonly landed: boolean }
  /** At the commit point: the conditional create of the batch's snapshot file, before or after it lands. */
  | { readonly kind: "snapshot"; readonly landed: boolean };

/** One planned kill: fires once, in batch `batchNo`. */
export interface KillPlan {
  readonly batchNo: number;
  readonly at: KillPoint;
}

/** What the job measures (shared by every instance of a run). */
export interface JobMetrics {
  readonly getManyMs: number[];
  readonly getManyKeys: number[];
  readonly commitMs: number[];
  readonly refreshMs: number[];
  readonly refreshModes: Record<string, number>;
  /** Lookup counters summed over instances (from `stats()`). */
  readonly lookup: Record<string, number>;
  readonly kills: string[];
  readonly recoveries: string[];
  /** Store writes of the last committed batch (to place write kills). */
  lastBatchWrites: number;
  instances: number;
}

/** A fresh metrics record. */
export function newMetrics(): JobMetrics {
  return { getManyMs: [], getManyKeys: [], commitMs: [], refreshMs: [], refreshModes: {}, lookup: {}, kills: [], recoveries: [], lastBatchWrites: 0, instances: 0 };
}

/** What the job is given: the warehouse store, the event source and the sink. */
export interface JobContext {
  readonly warehouse: ObjectStore;
  /** The event source (an array, or a view of an endless stream), read batch by batch. */
  readonly events: EventList;
  readonly batchSize: number;
  readonly sink: TagSink;
  readonly metrics: JobMetrics;
  readonly log: (line: string) => void;
  /** Where lookups persist bucket indexes (a restart on the same machine reuses them); none by default. */
  readonly lookupCache?: ObjectStore;
}

/** The result of one batch's computation: rows to upsert and tags to publish. */
interface BatchOutput {
  readonly upserts: Row[];
  readonly emits: TagEmit[];
}

/** Distinct (buyer, seller) pairs of `events`, in order of first appearance. */
function pairsOf(events: readonly PayEvent[]): [string, string][] {
  const seen = new Set<string>();
  const pairs: [string, string][] = [];
  for (const e of events) {
    const key = `${e.buyer}\u0000${e.seller}`;
    if (!seen.has(key)) {
      seen.add(key);
      pairs.push([e.buyer, e.seller]);
    }
  }
  return pairs;
}

/** Applies `events` to the looked-up rows of their pairs (`rows[i]` belongs to `pairs[i]`). */
function applyEvents(events: readonly PayEvent[], pairs: readonly [string, string][], rows: readonly (Row | null)[]): BatchOutput {
  const dicts = new Map<string, { entries: OrderEntry[]; changed: boolean }>();
  pairs.forEach(([buyer, seller], i) => {
    const dict = rows[i]?.test_order_dict ?? null;
    if (dict !== null && typeof dict !== "string") throw new Error(`job: test_order_dict of (${buyer}, ${seller}) is not a string`);
    dicts.set(`${buyer}\u0000${seller}`, { entries: parseOrderDict(dict), changed: false });
  });
  const emits: TagEmit[] = [];
  for (const e of events) {
    const state = dicts.get(`${e.buyer}\u0000${e.seller}`)!;
    const changed = e.kind === "order" ? addOrder(state.entries, e.orderId, e.payMs) : refundOrder(state.entries, e.orderId);
    state.changed ||= changed;
    emits.push({ seq: e.seq, buyer: e.buyer, seller: e.seller, tag: tagOf(state.entries) });
  }
  const upserts: Row[] = [];
  pairs.forEach(([buyer, seller]) => {
    const state = dicts.get(`${buyer}\u0000${seller}`)!;
    if (state.changed) upserts.push({ test_buyer_id: buyer, test_seller_id: seller, test_order_dict: formatOrderDict(state.entries) });
  });
  return { upserts, emits };
}

/** Adds a lookup's counters to the run's totals. */
function addLookupStats(metrics: JobMetrics, lookup: TableLookup): void {
  for (const [name, value] of Object.entries(lookup.stats())) {
    if (typeof value === "number") metrics.lookup[name] = (metrics.lookup[name] ?? 0) + value;
  }
}

/** One instance of the job: a process's worth of state, all of it rebuilt from the table. */
class JobInstance {
  readonly #ctx: JobContext;
  readonly store: KillSwitchStore;
  /** The lookup's local index store, dying with the instance (null: none). */
  readonly cacheStore: KillSwitchStore | null;
  readonly #table: Table;
  readonly #lookup: TableLookup;
  readonly #writer: TableWrite;

  private constructor(ctx: JobContext, store: KillSwitchStore, cacheStore: KillSwitchStore | null, table: Table, lookup: TableLookup, writer: TableWrite) {
    this.#ctx = ctx;
    this.store = store;
    this.cacheStore = cacheStore;
    this.#table = table;
    this.#lookup = lookup;
    this.#writer = writer;
  }

  /** Starts an instance: opens the catalog and table through a fresh (killable) store. */
  static async start(ctx: JobContext): Promise<JobInstance> {
    const store = new KillSwitchStore(ctx.warehouse);
    const catalog = openCatalog({ warehouse: store });
    const table = await catalog.getTable(TABLE_ID);
    const cacheStore = ctx.lookupCache === undefined ? null : new KillSwitchStore(ctx.lookupCache);
    const lookup = await table.newLookup({
      refreshIntervalMs: REFRESH_INTERVAL_MS,
      ...(cacheStore === null ? {} : { localStore: cacheStore }),
      onWarning: (m) => ctx.log(`lookup warning: ${m}`),
    });
    // Every batch commits a snapshot, even one that changed no row, so its identifier is on record.
    const writer = table.newWrite({ commitUser: COMMIT_USER, options: { "snapshot.ignore-empty-commit": "false" } });
    ctx.metrics.instances++;
    return new JobInstance(ctx, store, cacheStore, table, lookup, writer);
  }

  /**
   * The last batch COMMIT_USER committed (0: none) and the snapshot before that batch's first
   * snapshot (0n: the empty table), walking back from the latest snapshot.
   */
  async committedPosition(): Promise<{ batchNo: number; snapshotBefore: bigint; lastSnapshot: bigint }> {
    let snapshot: Snapshot | null = await this.#table.resolveSnapshot();
    const lastSnapshot = snapshot?.id ?? 0n;
    let batchNo: bigint | null = null;
    while (snapshot !== null) {
      if (snapshot.commitUser === COMMIT_USER && (batchNo === null || snapshot.commitIdentifier === batchNo)) {
        batchNo = snapshot.commitIdentifier;
      } else if (batchNo !== null) {
        return { batchNo: Number(batchNo), snapshotBefore: snapshot.id, lastSnapshot };
      }
      snapshot = snapshot.id > 1n ? await this.#table.resolveSnapshot(snapshot.id - 1n).catch(() => null) : null; // expired: stop
    }
    return { batchNo: batchNo === null ? 0 : Number(batchNo), snapshotBefore: 0n, lastSnapshot };
  }

  /**
   * Brings the sink up to the table (see the file header) and returns the next batch to run.
   */
  async recover(): Promise<number> {
    const { metrics, sink, log } = this.#ctx;
    const position = await this.committedPosition();
    const published = sink.lastBatch;
    if (position.batchNo <= published) {
      if (metrics.instances > 1) {
        metrics.recoveries.push(`instance ${metrics.instances}: last commit is batch ${position.batchNo}, tags published up to batch ${published}: resume at batch ${published + 1}`);
        log(`  ${metrics.recoveries[metrics.recoveries.length - 1]}`);
      }
      return published + 1;
    }
    if (position.batchNo !== published + 1) throw new Error(`job: batch ${position.batchNo} is committed but only batches up to ${published} were published`);
    const batchNo = position.batchNo;
    // Replay the batch against the snapshot it read the first time.
    const events = batchEvents(this.#ctx.events, batchNo, this.#ctx.batchSize);
    const pairs = pairsOf(events);
    let rows: (Row | null)[] = pairs.map(() => null);
    if (position.snapshotBefore > 0n) {
      const pinned = await this.#table.newLookup({ snapshotId: position.snapshotBefore });
      try {
        rows = await pinned.getMany(pairs);
      } finally {
        await pinned.close();
      }
    }
    const { upserts, emits } = applyEvents(events, pairs, rows);
    await this.#writer.write(upserts);
    const retried = await this.#writer.commit({ identifier: BigInt(batchNo) });
    const after = await this.#table.resolveSnapshot();
    if (!retried.alreadyCommitted || retried.snapshotIds.length > 0 || (after?.id ?? 0n) !== position.lastSnapshot) {
      throw new Error(`job: the retried commit of batch ${batchNo} applied again (snapshots ${retried.snapshotIds.join(", ")})`);
    }
    sink.record(batchNo, emits);
    metrics.recoveries.push(`instance ${metrics.instances}: batch ${batchNo} was committed (up to snapshot ${position.lastSnapshot}) but its tags were not published: ` +
      `replayed at snapshot ${position.snapshotBefore}, commit({ identifier: ${batchNo} }) again was a no-op (alreadyCommitted, latest snapshot still ${position.lastSnapshot}), ${emits.length} tags published`);
    log(`  ${metrics.recoveries[metrics.recoveries.length - 1]}`);
    return batchNo + 1;
  }

  /** Runs batch `batchNo`; `kill` (if any) fires inside it. */
  async runBatch(batchNo: number, kill: KillPlan | undefined): Promise<void> {
    const { metrics, sink } = this.#ctx;
    const events = batchEvents(this.#ctx.events, batchNo, this.#ctx.batchSize);
    const pairs = pairsOf(events);
    const t0 = performance.now();
    const rows = await this.#lookup.getMany(pairs);
    metrics.getManyMs.push(performance.now() - t0);
    metrics.getManyKeys.push(pairs.length);
    const { upserts, emits } = applyEvents(events, pairs, rows);

    const writesBefore = this.store.writeCount;
    if (kill?.at.kind === "write") {
      const expected = metrics.lastBatchWrites > 0 ? metrics.lastBatchWrites : pairs.length;
      this.store.killAtWrite(1 + Math.floor(kill.at.fraction * expected), kill.at.landed);
    } else if (kill?.at.kind === "snapshot") {
      this.store.killAtWrite(1, kill.at.landed, "/snapshot/snapshot-");
    }
    const t1 = performance.now();
    await this.#writer.write(upserts);
    await this.#writer.commit({ identifier: BigInt(batchNo) });
    metrics.commitMs.push(performance.now() - t1);
    metrics.lastBatchWrites = this.store.writeCount - writesBefore;
    if (kill !== undefined) {
      // A write kill the batch did not reach becomes a kill right after the commit.
      this.store.disarm();
      this.store.kill(`after the commit of batch ${batchNo}, before its tags were published`);
      throw new JobKilled(`killed after the commit of batch ${batchNo}`);
    }
    const t2 = performance.now();
    const refreshed = await this.#lookup.refresh();
    metrics.refreshMs.push(performance.now() - t2);
    metrics.refreshModes[refreshed.mode] = (metrics.refreshModes[refreshed.mode] ?? 0) + 1;
    sink.record(batchNo, emits);
  }

  /** Adds this instance's lookup counters to the run's totals and closes what it holds. */
  async stop(): Promise<void> {
    addLookupStats(this.#ctx.metrics, this.#lookup);
    if (!this.store.dead) {
      await this.#writer.close();
      await this.#lookup.close();
    }
  }
}

/**
 * Runs every batch of the stream, killing the job as `kills` plan (in batch order) and starting
 * a new instance after each kill. Throws on anything but a planned kill.
 */
export async function runJob(ctx: JobContext, kills: readonly KillPlan[]): Promise<void> {
  const pending = [...kills].sort((a, b) => a.batchNo - b.batchNo);
  const total = batchCount(ctx.events.length, ctx.batchSize);
  for (;;) {
    const job = await JobInstance.start(ctx);
    let batchNo = 0;
    try {
      batchNo = await job.recover();
      for (; batchNo <= total; batchNo++) {
        const kill = pending[0]?.batchNo === batchNo ? pending.shift() : undefined;
        await job.runBatch(batchNo, kill);
      }
      await job.stop();
      return;
    } catch (error) {
      if (!job.store.dead) throw error;
      job.cacheStore?.kill("the job died");
      const where = job.store.killedAt === null ? "after the commit, before the tags were published" : `at store write ${job.store.killedAt}`;
      ctx.metrics.kills.push(`instance ${ctx.metrics.instances} killed in batch ${batchNo}, ${where}`);
      ctx.log(`  ${ctx.metrics.kills[ctx.metrics.kills.length - 1]}`);
      await job.stop();
    }
  }
}
