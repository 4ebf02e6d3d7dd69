/**
 * What crosses between the demo page (main.ts) and the demo worker (demo_worker.ts): the plain,
 * structured-cloneable records the page renders. The page never computes figures itself; it
 * only draws these.
 *
 * Invariants: every field is a plain value (numbers, strings, booleans, arrays, plain objects);
 * series are oldest first, one sample a second, at most SERIES_LENGTH_MAX samples.
 * Imports: nothing. Mirrors no Java class.
 */

/** Samples kept per live chart (one a second). */
export const SERIES_LENGTH_MAX = 60;

/** One kept order of a watched pair, newest first (the table's `test_order_dict`). */
export interface WatchedOrder {
  readonly orderId: string;
  /** Pay time, epoch ms. */
  readonly payMs: number;
  readonly refunded: boolean;
}

/** A watched (buyer, seller) pair: its tag and kept orders as the table holds them. */
export interface WatchedPair {
  readonly buyer: string;
  readonly seller: string;
  /** Newest non-refunded pay time (epoch ms text), "" when all kept orders are refunded or none. */
  readonly tag: string;
  readonly orders: readonly WatchedOrder[];
}

/** The refund-tags panel. */
export interface RefundView {
  readonly running: boolean;
  /** Events generated per second (the visitor's choice). */
  readonly rate: number;
  readonly seed: number;
  /** Events the generator has produced so far (its stored position). */
  readonly generated: number;
  /** Events per period of the endless deterministic stream (RepeatingEventStream). */
  readonly periodEvents: number;
  /** Events processed = committed batches x batchSize. */
  readonly processed: number;
  readonly committedBatches: number;
  readonly batchSize: number;
  readonly watched: readonly WatchedPair[];
  readonly eventsPerSecond: readonly number[];
  /** getMany latency of the last batch of each second, ms. */
  readonly lookupMs: readonly number[];
  readonly commitsPerSecond: readonly number[];
  /** What recovery did when the engine started (empty on a fresh table). */
  readonly recovery: readonly string[];
}

/** One changelog record of the metrics table, as the consumer received it. */
export interface ChangeItem {
  readonly snapshotId: number;
  readonly kind: string;
  readonly buyer: string;
  readonly cate1: string;
  readonly ds: string;
  readonly orders: string;
  readonly gmv: number;
}

/** Per-day totals of the chosen buyer (lookup on the bucket key). */
export interface BuyerDay {
  readonly ds: string;
  readonly orders: number;
  readonly gmv: number;
}

/** The cumulative-metrics panel. */
export interface MetricsView {
  readonly running: boolean;
  /** Simulated milliseconds per real second. */
  readonly speed: number;
  /** The simulated clock, epoch ms. */
  readonly simMs: number;
  /** Commits done (= the last commit identifier). */
  readonly commits: number;
  readonly buyer: number;
  readonly buyerDays: readonly BuyerDay[];
  readonly partitions: readonly string[];
  /** Partitions seen and later gone (expired), oldest first. */
  readonly expired: readonly string[];
  /** The newest changelog records, oldest first (at most CHANGELOG_KEPT). */
  readonly changelog: readonly ChangeItem[];
  readonly changelogCount: number;
  readonly changelogKinds: Readonly<Record<string, number>>;
  /** The consumer's stored next snapshot when this engine started (null: a fresh consumer). */
  readonly consumerResumedFrom: number | null;
  /** The first snapshot delivered since this engine started (null: none yet). */
  readonly consumerFirstDelivered: number | null;
  /** The last snapshot the consumer acknowledged (0: none). */
  readonly consumerLastAcked: number;
}

/** Everything the page polls. */
export interface DemoStats {
  readonly ready: boolean;
  readonly refund: RefundView;
  readonly metrics: MetricsView;
  /** Errors raised in the worker's background work, oldest first (cleared by `clearErrors`). */
  readonly errors: readonly string[];
  /** Milliseconds the worker has been up. */
  readonly uptimeMs: number;
}

/** A table's data file, for the inspector. */
export interface InspectorFile {
  readonly partition: string;
  readonly bucket: number;
  readonly level: number;
  readonly fileName: string;
  readonly records: number;
  readonly bytes: number;
  readonly minKey: string;
  readonly maxKey: string;
  readonly minSeq: number;
  readonly maxSeq: number;
}

/** A snapshot line of the inspector. */
export interface InspectorSnapshot {
  readonly id: number;
  readonly kind: string;
  readonly commitUser: string;
  readonly identifier: string;
  readonly timeMs: number;
  readonly totalRecords: number | null;
  readonly deltaRecords: number | null;
  readonly changelogRecords: number | null;
}

/** A manifest file of the latest snapshot. */
export interface InspectorManifest {
  readonly fileName: string;
  readonly bytes: number;
  readonly addedFiles: number;
  readonly deletedFiles: number;
  /** Partition range of the manifest's files ("" for an unpartitioned table). */
  readonly partitions: string;
}

/** Everything the table inspector shows. */
export interface InspectorData {
  readonly table: string;
  readonly fields: readonly { readonly name: string; readonly type: string }[];
  readonly primaryKeys: readonly string[];
  readonly partitionKeys: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  /** The newest snapshots, oldest first. */
  readonly snapshots: readonly InspectorSnapshot[];
  readonly snapshotCount: number;
  /** Manifests of the latest snapshot. */
  readonly manifests: readonly InspectorManifest[];
  readonly files: readonly InspectorFile[];
}

/** Rows of a result the SQL box shows. */
export const SQL_ROWS_SHOWN = 500;

/** One statement's result of the SQL box, values already rendered as text. */
export interface SqlView {
  readonly kind: string;
  readonly message: string;
  readonly columns: readonly string[];
  /** The first SQL_ROWS_SHOWN rows. */
  readonly rows: readonly (readonly string[])[];
  /** Rows the statement returned (may exceed `rows.length`). */
  readonly rowCount: number;
  readonly warnings: readonly string[];
}

/** A file of an imported table directory (the directory picker's files). */
export interface ImportEntry {
  /** Path relative to the picked directory, "/" separated. */
  readonly path: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}
