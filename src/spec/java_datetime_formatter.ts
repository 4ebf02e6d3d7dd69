/**
 * Java `DateTimeFormatter` patterns for local date-times: compile a pattern as
 * `DateTimeFormatter.ofPattern(pattern, Locale.ROOT)` builds it, parse text as
 * `LocalDateTime.parse` / `LocalDate.parse` do (strict parsing, SMART resolver), and print a
 * date-time with it. Paimon's `PartitionTimeExtractor` reads partition values this way
 * (`partition.timestamp-formatter`), with LENIENT built-in formatters when none is set.
 *
 * Mirrors `java.time.format.DateTimeFormatterBuilder` (`appendPattern`, adjacent value parsing,
 * `NumberPrinterParser`, `ReducedPrinterParser`, `FractionPrinterParser`, optional sections) and
 * `java.time.format.Parsed` (field resolution):
 * https://github.com/openjdk/jdk/blob/master/src/java.base/share/classes/java/time/format/DateTimeFormatterBuilder.java
 * and Paimon's use of it:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/partition/PartitionTimeExtractor.java
 *
 * Supported pattern letters (numeric fields only): `y` `u` (year of era / year; `yy` is the
 * two-digit year based at 2000, `yyyy` needs a `+` beyond four digits), `M` `L` (1 or 2 letters),
 * `d`, `D`, `H`, `k`, `m`, `s`, `S` (fraction), quoted literals (`'T'`, `''`), any other
 * non-letter as a literal, and optional sections `[ ]`. Letters Java knows but that print text
 * or need zones, weeks, eras or AM/PM (`MMM`, `E`, `a`, `h`, `K`, `G`, `Q`, `w`, `Y`, `z`, `X`,
 * ...) are LakeError("unsupported"); letters Java rejects are LakeError("invalid_argument")
 * with Java's reason.
 *
 * Invariants: parsing never throws: it returns null exactly where Java throws
 * DateTimeParseException (bad text, out-of-range fields, unparsed trailing text, a missing date
 * or time for the query). Field resolution lives in spec/java_local_date_time.ts.
 *
 * Imports: errors.ts, spec/java_datetime_text.ts, spec/java_local_date_time.ts.
 */
import { LakeError } from "../errors.ts";
import { civilFromEpochDay, epochDayFromCivil } from "./java_datetime_text.ts";
import {
  resolveParsedFields, type DateTimeField as Field, type LocalDateTime, type ParsedFields as Fields, type ResolvedDateTime,
  type ResolverStyle,
} from "./java_local_date_time.ts";

type SignStyle = "NORMAL" | "NOT_NEGATIVE" | "EXCEEDS_PAD";

interface NumberElement {
  readonly kind: "number";
  readonly field: Field;
  readonly minWidth: number;
  readonly maxWidth: number;
  readonly sign: SignStyle;
  /** Java `subsequentWidth`: -1 fixed width, 0 none, > 0 digits reserved for adjacent fields. */
  readonly subsequentWidth: number;
  /** Two-digit year base (`yy`), else null. */
  readonly reducedBase: number | null;
  /** An `S` fraction taking part in adjacent value parsing (fixed width, no decimal point). */
  readonly fraction: boolean;
}
interface FractionElement { readonly kind: "fraction"; readonly minWidth: number; readonly maxWidth: number; readonly decimalPoint: boolean }
interface LiteralElement { readonly kind: "literal"; readonly text: string }
interface OptionalElement { readonly kind: "optional"; readonly elements: readonly Element[] }
type Element = NumberElement | FractionElement | LiteralElement | OptionalElement;

/** A compiled formatter. */
export interface JavaDateTimeFormatter {
  /** The pattern text (or a description for built-in formatters). */
  readonly pattern: string;
  readonly resolver: ResolverStyle;
  readonly elements: readonly Element[];
}

