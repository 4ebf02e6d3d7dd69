/**
 * W3 + W8 lookup workloads (docs/performance.md §8; issue 6): point lookups after compaction
 * with `table.newLookup().getMany`, hits and misses, against lmdb `get` and classic-level
 * `getMany` holding the same key/value pairs; and the bootstrap of one bucket's lookup index
 * from its Parquet files (MB of Parquet per second), plus the restore of the persisted index.
 *
 * Data: a primary-key table `k BIGINT, a DOUBLE, b DOUBLE, c BIGINT` of N rows (default 2 M;
 * `--rows N` or LOOKUP_BENCH_ROWS; the issue's figure is 10 M), keys the even numbers 0..2N-2
 * (so misses, the odd numbers, fall inside the key range and must be rejected by the bloom
 * filter or the search), one bucket (`--buckets B` to spread them), written as a compaction
 * leaves it: sorted, non-overlapping files of at most 1.25 M rows at level 5 (the layout a full
 * compaction writes; written with bench/read_table_writer.ts rather than the writer + compaction
 * so a 10 M-row setup takes seconds), SNAPPY Parquet, in a MemoryStore.
 * Probes: 1 M uniformly random hits and 1 M random misses, asked through `getMany` in batches of
 * 100 000, 10 000 and 1 000 keys; plain objects are materialized for every hit (large batches
 * keep more result objects alive across young-generation GCs, which costs more than the search).
 * Peers (same process, same keys, the pairs loaded untimed beforehand): lmdb-js `getBinary`
 * per key (sync, zero-copy: its fastest read), classic-level `getMany` in batches of 10 000
 * (its batch API; docs/performance.md §9 fairness). Peers return raw value bytes; lakestate
 * returns decoded row objects.
 * Build: `newLookup` + the first probe on a fresh lookup (no local store) loads the bucket:
 * reads its files, merge-on-read (columnar fast path), index + bloom. Rate = Parquet bytes / ms.
 * Clocks: wall time (the headline, as the other workloads) and process CPU time beside it, as a
 * second figure that stays meaningful when other jobs share the 2 cores (it includes V8's GC
 * helper threads, so it is not lower than one core's share of the work).
 *
 * Usage: node --import tsx bench/main.ts --only lookup [--quick] [--rows N] [--buckets B]
 * Imports: node:fs/os/path/url, apache-arrow, parquet-wasm, lmdb and classic-level (dynamic),
 * src/*, bench/read_table_writer.ts, bench/data.ts, bench/harness.ts (types).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Field, Float64, Int64, Int8, makeData, RecordBatch, Schema, Struct, Table as ArrowTable } from "apache-arrow";
import * as pq from "parquet-wasm/esm";
import { Table } from "../src/api/table.ts";
import { setFastParquetSource } from "../src/format/data/parquet_arrow_reader.ts";
import { MemoryStore } from "../src/io/memory_store.ts";
import { atomic } from "../src/spec/data_types.ts";
import { createTableSchema } from "../src/spec/schema.ts";
import { bucketOfIntegerKey } from "../src/lookup/lookup_probe.ts";
import { rng } from "./data.ts";
import type { BenchOptions, Measurement } from "./harness.ts";
import { writePkTable, type TableFileInput } from "./read_table_writer.ts";

const WASM_BYTES = readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")));
const FILE_ROWS_MAX = 1_250_000;
const PROBES = 1_000_000;
const BATCH = 100_000;
const SMALL_BATCH = 1_000;
const LEVEL_BATCH = 10_000;
/** Measured getMany variants: name and keys per call. */
const VARIANTS: readonly (readonly [string, number])[] = [
  ["hits", BATCH], ["misses", BATCH], ["hits, batches of 10000", 10_000], ["misses, batches of 10000", 10_000], ["hits, batches of 1000", SMALL_BATCH],
];

setFlagsFromString("--expose-gc");
const forceGc: (() => void) | undefined = runInNewContext("typeof gc === 'function' ? gc : undefined");

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU time of the process (all threads, ms): a second clock for a shared, loaded machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wall-clock ms of one run; its CPU ms is added to `cpuSamples` when given. */
async function timeIt(run: () => Promise<unknown> | unknown, cpuSamples?: number[]): Promise<number> {
  forceGc?.();
  const c0 = cpuMs(), t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  cpuSamples?.push(cpuMs() - c0);
  return ms;
}

