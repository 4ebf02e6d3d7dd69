/**
 * The `first-row` merge engine: the first record of a key wins; retract records are rejected
 * unless `ignore-delete` is set.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.FirstRowMergeFunction`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/FirstRowMergeFunction.java
 *
 * Invariants: the result is the first added add-record itself. A -U/-D record is skipped with
 * `ignore-delete`, otherwise LakeError("invalid_argument") with Java's message. Level-0 files of
 * first-row tables are invisible to batch scans (see `batchScanSkipsLevel0`); Java never wraps
 * this engine in the lookup merge function. `containsHighLevel` tells whether a record came from
 * a level above 0 (Java uses it when producing changelog).
 *
 * Imports: spec/core_options.ts, spec/core_options_types.ts, spec/row_kind.ts, lsm/key_value.ts
 * (type), merge_function/merge_function.ts (types), merge_function/merge_result.ts.
 */
import { optionBoolean } from "../../spec/core_options.ts";
import { MergeEngine, type OptionMap } from "../../spec/core_options_types.ts";
import { isRetract } from "../../spec/row_kind.ts";
import type { KeyValue } from "../key_value.ts";
import type { MergeFunction, MergeFunctionFactory } from "./merge_function.ts";
import { mergeError } from "./merge_result.ts";

/** Keeps the first record of a key. */
export class FirstRowMergeFunction implements MergeFunction {
  private readonly ignoreDelete: boolean;
  private first: KeyValue | null = null;
  /** True once a record from a level above 0 was added since `reset()`. */
  containsHighLevel = false;

  constructor(ignoreDelete: boolean) {
    this.ignoreDelete = ignoreDelete;
  }

  reset(): void {
    this.first = null;
    this.containsHighLevel = false;
  }

  add(kv: KeyValue): void {
    if (isRetract(kv.rowKind)) {
      if (this.ignoreDelete) return;
      throw mergeError(
        "By default, First row merge engine can not accept DELETE/UPDATE_BEFORE records.\n" +
          "You can config 'ignore-delete' to ignore the DELETE/UPDATE_BEFORE records.",
      );
    }
    if (this.first === null) this.first = kv;
    if (kv.level > 0) this.containsHighLevel = true;
  }

  getResult(): KeyValue | null {
    return this.first;
  }
}

/** Factory of the first-row engine; reads `ignore-delete` (and its fallback keys). */
export function createFirstRowFactory(options: OptionMap): MergeFunctionFactory {
  const ignoreDelete = optionBoolean(options, "ignore-delete")!;
  return {
    mergeEngine: MergeEngine.FIRST_ROW,
    create: () => new FirstRowMergeFunction(ignoreDelete),
    adjustReadFields: (readFields) => [...readFields],
  };
}
