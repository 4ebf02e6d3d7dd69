/**
 * Executes the table DDL statements: CREATE TABLE (planned by ddl.ts), DROP TABLE and ALTER
 * TABLE (translated to the catalog's schema changes, applied as one change of the schema).
 *
 * ALTER TABLE translation (Paimon `FlinkCatalog#toSchemaChange` + `NestedSchemaUtils`):
 *   SET ('k' = 'v', …)     → setOption per key; the key `comment` → updateComment
 *   RESET ('k', …)         → removeOption per key; `comment` → updateComment(null)
 *   ADD (col type …)       → addColumn (comment, FIRST / AFTER col)
 *   MODIFY (col type …)    → updateColumnComment when a COMMENT is given and differs (MODIFY
 *                            without COMMENT keeps the comment, as Flink does), updateColumnType
 *                            when the type differs ignoring nullability, updateColumnNullability
 *                            when NOT NULL differs, updateColumnPosition for FIRST / AFTER; a
 *                            nested (ROW, ARRAY, MAP, MULTISET) type change is unsupported
 *   RENAME a TO b          → renameColumn;  DROP (a, b) → dropColumn per column
 *   RENAME TO t2           → catalog.renameTable when the catalog has it, else unsupported
 * CREATE TABLE into a catalog's default database creates that database first when missing
 * (Java's FlinkCatalog creates it when the catalog opens), unless the catalog was created with
 * `disable-create-table-in-default-db` = true, which refuses the CREATE as Java does.
 *
 * Imports: spec/data_types.ts, table/schema_changes.ts (types), api/sql/*.
 * Mirrors: Paimon `FlinkCatalog#createTable`, `#alterTable`, `#toSchemaChange`.
 * https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/FlinkCatalog.java
 */
import { type DataField, describeType, withNullable } from "../../spec/data_types.ts";
import type { AlterTableStatement, CreateTableStatement, DropTableStatement, SqlAlterAction } from "./ast.ts";
import { planCreateTable } from "./ddl.ts";
import { formatTableIdentifier, resolveTableName } from "./names.ts";
import { failSql, failSqlUnsupported } from "./source.ts";
import { asSqlError, atPosition, catalogTableName, isNotFound, okResult, requireCatalog, requireField, type SqlResult } from "./exec_common.ts";
import type { SchemaChange } from "../../table/schema_changes.ts";
import type { SqlSession } from "./exec_session.ts";

const NESTED_ROOTS = new Set(["ROW", "ARRAY", "MAP", "MULTISET", "VECTOR"]);
const COMMENT_KEY = "comment";

/** CREATE TABLE [IF NOT EXISTS] …. */
export async function executeCreateTable(s: CreateTableStatement, session: SqlSession): Promise<SqlResult> {
  const plan = planCreateTable(s, { context: session.context, timeMillis: BigInt(session.nowMs()) });
  const id = plan.identifier;
  const what = `CREATE TABLE ${formatTableIdentifier(id)}`;
  const entry = requireCatalog(session, id.catalog, s.name.position);
  if (id.database === entry.defaultDatabase) {
    if (entry.defaultDatabaseDisabled) {
      failSql(s.name.position, `${what}: creating tables in the default database is disabled ('disable-create-table-in-default-db' = 'true'); name another database`);
    }
    await atPosition(s.name.position, what, () => entry.catalog.createDatabase(id.database, { ignoreIfExists: true }));
  }
  const input = plan.input;
  await atPosition(s.name.position, what, () => entry.catalog.createTable(catalogTableName(id), {
    fields: input.fields,
    primaryKeys: input.primaryKeys ?? [],
    partitionKeys: input.partitionKeys ?? [],
    options: { ...(input.options ?? {}) },
    comment: input.comment ?? null,
  }, { ignoreIfExists: s.ifNotExists }));
  return okResult(s, plan.warnings);
}

/** DROP TABLE [IF EXISTS] name. */
export async function executeDropTable(s: DropTableStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveTableName(s.name, session.context);
  const entry = requireCatalog(session, id.catalog, s.name.position);
  await atPosition(s.name.position, `DROP TABLE ${formatTableIdentifier(id)}`,
    () => entry.catalog.dropTable(catalogTableName(id), { ignoreIfNotExists: s.ifExists }));
  return okResult(s);
}

