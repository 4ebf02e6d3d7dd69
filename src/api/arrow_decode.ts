/**
 * Arrow `Data` → value model: the inverse of arrow_encode.ts, for `arrow.Table` input to writers.
 *
 * Accepted Arrow types per Paimon type (anything else is LakeError("invalid_argument") naming
 * the column path, the Arrow type and the expected Paimon type):
 * - BOOLEAN: Bool.
 * - TINYINT/SMALLINT/INT/BIGINT: any Int (8..64 bits, signed or unsigned); each value must fit.
 * - FLOAT: Float32, or Float64 whose values are float32-exact; DOUBLE: Float64 or Float32.
 * - DATE: DateDay, or DateMillisecond of whole days. TIME: any Time unit that is whole millis.
 * - TIMESTAMP: Timestamp without timezone; TIMESTAMP_LTZ: Timestamp with any timezone (Arrow
 *   stores UTC instants either way). Any unit, as long as no value is finer than precision p.
 * - DECIMAL(p, s): Decimal (64, 128 or 256 bits) of scale s; each value must fit p digits.
 * - CHAR/VARCHAR: Utf8, LargeUtf8, Utf8View. BINARY/VARBINARY: Binary, LargeBinary,
 *   FixedSizeBinary, BinaryView.
 * - ARRAY: List, LargeList, FixedSizeList. VECTOR<T, n>: the same, every value of n elements.
 * - MAP/MULTISET: Map_ (MULTISET counts: any Int that fits INT). ROW: Struct, children matched
 *   by name (missing or extra children are errors).
 * - Any type: Dictionary of an accepted value type; Null when the Paimon type is nullable.
 * NOT NULL is enforced: a null where the Paimon type is NOT NULL is an error (a ROW field may
 * be null where its ROW is null). Strings must be valid UTF-8. Bytes are copied, never aliased.
 *
 * Imports: apache-arrow, errors.ts, spec/*, util/bytes.ts, api/int64_words.ts.
 */
import { Type, makeVector } from "apache-arrow";
import type { Data, Decimal, Dictionary, FixedSizeBinary, FixedSizeList, Int, Struct, Timestamp as ArrowTimestamp, Vector } from "apache-arrow";
import { LakeError } from "../errors.ts";
import { describeType } from "../spec/data_types.ts";
import type { AtomicType, CollectionType, DataType, MapType, RowType, VectorType } from "../spec/data_types.ts";
import { MILLIS_PER_DAY, pow10 } from "../spec/values.ts";
import type { Value } from "../spec/values.ts";
import { utf8Decode } from "../util/bytes.ts";
import { readScaledInt64 } from "./int64_words.ts";

const INT64_MAX = 2n ** 63n - 1n;
const INT_RANGE: Record<string, readonly [number, number, number]> = {
  TINYINT: [-128, 127, 8], SMALLINT: [-32768, 32767, 16], INT: [-2147483648, 2147483647, 32],
};
const UNIT_DIGITS = [0, 3, 6, 9] as const; // arrow TimeUnit SECOND, MILLISECOND, MICROSECOND, NANOSECOND

function mismatch(data: Data, type: DataType, path: string, why = ""): never {
  throw new LakeError("invalid_argument",
    `arrow: column "${path}" has Arrow type ${String(data.type)}, expected one matching Paimon ${describeType(type)}${why}`);
}

function badValue(path: string, index: number, shown: string, why: string): never {
  throw new LakeError("invalid_argument", `arrow: column "${path}" row ${index}: value ${shown} ${why}`);
}

/** True when row `index` of `data` is null (validity bitmap, honouring the Data offset). */
function isNullAt(data: Data, index: number): boolean {
  if (data.nullCount <= 0) return false;
  const bit = data.offset + index;
  return (data.nullBitmap[bit >> 3]! & (1 << (bit & 7))) === 0;
}

/**
 * Throws LakeError("invalid_argument") when `type` is NOT NULL and `values[from..to)` holds a
 * null at a position where `parent` (the enclosing ROW data, if any) is not null.
 */
export function checkNotNull(values: readonly Value[], from: number, to: number, type: DataType, path: string, parent: Data | null = null): void {
  if (type.nullable) return;
  for (let i = from; i < to; i++) {
    if (values[i] === null && (parent === null || !isNullAt(parent, i))) {
      throw new LakeError("invalid_argument", `arrow: column "${path}" row ${i}: null in a NOT NULL Paimon ${describeType(type)} column`);
    }
  }
}

/**
 * Decodes the `data.length` values of `data` into `out[at..at + data.length)` as values of
 * Paimon `type` (see the header for what is accepted). Does not check NOT NULL of `type` itself
 * (callers do, with `checkNotNull`), but does for nested elements.
 */
