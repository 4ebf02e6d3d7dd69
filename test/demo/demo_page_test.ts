// Goal: the web demo works end to end in a real browser: the engine in a module Web Worker on
// IndexedDB computes figures a brute-force model agrees with, the page stays responsive while
// it works, a reload resumes every stream from IndexedDB, an exported table reads in Node, a
// Java-written table imports and queries, and a corrupt archive or a full storage quota shows a
// clear error in the page.
// Method (Node only; Deno skips it: it drives Chromium and Vite): build web-demo with Vite's API,
// serve dist from 127.0.0.1, launch Debian Chromium (playwright-core) with a persistent profile,
// drive the page through its controls, read figures from data-* attributes and window.__demo,
// and recompute them here with the examples' models (refund_tags/model.ts on the processed prefix
// of the event stream; cumulative_metrics/model.ts per day). Frame gaps come from the page's
// requestAnimationFrame loop. Screenshots go to web-demo/screenshots/ and are decoded here.
import { assert, test } from "../harness.ts";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { RepeatingEventStream } from "../../examples/refund_tags/events.ts";
import { pairKey, runModel } from "../../examples/refund_tags/model.ts";
import { MetricsModel, commitOrders, dayStartMs, dsOf } from "../../examples/cumulative_metrics/model.ts";
import { COMMITS_PER_DAY, FIRST_DAY_MS, GENERATE } from "../../web-demo/src/engine/metrics_driver.ts";
import { pngContent } from "./png_check.ts";
import { DEMO_DIR, ROOT, buildDemo, launchChromium, p95, pageState, waitForState, type PageState } from "./page_driver.ts";
import { serveStatic } from "./static_server.ts";

const SKIP = "Deno" in globalThis ? "Node only: builds the page with Vite and drives Chromium with playwright-core" : false;
const REFUND_TABLE = "paimon-db.test_dws_pay_refund";
const FIXTURE = "test/fixtures/paimon/java-tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";

let building: Promise<string> | null = null;
/** The page built once for both tests. */
function built(): Promise<string> {
  building ??= buildDemo();
  return building;
}

/** Expected tag and dict of every pair after the first `processed` events of the stream (period, seed). */
function refundModel(period: number, seed: number, processed: number) {
  const events = new RepeatingEventStream(period, seed).slice(0, processed);
  const model = runModel(events);
  const lastTag = new Map<string, string>();
  for (const e of events) lastTag.set(pairKey(e.buyer, e.seller), model.expectedTags[e.seq]!);
  return { lastTag, rows: model.expectedRows };
}

/** Per-day "ds:orders:gmv" of `buyer` after `commits` commits, over the days in `kept`. */
function buyerDaysModel(commits: number, buyer: bigint, kept: readonly string[]): string {
  const model = new MetricsModel();
  for (let k = 1; k <= commits; k++) {
    const day = Math.floor((k - 1) / COMMITS_PER_DAY), c = (k - 1) % COMMITS_PER_DAY;
    model.commit(commitOrders(GENERATE, day, c, dayStartMs(FIRST_DAY_MS, day)));
  }
  return kept.map((ds) => ({ ds, t: model.buyerWindow(buyer, ds, ds, new Set(kept)) }))
    .filter((d) => d.t.count > 0n).map((d) => `${d.ds}:${d.t.count}:${d.t.gmv}`).join(",");
}

/** Page-side code reading the figures' data attributes (a string: tsx's helpers do not exist in the page). */
const FIGURES_SCRIPT = `(() => ({
  refund: { ...document.getElementById("refund-figures").dataset },
  metrics: { ...document.getElementById("metrics-figures").dataset },
  watched: [...document.querySelectorAll("#watched tbody tr")].map((tr) => ({ ...tr.dataset })),
}))()`;

type Data = Record<string, string | undefined>;

