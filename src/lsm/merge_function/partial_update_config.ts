/**
 * Configuration of the partial-update engine: parsing and validating `fields.*.sequence-group`,
 * per-field aggregate functions and the delete options, and projecting the result onto a read
 * type.
 *
 * Mirrors the `Factory` of `org.apache.paimon.mergetree.compact.PartialUpdateMergeFunction`
 * (constructor checks, `getAggFuncName`, `create(readType)`):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/PartialUpdateMergeFunction.java
 *
 * Invariants (from Java):
 *  - Sequence-group option keys are `fields.<s1>,<s2>.sequence-group` with value `<c1>,<c2>`;
 *    both lists split with Java `split(",")` (no trimming). Every name must be a table field,
 *    no primary-key field may appear, and no column may be protected by two groups.
 *  - Aggregate functions: primary keys get `primary-key`, group sequence fields none; any other
 *    configured function (per field or `fields.default-aggregate-function`) requires the column
 *    to be in a sequence group unless it is `last_non_null_value`.
 *  - Conflicts rejected: ignore-delete with remove-record-on-delete or with
 *    remove-record-on-sequence-group; remove-record-on-delete with sequence groups; a
 *    remove-record-on-sequence-group entry that is not a group sequence field.
 *  - Projection keeps a group only when all of its sequence fields are read (else Java's
 *    "Can not find new sequence field" error); aggregators follow their columns by name.
 *
 * Imports: spec (data_types, core_options, core_options_types), merge_function/{merge_result,
 * sequence_comparator}.ts, aggregators/{factory,field_aggregator}.ts.
 */
import type { DataField } from "../../spec/data_types.ts";
import { optionBoolean, optionString } from "../../spec/core_options.ts";
import type { OptionMap } from "../../spec/core_options_types.ts";
import { mergeError } from "./merge_result.ts";
import { UserDefinedSeqComparator } from "./sequence_comparator.ts";
import { createFieldAggregator } from "./aggregators/factory.ts";
import type { FieldAggregator } from "./aggregators/field_aggregator.ts";

const SEQUENCE_GROUP = "sequence-group";

/** The parsed, validated configuration (indexes refer to the table fields). */
export interface PartialUpdateConfig {
  readonly fields: readonly DataField[];
  readonly options: OptionMap;
  readonly ignoreDelete: boolean;
  readonly removeRecordOnDelete: boolean;
  /** Column index → indexes of the sequence fields of its group (protected and sequence fields). */
  readonly sequenceGroups: ReadonlyMap<number, readonly number[]>;
  /** Column index → aggregate function name. */
  readonly aggregateFunctions: ReadonlyMap<number, string>;
  /** Sequence-field indexes whose -D removes the whole row. */
  readonly sequenceGroupPartialDelete: ReadonlySet<number>;
}

/** What one merge function needs, per read field. */
export interface PartialUpdateSetup {
  readonly ignoreDelete: boolean;
  readonly removeRecordOnDelete: boolean;
  /** True when the table has sequence groups (even if none is read). */
  readonly fieldSequenceEnabled: boolean;
  readonly comparators: readonly (UserDefinedSeqComparator | null)[];
  readonly aggregators: readonly (FieldAggregator | null)[];
  readonly sequenceGroupPartialDelete: ReadonlySet<number>;
  readonly nullables: readonly boolean[];
}

