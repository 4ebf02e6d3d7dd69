/**
 * SimpleStats: per-column min, max and null counts as Paimon stores them in manifests.
 *
 * Mirrors `org.apache.paimon.stats.SimpleStats` (wire record `_MIN_VALUES` bytes, `_MAX_VALUES`
 * bytes, `_NULL_COUNTS` ["null", array<["null","long"]>]).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/stats/SimpleStats.java
 *
 * Invariants: `minValues`/`maxValues` are serialized BinaryRows (4-byte big-endian arity prefix,
 * then the little-endian row bytes); a null field in them means "unknown"; a null entry of
 * `nullCounts` means unknown; `nullCounts === null` means the whole array is absent.
 *
 * Also builds SimpleStats from per-column min/max/null counts and decodes them back, as Java's
 * `SimpleStatsConverter` (all mode and dense mode with `_VALUE_STATS_COLS`) and the dense-field
 * projection of `SimpleStatsEvolution` do. Schema evolution (mapping an old file's fields to the
 * current schema by id) is the caller's job: pass the fields the file was written with.
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/stats/SimpleStatsConverter.java
 *
 * Imports: errors.ts, spec/binary_row.ts, spec/data_types.ts, spec/values.ts.
 */
import { LakeError } from "../errors.ts";
import {
  decodeSerializedBinaryRow, deserializeBinaryRow, emptySerializedBinaryRow, encodeSerializedBinaryRow,
} from "./binary_row.ts";
import { withNullable, type DataField, type DataType } from "./data_types.ts";
import type { Value } from "./values.ts";

/** The SimpleStats wire record with its BinaryRows still serialized. */
export interface SimpleStats {
  readonly minValues: Uint8Array;
  readonly maxValues: Uint8Array;
  readonly nullCounts: readonly (bigint | null)[] | null;
}

/** Statistics of one column: `min`/`max` null means unknown, `nullCount` null means unknown. */
export interface ColumnStats {
  readonly min: Value;
  readonly max: Value;
  readonly nullCount: bigint | null;
}

/** A column with no statistics at all (Java `SimpleColStats.NONE`, stats mode `none`). */
export const NO_COLUMN_STATS: ColumnStats = Object.freeze({ min: null, max: null, nullCount: null });

/**
 * Stats with no columns: both rows are arity-0 rows, `nullCounts = []` (Java
 * `SimpleStats.EMPTY_STATS`; what append files use for key stats). Never mutate its arrays.
 */
export const EMPTY_STATS: SimpleStats = Object.freeze({
  minValues: emptySerializedBinaryRow(),
  maxValues: emptySerializedBinaryRow(),
  nullCounts: Object.freeze([]) as readonly (bigint | null)[],
});

/** True when `stats` has arity-0 rows and no null counts (Java `SimpleStats.fromRow` → EMPTY_STATS). */
export function isEmptyStats(stats: SimpleStats): boolean {
  return deserializeBinaryRow(stats.minValues).arity === 0 && deserializeBinaryRow(stats.maxValues).arity === 0 &&
    (stats.nullCounts === null || stats.nullCounts.length === 0);
}

/** Java's stats rows hold nullable copies of the column types. */
function nullableTypes(types: readonly DataType[]): DataType[] {
  return types.map((t) => withNullable(t, true));
}

/**
 * Builds SimpleStats over exactly these columns, one `ColumnStats` per type, in order (Java
 * `SimpleStatsConverter#toBinaryAllMode`). Min/max values must match their types (values.ts).
 */
export function encodeSimpleStats(types: readonly DataType[], columns: readonly ColumnStats[]): SimpleStats {
  if (columns.length !== types.length) {
    throw new LakeError("invalid_argument", `simple stats: ${columns.length} column stats for ${types.length} columns`);
  }
  const rowTypes = nullableTypes(types);
  return {
    minValues: encodeSerializedBinaryRow(rowTypes, columns.map((c) => c.min)),
    maxValues: encodeSerializedBinaryRow(rowTypes, columns.map((c) => c.max)),
    nullCounts: columns.map((c) => c.nullCount),
  };
}

/**
 * Builds value stats as Java writes them with `metadata.stats-dense-store` (the default since
 * 1.0; `SimpleStatsConverter#toBinaryDenseMode`): columns whose stats are all unknown (mode
 * `none`) are left out. `statsColumns` is the `_VALUE_STATS_COLS` to write: null when every
 * column is kept, else the kept column names in order (possibly empty).
 */
export function encodeDenseSimpleStats(
  fields: readonly DataField[],
  columns: readonly ColumnStats[],
): { stats: SimpleStats; statsColumns: string[] | null } {
  if (columns.length !== fields.length) {
    throw new LakeError("invalid_argument", `simple stats: ${columns.length} column stats for ${fields.length} columns`);
  }
  const kept = fields.map((_, i) => i).filter((i) => {
    const c = columns[i]!;
    return !(c.min === null && c.max === null && c.nullCount === null);
  });
  const stats = encodeSimpleStats(kept.map((i) => fields[i]!.type), kept.map((i) => columns[i]!));
  return { stats, statsColumns: kept.length === fields.length ? null : kept.map((i) => fields[i]!.name) };
}

/**
 * Decodes stats back to one `ColumnStats` per field of `fields` (the file's write schema).
 * `statsColumns` is `_VALUE_STATS_COLS`: null means the rows hold every field in order; a list
 * names the fields the rows hold (others come back unknown); `[]` means no stats. Arity-0
 * empty stats mean all unknown. Throws LakeError("corruption") when arities disagree.
 */
export function decodeSimpleStats(
  fields: readonly DataField[],
  stats: SimpleStats,
  statsColumns: readonly string[] | null = null,
): ColumnStats[] {
  const names = statsColumns ?? fields.map((f) => f.name);
  if (names.length === 0 || (statsColumns === null && isEmptyStats(stats))) {
    return fields.map(() => NO_COLUMN_STATS); // Java ignores the rows when no column is kept
  }
  const byName = new Map(fields.map((f) => [f.name, f] as const));
  const rowTypes = names.map((name) => {
    const field = byName.get(name);
    if (field === undefined) throw new LakeError("corruption", `simple stats: stats column ${JSON.stringify(name)} is not a field of the schema`);
    return withNullable(field.type, true);
  });
  const min = decodeStatsRow(rowTypes, stats.minValues, "min");
  const max = decodeStatsRow(rowTypes, stats.maxValues, "max");
  const counts = stats.nullCounts;
  if (counts !== null && counts.length !== names.length) {
    throw new LakeError("corruption", `simple stats: ${counts.length} null counts for ${names.length} stats columns`);
  }
  const position = new Map(names.map((name, i) => [name, i] as const));
  return fields.map((f) => {
    const i = position.get(f.name);
    if (i === undefined) return NO_COLUMN_STATS;
    return { min: min[i]!, max: max[i]!, nullCount: counts === null ? null : counts[i]! };
  });
}

function decodeStatsRow(types: readonly DataType[], bytes: Uint8Array, which: string): Value[] {
  const { arity } = deserializeBinaryRow(bytes);
  if (arity !== types.length) {
    throw new LakeError("corruption", `simple stats: ${which} row has arity ${arity}, expected ${types.length}`);
  }
  return decodeSerializedBinaryRow(types, bytes);
}
