/**
 * The typed syntax tree of the Flink SQL lakestate accepts: one node type per statement form,
 * every node with the source position where it starts.
 *
 * Invariants:
 *  - Names keep their case as written (backquoted or bare); keywords are not in the tree.
 *  - Column types are `DataType`s of `spec/data_types.ts`, already mapped with Flink's SQL rules
 *    (`VARCHAR` without a length is `STRING`). Field ids inside ROW types are provisional
 *    (numbered in parse order); `ddl.ts` assigns the ids Java assigns.
 *  - Options keep the order written; a key appears at most once (the parser rejects repeats).
 *  - WHERE clauses are the unbound `Predicate` model of `table/predicate.ts`; numbers in them are
 *    exact text, typed literals (DATE '…') are their text, converted when bound to a column.
 *
 * Imports: spec/data_types.ts, table/predicate.ts (types only), api/sql/source.ts (types only).
 * Mirrors: the statement forms of Flink SQL (`SqlCreateTable`, `SqlAlterTable…`, `RichSqlInsert`),
 * https://nightlies.apache.org/flink/flink-docs-stable/docs/dev/table/sql/overview/
 */
import type { DataType } from "../../spec/data_types.ts";
import type { Predicate } from "../../table/predicate.ts";
import type { SourcePosition } from "./source.ts";

/** A single name (column, catalog, database, option-less identifier). */
export interface SqlIdentifier {
  readonly name: string;
  readonly position: SourcePosition;
}

/** A dotted name such as `` `cat`.`db`.t ``: one to three parts. */
export interface SqlName {
  readonly parts: readonly string[];
  readonly position: SourcePosition;
}

/** One `'key' = 'value'` of a WITH (…) or SET list. */
export interface SqlOption {
  readonly key: string;
  readonly value: string;
  readonly keyPosition: SourcePosition;
  readonly valuePosition: SourcePosition;
}

/** A key of a RESET (…) list. */
export interface SqlOptionKey {
  readonly key: string;
  readonly position: SourcePosition;
}

/** A column definition of CREATE TABLE or ALTER TABLE ADD/MODIFY. */
export interface SqlColumn {
  readonly name: string;
  readonly position: SourcePosition;
  /** The type, nullability (`NOT NULL`) included. */
  readonly type: DataType;
  readonly typePosition: SourcePosition;
  readonly comment: string | null;
  /** True when the column carries an inline `PRIMARY KEY NOT ENFORCED`. */
  readonly primaryKey: boolean;
}

/** Where ALTER TABLE ADD/MODIFY puts a column: `FIRST` or `AFTER col`. */
export type SqlColumnMove =
  | { readonly kind: "first"; readonly position: SourcePosition }
  | { readonly kind: "after"; readonly column: SqlIdentifier; readonly position: SourcePosition };

/** A column of ALTER TABLE ADD/MODIFY, with its optional move. */
export interface SqlAlterColumn extends SqlColumn {
  readonly move: SqlColumnMove | null;
}

/** `[CONSTRAINT name] PRIMARY KEY (cols) NOT ENFORCED`, or an inline column key. */
export interface SqlPrimaryKey {
  readonly columns: readonly SqlIdentifier[];
  readonly constraintName: string | null;
  readonly position: SourcePosition;
}

/** A value expression of INSERT … VALUES. Numbers are exact text; signs are folded in. */
export type SqlExpression =
  | { readonly kind: "null"; readonly position: SourcePosition }
  | { readonly kind: "boolean"; readonly value: boolean; readonly position: SourcePosition }
  | { readonly kind: "number"; readonly text: string; readonly position: SourcePosition }
  | { readonly kind: "string"; readonly value: string; readonly position: SourcePosition }
  | { readonly kind: "binary"; readonly bytes: Uint8Array; readonly position: SourcePosition }
  | { readonly kind: "typed"; readonly type: SqlTypedLiteralType; readonly text: string; readonly position: SourcePosition }
  | { readonly kind: "cast"; readonly operand: SqlExpression; readonly type: DataType; readonly position: SourcePosition }
  | { readonly kind: "array"; readonly elements: readonly SqlExpression[]; readonly position: SourcePosition }
  | { readonly kind: "map"; readonly entries: readonly (readonly [SqlExpression, SqlExpression])[]; readonly position: SourcePosition }
  | { readonly kind: "row"; readonly fields: readonly SqlExpression[]; readonly position: SourcePosition };

/** Types of typed literals: `DATE '…'`, `TIME '…'`, `TIMESTAMP '…'`. */
export type SqlTypedLiteralType = "DATE" | "TIME" | "TIMESTAMP";

/** A WHERE clause: the predicate and where it starts. */
export interface SqlWhere {
  readonly predicate: Predicate;
  readonly position: SourcePosition;
}

interface StatementBase {
  /** Position of the statement's first token. */
  readonly position: SourcePosition;
  /** Offset just after the statement's last token (before any `;`). */
  readonly endOffset: number;
}

/** `CREATE CATALOG [IF NOT EXISTS] name WITH (…)`. */
export interface CreateCatalogStatement extends StatementBase {
  readonly kind: "create_catalog";
  readonly name: SqlIdentifier;
  readonly ifNotExists: boolean;
  readonly options: readonly SqlOption[];
}

/** `DROP CATALOG [IF EXISTS] name`. */
export interface DropCatalogStatement extends StatementBase {
  readonly kind: "drop_catalog";
  readonly name: SqlIdentifier;
  readonly ifExists: boolean;
}

