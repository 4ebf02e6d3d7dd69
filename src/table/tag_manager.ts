/**
 * A table's tags (`tag/tag-<name>`): list and read them, create, rename and delete them, and
 * expire tags past their retention, as Java's `TagManager` and `TagTimeExpire` do (main branch).
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/TagManager.java
 * and `AbstractFileStoreTable.createTag/findSnapshot`, `TagTimeExpire`:
 *  - reading: a tag is every object directly in `tag/` whose name starts with `tag-`; a tag file
 *    that vanishes between listing and reading is skipped, as Java skips it; tags of the same
 *    snapshot collapse to one entry in `taggedSnapshots` (Java keys a TreeMap by snapshot id);
 *  - create: the tag file is the snapshot's JSON as Java's current `Snapshot.toJson` writes it
 *    (explicit nulls and `logOffsets` of old layouts dropped); with a retention (the argument,
 *    else `tag.default-time-retained`) it also carries `tagCreateTime` (the local wall clock, as
 *    `LocalDateTime.now()`) and `tagTimeRetained` (Jackson's seconds text, e.g. `86400.000000000`).
 *    The snapshot is read from `snapshot/`, else from a tag of the same id (an expired but tagged
 *    snapshot). Unlike Java's exists-then-overwrite, creation is one putIfAbsent, so two creators
 *    of one name cannot overwrite each other;
 *  - delete: the tag file goes first; then, when its snapshot has expired and no other tag names
 *    it, the files only it kept alive (tag_deletion.ts). A crash between the two leaves orphan
 *    files (never a table that misses files); Java behaves the same;
 *  - rename: putIfAbsent of the new name with the same bytes, then delete of the old name (a
 *    crash between leaves both names on one snapshot, which protects the same files);
 *  - tag.automatic-creation (tags made by writers) is not implemented here.
 *
 * Imports: errors.ts, io/store.ts types, spec (snapshot, paths, core_options,
 * java_local_date_time), util/bytes.ts, table (snapshot_manager, schema_manager, tag_deletion).
 */
import { isLakeError, LakeError } from "../errors.ts";
import { getIfExists, type ObjectStore } from "../io/store.ts";
import { optionDurationMs, optionInt } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import { localDateTimeFromMillis, localDateTimeString } from "../spec/java_local_date_time.ts";
import { parseTagFileName, TAG_DIR, tagFileName } from "../spec/paths.ts";
import type { TableSchema } from "../spec/schema.ts";
import { decodeTag, encodeSnapshot, encodeTag, type JavaDuration, type Snapshot, type Tag } from "../spec/snapshot.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { latestSchema } from "./schema_manager.ts";
import { earliestExistingSnapshot, latestSnapshot, snapshotPath, tryReadSnapshot } from "./snapshot_manager.ts";
import { executeTagDeletion, planTagDeletion, tagSkippingSnapshots } from "./tag_deletion.ts";

/** One tag with its name. */
export interface NamedTag {
  readonly name: string;
  readonly tag: Tag;
}

/** Path of `tag-<name>` relative to the table root. */
export function tagPath(tagName: string): string {
  return `${TAG_DIR}/${tagFileName(tagName)}`;
}

/** Names of every tag file, sorted by path. */
export async function listTagNames(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for (const e of await store.list(`${TAG_DIR}/`)) {
    const name = e.path.slice(TAG_DIR.length + 1);
    if (name.includes("/")) continue;
    const tag = parseTagFileName(name);
    if (tag !== null) out.push(tag);
  }
  return out;
}

/**
 * Reads one tag, or null when its file does not exist.
 * Throws LakeError("corruption") naming the file when it does not decode.
 */
