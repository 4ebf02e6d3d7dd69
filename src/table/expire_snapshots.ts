/**
 * Snapshot expiration: removes the oldest snapshots the retention options no longer keep, and
 * every file only they referenced, as Java's `ExpireSnapshotsImpl` does (synchronous execution;
 * the decoupled changelog lifecycle is described below).
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/ExpireSnapshotsImpl.java
 * and the consumer step of `TableCommitImpl.maintain` (consumers idle longer than
 * `consumer.expiration-time` are deleted first, so they stop protecting snapshots).
 *  - Range: with latest L and earliest E, expire [E, end) where end = min(L - min + 1, the
 *    smallest consumer `nextSnapshot`, E + `snapshot.expire.limit`); snapshots before
 *    L - max + 1 go regardless of age; from there a snapshot expires only when its successor is
 *    older than `snapshot.time-retained` (Java master's rule: the next snapshot's `timeMillis`
 *    < now - time-retained), and the first one that is not ends the range.
 *  - Order (each step finishes before the next starts): data files the successors' delta
 *    manifests DELETE and changelog files of the expired snapshots (expire_plan.ts: skipping
 *    files the nearest older tag still lists); manifest files; manifest lists; index files;
 *    index manifests and statistics; then the snapshot files, oldest first; then the EARLIEST
 *    hint. Tags and the first retained snapshot protect their manifests and index files.
 *  - When nothing expires, the EARLIEST hint is written if it is missing or names another id
 *    (Java writes it only when missing; a stale hint left by an interrupted run is fixed here).
 * Crash and failure safety: nothing the retained snapshots or tags reference is ever deleted,
 * so after a crash anywhere the table opens at its latest snapshot and reads correctly. Deletes
 * are idempotent and the planner tolerates files an earlier run already removed, so the next
 * call finishes the job. Unlike Java's `deleteQuietly`, a failed delete stops the run at the end
 * of its step with LakeError("io") before any snapshot file is deleted (a snapshot file goes only
 * after all its files), so a retry re-plans the same range and nothing leaks.
 *
 * Decoupled changelog lifecycle (Java `changelogLifecycleDecoupled`: `changelog.num-retained.max`
 * > `snapshot.num-retained.max`, `changelog.num-retained.min` > `snapshot.num-retained.min` or
 * `changelog.time-retained` > `snapshot.time-retained`; each changelog option defaults to its
 * snapshot one): the plan keeps what the changelogs need (expire_plan.ts `ExpirePlanMode`),
 * each expired snapshot is written as `changelog/changelog-<id>` (+ the changelog LATEST hint)
 * just before its snapshot file is deleted, and changelog expiration (expire_changelog.ts) runs
 * after snapshot expiration in the same call, as Java's post-commit expire runnable does. With
 * `consumer.changelog-only` (only when decoupled, as Java) consumers protect changelogs but not
 * snapshots. When the lifecycle is not decoupled, changelogs an earlier configuration left in
 * `changelog/` are not expired (Java leaves them to its `expire_changelogs` procedure).
 *
 * Not supported (LakeError "unsupported"): `snapshot.expire.execution-mode = async`; files at
 * external paths. Limitation: `snapshot.clean-empty-directories` is not honoured: ObjectStore has
 * no directories (object stores have none to remove; the fs adapters leave empty directories).
 *
 * Imports: errors.ts, io/store.ts types, spec (core options, paths, snapshot, schema),
 * table (snapshot_manager, tag_manager, consumer_manager, changelog_manager, expire_plan,
 * expire_delete, expire_changelog).
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { optionBoolean, optionEnum, optionInt } from "../spec/core_options.ts";
import { ChangelogProducer, type OptionMap } from "../spec/core_options_types.ts";
import { CoreOptions } from "../spec/core_options_view.ts";
import { EARLIEST_HINT, encodeHint, MANIFEST_DIR, parseHint, SNAPSHOT_DIR } from "../spec/paths.ts";
import type { TableSchema } from "../spec/schema.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";
import { writeChangelog } from "./changelog_manager.ts";
import { expireConsumers, minNextSnapshot } from "./consumer_manager.ts";
import { expireChangelogs, type ChangelogExpireConfig } from "./expire_changelog.ts";
import { deleteStep } from "./expire_delete.ts";
import { planExpiration, type ExpirePlan, type ExpirePlanMode } from "./expire_plan.ts";
import { earliestSnapshotId, latestSnapshotId, snapshotPath, tryReadSnapshot } from "./snapshot_manager.ts";
import { taggedSnapshots } from "./tag_manager.ts";

/** Concurrent deletes per step when `file-operation.thread-num` is unset. */
export const DELETE_CONCURRENCY_DEFAULT = 16;
/** Upper bound of concurrent deletes per step, whatever the option says. */
export const DELETE_CONCURRENCY_MAX = 256;

