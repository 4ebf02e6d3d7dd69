/**
 * Time travel: the snapshot a read at a snapshot id, a timestamp or a tag resolves to, as Java's
 * `TimeTravelUtil.tryTravelToSnapshot` resolves `scan.snapshot-id`, `scan.timestamp-millis` /
 * `scan.timestamp`, `scan.tag-name` and `scan.version`.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/snapshot/TimeTravelUtil.java
 * with `StaticFromSnapshotStartingScanner`, `StaticFromTimestampStartingScanner`
 * (`SnapshotManager.earlierOrEqualTimeMills`: binary search over [earliest, latest] for the
 * newest snapshot committed at or before the timestamp, an exact match ending the search) and
 * `StaticFromTagStartingScanner` (the tag's snapshot, `trimToSnapshot`).
 * Beyond Java, and never changing an answer Java gives: a snapshot id whose snapshot has expired
 * but that a tag keeps resolves to the tag's copy (the same manifests, so the same rows; Java
 * fails); a timestamp before the earliest snapshot resolves to the newest tagged snapshot at or
 * before it when the snapshot right after that tag is still known (the earliest snapshot or
 * another tag) and committed after the timestamp, so no expired snapshot can lie in between.
 * Otherwise those cases fail as Java fails, with LakeError("not_found") naming what exists.
 *
 * Invariants: only reads. Imports: errors.ts, io types, spec (snapshot, core_options,
 * java_timestamp_parse), table (snapshot_manager, tag_manager).
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { optionRaw } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import { parseTimestampText } from "../spec/java_timestamp_parse.ts";
import type { Snapshot, Tag } from "../spec/snapshot.ts";
import { earliestExistingSnapshot, earliestSnapshotId, latestSnapshotId, readSnapshot } from "./snapshot_manager.ts";
import { findSnapshotOrTag, listTags, readTag, taggedSnapshots, trimToSnapshot } from "./tag_manager.ts";

const NOUN = "time travel";

/** Where a read travels to: exactly one of the fields. */
export interface TimeTravelSpec {
  readonly snapshotId?: bigint | number;
  /** Epoch milliseconds: the newest snapshot committed at or before it. */
  readonly timestampMs?: bigint | number;
  readonly tag?: string;
}



function toBigInt(value: bigint | number, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new LakeError("invalid_argument", `${NOUN}: ${what} ${value} is not an integer`);
  return BigInt(value);
}

async function tagIdsText(store: ObjectStore): Promise<string> {
  const tags = await listTags(store);
  return tags.length === 0 ? "no tags" : `tags: ${tags.map((t) => `${t.name} (snapshot ${t.tag.id})`).join(", ")}`;
}

/** The snapshot `id`, or the tag copy of it; LakeError("not_found") naming what exists. */
async function travelToId(store: ObjectStore, id: bigint): Promise<Snapshot> {
  if (id < 1n) throw new LakeError("invalid_argument", `${NOUN}: snapshot id ${id} is not a positive integer`);
  const found = await findSnapshotOrTag(store, id);
  if (found !== null) return found;
  const earliest = await earliestSnapshotId(store), latest = await latestSnapshotId(store);
  if (earliest === null || latest === null) throw new LakeError("not_found", `${NOUN}: There is currently no snapshot (snapshot ${id} asked; ${await tagIdsText(store)}).`);
  throw new LakeError("not_found", `${NOUN}: snapshot ${id} does not exist: the available snapshot ids are [${earliest}, ${latest}] (${await tagIdsText(store)}); it expired or was never committed`);
}

/**
 * Java `SnapshotManager.earlierOrEqualTimeMills`: the newest snapshot present with
 * `timeMillis <= timestampMs`, or null when none (or the table is empty).
 */
export async function earlierOrEqualTimeMillis(store: ObjectStore, timestampMs: bigint): Promise<Snapshot | null> {
  let latest = await latestSnapshotId(store);
  if (latest === null) return null;
  const earliestSnapshot = await earliestExistingSnapshot(store, NOUN);
  if (earliestSnapshot === null || earliestSnapshot.timeMillis > timestampMs) return null;
  let earliest = earliestSnapshot.id;
  let found: Snapshot | null = null;
  while (earliest <= latest) {
    const mid: bigint = earliest + (latest - earliest) / 2n;
    const s = await readSnapshot(store, mid);
    if (s.timeMillis > timestampMs) latest = mid - 1n;
    else if (s.timeMillis < timestampMs) {
      earliest = mid + 1n;
      found = s;
    } else {
      found = s;
      break;
    }
  }
  return found;
}

