// Goal: memcmp order of encoded keys equals Java Paimon's key order (field by field, nulls first,
// Java's Float/Double.compare, unsigned UTF-8 / byte order, numeric decimals, timestamps by
// millis then nanos) and, for equal keys, sequence number descending; the key part is
// prefix-free and decodes back to the same values.
// Method: fixed byte examples, then a seeded property test per key schema: random rows built
// from edge-heavy domains (extremes, NaN, -0.0, empty strings, embedded zero bytes, long shared
// prefixes, duplicate keys with different sequence numbers), compared pairwise against a
// reference comparator written here from the Java sources (not from the encoder).
import { assert, describe, seededRandom, test } from "../../harness.ts";
import {
  createKeyCodec, encodeKey, keyPart, keyPartLength, keySequenceNumber, SEQUENCE_NUMBER_MAX, SEQUENCE_NUMBER_MIN,
} from "../../../src/spec/key_codec.ts";
import { parseTypeString, type DataType } from "../../../src/spec/data_types.ts";
import { timestamp, type Timestamp, type Value } from "../../../src/spec/values.ts";
import { compareBytes, fromHex, toHex, utf8Encode } from "../../../src/util/bytes.ts";
import { isLakeError } from "../../../src/errors.ts";

const T = (s: string): DataType => parseTypeString(s);

// ---- reference comparator (Java semantics) --------------------------------------------------

const sign = (n: number | bigint): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

/** Java Float.compare / Double.compare: numeric, then floatToIntBits/doubleToLongBits as signed. */
function javaFloatingCompare(a: number, b: number, double: boolean): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const dv = new DataView(new ArrayBuffer(8));
  const bits = (x: number): bigint => {
    if (Number.isNaN(x)) return double ? 0x7ff8000000000000n : 0x7fc00000n;
    if (double) { dv.setFloat64(0, x); return dv.getBigInt64(0); }
    dv.setFloat32(0, x);
    return BigInt(dv.getInt32(0));
  };
  return sign(bits(a) - bits(b));
}

/** BinaryString.compareTo on UTF-8 equals code point order: compare code points. */
function codePointCompare(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return sign(ca[i]! - cb[i]!);
  return sign(ca.length - cb.length);
}

function unsignedCompare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return sign(a[i]! - b[i]!);
  return sign(a.length - b.length);
}

function fieldCompare(type: DataType, a: Value, b: Value): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1; // nulls first (ascending)
  switch (type.root) {
    case "BOOLEAN": return a === b ? 0 : a ? 1 : -1;
    case "FLOAT": return javaFloatingCompare(a as number, b as number, false);
    case "DOUBLE": return javaFloatingCompare(a as number, b as number, true);
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": return sign((a as number) - (b as number));
    case "BIGINT": case "DECIMAL": return sign((a as bigint) - (b as bigint));
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const x = a as Timestamp, y = b as Timestamp;
      return x.epochMillis !== y.epochMillis ? sign(x.epochMillis - y.epochMillis) : sign(x.nanoOfMillisecond - y.nanoOfMillisecond);
    }
    case "CHAR": case "VARCHAR": return codePointCompare(a as string, b as string);
    case "BINARY": case "VARBINARY": return unsignedCompare(a as Uint8Array, b as Uint8Array);
    default: throw new Error(`no reference order for ${type.root}`);
  }
}

interface Rec { values: Value[]; seq: bigint }

