/**
 * S3Client: the HTTP half of the S3 store. Builds path-style or virtual-host-style URLs for any
 * S3-compatible endpoint, signs every request with SigV4 (aws4fetch, which uses only
 * crypto.subtle and TextEncoder), sends it through `fetch` with bounded retries, and turns S3
 * failures into LakeErrors that name the bucket, the key and what to check.
 *
 * Retries: 429, 500, 502, 503, 504 (and 409 on conditional writes, S3's "conflicting
 * conditional operation in progress") and network failures (fetch rejecting, a timeout, a body
 * that breaks off) are retried up to `retryCountMax` times, with exponential backoff and full
 * jitter: before retry n (1-based) the client sleeps a uniform random time in
 * [0, min(backoffMsMax, backoffMsInitial * 2^(n-1))). A request whose earlier attempt failed
 * without an answer (network error or 5xx) is reported as `ambiguous`: a write may have landed.
 *
 * Invariants: no runtime globals besides fetch, crypto (through aws4fetch), setTimeout and
 * AbortSignal; requests are re-signed on every attempt (fresh X-Amz-Date); bodies are sent as
 * given and never mutated, so a retry resends the same bytes.
 * Imports: aws4fetch, errors.ts, io/s3_xml.ts, io/store.ts (quotePath).
 * Mirrors: Hadoop S3A's request layer as used by Java Paimon's `paimon-s3` FileIO
 * (https://github.com/apache/paimon/tree/master/paimon-filesystems/paimon-s3-impl), narrowed.
 */
import { AwsClient } from "aws4fetch";
import { LakeError } from "../errors.ts";
import { parseErrorBody } from "./s3_xml.ts";
import { quotePath } from "./store.ts";

/** Connection settings of an S3-compatible service. */
export type S3Options = {
  /**
   * Service URL, e.g. "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000" or an R2
   * endpoint. Default: `https://s3.<region>.amazonaws.com`.
   */
  readonly endpoint?: string;
  /** Signing region; default "us-east-1" (use "auto" for Cloudflare R2). */
  readonly region?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary-credential session token (STS), sent as X-Amz-Security-Token. */
  readonly sessionToken?: string;
  /**
   * true: `<endpoint>/<bucket>/<key>`; false (default): `<bucket>.<endpoint host>/<key>`.
   * Hosts that cannot carry a bucket subdomain (an IP address, "localhost") always use path
   * style; so do bucket names with dots or capitals, which break TLS or DNS as host names.
   */
  readonly forcePathStyle?: boolean;
};

/** Retry, timeout and transport settings of an S3Client. */
export type S3ClientOptions = S3Options & {
  /** Retries after the first attempt, 0..20; default 5. */
  readonly retryCountMax?: number;
  /** Upper bound of the first backoff sleep, ms (1..60 000); default 100. */
  readonly backoffMsInitial?: number;
  /** Cap of every backoff sleep, ms (>= backoffMsInitial, <= 300 000); default 5 000. */
  readonly backoffMsMax?: number;
  /** Time limit of one attempt including its body, ms (1..3 600 000); default 120 000. */
  readonly requestTimeoutMs?: number;
  /** The fetch to send through (tests inject faults here); default globalThis.fetch. */
  readonly fetch?: (request: Request) => Promise<Response>;
};

/** Default retries after the first attempt. */
export const RETRY_COUNT_MAX_DEFAULT = 5;
/** Default first backoff bound, ms. */
export const BACKOFF_MS_INITIAL_DEFAULT = 100;
/** Default backoff cap, ms. */
export const BACKOFF_MS_MAX_DEFAULT = 5_000;
/** Default per-attempt time limit, ms. */
export const REQUEST_TIMEOUT_MS_DEFAULT = 120_000;

const RETRY_COUNT_LIMIT = 20;
const BACKOFF_MS_LIMIT = 300_000;
const REQUEST_TIMEOUT_MS_LIMIT = 3_600_000;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Statuses after which the request may have been applied. */
const AMBIGUOUS_STATUSES = new Set([500, 502, 503, 504]);

/** One request to send. */
export type S3Request = {
  /** Verb and operation name for messages, e.g. "GET". */
  readonly method: "GET" | "HEAD" | "PUT" | "DELETE";
  /** Object key, or null for a bucket request (listing). */
  readonly key: string | null;
  /** Query parameters (values are encoded here). */
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array<ArrayBuffer>;
  /** Also retry 409 (S3's answer to concurrent conditional writes on one key). */
  readonly retryConflict?: boolean;
};

