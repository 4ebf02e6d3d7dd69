/**
 * `lakestate schema <table-dir>`: the table's schema: fields with their ids and types, primary
 * and partition keys, options and comment; `--format json` prints the schema file exactly as
 * Java wrote it.
 *
 * Contract: default is the latest schema, `--schema-id N` an older one (schema evolution). The
 * text form lists options sorted by key; options the reader added as compatibility defaults
 * (absent from the file) are marked. The JSON form is the bytes of `schema/schema-N`.
 * Errors: a missing `--schema-id` schema is LakeError("not_found") naming the file (exit 1).
 * Imports: api/text_output.ts, spec, util/bytes.ts, cli helpers.
 * Mirrors the content of Java's `SchemasTable` row for one schema:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/SchemasTable.java
 */
import { formatTextTable } from "../api/text_output.ts";
import { atomic, type DataField, describeType, TYPE_LENGTH_MAX } from "../spec/data_types.ts";
import { formatTimestampText } from "../spec/java_datetime_text.ts";
import { SCHEMA_DIR, schemaFileName } from "../spec/paths.ts";
import type { TableSchema } from "../spec/schema.ts";
import { utf8Decode } from "../util/bytes.ts";
import { type CliHost, type CommandSpec, formatFlag, openCliTable, type ParsedArgs, tableDirArg, UsageError } from "./cli_args.ts";
import { localWallTime } from "./system_tables.ts";

/** Widest type or description cell of the fields table, in terminal columns. */
const SCHEMA_CELL_WIDTH_MAX = 100;

const FIELD_COLUMNS: readonly DataField[] = [
  { id: 0, name: "id", type: atomic("INT", { nullable: false }) },
  { id: 1, name: "name", type: atomic("VARCHAR", { nullable: false, length: TYPE_LENGTH_MAX }) },
  { id: 2, name: "type", type: atomic("VARCHAR", { nullable: false, length: TYPE_LENGTH_MAX }) },
  { id: 3, name: "description", type: atomic("VARCHAR", { length: TYPE_LENGTH_MAX }) },
];

/** The `schema` command. */
export const SCHEMA_COMMAND: CommandSpec = {
  name: "schema",
  summary: "Print the schema: fields with ids and types, keys, options.",
  synopsis: "lakestate schema <table-dir> [--schema-id N] [--format text|json]",
  help: `Print a Paimon table's schema: fields (id, name, type), primary key, partition keys,
options and comment.
  --schema-id N     an older schema of the table (default: the latest)
  --format F        text (default) or json (the schema file as Java wrote it)`,
  flags: { "schema-id": "value", format: "value" },
  run: runSchema,
};

async function runSchema(args: ParsedArgs, host: CliHost): Promise<void> {
  const dir = tableDirArg(args, SCHEMA_COMMAND);
  const format = formatFlag(args, ["text", "json"] as const, "text", SCHEMA_COMMAND);
  const rawId = args.flags.get("schema-id");
  if (rawId !== undefined && (rawId === true || !/^(0|[1-9]\d{0,9})$/.test(rawId))) {
    throw new UsageError(`--schema-id expects a schema id (0, 1, ...), got ${JSON.stringify(rawId)}`, SCHEMA_COMMAND);
  }
  const table = await openCliTable(host, dir);
  const schema = rawId === undefined ? table.schema : await table.schemaById(BigInt(rawId));
  if (format === "json") {
    const path = `${SCHEMA_DIR}/${schemaFileName(schema.id)}`;
    const text = utf8Decode(await table.store.get(path));
    await host.stdout(text.endsWith("\n") ? text : text + "\n");
    return;
  }
  await host.stdout(schemaText(schema, dir, table.schema.id));
}

/** The text form of `schema` (see the header); `latestId` marks whether it is the current one. */
export function schemaText(schema: TableSchema, dir: string, latestId: bigint): string {
  const out: string[] = [];
  const created = schema.timeMillis > 0n ? `, created ${formatTimestampText(localWallTime(schema.timeMillis), 3)}` : "";
  out.push(`schema ${schema.id} of ${dir}${schema.id === latestId ? " (latest)" : ` (latest is ${latestId})`}${created}`);
  out.push(`primary key: ${schema.primaryKeys.length > 0 ? schema.primaryKeys.join(", ") : "none (append table)"}`);
  out.push(`partition keys: ${schema.partitionKeys.length > 0 ? schema.partitionKeys.join(", ") : "none (unpartitioned)"}`);
  out.push("fields:");
  const withDescription = schema.fields.some((f) => f.description !== undefined);
  const columns = withDescription ? FIELD_COLUMNS : FIELD_COLUMNS.slice(0, 3);
  const rows = schema.fields.map((f) => {
    const row = [f.id, f.name, describeType(f.type)];
    return withDescription ? [...row, f.description ?? null] : row;
  });
  out.push(indent(formatTextTable(columns, rows, { widthMax: SCHEMA_CELL_WIDTH_MAX })));
  const keys = Object.keys(schema.options).sort();
  out.push(keys.length === 0 ? "options: none" : "options:");
  for (const k of keys) {
    out.push(`  ${k} = ${schema.options[k]}${schema.defaultedOptionKeys.includes(k) ? "   (not in the file: compatibility default)" : ""}`);
  }
  if (schema.comment !== null) out.push(`comment: ${schema.comment}`);
  return out.join("\n") + "\n";
}

function indent(text: string): string {
  return text.trimEnd().split("\n").map((l) => "  " + l).join("\n");
}
