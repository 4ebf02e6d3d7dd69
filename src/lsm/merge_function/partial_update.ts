/**
 * The `partial-update` merge engine: non-null columns of later records overwrite earlier ones;
 * `fields.<seq>.sequence-group=<cols>` versions groups of columns by their own sequence fields
 * (and lets retracts null out or retract those columns); aggregate functions may run inside
 * groups; deletes are rejected unless `ignore-delete`, `partial-update.remove-record-on-delete`
 * or sequence groups (optionally `partial-update.remove-record-on-sequence-group`) say
 * otherwise.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.PartialUpdateMergeFunction` (function and
 * factory, including read-type projection and `adjustReadType`):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/PartialUpdateMergeFunction.java
 *
 * Invariants (from Java):
 *  - Fields are processed in index order against the live merged row, so a group's sequence
 *    fields may already be updated when its later columns are compared; a group whose sequence
 *    fields are all null in the input is skipped. Sequence groups always order ascending with
 *    null smallest, independent of `sequence.field.sort-order`.
 *  - The first retract record initialises the row from its own values (NOT NULL columns must
 *    be set). The result kind is -D when the last record removed the row or no add arrived.
 *  - The result's sequence number is that of the last non-ignored record (0 when none).
 *
 * Imports: spec (data_types, core_options, core_options_types, row_kind, values), lsm/key_value
 * (type), merge_function/{merge_function (types), merge_result, sequence_comparator,
 * partial_update_config}.ts, aggregators/field_aggregator.ts (type).
 */
import type { DataField } from "../../spec/data_types.ts";
import { MergeEngine, type OptionMap } from "../../spec/core_options_types.ts";
import { isRetract, RowKind } from "../../spec/row_kind.ts";
import type { Row, Value } from "../../spec/values.ts";
import type { KeyValue } from "../key_value.ts";
import type { MergeFunction, MergeFunctionFactory } from "./merge_function.ts";
import { checkNotNullField, mergedKeyValue, mergeError } from "./merge_result.ts";
import type { UserDefinedSeqComparator } from "./sequence_comparator.ts";
import type { FieldAggregator } from "./aggregators/field_aggregator.ts";
import { parsePartialUpdateConfig, projectPartialUpdate, type PartialUpdateSetup } from "./partial_update_config.ts";

const DELETE_REJECTED = [
  "By default, Partial update can not accept delete records, you can choose one of the following solutions:",
  "1. Configure 'ignore-delete' to ignore delete records.",
  "2. Configure 'partial-update.remove-record-on-delete' to remove the whole row when receiving delete records.",
  "3. Configure 'sequence-group's to retract partial columns. Also configure 'partial-update.remove-record-on-sequence-group' to remove the whole row when receiving deleted records of `specified sequence group`.",
].join("\n");

/** Merges partial records of one key. */
export class PartialUpdateMergeFunction implements MergeFunction {
  private readonly setup: PartialUpdateSetup;
  private readonly fieldCount: number;
  private currentKey: Row | null = null;
  private latestSequenceNumber = 0n;
  private row: Value[];
  private currentDeleteRow = false;
  private notNullColumnFilled = false;
  private meetInsert = false;

  constructor(setup: PartialUpdateSetup) {
    this.setup = setup;
    this.fieldCount = setup.nullables.length;
    this.row = this.emptyRow();
  }

  private emptyRow(): Value[] {
    return new Array<Value>(this.fieldCount).fill(null);
  }

  reset(): void {
    this.currentKey = null;
    this.meetInsert = false;
    this.notNullColumnFilled = false;
    this.row = this.emptyRow();
    this.latestSequenceNumber = 0n;
    for (const a of this.setup.aggregators) a?.reset();
  }

  add(kv: KeyValue): void {
    this.currentKey = kv.key;
    this.currentDeleteRow = false;
    if (isRetract(kv.rowKind)) {
      if (!this.notNullColumnFilled) {
        this.initRow(this.row, kv.value);
        this.notNullColumnFilled = true;
      }
      if (this.setup.ignoreDelete) return;
      this.latestSequenceNumber = kv.sequenceNumber;
      if (this.setup.fieldSequenceEnabled) {
        this.retractWithSequenceGroup(kv);
        return;
      }
      if (this.setup.removeRecordOnDelete) {
        if (kv.rowKind === RowKind.DELETE) {
          this.currentDeleteRow = true;
          this.row = this.emptyRow();
          this.initRow(this.row, kv.value);
        }
        return;
      }
      throw mergeError(DELETE_REJECTED);
    }
    this.latestSequenceNumber = kv.sequenceNumber;
    if (this.setup.comparators.every((c) => c === null)) this.updateNonNullFields(kv.value);
    else this.updateWithSequenceGroup(kv.value);
    this.meetInsert = true;
    this.notNullColumnFilled = true;
  }

  private updateNonNullFields(value: Row): void {
    for (let i = 0; i < this.fieldCount; i++) {
      const field = value[i] ?? null;
      if (field !== null) this.row[i] = field;
      else checkNotNullField(field, this.setup.nullables[i]!, i);
    }
  }

