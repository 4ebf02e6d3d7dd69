// Goal: src/util/zip.ts writes archives it reads back exactly, reads archives made by Info-ZIP
// `zip -r` and Python's zipfile (stored + deflated, directory entries, UTF-8 names), and rejects
// damaged input with LakeError("corruption") naming the entry or offset.
// Method: seeded random entries round-trip (auto and forced ZIP64, > 65535 entries); the fixture
// archives in test/fixtures/zip/ (see its README) are compared file by file with the plain
// copies in test/fixtures/zip/orders/; single bytes of written archives are flipped, cut or
// patched at computed offsets (header fields, CRC, data) and each must be refused.
import { assert, describe, readFixture, seededRandom, test } from "../../harness.ts";
import { isLakeError, type ErrorCode } from "../../../src/errors.ts";
import { equalBytes, utf8Encode } from "../../../src/util/bytes.ts";
import { unzipEntries, zipEntries, type ZipEntry } from "../../../src/util/zip.ts";

function randomEntries(count: number, seed: number, sizeMax = 5000): ZipEntry[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const bytes = new Uint8Array(Math.floor(next() * sizeMax));
    for (let j = 0; j < bytes.length; j++) bytes[j] = (next() * 256) | 0;
    return { path: i % 3 === 0 ? `dir-${i % 5}/sub/file-${i}.bin` : `file-${i}-ü.bin`, bytes };
  });
}

function assertSameEntries(actual: readonly ZipEntry[], expected: readonly ZipEntry[]): void {
  assert.deepEqual(actual.map((e) => e.path), expected.map((e) => e.path));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(equalBytes(actual[i]!.bytes, expected[i]!.bytes), `bytes of ${expected[i]!.path}`);
  }
}

async function rejects(run: () => Promise<unknown>, code: ErrorCode, needle: string): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(isLakeError(error, code), `expected LakeError(${code}), got ${String(error)}`);
    assert.ok((error as Error).message.includes(needle), `message ${JSON.stringify((error as Error).message)} lacks ${JSON.stringify(needle)}`);
    return true;
  });
}

const ORDERS_FILES = ["orders/a.txt", "orders/empty", "orders/dir/b.bin", "orders/dir/ünï.txt"];