/** Digits beyond which a parsed number cannot be a valid field value here (and stays exact). */
const DIGITS_MAX = 15;
const LETTER_FIELDS: Readonly<Record<string, Field>> = {
  y: "YEAR_OF_ERA", u: "YEAR", M: "MONTH", L: "MONTH", d: "DAY_OF_MONTH", D: "DAY_OF_YEAR", H: "HOUR_OF_DAY",
  k: "CLOCK_HOUR_OF_DAY", m: "MINUTE", s: "SECOND", S: "NANO",
};
/** Letters Java's `ofPattern` accepts that this module does not implement. */
const JAVA_ONLY_LETTERS = "GQqFEceaAnNghKWwYBzVvZOXxp";

function badPattern(pattern: string, reason: string): LakeError {
  return new LakeError("invalid_argument", `date-time pattern ${JSON.stringify(pattern)} is not a Java DateTimeFormatter pattern: ${reason}`);
}

function numberElement(field: Field, minWidth: number, maxWidth: number, sign: SignStyle, extra: Partial<NumberElement> = {}): NumberElement {
  return { kind: "number", field, minWidth, maxWidth, sign, subsequentWidth: 0, reducedBase: null, fraction: false, ...extra };
}

/** Java's builder state: nested lists (optional sections) with the active adjacent value parser. */
class PatternBuilder {
  readonly #stack: { list: Element[]; valueIndex: number }[] = [{ list: [], valueIndex: -1 }];

  #top(): { list: Element[]; valueIndex: number } {
    return this.#stack[this.#stack.length - 1]!;
  }

  /** Java `appendValue(NumberPrinterParser)`: adjacent value parsing. */
  value(el: NumberElement): void {
    const top = this.#top();
    if (top.valueIndex >= 0) {
      const base = top.list[top.valueIndex] as NumberElement;
      if (el.minWidth === el.maxWidth && el.sign === "NOT_NEGATIVE") {
        top.list[top.valueIndex] = { ...base, subsequentWidth: base.subsequentWidth + el.maxWidth };
        top.list.push({ ...el, subsequentWidth: -1 });
      } else {
        top.list[top.valueIndex] = { ...base, subsequentWidth: -1 };
        top.list.push(el);
        top.valueIndex = top.list.length - 1;
      }
    } else {
      top.list.push(el);
      top.valueIndex = top.list.length - 1;
    }
  }

  /** Java `appendInternal` of a non-value element: ends adjacent parsing. */
  other(el: Element): void {
    const top = this.#top();
    top.list.push(el);
    top.valueIndex = -1;
  }

  literal(text: string): void {
    if (text.length > 0) this.other({ kind: "literal", text });
  }

  optionalStart(): void {
    this.#stack.push({ list: [], valueIndex: -1 });
  }

  /** Java `optionalEnd`; false when no section is open. */
  optionalEnd(): boolean {
    if (this.#stack.length === 1) return false;
    const done = this.#stack.pop()!;
    if (done.list.length > 0) this.other({ kind: "optional", elements: done.list });
    return true;
  }

  finish(): Element[] {
    while (this.optionalEnd());
    return this.#stack[0]!.list;
  }
}

function appendField(b: PatternBuilder, pattern: string, letter: string, count: number): void {
  const field = LETTER_FIELDS[letter]!;
  const tooMany = () => badPattern(pattern, `Too many pattern letters: ${letter}`);
  switch (letter) {
    case "y": case "u":
      if (count === 2) b.value(numberElement(field, 2, 2, "NOT_NEGATIVE", { reducedBase: 2000 }));
      else b.value(numberElement(field, count, 19, count < 4 ? "NORMAL" : "EXCEEDS_PAD"));
      return;
    case "M": case "L":
      if (count > 5) throw tooMany();
      if (count > 2) throw new LakeError("unsupported", `date-time pattern ${JSON.stringify(pattern)}: month as text ('${letter.repeat(count)}') is not supported; use numeric months (M or MM)`);
      b.value(count === 1 ? numberElement(field, 1, 19, "NORMAL") : numberElement(field, 2, 2, "NOT_NEGATIVE"));
      return;
    case "D":
      if (count > 3) throw tooMany();
      b.value(count === 1 ? numberElement(field, 1, 19, "NORMAL") : numberElement(field, count, 3, "NOT_NEGATIVE"));
      return;
    case "S":
      b.value(numberElement("NANO", count, count, "NOT_NEGATIVE", { fraction: true }));
      return;
    default: // d H k m s
      if (count > 2) throw tooMany();
      b.value(count === 1 ? numberElement(field, 1, 19, "NORMAL") : numberElement(field, 2, 2, "NOT_NEGATIVE"));
  }
}

