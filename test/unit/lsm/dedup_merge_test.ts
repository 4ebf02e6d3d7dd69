// Goal: the columnar deduplicate merge picks, key by key and in key order, exactly the record the
// general merge (merge_reader.ts + DeduplicateMergeFunction + Java's single-record shortcut +
// dropping retracts) returns — with and without ignore-delete, with sequence-number ties across
// runs, retracts at the top, every key type, composite keys, up to 12 runs — through each of its
// strategies (dense, numeric, kernel; concat has its own test, dedup_concat_test.ts); unsorted
// runs are refused (null).
// Method: seeded random runs (small key spaces so keys collide, small sequence ranges so
// sequence numbers tie), each row carrying a unique id value; the general merge's output ids
// are the oracle, compared with the ids the selection points at.
import { assert, seededRandom, test } from "../../harness.ts";
import { columnsOf, FAST_TYPES, randomValue } from "../table/fast_read_helpers.ts";
import { dedupMergeRuns, NUMERIC_MERGE_RUNS_MAX, type DedupRun, type DedupStrategy } from "../../../src/lsm/dedup_merge.ts";
import { mergeReadRuns, type SortedRunBatch } from "../../../src/lsm/merge_reader.ts";
import { ReducerMergeFunction } from "../../../src/lsm/merge_function/merge_function.ts";
import { DeduplicateMergeFunction } from "../../../src/lsm/merge_function/deduplicate.ts";
import { loadKernel, TwinKernel, type KeyKernel } from "../../../src/kernel/mod.ts";
import { atomic, describeType, type DataType } from "../../../src/spec/data_types.ts";
import { createKeyCodec } from "../../../src/spec/key_codec.ts";
import type { Value } from "../../../src/spec/values.ts";
import { compareBytes } from "../../../src/util/bytes.ts";

interface RawRun { keys: Value[][]; seqs: bigint[]; kinds: number[]; ids: number[] }

/** A run of distinct keys sorted in key_codec order (or unsorted / with duplicates on request). */
function randomRun(types: readonly DataType[], rnd: () => number, run: number, spread: number, shape: "sorted" | "duplicates" | "shuffled"): RawRun {
  const codec = createKeyCodec(types);
  const rows = Math.floor(rnd() * 50);
  const byKey = new Map<string, { key: Value[]; bytes: Uint8Array }>();
  for (let i = 0; i < rows; i++) {
    const key = types.map((t) => randomValue(t, rnd, spread));
    const bytes = codec.encodeKeyPart(key);
    byKey.set(bytes.join(","), { key, bytes });
  }
  let list = [...byKey.values()].sort((a, b) => compareBytes(a.bytes, b.bytes));
  if (shape === "duplicates" && list.length > 0) list = list.flatMap((e) => (rnd() < 0.3 ? [e, e] : [e]));
  if (shape === "shuffled" && list.length > 1) list = [list[list.length - 1]!, ...list.slice(0, -1)];
  const out: RawRun = { keys: types.map(() => []), seqs: [], kinds: [], ids: [] };
  list.forEach((e, i) => {
    e.key.forEach((v, k) => out.keys[k]!.push(v));
    out.seqs.push(BigInt(Math.floor(rnd() * 12)) - 3n);
    out.kinds.push(Math.floor(rnd() * 4));
    out.ids.push(run * 1000 + i);
  });
  return out;
}

const ID_TYPE = atomic("INT", { nullable: false });

function columnar(types: readonly DataType[], raw: RawRun): DedupRun {
  const n = raw.ids.length;
  return {
    rowCount: n,
    keys: columnsOf(types, raw.keys, n),
    sequenceNumbers: columnsOf([atomic("BIGINT", { nullable: false })], [raw.seqs], n)[0]!,
    rowKinds: columnsOf([atomic("TINYINT", { nullable: false })], [raw.kinds], n)[0]!,
  };
}

/** The general merge's winners, as ids. */
function oracle(kernel: KeyKernel, types: readonly DataType[], runs: readonly RawRun[], ignoreDelete: boolean): number[] {
  const batches: SortedRunBatch[] = runs.map((r) => ({
    level: 0,
    batch: {
      rowCount: r.ids.length,
      fields: [{ id: 0, name: "id", type: ID_TYPE }],
      columns: [r.ids],
      sequenceNumbers: BigInt64Array.from(r.seqs),
      rowKinds: Uint8Array.from(r.kinds),
      keys: r.keys,
    },
  }));
  const merged = mergeReadRuns(batches, {
    kernel, keyTypes: types, mergeFunction: new ReducerMergeFunction(new DeduplicateMergeFunction(ignoreDelete)),
    sequenceComparator: null, dropRetracts: true,
  });
  return merged.columns[0]! as number[];
}

