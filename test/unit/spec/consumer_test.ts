// Goal: consumer files are read and written as Java's `Consumer` JSON: Jackson's pretty printer
// (`{\n  "nextSnapshot" : N\n}`), int64 values exact, unknown keys ignored, anything else a
// corruption error naming the field.
// Method: literal texts in Java's layout (the same printer as snapshot files), round trips of
// edge values, and malformed inputs.
import { assert, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { decodeConsumer, encodeConsumer } from "../../../src/spec/consumer.ts";

test("encodes as Java's pretty-printed Consumer JSON", () => {
  assert.equal(encodeConsumer({ nextSnapshot: 5n }), '{\n  "nextSnapshot" : 5\n}');
  assert.equal(encodeConsumer({ nextSnapshot: 9223372036854775807n }), '{\n  "nextSnapshot" : 9223372036854775807\n}');
});

test("decodes Java's layout, compact JSON and unknown keys; round-trips int64 edges", () => {
  assert.deepEqual(decodeConsumer('{\n  "nextSnapshot" : 42\n}'), { nextSnapshot: 42n });
  assert.deepEqual(decodeConsumer('{"other":"x","nextSnapshot":7}'), { nextSnapshot: 7n });
  for (const n of [0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n]) {
    assert.deepEqual(decodeConsumer(encodeConsumer({ nextSnapshot: n })), { nextSnapshot: n });
  }
});

test("malformed consumer files are corruption errors; bad values cannot be encoded", () => {
  for (const text of ["", "[]", "{}", '{"nextSnapshot":"5"}', '{"nextSnapshot":1.5}', '{"nextSnapshot":9223372036854775808}', "{nextSnapshot:1}"]) {
    assert.throws(() => decodeConsumer(text), (e: unknown) => e instanceof LakeError && e.code === "corruption" && e.message.startsWith("consumer:"), text);
  }
  assert.throws(() => encodeConsumer({ nextSnapshot: 2n ** 63n }), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument");
  assert.throws(() => encodeConsumer({ nextSnapshot: 5 as unknown as bigint }), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument");
});
