/**
 * The public write handle of a table (`table.newWrite()`): write and delete rows given as plain
 * objects or as an `apache-arrow` Table, then commit them as snapshots.
 *
 * Input (details in table/write/write_values.ts and api/write_input.ts): plain objects map
 * column names to values in lakestate's value model, with the conveniences JS data tools
 * expect: BIGINT also as a safe-integer number, DECIMAL also as decimal text ("12.34"),
 * TIMESTAMP also as a JS Date, FLOAT as any number (rounded to float32), MAP as a JS Map, ROW as
 * an object; a missing property is null. Arrow tables match columns by name and may carry a
 * `_ROW_KIND` column. Each `write`/`delete` call is atomic: every row is checked before any is
 * buffered, and a bad one throws LakeError("invalid_argument") naming the column and the row
 * index within that call.
 *
 * The underlying TableWriter (table/write/table_writer.ts) is created on first use, once the
 * kernel and parquet-wasm (`parquetWriterModule`) are loaded; settings it refuses surface
 * there. Calls are serialized: each waits for the previous one.
 *
 * Imports: apache-arrow (types), errors.ts, io (store type), kernel (type), format/data
 * (parquet module type), spec (row_kind, schema types, values types), table/write/*,
 * api/write_input.ts.
 * Mirrors Java `TableWriteImpl` + `TableCommitImpl` (BatchWriteBuilder / StreamWriteBuilder).
 */
import type { Table as ArrowTable } from "apache-arrow";
import { LakeError } from "../errors.ts";
import type { ParquetWasmModule } from "../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../io/store.ts";
import type { KeyKernel } from "../kernel/mod.ts";
import { RowKind } from "../spec/row_kind.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Value } from "../spec/values.ts";
import { batchFromObjects } from "../table/write/write_batch.ts";
import { TableWriter, type WriteCommitResult } from "../table/write/table_writer.ts";
import { batchFromArrow, isArrowTable } from "./write_input.ts";

export type { WriteCommitResult } from "../table/write/table_writer.ts";

/** Rows for `write`/`delete`: plain objects keyed by column name, or an Arrow table. */
export type WriteInput = Iterable<Readonly<Record<string, Value | Date | Map<Value, Value> | Record<string, unknown>>>> | ArrowTable;

/** Options of `table.newWrite` and `table.write`. */
export interface NewWriteOptions {
  /** The commit user (exactly-once key with the commit identifier); default a random UUID. */
  readonly commitUser?: string;
  /** Dynamic table options for this writer (`write-buffer-size`, `write-only`, `target-file-size`, ...). */
  readonly options?: Readonly<Record<string, string>>;
  /**
   * The writer's clock, epoch ms (default Date.now): snapshot commit times and the "now" of the
   * snapshot and partition expiration that run after commits. For simulations and tests.
   */
  readonly nowMs?: () => number;
}

/** What a TableWrite needs to build its writer. */
export interface TableWriteDeps {
  readonly store: ObjectStore;
  readonly schema: TableSchema;
  readonly kernel: () => Promise<KeyKernel>;
  readonly parquet: () => Promise<ParquetWasmModule>;
}

/** A writer of one table (see the file header). */
export class TableWrite {
  readonly #deps: TableWriteDeps;
  readonly #options: NewWriteOptions;
  #writer: Promise<TableWriter> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(deps: TableWriteDeps, options: NewWriteOptions = {}) {
    this.#deps = deps;
    this.#options = options;
  }

  /** The writer, created on first use. */
  #tableWriter(): Promise<TableWriter> {
    this.#writer ??= Promise.all([this.#deps.kernel(), this.#deps.parquet()]).then(([kernel, parquet]) =>
      new TableWriter(this.#deps.store, this.#deps.schema, {
        kernel, parquet, commitUser: this.#options.commitUser, options: this.#options.options,
        ...(this.#options.nowMs === undefined ? {} : { nowMs: this.#options.nowMs }),
      }));
    return this.#writer;
  }

  /** Runs `step` after every earlier call finished (successfully or not). */
  #serialized<T>(step: (writer: TableWriter) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new LakeError("invalid_argument", "write: this TableWrite is closed"));
    const run = this.#queue.then(async () => step(await this.#tableWriter()));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The commit user of this writer. */
  async commitUser(): Promise<string> {
    return (await this.#tableWriter()).commitUser;
  }

  /** Writes rows (+I, or the row kind of a `_ROW_KIND` Arrow column / `rowkind.field`). */
  write(rows: WriteInput): Promise<void> {
    return this.#serialized((writer) => this.#write(writer, rows, RowKind.INSERT));
  }

  /** Writes -D records for these rows (primary-key tables; every column may be given, the key must be). */
  delete(rows: WriteInput): Promise<void> {
    return this.#serialized((writer) => {
      if (this.#deps.schema.primaryKeys.length === 0) {
        throw new LakeError("unsupported", "write: append tables have no delete records; use table.deleteWhere(filter) to rewrite their files");
      }
      return this.#write(writer, rows, RowKind.DELETE);
    });
  }

  async #write(writer: TableWriter, rows: WriteInput, kind: RowKind): Promise<void> {
    const batch = isArrowTable(rows)
      ? batchFromArrow(writer.rules, rows, kind, { rowKindColumn: kind === RowKind.INSERT })
      : batchFromObjects(writer.rules, rows as Iterable<unknown>, kind);
    await writer.writeBatch(batch);
  }

  /**
   * Commits what was written (one APPEND snapshot, plus a COMPACT one when compactions ran).
   * Without `identifier` this is the single batch commit (Long.MAX); streaming writers pass
   * increasing identifiers. Committing again with an identifier already committed by this commit
   * user is a no-op (`alreadyCommitted`).
   */
  commit(options: { identifier?: bigint } = {}): Promise<WriteCommitResult> {
    return this.#serialized((writer) => writer.commit(options));
  }

  /** Closes the writer; rows not committed are dropped and their files deleted. */
  async close(): Promise<void> {
    if (this.#closed) return;
    const writer = this.#writer;
    this.#closed = true;
    await this.#queue;
    if (writer !== null) await writer.then((w) => w.close(), () => undefined);
  }
}
