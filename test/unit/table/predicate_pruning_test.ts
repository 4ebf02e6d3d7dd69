// Goal: pruning is sound (mayMatchStats false, a partition left out or a bucket left out only when
// no row can match), useful (it does prune), follows Java's leaf rules for all-null columns and
// unknown statistics, and compares strings by UTF-8 bytes.
// Method: seeded property tests: random row sets, their exact statistics (then randomly degraded to
// unknown), random predicates, checking every row; hand cases from Java's leaf functions; bucket
// selection with the real fixed-bucket hash against rows that match.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  and, bindPredicate, equal, evaluatePredicate, greaterThan, isIn, isNotNull, isNull, lessThan, not, notEqual, notIn, or,
  type Predicate,
} from "../../../src/table/predicate.ts";
import {
  BUCKET_KEY_CANDIDATES_MAX, bucketKeyCandidates, mayMatchPartition, mayMatchStats, partitionPredicate, projectPredicate,
  pruningStatsFromColumns, type PruningStats, selectBuckets,
} from "../../../src/table/predicate_pruning.ts";
import { compareValues } from "../../../src/table/predicate_literal.ts";
import { fixedBucket } from "../../../src/spec/bucket.ts";
import type { Row, Value } from "../../../src/spec/values.ts";
import { FIELDS, randomPredicate, randomRow, randomValue } from "./predicate_random.ts";

/** Exact statistics of `rows` over FIELDS, as a writer computing full stats would. */
function statsOf(rows: readonly Row[]): { rowCount: bigint; min: Value[]; max: Value[]; nullCounts: bigint[] } {
  const min: Value[] = [], max: Value[] = [], nullCounts: bigint[] = [];
  FIELDS.forEach((f, i) => {
    let lo: Value = null, hi: Value = null, nulls = 0n;
    for (const r of rows) {
      const v = r[i] ?? null;
      if (v === null) { nulls++; continue; }
      if (lo === null || compareValues(f.type, v, lo) < 0) lo = v;
      if (hi === null || compareValues(f.type, v, hi) > 0) hi = v;
    }
    min.push(lo);
    max.push(hi);
    nullCounts.push(nulls);
  });
  return { rowCount: BigInt(rows.length), min, max, nullCounts };
}

function stats(rowCount: number, min: Value[], max: Value[], nullCounts: (bigint | null)[] | null): PruningStats {
  return { rowCount: BigInt(rowCount), min, max, nullCounts };
}

