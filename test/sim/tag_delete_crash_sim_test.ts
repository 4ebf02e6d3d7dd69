// Goal: crash and failure safety of tag deletion. Whatever write of a deleteTag fails or
// "crashes", every retained snapshot and every other tag keeps all its files and reads the same
// rows; the deleted tag's files are either still all there (tag file kept) or only orphans are
// left (never a tag or snapshot missing a file); failed deletes are reported; a retry of a tag
// still present finishes the job exactly like a fault-free deletion.
// Method: seeded histories of real commits (expire_helpers.ts) with changelog and index files,
// tags at 3 (a neighbour), 5 (the one deleted) and 8, snapshots expired down to 2. A fault-free
// deletion on a copy gives the reference state and the number of writes; then for every write
// index and fault kind, a copy deletes the tag through a FaultStore faulting there.
import { assert, describe, test } from "../harness.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import { expireSnapshots } from "../../src/table/expire_snapshots.ts";
import { readSnapshot } from "../../src/table/snapshot_manager.ts";
import { createTag, deleteTag, readTag, type DeleteTagResult } from "../../src/table/tag_manager.ts";
import { buildHistory, copyStore, HISTORY_START_MS, minus, pathsOf, referencedPaths, rowsAt, stateOf } from "../unit/table/expire_helpers.ts";

const KINDS = [FaultKind.FAIL, FaultKind.FAIL_AFTER, FaultKind.CRASH, FaultKind.CRASH_AFTER];

describe("tag deletion crash simulation", () => {
  for (const seed of [41, 42]) {
    test(`seed ${seed}: a fault at any write never costs a needed file; a retry converges`, async () => {
      const { store: pre, schema } = await buildHistory({ seed, steps: 12, changelog: true, index: true });
      const tags = await Promise.all([3n, 5n, 8n].map((id) => readSnapshot(pre, id)));
      for (const t of tags) await createTag(pre, `t${t.id}`, { snapshotId: t.id, options: {} });
      await expireSnapshots(pre, schema, { options: { "snapshot.num-retained.min": "2", "snapshot.num-retained.max": "2" }, nowMs: () => HISTORY_START_MS + 100 * 3_600_000 });
      const keep = [await readSnapshot(pre, 11n), await readSnapshot(pre, 12n)];
      const rows = await Promise.all(keep.map((s) => rowsAt(pre, s.id)));
      const needed = new Set<string>();
      for (const s of keep) for (const p of await referencedPaths(pre, schema, s, true)) needed.add(p);
      for (const t of [tags[0]!, tags[2]!]) for (const p of await referencedPaths(pre, schema, t, false)) needed.add(p);
      needed.add("tag/tag-t3").add("tag/tag-t8");
      const tagFiles = await referencedPaths(pre, schema, tags[1]!, false);

      const dry = new FaultStore(await copyStore(pre));
      const reference = await deleteTag(dry, "t5");
      assert.ok(reference.deletedFiles > 0);
      const referenceState = await stateOf(dry.inner);
      const writes = dry.writeCount;
      assert.equal(writes, reference.deletedFiles + 1, "the tag file, then one delete per file");

      for (let k = 0; k < writes; k++) {
        for (const kind of KINDS) {
          const what = `seed ${seed}, write ${k} (${dry.writeLog[k]!.path}), ${kind}`;
          const inner = await copyStore(pre);
          const fs = new FaultStore(inner, [{ writeIndex: k, kind }]);
          let result: DeleteTagResult | null = null;
          try {
            result = await deleteTag(fs, "t5");
          } catch {
            // the tag file delete faulted, or the store crashed
          }
          const present = await pathsOf(inner);
          assert.deepEqual(minus(needed, present), [], `${what}: nothing another tag or snapshot needs is gone`);
          for (let i = 0; i < keep.length; i++) assert.deepEqual(await rowsAt(inner, keep[i]!.id), rows[i], `${what}: rows of ${keep[i]!.id}`);
          if ((await readTag(inner, "t5")) !== null) {
            assert.deepEqual(minus(tagFiles, present), [], `${what}: a tag still present has all its files`);
            await deleteTag(inner, "t5");
            assert.deepEqual(await stateOf(inner), referenceState, `${what}: the retry converges`);
          } else {
            const leaked = minus(present, new Set(referenceState.keys()));
            assert.ok(leaked.every((p) => tagFiles.has(p)), `${what}: only the tag's own files may be left (orphans)`);
            if (result !== null && kind === FaultKind.FAIL) assert.deepEqual(result.failedPaths, leaked, `${what}: failed deletes are reported`);
          }
        }
      }
    });
  }
});
