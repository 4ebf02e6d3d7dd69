/**
 * Shared pieces of the merge engines: the error noun, the level of merged results, and the
 * builder of a merged KeyValue.
 *
 * Mirrors `KeyValue.replace(key, sequenceNumber, valueKind, value)`, which marks a rebuilt
 * record with `KeyValue.UNKNOWN_LEVEL` (-1):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/KeyValue.java
 *
 * Invariants: a merged result owns a fresh copy of its value row (later adds never change a
 * result already handed out).
 * Imports: spec/row_kind.ts, spec/values.ts (types), lsm/key_value.ts (type), errors.ts.
 */
import { LakeError } from "../../errors.ts";
import type { RowKind } from "../../spec/row_kind.ts";
import type { Row, Value } from "../../spec/values.ts";
import type { KeyValue } from "../key_value.ts";

/** Level of merged results (Java `KeyValue.UNKNOWN_LEVEL`). */
export const MERGED_RESULT_LEVEL = -1;

/** Error noun of merge-engine messages. */
export const MERGE_NOUN = "merge function";

/** A merged record: `value` is copied. */
export function mergedKeyValue(key: Row, sequenceNumber: bigint, rowKind: RowKind, value: readonly Value[]): KeyValue {
  return { key, sequenceNumber, rowKind, value: [...value], level: MERGED_RESULT_LEVEL };
}

/** LakeError("invalid_argument") with the merge noun: a record or option Java rejects. */
export function mergeError(message: string): LakeError {
  return new LakeError("invalid_argument", `${MERGE_NOUN}: ${message}`);
}

/** Java `initRow` check: a NOT NULL column must not be null in a retract record. */
export function checkNotNullField(value: Value, nullable: boolean, index: number): void {
  if (!nullable && value === null) throw mergeError(`Field ${index} can not be null`);
}
