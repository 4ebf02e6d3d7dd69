/**
 * The fast Parquet column reader: decodes the requested columns of a data file with parquet-wasm
 * straight into Arrow buffers (exported through the Arrow C Data Interface and copied out as
 * ColumnBuffers), with no per-row JS values.
 *
 * It serves only what it reproduces exactly: flat Paimon types whose Arrow layout from the
 * Rust reader is the layout lakestate's Arrow output uses for that type (`arrowFormatsFor`).
 * Anything else — a column missing under its exact name, a nested type, INT96 or second/nano
 * timestamps, a decimal or timestamp stored with another unit, a dictionary — makes
 * `readParquetBuffers` return null, and the caller reads the file with the general reader
 * (parquet_reader.ts), which handles every case Java writes.
 *
 * Where parquet-wasm comes from: the host registers a source once with
 * `setFastParquetSource` (bytes of `parquet-wasm/esm/parquet_wasm_bg.wasm`, a Response, a URL,
 * a compiled module, or a function returning one, called on first use); the module is
 * initialised through parquet_wasm_loader.ts (one instance per realm, shared with the writer).
 * With no source, or when initialisation fails (the reason is kept in `fastParquetStatus()`),
 * `fastParquetReader()` resolves to null and readers keep to the pure-JS path, which returns
 * the same rows. `parquetWriterModule()` hands writers the same module (an error when no source
 * is registered). Nothing here reads files or runtime globals.
 *
 * Invariants: only requested columns are decoded: parquet-wasm decodes every chunk its footer
 * names, so the footer is first cut to the requested columns (parquet_projection.ts). All rows
 * in one pass through parquet-wasm's synchronous `readParquet` (one copy of the file into its memory); every
 * returned column has the footer's `num_rows` rows; no pointer into WASM memory survives the
 * call (everything is copied, the export freed). ZSTD chunks are decompressed by the zstd wasm
 * codec, when one is registered, into a scratch buffer reused across reads (nothing awaits
 * between filling it and `readParquet` consuming it). Errors: a damaged file is LakeError("corruption")
 * naming the file.
 * Imports: errors.ts, spec/data_types.ts, column_buffers.ts, arrow_c_data.ts, parquet_footer.ts,
 * thrift_compact.ts, parquet_projection.ts, parquet_zstd_pages.ts, zstd_wasm.ts, parquet_wasm_loader.ts, package parquet-wasm (esm entry, loaded dynamically). Mirrors Java
 * `ParquetReaderFactory` (by-name column matching), for the flat types only.
 */
import type * as ParquetWasmEsm from "parquet-wasm/esm";
import { LakeError } from "../../errors.ts";
import type { DataType } from "../../spec/data_types.ts";
import { copyCColumn, flatLayoutOf, readCSchemaFields, type CSchemaField } from "./arrow_c_data.ts";
import type { ColumnBuffers } from "./column_buffers.ts";
import { decodeParquetFooter } from "./parquet_footer.ts";
import { loadParquetWasm, type ParquetWasmModule, type ParquetWasmSource } from "./parquet_wasm_loader.ts";
import { projectParquetFile } from "./parquet_projection.ts";
import { decompressZstdChunks } from "./parquet_zstd_pages.ts";
import { thriftField } from "./thrift_compact.ts";
import { zstdWasmCodec } from "./zstd_wasm.ts";

/** The parts of an initialised parquet-wasm the fast reader uses. */
export type ParquetReadModule = Pick<typeof ParquetWasmEsm, "readParquet" | "wasmMemory">;

/** A source of the parquet-wasm module, or a function producing one on first use. */
export type FastParquetSource = ParquetWasmSource | (() => ParquetWasmSource);

/** Where the fast reader's module stands. */
export interface FastParquetStatus {
  readonly state: "no-source" | "unloaded" | "ready" | "failed";
  /** Why initialisation failed (state "failed"). */
  readonly reason?: string;
}

let source: FastParquetSource | null = null;
let readModule: Promise<ParquetReadModule | null> | null = null;
let status: FastParquetStatus = { state: "no-source" };

/**
 * Registers where parquet-wasm comes from for fast reads (see the file header); null turns
 * fast reads off. A new source clears a failed state so that it gets its chance.
 */
export function setFastParquetSource(next: FastParquetSource | null): void {
  source = next;
  if (next === null) {
    readModule = null;
    status = { state: "no-source" };
  } else if (status.state !== "ready") {
    readModule = null;
    status = { state: "unloaded" };
  }
}

