/**
 * Zstandard (de)compression through a WebAssembly build of libzstd: the module that
 * `@foxglove/wasm-zstd` 1.0.1 ships as `dist/wasm-zstd.wasm` (libzstd 1.5.x, emscripten -O3,
 * MIT). It is instantiated here directly, without the package's JS glue (which needs Node's
 * `Buffer`), so the same code runs in Node, Deno and browsers; the host supplies the module
 * bytes (or a Response, a compiled module, or a function returning one), like parquet-wasm.
 *
 * Why: parquet-wasm's built-in zstd runs at about 160 MB/s decoding and 75 MB/s encoding
 * (level 1) on Parquet pages; this build does about 450–570 and 250–270 MB/s on the same pages,
 * one core, and its level-1 frames are byte-identical to parquet-rs's (see
 * parquet_zstd_pages.ts, which uses it to (de)compress the pages around parquet-wasm).
 *
 * Module ABI (emscripten, minified names; checked before instantiation, any other module is
 * LakeError("unsupported")): imports `a.a` emscripten_resize_heap(bytes) → 1|0 and `a.b`
 * emscripten_memcpy_big(dst, src, n); exports `c` memory, `d` constructors, `f` malloc(n),
 * `g` free(p), `h` ZSTD_compressBound(n), `i` ZSTD_compress(dst, cap, src, n, level) → size
 * or -1, `j` ZSTD_decompress(dst, cap, src, n) → size or -1 (src/wasm-zstd.c of the package).
 *
 * A host may register its own frame decoder (`setZstdHostDecoder`; Node registers native libzstd
 * when the optional `zstd-napi` addon loads): the codec the readers get then decompresses through
 * it and still compresses in wasm.
 *
 * Invariants: one input and one output region in wasm memory, reused and grown (never shrunk)
 * across calls; views of the memory are re-taken after every allocation (growth detaches them);
 * every call copies its result out, so no view into wasm memory escapes. Buffers are limited to
 * `ZSTD_BUFFER_BYTES_MAX`. Not re-entrant (JS is single-threaded; one codec per realm is
 * enough). Touches no runtime global.
 *
 * Imports: errors.ts. Java counterpart: zstd-jni's `Zstd.compress`/`decompress` behind
 * `org.apache.parquet.hadoop.codec.ZstandardCodec` (level from `parquet.compression.codec.zstd.level`).
 */
import { LakeError } from "../../errors.ts";

/** Largest input or output one call accepts (wasm32 memory is at most 4 GiB; keep far below). */
export const ZSTD_BUFFER_BYTES_MAX = 1 << 30;

/** A loaded zstd codec. */
export interface ZstdCodec {
  /**
   * Compresses `src` into one zstd frame (content size in the header, no checksum) at `level`
   * (1..22; Paimon's default is 1). Returns a fresh array. Throws LakeError("unsupported") when
   * libzstd refuses (bad level) or the input exceeds `ZSTD_BUFFER_BYTES_MAX`.
   */
  compress(src: Uint8Array, level: number): Uint8Array<ArrayBuffer>;
  /**
   * Decompresses the frame(s) in `frame` into `out`, which must receive exactly `out.length`
   * bytes. Throws LakeError("corruption") when the frames are damaged or decode to another size.
   */
  decompressInto(frame: Uint8Array, out: Uint8Array): void;
}

/** What instantiation accepts: module bytes, a compiled module, a fetch Response (or promises of them). */
export type ZstdWasmInput = BufferSource | WebAssembly.Module | Response;
/** A source for `loadZstdWasm`, possibly a promise. */
export type ZstdWasmSource = ZstdWasmInput | Promise<ZstdWasmInput>;

const NOUN = "zstd wasm";
const WASM_PAGE_BYTES = 65536;
const REGION_BYTES_MIN = 1 << 20;
const EXPECTED_IMPORTS = ["a.a:function", "a.b:function"];
const EXPECTED_EXPORTS = ["c:memory", "d:function", "e:table", "f:function", "g:function", "h:function", "i:function", "j:function"];

interface Exports {
  readonly c: WebAssembly.Memory;
  readonly d: () => void;
  readonly f: (bytes: number) => number;
  readonly g: (ptr: number) => void;
  readonly h: (bytes: number) => number;
  readonly i: (dst: number, dstCap: number, src: number, srcBytes: number, level: number) => number;
  readonly j: (dst: number, dstCap: number, src: number, srcBytes: number) => number;
}

function unsupported(why: string): LakeError {
  return new LakeError("unsupported", `${NOUN}: ${why}`);
}

async function compile(input: ZstdWasmInput): Promise<WebAssembly.Module> {
  if (input instanceof WebAssembly.Module) return input;
  const bytes = typeof Response !== "undefined" && input instanceof Response ? await input.arrayBuffer() : input as BufferSource;
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    throw new LakeError("unsupported", `${NOUN}: the bytes are not a WebAssembly module: ${(error as Error).message}`, { cause: error });
  }
}

