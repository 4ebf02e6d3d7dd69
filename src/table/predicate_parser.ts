/**
 * A small parser for the CLI's `--where` expressions, producing the filter model of
 * `predicate.ts`, and the inverse `formatPredicate`.
 *
 * Grammar (keywords case-insensitive):
 * ```
 * expr    := and ( OR and )*
 * and     := unary ( AND unary )*
 * unary   := NOT unary | '(' expr ')' | leaf
 * leaf    := column ( op literal | IS [NOT] NULL | [NOT] IN '(' literal ( ',' literal )* ')'
 *                   | [NOT] BETWEEN literal AND literal )
 * op      := '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='
 * column  := [A-Za-z_][A-Za-z0-9_$]* | "double quoted" ("" escapes ") | `back quoted`
 * literal := [+-]number | 'string' ('' escapes ') | TRUE | FALSE | NULL | X'hex'
 *          | DATE 'yyyy-mm-dd' | TIME 'hh:mm:ss' | TIMESTAMP 'yyyy-mm-dd hh:mm:ss[.f]'
 * ```
 * Numbers stay exact text (`NumericText`) until bound to a column type; typed literals are kept as
 * their string and converted by the column's type. `a BETWEEN x AND y` is `a >= x AND a <= y`,
 * NOT BETWEEN its negation (Java `Between`/`NotBetween` mean the same).
 *
 * Errors: `PredicateSyntaxError` (LakeError "invalid_argument") with the 0-based `position` of
 * the offending token; the message gives the 1-based position and a caret under the text.
 *
 * Imports: errors.ts, util/bytes.ts, spec/values.ts, table/predicate.ts, table/predicate_literal.ts.
 * Mirrors: nothing in Java (Flink's SimpleSqlPredicateConvertor plays this role there).
 */
import { LakeError } from "../errors.ts";
import { fromHex, toHex } from "../util/bytes.ts";
import { isTimestamp } from "../spec/values.ts";
import {
  and, type CompareOp, greaterOrEqual, isIn, isNotNull, isNull, lessOrEqual, not, notIn, or, type Predicate,
} from "./predicate.ts";
import { isNumericText, type LiteralInput } from "./predicate_literal.ts";

/** A syntax error in a `--where` expression; `position` is the 0-based offset in the text. */
export class PredicateSyntaxError extends LakeError {
  override name = "PredicateSyntaxError";
  readonly position: number;

  constructor(text: string, position: number, what: string) {
    const line = text.replace(/[\r\n\t]/g, " ");
    super("invalid_argument", `where: ${what} at position ${position + 1}\n  ${line}\n  ${" ".repeat(position)}^`);
    this.position = position;
  }
}

type TokenKind = "ident" | "quoted" | "string" | "number" | "hex" | "punct" | "end";
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly position: number;
}

const PUNCT = ["<=", ">=", "!=", "<>", "=", "<", ">", "(", ")", ",", "-", "+"] as const;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*/;
/** Reserved words: not usable as bare column names (DATE, TIME, TIMESTAMP are not reserved). */
const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "BETWEEN"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (at: number, what: string): never => { throw new PredicateSyntaxError(text, at, what); };
  const quoted = (quote: string, at: number): [string, number] => {
    let j = at + 1, value = "";
    for (;;) {
      const k = text.indexOf(quote, j);
      if (k < 0) fail(at, `unterminated ${quote === "'" ? "string" : "quoted column name"}`);
      value += text.slice(j, k);
      if (text[k + 1] === quote) { value += quote; j = k + 2; continue; }
      return [value, k + 1];
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    const rest = text.slice(i);
    if ((ch === "X" || ch === "x") && text[i + 1] === "'") {
      const [value, end] = quoted("'", i + 1);
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(value)) fail(i, "a binary literal X'…' needs an even number of hex digits");
      tokens.push({ kind: "hex", text: value, position: i });
      i = end;
    } else if (ch === "'") {
      const [value, end] = quoted("'", i);
      tokens.push({ kind: "string", text: value, position: i });
      i = end;
    } else if (ch === '"' || ch === "`") {
      const [value, end] = quoted(ch, i);
      if (value === "") fail(i, "empty column name");
      tokens.push({ kind: "quoted", text: value, position: i });
      i = end;
    } else if (NUMBER.test(rest)) {
      const m = NUMBER.exec(rest)![0];
      if (IDENT.test(text.slice(i + m.length))) fail(i + m.length, "expected a space or an operator after the number");
      tokens.push({ kind: "number", text: m, position: i });
      i += m.length;
    } else if (IDENT.test(rest)) {
      const m = IDENT.exec(rest)![0];
      tokens.push({ kind: "ident", text: m, position: i });
      i += m.length;
    } else {
      const p = PUNCT.find((s) => rest.startsWith(s));
      if (p === undefined) fail(i, `unexpected character ${JSON.stringify(ch)}`);
      tokens.push({ kind: "punct", text: p!, position: i });
      i += p!.length;
    }
  }
  tokens.push({ kind: "end", text: "", position: text.length });
  return tokens;
}

