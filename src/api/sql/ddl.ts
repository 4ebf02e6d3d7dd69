/**
 * CREATE TABLE to a Paimon table schema: resolves the name, numbers the fields as Java does,
 * collects primary and partition keys, options and comment into the input of
 * `createTableSchema`, applies Java's creation rules, refuses partition expiration that could
 * never happen, and checks the options for writing.
 *
 * Field ids follow Java's `Schema.Builder#column` + `ReassignFieldId`: top-level columns take ids
 * 0, 1, 2, … in order, and right after each column its nested ROW fields take the next ids, a
 * nested field's own children before the field itself (the type is visited before the field's
 * id is taken). Options keep the WITH order; a `connector` option must be absent or `paimon`
 * and is removed, as Paimon's FlinkCatalog does.
 *
 * Partition expiration rule (use case 2 of docs/use-cases.md): Java silently never expires the
 * partitions of a table without partition keys. When `partition.expiration-time` is set and the
 * table has no partition keys, or `partition.timestamp-pattern` reads a column that is not a
 * partition key, this module throws SqlError("invalid_argument") at the option, naming the
 * option, the column and the missing `PARTITIONED BY (…)` clause.
 *
 * Errors carry the line and column of the offending clause: SqlError with the code of the
 * underlying check (invalid_argument, or unsupported for options lakestate cannot write).
 *
 * Imports: errors.ts, spec/data_types.ts (types only), spec/schema.ts, spec/option_support.ts,
 * api/sql/ast.ts (types only), api/sql/names.ts, api/sql/source.ts.
 * Mirrors: Paimon `FlinkCatalog#createTable`/`fromCatalogTable`, `Schema.Builder`,
 * `ReassignFieldId`, `PartitionTimeExtractor` (how `$column` patterns read partition values):
 * https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/FlinkCatalog.java
 */
import { LakeError } from "../../errors.ts";
import type { DataField, DataType } from "../../spec/data_types.ts";
import { createTableSchema, type TableSchema, type TableSchemaInput } from "../../spec/schema.ts";
import { validateTableOptions, type OptionUse } from "../../spec/option_support.ts";
import type { CreateTableStatement, SqlIdentifier, SqlOption } from "./ast.ts";
import { formatTableIdentifier, resolveTableName, type SqlContext, type TableIdentifier } from "./names.ts";
import { SqlError, type SourcePosition } from "./source.ts";

/** What a CREATE TABLE statement asks for, checked. */
export interface CreateTablePlan {
  readonly identifier: TableIdentifier;
  readonly ifNotExists: boolean;
  /** The input of `createTableSchema` (keys as written, fields numbered as Java numbers them). */
  readonly input: TableSchemaInput;
  /** `createTableSchema(input)`: the schema-0 the statement creates. */
  readonly schema: TableSchema;
  /** Warnings of `validateTableOptions` (misspelt keys, malformed values Java reads lazily). */
  readonly warnings: readonly string[];
}

/** A column to number: name, type (nested ROW field ids are renumbered) and comment. */
export interface ColumnToNumber {
  readonly name: string;
  readonly type: DataType;
  readonly comment?: string | null;
}

const EXPIRATION_TIME = "partition.expiration-time";
const TIMESTAMP_PATTERN = "partition.timestamp-pattern";

/**
 * Plans a CREATE TABLE: see the file header. `timeMillis` is the schema's creation time (the
 * caller's clock). `use` is what the options are validated for: `write` (the default: lakestate
 * will write the table) or `read` (other engines write it, lakestate only reads it). Throws
 * SqlError pointing at the offending clause; never touches storage.
 */
