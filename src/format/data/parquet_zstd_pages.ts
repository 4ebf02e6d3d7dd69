/**
 * ZSTD pages of Parquet files (de)compressed outside parquet-wasm, with a faster codec
 * (zstd_wasm.ts), around parquet-wasm's own reader and writer:
 *  - read: `decompressZstdChunks` turns the ZSTD column chunks of a file into UNCOMPRESSED ones
 *    (each page decompressed, its header and the footer updated) before parquet-wasm reads it;
 *  - write: `compressChunksZstd` turns a file parquet-wasm wrote UNCOMPRESSED into the file a
 *    ZSTD writer writes: every page compressed on its own, headers (and CRCs, when present)
 *    updated, chunk codec ZSTD, sizes and offsets rebuilt. With libzstd at the same level as
 *    parquet-rs, the result is byte-identical to parquet-wasm's own ZSTD output.
 *
 * Page rules (parquet-format): DATA_PAGE and DICTIONARY_PAGE bodies are compressed whole;
 * DATA_PAGE_V2 keeps its repetition and definition levels (header fields 6 and 5 of
 * `data_page_header_v2`) uncompressed in front and compresses the values only, unless
 * `is_compressed` (field 7, default true) is false. `crc` (header field 4) is CRC-32 of the
 * page bytes after the header as stored. Reading verifies it on the ZSTD bytes and drops it
 * (the decompressed file only lives in memory, parquet-wasm does not check CRCs); writing
 * recomputes it over the compressed bytes when the input page carries one. As parquet-rs does,
 * writing stores v2 values raw (`is_compressed` false) when compressing them does not make
 * them smaller than the whole uncompressed page. INDEX_PAGE is never
 * written by Parquet writers and is refused.
 *
 * Invariants: pages keep their type, order, values, `uncompressed_page_size` and statistics;
 * a damaged frame, a frame that does not decode to `uncompressed_page_size`, or a CRC mismatch
 * is LakeError("corruption") naming the file, column and page.
 *
 * Mirrors parquet-mr's `ColumnChunkPageWriteStore` (per-page compression, CRC over the
 * compressed bytes) and `ParquetFileReader.Chunk.readAllPages` (CRC check, decompression):
 * https://github.com/apache/parquet-java/blob/master/parquet-hadoop/src/main/java/org/apache/parquet/hadoop/ColumnChunkPageWriteStore.java
 *
 * Imports: errors.ts, util/crc32.ts, parquet_chunk_rewrite.ts, thrift_compact.ts (types),
 * zstd_wasm.ts (types).
 */
import { LakeError } from "../../errors.ts";
import { crc32 } from "../../util/crc32.ts";
import { PAGE_TYPE, PARQUET_CODEC, rewriteColumnChunks, type OutputBuffer, type PageInput, type PageOutput } from "./parquet_chunk_rewrite.ts";
import { thriftField, withField, type ThriftField } from "./thrift_compact.ts";
import type { ZstdCodec } from "./zstd_wasm.ts";

/** Java Paimon's default `file.compression.zstd-level`. */
export const ZSTD_LEVEL_DEFAULT = 1;

const NOUN = "parquet zstd";

function i32(fields: readonly ThriftField[], id: number): number | undefined {
  const v = thriftField(fields, id);
  return v !== undefined && v.kind === "i32" ? v.value : undefined;
}

function failOf(page: PageInput, fileName: string) {
  return (code: "corruption" | "unsupported", why: string): never => {
    throw new LakeError(code, `${NOUN}: file ${fileName}: column ${page.column} page ${page.index} (byte ${page.offset}): ${why}`);
  };
}

/** The v2 page's levels prefix length and whether its values are compressed; null for v1/dictionary pages. */
function v2Layout(page: PageInput, fail: ReturnType<typeof failOf>): { levelBytes: number; compressed: boolean; header: readonly ThriftField[] } | null {
  const type = i32(page.header, 1);
  if (type === PAGE_TYPE.DATA_PAGE || type === PAGE_TYPE.DICTIONARY_PAGE) return null;
  if (type !== PAGE_TYPE.DATA_PAGE_V2) return fail("unsupported", `page type ${type} cannot be (de)compressed`);
  const v = thriftField(page.header, 8);
  if (v?.kind !== "struct") return fail("corruption", "DATA_PAGE_V2 without data_page_header_v2");
  const def = i32(v.fields, 5), rep = i32(v.fields, 6);
  if (def === undefined || rep === undefined || def < 0 || rep < 0) return fail("corruption", "data_page_header_v2 lacks valid level lengths");
  const flag = thriftField(v.fields, 7);
  return { levelBytes: def + rep, compressed: flag?.kind === "bool" ? flag.value : true, header: v.fields };
}

function checkCrc(page: PageInput, fail: ReturnType<typeof failOf>): void {
  const crc = i32(page.header, 4);
  if (crc === undefined) return;
  const actual = crc32(page.body);
  if (actual !== crc >>> 0) fail("corruption", `page CRC-32 ${actual.toString(16)} does not match the header's ${(crc >>> 0).toString(16)}`);
}