/** One file of sorted rows (keys given, ascending) in Paimon's physical layout. */
function fileTable(keys: BigInt64Array, seqBase: number): ArrowTable {
  const n = keys.length, next = rng(0xbeef + seqBase);
  const seqs = new BigInt64Array(n), kinds = new Int8Array(n), a = new Float64Array(n), b = new Float64Array(n), c = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    seqs[i] = BigInt(seqBase + i);
    a[i] = next() / 65536;
    b[i] = (next() - 2 ** 31) / 7;
    c[i] = BigInt(next());
  }
  const fields = [
    new Field("_KEY_k", new Int64(), false), new Field("_SEQUENCE_NUMBER", new Int64(), false), new Field("_VALUE_KIND", new Int8(), false),
    new Field("k", new Int64(), false), new Field("a", new Float64(), true), new Field("b", new Float64(), true), new Field("c", new Int64(), true),
  ];
  const key = makeData({ type: new Int64(), length: n, data: keys });
  const children = [
    key, makeData({ type: new Int64(), length: n, data: seqs }), makeData({ type: new Int8(), length: n, data: kinds }), key,
    makeData({ type: new Float64(), length: n, data: a }), makeData({ type: new Float64(), length: n, data: b }), makeData({ type: new Int64(), length: n, data: c }),
  ];
  const schema = new Schema(fields);
  return new ArrowTable(schema, new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children })));
}

/** Writes the compacted table (exported for profiling scripts); returns the store and its Parquet bytes. */
export async function writeTable(rows: number, buckets: number): Promise<{ store: MemoryStore; parquetBytes: number }> {
  const schema = createTableSchema({
    fields: [{ id: 0, name: "k", type: atomic("BIGINT", { nullable: false }) }, { id: 1, name: "a", type: atomic("DOUBLE") }, { id: 2, name: "b", type: atomic("DOUBLE") }, { id: 3, name: "c", type: atomic("BIGINT") }],
    primaryKeys: ["k"], options: { bucket: String(buckets), "file.format": "parquet", "file.compression": "snappy" }, timeMillis: 0n,
  });
  const perBucket: number[][] = Array.from({ length: buckets }, () => []);
  for (let i = 0; i < rows; i++) {
    const k = 2 * i;
    perBucket[buckets === 1 ? 0 : bucketOfIntegerKey(k, 0, buckets)]!.push(k);
  }
  const files: TableFileInput[] = [];
  let seq = 0;
  for (let b = 0; b < buckets; b++) {
    const all = perBucket[b]!;
    for (let from = 0; from < all.length; from += FILE_ROWS_MAX) {
      const keys = BigInt64Array.from(all.slice(from, from + FILE_ROWS_MAX), (k) => BigInt(k));
      files.push({ bucket: b, level: 5, data: fileTable(keys, seq), minKey: [keys[0]!], maxKey: [keys[keys.length - 1]!], minSequenceNumber: BigInt(seq), maxSequenceNumber: BigInt(seq + keys.length - 1), deleteRowCount: 0n });
      seq += keys.length;
    }
  }
  const store = new MemoryStore();
  const paths = await writePkTable(store, schema, files, { pq, compression: "SNAPPY" });
  let parquetBytes = 0;
  for (const p of paths) parquetBytes += (await store.get(p)).length;
  return { store, parquetBytes };
}

/** The value bytes the peers store for key k (same numbers as the table row). */
function peerKey(k: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(k)) ^ 0x8000000000000000n);
  return out;
}

