/**
 * Text renderings of Paimon rows for the CLI and the public API: NDJSON, CSV and aligned
 * terminal tables. Scalar spellings live in text_scalar.ts.
 *
 * NDJSON (`formatNdjsonRow`): one JSON object per row, keys are the field names in field order.
 * - TINYINT/SMALLINT/INT and BIGINT with |v| ≤ 2^53-1: JSON numbers; larger BIGINT: decimal
 *   strings (`"9223372036854775807"`) so JSON parsers do not round them.
 * - FLOAT/DOUBLE: JSON numbers; NaN/Infinity/-Infinity: the strings "NaN", "Infinity", "-Infinity".
 * - DECIMAL: strings with exactly `scale` fraction digits (`"-12.50"`).
 * - BOOLEAN: true/false. CHAR/VARCHAR: strings. BINARY/VARBINARY: base64 strings.
 * - DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ: strings (text_scalar.ts). SQL NULL: null.
 * - ARRAY/VECTOR: arrays. ROW: objects by field name.
 * - MAP with CHAR/VARCHAR keys: an object (`{"a":1}`, entries in order, duplicates kept in the
 *   text); other keys: an array of `[key, value]` pairs. A null key in a string-keyed map is
 *   LakeError("unsupported"). MULTISET: the same, as element → count.
 * - VARIANT and BLOB: LakeError("unsupported") (no JSON rendering yet).
 * CSV (`formatCsv`, RFC 4180): a header line of field names, then one record per row, lines
 * ended by CRLF. Cells use the same scalar text, unquoted; a cell is quoted (with `""` escapes)
 * when it holds `"`, `,`, CR or LF. NULL is an empty cell; an empty string is `""` so the two
 * stay distinct. Nested values are their NDJSON text.
 * Tables (`formatTextTable`): header, `-+-` rule, rows; numbers right-aligned; NULL shown as
 * `NULL`; control characters escaped (`\n`); cells wider than `widthMax` terminal columns cut
 * to `widthMax - 1` columns plus `…`. Width counts East Asian wide characters and most emoji
 * as 2 columns and combining marks as 0 (an approximation of wcwidth).
 *
 * Imports: errors.ts, spec/*, api/text_scalar.ts.
 */
import { LakeError } from "../errors.ts";
import type { DataField, DataType } from "../spec/data_types.ts";
import { decimalToString } from "../spec/values.ts";
import type { Row, Timestamp, Value } from "../spec/values.ts";
import { base64Encode, formatDate, formatDouble, formatFloat, formatTime, formatTimestamp } from "./text_scalar.ts";

const SAFE_INTEGER_MAX = BigInt(Number.MAX_SAFE_INTEGER);
/** Default largest cell width of `formatTextTable`, in terminal columns. */
export const TEXT_TABLE_WIDTH_MAX_DEFAULT = 40;

function badShape(type: DataType, value: unknown): never {
  const shown = typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : String(value);
  throw new LakeError("invalid_argument", `text output: value ${shown} (${typeof value}) does not fit Paimon type ${type.root}`);
}

/** Unquoted text of a non-null value (see the header); nested values give their JSON text. */
function scalarText(type: DataType, value: Value): string {
  switch (type.root) {
    case "BOOLEAN": if (typeof value !== "boolean") badShape(type, value); return value ? "true" : "false";
    case "TINYINT": case "SMALLINT": case "INT":
      if (typeof value !== "number") badShape(type, value); return String(value);
    case "BIGINT": if (typeof value !== "bigint") badShape(type, value); return value.toString();
    case "FLOAT": if (typeof value !== "number") badShape(type, value); return formatFloat(value);
    case "DOUBLE": if (typeof value !== "number") badShape(type, value); return formatDouble(value);
    case "DECIMAL": if (typeof value !== "bigint") badShape(type, value); return decimalToString(value, type.scale ?? 0);
    case "DATE": if (typeof value !== "number") badShape(type, value); return formatDate(value);
    case "TIME": if (typeof value !== "number") badShape(type, value); return formatTime(value, type.precision ?? 0);
    case "TIMESTAMP": case "TIMESTAMP_LTZ":
      if (typeof value !== "object" || value === null || typeof (value as Timestamp).epochMillis !== "number") badShape(type, value);
      return formatTimestamp(value as Timestamp, type.precision ?? 6, type.root === "TIMESTAMP_LTZ");
    case "CHAR": case "VARCHAR": if (typeof value !== "string") badShape(type, value); return value;
    case "BINARY": case "VARBINARY": if (!(value instanceof Uint8Array)) badShape(type, value); return base64Encode(value);
    case "VARIANT": case "BLOB":
      throw new LakeError("unsupported", `text output: Paimon type ${type.root} has no text rendering yet`);
    default: return jsonValue(type, value); // nested types: their JSON text
  }
}

