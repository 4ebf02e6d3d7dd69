// Goal: Avro data files (`file.format = avro`) read into the same values as Parquet ones, with
// Paimon's Avro type mapping (nullable unions, timestamp/local-timestamp millis and micros,
// date, time-millis, decimal bytes, string-keyed maps, array-of-record maps, nested records),
// primary-key system columns, projection and schema evolution, and clean corruption errors.
// Method: no Java-written Avro data file is among the fixtures, so files are written with our
// Avro container writer using the schema Java's AvroSchemaConverter produces for the table
// (spelled out below), then read with readDataFile.
import { assert, describe, test } from "../../harness.ts";
import { readDataFile } from "../../../src/format/data/data_file_reader.ts";
import { dataBatchRow } from "../../../src/format/data/data_batch.ts";
import { writeAvroContainer } from "../../../src/format/avro/container.ts";
import { avroSchemaFromJson } from "../../../src/format/avro/schema.ts";
import { dataTypeFromJson, type DataField } from "../../../src/spec/data_types.ts";
import { createTableSchema } from "../../../src/spec/schema.ts";
import { isLakeError } from "../../../src/errors.ts";

const NS = "org.apache.paimon.avro.generated.record";
const nullable = (t: unknown): unknown => ["null", t];

const AVRO_SCHEMA = avroSchemaFromJson({
  type: "record", name: NS, fields: [
    { name: "_SEQUENCE_NUMBER", type: "long" },
    { name: "_VALUE_KIND", type: "int" },
    { name: "k", type: "string" },
    { name: "t8", type: nullable("int"), default: null },
    { name: "b", type: nullable("long"), default: null },
    { name: "f", type: nullable("float"), default: null },
    { name: "d", type: nullable("double"), default: null },
    { name: "bool", type: nullable("boolean"), default: null },
    { name: "bin", type: nullable("bytes"), default: null },
    { name: "dec", type: nullable({ type: "bytes", logicalType: "decimal", precision: 20, scale: 2 }), default: null },
    { name: "date", type: nullable({ type: "int", logicalType: "date" }), default: null },
    { name: "time", type: nullable({ type: "int", logicalType: "time-millis" }), default: null },
    { name: "ts3", type: nullable({ type: "long", logicalType: "timestamp-millis" }), default: null },
    { name: "ts6", type: nullable({ type: "long", logicalType: "timestamp-micros" }), default: null },
    { name: "ltz3", type: nullable({ type: "long", logicalType: "local-timestamp-millis" }), default: null },
    { name: "ltz6", type: nullable({ type: "long", logicalType: "local-timestamp-micros" }), default: null },
    { name: "arr", type: nullable({ type: "array", items: nullable("string") }), default: null },
    { name: "ms", type: nullable({ type: "map", values: nullable("int") }), default: null },
    { name: "mi", type: nullable({ type: "array", items: { type: "record", name: `${NS}_mi`, fields: [
      { name: "key", type: "int" }, { name: "value", type: nullable("string"), default: null }] } }), default: null },
    { name: "r", type: nullable({ type: "record", name: `${NS}_r`, fields: [
      { name: "x", type: nullable("int"), default: null }, { name: "y", type: "string" }] }), default: null },
  ],
});

function field(id: number, name: string, type: unknown): DataField {
  return { id, name, type: dataTypeFromJson(type) };
}

const FIELDS = [
  field(0, "k", "STRING NOT NULL"), field(1, "t8", "TINYINT"), field(2, "b", "BIGINT"), field(3, "f", "FLOAT"), field(4, "d", "DOUBLE"),
  field(5, "bool", "BOOLEAN"), field(6, "bin", "BYTES"), field(7, "dec", "DECIMAL(20, 2)"), field(8, "date", "DATE"), field(9, "time", "TIME(3)"),
  field(10, "ts3", "TIMESTAMP(3)"), field(11, "ts6", "TIMESTAMP(6)"), field(12, "ltz3", "TIMESTAMP(3) WITH LOCAL TIME ZONE"),
  field(13, "ltz6", "TIMESTAMP(6) WITH LOCAL TIME ZONE"), field(14, "arr", { type: "ARRAY", element: "STRING" }),
  field(15, "ms", { type: "MAP", key: "STRING NOT NULL", value: "INT" }), field(16, "mi", { type: "MAP", key: "INT NOT NULL", value: "STRING" }),
  field(17, "r", { type: "ROW", fields: [{ id: 18, name: "x", type: "INT" }, { id: 19, name: "y", type: "STRING NOT NULL" }] }),
];
const SCHEMA = createTableSchema({ fields: FIELDS, primaryKeys: ["k"], timeMillis: 0n, options: { "file.format": "avro" } });

