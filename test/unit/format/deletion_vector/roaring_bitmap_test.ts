// Goal: the Roaring bitmaps decode every portable serialization (array, bitmap and run containers,
// with and without the offset header, 32- and 64-bit), serialize byte-exactly as Java RoaringBitmap
// does (including its container choices in add and runOptimize), and reject damaged bytes.
// Method: reference files written by Java RoaringBitmap and CRoaring (test/fixtures/roaring, values
// known from their READMEs) compared byte for byte; seeded random sets checked against a JS Set;
// boundary cases of Java's runOptimize rules; hand-damaged bytes.
import { assert, describe, readFixture, seededRandom, test } from "../../../harness.ts";
import { RoaringBitmap32 } from "../../../../src/format/deletion_vector/roaring_bitmap.ts";
import { RoaringBitmap64 } from "../../../../src/format/deletion_vector/roaring_bitmap64.ts";
import { isLakeError } from "../../../../src/errors.ts";
import { fromHex, toHex } from "../../../../src/util/bytes.ts";

/** The values of the RoaringFormatSpec test files, in the order the generator added them. */
function specValues(): number[] {
  const values: number[] = [];
  for (let k = 0; k < 100000; k += 1000) values.push(k);
  for (let k = 100000; k < 200000; ++k) values.push(3 * k);
  for (let k = 700000; k < 800000; ++k) values.push(k);
  return values;
}

function corruption(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => isLakeError(e, "corruption") && pattern.test((e as Error).message));
}

/** Random set mixing sparse values (array containers), dense blocks (bitmap) and long runs (run). */
function randomValues(random: () => number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const mode = random();
    if (mode < 0.4) out.push(Math.floor(random() * 2 ** 32));
    else if (mode < 0.7) for (let k = 0; k < 3; k++) out.push(5 * 65536 + Math.floor(random() * 65536));
    else {
      const start = 9 * 65536 + Math.floor(random() * 200000);
      const len = 1 + Math.floor(random() * 300);
      for (let v = start; v < start + len && v <= 0xffffffff; v++) out.push(v);
    }
  }
  return out;
}

describe("RoaringBitmap32 against Java's reference files", () => {
  test("values added as the generator did serialize to bitmapwithoutruns.bin byte for byte", async () => {
    const expected = await readFixture("roaring/bitmapwithoutruns.bin");
    const bitmap = RoaringBitmap32.fromValues(specValues());
    assert.equal(toHex(bitmap.serialize()), toHex(expected));
  });

  test("after runOptimize they serialize to bitmapwithruns.bin byte for byte", async () => {
    const expected = await readFixture("roaring/bitmapwithruns.bin");
    const bitmap = RoaringBitmap32.fromValues(specValues());
    assert.equal(bitmap.runOptimize(), true);
    assert.ok(new Set(bitmap.containerKinds()).size === 3, `kinds ${bitmap.containerKinds().join(",")}`);
    assert.equal(toHex(bitmap.serialize()), toHex(expected));
  });

  test("both files decode to exactly the generator's values", async () => {
    const values = specValues();
    for (const name of ["bitmapwithoutruns.bin", "bitmapwithruns.bin"]) {
      const bytes = await readFixture(`roaring/${name}`);
      const { bitmap, byteLength } = RoaringBitmap32.deserialize(bytes);
      assert.equal(byteLength, bytes.length, name);
      assert.equal(bitmap.cardinality(), values.length, name);
      assert.deepEqual(bitmap.toArray(), values, name);
      assert.deepEqual([...bitmap], values, name);
      assert.equal(bitmap.has(3 * 150000), true);
      assert.equal(bitmap.has(3 * 150000 + 1), false);
      assert.equal(bitmap.has(800000), false);
      assert.equal(bitmap.last(), 799999);
      // Re-serializing the decoded containers unchanged gives the same bytes.
      assert.equal(toHex(bitmap.serialize()), toHex(bytes), name);
    }
  });
});

