/**
 * Lookup of a key's stored record in the levels of one bucket, from a start level down (Java
 * `LookupLevels` + `LookupUtils`): the first level (ascending) whose run holds the key answers;
 * in each level the one file whose key range can hold the key is found by binary search on the
 * files' max keys. The answer is the record as stored (value, sequence number, row kind, and the
 * level it was found at), -D/-U records included: the caller decides what a retract means.
 *
 * Java builds a local sorted lookup file per data file; lakestate loads each needed data file
 * once into memory and indexes its keys (`prepare` loads, `lookup` is synchronous so a merge
 * function can call it). Loaded files stay cached until `retain` sees them leave the levels
 * (Java's drop-file callback) or, least recently prepared first, while the cached files' sizes
 * on storage add up to more than `cacheBytesMax` (the writer passes
 * `lookup.cache-max-memory-size`); the files of the current `prepare` are never evicted.
 * Memory: the loaded files' decoded rows (several times their Parquet size); `prepare` only
 * loads files of the levels >= the start level whose key range overlaps the range compacted.
 *
 * Invariants: files of levels >= 1 hold each key at most once; `lookup` requires `prepare` to
 * have loaded the files it may touch (asserted).
 * Imports: util (assert), spec (binary_row, data_types/values/data_file_meta types, key_codec,
 * row_kind), format/data (DataBatch type), lsm (key_value, levels, sorted_run).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/LookupLevels.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/LookupUtils.java
 */
import type { DataBatch } from "../format/data/data_batch.ts";
import { decodeSerializedBinaryRow } from "../spec/binary_row.ts";
import type { DataFileMeta } from "../spec/data_file_meta.ts";
import type { DataType } from "../spec/data_types.ts";
import { createKeyCodec, type KeyCodec } from "../spec/key_codec.ts";
import { rowKindFromByte } from "../spec/row_kind.ts";
import type { Row, Value } from "../spec/values.ts";
import { assert } from "../util/assert.ts";
import { compareBytes } from "../util/bytes.ts";
import type { KeyValue } from "./key_value.ts";
import type { Levels } from "./levels.ts";
import { filesOverlapping, type KeyRange } from "./sorted_run.ts";

/** A loaded data file: its batch and the row of each key. */
interface LoadedFile {
  readonly batch: DataBatch;
  readonly rowOfKey: Map<string, number>;
  readonly level: number;
  readonly fileSizeBytes: number;
}

/** Latin-1 string of key-part bytes (a Map key). */
function keyString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** Java `LookupLevels` of one bucket (see the file header). */
export class LookupLevels {
  readonly #codec: KeyCodec;
  readonly #keyTypes: readonly DataType[];
  readonly #readFile: (file: DataFileMeta) => Promise<DataBatch>;
  readonly #loaded = new Map<string, LoadedFile>();
  readonly #keyParts = new WeakMap<Uint8Array, Uint8Array>();
  readonly #cacheBytesMax: number;
  #cachedBytes = 0;

  /**
   * `readFile` reads a data file of the bucket into the current schema (keys and system columns
   * included); `cacheBytesMax` bounds the storage size of the files kept between prepares.
   */
  constructor(keyTypes: readonly DataType[], readFile: (file: DataFileMeta) => Promise<DataBatch>, cacheBytesMax = Number.POSITIVE_INFINITY) {
    this.#keyTypes = keyTypes;
    this.#codec = createKeyCodec(keyTypes);
    this.#readFile = readFile;
    this.#cacheBytesMax = cacheBytesMax;
  }

  /** Files loaded now (tests). */
  get loadedFileCount(): number {
    return this.#loaded.size;
  }

