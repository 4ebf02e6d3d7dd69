/**
 * Reads columns of one Paimon Parquet data file (in memory, or through a RangeReader fetching
 * only the footer and the requested column chunks) into Paimon values.
 *
 * File layout (Parquet): "PAR1" | column chunks of each row group | footer (thrift
 * FileMetaData) | u32le footer length | "PAR1". Paimon writes one top-level field per column
 * (message `paimon_schema` from parquet-mr, `schema` from native Arrow writers; any name is
 * accepted, so is any `created_by`), nested types as 3-level LIST (`list`/`element`) and MAP
 * (`key_value`/`key`/`value`), and no key/value footer metadata.
 *
 * How: hyparquet decodes pages (PLAIN, dictionary, RLE, delta, byte-stream-split; data page v1
 * and v2; UNCOMPRESSED, SNAPPY, and ZSTD through `fzstd`). Before decoding, the footer is patched
 * so hyparquet returns physical values and does no lossy conversion of its own: leaf
 * annotations other than UTF8/STRING are removed (decimals would become doubles, timestamps
 * Dates), INT96 leaves are re-typed as 12-byte FIXED_LEN_BYTE_ARRAY (hyparquet's INT96 path
 * drops negative nanos-of-day), and MAP group annotations are removed so maps come back as
 * lists of key/value records instead of objects keyed by stringified keys. parquet_values.ts
 * then converts by the declared Paimon type.
 *
 * Invariants: columns are matched by name, exactly first, then by a unique case-insensitive
 * match (Java matches case-insensitively only when the catalog is case-insensitive; with its
 * default it would read NULLs for such a column); field ids are not needed (files of Paimon
 * ≤0.9 have none). Only requested columns are decoded. Every returned column has exactly `rowCount`
 * entries. Damaged files fail with LakeError("corruption") naming the file, codecs we cannot
 * decode with LakeError("unsupported").
 *
 * Mirrors `org.apache.paimon.format.parquet.ParquetReaderFactory` (clipParquetSchema, by-name
 * matching) and `ParquetVectorUpdaterFactory`:
 * https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/parquet/ParquetReaderFactory.java
 *
 * Before decoding, every requested column chunk is read once and its pages are checked
 * (parquet_pages.ts: sizes, value counts, page CRC-32s); hyparquet then decodes from those bytes.
 *
 * Imports: errors.ts, util/bytes.ts, data_batch.ts (types), parquet_pages.ts, parquet_values.ts,
 * zstd_wasm.ts, packages hyparquet and fzstd.
 */
import { decompress as zstdDecompress } from "fzstd";
import { parquetMetadata, parquetRead, type ColumnData, type Compressors, type FileMetaData, type SchemaElement } from "hyparquet";
import { LakeError } from "../../errors.ts";
import { utf8Decode } from "../../util/bytes.ts";
import type { FileColumnRequest, FileColumns, RangeReader } from "./data_batch.ts";
import { checkColumnChunkPages } from "./parquet_pages.ts";
import { loadedZstdWasmCodec, zstdWasmCodec } from "./zstd_wasm.ts";
import { compileParquetConverter, convertParquetColumn, matchParquetChild, type ParquetNode } from "./parquet_values.ts";

/** "PAR1" read as a little-endian u32 (persisted magic at both ends of every Parquet file). */
const PARQUET_MAGIC_U32 = 0x31524150;
/** Smallest possible Parquet file: magic, footer length, magic. */
const PARQUET_FILE_BYTES_MIN = 12;
/** Tail bytes fetched first from a RangeReader: Paimon footers are a few KB, so one read usually suffices. */
const FOOTER_FETCH_BYTES = 64 * 1024;
/** Codecs we can decompress (SNAPPY is built into hyparquet, ZSTD goes through fzstd). */
const SUPPORTED_CODECS = new Set(["UNCOMPRESSED", "SNAPPY", "ZSTD"]);

interface IndexedNode extends ParquetNode {
  readonly index: number;
  readonly children: readonly IndexedNode[];
}

function corrupt(fileName: string, why: string, cause?: unknown): LakeError {
  return new LakeError("corruption", `parquet: file ${fileName}: ${why}`, cause === undefined ? undefined : { cause });
}

