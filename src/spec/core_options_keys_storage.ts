/**
 * Typed Paimon options about storage: table layout (bucket, keys, path), data and changelog
 * files, manifests, partitions, and retention of snapshots, changelog, consumers and tags.
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
import { enumOptionSpecOf as e, OptionType, optionSpecOf as o, type OptionSpec } from "./core_options_types.ts";

const INT_MAX_TEXT = "2147483647";
const { STRING, INT, LONG, BOOLEAN, MEMORY, DURATION, MAP } = OptionType;

/** Storage options lakestate reads typed; first part of `CORE_OPTION_SPECS`, in its order. */
export const STORAGE_OPTION_SPECS: readonly OptionSpec[] = [
  // table layout
  o("bucket", INT, "-1"),
  o("bucket-key", STRING, null),
  e("bucket-function.type", "default", ["default", "mod", "hive"]),
  o("bucket-append-ordered", BOOLEAN, "true"),
  o("path", STRING, null),
  o("branch", STRING, "main"),
  o("primary-key", STRING, null),
  o("partition", STRING, null),
  o("auto-create", BOOLEAN, "false"),
  // files
  o("file.format", STRING, "parquet"),
  o("file.format.per.level", MAP, ""),
  o("file.compression", STRING, "zstd"),
  o("file.compression.per.level", MAP, ""),
  o("file.compression.zstd-level", INT, "1"),
  o("file.suffix.include.compression", BOOLEAN, "false"),
  o("file.block-size", MEMORY, null),
  o("file-index.in-manifest-threshold", MEMORY, "500 b"),
  o("file-index.read.enabled", BOOLEAN, "true"),
  o("data-file.prefix", STRING, "data-"),
  o("data-file.path-directory", STRING, null),
  o("data-file.thin-mode", BOOLEAN, "false"),
  o("data-file.external-paths", STRING, null),
  e("data-file.external-paths.strategy", "none", ["none", "specific-fs", "round-robin", "entropy-inject", "weight-robin"]),
  o("changelog-file.prefix", STRING, "changelog-"),
  o("changelog-file.format", STRING, null),
  o("changelog-file.compression", STRING, null),
  o("changelog-file.stats-mode", STRING, null),
  o("index-file-in-data-file-dir", BOOLEAN, "false"),
  o("metadata.stats-mode", STRING, "truncate(16)"),
  o("metadata.stats-mode.per.level", MAP, ""),
  o("metadata.stats-dense-store", BOOLEAN, "true"),
  o("metadata.stats-keep-first-n-columns", INT, "-1"),
  o("page-size", MEMORY, "64 kb"),
  o("target-file-size", MEMORY, null),
  o("target-file-row-num", LONG, "9223372036854775807"),
  // manifests
  o("manifest.format", STRING, "avro"),
  o("manifest.compression", STRING, "zstd"),
  o("manifest.target-file-size", MEMORY, "8 mb"),
  o("manifest.full-compaction-threshold-size", MEMORY, "16 mb"),
  o("manifest.merge-min-count", INT, "30"),
  o("manifest.delete-file-drop-stats", BOOLEAN, "false"),
  // partitions
  o("partition.default-name", STRING, "__DEFAULT_PARTITION__"),
  o("partition.legacy-name", BOOLEAN, "true"),
  o("partition.expiration-time", DURATION, null),
  o("partition.expiration-check-interval", DURATION, "1 h"),
  o("partition.expiration-strategy", STRING, "values-time"),
  o("partition.expiration-max-num", INT, "100"),
  o("partition.expiration-batch-size", INT, null),
  o("partition.timestamp-formatter", STRING, null),
  o("partition.timestamp-pattern", STRING, null),
  o("partition.mark-done-action", STRING, "success-file"),
  o("partition.idle-time-to-report-statistic", DURATION, "0 ms"),
  o("end-input.check-partition-expire", BOOLEAN, "false"),
  // snapshots, changelog, consumers, tags
  o("snapshot.num-retained.min", INT, "10"),
  o("snapshot.num-retained.max", INT, INT_MAX_TEXT),
  o("snapshot.time-retained", DURATION, "1 h"),
  e("snapshot.expire.execution-mode", "sync", ["sync", "async"]),
  o("snapshot.expire.limit", INT, "50"),
  o("snapshot.clean-empty-directories", BOOLEAN, "false", { fallbackKeys: ["snapshot.expire.clean-empty-directories"] }),
  o("snapshot.watermark-idle-timeout", DURATION, null),
  o("snapshot.ignore-empty-commit", BOOLEAN, null),
  o("changelog.num-retained.min", INT, null),
  o("changelog.num-retained.max", INT, null),
  o("changelog.time-retained", DURATION, null),
  o("consumer-id", STRING, null),
  o("consumer.expiration-time", DURATION, null),
  e("consumer.mode", "exactly-once", ["exactly-once", "at-least-once"]),
  o("consumer.ignore-progress", BOOLEAN, "false"),
  o("consumer.changelog-only", BOOLEAN, "false"),
  e("tag.automatic-creation", "none", ["none", "process-time", "watermark", "batch"]),
  e("tag.creation-period", "daily", ["daily", "hourly", "two-hours"]),
  o("tag.creation-delay", DURATION, "0 ms"),
  o("tag.num-retained-max", INT, null),
  o("tag.default-time-retained", DURATION, null),
];
