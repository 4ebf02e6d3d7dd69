// Goal (Chromium only; the browser twin of test/unit/api/s3_catalog_test.ts): a page, and a Web
// Worker the page drives (lakestate/worker, `s3://` warehouse), run the
// engine (lakestate/browser) on a warehouse in S3, over the browser's own fetch with CORS
// against a real S3 server: create a primary-key table, write three commits (one with deletes)
// while a streamRead tails it, compact, read back; then two writers with separate catalogs and
// stores commit to one table concurrently, their first snapshot creates forced into a race on
// snapshot-1: exactly one wins (200), the other gets 412 and commits again on top; every commit
// lands once, ids contiguous, no snapshot lost or overwritten.
// Method: s3rver started for the page by the runner in Node (tools/browser_tests.mjs serves
// test/support/s3_server.ts through tools/browser_shim_s3_server.mjs; CORS answered by the
// server's shim); parquet-wasm compiled from the test server's copy. Expected rows are kept in a Map
// applied write by write (upserts and deletes), independent of the engine.
import { assert, describe, test } from "../harness.ts";
import { openCatalog, openWorkerCatalog, S3Store, type Table, type Value } from "../../src/browser.ts";
import { startS3Server, type S3TestServer } from "../support/s3_server.ts";

// parquet-wasm as a compiled module, not its URL: a URL source is fetched again on every write
// (the writer calls the source thunk each time) and the unread 5 MB bodies pin Chromium's 6
// connections to the test server, which stalls the page after a few writes (reported).
const PARQUET_WASM = await WebAssembly.compileStreaming(fetch("/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm"));
const PARQUET_WASM_URL = "/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm";
const COLUMNS = [{ name: "id", type: "BIGINT NOT NULL" }, { name: "v", type: "STRING" }];

