// Goal: the columnar fast read returns the same Arrow table as the general read (same schema,
// same rows in the same order, same nulls) on random deduplicate tables and on the Java-written
// fixture tables it serves; it serves every table its rule admits, steps aside (null) for the
// rest, and reports damaged system columns as corruption like the general read.
// Method: random tables (every served type as key and value, composite keys, partitions, two
// buckets, 0-6 overlapping files per bucket at random levels, sequence-number ties, all row
// kinds, ignore-delete on and off, SNAPPY/ZSTD/no compression, random projections) written as
// real Paimon tables into a MemoryStore; each read through `readSplitsBuffers` (fast) and
// `readSplits` (general), both turned into Arrow and compared as IPC bytes.
import { tableToIPC, type Table as ArrowTable } from "apache-arrow";
import { fileURLToPath } from "node:url";
import { assert, seededRandom, test } from "../../harness.ts";
import { enableFastParquet, FAST_TYPES, parquetWasmModule, randomValue } from "./fast_read_helpers.ts";
import { physicalArrowTable, writePkTable, type BenchCompression, type TableFileInput } from "../../../bench/read_table_writer.ts";
import { columnsToArrowTable } from "../../../src/api/arrow.ts";
import { bufferColumnsToArrowTable } from "../../../src/api/arrow_buffers.ts";
import { Table } from "../../../src/api/table.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { loadKernel } from "../../../src/kernel/mod.ts";
import { createMergeFunctionFactory } from "../../../src/lsm/merge_function/merge_function.ts";
import { atomic, describeType, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import { createKeyCodec } from "../../../src/spec/key_codec.ts";
import { createTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { parsePredicate } from "../../../src/table/predicate_parser.ts";
import { planScan } from "../../../src/table/scan.ts";
import { latestSchema, readSchema } from "../../../src/table/schema_manager.ts";
import { listSnapshotIds, readSnapshot } from "../../../src/table/snapshot_manager.ts";
import { fastReadBlocker, readSplits, readSplitsBuffers, type SplitReadOptions } from "../../../src/table/table_read.ts";
import { compareBytes } from "../../../src/util/bytes.ts";

const TABLES = fileURLToPath(new URL("../../fixtures/paimon/java-tables/", import.meta.url));

async function splitReadOf(store: ObjectStore, snapshotId: bigint, fields?: readonly DataField[], filter: string | null = null) {
  const schema = await latestSchema(store);
  const factory = schema.primaryKeys.length > 0 ? createMergeFunctionFactory(schema) : null;
  const options: SplitReadOptions = {
    store, schema, schemaById: (id) => readSchema(store, id), fields: fields ?? schema.fields,
    filter: filter === null ? null : parsePredicate(filter), kernel: (await loadKernel()).kernel, mergeFactory: factory,
  };
  const plan = await planScan(store, { snapshot: await readSnapshot(store, snapshotId), schema, filter: options.filter, skipLevel0: factory?.batchScanSkipsLevel0 ?? false });
  return { options, splits: plan.splits };
}

/** Both reads as Arrow; the fast one is null when it does not serve the read. */
async function bothReads(store: ObjectStore, snapshotId: bigint, fields?: readonly DataField[], filter: string | null = null): Promise<{ fast: ArrowTable | null; general: ArrowTable }> {
  const { options, splits } = await splitReadOf(store, snapshotId, fields, filter);
  const buffers = await readSplitsBuffers(options, splits);
  const fast = buffers === null ? null : bufferColumnsToArrowTable(buffers.fields, buffers.columns, buffers.rowCount);
  const general = await readSplits(options, splits);
  return { fast, general: columnsToArrowTable(general.fields, general.columns, general.rowCount) };
}

function show(t: ArrowTable): string {
  return JSON.stringify(t.toArray().map((r) => r.toJSON()), (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v));
}

function assertSameArrow(fast: ArrowTable, general: ArrowTable, where: string): void {
  const a = tableToIPC(fast), b = tableToIPC(general);
  if (compareBytes(a, b) !== 0) {
    assert.equal(fast.schema.toString(), general.schema.toString(), `${where}: schema`);
    assert.equal(show(fast), show(general), `${where}: rows`);
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    const data = (t: ArrowTable) => t.data.map((d) => d.children.map((c) => `${c.type} n=${c.length} nulls=${c.nullCount} bitmap=${c.nullBitmap?.length ?? "-"} values=${(c.values as ArrayLike<number> | undefined)?.length ?? "-"} offsets=${c.valueOffsets?.length ?? "-"}`).join("; ")).join(" | ");
    assert.fail(`${where}: same rows, different Arrow IPC bytes (${a.length} vs ${b.length}, first difference at ${at}); fast ${data(fast)}; general ${data(general)}`);
  }
}

// ---- random tables ------------------------------------------------------------------------

interface RandomTable { store: MemoryStore; schema: TableSchema; files: number }

function randomType(rnd: () => number, nullable: boolean): DataType {
  const t = FAST_TYPES[Math.floor(rnd() * FAST_TYPES.length)]!;
  return { ...t, nullable } as DataType;
}

async function randomTable(seed: number): Promise<RandomTable> {
  const rnd = seededRandom(seed);
  const pq = await parquetWasmModule();
  const partitioned = rnd() < 0.4;
  const keyTypes = Array.from({ length: rnd() < 0.7 ? 1 : 2 }, () => randomType(rnd, false));
  const valueTypes = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => randomType(rnd, rnd() < 0.85));
  const fields: DataField[] = [
    ...(partitioned ? [{ id: 0, name: "p", type: atomic("INT", { nullable: false }) }] : []),
    ...keyTypes.map((type, i) => ({ id: 10 + i, name: `k${i}`, type })),
    ...valueTypes.map((type, i) => ({ id: 20 + i, name: `v${i}`, type })),
  ];
  const buckets = rnd() < 0.5 ? 1 : 2;
  const schema = createTableSchema({
    fields, partitionKeys: partitioned ? ["p"] : [], primaryKeys: [...(partitioned ? ["p"] : []), ...keyTypes.map((_, i) => `k${i}`)],
    options: { bucket: String(buckets), "ignore-delete": String(rnd() < 0.3) }, timeMillis: 0n,
  });
  const codec = createKeyCodec(keyTypes);
  const spread = 2 + Math.floor(rnd() * 25);
  const tiedSequences = rnd() < 0.5;
  const files: TableFileInput[] = [];
  for (const p of partitioned ? [0, 1] : [null]) {
    for (let bucket = 0; bucket < buckets; bucket++) {
      const count = Math.floor(rnd() * 7);
      for (let f = 0; f < count; f++) {
        const byKey = new Map<string, { key: Value[]; bytes: Uint8Array }>();
        const rows = Math.floor(rnd() * 40);
        for (let i = 0; i < rows; i++) {
          const key = keyTypes.map((t) => randomValue(t, rnd, spread));
          const bytes = codec.encodeKeyPart(key);
          byKey.set(bytes.join(","), { key, bytes });
        }
        const sorted = [...byKey.values()].sort((a, b) => compareBytes(a.bytes, b.bytes));
        const n = sorted.length;
        const seqs = sorted.map((_, i) => BigInt(tiedSequences ? Math.floor(rnd() * 8) : f * 100 + i));
        const kinds = sorted.map(() => Math.floor(rnd() * 4));
        const values = fields.map((field) => sorted.map((e) => {
          if (field.name === "p") return p;
          if (field.name.startsWith("k")) return e.key[Number(field.name.slice(1))]!;
          return field.type.nullable && rnd() < 0.2 ? null : randomValue(field.type, rnd, 1000);
        }));
        const keyColumns = keyTypes.map((_, k) => sorted.map((e) => e.key[k]!));
        const s = seqs.length === 0 ? [0n] : seqs;
        files.push({
          partition: p === null ? [] : [p], bucket, level: Math.floor(rnd() * 3),
          data: physicalArrowTable(schema, keyColumns, seqs, kinds, values),
          minKey: n === 0 ? keyTypes.map(() => null) : sorted[0]!.key, maxKey: n === 0 ? keyTypes.map(() => null) : sorted[n - 1]!.key,
          minSequenceNumber: s.reduce((a, b) => (a < b ? a : b)), maxSequenceNumber: s.reduce((a, b) => (a > b ? a : b)),
          deleteRowCount: BigInt(kinds.filter((k) => k === 1 || k === 3).length),
        });
      }
    }
  }
  const store = new MemoryStore();
  const compression = (["SNAPPY", "ZSTD", "UNCOMPRESSED"] as BenchCompression[])[Math.floor(rnd() * 3)]!;
  await writePkTable(store, schema, files, { pq, compression });
  return { store, schema, files: files.length };
}

test("random deduplicate tables: the fast read serves them and equals the general read, with projections", async () => {
  await enableFastParquet();
  let served = 0, rows = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const { store, schema } = await randomTable(seed);
    const rnd = seededRandom(seed * 31);
    const projection = [...schema.fields].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * schema.fields.length));
    for (const fields of [schema.fields, projection]) {
      const where = `seed ${seed} (${fields.map((f) => `${f.name} ${describeType(f.type)}`).join(", ")}; ${schema.options["ignore-delete"] === "true" ? "ignore-delete" : "deduplicate"})`;
      const { fast, general } = await bothReads(store, 1n, fields);
      assert.ok(fast !== null, `${where}: the fast path must serve this read`);
      assertSameArrow(fast, general, where);
      served++;
      rows += general.numRows;
    }
  }
  assert.ok(served === 120 && rows > 1000, `served ${served} reads, ${rows} rows`);
});

