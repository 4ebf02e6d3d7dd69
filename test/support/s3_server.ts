// Goal: a real S3 server on 127.0.0.1 for the S3 store tests, in Node and in Deno (same process):
// s3rver 3.7.1 plus the small shims that make it behave like S3 where the store relies on it.
// Method: `startS3Server()` starts s3rver on port 0 in a fresh temp directory and patches the
// instance (never the package):
// - conditional writes (toolchain.md §7): a Koa middleware, placed right after s3rver's vhost
//   middleware so it sees "/bucket/key" for both addressing styles, answers 412
//   PreconditionFailed to a PUT with `If-None-Match` (or `If-Match`) whose condition fails. The
//   check and the write run under a per-key lock (a promise chain), so N racing conditional PUTs
//   give exactly one 200;
// - atomic PUT: s3rver streams the body straight into the object file and may answer before the
//   file is complete; the patched `store.putObject` buffers the body, writes a temp file, then
//   the metadata, and renames the temp file into place, as S3 makes a PUT visible all at once;
// - SigV4 check: s3rver 3.7.1 accepts any V4 signature ("unimplemented"); a first middleware
//   recomputes the signature of every header-signed request from the raw request line and
//   headers (independently of aws4fetch) and answers 403 SignatureDoesNotMatch on a mismatch;
// - ListObjectsV2: s3rver lists in readdir order, pages by "last key returned" (losing keys on
//   unsorted directories) and encrypts continuation tokens with DES, which Node 20's OpenSSL 3
//   refuses (500 on every truncated page). A middleware answers `GET /bucket?list-type=2` itself:
//   keys sorted by UTF-8 bytes (S3's order), prefix, delimiter, max-keys counting keys and
//   common prefixes, continuation-token / start-after, and `encoding-type=url` as AWS does it.
// - CORS, for the S3 tests run from headless Chromium (tools/browser_tests.mjs starts this
//   server in Node for the page): a first middleware answers every preflight (OPTIONS with
//   Access-Control-Request-Method) itself with 200, any origin, the S3 methods and the requested
//   headers, and gives every other answer (errors and the shims' own 403/412 included)
//   `Access-Control-Allow-Origin: *` and exposes ETag and the other response headers the store
//   reads. s3rver's own CORS is per bucket and inside its router, so it neither covers the
//   shims' answers nor a missing bucket.
// Also `loopbackFetch(port)`: a fetch that sends a signed request to 127.0.0.1:port over
// node:http while keeping the request URL's host as the Host header, so virtual-host URLs such
// as http://lake.s3.localhost:PORT/key reach s3rver without DNS.
import { Buffer } from "node:buffer";
import { createHash, createHmac, randomBytes as nodeRandomBytes } from "node:crypto";
import { mkdtemp, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { S3StoreOptions } from "../../src/io/s3_store.ts";

/** s3rver's fixed credentials and region. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER", region: "us-east-1" } as const;

/** A running test server. */
export type S3TestServer = {
  /** "http://127.0.0.1:PORT". */
  readonly endpoint: string;
  readonly port: number;
  /** Store options for `bucket` (path style, s3rver credentials), to spread into S3Store options. */
  options(extra?: Partial<S3StoreOptions>): S3StoreOptions;
  /** Creates a bucket (idempotent). */
  createBucket(name: string): Promise<void>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
};

// A non-literal specifier keeps tsc from looking for s3rver's (absent) type declarations.
const S3RVER_MODULE: string = "s3rver";
const OBJECT_SUFFIX = "._S3rver_object";

/** Starts s3rver with the shims on 127.0.0.1 (random port), with `buckets` created. */
export async function startS3Server(buckets: readonly string[] = ["lake"]): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), "lakestate-s3-"));
  // deno-lint-ignore no-explicit-any
  const S3rver = ((await import(S3RVER_MODULE)) as { default: any }).default;
  const server = new S3rver({
    port: 0, address: "127.0.0.1", directory, silent: true, serviceEndpoint: "localhost",
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  installConditionalWrites(server);
  installListV2(server);
  installSignatureCheck(server);
  installAtomicPut(server.store);
  installCors(server); // first of all: preflights never reach the signature check
  const address = (await server.run()) as { port: number };
  // Fetch clients keep idle connections open (Deno's for 90 s) and server.close() waits for
  // them, so close() destroys every connection itself.
  const sockets = new Set<{ destroy(): void; once(event: "close", fn: () => void): void }>();
  server.httpServer.on("connection", (socket: { destroy(): void; once(event: "close", fn: () => void): void }) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    port: address.port,
    options: (extra = {}) => ({ ...S3RVER_CREDENTIALS, endpoint, forcePathStyle: true, ...extra }),
    createBucket: async (name) => {
      await server.store.putBucket(name);
    },
    close: async () => {
      const closed = server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

type KoaContext = {
  req: { url?: string };
  method: string; path: string; status: number; body: unknown; type: string;
  query: Record<string, string | undefined>;
  get(name: string): string; set(name: string, value: string): void;
};
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
type S3rverStore = {
  rootDirectory: string;
  getResourcePath(bucket: string, key: string, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<{ etag: string; "last-modified": string; "content-length": number }>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: AsyncIterable<Uint8Array>; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
  putBucket(name: string): Promise<void>;
  getBucket(name: string): Promise<unknown>;
};

function installConditionalWrites(server: { middleware: Middleware[]; store: S3rverStore }): void {
  const locks = new Map<string, Promise<void>>();
  const shim: Middleware = async (ctx, next) => {
    const ifNoneMatch = ctx.get("if-none-match");
    const ifMatch = ctx.get("if-match");
    const isPut = ctx.method === "PUT" && ctx.query["partNumber"] === undefined && ctx.query["uploadId"] === undefined && ctx.get("x-amz-copy-source") === "";
    if (!isPut || (ifNoneMatch === "" && ifMatch === "")) return next();
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (match === null) return next();
    const bucket = match[1]!;
    const key = decodeURIComponent(match[2]!);
    const lockKey = `${bucket}/${key}`;
    const previous = locks.get(lockKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const chained = previous.then(() => mine);
    locks.set(lockKey, chained);
    await previous;
    try {
      let etag: string | null = null;
      try {
        etag = (await server.store.getMetadata(bucket, key)).etag;
      } catch {
        etag = null; // absent
      }
      const normalize = (tag: string) => tag.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
      const hits = (header: string) => header.split(",").map((t) => t.trim()).some((t) => t === "*" || (etag !== null && normalize(t) === normalize(etag)));
      if ((ifNoneMatch !== "" && etag !== null && hits(ifNoneMatch)) || (ifMatch !== "" && (etag === null || !hits(ifMatch)))) {
        ctx.status = 412;
        ctx.type = "application/xml";
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${ifNoneMatch !== "" ? "If-None-Match" : "If-Match"}</Condition></Error>`;
        return;
      }
      await next();
    } finally {
      release();
      if (locks.get(lockKey) === chained) locks.delete(lockKey);
    }
  };
  const vhostIndex = server.middleware.findIndex((fn) => fn.name === "vhost");
  if (vhostIndex < 0) throw new Error("s3_server: s3rver's vhost middleware not found; the conditional-write shim needs it");
  server.middleware.splice(vhostIndex + 1, 0, shim);
}

function installAtomicPut(store: S3rverStore): void {
  store.putObject = async (object) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of object.content) chunks.push(chunk);
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
    const md5 = createHash("md5").update(bytes).digest("hex");
    const objectPath = store.getResourcePath(object.bucket, object.key, "object");
    await mkdir(dirname(objectPath), { recursive: true });
    const temp = `${objectPath}.${nodeRandomBytes(8).toString("hex")}.tmp`;
    await writeFile(temp, bytes);
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    await rename(temp, objectPath);
    return { size: bytes.length, md5 };
  };
}

/** Response headers a browser page may read (besides the CORS-safelisted ones). */
const CORS_EXPOSE_HEADERS = "ETag, Content-Length, Content-Range, Content-Type, Last-Modified, Accept-Ranges, Date, x-amz-request-id, x-amz-version-id";

function installCors(server: { middleware: Middleware[] }): void {
  const cors: Middleware = async (ctx, next) => {
    ctx.set("Access-Control-Allow-Origin", "*");
    ctx.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    const requestedMethod = ctx.get("access-control-request-method");
    if (ctx.method === "OPTIONS" && requestedMethod !== "") {
      ctx.set("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, HEAD");
      const requestedHeaders = ctx.get("access-control-request-headers");
      if (requestedHeaders !== "") ctx.set("Access-Control-Allow-Headers", requestedHeaders);
      ctx.set("Access-Control-Max-Age", "600");
      ctx.set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
      ctx.status = 200;
      ctx.body = "";
      return;
    }
    await next();
  };
  server.middleware.unshift(cors);
}

/** UTF-8 byte order of two strings (S3's key order). */
function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

async function walkKeys(dir: string, base: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walkKeys(full, `${base}${entry.name}/`, out);
    else if (entry.name.endsWith(OBJECT_SUFFIX)) out.push(base + entry.name.slice(0, -OBJECT_SUFFIX.length));
  }
}

/** The XML body of an S3 error. */
function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: string | Uint8Array, text: string): Uint8Array {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

/**
 * Verifies AWS SigV4 header signatures (RFC-style canonical request: method, the path as sent,
 * sorted RFC 3986 query, signed headers, payload hash) with s3rver's secret; 403 on mismatch.
 */
function installSignatureCheck(server: { middleware: Middleware[] }): void {
  const secrets = new Map<string, string>([[S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey]]);
  const check: Middleware = async (ctx, next) => {
    const auth = ctx.get("authorization");
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (match === null) return next(); // unsigned or another scheme: s3rver decides
    const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
    const secret = secrets.get(accessKeyId!);
    if (secret === undefined) return next(); // s3rver answers InvalidAccessKeyId
    const raw = ctx.req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = (q < 0 ? "" : raw.slice(q + 1)).split("&").filter((p) => p !== "").map((pair) => {
      const eq = pair.indexOf("=");
      const decode = (t: string) => decodeURIComponent(t.replace(/\+/g, " "));
      return [encodeRfc3986(decode(eq < 0 ? pair : pair.slice(0, eq))), encodeRfc3986(decode(eq < 0 ? "" : pair.slice(eq + 1)))] as const;
    }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join("&");
    const names = signedHeaders!.split(";");
    const headers = names.map((n) => `${n}:${(ctx.get(n) ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
    const payload = ctx.get("x-amz-content-sha256") || createHash("sha256").update("").digest("hex");
    const canonical = [ctx.method, path, query, headers, signedHeaders, payload].join("\n");
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", ctx.get("x-amz-date"), scope, createHash("sha256").update(canonical, "utf8").digest("hex")].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), "aws4_request");
    const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    if (expected !== signature || !names.includes("host")) {
      ctx.status = 403;
      ctx.type = "application/xml";
      ctx.body = errorXml("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
      return;
    }
    return next();
  };
  server.middleware.unshift(check);
}

/** Answers ListObjectsV2 (`GET /<bucket>?list-type=2`) from a sorted walk of the bucket. */
function installListV2(server: { middleware: Middleware[]; store: S3rverStore }): void {
  const store = server.store;
  const list: Middleware = async (ctx, next) => {
    const match = /^\/([^/]+)\/?$/.exec(ctx.path);
    if (ctx.method !== "GET" || match === null || ctx.query["list-type"] !== "2") return next();
    const bucket = match[1]!;
    if (!(await store.getBucket(bucket))) {
      ctx.status = 404;
      ctx.type = "application/xml";
      ctx.body = errorXml("NoSuchBucket", "The specified bucket does not exist");
      return;
    }
    const prefix = ctx.query["prefix"] ?? "";
    const delimiter = ctx.query["delimiter"] ?? "";
    const maxKeys = Math.min(1000, Number(ctx.query["max-keys"] ?? "1000"));
    const token = ctx.query["continuation-token"];
    const startAfter = token !== undefined ? Buffer.from(token, "base64url").toString("utf8") : (ctx.query["start-after"] ?? "");
    const urlEncoding = ctx.query["encoding-type"] === "url";
    // Keys are file paths under the bucket directory: walk only the prefix's directory.
    const directoryPart = prefix.slice(0, prefix.lastIndexOf("/") + 1);
    const all: string[] = [];
    await walkKeys(join(store.rootDirectory, bucket, directoryPart), directoryPart, all);
    all.sort(compareUtf8);
    const contents: string[] = [];
    const prefixes: string[] = [];
    let last = "";
    let truncated = false;
    for (const key of all) {
      if (!key.startsWith(prefix) || (startAfter !== "" && compareUtf8(key, startAfter) <= 0)) continue;
      const at = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
      const common = at < 0 ? null : key.slice(0, at + delimiter.length);
      if (common !== null && common === prefixes[prefixes.length - 1]) continue;
      if (common !== null && startAfter !== "" && compareUtf8(common, startAfter) <= 0) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      const shown = (k: string) => escapeXml(urlEncoding ? encodeURIComponent(k).replace(/%20/g, "+") : k);
      if (common !== null) {
        prefixes.push(common);
        last = common + "\u{10FFFF}"; // resume after everything under the common prefix
        continue;
      }
      let info;
      try {
        info = await stat(store.getResourcePath(bucket, key, "object"));
      } catch {
        continue; // deleted meanwhile
      }
      contents.push(`<Contents><Key>${shown(key)}</Key><LastModified>${info.mtime.toISOString()}</LastModified><Size>${info.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
      last = key;
    }
    const shownPrefix = (k: string) => escapeXml(urlEncoding ? encodeURIComponent(k).replace(/%20/g, "+") : k);
    ctx.status = 200;
    ctx.type = "application/xml";
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${shownPrefix(prefix)}</Prefix>`
      + `<KeyCount>${contents.length + prefixes.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${delimiter === "" ? "" : `<Delimiter>${shownPrefix(delimiter)}</Delimiter>`}`
      + `${urlEncoding ? "<EncodingType>url</EncodingType>" : ""}<IsTruncated>${truncated}</IsTruncated>`
      + `${truncated ? `<NextContinuationToken>${Buffer.from(last, "utf8").toString("base64url")}</NextContinuationToken>` : ""}`
      + contents.join("") + prefixes.map((p) => `<CommonPrefixes><Prefix>${shownPrefix(p)}</Prefix></CommonPrefixes>`).join("") + "</ListBucketResult>";
  };
  const vhostIndex = server.middleware.findIndex((fn) => fn.name === "vhost");
  if (vhostIndex < 0) throw new Error("s3_server: s3rver's vhost middleware not found");
  server.middleware.splice(vhostIndex + 1, 0, list);
}

/**
 * A fetch that sends `request` to 127.0.0.1:`port` over node:http, keeping the URL's host
 * (for example "lake.s3.localhost:PORT") as the Host header the signature covers.
 */
export function loopbackFetch(port: number): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => { headers[name] = value; });
    headers["host"] = url.host;
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    if (body !== null) headers["content-length"] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method: request.method, path: url.pathname + url.search, headers }, (res) => {
        const chunks: Uint8Array[] = [];
        res.on("data", (c: Uint8Array) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          const total = chunks.reduce((n, c) => n + c.length, 0);
          const all = new Uint8Array(total);
          let at = 0;
          for (const c of chunks) { all.set(c, at); at += c.length; }
          const status = res.statusCode ?? 500;
          resolve(new Response(status === 204 || status === 304 || request.method === "HEAD" ? null : all, { status, headers: responseHeaders }));
        });
      });
      req.on("error", reject);
      req.end(body ?? undefined);
    });
  };
}
