/**
 * The lookup engine behind `table.newLookup`: routes probes to (partition, bucket) targets,
 * loads each target's bucket index on first use (LRU cache + local store, lookup/index_cache.ts),
 * searches it (bloom, then sorted keys) and materializes plain objects for hits only; refresh
 * moves it to a newer snapshot, dropping only the loaded buckets whose rows changed (the next
 * probe that needs one rebuilds it).
 *
 * Invariants: every answer reflects exactly one snapshot (`view.snapshot`), equal to a batch
 * read of the table at that snapshot restricted to the key; a cached index is used only while
 * its identity equals its bucket's identity in the current view; operations run one at a time
 * (a promise chain), so refresh never races a probe.
 * Imports: io, kernel, lsm merge-function factory, spec, table (snapshot_manager, read),
 * lookup siblings. Mirrors Java `FileStoreLookupFunction` + `LookupTable` (full cache and
 * primary-key lookup tables) at the level of behaviour, not code.
 */
import type { ObjectStore } from "../io/store.ts";
import { sharedKernel } from "../kernel/mod.ts";
import { bloomMayContain, bloomMayContainBlock, hashWordsPair } from "../kernel/reference_bloom.ts";
import { createMergeFunctionFactory, type TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { encodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import { toHex } from "../util/bytes.ts";
import { latestSnapshotId, readSnapshot } from "../table/snapshot_manager.ts";
import { bucketIdentity, buildBucketIndex, type BucketIndex, type BuildContext } from "./bucket_index.ts";
import { columnGetter } from "./lookup_columns.ts";
import { createRowBuilder, type RowBuilder } from "./row_builder.ts";
import { IndexCache, shortHash } from "./index_cache.ts";
import { compareBytesKey, lowerBoundBytesKey, lowerBoundU64Key, u64BloomBlock, u64KeyEquals, type BytesKeys, type U64Keys } from "./key_search.ts";
import type { LookupPlan } from "./lookup_plan.ts";
import { encodeBytesProbes, encodeU64Probes, probeBuckets, type EncodedProbes, type LookupKey } from "./lookup_probe.ts";
import { advanceSnapshotView, bucketId, loadSnapshotView, type PartitionInfo, type SnapshotView } from "./snapshot_view.ts";
import { countingStore, type ReadCounters } from "./counting_store.ts";

/** A result row: column name to value. */
export type Row = Record<string, Value>;

/** What the engine needs from the table. */
export interface EngineTable {
  readonly name: string;
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  readonly schemaById: (id: bigint) => Promise<TableSchema>;
}

/** Engine settings (defaults applied by the API layer). */
export interface EngineSettings {
  readonly cacheBytesMax: number;
  readonly fullLoadThreshold: number;
  readonly localStore: ObjectStore | null;
  readonly pinnedSnapshotId: bigint | null;
  readonly warn: (message: string) => void;
}

/** Probe batches of at least this many probes per bucket use the kernel's batched search (bytes form). */
const KERNEL_SEARCH_PROBES_MIN = 256;

/** Bucket indexes loaded at once by a probe (their store reads overlap). */
const LOAD_BUCKETS_CONCURRENCY_MAX = 8;
/** Probe batches of at least this many probes per bucket are searched in key order (u64 form). */
const SORTED_PROBES_MIN = 1024;


/** The lookup engine (see the file header). */
export class LookupEngine {
  readonly plan: LookupPlan;
  readonly #table: EngineTable;
  readonly #settings: EngineSettings;
  readonly #ctx: BuildContext;
  readonly #cache: IndexCache;
  readonly #reads: ReadCounters;
  readonly #skipLevel0: boolean;
  #view: SnapshotView;
  #partitionsByHex = new Map<string, PartitionInfo>();
  readonly #getters = new WeakMap<BucketIndex, ((i: number) => Value)[]>();
  readonly #buildRow: RowBuilder;
  /** Scratch hash pair of the probe loops. */
  readonly #pair = new Uint32Array(2);
  refreshes = 0;
  loadMs = 0;
  lookups = 0;
  hits = 0;
  bloomRejects = 0;

  private constructor(table: EngineTable, plan: LookupPlan, settings: EngineSettings, ctx: BuildContext, reads: ReadCounters, skipLevel0: boolean, view: SnapshotView) {
    this.#table = table;
    this.plan = plan;
    this.#settings = settings;
    this.#ctx = ctx;
    this.#reads = reads;
    this.#skipLevel0 = skipLevel0;
    this.#view = view;
    this.#indexPartitions();
    this.#buildRow = createRowBuilder(plan.outputNames);
    const namespace = shortHash(`${table.name}|${plan.storedFields.map((f) => `${f.id}:${f.name}`).join(",")}|${plan.keyPositions.join(",")}`);
    this.#cache = new IndexCache({ cacheBytesMax: settings.cacheBytesMax, localStore: settings.localStore, directory: `lookup-${namespace}`, warn: settings.warn });
  }

  /** Opens the engine at the pinned snapshot, or the latest. */
  static async open(table: EngineTable, plan: LookupPlan, settings: EngineSettings): Promise<LookupEngine> {
    const schema = table.schema;
    const mergeFactory: TableMergeFunctionFactory | null = schema.primaryKeys.length > 0 ? createMergeFunctionFactory(schema) : null;
    const reads: ReadCounters = { filesRead: 0, bytesRead: 0 };
    const ctx: BuildContext = {
      store: countingStore(table.store, reads), schema, schemaById: table.schemaById, kernel: await sharedKernel(), mergeFactory,
      fields: plan.storedFields, keyPositions: plan.keyPositions,
    };
    const skipLevel0 = mergeFactory?.batchScanSkipsLevel0 ?? false;
    const id = settings.pinnedSnapshotId ?? await latestSnapshotId(table.store);
    const snapshot = id === null ? null : await readSnapshot(table.store, id);
    const view = await loadSnapshotView(table.store, schema, snapshot, { skipLevel0, partitionTypes: plan.partitionTypes });
    return new LookupEngine(table, plan, settings, ctx, reads, skipLevel0, view);
  }

  /** The snapshot answers reflect (null: the table has no snapshot). */
  get snapshotId(): bigint | null {
    return this.#view.snapshot?.id ?? null;
  }

  /** Counters for `stats()`. */
  counters(): Record<string, number | bigint | null> {
    return {
      ...this.#cache.counters, bucketsCached: this.#cache.size, bytesCached: this.#cache.bytesCached,
      filesRead: this.#reads.filesRead, bytesRead: this.#reads.bytesRead, loadMs: this.loadMs, refreshes: this.refreshes,
      lookups: this.lookups, hits: this.hits, bloomRejects: this.bloomRejects,
    };
  }

  #indexPartitions(): void {
    this.#partitionsByHex = new Map(this.#view.partitions.map((p) => [p.hex, p]));
  }

  /** Partitions a probe without partition values goes to. */
  #selectedPartitions(): readonly PartitionInfo[] {
    const sel = this.plan.selection, parts = this.#view.partitions;
    if (sel === "all") return parts;
    if (sel === "latest") return parts.length === 0 ? [] : [parts[parts.length - 1]!];
    const p = this.#partitionsByHex.get(sel.hex);
    return p === undefined ? [] : [p];
  }

  /** The loaded index of bucket `id`, loading (restoring or building) it on a miss. */
  async #ensure(id: string): Promise<BucketIndex> {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const started = performance.now();
    const split = this.#view.splits.get(id) ?? null;
    let index = await this.#cache.restore(id, bucketIdentity(this.#ctx, split));
    if (index === null) {
      index = await buildBucketIndex(this.#ctx, id, split);
      if (split !== null) await this.#cache.persist(index);
    }
    this.#cache.counters.bucketsLoaded++;
    this.#cache.put(index);
    this.loadMs += performance.now() - started;
    return index;
  }

  /** Encodes probes for this plan's index form. */
  #encode(keys: readonly LookupKey[]): EncodedProbes {
    return this.plan.form === "u64" ? encodeU64Probes(this.plan.shape, keys) : encodeBytesProbes(this.plan.shape, keys);
  }

  /** Groups probes by target bucket: [bucket id, probe indexes] pairs. */
  #targets(probes: EncodedProbes): [string, ArrayLike<number>][] {
    const plan = this.plan, groups: [string, ArrayLike<number>][] = [];
    // Partition of each probe: from its values when the keys hold the partition keys.
    const perPartition = new Map<PartitionInfo, Uint32Array>();
    const selected = this.#selectedPartitions();
    if (plan.partitionPositions !== null) {
      const allowed = new Set(selected), lists = new Map<PartitionInfo, number[]>();
      for (let i = 0; i < probes.count; i++) {
        if (probes.valid[i] !== 1) continue;
        const v = probes.valuesOf(i);
        const hex = toHex(encodeSerializedBinaryRow(plan.partitionTypes, plan.partitionPositions.map((p) => v[p]!)));
        const part = this.#partitionsByHex.get(hex);
        if (part === undefined || !allowed.has(part)) continue;
        let list = lists.get(part);
        if (list === undefined) lists.set(part, list = []);
        list.push(i);
      }
      for (const [part, list] of lists) perPartition.set(part, Uint32Array.from(list));
    } else if (selected.length > 0) {
      let n = 0;
      for (let i = 0; i < probes.count; i++) n += probes.valid[i]!;
      const all = new Uint32Array(n);
      for (let i = 0, j = 0; i < probes.count; i++) if (probes.valid[i] === 1) all[j++] = i;
      for (const part of selected) perPartition.set(part, all);
    }
    for (const [part, members] of perPartition) {
      if (plan.bucketPositions === null || part.totalBuckets <= 0) {
        for (const b of part.buckets) groups.push([bucketId(part.hex, b), members]);
        continue;
      }
      if (part.totalBuckets === 1) {
        groups.push([bucketId(part.hex, 0), members]);
        continue;
      }
      // Counting sort of the members by bucket (bucket counts are small: Paimon caps them far below 2^16 in practice).
      const buckets = probeBuckets(probes, plan.shape, plan.bucketPositions, plan.bucketTypes, part.totalBuckets);
      const byBucket = new Map<number, number>();
      for (let m = 0; m < members.length; m++) { const b = buckets[members[m]!]!; byBucket.set(b, (byBucket.get(b) ?? 0) + 1); }
      const starts = new Map<number, number>();
      let at = 0;
      for (const [b, count] of byBucket) { starts.set(b, at); at += count; }
      const order = new Uint32Array(members.length), fill = new Map(starts);
      for (let m = 0; m < members.length; m++) { const i = members[m]!, b = buckets[i]!; const f = fill.get(b)!; order[f] = i; fill.set(b, f + 1); }
      for (const [b, start] of starts) groups.push([bucketId(part.hex, b), order.subarray(start, start + byBucket.get(b)!)]);
    }
    return groups;
  }

  /** Output-column readers of an index (made once per loaded index). */
  #gettersOf(index: BucketIndex): ((i: number) => Value)[] {
    let getters = this.#getters.get(index);
    if (getters === undefined) {
      getters = this.plan.outputNames.map((_, c) => columnGetter(index.columns[c]!));
      this.#getters.set(index, getters);
    }
    return getters;
  }

  /** The row object of bucket row `row` (lookup/row_builder.ts). */
  #rowOf(getters: readonly ((i: number) => Value)[], row: number): Row {
    return this.#buildRow(getters, row);
  }

  /**
   * Every match of every probe into `one` (first match per probe, unique lookups) or `all`
   * (every match), in sorted-key order per bucket.
   */
  async #probe(keys: readonly LookupKey[], one: (Row | null)[] | null, all: Row[][] | null): Promise<void> {
    const probes = this.#encode(keys);
    this.lookups += probes.count;
    // Buckets are loaded LOAD_BUCKETS_CONCURRENCY_MAX at a time (their file reads overlap), then
    // probed; each index is probed from the reference its load returned, so eviction by a
    // concurrent load cannot take it away mid-probe.
    const targets = [...this.#targets(probes)];
    for (let at = 0; at < targets.length; at += LOAD_BUCKETS_CONCURRENCY_MAX) {
      const chunk = targets.slice(at, at + LOAD_BUCKETS_CONCURRENCY_MAX);
      const indexes = await Promise.all(chunk.map(([id]) => this.#ensure(id)));
      chunk.forEach(([, members], k) => {
        const index = indexes[k]!;
        if (index.key.sorted.form === "u64") this.#probeU64(index, probes, members, one, all);
        else this.#probeBytes(index, probes, members, one, all);
      });
    }
  }

  #probeU64(index: BucketIndex, probes: EncodedProbes, members: ArrayLike<number>, one: (Row | null)[] | null, all: Row[][] | null): void {
    const s = index.key.sorted as U64Keys, bloom = index.key.bloom, rows = index.key.rows;
    const bloomScale = index.key.bloomScale, blocks = bloom.length >>> 3;
    let getters: readonly ((i: number) => Value)[] = this.#gettersOf(index);
    // A returned key column equals the probe's value: answer it from the probe (one column read
    // and one BigInt allocation less per hit).
    let probeValue: Value = null;
    const keyOut = this.plan.keyPositions[0]!, values = probes.firstValues;
    if (keyOut < this.plan.outputNames.length && values !== null) {
      const copy = getters.slice();
      copy[keyOut] = () => probeValue;
      getters = copy;
    }
    const buildRow = this.#buildRow;
    let rejects = 0, hits = 0;
    // Probe words gathered contiguous, in key order for large batches: the loop
    // below then reads them sequentially and walks the index forwards.
    const { order, words: pw } = this.#orderedProbes(probes.words!, members);
    const pair = this.#pair;
    for (let m = 0; m < order.length; m++) {
      const hi = pw[2 * m + 1]!, lo = pw[2 * m]!;
      if (bloomScale > 0) {
        const block = u64BloomBlock(s, bloomScale, blocks, hi, lo);
        if (block < 0) { rejects++; continue; }
        hashWordsPair(hi, lo, pair, 0);
        if (!bloomMayContainBlock(bloom, block, pair[1]!)) { rejects++; continue; }
      } else {
        hashWordsPair(hi, lo, pair, 0);
        if (!bloomMayContain(bloom, pair[0]!, pair[1]!)) { rejects++; continue; }
      }
      for (let j = lowerBoundU64Key(s, hi, lo); u64KeyEquals(s, j, hi, lo); j++) {
        hits++;
        const i = order[m]!;
        if (values !== null) probeValue = values[i]!;
        const row = buildRow(getters, rows === null ? j : rows[j]!);
        if (one !== null) { one[i] = row; break; }
        all![i]!.push(row);
      }
    }
    this.bloomRejects += rejects;
    this.hits += hits;
  }

  /**
   * The members' probe words copied into one contiguous array, with the member order they
   * follow. Batches of SORTED_PROBES_MIN or more are ordered by probe key (kernel radix sort):
   * consecutive searches then touch neighbouring segments and keys, which measured 2-4x faster
   * than random order at 100 K probes over 2 M keys (one cache miss per probe instead of
   * several), and the probe loop reads its words sequentially (and hashes them there).
   */
  #orderedProbes(words: Uint32Array, members: ArrayLike<number>): { order: ArrayLike<number>; words: Uint32Array } {
    const n = members.length, keys = new BigUint64Array(n), kw = new Uint32Array(keys.buffer);
    for (let m = 0; m < n; m++) { const i = members[m]!; kw[2 * m] = words[2 * i]!; kw[2 * m + 1] = words[2 * i + 1]!; }
    if (n < SORTED_PROBES_MIN) return { order: members, words: kw };
    const perm = this.#ctx.kernel.sortU64(keys);
    const order = new Uint32Array(n), outWords = new Uint32Array(2 * n);
    for (let m = 0; m < n; m++) {
      const p = perm[m]!;
      order[m] = members[p]!;
      outWords[2 * m] = kw[2 * p]!;
      outWords[2 * m + 1] = kw[2 * p + 1]!;
    }
    return { order, words: outWords };
  }

  #probeBytes(index: BucketIndex, probes: EncodedProbes, members: ArrayLike<number>, one: (Row | null)[] | null, all: Row[][] | null): void {
    const s = index.key.sorted as BytesKeys, bloom = index.key.bloom, h = probes.hashes, rows = index.key.rows;
    const getters = this.#gettersOf(index);
    const pb = probes.bytes!.bytes, po = probes.bytes!.offsets;
    let lowers: Uint32Array | null = null;
    if (members.length >= KERNEL_SEARCH_PROBES_MIN && members.length * 64 >= s.count) {
      // Many probes against this bucket: one batched kernel search (sorted-probe galloping).
      const offsets = new Uint32Array(members.length + 1);
      for (let m = 0; m < members.length; m++) offsets[m + 1] = offsets[m]! + po[members[m]! + 1]! - po[members[m]!]!;
      const bytes = new Uint8Array(offsets[members.length]!);
      for (let m = 0; m < members.length; m++) bytes.set(pb.subarray(po[members[m]!]!, po[members[m]! + 1]!), offsets[m]!);
      lowers = this.#ctx.kernel.lowerBound(s.keys, { bytes, offsets }).index;
    }
    for (let m = 0; m < members.length; m++) {
      const i = members[m]!;
      if (!bloomMayContain(bloom, h[2 * i]!, h[2 * i + 1]!)) { this.bloomRejects++; continue; }
      const ps = po[i]!, pe = po[i + 1]!;
      for (let j = lowers !== null ? lowers[m]! : lowerBoundBytesKey(s, pb, ps, pe); j < s.count && compareBytesKey(s, j, pb, ps, pe) === 0; j++) {
        this.hits++;
        const row = this.#rowOf(getters, rows === null ? j : rows[j]!);
        if (one !== null) { one[i] = row; break; }
        all![i]!.push(row);
      }
    }
  }

  /** Drops every in-memory index (persisted files stay). */
  dispose(): void {
    for (const id of this.#cache.ids()) this.#cache.remove(id);
  }

  /** One row (or null) per key. Requires: a unique plan. */
  async getMany(keys: readonly LookupKey[]): Promise<(Row | null)[]> {
    const out: (Row | null)[] = new Array(keys.length).fill(null);
    await this.#probe(keys, out, null);
    return out;
  }

  /** Every matching row per key. */
  async getManyAll(keys: readonly LookupKey[]): Promise<Row[][]> {
    const out: Row[][] = Array.from({ length: keys.length }, () => []);
    await this.#probe(keys, null, out);
    return out;
  }

  /**
   * Moves to the latest snapshot: "none" when it is current (or pinned); "incremental" when at
   * most fullLoadThreshold snapshots are pending and none expired: their delta manifests are
   * applied to the current view and name the changed buckets; else "full": the latest snapshot
   * is planned from all its manifests and bucket identities alone decide. Loaded buckets whose
   * rows changed are dropped, and rebuilt by the next probe that needs them (through the
   * merge-on-read path, so every merge engine is right by construction); buckets only
   * compacted keep their rows under the new identity.
   */
  async refresh(): Promise<{ snapshotId: bigint | null; mode: "none" | "incremental" | "full" }> {
    this.refreshes++;
    if (this.#settings.pinnedSnapshotId !== null) return { snapshotId: this.snapshotId, mode: "none" };
    const current = this.snapshotId;
    const latest = await latestSnapshotId(this.#table.store);
    if (latest === current) return { snapshotId: current, mode: "none" };
    const viewOptions = { skipLevel0: this.#skipLevel0, partitionTypes: this.plan.partitionTypes };
    // A latest snapshot older than ours (a rollback) is planned in full like a long gap.
    const advanced = current === null || latest === null || latest < current || latest - current > BigInt(this.#settings.fullLoadThreshold)
      ? null
      : await advanceSnapshotView(this.#table.store, this.#view, latest, viewOptions);
    const view = advanced?.view ?? await loadSnapshotView(this.#table.store, this.#table.schema, latest === null ? null : await readSnapshot(this.#table.store, latest), viewOptions);
    const changed = advanced?.changed ?? null;
    this.#view = view;
    this.#indexPartitions();
    for (const id of this.#cache.ids()) {
      const old = this.#cache.get(id)!;
      const identity = bucketIdentity(this.#ctx, view.splits.get(id) ?? null);
      if (old.identity === identity) continue;
      this.#cache.remove(id);
      if (changed !== null && !changed.has(id)) {
        // Only compacted: the rows are the same, the files are new.
        const moved = { ...old, identity };
        this.#cache.put(moved);
        await this.#cache.persist(moved);
      }
      // Changed rows: dropped here and rebuilt by the next probe that needs the bucket (most
      // changed buckets of a busy table are not probed again before they change again).
    }
    return { snapshotId: this.snapshotId, mode: changed === null ? "full" : "incremental" };
  }
}