/** JSON text of one value of `type` (any nesting), following the NDJSON rules in the header. */
export function jsonValue(type: DataType, value: Value): string {
  if (value === null) return "null";
  switch (type.root) {
    case "BOOLEAN": case "TINYINT": case "SMALLINT": case "INT": return scalarText(type, value);
    case "BIGINT": {
      const text = scalarText(type, value);
      const v = value as bigint;
      return v <= SAFE_INTEGER_MAX && v >= -SAFE_INTEGER_MAX ? text : `"${text}"`;
    }
    case "FLOAT": case "DOUBLE": {
      const text = scalarText(type, value);
      return Number.isFinite(value) ? text : `"${text}"`;
    }
    case "CHAR": case "VARCHAR": return JSON.stringify(scalarText(type, value));
    case "ARRAY": case "VECTOR": {
      if (!Array.isArray(value)) badShape(type, value);
      return "[" + value.map((e) => jsonValue(type.element, e)).join(",") + "]";
    }
    case "MAP": return jsonMap(type, type.key, type.value, value);
    case "MULTISET": return jsonMap(type, type.element, { root: "INT", nullable: false }, value);
    case "ROW": {
      if (!Array.isArray(value) || value.length !== type.fields.length) badShape(type, value);
      return "{" + type.fields.map((f, j) => `${JSON.stringify(f.name)}:${jsonValue(f.type, value[j]!)}`).join(",") + "}";
    }
    default: return `"${scalarText(type, value)}"`; // DECIMAL, temporal and base64 text need no escaping
  }
}

function jsonMap(type: DataType, keyType: DataType, valueType: DataType, value: Value): string {
  if (!Array.isArray(value)) badShape(type, value);
  const stringKeys = keyType.root === "CHAR" || keyType.root === "VARCHAR";
  const parts = (value as readonly Value[]).map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2) badShape(type, entry);
    const k = (entry as readonly Value[])[0]!, v = (entry as readonly Value[])[1]!;
    if (!stringKeys) return `[${jsonValue(keyType, k)},${jsonValue(valueType, v)}]`;
    if (k === null) {
      throw new LakeError("unsupported", "text output: a null key in a string-keyed MAP cannot be a JSON object key");
    }
    return `${jsonValue(keyType, k)}:${jsonValue(valueType, v)}`;
  });
  return stringKeys ? `{${parts.join(",")}}` : `[${parts.join(",")}]`;
}

/**
 * One NDJSON line (without the trailing newline) for `row`, keys in field order.
 * Requires: `row.length === fields.length`; values shaped as spec/values.ts says, else
 * LakeError("invalid_argument"). VARIANT/BLOB values: LakeError("unsupported").
 */
export function formatNdjsonRow(fields: readonly DataField[], row: Row): string {
  if (row.length !== fields.length) {
    throw new LakeError("invalid_argument", `text output: row of ${row.length} values for ${fields.length} fields`);
  }
  let out = "{";
  for (let j = 0; j < fields.length; j++) {
    const field = fields[j]!;
    if (j > 0) out += ",";
    out += JSON.stringify(field.name) + ":" + jsonValue(field.type, row[j]!);
  }
  return out + "}";
}

