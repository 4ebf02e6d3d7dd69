/**
 * RowKind: the change type of a record (+I, -U, +U, -D), persisted as one byte.
 *
 * Mirrors `org.apache.paimon.types.RowKind`.
 * https://github.com/apache/paimon/blob/master/paimon-api/src/main/java/org/apache/paimon/types/RowKind.java
 *
 * Invariants: the byte values 0..3 and the short strings are persisted (BinaryRow header byte,
 * `_VALUE_KIND` column of data files): never renumber or respell them.
 *
 * Imports: errors.ts only.
 */
import { LakeError } from "../errors.ts";

/** RowKind byte values, spelled as Java's enum constants. Persisted. */
export const RowKind = {
  /** `+I`: insertion. */
  INSERT: 0,
  /** `-U`: the previous content of an updated row. */
  UPDATE_BEFORE: 1,
  /** `+U`: the new content of an updated row. */
  UPDATE_AFTER: 2,
  /** `-D`: deletion. */
  DELETE: 3,
} as const;

/** One RowKind byte value: 0 `+I`, 1 `-U`, 2 `+U`, 3 `-D`. */
export type RowKind = (typeof RowKind)[keyof typeof RowKind];

/** Short strings indexed by byte value. Persisted (changelog output, CLI, Flink). */
export const ROW_KIND_SHORT_STRINGS = ["+I", "-U", "+U", "-D"] as const;

/** One RowKind short string. */
export type RowKindShortString = (typeof ROW_KIND_SHORT_STRINGS)[number];

/** True when `value` is a valid RowKind byte (an integer 0..3). */
export function isRowKind(value: unknown): value is RowKind {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/**
 * Returns the RowKind for a persisted byte.
 * Requires: `value` comes from a file; anything but 0..3 is a LakeError("corruption").
 */
export function rowKindFromByte(value: number): RowKind {
  if (!isRowKind(value)) {
    throw new LakeError("corruption", `row kind: unknown byte value ${value}, expected 0..3`);
  }
  return value;
}

/** Returns the short string (`+I`, `-U`, `+U`, `-D`) of `kind`. */
export function rowKindToShortString(kind: RowKind): RowKindShortString {
  return ROW_KIND_SHORT_STRINGS[kind];
}

/**
 * Parses a short string, case-insensitively as Java does (`+i` is INSERT).
 * Throws LakeError("invalid_argument") for anything else.
 */
export function rowKindFromShortString(text: string): RowKind {
  const i = (ROW_KIND_SHORT_STRINGS as readonly string[]).indexOf(text.toUpperCase());
  if (i < 0) {
    throw new LakeError("invalid_argument", `row kind: unknown short string ${JSON.stringify(text)}, expected +I, -U, +U or -D`);
  }
  return i as RowKind;
}

/** True for UPDATE_BEFORE and DELETE: the record retracts a previous row. */
export function isRetract(kind: RowKind): boolean {
  return kind === RowKind.UPDATE_BEFORE || kind === RowKind.DELETE;
}

/** True for INSERT and UPDATE_AFTER: the record adds a row. */
export function isAdd(kind: RowKind): boolean {
  return kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER;
}
