// Goal: schema-evolution casts give exactly Java's results, edge cases included (wrapping,
// saturation, HALF_UP rescale, double rounding of BIGINT → FLOAT, Java's Double/Float.toString
// and DATE/TIME/TIMESTAMP text through the casts to STRING, truncation toward zero of negative
// timestamps). The text routines themselves are checked against JDK vectors in
// test/unit/spec/java_text_vectors_test.ts; here we check the casts use them.
// Method: expected values worked out from the Java sources (CastExecutors rules, DecimalUtils,
// DateTimeUtils, JDK Double.toString specification) and, for dates, from JS Date as an
// independent calendar oracle.
import { assert, describe, test } from "../../harness.ts";
import { compileValueCast, sameTypeIgnoringNullable } from "../../../src/format/data/value_cast.ts";
import { bigintToFloat32, truncateTimestamp } from "../../../src/format/data/numeric_cast.ts";
import { dataTypeFromJson } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { isLakeError } from "../../../src/errors.ts";

function cast(from: unknown, to: unknown, values: Value[]): Value[] {
  const c = compileValueCast(dataTypeFromJson(from), dataTypeFromJson(to), "x");
  assert.ok(c !== null, "expected a cast");
  return values.map((v) => c(v));
}

describe("casts to STRING use Java's text forms", () => {
  test("DOUBLE → STRING is Double.toString", () => {
    const cases: [number, string][] = [
      [1, "1.0"], [100, "100.0"], [0.001, "0.001"], [1e-4, "1.0E-4"], [9999999, "9999999.0"], [1e7, "1.0E7"],
      [12345678.9, "1.23456789E7"], [123456.789, "123456.789"], [-0.5, "-0.5"], [0, "0.0"], [-0, "-0.0"], [NaN, "NaN"],
      [Infinity, "Infinity"], [-Infinity, "-Infinity"], [5e-324, "4.9E-324"], [1.7976931348623157e308, "1.7976931348623157E308"],
      [0.1 + 0.2, "0.30000000000000004"], [1e21, "1.0E21"], [2e-3, "0.002"], [Math.fround(0.1), "0.10000000149011612"],
    ];
    assert.deepEqual(cast("DOUBLE", "STRING", cases.map(([x]) => x)), cases.map(([, text]) => text));
  });

  test("FLOAT → STRING is Float.toString (ties between shortest decimals go to the even digit)", () => {
    const cases: [number, string][] = [
      [Math.fround(0.1), "0.1"], [Math.fround(1.1), "1.1"], [Math.fround(3.4028235e38), "3.4028235E38"], [Math.fround(1.4e-45), "1.4E-45"],
      [Math.fround(16777216), "1.6777216E7"], [Math.fround(-2.5), "-2.5"], [Math.fround(1e-3), "0.001"], [Math.fround(123456.7), "123456.7"],
      // Exact float32 values halfway between two 8-digit decimals; printed by JDK 17.0.15 (JDK 19+ rule is the same).
      [299.453125, "299.45312"], [-45.8203125, "-45.820312"], [2.84765625, "2.8476562"], [4217.03125, "4217.0312"],
    ];
    assert.deepEqual(cast("FLOAT", "STRING", cases.map(([x]) => x)), cases.map(([, text]) => text));
  });

  test("DATE, TIME and TIMESTAMP → STRING", () => {
    const days = [0, -1, 19909, -719162, 2932896, -141427];
    assert.deepEqual(cast("DATE", "STRING", days), days.map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)));
    // Outside Java's calendar arithmetic Paimon's formatDate prints these (test/fixtures/java-text, JDK 25).
    assert.deepEqual(cast("DATE", "STRING", [-2472633, 2147483647]), [",(00-02-31", ")*,0-0+-0("]);
    assert.deepEqual(cast("TIME(3)", "STRING", [45_296_789, 45_296_500, 45_296_000]), ["12:34:56.789", "12:34:56.5", "12:34:56.0"]); // Java stops at the first zero remainder
    assert.deepEqual(cast("TIME(0)", "STRING", [45_296_789]), ["12:34:56"]);
    const ts = { epochMillis: 2_000_000_000_000, nanoOfMillisecond: 1001 };
    const whole = { epochMillis: 2_000_000_000_000, nanoOfMillisecond: 0 };
    assert.deepEqual(cast("TIMESTAMP(9)", "STRING", [ts, { epochMillis: -2_240_521_239_999, nanoOfMillisecond: 1001 }]),
      ["2033-05-18 03:33:20.000001001", "1899-01-01 00:59:20.001001001"]);
    assert.deepEqual(cast("TIMESTAMP(3)", "STRING", [whole]), ["2033-05-18 03:33:20.000"]);
    assert.deepEqual(cast("TIMESTAMP(0)", "STRING", [whole]), ["2033-05-18 03:33:20"]);
  });
});

