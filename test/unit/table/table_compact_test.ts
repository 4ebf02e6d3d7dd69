// Goal: compactTable keeps what a table reads (for every merge engine) while moving its files
// up the levels: full compaction leaves one run at the max level without delete records; normal
// (universal) compaction merges level-0 runs into a lower level and keeps delete records there
// (deletes are dropped only at the max level); results are one COMPACT snapshot; partitions
// can be selected; unsupported tables are refused.
// Method: seeded random upserts/deletes written as level-0 files in several commits (the
// writer's layout, built with writeRollingFiles), then compactTable, full and not, in rounds;
// after each step the rows read through Table.rows() equal a brute-force model of the engine
// and equal what the table read before the compaction (first-row: level 0 is invisible to
// batch reads, so only after compaction). Both the columnar and the general compaction paths run.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { isLakeError } from "../../../src/errors.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import type { DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { FILE_SOURCE } from "../../../src/spec/data_file_meta.ts";
import { snapshotLiveFiles } from "../../../src/table/manifest_reader.ts";
import { latestSnapshot } from "../../../src/table/snapshot_manager.ts";
import { compactTable } from "../../../src/table/table_compact.ts";
import { latestSchema } from "../../../src/table/schema_manager.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { parseTypeString } from "../../../src/spec/data_types.ts";
import { parquetWasm } from "../format/parquet_writer_support.ts";
import {
  ENGINES, enableFastReads, makeCompactTable, modelRows, randomOps, readRows, testKernel, writeBatch, type Op,
} from "./compact_helpers.ts";
import { uuidSource } from "./commit_helpers.ts";

const STRING = parseTypeString("STRING");
/** `num-levels` defaults to the compaction trigger + 1: 4 levels for the trigger 3 used here. */
const MAX_LEVEL = 3;
/** With the default trigger (5): 6 levels. */
const DEFAULT_MAX_LEVEL = 5;

async function liveFiles(store: MemoryStore): Promise<DataFileMeta[]> {
  return (await snapshotLiveFiles(store, (await latestSnapshot(store))!)).map((e) => e.file);
}

const compactUuids = uuidSource("d0000000");

async function compact(store: MemoryStore, full: boolean, partition?: Record<string, string>) {
  return compactTable(store, await latestSchema(store), {
    full, partition, kernel: await testKernel(), parquet: await parquetWasm(), randomUuid: compactUuids, nowMs: () => 1_700_000_500_000,
  });
}

for (const [engine, options] of Object.entries(ENGINES)) {
  for (const fast of [true, false]) {
    describe(`compactTable, ${engine}, ${fast ? "columnar path available" : "general path only"}`, () => {
      test("rounds of writes and compactions read like the model", async () => {
        enableFastReads(fast);
        try {
          const store = new MemoryStore();
          const schema = await makeCompactTable(store, { ...options, "num-sorted-run.compaction-trigger": "3" });
          const rnd = seededRandom(engine.length * 100 + (fast ? 1 : 2));
          const ops: Op[] = [];
          const history = new Set<string>();
          let seq = 0n, identifier = 1n;
          const check = async (what: string) => assert.deepEqual(await readRows(store), modelRows(engine, ops), what);
          for (let round = 0; round < 3; round++) {
            for (let batch = 0; batch < 4; batch++) {
              const next = randomOps(rnd, engine, 25, 60, ["x"], history);
              seq = await writeBatch(store, schema, next, seq, identifier++);
              ops.push(...next);
            }
            const firstRow = engine === "first-row";
            const before = firstRow ? null : await readRows(store);
            if (!firstRow) await check(`round ${round}, before compaction`);
            const full = round === 1;
            const result = await compact(store, full);
            assert.equal(result.snapshotIds.length, 1, "one COMPACT snapshot");
            const snapshot = (await latestSnapshot(store))!;
            assert.equal(snapshot.commitKind, "COMPACT");
            await check(`round ${round}, after ${full ? "full" : "normal"} compaction`);
            if (before !== null) assert.deepEqual(await readRows(store), before);
            const files = await liveFiles(store);
            if (full) {
              assert.ok(files.every((f) => f.level === MAX_LEVEL), "full compaction: every file at the max level");
              assert.ok(files.every((f) => f.deleteRowCount === 0n), "no delete record at the max level");
              assert.ok(files.every((f) => f.fileSource === FILE_SOURCE.COMPACT));
            } else {
              assert.ok(files.every((f) => f.level > 0) || !firstRow, "first-row: level 0 is always compacted");
              assert.ok(files.some((f) => f.level > 0), "normal compaction moved data up");
            }
          }
        } finally {
          enableFastReads(true);
        }
      });
    });
  }
}

