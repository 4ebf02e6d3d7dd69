// Goal: crash and failure safety of snapshot expiration. Whatever write of an expiration fails
// or "crashes" (the process stops there), the table afterwards opens at its latest snapshot,
// every retained snapshot and every tag still has all its files and reads the same rows, and the
// next expire call converges to exactly the state a fault-free expiration produces.
// Method: seeded histories of real commits (expire_helpers.ts) with changelog files, HASH index
// files, compactions, merged manifests and a tag. A fault-free run on a copy gives the reference
// end state and the number of writes (deletes and hint puts, from FaultStore's write log). Then,
// for every write index k and every fault kind (fail, fail_after, crash, crash_after), a copy of
// the table expires through a FaultStore faulting at write k; the underlying MemoryStore is
// checked directly, then expired again without faults and compared byte for byte with the
// reference.
import { assert, describe, test } from "../harness.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import type { TableSchema } from "../../src/spec/schema.ts";
import { expireSnapshots } from "../../src/table/expire_snapshots.ts";
import { latestSnapshotId, listSnapshotIds, readSnapshot } from "../../src/table/snapshot_manager.ts";
import {
  buildHistory, copyStore, createTag, HISTORY_START_MS, minus, pathsOf, referencedPaths, rowsAt, stateOf,
} from "../unit/table/expire_helpers.ts";

const KINDS = [FaultKind.FAIL, FaultKind.FAIL_AFTER, FaultKind.CRASH, FaultKind.CRASH_AFTER];
const NOW = () => HISTORY_START_MS + 100 * 3_600_000;

interface Scenario {
  readonly seed: number;
  readonly steps: number;
  readonly tagAt: bigint;
  readonly options: Record<string, string>;
  /** Snapshots the reference run keeps. */
  readonly retained: readonly bigint[];
}

const SCENARIOS: Scenario[] = [
  { seed: 31, steps: 12, tagAt: 4n, options: { "snapshot.num-retained.max": "3", "snapshot.num-retained.min": "3" }, retained: [10n, 11n, 12n] },
  { seed: 32, steps: 9, tagAt: 6n, options: { "snapshot.num-retained.max": "1", "snapshot.num-retained.min": "1" }, retained: [9n] },
];

async function checkIntact(store: ObjectStore, schema: TableSchema, keep: readonly Snapshot[], rows: Map<bigint, string[]>, what: string): Promise<void> {
  const present = await pathsOf(store);
  for (const s of keep) {
    assert.deepEqual(minus(await referencedPaths(store, schema, s, true), present), [], `${what}: files of ${s.id} all present`);
  }
  const latest = await latestSnapshotId(store);
  assert.equal(latest, keep[keep.length - 1]!.id, `${what}: latest snapshot`);
  for (const [id, r] of rows) assert.deepEqual(await rowsAt(store, id), r, `${what}: rows of snapshot ${id}`);
}

describe("expire crash simulation", () => {
  for (const sc of SCENARIOS) {
    test(`seed ${sc.seed}: a fault at any write, then a second expire call, converges`, async () => {
      const { store: pre, schema } = await buildHistory({ seed: sc.seed, steps: sc.steps, changelog: true, index: true });
      const tag = await createTag(pre, "t", sc.tagAt);
      const retained = await Promise.all(sc.retained.map((id) => readSnapshot(pre, id)));
      const rows = new Map<bigint, string[]>();
      for (const id of sc.retained) rows.set(id, await rowsAt(pre, id));
      const tagRefs = await referencedPaths(pre, schema, tag, false);

      const dry = new FaultStore(await copyStore(pre));
      await expireSnapshots(dry, schema, { nowMs: NOW, options: sc.options });
      const reference = await stateOf(dry.inner);
      assert.deepEqual(await listSnapshotIds(dry.inner), sc.retained, "reference keeps the expected snapshots");
      const writes = dry.writeLog.length;
      assert.ok(writes > 20, `scenario has enough writes (${writes})`);

      let runs = 0;
      for (let k = 0; k < writes; k++) {
        for (const kind of KINDS) {
          const what = `write ${k} (${dry.writeLog[k]!.op} ${dry.writeLog[k]!.path}) ${kind}`;
          const inner = await copyStore(pre);
          const faulty = new FaultStore(inner, [{ writeIndex: k, kind }]);
          let failed = false;
          try {
            await expireSnapshots(faulty, schema, { nowMs: NOW, options: sc.options });
          } catch {
            failed = true;
          }
          // Every fault surfaces except at the EARLIEST hint (the only put; best effort).
          assert.equal(failed, dry.writeLog[k]!.op !== "put", `${what}: reported`);
          await checkIntact(inner, schema, retained, rows, what);
          assert.deepEqual(minus(tagRefs, await pathsOf(inner)), [], `${what}: tag files present`);
          await expireSnapshots(inner, schema, { nowMs: NOW, options: sc.options });
          assert.deepEqual(await stateOf(inner), reference, `${what}: converged to the reference state`);
          runs++;
        }
      }
      assert.equal(runs, writes * KINDS.length);
    });
  }
});