/** Options of `expireSnapshots`. */
export interface ExpireOptions {
  /** Dynamic options laid over the schema's options (retention, limit, ...). */
  readonly options?: OptionMap;
  /** Clock, epoch ms (default Date.now): `snapshot.time-retained` and `consumer.expiration-time`. */
  readonly nowMs?: () => number;
  /**
   * Delete consumers idle longer than `consumer.expiration-time` first, as Java's post-commit
   * maintenance does (default true; Java's stand-alone expire action does not).
   */
  readonly expireConsumers?: boolean;
}

/** What one call did. */
export interface ExpireResult {
  /** Snapshot files deleted. */
  readonly expiredSnapshots: number;
  /** Long-lived changelog files (`changelog/changelog-N`) deleted (0 unless decoupled). */
  readonly expiredChangelogs: number;
  /** Successful deletes of every kind (data, changelog, manifest, index, statistics, snapshot
   * files); a file an interrupted earlier run already removed counts again. */
  readonly deletedFiles: number;
}

/** The retention settings one call uses. */
interface ExpireConfig {
  readonly retainMin: bigint;
  readonly retainMax: bigint;
  readonly timeRetainedMs: number;
  readonly limit: bigint;
  readonly consumerExpirationMs: number | null;
  readonly concurrency: number;
  /** How the plan treats changelogs (decoupled lifecycle, producer). */
  readonly mode: ExpirePlanMode;
  /** Changelog retention; null unless the lifecycle is decoupled. */
  readonly changelog: ChangelogExpireConfig | null;
  /** `consumer.changelog-only` (decoupled only): consumers do not protect snapshots. */
  readonly consumerChangelogOnly: boolean;
}

const NOUN = "expire";
const NOTHING: ExpireResult = { expiredSnapshots: 0, expiredChangelogs: 0, deletedFiles: 0 };

