/**
 * ObjectStore: the one narrow storage interface every adapter implements (memory, Node fs, Deno
 * fs, S3, IndexedDB), with its written contract, the shared path rules and the RangeReader the
 * format layer reads through.
 *
 * Contract (every adapter, checked by test/contract/store_contract.ts):
 * - Keys ("paths") are '/'-separated relative names, validated by `validatePath`: no leading or
 *   trailing '/', no empty, "." or ".." segment, no backslash or control character, well-formed
 *   Unicode, at most PATH_BYTES_MAX UTF-8 bytes in all and PATH_SEGMENT_BYTES_MAX per segment.
 *   Names are compared as exact code-point sequences (no case folding, no Unicode normalization).
 * - Segments that start with "." and end with ".tmp" are reserved: the fs adapters stage writes
 *   in such files (Paimon's `Path.createTempPath` naming `.<name>.<uuid>.tmp`) and hide them.
 * - Layout rule: an object path is never also a directory-like prefix of another object ("a" and
 *   "a/b" cannot both exist), because a filesystem cannot hold both. Writes that would break the
 *   rule fail with LakeError("invalid_argument") in every adapter, so layouts that pass on the
 *   memory store also work on disk.
 * - Objects are immutable byte strings replaced whole; there is no append and no partial write.
 *   Readers see an old or a new version, never a mix.
 *
 * Invariants: every failure a caller can act on is a LakeError with code not_found,
 * invalid_argument, unsupported, io or conflict. Returned bytes are owned by the caller.
 *
 * Imports: L0 only (errors.ts, util/bytes.ts).
 * Mirrors: Java Paimon `FileIO` (newInputStream / SeekableInputStream, newOutputStream(path,
 * overwrite), tryToWriteAtomic, listFiles, getFileStatus, delete),
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/fs/FileIO.java
 * narrowed to what an object store can do atomically, and with putIfAbsent as the commit point.
 */
import { LakeError } from "../errors.ts";
import { toHex, utf8Encode } from "../util/bytes.ts";

/** Longest path in UTF-8 bytes: S3's key limit, so a path valid here is valid on every backend. */
export const PATH_BYTES_MAX = 1024;

/** Longest path segment in UTF-8 bytes: the common filesystem name limit (255) minus the room
 * the fs adapters need for their temp names `.<name>.<16 hex>.tmp` (22 bytes), rounded down. */
export const PATH_SEGMENT_BYTES_MAX = 200;

/** Largest object in bytes (2 GiB - 1): Node's `readFile` limit, and far above Paimon's target
 * data file size (128 MiB by default), so an object this large is a bug or a foreign file. */
export const OBJECT_BYTES_MAX = 2 ** 31 - 1;

/** One object in a `list` result. */
export type ObjectEntry = {
  /** Full path of the object, relative to the store root. */
  readonly path: string;
  /** Object size in bytes. */
  readonly sizeBytes: number;
};

/** Metadata of one object, from `stat`. */
export type ObjectStat = {
  /** Object size in bytes. */
  readonly sizeBytes: number;
  /** Last modification time, integer milliseconds since the Unix epoch (the adapter's clock). */
  readonly modifiedMs: number;
};

/** A byte range `[offset, offset + lengthBytes)` of one object. */
export type ByteRange = {
  /** First byte, counted from 0. Requires: a safe integer >= 0. */
  readonly offset: number;
  /** Number of bytes. Requires: a safe integer >= 0 and <= OBJECT_BYTES_MAX. */
  readonly lengthBytes: number;
};

/**
 * The storage interface of the whole engine. Every method validates its path first and rejects
 * with LakeError("invalid_argument") naming the bad path; other failures are LakeError("io", …,
 * { cause }) unless stated. Methods may run concurrently with each other from any number of
 * callers (and processes, for the fs adapters).
 */
export interface ObjectStore {
  /**
   * Reads a whole object. Returns a new array the caller owns.
   * Rejects with LakeError("not_found") when no object is at `path` (including when `path` is
   * only a directory-like prefix of other objects).
   */
  get(path: string): Promise<Uint8Array<ArrayBuffer>>;

  /**
   * Reads exactly the bytes `[range.offset, range.offset + range.lengthBytes)` of one object.
   * Never truncates: a range that ends past the object's end (offset + lengthBytes > size)
   * rejects with LakeError("invalid_argument"), so a short file is never mistaken for data. A
   * zero-length range at any offset <= size returns an empty array.
   * Rejects with LakeError("not_found") when the object is absent.
   */
  getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>>;

