// Goal: murmurHashBytesByWords is MurmurHash3 x86-32 as Paimon computes it over 4-byte LE words.
// Method: the published MurmurHash3_x86_32 test vectors whose inputs are whole words (for
// those Paimon's variant equals the standard hash), and the length assertion.
import { assert, test } from "../../harness.ts";
import { murmurHashBytesByWords } from "../../../src/util/murmur3.ts";
import { fromHex } from "../../../src/util/bytes.ts";

test("standard MurmurHash3_x86_32 vectors (whole words)", () => {
  const u = (n: number) => n | 0;
  assert.equal(murmurHashBytesByWords(new Uint8Array(0), 0), 0);
  assert.equal(murmurHashBytesByWords(new Uint8Array(0), 1), u(0x514e28b7));
  assert.equal(murmurHashBytesByWords(new Uint8Array(0), 0xffffffff), u(0x81f16f39));
  assert.equal(murmurHashBytesByWords(fromHex("00000000"), 0), u(0x2362f9de));
  assert.equal(murmurHashBytesByWords(fromHex("ffffffff"), 0), u(0x76293b50));
  assert.equal(murmurHashBytesByWords(fromHex("21436587"), 0), u(0xf55b516b));
  assert.equal(murmurHashBytesByWords(fromHex("21436587"), 0x5082edee), u(0x2362f9de));
  assert.equal(murmurHashBytesByWords(new TextEncoder().encode("test"), 0), u(0xba6bd213));
});

test("Paimon's seed 42 is the default; lengths must be whole words", () => {
  const row = fromHex("00000000000000000500000000000000");
  assert.equal(murmurHashBytesByWords(row), 260196596);
  assert.equal(murmurHashBytesByWords(row, 42), 260196596);
  assert.throws(() => murmurHashBytesByWords(fromHex("000000")), /multiple of 4/);
});
