/**
 * Paimon's text forms of DATE, TIME and TIMESTAMP values, both ways, as its casts to and from
 * STRING and `Timestamp#toString` (Java `LocalDateTime#toString`) produce and read them.
 *
 * TIMESTAMP parsing lives in java_timestamp_parse.ts.
 *
 * Format (Paimon `DateTimeUtils`):
 *  - DATE → `yyyy-MM-dd` (`formatDate`: Julian-day arithmetic in Java `int`, year written as four
 *    digits one by one, so years outside 0..9999 come out mangled exactly as in Java).
 *  - TIME(p) → `HH:mm:ss[.f]` (`formatTimestampMillis`: for p > 0 it prints fraction digits of
 *    the milliseconds and stops after the last non-zero one, `.0` when they are all zero).
 *  - TIMESTAMP(p) → `yyyy-MM-dd HH:mm:ss[.fraction]` (`formatTimestamp`: nine fraction digits
 *    with trailing zeros trimmed while more than p remain).
 *  - `Timestamp#toString` → `LocalDateTime#toString`: `yyyy-MM-ddTHH:mm`, `:ss` only when seconds
 *    or nanos are non-zero, fraction as 3, 6 or 9 digits; years outside 0..9999 signed.
 * Parse (Paimon `BinaryStringUtils.toDate/toTime`): an all-digit text (optional leading `-`) is
 * the internal number (epoch days, millis of day); otherwise `DateTimeUtils.parseDate` (years
 * 0..9999, `yyyy[-M[-d]]`, anything after a space ignored) or `parseTime`
 * (`h[:m[:s[.fff]]][±hh[:mm]]`, the fourth fraction digit rounds).
 * Deviation: parsed TIME values must be 0..86_399_999 (the value model's range); Java keeps
 * out-of-range results such as `25:00`.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/DateTimeUtils.java
 * and https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/BinaryStringUtils.java
 *
 * Imports: spec/values.ts, spec/java_number_text.ts.
 */
import { MILLIS_PER_DAY, NANOS_PER_MILLI, type Timestamp } from "./values.ts";
import { javaTrim } from "./java_number_text.ts";

const EPOCH_JULIAN = 2_440_588;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Java `int` division (truncating). */
function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** Paimon `int4`: four chars, digit by digit, for any int (negative digits give chars below '0'). */
function int4(i: number): string {
  return [1000, 100, 10, 1].map((n) => String.fromCharCode(48 + (idiv(i, n) % 10))).join("");
}

function int2(i: number): string {
  return String.fromCharCode(48 + (idiv(i, 10) % 10)) + String.fromCharCode(48 + (i % 10));
}

/** Proleptic Gregorian date of an epoch day (Java `LocalDate.ofEpochDay`). */
export function civilFromEpochDay(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** Epoch day of a proleptic Gregorian date (Java `LocalDate#toEpochDay`). */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** DATE (epoch days, Java int) → `yyyy-MM-dd` as Paimon `DateTimeUtils.formatDate`. */
export function formatDateText(days: number): string {
  const j = (((days + EPOCH_JULIAN) | 0) + 32_044) | 0;
  const g = idiv(j, 146_097), dg = j % 146_097;
  const c = idiv((idiv(dg, 36_524) + 1) * 3, 4), dc = dg - c * 36_524;
  const b = idiv(dc, 1461), db = dc % 1461;
  const a = idiv((idiv(db, 365) + 1) * 3, 4), da = db - a * 365;
  const y = g * 400 + c * 100 + b * 4 + a;
  const m = idiv(da * 5 + 308, 153) - 2;
  const d = da - idiv((m + 4) * 153, 5) + 122;
  return `${int4(y - 4800 + idiv(m + 2, 12))}-${int2(((m + 2) % 12) + 1)}-${int2(d + 1)}`;
}

/** TIME(precision) millis of day → text as Paimon `DateTimeUtils.formatTimestampMillis`. */
export function formatTimeText(millisOfDay: number, precision: number): string {
  let time = millisOfDay;
  while (time < 0) time += MILLIS_PER_DAY;
  let ms = time % 1000;
  let out = `${int2(idiv(time, 3_600_000))}:${int2(idiv(time % 3_600_000, 60_000))}:${int2(idiv(time % 60_000, 1000))}`;
  if (precision > 0) {
    out += ".";
    for (let p = precision; p > 0; p--) {
      out += String.fromCharCode(48 + idiv(ms, 100));
      ms = (ms % 100) * 10;
      if (ms === 0) break;
    }
  }
  return out;
}

interface DateTimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nano: number;
}

