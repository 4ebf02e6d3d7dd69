// Goal: MemoryStore, the reference adapter, passes the ObjectStore contract and keeps its own
// promises (injected clock, private copies, layout bookkeeping survives deletes).
// Method: the shared contract suite on a fresh store per test, plus memory-only checks.
import { assert, describe, test } from "../../harness.ts";
import { defineStoreContract, rejectsWith } from "../../contract/store_contract.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { comparePaths } from "../../../src/io/store.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";

defineStoreContract("MemoryStore", async () => ({ store: new MemoryStore(), dispose: async () => {} }));

describe("MemoryStore specifics", () => {
  test("modifiedMs comes from the injected clock", async () => {
    let nowMs = 1_000;
    const store = new MemoryStore({ nowMs: () => nowMs });
    await store.put("a", utf8Encode("1"));
    nowMs = 2_500;
    await store.put("b", utf8Encode("2"));
    assert.deepEqual(await store.stat("a"), { sizeBytes: 1, modifiedMs: 1_000 });
    assert.deepEqual(await store.stat("b"), { sizeBytes: 1, modifiedMs: 2_500 });
    nowMs = 3_000;
    assert.equal(await store.putIfAbsent("a", utf8Encode("x")), false);
    assert.equal((await store.stat("a"))?.modifiedMs, 1_000, "a refused putIfAbsent does not touch the object");
  });

  test("a directory becomes free for an object once its last child is deleted", async () => {
    const store = new MemoryStore();
    await store.put("d/x", utf8Encode("x"));
    await store.put("d/y/z", utf8Encode("z"));
    await store.put("d/x", utf8Encode("x2")); // overwrite must not double-count
    await rejectsWith(() => store.put("d", utf8Encode("d")), "invalid_argument");
    await store.delete("d/x");
    await rejectsWith(() => store.put("d", utf8Encode("d")), "invalid_argument");
    await store.delete("d/y/z");
    await store.put("d", utf8Encode("d"));
    await rejectsWith(() => store.put("d/again", utf8Encode("a")), "invalid_argument");
    assert.deepEqual(await store.list(""), [{ path: "d", sizeBytes: 1 }]);
  });

  test("comparePaths orders by code point, unlike UTF-16 string order", () => {
    assert.ok("\u{1F600}" < "\u{E000}", "premise: JS string order puts the emoji first");
    assert.ok(comparePaths("\u{1F600}", "\u{E000}") > 0);
    assert.ok(comparePaths("a", "ab") < 0);
    assert.ok(comparePaths("B", "a") < 0);
    assert.equal(comparePaths("x/\u{1F600}", "x/\u{1F600}"), 0);
    assert.ok(comparePaths("\u{1F600}", "\u{1F601}") < 0);
    assert.ok(comparePaths("\u{FFFF}", "\u{10000}") < 0);
  });
});
