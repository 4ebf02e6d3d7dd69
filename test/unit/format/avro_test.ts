// Goal: our portable Avro (schema, binary datum, resolution, codecs, container) encodes and
// decodes every construct exactly, rejects damaged input with LakeError("corruption"), and
// prints schemas the way Java does.
// Method: hand-checked byte vectors from the Avro spec (zig-zag varints, blocks), seeded random
// round trips (int64 extremes included), round trips of one schema that uses every construct
// (with and without negative-count blocks), resolution between differing schemas, container
// round trips per codec, and truncation / bit-flip sweeps over real container bytes.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { AvroReader, AvroWriter, type AvroValue } from "../../../src/format/avro/binary.ts";
import { compileDecoder, compileEncoder, compileSkipper } from "../../../src/format/avro/datum.ts";
import { compileResolvingDecoder } from "../../../src/format/avro/resolve.ts";
import { avroSchemaFromJson, avroSchemaToJson, parseAvroSchema, type AvroRecordSchema } from "../../../src/format/avro/schema.ts";
import { AVRO_CODECS, compressAvroBlock, decompressAvroBlock, parseAvroCodec } from "../../../src/format/avro/codecs.ts";
import { readAvroContainer, readAvroContainerHeader, writeAvroContainer } from "../../../src/format/avro/container.ts";
import { crc32 } from "../../../src/util/crc32.ts";
import { snappyCompress } from "../../../src/format/avro/snappy.ts";
import { isLakeError } from "../../../src/errors.ts";
import { fromHex, toHex, utf8Encode } from "../../../src/util/bytes.ts";
import { snappyUncompress } from "hyparquet";