describe("compactTable, other cases", () => {
  test("normal compaction above a max-level run keeps delete records; full compaction drops them", async () => {
    const store = new MemoryStore();
    const schema = await makeCompactTable(store, { "num-sorted-run.compaction-trigger": "3" });
    const ops: Op[] = Array.from({ length: 4000 }, (_, k) => ({ kind: 0, k, a: k, b: BigInt(k) }));
    let seq = await writeBatch(store, schema, ops, 0n, 1n);
    await compact(store, true);
    const rnd = seededRandom(77);
    for (let i = 0; i < 3; i++) {
      // Small level-0 runs of similar size, half of them deletes of existing keys.
      const next: Op[] = Array.from({ length: 12 }, (_, j) => ({ kind: j % 2 === 0 ? 3 : 0, k: i * 100 + j * 7 + Math.floor(rnd() * 3), a: -1, b: -1n }));
      seq = await writeBatch(store, schema, next, seq, BigInt(i + 2));
      ops.push(...next);
    }
    const r = await compact(store, false);
    assert.equal(r.snapshotIds.length, 1);
    const files = await liveFiles(store);
    const middle = files.filter((f) => f.level > 0 && f.level < MAX_LEVEL);
    assert.ok(middle.length > 0, `universal compaction wrote below the max level (levels ${files.map((f) => f.level).join(",")})`);
    assert.ok(middle.every((f) => f.fileSource === FILE_SOURCE.COMPACT));
    assert.ok(middle.some((f) => (f.deleteRowCount ?? 0n) > 0n), "delete records kept below the max level");
    assert.ok(!files.some((f) => f.level === 0), "every level-0 run was compacted");
    assert.deepEqual(await readRows(store), modelRows("deduplicate", ops));
    await compact(store, true);
    const after = await liveFiles(store);
    assert.ok(after.every((f) => f.level === MAX_LEVEL && f.deleteRowCount === 0n));
    assert.deepEqual(await readRows(store), modelRows("deduplicate", ops));
  });

  test("nothing to compact: no snapshot", async () => {
    const store = new MemoryStore();
    const schema = await makeCompactTable(store, {});
    assert.deepEqual(await compact(store, true), { snapshotIds: [], compactedBuckets: 0 });
    await writeBatch(store, schema, [{ kind: 0, k: 1, a: 1, b: 1n }], 0n, 1n);
    assert.deepEqual((await compact(store, false)).snapshotIds, [], "one level-0 run is below the trigger");
    const r = await compact(store, true);
    assert.equal(r.compactedBuckets, 1);
    assert.deepEqual((await compact(store, true)).snapshotIds, [], "already one run at the max level");
  });

  test("partition selection compacts only the selected partition", async () => {
    const store = new MemoryStore();
    const schema = await makeCompactTable(store, {}, true);
    const rnd = seededRandom(5);
    const ops: Op[] = [];
    let seq = 0n;
    for (let i = 0; i < 3; i++) {
      const next = randomOps(rnd, "deduplicate", 20, 30, ["x", "y"]);
      seq = await writeBatch(store, schema, next, seq, BigInt(i + 1));
      ops.push(...next);
    }
    const result = await compact(store, true, { p: "y" });
    assert.ok(result.compactedBuckets >= 1);
    const entries = await snapshotLiveFiles(store, (await latestSnapshot(store))!);
    assert.ok(entries.some((e) => decodeSerializedBinaryRow([STRING], e.partition)[0] === "x"));
    for (const e of entries) {
      const p = decodeSerializedBinaryRow([STRING], e.partition)[0];
      assert.equal(e.file.level === DEFAULT_MAX_LEVEL, p === "y", `partition ${p} file ${e.file.fileName} at level ${e.file.level}`);
    }
    assert.deepEqual(await readRows(store), modelRows("deduplicate", ops, true));
    await assert.rejects(compact(store, true, { q: "x" }), (e) => isLakeError(e, "invalid_argument") && /not a partition key/.test(e.message));
  });

  test("refuses deletion vectors", async () => {
    const store = new MemoryStore();
    const schema = await makeCompactTable(store, { "deletion-vectors.enabled": "true" });
    await writeBatch(store, schema, [{ kind: 0, k: 1, a: 1, b: 1n }], 0n, 1n);
    await writeBatch(store, schema, [{ kind: 0, k: 1, a: 2, b: 1n }], 1n, 2n);
    await assert.rejects(compact(store, true), (e) => isLakeError(e, "unsupported"));
  });

  test("lookup and full-compaction changelog producers: the COMPACT snapshot carries the changelog", async () => {
    for (const producer of ["lookup", "full-compaction"]) {
      const store = new MemoryStore();
      const schema = await makeCompactTable(store, { "changelog-producer": producer });
      await writeBatch(store, schema, [{ kind: 0, k: 1, a: 1, b: 1n }, { kind: 0, k: 2, a: 5, b: 5n }], 0n, 1n);
      await writeBatch(store, schema, [{ kind: 0, k: 1, a: 2, b: 1n }, { kind: 3, k: 2, a: 5, b: 5n }], 2n, 2n);
      const { snapshotIds } = await compact(store, true);
      const snapshot = (await latestSnapshot(store))!;
      assert.deepEqual(snapshotIds, [snapshot.id]);
      assert.equal(snapshot.commitKind, "COMPACT");
      assert.ok(snapshot.changelogManifestList !== null, producer);
      // Key 1 is new to the max level (+I of its merged value); key 2 was added and deleted: nothing.
      assert.equal(snapshot.changelogRecordCount, 1n, producer);
      assert.deepEqual(await readRows(store), [{ k: 1, a: 2, b: 1n }]);
    }
  });

  test("force-lookup tables: full and normal compactions (through the lookup rewriter) read like the model", async () => {
    const store = new MemoryStore();
    const schema = await makeCompactTable(store, { "force-lookup": "true", "num-sorted-run.compaction-trigger": "2" });
    const rnd = seededRandom(9);
    const ops: Op[] = [];
    let seq = 0n;
    for (let i = 0; i < 2; i++) {
      const next = randomOps(rnd, "deduplicate", 2000, 3000);
      seq = await writeBatch(store, schema, next, seq, BigInt(i + 1));
      ops.push(...next);
    }
    await compact(store, true);
    assert.deepEqual(await readRows(store), modelRows("deduplicate", ops));
    for (let i = 0; i < 2; i++) {
      const next = randomOps(rnd, "deduplicate", 10, 3000);
      seq = await writeBatch(store, schema, next, seq, BigInt(i + 3));
      ops.push(...next);
    }
    // Lookup tables force level 0 up, into a level above older data.
    const { snapshotIds } = await compact(store, false);
    assert.equal(snapshotIds.length, 1);
    assert.ok((await liveFiles(store)).every((f) => f.level > 0), "level 0 pushed up");
    assert.deepEqual(await readRows(store), modelRows("deduplicate", ops));
    assert.equal((await latestSnapshot(store))!.changelogManifestList, null, "force-lookup produces no changelog");
  });
});
