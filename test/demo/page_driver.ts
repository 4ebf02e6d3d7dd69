/**
 * Helpers of the demo page test (Node only): build the page with Vite's API, launch Debian's
 * Chromium through playwright-core with a persistent profile (so a reload keeps IndexedDB),
 * read the page's `window.__demo` state and wait on it.
 * Imports: vite, playwright-core (dynamically: Deno never loads this file's runtime deps),
 * node:fs/promises, node:os, node:path.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { DemoStats, SqlView } from "../../web-demo/src/demo_protocol.ts";

/** The repository root. */
export const ROOT = resolve(new URL("../..", import.meta.url).pathname);
/** The demo's directory. */
export const DEMO_DIR = join(ROOT, "web-demo");

/** The Chromium flags toolchain.md verified on this machine kind. */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Builds web-demo/ into web-demo/dist with Vite's programmatic API. */
export async function buildDemo(): Promise<string> {
  const { build } = await import("vite");
  await build({ configFile: join(DEMO_DIR, "vite.config.ts"), logLevel: "warn" });
  return join(DEMO_DIR, "dist");
}

/** Launches Chromium with a fresh persistent profile directory; returns the context and its first page. */
export async function launchChromium(): Promise<{ context: BrowserContext; page: Page; profile: string }> {
  const { chromium } = await import("playwright-core");
  const profile = await mkdtemp(join(tmpdir(), "lakestate-demo-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.LAKESTATE_CHROMIUM ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 }, acceptDownloads: true,
  });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, profile };
}

/** What the page exposes as `window.__demo`. */
export interface PageState {
  readonly ready: boolean;
  readonly stats: DemoStats | null;
  readonly frameGaps: number[];
  readonly errorsShown: string[];
  readonly lastExport: { table: string; bytes: number } | null;
  readonly lastImport: { table: string } | null;
  readonly lastSql: SqlView[] | null;
}

/** Reads `window.__demo`. */
export function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => (globalThis as unknown as { __demo: PageState }).__demo);
}

/** Polls `window.__demo` until `check` holds; throws with `what` and the last state on timeout. */
export async function waitForState(page: Page, what: string, check: (s: PageState) => boolean, timeoutMs = 90_000): Promise<PageState> {
  const deadline = Date.now() + timeoutMs;
  let last: PageState | null = null;
  while (Date.now() < deadline) {
    last = await pageState(page);
    if (last.ready && last.stats !== null && check(last)) return last;
    if (last.errorsShown.length > 0) throw new Error(`demo page showed errors while waiting for ${what}: ${last.errorsShown.join(" | ")}`);
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; last refund ${JSON.stringify(last?.stats?.refund.committedBatches)}, metrics ${JSON.stringify(last?.stats?.metrics.commits)}`);
}

/** The p95 of `values` (0 for none). */
export function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}
