// Goal: the kernel's WASM slot sum (assembly/sum.ts via WasmKernel.sumF64BySlot) and its twin
// (reference_sum.ts sumF64BySlotTwin) give, bit for bit, the sums of a row-by-row fold written
// independently here: per slot, -0.0 plus each of its rows' values in row order. Addition order
// matters (1e16 + 1 - 1e16 differs from 1e16 - 1e16 + 1), so a form that reorders a slot's rows
// fails; so does one that drops, repeats or misplaces a row, or starts a sum from +0.0.
// Method: seeded random cases over column counts 0-4 (2 has its own WASM loop), segment sizes
// that split the rows, and value mixes with signed zeros, NaN, infinities and magnitudes that
// make order visible; WASM with default limits and with tiny limits (several calls per segment,
// several slot windows); large cases that cross the twin's partitions and row blocks. Slots
// outside [0, slotCount) are an AssertionError naming the row and slot in every form.
import { assert, describe, seededRandom, test } from "../harness.ts";
import { loadKernel, WasmKernel } from "../../src/kernel/mod.ts";
import { sumF64BySlot, sumF64BySlotTwin } from "../../src/kernel/reference_sum.ts";
import { AssertionError } from "../../src/util/assert.ts";

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e16, -1e16, 1, -1, 5e-324, 1.7976931348623157e308];

function value(rnd: () => number): number {
  const r = rnd();
  if (r < 0.15) return SPECIAL[Math.floor(rnd() * SPECIAL.length)]!;
  if (r < 0.5) return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
  return Math.floor(rnd() * 2000) - 1000;
}

/** Columns as the write buffer holds them: segments of 2^shift rows (the last one full-size too). */
function segmented(values: readonly Float64Array[], n: number, shift: number): Float64Array[][] {
  const size = 2 ** shift;
  return values.map((v) => {
    const segments: Float64Array[] = [];
    for (let from = 0; from < Math.max(n, 1); from += size) {
      const s = new Float64Array(size);
      s.set(v.subarray(from, Math.min(n, from + size)));
      segments.push(s);
    }
    return segments;
  });
}

function oracle(slotOf: Int32Array, values: readonly Float64Array[], slotCount: number): Float64Array[] {
  return values.map((v) => {
    const sums = new Float64Array(slotCount).fill(-0);
    for (let r = 0; r < slotOf.length; r++) sums[slotOf[r]!] = sums[slotOf[r]!]! + v[r]!;
    return sums;
  });
}

function assertSame(got: readonly Float64Array[], want: readonly Float64Array[], what: string): void {
  assert.equal(got.length, want.length, what);
  for (let j = 0; j < want.length; j++) {
    assert.equal(got[j]!.length, want[j]!.length, `${what} column ${j}`);
    for (let s = 0; s < want[j]!.length; s++) {
      if (!Object.is(got[j]![s], want[j]![s])) assert.fail(`${what} column ${j} slot ${s}: ${got[j]![s]}, expected ${want[j]![s]}`);
    }
  }
}

function randomCase(rnd: () => number, n: number, slotCount: number, k: number): { slotOf: Int32Array; values: Float64Array[] } {
  const slotOf = new Int32Array(n);
  // Some cases crowd the rows into a few slots, so long per-slot chains are checked too.
  const used = rnd() < 0.3 ? Math.max(1, Math.floor(slotCount / 20)) : slotCount;
  for (let r = 0; r < n; r++) slotOf[r] = Math.floor(rnd() * used) * Math.floor(slotCount / used);
  const values = Array.from({ length: k }, () => Float64Array.from({ length: n }, () => value(rnd)));
  return { slotOf, values };
}

