/**
 * The footer side of the Parquet data-file writer: assembles one file from the single-row-group
 * files parquet-wasm writes (one per row group), with the footer Java Paimon's parquet-mr
 * writes: the schema exactly as parquet_schema.ts gives it (message `paimon_schema`, field ids,
 * Java's annotations), no `ARROW:schema` key/value entry (Java writes no footer metadata), and
 * for the flat columns parquet-mr 1.15's column-chunk statistics (whole min/max, no
 * truncation: `parquet.statistics.truncate.length` is unlimited by default; the deprecated
 * min/max only for signed orders or equal values; nothing past 4 KiB), size statistics (level
 * histograms, unencoded BYTE_ARRAY bytes) and column index (per-page min/max truncated to 64
 * bytes by `BinaryTruncator`'s rules, null pages, boundary order, level histograms; none for a
 * FLOAT/DOUBLE chunk with a NaN page). Nested columns keep parquet-wasm's statistics and index.
 *
 * File layout (parquet-mr's order): "PAR1" | pages of row group 0, 1, ... | every column index
 * | every offset index | footer (Thrift compact `FileMetaData`) | u32le footer length | "PAR1".
 * A part's pages are copied whole; the offsets of pages, row groups and offset-index page
 * locations are moved to the new places; `created_by` and everything else are kept as written.
 *
 * Invariants: assembly refuses (LakeError "unsupported") unless each part's schema has the
 * same physical layout as the expected one, element by element: name (the root aside),
 * physical type, fixed length, repetition and child count. Values and levels therefore mean
 * the same under the new annotations.
 *
 * Mirrors the footer parquet-mr writes through `ParquetMetadataConverter#toParquetMetadata`
 * and its column indexes (`ColumnIndexBuilder`, `BinaryTruncator`), parquet-java 1.15:
 * https://github.com/apache/parquet-java/blob/master/parquet-hadoop/src/main/java/org/apache/parquet/format/converter/ParquetMetadataConverter.java
 * https://github.com/apache/parquet-java/blob/master/parquet-column/src/main/java/org/apache/parquet/internal/column/columnindex/ColumnIndexBuilder.java
 *
 * Imports: errors.ts, util/bytes.ts, spec/data_types.ts (types), buffer_stats.ts,
 * parquet_schema.ts, thrift_compact.ts.
 */
import { LakeError } from "../../errors.ts";
import { concatBytes, equalBytes, utf8Decode } from "../../util/bytes.ts";
import type { DataType } from "../../spec/data_types.ts";
import { floatBytes, javaFloatCompare, type ParquetChunkStats } from "./buffer_stats.ts";
import { schemaElementToThrift, type ParquetSchemaElement } from "./parquet_schema.ts";
import { decodeThriftStruct, encodeThriftStruct, thriftField, ThriftType, type ThriftField, type ThriftValue } from "./thrift_compact.ts";

/** The 4 bytes that open and close a Parquet file ("PAR1"). */
export const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31];
const MAGIC = PARQUET_MAGIC;
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

/** What parquet-mr 1.15 keeps in the column index of one column chunk (`ColumnIndexBuilder`). */
export interface ParquetPageIndex {
  readonly nullPages: readonly boolean[];
  /** Per page: min and max as Parquet plain bytes (binary truncated, see `parquetPageIndex`); empty for null pages. */
  readonly mins: readonly Uint8Array[];
  readonly maxs: readonly Uint8Array[];
  readonly nullCounts: readonly number[];
  /** 0 UNORDERED, 1 ASCENDING, 2 DESCENDING (over the non-null pages). */
  readonly boundaryOrder: 0 | 1 | 2;
}