/** Java `String.split(",")`: trailing empty strings dropped, no trimming. */
function javaSplit(text: string): string[] {
  const parts = text.split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

function conflict(a: string, b: string): Error {
  return mergeError(`${a} and ${b} have conflicting behavior so should not be enabled at the same time.`);
}

/** Parses and validates the partial-update options of a table. */
export function parsePartialUpdateConfig(fields: readonly DataField[], primaryKeys: readonly string[], options: OptionMap): PartialUpdateConfig {
  const ignoreDelete = optionBoolean(options, "ignore-delete")!;
  const removeRecordOnDelete = optionBoolean(options, "partial-update.remove-record-on-delete")!;
  const removeRecordOnSequenceGroup = optionString(options, "partial-update.remove-record-on-sequence-group");
  const names = fields.map((f) => f.name);
  const requireField = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw mergeError(`Field ${name} can not be found in table schema`);
    return i;
  };
  const pkError = (key: string, field: string) =>
    mergeError(`The sequence-group '${key}' contains primary key field '${field}', which is not allowed. Primary key columns cannot be put in sequence-group.`);
  const groups = new Map<number, readonly number[]>();
  const groupFieldByName = new Map<string, number>();
  const allSequenceFields: string[] = [];
  const protectedFields: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (!(key.startsWith("fields") && key.endsWith(SEQUENCE_GROUP))) continue;
    if (!(key.startsWith("fields.") && key.endsWith("." + SEQUENCE_GROUP))) throw mergeError(`Invalid sequence-group option: ${key}`);
    const sequenceFields = javaSplit(key.slice("fields.".length, key.length - SEQUENCE_GROUP.length - 1)).map(requireField);
    for (const index of javaSplit(value).map(requireField)) {
      if (primaryKeys.includes(names[index]!)) throw pkError(key, names[index]!);
      if (groups.has(index)) throw mergeError(`Field ${names[index]} is defined repeatedly by multiple groups: ${key}`);
      groups.set(index, sequenceFields);
      protectedFields.push(names[index]!);
    }
    for (const index of sequenceFields) {
      if (primaryKeys.includes(names[index]!)) throw pkError(key, names[index]!);
      allSequenceFields.push(names[index]!);
      groups.set(index, sequenceFields);
      groupFieldByName.set(names[index]!, index);
    }
  }
  const aggregateFunctions = new Map<number, string>();
  fields.forEach((f, i) => {
    const name = aggregateFunctionName(f.name, options, primaryKeys, allSequenceFields, protectedFields);
    if (name !== null) aggregateFunctions.set(i, name);
  });
  if (removeRecordOnDelete && ignoreDelete) throw conflict("ignore-delete", "partial-update.remove-record-on-delete");
  if (removeRecordOnSequenceGroup !== null && ignoreDelete) throw conflict("ignore-delete", "partial-update.remove-record-on-sequence-group");
  if (removeRecordOnDelete && groups.size > 0) throw conflict(SEQUENCE_GROUP, "partial-update.remove-record-on-delete");
  const sequenceGroupPartialDelete = new Set<number>();
  if (removeRecordOnSequenceGroup !== null) {
    const listed = javaSplit(removeRecordOnSequenceGroup);
    if (!listed.every((n) => groupFieldByName.has(n))) {
      throw mergeError(`field '${removeRecordOnSequenceGroup}' defined in 'partial-update.remove-record-on-sequence-group' option must be part of sequence groups`);
    }
    for (const n of listed) sequenceGroupPartialDelete.add(groupFieldByName.get(n)!);
  }
  return { fields, options, ignoreDelete, removeRecordOnDelete, sequenceGroups: groups, aggregateFunctions, sequenceGroupPartialDelete };
}

/** Java `PartialUpdateMergeFunction.getAggFuncName`: null means "no aggregator". */
export function aggregateFunctionName(
  field: string,
  options: OptionMap,
  primaryKeys: readonly string[],
  sequenceFields: readonly string[],
  protectedFields: readonly string[],
): string | null {
  if (sequenceFields.includes(field)) return null;
  if (primaryKeys.includes(field)) return "primary-key";
  const name = options[`fields.${field}.aggregate-function`] ?? options["fields.default-aggregate-function"] ?? null;
  if (name !== null && name !== "last_non_null_value" && !protectedFields.includes(field)) {
    throw mergeError(`Must use sequence group for aggregation functions but not found for field ${field}.`);
  }
  return name;
}

/** The per-read-field setup (Java `Factory.create(readType)`); `readFields` undefined = table fields. */
export function projectPartialUpdate(config: PartialUpdateConfig, readFields: readonly DataField[] | undefined): PartialUpdateSetup {
  const { fields, options } = config;
  const target = readFields ?? fields;
  // table index -> read index
  const indexMap = new Map<number, number>();
  target.forEach((f, i) => {
    const old = fields.findIndex((t) => t.name === f.name);
    if (old >= 0) indexMap.set(old, i);
  });
  const comparators = new Array<UserDefinedSeqComparator | null>(target.length).fill(null);
  for (const [field, sequenceFields] of config.sequenceGroups) {
    const newField = indexMap.get(field);
    if (newField === undefined) continue;
    const projected = sequenceFields.map((index) => {
      const n = indexMap.get(index);
      if (n === undefined) throw mergeError(`Can not find new sequence field for new field. new field index is ${newField}`);
      return n;
    });
    comparators[newField] = new UserDefinedSeqComparator(target, projected, true);
  }
  const aggregators = new Array<FieldAggregator | null>(target.length).fill(null);
  for (const [old, newIndex] of indexMap) {
    const name = config.aggregateFunctions.get(old);
    if (name !== undefined) aggregators[newIndex] = createFieldAggregator(fields[old]!.type, fields[old]!.name, name, options);
  }
  const partialDelete = new Set<number>();
  for (const index of config.sequenceGroupPartialDelete) {
    const n = indexMap.get(index);
    if (n !== undefined) partialDelete.add(n);
  }
  return {
    ignoreDelete: config.ignoreDelete,
    removeRecordOnDelete: config.removeRecordOnDelete,
    fieldSequenceEnabled: config.sequenceGroups.size > 0,
    comparators,
    aggregators,
    sequenceGroupPartialDelete: partialDelete,
    nullables: target.map((f) => f.type.nullable),
  };
}
