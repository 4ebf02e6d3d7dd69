// Goal: the columnar key encoder writes exactly the bytes of spec/key_codec.ts for every key type
// it serves (nulls, NaN, -0.0, strings with NUL bytes, negative decimals and timestamps,
// micro-second timestamps included), with and without the sequence tail, for single and
// composite keys; and it refuses types it does not serve.
// Method: seeded random value columns, turned into Arrow-layout buffers through the general
// path's Arrow encoder, encoded column-wise and compared key by key with createKeyCodec's encode
// (an independent, per-value implementation).
import { assert, seededRandom, test } from "../../harness.ts";
import { FAST_TYPES, columnsOf, randomValue } from "../table/fast_read_helpers.ts";
import { encodeKeyColumns, isColumnEncodableKeyType } from "../../../src/lsm/key_columns_encoder.ts";
import { createKeyCodec } from "../../../src/spec/key_codec.ts";
import { atomic, describeType, type DataType } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { toHex } from "../../../src/util/bytes.ts";

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

function check(types: readonly DataType[], rows: number, seed: number, withTail: boolean, nulls: boolean, nulBytes = true): void {
  const rnd = seededRandom(seed);
  const columns: Value[][] = types.map(() => []);
  const seqs: bigint[] = [];
  const noNul = (v: Value): Value => (typeof v === "string" ? v.replaceAll("\u0000", "0") : v instanceof Uint8Array ? v.map((b) => b || 1) : v);
  for (let i = 0; i < rows; i++) {
    types.forEach((t, k) => {
      const v = nulls && rnd() < 0.15 ? null : randomValue(t, rnd, 40);
      columns[k]!.push(nulBytes ? v : noNul(v));
    });
    const r = rnd();
    seqs.push(r < 0.05 ? INT64_MIN : r < 0.1 ? INT64_MAX : BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * 1000n);
  }
  const buffers = columnsOf(types, columns, rows);
  const seqBuffers = columnsOf([atomic("BIGINT", { nullable: false })], [seqs], rows)[0]!;
  const keys = encodeKeyColumns(types, buffers, withTail ? seqBuffers : null, rows);
  const codec = createKeyCodec(types);
  assert.equal(keys.offsets.length, rows + 1);
  for (let i = 0; i < rows; i++) {
    const values = types.map((_, k) => columns[k]![i] ?? null);
    const want = withTail ? codec.encode(values, seqs[i]!) : codec.encodeKeyPart(values);
    const got = keys.bytes.subarray(keys.offsets[i]!, keys.offsets[i + 1]!);
    assert.equal(toHex(got), toHex(want), `${types.map(describeType).join(", ")} row ${i}: ${JSON.stringify(values, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`);
  }
  assert.equal(keys.offsets[rows], keys.bytes.length, "no slack after the last key");
}

test("every served key type, alone, encodes like key_codec (with and without tail, with nulls)", () => {
  FAST_TYPES.forEach((type, i) => {
    assert.ok(isColumnEncodableKeyType(type), describeType(type));
    check([type], 300, 100 + i, true, true);
    check([type], 200, 200 + i, false, true);
  });
});

test("composite keys mixing fixed and variable widths encode like key_codec", () => {
  const rnd = seededRandom(7);
  for (let round = 0; round < 40; round++) {
    const width = 2 + Math.floor(rnd() * 3);
    const types = Array.from({ length: width }, () => FAST_TYPES[Math.floor(rnd() * FAST_TYPES.length)]!);
    check(types, 120, 1000 + round, rnd() < 0.7, rnd() < 0.5);
  }
});

test("string and binary columns without any 0x00 byte (the no-escape path) encode like key_codec", () => {
  const types = [atomic("VARCHAR", { length: 100 }), atomic("VARBINARY", { length: 100 })];
  check(types, 300, 77, true, true, false);
  check([types[0]!], 300, 78, false, false, false);
  check([types[1]!, atomic("INT")], 300, 79, true, true, false);
});

test("zero rows and NOT NULL columns", () => {
  check([atomic("BIGINT", { nullable: false }), atomic("VARCHAR", { nullable: false, length: 10 })], 0, 1, true, false);
  check([atomic("INT", { nullable: false })], 50, 2, true, false);
});

test("types the encoder does not serve are reported, and encoding them throws unsupported", () => {
  for (const type of [atomic("TIMESTAMP", { precision: 0 }), atomic("TIMESTAMP", { precision: 9 }), { root: "ARRAY", nullable: true, element: atomic("INT") } as DataType]) {
    assert.equal(isColumnEncodableKeyType(type), false, describeType(type));
    assert.throws(() => encodeKeyColumns([type], [columnsOf([atomic("INT")], [[1]], 1)[0]!], null, 1), (e: unknown) => (e as { code?: string }).code === "unsupported");
  }
  assert.throws(() => encodeKeyColumns([atomic("INT"), atomic("INT")], [], null, 0), (e: unknown) => (e as { code?: string }).code === "invalid_argument");
});
