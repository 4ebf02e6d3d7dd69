/**
 * S3Store: the ObjectStore contract on any S3-compatible service (AWS S3, R2, MinIO, Ceph RGW,
 * s3rver…) through `fetch`, SigV4 and the HTTP layer of io/s3_client.ts. An object "a/b" of a
 * store over `s3://bucket/prefix` is the key "prefix/a/b".
 *
 * How each method maps to S3:
 * - get: GET; getRange: GET with `Range: bytes=a-b`, checked against the object size in
 *   Content-Range (never truncated); a zero-length range is a HEAD. stat: HEAD.
 * - put: PUT (S3 replaces objects atomically). putIfAbsent: PUT with `If-None-Match: *`; 412
 *   means another writer created the key first (false). If an earlier attempt of the same call
 *   failed without an answer, a 412 may be our own landed write: the object is then read back
 *   and compared with our bytes, so a retried commit is never reported as lost (a rival
 *   writing byte-identical content would be taken for us; snapshot files carry the commit
 *   user and time, so they never coincide). A server that ignores Range (200) is sliced.
 * - list: ListObjectsV2 (`encoding-type=url`), every page through continuation tokens, keys
 *   ending in '/' (directory markers) and names no valid path can hold skipped, sorted with
 *   `comparePaths` (S3 already sends UTF-8 byte order; some compatible servers do not).
 * - Directories: an empty directory is a zero-byte marker object "<dir>/" (the convention of
 *   Hadoop S3A, which Java Paimon uses on S3). listDirectories is one delimiter listing;
 *   deleteDirectory deletes every key under "<dir>/", markers included.
 * - Layout rule (store.ts): before a write, the parents of the path are HEADed and "<path>/" is
 *   listed (one key), in parallel. S3 cannot make this check atomic with the write: two
 *   concurrent writers of "a" and "a/b" can both succeed. putIfAbsent stays atomic.
 *
 * Needs a service that honours `If-None-Match: *` on PUT (AWS since 2024-08, R2, MinIO, recent
 * Ceph): a service that ignores it overwrites silently, which this store cannot detect.
 * Invariants: caller bytes are copied before the first await; every failure is a LakeError
 * (see S3Client.failure for 403/404 wording). No runtime globals besides fetch and crypto.
 * Imports: errors.ts, util/bytes.ts, io/store.ts, io/s3_client.ts, io/s3_xml.ts.
 * Mirrors: Java Paimon's S3 FileIO over Hadoop S3A,
 * https://github.com/apache/paimon/blob/master/paimon-filesystems/paimon-s3-impl/src/main/java/org/apache/paimon/s3/S3FileIO.java
 */
import { LakeError } from "../errors.ts";
import { equalBytes } from "../util/bytes.ts";
import { S3Client, type S3ClientOptions, type S3Request } from "./s3_client.ts";
import { parseListPage, type S3ListedObject } from "./s3_xml.ts";
import {
  checkRangeInObject, comparePaths, isValidSegment, quotePath, validateBytes, validatePath, validatePrefix, validateRange,
  type ByteRange, type ObjectEntry, type ObjectStat, type ObjectStore,
} from "./store.ts";

export type { S3Options, S3ClientOptions } from "./s3_client.ts";

/** Options of an S3Store: connection, retries, and where in the bucket the store lives. */
export type S3StoreOptions = S3ClientOptions & {
  /** Key prefix of the store's root ("" or a valid path, no trailing '/'); default "". */
  readonly prefix?: string;
  /** max-keys of each listing request, 1..1000 (S3's cap); default 1000. */
  readonly listPageKeysMax?: number;
  /** Deletes in flight at once in deleteDirectory, 1..64; default 8. */
  readonly deleteConcurrencyMax?: number;
};

/** S3's cap on keys per listing page. */
export const LIST_PAGE_KEYS_MAX = 1000;
const DELETE_CONCURRENCY_DEFAULT = 8;
const DELETE_CONCURRENCY_LIMIT = 64;

/** An ObjectStore over one bucket (and key prefix) of an S3-compatible service. */
export class S3Store implements ObjectStore {
  /** The HTTP client (bucket, signing, retries). */
  readonly client: S3Client;
  /** The store's key prefix with a trailing '/', or "". */
  readonly root: string;
  readonly #listPageKeysMax: number;
  readonly #deleteConcurrencyMax: number;

