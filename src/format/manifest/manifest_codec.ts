/**
 * Manifest list, manifest and index manifest files: decode from bytes, encode to bytes.
 *
 * Reading accepts every Avro layout Java wrote from 0.4 to master: the top-level record or the
 * <=0.8 / early-0.9 `["null", record]` union with nullable nested records, any subset of the
 * current fields (absent ones read as null), extra unknown fields (skipped), codecs null,
 * deflate, snappy and zstandard. Files whose magic says ORC (`ORC`) or Parquet (`PAR1`)
 * (`manifest.format` of 0.4-1.4) are LakeError("unsupported") naming the format.
 * Writing produces what current Java writes: the writer schemas of
 * `spec/manifest_avro_schemas.ts`, `_VERSION` 2 (1 for index manifests), one ~64 KB block at a
 * time, codec from `manifest.compression` (zstd -> `zstandard` at `file.compression.zstd-level`,
 * default 1).
 *
 * Invariants: decode(encode(x)) equals x for every valid x; errors name the file (when given)
 * and the record index.
 *
 * Imports: `src/format/avro/*`, `manifest_records.ts`, `src/spec/*`, `src/errors.ts`.
 * Mirrors: org.apache.paimon.manifest.ManifestFile, ManifestList, IndexManifestFile (their
 * Avro read/write paths through org.apache.paimon.format.avro.AvroFileFormat).
 */
import { LakeError } from "../../errors.ts";
import type { IndexManifestEntry } from "../../spec/index_manifest_entry.ts";
import {
  INDEX_MANIFEST_ENTRY_AVRO_SCHEMA,
  MANIFEST_ENTRY_AVRO_SCHEMA,
  MANIFEST_FILE_META_AVRO_SCHEMA,
} from "../../spec/manifest_avro_schemas.ts";
import type { ManifestEntry } from "../../spec/manifest_entry.ts";
import type { ManifestFileMeta } from "../../spec/manifest_file_meta.ts";
import type { AvroRecordValue } from "../avro/binary.ts";
import { type AvroCodec, ZSTD_LEVEL_DEFAULT } from "../avro/codecs.ts";
import { hasAvroMagic, readAvroContainer, writeAvroContainer } from "../avro/container.ts";
import { type AvroSchema, avroSchemaFromJson } from "../avro/schema.ts";
import {
  indexManifestEntryFromRecord,
  indexManifestEntryToRecord,
  manifestEntryFromRecord,
  manifestEntryToRecord,
  manifestFileMetaFromRecord,
  manifestFileMetaToRecord,
} from "./manifest_records.ts";

/** Parsed writer schema of manifest files (also the reader schema every layout resolves into). */
export const MANIFEST_ENTRY_SCHEMA: AvroSchema = avroSchemaFromJson(MANIFEST_ENTRY_AVRO_SCHEMA);
/** Parsed writer schema of manifest lists. */
export const MANIFEST_FILE_META_SCHEMA: AvroSchema = avroSchemaFromJson(MANIFEST_FILE_META_AVRO_SCHEMA);
/** Parsed writer schema of index manifests. */
export const INDEX_MANIFEST_ENTRY_SCHEMA: AvroSchema = avroSchemaFromJson(INDEX_MANIFEST_ENTRY_AVRO_SCHEMA);

/** Default of the `manifest.compression` table option. */
export const MANIFEST_COMPRESSION_DEFAULT = "zstd";

/** Options for decoding. */
export interface ManifestDecodeOptions {
  /** File name, used in error messages only. */
  readonly fileName?: string;
}

/** Options for encoding, named after the Paimon table options they come from. */
export interface ManifestEncodeOptions {
  /** `manifest.compression`: zstd (default), none/null, deflate or snappy. */
  readonly compression?: string;
  /** `file.compression.zstd-level` (default 1). */
  readonly zstdLevel?: number;
  /** Fixed sync marker (16 bytes) for reproducible output; default random, as Java. */
  readonly syncMarker?: Uint8Array;
}

/** The file format a metadata file's magic bytes announce. */
export type ManifestFileFormat = "avro" | "orc" | "parquet";

/**
 * Tells the format of a manifest-like file from its first bytes (`Obj\x01`, `ORC`, `PAR1`).
 * Throws LakeError("corruption") when it is none of them.
 */
export function sniffManifestFormat(bytes: Uint8Array, fileName = "manifest file"): ManifestFileFormat {
  if (hasAvroMagic(bytes)) return "avro";
  if (bytes.length >= 3 && bytes[0] === 0x4f && bytes[1] === 0x52 && bytes[2] === 0x43) return "orc";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31) return "parquet";
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  throw new LakeError("corruption", `manifest: ${fileName} starts with [${head}], which is neither Avro, ORC nor Parquet`);
}

