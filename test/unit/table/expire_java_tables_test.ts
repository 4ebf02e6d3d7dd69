// Goal: expiration works on tables Java wrote (older snapshot layouts, deletion-vector index
// files, changelog files of `changelog-producer = input`, partitioned and unaware-bucket append
// tables): with `snapshot.num-retained.max = 1` only the latest snapshot stays, it reads the
// same rows as before, and exactly the files only older snapshots referenced are deleted.
// Method: copy each Java fixture table into a MemoryStore, read its latest snapshot, compute the
// files to delete with the brute-force model of expire_helpers.ts, expire, compare.
import { fileURLToPath } from "node:url";
import { assert, describe, test } from "../../harness.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { latestSchema } from "../../../src/table/schema_manager.ts";
import { expireSnapshots } from "../../../src/table/expire_snapshots.ts";
import { latestSnapshotId, listSnapshotIds } from "../../../src/table/snapshot_manager.ts";
import { copyStore, expectedDeleted, minus, pathsOf, rowsAt } from "./expire_helpers.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const FIXTURES = [
  "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor",
  "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row",
  "pk_09.db/pk_09",
  "paimon-0.5.db/many_pk_table",
  "append_complex_data.db/append_complex_data",
  "append_table_with_alter_table.db/append_table_with_alter_table",
];
/** 2100-01-01: every fixture snapshot is older than any time retention. */
const NOW_MS = 4_102_444_800_000;

describe("expiring Java-written tables", () => {
  for (const fixture of FIXTURES) {
    test(`${fixture}: num-retained.max = 1 keeps the latest snapshot and its rows`, async () => {
      const store = await copyStore(new NodeFsStore(TABLES + fixture));
      const schema = await latestSchema(store);
      const latest = (await latestSnapshotId(store))!;
      const ids = await listSnapshotIds(store);
      assert.ok(ids.length >= 2, "fixture has several snapshots");
      const rows = await rowsAt(store, latest);
      const expected = await expectedDeleted(store, schema, ids.filter((id) => id !== latest));
      const before = await pathsOf(store);
      const result = await expireSnapshots(store, schema, {
        nowMs: () => NOW_MS, options: { "snapshot.num-retained.max": "1", "snapshot.num-retained.min": "1" },
      });
      assert.deepEqual(await listSnapshotIds(store), [latest]);
      assert.equal(result.expiredSnapshots, ids.length - 1);
      assert.deepEqual(minus(before, await pathsOf(store)), [...expected].sort());
      assert.ok([...expected].some((p) => !p.startsWith("snapshot/")), "some data or metadata files were deleted");
      assert.deepEqual(await rowsAt(store, latest), rows);
    });
  }
});