/**
 * Compiles `pattern` as Java `DateTimeFormatter.ofPattern(pattern, Locale.ROOT)` (strict
 * parsing, SMART resolver). Throws LakeError("invalid_argument") with Java's reason for a
 * pattern Java rejects, ("unsupported") for letters this module does not implement (header).
 */
export function compileDateTimePattern(pattern: string): JavaDateTimeFormatter {
  const b = new PatternBuilder();
  for (let pos = 0; pos < pattern.length; pos++) {
    const cur = pattern[pos]!;
    if (/[A-Za-z]/.test(cur)) {
      const start = pos;
      while (pos + 1 < pattern.length && pattern[pos + 1] === cur) pos++;
      const count = pos - start + 1;
      if (Object.hasOwn(LETTER_FIELDS, cur)) appendField(b, pattern, cur, count);
      else if (JAVA_ONLY_LETTERS.includes(cur)) {
        throw new LakeError("unsupported", `date-time pattern ${JSON.stringify(pattern)}: pattern letter '${cur}' is not supported (supported: y u M L d D H k m s S, literals and [optional] sections)`);
      } else throw badPattern(pattern, `Unknown pattern letter: ${cur}`);
    } else if (cur === "'") {
      const start = pos++;
      for (; pos < pattern.length; pos++) {
        if (pattern[pos] === "'") {
          if (pos + 1 < pattern.length && pattern[pos + 1] === "'") pos++;
          else break;
        }
      }
      if (pos >= pattern.length) throw badPattern(pattern, `Pattern ends with an incomplete string literal: ${pattern}`);
      const text = pattern.slice(start + 1, pos);
      b.literal(text.length === 0 ? "'" : text.replaceAll("''", "'"));
    } else if (cur === "[") {
      b.optionalStart();
    } else if (cur === "]") {
      if (!b.optionalEnd()) throw badPattern(pattern, "Pattern invalid as it contains ] without previous [");
    } else if (cur === "{" || cur === "}" || cur === "#") {
      throw badPattern(pattern, `Pattern includes reserved character: '${cur}'`);
    } else {
      b.literal(cur);
    }
  }
  return { pattern, resolver: "SMART", elements: b.finish() };
}

/** Paimon `PartitionTimeExtractor.TIMESTAMP_FORMATTER`: `y-M-d[ H:m:s[.fffffffff]]`, LENIENT. */
export const PARTITION_TIMESTAMP_FORMATTER: JavaDateTimeFormatter = builtIn("yyyy-MM-dd[ HH:mm:ss[.S…]] (lenient)", true);
/** Paimon `PartitionTimeExtractor.DATE_FORMATTER`: `y-M-d`, LENIENT. */
export const PARTITION_DATE_FORMATTER: JavaDateTimeFormatter = builtIn("yyyy-MM-dd (lenient)", false);

function builtIn(pattern: string, withTime: boolean): JavaDateTimeFormatter {
  const v = (field: Field, maxWidth: number) => numberElement(field, 1, maxWidth, "NORMAL");
  const dash: LiteralElement = { kind: "literal", text: "-" };
  const colon: LiteralElement = { kind: "literal", text: ":" };
  const elements: Element[] = [v("YEAR", 10), dash, v("MONTH", 2), dash, v("DAY_OF_MONTH", 2)];
  if (withTime) {
    elements.push({
      kind: "optional",
      elements: [{ kind: "literal", text: " " }, v("HOUR_OF_DAY", 2), colon, v("MINUTE", 2), colon, v("SECOND", 2),
        { kind: "optional", elements: [{ kind: "fraction", minWidth: 1, maxWidth: 9, decimalPoint: true }] }],
    });
  }
  return { pattern, resolver: "LENIENT", elements };
}

