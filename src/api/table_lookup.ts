/**
 * `table.newLookup(options)`: point lookups (a lookup join's probe side) against a Paimon table
 * that may be written at the same time. Keys equal to the primary key give one row (`get`,
 * `getMany`); keys covering the bucket key give every matching row (`getAll`, `getManyAll`).
 * Only the buckets probes touch are loaded, each into a columnar, sorted, bloom-filtered index
 * (src/lookup/*), bounded by `cacheBytesMax`, persisted to `localStore` for restarts, and
 * refreshed to newer snapshots incrementally.
 *
 * The API is the one /work/notes/lookup_api.md fixes. Defaults checked against Java's options:
 * `fullLoadThreshold` 5 (`lookup.refresh.async.pending-snapshot-count`: past it Java refreshes
 * synchronously; here, past it refresh plans the latest snapshot instead of applying each
 * delta), refresh interval 10 s (`continuous.discovery-interval`, which the lookup function
 * falls back to), cache 256 MiB (`lookup.cache-max-memory-size`).
 *
 * Invariants: every answer reflects one snapshot (`snapshotId`); operations on one lookup run
 * one at a time in call order; after `close()` every call is LakeError("invalid_argument").
 * Imports: lookup (engine, plan, probe types), errors.ts, io types, spec values.
 * Mirrors Java `FileStoreLookupFunction` (paimon-flink-common) as a library object:
 * https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/lookup/FileStoreLookupFunction.java
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import { LookupEngine, type Row } from "../lookup/lookup_engine.ts";
import { planLookup, type PartitionSelection } from "../lookup/lookup_plan.ts";
import type { LookupKey } from "../lookup/lookup_probe.ts";

export type { LookupKey } from "../lookup/lookup_probe.ts";
export type { Row as LookupRow } from "../lookup/lookup_engine.ts";

/** Default memory bound of loaded bucket indexes: 256 MiB. */
export const LOOKUP_CACHE_BYTES_MAX_DEFAULT = 256 * 1024 * 1024;
/** Default refresh interval of get/getMany: 10 s. */
export const LOOKUP_REFRESH_INTERVAL_MS_DEFAULT = 10_000;
/** Default pending-snapshot count past which refresh reloads (Java's async pending-snapshot-count). */
export const LOOKUP_FULL_LOAD_THRESHOLD_DEFAULT = 5;

/** Options of `table.newLookup`. */
export interface NewLookupOptions {
  /** Lookup columns; default the primary key (required for tables without one). */
  readonly keys?: readonly string[];
  /** Returned columns, in order; default every column. */
  readonly columns?: readonly string[];
  /** Partitions a probe without partition values reads: "all" (default), "latest" (Java max_pt()), or a fixed partition row. */
  readonly partition?: PartitionSelection;
  /** Memory bound (bytes) of loaded bucket indexes; least recently used buckets are evicted. */
  readonly cacheBytesMax?: number;
  /** get/getMany refresh first when the last refresh is older than this (ms; 0 = every call). */
  readonly refreshIntervalMs?: number;
  /** More pending snapshots than this: refresh compares every loaded bucket instead of reading each delta. */
  readonly fullLoadThreshold?: number;
  /** Where bucket indexes are persisted (reused after a restart when the table did not change). */
  readonly localStore?: ObjectStore;
  /** Pin a snapshot: answers never move (refresh is a no-op). */
  readonly snapshotId?: number | bigint;
  /** Where warnings go (default console.warn). */
  readonly onWarning?: (message: string) => void;
}

/** Counters of a lookup. */
export interface LookupStats {
  readonly snapshotId: bigint | null;
  /** Bucket index loads (restored or built). */
  readonly bucketsLoaded: number;
  /** Indexes currently in memory. */
  readonly bucketsCached: number;
  readonly bucketsEvicted: number;
  readonly bytesCached: number;
  /** Data and deletion-vector files read (and their bytes) to build indexes. */
  readonly filesRead: number;
  readonly bytesRead: number;
  /** Time spent loading bucket indexes (ms). */
  readonly loadMs: number;
  readonly refreshes: number;
  readonly indexesRestored: number;
  readonly indexesPersisted: number;
  readonly indexesCorrupt: number;
  readonly lookups: number;
  readonly hits: number;
  readonly bloomRejects: number;
}

/** What the lookup needs of a table (the Table class satisfies it). */
export interface LookupTableSource {
  readonly name: string;
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  schemaById(id: bigint): Promise<TableSchema>;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new LakeError("invalid_argument", `lookup: ${name} ${String(value)} must be a finite number >= 0`);
  }
  return value;
}

/** A lookup over one table (see the file header). */
export class TableLookup {
  readonly #engine: LookupEngine;
  readonly #refreshIntervalMs: number;
  #lastRefreshMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #pinned: boolean;

  private constructor(engine: LookupEngine, refreshIntervalMs: number, pinned: boolean) {
    this.#engine = engine;
    this.#pinned = pinned;
    this.#refreshIntervalMs = refreshIntervalMs;
    this.#lastRefreshMs = Date.now();
  }