describe("RoaringBitmap64 (portable 64-bit layout)", () => {
  test("CRoaring's portable_bitmap64.bin decodes to its documented contents and re-serializes identically", async () => {
    const bytes = await readFixture("roaring/portable_bitmap64.bin");
    const { bitmap, byteLength } = RoaringBitmap64.deserialize(bytes);
    assert.equal(byteLength, bytes.length);
    const expected: number[] = [];
    for (const high of [0, 1]) {
      const base = high * 2 ** 32;
      for (let v = 0x0; v <= 0x9000; v++) expected.push(base + v);
      for (let v = 0xa000; v <= 0x10000; v++) expected.push(base + v);
      expected.push(base + 0x20000, base + 0x20005);
      for (let v = 0x80000; v < 0x90000; v += 2) expected.push(base + v);
    }
    assert.equal(bitmap.cardinality(), expected.length);
    assert.deepEqual([...bitmap], expected);
    assert.equal(bitmap.has(2 ** 32 + 0x9001), false);
    assert.equal(bitmap.has(2 ** 32 + 0x80002), true);
    assert.equal(toHex(bitmap.serialize()), toHex(bytes));
  });

  test("serialization writes every key up to the highest, empty bitmaps included (as Paimon's Java does)", () => {
    const bitmap = RoaringBitmap64.fromValues([2 * 2 ** 32 + 7, 1]);
    // count 3 | key 0 {1} | key 1 {} | key 2 {7}
    const expected = "0300000000000000" +
      "00000000" + "3a300000" + "01000000" + "00000000" + "10000000" + "0100" +
      "01000000" + "3a300000" + "00000000" +
      "02000000" + "3a300000" + "01000000" + "00000000" + "10000000" + "0700";
    assert.equal(toHex(bitmap.serialize()), expected);
    assert.deepEqual([...RoaringBitmap64.deserialize(fromHex(expected)).bitmap], [1, 2 * 2 ** 32 + 7]);
  });

  test("positions beyond 2^53-1 are unsupported, unordered keys are corrupt", () => {
    const big = fromHex("0100000000000000" + "00002000" + "3a30000000000000");
    assert.throws(() => RoaringBitmap64.deserialize(big), (e: unknown) => isLakeError(e, "unsupported"));
    const unordered = fromHex("0200000000000000" + "01000000" + "3a30000000000000" + "01000000" + "3a30000000000000");
    corruption(() => RoaringBitmap64.deserialize(unordered), /not ascending/);
    assert.throws(() => new RoaringBitmap64().add(-1), (e: unknown) => isLakeError(e, "invalid_argument"));
    assert.throws(() => new RoaringBitmap64().add(2 ** 53), (e: unknown) => isLakeError(e, "invalid_argument"));
  });
});

describe("random sets round-trip", () => {
  test("seeded random sets with all three container kinds and > 65536 values", () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = seededRandom(seed);
      const values = randomValues(random, 3000 + seed * 400);
      const set = new Set(values);
      const sorted = [...set].sort((a, b) => a - b);
      const bitmap = RoaringBitmap32.fromValues(values);
      bitmap.runOptimize();
      const bytes = bitmap.serialize();
      const decoded = RoaringBitmap32.deserialize(bytes).bitmap;
      assert.equal(decoded.cardinality(), set.size, `seed ${seed}`);
      assert.deepEqual(decoded.toArray(), sorted, `seed ${seed}`);
      for (let i = 0; i < 2000; i++) {
        const probe = random() < 0.5 ? sorted[Math.floor(random() * sorted.length)]! + Math.floor(random() * 3) - 1 : Math.floor(random() * 2 ** 32);
        if (probe < 0) continue;
        assert.equal(decoded.has(probe), set.has(probe), `seed ${seed} probe ${probe}`);
      }
      if (seed === 12) {
        assert.ok(set.size > 65536, `size ${set.size}`);
        assert.deepEqual(new Set(decoded.containerKinds()), new Set(["array", "bitmap", "run"]));
      }
      // Re-encoding the decoded bitmap gives the same bytes.
      assert.equal(toHex(decoded.serialize()), toHex(bytes));
    }
  });

  test("64-bit random sets spanning several keys", () => {
    const random = seededRandom(99);
    const values = randomValues(random, 5000).map((v, i) => (i % 3) * 2 ** 32 + v);
    const bitmap = RoaringBitmap64.fromValues(values);
    bitmap.runOptimize();
    const decoded = RoaringBitmap64.deserialize(bitmap.serialize()).bitmap;
    const sorted = [...new Set(values)].sort((a, b) => a - b);
    assert.deepEqual([...decoded], sorted);
    assert.equal(decoded.cardinality(), sorted.length);
  });
});

