/**
 * Restore of bucket writers: the live data files of each (partition, bucket) in the latest
 * snapshot (Java `FileSystemWriteRestore#restoreFiles` → `AbstractFileStoreWrite
 * #scanExistingFileMetas`), from which a writer rebuilds its Levels and its next sequence
 * number, and the bucket count the files were written with.
 *
 * One scan plan (table/scan.ts `planScan`, no filter, every level) is read per snapshot and
 * kept; `refresh()` looks up the latest snapshot id again (Java restores each new writer from
 * the latest snapshot at its creation; the table writer refreshes once per input batch).
 *
 * Invariants: files are returned exactly as the manifests list them (level, extra files,
 * external path), so compaction DELETE entries match the ADD entries.
 * Imports: io (store type), spec (data_file_meta, schema types), util/bytes.ts, table
 * (scan, snapshot_manager).
 */
import type { ObjectStore } from "../../io/store.ts";
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import type { TableSchema } from "../../spec/schema.ts";
import { toHex } from "../../util/bytes.ts";
import { planScan } from "../scan.ts";
import { latestSnapshotId, readSnapshot } from "../snapshot_manager.ts";

/** A bucket's restored state. */
export interface RestoredBucket {
  /** Live files of the bucket (empty for a new bucket). */
  readonly files: readonly DataFileMeta[];
  /** `_TOTAL_BUCKETS` of those files, or null when the bucket has none. */
  readonly totalBuckets: number | null;
}

const EMPTY: RestoredBucket = { files: [], totalBuckets: null };

/** Live files per (partition, bucket) of the latest snapshot, loaded on demand. */
export class BucketRestore {
  readonly #store: ObjectStore;
  readonly #schema: TableSchema;
  #snapshotId: bigint | null | undefined = undefined;
  #buckets: Promise<Map<string, RestoredBucket>> | null = null;
  #loadedFor: bigint | null | undefined = undefined;

  constructor(store: ObjectStore, schema: TableSchema) {
    this.#store = store;
    this.#schema = schema;
  }

  /** Looks up the latest snapshot id again (the next `bucket` call restores from it). */
  async refresh(): Promise<void> {
    this.#snapshotId = await latestSnapshotId(this.#store);
  }

  /** The restored state of one bucket. */
  async bucket(partition: Uint8Array, bucket: number): Promise<RestoredBucket> {
    if (this.#snapshotId === undefined) await this.refresh();
    const id = this.#snapshotId!;
    if (id === null) return EMPTY;
    if (this.#buckets === null || this.#loadedFor !== id) {
      this.#loadedFor = id;
      this.#buckets = this.#load(id);
    }
    return (await this.#buckets).get(`${toHex(partition)}/${bucket}`) ?? EMPTY;
  }

  async #load(id: bigint): Promise<Map<string, RestoredBucket>> {
    const snapshot = await readSnapshot(this.#store, id);
    const plan = await planScan(this.#store, { snapshot, schema: this.#schema });
    const out = new Map<string, RestoredBucket>();
    for (const split of plan.splits) {
      out.set(`${toHex(split.partition)}/${split.bucket}`, { files: split.files, totalBuckets: split.totalBuckets });
    }
    return out;
  }
}