/** ALTER TABLE [IF EXISTS] name <action>. */
export async function executeAlterTable(s: AlterTableStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveTableName(s.name, session.context);
  const what = `ALTER TABLE ${formatTableIdentifier(id)}`;
  const entry = requireCatalog(session, id.catalog, s.name.position);
  const catalog = entry.catalog;
  const action = s.action;
  if (action.kind === "rename_table") {
    const to = resolveTableName(action.to, session.context);
    if (to.catalog !== id.catalog) failSql(action.to.position, `${what}: RENAME TO ${formatTableIdentifier(to)} moves the table to another catalog`);
    const rename = catalog.renameTable?.bind(catalog);
    if (rename === undefined) failSqlUnsupported(action.to.position, `${what}: RENAME TO is not supported by this catalog`);
    await atPosition(action.to.position, what, () => rename(catalogTableName(id), catalogTableName(to), { ignoreIfNotExists: s.ifExists }));
    return okResult(s);
  }
  let changes: SchemaChange[];
  if (action.kind === "modify_columns") {
    let fields: readonly DataField[];
    try {
      fields = (await catalog.getTable(catalogTableName(id))).schema.fields;
    } catch (error) {
      if (s.ifExists && isNotFound(error)) return okResult(s);
      throw asSqlError(error, s.name.position, what);
    }
    changes = modifyChanges(action, fields, what);
  } else {
    changes = alterChanges(action, what);
  }
  await atPosition(s.name.position, what, () => catalog.alterTable(catalogTableName(id), changes, { ignoreIfNotExists: s.ifExists }));
  return okResult(s);
}

/** The schema changes of every action but MODIFY and RENAME TO. */
function alterChanges(action: Exclude<SqlAlterAction, { kind: "modify_columns" | "rename_table" }>, what: string): SchemaChange[] {
  switch (action.kind) {
    case "set_options":
      return action.options.map((o): SchemaChange =>
        o.key === COMMENT_KEY ? { kind: "updateComment", comment: o.value } : { kind: "setOption", key: o.key, value: o.value });
    case "reset_options":
      return action.keys.map((k): SchemaChange =>
        k.key === COMMENT_KEY ? { kind: "updateComment", comment: null } : { kind: "removeOption", key: k.key });
    case "add_columns":
      return action.columns.map((c): SchemaChange => {
        const base = { kind: "addColumn", name: c.name, type: c.type, comment: c.comment } as const;
        if (c.move === null) return base;
        return { ...base, position: c.move.kind === "first" ? { kind: "first" } : { kind: "after", column: c.move.column.name } };
      });
    case "rename_column":
      return [{ kind: "renameColumn", from: action.from.name, to: action.to.name }];
    case "drop_columns": {
      const seen = new Set<string>();
      return action.columns.map((c): SchemaChange => {
        if (seen.has(c.name)) failSql(c.position, `${what}: DROP names column ${c.name} twice`);
        seen.add(c.name);
        return { kind: "dropColumn", name: c.name };
      });
    }
  }
}

/**
 * MODIFY: each column's new definition against its current field, in Flink's order
 * (`OperationConverterUtils#buildModifyColumnChange`): comment (only when the statement gives
 * one), type, nullability, position.
 */
function modifyChanges(action: Extract<SqlAlterAction, { kind: "modify_columns" }>, fields: readonly DataField[], what: string): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const c of action.columns) {
    const field = requireField(fields, c.name, c.position, what);
    if (c.comment !== null && c.comment !== (field.description ?? null)) changes.push({ kind: "updateColumnComment", name: c.name, comment: c.comment });
    const oldType = withNullable(field.type, true), newType = withNullable(c.type, true);
    if (describeType(oldType) !== describeType(newType)) {
      if (NESTED_ROOTS.has(field.type.root) || NESTED_ROOTS.has(c.type.root)) {
        failSqlUnsupported(c.typePosition, `${what}: changing column ${c.name} from ${describeType(field.type)} to ${describeType(c.type)} is not supported (nested type changes)`);
      }
      changes.push({ kind: "updateColumnType", name: c.name, type: c.type });
    }
    if (field.type.nullable !== c.type.nullable) changes.push({ kind: "updateColumnNullability", name: c.name, nullable: c.type.nullable });
    if (c.move !== null) {
      changes.push({ kind: "updateColumnPosition", name: c.name, position: c.move.kind === "first" ? { kind: "first" } : { kind: "after", column: c.move.column.name } });
    }
  }
  return changes;
}