/** Deep copy with plain prototypes, so decoded (null-prototype) records compare with literals. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, plain(x)]));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

function encodeWith(schemaJson: unknown, value: unknown, options = {}): Uint8Array {
  const w = new AvroWriter(8);
  compileEncoder(avroSchemaFromJson(schemaJson), options)(w, value, "$");
  return w.toBytes();
}

function decodeWith(schemaJson: unknown, bytes: Uint8Array): AvroValue {
  const r = new AvroReader(bytes);
  const v = compileDecoder(avroSchemaFromJson(schemaJson))(r);
  assert.equal(r.remaining(), 0, "decoder must consume every byte");
  return v;
}

function throwsCode(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => isLakeError(e) && e.code === code && (pattern === undefined || pattern.test(e.message)));
}

async function rejectsCode(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => isLakeError(e) && e.code === code && (pattern === undefined || pattern.test(e.message)));
}

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

describe("binary primitives", () => {
  test("zig-zag varints match the Avro spec examples", () => {
    const cases: [number, string][] = [[0, "00"], [-1, "01"], [1, "02"], [-2, "03"], [2, "04"], [-64, "7f"], [64, "8001"], [2147483647, "feffffff0f"], [-2147483648, "ffffffff0f"]];
    for (const [n, hex] of cases) {
      assert.equal(toHex(encodeWith("int", n)), hex, `int ${n}`);
      assert.equal(toHex(encodeWith("long", BigInt(n))), hex, `long ${n}`);
      assert.equal(decodeWith("int", fromHex(hex)), n);
      assert.equal(decodeWith("long", fromHex(hex)), BigInt(n));
    }
    assert.equal(toHex(encodeWith("long", LONG_MAX)), "feffffffffffffffff01");
    assert.equal(toHex(encodeWith("long", LONG_MIN)), "ffffffffffffffffff01");
  });

  test("long round trips at int64 extremes and across every magnitude", () => {
    const rnd = seededRandom(7);
    const values = [LONG_MIN, LONG_MIN + 1n, LONG_MAX, LONG_MAX - 1n, 0n, -1n, 1n, (1n << 53n), -(1n << 53n), (1n << 49n) - 1n, 1n << 49n];
    for (let bits = 0; bits < 64; bits++) {
      for (let k = 0; k < 8; k++) {
        let v = BigInt(Math.floor(rnd() * 2 ** 30)) * BigInt(Math.floor(rnd() * 2 ** 30)) + BigInt(Math.floor(rnd() * 2 ** 10));
        v &= (1n << BigInt(bits)) - 1n;
        values.push(rnd() < 0.5 ? v : -v - 1n);
      }
    }
    const w = new AvroWriter(4);
    for (const v of values) w.writeLong(v);
    const r = new AvroReader(w.toBytes());
    for (const v of values) assert.equal(r.readLong(), v);
    assert.equal(r.remaining(), 0);
  });

  test("out-of-range values are rejected on write", () => {
    throwsCode(() => new AvroWriter().writeLong(LONG_MAX + 1n), "invalid_argument");
    throwsCode(() => new AvroWriter().writeLong(LONG_MIN - 1n), "invalid_argument");
    throwsCode(() => new AvroWriter().writeInt(2147483648), "invalid_argument");
    throwsCode(() => new AvroWriter().writeInt(1.5), "invalid_argument");
  });

  test("overlong and truncated varints are corruption", () => {
    throwsCode(() => new AvroReader(fromHex("ffffffff1f")).readInt(), "corruption", /32 bits/);
    throwsCode(() => new AvroReader(fromHex("ffffffffffffffffff02")).readLong(), "corruption", /64 bits/);
    throwsCode(() => new AvroReader(fromHex("8080")).readLong(), "corruption", /unexpected end/);
    throwsCode(() => new AvroReader(fromHex("08616263")).readString(), "corruption", /unexpected end/);
    throwsCode(() => new AvroReader(fromHex("02")).readBoolean(), "corruption");
    throwsCode(() => new AvroReader(fromHex("01")).readBytes(), "corruption", /out of range/);
  });

  test("float, double, strings and bytes use the Avro byte layout", () => {
    assert.equal(toHex(encodeWith("float", 1.5)), "0000c03f");
    assert.equal(toHex(encodeWith("double", -2)), "00000000000000c0");
    assert.equal(toHex(encodeWith("string", "héllo")), "0c68c3a96c6c6f");
    const long = "ü".repeat(100);
    assert.equal(decodeWith("string", encodeWith("string", long)), long);
    assert.equal(toHex(encodeWith("bytes", fromHex("00ff"))), "0400ff");
    assert.ok(Number.isNaN(decodeWith("double", encodeWith("double", Number.NaN)) as number));
  });
});

const EVERY_CONSTRUCT = {
  type: "record",
  name: "Everything",
  namespace: "test.ns",
  fields: [
    { name: "n", type: "null" },
    { name: "b", type: "boolean" },
    { name: "i", type: "int" },
    { name: "l", type: "long" },
    { name: "f", type: "float" },
    { name: "d", type: "double" },
    { name: "by", type: "bytes" },
    { name: "s", type: "string" },
    { name: "e", type: { type: "enum", name: "Color", symbols: ["RED", "GREEN", "BLUE"] } },
    { name: "fx", type: { type: "fixed", name: "Md5", namespace: "other.ns", size: 4 } },
    { name: "fx2", type: "other.ns.Md5" },
    { name: "e2", type: "Color" },
    { name: "arr", type: { type: "array", items: "long" } },
    { name: "m", type: { type: "map", values: ["null", "string"] } },
    { name: "u", type: ["null", "int", "string", "Color", { type: "array", items: "int" }] },
    { name: "ts", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "dec", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
    { name: "inner", type: { type: "record", name: "Inner", fields: [{ name: "x", type: "int" }, { name: "y", type: ["null", "Inner"], default: null }] } },
    { name: "list", type: { type: "array", items: "Inner" } },
  ],
};

function everyConstructValue(seed: number): Record<string, unknown> {
  const rnd = seededRandom(seed);
  const int = () => Math.floor(rnd() * 2 ** 32) - 2 ** 31;
  return {
    n: null,
    b: rnd() < 0.5,
    i: int(),
    l: rnd() < 0.3 ? LONG_MIN : rnd() < 0.5 ? LONG_MAX : BigInt(int()) * 4096n,
    f: Math.fround(rnd() * 100),
    d: rnd() * 1e300,
    by: Uint8Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 256)),
    s: "s" + "é".repeat(Math.floor(rnd() * 40)),
    e: ["RED", "GREEN", "BLUE"][Math.floor(rnd() * 3)],
    fx: Uint8Array.of(1, 2, 3, 4),
    fx2: Uint8Array.of(9, 8, 7, 6),
    e2: "BLUE",
    arr: Array.from({ length: Math.floor(rnd() * 10) }, () => BigInt(int())),
    m: new Map<string, string | null>([["a", "x"], ["b", null], ["ключ", "значение"]]),
    u: [null, 5, "str", "GREEN", [1, 2, 3]][Math.floor(rnd() * 5)],
    ts: 1756228937506n,
    dec: fromHex("0102"),
    inner: { x: 1, y: { x: 2, y: { x: 3, y: null } } },
    list: [{ x: 7, y: null }, { x: 8, y: { x: 9, y: null } }],
  };
}

describe("schema", () => {
  test("parses every construct, resolves names through namespaces, and prints like Java", () => {
    const schema = avroSchemaFromJson(EVERY_CONSTRUCT) as AvroRecordSchema;
    assert.equal(schema.name, "test.ns.Everything");
    const byName = new Map(schema.fields.map((f) => [f.name, f.type]));
    assert.equal(byName.get("fx2"), byName.get("fx"), "reference yields the defined object");
    assert.equal((byName.get("fx") as { name: string }).name, "other.ns.Md5");
    assert.equal((byName.get("e") as { name: string }).name, "test.ns.Color");
    const inner = byName.get("inner") as AvroRecordSchema;
    assert.equal(inner.name, "test.ns.Inner");
    const y = inner.fields[1]!.type as unknown as { branches: unknown[] };
    assert.equal(y.branches[1], inner, "recursive reference is the record itself");
    const json = avroSchemaToJson(schema);
    assert.equal(avroSchemaToJson(parseAvroSchema(json)), json, "printing is a normal form");
    assert.ok(json.startsWith('{"type":"record","name":"Everything","namespace":"test.ns","fields":[{"name":"n","type":"null"}'));
    assert.ok(json.includes('{"name":"fx","type":{"type":"fixed","name":"Md5","namespace":"other.ns","size":4}}'));
    assert.ok(json.includes('{"name":"fx2","type":"other.ns.Md5"}'));
    assert.ok(json.includes('{"name":"e2","type":"Color"}'));
    assert.ok(json.includes('{"type":"long","logicalType":"timestamp-millis"}'));
    assert.ok(json.includes('"y","type":["null","Inner"],"default":null'));
  });

  test("invalid schemas are invalid_argument naming the problem", () => {
    throwsCode(() => parseAvroSchema("{"), "invalid_argument", /JSON/);
    assert.deepEqual(parseAvroSchema('"int"'), { type: "int" });
    throwsCode(() => avroSchemaFromJson("nosuch"), "invalid_argument", /unknown type "nosuch"/);
    throwsCode(() => avroSchemaFromJson(["null", ["int"]]), "invalid_argument", /union/);
    throwsCode(() => avroSchemaFromJson(["int", "int"]), "invalid_argument", /two branches/);
    throwsCode(() => avroSchemaFromJson({ type: "record", name: "R", fields: [{ name: "a", type: "int" }, { name: "a", type: "int" }] }), "invalid_argument", /duplicate field/);
    throwsCode(() => avroSchemaFromJson({ type: "record", name: "1R", fields: [] }), "invalid_argument", /invalid name/);
    throwsCode(() => avroSchemaFromJson({ type: "enum", name: "E", symbols: ["A", "A"] }), "invalid_argument", /duplicate symbols/);
    throwsCode(() => avroSchemaFromJson({ type: "fixed", name: "F", size: -1 }), "invalid_argument", /size/);
    throwsCode(() => avroSchemaFromJson([{ type: "fixed", name: "F", size: 1 }, { type: "fixed", name: "F", size: 2 }]), "invalid_argument", /defined twice/);
  });
});

describe("datum encode/decode", () => {
  const schema = avroSchemaFromJson(EVERY_CONSTRUCT);
  for (const [label, options] of [["one block", {}], ["negative-count blocks of 2", { blockByteSizes: true, blockItemCountMax: 2 }], ["blocks of 1", { blockItemCountMax: 1 }]] as const) {
    test(`every construct round trips (${label})`, () => {
      const encode = compileEncoder(schema, options);
      const decode = compileDecoder(schema);
      const skip = compileSkipper(schema);
      for (let seed = 1; seed <= 40; seed++) {
        const value = everyConstructValue(seed);
        const w = new AvroWriter(16);
        encode(w, value, "$");
        encode(w, value, "$");
        const bytes = w.toBytes();
        const r = new AvroReader(bytes);
        assert.deepEqual(plain(decode(r)), value);
        skip(r); // the second copy: the skipper must land exactly at the end
        assert.equal(r.remaining(), 0);
      }
    });
  }

  test("negative block counts carry the block byte size", () => {
    const bytes = encodeWith({ type: "array", items: "int" }, [1, 2, 3], { blockByteSizes: true });
    assert.equal(toHex(bytes), "05" + "06" + "020406" + "00"); // -3 items, 3 bytes, items, end
    assert.deepEqual(decodeWith({ type: "array", items: "int" }, fromHex("0506020406" + "0102" + "0a" + "00")), [1, 2, 3, 5]);
    throwsCode(() => decodeWith({ type: "array", items: "int" }, fromHex("0508020406" + "00")), "corruption", /declared 4 bytes/);
  });

  test("a block count larger than the data is corruption, not a long loop", () => {
    throwsCode(() => decodeWith({ type: "array", items: "long" }, fromHex("feffffff0f00")), "corruption", /does not fit/);
    throwsCode(() => decodeWith({ type: "array", items: "null" }, fromHex("feffffffff0f")), "corruption", /does not fit/);
  });

  test("type mismatches name the path", () => {
    throwsCode(() => encodeWith(EVERY_CONSTRUCT, { ...everyConstructValue(1), l: 5 }), "invalid_argument", /\$\.l must be a long \(bigint\)/);
    throwsCode(() => encodeWith(EVERY_CONSTRUCT, { ...everyConstructValue(1), list: [{ x: "no" }] }), "invalid_argument", /\$\.list\[0\]\.x/);
    throwsCode(() => encodeWith(EVERY_CONSTRUCT, { ...everyConstructValue(1), e: "PINK" }), "invalid_argument", /\$\.e/);
    throwsCode(() => encodeWith(EVERY_CONSTRUCT, { ...everyConstructValue(1), u: true }), "invalid_argument", /\$\.u must be one of union/);
    throwsCode(() => encodeWith(EVERY_CONSTRUCT, { ...everyConstructValue(1), fx: Uint8Array.of(1) }), "invalid_argument", /fixed\(4\)/);
  });

  test("union index out of range and bad enum index are corruption", () => {
    throwsCode(() => decodeWith(["null", "int"], fromHex("04")), "corruption", /union branch index 2/);
    throwsCode(() => decodeWith({ type: "enum", name: "E", symbols: ["A"] }, fromHex("02")), "corruption", /index 1/);
  });
});

describe("schema resolution", () => {
  const writer = {
    type: "record",
    name: "W",
    fields: [
      { name: "keep", type: "int" },
      { name: "dropArr", type: { type: "array", items: { type: "map", values: "string" } } },
      { name: "promote", type: "int" },
      { name: "toDouble", type: "long" },
      { name: "nullableRec", type: ["null", { type: "record", name: "In", fields: [{ name: "a", type: "string" }, { name: "gone", type: "double" }] }] },
      { name: "color", type: { type: "enum", name: "C", symbols: ["A", "B", "Z"] } },
      { name: "text", type: "string" },
    ],
  };
  const reader = {
    type: "record",
    name: "R", // names differ: Paimon ignores record names
    fields: [
      { name: "promote", type: "long" },
      { name: "keep", type: "int" },
      { name: "added", type: ["null", "long"], default: null },
      { name: "addedDefault", type: "long", default: 42 },
      { name: "addedNoDefault", type: "string" },
      { name: "toDouble", type: "double" },
      { name: "nullableRec", type: { type: "record", name: "Other", fields: [{ name: "a", type: "string" }, { name: "b", type: ["null", "int"], default: null }] } },
      { name: "color", type: { type: "enum", name: "C", symbols: ["A", "B", "OTHER"], default: "OTHER" } },
      { name: "renamed", aliases: ["text"], type: "bytes" },
    ],
  };
  const value = (rec: unknown) => ({
    keep: 7,
    dropArr: [new Map([["k", "v"]]), new Map()],
    promote: -5,
    toDouble: 1n << 40n,
    nullableRec: rec,
    color: "Z",
    text: "hi",
  });

  test("fields map by name; missing read as default or null; extra ones are skipped", () => {
    const decode = compileResolvingDecoder(avroSchemaFromJson(writer), avroSchemaFromJson(reader));
    for (const opts of [{}, { blockByteSizes: true }]) {
      const r = new AvroReader(encodeWith(writer, value({ a: "x", gone: 1.5 }), opts));
      assert.deepEqual(plain(decode(r)), {
        promote: -5n,
        keep: 7,
        added: null,
        addedDefault: 42n,
        addedNoDefault: null,
        toDouble: 2 ** 40,
        nullableRec: { a: "x", b: null },
        color: "OTHER",
        renamed: utf8Encode("hi"),
      });
      assert.equal(r.remaining(), 0);
    }
  });

  test("a written null read into a non-null record fails only when the data holds one", () => {
    const decode = compileResolvingDecoder(avroSchemaFromJson(writer), avroSchemaFromJson(reader));
    throwsCode(() => decode(new AvroReader(encodeWith(writer, value(null)))), "corruption", /null cannot be read as record/);
  });

  test("a non-union writer type reads into the matching reader union branch", () => {
    const decode = compileResolvingDecoder(avroSchemaFromJson("int"), avroSchemaFromJson(["null", "string", "long"]));
    assert.equal(decode(new AvroReader(fromHex("03"))), -2n);
  });

  test("a record pair that failed to resolve inside a union is not reused half-built", () => {
    const w = { type: "record", name: "W", fields: [{ name: "x", type: "string" }] };
    const r = { type: "record", name: "R", fields: [{ name: "x", type: "long" }] };
    const writerTop = { type: "record", name: "T", fields: [{ name: "a", type: ["null", w] }, { name: "b", type: "W" }] };
    const readerTop = { type: "record", name: "T", fields: [{ name: "a", type: ["null", r] }, { name: "b", type: "R" }] };
    throwsCode(() => compileResolvingDecoder(avroSchemaFromJson(writerTop), avroSchemaFromJson(readerTop)), "corruption", /\$\.b\.x: written type string/);
  });

  test("incompatible types are corruption at compile time", () => {
    throwsCode(() => compileResolvingDecoder(avroSchemaFromJson("string"), avroSchemaFromJson("long")), "corruption", /string cannot be read as long/);
    throwsCode(
      () => compileResolvingDecoder(avroSchemaFromJson({ type: "fixed", name: "F", size: 2 }), avroSchemaFromJson({ type: "fixed", name: "F", size: 3 })),
      "corruption",
    );
  });
});

describe("codecs", () => {
  test("crc32 check value", () => {
    assert.equal(crc32(utf8Encode("123456789")), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  test("snappy compressor output decodes with hyparquet and compresses repetitive data", () => {
    const rnd = seededRandom(3);
    const inputs = [new Uint8Array(0), Uint8Array.of(1), utf8Encode("abcdabcdabcdabcdabcdabcdabcd"), new Uint8Array(200000).fill(7)];
    for (const n of [15, 16, 100, 65535, 65536, 65537, 300000]) {
      inputs.push(Uint8Array.from({ length: n }, (_, i) => (rnd() < 0.7 ? i % 251 : Math.floor(rnd() * 256))));
      inputs.push(Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256)));
    }
    for (const input of inputs) {
      const c = snappyCompress(input);
      const out = new Uint8Array(input.length);
      snappyUncompress(c, out);
      assert.deepEqual(out, input, `length ${input.length}`);
    }
    assert.ok(snappyCompress(new Uint8Array(200000).fill(7)).length < 10000);
  });

  for (const codec of AVRO_CODECS) {
    test(`${codec} block round trip, and garbage is corruption`, async () => {
      const rnd = seededRandom(11);
      const data = Uint8Array.from({ length: 70000 }, (_, i) => (rnd() < 0.5 ? i & 0xff : Math.floor(rnd() * 256)));
      const packed = await compressAvroBlock(codec, data, { zstdLevel: 3 });
      assert.deepEqual(await decompressAvroBlock(codec, packed), data);
      if (codec !== "null") await rejectsCode(decompressAvroBlock(codec, fromHex("ff00ff00ff00ff00ff")), "corruption", new RegExp(codec));
    });
  }

  test("snappy CRC mismatch is corruption", async () => {
    const packed = await compressAvroBlock("snappy", utf8Encode("hello hello hello"));
    packed[packed.length - 1]! ^= 1;
    await rejectsCode(decompressAvroBlock("snappy", packed), "corruption", /CRC-32 mismatch/);
  });

  test("unknown codecs are unsupported", () => {
    throwsCode(() => parseAvroCodec("bzip2"), "unsupported", /bzip2/);
    throwsCode(() => parseAvroCodec("xz"), "unsupported", /xz/);
  });
});

describe("container", () => {
  const schema = avroSchemaFromJson(EVERY_CONSTRUCT);
  const records = Array.from({ length: 300 }, (_, i) => everyConstructValue(i + 1));

  for (const codec of AVRO_CODECS) {
    test(`round trip with codec ${codec}, several blocks`, async () => {
      const sync = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
      const bytes = await writeAvroContainer(schema, records, { codec, syncMarker: sync, blockBytesTarget: 4000 });
      const header = readAvroContainerHeader(bytes);
      assert.equal(header.codec, codec);
      assert.deepEqual(header.syncMarker, sync);
      assert.equal(header.schemaJson, avroSchemaToJson(schema));
      assert.deepEqual([...header.metadata.keys()], ["avro.schema", "avro.codec"]);
      const { records: back } = await readAvroContainer(bytes);
      assert.deepEqual(plain(back), records);
    });
  }

  test("an empty file is the header only and reads as no records", async () => {
    const bytes = await writeAvroContainer(schema, [], { codec: "zstandard" });
    const header = readAvroContainerHeader(bytes);
    assert.equal(header.dataStart, bytes.length);
    assert.deepEqual((await readAvroContainer(bytes)).records, []);
  });

  test("bad magic, truncation and sync damage are corruption", async () => {
    const bytes = await writeAvroContainer(schema, records.slice(0, 40), { codec: "deflate", blockBytesTarget: 1500 });
    throwsCode(() => readAvroContainerHeader(fromHex("4f626a02")), "corruption", /bad magic/);
    throwsCode(() => readAvroContainerHeader(new Uint8Array(0)), "corruption", /bad magic/);
    // Every strict prefix fails, except those ending exactly after a block's sync marker,
    // which are valid shorter files (Avro cannot tell); those must give fewer records.
    let clean = 0;
    for (let n = 0; n < bytes.length; n++) {
      try {
        const { records: got } = await readAvroContainer(bytes.subarray(0, n));
        assert.ok(got.length < 40);
        clean++;
      } catch (e) {
        assert.ok(isLakeError(e, "corruption"), `prefix ${n}: ${String(e)}`);
      }
    }
    assert.ok(clean >= 2 && clean < 40, `${clean} block-boundary prefixes`);
    const header = readAvroContainerHeader(bytes);
    const damaged = bytes.slice();
    damaged[damaged.length - 3]! ^= 0x40; // inside the final sync marker
    await rejectsCode(readAvroContainer(damaged), "corruption", /sync marker mismatch/);
    const noSchema = bytes.slice();
    noSchema.set(utf8Encode("avro.schemX"), 6);
    throwsCode(() => readAvroContainerHeader(noSchema), "corruption", /no avro.schema/);
    assert.ok(header.dataStart > 0);
  });

  test("a block whose records do not fill it exactly is corruption", async () => {
    const s = avroSchemaFromJson("int");
    const good = await writeAvroContainer(s, [1, 2], { codec: "null", syncMarker: new Uint8Array(16) });
    const header = readAvroContainerHeader(good);
    // Block: count 2 -> claim 1 record: one byte of the block is left over.
    const bad = good.slice();
    assert.equal(bad[header.dataStart], 4);
    bad[header.dataStart] = 2;
    await rejectsCode(readAvroContainer(bad), "corruption", /1 bytes after its 1 records/);
  });
});
