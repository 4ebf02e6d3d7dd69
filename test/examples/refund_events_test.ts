// Goal: the refund-tags event stream made endless for the demo (RepeatingEventStream) keeps the
// stream's rules in every period: its first period is exactly generateEvents; later periods
// repeat the same pairs and kinds later in time, with fresh order ids and `seq` = index; arrival
// times never go back, and every refund comes after its order.
// Method: a small period (2,000 events) read over three periods and across their boundaries.
import { assert, test } from "../harness.ts";
import { generateEvents, RepeatingEventStream } from "../../examples/refund_tags/events.ts";

test("RepeatingEventStream: period 0 is generateEvents, later periods shifted with their own ids", () => {
  const period = 2_000, seed = 11;
  const stream = new RepeatingEventStream(period, seed);
  const base = generateEvents(period, seed);
  assert.deepEqual(stream.slice(0, period), base);
  const all = stream.slice(0, 3 * period);
  const orderAt = new Map<string, number>();
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!, b = base[i % period]!;
    assert.equal(e.seq, i);
    assert.equal(e.kind, b.kind);
    assert.equal(`${e.buyer}/${e.seller}`, `${b.buyer}/${b.seller}`);
    assert.equal(e.orderId, i < period ? b.orderId : `${b.orderId}.${Math.floor(i / period)}`);
    if (i > 0) assert.ok(e.atMs >= all[i - 1]!.atMs, `arrival time at ${i} goes back`);
    if (e.kind === "order") orderAt.set(e.orderId, e.atMs);
    else assert.ok(orderAt.has(e.orderId) && e.atMs > orderAt.get(e.orderId)!, `refund ${e.orderId} before its order`);
  }
  assert.deepEqual(stream.upTo(5).slice(3, 10), all.slice(3, 5), "a view stops at its length");
  assert.equal(stream.at(2 * period + 7).payMs > all[period + 7]!.payMs, true);
  assert.throws(() => stream.at(-1), /index -1/);
});
