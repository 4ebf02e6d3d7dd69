/**
 * The time of a partition from its values, as Paimon's `PartitionTimeExtractor` reads it for
 * `values-time` partition expiration, and the check that a `partition.timestamp-pattern` /
 * `partition.timestamp-formatter` pair can read the partition values it implies at all.
 *
 * Extraction (Java `PartitionTimeExtractor.extract`): each partition value becomes its Java
 * `toString()` text (STRING as is, integers in decimal, DATE as epoch days, TIMESTAMP as
 * `LocalDateTime#toString`; `formatPartitionValue` with legacy names); the pattern's `$key`
 * references are replaced by those texts, longest key first so `$dt` never matches inside
 * `$dt1`, and a `$` that names no key stays a literal `$`; without a pattern the first partition
 * value is the text. The text is read with the formatter (`LocalDateTime.parse`, else
 * `LocalDate.parse` at midnight), or without one with Paimon's lenient `y-M-d[ H:m:s[.f]]`,
 * else `y-M-d`. A text that does not parse, or a null value the pattern needs, gives null (Java
 * logs a warning and keeps the partition).
 *
 * The check (`checkPartitionTimeOptions`): for a few sample date-times with one- and two-digit
 * fields, the formatter's own text is split back into the pattern's partition values (every
 * split whose pieces each cast to their key's type); each piece is replaced by the text Java
 * would see for that typed value, and the rebuilt text must parse back to the same date-time.
 * When no split works for some sample, partitions written the way the options imply could never
 * expire, and the check reports the option, its value and an example partition value. It cannot
 * know the values users will write; `expirePartitions` reports partitions it cannot read.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/partition/PartitionTimeExtractor.java
 * Imports: errors.ts, spec (data_types, partition_values, values, java_datetime_formatter,
 * java_local_date_time).
 */
import { LakeError } from "../errors.ts";
import { describeType, type DataField, type DataType } from "../spec/data_types.ts";
import {
  compileDateTimePattern, formatLocalDateTimeSpans, parseLocalDate, parseLocalDateTime, PARTITION_DATE_FORMATTER,
  PARTITION_TIMESTAMP_FORMATTER, type JavaDateTimeFormatter,
} from "../spec/java_datetime_formatter.ts";
import { compareLocalDateTime, localDateTimeOf, localDateTimeString, type LocalDateTime } from "../spec/java_local_date_time.ts";
import { formatPartitionValue, parsePartitionValue } from "../spec/partition_values.ts";
import type { Value } from "../spec/values.ts";

/** How partition values become a time (pattern and formatter compiled once). */
export interface PartitionTimeExtractor {
  /** `partition.timestamp-pattern`, or null (the first partition value). */
  readonly pattern: string | null;
  /** The compiled `partition.timestamp-formatter`, or null (Paimon's lenient defaults). */
  readonly formatter: JavaDateTimeFormatter | null;
}

/**
 * Compiles the options. Throws LakeError("invalid_argument") / ("unsupported") for a formatter
 * pattern Java rejects / this module does not implement (spec/java_datetime_formatter.ts).
 */
export function createPartitionTimeExtractor(pattern: string | null, formatter: string | null): PartitionTimeExtractor {
  return { pattern, formatter: formatter === null ? null : compileDateTimePattern(formatter) };
}

/** Java `toString()` of a partition value as the extractor sees it; null for null (and bytes). */
export function javaValueText(type: DataType, value: Value): string | null {
  if (value === null || value instanceof Uint8Array) return null;
  return formatPartitionValue(type, value, { legacyName: true });
}

type Token = { readonly literal: string } | { readonly key: number };

