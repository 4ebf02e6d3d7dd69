// Goal: CREATE TABLE becomes the schema Java's Flink catalog would create (field ids, NOT NULL
// on keys, keys, options in order, comments), names resolve against the session context, and the
// two statements of docs/use-cases.md behave as that document requires: the first creates the
// exact table, the second as published fails with a clear error naming the option, the column
// and the missing PARTITIONED BY (ds) clause, and with that clause added gives the partitioned table.
// Method: the use-case statements verbatim (copied byte for byte from shared/docs/use-cases.md),
// schema JSON compared with hand-written JSON; nested field ids checked against Java's
// Schema.Builder + ReassignFieldId order worked out by hand; error cases with exact positions.
import { assert, describe, test } from "../../../harness.ts";
import { parseSql } from "../../../../src/api/sql/parser.ts";
import type { CreateTableStatement } from "../../../../src/api/sql/ast.ts";
import { numberColumnFields, planCreateTable, timestampPatternColumns } from "../../../../src/api/sql/ddl.ts";
import { applyUseStatement, defaultSqlContext, type SqlContext } from "../../../../src/api/sql/names.ts";
import { SqlError } from "../../../../src/api/sql/source.ts";
import { encodeTableSchema } from "../../../../src/spec/schema.ts";
import { OPTION_SUPPORT } from "../../../../src/spec/option_support.ts";
import { atomic } from "../../../../src/spec/data_types.ts";
import { isLakeError } from "../../../../src/errors.ts";

const USE_CASE_1 = [
  "CREATE TABLE `paimon-catalog`.`paimon-db`.test_dws_pay_refund (",
  "    test_buyer_id VARCHAR,",
  "    test_seller_id VARCHAR,",
  "    test_order_dict VARCHAR, -- \"${order_id}:${pay_timestamp}_${is_refund_flag}\" entries",
  "    PRIMARY KEY (test_buyer_id, test_seller_id) NOT ENFORCED",
  ") WITH (",
  "    'merge-engine' = 'deduplicate',",
  "    'changelog-producer' = 'none',",
  "    'bucket' = '1000',",
  "    'bucket-key' = 'test_buyer_id,test_seller_id',",
  "    'delete-file.thread-num' = '32'",
  ");",
].join("\n");
const USE_CASE_2 = [
  "CREATE TABLE `paimon-catalog`.`paimon-db`.`test_dws_pay_cate1_result` (",
  "    `test_buyer_id` BIGINT NOT NULL,",
  "    `test_cate1_id` STRING NOT NULL,",
  "    `ds` STRING NOT NULL,",
  "    `test_order_cnt` BIGINT,",
  "    `test_gmv` DOUBLE,",
  "    PRIMARY KEY (test_buyer_id, test_cate1_id, ds) NOT ENFORCED",
  ") WITH (",
  "    'bucket' = '40',",
  "    'bucket-key' = 'test_buyer_id',",
  "    'changelog-producer' = 'lookup',",
  "    'fields.test_order_cnt.aggregate-function' = 'sum',",
  "    'fields.test_gmv.aggregate-function' = 'sum',",
  "    'merge-engine' = 'aggregation',",
  "    'partition.expiration-time' = '7d',",
  "    'partition.timestamp-formatter' = 'yyyyMMdd',",
  "    'partition.timestamp-pattern' = '$ds'",
  ");",
].join("\n");

const TIME_MILLIS = 1700000000123n;

function create(text: string, context: SqlContext = defaultSqlContext(), use?: "read" | "write") {
  const statements = parseSql(text);
  assert.equal(statements.length, 1);
  const s = statements[0]!;
  assert.equal(s.kind, "create_table");
  return planCreateTable(s as CreateTableStatement, { context, timeMillis: TIME_MILLIS, use });
}
const schemaJson = (plan: ReturnType<typeof create>) => JSON.parse(encodeTableSchema(plan.schema));

function expectSqlError(run: () => unknown, code: "invalid_argument" | "unsupported", line: number, column: number, ...patterns: RegExp[]): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof SqlError && isLakeError(e, code), String(e));
    assert.deepEqual([e.line, e.column], [line, column], e.message);
    assert.match(e.message, new RegExp(`^sql: line ${line}, column ${column}: `));
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

const USE_CASE_2_PARTITIONED = USE_CASE_2.replace("\n) WITH (", "\n) PARTITIONED BY (ds) WITH (");