/** Builds the schema tree from the (unpatched copy of the) flat element list, checking counts. */
function buildTree(elements: readonly SchemaElement[], fileName: string): IndexedNode {
  let next = 0;
  const visit = (depth: number): IndexedNode => {
    const index = next++;
    const element = elements[index];
    if (element === undefined) throw corrupt(fileName, `schema ends early at element ${index}`);
    if (depth > 64) throw corrupt(fileName, "schema nests deeper than 64 levels");
    if (typeof element !== "object" || element === null || typeof element.name !== "string") {
      throw corrupt(fileName, `schema element ${index} has no name`);
    }
    const children: IndexedNode[] = [];
    const count = element.num_children ?? 0;
    if (!Number.isSafeInteger(count) || count < 0 || count > elements.length) {
      throw corrupt(fileName, `schema element ${index} (${JSON.stringify(element.name)}) has ${String(count)} children`);
    }
    if (element.type !== undefined && (typeof element.type !== "string" || count > 0)) {
      throw corrupt(fileName, `schema element ${index} (${JSON.stringify(element.name)}) has an invalid type ${String(element.type)}`);
    }
    for (let i = 0; i < count; i++) children.push(visit(depth + 1));
    return { index, element, children };
  };
  const root = visit(0);
  if (next !== elements.length) throw corrupt(fileName, `schema has ${elements.length - next} elements outside the tree`);
  return root;
}

function isStringAnnotated(e: SchemaElement): boolean {
  return e.converted_type === "UTF8" || e.logical_type?.type === "STRING";
}

/** Patches the footer elements of `node`'s subtree (see the file header); collects INT96 leaf paths. */
function patchForRawDecoding(md: FileMetaData, node: IndexedNode, path: string[], int96Paths: Set<string>): void {
  const e = md.schema[node.index]!;
  if (e.type === undefined) {
    if (e.converted_type === "MAP" || e.converted_type === "MAP_KEY_VALUE" || e.logical_type?.type === "MAP") {
      delete e.converted_type;
      delete e.logical_type;
    }
    for (const child of node.children) patchForRawDecoding(md, child, [...path, child.element.name], int96Paths);
    return;
  }
  if (e.type === "INT96") {
    e.type = "FIXED_LEN_BYTE_ARRAY";
    e.type_length = 12;
    int96Paths.add(path.join("\u0000"));
  }
  if (!isStringAnnotated(e)) {
    delete e.converted_type;
    delete e.logical_type;
  }
}

function strictString(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    return utf8Decode(bytes);
  } catch (error) {
    throw new LakeError("corruption", "parquet: invalid UTF-8 in a string value", { cause: error });
  }
}

const COMPRESSORS: Compressors = {
  // libzstd wasm when registered and loaded (several times fzstd's speed), else pure-JS fzstd.
  ZSTD: (input, outputLength) => {
    const zstd = loadedZstdWasmCodec();
    if (zstd === null) return zstdDecompress(input, new Uint8Array(outputLength));
    const out = new Uint8Array(outputLength);
    zstd.decompressInto(input, out);
    return out;
  },
};

function parseFooter(tail: Uint8Array, sizeBytes: number, fileName: string): FileMetaData {
  let md: FileMetaData;
  try {
    md = parquetMetadata(tail, { geoparquet: false });
  } catch (error) {
    throw corrupt(fileName, `unreadable footer: ${(error as Error).message}`, error);
  }
  if (!Array.isArray(md.schema) || md.schema.length === 0 || !Array.isArray(md.row_groups)) throw corrupt(fileName, "footer has no schema or row groups");
  for (const rg of md.row_groups) {
    if (typeof rg !== "object" || rg === null || !Array.isArray(rg.columns)) throw corrupt(fileName, "row group without columns");
    for (const chunk of rg.columns) {
      const meta = chunk?.meta_data;
      if (meta === undefined || meta === null) throw corrupt(fileName, "column chunk without metadata");
      if (!Array.isArray(meta.path_in_schema) || meta.path_in_schema.length === 0 || !meta.path_in_schema.every((p) => typeof p === "string")) {
        throw corrupt(fileName, "column chunk without a valid path_in_schema");
      }
      if (typeof meta.num_values !== "bigint" || typeof meta.total_compressed_size !== "bigint" || typeof meta.total_uncompressed_size !== "bigint") {
        throw corrupt(fileName, `column chunk ${meta.path_in_schema.join(".")} lacks its value count or sizes`);
      }
      const dict = meta.dictionary_page_offset;
      const start = Number(dict !== undefined && dict > 0n ? dict : meta.data_page_offset);
      if (!(start >= 4 && start + Number(meta.total_compressed_size) <= sizeBytes)) {
        throw corrupt(fileName, `column chunk ${meta.path_in_schema.join(".")} lies outside the file (${sizeBytes} bytes)`);
      }
    }
  }
  return md;
}

function checkFooterFrame(head: Uint8Array, tail: Uint8Array, sizeBytes: number, fileName: string): number {
  if (sizeBytes < PARQUET_FILE_BYTES_MIN) throw corrupt(fileName, `${sizeBytes} bytes is too short for a Parquet file`);
  const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
  if (u32(head, 0) !== PARQUET_MAGIC_U32 || u32(tail, tail.length - 4) !== PARQUET_MAGIC_U32) {
    throw corrupt(fileName, "missing PAR1 magic at the start or end (truncated or not Parquet)");
  }
  const footerBytes = u32(tail, tail.length - 8);
  if (footerBytes + PARQUET_FILE_BYTES_MIN > sizeBytes) throw corrupt(fileName, `footer length ${footerBytes} exceeds the file size ${sizeBytes}`);
  return footerBytes;
}

