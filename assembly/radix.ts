/**
 * Stable radix sort of packed words `(key32 << 32) | row` by their upper 32 bits.
 *
 * Contract: `sortWords` leaves the words of [w, w + n) ordered by upper half (unsigned), equal
 * upper halves in their input order, in place; the scratch array is clobbered. One word is one
 * 8-byte load and store per pass, so a pass moves a third less than (u64 key, u32 row) pairs and
 * there are 4 byte digits instead of 8. A digit on which every word agrees is skipped (found by
 * histogram), so narrow key ranges and shared bytes cost nothing. From MSD_ROWS_MIN rows on, one
 * MSD pass on the highest varying byte comes first, so the LSD passes run on buckets that sit in
 * L2 cache.
 *
 * Imports: nothing. No allocation: histograms are static.
 */

/** Four 256-entry u32 histograms, one per byte of the upper half. */
const HIST: usize = memory.data(4 * 256 * 4, 16);
/** Bucket ends of the MSD pass (257 u32). */
const BUCKETS: usize = memory.data(257 * 4, 16);
/** Two 4096-entry u32 histograms for 12-bit digits. */
const HIST12: usize = memory.data(2 * 4096 * 4, 16);
/** From this many rows on, `sortWords` does an MSD pass before the LSD passes. */
const MSD_ROWS_MIN: u32 = 1 << 14;
/** Buckets of at least this many rows sort their low 24 bits as two 12-bit digits. */
const WIDE_DIGIT_ROWS_MIN: u32 = 1 << 10;

// @ts-ignore: decorator
@inline function bump(h: usize): void {
  store<u32>(h, load<u32>(h) + 1);
}

/**
 * LSD radix of m words at w using scratch s, byte digits of the upper half, constant digits
 * skipped. Returns true when the sorted words ended in the scratch array.
 */
export function lsdWords(w: usize, s: usize, m: u32): bool {
  if (m < 2) return false;
  memory.fill(HIST, 0, 4 * 256 * 4);
  const end = w + (<usize>m << 3);
  for (let p = w; p < end; p += 8) {
    const k = <u32>(load<u64>(p) >> 32);
    bump(HIST + ((<usize>k & 255) << 2));
    bump(HIST + 1024 + ((<usize>(k >> 8) & 255) << 2));
    bump(HIST + 2048 + ((<usize>(k >> 16) & 255) << 2));
    bump(HIST + 3072 + (<usize>(k >> 24) << 2));
  }
  const first = <u32>(load<u64>(w) >> 32);
  let src = w, dst = s;
  let flipped = false;
  for (let d: u32 = 0; d < 4; d++) {
    const h = HIST + (<usize>d << 10);
    const shift = <u64>(32 + (d << 3));
    if (load<u32>(h + ((<usize>(first >> (d << 3)) & 255) << 2)) == m) continue;
    let sum: u32 = 0;
    for (let c: usize = 0; c < 256; c++) {
      const t = load<u32>(h + (c << 2));
      store<u32>(h + (c << 2), sum);
      sum += t;
    }
    const srcEnd = src + (<usize>m << 3);
    for (let p = src; p < srcEnd; p += 8) {
      const x = load<u64>(p);
      const slot = h + ((<usize>(x >> shift) & 255) << 2);
      const pos = load<u32>(slot);
      store<u32>(slot, pos + 1);
      store<u64>(dst + (<usize>pos << 3), x);
    }
    const t = src; src = dst; dst = t;
    flipped = !flipped;
  }
  return flipped;
}

/**
 * LSD radix of m words at w using scratch s on bits 32..55 as two 12-bit digits (bits 56..63
 * must be equal in all words). Returns true when the sorted words ended in the scratch array.
 */
