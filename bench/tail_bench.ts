/**
 * Streaming-read workload (issue 5 "Must hold"): tail a primary-key table through the public
 * streaming API (`streamTable`, Arrow tables with `_ROW_KIND`) on the local filesystem.
 *
 *  - throughput: 200 APPEND snapshots of 10K rows each (one commit each, `write-only` so no
 *    compaction, 1 bucket), tailed from snapshot 1 to the last: rows/s over the whole run
 *    (target >= 2M rows/s);
 *  - overhead per snapshot: 200 snapshots of 1 row each tailed the same way: ms per snapshot,
 *    i.e. the fixed cost of finding, planning and reading a snapshot (target < 2 ms);
 *  - commit-to-visible latency: a stream in `latest` mode with a 100 ms poll interval; a commit
 *    lands at a random moment; the time from the commit returning (its snapshot file exists)
 *    to the stream yielding it; max and median over 20 commits (target <= poll interval + 10 ms).
 *
 * Data: `k BIGINT NOT NULL (pk), v STRING, x DOUBLE, n INT`, Parquet/ZSTD as the writer's
 * defaults; rows +I. Setup (writing) is untimed; each throughput round opens a new stream.
 * Usage: `npm run bench -- --only tail [--quick]` (--quick: 40 snapshots, 2 rounds).
 * Prints its own lines (ms metrics do not fit the rows/s report); with --json returns
 * measurements (unit rows/s or ms).
 * Imports: node:fs, node:os, node:path, node:url, src/*, bench/harness.ts (types).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { streamTable } from "../src/api/table_stream.ts";
import { parquetWriterModule, setFastParquetSource } from "../src/format/data/parquet_arrow_reader.ts";
import { NodeFsStore } from "../src/io/fs_node_store.ts";
import type { ObjectStore } from "../src/io/store.ts";
import { loadKernel } from "../src/kernel/mod.ts";
import { parseTypeString } from "../src/spec/data_types.ts";
import { RowKind } from "../src/spec/row_kind.ts";
import { createTableSchema, encodeTableSchema, type TableSchema } from "../src/spec/schema.ts";
import { readSchema } from "../src/table/schema_manager.ts";
import { TableWriter } from "../src/table/write/table_writer.ts";
import { utf8Encode } from "../src/util/bytes.ts";
import type { BenchOptions, Measurement } from "./harness.ts";

const LATENCY_POLL_MS = 100;
const LATENCY_COMMITS = 20;

function schemaOf(): TableSchema {
  const f = (id: number, name: string, type: string) => ({ id, name, type: parseTypeString(type) });
  return createTableSchema({
    fields: [f(0, "k", "BIGINT NOT NULL"), f(1, "v", "STRING"), f(2, "x", "DOUBLE"), f(3, "n", "INT")],
    primaryKeys: ["k"], partitionKeys: [], options: { bucket: "1", "write-only": "true" }, timeMillis: 0n,
  });
}

/** A stream context for `store` (what `Table` provides). */
function contextOf(store: ObjectStore, schema: TableSchema) {
  return { store, schema, schemaById: (id: bigint) => (id === schema.id ? Promise.resolve(schema) : readSchema(store, id)) };
}

/** Commits `snapshots` snapshots of `rows` rows each (keys continue across snapshots). */
async function fill(store: ObjectStore, schema: TableSchema, snapshots: number, rows: number): Promise<void> {
  const kernel = (await loadKernel()).kernel;
  const parquet = await parquetWriterModule();
  for (let s = 0; s < snapshots; s++) {
    const writer = new TableWriter(store, schema, { kernel, parquet });
    const batch = Array.from({ length: rows }, (_, i) => ({ k: BigInt(s * rows + i), v: `value-${s}-${i}`, x: i * 0.25, n: i }));
    await writer.writeRows(RowKind.INSERT, batch);
    await writer.commit();
    await writer.close();
  }
}

async function tableIn(dir: string, snapshots: number, rows: number): Promise<{ store: ObjectStore; schema: TableSchema }> {
  const store = new NodeFsStore(dir);
  const schema = schemaOf();
  await store.put("schema/schema-0", utf8Encode(encodeTableSchema(schema)));
  await fill(store, schema, snapshots, rows);
  return { store, schema };
}

