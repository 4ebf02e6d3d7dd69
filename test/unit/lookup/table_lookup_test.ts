// Goal: table.newLookup answers exactly what a full scan at the same snapshot holds, for unique
// (primary-key) and non-unique (bucket-key prefix) lookups, hits and misses, with integer and
// string keys, and rejects bad options and keys with clear errors.
// Method: tables written with the real writer into a MemoryStore; random keys (seeded) probed
// through get/getMany/getAll/getManyAll and compared with table.rows() grouped by key.
import { describe, test, assert, seededRandom } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import type { Value } from "../../../src/spec/values.ts";
import { field, keyText, makeTable, rowText, scanByKey, StreamTable } from "./lookup_helpers.ts";

const quiet = { onWarning: () => {} };

describe("table.newLookup unique keys", () => {
  test("BIGINT primary key: get/getMany equal a full scan for hits and misses", async () => {
    const { store, table, schema } = await makeTable({
      fields: [field(0, "id", "BIGINT NOT NULL"), field(1, "v", "DOUBLE"), field(2, "s", "STRING")],
      primaryKeys: ["id"], options: { bucket: "4" },
    });
    const t = new StreamTable(store, schema, table);
    const rnd = seededRandom(7);
    for (let c = 0; c < 3; c++) {
      await t.upsert(Array.from({ length: 200 }, () => {
        const id = BigInt(Math.floor(rnd() * 500) - 100);
        return { id, v: rnd() < 0.1 ? null : rnd(), s: `s${Math.floor(rnd() * 1000)}` };
      }));
    }
    const lookup = await table.newLookup(quiet);
    assert.equal(lookup.unique, true);
    const expected = await scanByKey(table, ["id"], lookup.snapshotId);
    const probes = Array.from({ length: 300 }, () => BigInt(Math.floor(rnd() * 700) - 150));
    const got = await lookup.getMany(probes.map((id) => [id]));
    let hits = 0;
    for (let i = 0; i < probes.length; i++) {
      const want = expected.get(keyText([probes[i]!]))?.[0] ?? null;
      if (want !== null) hits++;
      assert.equal(rowText(got[i]!, ["id", "v", "s"]), rowText(want, ["id", "v", "s"]), `probe ${probes[i]}`);
    }
    assert.ok(hits > 50 && hits < 300, `hits ${hits}`);
    const one = await lookup.get({ id: probes[0]! });
    assert.equal(rowText(one, ["id", "v", "s"]), rowText(got[0]!, ["id", "v", "s"]));
    await lookup.close();
  });

  test("composite string key with deletes; columns projection", async () => {
    const { store, table, schema } = await makeTable({
      fields: [field(0, "buyer", "STRING NOT NULL"), field(1, "seller", "STRING NOT NULL"), field(2, "dict", "STRING")],
      primaryKeys: ["buyer", "seller"], options: { bucket: "3", "bucket-key": "buyer,seller" },
    });
    const t = new StreamTable(store, schema, table);
    const rnd = seededRandom(11);
    const key = () => ({ buyer: `b${Math.floor(rnd() * 30)}`, seller: `s${Math.floor(rnd() * 5)}` });
    await t.upsert(Array.from({ length: 120 }, () => ({ ...key(), dict: `d${Math.floor(rnd() * 99)}` })));
    await t.commit(Array.from({ length: 30 }, () => ({ kind: RowKind.DELETE, row: { ...key(), dict: null } })));
    const lookup = await table.newLookup({ ...quiet, columns: ["dict"] });
    const expected = await scanByKey(table, ["buyer", "seller"], lookup.snapshotId);
    const probes = Array.from({ length: 200 }, key);
    const got = await lookup.getMany(probes);
    for (let i = 0; i < probes.length; i++) {
      const want = expected.get(keyText([probes[i]!.buyer, probes[i]!.seller]))?.[0] ?? null;
      assert.equal(rowText(got[i]!, ["dict"]), rowText(want, ["dict"]));
      if (got[i] !== null) assert.deepEqual(Object.keys(got[i]!), ["dict"]);
    }
  });
});

