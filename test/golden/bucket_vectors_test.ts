// Goal: fixed-bucket assignment (BinaryRow bytes + Murmur3 + Java remainder) matches Java on
// every one of the 10,000 rows Java's FixedBucketRowKeyExtractor bucketed (12345 buckets, all
// columns form the bucket key), plus the FixedBucketRowKeyExtractorTest examples.
// Method: a test-local tokenizer reads each JSON-array line losslessly (integer tokens become
// BigInt, then are narrowed per column type); column types as listed in PROVENANCE.md and in
// paimon-cpp's bucket_id_calculator_test.cpp. Every row is compared, and failures are counted.
import { assert, readFixtureText, test } from "../harness.ts";
import { bucketFromHash, bucketKeyHash, bucketKeyNames, fixedBucket } from "../../src/spec/bucket.ts";
import { atomic, parseTypeString, type DataType } from "../../src/spec/data_types.ts";
import { decodeBinaryRow, encodeBinaryRow } from "../../src/spec/binary_row.ts";
import { decimalFromString, timestampFromEpochNanos, type Value } from "../../src/spec/values.ts";
import { utf8Encode } from "../../src/util/bytes.ts";

type Token = string | bigint | number | boolean | null;

/** Splits one line `[a, b, ...],` into tokens; integers stay exact as BigInt. */
function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+)(?![.\deE])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null))\s*(?:,|\])/y;
  const body = line.trim().replace(/,$/, "");
  assert.ok(body.startsWith("["), `line does not start with [: ${body.slice(0, 30)}`);
  re.lastIndex = 1;
  while (re.lastIndex < body.length) {
    const m = re.exec(body);
    assert.ok(m, `cannot tokenize at ${re.lastIndex}: ${body.slice(re.lastIndex, re.lastIndex + 30)}`);
    if (m[1] !== undefined) out.push(JSON.parse(m[1]) as string);
    else if (m[2] !== undefined) out.push(BigInt(m[2]));
    else if (m[3] !== undefined) out.push(Number(m[3]));
    else out.push(m[4] === "null" ? null : m[4] === "true");
  }
  return out;
}

/** Converts a token to the values.ts shape of `type`. */
function toValue(type: DataType, token: Token): Value {
  if (token === null) return null;
  switch (type.root) {
    case "BOOLEAN": return token as boolean;
    case "TINYINT": case "SMALLINT": case "INT": case "DATE": return Number(token as bigint);
    case "BIGINT": return token as bigint;
    case "FLOAT": return Math.fround(Number(token));
    case "DOUBLE": return Number(token);
    case "TIMESTAMP": return timestampFromEpochNanos(token as bigint);
    case "DECIMAL": return decimalFromString(token as string, type.precision!, type.scale!);
    case "VARCHAR": return token as string;
    case "VARBINARY": return utf8Encode(token as string);
    default: throw new Error(`unexpected type ${type.root}`);
  }
}

const BASE = ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE", "TIMESTAMP(9)"];

