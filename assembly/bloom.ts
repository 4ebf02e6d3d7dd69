/**
 * Split-block bloom filter build over u64 keys: hashes each key and sets its 8 bits in its
 * 256-bit block, the block chosen by the key's hash or by its position (see below). The twin is
 * src/kernel/reference_bloom.ts (`bloomBuildU64Twin`); both give the same filter words.
 *
 * Contract (`bloomBuildU64`): keys in KEYS_A as (lo u32, hi u32) word pairs, `count` of them;
 * the filter is `blocks` blocks of 8 u32 words in U32_A. `first` = 1 zeroes the filter and the
 * run state before adding the keys (later calls of the same build continue it). Hash pair: the
 * mix of `hashWordsPair` (reference_bloom.ts). Block: `scale` = 0 gives
 * `floor(h1 * blocks / 2^32)` (f64 arithmetic, as the twin); `scale` > 0 gives the position
 * block `floor(((hi - minHi) * 2^32 + (lo - minLo)) * scale)`, clamped to blocks - 1 (keys
 * must lie in [min, max]). Returns the longest run of consecutive keys that fell into the same
 * block so far in this build (position blocks; 0 for hash blocks): the caller rebuilds with hash
 * blocks when it is too long.
 *
 * Invariants: every f64 expression is the twin's, operation for operation (IEEE results are
 * then identical); u32 multiplications wrap as `Math.imul`. Imports: abi.ts.
 */

import { regionOffset, REGION_KEYS_A, REGION_U32_A } from "./abi";

let runBlock: i64 = -1;
let runLength: u32 = 0;
let runMax: u32 = 0;

// @ts-ignore: decorator
@inline function setBits(filter: usize, block: u32, h2: u32): void {
  const b = filter + (<usize>block << 5);
  store<u32>(b, load<u32>(b) | (1 << ((h2 * 0x47b6137b) >>> 27)));
  store<u32>(b + 4, load<u32>(b + 4) | (1 << ((h2 * 0x44974d91) >>> 27)));
  store<u32>(b + 8, load<u32>(b + 8) | (1 << ((h2 * 0x8824ad5b) >>> 27)));
  store<u32>(b + 12, load<u32>(b + 12) | (1 << ((h2 * 0xa2b7289d) >>> 27)));
  store<u32>(b + 16, load<u32>(b + 16) | (1 << ((h2 * 0x705495c7) >>> 27)));
  store<u32>(b + 20, load<u32>(b + 20) | (1 << ((h2 * 0x2df1424b) >>> 27)));
  store<u32>(b + 24, load<u32>(b + 24) | (1 << ((h2 * 0x9efc4947) >>> 27)));
  store<u32>(b + 28, load<u32>(b + 28) | (1 << ((h2 * 0x5c6bfb31) >>> 27)));
}

/** Adds `count` u64 keys to the filter (see the file header). */
export function bloomBuildU64(count: u32, blocks: u32, minHi: u32, minLo: u32, scale: f64, first: u32): u32 {
  const keys = regionOffset(REGION_KEYS_A), filter = regionOffset(REGION_U32_A);
  if (first != 0) {
    memory.fill(filter, 0, <usize>blocks << 5);
    runBlock = -1;
    runLength = 0;
    runMax = 0;
  }
  const fBlocks = <f64>blocks, fMinHi = <f64>minHi, fMinLo = <f64>minLo;
  for (let j: u32 = 0; j < count; j++) {
    const lo = load<u32>(keys + (<usize>j << 3)), hi = load<u32>(keys + (<usize>j << 3) + 4);
    // hashWordsPair (reference_bloom.ts)
    let a: u32 = ((lo ^ 0x9e3779b9) * 0x85ebca6b) ^ hi;
    a ^= a >>> 16; a = a * 0x7feb352d; a ^= a >>> 15; a = a * 0x846ca68b; a ^= a >>> 16;
    let b: u32 = ((hi ^ 0xc2b2ae35) * 0x27d4eb2f) ^ lo ^ a;
    b ^= b >>> 15; b = b * 0x2c1b3c6d; b ^= b >>> 12; b = b * 0x297a2d39; b ^= b >>> 15;
    let block: u32;
    if (scale > 0) {
      const offset = (<f64>hi - fMinHi) * 4294967296.0 + (<f64>lo - fMinLo);
      const p = Math.floor(offset * scale);
      block = p >= fBlocks ? blocks - 1 : <u32>p;
      if (<i64>block == runBlock) runLength++;
      else { runBlock = <i64>block; runLength = 1; }
      if (runLength > runMax) runMax = runLength;
    } else {
      block = <u32>Math.floor(<f64>a * fBlocks / 4294967296.0);
    }
    setBits(filter, block, b);
  }
  return runMax;
}
