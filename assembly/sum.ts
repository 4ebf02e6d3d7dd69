/**
 * Per-slot sums of double columns: the aggregation engine's `sum` fold of a write buffer
 * (src/lsm/write_fold.ts) adds each row's values into the accumulators of its key's slot. The
 * twin is src/kernel/reference_sum.ts (`sumF64BySlotTwin`); both give the same sums, bit for bit.
 *
 * Why here: the fold is one random read-modify-write per row and column over accumulators of
 * megabytes. Measured on 5M rows over 1M slots with two columns, this loop with its copies in
 * and out takes about 60 ms where the best plain-TypeScript form (slot-range partitioning,
 * the twin) takes 120-170 ms and a direct TypeScript loop 180-350 ms.
 *
 * Contract (`sumF64BySlot(n, k, lo, window)`): U32_A holds the slots of n rows; KEYS_A holds k
 * columns of n f64 values each, column j at byte `8 * j * n`; KEYS_B holds k accumulator
 * columns of `window` f64 each, column j at byte `8 * j * window`, for slots [lo, lo + window).
 * Each row whose slot lies in that window adds its value of column j to `acc_j[slot - lo]`, rows
 * in order (so each slot's additions happen in row order, the order of a row-by-row fold).
 * Rows outside the window are skipped. Returns the number of rows added (the host checks that
 * every row landed in exactly one window). The host zeroes (to -0.0) the accumulators.
 *
 * Invariants: additions are plain f64 `+`, the twin's operation; nothing else touches the values.
 * Imports: abi.ts.
 */

import { regionOffset, REGION_KEYS_A, REGION_KEYS_B, REGION_U32_A } from "./abi";

export function sumF64BySlot(n: u32, k: u32, lo: u32, window: u32): u32 {
  const slots = regionOffset(REGION_U32_A);
  const values = regionOffset(REGION_KEYS_A);
  const acc = regionOffset(REGION_KEYS_B);
  let added: u32 = 0;
  if (k == 2) {
    const v1 = values + (<usize>n << 3), a1 = acc + (<usize>window << 3);
    for (let i: usize = 0; i < <usize>n; i++) {
      const s = load<u32>(slots + (i << 2)) - lo;
      if (s >= window) continue;
      const at = <usize>s << 3;
      store<f64>(acc + at, load<f64>(acc + at) + load<f64>(values + (i << 3)));
      store<f64>(a1 + at, load<f64>(a1 + at) + load<f64>(v1 + (i << 3)));
      added++;
    }
    return added;
  }
  const valueStride = <usize>n << 3, accStride = <usize>window << 3;
  for (let i: usize = 0; i < <usize>n; i++) {
    const s = load<u32>(slots + (i << 2)) - lo;
    if (s >= window) continue;
    let a = acc + (<usize>s << 3), v = values + (i << 3);
    for (let j: u32 = 0; j < k; j++) {
      store<f64>(a, load<f64>(a) + load<f64>(v));
      a += accStride;
      v += valueStride;
    }
    added++;
  }
  return added;
}
