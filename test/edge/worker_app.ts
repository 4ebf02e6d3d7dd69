/**
 * Goal: the Cloudflare Worker that test/edge/workerd_test.ts bundles (esbuild, ESM) and runs
 * under `workerd serve`: lakestate's universal API (src/mod.ts) on the S3 store, driven over
 * HTTP, one table operation per request, the catalog reopened on every request (Workers keep no
 * state between requests that one may rely on).
 * Method: the generated entry module imports the kernel's and parquet-wasm's `.wasm` files as
 * modules (the Workers way: each import is a precompiled `WebAssembly.Module`, since workerd
 * refuses to compile WebAssembly from bytes) and calls `createWorker` with them; null modules
 * make the Worker run without them (the twin-fallback check). The S3 endpoint, bucket and
 * credentials come from the Worker's environment bindings.
 * Routes (POST, JSON bodies; answers JSON; errors answer 500 with { error, code }):
 *   /create  { table, options? }            create database "edge" and a primary-key table
 *   /write   { table, rows, deletes? }      one write + commit through table.newWrite()
 *   /compact { table }                      full compaction
 *   /read    { table }                      all rows, sorted by id, bigint as strings
 *   /status  {}                             kernelStatus(), fastParquetStatus(), zstdWasmFailure()
 */
import {
  fastParquetStatus, kernelStatus, openCatalog, S3Store, setFastParquetSource, setZstdWasmSource, useKernelModule, zstdWasmFailure,
  type Catalog, type Value,
} from "../../src/mod.ts";

/** The precompiled modules the entry imports (null: not provided). */
export interface WorkerModules {
  readonly kernel: WebAssembly.Module | null;
  readonly parquet: WebAssembly.Module | null;
  /** libzstd (`@foxglove/wasm-zstd/dist/wasm-zstd.wasm`), for zstd Parquet pages. */
  readonly zstd: WebAssembly.Module | null;
}

/** The environment bindings of the Worker (text bindings of the workerd config). */
export interface WorkerEnv {
  readonly S3_ENDPOINT: string;
  readonly S3_BUCKET: string;
  readonly S3_PREFIX: string;
  readonly S3_ACCESS_KEY_ID: string;
  readonly S3_SECRET_ACCESS_KEY: string;
}

type Json = Record<string, unknown>;

const COLUMNS = [
  { name: "id", type: "BIGINT NOT NULL" },
  { name: "name", type: "STRING" },
  { name: "score", type: "DOUBLE" },
];

function catalogOf(env: WorkerEnv): Catalog {
  const store = new S3Store(env.S3_BUCKET, {
    endpoint: env.S3_ENDPOINT, region: "us-east-1", forcePathStyle: true, prefix: env.S3_PREFIX,
    accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  });
  return openCatalog({ warehouse: store });
}

function rowOf(input: Json): Record<string, Value> {
  return { id: BigInt(String(input["id"])), name: (input["name"] ?? null) as string | null, score: (input["score"] ?? null) as number | null };
}

async function handle(path: string, body: Json, env: WorkerEnv): Promise<Json> {
  if (path === "/status") return { kernel: kernelStatus(), parquet: fastParquetStatus(), zstdFailure: zstdWasmFailure() };
  const catalog = catalogOf(env);
  const name = `edge.${String(body["table"])}`;
  switch (path) {
    case "/create": {
      if (!(await catalog.listDatabases()).includes("edge")) await catalog.createDatabase("edge");
      await catalog.createTable(name, { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "2", ...(body["options"] as Record<string, string> | undefined) } });
      return { created: name };
    }
    case "/write": {
      const table = await catalog.getTable(name);
      const write = await table.newWrite();
      try {
        await write.write((body["rows"] as Json[]).map(rowOf));
        const deletes = (body["deletes"] as Json[] | undefined) ?? [];
        if (deletes.length > 0) await write.delete(deletes.map((d) => ({ id: BigInt(String(d["id"])) })));
        const result = await write.commit();
        return { snapshotIds: result.snapshotIds.map(String), kernel: kernelStatus() };
      } finally {
        await write.close();
      }
    }
    case "/compact": {
      const table = await catalog.getTable(name);
      const result = await table.compact({ full: true });
      return { snapshotIds: result.snapshotIds.map(String), compactedBuckets: result.compactedBuckets, kernel: kernelStatus() };
    }
    case "/read": {
      const table = await catalog.getTable(name);
      const read = await table.read();
      const rows = read.toArray().map((r) => ({ id: String(r["id"]), name: r["name"], score: r["score"] }));
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      const files = await table.files();
      return { rows, levels: files.map((f) => f.level), snapshots: (await table.snapshots()).map((s) => `${s.id}:${s.commitKind}`), kernel: kernelStatus() };
    }
    default:
      return { error: `no route ${path}`, code: "not_found" };
  }
}

/** The Worker (module syntax) over the given precompiled modules. */
export function createWorker(modules: WorkerModules): { fetch(request: Request, env: WorkerEnv): Promise<Response> } {
  if (modules.kernel !== null) useKernelModule(modules.kernel);
  if (modules.parquet !== null) setFastParquetSource(modules.parquet);
  if (modules.zstd !== null) setZstdWasmSource(modules.zstd);
  return {
    async fetch(request, env) {
      const path = new URL(request.url).pathname;
      try {
        const body = request.method === "POST" ? (await request.json()) as Json : {};
        const out = await handle(path, body, env);
        return new Response(JSON.stringify(out), { status: out["code"] === "not_found" ? 404 : 200, headers: { "content-type": "application/json" } });
      } catch (error) {
        const e = error as { message?: string; code?: string; stack?: string };
        return new Response(JSON.stringify({ error: String(e.stack ?? e.message ?? error), code: e.code ?? "" }), { status: 500, headers: { "content-type": "application/json" } });
      }
    },
  };
}
