// Goal: WHERE clauses of SELECT and DELETE build exactly the filter model the builders build
// (precedence, flipped comparisons, IN/NOT IN, BETWEEN, IS [NOT] NULL, bare BOOLEAN columns,
// typed and binary literals), and agree with the `--where` parser on every text both accept.
// Method: hand cases against builder-made predicates; 300 seeded random predicates formatted by
// `formatPredicate` (which uses plain names for these columns) parsed by both parsers, and the
// results bound and evaluated on random rows.
import { assert, describe, seededRandom, test } from "../../../harness.ts";
import { parseSql } from "../../../../src/api/sql/parser.ts";
import type { Predicate } from "../../../../src/table/predicate.ts";
import {
  and, bindPredicate, equal, evaluatePredicate, greaterOrEqual, greaterThan, isIn, isNotNull, isNull, lessOrEqual, lessThan,
  not, notEqual, notIn, or,
} from "../../../../src/table/predicate.ts";
import { formatPredicate, parsePredicate } from "../../../../src/table/predicate_parser.ts";
import { FIELDS, randomPredicate, randomRow } from "../../table/predicate_random.ts";

const num = (numericText: string) => ({ numericText });
function where(condition: string): Predicate {
  const [s] = parseSql(`SELECT * FROM t WHERE ${condition}`);
  assert.ok(s !== undefined && s.kind === "select" && s.where !== null);
  return s.where.predicate;
}

describe("predicates", () => {
  test("comparisons, <> and !=, signs, precedence", () => {
    assert.deepEqual(where("a = 1 OR b <> 'x' AND c != -2"), or(equal("a", num("1")), and(notEqual("b", "x"), notEqual("c", num("-2")))));
    assert.deepEqual(where("NOT a < 1 AND b >= +2.5e1"), and(not(lessThan("a", num("1"))), greaterOrEqual("b", num("2.5e1"))));
    assert.deepEqual(where("(a = 1 OR a = 2) AND ((b > 3))"), and(or(equal("a", num("1")), equal("a", num("2"))), greaterThan("b", num("3"))));
  });

  test("literal on the left is turned around", () => {
    assert.deepEqual(where("5 < a"), greaterThan("a", num("5")));
    assert.deepEqual(where("'x' >= b AND NULL = c AND -1 <> d"), and(lessOrEqual("b", "x"), equal("c", null), notEqual("d", num("-1"))));
  });

  test("IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN", () => {
    assert.deepEqual(where("a IS NULL or b is not null"), or(isNull("a"), isNotNull("b")));
    assert.deepEqual(where("a IN (1, -2, NULL) AND b NOT IN ('x')"), and(isIn("a", [num("1"), num("-2"), null]), notIn("b", ["x"])));
    assert.deepEqual(where("a BETWEEN 1 AND 3 AND b = 2"), and(and(greaterOrEqual("a", num("1")), lessOrEqual("a", num("3"))), equal("b", num("2"))));
    assert.deepEqual(where("a NOT BETWEEN 1 AND 3"), not(and(greaterOrEqual("a", num("1")), lessOrEqual("a", num("3")))));
  });

  test("bare BOOLEAN columns, typed, binary and boolean literals, quoted names", () => {
    assert.deepEqual(where("flag AND NOT `other flag`"), and(equal("flag", true), not(equal("other flag", true))));
    assert.deepEqual(where("d = DATE '2024-01-01' AND ts < TIMESTAMP '2024-01-01 10:00:00'"),
      and(equal("d", "2024-01-01"), lessThan("ts", "2024-01-01 10:00:00")));
    assert.deepEqual(where("date = DATE '2024-01-01'"), equal("date", "2024-01-01"));
    assert.deepEqual(where("b = X'00ff' OR f = FALSE"), or(equal("b", Uint8Array.of(0, 255)), equal("f", false)));
  });

  test("the WHERE of DELETE is the same model", () => {
    const [d] = parseSql("DELETE FROM t WHERE ds < '20240101' AND NOT k IN (1, 2)");
    assert.ok(d !== undefined && d.kind === "delete");
    assert.deepEqual(d.where?.predicate, and(lessThan("ds", "20240101"), not(isIn("k", [num("1"), num("2")]))));
  });
});

describe("agreement with the --where parser", () => {
  test("random predicates: same model, same rows pass", () => {
    const random = seededRandom(77);
    for (let i = 0; i < 300; i++) {
      const p = randomPredicate(random, 3, ["a", "s"]);
      const text = formatPredicate(p);
      const ours = where(text);
      assert.deepEqual(ours, parsePredicate(text), text);
      const bound = bindPredicate(ours, FIELDS);
      const reference = bindPredicate(p, FIELDS);
      for (let r = 0; r < 5; r++) {
        const row = randomRow(random);
        assert.equal(evaluatePredicate(bound, row), evaluatePredicate(reference, row), `${text} on ${JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v))}`);
      }
    }
  });
});
