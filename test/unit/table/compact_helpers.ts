// Shared helpers of the compaction tests (not a test file): a primary-key table `k INT NOT NULL,
// a INT, b BIGINT` (optionally partitioned by `p STRING`) with fixed buckets routed by Java's
// bucket hash, batches of operations written as level-0 files with writeRollingFiles and
// committed with commitChanges, brute-force models of the merge engines, and table reads.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Table } from "../../../src/api/table.ts";
import { setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { MemoryStore } from "../../../src/io/memory_store.ts";
import { loadKernel, type KeyKernel } from "../../../src/kernel/mod.ts";
import { dataFileNamer, writeRollingFiles } from "../../../src/lsm/rolling_file_writer.ts";
import { encodeSerializedBinaryRow } from "../../../src/spec/binary_row.ts";
import { fixedBucket } from "../../../src/spec/bucket.ts";
import { atomic, parseTypeString, type DataField } from "../../../src/spec/data_types.ts";
import { FILE_SOURCE } from "../../../src/spec/data_file_meta.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import { createTableSchema, encodeTableSchema, type TableSchema } from "../../../src/spec/schema.ts";
import type { Value } from "../../../src/spec/values.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { commitChanges } from "../../../src/table/commit.ts";
import type { CommitMessage } from "../../../src/table/commit_changes.ts";
import { parquetWasm } from "../format/parquet_writer_support.ts";
import { testCommitDefaults, uuidSource } from "./commit_helpers.ts";

const INT_NN = atomic("INT", { nullable: false });
const STRING = parseTypeString("STRING");

/** One operation on the test table. */
export interface Op {
  readonly kind: RowKind;
  readonly k: number;
  readonly a: number | null;
  readonly b: bigint | null;
  readonly p?: string;
}

/** The merge engines the tests cover, with the options that select them. */
export const ENGINES: Record<string, Record<string, string>> = {
  deduplicate: {},
  "partial-update": { "merge-engine": "partial-update" },
  aggregation: { "merge-engine": "aggregation", "fields.a.aggregate-function": "sum", "fields.b.aggregate-function": "sum" },
  "first-row": { "merge-engine": "first-row" },
};

/** Creates schema-0 of the test table on `store`. */
export async function makeCompactTable(store: ObjectStore, options: Record<string, string>, partitioned = false): Promise<TableSchema> {
  const fields: DataField[] = [
    { id: 0, name: "k", type: INT_NN }, { id: 1, name: "a", type: atomic("INT") }, { id: 2, name: "b", type: atomic("BIGINT") },
    ...(partitioned ? [{ id: 3, name: "p", type: STRING }] : []),
  ];
  const schema = createTableSchema({
    fields, primaryKeys: partitioned ? ["k", "p"] : ["k"], partitionKeys: partitioned ? ["p"] : [],
    options: { bucket: "2", ...options }, timeMillis: 1_700_000_000_000n,
  });
  await store.put("schema/schema-0", utf8Encode(encodeTableSchema(schema)));
  return schema;
}

let kernelPromise: Promise<KeyKernel> | null = null;
/** The process-wide kernel. */
export function testKernel(): Promise<KeyKernel> {
  kernelPromise ??= loadKernel().then((k) => k.kernel);
  return kernelPromise;
}

/** Registers parquet-wasm for fast reads (the columnar compaction path reads with it). */
export function enableFastReads(on = true): void {
  setFastParquetSource(on ? new Uint8Array(readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")))) : null);
}

const sharedUuids = uuidSource("c0000000");

/**
 * Writes `ops` (at most one per key and partition) as level-0 files, one per (partition, bucket),
 * with sequence numbers `seqStart + i` in `ops` order, and commits them. Returns the next sequence.
 */
export async function writeBatch(store: ObjectStore, schema: TableSchema, ops: readonly Op[], seqStart: bigint, identifier: bigint): Promise<bigint> {
  const partitioned = schema.partitionKeys.length > 0;
  const groups = new Map<string, { p: string | null; bucket: number; rows: { op: Op; seq: bigint }[] }>();
  ops.forEach((op, i) => {
    const bucket = fixedBucket([INT_NN], [op.k], 2);
    const p = partitioned ? op.p ?? "x" : null;
    const id = `${p}/${bucket}`;
    let g = groups.get(id);
    if (g === undefined) groups.set(id, g = { p, bucket, rows: [] });
    g.rows.push({ op, seq: seqStart + BigInt(i) });
  });
  const messages: CommitMessage[] = [];
  const pq = await parquetWasm();
  for (const g of groups.values()) {
    const rows = g.rows.sort((x, y) => x.op.k - y.op.k);
    const columns: Value[][] = [rows.map((r) => r.op.k), rows.map((r) => r.op.a), rows.map((r) => r.op.b)];
    if (partitioned) columns.push(rows.map(() => g.p));
    const files = await writeRollingFiles({
      rowCount: rows.length, columns, sequenceNumbers: BigInt64Array.from(rows.map((r) => r.seq)), rowKinds: Uint8Array.from(rows.map((r) => r.op.kind)),
    }, {
      store, schema, partitionPath: partitioned ? `p=${g.p}/` : "", bucket: g.bucket, level: 0, fileSource: FILE_SOURCE.APPEND, parquet: pq,
      targetFileSizeBytes: 1 << 30, nextFileName: dataFileNamer(sharedUuids), nowMs: () => 1_700_000_000_000,
    });
    messages.push({ partition: partitioned ? encodeSerializedBinaryRow([STRING], [g.p]) : encodeSerializedBinaryRow([], []), bucket: g.bucket, totalBuckets: 2, newFiles: files });
  }
  await commitChanges(store, { ...testCommitDefaults(), schema, commitUser: "writer", commitIdentifier: identifier, messages });
  return seqStart + BigInt(ops.length);
}

/**
 * Random operations of a batch: distinct keys from [0, keySpace), kinds and values per engine.
 * Aggregation retracts only keys `history` (keys of earlier batches, "p/k") already holds: a key
 * whose records are a lone retract loses it at the next delete-dropping compaction (Java's
 * `DropDeleteReader`), which a simple fold cannot model.
 */
export function randomOps(rnd: () => number, engine: string, count: number, keySpace: number, partitions: readonly string[] = ["x"], history: Set<string> = new Set()): Op[] {
  const used = new Set<string>();
  const ops: Op[] = [];
  while (ops.length < count && used.size < keySpace * partitions.length) {
    const k = Math.floor(rnd() * keySpace), p = partitions[Math.floor(rnd() * partitions.length)]!;
    if (used.has(`${p}/${k}`)) continue;
    used.add(`${p}/${k}`);
    const value = (): number | null => (engine === "partial-update" && rnd() < 0.3 ? null : Math.floor(rnd() * 100) - 20);
    const a = value(), bRaw = value();
    const b = bRaw === null ? null : BigInt(bRaw) * 1_000_000_007n;
    let kind: RowKind = RowKind.INSERT;
    if (engine === "deduplicate" && rnd() < 0.25) kind = RowKind.DELETE;
    else if (engine === "deduplicate" && rnd() < 0.1) kind = RowKind.UPDATE_AFTER;
    else if (engine === "aggregation" && history.has(`${p}/${k}`) && rnd() < 0.2) kind = rnd() < 0.5 ? RowKind.DELETE : RowKind.UPDATE_BEFORE;
    ops.push({ kind, k, a, b, p });
  }
  for (const op of ops) history.add(`${op.p}/${op.k}`);
  return ops;
}

/** A row of the test table as the model holds it. */
export type ModelRow = { k: number; a: number | null; b: bigint | null; p?: string };

function sumAgg(acc: number | bigint | null, x: number | bigint | null, retract: boolean): number | bigint | null {
  if (x === null) return acc;
  if (acc === null) return retract ? (typeof x === "bigint" ? -x : -x) : x;
  return retract ? (acc as number) - (x as number) : (acc as number) + (x as number);
}

/** The rows a batch read returns after applying all `ops` (in order) with `engine`'s semantics. */
export function modelRows(engine: string, ops: readonly Op[], partitioned = false): ModelRow[] {
  const byKey = new Map<string, Op[]>();
  for (const op of ops) {
    const id = `${op.p ?? "x"}/${op.k}`;
    let list = byKey.get(id);
    if (list === undefined) byKey.set(id, list = []);
    list.push(op);
  }
  const out: ModelRow[] = [];
  for (const list of byKey.values()) {
    const last = list[list.length - 1]!;
    let row: ModelRow | null = null;
    const retract = (op: Op) => op.kind === RowKind.DELETE || op.kind === RowKind.UPDATE_BEFORE;
    switch (engine) {
      case "deduplicate":
        row = retract(last) ? null : { k: last.k, a: last.a, b: last.b };
        break;
      case "first-row":
        row = { k: list[0]!.k, a: list[0]!.a, b: list[0]!.b };
        break;
      case "partial-update": {
        row = { k: last.k, a: null, b: null };
        for (const op of list) {
          if (op.a !== null) row.a = op.a;
          if (op.b !== null) row.b = op.b;
        }
        break;
      }
      case "aggregation": {
        if (list.length === 1 && retract(last)) break; // a single record is returned as is: a retract, dropped
        let a: number | null = null, b: bigint | null = null;
        for (const op of list) {
          a = sumAgg(a, op.a, retract(op)) as number | null;
          b = sumAgg(b, op.b, retract(op)) as bigint | null;
        }
        row = { k: last.k, a, b };
        break;
      }
    }
    if (row !== null) out.push(partitioned ? { ...row, p: last.p ?? "x" } : row);
  }
  return sortRows(out);
}

/** Rows by (p, k). */
export function sortRows(rows: ModelRow[]): ModelRow[] {
  return rows.sort((x, y) => ((x.p ?? "") < (y.p ?? "") ? -1 : (x.p ?? "") > (y.p ?? "") ? 1 : x.k - y.k));
}

/** Every row of the table at its latest snapshot, through `Table.rows()` (general read path). */
export async function readRows(store: ObjectStore): Promise<ModelRow[]> {
  const table = await Table.open(store);
  const out: ModelRow[] = [];
  for await (const r of table.rows()) {
    const row: ModelRow = { k: r["k"] as number, a: r["a"] as number | null, b: r["b"] as bigint | null };
    if ("p" in r) row.p = r["p"] as string;
    out.push(row);
  }
  return sortRows(out);
}

/** A copy of every object of `store` in a new MemoryStore. */
export async function copyStore(store: ObjectStore): Promise<MemoryStore> {
  const copy = new MemoryStore();
  for (const e of await store.list("")) await copy.put(e.path, await store.get(e.path));
  return copy;
}
