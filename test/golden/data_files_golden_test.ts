// Goal: every data and changelog file Java Paimon wrote in the fixtures (Parquet from 0.5, 0.9,
// 1.1-1.3 builds; ZSTD and SNAPPY; dictionary and plain pages; INT96; 0.5-era plain INT64
// TIMESTAMP(0)) decodes to exactly the values Java wrote, in the table's current schema.
// Method: walk test/fixtures/paimon/java-tables; for each file take its manifest entry and check
// row count, sequence-number range, -U/-D count, first/last key against _MIN_KEY/_MAX_KEY, key
// order, the _KEY_ columns against the value columns, and the per-column min/max/null counts we
// compute against _VALUE_STATS/_KEY_STATS. Then compare the rows themselves with the writes the
// tables' READMEs list (parsed from the README text), and check truncated files fail cleanly.
import { assert, describe, listFixtureDir, readFixture, readFixtureText, test } from "../harness.ts";
import { readDataFile } from "../../src/format/data/data_file_reader.ts";
import { readParquetColumns } from "../../src/format/data/parquet_reader.ts";
import type { DataBatch } from "../../src/format/data/data_batch.ts";
import { decodeManifest } from "../../src/format/manifest/manifest_codec.ts";
import { decodeSerializedBinaryRow } from "../../src/spec/binary_row.ts";
import type { DataFileMeta } from "../../src/spec/data_file_meta.ts";
import { decodeSimpleStats, type ColumnStats } from "../../src/spec/simple_stats.ts";
import { decodeTableSchema, trimmedPrimaryKeys, type TableSchema } from "../../src/spec/schema.ts";
import { decimalFromString, isTimestamp, type Timestamp, type Value } from "../../src/spec/values.ts";
import { compareBytes, utf8Encode } from "../../src/util/bytes.ts";
import { isLakeError, LakeError } from "../../src/errors.ts";

const ROOT = "paimon/java-tables";

interface DataFile {
  readonly path: string; // relative to test/fixtures
  readonly name: string;
  readonly meta: DataFileMeta | undefined; // undefined: in no manifest (orphan)
}

interface Table {
  readonly dir: string;
  readonly schemas: TableSchema[];
  readonly latest: TableSchema;
  readonly files: DataFile[];
}

async function loadTable(dir: string): Promise<Table> {
  const schemas = await Promise.all((await listFixtureDir(`${dir}/schema`)).map(async (n) => decodeTableSchema(await readFixtureText(`${dir}/schema/${n}`), { fileName: n })));
  schemas.sort((a, b) => Number(a.id - b.id));
  const metas = new Map<string, DataFileMeta>();
  for (const m of await listFixtureDir(`${dir}/manifest`)) {
    if (!m.startsWith("manifest-") || m.startsWith("manifest-list-")) continue;
    for (const e of await decodeManifest(await readFixture(`${dir}/manifest/${m}`), { fileName: m })) {
      if (e.kind === 0) metas.set(e.file.fileName, e.file);
    }
  }
  const files: DataFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of await listFixtureDir(`${dir}/${rel}`)) {
      if (name.startsWith("bucket-") || name.includes("=")) await walk(`${rel}${name}/`);
      else if (name.startsWith("data-") || name.startsWith("changelog-")) files.push({ path: `${dir}/${rel}${name}`, name, meta: metas.get(name) });
    }
  };
  await walk("");
  return { dir, schemas, latest: schemas.at(-1)!, files };
}

async function loadTables(): Promise<Table[]> {
  const out: Table[] = [];
  for (const db of await listFixtureDir(ROOT)) for (const t of await listFixtureDir(`${ROOT}/${db}`)) out.push(await loadTable(`${ROOT}/${db}/${t}`));
  return out;
}

const tablesPromise = loadTables();

function tableNamed(tables: Table[], name: string): Table {
  const t = tables.find((x) => x.dir.endsWith(`/${name}`));
  assert.ok(t, name);
  return t;
}

function schemaOf(table: Table, file: DataFile): TableSchema {
  const id = file.meta?.schemaId ?? 0n;
  return table.schemas.find((s) => s.id === id)!;
}

