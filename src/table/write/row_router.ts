/**
 * Row routing of a writer: which partition (serialized BinaryRow + directory) and which bucket
 * each row of an input batch belongs to, exactly as Java routes it.
 *
 * Rules (Java `FixedBucketRowKeyExtractor`, `AppendTableRowKeyExtractor`, `BucketMode`):
 *  - partition: the partition-key values as a BinaryRow (spec/binary_row.ts), directory from
 *    spec/partition_values.ts `partitionPathOf` with `partition.default-name` and
 *    `partition.legacy-name`, plus a trailing slash ("" for unpartitioned tables);
 *  - fixed buckets (`bucket` > 0): spec/bucket.ts over the bucket key (`bucket-key`, else the
 *    trimmed primary key); bucketed append tables without `bucket-key` (created before Paimon
 *    0.9, which forbids them) hash the whole row, as the Java of that time did;
 *  - unaware-bucket append tables (`bucket` = -1): everything goes to bucket 0;
 *  - dynamic (-1) and cross-partition primary-key tables, postpone buckets (-2) and
 *    `bucket-function.type` other than `default`: LakeError("unsupported") when the router is
 *    built (before any row is taken).
 * A single BIGINT/INT-like bucket key is hashed straight from its words (the BinaryRow of one
 * fixed-width field is `[0, 0, lo, hi]`: header word, null bits, the 8-byte slot), without
 * building the row; other keys go through `fixedBucket`.
 *
 * Invariants: `targetOf[i]` indexes `targets`; targets are created in first-seen order; a
 * partition's BinaryRow bytes equal Java's (spec tests).
 * Imports: errors.ts, util (bytes), spec (binary_row, bucket, core_options(_view),
 * partition_values, schema, data_types), lsm/write_columns.ts.
 */
import { LakeError } from "../../errors.ts";
import { toHex } from "../../util/bytes.ts";
import { encodeSerializedBinaryRow } from "../../spec/binary_row.ts";
import { bucketFromHash, bucketKeyNames, fixedBucket, integerKeyHash } from "../../spec/bucket.ts";
import { optionEnum, optionRaw } from "../../spec/core_options.ts";
import { BucketMode, CoreOptions } from "../../spec/core_options_view.ts";
import type { DataType } from "../../spec/data_types.ts";
import { partitionPathOf } from "../../spec/partition_values.ts";
import { logicalPartitionType, type TableSchema } from "../../spec/schema.ts";
import type { Value } from "../../spec/values.ts";
import { inputValueAt, type InputBatch, type InputColumn } from "../../lsm/write_columns.ts";

/** Where a group of rows goes. */
export interface PartitionTarget {
  /** Serialized partition BinaryRow (4-byte arity + row), as in manifests. */
  readonly partition: Uint8Array;
  readonly partitionValues: readonly Value[];
  /** "" or "k1=v1/k2=v2/" (with trailing slash). */
  readonly partitionPath: string;
}

/** The routing of one batch. */
export interface BatchRoute {
  /** Per row: index into `targets`; null when every row goes to `targets[0]`. */
  readonly targetOf: Uint32Array | null;
  readonly targets: readonly { readonly partition: PartitionTarget; readonly bucket: number }[];
}

const NOUN = "write router";

/** The routing rules of one table (build once per writer). */
export class RowRouter {
  /** `_TOTAL_BUCKETS` of the writer's files: the bucket count, or -1 (unaware). */
  readonly totalBuckets: number;
  readonly #schema: TableSchema;
  readonly #partitionIndexes: readonly number[];
  readonly #partitionTypes: readonly DataType[];
  readonly #partitionFormat: { defaultName: string; legacyName: boolean };
  readonly #bucketIndexes: readonly number[] | null;
  readonly #bucketTypes: readonly DataType[];
  readonly #partitions = new Map<string, PartitionTarget>();

  /** Throws LakeError("unsupported") for bucket modes lakestate does not write (see the header). */
  constructor(schema: TableSchema) {
    this.#schema = schema;
    const core = new CoreOptions(schema.options);
    const mode = core.bucketMode(schema);
    const fieldNames = schema.fields.map((f) => f.name);
    if (mode === BucketMode.DYNAMIC || mode === BucketMode.CROSS_PARTITION) {
      throw new LakeError("unsupported", `${NOUN}: writing primary-key tables with 'bucket' = -1 (dynamic buckets${mode === BucketMode.CROSS_PARTITION ? ", cross-partition upsert" : ""}) is not supported; set a fixed bucket count`);
    }
    if (mode === BucketMode.POSTPONE) throw new LakeError("unsupported", `${NOUN}: writing tables with 'bucket' = -2 (postpone buckets) is not supported`);
    const fn = (optionEnum(schema.options, "bucket-function.type") ?? "default").toLowerCase();
    if (mode === BucketMode.FIXED && fn !== "default") {
      throw new LakeError("unsupported", `${NOUN}: 'bucket-function.type' = ${fn} is not supported; only default`);
    }
    this.#partitionIndexes = schema.partitionKeys.map((k) => fieldNames.indexOf(k));
    this.#partitionTypes = logicalPartitionType(schema).fields.map((f) => f.type);
    this.#partitionFormat = { defaultName: core.partitionDefaultName, legacyName: core.partitionLegacyName };
    if (mode === BucketMode.UNAWARE) {
      this.totalBuckets = -1;
      this.#bucketIndexes = null;
      this.#bucketTypes = [];
      return;
    }
    this.totalBuckets = core.bucket;
    const legacyWholeRow = schema.primaryKeys.length === 0 && core.bucketKeys.length === 0;
    const names = legacyWholeRow ? fieldNames : bucketKeyNames({
      bucketKeyOption: optionRaw(schema.options, "bucket-key"), primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, fieldNames,
    });
    this.#bucketIndexes = this.totalBuckets === 1 ? null : names.map((n) => fieldNames.indexOf(n));
    this.#bucketTypes = names.map((n) => schema.fields[fieldNames.indexOf(n)]!.type);
  }

