/**
 * Rewrites the footer of a Parquet file written by parquet-wasm so that its schema is exactly
 * the one Java Paimon writes (parquet_schema.ts): message name `paimon_schema`, Paimon field
 * ids on every field, Java's logical/converted annotations; and drops the `ARROW:schema`
 * key/value entry (Java writes no footer metadata). Pages, row groups, statistics, page
 * indexes and `created_by` are kept as written.
 *
 * File layout: "PAR1" | pages and page indexes | footer (Thrift compact `FileMetaData`) |
 * u32le footer length | "PAR1". Only the footer is replaced; every offset in it points before
 * the footer, so nothing else moves.
 *
 * Invariants: the rewrite refuses (LakeError "unsupported") unless the written schema has the
 * same physical layout as the expected one, element by element: name (the root aside),
 * physical type, fixed length, repetition and child count. Values and levels therefore mean
 * the same under the new annotations.
 *
 * Mirrors the footer parquet-mr writes through `ParquetMetadataConverter#toParquetMetadata`:
 * https://github.com/apache/parquet-java/blob/master/parquet-hadoop/src/main/java/org/apache/parquet/format/converter/ParquetMetadataConverter.java
 *
 * Imports: errors.ts, util/bytes.ts, parquet_schema.ts, thrift_compact.ts.
 */
import { LakeError } from "../../errors.ts";
import { concatBytes, equalBytes, utf8Decode } from "../../util/bytes.ts";
import type { ParquetChunkStats, ParquetPageIndex } from "./buffer_stats.ts";
import { schemaElementToThrift, type ParquetSchemaElement } from "./parquet_schema.ts";
import { decodeThriftStruct, encodeThriftStruct, thriftField, ThriftType, type ThriftField, type ThriftValue } from "./thrift_compact.ts";

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
/** Footer key/value entry arrow-rs adds (the IPC schema); Java writes none. */
export const ARROW_SCHEMA_METADATA_KEY = "ARROW:schema";

const FILE_META_SCHEMA = 2;
const FILE_META_KEY_VALUE = 5;

function hasMagic(bytes: Uint8Array, at: number): boolean {
  return MAGIC.every((b, i) => bytes[at + i] === b);
}

/** Splits a whole Parquet file into the bytes before the footer and the footer. */
export function splitParquetFooter(file: Uint8Array): { body: Uint8Array; footer: Uint8Array } {
  if (file.length < 12 || !hasMagic(file, 0) || !hasMagic(file, file.length - 4)) {
    throw new LakeError("corruption", `parquet footer: ${file.length} bytes do not start and end with PAR1`);
  }
  const footerBytes = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(file.length - 8, true);
  const start = file.length - 8 - footerBytes;
  if (start < 4) throw new LakeError("corruption", `parquet footer: footer length ${footerBytes} does not fit a ${file.length}-byte file`);
  return { body: file.subarray(0, start), footer: file.subarray(start, file.length - 8) };
}

/** Decodes the footer of a whole Parquet file into Thrift fields (generic tree). */
export function decodeParquetFooter(file: Uint8Array): ThriftField[] {
  const { footer } = splitParquetFooter(file);
  const { struct, lengthBytes } = decodeThriftStruct(footer);
  if (lengthBytes !== footer.length) throw new LakeError("corruption", `parquet footer: FileMetaData ends at byte ${lengthBytes} of a ${footer.length}-byte footer`);
  return struct;
}

function int(fields: readonly ThriftField[], id: number): number | undefined {
  const v = thriftField(fields, id);
  return v !== undefined && (v.kind === "i32" || v.kind === "i16" || v.kind === "i8") ? v.value : undefined;
}

function text(fields: readonly ThriftField[], id: number): string | undefined {
  const v = thriftField(fields, id);
  return v?.kind === "binary" ? utf8Decode(v.value) : undefined;
}

function structs(value: ThriftValue | undefined, what: string): (readonly ThriftField[])[] {
  if (value === undefined) return [];
  if (value.kind !== "list" || value.items.some((i) => i.kind !== "struct")) throw new LakeError("corruption", `parquet footer: ${what} is not a list of structs`);
  return value.items.map((i) => (i as { fields: readonly ThriftField[] }).fields);
}

