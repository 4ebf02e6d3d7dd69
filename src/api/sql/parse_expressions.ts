/**
 * Parses the expressions of INSERT … VALUES (literal values) and of WHERE clauses (predicates
 * over columns and literals, into the `Predicate` model of `table/predicate.ts`).
 *
 * Values: numbers with an optional sign (exact text), `'strings'` (`''` escapes a quote),
 * `X'hex'`, TRUE, FALSE, NULL, `DATE '…'`, `TIME '…'`, `TIMESTAMP '…'`, `CAST(value AS type)`,
 * `ARRAY[v, …]`, `MAP[k, v, …]`, `ROW(v, …)`.
 *
 * Predicates (AND binds tighter than OR, NOT tighter than AND):
 * ```
 * or   := and ( OR and )*
 * and  := unary ( AND unary )*
 * unary:= NOT unary | '(' or ')' | leaf
 * leaf := column op literal | literal op column | column IS [NOT] NULL
 *       | column [NOT] IN '(' literal, … ')' | column [NOT] BETWEEN literal AND literal | column
 * ```
 * A bare column means `column = TRUE` (a BOOLEAN column used as a condition). `literal op column`
 * is turned around (`5 < a` is `a > 5`). Comparing two columns, LIKE and function calls are
 * SqlError("unsupported"): the filter model compares a column with literals only.
 *
 * Imports: util/bytes.ts, table/predicate.ts, table/predicate_literal.ts (types only),
 * api/sql/*.
 * Mirrors: nothing in Java one to one (Flink converts Calcite expressions to Paimon predicates in
 * `PredicateConverter`).
 */
import { fromHex } from "../../util/bytes.ts";
import {
  and, compare, type CompareOp, greaterOrEqual, isIn, isNotNull, isNull, lessOrEqual, not, notIn, or, type Predicate,
} from "../../table/predicate.ts";
import type { LiteralInput } from "../../table/predicate_literal.ts";
import type { SqlExpression, SqlTypedLiteralType, SqlWhere } from "./ast.ts";
import type { SqlCursor } from "./cursor.ts";
import { TokenKind } from "./lexer.ts";
import { parseSqlType, type ProvisionalFieldIds } from "./parse_types.ts";
import type { SourcePosition } from "./source.ts";

const VALUE_EXPECTED = "expected a value (number, 'string', TRUE, FALSE, NULL, DATE '…', TIMESTAMP '…', CAST(… AS type), ARRAY[…], MAP[…] or ROW(…))";
const TYPED_LITERALS: readonly SqlTypedLiteralType[] = ["DATE", "TIME", "TIMESTAMP"];

/** Parses one value expression of INSERT … VALUES. */
export function parseValueExpression(c: SqlCursor, ids: ProvisionalFieldIds): SqlExpression {
  return c.nested(() => parseValueAtDepth(c, ids));
}

function parseValueAtDepth(c: SqlCursor, ids: ProvisionalFieldIds): SqlExpression {
  const t = c.peek();
  const position = t.position;
  switch (t.kind) {
    case TokenKind.NUMBER: c.next(); return { kind: "number", text: t.value, position };
    case TokenKind.STRING: c.next(); return { kind: "string", value: t.value, position };
    case TokenKind.BINARY: c.next(); return { kind: "binary", bytes: fromHex(t.value), position };
    case TokenKind.PUNCT: {
      if (t.value !== "-" && t.value !== "+") break;
      c.next();
      const n = c.peek();
      if (n.kind !== TokenKind.NUMBER) c.fail(`expected a number after '${t.value}'`);
      c.next();
      return { kind: "number", text: (t.value === "-" ? "-" : "") + n.value, position };
    }
    case TokenKind.WORD: {
      const word = t.value.toUpperCase();
      if (word === "NULL") { c.next(); return { kind: "null", position }; }
      if (word === "TRUE" || word === "FALSE") { c.next(); return { kind: "boolean", value: word === "TRUE", position }; }
      if ((TYPED_LITERALS as readonly string[]).includes(word) && c.peek(1).kind === TokenKind.STRING) {
        c.next();
        return { kind: "typed", type: word as SqlTypedLiteralType, text: c.next().value, position };
      }
      if (word === "CAST" && c.isPunct("(", 1)) return parseCast(c, ids);
      if (word === "ARRAY" && c.isPunct("[", 1)) {
        c.next();
        return { kind: "array", elements: parseValueList(c, ids, "[", "]", "ARRAY[…]"), position };
      }
      if (word === "MAP" && c.isPunct("[", 1)) return parseMapValue(c, ids);
      if (word === "ROW" && c.isPunct("(", 1)) {
        c.next();
        return { kind: "row", fields: parseValueList(c, ids, "(", ")", "ROW(…)"), position };
      }
      break;
    }
    default:
      break;
  }
  return c.fail(VALUE_EXPECTED);
}