function lsdWords12(w: usize, s: usize, m: u32): bool {
  memory.fill(HIST12, 0, 2 * 4096 * 4);
  const end = w + (<usize>m << 3);
  for (let p = w; p < end; p += 8) {
    const x = load<u64>(p);
    bump(HIST12 + ((<usize>(x >> 32) & 4095) << 2));
    bump(HIST12 + 16384 + ((<usize>(x >> 44) & 4095) << 2));
  }
  const first = load<u64>(w);
  let src = w, dst = s;
  let flipped = false;
  for (let d: u32 = 0; d < 2; d++) {
    const h = HIST12 + (<usize>d << 14);
    const shift = <u64>(32 + d * 12);
    if (load<u32>(h + ((<usize>(first >> shift) & 4095) << 2)) == m) continue;
    let sum: u32 = 0;
    for (let c: usize = 0; c < 4096; c++) {
      const t = load<u32>(h + (c << 2));
      store<u32>(h + (c << 2), sum);
      sum += t;
    }
    const srcEnd = src + (<usize>m << 3);
    for (let p = src; p < srcEnd; p += 8) {
      const x = load<u64>(p);
      const slot = h + ((<usize>(x >> shift) & 4095) << 2);
      const pos = load<u32>(slot);
      store<u32>(slot, pos + 1);
      store<u64>(dst + (<usize>pos << 3), x);
    }
    const t = src; src = dst; dst = t;
    flipped = !flipped;
  }
  return flipped;
}

/** True when `sortWords` on n rows will use top-byte counts made with `countTop`. */
// @ts-ignore: decorator
@inline export function wantsTopCounts(n: u32): bool {
  return n >= MSD_ROWS_MIN;
}

/** Clears the top-byte counts before a pass of `countTop` calls. */
export function clearTopCounts(): void {
  memory.fill(BUCKETS, 0, 257 * 4);
}

/** Counts one key's top byte (bits 24..31 of the 32-bit key), fused into the caller's pass. */
// @ts-ignore: decorator
@inline export function countTop(key: u32): void {
  bump(BUCKETS + 4 + (<usize>(key >> 24) << 2));
}

/**
 * Sorts the n words at w by upper half, stable, in place; s is n words of scratch. `diff` is
 * the OR over all words of (upper half XOR first word's upper half): the bits that vary.
 * `topCounted`: the caller already counted every key with `countTop` after `clearTopCounts`.
 */
export function sortWords(w: usize, s: usize, n: u32, diff: u32, topCounted: bool = false): void {
  if (n < 2 || diff == 0) return;
  if (n < MSD_ROWS_MIN) {
    if (lsdWords(w, s, n)) memory.copy(w, s, <usize>n << 3);
    return;
  }
  const shift = <u64>(32 + (((31 - clz<u32>(diff)) >> 3) << 3));
  const end = w + (<usize>n << 3);
  if (!topCounted || shift != 56) {
    memory.fill(BUCKETS, 0, 257 * 4);
    for (let p = w; p < end; p += 8) bump(BUCKETS + 4 + ((<usize>(load<u64>(p) >> shift) & 255) << 2));
  }
  for (let c: usize = 1; c <= 256; c++) {
    store<u32>(BUCKETS + (c << 2), load<u32>(BUCKETS + (c << 2)) + load<u32>(BUCKETS + ((c - 1) << 2)));
  }
  // Scatter into scratch; BUCKETS[c] advances from start(c) to start(c + 1) = end(c).
  for (let p = w; p < end; p += 8) {
    const x = load<u64>(p);
    const slot = BUCKETS + ((<usize>(x >> shift) & 255) << 2);
    const pos = load<u32>(slot);
    store<u32>(slot, pos + 1);
    store<u64>(s + (<usize>pos << 3), x);
  }
  let start: u32 = 0;
  for (let c: usize = 0; c < 256; c++) {
    const stop = load<u32>(BUCKETS + (c << 2));
    const m = stop - start;
    if (m > 0) {
      const a = s + (<usize>start << 3), b = w + (<usize>start << 3);
      const inB = shift == 56 && m >= WIDE_DIGIT_ROWS_MIN ? lsdWords12(a, b, m) : lsdWords(a, b, m);
      if (!inB) memory.copy(b, a, <usize>m << 3);
    }
    start = stop;
  }
}