class Parser {
  private readonly tokens: Token[];
  private readonly text: string;
  private at = 0;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  fail(token: Token, what: string): never {
    const near = token.kind === "end" ? "the end" : JSON.stringify(this.text.slice(token.position, token.position + 12));
    throw new PredicateSyntaxError(this.text, token.position, `${what}, found ${near}`);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "ident" && t.text.toUpperCase() === word;
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.at++;
    return true;
  }

  expectKeyword(word: string, context: string): void {
    if (!this.acceptKeyword(word)) this.fail(this.peek(), `expected ${word} ${context}`);
  }

  acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t.kind !== "punct" || t.text !== p) return false;
    this.at++;
    return true;
  }

  parseAll(): Predicate {
    if (this.peek().kind === "end") this.fail(this.peek(), "expected a condition");
    const p = this.parseOr();
    if (this.peek().kind !== "end") this.fail(this.peek(), "expected AND, OR or the end of the expression");
    return p;
  }

  parseOr(): Predicate {
    const parts = [this.parseAnd()];
    while (this.acceptKeyword("OR")) parts.push(this.parseAnd());
    return or(...parts);
  }

  parseAnd(): Predicate {
    const parts = [this.parseUnary()];
    while (this.acceptKeyword("AND")) parts.push(this.parseUnary());
    return and(...parts);
  }

  parseUnary(): Predicate {
    if (this.acceptKeyword("NOT")) return not(this.parseUnary());
    if (this.acceptPunct("(")) {
      const inner = this.parseOr();
      if (!this.acceptPunct(")")) this.fail(this.peek(), "expected ) to close the parenthesis");
      return inner;
    }
    return this.parseLeaf();
  }

  parseColumn(): string {
    const t = this.peek();
    if (t.kind === "quoted") { this.at++; return t.text; }
    if (t.kind === "ident" && !KEYWORDS.has(t.text.toUpperCase())) { this.at++; return t.text; }
    return this.fail(t, t.kind === "ident" ? `expected a column name (quote ${t.text} as "${t.text}" if it is one)` : "expected a column name");
  }

  parseLeaf(): Predicate {
    const column = this.parseColumn();
    const t = this.peek();
    if (t.kind === "punct" && ["=", "!=", "<>", "<", "<=", ">", ">="].includes(t.text)) {
      this.at++;
      const op = (t.text === "<>" ? "!=" : t.text) as CompareOp;
      return { kind: "compare", column, op, literal: this.parseLiteral() };
    }
    if (this.acceptKeyword("IS")) {
      const negated = this.acceptKeyword("NOT");
      this.expectKeyword("NULL", negated ? "after IS NOT" : "after IS");
      return negated ? isNotNull(column) : isNull(column);
    }
    const negated = this.acceptKeyword("NOT");
    if (this.acceptKeyword("IN")) {
      if (!this.acceptPunct("(")) this.fail(this.peek(), "expected ( after IN");
      const literals = [this.parseLiteral()];
      while (this.acceptPunct(",")) literals.push(this.parseLiteral());
      if (!this.acceptPunct(")")) this.fail(this.peek(), "expected , or ) in the IN list");
      return negated ? notIn(column, literals) : isIn(column, literals);
    }
    if (this.acceptKeyword("BETWEEN")) {
      const low = this.parseLiteral();
      this.expectKeyword("AND", "between the BETWEEN bounds");
      const high = this.parseLiteral();
      const between = and(greaterOrEqual(column, low), lessOrEqual(column, high));
      return negated ? not(between) : between;
    }
    return this.fail(this.peek(), negated ? "expected IN or BETWEEN after NOT" : "expected an operator, IS, IN or BETWEEN after the column");
  }

  parseLiteral(): LiteralInput {
    const t = this.peek();
    this.at++;
    switch (t.kind) {
      case "string": return t.text;
      case "number": return { numericText: t.text };
      case "hex": return fromHex(t.text);
      case "punct":
        if ((t.text === "-" || t.text === "+") && this.peek().kind === "number" && this.peek().position === t.position + 1) {
          const n = this.peek();
          this.at++;
          return { numericText: (t.text === "-" ? "-" : "") + n.text };
        }
        break;
      case "ident": {
        const word = t.text.toUpperCase();
        if (word === "NULL") return null;
        if (word === "TRUE") return true;
        if (word === "FALSE") return false;
        if ((word === "DATE" || word === "TIME" || word === "TIMESTAMP") && this.peek().kind === "string") {
          return this.tokens[this.at++]!.text;
        }
        break;
      }
      default:
        break;
    }
    this.at--;
    return this.fail(t, "expected a literal (number, 'string', TRUE, FALSE, NULL, X'hex', DATE '…', TIMESTAMP '…')");
  }
}

