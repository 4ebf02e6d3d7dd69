/**
 * The columnar merge of a compaction rewrite for deduplicate tables: decodes the step's files
 * with the fast Parquet reader (Arrow buffers), picks each key's record with lsm/dedup_merge.ts
 * and gathers the output columns, sequence numbers and row kinds with typed copies, ready for
 * the Arrow-buffer rolling writer. Returns the same rows, sequence numbers and row kinds as the
 * general merge (merge_reader.ts with the deduplicate engine, retract results kept unless
 * `dropDelete`).
 *
 * Keeping retracts: dedup_merge.ts picks, among a key's records with the highest sequence
 * number, the first add by run index, and drops keys whose such records are all retracts (a
 * batch read). A compaction that keeps deletes needs the last record in merge order even when it
 * is a retract. Both orders are "sequence ascending, retract before add, then by run", so each
 * record is given the sequence `2 · seq + (add ? 1 : 0)` and every kind is presented as +I: the
 * picked record is then exactly the general merge's result, whatever its real kind, which is
 * gathered from the file. Sequence numbers outside ±2^62 (never written by Paimon writers, which
 * count from 0) make the path step aside. When deletes are dropped, dedup_merge.ts's own rule is
 * the general merge's, and the real sequence numbers and kinds are used.
 *
 * Scope (`dedupColumnsBlocker`): deduplicate engine without `sequence.field`, `ignore-delete`
 * or the lookup wrapper; every field of a type the fast reader and the buffer writer serve,
 * keys the key-column encoder serves; Parquet files that store every field under the current
 * id with the current type (no evolution casts); parquet-wasm able to read. At run time the
 * path returns null (the caller merges with the general path) when a column decodes to another
 * layout, a file's keys are not ascending, or sequence numbers are out of range.
 *
 * Invariants: a file's row count, `_SEQUENCE_NUMBER` (no nulls) and `_VALUE_KIND` (0..3, no
 * nulls) are checked as the general reader checks them (LakeError "corruption" naming the file).
 * Imports: errors.ts, kernel (types), spec/*, format/data (column_buffers, parquet readers and
 * writer predicates, data_file_reader constants), lsm/dedup_merge.ts, lsm/key_columns_encoder.ts,
 * lsm/merge_function (types), lsm/rolling_buffer_writer.ts (types).
 * Mirrors Java `MergeTreeCompactRewriter` with `DeduplicateMergeFunction`, like compact_rewriter.ts.
 */
import { LakeError } from "../../errors.ts";
import { gatherColumn, int32Words, type ColumnBuffers } from "../../format/data/column_buffers.ts";
import { SEQUENCE_NUMBER_COLUMN, VALUE_KIND_COLUMN } from "../../format/data/data_file_reader.ts";
import { fastParquetReader, isBufferReadable, readParquetBuffers, type ParquetReadModule } from "../../format/data/parquet_arrow_reader.ts";
import { isBufferWritableType } from "../../format/data/parquet_buffer_writer.ts";
import type { ParquetWasmModule } from "../../format/data/parquet_wasm_loader.ts";
import type { KeyKernel } from "../../kernel/mod.ts";
import type { CoreOptions } from "../../spec/core_options_view.ts";
import { MergeEngine } from "../../spec/core_options_types.ts";
import { atomic, describeType } from "../../spec/data_types.ts";
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import { trimmedPrimaryKeys, type TableSchema } from "../../spec/schema.ts";
import { dedupMergeRuns, type DedupRun } from "../dedup_merge.ts";
import { isColumnEncodableKeyType } from "../key_columns_encoder.ts";
import type { TableMergeFunctionFactory } from "../merge_function/merge_function.ts";
import type { BufferSortedRows } from "../rolling_buffer_writer.ts";

