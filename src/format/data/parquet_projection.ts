/**
 * Projects a whole Parquet file onto some of its top-level columns by rewriting only its footer:
 * the schema, every row group's column chunks and `column_orders` keep the selected columns
 * alone. The pages stay where they are (the dropped chunks become unreferenced bytes), so every
 * offset in the kept metadata stays valid and the body is not touched.
 *
 * Why: parquet-wasm's `readParquet` decodes (and decompresses) every column chunk of a file and
 * projects afterwards; measured on 1M-row files of 6 columns, reading one column costs as much
 * as reading all six, and a ZSTD chunk left for parquet-wasm costs about 50 ms per file. A file
 * whose footer names only the requested columns is decoded for those columns only.
 *
 * Footer rules (parquet-format `FileMetaData`): schema elements are a depth-first list under the
 * root (field 5 `num_children`), leaves map one to one, in order, onto each row group's
 * `columns` and onto `column_orders`. Kept: version, num_rows, created_by, row groups' num_rows,
 * ordinals and the kept chunks as they are. Rewritten: the root's `num_children`, each row
 * group's `total_byte_size` and `total_compressed_size` (sums over its kept chunks),
 * `file_offset` (the first kept chunk's), `sorting_columns` (remapped, cut at the first dropped
 * column: a sort order on a later column alone is not implied). The `ARROW:schema` key/value
 * entry is dropped, because arrow-rs refuses a hint whose field count differs from the schema;
 * files Java writes carry none, so such files read as Java's do.
 *
 * Invariants: the result holds the same rows and, for the kept columns, the same values and
 * statistics; returns null when every column is kept (the caller reads the file as it is).
 * Damaged structure (a child count past the list, chunk counts that do not match the leaves) is
 * LakeError("corruption"); encrypted footers are LakeError("unsupported").
 *
 * Mirrors what parquet-mr's `ParquetFileReader` does with a requested schema (it reads only the
 * chunks of the projected columns); parquet-wasm lacks that, so the footer is cut instead.
 * Imports: errors.ts, util/bytes.ts, parquet_footer.ts, thrift_compact.ts.
 */
import { LakeError } from "../../errors.ts";
import { utf8Decode } from "../../util/bytes.ts";
import { ARROW_SCHEMA_METADATA_KEY, PARQUET_MAGIC, splitParquetFooter } from "./parquet_footer.ts";
import { decodeThriftStruct, encodeThriftStruct, thriftField, thriftInt, ThriftType, withField, type ThriftField, type ThriftValue } from "./thrift_compact.ts";

type Fields = readonly ThriftField[];

const NOUN = "parquet projection";
// FileMetaData, SchemaElement, RowGroup, ColumnChunk, ColumnMetaData, KeyValue field ids (parquet.thrift).
const FILE_SCHEMA = 2, FILE_ROW_GROUPS = 4, FILE_KEY_VALUE = 5, FILE_COLUMN_ORDERS = 7, FILE_ENCRYPTION = 8;
const ELEMENT_NAME = 4, ELEMENT_CHILDREN = 5;
const RG_COLUMNS = 1, RG_TOTAL_BYTES = 2, RG_SORTING = 4, RG_FILE_OFFSET = 5, RG_COMPRESSED = 6;
const CC_META = 3;
const MD_UNCOMPRESSED = 6, MD_COMPRESSED = 7, MD_DATA_PAGE = 9, MD_DICTIONARY_PAGE = 11;
const SORTING_COLUMN_IDX = 1;
const KV_KEY = 1;

function structItems(fields: Fields, id: number, fileName: string): Fields[] {
  const v = thriftField(fields, id);
  if (v === undefined) return [];
  if (v.kind !== "list" || v.items.some((i) => i.kind !== "struct")) throw new LakeError("corruption", `${NOUN}: file ${fileName}: footer field ${id} is not a list of structs`);
  return v.items.map((i) => (i as { fields: Fields }).fields);
}

function structList(items: readonly Fields[]): ThriftValue {
  return { kind: "list", elementType: ThriftType.STRUCT, items: items.map((fields) => ({ kind: "struct", fields })) };
}

