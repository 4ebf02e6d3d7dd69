/**
 * Conversion between decoded Avro manifest records (field name -> value, already resolved into
 * the current writer schema's shape) and the typed spec objects, in both directions.
 *
 * Reading: fields absent from an older layout arrive as null; a null in a field that must exist
 * (ids 0-11 of DataFileMeta, the stats records, `_VERSION`, ...) is LakeError("corruption")
 * naming the record index and field; `_VERSION` is checked (2 for manifest and manifest list
 * records, 1 for index manifest records) and a wrong value is LakeError("unsupported").
 * Writing: produces exactly the values Java's serializers write (`toRow`), so `_VERSION`, kinds
 * and file sources are validated before encoding.
 *
 * Imports: `src/errors.ts`, `src/spec/*` (types and constants), `src/format/avro/binary.ts` (types).
 * Mirrors: ManifestEntrySerializer, DataFileMetaSerializer, ManifestFileMetaSerializer,
 * IndexManifestEntrySerializer, SimpleStats#toRow/fromRow.
 */
import { LakeError } from "../../errors.ts";
import type { DataFileMeta, FileSource } from "../../spec/data_file_meta.ts";
import {
  type DeletionVectorMeta,
  type GlobalIndexMeta,
  INDEX_MANIFEST_ENTRY_VERSION,
  type IndexManifestEntry,
} from "../../spec/index_manifest_entry.ts";
import { type FileKind, MANIFEST_ENTRY_VERSION, type ManifestEntry } from "../../spec/manifest_entry.ts";
import { MANIFEST_FILE_META_VERSION, type ManifestFileMeta } from "../../spec/manifest_file_meta.ts";
import type { SimpleStats } from "../../spec/simple_stats.ts";
import type { AvroRecordValue, AvroValue } from "../avro/binary.ts";

/** A decoded record and where it came from, for error messages. */
class Fields {
  readonly rec: AvroRecordValue;
  readonly where: string;
  constructor(rec: AvroRecordValue, where: string) {
    this.rec = rec;
    this.where = where;
  }
  #missing(name: string): never {
    throw new LakeError("corruption", `${this.where}: required field ${name} is missing or null`);
  }
  raw(name: string): AvroValue {
    const v = this.rec[name];
    return v === undefined ? null : v;
  }
  int(name: string): number {
    const v = this.raw(name);
    return typeof v === "number" ? v : this.#missing(name);
  }
  long(name: string): bigint {
    const v = this.raw(name);
    return typeof v === "bigint" ? v : this.#missing(name);
  }
  string(name: string): string {
    const v = this.raw(name);
    return typeof v === "string" ? v : this.#missing(name);
  }
  bytes(name: string): Uint8Array {
    const v = this.raw(name);
    return v instanceof Uint8Array ? v : this.#missing(name);
  }
  record(name: string): Fields {
    const v = this.raw(name);
    if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Map || v instanceof Uint8Array) this.#missing(name);
    return new Fields(v as AvroRecordValue, `${this.where}.${name}`);
  }
  array(name: string): AvroValue[] {
    const v = this.raw(name);
    return Array.isArray(v) ? v : this.#missing(name);
  }
  optInt(name: string): number | null {
    const v = this.raw(name);
    return v === null ? null : this.int(name);
  }
  optLong(name: string): bigint | null {
    const v = this.raw(name);
    return v === null ? null : this.long(name);
  }
  optString(name: string): string | null {
    const v = this.raw(name);
    return v === null ? null : this.string(name);
  }
  optBytes(name: string): Uint8Array | null {
    const v = this.raw(name);
    return v === null ? null : this.bytes(name);
  }
  optArray(name: string): AvroValue[] | null {
    const v = this.raw(name);
    return v === null ? null : this.array(name);
  }
  fail(message: string): never {
    throw new LakeError("corruption", `${this.where}: ${message}`);
  }
}

function stringItems(f: Fields, name: string, items: AvroValue[]): string[] {
  return items.map((x, i) => (typeof x === "string" ? x : f.fail(`${name}[${i}] is not a string`)));
}