// ---------------------------------------------------------------------------------------------
// Parsing (strict, as every formatter here): returns the new position, or -1 on failure.

function setField(fields: Fields, field: Field, value: number): boolean {
  const old = fields.get(field);
  fields.set(field, value);
  return old === undefined || old === value;
}

/** Java SignStyle.parse(positive, strict = true, fixedWidth). */
function signAllowed(sign: SignStyle, positive: boolean): boolean {
  if (sign === "NORMAL") return !positive;
  return sign === "EXCEEDS_PAD";
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function parseNumber(el: NumberElement, text: string, start: number, fields: Fields): number {
  if (start === text.length) return -1;
  let position = start;
  let negative = false, positive = false;
  const c = text[position];
  if (c === "+" || c === "-") {
    if (!signAllowed(el.sign, c === "+")) return -1;
    if (c === "+") positive = true;
    else negative = true;
    position++;
  }
  const effMin = el.minWidth;
  let effMax = el.maxWidth + Math.max(el.subsequentWidth, 0);
  if (position + effMin > text.length) return -1;
  let pos = position;
  let digits = "";
  for (let pass = 0; pass < 2; pass++) {
    const maxEnd = Math.min(pos + effMax, text.length);
    while (pos < maxEnd && isDigit(text[pos])) digits += text[pos++];
    if (pos < position + effMin) return -1;
    if (el.subsequentWidth > 0 && pass === 0) {
      effMax = Math.max(effMin, pos - position - el.subsequentWidth);
      pos = position;
      digits = "";
    } else break;
  }
  if (el.fraction) {
    // Java FractionPrinterParser: the digits are a decimal fraction of a second.
    return setField(fields, "NANO", Number(digits.padEnd(9, "0").slice(0, 9))) ? pos : -1;
  }
  if (digits.length > DIGITS_MAX) return -1;
  let value = Number(digits);
  if (negative) {
    if (value === 0) return -1;
    value = -value;
  } else if (el.sign === "EXCEEDS_PAD") {
    const len = pos - position;
    if (positive ? len <= el.minWidth : len > el.minWidth) return -1;
  }
  if (el.reducedBase !== null && pos - position === el.minWidth && value >= 0) {
    const range = 10 ** el.minWidth;
    value += el.reducedBase - (el.reducedBase % range);
    if (value < el.reducedBase) value += range;
  }
  return setField(fields, el.field, value) ? pos : -1;
}

function parseFraction(el: FractionElement, text: string, start: number, fields: Fields): number {
  if (start === text.length) return start;
  let position = start;
  if (el.decimalPoint) {
    if (text[position] !== ".") return el.minWidth > 0 ? -1 : position;
    position++;
  }
  if (position + el.minWidth > text.length) return -1;
  const maxEnd = Math.min(position + el.maxWidth, text.length);
  let pos = position;
  while (pos < maxEnd && isDigit(text[pos])) pos++;
  if (pos < position + el.minWidth) return -1;
  return setField(fields, "NANO", Number(text.slice(position, pos).padEnd(9, "0"))) ? pos : -1;
}

function parseElements(elements: readonly Element[], text: string, start: number, fields: Fields): number {
  let pos = start;
  for (const el of elements) {
    switch (el.kind) {
      case "number": pos = parseNumber(el, text, pos, fields); break;
      case "fraction": pos = parseFraction(el, text, pos, fields); break;
      case "literal": pos = text.startsWith(el.text, pos) ? pos + el.text.length : -1; break;
      case "optional": {
        const copy = new Map(fields);
        const end = parseElements(el.elements, text, pos, copy);
        if (end >= 0) {
          fields.clear();
          for (const [k, v] of copy) fields.set(k, v);
          pos = end;
        }
        break;
      }
    }
    if (pos < 0) return -1;
  }
  return pos;
}

function parseResolved(formatter: JavaDateTimeFormatter, text: string): ResolvedDateTime | null {
  const fields: Fields = new Map();
  const end = parseElements(formatter.elements, text, 0, fields);
  if (end !== text.length) return null; // a parse error, or unparsed text remains
  return resolveParsedFields(fields, formatter.resolver);
}

/** Java `LocalDateTime.parse(text, formatter)`, or null where Java throws. */
export function parseLocalDateTime(formatter: JavaDateTimeFormatter, text: string): LocalDateTime | null {
  const r = parseResolved(formatter, text);
  return r === null || r.date === null || r.time === null ? null : { epochDay: r.date, nanoOfDay: r.time };
}

/** Java `LocalDate.parse(text, formatter)` as an epoch day, or null where Java throws. */
export function parseLocalDate(formatter: JavaDateTimeFormatter, text: string): number | null {
  return parseResolved(formatter, text)?.date ?? null;
}

// ---------------------------------------------------------------------------------------------
// Printing (for examples in messages and for tests)

function fieldValue(field: Field, t: LocalDateTime): number {
  const c = civilFromEpochDay(t.epochDay);
  const hour = Math.floor(t.nanoOfDay / 3_600_000_000_000);
  switch (field) {
    case "YEAR": case "YEAR_OF_ERA": return c.year;
    case "MONTH": return c.month;
    case "DAY_OF_MONTH": return c.day;
    case "DAY_OF_YEAR": return t.epochDay - epochDayFromCivil(c.year, 1, 1) + 1;
    case "HOUR_OF_DAY": return hour;
    case "CLOCK_HOUR_OF_DAY": return hour === 0 ? 24 : hour;
    case "MINUTE": return Math.floor(t.nanoOfDay / 60_000_000_000) % 60;
    case "SECOND": return Math.floor(t.nanoOfDay / 1e9) % 60;
    case "NANO": return t.nanoOfDay % 1e9;
  }
}

function printFraction(nanos: number, minWidth: number, maxWidth: number): string {
  let digits = String(nanos).padStart(9, "0").slice(0, maxWidth);
  while (digits.length > minWidth && digits.endsWith("0")) digits = digits.slice(0, -1);
  return digits;
}

function printElements(elements: readonly Element[], t: LocalDateTime, out: { text: string; spans: [number, number][] }): void {
  for (const el of elements) {
    const start = out.text.length;
    if (el.kind === "literal") out.text += el.text;
    else if (el.kind === "optional") printElements(el.elements, t, out);
    else if (el.kind === "fraction") {
      const digits = printFraction(fieldValue("NANO", t), el.minWidth, el.maxWidth);
      out.text += digits.length > 0 && el.decimalPoint ? `.${digits}` : digits;
      out.spans.push([start, out.text.length]);
    } else if (el.fraction) {
      out.text += printFraction(fieldValue("NANO", t), el.minWidth, el.maxWidth);
      out.spans.push([start, out.text.length]);
    } else {
      let v = fieldValue(el.field, t);
      if (el.reducedBase !== null) v = ((v % 100) + 100) % 100;
      const digits = String(Math.abs(v));
      const sign = v < 0 ? "-" : el.sign === "EXCEEDS_PAD" && digits.length > el.minWidth ? "+" : "";
      out.text += sign + digits.padStart(el.minWidth, "0");
      out.spans.push([start, out.text.length]);
    }
  }
}

/** Java `formatter.format(dateTime)` (every optional section printed). */
export function formatLocalDateTime(formatter: JavaDateTimeFormatter, t: LocalDateTime): string {
  return formatLocalDateTimeSpans(formatter, t).text;
}

/**
 * `formatLocalDateTime` plus the `[start, end)` character spans of each printed field (numbers
 * and fractions, in order): where the text may be cut without splitting a field.
 */
export function formatLocalDateTimeSpans(formatter: JavaDateTimeFormatter, t: LocalDateTime): { text: string; spans: [number, number][] } {
  const out = { text: "", spans: [] as [number, number][] };
  printElements(formatter.elements, t, out);
  return out;
}
