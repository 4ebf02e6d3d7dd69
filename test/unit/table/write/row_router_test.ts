// Goal: the writer's router sends every row to the partition and bucket Java would: the fast
// word hash of single INT/DATE/TIME/BIGINT bucket keys equals spec/bucket.ts `fixedBucket`
// (itself checked against 10,000 Java vectors in test/golden/bucket_vectors_test.ts) and Java's
// FixedBucketRowKeyExtractorTest examples; partitions get Java's directory names and BinaryRow
// bytes; unsupported bucket modes are refused before any row.
// Method: seeded random values in typed and value input forms against `fixedBucket`; fixed
// examples from Java tests and the fixture table pk_table_scan_and_read_mor (f2 = 0 → bucket 1,
// f2 = 1 → bucket 0, as the fixture's files sit).
import { assert, seededRandom, test } from "../../../harness.ts";
import { inputColumn } from "../../lsm/write_buffer_helpers.ts";
import { encodeSerializedBinaryRow } from "../../../../src/spec/binary_row.ts";
import { fixedBucket } from "../../../../src/spec/bucket.ts";
import { parseTypeString, type DataField } from "../../../../src/spec/data_types.ts";
import { createTableSchema } from "../../../../src/spec/schema.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { RowRouter } from "../../../../src/table/write/row_router.ts";
import type { InputBatch } from "../../../../src/lsm/write_columns.ts";

const f = (id: number, name: string, type: string): DataField => ({ id, name, type: parseTypeString(type) });

function batch(fields: readonly DataField[], rows: readonly (readonly Value[])[], typed: boolean): InputBatch {
  return {
    rowCount: rows.length,
    columns: fields.map((field, i) => inputColumn(field, rows.map((r) => r[i] ?? null), typed)),
    rowKinds: new Uint8Array(rows.length),
  };
}

function bucketsOf(router: RowRouter, b: InputBatch): number[] {
  const route = router.route(b);
  return Array.from({ length: b.rowCount }, (_, i) => route.targets[route.targetOf === null ? 0 : route.targetOf[i]!]!.bucket);
}

test("single integer bucket keys: the word hash equals fixedBucket", () => {
  const rnd = seededRandom(11);
  for (const type of ["INT", "DATE", "TIME", "BIGINT"]) {
    for (const buckets of [2, 7, 100, 12345]) {
      const fields = [f(0, "k", `${type} NOT NULL`), f(1, "v", "STRING")];
      const router = new RowRouter(createTableSchema({ fields, primaryKeys: ["k"], partitionKeys: [], options: { bucket: String(buckets) }, timeMillis: 0n }));
      const rows = Array.from({ length: 300 }, (): Value[] => {
        const r = rnd();
        const k: Value = type === "BIGINT" ? BigInt(Math.floor((r - 0.5) * 2 ** 53)) * BigInt(1 + Math.floor(rnd() * 1000))
          : type === "TIME" ? Math.floor(r * 86_400_000) : Math.floor((r - 0.5) * 2 ** 32);
        return [k, "x"];
      });
      const expected = rows.map((r) => fixedBucket([fields[0]!.type], [r[0]!], buckets));
      assert.deepEqual(bucketsOf(router, batch(fields, rows, true)), expected, `${type}, ${buckets} buckets, typed`);
      assert.deepEqual(bucketsOf(router, batch(fields, rows, false)), expected, `${type}, ${buckets} buckets, values`);
    }
  }
});

test("Java's FixedBucketRowKeyExtractorTest: (a)=5 → 96, (a,b) → 27, (a,b,c) → 40 of 100 buckets", () => {
  const fields = [f(0, "a", "INT NOT NULL"), f(1, "b", "INT NOT NULL"), f(2, "c", "INT NOT NULL")];
  for (const [key, bucket] of [["a", 96], ["a,b", 27], ["a,b,c", 40]] as const) {
    const router = new RowRouter(createTableSchema({ fields, primaryKeys: ["a", "b", "c"], partitionKeys: [], options: { bucket: "100", "bucket-key": key }, timeMillis: 0n }));
    assert.deepEqual(bucketsOf(router, batch(fields, [[5, 6, 7]], true)), [bucket], key);
  }
});

