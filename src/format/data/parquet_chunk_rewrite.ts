/**
 * Rewrites the pages of selected column chunks of a whole Parquet file (for example to change
 * their compression) and rebuilds everything that points at them: page headers, the chunks'
 * footer metadata (codec, total sizes, page offsets), the row groups' offsets and sizes, and
 * the offset indexes (page locations). Bytes that are not pages of a rewritten chunk — magic,
 * chunks kept as they are, column indexes, bloom filters — are copied unchanged, shifted.
 *
 * File layout (parquet-format): "PAR1" | column chunks (pages: thrift `PageHeader` + body) |
 * column indexes, offset indexes, bloom filters (in any order, after or between chunks) |
 * footer (thrift `FileMetaData`) | u32le footer length | "PAR1". parquet-rs and parquet-mr both
 * write every offset index after all column chunks; this module requires it (the offset
 * indexes are re-encoded, and a chunk placed after one would move by an amount not yet known).
 *
 * Footer fields rewritten: ColumnChunk 2 file_offset, 4 offset_index_offset,
 * 5 offset_index_length, 6 column_index_offset; ColumnMetaData 4 codec,
 * 6 total_uncompressed_size, 7 total_compressed_size, 9 data_page_offset, 10
 * index_page_offset, 11 dictionary_page_offset, 14 bloom_filter_offset; RowGroup 2
 * total_byte_size and 6 total_compressed_size (shifted by the change of their chunks), 5
 * file_offset. OffsetIndex 1 page_locations: offset and compressed_page_size (header
 * included). Everything else is kept as decoded (thrift_compact.ts re-encodes it byte for byte).
 *
 * Invariants: the result has the same row groups, columns, values and statistics; every
 * offset in it points at the same logical thing as before. Damaged structure (pages that do
 * not tile their chunk, offsets outside the file) is LakeError("corruption"); layouts this
 * module cannot rebuild (encryption, external column chunks, an offset into the middle of a
 * rewritten page, offset indexes before a chunk) are LakeError("unsupported"). When no chunk is
 * selected the input is returned as is.
 *
 * Mirrors the footer bookkeeping of parquet-mr's `ParquetFileWriter` (startColumn/endColumn,
 * serializeOffsetIndexes): https://github.com/apache/parquet-java/blob/master/parquet-hadoop/src/main/java/org/apache/parquet/hadoop/ParquetFileWriter.java
 *
 * Imports: errors.ts, util/assert.ts, parquet_footer.ts, thrift_compact.ts.
 */
import { LakeError } from "../../errors.ts";
import { assert } from "../../util/assert.ts";
import { decodeParquetFooter, splitParquetFooter } from "./parquet_footer.ts";
import { decodeThriftStruct, encodeThriftStruct, thriftField, thriftInt, ThriftType, withField, type ThriftField, type ThriftValue } from "./thrift_compact.ts";

/** Parquet `CompressionCodec` values (persisted). */
export const PARQUET_CODEC = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZO: 3, BROTLI: 4, LZ4: 5, ZSTD: 6, LZ4_RAW: 7 } as const;
/** Parquet `PageType` values (persisted). */
export const PAGE_TYPE = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;

/** One page of a chunk being rewritten. */
export interface PageInput {
  /** Dotted column path and 0-based page index in its chunk, for messages. */
  readonly column: string;
  readonly index: number;
  /** Absolute file offset of the page header. */
  readonly offset: number;
  readonly header: readonly ThriftField[];
  /** The `compressed_page_size` bytes after the header. */
  readonly body: Uint8Array;
}

/** The rewritten page: its header and a writer of exactly `bodyBytes` body bytes. */
export interface PageOutput {
  readonly header: readonly ThriftField[];
  readonly bodyBytes: number;
  /** Writes the body into `target` (exactly `bodyBytes` long). Called once, after planning. */
  readonly fill: (target: Uint8Array) => void;
}

/** What to rewrite and how. */
export interface ChunkRewrite {
  /** The codec the chunk gets, or null to keep the chunk unchanged. */
  chunkCodec(codec: number, column: string): number | null;
  /** Rewrites one page (its header must keep the type and `uncompressed_page_size`). */
  page(input: PageInput): PageOutput;
}

const NOUN = "parquet chunk rewrite";
const FILE_BYTES_MAX = 2 ** 31 - 1;

type Fields = readonly ThriftField[];

function struct(fields: Fields, id: number): Fields | undefined {
  const v = thriftField(fields, id);
  return v?.kind === "struct" ? v.fields : undefined;
}

function structList(fields: Fields, id: number): Fields[] {
  const v = thriftField(fields, id);
  if (v === undefined) return [];
  if (v.kind !== "list" || v.items.some((i) => i.kind !== "struct")) throw new LakeError("corruption", `${NOUN}: field ${id} is not a list of structs`);
  return v.items.map((i) => (i as { fields: Fields }).fields);
}

