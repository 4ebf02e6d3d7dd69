/**
 * Key-value store peers of the ingest benchmark (docs/performance.md §8 W1): the same narrow rows
 * lakestate ingests (int64 key drawn from a key space, int64 sequence number, 2 doubles) put into
 * classic-level (LevelDB) and lmdb, each in a fresh temp directory, timed in the same process.
 *
 * Fairness (docs/performance.md §9 "Peer fairness"): each store is driven through the API its
 * authors recommend for bulk writes, with its own default durability.
 *  - classic-level: `db.batch(ops)` (array form) of `CLASSIC_LEVEL_BATCH_ROWS` (10 000) puts per
 *    batch, awaited one after another (one native write per batch; LevelDB's default
 *    `sync: false`, so the write-ahead log is not fsynced per batch, as LevelDB's own
 *    fillrandom benchmark runs). Upserts of a key seen before simply overwrite it.
 *  - lmdb: `db.put(key, value)` per row without awaiting each one; lmdb-js groups all puts
 *    issued in the same event-loop turn into one write transaction (its "async batching"). Puts
 *    are issued in windows of `LMDB_WINDOW_ROWS` (100 000) rows, awaiting the previous window's
 *    last promise, so pending promises stay bounded; lmdb defaults (overlapping sync on Linux).
 * Keys are 8-byte big-endian with the sign bit flipped (byte order == numeric order, as both
 * stores sort keys by bytes); values are 24 bytes: seq (int64 BE) and the two doubles. Encoding
 * the rows into bytes is inside the timed region, as a lakestate ingest encodes its rows too.
 * `elapsedMs` runs from the first put until every put has been acknowledged (batch promise or
 * put promise resolved, i.e. committed and visible); closing (which flushes) is timed apart.
 *
 * Usage from another benchmark: `const rows = narrowRows(1_000_000, 1_000_000, 7)`, then
 * `await classicLevelPuts(rows)` / `await lmdbPuts(rows)`; or run this file:
 * `node --import tsx bench/peers/kv_peers.ts [rows] [keySpace]` prints one JSON line per peer.
 * A peer whose native module cannot load (Deno without Node-API, an unsupported platform)
 * throws PeerUnavailableError with the reason; `peerAvailability()` tells beforehand.
 *
 * Imports: node:fs/promises, node:os, node:path, node:url, classic-level and lmdb (dynamic, dev
 * dependencies), ../data.ts. Bench code: Node only by design (not part of src/).
 */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { rng } from "../data.ts";

/** Rows per classic-level `batch()` call. */
export const CLASSIC_LEVEL_BATCH_ROWS = 10_000;
/** Rows of lmdb puts issued before awaiting the previous window's last put. */
export const LMDB_WINDOW_ROWS = 100_000;
/** Bytes of one encoded key (int64 BE, sign flipped). */
export const KEY_BYTES = 8;
/** Bytes of one encoded value (seq int64 BE, two float64 BE). */
export const VALUE_BYTES = 24;

/** The narrow ingest rows, columnar: row i is (keys[i], seqs[i], a[i], b[i]). */
export interface NarrowRows {
  readonly keys: BigInt64Array;
  readonly seqs: BigInt64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
}

/** What one peer run measured. */
export interface PeerResult {
  readonly peer: "classic-level" | "lmdb";
  readonly rows: number;
  /** Wall time from the first put until every put was acknowledged, ms. */
  readonly elapsedMs: number;
  readonly rowsPerSec: number;
  /** Time to close the store afterwards (flushes), ms; not in `elapsedMs`. */
  readonly closeMs: number;
  /** Bytes under the store's directory after closing. */
  readonly diskBytes: number;
  /** How the peer was driven, e.g. "batch() of 10000 puts". */
  readonly method: string;
  /** Distinct keys read back after closing (only when `verify`), else null. */
  readonly distinctKeys: number | null;
}

/** Options of a peer run. */
export interface PeerRunOptions {
  /** Parent of the store's temp directory (default os.tmpdir()); the directory is removed after. */
  readonly parentDir?: string;
  /** Re-open the store after closing and count its keys (untimed); default false. */
  readonly verify?: boolean;
}

