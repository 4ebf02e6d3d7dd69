/**
 * Streaming reads: an async iterator over a table's changes, one item per snapshot that
 * carries changes for the stream, each with its snapshot id and its rows tagged with row kinds.
 *
 * Mirrors Java `DataTableStreamScan` (plan/nextPlan, `checkpoint()` = the next snapshot id,
 * `notifyCheckpointComplete` = writing `consumer/consumer-<id>`) over the starting scanners
 * (starting_scanner.ts), the follow-up scanners (follow_up_scanner.ts) and
 * `NextSnapshotFetcher` (snapshot_follower.ts):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/DataTableStreamScan.java
 *
 * Polling: while the next snapshot is not committed, the stream sleeps `pollIntervalMs`
 * (Java `continuous.discovery-interval`, default 10 s, bounded to [1 ms, 1 h]) between looks;
 * a commit becomes visible at most one poll interval (plus the read) after it lands. Snapshots
 * that carry nothing for the stream (COMPACT snapshots without changelog, empty plans) are
 * passed over without sleeping.
 *
 * Cancellation: `return()` (a `break` out of `for await`) or aborting `signal` ends the stream
 * at once: a pending `next()` resolves `{ done: true }` immediately, the poll timer is cleared,
 * and nothing is written afterwards except an acknowledgement already requested (a `next()`
 * called before the abort acknowledges the previous item). An abort is not an error.
 *
 * Consumers (`consumerId`): progress is stored as Java stores it, `{"nextSnapshot": N}` in
 * `consumer/consumer-<id>`, meaning "every snapshot below N is consumed". Acknowledgement
 * protocol: an item is acknowledged when the caller asks for the next one (`next()`), or
 * explicitly with `acknowledge()`; only then is N = its snapshot id + 1 written. `return()` and
 * aborts do not acknowledge the last item (it may not have been processed). Also written:
 *  - at start, for streams that begin with changes (not with a full read), the first snapshot
 *    to read, so expiration keeps it from the start;
 *  - before sleeping, when snapshots without changes were passed over since the last write.
 * A stream restarted with the same consumer id resumes at the stored N (a consumer takes
 * precedence over the scan mode unless `consumer.ignore-progress`). Calls are serialized: a
 * `next()` issued while another is pending acknowledges that one's item as soon as it is
 * returned, so ask for the next item only once the previous one is processed (`for await` does).
 * Delivery guarantee: every snapshot from the stored position on is delivered, in order, none
 * skipped (an expired one is an error); a snapshot is delivered again only when the process
 * stopped after receiving it and before acknowledging it (at most that one snapshot). This is
 * Java's exactly-once at snapshot granularity for a caller that makes its processing and the
 * acknowledgement atomic (or skips items whose `snapshotId` it already processed), and
 * at-least-once otherwise. `consumer.mode` (exactly-once / at-least-once) only changes how Java
 * combines the progress of parallel readers; a single iterator behaves identically under both.
 * A full starting read (latest-full, from-snapshot-full) is acknowledged like any item; a
 * consumer stopped before acknowledging it has stored nothing and starts over with a full read.
 *
 * Read-ahead (read_ahead.ts): once a snapshot is planned, the next few are fetched and planned
 * and their data files requested while the current one decodes (bounded in snapshots and bytes).
 *
 * Invariants: items are in snapshot id order; every item has at least one row; an error
 * rejects `next()` and ends the stream (async iterators never swallow errors).
 * Imports: errors.ts, spec (snapshot), table (changelog_manager, consumer_manager, snapshot_manager), stream/*.
 */
import { LakeError } from "../errors.ts";
import { ChangelogProducer } from "../spec/core_options_types.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { writeConsumer } from "../table/consumer_manager.ts";
import { changelogExists } from "../table/changelog_manager.ts";
import { earliestSnapshotId, latestSnapshotId, snapshotPath } from "../table/snapshot_manager.ts";
import type { ChangeBatch } from "./change_batch.ts";
import type { StreamTableContext } from "./change_read.ts";
import { planFollowUpSnapshot, readFollowUpPlan } from "./follow_up_scanner.ts";
import { ReadAhead, type Planned } from "./read_ahead.ts";
import { readFullSnapshot } from "./full_read.ts";
import { createReadEnv, type ReadEnv } from "./read_env.ts";
import { expiredSnapshotError, fetchNextSnapshot, type FollowState } from "./snapshot_follower.ts";
import { openStart, scanStart, type StartAnchors } from "./starting_scanner.ts";
import { resolveStreamOptions, type ResolvedStreamOptions, type StreamReadOptions } from "./stream_options.ts";