/** `value` as a thrift value of the same wire kind as the field it replaces (i32 or i64). */
function sameKind(old: ThriftValue | undefined, value: number): ThriftValue {
  return old?.kind === "i64" ? { kind: "i64", value: BigInt(value) } : { kind: "i32", value };
}

function replaceInts(fields: Fields, values: ReadonlyMap<number, number>): ThriftField[] {
  return fields.map((f) => (values.has(f.id) ? { id: f.id, value: sameKind(f.value, values.get(f.id)!) } : f));
}

interface ChunkPlan {
  readonly column: string;
  readonly start: number;
  readonly end: number;
  /** null: copied unchanged. */
  readonly codec: number | null;
  readonly pages: { readonly offset: number; readonly header: Uint8Array; readonly out: PageOutput; newOffset: number }[];
  bytes: number;
  uncompressedBytes: number;
  newStart: number;
}

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly kind: "copy" | "chunk" | "offset-index";
  readonly chunk?: ChunkPlan;
  newStart: number;
  bytes: number;
  encoded?: Uint8Array;
}

/** Plans the pages of one chunk: decodes every header, checks the tiling, rewrites each page. */
function planChunk(file: Uint8Array, plan: ChunkPlan, rewrite: ChunkRewrite, fileName: string): void {
  let pos = plan.start;
  for (let index = 0; pos < plan.end; index++) {
    const fail = (why: string): never => {
      throw new LakeError("corruption", `${NOUN}: file ${fileName}: column ${plan.column} page ${index} (byte ${pos}): ${why}`);
    };
    let header: ThriftField[], headerBytes: number;
    try {
      ({ struct: header, lengthBytes: headerBytes } = decodeThriftStruct(file.subarray(pos, plan.end)));
    } catch (error) {
      if (!(error instanceof LakeError)) throw error;
      return fail(`unreadable page header (${error.message})`);
    }
    const compressed = thriftInt(header, 3), uncompressed = thriftInt(header, 2);
    if (thriftInt(header, 1) === undefined || compressed === undefined || uncompressed === undefined || compressed < 0 || uncompressed < 0) {
      fail("page header lacks its type or has no valid sizes");
    }
    const bodyStart = pos + headerBytes, bodyEnd = bodyStart + compressed!;
    if (bodyEnd > plan.end) fail(`page of ${compressed} bytes ends past the column chunk (${plan.end - bodyStart} bytes left)`);
    const out = rewrite.page({ column: plan.column, index, offset: pos, header, body: file.subarray(bodyStart, bodyEnd) });
    const encoded = encodeThriftStruct(withField(out.header, 3, { kind: "i32", value: out.bodyBytes }));
    plan.pages.push({ offset: pos, header: encoded, out, newOffset: plan.bytes });
    plan.bytes += encoded.length + out.bodyBytes;
    plan.uncompressedBytes += encoded.length + thriftInt(out.header, 2)!;
    if (plan.bytes > FILE_BYTES_MAX) fail(`rewritten chunk exceeds ${FILE_BYTES_MAX} bytes`);
    pos = bodyEnd;
  }
}

/** Chunk start: the dictionary page when there is one before the first data page (parquet-mr may write 0 for none). */
function chunkStart(meta: Fields): number {
  const data = thriftInt(meta, 9), dict = thriftInt(meta, 11);
  if (data === undefined) throw new LakeError("corruption", `${NOUN}: column chunk without data_page_offset`);
  return dict !== undefined && dict > 0 && dict < data ? dict : data;
}

/**
 * Where the rewritten file goes: a function returning a buffer of at least `bytes` bytes (for
 * example a scratch buffer reused across files, to spare the allocation and page faults of a
 * fresh one); the result is then a view of it, valid until the buffer is reused. Default: a
 * new array.
 */
export type OutputBuffer = (bytes: number) => Uint8Array;

/**
 * Returns `file` with the pages of the chunks `rewrite` selects rewritten, and every header,
 * size and offset that depends on them updated (see the file header). Throws
 * LakeError("corruption") for damaged structure, ("unsupported") for layouts it cannot
 * rebuild. Requires: `fileName` names the file in messages; `output` (if given) returns a
 * buffer of at least the requested size that `file` does not live in.
 */