describe("Java's container choices", () => {
  test("array containers turn into bitmaps at the 4097th value and back to nothing else on add", () => {
    const bitmap = RoaringBitmap32.fromValues(Array.from({ length: 4096 }, (_, i) => 2 * i));
    assert.deepEqual(bitmap.containerKinds(), ["array"]);
    bitmap.add(9001);
    assert.deepEqual(bitmap.containerKinds(), ["bitmap"]);
    assert.equal(bitmap.cardinality(), 4097);
  });

  test("runOptimize turns an array into runs only when strictly smaller (2·card > 2 + 4·runs)", () => {
    const three = RoaringBitmap32.fromValues([10, 11, 12]); // 6 bytes as array, 6 as run: stays array
    three.runOptimize();
    assert.deepEqual(three.containerKinds(), ["array"]);
    const four = RoaringBitmap32.fromValues([10, 11, 12, 13]); // 8 > 6: run
    four.runOptimize();
    assert.deepEqual(four.containerKinds(), ["run"]);
    // cookie 12347 | run flags | key 0, card-1 3 | no offsets below 4 containers | 1 run (10, 3)
    assert.equal(toHex(four.serialize()), "3b300000" + "01" + "00000300" + "0100" + "0a000300");
  });

  test("a bitmap container becomes runs at 2047 runs, not at 2048", () => {
    const runsOf = (runs: number) => {
      const values: number[] = [];
      for (let r = 0; r < runs; r++) for (let k = 0; k < 3; k++) values.push(r * 4 + k);
      return RoaringBitmap32.fromValues(values);
    };
    const a = runsOf(2047);
    assert.deepEqual(a.containerKinds(), ["bitmap"]);
    a.runOptimize();
    assert.deepEqual(a.containerKinds(), ["run"]);
    const b = runsOf(2048);
    b.runOptimize();
    assert.deepEqual(b.containerKinds(), ["bitmap"]);
  });

  test("a decoded run container stays a run where an added array would not (Java's toEfficientContainer)", () => {
    // cookie with runs, 1 container, run flag, key 0 card-1 1, one run (5, 1) = {5, 6}
    const decoded = RoaringBitmap32.deserialize(fromHex("3b300000" + "01" + "00000100" + "0100" + "05000100")).bitmap;
    decoded.runOptimize();
    assert.deepEqual(decoded.containerKinds(), ["run"]);
    const added = RoaringBitmap32.fromValues([5, 6]);
    added.runOptimize();
    assert.deepEqual(added.containerKinds(), ["array"]);
    assert.deepEqual(decoded.toArray(), added.toArray());
    // adding to a run container keeps it a run and fuses neighbours
    decoded.add(7);
    decoded.add(3);
    decoded.add(4);
    assert.deepEqual(decoded.containerKinds(), ["run"]);
    assert.deepEqual(decoded.toArray(), [3, 4, 5, 6, 7]);
    assert.equal(toHex(decoded.serialize()), "3b300000" + "01" + "00000400" + "0100" + "03000400");
  });
});

describe("damaged bytes", () => {
  const good = () => RoaringBitmap32.fromValues([1, 2, 100000]).serialize();

  test("bad cookie, truncation, unordered keys, wrong offsets and cardinalities are corruption", () => {
    corruption(() => RoaringBitmap32.deserialize(fromHex("39300000")), /cookie/);
    corruption(() => RoaringBitmap32.deserialize(fromHex("3a30")), /too short/);
    const truncated = good().slice(0, -1);
    corruption(() => RoaringBitmap32.deserialize(truncated), /needs/);
    const unordered = good();
    // keys 0 and 1: make the second key 0
    unordered[8 + 4] = 0;
    corruption(() => RoaringBitmap32.deserialize(unordered), /not ascending/);
    const badOffset = good();
    badOffset[8 + 8]! += 1;
    corruption(() => RoaringBitmap32.deserialize(badOffset), /offset of container 0/);
    const descending = good();
    // first array container holds 1, 2 at bytes 24..27: swap to 2, 1
    descending[24] = 2;
    descending[26] = 1;
    corruption(() => RoaringBitmap32.deserialize(descending), /not strictly ascending/);
    corruption(() => RoaringBitmap32.deserialize(fromHex("3b300000" + "01" + "00000200" + "0100" + "05000100")), /holds 2 values, header says 3/);
  });

  test("invalid values are rejected on add and absent on has", () => {
    const bitmap = new RoaringBitmap32();
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      assert.throws(() => bitmap.add(bad), (e: unknown) => isLakeError(e, "invalid_argument"));
      assert.equal(bitmap.has(bad), false);
    }
    assert.equal(toHex(bitmap.serialize()), "3a30000000000000");
    assert.equal(bitmap.last(), -1);
  });
});
