/**
 * Read-ahead of a stream: while one snapshot decodes, the next few are fetched and planned
 * (snapshot file, manifest list, manifests) and their data files requested, so the per-snapshot
 * round trips of a tailing stream overlap instead of adding up.
 *
 * Bounds: at most READ_AHEAD_SNAPSHOTS snapshots ahead; data file bytes are requested only while
 * the bytes held ahead stay under READ_AHEAD_BYTES_MAX (by manifest file sizes), else the files
 * are read when their snapshot is consumed. Best effort: a failed step, or a snapshot not
 * committed yet, makes `take` return null and the stream does the work itself (and reports any
 * error then); a null drops everything ahead (later snapshots cannot be committed either,
 * except by a race the stream's own look resolves). Never changes what is read.
 * Imports: spec (snapshot), table/table_read.ts (paths), table/changelog_manager.ts, stream (follow_up_scanner,
 * snapshot_follower, read_env). Mirrors nothing in Java (Flink reads splits in parallel instead).
 */
import type { Snapshot } from "../spec/snapshot.ts";
import { readSnapshotOrChangelog } from "../table/changelog_manager.ts";
import { dataFilePath } from "../table/table_read.ts";
import { planFollowUpSnapshot, type FollowUpMode, type FollowUpPlan } from "./follow_up_scanner.ts";
import type { ReadEnv } from "./read_env.ts";

/** Snapshots planned ahead of the one being read. */
export const READ_AHEAD_SNAPSHOTS = 4;
/** Data file bytes requested ahead, at most (64 MiB). */
export const READ_AHEAD_BYTES_MAX = 64 * 1024 * 1024;

/** A snapshot planned ahead, its data file reads possibly requested. */
export interface Planned {
  readonly snapshot: Snapshot;
  readonly plan: FollowUpPlan | null;
  /** Requested file bytes by path (empty when over the byte budget). */
  readonly bytes: ReadonlyMap<string, Promise<Uint8Array>>;
}

interface Entry {
  readonly planned: Promise<Planned | null>;
  /** Bytes this entry counts against the budget. */
  heldBytes: number;
}

/** The read-ahead of one stream (see the file header). */
export class ReadAhead {
  readonly #env: ReadEnv;
  readonly #mode: FollowUpMode;
  readonly #closed: () => boolean;
  readonly #entries = new Map<bigint, Entry>();
  #heldBytes = 0;

  constructor(env: ReadEnv, mode: FollowUpMode, closed: () => boolean) {
    this.#env = env;
    this.#mode = mode;
    this.#closed = closed;
  }

  /** Starts planning snapshots `from` .. `from + READ_AHEAD_SNAPSHOTS - 1` not started yet. */
  start(from: bigint): void {
    for (let id = from; id < from + BigInt(READ_AHEAD_SNAPSHOTS); id++) {
      if (this.#entries.has(id)) continue;
      const entry: Entry = { planned: Promise.resolve(null), heldBytes: 0 };
      (entry as { planned: Promise<Planned | null> }).planned = this.#plan(id, entry).catch(() => null);
      this.#entries.set(id, entry);
    }
  }

  /** The planned snapshot `id`, or null (not started, failed, not committed yet). */
  async take(id: bigint): Promise<Planned | null> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return null;
    this.#entries.delete(id);
    const planned = await entry.planned;
    this.#release(entry);
    if (planned === null) this.clear();
    return planned;
  }

  /** Drops everything ahead. */
  clear(): void {
    for (const entry of this.#entries.values()) this.#release(entry);
    this.#entries.clear();
  }

  #release(entry: Entry): void {
    this.#heldBytes -= entry.heldBytes;
    entry.heldBytes = 0;
  }

  async #plan(id: bigint, entry: Entry): Promise<Planned | null> {
    const { store, schema } = this.#env.context;
    const snapshot = await readSnapshotOrChangelog(store, id, this.#mode.changelogDecoupled === true);
    if (snapshot === null || this.#closed()) return null;
    const plan = await planFollowUpSnapshot(this.#env, snapshot, this.#mode);
    const bytes = new Map<string, Promise<Uint8Array>>();
    if (plan?.kind !== "files" || this.#closed() || this.#entries.get(id) !== entry) return { snapshot, plan, bytes };
    let size = 0;
    for (const bucket of plan.buckets) for (const file of bucket.files) size += Number(file.fileSize);
    if (this.#heldBytes + size > READ_AHEAD_BYTES_MAX) return { snapshot, plan, bytes };
    this.#heldBytes += size;
    entry.heldBytes = size;
    for (const bucket of plan.buckets) {
      for (const file of bucket.files) {
        const path = dataFilePath(schema, bucket, file);
        const read = store.get(path);
        read.catch(() => undefined); // a failed read is retried by the reader
        bytes.set(path, read);
      }
    }
    return { snapshot, plan, bytes };
  }
}
