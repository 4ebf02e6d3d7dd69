/**
 * Pruning with predicates: may a file (or manifest, or partition) hold a matching row, given
 * min/max/null-count statistics; which partitions and buckets can hold one.
 *
 * Soundness is the contract: every function here answers "no" (false, or a bucket left out) only
 * when no row the statistics describe can make the predicate TRUE. Unknown statistics (null
 * min/max, null counts) never exclude anything.
 *
 * Statistics test (Java `LeafPredicate#test(rowCount, min, max, nullCounts)` and the leaf
 * functions): NOT is first pushed into the leaves (`toNegationNormalForm`, Java `negate`), then
 * AND needs every child to pass, OR one. For a leaf: unless the null count equals the row count,
 * a null min or max means "may match" (IS [NOT] NULL look at the null count only, where Java
 * also gives up on unknown min/max); comparisons and IN never match an all-null column;
 * `=` needs min ≤ lit ≤ max, `!=` fails only when min = max = lit, `<` needs min < lit, `<=`
 * min ≤ lit, `>` max > lit, `>=` max ≥ lit; IS NULL needs a null count > 0 (or unknown),
 * IS NOT NULL a null count below the row count; IN needs one non-null literal within
 * [min, max]; NOT IN fails on a null literal or when min = max equals a literal.
 *
 * Bucket selection (Java `BucketSelector`): from the AND-conjuncts that are `=`/IN (or ORs of them)
 * on a single bucket-key column, the candidate values of every bucket-key column; their
 * cartesian product (at most `BUCKET_KEY_CANDIDATES_MAX` rows) hashed by the caller's bucket
 * function gives the buckets that can match. Contradictory conjuncts give no bucket at all
 * (Java gives up pruning there; both are sound). Java's per-partition substitution of partition
 * values (`PartitionValuePredicateVisitor`) is not done: OR branches mixing partition and bucket
 * columns are not used for pruning.
 *
 * Imports: spec/data_types.ts, spec/simple_stats.ts (types), spec/values.ts, table/predicate.ts, table/predicate_literal.ts.
 * Mirrors: org.apache.paimon.predicate.LeafPredicate, Equal…NotIn, And, Or;
 * org.apache.paimon.operation.BucketSelector; org.apache.paimon.partition.PartitionPredicate
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/BucketSelector.java
 */
import type { DataField } from "../spec/data_types.ts";
import type { ColumnStats } from "../spec/simple_stats.ts";
import type { Row, Value } from "../spec/values.ts";
import {
  type BoundPredicate, bindPredicate, type CompareOp, evaluatePredicate, type Predicate, toNegationNormalForm,
} from "./predicate.ts";
import { compareValues } from "./predicate_literal.ts";

/** Statistics of a set of rows, indexed like the bound predicate's fields. */
export interface PruningStats {
  /** Number of rows described (64-bit wire value). */
  readonly rowCount: bigint | number;
  /** Per-field minimum; null (or missing) = unknown. */
  readonly min: Row;
  /** Per-field maximum; null (or missing) = unknown. */
  readonly max: Row;
  /** Per-field null count; null entry, missing entry or null array = unknown. */
  readonly nullCounts: readonly (bigint | number | null)[] | null;
}

/**
 * PruningStats from decoded SimpleStats (`decodeSimpleStats` gives one ColumnStats per field of
 * the file's write schema): index i of the result is `columns[i]`. Bind the predicate to the same
 * fields (e.g. the key fields for `_KEY_STATS`, projected with `projectPredicate`).
 */
export function pruningStatsFromColumns(rowCount: bigint | number, columns: readonly ColumnStats[]): PruningStats {
  return {
    rowCount,
    min: columns.map((c) => c.min),
    max: columns.map((c) => c.max),
    nullCounts: columns.map((c) => c.nullCount),
  };
}

/** Largest number of bucket-key rows tried for bucket pruning (Java `BucketSelector.MAX_VALUES`). */
export const BUCKET_KEY_CANDIDATES_MAX = 1000;

const NNF_CACHE = new WeakMap<BoundPredicate, BoundPredicate>();

function negationNormalForm(p: BoundPredicate): BoundPredicate {
  let nnf = NNF_CACHE.get(p);
  if (nnf === undefined) {
    nnf = toNegationNormalForm(p);
    NNF_CACHE.set(p, nnf);
  }
  return nnf;
}

