/**
 * Every name Paimon persists in a table directory, and partition path escaping.
 *
 * Mirrors `FileStorePathFactory`, `DataFilePathFactory`, `SnapshotManager`, `SchemaManager`,
 * `TagManager`, `ConsumerManager`, `ChangelogManager`, `BranchManager`, `HintFileUtils`,
 * `Path#createTempPath` and `PartitionPathUtils` (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-core/src/main/java/org/apache/paimon/utils/PartitionPathUtils.java
 *
 * Layout (docs/paimon-format.md §1), relative to the table root:
 *   schema/schema-N   snapshot/snapshot-N, EARLIEST, LATEST   manifest/{manifest,manifest-list,
 *   index-manifest}-<uuid>-<n>   index/index-<uuid>-<n>   statistics/stat-<uuid>-<n>
 *   tag/tag-<name>   consumer/consumer-<id>   changelog/changelog-N   branch/branch-<name>/…
 *   <k1>=<v1>/<k2>=<v2>/bucket-<b>/<prefix><uuid>-<n>[.<codec>].<format>   bucket-postpone/
 *
 * Invariants: every constant below is persisted: never rename. Partition values arrive as
 * already formatted strings (or null); formatting typed BinaryRow values is done elsewhere.
 * Functions only build and parse names; they never touch storage.
 *
 * Imports: errors.ts.
 */
import { LakeError } from "../errors.ts";

/** Schema directory. Persisted: never rename. */
export const SCHEMA_DIR = "schema";
/** Schema file prefix (`schema-N`). Persisted: never rename. */
export const SCHEMA_PREFIX = "schema-";
/** Snapshot directory. Persisted: never rename. */
export const SNAPSHOT_DIR = "snapshot";
/** Snapshot file prefix (`snapshot-N`). Persisted: never rename. */
export const SNAPSHOT_PREFIX = "snapshot-";
/** Hint file naming the earliest snapshot (may be stale). Persisted: never rename. */
export const EARLIEST_HINT = "EARLIEST";
/** Hint file naming the latest snapshot (may be stale). Persisted: never rename. */
export const LATEST_HINT = "LATEST";
/** Manifest directory. Persisted: never rename. */
export const MANIFEST_DIR = "manifest";
/** Manifest file prefix. Persisted: never rename. */
export const MANIFEST_PREFIX = "manifest-";
/** Manifest list prefix. Persisted: never rename. */
export const MANIFEST_LIST_PREFIX = "manifest-list-";
/** Index manifest prefix. Persisted: never rename. */
export const INDEX_MANIFEST_PREFIX = "index-manifest-";
/** Index file directory. Persisted: never rename. */
export const INDEX_DIR = "index";
/** Index file prefix (deletion vectors, hash index). Persisted: never rename. */
export const INDEX_FILE_PREFIX = "index-";
/** Statistics directory. Persisted: never rename. */
export const STATISTICS_DIR = "statistics";
/** Statistics file prefix. Persisted: never rename. */
export const STATISTICS_PREFIX = "stat-";
/** Bucket directory prefix (`bucket-N`). Persisted: never rename. */
export const BUCKET_DIR_PREFIX = "bucket-";
/** Directory of bucket -2 (postpone) files. Persisted: never rename. */
export const BUCKET_POSTPONE_DIR = "bucket-postpone";
/** Tag directory. Persisted: never rename. */
export const TAG_DIR = "tag";
/** Tag file prefix. Persisted: never rename. */
export const TAG_PREFIX = "tag-";
/** Consumer directory. Persisted: never rename. */
export const CONSUMER_DIR = "consumer";
/** Consumer file prefix. Persisted: never rename. */
export const CONSUMER_PREFIX = "consumer-";
/** Long-lived changelog metadata directory. Persisted: never rename. */
export const CHANGELOG_DIR = "changelog";
/** Long-lived changelog metadata prefix (`changelog-N`). Persisted: never rename. */
export const CHANGELOG_META_PREFIX = "changelog-";
/** Branch directory. Persisted: never rename. */
export const BRANCH_DIR = "branch";
/** Branch subdirectory prefix. Persisted: never rename. */
export const BRANCH_PREFIX = "branch-";
/** The main branch (lives in the table root). Persisted: never rename. */
export const MAIN_BRANCH = "main";
/** Database directory suffix (filesystem catalog). Persisted: never rename. */
export const DATABASE_DIR_SUFFIX = ".db";
/** Default `data-file.prefix`. Persisted: never rename. */
export const DATA_FILE_PREFIX_DEFAULT = "data-";
/** Default `changelog-file.prefix`. Persisted: never rename. */
export const CHANGELOG_FILE_PREFIX_DEFAULT = "changelog-";
/** Suffix of a data file's file-index side file. Persisted: never rename. */
export const FILE_INDEX_SUFFIX = ".index";
/** Default `partition.default-name` (null or blank partition values). Persisted: never rename. */
export const DEFAULT_PARTITION_NAME = "__DEFAULT_PARTITION__";
/** Marker file written by `partition.mark-done-action=success-file`; readers ignore it. */
export const SUCCESS_FILE = "_SUCCESS";

