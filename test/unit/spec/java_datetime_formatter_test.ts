// Goal: Java DateTimeFormatter patterns compile, parse and print as `DateTimeFormatter.ofPattern`
// with `LocalDateTime.parse` / `LocalDate.parse` do for the letters Paimon users put in
// `partition.timestamp-formatter`: adjacent value parsing (`yyyyMMdd`, `yyyyMMddHHmmssSSS`),
// two-digit years, SMART resolution (day clamped to the month, 24:00 as next midnight, ranges),
// EXCEEDS_PAD years, optional sections, quoted literals, and Paimon's LENIENT defaults; Java's
// pattern errors keep their reasons.
// Method: expected values written from Java's documented behaviour (JDK DateTimeFormatterBuilder
// and Parsed source); random round trips print-then-parse over many date-times.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import {
  compileDateTimePattern, formatLocalDateTime, formatLocalDateTimeSpans, parseLocalDate, parseLocalDateTime,
  PARTITION_DATE_FORMATTER, PARTITION_TIMESTAMP_FORMATTER,
} from "../../../src/spec/java_datetime_formatter.ts";
import { localDateTimeOf, localDateTimeString, type LocalDateTime } from "../../../src/spec/java_local_date_time.ts";

const show = (t: LocalDateTime | null): string => (t === null ? "null" : localDateTimeString(t));
const dt = (pattern: string, text: string): string => show(parseLocalDateTime(compileDateTimePattern(pattern), text));
const date = (pattern: string, text: string): string => {
  const d = parseLocalDate(compileDateTimePattern(pattern), text);
  return d === null ? "null" : show({ epochDay: d, nanoOfDay: 0 });
};

describe("parsing", () => {
  test("adjacent value parsing splits runs of digits by the fixed widths that follow", () => {
    assert.equal(date("yyyyMMdd", "20240102"), "2024-01-02T00:00");
    assert.equal(dt("yyyyMMdd", "20240102"), "null", "no time: LocalDateTime.parse fails");
    assert.equal(dt("yyyyMMddHHmmss", "20240102030405"), "2024-01-02T03:04:05");
    assert.equal(dt("yyyyMMddHHmmssSSS", "20240102030405123"), "2024-01-02T03:04:05.123");
    assert.equal(date("MMyyyydd", "02202301"), "2023-02-01T00:00");
    assert.equal(date("yyyyMMdd", "2024012"), "null", "too few digits for dd");
    assert.equal(date("yyyyMMdd", "202401023"), "null", "unparsed trailing digit");
    // A variable-width field after the run makes the year fixed width: Java cannot split this.
    assert.equal(dt("yyyyMMddH", "202401023"), "null");
  });

  test("hours alone make a time; seconds without minutes do not", () => {
    assert.equal(dt("yyyy-MM-dd HH", "2024-01-02 07"), "2024-01-02T07:00");
    assert.equal(dt("yyyy-MM-dd HH:mm", "2024-01-02 07:30"), "2024-01-02T07:30");
    assert.equal(dt("yyyy-MM-dd ss", "2024-01-02 07"), "null");
    assert.equal(date("yyyy-MM-dd ss", "2024-01-02 07"), "2024-01-02T00:00", "LocalDate.parse ignores the lone second");
  });

  test("SMART resolution: day clamped to the month, ranges checked, 24:00 is the next midnight", () => {
    assert.equal(date("yyyy-MM-dd", "2023-02-31"), "2023-02-28T00:00");
    assert.equal(date("yyyy-MM-dd", "2024-02-30"), "2024-02-29T00:00");
    assert.equal(date("yyyy-MM-dd", "2024-04-31"), "2024-04-30T00:00");
    assert.equal(date("yyyy-MM-dd", "2024-04-32"), "null");
    assert.equal(date("yyyy-MM-dd", "2024-13-01"), "null");
    assert.equal(dt("yyyy-MM-dd HH:mm:ss", "2024-12-31 24:00:00"), "2025-01-01T00:00");
    assert.equal(dt("yyyy-MM-dd HH:mm:ss", "2024-12-31 24:00:01"), "null");
    assert.equal(dt("yyyy-MM-dd HH:mm:ss", "2024-12-31 23:60:00"), "null");
    assert.equal(date("yyyy-MM-dd HH", "2024-12-31 25"), "null", "a bad time fails LocalDate.parse too");
    assert.equal(dt("yyyy-MM-dd kk", "2024-01-02 24"), "2024-01-02T00:00", "clock hour 24 is hour 0");
    assert.equal(date("yyyy-DDD", "2024-366"), "2024-12-31T00:00");
    assert.equal(date("yyyy-DDD", "2023-366"), "null");
    assert.equal(date("yyyy-MM-dd DDD", "2024-02-01 032"), "2024-02-01T00:00", "cross-check agrees");
    assert.equal(date("yyyy-MM-dd DDD", "2024-02-01 033"), "null", "cross-check disagrees");
  });

  test("years: yy is based at 2000, yyyy needs '+' beyond four digits, year-of-era starts at 1", () => {
    assert.equal(date("yy-MM-dd", "24-02-03"), "2024-02-03T00:00");
    assert.equal(date("yy-MM-dd", "99-02-03"), "2099-02-03T00:00");
    assert.equal(date("yy-MM-dd", "2024-02-03"), "null");
    assert.equal(date("yyyy-MM-dd", "20240-02-03"), "null");
    assert.equal(date("yyyy-MM-dd", "+20240-02-03"), "+20240-02-03T00:00");
    assert.equal(date("yyyy-MM-dd", "+2024-02-03"), "null", "'+' only when the width is exceeded");
    assert.equal(date("yyyy-MM-dd", "0000-02-03"), "null", "year of era 0 is invalid");
    assert.equal(date("uuuu-MM-dd", "0000-02-03"), "0000-02-03T00:00");
    assert.equal(date("y-M-d", "2024-2-3"), "2024-02-03T00:00");
    assert.equal(date("y-M-d", "-5-2-3"), "null", "negative year of era");
  });

  test("literals, quotes and optional sections", () => {
    assert.equal(dt("yyyy-MM-dd'T'HH:mm[:ss]", "2024-01-02T03:04"), "2024-01-02T03:04");
    assert.equal(dt("yyyy-MM-dd'T'HH:mm[:ss]", "2024-01-02T03:04:05"), "2024-01-02T03:04:05");
    assert.equal(date("yyyy/MM/dd", "2024-01-02"), "null");
    assert.equal(date("''yyyy''", "'2024'"), "null", "no month and day");
    assert.equal(date("'day' yyyy.MM.dd", "day 2024.01.02"), "2024-01-02T00:00");
    assert.equal(date("yyyy-MM-dd[ HH]", "2024-01-02 x"), "null", "a failed optional section leaves text unparsed");
  });

  test("Paimon's lenient defaults: one- or two-digit fields, optional time and fraction, overflow rolls", () => {
    const ts = (text: string) => show(parseLocalDateTime(PARTITION_TIMESTAMP_FORMATTER, text));
    const d = (text: string) => {
      const v = parseLocalDate(PARTITION_DATE_FORMATTER, text);
      return v === null ? "null" : show({ epochDay: v, nanoOfDay: 0 });
    };
    assert.equal(ts("2023-01-01 20:08:08"), "2023-01-01T20:08:08");
    assert.equal(ts("2023-1-1 20:08:08"), "2023-01-01T20:08:08");
    assert.equal(ts("2023-01-01 20:08:08.5"), "2023-01-01T20:08:08.500");
    assert.equal(ts("2023-01-01"), "null");
    assert.equal(d("2023-1-1"), "2023-01-01T00:00");
    assert.equal(ts("2023-01-01 25:00:00"), "2023-01-02T01:00");
    assert.equal(d("2023-13-40"), "2024-02-09T00:00");
    assert.equal(d("2023-01-01x"), "null");
  });
});

