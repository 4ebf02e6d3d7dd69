/**
 * Write input values: checks each value a user hands to a writer against its column type and
 * brings it into the value model of spec/values.ts, so that nothing invalid reaches a buffer.
 *
 * Accepted per type (strict otherwise; LakeError("invalid_argument") names the column, the row
 * and what was expected):
 * | type                         | accepted                                                      |
 * |------------------------------|---------------------------------------------------------------|
 * | BOOLEAN                      | boolean                                                       |
 * | TINYINT, SMALLINT, INT       | integer number in range (or bigint in range)                  |
 * | BIGINT                       | bigint in int64 range, or a safe-integer number               |
 * | FLOAT                        | number, rounded to float32 (Java's `(float)` cast)            |
 * | DOUBLE                       | number                                                        |
 * | DECIMAL(p, s)                | bigint (the unscaled value, as read paths return it), or       |
 * |                              | decimal text like "12.34" / "-1e3" (rounded HALF_UP to s)     |
 * | DATE                         | integer days since 1970-01-01, or a JS Date at UTC midnight   |
 * | TIME(p)                      | integer milliseconds of the day, 0..86399999                  |
 * | TIMESTAMP(p), _LTZ(p)        | `{epochMillis, nanoOfMillisecond}` or a JS Date; digits beyond |
 * |                              | p are truncated, as Java's fixed-precision storage does       |
 * | CHAR, VARCHAR                | string                                                        |
 * | BINARY, VARBINARY            | Uint8Array                                                    |
 * | ARRAY, VECTOR(n)             | array of element values (VECTOR: exactly n)                   |
 * | MAP                          | array of [key, value] pairs, or a JS Map                      |
 * | MULTISET                     | array of [element, count] pairs                               |
 * | ROW                          | array of field values, or an object keyed by field name       |
 * | VARIANT                      | `{value, metadata}` of Uint8Arrays                            |
 * `undefined` counts as null. NOT NULL is checked at every nesting level. Numbers are never
 * accepted for DECIMAL (binary floating point would silently change the value).
 *
 * Mirrors what Java's typed `InternalRow` accessors accept; no Java class (Java gets typed rows).
 * Imports: errors.ts, spec (data_types, values, binary_section for showValue).
 */
import { LakeError } from "../../errors.ts";
import { showValue } from "../../spec/binary_section.ts";
import { describeType, type DataType } from "../../spec/data_types.ts";
import {
  decimalFitsPrecision, decimalFromString, isTimestamp, isVariant, MILLIS_PER_DAY, type Timestamp, type Value,
} from "../../spec/values.ts";

const NOUN = "write";
const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  TINYINT: [-128, 127], SMALLINT: [-32768, 32767], INT: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Where a value sits, for messages: `column "v", row 3` (+ a nested path). */
export interface ValuePlace {
  readonly column: string;
  readonly row: number;
}

function placeText(place: ValuePlace, path: string): string {
  return `column ${JSON.stringify(place.column)}${path}, row ${place.row}`;
}

function bad(type: DataType, place: ValuePlace, path: string, expected: string, value: unknown): never {
  throw new LakeError("invalid_argument", `${NOUN}: ${placeText(place, path)} expects ${expected} for ${describeType(type)}, got ${showValue(value)}`);
}

/** LakeError for a null in a NOT NULL position. */
export function nullNotAllowed(place: ValuePlace, path = "", type?: DataType): LakeError {
  return new LakeError("invalid_argument", `${NOUN}: ${placeText(place, path)} is null (or missing) but the ${type === undefined ? "column" : describeType(type)} is NOT NULL`);
}

/** Truncates a timestamp to `precision` fractional digits (Java stores p ≤ 3 as millis, ≤ 6 as micros). */
function truncateTimestamp(ts: Timestamp, precision: number): Timestamp {
  if (precision >= 9 || ts.nanoOfMillisecond === 0) return ts;
  if (precision <= 3) return { epochMillis: ts.epochMillis, nanoOfMillisecond: 0 };
  const unit = 10 ** (9 - precision);
  return { epochMillis: ts.epochMillis, nanoOfMillisecond: ts.nanoOfMillisecond - (ts.nanoOfMillisecond % unit) };
}

/**
 * The value of `type` for `input` (see the header), or null. Throws LakeError("invalid_argument")
 * for a value that does not fit, and for null where `type` (or a nested type) is NOT NULL.
 */