/** The pattern as literals and key references, as Java's `replacePattern` scans it. */
function tokenize(pattern: string, keys: readonly string[]): Token[] {
  // Longest keys first; equal lengths keep key order (Java's stable List.sort).
  const order = keys.map((_, i) => i).sort((a, b) => keys[b]!.length - keys[a]!.length);
  const out: Token[] = [];
  let literal = "";
  for (let i = 0; i < pattern.length;) {
    if (pattern[i] === "$" && i + 1 < pattern.length) {
      const hit = order.find((k) => pattern.startsWith(keys[k]!, i + 1));
      if (hit !== undefined) {
        if (literal.length > 0) out.push({ literal });
        literal = "";
        out.push({ key: hit });
        i += 1 + keys[hit]!.length;
        continue;
      }
    }
    literal += pattern[i];
    i++;
  }
  if (literal.length > 0) out.push({ literal });
  return out;
}

function tokensOf(ex: PartitionTimeExtractor, keys: readonly string[]): Token[] {
  return ex.pattern === null ? [{ key: 0 }] : tokenize(ex.pattern, keys);
}

function render(tokens: readonly Token[], texts: readonly (string | null | undefined)[]): string | null {
  let out = "";
  for (const t of tokens) {
    if ("literal" in t) out += t.literal;
    else {
      const v = texts[t.key];
      if (v === null || v === undefined) return null; // Java: NullPointerException, partition kept
      out += v;
    }
  }
  return out;
}

/** Java `toLocalDateTime(text, formatter)`; null where Java throws DateTimeParseException. */
export function parsePartitionTimestamp(text: string, formatter: JavaDateTimeFormatter | null): LocalDateTime | null {
  const withTime = parseLocalDateTime(formatter ?? PARTITION_TIMESTAMP_FORMATTER, text);
  if (withTime !== null) return withTime;
  const day = parseLocalDate(formatter ?? PARTITION_DATE_FORMATTER, text);
  return day === null ? null : { epochDay: day, nanoOfDay: 0 };
}

/**
 * The text Java builds for a partition (Java `replacePattern`), from the values' Java texts in
 * key order; null when a value the pattern needs is null.
 */
export function partitionTimestampText(ex: PartitionTimeExtractor, keys: readonly string[], texts: readonly (string | null)[]): string | null {
  return render(tokensOf(ex, keys), texts);
}

/** The partition's time (Java `extract`), or null when Java could not extract one. */
export function extractPartitionTime(ex: PartitionTimeExtractor, keys: readonly string[], texts: readonly (string | null)[]): LocalDateTime | null {
  const text = partitionTimestampText(ex, keys, texts);
  return text === null ? null : parsePartitionTimestamp(text, ex.formatter);
}

// ---------------------------------------------------------------------------------------------
// The option check

/** Sample date-times: one- and two-digit months, days, hours, minutes and seconds. */
const SAMPLES: readonly LocalDateTime[] = [
  localDateTimeOf({ year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5 }),
  localDateTimeOf({ year: 2023, month: 11, day: 22, hour: 13, minute: 14, second: 15 }),
];
/** Splits tried per formatted text before the check gives up deciding (and passes). */
const SPLIT_ATTEMPTS_MAX = 20_000;
/** The texts the default formatter reads, tried in turn when no formatter is set. */
const DEFAULT_SHAPES: readonly JavaDateTimeFormatter[] = [compileDateTimePattern("yyyy-MM-dd HH:mm:ss"), compileDateTimePattern("yyyy-MM-dd")];
const NANOS_PER_HOUR = 3_600_000_000_000;

interface Attempt {
  /** The split pieces by key index (undefined: key not referenced). */
  readonly pieces: (string | undefined)[];
  /** The Java texts of the typed pieces (null where a piece does not fit its type). */
  readonly javaTexts: (string | null | undefined)[];
  readonly rebuilt: string | null;
  readonly castProblem: string | null;
}

/**
 * Splits `text` by `tokens` in every way (bounded) that cuts key pieces only at field
 * boundaries (`cutForbidden[i]`: position i is inside a printed field), calling `visit` until
 * it returns true. Returns true when a visit accepted or the budget ran out (undecided).
 */
