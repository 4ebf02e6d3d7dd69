/**
 * The brute-force model the refund-tag job is checked against: it keeps every order of every
 * (buyer, seller) pair and every refund ever seen, and after each event recomputes from that
 * whole history which orders the dict keeps (the ORDERS_KEPT_MAX newest by pay time), their
 * refund flags and the tag. It shares no update logic with the job (order_dict.ts), only the
 * business rule and the column format.
 *
 * Invariants: `expectedTags[seq]` is the tag the job must emit for event `seq`; `expectedRows`
 * is the table content after all events (one row per pair that ever had an order).
 * Cost: O(orders of the pair) per event; memory: every event.
 * Imports: events.ts (types), order_dict.ts (ORDERS_KEPT_MAX only).
 */
import type { PayEvent } from "./events.ts";
import { ORDERS_KEPT_MAX } from "./order_dict.ts";

/** What the model expects from the job. */
export interface ModelResult {
  /** The tag of each event, by `seq`. */
  readonly expectedTags: readonly string[];
  /** Final `test_order_dict` by pair key (`buyer + "\u0000" + seller`). */
  readonly expectedRows: ReadonlyMap<string, string>;
  /** Refunds whose order was no longer among the kept ten when they arrived. */
  readonly refundsOfEvictedOrders: number;
  /** Pairs that received more than ORDERS_KEPT_MAX orders. */
  readonly pairsOverKept: number;
}

/** The key of a pair in maps. */
export function pairKey(buyer: string, seller: string): string {
  return `${buyer}\u0000${seller}`;
}

interface PairHistory {
  readonly orders: { readonly orderId: string; readonly payMs: number }[];
}

/** The kept orders of a history: the ORDERS_KEPT_MAX newest by pay time (order id breaks ties). */
function kept(history: PairHistory): { orderId: string; payMs: number }[] {
  return [...history.orders]
    .sort((a, b) => b.payMs - a.payMs || (a.orderId < b.orderId ? 1 : -1))
    .slice(0, ORDERS_KEPT_MAX);
}

/** Runs the model over every event. */
export function runModel(events: readonly PayEvent[]): ModelResult {
  const histories = new Map<string, PairHistory>();
  const refunded = new Set<string>();
  const expectedTags: string[] = [];
  let refundsOfEvictedOrders = 0;
  for (const event of events) {
    const key = pairKey(event.buyer, event.seller);
    let history = histories.get(key);
    if (history === undefined) histories.set(key, history = { orders: [] });
    if (event.kind === "order") {
      history.orders.push({ orderId: event.orderId, payMs: event.payMs });
    } else {
      if (!kept(history).some((o) => o.orderId === event.orderId)) refundsOfEvictedOrders++;
      refunded.add(event.orderId);
    }
    const newest = kept(history).find((o) => !refunded.has(o.orderId));
    expectedTags.push(newest === undefined ? "" : String(newest.payMs));
  }
  const expectedRows = new Map<string, string>();
  let pairsOverKept = 0;
  for (const [key, history] of histories) {
    if (history.orders.length > ORDERS_KEPT_MAX) pairsOverKept++;
    // A refund of an order evicted before the refund arrived leaves no trace in the row; one of
    // a kept order shows as flag 1. Orders arrive in pay-time order, so an evicted order never
    // comes back and "refunded while kept" equals "refunded and still kept".
    expectedRows.set(key, kept(history).map((o) => `${o.orderId}:${o.payMs}_${refunded.has(o.orderId) ? 1 : 0}`).join(","));
  }
  return { expectedTags, expectedRows, refundsOfEvictedOrders, pairsOverKept };
}
