/**
 * Paimon columns (value model) → Apache Arrow fields and `Data`, shaped so that parquet-wasm
 * (arrow-rs) writes the physical Parquet layout Java Paimon writes: the values and
 * definition/repetition levels are Java's; annotations, field ids and the message name are
 * then set on the footer by parquet_footer.ts from parquet_schema.ts.
 *
 * | Paimon                      | Arrow                          | Parquet physical (arrow-rs)      |
 * |-----------------------------|--------------------------------|----------------------------------|
 * | BOOLEAN                     | Bool                           | BOOLEAN                          |
 * | TINYINT / SMALLINT / INT    | Int8 / Int16 / Int32           | INT32                            |
 * | BIGINT                      | Int64                          | INT64                            |
 * | FLOAT / DOUBLE              | Float32 / Float64              | FLOAT / DOUBLE                   |
 * | DATE / TIME                 | DateDay / TimeMillisecond      | INT32 (days / millis of day)     |
 * | TIMESTAMP(_LTZ) p ≤ 3       | TimestampMillisecond           | INT64 epoch millis               |
 * | TIMESTAMP(_LTZ) p 4..6      | TimestampMicrosecond           | INT64 epoch micros (floored)     |
 * | DECIMAL(p, s)               | Decimal(s, max(p, 2), 128)     | INT32 / INT64 / FIXED(n)         |
 * | CHAR / VARCHAR              | Utf8                           | BYTE_ARRAY                       |
 * | BINARY / VARBINARY          | Binary                         | BYTE_ARRAY                       |
 * | ARRAY / VECTOR              | List (child `element`)         | 3-level LIST                     |
 * | MAP / MULTISET              | Map_ (`key_value` {key, value})| MAP                              |
 * | ROW / VARIANT               | Struct                         | group                            |
 *
 * DECIMAL(1, s) is given Arrow precision 2 because arrow-rs stores precision 1 as INT64 where
 * Java uses INT32; the footer then says precision 1 again. TIMESTAMP precision > 6 (Java: INT96,
 * which arrow-rs cannot write) and BLOB are LakeError("unsupported").
 *
 * Contract: every value is checked against its type while copied (shape, integer range, DECIMAL
 * precision, TIME range, NOT NULL); a mismatch is LakeError("invalid_argument") naming the
 * column path and row. Strings with lone surrogates are written with U+FFFD (TextEncoder rule).
 *
 * Mirrors the value writers of `org.apache.paimon.format.parquet.writer.ParquetRowDataWriter`:
 * https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/parquet/writer/ParquetRowDataWriter.java
 *
 * Imports: apache-arrow, errors.ts, spec/data_types.ts, spec/values.ts.
 */
import {
  Binary, Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Map_, makeData, Struct,
  TimeMillisecond, TimestampMicrosecond, TimestampMillisecond, Utf8,
} from "apache-arrow";
import type { Data, DataType as ArrowType } from "apache-arrow";
import { LakeError } from "../../errors.ts";
import { describeType, type DataType } from "../../spec/data_types.ts";
import { MILLIS_PER_DAY, pow10, type Timestamp, type Value } from "../../spec/values.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const OFFSET_MAX = 2147483647;
const UTF8 = new TextEncoder();
const INT_NOT_NULL: DataType = { root: "INT", nullable: false };

/** Key and value types of a MAP or MULTISET (MULTISET is MAP<T, INT NOT NULL>); keys are NOT NULL. */
function mapParts(type: DataType): [DataType, DataType] {
  if (type.root === "MAP") return [{ ...type.key, nullable: false }, type.value];
  if (type.root === "MULTISET") return [{ ...type.element, nullable: false }, INT_NOT_NULL];
  throw new LakeError("unsupported", `parquet arrow: ${type.root} is not a map type`);
}