/** The native module of a peer could not be loaded here. */
export class PeerUnavailableError extends Error {
  override readonly name = "PeerUnavailableError";
}

/**
 * `n` seeded rows with keys uniform over [0, keySpace) (so about n/keySpace updates per key),
 * sequence numbers 0..n-1 and two doubles. Requires: n >= 0, 1 <= keySpace <= 2^32.
 */
export function narrowRows(n: number, keySpace: number, seed: number): NarrowRows {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`kv_peers: row count ${n}, expected an integer >= 0`);
  if (!Number.isInteger(keySpace) || keySpace < 1 || keySpace > 2 ** 32) throw new RangeError(`kv_peers: key space ${keySpace}, expected 1..2^32`);
  const next = rng(seed);
  const keys = new BigInt64Array(n), seqs = new BigInt64Array(n), a = new Float64Array(n), b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = BigInt(next() % keySpace);
    seqs[i] = BigInt(i);
    a[i] = next() / 2 ** 32;
    b[i] = (next() - 2 ** 31) * 0.5;
  }
  return { keys, seqs, a, b };
}

/** Encodes rows [from, to) into one buffer: keys first (8 B each), then values (24 B each). */
function encodeChunk(rows: NarrowRows, from: number, to: number): { keyAt: (i: number) => Uint8Array; valueAt: (i: number) => Uint8Array } {
  const n = to - from;
  const buf = new Uint8Array(n * (KEY_BYTES + VALUE_BYTES));
  const view = new DataView(buf.buffer);
  const valueBase = n * KEY_BYTES;
  for (let j = 0; j < n; j++) {
    const i = from + j;
    view.setBigUint64(j * KEY_BYTES, BigInt.asUintN(64, rows.keys[i]!) ^ 0x8000000000000000n);
    const v = valueBase + j * VALUE_BYTES;
    view.setBigInt64(v, rows.seqs[i]!);
    view.setFloat64(v + 8, rows.a[i]!);
    view.setFloat64(v + 16, rows.b[i]!);
  }
  return {
    keyAt: (j) => buf.subarray(j * KEY_BYTES, (j + 1) * KEY_BYTES),
    valueAt: (j) => buf.subarray(valueBase + j * VALUE_BYTES, valueBase + (j + 1) * VALUE_BYTES),
  };
}

async function dirBytes(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const name of await readdir(path)) total += await dirBytes(join(path, name));
  return total;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

type ClassicLevelModule = typeof import("classic-level");
type LmdbModule = typeof import("lmdb");

async function loadClassicLevel(): Promise<ClassicLevelModule> {
  try {
    return await import("classic-level");
  } catch (error) {
    throw new PeerUnavailableError(`classic-level: native module did not load: ${message(error)}`, { cause: error });
  }
}

async function loadLmdb(): Promise<LmdbModule> {
  try {
    return await import("lmdb");
  } catch (error) {
    throw new PeerUnavailableError(`lmdb: native module did not load: ${message(error)}`, { cause: error });
  }
}

/**
 * For each peer, null when its native module loads and can open a store here, else the reason.
 * Opens (and removes) a tiny store per peer in a temp directory.
 */
export async function peerAvailability(): Promise<Record<PeerResult["peer"], string | null>> {
  const tiny = narrowRows(10, 10, 1);
  const out: Record<PeerResult["peer"], string | null> = { "classic-level": null, lmdb: null };
  for (const [peer, run] of [["classic-level", classicLevelPuts], ["lmdb", lmdbPuts]] as const) {
    try {
      await run(tiny);
    } catch (error) {
      out[peer] = message(error);
    }
  }
  return out;
}

