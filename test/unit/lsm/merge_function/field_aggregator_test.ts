// Goal: every scalar aggregate function behaves like its Java FieldAggregator on every type it
// accepts: results, null handling, retraction (or Java's refusal), overflow errors, DECIMAL
// precision rules, listagg blank/distinct handling, the factory's type checks and names.
// Method: port of Java's FieldAggregatorTest and FieldAggregatorRetractNullTest (each test names
// its Java method; DECIMAL values are unscaled bigints, DecimalType() is DECIMAL(10, 0)), plus
// per-type tables derived from the Java sources (InternalRowUtils.compare, Math.*Exact,
// DecimalUtils/Decimal.fromBigDecimal).
import { assert, describe, test } from "../../../harness.ts";
import { createFieldAggregator } from "../../../../src/lsm/merge_function/aggregators/factory.ts";
import type { FieldAggregator } from "../../../../src/lsm/merge_function/aggregators/field_aggregator.ts";
import { timestamp, type Value } from "../../../../src/spec/values.ts";
import type { DataType } from "../../../../src/spec/data_types.ts";
import type { OptionMap } from "../../../../src/spec/core_options_types.ts";
import { lakeError, t } from "./merge_test_helpers.ts";

const INT = t("INT"), TINYINT = t("TINYINT"), SMALLINT = t("SMALLINT"), BIGINT = t("BIGINT");
const FLOAT = t("FLOAT"), DOUBLE = t("DOUBLE"), BOOLEAN = t("BOOLEAN"), STRING = t("VARCHAR", { length: 2147483647 });
const DECIMAL = t("DECIMAL", { precision: 10, scale: 0 });

function agg(name: string, type: DataType, options: OptionMap = {}, field = "fieldName"): FieldAggregator {
  return createFieldAggregator(type, field, name, options);
}

function reduce(a: FieldAggregator, values: Value[]): Value {
  return values.reduce((l, r) => a.agg(l, r));
}

const overflow = (pattern: string) => lakeError("invalid_argument", pattern);