export function planCreateTable(
  statement: CreateTableStatement,
  options: { readonly context: SqlContext; readonly timeMillis: bigint; readonly use?: OptionUse },
): CreateTablePlan {
  const identifier = resolveTableName(statement.name, options.context);
  const what = `CREATE TABLE ${formatTableIdentifier(identifier)}`;
  const columnNames = checkColumnNames(statement, what);
  const primaryKeys = checkKeyColumns(statement.primaryKey?.columns ?? [], columnNames, `${what}: primary key`);
  const partitionKeys = checkKeyColumns(statement.partitionedBy ?? [], columnNames, `${what}: PARTITIONED BY`);
  const tableOptions = optionsOf(statement, what);
  const { fields } = numberColumnFields(statement.columns, -1);
  const input: TableSchemaInput = {
    fields, primaryKeys, partitionKeys, options: tableOptions, comment: statement.comment, timeMillis: options.timeMillis,
  };
  let schema: TableSchema;
  try {
    schema = createTableSchema(input);
  } catch (error) {
    throw wrapError(error, statement.position, what);
  }
  checkPartitionExpiration(statement, schema, what);
  let warnings: string[];
  try {
    warnings = validateTableOptions(schema.options, { primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, use: options.use ?? "write" }).warnings;
  } catch (error) {
    throw wrapError(error, optionPosition(statement, error), what);
  }
  return { identifier, ifNotExists: statement.ifNotExists, input, schema, warnings };
}

/**
 * Numbers columns as Java's `Schema.Builder#column` does, continuing after `highestFieldId`
 * (-1 for a new table; a table's `highestFieldId` for ALTER TABLE ADD, as `SchemaManager` does).
 * Returns the fields and the new highest field id.
 */
export function numberColumnFields(columns: readonly ColumnToNumber[], highestFieldId: number): { fields: DataField[]; highestFieldId: number } {
  const counter = { value: highestFieldId };
  const fields = columns.map((column) => {
    const id = ++counter.value;
    const type = renumberNestedFields(column.type, counter);
    const field: { -readonly [K in keyof DataField]: DataField[K] } = { id, name: column.name, type };
    if (column.comment !== undefined && column.comment !== null) field.description = column.comment;
    return field;
  });
  return { fields, highestFieldId: counter.value };
}

/** Java `ReassignFieldId`: a field's type is visited before the field takes its id. */
function renumberNestedFields(type: DataType, counter: { value: number }): DataType {
  switch (type.root) {
    case "ARRAY": case "MULTISET": case "VECTOR":
      return { ...type, element: renumberNestedFields(type.element, counter) };
    case "MAP":
      return { ...type, key: renumberNestedFields(type.key, counter), value: renumberNestedFields(type.value, counter) };
    case "ROW":
      return {
        ...type,
        fields: type.fields.map((f) => {
          const inner = renumberNestedFields(f.type, counter);
          return { ...f, id: ++counter.value, type: inner };
        }),
      };
    default:
      return type;
  }
}

function checkColumnNames(statement: CreateTableStatement, what: string): Set<string> {
  const seen = new Map<string, SourcePosition>();
  for (const column of statement.columns) {
    const earlier = seen.get(column.name);
    if (earlier !== undefined) {
      throw new SqlError("invalid_argument", column.position,
        `${what}: column ${column.name} is defined twice (first at line ${earlier.line}, column ${earlier.column})`);
    }
    seen.set(column.name, column.position);
  }
  return new Set(seen.keys());
}

function checkKeyColumns(keys: readonly SqlIdentifier[], columnNames: ReadonlySet<string>, what: string): string[] {
  const out: string[] = [];
  for (const key of keys) {
    if (!columnNames.has(key.name)) {
      throw new SqlError("invalid_argument", key.position, `${what} names ${key.name}, which is not a column (columns: ${[...columnNames].join(", ")})`);
    }
    if (out.includes(key.name)) throw new SqlError("invalid_argument", key.position, `${what} names ${key.name} twice`);
    out.push(key.name);
  }
  return out;
}