function checkAbi(module: WebAssembly.Module): void {
  const imports = WebAssembly.Module.imports(module).map((d) => `${d.module}.${d.name}:${d.kind}`);
  const exports = WebAssembly.Module.exports(module).map((d) => `${d.name}:${d.kind}`).sort();
  if (imports.join(",") !== EXPECTED_IMPORTS.join(",") || exports.join(",") !== EXPECTED_EXPORTS.join(",")) {
    throw unsupported(`module imports [${imports.join(", ")}] and exports [${exports.join(", ")}], expected the @foxglove/wasm-zstd 1.0.1 build ` +
      `([${EXPECTED_IMPORTS.join(", ")}] / [${EXPECTED_EXPORTS.join(", ")}])`);
  }
}

class WasmZstd implements ZstdCodec {
  readonly #x: Exports;
  #inPtr = 0;
  #inBytes = 0;
  #outPtr = 0;
  #outBytes = 0;

  constructor(x: Exports) {
    this.#x = x;
  }

  #heap(): Uint8Array {
    return new Uint8Array(this.#x.c.buffer);
  }

  #alloc(bytes: number): number {
    const ptr = this.#x.f(bytes);
    if (ptr === 0) throw new LakeError("unsupported", `${NOUN}: cannot allocate ${bytes} bytes in wasm memory`);
    return ptr >>> 0;
  }

  /** Makes the input region hold `inBytes` and the output region `outBytes`. */
  #reserve(inBytes: number, outBytes: number): void {
    if (inBytes > this.#inBytes) {
      if (this.#inPtr !== 0) this.#x.g(this.#inPtr);
      this.#inPtr = 0;
      this.#inBytes = Math.max(REGION_BYTES_MIN, inBytes + (inBytes >> 2));
      this.#inPtr = this.#alloc(this.#inBytes);
    }
    if (outBytes > this.#outBytes) {
      if (this.#outPtr !== 0) this.#x.g(this.#outPtr);
      this.#outPtr = 0;
      this.#outBytes = Math.max(REGION_BYTES_MIN, outBytes + (outBytes >> 2));
      this.#outPtr = this.#alloc(this.#outBytes);
    }
  }

  compress(src: Uint8Array, level: number): Uint8Array<ArrayBuffer> {
    if (src.length > ZSTD_BUFFER_BYTES_MAX) throw unsupported(`input of ${src.length} bytes exceeds ${ZSTD_BUFFER_BYTES_MAX}`);
    if (!Number.isInteger(level) || level < -131072 || level > 22) throw unsupported(`compression level ${level} is not an integer in [-131072, 22]`);
    const bound = this.#x.h(src.length) >>> 0;
    this.#reserve(src.length, bound);
    this.#heap().set(src, this.#inPtr);
    const n = this.#x.i(this.#outPtr, bound, this.#inPtr, src.length, level);
    if (n < 0 || n > bound) throw unsupported(`libzstd failed to compress ${src.length} bytes at level ${level}`);
    return this.#heap().slice(this.#outPtr, this.#outPtr + n);
  }

  decompressInto(frame: Uint8Array, out: Uint8Array): void {
    if (frame.length > ZSTD_BUFFER_BYTES_MAX || out.length > ZSTD_BUFFER_BYTES_MAX) {
      throw unsupported(`frame of ${frame.length} bytes decoding to ${out.length} exceeds ${ZSTD_BUFFER_BYTES_MAX}`);
    }
    this.#reserve(frame.length, out.length);
    this.#heap().set(frame, this.#inPtr);
    const n = this.#x.j(this.#outPtr, out.length, this.#inPtr, frame.length);
    if (n !== out.length) {
      throw new LakeError("corruption", n < 0
        ? `zstd: ${frame.length}-byte frame is damaged or decodes to more than ${out.length} bytes`
        : `zstd: ${frame.length}-byte frame decodes to ${n} bytes, expected ${out.length}`);
    }
    out.set(new Uint8Array(this.#x.c.buffer, this.#outPtr, n));
  }
}

/**
 * Instantiates the zstd module from `source` and checks it with a round trip. Throws
 * LakeError("unsupported") when the bytes are not the expected module build.
 */
export async function instantiateZstdWasm(source: ZstdWasmSource): Promise<ZstdCodec> {
  const module = await compile(await source);
  checkAbi(module);
  let memory: WebAssembly.Memory | null = null;
  const env = {
    a: (requested: number): number => {
      const want = requested >>> 0, have = memory!.buffer.byteLength;
      if (want <= have) return 1;
      try {
        memory!.grow(Math.ceil((Math.max(want, have + (have >> 2)) - have) / WASM_PAGE_BYTES));
        return 1;
      } catch {
        try { memory!.grow(Math.ceil((want - have) / WASM_PAGE_BYTES)); return 1; } catch { return 0; }
      }
    },
    b: (dst: number, src: number, n: number): void => {
      new Uint8Array(memory!.buffer).copyWithin(dst >>> 0, src >>> 0, (src >>> 0) + (n >>> 0));
    },
  };
  const instance = await WebAssembly.instantiate(module, { a: env });
  const x = instance.exports as unknown as Exports;
  memory = x.c;
  x.d();
  const codec = new WasmZstd(x);
  const probe = new Uint8Array(4096).map((_, i) => (i * 31) ^ (i >> 5));
  const back = new Uint8Array(probe.length);
  codec.decompressInto(codec.compress(probe, 1), back);
  if (!back.every((b, i) => b === probe[i])) throw unsupported("the module failed its round-trip self-test");
  return codec;
}

/**
 * A host's own zstd frame decoder (Node: native libzstd through Node-API, see src/node_zstd.ts):
 * decodes the frame(s) in `frame` into `out` and returns the bytes written; throws when the
 * frames are damaged or do not fit `out`.
 */
export type ZstdFrameDecoder = (frame: Uint8Array, out: Uint8Array) => number;

let hostDecoder: { readonly name: string; readonly decode: ZstdFrameDecoder } | null = null;
let composite: HostDecodedZstd | null = null;

/**
 * The wasm codec with decompression through the host's decoder: the same bytes out (a zstd
 * frame has one decoding), faster where the host has native libzstd. Compression stays in wasm,
 * so written files do not depend on which libzstd the host has.
 */
class HostDecodedZstd implements ZstdCodec {
  readonly wasm: ZstdCodec;
  readonly decoder: { readonly name: string; readonly decode: ZstdFrameDecoder };

  constructor(wasm: ZstdCodec, decoder: { readonly name: string; readonly decode: ZstdFrameDecoder }) {
    this.wasm = wasm;
    this.decoder = decoder;
  }

  compress(src: Uint8Array, level: number): Uint8Array<ArrayBuffer> {
    return this.wasm.compress(src, level);
  }

  decompressInto(frame: Uint8Array, out: Uint8Array): void {
    let n: number;
    try {
      n = this.decoder.decode(frame, out);
    } catch (error) {
      throw new LakeError("corruption", `zstd: ${frame.length}-byte frame is damaged or decodes to more than ${out.length} bytes (${this.decoder.name}: ${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    if (n !== out.length) throw new LakeError("corruption", `zstd: ${frame.length}-byte frame decodes to ${n} bytes, expected ${out.length}`);
  }
}

/**
 * Registers the host's zstd frame decoder (`name` says which, for messages and
 * `zstdDecoderName()`); null goes back to the wasm decoder. Takes effect for the codec that
 * `zstdWasmCodec()` and `loadedZstdWasmCodec()` return.
 */
export function setZstdHostDecoder(decode: ZstdFrameDecoder | null, name = "host zstd"): void {
  hostDecoder = decode === null ? null : { name, decode };
  composite = null;
}

/** Which decoder zstd frames go through: the registered host decoder's name, or "libzstd wasm". */
export function zstdDecoderName(): string {
  return hostDecoder?.name ?? "libzstd wasm";
}

function withHostDecoder(codec: ZstdCodec | null): ZstdCodec | null {
  if (codec === null || hostDecoder === null) return codec;
  if (composite === null || composite.wasm !== codec) composite = new HostDecodedZstd(codec, hostDecoder);
  return composite;
}

/** A zstd module source, or a function producing one on first use. */
export type ZstdWasmSourceOrThunk = ZstdWasmSource | (() => ZstdWasmSource);

let registered: ZstdWasmSourceOrThunk | null = null;
let loading: Promise<ZstdCodec | null> | null = null;
let loaded: ZstdCodec | null = null;
let failure: string | null = null;

/**
 * Registers where the zstd module comes from (runtime entries pass the installed package's
 * bytes); null turns the wasm codec off. A new source discards a failed or pending load.
 */
export function setZstdWasmSource(source: ZstdWasmSourceOrThunk | null): void {
  registered = source;
  if (loaded === null || source === null) {
    loading = null;
    loaded = null;
    failure = null;
  }
}

/**
 * The codec from the registered source, loading it on first use; null (never a rejection) when
 * no source is registered or loading failed (`zstdWasmFailure()` keeps the reason).
 */
export function zstdWasmCodec(): Promise<ZstdCodec | null> {
  if (loaded !== null) return Promise.resolve(withHostDecoder(loaded));
  if (loading !== null) return loading.then(withHostDecoder);
  const from = registered;
  if (from === null) return Promise.resolve(null);
  loading = (async () => {
    try {
      loaded = await instantiateZstdWasm(typeof from === "function" ? from() : from);
      return loaded;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      return null;
    }
  })();
  return loading.then(withHostDecoder);
}

/** The codec if `zstdWasmCodec()` has already loaded it (for synchronous writers), else null. */
export function loadedZstdWasmCodec(): ZstdCodec | null {
  return withHostDecoder(loaded);
}

/** Why the last load failed, or null. */
export function zstdWasmFailure(): string | null {
  return failure;
}