async function read(table: Table, file: DataFile, readSchema: TableSchema = table.latest, readFieldIds?: number[]): Promise<DataBatch> {
  return readDataFile(await readFixture(file.path), {
    fileName: file.name, fileSchema: schemaOf(table, file), readSchema, readFieldIds, primaryKey: table.latest.primaryKeys.length > 0,
  });
}

/** Order of two non-null values of one type (strings by UTF-8 bytes, like Java). */
function compareValues(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return compareBytes(utf8Encode(a), utf8Encode(b));
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (isTimestamp(a) && isTimestamp(b)) return a.epochMillis - b.epochMillis || a.nanoOfMillisecond - b.nanoOfMillisecond;
  throw new Error(`cannot compare ${String(a)} and ${String(b)}`);
}

function compareKeys(a: readonly Value[], b: readonly Value[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Checks Java's stats against the values: exact, or bracketing where Java truncated strings. */
function checkStats(stats: ColumnStats, values: readonly Value[], where: string): void {
  const present = values.filter((v) => v !== null);
  if (stats.nullCount !== null) assert.equal(stats.nullCount, BigInt(values.length - present.length), `${where} null count`);
  if (present.length === 0 || stats.min === null || stats.max === null) return;
  const min = present.reduce((m, v) => (compareValues(v, m) < 0 ? v : m));
  const max = present.reduce((m, v) => (compareValues(v, m) > 0 ? v : m));
  if (typeof min === "string" && [...min].length > 16) assert.ok(min.startsWith(stats.min as string), `${where} min ${String(stats.min)} is a prefix of ${min}`);
  else assert.deepEqual(stats.min, min, `${where} min`);
  if (typeof max === "string" && [...max].length > 16) assert.ok(compareValues(stats.max, max) >= 0, `${where} max ${String(stats.max)} >= ${max}`);
  else assert.deepEqual(stats.max, max, `${where} max`);
}

function rowsOf(batch: DataBatch): Value[][] {
  return Array.from({ length: batch.rowCount }, (_, i) => batch.columns.map((c) => c[i]!));
}

/** A printable, order-independent form of rows for multiset comparison. */
function canonical(rows: readonly (readonly Value[])[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? `bytes:${[...v].join(",")}` : v))).sort();
}

describe("every Java data file", () => {
  test("all 43 files decode and agree with their manifest entries", async () => {
    const tables = await tablesPromise;
    let count = 0, orphans = 0;
    for (const table of tables) {
      const pk = table.latest.primaryKeys.length > 0;
      for (const file of table.files) {
        count++;
        const fileSchema = schemaOf(table, file);
        const batch = await read(table, file, fileSchema); // no evolution: compare with Java's stats
        const meta = file.meta;
        assert.equal(batch.columns.length, fileSchema.fields.length);
        for (const c of batch.columns) assert.equal(c.length, batch.rowCount);
        if (meta === undefined) { orphans++; continue; }
        const where = file.path;
        assert.equal(BigInt(batch.rowCount), meta.rowCount, `${where} row count`);
        const stats = decodeSimpleStats(fileSchema.fields, meta.valueStats, meta.valueStatsCols);
        fileSchema.fields.forEach((f, i) => checkStats(stats[i]!, batch.columns[i]!, `${where} ${f.name}`));
        if (!pk) {
          assert.equal(batch.sequenceNumbers, null);
          continue;
        }
        const seq = [...batch.sequenceNumbers!];
        assert.equal(seq.reduce((a, b) => (b < a ? b : a)), meta.minSequenceNumber, `${where} min seq`);
        assert.equal(seq.reduce((a, b) => (b > a ? b : a)), meta.maxSequenceNumber, `${where} max seq`);
        if (meta.deleteRowCount !== null) {
          assert.equal(BigInt([...batch.rowKinds!].filter((k) => k === 1 || k === 3).length), meta.deleteRowCount, `${where} delete rows`);
        }
        const keyNames = trimmedPrimaryKeys(fileSchema);
        const keyFields = keyNames.map((n) => fileSchema.fields.find((f) => f.name === n)!);
        const keys = Array.from({ length: batch.rowCount }, (_, i) => batch.keys!.map((c) => c[i]!));
        const keyStats = decodeSimpleStats(keyFields, meta.keyStats);
        keyFields.forEach((f, k) => checkStats(keyStats[k]!, batch.keys![k]!, `${where} key ${f.name}`));
        // The physical _KEY_ columns hold the same values as the value columns we take keys from.
        const raw = await readParquetColumns(await readFixture(file.path), keyFields.map((f) => ({ name: `_KEY_${f.name}`, type: f.type })), { fileName: file.name });
        keyFields.forEach((f, k) => assert.deepEqual(raw.columns[k], batch.keys![k], `${where} _KEY_${f.name}`));
        if (file.name.startsWith("data-")) {
          for (let i = 1; i < keys.length; i++) assert.ok(compareKeys(keys[i - 1]!, keys[i]!) < 0, `${where}: keys sorted and unique at row ${i}`);
          const types = keyFields.map((f) => f.type);
          assert.deepEqual(decodeSerializedBinaryRow(types, meta.minKey), keys[0], `${where} _MIN_KEY`);
          assert.deepEqual(decodeSerializedBinaryRow(types, meta.maxKey), keys.at(-1), `${where} _MAX_KEY`);
        }
      }
    }
    assert.equal(count, 43);
    assert.equal(orphans, 1); // first_row bucket-1 holds a file no manifest names
  });
});

