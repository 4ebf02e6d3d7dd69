/**
 * The write buffer of ONE bucket of a primary-key table: rows arrive with a RowKind and get
 * consecutive sequence numbers; they are kept column by column (lsm/write_columns.ts) with
 * their memory counted, and a drain sorts them by key with the kernel (lsm/write_sort.ts) and
 * merges each key's records with the table's merge engine (lsm/write_merge.ts) into the rows of
 * one level-0 flush: Arrow-layout columns for lsm/rolling_buffer_writer.ts (lsm/write_output.ts),
 * or `SortedRows` value arrays for lsm/rolling_file_writer.ts when a column type has no buffer
 * layout (nested types, TIMESTAMP(0) or (7..9)).
 *
 * Sequence numbers: row i of the buffer has `sequenceNumberStart + i`; a drain moves the start
 * past the drained rows, so numbers keep growing across flushes (the bucket writer seeds the
 * start with the restored max + 1, as Java's `MergeTreeWriter` does).
 *
 * Not done as Java does: Java's `write-buffer-spillable` sorts runs to local disk when memory is
 * short; this buffer never spills, its owner flushes it to a level-0 file instead.
 *
 * Invariants: `rowCount` rows in every column; the drained rows hold each key once, keys
 * ascending by the key codec order (= Java's key comparator); `memoryBytes` covers every
 * allocation the buffer holds (estimates for JS values, see write_columns.ts).
 * Imports: kernel (type), spec (data_types, values types), lsm/rolling_file_writer.ts (type),
 * lsm/write_columns.ts, lsm/write_sort.ts, lsm/write_merge.ts.
 * Mirrors `SortBufferWriteBuffer` + the flush of `MergeTreeWriter`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/SortBufferWriteBuffer.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/MergeTreeWriter.java
 */
import type { KeyKernel } from "../kernel/mod.ts";
import type { DataField } from "../spec/data_types.ts";
import type { Value } from "../spec/values.ts";
import type { BufferSortedRows } from "./rolling_buffer_writer.ts";
import type { SortedRows } from "./rolling_file_writer.ts";
import { CHUNK_MASK, CHUNK_SHIFT, ColumnStore, storeKindOf, type InputBatch } from "./write_columns.ts";
import { buffersServeTypes, outputBuffers, outputPositions, outputSequenceNumbers, outputValues, type FieldOutput } from "./write_output.ts";
import { mergeWriteGroups, type MergeOutput, type MergeRows, type WriteMergeConfig } from "./write_merge.ts";
import { sortWriteBuffer, type WriteSortResult } from "./write_sort.ts";

/** What a buffer needs to know about its table (shared by every bucket of a writer). */
export interface WriteBufferConfig {
  /** Every table field, schema order. */
  readonly fields: readonly DataField[];
  /** Indices of the trimmed primary-key fields, key order. */
  readonly keyFieldIndexes: readonly number[];
  /** Indices of the `sequence.field` fields (empty when not configured). */
  readonly sequenceFieldIndexes: readonly number[];
  /** `sequence.field.sort-order` is ascending. */
  readonly sequenceAscending: boolean;
  readonly merge: WriteMergeConfig;
  readonly kernel: KeyKernel;
}

/** Rows of a flush: Arrow-layout columns (rolling_buffer_writer.ts) or value arrays (rolling_file_writer.ts). */
export type FlushRows =
  | { readonly kind: "buffers"; readonly rows: BufferSortedRows }
  | { readonly kind: "values"; readonly rows: SortedRows };

/** The result of a drain. */
export interface DrainedRows {
  /** The merged rows of the level-0 file(s). */
  readonly rows: FlushRows;
  /** Every buffered record in sort order (`changelog-producer = input`), when asked for. */
  readonly changelog: FlushRows | null;
  /** Records drained (input rows), and which sort path ran. */
  readonly inputRowCount: number;
  readonly sortPath: WriteSortResult["path"];
}

/** One bucket's buffer (see the file header). */
export class WriteBuffer {
  readonly #config: WriteBufferConfig;
  readonly #stores: ColumnStore[];
  readonly #kinds = new ColumnStore("i8");
  #retractCount = 0;
  #updateAfterCount = 0;
  #sequenceNumberStart: bigint;

  /** Requires: `sequenceNumberStart` is the bucket's restored max sequence number + 1. */
  constructor(config: WriteBufferConfig, sequenceNumberStart: bigint) {
    this.#config = config;
    this.#stores = config.fields.map((f) => new ColumnStore(storeKindOf(f.type)));
    this.#sequenceNumberStart = sequenceNumberStart;
  }

  /** Rows buffered. */
  get rowCount(): number {
    return this.#kinds.length;
  }

