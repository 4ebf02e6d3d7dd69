// Goal: `write-buffer-size` is ONE budget over every open bucket of a TableWriter: at every
// moment the accounted memory (`TableWriter.memoryBytes`, the sum of the bucket buffers) is at
// most the budget, except inside one append, which adds at most one slice (SLICE_ROWS rows of one
// bucket, or the first chunks a bucket allocates) before the writer flushes back under it; and
// when over budget the writer flushes the LARGEST buffer first (Java's memory-pool preemption).
// Method: many buckets (partitions x buckets) and a tiny budget; the bucket writers' `append` and
// `flush` are wrapped (prototype patch, restored afterwards) to record the table writer's
// accounted memory before and after every append, the rows each append adds, and at every
// budget flush the flushed buffer's size against every other buffer's; rows are then read back
// against a model. Primary-key (merge tree) and append writers both.
import { assert, describe, seededRandom, test } from "../../../harness.ts";
import { loadKernel } from "../../../../src/kernel/mod.ts";
import { parquetWriterModule } from "../../../../src/format/data/parquet_arrow_reader.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { AppendWriter } from "../../../../src/table/write/append_writer.ts";
import type { BucketWriter } from "../../../../src/table/write/bucket_writer.ts";
import { MergeTreeWriter } from "../../../../src/table/write/merge_tree_writer.ts";
import { SLICE_ROWS, TableWriter } from "../../../../src/table/write/table_writer.ts";
import { field, makeTable, modelRows, visibleRows, type TableDef } from "./table_writer_helpers.ts";

interface Trace {
  /** Accounted memory before each append, and after it. */
  readonly appends: { before: number; after: number; rows: number }[];
  /** Budget flushes: the flushed buffer's bytes and the largest other non-empty buffer's. */
  readonly flushes: { flushed: number; largestOther: number; buckets: number }[];
}

type Proto = { append: BucketWriter["append"]; flush: BucketWriter["flush"] };

/** Runs `body` with MergeTreeWriter/AppendWriter instrumented for `writer()`. */
async function traced(writer: () => TableWriter | null, body: () => Promise<void>): Promise<Trace> {
  const trace: Trace = { appends: [], flushes: [] };
  const protos = [MergeTreeWriter.prototype, AppendWriter.prototype] as unknown as Proto[];
  const saved = protos.map((p) => ({ append: p.append, flush: p.flush }));
  protos.forEach((p, i) => {
    const { append, flush } = saved[i]!;
    p.append = function (this: BucketWriter, batch, rows, from, to) {
      const w = writer();
      const before = w?.memoryBytes ?? 0;
      append.call(this, batch, rows, from, to);
      trace.appends.push({ before, after: w?.memoryBytes ?? 0, rows: to - from });
    };
    p.flush = async function (this: BucketWriter) {
      const w = writer();
      if (w !== null) {
        let largestOther = 0, buckets = 0;
        for (const other of w.bucketWriters.values()) {
          if (other.bufferedRowCount > 0) buckets++;
          if (other !== this && other.bufferedRowCount > 0) largestOther = Math.max(largestOther, other.memoryBytes);
        }
        trace.flushes.push({ flushed: this.memoryBytes, largestOther, buckets });
      }
      return flush.call(this);
    };
  });
  try {
    await body();
  } finally {
    protos.forEach((p, i) => {
      p.append = saved[i]!.append;
      p.flush = saved[i]!.flush;
    });
  }
  return trace;
}

async function newWriter(def: TableDef, budget: string) {
  const { store, schema } = await makeTable(def);
  const writer = new TableWriter(store, schema, {
    kernel: (await loadKernel()).kernel, parquet: await parquetWriterModule(), options: { "write-buffer-size": budget, "write-only": "true" },
  });
  return { store, writer };
}

function checkTrace(trace: Trace, budgetBytes: number, what: string): void {
  assert.ok(trace.appends.length > 0, `${what}: appends traced`);
  for (const [i, a] of trace.appends.entries()) {
    assert.ok(a.before <= budgetBytes, `${what}: append ${i} starts within the budget (${a.before} > ${budgetBytes})`);
    assert.ok(a.rows <= SLICE_ROWS, `${what}: append ${i} adds at most one slice (${a.rows} rows)`);
  }
  assert.ok(trace.flushes.length > 0, `${what}: the budget forced flushes`);
  for (const [i, f] of trace.flushes.entries()) {
    assert.ok(f.flushed >= f.largestOther, `${what}: flush ${i} took the largest buffer (${f.flushed} < ${f.largestOther} of ${f.buckets})`);
  }
}