function sameKindInt(fields: Fields, id: number, value: number): ThriftValue {
  return thriftField(fields, id)?.kind === "i32" ? { kind: "i32", value } : { kind: "i64", value: BigInt(value) };
}

/** For each top-level column: its name, its schema elements [from, to) and its leaves [from, to). */
function topLevelColumns(schema: readonly Fields[], fileName: string): { name: string; elements: [number, number]; leaves: [number, number] }[] {
  const corrupt = (why: string) => new LakeError("corruption", `${NOUN}: file ${fileName}: ${why}`);
  if (schema.length === 0) throw corrupt("the footer has no schema");
  const rootChildren = thriftInt(schema[0]!, ELEMENT_CHILDREN) ?? 0;
  const columns: { name: string; elements: [number, number]; leaves: [number, number] }[] = [];
  let at = 1, leaf = 0;
  // Elements of the subtree starting at `at` (depth-first), counting its leaves.
  const skip = (depth: number): void => {
    if (at >= schema.length) throw corrupt(`schema ends inside a group (element ${at} of ${schema.length})`);
    if (depth > 64) throw corrupt("schema nests deeper than 64 levels");
    const children = thriftInt(schema[at]!, ELEMENT_CHILDREN) ?? 0;
    at++;
    if (children === 0) { leaf++; return; }
    for (let c = 0; c < children; c++) skip(depth + 1);
  };
  for (let c = 0; c < rootChildren; c++) {
    const from = at, firstLeaf = leaf;
    const name = thriftField(schema[at] ?? [], ELEMENT_NAME);
    skip(1);
    columns.push({ name: name?.kind === "binary" ? utf8Decode(name.value) : "", elements: [from, at], leaves: [firstLeaf, leaf] });
  }
  if (at !== schema.length) throw corrupt(`the root's ${rootChildren} children span ${at} of ${schema.length} schema elements`);
  return columns;
}

/**
 * The footer of `file` projected onto the top-level columns named in `keep` (see the file
 * header), as a FileMetaData field list; null when every column of the file is kept.
 */
