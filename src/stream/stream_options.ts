/**
 * Options of streaming and incremental reads: the scan modes as Java names them, the caller's
 * options laid over the table's (`scan.mode`, `scan.snapshot-id`, `scan.timestamp-millis`,
 * `scan.timestamp`, `consumer-id`, `consumer.ignore-progress`, `consumer.mode`,
 * `continuous.discovery-interval`, `streaming-read-overwrite`, `streaming-read-append-overwrite`,
 * `changelog-producer`), resolved and checked once when a stream opens.
 *
 * Mirrors Java `CoreOptions.startupMode()` (the `default` mode picks from-timestamp, then
 * from-snapshot, then latest-full; `full` is latest-full), `StartupMode` and
 * `changelogLifecycleDecoupled()`:
 * https://github.com/apache/paimon/blob/master/paimon-api/src/main/java/org/apache/paimon/CoreOptions.java
 *
 * Invariants: the caller's explicit fields win over dynamic options, which win over the
 * schema's options; a scan mode Java rejects for streaming reads (`incremental`, tags,
 * watermarks) or one lakestate does not implement (`compacted-full`, `from-file-creation-time`,
 * `from-creation-timestamp`) is LakeError("unsupported") naming it, never another mode; so are
 * `scan.bounded.watermark`, `streaming.read.snapshot.delay` and postpone-bucket tables with a
 * changelog producer (Java reads only their real buckets).
 * Imports: errors.ts, spec (core_options, core_options_types, core_options_view,
 * java_timestamp_parse).
 */
import { LakeError } from "../errors.ts";
import {
  optionBoolean, optionDurationMs, optionEnum, optionLong, optionRaw, optionString, parseLongOption,
} from "../spec/core_options.ts";
import { BUCKET_POSTPONE, ChangelogProducer, type OptionMap } from "../spec/core_options_types.ts";
import { CoreOptions } from "../spec/core_options_view.ts";
import { parseTimestampText } from "../spec/java_timestamp_parse.ts";

/** The streaming scan modes lakestate implements, spelled as Java's `scan.mode` values. */
export const StreamScanMode = {
  /** Java default: the latest snapshot in full (as its merged rows), then every later change. */
  LATEST_FULL: "latest-full",
  /** Only changes committed after the stream starts. */
  LATEST: "latest",
  /** The changes of snapshot `snapshotId` and every later one. */
  FROM_SNAPSHOT: "from-snapshot",
  /** Snapshot `snapshotId` in full, then the changes of every later one. */
  FROM_SNAPSHOT_FULL: "from-snapshot-full",
  /** The changes of every snapshot committed at or after `timestampMs`. */
  FROM_TIMESTAMP: "from-timestamp",
} as const;
/** One of `StreamScanMode`. */
export type StreamScanMode = (typeof StreamScanMode)[keyof typeof StreamScanMode];

/** Default `continuous.discovery-interval` (Java: 10 s). */
export const POLL_INTERVAL_MS_DEFAULT = 10_000;
/**
 * Longest poll interval accepted (1 hour): an idle stream looks for the next snapshot at
 * least this often, so a stream never sleeps unboundedly on a mistyped value.
 */
export const POLL_INTERVAL_MS_MAX = 3_600_000;
/** Shortest poll interval accepted: below 1 ms a stream would spin on the store. */
export const POLL_INTERVAL_MS_MIN = 1;

/** What a caller may pass to a streaming read (every field optional). */
export interface StreamReadOptions {
  /** `scan.mode`; default the table's, else Java's `default` rule (see the file header). */
  readonly scanMode?: StreamScanMode | "default" | "full";
  /** `scan.snapshot-id` for from-snapshot and from-snapshot-full. */
  readonly snapshotId?: number | bigint;
  /** `scan.timestamp-millis` (epoch ms) for from-timestamp. */
  readonly timestampMs?: number | bigint;
  /** `consumer-id`: store progress in `consumer/consumer-<id>` and resume from it. */
  readonly consumerId?: string;
  /** `continuous.discovery-interval` in ms: how long an idle stream waits between polls. */
  readonly pollIntervalMs?: number;
  /** Ends the stream (the pending `next()` resolves done) when aborted. */
  readonly signal?: AbortSignal;
  /** Columns to return, in this order (default all); `_ROW_KIND` always comes first. */
  readonly columns?: readonly string[];
  /** Dynamic table options laid over the schema's options (Java's dynamic options). */
  readonly options?: OptionMap;
}

