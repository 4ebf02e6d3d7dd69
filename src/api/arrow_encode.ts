/**
 * Value model → Arrow `Data`: one column of Paimon values becomes Arrow buffers built directly
 * (typed arrays, validity bitmaps, offsets + one byte buffer for strings), never through
 * arrow-js builders or `vectorFromArray` (which would dictionary-encode strings).
 *
 * Contract: every value is checked against its Paimon type as it is copied (shape, integer
 * range, DECIMAL precision, TIME range, NOT NULL); a mismatch is LakeError("invalid_argument")
 * naming the column path (`a.b`, `a[]`, `m{key}`, `m{value}`) and the row index within that
 * level. A NOT NULL ROW field may hold null where its enclosing ROW value is null. Values finer
 * than the Arrow unit are floored: TIMESTAMP(4..6) keeps microseconds, TIMESTAMP(0) seconds.
 *
 * Imports: apache-arrow, errors.ts, spec/*, api/int64_words.ts.
 */
import { makeData } from "apache-arrow";
import type {
  Binary, Bool, Data, DataType as ArrowType, DateDay, Decimal, FixedSizeList, Float32, Float64,
  Int16, Int32, Int64, Int8, List, Map_, Struct, TimeMillisecond, Timestamp as ArrowTimestamp, Utf8,
} from "apache-arrow";
import { LakeError } from "../errors.ts";
import { withNullable } from "../spec/data_types.ts";
import type { AtomicType, DataType } from "../spec/data_types.ts";
import { MILLIS_PER_DAY, pow10 } from "../spec/values.ts";
import type { Timestamp, Value } from "../spec/values.ts";
import { timestampUnitDigits } from "./arrow_types.ts";
import { writeScaledInt64 } from "./int64_words.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Largest Arrow Utf8/Binary/List offset (int32). */
const OFFSET_MAX = 2147483647;
const UTF8_ENCODER = new TextEncoder();
/** Non-ASCII tails up to this many UTF-16 units are encoded inline; longer ones by TextEncoder. */
const UTF8_INLINE_UNITS_MAX = 64;
const MULTISET_COUNT_TYPE: DataType = { root: "INT", nullable: false };

function badValue(path: string, index: number, value: unknown, expected: string): never {
  const shown = typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value.slice(0, 40))
    : value instanceof Uint8Array ? `Uint8Array(${value.length})` : Array.isArray(value) ? `array(${value.length})`
    : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  throw new LakeError("invalid_argument", `arrow: column "${path}" row ${index}: value ${shown} is not ${expected}`);
}

function isBitSet(bitmap: Uint8Array, index: number): boolean {
  return (bitmap[index >> 3]! & (1 << (index & 7))) !== 0;
}

/** Null bookkeeping of one column: the validity bitmap and the NOT NULL rule. */
interface Validity {
  readonly bitmap: Uint8Array;
  nullCount: number;
}

function newValidity(length: number): Validity {
  return { bitmap: new Uint8Array((length + 7) >> 3), nullCount: 0 };
}

/** Records a null at `index`, or throws when the type is NOT NULL and the parent is valid there. */
function recordNull(validity: Validity, type: DataType, path: string, index: number, parentValid: Uint8Array | null): void {
  validity.nullCount++;
  if (!type.nullable && (parentValid === null || isBitSet(parentValid, index))) {
    throw new LakeError("invalid_argument", `arrow: column "${path}" row ${index}: null in a NOT NULL column`);
  }
}

function bitmapOrNone(validity: Validity): Uint8Array | undefined {
  return validity.nullCount > 0 ? validity.bitmap : undefined;
}

/**
 * Encodes `values` (one Paimon column, or one nested level) as Arrow `Data` of `arrowType`,
 * which must be `arrowTypeOf(type)` (passed down so nested Data share the schema's types).
 * `parentValid` is the enclosing ROW's validity bitmap (null when there is none).
 * Throws LakeError("invalid_argument") on a value that does not fit `type`.
 */
