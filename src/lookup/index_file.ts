/**
 * The persisted form of one bucket index (lookup/bucket_index.ts) in the lookup's local store,
 * so a restarted lookup reuses what it built instead of reading the table's data files again.
 *
 * Byte layout (little-endian):
 *   [0, 8)    magic "LKIDX\0\0\1"
 *   [8, 12)   u32 format version (INDEX_FORMAT_VERSION; persisted: bump on any change)
 *   [12, 16)  u32 header length H
 *   [16, 20)  u32 CRC-32 of the header bytes
 *   [20, 20+H) header: UTF-8 JSON (identity = schema id, data files, deletion files, columns;
 *             section list; per-index scalars), zero-padded to a multiple of 8
 *   sections  each section's bytes, every section starting at a multiple of 8
 *   last 8    u32 body checksum (word hash of all section bytes, see `bodyChecksum`), u32 0
 *
 * Invariants: a file is used only when magic, version, both checksums and the identity match;
 * anything else is "stale" (identity differs) or "corrupt" (the caller rebuilds, warning on
 * corrupt). Sections are returned as views when the bytes are 8-aligned, else copied once.
 * Imports: errors.ts, util/crc32.ts, util/bytes.ts. Mirrors no Java class (cf. Paimon's
 * `LookupFile` + `SortLookupStoreWriter` files in the lookup join's local directory).
 */
import { LakeError } from "../errors.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { crc32 } from "../util/crc32.ts";

/** Version of the index file format (persisted: bump on any layout or header change). */
export const INDEX_FORMAT_VERSION = 1;
const MAGIC = new Uint8Array([0x4c, 0x4b, 0x49, 0x44, 0x58, 0, 0, 1]);
const PREFIX_BYTES = 20;

/** What `decodeIndexFile` found. */
export type DecodedIndexFile =
  | { readonly status: "ok"; readonly header: Record<string, unknown>; readonly sections: readonly Uint8Array[] }
  | { readonly status: "corrupt"; readonly reason: string };

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** Word hash of the sections (xor-multiply over u32 words; fast, detects torn or flipped bytes). */
function bodyChecksum(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  const aligned = (bytes.byteOffset + start) % 4 === 0;
  const words = aligned ? new Uint32Array(bytes.buffer, bytes.byteOffset + start, (end - start) >>> 2) : null;
  const wordCount = (end - start) >>> 2;
  for (let i = 0; i < wordCount; i++) {
    const w = words !== null ? words[i]! : (bytes[start + 4 * i]! | (bytes[start + 4 * i + 1]! << 8) | (bytes[start + 4 * i + 2]! << 16) | (bytes[start + 4 * i + 3]! << 24));
    h = Math.imul(h ^ w, 0x01000193) ^ (h >>> 15);
  }
  for (let i = start + wordCount * 4; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Encodes a header (JSON-able) and sections into one index file. */
export function encodeIndexFile(header: Record<string, unknown>, sections: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const headerBytes = utf8Encode(JSON.stringify({ ...header, sectionBytes: sections.map((s) => s.byteLength) }));
  const bodyStart = pad8(PREFIX_BYTES + headerBytes.length);
  let bodyEnd = bodyStart;
  for (const s of sections) bodyEnd = pad8(bodyEnd + s.byteLength);
  const out = new Uint8Array(bodyEnd + 8);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, INDEX_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  view.setUint32(16, crc32(headerBytes), true);
  out.set(headerBytes, PREFIX_BYTES);
  let at = bodyStart;
  for (const s of sections) {
    out.set(s, at);
    at = pad8(at + s.byteLength);
  }
  view.setUint32(bodyEnd, bodyChecksum(out, bodyStart, bodyEnd), true);
  return out;
}

/** Decodes an index file; never throws for bad bytes (returns "corrupt" with the reason). */
export function decodeIndexFile(input: Uint8Array): DecodedIndexFile {
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const corrupt = (reason: string): DecodedIndexFile => ({ status: "corrupt", reason });
  if (bytes.length < PREFIX_BYTES + 8) return corrupt(`${bytes.length} bytes is shorter than the fixed prefix`);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return corrupt("bad magic");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== INDEX_FORMAT_VERSION) return corrupt(`format version ${version}, expected ${INDEX_FORMAT_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length) return corrupt(`header of ${headerLength} bytes overruns the file`);
  const headerBytes = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength);
  if (crc32(headerBytes) !== view.getUint32(16, true)) return corrupt("header checksum mismatch");
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(utf8Decode(headerBytes)) as Record<string, unknown>;
  } catch (error) {
    return corrupt(`header is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const sizes = header["sectionBytes"];
  if (!Array.isArray(sizes) || !sizes.every((s) => Number.isSafeInteger(s) && s >= 0)) return corrupt("header has no valid sectionBytes");
  const bodyStart = pad8(PREFIX_BYTES + headerLength);
  let at = bodyStart;
  const sections: Uint8Array[] = [];
  for (const size of sizes as number[]) {
    if (at + size > bytes.length - 8) return corrupt(`section of ${size} bytes at ${at} overruns the file`);
    sections.push(bytes.subarray(at, at + size));
    at = pad8(at + size);
  }
  if (at + 8 !== bytes.length) return corrupt(`file is ${bytes.length} bytes, sections end at ${at + 8}`);
  if (bodyChecksum(bytes, bodyStart, at) !== view.getUint32(at, true)) return corrupt("body checksum mismatch");
  return { status: "ok", header, sections };
}

/** A typed view over a section (copied when misaligned). Requires: length a multiple of the element size. */
export function sectionAs<T>(section: Uint8Array, bytesPerElement: number, make: (buffer: ArrayBuffer, offset: number, length: number) => T): T {
  if (section.byteLength % bytesPerElement !== 0) {
    throw new LakeError("corruption", `lookup index file: section of ${section.byteLength} bytes is not a multiple of ${bytesPerElement}`);
  }
  const s = section.byteOffset % bytesPerElement === 0 ? section : section.slice();
  return make(s.buffer as ArrayBuffer, s.byteOffset, s.byteLength / bytesPerElement);
}

/** The bytes of a typed array as a Uint8Array view. */
export function bytesOf(array: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
