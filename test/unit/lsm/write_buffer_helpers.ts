// Shared helpers of the write-buffer tests (not a test file): a table schema per merge engine,
// a buffer over it, input batches in every input column form (values, typed arrays, UTF-8
// bytes), the drained rows as plain records, and the brute-force model of Java's flush:
// records sorted by (key bytes, sequence fields with nulls first, sequence number), each key's
// records fed to ReducerMergeFunction(createMergeFunctionFactory(schema).create()).
import { loadKernel, type KeyKernel } from "../../../src/kernel/mod.ts";
import { bufferValueAt } from "../../../src/format/data/buffer_stats.ts";
import type { KeyValue } from "../../../src/lsm/key_value.ts";
import { createMergeFunctionFactory, ReducerMergeFunction } from "../../../src/lsm/merge_function/merge_function.ts";
import { sequenceFieldAscending, sequenceFieldNames, valueComparatorOf } from "../../../src/lsm/merge_function/sequence_comparator.ts";
import { WriteBuffer, type FlushRows } from "../../../src/lsm/write_buffer.ts";
import { storeKindOf, type InputBatch, type InputColumn } from "../../../src/lsm/write_columns.ts";
import { createWriteMergeConfig } from "../../../src/lsm/write_merge.ts";
import { optionBoolean } from "../../../src/spec/core_options.ts";
import type { DataField } from "../../../src/spec/data_types.ts";
import { createKeyCodec } from "../../../src/spec/key_codec.ts";
import type { RowKind } from "../../../src/spec/row_kind.ts";
import { createTableSchema, trimmedPrimaryKeys, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { compareBytes, toHex, utf8Encode } from "../../../src/util/bytes.ts";

/** One buffered input record. */
export interface InRow { readonly kind: RowKind; readonly values: readonly Value[] }
/** One output record of a flush. */
export interface OutRow { readonly kind: number; readonly seq: bigint; readonly values: readonly Value[] }

let kernelPromise: Promise<KeyKernel> | null = null;
/** The WASM kernel (the twin when WASM cannot load). */
export function kernel(): Promise<KeyKernel> {
  kernelPromise ??= loadKernel().then((k) => k.kernel);
  return kernelPromise;
}

/** A primary-key table schema over `fields` (bucket 1). */
export function pkSchema(fields: DataField[], primaryKeys: string[], options: Record<string, string> = {}): TableSchema {
  return createTableSchema({ fields, primaryKeys, partitionKeys: [], options: { bucket: "1", ...options }, timeMillis: 0n });
}

/** A buffer of `schema` whose first row gets `start`. */
export async function bufferOf(schema: TableSchema, start = 0n): Promise<WriteBuffer> {
  const names = schema.fields.map((f) => f.name);
  const factory = createMergeFunctionFactory(schema);
  return new WriteBuffer({
    fields: schema.fields,
    keyFieldIndexes: trimmedPrimaryKeys(schema).map((k) => names.indexOf(k)),
    sequenceFieldIndexes: sequenceFieldNames(schema.options).map((s) => names.indexOf(s)),
    sequenceAscending: sequenceFieldAscending(schema.options),
    merge: createWriteMergeConfig(schema.fields, schema.primaryKeys, schema.options, factory, optionBoolean(schema.options, "ignore-delete")!),
    kernel: await kernel(),
  }, start);
}

/** An input column of `values` in form "values", or in the column's own typed/bytes form when it has one. */
export function inputColumn(field: DataField, values: readonly Value[], typed: boolean): InputColumn {
  const kind = storeKindOf(field.type);
  if (!typed || kind === "values") return { kind: "values", values };
  const n = values.length;
  const valid = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null;
  if (kind === "str" || kind === "bin") {
    const parts = values.map((v) => (v === null ? new Uint8Array(0) : typeof v === "string" ? utf8Encode(v) : v as Uint8Array));
    const offsets = new Int32Array(n + 1);
    parts.forEach((p, i) => { offsets[i + 1] = offsets[i]! + p.length; });
    const data = new Uint8Array(offsets[n]!);
    parts.forEach((p, i) => data.set(p, offsets[i]!));
    return { kind, data, offsets, valid };
  }
  const make = { u8: Uint8Array, i8: Int8Array, i16: Int16Array, i32: Int32Array, f32: Float32Array, f64: Float64Array }[kind as "u8"];
  if (kind === "i64") return { kind, data: BigInt64Array.from(values, (v) => (v === null ? 0n : v as bigint)), valid };
  return { kind, data: make.from(values, (v) => (v === null ? 0 : v === true ? 1 : v === false ? 0 : v as number)), valid } as InputColumn;
}

/** A batch of `rows`; `typed` picks the typed/bytes form where the column has one. */
export function batchOf(schema: TableSchema, rows: readonly InRow[], typed: boolean): InputBatch {
  return {
    rowCount: rows.length,
    columns: schema.fields.map((f, i) => inputColumn(f, rows.map((r) => r.values[i] ?? null), typed)),
    rowKinds: Uint8Array.from(rows, (r) => r.kind),
  };
}

/** The rows of a flush as plain records. */
export function flushRecords(schema: TableSchema, flush: FlushRows): OutRow[] {
  const { rows } = flush;
  const out: OutRow[] = [];
  for (let i = 0; i < rows.rowCount; i++) {
    const values = schema.fields.map((f, c) => flush.kind === "buffers" ? bufferValueAt(f.type, flush.rows.columns[c]!, i) : flush.rows.columns[c]![i]!);
    out.push({ kind: rows.rowKinds![i]!, seq: rows.sequenceNumbers![i]!, values });
  }
  return out;
}

/** Java's flush of `rows` numbered from `start`, computed the slow, obvious way. */
export function modelFlush(schema: TableSchema, rows: readonly InRow[], start = 0n): OutRow[] {
  const names = schema.fields.map((f) => f.name);
  const keyIndexes = trimmedPrimaryKeys(schema).map((k) => names.indexOf(k));
  const codec = createKeyCodec(keyIndexes.map((i) => schema.fields[i]!.type));
  const seqIndexes = sequenceFieldNames(schema.options).map((s) => names.indexOf(s));
  const ascending = sequenceFieldAscending(schema.options);
  const compares = seqIndexes.map((i) => valueComparatorOf(schema.fields[i]!.type));
  const records = rows.map((r, i) => ({ ...r, seq: start + BigInt(i), key: codec.encodeKeyPart(keyIndexes.map((k) => r.values[k]!)) }));
  records.sort((a, b) => {
    const c = compareBytes(a.key, b.key);
    if (c !== 0) return c;
    for (let f = 0; f < seqIndexes.length; f++) {
      const u = a.values[seqIndexes[f]!]!, v = b.values[seqIndexes[f]!]!;
      if (u === null || v === null) {
        if (u === null && v === null) continue;
        return u === null ? -1 : 1; // nulls first in both orders (Java nullIsLast = false)
      }
      const d = compares[f]!(u, v);
      if (d !== 0) return ascending ? d : -d;
    }
    return a.seq < b.seq ? -1 : 1;
  });
  const out: OutRow[] = [];
  const factory = createMergeFunctionFactory(schema);
  for (let i = 0; i < records.length;) {
    let j = i;
    while (j < records.length && compareBytes(records[j]!.key, records[i]!.key) === 0) j++;
    const merge = new ReducerMergeFunction(factory.create());
    merge.reset();
    for (let k = i; k < j; k++) {
      const r = records[k]!;
      const kv: KeyValue = { key: keyIndexes.map((x) => r.values[x]!), sequenceNumber: r.seq, rowKind: r.kind, value: r.values, level: -1 };
      merge.add(kv);
    }
    const result = merge.getResult();
    if (result !== null) out.push({ kind: result.rowKind, seq: result.sequenceNumber, values: result.value });
    i = j;
  }
  return out;
}

/** Canonical text of a value (tells -0 from 0, NaN, bigints, bytes, timestamps apart). */
export function show(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Uint8Array) return `0x${toHex(v)}`;
  if (Array.isArray(v)) return `[${(v as readonly Value[]).map(show).join(",")}]`;
  if (typeof v === "object") return JSON.stringify(v);
  return JSON.stringify(v);
}

/** Canonical text of output rows. */
export function showRows(rows: readonly OutRow[]): string[] {
  return rows.map((r) => `${r.kind}|${r.seq}|${r.values.map(show).join("|")}`);
}
