// Goal: option values parse as Java parses them, and the typed option table is consistent
// (unique keys, defaults that parse, no key both typed and untyped).
// Method: vectors from Java's MemorySize/TimeUtils/OptionsUtils rules, and a walk over every
// typed definition checked through the validator.
import { assert, describe, test } from "../../harness.ts";
import {
  CORE_OPTION_SPECS, parseBooleanOption, parseDurationMs, parseEnumOption, parseIntOption, parseLongOption,
  parseMapOption, parseMemorySizeBytes,
} from "../../../src/spec/core_options.ts";
import { MergeEngine } from "../../../src/spec/core_options_types.ts";
import { OTHER_KNOWN_OPTION_KEYS } from "../../../src/spec/core_options_keys_other.ts";
import { validateTableOptions } from "../../../src/spec/option_support.ts";
import { isLakeError } from "../../../src/errors.ts";

const isInvalid = (re: RegExp) => (e: unknown) => isLakeError(e, "invalid_argument") && re.test((e as Error).message);

describe("value parsers and the option table", () => {
  test("memory sizes: units are powers of 1024, case and space insensitive", () => {
    assert.equal(parseMemorySizeBytes("k", "256 mb"), 268435456n);
    assert.equal(parseMemorySizeBytes("k", "64kb"), 65536n);
    assert.equal(parseMemorySizeBytes("k", "500 B"), 500n);
    assert.equal(parseMemorySizeBytes("k", "1024"), 1024n);
    assert.equal(parseMemorySizeBytes("k", " 2 GiBiBytes "), 2n * 1024n ** 3n);
    assert.equal(parseMemorySizeBytes("k", "1t"), 1024n ** 4n);
    assert.equal(parseMemorySizeBytes("k", "9223372036854775807 b"), 9223372036854775807n);
    assert.throws(() => parseMemorySizeBytes("write-buffer-size", "256 mega"), isInvalid(/option 'write-buffer-size' has invalid value "256 mega"/));
    assert.throws(() => parseMemorySizeBytes("k", "1.5 mb"), isInvalid(/"1.5 mb"/));
    assert.throws(() => parseMemorySizeBytes("k", "-1 mb"), isInvalid(/"-1 mb"/));
    assert.throws(() => parseMemorySizeBytes("k", "9999999999 tb"), isInvalid(/below 2\^63/));
  });

  test("durations: ms without unit; d, h, min/m, s, ms, µs, ns and long forms", () => {
    assert.equal(parseDurationMs("k", "7d"), 7 * 86_400_000);
    assert.equal(parseDurationMs("k", "1 h"), 3_600_000);
    assert.equal(parseDurationMs("k", "30 min"), 1_800_000);
    assert.equal(parseDurationMs("k", "30 m"), 1_800_000);
    assert.equal(parseDurationMs("k", "10 s"), 10_000);
    assert.equal(parseDurationMs("k", "2 Hours"), 7_200_000);
    assert.equal(parseDurationMs("k", "250"), 250);
    assert.equal(parseDurationMs("k", "1500 µs"), 1.5);
    assert.throws(() => parseDurationMs("snapshot.time-retained", "1 week"), isInvalid(/option 'snapshot.time-retained' has invalid value "1 week"/));
    assert.throws(() => parseDurationMs("k", "h"), isInvalid(/"h"/));
  });

  test("ints, longs, booleans, enums, maps", () => {
    assert.equal(parseIntOption("bucket", "-1"), -1);
    assert.equal(parseIntOption("bucket", "+4"), 4);
    assert.throws(() => parseIntOption("bucket", "2147483648"), isInvalid(/'bucket' has invalid value "2147483648": expected a 32-bit integer/));
    assert.throws(() => parseIntOption("bucket", " 4"), isInvalid(/" 4"/));
    assert.equal(parseLongOption("x", "-9223372036854775808"), -9223372036854775808n);
    assert.equal(parseBooleanOption("x", "TRUE"), true);
    assert.throws(() => parseBooleanOption("write-only", "yes"), isInvalid(/'write-only' has invalid value "yes": expected true or false/));
    assert.equal(parseEnumOption("merge-engine", "PARTIAL-UPDATE", Object.values(MergeEngine)), "partial-update");
    assert.throws(() => parseEnumOption("merge-engine", "partial_update", Object.values(MergeEngine)), isInvalid(/"partial_update": expected one of deduplicate/));
    assert.deepEqual(parseMapOption("x", "0:avro, 5 : parquet"), { "0": "avro", "5": "parquet" });
    assert.deepEqual(parseMapOption("x", "'a,b:c',d:\"e\"\"f\""), { "a,b": "c", d: "e\"f" });
    assert.throws(() => parseMapOption("x", "'a':b"), isInvalid(/after a quoted part/)); // Java: illegal quoting
    assert.throws(() => parseMapOption("file.format.per.level", "0avro"), isInvalid(/'file.format.per.level'/));
  });

  test("the option table is consistent: defaults parse, no duplicate keys", () => {
    const seen = new Set<string>();
    for (const spec of CORE_OPTION_SPECS) {
      assert.ok(!seen.has(spec.key), `duplicate ${spec.key}`);
      seen.add(spec.key);
      assert.ok(!OTHER_KNOWN_OPTION_KEYS.has(spec.key), `${spec.key} is both typed and untyped`);
      assert.deepEqual(validateTableOptions(spec.defaultValue === null ? {} : { [spec.key]: spec.defaultValue }, { primaryKeys: [], partitionKeys: [], use: "read" }).warnings, []);
    }
    assert.ok(OTHER_KNOWN_OPTION_KEYS.has("type") && OTHER_KNOWN_OPTION_KEYS.has("sink.parallelism"));
  });
});
