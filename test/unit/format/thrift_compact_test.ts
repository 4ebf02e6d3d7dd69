// Goal: the generic Thrift compact codec decodes Parquet footers into a tree that re-encodes to
// the same bytes, round-trips every wire kind, and rejects damaged input as corruption.
// Method: decode + encode the footers of every Java-written fixture Parquet file and compare the
// bytes; round-trip hand-built structs with long field-id gaps, big lists, maps, negative
// numbers and booleans; truncate and corrupt encodings.
import { assert, readFixture, test } from "../../harness.ts";
import { splitParquetFooter } from "../../../src/format/data/parquet_footer.ts";
import { decodeThriftStruct, encodeThriftStruct, ThriftType, type ThriftField } from "../../../src/format/data/thrift_compact.ts";
import { equalBytes } from "../../../src/util/bytes.ts";
import { isLakeError } from "../../../src/errors.ts";
import { fixtureParquetFiles } from "./parquet_fixture_files.ts";

test("footers of Java-written Parquet files re-encode byte for byte", async () => {
  const files = await fixtureParquetFiles();
  assert.ok(files.length >= 40, `found ${files.length} fixture parquet files`);
  for (const path of files) {
    const { footer } = splitParquetFooter(await readFixture(path));
    const { struct, lengthBytes } = decodeThriftStruct(footer);
    assert.equal(lengthBytes, footer.length, path);
    assert.ok(equalBytes(encodeThriftStruct(struct), footer), path);
  }
});

test("every wire kind round-trips, including long id gaps, big lists and maps", () => {
  const bin = (s: string) => ({ kind: "binary", value: new TextEncoder().encode(s) }) as const;
  const fields: ThriftField[] = [
    { id: 1, value: { kind: "bool", value: true } },
    { id: 2, value: { kind: "bool", value: false } },
    { id: 3, value: { kind: "i8", value: -128 } },
    { id: 4, value: { kind: "i16", value: -32768 } },
    { id: 40, value: { kind: "i32", value: -2147483648 } },
    { id: 41, value: { kind: "i64", value: -(2n ** 63n) } },
    { id: 42, value: { kind: "i64", value: 2n ** 63n - 1n } },
    { id: 43, value: { kind: "double", value: -1.5e300 } },
    { id: 44, value: bin("é😀") },
    { id: 45, value: { kind: "list", elementType: ThriftType.I32, items: Array.from({ length: 20 }, (_, i) => ({ kind: "i32", value: i * 1000 - 7 })) } },
    { id: 46, value: { kind: "list", elementType: ThriftType.BOOL_TRUE, items: [{ kind: "bool", value: true }, { kind: "bool", value: false }] } },
    { id: 47, value: { kind: "set", elementType: ThriftType.BINARY, items: [bin("a"), bin("")] } },
    { id: 48, value: { kind: "map", keyType: ThriftType.BINARY, valueType: ThriftType.STRUCT, entries: [[bin("k"), { kind: "struct", fields: [{ id: 1, value: { kind: "i32", value: 1 } }] }]] } },
    { id: 300, value: { kind: "struct", fields: [] } },
  ];
  const bytes = encodeThriftStruct(fields);
  const { struct, lengthBytes } = decodeThriftStruct(bytes);
  assert.equal(lengthBytes, bytes.length);
  assert.deepEqual(struct, fields);
  assert.ok(equalBytes(encodeThriftStruct(struct), bytes));
  // An empty map has no key/value types on the wire: it decodes with type 0 and re-encodes the same.
  const emptyMap = encodeThriftStruct([{ id: 1, value: { kind: "map", keyType: ThriftType.I8, valueType: ThriftType.I8, entries: [] } }]);
  assert.deepEqual([...emptyMap], [0x1b, 0x00, 0x00]);
  assert.ok(equalBytes(encodeThriftStruct(decodeThriftStruct(emptyMap).struct), emptyMap));
});

test("truncated or malformed input is corruption", () => {
  const bytes = encodeThriftStruct([{ id: 1, value: { kind: "binary", value: new Uint8Array(10) } }, { id: 2, value: { kind: "i64", value: 5n } }]);
  for (let cut = 0; cut < bytes.length; cut++) {
    assert.throws(() => decodeThriftStruct(bytes.subarray(0, cut)), (e: unknown) => isLakeError(e, "corruption"), `cut at ${cut}`);
  }
  assert.throws(() => decodeThriftStruct(new Uint8Array([0x1d, 0])), (e: unknown) => isLakeError(e, "corruption")); // type 13 does not exist
  const deep = new Uint8Array(200).fill(0x1c); // struct in struct in struct ...
  assert.throws(() => decodeThriftStruct(deep), (e: unknown) => isLakeError(e, "corruption"));
});
