// Goal: partition directory value strings are exactly Java Paimon's, in both
// `partition.legacy-name` modes, and read back to the same values; the data files of every
// partitioned Java-written fixture table sit in the directory `partitionPathOf` computes.
// Method: (1) fixed vectors per type. Sources are cited per row: Java tests where Java has one
// (DDLTestBase.scala "Fix partition column generate wrong partition spec", FileStorePathFactoryTest
// #testCreateDataFilePathFactoryWithPartition, PartitionsTableTest#testPartitionWithLegacyPartitionName),
// otherwise "probe": the result of running Paimon master 5dacde5's own DateTimeUtils/Timestamp
// classes and the JDK calls that InternalRowPartitionComputer/TypeUtils/BinaryStringUtils make
// (Object#toString, Double/Float.toString/parse, BigDecimal, new String(bytes, UTF_8)) on
// JDK 25.0.3, with the JDK 17.0.15 result where it differs. (2) seeded random round trips
// parse(format(v)) == v per type and mode, and through the escaped directory name. (3) for every
// snapshot of every partitioned table under test/fixtures/paimon/java-tables, decode each live
// manifest entry's `_PARTITION` with the schema's partition types and check the computed
// `k=v/bucket-N/<file>` exists on disk, and that every partition directory on disk is produced.
import { assert, describe, listFixtureDir, readFixture, readFixtureText, seededRandom, test } from "../../harness.ts";
import { decodeManifest, decodeManifestList } from "../../../src/format/manifest/manifest_codec.ts";
import { foldLiveFiles } from "../../../src/format/manifest/live_files.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { CoreOptions } from "../../../src/spec/core_options_view.ts";
import { describeType, parseTypeString, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import { formatPartitionValue, javaUtf8Decode, parsePartitionValue, partitionPathOf } from "../../../src/spec/partition_values.ts";
import { isJavaBlank, parsePartitionPath } from "../../../src/spec/paths.ts";
import { decodeTableSchema } from "../../../src/spec/schema.ts";
import { decodeSnapshot } from "../../../src/spec/snapshot.ts";
import { isLakeError } from "../../../src/errors.ts";
import type { ManifestEntry } from "../../../src/spec/manifest_entry.ts";
import type { Value } from "../../../src/spec/values.ts";

const DEFAULT = "__DEFAULT_PARTITION__";
const LEGACY = { legacyName: true, defaultName: DEFAULT } as const;
const CAST = { legacyName: false, defaultName: DEFAULT } as const;
const T = (s: string): DataType => parseTypeString(s);
const ts = (epochMillis: number, nanoOfMillisecond = 0): Value => ({ epochMillis, nanoOfMillisecond });
const bytes = (...b: number[]): Value => new Uint8Array(b);
const UNSUPPORTED = Symbol("unsupported");
const show = (v: Value): string => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x] : x));

function throwsCode(fn: () => unknown, code: "unsupported" | "invalid_argument", ...mentions: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isLakeError(e, code), `expected LakeError(${code}), got ${String(e)}`);
    for (const m of mentions) assert.ok((e as Error).message.includes(m), `message ${JSON.stringify((e as Error).message)} should mention ${m}`);
    return true;
  });
}

