/**
 * Partition expiration: drops whole partitions whose time is older than
 * `partition.expiration-time`, as Java's `NormalPartitionExpire` with its
 * `PartitionExpireStrategy` does, committing each drop as Java's
 * `FileStoreCommitImpl.dropPartitions` commits it.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/NormalPartitionExpire.java
 * and partition/PartitionValuesTimeExpireStrategy.java, partition/PartitionUpdateTimeExpireStrategy.java:
 *  - partitions: the latest snapshot's manifest entries grouped by partition (Java
 *    `readPartitionEntries`: ADD counts +1, DELETE -1, kept when the count is > 0; the last file
 *    creation time is the maximum over all entries of the partition);
 *  - `values-time` (default): a partition expires when now - expiration-time is strictly after
 *    the time its values give (table/partition_time.ts); partitions whose values give no time
 *    are kept and reported in `skipped` (Java logs a warning);
 *  - `update-time`: a partition expires when now - expiration-time is after its last file
 *    creation time; a partition with a file of unknown creation time is kept and reported;
 *  - the expired partitions' values (Java texts, null as `partition.default-name`) are sorted
 *    by their comma-joined text and cut to `partition.expiration-max-num`; they are dropped in
 *    batches of `partition.expiration-batch-size` (default: one batch), each batch ONE OVERWRITE
 *    snapshot that deletes every live file (and index file) of its partitions and adds nothing
 *    (commitChanges with the partitions as the overwrite scope; no operation, as Java's
 *    writer-side expiration). Files are removed later, by snapshot expiration.
 *  - times are local wall-clock times, as Java's `LocalDateTime.now()`: `nowMs` is read in the
 *    runtime's time zone (file creation times are stored that way by writers).
 * The writer side (`PartitionExpireChecker`) checks at most once per
 * `partition.expiration-check-interval` (the first check is due at a random point of the first
 * interval, as Java), or at the end of input (commit identifier Long.MAX) when
 * `end-input.check-partition-expire` is set; `write-only` tables never expire partitions.
 *
 * Crash safety: each batch is one atomic commit; a failure leaves the table at the last
 * committed snapshot, and the next call selects again from it. As Java with a filesystem
 * catalog, `metastore.partitioned-table` is not consulted (there is no metastore to drop from;
 * `.done` partitions exist only there). Not supported: chain tables (Java's
 * `ChainTablePartitionExpire`) and custom strategy factories (Java's service loader).
 *
 * Imports: errors.ts, io types, spec (binary_row, core_options, schema, snapshot, manifest_entry,
 * java_local_date_time), table (commit, manifest_reader, snapshot_manager, partition_time),
 * util/bytes.ts.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { optionBoolean, optionDurationMs, optionInt, optionRaw, optionString } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import { compareLocalDateTime, localDateTimeFromMillis } from "../spec/java_local_date_time.ts";
import { FILE_KIND } from "../spec/manifest_entry.ts";
import { logicalPartitionType, type TableSchema } from "../spec/schema.ts";
import { COMMIT_IDENTIFIER_BATCH } from "../spec/snapshot.ts";
import { toHex } from "../util/bytes.ts";
import { commitChanges } from "./commit.ts";
import { snapshotEntries } from "./manifest_reader.ts";
import {
  checkPartitionTimeOptions, createPartitionTimeExtractor, extractPartitionTime, javaValueText, type PartitionTimeExtractor,
} from "./partition_time.ts";
import { latestSnapshot } from "./snapshot_manager.ts";

const NOUN = "partition expiration";

/** The strategies Java ships. Persisted in options: never rename. */
export const PartitionExpireStrategy = { VALUES_TIME: "values-time", UPDATE_TIME: "update-time" } as const;
/** One of `PartitionExpireStrategy`. */
export type PartitionExpireStrategy = (typeof PartitionExpireStrategy)[keyof typeof PartitionExpireStrategy];

/** The settings of one table's partition expiration. */
export interface PartitionExpireConfig {
  readonly expirationMs: number;
  readonly checkIntervalMs: number;
  readonly strategy: PartitionExpireStrategy;
  readonly maxNum: number;
  /** Partitions per commit; null = all in one. */
  readonly batchSize: number | null;
  readonly endInputCheck: boolean;
  readonly defaultName: string;
  /** Values-time only. */
  readonly extractor: PartitionTimeExtractor | null;
}

/**
 * The expiration settings of `options` for `schema`, or null when partitions do not expire
 * (no `partition.expiration-time`, or an unpartitioned table, as Java). Throws
 * LakeError("invalid_argument") naming a bad option, ("unsupported") as the header lists.
 */