describe("zip", () => {
  test("round-trips random entries, empty entries and an empty archive", async () => {
    const entries = [...randomEntries(40, 1), { path: "empty", bytes: new Uint8Array(0) }];
    assertSameEntries(await unzipEntries(zipEntries(entries)), entries);
    assert.deepEqual(await unzipEntries(zipEntries([])), []);
  });

  test("writes deterministic bytes with the UTF-8 flag and CRC-32 in the headers", async () => {
    const entries = [{ path: "a/ä.txt", bytes: utf8Encode("123456789") }];
    const zip = zipEntries(entries);
    assert.ok(equalBytes(zip, zipEntries(entries)));
    const view = new DataView(zip.buffer);
    assert.equal(view.getUint32(0, true), 0x04034b50);
    assert.equal(view.getUint16(6, true) & 0x0800, 0x0800, "UTF-8 flag");
    assert.equal(view.getUint16(8, true), 0, "stored");
    assert.equal(view.getUint32(14, true), 0xcbf43926, "crc32 of 123456789");
    assert.equal(view.getUint32(18, true), 9);
  });

  test("forced ZIP64 records round-trip", async () => {
    const entries = randomEntries(7, 2);
    const zip = zipEntries(entries, { zip64: "always" });
    assert.ok(zip.length > zipEntries(entries).length);
    assertSameEntries(await unzipEntries(zip), entries);
  });

  test("more than 65535 entries switch to ZIP64 and read back", async () => {
    const entries = Array.from({ length: 65_600 }, (_, i) => ({ path: `f/${i}`, bytes: utf8Encode(String(i * 7)) }));
    const zip = zipEntries(entries);
    const eocd = new DataView(zip.buffer, zip.length - 22);
    assert.equal(eocd.getUint16(10, true), 0xffff, "classic count saturates");
    const back = await unzipEntries(zip);
    assert.equal(back.length, entries.length);
    assert.equal(back[65_599]!.path, "f/65599");
    assert.equal(new TextDecoder().decode(back[65_599]!.bytes), String(65_599 * 7));
  });

  test("rejects bad entry paths and duplicates", () => {
    for (const path of ["", "/abs", "a//b", "a/../b", "./a", "dir/", "a\\b"]) {
      assert.throws(() => zipEntries([{ path, bytes: new Uint8Array(1) }]), (e: unknown) => isLakeError(e, "invalid_argument"), path);
    }
    assert.throws(() => zipEntries([{ path: "x", bytes: new Uint8Array(1) }, { path: "x", bytes: new Uint8Array(2) }]), /appears twice/);
  });

  for (const name of ["infozip_deflate.zip", "python_deflate.zip"]) {
    test(`reads ${name} (deflated entries, directory entries skipped)`, async () => {
      const entries = await unzipEntries(await readFixture(`zip/${name}`));
      assert.deepEqual(entries.map((e) => e.path).sort(), [...ORDERS_FILES].sort());
      for (const path of ORDERS_FILES) {
        const entry = entries.find((e) => e.path === path)!;
        assert.ok(equalBytes(entry.bytes, await readFixture(`zip/${path}`)), path);
      }
    });
  }

  test("refuses truncated archives and garbage", async () => {
    const zip = zipEntries(randomEntries(5, 3));
    await rejects(() => unzipEntries(zip.subarray(0, zip.length - 10)), "corruption", "zip:");
    await rejects(() => unzipEntries(zip.subarray(0, 200)), "corruption", "end of central directory");
    await rejects(() => unzipEntries(utf8Encode("not a zip at all, just some text")), "corruption", "not a zip archive");
    await rejects(() => unzipEntries(new Uint8Array(0)), "corruption", "zip:");
  });

  test("refuses a flipped data byte by CRC-32, naming the entry", async () => {
    const entries = [{ path: "one.bin", bytes: utf8Encode("abcdefgh") }, { path: "two.bin", bytes: utf8Encode("ijklmnop") }];
    const zip = zipEntries(entries);
    const bad = zip.slice();
    const dataOfTwo = 30 + 7 + 8 + 30 + 7 + 3; // second local header + name, 4th byte of data
    bad[dataOfTwo]! ^= 0x01;
    await rejects(() => unzipEntries(bad), "corruption", "\"two.bin\"");
    await rejects(() => unzipEntries(bad), "corruption", "CRC-32");
  });

  test("refuses a central directory pointing past the end, and a wrong local signature", async () => {
    const zip = zipEntries([{ path: "a", bytes: utf8Encode("xyz") }]);
    const bad = zip.slice();
    new DataView(bad.buffer).setUint32(bad.length - 22 + 16, 10_000, true); // central directory offset
    await rejects(() => unzipEntries(bad), "corruption", "central directory");
    const bad2 = zip.slice();
    bad2[0] = 0x51;
    await rejects(() => unzipEntries(bad2), "corruption", "local header of entry \"a\"");
  });

  test("unsupported methods and encryption are LakeError(unsupported) naming the entry", async () => {
    const zip = zipEntries([{ path: "m.bin", bytes: utf8Encode("xyz") }]);
    const centralAt = 30 + 5 + 3;
    const method = zip.slice();
    new DataView(method.buffer).setUint16(centralAt + 10, 12, true); // bzip2
    await rejects(() => unzipEntries(method), "unsupported", "\"m.bin\" uses compression method 12");
    const encrypted = zip.slice();
    new DataView(encrypted.buffer).setUint16(centralAt + 8, 0x0801, true);
    await rejects(() => unzipEntries(encrypted), "unsupported", "\"m.bin\" is encrypted");
  });

  test("damaged deflate data is corruption naming the entry", async () => {
    const zip = (await readFixture("zip/python_deflate.zip")).slice();
    const entries = await unzipEntries(zip);
    assert.equal(entries.length, 4);
    // Find b.bin's local header and overwrite the middle of its deflate stream.
    const name = utf8Encode("orders/dir/b.bin");
    let at = -1;
    for (let i = 0; i + 30 + name.length < zip.length; i++) {
      if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 3 && zip[i + 3] === 4 && equalBytes(zip.subarray(i + 30, i + 30 + name.length), name)) { at = i; break; }
    }
    assert.ok(at >= 0);
    const dataAt = at + 30 + name.length + new DataView(zip.buffer).getUint16(at + 28, true);
    for (let i = 0; i < 64; i++) zip[dataAt + 100 + i] = 0xff;
    await rejects(() => unzipEntries(zip), "corruption", "\"orders/dir/b.bin\"");
  });
});
