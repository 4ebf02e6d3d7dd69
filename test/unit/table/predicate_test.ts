// Goal: the filter model binds columns by name, converts literals exactly by column type (clear
// errors naming column, value and type), evaluates rows with SQL three-valued logic and Java's
// comparison rules (UTF-8 byte order for strings, Double.compare for floating point), and Java's
// NOT-free negation agrees with three-valued NOT on every row.
// Method: truth tables over leaves that are TRUE, FALSE and UNKNOWN; hand cases per type; a seeded
// property test over random predicates and rows; UTF-8 order checked against encoded bytes.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  and, type BoundPredicate, bindPredicate, equal, evaluatePredicate, evaluatePredicateTruth, greaterOrEqual, greaterThan,
  isIn, isNotNull, isNull, lessOrEqual, lessThan, negatePredicate, not, notEqual, notIn, or, type Predicate,
  predicateColumns, toNegationNormalForm,
} from "../../../src/table/predicate.ts";
import { compareUtf8, compareValues, literalForColumn } from "../../../src/table/predicate_literal.ts";
import { atomic, type DataField, parseTypeString } from "../../../src/spec/data_types.ts";
import type { Row } from "../../../src/spec/values.ts";
import { isLakeError, type ErrorCode } from "../../../src/errors.ts";
import { FIELDS, randomPredicate, randomRow } from "./predicate_random.ts";
import { compareBytes, utf8Encode } from "../../../src/util/bytes.ts";


function truth(p: Predicate, row: Row): boolean | null {
  return evaluatePredicateTruth(bindPredicate(p, FIELDS), row);
}

function fails(fn: () => unknown, code: ErrorCode, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    if (!isLakeError(e, code)) return false;
    for (const p of patterns) if (!p.test(e.message)) throw new Error(`message ${JSON.stringify(e.message)} does not match ${p}`);
    return true;
  });
}

describe("three-valued logic", () => {
  const row: Row = [1, null, 2.5, 10n];
  const T = equal("a", 1), F = equal("a", 2), U = equal("s", "x");

  test("leaves: comparisons with a null operand are unknown", () => {
    assert.equal(truth(T, row), true);
    assert.equal(truth(F, row), false);
    assert.equal(truth(U, row), null);
    assert.equal(truth(notEqual("s", "x"), row), null);
    assert.equal(truth(lessThan("s", "x"), row), null);
    assert.equal(truth(equal("a", null), row), null);
    assert.equal(truth(isNull("s"), row), true);
    assert.equal(truth(isNotNull("s"), row), false);
    assert.equal(truth(isNull("a"), row), false);
  });

  test("AND, OR and NOT truth tables", () => {
    const leaves = { T, F, U } as const;
    const v = { T: true, F: false, U: null } as const;
    const and3 = (x: boolean | null, y: boolean | null) => (x === false || y === false ? false : x === null || y === null ? null : true);
    const or3 = (x: boolean | null, y: boolean | null) => (x === true || y === true ? true : x === null || y === null ? null : false);
    for (const [xn, x] of Object.entries(leaves) as [keyof typeof v, Predicate][]) {
      assert.equal(truth(not(x), row), v[xn] === null ? null : !v[xn], `NOT ${xn}`);
      for (const [yn, y] of Object.entries(leaves) as [keyof typeof v, Predicate][]) {
        assert.equal(truth(and(x, y), row), and3(v[xn], v[yn]), `${xn} AND ${yn}`);
        assert.equal(truth(or(x, y), row), or3(v[xn], v[yn]), `${xn} OR ${yn}`);
      }
    }
  });

  test("only TRUE passes the filter", () => {
    const bound = bindPredicate(or(U, F), FIELDS);
    assert.equal(evaluatePredicate(bound, row), false);
    assert.equal(evaluatePredicate(bindPredicate(not(U), FIELDS), row), false);
    assert.equal(evaluatePredicate(bindPredicate(or(U, T), FIELDS), row), true);
  });

  test("IN and NOT IN with null literals follow Java's In/NotIn", () => {
    const inWithNull = isIn("a", [1, null]);
    assert.equal(truth(inWithNull, [1, null, null, null]), true);
    assert.equal(truth(inWithNull, [2, null, null, null]), null);
    assert.equal(truth(inWithNull, [null, null, null, null]), null);
    const notInWithNull = notIn("a", [1, null]);
    assert.equal(truth(notInWithNull, [1, null, null, null]), false);
    assert.equal(truth(notInWithNull, [2, null, null, null]), null);
    assert.equal(truth(notIn("a", [1, 3]), [2, null, null, null]), true);
    assert.equal(truth(notIn("a", [1, 3]), [3, null, null, null]), false);
    assert.equal(truth(notIn("a", [1, 3]), [null, null, null, null]), null);
  });
});

