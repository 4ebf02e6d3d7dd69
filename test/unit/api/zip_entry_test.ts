// Goal: the runtime entries' `openTable` opens a table inside a local `.zip` archive (path or
// file: URL; exported with the table at the root, or under one top folder as `zip -r` makes
// it) and reads it exactly as the directory it came from; an archive without a table is
// LakeError("not_found"). Under Deno, src/deno.ts is checked as well as src/node.ts.
// Method: a Java fixture table exported with exportStoreZip into a temp directory; rows,
// snapshots and manifests compared with the fixture directory read by the same entry.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { assert, test } from "../../harness.ts";
import { exportStoreZip } from "../../../src/io/zip_store.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { unzipEntries, zipEntries } from "../../../src/util/zip.ts";
import { isLakeError } from "../../../src/errors.ts";
import type { Table } from "../../../src/api/table.ts";

const MOR = fileURLToPath(new URL("../../fixtures/paimon/java-tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", import.meta.url));

async function rowsOf(table: Table): Promise<string[]> {
  const out: string[] = [];
  for await (const r of table.rows()) out.push(JSON.stringify(r));
  return out.sort();
}

type OpenTable = (table: string | URL) => Promise<Table>;

const entries: [string, () => Promise<OpenTable>][] = [["node.ts", async () => (await import("../../../src/node.ts")).openTable]];
if ("Deno" in globalThis) entries.push(["deno.ts", async () => (await import("../../../src/deno.ts")).openTable]);

for (const [name, load] of entries) {
  test(`${name} openTable reads a table from a .zip path or file: URL`, async () => {
    const openTable = await load();
    const dir = await mkdtemp(join(tmpdir(), "lakestate-zip-entry-"));
    try {
      const zip = await exportStoreZip(new NodeFsStore(MOR), "");
      await writeFile(join(dir, "mor.zip"), zip);
      const wrapped = zipEntries((await unzipEntries(zip)).map((e) => ({ path: `orders/${e.path}`, bytes: e.bytes })));
      await writeFile(join(dir, "wrapped.ZIP"), wrapped);
      await writeFile(join(dir, "none.zip"), zipEntries([{ path: "orders/readme.txt", bytes: new TextEncoder().encode("x") }]));
      const original = await openTable(MOR);
      const expected = await rowsOf(original);
      assert.ok(expected.length > 3);
      for (const input of [join(dir, "mor.zip"), pathToFileURL(join(dir, "mor.zip")), pathToFileURL(join(dir, "mor.zip")).href, join(dir, "wrapped.ZIP")]) {
        const table = await openTable(input);
        assert.deepEqual(await rowsOf(table), expected, String(input));
        assert.deepEqual((await table.snapshots()).map((s) => s.id), (await original.snapshots()).map((s) => s.id));
        assert.deepEqual(await table.manifests(), await original.manifests());
        await assert.rejects(() => table.write([{ f0: "x", f1: 10, f2: 0, f3: 1 }]), (e: unknown) => isLakeError(e, "unsupported") && /zip store: read-only/.test((e as Error).message));
      }
      await assert.rejects(() => openTable(join(dir, "none.zip")), (e: unknown) => isLakeError(e, "not_found") && /no Paimon table/.test((e as Error).message));
      await assert.rejects(() => openTable(join(dir, "missing.zip")), (e: unknown) => isLakeError(e, "not_found"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