/** The writes a pk table README lists: `Add|DELETE|UPDATE_AFTER: "f0", f1, f2, f3`. */
function readmeWrites(text: string, ignoreDelete: boolean): Value[][] {
  const kinds: Record<string, number> = { Add: 0, UPDATE_AFTER: 2, DELETE: 3 };
  const out: Value[][] = [];
  for (const line of text.split("\n")) {
    const m = /^(Add|DELETE|UPDATE_AFTER): "(.*)", (-?\d+), (-?\d+), (-?[\d.]+)\s*$/.exec(line);
    if (!m) continue;
    if (ignoreDelete && m[1] === "DELETE") continue;
    out.push([m[2]!, Number(m[3]), Number(m[4]), Number(m[5]), kinds[m[1]!]!]);
  }
  return out;
}

describe("primary-key tables hold the README's writes", () => {
  for (const name of ["pk_table_scan_and_read_mor", "pk_table_scan_and_read_first_row"]) {
    test(`${name}: files written by writers (not compaction) hold every written row, row kinds included`, async () => {
      const table = tableNamed(await tablesPromise, name);
      const ignoreDelete = table.latest.options["ignore-delete"] === "true";
      const expected = readmeWrites(await readFixtureText(`${table.dir}/README`), ignoreDelete);
      assert.ok(expected.length >= 15);
      const actual: Value[][] = [];
      for (const file of table.files) {
        if (file.meta === undefined || file.meta.fileSource !== 0) continue;
        const batch = await read(table, file);
        rowsOf(batch).forEach((row, i) => actual.push([...row, batch.rowKinds![i]!]));
      }
      assert.deepEqual(canonical(actual), canonical(expected));
    });
  }

  test("pk_table_scan_and_read_mor: bucket-1's first file holds Bob, Emily, Tony, Alex, David in key order", async () => {
    const table = tableNamed(await tablesPromise, "pk_table_scan_and_read_mor");
    const file = table.files.find((f) => f.name === "data-3a6000ce-0611-462e-8a99-f3cb28aa6f08-0.parquet")!;
    const batch = await read(table, file);
    assert.deepEqual(batch.fields.map((f) => f.name), ["f0", "f1", "f2", "f3"]);
    assert.deepEqual(batch.columns, [["Alex", "Bob", "David", "Emily", "Tony"], [10, 10, 10, 10, 10], [0, 0, 0, 0, 0], [16.1, 12.1, 17.1, 13.1, 14.1]]);
    assert.deepEqual([...batch.sequenceNumbers!], [3n, 0n, 4n, 1n, 2n]); // arrival order Bob, Emily, Tony, Alex, David
    assert.deepEqual([...batch.rowKinds!], [0, 0, 0, 0, 0]);
    assert.deepEqual(batch.keys, [["Alex", "Bob", "David", "Emily", "Tony"], [0, 0, 0, 0, 0]]); // f1 is the partition
    const projected = await read(table, file, table.latest, [3, 0]);
    assert.deepEqual(projected.columns, [[16.1, 12.1, 17.1, 13.1, 14.1], ["Alex", "Bob", "David", "Emily", "Tony"]]);
  });
});

