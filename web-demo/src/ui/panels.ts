/**
 * Renders the two workload panels from a DemoStats: figures (also as data-* attributes of the
 * figure lists, for tests), live charts, watched pairs, the simulated clock, per-day chart,
 * partitions (expired ones struck through) and the scrolling changelog.
 * Imports: dom.ts, charts.ts, demo_protocol.ts (types).
 */
import type { DemoStats, MetricsView, RefundView } from "../demo_protocol.ts";
import { drawDays, drawSparkline } from "./charts.ts";
import { byId, el, fillFigures, utcText } from "./dom.ts";

/** Renders the refund-tags panel. */
export function renderRefund(view: RefundView): void {
  const toggle = byId<HTMLButtonElement>("refund-toggle");
  toggle.textContent = view.running ? "Stop generator" : "Start generator";
  toggle.classList.toggle("running", view.running);
  toggle.dataset.running = String(view.running);
  const rate = byId<HTMLInputElement>("refund-rate");
  if (document.activeElement !== rate) {
    rate.value = String(view.rate);
    byId("refund-rate-out").textContent = String(view.rate);
  }
  const backlog = Math.max(0, view.generated - view.processed);
  fillFigures(byId("refund-figures"), [
    ["generated", "events generated", view.generated],
    ["processed", "events processed", view.processed],
    ["committed", "committed batches", view.committedBatches],
    ["backlog", "backlog (events)", backlog],
  ]);
  const figures = byId("refund-figures");
  figures.dataset.seed = String(view.seed);
  figures.dataset.batchSize = String(view.batchSize);
  figures.dataset.periodEvents = String(view.periodEvents);
  drawSparkline(byId<HTMLCanvasElement>("chart-events"), view.eventsPerSecond, "#1f6feb");
  drawSparkline(byId<HTMLCanvasElement>("chart-lookup"), view.lookupMs, "#8250df", " ms");
  drawSparkline(byId<HTMLCanvasElement>("chart-commits"), view.commitsPerSecond, "#18794e");
  const body = byId<HTMLTableElement>("watched").tBodies[0]!;
  body.replaceChildren();
  for (const w of view.watched) {
    const tr = body.insertRow();
    tr.dataset.buyer = w.buyer;
    tr.dataset.seller = w.seller;
    tr.dataset.tag = w.tag;
    tr.dataset.orders = w.orders.map((o) => `${o.orderId}:${o.payMs}_${o.refunded ? 1 : 0}`).join(",");
    tr.append(el("td", "", w.buyer), el("td", "", w.seller), el("td", "", w.tag === "" ? "— (none)" : `${utcText(Number(w.tag))} (${w.tag})`));
    const orders = el("td");
    for (const o of w.orders) {
      const chip = el("span", o.refunded ? "order refunded" : "order", o.orderId);
      chip.title = `${o.orderId} paid ${utcText(o.payMs)}${o.refunded ? ", refunded" : ""}`;
      orders.appendChild(chip);
    }
    tr.appendChild(orders);
  }
  byId("refund-recovery").textContent = view.recovery.join(" · ");
}

/** Renders the cumulative-metrics panel; `changelogSeen` is the changelog count already shown. */
export function renderMetrics(view: MetricsView): void {
  const toggle = byId<HTMLButtonElement>("metrics-toggle");
  toggle.textContent = view.running ? "Stop clock" : "Start clock";
  toggle.classList.toggle("running", view.running);
  toggle.dataset.running = String(view.running);
  byId("sim-clock").textContent = `simulated clock ${utcText(view.simMs)} UTC`;
  fillFigures(byId("metrics-figures"), [
    ["commits", "commits", view.commits],
    ["partitions", "partitions kept", view.partitions.length],
    ["changes", "changelog records", view.changelogCount],
    ["acked", "consumer acked snapshot", view.consumerLastAcked],
  ]);
  const figures = byId("metrics-figures");
  figures.dataset.partitionList = view.partitions.join(",");
  figures.dataset.expiredList = view.expired.join(",");
  figures.dataset.buyer = String(view.buyer);
  figures.dataset.buyerDays = view.buyerDays.map((d) => `${d.ds}:${d.orders}:${d.gmv}`).join(",");
  figures.dataset.resumedFrom = view.consumerResumedFrom === null ? "" : String(view.consumerResumedFrom);
  figures.dataset.firstDelivered = view.consumerFirstDelivered === null ? "" : String(view.consumerFirstDelivered);
  drawDays(byId<HTMLCanvasElement>("chart-days"), view.buyerDays);
  const chips = byId("partitions");
  chips.replaceChildren(el("span", "", "partitions:"));
  chips.firstElementChild!.className = "";
  for (const ds of view.expired.slice(-6)) chips.appendChild(el("span", "expired", `ds=${ds}`));
  for (const ds of view.partitions) chips.appendChild(el("span", "", `ds=${ds}`));
  const list = byId<HTMLOListElement>("changelog");
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.replaceChildren();
  for (const c of view.changelog) {
    const li = el("li", c.kind === "-U" ? "k-U" : c.kind === "+U" ? "kU" : "kI",
      `snapshot ${c.snapshotId} ${c.kind} buyer ${c.buyer} ${c.cate1} ds=${c.ds}: ${c.orders} orders, GMV ${c.gmv.toFixed(2)}`);
    list.appendChild(li);
  }
  if (atBottom || list.dataset.scrolled !== "true") list.scrollTop = list.scrollHeight;
}

/** Renders both panels. */
export function renderStats(stats: DemoStats): void {
  renderRefund(stats.refund);
  renderMetrics(stats.metrics);
}