export function encodeColumnData(type: DataType, arrowType: ArrowType, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  switch (type.root) {
    case "BOOLEAN": return encodeBool(type, arrowType as Bool, values, path, parentValid);
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME":
      return encodeInt32Like(type, arrowType, values, path, parentValid);
    case "BIGINT": return encodeBigint(type, arrowType as Int64, values, path, parentValid);
    case "FLOAT": case "DOUBLE": return encodeFloat(type, arrowType as Float64, values, path, parentValid);
    case "DECIMAL": return encodeDecimal(type, arrowType as Decimal, values, path, parentValid);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return encodeTimestamp(type, arrowType as ArrowTimestamp, values, path, parentValid);
    case "CHAR": case "VARCHAR": return encodeUtf8(type, arrowType as Utf8, values, path, parentValid);
    case "BINARY": case "VARBINARY": return encodeBinary(type, arrowType as Binary, values, path, parentValid);
    case "ARRAY": return encodeList(type, type.element, arrowType as List, values, path, parentValid);
    case "VECTOR": return encodeFixedList(type, type.element, type.length, arrowType as FixedSizeList, values, path, parentValid);
    case "MAP": return encodeMap(type, type.key, type.value, arrowType as Map_, values, path, parentValid);
    case "MULTISET": return encodeMap(type, type.element, MULTISET_COUNT_TYPE, arrowType as Map_, values, path, parentValid);
    case "ROW": return encodeRow(type, type.fields.map((f) => f.type), type.fields.map((f) => f.name), arrowType as Struct, values, path, parentValid);
    case "VARIANT": case "BLOB":
      throw new LakeError("unsupported", `arrow: column "${path}" has Paimon type ${type.root}, which has no Arrow mapping`);
  }
}

function encodeBool(type: DataType, arrowType: Bool, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); continue; }
    if (typeof v !== "boolean") badValue(path, i, v, "a boolean");
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    if (v) bits[i >> 3] |= 1 << (i & 7);
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), data: bits });
}

/** TINYINT, SMALLINT, INT, DATE (days) and TIME (millis of day): 32-bit-or-narrower numbers. */
function encodeInt32Like(type: DataType, arrowType: ArrowType, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const root = type.root;
  const data = root === "TINYINT" ? new Int8Array(n) : root === "SMALLINT" ? new Int16Array(n) : new Int32Array(n);
  const shift = root === "TINYINT" ? 24 : root === "SMALLINT" ? 16 : 0;
  const expected = root === "DATE" ? "a DATE (int32 days)" : root === "TIME" ? "a TIME (integer millis 0..86399999)" : `a ${root}`;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); continue; }
    if (typeof v !== "number" || ((v << shift) >> shift) !== v || (root === "TIME" && (v < 0 || v >= MILLIS_PER_DAY))) {
      badValue(path, i, v, expected);
    }
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    data[i] = v;
  }
  return makeData({ type: arrowType as Int32 | Int16 | Int8 | DateDay | TimeMillisecond, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), data } as never);
}

function encodeBigint(type: DataType, arrowType: Int64, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const data = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); continue; }
    if (typeof v !== "bigint" || v < INT64_MIN || v > INT64_MAX) badValue(path, i, v, "a BIGINT (bigint in int64 range)");
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    data[i] = v;
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), data });
}

function encodeFloat(type: DataType, arrowType: Float32 | Float64, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const data = type.root === "FLOAT" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); continue; }
    if (typeof v !== "number") badValue(path, i, v, `a ${type.root} number`);
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    data[i] = v;
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), data } as never);
}

/** DECIMAL: 128-bit two's complement, little-endian words, written through a BigInt64Array view. */
function encodeDecimal(type: AtomicType, arrowType: Decimal, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const precision = type.precision ?? 10;
  const limit = pow10(precision);
  const words = new Uint32Array(4 * n);
  const halves = new BigInt64Array(words.buffer);
  const compact = precision <= 18;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); continue; }
    if (typeof v !== "bigint" || v >= limit || v <= -limit) badValue(path, i, v, `an unscaled DECIMAL(${precision}, ${type.scale}) bigint`);
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    halves[2 * i] = v; // the store keeps the low 64 bits
    halves[2 * i + 1] = compact ? (v < 0n ? -1n : 0n) : v >> 64n;
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), data: words });
}

