// Runs test files in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// the `chromium` target of tools/run_tests.mjs, and the building blocks tools/browser_bench.mjs
// reuses (server, bundler, launcher).
//
// How: esbuild bundles every test file for the browser in one build (ESM, code splitting, so
// apache-arrow & co. are shared chunks), with `node:test` and `node:assert/strict` replaced by
// honest shims (tools/browser_shim_test.mjs, tools/browser_shim_assert.mjs), the read-only parts
// of `node:fs`, `node:url`, `node:path` replaced by HTTP-backed shims, and each test file's
// `import.meta.url` rewritten to its URL on the local server, so `readFixture` and friends fetch
// `test/fixtures/...` from it. A node:http server on 127.0.0.1 serves the bundles, the repository
// (read-only: fixtures, node_modules/parquet-wasm's .wasm) and a runner page; each test file runs
// in a fresh page (its own realm, as each file gets its own process under node --test), one file
// at a time. A test passes only when the shim ran it without an exception; an uncaught page
// error or a file that fails to load or bundle counts as a failure.
//
// S3 tests run too: test/support/s3_server.ts is bundled as tools/browser_shim_s3_server.mjs,
// which asks this server (`POST /__s3/start|bucket|stop`) to run the real s3rver test server
// here in Node (loaded through tsx); the page then talks to it with its own fetch, CORS
// answered by the server's CORS shim. Servers a page leaves open are closed with the run.
//
// Read-only fixture access works in the browser: the `node:fs` shim reads the served repository
// (so even NodeFsStore over test/fixtures reads there, read-only). Excluded files (EXCLUDED
// below) need what no browser has (a writable local filesystem, child processes, native addons)
// or test the Node/Deno entries themselves; each carries its reason. test/browser/ holds Chromium-only
// tests (Web Workers + IndexedDB) that only this target runs.
import { createServer } from "node:http";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";

export const root = resolve(new URL("..", import.meta.url).pathname);

/** The Chromium flags toolchain.md verified on this machine kind (no --user-data-dir: Playwright refuses it). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const CHROMIUM_PATH = process.env.LAKESTATE_CHROMIUM ?? "/usr/bin/chromium";

/** Test files that cannot run in a browser, with the reason (keep short; everything else runs). */
export const EXCLUDED = {
  // Native Node addons or subprocesses.
  "test/bench/kv_peers_test.ts": "benchmarks lmdb and classic-level (native Node addons)",
  "test/unit/format/native_zstd_test.ts": "loads the zstd-napi Node-API addon (Node only)",
  "test/interop/java_layout_test.ts": "checks written tables with python3-avro and DuckDB subprocesses/addons on temp directories",
  "test/interop/manifest_avro_interop_test.ts": "checks manifests with a python3-avro subprocess on temp files",
  "test/interop/parquet_duckdb_interop_test.ts": "checks Parquet files with DuckDB (native addon) on temp files",
  "test/unit/format/parquet_row_groups_test.ts": "cross-checks with DuckDB (native addon) on temp files",
  "test/unit/format/parquet_writer_test.ts": "cross-checks with DuckDB (native addon) on temp files",
  "test/interop/zip_interop_test.ts": "checks archives with unzip, zip and python3 subprocesses on temp files",
  "test/kernel/build_test.ts": "runs the AssemblyScript compiler in a child process on temp files",
  "test/meta/package_test.ts": "checks npm packaging (package.json, npm pack) with child processes",
  "test/meta/layering_test.ts": "a static check of the src/ tree (runtime-independent; runs in Node and Deno)",
  // A writable local filesystem (temp directories) or the Node/Deno entries themselves.
  "test/unit/io/fs_store_test.ts": "the filesystem adapters themselves, on temp directories",
  "test/unit/api/zip_entry_test.ts": "exercises the Node/Deno entries on .zip files in temp directories",
  "test/unit/api/catalog_test.ts": "exercises the Node entry (lakestate/node: local paths, file: URLs)",
  "test/unit/api/catalog_write_test.ts": "writes warehouses into temp directories (NodeFsStore)",
  "test/unit/api/sql/execute_store_test.ts": "writes warehouses into temp directories (NodeFsStore)",
  "test/unit/cli/sql_test.ts": "the CLI on temp directories (NodeFsStore, node:process)",
  "test/unit/cli/zip_table_test.ts": "the CLI on zip archives in a temp directory (node:fs, NodeFsStore)",
  "test/examples/refund_tags_test.ts": "the example job on temp directories (node:fs, node:os)",
  "test/examples/cumulative_metrics_test.ts": "the example job on a temp directory warehouse (node:fs, node:os)",
  "test/examples/refund_events_test.ts": "imports the example's generators, whose CLI helpers import node:process/path/url",
  "test/unit/api/s3_catalog_test.ts": "exercises the Node and Deno entries' s3:// warehouses (test/browser/s3_e2e_test.ts is its browser twin)",
  "test/edge/workerd_test.ts": "drives workerd (a child process) from Node",
  "test/demo/demo_page_test.ts": "builds the demo with Vite and drives Chromium itself (Node only)",
  "test/demo/demo_engine_test.ts": "imports the examples' generators, whose CLI helpers import node:process/path/url (the page test runs this engine in Chromium)",
  "test/unit/io/s3_server_cors_test.ts": "sends raw preflights and reads Access-Control-* headers, which a page cannot (Chromium runs the S3 suite itself)",
};

