/**
 * The test harness every test file imports: one place to swap for other runtimes.
 *
 * Goal: the same test files run under `node --test` (through tsx) and `deno test`, and later in
 * Chromium through a bundler alias of this module. Tests import `test`, `describe` and `assert`
 * from here, and read fixture files through `readFixture`, never through runtime globals.
 */
import { readFile } from "node:fs/promises";

export { describe, test } from "node:test";
export { default as assert } from "node:assert/strict";

/** Reads `test/fixtures/<relativePath>` as bytes. */
export async function readFixture(relativePath: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(`./fixtures/${relativePath}`, import.meta.url);
  const buf = await readFile(url);
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) as Uint8Array<ArrayBuffer>;
}

/** Reads `test/fixtures/<relativePath>` as UTF-8 text. */
export async function readFixtureText(relativePath: string): Promise<string> {
  return new TextDecoder().decode(await readFixture(relativePath));
}

/** Lists file names (not paths) in the fixture directory `test/fixtures/<relativeDir>`. */
export async function listFixtureDir(relativeDir: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  const url = new URL(`./fixtures/${relativeDir}`, import.meta.url);
  return (await readdir(url)).sort();
}

/** A small seeded PRNG (mulberry32) so random tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