const USE_CASE_2_SCHEMA = {
  version: 3,
  id: 0,
  fields: [
    { id: 0, name: "test_buyer_id", type: "BIGINT NOT NULL" },
    { id: 1, name: "test_cate1_id", type: "STRING NOT NULL" },
    { id: 2, name: "ds", type: "STRING NOT NULL" },
    { id: 3, name: "test_order_cnt", type: "BIGINT" },
    { id: 4, name: "test_gmv", type: "DOUBLE" },
  ],
  highestFieldId: 4,
  partitionKeys: ["ds"],
  primaryKeys: ["test_buyer_id", "test_cate1_id", "ds"],
  options: {
    "bucket": "40",
    "bucket-key": "test_buyer_id",
    "changelog-producer": "lookup",
    "fields.test_order_cnt.aggregate-function": "sum",
    "fields.test_gmv.aggregate-function": "sum",
    "merge-engine": "aggregation",
    "partition.expiration-time": "7d",
    "partition.timestamp-formatter": "yyyyMMdd",
    "partition.timestamp-pattern": "$ds",
  },
  timeMillis: 1700000000123,
};

describe("the use cases of docs/use-cases.md, verbatim", () => {
  test("use case 1 creates exactly the table meant", () => {
    const plan = create(USE_CASE_1);
    assert.deepEqual(plan.identifier, { catalog: "paimon-catalog", database: "paimon-db", table: "test_dws_pay_refund" });
    assert.equal(plan.ifNotExists, false);
    assert.deepEqual(schemaJson(plan), {
      version: 3,
      id: 0,
      fields: [
        { id: 0, name: "test_buyer_id", type: "STRING NOT NULL" },
        { id: 1, name: "test_seller_id", type: "STRING NOT NULL" },
        { id: 2, name: "test_order_dict", type: "STRING" },
      ],
      highestFieldId: 2,
      partitionKeys: [],
      primaryKeys: ["test_buyer_id", "test_seller_id"],
      options: {
        "merge-engine": "deduplicate",
        "changelog-producer": "none",
        "bucket": "1000",
        "bucket-key": "test_buyer_id,test_seller_id",
        "delete-file.thread-num": "32",
      },
      timeMillis: 1700000000123,
    });
    assert.deepEqual(Object.keys(plan.schema.options), ["merge-engine", "changelog-producer", "bucket", "bucket-key", "delete-file.thread-num"]);
    assert.deepEqual(plan.warnings, []);
    // The input keeps the keys as written; the VARCHAR columns are nullable until createTableSchema applies the key rule.
    assert.deepEqual(plan.input.primaryKeys, ["test_buyer_id", "test_seller_id"]);
    assert.equal(plan.input.fields[0]!.type.nullable, true);
  });

  test("use case 2 as published: a clear error naming the option, the column and PARTITIONED BY (ds)", () => {
    expectSqlError(() => create(USE_CASE_2), "invalid_argument", 15, 5,
      /option 'partition\.expiration-time' = '7d'/, /no partition keys/, /'partition\.timestamp-pattern' = '\$ds'/, /column ds/,
      /add the missing clause PARTITIONED BY \(ds\)/, /`paimon-catalog`\.`paimon-db`\.`test_dws_pay_cate1_result`/);
  });

  test("use case 2 with PARTITIONED BY (ds): the partitioned table meant", () => {
    assert.deepEqual(schemaJson(create(USE_CASE_2_PARTITIONED, defaultSqlContext(), "read")), USE_CASE_2_SCHEMA);
  });

  test("use case 2 with PARTITIONED BY (ds), checked for writing: succeeds exactly when the writer supports its changelog producer", () => {
    const writable = (OPTION_SUPPORT["changelog-producer"].write as readonly string[]).includes("lookup");
    if (writable) {
      assert.deepEqual(schemaJson(create(USE_CASE_2_PARTITIONED)), USE_CASE_2_SCHEMA);
    } else {
      expectSqlError(() => create(USE_CASE_2_PARTITIONED), "unsupported", 11, 5, /option 'changelog-producer' = "lookup" is not supported for write/);
    }
  });
});