/** The resolved settings of one stream. */
export interface ResolvedStreamOptions {
  readonly scanMode: StreamScanMode;
  /** Set for from-snapshot and from-snapshot-full. */
  readonly snapshotId: bigint | null;
  /** Set for from-timestamp (epoch ms). */
  readonly timestampMs: bigint | null;
  readonly consumerId: string | null;
  readonly consumerIgnoreProgress: boolean;
  readonly pollIntervalMs: number;
  readonly changelogProducer: ChangelogProducer;
  /** True: follow-ups read changelog manifests (input, lookup, full-compaction); false: deltas. */
  readonly readChangelog: boolean;
  /** Java `supportStreamingReadOverwrite`: PK `streaming-read-overwrite`, append `streaming-read-append-overwrite`. */
  readonly readOverwrite: boolean;
  /** Java `changelogLifecycleDecoupled()`: expired snapshots may live on as `changelog/changelog-N`. */
  readonly changelogDecoupled: boolean;
  /** `num-levels` (the top level full-compaction changelog tables start from). */
  readonly levelCount: number;
  /** All table options (schema options with dynamic options over them). */
  readonly tableOptions: OptionMap;
}

function invalid(message: string): LakeError {
  return new LakeError("invalid_argument", `stream: ${message}`);
}

function toId(value: number | bigint, what: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) throw invalid(`${what} ${value} is not an integer`);
  return BigInt(value);
}

