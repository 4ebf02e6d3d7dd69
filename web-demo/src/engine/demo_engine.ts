/**
 * The demo's engine, independent of where it runs: both workloads (refund_driver.ts,
 * metrics_driver.ts) stepped by one loop, the demo state persisted after every step, the
 * inspector, the SQL box, export and import. The Web Worker (demo_worker.ts) serves it to the
 * page; tests drive it over MemoryStores with `tick` and no loop.
 *
 * Invariants: steps never overlap (one loop, `tick` awaits the previous one); an error in a
 * step is recorded (`errors`, shown by the page) and stops both generators, so a full quota
 * does not repeat the same failure every tick; the state is saved after the tables, so a stored
 * position never runs ahead of the table.
 * Imports: lakestate (universal API), this folder's modules, demo_protocol.ts.
 */
import { Catalog, type ObjectStore } from "../../../src/mod.ts";
import { SQL_ROWS_SHOWN, type DemoStats, type ImportEntry, type InspectorData, type SqlView } from "../demo_protocol.ts";
import { DemoStateStore, type DemoState } from "./demo_state.ts";
import { inspectTable, valueText } from "./inspector_data.ts";
import { MetricsDriver } from "./metrics_driver.ts";
import { RefundDriver } from "./refund_driver.ts";
import { exportTableZip, importTable } from "./table_io.ts";

/** Milliseconds between loop steps. */
export const TICK_MS = 250;
/** Errors kept for the page. */
const ERRORS_KEPT = 20;

/** What the engine runs on. */
export interface DemoEngineOptions {
  /** The warehouse (IndexedDB `lakestate-demo` in the page). */
  readonly warehouse: ObjectStore;
  /** Where the demo state lives (not the warehouse). */
  readonly stateStore: ObjectStore;
  /** Where the refund job's lookups persist their bucket indexes. */
  readonly lookupCache: ObjectStore;
  /** Diagnostic lines (default: dropped). */
  readonly log?: (line: string) => void;
}

/** Describes an error for the page: quota errors get a plain explanation. */
export function describeError(error: unknown): string {
  const name = (error as { name?: unknown })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === "QuotaExceededError" || /quota/i.test(message)) {
    return `Storage quota exceeded: the browser refused to store more data in IndexedDB (${message}). Generators stopped; free space or export and clear the demo.`;
  }
  const code = (error as { code?: unknown })?.code;
  return `${typeof code === "string" ? `[${code}] ` : ""}${message}`;
}

/** The demo engine (see the file header). */
export class DemoEngine {
  readonly catalog: Catalog;
  readonly refund: RefundDriver;
  readonly metrics: MetricsDriver;
  readonly #state: DemoStateStore;
  readonly #errors: string[] = [];
  readonly #startedMs = Date.now();
  #running: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastTickMs = 0;
  #sinceSampleMs = 0;
  #closed = false;

  private constructor(catalog: Catalog, state: DemoStateStore, refund: RefundDriver, metrics: MetricsDriver) {
    this.catalog = catalog;
    this.#state = state;
    this.refund = refund;
    this.metrics = metrics;
  }

  /** Opens the warehouse, creates or resumes both workloads from the tables and the stored state. */
  static async open(options: DemoEngineOptions): Promise<DemoEngine> {
    const catalog = new Catalog(options.warehouse);
    const state = new DemoStateStore(options.stateStore);
    const saved = await state.load();
    const log = options.log ?? (() => undefined);
    const refund = await RefundDriver.open(catalog, options.warehouse, options.lookupCache, saved, log);
    let engine: DemoEngine | null = null;
    const metrics = await MetricsDriver.open(catalog, saved, (error) => engine?.recordError(error));
    engine = new DemoEngine(catalog, state, refund, metrics);
    return engine;
  }

  /** Records a background error for the page and stops the generators. */
  recordError(error: unknown): void {
    this.#errors.push(describeError(error));
    if (this.#errors.length > ERRORS_KEPT) this.#errors.shift();
    this.refund.running = false;
    this.metrics.running = false;
  }

  /** Clears the recorded errors. */
  clearErrors(): void {
    this.#errors.length = 0;
  }

  /** The state to persist. */
  #snapshotState(): DemoState {
    return { ...this.refund.persisted(), ...this.metrics.persisted() };
  }

  /** Persists the state now (after pending steps). */
  async saveState(): Promise<void> {
    await this.#running;
    await this.#state.save(this.#snapshotState());
  }

  /** Runs `work` between steps (never during one), e.g. a view refresh the page asked for. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#running.then(work);
    this.#running = result.then(() => undefined, () => undefined);
    return result;
  }

  /** One step of both workloads after `elapsedMs` of real time, then the state is saved. Errors are recorded, not thrown. */
  tick(elapsedMs: number): Promise<void> {
    this.#running = this.#running.then(async () => {
      try {
        await this.refund.step(elapsedMs);
        await this.metrics.step(elapsedMs);
        this.#sinceSampleMs += elapsedMs;
        if (this.#sinceSampleMs >= 1000) {
          this.#sinceSampleMs %= 1000;
          this.refund.sample();
        }
        await this.#state.save(this.#snapshotState());
      } catch (error) {
        this.recordError(error);
      }
    });
    return this.#running;
  }

  /** Starts the loop (steps every TICK_MS, measured on the real clock). */
  startLoop(): void {
    if (this.#timer !== null || this.#closed) return;
    this.#lastTickMs = performance.now();
    const loop = async (): Promise<void> => {
      const now = performance.now();
      await this.tick(Math.min(2_000, now - this.#lastTickMs));
      this.#lastTickMs = now;
      if (!this.#closed) this.#timer = setTimeout(() => void loop(), TICK_MS);
    };
    this.#timer = setTimeout(() => void loop(), TICK_MS);
  }

  /** What the page polls. */
  stats(): DemoStats {
    return { ready: true, refund: this.refund.view(), metrics: this.metrics.view(), errors: [...this.#errors], uptimeMs: Date.now() - this.#startedMs };
  }

  /** Every table of the warehouse as "db.table". */
  async listTables(): Promise<string[]> {
    const out: string[] = [];
    for (const db of await this.catalog.listDatabases()) for (const t of await this.catalog.listTables(db)) out.push(`${db}.${t}`);
    return out;
  }

  /** The inspector's data of table `identifier`. */
  async inspect(identifier: string): Promise<InspectorData> {
    return inspectTable(await this.catalog.getTable(identifier));
  }

  /** Runs SQL statements; results rendered as text. */
  async sql(text: string): Promise<SqlView[]> {
    const results = await this.catalog.sql(text);
    return results.map((r) => ({
      kind: r.kind, message: r.message, warnings: [...r.warnings],
      columns: r.kind === "rows" ? r.columns.map((c) => c.name) : [], rowCount: r.kind === "rows" ? r.rows.length : 0,
      rows: r.kind === "rows" ? r.rows.slice(0, SQL_ROWS_SHOWN).map((row) => (row as readonly unknown[]).map(valueText)) : [],
    }));
  }

  /** A ZIP of table `identifier`'s files. */
  exportTable(identifier: string): Promise<Uint8Array<ArrayBuffer>> {
    return exportTableZip(this.catalog, identifier);
  }

  /** Imports a ZIP or a directory's files as `imported.<name>`; returns the identifier. */
  importTable(name: string, input: Uint8Array | readonly ImportEntry[]): Promise<string> {
    return importTable(this.catalog, name, input);
  }

  /** Stops the loop and closes both workloads (the state is saved first). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.saveState();
    await this.refund.close();
    await this.metrics.close();
  }
}