describe("negation as Java does it", () => {
  test("NOT pushed into the leaves equals three-valued NOT on every row (seeded property)", () => {
    const random = seededRandom(2024);
    for (let i = 0; i < 400; i++) {
      const p = randomPredicate(random, 3);
      const bound = bindPredicate(p, FIELDS);
      const negated = negatePredicate(bound);
      const nnf = toNegationNormalForm(bound);
      for (let j = 0; j < 20; j++) {
        const row = randomRow(random);
        const t = evaluatePredicateTruth(bound, row);
        assert.equal(evaluatePredicateTruth(nnf, row), t);
        assert.equal(evaluatePredicateTruth(negated, row), t === null ? null : !t);
      }
      const hasNot = (q: BoundPredicate): boolean => q.kind === "not" || ((q.kind === "and" || q.kind === "or") && q.children.some(hasNot));
      assert.equal(hasNot(nnf), false);
    }
  });

  test("leaf negations are Java's pairs", () => {
    assert.deepEqual(negatePredicate(lessThan("a", 1)), greaterOrEqual("a", 1));
    assert.deepEqual(negatePredicate(greaterThan("a", 1)), lessOrEqual("a", 1));
    assert.deepEqual(negatePredicate(equal("a", 1)), notEqual("a", 1));
    assert.deepEqual(negatePredicate(isNull("a")), isNotNull("a"));
    assert.deepEqual(negatePredicate(isIn("a", [1])), notIn("a", [1]));
    assert.deepEqual(negatePredicate(and(isNull("a"), equal("s", "x"))), or(isNotNull("a"), notEqual("s", "x")));
    assert.deepEqual(negatePredicate(not(equal("a", 1))), equal("a", 1));
    assert.deepEqual(predicateColumns(and(equal("s", "x"), or(isNull("a"), not(equal("s", "y"))))), ["s", "a"]);
  });
});