/** Java's min/max test of a comparison; `cmp(v)` compares a stats value with the literal. */
function compareMayMatch(op: CompareOp, cmp: (v: Value) => number, min: Value, max: Value): boolean {
  switch (op) {
    case "=": return cmp(min) <= 0 && cmp(max) >= 0;
    case "!=": return cmp(min) !== 0 || cmp(max) !== 0;
    case "<": return cmp(min) < 0;
    case "<=": return cmp(min) <= 0;
    case ">": return cmp(max) > 0;
    case ">=": return cmp(max) >= 0;
  }
}

function leafMayMatch(p: Exclude<BoundPredicate, { kind: "and" | "or" | "not" }>, stats: PruningStats, rowCount: bigint): boolean {
  const min = stats.min[p.index] ?? null;
  const max = stats.max[p.index] ?? null;
  const rawNullCount = stats.nullCounts?.[p.index] ?? null;
  const nullCount = rawNullCount === null ? null : BigInt(rawNullCount);
  // IS [NOT] NULL needs only the null count (Java first returns "may match" when min or max is
  // unknown, even for these; deciding on the count alone is sound and prunes `counts`-mode stats).
  if (p.kind === "is_null") return nullCount === null || nullCount > 0n;
  if (p.kind === "is_not_null") return nullCount === null || nullCount < rowCount;
  const allNull = nullCount !== null && nullCount === rowCount;
  if (!allNull && (min === null || max === null)) return true; // unknown stats
  switch (p.kind) {
    case "compare": {
      if (allNull || p.literal === null) return false;
      const cmp = (v: Value) => compareValues(p.type, v, p.literal);
      return compareMayMatch(p.op, cmp, min, max);
    }
    case "in": {
      if (allNull) return false;
      return p.literals.some((lit) => lit !== null && compareValues(p.type, lit, min) >= 0 && compareValues(p.type, lit, max) <= 0);
    }
    case "not_in": {
      if (allNull) return false;
      return !p.literals.some((lit) => lit === null || (compareValues(p.type, lit, min) === 0 && compareValues(p.type, lit, max) === 0));
    }
  }
}

function nnfMayMatch(p: BoundPredicate, stats: PruningStats, rowCount: bigint): boolean {
  switch (p.kind) {
    case "and": return p.children.every((c) => nnfMayMatch(c, stats, rowCount));
    case "or": return p.children.some((c) => nnfMayMatch(c, stats, rowCount));
    case "not": return true; // unreachable after NNF; "may match" keeps it sound
    default: return leafMayMatch(p, stats, rowCount);
  }
}

/**
 * False only when no row described by `stats` can make `predicate` TRUE (Java
 * `Predicate#test(rowCount, min, max, nullCounts)`); true otherwise. Strings compare by UTF-8
 * bytes as in Java. Requires: `stats` rows indexed like the fields the predicate was bound to.
 */
export function mayMatchStats(predicate: BoundPredicate, stats: PruningStats): boolean {
  return nnfMayMatch(negationNormalForm(predicate), stats, BigInt(stats.rowCount));
}

/**
 * The weakest-needed part of `predicate` that only references `columns`: every row for which
 * `predicate` is TRUE also makes the result TRUE. AND keeps the conjuncts that project, OR needs
 * all its branches to project; null when nothing about these columns can be said. Used to turn
 * a table filter into a partition filter (Java `PartitionPredicate`).
 */
export function projectPredicate(predicate: Predicate, columns: readonly string[]): Predicate | null {
  const keep = new Set(columns);
  const project = (p: Predicate): Predicate | null => {
    switch (p.kind) {
      case "and": {
        const parts = p.children.map(project).filter((c): c is Predicate => c !== null);
        return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { kind: "and", children: parts };
      }
      case "or": {
        const parts = p.children.map(project);
        return parts.some((c) => c === null) ? null : { kind: "or", children: parts as Predicate[] };
      }
      case "not": return project(toNegationNormalForm(p));
      default: return keep.has(p.column) ? p : null;
    }
  };
  return project(toNegationNormalForm(predicate));
}

