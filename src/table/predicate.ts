/**
 * The filter model of the public read API: comparisons of a column (by name) with a literal,
 * IS [NOT] NULL, [NOT] IN lists, combined with AND, OR and NOT; binding to a schema; and row
 * evaluation with SQL three-valued logic.
 *
 * Two forms: a `Predicate` names columns and holds literals as the caller gave them (plain JS
 * values, value-model values, Dates, exact numeric text); `bindPredicate` resolves names against
 * the fields of a row type and converts literals by column type (`predicate_literal.ts`), giving
 * a `BoundPredicate` whose leaves carry the field index and type. Evaluation and pruning
 * (`predicate_pruning.ts`) work on bound predicates.
 *
 * Semantics follow Java's `LeafPredicate`/`CompoundPredicate`: a comparison with a null operand
 * is unknown, `IN` is true when a non-null literal equals the value, `NOT IN` is false as soon as
 * a literal is null or equal; AND/OR/NOT use SQL three-valued logic and a row passes only when
 * the result is TRUE. Java has no NOT node: it negates leaves (= ↔ !=, < ↔ >=, IS NULL ↔ IS NOT
 * NULL, IN ↔ NOT IN) and applies De Morgan (`Predicate#negate`); `negatePredicate` does the same,
 * and on rows this equals three-valued NOT. Comparisons use Java's `compareTo` (so for DOUBLE
 * `-0.0 = 0.0` is false and `NaN = NaN` is true, as in Java).
 *
 * Imports: errors.ts, spec/data_types.ts, spec/values.ts, table/predicate_literal.ts.
 * Mirrors: org.apache.paimon.predicate.Predicate, PredicateBuilder, LeafPredicate, CompoundPredicate
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/predicate/LeafPredicate.java
 */
import { LakeError } from "../errors.ts";
import type { DataField, DataType } from "../spec/data_types.ts";
import type { Row, Value } from "../spec/values.ts";
import { compareValues, isFilterableType, literalForColumn, type LiteralInput } from "./predicate_literal.ts";

/** Comparison operators (Java Equal, NotEqual, LessThan, LessOrEqual, GreaterThan, GreaterOrEqual). */
export const COMPARE_OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
/** One comparison operator. */
export type CompareOp = (typeof COMPARE_OPS)[number];

const NEGATED_OP: Record<CompareOp, CompareOp> = { "=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<" };

/** An unbound predicate: columns by name, literals as given. */
export type Predicate =
  | { readonly kind: "compare"; readonly column: string; readonly op: CompareOp; readonly literal: LiteralInput }
  | { readonly kind: "is_null" | "is_not_null"; readonly column: string }
  | { readonly kind: "in" | "not_in"; readonly column: string; readonly literals: readonly LiteralInput[] }
  | { readonly kind: "and" | "or"; readonly children: readonly Predicate[] }
  | { readonly kind: "not"; readonly child: Predicate };

/** Where a bound leaf reads its value: the field's name, index in the row and type. */
export interface FieldReference {
  readonly column: string;
  readonly index: number;
  readonly type: DataType;
}

/** A predicate bound to a row type: literals are values of their column's type. */
export type BoundPredicate =
  | (FieldReference & { readonly kind: "compare"; readonly op: CompareOp; readonly literal: Value })
  | (FieldReference & { readonly kind: "is_null" | "is_not_null" })
  | (FieldReference & { readonly kind: "in" | "not_in"; readonly literals: readonly Value[] })
  | { readonly kind: "and" | "or"; readonly children: readonly BoundPredicate[] }
  | { readonly kind: "not"; readonly child: BoundPredicate };

/** SQL truth value: true, false, or null for unknown. */
export type TruthValue = boolean | null;

