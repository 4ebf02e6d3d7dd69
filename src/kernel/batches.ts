/**
 * Batch helpers of the WASM kernel host (kernel.ts): cutting byte keys into batches that fit
 * the per-call limits, and building the ByteKeys a batched sort merges.
 *
 * Invariants: pure functions over their arguments; no WebAssembly here.
 * Imports: kernel/reference.ts (types). Mirrors no Java class.
 */
import type { ByteKeys } from "./reference.ts";

/** [start, end) row ranges of `keys`, each within the limits (at least one row each). */
export function planBatches(keys: ByteKeys, from: number, to: number, rowsMax: number, bytesMax: number): number[] {
  const o = keys.offsets;
  const cuts = [from];
  let start = from;
  for (let i = from; i < to; i++) {
    if (i > start && (i - start >= rowsMax || o[i + 1]! - o[start]! > bytesMax)) { cuts.push(i); start = i; }
  }
  if (to > from) cuts.push(to);
  return cuts;
}

/** Copies keys `ids` of `keys` into fresh contiguous ByteKeys. */
export function gatherKeys(keys: ByteKeys, ids: ArrayLike<number>): ByteKeys {
  const o = keys.offsets;
  const offsets = new Uint32Array(ids.length + 1);
  for (let j = 0; j < ids.length; j++) offsets[j + 1] = offsets[j]! + o[ids[j]! + 1]! - o[ids[j]!]!;
  const bytes = new Uint8Array(offsets[ids.length]!);
  for (let j = 0; j < ids.length; j++) bytes.set(keys.bytes.subarray(o[ids[j]!]!, o[ids[j]! + 1]!), offsets[j]!);
  return { bytes, offsets };
}

/** Big-endian 8-byte ByteKeys of u64 values (used only on the over-a-batch path). */
export function u64AsKeys(values: BigUint64Array): ByteKeys {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  const offsets = new Uint32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) { view.setBigUint64(i * 8, values[i]!, false); offsets[i + 1] = (i + 1) * 8; }
  return { bytes, offsets };
}
