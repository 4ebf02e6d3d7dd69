// Goal: arrowTableToColumns accepts Arrow tables built by other code (arrow-js builders,
// dictionaries, other units and widths) when the conversion is lossless, and otherwise fails
// with LakeError("invalid_argument") naming the column, the Arrow type and the Paimon type.
// Method: tables made with arrow-js's own factories (tableFromArrays, vectorFromArray, makeData),
// one accepted and one rejected case per rule.
import {
  DateMillisecond, Decimal, Field, Float32, Float64, Int32, Int64, LargeUtf8, Null, Struct, Table, TimeMicrosecond,
  TimeNanosecond, TimestampMillisecond, TimestampNanosecond, Uint64, Uint8, Utf8, makeData, makeVector, tableFromArrays,
  vectorFromArray,
} from "apache-arrow";
import type { Vector } from "apache-arrow";
import { assert, test } from "../../harness.ts";
import { arrowTableToColumns } from "../../../src/api/arrow.ts";
import { isLakeError } from "../../../src/errors.ts";
import { dataTypeFromJson } from "../../../src/spec/data_types.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";

function fields(spec: Record<string, unknown>): DataField[] {
  return Object.entries(spec).map(([name, type], id) => ({ id, name, type: dataTypeFromJson(type) }));
}
function decodeOne(vector: Vector, type: unknown): Value[] {
  return arrowTableToColumns(new Table({ c: vector }), fields({ c: type })).columns[0]!;
}
function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e) => isLakeError(e, "invalid_argument") && pattern.test((e as Error).message), String(pattern));
}
const int64s = (type: TimestampNanosecond | TimestampMillisecond | TimeNanosecond | TimeMicrosecond | DateMillisecond, ...values: bigint[]) =>
  makeVector(makeData({ type, length: values.length, data: BigInt64Array.from(values) } as never));

test("tableFromArrays output: dictionary strings, Int32 widened to BIGINT, Float64 as DOUBLE", () => {
  const table = tableFromArrays({ s: ["a", "é", "a", "日本"], i: Int32Array.of(1, -2, 3, 2147483647), f: Float64Array.of(0.5, NaN, -0, 1e300) });
  assert.equal(String(table.getChild("s")!.type), "Dictionary<Int32, Utf8>");
  const { columns, rowCount } = arrowTableToColumns(table, fields({ s: "STRING", i: "BIGINT NOT NULL", f: "DOUBLE" }));
  assert.equal(rowCount, 4);
  assert.deepStrictEqual(columns, [["a", "é", "a", "日本"], [1n, -2n, 3n, 2147483647n], [0.5, NaN, -0, 1e300]]);
});

test("integers: lossless narrowing accepted, out-of-range values rejected with the value", () => {
  assert.deepStrictEqual(decodeOne(vectorFromArray([5n, null, -7n], new Int64()), "INT"), [5, null, -7]);
  rejects(() => decodeOne(vectorFromArray([2n ** 40n], new Int64()), "INT"), /column "c" row 0: value 1099511627776 does not fit Paimon INT/);
  assert.deepStrictEqual(decodeOne(vectorFromArray([127, 0], new Uint8()), "TINYINT"), [127, 0]);
  rejects(() => decodeOne(vectorFromArray([200], new Uint8()), "TINYINT"), /value 200 does not fit Paimon TINYINT/);
  rejects(() => decodeOne(vectorFromArray([2n ** 64n - 1n], new Uint64()), "BIGINT"), /does not fit Paimon BIGINT/);
  assert.deepStrictEqual(decodeOne(vectorFromArray([2n ** 63n - 1n], new Uint64()), "BIGINT"), [2n ** 63n - 1n]);
});

test("type mismatch names the column, the Arrow type and the Paimon type", () => {
  rejects(() => decodeOne(vectorFromArray(["x"], new Utf8()), "INT"), /arrow: column "c" has Arrow type Utf8, expected one matching Paimon INT/);
  rejects(() => decodeOne(vectorFromArray([1], new Int32()), "STRING"), /column "c" has Arrow type Int32, expected one matching Paimon STRING/);
  rejects(() => decodeOne(vectorFromArray([1], new Float64()), "INT"), /Float64.*INT/);
  rejects(() => decodeOne(vectorFromArray([1], new Int32()), "DOUBLE"), /Int32.*DOUBLE/);
});

test("floats: Float32 widens to DOUBLE; Float64 narrows to FLOAT only when float32-exact", () => {
  assert.deepStrictEqual(decodeOne(vectorFromArray([1.5, null], new Float32()), "DOUBLE"), [1.5, null]);
  assert.deepStrictEqual(decodeOne(vectorFromArray([1.5, NaN, Infinity], new Float64()), "FLOAT"), [1.5, NaN, Infinity]);
  rejects(() => decodeOne(vectorFromArray([1.1], new Float64()), "FLOAT"), /1\.1 is not exactly representable as Paimon FLOAT/);
});

test("strings: LargeUtf8 accepted, invalid UTF-8 rejected", () => {
  assert.deepStrictEqual(decodeOne(vectorFromArray(["ä", null, ""], new LargeUtf8()), "STRING"), ["ä", null, ""]);
  const bad = makeVector(makeData({ type: new Utf8(), length: 1, valueOffsets: Int32Array.of(0, 2), data: Uint8Array.of(0xc3, 0x28) }));
  rejects(() => decodeOne(bad, "STRING"), /column "c" row 0: invalid UTF-8/);
});

