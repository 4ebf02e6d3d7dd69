/**
 * Which columns of a Parquet data file keep dictionary encoding, decided as parquet-mr (the
 * writer Java Paimon uses) decides it, so that a column parquet-mr would write PLAIN is written
 * PLAIN here too, instead of arrow-rs's "dictionary until the dictionary page is full, then
 * plain" (which also costs a hash of every value).
 *
 * parquet-mr (`FallbackValuesWriter` over a `DictionaryValuesWriter`): every value goes to the
 * dictionary writer; it falls back to PLAIN for the whole column chunk when, during the first
 * page, the dictionary grows beyond `parquet.dictionary.page.size` (1 MiB), or when at the end of
 * the first page the dictionary does not pay: `encodedIds + dictionaryBytes >= rawPlainBytes`.
 * The first page ends after `parquet.page.row.count.limit` rows (20,000), or once the buffered
 * ids (4 bytes a value) reach `parquet.page.size` (1 MiB), or at the end of the chunk. Later
 * fallbacks (dictionary full on a later page) keep the earlier pages dictionary-encoded in both
 * writers, so they need no decision here. BOOLEAN columns have no dictionary in either writer.
 *
 * Sizes (parquet-mr): raw plain bytes are 4 per INT32-backed value (TINYINT..INT, DATE, TIME,
 * DECIMAL p ≤ 9), 8 per INT64 (BIGINT, TIMESTAMP, DECIMAL p ≤ 18), 4/8 for FLOAT/DOUBLE, length +
 * 4 for binary values (FIXED_LEN decimals: their length + 4); dictionary entries the same, but
 * FIXED_LEN entries without the 4; encoded ids `1 + ceil(n · bitWidth(distinct − 1) / 8)` (the
 * bit-packed bound of the RLE/bit-packing hybrid). Null rows hold no value.
 *
 * The probe hashes each value's bytes (FNV-1a into an open-addressing set of row numbers), so it
 * makes no JS value per row. Writers decide per row group, as parquet-mr starts a fresh
 * dictionary for every column chunk.
 *
 * Imports: spec/core_options_types.ts (types), spec/data_types.ts (types), column_buffers.ts
 * (types), parquet_schema.ts. Mirrors parquet-mr `FallbackValuesWriter#getBytes/#checkFallback` and
 * `DictionaryValuesWriter#shouldFallBack/#isCompressionSatisfying`:
 * https://github.com/apache/parquet-java/blob/master/parquet-column/src/main/java/org/apache/parquet/column/values/fallback/FallbackValuesWriter.java
 */
import type { OptionMap } from "../../spec/core_options_types.ts";
import type { DataType } from "../../spec/data_types.ts";
import type { ColumnBuffers } from "./column_buffers.ts";
import { decimalFixedLengthBytes } from "./parquet_schema.ts";

/** parquet-mr defaults (ParquetProperties). */
export const PAGE_ROW_COUNT_LIMIT_DEFAULT = 20_000;
export const PAGE_SIZE_BYTES_DEFAULT = 1024 * 1024;
export const DICTIONARY_PAGE_SIZE_BYTES_DEFAULT = 1024 * 1024;

/** The parquet-mr settings the decision uses. */
export interface DictionarySettings {
  readonly pageRowCountLimit: number;
  readonly pageSizeBytes: number;
  readonly dictionaryPageSizeBytes: number;
}