describe("numeric casts", () => {
  test("integers wrap when narrowed and widen unchanged", () => {
    assert.deepEqual(cast("BIGINT", "INT", [4294967297n, -1n, 2147483648n]), [1, -1, -2147483648]);
    assert.deepEqual(cast("INT", "TINYINT", [300, -129]), [44, 127]);
    assert.deepEqual(cast("TINYINT", "INT", [-5]), [-5]);
    assert.deepEqual(cast("INT", "BIGINT", [-5, 2147483647]), [-5n, 2147483647n]);
    assert.deepEqual(cast("INT", "DOUBLE", [7]), [7]);
  });

  test("floating point to integers truncate and saturate, NaN is 0", () => {
    assert.deepEqual(cast("DOUBLE", "INT", [3.9, -3.9, NaN, 1e10, -1e10]), [3, -3, 0, 2147483647, -2147483648]);
    assert.deepEqual(cast("FLOAT", "TINYINT", [300.5, -1e20]), [44, 0]); // (byte)(int) 300 = 44; (byte) Integer.MIN_VALUE = 0
    assert.deepEqual(cast("DOUBLE", "BIGINT", [1e19, -1e19, -0.5]), [(1n << 63n) - 1n, -(1n << 63n), 0n]);
    assert.deepEqual(cast("DOUBLE", "FLOAT", [0.1]), [Math.fround(0.1)]);
  });

  test("BIGINT → FLOAT rounds once (no double rounding through float64)", () => {
    const x = (1n << 60n) + (1n << 36n) + 1n; // just above half a float ulp: rounds up
    assert.equal(bigintToFloat32(x), 2 ** 60 + 2 ** 37);
    assert.notEqual(Math.fround(Number(x)), 2 ** 60 + 2 ** 37); // the naive way gets it wrong
    assert.equal(bigintToFloat32(-x), -(2 ** 60 + 2 ** 37));
    assert.equal(bigintToFloat32((1n << 60n) + (1n << 36n)), 2 ** 60); // exact tie: to even
    assert.deepEqual(cast("BIGINT", "FLOAT", [x]), [2 ** 60 + 2 ** 37]);
  });

  test("DECIMAL rescales HALF_UP and becomes NULL when it no longer fits", () => {
    assert.deepEqual(cast("DECIMAL(3, 2)", "DECIMAL(2, 1)", [125n, -125n, 124n, 999n]), [13n, -13n, 12n, null]);
    assert.deepEqual(cast("DECIMAL(5, 2)", "DECIMAL(10, 4)", [-12345n]), [-1234500n]);
    assert.deepEqual(cast("INT", "DECIMAL(4, 2)", [12, 100]), [1200n, null]);
    assert.deepEqual(cast("DOUBLE", "DECIMAL(5, 2)", [0.125, -0.125, 0.1]), [13n, -13n, 10n]);
    // FLOAT goes through Double.toString of the widened value: 0.10000000149011612
    assert.deepEqual(cast("FLOAT", "DECIMAL(20, 18)", [Math.fround(0.1)]), [100000001490116120n]);
    assert.deepEqual(cast("BOOLEAN", "DECIMAL(3, 1)", [true, false]), [10n, 0n]);
    assert.deepEqual(cast("DECIMAL(10, 3)", "INT", [-12999n, 12999n]), [-12, 12]);
    assert.deepEqual(cast("DECIMAL(10, 3)", "DOUBLE", [1n]), [0.001]);
    assert.deepEqual(cast("DECIMAL(30, 10)", "DOUBLE", [10n ** 29n + 1n]), [1e19]);
    assert.throws(() => cast("DOUBLE", "DECIMAL(5, 2)", [NaN]), (e: unknown) => isLakeError(e, "unsupported"));
  });

  test("BOOLEAN ↔ integers", () => {
    assert.deepEqual(cast("BOOLEAN", "INT", [true, false]), [1, 0]);
    assert.deepEqual(cast("BOOLEAN", "BIGINT", [true]), [1n]);
    assert.deepEqual(cast("BIGINT", "BOOLEAN", [0n, -3n]), [false, true]);
    assert.deepEqual(cast("SMALLINT", "BOOLEAN", [0, 2]), [false, true]);
  });
});