/** `parquet.columnindex.truncate.length` default. */
export const COLUMN_INDEX_TRUNCATE_BYTES = 64;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function validUtf8(b: Uint8Array): boolean {
  try {
    STRICT_UTF8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** parquet-mr `BinaryTruncator` (DEFAULT_UTF8) of a min (`max` false) or max value to `length` bytes. */
export function truncateBinaryStat(value: Uint8Array, length: number, max: boolean): Uint8Array {
  if (value.length <= length) return value;
  let cut: Uint8Array | null;
  if (validUtf8(value)) {
    let n = length;
    while (n > 0 && !validUtf8(value.subarray(0, n))) n--;
    cut = n === 0 ? null : value.slice(0, n);
    if (cut !== null && max) cut = incrementUtf8(cut);
  } else {
    cut = value.slice(0, length);
    if (max) cut = incrementBytes(cut);
  }
  return cut ?? value;
}

function incrementBytes(b: Uint8Array): Uint8Array | null {
  for (let i = b.length - 1; i >= 0; i--) {
    b[i] = (b[i]! + 1) & 0xff;
    if (b[i] !== 0) return b;
  }
  return null;
}

/** parquet-mr `incrementUtf8`: bump the last byte that still gives valid UTF-8, from the end; null when none can. */
function incrementUtf8(b: Uint8Array): Uint8Array | null {
  for (let i = b.length - 1; i >= 0; i--) {
    const prev = b[i]!;
    for (let inc = prev + 1; inc <= 0xff; inc++) {
      b[i] = inc;
      // Java tells MALFORMED (stop with this byte) from UNMAPPABLE (try the next value); UTF-8 has no unmappable bytes.
      if (validUtf8(b)) return b;
      break;
    }
    b[i] = prev;
  }
  return null;
}

/** Compares two plain-encoded stats values of `type` in Parquet's order for the type. */
function compareStatBytes(type: DataType, a: Uint8Array, b: Uint8Array): number {
  const da = new DataView(a.buffer, a.byteOffset, a.byteLength), db = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type.root) {
    case "BOOLEAN": return a[0]! - b[0]!;
    case "FLOAT": return javaFloatCompare(da.getFloat32(0, true), db.getFloat32(0, true));
    case "DOUBLE": return javaFloatCompare(da.getFloat64(0, true), db.getFloat64(0, true));
    case "CHAR": case "VARCHAR": case "BINARY": case "VARBINARY": {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return a.length - b.length;
    }
    default: {
      if (a.length === 4) return da.getInt32(0, true) - db.getInt32(0, true);
      if (a.length === 8) { const x = da.getBigInt64(0, true), y = db.getBigInt64(0, true); return x < y ? -1 : x > y ? 1 : 0; }
      // FIXED_LEN decimal: signed big-endian
      if (a[0] !== b[0]) return ((a[0]! << 24) >> 24) - ((b[0]! << 24) >> 24);
      for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return 0;
    }
  }
}

/**
 * parquet-mr's column index of a flat column chunk from the `parquetChunkStats` of its pages,
 * in page order: per page the null count and, unless all null, min and max
 * (FLOAT/DOUBLE: -0.0 as min and +0.0 as max for zeros; binary values truncated to
 * COLUMN_INDEX_TRUNCATE_BYTES as parquet-mr's `BinaryTruncator` does), and the boundary order.
 * Null when parquet-mr writes none: a FLOAT/DOUBLE page whose min or max is NaN.
 */
export function parquetPageIndex(type: DataType, pages: readonly ParquetChunkStats[]): ParquetPageIndex | null {
  const nullPages: boolean[] = [], mins: Uint8Array[] = [], maxs: Uint8Array[] = [], nullCounts: number[] = [];
  const float = type.root === "FLOAT" || type.root === "DOUBLE", binary = type.root === "CHAR" || type.root === "VARCHAR" || type.root === "BINARY" || type.root === "VARBINARY";
  for (const s of pages) {
    nullCounts.push(s.nullCount);
    if (s.min === null || s.max === null) {
      nullPages.push(true);
      mins.push(new Uint8Array(0));
      maxs.push(new Uint8Array(0));
      continue;
    }
    let min = s.min, max = s.max;
    if (float) {
      const double = type.root === "DOUBLE";
      const read = (b: Uint8Array) => (double ? new DataView(b.buffer).getFloat64(0, true) : new DataView(b.buffer).getFloat32(0, true));
      const lo = read(min), hi = read(max);
      if (Number.isNaN(lo) || Number.isNaN(hi)) return null;
      if (Object.is(lo, 0)) min = floatBytes(-0, double);
      if (Object.is(hi, -0)) max = floatBytes(0, double);
    } else if (binary) {
      min = truncateBinaryStat(min, COLUMN_INDEX_TRUNCATE_BYTES, false);
      max = truncateBinaryStat(max, COLUMN_INDEX_TRUNCATE_BYTES, true);
    }
    nullPages.push(false);
    mins.push(min);
    maxs.push(max);
  }
  const valued = nullPages.flatMap((isNull, i) => (isNull ? [] : [i]));
  let ascending = true, descending = true;
  for (let k = 1; k < valued.length; k++) {
    const a = valued[k - 1]!, b = valued[k]!;
    const minOrder = compareStatBytes(type, mins[a]!, mins[b]!), maxOrder = compareStatBytes(type, maxs[a]!, maxs[b]!);
    if (minOrder > 0 || maxOrder > 0) ascending = false;
    if (minOrder < 0 || maxOrder < 0) descending = false;
  }
  return { nullPages, mins, maxs, nullCounts, boundaryOrder: ascending ? 1 : descending ? 2 : 0 };
}

/** The statistics of a column chunk from those of its pages (`parquetChunkStats` of each, in order). */
export function combineChunkStats(type: DataType, pages: readonly ParquetChunkStats[]): ParquetChunkStats {
  let nullCount = 0, min: Uint8Array | null = null, max: Uint8Array | null = null;
  for (const p of pages) {
    nullCount += p.nullCount;
    if (p.min === null || p.max === null) continue;
    if (min === null || compareStatBytes(type, p.min, min) < 0) min = p.min;
    if (max === null || compareStatBytes(type, p.max, max) > 0) max = p.max;
  }
  return { nullCount, min, max, signedOrder: pages[0]?.signedOrder ?? true };
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
  /** The chunk's statistics (parquet-mr rules, `statisticsToThrift`). */
  readonly statistics: ParquetChunkStats;
}

/** One file written by parquet-wasm holding one row group, and what to put in its footer. */
export interface ParquetPart {
  readonly bytes: Uint8Array;
  /**
   * Per leaf column (footer order): given the first row (within the part) of each of the
   * chunk's pages, from parquet-wasm's offset index, its exact statistics, column index and
   * size statistics; or null to keep parquet-wasm's.
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
 * `ARROW:schema` entry, each column chunk's statistics, size statistics and column index
 * replaced by the part's `indexes` where given, page offsets moved to the pages' new places, then every column index and every offset
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
      const offsetIndex = indexBytes(c, OFFSET_INDEX_OFFSET, OFFSET_INDEX_LENGTH);
      const indexOf = part.indexes[k] ?? null;
      let own: ChunkIndexes | null = null;
      if (indexOf !== null) {
        if (offsetIndex === null) throw new LakeError("unsupported", "parquet writer: parquet-wasm wrote no offset index, so the pages of a column index are unknown");
        own = indexOf(structs(thriftField(decodeThriftStruct(offsetIndex).struct, 1), "page_locations").map((loc) => i64Of(loc, 3) ?? 0));
      }
      const stats = own === null ? null : own.statistics;
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
