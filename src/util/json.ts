/**
 * Lossless JSON codec: strict parse with int64 precision, and the two output styles Paimon uses.
 *
 * Parse: RFC 8259 JSON only (no comments, trailing commas, NaN, leading zeros, BOM, or duplicate
 * keys). Integers that are safe JS integers come back as `number`; larger integers come back as
 * `bigint` so `9223372036854775807` and `-9223372036854775808` survive exactly. Numbers with a
 * fraction or exponent come back as `number`. Errors are LakeError("invalid_argument") naming the
 * line, column and offset.
 *
 * Stringify: accepts bigint, plain objects, `Map<string, …>` (ordered objects), arrays and
 * `JsonRawNumber` (a number token written verbatim). Object properties whose value is
 * `undefined` are skipped, as JSON.stringify does. Two styles:
 *  - "compact": no whitespace, as Jackson's default writer (`{"a":1,"b":[1,2]}`).
 *  - "pretty": Jackson's `DefaultPrettyPrinter`, which Java Paimon uses for schema, snapshot and
 *    tag files: `"key" : value`, objects indented 2 spaces per nesting level with "\n" line
 *    ends, arrays inline as `[ a, b ]` (their elements keep the enclosing object's indent), empty
 *    containers as `{ }` and `[ ]`, no trailing newline.
 * Strings are escaped as Jackson does: `"` `\` and control characters only (`\b \t \n \f \r`,
 * other controls as `\u00XX` with upper-case hex); everything else, `/` and non-ASCII included,
 * is written as is.
 *
 * Invariant: for every value v made of safe integers, bigints, strings, booleans, null, arrays
 * and objects, `parseJson(stringifyJson(v))` deep-equals v (in both styles).
 *
 * Imports: errors.ts only. Mirrors Jackson's `DefaultPrettyPrinter` / `CharTypes` output rules:
 * https://github.com/FasterXML/jackson-core/blob/2.x/src/main/java/com/fasterxml/jackson/core/util/DefaultPrettyPrinter.java
 */
import { LakeError } from "../errors.ts";

/** Deepest container nesting accepted by parse and stringify (guards the call stack). */
export const JSON_DEPTH_MAX = 512;

/** A parsed JSON value. Integers beyond ±(2^53 − 1) are bigint. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;

/** A parsed JSON object (property order = order in the text). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A number token written verbatim by stringify (e.g. Jackson's BigDecimal `3600.000000000`). */
export class JsonRawNumber {
  readonly text: string;

  /** Requires: `text` is a valid JSON number token. */
  constructor(text: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
      throw new LakeError("invalid_argument", `json: ${JSON.stringify(text)} is not a JSON number token`);
    }
    this.text = text;
  }
}

/** Output style of `stringifyJson`. */
export type JsonStyle = "compact" | "pretty";

/** True when `value` is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Parse

const SAFE_DIGITS_MAX = 15; // any integer with at most 15 digits is a safe JS integer

class Parser {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  fail(what: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new LakeError("invalid_argument", `json: ${what} at line ${line} column ${at - lineStart + 1} (offset ${at})`);
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return "end of input";
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    this.skipWhitespace();
    const c = this.text[this.pos];
    switch (c) {
      case "{": return this.object(depth + 1);
      case "[": return this.array(depth + 1);
      case "\"": return this.string();
      case "t": return this.literal("true", true);
      case "f": return this.literal("false", false);
      case "n": return this.literal("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        return this.fail(`unexpected ${this.describeHere()}, expected a value`);
    }
  }

  literal<T>(word: string, result: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return result;
    }
    return this.fail(`unexpected ${this.describeHere()}, expected ${word}`);
  }

  object(depth: number): JsonObject {
    if (depth > JSON_DEPTH_MAX) this.fail(`nesting deeper than ${JSON_DEPTH_MAX}`);
    this.pos++; // {
    const out: JsonObject = {};
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== "\"") this.fail(`unexpected ${this.describeHere()}, expected a property name`);
      const keyAt = this.pos;
      const key = this.string();
      if (seen.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") this.fail(`unexpected ${this.describeHere()}, expected ':'`);
      this.pos++;
      const v = this.value(depth);
      // defineProperty keeps a "__proto__" key as data instead of changing the prototype.
      Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      this.skipWhitespace();
      const d = this.text[this.pos];
      if (d === ",") { this.pos++; continue; }
      if (d === "}") { this.pos++; return out; }
      this.fail(`unexpected ${this.describeHere()}, expected ',' or '}'`);
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > JSON_DEPTH_MAX) this.fail(`nesting deeper than ${JSON_DEPTH_MAX}`);
    this.pos++; // [
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.skipWhitespace();
      const d = this.text[this.pos];
      if (d === ",") { this.pos++; continue; }
      if (d === "]") { this.pos++; return out; }
      this.fail(`unexpected ${this.describeHere()}, expected ',' or ']'`);
    }
  }

  string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let out = "";
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail("unterminated string", start);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail(`unescaped control character U+${c.toString(16).toUpperCase().padStart(4, "0")} in string`);
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(runStart, this.pos);
      const e = t[this.pos + 1];
      switch (e) {
        case "\"": out += "\""; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`bad unicode escape ${JSON.stringify("\\u" + hex)}`);
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.fail(`bad escape ${JSON.stringify("\\" + (e ?? ""))}`);
      }
      this.pos += 2;
      runStart = this.pos;
    }
  }

  number(): number | bigint {
    const t = this.text;
    const start = this.pos;
    if (t[this.pos] === "-") this.pos++;
    const intStart = this.pos;
    if (t[this.pos] === "0") {
      this.pos++;
      if (isDigit(t[this.pos])) this.fail("number with a leading zero", start);
    } else if (isDigit(t[this.pos])) {
      while (isDigit(t[this.pos])) this.pos++;
    } else {
      this.fail(`unexpected ${this.describeHere()}, expected a digit`);
    }
    const intDigits = this.pos - intStart;
    let integral = true;
    if (t[this.pos] === ".") {
      integral = false;
      this.pos++;
      if (!isDigit(t[this.pos])) this.fail(`unexpected ${this.describeHere()}, expected a digit after '.'`);
      while (isDigit(t[this.pos])) this.pos++;
    }
    if (t[this.pos] === "e" || t[this.pos] === "E") {
      integral = false;
      this.pos++;
      if (t[this.pos] === "+" || t[this.pos] === "-") this.pos++;
      if (!isDigit(t[this.pos])) this.fail(`unexpected ${this.describeHere()}, expected an exponent digit`);
      while (isDigit(t[this.pos])) this.pos++;
    }
    const token = t.slice(start, this.pos);
    if (integral) {
      if (intDigits <= SAFE_DIGITS_MAX) return Number(token);
      const big = BigInt(token);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    const n = Number(token);
    if (!Number.isFinite(n)) this.fail(`number ${token} is out of the double range`, start);
    return n;
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/**
 * Parses strict JSON text. Integers outside the safe JS range become bigint; nothing loses
 * precision except non-integral numbers, which are IEEE doubles by nature.
 * Throws LakeError("invalid_argument") naming line, column and offset of the first error.
 */