// [type, value, legacy text, non-legacy text, source]
type FormatRow = [string, Value, string | null | typeof UNSUPPORTED, string | null | typeof UNSUPPORTED, string];
const FORMAT_ROWS: FormatRow[] = [
  ["INT", null, null, null, "generatePartValues: null field → default name"],
  ["BOOLEAN", true, "true", "true", "Boolean#toString / BooleanToStringCastRule"],
  ["TINYINT", -128, "-128", "-128", "Byte#toString"],
  ["SMALLINT", 32767, "32767", "32767", "Short#toString"],
  ["INT", 10, "10", "10", "PartitionsTableTest#testPartitionWithLegacyPartitionName (pt=10)"],
  ["INT", -2147483648, "-2147483648", "-2147483648", "Integer#toString"],
  ["BIGINT", 9223372036854775807n, "9223372036854775807", "9223372036854775807", "Long#toString"],
  ["VARCHAR(10)", "20211224", "20211224", "20211224", "FileStorePathFactoryTest (dt=20211224)"],
  ["STRING", "a/b=c d", "a/b=c d", "a/b=c d", "BinaryString#toString (escaping is partitionPath's)"],
  ["CHAR(3)", "ab ", "ab ", "ab ", "BinaryString#toString; cast to STRING keeps CHAR padding"],
  ["DECIMAL(5, 2)", 150n, "1.50", "1.50", "Decimal#toString = toPlainString"],
  ["DECIMAL(5, 2)", -5n, "-0.05", "-0.05", "probe: BigDecimal.valueOf(-5, 2).toPlainString()"],
  ["DECIMAL(38, 10)", 0n, "0.0000000000", "0.0000000000", "probe"],
  ["DECIMAL(23, 5)", 12345678998765432145678n, "123456789987654321.45678", "123456789987654321.45678", "probe"],
  ["DOUBLE", 0.1, "0.1", "0.1", "probe"],
  ["DOUBLE", 100, "100.0", "100.0", "probe"],
  ["DOUBLE", 1e7, "1.0E7", "1.0E7", "probe"],
  ["DOUBLE", 9999999, "9999999.0", "9999999.0", "probe"],
  ["DOUBLE", 0.0009, "9.0E-4", "9.0E-4", "probe"],
  ["DOUBLE", 5e-324, "4.9E-324", "4.9E-324", "probe"],
  ["DOUBLE", 4e23, "4.0E23", "4.0E23", "probe (JDK 17: 3.9999999999999997E23)"],
  ["DOUBLE", -1.5e-7, "-1.5E-7", "-1.5E-7", "probe"],
  ["DOUBLE", 123456789.125, "1.23456789125E8", "1.23456789125E8", "probe"],
  ["DOUBLE", -0, "-0.0", "-0.0", "probe"],
  ["DOUBLE", NaN, "NaN", "NaN", "probe"],
  ["DOUBLE", -Infinity, "-Infinity", "-Infinity", "Double#toString"],
  ["FLOAT", Math.fround(0.1), "0.1", "0.1", "probe"],
  ["FLOAT", Math.fround(1.4e-45), "1.4E-45", "1.4E-45", "probe"],
  ["FLOAT", Math.fround(3.4028235e38), "3.4028235E38", "3.4028235E38", "probe"],
  ["FLOAT", 243924992, "2.43925E8", "2.43925E8", "probe (JDK 17: 2.43924992E8)"],
  ["FLOAT", Math.fround(2.2e-44), "2.2E-44", "2.2E-44", "probe (JDK 17: 2.24E-44)"],
  ["FLOAT", 16777216, "1.6777216E7", "1.6777216E7", "probe"],
  ["DATE", 18628, "18628", "2021-01-01", "DDLTestBase.scala: day=18628 / day=2021-01-01"],
  ["DATE", -1, "-1", "1969-12-31", "probe: DateTimeUtils.formatDate(-1)"],
  ["DATE", -719528, "-719528", "0000-01-01", "probe"],
  ["DATE", -719529, "-719529", "000/-12-31", "probe: formatDate's int4 on year -1"],
  ["DATE", 2932897, "2932897", "0000-01-01", "probe: year 10000 keeps four digits"],
  ["TIME(0)", 3600000, "3600000", "01:00:00", "probe: formatTimestampMillis(3600000, 0)"],
  ["TIME(3)", 0, "0", "00:00:00.0", "probe"],
  ["TIME(3)", 43200500, "43200500", "12:00:00.5", "probe"],
  ["TIME(3)", 43200120, "43200120", "12:00:00.12", "probe"],
  ["TIME(1)", 43200123, "43200123", "12:00:00.1", "probe"],
  ["TIME(9)", 86399999, "86399999", "23:59:59.999", "probe"],
  ["TIMESTAMP(3)", ts(1609502400000), "2021-01-01T12:00", "2021-01-01 12:00:00.000", "probe: Timestamp#toString / formatTimestamp"],
  ["TIMESTAMP(0)", ts(1609502400000), "2021-01-01T12:00", "2021-01-01 12:00:00", "probe"],
  ["TIMESTAMP(6)", ts(1609502400000), "2021-01-01T12:00", "2021-01-01 12:00:00.000000", "probe"],
  ["TIMESTAMP(3)", ts(1609502401000), "2021-01-01T12:00:01", "2021-01-01 12:00:01.000", "probe"],
  ["TIMESTAMP(3)", ts(1609502400001), "2021-01-01T12:00:00.001", "2021-01-01 12:00:00.001", "probe"],
  ["TIMESTAMP(6)", ts(1609502400123, 456000), "2021-01-01T12:00:00.123456", "2021-01-01 12:00:00.123456", "probe"],
  ["TIMESTAMP(9)", ts(1609502400000, 1), "2021-01-01T12:00:00.000000001", "2021-01-01 12:00:00.000000001", "probe"],
  ["TIMESTAMP(9)", ts(-1, 999999), "1969-12-31T23:59:59.999999999", "1969-12-31 23:59:59.999999999", "probe"],
  ["TIMESTAMP(0)", ts(-62135596800000), "0001-01-01T00:00", "0001-01-01 00:00:00", "probe"],
  ["TIMESTAMP(3)", ts(-62135596800001), "0000-12-31T23:59:59.999", "0000-12-31 23:59:59.999", "probe"],
  ["TIMESTAMP(0)", ts(-62198755200000), "-0001-01-01T00:00", "000/-01-01 00:00:00", "probe"],
  ["TIMESTAMP(0)", ts(253402300800000), "+10000-01-01T00:00", "0000-01-01 00:00:00", "probe"],
  ["TIMESTAMP_LTZ(3)", ts(1609502400000), "2021-01-01T12:00", "2021-01-01 12:00:00.000", "Timestamp#toString (UTC instant); cast: JVM zone = UTC"],
  ["BYTES", bytes(0x32, 0x30, 0x32, 0x31), UNSUPPORTED, "2021", "DDLTestBase.scala: cast('2021' as binary) → day=2021; legacy fails in Java"],
  ["BINARY(4)", bytes(0xef, 0xbb, 0xbf, 0x41), UNSUPPORTED, "\uFEFFA", "probe: new String(bytes, UTF_8) keeps the BOM"],
  ["VARBINARY(9)", bytes(0xff, 0x41), UNSUPPORTED, "\uFFFDA", "probe"],
  ["BYTES", bytes(0xed, 0xa0, 0x80), UNSUPPORTED, "\uFFFD", "probe: one U+FFFD for an encoded surrogate"],
];

