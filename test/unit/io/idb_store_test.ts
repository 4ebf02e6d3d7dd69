// Goal: IdbStore (src/io/idb_store.ts) keeps the ObjectStore contract on IndexedDB: real
// IndexedDB in Chromium (tools/run_tests.mjs chromium), fake-indexeddb under Node and Deno; and
// the IndexedDB-specific promises hold: two connections racing putIfAbsent on one database have
// exactly one winner, listing reads only the key range of its prefix, data survives reopening,
// and a quota failure becomes a clear LakeError.
// Method: the shared contract suite on a fresh database per test (deleted afterwards), plus
// targeted tests that wrap the IDBObjectStore (the `wrapObjectStore` test hook) to count what
// IndexedDB returns and to make put throw QuotaExceededError the way a full origin does.
import * as fakeIndexedDb from "fake-indexeddb";
import { assert, describe, test } from "../../harness.ts";
import { defineStoreContract, randomBytes, rejectsWith } from "../../contract/store_contract.ts";
import { IdbStore } from "../../../src/io/idb_store.ts";
import { LakeError } from "../../../src/errors.ts";
import { equalBytes, utf8Encode } from "../../../src/util/bytes.ts";

// Node and Deno have no IndexedDB: install fake-indexeddb's globals; Chromium keeps its real one.
if (!("indexedDB" in globalThis)) Object.assign(globalThis, { indexedDB: fakeIndexedDb.indexedDB, IDBKeyRange: fakeIndexedDb.IDBKeyRange });

let dbCounter = 0;
/** A database name no other test uses (the Chromium profile is shared by the whole run). */
function freshDbName(): string {
  return `lakestate-idb-test-${Date.now()}-${dbCounter++}-${Math.random().toString(36).slice(2)}`;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

defineStoreContract("IdbStore", async () => {
  const dbName = freshDbName();
  return { store: new IdbStore({ dbName }), dispose: () => deleteDatabase(dbName) };
});

/** `store` with `overrides` in place of some methods (the rest bound to the real store). */
function proxyStore(store: IDBObjectStore, overrides: Partial<Record<keyof IDBObjectStore, unknown>>): IDBObjectStore {
  return new Proxy(store, {
    get(target, key) {
      if (key in overrides) return overrides[key as keyof IDBObjectStore];
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("IdbStore specifics", () => {
  test("two connections to one database racing putIfAbsent: exactly one wins, never overwritten", async () => {
    const dbName = freshDbName();
    const a = new IdbStore({ dbName }), b = new IdbStore({ dbName });
    try {
      for (let round = 0; round < 5; round++) {
        const path = `snapshot/snapshot-${round + 1}`;
        const payloads = Array.from({ length: 8 }, (_, i) => randomBytes(500 + 31 * i, 1000 * round + i));
        const results = await Promise.all(payloads.map((bytes, i) => (i % 2 === 0 ? a : b).putIfAbsent(path, bytes)));
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        assert.equal(winners.length, 1, `round ${round}: winners ${winners}`);
        const seenByA = await a.get(path), seenByB = await b.get(path);
        assert.ok(equalBytes(seenByA, payloads[winners[0]!]!), `round ${round}: a sees the winner's bytes`);
        assert.ok(equalBytes(seenByB, seenByA), `round ${round}: both connections agree`);
      }
    } finally {
      await a.close();
      await b.close();
      await deleteDatabase(dbName);
    }
  });

  test("list reads only the key range of its prefix", async () => {
    const dbName = freshDbName();
    let keysReturned = 0;
    const store = new IdbStore({
      dbName,
      wrapObjectStore: (inner) => proxyStore(inner, {
        getAllKeys: (query?: IDBValidKey | IDBKeyRange | null, count?: number) => {
          const req = inner.getAllKeys(query, count);
          req.addEventListener("success", () => { keysReturned += req.result.length; });
          return req;
        },
      }),
    });
    try {
      for (let i = 0; i < 300; i++) await store.put(`bulk/part-${i}`, new Uint8Array([i & 0xff]));
      await store.put("snapshot/snapshot-1", utf8Encode("s1"));
      await store.put("snapshot/snapshot-2", utf8Encode("s22"));
      keysReturned = 0;
      assert.deepEqual(await store.list("snapshot/"), [
        { path: "snapshot/snapshot-1", sizeBytes: 2 },
        { path: "snapshot/snapshot-2", sizeBytes: 3 },
      ]);
      assert.equal(keysReturned, 2, "only the two keys under snapshot/ were read");
      assert.equal((await store.list("bulk/")).length, 300);
      assert.equal((await store.list("")).length, 302);
    } finally {
      await store.close();
      await deleteDatabase(dbName);
    }
  });

  test("objects and made directories survive closing and reopening the database", async () => {
    const dbName = freshDbName();
    const first = new IdbStore({ dbName });
    await first.put("w.db/t/schema/schema-0", utf8Encode("{}"));
    await first.makeDirectory("empty.db");
    await first.close();
    const second = new IdbStore({ dbName });
    try {
      assert.deepEqual(await second.get("w.db/t/schema/schema-0"), utf8Encode("{}"));
      assert.deepEqual(await second.listDirectories(""), ["empty.db", "w.db"]);
      await rejectsWith(() => first.get("w.db/t/schema/schema-0"), "invalid_argument", "after close");
    } finally {
      await second.close();
      await deleteDatabase(dbName);
    }
  });

  test("a full origin (QuotaExceededError) is a LakeError naming path, size and the quota; nothing half-written", async () => {
    const dbName = freshDbName();
    let full = false;
    const store = new IdbStore({
      dbName,
      wrapObjectStore: (inner) => proxyStore(inner, {
        put: (value: unknown, key?: IDBValidKey) => {
          if (full && value instanceof Uint8Array) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
          return inner.put(value, key);
        },
      }),
    });
    try {
      await store.put("data/ok.bin", new Uint8Array(10));
      full = true;
      for (const write of [() => store.put("data/big.bin", new Uint8Array(123_456)), () => store.putIfAbsent("data/big.bin", new Uint8Array(123_456))]) {
        await assert.rejects(write, (error: unknown) => {
          assert.ok(error instanceof LakeError && error.code === "io", String(error));
          for (const needle of ["\"data/big.bin\"", "123456 bytes", "storage quota", "QuotaExceededError"]) {
            assert.ok(error.message.includes(needle), `${JSON.stringify(error.message)} lacks ${needle}`);
          }
          return true;
        });
      }
      full = false;
      assert.equal(await store.stat("data/big.bin"), null, "the aborted transaction left no metadata");
      assert.deepEqual((await store.list("data/")).map((e) => e.path), ["data/ok.bin"]);
    } finally {
      await store.close();
      await deleteDatabase(dbName);
    }
  });

  test("dbName is required", () => {
    assert.throws(() => new IdbStore({ dbName: "" }), (error: unknown) => error instanceof LakeError && error.code === "invalid_argument");
  });
});
