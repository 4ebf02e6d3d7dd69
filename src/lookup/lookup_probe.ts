/**
 * Probe keys of a lookup: validation of what callers pass (an object by column name, or values
 * in `keys` order), their encoding for the key index (u64 words or key-codec key parts, plus
 * bloom hash pairs), and the bucket each probe belongs to (Java's bucket hash).
 *
 * Bucket hash: Java hashes the BinaryRow of the bucket-key values (spec/bucket.ts). For one
 * BIGINT or INT-like bucket key that row is 16 bytes (8 header bytes of zeros, then the value in
 * an 8-byte little-endian slot), so `bucketOfIntegerKey` hashes those four words directly; the
 * general path builds the row with `fixedBucket`. Both agree (test/unit/lookup/lookup_probe_test.ts).
 *
 * Invariants: a probe with a NULL key value matches nothing (SQL equality); a wrong arity or a
 * value of the wrong type is LakeError("invalid_argument") naming the column and the value.
 * Imports: errors.ts, spec (bucket, key_codec, data_types, values, binary_section), kernel bloom
 * hashes, lookup/key_search.ts.
 */
import { LakeError } from "../errors.ts";
import type { ByteKeys } from "../kernel/mod.ts";
import { hashBytesPair } from "../kernel/reference_bloom.ts";
import { showValue } from "../spec/binary_section.ts";
import { bucketFromHash, fixedBucket, integerKeyHash } from "../spec/bucket.ts";
import { describeType, type DataType } from "../spec/data_types.ts";
import { createKeyCodec, type KeyCodec } from "../spec/key_codec.ts";
import { decimalFitsPrecision, type Value } from "../spec/values.ts";

/** A probe: an object by column name, or values in `keys` order. */
export type LookupKey = Readonly<Record<string, Value>> | readonly Value[];

/** The lookup columns and their types. */
export interface ProbeShape {
  readonly names: readonly string[];
  readonly types: readonly DataType[];
}

/** Probes in lookup-key order, encoded for the index form. */
export interface EncodedProbes {
  readonly count: number;
  /** Values of probe i (lookup-key order), for partition and general bucket routing. */
  readonly valuesOf: (i: number) => readonly Value[];
  /** "u64" form: the single key value of probe i as the caller passed it (no allocation). */
  readonly firstValueOf: ((i: number) => Value) | null;
  /** "u64" form: those values in one flat array (probe order; null for a NULL probe). */
  readonly firstValues: readonly Value[] | null;
  /** 1 when the probe has no NULL key value. */
  readonly valid: Uint8Array;
  /** "u64" form: words [lo, hi] per probe. */
  readonly words: Uint32Array | null;
  /** "bytes" form: key parts. */
  readonly bytes: ByteKeys | null;
  /** "bytes" form: bloom hash pairs per probe ("u64" form: empty; the probe loop hashes the words it reads). */
  readonly hashes: Uint32Array;
}

function badKey(shape: ProbeShape, key: unknown, why: string): never {
  throw new LakeError("invalid_argument", `lookup: key ${showKey(key)} ${why} (lookup keys: ${shape.names.join(", ")})`);
}

function showKey(key: unknown): string {
  if (Array.isArray(key)) return `[${key.map((v) => showValue(v)).join(", ")}]`;
  if (key !== null && typeof key === "object" && !(key instanceof Uint8Array)) {
    return `{${Object.entries(key as Record<string, unknown>).map(([k, v]) => `${k}: ${showValue(v)}`).join(", ")}}`;
  }
  return showValue(key);
}

/** The key values of one probe in lookup-key order. */
export function probeValues(shape: ProbeShape, key: LookupKey): Value[] {
  if (Array.isArray(key)) {
    if (key.length !== shape.names.length) badKey(shape, key, `has ${key.length} values, expected ${shape.names.length}`);
    return key as Value[];
  }
  if (key === null || typeof key !== "object" || key instanceof Uint8Array) badKey(shape, key, "is not an object or an array of values");
  const row = key as Record<string, Value>;
  return shape.names.map((name) => {
    const v = row[name];
    if (v === undefined) badKey(shape, key, `has no value for ${JSON.stringify(name)}`);
    return v;
  });
}

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;
const scratch64 = new BigInt64Array(1);
const scratchWords = new Uint32Array(scratch64.buffer);
const INT_RANGES: Record<string, [number, number]> = {
  TINYINT: [-128, 127], SMALLINT: [-32768, 32767], INT: [-2147483648, 2147483647], DATE: [-2147483648, 2147483647], TIME: [0, 86_399_999],
};

/** Checks an integer-form key value; returns it. */
function integerKey(shape: ProbeShape, key: unknown, type: DataType, v: Value): bigint | number {
  if (type.root === "BIGINT" || type.root === "DECIMAL") {
    // Range compares, not BigInt.asIntN (which allocates a BigInt per probe).
    if (typeof v !== "bigint" || v < INT64_MIN || v > INT64_MAX) badKey(shape, key, `: column ${shape.names[0]} (${describeType(type)}) expects an int64 bigint, got ${showValue(v)}`);
    if (type.root === "DECIMAL" && !decimalFitsPrecision(v, type.precision ?? 10)) {
      badKey(shape, key, `: column ${shape.names[0]} (${describeType(type)}) expects an unscaled bigint of at most ${type.precision ?? 10} digits, got ${showValue(v)}`);
    }
    return v;
  }
  const [min, max] = INT_RANGES[type.root]!;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    badKey(shape, key, `: column ${shape.names[0]} (${describeType(type)}) expects an integer in ${min}..${max}, got ${showValue(v)}`);
  }
  return v;
}

