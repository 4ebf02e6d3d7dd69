/**
 * Ingest workloads W1/W2 (docs/performance.md §8) and Paimon's own write benchmark schema: rows
 * written through the public API (`table.newWrite()`, `write(arrowTable)` per batch, one
 * `commit()`), into a fresh table directory on the local filesystem (NodeFsStore), timed from
 * the first write to the committed snapshot. Inputs are pregenerated Apache Arrow batches of
 * BATCH_ROWS rows (typed columns, like a data tool hands them over), so the rate covers
 * validation, routing, buffering, sort, merge, Parquet encoding, file writes and the commit.
 *
 *  (a) dedup: 5M upserts over 1M keys, `k BIGINT NOT NULL, seq BIGINT, a DOUBLE, b DOUBLE`,
 *      primary key k, bucket 1, deduplicate. Target >= 1.5M rows/s. Peers (bench/peers/
 *      kv_peers.ts, when present): classic-level batched puts and lmdb puts of the same kind of
 *      rows, on PEER_ROWS rows (they are too slow for 5M); ratios of rates. Target >= 5x both.
 *  (b) agg: the same rows into a table with merge-engine aggregation, `sum` on a and b; rate
 *      and ratio to (a), by wall clock and by CPU time. Target >= 0.9. (a) and (b) alternate
 *      round by round (a, b, a, b...) so both see the same machine conditions.
 *  (c) paimon-schema: `k INT NOT NULL` + 20 STRING columns of 10 random characters, primary key
 *      k (random ints, as Paimon's benchmark draws them), bucket 1. Target >= 150K rows/s
 *      (Java Paimon publishes 65–94K per writer thread).
 * Memory: the largest growth of live memory (JS heap + ArrayBuffers; wasm memories are not
 * counted there, they are in RSS) and of RSS over a run's start, sampled after every write call and at every file put (inside the
 * flushes), against `write-buffer-size` (default 256 MB); RSS growth is given for the first
 * (warm-up) run, as later runs reuse memory the process already holds.
 * The overhead stated for the Must-hold memory rule is the RSS growth above write-buffer-size;
 * parquet-wasm's memory (it grows to the largest row group written and never shrinks) is shown
 * beside it.
 * Rates are wall clock; "rows per cpu-second" divides by the process's CPU time instead.
 * `--quick` divides the sizes by 10. Rounds: 1 warm-up, then min(--rounds, 3), median reported;
 * the dedup/agg pair runs PAIR_ROUNDS rounds (when --rounds >= 3) and also reports the median of
 * its per-round ratios (each round's two runs are neighbours in time).
 * Checks: each round's committed table holds the expected distinct key count (dedup), or the
 * run throws.
 *
 * Usage: `node --import tsx bench/ingest_bench.ts [--quick] [--json] [--rounds N] [--cases a,b,c,s]`, or
 * `npm run bench -- --only ingest`.
 * Imports: node:fs/promises, node:os, node:path, node:url, apache-arrow, src (api, io, spec,
 * format), bench/harness.ts, bench/data.ts, bench/peers/kv_peers.ts (dynamic, optional).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Field, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table as ArrowTable, Utf8 } from "apache-arrow";
import { Table } from "../src/api/table.ts";
import { setFastParquetSource } from "../src/format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource } from "../src/format/data/zstd_wasm.ts";
import { useNativeZstd } from "../src/node_zstd.ts";
import { NodeFsStore } from "../src/io/fs_node_store.ts";
import { atomic, type DataField } from "../src/spec/data_types.ts";
import { createTableSchema, encodeTableSchema } from "../src/spec/schema.ts";
import { utf8Encode } from "../src/util/bytes.ts";
import { rng } from "./data.ts";
import type { BenchOptions, Measurement } from "./harness.ts";

/** Timed rounds of the dedup/agg pair, whose rates are compared (when --rounds is 3 or more). */
const PAIR_ROUNDS = 5;
/** Rows per Arrow batch handed to `write`. */
const BATCH_ROWS = 100_000;
const MB = 1024 * 1024;

