// Goal: crash and failure safety of expiration with a decoupled changelog lifecycle. Whatever
// write fails or "crashes" (snapshot phase: data and manifest deletes, changelog-N puts,
// snapshot deletes, hints; changelog phase: changelog file, manifest and changelog-N deletes),
// every id the fault-free run keeps readable (retained snapshots and retained changelogs) stays
// readable afterwards, as a snapshot or as a changelog, with every file it needs; the tag keeps
// its files; only best-effort hint puts fail silently; and the next expire call converges to
// exactly the state of a fault-free run.
// Method: as expire_crash_sim_test.ts: a fault-free run on a copy gives the reference state and
// the write log; then for every write index and fault kind a copy expires through a FaultStore,
// is checked, expired again without faults and compared byte for byte with the reference.
// Both changelog producers: input (changelog files) and none (the delta's APPEND files).
import { assert, describe, test } from "../harness.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import type { TableSchema } from "../../src/spec/schema.ts";
import { readSnapshotOrChangelog } from "../../src/table/changelog_manager.ts";
import { expireSnapshots } from "../../src/table/expire_snapshots.ts";
import { listSnapshotIds, tryReadSnapshot } from "../../src/table/snapshot_manager.ts";
import { changelogNeeds, readChangelogs } from "../unit/table/expire_changelog_helpers.ts";
import {
  buildHistory, copyStore, createTag, HISTORY_START_MS, minus, pathsOf, referencedPaths, stateOf,
} from "../unit/table/expire_helpers.ts";

const KINDS = [FaultKind.FAIL, FaultKind.FAIL_AFTER, FaultKind.CRASH, FaultKind.CRASH_AFTER];
const NOW = () => HISTORY_START_MS + 100 * 3_600_000;
const HINTS = new Set(["snapshot/EARLIEST", "changelog/LATEST", "changelog/EARLIEST"]);

interface Scenario {
  readonly seed: number;
  readonly steps: number;
  readonly producerNone: boolean;
  readonly tagAt: bigint;
}

const SCENARIOS: Scenario[] = [
  { seed: 33, steps: 10, producerNone: false, tagAt: 3n },
  { seed: 34, steps: 9, producerNone: true, tagAt: 2n },
];

const OPTIONS = {
  "snapshot.num-retained.max": "2", "snapshot.num-retained.min": "2",
  "changelog.num-retained.max": "5", "changelog.num-retained.min": "5",
};

/**
 * Every id the reference keeps stays readable: retained snapshots with all their files; ids the
 * reference keeps as changelogs, as a snapshot not yet expired or as a changelog, with every
 * file a stream reads for them (a snapshot being expired may already miss its other files).
 */
async function checkReadable(
  store: ObjectStore, schema: TableSchema, snapshotIds: readonly bigint[], changelogIds: readonly bigint[], producerNone: boolean, what: string,
): Promise<void> {
  const present = await pathsOf(store);
  for (const id of snapshotIds) {
    const snapshot = await tryReadSnapshot(store, id);
    assert.ok(snapshot !== null, `${what}: snapshot ${id} present`);
    assert.deepEqual(minus(await referencedPaths(store, schema, snapshot, true), present), [], `${what}: snapshot ${id} intact`);
  }
  for (const id of changelogIds) {
    const changelog = await readSnapshotOrChangelog(store, id, true);
    assert.ok(changelog !== null, `${what}: id ${id} still readable`);
    assert.deepEqual(minus(await changelogNeeds(store, schema, changelog, producerNone), present), [], `${what}: changes of ${id} intact`);
  }
}

describe("expire crash simulation, decoupled changelog lifecycle", () => {
  for (const sc of SCENARIOS) {
    test(`seed ${sc.seed}, producer ${sc.producerNone ? "none" : "input"}: a fault at any write, then a second call, converges`, async () => {
      const { store: pre, schema } = await buildHistory({
        seed: sc.seed, steps: sc.steps, changelog: !sc.producerNone, tableOptions: sc.producerNone ? {} : { "changelog-producer": "input" },
      });
      const tag = await createTag(pre, "t", sc.tagAt);
      const tagRefs = await referencedPaths(pre, schema, tag, false);

      const dry = new FaultStore(await copyStore(pre));
      await expireSnapshots(dry, schema, { nowMs: NOW, options: OPTIONS });
      const reference = await stateOf(dry.inner);
      const keptChangelogs = [...(await readChangelogs(dry.inner)).keys()];
      const keptSnapshots = await listSnapshotIds(dry.inner);
      assert.ok(keptChangelogs.length >= 3 && keptSnapshots.length === 2, `reference keeps changelogs ${keptChangelogs.join(",")}, snapshots ${keptSnapshots.join(",")}`);
      const writes = dry.writeLog.length;
      assert.ok(writes > 30, `scenario has enough writes (${writes})`);

      for (let k = 0; k < writes; k++) {
        const w = dry.writeLog[k]!;
        for (const kind of KINDS) {
          const what = `write ${k} (${w.op} ${w.path}) ${kind}`;
          const inner = await copyStore(pre);
          const faulty = new FaultStore(inner, [{ writeIndex: k, kind }]);
          let failed = false;
          try {
            await expireSnapshots(faulty, schema, { nowMs: NOW, options: OPTIONS });
          } catch {
            failed = true;
          }
          // A failed hint put is ignored (best effort); a crash there still stops every later call.
          const crash = kind === FaultKind.CRASH || kind === FaultKind.CRASH_AFTER;
          assert.equal(failed, !(w.op === "put" && HINTS.has(w.path)) || (crash && k < writes - 1), `${what}: reported unless a hint`);
          await checkReadable(inner, schema, keptSnapshots, keptChangelogs, sc.producerNone, what);
          assert.deepEqual(minus(tagRefs, await pathsOf(inner)), [], `${what}: tag files present`);
          await expireSnapshots(inner, schema, { nowMs: NOW, options: OPTIONS });
          assert.deepEqual(await stateOf(inner), reference, `${what}: converged to the reference state`);
        }
      }
    });
  }
});
