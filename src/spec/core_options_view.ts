/**
 * Derived, typed view of a table's options: `CoreOptions` getters with units in their names,
 * Java's derived defaults (stop trigger, level count, target file size, changelog retention
 * falling back to snapshot retention) and the table's bucket mode.
 *
 * Mirrors the getters of `org.apache.paimon.CoreOptions` and the enum
 * `org.apache.paimon.table.BucketMode` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/CoreOptions.java
 *
 * Invariants:
 *  - The view never copies or rewrites the option map; getters parse on every call and throw
 *    LakeError("invalid_argument") on a bad value (as Java fails when it reads one).
 *  - Every getter returns the Java value for the same options, defaults included.
 *
 * Imports: spec/core_options.ts, spec/core_options_types.ts.
 */
import {
  bytesToNumber, optionBoolean, optionDurationMs, optionEnum, optionInt, optionLong, optionMemoryBytes, optionRaw,
  optionString, parseBooleanOption, splitOptionList,
} from "./core_options.ts";
import {
  BUCKET_DYNAMIC, BUCKET_POSTPONE, type ChangelogProducer, type MergeEngine, type OptionMap,
} from "./core_options_types.ts";

/** Bucket modes derived from `bucket` and the keys (Java `BucketMode`). */
export const BucketMode = {
  FIXED: "fixed", DYNAMIC: "dynamic", CROSS_PARTITION: "cross-partition", UNAWARE: "unaware", POSTPONE: "postpone",
} as const;
/** One of `BucketMode`. */
export type BucketMode = (typeof BucketMode)[keyof typeof BucketMode];

