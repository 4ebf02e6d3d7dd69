/**
 * INSERT … VALUES literals to values of the target column's type, checked exactly.
 *
 * Which literal fits which column type (Flink's implicit casts for INSERT, kept strict):
 *   numbers        → TINYINT, SMALLINT, INT, BIGINT (integers in range), FLOAT, DOUBLE (finite),
 *                    DECIMAL(p, s) (at most s fraction digits and p digits: never rounded)
 *   'strings'      → CHAR/VARCHAR (at most `length` characters), DATE ('YYYY-MM-DD'),
 *                    TIME ('HH:MM:SS[.f]'), TIMESTAMP ('YYYY-MM-DD HH:MM:SS[.f]'),
 *                    TIMESTAMP_LTZ (the same with an explicit `Z` or `±HH:MM`: lakestate applies
 *                    no session time zone)
 *   X'hex'         → BINARY/VARBINARY (at most `length` bytes)
 *   TRUE, FALSE    → BOOLEAN
 *   DATE/TIME/TIMESTAMP '…' → the type of the same name
 *   ARRAY[…], MAP[…], ROW(…) → ARRAY or VECTOR (exact length), MAP, ROW (one value per field)
 *   NULL           → any nullable type
 *   CAST(v AS T)   → v converted to T explicitly (strings parse as numbers, booleans, dates;
 *                    numbers and booleans print as strings), then T to the column type by the
 *                    rules above; a CAST never truncates or rounds either.
 * Fraction digits beyond a TIME/TIMESTAMP precision are an error, not truncated. Anything else
 * (a string into a BIGINT column, a number into a DATE column) is SqlError("invalid_argument")
 * at the literal, naming the value, the column and its type; MULTISET, VARIANT and BLOB columns
 * take no literals (SqlError("unsupported")).
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts,
 * table/predicate_literal.ts, api/sql/ast.ts (types only), api/sql/source.ts.
 * Mirrors: Flink's implicit casts of INSERT (`LogicalTypeCasts#supportsImplicitCast`), stricter.
 */
import { LakeError } from "../../errors.ts";
import { utf8Encode } from "../../util/bytes.ts";
import { type DataType, describeType, withNullable } from "../../spec/data_types.ts";
import { decimalToString, type Timestamp, type Value } from "../../spec/values.ts";
import { literalForColumn, type LiteralInput } from "../../table/predicate_literal.ts";
import type { SqlExpression } from "./ast.ts";
import { failSql, failSqlUnsupported } from "./source.ts";

const NUMERIC_ROOTS = new Set(["TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL"]);
const STRING_ROOTS = new Set(["CHAR", "VARCHAR"]);
const BINARY_ROOTS = new Set(["BINARY", "VARBINARY"]);
const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:\d{2})$/;
const TEXT_SHOWN_CHARS_MAX = 40;

/**
 * The value of `expr` for a column (or nested field) `column` of `type`. Throws SqlError at the
 * literal's position when it does not fit (see the header).
 */
export function valueOfExpression(expr: SqlExpression, type: DataType, column: string): Value {
  if (expr.kind === "null") {
    if (!type.nullable) failSql(expr.position, `NULL for column ${column}, which is ${describeType(type)}: the column does not take NULL`);
    return null;
  }
  if (expr.kind === "cast") return castToColumn(expr, type, column);
  const value = implicitValue(expr, type, column);
  checkFits(expr, type, column, value);
  return value;
}

/** Java-style spelling of a literal for messages (long strings cut). */
export function describeExpression(expr: SqlExpression): string {
  switch (expr.kind) {
    case "null": return "NULL";
    case "boolean": return expr.value ? "TRUE" : "FALSE";
    case "number": return expr.text;
    case "string": {
      const s = [...expr.value];
      const shown = s.length > TEXT_SHOWN_CHARS_MAX ? s.slice(0, TEXT_SHOWN_CHARS_MAX - 1).join("") + "…" : expr.value;
      return `'${shown.replace(/'/g, "''")}'`;
    }
    case "binary": return `X'${[...expr.bytes.subarray(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase()}${expr.bytes.length > 16 ? "…" : ""}'`;
    case "typed": return `${expr.type} '${expr.text}'`;
    case "cast": return `CAST(${describeExpression(expr.operand)} AS ${describeType(expr.type)})`;
    case "array": return "ARRAY[…]";
    case "map": return "MAP[…]";
    case "row": return "ROW(…)";
  }
}

function misfit(expr: SqlExpression, type: DataType, column: string, why: string): never {
  return failSql(expr.position, `value ${describeExpression(expr)} for column ${column} does not fit ${describeType(type)}: ${why}`);
}