  /** Marks an all-null group processed and reports it (Java `isEmptySequenceGroup`). */
  private isEmptySequenceGroup(value: Row, comparator: UserDefinedSeqComparator, processed: boolean[]): boolean {
    if (comparator.fieldIndexes.some((f) => (value[f] ?? null) !== null)) return false;
    for (const f of comparator.fieldIndexes) processed[f] = true;
    return true;
  }

  private updateWithSequenceGroup(value: Row): void {
    const processed = new Array<boolean>(this.fieldCount).fill(false);
    for (let i = 0; i < this.fieldCount; i++) {
      const comparator = this.setup.comparators[i] ?? null;
      const aggregator = this.setup.aggregators[i] ?? null;
      const accumulator = this.row[i]!;
      const field = value[i] ?? null;
      if (comparator === null) {
        if (aggregator !== null) this.row[i] = aggregator.agg(accumulator, field);
        else if (field !== null) this.row[i] = field;
        continue;
      }
      if (processed[i] || this.isEmptySequenceGroup(value, comparator, processed)) continue;
      if (comparator.compare(value, this.row) >= 0) {
        if (comparator.fieldIndexes.includes(i)) {
          // the sequence fields of a group are updated together
          for (const f of comparator.fieldIndexes) {
            this.row[f] = value[f] ?? null;
            processed[f] = true;
          }
          continue;
        }
        this.row[i] = aggregator === null ? field : aggregator.agg(accumulator, field);
      } else if (aggregator !== null) {
        this.row[i] = aggregator.aggReversed(accumulator, field);
      }
    }
  }

  private retractWithSequenceGroup(kv: KeyValue): void {
    const value = kv.value;
    const updated = new Set<number>();
    const processed = new Array<boolean>(this.fieldCount).fill(false);
    for (let i = 0; i < this.fieldCount; i++) {
      const comparator = this.setup.comparators[i] ?? null;
      const aggregator: FieldAggregator | null = this.setup.aggregators[i] ?? null;
      if (comparator === null) continue;
      if (processed[i] || this.isEmptySequenceGroup(value, comparator, processed)) continue;
      if (comparator.compare(value, this.row) >= 0) {
        if (comparator.fieldIndexes.includes(i)) {
          for (const f of comparator.fieldIndexes) {
            if (!updated.has(f)) {
              if (kv.rowKind === RowKind.DELETE && this.setup.sequenceGroupPartialDelete.has(f)) {
                this.currentDeleteRow = true;
                this.row = this.emptyRow();
                this.initRow(this.row, value);
                return;
              }
              this.row[f] = value[f] ?? null;
              updated.add(f);
            }
            processed[f] = true;
          }
        } else {
          this.row[i] = aggregator === null ? null : aggregator.retract(this.row[i]!, value[i] ?? null);
        }
      } else if (aggregator !== null) {
        this.row[i] = aggregator.retract(this.row[i]!, value[i] ?? null);
      }
    }
  }

  private initRow(row: Value[], value: Row): void {
    for (let i = 0; i < this.fieldCount; i++) {
      const field = value[i] ?? null;
      checkNotNullField(field, this.setup.nullables[i]!, i);
      row[i] = field;
    }
  }

  getResult(): KeyValue | null {
    if (this.currentKey === null) return null;
    const kind = this.currentDeleteRow || !this.meetInsert ? RowKind.DELETE : RowKind.INSERT;
    return mergedKeyValue(this.currentKey, this.latestSequenceNumber, kind, this.row);
  }
}

/**
 * Factory of the partial-update engine over a table's `fields`. Throws
 * LakeError("invalid_argument") for the configurations Java rejects (unknown or primary-key
 * fields in sequence groups, a column in two groups, aggregate functions outside groups,
 * conflicting delete options) and the aggregator errors of aggregators/factory.ts.
 */
export function createPartialUpdateFactory(fields: readonly DataField[], primaryKeys: readonly string[], options: OptionMap): MergeFunctionFactory {
  const config = parsePartialUpdateConfig(fields, primaryKeys, options);
  projectPartialUpdate(config, undefined); // creates every aggregator once: fail early
  return {
    mergeEngine: MergeEngine.PARTIAL_UPDATE,
    create: (readFields) => new PartialUpdateMergeFunction(projectPartialUpdate(config, readFields)),
    adjustReadFields(readFields) {
      if (config.sequenceGroups.size === 0) return [...readFields];
      const names = readFields.map((f) => f.name);
      const extra: DataField[] = [];
      for (const readField of readFields) {
        const group = config.sequenceGroups.get(fields.findIndex((f) => f.name === readField.name));
        for (const index of group ?? []) {
          const f = fields[index]!;
          if (!names.includes(f.name) && !extra.includes(f)) extra.push(f);
        }
      }
      return [...readFields, ...extra];
    },
  };
}

/** Thrown for a record Java rejects: re-exported for tests. */
export const PARTIAL_UPDATE_DELETE_REJECTED_MESSAGE = DELETE_REJECTED;