test("the fixture table's layout: partition f1=10 / f1=20, bucket-key f2 (0 → 1, 1 → 0)", () => {
  const fields = [f(0, "f0", "STRING NOT NULL"), f(1, "f1", "INT NOT NULL"), f(2, "f2", "INT NOT NULL"), f(3, "f3", "DOUBLE")];
  const schema = createTableSchema({ fields, primaryKeys: ["f0", "f1", "f2"], partitionKeys: ["f1"], options: { bucket: "2", "bucket-key": "f2" }, timeMillis: 0n });
  const router = new RowRouter(schema);
  const route = router.route(batch(fields, [["Alice", 10, 1, 1.5], ["Bob", 10, 0, 2.5], ["Lucy", 20, 1, 3.5], ["Tony", 10, 0, 4.5]], false));
  const where = Array.from(route.targetOf!, (t) => `${route.targets[t]!.partition.partitionPath}bucket-${route.targets[t]!.bucket}`);
  assert.deepEqual(where, ["f1=10/bucket-0", "f1=10/bucket-1", "f1=20/bucket-0", "f1=10/bucket-1"]);
  assert.deepEqual(route.targets[0]!.partition.partition, encodeSerializedBinaryRow([fields[1]!.type], [10]));
  assert.equal(router.totalBuckets, 2);
});

test("partition directories: null → default name, escaping, legacy name off", () => {
  const fields = [f(0, "k", "INT NOT NULL"), f(1, "p", "STRING"), f(2, "d", "DATE")];
  const schema = createTableSchema({ fields, primaryKeys: [], partitionKeys: ["p", "d"], options: { bucket: "-1", "partition.default-name": "__NONE__" }, timeMillis: 0n });
  const router = new RowRouter(schema);
  assert.equal(router.totalBuckets, -1);
  const route = router.route(batch(fields, [[1, "a/b", 0], [2, null, 19000], [3, "a/b", 0]], false));
  assert.deepEqual(route.targets.map((t) => `${t.partition.partitionPath}|${t.bucket}`), ["p=a%2Fb/d=0/|0", "p=__NONE__/d=19000/|0"]);
  assert.deepEqual(Array.from(route.targetOf!), [0, 1, 0]);
  const modern = new RowRouter({ ...schema, options: { ...schema.options, "partition.legacy-name": "false" } });
  assert.equal(modern.route(batch(fields, [[1, "x", 0]], false)).targets[0]!.partition.partitionPath, "p=x/d=1970-01-01/");
});

test("bucketed append tables without bucket-key hash the whole row (Paimon ≤ 0.8 tables)", () => {
  const fields = [f(0, "a", "INT"), f(1, "s", "STRING")];
  const router = new RowRouter(createTableSchema({ fields, primaryKeys: [], partitionKeys: [], options: { bucket: "4" }, timeMillis: 0n }));
  const rows: Value[][] = [[1, "x"], [2, "y"], [null, "z"], [3, null]];
  assert.deepEqual(bucketsOf(router, batch(fields, rows, false)), rows.map((r) => fixedBucket(fields.map((x) => x.type), r, 4)));
});

test("dynamic, cross-partition and postpone buckets and other bucket functions are refused", () => {
  const fields = [f(0, "k", "INT NOT NULL"), f(1, "p", "STRING NOT NULL")];
  const make = (options: Record<string, string>, partitionKeys: string[] = [], primaryKeys = ["k"]) =>
    () => new RowRouter(createTableSchema({ fields, primaryKeys, partitionKeys, options, timeMillis: 0n }));
  assert.throws(make({ bucket: "-1" }), (e: Error & { code?: string }) => e.code === "unsupported" && /dynamic buckets/.test(e.message));
  assert.throws(make({ bucket: "-1" }, ["p"], ["k"]), /cross-partition/);
  assert.throws(make({ bucket: "-2" }), /postpone/);
  assert.throws(make({ bucket: "2", "bucket-function.type": "mod" }), /bucket-function.type/);
});