function optionsOf(statement: CreateTableStatement, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of statement.options) {
    if (o.key === "connector") {
      if (o.value.trim() !== "" && o.value !== "paimon") {
        throw new SqlError("invalid_argument", o.valuePosition,
          `${what}: option 'connector' = '${o.value}': a Paimon catalog only holds paimon tables (remove the option or set it to 'paimon')`);
      }
      continue; // Paimon's FlinkCatalog removes it
    }
    out[o.key] = o.value;
  }
  return out;
}

function findOption(statement: CreateTableStatement, key: string): SqlOption | undefined {
  return statement.options.find((o) => o.key === key);
}

/** The position of the option an error message names ('key'), else of WITH, else of the statement. */
function optionPosition(statement: CreateTableStatement, error: unknown): SourcePosition {
  const key = error instanceof Error ? /option '([^']+)'/.exec(error.message)?.[1] : undefined;
  const option = key === undefined ? undefined : findOption(statement, key);
  return option?.keyPosition ?? statement.withPosition ?? statement.position;
}

function wrapError(error: unknown, position: SourcePosition, what: string): unknown {
  if (!(error instanceof LakeError) || error instanceof SqlError) return error;
  return new SqlError(error.code, position, `${what}: ${error.message}`, { cause: error });
}

/**
 * The columns a `partition.timestamp-pattern` reads: at each `$`, the longest column name that
 * follows (as Java prefers the longest partition key), else the identifier that follows.
 */
export function timestampPatternColumns(pattern: string, columnNames: readonly string[]): string[] {
  const byLength = [...columnNames].sort((a, b) => b.length - a.length);
  const out: string[] = [];
  for (let i = pattern.indexOf("$"); i >= 0; i = pattern.indexOf("$", i + 1)) {
    const rest = pattern.slice(i + 1);
    const name = byLength.find((n) => rest.startsWith(n)) ?? /^[\p{L}_][\p{L}\p{N}_]*/u.exec(rest)?.[0];
    if (name !== undefined && !out.includes(name)) out.push(name);
  }
  return out;
}

function checkPartitionExpiration(statement: CreateTableStatement, schema: TableSchema, what: string): void {
  const expiration = schema.options[EXPIRATION_TIME];
  if (expiration === undefined) return;
  const expirationOption = findOption(statement, EXPIRATION_TIME);
  const position = expirationOption?.keyPosition ?? statement.withPosition ?? statement.position;
  const pattern = schema.options[TIMESTAMP_PATTERN];
  const columnNames = schema.fields.map((f) => f.name);
  const patternColumns = pattern === undefined ? [] : timestampPatternColumns(pattern, columnNames);
  const head = `${what}: option '${EXPIRATION_TIME}' = '${expiration}' expires partitions`;
  const patternText = `option '${TIMESTAMP_PATTERN}' = '${pattern}'`;
  for (const column of patternColumns) {
    if (!columnNames.includes(column)) {
      throw new SqlError("invalid_argument", findOption(statement, TIMESTAMP_PATTERN)?.keyPosition ?? position,
        `${head}, but ${patternText} reads $${column}, which is not a column (columns: ${columnNames.join(", ")})`);
    }
  }
  const partitionKeys = schema.partitionKeys;
  const missing = patternColumns.filter((column) => !partitionKeys.includes(column));
  if (partitionKeys.length > 0 && missing.length === 0) return;
  const wanted = [...partitionKeys, ...missing];
  const clause = wanted.length > 0 ? `PARTITIONED BY (${wanted.join(", ")})` : "PARTITIONED BY (<the column holding the partition time>)";
  const reads = missing.length > 0 ? `; ${patternText} reads the partition time from column ${missing.join(", ")}` : "";
  if (partitionKeys.length === 0) {
    throw new SqlError("invalid_argument", position,
      `${head}, but the table has no partition keys, so no partition would ever expire${reads}: add the missing clause ${clause} before WITH (…)`);
  }
  throw new SqlError("invalid_argument", position,
    `${head}, but ${patternText} reads column ${missing.join(", ")}, which is not a partition key (partition keys: ${partitionKeys.join(", ")}), so partitions would never expire by their time: write the clause as ${clause}`);
}