/** Directory of Chromium-only tests (skipped by the Node and Deno runs). */
export const BROWSER_ONLY_DIR = "test/browser";

/** Extra bundle entries test pages may start as Web Workers (`new Worker(new URL("…ts", import.meta.url))`). */
export const WORKER_ENTRIES = ["src/worker/engine_worker.ts"];

const SHIMS = {
  "node:test": "tools/browser_shim_test.mjs",
  "node:assert/strict": "tools/browser_shim_assert.mjs",
  "node:assert": "tools/browser_shim_assert.mjs",
  "node:fs": "tools/browser_shim_fs.mjs",
  "node:fs/promises": "tools/browser_shim_fs.mjs",
  "node:url": "tools/browser_shim_url.mjs",
  "node:path": "tools/browser_shim_path.mjs",
};

const MIME = { ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".html": "text/html", ".map": "application/json", ".txt": "text/plain", ".md": "text/plain" };

const RUNNER_HTML = `<!doctype html><meta charset="utf-8"><title>lakestate test</title>
<script type="module">
const entry = new URLSearchParams(location.search).get("entry");
window.__lakestateDone = (async () => {
  try { await import(entry); } catch (error) { return { loadError: String(error && error.stack || error) }; }
  if (!globalThis.__lakestateTestShim) return { loadError: "the node:test shim was not loaded by " + entry };
  return { results: await globalThis.__lakestateTestShim.run() };
})();
</script>`;

const BENCH_HTML = `<!doctype html><meta charset="utf-8"><title>lakestate bench</title>
<script type="module">
const params = new URLSearchParams(location.search);
window.__lakestateDone = (async () => {
  try {
    await import(params.get("entry"));
    return { result: await globalThis.__lakestateBenchMain({ quick: params.has("quick") }) };
  } catch (error) { return { loadError: String(error && error.stack || error) }; }
})();
</script>`;

/**
 * Starts the test server on 127.0.0.1 (random port). `bundles` maps "/__bundles/<rel>.js" to
 * bytes (set later with `setBundles`); `.ts` requests for bundled entries redirect to them.
 */