test("Table.read returns the same Arrow table with and without parquet-wasm", async () => {
  const { store } = await randomTable(1234);
  const table = await Table.open(store);
  setFastParquetSource(null);
  const general = await table.read();
  await enableFastParquet();
  const fast = await table.read();
  assertSameArrow(fast, general, "Table.read");
  assert.ok(general.numRows > 0);
  const projected = await table.read({ columns: [table.schema.fields[table.schema.fields.length - 1]!.name] });
  setFastParquetSource(null);
  assertSameArrow(projected, await table.read({ columns: [table.schema.fields[table.schema.fields.length - 1]!.name] }), "Table.read projected");
  await enableFastParquet();
});

// ---- Java fixture tables ------------------------------------------------------------------

test("Java fixture tables: wherever the fast read serves a snapshot, it equals the general read", async () => {
  await enableFastParquet();
  const served: string[] = [];
  const tables = [
    "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor", "paimon-0.5.db/many_pk_table", "pk_09.db/pk_09",
    "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row", "append_complex_data.db/append_complex_data",
  ];
  for (const name of tables) {
    const store = new NodeFsStore(TABLES + name);
    const schema = await latestSchema(store);
    const flat = schema.fields.filter((f) => !/^TIMESTAMP/.test(f.type.root) || /\(([1-6])\)/.test(describeType(f.type)));
    for (const id of await listSnapshotIds(store)) {
      for (const fields of [schema.fields, flat]) {
        const { fast, general } = await bothReads(store, id, fields);
        if (fast === null) continue;
        assertSameArrow(fast, general, `${name} snapshot ${id}`);
        served.push(`${name}@${id}`);
      }
    }
  }
  // The dedup tables are served (mor at every snapshot; 0.5's table once TIMESTAMP(0) is projected out),
  // and so is the first-row table (its batch scan skips level 0, leaving one sorted run per
  // bucket) and pk_09 (lookup wrapper) wherever its buckets are one run without deletion vectors.
  assert.ok(served.filter((s) => s.startsWith("pk_table_scan_and_read_mor")).length >= 5, served.join(" "));
  assert.ok(served.some((s) => s.startsWith("paimon-0.5.db")), served.join(" "));
  assert.ok(served.filter((s) => s.startsWith("pk_table_scan_and_read_first_row")).length >= 5, served.join(" "));
  assert.ok(served.includes("pk_09.db/pk_09@1") && !served.includes("pk_09.db/pk_09@4"), `pk_09: served before its deletion vector (${served.join(" ")})`);
  assert.ok(!served.some((s) => /append/.test(s)), `not served: append (${served.join(" ")})`);
});

