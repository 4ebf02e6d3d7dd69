// Test helpers for the CLI (not a test file): run `lakestate` in-process with a capturing host,
// and copy a fixture table into a MemoryStore so tests can damage it without touching the disk.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runCli, type CliHost } from "../../../src/cli/main.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";

/** Absolute path of the Java-written fixture tables, with a trailing slash. */
export const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** How many times the host's stdout was called. */
  readonly writes: number;
}

/** Runs the CLI with `args`; tables open from disk unless `openStore` says otherwise. */
export async function runLakestate(args: string[], options: { openStore?: (root: string) => ObjectStore; debug?: boolean; readFile?: (path: string) => Promise<Uint8Array> } = {}): Promise<CliRun> {
  let out = "", err = "", writes = 0;
  const host: CliHost = {
    openStore: options.openStore ?? ((root) => new NodeFsStore(root)),
    stdout: (t) => { out += t; writes++; },
    stderr: (t) => { err += t; },
    cwd: ".",
    debug: options.debug ?? false,
    readFile: options.readFile ?? (async (path) => new Uint8Array(await readFile(path))),
  };
  const code = await runCli(args, host);
  return { code, out, err, writes };
}

/** NDJSON output as parsed objects (one per line). */
export function ndjsonRows(out: string): Record<string, unknown>[] {
  return out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Paths (relative to the table) of every file of the fixture table `relDir` (e.g. "pk_09.db/pk_09"). */
export async function fixtureTableFiles(relDir: string): Promise<string[]> {
  const entries = await readdir(TABLES + relDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => {
    const parent = (e as unknown as { parentPath?: string; path?: string }).parentPath ?? (e as unknown as { path: string }).path;
    return `${parent}/${e.name}`.slice((TABLES + relDir).length + 1);
  }).sort();
}

/** A MemoryStore holding a copy of the fixture table `relDir`. */
export async function copyFixtureTable(relDir: string): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const path of await fixtureTableFiles(relDir)) {
    const buf = await readFile(`${TABLES}${relDir}/${path}`);
    await store.put(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  }
  return store;
}