export function projectParquetFooter(meta: Fields, keep: ReadonlySet<string>, fileName: string): ThriftField[] | null {
  if (thriftField(meta, FILE_ENCRYPTION) !== undefined) throw new LakeError("unsupported", `${NOUN}: file ${fileName}: encrypted files are not supported`);
  const schema = structItems(meta, FILE_SCHEMA, fileName);
  const columns = topLevelColumns(schema, fileName);
  const kept = columns.filter((c) => keep.has(c.name));
  if (kept.length === columns.length) return null;
  const leafCount = columns.length === 0 ? 0 : columns[columns.length - 1]!.leaves[1];
  // Old leaf index -> new leaf index (-1: dropped).
  const leafMap = new Int32Array(leafCount).fill(-1);
  let next = 0;
  for (const c of kept) for (let l = c.leaves[0]; l < c.leaves[1]; l++) leafMap[l] = next++;

  const newSchema = [withField(schema[0]!, ELEMENT_CHILDREN, sameKindInt(schema[0]!, ELEMENT_CHILDREN, kept.length)), ...kept.flatMap((c) => schema.slice(c.elements[0], c.elements[1]))];
  const rowGroups = structItems(meta, FILE_ROW_GROUPS, fileName).map((rg, g) => {
    const chunks = structItems(rg, RG_COLUMNS, fileName);
    if (chunks.length !== leafCount) throw new LakeError("corruption", `${NOUN}: file ${fileName}: row group ${g} has ${chunks.length} column chunks for ${leafCount} leaf columns`);
    const keptChunks = chunks.filter((_, l) => leafMap[l]! >= 0);
    let total = 0, compressed = 0, firstOffset: number | undefined;
    for (const cc of keptChunks) {
      const md = thriftField(cc, CC_META);
      if (md?.kind !== "struct") throw new LakeError("unsupported", `${NOUN}: file ${fileName}: row group ${g} has a column chunk without plaintext metadata`);
      total += thriftInt(md.fields, MD_UNCOMPRESSED) ?? 0;
      compressed += thriftInt(md.fields, MD_COMPRESSED) ?? 0;
      if (firstOffset === undefined) {
        const data = thriftInt(md.fields, MD_DATA_PAGE), dict = thriftInt(md.fields, MD_DICTIONARY_PAGE);
        firstOffset = dict !== undefined && dict > 0 && data !== undefined && dict < data ? dict : data;
      }
    }
    let out = withField(rg, RG_COLUMNS, structList(keptChunks));
    if (thriftField(rg, RG_TOTAL_BYTES) !== undefined) out = withField(out, RG_TOTAL_BYTES, sameKindInt(rg, RG_TOTAL_BYTES, total));
    if (thriftField(rg, RG_COMPRESSED) !== undefined) out = withField(out, RG_COMPRESSED, sameKindInt(rg, RG_COMPRESSED, compressed));
    if (thriftField(rg, RG_FILE_OFFSET) !== undefined && firstOffset !== undefined) out = withField(out, RG_FILE_OFFSET, sameKindInt(rg, RG_FILE_OFFSET, firstOffset));
    if (thriftField(rg, RG_SORTING) !== undefined) {
      const sorting: Fields[] = [];
      for (const s of structItems(rg, RG_SORTING, fileName)) {
        const idx = thriftInt(s, SORTING_COLUMN_IDX);
        const mapped = idx !== undefined && idx >= 0 && idx < leafCount ? leafMap[idx]! : -1;
        if (mapped < 0) break;
        sorting.push(withField(s, SORTING_COLUMN_IDX, { kind: "i32", value: mapped }));
      }
      out = withField(out, RG_SORTING, sorting.length === 0 ? undefined : structList(sorting));
    }
    return out;
  });

  let out = withField(meta, FILE_SCHEMA, structList(newSchema));
  out = withField(out, FILE_ROW_GROUPS, structList(rowGroups));
  const orders = thriftField(meta, FILE_COLUMN_ORDERS);
  if (orders?.kind === "list") {
    if (orders.items.length !== leafCount) throw new LakeError("corruption", `${NOUN}: file ${fileName}: ${orders.items.length} column orders for ${leafCount} leaf columns`);
    out = withField(out, FILE_COLUMN_ORDERS, { ...orders, items: orders.items.filter((_, l) => leafMap[l]! >= 0) });
  }
  const keyValues = thriftField(meta, FILE_KEY_VALUE);
  if (keyValues?.kind === "list") {
    const items = keyValues.items.filter((kv) => {
      const key = kv.kind === "struct" ? thriftField(kv.fields, KV_KEY) : undefined;
      return !(key?.kind === "binary" && utf8Decode(key.value) === ARROW_SCHEMA_METADATA_KEY);
    });
    out = withField(out, FILE_KEY_VALUE, items.length === 0 ? undefined : { ...keyValues, items });
  }
  return out;
}

/**
 * `file` projected onto the top-level columns in `keep` (see the file header), or `file` itself
 * when every column is kept. When `writable` is true the projection is written in place into
 * `file`'s own buffer (the footer only shrinks) and the result is a view of it; otherwise the
 * body is copied into `output(bytes)` (default a new array). Throws LakeError("corruption") for
 * a damaged footer, ("unsupported") for an encrypted one.
 */
export function projectParquetFile(file: Uint8Array, keep: ReadonlySet<string>, options: { readonly fileName: string; readonly writable: boolean; readonly output?: (bytes: number) => Uint8Array }): Uint8Array {
  const { body, footer } = splitParquetFooter(file);
  const { struct: meta, lengthBytes } = decodeThriftStruct(footer);
  if (lengthBytes !== footer.length) throw new LakeError("corruption", `${NOUN}: file ${options.fileName}: FileMetaData ends at byte ${lengthBytes} of a ${footer.length}-byte footer`);
  const projected = projectParquetFooter(meta, keep, options.fileName);
  if (projected === null) return file;
  const encoded = encodeThriftStruct(projected);
  const bytes = body.length + encoded.length + 8;
  let out: Uint8Array;
  if (options.writable && bytes <= file.length) {
    out = file.subarray(0, bytes);
  } else {
    out = (options.output?.(bytes) ?? new Uint8Array(bytes)).subarray(0, bytes);
    out.set(body, 0);
  }
  out.set(encoded, body.length);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(body.length + encoded.length, encoded.length, true);
  out.set(PARQUET_MAGIC, bytes - 4);
  return out;
}
