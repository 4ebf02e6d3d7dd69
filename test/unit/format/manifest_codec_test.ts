// Goal: the manifest codec round-trips every field (all optional fields set, int64 extremes),
// maps manifest.compression to the Avro codec Java writes, reads older and future layouts by field
// name, rejects ORC/Parquet manifests, bad versions and damaged records with clear LakeErrors, and
// the live-file fold follows Java's FileEntry.mergeEntries.
// Method: synthetic entries through encode/decode; hand-built Avro files in older, broken and
// future layouts written with our container writer; fold scenarios including upgrade compaction.
import { assert, describe, test } from "../../harness.ts";
import {
  avroCodecForCompression,
  decodeIndexManifest,
  decodeManifest,
  decodeManifestList,
  encodeIndexManifest,
  encodeManifest,
  encodeManifestList,
  sniffManifestFormat,
} from "../../../src/format/manifest/manifest_codec.ts";
import { foldLiveFiles, mergeManifestEntries } from "../../../src/format/manifest/live_files.ts";
import { AvroReader } from "../../../src/format/avro/binary.ts";
import { readAvroContainerHeader, writeAvroContainer } from "../../../src/format/avro/container.ts";
import { avroSchemaFromJson } from "../../../src/format/avro/schema.ts";
import type { DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import type { ManifestEntry } from "../../../src/spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../../../src/spec/manifest_file_meta.ts";
import type { IndexManifestEntry } from "../../../src/spec/index_manifest_entry.ts";
import { isLakeError } from "../../../src/errors.ts";
import { fromHex, utf8Encode } from "../../../src/util/bytes.ts";

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const EMPTY_ROW = fromHex("000000000000000000000000");
const EMPTY_STATS = { minValues: EMPTY_ROW, maxValues: EMPTY_ROW, nullCounts: [] };

function file(name: string, over: Partial<DataFileMeta> = {}): DataFileMeta {
  return {
    fileName: name,
    fileSize: 1234n,
    rowCount: 10n,
    minKey: EMPTY_ROW,
    maxKey: EMPTY_ROW,
    keyStats: EMPTY_STATS,
    valueStats: EMPTY_STATS,
    minSequenceNumber: 0n,
    maxSequenceNumber: 9n,
    schemaId: 0n,
    level: 0,
    extraFiles: [],
    creationTime: 1756228937506n,
    deleteRowCount: 0n,
    embeddedIndex: null,
    fileSource: 0,
    valueStatsCols: null,
    externalPath: null,
    firstRowId: null,
    writeCols: null,
    columnMaxSequenceNumbers: null,
    ...over,
  };
}

function entry(kind: 0 | 1, f: DataFileMeta, over: Partial<ManifestEntry> = {}): ManifestEntry {
  return { kind, partition: fromHex("00000001" + "0000000000000000" + "0a00000000000000"), bucket: 1, totalBuckets: 2, file: f, ...over };
}

const FULL_FILE = file("data-full.parquet", {
  fileSize: LONG_MAX,
  rowCount: LONG_MAX,
  minKey: fromHex("00000001000000000000000041000000000000810100"),
  keyStats: { minValues: fromHex("00000001"), maxValues: fromHex("00000002"), nullCounts: [0n, null, LONG_MAX] },
  valueStats: { minValues: EMPTY_ROW, maxValues: EMPTY_ROW, nullCounts: null },
  minSequenceNumber: LONG_MIN,
  maxSequenceNumber: LONG_MAX,
  schemaId: 7n,
  level: 5,
  extraFiles: ["data-full.parquet.index", "ü"],
  creationTime: -1n,
  deleteRowCount: 3n,
  embeddedIndex: fromHex("deadbeef"),
  fileSource: 1,
  valueStatsCols: [],
  externalPath: "s3://bucket/x/data-full.parquet",
  firstRowId: 100n,
  writeCols: ["a", "b"],
  columnMaxSequenceNumbers: [1n, LONG_MIN],
});

const META: ManifestFileMeta = {
  fileName: "manifest-x-0",
  fileSize: 2042n,
  numAddedFiles: 3n,
  numDeletedFiles: 1n,
  partitionStats: { minValues: EMPTY_ROW, maxValues: EMPTY_ROW, nullCounts: [] },
  schemaId: 0n,
  minBucket: 0,
  maxBucket: 1,
  minLevel: 0,
  maxLevel: 5,
  minRowId: LONG_MIN,
  maxRowId: LONG_MAX,
};

const INDEX_ENTRY: IndexManifestEntry = {
  kind: 0,
  partition: EMPTY_ROW,
  bucket: 0,
  indexFile: {
    indexType: "DELETION_VECTORS",
    fileName: "index-x-0",
    fileSize: 61n,
    rowCount: 2n,
    dvRanges: [
      { dataFileName: "data-a.parquet", offset: 1, length: 22, cardinality: 3n },
      { dataFileName: "data-b.parquet", offset: 31, length: 22, cardinality: null },
    ],
    externalPath: "oss://x/index-x-0",
    globalIndex: { rowRangeStart: 0n, rowRangeEnd: LONG_MAX, indexFieldId: 3, extraFieldIds: [4, 5], indexMeta: fromHex("01"), sourceMeta: null },
  },
};

async function rejectsCode(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => isLakeError(e) && e.code === code && (pattern === undefined || pattern.test(e.message)));
}