describe("schema building", () => {
  test("nested field ids follow Java: column first, then its nested fields, children before their field", () => {
    const plan = create("CREATE TABLE t (a INT, b ROW<x INT, y ROW<z INT>>, c ARRAY<ROW<p INT>>, d MAP<ROW<k INT>, ROW<v INT>>)");
    const ids = (json: unknown): unknown => JSON.parse(JSON.stringify(json), (k, v) => (k === "type" && typeof v === "string" ? undefined : v));
    assert.deepEqual(ids(schemaJson(plan).fields), [
      { id: 0, name: "a" },
      { id: 1, name: "b", type: { fields: [{ id: 2, name: "x" }, { id: 4, name: "y", type: { fields: [{ id: 3, name: "z" }] } }] } },
      { id: 5, name: "c", type: { element: { fields: [{ id: 6, name: "p" }] } } },
      { id: 7, name: "d", type: { key: { fields: [{ id: 8, name: "k" }] }, value: { fields: [{ id: 9, name: "v" }] } } },
    ]);
    assert.equal(plan.schema.highestFieldId, 9);
  });

  test("numberColumnFields continues after a table's highest field id (ALTER TABLE ADD)", () => {
    const { fields, highestFieldId } = numberColumnFields([
      { name: "n", type: atomic("INT"), comment: "new" },
      { name: "r", type: { root: "ROW", nullable: true, fields: [{ id: 0, name: "q", type: atomic("INT") }] } },
    ], 9);
    assert.deepEqual(fields.map((f) => [f.id, f.name, f.description]), [[10, "n", "new"], [11, "r", undefined]]);
    assert.ok(fields[1]!.type.root === "ROW" && fields[1]!.type.fields[0]!.id === 12);
    assert.equal(highestFieldId, 12);
  });

  test("comments, primary keys made NOT NULL, partition keys, IF NOT EXISTS, connector = paimon dropped", () => {
    const plan = create([
      "CREATE TABLE IF NOT EXISTS t (",
      "  k INT COMMENT 'key' PRIMARY KEY NOT ENFORCED,",
      "  dt STRING,",
      "  v ARRAY<STRING NOT NULL> COMMENT 'values'",
      ") COMMENT 'my table' PARTITIONED BY (dt) WITH ('connector' = 'paimon', 'bucket' = '2')",
    ].join("\n"));
    assert.equal(plan.ifNotExists, true);
    const json = schemaJson(plan);
    assert.deepEqual(json.fields, [
      { id: 0, name: "k", type: "INT NOT NULL", description: "key" },
      { id: 1, name: "dt", type: "STRING" },
      { id: 2, name: "v", type: { type: "ARRAY", element: "STRING NOT NULL" }, description: "values" },
    ]);
    assert.deepEqual([json.primaryKeys, json.partitionKeys, json.options, json.comment], [["k"], ["dt"], { bucket: "2" }, "my table"]);
  });

  test("keys given as options 'primary-key' and 'partition' count as keys (Java moves them)", () => {
    const plan = create("CREATE TABLE t (k INT, ds STRING) WITH ('bucket' = '2', 'primary-key' = 'k,ds', 'partition' = 'ds', 'partition.expiration-time' = '1d', 'partition.timestamp-pattern' = '$ds')");
    assert.deepEqual([plan.schema.primaryKeys, plan.schema.partitionKeys, Object.keys(plan.schema.options)],
      [["k", "ds"], ["ds"], ["bucket", "partition.expiration-time", "partition.timestamp-pattern"]]);
  });

  test("misspelt option keys give warnings, not errors", () => {
    const plan = create("CREATE TABLE t (k INT) WITH ('bucket' = '-1', 'snapshot.num-retained.mx' = '3')");
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0]!, /did you mean 'snapshot\.num-retained\.max'/);
  });
});

describe("name resolution", () => {
  test("one, two and three parts against the context that USE statements set", () => {
    let context = defaultSqlContext();
    assert.deepEqual(create("CREATE TABLE t (a INT)", context).identifier, { catalog: "default_catalog", database: "default", table: "t" });
    for (const s of parseSql("USE CATALOG `my cat`; USE d1")) {
      assert.ok(s.kind === "use_catalog" || s.kind === "use_database");
      context = applyUseStatement(context, s);
    }
    assert.deepEqual(context, { currentCatalog: "my cat", currentDatabase: "d1" });
    assert.deepEqual(create("CREATE TABLE T1 (a INT)", context).identifier, { catalog: "my cat", database: "d1", table: "T1" });
    assert.deepEqual(create("CREATE TABLE d2.t (a INT)", context).identifier, { catalog: "my cat", database: "d2", table: "t" });
    assert.deepEqual(create("CREATE TABLE c.d.t (a INT)", context).identifier, { catalog: "c", database: "d", table: "t" });
    const [useCatalog, useBoth] = parseSql("USE CATALOG other; USE c9.d9");
    assert.ok(useCatalog!.kind === "use_catalog" && useBoth!.kind === "use_database");
    assert.deepEqual(applyUseStatement(context, useCatalog, { defaultDatabase: "main" }), { currentCatalog: "other", currentDatabase: "main" });
    assert.deepEqual(applyUseStatement(context, useBoth), { currentCatalog: "c9", currentDatabase: "d9" });
  });
});

