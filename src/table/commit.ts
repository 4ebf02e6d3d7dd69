/**
 * The commit: publishes writers' and compactions' file changes as new snapshots, as Java's
 * `FileStoreCommitImpl` does, with exactly-once semantics per (commit user, commit identifier).
 *
 * Mirrors https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/operation/FileStoreCommitImpl.java
 * (`filterCommitted`, `commit`, `overwritePartition`) and `TableCommitImpl`:
 *  - exactly-once: before anything is written, the newest snapshot of this commit user is found
 *    (walking back from the latest); when its identifier is >= ours the commit is a no-op (a job
 *    restarted after a crash re-commits what may already be in), as `filterCommitted` does;
 *  - APPEND (and COMPACT) requests: the new files, their changelog and index changes become one
 *    APPEND snapshot (an OVERWRITE with conflict checks when the data increment deletes files or
 *    carries deletion vectors), then the compaction changes become one COMPACT snapshot with
 *    conflict checks; each part is skipped when empty (the APPEND part is kept when
 *    `snapshot.ignore-empty-commit` is false);
 *  - OVERWRITE requests: every live file (and index file) of the overwritten partitions is
 *    deleted and the new files added, in one OVERWRITE snapshot with conflict checks; changelog
 *    files are not committed (Java warns and drops them; we return the warning); compaction
 *    changes follow as a COMPACT snapshot.
 * Each snapshot is ONE conditional create of `snapshot/snapshot-N` (commit_attempt.ts); lost
 * races retry with bounded backoff up to `commit.max-retries`, then CommitConflictError says
 * what was and was not applied. Data files are never deleted here: on failure the caller owns
 * them (Java's `abort`).
 *
 * Not supported (LakeError "unsupported"): row tracking, data evolution, strict commit mode,
 * snapshot sequence ordering, `write.sequence-number-init-mode = snapshot`, non-Avro manifests
 * and deletion vectors on unaware-bucket tables (their conflict check needs DV-aware entries).
 * Java's overwrite "upgrade" of non-overlapping level-0 files is not done (files stay level 0).
 *
 * Imports: table (commit_* modules, manifest_writer, snapshot_manager), spec, io types, errors.
 */
import { CommitConflictError, LakeError } from "../errors.ts";
import { avroCodecForCompression } from "../format/manifest/manifest_codec.ts";
import type { ObjectStore } from "../io/store.ts";
import { createFileKeyComparator } from "../lsm/file_key_comparator.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import { optionBoolean, optionDurationMs, optionInt, optionRaw } from "../spec/core_options.ts";
import type { OptionMap } from "../spec/core_options_types.ts";
import { BucketMode, CoreOptions } from "../spec/core_options_view.ts";
import { partitionPathOf } from "../spec/partition_values.ts";
import { indexManifestFileName, manifestFileName, manifestListFileName } from "../spec/paths.ts";
import { logicalPartitionType, logicalTrimmedPrimaryKeysType, type TableSchema } from "../spec/schema.ts";
import type { Snapshot, SnapshotOperation } from "../spec/snapshot.ts";
import { INT64_MAX, INT64_MIN } from "../util/json_fields.ts";
import { commitPhase, type CommitEnv, type CommitPhase } from "./commit_attempt.ts";
import {
  appendNeedsOverwrite, collectChanges, overwriteChangeSet, type CollectedChanges, type CommitMessage, type OverwriteScope,
} from "./commit_changes.ts";
import { latestSnapshotOfUser, PartitionSet } from "./commit_scan.ts";
import { createMetadataFileNamer, type ManifestWriteContext } from "./manifest_writer.ts";
import { latestSnapshotId } from "./snapshot_manager.ts";

export type { CommitIndexChanges, CommitMessage } from "./commit_changes.ts";

/** Kinds of commit a caller asks for. */
export type CommitRequestKind = "APPEND" | "COMPACT" | "OVERWRITE";