async function withServer(body: (server: S3TestServer) => Promise<void>): Promise<void> {
  const server = await startS3Server(["lake"]);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

async function collect(rows: AsyncIterable<Record<string, Value>>): Promise<string[]> {
  const out: string[] = [];
  for await (const row of rows) out.push(`${row["id"]}|${row["v"]}`);
  return out.sort();
}

function expectedRows(state: Map<bigint, string>): string[] {
  return [...state].map(([id, v]) => `${id}|${v}`).sort();
}

describe("S3 warehouse from a browser page", () => {
  test("create, write (streamRead tailing), compact and read a table in S3 over CORS", async () => {
    await withServer(async (server) => {
      const store = new S3Store("lake", server.options({ prefix: "browser/wh" }));
      const catalog = openCatalog({ warehouse: store, parquetWasm: PARQUET_WASM });
      await catalog.createDatabase("db");
      const table = await catalog.createTable("db.events", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "2" } });
      const abort = new AbortController();
      const stream = table.streamRead({ pollIntervalMs: 10, signal: abort.signal });
      try {
        const state = new Map<bigint, string>();
        for (let round = 0; round < 3; round++) {
          const rows = Array.from({ length: 50 }, (_, i) => ({ id: BigInt(i * 2 + (round % 2)), v: `r${round}-${i}` }));
          const write = await table.newWrite();
          await write.write(rows);
          const deletes = round === 2 ? [{ id: 1n }, { id: 3n }] : []; // written in round 1
          if (deletes.length > 0) await write.delete(deletes);
          assert.deepEqual((await write.commit()).snapshotIds, [BigInt(round + 1)]);
          await write.close();
          for (const r of rows) state.set(r.id, r.v);
          for (const d of deletes) state.delete(d.id);
          const change = await stream.next();
          assert.equal(change.value!.snapshotId, BigInt(round + 1));
          assert.equal(change.value!.changes.numRows, rows.length + deletes.length, `changes of snapshot ${round + 1}`);
        }
        const compaction = await table.compact({ full: true });
        assert.equal(compaction.compactedBuckets, 2);
        assert.ok((await table.files()).every((f) => f.level > 0), "after full compaction no level-0 file is left");
        assert.deepEqual((await table.snapshots()).map((s) => `${s.id}:${s.commitKind}`), ["1:APPEND", "2:APPEND", "3:APPEND", "4:COMPACT"]);
        const reopened = await openCatalog({ warehouse: new S3Store("lake", server.options({ prefix: "browser/wh" })) }).getTable("db.events");
        assert.deepEqual(await collect(reopened.rows()), expectedRows(state));
        assert.equal((await reopened.read()).numRows, state.size);
        // Java Paimon's layout, under the prefix, seen through a plain store on the bucket.
        const keys = (await new S3Store("lake", server.options()).list("browser/wh/db.db/events/")).map((e) => e.path.slice("browser/wh/db.db/events/".length));
        assert.ok(keys.includes("schema/schema-0") && keys.includes("snapshot/snapshot-4") && !keys.includes("snapshot/snapshot-5"), `keys: ${keys.filter((k) => !k.startsWith("bucket-"))}`);
        assert.ok(keys.some((k) => /^bucket-0\/data-.*\.parquet$/.test(k)) && keys.some((k) => /^bucket-1\//.test(k)), "data files per bucket");
      } finally {
        abort.abort();
      }
    });
  });

  test("a Web Worker on an s3:// warehouse creates, writes (streamRead tailing), compacts and reads; the page reads the same", async () => {
    await withServer(async (server) => {
      const worker = new Worker(new URL("../../src/worker/engine_worker.ts", import.meta.url), { type: "module" });
      const abort = new AbortController();
      try {
        const { fetch: _fetch, ...s3 } = server.options();
        const catalog = await openWorkerCatalog(worker, { warehouse: "s3://lake/worker/wh", s3, parquetWasm: PARQUET_WASM_URL });
        await catalog.createDatabase("db");
        const table = await catalog.createTable("db.events", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "2" } });
        const stream = table.streamRead({ pollIntervalMs: 10, signal: abort.signal });
        const state = new Map<bigint, string>();
        for (let round = 0; round < 3; round++) {
          const rows = Array.from({ length: 40 }, (_, i) => ({ id: BigInt(i * 3 + round), v: `w${round}-${i}` }));
          const write = await table.newWrite();
          await write.write(rows);
          const deletes = round === 2 ? [{ id: 0n }, { id: 1n }] : []; // written in rounds 0 and 1
          if (deletes.length > 0) await write.delete(deletes);
          assert.deepEqual((await write.commit()).snapshotIds, [BigInt(round + 1)]);
          await write.close();
          for (const r of rows) state.set(r.id, r.v);
          for (const d of deletes) state.delete(d.id);
          const change = await stream.next();
          assert.equal(change.value!.snapshotId, BigInt(round + 1));
          assert.equal(change.value!.changes.numRows, rows.length + deletes.length, `changes of snapshot ${round + 1}`);
        }
        const compaction = await table.compact({ full: true });
        assert.equal(compaction.compactedBuckets, 2);
        assert.deepEqual((await table.snapshots()).map((s) => `${s.id}:${s.commitKind}`), ["1:APPEND", "2:APPEND", "3:APPEND", "4:COMPACT"]);
        assert.equal((await table.read()).numRows, state.size);
        assert.deepEqual(await collect(table.rows()), expectedRows(state));
        // The page's own engine on the same prefix reads exactly what the worker committed.
        const page = await openCatalog({ warehouse: "s3://lake/worker/wh", s3: server.options() }).getTable("db.events");
        assert.deepEqual(await collect(page.rows()), expectedRows(state));
        assert.ok((await page.files()).every((f) => f.level > 0), "the worker's full compaction is what the page sees");
        // An s3:// warehouse without connection options is refused, naming the URL.
        await assert.rejects(openWorkerCatalog(worker, { warehouse: "s3://lake/other" }), /s3:\/\/lake\/other.*needs options\.s3/);
        await catalog.close();
      } finally {
        abort.abort();
        worker.terminate();
      }
    });
  });

  test("two writers committing to one table concurrently: one wins the snapshot-1 race, the other retries; every commit lands once", async () => {
    await withServer(async (server) => {
      const catalog = openCatalog({ warehouse: new S3Store("lake", server.options({ prefix: "w" })), parquetWasm: PARQUET_WASM });
      await catalog.createDatabase("db");
      // write-only: Paimon's multi-writer setup, so no commit can conflict on compacted files.
      await catalog.createTable("db.t", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "1", "write-only": "true" } });
      // a's first snapshot create waits until b's is ready; b's waits until a's landed: both aim at snapshot-1.
      let bReady!: () => void;
      let aLanded!: () => void;
      const bReadyP = new Promise<void>((resolve) => { bReady = resolve; });
      const aLandedP = new Promise<void>((resolve) => { aLanded = resolve; });
      const isSnapshotCreate = (r: Request) => r.method === "PUT" && r.headers.get("if-none-match") === "*" && /\/snapshot\/snapshot-\d+$/.test(new URL(r.url).pathname);
      const statuses: Record<string, number[]> = { a: [], b: [] };
      let aFirst = true;
      let bFirst = true;
      const fetchA = async (r: Request) => {
        const gated = isSnapshotCreate(r) && aFirst;
        if (gated) { aFirst = false; await bReadyP; }
        const response = await fetch(r);
        if (isSnapshotCreate(r)) statuses["a"]!.push(response.status);
        if (gated) aLanded();
        return response;
      };
      const fetchB = async (r: Request) => {
        if (isSnapshotCreate(r) && bFirst) { bFirst = false; bReady(); await aLandedP; }
        const response = await fetch(r);
        if (isSnapshotCreate(r)) statuses["b"]!.push(response.status);
        return response;
      };
      const [a, b] = await Promise.all([
        openCatalog({ warehouse: new S3Store("lake", server.options({ prefix: "w", fetch: fetchA })) }).getTable("db.t"),
        openCatalog({ warehouse: new S3Store("lake", server.options({ prefix: "w", fetch: fetchB })) }).getTable("db.t"),
      ]);
      const state = new Map<bigint, string>();
      const landed: string[] = [];
      const writer = async (table: Table, name: string, base: number) => {
        for (let round = 0; round < 3; round++) {
          const rows = Array.from({ length: 10 }, (_, i) => ({ id: BigInt(base + round * 10 + i), v: `${name}${round}` }));
          await table.write(rows);
          for (const r of rows) state.set(r.id, r.v);
          landed.push(`${name}${round}`);
        }
      };
      await Promise.all([writer(a, "a", 0), writer(b, "b", 1000)]);
      assert.equal(landed.length, 6, `commits landed: ${landed}`);
      assert.deepEqual([statuses["a"]![0], statuses["b"]![0]], [200, 412], `the forced race: a created snapshot-1, b was refused (${JSON.stringify(statuses)})`);
      const table = await catalog.getTable("db.t");
      const snapshots = await table.snapshots();
      assert.equal(snapshots.filter((s) => s.commitKind === "APPEND").length, 6, "one APPEND snapshot per landed write");
      assert.deepEqual(snapshots.map((s) => Number(s.id)), [1, 2, 3, 4, 5, 6], "ids are contiguous from 1");
      assert.deepEqual(await collect(table.rows()), expectedRows(state));
    });
  });
});