// ---- the rule ------------------------------------------------------------------------------

test("fastReadBlocker names what keeps a read on the general path", async () => {
  await enableFastParquet();
  const mor = new NodeFsStore(TABLES + "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");
  const noBlock = await splitReadOf(mor, 5n);
  assert.equal(await fastReadBlocker(noBlock.options, noBlock.splits), null);
  const filtered = await splitReadOf(mor, 5n, undefined, "f3 > 1");
  assert.match(String(await fastReadBlocker(filtered.options, filtered.splits)), /filter/);
  assert.equal(await readSplitsBuffers(filtered.options, filtered.splits), null);
  const cases: [string, RegExp][] = [
    ["pk_09.db/pk_09", /has a deletion vector/],
    ["append_complex_data.db/append_complex_data", /append/],
  ];
  for (const [name, why] of cases) {
    const store = new NodeFsStore(TABLES + name);
    const ids = await listSnapshotIds(store);
    const { options, splits } = await splitReadOf(store, ids[ids.length - 1]!);
    assert.match(String(await fastReadBlocker(options, splits)), why, name);
  }
  const old = new NodeFsStore(TABLES + "paimon-0.5.db/many_pk_table");
  const all = await splitReadOf(old, 1n);
  assert.match(String(await fastReadBlocker(all.options, all.splits)), /TIMESTAMP\(0\)/);
  setFastParquetSource(null);
  assert.match(String(await fastReadBlocker(noBlock.options, noBlock.splits)), /parquet-wasm is not loaded/);
  assert.equal(await readSplitsBuffers(noBlock.options, noBlock.splits), null);
  await enableFastParquet();
});