export function parseJson(text: string): JsonValue {
  const p = new Parser(text);
  const v = p.value(0);
  p.skipWhitespace();
  if (p.pos !== text.length) p.fail(`unexpected ${p.describeHere()} after the JSON value`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Stringify

const HEX_UPPER = "0123456789ABCDEF";
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

/** Quotes `s` as Jackson's generator does (see the file header). */
export function quoteJsonString(s: string): string {
  let out = "\"";
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(runStart, i);
    if (c === 0x22) out += "\\\"";
    else if (c === 0x5c) out += "\\\\";
    else out += SHORT_ESCAPES[c] ?? `\\u00${HEX_UPPER[c >> 4]}${HEX_UPPER[c & 15]}`;
    runStart = i + 1;
  }
  return out + s.slice(runStart) + "\"";
}

function numberToken(n: number): string {
  if (!Number.isFinite(n)) throw new LakeError("invalid_argument", `json: cannot encode the number ${n}`);
  if (Object.is(n, -0)) return "0";
  return String(n);
}

function entriesOf(value: object): [string, unknown][] {
  if (value instanceof Map) {
    const out: [string, unknown][] = [];
    for (const [k, v] of value) {
      if (typeof k !== "string" && typeof k !== "number") {
        throw new LakeError("invalid_argument", `json: map key ${String(k)} is not a string or number`);
      }
      out.push([String(k), v]);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new LakeError("invalid_argument", `json: cannot encode an object of type ${value.constructor?.name ?? "unknown"}`);
  }
  return Object.entries(value);
}

function write(value: unknown, pretty: boolean, nesting: number, depth: number): string {
  if (depth > JSON_DEPTH_MAX) throw new LakeError("invalid_argument", `json: nesting deeper than ${JSON_DEPTH_MAX} (cycle?)`);
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean": return value ? "true" : "false";
    case "number": return numberToken(value);
    case "bigint": return value.toString();
    case "string": return quoteJsonString(value);
    case "object": break;
    default: throw new LakeError("invalid_argument", `json: cannot encode a value of type ${typeof value}`);
  }
  if (value instanceof JsonRawNumber) return value.text;
  if (Array.isArray(value)) {
    if (value.length === 0) return pretty ? "[ ]" : "[]";
    // Arrays do not indent (Jackson's inline FixedSpaceIndenter): elements keep `nesting`.
    const parts = value.map((v) => write(v === undefined ? null : v, pretty, nesting, depth + 1));
    return pretty ? `[ ${parts.join(", ")} ]` : `[${parts.join(",")}]`;
  }
  const entries = entriesOf(value as object).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return pretty ? "{ }" : "{}";
  if (!pretty) {
    return `{${entries.map(([k, v]) => `${quoteJsonString(k)}:${write(v, false, 0, depth + 1)}`).join(",")}}`;
  }
  const inner = "\n" + "  ".repeat(nesting + 1);
  const body = entries.map(([k, v]) => `${inner}${quoteJsonString(k)} : ${write(v, true, nesting + 1, depth + 1)}`);
  return `{${body.join(",")}\n${"  ".repeat(nesting)}}`;
}

/**
 * Encodes `value` as JSON text in the given style (default "compact"); see the file header.
 * Throws LakeError("invalid_argument") for values JSON cannot hold (NaN, functions, class
 * instances other than Map and JsonRawNumber, nesting deeper than JSON_DEPTH_MAX).
 */
export function stringifyJson(value: unknown, style: JsonStyle = "compact"): string {
  if (value === undefined) throw new LakeError("invalid_argument", "json: cannot encode undefined");
  return write(value, style === "pretty", 0, 0);
}
