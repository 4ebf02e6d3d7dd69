/**
 * W5 compaction workload (docs/performance.md §8): one bucket of a deduplicate primary-key table
 * holding 5 overlapping level-0 files of N rows each (keys drawn from a 2N key space, unique and
 * sorted per file), fully compacted into one sorted run at the max level with
 * `runCompaction` (deletes dropped): read the 5 files from a MemoryStore, merge, write the
 * output files (rolling at the default 128 MiB target) back to the store.
 *
 * Data: narrow numeric schema `k BIGINT NOT NULL (pk), v1 DOUBLE, v2 BIGINT, v3 INT`; file r holds
 * sequence numbers r·N .. r·N + N − 1 in a random arrival order; row kinds 95 % +I, 3 % +U,
 * 2 % −D. Input files are written by lakestate's own writer, with ZSTD (Paimon's default codec)
 * and again with SNAPPY.
 *
 * Contenders, same process, same files, interleaved rounds (1 warm-up, median):
 *  - lakestate: `runCompaction` (the columnar deduplicate path);
 *  - duckdb-1thread: `@duckdb/node-api`, `SET threads=1`, the same Parquet files in a temp dir:
 *    `COPY (SELECT ... QUALIFY row_number() OVER (PARTITION BY _KEY_k ORDER BY _SEQUENCE_NUMBER
 *    DESC) = 1 and not a retract ORDER BY _KEY_k) TO '<file>' (FORMAT parquet, COMPRESSION <same>)`;
 *  - lakestate-general: the general (row-based) path, timed once at 1/10 of the size (it does
 *    about 0.3M rows/s), reported as its rate.
 * Rates are input rows (5N) per second; the output row count of lakestate and DuckDB must agree.
 *
 * Usage: `npm run bench -- --only compaction [--quick]` (--quick: N = 100K instead of 1M).
 * Imports: node:fs, node:os, node:path, node:url, @duckdb/node-api, src/*, bench/data.ts,
 * bench/harness.ts (types).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadKernel, type KeyKernel } from "../src/kernel/mod.ts";
import type { ColumnBuffers } from "../src/format/data/column_buffers.ts";
import { setFastParquetSource } from "../src/format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource, zstdWasmCodec } from "../src/format/data/zstd_wasm.ts";
import { useNativeZstd } from "../src/node_zstd.ts";
import { loadParquetWasm, type ParquetWasmModule } from "../src/format/data/parquet_wasm_loader.ts";
import { MemoryStore } from "../src/io/memory_store.ts";
import { runCompaction, type CompactContext } from "../src/lsm/compaction/compact_rewriter.ts";
import { pickFullCompaction } from "../src/lsm/compaction/compact_strategy.ts";
import { createFileKeyComparator } from "../src/lsm/file_key_comparator.ts";
import { Levels } from "../src/lsm/levels.ts";
import { createMergeFunctionFactory } from "../src/lsm/merge_function/merge_function.ts";
import { writeRollingBuffers } from "../src/lsm/rolling_buffer_writer.ts";
import { dataFileNamer, targetFileSizeBytes } from "../src/lsm/rolling_file_writer.ts";
import { CoreOptions } from "../src/spec/core_options_view.ts";
import { atomic } from "../src/spec/data_types.ts";
import { FILE_SOURCE, type DataFileMeta } from "../src/spec/data_file_meta.ts";
import { createTableSchema, type TableSchema } from "../src/spec/schema.ts";
import { rng } from "./data.ts";
import type { BenchOptions, Measurement } from "./harness.ts";

const RUNS = 5;
const WASM_BYTES = readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")));

function fixed(data: ArrayBufferView, byteWidth: number, length: number): ColumnBuffers {
  return { layout: "fixed", byteWidth, length, nullCount: 0, validity: null, data: new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength), offsets: null };
}

/** One input run: sorted unique keys from [0, keySpace), its columns, sequence numbers and kinds. */
function runColumns(r: number, n: number, keySpace: number) {
  const next = rng(0xc0ffee + r);
  const picked = new Uint8Array(keySpace);
  for (let c = 0; c < n;) { const k = next() % keySpace; if (picked[k] === 0) { picked[k] = 1; c++; } }
  const keys = new BigInt64Array(n);
  for (let k = 0, j = 0; k < keySpace; k++) if (picked[k] === 1) keys[j++] = BigInt(k);
  const arrival = new Uint32Array(n).map((_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = next() % (i + 1); const t = arrival[i]!; arrival[i] = arrival[j]!; arrival[j] = t; }
  const seq = new BigInt64Array(n), kinds = new Uint8Array(n), v1 = new Float64Array(n), v2 = new BigInt64Array(n), v3 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    seq[i] = BigInt(r * n + arrival[i]!);
    const dice = next() % 100;
    kinds[i] = dice < 95 ? 0 : dice < 98 ? 2 : 3;
    v1[i] = next() / 65536;
    v2[i] = BigInt(next()) * 1000n + BigInt(r);
    v3[i] = next() % 10_000;
  }
  return { columns: [fixed(keys, 8, n), fixed(v1, 8, n), fixed(v2, 8, n), fixed(v3, 4, n)], seq, kinds };
}

