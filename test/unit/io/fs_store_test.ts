// Goal: the filesystem adapters pass the ObjectStore contract and keep their atomicity promises
// on a real disk: a concurrent reader never sees a partially written object, temp files never
// show, and the on-disk layout is plain files that both fs adapters share.
// Method: under Node, NodeFsStore; under Deno (detected through globalThis.Deno) both
// DenoFsStore and NodeFsStore (Deno runs node:fs). Every test gets a fresh mkdtemp directory
// under the OS temp dir, removed afterwards. Readers poll get/stat while large writes run.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, describe, test } from "../../harness.ts";
import { defineStoreContract, randomBytes, rejectsWith } from "../../contract/store_contract.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { DenoFsStore } from "../../../src/io/fs_deno_store.ts";
import { isLakeError } from "../../../src/errors.ts";
import { equalBytes, utf8Encode } from "../../../src/util/bytes.ts";
import type { ObjectStore } from "../../../src/io/store.ts";

const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;

type Maker = (rootDir: string, options?: { syncWrites?: boolean }) => ObjectStore;
const makers: [string, Maker][] = [["NodeFsStore", (root, options) => new NodeFsStore(root, options)]];
if (isDeno) makers.push(["DenoFsStore", (root, options) => new DenoFsStore(root, options)]);

/** Runs `body` with a fresh temp directory that is removed afterwards. */
async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lakestate-store-"));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Recursively lists every file name under `dir` (including hidden ones), relative to it. */
async function rawFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push(...(await rawFiles(join(dir, e.name))).map((p) => `${e.name}/${p}`));
    else out.push(e.name);
  }
  return out.sort();
}

/**
 * Polls `path` until `writing` settles; every observation must be "absent" or one of `allowed`
 * in full. A cheap stat runs every round so sampling is dense (a partially written file shows
 * as a size no version has); a whole get + byte compare runs every 4th round.
 * Returns the observation counts.
 */
async function pollWhile(store: ObjectStore, path: string, writing: Promise<unknown>, allowed: Uint8Array[]): Promise<{ complete: number; absent: number }> {
  let done = false;
  void writing.finally(() => { done = true; }).catch(() => undefined);
  const seen = { complete: 0, absent: 0 };
  for (let round = 0; !done; round++) {
    const stat = await store.stat(path);
    if (stat === null) seen.absent++;
    else assert.ok(allowed.some((b) => b.length === stat.sizeBytes), `stat saw a partial size ${stat.sizeBytes}`);
    if (round % 4 !== 0) continue;
    try {
      const got = await store.get(path);
      assert.ok(allowed.some((b) => b.length === got.length && equalBytes(b, got)), `get saw ${got.length} bytes that match no complete version`);
      seen.complete++;
    } catch (error) {
      if (!isLakeError(error, "not_found")) throw error;
      seen.absent++;
    }
  }
  return seen;
}

