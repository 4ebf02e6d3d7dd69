/**
 * The merge-function contract, the single-record shortcut every read applies around it, and
 * the table-level factory that picks, configures and validates the merge engine.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.MergeFunction`, `MergeFunctionFactory`,
 * `ReducerMergeFunctionWrapper`, `PrimaryKeyTableUtils.createMergeFunctionFactory`, the
 * `LookupMergeFunction.wrap` of `PrimaryKeyFileStoreTable#store`, the read-type adjustment of
 * `MergeFileSplitRead#adjustReadType`, and the merge-related checks of `SchemaValidation`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeFunction.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/PrimaryKeyTableUtils.java
 *
 * Invariants:
 *  - A merge function sees the records of one key in merge order (see sequence_comparator.ts):
 *    `reset()`, then `add()` for each, then `getResult()`. Results whose kind is -U/-D are
 *    dropped by batch reads (the caller's job). Merged results carry level -1 (Java
 *    `KeyValue.UNKNOWN_LEVEL`).
 *  - Java never runs the merge function for a key with a single record: `ReducerMergeFunction`
 *    returns that record unchanged (even a -D, even for aggregation).
 *  - `createMergeFunctionFactory` throws LakeError("unsupported") naming what lakestate does not
 *    implement and LakeError("invalid_argument") for configurations Java rejects.
 *  - `needLookup` tables (changelog-producer=lookup, deletion vectors, force-lookup) merge
 *    through `LookupMergeFunction` (except first-row), exactly as Java reads them.
 *
 * Imports: spec (data_types, schema, core_options, core_options_types), lsm/key_value.ts (type),
 * merge_function/*.ts.
 */
import type { DataField } from "../../spec/data_types.ts";
import type { TableSchema } from "../../spec/schema.ts";
import { optionBoolean, optionEnum } from "../../spec/core_options.ts";
import { MergeEngine, type OptionMap } from "../../spec/core_options_types.ts";
import type { KeyValue } from "../key_value.ts";
import { createUserDefinedSeqComparator, sequenceFieldAscending, sequenceFieldNames, type UserDefinedSeqComparator } from "./sequence_comparator.ts";
import { createDeduplicateFactory } from "./deduplicate.ts";
import { createFirstRowFactory } from "./first_row.ts";
import { createPartialUpdateFactory } from "./partial_update.ts";
import { createAggregationFactory } from "./aggregation.ts";
import { wrapWithLookup } from "./lookup.ts";
import { mergeError } from "./merge_result.ts";

export { MERGED_RESULT_LEVEL, MERGE_NOUN } from "./merge_result.ts";

/** Merges the records of one key (Java `MergeFunction<KeyValue>`). */
export interface MergeFunction {
  /** Clears the state; call before the first `add` of every key. */
  reset(): void;
  /** Adds the next record of the key, in merge order. Throws LakeError on records Java rejects. */
  add(kv: KeyValue): void;
  /** The merged record so far, or null when nothing was kept (e.g. only ignored deletes). */
  getResult(): KeyValue | null;
}

/** Creates merge functions for rows of a given read type (Java `MergeFunctionFactory`). */
export interface MergeFunctionFactory {
  /** The engine (`merge-engine`). */
  readonly mergeEngine: MergeEngine;
  /** A fresh merge function over rows of `readFields` (default: all table fields, in order). */
  create(readFields?: readonly DataField[]): MergeFunction;
  /** Fields the engine needs read in addition to `readFields` (Java `adjustReadType`). */
  adjustReadFields(readFields: readonly DataField[]): DataField[];
}

/** The table-level factory: the engine factory plus what the merge reader must know. */
export interface TableMergeFunctionFactory extends MergeFunctionFactory {
  /** True when Java wraps the engine in `LookupMergeFunction` (already applied by `create`). */
  readonly needLookup: boolean;
  /**
   * True when batch scans must skip level-0 files (Java `CoreOptions.batchScanSkipLevel0`):
   * deletion vectors without `deletion-vectors.merge-on-read`, or first-row.
   */
  readonly batchScanSkipsLevel0: boolean;
  /**
   * The fields to read for `readFields`: `sequence.field` columns appended when missing, then
   * the engine's own additions (Java `MergeFileSplitRead#adjustReadType`).
   */
  readFieldsFor(readFields: readonly DataField[]): DataField[];
  /** The `sequence.field` comparator over rows of `readFields`, or null when not configured. */
  sequenceComparator(readFields: readonly DataField[]): UserDefinedSeqComparator | null;
}

/**
 * Java `ReducerMergeFunctionWrapper`: a key with one record yields that record unchanged; only
 * from the second record on is the merge function used.
 */
export class ReducerMergeFunction implements MergeFunction {
  private readonly inner: MergeFunction;
  private initial: KeyValue | null = null;
  private initialized = false;