export function normalizeValue(type: DataType, input: unknown, place: ValuePlace, path = ""): Value {
  if (input === null || input === undefined) {
    if (!type.nullable) throw nullNotAllowed(place, path, type);
    return null;
  }
  switch (type.root) {
    case "BOOLEAN":
      if (typeof input !== "boolean") bad(type, place, path, "a boolean", input);
      return input;
    case "TINYINT": case "SMALLINT": case "INT": {
      const [lo, hi] = INT_RANGES[type.root]!;
      const n = typeof input === "bigint" && input >= BigInt(lo) && input <= BigInt(hi) ? Number(input) : input;
      if (typeof n !== "number" || !Number.isInteger(n) || n < lo || n > hi) bad(type, place, path, `an integer in ${lo}..${hi}`, input);
      return n === 0 ? 0 : n; // never -0
    }
    case "BIGINT":
      if (typeof input === "bigint" && input >= INT64_MIN && input <= INT64_MAX) return input;
      if (typeof input === "number" && Number.isSafeInteger(input)) return BigInt(input);
      return bad(type, place, path, "a bigint in the int64 range or a safe integer number", input);
    case "FLOAT":
      if (typeof input !== "number") bad(type, place, path, "a number", input);
      return Math.fround(input);
    case "DOUBLE":
      if (typeof input !== "number") bad(type, place, path, "a number", input);
      return input;
    case "DECIMAL": return decimalValue(type, input, place, path);
    case "DATE": {
      if (input instanceof Date) {
        const ms = input.getTime();
        if (!Number.isFinite(ms) || ms % MILLIS_PER_DAY !== 0) bad(type, place, path, "a Date at UTC midnight", input);
        return ms / MILLIS_PER_DAY;
      }
      if (typeof input !== "number" || !Number.isInteger(input) || input < -2147483648 || input > 2147483647) {
        bad(type, place, path, "integer days since 1970-01-01", input);
      }
      return input;
    }
    case "TIME":
      if (typeof input !== "number" || !Number.isInteger(input) || input < 0 || input >= MILLIS_PER_DAY) {
        bad(type, place, path, "integer milliseconds of the day (0..86399999)", input);
      }
      return input;
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const precision = type.precision ?? 6;
      if (input instanceof Date) {
        const ms = input.getTime();
        if (!Number.isFinite(ms)) bad(type, place, path, "a valid Date", input);
        return { epochMillis: ms, nanoOfMillisecond: 0 };
      }
      if (!isTimestamp(input) || !Number.isSafeInteger(input.epochMillis) || !Number.isInteger(input.nanoOfMillisecond) ||
        input.nanoOfMillisecond < 0 || input.nanoOfMillisecond > 999_999) {
        bad(type, place, path, "{epochMillis, nanoOfMillisecond} or a Date", input);
      }
      return truncateTimestamp({ epochMillis: input.epochMillis, nanoOfMillisecond: input.nanoOfMillisecond }, precision);
    }
    case "CHAR": case "VARCHAR":
      if (typeof input !== "string") bad(type, place, path, "a string", input);
      return input;
    case "BINARY": case "VARBINARY":
      if (!(input instanceof Uint8Array)) bad(type, place, path, "a Uint8Array", input);
      return input;
    case "VARIANT":
      if (!isVariant(input)) bad(type, place, path, "{value, metadata} Uint8Arrays", input);
      return { value: input.value, metadata: input.metadata };
    case "BLOB":
      throw new LakeError("unsupported", `${NOUN}: ${placeText(place, path)}: writing BLOB columns is not supported`);
    case "ARRAY": case "VECTOR": {
      if (!Array.isArray(input)) bad(type, place, path, "an array", input);
      if (type.root === "VECTOR" && input.length !== type.length) bad(type, place, path, `an array of ${type.length} elements`, input);
      return input.map((e, i) => normalizeValue(type.element, e, place, `${path}[${i}]`));
    }
    case "MULTISET": case "MAP": {
      const entries = input instanceof Map ? [...input.entries()] : input;
      if (!Array.isArray(entries)) bad(type, place, path, type.root === "MAP" ? "an array of [key, value] pairs or a Map" : "an array of [element, count] pairs", input);
      const keyType = type.root === "MAP" ? type.key : type.element;
      const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
      return entries.map((entry: unknown, i) => {
        if (!Array.isArray(entry) || entry.length !== 2) bad(type, place, `${path}[${i}]`, "a [key, value] pair", entry);
        return [normalizeValue(keyType, entry[0], place, `${path}[${i}].key`), normalizeValue(valueType, entry[1], place, `${path}[${i}].value`)] as const;
      });
    }
    case "ROW": {
      const fields = type.fields;
      if (Array.isArray(input)) {
        if (input.length !== fields.length) bad(type, place, path, `an array of ${fields.length} field values`, input);
        return fields.map((f, i) => normalizeValue(f.type, input[i], place, `${path}.${f.name}`));
      }
      if (typeof input !== "object" || input instanceof Uint8Array) bad(type, place, path, "an array of field values or an object", input);
      const record = input as Record<string, unknown>;
      for (const name of Object.keys(record)) {
        if (!fields.some((f) => f.name === name)) bad(type, place, path, `fields ${fields.map((f) => f.name).join(", ")} (no field ${JSON.stringify(name)})`, input);
      }
      return fields.map((f) => normalizeValue(f.type, record[f.name], place, `${path}.${f.name}`));
    }
  }
}

function decimalValue(type: DataType, input: unknown, place: ValuePlace, path: string): bigint {
  const p = (type as { precision?: number }).precision ?? 10;
  const s = (type as { scale?: number }).scale ?? 0;
  if (typeof input === "bigint") {
    if (!decimalFitsPrecision(input, p)) bad(type, place, path, `an unscaled bigint of at most ${p} digits`, input);
    return input;
  }
  if (typeof input === "string") {
    try {
      return decimalFromString(input, p, s);
    } catch (error) {
      bad(type, place, path, `decimal text that fits DECIMAL(${p}, ${s}) (${(error as Error).message})`, input);
    }
  }
  return bad(type, place, path, "an unscaled bigint or decimal text (numbers are refused: binary floating point)", input);
}