export function partitionExpireConfig(schema: TableSchema, options: OptionMap = schema.options): PartitionExpireConfig | null {
  const expirationMs = optionDurationMs(options, "partition.expiration-time");
  if (expirationMs === null || schema.partitionKeys.length === 0) return null;
  const bad = (key: string, value: unknown, expected: string): LakeError =>
    new LakeError("invalid_argument", `${NOUN}: option '${key}' = ${JSON.stringify(String(value))} is invalid: expected ${expected}`);
  const strategy = optionString(options, "partition.expiration-strategy")!;
  if (strategy !== "values-time" && strategy !== "update-time") throw bad("partition.expiration-strategy", strategy, "values-time or update-time");
  const maxNum = optionInt(options, "partition.expiration-max-num")!;
  if (maxNum < 1) throw bad("partition.expiration-max-num", maxNum, "at least 1 (0 would expire nothing, ever)");
  const batchSize = optionInt(options, "partition.expiration-batch-size");
  if (batchSize !== null && batchSize < 0) throw bad("partition.expiration-batch-size", batchSize, "a non-negative number");
  if ((optionRaw(options, "chain-table.enabled") ?? "").trim().toLowerCase() === "true") {
    throw new LakeError("unsupported", `${NOUN}: chain tables ('chain-table.enabled' = true) expire partitions by segments (Java ChainTablePartitionExpire), which lakestate does not do`);
  }
  const defaultName = optionString(options, "partition.default-name")!;
  let extractor: PartitionTimeExtractor | null = null;
  if (strategy === "values-time") {
    const pattern = optionString(options, "partition.timestamp-pattern");
    const formatter = optionString(options, "partition.timestamp-formatter");
    checkPartitionTimeOptions(logicalPartitionType(schema).fields, { pattern, formatter, defaultName });
    extractor = createPartitionTimeExtractor(pattern, formatter);
  }
  return {
    expirationMs, checkIntervalMs: optionDurationMs(options, "partition.expiration-check-interval")!, strategy, maxNum,
    batchSize: batchSize === null || batchSize === 0 ? null : batchSize,
    endInputCheck: optionBoolean(options, "end-input.check-partition-expire") === true, defaultName, extractor,
  };
}

/**
 * Checks a table's partition expiration options at table creation and alteration: a
 * `values-time` pattern or formatter that cannot read the partition values it implies is an
 * error here, not partitions that never expire. Throws LakeError("invalid_argument") naming the
 * option, its value and an example partition value; ("unsupported") for formatter letters or
 * settings lakestate does not implement. Does nothing when partitions do not expire.
 */
export function validatePartitionExpiration(schema: TableSchema, options: OptionMap = schema.options): void {
  partitionExpireConfig(schema, options);
}

/** Options whose change makes `validatePartitionExpirationChange` check again. */
const PARTITION_EXPIRATION_KEYS = [
  "partition.expiration-time", "partition.expiration-strategy", "partition.timestamp-formatter",
  "partition.timestamp-pattern", "partition.expiration-max-num", "partition.expiration-batch-size",
  "partition.default-name", "chain-table.enabled",
] as const;

/**
 * For ALTER TABLE: `validatePartitionExpiration(next)` when an expiration option (or a partition
 * key's type) differs from `previous`, so altering something unrelated never fails on options
 * the table (perhaps written by Java) already had. Throws as `validatePartitionExpiration`.
 */
export function validatePartitionExpirationChange(next: TableSchema, previous: TableSchema): void {
  const changed = PARTITION_EXPIRATION_KEYS.some((k) => next.options[k] !== previous.options[k]) ||
    JSON.stringify(logicalPartitionType(next).fields.map((f) => f.type)) !== JSON.stringify(logicalPartitionType(previous).fields.map((f) => f.type));
  if (changed) validatePartitionExpiration(next);
}

/** A partition expiration did not expire, and why. */
export interface SkippedPartition {
  readonly partition: Record<string, string>;
  readonly reason: string;
}

/** What one expiration did. */
export interface PartitionExpireResult {
  /** The dropped partitions as Java prints them (key → value text), in drop order. */
  readonly expired: Record<string, string>[];
  /** The last snapshot committed, or null when nothing expired. */
  readonly snapshotId: bigint | null;
  /** Every snapshot committed (one per batch), ascending. */
  readonly snapshotIds: bigint[];
  /** Partitions kept because their time could not be read (Java logs these). */
  readonly skipped: SkippedPartition[];
}

