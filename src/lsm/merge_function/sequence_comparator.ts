/**
 * Ordering of records that share a primary key: the user-defined sequence fields
 * (`sequence.field`, `sequence.field.sort-order`; also the per-group ordering of partial-update
 * sequence groups), then `_SEQUENCE_NUMBER`, then retracts before adds. Also the per-type value
 * comparison Java's generated `RecordComparator` uses.
 *
 * Mirrors `org.apache.paimon.utils.UserDefinedSeqComparator`, the comparator Paimon generates in
 * `org.apache.paimon.codegen.GenerateUtils#generateRowCompare/generateCompare` (sort spec with
 * `nullIsLast = false`), and the same-key order of `SortMergeReaderWithMinHeap`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/UserDefinedSeqComparator.java
 * https://github.com/apache/paimon/blob/master/paimon-codegen/src/main/scala/org/apache/paimon/codegen/GenerateUtils.scala
 *
 * Invariants:
 *  - Null is always the smallest value of a sequence field, whatever the sort order: Java builds
 *    the sort spec with `nullIsLast = false` and does not negate the null branch for descending
 *    fields. Only the comparison of two non-null values is negated for descending order.
 *  - Non-null comparison per type: integers, DATE, TIME, BIGINT and DECIMAL numerically; FLOAT and
 *    DOUBLE as `Float.compare`/`Double.compare` (-0.0 < 0.0, NaN largest and equal to itself);
 *    strings as unsigned UTF-8 bytes (= code point order); binaries as unsigned bytes, shorter
 *    first on a common prefix; BOOLEAN false < true; TIMESTAMP by millis then nanos; ARRAY and
 *    VECTOR element-wise (null elements first) then by length; MAP/MULTISET by size, then key
 *    array, then value array; ROW field by field ascending with nulls first.
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts, spec/values.ts (types), spec/row_kind.ts,
 * spec/core_options.ts, spec/core_options_types.ts (type), lsm/key_value.ts (type).
 */
import { LakeError } from "../../errors.ts";
import { compareBytes } from "../../util/bytes.ts";
import { describeType, type DataField, type DataType } from "../../spec/data_types.ts";
import type { Row, Timestamp, Value } from "../../spec/values.ts";
import { isAdd } from "../../spec/row_kind.ts";
import { optionEnum, optionString } from "../../spec/core_options.ts";
import type { OptionMap } from "../../spec/core_options_types.ts";
import type { KeyValue } from "../key_value.ts";

/** Compares two non-null values of one type; negative, zero or positive. */
export type ValueComparator = (a: Value, b: Value) => number;

/** Java `Float.compare` / `Double.compare` for two JS numbers. */
export function compareJavaFloating(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const aNaN = Number.isNaN(a), bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  // equal numbers: only the zeros differ in bits (-0.0 < 0.0)
  const aNeg = Object.is(a, -0), bNeg = Object.is(b, -0);
  return aNeg === bNeg ? 0 : aNeg ? -1 : 1;
}

/** Unsigned UTF-8 byte order of two strings (Java `BinaryString.compareTo`), by code points. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates (U+D800..U+DFFF) break UTF-16 order versus code point order.
    const xs = x >= 0xd800 && x <= 0xdfff, ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x < y ? -1 : 1;
    return xs ? 1 : -1; // a supplementary code point sorts after every BMP code point
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** `Timestamp.compareTo`: milliseconds, then nanoseconds of the millisecond. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.epochMillis !== b.epochMillis) return a.epochMillis < b.epochMillis ? -1 : 1;
  return a.nanoOfMillisecond === b.nanoOfMillisecond ? 0 : a.nanoOfMillisecond < b.nanoOfMillisecond ? -1 : 1;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareNumbers(a: Value, b: Value): number {
  return (a as number | bigint) < (b as number | bigint) ? -1 : (a as number | bigint) > (b as number | bigint) ? 1 : 0;
}

/** Element-wise compare with nulls first, then by length (Java `generateArrayCompare`). */
function arrayComparator(element: ValueComparator): ValueComparator {
  return (a, b) => {
    const x = a as readonly Value[], y = b as readonly Value[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const u = x[i] ?? null, v = y[i] ?? null;
      if (u === null && v === null) continue;
      if (u === null) return -1;
      if (v === null) return 1;
      const c = element(u, v);
      if (c !== 0) return c;
    }
    return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
  };
}

/**
 * The Java comparison of two non-null values of `type` (generated `generateCompare`).
 * Throws LakeError("invalid_argument") for VARIANT and BLOB, which Java cannot order either.
 */
export function valueComparatorOf(type: DataType): ValueComparator {
  switch (type.root) {
    case "BOOLEAN": return (a, b) => (a === b ? 0 : a ? 1 : -1);
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": case "BIGINT": case "DECIMAL":
      return compareNumbers;
    case "FLOAT": case "DOUBLE": return (a, b) => compareJavaFloating(a as number, b as number);
    case "CHAR": case "VARCHAR": return (a, b) => compareUtf8(a as string, b as string);
    case "BINARY": case "VARBINARY": return (a, b) => sign(compareBytes(a as Uint8Array, b as Uint8Array));
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return (a, b) => compareTimestamps(a as Timestamp, b as Timestamp);
    case "ARRAY": case "VECTOR": return arrayComparator(valueComparatorOf(type.element));
    case "MAP": case "MULTISET": {
      const keys = arrayComparator(valueComparatorOf(type.root === "MAP" ? type.key : type.element));
      const values = arrayComparator(type.root === "MAP" ? valueComparatorOf(type.value) : compareNumbers);
      return (a, b) => {
        const x = a as readonly (readonly [Value, Value])[], y = b as readonly (readonly [Value, Value])[];
        if (x.length !== y.length) return x.length < y.length ? -1 : 1;
        const c = keys(x.map((e) => e[0]), y.map((e) => e[0]));
        return c !== 0 ? c : values(x.map((e) => e[1]), y.map((e) => e[1]));
      };
    }
    case "ROW": {
      const fields = type.fields.map((f) => valueComparatorOf(f.type));
      return (a, b) => compareRowFields(a as Row, b as Row, fields);
    }
    case "VARIANT": case "BLOB":
      throw new LakeError("invalid_argument", `sequence comparator: type ${describeType(type)} cannot be ordered`);
  }
}