export function decodeColumnData(data: Data, type: DataType, path: string, out: Value[], at: number): void {
  const n = data.length;
  if (data.typeId === Type.Null) {
    if (!type.nullable) mismatch(data, type, path);
    for (let i = 0; i < n; i++) out[at + i] = null;
    return;
  }
  if (data.typeId === Type.Dictionary) return decodeDictionary(data as Data<Dictionary>, type, path, out, at);
  switch (type.root) {
    case "BOOLEAN": {
      if (data.typeId !== Type.Bool) mismatch(data, type, path);
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const bit = data.offset + i;
        out[at + i] = isNullAt(data, i) ? null : (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;
      }
      return;
    }
    case "TINYINT": case "SMALLINT": case "INT": case "BIGINT": return decodeInteger(data, type, path, out, at);
    case "FLOAT": case "DOUBLE": return decodeFloat(data, type, path, out, at);
    case "DATE": return decodeDate(data, type, path, out, at);
    case "TIME": return decodeTime(data, type, path, out, at);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return decodeTimestamp(data, type, path, out, at);
    case "DECIMAL": return decodeDecimal(data, type, path, out, at);
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": return decodeBytesLike(data, type, path, out, at);
    case "ARRAY": case "VECTOR": return decodeList(data, type, path, out, at);
    case "MAP": case "MULTISET": return decodeMap(data, type, path, out, at);
    case "ROW": return decodeRow(data, type, path, out, at);
    case "VARIANT": case "BLOB":
      throw new LakeError("unsupported", `arrow: column "${path}" has Paimon type ${type.root}, which has no Arrow mapping`);
  }
}

/** Decodes every chunk of `vector` into one new array. */
export function decodeVector(vector: Vector, type: DataType, path: string): Value[] {
  const out = new Array<Value>(vector.length);
  let at = 0;
  for (const chunk of vector.data) {
    decodeColumnData(chunk, type, path, out, at);
    at += chunk.length;
  }
  return out;
}

function decodeDictionary(data: Data<Dictionary>, type: DataType, path: string, out: Value[], at: number): void {
  const dictionary = data.dictionary;
  if (dictionary === undefined) mismatch(data, type, path, " (dictionary without values)");
  const entries = decodeVector(dictionary, type, path);
  const indices = data.values;
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const k = Number(indices[i]);
    if (!(k >= 0 && k < entries.length)) badValue(path, i, String(k), `is not an index into a dictionary of ${entries.length} entries`);
    out[at + i] = entries[k]!;
  }
}

function decodeInteger(data: Data, type: DataType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Int) mismatch(data, type, path);
  const { bitWidth, isSigned } = data.type as Int;
  const values = data.values as ArrayLike<number | bigint>;
  const n = data.length;
  if (type.root === "BIGINT") {
    for (let i = 0; i < n; i++) {
      if (isNullAt(data, i)) { out[at + i] = null; continue; }
      const v = values[i]!;
      if (typeof v === "bigint") {
        if (!isSigned && v > INT64_MAX) badValue(path, i, String(v), "does not fit Paimon BIGINT");
        out[at + i] = v;
      } else {
        out[at + i] = BigInt(v);
      }
    }
    return;
  }
  const [min, max, bits] = INT_RANGE[type.root]!;
  const lossless = isSigned ? bitWidth <= bits : bitWidth < bits;
  for (let i = 0; i < n; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const raw = values[i]!;
    const v = typeof raw === "bigint" ? (raw >= BigInt(min) && raw <= BigInt(max) ? Number(raw) : Infinity) : raw;
    if (!lossless && !(v >= min && v <= max)) badValue(path, i, String(raw), `does not fit Paimon ${type.root}`);
    out[at + i] = v;
  }
}

function decodeFloat(data: Data, type: DataType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Float) mismatch(data, type, path);
  const values = data.values;
  if (!(values instanceof Float32Array || values instanceof Float64Array)) mismatch(data, type, path, " (Float16 is not accepted)");
  const checkFloat32 = type.root === "FLOAT" && values instanceof Float64Array;
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const v = values[i]!;
    if (checkFloat32 && Math.fround(v) !== v && v === v) badValue(path, i, String(v), "is not exactly representable as Paimon FLOAT");
    out[at + i] = v;
  }
}

function decodeDate(data: Data, type: DataType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Date) mismatch(data, type, path);
  const values = data.values as Int32Array | BigInt64Array;
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const raw = values[i]!;
    if (typeof raw === "number") { out[at + i] = raw; continue; }
    const days = raw / BigInt(MILLIS_PER_DAY);
    if (days * BigInt(MILLIS_PER_DAY) !== raw || days < -2147483648n || days > 2147483647n) {
      badValue(path, i, `${raw} ms`, "is not a whole day in the int32 range of Paimon DATE");
    }
    out[at + i] = Number(days);
  }
}

