// Goal: the typed field readers accept exactly their type and range (int64 over its full range,
// int32, string) and name the caller, the field, the expectation and the value found otherwise.
// Method: one parsed object holding the int64 extremes, values one past the limits, a fraction
// and a string, read through each reader.
import { assert, describe, test } from "../../harness.ts";
import { parseJson, type JsonValue } from "../../../src/util/json.ts";
import { INT64_MAX, INT64_MIN, jsonInt32, jsonInt64, jsonString, toInt64 } from "../../../src/util/json_fields.ts";
import { isLakeError } from "../../../src/errors.ts";

describe("typed field readers", () => {
  const o = parseJson('{"a":9223372036854775807,"b":1.5,"c":"x","d":2147483648,"e":-9223372036854775809}') as Record<string, JsonValue>;
  test("int64 accepts the full range and names bad values", () => {
    assert.equal(jsonInt64(o, "a", "snapshot"), INT64_MAX);
    assert.equal(toInt64(-9223372036854775808n), INT64_MIN);
    assert.throws(() => jsonInt64(o, "e", "snapshot"), /snapshot: field "e" must be a 64-bit integer, got -9223372036854775809/);
    assert.throws(() => jsonInt64(o, "b", "snapshot"), /got 1.5/);
    assert.throws(() => jsonInt64(o, "zz", "snapshot"), /field "zz" must be a 64-bit integer, got nothing/);
  });
  test("int32 and string", () => {
    assert.throws(() => jsonInt32(o, "d", "schema"), /schema: field "d" must be a 32-bit integer, got 2147483648/);
    assert.equal(jsonString(o, "c", "schema"), "x");
    assert.throws(() => jsonString(o, "a", "schema"), (e: unknown) => isLakeError(e, "corruption"));
  });
});
