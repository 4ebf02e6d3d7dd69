// Goal: the public write API (`table.newWrite`, `table.write`, `table.deleteWhere`) accepts
// what JS data tools hand over — plain objects with the documented conveniences, Apache Arrow
// tables with typed, string and nullable columns, a `_ROW_KIND` column, missing nullable
// columns — applies Java's write-time rules (NOT NULL, default values, rowkind.field,
// ignore-delete) and reads back exactly; bad input fails naming the column and row.
// Method: MemoryStore tables; values written through the API and read with Table.rows/read.
import { Field, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table as ArrowTable, Utf8, vectorFromArray } from "apache-arrow";
import { assert, describe, test } from "../../harness.ts";
import { setFastParquetSource, parquetWriterModule } from "../../../src/format/data/parquet_arrow_reader.ts";
import { dataTypeFromJson } from "../../../src/spec/data_types.ts";
import { readAllSnapshots } from "../../../src/table/snapshot_manager.ts";
import { field, makeTable, visibleRows, visibleRowsArrow } from "../table/write/table_writer_helpers.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";

function arrowTable(fields: Field[], children: ReturnType<typeof makeData>[], n: number): ArrowTable {
  return new ArrowTable([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }))]);
}

describe("plain objects", () => {
  test("conveniences: BIGINT numbers, DECIMAL text, Date timestamps and dates, FLOAT rounding, Map, ROW objects", async () => {
    const fields = [
      field(0, "id", "BIGINT NOT NULL"), field(1, "m", "DECIMAL(10, 3)"), field(2, "t", "TIMESTAMP(3)"), field(3, "d", "DATE"), field(4, "f", "FLOAT"),
      { id: 5, name: "mp", type: dataTypeFromJson({ type: "MAP", key: "STRING NOT NULL", value: "INT" }) },
      { id: 6, name: "r", type: dataTypeFromJson({ type: "ROW", fields: [{ id: 7, name: "x", type: "INT" }, { id: 8, name: "y", type: "STRING" }] }) },
      field(9, "us", "TIMESTAMP(6)"),
    ];
    const { store, table } = await makeTable({ fields, primaryKeys: ["id"], options: { bucket: "1" } });
    const result = await table.write([
      { id: 1, m: "12.3456", t: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), d: new Date(Date.UTC(2024, 0, 2)), f: 0.1, mp: new Map([["a", 1]]), r: { x: 1, y: "z" }, us: { epochMillis: 5, nanoOfMillisecond: 123_456 } },
      { id: 2n, m: -5n, t: null, d: 19000, f: null, mp: [["b", null]], r: [2, null] },
    ]);
    assert.deepEqual(result.snapshotIds, [1n]);
    assert.equal(result.alreadyCommitted, false);
    const rows = [];
    for await (const r of (await (await import("../../../src/api/table.ts")).Table.open(store)).rows()) rows.push(r);
    rows.sort((a, b) => Number((a.id as bigint) - (b.id as bigint)));
    assert.equal(rows[0]!.m, 12346n, "12.3456 rounds HALF_UP to scale 3");
    assert.deepEqual(rows[0]!.t, { epochMillis: Date.UTC(2024, 0, 2, 3, 4, 5, 6), nanoOfMillisecond: 0 });
    assert.equal(rows[0]!.d, Math.floor(Date.UTC(2024, 0, 2) / 86_400_000));
    assert.equal(rows[0]!.f, Math.fround(0.1));
    assert.deepEqual(rows[0]!.mp, [["a", 1]]);
    assert.deepEqual(rows[0]!.r, [1, "z"]);
    assert.deepEqual(rows[0]!.us, { epochMillis: 5, nanoOfMillisecond: 123_000 }, "TIMESTAMP(6) keeps micros, drops the rest");
    assert.deepEqual([rows[1]!.id, rows[1]!.m, rows[1]!.d, rows[1]!.us], [2n, -5n, 19000, null]);
  });

  test("default values fill nulls of nullable columns; rowkind.field sets row kinds; ignore-delete drops deletes", async () => {
    const fields = [field(0, "k", "INT NOT NULL"), { ...field(1, "v", "STRING"), defaultValue: "dflt" }, field(2, "op", "STRING")];
    const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1", "rowkind.field": "op" } });
    await table.write([{ k: 1, op: "+I" }, { k: 2, v: "x", op: "+I" }, { k: 3, v: "y", op: "+I" }]);
    await table.write([{ k: 2, op: "-D" }, { k: 3, v: "z", op: "+U" }]);
    assert.deepEqual(await visibleRows(store), ['1|"dflt"|"+I"', '3|"z"|"+U"']);
    await assert.rejects(table.write([{ k: 4 }]), /row 0: row kind column "op" is null/);
    await assert.rejects(table.write([{ k: 4, op: "?" }]), /unknown short string/);

    const ignoring = await makeTable({ fields: [field(0, "k", "INT NOT NULL"), field(1, "v", "INT")], primaryKeys: ["k"], options: { bucket: "1", "ignore-delete": "true" } });
    const w = ignoring.table.newWrite();
    await w.write([{ k: 1, v: 1 }]);
    await w.delete([{ k: 1 }]);
    await w.commit();
    await w.close();
    assert.deepEqual(await visibleRows(ignoring.store), ["1|1"]);
  });

  test("delete() on append tables and a closed writer are refused", async () => {
    const { table } = await makeTable({ fields: [field(0, "a", "INT")], options: { bucket: "-1" } });
    const w = table.newWrite();
    await assert.rejects(w.delete([{ a: 1 }]), (e: Error & { code?: string }) => e.code === "unsupported" && /deleteWhere/.test(e.message));
    await w.close();
    await assert.rejects(w.write([{ a: 1 }]), /closed/);
  });

  test("deleteWhere retracts the matching rows of a primary-key table", async () => {
    const fields = [field(0, "k", "INT NOT NULL"), field(1, "v", "INT")];
    const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "2" } });
    await table.write(Array.from({ length: 10 }, (_, k) => ({ k, v: k * 10 })));
    const result = await table.deleteWhere("v >= 50");
    assert.equal(result.method, "retract");
    assert.equal(result.deletedRowCount, 5);
    assert.deepEqual(await visibleRows(store), ["0|0", "1|10", "2|20", "3|30", "4|40"]);
  });
});