describe("mayMatchStats", () => {
  test("soundness: whenever it says no, no row of the set matches (seeded property)", () => {
    const random = seededRandom(77);
    let pruned = 0, checks = 0;
    for (let round = 0; round < 3000; round++) {
      const rows = Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomRow(random, random() < 0.1 ? 0.9 : 0.2));
      const exact = statsOf(rows);
      // randomly forget statistics: unknown min/max, unknown null counts, or no null counts at all
      const degraded: PruningStats = {
        rowCount: exact.rowCount,
        min: exact.min.map((v) => (random() < 0.15 ? null : v)),
        max: exact.max.map((v) => (random() < 0.15 ? null : v)),
        nullCounts: random() < 0.1 ? null : exact.nullCounts.map((n) => (random() < 0.15 ? null : n)),
      };
      for (let k = 0; k < 5; k++) {
        const predicate = bindPredicate(randomPredicate(random, 2), FIELDS);
        for (const s of [exact, degraded]) {
          checks++;
          if (mayMatchStats(predicate, s)) continue;
          pruned++;
          for (const row of rows) assert.equal(evaluatePredicate(predicate, row), false, `row ${String(row)} matches a pruned predicate`);
        }
      }
    }
    assert.ok(pruned > checks / 10, `pruning happened ${pruned} times out of ${checks}`);
  });

  test("Java's leaf rules on all-null columns and unknown statistics", () => {
    const allNull = stats(3, [null, null, null, null], [null, null, null, null], [3n, 0n, 0n, 0n]);
    const bind = (p: Predicate) => bindPredicate(p, FIELDS);
    assert.equal(mayMatchStats(bind(isNull("a")), allNull), true);
    assert.equal(mayMatchStats(bind(isNotNull("a")), allNull), false);
    assert.equal(mayMatchStats(bind(equal("a", 1)), allNull), false);
    assert.equal(mayMatchStats(bind(notEqual("a", 1)), allNull), false);
    assert.equal(mayMatchStats(bind(isIn("a", [1, null])), allNull), false);
    assert.equal(mayMatchStats(bind(notIn("a", [1])), allNull), false);
    // column s has zero nulls but unknown min/max: everything may match
    assert.equal(mayMatchStats(bind(equal("s", "x")), allNull), true);
    assert.equal(mayMatchStats(bind(isNull("s")), allNull), false);
    // unknown null counts
    const unknown = stats(3, [null, null, null, null], [null, null, null, null], null);
    for (const p of [isNull("a"), isNotNull("a"), equal("a", 1), notIn("a", [1])]) assert.equal(mayMatchStats(bind(p), unknown), true);
  });

  test("comparison rules against min and max", () => {
    const s = stats(10, [5, "b", 1, 0n], [9, "d", 2, 0n], [0n, 0n, 0n, 0n]);
    const may = (p: Predicate) => mayMatchStats(bindPredicate(p, FIELDS), s);
    assert.equal(may(equal("a", 4)), false);
    assert.equal(may(equal("a", 5)), true);
    assert.equal(may(lessThan("a", 5)), false);
    assert.equal(may(greaterThan("a", 9)), false);
    assert.equal(may(greaterThan("a", 8)), true);
    assert.equal(may(notEqual("n", 0n)), false); // min = max = literal
    assert.equal(may(notIn("n", [0n, 5n])), false);
    assert.equal(may(notIn("a", [5])), true);
    assert.equal(may(notIn("a", [6, null])), false); // a null literal: NOT IN is never TRUE
    assert.equal(may(isIn("a", [1, 10, 7])), true);
    assert.equal(may(isIn("a", [1, 10, null])), false);
    assert.equal(may(equal("a", null)), false);
    assert.equal(may(not(equal("a", 4))), true);
    assert.equal(may(not(isNotNull("a"))), false);
    assert.equal(may(or(equal("a", 1), equal("s", "c"))), true);
    assert.equal(may(and(equal("a", 7), equal("s", "e"))), false);
  });

  test("decoded SimpleStats columns become pruning stats", () => {
    const columns = [
      { min: 5, max: 9, nullCount: 0n },
      { min: null, max: null, nullCount: null },
      { min: null, max: null, nullCount: 4n },
      { min: 1n, max: 2n, nullCount: 1n },
    ];
    const s = pruningStatsFromColumns(4n, columns);
    assert.equal(mayMatchStats(bindPredicate(equal("a", 4), FIELDS), s), false);
    assert.equal(mayMatchStats(bindPredicate(equal("s", "q"), FIELDS), s), true);
    assert.equal(mayMatchStats(bindPredicate(isNotNull("d"), FIELDS), s), false);
    assert.equal(mayMatchStats(bindPredicate(greaterThan("n", 2n), FIELDS), s), false);
  });

  test("string statistics compare by UTF-8 bytes like Java", () => {
    // In UTF-8 order U+FFFD < U+FFFE < U+1F600; in UTF-16 order the emoji would come first.
    const s = stats(2, [null, "a\uFFFD", null, null], [null, "a😀", null, null], [2n, 0n, 2n, 2n]);
    assert.equal(mayMatchStats(bindPredicate(equal("s", "a\uFFFE"), FIELDS), s), true);
    assert.equal(mayMatchStats(bindPredicate(equal("s", "a\uE000"), FIELDS), s), false);
    assert.equal(mayMatchStats(bindPredicate(greaterThan("s", "a\u{1F601}"), FIELDS), s), false);
  });
});

describe("partition pruning", () => {
  const PARTITION = [FIELDS[0]!, FIELDS[1]!]; // partition columns a, s

  test("projection keeps what the partition columns alone imply", () => {
    assert.deepEqual(projectPredicate(or(and(equal("a", 1), greaterThan("n", 3)), equal("a", 2)), ["a", "s"]),
      { kind: "or", children: [equal("a", 1), equal("a", 2)] });
    assert.equal(projectPredicate(or(equal("a", 1), equal("n", 3)), ["a"]), null);
    assert.equal(projectPredicate(not(and(equal("a", 1), equal("n", 2))), ["a"]), null);
    assert.deepEqual(projectPredicate(and(equal("a", 1), not(equal("n", 1)), not(isNull("s"))), ["a", "s"]),
      { kind: "and", children: [equal("a", 1), isNotNull("s")] });
    assert.equal(projectPredicate(equal("n", 1), ["a"]), null);
  });

  test("soundness: a partition left out holds no matching row (seeded property)", () => {
    const random = seededRandom(8);
    let excluded = 0;
    for (let i = 0; i < 2000; i++) {
      const predicate = randomPredicate(random, 3);
      const filter = partitionPredicate(predicate, PARTITION);
      const bound = bindPredicate(predicate, FIELDS);
      for (let j = 0; j < 10; j++) {
        const row = randomRow(random);
        if (mayMatchPartition(filter, [row[0]!, row[1]!])) continue;
        excluded++;
        assert.equal(evaluatePredicate(bound, row), false);
      }
    }
    assert.ok(excluded > 1000, `excluded ${excluded}`);
  });

  test("manifest partition statistics prune with mayMatchStats", () => {
    const filter = partitionPredicate(and(equal("a", 3), greaterThan("n", 0n)), PARTITION)!;
    assert.equal(mayMatchStats(filter, stats(4, [5, "a"], [9, "z"], [0n, 0n])), false);
    assert.equal(mayMatchStats(filter, stats(4, [1, "a"], [9, "z"], [0n, 0n])), true);
    assert.equal(partitionPredicate(equal("n", 1n), PARTITION), null);
    assert.equal(mayMatchPartition(null, [1, "x"]), true);
  });
});