const CSV_NEEDS_QUOTES = /[",\r\n]/;

function csvQuote(text: string): string {
  return CSV_NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvCell(type: DataType, value: Value): string {
  if (value === null) return "";
  const text = scalarText(type, value);
  if (text === "" && (type.root === "CHAR" || type.root === "VARCHAR")) return '""';
  return csvQuote(text);
}

/** The CSV header record (field names) with its CRLF. */
export function formatCsvHeader(fields: readonly DataField[]): string {
  return fields.map((f) => csvQuote(f.name)).join(",") + "\r\n";
}

/** One CSV record with its CRLF (rules in the header). Requires: `row.length === fields.length`. */
export function formatCsvRow(fields: readonly DataField[], row: Row): string {
  if (row.length !== fields.length) {
    throw new LakeError("invalid_argument", `text output: row of ${row.length} values for ${fields.length} fields`);
  }
  return fields.map((f, j) => csvCell(f.type, row[j]!)).join(",") + "\r\n";
}

/** RFC 4180 CSV of `rows`: header record plus one record per row, each ended by CRLF. */
export function formatCsv(fields: readonly DataField[], rows: readonly Row[]): string {
  let out = formatCsvHeader(fields);
  for (const row of rows) out += formatCsvRow(fields, row);
  return out;
}

/** Options of `formatTextTable`. */
export interface TextTableOptions {
  /** Largest cell width in terminal columns (≥ 1); longer cells end in `…`. Default 40. */
  readonly widthMax?: number;
}

const NUMERIC_ROOTS = new Set(["TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL"]);

/**
 * An aligned text table for terminals (rules in the header), lines ended by `\n`.
 * Throws LakeError("invalid_argument") for `widthMax` < 1 or a row of the wrong width.
 */
export function formatTextTable(fields: readonly DataField[], rows: readonly Row[], options: TextTableOptions = {}): string {
  const widthMax = options.widthMax ?? TEXT_TABLE_WIDTH_MAX_DEFAULT;
  if (!Number.isInteger(widthMax) || widthMax < 1) {
    throw new LakeError("invalid_argument", `text output: widthMax ${widthMax} must be an integer ≥ 1`);
  }
  const header = fields.map((f) => fitCell(f.name, widthMax));
  const body = rows.map((row) => {
    if (row.length !== fields.length) {
      throw new LakeError("invalid_argument", `text output: row of ${row.length} values for ${fields.length} fields`);
    }
    return fields.map((f, j) => {
      const v = row[j]!;
      return fitCell(v === null ? "NULL" : scalarText(f.type, v), widthMax);
    });
  });
  const widths = header.map((h, j) => Math.max(h.width, ...body.map((r) => r[j]!.width)));
  const right = fields.map((f) => NUMERIC_ROOTS.has(f.type.root));
  const line = (cells: readonly Cell[]) => cells.map((c, j) => {
    const pad = " ".repeat(widths[j]! - c.width);
    return right[j] ? pad + c.text : c.text + pad;
  }).join(" | ").trimEnd() + "\n";
  return line(header) + widths.map((w) => "-".repeat(w)).join("-+-") + "\n" + body.map(line).join("");
}

interface Cell {
  readonly text: string;
  readonly width: number;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function escapeControl(c: string): string {
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "\t") return "\\t";
  return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
}

/** Escapes control characters and cuts the text to `widthMax` terminal columns. */
function fitCell(raw: string, widthMax: number): Cell {
  const text = raw.replace(CONTROL_CHARS, escapeControl);
  let width = 0;
  let cut = -1; // code unit index where the text exceeds widthMax - 1 columns
  let widthAtCut = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const w = charWidth(cp);
    if (cut < 0 && width + w > widthMax - 1) { cut = i; widthAtCut = width; }
    width += w;
    if (cp > 0xffff) i++;
  }
  if (width <= widthMax || cut < 0) return { text, width };
  return { text: text.slice(0, cut) + "…", width: widthAtCut + 1 };
}

/** Terminal columns of one code point: 0 combining, 2 wide (CJK, Hangul, fullwidth, emoji), else 1. */
export function charWidth(cp: number): number {
  if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)) return 2;
  return 1;
}