/** `column = literal`. */
export function equal(column: string, literal: LiteralInput): Predicate {
  return { kind: "compare", column, op: "=", literal };
}
/** `column != literal` (also written `<>`). */
export function notEqual(column: string, literal: LiteralInput): Predicate {
  return { kind: "compare", column, op: "!=", literal };
}
/** `column < literal`. */
export function lessThan(column: string, literal: LiteralInput): Predicate {
  return { kind: "compare", column, op: "<", literal };
}
/** `column <= literal`. */
export function lessOrEqual(column: string, literal: LiteralInput): Predicate {
  return { kind: "compare", column, op: "<=", literal };
}
/** `column > literal`. */
export function greaterThan(column: string, literal: LiteralInput): Predicate {
  return { kind: "compare", column, op: ">", literal };
}
/** `column >= literal`. */
export function greaterOrEqual(column: string, literal: LiteralInput): Predicate {
  return { kind: "compare", column, op: ">=", literal };
}
/** `column <op> literal` for any operator. */
export function compare(column: string, op: CompareOp, literal: LiteralInput): Predicate {
  if (!COMPARE_OPS.includes(op)) throw new LakeError("invalid_argument", `predicate: unknown operator ${JSON.stringify(op)}`);
  return { kind: "compare", column, op, literal };
}
/** `column IS NULL`. */
export function isNull(column: string): Predicate {
  return { kind: "is_null", column };
}
/** `column IS NOT NULL`. */
export function isNotNull(column: string): Predicate {
  return { kind: "is_not_null", column };
}
/** `column IN (literals…)`. Requires at least one literal (else LakeError("invalid_argument")). */
export function isIn(column: string, literals: readonly LiteralInput[]): Predicate {
  if (literals.length === 0) throw new LakeError("invalid_argument", `predicate: IN list for column ${JSON.stringify(column)} is empty`);
  return { kind: "in", column, literals: [...literals] };
}
/** `column NOT IN (literals…)`. Requires at least one literal. */
export function notIn(column: string, literals: readonly LiteralInput[]): Predicate {
  if (literals.length === 0) throw new LakeError("invalid_argument", `predicate: NOT IN list for column ${JSON.stringify(column)} is empty`);
  return { kind: "not_in", column, literals: [...literals] };
}
/** Conjunction; one child is returned as is. Requires at least one child. */
export function and(...children: Predicate[]): Predicate {
  if (children.length === 0) throw new LakeError("invalid_argument", "predicate: AND needs at least one operand");
  return children.length === 1 ? children[0]! : { kind: "and", children };
}
/** Disjunction; one child is returned as is. Requires at least one child. */
export function or(...children: Predicate[]): Predicate {
  if (children.length === 0) throw new LakeError("invalid_argument", "predicate: OR needs at least one operand");
  return children.length === 1 ? children[0]! : { kind: "or", children };
}
/** Logical NOT (three-valued). */
export function not(child: Predicate): Predicate {
  return { kind: "not", child };
}

type AnyPredicate = Predicate | BoundPredicate;

/**
 * The negation without NOT nodes, as Java's `Predicate#negate`: leaves flip their operator,
 * AND and OR swap (De Morgan), NOT NOT p is p. Works for bound and unbound predicates.
 */
export function negatePredicate(p: BoundPredicate): BoundPredicate;
export function negatePredicate(p: Predicate): Predicate;
export function negatePredicate(p: AnyPredicate): AnyPredicate {
  switch (p.kind) {
    case "compare": return { ...p, op: NEGATED_OP[p.op] };
    case "is_null": return { ...p, kind: "is_not_null" };
    case "is_not_null": return { ...p, kind: "is_null" };
    case "in": return { ...p, kind: "not_in" };
    case "not_in": return { ...p, kind: "in" };
    case "and": return { kind: "or", children: p.children.map((c) => negatePredicate(c as Predicate)) };
    case "or": return { kind: "and", children: p.children.map((c) => negatePredicate(c as Predicate)) };
    case "not": return toNegationNormalForm(p.child as Predicate);
  }
}

/** The same predicate with every NOT pushed into the leaves (negation normal form). */
export function toNegationNormalForm(p: BoundPredicate): BoundPredicate;
export function toNegationNormalForm(p: Predicate): Predicate;
export function toNegationNormalForm(p: AnyPredicate): AnyPredicate {
  switch (p.kind) {
    case "and": case "or": return { kind: p.kind, children: p.children.map((c) => toNegationNormalForm(c as Predicate)) };
    case "not": return negatePredicate(p.child as Predicate);
    default: return p;
  }
}

/** Names of all columns the predicate references, in first-use order. */
export function predicateColumns(p: AnyPredicate): string[] {
  const out = new Set<string>();
  const visit = (q: AnyPredicate): void => {
    switch (q.kind) {
      case "and": case "or": q.children.forEach(visit); break;
      case "not": visit(q.child); break;
      default: out.add(q.column);
    }
  };
  visit(p);
  return [...out];
}

