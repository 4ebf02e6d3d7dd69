// Goal: shared set-up of the Parquet writer tests: parquet-wasm loaded from node_modules (the
// way a runtime entry supplies the wasm bytes), small schema builders, and the footer schema of
// a written file as Thrift elements.
// Method: plain helpers over src/format/data; no assertions of their own beyond shape checks.
// Test helper only (not a test file); nothing in src/ depends on it.
import { readFile } from "node:fs/promises";
import { assert } from "../../harness.ts";
import { decodeParquetFooter } from "../../../src/format/data/parquet_footer.ts";
import { loadParquetWasm, type ParquetWasmModule } from "../../../src/format/data/parquet_wasm_loader.ts";
import { encodeThriftStruct, thriftField, type ThriftField } from "../../../src/format/data/thrift_compact.ts";
import { dataTypeFromJson, type DataField } from "../../../src/spec/data_types.ts";
import { createTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import { toHex } from "../../../src/util/bytes.ts";

let wasm: Promise<ParquetWasmModule> | null = null;
/** parquet-wasm, initialised once from the wasm file in node_modules. */
export function parquetWasm(): Promise<ParquetWasmModule> {
  wasm ??= readFile(new URL("../../../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm", import.meta.url)).then((b) => loadParquetWasm(b));
  return wasm;
}

/** True under Deno. */
export const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;

/** A DataField from a schema-JSON type. */
export function field(id: number, name: string, type: unknown): DataField {
  return { id, name, type: dataTypeFromJson(type) };
}

/** A version-3 table schema; bucket 1 for primary-key tables, -1 otherwise. */
export function tableSchema(fields: DataField[], options: Record<string, string> = {}, pk: string[] = [], partition: string[] = []): TableSchema {
  return createTableSchema({ fields, primaryKeys: pk, partitionKeys: partition, options: { bucket: pk.length > 0 ? "1" : "-1", ...options }, timeMillis: 0n });
}

/** Hex of every footer schema element, optionally without field ids (0.9 files have none). */
export function schemaHex(elements: readonly (readonly ThriftField[])[], withIds = true): string[] {
  return elements.map((e) => toHex(encodeThriftStruct(withIds ? e : e.filter((f) => f.id !== 9))));
}

/** The footer schema elements of a whole Parquet file. */
export function footerSchema(file: Uint8Array): (readonly ThriftField[])[] {
  const list = thriftField(decodeParquetFooter(file), 2);
  assert.ok(list?.kind === "list");
  return list.items.map((i) => (i as { fields: readonly ThriftField[] }).fields);
}