const NOUN = "paths";
const ID = /^(0|-?[1-9]\d*)$/;

function numbered(prefix: string, name: string): bigint | null {
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  return ID.test(rest) ? BigInt(rest) : null;
}

/** `snapshot-<id>`. */
export function snapshotFileName(id: bigint): string {
  return SNAPSHOT_PREFIX + id;
}
/** The id of a `snapshot-<id>` name, or null for any other name. */
export function parseSnapshotFileName(name: string): bigint | null {
  return numbered(SNAPSHOT_PREFIX, name);
}
/** `schema-<id>`. */
export function schemaFileName(id: bigint): string {
  return SCHEMA_PREFIX + id;
}
/** The id of a `schema-<id>` name, or null. */
export function parseSchemaFileName(name: string): bigint | null {
  return numbered(SCHEMA_PREFIX, name);
}
/** `changelog-<id>` (long-lived changelog metadata in `changelog/`). */
export function changelogMetaFileName(id: bigint): string {
  return CHANGELOG_META_PREFIX + id;
}
/** The id of a `changelog-<id>` metadata name, or null. */
export function parseChangelogMetaFileName(name: string): bigint | null {
  return numbered(CHANGELOG_META_PREFIX, name);
}

/** Content of an EARLIEST/LATEST hint: the decimal id, no newline. */
export function encodeHint(id: bigint): string {
  return id.toString();
}
/** The id in a hint file, or null when it is not a decimal (Java then lists the directory). */
export function parseHint(text: string): bigint | null {
  return /^-?\d+$/.test(text) ? BigInt(text) : null;
}

function uuidCounted(prefix: string, uuid: string, count: number): string {
  if (uuid.length === 0 || !Number.isSafeInteger(count) || count < 0) {
    throw new LakeError("invalid_argument", `${NOUN}: bad file name parts uuid ${JSON.stringify(uuid)} count ${count}`);
  }
  return `${prefix}${uuid}-${count}`;
}
/** `manifest-<uuid>-<count>`. */
export function manifestFileName(uuid: string, count: number): string {
  return uuidCounted(MANIFEST_PREFIX, uuid, count);
}
/** `manifest-list-<uuid>-<count>`. */
export function manifestListFileName(uuid: string, count: number): string {
  return uuidCounted(MANIFEST_LIST_PREFIX, uuid, count);
}
/** `index-manifest-<uuid>-<count>`. */
export function indexManifestFileName(uuid: string, count: number): string {
  return uuidCounted(INDEX_MANIFEST_PREFIX, uuid, count);
}
/** `index-<uuid>-<count>` (deletion-vector and hash index files). */
export function indexFileName(uuid: string, count: number): string {
  return uuidCounted(INDEX_FILE_PREFIX, uuid, count);
}
/** `stat-<uuid>-<count>`. */
export function statisticsFileName(uuid: string, count: number): string {
  return uuidCounted(STATISTICS_PREFIX, uuid, count);
}

/** File extensions of Hadoop codecs (`HadoopCompressionType`); `none` has none. */
const COMPRESSION_EXTENSIONS: Readonly<Record<string, string | null>> = {
  none: null, gzip: "gz", bzip2: "bz2", deflate: "deflate", snappy: "snappy", lz4: "lz4", zstd: "zst",
};

