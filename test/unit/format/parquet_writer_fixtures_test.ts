// Goal: against the Java-written fixture tables, our Parquet schema is Java's element by element,
// and rewriting a fixture file's rows with writeDataFile gives Java's schema and the facts Java
// recorded in its manifest (key/value stats, min/max key, sequence range, delete count).
// Method: for every fixture data file (manifest entry + schema via parquet_fixture_files.ts),
// compare the Thrift bytes of each footer schema element, read the rows with readDataFile,
// write them again (or only compute the facts where we cannot write the type) and compare
// with the manifest entry; the rewritten file must read back to the same batch.
import { assert, describe, readFixture, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { dataFileFields } from "../../../src/format/data/data_file_fields.ts";
import { paimonParquetSchema, schemaElementToThrift } from "../../../src/format/data/parquet_schema.ts";
import { dataFileFacts, writeDataFile, type DataFileFacts } from "../../../src/format/data/parquet_writer.ts";
import { toHex } from "../../../src/util/bytes.ts";
import { fixtureDataFiles, type FixtureDataFile } from "./parquet_fixture_files.ts";
import { footerSchema, parquetWasm, schemaHex } from "./parquet_writer_support.ts";

const TABLES = {
  mor: "pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor",
  firstRow: "pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row",
  complex: "append_complex_data.db/append_complex_data",
  alter: "append_table_with_alter_table.db/append_table_with_alter_table",
  pk09: "pk_09.db/pk_09",
} as const;

async function fixtureRows(f: FixtureDataFile) {
  const bytes = await readFixture(f.path);
  const batch = await readDataFile(bytes, { fileName: f.path, fileSchema: f.schema, readSchema: f.schema, primaryKey: f.primaryKey });
  return { bytes, batch };
}

function factsOf(f: FixtureDataFile, batch: Awaited<ReturnType<typeof fixtureRows>>["batch"], schema = f.schema): DataFileFacts {
  return dataFileFacts(batch.columns, {
    schema, primaryKey: f.primaryKey, keys: batch.keys ?? undefined, sequenceNumbers: batch.sequenceNumbers ?? undefined,
    rowKinds: batch.rowKinds ?? undefined, level: f.entry.file.level, sequenceNumberStart: f.entry.file.minSequenceNumber,
  });
}

function assertFactsEqualJava(facts: DataFileFacts, f: FixtureDataFile, keyStats = true): void {
  const java = f.entry.file;
  const where = f.path;
  assert.equal(BigInt(facts.rowCount), java.rowCount, where);
  if (keyStats) {
    assert.equal(toHex(facts.keyStats.minValues), toHex(java.keyStats.minValues), `${where} key min`);
    assert.equal(toHex(facts.keyStats.maxValues), toHex(java.keyStats.maxValues), `${where} key max`);
    assert.deepEqual(facts.keyStats.nullCounts, java.keyStats.nullCounts, `${where} key null counts`);
  }
  assert.equal(toHex(facts.valueStats.minValues), toHex(java.valueStats.minValues), `${where} value min`);
  assert.equal(toHex(facts.valueStats.maxValues), toHex(java.valueStats.maxValues), `${where} value max`);
  assert.deepEqual(facts.valueStats.nullCounts, java.valueStats.nullCounts, `${where} value null counts`);
  assert.deepEqual(facts.valueStatsCols, java.valueStatsCols, where);
  assert.equal(toHex(facts.minKey), toHex(java.minKey), `${where} min key`);
  assert.equal(toHex(facts.maxKey), toHex(java.maxKey), `${where} max key`);
  assert.equal(facts.minSequenceNumber, java.minSequenceNumber, where);
  assert.equal(facts.maxSequenceNumber, java.maxSequenceNumber, where);
  assert.equal(facts.deleteRowCount, java.deleteRowCount ?? 0n, where);
}

describe("against Java-written fixture tables", () => {
  test("paimonParquetSchema equals the footer schema Java wrote, element by element", async () => {
    let checked = 0;
    for (const [name, table] of Object.entries(TABLES)) {
      for (const f of await fixtureDataFiles(table)) {
        const expected = paimonParquetSchema(dataFileFields(f.schema, f.primaryKey)).map(schemaElementToThrift);
        const java = footerSchema(await readFixture(f.path));
        const withIds = name !== "pk09"; // Paimon 0.9 wrote no field ids
        assert.deepEqual(schemaHex(expected, withIds), schemaHex(java, withIds), f.path);
        checked++;
      }
    }
    assert.ok(checked >= 30, `${checked} files checked`);
  });

  test("rewriting a fixture file's rows gives Java's schema and Java's manifest facts", async () => {
    const pq = await parquetWasm();
    let written = 0;
    for (const table of [TABLES.mor, TABLES.firstRow, TABLES.alter]) {
      for (const f of await fixtureDataFiles(table)) {
        const { bytes, batch } = await fixtureRows(f);
        const ours = writeDataFile(batch.columns, {
          schema: f.schema, primaryKey: f.primaryKey, parquetWasm: pq, keys: batch.keys ?? undefined, sequenceNumbers: batch.sequenceNumbers ?? undefined,
          rowKinds: batch.rowKinds ?? undefined, level: f.entry.file.level, sequenceNumberStart: f.entry.file.minSequenceNumber,
        });
        assert.deepEqual(schemaHex(footerSchema(ours.bytes)), schemaHex(footerSchema(bytes)), f.path);
        assertFactsEqualJava(ours, f);
        const back = await readDataFile(ours.bytes, { fileName: "x.parquet", fileSchema: f.schema, readSchema: f.schema, primaryKey: f.primaryKey });
        assert.deepEqual(back, batch, f.path);
        written++;
      }
    }
    assert.ok(written >= 15, `${written} files rewritten`);
  });

  test("facts of the TIMESTAMP(9)/DECIMAL(23,5)/BYTES append table equal Java's (INT96 and BYTES: null min/max)", async () => {
    const files = await fixtureDataFiles(TABLES.complex);
    assert.ok(files.length > 0);
    for (const f of files) assertFactsEqualJava(factsOf(f, (await fixtureRows(f)).batch), f);
  });

  test("Paimon 0.9 files: equal facts once the key columns use 0.9's truncate(16)", async () => {
    for (const f of await fixtureDataFiles(TABLES.pk09)) {
      const { batch } = await fixtureRows(f);
      assertFactsEqualJava(factsOf(f, batch), f, false);
      const old = { ...f.schema, options: { ...f.schema.options, "fields._KEY_f0.stats-mode": "truncate(16)", "fields._KEY_f2.stats-mode": "truncate(16)" } };
      assertFactsEqualJava(factsOf(f, batch, old), f);
    }
  });
});

