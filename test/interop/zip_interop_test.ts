// Goal: archives from src/util/zip.ts are accepted by Info-ZIP `unzip -t` and Python's zipfile
// (plain, forced ZIP64, > 65535 entries), and archives freshly made by Info-ZIP `zip -r` and
// Python's zipfile (deflated) read back byte-exact through unzipEntries.
// Method: seeded random files in a temp directory; the external tools run as subprocesses
// (/usr/bin/unzip, /usr/bin/zip, python3); Python reports each entry's name, size and SHA-256,
// compared with the same digests computed here. Node/Deno only (child processes, temp files).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { assert, describe, seededRandom, test } from "../harness.ts";
import { unzipEntries, zipEntries, type ZipEntry } from "../../src/util/zip.ts";

const PY_LIST = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    out = [[i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist() if not i.is_dir()]
print(json.dumps({"bad": bad, "entries": out}))
`;

const PY_WRITE = `
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for root, dirs, files in os.walk(src):
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, src))
`;

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function randomEntries(count: number, seed: number): ZipEntry[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const size = Math.floor(next() * 20_000);
    const bytes = new Uint8Array(size);
    // Half random, half repetitive, so deflate has something to do.
    for (let j = 0; j < size; j++) bytes[j] = j < size / 2 ? (next() * 256) | 0 : j % 7;
    return { path: `${i % 4 === 0 ? "snapshot/" : "bucket-0/"}f-${i}${i === 3 ? "-ñ✓" : ""}.bin`, bytes };
  });
}

async function withTemp(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lakestate-zip-"));
  try { await body(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

function pythonList(path: string): { bad: string | null; entries: [string, number, string][] } {
  return JSON.parse(execFileSync("python3", ["-c", PY_LIST, path], { encoding: "utf8", maxBuffer: 64 << 20 }));
}

describe("zip interop (Info-ZIP, Python zipfile)", () => {
  for (const zip64 of ["auto", "always"] as const) {
    test(`unzip -t and python zipfile accept our archive (zip64 ${zip64})`, () => withTemp(async (dir) => {
      const entries = randomEntries(25, 11);
      const path = join(dir, "out.zip");
      await writeFile(path, zipEntries(entries, { zip64 }));
      const tested = execFileSync("unzip", ["-t", path], { encoding: "utf8" });
      assert.match(tested, /No errors detected/);
      const listed = pythonList(path);
      assert.equal(listed.bad, null);
      assert.deepEqual(listed.entries, entries.map((e) => [e.path, e.bytes.length, sha256(e.bytes)]));
    }));
  }

  test("python zipfile reads an archive of 70000 entries (ZIP64 end records)", () => withTemp(async (dir) => {
    const entries = Array.from({ length: 70_000 }, (_, i) => ({ path: `d${i % 10}/e${i}`, bytes: new TextEncoder().encode(`#${i}`) }));
    const path = join(dir, "many.zip");
    await writeFile(path, zipEntries(entries));
    const listed = pythonList(path);
    assert.equal(listed.entries.length, 70_000);
    assert.deepEqual(listed.entries[69_999], ["d9/e69999", 6, sha256(new TextEncoder().encode("#69999"))]);
  }));

  test("archives made by python zipfile (deflate level 9) and zip -r read back byte-exact", () => withTemp(async (dir) => {
    const entries = randomEntries(30, 12);
    const src = join(dir, "table");
    for (const e of entries) {
      await mkdir(dirname(join(src, e.path)), { recursive: true });
      await writeFile(join(src, e.path), e.bytes);
    }
    const byPath = new Map(entries.map((e) => [e.path, sha256(e.bytes)]));
    execFileSync("python3", ["-c", PY_WRITE, src, join(dir, "py.zip")]);
    execFileSync("zip", ["-qr", "-9", join(dir, "info.zip"), "table"], { cwd: dir });
    for (const [name, strip] of [["py.zip", ""], ["info.zip", "table/"]] as const) {
      const back = await unzipEntries(new Uint8Array(await readFile(join(dir, name))));
      assert.equal(back.length, entries.length, name);
      for (const e of back) {
        assert.ok(e.path.startsWith(strip), `${name}: ${e.path}`);
        assert.equal(sha256(e.bytes), byPath.get(e.path.slice(strip.length)), `${name}: ${e.path}`);
      }
    }
  }));
});
