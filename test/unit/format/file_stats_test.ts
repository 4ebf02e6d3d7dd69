// Goal: column statistics follow Java's rules: stats-mode resolution (field modes, system and key
// columns at truncate(128), keep-first-n-columns, per-level modes), Parquet min/max order
// (strings by UTF-8 bytes), truncate(n) with the max's last code point incremented (null on
// overflow), NaN and signed-zero handling, unknown min/max for binaries, INT96 timestamps and
// nested types, and exact null counts.
// Method: hand-worked cases for each rule, plus random columns compared with an independent
// oracle (strings compared as UTF-8 bytes, code points taken with Array.from) written here.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  collectColumnStats, columnStatsModes, compareCodePoints, dataFileStatsMode, parseStatsMode, truncateCodePoints,
  truncateMaxString, wellFormedString, type StatsMode,
} from "../../../src/format/data/file_stats.ts";
import { dataTypeFromJson, parseTypeString } from "../../../src/spec/data_types.ts";
import { NO_COLUMN_STATS } from "../../../src/spec/simple_stats.ts";
import { timestamp, type Value } from "../../../src/spec/values.ts";
import { compareBytes, utf8Encode } from "../../../src/util/bytes.ts";
import { isLakeError } from "../../../src/errors.ts";
import { oracleColumnStats, oracleStrings } from "./stats_oracle.ts";

const T16: StatsMode = { kind: "truncate", length: 16 };
const FULL: StatsMode = { kind: "full" };

describe("stats modes", () => {
  test("parseStatsMode accepts Java's spellings and rejects the rest", () => {
    assert.deepEqual(parseStatsMode("Truncate(16)", "k"), T16);
    assert.deepEqual(parseStatsMode("FULL", "k"), FULL);
    assert.deepEqual(parseStatsMode("counts", "k"), { kind: "counts" });
    assert.deepEqual(parseStatsMode("none", "k"), { kind: "none" });
    for (const bad of ["truncate(0)", "truncate( 5)", "truncate(-1)", "full ", "min"]) {
      assert.throws(() => parseStatsMode(bad, "k"), (e: unknown) => isLakeError(e, "invalid_argument"), bad);
    }
  });

  test("field modes win, system and _KEY_ columns get truncate(128), keep-first-n counts only non-system columns", () => {
    const names = ["_KEY_a", "_SEQUENCE_NUMBER", "_VALUE_KIND", "a", "b", "c", "d"];
    const modes = columnStatsModes(names, { "metadata.stats-keep-first-n-columns": "2", "fields.d.stats-mode": "counts", "fields._KEY_a.stats-mode": "full" }, "truncate(16)");
    // _KEY_a has a field mode (counts as a column: columnCount 1), a is the 2nd column, b reaches the limit.
    assert.deepEqual(modes, [FULL, { kind: "truncate", length: 128 }, { kind: "truncate", length: 128 }, T16, { kind: "none" }, { kind: "none" }, { kind: "counts" }]);
    assert.deepEqual(columnStatsModes(["a", "rowkind"], {}, "full"), [FULL, { kind: "truncate", length: 128 }]);
  });

  test("the table mode: metadata.stats-mode, per level for primary-key files only", () => {
    const options = { "metadata.stats-mode": "full", "metadata.stats-mode.per.level": "0:none,2:counts" };
    assert.equal(dataFileStatsMode(options, true, 0), "none");
    assert.equal(dataFileStatsMode(options, true, 2), "counts");
    assert.equal(dataFileStatsMode(options, true, 1), "full");
    assert.equal(dataFileStatsMode(options, false, 0), "full");
    assert.equal(dataFileStatsMode({}, true, 0), "truncate(16)");
  });
});

