// Goal: every persisted name is built and parsed exactly as Java builds it, and partition paths
// use Java's Hive escaping, default partition name and unescape quirks.
// Method: vectors worked out from PartitionPathUtils / DataFilePathFactory source, names found
// in the Java-written fixture tables, and a seeded escape/unescape round trip.
import { assert, describe, listFixtureDir, seededRandom, test } from "../../harness.ts";
import {
  branchDir, bucketDirName, compressionFileExtension, consumerFileName, databaseDirName, dataFileName,
  DEFAULT_PARTITION_NAME, encodeHint, escapePartitionPathName, fileIndexFileName, formatIdentifierOfFileName,
  indexFileName, indexManifestFileName, isJavaBlank, manifestFileName, manifestListFileName, parseBucketDirName,
  parseConsumerFileName, parseHint, parsePartitionPath, parseSchemaFileName, parseSnapshotFileName, parseTagFileName,
  partitionPath, schemaFileName, snapshotFileName, statisticsFileName, tagFileName, tempFileName,
  unescapePartitionPathName, changelogMetaFileName, parseChangelogMetaFileName,
} from "../../../src/spec/paths.ts";

const UUID = "c63559b0-8ebb-4bf9-8e0c-91062d5e7391";

describe("metadata names", () => {
  test("snapshot, schema, changelog, hints", () => {
    assert.equal(snapshotFileName(12n), "snapshot-12");
    assert.equal(parseSnapshotFileName("snapshot-12"), 12n);
    assert.equal(parseSnapshotFileName("snapshot-012"), null);
    assert.equal(parseSnapshotFileName("snapshot-"), null);
    assert.equal(parseSnapshotFileName(".snapshot-3.x.tmp"), null);
    assert.equal(schemaFileName(0n), "schema-0");
    assert.equal(parseSchemaFileName("schema-7"), 7n);
    assert.equal(parseSchemaFileName("snapshot-7"), null);
    assert.equal(changelogMetaFileName(3n), "changelog-3");
    assert.equal(parseChangelogMetaFileName("changelog-3"), 3n);
    assert.equal(encodeHint(9223372036854775807n), "9223372036854775807");
    assert.equal(parseHint("-8"), -8n); // the 0.5 fixture's EARLIEST really holds -8
    assert.equal(parseHint("8\n"), null);
  });

  test("uuid-counted names match the fixture files", async () => {
    const manifests = await listFixtureDir("paimon/java-tables/pk_09.db/pk_09/manifest");
    assert.ok(manifests.includes(manifestListFileName(UUID, 15)));
    assert.ok(manifests.includes(indexManifestFileName("03e2700b-8409-499b-8c27-a09ccee9348c", 1)));
    assert.ok(manifests.includes(manifestFileName("8cf79434-32e4-4029-bf8e-befe856d268f", 0)));
    const index = await listFixtureDir("paimon/java-tables/pk_09.db/pk_09/index");
    assert.ok(index.includes(indexFileName("ff7801ad-df90-49b2-9619-586eab9c68e3", 2)));
    assert.equal(statisticsFileName("u", 0), "stat-u-0");
    assert.throws(() => manifestFileName("", 0), /bad file name parts/);
    assert.throws(() => manifestFileName("u", -1), /bad file name parts/);
  });

  test("tags, consumers, branches, databases, temp and index side files", () => {
    assert.equal(tagFileName("t1"), "tag-t1");
    assert.equal(parseTagFileName("tag-t1"), "t1");
    assert.equal(parseTagFileName("tag-"), null);
    assert.equal(consumerFileName("c"), "consumer-c");
    assert.equal(parseConsumerFileName("consumer-c"), "c");
    assert.equal(branchDir("main"), "");
    assert.equal(branchDir(" "), "");
    assert.equal(branchDir("b1"), "branch/branch-b1");
    assert.equal(databaseDirName("default"), "default.db");
    assert.equal(tempFileName("snapshot-3", UUID), `.snapshot-3.${UUID}.tmp`);
    assert.equal(fileIndexFileName("data-x-0.parquet"), "data-x-0.parquet.index");
  });

  test("bucket directories", async () => {
    assert.equal(bucketDirName(0), "bucket-0");
    assert.equal(bucketDirName(-2), "bucket-postpone");
    assert.equal(parseBucketDirName("bucket-postpone"), -2);
    assert.equal(parseBucketDirName("bucket-1"), 1);
    assert.equal(parseBucketDirName("bucket--1"), null);
    assert.equal(parseBucketDirName("bucket-01"), null);
    assert.throws(() => bucketDirName(-3), /bucket -3 has no directory/);
    const dirs = await listFixtureDir("paimon/java-tables/pk_09.db/pk_09/f1=10");
    assert.deepEqual(dirs, [bucketDirName(0), bucketDirName(1)]);
  });
});