async function checkFile(file: string, typeNames: string[]): Promise<{ rows: number; nulls: number }> {
  const types = typeNames.map(parseTypeString);
  const lines = (await readFixtureText(`paimon/bucket-vectors/${file}`)).split("\n").filter((l) => l.trim() !== "");
  const failures: string[] = [];
  let nulls = 0;
  for (const [n, line] of lines.entries()) {
    const tokens = tokenize(line);
    assert.equal(tokens.length, types.length + 1, `line ${n + 1}: ${tokens.length} tokens`);
    const values = types.map((t, i) => toValue(t, tokens[i]!));
    nulls += values.filter((v) => v === null).length;
    const expected = Number(tokens[types.length] as bigint);
    const actual = fixedBucket(types, values, 12345);
    if (actual !== expected) failures.push(`line ${n + 1}: bucket ${actual}, Java ${expected}`);
    if (n % 97 === 0) {
      // Spot-check that the decoder reads back what was hashed.
      const row = encodeBinaryRow(types, values);
      assert.deepEqual(decodeBinaryRow(types, row), values, `line ${n + 1} round trip`);
    }
  }
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${lines.length} rows differ`);
  return { rows: lines.length, nulls };
}

test("record_for_bucket_id.data: all 5000 rows land in Java's bucket", async () => {
  const r = await checkFile("record_for_bucket_id.data", [...BASE, "DECIMAL(30, 20)", "STRING", "BYTES"]);
  assert.equal(r.rows, 5000);
});

test("record_with_null_for_bucket_id.data: all 5000 rows (with nulls) land in Java's bucket", async () => {
  const r = await checkFile("record_with_null_for_bucket_id.data", [...BASE, "DECIMAL(5, 2)", "DECIMAL(30, 2)", "STRING", "BYTES"]);
  assert.equal(r.rows, 5000);
  assert.ok(r.nulls > 5000, `expected many nulls, got ${r.nulls}`);
});

test("FixedBucketRowKeyExtractorTest: a=5,b=6,c=7 INT, 100 buckets -> 96, 27, 40", () => {
  const I = atomic("INT");
  assert.equal(bucketKeyHash([I], [5]), 260196596);
  assert.equal(fixedBucket([I], [5], 100), 96);
  assert.equal(bucketKeyHash([I, I], [5, 6]), 131015827);
  assert.equal(fixedBucket([I, I], [5, 6], 100), 27);
  assert.equal(bucketKeyHash([I, I, I], [5, 6, 7]), 1805332940);
  assert.equal(fixedBucket([I, I, I], [5, 6, 7], 100), 40);
});

test("pk_table_scan_and_read fixtures: f2=0 -> bucket 1, f2=1 -> bucket 0 (2 buckets)", () => {
  const I = atomic("INT");
  assert.equal(bucketKeyHash([I], [0]), -300363099);
  assert.equal(fixedBucket([I], [0], 2), 1);
  assert.equal(fixedBucket([I], [1], 2), 0);
});

test("bucketFromHash uses Java remainder semantics and rejects bad bucket counts", () => {
  assert.equal(bucketFromHash(-7, 3), 1);
  assert.equal(bucketFromHash(-2147483648, 7), Math.abs(-2147483648 % 7));
  assert.equal(bucketFromHash(-4, 2), 0);
  assert.ok(Object.is(bucketFromHash(-4, 2), 0), "no negative zero");
  assert.throws(() => bucketFromHash(1, 0), /number of buckets 0/);
});

test("bucketKeyNames: bucket-key option, else primary key minus partition keys", () => {
  const fieldNames = ["dt", "id", "name", "v"];
  assert.deepEqual(bucketKeyNames({ primaryKeys: ["dt", "id"], partitionKeys: ["dt"], fieldNames }), ["id"]);
  assert.deepEqual(bucketKeyNames({ bucketKeyOption: "name,id", primaryKeys: [], partitionKeys: ["dt"], fieldNames }), ["name", "id"]);
  assert.deepEqual(bucketKeyNames({ bucketKeyOption: "  ", primaryKeys: ["id"], partitionKeys: [], fieldNames }), ["id"]);
  assert.throws(() => bucketKeyNames({ bucketKeyOption: "id, name", primaryKeys: [], partitionKeys: [], fieldNames }), /" name" is not a column/);
  assert.throws(() => bucketKeyNames({ bucketKeyOption: "dt", primaryKeys: [], partitionKeys: ["dt"], fieldNames }), /partition key/);
  assert.throws(() => bucketKeyNames({ bucketKeyOption: "v", primaryKeys: ["id"], partitionKeys: [], fieldNames }), /not in the primary key/);
  assert.throws(() => bucketKeyNames({ primaryKeys: ["dt"], partitionKeys: ["dt"], fieldNames }), /equals the partition keys/);
  assert.throws(() => bucketKeyNames({ primaryKeys: [], partitionKeys: [], fieldNames }), /no bucket key/);
});