/** One input file of a rewrite, fetched. */
export interface FetchedFile {
  readonly meta: DataFileMeta;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** The hi word of a sequence number must lie in [-2^30, 2^30) for `2 · seq + 1` to fit an int64. */
const SEQ_HI_LIMIT = 1 << 30;
const SEQUENCE_TYPE = atomic("BIGINT", { nullable: false });
const KIND_TYPE = atomic("TINYINT", { nullable: false });

/** The fast reader's view of the writer's parquet-wasm (same instance), or the registered one. */
async function readModule(parquet: ParquetWasmModule): Promise<ParquetReadModule | null> {
  const full = parquet as Partial<ParquetReadModule>;
  if (typeof full.readParquet === "function" && typeof full.wasmMemory === "function") return full as ParquetReadModule;
  return fastParquetReader();
}

/**
 * Why the columnar path does not serve a rewrite of `files` (a sentence), or null when it does
 * (see the file header).
 */
export async function dedupColumnsBlocker(
  ctx: { readonly schema: TableSchema; readonly mergeFactory: TableMergeFunctionFactory; readonly options: CoreOptions; readonly parquet: ParquetWasmModule },
  files: readonly DataFileMeta[], schemaOf: (id: bigint) => Promise<TableSchema>,
): Promise<string | null> {
  const { schema, mergeFactory } = ctx;
  if (mergeFactory.mergeEngine !== MergeEngine.DEDUPLICATE) return `merge engine ${mergeFactory.mergeEngine}`;
  if (mergeFactory.needLookup) return "the merge goes through the lookup wrapper";
  if (mergeFactory.sequenceComparator(schema.fields) !== null) return "sequence.field is set";
  if (ctx.options.ignoreDelete) return "ignore-delete is set";
  for (const f of schema.fields) {
    if (!isBufferReadable(f.type) || !isBufferWritableType(f.type)) return `column ${f.name} has type ${describeType(f.type)}`;
  }
  for (const name of trimmedPrimaryKeys(schema)) {
    const f = schema.fields.find((x) => x.name === name)!;
    if (!isColumnEncodableKeyType(f.type)) return `key ${f.name} has type ${describeType(f.type)}`;
  }
  for (const file of files) {
    if (!/\.parquet$/i.test(file.fileName)) return `${file.fileName} is not a Parquet file`;
    const fileSchema = await schemaOf(file.schemaId);
    for (const field of schema.fields) {
      const inFile = fileSchema.fields.find((f) => f.id === field.id);
      if (inFile === undefined || describeType(inFile.type) !== describeType(field.type)) {
        return `${file.fileName} (schema ${fileSchema.id}) stores field ${field.name} with another type or not at all`;
      }
    }
  }
  if ((await readModule(ctx.parquet)) === null) return "parquet-wasm cannot read (no fast reader)";
  return null;
}

/** Options of `mergeDedupColumns`. */
export interface DedupColumnsOptions {
  readonly kernel: KeyKernel;
  readonly parquet: ParquetWasmModule;
  /** The table's current schema (files hold its fields under the same ids and types). */
  readonly schema: TableSchema;
  readonly schemaOf: (id: bigint) => Promise<TableSchema>;
  readonly dropDelete: boolean;
}

interface DecodedFile {
  readonly columns: readonly ColumnBuffers[];
  readonly seq: ColumnBuffers;
  readonly kinds: ColumnBuffers;
}

function corrupt(fileName: string, why: string): LakeError {
  return new LakeError("corruption", `data file: ${fileName}: ${why}`);
}

async function decode(file: FetchedFile, pq: ParquetReadModule, options: DedupColumnsOptions): Promise<DecodedFile | null> {
  const fileSchema = await options.schemaOf(file.meta.schemaId);
  const requests = [
    ...options.schema.fields.map((f) => ({ name: fileSchema.fields.find((x) => x.id === f.id)!.name, type: f.type })),
    { name: SEQUENCE_NUMBER_COLUMN, type: SEQUENCE_TYPE },
    { name: VALUE_KIND_COLUMN, type: KIND_TYPE },
  ];
  const read = await readParquetBuffers(pq, file.bytes, requests, { fileName: file.meta.fileName });
  if (read === null) return null;
  const name = file.meta.fileName;
  if (BigInt(read.rowCount) !== file.meta.rowCount) throw corrupt(name, `holds ${read.rowCount} rows, the manifest says ${file.meta.rowCount}`);
  const n = options.schema.fields.length;
  const seq = read.columns[n]!, kinds = read.columns[n + 1]!;
  if (seq.nullCount > 0) throw corrupt(name, `${SEQUENCE_NUMBER_COLUMN} holds ${seq.nullCount} nulls`);
  if (kinds.nullCount > 0) throw corrupt(name, `${VALUE_KIND_COLUMN} holds ${kinds.nullCount} nulls`);
  for (let i = 0; i < kinds.length; i++) {
    if (kinds.data[i]! > 3) throw corrupt(name, `row ${i}: ${VALUE_KIND_COLUMN} ${(kinds.data[i]! << 24) >> 24} is not a row kind (0..3)`);
  }
  return { columns: read.columns.slice(0, n), seq, kinds };
}

/** `2 · seq + add` per row as an int64 column, or null when a sequence number is out of range. */
function foldKindIntoSequence(file: DecodedFile): ColumnBuffers | null {
  const words = int32Words(file.seq), kinds = file.kinds.data;
  const n = file.seq.length;
  const out = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!, lo = words[2 * i]!;
    if (hi >= SEQ_HI_LIMIT || hi < -SEQ_HI_LIMIT) return null;
    const k = kinds[i]!;
    out[2 * i] = (lo << 1) | (k === 0 || k === 2 ? 1 : 0);
    out[2 * i + 1] = (hi << 1) | (lo >>> 31);
  }
  return { layout: "fixed", byteWidth: 8, length: n, nullCount: 0, validity: null, data: new Uint8Array(out.buffer), offsets: null };
}