function compareRowFields(a: Row, b: Row, fields: readonly ValueComparator[]): number {
  for (let i = 0; i < fields.length; i++) {
    const u = a[i] ?? null, v = b[i] ?? null;
    if (u === null && v === null) continue;
    if (u === null) return -1;
    if (v === null) return 1;
    const c = fields[i]!(u, v);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Compares rows by some of their fields (Java `UserDefinedSeqComparator`): fields in the given
 * order, null smallest, non-null comparisons negated when descending.
 */
export class UserDefinedSeqComparator {
  /** Indexes of the compared fields in the row, in comparison order. */
  readonly fieldIndexes: readonly number[];
  /** True for `sequence.field.sort-order=ascending` (always true for sequence groups). */
  readonly ascending: boolean;
  private readonly comparators: readonly ValueComparator[];

  /** Requires: every index is inside `fields`. */
  constructor(fields: readonly DataField[], fieldIndexes: readonly number[], ascending: boolean) {
    // Java deduplicates nothing here; a repeated index simply compares twice.
    this.fieldIndexes = fieldIndexes;
    this.ascending = ascending;
    this.comparators = fieldIndexes.map((i) => {
      const f = fields[i];
      if (f === undefined) throw new LakeError("invalid_argument", `sequence comparator: field index ${i} is outside the row of ${fields.length} fields`);
      return valueComparatorOf(f.type);
    });
  }

  /** Negative when `a` orders before `b`. */
  compare(a: Row, b: Row): number {
    for (let k = 0; k < this.fieldIndexes.length; k++) {
      const i = this.fieldIndexes[k]!;
      const u = a[i] ?? null, v = b[i] ?? null;
      if (u === null && v === null) continue;
      if (u === null) return -1;
      if (v === null) return 1;
      const c = this.comparators[k]!(u, v);
      if (c !== 0) return this.ascending ? c : -c;
    }
    return 0;
  }
}

/**
 * Comparator for named sequence fields of a row with `fields`, or null when `names` is empty
 * (Java `UserDefinedSeqComparator.create(rowType, sequenceFields, isAscendingOrder)`).
 * Throws LakeError("invalid_argument") when a name is not a field.
 */
export function createUserDefinedSeqComparator(
  fields: readonly DataField[],
  names: readonly string[],
  ascending: boolean,
): UserDefinedSeqComparator | null {
  if (names.length === 0) return null;
  const indexes = names.map((n) => {
    const i = fields.findIndex((f) => f.name === n);
    if (i < 0) throw new LakeError("invalid_argument", `sequence comparator: sequence field '${n}' is not in the read fields (${fields.map((f) => f.name).join(", ")})`);
    return i;
  });
  return new UserDefinedSeqComparator(fields, indexes, ascending);
}

/** `sequence.field` names exactly as Java splits them (`split(",")`, each trimmed). */
export function sequenceFieldNames(options: OptionMap): string[] {
  const raw = optionString(options, "sequence.field");
  if (raw === null) return [];
  const parts = raw.split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop(); // Java split drops trailing empties
  return parts.map((s) => s.trim());
}

/** True unless `sequence.field.sort-order` is `descending`. */
export function sequenceFieldAscending(options: OptionMap): boolean {
  return optionEnum(options, "sequence.field.sort-order") !== "descending";
}

/**
 * The `sequence.field` comparator over the values of a read row (Java
 * `MergeFileSplitRead#createUdsComparator`), or null when no sequence field is configured.
 * Requires: `readFields` contains the sequence fields (see the factory's `adjustReadFields`).
 */
export function sequenceComparatorFromOptions(readFields: readonly DataField[], options: OptionMap): UserDefinedSeqComparator | null {
  return createUserDefinedSeqComparator(readFields, sequenceFieldNames(options), sequenceFieldAscending(options));
}

/**
 * Order of two records with the same key as the merge reader feeds them to a merge function
 * (Java `SortMergeReaderWithMinHeap`): user sequence fields of the values (if any), then
 * `_SEQUENCE_NUMBER`, then retract (-U/-D) before add (+I/+U). Negative when `a` comes first.
 */
export function compareSameKeyRecords(a: KeyValue, b: KeyValue, seq: UserDefinedSeqComparator | null): number {
  if (seq !== null) {
    const c = seq.compare(a.value, b.value);
    if (c !== 0) return c;
  }
  if (a.sequenceNumber !== b.sequenceNumber) return a.sequenceNumber < b.sequenceNumber ? -1 : 1;
  const x = isAdd(a.rowKind), y = isAdd(b.rowKind);
  return x === y ? 0 : x ? 1 : -1;
}