async function withTempDir<T>(prefix: string, options: PeerRunOptions, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Puts every row into a fresh classic-level store with `batch()` calls of CLASSIC_LEVEL_BATCH_ROWS puts. */
export async function classicLevelPuts(rows: NarrowRows, options: PeerRunOptions = {}): Promise<PeerResult> {
  const { ClassicLevel } = await loadClassicLevel();
  return withTempDir("lakestate-peer-level-", options, async (dir) => {
    const location = join(dir, "db");
    const db = new ClassicLevel<Uint8Array, Uint8Array>(location, { keyEncoding: "view", valueEncoding: "view" });
    try {
      await db.open();
    } catch (error) {
      throw new PeerUnavailableError(`classic-level: cannot open a store: ${message(error)}`, { cause: error });
    }
    const n = rows.keys.length;
    const start = performance.now();
    for (let from = 0; from < n; from += CLASSIC_LEVEL_BATCH_ROWS) {
      const to = Math.min(n, from + CLASSIC_LEVEL_BATCH_ROWS);
      const chunk = encodeChunk(rows, from, to);
      const ops = new Array<{ type: "put"; key: Uint8Array; value: Uint8Array }>(to - from);
      for (let j = 0; j < to - from; j++) ops[j] = { type: "put", key: chunk.keyAt(j), value: chunk.valueAt(j) };
      await db.batch(ops);
    }
    const elapsedMs = performance.now() - start;
    const closeStart = performance.now();
    await db.close();
    const closeMs = performance.now() - closeStart;
    const diskBytes = await dirBytes(location);
    let distinctKeys: number | null = null;
    if (options.verify === true) {
      const again = new ClassicLevel<Uint8Array, Uint8Array>(location, { keyEncoding: "view", valueEncoding: "view" });
      await again.open();
      distinctKeys = (await again.keys().all()).length;
      await again.close();
    }
    return {
      peer: "classic-level", rows: n, elapsedMs, rowsPerSec: n / (elapsedMs / 1000), closeMs, diskBytes,
      method: `batch() of ${CLASSIC_LEVEL_BATCH_ROWS} puts, awaited in turn, sync: false (default)`, distinctKeys,
    };
  });
}

/** Puts every row into a fresh lmdb store with `put()` (lmdb-js batches them per event-loop turn). */
export async function lmdbPuts(rows: NarrowRows, options: PeerRunOptions = {}): Promise<PeerResult> {
  const lmdb = await loadLmdb();
  return withTempDir("lakestate-peer-lmdb-", options, async (dir) => {
    const path = join(dir, "db");
    const openStore = () => lmdb.open<Uint8Array, Uint8Array>({ path, keyEncoding: "binary", encoding: "binary", compression: false });
    let db: ReturnType<typeof openStore>;
    try {
      db = openStore();
    } catch (error) {
      throw new PeerUnavailableError(`lmdb: cannot open a store: ${message(error)}`, { cause: error });
    }
    const n = rows.keys.length;
    const start = performance.now();
    let previous: Promise<boolean> | null = null;
    for (let from = 0; from < n; from += LMDB_WINDOW_ROWS) {
      const to = Math.min(n, from + LMDB_WINDOW_ROWS);
      const chunk = encodeChunk(rows, from, to);
      let last: Promise<boolean> | null = null;
      for (let j = 0; j < to - from; j++) last = db.put(chunk.keyAt(j), chunk.valueAt(j));
      if (previous !== null) await previous;
      previous = last;
    }
    if (previous !== null) await previous;
    const elapsedMs = performance.now() - start;
    const closeStart = performance.now();
    await db.close();
    const closeMs = performance.now() - closeStart;
    const diskBytes = await dirBytes(dir);
    let distinctKeys: number | null = null;
    if (options.verify === true) {
      const again = openStore();
      distinctKeys = again.getKeysCount();
      await again.close();
    }
    return {
      peer: "lmdb", rows: n, elapsedMs, rowsPerSec: n / (elapsedMs / 1000), closeMs, diskBytes,
      method: `put() per row, windows of ${LMDB_WINDOW_ROWS} (lmdb-js async batching), default sync`, distinctKeys,
    };
  });
}

/** Distinct keys among `rows` (what a store holds after the upserts). */
export function distinctKeyCount(rows: NarrowRows): number {
  return new Set(rows.keys).size;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1_000_000), keySpace = Number(process.argv[3] ?? n);
  const rows = narrowRows(n, keySpace, 7);
  for (const run of [classicLevelPuts, lmdbPuts]) {
    try {
      console.log(JSON.stringify(await run(rows)));
    } catch (error) {
      if (!(error instanceof PeerUnavailableError)) throw error;
      console.log(JSON.stringify({ skipped: error.message }));
    }
  }
}
