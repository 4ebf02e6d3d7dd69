// Shared set-up of the interop tests (not a test file): temp directories holding real tables on
// disk, a filesystem ObjectStore over them, the python3-avro dumper run as a subprocess, DuckDB
// connections, and the JSON-exact value form both sides of a comparison are reduced to.
// Method: plain helpers over node:* APIs, which Node and Deno both provide; nothing here asserts
// table contents.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { NodeFsStore } from "../../src/io/fs_node_store.ts";
import { toHex } from "../../src/util/bytes.ts";

/** /usr/bin/python3, as Debian installs it (python3-avro lives there). */
export const PYTHON = "/usr/bin/python3";
const AVRO_DUMP = fileURLToPath(new URL("./avro_dump.py", import.meta.url));

/** A fresh temp directory and its remover. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `lakestate-interop-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An ObjectStore over `dir` (no fsync: temp data). */
export function dirStore(dir: string): NodeFsStore {
  return new NodeFsStore(dir, { syncWrites: false });
}

/** Every file under `dir`, as sorted '/'-separated paths relative to it. */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  }
  await walk(dir);
  return out.sort();
}

function run(cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error !== null && typeof (error as { code?: unknown }).code !== "number") reject(error);
      else resolve({ stdout, stderr, code: error === null ? 0 : Number((error as { code: number }).code) });
    });
  });
}

/** JSON-exact value (see avro_dump.py): bytes as {$bytes}, unsafe integers as {$long}. */
export type ExactJson = null | boolean | number | string | ExactJson[] | { [key: string]: ExactJson };

/** One Avro file as python3-avro read it. */
export interface PythonAvroFile {
  readonly path: string;
  readonly codec: string;
  /** `avro.schema` metadata as written. */
  readonly schemaText: string;
  readonly schema: ExactJson;
  readonly records: { [field: string]: ExactJson }[];
}

/**
 * Reads `paths` with python3-avro (`avro.datafile.DataFileReader`) in one subprocess. Fails with
 * the interpreter's message when python3, python3-avro or python3-zstandard is missing (.ci/run
 * installs them) or when python-avro cannot read a file.
 */
export async function readWithPythonAvro(paths: readonly string[]): Promise<PythonAvroFile[]> {
  const r = await run(PYTHON, [AVRO_DUMP, ...paths]);
  if (r.code !== 0) {
    throw new Error(`python3-avro could not read the files (exit ${r.code}; needs Debian python3-avro and python3-zstandard, see .ci/run): ${r.stderr.trim()}`);
  }
  return JSON.parse(r.stdout) as PythonAvroFile[];
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A lakestate-side value in the JSON-exact form avro_dump.py prints: Uint8Array -> {$bytes},
 * bigint/number -> number when safe else {$long}, Map -> object, records keep key order.
 */
export function exactJson(value: unknown): ExactJson {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isSafeInteger(value) || !Number.isInteger(value) ? value : { $long: BigInt(value).toString() };
  if (typeof value === "bigint") return value >= -SAFE && value <= SAFE ? Number(value) : { $long: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: toHex(value) };
  if (Array.isArray(value)) return value.map(exactJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), exactJson(v)]));
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactJson(v)]));
  throw new Error(`exactJson: no form for ${typeof value}`);
}

/** DuckDB (Node-API addon; loads under Node and Deno). One in-memory instance per call. */
export async function withDuckDb<T>(body: (sql: (text: string) => Promise<{ columns: string[]; rows: unknown[][] }>) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn = await instance.connect();
  try {
    return await body(async (text) => {
      const reader = await conn.runAndReadAll(text);
      return { columns: reader.columnNames(), rows: reader.getRowsJS() as unknown[][] };
    });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
