/**
 * The token cursor every recursive-descent function of the SQL parser walks: look-ahead,
 * keyword and punctuation matching, names, string literals, and errors that say what was
 * expected and what was found, at the found token's line and column.
 *
 * Invariants: the cursor never moves past the `end` token; a failed `expect…` throws and leaves
 * no partial state anyone reads. Keywords match bare words case-insensitively, never backquoted
 * names. Reserved words (`RESERVED_WORDS`) are not accepted as bare names; backquote them.
 *
 * Imports: api/sql/lexer.ts, api/sql/source.ts, api/sql/ast.ts (types only).
 * Mirrors: nothing in Java (Calcite's generated parser plays this role in Flink).
 */
import type { SqlIdentifier, SqlName } from "./ast.ts";
import { describeToken, tokenizeSql, TokenKind, type Token } from "./lexer.ts";
import { failSql, failSqlUnsupported, SourceText, type SourcePosition } from "./source.ts";

/**
 * Words that cannot be bare names because the grammar would become ambiguous; Flink reserves
 * them too. A column called `from` or `limit` is written backquoted (`` `from` ``).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "AND", "AS", "BETWEEN", "CONSTRAINT", "FALSE", "FROM", "IN", "IS", "LIKE", "LIMIT", "NOT", "NULL", "OR",
  "PRIMARY", "SELECT", "TO", "TRUE", "WATERMARK", "WHERE",
]);

/** Deepest nesting of parentheses, NOT, nested types and nested values one statement may use. */
export const SQL_NESTING_DEPTH_MAX = 200;

/** A position-tracking cursor over the tokens of one SQL text. */
export class SqlCursor {
  readonly source: SourceText;
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(text: string) {
    this.source = new SourceText(text);
    this.tokens = tokenizeSql(this.source);
  }

  /** The token `ahead` tokens from the current one (clamped to the end token). */
  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  /** The current token, then moves past it (never past the end token). */
  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  /** The token before the current one (the last consumed). Requires: something was consumed. */
  previous(): Token {
    return this.tokens[Math.max(0, this.index - 1)]!;
  }

  /** True at the end of the input. */
  atEnd(): boolean {
    return this.peek().kind === TokenKind.END;
  }

  /** True when the token `ahead` is the bare word `word` (upper case), in any case. */
  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === TokenKind.WORD && t.value.toUpperCase() === word;
  }

  /** True when the next tokens are the bare words `words`, in order. */
  isWords(...words: string[]): boolean {
    return words.every((w, i) => this.isWord(w, i));
  }

  /** Consumes the words `words` when they all come next; returns whether it did. */
  acceptWords(...words: string[]): boolean {
    if (!this.isWords(...words)) return false;
    this.index += words.length;
    return true;
  }

  /** Consumes the word `word` or fails with "expected WORD <context>, found …". */
  expectWord(word: string, context = ""): Token {
    if (!this.isWord(word)) this.fail(`expected ${word}${context ? " " + context : ""}`);
    return this.next();
  }

  /** True when the token `ahead` is the punctuation `p`. */
  isPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === TokenKind.PUNCT && t.value === p;
  }

  /** Consumes the punctuation `p` when it comes next; returns whether it did. */
  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.next();
    return true;
  }

  /** Consumes the punctuation `p` or fails with "expected 'p' <context>, found …". */
  expectPunct(p: string, context = ""): Token {
    if (!this.isPunct(p)) this.fail(`expected '${p}'${context ? " " + context : ""}`);
    return this.next();
  }

  /** True when the current token can be a name (backquoted, or a bare non-reserved word). */
  isName(ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === TokenKind.QUOTED || (t.kind === TokenKind.WORD && !RESERVED_WORDS.has(t.value.toUpperCase()));
  }

  /** Consumes one name; `what` says which (e.g. "a column name"). */
  expectIdentifier(what: string): SqlIdentifier {
    const t = this.peek();
    if (!this.isName()) {
      const hint = t.kind === TokenKind.WORD ? ` (${t.value} is a reserved word: write \`${t.value}\` if it is a name)` : "";
      this.fail(`expected ${what}${hint}`);
    }
    this.next();
    return { name: t.value, position: t.position };
  }

  /** Consumes a dotted name of 1 to `partsMax` parts (`a`, `a.b`, `` `a`.`b`.c ``). */
  expectName(what: string, partsMax: number): SqlName {
    const first = this.expectIdentifier(what);
    const parts = [first.name];
    while (this.isPunct(".")) {
      if (parts.length >= partsMax) this.fail(`expected at most ${partsMax} name parts in ${what}`);
      this.next();
      parts.push(this.expectIdentifier(`a name after '.' in ${what}`).name);
    }
    return { parts, position: first.position };
  }

  /** Consumes a string literal and returns its content; `what` names it in errors. */
  expectString(what: string): string {
    const t = this.peek();
    if (t.kind !== TokenKind.STRING) {
      const hint = t.kind === TokenKind.NUMBER || t.kind === TokenKind.WORD ? ` (write '${t.value}')` : "";
      this.fail(`expected ${what} as a 'string'${hint}`);
    }
    this.next();
    return t.value;
  }

  /** Consumes a string literal when one comes next. */
  acceptString(): string | null {
    const t = this.peek();
    if (t.kind !== TokenKind.STRING) return null;
    this.next();
    return t.value;
  }

  /** Consumes a non-negative integer literal no larger than `max`. */
  expectInteger(what: string, max: number): number {
    const t = this.peek();
    if (t.kind !== TokenKind.NUMBER || !/^\d+$/.test(t.value)) this.fail(`expected ${what} (a whole number)`);
    const n = Number(t.value);
    if (!Number.isSafeInteger(n) || n > max) this.fail(`expected ${what} of at most ${max}`);
    this.next();
    return n;
  }

  /**
   * Runs `parse` one nesting level deeper; fails at the current token beyond
   * `SQL_NESTING_DEPTH_MAX` levels, so deep input is an error rather than a stack overflow.
   */
  nested<T>(parse: () => T): T {
    if (this.depth >= SQL_NESTING_DEPTH_MAX) this.failAtPosition(this.peek().position, `expressions and types nest deeper than ${SQL_NESTING_DEPTH_MAX} levels`);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** Fails at the current token: "<what>, found <token>". */
  fail(what: string): never {
    return this.failAt(this.peek(), what);
  }

  /** Fails at `token`: "<what>, found <token>". */
  failAt(token: Token, what: string): never {
    return failSql(token.position, `${what}, found ${describeToken(token)}`, this.source);
  }

  /** Fails with a free-form message at `position` (no "found" part). */
  failAtPosition(position: SourcePosition, what: string): never {
    return failSql(position, what, this.source);
  }

  /** Fails with SqlError("unsupported") at `position`. */
  unsupported(position: SourcePosition, what: string): never {
    return failSqlUnsupported(position, what, this.source);
  }
}