  /** Requires: valid bucket and options (LakeError("invalid_argument") otherwise). */
  constructor(bucket: string, options: S3StoreOptions) {
    this.client = new S3Client(bucket, options);
    const prefix = options.prefix ?? "";
    if (prefix !== "") validatePath(prefix);
    this.root = prefix === "" ? "" : `${prefix}/`;
    this.#listPageKeysMax = intIn("listPageKeysMax", options.listPageKeysMax ?? LIST_PAGE_KEYS_MAX, 1, LIST_PAGE_KEYS_MAX);
    this.#deleteConcurrencyMax = intIn("deleteConcurrencyMax", options.deleteConcurrencyMax ?? DELETE_CONCURRENCY_DEFAULT, 1, DELETE_CONCURRENCY_LIMIT);
  }

  /** See ObjectStore.get. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    const request: S3Request = { method: "GET", key: this.#key(path) };
    return this.client.send(request, async ({ response }) => {
      if (response.status !== 200) throw await this.#failure(request, response, path);
      return new Uint8Array(await response.arrayBuffer());
    });
  }

  /** See ObjectStore.getRange. */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    validateRange(path, range);
    if (range.lengthBytes === 0) {
      const stat = await this.stat(path);
      if (stat === null) throw notFound(path);
      checkRangeInObject(path, range, stat.sizeBytes);
      return new Uint8Array(0);
    }
    const end = range.offset + range.lengthBytes;
    const request: S3Request = { method: "GET", key: this.#key(path), headers: { range: `bytes=${range.offset}-${end - 1}` } };
    return this.client.send(request, async ({ response }) => {
      if (response.status === 416) {
        await response.body?.cancel().catch(() => undefined);
        const total = totalOfContentRange(response.headers.get("content-range"));
        if (total !== null) checkRangeInObject(path, range, total);
        throw new LakeError("invalid_argument", `store: range [${range.offset}, ${end}) of ${quotePath(path)} ends past the object's end (416 InvalidRange)`);
      }
      if (response.status === 200) {
        const whole = new Uint8Array(await response.arrayBuffer());
        checkRangeInObject(path, range, whole.length);
        return whole.slice(range.offset, end);
      }
      if (response.status !== 206) throw await this.#failure(request, response, path);
      const total = totalOfContentRange(response.headers.get("content-range"));
      if (total === null) throw new LakeError("io", `s3 store: ranged GET of ${quotePath(path)} answered 206 without a Content-Range size`);
      checkRangeInObject(path, range, total);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length !== range.lengthBytes) {
        throw new LakeError("io", `s3 store: ranged GET of ${quotePath(path)} returned ${bytes.length} bytes, expected ${range.lengthBytes}`);
      }
      return bytes;
    });
  }

  /** See ObjectStore.put. */
  async put(path: string, bytes: Uint8Array): Promise<void> {
    validatePath(path);
    validateBytes(path, bytes);
    const body = new Uint8Array(bytes);
    await this.#checkLayout(path, "write");
    const request: S3Request = { method: "PUT", key: this.#key(path), body };
    await this.client.send(request, async ({ response }) => {
      if (response.status !== 200 && response.status !== 204) throw await this.#failure(request, response, path);
      await response.body?.cancel().catch(() => undefined);
    });
  }

  /** See ObjectStore.putIfAbsent. */
  async putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    validatePath(path);
    validateBytes(path, bytes);
    const body = new Uint8Array(bytes);
    await this.#checkLayout(path, "write");
    const request: S3Request = { method: "PUT", key: this.#key(path), body, headers: { "if-none-match": "*" }, retryConflict: true };
    const outcome = await this.client.send(request, async ({ response, ambiguous }) => {
      if (response.status === 200 || response.status === 204) {
        await response.body?.cancel().catch(() => undefined);
        return "created" as const;
      }
      if (response.status === 412) {
        await response.body?.cancel().catch(() => undefined);
        return ambiguous ? ("maybe_ours" as const) : ("existed" as const);
      }
      throw await this.#failure(request, response, path);
    });
    if (outcome === "created") return true;
    if (outcome === "existed") return false;
    // An earlier attempt may have landed before its answer was lost: ours if the bytes match.
    let stored: Uint8Array;
    try {
      stored = await this.get(path);
    } catch (error) {
      if (error instanceof LakeError && error.code === "not_found") return this.putIfAbsent(path, bytes);
      throw error;
    }
    return equalBytes(stored, body);
  }

  /** See ObjectStore.list. */
  async list(prefix: string): Promise<ObjectEntry[]> {
    validatePrefix(prefix);
    const entries: ObjectEntry[] = [];
    for (const object of await this.#listAll(this.root + prefix)) {
      const path = object.key.slice(this.root.length);
      if (object.key.startsWith(this.root) && isListablePath(path)) entries.push({ path, sizeBytes: object.sizeBytes });
    }
    return entries.sort((a, b) => comparePaths(a.path, b.path));
  }

  /** See ObjectStore.delete. */
  async delete(path: string): Promise<void> {
    validatePath(path);
    await this.#deleteKey(this.#key(path), path);
  }

  /** See ObjectStore.stat. */
  async stat(path: string): Promise<ObjectStat | null> {
    validatePath(path);
    return this.#head(this.#key(path), path);
  }

  /** See ObjectStore.makeDirectory: checks no parent is an object, then writes the marker "<path>/". */
  async makeDirectory(path: string): Promise<void> {
    validatePath(path);
    await this.#checkLayout(path, "directory");
    const request: S3Request = { method: "PUT", key: `${this.#key(path)}/`, body: new Uint8Array(0) };
    await this.client.send(request, async ({ response }) => {
      if (response.status !== 200 && response.status !== 204) throw await this.#failure(request, response, path);
      await response.body?.cancel().catch(() => undefined);
    });
  }

  /** See ObjectStore.listDirectories: one delimiter listing of "<path>/". */
  async listDirectories(path: string): Promise<string[]> {
    if (path !== "") validatePath(path);
    const base = path === "" ? this.root : `${this.#key(path)}/`;
    const names = new Set<string>();
    for (let token: string | null = null, first = true; first || token !== null; first = false) {
      const page = await this.#listPage(base, token, "/", this.#listPageKeysMax);
      for (const prefix of page.commonPrefixes) {
        const name = prefix.slice(base.length, -1);
        if (prefix.startsWith(base) && isValidSegment(name)) names.add(name);
      }
      token = page.nextContinuationToken;
    }
    return [...names].sort(comparePaths);
  }

  /** See ObjectStore.deleteDirectory: deletes every key under "<path>/" (markers and foreign names too). */
  async deleteDirectory(path: string): Promise<void> {
    validatePath(path);
    const keys = (await this.#listAll(`${this.#key(path)}/`)).map((o) => o.key);
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await this.#deleteKey(key, key.slice(this.root.length));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#deleteConcurrencyMax, keys.length) }, worker));
  }

  /** No connections are held; nothing to release. */
  async close(): Promise<void> {}

  #key(path: string): string {
    return this.root + path;
  }

  #failure(request: S3Request, response: Response, path: string): Promise<LakeError> {
    return this.client.failure(request, response, { path });
  }

  async #head(key: string, path: string): Promise<ObjectStat | null> {
    const request: S3Request = { method: "HEAD", key };
    return this.client.send(request, async ({ response }) => {
      if (response.status === 404) return null;
      if (response.status !== 200) throw await this.#failure(request, response, path);
      const sizeBytes = Number(response.headers.get("content-length"));
      const modifiedMs = Date.parse(response.headers.get("last-modified") ?? "");
      if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0 || Number.isNaN(modifiedMs)) {
        throw new LakeError("io", `s3 store: HEAD ${this.client.describe(key)} lacks a valid Content-Length or Last-Modified`);
      }
      return { sizeBytes, modifiedMs };
    });
  }

  async #deleteKey(key: string, path: string): Promise<void> {
    const request: S3Request = { method: "DELETE", key };
    await this.client.send(request, async ({ response }) => {
      if (response.status !== 204 && response.status !== 200) throw await this.#failure(request, response, path);
      await response.body?.cancel().catch(() => undefined);
    });
  }

  /**
   * Rejects a write of an object (or directory) at `path` that would break the layout rule:
   * a parent of `path` is an object, or (objects only) keys exist under "<path>/".
   */
  async #checkLayout(path: string, what: "write" | "directory"): Promise<void> {
    const parents = what === "write" ? parentDirectories(path) : [...parentDirectories(path), path];
    const [below, parentStats] = await Promise.all([
      what === "write" ? this.#listPage(`${this.#key(path)}/`, null, null, 1) : null,
      Promise.all(parents.map((p) => this.#head(this.#key(p), p))),
    ]);
    if (below !== null && (below.objects.length > 0 || below.commonPrefixes.length > 0)) {
      throw new LakeError("invalid_argument", `s3 store: cannot write ${quotePath(path)}: it is a directory of other objects`);
    }
    const index = parentStats.findIndex((s) => s !== null);
    if (index >= 0) {
      const verb = what === "write" ? "write" : "create directory";
      throw new LakeError("invalid_argument", `s3 store: cannot ${verb} ${quotePath(path)}: ${quotePath(parents[index]!)} is an object`);
    }
  }

  /** Every object under the raw key prefix `keyPrefix`, over all pages. */
  async #listAll(keyPrefix: string): Promise<S3ListedObject[]> {
    const out: S3ListedObject[] = [];
    for (let token: string | null = null, first = true; first || token !== null; first = false) {
      const page = await this.#listPage(keyPrefix, token, null, this.#listPageKeysMax);
      out.push(...page.objects);
      token = page.nextContinuationToken;
    }
    return out;
  }

  async #listPage(keyPrefix: string, token: string | null, delimiter: string | null, maxKeys: number) {
    const query: Record<string, string> = { "list-type": "2", "encoding-type": "url", "max-keys": String(maxKeys), prefix: keyPrefix };
    if (delimiter !== null) query["delimiter"] = delimiter;
    if (token !== null) query["continuation-token"] = token;
    const request: S3Request = { method: "GET", key: null, query };
    return this.client.send(request, async ({ response }) => {
      if (response.status !== 200) throw await this.client.failure(request, response);
      return parseListPage(await response.text());
    });
  }
}

