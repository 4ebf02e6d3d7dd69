/**
 * Avro container block codecs: `null`, `deflate`, `snappy` and `zstandard`.
 *
 * Wire forms (what Java's org.apache.avro.file codecs write):
 *   null       the serialized records as is
 *   deflate    raw DEFLATE (RFC 1951, no zlib header), via (De)CompressionStream("deflate-raw"),
 *              available in Node 20, Deno and browsers
 *   snappy     raw snappy block + 4-byte big-endian CRC-32 of the uncompressed bytes; decoded
 *              with hyparquet's `snappyUncompress`, CRC verified
 *   zstandard  one or more zstd frames; decoded with `fzstd` (pure JS), encoded with
 *              `@hpcc-js/wasm-zstd`, loaded on first use only
 * Other Avro codecs (bzip2, xz) are LakeError("unsupported").
 *
 * Invariants: a decompressed block is at most `AVRO_BLOCK_BYTES_MAX` bytes; corrupt input is
 * LakeError("corruption") with the codec name, never a raw library error.
 *
 * Imports: `crc32.ts`, `snappy.ts`, `src/errors.ts`, packages fzstd, hyparquet,
 * @hpcc-js/wasm-zstd (dynamic), ../data/zstd_wasm.ts (the fallback encoder).
 * Mirrors: org.apache.avro.file.{DeflateCodec, SnappyCodec, ZstandardCodec}.
 */
import { decompress as zstdDecompress } from "fzstd";
import { snappyUncompress } from "hyparquet";
import { LakeError } from "../../errors.ts";
import { crc32 } from "../../util/crc32.ts";
import { zstdWasmCodec } from "../data/zstd_wasm.ts";
import { snappyCompress } from "./snappy.ts";

/** Avro codec names as they appear in `avro.codec` (persisted: never rename). */
export const AVRO_CODECS = ["null", "deflate", "snappy", "zstandard"] as const;

/** One of `AVRO_CODECS`. */
export type AvroCodec = (typeof AVRO_CODECS)[number];

/** Largest decompressed block we accept (Java writes ~64 KB blocks; this bounds memory). */
export const AVRO_BLOCK_BYTES_MAX = 256 * 1024 * 1024;

/** zstd level Java uses for manifests by default (`file.compression.zstd-level`). */
export const ZSTD_LEVEL_DEFAULT = 1;

/** Options for `compressAvroBlock`. */
export interface AvroCompressOptions {
  /** zstd compression level, 1..22 (default `ZSTD_LEVEL_DEFAULT`). */
  readonly zstdLevel?: number;
}

/**
 * Checks an `avro.codec` value. Returns it typed, or throws LakeError("unsupported") naming the
 * codec (for example bzip2 or xz, which Java's Avro knows but we do not implement).
 */
export function parseAvroCodec(name: string): AvroCodec {
  if ((AVRO_CODECS as readonly string[]).includes(name)) return name as AvroCodec;
  throw new LakeError("unsupported", `avro codec: "${name}" is not supported, expected one of ${AVRO_CODECS.join(", ")}`);
}

function corrupt(codec: string, detail: string, cause?: unknown): LakeError {
  return new LakeError("corruption", `avro codec ${codec}: ${detail}`, cause === undefined ? undefined : { cause });
}

function tooLarge(codec: string, n: number): LakeError {
  return corrupt(codec, `decompressed block of ${n} bytes exceeds the limit of ${AVRO_BLOCK_BYTES_MAX} bytes`);
}