/** The Arrow type parquet-wasm needs for a Paimon type (see the table in the header). */
export function parquetArrowType(type: DataType, path: string): ArrowType {
  switch (type.root) {
    case "BOOLEAN": return new Bool();
    case "TINYINT": return new Int8();
    case "SMALLINT": return new Int16();
    case "INT": return new Int32();
    case "BIGINT": return new Int64();
    case "FLOAT": return new Float32();
    case "DOUBLE": return new Float64();
    case "DATE": return new DateDay();
    case "TIME": return new TimeMillisecond();
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = type.precision!;
      if (p > 6) {
        throw new LakeError("unsupported", `parquet writer: column ${path}: ${describeType(type)} needs INT96 (as Java writes precision > 6), which parquet-wasm cannot write; use precision ≤ 6`);
      }
      return p <= 3 ? new TimestampMillisecond() : new TimestampMicrosecond();
    }
    case "DECIMAL": return new Decimal(type.scale!, Math.max(type.precision!, 2), 128);
    case "CHAR": case "VARCHAR": return new Utf8();
    case "BINARY": case "VARBINARY": return new Binary();
    case "ARRAY": case "VECTOR": return new List(new Field("element", parquetArrowType(type.element, `${path}[]`), type.element.nullable));
    case "MAP": case "MULTISET": {
      const [k, v] = mapParts(type);
      const entries = new Field("key_value", new Struct([
        new Field("key", parquetArrowType(k, `${path}{key}`), false),
        new Field("value", parquetArrowType(v, `${path}{value}`), v.nullable),
      ]), false);
      const map = new Map_(entries);
      // arrow-js renames the entries field to "entries"; Java names the repeated group "key_value".
      (map.children[0] as { name: string }).name = "key_value";
      return map;
    }
    case "ROW": return new Struct(type.fields.map((f) => new Field(f.name, parquetArrowType(f.type, `${path}.${f.name}`), f.type.nullable)));
    case "VARIANT": return new Struct([new Field("value", new Binary(), false), new Field("metadata", new Binary(), false)]);
    case "BLOB":
      throw new LakeError("unsupported", `parquet writer: column ${path}: BLOB columns (stored in separate blob files by Java) are not supported`);
  }
}

function shown(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value.slice(0, 40))
    : value instanceof Uint8Array ? `Uint8Array(${value.length})` : Array.isArray(value) ? `array(${value.length})`
    : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function badValue(path: string, index: number, value: unknown, expected: string): never {
  throw new LakeError("invalid_argument", `parquet writer: column ${path} row ${index}: value ${shown(value)} is not ${expected}`);
}

/** Validity bitmap plus the NOT NULL rule (a null is allowed where the enclosing ROW is null). */
class Validity {
  readonly bitmap: Uint8Array;
  nullCount = 0;
  private readonly type: DataType;
  private readonly path: string;
  private readonly parentValid: Uint8Array | null;
  constructor(length: number, type: DataType, path: string, parentValid: Uint8Array | null) {
    this.bitmap = new Uint8Array((length + 7) >> 3);
    this.type = type;
    this.path = path;
    this.parentValid = parentValid;
  }
  valid(i: number): void {
    this.bitmap[i >> 3]! |= 1 << (i & 7);
  }
  nullAt(i: number): void {
    this.nullCount++;
    if (!this.type.nullable && (this.parentValid === null || (this.parentValid[i >> 3]! & (1 << (i & 7))) !== 0)) {
      throw new LakeError("invalid_argument", `parquet writer: column ${this.path} row ${i}: null in a NOT NULL column`);
    }
  }
  get nullBitmap(): Uint8Array | undefined {
    return this.nullCount > 0 ? this.bitmap : undefined;
  }
}

function offsetOverflow(path: string, what: string): never {
  throw new LakeError("unsupported", `parquet writer: column ${path} holds more than ${OFFSET_MAX} ${what} in one file; write smaller files`);
}

/**
 * Encodes one column (or nested level) of `type` as Arrow Data of `arrowType`
 * (= `parquetArrowType(type)`). `parentValid` is the enclosing ROW's validity, null at top level.
 */
