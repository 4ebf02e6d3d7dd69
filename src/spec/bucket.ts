/**
 * Fixed-bucket assignment (`bucket = N > 0`, `bucket-function.type = default`): which bucket a
 * row belongs to, byte-exact with Java.
 *
 * Algorithm: project the bucket-key columns into a BinaryRow (arity = number of bucket-key
 * columns, RowKind INSERT, nulls and reserved chunks as Java writes them), hash its bytes with
 * MurmurHash3-x86-32 seed 42 over 4-byte LE words, then `abs(hash % N)` with Java int
 * semantics. The bucket key is the `bucket-key` option if set, else the primary key minus the
 * partition keys.
 *
 * Mirrors FixedBucketRowKeyExtractor, DefaultBucketFunction and TableSchema#bucketKeys:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/sink/FixedBucketRowKeyExtractor.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/bucket/DefaultBucketFunction.java
 * https://github.com/apache/paimon/blob/master/paimon-api/src/main/java/org/apache/paimon/schema/TableSchema.java
 *
 * Imports: errors.ts, util/murmur3.ts, spec/binary_row.ts, spec/data_types.ts, spec/values.ts.
 */
import { LakeError } from "../errors.ts";
import { MURMUR_DEFAULT_SEED, murmurFmix32, murmurHashBytesByWords, murmurMixWord } from "../util/murmur3.ts";
import { encodeBinaryRow } from "./binary_row.ts";
import type { DataType } from "./data_types.ts";
import type { Value } from "./values.ts";

/** What decides the bucket key; names as in the schema. */
export interface BucketKeyInputs {
  /** The raw `bucket-key` table option (comma list, not trimmed, like Java), if set. */
  readonly bucketKeyOption?: string | null;
  /** Primary key column names (empty for append tables). */
  readonly primaryKeys: readonly string[];
  /** Partition column names. */
  readonly partitionKeys: readonly string[];
  /** All column names of the table, in order. */
  readonly fieldNames: readonly string[];
}

/**
 * The bucket-key column names, in order: `bucket-key` split on "," when set (and not blank),
 * else the primary key minus the partition keys. Throws LakeError("invalid_argument") for the
 * schemas Java rejects (unknown column, a partition column, a column outside the primary key),
 * and when the result is empty (an append table without `bucket-key` cannot use fixed buckets;
 * very old tables hashed the whole row instead, which this function does not guess).
 */
export function bucketKeyNames(inputs: BucketKeyInputs): string[] {
  const option = inputs.bucketKeyOption;
  if (option !== undefined && option !== null && option.trim() !== "") {
    const names = option.split(",");
    for (const name of names) {
      if (!inputs.fieldNames.includes(name)) {
        throw new LakeError("invalid_argument", `bucket: bucket key ${JSON.stringify(name)} is not a column of [${inputs.fieldNames.join(", ")}]`);
      }
      if (inputs.partitionKeys.includes(name)) {
        throw new LakeError("invalid_argument", `bucket: bucket key ${JSON.stringify(name)} is a partition key`);
      }
      if (inputs.primaryKeys.length > 0 && !inputs.primaryKeys.includes(name)) {
        throw new LakeError("invalid_argument", `bucket: bucket key ${JSON.stringify(name)} is not in the primary key [${inputs.primaryKeys.join(", ")}]`);
      }
    }
    return names;
  }
  const trimmed = inputs.primaryKeys.filter((k) => !inputs.partitionKeys.includes(k));
  if (inputs.primaryKeys.length > 0 && trimmed.length === 0) {
    throw new LakeError("invalid_argument", `bucket: primary key [${inputs.primaryKeys.join(", ")}] equals the partition keys`);
  }
  if (trimmed.length === 0) {
    throw new LakeError("invalid_argument", "bucket: no bucket key: set 'bucket-key' for a bucketed append table");
  }
  return trimmed;
}

/**
 * Java `BinaryRow.hashCode()` of the bucket-key row: a signed int32.
 * Requires: `values` are the bucket-key column values in bucket-key order, `types` their types.
 */
export function bucketKeyHash(types: readonly DataType[], values: readonly Value[]): number {
  return murmurHashBytesByWords(encodeBinaryRow(types, values));
}

/**
 * `bucketKeyHash` of a one-field integer bucket key (INT, DATE, TIME, BIGINT, compact DECIMAL)
 * from the raw words of its 8-byte slot: `lo`, `hi` the little-endian int32 halves (INT-like
 * types fill `lo`, `hi` 0). The 16-byte BinaryRow hashed is the null-bits word (0), then the slot.
 */
export function integerKeyHash(lo: number, hi: number): number {
  let h = murmurMixWord(MURMUR_DEFAULT_SEED, 0);
  h = murmurMixWord(h, 0);
  h = murmurMixWord(h, lo | 0);
  h = murmurMixWord(h, hi | 0);
  return murmurFmix32(h ^ 16);
}

/**
 * `Math.abs(hash % numBuckets)` with Java int semantics.
 * Requires: `hash` a signed int32, `numBuckets` an integer ≥ 1 (else LakeError("invalid_argument")).
 */
export function bucketFromHash(hash: number, numBuckets: number): number {
  if (!Number.isInteger(numBuckets) || numBuckets < 1 || numBuckets > 2147483647) {
    throw new LakeError("invalid_argument", `bucket: number of buckets ${numBuckets} must be an integer ≥ 1`);
  }
  return Math.abs((hash | 0) % numBuckets);
}

/** The fixed bucket of a row whose bucket-key values are `values` (types `types`). */
export function fixedBucket(types: readonly DataType[], values: readonly Value[], numBuckets: number): number {
  return bucketFromHash(bucketKeyHash(types, values), numBuckets);
}
