/**
 * The cumulative-metrics example's data and its brute-force model: generated orders per
 * simulated day, and the running totals (order count, GMV) per (buyer, top-level category, day)
 * that the aggregation table must hold after every commit, with the -U/+U changelog Java's
 * `lookup` changelog producer gives downstream for each commit.
 *
 * Invariants: generation is a pure function of (seed, day, commit); GMV amounts are multiples of
 * 0.25, so every sum is exact in binary floating point and the table's sums (folded in another
 * grouping by compactions) equal the model's exactly. Changelog model (Java
 * LookupChangelogMergeFunctionWrapper, `changelog-producer.row-deduplicate` false): per commit
 * and per key the commit touched, `+I new` for a new key, else `-U old` then `+U new`.
 *
 * Imports: ../example_cli.ts (seededRandom); nothing from lakestate (the model must not share
 * code with what it checks).
 */
import { seededRandom } from "../example_cli.ts";

/** One generated order. */
export interface Order {
  readonly buyer: bigint;
  readonly cate1: string;
  readonly ds: string;
  readonly gmv: number;
}

/** Running totals of one key. */
export interface Totals {
  readonly count: bigint;
  readonly gmv: number;
}

/** One changelog record the model expects: kind and the totals it carries. */
export interface ModelChange {
  readonly kind: "+I" | "-U" | "+U" | "-D";
  readonly key: string;
  readonly totals: Totals;
}

const DAY_MS = 86_400_000;

/** `yyyyMMdd` of a UTC epoch day start. */
export function dsOf(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`;
}

/** The key text of a row. */
export function keyOf(buyer: bigint, cate1: string, ds: string): string {
  return `${buyer}|${cate1}|${ds}`;
}

/** Shape of the generated data. */
export interface GenerateOptions {
  readonly seed: number;
  /** Buyers 1..buyers; a few "heavy" buyers get a fifth of the orders. */
  readonly buyers: number;
  /** Top-level categories c01..cNN. */
  readonly categories: number;
  readonly ordersPerCommit: number;
}

/** The orders of commit `commit` of simulated day `day` (UTC day start `dayMs`). */
export function commitOrders(options: GenerateOptions, day: number, commit: number, dayMs: number): Order[] {
  const rnd = seededRandom(options.seed * 1_000_003 + day * 1009 + commit);
  const ds = dsOf(dayMs);
  const out: Order[] = [];
  for (let i = 0; i < options.ordersPerCommit; i++) {
    const heavy = rnd() < 0.2;
    const buyer = BigInt(heavy ? 1 + Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * options.buyers));
    const cate1 = `c${String(1 + Math.floor(rnd() * options.categories)).padStart(2, "0")}`;
    const gmv = Math.floor(rnd() * 40_000) / 4; // 0 .. 9999.75 in steps of 0.25: exact sums
    out.push({ buyer, cate1, ds, gmv });
  }
  return out;
}

/** Start of simulated day `day` (UTC), from the first day's start. */
export function dayStartMs(firstDayMs: number, day: number): number {
  return firstDayMs + day * DAY_MS;
}

/** The running totals of every key ever written, and the changelog each commit should produce. */
export class MetricsModel {
  readonly totals = new Map<string, Totals>();
  /** Per key, the totals after each commit that touched it (what +I/+U carry, in order). */
  readonly history = new Map<string, Totals[]>();

  /** Applies one commit; returns the changelog Java's lookup producer emits for it. */
  commit(orders: readonly Order[]): ModelChange[] {
    const touched = new Map<string, Totals | null>();
    for (const o of orders) {
      const key = keyOf(o.buyer, o.cate1, o.ds);
      const before = this.totals.get(key) ?? null;
      if (!touched.has(key)) touched.set(key, before);
      this.totals.set(key, { count: (before?.count ?? 0n) + 1n, gmv: (before?.gmv ?? 0) + o.gmv });
    }
    const changes: ModelChange[] = [];
    for (const [key, before] of touched) {
      const after = this.totals.get(key)!;
      if (before === null) changes.push({ kind: "+I", key, totals: after });
      else changes.push({ kind: "-U", key, totals: before }, { kind: "+U", key, totals: after });
      const list = this.history.get(key) ?? [];
      list.push(after);
      this.history.set(key, list);
    }
    return changes;
  }

  /** Orders and GMV of `buyer` over the days `fromDs`..`toDs` (inclusive, yyyyMMdd), kept days only. */
  buyerWindow(buyer: bigint, fromDs: string, toDs: string, kept: ReadonlySet<string>): Totals {
    let count = 0n, gmv = 0;
    for (const [key, t] of this.totals) {
      const [b, , ds] = key.split("|") as [string, string, string];
      if (b !== String(buyer) || ds < fromDs || ds > toDs || !kept.has(ds)) continue;
      count += t.count;
      gmv += t.gmv;
    }
    return { count, gmv };
  }
}
