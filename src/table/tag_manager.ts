/**
 * Reads a table's tags (`tag/tag-<name>`): names, one tag, all tags, and the tagged snapshots
 * sorted by id as snapshot expiration needs them.
 *
 * Mirrors the read side of Java `TagManager` (`tagPaths`, `tags`, `taggedSnapshots`) and
 * `Tag.tryFromPath(...).trimToSnapshot()`, main branch only:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/utils/TagManager.java
 * A tag is every object directly in `tag/` whose name starts with `tag-`; a tag file that
 * vanishes between listing and reading is skipped, as Java skips it.
 *
 * Invariants: only reads; tags of the same snapshot collapse to one entry in
 * `taggedSnapshots` (Java keys a TreeMap by snapshot id).
 *
 * Imports: errors.ts, io/store.ts types, spec (snapshot, paths), util/bytes.ts.
 */
import { isLakeError, LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { parseTagFileName, TAG_DIR, tagFileName } from "../spec/paths.ts";
import { decodeTag, type Tag } from "../spec/snapshot.ts";
import { utf8Decode } from "../util/bytes.ts";

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
  let bytes: Uint8Array;
  try {
    bytes = await store.get(path);
  } catch (error) {
    if (isLakeError(error, "not_found")) return null;
    throw error;
  }
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