function encodeTimestamp(type: AtomicType, arrowType: ArrowTimestamp, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const words = new Uint32Array(2 * n);
  const digits = timestampUnitDigits(type.precision ?? 6);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); continue; }
    const ts = v as Timestamp;
    const millis = ts.epochMillis, nanos = ts.nanoOfMillisecond;
    if (typeof v !== "object" || !Number.isSafeInteger(millis) || typeof nanos !== "number" || (nanos | 0) !== nanos || nanos < 0 || nanos > 999_999) {
      badValue(path, i, v, "a Timestamp {epochMillis, nanoOfMillisecond}");
    }
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    const ok = digits === 3 ? writeScaledInt64(words, i, millis, 1, 0)
      : digits === 0 ? writeScaledInt64(words, i, Math.floor(millis / 1000), 1, 0)
      : digits === 6 ? writeScaledInt64(words, i, millis, 1000, Math.floor(nanos / 1000))
      : writeScaledInt64(words, i, millis, 1_000_000, nanos);
    if (!ok) {
      throw new LakeError("unsupported", `arrow: column "${path}" row ${i}: timestamp ${millis} ms does not fit an int64 of nanoseconds (years 1677..2262)`);
    }
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), data: new BigInt64Array(words.buffer) });
}

function offsetOverflow(path: string, what: string): never {
  throw new LakeError("unsupported", `arrow: column "${path}" holds more than ${OFFSET_MAX} ${what} in one batch; split it into smaller batches`);
}

/** Utf8 with int32 offsets and one byte buffer; ASCII is copied inline, the rest via encodeInto. */
function encodeUtf8(type: DataType, arrowType: Utf8, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const offsets = new Int32Array(n + 1);
  let capacity = 16;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "string") capacity += v.length;
  }
  let bytes = new Uint8Array(capacity);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); offsets[i + 1] = pos; continue; }
    if (typeof v !== "string") badValue(path, i, v, "a string");
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    const len = v.length;
    if (pos + len > bytes.length) bytes = grow(bytes, pos, pos + len);
    let j = 0;
    for (; j < len; j++) {
      const c = v.charCodeAt(j);
      if (c >= 0x80) break;
      bytes[pos++] = c;
    }
    if (j < len) {
      // Each remaining UTF-16 unit takes at most 3 bytes (a surrogate pair: 4 bytes for 2 units).
      if (pos + 3 * (len - j) > bytes.length) bytes = grow(bytes, pos, pos + 3 * (len - j));
      pos = len - j > UTF8_INLINE_UNITS_MAX
        ? pos + UTF8_ENCODER.encodeInto(v.slice(j), bytes.subarray(pos)).written
        : writeUtf8(v, j, bytes, pos);
    }
    if (pos > OFFSET_MAX) offsetOverflow(path, "bytes of string data");
    offsets[i + 1] = pos;
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), valueOffsets: offsets, data: bytes.subarray(0, pos) });
}

/**
 * Writes UTF-8 of `text` from code unit `from` at `bytes[pos]`; returns the new position.
 * Lone surrogates become U+FFFD, as TextEncoder does. Requires: room for 3 bytes per unit.
 */
function writeUtf8(text: string, from: number, bytes: Uint8Array, pos: number): number {
  const len = text.length;
  for (let j = from; j < len; j++) {
    let c = text.charCodeAt(j);
    if (c < 0x80) {
      bytes[pos++] = c;
    } else if (c < 0x800) {
      bytes[pos++] = 0xc0 | (c >> 6);
      bytes[pos++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c < 0xe000) {
        const next = j + 1 < len ? text.charCodeAt(j + 1) : 0;
        if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          j++;
          bytes[pos++] = 0xf0 | (c >> 18);
          bytes[pos++] = 0x80 | ((c >> 12) & 0x3f);
          bytes[pos++] = 0x80 | ((c >> 6) & 0x3f);
          bytes[pos++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      bytes[pos++] = 0xe0 | (c >> 12);
      bytes[pos++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

function grow(bytes: Uint8Array, used: number, needed: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(needed, bytes.length * 2));
  next.set(bytes.subarray(0, used));
  return next;
}

function encodeBinary(type: DataType, arrowType: Binary, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); offsets[i + 1] = total; continue; }
    if (!(v instanceof Uint8Array)) badValue(path, i, v, "a Uint8Array");
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    total += v.length;
    if (total > OFFSET_MAX) offsetOverflow(path, "bytes of binary data");
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null) bytes.set(v as Uint8Array, offsets[i]!);
  }
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), valueOffsets: offsets, data: bytes });
}