describe("value-picking functions", () => {
  test("testFieldBoolAndAgg / testFieldBoolOrAgg", () => {
    const and = agg("bool_and", BOOLEAN), or = agg("bool_or", BOOLEAN);
    assert.equal(and.agg(false, true), false);
    assert.equal(and.agg(true, true), true);
    assert.equal(or.agg(false, true), true);
    assert.equal(or.agg(false, false), false);
    assert.equal(and.agg(null, false), false);
    assert.equal(or.agg(true, null), true);
    assert.equal(and.agg(null, null), null);
  });

  test("testFieldLastNonNullValueAgg / testFieldLastValueAgg", () => {
    const lnn = agg("last_non_null_value", INT), lv = agg("last_value", INT);
    assert.equal(lnn.agg(null, 1), 1);
    assert.equal(lnn.agg(1, null), 1);
    assert.equal(lv.agg(null, 1), 1);
    assert.equal(lv.agg(1, null), null);
  });

  test("testFieldFirstValueAgg / testFieldFirstNonNullValueAgg", () => {
    const fv = agg("first_value", INT);
    assert.equal(fv.agg(null, 1), 1);
    assert.equal(fv.agg(1, 2), 1);
    fv.reset();
    assert.equal(fv.agg(1, 3), 3);
    const fnn = agg("first_non_null_value", INT);
    assert.equal(fnn.agg(null, null), null);
    assert.equal(fnn.agg(null, 1), 1);
    assert.equal(fnn.agg(1, 2), 1);
    fnn.reset();
    assert.equal(fnn.agg(1, 3), 3);
    const legacy = agg("first_not_null_value", INT);
    assert.equal(legacy.agg(null, null), null);
    assert.equal(legacy.agg(null, 5), 5);
    assert.equal(legacy.agg(5, 6), 5);
  });

  test("testFieldMaxAgg / testFieldMinAgg / testFieldMaxMinAggWithBooleanType", () => {
    assert.equal(agg("max", INT).agg(1, 10), 10);
    assert.equal(agg("min", INT).agg(1, 10), 1);
    const max = agg("max", BOOLEAN), min = agg("min", BOOLEAN);
    assert.deepEqual([max.agg(null, true), max.agg(false, null), max.agg(false, false), max.agg(false, true), max.agg(true, false), max.agg(true, true)],
      [true, false, false, true, true, true]);
    assert.deepEqual([min.agg(null, false), min.agg(true, null), min.agg(true, true), min.agg(true, false), min.agg(false, true), min.agg(false, false)],
      [false, true, true, false, false, false]);
  });

  test("testFieldMaxMinAggComparableTypesAreAllSupported: min/max order every comparable type like Java", () => {
    const cases: [DataType, Value, Value][] = [
      [TINYINT, -3, 2], [SMALLINT, -300, 200], [INT, -1, 1], [BIGINT, -(2n ** 62n), 5n],
      [FLOAT, -0, 0], [FLOAT, 1.5, Number.NaN], [DOUBLE, Number.NEGATIVE_INFINITY, -1e300], [DOUBLE, 2.5, Number.NaN],
      [t("DECIMAL", { precision: 4, scale: 2 }), -1n, 1n], [t("DECIMAL", { precision: 30, scale: 2 }), 10n ** 27n, 10n ** 28n],
      [t("CHAR", { length: 1 }), "a", "b"], [t("VARCHAR", { length: 4 }), "\uffff", "\u{1F600}"], // UTF-8 order, not UTF-16
      [t("BINARY", { length: 1 }), new Uint8Array([1]), new Uint8Array([0xff])],
      [t("VARBINARY", { length: 3 }), new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])],
      [t("DATE"), -5, 3], [t("TIME"), 0, 86_399_999],
      [t("TIMESTAMP", { precision: 9 }), timestamp(5, 1), timestamp(5, 2)],
      [t("TIMESTAMP_LTZ", { precision: 3 }), timestamp(-1), timestamp(1)],
    ];
    for (const [type, small, large] of cases) {
      for (const name of ["max", "min"]) {
        const a = agg(name, type);
        const want = name === "max" ? large : small;
        assert.deepEqual(a.agg(small, large), want, `${name} ${type.root}`);
        assert.deepEqual(a.agg(large, small), want, `${name} ${type.root} reversed`);
        assert.deepEqual(a.agg(small, small), small);
        assert.deepEqual(a.agg(null, large), large);
        assert.deepEqual(a.agg(small, null), small);
      }
    }
  });

  test("testFieldMaxMinAggWithIncomparableTypeShouldFail", () => {
    const incomparable: DataType[] = [
      { root: "ARRAY", nullable: true, element: INT }, { root: "MAP", nullable: true, key: INT, value: INT },
      { root: "MULTISET", nullable: true, element: INT }, { root: "ROW", nullable: true, fields: [{ id: 0, name: "f0", type: INT }] },
      t("VARIANT"), t("BLOB"), { root: "VECTOR", nullable: true, element: FLOAT, length: 3 },
    ];
    for (const type of incomparable) {
      assert.throws(() => agg("max", type, {}, "label"), lakeError("invalid_argument", "Data type for max column 'label' must be comparable but was"));
      assert.throws(() => agg("min", type, {}, "label"), lakeError("invalid_argument", "Data type for min column 'label' must be comparable but was"));
    }
  });
});

