/**
 * The demo's module Web Worker: `DemoHost` extends the generic engine host (EngineHost: every
 * catalog/table call of the worker protocol) with the demo's own methods, served with comlink.
 * The whole engine lives here (both workloads, the stream consumer, the inspector, SQL,
 * export/import); the page only renders what `demoStats` and friends return.
 *
 * Storage: the warehouse is IndexedDB `lakestate-demo` (`idb://lakestate-demo`); the demo state
 * (generator position, rate, clock) is IndexedDB `lakestate-demo-state`; the refund job's lookup
 * indexes are cached in worker memory (rebuilt from the table after a reload).
 * parquet-wasm's and libzstd's .wasm are Vite assets (`?url`) registered here.
 * Errors: a failing call rejects in the page (comlink, LakeError codes kept); errors of the
 * background loop and uncaught ones are recorded and reported through `demoStats().errors`.
 *
 * Imports: comlink (types), lakestate (browser entry, worker host), engine/*, demo_protocol.ts.
 */
import { transfer, type Endpoint } from "comlink";
import parquetWasmUrl from "parquet-wasm/esm/parquet_wasm_bg.wasm?url";
import zstdWasmUrl from "@foxglove/wasm-zstd/dist/wasm-zstd.wasm?url";
import { IdbStore, MemoryStore, storeOf, useParquetWasm, useZstdWasm } from "../../src/browser.ts";
import { EngineHost, exposeEngine } from "../../src/worker/engine_host.ts";
import { DemoEngine, describeError } from "./engine/demo_engine.ts";
import type { DemoStats, ImportEntry, InspectorData, SqlView } from "./demo_protocol.ts";

/** The demo's warehouse. */
export const DEMO_WAREHOUSE = "idb://lakestate-demo";
/** The IndexedDB database of the demo state. */
export const DEMO_STATE_DB = "lakestate-demo-state";

/** The demo's worker API (see the file header). */
export class DemoHost extends EngineHost {
  #engine: Promise<DemoEngine> | null = null;
  readonly #early: string[] = [];

  #demo(): Promise<DemoEngine> {
    if (this.#engine === null) throw new Error("demo worker: call demoInit() first");
    return this.#engine;
  }

  /** Records an error that happened outside any call. */
  recordUncaught(error: unknown): void {
    if (this.#engine === null) this.#early.push(describeError(error));
    else void this.#engine.then((e) => e.recordError(error), () => this.#early.push(describeError(error)));
  }

  /** Opens the warehouse, resumes both workloads and starts the loop; idempotent. */
  async demoInit(): Promise<DemoStats> {
    if (this.#engine === null) {
      useParquetWasm(parquetWasmUrl);
      useZstdWasm(zstdWasmUrl);
      this.#engine = DemoEngine.open({
        warehouse: storeOf(DEMO_WAREHOUSE), stateStore: new IdbStore({ dbName: DEMO_STATE_DB }), lookupCache: new MemoryStore(),
      });
      this.#engine.catch(() => { this.#engine = null; });
      (await this.#engine).startLoop();
    }
    return this.demoStats();
  }

  /** Everything the page shows of both workloads, plus errors. */
  async demoStats(): Promise<DemoStats> {
    const stats = (await this.#demo()).stats();
    return this.#early.length === 0 ? stats : { ...stats, errors: [...this.#early, ...stats.errors] };
  }

  /** Starts or stops the refund generator and sets its rate (events per second). */
  async demoSetRefund(running: boolean, rate: number): Promise<void> {
    const engine = await this.#demo();
    engine.refund.setRate(rate);
    engine.refund.running = running;
    await engine.saveState();
  }

  /** Starts or stops the metrics clock, sets its speed (simulated ms per second) and the chart's buyer. */
  async demoSetMetrics(running: boolean, speed: number, buyer: number): Promise<void> {
    const engine = await this.#demo();
    engine.metrics.setSpeed(speed);
    if (buyer !== engine.metrics.buyer) {
      await engine.exclusive(async () => {
        engine.metrics.setBuyer(buyer);
        await engine.metrics.refreshView();
      });
    }
    engine.metrics.running = running;
    await engine.saveState();
  }

  /** Clears the recorded errors. */
  async demoClearErrors(): Promise<void> {
    this.#early.length = 0;
    (await this.#demo()).clearErrors();
  }

  /** Tables of the warehouse ("db.table"). */
  async demoTables(): Promise<string[]> {
    return (await this.#demo()).listTables();
  }

  /** The inspector's data of a table. */
  async demoInspect(identifier: string): Promise<InspectorData> {
    return (await this.#demo()).inspect(identifier);
  }

  /** Runs SQL statements over the demo's catalog. */
  async demoSql(text: string): Promise<SqlView[]> {
    return (await this.#demo()).sql(text);
  }

  /** A ZIP of a table's files (buffer transferred). */
  async demoExport(identifier: string): Promise<Uint8Array<ArrayBuffer>> {
    const zip = await (await this.#demo()).exportTable(identifier);
    return transfer(zip, [zip.buffer]);
  }

  /** Imports a ZIP archive or a picked directory's files as `imported.<name>`; returns the identifier. */
  async demoImport(name: string, input: Uint8Array<ArrayBuffer> | readonly ImportEntry[]): Promise<string> {
    return (await this.#demo()).importTable(name, input);
  }
}

const host = exposeEngine(globalThis as unknown as Endpoint, new DemoHost());
globalThis.addEventListener("error", (event) => host.recordUncaught((event as ErrorEvent).error ?? (event as ErrorEvent).message));
globalThis.addEventListener("unhandledrejection", (event) => host.recordUncaught((event as PromiseRejectionEvent).reason));
