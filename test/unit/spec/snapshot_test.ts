// Goal: snapshot and tag JSON decode every field from 0.4 to 2.0 exactly (int64 included),
// re-encode in Java's layout, and reject malformed files with messages naming the value.
// Method: Java-written fixtures (0.5, 0.9, 1.1-1.3 layouts), a 2.0-layout document written by
// hand from Snapshot.java's creator order, and single-fault variants.
import { assert, describe, readFixtureText, test } from "../../harness.ts";
import {
  COMMIT_IDENTIFIER_BATCH, CommitKind, createSnapshot, decodeSnapshot, decodeTag, encodeSnapshot, encodeTag,
  SnapshotOperation, type Tag,
} from "../../../src/spec/snapshot.ts";
import { isLakeError } from "../../../src/errors.ts";

const PK09_6 = "paimon/java-tables/pk_09.db/pk_09/snapshot/snapshot-6";
const OLD05_1 = "paimon/java-tables/paimon-0.5.db/many_pk_table/snapshot/snapshot-1";
const V13_1 = "paimon/java-tables/pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row/snapshot/snapshot-1";
const RUST_V3 = "paimon/manifests-0.8/snapshot/snapshot-v3.json";

/** 2.0 layout (Snapshot.java creator order, nulls omitted); hand-written, not Java output. */
const SNAPSHOT_20 = `{
  "version" : 3,
  "uuid" : "5b7c7e0e-1b8e-4c55-9a43-0f6f3c2d9e11",
  "id" : 7,
  "schemaId" : 2,
  "baseManifestList" : "manifest-list-a-0",
  "baseManifestListSize" : 1006,
  "deltaManifestList" : "manifest-list-a-1",
  "deltaManifestListSize" : 1203,
  "changelogManifestList" : "manifest-list-a-2",
  "changelogManifestListSize" : 998,
  "indexManifest" : "index-manifest-b-0",
  "commitUser" : "u",
  "writerVersion" : "2.0.0",
  "commitIdentifier" : 9223372036854775807,
  "commitKind" : "OVERWRITE",
  "timeMillis" : 1784213018193,
  "totalRecordCount" : 9007199254740993,
  "deltaRecordCount" : -3,
  "changelogRecordCount" : 4,
  "watermark" : -9223372036854775808,
  "statistics" : "stat-c-0",
  "properties" : {
    "k" : "v"
  },
  "nextRowId" : 0,
  "operation" : "CREATE_OR_REPLACE_TABLE_AS_SELECT"
}`;

