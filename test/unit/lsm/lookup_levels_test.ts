// Goal: LookupLevels answers a key with the record of the first level (from the start level
// down) that holds it, as stored (retracts included), finds the right file among several of a
// level, evicts cached files beyond its byte bound (never those of the current prepare) and
// forgets files that left the levels.
// Method: random keys written as Parquet data files at levels 1..3 (several files per level),
// a brute-force model of "first level holding the key", every key 0..N looked up.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { createFileKeyComparator } from "../../../src/lsm/file_key_comparator.ts";
import { Levels } from "../../../src/lsm/levels.ts";
import { LookupLevels } from "../../../src/lsm/lookup_levels.ts";
import { dataFileNamer, writeRollingFiles } from "../../../src/lsm/rolling_file_writer.ts";
import { atomic } from "../../../src/spec/data_types.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { createTableSchema } from "../../../src/spec/schema.ts";
import { parquetWasm } from "../format/parquet_writer_support.ts";
import { uuidSource } from "../table/commit_helpers.ts";

const KEY = atomic("INT", { nullable: false });
const schema = createTableSchema({
  fields: [{ id: 0, name: "k", type: KEY }, { id: 1, name: "v", type: atomic("BIGINT") }],
  primaryKeys: ["k"], partitionKeys: [], options: { bucket: "1" }, timeMillis: 0n,
});
const names = uuidSource("c0000000");

interface Stored { k: number; v: bigint; kind: number; seq: bigint }

/** Files of one level: sorted keys cut into `parts` files. */
async function writeLevel(store: MemoryStore, level: number, recs: Stored[], parts: number): Promise<DataFileMeta[]> {
  const sorted = [...recs].sort((a, b) => a.k - b.k);
  const out: DataFileMeta[] = [];
  const size = Math.ceil(sorted.length / parts);
  for (let i = 0; i < sorted.length; i += size) {
    const chunk = sorted.slice(i, i + size);
    out.push(...await writeRollingFiles({
      rowCount: chunk.length, columns: [chunk.map((r) => r.k), chunk.map((r) => r.v)],
      sequenceNumbers: BigInt64Array.from(chunk.map((r) => r.seq)), rowKinds: Uint8Array.from(chunk.map((r) => r.kind)),
    }, {
      store, schema, partitionPath: "", bucket: 0, level, fileSource: FILE_SOURCE.COMPACT, parquet: await parquetWasm(),
      targetFileSizeBytes: 1 << 30, nextFileName: dataFileNamer(names), nowMs: () => 1_700_000_000_000,
    }));
  }
  return out;
}

describe("LookupLevels", () => {
  test("the first level holding a key answers, as stored; caches are bounded and follow the levels", async () => {
    const store = new MemoryStore();
    const rnd = seededRandom(17);
    const byLevel = new Map<number, Map<number, Stored>>();
    let seq = 1000n;
    const files: DataFileMeta[] = [];
    for (const level of [1, 2, 3]) {
      const recs = new Map<number, Stored>();
      for (let i = 0; i < 60; i++) {
        const k = Math.floor(rnd() * 200);
        recs.set(k, { k, v: BigInt(level * 1000 + k), kind: rnd() < 0.2 ? 3 : 0, seq: seq-- });
      }
      byLevel.set(level, recs);
      files.push(...await writeLevel(store, level, [...recs.values()], 1 + level));
    }
    const levels = Levels.create(files, { levelCount: 5, compareKeys: createFileKeyComparator([KEY]) });
    let reads = 0;
    const readFile = async (meta: DataFileMeta) => {
      reads++;
      return readDataFile(await store.get(`bucket-0/${meta.fileName}`), { fileName: meta.fileName, fileSchema: schema, readSchema: schema, primaryKey: true });
    };
    const lookup = new LookupLevels([KEY], readFile);
    for (const start of [1, 2, 3, 4]) {
      await lookup.prepare(levels, start, null);
      for (let k = 0; k < 200; k++) {
        let want: Stored | null = null, wantLevel = -1;
        for (let level = start; level <= 3 && want === null; level++) {
          const r = byLevel.get(level)?.get(k);
          if (r !== undefined) { want = r; wantLevel = level; }
        }
        const got = lookup.lookup(levels, [k], start);
        if (want === null) assert.equal(got, null, `key ${k} from level ${start}`);
        else assert.deepEqual([got?.value, got?.rowKind, got?.sequenceNumber, got?.level], [[k, want.v], want.kind, want.seq, wantLevel], `key ${k} from level ${start}`);
      }
    }
    assert.equal(reads, files.length, "each file read once");

    // A bound of one byte keeps only the files of the latest prepare.
    const small = new LookupLevels([KEY], readFile, 1);
    await small.prepare(levels, 3, null);
    assert.equal(small.loadedFileCount, files.filter((f) => f.level === 3).length);
    await small.prepare(levels, 2, null);
    assert.equal(small.loadedFileCount, files.filter((f) => f.level >= 2).length, "the current prepare's files stay");
    await small.prepare(levels, 3, null);
    assert.equal(small.loadedFileCount, files.filter((f) => f.level === 3).length, "level-2 files evicted");

    // Files that left the levels are forgotten.
    const level1 = files.filter((f) => f.level === 1);
    const fewer = levels.update(level1, []);
    lookup.retain(fewer);
    assert.equal(lookup.loadedFileCount, files.length - level1.length);
  });
});