export async function readTag(store: ObjectStore, tagName: string): Promise<Tag | null> {
  const path = tagPath(tagName);
  const bytes = await getIfExists(store, path);
  if (bytes === null) return null;
  try {
    return decodeTag(utf8Decode(bytes));
  } catch (error) {
    throw new LakeError("corruption", `tag: ${path} is unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/** Every tag, sorted by snapshot id, then name. */
export async function listTags(store: ObjectStore): Promise<NamedTag[]> {
  const names = await listTagNames(store);
  const tags = await Promise.all(names.map((n) => readTag(store, n)));
  const out: NamedTag[] = [];
  names.forEach((name, i) => {
    const tag = tags[i];
    if (tag !== null && tag !== undefined) out.push({ name, tag });
  });
  return out.sort((a, b) => (a.tag.id < b.tag.id ? -1 : a.tag.id > b.tag.id ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The tagged snapshots, ascending by id, one per snapshot id (Java `taggedSnapshots`). */
export async function taggedSnapshots(store: ObjectStore): Promise<Tag[]> {
  const out: Tag[] = [];
  for (const { tag } of await listTags(store)) {
    if (out.length === 0 || out[out.length - 1]!.id !== tag.id) out.push(tag);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

const NOUN = "tag";
/** Concurrent deletes when a deleted tag's files are cleaned and `file-operation.thread-num` is unset. */
const TAG_DELETE_CONCURRENCY_DEFAULT = 16;

/** The snapshot part of a tag (Java `Tag.trimToSnapshot`). */
export function trimToSnapshot(tag: Tag): Snapshot {
  const { tagCreateTime: _created, tagTimeRetained: _retained, ...snapshot } = tag;
  return snapshot;
}

/** Java `StringUtils.isNullOrWhitespaceOnly` check plus what a file name can hold. */
function checkTagName(name: string, what = "Tag name"): void {
  if (typeof name !== "string" || name.trim().length === 0) throw new LakeError("invalid_argument", `${NOUN}: ${what} shouldn't be blank.`);
  if (name.includes("/")) throw new LakeError("invalid_argument", `${NOUN}: ${what} ${JSON.stringify(name)} must not contain '/'`);
}

/** The local wall clock of instant `ms` read as UTC (Java `LocalDateTime.now()`). */
function localWallMs(ms: number): number {
  return ms - new Date(ms).getTimezoneOffset() * 60_000;
}

/** Java `Duration.ofMillis(ms)` as seconds and nanos. */
function durationOfMs(ms: number): JavaDuration {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

function durationMs(d: JavaDuration): number {
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}


/**
 * Snapshot `id` from `snapshot/`, else from a tag of that id (Java `findSnapshot`), else null.
 */
export async function findSnapshotOrTag(store: ObjectStore, id: bigint): Promise<Snapshot | null> {
  const snapshot = await tryReadSnapshot(store, id);
  if (snapshot !== null) return snapshot;
  const tag = (await listTags(store)).find((t) => t.tag.id === id);
  return tag === undefined ? null : trimToSnapshot(tag.tag);
}

/** Options of `createTag`. */
export interface CreateTagOptions {
  /** Snapshot to tag; default the latest. */
  readonly snapshotId?: bigint;
  /** Retention in ms; default `tag.default-time-retained` (none when unset). */
  readonly timeRetainedMs?: number;
  /** Table options (default: the latest schema's); only `tag.default-time-retained` is read. */
  readonly options?: OptionMap;
  /** Clock, epoch ms (default Date.now): `tagCreateTime`. */
  readonly nowMs?: () => number;
  /** Return the existing tag instead of failing when the name is taken. */
  readonly ignoreIfExists?: boolean;
}

/** The exact bytes Java writes for a tag of `snapshot` (see the file header). */
export function tagFileText(snapshot: Snapshot, opts: { readonly retainedMs: number | null; readonly nowMs: number }): string {
  const { retainedMs, nowMs } = opts;
  const current: Snapshot = { ...snapshot, logOffsets: null, explicitNullKeys: [] };
  if (retainedMs === null) return encodeSnapshot(current);
  const created = localDateTimeString(localDateTimeFromMillis(localWallMs(nowMs)));
  return encodeTag({ ...current, tagCreateTime: created, tagTimeRetained: durationOfMs(retainedMs) });
}

/**
 * Creates tag `name` (see the file header) and returns it as read back. Throws
 * LakeError("invalid_argument") for a blank name or a negative retention, ("not_found") when the
 * snapshot does not exist, ("conflict") when the tag exists (unless `ignoreIfExists`).
 */
export async function createTag(store: ObjectStore, name: string, opts: CreateTagOptions = {}): Promise<Tag> {
  checkTagName(name);
  let snapshot: Snapshot | null;
  if (opts.snapshotId === undefined) {
    snapshot = await latestSnapshot(store);
    if (snapshot === null) throw new LakeError("not_found", `${NOUN}: Cannot create tag because latest snapshot doesn't exist.`);
  } else {
    snapshot = await findSnapshotOrTag(store, opts.snapshotId);
    if (snapshot === null) throw new LakeError("not_found", `${NOUN}: Cannot create tag because given snapshot #${opts.snapshotId} doesn't exist.`);
  }
  let retainedMs: number | null = opts.timeRetainedMs ?? null;
  if (opts.timeRetainedMs === undefined) retainedMs = optionDurationMs(opts.options ?? (await latestSchema(store)).options, "tag.default-time-retained");
  if (retainedMs !== null && (!Number.isFinite(retainedMs) || retainedMs < 0)) {
    throw new LakeError("invalid_argument", `${NOUN}: time retained ${retainedMs} ms must be a non-negative number of milliseconds`);
  }
  const text = tagFileText(snapshot, { retainedMs, nowMs: (opts.nowMs ?? Date.now)() });
  if (!(await store.putIfAbsent(tagPath(name), utf8Encode(text)))) {
    const existing = await readTag(store, name);
    if (opts.ignoreIfExists === true && existing !== null) return existing;
    throw new LakeError("conflict", `${NOUN}: Tag '${name}' already exists.`);
  }
  return decodeTag(text);
}

/** Renames tag `from` to `to`. LakeError("not_found") / ("conflict") as Java's checks. */
export async function renameTag(store: ObjectStore, from: string, to: string): Promise<void> {
  checkTagName(from, "Original tag name");
  checkTagName(to, "New tag name");
  let bytes: Uint8Array;
  try {
    bytes = await store.get(tagPath(from));
  } catch (error) {
    if (isLakeError(error, "not_found")) throw new LakeError("not_found", `${NOUN}: Tag '${from}' doesn't exist.`, { cause: error });
    throw error;
  }
  if (!(await store.putIfAbsent(tagPath(to), bytes))) throw new LakeError("conflict", `${NOUN}: Tag '${to}' already exists.`);
  await store.delete(tagPath(from));
}

/** What `deleteTag` did. */
export interface DeleteTagResult {
  /** False when the tag did not exist (Java warns and does nothing). */
  readonly deleted: boolean;
  /** Files deleted besides the tag file (those only this tag kept alive). */
  readonly deletedFiles: number;
  /** Files whose delete failed: orphans now (nothing references them). */
  readonly failedPaths: readonly string[];
  /** Cleaning steps skipped because a skipping set could not be read (Java logs these). */
  readonly warnings: readonly string[];
}

/** Options of `deleteTag`. */
export interface DeleteTagOptions {
  /** The table's latest schema (default: read from the store); paths and options. */
  readonly schema?: TableSchema;
}


/**
 * Deletes tag `name` and, when its snapshot has expired and no other tag names that snapshot,
 * the files only it kept alive (see the file header and tag_deletion.ts). The plan is made
 * before the tag file is deleted, so an unsupported table changes nothing. Throws
 * LakeError("invalid_argument") for a blank name, ("unsupported") for files at external paths,
 * ("io") when reading or deleting the tag file fails.
 */
export async function deleteTag(store: ObjectStore, name: string, opts: DeleteTagOptions = {}): Promise<DeleteTagResult> {
  checkTagName(name);
  const tag = await readTag(store, name);
  const none = { deletedFiles: 0, failedPaths: [], warnings: [] };
  if (tag === null) return { deleted: false, ...none };
  if ((await store.stat(snapshotPath(tag.id))) !== null) {
    // The snapshot still exists: snapshot expiration owns its files.
    await store.delete(tagPath(name));
    return { deleted: true, ...none };
  }
  const all = await listTags(store);
  if (all.filter((t) => t.tag.id === tag.id).length > 1) {
    await store.delete(tagPath(name));
    return { deleted: true, ...none };
  }
  const schema = opts.schema ?? await latestSchema(store);
  const tagged = await taggedSnapshots(store);
  const skipping = tagSkippingSnapshots(trimToSnapshot(tag), { tags: tagged, earliest: await earliestExistingSnapshot(store, NOUN) });
  const plan = await planTagDeletion(store, { schema, tagged: trimToSnapshot(tag), skipping });
  await store.delete(tagPath(name));
  const threads = optionInt(schema.options, "file-operation.thread-num");
  const done = await executeTagDeletion(store, plan, { concurrency: threads ?? TAG_DELETE_CONCURRENCY_DEFAULT });
  return { deleted: true, deletedFiles: done.deletedFiles, failedPaths: done.failedPaths, warnings: plan.warnings };
}

/** Options of `expireTags`. */
export interface ExpireTagsOptions {
  /** Clock, epoch ms (default Date.now). */
  readonly nowMs?: () => number;
  /** Also delete tags created before this instant (epoch ms); tags without a creation time use
   * their file's modification time (Java `withOlderThanTime`). */
  readonly olderThanMs?: number;
  readonly schema?: TableSchema;
}

/**
 * Deletes tags whose retention has passed (`tagCreateTime + tagTimeRetained` before now), and
 * with `olderThanMs` those created before it, as Java's `TagTimeExpire.expire`. Returns the
 * deleted names.
 */
export async function expireTags(store: ObjectStore, opts: ExpireTagsOptions = {}): Promise<string[]> {
  const nowLocal = localWallMs((opts.nowMs ?? Date.now)());
  const olderThanLocal = opts.olderThanMs === undefined ? null : localWallMs(opts.olderThanMs);
  const expired: string[] = [];
  for (const { name, tag } of await listTags(store)) {
    let createdLocal = tag.tagCreateTime === null ? null : Date.parse(`${tag.tagCreateTime}Z`);
    const retained = tag.tagTimeRetained;
    if (createdLocal === null || retained === null) {
      if (olderThanLocal === null) continue;
      if (createdLocal === null) {
        const stat = await store.stat(tagPath(name));
        if (stat === null) continue;
        createdLocal = localWallMs(stat.modifiedMs);
      }
    }
    const reachedRetention = retained !== null && nowLocal > createdLocal + durationMs(retained);
    const older = olderThanLocal !== null && olderThanLocal > createdLocal;
    if (reachedRetention || older) {
      await deleteTag(store, name, opts.schema === undefined ? {} : { schema: opts.schema });
      expired.push(name);
    }
  }
  return expired;
}
