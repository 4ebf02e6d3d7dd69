/**
 * W4 merge-read workload (docs/performance.md §8): a primary-key table of one bucket holding 5
 * overlapping sorted runs (level-0 files) of N rows each, keys drawn from a 2N key space (each
 * file sorted, keys unique per file), read to Arrow through `Table.read()` end to end: snapshot,
 * manifests, data files from a MemoryStore, merge-on-read with the deduplicate engine.
 *
 * Data: Paimon's physical layout `_KEY_k BIGINT, _SEQUENCE_NUMBER BIGINT, _VALUE_KIND TINYINT,
 * k BIGINT, v1 DOUBLE, v2 STRING` (v2 = 9..14 ASCII bytes); sequence numbers grow from file to
 * file (file r holds r·N .. r·N + N − 1, in a random arrival order within the file); row kinds
 * 95 % +I, 3 % +U, 2 % −D. Files are written by parquet-wasm (dictionary + PLAIN, one row group)
 * with SNAPPY (the headline) and again with ZSTD (Paimon's default codec). A third measurement
 * keys the same rows by STRING (`k` = "k" + 10 zero-padded digits, SNAPPY): integer keys take
 * the dense/numeric merge strategies, string keys the kernel strategy (lsm/dedup_merge.ts).
 *
 * Contenders, same process, same files, interleaved rounds (1 warm-up, median):
 *  - lakestate: `table.read()` with parquet-wasm registered (the columnar fast path) and ZSTD
 *    frames decoded as `lakestate/node` decodes them (native libzstd through zstd-napi when it
 *    is installed, else the libzstd wasm build);
 *  - duckdb-1thread: `@duckdb/node-api` with `SET threads=1`, the same Parquet files written to a
 *    temp dir (page cache), `CREATE OR REPLACE TABLE out AS SELECT k, v1, v2 FROM (SELECT * FROM
 *    read_parquet([...]) QUALIFY row_number() OVER (PARTITION BY _KEY_k ORDER BY
 *    _SEQUENCE_NUMBER DESC) = 1) WHERE _VALUE_KIND NOT IN (1, 3)`: the same rows, materialized
 *    in DuckDB's own format (cheaper for it than exporting Arrow; its output is not sorted,
 *    ours is in key order);
 *  - lakestate-general: `table.read()` without parquet-wasm (hyparquet + KeyValue merge), timed
 *    once (no warm-up) at full size because it takes several seconds.
 * Rates are input rows (5N) per second. Row counts and a checksum of the three results must
 * agree, or the workload throws.
 *
 * Imports: node:fs, node:os, node:path, node:url, node:v8, node:vm, apache-arrow, parquet-wasm,
 * @duckdb/node-api, src/*, bench/read_table_writer.ts, bench/data.ts, bench/harness.ts (types).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DuckDBInstance } from "@duckdb/node-api";
import { Field, Float64, Int64, Int8, makeData, RecordBatch, Schema, Struct, Table as ArrowTable, Utf8 } from "apache-arrow";
import * as pq from "parquet-wasm/esm";
import { Table } from "../src/api/table.ts";
import { fastParquetReader, setFastParquetSource } from "../src/format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource } from "../src/format/data/zstd_wasm.ts";
import { useNativeZstd } from "../src/node_zstd.ts";
import { MemoryStore } from "../src/io/memory_store.ts";
import { atomic } from "../src/spec/data_types.ts";
import { createTableSchema } from "../src/spec/schema.ts";
import { rng } from "./data.ts";
import type { BenchOptions, Measurement } from "./harness.ts";
import { writePkTable, type BenchCompression } from "./read_table_writer.ts";

const RUNS = 5;
const WASM_BYTES = readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")));

setFlagsFromString("--expose-gc");
const forceGc: (() => void) | undefined = runInNewContext("typeof gc === 'function' ? gc : undefined");

/** Key column type of a variant: BIGINT, or STRING ("k" + the number in 10 zero-padded digits). */
type KeyKind = "bigint" | "string";

function keyText(k: number): string {
  return `k${String(k).padStart(10, "0")}`;
}

/** The key column as Arrow data (STRING keys sort like their numbers: fixed width). */
function keyData(keys: BigInt64Array, kind: KeyKind): ReturnType<typeof makeData> {
  const n = keys.length;
  if (kind === "bigint") return makeData({ type: new Int64(), length: n, data: keys });
  const offsets = new Int32Array(n + 1), bytes = new Uint8Array(n * 11);
  for (let i = 0; i < n; i++) {
    const text = keyText(Number(keys[i]!));
    for (let c = 0; c < 11; c++) bytes[i * 11 + c] = text.charCodeAt(c);
    offsets[i + 1] = (i + 1) * 11;
  }
  return makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes });
}

