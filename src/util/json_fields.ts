/**
 * Typed field readers for decoders of persisted JSON (schema, snapshot, tag, consumer files):
 * `obj[key]` as an int64, int32, string, string array or string map, with the int64/int32
 * range constants.
 *
 * Invariants:
 *  - A reader returns exactly the parsed value or throws LakeError("corruption") whose message
 *    starts with the caller's noun `where`, names the field, the expected type and the value
 *    found (shortened to 80 characters; "nothing" when absent).
 *  - int64 values are bigint within [INT64_MIN, INT64_MAX]; int32 values are numbers within
 *    [INT32_MIN, INT32_MAX]. `...OrNull` readers treat an absent key and JSON null alike.
 *
 * Imports: errors.ts, util/json.ts. Java Paimon reads these fields through Jackson (`JsonNode`
 * getters in `SchemaSerializer`, `@JsonProperty` creators in `Snapshot`); these readers are the
 * strict counterpart, failing where a wrong type would otherwise be coerced:
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/schema/SchemaSerializer.java
 */
import { LakeError } from "../errors.ts";
import { isJsonObject, stringifyJson, type JsonObject } from "./json.ts";

/** Smallest int64 (Java Long.MIN_VALUE). */
export const INT64_MIN = -(2n ** 63n);
/** Largest int64 (Java Long.MAX_VALUE). */
export const INT64_MAX = 2n ** 63n - 1n;
/** Smallest int32 (Java Integer.MIN_VALUE). */
export const INT32_MIN = -(2 ** 31);
/** Largest int32 (Java Integer.MAX_VALUE). */
export const INT32_MAX = 2 ** 31 - 1;

function describeJson(value: unknown): string {
  if (value === undefined) return "nothing";
  try {
    const s = stringifyJson(value);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(value);
  }
}

function fieldError(where: string, key: string, expected: string, value: unknown): LakeError {
  return new LakeError("corruption", `${where}: field "${key}" must be ${expected}, got ${describeJson(value)}`);
}

/** Converts a parsed JSON integer to an int64 bigint, or returns null when it is not one. */
export function toInt64(value: unknown): bigint | null {
  let big: bigint;
  if (typeof value === "bigint") big = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
  else return null;
  return big >= INT64_MIN && big <= INT64_MAX ? big : null;
}

/** `obj[key]` as an int64; absent, null or non-integer is an error. */
export function jsonInt64(obj: JsonObject, key: string, where: string): bigint {
  const v = toInt64(obj[key]);
  if (v === null) throw fieldError(where, key, "a 64-bit integer", obj[key]);
  return v;
}

/** `obj[key]` as an int64, or null when absent or JSON null. */
export function jsonInt64OrNull(obj: JsonObject, key: string, where: string): bigint | null {
  const raw = obj[key];
  return raw === undefined || raw === null ? null : jsonInt64(obj, key, where);
}

/** `obj[key]` as an int32; absent, null, fractional or out of range is an error. */
export function jsonInt32(obj: JsonObject, key: string, where: string): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
    throw fieldError(where, key, "a 32-bit integer", v);
  }
  return v;
}

/** `obj[key]` as a string; absent or any other type is an error. */
export function jsonString(obj: JsonObject, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== "string") throw fieldError(where, key, "a string", v);
  return v;
}

/** `obj[key]` as a string, or null when absent or JSON null. */
export function jsonStringOrNull(obj: JsonObject, key: string, where: string): string | null {
  const v = obj[key];
  return v === undefined || v === null ? null : jsonString(obj, key, where);
}

/** `obj[key]` as an array of strings; absent or malformed is an error. */
export function jsonStringArray(obj: JsonObject, key: string, where: string): string[] {
  const v = obj[key];
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) throw fieldError(where, key, "an array of strings", v);
  return v as string[];
}

/** `obj[key]` as an object of string values, or null when absent or JSON null. */
export function jsonStringMapOrNull(obj: JsonObject, key: string, where: string): Record<string, string> | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (!isJsonObject(v) || !Object.values(v).every((s) => typeof s === "string")) {
    throw fieldError(where, key, "an object of string values", v);
  }
  return v as Record<string, string>;
}
