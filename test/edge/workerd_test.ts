// Goal (Node only): lakestate runs for real in Cloudflare's runtime. A Worker bundled from
// lakestate's universal API (test/edge/worker_app.ts) runs under `workerd serve` (npm workerd
// 1.20261117.1) and, over HTTP, creates a primary-key table on the S3 store (s3rver on
// 127.0.0.1), writes and commits rows, compacts and reads them back; Node then reads the same
// table from S3 with lakestate/node and sees the same rows. The key kernel inside workerd is the
// WebAssembly one, instantiated from the precompiled module the Worker imports
// (kernelStatus() = { kind: "wasm", source: "module" }); a second Worker without that module
// falls back to the TypeScript twin with exactly one console warning, and still writes.
//
// What workerd does with run-time WebAssembly compilation (checked here, first request of the
// "probe" route): like Cloudflare's edge, it refuses it. `WebAssembly.compile(bytes)`,
// `WebAssembly.instantiate(bytes)` and `new WebAssembly.Module(bytes)` all throw
// "CompileError: ... Wasm code generation disallowed by embedder", locally too; only modules
// imported as `.wasm` (a config `wasm = embed "x.wasm"` module, which workerd compiles at load
// time) can be instantiated. Hence `useKernelModule(module)` for the kernel and
// `setFastParquetSource(module)` / `setZstdWasmSource(module)` for parquet-wasm and libzstd.
//
// Method: esbuild bundles two tiny generated entries (ESM, the .wasm imports left external) into
// a temp directory next to the three .wasm files (the kernel's bytes are KERNEL_WASM_BYTES); a
// capnp config there declares both Workers, their S3 bindings, one loopback socket each on
// 127.0.0.1:0 and a global outbound limited to local addresses (workerd's default refuses
// private ones). `--control-fd 3` makes workerd report each socket's bound port as a JSON line.
// workerd is killed in `finally`, also on failure; its output is shown when a step fails.
// Expected rows are computed here, write by write (primary-key upserts and deletes).
import { assert, describe, test } from "../harness.ts";

const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
const SKIP = isDeno ? "workerd is driven from Node (child process + esbuild); Node-only" : false;
const STEP_TIMEOUT_MS = 30_000;
/** The "bare" Worker has no libzstd module either, so its table keeps snappy manifests. */
const SNAPPY_MANIFESTS = { "manifest.compression": "snappy" };

type Json = Record<string, unknown>;
type Row = { id: string; name: string | null; score: number | null };