async function peerTimes(rows: number, probes: { hits: number[]; misses: number[] }, rounds: number, cpuOut: Record<string, number>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const value = new Uint8Array(24);
  const dir = mkdtempSync(join(tmpdir(), "lakestate-lookup-peers-"));
  try {
    try {
      const lmdb = await import("lmdb");
      const db = lmdb.open<Uint8Array, Uint8Array>({ path: join(dir, "lmdb"), keyEncoding: "binary", encoding: "binary", compression: false });
      for (let from = 0; from < rows; from += 100_000) {
        await db.transaction(() => { for (let i = from; i < Math.min(rows, from + 100_000); i++) db.put(peerKey(2 * i), value); });
      }
      const run = (keys: number[]) => () => { let found = 0; for (const k of keys) if (db.getBinary(peerKey(k)) !== undefined) found++; return found; };
      for (const [name, keys] of [["lmdb get hits", probes.hits], ["lmdb get misses", probes.misses]] as const) {
        const samples: number[] = [], cpu: number[] = [];
        for (let r = -1; r < rounds; r++) { const c: number[] = []; const ms = await timeIt(run(keys), c); if (r >= 0) { samples.push(ms); cpu.push(c[0]!); } }
        out[name] = median(samples);
        cpuOut[name] = median(cpu);
      }
      await db.close();
    } catch (error) {
      console.warn(`bench lookup: lmdb skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const { ClassicLevel } = await import("classic-level");
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, "level"), { keyEncoding: "view", valueEncoding: "view" });
      await db.open();
      for (let from = 0; from < rows; from += LEVEL_BATCH) {
        const ops = [];
        for (let i = from; i < Math.min(rows, from + LEVEL_BATCH); i++) ops.push({ type: "put" as const, key: peerKey(2 * i), value });
        await db.batch(ops);
      }
      await db.compactRange(peerKey(0), peerKey(2 * rows));
      const run = (keys: number[]) => async () => {
        let found = 0;
        for (let from = 0; from < keys.length; from += LEVEL_BATCH) {
          const got = await db.getMany(keys.slice(from, from + LEVEL_BATCH).map(peerKey));
          for (const v of got) if (v !== undefined) found++;
        }
        return found;
      };
      for (const [name, keys] of [["classic-level getMany hits", probes.hits], ["classic-level getMany misses", probes.misses]] as const) {
        const samples: number[] = [], cpu: number[] = [];
        for (let r = -1; r < Math.min(rounds, 2); r++) { const c: number[] = []; const ms = await timeIt(run(keys), c); if (r >= 0) { samples.push(ms); cpu.push(c[0]!); } }
        out[name] = median(samples);
        cpuOut[name] = median(cpu);
      }
      await db.close();
    } catch (error) {
      console.warn(`bench lookup: classic-level skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The lookup workloads. */
export async function lookupBench(options: BenchOptions): Promise<Measurement[]> {
  const rows = Number(flag("--rows") ?? process.env["LOOKUP_BENCH_ROWS"] ?? (options.quick ? 200_000 : 2_000_000));
  const buckets = Number(flag("--buckets") ?? 1);
  const probeCount = options.quick ? PROBES / 10 : PROBES;
  await pq.default({ module_or_path: WASM_BYTES });
  setFastParquetSource(WASM_BYTES);
  const { store, parquetBytes } = await writeTable(rows, buckets);
  const table = await Table.open(store);
  const next = rng(99);
  const hits = Array.from({ length: probeCount }, () => 2 * (next() % rows));
  const misses = Array.from({ length: probeCount }, () => 2 * (next() % rows) + 1);
  const scale = { rows, buckets, probes: probeCount, parquetMB: Math.round(parquetBytes / 1e5) / 10 };
  const out: Measurement[] = [];

  // Build of the bucket index(es) from Parquet, fresh each round; then restore from a local store.
  const buildSamples: number[] = [], buildCpu: number[] = [];
  for (let r = -1; r < Math.min(options.rounds, 3); r++) {
    const c: number[] = [];
    const ms = await timeIt(async () => {
      const lookup = await table.newLookup({ onWarning: () => {} });
      await lookup.getMany(Array.from({ length: buckets * 8 }, (_, i) => [BigInt(2 * i)]));
      if (lookup.stats().bucketsLoaded !== buckets) throw new Error(`bench lookup: loaded ${lookup.stats().bucketsLoaded} of ${buckets} buckets`);
    }, c);
    if (r >= 0) { buildSamples.push(ms); buildCpu.push(c[0]!); }
  }
  const buildMs = median(buildSamples);
  const local = new MemoryStore();
  const persisted = await table.newLookup({ localStore: local, onWarning: () => {} });
  await persisted.getMany(Array.from({ length: buckets * 8 }, (_, i) => [BigInt(2 * i)]));
  let indexBytes = 0;
  for (const e of await local.list("")) indexBytes += e.sizeBytes;
  const restoreMs = await timeIt(async () => {
    const lookup = await table.newLookup({ localStore: local, onWarning: () => {} });
    await lookup.getMany(Array.from({ length: buckets * 8 }, (_, i) => [BigInt(2 * i)]));
    if (lookup.stats().indexesRestored !== buckets) throw new Error("bench lookup: restore did not reuse the persisted index");
  });
  const mbps = (bytes: number, ms: number) => Math.round(bytes / 1e3 / ms);
  out.push({
    workload: "lookup", metric: "bucket index build (MB Parquet/s)", value: mbps(parquetBytes, buildMs), unit: "MB/s",
    peers: {
      "by CPU time (MB/s)": mbps(parquetBytes, median(buildCpu)), "restore from local store (MB index/s)": mbps(indexBytes, restoreMs),
      "build ms": Math.round(buildMs), "build CPU ms": Math.round(median(buildCpu)), "restore ms": Math.round(restoreMs),
    },
    scale: { ...scale, indexMB: Math.round(indexBytes / 1e5) / 10 }, ratios: { "vs 200 MB/s target": Math.round(mbps(parquetBytes, buildMs) / 2) / 100 },
  });

  // Point lookups on a warm lookup.
  const lookup = await table.newLookup({ refreshIntervalMs: 3_600_000, onWarning: () => {} });
  const hitKeys = hits.map((k) => [BigInt(k)]), missKeys = misses.map((k) => [BigInt(k)]);
  const run = (keys: bigint[][], batch: number, expectHits: boolean) => async () => {
    let found = 0;
    for (let from = 0; from < keys.length; from += batch) {
      const got = await lookup.getMany(keys.slice(from, from + batch));
      for (const r of got) if (r !== null) found++;
    }
    if ((found === keys.length) !== expectHits || (!expectHits && found !== 0)) throw new Error(`bench lookup: ${found} of ${keys.length} found`);
    return found;
  };
  const ours: Record<string, number> = {}, oursCpu: Record<string, number> = {};
  for (const [name, keys, batch, expect] of VARIANTS.map(([n, b]) => [n, n.startsWith("misses") ? missKeys : hitKeys, b, !n.startsWith("misses")] as const)) {
    const samples: number[] = [], cpu: number[] = [];
    for (let r = -1; r < options.rounds; r++) { const c: number[] = []; const ms = await timeIt(run(keys as bigint[][], batch, expect), c); if (r >= 0) { samples.push(ms); cpu.push(c[0]!); } }
    ours[name] = median(samples);
    oursCpu[name] = median(cpu);
  }
  const peersCpu: Record<string, number> = {};
  const peers = await peerTimes(rows, { hits, misses }, options.rounds, peersCpu);
  const rate = (ms: number) => Math.round((probeCount / ms) * 1000);
  for (const [name, batch] of VARIANTS) {
    const kind = name.startsWith("misses") ? "misses" : "hits";
    const target = kind === "misses" ? 5e6 : 2e6;
    const peerRates: Record<string, number> = {}, ratios: Record<string, number> = {};
    for (const [peer, ms] of Object.entries(peers)) {
      if (!peer.endsWith(kind)) continue;
      peerRates[peer] = rate(ms);
      ratios[peer] = Math.round((rate(ours[name]!) / rate(ms)) * 100) / 100;
      peerRates[`${peer} (CPU time)`] = rate(peersCpu[peer]!);
      ratios[`${peer} (CPU time)`] = Math.round((rate(oursCpu[name]!) / rate(peersCpu[peer]!)) * 100) / 100;
    }
    peerRates["lakestate by CPU time"] = rate(oursCpu[name]!);
    ratios["vs target"] = Math.round((rate(ours[name]!) / target) * 100) / 100;
    ratios["vs target (CPU time)"] = Math.round((rate(oursCpu[name]!) / target) * 100) / 100;
    out.push({ workload: "lookup", metric: `getMany ${name}`, value: rate(ours[name]!), unit: "lookups/s", peers: peerRates, scale: { ...scale, batch }, ratios });
  }
  if (options.json) return out;
  // The shared reporter prints rows/s with a ratio per peer; these measurements carry their own units.
  for (const m of out) {
    console.log(`${m.workload} / ${m.metric}  (${Object.entries(m.scale).map(([k, v]) => `${k}=${v}`).join(" ")})`);
    console.log(`  ${"lakestate".padEnd(34)} ${m.value.toLocaleString("en-US").padStart(12)} ${m.unit}`);
    for (const [peer, v] of Object.entries(m.peers)) {
      const ratio = m.ratios[peer];
      console.log(`  ${peer.padEnd(34)} ${v.toLocaleString("en-US").padStart(12)}${ratio === undefined ? "" : `   lakestate is ${ratio.toFixed(2)}x`}`);
    }
    for (const [k, v] of Object.entries(m.ratios)) if (!(k in m.peers)) console.log(`  ${k.padEnd(34)} ${v.toFixed(2)}x`);
  }
  return [];
}
