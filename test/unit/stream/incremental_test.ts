// Goal: batch incremental reads return exactly the changes of the snapshots in (start, end]
// (ids or commit timestamps, Java's IncrementalDeltaStartingScanner rules, delta vs changelog),
// `$audit_log` returns every row of a snapshot with its row kind (deletes kept until compacted
// away, as Java's forceKeepDelete read), and the Arrow forms of all reads (columnar buffers or
// values) carry `_ROW_KIND` first and equal the value path row for row.
// Method: random primary-key histories with a model (stream_helpers.ts); every (start, end)
// pair; timestamps taken from the snapshots; Arrow tables decoded back with api/arrow.ts.
import { assert, describe, test } from "../../harness.ts";
import { arrowTableToColumns, rowKindsFromArrow } from "../../../src/api/arrow.ts";
import { auditLogTable, changeBatchToArrow, incrementalTable, streamTable } from "../../../src/api/table_stream.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import type { Value } from "../../../src/spec/values.ts";
import { readAuditLog, readIncremental } from "../../../src/stream/incremental.ts";
import { batchRows, changeText, field, growPkHistory, makeStreamTable, pkDef, take, type ModelSnapshot } from "./stream_helpers.ts";
import type { Table as ArrowTable } from "apache-arrow";

async function pkHistory(seed: number, commits: number, options: Record<string, string> = {}) {
  const st = await makeStreamTable(pkDef(options));
  const model: ModelSnapshot[] = [];
  await growPkHistory(st, model, seed, commits);
  return { st, model };
}

function modelRange(model: readonly ModelSnapshot[], start: bigint, end: bigint): string[] {
  return model.filter((s) => s.id > start && s.id <= end).flatMap((s) => s.delta).sort();
}

/** Sorted change texts of an Arrow table with `_ROW_KIND` first. */
function arrowRows(table: ArrowTable, fields: Parameters<typeof arrowTableToColumns>[1]): string[] {
  assert.equal(table.schema.fields[0]!.name, "_ROW_KIND");
  const kinds = rowKindsFromArrow(table.getChildAt(0)!);
  const { columns } = arrowTableToColumns(table, fields);
  const out: string[] = [];
  for (let i = 0; i < table.numRows; i++) out.push(changeText(kinds[i]!, columns.map((c) => c[i] as Value)));
  return out.sort();
}

describe("incremental between snapshots", () => {
  test("every (start, end] pair equals the model's deltas; values and Arrow paths agree", async () => {
    const { st, model } = await pkHistory(51, 6);
    const latest = model.at(-1)!.id;
    for (let start = 0n; start <= latest; start++) {
      for (let end = start; end <= latest; end++) {
        const batch = await readIncremental(st.table, { startSnapshotId: start, endSnapshotId: end, columnar: false });
        assert.deepEqual(batchRows(batch), modelRange(model, start, end), `(${start}, ${end}]`);
        if (end === latest) assert.deepEqual(arrowRows(await incrementalTable(st.table, { startSnapshotId: start, endSnapshotId: end }), st.schema.fields), modelRange(model, start, end));
      }
    }
    const viaOption = await readIncremental(st.table, { options: { "incremental-between": `1,${latest}` }, columnar: false });
    assert.deepEqual(batchRows(viaOption), modelRange(model, 1n, latest));
  });

  test("out-of-range and reversed ranges are errors with Java's messages; tags and diff mode are unsupported", async () => {
    const { st, model } = await pkHistory(52, 5);
    const latest = model.at(-1)!.id;
    await assert.rejects(readIncremental(st.table, { startSnapshotId: 0, endSnapshotId: latest + 1n }), /out of available snapshotId range \[1, \d+\]/);
    await assert.rejects(readIncremental(st.table, { startSnapshotId: 3, endSnapshotId: 2 }), /Ending snapshotId should >= starting snapshotId/);
    await st.expire(2);
    const earliest = (await st.table.snapshots())[0]!.id;
    await assert.rejects(readIncremental(st.table, { startSnapshotId: earliest - 2n, endSnapshotId: latest }), /out of available snapshotId range/);
    assert.deepEqual(batchRows(await readIncremental(st.table, { startSnapshotId: earliest - 1n, endSnapshotId: latest, columnar: false })), modelRange(model, earliest - 1n, latest));
    await assert.rejects(readIncremental(st.table, { options: { "incremental-between": "tag1,tag2" } }), (e: Error & { code?: string }) => e.code === "unsupported");
    await assert.rejects(readIncremental(st.table, { startSnapshotId: 1, endSnapshotId: 2, options: { "incremental-between-scan-mode": "diff" } }), (e: Error & { code?: string }) => e.code === "unsupported");
    await assert.rejects(readIncremental(st.table, {}), /no range/);
  });

  test("changelog mode reads changelog files (changelog-producer input); delta mode the data deltas", async () => {
    const st = await makeStreamTable(pkDef({ "changelog-producer": "input" }));
    await st.commit([{ kind: RowKind.INSERT, row: { k: 1, v: "a" } }]);
    await st.commit([{ kind: RowKind.UPDATE_BEFORE, row: { k: 1, v: "a" } }, { kind: RowKind.UPDATE_AFTER, row: { k: 1, v: "b" } }]);
    const changelog = await readIncremental(st.table, { startSnapshotId: 0, endSnapshotId: 2, columnar: false });
    assert.deepEqual(batchRows(changelog), ['+I|1|"a"', '+U|1|"b"', '-U|1|"a"']);
    // The data delta of snapshot 2 holds the merged record of key 1 (the write buffer keeps the latest).
    const delta = await readIncremental(st.table, { startSnapshotId: 0, endSnapshotId: 2, scanMode: "delta", columnar: false });
    assert.deepEqual(batchRows(delta), ['+I|1|"a"', '+U|1|"b"']);
  });
});