describe("workerd (Cloudflare's runtime) on the S3 store", () => {
  test("a Worker creates, writes, commits, compacts and reads a table; the kernel runs as wasm from the precompiled module", { skip: SKIP, timeout: 120_000 }, async () => {
    const { spawn } = await import("node:child_process");
    const { copyFile, mkdtemp, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const { build } = await import("esbuild");
    const { startS3Server } = await import("../support/s3_server.ts");
    const { KERNEL_WASM_BYTES } = await import("../../src/kernel/mod.ts");
    const { openTable } = await import("../../src/node.ts");

    const root = fileURLToPath(new URL("../../", import.meta.url));
    const dir = await mkdtemp(join(tmpdir(), "lakestate-workerd-"));
    const server = await startS3Server(["lake"]);
    let child: Child | null = null;
    let output = "";
    try {
      const startedMs = Date.now();
      // 1. The Workers: the kernel, parquet-wasm and libzstd as .wasm modules beside the bundles.
      await writeFile(join(dir, "kernel.wasm"), KERNEL_WASM_BYTES);
      await copyFile(join(root, "node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm"), join(dir, "parquet.wasm"));
      await copyFile(join(root, "node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm"), join(dir, "zstd.wasm"));
      const app = JSON.stringify(join(root, "test/edge/worker_app.ts"));
      await writeFile(join(dir, "entry_lake.js"), `import kernel from "./kernel.wasm";\nimport parquet from "./parquet.wasm";\nimport zstd from "./zstd.wasm";\nimport { createWorker } from ${app};\nexport default createWorker({ kernel, parquet, zstd });\n`);
      await writeFile(join(dir, "entry_bare.js"), `import parquet from "./parquet.wasm";\nimport { createWorker } from ${app};\nexport default createWorker({ kernel: null, parquet, zstd: null });\n`);
      await writeFile(join(dir, "entry_probe.js"), PROBE_WORKER);
      await build({
        entryPoints: ["entry_lake.js", "entry_bare.js", "entry_probe.js"].map((f) => join(dir, f)),
        outdir: join(dir, "out"), bundle: true, format: "esm", platform: "browser", target: "es2022",
        conditions: ["workerd", "worker", "browser"], external: ["*.wasm"], logLevel: "silent",
        define: { "process.env.NODE_ENV": '"production"' },
      });
      for (const f of ["kernel.wasm", "parquet.wasm", "zstd.wasm"]) await copyFile(join(dir, f), join(dir, "out", f));
      const bundledMs = Date.now() - startedMs;
      await writeFile(join(dir, "out", "config.capnp"), workerdConfig(server.endpoint));

      // 2. workerd, ports reported on fd 3.
      child = spawn(join(root, "node_modules/.bin/workerd"), ["serve", "config.capnp", "--control-fd=3"], {
        cwd: join(dir, "out"), stdio: ["ignore", "pipe", "pipe", "pipe"],
      }) as unknown as Child;
      for (const stream of [child.stdio[1], child.stdio[2]]) stream.on("data", (d: Uint8Array) => { output += new TextDecoder().decode(d); });
      const ports = await listenPorts(child, ["lake", "bare", "probe"]);
      const call = async (socket: string, path: string, body: Json = {}): Promise<Json> => {
        const response = await fetch(`http://127.0.0.1:${ports.get(socket)}${path}`, {
          method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
        });
        const json = (await response.json()) as Json;
        assert.equal(response.status, 200, `${socket} ${path}: ${JSON.stringify(json)}`);
        return json;
      };

      // 3. What workerd does with run-time compilation.
      const probe = await call("probe", "/");
      for (const api of ["compile", "instantiate", "Module"]) {
        assert.match(String(probe[api]), /CompileError.*Wasm code generation disallowed by embedder/, `WebAssembly.${api} from bytes: ${probe[api]}`);
      }
      assert.equal(probe["importedModule"], "instantiated", "a .wasm module import instantiates");

      // 4. The table, through the Worker with the precompiled modules.
      assert.deepEqual((await call("lake", "/status"))["kernel"], { kind: "unloaded" });
      // Default options: Paimon's default manifest codec is zstd. @hpcc-js/wasm-zstd cannot load
      // here (its glue compiles wasm from bytes), so codecs.ts encodes manifests with the
      // registered libzstd module (zstd_wasm.ts), and the commits below go through.
      await call("lake", "/create", { table: "scores" });
      const expected = new Map<string, Row>();
      const batches: { rows: Row[]; deletes: string[] }[] = [
        { rows: Array.from({ length: 40 }, (_, i) => ({ id: String(i), name: `n${i}`, score: i * 1.5 })), deletes: [] },
        { rows: Array.from({ length: 20 }, (_, i) => ({ id: String(i * 3), name: `m${i}`, score: null })), deletes: [] },
        { rows: [{ id: "9007199254740993", name: "big", score: -0.25 }, { id: "5", name: null, score: 2 }], deletes: ["1", "2", "39"] },
      ];
      let snapshot = 0;
      for (const batch of batches) {
        const result = await call("lake", "/write", { table: "scores", rows: batch.rows, deletes: batch.deletes.map((id) => ({ id })) });
        snapshot++;
        assert.deepEqual(result["snapshotIds"], [String(snapshot)]);
        assert.deepEqual(result["kernel"], { kind: "wasm", source: "module" }, "the write sorted with the wasm kernel from the imported module");
        for (const row of batch.rows) expected.set(row.id, row);
        for (const id of batch.deletes) expected.delete(id);
      }
      const compacted = await call("lake", "/compact", { table: "scores" });
      assert.equal(compacted["compactedBuckets"], 2);
      assert.deepEqual(compacted["kernel"], { kind: "wasm", source: "module" });
      const read = await call("lake", "/read", { table: "scores" });
      const want = [...expected.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      assert.equal(want.length, 44, "40 + 6 new ids (42..57 step 3) + 1 big id - 3 deletes");
      assert.deepEqual(read["rows"], want);
      assert.ok((read["levels"] as number[]).every((level) => level > 0), `after full compaction no level-0 file: ${read["levels"]}`);
      assert.deepEqual(read["snapshots"], ["1:APPEND", "2:APPEND", "3:APPEND", "4:COMPACT"]);
      const status = await call("lake", "/status");
      assert.deepEqual(status["kernel"], { kind: "wasm", source: "module" });
      assert.equal((status["parquet"] as Json)["state"], "ready", `parquet-wasm from the imported module: ${JSON.stringify(status["parquet"])}`);
      assert.equal(status["zstdFailure"], null);

      // 5. Node reads what the Worker wrote on S3.
      const s3 = server.options();
      const fromNode = await openTable("s3://lake/edge-warehouse/edge.db/scores", { s3 });
      const nodeRows = (await fromNode.read()).toArray().map((r) => ({ id: String(r["id"]), name: r["name"], score: r["score"] }))
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      assert.deepEqual(nodeRows, want);

      // 6. Without the kernel module: the twin, one warning, same rows.
      await call("bare", "/create", { table: "bare", options: SNAPPY_MANIFESTS });
      for (let round = 0; round < 2; round++) {
        const result = await call("bare", "/write", { table: "bare", rows: [{ id: String(round), name: `b${round}`, score: round }], deletes: [] });
        const kernel = result["kernel"] as Json;
        assert.equal(kernel["kind"], "twin");
        assert.match(String(kernel["reason"]), /Wasm code generation disallowed by embedder/);
      }
      assert.deepEqual((await call("bare", "/read", { table: "bare" }))["rows"], [{ id: "0", name: "b0", score: 0 }, { id: "1", name: "b1", score: 1 }]);
      const warnings = output.split("\n").filter((line) => line.includes("running the TypeScript twin"));
      assert.equal(warnings.length, 1, `one twin warning in workerd's output:\n${output}`);
      assert.match(warnings[0]!, /disallowed by embedder.*useKernelModule/);
      console.log(`workerd_test: bundled in ${bundledMs} ms, whole run ${Date.now() - startedMs} ms`);
    } catch (error) {
      if (output !== "") console.log(`workerd output:\n${output}`);
      throw error;
    } finally {
      if (child !== null) await stop(child);
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A Worker that reports what each way of compiling WebAssembly does in workerd. */
const PROBE_WORKER = `import imported from "./kernel.wasm";
const BYTES = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // the empty module
async function outcome(run) { try { await run(); return "ok"; } catch (error) { return String(error); } }
export default {
  async fetch() {
    return Response.json({
      compile: await outcome(() => WebAssembly.compile(BYTES)),
      instantiate: await outcome(() => WebAssembly.instantiate(BYTES, {})),
      Module: await outcome(() => new WebAssembly.Module(BYTES)),
      importedModule: imported instanceof WebAssembly.Module && (await WebAssembly.instantiate(imported, {})) instanceof WebAssembly.Instance ? "instantiated" : "no",
    });
  },
};
`;

/** The capnp config: three Workers, their sockets on 127.0.0.1:0, outbound to loopback only. */
function workerdConfig(endpoint: string): string {
  const worker = (main: string, wasm: string[], s3: boolean) => `(
  modules = [
    (name = "${main}", esModule = embed "${main}"),
${wasm.map((w) => `    (name = "${w}", wasm = embed "${w}"),`).join("\n")}
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [${s3 ? `
    (name = "S3_ENDPOINT", text = "${endpoint}"),
    (name = "S3_BUCKET", text = "lake"),
    (name = "S3_PREFIX", text = "edge-warehouse"),
    (name = "S3_ACCESS_KEY_ID", text = "S3RVER"),
    (name = "S3_SECRET_ACCESS_KEY", text = "S3RVER"),
  ` : ""}],
)`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "lake", worker = ${worker("entry_lake.js", ["kernel.wasm", "parquet.wasm", "zstd.wasm"], true)}),
    (name = "bare", worker = ${worker("entry_bare.js", ["parquet.wasm"], true)}),
    (name = "probe", worker = ${worker("entry_probe.js", ["kernel.wasm"], false)}),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "lake", address = "127.0.0.1:0", http = (), service = "lake"),
    (name = "bare", address = "127.0.0.1:0", http = (), service = "bare"),
    (name = "probe", address = "127.0.0.1:0", http = (), service = "probe"),
  ],
);
`;
}

/** The parts of the workerd child process used here (structural: Node's and Deno's typings differ). */
type Child = {
  readonly stdio: readonly [unknown, Readable, Readable, Readable];
  readonly exitCode: number | null;
  readonly signalCode: string | null;
  kill(signal: "SIGTERM" | "SIGKILL"): boolean;
  once(event: "exit", listener: (code: number | null) => void): unknown;
};
type Readable = { on(event: "data", listener: (chunk: Uint8Array) => void): unknown };

/** Waits for workerd's `{"event":"listen","socket":…,"port":…}` lines for every socket. */
function listenPorts(child: Child, sockets: string[]): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const ports = new Map<string, number>();
    let pending = "";
    const timer = setTimeout(() => reject(new Error(`workerd did not report its ports within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`workerd exited with ${code} before listening`)); });
    const decoder = new TextDecoder();
    child.stdio[3].on("data", (chunk) => {
      pending += decoder.decode(chunk, { stream: true });
      let at;
      while ((at = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (message.event === "listen" && message.socket !== undefined && message.port !== undefined) ports.set(message.socket, message.port);
      }
      if (sockets.every((s) => ports.has(s))) { clearTimeout(timer); resolve(ports); }
    });
  });
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
async function stop(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
