/**
 * Java value identity for the collection aggregators: `hashCode()` of Paimon's internal
 * objects, `equals()` / the generated record equaliser, and the iteration order of a
 * `java.util.HashMap` / `HashSet` built from them (which is the order Java writes merged maps
 * and distinct collections in).
 *
 * Mirrors `Integer/Long/Float/Double/Boolean.hashCode`, `BinaryString.hashCode`
 * (`MurmurHashUtils.hashBytes`, seed 42, over the UTF-8 bytes), `Decimal.hashCode`
 * (`BigDecimal.hashCode`), `Timestamp.hashCode`, `HashMap.hash` and table sizing, and
 * `EqualiserCodeGenerator` for constructed types:
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/utils/MurmurHashUtils.java
 *
 * Invariants:
 *  - `JavaHashOrder` iterates like a HashMap that never shrinks: bucket `(h ^ h>>>16) & (cap-1)`
 *    ascending, insertion order within a bucket, capacity the smallest power of two ≥ 16 whose
 *    3/4 holds the largest size reached. Not reproduced: tree bins (≥ 8 colliding keys in one
 *    bucket of a table ≥ 64), where Java's order differs.
 *  - Binary keys have identity hash codes in Java (order unspecified there); they keep insertion
 *    order here and compare by content, as Java's `BinaryMapKeys` does.
 *  - `hashable(type)` is false for types whose Java hash is not value-based (constructed, BINARY,
 *    VARIANT, BLOB); callers must not ask for their hash.
 *
 * Imports: util/assert.ts, util/bytes.ts, util/murmur3.ts, spec/data_types.ts, spec/values.ts,
 * merge_function/sequence_comparator.ts.
 */
import { equalBytes, toHex, utf8Encode } from "../../../util/bytes.ts";
import { murmurFmix32 } from "../../../util/murmur3.ts";
import { unreachable } from "../../../util/assert.ts";
import type { DataType } from "../../../spec/data_types.ts";
import type { MapEntry, Row, Timestamp, Value, Variant } from "../../../spec/values.ts";
import { compareJavaFloating } from "../sequence_comparator.ts";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK1(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH1(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** `MurmurHashUtils.hashBytes` (seed 42) over any length, tail bytes mixed one by one (signed). */
export function javaMurmurHashBytes(bytes: Uint8Array): number {
  const aligned = bytes.length - (bytes.length % 4);
  let h = 42;
  for (let i = 0; i < aligned; i += 4) {
    h = mixH1(h, mixK1(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)));
  }
  for (let i = aligned; i < bytes.length; i++) h = mixH1(h, mixK1((bytes[i]! << 24) >> 24));
  return murmurFmix32(h ^ bytes.length);
}

const SCRATCH = new DataView(new ArrayBuffer(8));

function longHash(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, u ^ (u >> 32n)));
}

function decimalHash(unscaled: bigint, scale: number): number {
  const negative = unscaled < 0n;
  let mag = negative ? -unscaled : unscaled;
  const words: number[] = [];
  while (mag > 0n) {
    words.unshift(Number(mag & 0xffffffffn));
    mag >>= 32n;
  }
  let h = 0;
  for (const w of words) h = (Math.imul(31, h) + w) | 0;
  if (negative) h = -h | 0;
  return (Math.imul(31, h) + scale) | 0;
}

function timestampHash(ts: Timestamp): number {
  const m = BigInt(ts.epochMillis);
  const ret = Number(BigInt.asIntN(32, m)) ^ Number(BigInt.asIntN(32, m >> 32n));
  return (Math.imul(31, ret) + ts.nanoOfMillisecond) | 0;
}

/** True when Java hashes values of `type` by value (see the header). */
export function hashable(type: DataType): boolean {
  return ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE", "TIME", "CHAR", "VARCHAR",
    "DECIMAL", "TIMESTAMP", "TIMESTAMP_LTZ"].includes(type.root);
}

/** Java `hashCode()` of a non-null value. Requires: `hashable(type)`. */
export function javaHashCode(type: DataType, v: Value): number {
  switch (type.root) {
    case "BOOLEAN": return v ? 1231 : 1237;
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": return (v as number) | 0;
    case "BIGINT": return longHash(v as bigint);
    case "FLOAT": {
      const f = v as number;
      if (Number.isNaN(f)) return 0x7fc00000;
      SCRATCH.setFloat32(0, f);
      return SCRATCH.getInt32(0);
    }
    case "DOUBLE": {
      const d = v as number;
      if (Number.isNaN(d)) return longHash(0x7ff8000000000000n);
      SCRATCH.setFloat64(0, d);
      return longHash(SCRATCH.getBigInt64(0));
    }
    case "CHAR": case "VARCHAR": return javaMurmurHashBytes(utf8Encode(v as string));
    case "DECIMAL": return decimalHash(v as bigint, type.scale ?? 0);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return timestampHash(v as Timestamp);
    default: return unreachable(`java hash: type ${type.root} has no value hash`);
  }
}

