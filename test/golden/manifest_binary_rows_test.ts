// Goal: the serialized BinaryRows we encode (partitions, _MIN_KEY/_MAX_KEY, key and value stats,
// including null non-compact TIMESTAMP(9) reserving 8 bytes and non-compact DECIMAL(23,5)) are
// byte-identical to the ones Java wrote into real manifests, and our decoder reads Java's rows.
// Method: no Avro record decoding: a test-local unwrap of the Avro container (header, blocks,
// zstd/snappy) yields the raw record bytes; an Avro `bytes` field is a zigzag-varint length then
// the bytes, so we search for that exact sequence. Expected values come from each table's README.
// For append_complex_data we also find every 6-field stats row by its prefix and decode it.
import { decompress as zstdDecompress } from "fzstd";
import { snappyUncompress } from "hyparquet";
import { assert, listFixtureDir, readFixture, test } from "../harness.ts";
import { decodeSerializedBinaryRow, encodeSerializedBinaryRow } from "../../src/spec/binary_row.ts";
import { parseTypeString, type DataType } from "../../src/spec/data_types.ts";
import type { Value } from "../../src/spec/values.ts";
import { equalBytes, toHex } from "../../src/util/bytes.ts";

/** Reads an Avro long (zigzag varint) at `at.i`. */
function readLong(b: Uint8Array, at: { i: number }): number {
  let shift = 0, raw = 0;
  for (;;) {
    const x = b[at.i++]!;
    raw += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(x & 0x80)) break;
  }
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Decompressed data blocks of one Avro object container file. */
function avroBlocks(file: Uint8Array): Uint8Array[] {
  assert.equal(toHex(file.subarray(0, 4)), "4f626a01", "Avro magic");
  const at = { i: 4 };
  let codec = "null";
  for (let n = readLong(file, at); n !== 0; n = readLong(file, at)) {
    if (n < 0) { n = -n; readLong(file, at); }
    for (let k = 0; k < n; k++) {
      const keyLen = readLong(file, at);
      const key = new TextDecoder().decode(file.subarray(at.i, (at.i += keyLen)));
      const valueLen = readLong(file, at);
      const value = new TextDecoder().decode(file.subarray(at.i, (at.i += valueLen)));
      if (key === "avro.codec") codec = value;
    }
  }
  at.i += 16; // sync marker
  const blocks: Uint8Array[] = [];
  while (at.i < file.length) {
    readLong(file, at);
    const size = readLong(file, at);
    const data = file.subarray(at.i, at.i + size);
    at.i += size + 16;
    if (codec === "zstandard") blocks.push(zstdDecompress(data));
    else if (codec === "snappy") {
      const body = data.subarray(0, data.length - 4); // 4-byte CRC follows the snappy body
      const len = readLong(body, { i: 0 }) * 2; // the snappy preamble is a plain varint
      const out = new Uint8Array(len >= 0 ? len : -len - 1);
      snappyUncompress(body, out);
      blocks.push(out);
    } else if (codec === "null") blocks.push(data);
    else throw new Error(`unexpected codec ${codec}`);
  }
  return blocks;
}

async function manifestBlocks(table: string): Promise<Uint8Array[]> {
  const dir = `paimon/java-tables/${table}/manifest`;
  const out: Uint8Array[] = [];
  for (const name of await listFixtureDir(dir)) out.push(...avroBlocks(await readFixture(`${dir}/${name}`)));
  return out;
}

