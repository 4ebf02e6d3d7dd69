// Goal: typed access applies Java's defaults and fallback keys, and the CoreOptions view derives
// values (stop trigger, level count, target file size, bucket keys, bucket mode) as Java does.
// Method: the empty option map against Java release-2.0 defaults, single-option variants, and
// a bad value that must be named.
import { assert, describe, test } from "../../harness.ts";
import {
  optionBoolean, optionDurationMs, optionInt, optionMap, optionMemoryBytes, optionRaw, optionString,
} from "../../../src/spec/core_options.ts";
import { ChangelogProducer, MergeEngine } from "../../../src/spec/core_options_types.ts";
import { BucketMode, CoreOptions } from "../../../src/spec/core_options_view.ts";
import { isLakeError } from "../../../src/errors.ts";

const isInvalid = (re: RegExp) => (e: unknown) => isLakeError(e, "invalid_argument") && re.test((e as Error).message);

describe("typed access and derived values", () => {
  test("defaults match Java release-2.0", () => {
    const o = new CoreOptions({});
    assert.equal(o.bucket, -1);
    assert.equal(o.mergeEngine, MergeEngine.DEDUPLICATE);
    assert.equal(o.changelogProducer, ChangelogProducer.NONE);
    assert.equal(o.fileFormat, "parquet");
    assert.equal(o.fileCompression, "zstd");
    assert.equal(o.manifestFormat, "avro");
    assert.equal(o.manifestTargetFileSizeBytes, 8 * 1024 * 1024);
    assert.equal(o.manifestFullCompactionThresholdBytes, 16 * 1024 * 1024);
    assert.equal(o.manifestMergeMinCount, 30);
    assert.equal(o.writeBufferBytes, 256 * 1024 * 1024);
    assert.equal(o.pageSizeBytes, 64 * 1024);
    assert.equal(o.targetFileSizeBytes(true), 128 * 1024 * 1024);
    assert.equal(o.targetFileSizeBytes(false), 256 * 1024 * 1024);
    assert.equal(o.sortedRunCompactionTriggerCount, 5);
    assert.equal(o.sortedRunStopTriggerCount, 8);
    assert.equal(o.levelCount, 6);
    assert.equal(o.commitRetryCountMax, 10);
    assert.equal(o.snapshotRetainedCountMin, 10);
    assert.equal(o.snapshotRetainedCountMax, 2147483647);
    assert.equal(o.snapshotTimeRetainedMs, 3_600_000);
    assert.equal(o.changelogTimeRetainedMs, 3_600_000);
    assert.equal(o.partitionDefaultName, "__DEFAULT_PARTITION__");
    assert.equal(o.partitionLegacyName, true);
    assert.equal(o.writeOnly, false);
    assert.equal(o.deletionVectorsEnabled, false);
    assert.equal(o.partitionExpirationTimeMs, null);
    assert.equal(o.dynamicBucketTargetRowCount, 2_000_000n);
    assert.equal(optionMemoryBytes({}, "lookup.cache-max-disk-size"), 9223372036854775807n);
    assert.equal(optionDurationMs({}, "partition.expiration-check-interval"), 3_600_000);
    assert.deepEqual(optionMap({}, "file.format.per.level"), {});
  });

  test("set values, fallback keys and derived rules", () => {
    const o = new CoreOptions({
      "num-sorted-run.compaction-trigger": "2", "num-sorted-run.stop-trigger": "1", "write.compaction-skip": "true",
      "delete-file.thread-num": "4", "changelog.num-retained.max": "50", "snapshot.num-retained.max": "20",
      "sequence.field": "ts, version", "target-file-size": "64 mb", "FILE.FORMAT": "x", "file.format": "PARQUET",
      "changelog-producer.lookup-wait": "false", "fields.v.aggregate-function": "sum", "fields.default-aggregate-function": "max",
    });
    assert.equal(o.sortedRunStopTriggerCount, 2); // never below the compaction trigger
    assert.equal(o.levelCount, 3);
    assert.equal(o.writeOnly, true);
    assert.equal(o.fileOperationThreadCount, 4);
    assert.equal(o.changelogRetainedCountMax, 50);
    assert.equal(o.snapshotRetainedCountMax, 20);
    assert.deepEqual(o.sequenceFields, ["ts", "version"]);
    assert.equal(o.targetFileSizeBytes(true), 64 * 1024 * 1024);
    assert.equal(o.fileFormat, "parquet");
    assert.equal(optionBoolean(o.options, "lookup-wait"), false);
    assert.equal(optionRaw(o.options, "write-only"), "true");
    assert.equal(o.fieldAggregateFunction("v"), "sum");
    assert.equal(o.fieldAggregateFunction("w"), "max");
    assert.equal(optionString({}, "bucket-key"), null);
    assert.equal(optionInt({ bucket: "3" }, "bucket"), 3);
    assert.throws(() => new CoreOptions({ "write-buffer-size": "lots" }).writeBufferBytes, isInvalid(/'write-buffer-size' has invalid value "lots"/));
    assert.throws(() => optionInt({}, "write-buffer-size"), /is memory, not int/);
  });

  test("bucket keys split like Java, bucket modes", () => {
    assert.deepEqual(new CoreOptions({ "bucket-key": "a,b" }).bucketKeys, ["a", "b"]);
    assert.deepEqual(new CoreOptions({ "bucket-key": " " }).bucketKeys, []);
    const pk = { primaryKeys: ["id", "dt"], partitionKeys: ["dt"] };
    assert.equal(new CoreOptions({ bucket: "4" }).bucketMode(pk), BucketMode.FIXED);
    assert.equal(new CoreOptions({}).bucketMode(pk), BucketMode.DYNAMIC);
    assert.equal(new CoreOptions({}).bucketMode({ primaryKeys: ["id"], partitionKeys: ["dt"] }), BucketMode.CROSS_PARTITION);
    assert.equal(new CoreOptions({}).bucketMode({ primaryKeys: [], partitionKeys: [] }), BucketMode.UNAWARE);
    assert.equal(new CoreOptions({ bucket: "-2" }).bucketMode(pk), BucketMode.POSTPONE);
  });
});