/**
 * Java equality of two values of `type` (`equals()` of internal objects for atomic types, the
 * generated equaliser for ROW/ARRAY/MAP/MULTISET): FLOAT/DOUBLE by `compare == 0`, binaries by
 * content, maps regardless of entry order. Nulls are equal only to nulls.
 */
export function javaEquals(type: DataType, a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  switch (type.root) {
    case "FLOAT": case "DOUBLE": return compareJavaFloating(a as number, b as number) === 0;
    case "BINARY": case "VARBINARY": case "BLOB": return equalBytes(a as Uint8Array, b as Uint8Array);
    case "VARIANT":
      return equalBytes((a as Variant).value, (b as Variant).value) && equalBytes((a as Variant).metadata, (b as Variant).metadata);
    case "TIMESTAMP": case "TIMESTAMP_LTZ":
      return (a as Timestamp).epochMillis === (b as Timestamp).epochMillis && (a as Timestamp).nanoOfMillisecond === (b as Timestamp).nanoOfMillisecond;
    case "ARRAY": case "VECTOR": {
      const x = a as readonly Value[], y = b as readonly Value[];
      return x.length === y.length && x.every((e, i) => javaEquals(type.element, e, y[i] ?? null));
    }
    case "ROW": {
      const x = a as Row, y = b as Row;
      return type.fields.every((f, i) => javaEquals(f.type, x[i] ?? null, y[i] ?? null));
    }
    case "MAP": case "MULTISET": {
      const keyType = type.root === "MAP" ? type.key : type.element;
      const valueType: DataType = type.root === "MAP" ? type.value : { root: "INT", nullable: false };
      const x = a as readonly MapEntry[], y = b as readonly MapEntry[];
      if (x.length !== y.length) return false;
      return x.every(([k, v]) => y.some(([k2, v2]) => javaEquals(keyType, k, k2) && javaEquals(valueType, v, v2)));
    }
    default: return a === b;
  }
}

/** A string that is equal for two values exactly when `javaEquals` holds (atomic types only). */
function identityKey(type: DataType, v: Value): string {
  if (v === null) return "null";
  switch (type.root) {
    case "FLOAT": case "DOUBLE": return Object.is(v, -0) ? "-0" : String(v);
    case "BINARY": case "VARBINARY": return toHex(v as Uint8Array);
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return `${(v as Timestamp).epochMillis}:${(v as Timestamp).nanoOfMillisecond}`;
    default: return typeof v === "string" ? `s${v}` : String(v);
  }
}

interface HashEntry<V> {
  readonly key: Value;
  value: V;
  readonly hash: number;
  readonly seq: number;
}

/**
 * A HashMap/HashSet stand-in whose iteration order is Java's (see the header).
 * Requires: the key type is hashable or BINARY/VARBINARY.
 */
export class JavaHashOrder<V> {
  private readonly keyType: DataType;
  private readonly byIdentity = new Map<string, HashEntry<V>>();
  private readonly binaryKeys: boolean;
  private nextSeq = 0;
  private sizeMax = 0;

  constructor(keyType: DataType) {
    this.keyType = keyType;
    this.binaryKeys = !hashable(keyType);
  }

  /** Number of entries. */
  get size(): number {
    return this.byIdentity.size;
  }

  /** The value for `key`, or undefined. */
  get(key: Value): V | undefined {
    return this.byIdentity.get(identityKey(this.keyType, key))?.value;
  }

  /** True when `key` is present. */
  has(key: Value): boolean {
    return this.byIdentity.has(identityKey(this.keyType, key));
  }

  /** `HashMap.put`: a present key keeps its position and takes the new value. */
  put(key: Value, value: V): void {
    const id = identityKey(this.keyType, key);
    const hit = this.byIdentity.get(id);
    if (hit !== undefined) {
      hit.value = value;
      return;
    }
    const h = key === null || this.binaryKeys ? 0 : javaHashCode(this.keyType, key);
    this.byIdentity.set(id, { key, value, hash: h ^ (h >>> 16), seq: this.nextSeq++ });
    this.sizeMax = Math.max(this.sizeMax, this.byIdentity.size);
  }

  /** `HashMap.remove`. */
  remove(key: Value): void {
    this.byIdentity.delete(identityKey(this.keyType, key));
  }

  /** Entries in Java's iteration order. */
  entries(): [Value, V][] {
    let capacity = 16;
    while (this.sizeMax > (capacity / 4) * 3) capacity *= 2;
    const mask = capacity - 1;
    const all = [...this.byIdentity.values()];
    if (!this.binaryKeys) all.sort((a, b) => ((a.hash & mask) - (b.hash & mask)) || a.seq - b.seq);
    return all.map((e) => [e.key, e.value]);
  }
}