/** The Avro encoding of a `bytes` field holding `payload`. */
function avroBytes(payload: Uint8Array): Uint8Array {
  const head: number[] = [];
  for (let v = payload.length * 2; ; v = Math.floor(v / 128)) {
    if (v < 128) { head.push(v); break; }
    head.push((v & 0x7f) | 0x80);
  }
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function assertRowsPresent(blocks: Uint8Array[], types: DataType[], rows: Value[][]): void {
  const missing: string[] = [];
  for (const row of rows) {
    const serialized = encodeSerializedBinaryRow(types, row);
    const needle = avroBytes(serialized);
    const block = blocks.find((b) => indexOf(b, needle) >= 0);
    if (block === undefined) { missing.push(`${JSON.stringify(row, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}: ${toHex(serialized)}`); continue; }
    const at = indexOf(block, needle) + needle.length - serialized.length;
    assert.deepEqual(decodeSerializedBinaryRow(types, block.subarray(at, at + serialized.length)), row);
  }
  assert.deepEqual(missing, [], "rows not found byte-for-byte in Java's manifests");
}

const T = (s: string): DataType => parseTypeString(s);
const TWO_ROADS = "Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.";

test("pk_table_scan_and_read_mor: partitions, min/max keys and value stats", async () => {
  const blocks = await manifestBlocks("pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor");
  assertRowsPresent(blocks, [T("INT NOT NULL")], [[10], [20]]);
  assertRowsPresent(blocks, [T("STRING NOT NULL"), T("INT NOT NULL")], [
    ["Alice", 1], [TWO_ROADS, 1], ["Alex", 0], ["Tony", 0], ["Lucy", 1], ["Paul", 1], ["Skye", 0], ["Skye2", 0],
  ]);
  // Value stats (truncate(16): the long max keeps 16 chars with the last one incremented).
  assertRowsPresent(blocks, [T("STRING"), T("INT"), T("INT"), T("DOUBLE")], [
    ["Alice", 10, 1, 11.0], ["Two roads diverh", 10, 1, 11.1], ["Alex", 10, 0, 12.1], ["Tony", 10, 0, 17.1],
    ["Alice", 10, 1, 19.1], ["Tony", 10, 0, 14.1], ["Lucy", 20, 1, 14.1], ["Paul", 20, 1, 18.1],
  ]);
});

test("append_complex_data: non-compact TIMESTAMP(9)/DECIMAL(23,5) stats rows, empty key stats", async () => {
  const blocks = await manifestBlocks("append_complex_data.db/append_complex_data");
  const types = ["INT", "INT", "DATE", "TIMESTAMP(9)", "DECIMAL(23, 5)", "BYTES"].map(T);
  // Java keeps TIMESTAMP(9) (Parquet INT96) and BYTES min/max unknown: null, yet reserved.
  const expected: Value[][] = [
    [10, 1, 1234, null, 1230000n, null], [10, 1, 19909, null, 12345678998765432145678n, null],
    [20, 1, -1234, null, -12345678998765432145678n, null],
    [10, 1, 0, null, -12345000n, null], [10, 1, 100, null, 0n, null],
    [20, 0, -100, null, 0n, null],
    [10, 1, 20006, null, 172855141010010010n, null],
    // the full compaction's file spans every f1=10 row: its min is the snapshot-2 min, its max:
    [10, 1, 20006, null, 12345678998765432145678n, null],
  ];
  assertRowsPresent(blocks, types, expected);
  assertRowsPresent(blocks, [T("INT")], [[10], [20]]);
  assertRowsPresent(blocks, [], [[]]);
  // Find every serialized 6-field row by its Avro length + arity prefix and decode it.
  const prefix = Uint8Array.of(0xa8, 0x01, 0, 0, 0, 6);
  const seen = new Set<string>();
  let count = 0;
  for (const block of blocks) {
    for (let i = indexOf(block, prefix); i >= 0; i = indexOf(block, prefix, i + 1)) {
      const row = block.subarray(i + 2, i + 2 + 84);
      const values = decodeSerializedBinaryRow(types, row);
      assert.ok(equalBytes(encodeSerializedBinaryRow(types, values), row), "re-encoding Java's row gives its bytes");
      seen.add(JSON.stringify(values, (_, v) => (typeof v === "bigint" ? `${v}n` : v)));
      count++;
    }
  }
  assert.ok(count >= 14, `found ${count} stats rows`);
  assert.deepEqual([...seen].sort(), expected.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).sort());
});

test("paimon-0.5 many_pk_table: long string keys in the var part", async () => {
  const blocks = await manifestBlocks("paimon-0.5.db/many_pk_table");
  assertRowsPresent(blocks, [T("STRING NOT NULL"), T("INT NOT NULL")], [
    ["7404538406d14105a5fa9fa216bc583c", 1], ["9d1902511e5d4ecd8f9404ab447a1842", 1], ["a73d4147e5634a72b9371b21bfea3077", 2],
  ]);
});