export async function startServer() {
  let bundles = new Map();
  let entries = new Map();
  const exportDir = await mkdtemp(join(tmpdir(), "lakestate-browser-export-"));
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://127.0.0.1");
      const path = decodeURIComponent(url.pathname);
      const send = (status, body, type = "text/plain") => {
        res.writeHead(status, { "content-type": type, "cache-control": "no-store", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
        res.end(body);
      };
      if (path === "/__run.html") return send(200, RUNNER_HTML, "text/html");
      if (path.startsWith("/__export/") && req.method === "PUT") {
        // Tests export tables here (one file per request); Node reads them after the run.
        const target = resolve(exportDir, `.${path.slice("/__export".length)}`);
        if (!target.startsWith(exportDir + sep)) return send(403, "outside the export directory");
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, Buffer.concat(chunks));
        return send(201, "stored");
      }
      if (path === "/__bench.html") return send(200, BENCH_HTML, "text/html");
      if (path.startsWith("/__s3/") && req.method === "POST") {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const answer = await s3Servers.handle(path, JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
        return send(200, JSON.stringify(answer), "application/json");
      }
      if (path.startsWith("/__bundles/")) {
        const body = bundles.get(path);
        return body === undefined ? send(404, "no bundle") : send(200, body, MIME[path.slice(path.lastIndexOf("."))] ?? "text/javascript");
      }
      if (path === "/__fs/list" || path === "/__fs/stat") {
        const full = inside(url.searchParams.get("path") ?? "");
        if (full === null) return send(403, "outside the repository");
        const info = await stat(full).catch(() => null);
        if (info === null) return send(404, "absent");
        if (path === "/__fs/stat") return send(200, JSON.stringify({ kind: info.isDirectory() ? "dir" : "file", size: info.size, mtimeMs: Math.floor(info.mtimeMs) }), "application/json");
        if (!info.isDirectory()) return send(400, "not a directory");
        const dirents = await readdir(full, { withFileTypes: true });
        const list = dirents.filter((d) => d.isFile() || d.isDirectory()).map((d) => ({ name: d.name, kind: d.isDirectory() ? "dir" : "file" }));
        return send(200, JSON.stringify(list), "application/json");
      }
      if (entries.has(path)) {
        res.writeHead(302, { location: entries.get(path), "cache-control": "no-store" });
        return res.end();
      }
      const full = inside(path);
      if (full === null) return send(403, "outside the repository");
      const info = await stat(full).catch(() => null);
      if (info === null || !info.isFile()) return send(404, "not found");
      return send(200, await readFile(full), MIME[full.slice(full.lastIndexOf("."))] ?? "application/octet-stream");
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error?.stack ?? error));
    }
  });
  const s3Servers = s3ServerPool();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    exportDir,
    setBundles(next, nextEntries) { bundles = next; entries = nextEntries; },
    close: async () => {
      await s3Servers.closeAll();
      await new Promise((ok) => server.close(ok));
      await rm(exportDir, { recursive: true, force: true });
    },
  };
}

/**
 * The s3rver test servers pages ask for (tools/browser_shim_s3_server.mjs): `/__s3/start`
 * { buckets } → { id, endpoint, port } runs test/support/s3_server.ts here in Node (through tsx,
 * registered on first use); `/__s3/bucket` { id, name } creates a bucket; `/__s3/stop` { id }
 * closes one. `closeAll` closes what the pages left open.
 */
function s3ServerPool() {
  const servers = new Map();
  let nextId = 1;
  let module = null;
  let unregister = null;
  return {
    async handle(path, body) {
      if (path === "/__s3/start") {
        if (module === null) {
          const { register } = await import("tsx/esm/api");
          unregister = register();
          module = await import("../test/support/s3_server.ts");
        }
        const s3 = await module.startS3Server(Array.isArray(body.buckets) ? body.buckets : ["lake"]);
        const id = nextId++;
        servers.set(id, s3);
        return { id, endpoint: s3.endpoint, port: s3.port };
      }
      const s3 = servers.get(body.id);
      if (s3 === undefined) throw new Error(`no s3 test server ${body.id}`);
      if (path === "/__s3/bucket") {
        await s3.createBucket(String(body.name));
        return {};
      }
      if (path === "/__s3/stop") {
        servers.delete(body.id);
        await s3.close();
        return {};
      }
      throw new Error(`unknown s3 control ${path}`);
    },
    async closeAll() {
      const open = [...servers.values()];
      servers.clear();
      await Promise.all(open.map((s3) => s3.close().catch(() => undefined)));
      await unregister?.();
      unregister = null;
      module = null;
    },
  };
}

/** The absolute file for a server path, or null when it leaves the repository. */
function inside(serverPath) {
  const full = resolve(root, `.${serverPath.startsWith("/") ? serverPath : `/${serverPath}`}`);
  return full === root || full.startsWith(root + sep) ? full : null;
}

/** Repository modules replaced in browser bundles (the page cannot run them): module → stand-in. */
const MODULE_SHIMS = {
  "test/support/s3_server.ts": "tools/browser_shim_s3_server.mjs",
};