function describe(e: { name?: string; type?: number; typeLength?: number; repetition?: number; numChildren?: number }): string {
  return `${e.name ?? "?"} (type ${e.type ?? "group"}, length ${e.typeLength ?? "-"}, repetition ${e.repetition ?? "-"}, children ${e.numChildren ?? 0})`;
}

function checkLayout(written: readonly (readonly ThriftField[])[], expected: readonly ParquetSchemaElement[]): void {
  if (written.length !== expected.length) {
    throw new LakeError("unsupported", `parquet writer: parquet-wasm wrote ${written.length} schema elements, Java writes ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const w = written[i]!, e = expected[i]!;
    const got = { name: text(w, 4), type: int(w, 1), typeLength: int(w, 2), repetition: int(w, 3), numChildren: int(w, 5) };
    const same = (i === 0 || got.name === e.name) && got.type === e.type && got.typeLength === e.typeLength &&
      (i === 0 || got.repetition === e.repetition) && (got.numChildren ?? undefined) === e.numChildren;
    if (!same) {
      throw new LakeError("unsupported", `parquet writer: parquet-wasm wrote schema element ${i} as ${describe(got)}, Java writes ${describe(e)}`);
    }
  }
}

/** parquet-mr writes no column-chunk statistics whose min and max together take this many bytes or more. */
export const STATS_BYTES_MAX = 4096;

/** Parquet `Statistics` fields from parquet-mr's rules (`ParquetMetadataConverter#toParquetStatistics`, 1.15). */
export function statisticsToThrift(stats: ParquetChunkStats): ThriftField[] {
  const nulls: ThriftField = { id: 3, value: { kind: "i64", value: BigInt(stats.nullCount) } };
  const { min, max } = stats;
  if (min === null || max === null) return [nulls];
  if (min.length + max.length >= STATS_BYTES_MAX) return []; // "don't write stats larger than the max size"
  const out: ThriftField[] = [];
  // The deprecated min/max only where the order is signed (or both are equal), as parquet-mr.
  if (stats.signedOrder || equalBytes(min, max)) out.push({ id: 1, value: { kind: "binary", value: max } }, { id: 2, value: { kind: "binary", value: min } });
  out.push(nulls, { id: 5, value: { kind: "binary", value: max } }, { id: 6, value: { kind: "binary", value: min } });
  return out;
}

/** The page index parts of one column chunk the caller writes itself (see `ParquetPart`). */
export interface ChunkIndexes {
  /** ColumnIndex fields (`columnIndexToThrift`), or null for none. */
  readonly columnIndex: ThriftField[] | null;
  /** ColumnMetaData.size_statistics fields (`sizeStatisticsToThrift`). */
  readonly sizeStatistics: ThriftField[];
}

/** One file written by parquet-wasm holding one row group, and what to put in its footer. */
export interface ParquetPart {
  readonly bytes: Uint8Array;
  /** Per leaf column (footer order): exact statistics, or null to keep what parquet-wasm wrote. */
  readonly stats: readonly (ParquetChunkStats | null)[];
  /**
   * Per leaf column: given the first row (within the part) of each of the chunk's pages, from
   * parquet-wasm's offset index, its column index and size statistics; or null to keep
   * parquet-wasm's.
   */
  readonly indexes: readonly (((pageFirstRows: readonly number[]) => ChunkIndexes) | null)[];
}

/** ColumnIndex fields as parquet-mr 1.15 writes them (histograms: one entry per level per page). */
export function columnIndexToThrift(index: ParquetPageIndex, repetitionHistogram: readonly number[], definitionHistogram: readonly number[]): ThriftField[] {
  const list = (elementType: ThriftType, items: ThriftValue[]): ThriftValue => ({ kind: "list", elementType, items });
  const i64s = (xs: readonly number[]) => list(ThriftType.I64, xs.map((x) => ({ kind: "i64", value: BigInt(x) })));
  return [
    { id: 1, value: list(ThriftType.BOOL_TRUE, index.nullPages.map((value) => ({ kind: "bool", value }))) },
    { id: 2, value: list(ThriftType.BINARY, index.mins.map((value) => ({ kind: "binary", value }))) },
    { id: 3, value: list(ThriftType.BINARY, index.maxs.map((value) => ({ kind: "binary", value }))) },
    { id: 4, value: { kind: "i32", value: index.boundaryOrder } },
    { id: 5, value: i64s(index.nullCounts) },
    { id: 6, value: i64s(repetitionHistogram) },
    { id: 7, value: i64s(definitionHistogram) },
  ];
}

/** SizeStatistics fields as parquet-mr 1.15 writes them (unencoded bytes for BYTE_ARRAY columns only). */
export function sizeStatisticsToThrift(unencodedByteArrayBytes: number | null, repetitionHistogram: readonly number[], definitionHistogram: readonly number[]): ThriftField[] {
  const i64s = (xs: readonly number[]): ThriftValue => ({ kind: "list", elementType: ThriftType.I64, items: xs.map((x) => ({ kind: "i64", value: BigInt(x) })) });
  return [
    ...(unencodedByteArrayBytes === null ? [] : [{ id: 1, value: { kind: "i64", value: BigInt(unencodedByteArrayBytes) } } as ThriftField]),
    { id: 2, value: i64s(repetitionHistogram) },
    { id: 3, value: i64s(definitionHistogram) },
  ];
}

const COLUMN_CHUNK_FILE_OFFSET = 2;
const COLUMN_CHUNK_META = 3;
const OFFSET_INDEX_OFFSET = 4;
const OFFSET_INDEX_LENGTH = 5;
const COLUMN_INDEX_OFFSET = 6;
const COLUMN_INDEX_LENGTH = 7;
/** ColumnMetaData fields holding file offsets: data page, index page, dictionary page, bloom filter. */
const META_OFFSET_FIELDS = new Set([9, 10, 11, 14]);
const META_STATISTICS = 12;
const META_SIZE_STATISTICS = 16;
const ROW_GROUP_COLUMNS = 1;
const ROW_GROUP_NUM_ROWS = 3;
const ROW_GROUP_FILE_OFFSET = 5;
const ROW_GROUP_ORDINAL = 7;
const FILE_META_NUM_ROWS = 3;
const FILE_META_ROW_GROUPS = 4;

function i64Of(fields: readonly ThriftField[], id: number): number | undefined {
  const v = thriftField(fields, id);
  return v?.kind === "i64" ? Number(v.value) : v?.kind === "i32" ? v.value : undefined;
}

function shifted(value: ThriftValue, by: number): ThriftValue {
  return value.kind === "i64" ? { kind: "i64", value: value.value + BigInt(by) } : value;
}

/** An OffsetIndex with every page location moved by `by` bytes. */
function shiftOffsetIndex(bytes: Uint8Array, by: number): Uint8Array<ArrayBuffer> {
  const { struct } = decodeThriftStruct(bytes);
  return encodeThriftStruct(struct.map((f) => f.id !== 1 ? f : {
    id: 1,
    value: { kind: "list", elementType: ThriftType.STRUCT, items: structs(f.value, "page_locations").map((loc) => ({ kind: "struct", fields: loc.map((x) => (x.id === 1 ? { id: 1, value: shifted(x.value, by) } : x)) })) },
  }));
}

interface ChunkOut {
  fields: ThriftField[];
  columnIndex: Uint8Array | null;
  offsetIndex: Uint8Array | null;
}

/**
 * One Parquet file made of `parts` (each parquet-wasm's file of one row group), row group i
 * from part i, in Java's footer shape: schema `expected` (see rewrite rules in the header), no
 * `ARROW:schema` entry, each row group's column-chunk statistics replaced by `stats` where
 * given, page offsets moved to the pages' new places, then every column index and every offset
 * index (parquet-mr's order) and the footer. Requires: `expected` is `paimonParquetSchema` of
 * the fields every part was written from; `parts` not empty. Throws LakeError("unsupported")
 * when a part's physical layout differs from `expected` or it holds other than one row group,
 * ("corruption") when a part is not a Parquet file.
 */
export function assembleParquetFile(parts: readonly ParquetPart[], expected: readonly ParquetSchemaElement[]): Uint8Array<ArrayBuffer> {
  const out: Uint8Array[] = [Uint8Array.from(MAGIC)];
  let pos = 4, numRows = 0n;
  let template: readonly ThriftField[] = [];
  const groups: { fields: ThriftField[]; chunks: ChunkOut[] }[] = [];
  parts.forEach((part, p) => {
    const meta = decodeParquetFooter(part.bytes);
    checkLayout(structs(thriftField(meta, FILE_META_SCHEMA), "schema"), expected);
    if (p === 0) template = meta;
    const rowGroups = structs(thriftField(meta, FILE_META_ROW_GROUPS), "row_groups");
    if (rowGroups.length !== 1) throw new LakeError("unsupported", `parquet writer: parquet-wasm wrote ${rowGroups.length} row groups for one part, expected 1`);
    const rg = rowGroups[0]!;
    const columns = structs(thriftField(rg, ROW_GROUP_COLUMNS), "columns");
    const footerStart = splitParquetFooter(part.bytes).body.length;
    let bodyEnd = footerStart;
    for (const c of columns) {
      for (const id of [OFFSET_INDEX_OFFSET, COLUMN_INDEX_OFFSET]) {
        const at = i64Of(c, id);
        if (at !== undefined) bodyEnd = Math.min(bodyEnd, at);
      }
    }
    if (bodyEnd < 4) throw new LakeError("corruption", `parquet footer: an index starts at byte ${bodyEnd}, inside the magic`);
    const shift = pos - 4;
    out.push(part.bytes.subarray(4, bodyEnd));
    pos += bodyEnd - 4;
    const indexBytes = (c: readonly ThriftField[], offsetId: number, lengthId: number): Uint8Array | null => {
      const at = i64Of(c, offsetId), length = i64Of(c, lengthId);
      if (at === undefined || length === undefined) return null;
      if (at < bodyEnd || at + length > footerStart) throw new LakeError("corruption", `parquet footer: index at ${at} (+${length}) lies outside the index area [${bodyEnd}, ${footerStart})`);
      return part.bytes.subarray(at, at + length);
    };
    const chunks = columns.map((c, k): ChunkOut => {
      const stats = part.stats[k] ?? null;
      const offsetIndex = indexBytes(c, OFFSET_INDEX_OFFSET, OFFSET_INDEX_LENGTH);
      const indexOf = part.indexes[k] ?? null;
      let own: ChunkIndexes | null = null;
      if (indexOf !== null) {
        if (offsetIndex === null) throw new LakeError("unsupported", "parquet writer: parquet-wasm wrote no offset index, so the pages of a column index are unknown");
        own = indexOf(structs(thriftField(decodeThriftStruct(offsetIndex).struct, 1), "page_locations").map((loc) => i64Of(loc, 3) ?? 0));
      }
      const fields = c.filter((f) => f.id < OFFSET_INDEX_OFFSET || f.id > COLUMN_INDEX_LENGTH).map((f): ThriftField => {
        if (f.id === COLUMN_CHUNK_FILE_OFFSET && f.value.kind === "i64" && f.value.value !== 0n) return { id: f.id, value: shifted(f.value, shift) };
        if (f.id !== COLUMN_CHUNK_META || f.value.kind !== "struct") return f;
        const metaFields = f.value.fields.map((m): ThriftField => (META_OFFSET_FIELDS.has(m.id) ? { id: m.id, value: shifted(m.value, shift) } : m))
          .filter((m) => (stats === null || m.id !== META_STATISTICS) && (own === null || m.id !== META_SIZE_STATISTICS));
        if (stats !== null) metaFields.push({ id: META_STATISTICS, value: { kind: "struct", fields: statisticsToThrift(stats) } });
        if (own !== null) metaFields.push({ id: META_SIZE_STATISTICS, value: { kind: "struct", fields: own.sizeStatistics } });
        return { id: f.id, value: { kind: "struct", fields: metaFields.sort((a, b) => a.id - b.id) } };
      });
      const columnIndex = own === null ? indexBytes(c, COLUMN_INDEX_OFFSET, COLUMN_INDEX_LENGTH) : own.columnIndex === null ? null : encodeThriftStruct(own.columnIndex);
      return { fields, columnIndex, offsetIndex: offsetIndex === null ? null : shiftOffsetIndex(offsetIndex, shift) };
    });
    const rgFields = rg.map((f): ThriftField => (f.id === ROW_GROUP_FILE_OFFSET ? { id: f.id, value: shifted(f.value, shift) } : f.id === ROW_GROUP_ORDINAL ? { id: f.id, value: { kind: "i16", value: p } } : f));
    numRows += BigInt(i64Of(rg, ROW_GROUP_NUM_ROWS) ?? 0);
    groups.push({ fields: rgFields, chunks });
  });
  const indexPlace = new Map<Uint8Array, number>();
  for (const kind of ["columnIndex", "offsetIndex"] as const) {
    for (const g of groups) {
      for (const c of g.chunks) {
        const bytes = c[kind];
        if (bytes === null) continue;
        indexPlace.set(bytes, pos);
        out.push(bytes);
        pos += bytes.length;
      }
    }
  }
  const i64 = (n: number): ThriftValue => ({ kind: "i64", value: BigInt(n) });
  const i32 = (n: number): ThriftValue => ({ kind: "i32", value: n });
  const rowGroups: ThriftValue[] = groups.map((g) => ({
    kind: "struct",
    fields: g.fields.map((f) => f.id !== ROW_GROUP_COLUMNS ? f : {
      id: f.id,
      value: {
        kind: "list", elementType: ThriftType.STRUCT,
        items: g.chunks.map((c): ThriftValue => {
          const fields = [...c.fields];
          if (c.offsetIndex !== null) fields.push({ id: OFFSET_INDEX_OFFSET, value: i64(indexPlace.get(c.offsetIndex)!) }, { id: OFFSET_INDEX_LENGTH, value: i32(c.offsetIndex.length) });
          if (c.columnIndex !== null) fields.push({ id: COLUMN_INDEX_OFFSET, value: i64(indexPlace.get(c.columnIndex)!) }, { id: COLUMN_INDEX_LENGTH, value: i32(c.columnIndex.length) });
          return { kind: "struct", fields: fields.sort((a, b) => a.id - b.id) };
        }),
      },
    }),
  }));
  const footerFields: ThriftField[] = [];
  for (const field of template) {
    if (field.id === FILE_META_SCHEMA) {
      const items: ThriftValue[] = expected.map((e) => ({ kind: "struct", fields: schemaElementToThrift(e) }));
      footerFields.push({ id: FILE_META_SCHEMA, value: { kind: "list", elementType: ThriftType.STRUCT, items } });
    } else if (field.id === FILE_META_NUM_ROWS) {
      footerFields.push({ id: field.id, value: { kind: "i64", value: numRows } });
    } else if (field.id === FILE_META_ROW_GROUPS) {
      footerFields.push({ id: field.id, value: { kind: "list", elementType: ThriftType.STRUCT, items: rowGroups } });
    } else if (field.id === FILE_META_KEY_VALUE) {
      const kept = structs(field.value, "key_value_metadata").filter((kv) => text(kv, 1) !== ARROW_SCHEMA_METADATA_KEY);
      if (kept.length > 0) footerFields.push({ id: FILE_META_KEY_VALUE, value: { kind: "list", elementType: ThriftType.STRUCT, items: kept.map((fields) => ({ kind: "struct", fields })) } });
    } else {
      footerFields.push(field);
    }
  }
  const footer = encodeThriftStruct(footerFields);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(MAGIC, 4);
  out.push(footer, tail);
  return concatBytes(out);
}