describe("decode", () => {
  test("0.9 layout: explicit null changelog list and empty logOffsets are kept", async () => {
    const s = decodeSnapshot(await readFixtureText(PK09_6), { fileName: "snapshot-6" });
    assert.equal(s.id, 6n);
    assert.equal(s.schemaId, 0n);
    assert.equal(s.baseManifestList, "manifest-list-c63559b0-8ebb-4bf9-8e0c-91062d5e7391-10");
    assert.equal(s.indexManifest, "index-manifest-03e2700b-8409-499b-8c27-a09ccee9348c-0");
    assert.equal(s.changelogManifestList, null);
    assert.deepEqual(s.explicitNullKeys, ["changelogManifestList"]);
    assert.deepEqual(s.logOffsets, new Map());
    assert.equal(s.commitKind, CommitKind.COMPACT);
    assert.equal(s.commitIdentifier, 3n);
    assert.equal(s.timeMillis, 1755758625551n);
    assert.equal(s.totalRecordCount, 12n);
    assert.equal(s.deltaRecordCount, -2n);
    assert.equal(s.changelogRecordCount, 0n);
    assert.equal(s.baseManifestListSize, null);
    assert.equal(s.nextRowId, null);
    assert.equal(s.uuid, null);
  });

  test("0.5 layout: Long.MIN_VALUE watermark and a changelog list", async () => {
    const s = decodeSnapshot(await readFixtureText(OLD05_1), { fileName: "snapshot-1" });
    assert.equal(s.watermark, -9223372036854775808n);
    assert.equal(s.changelogManifestList, "manifest-list-f83d882d-aa37-41d4-9299-47231b0302d9-2");
    assert.equal(s.commitIdentifier, 6n);
  });

  test("1.3 layout: sizes and nextRowId", async () => {
    const s = decodeSnapshot(await readFixtureText(V13_1));
    assert.equal(s.baseManifestListSize, 884n);
    assert.equal(s.deltaManifestListSize, 1001n);
    assert.equal(s.nextRowId, 0n);
  });

  test("paimon-rust example: batch commit identifier Long.MAX_VALUE and statistics", async () => {
    const s = decodeSnapshot(await readFixtureText(RUST_V3));
    assert.equal(s.commitIdentifier, COMMIT_IDENTIFIER_BATCH);
    assert.equal(s.commitIdentifier, 9223372036854775807n);
    assert.equal(s.statistics, "statistics_string");
  });

  test("2.0 layout: every field, round trip byte for byte", () => {
    const s = decodeSnapshot(SNAPSHOT_20, { fileName: "snapshot-7" });
    assert.equal(s.uuid, "5b7c7e0e-1b8e-4c55-9a43-0f6f3c2d9e11");
    assert.equal(s.writerVersion, "2.0.0");
    assert.equal(s.changelogManifestListSize, 998n);
    assert.equal(s.totalRecordCount, 9007199254740993n);
    assert.deepEqual(s.properties, { k: "v" });
    assert.equal(s.operation, SnapshotOperation.CREATE_OR_REPLACE_TABLE_AS_SELECT);
    assert.equal(s.logOffsets, null);
    assert.deepEqual(s.explicitNullKeys, []);
    assert.equal(encodeSnapshot(s), SNAPSHOT_20);
  });

  test("unknown keys are ignored as Java ignores them", () => {
    const s = decodeSnapshot(SNAPSHOT_20.replace('"version" : 3,', '"version" : 3, "futureField" : [1],'));
    assert.equal(encodeSnapshot(s), SNAPSHOT_20);
  });

  const bad: [string, string, RegExp][] = [
    ["id mismatch", SNAPSHOT_20, /id in file 7 does not match file name snapshot-8/],
    ["id text", SNAPSHOT_20.replace('"id" : 7', '"id" : "7"'), /field "id" must be a 64-bit integer, got "7"/],
    ["id overflow", SNAPSHOT_20.replace('"id" : 7', '"id" : 9223372036854775808'), /got 9223372036854775808/],
    ["kind", SNAPSHOT_20.replace('"OVERWRITE"', '"UPSERT"'), /"commitKind" must be one of APPEND, COMPACT, OVERWRITE, ANALYZE, got "UPSERT"/],
    ["operation", SNAPSHOT_20.replace('"CREATE_OR_REPLACE_TABLE_AS_SELECT"', '"X"'), /"operation" must be one of .* got "X"/],
    ["missing user", SNAPSHOT_20.replace('"commitUser" : "u",', ""), /field "commitUser" must be a string, got nothing/],
    ["properties", SNAPSHOT_20.replace('"k" : "v"', '"k" : 1'), /"properties" must be an object of string values/],
    ["log offsets", SNAPSHOT_20.replace('"nextRowId" : 0', '"logOffsets" : {"a" : 1}'), /logOffsets entry "a"/],
    ["size fraction", SNAPSHOT_20.replace('"baseManifestListSize" : 1006', '"baseManifestListSize" : 1006.5'), /got 1006.5/],
    ["truncated", SNAPSHOT_20.slice(0, 100), /snapshot: json: unexpected end of input, expected a property name at line 6 column 1/],
  ];
  for (const [name, text, re] of bad) {
    test(`rejects: ${name}`, () => {
      assert.throws(() => decodeSnapshot(text, { fileName: name === "id mismatch" ? "snapshot-8" : "snapshot-7" }),
        (e: unknown) => isLakeError(e, "corruption") && re.test((e as Error).message));
    });
  }
});