/** Reads and validates the footer from bytes in memory or through a RangeReader. */
async function readFooter(source: Uint8Array | RangeReader, fileName: string): Promise<FileMetaData> {
  if (source instanceof Uint8Array) {
    if (source.length < PARQUET_FILE_BYTES_MIN) throw corrupt(fileName, `${source.length} bytes is too short for a Parquet file`);
    checkFooterFrame(source, source, source.length, fileName);
    return parseFooter(source, source.length, fileName);
  }
  const size = source.sizeBytes;
  if (size < PARQUET_FILE_BYTES_MIN) throw corrupt(fileName, `${size} bytes is too short for a Parquet file`);
  const fetch = Math.min(size, FOOTER_FETCH_BYTES);
  const [head, first] = await Promise.all([source.read(0, 4), source.read(size - fetch, fetch)]);
  const footerBytes = checkFooterFrame(head, first, size, fileName);
  const tail = footerBytes + 8 <= first.length ? first : await source.read(size - footerBytes - 8, footerBytes + 8);
  return parseFooter(tail, size, fileName);
}

/** A column chunk read (and page-checked) ahead of decoding: its file offset and bytes. */
interface CheckedChunk {
  readonly start: number;
  readonly bytes: Uint8Array;
}

/** `source.read`, adding the file name to the LakeErrors it throws. */
async function readNamed(source: RangeReader, offset: number, lengthBytes: number, fileName: string): Promise<Uint8Array> {
  try {
    return await source.read(offset, lengthBytes);
  } catch (error) {
    if (error instanceof LakeError) throw new LakeError(error.code, `${error.message} (file ${fileName})`, { cause: error });
    throw error;
  }
}

/**
 * Reads every column chunk of the `wanted` top-level columns and checks its pages
 * (parquet_pages.ts) before hyparquet sees them. Chunks read through a RangeReader are
 * returned so decoding does not fetch them again.
 */
async function readCheckedChunks(
  source: Uint8Array | RangeReader, md: FileMetaData, root: IndexedNode, wanted: ReadonlySet<string>, fileName: string,
): Promise<CheckedChunk[]> {
  const out: CheckedChunk[] = [];
  for (const rg of md.row_groups) {
    for (const chunk of rg.columns) {
      const meta = chunk.meta_data!;
      const top = meta.path_in_schema[0]!;
      if (!wanted.has(top)) continue;
      const dict = meta.dictionary_page_offset;
      const start = Number(dict !== undefined && dict > 0n ? dict : meta.data_page_offset);
      const size = Number(meta.total_compressed_size);
      const bytes = source instanceof Uint8Array ? source.subarray(start, start + size) : await readNamed(source, start, size, fileName);
      const element = root.children.find((c) => c.element.name === top)?.element;
      checkColumnChunkPages(bytes, {
        column: meta.path_in_schema.join("."),
        startOffset: start,
        valueCount: Number(meta.num_values),
        uncompressedBytes: Number(meta.total_uncompressed_size),
        rowCount: Number(rg.num_rows),
        flat: meta.path_in_schema.length === 1 && element?.repetition_type !== "REPEATED",
      }, fileName);
      if (!(source instanceof Uint8Array)) out.push({ start, bytes });
    }
  }
  return out;
}

/** hyparquet's AsyncBuffer over either source (serving `checked` chunks from memory); slices are private copies. */
function asyncBufferOf(source: Uint8Array | RangeReader, checked: readonly CheckedChunk[]): { byteLength: number; slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer> } {
  if (source instanceof Uint8Array) {
    return {
      byteLength: source.byteLength,
      slice: (start, end) => source.buffer.slice(source.byteOffset + start, source.byteOffset + (end ?? source.byteLength)) as ArrayBuffer,
    };
  }
  return {
    byteLength: source.sizeBytes,
    slice: async (start, end) => {
      const stop = end ?? source.sizeBytes;
      const held = checked.find((c) => c.start <= start && stop <= c.start + c.bytes.length);
      if (held !== undefined) return held.bytes.slice(start - held.start, stop - held.start).buffer;
      const b = await source.read(start, stop - start);
      return (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer) as ArrayBuffer;
    },
  };
}