describe("formatPartitionValue", () => {
  for (const [type, value, legacy, cast, source] of FORMAT_ROWS) {
    test(`${type} ${show(value)} (${source})`, () => {
      for (const [options, want] of [[LEGACY, legacy], [CAST, cast]] as const) {
        if (want === UNSUPPORTED) throwsCode(() => formatPartitionValue(T(type), value, options), "unsupported", describeType(T(type)));
        else assert.equal(formatPartitionValue(T(type), value, options), want, `legacyName=${options.legacyName}`);
      }
    });
  }

  test("values of the wrong shape and non-partition types are rejected", () => {
    throwsCode(() => formatPartitionValue(T("INT"), 1.5, LEGACY), "invalid_argument", "INT");
    throwsCode(() => formatPartitionValue(T("TINYINT"), 128, LEGACY), "invalid_argument", "TINYINT");
    throwsCode(() => formatPartitionValue(T("BIGINT"), 1, LEGACY), "invalid_argument", "BIGINT");
    throwsCode(() => formatPartitionValue(T("FLOAT"), 0.1, LEGACY), "invalid_argument", "FLOAT");
    throwsCode(() => formatPartitionValue(T("DATE"), "2021-01-01", CAST), "invalid_argument", "DATE");
    throwsCode(() => formatPartitionValue(T("TIMESTAMP(3)"), 0, CAST), "invalid_argument", "TIMESTAMP");
    throwsCode(() => formatPartitionValue({ root: "ARRAY", nullable: true, element: T("INT") }, [1], LEGACY), "unsupported", "ARRAY<INT>");
    throwsCode(() => formatPartitionValue(T("VARIANT"), null, LEGACY), "unsupported", "VARIANT");
  });

  test("javaUtf8Decode agrees with the WHATWG decoder except for encoded surrogates", () => {
    assert.equal(javaUtf8Decode(new Uint8Array([0xe2, 0x82, 0x41])), "\uFFFDA"); // probe: truncated sequence
    assert.equal(javaUtf8Decode(new Uint8Array([0x41, 0xed, 0xa0, 0x41])), "A\uFFFDA"); // probe: ED A0 is one unit
    assert.equal(javaUtf8Decode(new Uint8Array([0xed, 0xbf, 0xbf, 0xed, 0x9f, 0xbf])), "\uFFFD\uD7FF"); // probe
    assert.equal(javaUtf8Decode(new Uint8Array([0xf0, 0x9f, 0x98, 0x80])), "\u{1F600}");
  });
});

