// Goal: `Table.manifests()` and `lakestate manifests` give Java's $manifests rows for tables
// Java wrote: one row per manifest of the base, delta and changelog lists, with the manifest's
// real size, its ADD/DELETE entry counts and the partition bounds of its entries.
// Method: Java fixtures read through NodeFsStore; expectations come from other sources than the
// manifest-list records under test: manifest list names from the snapshot JSON (regex), sizes
// from `stat`, counts and partition bounds from decoding the manifest files' own entries; the
// CLI's NDJSON is compared with Java's column names and the API rows.
import { fileURLToPath } from "node:url";
import { assert, describe, readFixtureText, test } from "../../harness.ts";
import { openTable } from "../../../src/api/catalog.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { FILE_KIND } from "../../../src/spec/manifest_entry.ts";
import { logicalPartitionType } from "../../../src/spec/schema.ts";
import { readManifest, readManifestList } from "../../../src/table/manifest_reader.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { ndjsonRows, runLakestate } from "../cli/cli_host.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));
const MOR = "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";
const CHANGELOG = "paimon-0.5.db/many_pk_table";
const JAVA_COLUMNS = ["file_name", "file_size", "num_added_files", "num_deleted_files", "schema_id", "min_partition_stats", "max_partition_stats", "min_row_id", "max_row_id"];

function jsonField(json: string, key: string): string | null {
  const m = new RegExp(`"${key}" : ("[^"]*"|null)`).exec(json);
  return m === null || m[1] === "null" ? null : JSON.parse(m[1]!) as string;
}

describe("Table.manifests ($manifests)", () => {
  for (const rel of [MOR, CHANGELOG]) {
    test(`${rel}: rows per snapshot match the manifest files themselves`, async () => {
      const store = new NodeFsStore(TABLES + rel);
      const table = await openTable(store);
      const partitionFields = logicalPartitionType(table.schema).fields;
      const snapshots = await table.snapshots();
      assert.ok(snapshots.length >= 2);
      let sawChangelog = false;
      for (const s of snapshots) {
        const json = await readFixtureText(`paimon/java-tables/${rel}/snapshot/snapshot-${s.id}`);
        const lists = ["baseManifestList", "deltaManifestList", "changelogManifestList"].map((k) => jsonField(json, k)).filter((n) => n !== null);
        const expectedNames: string[] = [];
        for (const list of lists) for (const m of await readManifestList(store, list!)) expectedNames.push(m.fileName);
        const rows = await table.manifests({ snapshotId: s.id });
        assert.deepEqual(rows.map((r) => r.fileName), expectedNames, `snapshot ${s.id}`);
        if (jsonField(json, "changelogManifestList") !== null) sawChangelog = true;
        for (const row of rows) {
          assert.equal(row.fileSize, BigInt((await store.stat(`manifest/${row.fileName}`))!.sizeBytes), row.fileName);
          const entries = await readManifest(store, row.fileName);
          assert.equal(row.numAddedFiles, BigInt(entries.filter((e) => e.kind === FILE_KIND.ADD).length));
          assert.equal(row.numDeletedFiles, BigInt(entries.filter((e) => e.kind === FILE_KIND.DELETE).length));
          assert.equal(row.schemaId, entries.reduce((max, e) => (e.file.schemaId > max ? e.file.schemaId : max), 0n));
          if (partitionFields.length === 0) {
            assert.deepEqual(row.minPartitionStats, {});
          } else {
            const parts = entries.map((e) => decodeSerializedBinaryRow(partitionFields.map((f) => f.type), e.partition)[0] as number);
            assert.deepEqual(row.minPartitionStats, { [partitionFields[0]!.name]: Math.min(...parts) });
            assert.deepEqual(row.maxPartitionStats, { [partitionFields[0]!.name]: Math.max(...parts) });
          }
        }
      }
      if (rel === CHANGELOG) assert.ok(sawChangelog, "the changelog fixture has changelog manifest lists");
      assert.deepEqual(await table.manifests(), await table.manifests({ snapshotId: snapshots[snapshots.length - 1]!.id }));
    });
  }

  test("the MOR table's first snapshot covers both partitions; an empty table has no manifests", async () => {
    const table = await openTable(new NodeFsStore(TABLES + MOR));
    const rows = await table.manifests({ snapshotId: 1 });
    assert.ok(rows.length >= 1);
    assert.deepEqual(rows.map((r) => [r.minPartitionStats, r.maxPartitionStats]).at(-1), [{ f1: 10 }, { f1: 20 }]);
    assert.equal(rows.reduce((n, r) => n + r.numAddedFiles, 0n) > 0n, true);
    const empty = new MemoryStore();
    await empty.put("schema/schema-0", await new NodeFsStore(TABLES + MOR).get("schema/schema-0"));
    assert.deepEqual(await (await openTable(empty)).manifests(), []);
  });

  test("lakestate manifests prints Java's columns with partition texts", async () => {
    const r = await runLakestate(["manifests", TABLES + MOR, "--snapshot", "1", "--format", "ndjson"]);
    assert.equal(r.code, 0, r.err);
    const printed = ndjsonRows(r.out);
    const api = await (await openTable(new NodeFsStore(TABLES + MOR))).manifests({ snapshotId: 1 });
    assert.equal(printed.length, api.length);
    for (const [i, row] of printed.entries()) {
      assert.deepEqual(Object.keys(row), JAVA_COLUMNS);
      assert.equal(row.file_name, api[i]!.fileName);
      assert.equal(row.file_size, Number(api[i]!.fileSize));
      assert.equal(row.min_partition_stats, `{${api[i]!.minPartitionStats!.f1}}`);
    }
    const table = await runLakestate(["manifests", TABLES + MOR]);
    assert.equal(table.code, 0);
    assert.match(table.out, /file_name/);
    const bad = await runLakestate(["manifests", TABLES + MOR, "--snapshot", "99"]);
    assert.equal(bad.code, 1);
  });
});