describe("patterns", () => {
  test("Java's pattern errors keep their reasons; unimplemented letters are unsupported", () => {
    const reason = (pattern: string): string => {
      try {
        compileDateTimePattern(pattern);
        return "ok";
      } catch (error) {
        assert.ok(error instanceof LakeError);
        return `${error.code}: ${error.message}`;
      }
    };
    assert.match(reason("yyyy-bb"), /^invalid_argument: .*Unknown pattern letter: b/);
    assert.match(reason("ddd"), /^invalid_argument: .*Too many pattern letters: d/);
    assert.match(reason("yyyy]"), /^invalid_argument: .*contains \] without previous \[/);
    assert.match(reason("yyyy'T"), /^invalid_argument: .*incomplete string literal/);
    assert.match(reason("yyyy#"), /^invalid_argument: .*reserved character: '#'/);
    assert.match(reason("dd MMM yyyy"), /^unsupported: .*month as text/);
    assert.match(reason("hh:mm a"), /^unsupported: .*pattern letter 'h'/);
    assert.equal(reason("[yyyy-MM-dd"), "ok", "an unclosed optional section is closed at the end");
  });

  test("printing: pads, two-digit years, fractions, and the spans of fields", () => {
    const t = localDateTimeOf({ year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, nano: 60_000_000 });
    assert.equal(formatLocalDateTime(compileDateTimePattern("yyyyMMdd HH:mm:ss.SSS"), t), "20240102 03:04:05.060");
    assert.equal(formatLocalDateTime(compileDateTimePattern("yy-M-d k"), localDateTimeOf({ year: 2024, month: 1, day: 2 })), "24-1-2 24");
    const { text, spans } = formatLocalDateTimeSpans(compileDateTimePattern("yyyy-MM-dd'T'HH"), t);
    assert.equal(text, "2024-01-02T03");
    assert.deepEqual(spans, [[0, 4], [5, 7], [8, 10], [11, 13]]);
  });

  test("random date-times print and parse back with every supported layout", () => {
    const rnd = seededRandom(7);
    const patterns = ["yyyyMMdd HH:mm:ss.SSS", "yyyyMMddHHmmssSSS", "uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS", "yyyy-DDD HH:mm:ss.SSS", "y/M/d H:m:s.SSS"];
    for (let i = 0; i < 500; i++) {
      const year = 1 + Math.floor(rnd() * 9998), month = 1 + Math.floor(rnd() * 12);
      const day = 1 + Math.floor(rnd() * 28), nano = Math.floor(rnd() * 1000) * 1_000_000;
      const t = localDateTimeOf({ year, month, day, hour: Math.floor(rnd() * 24), minute: Math.floor(rnd() * 60), second: Math.floor(rnd() * 60), nano });
      for (const p of patterns) {
        const f = compileDateTimePattern(p);
        const text = formatLocalDateTime(f, t);
        assert.equal(show(parseLocalDateTime(f, text)), show(t), `${p}: ${text}`);
      }
    }
  });
});