function tableOf(compression: string): TableSchema {
  return createTableSchema({
    fields: [
      { id: 0, name: "k", type: atomic("BIGINT", { nullable: false }) }, { id: 1, name: "v1", type: atomic("DOUBLE") },
      { id: 2, name: "v2", type: atomic("BIGINT") }, { id: 3, name: "v3", type: atomic("INT") },
    ],
    primaryKeys: ["k"], partitionKeys: [],
    options: { bucket: "1", "file.compression": compression },
    timeMillis: 0n,
  });
}

/** The 5 input runs of the workload in a MemoryStore (exported for profiling). */
export async function setUp(compression: string, perRun: number, pq: ParquetWasmModule) {
  const schema = tableOf(compression);
  const store = new MemoryStore();
  const files: DataFileMeta[] = [];
  let uuid = 0;
  for (let r = 0; r < RUNS; r++) {
    const run = runColumns(r, perRun, 2 * perRun);
    files.push(...await writeRollingBuffers({ rowCount: perRun, columns: run.columns, sequenceNumbers: run.seq, rowKinds: run.kinds }, {
      store, schema, partitionPath: "", bucket: 0, level: 0, fileSource: FILE_SOURCE.APPEND, parquet: pq,
      targetFileSizeBytes: targetFileSizeBytes(schema.options, true), nextFileName: dataFileNamer(() => `in-${uuid++}`), nowMs: () => 1_700_000_000_000 + r,
    }));
  }
  return { schema, store, files };
}