  constructor(inner: MergeFunction) {
    this.inner = inner;
  }

  reset(): void {
    this.initial = null;
    this.inner.reset();
    this.initialized = false;
  }

  add(kv: KeyValue): void {
    if (this.initial === null) {
      this.initial = kv;
      return;
    }
    if (!this.initialized) {
      this.inner.add(this.initial);
      this.initialized = true;
    }
    this.inner.add(kv);
  }

  getResult(): KeyValue | null {
    return this.initialized ? this.inner.getResult() : this.initial;
  }
}

/** Java `SchemaValidation.validateSequenceField` and the first-row changelog check. */
function validateMergeOptions(schema: TableSchema, options: OptionMap, engine: MergeEngine): void {
  const names = sequenceFieldNames(options);
  const fieldNames = schema.fields.map((f) => f.name);
  for (const name of names) {
    if (!fieldNames.includes(name)) throw invalid(`Sequence field: '${name}' can not be found in table schema.`);
    if (options[`fields.${name}.aggregate-function`] !== undefined) throw invalid(`Should not define aggregation on sequence field: '${name}'.`);
    if (names.filter((n) => n === name).length > 1) throw invalid(`Sequence field '${name}' is defined repeatedly.`);
  }
  if (names.length > 0 && engine === MergeEngine.FIRST_ROW) throw invalid("Do not support use sequence field on FIRST_ROW merge engine.");
  if (engine === MergeEngine.FIRST_ROW) {
    const producer = optionEnum(options, "changelog-producer");
    if (producer !== "lookup" && producer !== "none") throw invalid("Only support 'none' and 'lookup' changelog-producer on FIRST_ROW merge engine");
  }
}

const invalid = mergeError;

/**
 * The merge-function factory of a primary-key table, configured and validated like Java does
 * when it opens the table. `tableOptions` (default `schema.options`) lets a reader pass dynamic
 * options. Throws LakeError("invalid_argument") for a table without primary key or a
 * configuration Java rejects, LakeError("unsupported") for what lakestate does not implement.
 */
export function createMergeFunctionFactory(
  schema: TableSchema,
  config: { readonly tableOptions?: OptionMap } = {},
): TableMergeFunctionFactory {
  const options = config.tableOptions ?? schema.options;
  if (schema.primaryKeys.length === 0) throw invalid("a table without primary key has no merge function");
  const engine = optionEnum(options, "merge-engine") as MergeEngine;
  validateMergeOptions(schema, options, engine);
  let factory: MergeFunctionFactory;
  switch (engine) {
    case MergeEngine.DEDUPLICATE: factory = createDeduplicateFactory(options); break;
    case MergeEngine.PARTIAL_UPDATE: factory = createPartialUpdateFactory(schema.fields, schema.primaryKeys, options); break;
    case MergeEngine.AGGREGATION: factory = createAggregationFactory(schema.fields, schema.primaryKeys, options); break;
    case MergeEngine.FIRST_ROW: factory = createFirstRowFactory(options); break;
  }
  const deletionVectors = optionBoolean(options, "deletion-vectors.enabled")!;
  const needLookup = engine === MergeEngine.FIRST_ROW || optionEnum(options, "changelog-producer") === "lookup" ||
    deletionVectors || optionBoolean(options, "force-lookup")!;
  if (needLookup && engine !== MergeEngine.FIRST_ROW) factory = wrapWithLookup(factory);
  const batchScanSkipsLevel0 = deletionVectors ? !optionBoolean(options, "deletion-vectors.merge-on-read")! : engine === MergeEngine.FIRST_ROW;
  const names = sequenceFieldNames(options);
  const ascending = sequenceFieldAscending(options);
  const engineFactory = factory;
  return {
    mergeEngine: engine,
    needLookup,
    batchScanSkipsLevel0,
    create: (readFields) => engineFactory.create(readFields),
    adjustReadFields: (readFields) => engineFactory.adjustReadFields(readFields),
    readFieldsFor(readFields) {
      const extra = names.filter((n) => !readFields.some((f) => f.name === n)).map((n) => schema.fields.find((f) => f.name === n)!);
      return engineFactory.adjustReadFields(extra.length === 0 ? readFields : [...readFields, ...extra]);
    },
    sequenceComparator: (readFields) => createUserDefinedSeqComparator(readFields, names, ascending),
  };
}

/**
 * One merge function of a table for rows of `readFields` (default all fields), without the
 * single-record shortcut (wrap it in `ReducerMergeFunction` to read as Java reads).
 */
export function createMergeFunction(
  schema: TableSchema,
  config: { readonly tableOptions?: OptionMap; readonly readFields?: readonly DataField[] } = {},
): MergeFunction {
  return createMergeFunctionFactory(schema, config).create(config.readFields);
}