/**
 * Maps the `manifest.compression` option to the Avro codec Java writes.
 * zstd/zstandard -> zstandard, none/null -> null, deflate, snappy; anything else (lz4, gzip,
 * bzip2, xz, ...) is LakeError("unsupported").
 */
export function avroCodecForCompression(compression: string): AvroCodec {
  switch (compression.toLowerCase()) {
    case "zstd":
    case "zstandard":
      return "zstandard";
    case "none":
    case "null":
      return "null";
    case "deflate":
      return "deflate";
    case "snappy":
      return "snappy";
    default:
      throw new LakeError("unsupported", `manifest: manifest.compression "${compression}" is not supported, expected zstd, none, deflate or snappy`);
  }
}

async function decodeRecords(bytes: Uint8Array, schema: AvroSchema, what: string, fileName: string): Promise<AvroRecordValue[]> {
  const format = sniffManifestFormat(bytes, fileName);
  if (format !== "avro") {
    const label = format === "orc" ? "ORC" : "Parquet";
    throw new LakeError("unsupported", `${what}: ${fileName} is a ${label} file (manifest.format=${format}); only Avro manifests are supported`);
  }
  try {
    const { records } = await readAvroContainer(bytes, { readerSchema: schema });
    return records as AvroRecordValue[];
  } catch (error) {
    if (error instanceof LakeError) throw new LakeError(error.code, `${what}: ${fileName}: ${error.message}`, { cause: error });
    throw error;
  }
}

async function encodeRecords(schema: AvroSchema, records: AvroRecordValue[], options: ManifestEncodeOptions): Promise<Uint8Array<ArrayBuffer>> {
  const codec = avroCodecForCompression(options.compression ?? MANIFEST_COMPRESSION_DEFAULT);
  return writeAvroContainer(schema, records, {
    codec,
    zstdLevel: options.zstdLevel ?? ZSTD_LEVEL_DEFAULT,
    ...(options.syncMarker === undefined ? {} : { syncMarker: options.syncMarker }),
  });
}

/** Decodes a manifest list file (`manifest-list-*`) into its records, in file order. */
export async function decodeManifestList(bytes: Uint8Array, options: ManifestDecodeOptions = {}): Promise<ManifestFileMeta[]> {
  const name = options.fileName ?? "manifest list";
  const records = await decodeRecords(bytes, MANIFEST_FILE_META_SCHEMA, "manifest list", name);
  return records.map((r, i) => manifestFileMetaFromRecord(r, `manifest list ${name} record ${i}`));
}

/** Decodes a manifest file (`manifest-*`) into its entries, in file order. */
export async function decodeManifest(bytes: Uint8Array, options: ManifestDecodeOptions = {}): Promise<ManifestEntry[]> {
  const name = options.fileName ?? "manifest";
  const records = await decodeRecords(bytes, MANIFEST_ENTRY_SCHEMA, "manifest", name);
  return records.map((r, i) => manifestEntryFromRecord(r, `manifest ${name} entry ${i}`));
}

/** Decodes an index manifest file (`index-manifest-*`) into its entries, in file order. */
export async function decodeIndexManifest(bytes: Uint8Array, options: ManifestDecodeOptions = {}): Promise<IndexManifestEntry[]> {
  const name = options.fileName ?? "index manifest";
  const records = await decodeRecords(bytes, INDEX_MANIFEST_ENTRY_SCHEMA, "index manifest", name);
  return records.map((r, i) => indexManifestEntryFromRecord(r, `index manifest ${name} entry ${i}`));
}

/** Encodes a manifest list file as current Java writes it. */
export async function encodeManifestList(metas: readonly ManifestFileMeta[], options: ManifestEncodeOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return encodeRecords(MANIFEST_FILE_META_SCHEMA, metas.map(manifestFileMetaToRecord), options);
}

/** Encodes a manifest file as current Java writes it. */
export async function encodeManifest(entries: readonly ManifestEntry[], options: ManifestEncodeOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return encodeRecords(
    MANIFEST_ENTRY_SCHEMA,
    entries.map((e, i) => manifestEntryToRecord(e, `manifest entry ${i}`)),
    options,
  );
}

/** Encodes an index manifest file as current Java writes it. */
export async function encodeIndexManifest(entries: readonly IndexManifestEntry[], options: ManifestEncodeOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return encodeRecords(
    INDEX_MANIFEST_ENTRY_SCHEMA,
    entries.map((e, i) => indexManifestEntryToRecord(e, `index manifest entry ${i}`)),
    options,
  );
}
