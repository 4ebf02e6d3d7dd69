/**
 * Executes the data statements: INSERT … VALUES (one write and commit per statement), DELETE
 * FROM … [WHERE] (the table's batch delete) and SELECT (a batch read of the latest snapshot).
 *
 * INSERT: VALUES rows fill the listed columns, or every column in table order except those a
 * static `PARTITION (k = v, …)` fills; unlisted columns are NULL, which a NOT NULL column
 * refuses. Literals convert by exec_values.ts. INSERT OVERWRITE is unsupported (the writer
 * offers no overwrite commit). The session's dynamic table options (exec_session.ts) are the
 * write's options.
 * DELETE without WHERE deletes every row; with WHERE, the filter is bound to the columns first,
 * so a mistake is an error at the WHERE clause; the session's dynamic options are the delete's
 * write options. SELECT applies WHERE (bound the same way) and LIMIT, reading split by split and
 * stopping once LIMIT rows are in; of the dynamic options it applies `scan.snapshot-id` (time
 * travel) and ignores write-side ones; any other option that would change a read is unsupported.
 *
 * Imports: spec (types), table/predicate.ts, api/sql/*.
 * Mirrors: Flink's INSERT (`RichSqlInsert` + static partitions), Paimon `SupportsRowLevelDelete`
 * batch DELETE, and a batch `SELECT … FROM t WHERE … LIMIT n`.
 */
import type { DataField } from "../../spec/data_types.ts";
import type { Value } from "../../spec/values.ts";
import { bindPredicate, type Predicate } from "../../table/predicate.ts";
import type { DeleteStatement, InsertStatement, SelectStatement, SqlIdentifier } from "./ast.ts";
import { formatTableIdentifier, resolveTableName, type TableIdentifier } from "./names.ts";
import { failSql, failSqlUnsupported, type SourcePosition } from "./source.ts";
import { asSqlError, atPosition, MESSAGE_UPDATE_COMPLETE, openSessionTable, requireField, rowCountMessage, type SqlResult } from "./exec_common.ts";
import type { SqlSession } from "./exec_session.ts";
import { valueOfExpression } from "./exec_values.ts";

const SNAPSHOT_ID_OPTION = "scan.snapshot-id";
/** Dynamic option keys (and prefixes) that only change how files are written, not what a read returns. */
const WRITE_SIDE_OPTION_PREFIXES = [
  "write-", "target-file-size", "num-sorted-run.", "compaction.", "commit.", "snapshot.", "sink.", "num-levels", "page-size",
  "file.compression", "file-index.", "parquet.", "orc.", "manifest.", "changelog.", "partition.", "local-merge-buffer-size",
];

/** INSERT {INTO | OVERWRITE} t [PARTITION (…)] [(cols)] VALUES (…), …. */
export async function executeInsert(s: InsertStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveTableName(s.name, session.context);
  const what = `INSERT INTO ${formatTableIdentifier(id)}`;
  if (s.overwrite) {
    failSqlUnsupported(s.position, `INSERT OVERWRITE ${formatTableIdentifier(id)} is not supported (the writer has no overwrite commit); use DELETE FROM … WHERE and INSERT INTO`);
  }
  const table = await openSessionTable(session, id, s.name.position, "INSERT INTO");
  const { fields, partitionKeys } = table.schema;
  const staticValues = staticPartitionValues(s, fields, partitionKeys, what);
  const targets = targetFields(s.columns, fields, staticValues, what);
  for (const row of s.rows) {
    if (row.length !== targets.length) {
      failSql(row[0]?.position ?? s.position, `${what}: a row of VALUES has ${row.length} values, but the insert takes ${targets.length} (columns: ${targets.map((f) => f.name).join(", ")})`);
    }
  }
  const given = new Set([...targets.map((f) => f.name), ...staticValues.keys()]);
  for (const f of fields) {
    if (!f.type.nullable && !given.has(f.name)) {
      failSql(s.columns?.[0]?.position ?? s.name.position, `${what}: column ${f.name} is NOT NULL, but the INSERT gives it no value`);
    }
  }
  const rows = s.rows.map((row) => {
    const out: Record<string, Value> = {};
    for (const f of fields) out[f.name] = staticValues.get(f.name) ?? null;
    for (let i = 0; i < targets.length; i++) out[targets[i]!.name] = valueOfExpression(row[i]!, targets[i]!.type, targets[i]!.name);
    return out;
  });
  const options = session.dynamicTableOptions(id);
  const written = await atPosition(s.position, what, () => table.write(rows, Object.keys(options).length > 0 ? { options } : {}));
  return {
    kind: "insert", statement: s.kind, position: s.position, message: MESSAGE_UPDATE_COMPLETE, warnings: [],
    rowCount: rows.length, snapshotIds: [...written.snapshotIds],
  };
}

