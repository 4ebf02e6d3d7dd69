// Goal: compacted buckets (one sorted run over several files, as full compaction leaves them)
// read through the columnar fast path's "concat" strategy equal the general read, and lookups
// built from them (fast path on) answer exactly what a full scan holds, hits and misses, for
// integer, BIGINT and string keys, with nullable value columns; a bucket that is not one run
// (overlapping files) still reads and looks up right.
// Method: random tables written as real Paimon files (bench/read_table_writer.ts) into a
// MemoryStore: per bucket, distinct sorted keys cut into 1-5 files at one level, given in
// shuffled manifest order, all rows +I/+U; some tables add an overlapping level-0 file. The fast
// read is compared with the general read row by row, and the lookup with table.rows().
import { tableToIPC } from "apache-arrow";
import { assert, seededRandom, test } from "../../harness.ts";
import { enableFastParquet, parquetWasmModule, randomValue } from "../table/fast_read_helpers.ts";
import { physicalArrowTable, writePkTable, type TableFileInput } from "../../../bench/read_table_writer.ts";
import { columnsToArrowTable } from "../../../src/api/arrow.ts";
import { bufferColumnsToArrowTable } from "../../../src/api/arrow_buffers.ts";
import { Table } from "../../../src/api/table.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { loadKernel } from "../../../src/kernel/mod.ts";
import { createMergeFunctionFactory } from "../../../src/lsm/merge_function/merge_function.ts";
import { fixedBucket } from "../../../src/spec/bucket.ts";
import { atomic, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import { createKeyCodec } from "../../../src/spec/key_codec.ts";
import { createTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { planScan } from "../../../src/table/scan.ts";
import { readSchema } from "../../../src/table/schema_manager.ts";
import { readSnapshot } from "../../../src/table/snapshot_manager.ts";
import { readSplits, readSplitsBuffers, type SplitReadOptions } from "../../../src/table/table_read.ts";
import { compareBytes } from "../../../src/util/bytes.ts";
import { keyText, rowText, scanByKey } from "./lookup_helpers.ts";

const KEY_TYPES: DataType[] = [atomic("INT", { nullable: false }), atomic("BIGINT", { nullable: false }), atomic("VARCHAR", { nullable: false })];

interface Compacted { store: MemoryStore; schema: TableSchema; keys: Value[]; overlapping: boolean }

async function compactedTable(seed: number): Promise<Compacted> {
  const rnd = seededRandom(seed);
  const keyType = KEY_TYPES[seed % KEY_TYPES.length]!;
  const fields: DataField[] = [
    { id: 0, name: "k", type: keyType }, { id: 1, name: "a", type: atomic("DOUBLE") },
    { id: 2, name: "s", type: atomic("VARCHAR") }, { id: 3, name: "c", type: atomic("BIGINT") },
  ];
  const buckets = 1 + (seed % 2);
  const schema = createTableSchema({ fields, primaryKeys: ["k"], options: { bucket: String(buckets) }, timeMillis: 0n });
  const codec = createKeyCodec([keyType]);
  const overlapping = seed % 4 === 3;
  const files: TableFileInput[] = [];
  const allKeys: Value[] = [];
  let seq = 0;
  const fileOf = (bucket: number, level: number, part: { key: Value; bytes: Uint8Array }[], kinds: number[]): TableFileInput => {
    const seqs = part.map(() => BigInt(seq++));
    const values = fields.map((f) => part.map((e) => f.name === "k" ? e.key : f.name === "a" ? (rnd() < 0.2 ? null : rnd()) : f.name === "s" ? (rnd() < 0.2 ? null : `s${Math.floor(rnd() * 1e6)}`) : (rnd() < 0.2 ? null : BigInt(Math.floor(rnd() * 1e12)))));
    return {
      bucket, level, data: physicalArrowTable(schema, [part.map((e) => e.key)], seqs, kinds, values),
      minKey: [part[0]!.key], maxKey: [part[part.length - 1]!.key],
      minSequenceNumber: seqs[0]!, maxSequenceNumber: seqs[seqs.length - 1]!, deleteRowCount: BigInt(kinds.filter((k) => k === 1 || k === 3).length),
    };
  };
  // Distinct keys, each in the bucket Java's bucket function gives it (lookups route by it).
  const byKey = new Map<string, { key: Value; bytes: Uint8Array }>();
  const want = 50 + Math.floor(rnd() * 800);
  for (let i = 0; i < want * 2 && byKey.size < want; i++) {
    const key = keyType.root === "VARCHAR" ? `key${Math.floor(rnd() * 1e6)}` : randomValue(keyType, rnd, 100_000);
    const bytes = codec.encodeKeyPart([key]);
    byKey.set(bytes.join(","), { key, bytes });
  }
  for (let bucket = 0; bucket < buckets; bucket++) {
    const sorted = [...byKey.values()].filter((e) => fixedBucket([keyType], [e.key], buckets) === bucket)
      .sort((a, b) => compareBytes(a.bytes, b.bytes));
    if (sorted.length === 0) continue;
    allKeys.push(...sorted.map((e) => e.key));
    const count = 1 + Math.floor(rnd() * 5);
    const parts: (typeof sorted)[] = [];
    for (let f = 0; f < count; f++) {
      const part = sorted.slice(Math.floor((f * sorted.length) / count), Math.floor(((f + 1) * sorted.length) / count));
      if (part.length > 0) parts.push(part);
    }
    parts.sort(() => rnd() - 0.5);
    for (const part of parts) files.push(fileOf(bucket, 5, part, part.map(() => (rnd() < 0.5 ? 0 : 2))));
    if (overlapping) {
      const part = sorted.filter(() => rnd() < 0.2);
      if (part.length > 0) files.push(fileOf(bucket, 0, part, part.map(() => Math.floor(rnd() * 4))));
    }
  }
  const store = new MemoryStore();
  await writePkTable(store, schema, files, { pq: await parquetWasmModule(), compression: "SNAPPY" });
  return { store, schema, keys: allKeys, overlapping };
}

function probeOf(key: Value, rnd: () => number): Value {
  if (typeof key === "string") return rnd() < 0.5 ? key : `${key}x`;
  if (typeof key === "bigint") return rnd() < 0.5 ? key : key + 1n;
  return rnd() < 0.5 ? key : (key as number) + 1;
}

test("compacted buckets: the fast read equals the general read; lookups built on it equal a full scan", async () => {
  await enableFastParquet();
  const kernel = (await loadKernel()).kernel;
  let hits = 0, misses = 0, compared = 0;
  for (let seed = 1; seed <= 24; seed++) {
    const { store, schema, keys, overlapping } = await compactedTable(seed);
    const where = `seed ${seed} (${schema.fields[0]!.type.root} key, overlapping ${overlapping})`;
    const options: SplitReadOptions = {
      store, schema, schemaById: (id) => readSchema(store, id), fields: schema.fields, filter: null, kernel, mergeFactory: createMergeFunctionFactory(schema),
    };
    const plan = await planScan(store, { snapshot: await readSnapshot(store, 1n), schema, filter: null, skipLevel0: false });
    const fast = await readSplitsBuffers(options, plan.splits);
    assert.ok(fast !== null, `${where}: the fast path serves the read`);
    const general = await readSplits(options, plan.splits);
    assert.equal(fast!.rowCount, general.rowCount, where);
    const fastIpc = tableToIPC(bufferColumnsToArrowTable(fast!.fields, fast!.columns, fast!.rowCount));
    const generalIpc = tableToIPC(columnsToArrowTable(general.fields, general.columns, general.rowCount));
    assert.equal(compareBytes(fastIpc, generalIpc), 0, `${where}: fast and general reads differ`);
    compared++;
    const table = await Table.open(store);
    const lookup = await table.newLookup({ onWarning: () => {} });
    const expected = await scanByKey(table, ["k"], lookup.snapshotId);
    const rnd = seededRandom(seed * 7);
    const probes = Array.from({ length: 300 }, () => probeOf(keys[Math.floor(rnd() * keys.length)]!, rnd));
    const got = await lookup.getMany(probes.map((k) => [k]));
    for (let i = 0; i < probes.length; i++) {
      const want = expected.get(keyText([probes[i]!]))?.[0] ?? null;
      if (want === null) misses++; else hits++;
      assert.equal(rowText(got[i]!, ["k", "a", "s", "c"]), rowText(want, ["k", "a", "s", "c"]), `${where}: probe ${String(probes[i])}`);
    }
    await lookup.close();
  }
  assert.ok(compared === 24 && hits > 2000 && misses > 1500, `compared ${compared}, hits ${hits}, misses ${misses}`);
});
