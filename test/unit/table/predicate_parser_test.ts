// Goal: the `--where` parser builds exactly the filter model the builders build (precedence,
// IN/NOT IN/BETWEEN/IS [NOT] NULL, quoting, exact numbers, typed literals), reports syntax errors
// at the right position, and formatPredicate is its inverse.
// Method: expected models written with the builders; bad inputs with their expected 0-based
// positions; random predicates formatted and parsed back; parse → bind → evaluate end to end.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  and, bindPredicate, equal, evaluatePredicate, greaterOrEqual, greaterThan, isIn, isNotNull, isNull, lessOrEqual, lessThan, not,
  notEqual, notIn, or,
} from "../../../src/table/predicate.ts";
import { formatPredicate, parsePredicate, PredicateSyntaxError } from "../../../src/table/predicate_parser.ts";
import { isLakeError } from "../../../src/errors.ts";
import { FIELDS, randomPredicate } from "./predicate_random.ts";

const num = (numericText: string) => ({ numericText });

describe("parsing", () => {
  test("the documented example", () => {
    assert.deepEqual(parsePredicate("a = 1 AND (b IN ('x','y') OR c >= 2.5)"),
      and(equal("a", num("1")), or(isIn("b", ["x", "y"]), greaterOrEqual("c", num("2.5")))));
  });

  test("IS [NOT] NULL, NOT, NOT IN, BETWEEN, <>, case-insensitive keywords", () => {
    assert.deepEqual(parsePredicate("x IS NULL"), isNull("x"));
    assert.deepEqual(parsePredicate("x is not null"), isNotNull("x"));
    assert.deepEqual(parsePredicate("NOT x IN (1)"), not(isIn("x", [num("1")])));
    assert.deepEqual(parsePredicate("x NOT IN (1, -2, +3)"), notIn("x", [num("1"), num("-2"), num("3")]));
    assert.deepEqual(parsePredicate("x BETWEEN 1 AND 3"), and(greaterOrEqual("x", num("1")), lessOrEqual("x", num("3"))));
    assert.deepEqual(parsePredicate("x not between 1 and 3"), not(and(greaterOrEqual("x", num("1")), lessOrEqual("x", num("3")))));
    assert.deepEqual(parsePredicate("x <> 'it''s'"), notEqual("x", "it's"));
    assert.deepEqual(parsePredicate("x != TRUE Or y<-1.5e3"), or(notEqual("x", true), lessThan("y", num("-1.5e3"))));
    assert.deepEqual(parsePredicate("x = NULL"), equal("x", null));
  });

  test("AND binds tighter than OR, NOT tighter than AND", () => {
    assert.deepEqual(parsePredicate("a = 1 OR b = 2 AND c = 3"), or(equal("a", num("1")), and(equal("b", num("2")), equal("c", num("3")))));
    assert.deepEqual(parsePredicate("NOT a = 1 AND b = 2"), and(not(equal("a", num("1"))), equal("b", num("2"))));
    assert.deepEqual(parsePredicate("((a > 1))"), greaterThan("a", num("1")));
  });

  test("quoted columns, typed literals, binary literals, unreserved type words as columns", () => {
    assert.deepEqual(parsePredicate('"weird ""col""" = 1'), equal('weird "col"', num("1")));
    assert.deepEqual(parsePredicate("`and` = 1"), equal("and", num("1")));
    assert.deepEqual(parsePredicate("date = DATE '2024-01-01'"), equal("date", "2024-01-01"));
    assert.deepEqual(parsePredicate("ts >= TIMESTAMP '2024-01-01 00:00:00'"), greaterOrEqual("ts", "2024-01-01 00:00:00"));
    assert.deepEqual(parsePredicate("b = X'0aFF'"), equal("b", Uint8Array.of(0x0a, 0xff)));
    assert.deepEqual(parsePredicate("x = .5"), equal("x", num(".5")));
  });
});

describe("syntax errors point at the offending token", () => {
  const cases: [string, number, RegExp][] = [
    ["", 0, /expected a condition/],
    ["a = AND b = 1", 4, /expected a literal/],
    ["a = 'unterminated", 4, /unterminated string/],
    ["a IN (1, 2", 10, /expected , or \)/],
    ["(a = 1", 6, /expected \) to close/],
    ["a ~ 1", 2, /unexpected character "~"/],
    ["a = 1 b = 2", 6, /expected AND, OR or the end/],
    ["a IS 1", 5, /expected NULL after IS/],
    ["AND = 1", 0, /quote AND as "AND"/],
    ["a = 12abc", 6, /after the number/],
    ["a = X'abc'", 4, /even number of hex digits/],
    ["a NOT = 1", 6, /expected IN or BETWEEN after NOT/],
    ["a", 1, /expected an operator, IS, IN or BETWEEN/],
  ];
  for (const [text, position, pattern] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(() => parsePredicate(text), (e: unknown) => {
        assert.ok(e instanceof PredicateSyntaxError, String(e));
        assert.ok(isLakeError(e, "invalid_argument"));
        assert.equal(e.position, position, e.message);
        assert.match(e.message, pattern);
        assert.match(e.message, new RegExp(`at position ${position + 1}\\n`));
        const lines = e.message.split("\n");
        assert.equal(lines[2]!.indexOf("^") - 2, position, "caret under the position");
        return true;
      });
    });
  }
});

describe("formatPredicate is the inverse of parsePredicate", () => {
  test("hand cases", () => {
    const p = and(equal("a", num("1")), or(isIn("b", ["x", "it's"]), not(isNull("c"))), notEqual("odd name", null));
    assert.equal(formatPredicate(p), `(a = 1 AND (b IN ('x', 'it''s') OR NOT c IS NULL) AND "odd name" != NULL)`);
    assert.deepEqual(parsePredicate(formatPredicate(p)), p);
  });

  test("random predicates round-trip through text and mean the same on rows", () => {
    const random = seededRandom(31);
    for (let i = 0; i < 300; i++) {
      const p = randomPredicate(random, 3, ["a", "s"]);
      const text = formatPredicate(p);
      const back = parsePredicate(text);
      // numbers come back as exact text; binding both gives identical bound predicates
      assert.deepEqual(bindPredicate(back, FIELDS), bindPredicate(p, FIELDS), text);
    }
  });
});

test("parse, bind and evaluate end to end", () => {
  const bound = bindPredicate(parsePredicate("a >= 2 AND (s IN ('x', 'y') OR n = 3000000000000)"), FIELDS);
  assert.equal(evaluatePredicate(bound, [2, "y", null, null]), true);
  assert.equal(evaluatePredicate(bound, [2, "z", null, 3000000000000n]), true);
  assert.equal(evaluatePredicate(bound, [2, "z", null, null]), false);
  assert.equal(evaluatePredicate(bound, [1, "x", null, null]), false);
  assert.throws(() => bindPredicate(parsePredicate("a = 'x'"), FIELDS), (e: unknown) => isLakeError(e, "invalid_argument") && /column "a"/.test((e as Error).message));
});
