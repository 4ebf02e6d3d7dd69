/**
 * memcmp-order primitives over byte keys in linear memory: 8-byte big-endian chunks, compare,
 * equality.
 *
 * Contract: a key is (pointer, length). Order is unsigned lexicographic byte order, a proper
 * prefix sorts first (memcmp then length). `chunkAt` zero-pads short tails, so two chunks that
 * differ order their keys exactly as the keys order, and two equal chunks leave the order to the
 * bytes after the chunk and to the lengths. No allocation, no reads outside [p, p + len).
 *
 * Imports: nothing.
 */

/** Bytes [p, p + rem) read as a big-endian u64, zero-padded when rem < 8 (rem may be <= 0). */
// @ts-ignore: decorator
@inline export function chunkAt(p: usize, rem: i32): u64 {
  if (rem >= 8) return bswap<u64>(load<u64>(p));
  return chunkShort(p, rem);
}

function chunkShort(p: usize, rem: i32): u64 {
  let v: u64 = 0;
  for (let i = 0; i < rem; i++) v = (v << 8) | <u64>load<u8>(p + <usize>i);
  return rem > 0 ? v << (<u64>(8 - rem) << 3) : 0;
}

/** Unsigned lexicographic compare of [pa, pa + la) and [pb, pb + lb): -1, 0 or 1. */
export function compareBytes(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  const n = min(la, lb);
  let i: u32 = 0;
  while (i + 8 <= n) {
    const a = load<u64>(pa + <usize>i);
    const b = load<u64>(pb + <usize>i);
    if (a != b) return bswap<u64>(a) < bswap<u64>(b) ? -1 : 1;
    i += 8;
  }
  while (i < n) {
    const a = load<u8>(pa + <usize>i);
    const b = load<u8>(pb + <usize>i);
    if (a != b) return a < b ? -1 : 1;
    i++;
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** True when [pa, pa + len) and [pb, pb + len) hold the same bytes. */
export function equalBytes(pa: usize, pb: usize, len: u32): bool {
  let i: u32 = 0;
  while (i + 8 <= len) {
    if (load<u64>(pa + <usize>i) != load<u64>(pb + <usize>i)) return false;
    i += 8;
  }
  while (i < len) {
    if (load<u8>(pa + <usize>i) != load<u8>(pb + <usize>i)) return false;
    i++;
  }
  return true;
}

/**
 * Compares two keys whose first-8-byte chunks are equal: skips the bytes both keys are known to
 * share (min(8, la, lb)) and compares the rest.
 */
export function compareAfterEqualChunk(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  const skip = min(min(la, lb), 8);
  return compareBytes(pa + <usize>skip, la - skip, pb + <usize>skip, lb - skip);
}
