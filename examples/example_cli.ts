/**
 * What the runnable examples share: their command-line parsing (`--name value` or
 * `--name=value` flags, integers with a minimum), the usage error (exit code 2), the seeded
 * generator their data comes from, and the runtime entry guard that runs `main` when the file is
 * the program (Node or Deno) and not when a test imports it.
 *
 * Invariants: nothing here imports lakestate, so the examples' brute-force models stay
 * independent of what they check.
 * Imports: node:path, node:process, node:url (both runtimes provide them).
 */
import { resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

/** A command-line mistake (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The flag values of `args` (`--name value` or `--name=value`, names from `names`); null for
 * `--help`/`-h`. Throws UsageError for an unknown argument or a flag without a value.
 */
export function parseFlags(args: readonly string[], names: readonly string[]): Record<string, string> | null {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return null;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m === null || !names.includes(m[1]!)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    values[m[1]!] = value;
  }
  return values;
}

/** Flag `name` of `values` as an integer >= `min`, `fallback` when absent; else UsageError. */
export function intFlag(values: Readonly<Record<string, string>>, name: string, fallback: number, min: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} expects an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1) (same sequence in every runtime). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `main` with the command-line arguments when the module of `meta` is the program (Deno's
 * `import.meta.main`, or Node's script path): exit code 0 when it reports ok, 1 when not, 2 with
 * `usage` for a UsageError.
 */
export async function runIfEntry(meta: ImportMeta, name: string, usage: string, main: (args: string[]) => Promise<{ readonly ok: boolean }>): Promise<void> {
  const denoMain = (meta as ImportMeta & { main?: boolean }).main;
  const script = process.argv[1];
  const entry = typeof denoMain === "boolean" ? denoMain : script !== undefined && meta.url === pathToFileURL(resolve(script)).href;
  if (!entry) return;
  const argv = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
  try {
    process.exitCode = (await main(argv)).ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${name}: ${error.message}\n${usage}`);
    process.exitCode = 2;
  }
}