/** Options of `openChangeStream`: the public options plus the output form. */
export interface ChangeStreamOptions extends StreamReadOptions {
  /** True (default) to read Parquet into Arrow-layout buffers where possible; false for values. */
  readonly columnar?: boolean;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Waits `ms`, or less when `signal` aborts; leaves no timer or listener behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A running stream of a table's changes; `convert` shapes each snapshot's ChangeBatch into the
 * item type (an Arrow table in the public API). See the file header for the contract.
 */
export class ChangeStream<T> implements AsyncIterableIterator<T> {
  readonly #env: ReadEnv;
  readonly #options: ResolvedStreamOptions;
  readonly #convert: (batch: ChangeBatch) => T;
  readonly #stop = new AbortController();
  readonly #userSignal: AbortSignal | null;
  readonly #onUserAbort = (): void => this.#close();
  readonly #stopped: Promise<IteratorReturnResult<undefined>>;
  readonly #anchors: Promise<StartAnchors>;
  #queue: Promise<unknown> = Promise.resolve();
  #finished = false;
  /** The next snapshot whose changes to read; null before the start is resolved. */
  #nextSnapshotId: bigint | null = null;
  /** Position to store when the last yielded item is acknowledged; null when none is pending. */
  #unacked: bigint | null = null;
  /** The consumer position last written (or found at start); null when none. */
  #stored: bigint | null = null;
  readonly #followState: FollowState = { misses: 0, rangeChecked: false };
  /** Snapshots planned ahead of the one being read. */
  readonly #ahead: ReadAhead;