/** Data attributes of the page's figures and watched rows. */
function pageFigures(page: import("playwright-core").Page): Promise<{ refund: Data; metrics: Data; watched: Data[] }> {
  return page.evaluate(FIGURES_SCRIPT) as Promise<{ refund: Data; metrics: Data; watched: Data[] }>;
}

/** Checks the page's refund figures against the model; returns the processed count. */
async function checkRefund(page: import("playwright-core").Page): Promise<number> {
  const figures = await pageFigures(page);
  const processed = Number(figures.refund.processed);
  assert.equal(processed, Number(figures.refund.committed) * Number(figures.refund.batchSize));
  const model = refundModel(Number(figures.refund.periodEvents), Number(figures.refund.seed), processed);
  assert.equal(figures.watched.length, 5);
  for (const w of figures.watched) {
    const key = pairKey(w.buyer!, w.seller!);
    assert.equal(w.tag, model.lastTag.get(key) ?? "", `tag of ${w.buyer}/${w.seller} after ${processed} events`);
    assert.equal(w.orders, model.rows.get(key) ?? "", `kept orders of ${w.buyer}/${w.seller}`);
  }
  assert.ok(figures.watched.filter((w) => w.orders !== "").length >= 3, "most watched pairs have orders");
  return processed;
}

/** Checks the metrics figures against the model. */
async function checkMetrics(page: import("playwright-core").Page): Promise<void> {
  const { metrics } = await pageFigures(page);
  const commits = Number(metrics.commits);
  const kept = metrics.partitionList!.split(",").filter(Boolean);
  const lastDay = dsOf(dayStartMs(FIRST_DAY_MS, Math.floor((commits - 1) / COMMITS_PER_DAY)));
  assert.equal(kept.at(-1), lastDay, "the newest partition is the current simulated day");
  assert.ok(kept.length >= 1 && kept.length <= 8, `kept partitions ${kept}`);
  assert.equal(metrics.buyerDays, buyerDaysModel(commits, BigInt(metrics.buyer!), kept), `buyer ${metrics.buyer} per day`);
}

/** Waits until both generators are stopped, the backlog is drained and the figures stay put for 1.5 s. */
async function settle(page: import("playwright-core").Page): Promise<PageState> {
  const counts = (s: PageState) => `${s.stats!.refund.committedBatches}/${s.stats!.metrics.commits}/${s.stats!.refund.generated}`;
  for (;;) {
    const first = await waitForState(page, "the backlog to drain after stopping", (s) => !s.stats!.refund.running && !s.stats!.metrics.running &&
      s.stats!.refund.committedBatches === Math.floor(s.stats!.refund.generated / s.stats!.refund.batchSize));
    await page.waitForTimeout(1_500);
    const second = await pageState(page);
    if (counts(second) === counts(first)) return second;
  }
}

/**
 * Screenshots go to web-demo/screenshots/last-run/ (git-ignored, kept for a look after the run);
 * LAKESTATE_UPDATE_SCREENSHOTS=1 writes the committed ones the README shows instead.
 */
async function screenshot(page: import("playwright-core").Page, name: string): Promise<void> {
  const dir = join(DEMO_DIR, "screenshots", process.env.LAKESTATE_UPDATE_SCREENSHOTS === "1" ? "" : "last-run");
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await page.screenshot({ path, fullPage: name !== "demo.png" });
  const content = pngContent(await readFile(path));
  assert.ok(content.width >= 1000 && content.height >= 600, `${name}: ${content.width}x${content.height}`);
  assert.ok(content.distinctColours > 100 && content.nonBackgroundShare > 0.15, `${name} looks blank: ${JSON.stringify(content)}`);
}

