/**
 * Native libzstd for Node: decodes zstd frames through the `zstd-napi` addon (Node-API bindings
 * of libzstd 1.5, Apache-2.0, built from its bundled sources at install time) and registers it
 * as the host frame decoder of format/data/zstd_wasm.ts. Measured on the Parquet pages of the
 * merge-read benchmark: about 980 MB/s against 570 MB/s for the wasm build, one core.
 *
 * `zstd-napi` is an optional dependency: when it is not installed or its addon does not load
 * (no compiler at install time, another runtime), nothing is registered, the wasm decoder keeps
 * serving, and `nativeZstdStatus()` says why. Either decoder returns the same bytes.
 *
 * Invariants: one decompression context, reused (JS is single-threaded); the addon writes into
 * the caller's array, no copy. Compression is left to the wasm build (zstd_wasm.ts).
 * Runtime entry code (Node only): imported by node.ts and by the benchmarks.
 * Imports: node:module, format/data/zstd_wasm.ts. Java counterpart: zstd-jni's native `Zstd.decompress`.
 */
import { createRequire } from "node:module";
import { setZstdHostDecoder } from "./format/data/zstd_wasm.ts";

/** The part of zstd-napi's binding used here. */
interface DCtxBinding {
  readonly DCtx: new () => { decompress(dst: Uint8Array, src: Uint8Array): number };
}

/** Name reported for the native decoder (messages, `zstdDecoderName()`). */
export const NATIVE_ZSTD_NAME = "libzstd (zstd-napi)";

let status: { readonly loaded: boolean; readonly reason?: string } | null = null;

/**
 * Loads the addon once and registers it as the zstd frame decoder; returns whether it loaded.
 * Never throws: a missing or broken addon leaves the wasm decoder in place.
 */
export function useNativeZstd(): boolean {
  if (status !== null) return status.loaded;
  try {
    const binding = createRequire(import.meta.url)("zstd-napi/binding") as DCtxBinding;
    const dctx = new binding.DCtx();
    setZstdHostDecoder((frame, out) => dctx.decompress(out, frame), NATIVE_ZSTD_NAME);
    status = { loaded: true };
  } catch (error) {
    status = { loaded: false, reason: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  }
  return status.loaded;
}

/** Whether the native decoder is in use, and why not when it is not (null before `useNativeZstd`). */
export function nativeZstdStatus(): { readonly loaded: boolean; readonly reason?: string } | null {
  return status;
}
