/**
 * Kernel micro-benchmarks (docs/performance.md §8 "supporting micro-benchmarks"): sort, 5-way
 * merge and batched lookups, the WASM kernel against its plain-TypeScript twin and against what
 * a developer would write in plain JS, all in one process and one run.
 *
 * Usage: npm run bench -- [--json] [--quick] [--rounds N] [--only sort|merge|search|read-merge|compaction|ingest|tail|lookup]
 *   --json   one JSON line per measurement: workload, metric, value, unit, peers, scale, ratios
 *   --quick  sizes / 10 and 3 rounds: a smoke run of a few seconds
 * Fixed seeds, 1 warm-up round, median of --rounds (default 5) interleaved rounds.
 *
 * Imports: src/kernel/mod.ts and the workload files. Node only (uses node:v8 for GC control).
 */

import { loadKernel, TwinKernel } from "../src/kernel/mod.ts";
import { report } from "./harness.ts";
import type { BenchOptions, Measurement } from "./harness.ts";
import { compactionBench } from "./compaction_bench.ts";
import { mergeBench } from "./merge_bench.ts";
import { ingestBench } from "./ingest_bench.ts";
import { readMergeBench } from "./read_merge_bench.ts";
import { searchBench } from "./search_bench.ts";
import { sortBench } from "./sort_bench.ts";
import { tailBench } from "./tail_bench.ts";
import { lookupBench } from "./lookup_bench.ts";

function parseArgs(argv: string[]): BenchOptions & { only: string | null } {
  const quick = argv.includes("--quick");
  const roundsAt = argv.indexOf("--rounds");
  const onlyAt = argv.indexOf("--only");
  const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : quick ? 3 : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bench: --rounds ${argv[roundsAt + 1]}, expected an integer >= 1`);
  return { json: argv.includes("--json"), quick, rounds, only: onlyAt >= 0 ? argv[onlyAt + 1] ?? null : null };
}

const options = parseArgs(process.argv.slice(2));
const loaded = await loadKernel();
if (loaded.kind !== "wasm") throw new Error(`bench: the WASM kernel did not load: ${loaded.reason}`);
const twin = new TwinKernel();
if (!options.json) console.log(`node ${process.versions.node}, V8 ${process.versions.v8}; ${options.quick ? "quick" : "full"} run, median of ${options.rounds}`);
const workloads: Array<[string, () => Measurement[] | Promise<Measurement[]>]> = [
  ["sort", () => sortBench(loaded.kernel, twin, options)],
  ["merge", () => mergeBench(loaded.kernel, twin, options)],
  ["search", () => searchBench(loaded.kernel, twin, options)],
  ["read-merge", () => readMergeBench(options)],
  ["compaction", () => compactionBench(options)],
  ["ingest", () => ingestBench(options)],
  ["tail", () => tailBench(options)],
  ["lookup", () => lookupBench(options)],
];
for (const [name, run] of workloads) {
  if (options.only !== null && options.only !== name) continue;
  for (const m of await run()) report(m, options);
}