test("the web demo runs both workloads in a worker, resumes after a reload, exports and imports", { skip: SKIP, timeout: 420_000 }, async () => {
  const t0 = Date.now();
  const dist = await built();
  const server = await serveStatic(dist);
  const { context, page, profile } = await launchChromium();
  const timings: string[] = [`build ${Date.now() - t0} ms`];
  try {
    await page.goto(`${server.origin}/`);
    await waitForState(page, "the engine", () => true, 60_000);
    // Blank reference: a page with nothing drawn must fail the screenshot check.
    const blankPage = await context.newPage();
    const blank = pngContent(await blankPage.screenshot());
    await blankPage.close();
    assert.ok(blank.distinctColours <= 2, `a blank page has ${blank.distinctColours} colours`);

    // 1. Start both generators and let them work; measure frames meanwhile.
    await page.evaluate(`(() => { const rate = document.getElementById("refund-rate"); rate.value = "600"; rate.dispatchEvent(new Event("change")); })()`);
    await page.selectOption("#metrics-speed", "259200000");
    await page.click("#refund-toggle");
    await page.click("#metrics-toggle");
    const gapsBefore = (await pageState(page)).frameGaps.length;
    const t1 = Date.now();
    await waitForState(page, "commits of both workloads", (s) => s.stats!.refund.committedBatches >= 10 && s.stats!.metrics.commits >= 36 && s.stats!.metrics.changelogCount > 0, 150_000);
    await page.waitForFunction(() => Number(document.querySelector("#inspector-runs svg")?.getAttribute("data-files") ?? 0) > 0);
    await screenshot(page, "demo.png"); // while both workloads run
    const working = (await pageState(page)).frameGaps;
    // The frames of the working period: at most 60 a second since t1 (the page keeps the last 2000).
    const gaps = working.slice(-Math.min(working.length - Math.min(gapsBefore, working.length - 1), Math.round((Date.now() - t1) * 0.06)));
    timings.push(`work ${Date.now() - t1} ms, ${gaps.length} frames, p95 gap ${p95(gaps).toFixed(1)} ms`);
    assert.ok(gaps.length > 100, `${gaps.length} frames while the engine worked`);
    assert.ok(p95(gaps) < 100, `frame gap p95 ${p95(gaps)} ms while the engine works`);
    await page.click("#refund-toggle");
    await page.click("#metrics-toggle");
    const settled = await settle(page);
    const m = settled.stats!.metrics;
    assert.ok(m.expired.length > 0, `partitions expired after ${m.commits} commits: ${m.partitions}`);
    assert.equal(m.changelogKinds["-U"], m.changelogKinds["+U"]);
    const processed = await checkRefund(page);
    await checkMetrics(page);

    // 2. Reload: positions survive; streams resume from their stored positions.
    const before = settled.stats!;
    await page.reload();
    const after = (await waitForState(page, "the engine after reload", () => true, 60_000)).stats!;
    assert.equal(after.refund.committedBatches, before.refund.committedBatches);
    assert.equal(after.refund.generated, before.refund.generated);
    assert.equal(after.refund.rate, 600);
    assert.equal(after.metrics.commits, before.metrics.commits);
    assert.equal(after.metrics.speed, 259_200_000);
    assert.equal(after.metrics.consumerResumedFrom, before.metrics.consumerLastAcked + 1, "the consumer resumes after its last acknowledged snapshot");
    assert.ok(after.refund.recovery.some((line) => line.includes(`last commit identifier ${before.refund.committedBatches} `)), after.refund.recovery.join(" | "));
    assert.deepEqual(after.refund.watched, before.refund.watched);
    await page.click("#refund-toggle");
    await page.click("#metrics-toggle");
    await waitForState(page, "progress after the reload", (s) => s.stats!.refund.committedBatches >= before.refund.committedBatches + 3 &&
      s.stats!.metrics.consumerFirstDelivered !== null, 90_000);
    await page.click("#refund-toggle");
    await page.click("#metrics-toggle");
    const resumed = (await settle(page)).stats!;
    assert.ok(resumed.metrics.consumerFirstDelivered! >= before.metrics.consumerLastAcked + 1, "no snapshot delivered twice across the reload");
    assert.ok(await checkRefund(page) > processed);
    await checkMetrics(page);

    // 3. Export the refund table; read the download in Node and compare with the model.
    await page.selectOption("#export-table", REFUND_TABLE);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-button")]);
    const zip = new Uint8Array(await readFile((await download.path())!));
    const { ZipStore } = await import("../../src/io/zip_store.ts");
    const { openTable } = await import("../../src/node.ts");
    const exported = await openTable(await ZipStore.open(zip));
    const expected = refundModel(resumed.refund.periodEvents, resumed.refund.seed, resumed.refund.processed).rows;
    let rows = 0;
    for await (const r of exported.rows()) {
      rows++;
      assert.equal(r.test_order_dict, expected.get(pairKey(String(r.test_buyer_id), String(r.test_seller_id))), `exported row ${r.test_buyer_id}/${r.test_seller_id}`);
    }
    assert.equal(rows, expected.size, "the export holds every pair");

    // 4. Import a Java-written table directory, then query it.
    await page.fill("#import-name", "java_mor");
    await page.setInputFiles("#import-dir", join(ROOT, FIXTURE));
    await waitForState(page, "the import", (s) => s.lastImport?.table === "imported.java_mor", 30_000);
    const javaTable = await openTable(join(ROOT, FIXTURE));
    let javaRows = 0;
    for await (const _ of javaTable.rows()) javaRows++;
    await page.click("#sql-run");
    const sql = await waitForState(page, "the SQL result", (s) => s.lastSql !== null, 30_000);
    assert.equal(sql.lastSql![0]!.rowCount, javaRows);
    assert.deepEqual(sql.lastSql![0]!.columns, javaTable.schema.fields.map((f) => f.name));
    await page.selectOption("#inspect-table", "imported.java_mor");
    await page.waitForFunction(() => document.getElementById("inspector-runs")?.dataset.table === "imported.java_mor");

    // 5. A corrupt archive: a clear error in the page, nothing imported.
    const corrupt = zip.slice();
    corrupt.fill(0x55, 200, 260);
    await page.fill("#import-name", "broken");
    await page.setInputFiles("#import-zip", { name: "broken.zip", mimeType: "application/zip", buffer: Buffer.from(corrupt) });
    await page.waitForSelector("#demo-error:not([hidden])", { timeout: 30_000 });
    const message = await page.textContent("#demo-error-text");
    assert.match(message ?? "", /corrupt|zip/i);
    const options = await page.evaluate(`[...document.getElementById("inspect-table").options].map((o) => o.value)`) as string[];
    assert.ok(options.includes("imported.java_mor") && !options.includes("imported.broken"), options.join());
    await screenshot(page, "import.png");
    timings.push(`total ${Date.now() - t0} ms`);
    console.log(`demo_page_test: ${timings.join("; ")}`);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test("a full storage quota shows a clear error in the page and stops the generators", { skip: SKIP, timeout: 180_000 }, async () => {
  const dist = await built();
  const server = await serveStatic(dist);
  const { context, page, profile } = await launchChromium();
  try {
    // A tiny quota for this origin (DevTools protocol), then let the workloads fill it.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.origin, quotaSize: 1_500_000 });
    await page.goto(`${server.origin}/`);
    await waitForState(page, "the engine", () => true, 60_000);
    await page.click("#refund-toggle");
    await page.click("#metrics-toggle");
    await page.waitForSelector("#demo-error:not([hidden])", { timeout: 120_000 });
    const message = (await page.textContent("#demo-error-text")) ?? "";
    assert.match(message, /Storage quota exceeded/);
    assert.match(message, /QuotaExceededError/);
    await page.waitForFunction(() => {
      const stats = (globalThis as unknown as { __demo: PageState }).__demo.stats;
      return stats !== null && !stats.refund.running && !stats.metrics.running;
    }, null, { timeout: 30_000 });
    const stopped = await pageState(page);
    assert.ok(stopped.errorsShown.length >= 1);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