function picked(runs: readonly RawRun[], sel: { runs: Uint32Array; rows: Uint32Array; count: number }): number[] {
  return Array.from({ length: sel.count }, (_, i) => runs[sel.runs[i]!]!.ids[sel.rows[i]!]!);
}

const kernels: Promise<KeyKernel[]> = loadKernel().then((k) => [k.kernel, new TwinKernel()]);

/** Replaces integer keys by their rank among all keys of the runs: same order, a dense range. */
function densify(raw: RawRun[]): RawRun[] {
  const all = [...new Set(raw.flatMap((r) => r.keys[0]! as number[]))].sort((a, b) => a - b);
  const rank = new Map(all.map((v, i) => [v, i - 7]));
  return raw.map((r) => ({ ...r, keys: [r.keys[0]!.map((v) => rank.get(v as number)!)] }));
}

test("random runs: every strategy returns the general merge's winners, in key order", async () => {
  const [wasm, twin] = await kernels;
  const rnd = seededRandom(42);
  const numericTypes = [atomic("INT"), atomic("TINYINT"), atomic("DATE"), atomic("SMALLINT")];
  const seen = new Map<DedupStrategy, number>();
  for (let round = 0; round < 300; round++) {
    const numeric = round % 2 === 0;
    const types = numeric ? [numericTypes[round % numericTypes.length]!] :
      Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => FAST_TYPES[Math.floor(rnd() * FAST_TYPES.length)]!);
    const k = 1 + Math.floor(rnd() * (numeric ? NUMERIC_MERGE_RUNS_MAX + 2 : 12));
    const spread = 2 + Math.floor(rnd() * 30);
    let raw = Array.from({ length: k }, (_, r) => randomRun(types, rnd, r, spread, "sorted"));
    const dense = numeric && types[0]!.root !== "TINYINT" && round % 4 === 0;
    if (dense) raw = densify(raw);
    const runs = raw.map((r) => columnar(types, r));
    for (const ignoreDelete of [false, true]) {
      const want = oracle(round % 3 === 0 ? twin! : wasm!, types, raw, ignoreDelete);
      const where = `round ${round} ${types.map(describeType).join(",")} runs ${k} ignoreDelete ${ignoreDelete}`;
      const strategies: DedupStrategy[] = numeric ? ["kernel", "numeric", ...(dense ? ["dense" as const] : [])] : ["kernel"];
      for (const strategy of strategies) {
        const sel = dedupMergeRuns(runs, { kernel: wasm!, keyTypes: types, ignoreDelete, strategy });
        assert.equal(sel?.strategy, strategy, `${where}: ${strategy} applies`);
        assert.deepEqual(picked(raw, sel!), want, `${where} (${strategy})`);
        seen.set(strategy, (seen.get(strategy) ?? 0) + 1);
      }
      const auto = dedupMergeRuns(runs, { kernel: wasm!, keyTypes: types, ignoreDelete });
      assert.deepEqual(picked(raw, auto!), want, `${where} (default ${auto?.strategy})`);
      if (dense && auto?.strategy !== "concat") assert.equal(auto?.strategy, "dense", where);
    }
  }
  assert.ok((seen.get("kernel") ?? 0) > 500 && (seen.get("numeric") ?? 0) > 250 && (seen.get("dense") ?? 0) > 50, JSON.stringify([...seen]));
});

test("forced dense or numeric strategies step aside (null) when they do not apply", async () => {
  const [wasm] = await kernels;
  const types = [atomic("INT")];
  // Two overlapping runs, so the concat strategy (one sorted run) does not apply either.
  const sparse = [{ keys: [[1, 1_000_000]], seqs: [1n, 2n], kinds: [0, 0], ids: [0, 1] }, { keys: [[1_000_000]], seqs: [3n], kinds: [0], ids: [2] }];
  assert.equal(dedupMergeRuns(sparse.map((r) => columnar(types, r)), { kernel: wasm!, keyTypes: types, ignoreDelete: false, strategy: "dense" }), null);
  assert.equal(dedupMergeRuns(sparse.map((r) => columnar(types, r)), { kernel: wasm!, keyTypes: types, ignoreDelete: false })!.strategy, "numeric");
  const strings = [atomic("VARCHAR", { length: 3 })];
  const run = columnar(strings, { keys: [["a"]], seqs: [1n], kinds: [0], ids: [0] });
  assert.equal(dedupMergeRuns([run], { kernel: wasm!, keyTypes: strings, ignoreDelete: false, strategy: "numeric" }), null);
  assert.equal(dedupMergeRuns([run, run], { kernel: wasm!, keyTypes: strings, ignoreDelete: false })!.strategy, "kernel");
});

