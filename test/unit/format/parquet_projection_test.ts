// Goal: a Parquet file whose footer is cut to some top-level columns (parquet_projection.ts)
// reads, for those columns, exactly as the whole file does, in both readers (hyparquet and
// parquet-wasm), for every Java-written fixture data file and every column, nested ones
// included; the footer keeps only what belongs to the kept columns (schema subtree, chunks,
// column orders, remapped sorting columns, no ARROW:schema); a damaged footer is corruption
// naming the file; nothing is rewritten when every column is kept.
// Method: walk test/fixtures/paimon/java-tables, project each file onto each column and onto
// its first and last columns, read both versions with both readers and compare; synthetic
// footers for the sorting-column and corruption rules; a parquet-wasm file (ARROW:schema,
// nested struct and list columns: the Java fixtures hold none) projected every way.
import { assert, listFixtureDir, readFixture, test } from "../../harness.ts";
import { enableFastParquet, parquetWasmModule } from "../table/fast_read_helpers.ts";
import { fixtureDataFiles, JAVA_TABLES } from "./parquet_fixture_files.ts";
import { tableFromJSON, tableToIPC } from "apache-arrow";
import { isBufferReadable, readParquetBuffers } from "../../../src/format/data/parquet_arrow_reader.ts";
import { ARROW_SCHEMA_METADATA_KEY, decodeParquetFooter } from "../../../src/format/data/parquet_footer.ts";
import { projectParquetFile, projectParquetFooter } from "../../../src/format/data/parquet_projection.ts";
import { readParquetColumns } from "../../../src/format/data/parquet_reader.ts";
import { thriftField, ThriftType, type ThriftField, type ThriftValue } from "../../../src/format/data/thrift_compact.ts";
import { atomic, dataTypeFromJson, type DataField } from "../../../src/spec/data_types.ts";

const SYSTEM: DataField[] = [
  { id: 2147483646, name: "_SEQUENCE_NUMBER", type: atomic("BIGINT", { nullable: false }) },
  { id: 2147483645, name: "_VALUE_KIND", type: atomic("TINYINT", { nullable: false }) },
];

function show(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v instanceof Map ? [...v] : v));
}

function list(fields: readonly ThriftField[], id: number): readonly ThriftValue[] {
  const v = thriftField(fields, id);
  return v?.kind === "list" ? v.items : [];
}

function fieldsOf(v: ThriftValue): readonly ThriftField[] {
  assert.equal(v.kind, "struct");
  return (v as { fields: readonly ThriftField[] }).fields;
}

function topNames(meta: readonly ThriftField[]): string[] {
  const schema = list(meta, 2).map(fieldsOf);
  const names: string[] = [];
  let at = 1;
  const skip = (): void => {
    const children = (thriftField(schema[at]!, 5) as { value?: number } | undefined)?.value ?? 0;
    at++;
    for (let c = 0; c < children; c++) skip();
  };
  const root = (thriftField(schema[0]!, 5) as { value: number }).value;
  for (let c = 0; c < root; c++) {
    names.push(new TextDecoder().decode((thriftField(schema[at]!, 4) as { value: Uint8Array }).value));
    skip();
  }
  assert.equal(at, schema.length, "the root's children span the whole schema");
  return names;
}

test("every column of every Java fixture data file reads the same from a file projected onto it", async () => {
  const pq = await enableFastParquet();
  let files = 0, compared = 0;
  for (const db of await listFixtureDir(JAVA_TABLES)) {
    for (const table of await listFixtureDir(`${JAVA_TABLES}/${db}`)) {
      for (const file of await fixtureDataFiles(`${db}/${table}`)) {
        const bytes = await readFixture(file.path);
        const fields = [...file.schema.fields, ...(file.primaryKey ? SYSTEM : [])];
        const full = await readParquetColumns(bytes, fields.map((f) => ({ name: f.name, type: f.type })), { fileName: file.path });
        const physical = topNames(decodeParquetFooter(bytes));
        files++;
        const subsets = [...fields.map((f) => [f]), [fields[0]!, fields[fields.length - 1]!]];
        for (const subset of subsets) {
          const keep = new Set(subset.map((f) => f.name));
          const projected = projectParquetFile(bytes, keep, { fileName: file.path, writable: false });
          assert.notEqual(projected, bytes, `${file.path}: ${[...keep]} drops columns`);
          assert.deepEqual(topNames(decodeParquetFooter(projected)), physical.filter((n) => keep.has(n)), `${file.path}: kept columns, in file order`);
          const requests = subset.map((f) => ({ name: f.name, type: f.type }));
          const general = await readParquetColumns(projected, requests, { fileName: file.path });
          assert.equal(general.rowCount, full.rowCount);
          subset.forEach((f, i) => {
            assert.equal(show(general.columns[i]), show(full.columns[fields.indexOf(f)]), `${file.path}: ${f.name} through hyparquet`);
            compared++;
          });
          const served = requests.filter((r) => isBufferReadable(r.type));
          if (served.length > 0) {
            const a = await readParquetBuffers(pq, projected as Uint8Array<ArrayBuffer>, served, { fileName: file.path });
            const b = await readParquetBuffers(pq, bytes, served, { fileName: file.path });
            assert.equal(a === null, b === null, `${file.path}: the fast reader serves both or neither`);
            if (a !== null && b !== null) assert.equal(show(a.columns), show(b.columns), `${file.path}: ${served.map((r) => r.name)} through parquet-wasm`);
          }
        }
      }
    }
  }
  assert.ok(files >= 20 && compared > 200, `${files} files, ${compared} columns`);
});