test("other merge engines: served where every bucket is one sorted run of adds (equal to the general read), else the general path", async () => {
  await enableFastParquet();
  const pq = await parquetWasmModule();
  const engines: Record<string, string>[] = [
    { "merge-engine": "aggregation", "fields.v.aggregate-function": "sum" }, { "merge-engine": "partial-update" },
    { "merge-engine": "first-row" }, { "merge-engine": "aggregation", "fields.v.aggregate-function": "max", "sequence.field": "s" },
  ];
  const file = (schema: TableSchema, bucket: number, level: number, keys: number[], kinds: number[], seq0: bigint): TableFileInput => ({
    partition: [], bucket, level,
    data: physicalArrowTable(schema, [keys], keys.map((_, i) => seq0 + BigInt(i)), kinds, [keys, keys.map((k) => k * 10 + Number(seq0)), keys.map((k) => k % 3)]),
    minKey: [keys[0]!], maxKey: [keys[keys.length - 1]!], minSequenceNumber: seq0, maxSequenceNumber: seq0 + BigInt(keys.length - 1),
    deleteRowCount: BigInt(kinds.filter((k) => k === 1 || k === 3).length),
  });
  const adds = (n: number) => new Array<number>(n).fill(0);
  let served = 0;
  for (const engine of engines) {
    const schema = createTableSchema({
      fields: [{ id: 0, name: "k", type: atomic("INT", { nullable: false }) }, { id: 1, name: "v", type: atomic("INT") }, { id: 2, name: "s", type: atomic("INT") }],
      primaryKeys: ["k"], options: { bucket: "2", ...engine }, timeMillis: 0n,
    });
    const layouts: [string, TableFileInput[], RegExp | null][] = [
      ["one level-0 file per bucket", [file(schema, 0, 0, [1, 2, 5], adds(3), 1n), file(schema, 1, 0, [3, 4], adds(2), 1n)], null],
      ["disjoint files at one level", [file(schema, 0, 2, [1, 2], adds(2), 1n), file(schema, 0, 2, [5, 9], adds(2), 10n), file(schema, 1, 1, [3], adds(1), 1n)], null],
      ["two level-0 files", [file(schema, 0, 0, [1, 2], adds(2), 1n), file(schema, 0, 0, [2, 3], adds(2), 10n)], /may overlap \(levels 0\)/],
      ["files at two levels", [file(schema, 0, 1, [1, 2], adds(2), 1n), file(schema, 0, 2, [2, 3], adds(2), 10n)], /may overlap \(levels 1, 2\)/],
      ["a file with a retraction", [file(schema, 0, 0, [1, 2, 3], [0, 3, 0], 1n)], /counts 1 deleted rows/],
    ];
    for (const [name, files, why] of layouts) {
      const store = new MemoryStore();
      await writePkTable(store, schema, files, { pq, compression: "SNAPPY" });
      const where = `${JSON.stringify(engine)}: ${name}`;
      const { options, splits } = await splitReadOf(store, 1n);
      const blocker = await fastReadBlocker(options, splits);
      const { fast, general } = await bothReads(store, 1n);
      if (splits.every((split) => split.files.length === 0)) {
        // First-row batch scans skip level 0: nothing of a level-0 layout is read at all.
        assert.equal(engine["merge-engine"], "first-row", where);
        assert.equal(general.numRows, 0, where);
        continue;
      }
      if (why === null) {
        assert.equal(blocker, null, where);
        assert.ok(fast !== null, `${where}: served`);
        assertSameArrow(fast, general, where);
        served++;
      } else {
        assert.match(String(blocker), new RegExp(`merge engine ${engine["merge-engine"]}: .*${why.source}`), where);
        assert.equal(fast, null, where);
      }
    }
  }
  assert.ok(served >= 7, `served ${served}`);
});

