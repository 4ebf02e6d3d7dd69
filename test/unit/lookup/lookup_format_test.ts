// Goal: the lookup's own encodings are right: (1) the fast bucket hash of one integer bucket
// key equals Java's bucket function (spec/bucket.ts) for BIGINT, INT, DATE and DECIMAL keys,
// including negatives and extremes; (2) the index file round-trips an index (u64 and byte keys,
// every stored column kind, nulls) and reports truncation, bit flips and bad versions as
// corrupt; (3) the u64 key search finds exactly the lower bound for any distribution.
// Method: seeded random values against the reference functions; encode/decode/mutate bytes.
import { describe, test, assert, seededRandom } from "../../harness.ts";
import { TwinKernel } from "../../../src/kernel/mod.ts";
import { fixedBucket } from "../../../src/spec/bucket.ts";
import { parseTypeString } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { buildKeyIndex, indexFromFileParts, indexToFileParts, makeBucketIndex } from "../../../src/lookup/bucket_index.ts";
import { decodeIndexFile, encodeIndexFile, INDEX_FORMAT_VERSION } from "../../../src/lookup/index_file.ts";
import { columnFromValues, columnValueAt } from "../../../src/lookup/lookup_columns.ts";
import { buildU64Index, lowerBoundU64Key, u64BloomBlock } from "../../../src/lookup/key_search.ts";
import { bloomMayContain, bloomMayContainBlock, hashWordsPair } from "../../../src/kernel/mod.ts";
import { bucketOfIntegerKey, encodeU64Probes, probeBuckets } from "../../../src/lookup/lookup_probe.ts";
import { field } from "./lookup_helpers.ts";

describe("lookup bucket hash", () => {
  test("fast integer bucket hash equals Java's bucket function", () => {
    const rnd = seededRandom(17);
    for (const [typeText, gen] of [
      ["BIGINT", () => BigInt.asIntN(64, BigInt(Math.floor(rnd() * 2 ** 53)) * BigInt(Math.floor(rnd() * 4096)) - 2n ** 60n)],
      ["INT", () => Math.floor(rnd() * 2 ** 32) - 2 ** 31],
      ["DATE", () => Math.floor(rnd() * 40000) - 20000],
      ["DECIMAL(10, 2)", () => BigInt(Math.floor(rnd() * 2e9) - 1e9)],
    ] as [string, () => Value][]) {
      const type = parseTypeString(typeText);
      const values: Value[] = [gen(), gen(), 0n, -1n, 9223372036854775807n, -9223372036854775808n, 0, -1, 2147483647, -2147483648]
        .filter((v) => (typeText === "INT" || typeText === "DATE" ? typeof v === "number" : typeof v === "bigint"))
        .filter((v) => !typeText.startsWith("DECIMAL") || ((v as bigint) < 10n ** 10n && (v as bigint) > -(10n ** 10n)));
      for (let i = 0; i < 300; i++) values.push(gen());
      const shape = { names: ["k"], types: [type] };
      const probes = encodeU64Probes(shape, values.map((v) => [v]));
      for (const buckets of [1, 2, 7, 40, 1000]) {
        const fast = probeBuckets(probes, shape, [0], [type], buckets);
        values.forEach((v, i) => assert.equal(fast[i], fixedBucket([type], [v], buckets), `${typeText} ${String(v)} in ${buckets}`));
      }
    }
    assert.equal(bucketOfIntegerKey(0, 0, 1), 0);
  });
});

describe("lookup index file", () => {
  const fields = [field(0, "k", "STRING NOT NULL"), field(1, "n", "BIGINT"), field(2, "i", "INT"), field(3, "d", "DOUBLE"), field(4, "b", "BOOLEAN"), field(5, "t", "TIMESTAMP(6)"), field(6, "y", "BYTES")];
  const rows: Value[][] = [
    ["x", 1n, 1, 1.5, true, { epochMillis: 5, nanoOfMillisecond: 7000 }, new Uint8Array([1, 2])],
    ["a", null, -3, null, false, null, null],
    ["m", -9n, null, -0.25, null, { epochMillis: -1, nanoOfMillisecond: 0 }, new Uint8Array(0)],
  ];
  const columns = fields.map((f, c) => columnFromValues(f.type, rows.map((r) => r[c]!)));

  for (const [form, keyPositions] of [["bytes", [0]], ["u64", [1]]] as const) {
    test(`round trip (${form} keys) and corruption detection`, () => {
      const ctx = { fields, keyPositions, kernel: new TwinKernel() };
      const index = makeBucketIndex("00/3", "identity-1", columns, rows.length, buildKeyIndex(ctx, columns, rows.length));
      assert.equal(index.key.sorted.form, form);
      const parts = indexToFileParts(index)!;
      const bytes = encodeIndexFile(parts.header, parts.sections);
      const decoded = decodeIndexFile(bytes);
      assert.equal(decoded.status, "ok");
      if (decoded.status !== "ok") return;
      const back = indexFromFileParts("00/3", decoded.header, decoded.sections);
      assert.equal(back.identity, "identity-1");
      assert.equal(back.bytes, index.bytes);
      for (let c = 0; c < fields.length; c++) {
        for (let r = 0; r < rows.length; r++) assert.deepEqual(columnValueAt(back.columns[c]!, r), rows[r]![c]);
      }
      assert.deepEqual(back.key.rows, index.key.rows);
      assert.deepEqual(back.key.bloom, index.key.bloom);
      assert.equal(back.key.bloomScale, index.key.bloomScale);
      // Every single-byte flip in the body or header is detected; truncation too.
      for (const at of [9, 21, bytes.length - 30, bytes.length - 9]) {
        const bad = bytes.slice();
        bad[at] = bad[at]! ^ 0x40;
        assert.equal(decodeIndexFile(bad).status, "corrupt", `flip at ${at}`);
      }
      assert.equal(decodeIndexFile(bytes.subarray(0, bytes.length - 8)).status, "corrupt");
      const other = bytes.slice();
      new DataView(other.buffer).setUint32(8, INDEX_FORMAT_VERSION + 1, true);
      const r = decodeIndexFile(other);
      assert.ok(r.status === "corrupt" && /version/.test(r.reason));
    });
  }
});