  /** Opens a stream over `context`; the "latest" and "from-timestamp" anchors are fixed now. */
  constructor(context: StreamTableContext, options: ChangeStreamOptions, convert: (batch: ChangeBatch) => T) {
    const primaryKey = context.schema.primaryKeys.length > 0;
    this.#options = resolveStreamOptions(context.schema.options, options, primaryKey);
    this.#env = createReadEnv(context, { columns: options.columns, columnar: options.columnar ?? true, tableOptions: this.#options.tableOptions });
    this.#convert = convert;
    this.#stopped = new Promise((resolve) => this.#stop.signal.addEventListener("abort", () => resolve(DONE), { once: true }));
    this.#userSignal = options.signal ?? null;
    this.#userSignal?.addEventListener("abort", this.#onUserAbort, { once: true });
    this.#anchors = openStart(context.store, this.#options);
    this.#ahead = new ReadAhead(this.#env, this.#options, () => this.#finished);
    this.#anchors.catch(() => undefined); // reported by the first next()
    if (this.#userSignal?.aborted === true) this.#close();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next snapshot id the stream will read (Java `checkpoint()`), or null before it started. */
  get nextSnapshotId(): bigint | null {
    return this.#nextSnapshotId;
  }

  /** The next item; acknowledges the previous one first (see the file header). */
  next(): Promise<IteratorResult<T>> {
    if (this.#finished) return Promise.resolve(DONE);
    const run = this.#queue.then(() => this.#step());
    this.#queue = run.catch(() => undefined);
    return Promise.race([run, this.#stopped]);
  }

  /** Ends the stream at once (a pending `next()` resolves done); does not acknowledge. */
  return(): Promise<IteratorResult<T>> {
    this.#close();
    return Promise.resolve(DONE);
  }

  /** Acknowledges the last item now (writes the consumer position); no-op without consumer or pending item. */
  acknowledge(): Promise<void> {
    const run = this.#queue.then(() => this.#acknowledge());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #close(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
    this.#ahead.clear();
    this.#stop.abort();
  }

  async #writeProgress(nextSnapshot: bigint): Promise<void> {
    const id = this.#options.consumerId;
    if (id === null || this.#stored === nextSnapshot) return;
    await writeConsumer(this.#env.context.store, id, { nextSnapshot });
    this.#stored = nextSnapshot;
  }

  async #acknowledge(): Promise<void> {
    if (this.#unacked === null) return;
    await this.#writeProgress(this.#unacked);
    this.#unacked = null;
  }

  async #step(): Promise<IteratorResult<T>> {
    try {
      // The call to next() acknowledged the previous item even when an abort came right after it.
      await this.#acknowledge();
      if (this.#finished) return DONE;
      if (this.#nextSnapshotId === null) {
        const first = await this.#start();
        if (first !== null) return first;
      }
      return await this.#follow();
    } catch (error) {
      // End without aborting #stop: the race in next() must settle with this error, not DONE.
      // Nothing is pending here (no timer), so there is nothing to cancel.
      this.#finished = true;
      this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
      this.#ahead.clear();
      throw error;
    }
  }

  /** Resolves the start; returns the full starting read when there is one with rows. */
  async #start(): Promise<IteratorResult<T> | null> {
    const store = this.#env.context.store;
    const anchors = await this.#anchors;
    while (!this.#finished) {
      const start = await scanStart(store, this.#options, anchors);
      if (start.kind === "none") {
        await sleep(this.#options.pollIntervalMs, this.#stop.signal);
        continue;
      }
      if (start.kind === "next") {
        this.#nextSnapshotId = start.nextSnapshotId;
        if (start.fromConsumer) this.#stored = start.nextSnapshotId;
        else if (!this.#finished) await this.#writeProgress(start.nextSnapshotId);
        return null;
      }
      const batch = await readFullSnapshot(this.#env, start.snapshot, { keepDelete: false, levelFilter: this.#startLevelFilter() });
      this.#nextSnapshotId = start.snapshot.id + 1n;
      if (batch.rowCount === 0) return null;
      this.#unacked = this.#nextSnapshotId;
      return { done: false, value: this.#convert(batch) };
    }
    return DONE;
  }

  /** Java `tryFirstPlan`'s level filters for changelog producers that compact into changelog. */
  #startLevelFilter(): ((level: number) => boolean) | null {
    switch (this.#options.changelogProducer) {
      case ChangelogProducer.LOOKUP: return (level) => level > 0;
      case ChangelogProducer.FULL_COMPACTION: {
        const top = this.#options.levelCount - 1;
        return (level) => level === top;
      }
      default: return null;
    }
  }

  /** Java `nextPlan`: the next snapshot with changes, polling while none is committed. */
  async #follow(): Promise<IteratorResult<T>> {
    const store = this.#env.context.store;
    const follow = { changelogDecoupled: this.#options.changelogDecoupled, consumerId: this.#options.consumerId };
    while (!this.#finished) {
      const id = this.#nextSnapshotId!;
      const ahead = await this.#ahead.take(id);
      const snapshot = ahead?.snapshot ?? await fetchNextSnapshot(store, id, follow, this.#followState);
      if (snapshot === null) {
        if (this.#finished) break;
        await this.#writeProgress(id); // snapshots passed over since the last write
        await sleep(this.#options.pollIntervalMs, this.#stop.signal);
        continue;
      }
      const batch = await this.#readFollowUp(snapshot, ahead);
      this.#nextSnapshotId = id + 1n;
      if (batch !== null && batch.rowCount > 0) {
        this.#unacked = this.#nextSnapshotId;
        return { done: false, value: this.#convert(batch) };
      }
    }
    return DONE;
  }

  /**
   * Reads one follow-up snapshot (starting the read-ahead of the next once planned); a file
   * removed meanwhile by expiration becomes the expired error.
   */
  async #readFollowUp(snapshot: Snapshot, ahead: Planned | null): Promise<ChangeBatch | null> {
    const store = this.#env.context.store;
    try {
      const plan = ahead !== null ? ahead.plan : await planFollowUpSnapshot(this.#env, snapshot, this.#options);
      this.#ahead.start(snapshot.id + 1n);
      return plan === null ? null : await readFollowUpPlan(this.#env, snapshot, plan, ahead?.bytes);
    } catch (error) {
      if (!(error instanceof LakeError && error.code === "not_found")) throw error;
      if ((await store.stat(snapshotPath(snapshot.id))) !== null) throw error;
      if (this.#options.changelogDecoupled && (await changelogExists(store, snapshot.id))) throw error;
      const earliest = await earliestSnapshotId(store);
      if (earliest === null || earliest <= snapshot.id) throw error;
      const expired = expiredSnapshotError(snapshot.id, earliest, await latestSnapshotId(store), this.#options.consumerId);
      throw new LakeError(expired.code, expired.message, { cause: error });
    }
  }
}

/** Opens a stream whose items are the ChangeBatches themselves (see `ChangeStream`). */
export function openChangeStream(context: StreamTableContext, options: ChangeStreamOptions = {}): ChangeStream<ChangeBatch> {
  return new ChangeStream(context, options, (batch) => batch);
}