describe("data file names", () => {
  test("extension rules of DataFilePathFactory", () => {
    assert.equal(dataFileName({ prefix: "data-", uuid: UUID, count: 0, format: "parquet" }), `data-${UUID}-0.parquet`);
    assert.equal(dataFileName({ prefix: "data-", uuid: UUID, count: 3, format: "parquet", compression: "zstd" }), `data-${UUID}-3.parquet`);
    assert.equal(dataFileName({ prefix: "data-", uuid: "u", count: 3, format: "parquet", compression: "zstd", includeCompression: true }), "data-u-3.zst.parquet");
    assert.equal(dataFileName({ prefix: "changelog-", uuid: "u", count: 1, format: "orc", compression: "none", includeCompression: true }), "changelog-u-1.orc");
    assert.equal(dataFileName({ prefix: "data-", uuid: "u", count: 1, format: "orc", compression: "brotli", includeCompression: true }), "data-u-1.brotli.orc");
    assert.equal(dataFileName({ prefix: "data-", uuid: "u", count: 1, format: "json", compression: "gzip" }), "data-u-1.json.gz");
    assert.equal(compressionFileExtension("SNAPPY"), "snappy");
    assert.equal(compressionFileExtension("bzip2"), "bz2");
    assert.equal(compressionFileExtension(""), null);
  });

  test("the reader's format comes from the name", async () => {
    assert.equal(formatIdentifierOfFileName("data-u-3.zst.parquet"), "parquet");
    assert.equal(formatIdentifierOfFileName("data-u-1.json.gz"), "json");
    assert.equal(formatIdentifierOfFileName("data-u-1.orc"), "orc");
    assert.throws(() => formatIdentifierOfFileName("data-u-1"), /no extension/);
    assert.throws(() => formatIdentifierOfFileName("x.zst"), /codec extension only/);
    const files = await listFixtureDir("paimon/java-tables/paimon-0.5.db/many_pk_table/bucket-0");
    const changelog = files.find((n) => n.startsWith("changelog-"))!;
    assert.equal(formatIdentifierOfFileName(changelog), "parquet");
    const m = /^changelog-(.{36})-(\d+)\.parquet$/.exec(changelog)!;
    assert.equal(dataFileName({ prefix: "changelog-", uuid: m[1]!, count: Number(m[2]), format: "parquet" }), changelog);
  });
});

describe("partition paths", () => {
  const vectors: [string, string][] = [
    ["2023-01-01T12:00", "2023-01-01T12%3A00"],
    ["a/b", "a%2Fb"],
    ["x=y", "x%3Dy"],
    ["100%", "100%25"],
    ["\"#'*?\\", "%22%23%27%2A%3F%5C"],
    ["{}[]^", "%7B%7D%5B%5D%5E"],
    ["\u0000\u0001\t\n\u001f\u007f", "%00%01%09%0A%1F%7F"],
    ["a b-c_d.e~f!@$&()+,;<>|`", "a b-c_d.e~f!@$&()+,;<>|`"],
    ["é日本😀", "é日本😀"],
    ["19358", "19358"],
  ];
  for (const [raw, escaped] of vectors) {
    test(`escape ${JSON.stringify(raw)}`, () => {
      assert.equal(escapePartitionPathName(raw), escaped);
      assert.equal(unescapePartitionPathName(escaped), raw);
    });
  }

  test("paths: order, escaping of keys, default name for null and Java-blank values", () => {
    assert.equal(partitionPath([], []), "");
    assert.equal(partitionPath(["dt", "h:r"], ["2024-01-01", "10"]), "dt=2024-01-01/h%3Ar=10");
    assert.equal(partitionPath(["a", "b", "c"], [null, "", " \t"]), `a=${DEFAULT_PARTITION_NAME}/b=${DEFAULT_PARTITION_NAME}/c=${DEFAULT_PARTITION_NAME}`);
    assert.equal(partitionPath(["a"], ["\u00a0"]), "a=\u00a0"); // NBSP is not Java whitespace
    assert.equal(partitionPath(["a"], [null], "null/x"), "a=null%2Fx");
    assert.throws(() => partitionPath(["a"], []), /1 partition keys but 0 values/);
    assert.throws(() => partitionPath([""], ["v"]), /partition path name is empty/);
    assert.equal(isJavaBlank("\u2007"), false);
    assert.equal(isJavaBlank("\u001c\u3000"), true);
  });

  test("parse: fixture directories, Java's greedy key and unescape quirks", async () => {
    const table = "paimon/java-tables/append_table_with_alter_table.db/append_table_with_alter_table";
    for (const d0 of (await listFixtureDir(table)).filter((n) => n.includes("="))) {
      for (const d1 of (await listFixtureDir(`${table}/${d0}`)).filter((n) => n.includes("="))) {
        const parsed = parsePartitionPath(`${d0}/${d1}`);
        assert.deepEqual(parsed.map(([k]) => k), ["key0", "key1"]);
        assert.equal(partitionPath(parsed.map(([k]) => k), parsed.map(([, v]) => v)), `${d0}/${d1}`);
      }
    }
    assert.deepEqual(parsePartitionPath("/tbl/dt=2023-01-01T12%3A00/bucket-0"), [["dt", "2023-01-01T12:00"]]);
    assert.deepEqual(parsePartitionPath("a=b=c"), [["a=b", "c"]]);
    assert.equal(unescapePartitionPathName("%zz%4"), "%zz%4");
    assert.equal(unescapePartitionPathName("%41"), "A");
    assert.equal(unescapePartitionPathName("x%41"), "xA");
    assert.equal(unescapePartitionPathName("%+F"), "\u000f"); // Integer.parseInt accepts a sign
    assert.equal(unescapePartitionPathName("%-1"), "%-1");
  });

  test("seeded random strings survive escape then unescape", () => {
    const rnd = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const s = String.fromCharCode(...Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => Math.floor(rnd() * 160)));
      const e = escapePartitionPathName(s);
      assert.ok(!/[\u0000-\u001f\u007f"#'*/:=?\\{}[\]^]/.test(e), JSON.stringify(e));
      assert.equal(unescapePartitionPathName(e), s);
    }
  });
});
