// Goal: a write-buffer drain gives exactly Java's flush (SortBufferWriteBuffer + MergeTreeWriter):
// records sorted by key, then sequence fields, then sequence number; each key's records merged by
// ReducerMergeFunction over the table's merge function (one-record keys untouched, -D kept);
// sequence numbers consecutive from the restored start and continuing across drains — for every
// merge engine, every sort path (dense, u64, bytes, compare) and every input column form.
// Method: seeded random rows over small key spaces (so keys repeat) with random row kinds, fed in
// random slices (whole ranges and picked rows); the oracle is modelFlush (write_buffer_helpers.ts),
// which builds a KeyValue per record and runs the merge functions themselves.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { dataTypeFromJson, parseTypeString, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { randomValue } from "../table/fast_read_helpers.ts";
import { batchOf, bufferOf, flushRecords, modelFlush, pkSchema, showRows, type InRow } from "./write_buffer_helpers.ts";

const NN = (text: string): DataType => parseTypeString(`${text} NOT NULL`);
/** Atomic type text, or ARRAY<atomic> / MAP<atomic, atomic> (schema JSON for the nested ones). */
function T(text: string): DataType {
  const array = /^ARRAY<(.+)>$/.exec(text);
  if (array !== null) return dataTypeFromJson({ type: "ARRAY", element: array[1] });
  const map = /^MAP<(.+), (.+)>$/.exec(text);
  if (map !== null) return dataTypeFromJson({ type: "MAP", key: `${map[1]} NOT NULL`, value: map[2] });
  return parseTypeString(text);
}
const field = (id: number, name: string, type: DataType): DataField => ({ id, name, type });

interface Case {
  readonly name: string;
  readonly schema: TableSchema;
  /** Values of one random row. */
  readonly row: (rnd: () => number) => Value[];
  /** Row kinds to draw from. */
  readonly kinds: readonly RowKind[];
}

const ADDS = [RowKind.INSERT, RowKind.INSERT, RowKind.UPDATE_AFTER] as const;
const ALL = [RowKind.INSERT, RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.UPDATE_BEFORE, RowKind.DELETE] as const;

function maybeNull(rnd: () => number, v: Value, p = 0.2): Value {
  return rnd() < p ? null : v;
}

const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