/**
 * The partition filter of a table filter: `predicate` projected to the partition columns and
 * bound to `partitionFields` (the partition row type), or null when it does not constrain
 * partitions. Test exact partition rows with `mayMatchPartition`, manifest partition stats with
 * `mayMatchStats`.
 */
export function partitionPredicate(predicate: Predicate, partitionFields: readonly DataField[]): BoundPredicate | null {
  const projected = projectPredicate(predicate, partitionFields.map((f) => f.name));
  return projected === null ? null : bindPredicate(projected, partitionFields);
}

/**
 * True when rows of the partition whose values are `partition` (in partition field order) may
 * match; `partitionFilter` null means every partition may. Exact: the filter only references
 * partition columns, whose values are known.
 */
export function mayMatchPartition(partitionFilter: BoundPredicate | null, partition: Row): boolean {
  return partitionFilter === null || evaluatePredicate(partitionFilter, partition);
}

/** Flattens nested ANDs (after NNF). */
function splitAnd(p: BoundPredicate): BoundPredicate[] {
  return p.kind === "and" ? p.children.flatMap(splitAnd) : [p];
}

/** Flattens nested ORs. */
function splitOr(p: BoundPredicate): BoundPredicate[] {
  return p.kind === "or" ? p.children.flatMap(splitOr) : [p];
}

/** Candidate values of one column from one conjunct, or null when the conjunct says nothing usable. */
function conjunctValues(conjunct: BoundPredicate): { column: string; values: Value[] } | null {
  let column: string | null = null;
  const values: Value[] = [];
  for (const leaf of splitOr(conjunct)) {
    if (leaf.kind !== "compare" && leaf.kind !== "in") return null;
    if (leaf.kind === "compare" && leaf.op !== "=") return null;
    if (column !== null && leaf.column !== column) return null;
    column = leaf.column;
    const lits = leaf.kind === "compare" ? [leaf.literal] : leaf.literals;
    for (const lit of lits) if (lit !== null) values.push(lit);
  }
  return column === null ? null : { column, values };
}

/**
 * The bucket-key rows (values in `bucketKeys` order) a matching row can have, or null when the
 * predicate does not pin every bucket-key column to at most `BUCKET_KEY_CANDIDATES_MAX`
 * combinations. An empty list means no row can match.
 */
export function bucketKeyCandidates(predicate: BoundPredicate, bucketKeys: readonly string[]): Value[][] | null {
  if (bucketKeys.length === 0) return null;
  const byColumn = new Map<string, Value[]>();
  for (const conjunct of splitAnd(negationNormalForm(predicate))) {
    const found = conjunctValues(conjunct);
    if (found === null || !bucketKeys.includes(found.column)) continue;
    const leaf = splitOr(conjunct)[0]! as Extract<BoundPredicate, { kind: "compare" | "in" }>;
    const same = (a: Value, b: Value) => compareValues(leaf.type, a, b) === 0;
    const unique = found.values.filter((v, i) => found.values.findIndex((w) => same(v, w)) === i);
    const previous = byColumn.get(found.column);
    byColumn.set(found.column, previous === undefined ? unique : previous.filter((v) => unique.some((w) => same(v, w))));
  }
  let combinations = 1;
  for (const key of bucketKeys) {
    const values = byColumn.get(key);
    if (values === undefined) return null;
    combinations *= values.length;
    if (combinations > BUCKET_KEY_CANDIDATES_MAX) return null;
  }
  let rows: Value[][] = [[]];
  for (const key of bucketKeys) rows = rows.flatMap((prefix) => byColumn.get(key)!.map((v) => [...prefix, v]));
  return rows;
}

/**
 * The buckets that can hold a row matching `predicate`, or null when they cannot be narrowed.
 * `bucketOf` maps bucket-key values (in `bucketKeys` order, typed as the bound columns) to a
 * bucket, e.g. `(v) => fixedBucket(bucketKeyTypes, v, totalBuckets)` from spec/bucket.ts.
 */
export function selectBuckets(
  predicate: BoundPredicate,
  options: { readonly bucketKeys: readonly string[]; readonly bucketOf: (keyValues: Row) => number },
): Set<number> | null {
  const rows = bucketKeyCandidates(predicate, options.bucketKeys);
  return rows === null ? null : new Set(rows.map((r) => options.bucketOf(r)));
}