  /**
   * Creates or replaces the object at `path` with a copy of `bytes`, atomically: a concurrent
   * reader sees the old object (or none) or the new one, never a partial one. Missing parent
   * "directories" are created as needed. Later changes to `bytes` do not affect the store.
   * Requires: bytes.length <= OBJECT_BYTES_MAX.
   * Rejects with LakeError("invalid_argument") when the write would break the layout rule
   * (`path` is a directory-like prefix of an object, or one of its prefixes is an object).
   */
  put(path: string, bytes: Uint8Array): Promise<void>;

  /**
   * Creates the object at `path` only if no object is there: resolves true when this call
   * created it, false when an object already existed (that object is left unchanged). Atomic
   * among all callers: of N concurrent calls on one absent path exactly one resolves true, and
   * the object then holds exactly that caller's bytes. The object appears complete or not at
   * all, even across a crash. This is the engine's only commit point (snapshot-N).
   * Requires and rejects as `put` (a directory at `path` is invalid_argument, never false).
   */
  putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean>;

  /**
   * Lists every object whose path starts with `prefix` (a plain string prefix, not a
   * directory: "snapshot/snapshot-1" matches "snapshot/snapshot-1" and "snapshot/snapshot-10";
   * "snapshot/" matches everything under that directory, recursively; "" matches all).
   * Entries are sorted by path in code-point order (`comparePaths`, equal to UTF-8 byte order
   * and to S3's listing order). Reserved temp names never appear. An empty result is not an
   * error. The result is built in memory: there is no pagination and no count limit, so list
   * narrow prefixes.
   * Requires: `prefix` passes `validatePrefix` (rejects with invalid_argument otherwise).
   */
  list(prefix: string): Promise<ObjectEntry[]>;

  /**
   * Removes the object at `path`. Idempotent: deleting an absent object (or a path that is only
   * a directory-like prefix) succeeds and does nothing. Objects under `path + "/"` are never
   * touched (no recursive delete).
   */
  delete(path: string): Promise<void>;

  /**
   * Returns size and modification time of the object at `path`, or null when no object is there
   * (absence is an answer here, not an error, so probing needs no try/catch).
   */
  stat(path: string): Promise<ObjectStat | null>;

  /** Releases resources the adapter holds (connections, handles). Optional; after it, no call. */
  close?(): Promise<void>;

  // Directories (optional capability). Filesystems have directories that exist while empty, and
  // Java Paimon's filesystem catalog keys databases on them (`<name>.db`, created by mkdirs). An
  // adapter that can represent an empty directory implements all three methods (object stores by
  // a marker object of their own naming); callers go through `makeDirectory`,
  // `listDirectories` and `deleteDirectory` below, which emulate what they can without them.

  /**
   * Creates directory `path` and its missing parents (mkdir -p); idempotent. The directory is
   * listed by `listDirectories` while it exists, even when empty.
   * Rejects with LakeError("invalid_argument") when `path` or one of its parents is an object.
   */
  makeDirectory?(path: string): Promise<void>;

  /**
   * Names (one segment each) of the directories directly inside directory `path` ("" for the
   * root), sorted by `comparePaths`: every directory holding an object at any depth, every
   * directory made by `makeDirectory` and not deleted since, and, on filesystems, directories
   * emptied by `delete` (they are never removed there). An absent `path` gives []. Reserved temp
   * names and names no valid path can hold never appear.
   * Requires: `path` is "" or a valid path (invalid_argument otherwise).
   */
  listDirectories?(path: string): Promise<string[]>;

  /**
   * Removes directory `path` with everything in it: every object under `path + "/"` and every
   * directory below. Idempotent (an absent directory is no error); an object at `path` itself is
   * not touched. Not atomic: a concurrent writer into the directory may leave objects behind.
   */
  deleteDirectory?(path: string): Promise<void>;
}

/** `store.get(path)`, or null when the object does not exist (LakeError("not_found")); other errors propagate. */
export async function getIfExists(store: ObjectStore, path: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    return await store.get(path);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") return null;
    throw error;
  }
}

/**
 * `store.makeDirectory(path)`. Stores without directories cannot keep an empty directory, so
 * this rejects with LakeError("unsupported") for them rather than pretend.
 */