function cases(): Case[] {
  const kvFields = [field(0, "k", NN("INT")), field(1, "s", T("VARCHAR(20)")), field(2, "d", T("DOUBLE")), field(3, "b", T("BIGINT"))];
  const kv = (rnd: () => number, keys: number): Value[] => [
    int(rnd, keys), maybeNull(rnd, `v${int(rnd, 50)}`), maybeNull(rnd, int(rnd, 1000) / 8), maybeNull(rnd, BigInt(int(rnd, 1e6)) - 500_000n),
  ];
  const aggOptions = {
    "merge-engine": "aggregation", "fields.d.aggregate-function": "sum", "fields.b.aggregate-function": "sum",
    "fields.s.aggregate-function": "last_non_null_value", "fields.i.aggregate-function": "sum", "fields.f.aggregate-function": "sum",
  };
  const aggFields = [...kvFields, field(4, "i", T("INT")), field(5, "f", T("FLOAT"))];
  const aggRow = (rnd: () => number): Value[] => [...kv(rnd, 40), maybeNull(rnd, int(rnd, 2000) - 1000), maybeNull(rnd, Math.fround(int(rnd, 100) / 3))];
  return [
    { name: "deduplicate, INT key (dense sort)", schema: pkSchema(kvFields, ["k"]), row: (r) => kv(r, 60), kinds: ALL },
    { name: "deduplicate with ignore-delete", schema: pkSchema(kvFields, ["k"], { "ignore-delete": "true" }), row: (r) => kv(r, 30), kinds: ALL },
    {
      name: "deduplicate, sparse BIGINT key (u64 sort)",
      schema: pkSchema([field(0, "k", NN("BIGINT")), field(1, "v", T("INT"))], ["k"]),
      row: (r) => [BigInt(int(r, 40)) * 400_000_000_000_000_000n - 7_000_000_000_000_000_000n, maybeNull(r, int(r, 100))],
      kinds: ALL,
    },
    {
      name: "deduplicate, STRING + DATE composite key (bytes sort)",
      schema: pkSchema([field(0, "a", NN("STRING")), field(1, "dt", NN("DATE")), field(2, "v", T("BINARY(3)"))], ["a", "dt"]),
      row: (r) => [randomValue(T("STRING"), r, 12), int(r, 4) - 2, maybeNull(r, Uint8Array.of(int(r, 3), 0, int(r, 255)))],
      kinds: ALL,
    },
    {
      name: "deduplicate, DECIMAL + TIMESTAMP key (row-by-row key codec)",
      schema: pkSchema([field(0, "m", NN("DECIMAL(20, 2)")), field(1, "t", NN("TIMESTAMP(6)")), field(2, "v", T("TIMESTAMP(3)"))], ["m", "t"]),
      row: (r) => [BigInt(int(r, 6)) * 10n ** 17n - 10n ** 17n, randomValue(T("TIMESTAMP(6)"), r, 3), maybeNull(r, { epochMillis: int(r, 1e9), nanoOfMillisecond: 0 })],
      kinds: ALL,
    },
    {
      name: "deduplicate, sequence.field descending with nulls",
      schema: pkSchema([field(0, "k", NN("INT")), field(1, "ts", T("BIGINT")), field(2, "v", T("INT"))], ["k"], { "sequence.field": "ts", "sequence.field.sort-order": "descending" }),
      row: (r) => [int(r, 20), maybeNull(r, BigInt(int(r, 5))), int(r, 1000)],
      kinds: ADDS,
    },
    {
      name: "deduplicate, two sequence fields ascending",
      schema: pkSchema([field(0, "k", NN("STRING")), field(1, "a", T("INT")), field(2, "b", T("STRING")), field(3, "v", T("INT"))], ["k"], { "sequence.field": "a,b" }),
      row: (r) => [`k${int(r, 15)}`, maybeNull(r, int(r, 3)), maybeNull(r, `x${int(r, 3)}`), int(r, 1000)],
      kinds: ALL,
    },
    {
      name: "deduplicate, ARRAY sequence field (comparator sort)",
      schema: pkSchema([field(0, "k", NN("INT")), field(1, "sq", T("ARRAY<INT>")), field(2, "v", T("INT"))], ["k"], { "sequence.field": "sq" }),
      row: (r) => [int(r, 15), maybeNull(r, Array.from({ length: int(r, 3) }, () => int(r, 3))), int(r, 1000)],
      kinds: ADDS,
    },
    { name: "first-row, adds only", schema: pkSchema(kvFields, ["k"], { "merge-engine": "first-row" }), row: (r) => kv(r, 40), kinds: ADDS },
    {
      name: "first-row with ignore-delete (retracts skipped)",
      schema: pkSchema(kvFields, ["k"], { "merge-engine": "first-row", "ignore-delete": "true" }), row: (r) => kv(r, 40), kinds: ALL,
    },
    { name: "aggregation, adds only (columnar fold)", schema: pkSchema(aggFields, ["k"], aggOptions), row: aggRow, kinds: [RowKind.INSERT] },
    { name: "aggregation with +U records", schema: pkSchema(aggFields, ["k"], aggOptions), row: aggRow, kinds: ADDS },
    { name: "aggregation with retracts (merge function)", schema: pkSchema(aggFields, ["k"], aggOptions), row: aggRow, kinds: ALL },
    {
      name: "aggregation, first/last value picks and listagg",
      schema: pkSchema([field(0, "k", NN("INT")), field(1, "fv", T("INT")), field(2, "fn", T("STRING")), field(3, "lv", T("BIGINT")), field(4, "la", T("STRING")), field(5, "mx", T("DOUBLE"))], ["k"], {
        "merge-engine": "aggregation", "fields.fv.aggregate-function": "first_value", "fields.fn.aggregate-function": "first_non_null_value",
        "fields.lv.aggregate-function": "last_value", "fields.la.aggregate-function": "listagg", "fields.mx.aggregate-function": "max",
      }),
      row: (r) => [int(r, 30), maybeNull(r, int(r, 9)), maybeNull(r, `n${int(r, 9)}`, 0.5), maybeNull(r, BigInt(int(r, 9))), maybeNull(r, `l${int(r, 4)}`), maybeNull(r, int(r, 90) / 4)],
      kinds: ADDS,
    },
    {
      name: "aggregation with sequence.field (sorted-order fold)",
      schema: pkSchema([field(0, "k", NN("INT")), field(1, "ts", T("INT")), field(2, "d", T("DOUBLE")), field(3, "s", T("STRING"))], ["k"], {
        "merge-engine": "aggregation", "sequence.field": "ts", "fields.d.aggregate-function": "sum", "fields.s.aggregate-function": "last_non_null_value",
      }),
      row: (r) => [int(r, 25), maybeNull(r, int(r, 6)), maybeNull(r, int(r, 100) / 4), maybeNull(r, `s${int(r, 5)}`)],
      kinds: [RowKind.INSERT],
    },
    {
      name: "partial-update",
      schema: pkSchema([field(0, "k", NN("INT")), field(1, "a", T("STRING")), field(2, "b", T("INT")), field(3, "c", T("DOUBLE"))], ["k"], { "merge-engine": "partial-update" }),
      row: (r) => [int(r, 30), maybeNull(r, `a${int(r, 9)}`, 0.5), maybeNull(r, int(r, 9), 0.5), maybeNull(r, int(r, 9) / 2, 0.5)],
      kinds: ADDS,
    },
  ];
}

