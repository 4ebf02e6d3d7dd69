/**
 * Writes a commit's metadata files: manifests (rolled at `manifest.target-file-size`), manifest
 * lists and index manifests, each with the exact byte size and statistics Java records.
 *
 * Mirrors Java `ManifestFile` + its rolling `ManifestEntryWriter` (release-2.0: numAdded/Deleted,
 * max schema id, min/max bucket and level, row-id range, partition stats over every entry by a
 * full `SimpleStatsCollector`), `ManifestList#write` and `IndexManifestFile#writeWithoutRolling`:
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/manifest/ManifestFile.java
 * File names come from a `MetadataFileNamer`: `<prefix><uuid>-<count>`, one random UUID per
 * writer and kind with a counter from 0, as Java's `FileStorePathFactory` names them.
 *
 * Invariants: every byte written goes through format/manifest encoders; `_FILE_SIZE` and the list
 * sizes are the lengths of exactly those bytes; every written file name is appended to
 * `ctx.written` before its put starts, so a failed commit can clean up (best effort) what it wrote;
 * a manifest list is decoded back and checked before it is stored (pair assertion).
 *
 * Rolling: like Java, the size check runs every ROLL_CHECK_RECORD_COUNT entries. Java compares
 * the stream position of the open file; we add the encoded size of each 1000-entry chunk to a
 * running estimate and roll once it reaches the target, then encode the file's entries once more
 * as one container. Roll points can differ from Java's by a block; any roll point is valid.
 *
 * Imports: format/manifest (codec), spec (manifests, binary_row, simple_stats, paths, data types),
 * io/store.ts (type), table/predicate_literal.ts (compareValues), util, errors.
 */
import { LakeError } from "../errors.ts";
import {
  decodeManifestList, encodeIndexManifest, encodeManifest, encodeManifestList, type ManifestEncodeOptions,
} from "../format/manifest/manifest_codec.ts";
import type { ObjectStore } from "../io/store.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataType } from "../spec/data_types.ts";
import type { IndexManifestEntry } from "../spec/index_manifest_entry.ts";
import { FILE_KIND, type ManifestEntry } from "../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../spec/manifest_file_meta.ts";
import { MANIFEST_DIR } from "../spec/paths.ts";
import { encodeSimpleStats, type ColumnStats, type SimpleStats } from "../spec/simple_stats.ts";
import type { Value } from "../spec/values.ts";
import { assert } from "../util/assert.ts";
import { toHex } from "../util/bytes.ts";
import { compareValues } from "./predicate_literal.ts";

/** Java `RollingFileWriter.CHECK_ROLLING_RECORD_CNT`: entries between two size checks. */
export const ROLL_CHECK_RECORD_COUNT = 1000;

/** Makes the next file name of one kind (`manifest-<uuid>-<n>`, ...). */
export type FileNameSource = () => string;

/** Names of the three metadata file kinds a commit writes. */
export interface MetadataFileNamer {
  readonly manifest: FileNameSource;
  readonly manifestList: FileNameSource;
  readonly indexManifest: FileNameSource;
}

/** Builds a namer: one UUID per kind from `randomUuid`, counters from 0. */
export function createMetadataFileNamer(
  randomUuid: () => string,
  names: {
    manifest: (uuid: string, count: number) => string;
    manifestList: (uuid: string, count: number) => string;
    indexManifest: (uuid: string, count: number) => string;
  },
): MetadataFileNamer {
  const counter = (make: (uuid: string, count: number) => string): FileNameSource => {
    const uuid = randomUuid();
    let count = 0;
    return () => make(uuid, count++);
  };
  return { manifest: counter(names.manifest), manifestList: counter(names.manifestList), indexManifest: counter(names.indexManifest) };
}

/** What the metadata writers need. */
export interface ManifestWriteContext {
  /** The table's store (paths relative to the table root). */
  readonly store: ObjectStore;
  /** Types of the partition keys, in order (empty for unpartitioned tables). */
  readonly partitionTypes: readonly DataType[];
  /** `manifest.compression` and `file.compression.zstd-level`. */
  readonly encode: ManifestEncodeOptions;
  /** `manifest.target-file-size` in bytes. Requires: > 0. */
  readonly manifestTargetBytes: number;
  readonly names: MetadataFileNamer;
  /** Names (in `manifest/`) of every file these writers started to write, in order. */
  readonly written: string[];
}