describe("string, binary and time casts", () => {
  test("to CHAR/VARCHAR: Java text, cut by code points, CHAR padded", () => {
    assert.deepEqual(cast("INT", "STRING", [42, -7]), ["42", "-7"]);
    assert.deepEqual(cast("BIGINT", "VARCHAR(3)", [123456n]), ["123"]);
    assert.deepEqual(cast("INT", "CHAR(4)", [42]), ["42  "]);
    assert.deepEqual(cast("DOUBLE", "STRING", [1e7, 0.5]), ["1.0E7", "0.5"]);
    assert.deepEqual(cast("FLOAT", "STRING", [Math.fround(0.1)]), ["0.1"]);
    assert.deepEqual(cast("DECIMAL(5, 2)", "STRING", [-5n]), ["-0.05"]);
    assert.deepEqual(cast("BOOLEAN", "CHAR(5)", [true]), ["true "]);
    assert.deepEqual(cast("VARCHAR(10)", "VARCHAR(2)", ["😀😀😀", "a"]), ["😀😀", "a"]);
    assert.deepEqual(cast("DATE", "STRING", [0]), ["1970-01-01"]);
    assert.deepEqual(cast("TIME(3)", "STRING", [1]), ["00:00:00.001"]);
    assert.deepEqual(cast("TIMESTAMP(6)", "STRING", [{ epochMillis: 0, nanoOfMillisecond: 1000 }]), ["1970-01-01 00:00:00.000001"]);
    assert.deepEqual(cast("BYTES", "STRING", [Uint8Array.of(0x68, 0x69)]), ["hi"]);
  });

  test("binary casts: BINARY(n) cuts or zero-pads, VARBINARY(n) cuts; strings become UTF-8", () => {
    assert.deepEqual(cast("BYTES", "BINARY(3)", [Uint8Array.of(1), Uint8Array.of(1, 2, 3, 4)]), [Uint8Array.of(1, 0, 0), Uint8Array.of(1, 2, 3)]);
    assert.deepEqual(cast("BYTES", "VARBINARY(2)", [Uint8Array.of(1), Uint8Array.of(1, 2, 3)]), [Uint8Array.of(1), Uint8Array.of(1, 2)]);
    assert.deepEqual(cast("STRING", "BYTES", ["é"]), [Uint8Array.of(0xc3, 0xa9)]);
  });

  test("timestamps: precision truncation (toward zero on millis, as Java), DATE/TIME/epoch seconds", () => {
    assert.deepEqual(truncateTimestamp({ epochMillis: 1500, nanoOfMillisecond: 999 }, 3), { epochMillis: 1500, nanoOfMillisecond: 0 });
    assert.deepEqual(truncateTimestamp({ epochMillis: -1500, nanoOfMillisecond: 0 }, 0), { epochMillis: -1000, nanoOfMillisecond: 0 });
    assert.deepEqual(truncateTimestamp({ epochMillis: 1, nanoOfMillisecond: 123_456 }, 7), { epochMillis: 1, nanoOfMillisecond: 123_400 });
    const t = { epochMillis: 1, nanoOfMillisecond: 5 };
    assert.equal(truncateTimestamp(t, 9), t);
    assert.deepEqual(cast("TIMESTAMP(9)", "TIMESTAMP(6)", [{ epochMillis: 7, nanoOfMillisecond: 123_456 }]), [{ epochMillis: 7, nanoOfMillisecond: 123_000 }]);
    const wider = { epochMillis: 5, nanoOfMillisecond: 0 };
    assert.equal(compileValueCast(dataTypeFromJson("TIMESTAMP(3)"), dataTypeFromJson("TIMESTAMP(6)"), "x")!(wider), wider);
    assert.deepEqual(cast("DATE", "TIMESTAMP(3)", [-1]), [{ epochMillis: -86_400_000, nanoOfMillisecond: 0 }]);
    assert.deepEqual(cast("TIMESTAMP(3)", "DATE", [{ epochMillis: -1, nanoOfMillisecond: 0 }]), [-1]);
    assert.deepEqual(cast("TIMESTAMP(3)", "TIME(3)", [{ epochMillis: -1, nanoOfMillisecond: 0 }]), [86_399_999]);
    assert.deepEqual(cast("TIMESTAMP(3)", "BIGINT", [{ epochMillis: -1500, nanoOfMillisecond: 0 }]), [-1n]);
    assert.deepEqual(cast("BIGINT", "TIMESTAMP(3)", [-2n]), [{ epochMillis: -2000, nanoOfMillisecond: 0 }]);
  });

  test("casts needing the JVM time zone, string parsing or nested-to-string are unsupported", () => {
    const unsupported = [["TIMESTAMP(3)", "TIMESTAMP(3) WITH LOCAL TIME ZONE"], ["TIMESTAMP(3) WITH LOCAL TIME ZONE", "STRING"],
      ["STRING", "INT"], ["STRING", "DATE"], [{ type: "ARRAY", element: "INT" }, "STRING"], ["DATE", "INT"],
      [{ type: "MAP", key: "INT", value: "INT" }, { type: "MAP", key: "BIGINT", value: "INT" }]];
    for (const [from, to] of unsupported) {
      assert.throws(() => compileValueCast(dataTypeFromJson(from), dataTypeFromJson(to), "col"), (e: unknown) => isLakeError(e, "unsupported") && (e as Error).message.includes("col"), JSON.stringify([from, to]));
    }
  });

  test("same types (nullability aside) need no cast; nested casts apply element-wise", () => {
    assert.equal(compileValueCast(dataTypeFromJson("INT NOT NULL"), dataTypeFromJson("INT"), "x"), null);
    assert.ok(sameTypeIgnoringNullable(dataTypeFromJson({ type: "ARRAY NOT NULL", element: "INT" }), dataTypeFromJson({ type: "ARRAY", element: "INT" })));
    assert.ok(!sameTypeIgnoringNullable(dataTypeFromJson({ type: "ARRAY", element: "INT NOT NULL" }), dataTypeFromJson({ type: "ARRAY", element: "INT" })));
    assert.equal(compileValueCast(dataTypeFromJson({ type: "ARRAY", element: "INT NOT NULL" }), dataTypeFromJson({ type: "ARRAY", element: "INT" }), "x"), null);
    assert.deepEqual(cast({ type: "ARRAY", element: "INT" }, { type: "ARRAY", element: "BIGINT" }, [[1, null]]), [[1n, null]]);
    assert.deepEqual(cast({ type: "MAP", key: "STRING", value: "INT" }, { type: "MAP", key: "STRING", value: "STRING" }, [[["a", 1], ["b", null]]]), [[["a", "1"], ["b", null]]]);
  });
});