/** `USE CATALOG name`. */
export interface UseCatalogStatement extends StatementBase {
  readonly kind: "use_catalog";
  readonly name: SqlIdentifier;
}

/** `USE [catalog.]database`. */
export interface UseDatabaseStatement extends StatementBase {
  readonly kind: "use_database";
  readonly name: SqlName;
}

/** `CREATE DATABASE [IF NOT EXISTS] [catalog.]name [COMMENT '…'] [WITH (…)]`. */
export interface CreateDatabaseStatement extends StatementBase {
  readonly kind: "create_database";
  readonly name: SqlName;
  readonly ifNotExists: boolean;
  readonly comment: string | null;
  readonly options: readonly SqlOption[];
}

/** `DROP DATABASE [IF EXISTS] [catalog.]name [RESTRICT | CASCADE]` (RESTRICT is the default). */
export interface DropDatabaseStatement extends StatementBase {
  readonly kind: "drop_database";
  readonly name: SqlName;
  readonly ifExists: boolean;
  readonly cascade: boolean;
}

/** `CREATE TABLE [IF NOT EXISTS] name (columns, [PRIMARY KEY]) [COMMENT] [PARTITIONED BY] [WITH]`. */
export interface CreateTableStatement extends StatementBase {
  readonly kind: "create_table";
  readonly name: SqlName;
  readonly ifNotExists: boolean;
  readonly columns: readonly SqlColumn[];
  /** The table constraint, or the inline key of one column; null when there is none. */
  readonly primaryKey: SqlPrimaryKey | null;
  /** Null when there is no PARTITIONED BY clause. */
  readonly partitionedBy: readonly SqlIdentifier[] | null;
  readonly comment: string | null;
  readonly options: readonly SqlOption[];
  /** Position of the WITH keyword, or null when absent. */
  readonly withPosition: SourcePosition | null;
}

/** The change of an ALTER TABLE statement. */
export type SqlAlterAction =
  | { readonly kind: "set_options"; readonly options: readonly SqlOption[] }
  | { readonly kind: "reset_options"; readonly keys: readonly SqlOptionKey[] }
  | { readonly kind: "add_columns"; readonly columns: readonly SqlAlterColumn[] }
  | { readonly kind: "modify_columns"; readonly columns: readonly SqlAlterColumn[] }
  | { readonly kind: "rename_column"; readonly from: SqlIdentifier; readonly to: SqlIdentifier }
  | { readonly kind: "drop_columns"; readonly columns: readonly SqlIdentifier[] }
  | { readonly kind: "rename_table"; readonly to: SqlName };

/** `ALTER TABLE [IF EXISTS] name <action>`. */
export interface AlterTableStatement extends StatementBase {
  readonly kind: "alter_table";
  readonly name: SqlName;
  readonly ifExists: boolean;
  readonly action: SqlAlterAction;
}

/** `DROP TABLE [IF EXISTS] name`. */
export interface DropTableStatement extends StatementBase {
  readonly kind: "drop_table";
  readonly name: SqlName;
  readonly ifExists: boolean;
}

/** `INSERT {INTO | OVERWRITE} name [PARTITION (k = v, …)] [(cols)] VALUES (…), …`. */
export interface InsertStatement extends StatementBase {
  readonly kind: "insert";
  readonly name: SqlName;
  readonly overwrite: boolean;
  /** Static partition values of `PARTITION (…)`; null when absent. */
  readonly partition: readonly { readonly column: SqlIdentifier; readonly value: SqlExpression }[] | null;
  /** Target columns; null means all columns in table order. */
  readonly columns: readonly SqlIdentifier[] | null;
  /** Rows of VALUES; every row has the same length. */
  readonly rows: readonly (readonly SqlExpression[])[];
}

/** `DELETE FROM name [WHERE predicate]`; a null `where` deletes every row. */
export interface DeleteStatement extends StatementBase {
  readonly kind: "delete";
  readonly name: SqlName;
  readonly where: SqlWhere | null;
}

/** `SELECT * | cols FROM name [WHERE predicate] [LIMIT n]`. */
export interface SelectStatement extends StatementBase {
  readonly kind: "select";
  readonly name: SqlName;
  /** Projected columns; null for `*`. */
  readonly columns: readonly SqlIdentifier[] | null;
  readonly where: SqlWhere | null;
  /** Row count limit (≥ 0), or null. */
  readonly limit: number | null;
}

/** Session `SET 'key' = 'value'` (or bare `SET`, listing: `option` null). */
export interface SetStatement extends StatementBase {
  readonly kind: "set";
  readonly option: SqlOption | null;
}

/** Session `RESET 'key'` (or bare `RESET`, all keys: `key` null). */
export interface ResetStatement extends StatementBase {
  readonly kind: "reset";
  readonly key: SqlOptionKey | null;
}

/** Any statement. */
export type SqlStatement =
  | CreateCatalogStatement | DropCatalogStatement | UseCatalogStatement | UseDatabaseStatement
  | CreateDatabaseStatement | DropDatabaseStatement | CreateTableStatement | AlterTableStatement
  | DropTableStatement | InsertStatement | DeleteStatement | SelectStatement | SetStatement | ResetStatement;

/** The `kind` of a statement. */
export type SqlStatementKind = SqlStatement["kind"];
