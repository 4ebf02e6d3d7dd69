// Goal: partition values give the time Java's PartitionTimeExtractor gives (Java's own test
// vectors: default formatter, patterns, prefix-named keys, a formatter), values Java cannot read
// give null, and the option check refuses exactly the pattern/formatter/type combinations whose
// partitions could never expire, naming the option, its value and an example partition value.
// Method: PartitionTimeExtractorTest.java vectors ported as is; the option check over pairs a
// user would write, each with the reason it must pass or fail.
import { assert, describe, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { parseTypeString, type DataField } from "../../../src/spec/data_types.ts";
import { localDateTimeString } from "../../../src/spec/java_local_date_time.ts";
import { timestamp } from "../../../src/spec/values.ts";
import {
  checkPartitionTimeOptions, createPartitionTimeExtractor, extractPartitionTime, javaValueText, partitionTimestampText,
} from "../../../src/table/partition_time.ts";

function extract(pattern: string | null, formatter: string | null, keys: string[], values: (string | null)[]): string {
  const t = extractPartitionTime(createPartitionTimeExtractor(pattern, formatter), keys, values);
  return t === null ? "null" : localDateTimeString(t);
}

describe("extraction (Java PartitionTimeExtractorTest)", () => {
  test("default formatter", () => {
    assert.equal(extract(null, null, [], ["2023-01-01 20:08:08"]), "2023-01-01T20:08:08");
    assert.equal(extract(null, null, [], ["2023-1-1 20:08:08"]), "2023-01-01T20:08:08");
    assert.equal(extract(null, null, [], ["2023-01-01"]), "2023-01-01T00:00");
    assert.equal(extract(null, null, [], ["2023-1-1"]), "2023-01-01T00:00");
  });

  test("patterns", () => {
    assert.equal(extract("$year-$month-$day 00:00:00", null, ["year", "month", "day"], ["2023", "01", "01"]), "2023-01-01T00:00");
    assert.equal(extract("$year-$month-$day $hour:00:00", null, ["year", "month", "day", "hour"], ["2023", "01", "01", "01"]), "2023-01-01T01:00");
    assert.equal(extract("$dt", null, ["other", "dt"], ["dummy", "2023-01-01"]), "2023-01-01T00:00");
  });

  test("formatter", () => {
    assert.equal(extract(null, "yyyyMMdd", [], ["20230101"]), "2023-01-01T00:00");
  });

  test("prefix variable names: the longest key wins", () => {
    assert.equal(extract("$dt1-$dt-$dt2 00:00:00", null, ["dt1", "dt", "dt2"], ["2023", "01", "02"]), "2023-01-02T00:00");
    assert.equal(extract("$t $t2:$t3:$t4", null, ["t", "t4", "t2", "t3"], ["2023-01-01", "03", "01", "02"]), "2023-01-01T01:02:03");
    assert.equal(extract("$dt1$dt", "MMyyyydd", ["dt", "dt1"], ["01", "022023"]), "2023-02-01T00:00");
  });

  test("values Java cannot read, and nulls the pattern needs, give null", () => {
    assert.equal(extract("$ds", "yyyyMMdd", ["ds"], ["unknown"]), "null");
    assert.equal(extract("$dt $hh:00:00", null, ["dt", "hh"], ["2023-01-01", null]), "null");
    assert.equal(extract("$dt", null, ["dt", "hh"], ["2023-01-01", null]), "2023-01-01T00:00", "an unreferenced null is fine");
    assert.equal(extract(null, null, ["dt"], [null]), "null");
    assert.equal(partitionTimestampText(createPartitionTimeExtractor("$x-$dt", null), ["dt"], ["2023-01-01"]), "$x-2023-01-01", "an unknown $name stays literal");
  });

  test("values are read through Java's toString of the typed value", () => {
    assert.equal(javaValueText(parseTypeString("INT"), 20240102), "20240102");
    assert.equal(javaValueText(parseTypeString("DATE"), 19724), "19724");
    assert.equal(javaValueText(parseTypeString("TIMESTAMP(3)"), timestamp(Date.UTC(2024, 0, 2, 3, 4))), "2024-01-02T03:04");
    assert.equal(javaValueText(parseTypeString("STRING"), null), null);
  });
});

describe("the option check", () => {
  const f = (name: string, type: string, id = 0): DataField => ({ id, name, type: parseTypeString(type) });
  const check = (fields: DataField[], pattern: string | null, formatter: string | null): string => {
    try {
      checkPartitionTimeOptions(fields, { pattern, formatter, defaultName: "__DEFAULT_PARTITION__" });
      return "ok";
    } catch (error) {
      assert.ok(error instanceof LakeError);
      return `${error.code}: ${error.message}`;
    }
  };

  test("combinations that read their values pass", () => {
    assert.equal(check([f("dt", "STRING")], null, null), "ok");
    assert.equal(check([f("dt", "STRING")], "$dt", "yyyyMMdd"), "ok");
    assert.equal(check([f("dt", "INT")], "$dt", "yyyyMMdd"), "ok", "INT 20240102 reads as text 20240102");
    assert.equal(check([f("dt", "STRING"), f("hh", "STRING", 1)], "$dt $hh:00:00", null), "ok");
    assert.equal(check([f("dt", "STRING"), f("hh", "INT", 1)], "$dt $hh:00:00", null), "ok", "the default formatter reads one-digit hours");
    assert.equal(check([f("dt", "STRING"), f("hh", "STRING", 1)], "$dt $hh:00:00", "yyyyMMdd HH:mm:ss"), "ok");
    assert.equal(check([f("year", "INT"), f("month", "INT", 1), f("day", "INT", 2)], "$year-$month-$day", null), "ok");
    assert.equal(check([f("year", "STRING"), f("month", "STRING", 1), f("day", "STRING", 2)], "$year$month$day", "yyyyMMdd"), "ok");
    assert.equal(check([f("ts", "TIMESTAMP(3)")], null, "yyyy-MM-dd'T'HH:mm[:ss]"), "ok");
    assert.equal(check([f("dt1", "STRING"), f("dt", "STRING", 1)], "$dt1$dt", "MMyyyydd"), "ok");
  });

  test("a formatter that yields no date is refused, naming it and an example value", () => {
    const msg = check([f("dt", "STRING")], "$dt", "yyyyMM");
    assert.match(msg, /^invalid_argument: partition expiration: option 'partition.timestamp-formatter' = "yyyyMM"/);
    assert.match(msg, /"202401"/);
    assert.match(msg, /never expire/);
    assert.match(check([f("dt", "STRING")], null, "HH:mm"), /cannot read a date from the text it formats itself \("03:04"/);
  });

  test("INT pieces lose leading zeros that a fixed-width formatter needs", () => {
    const msg = check([f("dt", "STRING"), f("hh", "INT", 1)], "$dt $hh:00:00", "yyyyMMdd HH:mm:ss");
    assert.match(msg, /option 'partition.timestamp-formatter' = "yyyyMMdd HH:mm:ss" with option 'partition.timestamp-pattern' = "\$dt \$hh:00:00"/);
    assert.match(msg, /dt=20240102, hh=3 \(hh is INT, so Java reads "03" as "3"\), giving the text "20240102 3:00:00"/);
    assert.match(check([f("year", "INT"), f("month", "INT", 1), f("day", "INT", 2)], "$year$month$day", "yyyyMMdd"), /year=2024, month=1, day=2 .*"202412"/);
  });

  test("DATE and TIMESTAMP keys print as Java's toString, which the default formatter cannot read", () => {
    assert.match(check([f("dt", "DATE")], null, null), /dt=19724 \(dt is DATE, so Java reads .* as "19724"\)/);
    assert.match(check([f("ts", "TIMESTAMP(3)")], null, null), /ts is TIMESTAMP\(3\), so Java reads .* as "2024-01-02T03:04:05"/);
    assert.match(check([f("b", "BOOLEAN")], null, null), /is not a BOOLEAN value for b/);
  });

  test("patterns naming no key, or an unknown key, are refused naming the pattern", () => {
    assert.match(check([f("dt", "STRING")], "$dtt", null), /option 'partition.timestamp-pattern' = "\$dtt" references \$dtt, which is not a partition key \(partition keys: dt\)/);
    assert.match(check([f("dt", "STRING")], "2024-01-01", null), /references no partition key/);
    assert.match(check([f("dt", "STRING")], "$dt $hour", null), /references \$hour, which is not a partition key/);
  });

  test("bad formatter patterns are refused naming the option", () => {
    assert.match(check([f("dt", "STRING")], null, "yyyy-bb"), /^invalid_argument: partition expiration: option 'partition.timestamp-formatter' = "yyyy-bb" is invalid: .*Unknown pattern letter: b/);
    assert.match(check([f("dt", "STRING")], null, "dd MMM yyyy"), /^unsupported: partition expiration: option 'partition.timestamp-formatter' = "dd MMM yyyy" is invalid/);
  });
});