describe("create and encode", () => {
  test("createSnapshot gives the current layout: nulls omitted, no logOffsets", () => {
    const s = createSnapshot({
      id: 1n, schemaId: 0n, baseManifestList: "manifest-list-x-0", baseManifestListSize: 1006n,
      deltaManifestList: "manifest-list-x-1", deltaManifestListSize: 1100n, commitUser: "me",
      commitIdentifier: COMMIT_IDENTIFIER_BATCH, commitKind: CommitKind.APPEND, timeMillis: 1n,
      totalRecordCount: 3n, deltaRecordCount: 3n, changelogRecordCount: 0n, nextRowId: 0n,
    });
    assert.equal(encodeSnapshot(s), [
      "{", '  "version" : 3,', '  "id" : 1,', '  "schemaId" : 0,', '  "baseManifestList" : "manifest-list-x-0",',
      '  "baseManifestListSize" : 1006,', '  "deltaManifestList" : "manifest-list-x-1",', '  "deltaManifestListSize" : 1100,',
      '  "commitUser" : "me",', '  "commitIdentifier" : 9223372036854775807,', '  "commitKind" : "APPEND",',
      '  "timeMillis" : 1,', '  "totalRecordCount" : 3,', '  "deltaRecordCount" : 3,', '  "changelogRecordCount" : 0,',
      '  "nextRowId" : 0', "}",
    ].join("\n"));
  });

  test("encode refuses a corrupt object (pair check)", () => {
    const s = decodeSnapshot(SNAPSHOT_20);
    assert.throws(() => encodeSnapshot({ ...s, id: 2n ** 63n }), /id = 9223372036854775808 is not an int64/);
    assert.throws(() => encodeSnapshot({ ...s, commitKind: "MERGE" as CommitKind }), /commitKind MERGE is unknown/);
  });
});

describe("tags", () => {
  const tagText = SNAPSHOT_20.replace(/\n\}$/, ',\n  "tagCreateTime" : [ 2024, 5, 6, 7, 8, 9, 123000000 ],\n  "tagTimeRetained" : 86400.000000000\n}');

  test("tag file: LocalDateTime array and Duration seconds round-trip", () => {
    const t = decodeTag(tagText);
    assert.equal(t.tagCreateTime, "2024-05-06T07:08:09.123");
    assert.deepEqual(t.tagTimeRetained, { seconds: 86400n, nanos: 0 });
    assert.equal(t.id, 7n);
    assert.equal(encodeTag(t), tagText);
  });

  test("Jackson omits zero seconds/nanos and uses BigDecimal text for durations", () => {
    const base = decodeTag(tagText);
    const enc = (tag: Partial<Tag>) => encodeTag({ ...base, ...tag }).split("\n").slice(-3, -1).join("|");
    assert.equal(enc({ tagCreateTime: "2024-05-06T07:08", tagTimeRetained: { seconds: 0n, nanos: 0 } }),
      '  "tagCreateTime" : [ 2024, 5, 6, 7, 8 ],|  "tagTimeRetained" : 0.0');
    assert.equal(enc({ tagCreateTime: "2024-05-06T07:08:00.000001", tagTimeRetained: { seconds: 1n, nanos: 500000000 } }),
      '  "tagCreateTime" : [ 2024, 5, 6, 7, 8, 0, 1000 ],|  "tagTimeRetained" : 1.500000000');
    assert.equal(enc({ tagTimeRetained: { seconds: 0n, nanos: 123 } }).split("|")[1], '  "tagTimeRetained" : 1.23E-7');
    const back = decodeTag(encodeTag({ ...base, tagCreateTime: "2024-05-06T07:08:00.000001", tagTimeRetained: null }));
    assert.equal(back.tagCreateTime, "2024-05-06T07:08:00.000001");
    assert.equal(back.tagTimeRetained, null);
  });

  test("tag without tag fields and with an ISO string time", () => {
    const t = decodeTag(SNAPSHOT_20.replace(/\n\}$/, ',\n  "tagCreateTime" : "2024-01-02T03:04:05.5"\n}'));
    assert.equal(t.tagCreateTime, "2024-01-02T03:04:05.500");
    assert.equal(decodeTag(SNAPSHOT_20).tagCreateTime, null);
    assert.throws(() => decodeTag(SNAPSHOT_20.replace(/\n\}$/, ',\n  "tagCreateTime" : [1]\n}')), /"tagCreateTime" must be a LocalDateTime, got \[1\]/);
  });
});
