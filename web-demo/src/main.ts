/**
 * The demo page: starts the engine worker (demo_worker.ts, a module Web Worker), polls its
 * figures and renders them; every control is a call into the worker. The page does no engine
 * work, so it stays responsive; a requestAnimationFrame loop records frame gaps to prove it.
 *
 * Test surface: `window.__demo` holds the latest DemoStats, the frame gaps, the errors shown
 * and the last export/import/SQL outcome; figures are also in data-* attributes.
 * Errors: a failed call, a worker error or an engine error lands in #demo-error (role=alert).
 * Imports: comlink, lakestate's worker error transfer, ui/*, demo_protocol.ts (types).
 */
import { wrap, type Remote } from "comlink";
import { installErrorTransfer } from "../../src/worker/error_transfer.ts";
import type { DemoHost } from "./demo_worker.ts";
import type { DemoStats } from "./demo_protocol.ts";
import { byId } from "./ui/dom.ts";
import { setupInspector } from "./ui/inspector_panel.ts";
import { setupIo, type IoRecord } from "./ui/io_panel.ts";
import { renderStats } from "./ui/panels.ts";

/** How often the page polls the worker. */
const POLL_MS = 500;
/** Frame gaps kept. */
const FRAME_GAPS_KEPT = 2_000;

/** What tests read from the page. */
interface DemoWindowState extends IoRecord {
  ready: boolean;
  stats: DemoStats | null;
  frameGaps: number[];
  errorsShown: string[];
}

const state: DemoWindowState = { ready: false, stats: null, frameGaps: [], errorsShown: [], lastExport: null, lastImport: null, lastSql: null };
(globalThis as unknown as { __demo: DemoWindowState }).__demo = state;

function errorText(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { name?: unknown })?.name === "QuotaExceededError" || /quota/i.test(message)) return `Storage quota exceeded: ${message}`;
  return typeof code === "string" && !message.startsWith("[") ? `[${code}] ${message}` : message;
}

/** Shows `message` in the error box (kept until dismissed). */
function showError(message: string): void {
  if (state.errorsShown.at(-1) === message) return;
  state.errorsShown.push(message);
  const box = byId("demo-error");
  byId("demo-error-text").textContent = state.errorsShown.slice(-3).join("\n");
  box.hidden = false;
  box.dataset.count = String(state.errorsShown.length);
}

function onError(error: unknown): void {
  showError(errorText(error));
}

function measureFrames(): void {
  let last = performance.now();
  const frame = (now: number): void => {
    state.frameGaps.push(now - last);
    if (state.frameGaps.length > FRAME_GAPS_KEPT) state.frameGaps.splice(0, state.frameGaps.length - FRAME_GAPS_KEPT);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  setInterval(() => {
    const gaps = state.frameGaps.slice(-120).sort((a, b) => a - b);
    const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? 0;
    byId("frame-stats").textContent = `page frame time p95 ${p95.toFixed(1)} ms (the engine runs in a Web Worker)`;
  }, 1_000);
}

function wireControls(demo: Remote<DemoHost>): void {
  const rate = byId<HTMLInputElement>("refund-rate");
  const running = (id: string) => byId(id).dataset.running === "true";
  const sendRefund = (run: boolean) => demo.demoSetRefund(run, Number(rate.value)).catch(onError);
  byId("refund-toggle").addEventListener("click", () => void sendRefund(!running("refund-toggle")));
  rate.addEventListener("input", () => { byId("refund-rate-out").textContent = rate.value; });
  rate.addEventListener("change", () => void sendRefund(running("refund-toggle")));
  const speed = byId<HTMLSelectElement>("metrics-speed"), buyer = byId<HTMLSelectElement>("metrics-buyer");
  for (let b = 1; b <= 40; b++) buyer.appendChild(new Option(`buyer ${b}`, String(b)));
  const sendMetrics = (run: boolean) => demo.demoSetMetrics(run, Number(speed.value), Number(buyer.value)).catch(onError);
  byId("metrics-toggle").addEventListener("click", () => void sendMetrics(!running("metrics-toggle")));
  speed.addEventListener("change", () => void sendMetrics(running("metrics-toggle")));
  buyer.addEventListener("change", () => void sendMetrics(running("metrics-toggle")));
  byId("demo-error-dismiss").addEventListener("click", () => {
    byId("demo-error").hidden = true;
    state.errorsShown.length = 0;
    void demo.demoClearErrors().catch(onError);
  });
  const changelog = byId("changelog");
  changelog.addEventListener("scroll", () => {
    changelog.dataset.scrolled = String(changelog.scrollTop + changelog.clientHeight < changelog.scrollHeight - 4);
  });
}

async function start(): Promise<void> {
  installErrorTransfer();
  measureFrames();
  const worker = new Worker(new URL("./demo_worker.ts", import.meta.url), { type: "module" });
  worker.addEventListener("error", (event) => showError(`engine worker failed: ${event.message || "could not load the worker script"}`));
  const demo = wrap<DemoHost>(worker);
  wireControls(demo);
  const status = byId("status");
  const first = await demo.demoInit();
  const refreshTables = setupInspector(demo, onError);
  setupIo(demo, state, onError, refreshTables);
  await refreshTables("paimon-db.test_dws_pay_refund");
  // Controls reflect the stored state once.
  byId<HTMLInputElement>("refund-rate").value = String(first.refund.rate);
  byId("refund-rate-out").textContent = String(first.refund.rate);
  byId<HTMLSelectElement>("metrics-speed").value = String(first.metrics.speed);
  byId<HTMLSelectElement>("metrics-buyer").value = String(first.metrics.buyer);
  const poll = async (): Promise<void> => {
    try {
      const stats = await demo.demoStats();
      state.stats = stats;
      renderStats(stats);
      for (const message of stats.errors) showError(message);
      status.textContent = `engine ready · up ${(stats.uptimeMs / 1000).toFixed(0)} s`;
      status.dataset.ready = "true";
      state.ready = true;
    } catch (error) {
      onError(error);
    }
    setTimeout(() => void poll(), POLL_MS);
  };
  await poll();
}

start().catch((error: unknown) => {
  byId("status").textContent = "engine failed to start";
  onError(error);
});