/** esbuild plugin: the node: shims, stubs for other node: modules, and per-file import.meta rewrites. */
function browserPlugin(origin) {
  return {
    name: "lakestate-browser",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\/.*s3_server\.ts$/ }, (args) => {
        const rel = relative(root, resolve(args.resolveDir, args.path)).split(sep).join("/");
        const shim = MODULE_SHIMS[rel];
        return shim === undefined ? undefined : { path: join(root, shim) };
      });
      b.onResolve({ filter: /^node:/ }, (args) => {
        const shim = SHIMS[args.path];
        if (shim !== undefined) return { path: join(root, shim) };
        return { path: args.path, namespace: "node-unavailable" };
      });
      b.onLoad({ filter: /.*/, namespace: "node-unavailable" }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not available in the browser (list the test file in EXCLUDED of tools/browser_tests.mjs)`)});`,
        loader: "js",
      }));
      b.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
        const rel = relative(root, args.path).split(sep).join("/");
        if (!(rel.startsWith("test/") || rel.startsWith("bench/"))) return undefined;
        let text = await readFile(args.path, "utf8");
        text = text.replace(/import\.meta\.resolve\(\s*["']([^"']+)["']\s*\)/g, (_, spec) => JSON.stringify(`${origin}/node_modules/${spec}`));
        text = text.replace(/import\.meta\.url/g, JSON.stringify(`${origin}/${rel}`));
        return { contents: text, loader: args.path.endsWith(".ts") ? "ts" : "js" };
      });
    },
  };
}

/**
 * Bundles `files` (repository-relative) for the browser. Returns { bundles, entries, failed }:
 * server maps, and the files that could not be bundled with esbuild's messages.
 */
export async function bundleForBrowser(files, origin, extraEntries = []) {
  const options = (entryPoints) => ({
    entryPoints: entryPoints.map((f) => join(root, f)),
    bundle: true, format: "esm", platform: "browser", target: "es2022", splitting: true,
    outdir: join(root, ".browser-bundles"), outbase: root, write: false, logLevel: "silent",
    sourcemap: "inline", define: { "process.env.NODE_ENV": '"test"' }, plugins: [browserPlugin(origin)],
  });
  let good = [...files];
  const failed = [];
  let result;
  try {
    result = await build(options([...good, ...extraEntries]));
  } catch {
    // Find the files that do not bundle one by one, then build the rest together.
    good = [];
    for (const f of files) {
      try {
        await build({ ...options([f]), splitting: false, outdir: undefined, outfile: join(root, ".browser-bundles", "probe.js") });
        good.push(f);
      } catch (error) {
        failed.push({ file: f, error: (error.errors ?? []).map((e) => `${e.location?.file ?? ""}:${e.location?.line ?? ""} ${e.text}`).join("\n") || String(error) });
      }
    }
    result = await build(options([...good, ...extraEntries]));
  }
  const bundles = new Map(), entries = new Map();
  const outdir = join(root, ".browser-bundles");
  for (const out of result.outputFiles) bundles.set(`/__bundles/${relative(outdir, out.path).split(sep).join("/")}`, out.contents);
  for (const f of [...good, ...extraEntries]) entries.set(`/${f}`, `/__bundles/${f.replace(/\.(ts|mjs)$/, ".js")}`);
  return { bundles, entries, good, failed };
}

/** Launches Debian's chromium with the verified flags (a fresh temp profile). */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** All test files under test/ (sorted), like run_tests.mjs finds them, including test/browser. */
export async function findAllTests(dir = join(root, "test")) {
  const out = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (d.name === "fixtures" || d.name === "node_modules") continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...await findAllTests(p));
    else if (d.name.endsWith("_test.ts")) out.push(relative(root, p).split(sep).join("/"));
  }
  return out.sort();
}

const FILE_TIMEOUT_MS = 15 * 60_000;

/**
 * Runs test files in Chromium; prints one line per file (details of failures) and
 * `chromium: N passed, N failed`. Returns { passed, failed, skipped }.
 */