  /** Routes every row of `batch`. Throws LakeError for partition values Java cannot name. */
  route(batch: InputBatch): BatchRoute {
    const n = batch.rowCount;
    const bucketOf = this.#buckets(batch);
    if (this.#partitionIndexes.length === 0 && bucketOf === null) {
      return { targetOf: null, targets: [{ partition: this.#partition([]), bucket: 0 }] };
    }
    const targets: { partition: PartitionTarget; bucket: number }[] = [];
    const index = new Map<string, number>();
    const targetOf = new Uint32Array(n);
    const columns = this.#partitionIndexes.map((i) => batch.columns[i]!);
    for (let i = 0; i < n; i++) {
      const values = columns.map((c) => inputValueAt(c, i));
      const partition = this.#partition(values);
      const bucket = bucketOf === null ? 0 : bucketOf[i]!;
      const id = `${partitionKey(values)}\u0001${bucket}`;
      let t = index.get(id);
      if (t === undefined) {
        index.set(id, t = targets.length);
        targets.push({ partition, bucket });
      }
      targetOf[i] = t;
    }
    return { targetOf, targets };
  }

  /** The partition target of these partition values (cached). */
  #partition(values: readonly Value[]): PartitionTarget {
    const key = partitionKey(values);
    let target = this.#partitions.get(key);
    if (target === undefined) {
      const fields = logicalPartitionType(this.#schema).fields;
      const path = fields.length === 0 ? "" : partitionPathOf(fields, values, this.#partitionFormat) + "/";
      target = { partition: encodeSerializedBinaryRow(this.#partitionTypes, values), partitionValues: [...values], partitionPath: path };
      this.#partitions.set(key, target);
    }
    return target;
  }

  /** Per row: its bucket; null when every row goes to bucket 0. */
  #buckets(batch: InputBatch): Int32Array | null {
    const indexes = this.#bucketIndexes;
    if (indexes === null) return null;
    const n = batch.rowCount;
    const out = new Int32Array(n);
    if (indexes.length === 1) {
      const fast = fastBuckets(batch.columns[indexes[0]!]!, this.#bucketTypes[0]!, n, this.totalBuckets, out);
      if (fast) return out;
    }
    const columns = indexes.map((i) => batch.columns[i]!);
    for (let i = 0; i < n; i++) out[i] = fixedBucket(this.#bucketTypes, columns.map((c) => inputValueAt(c, i)), this.totalBuckets);
    return out;
  }
}

/** A Map key that tells apart every distinct partition row (primitives fast, else the row bytes). */
function partitionKey(values: readonly Value[]): string {
  let key = "";
  for (const v of values) {
    if (v === null) key += "\u0000n";
    else if (typeof v === "string") key += "\u0000s" + v;
    else if (typeof v === "bigint" || typeof v === "boolean") key += "\u0000" + (typeof v)[0] + String(v);
    else if (typeof v === "number") key += Object.is(v, -0) ? "\u0000d-0" : "\u0000d" + String(v);
    else key += "\u0000x" + JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? toHex(x) : x));
  }
  return key;
}

/**
 * Buckets of a single fixed-width integer bucket key (INT, DATE, TIME, BIGINT) without nulls,
 * hashed from its words; false when the column does not qualify (the caller hashes rows).
 */
function fastBuckets(column: InputColumn, type: DataType, n: number, numBuckets: number, out: Int32Array): boolean {
  const root = type.root;
  if (root !== "INT" && root !== "DATE" && root !== "TIME" && root !== "BIGINT") return false;
  if (column.kind === "values") {
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      if (v === null || v === undefined) return false;
      out[i] = bucketFromHash(wordsHash(v as number | bigint), numBuckets);
    }
    return true;
  }
  if (column.valid !== null) return false;
  for (let i = 0; i < n; i++) out[i] = bucketFromHash(wordsHash((column.data as Float64Array)[i]!), numBuckets);
  return true;
}

/** Murmur3 (seed 42) of the 16-byte BinaryRow of one non-null integer field. */
function wordsHash(v: number | bigint): number {
  let lo: number, hi: number;
  if (typeof v === "bigint") {
    lo = Number(BigInt.asUintN(32, v)) | 0;
    hi = Number(BigInt.asIntN(32, v >> 32n)) | 0;
  } else {
    lo = v | 0;
    hi = 0; // INT/DATE/TIME occupy the low 4 bytes of their slot
  }
  return integerKeyHash(lo, hi);
}