/** Reads and checks the retention options. Throws invalid_argument / unsupported. */
function expireConfig(options: OptionMap): ExpireConfig {
  const core = new CoreOptions(options);
  const mode = optionEnum(options, "snapshot.expire.execution-mode");
  if (mode !== "sync") {
    throw new LakeError("unsupported", `${NOUN}: 'snapshot.expire.execution-mode' = ${mode} is not supported; only sync expiration is`);
  }
  const retainMin = core.snapshotRetainedCountMin, retainMax = core.snapshotRetainedCountMax;
  if (retainMin < 1) throw new LakeError("invalid_argument", `${NOUN}: 'snapshot.num-retained.min' = ${retainMin} should be at least 1`);
  if (retainMax < retainMin) {
    throw new LakeError("invalid_argument", `${NOUN}: 'snapshot.num-retained.max' = ${retainMax} must not be less than 'snapshot.num-retained.min' = ${retainMin}`);
  }
  const timeRetainedMs = core.snapshotTimeRetainedMs;
  const clMin = core.changelogRetainedCountMin, clMax = core.changelogRetainedCountMax, clTimeMs = core.changelogTimeRetainedMs;
  const decoupled = clMax > retainMax || clMin > retainMin || clTimeMs > timeRetainedMs;
  const threads = optionInt(options, "file-operation.thread-num");
  if (threads !== null && threads < 1) throw new LakeError("invalid_argument", `${NOUN}: 'file-operation.thread-num' = ${threads} must be at least 1`);
  // Read (and so validate) the option even though directories are not removed (see header).
  optionBoolean(options, "snapshot.clean-empty-directories");
  const concurrency = Math.min(threads ?? DELETE_CONCURRENCY_DEFAULT, DELETE_CONCURRENCY_MAX);
  const limit = BigInt(core.snapshotExpireCountMax);
  let changelog: ChangelogExpireConfig | null = null;
  if (decoupled) {
    if (clMin < 1) throw new LakeError("invalid_argument", `${NOUN}: 'changelog.num-retained.min' = ${clMin} should be at least 1`);
    if (clMax < clMin) {
      throw new LakeError("invalid_argument", `${NOUN}: 'changelog.num-retained.max' = ${clMax} must not be less than 'changelog.num-retained.min' = ${clMin}`);
    }
    changelog = { retainMin: BigInt(clMin), retainMax: BigInt(clMax), timeRetainedMs: clTimeMs, limit, concurrency };
  }
  return {
    retainMin: BigInt(retainMin),
    retainMax: BigInt(retainMax),
    timeRetainedMs,
    limit,
    consumerExpirationMs: core.consumerExpirationTimeMs,
    concurrency,
    mode: { decoupled, produceChangelog: core.changelogProducer !== ChangelogProducer.NONE },
    changelog,
    consumerChangelogOnly: decoupled && optionBoolean(options, "consumer.changelog-only") === true,
  };
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}


/**
 * Expires snapshots of the table rooted at `store` by its retention options (see the file
 * header). `schema` is the table's latest schema (partition paths, options).
 * Throws LakeError("io") when a delete failed (the table stays consistent; call again),
 * ("invalid_argument") for bad retention options, ("unsupported") as listed in the header.
 */
export async function expireSnapshots(store: ObjectStore, schema: TableSchema, opts: ExpireOptions = {}): Promise<ExpireResult> {
  const options: OptionMap = { ...schema.options, ...opts.options };
  const config = expireConfig(options);
  const nowMs = (opts.nowMs ?? Date.now)();
  if (config.consumerExpirationMs !== null && opts.expireConsumers !== false) {
    await expireConsumers(store, nowMs - config.consumerExpirationMs);
  }
  const snapshots = await expireSnapshotRange(store, schema, config, nowMs);
  if (config.changelog === null) return snapshots;
  // Java's expire runnable: snapshot expiration, then changelog expiration when decoupled.
  const changelogs = await expireChangelogs(store, schema, config.changelog, nowMs);
  return {
    expiredSnapshots: snapshots.expiredSnapshots,
    expiredChangelogs: changelogs.expiredChangelogs,
    deletedFiles: snapshots.deletedFiles + changelogs.deletedFiles,
  };
}

/** Java `ExpireSnapshotsImpl.expire`: picks the range of snapshots to expire and expires it. */
async function expireSnapshotRange(store: ObjectStore, schema: TableSchema, config: ExpireConfig, nowMs: number): Promise<ExpireResult> {
  const latest = await latestSnapshotId(store);
  if (latest === null) return NOTHING;
  const earliest = await earliestSnapshotId(store);
  if (earliest === null) return NOTHING;

  // Keep at most `max` snapshots, at least `min`; consumers keep what they will read next.
  const min = latest - config.retainMax + 1n > earliest ? latest - config.retainMax + 1n : earliest;
  let maxExclusive = latest - config.retainMin + 1n;
  if (!config.consumerChangelogOnly) {
    const consumerNext = await minNextSnapshot(store);
    if (consumerNext !== null) maxExclusive = minBig(maxExclusive, consumerNext);
  }
  maxExclusive = minBig(maxExclusive, earliest + config.limit);

  const olderThanMs = BigInt(nowMs) - BigInt(config.timeRetainedMs);
  for (let id = min; id < maxExclusive; id++) {
    // A snapshot expires only when its successor has been alive longer than time-retained.
    const next = await tryReadSnapshot(store, id + 1n);
    if (next !== null && olderThanMs <= next.timeMillis) return expireUntil(store, schema, config, earliest, id);
  }
  return expireUntil(store, schema, config, earliest, maxExclusive);
}