export async function runChromium(requested, log = (line) => console.log(line)) {
  const started = Date.now();
  const files = [];
  for (const f of requested) {
    if (EXCLUDED[f] !== undefined) log(`chromium: excluded ${f} (${EXCLUDED[f]})`);
    else files.push(f);
  }
  let passed = 0, failed = 0, skipped = 0;
  const server = await startServer();
  let browser = null;
  try {
    const t0 = Date.now();
    const workers = [];
    for (const w of WORKER_ENTRIES) if (await stat(join(root, w)).catch(() => null)) workers.push(w);
    const { bundles, entries, good, failed: unbundled } = await bundleForBrowser(files, server.origin, workers);
    server.setBundles(bundles, entries);
    log(`chromium: bundled ${good.length} test files in ${Date.now() - t0} ms`);
    for (const u of unbundled) {
      failed++;
      log(`chromium: not ok ${u.file}: does not bundle for the browser\n${indent(u.error)}`);
    }
    browser = await launchChromium();
    const context = await browser.newContext();
    for (const file of good) {
      const page = await context.newPage();
      const pageErrors = [], consoleLines = [];
      page.on("pageerror", (error) => pageErrors.push(String(error?.stack ?? error)));
      page.on("console", (m) => { if (consoleLines.length < 200) consoleLines.push(`[${m.type()}] ${m.text()}`); });
      const t1 = Date.now();
      let outcome;
      try {
        await page.goto(`${server.origin}/__run.html?entry=${encodeURIComponent(entries.get(`/${file}`))}`);
        outcome = await page.evaluate((ms) => Promise.race([
          window.__lakestateDone,
          new Promise((ok) => setTimeout(() => ok({ loadError: `file did not finish within ${ms} ms` }), ms)),
        ]), FILE_TIMEOUT_MS);
      } catch (error) {
        outcome = { loadError: `page failed: ${String(error?.message ?? error)}` };
      }
      await page.close().catch(() => undefined);
      const results = outcome.results ?? [];
      const fileFailures = results.filter((r) => r.status === "fail");
      const p = results.filter((r) => r.status === "pass").length, s = results.filter((r) => r.status === "skip").length;
      let f = fileFailures.length + (outcome.loadError ? 1 : 0) + pageErrors.length;
      passed += p; skipped += s; failed += f;
      const ms = Date.now() - t1;
      if (f === 0) {
        log(`chromium: ok ${file} (${p} passed${s ? `, ${s} skipped` : ""}, ${ms} ms)`);
      } else {
        log(`chromium: not ok ${file} (${p} passed, ${f} failed, ${ms} ms)`);
        if (outcome.loadError) log(indent(`load error: ${outcome.loadError}`));
        for (const r of fileFailures) log(indent(`FAIL ${r.name}\n${indent(r.error)}`));
        for (const e of pageErrors) log(indent(`uncaught page error: ${e}`));
        if (consoleLines.length) log(indent(`console:\n${indent(consoleLines.slice(-40).join("\n"))}`));
      }
    }
    await context.close();
    const exported = await checkExportsInNode(server.exportDir, log);
    passed += exported.passed;
    failed += exported.failed;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
  }
  log(`chromium: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { passed, failed, skipped };
}

/**
 * Reads every table the browser tests exported (`PUT /__export/<name>/...` with an
 * `expected.json` of { table, columns, rows }) with the Node entry (lakestate/node, through tsx)
 * and compares its rows: "a table written in the browser and exported reads identically in
 * Node". Each export counts as one test.
 */
async function checkExportsInNode(exportDir, log) {
  const names = (await readdir(exportDir).catch(() => [])).sort();
  let passed = 0, failed = 0;
  if (names.length === 0) return { passed, failed };
  const { register } = await import("tsx/esm/api");
  const unregister = register();
  try {
    const { openTable } = await import("../src/node.ts");
    for (const name of names) {
      try {
        const expected = JSON.parse(await readFile(join(exportDir, name, "expected.json"), "utf8"));
        const table = await openTable(join(exportDir, name, "files", expected.table));
        const rows = (await table.read()).toArray().map((r) => expected.columns.map((c) => String(r[c])).join("|")).sort();
        if (JSON.stringify(rows) !== JSON.stringify(expected.rows)) throw new Error(`rows differ:\n  node:    ${JSON.stringify(rows)}\n  browser: ${JSON.stringify(expected.rows)}`);
        passed++;
        log(`chromium: ok export ${name} reads identically in Node (${rows.length} rows)`);
      } catch (error) {
        failed++;
        log(`chromium: not ok export ${name} read in Node\n${indent(String(error?.stack ?? error))}`);
      }
    }
  } finally {
    await unregister?.();
  }
  return { passed, failed };
}

function indent(text) {
  return String(text).split("\n").map((l) => `    ${l}`).join("\n");
}
