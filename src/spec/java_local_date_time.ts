/**
 * Java's `LocalDateTime` as lakestate models it (epoch day + nanosecond of day, no zone), and the
 * resolution of parsed date-time fields into one, as `java.time.format.Parsed.resolve` does for
 * the fields spec/java_datetime_formatter.ts parses (SMART and LENIENT resolver styles).
 *
 * Mirrors https://github.com/openjdk/jdk/blob/master/src/java.base/share/classes/java/time/format/Parsed.java
 * and `IsoChronology.resolveDate` (`resolveYearOfEra`, `resolveYMD`, `resolveYD`):
 *  - year of era without era becomes the year (SMART and LENIENT invent the era); SMART checks
 *    year of era 1..1e9, month 1..12, day 1..31 clamped to the month's length, day of year;
 *    LENIENT rolls months and days over (`LocalDate.of(y, 1, 1).plusMonths(m - 1).plusDays(d - 1)`);
 *  - parsed fields the date did not use are cross-checked against it (a mismatch fails);
 *  - clock hour 24 is hour 0; an hour with optional minute/second/nano makes a time (seconds
 *    without minutes make none); SMART accepts 24:00:00 as the next day's midnight; LENIENT adds
 *    overflowing hours to the date.
 * Invariants: a LocalDateTime's nanoOfDay is in [0, 86_400e9); resolution returns null exactly
 * where Java throws (a DateTimeException, wrapped by the formatter as DateTimeParseException).
 *
 * Imports: spec/java_datetime_text.ts.
 */
import { civilFromEpochDay, daysInMonth, epochDayFromCivil } from "./java_datetime_text.ts";

/** A zone-less date-time (Java `LocalDateTime`). */
export interface LocalDateTime {
  /** Days since 1970-01-01 (proleptic Gregorian). */
  readonly epochDay: number;
  /** Nanoseconds since midnight, 0..86_399_999_999_999. */
  readonly nanoOfDay: number;
}

/** Nanoseconds per day. */
export const NANOS_PER_DAY = 86_400_000_000_000;

/** Java `ResolverStyle` values used here. */
export type ResolverStyle = "SMART" | "LENIENT";

/** The fields parsers produce (Java `ChronoField` subset). */
export type DateTimeField = "YEAR" | "YEAR_OF_ERA" | "MONTH" | "DAY_OF_MONTH" | "DAY_OF_YEAR" | "HOUR_OF_DAY" | "CLOCK_HOUR_OF_DAY" | "MINUTE" | "SECOND" | "NANO";

/** Parsed field values by field. */
export type ParsedFields = Map<DateTimeField, number>;

const YEAR_MAX = 999_999_999;

function setField(fields: ParsedFields, field: DateTimeField, value: number): boolean {
  const old = fields.get(field);
  fields.set(field, value);
  return old === undefined || old === value;
}

/** A resolved date (epoch day) and time of day (nanos); either may be absent. */
export interface ResolvedDateTime {
  readonly date: number | null;
  readonly time: number | null;
}

function inRange(v: number, lo: number, hi: number): boolean {
  return v >= lo && v <= hi;
}

function resolveDate(f: ParsedFields, style: ResolverStyle): { ok: boolean; date: number | null } {
  const yoe = f.get("YEAR_OF_ERA");
  if (yoe !== undefined) {
    if (style !== "LENIENT" && !inRange(yoe, 1, YEAR_MAX + 1)) return { ok: false, date: null };
    f.delete("YEAR_OF_ERA");
    const year = f.get("YEAR");
    if (!setField(f, "YEAR", year === undefined || year > 0 ? yoe : 1 - yoe)) return { ok: false, date: null };
  }
  const y = f.get("YEAR");
  if (y === undefined) return { ok: true, date: null };
  const month = f.get("MONTH"), dom = f.get("DAY_OF_MONTH"), doy = f.get("DAY_OF_YEAR");
  let date: number;
  if (month !== undefined && dom !== undefined) {
    if (!inRange(y, -YEAR_MAX, YEAR_MAX)) return { ok: false, date: null };
    if (style === "LENIENT") {
      const months = y * 12 + (month - 1);
      date = epochDayFromCivil(Math.floor(months / 12), (((months % 12) + 12) % 12) + 1, 1) + dom - 1;
    } else {
      if (!inRange(month, 1, 12) || !inRange(dom, 1, 31)) return { ok: false, date: null };
      date = epochDayFromCivil(y, month, Math.min(dom, daysInMonth(y, month)));
    }
    f.delete("MONTH");
    f.delete("DAY_OF_MONTH");
  } else if (doy !== undefined) {
    if (!inRange(y, -YEAR_MAX, YEAR_MAX)) return { ok: false, date: null };
    const leap = daysInMonth(y, 2) === 29;
    if (style !== "LENIENT" && (!inRange(doy, 1, 366) || (doy === 366 && !leap))) return { ok: false, date: null };
    date = epochDayFromCivil(y, 1, 1) + doy - 1;
    f.delete("DAY_OF_YEAR");
  } else {
    return { ok: true, date: null };
  }
  f.delete("YEAR");
  // Cross-check what was parsed but not used (Java `crossCheck`).
  const c = civilFromEpochDay(date);
  const checks: [DateTimeField, number][] = [["MONTH", c.month], ["DAY_OF_MONTH", c.day], ["DAY_OF_YEAR", date - epochDayFromCivil(c.year, 1, 1) + 1]];
  for (const [field, actual] of checks) {
    const v = f.get(field);
    if (v !== undefined && v !== actual) return { ok: false, date: null };
  }
  return { ok: true, date };
}

