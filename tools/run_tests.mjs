// Runs the test suite in Node (node:test through tsx), Deno and/or headless Chromium
// (tools/browser_tests.mjs), streams their output, and prints one closing line
// `N passed, N failed` over all runtimes. Exit code 1 on any failure.
// Usage: node tools/run_tests.mjs [node|deno|chromium|all] [files...]
// `all` runs Node, then Deno, then Chromium. Files under test/browser/ are Chromium-only (Web
// Workers, IndexedDB) and are left out of the Node and Deno runs; files Chromium cannot run are
// listed with their reason in EXCLUDED of tools/browser_tests.mjs.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const which = process.argv[2] ?? "all";
const explicit = process.argv.slice(3);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "fixtures" || name === "node_modules") continue;
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith("_test.ts")) out.push(p);
  }
  return out.sort();
}

const files = (explicit.length ? explicit : findTests(join(root, "test"))).map((f) => relative(root, f));
const BROWSER_ONLY = /^test[\\/]browser[\\/]/;
const serverFiles = files.filter((f) => !BROWSER_ONLY.test(f));

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d) => { text += d; process.stdout.write(d); });
    child.stderr.on("data", (d) => { text += d; process.stderr.write(d); });
    child.on("close", (code) => resolve({ code, text }));
  });
}

let passed = 0, failed = 0, badExit = false;

if ((which === "node" || which === "all") && serverFiles.length > 0) {
  const r = await run(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", ...serverFiles], {});
  const p = /^# pass (\d+)/m.exec(r.text), f = /^# fail (\d+)/m.exec(r.text);
  passed += p ? Number(p[1]) : 0;
  failed += f ? Number(f[1]) : 0;
  if (r.code !== 0) badExit = true;
  if (!p) { failed += 1; console.error("run_tests: node produced no summary"); }
  console.log(`node: ${p?.[1] ?? 0} passed, ${f?.[1] ?? "?"} failed`);
}

if ((which === "deno" || which === "all") && serverFiles.length > 0) {
  const deno = join(root, "node_modules", ".bin", "deno");
  const r = await run(deno, ["test", "-A", "--quiet", ...serverFiles], { DENO_DIR: join(root, ".deno-dir"), NO_COLOR: "1" });
  const m = /(\d+) passed[^|\n]*\|\s*(\d+) failed/.exec(r.text);
  passed += m ? Number(m[1]) : 0;
  failed += m ? Number(m[2]) : 0;
  if (r.code !== 0) badExit = true;
  if (!m) { failed += 1; console.error("run_tests: deno produced no summary"); }
  console.log(`deno: ${m?.[1] ?? 0} passed, ${m?.[2] ?? "?"} failed`);
}

if (which === "chromium" || which === "all") {
  const { runChromium } = await import("./browser_tests.mjs");
  try {
    const r = await runChromium(files.map((f) => f.split("\\").join("/")));
    passed += r.passed;
    failed += r.failed;
    console.log(`chromium: ${r.passed} passed, ${r.failed} failed${r.skipped ? ` (${r.skipped} skipped)` : ""}`);
  } catch (error) {
    failed += 1;
    badExit = true;
    console.error(`run_tests: chromium run failed: ${error?.stack ?? error}`);
    console.log("chromium: 0 passed, ? failed");
  }
}

if (!["node", "deno", "chromium", "all"].includes(which)) {
  console.error(`run_tests: unknown target ${JSON.stringify(which)} (node, deno, chromium or all)`);
  badExit = true;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(badExit || failed > 0 ? 1 : 0);