function decodeTime(data: Data, type: DataType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Time) mismatch(data, type, path);
  const unitDigits = UNIT_DIGITS[(data.type as unknown as { unit: number }).unit]!;
  const values = data.values as Int32Array | BigInt64Array;
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const raw = Number(values[i]!);
    const millis = unitDigits === 0 ? raw * 1000 : unitDigits === 3 ? raw : unitDigits === 6 ? raw / 1000 : raw / 1_000_000;
    if (!Number.isInteger(millis) || millis < 0 || millis >= MILLIS_PER_DAY) {
      badValue(path, i, String(values[i]), `is not a whole-millisecond time of day for Paimon ${describeType(type)}`);
    }
    out[at + i] = millis;
  }
}

function decodeTimestamp(data: Data, type: AtomicType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Timestamp) mismatch(data, type, path);
  const { unit, timezone } = data.type as ArrowTimestamp;
  const hasZone = timezone !== null && timezone !== undefined && timezone !== "";
  if (type.root === "TIMESTAMP" && hasZone) mismatch(data, type, path, " (a timestamp with a timezone is an instant: use TIMESTAMP_LTZ)");
  if (type.root === "TIMESTAMP_LTZ" && !hasZone) mismatch(data, type, path, " (TIMESTAMP_LTZ needs an Arrow timestamp with a timezone)");
  const unitDigits = UNIT_DIGITS[unit]!;
  const precision = type.precision ?? 6;
  const finerFactor = unitDigits > precision ? 10 ** (9 - precision) : 0;
  const values = data.values as BigInt64Array;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  const factor = unitDigits === 6 ? 1000 : unitDigits === 9 ? 1_000_000 : 1;
  const qr = new Float64Array(2);
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    let millis = 0, nanos = 0;
    if (readScaledInt64(words, i, factor, qr)) {
      millis = unitDigits === 0 ? qr[0]! * 1000 : qr[0]!;
      nanos = unitDigits === 6 ? qr[1]! * 1000 : qr[1]!;
    } else {
      millis = NaN;
    }
    if (!Number.isSafeInteger(millis)) badValue(path, i, String(values[i]), "is outside the timestamp range of the value model");
    if (finerFactor !== 0 && (((millis % 1000) + 1000) % 1000 * 1_000_000 + nanos) % finerFactor !== 0) {
      badValue(path, i, String(values[i]), `has more fraction digits than Paimon ${describeType(type)}`);
    }
    out[at + i] = { epochMillis: millis, nanoOfMillisecond: nanos };
  }
}

function decodeDecimal(data: Data, type: AtomicType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Decimal) mismatch(data, type, path);
  const arrow = data.type as Decimal;
  const precision = type.precision ?? 10;
  if (arrow.scale !== (type.scale ?? 0)) mismatch(data, type, path, ` (scale ${arrow.scale} differs)`);
  const limit = pow10(precision);
  const check = arrow.precision > precision;
  const raw = data.values as Uint32Array;
  const words = raw.byteOffset % 8 === 0 ? raw : raw.slice(); // a BigInt64Array view needs 8-byte alignment
  const limbs = arrow.bitWidth / 64;
  const halves = new BigInt64Array(words.buffer, words.byteOffset, (words.length / 2) | 0);
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    let v: bigint;
    const lo = halves[limbs * i]!;
    if (limbs === 1) {
      v = lo;
    } else {
      const top = halves[limbs * i + limbs - 1]!;
      const signOnly = top === (lo < 0n ? -1n : 0n);
      let allSign = signOnly;
      for (let k = 1; allSign && k < limbs - 1; k++) allSign = halves[limbs * i + k] === top;
      if (allSign) {
        v = lo;
      } else {
        v = top;
        for (let k = limbs - 2; k >= 0; k--) v = (v << 64n) + BigInt.asUintN(64, halves[limbs * i + k]!);
      }
    }
    if (check && (v >= limit || v <= -limit)) badValue(path, i, String(v), `(unscaled) does not fit Paimon ${describeType(type)}`);
    out[at + i] = v;
  }
}