/** Java `Timestamp#toLocalDateTime` fields. */
function partsOf(ts: Timestamp): DateTimeParts {
  const days = Math.floor(ts.epochMillis / MILLIS_PER_DAY);
  const ms = ts.epochMillis - days * MILLIS_PER_DAY;
  return {
    ...civilFromEpochDay(days),
    hour: idiv(ms, 3_600_000),
    minute: idiv(ms % 3_600_000, 60_000),
    second: idiv(ms % 60_000, 1000),
    nano: (ms % 1000) * NANOS_PER_MILLI + ts.nanoOfMillisecond,
  };
}

/** TIMESTAMP(precision) → `yyyy-MM-dd HH:mm:ss[.f]` as Paimon `DateTimeUtils.formatTimestamp` (UTC). */
export function formatTimestampText(ts: Timestamp, precision: number): string {
  const p = partsOf(ts);
  let fraction = String(p.nano).padStart(9, "0");
  while (fraction.length > precision && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  const text = `${int4(p.year)}-${int2(p.month)}-${int2(p.day)} ${int2(p.hour)}:${int2(p.minute)}:${int2(p.second)}`;
  return fraction.length > 0 ? `${text}.${fraction}` : text;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** Paimon `Timestamp#toString`, i.e. Java `LocalDateTime#toString` of the UTC wall time. */
export function localDateTimeText(ts: Timestamp): string {
  const p = partsOf(ts);
  const absYear = Math.abs(p.year);
  let year: string;
  if (absYear < 1000) year = (p.year < 0 ? "-" : "") + String(absYear).padStart(4, "0");
  else year = (p.year > 9999 ? "+" : "") + String(p.year);
  let text = `${year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`;
  if (p.second > 0 || p.nano > 0) {
    text += `:${pad2(p.second)}`;
    if (p.nano > 0) {
      if (p.nano % 1_000_000 === 0) text += "." + String(p.nano / 1_000_000).padStart(3, "0");
      else if (p.nano % 1000 === 0) text += "." + String(p.nano / 1000).padStart(6, "0");
      else text += "." + String(p.nano).padStart(9, "0");
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Paimon `StringUtils.isNumeric`: optional leading '-', then Unicode decimal digits only. */
export function isNumeric(text: string): boolean {
  return /^-?\p{Nd}+$/u.test(text);
}

/** Paimon `BinaryStringUtils.toInt/toLong` on an `isNumeric` text (ASCII digits only). */
function numericValue(text: string, min: number, max: number): number | null {
  if (!/^-?\d+$/.test(text)) return null;
  const v = Number(text);
  return Number.isSafeInteger(v) && v >= min && v <= max ? v : null;
}

/** Java `Integer.parseInt` of a Paimon `isInteger` text (ASCII digits, no sign), or null on overflow. */
function intOf(text: string): number | null {
  if (text.length === 0 || !/^\d+$/.test(text)) return null;
  const v = Number(text);
  return v <= INT_MAX ? v : null;
}

function isLeapYear(y: number): boolean {
  return y % 400 === 0 || (y % 4 === 0 && y % 100 !== 0);
}

/** Days in month `m` (1..12) of proleptic Gregorian year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Paimon `DateTimeUtils.parseDate` (years 0..9999, exact day check). */
function parseDateFields(input: string): number | null {
  let s = input;
  const space = s.indexOf(" ");
  if (space > 0) s = s.slice(0, space);
  const h1 = s.indexOf("-");
  let y: number | null, m: number | null = 1, d: number | null = 1;
  if (h1 < 0) {
    y = intOf(javaTrim(s));
  } else {
    y = intOf(javaTrim(s.slice(0, h1)));
    const h2 = s.indexOf("-", h1 + 1);
    if (h2 < 0) {
      m = intOf(javaTrim(s.slice(h1 + 1)));
    } else {
      m = intOf(javaTrim(s.slice(h1 + 1, h2)));
      d = intOf(javaTrim(s.slice(h2 + 1)));
    }
  }
  if (y === null || m === null || d === null) return null;
  if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return epochDayFromCivil(y, m, d);
}

/** DATE text → epoch days as Paimon `BinaryStringUtils.toDate`, or null where Java throws. */
export function parseDateText(text: string): number | null {
  return isNumeric(text) ? numericValue(text, INT_MIN, INT_MAX) : parseDateFields(text);
}

/** Paimon `parseFraction`: three digits of milliseconds, the fourth rounds half up. */
function parseFraction(v: string): number {
  let multiplier = 100, r = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    r += multiplier * (c < 48 || c > 57 ? 0 : c - 48);
    if (multiplier < 10) {
      if (i + 1 < v.length && v.charCodeAt(i + 1) >= 53) r++;
      break;
    }
    multiplier = idiv(multiplier, 10);
  }
  return r;
}

/** Paimon `DateTimeUtils.parseTime` (`hh:mm:ss[.fff][±hh[:mm]]`), Java int arithmetic. */
function parseTimeFields(v: string): number | null {
  const colon1 = v.indexOf(":");
  let operator = -1, end = v.length, tzHour = 0, tzMinute = 0;
  let tz = v.indexOf("-");
  if (tz < 0) {
    tz = v.indexOf("+");
    operator = 1;
  }
  if (tz >= 0) {
    end = tz;
    const colon3 = v.indexOf(":", tz);
    const hh = intOf(javaTrim(colon3 < 0 ? v.slice(tz + 1) : v.slice(tz + 1, colon3)));
    const mm = colon3 < 0 ? 0 : intOf(javaTrim(v.slice(colon3 + 1)));
    if (hh === null || mm === null) return null;
    tzHour = hh;
    tzMinute = mm;
  }
  let hour: number | null, minute: number | null = 0, second: number | null = 0, milli = 0;
  if (colon1 < 0) {
    hour = intOf(javaTrim(v.slice(0, end)));
  } else {
    hour = intOf(javaTrim(v.slice(0, colon1)));
    const colon2 = v.indexOf(":", colon1 + 1);
    if (colon2 < 0) {
      minute = intOf(javaTrim(v.slice(colon1 + 1, end)));
    } else {
      minute = intOf(javaTrim(v.slice(colon1 + 1, colon2)));
      const dot = v.indexOf(".", colon2);
      if (dot < 0) {
        second = intOf(javaTrim(v.slice(colon2 + 1, end)));
      } else {
        second = intOf(javaTrim(v.slice(colon2 + 1, dot)));
        milli = parseFraction(javaTrim(v.slice(dot + 1, end)));
      }
    }
  }
  if (hour === null || minute === null || second === null) return null;
  const h = (hour + Math.imul(operator, tzHour)) | 0;
  const m = (minute + Math.imul(operator, tzMinute)) | 0;
  return (Math.imul(h, 3_600_000) + Math.imul(m, 60_000) + Math.imul(second, 1000) + milli) | 0;
}

/**
 * TIME text → millis of day as Paimon `BinaryStringUtils.toTime`, or null where Java throws or
 * the result is outside 0..86_399_999.
 */
export function parseTimeText(text: string): number | null {
  const v = isNumeric(text) ? numericValue(text, INT_MIN, INT_MAX) : parseTimeFields(text);
  return v !== null && v >= 0 && v < MILLIS_PER_DAY ? v : null;
}