test("write-only commits leave level-0 files; table.compact({ full: true }) folds them without changing the rows", async () => {
  const fields = [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")];
  const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1", "write-only": "true" } });
  for (let round = 0; round < 3; round++) await table.write(Array.from({ length: 50 }, (_, k) => ({ k: k * 3 + round, v: `r${round}-${k}` })));
  await table.write([{ k: 0, v: "last" }]);
  const before = await visibleRows(store);
  assert.equal((await table.files()).length, 4);
  const result = await table.compact({ full: true });
  assert.equal(result.compactedBuckets, 1);
  assert.deepEqual(await visibleRows(store), before);
  const files = await table.files();
  assert.ok(files.length >= 1 && files.every((f) => f.level > 0), "everything moved to the max level");
});

describe("Arrow tables", () => {
  test("typed, string and nullable columns, a missing nullable column and _ROW_KIND", async () => {
    const fields = [field(0, "k", "BIGINT NOT NULL"), field(1, "n", "INT"), field(2, "s", "STRING"), field(3, "d", "DOUBLE"), field(4, "extra", "STRING")];
    const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "2" } });
    const n = 5;
    const arrowFields = [new Field("k", new Int64(), false), new Field("n", new Int32(), true), new Field("s", new Utf8(), true), new Field("d", new Float64(), true)];
    const first = arrowTable(arrowFields, [
      makeData({ type: new Int64(), length: n, data: BigInt64Array.from([1n, 2n, 3n, 4n, 5n]) }),
      vectorFromArray([1, null, 3, null, 5], new Int32()).data[0]!,
      vectorFromArray(["a", null, "ç€𝄞", "", "e"], new Utf8()).data[0]!,
      makeData({ type: new Float64(), length: n, data: Float64Array.from([0.5, -0, NaN, 1e300, 2]) }),
    ], n);
    const w = table.newWrite();
    await w.write(first);
    await w.commit({ identifier: 1n });
    assert.deepEqual(await visibleRows(store), ['1n|1|"a"|0.5|null', '2n|null|null|-0|null', '3n|3|"ç€𝄞"|NaN|null', '4n|null|""|1e+300|null', '5n|5|"e"|2|null']);
    assert.deepEqual(await visibleRowsArrow(store), await visibleRows(store), "Table.read agrees");

    const kinds = new ArrowTable({
      k: vectorFromArray([2n, 3n], new Int64()), s: vectorFromArray(["x", "y"], new Utf8()), _ROW_KIND: vectorFromArray(["-D", "+U"], new Utf8()),
    });
    await w.write(kinds);
    await w.commit({ identifier: 2n });
    await w.close();
    assert.deepEqual(await visibleRows(store), ['1n|1|"a"|0.5|null', '3n|null|"y"|null|null', '4n|null|""|1e+300|null', '5n|5|"e"|2|null']);
  });

  test("sliced Arrow string columns (offsets not starting at 0, nulls, empty values) are written as sliced", async () => {
    const fields = [field(0, "k", "INT NOT NULL"), field(1, "s", "STRING")];
    const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1" } });
    const whole = new ArrowTable({ k: vectorFromArray([1, 2, 3, 4, 5, 6], new Int32()), s: vectorFromArray(["", null, "bb", "ccc", null, "ε"], new Utf8()) });
    await table.write(whole.slice(1, 5)); // keys 2..5: the slice of s starts at a null row
    assert.deepEqual(await visibleRows(store), ["2|null", '3|"bb"', '4|"ccc"', "5|null"]);
    await table.write(whole.slice(0, 1)); // offsets start at 0, one empty value
    assert.deepEqual(await visibleRows(store), ['1|""', "2|null", '3|"bb"', '4|"ccc"', "5|null"]);
  });

  test("several record batches and Arrow types other than the column's own layout", async () => {
    const fields = [field(0, "k", "INT NOT NULL"), field(1, "v", "BIGINT")];
    const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1" } });
    const schema = new Schema([new Field("k", new Int32(), false), new Field("v", new Int32(), true)]);
    const batch = (ks: number[], vs: (number | null)[]) => new RecordBatch(schema, makeData({
      type: new Struct(schema.fields), length: ks.length, nullCount: 0,
      children: [vectorFromArray(ks, new Int32()).data[0]!, vectorFromArray(vs, new Int32()).data[0]!],
    }));
    await table.write(new ArrowTable([batch([1, 2], [10, null]), batch([3, 1], [30, 11])]));
    assert.deepEqual(await visibleRows(store), ["1|11n", "2|null", "3|30n"]);
  });

  test("bad Arrow input: unknown column, null in NOT NULL, wrong type, missing NOT NULL column", async () => {
    const fields = [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")];
    const { store, table } = await makeTable({ fields, primaryKeys: ["k"], options: { bucket: "1" } });
    await assert.rejects(table.write(new ArrowTable({ k: vectorFromArray([1], new Int32()), zz: vectorFromArray([1], new Int32()) })), /column "zz", which is not a column/);
    await assert.rejects(table.write(new ArrowTable({ k: vectorFromArray([1, null], new Int32()) })), /column "k", row 1 is null/);
    await assert.rejects(table.write(new ArrowTable({ k: vectorFromArray(["1"], new Utf8()) })), /column "k"/);
    await assert.rejects(table.write(new ArrowTable({ v: vectorFromArray(["1"], new Utf8()) })), /column "k".* NOT NULL/);
    const badUtf8 = makeData({ type: new Utf8(), length: 2, valueOffsets: Int32Array.from([0, 1, 3]), data: Uint8Array.from([0x61, 0xc3, 0x28]) });
    await assert.rejects(table.write(arrowTable([new Field("k", new Int32(), false), new Field("v", new Utf8(), true)], [vectorFromArray([1, 2], new Int32()).data[0]!, badUtf8], 2)), /column "v" holds bytes that are not valid UTF-8/);
    assert.equal((await readAllSnapshots(store)).length, 0);
  });
});

test("writing without a registered parquet-wasm is an unsupported error that says how to register it", async () => {
  setFastParquetSource(null);
  try {
    await assert.rejects(parquetWriterModule(), (e: Error & { code?: string }) => e.code === "unsupported" && /setFastParquetSource/.test(e.message));
  } finally {
    setFastParquetSource(parquetWasmBytes());
  }
});
