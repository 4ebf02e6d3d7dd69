/**
 * Option keys Java knows that lakestate does not read typed: the other CoreOptions and Flink
 * connector keys, the per-field option suffixes, and the pass-through key prefixes. They only
 * tell known keys from misspelt ones (`option_support.ts`).
 *
 * Mirrors the key names of `org.apache.paimon.CoreOptions` (releases 0.4 to 2.0) and
 * `org.apache.paimon.flink.FlinkConnectorOptions`:
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/CoreOptions.java
 * https://github.com/apache/paimon/blob/release-2.0/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/FlinkConnectorOptions.java
 *
 * Invariants: keys are persisted in schema files: never rename. No key here is also a typed key
 * of `CORE_OPTION_SPECS` (test/unit/spec/core_options_test.ts).
 *
 * Imports: nothing.
 */

/**
 * Other option keys Java knows (CoreOptions of releases 0.4 to 2.0, removed ones included, and
 * the Flink connector's table options). They are accepted untyped and kept as they are; the list
 * only keeps them from being reported as misspellings. Persisted: never rename.
 */
export const OTHER_KNOWN_OPTION_KEYS: ReadonlySet<string> = new Set((
  "add-column-before-partition alter-column-null-to-not-null.disabled append-only.assert-disorder " +
  "batch-scan-mode blob-as-descriptor blob-compaction.enabled blob-descriptor-field " +
  "blob-external-storage-field blob-external-storage-path blob-field blob-view-field " +
  "blob-view.resolve.enabled blob-write-null-on-fetch-failure blob-write-null-on-missing-file " +
  "blob.copy-buffer-size blob.split-by-file-size blob.stored-descriptor-fields " +
  "blob.target-file-size cache-page-size chain-table.chain-partition-keys chain-table.enabled " +
  "chain-table.split.key-range-enabled chain-table.streaming.merge-snapshot clustering.columns " +
  "clustering.history-partition.idle-to-full-sort clustering.history-partition.limit " +
  "clustering.incremental clustering.incremental.mode clustering.incremental.optimize-write " +
  "clustering.strategy compaction.early-max.file-num compaction.max-sorted-run-num " +
  "compaction.max.file-num data-evolution.compaction.rewrite-row-ids " +
  "data-evolution.merge-into.file-pruning data-evolution.merge-into.source-persist " +
  "data-evolution.reassign.skip-contiguous-row-count " +
  "data-evolution.row-id-conflict-rewrite.max-size data-evolution.row-sidecar.enabled " +
  "data-evolution.row-sidecar.max-selected-rows data-evolution.row-sidecar.max-selection-ratio " +
  "data-file.external-paths.specific-fs data-file.external-paths.weights " +
  "delete.force-produce-changelog disable-explicit-type-casting file-reader-async-threshold " +
  "format-table.commit-hive-sync-url format-table.file.compression format-table.implementation " +
  "format-table.partition-path-only-value format-table.scan.list-parallelism " +
  "full-text-index.search-mode global-index.build.max-parallelism global-index.build.max-shard " +
  "global-index.column-update-action global-index.enabled global-index.external-path " +
  "global-index.row-count-per-shard global-index.search-mode global-index.thread-num " +
  "incremental-between-tag-to-snapshot incremental-to-auto-tag key-value.sequence_number.enabled " +
  "local-kv-db.block-size local-merge-buffer-size log.changelog-mode log.consistency log.format " +
  "log.ignore-delete log.key.format log.scan.remove-normalize lookup.blob-as-descriptor " +
  "lookup.continuous.discovery-interval lookup.merge-buffer-size lookup.merge-records-threshold " +
  "lookup.remote-file.level-threshold manifest-sort.enabled manifest-sort.max-rewrite-size " +
  "manifest-sort.partition-field manifest.merge-optimize.enabled " +
  "materialized-table.definition-query materialized-table.interval-freshness " +
  "materialized-table.interval-freshness.time-unit materialized-table.logical-refresh-mode " +
  "materialized-table.refresh-handler-bytes materialized-table.refresh-handler-description " +
  "materialized-table.refresh-mode materialized-table.refresh-status metadata.iceberg-compatible " +
  "metastore.partitioned-table metastore.tag-to-partition metastore.tag-to-partition.preview " +
  "object-location orc.bloom.filter.columns orc.bloom.filter.fpp orc.column.encoding.direct " +
  "orc.dictionary.key.threshold overwrite-upgrade parquet.enable.dictionary " +
  "parquet.variant.shreddingSchema partition.end-input-to-done " +
  "partition.mark-done-action.custom.class partition.mark-done-action.http.params " +
  "partition.mark-done-action.http.timeout partition.mark-done-action.http.url " +
  "partition.sink-strategy partition.timestamp-format.strict pk-bitmap.index.columns " +
  "pk-btree.index.columns pk-clustering-override pk-full-text.index.columns " +
  "pk-multivalue.index.columns pk-vector.index.columns postpone.batch-write-fixed-bucket " +
  "postpone.batch-write-fixed-bucket.max-parallelism " +
  "postpone.batch-write-fixed-bucket.rescale-load-factor postpone.merge-on-read " +
  "postpone.target-row-num-per-bucket postpone.target-size-per-bucket primary-key.nullable " +
  "query-auth.enabled record-level.time-field-type row-tracking.partition-group-on-commit " +
  "scalar-index.search-mode scan.creation-time-millis scan.fallback-branch.read-fail-fast " +
  "scan.fallback-delta-branch scan.fallback-snapshot-branch " +
  "scan.plan-auto-tag-for-read.time-retained scan.primary-branch scan.version sequence.auto-padding " +
  "sequence.snapshot-ordering sink.clustering.by-columns sink.clustering.strategy " +
  "sink.process-time-zone sort-compaction.local-sample.magnification sort-compaction.range-strategy " +
  "spill-compression.zstd-level stream-scan-mode streaming-compact streaming-read-mode " +
  "streaming.read.snapshot.delay tag.automatic-completion tag.batch.customized-name tag.callbacks " +
  "tag.create-success-file tag.creation-period-duration tag.period-formatter " +
  "tag.time-expire-enabled type upsert-key variant.inferShreddingSchema " +
  "variant.shredding.adaptive.maxInferBufferRow variant.shredding.adaptive.retentionRatio " +
  "variant.shredding.inferenceMode variant.shredding.maxInferBufferRow " +
  "variant.shredding.maxSchemaDepth variant.shredding.maxSchemaWidth " +
  "variant.shredding.minFieldCardinalityRatio variant.shreddingSchema vector-field " +
  "vector-index.search-mode vector-search.distribute.enabled vector-search.lateral-join.batch-size " +
  "vector.file.format vector.target-file-size visibility-callback.check-interval " +
  "visibility-callback.enabled visibility-callback.timeout write-manifest-cache write-mode " +
  "write.batch-memory write.sequence-number-init-mode zorder.var-length-contribution " +
  // Flink connector table options (FlinkConnectorOptions)
  "changelog-producer.compaction-interval changelog.precommit-compact " +
  "changelog.precommit-compact.buffer-size changelog.precommit-compact.thread-num " +
  "commit.custom-listeners compaction.bucket-distribution-strategy end-input.watermark " +
  "filesystem.job-level-settings.enabled lookup.async lookup.async-thread-number " +
  "lookup.bootstrap-parallelism lookup.cache lookup.dynamic-partition " +
  "lookup.dynamic-partition.refresh-interval lookup.dynamic-partition.refresh.async " +
  "lookup.refresh.async lookup.refresh.async.pending-snapshot-count " +
  "lookup.refresh.full-load-threshold lookup.refresh.time-periods-blacklist " +
  "partition.idle-time-to-done partition.mark-done-action.mode " +
  "partition.mark-done.recover-from-state partition.time-interval precommit-compact " +
  "read.shuffle-bucket-with-partition scan.bounded scan.dedicated-split-generation " +
  "scan.infer-parallelism scan.infer-parallelism.max scan.max-snapshot.count scan.parallelism " +
  "scan.partitions scan.remove-normalize scan.split-enumerator.batch-size " +
  "scan.split-enumerator.mode scan.watermark.alignment.group scan.watermark.alignment.max-drift " +
  "scan.watermark.alignment.update-interval scan.watermark.emit.strategy " +
  "scan.watermark.idle-timeout sink.clustering.sample-factor sink.clustering.sort-in-cluster " +
  "sink.committer-cpu sink.committer-memory sink.committer-operator-chaining " +
  "sink.coordinator-commit.enabled sink.cross-partition.managed-memory " +
  "sink.key-only-deletes.enabled sink.managed.writer-buffer-memory sink.operator-uid.suffix " +
  "sink.parallelism sink.savepoint.auto-tag sink.use-managed-memory-allocator " +
  "sink.writer-coordinator.cache-expire-after-access sink.writer-coordinator.cache-memory " +
  "sink.writer-coordinator.cache-soft-values sink.writer-coordinator.enabled " +
  "sink.writer-coordinator.page-size sink.writer-coordinator.prefetch-manifests sink.writer-cpu " +
  "sink.writer-memory sink.writer-refresh-detectors source.checkpoint-align.enabled " +
  "source.checkpoint-align.timeout source.operator-uid.suffix " +
  "streaming-read.shuffle-bucket-with-partition unaware-bucket.compaction.parallelism " +
  "unaware-bucket.no-shuffle " +
  "").trim().split(" "));

/** Suffixes of per-field options `fields.<field>.<suffix>` (CoreOptions and merge functions). */
export const FIELD_OPTION_SUFFIXES: readonly string[] = [
  "aggregate-function", "ignore-retract", "sequence-group", "nested-key", "nested-key-null-strategy",
  "nested-sequence-field", "count-limit", "distinct", "list-agg-delimiter", "ts-field", "stats-mode",
  "default-value", "ignore-delete",
];

/** Key prefixes passed through to formats, file systems, catalogs and indexes: never checked. */
export const PASS_THROUGH_OPTION_PREFIXES: readonly string[] = [
  "parquet.", "orc.", "avro.", "csv.", "json.", "lance.", "file-index.", "fs.", "s3.", "oss.", "hadoop.",
  "hive.", "metastore.", "lock.", "blob-descriptor.", "commit.callback.", "tag.callback.", "paimon.",
];
