/**
 * Loading parquet-wasm (the Arrow → Parquet engine of the data-file writer) the same way in
 * every runtime: the host supplies the `.wasm` bytes (or a Response/URL/compiled module), this
 * module imports the portable ESM entry `parquet-wasm/esm` and initialises it once.
 *
 * Why: parquet-wasm's ESM entry fetches its wasm relative to `import.meta.url`, which fails in
 * Node (fetch cannot read `file:`); its Node entry reads the file with `fs` at import. Neither
 * works everywhere, so the runtime entry files (or tests) obtain the bytes their own way
 * (`fs.readFile` of `node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm`, `fetch` in browsers)
 * and pass them here. See docs/toolchain.md §4.
 *
 * Invariants: one wasm instance per JS realm (wasm-bindgen keeps module state); a failed
 * initialisation is not cached, so a later call may retry. Touches no runtime global.
 *
 * Imports: errors.ts, package parquet-wasm (dynamic import; types only at compile time).
 */
import type * as ParquetWasmEsm from "parquet-wasm/esm";
import { LakeError } from "../../errors.ts";

/** The parts of parquet-wasm the writer uses, from an initialised module. */
export type ParquetWasmModule = Pick<
  typeof ParquetWasmEsm,
  "writeParquet" | "Table" | "WriterPropertiesBuilder" | "Compression" | "Encoding" | "EnabledStatistics" | "WriterVersion"
>;

/** What parquet-wasm's init accepts: wasm bytes, a fetch Response (or its promise), a URL, a compiled module. */
export type ParquetWasmSource = ParquetWasmEsm.InitInput | Promise<ParquetWasmEsm.InitInput>;

let loading: Promise<ParquetWasmModule> | null = null;

/**
 * Initialises parquet-wasm from `source` (first call) and returns the module; later calls
 * return the same module and ignore `source`. A function source is called only when the
 * module is not loaded yet (a URL fetch happens once, not per write). Throws LakeError("io")
 * when the wasm cannot be compiled or instantiated.
 */
export function loadParquetWasm(source: ParquetWasmSource | (() => ParquetWasmSource)): Promise<ParquetWasmModule> {
  if (loading === null) {
    loading = (async () => {
      const mod = await import("parquet-wasm/esm");
      try {
        await mod.default({ module_or_path: typeof source === "function" ? await source() : source });
      } catch (error) {
        throw new LakeError("io", `parquet-wasm: cannot initialise the wasm module: ${(error as Error).message}`, { cause: error });
      }
      return mod;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}
