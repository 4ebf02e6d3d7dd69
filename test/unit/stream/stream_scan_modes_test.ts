// Goal: every streaming scan mode (latest-full, latest, from-snapshot, from-snapshot-full,
// from-timestamp, and the `default` rule) yields exactly the snapshots and changes Java's
// DataTableStreamScan would: full reads as merged rows, then the delta files of APPEND snapshots
// with their row kinds (-D included), COMPACT snapshots passed over; append tables as +I;
// OVERWRITE snapshots skipped unless streaming-read-(append-)overwrite; changelog-producer
// input read from changelog files, including the changelog files Java wrote.
// Method: random commits through the real writer (distinct keys per commit) with full
// compactions, recorded in a model (ids, commit kinds and times read back from the snapshots);
// each mode is compared to the model's expectation; streams are closed with return().
import { assert, describe, test } from "../../harness.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { Table } from "../../../src/api/table.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import { openChangeStream } from "../../../src/stream/stream_read.ts";
import { readConsumer } from "../../../src/table/consumer_manager.ts";
import {
  batchItem, changeText, expectedDeltas, expectedFullThenDeltas, field, growPkHistory, makeStreamTable, nextWithin, pkDef, take,
  type ItemText, type ModelSnapshot,
} from "./stream_helpers.ts";

const POLL_MS = 5;

async function history(seed: number, commits: number): Promise<{ st: Awaited<ReturnType<typeof makeStreamTable>>; model: ModelSnapshot[] }> {
  const st = await makeStreamTable(pkDef());
  const model: ModelSnapshot[] = [];
  await growPkHistory(st, model, seed, commits);
  return { st, model };
}

/** Reads `expected.length` items from a fresh stream and checks that no further item comes. */
async function expectStream(context: Table, options: Parameters<typeof openChangeStream>[1], expected: ItemText[]): Promise<void> {
  const stream = openChangeStream(context, { pollIntervalMs: POLL_MS, columnar: false, ...options });
  try {
    assert.deepEqual(await take(stream, expected.length, batchItem), expected);
    assert.equal(await nextWithin(stream, 4 * POLL_MS), "timeout", "no item beyond the model");
  } finally {
    await stream.return();
  }
}

describe("primary-key table, changelog-producer none", () => {
  test("from-snapshot N reads the deltas of APPEND snapshots N.. (every N), -D included, COMPACT passed over", async () => {
    const { st, model } = await history(11, 9);
    assert.ok(model.some((s) => s.commitKind === "COMPACT"), "the history holds COMPACT snapshots");
    assert.ok(model.some((s) => s.delta.some((r) => r.startsWith("-D|"))), "the history holds deletes");
    for (const s of model) await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: s.id }, expectedDeltas(model, s.id));
  });

  test("from-snapshot-full N reads snapshot N merged (+I), then the deltas after it", async () => {
    const { st, model } = await history(12, 7);
    for (const s of model) await expectStream(st.table, { scanMode: "from-snapshot-full", snapshotId: s.id }, expectedFullThenDeltas(model, s.id));
  });

  test("latest-full (the default) reads the latest snapshot, then changes committed while it runs", async () => {
    const { st, model } = await history(13, 5);
    const latest = model.at(-1)!.id;
    const stream = openChangeStream(st.table, { pollIntervalMs: POLL_MS, columnar: false });
    try {
      assert.deepEqual(await take(stream, 1, batchItem), expectedFullThenDeltas(model, latest).slice(0, 1));
      const before = model.length;
      await growPkHistory(st, model, 14, 3);
      assert.deepEqual(await take(stream, expectedDeltas(model, latest + 1n).length, batchItem), expectedDeltas(model, latest + 1n));
      assert.ok(model.length > before);
    } finally {
      await stream.return();
    }
  });

  test("latest reads only snapshots committed after it opened; on an empty table the first snapshot is read as changes", async () => {
    const { st, model } = await history(15, 4);
    const latest = model.at(-1)!.id;
    const stream = openChangeStream(st.table, { scanMode: "latest", pollIntervalMs: POLL_MS, columnar: false });
    assert.equal(await nextWithin(stream, 4 * POLL_MS), "timeout", "nothing before a new commit");
    await growPkHistory(st, model, 16, 3);
    assert.deepEqual(await take(stream, expectedDeltas(model, latest + 1n).length, batchItem), expectedDeltas(model, latest + 1n));
    await stream.return();

    const empty = await makeStreamTable(pkDef());
    const fromEmpty = openChangeStream(empty.table, { scanMode: "latest", pollIntervalMs: POLL_MS, columnar: false });
    await new Promise((r) => setTimeout(r, 3 * POLL_MS)); // the stream opened on a table without snapshots
    const emptyModel: ModelSnapshot[] = [];
    await growPkHistory(empty, emptyModel, 17, 2);
    assert.deepEqual(await take(fromEmpty, expectedDeltas(emptyModel, 1n).length, batchItem), expectedDeltas(emptyModel, 1n));
    await fromEmpty.return();
  });

  test("from-timestamp starts at the first snapshot committed at or after the timestamp", async () => {
    const { st, model } = await history(18, 6);
    const times = [...new Set(model.map((s) => s.timeMillis))];
    for (const t of [times[0]! - 5000n, ...times, times.at(-1)! + 1n]) {
      for (const ts of [t, t + 1n]) {
        const first = model.find((s) => s.timeMillis >= ts)?.id ?? model.at(-1)!.id + 1n;
        await expectStream(st.table, { scanMode: "from-timestamp", timestampMs: ts }, expectedDeltas(model, first));
      }
    }
  });

  test("the default mode follows Java's rule: scan.timestamp-millis, then scan.snapshot-id, else latest-full", async () => {
    const { st, model } = await history(19, 4);
    const third = model[2]!;
    await expectStream(st.table, { options: { "scan.snapshot-id": String(third.id) } }, expectedDeltas(model, third.id));
    await expectStream(st.table, { options: { "scan.timestamp-millis": String(third.timeMillis) } }, expectedDeltas(model, model.find((s) => s.timeMillis >= third.timeMillis)!.id));
    await expectStream(st.table, { scanMode: "full" }, expectedFullThenDeltas(model, model.at(-1)!.id));
    assert.throws(() => openChangeStream(st.table, { scanMode: "from-snapshot" }), /needs a snapshot id/);
    assert.throws(() => openChangeStream(st.table, { options: { "scan.mode": "compacted-full" } }), (e: Error & { code?: string }) => e.code === "unsupported");
    assert.throws(() => openChangeStream(st.table, { pollIntervalMs: 0 }), /poll interval 0 ms/);
    assert.throws(() => openChangeStream(st.table, { columns: ["nope"] }), /column "nope" does not exist/);
    assert.throws(() => openChangeStream(st.table, { options: { "scan.bounded.watermark": "5" } }), (e: Error & { code?: string }) => e.code === "unsupported");
  });

  test("a from-snapshot id below the earliest snapshot starts at the earliest one (Java clamps)", async () => {
    const { st, model } = await history(20, 6);
    await st.expire(3);
    const earliest = (await st.table.snapshots())[0]!.id;
    assert.ok(earliest > 1n);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n }, expectedDeltas(model, earliest));
  });

  test("projection: columns in the order asked", async () => {
    const st = await makeStreamTable(pkDef());
    await st.upsert([{ k: 1, v: "a" }, { k: 2, v: "b" }]);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, columns: ["v", "k"] }, [{ snapshotId: 1n, rows: ['+I|"a"|1', '+I|"b"|2'] }]);
  });
});