describe("encode/decode", () => {
  for (const compression of ["zstd", "none", "deflate", "snappy"]) {
    test(`every field round trips (manifest.compression=${compression})`, async () => {
      const entries = [entry(0, FULL_FILE), entry(1, file("data-b.parquet"), { bucket: -2, totalBuckets: -1, partition: EMPTY_ROW })];
      const bytes = await encodeManifest(entries, { compression, zstdLevel: 3 });
      assert.equal(readAvroContainerHeader(bytes).codec, avroCodecForCompression(compression));
      assert.deepEqual(await decodeManifest(bytes), entries);
      assert.deepEqual(await decodeManifestList(await encodeManifestList([META, { ...META, minBucket: null, maxRowId: null }], { compression })), [
        META,
        { ...META, minBucket: null, maxRowId: null },
      ]);
      const other: IndexManifestEntry = { ...INDEX_ENTRY, indexFile: { ...INDEX_ENTRY.indexFile, indexType: "HASH", dvRanges: null, globalIndex: null, externalPath: null } };
      assert.deepEqual(await decodeIndexManifest(await encodeIndexManifest([INDEX_ENTRY, other], { compression })), [INDEX_ENTRY, other]);
    });
  }

  test("the default is zstandard, as Java's manifest.compression=zstd", async () => {
    assert.equal(readAvroContainerHeader(await encodeManifest([])).codec, "zstandard");
    assert.deepEqual(await decodeManifest(await encodeManifest([])), []);
  });

  test("compression names map like Java's AvroFileFormat; others are unsupported", () => {
    assert.equal(avroCodecForCompression("ZSTD"), "zstandard");
    assert.equal(avroCodecForCompression("none"), "null");
    assert.equal(avroCodecForCompression("snappy"), "snappy");
    assert.throws(() => avroCodecForCompression("lz4"), (e: unknown) => isLakeError(e, "unsupported") && /lz4/.test(e.message));
  });

  test("bad values are rejected before writing", async () => {
    await rejectsCode(encodeManifest([{ ...entry(0, FULL_FILE), kind: 2 as 0 }]), "invalid_argument", /kind 2/);
    await rejectsCode(encodeManifest([entry(0, file("x", { fileSource: 7 as 0 }))]), "invalid_argument", /fileSource 7/);
    await rejectsCode(encodeManifest([entry(0, file("x", { level: 1.5 }))]), "invalid_argument", /_LEVEL/);
    await rejectsCode(encodeManifest([entry(0, file("x", { rowCount: 5 as unknown as bigint }))]), "invalid_argument", /_ROW_COUNT must be a long/);
  });
});

