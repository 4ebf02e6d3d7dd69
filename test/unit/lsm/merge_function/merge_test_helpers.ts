// Shared helpers of the merge-function tests (not a test file): field and record builders that
// mirror the Java tests' RowType.of(...) (fields named f0, f1, ...) and KeyValue.replace(...).
import { atomic, type AtomicRoot, type DataField, type DataType } from "../../../../src/spec/data_types.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { Value } from "../../../../src/spec/values.ts";
import type { KeyValue } from "../../../../src/lsm/key_value.ts";
import type { MergeFunction } from "../../../../src/lsm/merge_function/merge_function.ts";
import { isLakeError, type ErrorCode } from "../../../../src/errors.ts";

/** A field with an id equal to its position. */
export function field(id: number, name: string, type: DataType): DataField {
  return { id, name, type };
}

/** Java `RowType.of(types...)`: fields f0..fn-1. */
export function rowOf(...types: DataType[]): DataField[] {
  return types.map((t, i) => field(i, `f${i}`, t));
}

/** `count` nullable INT fields f0..f(count-1). */
export function intFields(count: number): DataField[] {
  return rowOf(...Array.from({ length: count }, () => atomic("INT")));
}

/** Fields with the given names and types (Java `RowType.of(types, names)`). */
export function namedFields(names: readonly string[], types: readonly DataType[]): DataField[] {
  return names.map((n, i) => field(i, n, types[i]!));
}

/** Shorthand for a nullable atomic type. */
export function t(root: AtomicRoot, options: { nullable?: boolean; length?: number; precision?: number; scale?: number } = {}): DataType {
  return atomic(root, options);
}

/** A record; `level` defaults to 0. */
export function kv(key: Value[], sequenceNumber: bigint | number, rowKind: RowKind, value: Value[], level = 0): KeyValue {
  return { key, sequenceNumber: BigInt(sequenceNumber), rowKind, value, level };
}

/** Feeds records with consecutive sequence numbers, like the Java tests' `add(func, kind, ...)`. */
export class Feeder {
  private sequence = 0;
  private readonly fn: MergeFunction;

  constructor(fn: MergeFunction) {
    this.fn = fn;
  }

  /** Adds an INSERT with key `[values[0]]`... as Java's PartialUpdateMergeFunctionTest: key (1). */
  add(...values: Value[]): void {
    this.addKind(RowKind.INSERT, ...values);
  }

  /** Adds a record of `kind`; the key is always `[1]` (as in the Java tests). */
  addKind(kind: RowKind, ...values: Value[]): void {
    this.fn.add(kv([1], this.sequence++, kind, values));
  }

  /** The merged value row. */
  value(): readonly Value[] {
    const r = this.fn.getResult();
    if (r === null) throw new Error("no result");
    return r.value;
  }
}

/** assert.throws predicate: a LakeError with `code` whose message matches `pattern`. */
export function lakeError(code: ErrorCode, pattern: RegExp | string): (e: unknown) => boolean {
  return (e: unknown) => {
    if (!isLakeError(e, code)) throw new Error(`expected LakeError(${code}), got ${String(e)}`);
    const ok = typeof pattern === "string" ? e.message.includes(pattern) : pattern.test(e.message);
    if (!ok) throw new Error(`message ${JSON.stringify(e.message)} does not match ${String(pattern)}`);
    return true;
  };
}
