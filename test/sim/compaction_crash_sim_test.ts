// Goal: crash safety of compaction. Whatever write of a compaction fails or "crashes" (data
// files, manifests, manifest list, snapshot, hints), the table afterwards reads its last
// committed snapshot unchanged: the same rows, every file it lists present, nothing partial
// visible; and a later compaction carries on.
// Method: a deduplicate table with several level-0 commits (and, in the second scenario, a
// max-level run from an earlier compaction); a fault-free dry run of compactTable through a
// FaultStore counts its writes; then, for every write index k and every fault kind (fail,
// fail_after, crash, crash_after), a copy of the table is compacted through a FaultStore
// faulting at k, and the wrapped store is checked directly: latest snapshot either the old one
// (byte-identical) or a complete COMPACT snapshot, every live file present with its size, rows
// equal to the model; then a fault-free compaction on it must succeed and read the same rows.
import { assert, describe, seededRandom, test } from "../harness.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import { MemoryStore } from "../../src/io/memory_store.ts";
import { bucketDirName, snapshotFileName } from "../../src/spec/paths.ts";
import { snapshotLiveFiles } from "../../src/table/manifest_reader.ts";
import { latestSchema } from "../../src/table/schema_manager.ts";
import { latestSnapshotId } from "../../src/table/snapshot_manager.ts";
import { compactTable } from "../../src/table/table_compact.ts";
import { toHex } from "../../src/util/bytes.ts";
import { parquetWasm } from "../unit/format/parquet_writer_support.ts";
import { copyStore, makeCompactTable, modelRows, randomOps, readRows, testKernel, writeBatch, type Op } from "../unit/table/compact_helpers.ts";
import { uuidSource } from "../unit/table/commit_helpers.ts";

const KINDS = [FaultKind.FAIL, FaultKind.FAIL_AFTER, FaultKind.CRASH, FaultKind.CRASH_AFTER];
const uuids = uuidSource("e0000000");

async function compact(store: ObjectStore, full: boolean) {
  return compactTable(store, await latestSchema(store), { full, kernel: await testKernel(), parquet: await parquetWasm(), randomUuid: uuids, nowMs: () => 1_700_000_900_000 });
}

async function buildTable(withMaxLevelRun: boolean): Promise<{ store: MemoryStore; ops: Op[] }> {
  const store = new MemoryStore();
  const schema = await makeCompactTable(store, { "num-sorted-run.compaction-trigger": "3" });
  const rnd = seededRandom(withMaxLevelRun ? 2 : 1);
  const ops: Op[] = [];
  let seq = 0n, id = 1n;
  for (let i = 0; i < 4; i++) {
    const next = randomOps(rnd, "deduplicate", 30, 50);
    seq = await writeBatch(store, schema, next, seq, id++);
    ops.push(...next);
    if (withMaxLevelRun && i === 1) await compact(store, true);
  }
  return { store, ops };
}

/** The latest snapshot is complete: every live data file present with the listed size. */
async function checkComplete(store: ObjectStore): Promise<void> {
  const id = (await latestSnapshotId(store))!;
  const { readSnapshot } = await import("../../src/table/snapshot_manager.ts");
  for (const e of await snapshotLiveFiles(store, await readSnapshot(store, id))) {
    const bytes = await store.get(`${bucketDirName(e.bucket)}/${e.file.fileName}`);
    assert.equal(BigInt(bytes.length), e.file.fileSize, `${e.file.fileName} size`);
  }
}

for (const [name, withMaxLevelRun, full] of [["level-0 runs, full compaction", false, true], ["max-level run plus level-0 runs, normal compaction", true, false]] as const) {
  describe(`compaction crash safety: ${name}`, () => {
    test("every write failing or crashing in turn leaves the last committed snapshot readable", async () => {
      const { store: base, ops } = await buildTable(withMaxLevelRun);
      const want = modelRows("deduplicate", ops);
      assert.deepEqual(await readRows(base), want);
      const baseId = (await latestSnapshotId(base))!;
      const baseSnapshot = toHex(await base.get(`snapshot/${snapshotFileName(baseId)}`));
      const dry = new FaultStore(await copyStore(base));
      const done = await compact(dry, full);
      assert.equal(done.snapshotIds.length, 1, "the dry run compacts");
      const writes = dry.writeCount;
      assert.ok(dry.writeLog.some((w) => w.path.startsWith("bucket-")), "the compaction writes data files");
      let survivedWithNewSnapshot = 0;
      for (let k = 0; k < writes; k++) {
        for (const kind of KINDS) {
          const inner = await copyStore(base);
          const faulty = new FaultStore(inner, [{ writeIndex: k, kind }]);
          let failed = false;
          try {
            await compact(faulty, full);
          } catch {
            failed = true;
          }
          const where = `${kind} at write ${k} (${dry.writeLog[k]!.op} ${dry.writeLog[k]!.path})`;
          const latest = (await latestSnapshotId(inner))!;
          if (latest === baseId) {
            assert.equal(toHex(await inner.get(`snapshot/${snapshotFileName(baseId)}`)), baseSnapshot, where);
          } else {
            assert.equal(latest, baseId + 1n, where);
            survivedWithNewSnapshot++;
          }
          // Success means committed (a fault at a best-effort hint write may go unreported).
          if (!failed) assert.equal(latest, baseId + 1n, `${where}: reported success without a new snapshot`);
          await checkComplete(inner);
          assert.deepEqual(await readRows(inner), want, where);
          // The next compaction carries on.
          await compact(inner, true);
          await checkComplete(inner);
          assert.deepEqual(await readRows(inner), want, `${where}, then a new compaction`);
        }
      }
      assert.ok(survivedWithNewSnapshot > 0, "faults after the snapshot write keep the new snapshot");
    });
  });
}
