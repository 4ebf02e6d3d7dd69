// Runs bench/idb_bench.ts in real Chromium with a persistent profile (a fresh directory, kept
// until the run ends, so IndexedDB writes go to disk as in a user's browser) and prints its
// figures. Usage: node tools/browser_bench.mjs [--quick] [--json]
// Reuses the server, bundler and flags of tools/browser_tests.mjs.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleForBrowser, CHROMIUM_ARGS, CHROMIUM_PATH, startServer } from "./browser_tests.mjs";

const quick = process.argv.includes("--quick");
const json = process.argv.includes("--json");
const entry = "bench/idb_bench.ts";

const server = await startServer();
const profile = await mkdtemp(join(tmpdir(), "lakestate-bench-profile-"));
let context = null;
try {
  const { bundles, entries, failed } = await bundleForBrowser([entry], server.origin);
  if (failed.length > 0) throw new Error(`bench does not bundle:\n${failed[0].error}`);
  server.setBundles(bundles, entries);
  const { chromium } = await import("playwright-core");
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e}`));
  await page.goto(`${server.origin}/__bench.html?entry=${encodeURIComponent(entries.get(`/${entry}`))}${quick ? "&quick" : ""}`);
  const outcome = await page.evaluate(() => window.__lakestateDone);
  if (outcome.loadError) throw new Error(outcome.loadError);
  const r = outcome.result;
  if (json) console.log(JSON.stringify(r));
  else {
    const f = (x) => Math.round(x).toLocaleString("en-US");
    console.log(`IndexedDB bench in ${r.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? "Chromium"} (persistent profile): ${f(r.rows)} rows (id BIGINT, v INT) in ${r.commits} commits`);
    console.log(`  engine (lakestate, IdbStore): write ${f(r.engine.writeMs)} ms, read ${f(r.engine.readMs)} ms -> ${f(r.engine.rowsPerSecond)} rows/s (target >= 300,000); ${f(r.engine.storedBytes)} bytes stored`);
    console.log(`    per commit ms: ${r.engine.commitMs.join(", ")}; snapshots: ${r.engine.snapshots.join(", ")}`);
    console.log(`  one IndexedDB record per row:  write ${f(r.perRow.writeMs)} ms, read ${f(r.perRow.readMs)} ms -> ${f(r.perRow.rowsPerSecond)} rows/s`);
    console.log(`  ratio ${r.ratio.toFixed(1)}x (target >= 20x)`);
  }
} finally {
  await context?.close().catch(() => undefined);
  await server.close();
  await rm(profile, { recursive: true, force: true });
}
