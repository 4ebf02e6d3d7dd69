/**
 * ZIP archives as plain bytes: `zipEntries` writes a standard archive of "stored" (method 0)
 * entries; `unzipEntries` reads stored and deflated (method 8) entries from archives written by
 * any common tool (Info-ZIP `zip`, Python's zipfile, Java's ZipOutputStream, browsers' pickers).
 * Used to export a table's files and import them elsewhere (io/zip_store.ts).
 *
 * Format: PKWARE APPNOTE.TXT 6.3.10 (local headers, central directory, end of central directory
 * record; ZIP64 extra field 0x0001, ZIP64 end record and locator). Names are UTF-8 (general
 * purpose flag bit 11 set on write). Written archives are deterministic: every entry carries the
 * DOS time 1980-01-01 00:00 and Unix mode 0644.
 * Invariants:
 *  - `zipEntries` switches to ZIP64 records exactly when a size or offset reaches 0xFFFFFFFF or
 *    the entry count reaches 0xFFFF (or always, with `{ zip64: "always" }`).
 *  - `unzipEntries` verifies every entry's size and CRC-32 and rejects damaged or truncated input
 *    with LakeError("corruption", "zip: ...") naming the entry or offset; encrypted entries and
 *    other methods are LakeError("unsupported"). Directory entries are skipped.
 * Imports: errors.ts, util/crc32.ts, util/bytes.ts; the global `DecompressionStream` when present.
 * Mirrors Java's java.util.zip.ZipOutputStream / ZipFile (the archive layout), no Paimon class.
 */
import { LakeError } from "../errors.ts";
import { utf8Decode, utf8Encode } from "./bytes.ts";
import { crc32 } from "./crc32.ts";

