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
import { concatBytes, utf8Decode } from "../../util/bytes.ts";
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

/**
 * Returns a copy of `file` whose footer carries `expected` as its schema and no `ARROW:schema`
 * metadata. Requires: `expected` is `paimonParquetSchema` of the fields the file was written
 * from. Throws LakeError("unsupported") when the physical layouts differ, ("corruption") when
 * `file` is not a Parquet file.
 */
export function rewriteParquetFooter(file: Uint8Array, expected: readonly ParquetSchemaElement[]): Uint8Array<ArrayBuffer> {
  const { body } = splitParquetFooter(file);
  const meta = decodeParquetFooter(file);
  checkLayout(structs(thriftField(meta, FILE_META_SCHEMA), "schema"), expected);
  const out: ThriftField[] = [];
  for (const field of meta) {
    if (field.id === FILE_META_SCHEMA) {
      const items: ThriftValue[] = expected.map((e) => ({ kind: "struct", fields: schemaElementToThrift(e) }));
      out.push({ id: FILE_META_SCHEMA, value: { kind: "list", elementType: ThriftType.STRUCT, items } });
    } else if (field.id === FILE_META_KEY_VALUE) {
      const kept = structs(field.value, "key_value_metadata").filter((kv) => text(kv, 1) !== ARROW_SCHEMA_METADATA_KEY);
      if (kept.length > 0) out.push({ id: FILE_META_KEY_VALUE, value: { kind: "list", elementType: ThriftType.STRUCT, items: kept.map((fields) => ({ kind: "struct", fields })) } });
    } else {
      out.push(field);
    }
  }
  const footer = encodeThriftStruct(out);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(MAGIC, 4);
  return concatBytes([body, footer, tail]);
}
