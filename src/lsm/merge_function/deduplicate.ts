/**
 * The `deduplicate` merge engine (the default): the last record of a key wins; with
 * `ignore-delete` retract records are skipped instead.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.DeduplicateMergeFunction`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/DeduplicateMergeFunction.java
 *
 * Invariants: the result is the last added record itself (kind included, so a trailing -D makes
 * the key disappear from batch reads); with `ignore-delete`, -U/-D records are ignored (Paimon
 * ≤0.7 could write them despite the option) and the result is null if nothing else was added.
 *
 * Imports: spec/core_options.ts, spec/core_options_types.ts, spec/row_kind.ts, lsm/key_value.ts
 * (type), merge_function/merge_function.ts (types).
 */
import { optionBoolean } from "../../spec/core_options.ts";
import { MergeEngine, type OptionMap } from "../../spec/core_options_types.ts";
import { isRetract } from "../../spec/row_kind.ts";
import type { KeyValue } from "../key_value.ts";
import type { MergeFunction, MergeFunctionFactory } from "./merge_function.ts";

/** Keeps the latest record of a key. */
export class DeduplicateMergeFunction implements MergeFunction {
  private readonly ignoreDelete: boolean;
  private latest: KeyValue | null = null;

  constructor(ignoreDelete: boolean) {
    this.ignoreDelete = ignoreDelete;
  }

  reset(): void {
    this.latest = null;
  }

  add(kv: KeyValue): void {
    if (this.ignoreDelete && isRetract(kv.rowKind)) return;
    this.latest = kv;
  }

  getResult(): KeyValue | null {
    return this.latest;
  }
}

/** Factory of the deduplicate engine; reads `ignore-delete` (and its fallback keys). */
export function createDeduplicateFactory(options: OptionMap): MergeFunctionFactory {
  const ignoreDelete = optionBoolean(options, "ignore-delete")!;
  return {
    mergeEngine: MergeEngine.DEDUPLICATE,
    create: () => new DeduplicateMergeFunction(ignoreDelete),
    adjustReadFields: (readFields) => [...readFields],
  };
}