/**
 * Merges the files of a rewrite step, section by section (sections are disjoint in key and in
 * order), into the output rows (see the file header), or null when the path steps aside at run
 * time. Requires: `dedupColumnsBlocker` found nothing for these files.
 */
export async function mergeDedupColumns(sections: readonly (readonly FetchedFile[])[], options: DedupColumnsOptions): Promise<BufferSortedRows | null> {
  const pq = await readModule(options.parquet);
  if (pq === null) return null;
  const keyIndexes = trimmedPrimaryKeys(options.schema).map((name) => options.schema.fields.findIndex((f) => f.name === name));
  const keyTypes = keyIndexes.map((i) => options.schema.fields[i]!.type);
  const decoded: DecodedFile[] = [];
  const picks: { runs: Uint32Array; rows: Uint32Array; count: number; base: number }[] = [];
  let total = 0;
  for (const section of sections) {
    const base = decoded.length;
    const runs: DedupRun[] = [];
    let maxRows = 0;
    for (const file of section) {
      const d = await decode(file, pq, options);
      if (d === null) return null;
      decoded.push(d);
      maxRows = Math.max(maxRows, d.seq.length);
    }
    // Dropping deletes is exactly dedup_merge's own rule (a retract winner drops the key); keeping
    // them needs the folded sequence numbers (see the file header).
    const zeros = options.dropDelete ? null : new Uint8Array(maxRows);
    for (let r = base; r < decoded.length; r++) {
      const d = decoded[r]!;
      const keys = keyIndexes.map((i) => d.columns[i]!);
      if (zeros === null) {
        runs.push({ rowCount: d.seq.length, keys, sequenceNumbers: d.seq, rowKinds: d.kinds });
        continue;
      }
      const folded = foldKindIntoSequence(d);
      if (folded === null) return null;
      const kinds: ColumnBuffers = { layout: "fixed", byteWidth: 1, length: d.seq.length, nullCount: 0, validity: null, data: zeros.subarray(0, d.seq.length), offsets: null };
      runs.push({ rowCount: d.seq.length, keys, sequenceNumbers: folded, rowKinds: kinds });
    }
    const selection = dedupMergeRuns(runs, { kernel: options.kernel, keyTypes, ignoreDelete: false });
    if (selection === null) return null;
    picks.push({ runs: selection.runs, rows: selection.rows, count: selection.count, base });
    total += selection.count;
  }
  // One pick list over every file.
  const runs = new Uint32Array(total), rows = new Uint32Array(total);
  let count = 0;
  for (const p of picks) {
    const base = p.base, pr = p.runs;
    for (let i = 0; i < p.count; i++) runs[count + i] = base + pr[i]!;
    rows.set(p.rows.subarray(0, p.count), count);
    count += p.count;
  }
  const columns = options.schema.fields.map((f, c) => gatherColumn(decoded.map((d) => d.columns[c]!), runs, rows, count, f.name));
  const seq = gatherColumn(decoded.map((d) => d.seq), runs, rows, count, SEQUENCE_NUMBER_COLUMN);
  const kinds = gatherColumn(decoded.map((d) => d.kinds), runs, rows, count, VALUE_KIND_COLUMN);
  return {
    rowCount: count,
    columns,
    sequenceNumbers: new BigInt64Array(seq.data.buffer, seq.data.byteOffset, count),
    rowKinds: kinds.data.subarray(0, count),
  };
}
