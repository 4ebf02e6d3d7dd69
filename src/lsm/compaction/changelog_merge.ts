/**
 * The merge-function wrappers of changelog-producing compactions: each merges one key's
 * records like the table's merge function and, besides the result written to the compaction
 * output, emits the key's changelog records to a sink.
 *
 *  - `LookupChangelogMergeFunction` (Java `LookupChangelogMergeFunctionWrapper`, lookup
 *    compaction): the before value is the record of the smallest level > 0 in the merge, or when
 *    there is none, the record looked up in the levels below the output level (inserted into the
 *    merge by sequence order). Only keys with a level-0 record produce changelog: no before (or a
 *    retract before) and an added result → +I; an added before and a retract result → -D(before);
 *    else -U(before) +U(result), skipped when the row equaliser finds both values equal.
 *  - `FullChangelogMergeFunction` (Java `FullChangelogMergeFunctionWrapper`, full compaction):
 *    the before value is the key's max-level record; a key with one record is not merged (and
 *    changes nothing unless it is new); the result is null for retracts.
 *  - `FirstRowChangelogMergeFunction` (Java `FirstRowMergeFunctionWrapper`): a key with no record
 *    above level 0 whose key exists below the output level is dropped; a new key is +I.
 *
 * Changelog records carry the key, sequence number and value of their source record (Java
 * `KeyValue.replace`). `createRowEqualiser` is Java's `changelog-producer.row-deduplicate`
 * equaliser (`ValueEqualiserSupplier.fromIgnoreFields`): values compared field by field,
 * `changelog-producer.row-deduplicate-ignore-fields` left out.
 *
 * Imports: spec (row_kind, values, data_types types), util/bytes.ts, lsm (key_value type,
 * merge_function/{merge_function,lookup,first_row,merge_result,sequence_comparator}).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/LookupChangelogMergeFunctionWrapper.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/FullChangelogMergeFunctionWrapper.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/FirstRowMergeFunctionWrapper.java
 */
import type { DataField } from "../../spec/data_types.ts";
import { isAdd, isRetract, RowKind } from "../../spec/row_kind.ts";
import type { Row, Value } from "../../spec/values.ts";
import { equalBytes } from "../../util/bytes.ts";
import { assert } from "../../util/assert.ts";
import type { KeyValue } from "../key_value.ts";
import type { FirstRowMergeFunction } from "../merge_function/first_row.ts";
import type { LookupMergeFunction } from "../merge_function/lookup.ts";
import type { MergeFunction } from "../merge_function/merge_function.ts";
import { MERGED_RESULT_LEVEL } from "../merge_function/merge_result.ts";
import type { UserDefinedSeqComparator } from "../merge_function/sequence_comparator.ts";

/** Compares two value rows (Java `RecordEqualiser`). */
export type RowEqualiser = (a: Row, b: Row) => boolean;

/** Where changelog records go, in production order. */
export type ChangelogSink = (kv: KeyValue) => void;

/** Java `Object.equals` of two values of one type (NaN equals NaN, 0.0 differs from -0.0). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== typeof b) return false;
  if (typeof a !== "object") return false;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && equalBytes(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  // Timestamp and Variant objects: field by field.
  const x = a as unknown as Record<string, Value>, y = b as unknown as Record<string, Value>;
  const ka = Object.keys(x);
  if (ka.length !== Object.keys(y).length) return false;
  for (const k of ka) if (!valuesEqual(x[k] ?? null, y[k] ?? null)) return false;
  return true;
}

/**
 * The `changelog-producer.row-deduplicate` equaliser over rows of `fields`, ignoring the named
 * fields, or null when row deduplication is off.
 */
export function createRowEqualiser(fields: readonly DataField[], rowDeduplicate: boolean, ignoreFields: readonly string[]): RowEqualiser | null {
  if (!rowDeduplicate) return null;
  const compared = fields.map((f, i) => (ignoreFields.includes(f.name) ? -1 : i)).filter((i) => i >= 0);
  return (a, b) => compared.every((i) => valuesEqual(a[i] ?? null, b[i] ?? null));
}

/** A changelog record: `from`'s key, sequence number and value with `kind` (Java `KeyValue.replace`). */
function changelogRecord(kind: RowKind, from: KeyValue): KeyValue {
  return { key: from.key, sequenceNumber: from.sequenceNumber, rowKind: kind, value: from.value, level: MERGED_RESULT_LEVEL };
}

/** The order `insertInto` places a looked-up record by: sequence.field, then sequence number. */
export function lookupInsertOrder(seq: UserDefinedSeqComparator | null): (a: KeyValue, b: KeyValue) => number {
  return (a, b) => {
    if (seq !== null) {
      const c = seq.compare(a.value, b.value);
      if (c !== 0) return c;
    }
    return a.sequenceNumber === b.sequenceNumber ? 0 : a.sequenceNumber < b.sequenceNumber ? -1 : 1;
  };
}

/** Java `LookupChangelogMergeFunctionWrapper` (see the file header). */
export class LookupChangelogMergeFunction implements MergeFunction {
  readonly #inner: LookupMergeFunction;
  readonly #lookup: (key: Row) => KeyValue | null;
  readonly #equaliser: RowEqualiser | null;
  readonly #sink: ChangelogSink | null;
  readonly #order: (a: KeyValue, b: KeyValue) => number;

