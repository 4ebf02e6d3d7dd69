/**
 * `lakestate tag <table-dir> list|create|delete|rename ...`: a table's tags, stored as Java
 * stores them (table/tag_manager.ts).
 *
 * Contract:
 *  - `list`: one row per tag, ordered by snapshot id then name, with Java `TagsTable`'s columns
 *    tag_name, snapshot_id, schema_id, commit_time, record_count, create_time, time_retained
 *    (no `branches`: lakestate reads the main branch only);
 *  - `create NAME [--snapshot N] [--time-retained D]`: tags snapshot N (default the latest);
 *  - `delete NAME`: deletes the tag and the files only it kept alive;
 *  - `rename NAME NEW`.
 * Errors: a missing tag or snapshot, or an existing name, is exit 1 naming it; usage errors 2.
 * Imports: api/text_output.ts, spec, table/tag_manager.ts, cli helpers.
 * Mirrors Java's tag procedures (`create_tag`, `delete_tag`, `rename_tag`) and the `$tags`
 * system table: https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/system/TagsTable.java
 */
import { formatTextTable } from "../api/text_output.ts";
import { LakeError } from "../errors.ts";
import { parseDurationMs } from "../spec/core_options.ts";
import { atomic, type DataField, TYPE_LENGTH_MAX } from "../spec/data_types.ts";
import { timestamp, type Row } from "../spec/values.ts";
import { createTag, deleteTag, listTags, renameTag } from "../table/tag_manager.ts";
import { type CliHost, type CommandSpec, openCliTable, type ParsedArgs, snapshotFlag, UsageError } from "./cli_args.ts";
import { localWallTime } from "./system_tables.ts";

const STRING = atomic("VARCHAR", { length: TYPE_LENGTH_MAX });

/** `tag list` columns (Java TagsTable without `branches`). */
export const TAGS_FIELDS: readonly DataField[] = [
  { id: 0, name: "tag_name", type: atomic("VARCHAR", { nullable: false, length: TYPE_LENGTH_MAX }) },
  { id: 1, name: "snapshot_id", type: atomic("BIGINT", { nullable: false }) },
  { id: 2, name: "schema_id", type: atomic("BIGINT", { nullable: false }) },
  { id: 3, name: "commit_time", type: atomic("TIMESTAMP", { nullable: false, precision: 3 }) },
  { id: 4, name: "record_count", type: atomic("BIGINT") },
  { id: 5, name: "create_time", type: atomic("TIMESTAMP", { precision: 3 }) },
  { id: 6, name: "time_retained", type: STRING },
];

/** The `tag` command. */
export const TAG_COMMAND: CommandSpec = {
  name: "tag",
  summary: "List, create, delete or rename tags (snapshots kept for time travel).",
  synopsis: "lakestate tag <table-dir> list | create NAME [--snapshot N] [--time-retained D] | delete NAME | rename NAME NEW",
  help: `Manage a Paimon table's tags (tag/tag-<name>, as Java writes them).
  list                  the tags with their snapshot, commit time, record count and retention
  create NAME           tag the latest snapshot (or --snapshot N; an expired but tagged one works)
    --snapshot N        the snapshot to tag
    --time-retained D   a retention such as '7 d' (default: tag.default-time-retained)
  delete NAME           delete the tag, and the files only it kept alive
  rename NAME NEW       give the tag another name`,
  flags: { snapshot: "value", "time-retained": "value" },
  run: runTag,
};

/** Java `Duration.toString()` of whole milliseconds (`PT1H`, `PT36H30M`, `PT0.5S`). */
function durationText(seconds: bigint, nanos: number): string {
  if (seconds === 0n && nanos === 0) return "PT0S";
  const h = seconds / 3600n, m = (seconds % 3600n) / 60n, s = seconds % 60n;
  let out = "PT";
  if (h !== 0n) out += `${h}H`;
  if (m !== 0n) out += `${m}M`;
  if (s !== 0n || nanos !== 0) out += nanos === 0 ? `${s}S` : `${s}.${String(nanos).padStart(9, "0").replace(/0+$/, "")}S`;
  return out;
}

async function runTag(args: ParsedArgs, host: CliHost): Promise<void> {
  const [dir, action, name, extra, more] = args.positional;
  if (dir === undefined) throw new UsageError("tag needs a table directory", TAG_COMMAND);
  const arity: Record<string, number> = { list: 0, create: 1, delete: 1, rename: 2 };
  if (action === undefined || !Object.hasOwn(arity, action)) {
    throw new UsageError(`tag needs an action: list, create, delete or rename${action === undefined ? "" : `, got ${JSON.stringify(action)}`}`, TAG_COMMAND);
  }
  const given = [name, extra, more].filter((x) => x !== undefined).length;
  if (given !== arity[action]) throw new UsageError(`tag ${action} takes ${arity[action]} name(s), got ${given}`, TAG_COMMAND);
  if (action !== "create" && (args.flags.has("snapshot") || args.flags.has("time-retained"))) {
    throw new UsageError(`--snapshot and --time-retained apply to 'tag create' only`, TAG_COMMAND);
  }
  const table = await openCliTable(host, dir);
  switch (action) {
    case "list": {
      const rows: Row[] = (await listTags(table.store)).map(({ name: n, tag }) => [
        n, tag.id, tag.schemaId, localWallTime(tag.timeMillis), tag.totalRecordCount,
        tag.tagCreateTime === null ? null : timestamp(Date.parse(`${tag.tagCreateTime}Z`)),
        tag.tagTimeRetained === null ? null : durationText(tag.tagTimeRetained.seconds, tag.tagTimeRetained.nanos),
      ]);
      await host.stdout(rows.length === 0 ? "no tags\n" : formatTextTable(TAGS_FIELDS, rows));
      return;
    }
    case "create": {
      const raw = args.flags.get("time-retained");
      let timeRetainedMs: number | undefined;
      if (raw !== undefined) {
        try {
          timeRetainedMs = parseDurationMs("--time-retained", raw === true ? "" : raw);
        } catch (error) {
          if (error instanceof LakeError) throw new UsageError(`--time-retained expects a duration such as '7 d', got ${JSON.stringify(raw)}`, TAG_COMMAND);
          throw error;
        }
      }
      const snapshotId = snapshotFlag(args, TAG_COMMAND);
      const tag = await createTag(table.store, name!, {
        options: table.schema.options,
        ...(snapshotId === undefined ? {} : { snapshotId }),
        ...(timeRetainedMs === undefined ? {} : { timeRetainedMs }),
      });
      await host.stdout(`created tag ${name} of snapshot ${tag.id}\n`);
      return;
    }
    case "delete": {
      const result = await deleteTag(table.store, name!, { schema: table.schema });
      if (!result.deleted) throw new LakeError("not_found", `tag: Tag '${name}' doesn't exist.`);
      let text = `deleted tag ${name}`;
      if (result.deletedFiles > 0) text += `, and ${result.deletedFiles} files only it kept`;
      await host.stdout(text + "\n");
      for (const w of result.warnings) host.stderr(`lakestate: warning: ${w}\n`);
      if (result.failedPaths.length > 0) host.stderr(`lakestate: warning: ${result.failedPaths.length} files could not be deleted and are orphans now (first: ${result.failedPaths[0]})\n`);
      return;
    }
    case "rename":
      await renameTag(table.store, name!, extra!);
      await host.stdout(`renamed tag ${name} to ${extra}\n`);
  }
}