function keyCompare(types: DataType[], a: Rec, b: Rec): number {
  for (let i = 0; i < types.length; i++) {
    const c = fieldCompare(types[i]!, a.values[i]!, b.values[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

function recordCompare(types: DataType[], a: Rec, b: Rec): number {
  return keyCompare(types, a, b) || sign(b.seq - a.seq); // sequence number descending
}

// ---- generators -------------------------------------------------------------------------------

type Rng = () => number;
const pick = <X>(rng: Rng, xs: readonly X[]): X => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const PREFIX = "prefix/shared/long/enough/to/matter/";
const STRINGS = ["", "\0", "\0\0", "a", "a\0", "a\0\0", "a\x01", "a\0b", "ab", "b", "é", "e\u0301", "\u07ff", "\u0800", "\uffff", "😀", "\x7f",
  PREFIX, PREFIX + "\0", PREFIX + "a", PREFIX + "a\0", PREFIX + "😀"];
const CHARS = ["\0", "\x01", "a", "b", "\x7f", "\x80", "é", "\uffff", "😀", "\u{10ffff}"];

function genString(rng: Rng): string {
  if (rng() < 0.5) return pick(rng, STRINGS);
  let s = rng() < 0.3 ? PREFIX : "";
  for (let n = int(rng, 0, 5); n > 0; n--) s += pick(rng, CHARS);
  return s;
}

function genBytes(rng: Rng): Uint8Array {
  const head = rng() < 0.3 ? new Uint8Array(24) : new Uint8Array(0);
  const tail = Uint8Array.from({ length: int(rng, 0, 5) }, () => pick(rng, [0, 0, 1, 0x7f, 0x80, 0xfe, 0xff]));
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

const FLOATS = [NaN, -0, 0, Infinity, -Infinity, 1.401298464324817e-45, -1.401298464324817e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1, 0.5];
const DOUBLES = [NaN, -0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 2.2250738585072014e-308];

function genValue(rng: Rng, type: DataType): Value {
  if (rng() < 0.08) return null;
  switch (type.root) {
    case "BOOLEAN": return rng() < 0.5;
    case "TINYINT": return pick(rng, [-128, 127, -1, 0, 1, int(rng, -128, 127)]);
    case "SMALLINT": return pick(rng, [-32768, 32767, -1, 0, 256, int(rng, -32768, 32767)]);
    case "INT": case "DATE": return pick(rng, [-2147483648, 2147483647, -1, 0, 1, 255, 256, int(rng, -3, 3), int(rng, -2147483648, 2147483647)]);
    case "TIME": return pick(rng, [0, 86399999, int(rng, 0, 86399999)]);
    case "BIGINT": return pick(rng, [-(2n ** 63n), 2n ** 63n - 1n, -1n, 0n, 1n, BigInt(int(rng, -5, 5)), BigInt(int(rng, -2147483648, 2147483647)) * 4294967296n + BigInt(int(rng, 0, 4294967295))]);
    case "FLOAT": return rng() < 0.6 ? pick(rng, FLOATS) : Math.fround((rng() - 0.5) * 10 ** int(rng, -40, 38));
    case "DOUBLE": return rng() < 0.6 ? pick(rng, DOUBLES) : (rng() - 0.5) * 10 ** int(rng, -300, 300);
    case "DECIMAL": {
      const max = 10n ** BigInt(type.precision!) - 1n;
      const r = BigInt(Math.floor(rng() * 2 ** 52)) * BigInt(Math.floor(rng() * 2 ** 52)) * BigInt(Math.floor(rng() * 2 ** 30));
      return pick(rng, [max, -max, 0n, 1n, -1n, BigInt(int(rng, -1000, 1000)), (rng() < 0.5 ? -1n : 1n) * (r % max)]);
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const millis = pick(rng, [-1, 0, 1, -8640000000000000, 8640000000000000, int(rng, -3, 3), int(rng, -(2 ** 52), 2 ** 52), int(rng, -(2 ** 31), 2 ** 33)]);
      const nanos = type.precision! <= 3 ? 0 : pick(rng, [0, 1, 999999, int(rng, 0, 999999)]);
      return timestamp(millis, nanos);
    }
    case "CHAR": case "VARCHAR": return genString(rng);
    case "BINARY": case "VARBINARY": return genBytes(rng);
    default: throw new Error(`no generator for ${type.root}`);
  }
}

const SEQS = [0n, 1n, 2n, -1n, SEQUENCE_NUMBER_MIN, SEQUENCE_NUMBER_MAX, 255n, 256n, 4294967296n];

function genRecords(rng: Rng, types: DataType[], count: number): Rec[] {
  const recs: Rec[] = [];
  for (let i = 0; i < count; i++) {
    const seq = rng() < 0.5 ? pick(rng, SEQS) : BigInt(int(rng, 0, 1000));
    if (recs.length > 0 && rng() < 0.25) recs.push({ values: pick(rng, recs).values, seq }); // same key, another sequence
    else recs.push({ values: types.map((t) => genValue(rng, t)), seq });
  }
  return recs;
}

// ---- tests ------------------------------------------------------------------------------------

describe("byte layout", () => {
  test("INT key: marker, sign-flipped big-endian, inverted sequence tail", () => {
    assert.equal(toHex(encodeKey([T("INT")], [1], 0n)), "01" + "80000001" + "7fffffffffffffff");
    assert.equal(toHex(encodeKey([T("INT")], [-1], 1n)), "01" + "7fffffff" + "7ffffffffffffffe");
    assert.equal(toHex(encodeKey([T("INT")], [null], SEQUENCE_NUMBER_MAX)), "00" + "0000000000000000");
    assert.equal(toHex(encodeKey([T("INT")], [null], SEQUENCE_NUMBER_MIN)), "00" + "ffffffffffffffff");
  });
  test("strings escape 0x00 as 00 ff and end with 00 00", () => {
    assert.equal(toHex(encodeKey([T("STRING"), T("STRING")], ["a\0b", ""], 0n)), "01" + "6100ff620000" + "01" + "0000" + "7fffffffffffffff");
  });
  test("'a' < 'a\\0' < 'ab' < 'b', and '' < '\\0'", () => {
    const codec = createKeyCodec([T("STRING"), T("INT")]);
    const keys = ["", "\0", "a", "a\0", "a\0\0", "a\x01", "ab", "b"].map((s) => codec.encode([s, 0], 0n));
    for (let i = 1; i < keys.length; i++) assert.ok(compareBytes(keys[i - 1]!, keys[i]!) < 0, `key ${i - 1} < key ${i}`);
  });
  test("equal keys: larger sequence number first; key part unchanged", () => {
    const codec = createKeyCodec([T("BIGINT")]);
    const newer = codec.encode([5n], 10n), older = codec.encode([5n], 9n);
    assert.ok(compareBytes(newer, older) < 0);
    assert.equal(toHex(keyPart(newer)), toHex(keyPart(older)));
    assert.equal(keyPartLength(newer), 9);
    assert.equal(keySequenceNumber(newer), 10n);
    for (const s of SEQS) assert.equal(keySequenceNumber(codec.encode([1n], s)), s);
  });
  test("floats follow Java's Float.compare: -Inf < -0.0 < 0.0 < +Inf < NaN", () => {
    for (const t of ["FLOAT", "DOUBLE"]) {
      const codec = createKeyCodec([T(t)]);
      const keys = [-Infinity, -1, -0, 0, 1e-45, 1, Infinity, NaN].map((v) => codec.encodeKeyPart([v]));
      for (let i = 1; i < keys.length; i++) assert.ok(compareBytes(keys[i - 1]!, keys[i]!) < 0, `${t} ${i}`);
    }
  });
  test("types that are not orderable are LakeError(unsupported)", () => {
    const nested: DataType[] = [
      { root: "ARRAY", nullable: true, element: T("INT") },
      { root: "MAP", nullable: true, key: T("INT"), value: T("INT") },
      { root: "MULTISET", nullable: true, element: T("INT") },
      { root: "ROW", nullable: true, fields: [{ id: 0, name: "a", type: T("INT") }] },
      { root: "VECTOR", nullable: true, element: T("FLOAT"), length: 2 },
      T("VARIANT"), T("BLOB"),
    ];
    for (const t of nested) assert.throws(() => createKeyCodec([T("INT"), t]), (e) => isLakeError(e, "unsupported"), t.root);
  });
  test("invalid values and sequence numbers are LakeError(invalid_argument)", () => {
    const codec = createKeyCodec([T("INT"), T("STRING")]);
    assert.throws(() => codec.encode([1, 2 as unknown as Value], 0n), /field 1 \(STRING\) expects a string/);
    assert.throws(() => codec.encode([1], 0n), /1 values for 2 key fields/);
    assert.throws(() => codec.encode([1, "a"], 2n ** 63n), (e) => isLakeError(e, "invalid_argument"));
    assert.throws(() => codec.decode(fromHex("01800000")), (e) => isLakeError(e, "corruption"));
    assert.throws(() => codec.decodeKeyPart(fromHex("0180000001016100aa")), /bad escape/);
  });
});

const SCHEMAS: [string, string[]][] = [
  ["strings", ["STRING"]],
  ["binary then int", ["BYTES", "INT"]],
  ["integers", ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT"]],
  ["floating", ["FLOAT", "DOUBLE"]],
  ["decimals", ["DECIMAL(10, 2)", "DECIMAL(38, 5)", "DECIMAL(19, 0)"]],
  ["time types", ["TIMESTAMP(3)", "TIMESTAMP(9)", "TIMESTAMP(6) WITH LOCAL TIME ZONE", "DATE", "TIME"]],
  ["everything", ["VARCHAR(10)", "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE", "TIME",
    "TIMESTAMP(0)", "TIMESTAMP(9)", "DECIMAL(5, 2)", "DECIMAL(30, 2)", "CHAR(3)", "BINARY(4)", "VARBINARY(8)"]],
];

describe("property: memcmp order == Java order, sequence descending", () => {
  for (const [name, typeNames] of SCHEMAS) {
    test(name, () => {
      const types = typeNames.map(T);
      const rng = seededRandom(0x5eed + name.length * 7919);
      const recs = genRecords(rng, types, 400);
      const codec = createKeyCodec(types);
      const enc = recs.map((r) => codec.encode(r.values, r.seq));
      let mismatches = 0, equalKeys = 0;
      for (let i = 0; i < recs.length; i++) {
        const decoded = codec.decode(enc[i]!);
        assert.deepEqual(decoded, { values: recs[i]!.values, sequenceNumber: recs[i]!.seq }, `decode ${i}`);
        for (let j = i + 1; j < recs.length; j++) {
          const want = recordCompare(types, recs[i]!, recs[j]!);
          const got = sign(compareBytes(enc[i]!, enc[j]!));
          if (want !== got) mismatches++;
          const sameKey = keyCompare(types, recs[i]!, recs[j]!) === 0;
          const ki = keyPart(enc[i]!), kj = keyPart(enc[j]!);
          if (sameKey) equalKeys++;
          assert.equal(compareBytes(ki, kj) === 0, sameKey, `key parts equal iff keys equal (${i}, ${j})`);
          if (!sameKey) {
            const [short, long] = ki.length <= kj.length ? [ki, kj] : [kj, ki];
            assert.ok(compareBytes(short, long.subarray(0, short.length)) !== 0, `prefix-free (${i}, ${j})`);
          }
        }
      }
      assert.equal(mismatches, 0, `${mismatches} pairs ordered differently`);
      assert.ok(equalKeys > 50, `the corpus has equal keys with different sequence numbers (${equalKeys})`);
      // Sorting by bytes gives a sequence the reference comparator accepts as sorted.
      const order = recs.map((_, i) => i).sort((a, b) => compareBytes(enc[a]!, enc[b]!));
      for (let k = 1; k < order.length; k++) assert.ok(recordCompare(types, recs[order[k - 1]!]!, recs[order[k]!]!) <= 0);
    });
  }
});

test("reference comparator sanity: it can disagree with naive JS order", () => {
  // UTF-16 order puts U+FFFF after U+1F600's surrogates; UTF-8/code point order does not.
  assert.ok("\uffff" > "😀");
  assert.equal(codePointCompare("\uffff", "😀"), -1);
  assert.equal(unsignedCompare(utf8Encode("\uffff"), utf8Encode("😀")), -1);
  assert.equal(javaFloatingCompare(-0, 0, false), -1);
  assert.equal(javaFloatingCompare(NaN, Infinity, true), 1);
  assert.equal(javaFloatingCompare(NaN, NaN, true), 0);
});