test("timestamps: zone rules, any unit, no digits beyond the Paimon precision", () => {
  const ms = 1700000000123n;
  assert.deepStrictEqual(decodeOne(int64s(new TimestampMillisecond(), ms, -1n), "TIMESTAMP(9)"),
    [{ epochMillis: 1700000000123, nanoOfMillisecond: 0 }, { epochMillis: -1, nanoOfMillisecond: 0 }]);
  assert.deepStrictEqual(decodeOne(int64s(new TimestampNanosecond(), ms * 1_000_000n, -1_000_000n), "TIMESTAMP(3)"),
    [{ epochMillis: 1700000000123, nanoOfMillisecond: 0 }, { epochMillis: -1, nanoOfMillisecond: 0 }]);
  rejects(() => decodeOne(int64s(new TimestampNanosecond(), -1n), "TIMESTAMP(3)"), /more fraction digits than Paimon TIMESTAMP\(3\)/);
  rejects(() => decodeOne(int64s(new TimestampNanosecond(), 15n), "TIMESTAMP(8)"), /more fraction digits/);
  assert.deepStrictEqual(decodeOne(int64s(new TimestampNanosecond(), 100n), "TIMESTAMP(7)"), [{ epochMillis: 0, nanoOfMillisecond: 100 }]);
  rejects(() => decodeOne(int64s(new TimestampMillisecond("Europe/Paris"), 0n), "TIMESTAMP(3)"), /use TIMESTAMP_LTZ/);
  rejects(() => decodeOne(int64s(new TimestampMillisecond(), 0n), "TIMESTAMP(3) WITH LOCAL TIME ZONE"), /needs an Arrow timestamp with a timezone/);
  assert.deepStrictEqual(decodeOne(int64s(new TimestampMillisecond("+01:00"), 5n), "TIMESTAMP(3) WITH LOCAL TIME ZONE"), [{ epochMillis: 5, nanoOfMillisecond: 0 }]);
});

test("DATE from DateMillisecond and TIME from micro/nano units when whole", () => {
  assert.deepStrictEqual(decodeOne(int64s(new DateMillisecond(), -86_400_000n, 0n), "DATE"), [-1, 0]);
  rejects(() => decodeOne(int64s(new DateMillisecond(), 1n), "DATE"), /not a whole day/);
  assert.deepStrictEqual(decodeOne(int64s(new TimeMicrosecond(), 1_000n, 86_399_999_000n), "TIME(3)"), [1, 86399999]);
  rejects(() => decodeOne(int64s(new TimeNanosecond(), 1n), "TIME(3)"), /whole-millisecond/);
});

test("decimals: same scale required; wider precision accepted when values fit", () => {
  const dec = (precision: number, scale: number, ...values: bigint[]) => {
    const words = new Uint32Array(4 * values.length);
    const halves = new BigInt64Array(words.buffer);
    values.forEach((v, i) => { halves[2 * i] = v; halves[2 * i + 1] = v >> 64n; });
    return makeVector(makeData({ type: new Decimal(scale, precision, 128), length: values.length, data: words }));
  };
  assert.deepStrictEqual(decodeOne(dec(38, 2, 12345n, -99999n), "DECIMAL(10, 2)"), [12345n, -99999n]);
  rejects(() => decodeOne(dec(38, 2, 10n ** 10n), "DECIMAL(10, 2)"), /does not fit Paimon DECIMAL\(10, 2\)/);
  rejects(() => decodeOne(dec(10, 3, 1n), "DECIMAL(10, 2)"), /scale 3 differs/);
  assert.deepStrictEqual(decodeOne(dec(38, 0, -(2n ** 100n)), "DECIMAL(38, 0)"), [-(2n ** 100n)]);
});

test("columns: missing, extra, NOT NULL; Null type fills nulls", () => {
  const table = new Table({ a: vectorFromArray([1, null], new Int32()), b: vectorFromArray(["x", "y"], new Utf8()) });
  rejects(() => arrowTableToColumns(table, fields({ a: "INT", b: "STRING", z: "INT" })), /no column "z" \(Paimon field id 2\)/);
  rejects(() => arrowTableToColumns(table, fields({ a: "INT" })), /columns "b" that are not Paimon fields/);
  rejects(() => arrowTableToColumns(table, fields({ a: "INT NOT NULL", b: "STRING" })), /column "a" row 1: null in a NOT NULL Paimon INT NOT NULL column/);
  const nulls = makeVector(makeData({ type: new Null(), length: 2 }));
  assert.deepStrictEqual(decodeOne(nulls, "STRING"), [null, null]);
  rejects(() => decodeOne(nulls, "STRING NOT NULL"), /Null/);
});

test("ROW children are matched by name, in any order", () => {
  const xs = makeData({ type: new Int32(), length: 2, data: Int32Array.of(1, 2) });
  const ys = makeData({ type: new Utf8(), length: 2, valueOffsets: Int32Array.of(0, 1, 2), data: Uint8Array.of(97, 98) });
  const type = new Struct([new Field("y", new Utf8(), true), new Field("x", new Int32(), false)]);
  const rows = makeVector(makeData({ type, length: 2, children: [ys, xs] }));
  const row = { type: "ROW", fields: [{ id: 1, name: "x", type: "INT NOT NULL" }, { id: 2, name: "y", type: "STRING" }] };
  assert.deepStrictEqual(decodeOne(rows, row), [[1, "a"], [2, "b"]]);
  const other = { type: "ROW", fields: [{ id: 1, name: "x", type: "INT" }, { id: 3, name: "w", type: "STRING" }] };
  rejects(() => decodeOne(rows, other), /unexpected fields y/);
});