/** Tails every snapshot from 1 to `snapshots`; returns [ms, rows]. */
async function tailAll(store: ObjectStore, schema: TableSchema, snapshots: number): Promise<[number, number]> {
  const t0 = performance.now();
  const stream = streamTable(contextOf(store, schema), { scanMode: "from-snapshot", snapshotId: 1n, pollIntervalMs: 1000 });
  let rows = 0;
  for (let i = 0; i < snapshots; i++) {
    const r = await stream.next();
    if (r.done === true) throw new Error("tail bench: the stream ended early");
    rows += r.value.changes.numRows;
  }
  const ms = performance.now() - t0;
  await stream.return();
  return [ms, rows];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
}

async function latency(store: ObjectStore, schema: TableSchema): Promise<number[]> {
  const kernel = (await loadKernel()).kernel;
  const parquet = await parquetWriterModule();
  const stream = streamTable(contextOf(store, schema), { scanMode: "latest", pollIntervalMs: LATENCY_POLL_MS });
  const out: number[] = [];
  let key = 10_000_000n;
  let pending = stream.next();
  await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < LATENCY_COMMITS; i++) {
    await new Promise((r) => setTimeout(r, Math.random() * LATENCY_POLL_MS));
    const writer = new TableWriter(store, schema, { kernel, parquet });
    await writer.write(RowKind.INSERT, { k: key++, v: "late", x: 0, n: 0 });
    await writer.commit();
    const committed = performance.now();
    await writer.close();
    const r = await pending;
    if (r.done === true) throw new Error("tail bench: the stream ended");
    out.push(performance.now() - committed);
    pending = stream.next();
  }
  await stream.return();
  return out;
}

/** Runs the workload; prints its lines unless `--json`, then returns the measurements. */
export async function tailBench(options: BenchOptions): Promise<Measurement[]> {
  setFastParquetSource(readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));
  const snapshots = options.quick ? 40 : 200;
  const rows = 10_000;
  const rounds = options.quick ? 2 : Math.max(3, options.rounds);
  const dir = mkdtempSync(join(tmpdir(), "lakestate-tail-"));
  try {
    const big = await tableIn(join(dir, "big"), snapshots, rows);
    const small = await tableIn(join(dir, "small"), snapshots, 1);
    await tailAll(big.store, big.schema, snapshots); // warm-up
    const rates: number[] = [], perSnapshot: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const [ms, n] = await tailAll(big.store, big.schema, snapshots);
      if (n !== snapshots * rows) throw new Error(`tail bench: read ${n} rows, expected ${snapshots * rows}`);
      rates.push(n / ms * 1000);
      perSnapshot.push((await tailAll(small.store, small.schema, snapshots))[0] / snapshots);
    }
    const lat = await latency(small.store, small.schema);
    const scale = { snapshots, rowsPerSnapshot: rows, store: "fs", pollMs: LATENCY_POLL_MS };
    const out: Measurement[] = [
      { workload: "tail", metric: "rows/s tailing from snapshot 1", value: Math.round(median(rates)), unit: "rows/s", peers: {}, scale, ratios: {} },
      { workload: "tail", metric: "overhead per snapshot", value: Math.round(median(perSnapshot) * 1000) / 1000, unit: "ms", peers: {}, scale, ratios: {} },
      { workload: "tail", metric: "commit-to-visible latency max", value: Math.round(Math.max(...lat) * 10) / 10, unit: "ms", peers: {}, scale, ratios: {} },
      { workload: "tail", metric: "commit-to-visible latency median", value: Math.round(median(lat) * 10) / 10, unit: "ms", peers: {}, scale, ratios: {} },
    ];
    if (!options.json) {
      console.log(`tail  (${snapshots} snapshots x ${rows} rows, local fs, median of ${rounds})`);
      console.log(`  throughput                 ${(out[0]!.value / 1e6).toFixed(2)} M rows/s   (target >= 2)`);
      console.log(`  overhead per snapshot      ${out[1]!.value.toFixed(3)} ms        (target < 2)`);
      console.log(`  commit-to-visible latency  max ${out[2]!.value} ms, median ${out[3]!.value} ms   (target <= ${LATENCY_POLL_MS} + 10 ms)`);
      return [];
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