function checkVersion(f: Fields, expected: number): void {
  const version = f.int("_VERSION");
  if (version === expected) return;
  const hint = expected === MANIFEST_ENTRY_VERSION && version === 1 ? " (a pre-0.4 table: recreate it with a newer Paimon)" : "";
  throw new LakeError("unsupported", `${f.where}: _VERSION ${version} is not supported, expected ${expected}${hint}`);
}

function fileKind(f: Fields): FileKind {
  const kind = f.int("_KIND");
  if (kind !== 0 && kind !== 1) f.fail(`_KIND ${kind} is not ADD (0) or DELETE (1)`);
  return kind;
}

function simpleStatsFromRecord(f: Fields): SimpleStats {
  const counts = f.optArray("_NULL_COUNTS");
  return {
    minValues: f.bytes("_MIN_VALUES"),
    maxValues: f.bytes("_MAX_VALUES"),
    nullCounts: counts === null ? null : counts.map((x, i) => (x === null || typeof x === "bigint" ? x : f.fail(`_NULL_COUNTS[${i}] is not a long`))),
  };
}

function simpleStatsToRecord(stats: SimpleStats): AvroRecordValue {
  return { _MIN_VALUES: stats.minValues, _MAX_VALUES: stats.maxValues, _NULL_COUNTS: stats.nullCounts === null ? null : [...stats.nullCounts] };
}

function dataFileMetaFromRecord(f: Fields): DataFileMeta {
  const source = f.optInt("_FILE_SOURCE");
  if (source !== null && source !== 0 && source !== 1) f.fail(`_FILE_SOURCE ${source} is not APPEND (0) or COMPACT (1)`);
  const statsCols = f.optArray("_VALUE_STATS_COLS");
  const writeCols = f.optArray("_WRITE_COLS");
  const sequences = f.optArray("_WRITE_COLS_SEQUENCES");
  return {
    fileName: f.string("_FILE_NAME"),
    fileSize: f.long("_FILE_SIZE"),
    rowCount: f.long("_ROW_COUNT"),
    minKey: f.bytes("_MIN_KEY"),
    maxKey: f.bytes("_MAX_KEY"),
    keyStats: simpleStatsFromRecord(f.record("_KEY_STATS")),
    valueStats: simpleStatsFromRecord(f.record("_VALUE_STATS")),
    minSequenceNumber: f.long("_MIN_SEQUENCE_NUMBER"),
    maxSequenceNumber: f.long("_MAX_SEQUENCE_NUMBER"),
    schemaId: f.long("_SCHEMA_ID"),
    level: f.int("_LEVEL"),
    extraFiles: stringItems(f, "_EXTRA_FILES", f.array("_EXTRA_FILES")),
    creationTime: f.optLong("_CREATION_TIME"),
    deleteRowCount: f.optLong("_DELETE_ROW_COUNT"),
    embeddedIndex: f.optBytes("_EMBEDDED_FILE_INDEX"),
    fileSource: source as FileSource | null,
    valueStatsCols: statsCols === null ? null : stringItems(f, "_VALUE_STATS_COLS", statsCols),
    externalPath: f.optString("_EXTERNAL_PATH"),
    firstRowId: f.optLong("_FIRST_ROW_ID"),
    writeCols: writeCols === null ? null : stringItems(f, "_WRITE_COLS", writeCols),
    columnMaxSequenceNumbers:
      sequences === null ? null : sequences.map((x, i) => (typeof x === "bigint" ? x : f.fail(`_WRITE_COLS_SEQUENCES[${i}] is not a long`))),
  };
}

