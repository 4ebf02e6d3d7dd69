// Goal: a Paimon warehouse on S3 works end to end through the runtime entry's public API:
// `openCatalog({ warehouse: "s3://bucket/prefix", s3 })` creates a database and a table, writes,
// compacts and reads back; `openTable("s3://…", { s3 })` reads the same rows; two writers
// committing to one table concurrently (write-only, Paimon's multi-writer setup) all land, the
// loser of a forced snapshot-id race committing again; drop removes every key. Runs under Node
// (src/node.ts) and Deno (src/deno.ts).
// Method: a fresh s3rver per test (test/support/s3_server.ts); expected rows are kept in a Map
// applied write by write (primary-key upserts), independent of the engine; raw keys are checked
// through a plain S3Store on the bucket.
import { assert, describe, test } from "../../harness.ts";
import { isLakeError } from "../../../src/errors.ts";
import { S3Store } from "../../../src/io/s3_store.ts";
import type { Value } from "../../../src/spec/values.ts";
import { startS3Server, type S3TestServer } from "../../support/s3_server.ts";

const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
type Entry = Pick<typeof import("../../../src/node.ts"), "openCatalog" | "openTable">;
const entry: Entry = isDeno ? await import("../../../src/deno.ts") : await import("../../../src/node.ts");

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

const COLUMNS = [{ name: "id", type: "BIGINT NOT NULL" }, { name: "v", type: "STRING" }];

describe(`S3 warehouse through ${isDeno ? "src/deno.ts" : "src/node.ts"}`, () => {
  test("openCatalog on s3://: create, write, compact, read back; openTable on s3:// reads the same", async () => {
    await withServer(async (server) => {
      const s3 = server.options({ forcePathStyle: true });
      const catalog = entry.openCatalog({ warehouse: "s3://lake/warehouse/prod", s3 });
      await catalog.createDatabase("db");
      const table = await catalog.createTable("db.events", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "2", "write-only": "true" } });
      const state = new Map<bigint, string>();
      for (let round = 0; round < 4; round++) {
        const rows = Array.from({ length: 60 }, (_, i) => ({ id: BigInt(i * 2 + (round % 2)), v: `r${round}-${i}` }));
        await table.write(rows);
        for (const r of rows) state.set(r.id, r.v);
      }
      assert.equal((await table.snapshots()).length, 4);
      assert.ok((await table.files()).some((f) => f.level === 0), "write-only commits leave level-0 files");
      const result = await table.compact({ full: true });
      assert.equal(result.compactedBuckets, 2);
      assert.ok((await table.files()).every((f) => f.level > 0), "after full compaction no level-0 file is left");

      const reopened = await catalog.getTable("db.events");
      assert.deepEqual(await collect(reopened.rows()), expectedRows(state));
      const direct = await entry.openTable("s3://lake/warehouse/prod/db.db/events", { s3 });
      assert.deepEqual(await collect(direct.rows()), expectedRows(state));
      assert.deepEqual(await catalog.listDatabases(), ["db"]);
      assert.deepEqual(await catalog.listTables("db"), ["events"]);

      // The keys are where Java Paimon puts them, under the warehouse prefix.
      const raw = new S3Store("lake", s3);
      const keys = (await raw.list("warehouse/prod/db.db/events/")).map((e) => e.path.slice("warehouse/prod/db.db/events/".length));
      assert.ok(keys.includes("schema/schema-0"), "schema-0");
      assert.ok(keys.includes("snapshot/snapshot-5") && !keys.includes("snapshot/snapshot-6"), `snapshots: ${keys.filter((k) => k.startsWith("snapshot/"))}`);
      assert.ok(keys.some((k) => /^bucket-0\/data-.*\.(parquet|orc|avro)$/.test(k)) && keys.some((k) => k.startsWith("bucket-1/")), "data files per bucket");
      assert.ok(keys.some((k) => k.startsWith("manifest/")), "manifests");

      await catalog.dropDatabase("db", { cascade: true });
      assert.deepEqual(await catalog.listDatabases(), []);
      assert.deepEqual(await raw.list("warehouse/"), [], "drop removed every key");
    });
  });

  test("two writers committing to one table concurrently: every commit lands once, no snapshot lost", async () => {
    await withServer(async (server) => {
      const s3 = server.options();
      const catalog = entry.openCatalog({ warehouse: "s3://lake/w", s3 });
      await catalog.createDatabase("db");
      // write-only: Paimon's multi-writer setup (writers only append; compaction runs elsewhere), so
      // no commit can conflict on compacted files and every write must land.
      await catalog.createTable("db.t", { columns: COLUMNS, primaryKeys: ["id"], options: { bucket: "1", "write-only": "true" } });
      // Separate catalogs and stores: two processes as far as S3 can tell. Their first snapshot
      // creates are forced into a race: a's waits until b's is ready, b's waits until a's landed,
      // so both aim at snapshot-1 and b must get 412 and commit again on top of a's.
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
        entry.openCatalog({ warehouse: "s3://lake/w", s3: server.options({ fetch: fetchA }) }).getTable("db.t"),
        entry.openCatalog({ warehouse: "s3://lake/w", s3: server.options({ fetch: fetchB }) }).getTable("db.t"),
      ]);
      const state = new Map<bigint, string>();
      const landed: string[] = [];
      const writer = async (table: typeof a, name: string, base: number) => {
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
      const appends = snapshots.filter((s) => s.commitKind === "APPEND");
      assert.equal(appends.length, landed.length, "one APPEND snapshot per landed write");
      assert.deepEqual(snapshots.map((s) => Number(s.id)), [1, 2, 3, 4, 5, 6], "ids are contiguous from 1");
      assert.deepEqual(await collect(table.rows()), expectedRows(state));
    });
  });

  test("s3:// without s3 options is a clear invalid_argument", () => {
    assert.throws(() => entry.openCatalog({ warehouse: "s3://lake/w" }), (error: unknown) => isLakeError(error, "invalid_argument") && /needs options\.s3/.test((error as Error).message));
    assert.throws(() => entry.openCatalog({ warehouse: "s3://", s3: { accessKeyId: "a", secretAccessKey: "b" } }), /not an s3:\/\/bucket\/prefix URL/);
  });
});
