// Goal: the architecture rules of docs/style.md hold for every file in src/: imports point only to
// the same or a lower layer, spec and kernel ignore each other, format never imports io, io uses
// only L0, and runtime globals appear only in store adapters, runtime entries and the CLI.
// Method: read every src file, extract its import specifiers and scan for global names.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, dirname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, test } from "../harness.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const srcDir = join(root, "src");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Layer of a path relative to src/ (forward slashes). */
function layerOf(rel: string): number {
  const top = rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : rel;
  const layers: Record<string, number> = {
    util: 0, "errors.ts": 0, "constants.ts": 0,
    spec: 1, kernel: 1,
    format: 2, io: 2,
    lsm: 3, table: 4, stream: 5, lookup: 6,
    api: 7, cli: 7, "mod.ts": 7, "node.ts": 7, "node_zstd.ts": 7, "deno.ts": 7, "browser.ts": 7, "worker.ts": 7, worker: 7,
  };
  const layer = layers[top];
  if (layer === undefined) throw new Error(`layering: ${rel} is in no known layer; add it to the table in this test`);
  return layer;
}

const files = walk(srcDir).map((p) => relative(srcDir, p).split("\\").join("/"));
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

test("every src file belongs to a layer", () => {
  for (const f of files) layerOf(f);
});

test("imports point to the same or a lower layer, with the sibling rules", () => {
  const problems: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(srcDir, f), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4]!;
      if (!spec.startsWith(".")) continue;
      const target = normalize(join(dirname(f), spec)).split("\\").join("/");
      if (target.startsWith("..")) { problems.push(`${f} imports outside src: ${spec}`); continue; }
      const from = layerOf(f), to = layerOf(target);
      if (to > from) problems.push(`${f} (L${from}) imports ${target} (L${to})`);
      const top = (p: string) => p.split("/")[0];
      if ((top(f) === "spec" && top(target) === "kernel") || (top(f) === "kernel" && top(target) === "spec")) problems.push(`${f} imports ${target}: spec and kernel must not know each other`);
      if (top(f) === "format" && top(target) === "io") problems.push(`${f} imports ${target}: format never imports io`);
      if (top(f) === "io" && to !== 0 && top(target) !== "io") problems.push(`${f} imports ${target}: io depends on L0 only`);
    }
  }
  assert.deepEqual(problems, []);
});

const GLOBALS_ALLOWED = /^(io\/fs_node_store\.ts|io\/fs_deno_store\.ts|io\/indexeddb_store\.ts|node\.ts|node_zstd\.ts|deno\.ts|browser\.ts|worker\.ts|cli\/)/;
const GLOBAL_USE = /\bprocess\.|\bDeno\.|\bindexedDB\b|\bBuffer\.|(?<![#.\w])require\(|^\s*import\s+(?!type\b)[^;]*from\s+["']node:/m;

test("runtime globals appear only in store adapters, runtime entries and the CLI", () => {
  const offenders = files.filter((f) => !GLOBALS_ALLOWED.test(f)).filter((f) => {
    const code = readFileSync(join(srcDir, f), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    return GLOBAL_USE.test(code);
  });
  assert.deepEqual(offenders, []);
});

test("every src file opens with a header comment", () => {
  const missing = files.filter((f) => !readFileSync(join(srcDir, f), "utf8").trimStart().startsWith("/*") && !readFileSync(join(srcDir, f), "utf8").startsWith("//"));
  assert.deepEqual(missing, []);
});