interface Workload {
  readonly name: string;
  readonly rows: number;
  readonly fields: DataField[];
  readonly options: Record<string, string>;
  readonly batches: ArrowTable[];
  /** Distinct keys the table must hold after the run (null: not checked). */
  readonly distinctKeys: number | null;
}

interface RunResult {
  readonly ms: number;
  /** CPU time of the process (user + system, every thread) over the same span. */
  readonly cpuMs: number;
  /** Largest RSS growth over the run's start. */
  readonly rssGrowthBytes: number;
  /** Largest growth of JS heap + ArrayBuffers (not wasm memories) over the run's start. */
  readonly liveGrowthBytes: number;
  readonly files: number;
}

function arrowBatch(fields: readonly Field[], columns: ReturnType<typeof makeData>[], n: number): ArrowTable {
  const schema = new Schema(fields as Field[]);
  return new ArrowTable([new RecordBatch(schema, makeData({ type: new Struct(fields as Field[]), length: n, nullCount: 0, children: columns }))]);
}

/** W1/W2 rows: keys uniform over [0, keySpace), seq = row number, two doubles. */
function narrowWorkload(name: string, n: number, keySpace: number, options: Record<string, string>): Workload {
  const next = rng(42);
  const arrowFields = [new Field("k", new Int64(), false), new Field("seq", new Int64(), true), new Field("a", new Float64(), true), new Field("b", new Float64(), true)];
  const batches: ArrowTable[] = [];
  const seen = new Uint8Array(keySpace);
  let distinct = 0;
  for (let from = 0; from < n; from += BATCH_ROWS) {
    const m = Math.min(BATCH_ROWS, n - from);
    const k = new BigInt64Array(m), s = new BigInt64Array(m), a = new Float64Array(m), b = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const key = next() % keySpace;
      if (seen[key] === 0) { seen[key] = 1; distinct++; }
      k[i] = BigInt(key);
      s[i] = BigInt(from + i);
      a[i] = next() / 2 ** 32;
      b[i] = (next() - 2 ** 31) * 0.5;
    }
    batches.push(arrowBatch(arrowFields, [
      makeData({ type: new Int64(), length: m, data: k }), makeData({ type: new Int64(), length: m, data: s }),
      makeData({ type: new Float64(), length: m, data: a }), makeData({ type: new Float64(), length: m, data: b }),
    ], m));
  }
  const fields: DataField[] = [
    { id: 0, name: "k", type: atomic("BIGINT", { nullable: false }) }, { id: 1, name: "seq", type: atomic("BIGINT") },
    { id: 2, name: "a", type: atomic("DOUBLE") }, { id: 3, name: "b", type: atomic("DOUBLE") },
  ];
  return { name, rows: n, fields, options, batches, distinctKeys: distinct };
}

const ALPHABET = "0123456789abcdef";

/** Paimon's write benchmark rows: a random INT key and 20 random 10-character strings. */
function paimonWorkload(n: number, options: Record<string, string> = {}): Workload {
  const next = rng(7);
  const arrowFields = [new Field("k", new Int32(), false), ...Array.from({ length: 20 }, (_, c) => new Field(`s${c}`, new Utf8(), true))];
  const batches: ArrowTable[] = [];
  for (let from = 0; from < n; from += BATCH_ROWS) {
    const m = Math.min(BATCH_ROWS, n - from);
    const keys = new Int32Array(m);
    for (let i = 0; i < m; i++) keys[i] = next() | 0;
    const strings = Array.from({ length: 20 }, () => {
      const bytes = new Uint8Array(m * 10), offsets = new Int32Array(m + 1);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < 10; j++) bytes[i * 10 + j] = ALPHABET.charCodeAt(next() & 15);
        offsets[i + 1] = (i + 1) * 10;
      }
      return makeData({ type: new Utf8(), length: m, valueOffsets: offsets, data: bytes });
    });
    batches.push(arrowBatch(arrowFields, [makeData({ type: new Int32(), length: m, data: keys }), ...strings], m));
  }
  const fields: DataField[] = [
    { id: 0, name: "k", type: atomic("INT", { nullable: false }) },
    ...Array.from({ length: 20 }, (_, c) => ({ id: c + 1, name: `s${c}`, type: atomic("VARCHAR", { length: 2147483647 }) })),
  ];
  return { name: "paimon-schema", rows: n, fields, options, batches, distinctKeys: null };
}

