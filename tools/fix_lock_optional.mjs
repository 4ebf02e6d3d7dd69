// Adds lockfile entries for platform-specific optional packages that this machine's npm
// registry does not serve (it mirrors only linux-x64 builds of, e.g., deno and duckdb), so that
// `npm ci` accepts the lock. Each added entry carries the os/cpu/libc read from the package name,
// so npm skips it on every other platform without fetching it.
// Usage: node tools/fix_lock_optional.mjs   (after any `npm install` that changes the lock)
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
let added = 0;

function platformOf(name) {
  const os = /darwin/.test(name) ? "darwin" : /win32|windows/.test(name) ? "win32" : /linux/.test(name) ? "linux" : null;
  const cpu = /arm64|aarch64/.test(name) ? "arm64" : /x64|x86_64|amd64/.test(name) ? "x64" : /-arm(-|$)/.test(name) ? "arm" : null;
  const libc = /musl/.test(name) ? "musl" : /linux/.test(name) ? "glibc" : null;
  return { os, cpu, libc };
}

for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (packages[target] !== undefined) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (os === null || cpu === null) {
      console.error(`fix_lock_optional: cannot tell the platform of ${dep} (optional dependency of ${key}); left out`);
      continue;
    }
    packages[target] = { version, cpu: [cpu], ...(entry.dev ? { dev: true } : {}), ...(libc && os === "linux" ? { libc: [libc] } : {}), optional: true, os: [os] };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, JSON.stringify(lock, null, 2) + "\n");
console.log(`fix_lock_optional: added ${added} platform entries`);
