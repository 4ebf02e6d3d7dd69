// Goal: a PrefixedStore view maps every call, directory calls included, into its prefix, never
// touches siblings that share the prefix's text ("root/sub" vs "root/subway"), and rejects bad
// paths (no synchronous throw).
// Method: a view "root/sub" of a MemoryStore whose sibling prefixes hold objects and directories;
// each operation is checked on the view and on the wrapped store. (The full contract suite is not
// run on views: their error messages name full paths, prefix included, by design.)
import { assert, describe, test } from "../../harness.ts";
import { rejectsWith } from "../../contract/store_contract.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { prefixedStore } from "../../../src/io/prefixed_store.ts";
import { deleteDirectory, listDirectories, makeDirectory } from "../../../src/io/store.ts";
import { utf8Decode, utf8Encode } from "../../../src/util/bytes.ts";

async function setup(): Promise<{ inner: MemoryStore; view: ReturnType<typeof prefixedStore> }> {
  const inner = new MemoryStore();
  await inner.put("root/subway/x", utf8Encode("sibling"));
  await inner.put("root/other", utf8Encode("other"));
  await makeDirectory(inner, "root/empty");
  return { inner, view: prefixedStore(inner, "root/sub") };
}

describe("PrefixedStore", () => {
  test("objects: put, get, list, stat, delete stay inside the prefix", async () => {
    const { inner, view } = await setup();
    await view.put("a/b", utf8Encode("ab"));
    assert.equal(await view.putIfAbsent("c", utf8Encode("c")), true);
    assert.equal(await view.putIfAbsent("c", utf8Encode("x")), false);
    assert.equal(utf8Decode(await view.get("a/b")), "ab");
    assert.deepEqual(await view.list(""), [{ path: "a/b", sizeBytes: 2 }, { path: "c", sizeBytes: 1 }]);
    assert.equal((await view.stat("c"))?.sizeBytes, 1);
    await view.delete("c");
    assert.deepEqual((await inner.list("")).map((e) => e.path), ["root/other", "root/sub/a/b", "root/subway/x"]);
  });

  test("directories: make, list and delete map to the prefix; siblings untouched", async () => {
    const { inner, view } = await setup();
    await makeDirectory(view, "a.db");
    await view.put("b.db/t/f", utf8Encode("f"));
    assert.deepEqual(await listDirectories(view, ""), ["a.db", "b.db"]);
    assert.deepEqual(await listDirectories(inner, "root"), ["empty", "sub", "subway"]);
    assert.deepEqual(await listDirectories(view, "b.db"), ["t"]);
    await deleteDirectory(view, "b.db");
    await deleteDirectory(view, "a.db");
    assert.deepEqual(await listDirectories(view, ""), []);
    assert.deepEqual((await inner.list("")).map((e) => e.path), ["root/other", "root/subway/x"]);
    assert.deepEqual(await listDirectories(inner, "root"), ["empty", "sub", "subway"], "mkdir -p made root/sub, which stays (as on disk)");
  });

  test("bad paths reject rather than throw", async () => {
    const { view } = await setup();
    for (const bad of ["", "/a", "a//b", "..", "x/.y.tmp"]) {
      await rejectsWith(() => view.get(bad), "invalid_argument");
      await rejectsWith(() => view.put(bad, new Uint8Array(0)), "invalid_argument");
    }
    await rejectsWith(() => view.makeDirectory!(""), "invalid_argument");
    assert.throws(() => prefixedStore(new MemoryStore(), "a//b"));
    const root = new MemoryStore();
    assert.equal(prefixedStore(root, ""), root);
  });
});