/** Appends `rows` in random slices: ranges or picked rows, values or typed input forms. */
async function feed(c: Case, rows: readonly InRow[], rnd: () => number, buffer: Awaited<ReturnType<typeof bufferOf>>): Promise<void> {
  for (let at = 0; at < rows.length;) {
    const n = Math.min(rows.length - at, 1 + int(rnd, 40));
    const slice = rows.slice(at, at + n);
    if (rnd() < 0.5) {
      buffer.append(batchOf(c.schema, slice, rnd() < 0.5), null, 0, n);
    } else {
      // Picked rows: a batch with decoys between the rows that are appended.
      const padded: InRow[] = [];
      const picks: number[] = [];
      for (const r of slice) {
        if (rnd() < 0.5) padded.push({ kind: RowKind.INSERT, values: c.row(rnd) });
        picks.push(padded.length);
        padded.push(r);
      }
      buffer.append(batchOf(c.schema, padded, rnd() < 0.5), Uint32Array.from(picks), 0, picks.length);
    }
    at += n;
  }
}

describe("write buffer drain = Java's flush", () => {
  for (const c of cases()) {
    test(c.name, async () => {
      const rnd = seededRandom(c.name.length * 7919);
      for (let round = 0; round < 25; round++) {
        const start = BigInt(int(rnd, 3) === 0 ? 0 : int(rnd, 1e6));
        const buffer = await bufferOf(c.schema, start);
        const rows: InRow[] = Array.from({ length: int(rnd, 300) }, () => ({ kind: c.kinds[int(rnd, c.kinds.length)]!, values: c.row(rnd) }));
        await feed(c, rows, rnd, buffer);
        assert.equal(buffer.rowCount, rows.length);
        assert.equal(buffer.nextSequenceNumber, start + BigInt(rows.length));
        const drained = buffer.drain();
        const expected = modelFlush(c.schema, rows, start);
        if (rows.length === 0) {
          assert.equal(drained, null);
          continue;
        }
        assert.deepEqual(showRows(flushRecords(c.schema, drained!.rows)), showRows(expected), `round ${round}`);
        assert.equal(buffer.rowCount, 0);
        assert.equal(buffer.nextSequenceNumber, start + BigInt(rows.length), "sequence numbers stay used after a drain");
      }
    });
  }
});

