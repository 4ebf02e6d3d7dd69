// Goal: value helpers convert exactly: decimal text <-> unscaled bigint with Java's HALF_UP
// rounding and precision limit, timestamps <-> epoch nanos/micros with floor division.
// Method: fixed examples including negative and boundary values.
import { assert, test } from "../../harness.ts";
import {
  decimalFitsPrecision, decimalFromString, decimalToString, timestamp, timestampFromEpochMicros, timestampFromEpochNanos,
  timestampToEpochNanos,
} from "../../../src/spec/values.ts";
import { isLakeError } from "../../../src/errors.ts";

test("decimalFromString: exact, rounded HALF_UP, exponent, precision check", () => {
  assert.equal(decimalFromString("548675771.00000000000000000000", 30, 20), 54867577100000000000000000000n);
  assert.equal(decimalFromString("-3121800083643799333438540749.27", 30, 2), -312180008364379933343854074927n);
  assert.equal(decimalFromString("1.005", 5, 2), 101n);
  assert.equal(decimalFromString("-1.005", 5, 2), -101n);
  assert.equal(decimalFromString("-1.004", 5, 2), -100n);
  assert.equal(decimalFromString("1.5e2", 5, 0), 150n);
  assert.equal(decimalFromString(".5", 3, 0), 1n);
  assert.equal(decimalFromString("-0.00", 3, 2), 0n);
  assert.throws(() => decimalFromString("1000", 3, 0), (e) => isLakeError(e, "invalid_argument"));
  assert.throws(() => decimalFromString("abc", 3, 0), /cannot parse/);
  assert.throws(() => decimalFromString(".", 3, 0), /cannot parse/);
  assert.ok(decimalFitsPrecision(-999n, 3) && !decimalFitsPrecision(-1000n, 3));
});

test("decimalToString is Java's toPlainString", () => {
  assert.equal(decimalToString(-5n, 2), "-0.05");
  assert.equal(decimalToString(12345678998765432145678n, 5), "123456789987654321.45678");
  assert.equal(decimalToString(0n, 3), "0.000");
  assert.equal(decimalToString(-42n, 0), "-42");
});

test("timestamps from nanos and micros use floor division", () => {
  assert.deepEqual(timestampFromEpochNanos(-1n), { epochMillis: -1, nanoOfMillisecond: 999999 });
  assert.deepEqual(timestampFromEpochNanos(1_000_001n), { epochMillis: 1, nanoOfMillisecond: 1 });
  assert.deepEqual(timestampFromEpochMicros(-1001n), { epochMillis: -2, nanoOfMillisecond: 999000 });
  assert.equal(timestampToEpochNanos(timestamp(-2, 999000)), -1001000n);
  assert.throws(() => timestamp(1.5), /not a safe integer/);
  assert.throws(() => timestamp(0, 1_000_000), /0..999999/);
});