/** The file extension Java uses for `file.compression` (unknown codecs are used verbatim). */
export function compressionFileExtension(compression: string): string | null {
  if (compression === "") return null;
  const known = COMPRESSION_EXTENSIONS[compression.toLowerCase()];
  return known === undefined ? compression : known;
}

/** Parts of a data or changelog file name. */
export interface DataFileNameParts {
  /** `data-file.prefix` or `changelog-file.prefix` (default `data-` / `changelog-`). */
  readonly prefix: string;
  /** One random UUID per writer instance. */
  readonly uuid: string;
  /** Per-writer counter from 0. */
  readonly count: number;
  /** Format identifier (`parquet`, `orc`, `avro`, …). */
  readonly format: string;
  /** `file.compression`; only shown when `includeCompression` (or json/csv formats). */
  readonly compression?: string;
  /** `file.suffix.include.compression`. */
  readonly includeCompression?: boolean;
}

/**
 * `<prefix><uuid>-<count><ext>` as `DataFilePathFactory` builds it: ext is `.<format>`, or
 * `.<codec-ext>.<format>` with `includeCompression`, or `.<format>.<codec-ext>` for json/csv
 * whenever a compression is set.
 */
export function dataFileName(parts: DataFileNameParts): string {
  const codec = parts.compression === undefined ? null : compressionFileExtension(parts.compression);
  const format = parts.format;
  let ext = "." + format;
  if (codec !== null && (format.toLowerCase() === "json" || format.toLowerCase() === "csv")) ext = `.${format}.${codec}`;
  else if (codec !== null && parts.includeCompression === true) ext = `.${codec}.${format}`;
  return uuidCounted(parts.prefix, parts.uuid, parts.count) + ext;
}

/**
 * The format of a data file from its name, as the reader decides it
 * (`DataFilePathFactory.formatIdentifier`): the last extension, or the one before it when the
 * last is a codec extension. Throws invalid_argument for a name without extension.
 */
export function formatIdentifierOfFileName(fileName: string): string {
  const last = fileName.lastIndexOf(".");
  if (last < 0) throw new LakeError("invalid_argument", `${NOUN}: ${JSON.stringify(fileName)} is not a legal data file name (no extension)`);
  const ext = fileName.slice(last + 1);
  const isCodec = Object.values(COMPRESSION_EXTENSIONS).some((c) => c !== null && c.toLowerCase() === ext.toLowerCase());
  if (!isCodec) return ext;
  const before = fileName.lastIndexOf(".", last - 1);
  if (before < 0) throw new LakeError("invalid_argument", `${NOUN}: ${JSON.stringify(fileName)} is not a legal data file name (codec extension only)`);
  return fileName.slice(before + 1, last);
}

/** `bucket-<b>`, or `bucket-postpone` for bucket -2. */
export function bucketDirName(bucket: number): string {
  if (!Number.isInteger(bucket) || bucket < -2) throw new LakeError("invalid_argument", `${NOUN}: bucket ${bucket} has no directory`);
  return bucket === -2 ? BUCKET_POSTPONE_DIR : BUCKET_DIR_PREFIX + bucket;
}
/** The bucket of a bucket directory name (-2 for `bucket-postpone`), or null. */
export function parseBucketDirName(name: string): number | null {
  if (name === BUCKET_POSTPONE_DIR) return -2;
  const n = numbered(BUCKET_DIR_PREFIX, name);
  return n === null || n < 0n || n > 2147483647n ? null : Number(n);
}

