// Goal: deletion vectors and their index files read exactly what Java Paimon wrote, are written
// back byte for byte, round-trip any position set in both the 32-bit and the 64-bit form, and any
// damage (CRC, length, magic, version, cardinality) is a LakeError that names the index file and
// the data file.
// Method: the pk_09 fixture (Paimon 0.9, deletion vectors enabled): decode its index manifests,
// read every vector, compare with the positions visible in the raw bytes, re-encode the files;
// seeded random position sets; hand-built 64-bit records; single-byte damage of valid files.
import { assert, describe, readFixture, seededRandom, test } from "../../../harness.ts";
import { decodeIndexManifest } from "../../../../src/format/manifest/manifest_codec.ts";
import {
  BITMAP64_DELETION_VECTOR_MAGIC,
  BITMAP_DELETION_VECTOR_MAGIC,
  Bitmap64DeletionVector,
  BitmapDeletionVector,
  type DeletionVector,
  deletionVectorOf,
  deserializeDeletionVector,
  newDeletionVector,
  serializeDeletionVector,
} from "../../../../src/format/deletion_vector/deletion_vector.ts";
import {
  encodeDeletionVectorIndexFile,
  encodeDeletionVectorIndexFilesRolling,
  readAllDeletionVectors,
  readDeletionVector,
} from "../../../../src/format/deletion_vector/deletion_vector_index_file.ts";
import { crc32 } from "../../../../src/util/crc32.ts";
import { isLakeError, type ErrorCode } from "../../../../src/errors.ts";
import { toHex } from "../../../../src/util/bytes.ts";

const TABLE = "paimon/java-tables/pk_09.db/pk_09";
const INDEX_MANIFESTS = ["index-manifest-03e2700b-8409-499b-8c27-a09ccee9348c-0", "index-manifest-03e2700b-8409-499b-8c27-a09ccee9348c-1"];

function fails(fn: () => unknown, code: ErrorCode, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    if (!isLakeError(e, code)) return false;
    for (const p of patterns) if (!p.test(e.message)) throw new Error(`message ${JSON.stringify(e.message)} does not match ${p}`);
    return true;
  });
}

function positionsOf(dv: DeletionVector): number[] {
  return [...dv];
}

describe("the pk_09 fixture written by Java", () => {
  test("every deletion vector named by the index manifests reads, with the positions its bytes hold", async () => {
    // Positions seen in the raw files: -0 holds two vectors with position 0, -1 one with position 4
    // (array container value at bytes 21..22 of each record), -2 holds none.
    const expected: Record<string, number[]> = {
      "index-ff7801ad-df90-49b2-9619-586eab9c68e3-0": [0, 0],
      "index-ff7801ad-df90-49b2-9619-586eab9c68e3-1": [4],
    };
    let vectorCount = 0;
    for (const name of INDEX_MANIFESTS) {
      const entries = await decodeIndexManifest(await readFixture(`${TABLE}/manifest/${name}`), { fileName: name });
      for (const entry of entries) {
        const meta = entry.indexFile;
        assert.equal(meta.indexType, "DELETION_VECTORS");
        const bytes = await readFixture(`${TABLE}/index/${meta.fileName}`);
        assert.equal(BigInt(bytes.length), meta.fileSize);
        assert.equal(BigInt(meta.dvRanges!.length), meta.rowCount);
        const all = readAllDeletionVectors(bytes, meta);
        assert.deepEqual([...all.keys()], meta.dvRanges!.map((r) => r.dataFileName));
        const seen: number[] = [];
        for (const range of meta.dvRanges!) {
          assert.equal(range.length, 22); // magic 4 + roaring 18 (one array container, one value)
          const dv = readDeletionVector(bytes, range, meta.fileName);
          assert.equal(dv.bitmap64, false);
          assert.equal(dv.cardinality(), 1);
          seen.push(...positionsOf(dv));
          assert.deepEqual(positionsOf(all.get(range.dataFileName)!), positionsOf(dv));
          vectorCount++;
        }
        assert.deepEqual(seen, expected[meta.fileName] ?? []);
      }
    }
    assert.equal(vectorCount, 4);
    const one = readDeletionVector(await readFixture(`${TABLE}/index/index-ff7801ad-df90-49b2-9619-586eab9c68e3-1`),
      { dataFileName: "data-6d416200-c9db-49ff-bc27-79837bf1aaab-0.parquet", offset: 1, length: 22 }, "index-…-1");
    assert.equal(one.isDeleted(4), true);
    assert.equal(one.isDeleted(3), false);
    assert.equal(one.isDeleted(5), false);
  });

  test("re-encoding the vectors gives Java's index files byte for byte", async () => {
    for (const name of INDEX_MANIFESTS) {
      for (const entry of await decodeIndexManifest(await readFixture(`${TABLE}/manifest/${name}`))) {
        const meta = entry.indexFile;
        const original = await readFixture(`${TABLE}/index/${meta.fileName}`);
        const vectors = readAllDeletionVectors(original, meta);
        const encoded = encodeDeletionVectorIndexFile(vectors);
        assert.equal(toHex(encoded.bytes), toHex(original), meta.fileName);
        // 0.9 did not record cardinalities yet; everything else matches the manifest.
        assert.deepEqual(encoded.dvRanges.map((r) => ({ ...r, cardinality: null })), meta.dvRanges);
        assert.deepEqual(encoded.dvRanges.map((r) => r.cardinality), meta.dvRanges!.map(() => 1n));
      }
    }
  });
});