/** Options of `expirePartitions`. */
export interface ExpirePartitionsOptions {
  /** Dynamic options laid over the schema's (e.g. `partition.expiration-time`). */
  readonly options?: OptionMap;
  /** Clock, epoch ms (default Date.now): the expiration cut-off and snapshot times. */
  readonly nowMs?: () => number;
  /** Commit user of the drop snapshots (default a random UUID; Java's procedures use ""). */
  readonly commitUser?: string;
  /** Commit identifier (default Long.MAX, a batch commit). */
  readonly commitIdentifier?: bigint;
  /** Random UUIDs for metadata file names (default crypto.randomUUID). */
  readonly randomUuid?: () => string;
  /** Waits between commit retries (default setTimeout). */
  readonly sleepMs?: (ms: number) => Promise<void>;
}

interface PartitionState {
  readonly partition: Uint8Array;
  fileCount: number;
  lastCreationMs: bigint | null;
  unknownCreation: boolean;
}

/** The local wall clock of instant `ms`, read as UTC (Java `LocalDateTime.now()`). */
function localWallMs(ms: number): number {
  return ms - new Date(ms).getTimezoneOffset() * 60_000;
}

async function livePartitions(store: ObjectStore): Promise<PartitionState[]> {
  const snapshot = await latestSnapshot(store);
  if (snapshot === null) return [];
  const byHex = new Map<string, PartitionState>();
  for (const e of await snapshotEntries(store, snapshot, "all")) {
    const key = toHex(e.partition);
    let p = byHex.get(key);
    if (p === undefined) byHex.set(key, p = { partition: e.partition, fileCount: 0, lastCreationMs: null, unknownCreation: false });
    p.fileCount += e.kind === FILE_KIND.ADD ? 1 : -1;
    const created = e.file.creationTime;
    if (created === null) p.unknownCreation = true;
    else if (p.lastCreationMs === null || created > p.lastCreationMs) p.lastCreationMs = created;
  }
  return [...byHex.values()].filter((p) => p.fileCount > 0);
}

/**
 * Runs one partition expiration now, whatever the check interval (Java's expire_partitions
 * procedure sets the interval to 0). Returns what expired; nothing when the options do not
 * enable expiration. Throws LakeError("invalid_argument"/"unsupported") for bad options,
 * CommitConflictError or io errors from the commit (earlier batches stay committed).
 */
export async function expirePartitions(store: ObjectStore, schema: TableSchema, opts: ExpirePartitionsOptions = {}): Promise<PartitionExpireResult> {
  const config = partitionExpireConfig(schema, { ...schema.options, ...opts.options });
  if (config === null) return { expired: [], snapshotId: null, snapshotIds: [], skipped: [] };
  return runExpiration(store, schema, config, (opts.nowMs ?? Date.now)(), opts);
}

async function runExpiration(
  store: ObjectStore, schema: TableSchema, config: PartitionExpireConfig, nowMs: number, opts: ExpirePartitionsOptions,
): Promise<PartitionExpireResult> {
  const clock = opts.nowMs ?? Date.now;
  const cutoffLocalMs = localWallMs(nowMs) - config.expirationMs;
  const fields = logicalPartitionType(schema).fields;
  const keys = fields.map((f) => f.name);
  const types = fields.map((f) => f.type);
  const skipped: SkippedPartition[] = [];
  const candidates: { partition: Uint8Array; values: string[] }[] = [];
  for (const p of await livePartitions(store)) {
    const texts = decodeSerializedBinaryRow(types, p.partition).map((v, i) => javaValueText(types[i]!, v));
    const values = texts.map((t) => t ?? config.defaultName);
    const spec = (): Record<string, string> => Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
    if (config.strategy === "values-time") {
      const time = extractPartitionTime(config.extractor!, keys, texts);
      if (time === null) {
        skipped.push({ partition: spec(), reason: "its values give no time with the partition timestamp pattern and formatter (Java logs and keeps it; drop it by hand or use 'update-time')" });
      } else if (compareLocalDateTime(localDateTimeFromMillis(cutoffLocalMs), time) > 0) {
        candidates.push({ partition: p.partition, values });
      }
    } else if (p.unknownCreation || p.lastCreationMs === null) {
      skipped.push({ partition: spec(), reason: "a file of it has no creation time (written before Paimon 0.5), so its update time is unknown" });
    } else if (BigInt(Math.floor(cutoffLocalMs)) > p.lastCreationMs) {
      candidates.push({ partition: p.partition, values });
    }
  }
  const joined = (c: { values: string[] }): string => c.values.join(",");
  candidates.sort((a, b) => (joined(a) < joined(b) ? -1 : joined(a) > joined(b) ? 1 : 0));
  const chosen = candidates.slice(0, config.maxNum);
  const expired = chosen.map((c) => Object.fromEntries(keys.map((k, i) => [k, c.values[i]!])));
  const snapshotIds: bigint[] = [];
  const batch = config.batchSize ?? Math.max(chosen.length, 1);
  const commitUser = opts.commitUser ?? crypto.randomUUID();
  for (let i = 0; i < chosen.length; i += batch) {
    const result = await commitChanges(store, {
      schema, commitUser, commitIdentifier: opts.commitIdentifier ?? COMMIT_IDENTIFIER_BATCH, commitKind: "OVERWRITE",
      messages: [], overwritePartitions: chosen.slice(i, i + batch).map((c) => c.partition), checkCommitted: false,
      ...(opts.options === undefined ? {} : { options: opts.options }), nowMs: clock,
      ...(opts.randomUuid === undefined ? {} : { randomUuid: opts.randomUuid }),
      ...(opts.sleepMs === undefined ? {} : { sleepMs: opts.sleepMs }),
    });
    snapshotIds.push(...result.snapshotIds);
  }
  return { expired, snapshotId: snapshotIds.length === 0 ? null : snapshotIds[snapshotIds.length - 1]!, snapshotIds, skipped };
}

