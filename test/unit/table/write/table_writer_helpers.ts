// Shared helpers of the table-writer tests (not a test file): tables created in a MemoryStore
// (schema-0 written directly), parquet-wasm registered for writing, reads through the public
// Table API into sorted, canonical row texts, and brute-force models of what each merge engine
// leaves visible after a sequence of upserts and deletes.
import { Table } from "../../../../src/api/table.ts";
import { MemoryStore } from "../../../../src/io/memory_store.ts";
import type { ObjectStore } from "../../../../src/io/store.ts";
import { parseTypeString, type DataField, type DataType } from "../../../../src/spec/data_types.ts";
import { createTableSchema, encodeTableSchema, type TableSchema } from "../../../../src/spec/schema.ts";
import type { Value } from "../../../../src/spec/values.ts";
import { utf8Encode } from "../../../../src/util/bytes.ts";
import { show } from "../../lsm/write_buffer_helpers.ts";
import { enableFastParquet } from "../fast_read_helpers.ts";

/** A field from type text. */
export function field(id: number, name: string, type: string | DataType): DataField {
  return { id, name, type: typeof type === "string" ? parseTypeString(type) : type };
}

/** Table definition of `makeTable`. */
export interface TableDef {
  readonly fields: DataField[];
  readonly primaryKeys?: string[];
  readonly partitionKeys?: string[];
  readonly options?: Record<string, string>;
}

/** Writes schema-0 of `def` into a fresh MemoryStore (or `store`) and opens the table. */
export async function makeTable(def: TableDef, store: ObjectStore = new MemoryStore()): Promise<{ store: ObjectStore; table: Table; schema: TableSchema }> {
  await enableFastParquet();
  const schema = createTableSchema({
    fields: def.fields, primaryKeys: def.primaryKeys ?? [], partitionKeys: def.partitionKeys ?? [], options: def.options ?? {}, timeMillis: 0n,
  });
  await store.put("schema/schema-0", utf8Encode(encodeTableSchema(schema)));
  return { store, table: await Table.open(store), schema };
}

/** Every visible row of the latest snapshot as canonical text, sorted (a reopened handle). */
export async function visibleRows(store: ObjectStore): Promise<string[]> {
  const table = await Table.open(store);
  const out: string[] = [];
  for await (const row of table.rows()) out.push(Object.values(row).map(show).join("|"));
  return out.sort();
}

/** The same through `table.read()` (Arrow, fast path when it serves the read). */
export async function visibleRowsArrow(store: ObjectStore): Promise<string[]> {
  const table = await Table.open(store);
  const arrow = await table.read();
  const out: string[] = [];
  for (let i = 0; i < arrow.numRows; i++) {
    const row = arrow.get(i)!.toJSON() as Record<string, unknown>;
    out.push(table.schema.fields.map((f) => showArrow(row[f.name])).join("|"));
  }
  return out.sort();
}

function showArrow(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "bigint") return `${v}n`;
  return show(v as Value);
}

/** Canonical sorted texts of model rows (value arrays in field order). */
export function modelRows(rows: Iterable<readonly Value[]>): string[] {
  return [...rows].map((r) => r.map(show).join("|")).sort();
}

/** A row record from values in field order. */
export function record(fields: readonly DataField[], values: readonly Value[]): Record<string, Value> {
  return Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? null]));
}