async function travelToTimestamp(store: ObjectStore, timestampMs: bigint): Promise<Snapshot> {
  const hit = await earlierOrEqualTimeMillis(store, timestampMs);
  if (hit !== null) return hit;
  const earliest = await earliestExistingSnapshot(store, NOUN);
  // Before the earliest snapshot: a tag answers only when nothing expired can lie between it
  // and the timestamp (see the file header).
  const tags = (await taggedSnapshots(store)).filter((t) => earliest === null || t.id < earliest.id);
  let candidate: Tag | null = null;
  for (const t of tags) if (t.timeMillis <= timestampMs && (candidate === null || t.id > candidate.id)) candidate = t;
  if (candidate !== null) {
    const nextId = candidate.id + 1n;
    const next: Snapshot | null = tags.find((t) => t.id === nextId) ?? (earliest !== null && earliest.id === nextId ? earliest : null);
    if (next !== null && next.timeMillis > timestampMs) return trimToSnapshot(candidate);
  }
  const earliestText = earliest === null ? "null" : String(earliest.timeMillis);
  const tagNote = candidate === null ? "" : `; tag of snapshot ${candidate.id} is older, but snapshot ${candidate.id + 1n} expired, so the snapshot current at that time is unknown`;
  throw new LakeError("not_found", `${NOUN}: There is currently no snapshot earlier than or equal to timestamp [${timestampMs}], the earliest snapshot's timestamp is [${earliestText}]${tagNote}`);
}

async function travelToTag(store: ObjectStore, name: string): Promise<Snapshot> {
  if (name.trim().length === 0) throw new LakeError("invalid_argument", `${NOUN}: Tag name shouldn't be blank.`);
  const tag = await readTag(store, name);
  if (tag === null) throw new LakeError("not_found", `${NOUN}: Tag '${name}' doesn't exist (${await tagIdsText(store)}).`);
  return trimToSnapshot(tag);
}

/**
 * Resolves a time-travel read to its snapshot (see the file header). Exactly one of
 * `snapshotId`, `timestampMs`, `tag` must be given (LakeError("invalid_argument") otherwise).
 * Throws LakeError("not_found") naming the available snapshots and tags when nothing matches.
 */
export async function resolveTimeTravel(store: ObjectStore, spec: TimeTravelSpec): Promise<Snapshot> {
  const given = (["snapshotId", "timestampMs", "tag"] as const).filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (given.length !== 1) {
    throw new LakeError("invalid_argument", `${NOUN}: exactly one of snapshotId, timestampMs and tag must be set, got ${given.length === 0 ? "none" : given.join(", ")}`);
  }
  if (spec.snapshotId !== undefined) return travelToId(store, toBigInt(spec.snapshotId, "snapshot id"));
  if (spec.timestampMs !== undefined) return travelToTimestamp(store, toBigInt(spec.timestampMs, "timestamp"));
  return travelToTag(store, spec.tag!);
}

/** The local wall time `wallMs` (read as UTC) as an instant in the runtime's zone (Java `TimeZone.getDefault()`). */
function instantOfLocalWall(wallMs: number): number {
  const guess = wallMs + new Date(wallMs).getTimezoneOffset() * 60_000;
  return wallMs + new Date(guess).getTimezoneOffset() * 60_000;
}

/**
 * The time travel that dynamic options ask for (Java's `scan.snapshot-id`, `scan.tag-name`,
 * `scan.timestamp-millis`, `scan.timestamp` in the runtime's zone, `scan.version`: a tag name
 * if such a tag exists, else a snapshot id when all digits), or null when none. `tagExists`
 * answers for `scan.version`. Throws LakeError("invalid_argument") when more than one is set or
 * a value is malformed, ("unsupported") for `scan.watermark` and `watermark-` versions.
 */
export async function timeTravelFromOptions(options: OptionMap, tagExists: (name: string) => Promise<boolean>): Promise<TimeTravelSpec | null> {
  const keys = ["scan.snapshot-id", "scan.tag-name", "scan.watermark", "scan.timestamp", "scan.timestamp-millis"];
  const opts: Record<string, string> = {};
  for (const k of keys) {
    const v = optionRaw(options, k);
    if (v !== null) opts[k] = v;
  }
  const version = optionRaw(options, "scan.version");
  if (version !== null) {
    if (await tagExists(version)) opts["scan.tag-name"] = version;
    else if (version.startsWith("watermark-")) opts["scan.watermark"] = version.slice("watermark-".length);
    else if (/^\d+$/.test(version)) opts["scan.snapshot-id"] = version;
    else throw new LakeError("not_found", `${NOUN}: Cannot find a time travel version for ${version}`);
  }
  const set = Object.keys(opts);
  if (set.length === 0) return null;
  if (set.length > 1) throw new LakeError("invalid_argument", `${NOUN}: Only one of the following parameters may be set : [${keys.join(", ")}], got ${set.join(", ")}`);
  const key = set[0]!, value = opts[key]!;
  const integer = (): bigint => {
    if (!/^-?\d{1,19}$/.test(value.trim())) throw new LakeError("invalid_argument", `${NOUN}: option '${key}' = ${JSON.stringify(value)} is not an integer`);
    return BigInt(value.trim());
  };
  switch (key) {
    case "scan.snapshot-id": return { snapshotId: integer() };
    case "scan.timestamp-millis": return { timestampMs: integer() };
    case "scan.tag-name": return { tag: value };
    case "scan.timestamp": {
      const ts = parseTimestampText(value, 3);
      if (ts === null) throw new LakeError("invalid_argument", `${NOUN}: option 'scan.timestamp' = ${JSON.stringify(value)} is not a timestamp (yyyy-MM-dd HH:mm:ss)`);
      return { timestampMs: BigInt(instantOfLocalWall(ts.epochMillis)) };
    }
    default:
      throw new LakeError("unsupported", `${NOUN}: option '${key}' (time travel to a watermark) is not supported`);
  }
}
