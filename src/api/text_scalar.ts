/**
 * Text of scalar Paimon values, shared by NDJSON, CSV and terminal tables (text_output.ts).
 *
 * Rules (the CLI output contract; tests pin exact strings):
 * - DATE `YYYY-MM-DD` in the proleptic Gregorian calendar; years outside 0000..9999 follow
 *   ISO 8601 expanded years as Java's `LocalDate.toString`: `+10000-01-01`, `-0001-12-31`.
 * - TIMESTAMP(p) `YYYY-MM-DDTHH:MM:SS` plus exactly p fraction digits when p > 0 (truncated,
 *   never rounded); TIMESTAMP_LTZ(p) the same in UTC with a trailing `Z`.
 * - TIME(p) `HH:MM:SS` plus exactly p fraction digits (digits past milliseconds are 0: the value
 *   model holds milliseconds).
 * - FLOAT: the shortest decimal that reads back as the same float32 (`1.1`, not
 *   `1.100000023841858`); DOUBLE: JS shortest round-trip text. `-0` keeps its sign. NaN and the
 *   infinities are `NaN`, `Infinity`, `-Infinity` (JSON quotes them).
 * - DECIMAL(p, s): plain text with exactly s fraction digits (`-0.50`).
 * - bytes: standard base64 with padding (RFC 4648 §4).
 *
 * Imports: spec/values.ts.
 */
import { MILLIS_PER_DAY } from "../spec/values.ts";
import type { Timestamp } from "../spec/values.ts";

/** Year text per ISO 8601 / Java `LocalDate`: 4 digits, sign for negatives, `+` above 9999. */
export function formatYear(year: number): string {
  const abs = Math.abs(year);
  if (abs < 1000) return (year < 0 ? "-" : "") + String(abs).padStart(4, "0");
  return (year > 9999 ? "+" : "") + String(year);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `YYYY-MM-DD` of `days` since 1970-01-01 (proleptic Gregorian, exact for any safe integer).
 * Uses Howard Hinnant's civil-from-days algorithm.
 */
export function formatDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097; // [0, 146096]
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** `.` plus the first `precision` digits of a 9-digit nano-of-second, or "" when precision is 0. */
function fraction(nanoOfSecond: number, precision: number): string {
  if (precision <= 0) return "";
  return "." + String(nanoOfSecond).padStart(9, "0").slice(0, precision);
}

function clock(millisOfDay: number): string {
  const seconds = Math.floor(millisOfDay / 1000);
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

/** `HH:MM:SS[.fff…]` of TIME(precision); `millisOfDay` in 0..86_399_999. */
export function formatTime(millisOfDay: number, precision: number): string {
  return clock(millisOfDay) + fraction((millisOfDay % 1000) * 1_000_000, precision);
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.f…]` of a TIMESTAMP(precision) (wall clock held as UTC epoch time),
 * with `Z` appended when `utc` (TIMESTAMP_LTZ).
 */
export function formatTimestamp(ts: Timestamp, precision: number, utc: boolean): string {
  const days = Math.floor(ts.epochMillis / MILLIS_PER_DAY);
  const millisOfDay = ts.epochMillis - days * MILLIS_PER_DAY;
  const nanoOfSecond = (millisOfDay % 1000) * 1_000_000 + ts.nanoOfMillisecond;
  return `${formatDate(days)}T${clock(millisOfDay)}${fraction(nanoOfSecond, precision)}${utc ? "Z" : ""}`;
}

/** Text of a finite-or-not DOUBLE: shortest round-trip, `-0`, `NaN`, `Infinity`, `-Infinity`. */
export function formatDouble(value: number): string {
  if (Object.is(value, -0)) return "-0";
  return String(value); // NaN, Infinity and -Infinity spell themselves
}

/** Text of a FLOAT: the shortest decimal that reads back as the same float32. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value) || value === 0) return formatDouble(value);
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return String(candidate);
  }
  return String(Number(single.toPrecision(9))); // 9 significant digits always round-trip a float32
}

/** True when `value` prints as a JSON number (finite); NaN and infinities need quotes. */
export function isJsonNumber(value: number): boolean {
  return Number.isFinite(value);
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 (RFC 4648 §4) with `=` padding. */
export function base64Encode(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += BASE64_ALPHABET[v >> 18]! + BASE64_ALPHABET[(v >> 12) & 63]! + BASE64_ALPHABET[(v >> 6) & 63]! + BASE64_ALPHABET[v & 63]!;
    if (chunk.length >= 8192) { parts.push(chunk); chunk = ""; }
  }
  if (i < n) {
    const b1 = i + 1 < n ? bytes[i + 1]! : 0;
    const v = (bytes[i]! << 16) | (b1 << 8);
    chunk += BASE64_ALPHABET[v >> 18]! + BASE64_ALPHABET[(v >> 12) & 63]! + (i + 1 < n ? BASE64_ALPHABET[(v >> 6) & 63]! : "=") + "=";
  }
  parts.push(chunk);
  return parts.join("");
}
