/**
 * The order dict of the refund-tag job (use-cases.md workload 1): the `test_order_dict` column
 * holds `"${order_id}:${pay_timestamp}_${is_refund_flag}"` entries joined by ",", newest pay
 * time first, at most ORDERS_KEPT_MAX of them; the tag is the newest pay time whose flag is not
 * refunded, or "" when every kept order is refunded.
 *
 * This is the job's own incremental logic (parse, update, format); the brute-force model in
 * model.ts recomputes the same answers from the whole event history instead, so the two check
 * each other.
 * Invariants: entries are sorted by pay time descending (order id descending on ties), order
 * ids are unique within a dict, flags are "0" or "1", pay times are integer epoch milliseconds.
 * Imports: nothing (plain TypeScript).
 */

/** Orders kept per (buyer, seller) pair: the 10 most recent, as the production job keeps. */
export const ORDERS_KEPT_MAX = 10;

/** One dict entry. */
export interface OrderEntry {
  readonly orderId: string;
  /** Pay time, integer epoch milliseconds. */
  readonly payMs: number;
  refunded: boolean;
}

/** Parses a dict ("" or null: no orders). Throws on a malformed entry (a corrupt row must not pass silently). */
export function parseOrderDict(text: string | null): OrderEntry[] {
  if (text === null || text === "") return [];
  return text.split(",").map((part) => {
    const colon = part.lastIndexOf(":"), underscore = part.lastIndexOf("_");
    const payMs = Number(part.slice(colon + 1, underscore));
    const flag = part.slice(underscore + 1);
    if (colon <= 0 || underscore < colon || !Number.isSafeInteger(payMs) || (flag !== "0" && flag !== "1")) {
      throw new Error(`order dict: malformed entry ${JSON.stringify(part)}, expected "<order_id>:<pay_ms>_<0|1>"`);
    }
    return { orderId: part.slice(0, colon), payMs, refunded: flag === "1" };
  });
}

/** Formats entries (already sorted newest first) as the column value. */
export function formatOrderDict(entries: readonly OrderEntry[]): string {
  return entries.map((e) => `${e.orderId}:${e.payMs}_${e.refunded ? 1 : 0}`).join(",");
}

function newerFirst(a: OrderEntry, b: OrderEntry): number {
  return b.payMs - a.payMs || (a.orderId < b.orderId ? 1 : a.orderId > b.orderId ? -1 : 0);
}

/**
 * Adds a paid order: inserted in pay-time order, then only the ORDERS_KEPT_MAX newest are kept.
 * Returns true when the dict changed (an order already present, or older than every kept one
 * of a full dict, changes nothing).
 */
export function addOrder(entries: OrderEntry[], orderId: string, payMs: number): boolean {
  if (entries.some((e) => e.orderId === orderId)) return false;
  entries.push({ orderId, payMs, refunded: false });
  entries.sort(newerFirst);
  if (entries.length <= ORDERS_KEPT_MAX) return true;
  const evicted = entries.splice(ORDERS_KEPT_MAX);
  return !evicted.some((e) => e.orderId === orderId);
}

/** Sets the refund flag of `orderId`; false when the order is not kept (evicted) or already refunded. */
export function refundOrder(entries: OrderEntry[], orderId: string): boolean {
  const entry = entries.find((e) => e.orderId === orderId);
  if (entry === undefined || entry.refunded) return false;
  entry.refunded = true;
  return true;
}

/** The tag: the newest pay time (epoch ms, as text) whose order is not refunded, or "". */
export function tagOf(entries: readonly OrderEntry[]): string {
  const newest = entries.find((e) => !e.refunded);
  return newest === undefined ? "" : String(newest.payMs);
}
