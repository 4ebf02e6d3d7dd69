/**
 * One loaded bucket of a lookup: the merged rows of a (partition, bucket) at a snapshot, kept
 * columnar (lookup/lookup_columns.ts), with a sorted, bloom-filtered key index
 * (lookup/key_search.ts); built by reading the bucket through the table's own merge-on-read
 * path, or restored from the lookup's local store (lookup/index_file.ts).
 *
 * Reading: `readSplitsBuffers` (columnar fast path: deduplicate tables, Parquet, flat types)
 * when it serves the split, else `readSplits` (every merge engine, deletion vectors, schema
 * evolution), so the index holds exactly what a batch read of that bucket returns.
 *
 * Identity: the schema id, the stored and key columns, the bucket's data file names and the
 * deletion files that apply to them. An index (in memory or persisted) is used only for a
 * snapshot whose bucket has the same identity; otherwise it is rebuilt.
 * Imports: table (scan types, table_read), kernel types, spec, lookup siblings.
 * Mirrors no single Java class (cf. Paimon's `LookupLevels` / `LookupFile` and the full-cache
 * `FullCacheLookupTable` bootstrap).
 */
import type { KeyKernel } from "../kernel/mod.ts";
import type { ObjectStore } from "../io/store.ts";
import type { TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import { MergeEngine } from "../spec/core_options_types.ts";
import { describeType, type DataField } from "../spec/data_types.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import type { DataSplit } from "../table/scan.ts";
import { readSplits, readSplitsBuffers, type SplitReadOptions } from "../table/table_read.ts";
import { bytesOf, sectionAs } from "./index_file.ts";
import {
  COLUMN_KINDS, columnBytes, columnFromBuffers, columnFromValues, columnKindOf, columnValueAt, isBufferConvertible,
  isPersistable, type ColumnKind, type LookupColumn,
} from "./lookup_columns.ts";
import { buildBytesIndex, buildU64Index, isU64KeyType, keyIndexBytes, u64Segments, type KeyIndex } from "./key_search.ts";

/** A loaded bucket. */
export interface BucketIndex {
  /** `<partition hex>/<bucket>`. */
  readonly id: string;
  /** See the file header; equal identities hold equal rows. */
  readonly identity: string;
  readonly rowCount: number;
  /** One column per stored field (lookup keys and returned columns). */
  readonly columns: readonly LookupColumn[];
  readonly key: KeyIndex;
  /** Measured bytes of columns + keys + bloom. */
  readonly bytes: number;
}

/** What building an index needs. */
export interface BuildContext {
  /** The store data files are read through (wrapped to count reads). */
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  readonly schemaById: (id: bigint) => Promise<TableSchema>;
  readonly kernel: KeyKernel;
  readonly mergeFactory: TableMergeFunctionFactory | null;
  /** Stored fields, in order. */
  readonly fields: readonly DataField[];
  /** Positions of the lookup key fields within `fields`, in lookup-key order. */
  readonly keyPositions: readonly number[];
}

/** The identity string of a split's bucket for these stored fields. */
export function bucketIdentity(ctx: Pick<BuildContext, "schema" | "fields" | "keyPositions">, split: DataSplit | null): string {
  const files = split === null ? [] : split.files.map((f) => f.fileName).sort();
  const deletions = split === null ? [] : [...split.deletionFiles].filter(([name]) => files.includes(name))
    .map(([name, ref]) => `${name}:${ref.indexFileName}:${ref.range.offset}:${ref.range.length}`).sort();
  return JSON.stringify({
    schemaId: String(ctx.schema.id),
    fields: ctx.fields.map((f) => `${f.id}:${f.name}:${describeType(f.type)}`),
    keys: ctx.keyPositions,
    files,
    deletions,
  });
}

/** Reads the split's merged rows as lookup columns. */
async function readBucketColumns(ctx: BuildContext, split: DataSplit): Promise<{ columns: LookupColumn[]; rowCount: number }> {
  const options: SplitReadOptions = {
    store: ctx.store, schema: ctx.schema, schemaById: ctx.schemaById, fields: ctx.fields, filter: null,
    kernel: ctx.kernel, mergeFactory: ctx.mergeFactory,
  };
  if (ctx.mergeFactory?.mergeEngine === MergeEngine.DEDUPLICATE && ctx.fields.every((f) => isBufferConvertible(f.type))) {
    const fast = await readSplitsBuffers(options, [split]);
    if (fast !== null) {
      return { columns: ctx.fields.map((f, c) => columnFromBuffers(f.type, fast.columns[c]!)), rowCount: fast.rowCount };
    }
  }
  const result = await readSplits(options, [split]);
  return { columns: ctx.fields.map((f, c) => columnFromValues(f.type, result.columns[c]!)), rowCount: result.rowCount };
}

/** Builds the key index over loaded columns. */
export function buildKeyIndex(ctx: Pick<BuildContext, "fields" | "keyPositions" | "kernel">, columns: readonly LookupColumn[], rowCount: number): KeyIndex {
  const keyTypes = ctx.keyPositions.map((p) => ctx.fields[p]!.type);
  if (isU64KeyType(keyTypes)) return buildU64Index(columns[ctx.keyPositions[0]!]!, ctx.kernel);
  const keyColumns = ctx.keyPositions.map((p) => columns[p]!);
  const valuesOf = (row: number, out: Value[]): boolean => {
    for (let k = 0; k < keyColumns.length; k++) {
      const v = columnValueAt(keyColumns[k]!, row);
      if (v === null) return false;
      out[k] = v;
    }
    return true;
  };
  return buildBytesIndex(keyTypes, rowCount, valuesOf, ctx.kernel);
}

/** Assembles an index from its parts, measuring its bytes. */
export function makeBucketIndex(id: string, identity: string, columns: LookupColumn[], rowCount: number, key: KeyIndex): BucketIndex {
  let bytes = keyIndexBytes(key);
  for (const c of columns) bytes += columnBytes(c);
  return { id, identity, rowCount, columns, key, bytes };
}

/** Reads and indexes one bucket (an absent split gives an empty index). */
export async function buildBucketIndex(ctx: BuildContext, id: string, split: DataSplit | null): Promise<BucketIndex> {
  const identity = bucketIdentity(ctx, split);
  const { columns, rowCount } = split === null
    ? { columns: ctx.fields.map((f) => columnFromValues(f.type, [])), rowCount: 0 }
    : await readBucketColumns(ctx, split);
  return makeBucketIndex(id, identity, columns, rowCount, buildKeyIndex(ctx, columns, rowCount));
}

// ---------------------------------------------------------------------------------------------
// Persisted form: header scalars + sections (see index_file.ts for the envelope)

/** The header and sections of an index (null when a column cannot be persisted). */
export function indexToFileParts(index: BucketIndex): { header: Record<string, unknown>; sections: Uint8Array[] } | null {
  if (!index.columns.every(isPersistable)) return null;
  const sections: Uint8Array[] = [];
  const columns = index.columns.map((c) => {
    const parts = { kind: COLUMN_KINDS.indexOf(c.kind), nulls: c.nulls !== null, offsets: c.offsets !== null, nanos: c.nanos !== null };
    if (c.nulls !== null) sections.push(c.nulls);
    sections.push(bytesOf(c.data!));
    if (c.offsets !== null) sections.push(bytesOf(c.offsets));
    if (c.nanos !== null) sections.push(bytesOf(c.nanos));
    return parts;
  });
  const s = index.key.sorted;
  let key: Record<string, unknown>;
  if (s.form === "u64") {
    key = { form: "u64", count: s.count };
    sections.push(bytesOf(s.words));
  } else {
    key = { form: "bytes", count: s.count };
    sections.push(s.keys.bytes, bytesOf(s.keys.offsets));
  }
  if (index.key.rows !== null) sections.push(bytesOf(index.key.rows));
  sections.push(bytesOf(index.key.bloom));
  return { header: { identity: index.identity, rowCount: index.rowCount, columns, key: { ...key, rows: index.key.rows !== null, bloomScale: index.key.bloomScale } }, sections };
}

/** Rebuilds an index from a decoded file; throws (any error) when the parts do not fit. */
export function indexFromFileParts(id: string, header: Record<string, unknown>, sections: readonly Uint8Array[]): BucketIndex {
  let at = 0;
  const next = (): Uint8Array => {
    if (at >= sections.length) throw new Error(`lookup index file: needs more than ${sections.length} sections`);
    return sections[at++]!;
  };
  const rowCount = header["rowCount"] as number;
  const columns = (header["columns"] as { kind: number; nulls: boolean; offsets: boolean; nanos: boolean }[]).map((d): LookupColumn => {
    const kind = COLUMN_KINDS[d.kind] as ColumnKind;
    const nulls = d.nulls ? next() : null;
    const raw = next();
    const data = kind === "i64" ? sectionAs(raw, 8, (b, o, n) => new BigInt64Array(b, o, n))
      : kind === "i32" ? sectionAs(raw, 4, (b, o, n) => new Int32Array(b, o, n))
        : kind === "f64" || kind === "ts" ? sectionAs(raw, 8, (b, o, n) => new Float64Array(b, o, n)) : raw;
    const offsets = d.offsets ? sectionAs(next(), 4, (b, o, n) => new Uint32Array(b, o, n)) : null;
    const nanos = d.nanos ? sectionAs(next(), 4, (b, o, n) => new Int32Array(b, o, n)) : null;
    const length = kind === "str" || kind === "bin" ? offsets!.length - 1 : kind === "bool" ? raw.length : (data as { length: number }).length;
    if (length !== rowCount) throw new Error(`lookup index file: column of ${length} rows, header says ${rowCount}`);
    return { kind, length, nulls, data, offsets, nanos, values: null };
  });
  const k = header["key"] as { form: string; count: number; rows: boolean; bloomScale: number };
  let sorted: KeyIndex["sorted"];
  if (k.form === "u64") {
    sorted = u64Segments(sectionAs(next(), 4, (b, o, n) => new Uint32Array(b, o, n)), k.count);
  } else {
    const bytes = next();
    const offsets = sectionAs(next(), 4, (b, o, n) => new Uint32Array(b, o, n));
    sorted = { form: "bytes", keys: { bytes, offsets }, count: k.count };
  }
  const rows = k.rows ? sectionAs(next(), 4, (b, o, n) => new Uint32Array(b, o, n)) : null;
  const bloom = sectionAs(next(), 4, (b, o, n) => new Uint32Array(b, o, n));
  if (typeof k.bloomScale !== "number" || !(k.bloomScale >= 0)) throw new Error(`lookup index file: bad bloomScale ${String(k.bloomScale)}`);
  return makeBucketIndex(id, header["identity"] as string, columns, rowCount, { sorted, rows, bloom, bloomScale: k.bloomScale });
}

/** True when every stored field's values can be kept in typed columns (else indexes are memory-only). */
export function fieldsPersistable(fields: readonly DataField[]): boolean {
  return fields.every((f) => columnKindOf(f.type) !== "any");
}