/** One file of an archive: its '/'-separated path inside the archive and its bytes. */
export interface ZipEntry {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Options of `zipEntries`. */
export interface ZipOptions {
  /** "auto" (default): ZIP64 records only where sizes, offsets or the count need them; "always": on every entry. */
  readonly zip64?: "auto" | "always";
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const EOCD64_SIG = 0x06064b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const EOCD_BYTES = 22;
const EOCD64_BYTES = 56;
const EOCD64_LOCATOR_BYTES = 20;
const ZIP64_EXTRA_ID = 0x0001;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const COMMENT_BYTES_MAX = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** 1980-01-01 in DOS date format (year-1980 << 9 | month << 5 | day). */
const DOS_DATE_1980 = (1 << 5) | 1;
/** "Version made by": Unix (3) << 8 | spec 6.3 (63), so extractors apply the Unix mode. */
const VERSION_MADE_BY = (3 << 8) | 63;
const VERSION_NEEDED_STORED = 10;
const VERSION_NEEDED_ZIP64 = 45;
/** Unix regular file, mode 0644, in the high 16 bits of the external attributes. */
const EXTERNAL_ATTRS_FILE = (0o100644 << 16) >>> 0;

function corrupt(message: string): never {
  throw new LakeError("corruption", `zip: ${message}`);
}

function checkEntryPath(path: string, seen: Set<string>): void {
  const bad = typeof path !== "string" || path === "" || path.startsWith("/") || path.endsWith("/") || path.includes("\\") ||
    path.split("/").some((s) => s === "" || s === "." || s === "..");
  if (bad) throw new LakeError("invalid_argument", `zip: entry path ${JSON.stringify(path)} must be a relative '/'-separated file path without empty, "." or ".." segments`);
  if (seen.has(path)) throw new LakeError("invalid_argument", `zip: entry path ${JSON.stringify(path)} appears twice`);
  seen.add(path);
}

/** A little-endian byte writer over a preallocated array. */
class Out {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly #view: DataView;
  pos = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }
  u16(v: number): void { this.#view.setUint16(this.pos, v, true); this.pos += 2; }
  u32(v: number): void { this.#view.setUint32(this.pos, v >>> 0, true); this.pos += 4; }
  u64(v: number): void { this.#view.setBigUint64(this.pos, BigInt(v), true); this.pos += 8; }
  raw(b: Uint8Array): void { this.bytes.set(b, this.pos); this.pos += b.length; }
}

/**
 * A ZIP archive holding `entries` in the given order, every entry stored (method 0) with its
 * CRC-32 and UTF-8 name. Deterministic (same entries, same bytes).
 * Requires: paths relative, '/'-separated, without empty/"."/".." segments, unique
 * (LakeError("invalid_argument") otherwise); the archive fits one Uint8Array.
 */
export function zipEntries(entries: readonly ZipEntry[], options: ZipOptions = {}): Uint8Array<ArrayBuffer> {
  const always = options.zip64 === "always";
  const seen = new Set<string>();
  const names = entries.map((e) => { checkEntryPath(e.path, seen); return utf8Encode(e.path); });
  for (const n of names) if (n.length > U16_MAX) throw new LakeError("invalid_argument", `zip: an entry path is longer than ${U16_MAX} UTF-8 bytes`);
  // Layout pass: offsets and whether each record needs ZIP64 fields.
  const offsets: number[] = [];
  const zip64: boolean[] = [];
  let pos = 0;
  for (let i = 0; i < entries.length; i++) {
    const size = entries[i]!.bytes.length;
    const big = always || size >= U32_MAX;
    offsets.push(pos);
    zip64.push(big || pos >= U32_MAX);
    pos += LOCAL_HEADER_BYTES + names[i]!.length + (big ? 20 : 0) + size;
  }
  const centralStart = pos;
  let centralBytes = 0;
  for (let i = 0; i < entries.length; i++) centralBytes += CENTRAL_HEADER_BYTES + names[i]!.length + (zip64[i] ? 28 : 0);
  const needEocd64 = always || entries.length >= U16_MAX || centralStart >= U32_MAX || centralBytes >= U32_MAX;
  const out = new Out(centralStart + centralBytes + (needEocd64 ? EOCD64_BYTES + EOCD64_LOCATOR_BYTES : 0) + EOCD_BYTES);
  const crcs: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const bytes = entries[i]!.bytes, name = names[i]!;
    const big = always || bytes.length >= U32_MAX;
    const crc = crc32(bytes);
    crcs.push(crc);
    out.u32(LOCAL_SIG);
    out.u16(big ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED_STORED);
    out.u16(FLAG_UTF8);
    out.u16(METHOD_STORED);
    out.u16(0); // time 00:00:00
    out.u16(DOS_DATE_1980);
    out.u32(crc);
    out.u32(big ? U32_MAX : bytes.length);
    out.u32(big ? U32_MAX : bytes.length);
    out.u16(name.length);
    out.u16(big ? 20 : 0);
    out.raw(name);
    if (big) { out.u16(ZIP64_EXTRA_ID); out.u16(16); out.u64(bytes.length); out.u64(bytes.length); }
    out.raw(bytes);
  }
  for (let i = 0; i < entries.length; i++) {
    const size = entries[i]!.bytes.length, name = names[i]!;
    out.u32(CENTRAL_SIG);
    out.u16(VERSION_MADE_BY);
    out.u16(zip64[i] ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED_STORED);
    out.u16(FLAG_UTF8);
    out.u16(METHOD_STORED);
    out.u16(0);
    out.u16(DOS_DATE_1980);
    out.u32(crcs[i]!);
    out.u32(zip64[i] ? U32_MAX : size);
    out.u32(zip64[i] ? U32_MAX : size);
    out.u16(name.length);
    out.u16(zip64[i] ? 28 : 0);
    out.u16(0); // comment
    out.u16(0); // disk
    out.u16(0); // internal attributes
    out.u32(EXTERNAL_ATTRS_FILE);
    out.u32(zip64[i] ? U32_MAX : offsets[i]!);
    out.raw(name);
    if (zip64[i]) { out.u16(ZIP64_EXTRA_ID); out.u16(24); out.u64(size); out.u64(size); out.u64(offsets[i]!); }
  }
  if (needEocd64) {
    const eocd64At = out.pos;
    out.u32(EOCD64_SIG);
    out.u64(EOCD64_BYTES - 12);
    out.u16(VERSION_MADE_BY);
    out.u16(VERSION_NEEDED_ZIP64);
    out.u32(0);
    out.u32(0);
    out.u64(entries.length);
    out.u64(entries.length);
    out.u64(centralBytes);
    out.u64(centralStart);
    out.u32(EOCD64_LOCATOR_SIG);
    out.u32(0);
    out.u64(eocd64At);
    out.u32(1);
  }
  out.u32(EOCD_SIG);
  out.u16(0);
  out.u16(0);
  out.u16(needEocd64 ? U16_MAX : entries.length);
  out.u16(needEocd64 ? U16_MAX : entries.length);
  out.u32(needEocd64 ? U32_MAX : centralBytes);
  out.u32(needEocd64 ? U32_MAX : centralStart);
  out.u16(0);
  return out.bytes;
}

/** A bounds-checked little-endian reader over the archive. */
class In {
  readonly #view: DataView;
  readonly size: number;
  constructor(zip: Uint8Array) {
    this.#view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    this.size = zip.byteLength;
  }
  #check(at: number, n: number, what: string): void {
    if (at < 0 || at + n > this.size) corrupt(`${what} at offset ${at} runs past the end of the ${this.size}-byte archive (truncated?)`);
  }
  u16(at: number, what: string): number { this.#check(at, 2, what); return this.#view.getUint16(at, true); }
  u32(at: number, what: string): number { this.#check(at, 4, what); return this.#view.getUint32(at, true); }
  u64(at: number, what: string): number {
    this.#check(at, 8, what);
    const v = this.#view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) corrupt(`${what} at offset ${at} holds ${v}, beyond any archive this reader can hold`);
    return Number(v);
  }
  has(at: number, n: number): boolean { return at >= 0 && at + n <= this.size; }
}

interface CentralRecord {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

function findEocd(input: In): number {
  const lowest = Math.max(0, input.size - EOCD_BYTES - COMMENT_BYTES_MAX);
  for (let at = input.size - EOCD_BYTES; at >= lowest; at--) {
    if (input.u32(at, "end record") === EOCD_SIG && at + EOCD_BYTES + input.u16(at + 20, "comment length") === input.size) return at;
  }
  for (let at = input.size - EOCD_BYTES; at >= lowest; at--) if (input.u32(at, "end record") === EOCD_SIG) return at;
  return corrupt(`no end of central directory record in the last ${input.size - lowest} bytes (not a zip archive, or truncated)`);
}

function decodeName(raw: Uint8Array, flags: number, extra: Uint8Array, at: number): string {
  // Info-ZIP stores non-ASCII names of unflagged entries in the Unicode Path extra field 0x7075.
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra[p]! | (extra[p + 1]! << 8), len = extra[p + 2]! | (extra[p + 3]! << 8);
    if (id === 0x7075 && len >= 5 && (flags & FLAG_UTF8) === 0) {
      try { return utf8Decode(extra.subarray(p + 9, p + 4 + len)); } catch { break; }
    }
    p += 4 + len;
  }
  try {
    return utf8Decode(raw);
  } catch {
    return corrupt(`entry name at offset ${at} is not UTF-8 (archives with legacy code-page names are not supported)`);
  }
}

function readCentral(input: In, zip: Uint8Array): CentralRecord[] {
  const eocd = findEocd(input);
  let count = input.u16(eocd + 10, "entry count");
  let centralBytes = input.u32(eocd + 12, "central directory size");
  let centralStart = input.u32(eocd + 16, "central directory offset");
  const locator = eocd - EOCD64_LOCATOR_BYTES;
  if (input.has(locator, 4) && input.u32(locator, "zip64 locator") === EOCD64_LOCATOR_SIG) {
    const at = input.u64(locator + 8, "zip64 end record offset");
    if (input.u32(at, "zip64 end record") !== EOCD64_SIG) corrupt(`zip64 end record expected at offset ${at}`);
    count = input.u64(at + 32, "zip64 entry count");
    centralBytes = input.u64(at + 40, "zip64 central directory size");
    centralStart = input.u64(at + 48, "zip64 central directory offset");
  }
  if (centralStart + centralBytes > input.size) corrupt(`central directory [${centralStart}, ${centralStart + centralBytes}) runs past the end of the ${input.size}-byte archive`);
  const records: CentralRecord[] = [];
  let at = centralStart;
  for (let i = 0; i < count; i++) {
    if (input.u32(at, "central header") !== CENTRAL_SIG) corrupt(`central header ${i} expected at offset ${at}`);
    const flags = input.u16(at + 8, "flags"), method = input.u16(at + 10, "method"), crc = input.u32(at + 16, "crc");
    let compressedSize = input.u32(at + 20, "compressed size"), size = input.u32(at + 24, "size");
    const nameLen = input.u16(at + 28, "name length"), extraLen = input.u16(at + 30, "extra length"), commentLen = input.u16(at + 32, "comment length");
    let localOffset = input.u32(at + 42, "local header offset");
    if (!input.has(at + CENTRAL_HEADER_BYTES, nameLen + extraLen + commentLen)) corrupt(`central header ${i} at offset ${at} runs past the end of the archive`);
    const nameStart = at + CENTRAL_HEADER_BYTES;
    const extra = zip.subarray(nameStart + nameLen, nameStart + nameLen + extraLen);
    const name = decodeName(zip.subarray(nameStart, nameStart + nameLen), flags, extra, at);
    for (let p = 0; p + 4 <= extra.length;) {
      const id = extra[p]! | (extra[p + 1]! << 8), len = extra[p + 2]! | (extra[p + 3]! << 8);
      if (id === ZIP64_EXTRA_ID) {
        const extraIn = new In(extra.subarray(p + 4, p + 4 + len));
        let q = 0;
        const next = (what: string): number => { const v = extraIn.u64(q, `zip64 ${what} of ${JSON.stringify(name)}`); q += 8; return v; };
        if (size === U32_MAX) size = next("size");
        if (compressedSize === U32_MAX) compressedSize = next("compressed size");
        if (localOffset === U32_MAX) localOffset = next("offset");
      }
      p += 4 + len;
    }
    records.push({ name, flags, method, crc, compressedSize, size, localOffset });
    at = nameStart + nameLen + extraLen + commentLen;
  }
  return records;
}

async function inflateRaw(data: Uint8Array, expectedBytes: number, name: string): Promise<Uint8Array> {
  const Ds = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> }).DecompressionStream;
  if (Ds === undefined) throw new LakeError("unsupported", `zip: entry ${JSON.stringify(name)} is deflated and this runtime has no DecompressionStream("deflate-raw")`);
  const stream = new Ds("deflate-raw");
  const writer = stream.writable.getWriter();
  const written = writer.write(new Uint8Array(data)).then(() => writer.close());
  written.catch(() => {});
  const reader = stream.readable.getReader();
  const out = new Uint8Array(expectedBytes);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.length > expectedBytes) {
        await reader.cancel().catch(() => {});
        corrupt(`entry ${JSON.stringify(name)} inflates to more than its declared ${expectedBytes} bytes`);
      }
      out.set(value, filled);
      filled += value.length;
    }
    await written;
  } catch (error) {
    if (error instanceof LakeError) throw error;
    corrupt(`entry ${JSON.stringify(name)} has damaged deflate data (${error instanceof Error ? error.message : String(error)})`);
  }
  if (filled !== expectedBytes) corrupt(`entry ${JSON.stringify(name)} inflates to ${filled} bytes, its header says ${expectedBytes}`);
  return out;
}