export async function makeDirectory(store: ObjectStore, path: string): Promise<void> {
  validatePath(path);
  if (store.makeDirectory === undefined) {
    throw new LakeError("unsupported", `store: cannot create directory ${quotePath(path)}: this store has no directories (makeDirectory)`);
  }
  await store.makeDirectory(path);
}

/**
 * `store.listDirectories(path)`, or, for stores without directories, the directories implied
 * by the objects under `path + "/"` (one `list` of everything below).
 */
export async function listDirectories(store: ObjectStore, path: string): Promise<string[]> {
  if (path !== "") validatePath(path);
  if (store.listDirectories !== undefined) return store.listDirectories(path);
  const prefix = path === "" ? "" : `${path}/`;
  const names = new Set<string>();
  for (const e of await store.list(prefix)) {
    const rest = e.path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash > 0) names.add(rest.slice(0, slash));
  }
  return [...names].sort(comparePaths);
}

/**
 * `store.deleteDirectory(path)`, or, for stores without directories, a delete of every object
 * under `path + "/"`.
 */
export async function deleteDirectory(store: ObjectStore, path: string): Promise<void> {
  validatePath(path);
  if (store.deleteDirectory !== undefined) return store.deleteDirectory(path);
  for (const e of await store.list(`${path}/`)) await store.delete(e.path);
}

/**
 * A random-access byte source of known size: the structural type the format layer reads
 * through (it declares the same shape itself, so format never imports io).
 */
export interface RangeReader {
  /** Total size in bytes. */
  readonly sizeBytes: number;
  /**
   * Reads exactly `[offset, offset + lengthBytes)`. Returns a new array the caller owns.
   * Requires: safe integers offset >= 0, lengthBytes >= 0, offset + lengthBytes <= sizeBytes
   * (rejects with LakeError("invalid_argument") otherwise).
   */
  read(offset: number, lengthBytes: number): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * Opens a RangeReader over the object at `path`. When `options.sizeBytes` is given (for example
 * a data file's size from its manifest entry) no `stat` is made; otherwise the object is
 * statted once and a missing object rejects with LakeError("not_found").
 * Meant for immutable objects (data files, manifests): if the object is replaced after opening,
 * reads come from the new version and reads past its end reject.
 * Requires: options.sizeBytes, when given, is the object's true size.
 */
export async function openRangeReader(
  store: ObjectStore,
  path: string,
  options: { readonly sizeBytes?: number } = {},
): Promise<RangeReader> {
  validatePath(path);
  let sizeBytes = options.sizeBytes;
  if (sizeBytes === undefined) {
    const stat = await store.stat(path);
    if (stat === null) throw new LakeError("not_found", `store: no object at ${quotePath(path)}`);
    sizeBytes = stat.sizeBytes;
  } else if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw new LakeError("invalid_argument", `store: sizeBytes ${sizeBytes} for ${quotePath(path)} is not a safe integer >= 0`);
  }
  const size = sizeBytes;
  return {
    sizeBytes: size,
    read(offset: number, lengthBytes: number): Promise<Uint8Array<ArrayBuffer>> {
      const range = { offset, lengthBytes };
      try {
        validateRange(path, range);
        checkRangeInObject(path, range, size);
      } catch (error) {
        return Promise.reject(error);
      }
      return store.getRange(path, range);
    },
  };
}

/**
 * Orders two paths by Unicode code point, which equals the order of their UTF-8 bytes (and of
 * S3 listings). Plain `<` on JS strings compares UTF-16 units and would put "\u{1F600}" before
 * "\u{E000}". Returns negative, zero or positive.
 */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (code points >= 0x10000) above 0xE000..0xFFFF; keeps order otherwise. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f\\]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `segment` is reserved for adapter temp files: starts with "." and ends with ".tmp". */
export function isReservedName(segment: string): boolean {
  return segment.startsWith(".") && segment.endsWith(".tmp");
}

/**
 * A fresh temp file name for staging a write of `name` in the same directory:
 * `.<name>.<16 random hex>.tmp` (Paimon's temp naming). Always reserved, so never listed.
 * Requires: `name` is a valid path segment.
 */
export function makeTempName(name: string): string {
  const random = new Uint8Array(8);
  crypto.getRandomValues(random);
  return `.${name}.${toHex(random)}.tmp`;
}