describe("layouts, formats and damage", () => {
  test("ORC and Parquet manifests are unsupported and named; other bytes are corruption", async () => {
    await rejectsCode(decodeManifest(utf8Encode("ORC\x0a\x00rest"), { fileName: "manifest-o" }), "unsupported", /manifest-o is a ORC|is a ORC file/);
    await rejectsCode(decodeManifestList(utf8Encode("PAR1....PAR1")), "unsupported", /Parquet/);
    await rejectsCode(decodeIndexManifest(fromHex("00112233")), "corruption", /neither Avro, ORC nor Parquet/);
    assert.equal(sniffManifestFormat(utf8Encode("Obj\x01")), "avro");
  });

  const nullable = (t: unknown) => ["null", t];
  const stats = (name: string) => ({
    type: "record",
    name,
    fields: [{ name: "_MIN_VALUES", type: "bytes" }, { name: "_MAX_VALUES", type: "bytes" }, { name: "_NULL_COUNTS", type: nullable({ type: "array", items: nullable("long") }), default: null }],
  });
  const v04Fields = (withTotal: boolean) => [
    { name: "_VERSION", type: "int" },
    { name: "_KIND", type: "int" },
    { name: "_PARTITION", type: "bytes" },
    { name: "_BUCKET", type: "int" },
    ...(withTotal ? [{ name: "_TOTAL_BUCKETS", type: "int" }] : []),
    {
      name: "_FILE",
      type: nullable({
        type: "record",
        name: "record__FILE",
        fields: [
          { name: "_FILE_NAME", type: "string" },
          { name: "_FILE_SIZE", type: "long" },
          { name: "_ROW_COUNT", type: "long" },
          { name: "_MIN_KEY", type: "bytes" },
          { name: "_MAX_KEY", type: "bytes" },
          { name: "_KEY_STATS", type: nullable(stats("record__FILE__KEY_STATS")), default: null },
          { name: "_VALUE_STATS", type: nullable(stats("record__FILE__VALUE_STATS")), default: null },
          { name: "_MIN_SEQUENCE_NUMBER", type: "long" },
          { name: "_MAX_SEQUENCE_NUMBER", type: "long" },
          { name: "_SCHEMA_ID", type: "long" },
          { name: "_LEVEL", type: "int" },
          { name: "_EXTRA_FILES", type: { type: "array", items: "string" } },
          { name: "_CREATION_TIME", type: nullable({ type: "long", logicalType: "timestamp-millis" }), default: null },
          { name: "_FUTURE_FIELD", type: { type: "map", values: "string" } },
        ],
      }),
      default: null,
    },
  ];
  const v04Schema = (withTotal = true) =>
    avroSchemaFromJson(nullable({ type: "record", name: "record", namespace: "org.apache.paimon.avro.generated", fields: v04Fields(withTotal) }));
  const s = { _MIN_VALUES: EMPTY_ROW, _MAX_VALUES: EMPTY_ROW, _NULL_COUNTS: [] };
  const v04Record = (over: Record<string, unknown> = {}) => ({
    _VERSION: 2,
    _KIND: 0,
    _PARTITION: EMPTY_ROW,
    _BUCKET: 3,
    _TOTAL_BUCKETS: 4,
    _FILE: {
      _FILE_NAME: "data-old.orc",
      _FILE_SIZE: 99n,
      _ROW_COUNT: 5n,
      _MIN_KEY: EMPTY_ROW,
      _MAX_KEY: EMPTY_ROW,
      _KEY_STATS: s,
      _VALUE_STATS: s,
      _MIN_SEQUENCE_NUMBER: 0n,
      _MAX_SEQUENCE_NUMBER: 4n,
      _SCHEMA_ID: 0n,
      _LEVEL: 0,
      _EXTRA_FILES: [],
      _CREATION_TIME: null,
      _FUTURE_FIELD: new Map([["x", "y"]]),
    },
    ...over,
  });

  test("an old nullable layout with an unknown extra field reads by name, null-filling new fields", async () => {
    const bytes = await writeAvroContainer(v04Schema(), [v04Record()], { codec: "snappy" });
    const [e] = await decodeManifest(bytes);
    const expected = file("data-old.orc", { fileSize: 99n, rowCount: 5n, maxSequenceNumber: 4n, creationTime: null, deleteRowCount: null, fileSource: null });
    assert.deepEqual(e, entry(0, expected, { partition: EMPTY_ROW, bucket: 3, totalBuckets: 4 }));
  });

  test("nulls where Paimon requires values, missing required fields and bad values are corruption", async () => {
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(), [null])), "corruption", /null cannot be read as record/);
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(), [v04Record({ _FILE: null })])), "corruption", /_FILE/);
    const f = v04Record()._FILE;
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(), [v04Record({ _FILE: { ...f, _KEY_STATS: null } })])), "corruption", /record__FILE__KEY_STATS|_KEY_STATS/);
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(false), [v04Record()]), { fileName: "m-1" }), "corruption", /m-1 entry 0: required field _TOTAL_BUCKETS/);
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(), [v04Record(), v04Record({ _KIND: 4 })])), "corruption", /entry 1: _KIND 4/);
  });

  test("_VERSION other than 2 (1 for index manifests) is unsupported", async () => {
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(), [v04Record({ _VERSION: 1 })])), "unsupported", /_VERSION 1 .*pre-0.4/);
    await rejectsCode(decodeManifest(await writeAvroContainer(v04Schema(), [v04Record({ _VERSION: 3 })])), "unsupported", /_VERSION 3/);
    const index = await encodeIndexManifest([INDEX_ENTRY], { compression: "none" });
    // _VERSION is the first byte of the only record: 02 (zig-zag 1) -> 04 (2).
    const r = new AvroReader(index, readAvroContainerHeader(index).dataStart);
    r.readLong(); // record count
    r.readLong(); // block byte size
    const at = r.pos;
    assert.equal(index[at], 2);
    const bad = index.slice();
    bad[at] = 4;
    await rejectsCode(decodeIndexManifest(bad), "unsupported", /_VERSION 2 is not supported, expected 1/);
  });

  test("a manifest list record with an incompatible field type is corruption", async () => {
    const schema = avroSchemaFromJson({ type: "record", name: "record", fields: [{ name: "_VERSION", type: "int" }, { name: "_FILE_NAME", type: "long" }] });
    await rejectsCode(decodeManifestList(await writeAvroContainer(schema, [{ _VERSION: 2, _FILE_NAME: 1n }])), "corruption", /_FILE_NAME: written type long cannot be read as string/);
  });
});

