/**
 * Avro Object Container Files: read (with validation) and write, fully in memory.
 *
 * Byte layout (Avro specification, "Object Container Files"):
 *   header  magic "Obj" 0x01 | metadata map<bytes> (avro.schema = writer schema JSON, avro.codec)
 *           | 16-byte sync marker
 *   block*  long record count | long byte size of the (compressed) data | data | sync marker
 * A file with no records is the header only.
 *
 * Invariants: the reader checks the magic, that `avro.schema` parses, that the codec is known,
 * that every block is complete and followed by the header's sync marker, and that each block's
 * records consume exactly its decompressed bytes; any violation is LakeError("corruption") naming
 * the offset. The writer emits metadata `avro.schema` then `avro.codec` (Java's order) and flushes
 * a block once its serialized records reach `blockBytesTarget` (Java's default sync interval).
 *
 * Imports: `binary.ts`, `codecs.ts`, `datum.ts`, `resolve.ts`, `schema.ts`, `src/errors.ts`.
 * Mirrors: org.apache.avro.file.DataFileReader / DataFileWriter.
 */
import { LakeError } from "../../errors.ts";
import { type AvroValue, AvroReader, AvroWriter } from "./binary.ts";
import { type AvroCodec, type AvroCompressOptions, compressAvroBlock, decompressAvroBlock, parseAvroCodec } from "./codecs.ts";
import { type AvroDecoder, compileDecoder, compileEncoder } from "./datum.ts";
import { compileResolvingDecoder } from "./resolve.ts";
import { type AvroSchema, avroSchemaToJson, parseAvroSchema } from "./schema.ts";

/** The 4 magic bytes "Obj\x01" (persisted). */
export const AVRO_MAGIC: Uint8Array = Uint8Array.of(0x4f, 0x62, 0x6a, 0x01);

/** Length of the sync marker in bytes (persisted). */
export const AVRO_SYNC_BYTES = 16;

/** Java's DataFileWriter default sync interval: a block is flushed at this many bytes. */
export const AVRO_BLOCK_BYTES_TARGET = 64000;

/** Largest record count we accept in one block (a corrupt count fails fast). */
export const AVRO_BLOCK_RECORD_COUNT_MAX = 1 << 26;

/** The parsed header of a container file. */
export interface AvroContainerHeader {
  /** Writer schema parsed from `avro.schema`. */
  readonly schema: AvroSchema;
  /** `avro.schema` as written (JSON text). */
  readonly schemaJson: string;
  /** `avro.codec` (absent means "null"). */
  readonly codec: AvroCodec;
  /** All metadata entries, raw. */
  readonly metadata: ReadonlyMap<string, Uint8Array>;
  readonly syncMarker: Uint8Array;
  /** Offset of the first block. */
  readonly dataStart: number;
}

/** Options for `readAvroContainer`. */
export interface AvroReadOptions {
  /** Decode records into this schema's shape (field-by-name resolution); default: the writer schema. */
  readonly readerSchema?: AvroSchema;
}

/** Options for `writeAvroContainer`. */
export interface AvroWriteOptions extends AvroCompressOptions {
  /** Block codec (default "null"). */
  readonly codec?: AvroCodec;
  /** Sync marker; default 16 random bytes (crypto.getRandomValues), as Java does. */
  readonly syncMarker?: Uint8Array;
  /** Flush a block when its serialized records reach this many bytes (default `AVRO_BLOCK_BYTES_TARGET`). */
  readonly blockBytesTarget?: number;
  /** Extra metadata entries (keys must not start with "avro."). */
  readonly metadata?: ReadonlyMap<string, Uint8Array>;
}

function corrupt(message: string, cause?: unknown): LakeError {
  return new LakeError("corruption", `avro container: ${message}`, cause === undefined ? undefined : { cause });
}

/** True when `bytes` start with the Avro container magic. */
export function hasAvroMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && AVRO_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses and validates the header. Throws LakeError("corruption") or ("unsupported") for the codec. */
export function readAvroContainerHeader(bytes: Uint8Array): AvroContainerHeader {
  if (!hasAvroMagic(bytes)) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw corrupt(`bad magic [${head}], expected 4f 62 6a 01 ("Obj\\x01")`);
  }
  const r = new AvroReader(bytes, 4);
  const metadata = new Map<string, Uint8Array>();
  try {
    for (;;) {
      const count = r.readBlockCount();
      if (count === 0) break;
      for (let i = 0; i < count; i++) metadata.set(r.readString(), r.readBytes().slice());
    }
    r.need(AVRO_SYNC_BYTES);
  } catch (error) {
    if (error instanceof LakeError) throw corrupt(`truncated or malformed header: ${error.message}`, error);
    throw error;
  }
  const syncMarker = bytes.slice(r.pos, r.pos + AVRO_SYNC_BYTES);
  const rawSchema = metadata.get("avro.schema");
  if (rawSchema === undefined) throw corrupt("header has no avro.schema");
  const schemaJson = new TextDecoder().decode(rawSchema);
  let schema: AvroSchema;
  try {
    schema = parseAvroSchema(schemaJson);
  } catch (error) {
    throw corrupt(`invalid avro.schema: ${(error as Error).message}`, error);
  }
  const rawCodec = metadata.get("avro.codec");
  const codec = parseAvroCodec(rawCodec === undefined ? "null" : new TextDecoder().decode(rawCodec));
  return { schema, schemaJson, codec, metadata, syncMarker, dataStart: r.pos + AVRO_SYNC_BYTES };
}

