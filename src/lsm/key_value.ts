/**
 * KeyValue: one record of a primary-key table as the LSM sees it: the trimmed primary key, the
 * sequence number, the row kind and the full value row.
 *
 * Mirrors Java `org.apache.paimon.KeyValue`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/KeyValue.java
 *
 * Invariants: `key` holds the trimmed primary-key values (primary keys minus partition keys) in
 * primary-key order; `value` holds every column of the read schema in schema order (the key
 * columns included, as Paimon stores them); values follow spec/values.ts. A KeyValue is
 * immutable once handed to a merge function.
 * Imports: spec (values, row_kind).
 */
import type { RowKind } from "../spec/row_kind.ts";
import type { Row } from "../spec/values.ts";

/** One record of a primary-key table. */
export interface KeyValue {
  /** Trimmed primary-key values, in primary-key order. */
  readonly key: Row;
  /** Per-bucket sequence number (`_SEQUENCE_NUMBER`). */
  readonly sequenceNumber: bigint;
  /** `_VALUE_KIND`: +I, -U, +U or -D. */
  readonly rowKind: RowKind;
  /** The full value row, every read-schema column in schema order. */
  readonly value: Row;
  /** LSM level of the file the record came from (first-row and lookup visibility need it). */
  readonly level: number;
}
