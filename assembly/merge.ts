/**
 * K-way merge of sorted runs of byte keys with a loser tree, emitting (run, row) pairs and
 * key-group marks.
 *
 * Contract: run r's window is described by its run-table entry (abi.ts RUN_*): its rows' offsets
 * sit in OFFS_A from RUN_OFF_INDEX on (rows + 1 entries), a key's bytes start at
 * RUN_DATA_BASE + offset. Output i goes to U32_A (run), U32_B (RUN_ROW_BASE + row in window) and
 * U8 (1 when the key, without its last `tailBytes` bytes, differs from output i - 1; output 0 of
 * a call is always 1 and the host corrects it across calls). Order: key ascending (memcmp), then
 * run index, then row. The call stops after `outCap` outputs, when every run is done, or right
 * after it emits the last row of a window that is not final (the host refills and calls again;
 * RUN_CURSOR says how many rows of each window were consumed). Returns the output count, -1 when
 * an emitted key is shorter than `tailBytes`, -2 when offsets decrease.
 *
 * Requires: each run sorted ascending. Not checked.
 *
 * Imports: abi.ts, compare.ts.
 */

import {
  regionOffset, runEntry, REGION_OFFS_A, REGION_U32_A, REGION_U32_B, REGION_U8, RUNS_MAX,
  RUN_OFF_INDEX, RUN_ROWS, RUN_FINAL, RUN_DATA_BASE, RUN_ROW_BASE, RUN_CURSOR,
} from "./abi";
import { chunkAt, compareAfterEqualChunk, equalBytes } from "./compare";

/** Head key of each run: 8-byte chunk (u64::MAX once the run is exhausted). */
const HEAD_CHUNK: usize = memory.data(RUNS_MAX * 8, 16);
/** Head key of each run: address. */
const HEAD_PTR: usize = memory.data(RUNS_MAX * 4, 16);
/** Head key of each run: length. */
const HEAD_LEN: usize = memory.data(RUNS_MAX * 4, 16);
/** 1 once a run is exhausted. */
const DONE: usize = memory.data(RUNS_MAX * 4, 16);
/** Loser tree: LOSER[node] for internal nodes 1..k-1; LOSER[0] holds the winner. */
const LOSER: usize = memory.data(RUNS_MAX * 4, 16);
/** Winners while building the tree: 2k entries. */
const WINNER: usize = memory.data(RUNS_MAX * 8, 16);

/** Set while a merge call runs: address of the OFFS_A region. */
let offsBase: usize = 0;

/** True when run a's head sorts before run b's head (exhausted runs sort last). */
// @ts-ignore: decorator
@inline function beats(a: u32, b: u32): bool {
  const pa = load<u64>(HEAD_CHUNK + (<usize>a << 3));
  const pb = load<u64>(HEAD_CHUNK + (<usize>b << 3));
  if (pa != pb) return pa < pb;
  return tieBeats(a, b);
}

function tieBeats(a: u32, b: u32): bool {
  const da = load<u32>(DONE + (<usize>a << 2));
  const db = load<u32>(DONE + (<usize>b << 2));
  if ((da | db) != 0) return db != 0 && (da == 0 || a < b);
  const c = compareAfterEqualChunk(
    load<u32>(HEAD_PTR + (<usize>a << 2)), load<u32>(HEAD_LEN + (<usize>a << 2)),
    load<u32>(HEAD_PTR + (<usize>b << 2)), load<u32>(HEAD_LEN + (<usize>b << 2)),
  );
  return c < 0 || (c == 0 && a < b);
}

/** Loads row `c` of run r's window as its head. Returns false when offsets decrease. */
function loadHead(r: u32, c: u32): bool {
  const e = runEntry(r);
  const at = offsBase + ((<usize>load<u32>(e, RUN_OFF_INDEX) + <usize>c) << 2);
  const off = load<u32>(at);
  const next = load<u32>(at, 4);
  const ptr = <usize>load<u32>(e, RUN_DATA_BASE) + <usize>off;
  const len = next - off;
  store<u32>(HEAD_PTR + (<usize>r << 2), <u32>ptr);
  store<u32>(HEAD_LEN + (<usize>r << 2), len);
  store<u64>(HEAD_CHUNK + (<usize>r << 3), chunkAt(ptr, <i32>len));
  return next >= off;
}

function markDone(r: u32): void {
  store<u32>(DONE + (<usize>r << 2), 1);
  store<u64>(HEAD_CHUNK + (<usize>r << 3), u64.MAX_VALUE);
}

/** Builds the loser tree over runs 0..k-1; returns the overall winner. */
function build(k: u32): u32 {
  for (let r: u32 = 0; r < k; r++) store<u32>(WINNER + (<usize>(k + r) << 2), r);
  for (let node = k - 1; node >= 1; node--) {
    const a = load<u32>(WINNER + (<usize>(node << 1) << 2));
    const b = load<u32>(WINNER + (<usize>((node << 1) + 1) << 2));
    const aWins = beats(a, b);
    store<u32>(WINNER + (<usize>node << 2), aWins ? a : b);
    store<u32>(LOSER + (<usize>node << 2), aWins ? b : a);
  }
  return k == 1 ? 0 : load<u32>(WINNER + 4);
}

/** Merges the k runs described in the run table; see the file contract. */
export function mergeRuns(k: u32, tailBytes: u32, outCap: u32): i32 {
  if (k == 0 || k > <u32>RUNS_MAX || outCap == 0) return 0;
  offsBase = regionOffset(REGION_OFFS_A);
  const outRun = regionOffset(REGION_U32_A);
  const outRow = regionOffset(REGION_U32_B);
  const outMark = regionOffset(REGION_U8);
  for (let r: u32 = 0; r < k; r++) {
    const e = runEntry(r);
    store<u32>(e, 0, RUN_CURSOR);
    store<u32>(DONE + (<usize>r << 2), 0);
    if (load<u32>(e, RUN_ROWS) == 0) markDone(r);
    else if (!loadHead(r, 0)) return -2;
  }
  let w = build(k);
  let count: u32 = 0;
  let prevPtr: usize = 0;
  let prevLen: u32 = 0;
  while (count < outCap) {
    if (load<u32>(DONE + (<usize>w << 2)) != 0) break;
    const e = runEntry(w);
    const c = load<u32>(e, RUN_CURSOR);
    const ptr = <usize>load<u32>(HEAD_PTR + (<usize>w << 2));
    const len = load<u32>(HEAD_LEN + (<usize>w << 2));
    if (len < tailBytes) return -1;
    const eff = len - tailBytes;
    const same = count != 0 && eff == prevLen && equalBytes(prevPtr, ptr, eff);
    store<u32>(outRun + (<usize>count << 2), w);
    store<u32>(outRow + (<usize>count << 2), load<u32>(e, RUN_ROW_BASE) + c);
    store<u8>(outMark + <usize>count, same ? 0 : 1);
    prevPtr = ptr;
    prevLen = eff;
    count++;
    store<u32>(e, c + 1, RUN_CURSOR);
    if (c + 1 < load<u32>(e, RUN_ROWS)) {
      if (!loadHead(w, c + 1)) return -2;
    } else if (load<u32>(e, RUN_FINAL) != 0) {
      markDone(w);
    } else {
      break; // window drained but the run goes on: the host refills
    }
    let node = (w + k) >> 1;
    while (node > 0) {
      const slot = LOSER + (<usize>node << 2);
      const l = load<u32>(slot);
      if (beats(l, w)) {
        store<u32>(slot, w);
        w = l;
      }
      node >>= 1;
    }
  }
  return <i32>count;
}