// [type, text, expected value or error code, source]
type ParseRow = [string, string, Value | "invalid_argument" | "unsupported", string];
const PARSE_ROWS: ParseRow[] = [
  ["INT", DEFAULT, null, "convertSpecToInternal: default name → null"],
  ["STRING", DEFAULT, null, "convertSpecToInternal (before any cast)"],
  ["INT", "10", 10, "FileStorePathFactoryTest / Integer.valueOf"],
  ["INT", "+7", 7, "Integer.valueOf"],
  ["INT", "2147483648", "invalid_argument", "Integer.valueOf overflow"],
  ["TINYINT", "-129", "invalid_argument", "Byte.valueOf"],
  ["BIGINT", "-9223372036854775808", -9223372036854775808n, "Long.valueOf"],
  ["INT", " 1", "invalid_argument", "Integer.valueOf takes no spaces"],
  ["BOOLEAN", "YES", true, "BinaryStringUtils.toBoolean"],
  ["BOOLEAN", "f", false, "BinaryStringUtils.toBoolean"],
  ["BOOLEAN", "maybe", "invalid_argument", "BinaryStringUtils.toBoolean"],
  ["VARCHAR(3)", "abcd", "invalid_argument", "castFromString length check"],
  ["VARCHAR(3)", "ab\u{1F600}", "ab\u{1F600}", "castFromString counts code points"],
  ["CHAR(5)", "ab", "ab", "castFromString does not pad"],
  ["DOUBLE", " 1.5d ", 1.5, "probe: Double.parseDouble trims and takes a suffix"],
  ["DOUBLE", "0x1p-1074", 5e-324, "probe"],
  ["DOUBLE", "1e400", Infinity, "probe"],
  ["DOUBLE", "-0", -0, "probe"],
  ["DOUBLE", "1_0", "invalid_argument", "probe"],
  ["FLOAT", "0.1", Math.fround(0.1), "probe: castFromString FLOAT"],
  ["FLOAT", "0x1.8p1", 3, "probe"],
  ["FLOAT", "0.1000000001", "invalid_argument", "probe: precision loss"],
  ["FLOAT", "1e39", "invalid_argument", "probe: precision loss (Infinity)"],
  ["FLOAT", "3.4028235677973366e38", "invalid_argument", "probe"],
  ["FLOAT", "122270740.000", 122270736, "probe (JDK 17: precision loss)"],
  ["FLOAT", "NaN", NaN, "probe"],
  ["DECIMAL(5, 2)", "1.005", 101n, "probe: HALF_UP"],
  ["DECIMAL(5, 2)", "-1.005", -101n, "probe"],
  ["DECIMAL(5, 2)", "+1.5", 150n, "probe"],
  ["DECIMAL(5, 2)", "1e2", 10000n, "probe"],
  ["DECIMAL(5, 0)", ".5", 1n, "probe"],
  ["DECIMAL(5, 3)", "0.0004", 0n, "probe"],
  ["DECIMAL(5, 2)", "1e-99999", 0n, "probe"],
  ["DECIMAL(5, 2)", "999.995", "invalid_argument", "probe: Java returns null (overflow)"],
  ["DECIMAL(5, 2)", "1 ", "invalid_argument", "probe: BigDecimal takes no spaces"],
  ["DATE", "2021-01-01", 18628, "DDLTestBase.scala / probe"],
  ["DATE", "18628", 18628, "probe: toDate reads an all-digit text as epoch days (legacy form)"],
  ["DATE", "-1", -1, "probe (StringUtils.isNumeric allows '-')"],
  ["DATE", "2021-1-5", 18632, "probe"],
  ["DATE", " 2021 ", 18628, "probe: year only"],
  ["DATE", "2021-01-01 10:00:00", 18628, "probe: text after a space is ignored"],
  ["DATE", "0000-01-01", -719528, "probe"],
  ["DATE", "2021-02-29", "invalid_argument", "probe"],
  ["DATE", "2021-01-01T10:00", "invalid_argument", "probe"],
  ["TIME(3)", "12:00:00.5", 43200500, "probe"],
  ["TIME(3)", "12:00:00.1235", 43200124, "probe: fourth digit rounds"],
  ["TIME(0)", "3600000", 3600000, "probe: legacy form"],
  ["TIME(0)", "12:30", 45000000, "probe"],
  ["TIME(0)", "12:00:00+01:00", 46800000, "probe"],
  ["TIME(0)", "25:00", "invalid_argument", "probe gives 90000000; outside the TIME range here"],
  ["TIMESTAMP(3)", "2021-01-01T12:00", ts(1609502400000), "probe: legacy form"],
  ["TIMESTAMP(0)", "2021-01-01 12:00:00", ts(1609502400000), "probe"],
  ["TIMESTAMP(6)", "2021-01-01 12:00:00.123456789", ts(1609502400123, 456000), "probe: floored to precision"],
  ["TIMESTAMP(3)", "2021-01-01", ts(1609459200000), "probe"],
  ["TIMESTAMP(3)", "1609502400000", ts(1609502400000), "probe: epoch millis"],
  ["TIMESTAMP(0)", "1609502400", ts(1609502400000), "probe: epoch seconds"],
  ["TIMESTAMP(6)", "1609502400123456", ts(1609502400123, 456000), "probe: epoch micros"],
  ["TIMESTAMP(9)", "-1", ts(-1, 999999), "probe: epoch nanos"],
  ["TIMESTAMP(2)", "1609502400", "invalid_argument", "probe: no epoch form for precision 2"],
  ["TIMESTAMP(3)", "2021-02-30", ts(1614470400000), "probe: SMART resolution clamps to Feb 28"],
  ["TIMESTAMP(3)", "2021-01-01 24:00:00", ts(1609545600000), "probe: 24:00 is the next midnight"],
  ["TIMESTAMP(3)", "+10000-01-01T00:00", ts(253402300800000), "probe"],
  ["TIMESTAMP(3)", "10000-01-01T00:00", "invalid_argument", "probe: five digits need '+'"],
  ["TIMESTAMP(3)", "2021-01-01 12:00", "invalid_argument", "probe: seconds required after a space"],
  ["TIMESTAMP(3)", "2021-1-1 1:2:3.5", ts(1609462923500), "probe"],
  ["TIMESTAMP(3)", "2021-01-011", ts(1609459200000), "probe: [dd][d] reads 01 then 1 (no conflict)"],
  ["TIMESTAMP(3)", "0000-01-01", "invalid_argument", "probe: year-of-era 0"],
  ["TIMESTAMP(9)", "2021-01-01T12:00:00.1234567891", "invalid_argument", "probe"],
  ["TIMESTAMP_LTZ(3)", "2021-01-01 12:00:00.5", ts(1609502400500), "probe (UTC)"],
  ["TIMESTAMP_LTZ(3)", "1609502400000", "invalid_argument", "probe: no epoch form for LTZ"],
  ["BYTES", "2021", bytes(0x32, 0x30, 0x32, 0x31), "castFromString: getBytes(UTF_8)"],
  ["VARBINARY(3)", "\u00e9\u00e9", "invalid_argument", "castFromString: 4 bytes > 3"],
  ["BINARY(1)", "\uD800", bytes(0x3f), "String#getBytes(UTF_8): unpaired surrogate → '?'"],
];