/** One full compaction of `files` (exported for profiling). */
export function compactOnce(schema: TableSchema, store: MemoryStore, files: readonly DataFileMeta[], pq: ParquetWasmModule, kernel: KeyKernel, run: number) {
  const options = new CoreOptions(schema.options);
  const levels = Levels.create(files, { levelCount: options.levelCount, compareKeys: createFileKeyComparator([atomic("BIGINT", { nullable: false })]) });
  const unit = pickFullCompaction(levels.levelCount, levels.levelSortedRuns(), { forceRewriteAllFiles: false })!;
  const ctx: CompactContext = {
    store, schema, partitionPath: "", bucket: 0, kernel, parquet: pq, mergeFactory: createMergeFunctionFactory(schema), options,
    nextFileName: dataFileNamer(() => `out-${run}`), nowMs: () => 1_700_000_100_000,
  };
  return runCompaction(unit, levels, ctx, { dropDelete: true });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function measure(compression: "zstd" | "snappy", perRun: number, options: BenchOptions, pq: ParquetWasmModule, kernel: KeyKernel): Promise<Measurement> {
  const { schema, store, files } = await setUp(compression, perRun, pq);
  const dir = mkdtempSync(join(tmpdir(), "lakestate-w5-"));
  const paths = await Promise.all(files.map(async (f, i) => {
    const p = join(dir, `in-${i}.parquet`);
    writeFileSync(p, await store.get(`bucket-0/${f.fileName}`));
    return p;
  }));
  const duck = await DuckDBInstance.create(":memory:");
  const con = await duck.connect();
  await con.run("SET threads=1");
  const out = join(dir, "out.parquet");
  const duckSql = `COPY (SELECT _KEY_k, _SEQUENCE_NUMBER, _VALUE_KIND, k, v1, v2, v3 FROM read_parquet([${paths.map((p) => `'${p}'`).join(", ")}]) ` +
    `QUALIFY row_number() OVER (PARTITION BY _KEY_k ORDER BY _SEQUENCE_NUMBER DESC, _VALUE_KIND DESC) = 1 AND _VALUE_KIND NOT IN (1, 3) ORDER BY _KEY_k) ` +
    `TO '${out}' (FORMAT parquet, COMPRESSION ${compression})`;
  try {
    const rounds = Math.min(options.rounds, 3);
    const samples: { lakestate: number[]; duck: number[] } = { lakestate: [], duck: [] };
    let outputRows = 0, outputFiles = 0, outputBytes = 0;
    for (let round = -1; round < rounds; round++) {
      let t0 = performance.now();
      const result = await compactOnce(schema, store, files, pq, kernel, round + 1);
      const a = performance.now() - t0;
      outputRows = result.after.reduce((s, f) => s + Number(f.rowCount), 0);
      outputFiles = result.after.length;
      outputBytes = result.after.reduce((s, f) => s + Number(f.fileSize), 0);
      t0 = performance.now();
      await con.run(duckSql);
      const b = performance.now() - t0;
      if (round >= 0) { samples.lakestate.push(a); samples.duck.push(b); }
    }
    const duckRows = Number((await con.runAndReadAll(`SELECT count(*) FROM read_parquet('${out}')`)).getRows()[0]![0]);
    if (duckRows !== outputRows) throw new Error(`bench compaction: lakestate wrote ${outputRows} rows, duckdb ${duckRows}`);
    // The general path, once, at 1/10 of the size.
    setFastParquetSource(null);
    const small = await setUp(compression, Math.max(1000, perRun / 10), pq);
    const noFast = { ...pq } as ParquetWasmModule; // hides ParquetFile from the columnar path
    delete (noFast as { ParquetFile?: unknown }).ParquetFile;
    const t0 = performance.now();
    await compactOnce(small.schema, small.store, small.files, noFast, kernel, 99);
    const generalMs = performance.now() - t0;
    setFastParquetSource(WASM_BYTES);
    const rows = RUNS * perRun;
    const lakestateMs = median(samples.lakestate), duckMs = median(samples.duck);
    const value = Math.round((rows / lakestateMs) * 1000);
    const peers = { "duckdb-1thread": Math.round((rows / duckMs) * 1000), "lakestate-general (1/10 size)": Math.round((rows / 10 / generalMs) * 1000) };
    const ratios = Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, Math.round((value / v) * 100) / 100]));
    return {
      workload: `compaction-${RUNS}x${perRun / 1e6}M`, metric: `runCompaction full, dedup, BIGINT key + 3 numeric columns, ${compression}`, value, unit: "rows/s",
      peers, ratios,
      scale: { runs: RUNS, rowsPerRun: perRun, outputRows, outputFiles, outputBytes, compression, lakestateMs: Math.round(lakestateMs), duckdbMs: Math.round(duckMs), generalMsAtTenth: Math.round(generalMs) },
    };
  } finally {
    con.closeSync();
    duck.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the compaction workload with ZSTD files (Paimon's default) and SNAPPY files. */
export async function compactionBench(options: BenchOptions): Promise<Measurement[]> {
  const pq = await loadParquetWasm(WASM_BYTES);
  setFastParquetSource(WASM_BYTES);
  // As lakestate/node does: ZSTD pages through libzstd wasm, decoded by native libzstd when zstd-napi loads (await so the writer sees it loaded).
  setZstdWasmSource(new Uint8Array(readFileSync(fileURLToPath(import.meta.resolve("@foxglove/wasm-zstd/dist/wasm-zstd.wasm")))));
  useNativeZstd();
  await zstdWasmCodec();
  const loaded = await loadKernel();
  const perRun = options.quick ? 100_000 : 1_000_000;
  return [await measure("zstd", perRun, options, pq, loaded.kernel), await measure("snappy", perRun, options, pq, loaded.kernel)];
}