/** Time of day (nanos) plus excess days, or null when the fields do not make a valid time. */
function resolveTime(hod: number, moh: number, som: number, nos: number, style: ResolverStyle): { nanoOfDay: number; excessDays: number } | null {
  if (style === "LENIENT") {
    const total = ((hod * 60 + moh) * 60 + som) * 1e9 + nos;
    if (!Number.isSafeInteger(total)) return null;
    const excessDays = Math.floor(total / NANOS_PER_DAY);
    return { nanoOfDay: total - excessDays * NANOS_PER_DAY, excessDays };
  }
  if (!inRange(moh, 0, 59) || !inRange(nos, 0, 999_999_999)) return null;
  if (hod === 24 && moh === 0 && som === 0 && nos === 0) return { nanoOfDay: 0, excessDays: 1 };
  if (!inRange(hod, 0, 23) || !inRange(som, 0, 59)) return null;
  return { nanoOfDay: ((hod * 60 + moh) * 60 + som) * 1e9 + nos, excessDays: 0 };
}

/**
 * Resolves parsed fields (Java `Parsed.resolve`); null where Java throws. The date is null when
 * the fields make none, the time likewise; a time of 24:00 (SMART) or overflowing hours
 * (LENIENT) move the date on.
 */
export function resolveParsedFields(fields: ParsedFields, style: ResolverStyle): ResolvedDateTime | null {
  const f = new Map(fields);
  const ch = f.get("CLOCK_HOUR_OF_DAY");
  if (ch !== undefined) {
    if (style !== "LENIENT" && ch !== 0 && !inRange(ch, 1, 24)) return null;
    f.delete("CLOCK_HOUR_OF_DAY");
    if (!setField(f, "HOUR_OF_DAY", ch === 24 ? 0 : ch)) return null;
  }
  const date = resolveDate(f, style);
  if (!date.ok) return null;
  let time: number | null = null, excessDays = 0;
  const hod = f.get("HOUR_OF_DAY");
  if (hod !== undefined) {
    const moh = f.get("MINUTE"), som = f.get("SECOND"), nos = f.get("NANO");
    const incomplete = (moh === undefined && (som !== undefined || nos !== undefined)) || (moh !== undefined && som === undefined && nos !== undefined);
    if (!incomplete) {
      const t = resolveTime(hod, moh ?? 0, som ?? 0, nos ?? 0, style);
      if (t === null) return null;
      time = t.nanoOfDay;
      excessDays = t.excessDays;
    }
  }
  return { date: date.date === null ? null : date.date + (time === null ? 0 : excessDays), time };
}

/** The parts of a LocalDateTime; the time parts default to 0. */
export interface LocalDateTimeParts {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 (valid for the month) */
  readonly day: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  /** Nanosecond of the second, 0..999_999_999. */
  readonly nano?: number;
}

/** Java `LocalDateTime.of(...)`. Requires: valid calendar and clock fields (not checked). */
export function localDateTimeOf(parts: LocalDateTimeParts): LocalDateTime {
  const { year, month, day, hour = 0, minute = 0, second = 0, nano = 0 } = parts;
  return { epochDay: epochDayFromCivil(year, month, day), nanoOfDay: ((hour * 60 + minute) * 60 + second) * 1e9 + nano };
}

/** Compares two LocalDateTimes: negative, 0 or positive. */
export function compareLocalDateTime(a: LocalDateTime, b: LocalDateTime): number {
  return a.epochDay !== b.epochDay ? a.epochDay - b.epochDay : a.nanoOfDay - b.nanoOfDay;
}

/** The local date-time `ms` milliseconds after 1970-01-01T00:00 (wall clock read as UTC). */
export function localDateTimeFromMillis(ms: number): LocalDateTime {
  const epochDay = Math.floor(ms / 86_400_000);
  return { epochDay, nanoOfDay: (ms - epochDay * 86_400_000) * 1_000_000 };
}

/** Java `LocalDateTime.toString()` (`2024-01-02T03:04`, seconds and fraction when non-zero). */
export function localDateTimeString(t: LocalDateTime): string {
  const c = civilFromEpochDay(t.epochDay);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const year = c.year >= 0 && c.year <= 9999 ? String(c.year).padStart(4, "0") : c.year > 9999 ? `+${c.year}` : `-${String(-c.year).padStart(4, "0")}`;
  const s = Math.floor(t.nanoOfDay / 1e9), nano = t.nanoOfDay % 1e9;
  let out = `${year}-${p2(c.month)}-${p2(c.day)}T${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}`;
  if (s % 60 > 0 || nano > 0) {
    out += `:${p2(s % 60)}`;
    if (nano > 0) out += "." + (nano % 1e6 === 0 ? String(nano / 1e6).padStart(3, "0") : nano % 1e3 === 0 ? String(nano / 1e3).padStart(6, "0") : String(nano).padStart(9, "0"));
  }
  return out;
}