test("a deduplicate table with sequence.field: served where a bucket is one run, else the general path", async () => {
  await enableFastParquet();
  const schema = createTableSchema({
    fields: [{ id: 0, name: "k", type: atomic("INT", { nullable: false }) }, { id: 1, name: "v", type: atomic("INT") }],
    primaryKeys: ["k"], options: { bucket: "1", "sequence.field": "v" }, timeMillis: 0n,
  });
  const file = (keys: number[], v: number[], seq0: bigint): TableFileInput => ({
    data: physicalArrowTable(schema, [keys], keys.map((_, i) => seq0 + BigInt(i)), keys.map(() => 0), [keys, v]),
    minKey: [keys[0]!], maxKey: [keys[keys.length - 1]!], minSequenceNumber: seq0, maxSequenceNumber: seq0 + BigInt(keys.length - 1), deleteRowCount: 0n,
  });
  const one = new MemoryStore();
  await writePkTable(one, schema, [file([1, 2], [10, 20], 1n)], { pq: await parquetWasmModule(), compression: "SNAPPY" });
  const served = await bothReads(one, 1n);
  assert.ok(served.fast !== null, "one file: served");
  assertSameArrow(served.fast, served.general, "sequence.field, one file");
  const two = new MemoryStore();
  // Key 2 in both files: the first file's row wins by its larger sequence field.
  await writePkTable(two, schema, [file([1, 2], [10, 90], 1n), file([2, 3], [20, 30], 10n)], { pq: await parquetWasmModule(), compression: "SNAPPY" });
  const { options: read, splits } = await splitReadOf(two, 1n);
  assert.match(String(await fastReadBlocker(read, splits)), /^sequence\.field is set: a bucket holds 2 files that may overlap/);
  const merged = await bothReads(two, 1n);
  assert.equal(merged.fast, null);
  assert.deepEqual([...merged.general.getChild("v")!.toArray()], [10, 90, 30]);
});

test("run-time step-aside: a file with unsorted keys is read by the general path (which sorts it)", async () => {
  await enableFastParquet();
  const schema = createTableSchema({
    fields: [{ id: 0, name: "k", type: atomic("INT", { nullable: false }) }, { id: 1, name: "v", type: atomic("VARCHAR", { length: 5 }) }],
    primaryKeys: ["k"], options: { bucket: "1" }, timeMillis: 0n,
  });
  const store = new MemoryStore();
  await writePkTable(store, schema, [{
    data: physicalArrowTable(schema, [[3, 1, 2]], [1n, 2n, 3n], [0, 0, 0], [[3, 1, 2], ["c", "a", "b"]]),
    minKey: [3], maxKey: [2], minSequenceNumber: 1n, maxSequenceNumber: 3n, deleteRowCount: 0n,
  }], { pq: await parquetWasmModule(), compression: "SNAPPY" });
  const { options, splits } = await splitReadOf(store, 1n);
  assert.equal(await fastReadBlocker(options, splits), null);
  assert.equal(await readSplitsBuffers(options, splits), null);
  const table = await Table.open(store);
  assert.deepEqual((await table.read()).getChild("v")!.toArray(), ["a", "b", "c"]);
});

test("damaged system columns are corruption on the fast path too", async () => {
  await enableFastParquet();
  const schema = createTableSchema({
    fields: [{ id: 0, name: "k", type: atomic("INT", { nullable: false }) }, { id: 1, name: "v", type: atomic("INT") }],
    primaryKeys: ["k"], options: { bucket: "1" }, timeMillis: 0n,
  });
  const store = new MemoryStore();
  const paths = await writePkTable(store, schema, [{
    data: physicalArrowTable(schema, [[1, 2]], [1n, 2n], [0, 7], [[1, 2], [10, 20]]),
    minKey: [1], maxKey: [2], minSequenceNumber: 1n, maxSequenceNumber: 2n, deleteRowCount: 0n,
  }], { pq: await parquetWasmModule(), compression: "SNAPPY" });
  const { options, splits } = await splitReadOf(store, 1n);
  await assert.rejects(readSplitsBuffers(options, splits), (e: unknown) => (e as { code?: string }).code === "corruption" && /_VALUE_KIND 7/.test(String(e)));
  await assert.rejects(readSplits(options, splits), (e: unknown) => (e as { code?: string }).code === "corruption");
  // A truncated file: the size check fires before decoding, as on the general path.
  const bytes = await store.get(paths[0]!);
  await store.put(paths[0]!, bytes.subarray(0, bytes.length - 1));
  await assert.rejects(readSplitsBuffers(options, splits), (e: unknown) => (e as { code?: string }).code === "corruption" && /bytes, the manifest says/.test(String(e)));
});