const PK_FIELDS = [field(0, "k", "INT NOT NULL"), field(1, "p", "STRING NOT NULL"), field(2, "v", "STRING"), field(3, "n", "BIGINT")];

describe("write-buffer-size: one budget over every bucket", () => {
  for (const kind of ["primary-key", "append"] as const) {
    test(`${kind} table, 4 partitions x 8 buckets, 512 kb budget: within budget plus one append, largest flushed first`, async () => {
      const def: TableDef = kind === "primary-key"
        ? { fields: PK_FIELDS, primaryKeys: ["k", "p"], partitionKeys: ["p"], options: { bucket: "8" } }
        : { fields: PK_FIELDS, partitionKeys: ["p"], options: { bucket: "8", "bucket-key": "k" } };
      const { store, writer } = await newWriter(def, "512 kb");
      const budget = writer.memoryBytesMax;
      assert.equal(budget, 512 * 1024);
      const rnd = seededRandom(kind.length);
      const model = new Map<string, Value[]>();
      const all: Value[][] = [];
      let maxBuckets = 0;
      const trace = await traced(() => writer, async () => {
        for (let call = 0; call < 40; call++) {
          // Skewed calls: some buckets get many rows, some few, so buffer sizes differ.
          const rows: Record<string, Value>[] = [];
          const hot = Math.floor(rnd() * 4);
          for (let i = 0; i < 300; i++) {
            const k = rnd() < 0.5 ? hot * 8 + Math.floor(rnd() * 8) : Math.floor(rnd() * 2000);
            const p = `p${rnd() < 0.6 ? hot : Math.floor(rnd() * 4)}`;
            const values: Value[] = [k, p, "x".repeat(Math.floor(rnd() * 40)), BigInt(call * 1000 + i)];
            rows.push({ k, p, v: values[2]!, n: values[3]! });
            model.set(`${k}|${p}`, values);
            all.push(values);
          }
          await writer.writeRows(RowKind.INSERT, rows);
          assert.ok(writer.memoryBytes <= budget, `after call ${call}: ${writer.memoryBytes} within ${budget}`);
          let open = 0;
          for (const w of writer.bucketWriters.values()) if (w.bufferedRowCount > 0) open++;
          maxBuckets = Math.max(maxBuckets, open);
        }
      });
      checkTrace(trace, budget, kind);
      assert.ok(maxBuckets >= 8, `many buckets buffered at once (${maxBuckets})`);
      const overshoot = Math.max(...trace.appends.map((a) => a.after - budget));
      assert.ok(overshoot > 0, "appends do go over the budget before the flush (the check is live)");
      const result = await writer.commit();
      assert.ok(result.snapshotIds.length === 1);
      await writer.close();
      assert.deepEqual(await visibleRows(store), kind === "primary-key" ? modelRows(model.values()) : modelRows(all));
    });
  }

  test("one call larger than a slice: the budget is kept slice by slice within the call", async () => {
    const def: TableDef = { fields: [field(0, "k", "INT NOT NULL"), field(1, "n", "BIGINT")], primaryKeys: ["k"], options: { bucket: "2" } };
    const { store, writer } = await newWriter(def, "1 mb");
    const budget = writer.memoryBytesMax;
    const count = SLICE_ROWS * 3 + 123;
    const rows = Array.from({ length: count }, (_, i) => ({ k: i, n: BigInt(i) }));
    const trace = await traced(() => writer, () => writer.writeRows(RowKind.INSERT, rows));
    checkTrace(trace, budget, "big call");
    assert.ok(trace.appends.length > 2, "the call is appended in slices");
    assert.ok(writer.memoryBytes <= budget);
    // Peak: the budget plus the largest single append.
    const peak = Math.max(...trace.appends.map((a) => a.after));
    const largestAppend = Math.max(...trace.appends.map((a) => a.after - a.before));
    assert.ok(peak <= budget + largestAppend, `peak ${peak} within budget ${budget} + one append ${largestAppend}`);
    await writer.commit();
    await writer.close();
    const got = await visibleRows(store);
    assert.equal(got.length, count);
  });
});