export function encodeParquetArrowData(type: DataType, arrowType: ArrowType, values: readonly Value[], path: string, parentValid: Uint8Array | null): Data {
  const n = values.length;
  const v = new Validity(n, type, path, parentValid);
  const base = { type: arrowType, length: n } as const;
  switch (type.root) {
    case "BOOLEAN": {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === null) { v.nullAt(i); continue; }
        if (typeof x !== "boolean") badValue(path, i, x, "a boolean");
        v.valid(i);
        if (x) bits[i >> 3]! |= 1 << (i & 7);
      }
      return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, data: bits } as never);
    }
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": {
      const root = type.root;
      const data = root === "TINYINT" ? new Int8Array(n) : root === "SMALLINT" ? new Int16Array(n) : new Int32Array(n);
      const shift = root === "TINYINT" ? 24 : root === "SMALLINT" ? 16 : 0;
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === null) { v.nullAt(i); continue; }
        if (typeof x !== "number" || ((x << shift) >> shift) !== x || (root === "TIME" && (x < 0 || x >= MILLIS_PER_DAY))) badValue(path, i, x, `a ${root} value`);
        v.valid(i);
        data[i] = x;
      }
      return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, data } as never);
    }
    case "BIGINT": {
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === null) { v.nullAt(i); continue; }
        if (typeof x !== "bigint" || x < INT64_MIN || x > INT64_MAX) badValue(path, i, x, "a BIGINT (bigint in int64 range)");
        v.valid(i);
        data[i] = x;
      }
      return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, data } as never);
    }
    case "FLOAT": case "DOUBLE": {
      const data = type.root === "FLOAT" ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === null) { v.nullAt(i); continue; }
        if (typeof x !== "number") badValue(path, i, x, `a ${type.root} number`);
        v.valid(i);
        data[i] = x;
      }
      return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, data } as never);
    }
    case "DECIMAL": {
      const limit = pow10(type.precision!);
      const halves = new BigInt64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === null) { v.nullAt(i); continue; }
        if (typeof x !== "bigint" || x >= limit || x <= -limit) badValue(path, i, x, `an unscaled ${describeType(type)} bigint`);
        v.valid(i);
        halves[2 * i] = BigInt.asIntN(64, x);
        halves[2 * i + 1] = x >> 64n;
      }
      return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, data: new Uint32Array(halves.buffer) } as never);
    }
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return encodeTimestamps(type.precision!, base, v, values, path);
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": return encodeBytes(type.root === "CHAR" || type.root === "VARCHAR", base, v, values, path);
    case "ARRAY": case "VECTOR": {
      const offsets = new Int32Array(n + 1);
      const elements: Value[] = [];
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === null) { v.nullAt(i); offsets[i + 1] = elements.length; continue; }
        if (!Array.isArray(x) || (type.root === "VECTOR" && x.length !== type.length)) badValue(path, i, x, type.root === "VECTOR" ? `an array of ${type.length} elements` : "an array");
        v.valid(i);
        for (const e of x as readonly Value[]) elements.push(e);
        if (elements.length > OFFSET_MAX) offsetOverflow(path, "list elements");
        offsets[i + 1] = elements.length;
      }
      const child = encodeParquetArrowData(type.element, (arrowType as List).valueType, elements, `${path}[]`, null);
      return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, valueOffsets: offsets, child } as never);
    }
    case "MAP": case "MULTISET": return encodeMap(type, arrowType as Map_, v, values, path);
    case "ROW": case "VARIANT": return encodeStruct(type, arrowType as Struct, v, values, path);
    case "BLOB": return parquetArrowType(type, path) as never; // throws unsupported
  }
}

function encodeTimestamps(precision: number, base: { type: ArrowType; length: number }, v: Validity, values: readonly Value[], path: string): Data {
  const n = values.length;
  const data = new BigInt64Array(n);
  const micros = precision > 3;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null) { v.nullAt(i); continue; }
    const ts = x as Timestamp;
    if (typeof x !== "object" || !Number.isSafeInteger(ts.epochMillis) || !Number.isInteger(ts.nanoOfMillisecond) || ts.nanoOfMillisecond < 0 || ts.nanoOfMillisecond > 999_999) {
      badValue(path, i, x, "a Timestamp {epochMillis, nanoOfMillisecond}");
    }
    v.valid(i);
    if (!micros) { data[i] = BigInt(ts.epochMillis); continue; }
    // Java Timestamp#toMicros; a safe-integer epochMillis times 1000 always fits an int64.
    const micro = Math.floor(ts.nanoOfMillisecond / 1000);
    const scaled = ts.epochMillis * 1000;
    data[i] = Number.isSafeInteger(scaled) && Number.isSafeInteger(scaled + micro) ? BigInt(scaled + micro) : BigInt(ts.epochMillis) * 1000n + BigInt(micro);
  }
  return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, data } as never);
}