describe("live-file fold", () => {
  const a = entry(0, file("data-a.parquet"));
  const b = entry(0, file("data-b.parquet"));

  test("DELETE removes its ADD; an upgrade (DELETE level 0 + ADD level 5) keeps the level-5 file", () => {
    const upgraded = entry(0, file("data-a.parquet", { level: 5 }));
    const live = foldLiveFiles([a, b, { ...a, kind: 1 }, upgraded]);
    assert.deepEqual(live, [b, upgraded]);
  });

  test("the identifier includes partition, bucket, level, extra files, embedded index and external path", () => {
    const variants = [
      entry(0, file("data-a.parquet"), { partition: EMPTY_ROW }),
      entry(0, file("data-a.parquet"), { bucket: 0 }),
      entry(0, file("data-a.parquet", { level: 1 })),
      entry(0, file("data-a.parquet", { extraFiles: ["x"] })),
      entry(0, file("data-a.parquet", { embeddedIndex: fromHex("00") })),
      entry(0, file("data-a.parquet", { externalPath: "s3://a" })),
    ];
    assert.equal(foldLiveFiles([a, ...variants]).length, 7);
    // Fields outside the identifier (row count, stats, ...) do not matter for DELETE matching.
    assert.deepEqual(foldLiveFiles([a, entry(1, file("data-a.parquet", { rowCount: 99n }))]), []);
  });

  test("a duplicate ADD is corruption, also after a remembered DELETE", () => {
    assert.throws(() => foldLiveFiles([a, b, a]), (e: unknown) => isLakeError(e, "corruption") && /already added.*data-a/.test(e.message));
    assert.throws(() => mergeManifestEntries([{ ...a, kind: 1 }, a]), (e: unknown) => isLakeError(e, "corruption") && /already deleted/.test(e.message));
  });

  test("a DELETE whose ADD is not in the batch is kept by merge and ignored by the live fold", () => {
    const orphan = { ...b, kind: 1 as const };
    assert.deepEqual(mergeManifestEntries([orphan, a]), [orphan, a]);
    assert.deepEqual(foldLiveFiles([orphan, a]), [a]);
  });
});
