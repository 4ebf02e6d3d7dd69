/**
 * Where a stream starts: a stored consumer position, or the scan mode's rule. The result is
 * either a snapshot to read in full first (then its successors), the id of the first snapshot
 * whose changes to read, or "none yet" (no snapshot to start from: try again after a poll).
 *
 * Mirrors Java `AbstractDataTableScan#createStartingScanner(isStreaming = true)` and its
 * scanners:
 *  - consumer (`consumer-id` set, `consumer.ignore-progress` false, `consumer/consumer-<id>`
 *    present): `ContinuousFromSnapshotStartingScanner(nextSnapshot)`;
 *  - latest-full: `FullStartingScanner` (the latest snapshot in full);
 *  - latest: `ContinuousLatestStartingScanner` (the snapshot after the latest one when the
 *    stream opened; snapshot 1 when the table had none then);
 *  - from-snapshot: `ContinuousFromSnapshotStartingScanner` (changes of max(id, earliest));
 *  - from-snapshot-full: `ContinuousFromSnapshotFullStartingScanner` (max(id, earliest) in full);
 *  - from-timestamp: `ContinuousFromTimestampStartingScanner` (the changes of the first snapshot
 *    committed at or after the timestamp: the one after the newest committed strictly before).
 * With a decoupled changelog lifecycle (`changelogDecoupled`) the earliest id is the earliest
 * long-lived changelog's, and from-timestamp searches changelogs too (Java `startFromChangelog`).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/table/source/AbstractDataTableScan.java
 * Deviation (never skip): Java starts a consumer whose stored snapshot has expired from the
 * earliest snapshot; lakestate fails with the expired error instead. An explicit from-snapshot
 * id below the earliest snapshot starts from the earliest one, as in Java (documented choice:
 * the caller asked for "from N", not for a position it had reached).
 *
 * Invariants: the "latest" and "from-timestamp" anchors are fixed once, when the stream opens
 * (`openStart`), as Java fixes them when the scan is created.
 * Imports: errors.ts, io/store.ts (types), spec (snapshot), table (consumer_manager,
 * snapshot_manager), stream (snapshot_follower, stream_options).
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { readConsumer } from "../table/consumer_manager.ts";
import { latestSnapshotId, readSnapshot } from "../table/snapshot_manager.ts";
import { earlierThanTimeMills, earliestChangeId, expiredSnapshotError } from "./snapshot_follower.ts";
import { StreamScanMode, type ResolvedStreamOptions } from "./stream_options.ts";

/** Where a stream starts. */
export type StartResult =
  /** Read `snapshot` in full (its merged rows), then follow from `snapshot.id + 1`. */
  | { readonly kind: "full"; readonly snapshot: Snapshot }
  /** Follow from `nextSnapshotId` (its changes are the first read). */
  | { readonly kind: "next"; readonly nextSnapshotId: bigint; readonly fromConsumer: boolean }
  /** No snapshot to start from yet: poll again. */
  | { readonly kind: "none" };

/** The anchors fixed when a stream opens. */
export interface StartAnchors {
  /** latest: the latest snapshot id when the stream opened (null: the table had none). */
  readonly latestAtOpen: bigint | null;
  /** from-timestamp: Java's `startingSnapshotId` (newest snapshot before the timestamp), or null. */
  readonly beforeTimestamp: bigint | null;
}

/** Computes the anchors of `options` (I/O only for latest and from-timestamp). */
export async function openStart(store: ObjectStore, options: ResolvedStreamOptions): Promise<StartAnchors> {
  return {
    latestAtOpen: options.scanMode === StreamScanMode.LATEST ? await latestSnapshotId(store) : null,
    beforeTimestamp: options.scanMode === StreamScanMode.FROM_TIMESTAMP ? await earlierThanTimeMills(store, options.timestampMs!, options.changelogDecoupled) : null,
  };
}

async function readStartSnapshot(store: ObjectStore, id: bigint): Promise<Snapshot> {
  try {
    return await readSnapshot(store, id);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      const latest = await latestSnapshotId(store);
      throw new LakeError("not_found", `stream: cannot start from snapshot ${id}: it does not exist (latest is ${latest ?? "none"})`, { cause: error });
    }
    throw error;
  }
}

/**
 * One attempt to start (Java `StartingScanner#scan`). Throws the expired error for a consumer
 * whose stored next snapshot is gone.
 */
export async function scanStart(store: ObjectStore, options: ResolvedStreamOptions, anchors: StartAnchors): Promise<StartResult> {
  if (options.consumerId !== null && !options.consumerIgnoreProgress) {
    const consumer = await readConsumer(store, options.consumerId);
    if (consumer !== null) {
      const earliest = await earliestChangeId(store, options.changelogDecoupled);
      if (earliest === null) return { kind: "none" };
      if (consumer.nextSnapshot < earliest) {
        throw expiredSnapshotError(consumer.nextSnapshot, earliest, await latestSnapshotId(store), options.consumerId);
      }
      return { kind: "next", nextSnapshotId: consumer.nextSnapshot, fromConsumer: true };
    }
  }
  switch (options.scanMode) {
    case StreamScanMode.LATEST_FULL: {
      const latest = await latestSnapshotId(store);
      return latest === null ? { kind: "none" } : { kind: "full", snapshot: await readStartSnapshot(store, latest) };
    }
    case StreamScanMode.LATEST: {
      const latest = await latestSnapshotId(store);
      if (latest === null) return { kind: "none" };
      return { kind: "next", nextSnapshotId: anchors.latestAtOpen === null ? 1n : latest + 1n, fromConsumer: false };
    }
    case StreamScanMode.FROM_SNAPSHOT: {
      const earliest = await earliestChangeId(store, options.changelogDecoupled);
      if (earliest === null) return { kind: "none" };
      return { kind: "next", nextSnapshotId: options.snapshotId! > earliest ? options.snapshotId! : earliest, fromConsumer: false };
    }
    case StreamScanMode.FROM_SNAPSHOT_FULL: {
      const earliest = await earliestChangeId(store, false);
      if (earliest === null) return { kind: "none" };
      return { kind: "full", snapshot: await readStartSnapshot(store, options.snapshotId! > earliest ? options.snapshotId! : earliest) };
    }
    case StreamScanMode.FROM_TIMESTAMP: {
      const before = anchors.beforeTimestamp ?? await earlierThanTimeMills(store, options.timestampMs!, options.changelogDecoupled);
      return before === null ? { kind: "none" } : { kind: "next", nextSnapshotId: before + 1n, fromConsumer: false };
    }
  }
}
