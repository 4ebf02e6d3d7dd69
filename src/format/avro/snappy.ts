/**
 * Raw snappy compression (the block format, no framing), used to write Avro `snappy` blocks.
 * Decompression uses hyparquet's `snappyUncompress` (see `codecs.ts`).
 *
 * Byte layout (google/snappy format_description.txt):
 *   varint (unsigned LEB128) uncompressed length, then elements:
 *   literal  tag (len-1)<<2 | 0 for len <= 60, else tag (59+k)<<2 | 0 and k little-endian bytes
 *            of len-1 (k = 1..4), then the bytes;
 *   copy-1   tag (len-4)<<2 | (offset>>8)<<5 | 1, one byte offset&0xff (len 4..11, offset < 2048);
 *   copy-2   tag (len-1)<<2 | 2, two bytes little-endian offset (len 1..64, offset < 65536).
 * The input is compressed in independent 64 KiB blocks (so every offset fits copy-2), matching
 * candidates found through a 2^14-entry hash table of 4-byte sequences, as the reference does.
 *
 * Invariants: output decodes with any conforming snappy decoder to exactly the input.
 *
 * Imports: nothing.
 * Mirrors: org.xerial.snappy.Snappy.compress (google/snappy), used by org.apache.avro.file.SnappyCodec.
 */

const BLOCK_BYTES = 65536;
const HASH_BITS = 14;
/** Positions closer than this to the block end are emitted as literals (4-byte loads stay in bounds). */
const INPUT_MARGIN_BYTES = 15;

function load32(a: Uint8Array, i: number): number {
  return (a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16) | (a[i + 3]! << 24)) >>> 0;
}

function hash32(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

class Output {
  buf: Uint8Array<ArrayBuffer>;
  len = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  byte(b: number): void {
    this.buf[this.len++] = b;
  }
}

/** Worst-case compressed size of `n` bytes (the reference's MaxCompressedLength). */
export function snappyMaxCompressedBytes(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

function emitLiteral(out: Output, input: Uint8Array, start: number, end: number): void {
  const len = end - start;
  if (len === 0) return;
  const n = len - 1;
  if (n < 60) {
    out.byte(n << 2);
  } else {
    const k = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    out.byte((59 + k) << 2);
    for (let i = 0; i < k; i++) out.byte((n >>> (8 * i)) & 0xff);
  }
  out.buf.set(input.subarray(start, end), out.len);
  out.len += len;
}

function emitCopyUpTo64(out: Output, offset: number, len: number): void {
  if (len >= 4 && len <= 11 && offset < 2048) {
    out.byte(((len - 4) << 2) | ((offset >>> 8) << 5) | 1);
    out.byte(offset & 0xff);
  } else {
    out.byte(((len - 1) << 2) | 2);
    out.byte(offset & 0xff);
    out.byte(offset >>> 8);
  }
}

function emitCopy(out: Output, offset: number, len: number): void {
  // Keep every piece >= 4 bytes so the last one can still use copy-1 when it fits.
  while (len >= 68) {
    emitCopyUpTo64(out, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    emitCopyUpTo64(out, offset, 60);
    len -= 60;
  }
  emitCopyUpTo64(out, offset, len);
}

function compressBlock(out: Output, input: Uint8Array, start: number, end: number, table: Int32Array): void {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN_BYTES) {
    table.fill(-1);
    const ipLimit = end - INPUT_MARGIN_BYTES;
    let ip = start;
    while (ip < ipLimit) {
      const h = hash32(load32(input, ip));
      const candidate = table[h]!;
      table[h] = ip;
      if (candidate < 0 || load32(input, candidate) !== load32(input, ip)) {
        ip++;
        continue;
      }
      emitLiteral(out, input, nextEmit, ip);
      let matchLen = 4;
      while (ip + matchLen < end && input[candidate + matchLen] === input[ip + matchLen]) matchLen++;
      emitCopy(out, ip - candidate, matchLen);
      ip += matchLen;
      nextEmit = ip;
    }
  }
  emitLiteral(out, input, nextEmit, end);
}

/** Compresses `input` into the raw snappy block format. */
export function snappyCompress(input: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Output(snappyMaxCompressedBytes(input.length));
  let n = input.length;
  while (n >= 0x80) {
    out.byte((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.byte(n);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += BLOCK_BYTES) {
    compressBlock(out, input, start, Math.min(input.length, start + BLOCK_BYTES), table);
  }
  return out.buf.slice(0, out.len);
}