/** `yyyy-MM-dd HH:mm:ss[.f…]` (UTC wall clock, as Paimon's TIMESTAMP) → Timestamp. */
function parseTimestamp(text: string): Timestamp {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(text)!;
  const fraction = (m[7] ?? "").padEnd(9, "0");
  const millis = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + Number(fraction.slice(0, 3));
  return { epochMillis: millis, nanoOfMillisecond: Number(fraction.slice(3)) };
}

describe("append_complex_data: DATE, TIMESTAMP(9) (INT96), DECIMAL(23, 5), BYTES", () => {
  test("appended files hold the README's rows exactly, including 1899 timestamps with negative nanos-of-day", async () => {
    const table = tableNamed(await tablesPromise, "append_complex_data");
    const text = await readFixtureText(`${table.dir}/README`);
    const expected: Value[][] = [];
    for (const line of text.split("\n")) {
      const m = /^Add: (\S+), (\S+), (\S+), (null|\d{4}-\d\d-\d\d [\d:.]+), (\S+), (\S+)\s*$/.exec(line);
      if (!m) continue;
      const opt = <T>(s: string, f: (s: string) => T): T | null => (s === "null" ? null : f(s));
      expected.push([
        Number(m[1]), Number(m[2]), opt(m[3]!, Number), opt(m[4]!, parseTimestamp),
        opt(m[5]!, (s) => decimalFromString(s, 23, 5)), opt(m[6]!, (s) => utf8Encode(s)),
      ]);
    }
    assert.equal(expected.length, 8);
    const appended: Value[][] = [];
    const compacted: Value[][] = [];
    for (const file of table.files) {
      const rows = rowsOf(await read(table, file));
      (file.meta!.fileSource === 0 ? appended : compacted).push(...rows);
    }
    assert.deepEqual(canonical(appended), canonical(expected));
    // The full compaction rewrote partition f1=10 bucket 0: the same rows again.
    assert.deepEqual(canonical(compacted), canonical(expected.filter((r) => r[0] === 10)));
    const old = appended.find((r) => r[5] !== null && new TextDecoder().decode(r[5] as Uint8Array) === "bad")!;
    assert.deepEqual(old[3], { epochMillis: Date.UTC(1899, 0, 1, 0, 59, 20, 1), nanoOfMillisecond: 1001 });
    assert.equal(old[4], -12345678998765432145678n);
  });
});

describe("append_table_with_alter_table: two schema versions read by field id", () => {
  test("all files read under schema-1 give the README's 'Recall with schema-1' rows", async () => {
    const table = tableNamed(await tablesPromise, "append_table_with_alter_table");
    assert.equal(table.latest.id, 1n);
    const text = await readFixtureText(`${table.dir}/README`);
    const recall = text.slice(text.indexOf("Recall with schema-1"));
    const expected = recall.split("\n").filter((l) => /^\d/.test(l)).map((l) => l.split(",").map((s) => (s.trim() === "null" ? null : Number(s))));
    assert.equal(expected.length, 10);
    const actual: Value[][] = [];
    for (const file of table.files) actual.push(...rowsOf(await read(table, file)));
    assert.deepEqual(canonical(actual), canonical(expected));
    assert.deepEqual((await read(table, table.files[0]!)).fields.map((f) => f.name), ["key0", "key1", "k", "c", "d", "a", "e"]);
  });

  test("an old file under its own schema keeps its columns; projections by id pick renamed and new columns", async () => {
    const table = tableNamed(await tablesPromise, "append_table_with_alter_table");
    const old = table.files.find((f) => f.meta!.schemaId === 0n && f.path.includes("key0=0"))!;
    const own = await read(table, old, table.schemas[0]!);
    assert.deepEqual(rowsOf(own), [[0, 1, 12, 13, 14, 15, 16], [0, 1, 22, 23, 24, 25, 26], [0, 1, 32, 33, 34, 35, 36]]);
    // e (id 8, added), k (id 6), c (id 3, was b), d (id 7, new: not the dropped old d), a (id 5, was d)
    const projected = await read(table, old, table.latest, [8, 6, 3, 7, 5]);
    assert.deepEqual(rowsOf(projected), [[null, 16, 13, null, 15], [null, 26, 23, null, 25], [null, 36, 33, null, 35]]);
  });
});