function encodeBytes(text: boolean, base: { type: ArrowType; length: number }, v: Validity, values: readonly Value[], path: string): Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(64);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null) { v.nullAt(i); offsets[i + 1] = pos; continue; }
    if (text) {
      if (typeof x !== "string") badValue(path, i, x, "a string");
      const room = 3 * x.length; // UTF-8 needs at most 3 bytes per UTF-16 unit
      if (pos + room > bytes.length) bytes = grow(bytes, pos, pos + room);
      pos += UTF8.encodeInto(x, bytes.subarray(pos)).written;
    } else {
      if (!(x instanceof Uint8Array)) badValue(path, i, x, "a Uint8Array");
      if (pos + x.length > bytes.length) bytes = grow(bytes, pos, pos + x.length);
      bytes.set(x, pos);
      pos += x.length;
    }
    if (pos > OFFSET_MAX) offsetOverflow(path, "bytes");
    v.valid(i);
    offsets[i + 1] = pos;
  }
  return makeData({ ...base, nullCount: v.nullCount, nullBitmap: v.nullBitmap, valueOffsets: offsets, data: bytes.subarray(0, pos) } as never);
}

function grow(bytes: Uint8Array, used: number, needed: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(needed, bytes.length * 2));
  next.set(bytes.subarray(0, used));
  return next;
}

function encodeMap(type: DataType, arrowType: Map_, v: Validity, values: readonly Value[], path: string): Data {
  const n = values.length;
  const [keyType, valueType] = mapParts(type);
  const offsets = new Int32Array(n + 1);
  const keys: Value[] = [];
  const items: Value[] = [];
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null) { v.nullAt(i); offsets[i + 1] = keys.length; continue; }
    if (!Array.isArray(x)) badValue(path, i, x, "an array of [key, value] entries");
    for (const entry of x as readonly Value[]) {
      if (!Array.isArray(entry) || entry.length !== 2) badValue(path, i, entry, "a [key, value] entry");
      keys.push((entry as readonly Value[])[0]!);
      items.push((entry as readonly Value[])[1]!);
    }
    if (keys.length > OFFSET_MAX) offsetOverflow(path, "map entries");
    v.valid(i);
    offsets[i + 1] = keys.length;
  }
  const entriesType = arrowType.childType;
  const keyData = encodeParquetArrowData(keyType, entriesType.children[0]!.type, keys, `${path}{key}`, null);
  const valueData = encodeParquetArrowData(valueType, entriesType.children[1]!.type, items, `${path}{value}`, null);
  const child = makeData({ type: entriesType, length: keys.length, nullCount: 0, children: [keyData, valueData] });
  return makeData({ type: arrowType, length: n, nullCount: v.nullCount, nullBitmap: v.nullBitmap, valueOffsets: offsets, child } as never);
}

/** ROW (children = fields) and VARIANT (children = value, metadata bytes). */
function encodeStruct(type: DataType, arrowType: Struct, v: Validity, values: readonly Value[], path: string): Data {
  const n = values.length;
  const childTypes: DataType[] = type.root === "ROW" ? type.fields.map((f) => f.type)
    : [{ root: "VARBINARY", nullable: false, length: OFFSET_MAX }, { root: "VARBINARY", nullable: false, length: OFFSET_MAX }];
  const names = arrowType.children.map((c) => c.name);
  const columns: Value[][] = childTypes.map(() => new Array<Value>(n));
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null) {
      v.nullAt(i);
      for (const c of columns) c[i] = null;
      continue;
    }
    if (type.root === "VARIANT") {
      const variant = x as { value?: unknown; metadata?: unknown };
      if (typeof x !== "object" || !(variant.value instanceof Uint8Array) || !(variant.metadata instanceof Uint8Array)) badValue(path, i, x, "a Variant {value, metadata}");
      columns[0]![i] = variant.value as Uint8Array;
      columns[1]![i] = variant.metadata as Uint8Array;
    } else {
      if (!Array.isArray(x) || x.length !== childTypes.length) badValue(path, i, x, `a row of ${childTypes.length} values`);
      for (let j = 0; j < childTypes.length; j++) columns[j]![i] = (x as readonly Value[])[j]!;
    }
    v.valid(i);
  }
  const childValid = v.nullCount > 0 ? v.bitmap : null;
  const children = childTypes.map((t, j) => encodeParquetArrowData(t, arrowType.children[j]!.type, columns[j]!, `${path}.${names[j]}`, childValid));
  return makeData({ type: arrowType, length: n, nullCount: v.nullCount, nullBitmap: v.nullBitmap, children } as never);
}
