// Shared by the predicate tests: a small schema and seeded generators of random predicates, values
// and rows over it. Values include the cases where Java's comparisons differ from naive JS ones
// (strings whose UTF-8 and UTF-16 orders differ, -0.0, NaN) and nulls.
import { and, equal, greaterOrEqual, greaterThan, isIn, isNotNull, isNull, lessOrEqual, lessThan, not, notEqual, notIn, or, type Predicate } from "../../../src/table/predicate.ts";
import { type DataField, parseTypeString } from "../../../src/spec/data_types.ts";
import type { Row, Value } from "../../../src/spec/values.ts";

/** Columns a INT, s STRING, d DOUBLE, n BIGINT. */
export const FIELDS: DataField[] = [
  { id: 0, name: "a", type: parseTypeString("INT") },
  { id: 1, name: "s", type: parseTypeString("STRING") },
  { id: 2, name: "d", type: parseTypeString("DOUBLE") },
  { id: 3, name: "n", type: parseTypeString("BIGINT") },
];

const STRINGS = ["", "a", "ab", "b", "é", "\uFFFD", "😀", "a😀", "a\uFFFD", "\uE000", "z"];

/** A random non-null value for a FIELDS column. */
export function randomValue(random: () => number, column: string): Value {
  switch (column) {
    case "a": return Math.floor(random() * 11) - 5;
    case "s": return STRINGS[Math.floor(random() * STRINGS.length)]!;
    case "d": return [-1.5, -0, 0, 0.5, 2, Number.NaN, Number.POSITIVE_INFINITY][Math.floor(random() * 7)]!;
    default: return BigInt(Math.floor(random() * 7) - 3) * 1000000000000n;
  }
}

/** A random row over FIELDS, each value null with probability `nullRate`. */
export function randomRow(random: () => number, nullRate = 0.2): Row {
  return FIELDS.map((f) => (random() < nullRate ? null : randomValue(random, f.name)));
}

/** A random predicate over FIELDS of nesting depth ≤ `depth`, with null literals now and then. */
export function randomPredicate(random: () => number, depth: number, columns: readonly string[] = ["a", "s", "d", "n"]): Predicate {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (depth > 0 && r < 0.35) {
    const kids = Array.from({ length: 2 + Math.floor(random() * 2) }, () => randomPredicate(random, depth - 1, columns));
    return random() < 0.5 ? and(...kids) : or(...kids);
  }
  if (depth > 0 && r < 0.45) return not(randomPredicate(random, depth - 1, columns));
  const column = pick(columns);
  const lit = () => (random() < 0.1 ? null : randomValue(random, column));
  const kind = random();
  if (kind < 0.1) return isNull(column);
  if (kind < 0.2) return isNotNull(column);
  if (kind < 0.35) return isIn(column, Array.from({ length: 1 + Math.floor(random() * 3) }, lit));
  if (kind < 0.45) return notIn(column, Array.from({ length: 1 + Math.floor(random() * 3) }, lit));
  const op = pick([equal, notEqual, lessThan, lessOrEqual, greaterThan, greaterOrEqual]);
  return op(column, lit());
}