describe("round trips", () => {
  test("32-bit vectors: random position sets, through records and index files", () => {
    const random = seededRandom(7);
    const entries: [string, DeletionVector][] = [];
    const truth = new Map<string, number[]>();
    for (let f = 0; f < 20; f++) {
      const count = f === 0 ? 0 : Math.floor(random() * (f < 15 ? 3000 : 150000));
      const positions: number[] = [];
      const dense = random() < 0.5;
      for (let i = 0; i < count; i++) positions.push(dense ? Math.floor(random() * count * 1.3) : Math.floor(random() * 2 ** 31));
      if (f === 19) for (let p = 70000; p < 200000; p++) positions.push(p); // runs across several containers
      const name = `data-${f}.parquet`;
      entries.push([name, deletionVectorOf(positions)]);
      truth.set(name, [...new Set(positions)].sort((a, b) => a - b));
    }
    const { bytes, dvRanges } = encodeDeletionVectorIndexFile(entries);
    assert.equal(bytes[0], 1);
    let expectedOffset = 1;
    for (const r of dvRanges) {
      assert.equal(r.offset, expectedOffset);
      expectedOffset += r.length + 8;
    }
    assert.equal(expectedOffset, bytes.length);
    const read = readAllDeletionVectors(bytes, { fileName: "index-x-0", dvRanges });
    for (const [name, positions] of truth) {
      const dv = read.get(name)!;
      assert.equal(dv.cardinality(), positions.length, name);
      assert.deepEqual(positionsOf(dv), positions, name);
      if (positions.length > 0) {
        assert.equal(dv.isDeleted(positions[positions.length >> 1]!), true);
        // a record on its own round-trips too, and re-serializes to the same bytes
        const record = serializeDeletionVector(dv).bytes;
        assert.deepEqual(positionsOf(deserializeDeletionVector(record)), positions);
        assert.equal(toHex(serializeDeletionVector(deserializeDeletionVector(record)).bytes), toHex(record));
      }
    }
    assert.equal(read.get("data-0.parquet")!.isEmpty(), true);
  });

  test("the 32-bit record layout: BE size, BE magic, Roaring, BE CRC", () => {
    const { bytes, rangeLength } = serializeDeletionVector(deletionVectorOf([4]));
    // what pk_09's index-…-1 holds after its version byte
    assert.equal(toHex(bytes), "00000016" + "5e43f2d0" + "3a300000010000000000000010000000" + "0400" + "875ca5d7");
    assert.equal(rangeLength, 22);
    assert.equal(new DataView(bytes.buffer).getInt32(4, false), BITMAP_DELETION_VECTOR_MAGIC);
    const empty = serializeDeletionVector(newDeletionVector());
    assert.equal(toHex(empty.bytes.subarray(0, 16)), "0000000c" + "5e43f2d0" + "3a30000000000000");
    assert.equal(deserializeDeletionVector(empty.bytes).isEmpty(), true);
  });

  test("64-bit vectors: LE magic, u64 count, keyed bitmaps; the recorded length is the whole record", () => {
    const dv = deletionVectorOf([2 ** 32 + 2, 1], { bitmap64: true });
    assert.ok(dv instanceof Bitmap64DeletionVector);
    const { bytes, rangeLength } = serializeDeletionVector(dv);
    // magic 1681511377 = 0x6439d3d1 little-endian | count 2 | key 0 {1} | key 1 {2}
    const data = "d1d33964" + "0200000000000000" +
      "00000000" + "3a300000010000000000000010000000" + "0100" +
      "01000000" + "3a300000010000000000000010000000" + "0200";
    assert.equal(new DataView(bytes.buffer).getInt32(4, true), BITMAP64_DELETION_VECTOR_MAGIC);
    const size = data.length / 2;
    assert.equal(toHex(bytes.subarray(0, 4)), size.toString(16).padStart(8, "0"));
    assert.equal(toHex(bytes.subarray(4, 4 + size)), data);
    assert.equal(new DataView(bytes.buffer).getUint32(4 + size, false), crc32(bytes.subarray(4, 4 + size)));
    assert.equal(rangeLength, bytes.length);
    const file = encodeDeletionVectorIndexFile([["d.parquet", dv]]);
    assert.equal(file.dvRanges[0]!.length, bytes.length);
    const back = readDeletionVector(file.bytes, file.dvRanges[0]!, "index-64");
    assert.equal(back.bitmap64, true);
    assert.deepEqual(positionsOf(back), [1, 2 ** 32 + 2]);
    assert.equal(back.isDeleted(2 ** 32 + 2), true);
    assert.equal(back.isDeleted(2), false);
    // Java's 32-bit rule for the recorded length does not apply to 64-bit records
    fails(() => readDeletionVector(file.bytes, { ...file.dvRanges[0]!, length: size }, "index-64"), "corruption", /index-64/, /d\.parquet/, /recorded length/);
  });

  test("random 64-bit sets round-trip", () => {
    const random = seededRandom(11);
    const positions = Array.from({ length: 20000 }, () => Math.floor(random() * 3 * 2 ** 32));
    const dv = deletionVectorOf(positions, { bitmap64: true });
    const back = deserializeDeletionVector(serializeDeletionVector(dv).bytes);
    assert.deepEqual(positionsOf(back), [...new Set(positions)].sort((a, b) => a - b));
  });

  test("32-bit vectors reject positions above 2^31-1 like Java", () => {
    const dv = new BitmapDeletionVector();
    fails(() => dv.delete(2 ** 31), "invalid_argument", /2147483647/);
    fails(() => dv.isDeleted(-1), "invalid_argument");
    assert.equal(dv.checkedDelete(5), true);
    assert.equal(dv.checkedDelete(5), false);
  });

  test("rolling writes close a file after the vector that passes the target size", () => {
    const entries: [string, DeletionVector][] = Array.from({ length: 5 }, (_, i) => [`f${i}`, deletionVectorOf([i])]);
    // each record is 4 + 22 + 4 = 30 bytes, a file starts at 1 byte
    const files = encodeDeletionVectorIndexFilesRolling(entries, 40);
    assert.deepEqual(files.map((f) => f.dvRanges.map((r) => r.dataFileName)), [["f0", "f1"], ["f2", "f3"], ["f4"]]);
    assert.deepEqual(files.map((f) => f.bytes.length), [61, 61, 31]);
    assert.deepEqual(encodeDeletionVectorIndexFilesRolling([], 40), []);
    assert.equal(toHex(encodeDeletionVectorIndexFile([]).bytes), "01");
  });
});

