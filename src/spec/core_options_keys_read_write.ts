/**
 * Typed Paimon options about reading and writing: merge, write buffers, compaction, commit,
 * deletion vectors, dynamic buckets, row tracking, lookup and scan.
 *
 * Mirrors the matching `ConfigOption` fields of `org.apache.paimon.CoreOptions` (release-2.0
 * keys, types and defaults):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/CoreOptions.java
 *
 * Invariants:
 *  - Keys are persisted in schema files: never rename. Each key appears once across
 *    `STORAGE_OPTION_SPECS` and `READ_WRITE_OPTION_SPECS` (test/unit/spec/core_options_test.ts).
 *  - Defaults are Java's, as text; `core_options.ts` parses them like set values.
 *
 * Imports: spec/core_options_types.ts only.
 */
import {
  ChangelogProducer, enumOptionSpecOf as e, MergeEngine, OptionType, optionSpecOf as o, type OptionSpec,
} from "./core_options_types.ts";

const MEMORY_MAX = "9223372036854775807 b"; // Java MemorySize.MAX_VALUE
const { STRING, INT, LONG, BOOLEAN, DOUBLE, MEMORY, DURATION } = OptionType;

/** Read and write options lakestate reads typed; second part of `CORE_OPTION_SPECS`, in its order. */
export const READ_WRITE_OPTION_SPECS: readonly OptionSpec[] = [
  // merge
  e("merge-engine", "deduplicate", Object.values(MergeEngine)),
  o("ignore-delete", BOOLEAN, "false", { fallbackKeys: ["first-row.ignore-delete", "deduplicate.ignore-delete", "partial-update.ignore-delete"] }),
  o("ignore-update-before", BOOLEAN, "false"),
  o("sequence.field", STRING, null),
  e("sequence.field.sort-order", "ascending", ["ascending", "descending"]),
  o("rowkind.field", STRING, null),
  o("partial-update.remove-record-on-delete", BOOLEAN, "false"),
  o("partial-update.remove-record-on-sequence-group", STRING, null),
  o("aggregation.remove-record-on-delete", BOOLEAN, "false"),
  o("fields.default-aggregate-function", STRING, null),
  e("changelog-producer", "none", Object.values(ChangelogProducer)),
  o("changelog-producer.row-deduplicate", BOOLEAN, "false"),
  o("changelog-producer.row-deduplicate-ignore-fields", STRING, null),
  o("table-read.sequence-number.enabled", BOOLEAN, "false"),
  // write, compaction, commit
  o("write-only", BOOLEAN, "false", { fallbackKeys: ["write.compaction-skip"] }),
  o("write-buffer-size", MEMORY, "256 mb"),
  o("write-buffer-spillable", BOOLEAN, "true"),
  o("write-buffer-spill.max-disk-size", MEMORY, MEMORY_MAX),
  o("write-buffer-for-append", BOOLEAN, "false"),
  o("write-max-writers-to-spill", INT, "10"),
  o("write.batch-size", INT, "1024", { fallbackKeys: ["orc.write.batch-size"] }),
  o("read.batch-size", INT, "1024"),
  e("sort-engine", "loser-tree", ["min-heap", "loser-tree"]),
  o("sort-spill-threshold", INT, null),
  o("sort-spill-buffer-size", MEMORY, "64 mb"),
  o("spill-compression", STRING, "zstd"),
  o("local-sort.max-num-file-handles", INT, "128"),
  o("num-sorted-run.compaction-trigger", INT, "5"),
  o("num-sorted-run.stop-trigger", INT, null),
  o("num-levels", INT, null),
  o("full-compaction.delta-commits", INT, null),
  o("compaction.max-size-amplification-percent", INT, "200"),
  o("compaction.size-ratio", INT, "1"),
  o("compaction.min.file-num", INT, "5"),
  o("compaction.file-num-limit", INT, "100000"),
  o("compaction.force-up-level-0", BOOLEAN, "false"),
  o("compaction.force-rewrite-all-files", BOOLEAN, "false"),
  o("compaction.optimization-interval", DURATION, null),
  o("compaction.total-size-threshold", MEMORY, null),
  o("compaction.incremental-size-threshold", MEMORY, null),
  o("compaction.delete-ratio-threshold", DOUBLE, "0.2"),
  o("compaction.small-file-ratio", DOUBLE, "0.7"),
  o("compaction.offpeak.start.hour", INT, "-1"),
  o("compaction.offpeak.end.hour", INT, "-1"),
  o("compaction.offpeak-ratio", INT, "0"),
  o("compaction.skip-expired-partitions", BOOLEAN, "false"),
  o("commit.force-compact", BOOLEAN, "false"),
  o("commit.timeout", DURATION, null),
  o("commit.max-retries", INT, "10"),
  o("commit.min-retry-wait", DURATION, "10 ms"),
  o("commit.max-retry-wait", DURATION, "10 s"),
  o("commit.user-prefix", STRING, null),
  o("commit.callbacks", STRING, ""),
  o("commit.force-create-snapshot", BOOLEAN, "false"),
  o("commit.strict-mode.last-safe-snapshot", LONG, null),
  o("commit.discard-duplicate-files", BOOLEAN, "false"),
  o("file-operation.thread-num", INT, null, { fallbackKeys: ["delete-file.thread-num"] }),
  o("async-file-write", BOOLEAN, "true"),
  // deletion vectors, buckets, row tracking
  o("deletion-vectors.enabled", BOOLEAN, "false"),
  o("deletion-vectors.modifiable", BOOLEAN, "false"),
  o("deletion-vectors.merge-on-read", BOOLEAN, "false"),
  o("deletion-vectors.bitmap64", BOOLEAN, "false"),
  o("deletion-vector.index-file.target-size", MEMORY, "2 mb"),
  o("dynamic-bucket.target-row-num", LONG, "2000000"),
  o("dynamic-bucket.initial-buckets", INT, null),
  o("dynamic-bucket.max-buckets", INT, "-1"),
  o("dynamic-bucket.assigner-parallelism", INT, null),
  o("cross-partition-upsert.index-ttl", DURATION, null),
  o("cross-partition-upsert.bootstrap-parallelism", INT, "10"),
  o("postpone.default-bucket-num", INT, "1"),
  o("row-tracking.enabled", BOOLEAN, "false"),
  o("data-evolution.enabled", BOOLEAN, "false"),
  o("record-level.expire-time", DURATION, null),
  o("record-level.time-field", STRING, null),
  // lookup
  o("lookup-wait", BOOLEAN, "true", { fallbackKeys: ["changelog-producer.lookup-wait"] }),
  e("lookup-compact", "radical", ["radical", "gentle"]),
  o("lookup-compact.max-interval", INT, null),
  o("force-lookup", BOOLEAN, "false"),
  o("lookup.cache-max-memory-size", MEMORY, "256 mb"),
  o("lookup.cache-max-disk-size", MEMORY, MEMORY_MAX),
  o("lookup.cache-file-retention", DURATION, "1 h"),
  o("lookup.cache-spill-compression", STRING, "zstd"),
  o("lookup.hash-load-factor", DOUBLE, "0.75"),
  o("lookup.cache-rows", LONG, "10000"),
  o("lookup.cache.bloom.filter.enabled", BOOLEAN, "true"),
  o("lookup.cache.bloom.filter.fpp", DOUBLE, "0.05"),
  o("lookup.cache.high-priority-pool-ratio", DOUBLE, "0.25"),
  o("lookup.remote-file.enabled", BOOLEAN, "false"),
  e("lookup.local-file-type", "sort", ["sort", "hash"]), // removed in 1.4; kept for old tables
  // scan
  e("scan.mode", "default", ["default", "latest-full", "full", "latest", "compacted-full", "from-timestamp",
    "from-creation-timestamp", "from-file-creation-time", "from-snapshot", "from-snapshot-full", "incremental"], ["log.scan"]),
  o("scan.timestamp", STRING, null),
  o("scan.timestamp-millis", LONG, null, { fallbackKeys: ["log.scan.timestamp-millis"] }),
  o("scan.snapshot-id", LONG, null),
  o("scan.tag-name", STRING, null),
  o("scan.watermark", LONG, null),
  o("scan.file-creation-time-millis", LONG, null),
  o("scan.bounded.watermark", LONG, null),
  o("scan.manifest.parallelism", INT, null),
  o("scan.max-splits-per-task", INT, "10"),
  o("scan.bucket", INT, null),
  o("scan.plan-sort-partition", BOOLEAN, "false"),
  o("scan.fallback-branch", STRING, null),
  o("scan.ignore-corrupt-files", BOOLEAN, "false"),
  o("scan.ignore-lost-files", BOOLEAN, "false"),
  o("continuous.discovery-interval", DURATION, "10 s"),
  o("streaming-read-overwrite", BOOLEAN, "false"),
  o("streaming-read-append-overwrite", BOOLEAN, "false"),
  o("dynamic-partition-overwrite", BOOLEAN, "true"),
  o("incremental-between", STRING, null),
  e("incremental-between-scan-mode", "auto", ["auto", "delta", "changelog", "diff"]),
  o("incremental-between-timestamp", STRING, null),
  o("source.split.target-size", MEMORY, "128 mb"),
  o("source.split.open-file-cost", MEMORY, "4 mb"),
  o("sink.watermark-time-zone", STRING, "UTC"),
];