/** Encodes probes for a "u64" index (one integer lookup column). */
export function encodeU64Probes(shape: ProbeShape, keys: readonly LookupKey[]): EncodedProbes {
  const n = keys.length, type = shape.types[0]!, name = shape.names[0]!;
  const words = new Uint32Array(2 * n), valid = new Uint8Array(n);
  const firstValues: Value[] = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    let v: Value | undefined;
    if (Array.isArray(key)) {
      if (key.length !== 1) badKey(shape, key, `has ${key.length} values, expected 1`);
      v = key[0];
    } else {
      if (key === null || typeof key !== "object") badKey(shape, key, "is not an object or an array of values");
      v = (key as Record<string, Value>)[name];
      if (v === undefined) badKey(shape, key, `has no value for ${JSON.stringify(name)}`);
    }
    if (v === null) continue;
    const k = integerKey(shape, key, type, v as Value);
    valid[i] = 1;
    // `+ 0` turns a probe of -0 into the 0 the table holds (the value answers the key column).
    firstValues[i] = typeof k === "number" ? k + 0 : k;
    if (typeof k === "number") {
      words[2 * i] = (k ^ 0x80000000) >>> 0;
    } else {
      scratch64[0] = k;
      words[2 * i] = scratchWords[0]!;
      words[2 * i + 1] = (scratchWords[1]! ^ 0x80000000) >>> 0;
    }
  }
  const firstValueOf = (i: number): Value => {
    const key = keys[i]!;
    return Array.isArray(key) ? key[0] as Value : (key as Record<string, Value>)[name]!;
  };
  return { count: n, valuesOf: (i) => [firstValueOf(i)], firstValueOf, firstValues, valid, words, bytes: null, hashes: NO_HASHES };
}

/** Encodes probes for a "bytes" index (key-codec key parts). */
export function encodeBytesProbes(shape: ProbeShape, keys: readonly LookupKey[], codec: KeyCodec = createKeyCodec(shape.types)): EncodedProbes {
  const n = keys.length;
  const parts: Uint8Array[] = new Array(n);
  const values: Value[][] = new Array(n);
  const valid = new Uint8Array(n), hashes = new Uint32Array(2 * n), offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = probeValues(shape, keys[i]!);
    values[i] = v;
    if (v.some((x) => x === null)) { parts[i] = EMPTY; offsets[i + 1] = total; continue; }
    try {
      parts[i] = codec.encodeKeyPart(v);
    } catch (error) {
      if (error instanceof LakeError && error.code === "invalid_argument") {
        const m = /field (\d+) \(([^)]*)\) expects (.*)$/.exec(error.message);
        badKey(shape, keys[i], m === null ? `: ${error.message}` : `: column ${shape.names[Number(m[1])]} (${m[2]}) expects ${m[3]}`);
      }
      throw error;
    }
    valid[i] = 1;
    total += parts[i]!.length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) bytes.set(parts[i]!, offsets[i]!);
  for (let i = 0; i < n; i++) if (valid[i] === 1) hashBytesPair(bytes, offsets[i]!, offsets[i + 1]!, hashes, 2 * i);
  return { count: n, valuesOf: (i) => values[i]!, firstValueOf: null, firstValues: null, valid, words: null, bytes: { bytes, offsets }, hashes };
}

const EMPTY = new Uint8Array(0);
const NO_HASHES = new Uint32Array(0);

/**
 * Java's bucket of a one-column integer bucket key given as its raw little-endian 64-bit slot
 * (`lo`, `hi`: for BIGINT the two's-complement halves; for INT-like types the int and 0).
 * Same result as `fixedBucket([type], [value], numBuckets)`.
 */
export function bucketOfIntegerKey(lo: number, hi: number, numBuckets: number): number {
  return bucketFromHash(integerKeyHash(lo, hi), numBuckets);
}

/** Types whose one-column bucket key `bucketOfIntegerKey` serves. */
export function isIntegerBucketType(type: DataType): boolean {
  // SMALLINT and TINYINT fill only 2 or 1 bytes of the slot: they take the general path.
  return ["BIGINT", "INT", "DATE", "TIME"].includes(type.root) || (type.root === "DECIMAL" && (type.precision ?? 10) <= 18);
}

/**
 * Buckets of every valid probe, for one partition's bucket count. `bucketPositions` are the
 * bucket-key columns' positions in the lookup key. Invalid probes get -1.
 */
export function probeBuckets(probes: EncodedProbes, shape: ProbeShape, bucketPositions: readonly number[], bucketTypes: readonly DataType[], numBuckets: number): Int32Array {
  const out = new Int32Array(probes.count).fill(-1);
  if (numBuckets === 1) {
    for (let i = 0; i < probes.count; i++) if (probes.valid[i] === 1) out[i] = 0;
    return out;
  }
  if (probes.words !== null && bucketPositions.length === 1 && bucketPositions[0] === 0 && isIntegerBucketType(bucketTypes[0]!)) {
    const w = probes.words;
    const wide = bucketTypes[0]!.root === "BIGINT" || bucketTypes[0]!.root === "DECIMAL";
    for (let i = 0; i < probes.count; i++) {
      if (probes.valid[i] !== 1) continue;
      // Undo the sign flip of the index encoding to get the raw slot.
      out[i] = wide ? bucketOfIntegerKey(w[2 * i]!, (w[2 * i + 1]! ^ 0x80000000) | 0, numBuckets) : bucketOfIntegerKey((w[2 * i]! ^ 0x80000000) | 0, 0, numBuckets);
    }
    return out;
  }
  void shape;
  for (let i = 0; i < probes.count; i++) {
    if (probes.valid[i] !== 1) continue;
    const v = probes.valuesOf(i);
    out[i] = fixedBucket(bucketTypes, bucketPositions.map((p) => v[p]!), numBuckets);
  }
  return out;
}
