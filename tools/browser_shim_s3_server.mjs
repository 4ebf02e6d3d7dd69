// Browser stand-in for test/support/s3_server.ts (tools/browser_tests.mjs bundles it in that
// module's place): s3rver is a Node HTTP server, so the page asks the test server's Node process
// to start one (`POST /__s3/start`, the real test/support/s3_server.ts with all its shims,
// including CORS) and talks to it over the network with the browser's own fetch, as a page would
// talk to S3. Same exports and semantics as the Node module:
// - startS3Server(buckets) → { endpoint, port, options(extra), createBucket(name), close() };
// - loopbackFetch(port): Chromium resolves every `*.localhost` name to the loopback address
//   itself, so virtual-host URLs (http://lake.s3.localhost:PORT/…) reach s3rver with the URL's
//   host as the Host header: the page's fetch already is that transport.
// Servers a test leaves open are closed by the runner when the run ends.

/** s3rver's fixed credentials and region. */
export const S3RVER_CREDENTIALS = Object.freeze({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER", region: "us-east-1" });

async function control(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`s3_server (browser): ${path} answered ${response.status}: ${text}`);
  return text === "" ? {} : JSON.parse(text);
}

/** Starts s3rver with the shims on 127.0.0.1 (random port), in the runner's Node process, with `buckets` created. */
export async function startS3Server(buckets = ["lake"]) {
  const { id, endpoint, port } = await control("/__s3/start", { buckets: [...buckets] });
  return {
    endpoint,
    port,
    options: (extra = {}) => ({ ...S3RVER_CREDENTIALS, endpoint, forcePathStyle: true, ...extra }),
    createBucket: async (name) => { await control("/__s3/bucket", { id, name }); },
    close: async () => { await control("/__s3/stop", { id }); },
  };
}

/** The browser's fetch: `*.localhost` already resolves to 127.0.0.1 in Chromium. */
export function loopbackFetch(_port) {
  return (request) => fetch(request);
}