describe("kernel slot sum", () => {
  test("WASM (default and tiny limits) and twin equal the row-by-row fold, bit for bit", async () => {
    const big = (await loadKernel()).kernel;
    assert.ok(big instanceof WasmKernel, "expected the WASM kernel");
    const rnd = seededRandom(0x5a11);
    const seen = { windows: 0, k2: 0, kOther: 0, empty: 0 };
    for (let round = 0; round < 300; round++) {
      const n = round % 25 === 0 ? 0 : Math.floor(rnd() * 3000);
      const slotCount = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 40 : 2000));
      const k = [0, 1, 2, 2, 3, 4][round % 6]!;
      const shift = [0, 3, 7, 10, 16][Math.floor(rnd() * 5)]!;
      const { slotOf, values } = randomCase(rnd, n, slotCount, k);
      const columns = segmented(values, n, shift);
      const want = oracle(slotOf, values, slotCount);
      const what = `round ${round}: n ${n}, slots ${slotCount}, k ${k}, shift ${shift}`;
      assertSame(sumF64BySlotTwin(slotOf, columns, shift, slotCount), want, `twin ${what}`);
      assertSame(sumF64BySlot(big, slotOf, columns, shift, slotCount), want, `wasm ${what}`);
      const rowsMax = 1 + Math.floor(rnd() * 50), windowSlots = 1 + Math.floor(rnd() * 60);
      const small = (await loadKernel({ limits: { batchRowsMax: rowsMax, batchBytesMax: 8 * Math.max(k, 1) * windowSlots } })).kernel;
      assertSame(sumF64BySlot(small, slotOf, columns, shift, slotCount), want, `wasm (rows ${rowsMax}, window ${windowSlots}) ${what}`);
      if (windowSlots < slotCount && k > 0 && n > 0) seen.windows++;
      if (n === 0 || k === 0) seen.empty++;
      else if (k === 2) seen.k2++;
      else seen.kOther++;
    }
    assert.ok(seen.windows > 50 && seen.k2 > 50 && seen.kOther > 100 && seen.empty > 20, JSON.stringify(seen));
  });

  test("large inputs cross the twin's partitions and row blocks; WASM agrees", async () => {
    const big = (await loadKernel()).kernel;
    const rnd = seededRandom(0xb10c);
    for (const [n, slotCount, k] of [[1_200_000, 300_000, 2], [1_100_000, 70_000, 3], [300_000, 1, 1]] as const) {
      const { slotOf, values } = randomCase(rnd, n, slotCount, k);
      const columns = segmented(values, n, 16);
      const want = oracle(slotOf, values, slotCount);
      assertSame(sumF64BySlotTwin(slotOf, columns, 16, slotCount), want, `twin n ${n} slots ${slotCount} k ${k}`);
      assertSame(sumF64BySlot(big, slotOf, columns, 16, slotCount), want, `wasm n ${n} slots ${slotCount} k ${k}`);
    }
  });

  test("a slot outside [0, slotCount) is an AssertionError naming the row and slot, in every form", async () => {
    const big = (await loadKernel()).kernel;
    const small = (await loadKernel({ limits: { batchRowsMax: 3, batchBytesMax: 32 } })).kernel;
    const twinKernel = (await loadKernel({ forceTwin: true })).kernel;
    const values = [Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([6, 7, 8, 9, 10])];
    for (const bad of [-1, 7, 8, 2 ** 31 - 1]) {
      const slotOf = Int32Array.from([0, 3, bad, 1, 6]);
      for (const kernel of [big, small, twinKernel]) {
        assert.throws(() => sumF64BySlot(kernel, slotOf, segmented(values, 5, 1), 1, 7),
          (e: unknown) => e instanceof AssertionError && e.message.includes(`row 2 has slot ${bad}`), `${kernel.kind} slot ${bad}`);
      }
    }
  });

  test("a kernel without the WASM form (the twin kernel) sums through the twin", async () => {
    const twinKernel = (await loadKernel({ forceTwin: true })).kernel;
    assert.equal(twinKernel.kind, "twin");
    const { slotOf, values } = randomCase(seededRandom(5), 5000, 900, 2);
    const columns = segmented(values, 5000, 10);
    assertSame(sumF64BySlot(twinKernel, slotOf, columns, 10, 900), oracle(slotOf, values, 900), "twin kernel");
  });
});
