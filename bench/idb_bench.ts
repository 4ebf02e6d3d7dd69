/**
 * IndexedDB benchmark (issue 7 must-hold), run in real Chromium with a persistent profile by
 * `node tools/browser_bench.mjs` (it bundles this file, serves it and calls `main`):
 *
 *  (engine) 1M narrow rows (`id BIGINT NOT NULL, v INT`, primary key id, bucket 1) written as 5
 *      commits of 200K rows through lakestate/browser (`table.write(arrowBatch)`, IdbStore on
 *      `idb://`; parquet-wasm and the zstd wasm fetched from the server on first use, inside the
 *      timed region), then read back whole with `table.read()`. Rate = rows / (write + read time).
 *      Target >= 300K rows/s.
 *  (per-row) the same rows in a store that keeps one IndexedDB record per row (key = id, value =
 *      { id, v }), each commit one readwrite transaction of 200K puts (its best case), then read
 *      back with one getAll. Target: the engine's rate >= 20x this one.
 * Checks: both read-backs hold exactly the 1M rows written (count and sum of v), or the run throws.
 * `?quick` in the page URL (`--quick` of the runner) divides the sizes by 10.
 *
 * Imports: apache-arrow, src/browser.ts. Browser only (indexedDB, fetch of the parquet wasm).
 */
import { Int32, Int64, makeData, RecordBatch, Schema, Struct, Field, Table as ArrowTable } from "apache-arrow";
import { openCatalog } from "../src/browser.ts";

const PARQUET_WASM = "/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm";
const ZSTD_WASM = "/node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm";
const COMMITS = 5;

/** One run's figures. */
export interface IdbBenchResult {
  readonly rows: number;
  readonly commits: number;
  readonly engine: { writeMs: number; readMs: number; rowsPerSecond: number; storedBytes: number; commitMs: number[]; snapshots: string[] };
  readonly perRow: { writeMs: number; readMs: number; rowsPerSecond: number };
  readonly ratio: number;
  readonly userAgent: string;
}

function batch(start: number, n: number): ArrowTable {
  const ids = new BigInt64Array(n), values = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = BigInt(start + i);
    values[i] = (start + i) % 1000;
  }
  const fields = [new Field("id", new Int64(), false), new Field("v", new Int32(), true)];
  const children = [makeData({ type: new Int64(), length: n, data: ids }), makeData({ type: new Int32(), length: n, data: values })];
  return new ArrowTable([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }))]);
}

function expectedSum(rows: number): number {
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += i % 1000;
  return sum;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

async function engineRun(rows: number, dbName: string): Promise<IdbBenchResult["engine"]> {
  const catalog = openCatalog({ warehouse: `idb://${dbName}`, parquetWasm: PARQUET_WASM, zstdWasm: ZSTD_WASM });
  await catalog.createDatabase("bench");
  const table = await catalog.createTable("bench.narrow", {
    columns: [{ name: "id", type: "BIGINT NOT NULL" }, { name: "v", type: "INT" }],
    primaryKeys: ["id"],
    options: { bucket: "1" },
  });
  const per = rows / COMMITS;
  const batches = Array.from({ length: COMMITS }, (_, c) => batch(c * per, per));
  const commitMs: number[] = [];
  const t0 = performance.now();
  for (const b of batches) {
    const start = performance.now();
    await table.write(b);
    commitMs.push(Math.round(performance.now() - start));
  }
  const t1 = performance.now();
  const read = await (await catalog.getTable("bench.narrow")).read();
  const t2 = performance.now();
  if (read.numRows !== rows) throw new Error(`engine: read ${read.numRows} rows, wrote ${rows}`);
  let sum = 0;
  for (const chunk of read.getChild("v")!.data) for (const x of chunk.values as Int32Array) sum += x;
  if (sum !== expectedSum(rows)) throw new Error(`engine: sum of v ${sum}, expected ${expectedSum(rows)}`);
  const storedBytes = (await catalog.warehouse.list("")).reduce((a, e) => a + e.sizeBytes, 0);
  const snapshots = (await table.snapshots()).map((s) => s.commitKind);
  await catalog.warehouse.close?.();
  return { writeMs: t1 - t0, readMs: t2 - t1, rowsPerSecond: rows / ((t2 - t0) / 1000), storedBytes, commitMs, snapshots };
}

async function perRowRun(rows: number, dbName: string): Promise<IdbBenchResult["perRow"]> {
  const open = indexedDB.open(dbName);
  open.onupgradeneeded = () => open.result.createObjectStore("rows");
  const db = await request(open);
  const per = rows / COMMITS;
  const t0 = performance.now();
  for (let c = 0; c < COMMITS; c++) {
    const tx = db.transaction("rows", "readwrite");
    const store = tx.objectStore("rows");
    for (let i = c * per; i < (c + 1) * per; i++) store.put({ id: BigInt(i), v: i % 1000 }, i);
    await done(tx);
  }
  const t1 = performance.now();
  const all = await request(db.transaction("rows", "readonly").objectStore("rows").getAll()) as { id: bigint; v: number }[];
  const t2 = performance.now();
  if (all.length !== rows) throw new Error(`per-row: read ${all.length} rows, wrote ${rows}`);
  let sum = 0;
  for (const r of all) sum += r.v;
  if (sum !== expectedSum(rows)) throw new Error(`per-row: sum of v ${sum}, expected ${expectedSum(rows)}`);
  db.close();
  return { writeMs: t1 - t0, readMs: t2 - t1, rowsPerSecond: rows / ((t2 - t0) / 1000) };
}

/** Runs both cases on fresh databases; `quick` divides the sizes by 10. */
export async function main(options: { quick?: boolean } = {}): Promise<IdbBenchResult> {
  const rows = options.quick === true ? 100_000 : 1_000_000;
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const engine = await engineRun(rows, `lakestate-bench-engine-${stamp}`);
  const perRow = await perRowRun(rows, `lakestate-bench-rows-${stamp}`);
  return { rows, commits: COMMITS, engine, perRow, ratio: engine.rowsPerSecond / perRow.rowsPerSecond, userAgent: navigator.userAgent };
}

(globalThis as { __lakestateBenchMain?: typeof main }).__lakestateBenchMain = main;