test("keeping every column returns the file itself; a writable file is projected in place", async () => {
  const file = (await fixtureDataFiles("default.db/pk_table_scan_and_read_mor").catch(() => []))[0]
    ?? (await fixtureDataFiles(`${(await listFixtureDir(JAVA_TABLES))[0]}/${(await listFixtureDir(`${JAVA_TABLES}/${(await listFixtureDir(JAVA_TABLES))[0]}`))[0]}`))[0]!;
  const bytes = await readFixture(file.path);
  const all = new Set(topNames(decodeParquetFooter(bytes)));
  assert.equal(projectParquetFile(bytes, all, { fileName: "x", writable: false }), bytes);
  assert.equal(projectParquetFile(bytes, new Set([...all, "not-there"]), { fileName: "x", writable: false }), bytes);
  const copy = bytes.slice();
  const one = [...all].find((n) => !n.startsWith("_"))!;
  const inPlace = projectParquetFile(copy, new Set([one]), { fileName: "x", writable: true });
  assert.equal(inPlace.buffer, copy.buffer, "a view of the same buffer");
  assert.ok(inPlace.length < copy.length);
  assert.deepEqual(topNames(decodeParquetFooter(inPlace)), [one]);
  assert.deepEqual([...inPlace.subarray(inPlace.length - 4)], [0x50, 0x41, 0x52, 0x31]);
  let asked = 0;
  const viaOutput = projectParquetFile(bytes, new Set([one]), { fileName: "x", writable: false, output: (n) => { asked = n; return new Uint8Array(n + 100); } });
  assert.equal(asked, inPlace.length);
  assert.deepEqual([...viaOutput], [...inPlace]);
});

const str = (s: string): ThriftValue => ({ kind: "binary", value: new TextEncoder().encode(s) });
const i32 = (value: number): ThriftValue => ({ kind: "i32", value });
const i64 = (value: number): ThriftValue => ({ kind: "i64", value: BigInt(value) });
const struct = (...fields: [number, ThriftValue][]): ThriftValue => ({ kind: "struct", fields: fields.map(([id, value]) => ({ id, value })) });
const structs = (items: ThriftValue[]): ThriftValue => ({ kind: "list", elementType: ThriftType.STRUCT, items });

/** A FileMetaData with columns a (leaf), g (group of two leaves), c (leaf) and one row group. */
function syntheticFooter(sorting: number[], rootChildren = 3): ThriftField[] {
  const leaf = (name: string) => struct([1, i32(2)], [3, i32(1)], [4, str(name)]);
  const chunk = (offset: number, size: number) => struct([2, i64(offset)], [3, struct([4, i32(0)], [6, i64(size)], [7, i64(size)], [9, i64(offset)])]);
  return [
    { id: 1, value: i32(2) },
    { id: 2, value: structs([struct([4, str("root")], [5, i32(rootChildren)]), leaf("a"), struct([3, i32(1)], [4, str("g")], [5, i32(2)]), leaf("x"), leaf("y"), leaf("c")]) },
    { id: 3, value: i64(10) },
    { id: 4, value: structs([struct([1, structs([chunk(4, 10), chunk(14, 20), chunk(34, 30), chunk(64, 40)])], [2, i64(100)], [3, i64(10)],
      [4, structs(sorting.map((c) => struct([1, i32(c)], [2, { kind: "bool", value: false }], [3, { kind: "bool", value: true }])))], [5, i64(4)], [6, i64(100)])]) },
    { id: 5, value: structs([struct([1, str(ARROW_SCHEMA_METADATA_KEY)], [2, str("AAAA")]), struct([1, str("other")], [2, str("kept")])]) },
    { id: 7, value: structs([0, 1, 2, 3].map(() => struct([1, struct()]))) },
  ];
}

