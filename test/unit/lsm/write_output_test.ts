// Goal: `outputBuffers` gives the same string/binary column whichever fill it takes: the scatter
// of equal-length values (words of 4, 2 or 1 bytes to `position × width`), the general
// scatter and the gather — with merged records among the output rows, of the same length (kept
// on the fast path) or of another one (the general path), and with empty values.
// Method: ColumnStores of seeded random values spanning several chunks, a random permutation
// that keeps 90% of the rows as the output order; the expected column is built here from the
// values themselves (UTF-8 bytes concatenated in output order).
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { ColumnStore, CHUNK_ROWS } from "../../../src/lsm/write_columns.ts";
import { outputBuffers, outputPositions, type RecordValues } from "../../../src/lsm/write_output.ts";
import type { DataType } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { concatBytes, toHex, utf8Encode } from "../../../src/util/bytes.ts";

const VARCHAR: DataType = { root: "VARCHAR", nullable: true, length: 2147483647 };

function check(width: number | "mixed", recordWidth: number | null, seed: number): void {
  const rnd = seededRandom(seed);
  const n = CHUNK_ROWS + 1234;
  const text = (len: number) => Array.from({ length: len }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join("");
  const values = Array.from({ length: n }, () => text(width === "mixed" ? Math.floor(rnd() * 12) : width));
  const store = new ColumnStore("str");
  for (const v of values) store.appendValue(v);
  const order = Array.from({ length: n }, (_, i) => i).sort(() => rnd() - 0.5).slice(0, Math.floor(n * 0.9));
  const records: { value: Value[] }[] = [];
  if (recordWidth !== null) {
    for (let k = 0; k < 50; k++) {
      records.push({ value: [text(recordWidth)] });
      order.splice(Math.floor(rnd() * order.length), 0, ~(records.length - 1));
    }
  }
  const rows = Int32Array.from(order);
  const want = order.map((s) => (s >= 0 ? values[s]! : records[~s]!.value[0] as string));
  const expected = { bytes: toHex(concatBytes(want.map((v) => utf8Encode(v)))), ends: want.reduce<number[]>((o, v) => [...o, o[o.length - 1]! + utf8Encode(v).length], [0]) };
  for (const positions of [outputPositions(rows, rows.length, n), null]) {
    const out = outputBuffers(store, VARCHAR, 0, { kind: "rows", rows }, rows.length, records as RecordValues, positions);
    const where = `width ${width}, records ${recordWidth}, ${positions === null ? "gather" : "scatter"}`;
    assert.equal(out.length, rows.length, where);
    assert.deepEqual(Array.from(out.offsets!), expected.ends, `${where}: offsets`);
    assert.equal(toHex(out.data.subarray(0, out.offsets![rows.length]!)), expected.bytes, `${where}: bytes`);
    assert.equal(out.nullCount, 0);
  }
}

describe("outputBuffers: string columns", () => {
  for (const width of [10, 8, 3, 0, "mixed"] as const) {
    test(`values of width ${width}`, () => check(width, null, 7));
  }
  test("merged records of the same width stay on the fast path", () => check(10, 10, 8));
  test("merged records of another width take the general path", () => check(10, 4, 9));
});