function decodeBytesLike(data: Data, type: DataType, path: string, out: Value[], at: number): void {
  const text = type.root === "CHAR" || type.root === "VARCHAR";
  const t = data.typeId;
  const n = data.length;
  if (text ? t === Type.Utf8 : t === Type.Binary) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < n; i++) {
      if (isNullAt(data, i)) { out[at + i] = null; continue; }
      const start = offsets[i]!, end = offsets[i + 1]!;
      out[at + i] = text ? utf8Slice(bytes, start, end, path, i) : bytes.slice(start, end);
    }
    return;
  }
  if (!text && t === Type.FixedSizeBinary) {
    const width = (data.type as FixedSizeBinary).byteWidth;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < n; i++) out[at + i] = isNullAt(data, i) ? null : bytes.slice(i * width, (i + 1) * width);
    return;
  }
  const generic = text ? (t === Type.LargeUtf8 || t === Type.Utf8View) : (t === Type.LargeBinary || t === Type.BinaryView);
  if (!generic) mismatch(data, type, path);
  // Rare layouts: go through arrow-js accessors (they decode UTF-8 per value).
  const vector = makeVector(data);
  for (let i = 0; i < n; i++) {
    const v = isNullAt(data, i) ? null : (vector.get(i) as string | Uint8Array);
    out[at + i] = v instanceof Uint8Array ? v.slice() : v;
  }
}

/** Decodes UTF-8 bytes [start, end): short ASCII inline, the rest through a fatal TextDecoder. */
function utf8Slice(bytes: Uint8Array, start: number, end: number, path: string, index: number): string {
  if (end - start <= 16) {
    let s = "";
    let k = start;
    for (; k < end; k++) {
      const c = bytes[k]!;
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (k === end) return s;
  }
  try {
    return utf8Decode(bytes.subarray(start, end));
  } catch (cause) {
    throw new LakeError("invalid_argument", `arrow: column "${path}" row ${index}: invalid UTF-8 in a string value`, { cause });
  }
}

function decodeList(data: Data, type: CollectionType | VectorType, path: string, out: Value[], at: number): void {
  const t = data.typeId;
  if (t !== Type.List && t !== Type.LargeList && t !== Type.FixedSizeList) mismatch(data, type, path);
  const size = t === Type.FixedSizeList ? (data.type as FixedSizeList).listSize : -1;
  if (type.root === "VECTOR" && size !== -1 && size !== type.length) mismatch(data, type, path, ` (list size ${size} differs)`);
  const child = data.children[0]!;
  const elements = new Array<Value>(child.length);
  decodeColumnData(child, type.element, `${path}[]`, elements, 0);
  const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const start = size >= 0 ? i * size : Number(offsets![i]!);
    const end = size >= 0 ? start + size : Number(offsets![i + 1]!);
    if (type.root === "VECTOR" && end - start !== type.length) {
      badValue(path, i, `of ${end - start} elements`, `does not fit Paimon ${describeType(type)}`);
    }
    checkNotNull(elements, start, end, type.element, `${path}[]`);
    out[at + i] = elements.slice(start, end);
  }
}

function decodeMap(data: Data, type: MapType | CollectionType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Map) mismatch(data, type, path);
  const entries = data.children[0]!;
  const keyType = type.root === "MAP" ? type.key : type.element;
  const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
  const keys = new Array<Value>(entries.length);
  const items = new Array<Value>(entries.length);
  decodeColumnData(entries.children[0]!, keyType, `${path}{key}`, keys, 0);
  decodeColumnData(entries.children[1]!, valueType, `${path}{value}`, items, 0);
  const offsets = data.valueOffsets as Int32Array;
  for (let i = 0; i < data.length; i++) {
    if (isNullAt(data, i)) { out[at + i] = null; continue; }
    const start = offsets[i]!, end = offsets[i + 1]!;
    checkNotNull(keys, start, end, { ...keyType, nullable: false }, `${path}{key}`);
    checkNotNull(items, start, end, valueType, `${path}{value}`);
    const pairs = new Array<Value>(end - start);
    for (let k = start; k < end; k++) pairs[k - start] = [keys[k]!, items[k]!];
    out[at + i] = pairs;
  }
}

function decodeRow(data: Data, type: RowType, path: string, out: Value[], at: number): void {
  if (data.typeId !== Type.Struct) mismatch(data, type, path);
  const arrowFields = (data.type as Struct).children;
  const names = new Set(type.fields.map((f) => f.name));
  const extra = arrowFields.filter((f) => !names.has(f.name)).map((f) => f.name);
  if (extra.length > 0) mismatch(data, type, path, ` (unexpected fields ${extra.join(", ")})`);
  const columns = type.fields.map((field) => {
    const k = arrowFields.findIndex((f) => f.name === field.name);
    if (k < 0) mismatch(data, type, path, ` (missing field ${field.name})`);
    const childPath = path === "" ? field.name : `${path}.${field.name}`;
    const values = new Array<Value>(data.length);
    decodeColumnData(data.children[k]!, field.type, childPath, values, 0);
    checkNotNull(values, 0, data.length, field.type, childPath, data);
    return values;
  });
  for (let i = 0; i < data.length; i++) {
    out[at + i] = isNullAt(data, i) ? null : columns.map((c) => c[i]!);
  }
}
