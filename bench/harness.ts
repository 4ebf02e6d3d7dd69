/**
 * Benchmark plumbing shared by every workload: timing (warm-up + median of interleaved runs),
 * a forced GC between samples when available, and the two output formats.
 *
 * Method: within one measurement every contender (the kernel and its peers) runs once per round,
 * in the same order, on the same inputs, and the median over rounds is reported. Ratios are
 * therefore taken inside one process and one run, as docs/performance.md §8-9 ask, and the
 * noise of a shared 2-core machine hits every contender alike.
 *
 * Imports: node:v8 and node:vm (bench runs under Node only).
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const forceGc: (() => void) | undefined = runInNewContext("typeof gc === 'function' ? gc : undefined");

/** One JSON line of output. */
export interface Measurement {
  workload: string;
  metric: string;
  value: number;
  unit: string;
  peers: Record<string, number>;
  scale: Record<string, number | string>;
  /** value / peer value, for rates (higher is better). */
  ratios: Record<string, number>;
}

/** A contender: `run` does the whole operation once and returns something to keep alive. */
export interface Contender {
  name: string;
  /** Called before each timed run, untimed (e.g. copying an input that is sorted in place). */
  prepare?: () => void;
  run: () => unknown;
}

/** Options from the command line. */
export interface BenchOptions {
  json: boolean;
  quick: boolean;
  rounds: number;
}

let sink: unknown = null;

/** Returns the checksum-ish sink so the optimiser cannot drop work. */
export function blackhole(): unknown {
  return sink;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Times each contender: 1 warm-up round, then `rounds` interleaved rounds; median ms each. */
export function timeContenders(contenders: Contender[], rounds: number): Map<string, number> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = -1; r < rounds; r++) {
    for (const c of contenders) {
      c.prepare?.();
      forceGc?.();
      const t0 = performance.now();
      sink = c.run();
      const ms = performance.now() - t0;
      if (r >= 0) samples.get(c.name)!.push(ms);
    }
  }
  return new Map([...samples].map(([k, v]) => [k, median(v)]));
}

/**
 * Turns median times into a rows/s measurement of contender `main` against the others.
 * `rows` is the number of rows one run processes.
 */
export function rateMeasurement(
  workload: string, metric: string, main: string, times: Map<string, number>, rows: number,
  scale: Record<string, number | string>,
): Measurement {
  const rate = (ms: number) => Math.round((rows / ms) * 1000);
  const value = rate(times.get(main)!);
  const peers: Record<string, number> = {}, ratios: Record<string, number> = {};
  for (const [name, ms] of times) {
    if (name === main) continue;
    peers[name] = rate(ms);
    ratios[name] = Math.round((value / peers[name]!) * 100) / 100;
  }
  return { workload, metric, value, unit: "rows/s", peers, scale, ratios };
}

/** Prints one measurement: a JSON line, or a readable block. */
export function report(m: Measurement, options: BenchOptions): void {
  if (options.json) {
    console.log(JSON.stringify(m));
    return;
  }
  const fmt = (v: number) => `${(v / 1e6).toFixed(2)} M rows/s`;
  const scale = Object.entries(m.scale).map(([k, v]) => `${k}=${v}`).join(" ");
  console.log(`${m.workload} / ${m.metric}  (${scale})`);
  console.log(`  ${"kernel".padEnd(24)} ${fmt(m.value).padStart(16)}`);
  for (const [name, v] of Object.entries(m.peers)) {
    console.log(`  ${name.padEnd(24)} ${fmt(v).padStart(16)}   kernel is ${m.ratios[name]!.toFixed(2)}x`);
  }
}