/**
 * Splits "s3://bucket/some/prefix" (also "s3a://") into bucket and key prefix (no trailing
 * '/'). Throws LakeError("invalid_argument") for other schemes or a missing bucket.
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3a?:\/\/([^/?#]+)\/*([^?#]*)$/i.exec(url);
  if (match === null) {
    throw new LakeError("invalid_argument", `s3 store: ${JSON.stringify(url)} is not an s3://bucket/prefix URL`);
  }
  const prefix = match[2]!.replace(/\/+$/, "");
  if (prefix !== "") validatePath(prefix);
  return { bucket: match[1]!, prefix };
}

/** True for "s3://…" and "s3a://…" strings. */
export function isS3Url(text: string): boolean {
  return /^s3a?:\/\//i.test(text);
}

/**
 * Opens an S3Store at "s3://bucket/prefix" with connection options `s3` (the form the runtime
 * entries' openCatalog/openTable take). Throws LakeError("invalid_argument") naming the URL
 * when `s3` is missing.
 */
export function openS3Url(url: string, s3: S3StoreOptions | undefined): S3Store {
  const { bucket, prefix } = parseS3Url(url);
  if (s3 === undefined) {
    throw new LakeError("invalid_argument", `s3 store: ${JSON.stringify(url)} needs options.s3 ({ endpoint, region, accessKeyId, secretAccessKey })`);
  }
  const base = s3.prefix ?? "";
  return new S3Store(bucket, { ...s3, prefix: base === "" ? prefix : prefix === "" ? base : `${base}/${prefix}` });
}

function isListablePath(path: string): boolean {
  if (path === "" || path.endsWith("/")) return false;
  try {
    validatePath(path);
    return true;
  } catch {
    return false;
  }
}

function notFound(path: string): LakeError {
  return new LakeError("not_found", `s3 store: no object at ${quotePath(path)}`);
}

/** The total size in "bytes a-b/total" or "bytes * /total", or null. */
function totalOfContentRange(header: string | null): number | null {
  const match = header === null ? null : /\/(\d+)\s*$/.exec(header);
  return match === null ? null : Number(match[1]);
}

/** The directory-like prefixes of `path`: "a/b/c" -> ["a", "a/b"]. */
function parentDirectories(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  return out;
}

function intIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new LakeError("invalid_argument", `s3 store: ${name} ${value} must be an integer in [${min}, ${max}]`);
  }
  return value;
}
