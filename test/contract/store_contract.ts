// Goal: ONE suite that every ObjectStore adapter must pass, so the contract written in
// src/io/store.ts means the same thing on memory, Node fs, Deno fs (and later S3, IndexedDB).
// Method: `defineStoreContract(name, makeStore)` registers a describe block; each test gets a
// fresh store from `makeStore` and disposes it afterwards. Tests use seeded random bytes, exact
// expected values written out by hand, and race 20 concurrent putIfAbsent callers. Directory
// tests run on adapters with the directory capability (makeDirectory, listDirectories,
// deleteDirectory) and, for the fallbacks of store.ts, on a view of the store without it.
import { assert, describe, seededRandom, test } from "../harness.ts";
import { isLakeError, type ErrorCode } from "../../src/errors.ts";
import { equalBytes, utf8Encode } from "../../src/util/bytes.ts";
import {
  comparePaths, deleteDirectory, listDirectories, makeDirectory, openRangeReader, type ObjectStore,
} from "../../src/io/store.ts";

/** A store under test plus how to clean up after it (remove its temp directory, …). */
export type StoreFixture = { readonly store: ObjectStore; dispose(): Promise<void> };

/** Seeded random bytes of `length`. */
export function randomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const next = seededRandom(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (next() * 256) | 0;
  return out;
}

/** Asserts that `run()` rejects with a LakeError of `code` whose message contains `needle`. */
export async function rejectsWith(run: () => Promise<unknown>, code: ErrorCode, needle?: string): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(isLakeError(error, code), `expected LakeError(${code}), got ${String(error)} ${(error as { code?: string })?.code ?? ""}`);
    if (needle !== undefined) assert.ok((error as Error).message.includes(needle), `message ${JSON.stringify((error as Error).message)} lacks ${JSON.stringify(needle)}`);
    return true;
  });
}

function assertBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  assert.ok(equalBytes(actual, expected), `${what}: bytes differ`);
}

