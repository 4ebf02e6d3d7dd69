// Goal: shared helpers of the columnar fast-read tests: parquet-wasm bytes for the fast reader,
// Arrow `Data` → ColumnBuffers (to feed the columnar code from value columns), and seeded
// random values of every flat Paimon type the fast path serves.
// Method: plain functions; test helper only (not a test file); nothing in src/ depends on it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Data } from "apache-arrow";
import { columnsToArrowTable } from "../../../src/api/arrow.ts";
import type { ColumnBuffers } from "../../../src/format/data/column_buffers.ts";
import { fastParquetReader, setFastParquetSource, type ParquetReadModule } from "../../../src/format/data/parquet_arrow_reader.ts";
import { atomic, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";
import { setZstdWasmSource } from "../../../src/format/data/zstd_wasm.ts";

let wasmBytes: Uint8Array<ArrayBuffer> | null = null;

/** The bytes of parquet-wasm's ESM module (node_modules, resolved through the package exports). */
export function parquetWasmBytes(): Uint8Array<ArrayBuffer> {
  if (wasmBytes === null) {
    const buf = readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")));
    wasmBytes = new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) as Uint8Array<ArrayBuffer>;
  }
  return wasmBytes;
}

let zstdBytes: Uint8Array<ArrayBuffer> | null = null;

/** The bytes of @foxglove/wasm-zstd's libzstd module (node_modules), as lakestate/node loads them. */
export function zstdWasmBytes(): Uint8Array<ArrayBuffer> {
  if (zstdBytes === null) {
    const buf = readFileSync(fileURLToPath(import.meta.resolve("@foxglove/wasm-zstd/dist/wasm-zstd.wasm")));
    zstdBytes = new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) as Uint8Array<ArrayBuffer>;
  }
  return zstdBytes;
}

/** Registers parquet-wasm for fast reads and returns the loaded module. */
export async function enableFastParquet(): Promise<ParquetReadModule> {
  setFastParquetSource(parquetWasmBytes());
  setZstdWasmSource(zstdWasmBytes()); // as the runtime entries do: ZSTD pages through libzstd wasm
  const mod = await fastParquetReader();
  if (mod === null) throw new Error("fast read helpers: parquet-wasm did not load");
  return mod;
}

/** The full parquet-wasm module (writer side), initialised. */
export async function parquetWasmModule(): Promise<typeof import("parquet-wasm/esm")> {
  await enableFastParquet();
  return import("parquet-wasm/esm");
}

/** A flat Arrow Data (as `columnsToArrowTable` builds it) as ColumnBuffers. */
export function columnBuffersOf(data: Data): ColumnBuffers {
  const n = data.length;
  const validity = data.nullCount > 0 ? Uint8Array.from(data.nullBitmap!.subarray(0, (n + 7) >> 3)) : null;
  const values = data.values as ArrayLike<number> & ArrayBufferView;
  if (data.valueOffsets !== undefined && data.valueOffsets !== null && (data.valueOffsets as Int32Array).length === n + 1) {
    const offsets = new Int32Array(data.valueOffsets as Int32Array);
    const bytes = Uint8Array.from((values as Uint8Array).subarray(offsets[0], offsets[n]));
    return { layout: "var", byteWidth: 0, length: n, nullCount: data.nullCount, validity, data: bytes, offsets: offsets.map((o) => o - offsets[0]!) };
  }
  if (String(data.type) === "Bool") {
    return { layout: "bits", byteWidth: 0, length: n, nullCount: data.nullCount, validity, data: Uint8Array.from((values as Uint8Array).subarray(0, (n + 7) >> 3)), offsets: null };
  }
  const bytes = new Uint8Array((values.buffer as ArrayBuffer).slice(values.byteOffset, values.byteOffset + values.byteLength));
  return { layout: "fixed", byteWidth: n === 0 ? 0 : bytes.length / n, length: n, nullCount: data.nullCount, validity, data: bytes, offsets: null };
}

/** ColumnBuffers of value columns of `types` (through the Arrow encoder of the general path). */
export function columnsOf(types: readonly DataType[], columns: readonly Value[][], rowCount: number): ColumnBuffers[] {
  const fields: DataField[] = types.map((type, i) => ({ id: i, name: `c${i}`, type }));
  const table = columnsToArrowTable(fields, columns, rowCount);
  return types.map((_, i) => columnBuffersOf(table.getChildAt(i)!.data[0]!));
}

/** Flat types the fast path serves, each with a small value domain so that keys collide. */
export const FAST_TYPES: readonly DataType[] = [
  atomic("BOOLEAN"), atomic("TINYINT"), atomic("SMALLINT"), atomic("INT"), atomic("BIGINT"), atomic("FLOAT"), atomic("DOUBLE"),
  atomic("DATE"), atomic("TIME", { precision: 0 }), atomic("TIMESTAMP", { precision: 3 }), atomic("TIMESTAMP", { precision: 6 }),
  atomic("TIMESTAMP_LTZ", { precision: 3 }), atomic("DECIMAL", { precision: 5, scale: 2 }), atomic("DECIMAL", { precision: 20, scale: 3 }),
  atomic("VARCHAR", { length: 2147483647 }), atomic("VARBINARY", { length: 2147483647 }),
];

/** A seeded random non-null value of `type`; `spread` bounds the domain (small = many ties). */
export function randomValue(type: DataType, rnd: () => number, spread: number): Value {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = int(0, spread - 1);
  switch (type.root) {
    case "BOOLEAN": return rnd() < 0.5;
    case "TINYINT": return int(-128, 127) % (spread + 1);
    case "SMALLINT": return ((pick * 997) % 65536) - 32768;
    case "INT": return ((pick * 123457 + (rnd() < 0.5 ? 0 : 2 ** 31)) % 2 ** 32) - 2 ** 31;
    case "BIGINT": return BigInt(pick) * 9_000_000_000_000_000n / BigInt(spread) - 4_000_000_000_000_000_000n;
    case "FLOAT": return [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 3.4e38, -1e-30][pick % 9]!;
    case "DOUBLE": return [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e300, -5e-324, 123.456][pick % 10]!;
    case "DATE": return pick * 1000 - 20000;
    case "TIME": return (pick * 1_234_567) % 86_400_000;
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const millis = pick * 3_600_001 - 1_000_000_000_000;
      return { epochMillis: millis, nanoOfMillisecond: (type.precision ?? 6) > 3 ? int(0, 999) * 1000 : 0 };
    }
    case "DECIMAL": {
      const p = type.precision ?? 10;
      const unscaled = BigInt(pick) * (p > 18 ? 12_345_678_901_234_567n : 37n) - (p > 18 ? 10n ** 19n : 999n);
      return unscaled;
    }
    case "CHAR": case "VARCHAR": return ["", "a", "a\u0000", "ab", "\u00e9t\u00e9", "z", "\u{1F600}", "a\u0000b", "zz"][pick % 9]! + (pick >= 9 ? String(pick) : "");
    case "BINARY": case "VARBINARY": return Uint8Array.from([pick % 3, 0, pick % 7].slice(0, pick % 4));
    default: throw new Error(`fast read helpers: no random values for ${type.root}`);
  }
}