function parseCast(c: SqlCursor, ids: ProvisionalFieldIds): SqlExpression {
  const position = c.next().position;
  c.expectPunct("(", "after CAST");
  const operand = parseValueExpression(c, ids);
  c.expectWord("AS", "in CAST(value AS type)");
  const type = parseSqlType(c, ids);
  c.expectPunct(")", "to close CAST(…)");
  return { kind: "cast", operand, type, position };
}

function parseMapValue(c: SqlCursor, ids: ProvisionalFieldIds): SqlExpression {
  const position = c.next().position;
  const values = parseValueList(c, ids, "[", "]", "MAP[…]");
  if (values.length % 2 !== 0) c.failAtPosition(position, `expected MAP[key, value, …] with pairs, found ${values.length} values`);
  const entries: (readonly [SqlExpression, SqlExpression])[] = [];
  for (let i = 0; i < values.length; i += 2) entries.push([values[i]!, values[i + 1]!]);
  return { kind: "map", entries, position };
}

/** `open value (',' value)* close`; an empty list is allowed for ARRAY and MAP only. */
function parseValueList(c: SqlCursor, ids: ProvisionalFieldIds, open: string, close: string, what: string): SqlExpression[] {
  c.expectPunct(open, `in ${what}`);
  const values: SqlExpression[] = [];
  if (open === "[" && c.acceptPunct(close)) return values;
  do values.push(parseValueExpression(c, ids));
  while (c.acceptPunct(","));
  c.expectPunct(close, `or ',' in ${what}`);
  return values;
}

/** Parses `WHERE <predicate>` when the current token is WHERE; null otherwise. */
export function parseOptionalWhere(c: SqlCursor, ids: ProvisionalFieldIds): SqlWhere | null {
  if (!c.isWord("WHERE")) return null;
  c.next();
  const position = c.peek().position;
  return { predicate: parseOr(c, ids), position };
}

function parseOr(c: SqlCursor, ids: ProvisionalFieldIds): Predicate {
  const parts = [parseAnd(c, ids)];
  while (c.acceptWords("OR")) parts.push(parseAnd(c, ids));
  return or(...parts);
}

function parseAnd(c: SqlCursor, ids: ProvisionalFieldIds): Predicate {
  const parts = [parseUnary(c, ids)];
  while (c.acceptWords("AND")) parts.push(parseUnary(c, ids));
  return and(...parts);
}

function parseUnary(c: SqlCursor, ids: ProvisionalFieldIds): Predicate {
  if (c.acceptWords("NOT")) return c.nested(() => not(parseUnary(c, ids)));
  if (c.acceptPunct("(")) {
    const inner = c.nested(() => parseOr(c, ids));
    c.expectPunct(")", "to close the parenthesis");
    return inner;
  }
  return parseLeaf(c, ids);
}

const COMPARE_TOKENS: Readonly<Record<string, CompareOp>> = { "=": "=", "<>": "!=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function compareOpAhead(c: SqlCursor): CompareOp | null {
  const t = c.peek();
  return t.kind === TokenKind.PUNCT ? COMPARE_TOKENS[t.value] ?? null : null;
}

/** True when the current token starts a literal rather than a column. */
function startsLiteral(c: SqlCursor): boolean {
  const t = c.peek();
  if (t.kind === TokenKind.NUMBER || t.kind === TokenKind.STRING || t.kind === TokenKind.BINARY) return true;
  if (t.kind === TokenKind.PUNCT) return t.value === "-" || t.value === "+";
  if (t.kind !== TokenKind.WORD) return false;
  const word = t.value.toUpperCase();
  if (word === "NULL" || word === "TRUE" || word === "FALSE") return true;
  return (TYPED_LITERALS as readonly string[]).includes(word) && c.peek(1).kind === TokenKind.STRING;
}