/** Creates the table in a fresh directory, writes every batch, commits; returns time and memory. */
async function runOnce(w: Workload, parent: string): Promise<RunResult> {
  const dir = await mkdtemp(join(parent, `lakestate-ingest-${w.name}-`));
  try {
    const fsStore = new NodeFsStore(dir);
    // Memory is sampled after every write call and at every file put (inside flushes, where
    // the sorted output and the encoded Parquet file are alive).
    let sample = (): void => {};
    const store = new Proxy(fsStore, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== "put" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
        return (...args: unknown[]) => { sample(); return (value as (...a: unknown[]) => unknown).apply(target, args); };
      },
    });
    const schema = createTableSchema({
      fields: w.fields, primaryKeys: ["k"], partitionKeys: [], options: { bucket: "1", ...w.options }, timeMillis: 0n,
    });
    await store.put("schema/schema-0", utf8Encode(encodeTableSchema(schema)));
    const table = await Table.open(store);
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage();
    let rssGrowth = 0, liveGrowth = 0;
    sample = () => {
      const m = process.memoryUsage();
      rssGrowth = Math.max(rssGrowth, m.rss - base.rss);
      liveGrowth = Math.max(liveGrowth, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const writer = table.newWrite();
    for (const batch of w.batches) {
      await writer.write(batch);
      sample();
    }
    await writer.commit();
    sample();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await writer.close();
    const files = (await table.files()).length;
    if (w.distinctKeys !== null) {
      const rows = (await (await Table.open(store)).read({ columns: ["k"] })).numRows;
      if (rows !== w.distinctKeys) throw new Error(`ingest bench: ${w.name} holds ${rows} keys, expected ${w.distinctKeys}`);
    }
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, rssGrowthBytes: rssGrowth, liveGrowthBytes: liveGrowth, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function measure(w: Workload, rounds: number, parent: string): Promise<Measured> {
  return (await measureInterleaved([w], rounds, parent))[0]!;
}

interface Measured {
  readonly rate: number;
  readonly cpuRate: number;
  readonly runs: RunResult[];
}

/**
 * Measures workloads whose rates are compared with each other: one warm-up run each, then
 * `rounds` rounds that run every workload once in turn, so that each sees the same machine
 * conditions (a shared machine's load changes over a minute); median of the timed runs.
 */
async function measureInterleaved(ws: readonly Workload[], rounds: number, parent: string): Promise<Measured[]> {
  const runs: RunResult[][] = [];
  for (const w of ws) runs.push([await runOnce(w, parent)]); // warm-up: memory counted, time not
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < ws.length; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      runs[i]!.push(await runOnce(ws[i]!, parent));
    }
  }
  return ws.map((w, i) => {
    const timed = runs[i]!.slice(1);
    return {
      rate: Math.round(w.rows / (median(timed.map((x) => x.ms)) / 1000)),
      cpuRate: Math.round(w.rows / (median(timed.map((x) => x.cpuMs)) / 1000)),
      runs: runs[i]!,
    };
  });
}

