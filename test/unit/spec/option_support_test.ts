// Goal: the support check accepts what lakestate supports and names option and value
// otherwise; malformed checked options are invalid_argument; misspelt keys and bad tuning
// values are warnings only.
// Method: the options of every Java-written fixture schema, and single-option variants.
import { assert, describe, readFixtureText, test } from "../../harness.ts";
import type { OptionMap } from "../../../src/spec/core_options_types.ts";
import type { TableKeys } from "../../../src/spec/core_options_view.ts";
import {
  isKnownOptionKey, misspeltKeyGuess, OPTION_SUPPORT, validateTableOptions,
} from "../../../src/spec/option_support.ts";
import { decodeTableSchema } from "../../../src/spec/schema.ts";
import { isLakeError } from "../../../src/errors.ts";

const isInvalid = (re: RegExp) => (e: unknown) => isLakeError(e, "invalid_argument") && re.test((e as Error).message);
const isUnsupported = (re: RegExp) => (e: unknown) => isLakeError(e, "unsupported") && re.test((e as Error).message);

describe("validateTableOptions", () => {
  const PK: TableKeys = { primaryKeys: ["id"], partitionKeys: [] };
  const APPEND: TableKeys = { primaryKeys: [], partitionKeys: [] };
  const check = (options: OptionMap, table: TableKeys = PK, use: "read" | "write" = "write") => validateTableOptions(options, { ...table, use });

  test("every Java fixture table is readable; writability follows the support table", async () => {
    const dir = "paimon/java-tables";
    const cases: [string, boolean][] = [
      ["pk_09.db/pk_09", false], // deletion vectors
      ["pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row", true], // first-row
      ["pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", true],
      ["append_complex_data.db/append_complex_data", true],
      ["append_table_with_alter_table.db/append_table_with_alter_table", true],
      ["paimon-0.5.db/many_pk_table", true], // changelog-producer input
    ];
    for (const [table, writable] of cases) {
      const s = decodeTableSchema(await readFixtureText(`${dir}/${table}/schema/schema-0`));
      assert.deepEqual(validateTableOptions(s.options, { ...s, use: "read" }).warnings, [], table);
      if (writable) check(s.options, s);
      else assert.throws(() => check(s.options, s), isUnsupported(/for write/), table);
    }
  });

  test("unsupported values name option and value", () => {
    assert.throws(() => check({ bucket: "-2" }), isUnsupported(/option 'bucket' = "-2 \(bucket mode postpone\)" is not supported for write by lakestate \(supported: fixed, unaware\)/));
    assert.throws(() => check({ bucket: "-2" }, PK, "read"), isUnsupported(/bucket mode postpone/));
    assert.throws(() => check({}), isUnsupported(/'bucket' = "-1 \(bucket mode dynamic\)"/));
    check({ bucket: "-1" }, APPEND);
    check({ bucket: "3" }, APPEND);
    assert.throws(() => check({ bucket: "2", "file.format": "orc" }, PK, "read"), isUnsupported(/option 'file.format' = "orc" is not supported for read/));
    assert.throws(() => check({ bucket: "2", "file.format": "avro" }), isUnsupported(/'file.format' = "avro"/));
    check({ bucket: "2", "file.format": "avro" }, PK, "read");
    assert.throws(() => check({ bucket: "2", "file.format.per.level": "0:orc" }, PK, "read"), isUnsupported(/'file.format.per.level' = "orc"/));
    assert.throws(() => check({ bucket: "2", "deletion-vectors.enabled": "TRUE" }), isUnsupported(/'deletion-vectors.enabled' = "true"/));
    check({ bucket: "2", "merge-engine": "first-row" });
    check({ bucket: "2", "changelog-producer": "input", "sequence.field": "ts", "partial-update.remove-record-on-delete": "true" });
    check({ bucket: "2", "changelog-producer": "full-compaction", "full-compaction.delta-commits": "2" });
    check({ bucket: "2", "changelog-producer": "lookup", "changelog-producer.row-deduplicate": "true", "lookup-compact": "gentle" });
    check({ bucket: "2", "changelog-producer": "lookup" }, PK, "read");
    assert.throws(() => check({ bucket: "2", "changelog-producer": "lookup", "deletion-vectors.enabled": "true" }), isUnsupported(/'deletion-vectors.enabled' = "true"/));
    assert.throws(() => check({ bucket: "2", "data-file.thin-mode": "true" }, PK, "read"), isUnsupported(/'data-file.thin-mode' = "true"/));
    assert.throws(() => check({ bucket: "2", "data-file.external-paths": "s3://b/x" }), isUnsupported(/'data-file.external-paths'/));
    assert.throws(() => check({ bucket: "2", "merge-engine": "aggregation", "fields.v.aggregate-function": "hll_sketch" }, PK, "read"),
      isUnsupported(/'fields.v.aggregate-function' = "hll_sketch"/));
    assert.throws(() => check({ bucket: "2", "manifest.format": "orc" }, PK, "read"), isUnsupported(/'manifest.format' = "orc"/));
    // merge options of an append table are ignored, as Java ignores them
    check({ "merge-engine": "first-row", "sequence.field": "x" }, APPEND);
  });

  test("malformed checked options are invalid_argument", () => {
    assert.throws(() => check({ bucket: "0" }), isInvalid(/'bucket' has invalid value "0"/));
    assert.throws(() => check({ bucket: "x" }), isInvalid(/'bucket' has invalid value "x"/));
    assert.throws(() => check({ bucket: "2", "merge-engine": "dedup" }), isInvalid(/'merge-engine' has invalid value "dedup"/));
  });

  test("tuning options are accepted; misspellings and bad tuning values are warnings", () => {
    const { warnings } = check({
      bucket: "2", "delete-file.thread-num": "8", "write-buffer-size": "512 mb", "parquet.block.size": "1",
      "bukcet-key": "id", "snapshot.time-retaind": "1 h", "fields.v.agregate-function": "sum", "my.custom.key": "x",
      "commit.max-retries": "ten", "sink.parallelism": "4",
    });
    assert.deepEqual(warnings.sort(), [
      "core options: option 'commit.max-retries' has invalid value \"ten\": expected an integer",
      "core options: unknown option 'bukcet-key' is kept as is; did you mean 'bucket-key'?",
      "core options: unknown option 'fields.v.agregate-function' is kept as is; did you mean 'fields.v.aggregate-function'?",
      "core options: unknown option 'snapshot.time-retaind' is kept as is; did you mean 'snapshot.time-retained'?",
    ]);
    assert.equal(misspeltKeyGuess("bucket"), null);
    assert.equal(misspeltKeyGuess("buckt"), "bucket");
    assert.equal(misspeltKeyGuess("zz"), null);
    assert.ok(isKnownOptionKey("fields.a.b.sequence-group"));
    assert.ok(isKnownOptionKey("file-index.bloom-filter.columns"));
  });

  test("the support table lists the initial support from the brief", () => {
    assert.deepEqual([...OPTION_SUPPORT["merge-engine"].read].sort(), ["aggregation", "deduplicate", "first-row", "partial-update"]);
    assert.deepEqual(OPTION_SUPPORT["file.format"].write, ["parquet"]);
    assert.deepEqual(OPTION_SUPPORT["deletion-vectors.enabled"].write, ["false"]);
  });
});
