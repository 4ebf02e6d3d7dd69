/**
 * A `KeyComparator` over serialized key BinaryRows (DataFileMeta `minKey`/`maxKey`) for given
 * trimmed primary-key types: each row is decoded once, re-encoded with spec/key_codec's
 * order-preserving key part, and the key parts are compared with memcmp. The result is Java's
 * generated `RecordComparator` order on the key (what `Levels`, `SortedRun` and
 * `IntervalPartition` use in Java).
 *
 * Mirrors the key comparator Java passes to `Levels` (`KeyComparatorSupplier`):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/KeyComparatorSupplier.java
 *
 * Invariants: the comparator is a total order consistent with key_codec; encoded key parts are
 * cached per Uint8Array object (WeakMap), so callers must not mutate key bytes after comparing.
 *
 * Imports: spec (binary_row, key_codec, data_types type), util/bytes.ts, lsm/sorted_run.ts (type).
 */
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataType } from "../spec/data_types.ts";
import { createKeyCodec } from "../spec/key_codec.ts";
import { compareBytes } from "../util/bytes.ts";
import type { KeyComparator } from "./sorted_run.ts";

/**
 * Builds the comparator for serialized key rows of `keyTypes` (trimmed primary key, in order).
 * Throws LakeError("unsupported") for a type that cannot be a key; the returned comparator throws
 * LakeError("corruption") for bytes that do not decode with `keyTypes`.
 */
export function createFileKeyComparator(keyTypes: readonly DataType[]): KeyComparator {
  const codec = createKeyCodec(keyTypes);
  const cache = new WeakMap<Uint8Array, Uint8Array>();
  const keyPartOf = (row: Uint8Array): Uint8Array => {
    let part = cache.get(row);
    if (part === undefined) {
      part = codec.encodeKeyPart(decodeSerializedBinaryRow(keyTypes, row));
      cache.set(row, part);
    }
    return part;
  };
  return (a, b) => compareBytes(keyPartOf(a), keyPartOf(b));
}