/** The state of the fast reader's module (with the failure reason, if any). */
export function fastParquetStatus(): FastParquetStatus {
  return status;
}

/**
 * The initialised module for fast reads, loading it from the registered source on first use;
 * null (never a rejection) when no source is registered or loading failed.
 */
export function fastParquetReader(): Promise<ParquetReadModule | null> {
  if (readModule !== null) return readModule;
  const from = source;
  if (from === null) return Promise.resolve(null);
  readModule = (async () => {
    try {
      await loadParquetWasm(from);
      const mod = await import("parquet-wasm/esm");
      status = { state: "ready" };
      return mod;
    } catch (error) {
      status = { state: "failed", reason: error instanceof Error ? error.message : String(error) };
      return null;
    }
  })();
  return readModule;
}

/**
 * The initialised parquet-wasm for writing data files, from the source registered with
 * `setFastParquetSource` (the runtime entries lakestate/node and lakestate/deno register the
 * installed package). Throws LakeError("unsupported") when no source is registered and
 * LakeError("io") when the module cannot be initialised.
 */
export async function parquetWriterModule(): Promise<ParquetWasmModule> {
  const from = source;
  if (from === null) {
    throw new LakeError("unsupported",
      "parquet writer: writing needs parquet-wasm; register it with setFastParquetSource (import lakestate/node or lakestate/deno, or pass the wasm bytes)");
  }
  await zstdWasmCodec(); // loaded now so the synchronous writer can use it (loadedZstdWasmCodec)
  return loadParquetWasm(from);
}

/** One column to read: its exact name in the file and the Paimon type it was written as. */
export interface BufferColumnRequest {
  readonly name: string;
  readonly type: DataType;
}

/** What `readParquetBuffers` returns: one ColumnBuffers per request, in request order. */
export interface BufferColumns {
  readonly rowCount: number;
  readonly columns: readonly ColumnBuffers[];
}

/**
 * The Arrow C format strings (exact, or a prefix ending in ':' for timestamps) under which the
 * Rust reader delivers a Paimon type in the layout lakestate's Arrow output has; null when the
 * fast reader does not serve the type.
 */
export function arrowFormatsFor(type: DataType): readonly string[] | null {
  switch (type.root) {
    case "BOOLEAN": return ["b"];
    case "TINYINT": return ["c"];
    case "SMALLINT": return ["s"];
    case "INT": return ["i"];
    case "BIGINT": return ["l"];
    case "FLOAT": return ["f"];
    case "DOUBLE": return ["g"];
    case "DATE": return ["tdD"];
    case "TIME": return ["ttm"];
    case "TIMESTAMP": case "TIMESTAMP_LTZ": {
      const p = type.precision ?? 6;
      // p = 0 (seconds in Arrow, millis on disk) and p > 6 (INT96) need conversions: general path.
      return p >= 1 && p <= 3 ? ["tsm:"] : p >= 4 && p <= 6 ? ["tsu:"] : null;
    }
    case "DECIMAL": return [`d:${type.precision ?? 10},${type.scale ?? 0}`];
    case "CHAR": case "VARCHAR": return ["u"];
    case "BINARY": case "VARBINARY": return ["z"];
    default: return null;
  }
}

/** True when the fast reader serves values of `type` (see `arrowFormatsFor`). */
export function isBufferReadable(type: DataType): boolean {
  return arrowFormatsFor(type) !== null;
}

function formatMatches(field: CSchemaField, type: DataType): boolean {
  const formats = arrowFormatsFor(type);
  if (formats === null || field.dictionary || flatLayoutOf(field.format) === null) return false;
  return formats.some((f) => (f.endsWith(":") ? field.format.startsWith(f) : field.format === f));
}

/**
 * Decompressed files are built in one buffer reused from read to read: a fresh 50 MB array per
 * file costs its page faults (measured: a third of the decompression time), and the bytes are
 * dead once `readParquet` (synchronous) has copied them into parquet-wasm's memory. A buffer
 * larger than this is dropped after its read instead of kept.
 */
const SCRATCH_BYTES_KEPT_MAX = 128 * 1024 * 1024;
let scratch: Uint8Array<ArrayBuffer> | null = null;