/** Why `segment` (one full path segment) is invalid, or null when it is valid. */
function segmentProblem(segment: string): string | null {
  if (segment === "") return "has an empty segment (leading, trailing or double '/')";
  if (segment === "." || segment === "..") return `has a ${JSON.stringify(segment)} segment`;
  if (utf8Encode(segment).length > PATH_SEGMENT_BYTES_MAX) {
    return `has a segment longer than ${PATH_SEGMENT_BYTES_MAX} UTF-8 bytes`;
  }
  if (isReservedName(segment)) return "has a segment reserved for temp files ('.' … '.tmp')";
  return null;
}

/** Why `text` (a path or prefix) has bad characters or length, or null. */
function textProblem(text: string): string | null {
  if (FORBIDDEN_CHAR.test(text)) return "contains a backslash or control character";
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate";
  if (utf8Encode(text).length > PATH_BYTES_MAX) return `is longer than ${PATH_BYTES_MAX} UTF-8 bytes`;
  return null;
}

/** True when `segment` may appear in a path; the fs adapters use it to skip foreign names. */
export function isValidSegment(segment: string): boolean {
  return segmentProblem(segment) === null && textProblem(segment) === null;
}

/**
 * Checks that `path` names an object: see the path rules in the module header.
 * Throws LakeError("invalid_argument") naming the path and the rule it breaks.
 */
export function validatePath(path: string): void {
  if (typeof path !== "string") {
    throw new LakeError("invalid_argument", `store: path must be a string, got ${typeof path}`);
  }
  let problem = path === "" ? "is empty" : textProblem(path);
  if (problem === null) {
    for (const segment of path.split("/")) {
      problem = segmentProblem(segment);
      if (problem !== null) break;
    }
  }
  if (problem !== null) {
    throw new LakeError("invalid_argument", `store: path ${quotePath(path)} ${problem}; expected a relative '/'-separated object path`);
  }
}

/**
 * Checks a `list` prefix: "" or a string that could begin a valid path. Every segment followed
 * by '/' must be a valid segment; the final partial segment may be anything without forbidden
 * characters (it is matched as a plain string prefix).
 * Throws LakeError("invalid_argument") naming the prefix and the rule it breaks.
 */
export function validatePrefix(prefix: string): void {
  if (typeof prefix !== "string") {
    throw new LakeError("invalid_argument", `store: list prefix must be a string, got ${typeof prefix}`);
  }
  let problem = textProblem(prefix);
  if (problem === null) {
    const segments = prefix.split("/");
    for (let i = 0; i < segments.length - 1; i++) {
      problem = segmentProblem(segments[i]!);
      if (problem !== null) break;
    }
  }
  if (problem !== null) {
    throw new LakeError("invalid_argument", `store: list prefix ${quotePath(prefix)} ${problem}`);
  }
}

/**
 * Checks the bytes given to put/putIfAbsent. Throws LakeError("invalid_argument") when `bytes`
 * is not a Uint8Array or is larger than OBJECT_BYTES_MAX.
 */
export function validateBytes(path: string, bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new LakeError("invalid_argument", `store: bytes for ${quotePath(path)} must be a Uint8Array`);
  }
  if (bytes.length > OBJECT_BYTES_MAX) {
    throw new LakeError("invalid_argument", `store: object ${quotePath(path)} of ${bytes.length} bytes exceeds OBJECT_BYTES_MAX ${OBJECT_BYTES_MAX}`);
  }
}

/**
 * Checks the shape of a range (safe integers, non-negative, length <= OBJECT_BYTES_MAX), before
 * the object's size is known. Throws LakeError("invalid_argument").
 */
export function validateRange(path: string, range: ByteRange): void {
  const { offset, lengthBytes } = range;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(lengthBytes) || lengthBytes < 0 || lengthBytes > OBJECT_BYTES_MAX) {
    throw new LakeError("invalid_argument", `store: range offset ${offset} lengthBytes ${lengthBytes} for ${quotePath(path)} is not a pair of safe integers >= 0 with lengthBytes <= ${OBJECT_BYTES_MAX}`);
  }
}

/**
 * Checks that `range` lies inside an object of `sizeBytes` bytes. Throws
 * LakeError("invalid_argument") when offset + lengthBytes > sizeBytes (never truncates).
 */
export function checkRangeInObject(path: string, range: ByteRange, sizeBytes: number): void {
  const end = range.offset + range.lengthBytes;
  if (end > sizeBytes) {
    throw new LakeError("invalid_argument", `store: range [${range.offset}, ${end}) of ${quotePath(path)} ends past the object's ${sizeBytes} bytes`);
  }
}

/** `path` quoted for a message, shortened to its first 120 characters. */
export function quotePath(path: string): string {
  return JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);
}