/** What `send` hands to its reader: the final response, and whether an earlier attempt may have landed. */
export type S3Attempt = { readonly response: Response; readonly ambiguous: boolean };

/** Signs, sends and retries requests against one bucket. */
export class S3Client {
  /** The bucket every request goes to. */
  readonly bucket: string;
  readonly #aws: AwsClient;
  readonly #endpoint: URL;
  readonly #pathStyle: boolean;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #retryCountMax: number;
  readonly #backoffMsInitial: number;
  readonly #backoffMsMax: number;
  readonly #requestTimeoutMs: number;

  /** Requires: a valid bucket name; options as documented (LakeError("invalid_argument") otherwise). */
  constructor(bucket: string, options: S3ClientOptions) {
    if (typeof options !== "object" || options === null) throw new LakeError("invalid_argument", "s3 store: options are required ({ endpoint, region, accessKeyId, secretAccessKey })");
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}$/.test(bucket)) {
      throw new LakeError("invalid_argument", `s3 store: bucket ${JSON.stringify(bucket)} is not a valid bucket name`);
    }
    for (const name of ["accessKeyId", "secretAccessKey"] as const) {
      if (typeof options[name] !== "string" || options[name] === "") {
        throw new LakeError("invalid_argument", `s3 store: options.${name} must be a non-empty string`);
      }
    }
    const region = options.region ?? "us-east-1";
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint ?? `https://s3.${region}.amazonaws.com`);
    } catch (error) {
      throw new LakeError("invalid_argument", `s3 store: endpoint ${JSON.stringify(options.endpoint)} is not a URL`, { cause: error });
    }
    if ((endpoint.protocol !== "http:" && endpoint.protocol !== "https:") || endpoint.search !== "" || endpoint.hash !== "") {
      throw new LakeError("invalid_argument", `s3 store: endpoint ${JSON.stringify(options.endpoint)} must be an http(s) URL without query or fragment`);
    }
    this.bucket = bucket;
    this.#endpoint = endpoint;
    this.#pathStyle = options.forcePathStyle === true || !canBeSubdomain(endpoint.hostname, bucket);
    this.#retryCountMax = checkLimit("retryCountMax", options.retryCountMax ?? RETRY_COUNT_MAX_DEFAULT, 0, RETRY_COUNT_LIMIT);
    this.#backoffMsInitial = checkLimit("backoffMsInitial", options.backoffMsInitial ?? BACKOFF_MS_INITIAL_DEFAULT, 1, 60_000);
    this.#backoffMsMax = checkLimit("backoffMsMax", options.backoffMsMax ?? Math.max(BACKOFF_MS_MAX_DEFAULT, this.#backoffMsInitial), this.#backoffMsInitial, BACKOFF_MS_LIMIT);
    this.#requestTimeoutMs = checkLimit("requestTimeoutMs", options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS_DEFAULT, 1, REQUEST_TIMEOUT_MS_LIMIT);
    this.#fetch = options.fetch ?? ((request) => fetch(request));
    this.#aws = new AwsClient({
      accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, service: "s3", region, retries: 0,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    });
  }

  /** True when requests use path-style URLs. */
  get pathStyle(): boolean {
    return this.#pathStyle;
  }

  /** The URL of `key` (or of the bucket when null) with `query` appended. */
  url(key: string | null, query: Readonly<Record<string, string>> = {}): string {
    const base = this.#endpoint.pathname.replace(/\/+$/, "");
    const host = this.#pathStyle ? this.#endpoint.host : `${this.bucket}.${this.#endpoint.host}`;
    const bucketPath = this.#pathStyle ? `${base}/${this.bucket}` : base;
    const path = key === null ? (bucketPath === "" ? "/" : bucketPath) : `${bucketPath}/${key.split("/").map(encodeRfc3986).join("/")}`;
    const search = Object.entries(query).map(([k, v]) => (v === "" ? encodeRfc3986(k) : `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)).join("&");
    return `${this.#endpoint.protocol}//${host}${path}${search === "" ? "" : `?${search}`}`;
  }

  /** "s3://bucket/key" for messages. */
  describe(key: string | null): string {
    return `s3://${this.bucket}/${key ?? ""}`;
  }

  /**
   * Sends `request`, retrying as the module header says, and returns `read(attempt)`. `read`
   * runs inside the retry loop for every response that is not retried, so a body that breaks
   * off is retried too; a LakeError thrown by `read` ends the loop. After the last attempt a
   * retryable status rejects with LakeError("io") naming the status, attempts and object.
   */
  async send<T>(request: S3Request, read: (attempt: S3Attempt) => Promise<T>): Promise<T> {
    let ambiguous = false;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.#retryCountMax;
      let response: Response;
      try {
        const signed = await this.#aws.sign(this.url(request.key, request.query), {
          method: request.method,
          headers: request.headers ?? {},
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: AbortSignal.timeout(this.#requestTimeoutMs),
        });
        response = await this.#fetch(signed);
      } catch (error) {
        if (error instanceof LakeError) throw error;
        ambiguous = true;
        if (last) throw this.#networkError(request, attempt + 1, error);
        await this.#sleep(attempt);
        continue;
      }
      const status = response.status;
      if (RETRY_STATUSES.has(status) || (status === 409 && request.retryConflict === true)) {
        if (last) throw await this.failure(request, response, { attempts: attempt + 1 });
        await response.body?.cancel().catch(() => undefined);
        if (AMBIGUOUS_STATUSES.has(status)) ambiguous = true;
        await this.#sleep(attempt);
        continue;
      }
      try {
        return await read({ response, ambiguous });
      } catch (error) {
        if (error instanceof LakeError) throw error;
        ambiguous = true;
        if (last) throw this.#networkError(request, attempt + 1, error);
        await this.#sleep(attempt);
      }
    }
  }

  /**
   * The LakeError for a response S3 refused: 403 → "io" saying credentials or permissions are
   * wrong; 404 → "not_found" naming the key (or the bucket, for NoSuchBucket); others → "io"
   * with S3's code and message. Consumes the body.
   */
  async failure(request: S3Request, response: Response, options: { attempts?: number; path?: string } = {}): Promise<LakeError> {
    const attempts = options.attempts ?? 1;
    let text = "";
    try {
      text = request.method === "HEAD" ? "" : await response.text();
    } catch {
      // The status alone still says what happened.
    }
    const { code, message } = parseErrorBody(text);
    const what = `${request.method} ${this.describe(request.key)}`;
    const detail = `${response.status}${code === "" ? "" : ` ${code}`}${message === "" ? "" : `: ${message}`}`;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    if (response.status === 403) {
      return new LakeError("io", `s3 store: access denied to bucket ${JSON.stringify(this.bucket)}, key ${JSON.stringify(request.key ?? "")} (${what} → ${detail}): the credentials are wrong or lack permission (check accessKeyId, secretAccessKey, sessionToken, region and the bucket policy; a HEAD on a missing key also answers 403 without s3:ListBucket)`);
    }
    if (response.status === 404 && (code === "NoSuchBucket" || request.key === null)) {
      return new LakeError("not_found", `s3 store: bucket ${JSON.stringify(this.bucket)} does not exist at ${this.#endpoint.origin} (${what} → ${detail})`);
    }
    if (response.status === 404) {
      const subject = options.path === undefined ? `key ${JSON.stringify(request.key)}` : quotePath(options.path);
      return new LakeError("not_found", `s3 store: no object at ${subject} (${what} → ${detail})`);
    }
    return new LakeError("io", `s3 store: ${what} failed${tries} with ${detail}`);
  }

  #networkError(request: S3Request, attempts: number, cause: unknown): LakeError {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    return new LakeError("io", `s3 store: ${request.method} ${this.describe(request.key)} failed after ${attempts} attempt${attempts === 1 ? "" : "s"} (network: ${reason}) at ${this.#endpoint.origin}`, { cause });
  }

  #sleep(attempt: number): Promise<void> {
    const boundMs = Math.min(this.#backoffMsMax, this.#backoffMsInitial * 2 ** attempt);
    return new Promise((resolve) => setTimeout(resolve, Math.random() * boundMs));
  }
}

/** Percent-encodes everything but RFC 3986 unreserved characters (what SigV4 canonical URIs need). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** True when `bucket.<hostname>` is a usable host name (no IP, no localhost, DNS-safe bucket). */
function canBeSubdomain(hostname: string, bucket: string): boolean {
  if (hostname === "localhost" || /^\d+\.\d+\.\d+\.\d+$/.test(hostname) || hostname.startsWith("[")) return false;
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);
}

function checkLimit(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new LakeError("invalid_argument", `s3 store: ${name} ${value} must be an integer in [${min}, ${max}]`);
  }
  return value;
}