  /** Estimated bytes held (see write_columns.ts). */
  get memoryBytes(): number {
    let bytes = this.#kinds.bytes;
    for (const s of this.#stores) bytes += s.bytes;
    return bytes;
  }

  /** The sequence number the next appended row gets. */
  get nextSequenceNumber(): bigint {
    return this.#sequenceNumberStart + BigInt(this.rowCount);
  }

  /**
   * Appends batch rows [from, to), or with `rows` the batch rows `rows[from..to)`, in order.
   * Requires: the batch's columns follow the table fields and hold validated values.
   */
  append(batch: InputBatch, rows: Uint32Array | null, from: number, to: number): void {
    const kinds = { kind: "i8", data: batch.rowKinds, valid: null } as const;
    for (let f = 0; f < this.#stores.length; f++) {
      if (rows === null) this.#stores[f]!.appendRange(batch.columns[f]!, from, to);
      else this.#stores[f]!.appendPicked(batch.columns[f]!, rows, from, to);
    }
    if (rows === null) this.#kinds.appendRange(kinds, from, to);
    else this.#kinds.appendPicked(kinds, rows, from, to);
    const k = batch.rowKinds;
    for (let i = from; i < to; i++) {
      const kind = k[rows === null ? i : rows[i]!]!;
      if (kind === 1 || kind === 3) this.#retractCount++;
      else if (kind === 2) this.#updateAfterCount++;
    }
  }

  /** Row kind byte of buffered row i. */
  #kindAt = (row: number): number => (this.#kinds.chunks[row >>> CHUNK_SHIFT] as Int8Array)[row & CHUNK_MASK]!;

  /** Sequence number of buffered row i. */
  #sequenceAt = (row: number): bigint => this.#sequenceNumberStart + BigInt(row);

  /**
   * Sorts and merges the buffer into the rows of one flush (null when empty), then clears it
   * and moves the sequence start past the drained rows. Throws the merge engine's LakeErrors
   * (the buffer is cleared either way, as Java clears it in `finally`).
   */
  drain(options: { changelog?: boolean } = {}): DrainedRows | null {
    const n = this.rowCount;
    if (n === 0) return null;
    try {
      const { fields, keyFieldIndexes, sequenceFieldIndexes } = this.#config;
      const sorted = sortWriteBuffer({
        rowCount: n,
        keys: keyFieldIndexes.map((i) => ({ store: this.#stores[i]!, type: fields[i]!.type })),
        sequenceFields: sequenceFieldIndexes.map((i) => ({ store: this.#stores[i]!, type: fields[i]!.type })),
        sequenceAscending: this.#config.sequenceAscending,
      }, this.#config.kernel);
      const mergeRows: MergeRows = {
        stores: this.#stores, kindAt: this.#kindAt, sequenceAt: this.#sequenceAt, keyFieldIndexes, retractRowCount: this.#retractCount,
        updateAfterRowCount: this.#updateAfterCount,
      };
      const merged = mergeWriteGroups(mergeRows, sorted, sequenceFieldIndexes.length > 0, this.#config.merge, this.#config.kernel);
      const rows = this.#output(merged);
      const changelog = options.changelog === true
        ? this.#output({ count: n, sources: new Int32Array(sorted.perm().buffer, sorted.perm().byteOffset, n), records: [] })
        : null;
      return { rows, changelog, inputRowCount: n, sortPath: sorted.path };
    } finally {
      this.clear();
    }
  }

  /** Drops every buffered row; their sequence numbers stay used. */
  clear(): void {
    this.#sequenceNumberStart += BigInt(this.rowCount);
    for (const s of this.#stores) s.clear();
    this.#kinds.clear();
    this.#retractCount = 0;
    this.#updateAfterCount = 0;
  }

  /** The output rows of a merge, as buffers when every column type has a buffer layout. */
  #output(out: MergeOutput): FlushRows {
    const { count, sources, records } = out;
    const fields = this.#config.fields;
    let rowKinds = out.kinds;
    if (rowKinds === undefined) {
      rowKinds = new Uint8Array(count);
      for (let o = 0; o < count; o++) {
        const s = sources[o]!;
        rowKinds[o] = s >= 0 ? this.#kindAt(s) : records[~s]!.rowKind;
      }
    }
    const sequenceNumbers = outputSequenceNumbers(sources, count, this.#sequenceNumberStart, this.rowCount, (r) => records[r]!.sequenceNumber);
    const sourceOf = (f: number): FieldOutput => out.fields?.[f] ?? { kind: "rows", rows: sources };
    if (buffersServeTypes(fields.map((f) => f.type))) {
      // Each output row's source is a distinct buffered row (one per key group, whichever
      // column picked it), so every rows array has an inverse; computed once per array.
      const positions = new Map<Int32Array, Int32Array | null>();
      const positionsOf = (rows: Int32Array): Int32Array | null => {
        let p = positions.get(rows);
        if (p === undefined) positions.set(rows, p = outputPositions(rows, count, this.rowCount));
        return p;
      };
      const columns = this.#stores.map((store, f) => {
        const source = sourceOf(f);
        return outputBuffers(store, fields[f]!.type, f, source, count, records, source.kind === "rows" ? positionsOf(source.rows) : null);
      });
      return { kind: "buffers", rows: { rowCount: count, columns, sequenceNumbers, rowKinds } };
    }
    const columns = this.#stores.map((store, f) => outputValues(store, f, sourceOf(f), count, records));
    return { kind: "values", rows: { rowCount: count, columns, sequenceNumbers, rowKinds } };
  }
}
