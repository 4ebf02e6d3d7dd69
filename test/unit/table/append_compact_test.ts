// Goal: append-table compaction picks files as Java's BucketedAppendCompactManager does (full:
// leading large files kept, rewrite when small files outnumber large ones and there are at
// least 3; normal: a sliding window of compaction.min.file-num files below the target size) and
// rewrites them in sequence order into COMPACT files numbered from the first file's sequence
// number, keeping every row and the row order, committed as one COMPACT snapshot.
// Method: pick rules on hand-made DataFileMetas; compactTable on an append table written with
// writeRollingFiles in several commits; the compacted file read back with readDataFile must be
// the concatenation of the inputs in sequence order; Table.rows() must return the same rows.
import { assert, describe, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { dataFileNamer, writeRollingFiles } from "../../../src/lsm/rolling_file_writer.ts";
import { encodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { atomic, parseTypeString } from "../../../src/spec/data_types.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { createTableSchema, encodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { pickAppendCompaction } from "../../../src/table/append_compact.ts";
import { commitChanges } from "../../../src/table/commit.ts";
import { snapshotLiveFiles } from "../../../src/table/manifest_reader.ts";
import { latestSnapshot } from "../../../src/table/snapshot_manager.ts";
import { compactTable } from "../../../src/table/table_compact.ts";
import { Table } from "../../../src/api/table.ts";
import { parquetWasm } from "../format/parquet_writer_support.ts";
import { dataFile, testCommitDefaults, uuidSource } from "./commit_helpers.ts";
import { testKernel } from "./compact_helpers.ts";

function file(name: string, size: number, minSeq: number): DataFileMeta {
  return { ...dataFile(name, { seq: minSeq, rows: 10 }), fileSize: BigInt(size) };
}

describe("pickAppendCompaction", () => {
  const target = 100;
  test("full: fewer than 3 files, nothing; leading large files kept; small must outnumber large", () => {
    const pick = (files: DataFileMeta[]) => pickAppendCompaction(files, { full: true, targetFileSizeBytes: target, minFileCount: 5 }).map((f) => f.fileName);
    assert.deepEqual(pick([file("a", 10, 0), file("b", 10, 10)]), []);
    assert.deepEqual(pick([file("c", 10, 20), file("a", 200, 0), file("b", 10, 10), file("d", 10, 30)]), ["b", "c", "d"]);
    assert.deepEqual(pick([file("a", 10, 0), file("b", 200, 10), file("c", 200, 20)]), [], "1 small, 2 large");
    assert.deepEqual(pick([file("a", 10, 0), file("b", 200, 10), file("c", 20, 20)]), ["a", "b", "c"]);
    assert.deepEqual(pick([file("a", 200, 0), file("b", 200, 10), file("c", 10, 20), file("d", 10, 30)]), [], "after the large ones, 2 files");
  });

  test("normal: a window of min.file-num files, sliding while it reaches the target size", () => {
    const pick = (files: DataFileMeta[]) => pickAppendCompaction(files, { full: false, targetFileSizeBytes: target, minFileCount: 3 }).map((f) => f.fileName);
    assert.deepEqual(pick([file("a", 10, 0), file("b", 10, 10)]), []);
    assert.deepEqual(pick([file("a", 10, 0), file("b", 10, 10), file("c", 10, 20), file("d", 10, 30)]), ["a", "b", "c"]);
    assert.deepEqual(pick([file("a", 90, 0), file("b", 20, 10), file("c", 10, 20), file("d", 10, 30)]), ["b", "c", "d"]);
    assert.deepEqual(pick([file("a", 150, 0), file("b", 150, 10), file("c", 10, 20)]), []);
  });
});

describe("compactTable on an append table", () => {
  test("full compaction rewrites the bucket's files in sequence order, rows and order kept", async () => {
    const store = new MemoryStore();
    const schema: TableSchema = createTableSchema({
      fields: [{ id: 0, name: "i", type: atomic("INT") }, { id: 1, name: "s", type: parseTypeString("STRING") }],
      primaryKeys: [], partitionKeys: [], options: { bucket: "-1" }, timeMillis: 0n,
    });
    await store.put("schema/schema-0", utf8Encode(encodeTableSchema(schema)));
    const names = dataFileNamer(uuidSource("a1000000"));
    const inputs: Value[][][] = [];
    let seq = 0n;
    for (let c = 0; c < 4; c++) {
      const n = 5 + c * 3;
      const cols: Value[][] = [Array.from({ length: n }, (_, i) => c * 100 + i), Array.from({ length: n }, (_, i) => `row ${c}.${i}`)];
      inputs.push(cols);
      const files = await writeRollingFiles({ rowCount: n, columns: cols, sequenceNumberStart: seq }, {
        store, schema, partitionPath: "", bucket: 0, level: 0, fileSource: FILE_SOURCE.APPEND, parquet: await parquetWasm(),
        targetFileSizeBytes: 1 << 30, nextFileName: names, nowMs: () => 0,
      });
      seq += BigInt(n);
      await commitChanges(store, { ...testCommitDefaults(), schema, commitUser: "w", commitIdentifier: BigInt(c + 1), messages: [{ partition: encodeSerializedBinaryRow([], []), bucket: 0, totalBuckets: -1, newFiles: files }] });
    }
    const before = await Table.open(store).then(async (t) => { const rows = []; for await (const r of t.rows()) rows.push(r); return rows; });
    const result = await compactTable(store, schema, { full: true, kernel: await testKernel(), parquet: await parquetWasm(), randomUuid: uuidSource("a2000000") });
    assert.equal(result.compactedBuckets, 1);
    const snapshot = (await latestSnapshot(store))!;
    assert.equal(snapshot.commitKind, "COMPACT");
    const live = (await snapshotLiveFiles(store, snapshot)).map((e) => e.file);
    assert.equal(live.length, 1);
    const out = live[0]!;
    assert.deepEqual([out.level, out.fileSource, out.minSequenceNumber, out.maxSequenceNumber, out.rowCount], [0, FILE_SOURCE.COMPACT, 0n, seq - 1n, seq]);
    const back = await readDataFile(await store.get(`bucket-0/${out.fileName}`), { fileName: out.fileName, fileSchema: schema, readSchema: schema, primaryKey: false });
    assert.deepEqual(back.columns, [inputs.flatMap((c) => c[0]!), inputs.flatMap((c) => c[1]!)]);
    const after = await Table.open(store).then(async (t) => { const rows = []; for await (const r of t.rows()) rows.push(r); return rows; });
    const key = (r: Record<string, Value>) => r["i"] as number;
    assert.deepEqual([...after].sort((a, b) => key(a) - key(b)), [...before].sort((a, b) => key(a) - key(b)));
    // Normal compaction: 1 file, nothing to do.
    assert.deepEqual((await compactTable(store, schema, { kernel: await testKernel(), parquet: await parquetWasm() })).snapshotIds, []);
  });
});