describe("parsePartitionValue", () => {
  for (const [type, text, want, source] of PARSE_ROWS) {
    test(`${type} ${JSON.stringify(text)} (${source})`, () => {
      for (const options of [LEGACY, CAST]) {
        if (type.includes("BINARY") || type === "BYTES") {
          if (options.legacyName && text !== DEFAULT) {
            throwsCode(() => parsePartitionValue(T(type), text, options), "unsupported");
            continue;
          }
        }
        if (want === "invalid_argument" || want === "unsupported") {
          throwsCode(() => parsePartitionValue(T(type), text, options), want, JSON.stringify(text), describeType(T(type)));
        } else {
          assert.deepEqual(parsePartitionValue(T(type), text, options), want, `legacyName=${options.legacyName}`);
        }
      }
    });
  }

  test("a custom default name is null, the standard one is then just text", () => {
    const options = { legacyName: true, defaultName: "default" };
    assert.equal(parsePartitionValue(T("STRING"), "default", options), null);
    assert.equal(parsePartitionValue(T("STRING"), DEFAULT, options), DEFAULT);
    throwsCode(() => parsePartitionValue(T("INT"), DEFAULT, options), "invalid_argument", DEFAULT, "INT");
  });
});

/** A random value of `type` that the type can hold (TIME/TIMESTAMP within their precision). */
function randomValue(type: DataType, rnd: () => number, legacy: boolean): Value {
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const t = type as { root: string; precision?: number; scale?: number; length?: number };
  const view = new DataView(new ArrayBuffer(8));
  switch (t.root) {
    case "BOOLEAN": return rnd() < 0.5;
    case "INT": return int(-2147483648, 2147483647);
    case "BIGINT": return BigInt.asIntN(64, (BigInt(int(0, 2 ** 32 - 1)) << 32n) | BigInt(int(0, 2 ** 32 - 1)));
    case "FLOAT": view.setUint32(0, int(0, 2 ** 32 - 1)); return view.getFloat32(0);
    case "DOUBLE": view.setUint32(0, int(0, 2 ** 32 - 1)); view.setUint32(4, int(0, 2 ** 32 - 1)); return view.getFloat64(0);
    case "DECIMAL": return BigInt(int(-1e9, 1e9)) * 10n ** BigInt(int(0, t.precision! - 10));
    case "VARCHAR": return Array.from({ length: int(0, 6) }, () => String.fromCodePoint(rnd() < 0.6 ? int(0x20, 0x7e) : int(0xa0, 0x2ffff))).join("");
    case "DATE": return legacy ? int(-2147483648, 2147483647) : int(-719528, 2932896); // 0000-01-01..9999-12-31
    case "TIME": {
      const ms = int(0, 86399999);
      return ms - (ms % 10 ** Math.max(0, 3 - t.precision!));
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = t.precision!;
      // From 0001-01-01; non-legacy text has four year digits (to 9999-12-31), legacy text
      // (LocalDateTime) writes later years with '+' (to about year 97000 here).
      const seconds = int(-62135596800, legacy ? 3e12 : 253402300799);
      const ms = int(0, 999), nanos = int(0, 999999);
      return {
        epochMillis: seconds * 1000 + (p >= 3 ? ms : ms - (ms % 10 ** (3 - p))),
        nanoOfMillisecond: p <= 3 ? 0 : nanos - (nanos % 10 ** (9 - p)),
      };
    }
    case "VARBINARY": return new TextEncoder().encode(randomValue(T("STRING"), rnd, legacy) as string);
    default: throw new Error(`no generator for ${t.root}`);
  }
}