/** Expires [earliest, endExclusive) (Java `expireUntil`). */
async function expireUntil(
  store: ObjectStore, schema: TableSchema, config: ExpireConfig, earliest: bigint, endExclusive: bigint,
): Promise<ExpireResult> {
  if (endExclusive <= earliest) {
    // Nothing to expire: make sure the EARLIEST hint is right for the next reader.
    if ((await readEarliestHint(store)) !== earliest) await writeEarliestHint(store, earliest);
    return NOTHING;
  }
  const ids: bigint[] = [];
  for (let id = earliest; id <= endExclusive; id++) ids.push(id);
  const snapshots = (await Promise.all(ids.map((id) => tryReadSnapshot(store, id)))).filter((s): s is Snapshot => s !== null);
  // The end snapshot gone means another job expired concurrently: leave the work to it.
  if (snapshots.length === 0 || snapshots[snapshots.length - 1]!.id !== endExclusive) return NOTHING;
  const expired = snapshots.slice(0, -1);

  const plan = await planExpiration(store, schema, snapshots, await taggedSnapshots(store), config.mode);
  let deleted = 0;
  for (const [what, paths] of planSteps(plan)) deleted += await deleteStep(store, NOUN, what, paths, config.concurrency);

  let expiredCount = 0;
  for (const s of expired) {
    // Decoupled: the changelog exists before the snapshot goes, so readers never miss the id.
    if (config.mode.decoupled) await writeChangelog(store, s);
    try {
      await store.delete(snapshotPath(s.id));
    } catch (error) {
      throw new LakeError("io", `${NOUN}: deleting ${snapshotPath(s.id)} failed after ${expiredCount} of ${expired.length} snapshot files: ${(error as Error).message}; the next expire call finishes the job`, { cause: error });
    }
    expiredCount++;
    deleted++;
  }
  await writeEarliestHint(store, endExclusive);
  return { expiredSnapshots: expiredCount, expiredChangelogs: 0, deletedFiles: deleted };
}

/** The delete steps of a plan, in order, as (description, paths). */
function planSteps(plan: ExpirePlan): [string, readonly string[]][] {
  const inManifestDir = (names: readonly string[]) => names.map((n) => `${MANIFEST_DIR}/${n}`);
  return [
    ["data and changelog file", plan.dataFiles],
    ["manifest file", inManifestDir(plan.manifests)],
    ["manifest list", inManifestDir(plan.manifestLists)],
    ["index file", plan.indexFiles],
    ["index manifest and statistics file", [...inManifestDir(plan.indexManifests), ...plan.statistics]],
  ];
}

async function readEarliestHint(store: ObjectStore): Promise<bigint | null> {
  try {
    return parseHint(utf8Decode(await store.get(`${SNAPSHOT_DIR}/${EARLIEST_HINT}`)));
  } catch (error) {
    if (error instanceof LakeError) return null;
    throw error;
  }
}

/** Writes the EARLIEST hint, best effort (readers verify it; Java `commitEarliestHint`). */
async function writeEarliestHint(store: ObjectStore, id: bigint): Promise<void> {
  try {
    await store.put(`${SNAPSHOT_DIR}/${EARLIEST_HINT}`, utf8Encode(encodeHint(id)));
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
  }
}