for (const [name, make] of makers) {
  defineStoreContract(name, async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakestate-store-"));
    // The root itself does not exist yet: stores create it on first write.
    return { store: make(join(dir, "root")), dispose: () => rm(dir, { recursive: true, force: true }) };
  });

  describe(`${name} specifics`, () => {
    test("putIfAbsent never exposes a partially written object to a concurrent reader", async () => {
      await withTempDir(async (dir) => {
        const store = make(dir);
        const bytes = randomBytes(24 * 1024 * 1024, 11);
        await store.put("snapshot/EARLIEST", utf8Encode("1")); // the directory exists, as in a table
        const writing = store.putIfAbsent("snapshot/snapshot-1", bytes);
        const seen = await pollWhile(store, "snapshot/snapshot-1", writing, [bytes]);
        assert.equal(await writing, true);
        assert.ok(seen.absent > 0, "the reader ran while the write was in flight");
        assert.ok(equalBytes(await store.get("snapshot/snapshot-1"), bytes));
      });
    });

    test("put over an existing object: concurrent readers see old or new, never a mix", async () => {
      await withTempDir(async (dir) => {
        const store = make(dir);
        const before = randomBytes(16 * 1024 * 1024, 12);
        const after = randomBytes(16 * 1024 * 1024 - 5, 13);
        await store.put("snapshot/LATEST", before);
        const writing = store.put("snapshot/LATEST", after);
        const seen = await pollWhile(store, "snapshot/LATEST", writing, [before, after]);
        await writing;
        assert.equal(seen.absent, 0, "an overwritten object never disappears");
        assert.ok(equalBytes(await store.get("snapshot/LATEST"), after));
      });
    });

    test("no temp files remain; stray temp files are hidden and block nothing", async () => {
      await withTempDir(async (dir) => {
        const store = make(dir);
        await store.put("t/a", utf8Encode("a"));
        await store.put("t/a", utf8Encode("a2"));
        assert.equal(await store.putIfAbsent("t/b", utf8Encode("b")), true);
        assert.equal(await store.putIfAbsent("t/b", utf8Encode("b2")), false);
        await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIfAbsent("t/c", utf8Encode(`c${i}`))));
        assert.deepEqual(await rawFiles(dir), ["t/a", "t/b", "t/c"]);
        // A crash between writing a temp file and linking it leaves this behind:
        await writeFile(join(dir, "t", ".snapshot-9.00112233aabbccdd.tmp"), "partial");
        await writeFile(join(dir, "t", ".x.tmp"), "partial");
        assert.deepEqual((await store.list("")).map((e) => e.path), ["t/a", "t/b", "t/c"]);
        assert.deepEqual((await store.list("t/.")).map((e) => e.path), []);
        assert.equal(await store.putIfAbsent("t/snapshot-9", utf8Encode("9")), true);
        assert.equal(new TextDecoder().decode(await store.get("t/snapshot-9")), "9");
      });
    });

    test("objects are plain files under rootDir; foreign names are skipped by list", async () => {
      await withTempDir(async (dir) => {
        const store = make(join(dir, "warehouse/"));
        await store.put("db.db/t/schema/schema-0", utf8Encode("{}"));
        assert.equal(await readFile(join(dir, "warehouse", "db.db", "t", "schema", "schema-0"), "utf8"), "{}");
        await mkdir(join(dir, "warehouse", "db.db", "t", "snapshot"), { recursive: true });
        await writeFile(join(dir, "warehouse", "db.db", "t", "snapshot", "LATEST"), "3");
        await writeFile(join(dir, "warehouse", "db.db", "t", "snapshot", "bad\\name"), "x");
        assert.deepEqual(await store.list("db.db/t/"), [
          { path: "db.db/t/schema/schema-0", sizeBytes: 2 },
          { path: "db.db/t/snapshot/LATEST", sizeBytes: 1 },
        ]);
        await rejectsWith(() => store.get("db.db/t/snapshot"), "not_found");
        await store.delete("db.db/t/snapshot"); // a directory: no object, nothing happens
        assert.equal((await store.list("db.db/t/snapshot/")).length, 1);
      });
    });

    test("syncWrites false keeps every contract write working", async () => {
      await withTempDir(async (dir) => {
        const store = make(dir, { syncWrites: false });
        await store.put("x/y", utf8Encode("y"));
        assert.equal(await store.putIfAbsent("x/z", utf8Encode("z")), true);
        assert.equal(await store.putIfAbsent("x/z", utf8Encode("q")), false);
        assert.deepEqual(await rawFiles(dir), ["x/y", "x/z"]);
      });
    });
  });
}

if (isDeno) {
  test("NodeFsStore and DenoFsStore share one directory layout", async () => {
    await withTempDir(async (dir) => {
      const nodeStore = new NodeFsStore(dir);
      const denoStore = new DenoFsStore(dir);
      await nodeStore.put("p=1/bucket-0/data-1", utf8Encode("from node"));
      assert.equal(await denoStore.putIfAbsent("snapshot/snapshot-1", utf8Encode("from deno")), true);
      assert.equal(await nodeStore.putIfAbsent("snapshot/snapshot-1", utf8Encode("node lost")), false);
      assert.equal(new TextDecoder().decode(await denoStore.get("p=1/bucket-0/data-1")), "from node");
      assert.deepEqual(await denoStore.list(""), await nodeStore.list(""));
      assert.deepEqual(await denoStore.stat("snapshot/snapshot-1"), await nodeStore.stat("snapshot/snapshot-1"));
    });
  });
} else {
  test("DenoFsStore outside Deno is a clear unsupported error", () => {
    assert.throws(() => new DenoFsStore("/tmp"), (error: unknown) => isLakeError(error, "unsupported"));
  });
}
