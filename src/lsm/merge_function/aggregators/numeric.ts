/**
 * `sum` and `product`: exact integer arithmetic with Java's overflow errors, float32/float64
 * arithmetic, and DECIMAL arithmetic that keeps the column's precision and scale.
 *
 * Mirrors `FieldSumAgg`, `FieldProductAgg` and the `DecimalUtils.add/subtract`,
 * `Decimal.fromBigDecimal` rules they use:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/FieldSumAgg.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/FieldProductAgg.java
 *
 * Invariants (all from Java):
 *  - Null handling: `agg` returns the other side when one side is null. `sum.retract(null, x)`
 *    is `-x`; `product.retract` with a null side returns the accumulator.
 *  - TINYINT/SMALLINT/INT/BIGINT: an out-of-range result is LakeError("invalid_argument") with
 *    Java's ArithmeticException text (`int overflow: 2147483647 + 1`); integer division
 *    truncates toward zero and division by zero fails (`/ by zero`).
 *  - FLOAT results are rounded to float32; DOUBLE is plain IEEE arithmetic.
 *  - DECIMAL(p ≤ 18) sum/difference keeps the exact unscaled result while it fits in int64,
 *    even past p digits (Java's compact path skips the precision check); beyond int64, and for
 *    p > 18 beyond p digits, the result is null. Negation, products and quotients go through
 *    `fromBigDecimal`: rounded HALF_UP to the scale, null when wider than p digits. A quotient
 *    with a non-terminating decimal expansion, or a division by zero, fails as BigDecimal does.
 *
 * Imports: errors.ts (via field_aggregator), spec/data_types.ts, spec/values.ts,
 * aggregators/field_aggregator.ts.
 */
import { describeType, type DataType } from "../../../spec/data_types.ts";
import { decimalFitsPrecision, pow10, type Value } from "../../../spec/values.ts";
import { aggregationError, FieldAggregator } from "./field_aggregator.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Integer range and Java name of each exact integer type. */
const INT_TYPES: Readonly<Record<string, { min: number; max: number; java: string }>> = {
  TINYINT: { min: -128, max: 127, java: "byte" },
  SMALLINT: { min: -32768, max: 32767, java: "short" },
  INT: { min: -(2 ** 31), max: 2 ** 31 - 1, java: "int" },
};

/** True for Paimon's NUMERIC family (what sum and product accept). */
export function isNumericType(type: DataType): boolean {
  return ["TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL"].includes(type.root);
}

type Op = "+" | "-" | "*" | "/";

function intOp(type: DataType, op: Op, a: number, b: number): number {
  const t = INT_TYPES[type.root]!;
  let v: number;
  if (op === "/") {
    if (b === 0) throw aggregationError("/ by zero");
    v = Math.trunc(a / b);
  } else if (op === "*" && type.root === "INT") {
    const big = BigInt(a) * BigInt(b);
    if (big < BigInt(t.min) || big > BigInt(t.max)) throw aggregationError(`int overflow: ${a} * ${b}`);
    return Number(big);
  } else {
    v = op === "+" ? a + b : op === "-" ? a - b : a * b;
  }
  if (v < t.min || v > t.max) {
    // byte/short messages carry the widened result, int messages do not (as in Java)
    throw aggregationError(type.root === "INT" ? `int overflow: ${a} ${op} ${b}` : `${t.java} overflow: ${a} ${op} ${b} = ${v}`);
  }
  return v;
}

function longOp(op: Op, a: bigint, b: bigint): bigint {
  if (op === "/") {
    if (b === 0n) throw aggregationError("/ by zero");
    if (a === INT64_MIN && b === -1n) throw aggregationError(`long overflow: ${a} / ${b}`);
    return a / b;
  }
  const v = op === "+" ? a + b : op === "-" ? a - b : a * b;
  if (v < INT64_MIN || v > INT64_MAX) throw aggregationError(`long overflow: ${a} ${op} ${b}`);
  return v;
}

