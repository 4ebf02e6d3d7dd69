// Goal: writeRollingFiles writes one bucket's rows as Parquet files under
// <partition>/bucket-<n>/ that read back to exactly the rows given, in order; rolls at the
// target size (no empty file, every file but the last near the target, row caps honoured);
// records DataFileMeta as Java does (level, file source, schema id, sequence ranges per file,
// min/max keys, creation time as local wall clock); names files as DataFilePathFactory does.
// Method: random PK and append rows into a MemoryStore, read every file back with readDataFile
// and concatenate; compare with the input. Sizes are checked against the target and the slack.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import {
  dataFileNamer, localWallClockMs, ROLL_SLACK, targetFileSizeBytes, writeRollingFiles, type DataFileTarget, type SortedRows,
} from "../../../src/lsm/rolling_file_writer.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { atomic } from "../../../src/spec/data_types.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { isLakeError } from "../../../src/errors.ts";
import { field, parquetWasm, tableSchema } from "../format/parquet_writer_support.ts";

const PK_SCHEMA = tableSchema([field(0, "k", "BIGINT NOT NULL"), field(1, "v", "STRING"), field(2, "d", "DOUBLE")], {}, ["k"]);
const APPEND_SCHEMA = tableSchema([field(0, "a", "INT"), field(1, "s", "STRING")]);

function pkRows(n: number, seed: number): SortedRows {
  const rnd = seededRandom(seed);
  const keys: Value[] = [], vs: Value[] = [], ds: Value[] = [];
  let k = -1000n;
  for (let i = 0; i < n; i++) {
    k += BigInt(1 + Math.floor(rnd() * 5));
    keys.push(k);
    vs.push(rnd() < 0.1 ? null : `v${Math.floor(rnd() * 1e9).toString(36)}`);
    ds.push(rnd());
  }
  return {
    rowCount: n, columns: [keys, vs, ds],
    sequenceNumbers: BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 1e6))),
    rowKinds: Uint8Array.from({ length: n }, () => Math.floor(rnd() * 4)),
  };
}

async function target(schema: TableSchema, over: Partial<DataFileTarget> = {}): Promise<DataFileTarget & { store: MemoryStore }> {
  let uuid = 0;
  return {
    store: new MemoryStore(), schema, partitionPath: "dt=1/", bucket: 3, level: 2, fileSource: FILE_SOURCE.COMPACT,
    parquet: await parquetWasm(), targetFileSizeBytes: 1 << 30, nextFileName: dataFileNamer(() => `u${uuid++}`),
    nowMs: () => 1_700_000_000_000, ...over,
  } as DataFileTarget & { store: MemoryStore };
}

async function readBack(t: DataFileTarget, metas: readonly DataFileMeta[]) {
  const primaryKey = t.schema.primaryKeys.length > 0;
  const columns: Value[][] = t.schema.fields.map(() => []);
  const seq: bigint[] = [], kinds: number[] = [], sizes: number[] = [];
  for (const m of metas) {
    const bytes = await t.store.get(`${t.partitionPath}bucket-${t.bucket}/${m.fileName}`);
    assert.equal(BigInt(bytes.length), m.fileSize);
    sizes.push(bytes.length);
    const batch = await readDataFile(bytes, { fileName: m.fileName, fileSchema: t.schema, readSchema: t.schema, primaryKey });
    assert.equal(BigInt(batch.rowCount), m.rowCount);
    batch.columns.forEach((c, i) => columns[i]!.push(...c));
    if (primaryKey) {
      seq.push(...batch.sequenceNumbers!);
      kinds.push(...batch.rowKinds!);
      let min = batch.sequenceNumbers![0]!, max = min;
      for (const s of batch.sequenceNumbers!) { if (s < min) min = s; if (s > max) max = s; }
      assert.deepEqual([m.minSequenceNumber, m.maxSequenceNumber], [min, max]);
      const keyType = [atomic("BIGINT", { nullable: false })];
      assert.deepEqual(decodeSerializedBinaryRow(keyType, m.minKey), [batch.columns[0]![0]]);
      assert.deepEqual(decodeSerializedBinaryRow(keyType, m.maxKey), [batch.columns[0]![batch.rowCount - 1]]);
      assert.equal(m.deleteRowCount, BigInt(batch.rowKinds!.filter((k) => k === 1 || k === 3).length));
    }
  }
  return { columns, seq, kinds, sizes };
}

