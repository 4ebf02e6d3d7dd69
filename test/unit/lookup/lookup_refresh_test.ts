// Goal: through random writes, deletes and compactions, a lookup refreshed to each new snapshot
// answers exactly what a full scan at that snapshot holds, in every merge engine (deduplicate,
// deduplicate with the lookup changelog producer, partial-update, aggregation, first-row), by the
// incremental path and by the full-reload path (fullLoadThreshold 0); a compaction-only
// snapshot rebuilds nothing; a pinned lookup never moves.
// Method: seeded random operations on MemoryStore tables through the real writer and
// compactTable; after each, refresh() and compare getMany over hits and misses with
// table.rows({ snapshotId }) grouped by key.
import { describe, test, assert, seededRandom } from "../../harness.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import type { Value } from "../../../src/spec/values.ts";
import type { TableLookup } from "../../../src/api/table_lookup.ts";
import { advanceSnapshotView, loadSnapshotView, type SnapshotView } from "../../../src/lookup/snapshot_view.ts";
import { readSnapshot, latestSnapshotId } from "../../../src/table/snapshot_manager.ts";
import { field, keyText, makeTable, rowText, scanByKey, StreamTable } from "./lookup_helpers.ts";

/** Bucket ids with their visible file names and deletion files, for comparing views. */
function viewText(view: SnapshotView): string[] {
  return [...view.splits].map(([id, split]) => `${id}:${split.files.map((f) => `${f.fileName}@${f.level}`).join(",")}:${[...split.deletionFiles.keys()].sort().join(",")}`).sort();
}

const COLUMNS = ["k", "a", "b"];
const KEY_SPACE = 60;

interface EngineCase {
  readonly name: string;
  readonly options: Record<string, string>;
  readonly deletes: boolean;
  /** Values for a written row (partial-update writes nulls to leave columns unchanged). */
  readonly row: (rnd: () => number, k: bigint) => Record<string, Value>;
}

const full = (rnd: () => number, k: bigint): Record<string, Value> => ({ k, a: BigInt(Math.floor(rnd() * 100)), b: `v${Math.floor(rnd() * 1000)}` });
const CASES: EngineCase[] = [
  { name: "deduplicate", options: {}, deletes: true, row: full },
  { name: "deduplicate + lookup changelog", options: { "changelog-producer": "lookup" }, deletes: true, row: full },
  { name: "partial-update", options: { "merge-engine": "partial-update" }, deletes: false,
    row: (rnd, k) => ({ k, a: rnd() < 0.5 ? null : BigInt(Math.floor(rnd() * 100)), b: rnd() < 0.5 ? null : `p${Math.floor(rnd() * 100)}` }) },
  { name: "aggregation", options: { "merge-engine": "aggregation", "fields.a.aggregate-function": "sum", "fields.b.aggregate-function": "last_non_null_value" }, deletes: false, row: full },
  { name: "first-row", options: { "merge-engine": "first-row" }, deletes: false, row: full },
];

async function check(lookup: TableLookup, t: StreamTable, rnd: () => number, what: string): Promise<void> {
  const expected = await scanByKey(t.table, ["k"], lookup.snapshotId);
  const probes = Array.from({ length: 80 }, () => BigInt(Math.floor(rnd() * (KEY_SPACE + 20))));
  const got = await lookup.getMany(probes.map((k) => ({ k })));
  for (let i = 0; i < probes.length; i++) {
    const want = expected.get(keyText([probes[i]!]))?.[0] ?? null;
    assert.equal(rowText(got[i]!, COLUMNS), rowText(want, COLUMNS), `${what}: key ${probes[i]}`);
  }
}

describe("lookup refresh equals a full scan in every merge engine", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const { store, table, schema } = await makeTable({
        fields: [field(0, "k", "BIGINT NOT NULL"), field(1, "a", "BIGINT"), field(2, "b", "STRING")],
        primaryKeys: ["k"], options: { bucket: "2", ...c.options },
      });
      const t = new StreamTable(store, schema, table);
      const rnd = seededRandom(c.name.length * 31 + 1);
      const write = () => t.upsert(Array.from({ length: 25 }, () => c.row(rnd, BigInt(Math.floor(rnd() * KEY_SPACE)))));
      await write();
      const lookup = await table.newLookup({ refreshIntervalMs: 3_600_000, onWarning: () => {} });
      const reloading = await table.newLookup({ refreshIntervalMs: 3_600_000, fullLoadThreshold: 0, onWarning: () => {} });
      const pinned = await table.newLookup({ snapshotId: lookup.snapshotId!, refreshIntervalMs: 0, onWarning: () => {} });
      const pinnedExpected = await scanByKey(table, ["k"], lookup.snapshotId);
      await check(lookup, t, rnd, "initial");
      const modes: string[] = [];
      for (let round = 0; round < 7; round++) {
        const op = rnd();
        if (op < 0.5) await write();
        else if (op < 0.7 && c.deletes) {
          await t.commit(Array.from({ length: 8 }, () => ({ kind: RowKind.DELETE, row: { k: BigInt(Math.floor(rnd() * KEY_SPACE)), a: null, b: null } })));
        } else {
          const loadedBefore = lookup.stats().bucketsLoaded;
          await t.compact(rnd() < 0.5);
          const r = await lookup.refresh();
          modes.push(r.mode);
          // Compaction alone changes no visible row, except where batch reads hide level 0.
          if (!c.options["deletion-vectors.enabled"] && c.name !== "first-row" && r.mode === "incremental") {
            assert.equal(lookup.stats().bucketsLoaded, loadedBefore, "a compaction-only refresh rebuilt buckets");
          }
        }
        const r = await lookup.refresh();
        modes.push(r.mode);
        await check(lookup, t, rnd, `round ${round}`);
        const rr = await reloading.refresh();
        assert.ok(rr.mode === "full" || rr.mode === "none", rr.mode);
        await check(reloading, t, rnd, `round ${round} (full reload)`);
      }
      assert.ok(modes.includes("incremental"), modes.join(","));
      // Applying every delta since snapshot 1 gives the same view as planning the latest snapshot.
      const viewOptions = { skipLevel0: c.name === "first-row", partitionTypes: [] };
      const first = await loadSnapshotView(store, schema, await readSnapshot(store, 1n), viewOptions);
      const latest = (await latestSnapshotId(store))!;
      const advanced = await advanceSnapshotView(store, first, latest, viewOptions);
      const planned = await loadSnapshotView(store, schema, await readSnapshot(store, latest), viewOptions);
      assert.deepEqual(viewText(advanced!.view), viewText(planned));
      assert.ok(viewText(planned).length > 0);
      // The pinned lookup still answers at its snapshot.
      const got = await pinned.getMany(Array.from({ length: KEY_SPACE }, (_, i) => [BigInt(i)]));
      for (let i = 0; i < KEY_SPACE; i++) {
        assert.equal(rowText(got[i]!, COLUMNS), rowText(pinnedExpected.get(keyText([BigInt(i)]))?.[0] ?? null, COLUMNS));
      }
    });
  }
});
