/**
 * Byte helpers shared by every layer: compare, concat, equality, hex, UTF-8.
 *
 * Contract: pure functions over Uint8Array; never retain or mutate their inputs.
 * Imports: nothing.
 */

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder("utf-8", { fatal: true });

/** Unsigned lexicographic compare (memcmp order): negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when both arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenates `parts` into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, "0");
  return s;
}

/** Parses hex (any case, even length) into bytes. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new RangeError(`bytes: not a hex string: ${JSON.stringify(hex.slice(0, 40))}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** UTF-8 encode. */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return UTF8_ENCODER.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Strict UTF-8 decode: invalid bytes throw a TypeError. */
export function utf8Decode(bytes: Uint8Array): string {
  return UTF8_DECODER.decode(bytes);
}