test("the footer keeps the kept subtrees, chunks, orders and sizes; sorting columns are remapped and cut at a dropped one", () => {
  const meta = syntheticFooter([3, 0, 1]);
  const p = projectParquetFooter(meta, new Set(["g", "c"]), "s.parquet")!;
  assert.deepEqual(topNames(p), ["g", "c"]);
  assert.equal(list(p, 2).length, 5, "root + g + x + y + c");
  const rg = fieldsOf(list(p, 4)[0]!);
  assert.deepEqual(list(rg, 1).map((cc) => Number((thriftField(fieldsOf(cc), 2) as { value: bigint }).value)), [14, 34, 64]);
  assert.equal((thriftField(rg, 2) as { value: bigint }).value, 90n, "total_byte_size over kept chunks");
  assert.equal((thriftField(rg, 6) as { value: bigint }).value, 90n);
  assert.equal((thriftField(rg, 5) as { value: bigint }).value, 14n, "file_offset of the first kept chunk");
  assert.deepEqual(list(rg, 4).map((s) => (thriftField(fieldsOf(s), 1) as { value: number }).value), [2], "c (3→2), then a is dropped: cut");
  assert.equal(list(p, 7).length, 3, "one column order per kept leaf");
  assert.deepEqual(list(p, 5).map((kv) => new TextDecoder().decode((thriftField(fieldsOf(kv), 1) as { value: Uint8Array }).value)), ["other"], "ARROW:schema dropped");
  const q = projectParquetFooter(syntheticFooter([0, 3]), new Set(["a", "c"]), "s.parquet")!;
  assert.deepEqual(list(fieldsOf(list(q, 4)[0]!), 4).map((s) => (thriftField(fieldsOf(s), 1) as { value: number }).value), [0, 1]);
  const r = projectParquetFooter(syntheticFooter([1]), new Set(["a"]), "s.parquet")!;
  assert.equal(thriftField(fieldsOf(list(r, 4)[0]!), 4), undefined, "no sorting columns left");
  assert.equal(projectParquetFooter(syntheticFooter([]), new Set(["a", "g", "c"]), "s.parquet"), null);
});

test("a footer whose schema or chunks do not add up is corruption naming the file", () => {
  for (const [meta, why] of [
    [syntheticFooter([], 4), /ends inside a group|children span/],
    [syntheticFooter([], 2), /children span/],
    [syntheticFooter([]).map((f) => (f.id === 7 ? { id: 7, value: structs([struct([1, struct()])]) } : f)), /column orders/],
  ] as const) {
    assert.throws(() => projectParquetFooter(meta, new Set(["a"]), "bad.parquet"),
      (e: unknown) => (e as { code?: string }).code === "corruption" && /bad\.parquet/.test(String(e)) && why.test(String(e)));
  }
});

test("a file parquet-wasm wrote (ARROW:schema, struct and list columns) reads the same projected every way", async () => {
  const reader = await enableFastParquet();
  const pq = await parquetWasmModule();
  const rows = [
    { a: 1, s: { x: 0.5, y: "p" }, l: [1, 2], c: "x" },
    { a: 2, s: { x: 1.5, y: "qq" }, l: [], c: "yy" },
    { a: 3, s: { x: 2.5, y: "r" }, l: [3], c: "zzz" },
  ];
  const bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(tableFromJSON(rows), "stream")));
  assert.ok(list(decodeParquetFooter(bytes), 5).some((kv) => /ARROW:schema/.test(new TextDecoder().decode((thriftField(fieldsOf(kv), 1) as { value: Uint8Array }).value))), "parquet-wasm writes ARROW:schema");
  const fields: DataField[] = [
    { id: 0, name: "a", type: atomic("DOUBLE") },
    { id: 1, name: "s", type: dataTypeFromJson({ type: "ROW", fields: [{ id: 10, name: "x", type: "DOUBLE" }, { id: 11, name: "y", type: "STRING" }] }) },
    { id: 2, name: "l", type: dataTypeFromJson({ type: "ARRAY", element: "DOUBLE" }) },
    { id: 3, name: "c", type: atomic("VARCHAR", { length: 10 }) },
  ];
  const full = await readParquetColumns(bytes, fields.map((f) => ({ name: f.name, type: f.type })), { fileName: "w.parquet" });
  for (let mask = 1; mask < 15; mask++) {
    const subset = fields.filter((_, i) => (mask & (1 << i)) !== 0);
    const projected = projectParquetFile(bytes, new Set(subset.map((f) => f.name)), { fileName: "w.parquet", writable: false });
    assert.deepEqual(topNames(decodeParquetFooter(projected)), subset.map((f) => f.name));
    assert.equal(list(decodeParquetFooter(projected), 5).length, 0, "ARROW:schema dropped");
    const general = await readParquetColumns(projected, subset.map((f) => ({ name: f.name, type: f.type })), { fileName: "w.parquet" });
    subset.forEach((f, i) => assert.equal(show(general.columns[i]), show(full.columns[fields.indexOf(f)]), `mask ${mask}: ${f.name}`));
    const flat = subset.filter((f) => isBufferReadable(f.type)).map((f) => ({ name: f.name, type: f.type }));
    if (flat.length > 0) assert.notEqual(await readParquetBuffers(reader, projected as Uint8Array<ArrayBuffer>, flat, { fileName: "w.parquet" }), null, `mask ${mask}: parquet-wasm reads it`);
  }
});
