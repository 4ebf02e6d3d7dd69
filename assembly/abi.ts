/**
 * ABI of the key kernel: version, region ids, and the region layout over linear memory.
 *
 * Contract: the host (src/kernel/kernel.ts) crosses the boundary with primitives only. It asks
 * for a layout sized for the next call (`layout(rows, bytesA, bytesB)`), reads each region's
 * byte offset with `regionOffset(id)`, copies inputs in, calls one kernel function, and copies
 * results out. Regions never overlap, start 16-byte aligned, and move only when `layout` is
 * called with a larger capacity than before (memory only grows; the host re-creates its views
 * whenever `memory.buffer` changes). Nothing in the kernel allocates: there is no heap.
 *
 * Invariants: ABI_VERSION changes whenever an export, a region id, the run-table format or a
 * region's size rule changes; src/kernel/abi.ts mirrors every constant here and refuses a
 * module whose version differs.
 *
 * Imports: nothing. Mirrors no Java class (the kernel knows nothing about Paimon); the model is
 * as-sha256's fixed-region, primitives-only ABI.
 */

/** Bump on any change to exports, region ids, region size rules or the run table. */
export const ABI_VERSION: i32 = 3;

/** Key bytes: sort input, merge windows, search table; or u64 sort input / u64 search table; or slot-sum values. */
export const REGION_KEYS_A: i32 = 0;
/** u32 offsets for KEYS_A: rows + RUNS_MAX + 1 entries. */
export const REGION_OFFS_A: i32 = 1;
/** Probe key bytes for search; or u64 probes; or slot-sum accumulators. */
export const REGION_KEYS_B: i32 = 2;
/** u32 offsets for KEYS_B: rows + 1 entries. */
export const REGION_OFFS_B: i32 = 3;
/** u64 × rows: sort words (chunk << 32 | row). */
export const REGION_U64_A: i32 = 4;
/** u64 × rows: sort scratch words. */
export const REGION_U64_B: i32 = 5;
/** u32 × rows: permutation out / merge run out / search index out / bloom filter words / slot-sum slots. */
export const REGION_U32_A: i32 = 6;
/** u32 × rows: merge row out / probe order. */
export const REGION_U32_B: i32 = 7;
/** u8 × (rows + 16): merge group starts / search found flags / sort work stack. */
export const REGION_U8: i32 = 8;
/** Merge run table: RUNS_MAX entries of RUN_STRIDE_BYTES (fixed, static). */
export const REGION_RUNS: i32 = 9;
/** Number of regions. */
export const REGION_COUNT: i32 = 10;

/** Most runs one merge call accepts (loser-tree leaves). */
export const RUNS_MAX: i32 = 1024;
/** Bytes per run-table entry: 8 u32 fields, see RUN_* below. */
export const RUN_STRIDE_BYTES: i32 = 32;
/** Run field (host writes): index into OFFS_A of the window's first offset. */
export const RUN_OFF_INDEX: i32 = 0;
/** Run field (host writes): rows in the window. */
export const RUN_ROWS: i32 = 4;
/** Run field (host writes): 1 if the window ends the run, 0 if more rows follow. */
export const RUN_FINAL: i32 = 8;
/** Run field (host writes): address added to an offset to reach the key's bytes (wraps mod 2^32). */
export const RUN_DATA_BASE: i32 = 12;
/** Run field (host writes): row number of the window's first row, added to emitted rows. */
export const RUN_ROW_BASE: i32 = 16;
/** Run field (kernel writes): rows of the window consumed by the call. */
export const RUN_CURSOR: i32 = 20;

/** Largest linear memory the layout may ask for: 4 GiB minus one page (wasm32 limit). */
const MEMORY_BYTES_MAX: u64 = 0xffff0000;

/** Region table: (offset u32, bytes u32) per region. */
const REGION_TABLE: usize = memory.data(REGION_COUNT * 8, 16);
/** Static run table. */
const RUN_TABLE: usize = memory.data(RUNS_MAX * RUN_STRIDE_BYTES, 16);

/** Byte offset of region `id` (valid after the last successful `layout`). */
export function regionOffset(id: i32): usize {
  return load<u32>(REGION_TABLE + (<usize>id << 3));
}

/** Size in bytes of region `id` (valid after the last successful `layout`). */
export function regionBytes(id: i32): usize {
  return load<u32>(REGION_TABLE + (<usize>id << 3) + 4);
}

function place(id: i32, at: u64, bytes: u64): u64 {
  const start = (at + 15) & ~(<u64>15);
  store<u32>(REGION_TABLE + (<usize>id << 3), <u32>min(start, MEMORY_BYTES_MAX));
  store<u32>(REGION_TABLE + (<usize>id << 3) + 4, <u32>min(bytes, MEMORY_BYTES_MAX));
  return start + bytes;
}

/**
 * Lays the regions out for calls of up to `rows` rows, `bytesA` key bytes in KEYS_A and
 * `bytesB` in KEYS_B, growing memory when needed. Returns 0, or -1 when the layout would
 * exceed 4 GiB or memory cannot grow (the previous layout is then no longer valid either).
 */
export function layout(rows: u32, bytesA: u32, bytesB: u32): i32 {
  const r = <u64>rows;
  store<u32>(REGION_TABLE + (<usize>REGION_RUNS << 3), <u32>RUN_TABLE);
  store<u32>(REGION_TABLE + (<usize>REGION_RUNS << 3) + 4, <u32>(RUNS_MAX * RUN_STRIDE_BYTES));
  let p: u64 = <u64>__heap_base;
  p = place(REGION_KEYS_A, p, <u64>bytesA);
  p = place(REGION_OFFS_A, p, (r + <u64>RUNS_MAX + 1) << 2);
  p = place(REGION_KEYS_B, p, <u64>bytesB);
  p = place(REGION_OFFS_B, p, (r + 1) << 2);
  p = place(REGION_U64_A, p, r << 3);
  p = place(REGION_U64_B, p, r << 3);
  p = place(REGION_U32_A, p, r << 2);
  p = place(REGION_U32_B, p, r << 2);
  p = place(REGION_U8, p, r + 16);
  p += 16; // slack: 8-byte loads at the very end of a region stay inside memory
  if (p > MEMORY_BYTES_MAX) return -1;
  const needPages = <i32>((p + 0xffff) >> 16);
  const havePages = memory.size();
  if (needPages > havePages && memory.grow(needPages - havePages) < 0) return -1;
  return 0;
}

/** Address of run `r`'s table entry. */
// @ts-ignore: decorator
@inline export function runEntry(r: u32): usize {
  return RUN_TABLE + (<usize>r << 5);
}
