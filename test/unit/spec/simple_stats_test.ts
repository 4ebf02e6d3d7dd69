// Goal: SimpleStats are built and read back as Java's SimpleStatsConverter / SimpleStatsEvolution
// do: nullable copies of the column types, all mode, dense mode with `_VALUE_STATS_COLS`, the
// empty stats, and corrupt arities rejected.
// Method: build stats from known column values, compare exact bytes where Java's layout is
// known, decode them back with and without a stats-column subset.
import { assert, test } from "../../harness.ts";
import {
  decodeSimpleStats, EMPTY_STATS, encodeDenseSimpleStats, encodeSimpleStats, isEmptyStats, NO_COLUMN_STATS, type ColumnStats,
} from "../../../src/spec/simple_stats.ts";
import { parseTypeString, type DataField } from "../../../src/spec/data_types.ts";
import { decodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { toHex } from "../../../src/util/bytes.ts";
import { timestamp } from "../../../src/spec/values.ts";
import { isLakeError } from "../../../src/errors.ts";

const fields: DataField[] = [
  { id: 0, name: "id", type: parseTypeString("INT NOT NULL") },
  { id: 1, name: "name", type: parseTypeString("STRING") },
  { id: 2, name: "ts", type: parseTypeString("TIMESTAMP(9)") },
  { id: 3, name: "amount", type: parseTypeString("DECIMAL(23, 5)") },
];

const columns: ColumnStats[] = [
  { min: 1, max: 9, nullCount: 0n },
  { min: "Alice", max: "Zoe", nullCount: 2n },
  { min: null, max: null, nullCount: 1n },
  NO_COLUMN_STATS,
];

test("EMPTY_STATS: arity-0 rows and no null counts", () => {
  assert.equal(toHex(EMPTY_STATS.minValues), "000000000000000000000000");
  assert.equal(toHex(EMPTY_STATS.maxValues), "000000000000000000000000");
  assert.deepEqual(EMPTY_STATS.nullCounts, []);
  assert.ok(isEmptyStats(EMPTY_STATS));
  assert.ok(!isEmptyStats(encodeSimpleStats([fields[0]!.type], [columns[0]!])));
  assert.deepEqual(decodeSimpleStats(fields, EMPTY_STATS), fields.map(() => NO_COLUMN_STATS));
});

test("all mode: one entry per column; NOT NULL columns still take null (unknown) min/max", () => {
  const stats = encodeSimpleStats(fields.map((f) => f.type), [{ min: null, max: 3, nullCount: null }, ...columns.slice(1)]);
  const min = decodeSerializedBinaryRow(fields.map((f) => f.type), stats.minValues);
  assert.deepEqual(min, [null, "Alice", null, null]);
  assert.deepEqual(stats.nullCounts, [null, 2n, 1n, null]);
  // Null non-compact TIMESTAMP(9)/DECIMAL(23,5) still reserve 8 and 16 bytes, as in Java's files.
  assert.equal(stats.minValues.length, 4 + 8 + 4 * 8 + 8 + 16);
  assert.deepEqual(decodeSimpleStats(fields, stats), [{ min: null, max: 3, nullCount: null }, ...columns.slice(1)]);
});

test("dense mode drops columns without stats and names the kept ones", () => {
  const { stats, statsColumns } = encodeDenseSimpleStats(fields, columns);
  assert.deepEqual(statsColumns, ["id", "name", "ts"]);
  assert.deepEqual(stats.nullCounts, [0n, 2n, 1n]);
  assert.deepEqual(decodeSimpleStats(fields, stats, statsColumns), columns);
  const all = encodeDenseSimpleStats(fields.slice(0, 2), columns.slice(0, 2));
  assert.equal(all.statsColumns, null, "null when every column is kept");
  const none = encodeDenseSimpleStats(fields.slice(3), columns.slice(3));
  assert.deepEqual(none.statsColumns, []);
  assert.ok(isEmptyStats(none.stats));
  assert.deepEqual(decodeSimpleStats(fields, none.stats, []), fields.map(() => NO_COLUMN_STATS));
});

test("decoding a stats-column subset maps by name and leaves the rest unknown", () => {
  const sub = encodeSimpleStats([fields[3]!.type, fields[0]!.type], [{ min: -5n, max: 12345678998765432145678n, nullCount: 0n }, columns[0]!]);
  const decoded = decodeSimpleStats(fields, sub, ["amount", "id"]);
  assert.deepEqual(decoded, [columns[0], NO_COLUMN_STATS, NO_COLUMN_STATS, { min: -5n, max: 12345678998765432145678n, nullCount: 0n }]);
  const ts = encodeSimpleStats([fields[2]!.type], [{ min: timestamp(1, 2), max: timestamp(3, 4), nullCount: null }]);
  assert.deepEqual(decodeSimpleStats(fields, { ...ts, nullCounts: null }, ["ts"])[2], { min: timestamp(1, 2), max: timestamp(3, 4), nullCount: null });
});

test("arity or count mismatches are corruption; wrong inputs are invalid_argument", () => {
  const stats = encodeSimpleStats([fields[0]!.type], [columns[0]!]);
  assert.throws(() => decodeSimpleStats(fields, stats), (e) => isLakeError(e, "corruption") && /arity 1, expected 4/.test((e as Error).message));
  assert.throws(() => decodeSimpleStats(fields, { ...stats, nullCounts: [0n, 1n] }, ["id"]), /2 null counts for 1 stats columns/);
  assert.throws(() => decodeSimpleStats(fields, stats, ["nope"]), /"nope" is not a field/);
  assert.throws(() => encodeSimpleStats([fields[0]!.type], []), (e) => isLakeError(e, "invalid_argument"));
  assert.throws(() => encodeSimpleStats([fields[0]!.type], [{ min: "x", max: 1, nullCount: 0n }]), /field 0: INT expects/);
});