describe("round trips", () => {
  const types = ["BOOLEAN", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(38, 7)", "DECIMAL(12, 0)", "STRING", "DATE", "TIME(0)",
    "TIME(3)", "TIMESTAMP(0)", "TIMESTAMP(3)", "TIMESTAMP(6)", "TIMESTAMP(9)", "TIMESTAMP_LTZ(6)", "BYTES"];
  for (const typeText of types) {
    test(`parse(format(v)) == v for ${typeText}`, () => {
      const rnd = seededRandom(typeText.length * 7919 + typeText.charCodeAt(0));
      const type = T(typeText);
      for (const options of [LEGACY, CAST]) {
        if (options.legacyName && typeText === "BYTES") continue;
        for (let i = 0; i < 400; i++) {
          const v = randomValue(type, rnd, options.legacyName);
          const text = formatPartitionValue(type, v, options)!;
          assert.deepEqual(parsePartitionValue(type, text, options), v, `${typeText} ${show(v)} → ${JSON.stringify(text)} (legacy=${options.legacyName})`);
        }
      }
    });
  }

  test("through the escaped directory name, nulls and blanks become the default name", () => {
    const fields: DataField[] = [
      { id: 0, name: "dt", type: T("DATE") }, { id: 1, name: "s/k", type: T("STRING") }, { id: 2, name: "ts", type: T("TIMESTAMP(3)") },
    ];
    const rnd = seededRandom(42);
    for (const options of [LEGACY, CAST]) {
      for (let i = 0; i < 300; i++) {
        const row: Value[] = fields.map((f) => (rnd() < 0.1 ? null : randomValue(f.type, rnd, options.legacyName)));
        const path = partitionPathOf(fields, row, options);
        const parsed = parsePartitionPath(path);
        assert.deepEqual(parsed.map(([k]) => k), fields.map((f) => f.name));
        const back = parsed.map(([, text], j) => parsePartitionValue(fields[j]!.type, text, options));
        assert.deepEqual(back, row.map((v) => (typeof v === "string" && isJavaBlank(v) ? null : v)), path);
      }
    }
    assert.equal(partitionPathOf(fields, [18628, "a:b", null], LEGACY), `dt=18628/s%2Fk=a%3Ab/ts=${DEFAULT}`);
    assert.equal(partitionPathOf(fields, [18628, " ", ts(1609502400000)], CAST), `dt=2021-01-01/s%2Fk=${DEFAULT}/ts=2021-01-01 12%3A00%3A00.000`);
    assert.equal(partitionPathOf([], [], LEGACY), "");
    throwsCode(() => partitionPathOf(fields, [1], LEGACY), "invalid_argument", "3 partition fields but 1 values");
  });

  test("FileStorePathFactoryTest#testCreateDataFilePathFactoryWithPartition", () => {
    const fields: DataField[] = [{ id: 0, name: "dt", type: T("VARCHAR(10)") }, { id: 1, name: "hr", type: T("INT") }];
    const options = { legacyName: true, defaultName: "default" };
    assert.equal(partitionPathOf(fields, ["20211224", 16], options), "dt=20211224/hr=16");
    assert.equal(partitionPathOf(fields, ["20211224", null], options), "dt=20211224/hr=default");
    assert.equal(partitionPathOf(fields, [null, 16], options), "dt=default/hr=16");
    assert.equal(partitionPathOf(fields, [null, null], options), "dt=default/hr=default");
  });
});

