/**
 * The Web Worker script of the engine: serves an EngineHost (engine_host.ts) on the worker's
 * global scope. A page starts it as a module worker and talks to it through
 * `openWorkerCatalog` (client.ts):
 *
 *   const worker = new Worker(new URL("lakestate/worker", import.meta.url), { type: "module" });
 *   const catalog = await openWorkerCatalog(worker, { warehouse: "idb://lake", parquetWasm: "/parquet_wasm_bg.wasm" });
 *
 * Imports: comlink (Endpoint type), worker/engine_host.ts. Mirrors no Java class.
 */
import type { Endpoint } from "comlink";
import { exposeEngine } from "./engine_host.ts";

exposeEngine(globalThis as unknown as Endpoint);