function decompressPage(page: PageInput, zstd: ZstdCodec, fileName: string): PageOutput {
  const fail = failOf(page, fileName);
  checkCrc(page, fail);
  const size = i32(page.header, 2)!;
  const v2 = v2Layout(page, fail);
  const header = withField(page.header, 4, undefined);
  if (v2 === null) {
    return { header, bodyBytes: size, fill: (t) => decompress(page.body, t, zstd, fail) };
  }
  if (v2.levelBytes > page.body.length || v2.levelBytes > size) fail("corruption", `levels of ${v2.levelBytes} bytes exceed the page`);
  if (!v2.compressed) {
    if (page.body.length !== size) fail("corruption", `uncompressed v2 page holds ${page.body.length} bytes, the header says ${size}`);
    return { header, bodyBytes: size, fill: (t) => t.set(page.body) };
  }
  const v2Header = withField(v2.header, 7, { kind: "bool", value: false });
  return {
    header: withField(header, 8, { kind: "struct", fields: v2Header }),
    bodyBytes: size,
    fill: (t) => {
      t.set(page.body.subarray(0, v2.levelBytes));
      decompress(page.body.subarray(v2.levelBytes), t.subarray(v2.levelBytes), zstd, fail);
    },
  };
}

function decompress(frame: Uint8Array, target: Uint8Array, zstd: ZstdCodec, fail: ReturnType<typeof failOf>): void {
  try {
    zstd.decompressInto(frame, target);
  } catch (error) {
    if (error instanceof LakeError) fail(error.code === "corruption" ? "corruption" : "unsupported", error.message);
    throw error;
  }
}

function compressPage(page: PageInput, zstd: ZstdCodec, level: number, fileName: string): PageOutput {
  const fail = failOf(page, fileName);
  const size = i32(page.header, 2)!;
  if (page.body.length !== size) fail("corruption", `uncompressed page holds ${page.body.length} bytes, the header says ${size}`);
  const v2 = v2Layout(page, fail);
  let body: Uint8Array;
  let header: ThriftField[] = [...page.header];
  if (v2 === null) {
    body = zstd.compress(page.body, level);
  } else {
    if (v2.levelBytes > size) fail("corruption", `levels of ${v2.levelBytes} bytes exceed the page`);
    const raw = page.body.subarray(v2.levelBytes);
    const packed = zstd.compress(raw, level);
    // parquet-rs (ColumnWriterImpl::add_data_page): when the compressed values are not smaller
    // than the whole uncompressed page, the values are stored raw with is_compressed = false.
    const values = size <= packed.length ? raw : packed;
    body = new Uint8Array(v2.levelBytes + values.length);
    body.set(page.body.subarray(0, v2.levelBytes));
    body.set(values, v2.levelBytes);
    const flag = values === packed && thriftField(v2.header, 7) === undefined ? undefined : { kind: "bool" as const, value: values === packed };
    header = withField(header, 8, { kind: "struct", fields: withField(v2.header, 7, flag) });
  }
  if (i32(page.header, 4) !== undefined) header = withField(header, 4, { kind: "i32", value: crc32(body) | 0 });
  return { header, bodyBytes: body.length, fill: (t) => t.set(body) };
}

/** Options of `decompressZstdChunks`. */
export interface DecompressZstdOptions {
  /** Names the file in messages. */
  readonly fileName: string;
  /**
   * Top-level column names to decompress (the first element of each chunk's path); other
   * chunks are copied as they are. Default: every ZSTD chunk.
   */
  readonly columns?: ReadonlySet<string>;
  /** Where the decompressed file goes (parquet_chunk_rewrite.ts `OutputBuffer`); default a new array. */
  readonly output?: OutputBuffer;
}

/**
 * Returns `file` with its ZSTD column chunks (those of `options.columns`, default all) turned
 * into UNCOMPRESSED ones; `file` itself when there is none. Throws LakeError("corruption") for
 * damaged pages, frames or CRCs, ("unsupported") for layouts parquet_chunk_rewrite.ts refuses.
 * Requires: `zstd` from zstd_wasm.ts (or any codec with the same contract).
 */
export function decompressZstdChunks(file: Uint8Array, zstd: ZstdCodec, options: DecompressZstdOptions): Uint8Array {
  const { fileName, columns } = options;
  return rewriteColumnChunks(file, {
    chunkCodec: (codec, column) =>
      codec === PARQUET_CODEC.ZSTD && (columns === undefined || columns.has(column.split(".")[0]!)) ? PARQUET_CODEC.UNCOMPRESSED : null,
    page: (page) => decompressPage(page, zstd, fileName),
  }, fileName, options.output);
}

/** Options of `compressChunksZstd`. */
export interface CompressZstdOptions {
  /** zstd level (Paimon `file.compression.zstd-level`); default 1. */
  readonly level?: number;
  /** Names the file in messages; default "(written file)". */
  readonly fileName?: string;
}

/**
 * Returns the ZSTD version of `file`, a Parquet file whose column chunks are all UNCOMPRESSED
 * (as parquet-wasm writes them with `Compression.UNCOMPRESSED`). Throws LakeError("unsupported")
 * when a chunk has another codec, ("corruption") for damaged structure.
 * Requires: `zstd` from zstd_wasm.ts (or any codec with the same contract).
 */
export function compressChunksZstd(file: Uint8Array, zstd: ZstdCodec, options: CompressZstdOptions = {}): Uint8Array {
  const level = options.level ?? ZSTD_LEVEL_DEFAULT, fileName = options.fileName ?? "(written file)";
  return rewriteColumnChunks(file, {
    chunkCodec: (codec, column) => {
      if (codec !== PARQUET_CODEC.UNCOMPRESSED) {
        throw new LakeError("unsupported", `${NOUN}: file ${fileName}: column ${column} has codec ${codec}, expected UNCOMPRESSED (0) pages to compress`);
      }
      return PARQUET_CODEC.ZSTD;
    },
    page: (page) => compressPage(page, zstd, level, fileName),
  }, fileName);
}