/**
 * The file entries of a ZIP archive, in central-directory order (directory entries skipped),
 * each with its own bytes. Reads stored and deflated entries (deflate through the runtime's
 * `DecompressionStream("deflate-raw")`), ZIP64 archives and archives with a trailing comment.
 * Rejects: damaged or truncated input, a size or CRC-32 mismatch with LakeError("corruption",
 * "zip: ...") naming the entry or offset; encrypted entries, other methods, or deflate without
 * DecompressionStream with LakeError("unsupported") naming the entry.
 */
export async function unzipEntries(zip: Uint8Array): Promise<ZipEntry[]> {
  const input = new In(zip);
  const out: ZipEntry[] = [];
  for (const r of readCentral(input, zip)) {
    if (r.name.endsWith("/") && r.size === 0) continue;
    const quoted = JSON.stringify(r.name);
    if ((r.flags & FLAG_ENCRYPTED) !== 0) throw new LakeError("unsupported", `zip: entry ${quoted} is encrypted`);
    if (r.method !== METHOD_STORED && r.method !== METHOD_DEFLATE) {
      throw new LakeError("unsupported", `zip: entry ${quoted} uses compression method ${r.method}; only stored (0) and deflate (8) are supported`);
    }
    if (input.u32(r.localOffset, `local header of ${quoted}`) !== LOCAL_SIG) corrupt(`local header of entry ${quoted} expected at offset ${r.localOffset}`);
    const dataStart = r.localOffset + LOCAL_HEADER_BYTES + input.u16(r.localOffset + 26, "name length") + input.u16(r.localOffset + 28, "extra length");
    if (!input.has(dataStart, r.compressedSize)) corrupt(`data of entry ${quoted} [${dataStart}, ${dataStart + r.compressedSize}) runs past the end of the ${input.size}-byte archive (truncated?)`);
    const data = zip.subarray(dataStart, dataStart + r.compressedSize);
    let bytes: Uint8Array;
    if (r.method === METHOD_STORED) {
      if (r.compressedSize !== r.size) corrupt(`stored entry ${quoted} has compressed size ${r.compressedSize} != size ${r.size}`);
      bytes = data.slice();
    } else {
      bytes = await inflateRaw(data, r.size, r.name);
    }
    const crc = crc32(bytes);
    if (crc !== r.crc) corrupt(`entry ${quoted} at offset ${r.localOffset} has CRC-32 ${crc.toString(16)}, its header says ${r.crc.toString(16)}`);
    out.push({ path: r.name, bytes });
  }
  return out;
}