/**
 * Parses a `--where` expression such as `a = 1 AND (b IN ('x','y') OR c >= 2.5)`.
 * Throws PredicateSyntaxError (LakeError "invalid_argument") pointing at the offending token.
 * Column names and literal types are checked later, by `bindPredicate`.
 */
export function parsePredicate(text: string): Predicate {
  return new Parser(text).parseAll();
}

function formatColumn(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !KEYWORDS.has(name.toUpperCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

function formatLiteral(value: LiteralInput): string {
  if (value === null || value === undefined) return "NULL";
  if (isNumericText(value)) return value.numericText;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : `'${String(value)}'`;
  if (typeof value === "string") return `'${value.replace(/'/g, "''")}'`;
  if (value instanceof Uint8Array) return `X'${toHex(value)}'`;
  if (value instanceof Date) return `TIMESTAMP '${value.toISOString()}'`;
  if (isTimestamp(value)) {
    const iso = new Date(value.epochMillis).toISOString().replace("T", " ").replace("Z", "");
    return `TIMESTAMP '${iso}${value.nanoOfMillisecond === 0 ? "" : String(value.nanoOfMillisecond).padStart(6, "0")}'`;
  }
  return `'${JSON.stringify(value)}'`;
}

/** Text of `p` in the `--where` syntax (fully parenthesized compounds); parses back to an equivalent predicate. */
export function formatPredicate(p: Predicate): string {
  switch (p.kind) {
    case "compare": return `${formatColumn(p.column)} ${p.op} ${formatLiteral(p.literal)}`;
    case "is_null": return `${formatColumn(p.column)} IS NULL`;
    case "is_not_null": return `${formatColumn(p.column)} IS NOT NULL`;
    case "in": case "not_in":
      return `${formatColumn(p.column)} ${p.kind === "in" ? "IN" : "NOT IN"} (${p.literals.map(formatLiteral).join(", ")})`;
    case "and": case "or": return `(${p.children.map(formatPredicate).join(p.kind === "and" ? " AND " : " OR ")})`;
    case "not": return `NOT ${formatPredicate(p.child)}`;
  }
}
