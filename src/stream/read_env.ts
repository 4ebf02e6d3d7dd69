/**
 * The read environment of one streaming, incremental or audit-log read: the table context,
 * the output fields (a projection of the read schema), whether Arrow-layout buffers are wanted,
 * the merge-function factory of primary-key tables (built with the read's table options) and
 * the key kernel (loaded once per process, on first use).
 *
 * Invariants: fields are looked up by name in `context.schema`; an unknown or repeated name is
 * LakeError("invalid_argument") listing the columns. A table whose merge configuration
 * lakestate does not implement fails here, when the read opens, not on the first snapshot.
 * Imports: errors.ts, kernel/mod.ts, lsm/merge_function, spec (types), stream/change_read.ts.
 */
import { LakeError } from "../errors.ts";
import { sharedKernel, type KeyKernel } from "../kernel/mod.ts";
import { createMergeFunctionFactory, type TableMergeFunctionFactory } from "../lsm/merge_function/merge_function.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import type { DataField } from "../spec/data_types.ts";
import type { ChangeReadOptions, StreamTableContext } from "./change_read.ts";

/** Everything the stream readers need besides a plan. */
export interface ReadEnv extends ChangeReadOptions {
  /** True for primary-key tables. */
  readonly primaryKey: boolean;
  /** The merge engine factory (primary-key tables), else null. */
  readonly mergeFactory: TableMergeFunctionFactory | null;
  /** The table options the read uses (schema options with dynamic options over them). */
  readonly tableOptions: OptionMap;
  /** The key kernel (WASM, or its twin where WASM cannot load). */
  kernel(): Promise<KeyKernel>;
}


/** Resolves `columns` (default all) against the context's schema. */
export function projectFields(context: StreamTableContext, columns: readonly string[] | undefined): DataField[] {
  const { schema } = context;
  if (columns === undefined) return [...schema.fields];
  const seen = new Set<string>();
  return columns.map((name) => {
    const field = schema.fields.find((f) => f.name === name);
    if (field === undefined) {
      throw new LakeError("invalid_argument", `stream: column ${JSON.stringify(name)} does not exist (columns: ${schema.fields.map((f) => f.name).join(", ")})`);
    }
    if (seen.has(name)) throw new LakeError("invalid_argument", `stream: column ${JSON.stringify(name)} is requested twice`);
    seen.add(name);
    return field;
  });
}

/** Builds the read environment of `context` (see the file header). */
export function createReadEnv(context: StreamTableContext, options: { columns?: readonly string[]; columnar: boolean; tableOptions?: OptionMap }): ReadEnv {
  const tableOptions = options.tableOptions ?? context.schema.options;
  const primaryKey = context.schema.primaryKeys.length > 0;
  return {
    context,
    fields: projectFields(context, options.columns),
    columnar: options.columnar,
    primaryKey,
    mergeFactory: primaryKey ? createMergeFunctionFactory(context.schema, { tableOptions }) : null,
    tableOptions,
    kernel: sharedKernel,
  };
}