test("BIGINT keys: small values stay numeric (dense or numeric), values beyond 2^53 go to the kernel, same winners", async () => {
  const [wasm] = await kernels;
  const rnd = seededRandom(9);
  const types = [atomic("BIGINT", { nullable: false })];
  for (const big of [false, true]) {
    const raw = Array.from({ length: 5 }, (_, r) => {
      const run = randomRun([atomic("TINYINT")], rnd, r, 120, "sorted");
      return { ...run, keys: [run.keys[0]!.map((v) => BigInt(v as number) * (big ? 2n ** 55n : 1n))] };
    });
    const runs = raw.map((r) => columnar(types, r));
    const sel = dedupMergeRuns(runs, { kernel: wasm!, keyTypes: types, ignoreDelete: false })!;
    if (big) assert.ok(sel.strategy === "kernel" || sel.strategy === "concat", sel.strategy);
    else assert.notEqual(sel.strategy, "kernel");
    assert.deepEqual(picked(raw, sel), oracle(wasm!, types, raw, false));
  }
});

test("duplicate keys inside a run: numeric strategies step aside, the kernel strategy matches the general merge (which sorts such runs)", async () => {
  const [wasm] = await kernels;
  const rnd = seededRandom(5);
  const types = [atomic("INT")];
  let withDuplicates = 0;
  for (let round = 0; round < 60; round++) {
    const raw = Array.from({ length: 3 }, (_, r) => randomRun(types, rnd, r, 10, "duplicates"));
    if (raw.some((run) => run.keys[0]!.some((v, i) => i > 0 && v === run.keys[0]![i - 1]))) withDuplicates++;
    const runs = raw.map((r) => columnar(types, r));
    for (const ignoreDelete of [false, true]) {
      const sel = dedupMergeRuns(runs, { kernel: wasm!, keyTypes: types, ignoreDelete })!;
      assert.deepEqual(picked(raw, sel), oracle(wasm!, types, raw, ignoreDelete), `round ${round}`);
      if (withDuplicates > 0 && raw.some((run) => run.keys[0]!.some((v, i) => i > 0 && v === run.keys[0]![i - 1]))) assert.equal(sel.strategy, "kernel");
    }
  }
  assert.ok(withDuplicates >= 30, `${withDuplicates} rounds with duplicates`);
});

test("a run whose keys are not ascending is refused by both strategies", async () => {
  const [wasm] = await kernels;
  const rnd = seededRandom(11);
  for (const types of [[atomic("INT")], [atomic("VARCHAR", { length: 10 })]]) {
    let raw: RawRun[];
    do raw = [randomRun(types, rnd, 0, 50, "sorted"), randomRun(types, rnd, 1, 50, "shuffled")]; while (raw[1]!.ids.length < 2);
    const runs = raw.map((r) => columnar(types, r));
    assert.equal(dedupMergeRuns(runs, { kernel: wasm!, keyTypes: types, ignoreDelete: false }), null);
    for (const strategy of ["kernel", "numeric", "dense"] as const) {
      if (strategy !== "kernel" && types[0]!.root !== "INT") continue;
      assert.equal(dedupMergeRuns(runs, { kernel: wasm!, keyTypes: types, ignoreDelete: false, strategy }), null, strategy);
    }
  }
});

test("no runs, and empty runs, select nothing", async () => {
  const [wasm] = await kernels;
  const types = [atomic("INT")];
  assert.equal(dedupMergeRuns([], { kernel: wasm!, keyTypes: types, ignoreDelete: false })!.count, 0);
  const empty = columnar(types, { keys: [[]], seqs: [], kinds: [], ids: [] });
  assert.equal(dedupMergeRuns([empty, empty], { kernel: wasm!, keyTypes: types, ignoreDelete: true })!.count, 0);
});