function dataFileMetaToRecord(file: DataFileMeta, where: string): AvroRecordValue {
  if (file.fileSource !== null && file.fileSource !== 0 && file.fileSource !== 1) {
    throw new LakeError("invalid_argument", `${where}: fileSource ${String(file.fileSource)} is not APPEND (0) or COMPACT (1)`);
  }
  return {
    _FILE_NAME: file.fileName,
    _FILE_SIZE: file.fileSize,
    _ROW_COUNT: file.rowCount,
    _MIN_KEY: file.minKey,
    _MAX_KEY: file.maxKey,
    _KEY_STATS: simpleStatsToRecord(file.keyStats),
    _VALUE_STATS: simpleStatsToRecord(file.valueStats),
    _MIN_SEQUENCE_NUMBER: file.minSequenceNumber,
    _MAX_SEQUENCE_NUMBER: file.maxSequenceNumber,
    _SCHEMA_ID: file.schemaId,
    _LEVEL: file.level,
    _EXTRA_FILES: [...file.extraFiles],
    _CREATION_TIME: file.creationTime,
    _DELETE_ROW_COUNT: file.deleteRowCount,
    _EMBEDDED_FILE_INDEX: file.embeddedIndex,
    _FILE_SOURCE: file.fileSource,
    _VALUE_STATS_COLS: file.valueStatsCols === null ? null : [...file.valueStatsCols],
    _EXTERNAL_PATH: file.externalPath,
    _FIRST_ROW_ID: file.firstRowId,
    _WRITE_COLS: file.writeCols === null ? null : [...file.writeCols],
    _WRITE_COLS_SEQUENCES: file.columnMaxSequenceNumbers === null ? null : [...file.columnMaxSequenceNumbers],
  };
}

function checkKind(kind: number, where: string): void {
  if (kind !== 0 && kind !== 1) throw new LakeError("invalid_argument", `${where}: kind ${kind} is not ADD (0) or DELETE (1)`);
}

/** Converts one decoded manifest record; `where` prefixes error messages. */
export function manifestEntryFromRecord(rec: AvroRecordValue, where: string): ManifestEntry {
  const f = new Fields(rec, where);
  checkVersion(f, MANIFEST_ENTRY_VERSION);
  return {
    kind: fileKind(f),
    partition: f.bytes("_PARTITION"),
    bucket: f.int("_BUCKET"),
    totalBuckets: f.int("_TOTAL_BUCKETS"),
    file: dataFileMetaFromRecord(f.record("_FILE")),
  };
}

/** The Avro record Java's ManifestEntrySerializer writes for `entry`. */
export function manifestEntryToRecord(entry: ManifestEntry, where: string): AvroRecordValue {
  checkKind(entry.kind, where);
  return {
    _VERSION: MANIFEST_ENTRY_VERSION,
    _KIND: entry.kind,
    _PARTITION: entry.partition,
    _BUCKET: entry.bucket,
    _TOTAL_BUCKETS: entry.totalBuckets,
    _FILE: dataFileMetaToRecord(entry.file, `${where}.file`),
  };
}

/** Converts one decoded manifest list record. */
export function manifestFileMetaFromRecord(rec: AvroRecordValue, where: string): ManifestFileMeta {
  const f = new Fields(rec, where);
  checkVersion(f, MANIFEST_FILE_META_VERSION);
  return {
    fileName: f.string("_FILE_NAME"),
    fileSize: f.long("_FILE_SIZE"),
    numAddedFiles: f.long("_NUM_ADDED_FILES"),
    numDeletedFiles: f.long("_NUM_DELETED_FILES"),
    partitionStats: simpleStatsFromRecord(f.record("_PARTITION_STATS")),
    schemaId: f.long("_SCHEMA_ID"),
    minBucket: f.optInt("_MIN_BUCKET"),
    maxBucket: f.optInt("_MAX_BUCKET"),
    minLevel: f.optInt("_MIN_LEVEL"),
    maxLevel: f.optInt("_MAX_LEVEL"),
    minRowId: f.optLong("_MIN_ROW_ID"),
    maxRowId: f.optLong("_MAX_ROW_ID"),
  };
}

/** The Avro record Java's ManifestFileMetaSerializer writes for `meta`. */
export function manifestFileMetaToRecord(meta: ManifestFileMeta): AvroRecordValue {
  return {
    _VERSION: MANIFEST_FILE_META_VERSION,
    _FILE_NAME: meta.fileName,
    _FILE_SIZE: meta.fileSize,
    _NUM_ADDED_FILES: meta.numAddedFiles,
    _NUM_DELETED_FILES: meta.numDeletedFiles,
    _PARTITION_STATS: simpleStatsToRecord(meta.partitionStats),
    _SCHEMA_ID: meta.schemaId,
    _MIN_BUCKET: meta.minBucket,
    _MAX_BUCKET: meta.maxBucket,
    _MIN_LEVEL: meta.minLevel,
    _MAX_LEVEL: meta.maxLevel,
    _MIN_ROW_ID: meta.minRowId,
    _MAX_ROW_ID: meta.maxRowId,
  };
}

