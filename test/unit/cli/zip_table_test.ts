// Goal: every table command accepts a table's .zip archive (what catalog.exportTable and the web
// demo's export produce) in place of its directory: `read`, `snapshots` and `schema` print exactly
// what they print for the directory; a missing archive, an archive without a table and a command
// that writes (tag create) fail with a one-line error and exit 1, the archive untouched.
// Method: the Java-written merge-on-read fixture zipped with exportStoreZip (paths relative to the
// table) into a temp file, and once more under a folder (an archive of the table's directory);
// the CLI runs in-process with the Node file reader, outputs compared with the directory's.
import { assert, test } from "../../harness.ts";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { exportStoreZip } from "../../../src/io/zip_store.ts";
import { zipEntries, unzipEntries } from "../../../src/util/zip.ts";
import { runLakestate, TABLES } from "./cli_host.ts";

const MOR = TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor";

async function withZips(body: (flat: string, nested: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lakestate-cli-zip-"));
  try {
    const zip = await exportStoreZip(new NodeFsStore(MOR), "");
    const flat = join(dir, "mor.zip"), nested = join(dir, "Nested.ZIP");
    await writeFile(flat, zip);
    const entries = await unzipEntries(zip);
    await writeFile(nested, zipEntries(entries.map((e) => ({ path: `export/mor/${e.path}`, bytes: e.bytes }))));
    await body(flat, nested, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("read, snapshots and schema of a .zip print what the directory prints", async () => {
  await withZips(async (flat, nested) => {
    for (const args of [["read"], ["read", "--snapshot", "1", "--format", "csv"], ["snapshots"], ["schema"], ["read", "--where", "f1 > 12"]]) {
      const fromDir = await runLakestate([args[0]!, MOR, ...args.slice(1)]);
      assert.equal(fromDir.code, 0, fromDir.err);
      assert.ok(fromDir.out.length > 0);
      for (const zip of [flat, nested]) {
        const fromZip = await runLakestate([args[0]!, zip, ...args.slice(1)]);
        assert.equal(fromZip.code, 0, `${args.join(" ")} on ${zip}: ${fromZip.err}`);
        // The table's name is its path, which differs; everything else is the same.
        assert.equal(fromZip.out.split(zip).join("<t>"), fromDir.out.split(MOR).join("<t>"), `${args.join(" ")} on ${zip}`);
      }
    }
  });
});

test("a missing archive, an archive without a table and a write to an archive fail with one line, exit 1", async () => {
  await withZips(async (flat, _nested, dir) => {
    const missing = await runLakestate(["read", join(dir, "absent.zip")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /absent\.zip.*no such file/);
    assert.equal(missing.err.trim().split("\n").length, 1, missing.err);

    const empty = join(dir, "empty.zip");
    await writeFile(empty, zipEntries([{ path: "notes.txt", bytes: new TextEncoder().encode("no table here") }]));
    const noTable = await runLakestate(["snapshots", empty]);
    assert.equal(noTable.code, 1);
    assert.match(noTable.err, /empty\.zip is not a zip archive of a Paimon table/);

    const before = await readFile(flat);
    const tag = await runLakestate(["tag", flat, "create", "t1"]);
    assert.equal(tag.code, 1, tag.out);
    assert.match(tag.err, /read-only archive, cannot put/);
    assert.equal(tag.err.trim().split("\n").length, 1, tag.err);
    assert.deepEqual(await readFile(flat), before, "the archive is untouched");
  });
});
