/**
 * Source positions of SQL text and the error every SQL front-end module throws.
 *
 * A position is a 0-based `offset` (UTF-16 code units into the text) plus the 1-based `line` and
 * `column` a user sees in an editor. Lines end at `\n` (a `\r\n` pair counts as one line end);
 * columns count code points, so a column after a non-BMP character is still right.
 *
 * Invariants: every error message starts with `sql: line L, column C: ` followed by what was
 * expected and what was found (or what is wrong); when the source text is known the offending
 * line follows with a caret under the column.
 *
 * Imports: errors.ts only.
 * Mirrors: nothing in Java (Flink reports Calcite's "Encountered X at line L, column C").
 */
import { LakeError, type ErrorCode } from "../../errors.ts";

/** Where a token or AST node starts in the SQL text. */
export interface SourcePosition {
  /** 0-based offset in UTF-16 code units. */
  readonly offset: number;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, in code points. */
  readonly column: number;
}

/**
 * Maps offsets of one text to line/column positions. Construction is O(text length); a lookup
 * is a binary search over line starts plus a scan of the line prefix, resumed from the previous
 * lookup when it is further on the same line (so the lexer's in-order lookups cost O(text length)
 * in total, even for a megabyte of VALUES on one line).
 */
export class SourceText {
  /** The full SQL text. */
  readonly text: string;
  private readonly lineStarts: number[];
  private last: SourcePosition = { offset: 0, line: 1, column: 1 };

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The position of `offset`. Requires: 0 ≤ offset ≤ text.length. */
  positionAt(offset: number): SourcePosition {
    let lo = 0, hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const resume = this.last.line === lo + 1 && this.last.offset <= offset;
    let column = resume ? this.last.column : 1;
    for (let i = resume ? this.last.offset : this.lineStarts[lo]!; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) column++; // a low surrogate continues the previous code point
    }
    this.last = { offset, line: lo + 1, column };
    return this.last;
  }

  /** The text of line `line` (1-based) without its line end. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
  }
}

/** An error in SQL text (syntax or meaning), with the position it refers to. */
export class SqlError extends LakeError {
  override name = "SqlError";
  /** 1-based line of the offending text. */
  readonly line: number;
  /** 1-based column of the offending text. */
  readonly column: number;
  /** 0-based offset of the offending text. */
  readonly offset: number;

  constructor(code: ErrorCode, position: SourcePosition, what: string, options: { source?: SourceText; cause?: unknown } = {}) {
    super(code, formatSqlMessage(position, what, options.source), { cause: options.cause });
    this.line = position.line;
    this.column = position.column;
    this.offset = position.offset;
  }
}

function formatSqlMessage(position: SourcePosition, what: string, source: SourceText | undefined): string {
  const head = `sql: line ${position.line}, column ${position.column}: ${what}`;
  if (source === undefined) return head;
  const line = source.lineText(position.line).replace(/\t/g, " ");
  return `${head}\n  ${line}\n  ${" ".repeat(Math.max(0, position.column - 1))}^`;
}

/** Throws SqlError("invalid_argument") at `position`. */
export function failSql(position: SourcePosition, what: string, source?: SourceText): never {
  throw new SqlError("invalid_argument", position, what, { source });
}

/** Throws SqlError("unsupported") at `position`: valid Flink SQL that lakestate does not run. */
export function failSqlUnsupported(position: SourcePosition, what: string, source?: SourceText): never {
  throw new SqlError("unsupported", position, what, { source });
}