const RECORDS = [
  {
    _SEQUENCE_NUMBER: 5n, _VALUE_KIND: 0, k: "a", t8: -3, b: -(1n << 62n), f: Math.fround(1.1), d: 2.5, bool: true, bin: Uint8Array.of(9),
    dec: Uint8Array.of(0xff, 0x85), date: -1, time: 1000, ts3: -1n, ts6: -1n, ltz3: 1n, ltz6: 1_000_001n,
    arr: ["x", null], ms: new Map<string, number | null>([["z", 1], ["a", null]]), mi: [{ key: 2, value: "two" }, { key: 2, value: null }], r: { x: 7, y: "why" },
  },
  {
    _SEQUENCE_NUMBER: 2n, _VALUE_KIND: 3, k: "b", t8: null, b: null, f: null, d: null, bool: null, bin: null, dec: null, date: null,
    time: null, ts3: null, ts6: null, ltz3: null, ltz6: null, arr: null, ms: null, mi: null, r: null,
  },
];

describe("Avro data files", () => {
  test("every Paimon Avro type reads as values.ts shapes, with system columns and keys", async () => {
    for (const codec of ["null", "snappy"] as const) {
      const bytes = await writeAvroContainer(AVRO_SCHEMA, RECORDS, { codec });
      const batch = await readDataFile(bytes, { fileName: "data-a-0.avro", fileSchema: SCHEMA, readSchema: SCHEMA, primaryKey: true });
      assert.equal(batch.rowCount, 2);
      assert.deepEqual([...batch.sequenceNumbers!], [5n, 2n]);
      assert.deepEqual([...batch.rowKinds!], [0, 3]);
      assert.deepEqual(batch.keys, [["a", "b"]]);
      assert.deepEqual(dataBatchRow(batch, 0), [
        "a", -3, -(1n << 62n), Math.fround(1.1), 2.5, true, Uint8Array.of(9), -123n, -1, 1000,
        { epochMillis: -1, nanoOfMillisecond: 0 }, { epochMillis: -1, nanoOfMillisecond: 999_000 },
        { epochMillis: 1, nanoOfMillisecond: 0 }, { epochMillis: 1000, nanoOfMillisecond: 1000 },
        ["x", null], [["z", 1], ["a", null]], [[2, "two"], [2, null]], [7, "why"],
      ]);
      assert.deepEqual(dataBatchRow(batch, 1), ["b", ...FIELDS.slice(1).map(() => null)]);
    }
  });

  test("projection and evolution by field id work as for Parquet", async () => {
    const bytes = await writeAvroContainer(AVRO_SCHEMA, RECORDS);
    const evolved = createTableSchema({
      id: 1n, timeMillis: 0n, primaryKeys: ["k"],
      fields: [field(0, "k", "STRING NOT NULL"), field(1, "t8_wide", "BIGINT"), field(3, "f", "DOUBLE"), field(20, "new", "INT"),
        field(17, "r", { type: "ROW", fields: [{ id: 19, name: "y", type: "STRING NOT NULL" }] })],
    });
    const batch = await readDataFile(bytes, { fileName: "data-b-0.avro", fileSchema: SCHEMA, readSchema: evolved, readFieldIds: [17, 20, 3, 1], primaryKey: false });
    assert.deepEqual(batch.columns, [[["why"], null], [null, null], [Math.fround(1.1), null], [-3n, null]]);
  });

  test("truncated or damaged Avro data files are corruption errors naming the file", async () => {
    const bytes = await writeAvroContainer(AVRO_SCHEMA, RECORDS);
    for (const cut of [0, 5, bytes.length >> 1, bytes.length - 1]) {
      await assert.rejects(
        readDataFile(bytes.slice(0, cut), { fileName: "data-c-0.avro", fileSchema: SCHEMA, readSchema: SCHEMA, primaryKey: true }),
        (e: unknown) => isLakeError(e, "corruption") && (e as Error).message.includes("data-c-0.avro"),
        `cut at ${cut}`,
      );
    }
  });

  test("an Avro type that does not fit the declared type is unsupported", async () => {
    const bytes = await writeAvroContainer(AVRO_SCHEMA, RECORDS);
    const wrong = createTableSchema({ timeMillis: 0n, fields: [field(0, "k", "INT")] });
    await assert.rejects(
      readDataFile(bytes, { fileName: "data-d-0.avro", fileSchema: wrong, readSchema: wrong, primaryKey: false }),
      (e: unknown) => isLakeError(e, "unsupported") && (e as Error).message.includes("column k"),
    );
  });
});