describe("append tables and overwrites", () => {
  const appendDef = { fields: [field(0, "a", "INT"), field(1, "s", "STRING")], options: { bucket: "-1" } };

  test("append rows are +I; an OVERWRITE (deleteWhere) is skipped by default and read as its added files with streaming-read-append-overwrite", async () => {
    const st = await makeStreamTable(appendDef);
    await st.upsert([{ a: 1, s: "x" }, { a: 2, s: "y" }]);
    await st.upsert([{ a: 3, s: "z" }]);
    await st.table.deleteWhere("a = 2");
    const snapshots = await st.table.snapshots();
    assert.deepEqual(snapshots.map((s) => s.commitKind), ["APPEND", "APPEND", "OVERWRITE"]);
    await st.upsert([{ a: 4, s: "w" }]);
    const deltas = [{ snapshotId: 1n, rows: ['+I|1|"x"', '+I|2|"y"'] }, { snapshotId: 2n, rows: ['+I|3|"z"'] }];
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n }, [...deltas, { snapshotId: 4n, rows: ['+I|4|"w"'] }]);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n, options: { "streaming-read-append-overwrite": "true" } },
      [...deltas, { snapshotId: 3n, rows: ['+I|1|"x"'] }, { snapshotId: 4n, rows: ['+I|4|"w"'] }]);
    await expectStream(st.table, { scanMode: "from-snapshot-full", snapshotId: 3n }, [{ snapshotId: 3n, rows: ['+I|1|"x"', '+I|3|"z"'] }, { snapshotId: 4n, rows: ['+I|4|"w"'] }]);
  });

  test("primary-key OVERWRITE (a dropped partition) with streaming-read-overwrite: the removed rows as -D", async () => {
    const st = await makeStreamTable({
      fields: [field(0, "k", "INT NOT NULL"), field(1, "p", "STRING NOT NULL"), field(2, "v", "INT")],
      primaryKeys: ["k", "p"], partitionKeys: ["p"], options: { bucket: "1" },
    });
    await st.upsert([{ k: 1, p: "a", v: 10 }, { k: 2, p: "a", v: 20 }, { k: 1, p: "b", v: 30 }]);
    await st.upsert([{ k: 2, p: "a", v: 21 }]);
    await st.table.deleteWhere("p = 'a'");
    const kinds = (await st.table.snapshots()).map((s) => s.commitKind);
    assert.equal(kinds.at(-1), "OVERWRITE", `deleteWhere on a whole partition is an overwrite (got ${kinds.join(",")})`);
    const last = BigInt(kinds.length);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: last }, []);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: last, options: { "streaming-read-overwrite": "true" } },
      [{ snapshotId: last, rows: ['-D|1|"a"|10', '-D|2|"a"|21'] }]);
    assert.throws(() => openChangeStream(st.table, { options: { "streaming-read-overwrite": "true", "changelog-producer": "lookup" } }), /streaming-read-overwrite cannot be true/);
  });
});

