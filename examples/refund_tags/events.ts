/**
 * The event source of the refund-tag job: a deterministic stream of paid orders and refunds
 * generated from a seed, with the traits that make the workload hard for a windowed join:
 *  - refunds arrive minutes, days or up to a year after their order;
 *  - a pool of "heavy" (buyer, seller) pairs gets many more than ORDERS_KEPT_MAX orders, so their
 *    old orders are evicted from the kept ten and some refunds find their order gone;
 *  - the rest spread over many buyers and sellers, touching most of the table's buckets.
 *
 * Invariants: the same (eventCount, seed) always gives the same events; events are ordered by
 * arrival time (`atMs`, ties by `seq`); a refund always arrives strictly after its order;
 * `seq` is the event's index in the stream (0-based), which a batch number and size locate.
 * Imports: ../example_cli.ts (seededRandom).
 */
import { seededRandom } from "../example_cli.ts";

/** A paid order. `atMs` equals the pay time. */
export interface OrderEvent {
  readonly kind: "order";
  readonly seq: number;
  readonly atMs: number;
  readonly buyer: string;
  readonly seller: string;
  readonly orderId: string;
  /** Pay time, epoch milliseconds. */
  readonly payMs: number;
}

/** A refund of an earlier order of the same pair. */
export interface RefundEvent {
  readonly kind: "refund";
  readonly seq: number;
  readonly atMs: number;
  readonly buyer: string;
  readonly seller: string;
  readonly orderId: string;
  /** Pay time of the refunded order, epoch milliseconds. */
  readonly payMs: number;
}

/** One event of the stream. */
export type PayEvent = OrderEvent | RefundEvent;

/** First pay time of the stream: 2025-01-01T00:00:00Z. */
const START_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;
/** Simulated time the orders span, so that "a year later" refunds happen within the stream. */
const SPAN_MS = 420 * DAY_MS;
/** Share of orders that are refunded. */
const REFUND_SHARE = 0.22;
/** Share of orders placed by the heavy pairs. */
const HEAVY_SHARE = 0.3;
/** Sellers of the regular pairs. */
const SELLER_COUNT = 60;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Refund delay: half within hours, a third within two months, the rest up to a year. */
function refundDelayMs(random: () => number): number {
  const r = random();
  if (r < 0.5) return 60_000 + Math.floor(random() * 6 * 3_600_000);
  if (r < 0.83) return DAY_MS + Math.floor(random() * 60 * DAY_MS);
  return 60 * DAY_MS + Math.floor(random() * 305 * DAY_MS);
}

/**
 * The first `eventCount` events of the stream of `seed`. Requires: eventCount a safe integer >= 1.
 * Memory: about 200 bytes per event (the events are held in an array).
 */
export function generateEvents(eventCount: number, seed: number): PayEvent[] {
  if (!Number.isSafeInteger(eventCount) || eventCount < 1) throw new Error(`events: event count must be an integer >= 1, got ${eventCount}`);
  const random = seededRandom(seed);
  const orderCount = eventCount; // more than needed: the first eventCount arrivals are kept
  const buyerCount = Math.max(50, Math.ceil(eventCount / 10));
  const heavy = Array.from({ length: Math.max(4, Math.ceil(eventCount / 400)) }, () => ({
    buyer: `b${pad(Math.floor(random() * buyerCount), 7)}`, seller: `s${pad(Math.floor(random() * SELLER_COUNT), 3)}`,
  }));
  const gapMs = Math.max(2, Math.floor(SPAN_MS / orderCount));
  type Draft = { kind: "order" | "refund"; atMs: number; buyer: string; seller: string; orderId: string; payMs: number; n: number };
  const drafts: Draft[] = [];
  for (let i = 0; i < orderCount; i++) {
    const pair = random() < HEAVY_SHARE
      ? heavy[Math.floor(random() * heavy.length)]!
      // Buyers skewed toward low numbers (some buy often), sellers uniform.
      : { buyer: `b${pad(Math.floor(buyerCount * random() ** 2), 7)}`, seller: `s${pad(Math.floor(random() * SELLER_COUNT), 3)}` };
    const payMs = START_MS + i * gapMs + Math.floor(random() * (gapMs / 2)); // strictly increasing
    const orderId = `o${pad(i, 9)}`;
    drafts.push({ kind: "order", atMs: payMs, ...pair, orderId, payMs, n: drafts.length });
    if (random() < REFUND_SHARE) drafts.push({ kind: "refund", atMs: payMs + refundDelayMs(random), ...pair, orderId, payMs, n: drafts.length });
  }
  // Arrival order; a refund is strictly after its order, and equal times keep generation order.
  drafts.sort((a, b) => a.atMs - b.atMs || a.n - b.n);
  return drafts.slice(0, eventCount).map((d, seq) => d.kind === "order"
    ? { kind: "order", seq, atMs: d.atMs, buyer: d.buyer, seller: d.seller, orderId: d.orderId, payMs: d.payMs }
    : { kind: "refund", seq, atMs: d.atMs, buyer: d.buyer, seller: d.seller, orderId: d.orderId, payMs: d.payMs });
}

/** The events of micro-batch `batchNo` (1-based) of `batchSize` events. */
export function batchEvents(events: readonly PayEvent[], batchNo: number, batchSize: number): readonly PayEvent[] {
  return events.slice((batchNo - 1) * batchSize, batchNo * batchSize);
}

/** Number of micro-batches of `batchSize` that cover `eventCount` events. */
export function batchCount(eventCount: number, batchSize: number): number {
  return Math.ceil(eventCount / batchSize);
}