/** What kind of literal a type takes, for messages. */
function expectedLiteral(type: DataType): string {
  const root = type.root;
  if (NUMERIC_ROOTS.has(root)) return "expected a number";
  if (STRING_ROOTS.has(root)) return "expected a 'string'";
  if (BINARY_ROOTS.has(root)) return "expected a binary literal X'…'";
  switch (root) {
    case "BOOLEAN": return "expected TRUE or FALSE";
    case "DATE": return "expected DATE 'YYYY-MM-DD' or 'YYYY-MM-DD'";
    case "TIME": return "expected TIME 'HH:MM:SS' or 'HH:MM:SS'";
    case "TIMESTAMP": return "expected TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.fff]' or the same text as a 'string'";
    case "TIMESTAMP_LTZ": return "expected 'YYYY-MM-DD HH:MM:SS[.fff]' with an explicit Z or ±HH:MM offset";
    case "ARRAY": return "expected ARRAY[…]";
    case "VECTOR": return "expected ARRAY[…]";
    case "MAP": return "expected MAP[…]";
    case "ROW": return "expected ROW(…)";
    default: return "no literal fits this type";
  }
}

/** `literalForColumn` with its errors restated for this literal. */
function viaLiteral(expr: SqlExpression, type: DataType, column: string, input: LiteralInput): Value {
  try {
    return literalForColumn(column, type, input);
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    const marker = `is not a ${describeType(type)}: `;
    const at = error.message.indexOf(marker);
    return misfit(expr, type, column, at >= 0 ? error.message.slice(at + marker.length) : error.message);
  }
}

function implicitValue(expr: SqlExpression, type: DataType, column: string): Value {
  const root = type.root;
  if (root === "MULTISET" || root === "VARIANT" || root === "BLOB") {
    failSqlUnsupported(expr.position, `column ${column} of type ${describeType(type)} takes no literal in INSERT … VALUES`);
  }
  switch (expr.kind) {
    case "number":
      if (NUMERIC_ROOTS.has(root)) return viaLiteral(expr, type, column, { numericText: expr.text });
      break;
    case "string":
      if (STRING_ROOTS.has(root)) return expr.value;
      if (root === "DATE" || root === "TIME" || root === "TIMESTAMP") return viaLiteral(expr, type, column, expr.value);
      if (root === "TIMESTAMP_LTZ") {
        if (!OFFSET_SUFFIX.test(expr.value.trim())) misfit(expr, type, column, `${expectedLiteral(type)} (lakestate applies no session time zone)`);
        return viaLiteral(expr, type, column, expr.value);
      }
      break;
    case "binary":
      if (BINARY_ROOTS.has(root)) return expr.bytes;
      break;
    case "boolean":
      if (root === "BOOLEAN") return expr.value;
      break;
    case "typed":
      if (expr.type === root) return viaLiteral(expr, type, column, expr.text);
      if (expr.type === "TIMESTAMP" && root === "TIMESTAMP_LTZ") misfit(expr, type, column, `${expectedLiteral(type)} (lakestate applies no session time zone)`);
      break;
    case "array":
      if (type.root === "ARRAY" || type.root === "VECTOR") {
        if (type.root === "VECTOR" && expr.elements.length !== type.length) misfit(expr, type, column, `expected ${type.length} elements, found ${expr.elements.length}`);
        const element = type.element;
        return expr.elements.map((e, i) => valueOfExpression(e, element, `${column}[${i + 1}]`));
      }
      break;
    case "map":
      if (type.root === "MAP") {
        const { key, value } = type;
        return expr.entries.map(([k, v], i) => [valueOfExpression(k, key, `${column} key ${i + 1}`), valueOfExpression(v, value, `${column} value ${i + 1}`)] as const);
      }
      break;
    case "row":
      if (type.root === "ROW") {
        if (expr.fields.length !== type.fields.length) {
          misfit(expr, type, column, `expected ${type.fields.length} field values (${type.fields.map((f) => f.name).join(", ")}), found ${expr.fields.length}`);
        }
        return type.fields.map((f, i) => valueOfExpression(expr.fields[i]!, f.type, `${column}.${f.name}`));
      }
      break;
    case "null": case "cast":
      break; // handled by valueOfExpression
  }
  return misfit(expr, type, column, expectedLiteral(type));
}