async function pipeThrough(data: Uint8Array, stream: CompressionStream | DecompressionStream, limitBytes: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const writing = writer
    .write(data as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => {}); // the error surfaces on the readable side
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limitBytes) {
      await reader.cancel();
      throw tooLarge("deflate", total);
    }
    chunks.push(value);
  }
  await writing;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function snappyDecode(data: Uint8Array): Uint8Array {
  if (data.length < 4) throw corrupt("snappy", `block of ${data.length} bytes is shorter than its 4-byte CRC`);
  const body = data.subarray(0, data.length - 4);
  // The uncompressed length is the varint preamble of the snappy block.
  let length = 0;
  let scale = 1;
  let i = 0;
  for (;; i++) {
    if (i >= body.length || i >= 5) throw corrupt("snappy", "bad length preamble");
    const b = body[i]!;
    length += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) break;
  }
  if (length > AVRO_BLOCK_BYTES_MAX) throw tooLarge("snappy", length);
  const out = new Uint8Array(length);
  try {
    snappyUncompress(body, out);
  } catch (error) {
    throw corrupt("snappy", (error as Error).message, error);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const expected = view.getUint32(data.length - 4, false);
  const actual = crc32(out);
  if (expected !== actual) {
    throw corrupt("snappy", `CRC-32 mismatch: block says ${expected.toString(16)}, data has ${actual.toString(16)}`);
  }
  return out;
}

function zstdDecode(data: Uint8Array): Uint8Array {
  let out: Uint8Array;
  try {
    out = zstdDecompress(data);
  } catch (error) {
    throw corrupt("zstandard", (error as Error).message, error);
  }
  if (out.length > AVRO_BLOCK_BYTES_MAX) throw tooLarge("zstandard", out.length);
  return out;
}

/**
 * Decompresses one container block written with `codec`. The result is always a fresh buffer
 * the caller owns (a copy for "null"), never a view of `data`.
 */
export async function decompressAvroBlock(codec: AvroCodec, data: Uint8Array): Promise<Uint8Array> {
  switch (codec) {
    case "null":
      return data.slice();
    case "deflate":
      try {
        return await pipeThrough(data, new DecompressionStream("deflate-raw"), AVRO_BLOCK_BYTES_MAX);
      } catch (error) {
        if (error instanceof LakeError) throw error;
        throw corrupt("deflate", (error as Error).message, error);
      }
    case "snappy":
      return snappyDecode(data);
    case "zstandard":
      return zstdDecode(data);
  }
}

interface ZstdEncoder {
  compress(data: Uint8Array, level?: number): Uint8Array;
}

let zstdEncoder: Promise<ZstdEncoder> | undefined;

/**
 * Loads the zstd wasm once (a few hundred KB), on the first zstandard write. Where the
 * runtime forbids compiling WebAssembly from bytes (Cloudflare Workers, workerd), the
 * @hpcc-js build cannot load; the registered libzstd codec (zstd_wasm.ts, which accepts a
 * precompiled module) serves instead, and with neither the write fails with a clear error.
 */
function loadZstdEncoder(): Promise<ZstdEncoder> {
  zstdEncoder ??= import("@hpcc-js/wasm-zstd").then((m) => m.Zstd.load()).catch(async (error: unknown) => {
    const codec = await zstdWasmCodec();
    if (codec !== null) return { compress: (data: Uint8Array, level?: number) => codec.compress(data, level ?? ZSTD_LEVEL_DEFAULT) };
    zstdEncoder = undefined;
    throw new LakeError("unsupported", `avro codec zstandard: cannot load the zstd encoder: ${(error as Error).message}`, { cause: error });
  });
  return zstdEncoder;
}

/** Compresses one container block with `codec`. */
export async function compressAvroBlock(codec: AvroCodec, data: Uint8Array, options: AvroCompressOptions = {}): Promise<Uint8Array> {
  switch (codec) {
    case "null":
      return data;
    case "deflate":
      return pipeThrough(data, new CompressionStream("deflate-raw"), Number.MAX_SAFE_INTEGER);
    case "snappy": {
      const body = snappyCompress(data);
      const out = new Uint8Array(body.length + 4);
      out.set(body);
      new DataView(out.buffer).setUint32(body.length, crc32(data), false);
      return out;
    }
    case "zstandard": {
      const level = options.zstdLevel ?? ZSTD_LEVEL_DEFAULT;
      if (!Number.isInteger(level) || level < 1 || level > 22) {
        throw new LakeError("invalid_argument", `avro codec zstandard: level ${level} is outside 1..22`);
      }
      const encoder = await loadZstdEncoder();
      // Copy: the wasm module returns a view into its own memory.
      return encoder.compress(data, level).slice();
    }
  }
}
