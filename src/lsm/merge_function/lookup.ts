/**
 * The lookup wrapper Java puts around every merge engine but first-row when the table "needs
 * lookup" (changelog-producer=lookup, deletion vectors, force-lookup): of the records above
 * level 0 only the one from the lowest level takes part in the merge, because lookup
 * compaction already folded the deeper levels into it.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.LookupMergeFunction` (candidates kept in memory,
 * never spilled):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/LookupMergeFunction.java
 *
 * Invariants: `getResult()` resets the wrapped function and feeds it, in arrival order, every
 * record with level ≤ 0 plus the first record with the smallest level > 0. Records are kept
 * until the next `reset()`. Lookup compaction (compaction/changelog_merge.ts) may add the
 * previous value it looked up in deeper levels with `insertInto`, placed by sequence order
 * (Java `KeyValueBuffer.insertInto`).
 *
 * Imports: spec/values.ts (type), lsm/key_value.ts (type), merge_function/merge_function.ts (types).
 */
import type { Row } from "../../spec/values.ts";
import type { KeyValue } from "../key_value.ts";
import type { MergeFunction, MergeFunctionFactory } from "./merge_function.ts";

/** Java `LookupMergeFunction` over an engine's merge function. */
export class LookupMergeFunction implements MergeFunction {
  private readonly inner: MergeFunction;
  private candidates: KeyValue[] = [];

  constructor(inner: MergeFunction) {
    this.inner = inner;
  }

  reset(): void {
    this.candidates = [];
  }

  add(kv: KeyValue): void {
    this.candidates.push(kv);
  }

  /** The key of the last record added, or null after `reset()` (Java `key()`). */
  key(): Row | null {
    const last = this.candidates[this.candidates.length - 1];
    return last === undefined ? null : last.key;
  }

  /** The record from the smallest level above 0 (first one on ties), or null (Java `pickHighLevel`). */
  pickHighLevel(): KeyValue | null {
    const at = this.pickHighLevelIndex();
    return at < 0 ? null : this.candidates[at]!;
  }

  /**
   * Inserts `kv` before the first candidate it orders strictly before under `compare`, else at
   * the end (Java `KeyValueBuffer.insertInto`).
   */
  insertInto(kv: KeyValue, compare: (a: KeyValue, b: KeyValue) => number): void {
    const at = this.candidates.findIndex((c) => compare(kv, c) < 0);
    if (at < 0) this.candidates.push(kv);
    else this.candidates.splice(at, 0, kv);
  }

  /** True when a level-0 record was added since `reset()`. */
  containLevel0(): boolean {
    return this.candidates.some((kv) => kv.level === 0);
  }

  /** Index of the record from the smallest level above 0 (first one on ties), or -1. */
  pickHighLevelIndex(): number {
    let best = -1;
    for (let i = 0; i < this.candidates.length; i++) {
      const level = this.candidates[i]!.level;
      if (level > 0 && (best < 0 || level < this.candidates[best]!.level)) best = i;
    }
    return best;
  }

  getResult(): KeyValue | null {
    this.inner.reset();
    const high = this.pickHighLevelIndex();
    this.candidates.forEach((kv, i) => {
      if (kv.level <= 0 || i === high) this.inner.add(kv);
    });
    return this.inner.getResult();
  }
}

/** Wraps an engine factory so that every merge function it creates is a lookup merge function. */
export function wrapWithLookup(wrapped: MergeFunctionFactory): MergeFunctionFactory {
  return {
    mergeEngine: wrapped.mergeEngine,
    create: (readFields) => new LookupMergeFunction(wrapped.create(readFields)),
    adjustReadFields: (readFields) => wrapped.adjustReadFields(readFields),
  };
}