describe("lookup u64 search", () => {
  test("lower bound is exact and the bloom has no false negatives for uniform, clustered and duplicate-heavy keys", () => {
    const rnd = seededRandom(23);
    const gens: (() => bigint)[] = [
      () => BigInt(Math.floor(rnd() * 1e6)),
      () => (rnd() < 0.5 ? BigInt(Math.floor(rnd() * 100)) : 2n ** 62n + BigInt(Math.floor(rnd() * 100))),
      () => BigInt(Math.floor(rnd() * 5)) - 2n,
    ];
    const modes: boolean[] = [];
    for (const gen of gens) {
      const values = Array.from({ length: 3000 }, gen);
      const column = columnFromValues(parseTypeString("BIGINT"), values);
      const index = buildU64Index(column, new TwinKernel());
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const s = index.sorted;
      if (s.form !== "u64") throw new Error("expected u64");
      modes.push(index.bloomScale > 0);
      const blocks = index.bloom.length >>> 3;
      const shape = { names: ["k"], types: [parseTypeString("BIGINT")] };
      const maybe = (v: bigint): boolean => {
        // The probe loop hashes the encoded words (u64 probes carry no hashes of their own).
        const p = encodeU64Probes(shape, [[v]]), h = new Uint32Array(2);
        hashWordsPair(p.words![1]!, p.words![0]!, h, 0);
        if (index.bloomScale === 0) return bloomMayContain(index.bloom, h[0]!, h[1]!);
        const b = u64BloomBlock(s, index.bloomScale, blocks, p.words![1]!, p.words![0]!);
        return b >= 0 && bloomMayContainBlock(index.bloom, b, h[1]!);
      };
      for (const v of values) assert.ok(maybe(v), `member ${v} rejected by the bloom`);
      assert.equal(maybe(sorted.at(-1)! + 1n), false, "above the max is certainly absent");
      assert.equal(maybe(sorted[0]! - 1n) && index.bloomScale > 0, false, "below the min is certainly absent (position blocks)");
      let falsePositives = 0;
      for (let q = 0; q < 2000; q++) if (maybe(BigInt(Math.floor(rnd() * 1e6)) * 2n + 10n ** 7n)) falsePositives++;
      assert.ok(falsePositives < 100, `false positives ${falsePositives} of 2000`);
      for (let q = 0; q < 500; q++) {
        const probe = q % 2 === 0 ? values[Math.floor(rnd() * values.length)]! : gen() + 1n;
        const p = encodeU64Probes(shape, [[probe]]);
        const lb = lowerBoundU64Key(s, p.words![1]!, p.words![0]!);
        const want = sorted.findIndex((v) => v >= probe);
        assert.equal(lb, want === -1 ? sorted.length : want, `probe ${probe}`);
      }
    }
    // Evenly spread keys take position blocks; clustered and duplicate-heavy keys hash blocks.
    assert.deepEqual(modes, [true, false, false]);
  });
});

describe("lookup row builder", () => {
  test("generated and generic builders give equal rows, odd names included", async () => {
    const { createRowBuilder } = await import("../../../src/lookup/row_builder.ts");
    const readers = [(i: number) => BigInt(i), (i: number) => `s${i}`, (i: number) => (i % 2 === 0 ? null : i * 0.5)];
    for (const names of [["k", "v", "w"], ["a b", "\"q\"", "ünï"], ["__proto__", "x", "constructor"]]) {
      const build = createRowBuilder(names);
      const row = build(readers, 3);
      assert.deepEqual(Object.keys(row), names);
      assert.deepEqual(Object.values(row), [3n, "s3", 1.5]);
      assert.equal(Object.getPrototypeOf(row), Object.prototype, names.join(","));
    }
  });
});