export function rewriteColumnChunks(file: Uint8Array, rewrite: ChunkRewrite, fileName: string, output?: OutputBuffer): Uint8Array {
  const corrupt = (why: string) => new LakeError("corruption", `${NOUN}: file ${fileName}: ${why}`);
  const unsupported = (why: string) => new LakeError("unsupported", `${NOUN}: file ${fileName}: ${why}`);
  const { body } = splitParquetFooter(file);
  const footerStart = body.length;
  const meta = decodeParquetFooter(file);
  if (thriftField(meta, 8) !== undefined) throw unsupported("encrypted files are not supported");
  const rowGroups = structList(meta, 4);

  const chunks: ChunkPlan[] = [];
  const segments: Segment[] = [];
  for (const rg of rowGroups) {
    for (const cc of structList(rg, 1)) {
      if (thriftField(cc, 1) !== undefined) throw unsupported("column chunks in other files (file_path) are not supported");
      const md = struct(cc, 3);
      if (md === undefined) throw unsupported("column chunk without plaintext metadata (encrypted column)");
      const path = thriftField(md, 3);
      const column = path?.kind === "list" ? path.items.map((i) => (i.kind === "binary" ? new TextDecoder().decode(i.value) : "?")).join(".") : "?";
      const start = chunkStart(md), size = thriftInt(md, 7), codec = thriftInt(md, 4);
      if (size === undefined || codec === undefined || size < 0 || start < 4 || start + size > footerStart) {
        throw corrupt(`column ${column}: chunk [${start}, +${size}) lies outside the pages area [4, ${footerStart})`);
      }
      const newCodec = rewrite.chunkCodec(codec, column);
      const plan: ChunkPlan = { column, start, end: start + size, codec: newCodec, pages: [], bytes: newCodec === null ? size : 0, uncompressedBytes: thriftInt(md, 6) ?? 0, newStart: 0 };
      chunks.push(plan);
      segments.push({ start, end: start + size, kind: "chunk", chunk: plan, newStart: 0, bytes: size });
      const oiOffset = thriftInt(cc, 4), oiLength = thriftInt(cc, 5);
      if (oiOffset !== undefined && oiLength !== undefined && oiLength > 0) {
        if (oiOffset < 4 || oiLength < 0 || oiOffset + oiLength > footerStart) throw corrupt(`column ${column}: offset index [${oiOffset}, +${oiLength}) lies outside the file`);
        segments.push({ start: oiOffset, end: oiOffset + oiLength, kind: "offset-index", newStart: 0, bytes: oiLength });
      }
    }
  }
  if (chunks.every((c) => c.codec === null)) return file;

  segments.sort((a, b) => a.start - b.start);
  const tiled: Segment[] = [];
  let at = 4;
  for (const s of segments) {
    if (s.start < at) throw corrupt(`byte range [${s.start}, ${s.end}) overlaps the previous chunk or index (ending at ${at})`);
    if (s.start > at) tiled.push({ start: at, end: s.start, kind: "copy", newStart: 0, bytes: s.start - at });
    tiled.push(s);
    at = s.end;
  }
  if (at < footerStart) tiled.push({ start: at, end: footerStart, kind: "copy", newStart: 0, bytes: footerStart - at });
  let lastChunk = -1;
  tiled.forEach((s, i) => { if (s.kind === "chunk") lastChunk = i; });
  if (tiled.some((s, i) => s.kind === "offset-index" && i < lastChunk)) throw unsupported("an offset index precedes a column chunk");

  for (const c of chunks) if (c.codec !== null) { c.uncompressedBytes = 0; planChunk(file, c, rewrite, fileName); }

  // Place chunks and copied ranges; page locations are then known, so the offset indexes can be encoded.
  const starts = tiled.map((s) => s.start);
  const pageAt = new Map<number, { offset: number; bytes: number }>();
  let newFooterStart = -1;
  let pos = 4;
  for (const s of tiled) {
    s.newStart = pos;
    if (s.kind === "chunk") {
      const c = s.chunk!;
      c.newStart = pos;
      s.bytes = c.bytes;
      for (const p of c.pages) pageAt.set(p.offset, { offset: pos + p.newOffset, bytes: p.header.length + p.out.bodyBytes });
    } else if (s.kind === "offset-index") {
      s.encoded = encodeOffsetIndex(file.subarray(s.start, s.end), (o) => mapOffset(o), (o, b) => pageAt.get(o)?.bytes ?? b);
      s.bytes = s.encoded.length;
    }
    pos += s.bytes;
    if (pos > FILE_BYTES_MAX) throw unsupported(`rewritten file exceeds ${FILE_BYTES_MAX} bytes`);
  }
  newFooterStart = pos;

  function mapOffset(offset: number): number {
    if (offset < 4) return offset;
    if (offset >= footerStart) return offset - footerStart + newFooterStart;
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid]! <= offset) lo = mid; else hi = mid - 1; }
    const s = tiled[lo]!;
    if (s.kind === "copy" || (s.kind === "chunk" && s.chunk!.codec === null)) return s.newStart + (offset - s.start);
    if (offset === s.start) return s.newStart;
    const page = pageAt.get(offset);
    if (s.kind === "chunk" && page !== undefined) return page.offset;
    throw unsupported(`footer offset ${offset} points inside ${s.kind === "chunk" ? `a rewritten page of column ${s.chunk!.column}` : "an offset index"}`);
  }

  const newFooter = encodeThriftStruct(rewriteFooter(meta, chunks, segments, mapOffset));
  const outBytes = newFooterStart + newFooter.length + 8;
  const out = output === undefined ? new Uint8Array(outBytes) : output(outBytes).subarray(0, outBytes);
  assert(out.length === outBytes, `${NOUN}: output buffer of ${out.length} bytes, ${outBytes} needed`);
  out.set(file.subarray(0, 4), 0);
  for (const s of tiled) {
    if (s.kind === "copy" || (s.kind === "chunk" && s.chunk!.codec === null)) out.set(file.subarray(s.start, s.end), s.newStart);
    else if (s.kind === "offset-index") out.set(s.encoded!, s.newStart);
    else {
      for (const p of s.chunk!.pages) {
        const h = s.newStart + p.newOffset;
        out.set(p.header, h);
        p.out.fill(out.subarray(h + p.header.length, h + p.header.length + p.out.bodyBytes));
      }
    }
  }
  out.set(newFooter, newFooterStart);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(newFooterStart + newFooter.length, newFooter.length, true);
  out.set(file.subarray(file.length - 4), out.length - 4);
  return out;
}

