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
 * `RepeatingEventStream` makes the stream endless (a live demo): the same period of events over
 * and over, each period later in time than every event of the one before, with its own order ids.
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

/** Events read by index range: an array, or a view of a `RepeatingEventStream`. */
export interface EventList {
  /** Events available (indexes 0..length-1). */
  readonly length: number;
  /** Events [start, end) (end clamped to `length`). */
  slice(start: number, end: number): readonly PayEvent[];
}

/** Time between two periods of a repeating stream: the span plus the longest refund delay. */
const PERIOD_SHIFT_MS = SPAN_MS + 366 * DAY_MS;

/**
 * An endless stream of events: period p (p >= 0) is `generateEvents(periodEvents, seed)` with
 * every time moved p × PERIOD_SHIFT_MS later (so all of it arrives after period p - 1, refunds
 * included), order ids suffixed `.p` for p >= 1, and `seq` continuing. The same pairs keep
 * ordering and refunding period after period. Event i is a pure function of (periodEvents, seed, i);
 * the first `periodEvents` events equal `generateEvents(periodEvents, seed)`.
 * Memory: one period (about 200 bytes per event).
 */
export class RepeatingEventStream {
  readonly periodEvents: number;
  readonly seed: number;
  readonly #period: readonly PayEvent[];

  constructor(periodEvents: number, seed: number) {
    this.periodEvents = periodEvents;
    this.seed = seed;
    this.#period = generateEvents(periodEvents, seed);
  }

  /** Event `i` (0-based). Requires: i a safe integer >= 0. */
  at(i: number): PayEvent {
    if (!Number.isSafeInteger(i) || i < 0) throw new RangeError(`events: index ${i} is not an integer >= 0`);
    const p = Math.floor(i / this.periodEvents), e = this.#period[i - p * this.periodEvents]!;
    if (p === 0) return e;
    const shift = p * PERIOD_SHIFT_MS;
    return { kind: e.kind, seq: i, atMs: e.atMs + shift, buyer: e.buyer, seller: e.seller, orderId: `${e.orderId}.${p}`, payMs: e.payMs + shift };
  }

  /** Events [start, end). */
  slice(start: number, end: number): PayEvent[] {
    const out: PayEvent[] = [];
    for (let i = start; i < end; i++) out.push(this.at(i));
    return out;
  }

  /** The first `count` events as an EventList (what a job is given). */
  upTo(count: number): EventList {
    return { length: count, slice: (start, end) => this.slice(start, Math.min(end, count)) };
  }
}

/** The events of micro-batch `batchNo` (1-based) of `batchSize` events. */
export function batchEvents(events: EventList, batchNo: number, batchSize: number): readonly PayEvent[] {
  return events.slice((batchNo - 1) * batchSize, batchNo * batchSize);
}

/** Number of micro-batches of `batchSize` that cover `eventCount` events. */
export function batchCount(eventCount: number, batchSize: number): number {
  return Math.ceil(eventCount / batchSize);
}