function forEachSplit(
  tokens: readonly Token[], text: string, cutForbidden: readonly boolean[], keyCount: number, visit: (pieces: (string | undefined)[]) => boolean,
): boolean {
  const pieces: (string | undefined)[] = new Array(keyCount).fill(undefined);
  let budget = SPLIT_ATTEMPTS_MAX;
  const step = (ti: number, pos: number): boolean | null => {
    if (budget-- <= 0) return null;
    if (ti === tokens.length) return pos === text.length ? visit([...pieces]) : false;
    const t = tokens[ti]!;
    if ("literal" in t) return text.startsWith(t.literal, pos) ? step(ti + 1, pos + t.literal.length) : false;
    const prior = pieces[t.key];
    if (prior !== undefined) return text.startsWith(prior, pos) ? step(ti + 1, pos + prior.length) : false;
    if (cutForbidden[pos] === true) return false;
    for (let end = pos + 1; end <= text.length; end++) {
      if (cutForbidden[end] === true) continue;
      pieces[t.key] = text.slice(pos, end);
      const r = step(ti + 1, end);
      if (r !== false) {
        pieces[t.key] = undefined;
        return r;
      }
    }
    pieces[t.key] = undefined;
    return false;
  };
  return step(0, 0) !== false;
}

function attemptOf(fields: readonly DataField[], tokens: readonly Token[], pieces: (string | undefined)[], defaultName: string): Attempt {
  let castProblem: string | null = null;
  const javaTexts = pieces.map((piece, i) => {
    if (piece === undefined) return undefined;
    const type = fields[i]!.type;
    try {
      const text = javaValueText(type, parsePartitionValue(type, piece, { legacyName: true, defaultName }));
      if (text === null) castProblem ??= `${fields[i]!.name} = ${JSON.stringify(piece)} would be null`;
      return text;
    } catch (error) {
      if (!(error instanceof LakeError)) throw error;
      castProblem ??= `${JSON.stringify(piece)} is not a ${describeType(type)} value for ${fields[i]!.name}`;
      return null;
    }
  });
  return { pieces, javaTexts, rebuilt: castProblem === null ? render(tokens, javaTexts) : null, castProblem };
}

function describeAttempt(fields: readonly DataField[], a: Attempt): string {
  const values = a.pieces.flatMap((p, i) => (p === undefined ? [] : [`${fields[i]!.name}=${a.javaTexts[i] ?? p}`]));
  let out = values.join(", ");
  if (a.castProblem !== null) return `${out} (${a.castProblem})`;
  const retyped = a.pieces.flatMap((p, i) => (p !== undefined && a.javaTexts[i] !== p ? [`${fields[i]!.name} is ${describeType(fields[i]!.type)}, so Java reads ${JSON.stringify(p)} as ${JSON.stringify(a.javaTexts[i])}`] : []));
  if (retyped.length > 0) out += ` (${retyped.join("; ")})`;
  return `${out}, giving the text ${JSON.stringify(a.rebuilt)}`;
}

/** The sample, then truncated to its hour, then to midnight: what coarser patterns express. */
function truncations(t: LocalDateTime): LocalDateTime[] {
  return [t, { epochDay: t.epochDay, nanoOfDay: t.nanoOfDay - (t.nanoOfDay % NANOS_PER_HOUR) }, { epochDay: t.epochDay, nanoOfDay: 0 }];
}

/** Why partition values for `sample` could not be read back, or null when some form reads back. */
function sampleProblem(fields: readonly DataField[], ex: PartitionTimeExtractor, tokens: readonly Token[], sample: LocalDateTime, defaultName: string): string | null {
  let best: { rank: number; text: string } | null = null;
  const note = (rank: number, text: string) => {
    if (best === null || rank > best.rank) best = { rank, text };
  };
  for (const shape of ex.formatter === null ? DEFAULT_SHAPES : [ex.formatter]) {
    for (const time of truncations(sample)) {
      const { text, spans } = formatLocalDateTimeSpans(shape, time);
      const expected = parsePartitionTimestamp(text, ex.formatter);
      if (expected === null) {
        return `it cannot read a date from the text it formats itself (${JSON.stringify(text)} for ${localDateTimeString(time)}): it needs a year with a month and day, or a day of the year`;
      }
      const cutForbidden: boolean[] = new Array(text.length + 1).fill(false);
      for (const [s, e] of spans) for (let i = s + 1; i < e; i++) cutForbidden[i] = true;
      let closest: Attempt | null = null;
      const ok = forEachSplit(tokens, text, cutForbidden, fields.length, (pieces) => {
        const a = attemptOf(fields, tokens, pieces, defaultName);
        if (a.rebuilt !== null) {
          const got = parsePartitionTimestamp(a.rebuilt, ex.formatter);
          if (got !== null && compareLocalDateTime(got, expected) === 0) return true;
        }
        if (closest === null || (closest.castProblem !== null && a.castProblem === null)) closest = a;
        return false;
      });
      if (ok) return null;
      const found = closest as Attempt | null;
      if (found === null) note(0, `no partition values fit the pattern for the text ${JSON.stringify(text)} (${localDateTimeString(time)})`);
      else note(found.castProblem === null ? 2 : 1, `partition values for ${localDateTimeString(time)} would be ${describeAttempt(fields, found)}, which does not parse back to that time`);
    }
  }
  return (best as { text: string } | null)?.text ?? null;
}