/**
 * Resolves column names against `fields` (the row type rows will have; index = position in
 * `fields`) and converts every literal to its column's type. Throws LakeError("invalid_argument")
 * for an unknown column or a literal that is not a value of the column's type, and
 * LakeError("unsupported") for columns of nested, VARIANT or BLOB type.
 */
export function bindPredicate(predicate: Predicate, fields: readonly DataField[]): BoundPredicate {
  const byName = new Map<string, number>();
  fields.forEach((f, i) => byName.set(f.name, i));
  const reference = (column: string): FieldReference => {
    const index = byName.get(column);
    if (index === undefined) {
      throw new LakeError("invalid_argument",
        `predicate: unknown column ${JSON.stringify(column)}; columns are ${fields.map((f) => f.name).join(", ")}`);
    }
    const type = fields[index]!.type;
    if (!isFilterableType(type)) {
      literalForColumn(column, type, 0); // throws the "cannot be filtered on" error
    }
    return { column, index, type };
  };
  const bind = (p: Predicate): BoundPredicate => {
    switch (p.kind) {
      case "compare": {
        const ref = reference(p.column);
        return { kind: "compare", ...ref, op: p.op, literal: literalForColumn(p.column, ref.type, p.literal) };
      }
      case "is_null": case "is_not_null":
        return { kind: p.kind, ...reference(p.column) };
      case "in": case "not_in": {
        const ref = reference(p.column);
        return { kind: p.kind, ...ref, literals: p.literals.map((l) => literalForColumn(p.column, ref.type, l)) };
      }
      case "and": case "or":
        if (p.children.length === 0) throw new LakeError("invalid_argument", `predicate: ${p.kind.toUpperCase()} without operands`);
        return { kind: p.kind, children: p.children.map(bind) };
      case "not":
        return { kind: "not", child: bind(p.child) };
    }
  };
  return bind(predicate);
}

function compareTruth(op: CompareOp, c: number): boolean {
  switch (op) {
    case "=": return c === 0;
    case "!=": return c !== 0;
    case "<": return c < 0;
    case "<=": return c <= 0;
    case ">": return c > 0;
    case ">=": return c >= 0;
  }
}

/**
 * The SQL truth value of `predicate` on `row` (values by field index, as bound): TRUE, FALSE,
 * or null for UNKNOWN. Requires: `row` holds values of the bound field types.
 */
export function evaluatePredicateTruth(predicate: BoundPredicate, row: Row): TruthValue {
  switch (predicate.kind) {
    case "compare": {
      const v = row[predicate.index] ?? null;
      if (v === null || predicate.literal === null) return null;
      return compareTruth(predicate.op, compareValues(predicate.type, v, predicate.literal));
    }
    case "is_null": return (row[predicate.index] ?? null) === null;
    case "is_not_null": return (row[predicate.index] ?? null) !== null;
    case "in": case "not_in": {
      const v = row[predicate.index] ?? null;
      if (v === null) return null;
      let sawNull = false;
      for (const lit of predicate.literals) {
        if (lit === null) sawNull = true;
        else if (compareValues(predicate.type, v, lit) === 0) return predicate.kind === "in";
      }
      return sawNull ? null : predicate.kind === "not_in";
    }
    case "and": {
      let result: TruthValue = true;
      for (const c of predicate.children) {
        const t = evaluatePredicateTruth(c, row);
        if (t === false) return false;
        if (t === null) result = null;
      }
      return result;
    }
    case "or": {
      let result: TruthValue = false;
      for (const c of predicate.children) {
        const t = evaluatePredicateTruth(c, row);
        if (t === true) return true;
        if (t === null) result = null;
      }
      return result;
    }
    case "not": {
      const t = evaluatePredicateTruth(predicate.child, row);
      return t === null ? null : !t;
    }
  }
}

/** True when `row` passes the filter: the predicate is TRUE (UNKNOWN and FALSE filter it out). */
export function evaluatePredicate(predicate: BoundPredicate, row: Row): boolean {
  return evaluatePredicateTruth(predicate, row) === true;
}
