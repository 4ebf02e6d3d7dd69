// Goal: the column type changes ALTER TABLE accepts are exactly Java's: DataTypeCasts.supportsCast
// (implicit rules, explicit rules when allowed, nullable → NOT NULL only explicitly) and a rule
// in CastExecutors for the pair.
// Method: pairs worked out by hand from the Java rule tables (release-2.0), both accepted and
// refused ones, including Java's quirks (DATE/TIME/TIMESTAMP convert only to the exact nullable
// STRING type; ARRAY to ARRAY has no cast rule although the roots agree).
import { assert, describe, test } from "../../harness.ts";
import { atomic, parseTypeString, type DataType } from "../../../src/spec/data_types.ts";
import { castRuleExists, equalsIgnoringNullability, supportsCast } from "../../../src/spec/data_type_casts.ts";

const t = (s: string): DataType => parseTypeString(s);
const arrayOf = (e: DataType): DataType => ({ root: "ARRAY", nullable: true, element: e });

describe("supportsCast", () => {
  test("implicit widening is allowed without explicit casts, narrowing is not", () => {
    for (const [from, to] of [["INT", "BIGINT"], ["TINYINT", "SMALLINT"], ["INT", "DOUBLE"], ["BIGINT", "FLOAT"], ["DECIMAL(10, 2)", "DOUBLE"],
      ["CHAR(3)", "STRING"], ["BINARY(2)", "BYTES"], ["DATE", "DATE"], ["TIMESTAMP(3)", "DATE"], ["TIMESTAMP(3)", "TIMESTAMP(6)"],
      ["INT", "DECIMAL(5, 0)"], ["TIMESTAMP(6)", "TIMESTAMP(6) WITH LOCAL TIME ZONE"]]) {
      assert.ok(supportsCast(t(from!), t(to!), false), `${from} -> ${to}`);
    }
    for (const [from, to] of [["BIGINT", "INT"], ["STRING", "INT"], ["INT", "STRING"], ["DOUBLE", "FLOAT"], ["DATE", "TIMESTAMP(3)"], ["INT", "BOOLEAN"]]) {
      assert.ok(!supportsCast(t(from!), t(to!), false), `${from} -> ${to} needs an explicit cast`);
      assert.ok(supportsCast(t(from!), t(to!), true), `${from} -> ${to} explicitly`);
    }
  });

  test("never castable, even explicitly", () => {
    for (const [from, to] of [["DATE", "INT"], ["DOUBLE", "BOOLEAN"], ["BYTES", "INT"], ["INT", "BYTES"], ["BOOLEAN", "DATE"], ["VARIANT", "INT"], ["INT", "VARIANT"]]) {
      assert.ok(!supportsCast(t(from!), t(to!), true), `${from} -> ${to}`);
    }
    assert.ok(!supportsCast(t("INT"), arrayOf(t("INT")), true));
  });

  test("nullable to NOT NULL needs explicit casts; equal types ignore nullability", () => {
    assert.ok(!supportsCast(t("INT"), t("INT NOT NULL"), false));
    assert.ok(supportsCast(t("INT"), t("INT NOT NULL"), true));
    assert.ok(supportsCast(t("INT NOT NULL"), t("INT"), false));
    assert.ok(equalsIgnoringNullability(arrayOf(t("INT")), { ...arrayOf(t("INT")), nullable: false }));
    assert.ok(!equalsIgnoringNullability(arrayOf(t("INT")), arrayOf(t("INT NOT NULL"))), "nested nullability counts");
  });
});

describe("castRuleExists", () => {
  test("pairs with a CastExecutors rule", () => {
    for (const [from, to] of [["INT", "BIGINT"], ["BIGINT", "INT"], ["DOUBLE", "DECIMAL(10, 2)"], ["DECIMAL(10, 2)", "DECIMAL(5, 1)"],
      ["STRING", "INT"], ["INT", "VARCHAR(3)"], ["BOOLEAN", "INT"], ["INT", "BOOLEAN"], ["STRING", "BOOLEAN"], ["DATE", "STRING"],
      ["TIME", "STRING"], ["TIMESTAMP(3)", "STRING"], ["DATE", "TIMESTAMP(3)"], ["TIMESTAMP(9)", "BIGINT"], ["BIGINT", "TIMESTAMP(3)"],
      ["BYTES", "BINARY(3)"], ["BYTES", "STRING"], ["STRING", "BYTES"], ["STRING", "DATE"], ["TIMESTAMP(3)", "TIME"]]) {
      assert.ok(castRuleExists(t(from!), t(to!)), `${from} -> ${to}`);
    }
    assert.ok(castRuleExists(arrayOf(t("INT")), t("STRING")));
  });

  test("pairs without one (Java's quirks included)", () => {
    for (const [from, to] of [["DATE", "VARCHAR(10)"], ["DATE", "STRING NOT NULL"], ["TIMESTAMP(3)", "CHAR(30)"], ["DOUBLE", "BOOLEAN"],
      ["TIMESTAMP(3)", "SMALLINT"], ["VARIANT", "STRING"], ["DATE", "INT"], ["BOOLEAN", "DATE"]]) {
      assert.ok(!castRuleExists(t(from!), t(to!)), `${from} -> ${to}`);
    }
    assert.ok(!castRuleExists(arrayOf(t("INT")), arrayOf(t("BIGINT"))), "ARRAY to ARRAY has no rule");
    assert.ok(!castRuleExists(atomic("BLOB"), t("BYTES")));
  });
});