/** `scan.timestamp` text in the local time zone (Java `parseTimestampData(text, 3, TimeZone.getDefault())`). */
function localTimestampMs(text: string): bigint {
  const ts = parseTimestampText(text.trim(), 3);
  if (ts === null) throw invalid(`scan.timestamp ${JSON.stringify(text)} is not a timestamp (expected yyyy-MM-dd HH:mm:ss[.SSS])`);
  const wall = new Date(ts.epochMillis);
  const local = new Date(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  if (wall.getUTCFullYear() < 100) local.setFullYear(wall.getUTCFullYear()); // Date maps years 0..99 to 19xx
  return BigInt(local.getTime());
}

/** Java `StartupMode` of the merged options (the `default` and `full` rules). */
function startupModeOf(options: OptionMap, explicit: string | undefined): string {
  const mode = explicit ?? optionEnum(options, "scan.mode")!;
  if (mode === "full") return StreamScanMode.LATEST_FULL;
  if (mode !== "default") return mode;
  if (optionRaw(options, "scan.timestamp-millis") !== null || optionRaw(options, "scan.timestamp") !== null) return StreamScanMode.FROM_TIMESTAMP;
  if (optionRaw(options, "scan.snapshot-id") !== null) return StreamScanMode.FROM_SNAPSHOT;
  for (const key of ["scan.tag-name", "scan.watermark", "scan.version", "scan.file-creation-time-millis", "scan.creation-time-millis", "incremental-between", "incremental-between-timestamp"]) {
    if (options[key] !== undefined) {
      throw new LakeError("unsupported", `stream: option ${key} selects a scan mode streaming reads do not support (Java: tags, watermarks and incremental ranges are batch-only; file and creation times are not implemented); pass scanMode explicitly`);
    }
  }
  return StreamScanMode.LATEST_FULL;
}

/**
 * Resolves the options of a streaming read of a table with `schemaOptions`.
 * Throws LakeError("invalid_argument") for missing or malformed values (from-snapshot without a
 * snapshot id, a poll interval outside [POLL_INTERVAL_MS_MIN, POLL_INTERVAL_MS_MAX]) and
 * LakeError("unsupported") for scan modes streaming reads do not serve.
 */
/**
 * Java `CoreOptions.changelogLifecycleDecoupled()`: changelog retention (each option defaulting
 * to its snapshot one) keeps more than snapshot retention, so expired snapshots live on as
 * `changelog/changelog-N`. Throws LakeError("invalid_argument") for malformed values.
 */
export function changelogLifecycleDecoupled(options: OptionMap): boolean {
  const view = new CoreOptions(options);
  return view.changelogRetainedCountMax > view.snapshotRetainedCountMax ||
    view.changelogTimeRetainedMs > view.snapshotTimeRetainedMs ||
    view.changelogRetainedCountMin > view.snapshotRetainedCountMin;
}

export function resolveStreamOptions(schemaOptions: OptionMap, request: StreamReadOptions, primaryKey: boolean): ResolvedStreamOptions {
  const options: OptionMap = { ...schemaOptions, ...(request.options ?? {}) };
  const mode = startupModeOf(options, request.scanMode);
  if (!(Object.values(StreamScanMode) as string[]).includes(mode)) {
    throw new LakeError("unsupported", `stream: scan mode ${JSON.stringify(mode)} is not supported by streaming reads (supported: ${Object.values(StreamScanMode).join(", ")})`);
  }
  const scanMode = mode as StreamScanMode;
  let snapshotId: bigint | null = null;
  if (scanMode === StreamScanMode.FROM_SNAPSHOT || scanMode === StreamScanMode.FROM_SNAPSHOT_FULL) {
    snapshotId = request.snapshotId !== undefined ? toId(request.snapshotId, "snapshot id") : optionLong(options, "scan.snapshot-id");
    if (snapshotId === null) throw invalid(`scan mode ${scanMode} needs a snapshot id (snapshotId, or option scan.snapshot-id)`);
    if (snapshotId < 1n) throw invalid(`snapshot id ${snapshotId} is not a positive integer`);
  }
  let timestampMs: bigint | null = null;
  if (scanMode === StreamScanMode.FROM_TIMESTAMP) {
    if (request.timestampMs !== undefined) timestampMs = toId(request.timestampMs, "timestamp");
    else if (optionRaw(options, "scan.timestamp-millis") !== null) timestampMs = optionLong(options, "scan.timestamp-millis");
    else if (optionString(options, "scan.timestamp") !== null) timestampMs = localTimestampMs(optionString(options, "scan.timestamp")!);
    if (timestampMs === null) throw invalid("scan mode from-timestamp needs a timestamp (timestampMs, or option scan.timestamp-millis / scan.timestamp)");
  }
  const pollIntervalMs = request.pollIntervalMs ?? optionDurationMs(options, "continuous.discovery-interval") ?? POLL_INTERVAL_MS_DEFAULT;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < POLL_INTERVAL_MS_MIN || pollIntervalMs > POLL_INTERVAL_MS_MAX) {
    throw invalid(`poll interval ${pollIntervalMs} ms is outside [${POLL_INTERVAL_MS_MIN}, ${POLL_INTERVAL_MS_MAX}] ms`);
  }
  const consumerId = request.consumerId ?? optionString(options, "consumer-id");
  if (consumerId !== null && (consumerId === "" || consumerId.includes("/"))) throw invalid(`consumer id ${JSON.stringify(consumerId)} must be non-empty and contain no '/'`);
  optionEnum(options, "consumer.mode"); // validated: both modes behave alike for one reader (see stream_read.ts)
  const view = new CoreOptions(options);
  const changelogProducer = view.changelogProducer;
  // Options that change what Java's stream returns, which lakestate does not implement yet:
  // refused rather than ignored.
  for (const key of ["scan.bounded.watermark", "streaming.read.snapshot.delay"]) {
    if (options[key] !== undefined) throw new LakeError("unsupported", `stream: option ${key} is not supported by lakestate's streaming reads`);
  }
  if (view.bucket === BUCKET_POSTPONE && changelogProducer !== ChangelogProducer.NONE) {
    throw new LakeError("unsupported", `stream: streaming reads of postpone-bucket tables (bucket = -2) with changelog-producer ${changelogProducer} are not supported`);
  }
  const readOverwrite = primaryKey ? optionBoolean(options, "streaming-read-overwrite")! : optionBoolean(options, "streaming-read-append-overwrite")!;
  if (primaryKey && readOverwrite && (changelogProducer === ChangelogProducer.LOOKUP || changelogProducer === ChangelogProducer.FULL_COMPACTION)) {
    throw invalid(`streaming-read-overwrite cannot be true with changelog-producer ${changelogProducer} (it would read changes twice; Java rejects it too)`);
  }
  return {
    scanMode,
    snapshotId,
    timestampMs,
    consumerId,
    consumerIgnoreProgress: optionBoolean(options, "consumer.ignore-progress")!,
    pollIntervalMs,
    changelogProducer,
    readChangelog: primaryKey && changelogProducer !== ChangelogProducer.NONE,
    readOverwrite,
    changelogDecoupled: changelogLifecycleDecoupled(options),
    levelCount: view.levelCount,
    tableOptions: options,
  };
}

/** Parses "start,end" of `incremental-between` / `incremental-between-timestamp` (Java `split(",")`). */
export function parseIncrementalRange(key: string, text: string): [string, string] {
  const parts = text.split(",");
  if (parts.length !== 2) throw invalid(`${key} ${JSON.stringify(text)} must be "start,end"`);
  return [parts[0]!.trim(), parts[1]!.trim()];
}

/** A long option value given as text (for "start,end" parts). */
export function parseLongText(key: string, text: string): bigint {
  return parseLongOption(key, text);
}
