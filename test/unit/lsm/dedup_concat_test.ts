// Goal: the "concat" strategy of the columnar deduplicate merge (a compacted bucket: one sorted
// run split over files) applies exactly when the runs are disjoint, strictly ascending and hold
// only adds, in any file order, and then returns the general merge's winners in key order; it
// steps aside (another strategy answers, same winners) when runs overlap, repeat a key or hold
// a retract. Its lazily built runs/rows agree with its runOrder.
// Method: seeded random distinct keys (integer, BIGINT beyond 2^53, strings, composite), sorted,
// cut into 1-6 files given in shuffled order; the general merge's output ids are the oracle.
import { assert, seededRandom, test } from "../../harness.ts";
import { columnsOf, FAST_TYPES, randomValue } from "../table/fast_read_helpers.ts";
import { dedupMergeRuns, type DedupRun } from "../../../src/lsm/dedup_merge.ts";
import { mergeReadRuns, type SortedRunBatch } from "../../../src/lsm/merge_reader.ts";
import { ReducerMergeFunction } from "../../../src/lsm/merge_function/merge_function.ts";
import { DeduplicateMergeFunction } from "../../../src/lsm/merge_function/deduplicate.ts";
import { loadKernel, type KeyKernel } from "../../../src/kernel/mod.ts";
import { atomic, describeType, type DataType } from "../../../src/spec/data_types.ts";
import { createKeyCodec } from "../../../src/spec/key_codec.ts";
import type { Value } from "../../../src/spec/values.ts";
import { compareBytes } from "../../../src/util/bytes.ts";

interface RawRun { keys: Value[][]; seqs: bigint[]; kinds: number[]; ids: number[] }

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

function oracle(kernel: KeyKernel, types: readonly DataType[], runs: readonly RawRun[], ignoreDelete: boolean): number[] {
  const batches: SortedRunBatch[] = runs.map((r) => ({
    level: 1,
    batch: {
      rowCount: r.ids.length, fields: [{ id: 0, name: "id", type: ID_TYPE }], columns: [r.ids],
      sequenceNumbers: BigInt64Array.from(r.seqs), rowKinds: Uint8Array.from(r.kinds), keys: r.keys,
    },
  }));
  const merged = mergeReadRuns(batches, {
    kernel, keyTypes: types, mergeFunction: new ReducerMergeFunction(new DeduplicateMergeFunction(ignoreDelete)),
    sequenceComparator: null, dropRetracts: true,
  });
  return merged.columns[0]! as number[];
}

/** Distinct sorted keys cut into files, files shuffled; `twist` breaks the single-run shape. */
function oneRun(types: readonly DataType[], rnd: () => number, twist: "none" | "overlap" | "duplicate" | "retract"): RawRun[] {
  const codec = createKeyCodec(types);
  const byKey = new Map<string, { key: Value[]; bytes: Uint8Array }>();
  const want = 1 + Math.floor(rnd() * 80);
  for (let i = 0; i < want * 3 && byKey.size < want; i++) {
    const key = types.map((t) => {
      const v = randomValue(t, rnd, 1000);
      return t.root === "BIGINT" && v !== null && rnd() < 0.3 ? BigInt.asIntN(64, (v as bigint) * 2n ** 54n + 1n) : v;
    });
    if (key.some((v) => v === null)) continue;
    const bytes = codec.encodeKeyPart(key);
    byKey.set(bytes.join(","), { key, bytes });
  }
  const list = [...byKey.values()].sort((a, b) => compareBytes(a.bytes, b.bytes));
  const cuts = [0];
  const files = 1 + Math.floor(rnd() * 6);
  for (let f = 1; f < files; f++) cuts.push(Math.floor((f * list.length) / files));
  cuts.push(list.length);
  let id = 0;
  const runs: RawRun[] = [];
  for (let f = 0; f + 1 < cuts.length; f++) {
    let part = list.slice(cuts[f]!, cuts[f + 1]!);
    if (part.length === 0) continue;
    if (twist === "overlap" && cuts[f]! > 0) part = [list[cuts[f]! - 1]!, ...part];
    if (twist === "duplicate" && runs.length === 0) part = [part[0]!, ...part];
    const run: RawRun = { keys: types.map(() => []), seqs: [], kinds: [], ids: [] };
    for (const e of part) {
      e.key.forEach((v, k) => run.keys[k]!.push(v));
      run.seqs.push(BigInt(id));
      run.kinds.push(rnd() < 0.5 ? 0 : 2);
      run.ids.push(id++);
    }
    runs.push(run);
  }
  if (twist === "retract" && runs.length > 0) runs[runs.length - 1]!.kinds[0] = rnd() < 0.5 ? 1 : 3;
  for (let i = runs.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [runs[i], runs[j]] = [runs[j]!, runs[i]!]; }
  return runs;
}

const kernel: Promise<KeyKernel> = loadKernel().then((k) => k.kernel);

test("concat: one sorted run over shuffled files gives the general merge's winners; other shapes step aside", async () => {
  const wasm = await kernel;
  const rnd = seededRandom(2026);
  const typeSets: DataType[][] = [
    [atomic("INT")], [atomic("BIGINT", { nullable: false })], [atomic("SMALLINT")], [atomic("VARCHAR")],
    ...FAST_TYPES.map((t) => [t]), [atomic("INT"), atomic("VARCHAR")],
  ];
  const seen = { concat: 0, other: 0 };
  for (let round = 0; round < 240; round++) {
    const types = typeSets[round % typeSets.length]!;
    const twist = (["none", "none", "overlap", "duplicate", "retract"] as const)[round % 5]!;
    const raw = oneRun(types, rnd, twist);
    const runs = raw.map((r) => columnar(types, r));
    const where = `round ${round} ${types.map(describeType).join(",")} ${twist} files ${raw.length}`;
    for (const ignoreDelete of [false, true]) {
      const want = oracle(wasm, types, raw, ignoreDelete);
      const sel = dedupMergeRuns(runs, { kernel: wasm, keyTypes: types, ignoreDelete })!;
      assert.ok(sel !== null, where);
      const got = Array.from({ length: sel.count }, (_, i) => raw[sel.runs[i]!]!.ids[sel.rows[i]!]!);
      assert.deepEqual(got, want, where);
      const forced = dedupMergeRuns(runs, { kernel: wasm, keyTypes: types, ignoreDelete, strategy: "concat" });
      // "overlap" repeats a key only from the second file on: with one file it is still one run.
      if (twist === "none" || (twist === "overlap" && raw.length === 1 && raw[0]!.ids.length === new Set(raw[0]!.ids).size)) {
        assert.equal(sel.strategy, "concat", where);
        assert.ok(forced !== null && sel.runOrder !== undefined, where);
        // runOrder says the same as runs/rows: every row of each listed run, in order.
        const fromOrder = [...sel.runOrder!].flatMap((r) => raw[r]!.ids);
        assert.deepEqual(fromOrder, want, where);
        seen.concat++;
      } else {
        assert.notEqual(sel.strategy, "concat", where);
        assert.equal(forced, null, where);
        seen.other++;
      }
    }
  }
  assert.ok(seen.concat > 150 && seen.other > 200, JSON.stringify(seen));
});