/** One run's physical columns as an Arrow table (built from typed arrays, no per-row objects). */
function runTable(r: number, n: number, keySpace: number, kind: KeyKind = "bigint"): { data: ArrowTable; minKey: bigint; maxKey: bigint; deletes: number } {
  const next = rng(0x5eed + r);
  const picked = new Uint8Array(keySpace);
  for (let c = 0; c < n;) { const k = next() % keySpace; if (picked[k] === 0) { picked[k] = 1; c++; } }
  const keys = new BigInt64Array(n);
  for (let k = 0, j = 0; k < keySpace; k++) if (picked[k] === 1) keys[j++] = BigInt(k);
  const arrival = new Uint32Array(n).map((_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = next() % (i + 1); const t = arrival[i]!; arrival[i] = arrival[j]!; arrival[j] = t; }
  const seqs = new BigInt64Array(n), kinds = new Int8Array(n), v1 = new Float64Array(n);
  const offsets = new Int32Array(n + 1), bytes = new Uint8Array(n * 16);
  let deletes = 0, at = 0;
  for (let i = 0; i < n; i++) {
    seqs[i] = BigInt(r * n + arrival[i]!);
    const dice = next() % 100;
    kinds[i] = dice < 95 ? 0 : dice < 98 ? 2 : 3;
    if (kinds[i] === 3) deletes++;
    v1[i] = next() / 65536;
    const text = `v${(next() % 0x7fffffff).toString(36)}-${r}`;
    for (let c = 0; c < text.length; c++) bytes[at++] = text.charCodeAt(c);
    offsets[i + 1] = at;
  }
  const keyType = kind === "bigint" ? new Int64() : new Utf8();
  const fields = [
    new Field("_KEY_k", keyType, false), new Field("_SEQUENCE_NUMBER", new Int64(), false), new Field("_VALUE_KIND", new Int8(), false),
    new Field("k", keyType, false), new Field("v1", new Float64(), true), new Field("v2", new Utf8(), true),
  ];
  const key = keyData(keys, kind);
  const children = [
    key, makeData({ type: new Int64(), length: n, data: seqs }),
    makeData({ type: new Int8(), length: n, data: kinds }), key,
    makeData({ type: new Float64(), length: n, data: v1 }), makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes.slice(0, at) }),
  ];
  const schema = new Schema(fields);
  const data = new ArrowTable(schema, new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children })));
  return { data, minKey: keys[0]!, maxKey: keys[n - 1]!, deletes };
}

