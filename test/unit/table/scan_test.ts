// Goal: scan planning prunes by partition, bucket and key statistics, never dropping a file a
// matching row could come from, and hides level 0 when asked.
// Method: plan scans of Java-written fixture tables with filters whose answers are known from
// the tables' READMEs and the files' placement (inspected with `lakestate inspect`).
import { fileURLToPath } from "node:url";
import { assert, test } from "../../harness.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { parsePredicate } from "../../../src/table/predicate_parser.ts";
import { planScan } from "../../../src/table/scan.ts";
import { latestSchema } from "../../../src/table/schema_manager.ts";
import { readSnapshot } from "../../../src/table/snapshot_manager.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const MOR = new NodeFsStore(TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");

async function plan(filter: string | null, options: { snapshotId?: bigint; skipLevel0?: boolean } = {}) {
  const schema = await latestSchema(MOR);
  const snapshot = await readSnapshot(MOR, options.snapshotId ?? 5n);
  return planScan(MOR, { snapshot, schema, filter: filter === null ? null : parsePredicate(filter), skipLevel0: options.skipLevel0 ?? false });
}

const fileCount = (p: Awaited<ReturnType<typeof plan>>) => p.splits.reduce((s, x) => s + x.files.length, 0);

test("no filter: every live file, one split per (partition, bucket), ordered", async () => {
  const p = await plan(null);
  assert.equal(fileCount(p), 6);
  assert.deepEqual(p.splits.map((s) => [s.partitionValues[0], s.bucket]), [[10, 0], [10, 1], [20, 0]]);
  assert.deepEqual(p.pruned, { manifests: 0, files: 0 });
});

test("partition filter keeps only that partition's files", async () => {
  const p = await plan("f1 = 20");
  assert.deepEqual(p.splits.map((s) => [s.partitionValues[0], s.bucket]), [[20, 0]]);
  assert.equal(fileCount(p), 1);
  assert.ok(p.pruned.manifests > 0, "manifests whose partition stats exclude f1=20 are not even read");
  assert.equal(fileCount(await plan("f1 IN (10, 30)")), 5);
});

test("bucket filter: an equality on the bucket key (f2) selects Java's bucket", async () => {
  // README: bucket key f2, 2 buckets; f2=0 hashes to bucket 1, f2=1 to bucket 0 (paimon-format.md §7.2).
  const p = await plan("f2 = 0");
  assert.deepEqual(p.splits.map((s) => s.bucket), [1]);
  const q = await plan("f2 = 1");
  assert.deepEqual([...new Set(q.splits.map((s) => s.bucket))], [0]);
});

test("key statistics prune files whose key range cannot match; OR keeps both sides", async () => {
  const all = fileCount(await plan(null));
  const p = await plan("f0 = 'Skye2'");
  assert.ok(fileCount(p) < all, "some file's key range excludes Skye2");
  assert.ok(p.splits.some((s) => s.files.some((f) => f.rowCount === 3n && f.level === 0)), "the file holding Skye2 stays");
  const q = await plan("f0 = 'Skye2' OR f1 = 20");
  assert.ok(q.splits.some((s) => s.partitionValues[0] === 20));
});

test("skipLevel0 drops level-0 files (first-row and deletion-vector tables)", async () => {
  const p = await plan(null, { skipLevel0: true });
  assert.ok(p.splits.every((s) => s.files.every((f) => f.level > 0)));
  assert.equal(fileCount(p), 2);
});

test("a filter on a non-key value column never prunes primary-key files", async () => {
  assert.equal(fileCount(await plan("f3 > 1000")), 6);
});