describe("table.newLookup non-unique keys (bucket key prefix)", () => {
  test("getManyAll returns every row of a buyer; only that buyer's bucket is read", async () => {
    const { store, table, schema } = await makeTable({
      fields: [field(0, "buyer", "BIGINT NOT NULL"), field(1, "cate", "STRING NOT NULL"), field(2, "ds", "STRING NOT NULL"), field(3, "cnt", "BIGINT"), field(4, "gmv", "DOUBLE")],
      primaryKeys: ["buyer", "cate", "ds"], options: { bucket: "8", "bucket-key": "buyer", "merge-engine": "aggregation", "fields.cnt.aggregate-function": "sum", "fields.gmv.aggregate-function": "sum" },
    });
    const t = new StreamTable(store, schema, table);
    const rnd = seededRandom(5);
    for (let c = 0; c < 3; c++) {
      await t.upsert(Array.from({ length: 150 }, () => ({
        buyer: BigInt(Math.floor(rnd() * 40)), cate: `c${Math.floor(rnd() * 4)}`, ds: `2024010${Math.floor(rnd() * 3)}`, cnt: 1n, gmv: Math.floor(rnd() * 100),
      })));
    }
    const warnings: string[] = [];
    const lookup = await table.newLookup({ keys: ["buyer"], onWarning: (m) => warnings.push(m) });
    assert.equal(lookup.unique, false);
    assert.deepEqual(warnings, []);
    await assert.rejects(lookup.get([1n]), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument");
    const expected = await scanByKey(table, ["buyer"], lookup.snapshotId);
    const cols = ["buyer", "cate", "ds", "cnt", "gmv"];
    const probes = [3n, 17n, 39n, 41n, 1000n];
    const got = await lookup.getManyAll(probes.map((b) => ({ buyer: b })));
    for (let i = 0; i < probes.length; i++) {
      const want = (expected.get(keyText([probes[i]!])) ?? []).map((r) => rowText(r, cols)).sort();
      assert.deepEqual(got[i]!.map((r) => rowText(r, cols)).sort(), want);
    }
    const stats = lookup.stats();
    assert.ok(stats.bucketsLoaded <= probes.length && stats.bucketsLoaded >= 1, `loaded ${stats.bucketsLoaded}`);
  });

  test("keys not covering the bucket key warn once and still answer", async () => {
    const { store, table, schema } = await makeTable({
      fields: [field(0, "a", "INT NOT NULL"), field(1, "b", "INT NOT NULL"), field(2, "v", "STRING")],
      primaryKeys: ["a", "b"], options: { bucket: "2" },
    });
    const t = new StreamTable(store, schema, table);
    await t.upsert([{ a: 1, b: 1, v: "x" }, { a: 1, b: 2, v: "y" }, { a: 2, b: 1, v: "z" }]);
    const warnings: string[] = [];
    const lookup = await table.newLookup({ keys: ["b"], onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /do not cover the bucket key \[a, b\]/);
    const got = await lookup.getManyAll([[1], [2], [3], [null]]);
    assert.deepEqual(got.map((rs) => rs.map((r) => `${r["a"]}${r["b"]}${r["v"]}`).sort()), [["11x", "21z"], ["12y"], [], []]);
    await lookup.getAll([1]);
    assert.equal(warnings.length, 1);
  });
});

describe("table.newLookup errors", () => {
  test("unknown names, arity, types and append tables without keys", async () => {
    const { store, table, schema } = await makeTable({
      fields: [field(0, "id", "BIGINT NOT NULL"), field(1, "v", "INT")], primaryKeys: ["id"], options: { bucket: "1" },
    });
    await new StreamTable(store, schema, table).upsert([{ id: 1n, v: 1 }]);
    const code = (c: string, pattern: RegExp) => (e: unknown) => e instanceof LakeError && e.code === c && pattern.test(e.message);
    await assert.rejects(table.newLookup({ keys: ["nope"] }), code("invalid_argument", /key "nope" is not a column/));
    await assert.rejects(table.newLookup({ columns: ["zz"] }), code("invalid_argument", /column "zz" is not a column/));
    const lookup = await table.newLookup(quiet);
    await assert.rejects(lookup.get([1n, 2n]), code("invalid_argument", /has 2 values, expected 1/));
    await assert.rejects(lookup.get([1]), code("invalid_argument", /expects an int64 bigint, got 1/));
    await assert.rejects(lookup.get({ other: 1n } as Record<string, Value>), code("invalid_argument", /has no value for "id"/));
    assert.equal((await lookup.get([1n]))?.["v"], 1);
    assert.deepEqual(await lookup.get([1n]), { id: 1n, v: 1 });
    const append = await makeTable({ fields: [field(0, "k", "STRING"), field(1, "v", "INT")] });
    await assert.rejects(append.table.newLookup(), code("invalid_argument", /has no primary key: pass keys/));
  });
});

describe("table.newLookup INT key", () => {
  test("a probe of -0 finds 0 and returns the table's 0", async () => {
    const { store, table, schema } = await makeTable({ fields: [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")], primaryKeys: ["k"], options: { bucket: "2" } });
    await new StreamTable(store, schema, table).upsert([{ k: 0, v: "zero" }, { k: -5, v: "neg" }]);
    const lookup = await table.newLookup(quiet);
    const [zero, neg, none] = await lookup.getMany([[-0], { k: -5 }, [7]]);
    assert.ok(Object.is(zero?.["k"], 0));
    assert.equal(zero?.["v"], "zero");
    assert.deepEqual(neg, { k: -5, v: "neg" });
    assert.equal(none, null);
  });
});