describe("write buffer", () => {
  test("sequence numbers continue across drains and sort paths are the ones intended", async () => {
    const schema = pkSchema([field(0, "k", NN("BIGINT")), field(1, "v", T("INT"))], ["k"]);
    const buffer = await bufferOf(schema, 10n);
    buffer.append(batchOf(schema, [{ kind: 0, values: [5n, 1] }, { kind: 0, values: [3n, 2] }, { kind: 0, values: [5n, 3] }], true), null, 0, 3);
    const first = buffer.drain()!;
    assert.equal(first.sortPath, "dense");
    assert.deepEqual(showRows(flushRecords(schema, first.rows)), ["0|11|3n|2", "0|12|5n|3"]);
    buffer.append(batchOf(schema, [{ kind: 3, values: [5n, null] }, { kind: 0, values: [-(2n ** 62n), 4] }], false), null, 0, 2);
    const second = buffer.drain()!;
    assert.equal(second.sortPath, "u64", "a key range wider than two slots per row is not dense");
    assert.deepEqual(showRows(flushRecords(schema, second.rows)), ["0|14|-4611686018427387904n|4", "3|13|5n|null"], "a lone -D is kept");
  });

  test("more rows than a chunk holds (65,536): slices across chunk boundaries, nulls, strings, picked rows", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "s", T("STRING")), field(2, "b", T("BIGINT")), field(3, "y", T("BYTES"))], ["k"], { "merge-engine": "partial-update" });
    const rnd = seededRandom(65536);
    const rows: InRow[] = Array.from({ length: 150_000 }, (_, i) => ({
      kind: RowKind.INSERT,
      values: [int(rnd, 40_000), maybeNull(rnd, `s${i % 997}`, 0.3), maybeNull(rnd, BigInt(i), 0.3), maybeNull(rnd, Uint8Array.of(i & 255, 0, 7), 0.5)],
    }));
    for (const pick of [false, true]) {
      const buffer = await bufferOf(schema, 7n);
      for (let at = 0; at < rows.length;) {
        const n = Math.min(rows.length - at, 1 + int(rnd, 30_000));
        if (!pick) buffer.append(batchOf(schema, rows.slice(at, at + n), rnd() < 0.5), null, 0, n);
        else {
          const reversed = rows.slice(at, at + n).reverse();
          buffer.append(batchOf(schema, reversed, rnd() < 0.5), Uint32Array.from({ length: n }, (_, i) => n - 1 - i), 0, n);
        }
        at += n;
      }
      const memory = buffer.memoryBytes;
      assert.ok(memory > 150_000 * 20 && memory < 150_000 * 120, `memory ${memory} fits the rows`);
      assert.deepEqual(showRows(flushRecords(schema, buffer.drain()!.rows)), showRows(modelFlush(schema, rows, 7n)), pick ? "picked" : "ranges");
    }
  });

  test("aggregation: double sums over a key range of many cache partitions equal the row-by-row fold (1, 2 and 3 columns)", async () => {
    // 120,000 keys span dozens of the partitioned sum's slot ranges; the additions must still
    // happen per key in arrival order (doubles: the order changes the bits of the result).
    // With gaps in the key range (random keys) and without (every key present: the sums are
    // handed to the output as they are).
    for (const [k, everyKey] of [[1, false], [2, false], [3, false], [1, true], [2, true]] as const) {
      const names = ["a", "b", "c"].slice(0, k);
      const options: Record<string, string> = { "merge-engine": "aggregation" };
      for (const n of names) options[`fields.${n}.aggregate-function`] = "sum";
      const schema = pkSchema([field(0, "k", NN("INT")), ...names.map((n, i) => field(i + 1, n, NN("DOUBLE")))], ["k"], options);
      const rnd = seededRandom(4099 * k);
      const rows: InRow[] = Array.from({ length: 200_000 }, (_, i) => ({
        kind: RowKind.INSERT,
        values: [everyKey && i < 120_000 ? (i * 7919) % 120_000 : int(rnd, 120_000), ...names.map(() => (rnd() - 0.5) * 10 ** int(rnd, 12))],
      }));
      const buffer = await bufferOf(schema, 0n);
      for (let at = 0; at < rows.length; at += 50_000) buffer.append(batchOf(schema, rows.slice(at, at + 50_000), true), null, 0, Math.min(50_000, rows.length - at));
      const sums = new Map<number, number[]>();
      for (const r of rows) {
        const key = r.values[0] as number, acc = sums.get(key);
        if (acc === undefined) sums.set(key, r.values.slice(1) as number[]);
        else for (let j = 0; j < k; j++) acc[j] = acc[j]! + (r.values[j + 1] as number);
      }
      const drained = flushRecords(schema, buffer.drain()!.rows);
      assert.equal(drained.length, sums.size, `${k} columns: one row per key`);
      if (everyKey) assert.equal(sums.size, 120_000);
      else assert.ok(sums.size < 120_000, "the random keys leave gaps");
      let mismatches = 0;
      for (const rec of drained) {
        const want = sums.get(rec.values[0] as number)!;
        for (let j = 0; j < k; j++) if (!Object.is(rec.values[j + 1], want[j])) mismatches++;
      }
      assert.equal(mismatches, 0, `${k} columns: sums equal the arrival-order fold bit for bit`);
    }
  });

  test("memoryBytes counts what the columns hold and drops to 0 after a drain", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "s", T("STRING")), field(2, "a", T("ARRAY<STRING>"))], ["k"]);
    const buffer = await bufferOf(schema);
    assert.equal(buffer.memoryBytes, 0);
    const rows: InRow[] = Array.from({ length: 1000 }, (_, i) => ({ kind: 0, values: [i, "x".repeat(100), ["ab", "cd"]] }));
    buffer.append(batchOf(schema, rows, false), null, 0, 500);
    const half = buffer.memoryBytes;
    buffer.append(batchOf(schema, rows, false), null, 500, 1000);
    assert.ok(half > 500 * 100, `500 strings of 100 bytes are counted (${half})`);
    assert.ok(buffer.memoryBytes > half + 500 * (100 + 2 * 24), `nested values are counted (${buffer.memoryBytes})`);
    buffer.drain();
    assert.equal(buffer.memoryBytes, 0);
  });

  test("changelog-producer input: every record in sort order, untouched", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "v", T("STRING"))], ["k"]);
    const buffer = await bufferOf(schema, 100n);
    const rows: InRow[] = [
      { kind: 0, values: [2, "a"] }, { kind: 0, values: [1, "b"] }, { kind: 3, values: [2, "a"] }, { kind: 2, values: [1, "c"] },
    ];
    buffer.append(batchOf(schema, rows, true), null, 0, 4);
    const drained = buffer.drain({ changelog: true })!;
    assert.deepEqual(showRows(flushRecords(schema, drained.changelog!)), ["0|101|1|\"b\"", "2|103|1|\"c\"", "0|100|2|\"a\"", "3|102|2|\"a\""]);
    assert.deepEqual(showRows(flushRecords(schema, drained.rows)), ["2|103|1|\"c\"", "3|102|2|\"a\""]);
  });

  test("first-row refuses retracts as Java does, and the buffer is cleared", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "v", T("INT"))], ["k"], { "merge-engine": "first-row" });
    const buffer = await bufferOf(schema);
    buffer.append(batchOf(schema, [{ kind: 0, values: [1, 1] }, { kind: 3, values: [1, 1] }], false), null, 0, 2);
    assert.throws(() => buffer.drain(), /First row merge engine can not accept DELETE\/UPDATE_BEFORE/);
    assert.equal(buffer.rowCount, 0);
    assert.equal(buffer.nextSequenceNumber, 2n);
  });

  test("aggregation: an INT sum overflow fails with Java's message", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "v", T("INT"))], ["k"], { "merge-engine": "aggregation", "fields.v.aggregate-function": "sum" });
    const buffer = await bufferOf(schema);
    buffer.append(batchOf(schema, [{ kind: 0, values: [1, 2147483647] }, { kind: 0, values: [1, 1] }], true), null, 0, 2);
    assert.throws(() => buffer.drain(), /int overflow: 2147483647 \+ 1/);
  });

  test("nulls: an all-null sum stays null; -0.0 survives as the first value", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "d", T("DOUBLE")), field(2, "e", T("DOUBLE"))], ["k"], {
      "merge-engine": "aggregation", "fields.d.aggregate-function": "sum", "fields.e.aggregate-function": "sum",
    });
    const buffer = await bufferOf(schema);
    buffer.append(batchOf(schema, [{ kind: 0, values: [1, null, -0] }, { kind: 0, values: [1, null, -0] }, { kind: 0, values: [2, 1.5, null] }], true), null, 0, 3);
    assert.deepEqual(showRows(flushRecords(schema, buffer.drain()!.rows)), ["0|1|1|null|-0", "0|2|2|1.5|null"]);
  });

  test("a column type without a buffer layout flushes as value arrays", async () => {
    const schema = pkSchema([field(0, "k", NN("INT")), field(1, "m", T("MAP<STRING, INT>"))], ["k"]);
    const buffer = await bufferOf(schema);
    buffer.append(batchOf(schema, [{ kind: 0, values: [1, [["a", 1]]] }, { kind: 0, values: [1, [["b", 2]]] }], false), null, 0, 2);
    const drained = buffer.drain()!;
    assert.equal(drained.rows.kind, "values");
    assert.deepEqual(showRows(flushRecords(schema, drained.rows)), ["0|1|1|[[\"b\",2]]"]);
  });
});