describe("writeRollingFiles", () => {
  test("one file when under the target: Java's meta fields, path and name", async () => {
    const t = await target(PK_SCHEMA);
    const rows = pkRows(500, 1);
    const metas = await writeRollingFiles(rows, t);
    assert.equal(metas.length, 1);
    const m = metas[0]!;
    assert.equal(m.fileName, "data-u0-0.parquet");
    assert.deepEqual((await t.store.list("")).map((e) => e.path), ["dt=1/bucket-3/data-u0-0.parquet"]);
    assert.deepEqual([m.level, m.fileSource, m.schemaId, m.extraFiles, m.embeddedIndex, m.externalPath, m.firstRowId, m.writeCols],
      [2, FILE_SOURCE.COMPACT, PK_SCHEMA.id, [], null, null, null, null]);
    assert.equal(m.creationTime, localWallClockMs(1_700_000_000_000));
    const back = await readBack(t, metas);
    assert.deepEqual(back.columns, rows.columns);
    assert.deepEqual(back.seq, [...rows.sequenceNumbers!]);
    assert.deepEqual(back.kinds, [...rows.rowKinds!]);
  });

  test("rolls at the target: files near the target, none empty, rows in order", async () => {
    const rows = pkRows(20_000, 2);
    const whole = await writeRollingFiles(rows, await target(PK_SCHEMA));
    const totalBytes = Number(whole[0]!.fileSize);
    for (const parts of [2.5, 4, 7.3]) {
      const targetBytes = Math.floor(totalBytes / parts);
      const t = await target(PK_SCHEMA, { targetFileSizeBytes: targetBytes });
      const metas = await writeRollingFiles(rows, t);
      const back = await readBack(t, metas);
      assert.deepEqual(back.columns, rows.columns);
      assert.deepEqual(back.seq, [...rows.sequenceNumbers!]);
      assert.ok(metas.length >= Math.floor(parts) && metas.length <= Math.ceil(parts) + 1, `${metas.length} files for ${parts}`);
      metas.forEach((m) => assert.ok(m.rowCount > 0n));
      back.sizes.forEach((s) => assert.ok(s <= targetBytes * (1 + ROLL_SLACK), `file of ${s} bytes over target ${targetBytes}`));
      back.sizes.slice(0, -1).forEach((s) => assert.ok(s >= targetBytes * 0.8, `file of ${s} bytes far below target ${targetBytes}`));
      assert.deepEqual(metas.map((m) => m.fileName), metas.map((_, i) => `data-u0-${i}.parquet`));
    }
  });

  test("a row larger than the target gets a file of its own", async () => {
    const t = await target(PK_SCHEMA, { targetFileSizeBytes: 10 });
    const rows = pkRows(3, 3);
    const metas = await writeRollingFiles(rows, t);
    assert.deepEqual(metas.map((m) => m.rowCount), [1n, 1n, 1n]);
    assert.deepEqual((await readBack(t, metas)).columns, rows.columns);
  });

  test("append files: consecutive sequence numbers across files, empty keys, target-file-row-num caps rows", async () => {
    const schema = tableSchema([...APPEND_SCHEMA.fields], { "target-file-row-num": "40" });
    const t = await target(schema, { level: 0, fileSource: FILE_SOURCE.APPEND, partitionPath: "" });
    const rnd = seededRandom(4);
    const a = Array.from({ length: 100 }, () => Math.floor(rnd() * 1000) as Value);
    const s = Array.from({ length: 100 }, (_, i) => `row ${i}` as Value);
    const metas = await writeRollingFiles({ rowCount: 100, columns: [a, s], sequenceNumberStart: 7n }, t);
    assert.deepEqual(metas.map((m) => [m.rowCount, m.minSequenceNumber, m.maxSequenceNumber]), [[40n, 7n, 46n], [40n, 47n, 86n], [20n, 87n, 106n]]);
    metas.forEach((m) => assert.equal(m.minKey.length, 12));
    assert.deepEqual((await readBack(t, metas)).columns, [a, s]);
  });

  test("no rows: no file", async () => {
    const t = await target(PK_SCHEMA);
    assert.deepEqual(await writeRollingFiles({ rowCount: 0, columns: [[], [], []], sequenceNumbers: new BigInt64Array(0) }, t), []);
    assert.deepEqual(await t.store.list(""), []);
  });

  test("refuses bad inputs and non-Parquet formats", async () => {
    const t = await target(PK_SCHEMA);
    await assert.rejects(writeRollingFiles({ rowCount: 1, columns: [[1n], [null], [1]] }, t), (e) => isLakeError(e, "invalid_argument") && /sequenceNumbers/.test(e.message));
    await assert.rejects(writeRollingFiles({ rowCount: 2, columns: [[1n], [null], [1]], sequenceNumbers: new BigInt64Array(2) }, t), (e) => isLakeError(e, "invalid_argument"));
    const orc = await target(tableSchema([...PK_SCHEMA.fields], { "file.format": "orc" }, ["k"]));
    await assert.rejects(writeRollingFiles(pkRows(2, 5), orc), (e) => isLakeError(e, "unsupported") && /orc/.test(e.message));
    const perLevel = await target(tableSchema([...PK_SCHEMA.fields], { "file.format.per.level": "2:avro" }, ["k"]));
    await assert.rejects(writeRollingFiles(pkRows(2, 5), perLevel), (e) => isLakeError(e, "unsupported") && /avro/.test(e.message));
  });
});

describe("helpers", () => {
  test("dataFileNamer: one uuid per namer, count from 0, prefix and compression suffix options", () => {
    const uuids = ["a", "b"];
    const n1 = dataFileNamer(() => uuids.shift()!);
    assert.deepEqual([n1(), n1(), n1()], ["data-a-0.parquet", "data-a-1.parquet", "data-a-2.parquet"]);
    const n2 = dataFileNamer(() => "c", "parquet", { "data-file.prefix": "d-", "file.suffix.include.compression": "true" });
    assert.equal(n2(), "d-c-0.zst.parquet");
  });

  test("localWallClockMs: the local wall-clock fields read as UTC", () => {
    for (const ms of [0, 1_700_000_000_123, 1_720_000_000_000]) {
      const local = new Date(ms), asUtc = new Date(Number(localWallClockMs(ms)));
      assert.deepEqual([asUtc.getUTCFullYear(), asUtc.getUTCMonth(), asUtc.getUTCDate(), asUtc.getUTCHours(), asUtc.getUTCMinutes(), asUtc.getUTCMilliseconds()],
        [local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getMilliseconds()]);
    }
  });

  test("targetFileSizeBytes: option, else Java's defaults per table kind", () => {
    assert.equal(targetFileSizeBytes({}, true), 128 * 1024 * 1024);
    assert.equal(targetFileSizeBytes({}, false), 256 * 1024 * 1024);
    assert.equal(targetFileSizeBytes({ "target-file-size": "2 mb" }, true), 2 * 1024 * 1024);
  });
});