/** Rounds num/den to an integer, HALF_UP on the magnitude (BigDecimal RoundingMode.HALF_UP). */
function divideHalfUp(num: bigint, den: bigint): bigint {
  const negative = (num < 0n) !== (den < 0n);
  const n = num < 0n ? -num : num, d = den < 0n ? -den : den;
  const q = n / d, r = n % d;
  const m = r * 2n >= d ? q + 1n : q;
  return negative ? -m : m;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Decimal.fromBigDecimal: the unscaled value if it fits `precision` digits, else null. */
function fitOrNull(unscaled: bigint, precision: number): bigint | null {
  return decimalFitsPrecision(unscaled, precision) ? unscaled : null;
}

function decimalOp(type: DataType, op: Op, a: bigint, b: bigint): bigint | null {
  const { precision, scale } = type as { precision: number; scale: number };
  switch (op) {
    case "+": case "-": {
      const v = op === "+" ? a + b : a - b;
      if (precision <= 18) return v >= INT64_MIN && v <= INT64_MAX ? v : null;
      return fitOrNull(v, precision);
    }
    case "*":
      return fitOrNull(divideHalfUp(a * b, pow10(scale)), precision);
    case "/": {
      if (b === 0n) throw aggregationError(a === 0n ? "Division undefined" : "Division by zero");
      let den = b / gcd(a, b);
      if (den < 0n) den = -den;
      while (den % 2n === 0n) den /= 2n;
      while (den % 5n === 0n) den /= 5n;
      if (den !== 1n) throw aggregationError("Non-terminating decimal expansion; no exact representable decimal result.");
      return fitOrNull(divideHalfUp(a * pow10(scale), b), precision);
    }
  }
}

/** `a op b` for two non-null values of a numeric `type`, with Java's semantics. */
function numericOp(type: DataType, op: Op, a: Value, b: Value): Value {
  switch (type.root) {
    case "TINYINT": case "SMALLINT": case "INT": return intOp(type, op, a as number, b as number);
    case "BIGINT": return longOp(op, a as bigint, b as bigint);
    case "FLOAT": return Math.fround(floatOp(op, a as number, b as number));
    case "DOUBLE": return floatOp(op, a as number, b as number);
    case "DECIMAL": return decimalOp(type, op, a as bigint, b as bigint);
    default: throw aggregationError(`type ${describeType(type)} not support in numeric aggregation`);
  }
}

function floatOp(op: Op, a: number, b: number): number {
  return op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
}

function negate(type: DataType, v: Value): Value {
  switch (type.root) {
    case "TINYINT": case "SMALLINT": case "INT": {
      const t = INT_TYPES[type.root]!, n = -(v as number);
      if (n > t.max) throw aggregationError(type.root === "INT" ? `int overflow: -${v}` : `${t.java} overflow: -${v} = ${n}`);
      return n === 0 ? 0 : n; // never -0 for integers
    }
    case "BIGINT":
      if (v === INT64_MIN) throw aggregationError(`long overflow: -${v}`);
      return -(v as bigint);
    case "FLOAT": case "DOUBLE": return -(v as number);
    case "DECIMAL": return fitOrNull(-(v as bigint), (type as { precision: number }).precision);
    default: throw aggregationError(`type ${describeType(type)} not support in numeric aggregation`);
  }
}

/** `sum`: adds inputs; retract subtracts (and negates into an empty accumulator). */
export class SumAggregator extends FieldAggregator {
  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator === null ? input : accumulator;
    return numericOp(this.fieldType, "+", accumulator, input);
  }

  override retract(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator === null ? (input === null ? null : negate(this.fieldType, input)) : accumulator;
    return numericOp(this.fieldType, "-", accumulator, input);
  }
}

/** `product`: multiplies inputs; retract divides. */
export class ProductAggregator extends FieldAggregator {
  override agg(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator === null ? input : accumulator;
    return numericOp(this.fieldType, "*", accumulator, input);
  }

  override retract(accumulator: Value, input: Value): Value {
    if (accumulator === null || input === null) return accumulator;
    return numericOp(this.fieldType, "/", accumulator, input);
  }
}