describe("Java-written fixture tables", () => {
  const ROOT = "paimon/java-tables";

  async function partitionDirsOnDisk(table: string, depth: number, prefix = ""): Promise<string[]> {
    if (depth === 0) return [prefix];
    const out: string[] = [];
    for (const name of await listFixtureDir(`${table}/${prefix}`)) {
      if (name.includes("=")) out.push(...(await partitionDirsOnDisk(table, depth - 1, `${prefix}${name}/`)));
    }
    return out;
  }

  test("every live data file is under partitionPathOf(_PARTITION)/bucket-N", async () => {
    let tablesChecked = 0, entriesChecked = 0;
    for (const db of await listFixtureDir(ROOT)) {
      for (const name of await listFixtureDir(`${ROOT}/${db}`)) {
        const table = `${ROOT}/${db}/${name}`;
        const seenDirs = new Set<string>();
        let partitionKeyCount = 0;
        for (const snapshotName of (await listFixtureDir(`${table}/snapshot`)).filter((n) => n.startsWith("snapshot-"))) {
          const snapshot = decodeSnapshot(await readFixtureText(`${table}/snapshot/${snapshotName}`));
          const schema = decodeTableSchema(await readFixtureText(`${table}/schema/schema-${snapshot.schemaId}`));
          partitionKeyCount = schema.partitionKeys.length;
          if (partitionKeyCount === 0) break;
          const fields = schema.partitionKeys.map((k) => schema.fields.find((f) => f.name === k)!);
          const coreOptions = new CoreOptions(schema.options);
          const options = { legacyName: coreOptions.partitionLegacyName, defaultName: coreOptions.partitionDefaultName };
          const entries: ManifestEntry[] = [];
          for (const list of [snapshot.baseManifestList, snapshot.deltaManifestList]) {
            for (const meta of await decodeManifestList(await readFixture(`${table}/manifest/${list}`))) {
              entries.push(...(await decodeManifest(await readFixture(`${table}/manifest/${meta.fileName}`))));
            }
          }
          for (const entry of foldLiveFiles(entries)) {
            const values = decodeSerializedBinaryRow(fields.map((f) => f.type), entry.partition);
            const dir = partitionPathOf(fields, values, options);
            assert.notEqual(dir, "", `${table}: a partitioned table needs a partition directory`);
            const bucketDir = `${dir}/bucket-${entry.bucket}`;
            const files = await listFixtureDir(`${table}/${bucketDir}`);
            assert.ok(files.includes(entry.file.fileName), `${table}/${bucketDir}/${entry.file.fileName} missing (${snapshotName})`);
            seenDirs.add(`${dir}/`);
            entriesChecked++;
          }
        }
        if (partitionKeyCount === 0) continue;
        tablesChecked++;
        assert.deepEqual([...seenDirs].sort(), (await partitionDirsOnDisk(table, partitionKeyCount)).sort(), `${table}: partition directories`);
      }
    }
    assert.equal(tablesChecked, 5, "partitioned fixture tables checked");
    assert.ok(entriesChecked >= 20, `only ${entriesChecked} manifest entries checked`);
  });
});