describe("bucket pruning", () => {
  const bucketTypes = [FIELDS[0]!.type, FIELDS[1]!.type];
  const bucketOf = (total: number) => (key: Row) => fixedBucket(bucketTypes, key, total);
  const bind = (p: Predicate) => bindPredicate(p, FIELDS);

  test("candidate key rows from =, IN and ORs of them, intersected across conjuncts", () => {
    assert.deepEqual(bucketKeyCandidates(bind(equal("a", 5)), ["a"]), [[5]]);
    assert.deepEqual(bucketKeyCandidates(bind(isIn("a", [1, 2, null, 2])), ["a"]), [[1], [2]]);
    assert.deepEqual(bucketKeyCandidates(bind(or(equal("a", 1), isIn("a", [3]))), ["a"]), [[1], [3]]);
    assert.deepEqual(bucketKeyCandidates(bind(and(equal("a", 1), isIn("a", [1, 2]))), ["a"]), [[1]]);
    assert.deepEqual(bucketKeyCandidates(bind(and(equal("a", 1), equal("a", 2))), ["a"]), []);
    assert.deepEqual(bucketKeyCandidates(bind(and(isIn("a", [1, 2]), equal("s", "x"), greaterThan("n", 1n))), ["a", "s"]),
      [[1, "x"], [2, "x"]]);
    assert.deepEqual(bucketKeyCandidates(bind(not(notEqual("a", 4))), ["a"]), [[4]]);
    assert.equal(bucketKeyCandidates(bind(or(equal("a", 1), equal("s", "x"))), ["a"]), null);
    assert.equal(bucketKeyCandidates(bind(equal("a", 1)), ["a", "s"]), null);
    assert.equal(bucketKeyCandidates(bind(greaterThan("a", 1)), ["a"]), null);
    const many = Array.from({ length: 40 }, (_, i) => i);
    const strings = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
    assert.equal(bucketKeyCandidates(bind(and(isIn("a", many), isIn("s", strings))), ["a", "s"]), null, `> ${BUCKET_KEY_CANDIDATES_MAX}`);
    assert.equal(bucketKeyCandidates(bind(and(isIn("a", many.slice(0, 38)), isIn("s", strings))), ["a", "s"])!.length, 988);
  });

  test("selectBuckets hashes the candidates with the caller's bucket function", () => {
    const selected = selectBuckets(bind(and(isIn("a", [1, 2, 3]), equal("s", "k"))), { bucketKeys: ["a", "s"], bucketOf: bucketOf(16) })!;
    assert.deepEqual(selected, new Set([1, 2, 3].map((a) => fixedBucket(bucketTypes, [a, "k"], 16))));
    assert.equal(selectBuckets(bind(isNull("a")), { bucketKeys: ["a"], bucketOf: bucketOf(4) }), null);
  });

  test("soundness: every matching row's bucket is selected (seeded property)", () => {
    const random = seededRandom(19);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // pins bucket-key column c the ways bucket selection understands, or (sometimes) not quite
    const pin = (c: string): Predicate => {
      const v = () => randomValue(random, c);
      return pick([
        () => equal(c, v()),
        () => isIn(c, [v(), v(), null]),
        () => or(equal(c, v()), isIn(c, [v()])),
        () => not(notEqual(c, v())),
        () => randomPredicate(random, 1, [c]),
      ])();
    };
    let narrowed = 0, matched = 0;
    for (let i = 0; i < 1500; i++) {
      const parts = [pin("a"), pin("s")];
      if (random() < 0.5) parts.push(pin(pick(["a", "s"])));
      if (random() < 0.5) parts.push(randomPredicate(random, 2));
      const predicate = bind(random() < 0.9 ? and(...parts) : randomPredicate(random, 3));
      const buckets = selectBuckets(predicate, { bucketKeys: ["a", "s"], bucketOf: bucketOf(7) });
      if (buckets === null) continue;
      narrowed++;
      for (let j = 0; j < 60; j++) {
        const row = randomRow(random, 0.05);
        if (!evaluatePredicate(predicate, row)) continue;
        matched++;
        assert.ok(buckets.has(bucketOf(7)([row[0]!, row[1]!])), `row ${String(row)}`);
      }
    }
    assert.ok(narrowed > 400 && matched > 300, `narrowed ${narrowed}, matched ${matched}`);
  });
});