/** Java `String.split(",")` (no trim; trailing empty strings dropped), as `bucket-key` uses. */
function javaSplitComma(text: string): string[] {
  const parts = text.split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

const MB = 1024 * 1024;

/**
 * Derived, typed view of a table's options (Java `CoreOptions` getters), with units in names.
 * Getters parse on every call and throw LakeError("invalid_argument") on a bad value.
 */
export class CoreOptions {
  /** The raw options, unchanged. */
  readonly options: OptionMap;

  constructor(options: OptionMap) {
    this.options = options;
  }

  /** `bucket`: N > 0 fixed, -1 dynamic/unaware, -2 postpone. */
  get bucket(): number { return optionInt(this.options, "bucket")!; }
  /** `bucket-key` split as Java splits it; empty when unset or blank. */
  get bucketKeys(): string[] {
    const raw = optionRaw(this.options, "bucket-key");
    return raw === null || raw.trim() === "" ? [] : javaSplitComma(raw);
  }
  /** `merge-engine`. */
  get mergeEngine(): MergeEngine { return optionEnum(this.options, "merge-engine") as MergeEngine; }
  /** `changelog-producer`. */
  get changelogProducer(): ChangelogProducer { return optionEnum(this.options, "changelog-producer") as ChangelogProducer; }
  /** `sequence.field` names (comma list, trimmed); empty when unset. */
  get sequenceFields(): string[] { return splitOptionList(optionString(this.options, "sequence.field")); }
  /** `file.format`, lower-cased as Java normalizes it. */
  get fileFormat(): string { return optionString(this.options, "file.format")!.toLowerCase(); }
  /** `file.compression`. */
  get fileCompression(): string { return optionString(this.options, "file.compression")!; }
  /** `file.suffix.include.compression`. */
  get fileSuffixIncludeCompression(): boolean { return optionBoolean(this.options, "file.suffix.include.compression")!; }
  /** `data-file.prefix`. */
  get dataFilePrefix(): string { return optionString(this.options, "data-file.prefix")!; }
  /** `changelog-file.prefix`. */
  get changelogFilePrefix(): string { return optionString(this.options, "changelog-file.prefix")!; }
  /** `manifest.format`, lower-cased. */
  get manifestFormat(): string { return optionString(this.options, "manifest.format")!.toLowerCase(); }
  /** `manifest.compression`. */
  get manifestCompression(): string { return optionString(this.options, "manifest.compression")!; }
  /** `manifest.target-file-size` in bytes. */
  get manifestTargetFileSizeBytes(): number { return bytesToNumber(optionMemoryBytes(this.options, "manifest.target-file-size")!); }
  /** `manifest.full-compaction-threshold-size` in bytes. */
  get manifestFullCompactionThresholdBytes(): number {
    return bytesToNumber(optionMemoryBytes(this.options, "manifest.full-compaction-threshold-size")!);
  }
  /** `manifest.merge-min-count`. */
  get manifestMergeMinCount(): number { return optionInt(this.options, "manifest.merge-min-count")!; }
  /** `partition.default-name`. */
  get partitionDefaultName(): string { return optionString(this.options, "partition.default-name")!; }
  /** `partition.legacy-name`. */
  get partitionLegacyName(): boolean { return optionBoolean(this.options, "partition.legacy-name")!; }
  /** `write-only` (fallback `write.compaction-skip`). */
  get writeOnly(): boolean { return optionBoolean(this.options, "write-only")!; }
  /** `write-buffer-size` in bytes. */
  get writeBufferBytes(): number { return bytesToNumber(optionMemoryBytes(this.options, "write-buffer-size")!); }
  /** `page-size` in bytes. */
  get pageSizeBytes(): number { return bytesToNumber(optionMemoryBytes(this.options, "page-size")!); }
  /** `target-file-size` in bytes; unset = 128 MB for primary-key tables, 256 MB for append. */
  targetFileSizeBytes(hasPrimaryKey: boolean): number {
    const set = optionMemoryBytes(this.options, "target-file-size");
    return set === null ? (hasPrimaryKey ? 128 : 256) * MB : bytesToNumber(set);
  }
  /** `num-sorted-run.compaction-trigger`. */
  get sortedRunCompactionTriggerCount(): number { return optionInt(this.options, "num-sorted-run.compaction-trigger")!; }
  /** `num-sorted-run.stop-trigger`; unset = compaction trigger + 3; never below the trigger. */
  get sortedRunStopTriggerCount(): number {
    const trigger = this.sortedRunCompactionTriggerCount;
    return Math.max(trigger, optionInt(this.options, "num-sorted-run.stop-trigger") ?? Math.min(trigger + 3, 2 ** 31 - 1));
  }
  /** `num-levels`; unset = compaction trigger + 1. */
  get levelCount(): number {
    return optionInt(this.options, "num-levels") ?? Math.min(this.sortedRunCompactionTriggerCount + 1, 2 ** 31 - 1);
  }
  /** `commit.max-retries`. */
  get commitRetryCountMax(): number { return optionInt(this.options, "commit.max-retries")!; }
  /** `snapshot.num-retained.min`. */
  get snapshotRetainedCountMin(): number { return optionInt(this.options, "snapshot.num-retained.min")!; }
  /** `snapshot.num-retained.max`. */
  get snapshotRetainedCountMax(): number { return optionInt(this.options, "snapshot.num-retained.max")!; }
  /** `snapshot.time-retained` in ms. */
  get snapshotTimeRetainedMs(): number { return optionDurationMs(this.options, "snapshot.time-retained")!; }
  /** `snapshot.expire.limit`. */
  get snapshotExpireCountMax(): number { return optionInt(this.options, "snapshot.expire.limit")!; }
  /** `changelog.num-retained.min`, falling back to the snapshot value. */
  get changelogRetainedCountMin(): number { return optionInt(this.options, "changelog.num-retained.min") ?? this.snapshotRetainedCountMin; }
  /** `changelog.num-retained.max`, falling back to the snapshot value. */
  get changelogRetainedCountMax(): number { return optionInt(this.options, "changelog.num-retained.max") ?? this.snapshotRetainedCountMax; }
  /** `changelog.time-retained` in ms, falling back to the snapshot value. */
  get changelogTimeRetainedMs(): number { return optionDurationMs(this.options, "changelog.time-retained") ?? this.snapshotTimeRetainedMs; }
  /** `partition.expiration-time` in ms; null = no partition expiration. */
  get partitionExpirationTimeMs(): number | null { return optionDurationMs(this.options, "partition.expiration-time"); }
  /** `consumer.expiration-time` in ms; null = consumers never expire. */
  get consumerExpirationTimeMs(): number | null { return optionDurationMs(this.options, "consumer.expiration-time"); }
  /** `deletion-vectors.enabled`. */
  get deletionVectorsEnabled(): boolean { return optionBoolean(this.options, "deletion-vectors.enabled")!; }
  /** `deletion-vectors.bitmap64`. */
  get deletionVectorsBitmap64(): boolean { return optionBoolean(this.options, "deletion-vectors.bitmap64")!; }
  /** `ignore-delete` (and its merge-engine-specific fallbacks). */
  get ignoreDelete(): boolean { return optionBoolean(this.options, "ignore-delete")!; }
  /** `full-compaction.delta-commits`; null when unset. */
  get fullCompactionDeltaCommitCount(): number | null { return optionInt(this.options, "full-compaction.delta-commits"); }
  /** `dynamic-bucket.target-row-num`. */
  get dynamicBucketTargetRowCount(): bigint { return optionLong(this.options, "dynamic-bucket.target-row-num")!; }
  /** `file-operation.thread-num` (fallback `delete-file.thread-num`); null = Java picks. */
  get fileOperationThreadCount(): number | null { return optionInt(this.options, "file-operation.thread-num"); }
  /** `row-tracking.enabled`. */
  get rowTrackingEnabled(): boolean { return optionBoolean(this.options, "row-tracking.enabled")!; }
  /** `fields.<field>.aggregate-function`, else `fields.default-aggregate-function`, else null. */
  fieldAggregateFunction(field: string): string | null {
    return this.options[`fields.${field}.aggregate-function`] ?? optionString(this.options, "fields.default-aggregate-function");
  }
  /** `fields.<field>.ignore-retract` (default false). */
  fieldIgnoreRetract(field: string): boolean {
    const raw = this.options[`fields.${field}.ignore-retract`];
    return raw === undefined ? false : parseBooleanOption(`fields.${field}.ignore-retract`, raw);
  }
  /** Bucket mode of a table with these options and keys (Java `FileStoreTable#bucketMode`). */
  bucketMode(table: TableKeys): BucketMode {
    const bucket = this.bucket;
    if (bucket === BUCKET_POSTPONE) return BucketMode.POSTPONE;
    if (bucket !== BUCKET_DYNAMIC) return BucketMode.FIXED;
    if (table.primaryKeys.length === 0) return BucketMode.UNAWARE;
    const crossPartition = table.partitionKeys.some((p) => !table.primaryKeys.includes(p));
    return crossPartition ? BucketMode.CROSS_PARTITION : BucketMode.DYNAMIC;
  }
}

/** The key lists option checks need (a TableSchema satisfies it). */
export interface TableKeys {
  readonly primaryKeys: readonly string[];
  readonly partitionKeys: readonly string[];
}
