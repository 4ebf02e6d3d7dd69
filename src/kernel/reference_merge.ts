/**
 * Twin of assembly/merge.ts: k-way merge of sorted byte-key runs with a loser tree, in plain
 * TypeScript.
 *
 * Algorithm (same as the kernel): each run's head key caches its first 8 bytes as a big-endian
 * chunk (two u32 halves); a comparison looks at the chunks first and at the remaining bytes only
 * when they tie. Exhausted runs sort last. Ties between equal keys go to the lower run index.
 *
 * Contract: output order is (key, run index, row); groupStarts[i] = 1 when output i's key
 * without its last `tail` bytes differs from output i - 1's (always 1 for output 0). Returns
 * null when an emitted key is shorter than `tail` (the caller raises the error).
 * Requires: runs sorted ascending, offsets valid (checked by the caller).
 *
 * Imports: reference.ts (types only). Mirrors no Java class (cf. Paimon's
 * SortMergeReaderWithLoserTree, over bytes only).
 */

import type { ByteKeys, MergeResult } from "./reference.ts";

/** Writes the big-endian chunk of bytes [p, p + rem) (zero-padded to 8) into hi[t], lo[t]. */
function chunkInto(b: Uint8Array, p: number, rem: number, hi: Uint32Array, lo: Uint32Array, t: number): void {
  if (rem >= 8) {
    hi[t] = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    lo[t] = (b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!;
    return;
  }
  let h = 0, l = 0;
  for (let j = 0; j < 4; j++) h = (h << 8) | (j < rem ? b[p + j]! : 0);
  for (let j = 4; j < 8; j++) l = (l << 8) | (j < rem ? b[p + j]! : 0);
  hi[t] = h; lo[t] = l;
}

/** Merges `runs`; see the file contract. */
export function mergeByteRuns(runs: readonly ByteKeys[], tail: number): MergeResult | null {
  const k = runs.length;
  let total = 0;
  const rowsOf = new Uint32Array(k);
  for (let r = 0; r < k; r++) { rowsOf[r] = runs[r]!.offsets.length - 1; total += rowsOf[r]!; }
  const outRuns = new Uint32Array(total), outRows = new Uint32Array(total), marks = new Uint8Array(total);
  const result = { runs: outRuns, rows: outRows, groupStarts: marks };
  if (total === 0) return result;
  const bytes = runs.map((r) => r.bytes), offs = runs.map((r) => r.offsets);
  const headHi = new Uint32Array(k), headLo = new Uint32Array(k), cursor = new Uint32Array(k);
  const headStart = new Uint32Array(k), headLen = new Uint32Array(k), done = new Uint8Array(k);

  const loadHead = (r: number): void => {
    const c = cursor[r]!;
    if (c < rowsOf[r]!) {
      const o = offs[r]!, start = o[c]!, len = o[c + 1]! - start;
      headStart[r] = start; headLen[r] = len;
      chunkInto(bytes[r]!, start, len, headHi, headLo, r);
    } else {
      done[r] = 1; headHi[r] = 0xffffffff; headLo[r] = 0xffffffff;
    }
  };
  // Called only when both heads have equal 8-byte chunks.
  const tieBeats = (a: number, b: number): boolean => {
    if ((done[a]! | done[b]!) !== 0) return done[b] !== 0 && (done[a] === 0 || a < b);
    const ab = bytes[a]!, bb = bytes[b]!, la = headLen[a]!, lb = headLen[b]!;
    let p = headStart[a]!, q = headStart[b]!;
    const end = p + (la < lb ? la : lb);
    for (; p < end; p++, q++) {
      const d = ab[p]! - bb[q]!;
      if (d !== 0) return d < 0;
    }
    return la < lb || (la === lb && a < b);
  };
  const beats = (a: number, b: number): boolean => {
    const ha = headHi[a]!, hb = headHi[b]!;
    if (ha !== hb) return ha < hb;
    const la = headLo[a]!, lb = headLo[b]!;
    if (la !== lb) return la < lb;
    return tieBeats(a, b);
  };

  for (let r = 0; r < k; r++) loadHead(r);
  const loser = new Uint32Array(k), winner = new Uint32Array(2 * k);
  for (let r = 0; r < k; r++) winner[k + r] = r;
  for (let node = k - 1; node >= 1; node--) {
    const a = winner[2 * node]!, b = winner[2 * node + 1]!;
    const aWins = beats(a, b);
    winner[node] = aWins ? a : b;
    loser[node] = aWins ? b : a;
  }
  let w = k === 1 ? 0 : winner[1]!;
  let prevBytes: Uint8Array = bytes[0]!, prevStart = 0, prevLen = -1;
  for (let out = 0; out < total; out++) {
    const b = bytes[w]!, start = headStart[w]!, len = headLen[w]! - tail;
    if (len < 0) return null;
    let same = len === prevLen;
    for (let i = 0; same && i < len; i++) same = b[start + i] === prevBytes[prevStart + i];
    outRuns[out] = w; outRows[out] = cursor[w]!; marks[out] = same ? 0 : 1;
    prevBytes = b; prevStart = start; prevLen = len;
    cursor[w]!++;
    loadHead(w);
    for (let node = (w + k) >> 1; node > 0; node >>= 1) {
      const l = loser[node]!;
      if (beats(l, w)) { loser[node] = w; w = l; }
    }
  }
  return result;
}