/** Re-encodes one OffsetIndex with mapped page offsets and new page sizes. */
function encodeOffsetIndex(bytes: Uint8Array, map: (offset: number) => number, size: (offset: number, old: number) => number): Uint8Array {
  const { struct: index, lengthBytes } = decodeThriftStruct(bytes);
  if (lengthBytes !== bytes.length) throw new LakeError("corruption", `${NOUN}: offset index ends at byte ${lengthBytes} of its ${bytes.length}`);
  const locations = structList(index, 1).map((loc): ThriftValue => {
    const offset = thriftInt(loc, 1), bytesOld = thriftInt(loc, 2);
    if (offset === undefined || bytesOld === undefined) throw new LakeError("corruption", `${NOUN}: page location without offset or size`);
    return { kind: "struct", fields: replaceInts(loc, new Map([[1, map(offset)], [2, size(offset, bytesOld)]])) };
  });
  return encodeThriftStruct(withField(index, 1, { kind: "list", elementType: ThriftType.STRUCT, items: locations }));
}

function rewriteFooter(meta: Fields, chunks: readonly ChunkPlan[], segments: readonly Segment[], map: (offset: number) => number): ThriftField[] {
  const offsetIndexes = new Map(segments.filter((s) => s.kind === "offset-index").map((s) => [s.start, s]));
  let next = 0;
  const rowGroups = structList(meta, 4).map((rg): ThriftValue => {
    let compressedDelta = 0, uncompressedDelta = 0;
    const columns = structList(rg, 1).map((cc): ThriftValue => {
      const plan = chunks[next++]!;
      const md = struct(cc, 3)!;
      const ints = new Map<number, number>();
      for (const id of [9, 10, 11, 14]) {
        const v = thriftInt(md, id);
        if (v !== undefined && !(id === 11 && v === 0)) ints.set(id, map(v));
      }
      if (plan.codec !== null) {
        compressedDelta += plan.bytes - (plan.end - plan.start);
        uncompressedDelta += plan.uncompressedBytes - (thriftInt(md, 6) ?? 0);
        ints.set(6, plan.uncompressedBytes).set(7, plan.bytes).set(4, plan.codec);
      }
      const newMd = replaceInts(md, ints);
      const ccInts = new Map<number, number>();
      const fileOffset = thriftInt(cc, 2), oi = thriftInt(cc, 4), ci = thriftInt(cc, 6);
      if (fileOffset !== undefined) ccInts.set(2, fileOffset === 0 ? 0 : map(fileOffset));
      if (oi !== undefined) { ccInts.set(4, map(oi)); ccInts.set(5, offsetIndexes.get(oi)?.bytes ?? thriftInt(cc, 5)!); }
      if (ci !== undefined) ccInts.set(6, map(ci));
      return { kind: "struct", fields: withField(replaceInts(cc, ccInts), 3, { kind: "struct", fields: newMd }) };
    });
    const rgInts = new Map<number, number>();
    const total = thriftInt(rg, 2), compressed = thriftInt(rg, 6), offset = thriftInt(rg, 5);
    if (total !== undefined) rgInts.set(2, total + uncompressedDelta);
    if (compressed !== undefined) rgInts.set(6, compressed + compressedDelta);
    if (offset !== undefined) rgInts.set(5, map(offset));
    return { kind: "struct", fields: withField(replaceInts(rg, rgInts), 1, { kind: "list", elementType: ThriftType.STRUCT, items: columns }) };
  });
  return withField(meta, 4, { kind: "list", elementType: ThriftType.STRUCT, items: rowGroups });
}