function positiveInt(options: OptionMap, key: string, fallback: number): number {
  const text = options[key];
  const n = text === undefined ? NaN : Number(text.trim());
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** The settings from a table's `parquet.*` options (Paimon passes them to parquet-mr), else the defaults. */
export function dictionarySettings(options: OptionMap): DictionarySettings {
  return {
    pageRowCountLimit: positiveInt(options, "parquet.page.row.count.limit", PAGE_ROW_COUNT_LIMIT_DEFAULT),
    pageSizeBytes: positiveInt(options, "parquet.page.size", PAGE_SIZE_BYTES_DEFAULT),
    dictionaryPageSizeBytes: positiveInt(options, "parquet.dictionary.page.size", DICTIONARY_PAGE_SIZE_BYTES_DEFAULT),
  };
}

/** Plain size of one non-binary value and of its dictionary entry, or null for binary values. */
function fixedSizes(type: DataType): { raw: number; entry: number } | null {
  switch (type.root) {
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": case "TIME": case "FLOAT": return { raw: 4, entry: 4 };
    case "BIGINT": case "DOUBLE": case "TIMESTAMP": case "TIMESTAMP_LTZ": return { raw: 8, entry: 8 };
    case "DECIMAL": {
      const p = type.precision!;
      if (p <= 9) return { raw: 4, entry: 4 };
      if (p <= 18) return { raw: 8, entry: 8 };
      const n = decimalFixedLengthBytes(p);
      return { raw: n + 4, entry: n };
    }
    default: return null;
  }
}

/**
 * A set of values of one column identified by their bytes (value i is `data[start(i) ..
 * end(i))`): open addressing over row numbers with an FNV-1a hash, equal bytes compared on
 * collision. No JS value per row.
 */
let scratch = new Int32Array(0);

class ByteValueSet {
  size = 0;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly data: Uint8Array;
  private readonly starts: (i: number) => number;
  private readonly ends: (i: number) => number;
  constructor(capacityRows: number, data: Uint8Array, starts: (i: number) => number, ends: (i: number) => number) {
    let n = 16;
    while (n < 2 * capacityRows) n *= 2;
    // One table reused by every probe (a probe runs to its end before the next starts).
    if (scratch.length < n) scratch = new Int32Array(n);
    this.slots = scratch.subarray(0, n);
    this.slots.fill(0);
    this.mask = n - 1;
    this.data = data;
    this.starts = starts;
    this.ends = ends;
  }
  /** Adds value i; true when no equal value was in the set. */
  add(i: number): boolean {
    const d = this.data, a = this.starts(i), e = this.ends(i);
    let h = 0x811c9dc5;
    for (let p = a; p < e; p++) h = Math.imul(h ^ d[p]!, 0x01000193);
    let slot = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const held = this.slots[slot]!;
      if (held === 0) {
        this.slots[slot] = i + 1;
        this.size++;
        return true;
      }
      const b = this.starts(held - 1), f = this.ends(held - 1);
      if (f - b === e - a) {
        let p = 0;
        while (p < e - a && d[a + p] === d[b + p]) p++;
        if (p === e - a) return false;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/**
 * True when parquet-mr would keep dictionary encoding for the first page of the column chunk
 * made of rows [start, end) of this column (see the file header; a row group's chunk), false
 * when it would write the whole column chunk PLAIN. Columns of types
 * without a dictionary (BOOLEAN, nested) answer false. Requires: `column` in the layout the fast
 * reader delivers for `type` (column_buffers.ts).
 */
export function parquetMrKeepsDictionary(type: DataType, c: ColumnBuffers, settings: DictionarySettings, start = 0, end = c.length): boolean {
  if (c.layout === "bits" || type.root === "BOOLEAN") return false;
  const sizes = c.layout === "var" ? null : fixedSizes(type);
  if (c.layout !== "var" && sizes === null) return false;
  const pageRows = Math.min(end - start, settings.pageRowCountLimit, Math.ceil(settings.pageSizeBytes / 4));
  const o = c.offsets, width = c.byteWidth;
  const distinct = c.layout === "var"
    ? new ByteValueSet(pageRows, c.data, (i) => o![i]!, (i) => o![i + 1]!)
    : new ByteValueSet(pageRows, c.data, (i) => i * width, (i) => (i + 1) * width);
  const v = c.validity;
  let values = 0, raw = 0, dictionary = 0;
  for (let i = start; i < end; i++) {
    if (v !== null && (v[i >> 3]! & (1 << (i & 7))) === 0) continue;
    let rawSize: number, entrySize: number;
    if (sizes === null) {
      rawSize = entrySize = o![i + 1]! - o![i]! + 4;
    } else {
      rawSize = sizes.raw;
      entrySize = sizes.entry;
    }
    values++;
    raw += rawSize;
    if (distinct.add(i)) {
      dictionary += entrySize;
      if (dictionary > settings.dictionaryPageSizeBytes) return false;
    }
    if (i - start + 1 >= settings.pageRowCountLimit || values * 4 >= settings.pageSizeBytes) break;
  }
  if (values === 0) return true;
  const bitWidth = distinct.size <= 1 ? 0 : 32 - Math.clz32(distinct.size - 1);
  const encoded = 1 + Math.ceil((values * bitWidth) / 8);
  return encoded + dictionary < raw;
}