function rowCountOf(md: FileMetaData, fileName: string): number {
  const rowCount = Number(md.num_rows);
  let sum = 0;
  for (const rg of md.row_groups) sum += Number(rg.num_rows);
  if (!Number.isSafeInteger(rowCount) || rowCount < 0 || sum !== rowCount) {
    throw corrupt(fileName, `footer row count ${md.num_rows} does not match its row groups (${sum})`);
  }
  return rowCount;
}

/** Runs `f`, adding the file name to LakeErrors; a value out of range (invalid_argument) is corruption. */
function withFileName<T>(f: () => T, fileName: string): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof LakeError) throw new LakeError(error.code === "invalid_argument" ? "corruption" : error.code, `${error.message} (file ${fileName})`, { cause: error });
    throw error;
  }
}

/** Joins the chunks of one column in row order, checking that they cover [0, rowCount). */
function joinChunks(chunks: ColumnData[], rowCount: number, name: string, fileName: string): ArrayLike<unknown> {
  chunks.sort((a, b) => a.rowStart - b.rowStart);
  let covered = 0;
  for (const c of chunks) {
    if (c.rowStart !== covered || c.rowEnd - c.rowStart !== c.columnData.length) break;
    covered = c.rowEnd;
  }
  if (covered !== rowCount) throw corrupt(fileName, `column ${name} decoded ${covered} rows, the footer says ${rowCount}`);
  if (chunks.length === 1) return chunks[0]!.columnData;
  const out = new Array<unknown>(rowCount);
  for (const c of chunks) for (let i = 0; i < c.columnData.length; i++) out[c.rowStart + i] = c.columnData[i];
  return out;
}

/**
 * Reads the requested columns of a Parquet file, held in memory or read through `source`
 * (then only the footer and the requested column chunks are fetched).
 * Requires: `options.fileName` names the file in messages. Requests naming columns the file
 * does not have get `undefined` (callers decide between NULLs, as Java does, and an error).
 * Throws LakeError("corruption") for damaged files, ("unsupported") for codecs or types we
 * cannot read.
 */
export async function readParquetColumns(
  source: Uint8Array | RangeReader,
  requests: readonly FileColumnRequest[],
  options: { readonly fileName: string },
): Promise<FileColumns> {
  const { fileName } = options;
  await zstdWasmCodec(); // loads the registered libzstd wasm once (null when none: fzstd decodes)
  const md = await readFooter(source, fileName);
  const rowCount = rowCountOf(md, fileName);
  const original = md.schema.map((e) => ({ ...e }));
  const root = buildTree(original, fileName);

  const matched = requests.map((r) => matchParquetChild(root.children, r.name, `file ${fileName}`) as IndexedNode | undefined);
  const names = [...new Set(matched.filter((m) => m !== undefined).map((m) => m.element.name))];
  // Fail on types we cannot read before fetching or decoding anything.
  requests.forEach((r, i) => {
    const node = matched[i];
    if (node !== undefined) withFileName(() => compileParquetConverter(node, r.type, node.element.name), fileName);
  });
  const int96Paths = new Set<string>();
  for (const name of names) patchForRawDecoding(md, root.children.find((c) => c.element.name === name)!, [name], int96Paths);
  const wanted = new Set(names);
  for (const rg of md.row_groups) {
    for (const chunk of rg.columns) {
      const meta = chunk.meta_data!;
      if (!wanted.has(meta.path_in_schema[0]!)) continue;
      if (!SUPPORTED_CODECS.has(meta.codec)) {
        throw new LakeError("unsupported", `parquet: file ${fileName}: column ${meta.path_in_schema.join(".")} uses compression ${meta.codec}; supported: ${[...SUPPORTED_CODECS].join(", ")}`);
      }
      if (int96Paths.has(meta.path_in_schema.join("\u0000"))) meta.type = "FIXED_LEN_BYTE_ARRAY";
    }
  }

  const chunks = new Map<string, ColumnData[]>(names.map((n) => [n, []]));
  if (names.length > 0 && rowCount > 0) {
    const checked = await readCheckedChunks(source, md, root, wanted, fileName);
    const file = asyncBufferOf(source, checked);
    try {
      await parquetRead({
        file, metadata: md, columns: names, utf8: false, compressors: COMPRESSORS, parsers: { stringFromBytes: strictString },
        onChunk: (c) => chunks.get(c.columnName)?.push(c),
      });
    } catch (error) {
      if (error instanceof LakeError) throw new LakeError(error.code, `${error.message} (file ${fileName})`, { cause: error });
      throw corrupt(fileName, (error as Error).message, error);
    }
  }

  const columns = requests.map((r, i) => {
    const node = matched[i];
    if (node === undefined) return undefined;
    const raw = rowCount === 0 ? [] : joinChunks(chunks.get(node.element.name)!, rowCount, node.element.name, fileName);
    return withFileName(() => convertParquetColumn(raw, node, r.type, node.element.name), fileName);
  });
  return { rowCount, columns };
}
