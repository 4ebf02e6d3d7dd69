/**
 * Checks the pages of one Parquet column chunk before hyparquet decodes it: walks the page
 * headers (thrift `PageHeader`, compact protocol) and verifies that every page lies inside the
 * chunk, that the pages tile the chunk exactly, that value counts agree with the footer, and,
 * when a header carries a `crc`, that CRC-32 of the page bytes after the header matches.
 *
 * Why: hyparquet trusts page headers. A flipped byte in a page payload would read silently (a
 * wrong answer), and a flipped `num_values` or encoding can make it grow arrays past V8's limit,
 * which aborts the whole process instead of throwing.
 *
 * PageHeader fields used (parquet-format `parquet.thrift`): 1 type (0 DATA_PAGE, 1 INDEX_PAGE,
 * 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2), 2 uncompressed_page_size, 3 compressed_page_size, 4 crc
 * (CRC-32 of the compressed page bytes following the header; for v2 pages that includes the
 * uncompressed levels), 5 data_page_header / 7 dictionary_page_header / 8 data_page_header_v2,
 * each with field 1 num_values.
 *
 * Invariants: never allocates more than the chunk it is given; every violation is
 * LakeError("corruption") naming the file, the column and the page (index and byte offset).
 *
 * Mirrors parquet-mr's page CRC check in `org.apache.parquet.hadoop.ColumnChunkPageReadStore`
 * / `ParquetFileReader.Chunk.readAllPages` (`verifyCrc`):
 * https://github.com/apache/parquet-java/blob/master/parquet-hadoop/src/main/java/org/apache/parquet/hadoop/ParquetFileReader.java
 *
 * Imports: errors.ts, util/crc32.ts, thrift_compact.ts.
 */
import { LakeError } from "../../errors.ts";
import { crc32 } from "../../util/crc32.ts";
import { decodeThriftStruct, thriftField, type ThriftField } from "./thrift_compact.ts";

/** PageType values (persisted, parquet-format). */
const PAGE_TYPE = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;

/** What the footer says about one column chunk. */
export interface ChunkExpectation {
  /** Dotted column path, for messages. */
  readonly column: string;
  /** Absolute file offset of the chunk's first byte (persisted footer value). */
  readonly startOffset: number;
  /** Footer `num_values` of the chunk (values including nulls, at leaf level). */
  readonly valueCount: number;
  /** Footer `total_uncompressed_size` of the chunk (headers included), bytes. */
  readonly uncompressedBytes: number;
  /** Rows of the row group the chunk belongs to. */
  readonly rowCount: number;
  /** True when the leaf is a top-level column (no repetition): one value per row. */
  readonly flat: boolean;
}

function i32Of(fields: readonly ThriftField[], id: number): number | undefined {
  const v = thriftField(fields, id);
  return v !== undefined && v.kind === "i32" ? v.value : undefined;
}

function numValuesOf(fields: readonly ThriftField[], id: number): number | undefined {
  const v = thriftField(fields, id);
  return v !== undefined && v.kind === "struct" ? i32Of(v.fields, 1) : undefined;
}

/**
 * Validates every page of `chunk` (the bytes of one column chunk, `total_compressed_size` long).
 * Requires: `fileName` names the file in messages. Throws LakeError("corruption") on any
 * inconsistency between headers, page bytes, CRCs and the footer.
 */
export function checkColumnChunkPages(chunk: Uint8Array, expect: ChunkExpectation, fileName: string): void {
  const fail = (page: number, at: number, why: string): never => {
    throw new LakeError("corruption", `parquet: file ${fileName}: column ${expect.column} page ${page} (byte ${expect.startOffset + at}): ${why}`);
  };
  let pos = 0;
  let dataValues = 0;
  let uncompressedTotal = 0;
  for (let page = 0; pos < chunk.length; page++) {
    let header: ThriftField[];
    let headerBytes: number;
    try {
      const decoded = decodeThriftStruct(chunk.subarray(pos));
      header = decoded.struct;
      headerBytes = decoded.lengthBytes;
    } catch (error) {
      if (!(error instanceof LakeError)) throw error;
      return fail(page, pos, `unreadable page header (${error.message})`);
    }
    const type = i32Of(header, 1);
    const uncompressed = i32Of(header, 2);
    const compressed = i32Of(header, 3);
    if (type === undefined || uncompressed === undefined || compressed === undefined) fail(page, pos, "page header lacks its type or sizes");
    if (compressed! < 0 || uncompressed! < 0) fail(page, pos, `negative page size (compressed ${compressed}, uncompressed ${uncompressed})`);
    const bodyStart = pos + headerBytes;
    const bodyEnd = bodyStart + compressed!;
    if (bodyEnd > chunk.length) fail(page, pos, `page of ${compressed} bytes ends past the column chunk (${chunk.length - bodyStart} bytes left)`);
    uncompressedTotal += headerBytes + uncompressed!;
    if (uncompressedTotal > expect.uncompressedBytes) {
      fail(page, pos, `uncompressed pages exceed the footer's total_uncompressed_size ${expect.uncompressedBytes}`);
    }
    const crc = i32Of(header, 4);
    if (crc !== undefined) {
      const actual = crc32(chunk.subarray(bodyStart, bodyEnd));
      if (actual !== crc >>> 0) fail(page, pos, `page CRC-32 ${actual.toString(16)} does not match the header's ${(crc >>> 0).toString(16)}`);
    }
    if (type === PAGE_TYPE.DATA_PAGE || type === PAGE_TYPE.DATA_PAGE_V2) {
      const n = numValuesOf(header, type === PAGE_TYPE.DATA_PAGE ? 5 : 8);
      if (n === undefined) fail(page, pos, "data page header missing");
      if (n! < 0 || (n === 0 && expect.rowCount > 0) || (expect.flat && n! > expect.rowCount)) {
        fail(page, pos, `num_values ${n} is outside [1, ${expect.flat ? expect.rowCount : expect.valueCount}]`);
      }
      dataValues += n!;
      if (dataValues > expect.valueCount) fail(page, pos, `pages hold more values than the footer's ${expect.valueCount}`);
    } else if (type === PAGE_TYPE.DICTIONARY_PAGE) {
      const n = numValuesOf(header, 7);
      if (n === undefined) fail(page, pos, "dictionary page header missing");
      // Every dictionary entry takes at least one byte (booleans are never dictionary-encoded).
      if (n! < 0 || n! > uncompressed!) fail(page, pos, `dictionary num_values ${n} exceeds its ${uncompressed} bytes`);
    } else if (type !== PAGE_TYPE.INDEX_PAGE) {
      fail(page, pos, `unknown page type ${type}`);
    }
    pos = bodyEnd;
  }
  if (dataValues !== expect.valueCount) {
    throw new LakeError("corruption", `parquet: file ${fileName}: column ${expect.column}: pages hold ${dataValues} values, the footer says ${expect.valueCount}`);
  }
}
