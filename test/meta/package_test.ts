// Goal: the package stays as documented: only the announced runtime dependencies, each named in
// the README with its reason; exports and bin point at files that exist; deno.json maps every
// runtime dependency to the same pinned npm version; TypeScript stays erasable and strict.
// Method: read package.json, deno.json, tsconfig.json and README.md and compare.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { assert, test } from "../harness.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8"));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The announced runtime dependencies. Adding one means adding it here and to the README. */
const ALLOWED_DEPENDENCIES = [
  "@foxglove/wasm-zstd", "@hpcc-js/wasm-zstd", "apache-arrow", "aws4fetch", "comlink", "fzstd", "hyparquet", "idb-keyval", "parquet-wasm", "tsx",
];

test("runtime dependencies are exactly the announced set, pinned", () => {
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), [...ALLOWED_DEPENDENCIES].sort());
  for (const [name, version] of Object.entries(pkg.dependencies)) {
    assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name} must be pinned to an exact version`);
  }
});

test("every runtime dependency is named in the README with a reason", () => {
  for (const name of ALLOWED_DEPENDENCIES) assert.ok(readme.includes("`" + name + "`"), `README must name ${name}`);
});

test("deno.json imports pin the same versions as package.json", () => {
  for (const [name, version] of Object.entries(pkg.dependencies)) {
    if (name === "tsx") continue; // Node-only loader for the CLI; Deno runs TypeScript itself.
    assert.equal(deno.imports[name], `npm:${name}@${version}`, `deno.json imports ${name}`);
  }
});

test("package exports, deno exports and bin point to files that exist", () => {
  assert.equal(pkg.name, "lakestate");
  assert.equal(pkg.type, "module");
  for (const target of Object.values(pkg.exports)) assert.ok(existsSync(join(root, String(target))), String(target));
  for (const target of Object.values(deno.exports)) assert.ok(existsSync(join(root, String(target))), String(target));
  assert.ok(existsSync(join(root, pkg.bin.lakestate)));
  for (const entry of [".", "./node", "./deno"]) assert.ok(entry in pkg.exports, `exports ${entry}`);
});

test("tsconfig is strict and erasable; CLI version equals package version", async () => {
  assert.equal(tsconfig.compilerOptions.strict, true);
  assert.equal(tsconfig.compilerOptions.erasableSyntaxOnly, true);
  const { CLI_VERSION } = await import("../../src/cli/main.ts");
  assert.equal(CLI_VERSION, pkg.version);
});