  /** Forgets loaded files that are not among `levels`' files at their level (Java drop-file callback). */
  retain(levels: Levels): void {
    const live = new Set(levels.allFiles().map((f) => `${f.level}/${f.fileName}`));
    for (const name of [...this.#loaded.keys()]) if (!live.has(name)) this.#drop(name);
  }

  #drop(id: string): void {
    const file = this.#loaded.get(id);
    if (file === undefined) return;
    this.#cachedBytes -= file.fileSizeBytes;
    this.#loaded.delete(id);
  }

  /** Loads every file of levels >= `startLevel` (>= 1) whose key range overlaps `range` (null: all). */
  async prepare(levels: Levels, startLevel: number, range: KeyRange | null): Promise<void> {
    assert(startLevel >= 1, `lookup levels: start level ${startLevel}`);
    this.retain(levels);
    const current = new Set<string>();
    for (let level = startLevel; level < levels.levelCount; level++) {
      const run = levels.runOfLevel(level);
      const files = range === null ? run.files : filesOverlapping(run, range, levels.compareKeys);
      for (const file of files) current.add(await this.#load(file));
    }
    // Least recently prepared first (Map order), never a file of this prepare.
    for (const id of [...this.#loaded.keys()]) {
      if (this.#cachedBytes <= this.#cacheBytesMax) break;
      if (!current.has(id)) this.#drop(id);
    }
  }

  /** Loads `file` (or marks it recently used); returns its cache id. */
  async #load(file: DataFileMeta): Promise<string> {
    const id = `${file.level}/${file.fileName}`;
    const cached = this.#loaded.get(id);
    if (cached !== undefined) {
      this.#loaded.delete(id);
      this.#loaded.set(id, cached);
      return id;
    }
    const batch = await this.#readFile(file);
    assert(batch.keys !== null && batch.sequenceNumbers !== null && batch.rowKinds !== null, `lookup levels: ${file.fileName} read without keys`);
    const rowOfKey = new Map<string, number>();
    const key: Value[] = new Array(batch.keys.length);
    for (let i = 0; i < batch.rowCount; i++) {
      for (let k = 0; k < key.length; k++) key[k] = batch.keys[k]![i] ?? null;
      rowOfKey.set(keyString(this.#codec.encodeKeyPart(key)), i);
    }
    this.#loaded.set(id, { batch, rowOfKey, level: file.level, fileSizeBytes: Number(file.fileSize) });
    this.#cachedBytes += Number(file.fileSize);
    return id;
  }

  #keyPartOf(row: Uint8Array): Uint8Array {
    let part = this.#keyParts.get(row);
    if (part === undefined) {
      part = this.#codec.encodeKeyPart(decodeSerializedBinaryRow(this.#keyTypes, row));
      this.#keyParts.set(row, part);
    }
    return part;
  }

  /**
   * The stored record of `key` in the first level >= `startLevel` holding it, or null (Java
   * `lookup(key, startLevel)`). Requires: `prepare` covered the key with the same levels.
   */
  lookup(levels: Levels, key: Row, startLevel: number): KeyValue | null {
    const target = this.#codec.encodeKeyPart(key);
    for (let level = Math.max(1, startLevel); level < levels.levelCount; level++) {
      const files = levels.runOfLevel(level).files;
      if (files.length === 0) continue;
      let left = 0, right = files.length - 1;
      while (left < right) {
        const mid = (left + right) >> 1;
        if (compareBytes(this.#keyPartOf(files[mid]!.maxKey), target) < 0) left = mid + 1;
        else right = mid;
      }
      const file = files[right]!;
      if (compareBytes(this.#keyPartOf(file.maxKey), target) < 0 || compareBytes(this.#keyPartOf(file.minKey), target) > 0) continue;
      const loaded = this.#loaded.get(`${file.level}/${file.fileName}`);
      assert(loaded !== undefined, `lookup levels: ${file.fileName} (level ${level}) was not prepared`);
      const row = loaded.rowOfKey.get(keyString(target));
      if (row === undefined) continue;
      const { batch } = loaded;
      return {
        key: batch.keys!.map((c) => c[row] ?? null),
        sequenceNumber: batch.sequenceNumbers![row]!,
        rowKind: rowKindFromByte(batch.rowKinds![row]!),
        value: batch.columns.map((c) => c[row] ?? null),
        level,
      };
    }
    return null;
  }
}