describe("string order and truncation", () => {
  test("truncateMaxString increments the last code point that can be, dropping the rest", () => {
    assert.equal(truncateMaxString("short", 16), "short");
    assert.equal(truncateMaxString("abcdefghijklmnop", 16), "abcdefghijklmnop"); // exactly 16: unchanged
    assert.equal(truncateMaxString("abcdefghijklmnopq", 16), "abcdefghijklmnoq");
    assert.equal(truncateMaxString("ab\u{10FFFF}cd", 3), "ac"); // U+10FFFF cannot grow: the one before it does
    assert.equal(truncateMaxString("\u{10FFFF}\u{10FFFF}x", 2), null);
    assert.equal(truncateMaxString("a😀😀z", 2), "a😁"); // surrogate pairs are one code point
    assert.equal(truncateMaxString("a\uD7FFzz", 2), "a\uE000"); // never a lone surrogate
    assert.equal(truncateCodePoints("a😀b😀", 3), "a😀b");
    assert.equal(truncateCodePoints("a😀", 3), "a😀");
  });

  test("compareCodePoints orders like UTF-8 bytes (random strings incl. U+E000.., astral)", () => {
    const rnd = seededRandom(7);
    const alphabet = ["a", "z", "é", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFF", "😀", "\u{10000}", "\u{10FFFF}"];
    const word = () => Array.from({ length: Math.floor(rnd() * 5) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join("");
    for (let i = 0; i < 3000; i++) {
      const a = word(), b = word();
      assert.equal(Math.sign(compareCodePoints(a, b)), Math.sign(compareBytes(utf8Encode(a), utf8Encode(b))), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  test("lone surrogates count as U+FFFD, as the file stores them", () => {
    assert.equal(wellFormedString("a\uD800b"), "a\uFFFDb");
    assert.equal(wellFormedString("a😀"), "a😀");
  });
});

describe("collectColumnStats", () => {
  test("strings: random columns match the UTF-8 oracle under truncate(16), truncate(3) and full", () => {
    const rnd = seededRandom(11);
    const alphabet = ["a", "b", "Z", "é", "\uFFFF", "😀", "\u{10FFFF}", "\uD800"];
    const type = parseTypeString("STRING");
    for (let round = 0; round < 200; round++) {
      const values = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () =>
        rnd() < 0.2 ? null : Array.from({ length: Math.floor(rnd() * 22) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(""));
      for (const n of [16, 3]) assert.deepEqual(collectColumnStats(type, values, { kind: "truncate", length: n }), oracleStrings(values, n), JSON.stringify(values));
      assert.deepEqual(collectColumnStats(type, values, FULL), oracleStrings(values, null));
    }
  });

  test("numbers, booleans, decimals, dates: natural order; all-null columns have unknown min/max", () => {
    assert.deepEqual(collectColumnStats(parseTypeString("INT"), [3, null, -7, 12], T16), { min: -7, max: 12, nullCount: 1n });
    assert.deepEqual(collectColumnStats(parseTypeString("BIGINT"), [3n, -(2n ** 63n), null], T16), { min: -(2n ** 63n), max: 3n, nullCount: 1n });
    assert.deepEqual(collectColumnStats(parseTypeString("BOOLEAN"), [true, true], T16), { min: true, max: true, nullCount: 0n });
    assert.deepEqual(collectColumnStats(parseTypeString("BOOLEAN"), [true, false], T16), { min: false, max: true, nullCount: 0n });
    assert.deepEqual(collectColumnStats(parseTypeString("DECIMAL(38, 2)"), [10n ** 37n, -(10n ** 37n), 5n], T16), { min: -(10n ** 37n), max: 10n ** 37n, nullCount: 0n });
    assert.deepEqual(collectColumnStats(parseTypeString("DATE"), [null, null], FULL), { min: null, max: null, nullCount: 2n });
  });

  test("FLOAT/DOUBLE: NaN makes min/max unknown; zero bounds widen to -0.0 / +0.0; FLOAT rounds to float32", () => {
    const d = parseTypeString("DOUBLE");
    assert.deepEqual(collectColumnStats(d, [1, NaN, null], FULL), { min: null, max: null, nullCount: 1n });
    const zero = collectColumnStats(d, [0], FULL);
    assert.ok(Object.is(zero.min, -0) && Object.is(zero.max, 0));
    const negZero = collectColumnStats(d, [-0, -3], FULL);
    assert.ok(negZero.min === -3 && Object.is(negZero.max, 0));
    const mixed = collectColumnStats(d, [5, -0, 0], FULL);
    assert.ok(Object.is(mixed.min, -0) && mixed.max === 5);
    assert.deepEqual(collectColumnStats(parseTypeString("FLOAT"), [0.1, 2], FULL), { min: Math.fround(0.1), max: 2, nullCount: 0n });
    assert.deepEqual(collectColumnStats(d, [-Infinity, Infinity], FULL), { min: -Infinity, max: Infinity, nullCount: 0n });
  });

  test("timestamps are compared and returned at the written precision", () => {
    const ts = (ms: number, ns: number) => timestamp(ms, ns);
    assert.deepEqual(collectColumnStats(parseTypeString("TIMESTAMP(3)"), [ts(5, 999_999), ts(5, 0), ts(-1, 1)], FULL), { min: ts(-1, 0), max: ts(5, 0), nullCount: 0n });
    assert.deepEqual(collectColumnStats(parseTypeString("TIMESTAMP(6)"), [ts(5, 1_999), ts(5, 1_000), ts(5, 2_500)], FULL), { min: ts(5, 1_000), max: ts(5, 2_000), nullCount: 0n });
    assert.deepEqual(collectColumnStats(parseTypeString("TIMESTAMP(9) WITH LOCAL TIME ZONE"), [ts(5, 1), null], FULL), { min: null, max: null, nullCount: 1n });
  });

  test("binaries keep null counts only; nested types and mode none have no stats; counts mode has counts only", () => {
    assert.deepEqual(collectColumnStats(parseTypeString("BYTES"), [new Uint8Array([1]), null], FULL), { min: null, max: null, nullCount: 1n });
    assert.equal(collectColumnStats(dataTypeFromJson({ type: "ARRAY", element: "INT" }), [[1], null], FULL), NO_COLUMN_STATS);
    assert.equal(collectColumnStats(dataTypeFromJson({ type: "ROW", fields: [{ id: 1, name: "x", type: "INT" }] }), [[1]], FULL), NO_COLUMN_STATS);
    assert.equal(collectColumnStats(parseTypeString("INT"), [1], { kind: "none" }), NO_COLUMN_STATS);
    assert.deepEqual(collectColumnStats(parseTypeString("STRING"), ["x", null], { kind: "counts" }), { min: null, max: null, nullCount: 1n });
  });

  test("random columns of every atomic type match the oracle under every mode", () => {
    const rnd = seededRandom(23);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const gens: [string, () => Value][] = [
      ["BOOLEAN", () => rnd() < 0.5],
      ["TINYINT", () => Math.floor(rnd() * 256) - 128],
      ["INT", () => pick([-2147483648, 2147483647, 0, Math.floor(rnd() * 2000) - 1000])],
      ["BIGINT", () => pick([-(2n ** 63n), 2n ** 63n - 1n, BigInt(Math.floor(rnd() * 1e6))])],
      ["DOUBLE", () => pick([0, -0, 1.5, -2.25, Infinity, rnd() * 100, NaN])],
      ["FLOAT", () => pick([0, -0, 0.1, -1e-3, rnd()])],
      ["DECIMAL(20, 3)", () => BigInt(Math.floor(rnd() * 1e9)) * (rnd() < 0.5 ? -1n : 1n) * 10n ** 10n],
      ["DATE", () => Math.floor(rnd() * 40000) - 20000],
      ["TIMESTAMP(3)", () => timestamp(Math.floor(rnd() * 1e6) - 5e5)],
      ["TIMESTAMP(6) WITH LOCAL TIME ZONE", () => timestamp(Math.floor(rnd() * 10) - 5, Math.floor(rnd() * 1000) * 1000)],
      ["VARCHAR(40)", () => "abcdefghijklmnopqrstuvwxyz".slice(0, Math.floor(rnd() * 26))],
      ["BYTES", () => new Uint8Array([Math.floor(rnd() * 256)])],
    ];
    const modes: StatsMode[] = [T16, FULL, { kind: "counts" }, { kind: "none" }, { kind: "truncate", length: 2 }];
    for (const [typeText, gen] of gens) {
      const type = parseTypeString(typeText);
      for (let round = 0; round < 40; round++) {
        const values = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => (rnd() < 0.25 ? null : gen()));
        for (const mode of modes) assert.deepEqual(collectColumnStats(type, values, mode), oracleColumnStats(type, values, mode), `${typeText} ${mode.kind}`);
      }
    }
  });
});