/** Count and checksum of a result (k sum, floor(v1) sum, v2 byte count) to check contenders agree. */
function digestArrow(t: ArrowTable): string {
  let kSum = 0n, v1Sum = 0, v2Bytes = 0;
  for (const batch of t.batches) {
    const k = batch.getChild("k")!.data[0]!;
    if (k.valueOffsets === undefined || k.valueOffsets === null) {
      const values = k.values as BigInt64Array;
      for (let i = 0; i < values.length; i++) kSum += values[i]!;
    } else {
      const bytes = k.values as Uint8Array, o = k.valueOffsets as Int32Array;
      let sum = 0;
      for (let i = 0; i < k.length; i++) {
        let v = 0;
        for (let j = o[i]! + 1; j < o[i + 1]!; j++) v = v * 10 + bytes[j]! - 48;
        sum += v;
      }
      kSum += BigInt(sum);
    }
    const v1 = batch.getChild("v1")!.data[0]!.values as Float64Array;
    for (let i = 0; i < v1.length; i++) v1Sum += Math.floor(v1[i]!);
    const o = batch.getChild("v2")!.data[0]!.valueOffsets as Int32Array;
    v2Bytes += o[o.length - 1]! - o[0]!;
  }
  return `${t.numRows}/${kSum}/${v1Sum}/${v2Bytes}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeOnce(run: () => Promise<unknown>): Promise<number> {
  forceGc?.();
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

async function measure(compression: BenchCompression, kind: KeyKind, perRun: number, options: BenchOptions, general: boolean): Promise<Measurement> {
  const keySpace = 2 * perRun;
  const schema = createTableSchema({
    fields: [{ id: 0, name: "k", type: kind === "bigint" ? atomic("BIGINT") : atomic("VARCHAR", { length: 2147483647 }) }, { id: 1, name: "v1", type: atomic("DOUBLE") }, { id: 2, name: "v2", type: atomic("VARCHAR", { length: 2147483647 }) }],
    primaryKeys: ["k"],
    options: { bucket: "1", "file.format": "parquet", "file.compression": compression === "UNCOMPRESSED" ? "none" : compression.toLowerCase() },
    timeMillis: 0n,
  });
  const runs = Array.from({ length: RUNS }, (_, r) => runTable(r, perRun, keySpace, kind));
  const store = new MemoryStore();
  const paths = await writePkTable(store, schema, runs.map((run, r) => ({
    data: run.data, minKey: [kind === "bigint" ? run.minKey : keyText(Number(run.minKey))], maxKey: [kind === "bigint" ? run.maxKey : keyText(Number(run.maxKey))],
    minSequenceNumber: BigInt(r * perRun), maxSequenceNumber: BigInt(r * perRun + perRun - 1), deleteRowCount: BigInt(run.deletes),
  })), { pq, compression });
  const dir = mkdtempSync(join(tmpdir(), "lakestate-w4-"));
  const files = await Promise.all(paths.map(async (p, i) => {
    const file = join(dir, `run-${i}.parquet`);
    writeFileSync(file, await store.get(p));
    return file;
  }));
  const duck = await DuckDBInstance.create(":memory:");
  const con = await duck.connect();
  await con.run("SET threads=1");
  const list = files.map((f) => `'${f}'`).join(", ");
  const duckSql = `CREATE OR REPLACE TABLE out AS SELECT k, v1, v2 FROM (SELECT * FROM read_parquet([${list}]) ` +
    `QUALIFY row_number() OVER (PARTITION BY _KEY_k ORDER BY _SEQUENCE_NUMBER DESC) = 1) WHERE _VALUE_KIND NOT IN (1, 3)`;
  const table = await Table.open(store);
  const fastRead = () => { setFastParquetSource(WASM_BYTES); return table.read(); };
  const generalRead = () => { setFastParquetSource(null); return table.read(); };
  try {
    // Agreement first: the same rows from every contender.
    const fast = digestArrow(await fastRead());
    await con.run(duckSql);
    const d = (await con.runAndReadAll(`SELECT count(*), ${kind === "bigint" ? "sum(k)" : "sum(CAST(substr(k, 2) AS BIGINT))"}, sum(floor(v1))::BIGINT, sum(strlen(v2)) FROM out`)).getRows()[0]!;
    const duckDigest = `${d[0]}/${d[1]}/${d[2]}/${d[3]}`;
    if (duckDigest !== fast) throw new Error(`bench read-merge: lakestate ${fast} but duckdb ${duckDigest}`);
    const samples: Record<string, number[]> = { lakestate: [], "duckdb-1thread": [] };
    for (let round = -1; round < options.rounds; round++) {
      const a = await timeOnce(fastRead);
      const b = await timeOnce(() => con.run(duckSql));
      if (round >= 0) { samples["lakestate"]!.push(a); samples["duckdb-1thread"]!.push(b); }
    }
    const times: Record<string, number> = { lakestate: median(samples["lakestate"]!), "duckdb-1thread": median(samples["duckdb-1thread"]!) };
    if (general) {
      let digest = "";
      times["lakestate-general"] = await timeOnce(async () => { digest = digestArrow(await generalRead()); });
      if (digest !== fast) throw new Error(`bench read-merge: fast path ${fast} but general path ${digest}`);
    }
    const rows = RUNS * perRun;
    const rate = (ms: number) => Math.round((rows / ms) * 1000);
    const value = rate(times["lakestate"]!);
    const peers: Record<string, number> = {}, ratios: Record<string, number> = {};
    for (const [name, ms] of Object.entries(times)) {
      if (name === "lakestate") continue;
      peers[name] = rate(ms);
      ratios[name] = Math.round((value / peers[name]!) * 100) / 100;
    }
    return {
      workload: `read-merge-${RUNS}x${perRun / 1e6}M`, metric: `Table.read() to Arrow, dedup merge-on-read, ${kind === "bigint" ? "BIGINT" : "STRING"} key, ${compression}`, value, unit: "rows/s",
      peers, ratios,
      scale: { runs: RUNS, rowsPerRun: perRun, keySpace, outputRows: Number(fast.split("/")[0]), key: kind, compression, lakestateMs: Math.round(times["lakestate"]!), duckdbMs: Math.round(times["duckdb-1thread"]!) },
    };
  } finally {
    setFastParquetSource(WASM_BYTES);
    con.closeSync();
    duck.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the merge-read workload: BIGINT key with SNAPPY (headline) and ZSTD files, STRING key with SNAPPY. */
export async function readMergeBench(options: BenchOptions): Promise<Measurement[]> {
  await pq.default({ module_or_path: WASM_BYTES });
  setFastParquetSource(WASM_BYTES);
  // As lakestate/node does (src/node.ts): ZSTD pages through libzstd wasm, decoded by native libzstd when zstd-napi loads.
  setZstdWasmSource(new Uint8Array(readFileSync(fileURLToPath(import.meta.resolve("@foxglove/wasm-zstd/dist/wasm-zstd.wasm")))));
  useNativeZstd();
  if ((await fastParquetReader()) === null) throw new Error("bench read-merge: parquet-wasm did not load");
  const perRun = options.quick ? 100_000 : 1_000_000;
  return [
    await measure("SNAPPY", "bigint", perRun, options, true),
    await measure("ZSTD", "bigint", perRun, options, false),
    await measure("SNAPPY", "string", perRun, options, false),
  ];
}