describe("sum and product", () => {
  test("testFieldSum{Int,Byte,Short,Long,Float,Double,Decimal}Agg", () => {
    const cases: [DataType, (n: number) => Value][] = [
      [INT, (n) => n], [TINYINT, (n) => n], [SMALLINT, (n) => n], [BIGINT, (n) => BigInt(n)],
      [FLOAT, (n) => n], [DOUBLE, (n) => n], [DECIMAL, (n) => BigInt(n)],
    ];
    for (const [type, v] of cases) {
      const sum = agg("sum", type);
      assert.deepEqual(sum.agg(null, v(10)), v(10), type.root);
      assert.deepEqual(sum.agg(v(1), v(10)), v(11), type.root);
      assert.deepEqual(sum.retract(v(10), v(5)), v(5), type.root);
      assert.deepEqual(sum.retract(null, v(5)), v(-5), type.root);
      assert.deepEqual(sum.retract(v(7), null), v(7), type.root);
      assert.equal(sum.retract(null, null), null);
    }
  });

  test("testFieldProduct{Int,Byte,Short,Long,Float,Double,Decimal}Agg", () => {
    const cases: [DataType, (n: number) => Value][] = [
      [INT, (n) => n], [TINYINT, (n) => n], [SMALLINT, (n) => n], [BIGINT, (n) => BigInt(n)],
      [FLOAT, (n) => n], [DOUBLE, (n) => n], [DECIMAL, (n) => BigInt(n)],
    ];
    for (const [type, v] of cases) {
      const product = agg("product", type);
      assert.deepEqual(product.agg(null, v(10)), v(10), type.root);
      assert.deepEqual(product.agg(v(1), v(10)), v(10), type.root);
      assert.deepEqual(product.retract(v(10), v(5)), v(2), type.root);
      assert.equal(product.retract(null, v(5)), null, type.root);
      assert.deepEqual(product.retract(v(10), null), v(10), type.root);
    }
  });

  test("testFieldSum*Overflow and testFieldSum*RetractOverflow", () => {
    const cases: [DataType, Value, Value, Value][] = [
      [TINYINT, 127, -128, 1], [SMALLINT, 32767, -32768, 1], [INT, 2 ** 31 - 1, -(2 ** 31), 1], [BIGINT, 2n ** 63n - 1n, -(2n ** 63n), 1n],
    ];
    for (const [type, max, min, one] of cases) {
      const sum = agg("sum", type);
      const minusOne = typeof one === "bigint" ? -1n : -1;
      assert.throws(() => sum.agg(max, one), overflow("overflow"), type.root);
      assert.throws(() => sum.agg(min, minusOne), overflow("overflow"));
      assert.throws(() => sum.retract(min, one), overflow("overflow"));
      assert.throws(() => sum.retract(max, minusOne), overflow("overflow"));
      assert.throws(() => sum.retract(null, min), overflow("overflow")); // negating MIN_VALUE
    }
    assert.throws(() => agg("sum", TINYINT).agg(127, 1), overflow("byte overflow: 127 + 1 = 128"));
    assert.throws(() => agg("sum", SMALLINT).retract(-32768, 1), overflow("short overflow: -32768 - 1 = -32769"));
    assert.throws(() => agg("sum", INT).agg(2147483647, 1), overflow("int overflow: 2147483647 + 1"));
    assert.throws(() => agg("sum", BIGINT).retract(null, -(2n ** 63n)), overflow("long overflow: --9223372036854775808"));
  });

  test("testFieldProduct*Overflow and testFieldProduct*RetractOverflow", () => {
    assert.throws(() => agg("product", TINYINT).agg(64, 2), overflow("byte overflow: 64 * 2 = 128"));
    assert.throws(() => agg("product", TINYINT).agg(-64, 4), overflow("byte overflow"));
    assert.throws(() => agg("product", SMALLINT).agg(1000, 100), overflow("short overflow"));
    assert.throws(() => agg("product", SMALLINT).agg(-32768, 2), overflow("short overflow"));
    assert.throws(() => agg("product", INT).agg(100_000, 100_000), overflow("int overflow: 100000 * 100000"));
    assert.throws(() => agg("product", INT).agg(-(2 ** 31), -1), overflow("int overflow"));
    assert.throws(() => agg("product", BIGINT).agg(2n ** 63n - 1n, 2n), overflow("long overflow"));
    assert.throws(() => agg("product", BIGINT).agg(-(2n ** 63n), -1n), overflow("long overflow"));
    assert.throws(() => agg("product", TINYINT).retract(-128, -1), overflow("byte overflow: -128 / -1 = 128"));
    assert.throws(() => agg("product", SMALLINT).retract(-32768, -1), overflow("short overflow"));
    assert.throws(() => agg("product", INT).retract(-(2 ** 31), -1), overflow("int overflow: -2147483648 / -1"));
    assert.throws(() => agg("product", BIGINT).retract(-(2n ** 63n), -1n), overflow("long overflow"));
    // the largest exact int products still pass
    assert.equal(agg("product", INT).agg(46340, 46340), 2147395600);
    assert.equal(agg("product", BIGINT).agg(-(2n ** 62n), 2n), -(2n ** 63n));
  });

  test("integer division truncates toward zero; division by zero fails as Java's '/'", () => {
    assert.equal(agg("product", INT).retract(-7, 2), -3);
    assert.equal(agg("product", BIGINT).retract(-7n, 2n), -3n);
    assert.throws(() => agg("product", INT).retract(7, 0), overflow("/ by zero"));
    assert.throws(() => agg("product", BIGINT).retract(7n, 0n), overflow("/ by zero"));
    assert.equal(agg("product", DOUBLE).retract(1, 0), Number.POSITIVE_INFINITY);
  });

  test("FLOAT arithmetic is float32, DOUBLE is float64", () => {
    assert.equal(agg("sum", FLOAT).agg(Math.fround(0.1), Math.fround(0.2)), Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    assert.notEqual(agg("sum", FLOAT).agg(Math.fround(0.1), Math.fround(0.2)), Math.fround(0.1) + Math.fround(0.2));
    assert.equal(agg("sum", DOUBLE).agg(0.1, 0.2), 0.1 + 0.2);
    assert.equal(agg("product", FLOAT).retract(Math.fround(1), Math.fround(3)), Math.fround(1 / 3));
    assert.ok(Object.is(agg("sum", DOUBLE).retract(null, 0), -0));
  });

  test("DECIMAL sum keeps the exact value past the precision while it fits int64 (compact), else null", () => {
    const d52 = t("DECIMAL", { precision: 5, scale: 2 });
    const sum = agg("sum", d52);
    assert.equal(sum.agg(99999n, 1n), 100000n); // 999.99 + 0.01: Java's compact path skips the precision check
    assert.equal(sum.retract(-99999n, 1n), -100000n);
    assert.equal(sum.agg(2n ** 63n - 1n, 1n), null); // int64 overflow falls to BigDecimal: too wide → null
    assert.equal(sum.retract(null, 12345n), -12345n);
    const d20 = t("DECIMAL", { precision: 20, scale: 2 });
    assert.equal(agg("sum", d20).agg(10n ** 19n, 10n ** 19n), 2n * 10n ** 19n);
    assert.equal(agg("sum", d20).agg(10n ** 20n - 1n, 1n), null); // 21 digits > 20
    assert.equal(agg("sum", d20).retract(-(10n ** 20n) + 1n, 1n), null);
  });

  test("DECIMAL product rounds HALF_UP to the scale and becomes null past the precision", () => {
    const d = t("DECIMAL", { precision: 10, scale: 2 });
    const product = agg("product", d);
    assert.equal(product.agg(150n, 250n), 375n); // 1.50 * 2.50 = 3.75
    assert.equal(product.agg(105n, 105n), 110n); // 1.05 * 1.05 = 1.1025 -> 1.10
    assert.equal(product.agg(-115n, 115n), -132n); // -1.3225 -> -1.32
    assert.equal(product.agg(-105n, 5n), -5n); // -1.05 * 0.05 = -0.0525 -> -0.05 (half up on the magnitude)
    assert.equal(agg("product", t("DECIMAL", { precision: 4, scale: 2 })).agg(9999n, 200n), null); // 99.99 * 2 = 199.98: 5 digits
    assert.equal(product.retract(375n, 250n), 150n);
    assert.equal(product.retract(100n, 800n), 13n); // 1 / 8 = 0.125 -> 0.13 (HALF_UP)
    assert.throws(() => product.retract(100n, 300n), overflow("Non-terminating decimal expansion"));
    assert.throws(() => product.retract(100n, 0n), overflow("Division by zero"));
    assert.throws(() => product.retract(0n, 0n), overflow("Division undefined"));
  });

  test("sum and product reject non-numeric types with Java's message", () => {
    assert.throws(() => agg("sum", STRING), lakeError("invalid_argument", "Data type for sum column must be 'NumericType' but was 'STRING'."));
    assert.throws(() => agg("product", BOOLEAN), lakeError("invalid_argument", "Data type for product column must be 'NumericType' but was 'BOOLEAN'."));
    assert.throws(() => agg("bool_and", INT), lakeError("invalid_argument", "Data type for bool and column must be 'BooleanType' but was 'INT'."));
    assert.throws(() => agg("bool_or", INT), lakeError("invalid_argument", "bool or column"));
  });
});

describe("listagg", () => {
  const distinct = { "fields.fieldName.distinct": "true" };
  const s = (...v: string[]) => v;

  test("testFieldListAggWithDefaultDelimiter / WithCustomDelimiter", () => {
    assert.equal(agg("listagg", STRING).agg("user1", "user2"), "user1,user2");
    assert.equal(agg("listagg", STRING, { "fields.fieldName.list-agg-delimiter": "-" }).agg("user1", "user2"), "user1-user2");
  });

  const reductions: [string, OptionMap, string[], string][] = [
    ["testFieldListAggWithDefaultDelimiterAndDistinct", distinct, s("user1", "user2", "user1", "user3"), "user1,user2,user3"],
    ["testFieldListAggWithCustomDelimiterAndEmptyStrings", { ...distinct, "fields.fieldName.list-agg-delimiter": ";" }, s("", ""), ""],
    ["testFieldListAggWithDefaultDelimiterAndDistinctWithMultiUser", distinct, s("user1", "user2", "user1,user3"), "user1,user2,user3"],
    ["testFieldListAggWithDefaultDelimiterAndDistinctWithEmptyLeftUser", distinct, s("", "user2", "user1,user3"), "user2,user1,user3"],
    ["testFieldListAggWithCustomDelimiterAndDistinctWithMultiKvString", { ...distinct, "fields.fieldName.list-agg-delimiter": ";" },
      s("k1=v1;k2=v2", "k1=v1;k3=v3", ""), "k1=v1;k2=v2;k3=v3"],
    ["testFieldListAggWithCustomDelimiterDistinctMultiKvStringWithWhiteSpace", { ...distinct, "fields.fieldName.list-agg-delimiter": " " },
      s("k1=v1 k2=v2", " k1=v1  k3=v3", " "), "k1=v1 k2=v2 k3=v3"],
    ["testFieldListAggWithDefaultDelimiterAndDistinctWithMultiDuplicatedKvString", distinct, s("k1=v1,k2=v2", "k1=v1,k2=v3", ""), "k1=v1,k2=v2,k2=v3"],
    ["testFieldListAggWithDefaultDelimiterIgnoringBlankValues", {},
      s("user1", "", " ", "   ", "\t", "\n", "\r", "\r\n", " \t\n ", " \t\n\r\n \u3000 ", "user2", "\u3000", "\u2000"), "user1,user2"],
    ["testFieldListAggWithDefaultDelimiterAndDistinctIgnoringBlankValues", distinct,
      s("user1", "user2", "user1", "user3", "", " ", "   ", "\t", "\n", "\r", "\r\n", " \t\n ", " \t\n\r\n \u3000 ", "user2", "user3", "\u3000", "\u2000"),
      "user1,user2,user3"],
    ["non-breaking spaces are not blank (Character.isWhitespace)", {}, s("a", "\u00a0", "\u2007", "\u202f"), "a,\u00a0,\u2007,\u202f"],
    ["empty delimiter splits on ' ' for distinct but concatenates with ''", { ...distinct, "fields.fieldName.list-agg-delimiter": "" }, s("a b", "b c"), "a bc"],
  ];
  for (const [name, options, values, want] of reductions) {
    test(name, () => assert.equal(reduce(agg("listagg", STRING, options), values), want));
  }

  test("testFieldListAggDistinctShouldNotMatchSubstring / SubstringWithCustomDelimiter", () => {
    assert.equal(agg("listagg", STRING, distinct).agg("abc,def,asd", "ab,xy"), "abc,def,asd,ab,xy");
    assert.equal(agg("listagg", STRING, { ...distinct, "fields.fieldName.list-agg-delimiter": ";" }).agg("abc;def;asd", "ab;xy;def"), "abc;def;asd;ab;xy");
  });

  test("testFieldListAggFirstNonBlankValueWithoutLeadingDelimiter and null handling", () => {
    const a = agg("listagg", STRING);
    assert.equal(a.agg(a.agg(null, " "), "first line"), "first line");
    assert.equal(a.agg(null, null), null);
    assert.equal(a.agg("x", null), "x");
  });

  test("testFieldListAggWithBoundedVarcharShouldFail and CHAR", () => {
    assert.throws(() => agg("listagg", t("VARCHAR", { length: 100 })),
      lakeError("invalid_argument", "Data type for list agg column must be STRING (unbounded VARCHAR), but was VARCHAR(100)"));
    assert.throws(() => agg("listagg", t("CHAR", { length: 3 })), lakeError("invalid_argument", "Data type for list agg column must be 'VarCharType' but was 'CHAR(3)'."));
  });
});

describe("retraction support (FieldAggregatorRetractNullTest)", () => {
  test("functions without retraction fail with Java's message", () => {
    const refusing: [string, DataType, Value][] = [
      ["first_value", INT, 1], ["first_non_null_value", INT, 1], ["min", INT, 1], ["max", INT, 1],
      ["listagg", STRING, "a"], ["bool_and", BOOLEAN, true], ["bool_or", BOOLEAN, true],
    ];
    for (const [name, type, v] of refusing) {
      assert.throws(() => agg(name, type).retract(v, v),
        lakeError("unsupported", `Aggregate function '${name}' does not support retraction, If you allow this function to ignore retraction messages, you can configure 'fields.fieldName.ignore-retract'='true'.`));
    }
  });

  test("testLastValueAgg / testLastNonNullValueAgg / testFieldSumAgg / testFieldProductAgg / testFieldPrimaryKeyAgg", () => {
    assert.equal(agg("last_value", INT).retract(1, 1), null);
    assert.equal(agg("last_non_null_value", INT).retract(1, 1), null);
    assert.equal(agg("last_non_null_value", INT).retract(1, null), 1);
    assert.notEqual(agg("sum", INT).retract(1, 1), null);
    assert.notEqual(agg("product", INT).retract(1, 1), null);
    assert.equal(agg("primary-key", INT).retract(1, 7), 7);
    assert.equal(agg("primary-key", INT).agg(1, null), null);
  });

  test("ignore-retract keeps the accumulator; it conflicts with aggregation.remove-record-on-delete", () => {
    const a = agg("max", INT, { "fields.fieldName.ignore-retract": "true" });
    assert.equal(a.agg(1, 5), 5);
    assert.equal(a.retract(5, 5), 5);
    assert.throws(() => agg("max", INT, { "fields.fieldName.ignore-retract": "true", "aggregation.remove-record-on-delete": "true" }),
      lakeError("invalid_argument", "have conflicting behavior"));
    assert.throws(() => agg("max", INT, { "fields.fieldName.ignore-retract": "yes" }), lakeError("invalid_argument", "fields.fieldName.ignore-retract"));
  });
});

describe("function names", () => {
  test("names are case-sensitive and unknown or unimplemented names are unsupported, naming field and function", () => {
    assert.throws(() => agg("SUM", INT, {}, "amount"), lakeError("unsupported", "field 'amount' uses aggregate function 'SUM'"));
    assert.throws(() => agg("median", INT, {}, "amount"), lakeError("unsupported", "aggregate function 'median'"));
    for (const name of ["rbm32", "rbm64", "theta_sketch", "hll_sketch", "nested_update", "nested_partial_update"]) {
      assert.throws(() => agg(name, t("VARBINARY", { length: 20 }), {}, "v"), lakeError("unsupported", `aggregate function '${name}' of field 'v' is not supported by lakestate`));
    }
  });
});