describe("changelog-producer input", () => {
  test("follow-ups read the changelog files (every input record with its kind), COMPACT snapshots have none", async () => {
    const st = await makeStreamTable(pkDef({ "changelog-producer": "input" }));
    await st.commit([{ kind: RowKind.INSERT, row: { k: 1, v: "a" } }, { kind: RowKind.INSERT, row: { k: 2, v: "b" } }]);
    await st.commit([{ kind: RowKind.UPDATE_BEFORE, row: { k: 1, v: "a" } }, { kind: RowKind.UPDATE_AFTER, row: { k: 1, v: "a2" } }, { kind: RowKind.DELETE, row: { k: 2, v: "b" } }]);
    const compacted = await st.compact(true);
    assert.equal(compacted.length, 1);
    await st.commit([{ kind: RowKind.INSERT, row: { k: 3, v: "c" } }]);
    const snapshots = await st.table.snapshots();
    assert.deepEqual(snapshots.map((s) => [s.commitKind, s.changelogManifestList !== null]), [["APPEND", true], ["APPEND", true], ["COMPACT", false], ["APPEND", true]]);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n }, [
      { snapshotId: 1n, rows: ['+I|1|"a"', '+I|2|"b"'] },
      { snapshotId: 2n, rows: ['+U|1|"a2"', '-D|2|"b"', '-U|1|"a"'] },
      { snapshotId: 4n, rows: ['+I|3|"c"'] },
    ]);
    // latest-full reads the merged rows of every level (input changelog), then follows.
    await expectStream(st.table, { scanMode: "from-snapshot-full", snapshotId: 3n }, [{ snapshotId: 3n, rows: ['+U|1|"a2"'] }, { snapshotId: 4n, rows: ['+I|3|"c"'] }]);
  });

  test("the changelog files Java wrote (paimon-0.5 many_pk_table) are read as Java reads them", async () => {
    const store = new NodeFsStore(new URL("../../fixtures/paimon/java-tables/paimon-0.5.db/many_pk_table", import.meta.url).pathname);
    const table = await Table.open(store);
    const stream = openChangeStream(table, { scanMode: "from-snapshot", snapshotId: 1n, pollIntervalMs: POLL_MS, columnar: false, columns: ["point_id", "version", "orders"] });
    const items = await take(stream, 3, batchItem);
    assert.equal(await nextWithin(stream, 4 * POLL_MS), "timeout", "snapshot 4 has no changelog manifest list");
    await stream.return();
    // The records of the changelog files, with the kinds Java wrote into _VALUE_KIND.
    assert.deepEqual(items, [
      { snapshotId: 1n, rows: ['+I|"7404538406d14105a5fa9fa216bc583c"|1|1200', '+I|"787fb961f52e4b0b85e5dc161420da98"|1|1150', '+I|"9d1902511e5d4ecd8f9404ab447a1842"|1|9170'] },
      { snapshotId: 2n, rows: ['+I|"4f8ae6d3eea547068e42fa03a57acd7e"|1|1150', '+I|"a73d4147e5634a72b9371b21bfea3077"|2|2000', '+I|"a73d4147e5634a72b9371b21bfea3078"|1|1000', '-D|"787fb961f52e4b0b85e5dc161420da98"|1|1150'] },
      { snapshotId: 3n, rows: ['+I|"391db506f77b4d8da379fc4bd6fc69d3"|1|null', '+U|"a73d4147e5634a72b9371b21bfea3077"|2|2000', '-U|"a73d4147e5634a72b9371b21bfea3077"|2|2000'] },
    ]);
    // A consumer id on a read-only fixture would write; none is used. The fixture is untouched.
    assert.equal(await readConsumer(store, "never"), null);
  });
});

describe("delete visibility", () => {
  test("a -D record written by a delete is delivered as -D with the values it carries", async () => {
    const st = await makeStreamTable(pkDef());
    await st.upsert([{ k: 1, v: "a" }]);
    await st.commit([{ kind: RowKind.DELETE, row: { k: 1, v: "a" } }]);
    await expectStream(st.table, { scanMode: "from-snapshot", snapshotId: 1n }, [
      { snapshotId: 1n, rows: [changeText(RowKind.INSERT, [1, "a"])] },
      { snapshotId: 2n, rows: [changeText(RowKind.DELETE, [1, "a"])] },
    ]);
  });
});