  /** `sink` null: no changelog (lookup compaction of force-lookup tables). */
  constructor(inner: LookupMergeFunction, options: {
    lookup: (key: Row) => KeyValue | null; equaliser: RowEqualiser | null; sink: ChangelogSink | null; sequenceComparator: UserDefinedSeqComparator | null;
  }) {
    this.#inner = inner;
    this.#lookup = options.lookup;
    this.#equaliser = options.equaliser;
    this.#sink = options.sink;
    this.#order = lookupInsertOrder(options.sequenceComparator);
  }

  reset(): void {
    this.#inner.reset();
  }

  add(kv: KeyValue): void {
    this.#inner.add(kv);
  }

  getResult(): KeyValue | null {
    let high = this.#inner.pickHighLevel();
    const containLevel0 = this.#inner.containLevel0();
    if (high === null) {
      const key = this.#inner.key();
      high = key === null ? null : this.#lookup(key);
      if (high !== null) this.#inner.insertInto(high, this.#order);
    }
    const result = this.#inner.getResult();
    if (containLevel0 && this.#sink !== null && result !== null) this.#setChangelog(high, result, this.#sink);
    return result;
  }

  #setChangelog(before: KeyValue | null, after: KeyValue, sink: ChangelogSink): void {
    if (before === null || !isAdd(before.rowKind)) {
      if (isAdd(after.rowKind)) sink(changelogRecord(RowKind.INSERT, after));
    } else if (!isAdd(after.rowKind)) {
      sink(changelogRecord(RowKind.DELETE, before));
    } else if (this.#equaliser === null || !this.#equaliser(before.value, after.value)) {
      sink(changelogRecord(RowKind.UPDATE_BEFORE, before));
      sink(changelogRecord(RowKind.UPDATE_AFTER, after));
    }
  }
}

/** Java `FullChangelogMergeFunctionWrapper` (see the file header). */
export class FullChangelogMergeFunction implements MergeFunction {
  readonly #inner: MergeFunction;
  readonly #maxLevel: number;
  readonly #equaliser: RowEqualiser | null;
  readonly #sink: ChangelogSink;
  #top: KeyValue | null = null;
  #initial: KeyValue | null = null;
  #initialized = false;

  constructor(inner: MergeFunction, options: { maxLevel: number; equaliser: RowEqualiser | null; sink: ChangelogSink }) {
    this.#inner = inner;
    this.#maxLevel = options.maxLevel;
    this.#equaliser = options.equaliser;
    this.#sink = options.sink;
  }

  reset(): void {
    this.#inner.reset();
    this.#top = null;
    this.#initial = null;
    this.#initialized = false;
  }

  add(kv: KeyValue): void {
    if (kv.level === this.#maxLevel) {
      assert(this.#top === null, "full changelog merge: Top level key-value already exists! This is unexpected.");
      this.#top = kv;
    }
    if (this.#initial === null) {
      this.#initial = kv;
      return;
    }
    if (!this.#initialized) {
      this.#inner.add(this.#initial);
      this.#initialized = true;
    }
    this.#inner.add(kv);
  }

  getResult(): KeyValue | null {
    const top = this.#top;
    if (this.#initialized) {
      const merged = this.#inner.getResult();
      if (merged === null) return null;
      if (top === null) {
        if (isAdd(merged.rowKind)) this.#sink(changelogRecord(RowKind.INSERT, merged));
      } else if (!isAdd(merged.rowKind)) {
        this.#sink(changelogRecord(RowKind.DELETE, top));
      } else if (this.#equaliser === null || !this.#equaliser(top.value, merged.value)) {
        this.#sink(changelogRecord(RowKind.UPDATE_BEFORE, top));
        this.#sink(changelogRecord(RowKind.UPDATE_AFTER, merged));
      }
      return isRetract(merged.rowKind) ? null : merged;
    }
    const initial = this.#initial;
    if (initial === null) return null;
    if (top === null && isAdd(initial.rowKind)) this.#sink(changelogRecord(RowKind.INSERT, initial));
    return isRetract(initial.rowKind) ? null : initial;
  }
}

/** Java `FirstRowMergeFunctionWrapper` (see the file header). */
export class FirstRowChangelogMergeFunction implements MergeFunction {
  readonly #inner: FirstRowMergeFunction;
  readonly #contains: (key: Row) => boolean;
  readonly #sink: ChangelogSink | null;
  #key: Row | null = null;

  constructor(inner: FirstRowMergeFunction, options: { contains: (key: Row) => boolean; sink: ChangelogSink | null }) {
    this.#inner = inner;
    this.#contains = options.contains;
    this.#sink = options.sink;
  }

  reset(): void {
    this.#inner.reset();
    this.#key = null;
  }

  add(kv: KeyValue): void {
    this.#key = kv.key;
    this.#inner.add(kv);
  }

  getResult(): KeyValue | null {
    const result = this.#inner.getResult();
    if (this.#inner.containsHighLevel) return result;
    if (result === null || this.#key === null || this.#contains(this.#key)) return null;
    this.#sink?.(result);
    return result;
  }
}