/** Length, precision and range checks the conversions above leave to the column type. */
function checkFits(expr: SqlExpression, type: DataType, column: string, value: Value): void {
  if (value === null) return;
  switch (type.root) {
    case "CHAR": case "VARCHAR": {
      let chars = 0;
      for (const _ of value as string) chars++;
      if (chars > type.length!) misfit(expr, type, column, `${chars} characters, more than the length ${type.length}`);
      return;
    }
    case "BINARY": case "VARBINARY": {
      const n = (value as Uint8Array).length;
      if (n > type.length!) misfit(expr, type, column, `${n} bytes, more than the length ${type.length}`);
      return;
    }
    case "FLOAT": case "DOUBLE":
      if (!Number.isFinite(value as number)) misfit(expr, type, column, `out of the ${type.root} range`);
      return;
    case "TIME": {
      const p = type.precision ?? 0;
      if (p < 3 && (value as number) % 10 ** (3 - p) !== 0) misfit(expr, type, column, `more than ${p} fraction digits of a second`);
      return;
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = type.precision ?? 6;
      if (p < 9 && nanosOfSecond(value as Timestamp) % 10 ** (9 - p) !== 0) misfit(expr, type, column, `more than ${p} fraction digits of a second`);
      return;
    }
    default:
      return;
  }
}

function nanosOfSecond(ts: Timestamp): number {
  const millisOfSecond = ((ts.epochMillis % 1000) + 1000) % 1000;
  return millisOfSecond * 1_000_000 + ts.nanoOfMillisecond;
}

/** CAST(v AS T) into a column: v to T explicitly, then T to the column type. */
function castToColumn(expr: Extract<SqlExpression, { kind: "cast" }>, columnType: DataType, column: string): Value {
  const castType = withNullable(expr.type, true);
  const value = castValue(expr, castType, column);
  if (value === null) {
    if (!columnType.nullable) failSql(expr.position, `CAST(… AS ${describeType(expr.type)}) gives NULL for column ${column}, which is ${describeType(columnType)}: the column does not take NULL`);
    return null;
  }
  const target = withNullable(columnType, true);
  if (describeType(target) === describeType(castType)) return value;
  const from = castType.root, to = target.root;
  const sameFamily = (NUMERIC_ROOTS.has(from) && NUMERIC_ROOTS.has(to)) || (STRING_ROOTS.has(from) && STRING_ROOTS.has(to)) ||
    (BINARY_ROOTS.has(from) && BINARY_ROOTS.has(to)) || from === to;
  if (!sameFamily) misfit(expr, columnType, column, `the CAST gives a ${describeType(castType)}`);
  const refit = NUMERIC_ROOTS.has(to) ? viaLiteral(expr, target, column, { numericText: numericText(castType, value) }) : value;
  checkFits(expr, target, column, refit);
  return refit;
}

/** Exact text of a numeric value of `type`. */
function numericText(type: DataType, value: Value): string {
  if (type.root === "DECIMAL") return decimalToString(value as bigint, type.scale ?? 0);
  return String(value);
}

/** The explicit conversion of a CAST's operand to the CAST's type. */
function castValue(expr: Extract<SqlExpression, { kind: "cast" }>, type: DataType, column: string): Value {
  const operand = expr.operand;
  const root = type.root;
  const what = `${column} (CAST to ${describeType(type)})`;
  let value: Value | undefined;
  switch (operand.kind) {
    case "null": return null;
    case "cast": {
      const inner = castValue(operand, withNullable(operand.type, true), column);
      if (inner === null) return null;
      if (STRING_ROOTS.has(root) && STRING_ROOTS.has(operand.type.root)) value = inner;
      else if (NUMERIC_ROOTS.has(root) && NUMERIC_ROOTS.has(operand.type.root)) value = viaLiteral(expr, type, what, { numericText: numericText(operand.type, inner) });
      else if (STRING_ROOTS.has(root) && NUMERIC_ROOTS.has(operand.type.root)) value = numericText(operand.type, inner);
      else if (root === operand.type.root) value = inner;
      break;
    }
    case "number":
      if (STRING_ROOTS.has(root)) value = operand.text;
      break;
    case "string": {
      const text = operand.value.trim();
      if (NUMERIC_ROOTS.has(root)) value = viaLiteral(operand, type, what, { numericText: text });
      else if (root === "BOOLEAN" && /^(true|false)$/i.test(text)) value = text.toLowerCase() === "true";
      else if (BINARY_ROOTS.has(root)) value = utf8Encode(operand.value);
      break;
    }
    case "boolean":
      if (STRING_ROOTS.has(root)) value = operand.value ? "TRUE" : "FALSE";
      break;
    case "typed":
      if (STRING_ROOTS.has(root)) value = operand.text;
      break;
    default:
      break;
  }
  if (value === undefined) value = implicitValue(operand, type, what);
  checkFits(expr, type, what, value);
  return value;
}
