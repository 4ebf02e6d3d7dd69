// Goal: the kernel's split-block bloom filter never forgets an inserted key, keeps false
// positives near the design rate (about 1-2 % at 10 bits a key), and its batch (bloomBuild /
// bloomProbe) and single-key (bloomInsert / bloomMayContain) forms agree exactly.
// Method: seeded random u64 keys and byte keys hashed with the kernel's hash-pair functions;
// members and non-members counted.
import { test, assert, seededRandom } from "../harness.ts";
import {
  bloomBuild, bloomInsert, bloomMayContain, bloomProbe, bloomWordCount, hashBytesPair, hashWordsPair,
} from "../../src/kernel/mod.ts";

function randomPairs(n: number, seed: number): Uint32Array {
  const rnd = seededRandom(seed);
  const out = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) hashWordsPair((rnd() * 4294967296) >>> 0, (rnd() * 4294967296) >>> 0, out, 2 * i);
  return out;
}

test("bloom: no false negatives, false positives under 3 % at 10 bits a key", () => {
  const n = 50_000;
  const members = randomPairs(n, 1), others = randomPairs(n, 2);
  const filter = bloomBuild(members, n);
  assert.equal(filter.length, bloomWordCount(n));
  assert.ok(bloomProbe(filter, members, n).every((b) => b === 1));
  const fp = bloomProbe(filter, others, n).reduce((s, b) => s + b, 0) / n;
  assert.ok(fp > 0 && fp < 0.03, `false-positive rate ${fp}`);
});

test("bloom: batch and single-key forms agree; sequential keys hash apart", () => {
  const n = 4000;
  const pairs = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) hashWordsPair(0x80000000, i, pairs, 2 * i);
  const built = bloomBuild(pairs, n);
  const manual = new Uint32Array(bloomWordCount(n));
  for (let i = 0; i < n; i++) bloomInsert(manual, pairs[2 * i]!, pairs[2 * i + 1]!);
  assert.deepEqual(built, manual);
  const probes = randomPairs(n, 9);
  const batch = bloomProbe(built, probes, n);
  for (let i = 0; i < n; i++) assert.equal(batch[i], bloomMayContain(built, probes[2 * i]!, probes[2 * i + 1]!) ? 1 : 0);
  // Sequential keys must spread over blocks (a weak mix would put them in one block).
  const blocks = new Set<number>();
  for (let i = 0; i < n; i++) blocks.add(Math.floor(pairs[2 * i]! * (built.length / 8) / 4294967296));
  assert.ok(blocks.size > (built.length / 8) * 0.9, `${blocks.size} of ${built.length / 8} blocks used`);
});

test("bloom: byte keys (hashBytesPair) of different lengths and contents", () => {
  const keys = ["", "a", "a\0", "ab", "ba", "buyer-1|seller-2", "buyer-1|seller-3"].map((s) => new TextEncoder().encode(s));
  const pairs = new Uint32Array(2 * keys.length);
  keys.forEach((k, i) => hashBytesPair(k, 0, k.length, pairs, 2 * i));
  const distinct = new Set(keys.map((_, i) => `${pairs[2 * i]}:${pairs[2 * i + 1]}`));
  assert.equal(distinct.size, keys.length);
  const filter = bloomBuild(pairs, keys.length);
  assert.ok(bloomProbe(filter, pairs, keys.length).every((b) => b === 1));
});

test("bloom: caller-chosen blocks (bloomInsertBlock / bloomMayContainBlock) keep members", async () => {
  const { bloomInsertBlock, bloomMayContainBlock } = await import("../../src/kernel/mod.ts");
  const n = 5000, filter = new Uint32Array(bloomWordCount(n)), blocks = filter.length / 8;
  const pairs = randomPairs(n, 4);
  for (let i = 0; i < n; i++) bloomInsertBlock(filter, i % blocks, pairs[2 * i + 1]!);
  for (let i = 0; i < n; i++) assert.ok(bloomMayContainBlock(filter, i % blocks, pairs[2 * i + 1]!));
  const others = randomPairs(n, 5);
  let fp = 0;
  for (let i = 0; i < n; i++) if (bloomMayContainBlock(filter, i % blocks, others[2 * i + 1]!)) fp++;
  assert.ok(fp / n < 0.05, `false-positive rate ${fp / n}`);
});