/** Registers the contract suite for one adapter. */
export function defineStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  const check = (title: string, body: (store: ObjectStore) => Promise<void>) =>
    test(title, async () => {
      const fixture = await makeStore();
      try {
        await body(fixture.store);
      } finally {
        await fixture.store.close?.();
        await fixture.dispose();
      }
    });

  describe(`ObjectStore contract: ${name}`, () => {
    check("round-trips empty, small and multi-MB objects", async (store) => {
      const objects: [string, Uint8Array][] = [
        ["empty", new Uint8Array(0)],
        ["small.bin", utf8Encode("hello lake")],
        ["big/five-mb.bin", randomBytes(5 * 1024 * 1024 + 3, 7)],
      ];
      for (const [path, bytes] of objects) await store.put(path, bytes);
      for (const [path, bytes] of objects) {
        assertBytes(await store.get(path), bytes, path);
        assert.deepEqual(await store.stat(path).then((s) => s?.sizeBytes), bytes.length);
      }
    });

    check("put overwrites; readers then see only the new bytes", async (store) => {
      await store.put("dir/x", randomBytes(1000, 1));
      const second = randomBytes(10, 2);
      await store.put("dir/x", second);
      assertBytes(await store.get("dir/x"), second, "after overwrite");
      assert.deepEqual(await store.list("dir/"), [{ path: "dir/x", sizeBytes: 10 }]);
    });

    check("getRange returns exact bytes at start, middle, end and zero length", async (store) => {
      const bytes = randomBytes(4096, 3);
      await store.put("r", bytes);
      const cases: [number, number][] = [[0, 10], [1000, 1234], [4086, 10], [0, 4096], [0, 0], [2000, 0], [4096, 0], [4095, 1]];
      for (const [offset, lengthBytes] of cases) {
        assertBytes(await store.getRange("r", { offset, lengthBytes }), bytes.subarray(offset, offset + lengthBytes), `range ${offset}+${lengthBytes}`);
      }
    });

    check("getRange past the end is invalid_argument, never truncated", async (store) => {
      await store.put("r", randomBytes(100, 4));
      await rejectsWith(() => store.getRange("r", { offset: 90, lengthBytes: 11 }), "invalid_argument", "past");
      await rejectsWith(() => store.getRange("r", { offset: 101, lengthBytes: 0 }), "invalid_argument", "\"r\"");
      await rejectsWith(() => store.getRange("r", { offset: 200, lengthBytes: 5 }), "invalid_argument");
      await rejectsWith(() => store.getRange("r", { offset: -1, lengthBytes: 5 }), "invalid_argument");
      await rejectsWith(() => store.getRange("r", { offset: 1.5, lengthBytes: 5 }), "invalid_argument");
      await rejectsWith(() => store.getRange("r", { offset: 0, lengthBytes: -1 }), "invalid_argument");
      await rejectsWith(() => store.getRange("missing", { offset: 0, lengthBytes: 1 }), "not_found", "missing");
    });

    check("absent objects: get/getRange not_found, stat null, directories are not objects", async (store) => {
      await rejectsWith(() => store.get("no/such"), "not_found", "no/such");
      await rejectsWith(() => store.getRange("no/such", { offset: 0, lengthBytes: 0 }), "not_found");
      assert.equal(await store.stat("no/such"), null);
      await store.put("d1/d2/leaf", utf8Encode("x"));
      for (const dir of ["d1", "d1/d2"]) {
        await rejectsWith(() => store.get(dir), "not_found", dir);
        await rejectsWith(() => store.getRange(dir, { offset: 0, lengthBytes: 0 }), "not_found");
        assert.equal(await store.stat(dir), null, `stat ${dir}`);
      }
    });

    check("list is sorted by code point and matches plain string prefixes", async (store) => {
      const paths = [
        "snapshot/snapshot-10", "schema/schema-0", "snapshot/LATEST", "snapshot/snapshot-2",
        "snapshot/snapshot-1", "snapshot-x", "snapshot/EARLIEST", "snapshot/sub/deep", "bucket-0/data-1.orc",
        "u/\u{1F600}", "u/\u{E000}", "u/z",
      ];
      for (const [i, path] of paths.entries()) await store.put(path, new Uint8Array(i));
      const sizeOf = (p: string) => paths.indexOf(p);
      const entries = (list: string[]) => list.map((path) => ({ path, sizeBytes: sizeOf(path) }));
      assert.deepEqual(await store.list(""), entries([
        "bucket-0/data-1.orc", "schema/schema-0", "snapshot-x", "snapshot/EARLIEST", "snapshot/LATEST",
        "snapshot/snapshot-1", "snapshot/snapshot-10", "snapshot/snapshot-2", "snapshot/sub/deep",
        "u/z", "u/\u{E000}", "u/\u{1F600}",
      ]));
      assert.deepEqual(await store.list("snapshot/"), entries([
        "snapshot/EARLIEST", "snapshot/LATEST", "snapshot/snapshot-1", "snapshot/snapshot-10", "snapshot/snapshot-2", "snapshot/sub/deep",
      ]));
      assert.deepEqual(await store.list("snapshot/snapshot-1"), entries(["snapshot/snapshot-1", "snapshot/snapshot-10"]));
      assert.deepEqual((await store.list("snapshot")).map((e) => e.path), [
        "snapshot-x", "snapshot/EARLIEST", "snapshot/LATEST", "snapshot/snapshot-1", "snapshot/snapshot-10", "snapshot/snapshot-2", "snapshot/sub/deep",
      ]);
      assert.deepEqual((await store.list("snapshot/s")).map((e) => e.path), ["snapshot/snapshot-1", "snapshot/snapshot-10", "snapshot/snapshot-2", "snapshot/sub/deep"]);
      assert.deepEqual(await store.list("snapshot/snapshot-1/"), []);
      assert.deepEqual(await store.list("nothing/here/"), []);
      assert.deepEqual(await store.list("bucket-0/data-1.orc"), entries(["bucket-0/data-1.orc"]));
      const all = (await store.list("")).map((e) => e.path);
      assert.deepEqual([...all].sort(comparePaths), all);
    });

    check("delete removes, is idempotent, and never recurses", async (store) => {
      await store.put("t/a", utf8Encode("a"));
      await store.put("t/a2", utf8Encode("a2"));
      await store.put("t/b/c", utf8Encode("c"));
      await store.delete("t/a");
      await rejectsWith(() => store.get("t/a"), "not_found");
      assert.equal(await store.stat("t/a"), null);
      await store.delete("t/a");
      await store.delete("never/existed");
      await store.delete("t/b");
      assert.deepEqual((await store.list("t/")).map((e) => e.path), ["t/a2", "t/b/c"]);
      assert.ok(await store.putIfAbsent("t/a", utf8Encode("again")), "a deleted path can be created again");
      assertBytes(await store.get("t/a"), utf8Encode("again"), "recreated");
    });

    check("stat gives size and a plausible integer modification time", async (store) => {
      const beforeMs = Date.now();
      await store.put("s/obj", randomBytes(321, 5));
      const stat = await store.stat("s/obj");
      assert.ok(stat !== null);
      assert.equal(stat.sizeBytes, 321);
      assert.ok(Number.isSafeInteger(stat.modifiedMs), `modifiedMs ${stat.modifiedMs}`);
      assert.ok(Math.abs(stat.modifiedMs - beforeMs) < 60_000, `modifiedMs ${stat.modifiedMs} vs now ${beforeMs}`);
    });

    check("invalid paths are rejected with invalid_argument naming the path", async (store) => {
      const bad = [
        "", "/abs", "trail/", "a//b", "..", "a/../b", "./a", "a/.", "back\\slash", "nul\u0000", "new\nline",
        "lone\uD800", "x".repeat(1025), `long/${"s".repeat(201)}`, ".snapshot-1.0123abcd.tmp", "d/.x.tmp",
      ];
      for (const path of bad) {
        const shown = JSON.stringify(path.slice(0, 20)).slice(1, -1);
        await rejectsWith(() => store.get(path), "invalid_argument", shown);
        await rejectsWith(() => store.getRange(path, { offset: 0, lengthBytes: 0 }), "invalid_argument");
        await rejectsWith(() => store.put(path, new Uint8Array(1)), "invalid_argument", shown);
        await rejectsWith(() => store.putIfAbsent(path, new Uint8Array(1)), "invalid_argument");
        await rejectsWith(() => store.delete(path), "invalid_argument");
        await rejectsWith(() => store.stat(path), "invalid_argument");
      }
      for (const prefix of ["/a", "a//", "../x", "a/../", "a\\b", "x".repeat(1025)]) {
        await rejectsWith(() => store.list(prefix), "invalid_argument", "prefix");
      }
      assert.deepEqual(await store.list(""), [], "nothing was written by rejected calls");
      // Close calls that are valid: dots inside names, a partial "." segment as a list prefix.
      for (const path of ["..a", "a..", ".hidden", "x.tmp", "s".repeat(200)]) await store.put(`ok/${path}`, utf8Encode(path));
      assert.equal((await store.list("ok/.")).length, 2);
      assert.equal((await store.list("ok/")).length, 5);
    });

    check("putIfAbsent creates once and never overwrites", async (store) => {
      assert.equal(await store.putIfAbsent("snapshot/snapshot-1", utf8Encode("first")), true);
      assert.equal(await store.putIfAbsent("snapshot/snapshot-1", utf8Encode("second")), false);
      assertBytes(await store.get("snapshot/snapshot-1"), utf8Encode("first"), "kept first");
      await store.put("plain", utf8Encode("p"));
      assert.equal(await store.putIfAbsent("plain", utf8Encode("q")), false);
      assertBytes(await store.get("plain"), utf8Encode("p"), "kept put");
    });

    check("putIfAbsent: 20 concurrent callers on one path, exactly one wins", async (store) => {
      for (let round = 0; round < 3; round++) {
        const path = `race/snapshot-${round}`;
        const payloads = Array.from({ length: 20 }, (_, i) => randomBytes(1000 + 997 * i, 100 * round + i));
        const results = await Promise.all(payloads.map((bytes) => store.putIfAbsent(path, bytes)));
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        assert.equal(winners.length, 1, `round ${round}: winners ${winners}`);
        assertBytes(await store.get(path), payloads[winners[0]!]!, `round ${round}: winner's bytes`);
      }
      assert.equal((await store.list("race/")).length, 3);
    });

    check("stored bytes are not aliased to caller buffers", async (store) => {
      const input = utf8Encode("original");
      await store.put("alias/a", input);
      input.fill(0x21);
      const input2 = utf8Encode("created!");
      await store.putIfAbsent("alias/b", input2);
      input2.fill(0x21);
      const got = await store.get("alias/a");
      assertBytes(got, utf8Encode("original"), "after mutating the put input");
      got.fill(0x22);
      assertBytes(await store.get("alias/a"), utf8Encode("original"), "after mutating a get result");
      const part = await store.getRange("alias/b", { offset: 0, lengthBytes: 4 });
      part.fill(0x23);
      assertBytes(await store.get("alias/b"), utf8Encode("created!"), "after mutating a range result");
      // A view into a larger buffer stores exactly the view's bytes.
      const backing = utf8Encode("xxINSIDExx");
      await store.put("alias/view", backing.subarray(2, 8));
      assertBytes(await store.get("alias/view"), utf8Encode("INSIDE"), "subarray view");
    });

    check("nested paths and names with spaces, '=', '%' and unicode", async (store) => {
      const paths = [
        "a/b/c/d/e/f/g.bin", "dt=2024-01-01/hr=00/bucket-0/data file 1.parquet", "p%3D1/x=%41%2F",
        "unicode/日本語/ü😀.txt", "spaces in dir/  lead and trail  ",
      ];
      for (const [i, path] of paths.entries()) await store.put(path, utf8Encode(`#${i}:${path}`));
      for (const [i, path] of paths.entries()) {
        assertBytes(await store.get(path), utf8Encode(`#${i}:${path}`), path);
        assert.equal((await store.stat(path))?.sizeBytes, utf8Encode(`#${i}:${path}`).length);
      }
      assert.deepEqual((await store.list("")).map((e) => e.path), [...paths].sort(comparePaths));
      assert.deepEqual((await store.list("unicode/日")).map((e) => e.path), ["unicode/日本語/ü😀.txt"]);
      for (const path of paths) await store.delete(path);
      assert.deepEqual(await store.list(""), []);
    });

    check("an object cannot also be a directory (layout rule)", async (store) => {
      await store.put("file", utf8Encode("f"));
      await rejectsWith(() => store.put("file/child", utf8Encode("c")), "invalid_argument", "file/child");
      await rejectsWith(() => store.putIfAbsent("file/child/deeper", utf8Encode("c")), "invalid_argument");
      await store.put("dir/child", utf8Encode("c"));
      await rejectsWith(() => store.put("dir", utf8Encode("d")), "invalid_argument", "dir");
      await rejectsWith(() => store.putIfAbsent("dir", utf8Encode("d")), "invalid_argument", "dir");
      assert.deepEqual((await store.list("")).map((e) => e.path), ["dir/child", "file"]);
      assertBytes(await store.get("file"), utf8Encode("f"), "file unchanged");
    });

    check("directories: made empty directories are listed, nested and sorted; objects imply theirs", async (store) => {
      if (store.makeDirectory === undefined) return; // no directory capability: see the fallback test
      await makeDirectory(store, "b.db");
      await makeDirectory(store, "b.db"); // idempotent
      await makeDirectory(store, "a.db/t/schema");
      await store.put("z/x/file", utf8Encode("f"));
      await store.put("top", utf8Encode("t"));
      assert.deepEqual(await listDirectories(store, ""), ["a.db", "b.db", "z"]);
      assert.deepEqual(await listDirectories(store, "a.db"), ["t"]);
      assert.deepEqual(await listDirectories(store, "a.db/t"), ["schema"]);
      assert.deepEqual(await listDirectories(store, "a.db/t/schema"), []);
      assert.deepEqual(await listDirectories(store, "z"), ["x"]);
      assert.deepEqual(await listDirectories(store, "z/x"), [], "files are not directories");
      assert.deepEqual(await listDirectories(store, "absent"), []);
      assert.deepEqual(await listDirectories(store, "top"), [], "an object is no directory");
      assert.deepEqual((await store.list("")).map((e) => e.path), ["top", "z/x/file"], "empty directories are no objects");
      await rejectsWith(() => listDirectories(store, "bad//path"), "invalid_argument");
    });

    check("directories: an object cannot be made a directory, nor a directory an object", async (store) => {
      if (store.makeDirectory === undefined) return;
      await store.put("obj", utf8Encode("o"));
      await rejectsWith(() => makeDirectory(store, "obj"), "invalid_argument", "obj");
      await rejectsWith(() => makeDirectory(store, "obj/below"), "invalid_argument", "obj/below");
      await makeDirectory(store, "dir");
      await rejectsWith(() => store.put("dir", utf8Encode("d")), "invalid_argument", "dir");
      assert.equal(await store.stat("dir"), null);
      await rejectsWith(() => store.get("dir"), "not_found");
    });

    check("deleteDirectory removes everything below, only there, and is idempotent", async (store) => {
      const paths = ["d/a", "d/sub/b", "d/sub/deeper/c", "d2/x", "dd", "other/d/y"];
      for (const p of paths) await store.put(p, utf8Encode(p));
      if (store.makeDirectory !== undefined) await makeDirectory(store, "d/empty");
      await deleteDirectory(store, "d");
      assert.deepEqual((await store.list("")).map((e) => e.path), ["d2/x", "dd", "other/d/y"]);
      assert.ok(!(await listDirectories(store, "")).includes("d"), "the directory itself is gone");
      await deleteDirectory(store, "d"); // idempotent
      await deleteDirectory(store, "dd"); // an object at the path is not touched
      assertBytes(await store.get("dd"), utf8Encode("dd"), "dd kept");
      await store.put("d/again", utf8Encode("again")); // the path is free for new objects
      assert.deepEqual(await listDirectories(store, "d"), []);
    });

    check("directory fallbacks of store.ts: implied directories from objects, delete by listing", async (store) => {
      const plain: ObjectStore = {
        get: (p) => store.get(p), getRange: (p, r) => store.getRange(p, r), put: (p, b) => store.put(p, b),
        putIfAbsent: (p, b) => store.putIfAbsent(p, b), list: (p) => store.list(p), delete: (p) => store.delete(p), stat: (p) => store.stat(p),
      };
      for (const p of ["x.db/t/schema/schema-0", "x.db/u/f", "y.db/z", "loose"]) await store.put(p, utf8Encode(p));
      assert.deepEqual(await listDirectories(plain, ""), ["x.db", "y.db"]);
      assert.deepEqual(await listDirectories(plain, "x.db"), ["t", "u"]);
      await rejectsWith(() => makeDirectory(plain, "new.db"), "unsupported", "new.db");
      await deleteDirectory(plain, "x.db");
      assert.deepEqual((await store.list("")).map((e) => e.path), ["loose", "y.db/z"]);
    });

    check("openRangeReader reads exact ranges of one object", async (store) => {
      const bytes = randomBytes(10_000, 9);
      await store.put("data/file.sst", bytes);
      const reader = await openRangeReader(store, "data/file.sst");
      assert.equal(reader.sizeBytes, 10_000);
      assertBytes(await reader.read(9_990, 10), bytes.subarray(9_990), "tail");
      assertBytes(await reader.read(123, 456), bytes.subarray(123, 579), "middle");
      await rejectsWith(() => reader.read(9_995, 10), "invalid_argument", "past");
      const known = await openRangeReader(store, "data/file.sst", { sizeBytes: 10_000 });
      assertBytes(await known.read(0, 3), bytes.subarray(0, 3), "head with known size");
      await rejectsWith(() => openRangeReader(store, "data/none"), "not_found", "data/none");
    });
  });
}