/** Path of a metadata file in the table's `manifest/` directory. */
export function manifestPath(fileName: string): string {
  return `${MANIFEST_DIR}/${fileName}`;
}

/** Collects Java's full column statistics of partition rows (min, max, null count). */
class PartitionStatsCollector {
  readonly #types: readonly DataType[];
  readonly #min: Value[];
  readonly #max: Value[];
  readonly #nullCounts: bigint[];
  readonly #comparable: boolean[];
  readonly #seen = new Set<string>();

  constructor(types: readonly DataType[]) {
    this.#types = types;
    this.#min = types.map(() => null);
    this.#max = types.map(() => null);
    this.#nullCounts = types.map(() => 0n);
    this.#comparable = types.map(() => true);
  }

  /** Adds one entry's partition (every entry counts toward null counts, as in Java). */
  collect(partition: Uint8Array, cache: Map<string, Value[]>): void {
    const key = toHex(partition);
    let values = cache.get(key);
    if (values === undefined) {
      values = decodeSerializedBinaryRow(this.#types, partition);
      cache.set(key, values);
    }
    const seenBefore = this.#seen.has(key);
    this.#seen.add(key);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === null) {
        this.#nullCounts[i]! += 1n;
        continue;
      }
      if (seenBefore || !this.#comparable[i]) continue; // min/max cannot change for a repeat
      const type = this.#types[i]!;
      try {
        if (this.#min[i] === null) compareValues(type, v, v); // probes that the type is comparable
        if (this.#min[i] === null || compareValues(type, v, this.#min[i]!) < 0) this.#min[i] = v;
        if (this.#max[i] === null || compareValues(type, v, this.#max[i]!) > 0) this.#max[i] = v;
      } catch (error) {
        // Java's collector leaves min/max unknown for values that are not Comparable.
        if (!(error instanceof LakeError && error.code === "unsupported")) throw error;
        this.#comparable[i] = false;
        this.#min[i] = null;
        this.#max[i] = null;
      }
    }
  }

  /** The collected statistics in the manifest-list wire form (`toBinaryAllMode`). */
  stats(): SimpleStats {
    const columns: ColumnStats[] = this.#types.map((_, i) => ({ min: this.#min[i]!, max: this.#max[i]!, nullCount: this.#nullCounts[i]! }));
    return encodeSimpleStats(this.#types, columns);
  }
}

/**
 * The ManifestFileMeta Java records for a manifest holding `entries` (in any order).
 * Requires: entries is not empty (Java never writes an empty manifest).
 */
export function manifestFileMetaOf(
  fileName: string,
  fileSize: bigint,
  entries: readonly ManifestEntry[],
  partitionTypes: readonly DataType[],
  partitionCache: Map<string, Value[]> = new Map(),
): ManifestFileMeta {
  assert(entries.length > 0, "manifest writer: a manifest holds at least one entry");
  const collector = new PartitionStatsCollector(partitionTypes);
  let added = 0n, deleted = 0n, schemaId: bigint | null = null;
  let minBucket = Infinity, maxBucket = -Infinity, minLevel = Infinity, maxLevel = -Infinity;
  let minRowId: bigint | null = null, maxRowId: bigint | null = null, rowIdsKnown = true;
  for (const e of entries) {
    if (e.kind === FILE_KIND.ADD) added++;
    else deleted++;
    const f = e.file;
    if (schemaId === null || f.schemaId > schemaId) schemaId = f.schemaId;
    minBucket = Math.min(minBucket, e.bucket);
    maxBucket = Math.max(maxBucket, e.bucket);
    minLevel = Math.min(minLevel, f.level);
    maxLevel = Math.max(maxLevel, f.level);
    if (rowIdsKnown && f.firstRowId === null) rowIdsKnown = false;
    if (rowIdsKnown && f.firstRowId !== null) {
      const last = f.firstRowId + f.rowCount - 1n;
      if (minRowId === null || f.firstRowId < minRowId) minRowId = f.firstRowId;
      if (maxRowId === null || last > maxRowId) maxRowId = last;
    }
    collector.collect(e.partition, partitionCache);
  }
  return {
    fileName,
    fileSize,
    numAddedFiles: added,
    numDeletedFiles: deleted,
    partitionStats: collector.stats(),
    schemaId: schemaId!,
    minBucket,
    maxBucket,
    minLevel,
    maxLevel,
    minRowId: rowIdsKnown ? minRowId : null,
    maxRowId: rowIdsKnown ? maxRowId : null,
  };
}

/** Creates a new metadata file; never replaces one (Java opens it with overwrite = false). */
async function putMetadataFile(ctx: ManifestWriteContext, fileName: string, bytes: Uint8Array): Promise<void> {
  ctx.written.push(fileName);
  if (!(await ctx.store.putIfAbsent(manifestPath(fileName), bytes))) {
    ctx.written.pop(); // not ours: never clean it up
    throw new LakeError("io", `manifest writer: ${manifestPath(fileName)} already exists; metadata file names must be unique (is the UUID source random?)`);
  }
}

/**
 * Writes `entries` (in order) into one or more new manifest files, rolling at
 * `ctx.manifestTargetBytes`, and returns their ManifestFileMetas in order. Writes nothing for
 * no entries. Does not delete anything on failure (the caller's cleanup reads `ctx.written`).
 */
export async function writeManifests(ctx: ManifestWriteContext, entries: readonly ManifestEntry[]): Promise<ManifestFileMeta[]> {
  assert(ctx.manifestTargetBytes > 0, "manifest writer: target size must be positive");
  const out: ManifestFileMeta[] = [];
  const cache = new Map<string, Value[]>();
  let start = 0, estimatedBytes = 0;
  const flush = async (end: number): Promise<void> => {
    const fileEntries = entries.slice(start, end);
    const bytes = await encodeManifest(fileEntries, ctx.encode);
    const name = ctx.names.manifest();
    await putMetadataFile(ctx, name, bytes);
    out.push(manifestFileMetaOf(name, BigInt(bytes.length), fileEntries, ctx.partitionTypes, cache));
    start = end;
    estimatedBytes = 0;
  };
  for (let end = ROLL_CHECK_RECORD_COUNT; end < entries.length; end += ROLL_CHECK_RECORD_COUNT) {
    // Java checks the size after every 1000th record (counted across the rolled files).
    const chunk = entries.slice(end - ROLL_CHECK_RECORD_COUNT, end);
    estimatedBytes += (await encodeManifest(chunk, ctx.encode)).length;
    if (estimatedBytes >= ctx.manifestTargetBytes) await flush(end);
  }
  if (start < entries.length) await flush(entries.length);
  return out;
}

/** A written manifest list: its name and exact size. */
export interface WrittenList {
  readonly fileName: string;
  readonly fileSizeBytes: bigint;
}

/**
 * Writes one manifest list holding `metas` in order (possibly none: Java's first base list is an
 * empty Avro file). The bytes are decoded back and compared before they are stored.
 */
export async function writeManifestList(ctx: ManifestWriteContext, metas: readonly ManifestFileMeta[]): Promise<WrittenList> {
  const bytes = await encodeManifestList(metas, ctx.encode);
  const name = ctx.names.manifestList();
  const back = await decodeManifestList(bytes, { fileName: name });
  assert(back.length === metas.length && back.every((m, i) => m.fileName === metas[i]!.fileName && m.fileSize === metas[i]!.fileSize),
    `manifest writer: manifest list ${name} does not decode to what was encoded`);
  await putMetadataFile(ctx, name, bytes);
  return { fileName: name, fileSizeBytes: BigInt(bytes.length) };
}

/** Writes one index manifest holding `entries` (the complete index set); returns its name. */
export async function writeIndexManifest(ctx: ManifestWriteContext, entries: readonly IndexManifestEntry[]): Promise<string> {
  for (const e of entries) assert(e.kind === FILE_KIND.ADD, "manifest writer: an index manifest holds only ADD entries");
  const bytes = await encodeIndexManifest(entries, ctx.encode);
  const name = ctx.names.indexManifest();
  await putMetadataFile(ctx, name, bytes);
  return name;
}

/**
 * Deletes metadata files by name, best effort: a failed delete only leaves an orphan file that
 * no snapshot references (Java's orphan-files clean-up removes it), so errors are swallowed.
 * Requires: no committed snapshot references any of `fileNames`.
 */
export async function deleteMetadataFilesQuietly(store: ObjectStore, fileNames: Iterable<string>): Promise<void> {
  for (const name of fileNames) {
    try {
      await store.delete(manifestPath(name));
    } catch {
      // Best effort (see above): the orphan is harmless to readers.
    }
  }
}