/** `tag-<name>`. */
export function tagFileName(tagName: string): string {
  if (tagName.length === 0) throw new LakeError("invalid_argument", `${NOUN}: tag name is empty`);
  return TAG_PREFIX + tagName;
}
/** The tag name of a `tag-<name>` file, or null. */
export function parseTagFileName(name: string): string | null {
  return name.startsWith(TAG_PREFIX) && name.length > TAG_PREFIX.length ? name.slice(TAG_PREFIX.length) : null;
}
/** `consumer-<id>`. */
export function consumerFileName(consumerId: string): string {
  if (consumerId.length === 0) throw new LakeError("invalid_argument", `${NOUN}: consumer id is empty`);
  return CONSUMER_PREFIX + consumerId;
}
/** The consumer id of a `consumer-<id>` file, or null. */
export function parseConsumerFileName(name: string): string | null {
  return name.startsWith(CONSUMER_PREFIX) && name.length > CONSUMER_PREFIX.length ? name.slice(CONSUMER_PREFIX.length) : null;
}
/** Directory of a branch relative to the table root: "" for main, else `branch/branch-<name>`. */
export function branchDir(branch: string): string {
  if (isJavaBlank(branch) || branch === MAIN_BRANCH) return "";
  return `${BRANCH_DIR}/${BRANCH_PREFIX}${branch}`;
}
/** `<db>.db`. */
export function databaseDirName(database: string): string {
  if (database.length === 0) throw new LakeError("invalid_argument", `${NOUN}: database name is empty`);
  return database + DATABASE_DIR_SUFFIX;
}
/** Temp name an atomic write uses before its rename: `.<name>.<uuid>.tmp`. */
export function tempFileName(name: string, uuid: string): string {
  return `.${name}.${uuid}.tmp`;
}
/** The file-index side file of a data file: `<data file name>.index`. */
export function fileIndexFileName(dataFileName: string): string {
  return dataFileName + FILE_INDEX_SUFFIX;
}

// ---------------------------------------------------------------------------------------------
// Partition paths (Hive escaping)

/** True for chars Java `PartitionPathUtils` escapes: 0x00-0x1F, 0x7F and these: " # % ' * / : = ? \ { } [ ] ^ */
function needsEscaping(code: number): boolean {
  if (code < 0x20 || code === 0x7f) return true;
  return code < 128 && "\"#%'*/:=?\\{}[]^".includes(String.fromCharCode(code));
}

/** Escapes a partition key or value as `%XX` (upper-case hex). Empty input is an error (as Java). */
export function escapePartitionPathName(text: string): string {
  if (text.length === 0) throw new LakeError("invalid_argument", `${NOUN}: partition path name is empty`);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += needsEscaping(c) ? "%" + c.toString(16).toUpperCase().padStart(2, "0") : text[i];
  }
  return out;
}

/**
 * Reverses escaping exactly as Java `unescapePathName`: `%` plus two characters that Java's
 * `Integer.parseInt(…, 16)` reads as a value ≥ 0 become that char; anything else stays.
 */
export function unescapePartitionPathName(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "%" && i + 2 < text.length) {
      const two = text.slice(i + 1, i + 3);
      // parseInt accepts a sign: "+F" is 15 and "-0" is 0 (both taken); "-1" is negative (kept).
      if (/^([0-9a-fA-F]{2}|\+[0-9a-fA-F]|-0)$/.test(two)) {
        out += String.fromCharCode(parseInt(two, 16));
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Java `Character.isWhitespace` for every char: true for null-free blank strings too. */
export function isJavaBlank(text: string | null): boolean {
  if (text === null || text.length === 0) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ws = (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c === 0x1680 ||
      (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
      c === 0x205f || c === 0x3000;
    if (!ws) return false;
  }
  return true;
}

/**
 * The partition directory `k1=v1/k2=v2` (no trailing slash; "" when unpartitioned). Values are
 * already formatted strings; null or blank (Java whitespace) values become `defaultName`
 * (`partition.default-name`). Keys and values are escaped.
 * Requires: keys.length === values.length.
 */
export function partitionPath(
  keys: readonly string[],
  values: readonly (string | null)[],
  defaultName: string = DEFAULT_PARTITION_NAME,
): string {
  if (keys.length !== values.length) {
    throw new LakeError("invalid_argument", `${NOUN}: ${keys.length} partition keys but ${values.length} values`);
  }
  return keys.map((k, i) => {
    const v = values[i]!;
    return `${escapePartitionPathName(k)}=${escapePartitionPathName(isJavaBlank(v) ? defaultName : v!)}`;
  }).join("/");
}

/**
 * Parses `k1=v1/k2=v2` (leading/trailing slashes and non `k=v` segments ignored, as Java's
 * `extractPartitionSpecFromPath`) into unescaped [key, value] pairs in path order.
 */
export function parsePartitionPath(path: string): [string, string][] {
  const out: [string, string][] = [];
  for (const segment of path.split("/")) {
    const m = /^([^/]+)=([^/]+)$/.exec(segment); // greedy key, as Java: split at the last "="
    if (m) out.push([unescapePartitionPathName(m[1]!), unescapePartitionPathName(m[2]!)]);
  }
  return out;
}