function encodeList(type: DataType, element: DataType, arrowType: List, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const offsets = new Int32Array(n + 1);
  const elements: Value[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); offsets[i + 1] = elements.length; continue; }
    if (!Array.isArray(v)) badValue(path, i, v, "an array");
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    for (const e of v as readonly Value[]) elements.push(e);
    if (elements.length > OFFSET_MAX) offsetOverflow(path, "list elements");
    offsets[i + 1] = elements.length;
  }
  const child = encodeColumnData(element, arrowType.valueType, elements, `${path}[]`, null);
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), valueOffsets: offsets, child });
}

/** VECTOR<T, n>: FixedSizeList; a null vector contributes `size` null elements, tolerated by NOT NULL. */
function encodeFixedList(type: DataType, element: DataType, size: number, arrowType: FixedSizeList, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const elements: Value[] = new Array(n * size);
  const elementValid = new Uint8Array((n * size + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      recordNull(validity, type, path, i, parentValid);
      for (let k = 0; k < size; k++) elements[i * size + k] = null;
      continue;
    }
    if (!Array.isArray(v) || v.length !== size) badValue(path, i, v, `an array of ${size} elements`);
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    for (let k = 0; k < size; k++) {
      const at = i * size + k;
      elements[at] = (v as readonly Value[])[k]!;
      elementValid[at >> 3] |= 1 << (at & 7);
    }
  }
  const child = encodeColumnData(element, arrowType.valueType, elements, `${path}[]`, validity.nullCount > 0 ? elementValid : null);
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), child });
}

/** MAP (and MULTISET as MAP<T, INT NOT NULL>): entries struct {key, value}; keys must not be null. */
function encodeMap(type: DataType, keyType: DataType, valueType: DataType, arrowType: Map_, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const offsets = new Int32Array(n + 1);
  const keys: Value[] = [];
  const items: Value[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) { recordNull(validity, type, path, i, parentValid); offsets[i + 1] = keys.length; continue; }
    if (!Array.isArray(v)) badValue(path, i, v, "an array of [key, value] entries");
    for (const entry of v as readonly Value[]) {
      if (!Array.isArray(entry) || entry.length !== 2) badValue(path, i, entry, "a [key, value] entry");
      keys.push((entry as readonly Value[])[0]!);
      items.push((entry as readonly Value[])[1]!);
    }
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    if (keys.length > OFFSET_MAX) offsetOverflow(path, "map entries");
    offsets[i + 1] = keys.length;
  }
  const entriesType = arrowType.childType;
  const keyData = encodeColumnData(withNullable(keyType, false), entriesType.children[0]!.type, keys, `${path}{key}`, null);
  const valueData = encodeColumnData(valueType, entriesType.children[1]!.type, items, `${path}{value}`, null);
  const child = makeData({ type: entriesType, length: keys.length, nullCount: 0, children: [keyData, valueData] });
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), valueOffsets: offsets, child });
}

/** ROW: a Struct whose children are the field columns; a null row gives null children. */
function encodeRow(type: DataType, fieldTypes: readonly DataType[], fieldNames: readonly string[], arrowType: Struct, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const validity = newValidity(n);
  const width = fieldTypes.length;
  const columns: Value[][] = fieldTypes.map(() => new Array<Value>(n));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      recordNull(validity, type, path, i, parentValid);
      for (let j = 0; j < width; j++) columns[j]![i] = null;
      continue;
    }
    if (!Array.isArray(v) || v.length !== width) badValue(path, i, v, `a row of ${width} values`);
    validity.bitmap[i >> 3] |= 1 << (i & 7);
    for (let j = 0; j < width; j++) columns[j]![i] = (v as readonly Value[])[j]!;
  }
  const childValid = validity.nullCount > 0 ? validity.bitmap : null;
  const children = fieldTypes.map((t, j) => encodeColumnData(t, arrowType.children[j]!.type, columns[j]!, path === "" ? fieldNames[j]! : `${path}.${fieldNames[j]}`, childValid));
  return makeData({ type: arrowType, length: n, nullCount: validity.nullCount, nullBitmap: bitmapOrNone(validity), children });
}