/** Options of a `PartitionExpireChecker`. */
export interface PartitionExpireCheckerOptions extends Omit<ExpirePartitionsOptions, "commitIdentifier"> {
  /** The writer's commit user (Java expires with the writer's own commit user). */
  readonly commitUser: string;
  /** Uniform [0, 1) source for the first check's random offset (default Math.random). */
  readonly random?: () => number;
}

/**
 * The writer-side expiration: call `afterCommit(identifier)` after every successful commit; it
 * expires at most once per `partition.expiration-check-interval` (Java `expire(identifier)`).
 */
export class PartitionExpireChecker {
  readonly #store: ObjectStore;
  readonly #schema: TableSchema;
  readonly #config: PartitionExpireConfig;
  readonly #opts: PartitionExpireCheckerOptions;
  #lastCheckMs: number;

  private constructor(store: ObjectStore, schema: TableSchema, config: PartitionExpireConfig, opts: PartitionExpireCheckerOptions) {
    this.#store = store;
    this.#schema = schema;
    this.#config = config;
    this.#opts = opts;
    // Java: lastCheck = now - random(0 .. interval seconds), so short jobs still expire.
    const intervalSeconds = Math.floor(config.checkIntervalMs / 1000);
    const offsetSeconds = intervalSeconds > 0 ? Math.floor((opts.random ?? Math.random)() * intervalSeconds) : 0;
    this.#lastCheckMs = (opts.nowMs ?? Date.now)() - offsetSeconds * 1000;
  }

  /**
   * A checker for a writer of `schema`, or null when its partitions never expire (no
   * `partition.expiration-time`, unpartitioned, or `write-only`). Throws as
   * `partitionExpireConfig` for bad options.
   */
  static create(store: ObjectStore, schema: TableSchema, opts: PartitionExpireCheckerOptions): PartitionExpireChecker | null {
    const options = { ...schema.options, ...opts.options };
    if (optionBoolean(options, "write-only") === true) return null;
    const config = partitionExpireConfig(schema, options);
    return config === null ? null : new PartitionExpireChecker(store, schema, config, opts);
  }

  /** The settings in use. */
  get config(): PartitionExpireConfig {
    return this.#config;
  }

  /**
   * Expires partitions when a check is due after the commit of `commitIdentifier`; returns
   * null when no check was due. Errors propagate (the caller's commit stands either way).
   */
  async afterCommit(commitIdentifier: bigint): Promise<PartitionExpireResult | null> {
    const now = (this.#opts.nowMs ?? Date.now)();
    const due = this.#config.checkIntervalMs === 0 || now > this.#lastCheckMs + this.#config.checkIntervalMs ||
      (this.#config.endInputCheck && commitIdentifier === COMMIT_IDENTIFIER_BATCH);
    if (!due) return null;
    const result = await runExpiration(this.#store, this.#schema, this.#config, now, { ...this.#opts, commitIdentifier });
    this.#lastCheckMs = now;
    return result;
  }
}
