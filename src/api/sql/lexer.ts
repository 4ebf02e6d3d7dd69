/**
 * The SQL lexer: Flink SQL text to tokens with source positions.
 *
 * Token kinds:
 *  - `word`: a bare identifier or keyword, `[letter_][letter digit _ $]*` (letters include
 *    Unicode letters). Keywords are words compared case-insensitively; `value` keeps the case.
 *  - `quoted`: a backquoted identifier; two backquotes inside stand for one. Never a keyword.
 *  - `string`: `'…'` with `''` standing for one quote; may span lines. `value` is the content.
 *  - `binary`: `X'hex'` (an even number of hex digits); `value` is the hex digits.
 *  - `number`: `digits[.digits][e[+-]digits]` or `.digits…`, unsigned (the parser applies signs).
 *  - `punct`: `( ) [ ] , ; . = <> != <= >= < > * + -`.
 *  - `end`: one token at the end of the text.
 * Skipped: whitespace, `-- …` to the end of the line, `/* … *\/` (not nested, as in Flink).
 * `>>` is two `>` tokens so that nested types such as `ARRAY<MAP<INT, INT>>` close correctly.
 * Double quotes are an error: Flink quotes names with backquotes and strings with single quotes.
 *
 * Errors: SqlError("invalid_argument") at the offending character (unterminated string, name or
 * comment; unknown character; malformed number or binary literal).
 *
 * Imports: api/sql/source.ts.
 * Mirrors: the lexical part of Flink's SQL parser (Calcite, `quoting = BACK_TICK`):
 * https://github.com/apache/flink/blob/master/flink-table/flink-sql-parser/src/main/codegen/data/Parser.tdd
 */
import { failSql, SourceText, type SourcePosition } from "./source.ts";

/** Token kinds of the lexer. */
export const TokenKind = {
  WORD: "word",
  QUOTED: "quoted",
  STRING: "string",
  BINARY: "binary",
  NUMBER: "number",
  PUNCT: "punct",
  END: "end",
} as const;
/** One of `TokenKind`. */
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** One token. `start`/`end` are offsets of the raw text `[start, end)`. */
export interface Token {
  readonly kind: TokenKind;
  /** Decoded value: the name, the string content, the number text, the hex digits, the punctuation. */
  readonly value: string;
  readonly position: SourcePosition;
  readonly start: number;
  readonly end: number;
}

/** Punctuation, longest first so that `<=` wins over `<`. */
const PUNCTUATION = ["<>", "!=", "<=", ">=", "(", ")", "[", "]", ",", ";", ".", "=", "<", ">", "*", "+", "-"] as const;
const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

/** Tokenizes `source`; the last token is always `end`. Throws SqlError on a lexical error. */
export function tokenizeSql(source: SourceText): Token[] {
  const text = source.text;
  const tokens: Token[] = [];
  const fail = (offset: number, what: string): never => failSql(source.positionAt(offset), what, source);
  const push = (kind: TokenKind, value: string, start: number, end: number): void => {
    tokens.push({ kind, value, position: source.positionAt(start), start, end });
  };
  /** Reads a quoted run starting at `at` (the opening quote); returns [content, end offset]. */
  const quoted = (quote: string, at: number, what: string): [string, number] => {
    let from = at + 1;
    let value = "";
    for (;;) {
      const close = text.indexOf(quote, from);
      if (close < 0) return fail(at, `unterminated ${what}: expected a closing ${quote}`);
      value += text.slice(from, close);
      if (text[close + 1] !== quote) return [value, close + 1];
      value += quote;
      from = close + 2;
    }
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f") { i++; continue; }
    if (ch === "-" && text[i + 1] === "-") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol + 1;
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) fail(i, "unterminated comment: expected */");
      i = close + 2;
      continue;
    }
    if ((ch === "X" || ch === "x") && text[i + 1] === "'") {
      const [hex, end] = quoted("'", i + 1, "binary literal");
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) fail(i, `expected an even number of hex digits in X'${hex}'`);
      push(TokenKind.BINARY, hex, i, end);
      i = end;
      continue;
    }
    if (ch === "'") {
      const [value, end] = quoted("'", i, "string");
      push(TokenKind.STRING, value, i, end);
      i = end;
      continue;
    }
    if (ch === "`") {
      const [value, end] = quoted("`", i, "quoted name");
      if (value === "") fail(i, "expected a name between the backquotes, found ``");
      push(TokenKind.QUOTED, value, i, end);
      i = end;
      continue;
    }
    if (ch === '"') {
      fail(i, `unexpected character '"': quote names with backquotes (\`name\`) and strings with single quotes ('text')`);
    }
    const cp = text.codePointAt(i)!;
    const chr = String.fromCodePoint(cp);
    if (WORD_START.test(chr)) {
      let j = i + chr.length;
      while (j < text.length) {
        const c = String.fromCodePoint(text.codePointAt(j)!);
        if (!WORD_PART.test(c)) break;
        j += c.length;
      }
      push(TokenKind.WORD, text.slice(i, j), i, j);
      i = j;
      continue;
    }
    const number = (ch >= "0" && ch <= "9") || (ch === "." && /\d/.test(text[i + 1] ?? "")) ? NUMBER.exec(text.slice(i, i + 400)) : null;
    if (number !== null) {
      const end = i + number[0].length;
      const after = text.codePointAt(end);
      if (after !== undefined && WORD_PART.test(String.fromCodePoint(after))) {
        fail(end, `expected a space or an operator after the number ${number[0]}, found '${String.fromCodePoint(after)}'`);
      }
      push(TokenKind.NUMBER, number[0], i, end);
      i = end;
      continue;
    }
    const p = PUNCTUATION.find((s) => text.startsWith(s, i));
    if (p === undefined) fail(i, `unexpected character '${chr}'`);
    push(TokenKind.PUNCT, p!, i, i + p!.length);
    i += p!.length;
  }
  push(TokenKind.END, "", text.length, text.length);
  return tokens;
}

/** How a token reads in an error message: `'PRIMARY'`, `string 'x'`, `` `name` ``, `the end of the input`. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case TokenKind.END: return "the end of the input";
    case TokenKind.WORD: return `'${token.value}'`;
    case TokenKind.QUOTED: return `\`${token.value.replace(/`/g, "``")}\``;
    case TokenKind.STRING: return `string '${abbreviate(token.value.replace(/'/g, "''"))}'`;
    case TokenKind.BINARY: return `binary literal X'${abbreviate(token.value)}'`;
    case TokenKind.NUMBER: return `number ${token.value}`;
    case TokenKind.PUNCT: return `'${token.value}'`;
  }
}

function abbreviate(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + "..." : text;
}
