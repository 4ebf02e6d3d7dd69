// Test helper (not a test file): creates a table and writes commits through lakestate's public
// API, so the interop tests cover what a user runs: the table is created with
// `catalog.createTable` in a warehouse directory (database `db`, table `t`) and rows go through
// `table.newWrite()` (api/table_write.ts): write/delete (+U rows through an Arrow table with
// `_ROW_KIND`, the way to keep Java's UPDATE_AFTER kind), then commit with an identifier.
// parquet-wasm is registered for writing here, as lakestate/node does for applications.
// Method: composition only; no assertions of its own.
import { readFile } from "node:fs/promises";
import { Table as ArrowTable, Utf8, vectorFromArray } from "apache-arrow";
import { columnsToArrowTable, ROW_KIND_COLUMN } from "../../src/api/arrow.ts";
import { join } from "node:path";
import { openCatalog } from "../../src/api/catalog.ts";
import { setFastParquetSource } from "../../src/format/data/parquet_arrow_reader.ts";
import { setZstdWasmSource } from "../../src/format/data/zstd_wasm.ts";
import type { TableSpec } from "../../src/table/schema_create.ts";
import type { DataField } from "../../src/spec/data_types.ts";
import { RowKind, ROW_KIND_SHORT_STRINGS } from "../../src/spec/row_kind.ts";
import type { Value } from "../../src/spec/values.ts";
import type { RowChange } from "./commit_path_table.ts";
import { dirStore } from "./interop_support.ts";

setFastParquetSource(async () => new Uint8Array(await readFile(new URL("../../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm", import.meta.url))));
// ZSTD pages through libzstd wasm, as lakestate/node writes them: Java-side readers must accept them.
setZstdWasmSource(async () => new Uint8Array(await readFile(new URL("../../node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm", import.meta.url))));

/** Which API wrote the rows (only the writer now; kept so reports name it). */
export type WritePath = "table.newWrite";

/** One commit: its row changes and checkpoint identifier. */
export interface CommitInput {
  readonly changes: readonly RowChange[];
  readonly identifier: bigint;
}

/** The table directory of `db.t` in the warehouse `dir` (Java FileSystemCatalog layout). */
export function tableDirOf(warehouseDir: string): string {
  return join(warehouseDir, "db.db", "t");
}

/** How a change is handed to the writer: +I rows to `write`, -D rows to `delete`, +U/-U rows as an Arrow table with `_ROW_KIND`. */
type Mode = "write" | "delete" | "arrow";
function modeOf(kind: RowKind | undefined): Mode {
  return kind === undefined || kind === RowKind.INSERT ? "write" : kind === RowKind.DELETE ? "delete" : "arrow";
}

/** An Arrow table of `rows` with a `_ROW_KIND` column ("+U", "-U", ...), as write() accepts it. */
function arrowWithKinds(fields: readonly DataField[], changes: readonly RowChange[]): ArrowTable {
  const t = columnsToArrowTable(fields, fields.map((_, c) => changes.map((ch) => ch.row[c]!)), changes.length);
  const vectors = Object.fromEntries(fields.map((f, i) => [f.name, t.getChildAt(i)!]));
  return new ArrowTable({ ...vectors, [ROW_KIND_COLUMN]: vectorFromArray(changes.map((ch) => ROW_KIND_SHORT_STRINGS[ch.kind ?? RowKind.INSERT]), new Utf8()) });
}

/**
 * Creates database `db` and table `db.t` from `spec` in the warehouse directory `warehouseDir`,
 * then writes every commit in order as `commitUser`: each commit is one `newWrite()` session;
 * runs of +I changes go to `write` as plain objects, -D to `delete`, +U/-U to `write` as an
 * Arrow table with a `_ROW_KIND` column, in the given order, then `commit({ identifier })`.
 */
export async function writeLakestateTable(warehouseDir: string, spec: TableSpec, commits: readonly CommitInput[], commitUser: string): Promise<{ via: WritePath; tableDir: string }> {
  const catalog = openCatalog({ warehouse: dirStore(warehouseDir) });
  await catalog.createDatabase("db", { ignoreIfExists: true });
  const table = await catalog.createTable("db.t", spec);
  const record = (row: readonly Value[]) => Object.fromEntries(table.schema.fields.map((f, i) => [f.name, row[i]!]));
  for (const c of commits) {
    const w = table.newWrite({ commitUser });
    try {
      let i = 0;
      while (i < c.changes.length) {
        const mode = modeOf(c.changes[i]!.kind);
        const run: RowChange[] = [];
        while (i < c.changes.length && modeOf(c.changes[i]!.kind) === mode) run.push(c.changes[i++]!);
        if (mode === "arrow") await w.write(arrowWithKinds(table.schema.fields, run));
        else await (mode === "delete" ? w.delete(run.map((ch) => record(ch.row))) : w.write(run.map((ch) => record(ch.row))));
      }
      await w.commit({ identifier: c.identifier });
    } finally {
      await w.close();
    }
  }
  return { via: "table.newWrite", tableDir: tableDirOf(warehouseDir) };
}