describe("comparisons follow Java", () => {
  test("strings compare by UTF-8 bytes, not UTF-16 units", () => {
    assert.ok("😀" < "\uFFFD", "JS order puts the emoji first");
    assert.ok(compareUtf8("😀", "\uFFFD") > 0);
    assert.equal(truth(greaterThan("s", "\uFFFD"), [null, "😀", null, null]), true);
    const random = seededRandom(5);
    const alphabet = ["a", "z", "é", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uffff", "😀", "\u{10ffff}", "\u{10000}"];
    for (let i = 0; i < 3000; i++) {
      const s = () => Array.from({ length: Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const x = s(), y = s();
      assert.equal(Math.sign(compareUtf8(x, y)), Math.sign(compareBytes(utf8Encode(x), utf8Encode(y))), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  });

  test("doubles compare as Double.compare: -0.0 < 0.0, NaN above all and equal to itself", () => {
    const d = atomic("DOUBLE");
    assert.ok(compareValues(d, -0, 0) < 0);
    assert.ok(compareValues(d, Number.NaN, Number.POSITIVE_INFINITY) > 0);
    assert.equal(compareValues(d, Number.NaN, Number.NaN), 0);
    assert.equal(truth(equal("d", 0), [null, null, -0, null]), false);
    assert.equal(truth(equal("d", Number.NaN), [null, null, Number.NaN, null]), true);
  });

  test("timestamps, decimals, binaries and booleans", () => {
    const ts = parseTypeString("TIMESTAMP(9)");
    assert.ok(compareValues(ts, { epochMillis: 5, nanoOfMillisecond: 1 }, { epochMillis: 5, nanoOfMillisecond: 0 }) > 0);
    assert.ok(compareValues(ts, { epochMillis: -5, nanoOfMillisecond: 999999 }, { epochMillis: 4, nanoOfMillisecond: 0 }) < 0);
    assert.ok(compareValues(parseTypeString("DECIMAL(20, 2)"), -150n, 3n) < 0);
    assert.ok(compareValues(parseTypeString("BYTES"), Uint8Array.of(0x80), Uint8Array.of(0x7f, 0xff)) > 0);
    assert.ok(compareValues(parseTypeString("BOOLEAN"), false, true) < 0);
  });
});

describe("literal conversion", () => {
  const convert = (type: string, input: Parameters<typeof literalForColumn>[2]) => literalForColumn("c", parseTypeString(type), input);

  test("exact conversions by column type", () => {
    assert.equal(convert("INT", 7), 7);
    assert.equal(convert("INT", 7n), 7);
    assert.equal(convert("INT", { numericText: "7.000" }), 7);
    assert.equal(convert("BIGINT", 7), 7n);
    assert.equal(convert("BIGINT", { numericText: "-9223372036854775808" }), -(2n ** 63n));
    assert.equal(convert("DECIMAL(10, 2)", { numericText: "1.50" }), 150n);
    assert.equal(convert("DECIMAL(10, 2)", 0.1), 10n);
    assert.equal(convert("DECIMAL(10, 2)", 12n), 1200n);
    assert.equal(convert("DECIMAL(10, 2)", { numericText: "1e2" }), 10000n);
    assert.equal(convert("FLOAT", 0.1), Math.fround(0.1));
    assert.equal(convert("DOUBLE", { numericText: "2.5" }), 2.5);
    assert.equal(convert("DATE", "1970-01-02"), 1);
    assert.equal(convert("DATE", new Date(Date.UTC(1969, 11, 31))), -1);
    assert.equal(convert("TIME", "01:00:00.5"), 3600500);
    assert.deepEqual(convert("TIMESTAMP(9)", "2024-01-02 03:04:05.123456789"),
      { epochMillis: Date.UTC(2024, 0, 2, 3, 4, 5, 123), nanoOfMillisecond: 456789 });
    assert.deepEqual(convert("TIMESTAMP(3) WITH LOCAL TIME ZONE", "2024-01-02T03:04:05+02:00"),
      { epochMillis: Date.UTC(2024, 0, 2, 1, 4, 5), nanoOfMillisecond: 0 });
    assert.deepEqual(convert("TIMESTAMP(3)", new Date(1234)), { epochMillis: 1234, nanoOfMillisecond: 0 });
    assert.deepEqual(convert("TIMESTAMP(6)", "1969-12-31 23:59:59.9999995"), { epochMillis: -1, nanoOfMillisecond: 999500 });
    assert.equal(convert("STRING", "x"), "x");
    assert.equal(convert("BOOLEAN", false), false);
    assert.equal(convert("INT", null), null);
  });

  test("inexact or mistyped literals are errors naming column, value and type", () => {
    fails(() => convert("INT", 2.5), "invalid_argument", /column "c"/, /2\.5/, /INT/);
    fails(() => convert("INT", 2 ** 31), "invalid_argument", /out of range/);
    fails(() => convert("TINYINT", { numericText: "128" }), "invalid_argument", /TINYINT/);
    fails(() => convert("INT", "7"), "invalid_argument", /'7'/, /integer/);
    fails(() => convert("BIGINT", 2 ** 60), "invalid_argument", /bigint/);
    fails(() => convert("DECIMAL(10, 2)", { numericText: "1.005" }), "invalid_argument", /DECIMAL\(10, 2\)/, /fraction digits/);
    fails(() => convert("DECIMAL(3, 2)", 10), "invalid_argument", /digits/);
    fails(() => convert("DATE", "2024-02-30"), "invalid_argument", /DATE/);
    fails(() => convert("DATE", new Date(Date.UTC(2024, 0, 1, 5))), "invalid_argument", /midnight/);
    fails(() => convert("TIMESTAMP(3)", "2024-01-02 03:04:05Z"), "invalid_argument", /without an offset/);
    fails(() => convert("STRING", 5), "invalid_argument", /STRING/);
    fails(() => convert("BYTES", "ab"), "invalid_argument", /Uint8Array/);
    fails(() => convert("BOOLEAN", 1), "invalid_argument", /true or false/);
  });

  test("binding: unknown columns and unfilterable types", () => {
    fails(() => bindPredicate(equal("zz", 1), FIELDS), "invalid_argument", /unknown column "zz"/, /a, s, d, n/);
    const nested: DataField[] = [{ id: 0, name: "arr", type: { root: "ARRAY", nullable: true, element: atomic("INT") } }];
    fails(() => bindPredicate(isNull("arr"), nested), "unsupported", /arr/, /ARRAY<INT>/);
    const bound = bindPredicate(and(equal("n", 5), isIn("s", ["x", null])), FIELDS);
    assert.deepEqual(bound, {
      kind: "and",
      children: [
        { kind: "compare", column: "n", index: 3, type: FIELDS[3]!.type, op: "=", literal: 5n },
        { kind: "in", column: "s", index: 1, type: FIELDS[1]!.type, literals: ["x", null] },
      ],
    });
  });
});