/** Everything one commit needs. */
export interface CommitRequest {
  /** The table's schema (partition and key types, options). */
  readonly schema: TableSchema;
  /** Identifies the writer job; exactly-once is per user. Requires: not empty. */
  readonly commitUser: string;
  /** Checkpoint id of streaming jobs; Long.MAX (`COMMIT_IDENTIFIER_BATCH`) for batch commits. */
  readonly commitIdentifier: bigint;
  /** Default APPEND. COMPACT requires messages without new files; OVERWRITE replaces partitions. */
  readonly commitKind?: CommitRequestKind;
  readonly messages: readonly CommitMessage[];
  /** Dynamic options laid over the schema's options (e.g. `commit.max-retries`). */
  readonly options?: OptionMap;
  /** Clock, epoch ms (default Date.now): snapshot `timeMillis` and `commit.timeout`. */
  readonly nowMs?: () => number;
  readonly watermark?: bigint | null;
  readonly properties?: Readonly<Record<string, string>> | null;
  /** Snapshot `operation` (2.0); default none. */
  readonly operation?: SnapshotOperation | null;
  /**
   * OVERWRITE scope: serialized partitions to replace, or null for the whole table. Absent:
   * the partitions of the new files when `dynamic-partition-overwrite` (default true) holds on a
   * partitioned table, else the whole table.
   */
  readonly overwritePartitions?: readonly Uint8Array[] | null;
  /** Exactly-once filter (default true). False skips the walk back over snapshots for callers
   * whose commit user is fresh (a random UUID per batch write). */
  readonly checkCommitted?: boolean;
  /** Java `appendCommitCheckConflict`: full conflict checks for APPEND too (default false). */
  readonly checkAppendConflicts?: boolean;
  /** Skip empty commits; default `snapshot.ignore-empty-commit`, else true (Java batch). */
  readonly ignoreEmptyCommit?: boolean;
  /** Random UUIDs for file names and the snapshot uuid (default crypto.randomUUID). */
  readonly randomUuid?: () => string;
  /** Waits between retries (default setTimeout). */
  readonly sleepMs?: (ms: number) => Promise<void>;
  /** Uniform [0, 1) source for retry jitter (default Math.random). */
  readonly random?: () => number;
}

/** What a commit did. */
export interface CommitResult {
  /** Snapshots this call created, ascending (none, one, or APPEND/OVERWRITE then COMPACT). */
  readonly snapshotIds: readonly bigint[];
  /** True when (commitUser, commitIdentifier) was already committed: nothing was written. */
  readonly alreadyCommitted: boolean;
  /** When alreadyCommitted: the newest snapshot of this commit user (it covers our identifier). */
  readonly committedSnapshotId: bigint | null;
  /** Lost races retried, over all snapshots of this call. */
  readonly retryCount: number;
  /** Things Java would log as warnings (e.g. changelog dropped by an overwrite). */
  readonly warnings: readonly string[];
}

function checkSupported(core: CoreOptions, schema: TableSchema): void {
  const raw = (key: string): string | null => optionRaw(core.options, key);
  const unsupported = (what: string): never => {
    throw new LakeError("unsupported", `commit: ${what} is not supported by this committer`);
  };
  if (core.rowTrackingEnabled) unsupported("'row-tracking.enabled' = true");
  if (optionBoolean(core.options, "data-evolution.enabled") === true) unsupported("'data-evolution.enabled' = true");
  if (raw("commit.strict-mode.last-safe-snapshot") !== null) unsupported("'commit.strict-mode.last-safe-snapshot'");
  if ((raw("sequence.snapshot-ordering") ?? "").toLowerCase() === "true") unsupported("'sequence.snapshot-ordering' = true");
  if ((raw("write.sequence-number-init-mode") ?? "").toLowerCase() === "snapshot") unsupported("'write.sequence-number-init-mode' = snapshot");
  if (core.manifestFormat !== "avro") unsupported(`'manifest.format' = ${core.manifestFormat}`);
  avroCodecForCompression(core.manifestCompression); // unsupported codecs fail before any write
  if (core.deletionVectorsEnabled && core.bucketMode(schema) === BucketMode.UNAWARE) {
    unsupported("deletion vectors on an unaware-bucket table");
  }
}

function checkRequest(request: CommitRequest): void {
  if (typeof request.commitUser !== "string" || request.commitUser.length === 0) {
    throw new LakeError("invalid_argument", "commit: commitUser must be a non-empty string");
  }
  const id = request.commitIdentifier;
  if (typeof id !== "bigint" || id < INT64_MIN || id > INT64_MAX) {
    throw new LakeError("invalid_argument", `commit: commitIdentifier ${String(id)} must be an int64 bigint`);
  }
  const kind = request.commitKind ?? "APPEND";
  if (kind !== "APPEND" && kind !== "COMPACT" && kind !== "OVERWRITE") {
    throw new LakeError("invalid_argument", `commit: commitKind ${String(kind)} must be APPEND, COMPACT or OVERWRITE`);
  }
}

function defaultRandomUuid(): string {
  return crypto.randomUUID();
}

function defaultSleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function buildEnv(store: ObjectStore, request: CommitRequest, core: CoreOptions): CommitEnv {
  const { schema } = request;
  const partitionFields = logicalPartitionType(schema).fields;
  const partitionTypes = partitionFields.map((f) => f.type);
  const randomUuid = request.randomUuid ?? defaultRandomUuid;
  const names = createMetadataFileNamer(randomUuid, {
    manifest: manifestFileName, manifestList: manifestListFileName, indexManifest: indexManifestFileName,
  });
  const encode = { compression: core.manifestCompression, zstdLevel: optionInt(core.options, "file.compression.zstd-level")! };
  const keyTypes = logicalTrimmedPrimaryKeysType(schema).fields.map((f) => f.type);
  const partitionOptions = { defaultName: core.partitionDefaultName, legacyName: core.partitionLegacyName };
  const describePartition = (partition: Uint8Array): string => {
    if (partitionTypes.length === 0) return "table";
    try {
      return `partition ${partitionPathOf(partitionFields, decodeSerializedBinaryRow(partitionTypes, partition), partitionOptions)}`;
    } catch {
      return "partition (undecodable)"; // only for messages
    }
  };
  const nowMs = request.nowMs ?? Date.now;
  return {
    store, commitUser: request.commitUser, commitIdentifier: request.commitIdentifier, nowMs, randomUuid, partitionTypes,
    merge: {
      targetBytes: core.manifestTargetFileSizeBytes,
      mergeMinCount: core.manifestMergeMinCount,
      fullCompactionThresholdBytes: core.manifestFullCompactionThresholdBytes,
    },
    watermark: request.watermark ?? null,
    properties: request.properties ?? null,
    operation: request.operation ?? null,
    unawareDeletionVectors: core.deletionVectorsEnabled && core.bucketMode(schema) === BucketMode.UNAWARE,
    conflict: {
      commitUser: request.commitUser,
      keyComparator: schema.primaryKeys.length > 0 ? createFileKeyComparator(keyTypes) : null,
      describePartition,
    },
    fixedBucket: core.bucketMode(schema) === BucketMode.FIXED,
    discardDuplicateFiles: optionBoolean(core.options, "commit.discard-duplicate-files") === true,
    retryCountMax: core.commitRetryCountMax,
    retryWaitMinMs: optionDurationMs(core.options, "commit.min-retry-wait")!,
    retryWaitMaxMs: optionDurationMs(core.options, "commit.max-retry-wait")!,
    timeoutMs: optionDurationMs(core.options, "commit.timeout"),
    sleepMs: request.sleepMs ?? defaultSleepMs,
    random: request.random ?? Math.random,
    checkedBucketPartitions: new Set(),
    newWriteContext: (): ManifestWriteContext => ({
      store, partitionTypes, encode, manifestTargetBytes: core.manifestTargetFileSizeBytes, names, written: [],
    }),
  };
}

/** Describes a part of the changes for "not applied" messages. */
function describePart(label: string, tableFiles: number, changelog: number, index: number): string {
  return `${label} (${tableFiles} data file change(s), ${changelog} changelog file(s), ${index} index change(s))`;
}

function planPhases(store: ObjectStore, request: CommitRequest, core: CoreOptions, changes: CollectedChanges, env: CommitEnv, warnings: string[]): { phase: CommitPhase; label: string }[] {
  const kind = request.commitKind ?? "APPEND";
  const phases: { phase: CommitPhase; label: string }[] = [];
  const appendEmpty = changes.appendTableFiles.length === 0 && changes.appendChangelog.length === 0 && changes.appendIndexFiles.length === 0;
  const ignoreEmpty = request.ignoreEmptyCommit ?? optionBoolean(core.options, "snapshot.ignore-empty-commit") ?? true;
  if (kind === "OVERWRITE") {
    if (changes.appendChangelog.length > 0) {
      warnings.push(`commit: overwrite does not commit changelog; ${changes.appendChangelog.length} changelog file(s) were not committed`);
    }
    const scope = overwriteScope(request, core, env, changes);
    if (scope !== "skip") {
      phases.push({
        label: describePart("the overwrite", changes.appendTableFiles.length, 0, changes.appendIndexFiles.length),
        phase: {
          kind: "OVERWRITE", detectConflicts: true,
          provide: (latest: Snapshot | null) => overwriteChangeSet(store, latest, scope, changes.appendTableFiles, changes.appendIndexFiles, {
            partitionTypes: env.partitionTypes, tableBuckets: core.bucket,
          }),
        },
      });
    }
  } else if (!appendEmpty || (!ignoreEmpty && kind === "APPEND")) {
    if (kind === "COMPACT") {
      throw new LakeError("invalid_argument", "commit: a COMPACT commit must not carry new files, changelog or index files of new data");
    }
    const overwrite = appendNeedsOverwrite(changes);
    const set = { tableFiles: changes.appendTableFiles, changelogFiles: changes.appendChangelog, indexFiles: changes.appendIndexFiles };
    phases.push({
      label: describePart("the new data", set.tableFiles.length, set.changelogFiles.length, set.indexFiles.length),
      phase: { kind: overwrite ? "OVERWRITE" : "APPEND", detectConflicts: overwrite || request.checkAppendConflicts === true, provide: async () => set },
    });
  }
  const compactEmpty = changes.compactTableFiles.length === 0 && changes.compactChangelog.length === 0 && changes.compactIndexFiles.length === 0;
  if (!compactEmpty) {
    const set = {
      tableFiles: changes.compactTableFiles,
      changelogFiles: kind === "OVERWRITE" ? [] : changes.compactChangelog,
      indexFiles: changes.compactIndexFiles,
    };
    if (kind === "OVERWRITE" && changes.compactChangelog.length > 0) {
      warnings.push(`commit: overwrite does not commit changelog; ${changes.compactChangelog.length} compaction changelog file(s) were not committed`);
    }
    phases.push({
      label: describePart("the compaction", set.tableFiles.length, set.changelogFiles.length, set.indexFiles.length),
      phase: { kind: "COMPACT", detectConflicts: true, provide: async () => set },
    });
  }
  return phases;
}