/**
 * Checks that values-time expiration can read the partition values the options imply (see the
 * file header). `partitionFields` are the partition keys in order. Throws
 * LakeError("invalid_argument") naming the option, its value and an example partition value,
 * or ("unsupported") for formatter letters not implemented.
 * Requires: at least one partition field.
 */
export function checkPartitionTimeOptions(
  partitionFields: readonly DataField[],
  options: { readonly pattern: string | null; readonly formatter: string | null; readonly defaultName: string },
): void {
  const { pattern, formatter, defaultName } = options;
  const keys = partitionFields.map((f) => f.name);
  let ex: PartitionTimeExtractor;
  try {
    ex = createPartitionTimeExtractor(pattern, formatter);
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    throw new LakeError(error.code, `partition expiration: option 'partition.timestamp-formatter' = ${JSON.stringify(formatter)} is invalid: ${error.message}`, { cause: error });
  }
  const tokens = tokensOf(ex, keys);
  const describeOptions = () => [
    formatter === null ? "the default formatter (yyyy-MM-dd[ HH:mm:ss])" : `option 'partition.timestamp-formatter' = ${JSON.stringify(formatter)}`,
    pattern === null ? `no 'partition.timestamp-pattern' (the first partition key ${keys[0]} is read)` : `option 'partition.timestamp-pattern' = ${JSON.stringify(pattern)}`,
  ].join(" with ");
  if (pattern !== null) {
    if (!tokens.some((t) => "key" in t)) {
      throw new LakeError("invalid_argument", `partition expiration: option 'partition.timestamp-pattern' = ${JSON.stringify(pattern)} references no partition key (write $<key>; partition keys: ${keys.join(", ")}), so partitions would never expire`);
    }
    for (const t of tokens) {
      const stray = "literal" in t ? /\$[A-Za-z_][A-Za-z0-9_]*/.exec(t.literal) : null;
      if (stray !== null) {
        throw new LakeError("invalid_argument", `partition expiration: option 'partition.timestamp-pattern' = ${JSON.stringify(pattern)} references ${stray[0]}, which is not a partition key (partition keys: ${keys.join(", ")}), so partitions would never expire`);
      }
    }
  }
  for (const sample of SAMPLES) {
    const problem = sampleProblem(partitionFields, ex, tokens, sample, defaultName);
    if (problem !== null) {
      const unknown = pattern === null ? undefined : [...pattern.matchAll(/\$([A-Za-z0-9_]+)/g)].find((m) => !keys.includes(m[1]!));
      if (unknown !== undefined) {
        throw new LakeError("invalid_argument", `partition expiration: option 'partition.timestamp-pattern' = ${JSON.stringify(pattern)} references ${unknown[0]}, which is not a partition key (partition keys: ${keys.join(", ")}), so partitions would never expire`);
      }
      throw new LakeError("invalid_argument", `partition expiration: ${describeOptions()} cannot read the partition values it implies: ${problem}; such partitions would never expire (fix the options, or set 'partition.expiration-strategy' = 'update-time')`);
    }
  }
}