/**
 * One block: its record count and decompressed record bytes (a private buffer: decoded bytes
 * values are views into it, so each keeps its block's buffer alive).
 */
export interface AvroBlock {
  readonly recordCount: number;
  readonly data: Uint8Array;
  /** Offset of the block in the file. */
  readonly offset: number;
}

/** Iterates over the blocks after `header`, checking framing and sync markers. */
export async function* readAvroContainerBlocks(bytes: Uint8Array, header: AvroContainerHeader): AsyncGenerator<AvroBlock> {
  const r = new AvroReader(bytes, header.dataStart);
  while (r.pos < r.end) {
    const offset = r.pos;
    let recordCount: number;
    let size: number;
    try {
      recordCount = r.readLength("block record count");
      size = r.readLength("block byte size");
      r.need(size + AVRO_SYNC_BYTES);
    } catch (error) {
      if (error instanceof LakeError) throw corrupt(`truncated block at offset ${offset}: ${error.message}`, error);
      throw error;
    }
    if (recordCount > AVRO_BLOCK_RECORD_COUNT_MAX) throw corrupt(`block at offset ${offset} claims ${recordCount} records`);
    const compressed = bytes.subarray(r.pos, r.pos + size);
    r.pos += size;
    for (let i = 0; i < AVRO_SYNC_BYTES; i++) {
      if (bytes[r.pos + i] !== header.syncMarker[i]) throw corrupt(`sync marker mismatch after the block at offset ${offset}`);
    }
    r.pos += AVRO_SYNC_BYTES;
    yield { recordCount, data: await decompressAvroBlock(header.codec, compressed), offset };
  }
}

/** Decodes the records of one block; they must use exactly its bytes. */
export function decodeAvroBlock(block: AvroBlock, decode: AvroDecoder, out: AvroValue[]): void {
  const r = new AvroReader(block.data);
  try {
    for (let i = 0; i < block.recordCount; i++) out.push(decode(r));
  } catch (error) {
    if (error instanceof LakeError && error.code === "corruption") {
      throw corrupt(`block at offset ${block.offset}: ${error.message}`, error);
    }
    throw error;
  }
  if (r.pos !== r.end) throw corrupt(`block at offset ${block.offset} has ${r.end - r.pos} bytes after its ${block.recordCount} records`);
}

/**
 * Reads all records of a container file held in memory.
 * Requires: `bytes` is the whole file. Throws LakeError("corruption") for damaged files and
 * ("unsupported") for unknown codecs.
 */
export async function readAvroContainer(
  bytes: Uint8Array,
  options: AvroReadOptions = {},
): Promise<{ header: AvroContainerHeader; records: AvroValue[] }> {
  const header = readAvroContainerHeader(bytes);
  const decode = options.readerSchema === undefined ? compileDecoder(header.schema) : compileResolvingDecoder(header.schema, options.readerSchema);
  const records: AvroValue[] = [];
  for await (const block of readAvroContainerBlocks(bytes, header)) decodeAvroBlock(block, decode, records);
  return { header, records };
}

function randomSyncMarker(): Uint8Array {
  const marker = new Uint8Array(AVRO_SYNC_BYTES);
  globalThis.crypto.getRandomValues(marker);
  return marker;
}

/**
 * Writes `records` as a complete container file with writer schema `schema`.
 * Throws LakeError("invalid_argument") when a record does not match the schema.
 */
export async function writeAvroContainer(
  schema: AvroSchema,
  records: readonly unknown[],
  options: AvroWriteOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const codec = options.codec ?? "null";
  const sync = options.syncMarker ?? randomSyncMarker();
  if (sync.length !== AVRO_SYNC_BYTES) throw new LakeError("invalid_argument", `avro container: sync marker must be ${AVRO_SYNC_BYTES} bytes, got ${sync.length}`);
  const target = options.blockBytesTarget ?? AVRO_BLOCK_BYTES_TARGET;
  const out = new AvroWriter(4096);
  out.writeFixed(AVRO_MAGIC);
  const meta: [string, Uint8Array][] = [
    ["avro.schema", new TextEncoder().encode(avroSchemaToJson(schema))],
    ["avro.codec", new TextEncoder().encode(codec)],
  ];
  for (const [k, v] of options.metadata ?? []) {
    if (k.startsWith("avro.")) throw new LakeError("invalid_argument", `avro container: metadata key "${k}" is reserved`);
    meta.push([k, v]);
  }
  out.writeLength(meta.length);
  for (const [k, v] of meta) {
    out.writeString(k);
    out.writeBytes(v);
  }
  out.writeLength(0);
  out.writeFixed(sync);

  const encode = compileEncoder(schema);
  const block = new AvroWriter(Math.min(target, 1 << 20) + 1024);
  let count = 0;
  const flush = async (): Promise<void> => {
    if (count === 0) return;
    const data = await compressAvroBlock(codec, block.view(), options);
    out.writeLength(count);
    out.writeLength(data.length);
    out.writeFixed(data);
    out.writeFixed(sync);
    block.reset();
    count = 0;
  };
  for (let i = 0; i < records.length; i++) {
    encode(block, records[i], `$[${i}]`);
    count++;
    if (block.length >= target) await flush();
  }
  await flush();
  return out.toBytes();
}