function parseLeaf(c: SqlCursor, ids: ProvisionalFieldIds): Predicate {
  if (startsLiteral(c)) {
    const literal = parsePredicateLiteral(c, ids);
    const opToken = c.peek();
    const op = compareOpAhead(c);
    if (op === null) c.fail("expected a comparison operator (=, <>, <, <=, >, >=) after the literal");
    c.next();
    const column = parseColumnOperand(c, opToken.position);
    return compare(column, FLIPPED[op!], literal);
  }
  const columnToken = c.peek();
  if (c.isName() && c.isPunct("(", 1)) c.unsupported(columnToken.position, `function calls such as ${columnToken.value}(…) are not supported in WHERE; compare columns with literals`);
  const column = c.expectIdentifier("a column name or a literal");
  if (c.isPunct(".")) c.unsupported(c.peek().position, `qualified column names such as ${column.name}.… are not supported in WHERE`);
  const op = compareOpAhead(c);
  if (op !== null) {
    const opToken = c.next();
    if (c.isName() && !startsLiteral(c) && !c.isPunct("(", 1) && !c.isPunct("[", 1)) c.unsupported(c.peek().position, `comparing two columns is not supported (${column.name} ${opToken.value} ${c.peek().value}); compare a column with a literal`);
    return compare(column.name, op, parsePredicateLiteral(c, ids));
  }
  if (c.acceptWords("IS")) {
    const negated = c.acceptWords("NOT");
    c.expectWord("NULL", negated ? "after IS NOT" : "after IS");
    return negated ? isNotNull(column.name) : isNull(column.name);
  }
  const negated = c.isWord("NOT") && (c.isWord("IN", 1) || c.isWord("BETWEEN", 1) || c.isWord("LIKE", 1));
  if (negated) c.next();
  if (c.acceptWords("IN")) {
    c.expectPunct("(", "after IN");
    const literals = [parsePredicateLiteral(c, ids)];
    while (c.acceptPunct(",")) literals.push(parsePredicateLiteral(c, ids));
    c.expectPunct(")", "or ',' in the IN list");
    return negated ? notIn(column.name, literals) : isIn(column.name, literals);
  }
  if (c.acceptWords("BETWEEN")) {
    const low = parsePredicateLiteral(c, ids);
    c.expectWord("AND", "between the bounds of BETWEEN");
    const high = parsePredicateLiteral(c, ids);
    const between = and(greaterOrEqual(column.name, low), lessOrEqual(column.name, high));
    return negated ? not(between) : between;
  }
  if (c.isWord("LIKE")) c.unsupported(c.peek().position, "LIKE is not supported in WHERE; use =, <>, <, <=, >, >=, IN, BETWEEN or IS [NOT] NULL");
  if (isConditionEnd(c)) return compare(column.name, "=", true);
  return c.fail(`expected an operator (=, <>, <, <=, >, >=), IS, IN or BETWEEN after the column ${column.name}`);
}

/** True where a condition may end: AND, OR, ')', LIMIT, ';' or the end. */
function isConditionEnd(c: SqlCursor): boolean {
  return c.atEnd() || c.isWord("AND") || c.isWord("OR") || c.isWord("LIMIT") || c.isPunct(")") || c.isPunct(";");
}

function parseColumnOperand(c: SqlCursor, opPosition: SourcePosition): string {
  if (startsLiteral(c)) c.unsupported(opPosition, "comparing two literals is not supported; compare a column with a literal");
  return c.expectIdentifier("a column name after the operator").name;
}

/** A literal of a predicate, as the filter model takes it (numbers as exact text, typed literals as their text). */
function parsePredicateLiteral(c: SqlCursor, ids: ProvisionalFieldIds): LiteralInput {
  const t = c.peek();
  if (!startsLiteral(c)) {
    if (c.isWord("CAST") || c.isWord("ARRAY") || c.isWord("MAP") || c.isWord("ROW")) {
      c.unsupported(t.position, `${t.value.toUpperCase()} is not supported in WHERE; write a plain literal`);
    }
    c.fail("expected a literal (number, 'string', TRUE, FALSE, NULL, X'hex', DATE '…', TIME '…', TIMESTAMP '…')");
  }
  const e = parseValueExpression(c, ids);
  switch (e.kind) {
    case "null": return null;
    case "boolean": return e.value;
    case "number": return { numericText: e.text };
    case "string": return e.value;
    case "binary": return e.bytes;
    case "typed": return e.text;
    default: return c.failAtPosition(e.position, "expected a literal");
  }
}
