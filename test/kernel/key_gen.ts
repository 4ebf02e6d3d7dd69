/**
 * Seeded generators of byte-key sets for the kernel's differential tests, plus independent
 * oracles (comparator sort, linear-time references) that share no code with the kernel or twin.
 *
 * Shapes cover what the kernel must get right: empty keys, zero bytes, keys that are prefixes of
 * others, all-duplicate sets, shared prefixes longer than 8 and than 100 bytes, fixed 8-byte
 * keys, and key_codec-like keys (key part + 8-byte tail). ByteKeys are built with a non-zero
 * first offset and garbage around the key bytes, so offset rebasing is exercised too.
 */

import type { ByteKeys } from "../../src/kernel/reference.ts";

export type Rand = () => number;

/** Names of the generator shapes. */
export const KEY_SHAPES = [
  "random", "tiny-alphabet", "short", "prefix9", "prefix100", "duplicates", "encoded", "fixed8",
] as const;
export type KeyShape = (typeof KEY_SHAPES)[number];

function int(rand: Rand, n: number): number {
  return Math.floor(rand() * n);
}

function bytesOf(rand: Rand, len: number, alphabet: number[] | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < len; i++) out.push(alphabet === null ? int(rand, 256) : alphabet[int(rand, alphabet.length)]!);
  return out;
}

/** n keys of the given shape. */
export function makeKeys(rand: Rand, n: number, shape: KeyShape): number[][] {
  const keys: number[][] = [];
  const prefixLen = shape === "prefix9" ? 9 + int(rand, 24) : 100 + int(rand, 200);
  const prefix = bytesOf(rand, prefixLen, [0, 1, 2, 255]);
  const pool = Array.from({ length: 1 + int(rand, 4) }, () => bytesOf(rand, int(rand, 12), [0, 7, 255]));
  const keyParts = Array.from({ length: 1 + int(rand, Math.max(1, n >> 1)) }, () => bytesOf(rand, 1 + int(rand, 10), null));
  for (let i = 0; i < n; i++) {
    switch (shape) {
      case "random": keys.push(bytesOf(rand, int(rand, 25), null)); break;
      case "tiny-alphabet": keys.push(bytesOf(rand, int(rand, 13), [0, 1, 255])); break;
      case "short": keys.push(bytesOf(rand, int(rand, 3), [0, 1])); break;
      case "prefix9":
      case "prefix100": {
        const cut = rand() < 0.2 ? int(rand, prefix.length + 1) : prefix.length; // some keys are prefixes
        keys.push([...prefix.slice(0, cut), ...bytesOf(rand, int(rand, 12), [0, 1, 2, 255])]);
        break;
      }
      case "duplicates": keys.push([...pool[int(rand, pool.length)]!]); break;
      case "encoded": {
        const part = keyParts[int(rand, keyParts.length)]!;
        keys.push([...part, ...bytesOf(rand, 8, rand() < 0.5 ? [0, 255] : null)]);
        break;
      }
      case "fixed8": keys.push(bytesOf(rand, 8, rand() < 0.3 ? [0, 1] : null)); break;
    }
  }
  return keys;
}

/** A random shape. */
export function pickShape(rand: Rand): KeyShape {
  return KEY_SHAPES[int(rand, KEY_SHAPES.length)]!;
}

/** ByteKeys of `keys`, placed after `lead` garbage bytes and followed by garbage. */
export function toByteKeys(keys: number[][], lead = 3): ByteKeys {
  const offsets = new Uint32Array(keys.length + 1);
  let total = lead;
  offsets[0] = lead;
  keys.forEach((k, i) => { total += k.length; offsets[i + 1] = total; });
  const bytes = new Uint8Array(total + 5).fill(0xab);
  keys.forEach((k, i) => bytes.set(k, offsets[i]!));
  return { bytes, offsets };
}

/** memcmp order on number arrays, independent of the code under test. */
export function cmp(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Stable sorting permutation by comparator (the oracle). */
export function oracleSort(keys: number[][]): number[] {
  return keys.map((_, i) => i).sort((x, y) => cmp(keys[x]!, keys[y]!) || x - y);
}

/** Sorted copy of `keys`. */
export function sortedKeys(keys: number[][]): number[][] {
  return oracleSort(keys).map((i) => keys[i]!);
}

/** Oracle lower bound by linear scan. */
export function oracleLowerBound(table: number[][], probe: number[]): number {
  let i = 0;
  while (i < table.length && cmp(table[i]!, probe) < 0) i++;
  return i;
}

/** 8 big-endian bytes of a u64 as numbers. */
export function u64Bytes(v: bigint): number[] {
  const out: number[] = [];
  for (let s = 56n; s >= 0n; s -= 8n) out.push(Number((v >> s) & 0xffn));
  return out;
}

/** A random u64, sometimes from a narrow range (to exercise digit skipping). */
export function randomU64(rand: Rand, narrow: boolean): bigint {
  if (narrow) return BigInt(int(rand, 1000));
  return (BigInt(int(rand, 2 ** 32)) << 32n) | BigInt(int(rand, 2 ** 32));
}
