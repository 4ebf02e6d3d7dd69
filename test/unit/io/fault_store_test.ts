// Goal: FaultStore is transparent without a plan (it passes the ObjectStore contract) and injects
// exactly the planned fault at the planned write: fail and crash leave no effect, fail_after and
// crash_after leave the write in place, and after a crash every call (reads too) rejects.
// Method: the shared contract suite over FaultStore(MemoryStore), then each fault kind at write 1
// of a fixed sequence, checking the wrapped store and the write log.
import { assert, describe, test } from "../../harness.ts";
import { defineStoreContract, rejectsWith } from "../../contract/store_contract.ts";
import { LakeError } from "../../../src/errors.ts";
import { FaultKind, FaultStore } from "../../../src/io/fault_store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { utf8Decode, utf8Encode } from "../../../src/util/bytes.ts";

defineStoreContract("FaultStore without faults", async () => ({ store: new FaultStore(new MemoryStore()), dispose: async () => {} }));

async function exists(store: MemoryStore, path: string): Promise<boolean> {
  return (await store.stat(path)) !== null;
}

describe("FaultStore faults", () => {
  test("fail: the write has no effect, rejects with io, and later calls work", async () => {
    const inner = new MemoryStore();
    const store = new FaultStore(inner, [{ writeIndex: 1, kind: FaultKind.FAIL }]);
    await store.put("a", utf8Encode("1"));
    await rejectsWith(() => store.putIfAbsent("b", utf8Encode("2")), "io", "simulated fail at write 1");
    assert.equal(await exists(inner, "b"), false);
    assert.equal(await store.putIfAbsent("b", utf8Encode("3")), true);
    assert.equal(utf8Decode(await store.get("b")), "3");
    assert.deepEqual(store.writeLog.map((w) => [w.index, w.op, w.path, w.fault]), [
      [0, "put", "a", null], [1, "putIfAbsent", "b", "fail"], [2, "putIfAbsent", "b", null],
    ]);
  });

  test("fail_after: the write lands, yet the caller sees an io error", async () => {
    const inner = new MemoryStore();
    const store = new FaultStore(inner, [{ writeIndex: 1, kind: FaultKind.FAIL_AFTER }]);
    await store.put("a", utf8Encode("1"));
    await rejectsWith(() => store.delete("a"), "io");
    assert.equal(await exists(inner, "a"), false);
    assert.equal(store.crashed, false);
  });

  test("crash: no effect, and every later call rejects, reads included", async () => {
    const inner = new MemoryStore();
    const store = new FaultStore(inner, [{ writeIndex: 1, kind: FaultKind.CRASH }]);
    await store.put("a", utf8Encode("1"));
    await rejectsWith(() => store.put("b", utf8Encode("2")), "io");
    assert.equal(store.crashed, true);
    assert.equal(await exists(inner, "b"), false);
    for (const call of [() => store.get("a"), () => store.stat("a"), () => store.list(""), () => store.put("c", utf8Encode("3")), () => store.getRange("a", { offset: 0, lengthBytes: 1 })]) {
      await rejectsWith(call, "io", "after a simulated crash");
    }
    assert.equal(store.writeCount, 2, "writes after the crash are not attempted");
  });

  test("crash_after: the write lands, then the store is dead", async () => {
    const inner = new MemoryStore();
    const store = new FaultStore(inner, [{ writeIndex: 0, kind: FaultKind.CRASH_AFTER }]);
    await rejectsWith(() => store.putIfAbsent("a", utf8Encode("1")), "io");
    assert.equal(utf8Decode(await inner.get("a")), "1");
    await rejectsWith(() => store.get("a"), "io");
  });

  test("plans with repeated or negative indexes are refused", () => {
    assert.throws(() => new FaultStore(new MemoryStore(), [{ writeIndex: 1, kind: FaultKind.FAIL }, { writeIndex: 1, kind: FaultKind.CRASH }]), LakeError);
    assert.throws(() => new FaultStore(new MemoryStore(), [{ writeIndex: -1, kind: FaultKind.FAIL }]), LakeError);
  });
});