function overwriteScope(request: CommitRequest, core: CoreOptions, env: CommitEnv, changes: CollectedChanges): OverwriteScope | "skip" {
  if (env.partitionTypes.length === 0) return null;
  const given = request.overwritePartitions;
  const dynamic = given === undefined && optionBoolean(core.options, "dynamic-partition-overwrite") !== false;
  if (dynamic) {
    // Java: with no new files a dynamic overwrite deletes nothing and commits nothing.
    if (changes.appendTableFiles.length === 0) return "skip";
    return new PartitionSet(changes.appendTableFiles.map((e) => e.partition));
  }
  if (given === undefined || given === null) return null;
  const scope = new PartitionSet(given);
  for (const e of changes.appendTableFiles) {
    if (!scope.has(e.partition)) {
      throw new LakeError("invalid_argument", `commit: the changes in ${env.conflict.describePartition(e.partition)} do not belong to the overwritten partitions`);
    }
  }
  return scope;
}

/**
 * Commits `request.messages` to the table at the root of `store`; see the module header for the
 * semantics. Throws CommitConflictError (code "conflict") naming conflicting files or saying that
 * retries ran out, with what was not applied; LakeError("unsupported") for table settings this
 * committer refuses; io errors of the store propagate (the table then still reads at its last
 * committed snapshot).
 * Requires: `request.schema` is the table's schema; DELETE/compact-before files are passed
 * exactly as they are listed in the table (same level, extra files, external path).
 */
export async function commitChanges(store: ObjectStore, request: CommitRequest): Promise<CommitResult> {
  checkRequest(request);
  const core = new CoreOptions({ ...request.schema.options, ...(request.options ?? {}) });
  checkSupported(core, request.schema);
  const partitionArity = request.schema.partitionKeys.length;
  const changes = collectChanges(request.messages, core.bucket, partitionArity);
  const warnings: string[] = [];
  const env = buildEnv(store, request, core);
  const phases = planPhases(store, request, core, changes, env, warnings); // validates; no I/O yet
  if (request.checkCommitted !== false) {
    const mine = await latestSnapshotOfUser(store, request.commitUser, await latestSnapshotId(store));
    if (mine !== null && request.commitIdentifier <= mine.commitIdentifier) {
      return { snapshotIds: [], alreadyCommitted: true, committedSnapshotId: mine.id, retryCount: 0, warnings };
    }
  }
  const snapshotIds: bigint[] = [];
  let retryCount = 0;
  for (let i = 0; i < phases.length; i++) {
    try {
      const result = await commitPhase(env, phases[i]!.phase);
      snapshotIds.push(result.snapshotId);
      retryCount += result.retryCount;
    } catch (error) {
      if (!(error instanceof LakeError)) throw error;
      const done = snapshotIds.length === 0 ? "nothing was committed" : `committed: snapshot ${snapshotIds.join(", ")}`;
      const notApplied = phases.slice(i).map((p) => p.label).join("; ");
      const message = `${error.message}. Commit user ${request.commitUser}, identifier ${request.commitIdentifier}: ${done}; not applied: ${notApplied}`;
      if (error instanceof CommitConflictError) throw new CommitConflictError(message, { cause: error });
      throw new LakeError(error.code, message, { cause: error });
    }
  }
  return { snapshotIds, alreadyCommitted: false, committedSnapshotId: null, retryCount, warnings };
}