function staticPartitionValues(s: InsertStatement, fields: readonly DataField[], partitionKeys: readonly string[], what: string): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const p of s.partition ?? []) {
    const field = requireField(fields, p.column.name, p.column.position, what);
    if (!partitionKeys.includes(field.name)) {
      failSql(p.column.position, `${what}: PARTITION names ${field.name}, which is not a partition key (partition keys: ${partitionKeys.join(", ") || "none"})`);
    }
    if (out.has(field.name)) failSql(p.column.position, `${what}: PARTITION names ${field.name} twice`);
    out.set(field.name, valueOfExpression(p.value, field.type, field.name));
  }
  return out;
}

function targetFields(columns: readonly SqlIdentifier[] | null, fields: readonly DataField[], staticValues: ReadonlyMap<string, Value>, what: string): DataField[] {
  if (columns === null) return fields.filter((f) => !staticValues.has(f.name));
  const seen = new Set<string>();
  return columns.map((c) => {
    const field = requireField(fields, c.name, c.position, what);
    if (staticValues.has(field.name)) failSql(c.position, `${what}: column ${field.name} already has its value from PARTITION (…)`);
    if (seen.has(field.name)) failSql(c.position, `${what}: the column list names ${field.name} twice`);
    seen.add(field.name);
    return field;
  });
}

/** Binds `predicate` to `fields` so a wrong column or literal is an error at the WHERE clause. */
function checkFilter(predicate: Predicate, fields: readonly DataField[], position: SourcePosition, what: string): void {
  try {
    bindPredicate(predicate, fields);
  } catch (error) {
    throw asSqlError(error, position, `${what}: WHERE`);
  }
}

/** DELETE FROM t [WHERE …]. */
export async function executeDelete(s: DeleteStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveTableName(s.name, session.context);
  const what = `DELETE FROM ${formatTableIdentifier(id)}`;
  const table = await openSessionTable(session, id, s.name.position, "DELETE FROM");
  const predicate = s.where?.predicate ?? null; // null: every row (whole partitions dropped without reading)
  if (predicate !== null) checkFilter(predicate, table.schema.fields, s.where!.position, what);
  const options = session.dynamicTableOptions(id);
  const deleted = await atPosition(s.position, what, () => table.deleteWhere(predicate, Object.keys(options).length > 0 ? { options } : {}));
  return { kind: "delete", statement: s.kind, position: s.position, message: MESSAGE_UPDATE_COMPLETE, warnings: [], snapshotIds: [...deleted.snapshotIds] };
}

/** SELECT * | cols FROM t [WHERE …] [LIMIT n]. */
export async function executeSelect(s: SelectStatement, session: SqlSession): Promise<SqlResult> {
  const id = resolveTableName(s.name, session.context);
  const what = `SELECT FROM ${formatTableIdentifier(id)}`;
  const table = await openSessionTable(session, id, s.name.position, "SELECT FROM");
  const snapshotId = selectSnapshotId(session, id, s, what);
  const at = snapshotId === undefined ? {} : { snapshotId };
  const allFields = await atPosition(s.name.position, what, () => table.readFields(at));
  let columns: string[] | undefined;
  if (s.columns !== null) {
    const seen = new Set<string>();
    columns = s.columns.map((c) => {
      const name = requireField(allFields, c.name, c.position, what).name;
      if (seen.has(name)) failSqlUnsupported(c.position, `${what}: selecting column ${name} twice is not supported`);
      seen.add(name);
      return name;
    });
  }
  const fields = columns === undefined ? allFields : columns.map((n) => allFields.find((f) => f.name === n)!);
  const filter = s.where?.predicate ?? null;
  if (filter !== null) checkFilter(filter, allFields, s.where!.position, what);
  const limit = s.limit ?? Number.POSITIVE_INFINITY;
  const rows: Value[][] = [];
  if (limit > 0) {
    await atPosition(s.position, what, async () => {
      for await (const batch of table.readBatches({ ...at, ...(columns === undefined ? {} : { columns }), filter })) {
        for (let i = 0; i < batch.rowCount && rows.length < limit; i++) rows.push(batch.columns.map((c) => c[i] ?? null));
        if (rows.length >= limit) break;
      }
    });
  }
  return { kind: "rows", statement: s.kind, position: s.position, message: rowCountMessage(rows.length), warnings: [], columns: fields, rows };
}

/** `scan.snapshot-id` of the session's dynamic options; other read-changing options are unsupported. */
function selectSnapshotId(session: SqlSession, id: TableIdentifier, s: SelectStatement, what: string): bigint | undefined {
  let snapshotId: bigint | undefined;
  for (const [key, value] of Object.entries(session.dynamicTableOptions(id))) {
    if (key === SNAPSHOT_ID_OPTION) {
      if (!/^[1-9]\d{0,18}$/.test(value.trim())) failSql(s.position, `${what}: option '${key}' = '${value}' (from SET) must be a positive snapshot id`);
      snapshotId = BigInt(value.trim());
    } else if (!WRITE_SIDE_OPTION_PREFIXES.some((p) => key.startsWith(p))) {
      failSqlUnsupported(s.position, `${what}: dynamic table option '${key}' (from SET) is not supported for SELECT (only '${SNAPSHOT_ID_OPTION}' is); RESET it first`);
    }
  }
  return snapshotId;
}