describe("partition expiration that could never happen is refused", () => {
  test("no partition keys and no pattern", () => {
    expectSqlError(() => create("CREATE TABLE t (k INT, ds STRING)\nWITH ('bucket' = '-1',\n  'partition.expiration-time' = '7 d')"), "invalid_argument", 3, 3,
      /option 'partition\.expiration-time' = '7 d' expires partitions, but the table has no partition keys/,
      /add the missing clause PARTITIONED BY \(<the column holding the partition time>\)/);
  });

  test("pattern reading a column that is not a partition key", () => {
    expectSqlError(() => create("CREATE TABLE t (k INT, dt STRING, hr STRING) PARTITIONED BY (dt) WITH ('partition.expiration-time' = '1 h', 'partition.timestamp-pattern' = '$dt $hr:00:00')"),
      "invalid_argument", 1, 72, /reads column hr, which is not a partition key \(partition keys: dt\)/, /PARTITIONED BY \(dt, hr\)/);
  });

  test("pattern naming something that is not a column", () => {
    expectSqlError(() => create("CREATE TABLE t (k INT, dt STRING) PARTITIONED BY (dt) WITH ('partition.expiration-time' = '1 d', 'partition.timestamp-pattern' = '$day')"),
      "invalid_argument", 1, 98, /'partition\.timestamp-pattern' = '\$day' reads \$day, which is not a column \(columns: k, dt\)/);
  });

  test("partitioned tables expire: pattern over partition keys, or no pattern", () => {
    assert.deepEqual(create("CREATE TABLE t (k INT, dt STRING, hr STRING) PARTITIONED BY (dt, hr) WITH ('partition.expiration-time' = '1 h', 'partition.timestamp-pattern' = '$dt $hr:00:00')").schema.partitionKeys, ["dt", "hr"]);
    assert.deepEqual(create("CREATE TABLE t (k INT, dt STRING) PARTITIONED BY (dt) WITH ('partition.expiration-time' = '1 d')").schema.partitionKeys, ["dt"]);
  });

  test("timestampPatternColumns prefers the longest column, as Java's replacement does", () => {
    assert.deepEqual(timestampPatternColumns("$dt1-$dt $hour", ["dt", "dt1", "hour"]), ["dt1", "dt", "hour"]);
    // Java replaces "$y" inside "$year" when y is a key; unknown names are read up to the identifier's end.
    assert.deepEqual(timestampPatternColumns("$year-$month", ["y"]), ["y", "month"]);
    assert.deepEqual(timestampPatternColumns("$year-$month", ["m"]), ["year", "m"]);
    assert.deepEqual(timestampPatternColumns("yyyy", ["y"]), []);
  });
});

describe("errors point at the clause", () => {
  test("key columns that are not columns, named twice; columns defined twice", () => {
    expectSqlError(() => create("CREATE TABLE t (a INT,\n  PRIMARY KEY (a, b) NOT ENFORCED)"), "invalid_argument", 2, 19, /primary key names b, which is not a column \(columns: a\)/);
    expectSqlError(() => create("CREATE TABLE t (a INT, PRIMARY KEY (a, a) NOT ENFORCED)"), "invalid_argument", 1, 40, /primary key names a twice/);
    expectSqlError(() => create("CREATE TABLE t (a INT) PARTITIONED BY (x)"), "invalid_argument", 1, 40, /PARTITIONED BY names x, which is not a column/);
    expectSqlError(() => create("CREATE TABLE t (a INT, b INT, a STRING)"), "invalid_argument", 1, 31, /column a is defined twice \(first at line 1, column 17\)/);
  });

  test("Java's creation rules, at the statement", () => {
    expectSqlError(() => create("CREATE TABLE t (k INT PRIMARY KEY NOT ENFORCED, v INT) WITH ('bucket' = '2', 'bucket-key' = 'v')"), "invalid_argument", 1, 1,
      /CREATE TABLE `default_catalog`\.`default`\.`t`: schema: bucket key "v" must be one of the primary keys/);
    expectSqlError(() => create("CREATE TABLE t (k INT) WITH ('bucket' = '0')"), "invalid_argument", 1, 1, /'bucket' = 0 must be a positive bucket count/);
  });

  test("options lakestate cannot write point at the option; a foreign connector is refused", () => {
    expectSqlError(() => create("CREATE TABLE t (k INT)\nWITH ('bucket' = '1',\n 'file.format' = 'orc')"), "unsupported", 3, 2, /option 'file\.format' = "orc" is not supported for write/);
    expectSqlError(() => create("CREATE TABLE t (k INT) WITH ('connector' = 'kafka')"), "invalid_argument", 1, 44, /a Paimon catalog only holds paimon tables/);
  });
});