describe("reading through a RangeReader", () => {
  test("gives the same batches as bytes in memory, fetching only the footer and the needed chunks", async () => {
    const table = tableNamed(await tablesPromise, "pk_table_scan_and_read_mor");
    for (const file of table.files) {
      const bytes = await readFixture(file.path);
      const fetched: [number, number][] = [];
      const reader = {
        sizeBytes: bytes.length,
        read: async (offset: number, lengthBytes: number) => {
          assert.ok(offset >= 0 && offset + lengthBytes <= bytes.length, `read [${offset}, +${lengthBytes}) inside the file`);
          fetched.push([offset, lengthBytes]);
          return bytes.slice(offset, offset + lengthBytes);
        },
      };
      const options = { fileName: file.name, fileSchema: table.latest, readSchema: table.latest, readFieldIds: [3], primaryKey: false };
      assert.deepEqual(await readDataFile(reader, options), await readDataFile(bytes, options));
      // f3 only: the footer reads plus one chunk, never the whole key/sequence columns.
      assert.equal(fetched.length, 3, file.name);
    }
  });

  test("errors of the reader keep their code (io here), with the file named", async () => {
    const table = tableNamed(await tablesPromise, "append_complex_data");
    const file = table.files[0]!;
    const bytes = await readFixture(file.path);
    let calls = 0;
    const failing = {
      sizeBytes: bytes.length,
      read: async (offset: number, lengthBytes: number) => {
        if (++calls > 2) throw new LakeError("io", "store: connection reset");
        return bytes.slice(offset, offset + lengthBytes);
      },
    };
    await assert.rejects(
      readDataFile(failing, { fileName: file.name, fileSchema: table.latest, readSchema: table.latest, primaryKey: false }),
      (e: unknown) => isLakeError(e, "io") && (e as Error).message.includes("connection reset") && (e as Error).message.includes(file.name),
    );
  });
});

describe("damaged data files", () => {
  test("every truncation of a Parquet file is a corruption error naming the file", async () => {
    const table = tableNamed(await tablesPromise, "pk_table_scan_and_read_mor");
    const file = table.files.find((f) => f.name.startsWith("data-3a6000ce"))!;
    const bytes = await readFixture(file.path);
    const cuts = [0, 3, 4, 8, 100, bytes.length >> 1, bytes.length - 200, bytes.length - 9, bytes.length - 8, bytes.length - 4, bytes.length - 1];
    for (const cut of cuts) {
      await assert.rejects(
        readDataFile(bytes.slice(0, cut), { fileName: file.name, fileSchema: table.latest, readSchema: table.latest, primaryKey: true }),
        (e: unknown) => isLakeError(e, "corruption") && e.message.includes(file.name),
        `cut at ${cut}`,
      );
    }
  });

  test("a damaged footer length or compressed page is a corruption error", async () => {
    const table = tableNamed(await tablesPromise, "append_complex_data");
    const file = table.files.find((f) => f.name.startsWith("data-f8754699"))!;
    const bytes = await readFixture(file.path);
    const options = { fileName: file.name, fileSchema: table.latest, readSchema: table.latest, primaryKey: false };
    const badLength = bytes.slice();
    new DataView(badLength.buffer).setUint32(bytes.length - 8, bytes.length, true);
    await assert.rejects(readDataFile(badLength, options), (e: unknown) => isLakeError(e, "corruption"));
    const badPage = bytes.slice();
    for (let i = 40; i < 80; i++) badPage[i] = 0xff; // inside the first column chunk's ZSTD page
    await assert.rejects(readDataFile(badPage, options), (e: unknown) => isLakeError(e, "corruption") && e.message.includes(file.name));
  });
});
