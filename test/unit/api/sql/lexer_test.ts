// Goal: the SQL lexer yields the right tokens with exact line/column positions, skips both
// comment forms, decodes quoted names and strings (doubled quotes), and reports lexical errors
// at the offending character with "line L, column C".
// Method: tokenize hand-written texts (multi-line, with comments and non-ASCII text) and compare
// the kinds, values and positions with values counted by hand; bad inputs with their positions.
import { assert, describe, test } from "../../../harness.ts";
import { describeToken, tokenizeSql, type Token } from "../../../../src/api/sql/lexer.ts";
import { SourceText, SqlError } from "../../../../src/api/sql/source.ts";
import { isLakeError } from "../../../../src/errors.ts";

const lex = (text: string): Token[] => tokenizeSql(new SourceText(text));
const brief = (tokens: Token[]) => tokens.map((t) => [t.kind, t.value, t.position.line, t.position.column]);

describe("tokens", () => {
  test("words, quoted names, strings, numbers and punctuation with positions", () => {
    const text = "CREATE TABLE `a``b`.c (\n  x DECIMAL(10, 2), -- note\n  y STRING COMMENT 'it''s'\n) /* block\n comment */ ;";
    assert.deepEqual(brief(lex(text)), [
      ["word", "CREATE", 1, 1], ["word", "TABLE", 1, 8], ["quoted", "a`b", 1, 14], ["punct", ".", 1, 20], ["word", "c", 1, 21],
      ["punct", "(", 1, 23],
      ["word", "x", 2, 3], ["word", "DECIMAL", 2, 5], ["punct", "(", 2, 12], ["number", "10", 2, 13], ["punct", ",", 2, 15],
      ["number", "2", 2, 17], ["punct", ")", 2, 18], ["punct", ",", 2, 19],
      ["word", "y", 3, 3], ["word", "STRING", 3, 5], ["word", "COMMENT", 3, 12], ["string", "it's", 3, 20],
      ["punct", ")", 4, 1], ["punct", ";", 5, 13], ["end", "", 5, 14],
    ]);
  });

  test("operators: two-character ones win, >> is two tokens, minus is punctuation", () => {
    assert.deepEqual(lex("a<=b>=c<>d!=e<f>g=-1 ARRAY<MAP<INT,INT>>").map((t) => t.value), [
      "a", "<=", "b", ">=", "c", "<>", "d", "!=", "e", "<", "f", ">", "g", "=", "-", "1",
      "ARRAY", "<", "MAP", "<", "INT", ",", "INT", ">", ">", "",
    ]);
  });

  test("numbers: decimals, exponents, leading dot; binary literals; unicode words", () => {
    assert.deepEqual(lex("1 2.5 .5 1e3 1.5E-2 7. X'0aFF' x'' héllo_1$ 名前").map((t) => [t.kind, t.value]), [
      ["number", "1"], ["number", "2.5"], ["number", ".5"], ["number", "1e3"], ["number", "1.5E-2"], ["number", "7."],
      ["binary", "0aFF"], ["binary", ""], ["word", "héllo_1$"], ["word", "名前"], ["end", ""],
    ]);
  });

  test("strings span lines and keep comment markers; comments at the end; CRLF line ends", () => {
    const tokens = lex("'a\n-- b /* c */'\r\n  x -- tail");
    assert.deepEqual(brief(tokens), [["string", "a\n-- b /* c */", 1, 1], ["word", "x", 3, 3], ["end", "", 3, 12]]);
  });

  test("columns count code points, not UTF-16 units", () => {
    const tokens = lex("'😀😀' x");
    assert.equal(tokens[1]!.position.column, 6);
    assert.equal(tokens[1]!.position.offset, 7);
  });

  test("describeToken says what was found", () => {
    const [w, q, s, n, p, e] = lex("PRIMARY `x` 'abc' 42 ( ");
    assert.deepEqual([w, q, s, n, p, e].map((t) => describeToken(t!)), ["'PRIMARY'", "`x`", "string 'abc'", "number 42", "'('", "the end of the input"]);
  });
});

describe("lexical errors point at the character", () => {
  const cases: [string, number, number, RegExp][] = [
    ["SELECT 'abc", 1, 8, /unterminated string/],
    ["SELECT\n  `abc", 2, 3, /unterminated quoted name/],
    ["a /* never closed", 1, 3, /unterminated comment/],
    ["SELECT \"x\"", 1, 8, /quote names with backquotes/],
    ["a\n\n   ~", 3, 4, /unexpected character '~'/],
    ["x = 12abc", 1, 7, /after the number 12/],
    ["x = X'abc'", 1, 5, /even number of hex digits/],
    ["x = ``", 1, 5, /expected a name between the backquotes/],
  ];
  for (const [text, line, column, pattern] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(() => lex(text), (e: unknown) => {
        assert.ok(e instanceof SqlError, String(e));
        assert.ok(isLakeError(e, "invalid_argument"));
        assert.equal(e.line, line, e.message);
        assert.equal(e.column, column, e.message);
        assert.match(e.message, new RegExp(`^sql: line ${line}, column ${column}: `));
        assert.match(e.message, pattern);
        const lines = e.message.split("\n");
        assert.equal(lines[2]!.indexOf("^") - 2, column - 1, "caret under the column");
        return true;
      });
    });
  }
});