describe("damage is detected", () => {
  const build = () => encodeDeletionVectorIndexFile([["a.parquet", deletionVectorOf([1, 2, 3, 1000])], ["b.parquet", deletionVectorOf([7, 70000])]]);

  test("any flipped byte of a record's data or CRC is corruption naming both files", () => {
    const { bytes, dvRanges } = build();
    const b = dvRanges[1]!;
    for (let at = b.offset + 4; at < b.offset + 4 + b.length + 4; at++) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x40;
      fails(() => readDeletionVector(damaged, b, "index-abc-0"), "corruption", /index file index-abc-0/, /data file b\.parquet/);
    }
    // the other record is untouched by damage to b
    const damaged = bytes.slice();
    damaged[b.offset + 10]! ^= 1;
    assert.deepEqual(positionsOf(readDeletionVector(damaged, dvRanges[0]!, "index-abc-0")), [1, 2, 3, 1000]);
  });

  test("a CRC mismatch says so", () => {
    const { bytes, dvRanges } = build();
    const a = dvRanges[0]!;
    const damaged = bytes.slice();
    damaged[a.offset + 4 + a.length + 3]! ^= 1;
    fails(() => readDeletionVector(damaged, a, "index-abc-0"), "corruption", /CRC-32 mismatch/, /a\.parquet/);
  });

  test("ranges that disagree with the file, bad versions and wrong cardinalities", () => {
    const { bytes, dvRanges } = build();
    const a = dvRanges[0]!;
    fails(() => readDeletionVector(bytes, { ...a, length: a.length + 1 }, "idx"), "corruption", /recorded length/);
    fails(() => readDeletionVector(bytes, { ...a, offset: a.offset + 1 }, "idx"), "corruption", /a\.parquet/);
    fails(() => readDeletionVector(bytes, { ...a, offset: bytes.length - 6 }, "idx"), "corruption", /no room|past the end/);
    fails(() => readDeletionVector(bytes, { ...a, offset: 0 }, "idx"), "corruption", /version byte/);
    fails(() => readDeletionVector(bytes, { ...a, cardinality: 5n }, "idx"), "corruption", /holds 4 positions, the index manifest says 5/);
    fails(() => readDeletionVector(bytes.subarray(0, a.offset + 20), a, "idx"), "corruption", /past the end/);
    const v2 = bytes.slice();
    v2[0] = 2;
    fails(() => readDeletionVector(v2, a, "idx"), "unsupported", /version 2/);
    fails(() => readDeletionVector(new Uint8Array(0), a, "idx"), "corruption", /empty/);
  });

  test("an unknown magic number is corruption", () => {
    const record = serializeDeletionVector(deletionVectorOf([1])).bytes;
    record[4] = 0;
    const view = new DataView(record.buffer);
    view.setUint32(record.length - 4, crc32(record.subarray(4, record.length - 4)), false);
    fails(() => deserializeDeletionVector(record), "corruption", /invalid magic number/);
  });
});