function dvRangeFromRecord(value: AvroValue, f: Fields, i: number): DeletionVectorMeta {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Map || value instanceof Uint8Array) {
    f.fail(`_DELETIONS_VECTORS_RANGES[${i}] is null`);
  }
  const r = new Fields(value as AvroRecordValue, `${f.where}._DELETIONS_VECTORS_RANGES[${i}]`);
  return { dataFileName: r.string("f0"), offset: r.int("f1"), length: r.int("f2"), cardinality: r.optLong("_CARDINALITY") };
}

function globalIndexFromRecord(f: Fields): GlobalIndexMeta | null {
  if (f.raw("_GLOBAL_INDEX") === null) return null;
  const g = f.record("_GLOBAL_INDEX");
  const extra = g.optArray("_EXTRA_FIELD_IDS");
  return {
    rowRangeStart: g.long("_ROW_RANGE_START"),
    rowRangeEnd: g.long("_ROW_RANGE_END"),
    indexFieldId: g.int("_INDEX_FIELD_ID"),
    extraFieldIds: extra === null ? null : extra.map((x, i) => (typeof x === "number" ? x : g.fail(`_EXTRA_FIELD_IDS[${i}] is not an int`))),
    indexMeta: g.optBytes("_INDEX_META"),
    sourceMeta: g.optBytes("_SOURCE_META"),
  };
}

/** Converts one decoded index manifest record. */
export function indexManifestEntryFromRecord(rec: AvroRecordValue, where: string): IndexManifestEntry {
  const f = new Fields(rec, where);
  checkVersion(f, INDEX_MANIFEST_ENTRY_VERSION);
  const ranges = f.optArray("_DELETIONS_VECTORS_RANGES");
  return {
    kind: fileKind(f),
    partition: f.bytes("_PARTITION"),
    bucket: f.int("_BUCKET"),
    indexFile: {
      indexType: f.string("_INDEX_TYPE"),
      fileName: f.string("_FILE_NAME"),
      fileSize: f.long("_FILE_SIZE"),
      rowCount: f.long("_ROW_COUNT"),
      dvRanges: ranges === null ? null : ranges.map((x, i) => dvRangeFromRecord(x, f, i)),
      externalPath: f.optString("_EXTERNAL_PATH"),
      globalIndex: globalIndexFromRecord(f),
    },
  };
}

/** The Avro record Java's IndexManifestEntrySerializer writes for `entry`. */
export function indexManifestEntryToRecord(entry: IndexManifestEntry, where: string): AvroRecordValue {
  checkKind(entry.kind, where);
  const file = entry.indexFile;
  const g = file.globalIndex;
  return {
    _VERSION: INDEX_MANIFEST_ENTRY_VERSION,
    _KIND: entry.kind,
    _PARTITION: entry.partition,
    _BUCKET: entry.bucket,
    _INDEX_TYPE: file.indexType,
    _FILE_NAME: file.fileName,
    _FILE_SIZE: file.fileSize,
    _ROW_COUNT: file.rowCount,
    _DELETIONS_VECTORS_RANGES:
      file.dvRanges === null
        ? null
        : file.dvRanges.map((d) => ({ f0: d.dataFileName, f1: d.offset, f2: d.length, _CARDINALITY: d.cardinality })),
    _EXTERNAL_PATH: file.externalPath,
    _GLOBAL_INDEX:
      g === null
        ? null
        : {
            _ROW_RANGE_START: g.rowRangeStart,
            _ROW_RANGE_END: g.rowRangeEnd,
            _INDEX_FIELD_ID: g.indexFieldId,
            _EXTRA_FIELD_IDS: g.extraFieldIds === null ? null : [...g.extraFieldIds],
            _INDEX_META: g.indexMeta,
            _SOURCE_META: g.sourceMeta,
          },
  };
}