describe("incremental between timestamps", () => {
  test("(start, end] by commit time, Java's snapping rules", async () => {
    const { st, model } = await pkHistory(53, 6);
    const times = [...new Set(model.map((s) => s.timeMillis))];
    const candidates = [times[0]! - 10n, ...times.flatMap((t) => [t - 1n, t, t + 1n]), times.at(-1)! + 10n];
    for (const a of candidates) {
      for (const b of candidates) {
        if (b < a) continue;
        const batch = await readIncremental(st.table, { startTimestampMs: a, endTimestampMs: b, columnar: false });
        // The snapshots committed in (a, b].
        const rows = model.filter((s) => s.timeMillis > a && s.timeMillis <= b).flatMap((s) => s.delta).sort();
        assert.deepEqual(batchRows(batch), a === b ? [] : rows, `(${a}, ${b}]`);
      }
    }
    const viaOption = await readIncremental(st.table, { options: { "incremental-between-timestamp": `${times[1]},${times.at(-1)}` }, columnar: false });
    assert.deepEqual(batchRows(viaOption), model.filter((s) => s.timeMillis > times[1]!).flatMap((s) => s.delta).sort());
  });
});

describe("$audit_log", () => {
  test("every row of a snapshot with its kind; deletes show as -D until a full compaction drops them", async () => {
    const st = await makeStreamTable(pkDef());
    await st.upsert([{ k: 1, v: "a" }, { k: 2, v: "b" }, { k: 3, v: "c" }]);
    await st.commit([{ kind: RowKind.DELETE, row: { k: 2, v: null } }, { kind: RowKind.UPDATE_AFTER, row: { k: 3, v: "c2" } }]);
    assert.deepEqual(batchRows(await readAuditLog(st.table, { columnar: false })), ['+I|1|"a"', '+U|3|"c2"', '-D|2|null']);
    assert.deepEqual(batchRows(await readAuditLog(st.table, { snapshotId: 1, columnar: false })), ['+I|1|"a"', '+I|2|"b"', '+I|3|"c"']);
    await st.compact(true);
    assert.deepEqual(batchRows(await readAuditLog(st.table, { columnar: false })), ['+I|1|"a"', '+U|3|"c2"']);
    assert.deepEqual(arrowRows(await auditLogTable(st.table), st.schema.fields), ['+I|1|"a"', '+U|3|"c2"']);
    const empty = await makeStreamTable(pkDef());
    const none = await auditLogTable(empty.table);
    assert.equal(none.numRows, 0);
    assert.deepEqual(none.schema.fields.map((f) => f.name), ["_ROW_KIND", "k", "v"]);
  });

  test("append tables: every row +I", async () => {
    const st = await makeStreamTable({ fields: [field(0, "a", "INT"), field(1, "s", "STRING")], options: { bucket: "-1" } });
    await st.upsert([{ a: 1, s: "x" }]);
    await st.upsert([{ a: 2, s: null }]);
    assert.deepEqual(batchRows(await readAuditLog(st.table, { columnar: false })), ['+I|1|"x"', "+I|2|null"]);
  });
});

describe("Arrow streaming output", () => {
  test("streamTable items equal the value path, _ROW_KIND first; buffer and value parts mix in one table", async () => {
    const { st, model } = await pkHistory(54, 5);
    const stream = streamTable(st.table, { scanMode: "from-snapshot", snapshotId: 1n, pollIntervalMs: 5 });
    const expected = model.filter((s) => s.delta.length > 0);
    const items = await take(stream, expected.length, (item) => ({ snapshotId: item.snapshotId, rows: arrowRows(item.changes, st.schema.fields) }));
    await stream.return();
    assert.deepEqual(items, expected.map((s) => ({ snapshotId: s.id, rows: s.delta })));

    // A batch mixing a buffer part (columnar read) and a value part converts to one table.
    const columnar = await readIncremental(st.table, { startSnapshotId: 0, endSnapshotId: 2, columnar: true });
    const values = await readIncremental(st.table, { startSnapshotId: 0, endSnapshotId: 2, columnar: false });
    assert.ok(columnar.parts.some((p) => p.buffers !== null), "parquet-wasm served the columnar read");
    const mixed = { ...columnar, parts: [...columnar.parts, ...values.parts], rowCount: columnar.rowCount + values.rowCount };
    const table = changeBatchToArrow(mixed);
    assert.equal(table.numRows, 2 * values.rowCount);
    assert.deepEqual(arrowRows(table, st.schema.fields), [...batchRows(values), ...batchRows(values)].sort());
  });

  test("insert-only parts share one +I column (sliced): kinds and values stay row-aligned", async () => {
    const fields = [field(0, "a", "INT")];
    const part = (n: number, kind: number) => ({ rowCount: n, rowKinds: new Uint8Array(n).fill(kind), values: [Array.from({ length: n }, (_, i) => i)], buffers: null });
    const table = changeBatchToArrow({ snapshotId: 1n, fields, parts: [part(3000, 0), part(2, 3), part(5, 0)], rowCount: 3007 });
    const kinds = rowKindsFromArrow(table.getChildAt(0)!);
    assert.equal(kinds.length, 3007);
    assert.deepEqual([kinds[0], kinds[2999], kinds[3000], kinds[3001], kinds[3002], kinds[3006]], [0, 0, 3, 3, 0, 0]);
    assert.deepEqual(table.get(3006)!.toJSON(), { _ROW_KIND: "+I", a: 4 });
    assert.deepEqual(table.get(3001)!.toJSON(), { _ROW_KIND: "-D", a: 1 });
  });
});