function scratchOf(bytes: number): Uint8Array<ArrayBuffer> {
  if (scratch === null || scratch.length < bytes) scratch = new Uint8Array(Math.max(bytes, Math.min(SCRATCH_BYTES_KEPT_MAX, (scratch?.length ?? 0) * 2)));
  return scratch;
}

function releaseScratch(): void {
  if (scratch !== null && scratch.length > SCRATCH_BYTES_KEPT_MAX) scratch = null;
}

/** `num_rows` of the file's footer (FileMetaData field 3). */
function footerRowCount(bytes: Uint8Array, fileName: string): number {
  let meta;
  try {
    meta = decodeParquetFooter(bytes);
  } catch (error) {
    throw corrupt(fileName, error);
  }
  const rows = thriftField(meta, 3);
  if (rows?.kind !== "i64" || rows.value < 0n || rows.value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(fileName, new Error("footer has no valid num_rows"));
  return Number(rows.value);
}

function corrupt(fileName: string, error: unknown): LakeError {
  if (error instanceof LakeError) return new LakeError(error.code, `${error.message} (file ${fileName})`, { cause: error });
  return new LakeError("corruption", `parquet: file ${fileName}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * Reads the requested columns of an in-memory Parquet file into ColumnBuffers, or returns null
 * when the fast reader does not serve one of them (see the file header). Duplicate names are
 * read once. Throws LakeError("corruption") naming `fileName` for a damaged file.
 * Requires: `pq` from `fastParquetReader()`.
 */
export async function readParquetBuffers(pq: ParquetReadModule, bytes: Uint8Array<ArrayBuffer>, requests: readonly BufferColumnRequest[], options: { readonly fileName: string }): Promise<BufferColumns | null> {
  const { fileName } = options;
  // ZSTD chunks of the requested columns are decompressed by the faster zstd wasm codec when
  // one is registered (about 3 times parquet-wasm's own zstd); parquet-wasm then reads them raw.
  // Nothing below awaits until readParquet has copied the (scratch) bytes into wasm memory.
  const zstd = await zstdWasmCodec();
  const rowCount = footerRowCount(bytes, fileName);
  const names = [...new Set(requests.map((r) => r.name))];
  let input: Uint8Array = bytes;
  try {
    if (zstd !== null) input = decompressZstdChunks(bytes, zstd, { fileName, columns: new Set(names), output: scratchOf });
    // parquet-wasm decodes every chunk the footer names, requested or not: cut the footer to
    // the requested columns (in place when the bytes are already the scratch copy).
    input = projectParquetFile(input, new Set(names), { fileName, writable: input !== bytes, output: scratchOf });
  } catch (error) {
    if (error instanceof LakeError && error.message.includes(fileName)) throw error;
    const code = error instanceof LakeError ? error.code : "corruption";
    throw new LakeError(code, `parquet reader: file ${fileName}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let table;
  try {
    // batchSize at least the row count: one batch (parquet-rs clamps it to the file's rows).
    table = pq.readParquet(input, { columns: names, batchSize: Math.max(1, rowCount) });
  } catch (error) {
    throw corrupt(fileName, error);
  } finally {
    releaseScratch();
  }
  const stream = table.intoFFI();
  try {
    const schemaPtr = stream.schemaAddr();
    const arrays = Array.from({ length: stream.numArrays() }, (_, i) => stream.arrayAddr(i));
    // Fetched after the last call into the module: a memory growth detaches older buffers.
    const memory = pq.wasmMemory().buffer as ArrayBuffer;
    const readFields = readCSchemaFields(memory, schemaPtr);
    // A column the file lacks (older schema) or reads in a form the fast path does not serve
    // (see the file header): the caller takes the general path.
    const indexes = requests.map((r) => readFields.findIndex((f) => f.name === r.name && formatMatches(f, r.type)));
    if (indexes.some((i) => i < 0)) return null;
    const copied = new Map<string, ColumnBuffers>();
    const columns = requests.map((r, i) => {
      let column = copied.get(r.name);
      if (column === undefined) copied.set(r.name, column = copyCColumn(memory, arrays, indexes[i]!, readFields[indexes[i]!]!.format));
      return column;
    });
    for (const [i, c] of columns.entries()) {
      if (c.length !== rowCount) throw corrupt(fileName, new Error(`column ${requests[i]!.name} decoded ${c.length} rows, the footer says ${rowCount}`));
    }
    return { rowCount, columns };
  } finally {
    stream.free();
  }
}
