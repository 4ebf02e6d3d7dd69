// Goal: runCompaction executes a unit as Java's MergeTreeCompactTask does: overlapping sections
// are merged with the merge function and written at the output level as COMPACT files, large
// single-run files are upgraded (same file, new level), delete records are kept unless
// dropDelete, merged records keep the merge function's sequence numbers and row kinds; the
// columnar and the general path give the same rows, facts and sequence numbers; files of an
// older schema are evolved; what is not supported is refused.
// Method: level files written with writeRollingFiles into a MemoryStore from seeded random
// records; a brute-force merge of the same records is the expectation; output files are read
// back with readDataFile. The columnar path is switched off by hiding parquet-wasm's reader.
import { assert, describe, seededRandom, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import type { ParquetWasmModule } from "../../../src/format/data/parquet_wasm_loader.ts";
import { isLakeError } from "../../../src/errors.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { compactUnitFromFiles } from "../../../src/lsm/compaction/compact_unit.ts";
import { runCompaction, type CompactContext } from "../../../src/lsm/compaction/compact_rewriter.ts";
import { createFileKeyComparator } from "../../../src/lsm/file_key_comparator.ts";
import { Levels } from "../../../src/lsm/levels.ts";
import { createMergeFunctionFactory } from "../../../src/lsm/merge_function/merge_function.ts";
import { dataFileNamer, writeRollingFiles } from "../../../src/lsm/rolling_file_writer.ts";
import { CoreOptions } from "../../../src/spec/core_options_view.ts";
import { atomic } from "../../../src/spec/data_types.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../../src/spec/data_file_meta.ts";
import { createTableSchema, encodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { parquetWasm } from "../format/parquet_writer_support.ts";
import { uuidSource } from "../table/commit_helpers.ts";
import { enableFastReads, testKernel } from "../table/compact_helpers.ts";

interface Rec { k: bigint; v: string | null; d: number; seq: bigint; kind: number }

function schemaOf(options: Record<string, string> = {}, id = 0n, withD = true): TableSchema {
  const fields = [
    { id: 0, name: "k", type: atomic("BIGINT", { nullable: false }) }, { id: 1, name: "v", type: atomic("VARCHAR", { length: 2147483647 }) },
    ...(withD ? [{ id: 2, name: "d", type: atomic("DOUBLE") }] : []),
  ];
  const base = createTableSchema({ fields, primaryKeys: ["k"], partitionKeys: [], options: { bucket: "1", ...options }, timeMillis: 0n });
  return { ...base, id };
}

const uuids = uuidSource("f0000000");

async function writeFile(store: MemoryStore, schema: TableSchema, recs: Rec[], level: number): Promise<DataFileMeta> {
  const rows = [...recs].sort((a, b) => (a.k < b.k ? -1 : 1));
  const columns: Value[][] = [rows.map((r) => r.k), rows.map((r) => r.v)];
  if (schema.fields.length === 3) columns.push(rows.map((r) => r.d));
  const [meta] = await writeRollingFiles({
    rowCount: rows.length, columns, sequenceNumbers: BigInt64Array.from(rows.map((r) => r.seq)), rowKinds: Uint8Array.from(rows.map((r) => r.kind)),
  }, {
    store, schema, partitionPath: "", bucket: 0, level, fileSource: level === 0 ? FILE_SOURCE.APPEND : FILE_SOURCE.COMPACT, parquet: await parquetWasm(),
    targetFileSizeBytes: 1 << 30, nextFileName: dataFileNamer(uuids), nowMs: () => 1_700_000_000_000,
  });
  return meta!;
}

/** Random records with distinct keys from [lo, hi), sequence numbers from `seq`. */
function records(rnd: () => number, count: number, lo: number, hi: number, seq: bigint, deletes = 0.2): Rec[] {
  const keys = new Set<number>();
  while (keys.size < Math.min(count, hi - lo)) keys.add(lo + Math.floor(rnd() * (hi - lo)));
  return [...keys].map((k, i) => ({
    k: BigInt(k), v: rnd() < 0.1 ? null : `v${k}-${Math.floor(rnd() * 1000)}`, d: rnd(), seq: seq + BigInt(i),
    kind: rnd() < deletes ? 3 : rnd() < 0.1 ? 2 : 0,
  }));
}

/** Deduplicate: per key the record with the highest sequence number. */
function dedup(all: Rec[], dropDelete: boolean): Rec[] {
  const best = new Map<bigint, Rec>();
  for (const r of all) {
    const cur = best.get(r.k);
    if (cur === undefined || r.seq > cur.seq) best.set(r.k, r);
  }
  return [...best.values()].filter((r) => !dropDelete || (r.kind !== 1 && r.kind !== 3)).sort((a, b) => (a.k < b.k ? -1 : 1));
}

async function context(store: MemoryStore, schema: TableSchema, fast: boolean): Promise<CompactContext> {
  const pq = await parquetWasm();
  const parquet = fast ? pq : (() => { const copy = { ...pq } as ParquetWasmModule; delete (copy as { ParquetFile?: unknown }).ParquetFile; return copy; })();
  enableFastReads(fast);
  return {
    store, schema, partitionPath: "", bucket: 0, kernel: await testKernel(), parquet, mergeFactory: createMergeFunctionFactory(schema),
    options: new CoreOptions(schema.options), nextFileName: dataFileNamer(uuids), nowMs: () => 1_700_000_100_000,
  };
}

function levelsOf(files: DataFileMeta[], schema: TableSchema): Levels {
  return Levels.create(files, { levelCount: new CoreOptions(schema.options).levelCount, compareKeys: createFileKeyComparator([atomic("BIGINT", { nullable: false })]) });
}

async function readOutput(store: MemoryStore, schema: TableSchema, files: readonly DataFileMeta[]): Promise<Rec[]> {
  const out: Rec[] = [];
  for (const f of files) {
    const b = await readDataFile(await store.get(`bucket-0/${f.fileName}`), { fileName: f.fileName, fileSchema: schema, readSchema: schema, primaryKey: true });
    for (let i = 0; i < b.rowCount; i++) {
      out.push({ k: b.columns[0]![i] as bigint, v: b.columns[1]![i] as string | null, d: (b.columns[2]?.[i] ?? null) as number, seq: b.sequenceNumbers![i]!, kind: b.rowKinds![i]! });
    }
  }
  return out;
}

describe("runCompaction", () => {
  for (const fast of [true, false]) {
    for (const dropDelete of [true, false]) {
      test(`merges overlapping runs (${fast ? "columnar" : "general"} path, dropDelete ${dropDelete})`, async () => {
        try {
          const store = new MemoryStore();
          const schema = schemaOf();
          const rnd = seededRandom(fast ? 3 : 4);
          const all: Rec[] = [];
          const files: DataFileMeta[] = [];
          for (let r = 0; r < 4; r++) {
            const recs = records(rnd, 150, 0, 400, BigInt(r * 1000));
            all.push(...recs);
            files.push(await writeFile(store, schema, recs, 0));
          }
          const levels = levelsOf(files, schema);
          const unit = compactUnitFromFiles(levels.allFiles(), { outputLevel: 3, fileRewrite: false });
          const result = await runCompaction(unit, levels, await context(store, schema, fast), { dropDelete });
          assert.deepEqual(new Set(result.before.map((f) => f.fileName)), new Set(files.map((f) => f.fileName)));
          assert.deepEqual(result.changelog, []);
          assert.ok(result.after.every((f) => f.level === 3 && f.fileSource === FILE_SOURCE.COMPACT && f.schemaId === 0n));
          const got = await readOutput(store, schema, result.after);
          const want = dedup(all, dropDelete);
          assert.deepEqual(got, want);
          const deletes = want.filter((r) => r.kind === 1 || r.kind === 3).length;
          assert.equal(result.after.reduce((s, f) => s + (f.deleteRowCount ?? 0n), 0n), BigInt(deletes));
          if (!dropDelete) assert.ok(deletes > 0, "the data holds delete results to keep");
        } finally {
          enableFastReads(true);
        }
      });
    }
  }

  test("the columnar and the general path write the same facts", async () => {
    const rnd = seededRandom(11);
    const batches = [0, 1, 2].map((r) => records(rnd, 300, 0, 700, BigInt(r * 1000)));
    const run = async (fast: boolean) => {
      const store = new MemoryStore();
      const schema = schemaOf();
      const files: DataFileMeta[] = [];
      for (const b of batches) files.push(await writeFile(store, schema, b, 0));
      const levels = levelsOf(files, schema);
      try {
        const result = await runCompaction(compactUnitFromFiles(levels.allFiles(), { outputLevel: 5, fileRewrite: false }), levels, await context(store, schema, fast), { dropDelete: true });
        return result.after.map(({ fileName: _n, fileSize: _s, creationTime: _c, ...facts }) => facts);
      } finally {
        enableFastReads(true);
      }
    };
    assert.deepEqual(await run(true), await run(false));
  });

  test("large single-run files are upgraded, small ones and overlapping sections rewritten", async () => {
    const store = new MemoryStore();
    // Files of at least target-file-size * compaction.small-file-ratio are "large".
    const schema = schemaOf({ "target-file-size": "6 kb", "compaction.small-file-ratio": "0.5" });
    const rnd = seededRandom(21);
    const big = records(rnd, 200, 0, 200, 0n, 0);
    const bigFile = await writeFile(store, schema, big, 1);
    const small = records(rnd, 3, 1000, 1010, 5000n, 0);
    const smallFile = await writeFile(store, schema, small, 0);
    const o1 = records(rnd, 20, 2000, 2050, 6000n), o2 = records(rnd, 20, 2000, 2050, 7000n);
    const overlapping = [await writeFile(store, schema, o1, 0), await writeFile(store, schema, o2, 0)];
    assert.ok(bigFile.fileSize >= 3072n && smallFile.fileSize < 3072n, `sizes ${bigFile.fileSize} ${smallFile.fileSize}`);
    const levels = levelsOf([bigFile, smallFile, ...overlapping], schema);
    const unit = compactUnitFromFiles(levels.allFiles(), { outputLevel: 2, fileRewrite: false });
    const result = await runCompaction(unit, levels, await context(store, schema, true), { dropDelete: false });
    const upgraded = result.after.find((f) => f.fileName === bigFile.fileName);
    assert.deepEqual(upgraded, { ...bigFile, level: 2 }, "upgrade: same file, new level");
    assert.equal(result.after.filter((f) => f.fileName !== bigFile.fileName).length, 1, "small file and overlapping section rewritten together");
    const rewritten = await readOutput(store, schema, result.after.filter((f) => f.fileName !== bigFile.fileName));
    assert.deepEqual(rewritten, dedup([...small, ...o1, ...o2], false));
  });

  test("files of an older schema are read evolved and rewritten with the current one", async () => {
    const store = new MemoryStore();
    const old = schemaOf({}, 0n, false);
    const current = schemaOf({}, 1n, true);
    await store.put("schema/schema-0", utf8Encode(encodeTableSchema(old)));
    await store.put("schema/schema-1", utf8Encode(encodeTableSchema(current)));
    const rnd = seededRandom(31);
    const a = records(rnd, 50, 0, 80, 0n, 0), b = records(rnd, 50, 0, 80, 1000n, 0);
    const files = [await writeFile(store, old, a, 0), await writeFile(store, current, b, 0)];
    const levels = levelsOf(files, current);
    const result = await runCompaction(compactUnitFromFiles(levels.allFiles(), { outputLevel: 5, fileRewrite: false }), levels, await context(store, current, true), { dropDelete: true });
    assert.ok(result.after.every((f) => f.schemaId === 1n));
    const want = dedup([...a.map((r) => ({ ...r, d: null as unknown as number })), ...b], true);
    assert.deepEqual(await readOutput(store, current, result.after), want);
  });

  test("sequence numbers beyond ±2^62 make the columnar path step aside: same result", async () => {
    const store = new MemoryStore();
    const schema = schemaOf();
    const rnd = seededRandom(41);
    const a = records(rnd, 40, 0, 60, 2n ** 62n + 5n), b = records(rnd, 40, 0, 60, 2n ** 62n + 100n);
    const files = [await writeFile(store, schema, a, 0), await writeFile(store, schema, b, 0)];
    const levels = levelsOf(files, schema);
    const result = await runCompaction(compactUnitFromFiles(levels.allFiles(), { outputLevel: 5, fileRewrite: false }), levels, await context(store, schema, true), { dropDelete: false });
    assert.deepEqual(await readOutput(store, schema, result.after), dedup([...a, ...b], false));
  });

  test("sequence.field orders the records of a key (general path)", async () => {
    const store = new MemoryStore();
    const schema = schemaOf({ "sequence.field": "d" });
    const rnd = seededRandom(51);
    const a = records(rnd, 60, 0, 80, 0n, 0), b = records(rnd, 60, 0, 80, 1000n, 0);
    const files = [await writeFile(store, schema, a, 0), await writeFile(store, schema, b, 0)];
    const levels = levelsOf(files, schema);
    const result = await runCompaction(compactUnitFromFiles(levels.allFiles(), { outputLevel: 5, fileRewrite: false }), levels, await context(store, schema, true), { dropDelete: true });
    const best = new Map<bigint, Rec>();
    for (const r of [...a, ...b]) {
      const cur = best.get(r.k);
      if (cur === undefined || r.d > cur.d || (r.d === cur.d && r.seq > cur.seq)) best.set(r.k, r);
    }
    const want = [...best.values()].filter((r) => r.kind === 0 || r.kind === 2).sort((x, y) => (x.k < y.k ? -1 : 1));
    assert.deepEqual(await readOutput(store, schema, result.after), want);
  });

  test("refuses deletion vectors", async () => {
    const store = new MemoryStore();
    const schema = schemaOf({ "deletion-vectors.enabled": "true" });
    const files = [await writeFile(store, schema, records(seededRandom(1), 5, 0, 10, 0n), 0)];
    const levels = levelsOf(files, schema);
    await assert.rejects(runCompaction(compactUnitFromFiles(files, { outputLevel: 5, fileRewrite: false }), levels, await context(store, schema, true), { dropDelete: true }),
      (e) => isLakeError(e, "unsupported") && /compaction/.test(e.message));
  });

  test("lookup and full-compaction producers: a level-0 file pushed to the max level gives +I changelog of its adds", async () => {
    for (const producer of ["lookup", "full-compaction"]) {
      const store = new MemoryStore();
      const schema = schemaOf({ "changelog-producer": producer });
      const recs = records(seededRandom(3), 12, 0, 30, 0n);
      const files = [await writeFile(store, schema, recs, 0)];
      const levels = levelsOf(files, schema);
      const ctx = { ...await context(store, schema, true), nextChangelogFileName: dataFileNamer(uuids, "parquet", { "data-file.prefix": "changelog-" }) };
      const result = await runCompaction(compactUnitFromFiles(files, { outputLevel: 5, fileRewrite: false }), levels, ctx, { dropDelete: true });
      const adds = recs.filter((r) => r.kind === 0 || r.kind === 2).sort((a, b) => (a.k < b.k ? -1 : 1));
      assert.ok(result.changelog.length === 1 && /^changelog-/.test(result.changelog[0]!.fileName), producer);
      assert.equal(result.changelog[0]!.level, 5);
      assert.equal(result.changelog[0]!.fileSource, FILE_SOURCE.APPEND);
      const changelog = await readOutput(store, schema, result.changelog);
      assert.deepEqual(changelog, adds.map((r) => ({ ...r, kind: 0 })), `${producer}: +I of every add, nothing for deletes`);
      assert.deepEqual(await readOutput(store, schema, result.after), adds, `${producer}: the compacted file keeps the adds`);
    }
  });
});