  /** Opens a lookup (what `table.newLookup` calls). */
  static async open(table: LookupTableSource, options: NewLookupOptions = {}): Promise<TableLookup> {
    const plan = planLookup(table.schema, table.name, options);
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    let pinned: bigint | null = null;
    if (options.snapshotId !== undefined) {
      pinned = BigInt(options.snapshotId);
      if (pinned < 1n) throw new LakeError("invalid_argument", `lookup: snapshotId ${options.snapshotId} is not a positive integer`);
    }
    const engine = await LookupEngine.open(
      { name: table.name, store: table.store, schema: table.schema, schemaById: (id) => table.schemaById(id) },
      plan,
      {
        cacheBytesMax: nonNegative("cacheBytesMax", options.cacheBytesMax, LOOKUP_CACHE_BYTES_MAX_DEFAULT),
        fullLoadThreshold: nonNegative("fullLoadThreshold", options.fullLoadThreshold, LOOKUP_FULL_LOAD_THRESHOLD_DEFAULT),
        localStore: options.localStore ?? null,
        pinnedSnapshotId: pinned,
        warn,
      },
    );
    if (plan.bucketWarning !== null) warn(`lookup: ${plan.bucketWarning}`);
    return new TableLookup(engine, nonNegative("refreshIntervalMs", options.refreshIntervalMs, LOOKUP_REFRESH_INTERVAL_MS_DEFAULT), pinned !== null);
  }

  /** True when keys equal the primary key (one row per key). */
  get unique(): boolean {
    return this.#engine.plan.unique;
  }

  /** The snapshot answers reflect (null: the table has no snapshot yet). */
  get snapshotId(): bigint | null {
    return this.#engine.snapshotId;
  }

  /** The lookup columns, in key order. */
  get keys(): readonly string[] {
    return this.#engine.plan.shape.names;
  }

  #run<T>(op: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new LakeError("invalid_argument", "lookup: this lookup is closed"));
    const next = this.#queue.then(op, op);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #refreshIfDue(): Promise<void> {
    if (Date.now() - this.#lastRefreshMs >= this.#refreshIntervalMs) await this.#refresh();
  }

  async #refresh(): Promise<{ snapshotId: bigint | null; mode: "none" | "incremental" | "full" }> {
    const result = await this.#engine.refresh();
    this.#lastRefreshMs = Date.now();
    return result;
  }

  #requireUnique(what: string): void {
    if (!this.unique) {
      throw new LakeError("invalid_argument", `lookup: ${what} needs keys equal to the primary key; keys [${this.keys.join(", ")}] may match several rows: use getAll/getManyAll`);
    }
  }

  /** The row with this key, or null. Requires: a unique lookup. */
  async get(key: LookupKey): Promise<Row | null> {
    this.#requireUnique("get");
    return (await this.getMany([key]))[0]!;
  }

  /** One row (or null) per key, in key order: the batched fast path. Requires: a unique lookup. */
  async getMany(keys: readonly LookupKey[]): Promise<(Row | null)[]> {
    this.#requireUnique("getMany");
    if (!Array.isArray(keys)) throw new LakeError("invalid_argument", "lookup: getMany expects an array of keys");
    return this.#run(() => this.#answer(() => this.#engine.getMany(keys)));
  }

  /**
   * Refreshes when due, then answers. A data file that vanished (the snapshot the lookup holds
   * was expired by a writer) is answered by refreshing once and asking again; a pinned lookup
   * reports the error.
   */
  async #answer<T>(ask: () => Promise<T>): Promise<T> {
    await this.#refreshIfDue();
    try {
      return await ask();
    } catch (error) {
      if (!(error instanceof LakeError) || error.code !== "not_found" || this.#pinned) throw error;
      await this.#refresh();
      return ask();
    }
  }

  /** Every row matching `key`. */
  async getAll(key: LookupKey): Promise<Row[]> {
    return (await this.getManyAll([key]))[0]!;
  }

  /** Every row matching each key, in key order. */
  async getManyAll(keys: readonly LookupKey[]): Promise<Row[][]> {
    if (!Array.isArray(keys)) throw new LakeError("invalid_argument", "lookup: getManyAll expects an array of keys");
    return this.#run(() => this.#answer(() => this.#engine.getManyAll(keys)));
  }

  /** Moves to the latest snapshot now (see LookupEngine#refresh for the modes). */
  refresh(): Promise<{ snapshotId: bigint | null; mode: "none" | "incremental" | "full" }> {
    return this.#run(() => this.#refresh());
  }

  /** Counters (a copy). */
  stats(): LookupStats {
    return { snapshotId: this.snapshotId, ...this.#engine.counters() } as unknown as LookupStats;
  }

  /** Releases the lookup (its in-memory indexes; persisted ones stay); pending calls finish first. */
  async close(): Promise<void> {
    const pending = this.#queue;
    this.#closed = true;
    await pending;
    this.#engine.dispose();
  }
}

export type { PartitionSelection, Value };