/** Peer rates (rows/s) from bench/peers/kv_peers.ts, or the reason they are missing. */
async function peerRates(rows: number, keySpace: number): Promise<{ rates: Record<string, number>; note: string | null }> {
  let peers: typeof import("./peers/kv_peers.ts");
  try {
    peers = await import("./peers/kv_peers.ts");
  } catch (error) {
    // Hook: bench/peers/kv_peers.ts (INTEROP helper) provides classic-level and lmdb runs.
    return { rates: {}, note: `peers unavailable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const data = peers.narrowRows(rows, keySpace, 42);
  const rates: Record<string, number> = {};
  const notes: string[] = [];
  for (const run of [peers.classicLevelPuts, peers.lmdbPuts]) {
    try {
      const result = await run(data);
      rates[result.peer] = Math.round(result.rowsPerSec);
    } catch (error) {
      notes.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { rates, note: notes.length === 0 ? null : notes.join("; ") };
}

let wasmMemoryBytes = (): number => 0;

/**
 * The scale entries of a measurement: rows per CPU second (the process's user + system time,
 * a steadier figure than the wall-clock rate on a machine shared with other load), then memory
 * against `write-buffer-size`: peak growth of live memory and of RSS, and the overhead, RSS
 * growth above write-buffer-size (negative when the run never fills the buffer).
 */
function memoryScale(runs: readonly RunResult[], bufferBytes: number, cpuRate: number): Record<string, number | string> {
  const rss = runs[0]!.rssGrowthBytes;
  return {
    "rows per cpu-second": cpuRate,
    "write-buffer-size MB": bufferBytes / MB,
    "peak live growth MB": Math.round(Math.max(...runs.map((r) => r.liveGrowthBytes)) / MB),
    "peak rss growth MB (first run)": Math.round(rss / MB),
    "overhead over write-buffer-size MB": Math.round((rss - bufferBytes) / MB),
    "parquet-wasm memory MB (never shrinks)": Math.round(wasmMemoryBytes() / MB),
    files: runs[0]!.files,
  };
}

/** Workload letters `ingestBench` runs: a (dedup), b (agg), c (Paimon schema, zstd), s (the same, snappy). */
export type IngestCase = "a" | "b" | "c" | "s";

/**
 * Runs the ingest workloads (`cases`, default all; b needs a's rate for its ratio and s needs c's,
 * so they run a and c too); returns one measurement each.
 */
export async function ingestBench(options: BenchOptions, cases: readonly IngestCase[] = ["a", "b", "c", "s"]): Promise<Measurement[]> {
  setFastParquetSource(new Uint8Array(await readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")))));
  // As lakestate/node does: ZSTD pages through libzstd wasm, decoded by native libzstd when zstd-napi loads.
  setZstdWasmSource(new Uint8Array(await readFile(fileURLToPath(import.meta.resolve("@foxglove/wasm-zstd/dist/wasm-zstd.wasm")))));
  useNativeZstd();
  const parquetWasm = await import("parquet-wasm/esm");
  wasmMemoryBytes = () => { try { return parquetWasm.wasmMemory().buffer.byteLength; } catch { return 0; } };
  const scale = options.quick ? 10 : 1;
  const rounds = Math.min(options.rounds, 3);
  const parent = tmpdir();
  const n = 5_000_000 / scale, keySpace = 1_000_000 / scale;
  const out: Measurement[] = [];

  const want = new Set<IngestCase>(cases);
  if (want.has("b")) want.add("a");
  if (want.has("s")) want.add("c");
  if (want.has("a")) await narrowCases(want, n, keySpace, scale, rounds, parent, out);
  if (want.has("c")) await paimonCases(want, scale, rounds, parent, out);
  return out;
}

async function narrowCases(want: ReadonlySet<IngestCase>, n: number, keySpace: number, scale: number, rounds: number, parent: string, out: Measurement[]): Promise<void> {
  const dedup = narrowWorkload("dedup", n, keySpace, {});
  // The same rows into an aggregation table; its rate is compared with dedup's, so the two
  // alternate round by round.
  const agg: Workload = {
    ...dedup, name: "agg", options: { "merge-engine": "aggregation", "fields.a.aggregate-function": "sum", "fields.b.aggregate-function": "sum" },
  };
  // A compared pair gets PAIR_ROUNDS rounds (single runs on this kind of machine vary by +-10 %).
  const pairRounds = rounds >= 3 ? PAIR_ROUNDS : rounds;
  const measured = want.has("b") ? await measureInterleaved([dedup, agg], pairRounds, parent) : [await measure(dedup, rounds, parent)];
  const a = measured[0]!, b = measured[1] ?? null;
  dedup.batches.length = 0;
  const peerRows = 1_000_000 / scale;
  const peers = await peerRates(peerRows, Math.min(keySpace, peerRows));
  const ratios: Record<string, number> = {};
  for (const [name, rate] of Object.entries(peers.rates)) ratios[name] = Math.round((a.rate / rate) * 100) / 100;
  out.push({
    workload: "ingest", metric: "dedup 5M upserts / 1M keys (target >= 1.5M rows/s, >= 5x peers)", value: a.rate, unit: "rows/s",
    peers: peers.rates, ratios,
    scale: { rows: n, keys: keySpace, "peer rows": peerRows, ...(peers.note === null ? {} : { note: peers.note }), ...memoryScale(a.runs, 256 * MB, a.cpuRate) },
  });
  if (b === null) return;
  out.push({
    workload: "ingest", metric: "aggregation (sum) 5M upserts / 1M keys (target >= 0.9x dedup)", value: b.rate, unit: "rows/s",
    peers: { dedup: a.rate }, ratios: { dedup: Math.round((b.rate / a.rate) * 100) / 100 },
    scale: {
      rows: n, keys: keySpace, rounds: pairRounds,
      "ratio to dedup, median of per-round ratios": Math.round(median(a.runs.slice(1).map((x, r) => x.ms / b.runs[r + 1]!.ms)) * 100) / 100,
      "ratio to dedup by cpu": Math.round((b.cpuRate / a.cpuRate) * 100) / 100,
      ...memoryScale(b.runs, 256 * MB, b.cpuRate),
    },
  });
}

async function paimonCases(want: ReadonlySet<IngestCase>, scale: number, rounds: number, parent: string, out: Measurement[]): Promise<void> {
  const paimonRows = 1_000_000 / scale;
  const paimon = paimonWorkload(paimonRows);
  const c = await measure(paimon, rounds, parent);
  out.push({
    workload: "ingest", metric: "Paimon benchmark schema, INT + 20 STRING(10), zstd (target >= 150K rows/s; Java 94K)", value: c.rate, unit: "rows/s",
    peers: { "java-paimon-published": 94_000 }, ratios: { "java-paimon-published": Math.round((c.rate / 94_000) * 100) / 100 },
    scale: { rows: paimonRows, ...memoryScale(c.runs, 256 * MB, c.cpuRate) },
  });
  if (!want.has("s")) return;
  // The same rows with 'file.compression' = 'snappy': how much of (c) is parquet-wasm's zstd.
  const snappy = await measure({ ...paimon, name: "paimon-schema-snappy", options: { "file.compression": "snappy" } }, rounds, parent);
  out.push({
    workload: "ingest", metric: "Paimon benchmark schema, snappy instead of zstd (diagnostic)", value: snappy.rate, unit: "rows/s",
    peers: { zstd: c.rate }, ratios: { zstd: Math.round((snappy.rate / c.rate) * 100) / 100 },
    scale: { rows: paimonRows, ...memoryScale(snappy.runs, 256 * MB, snappy.cpuRate) },
  });
}

function printMeasurement(m: Measurement, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(m));
    return;
  }
  console.log(`${m.workload} / ${m.metric}`);
  console.log(`  lakestate ${(m.value / 1e6).toFixed(3)} M rows/s   ${Object.entries(m.scale).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  for (const [name, v] of Object.entries(m.peers)) console.log(`  ${name.padEnd(24)} ${(v / 1e6).toFixed(3)} M rows/s   lakestate is ${m.ratios[name]!.toFixed(2)}x`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const roundsAt = argv.indexOf("--rounds");
  const casesAt = argv.indexOf("--cases");
  const options: BenchOptions = { json: argv.includes("--json"), quick: argv.includes("--quick"), rounds: roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 3 };
  const cases = casesAt >= 0 ? argv[casesAt + 1]!.split(",") as IngestCase[] : undefined;
  for (const m of await ingestBench(options, cases)) printMeasurement(m, options.json);
}
