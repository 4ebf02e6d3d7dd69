// Goal: the S3 test server (test/support/s3_server.ts) answers browsers the way S3 with a
// permissive CORS configuration does, so the S3 tests can run from headless Chromium: a
// preflight is answered 200 with any origin, the S3 methods and exactly the requested headers,
// before any signature check; every other answer, including the shims' own 403
// SignatureDoesNotMatch and 412 PreconditionFailed and s3rver's 404s, carries
// Access-Control-Allow-Origin: * and exposes ETag.
// Method: a real server per test; raw preflights with fetch; store operations through S3Store
// with a `fetch` wrapper that records each response's status and CORS headers. Node and Deno
// only: a page can neither send a raw preflight nor read Access-Control-* headers; Chromium runs
// the whole S3 suite against the same server instead.
import { assert, describe, test } from "../../harness.ts";
import { S3Store } from "../../../src/io/s3_store.ts";
import { utf8Encode } from "../../../src/util/bytes.ts";
import { startS3Server } from "../../support/s3_server.ts";

type Seen = { status: number; origin: string | null; expose: string | null };

function recording(): { fetch: (request: Request) => Promise<Response>; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (request) => {
      const response = await fetch(request);
      seen.push({ status: response.status, origin: response.headers.get("access-control-allow-origin"), expose: response.headers.get("access-control-expose-headers") });
      return response;
    },
  };
}

describe("S3 test server CORS", () => {
  test("preflights are answered 200 with the methods and the requested headers, without credentials", async () => {
    const server = await startS3Server(["lake"]);
    try {
      const response = await fetch(`${server.endpoint}/lake/some/key`, {
        method: "OPTIONS",
        headers: { origin: "http://127.0.0.1:1234", "access-control-request-method": "PUT", "access-control-request-headers": "authorization,if-none-match,x-amz-content-sha256,x-amz-date" },
      });
      await response.body?.cancel();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(response.headers.get("access-control-allow-methods")?.split(", ").sort(), ["DELETE", "GET", "HEAD", "POST", "PUT"]);
      assert.equal(response.headers.get("access-control-allow-headers"), "authorization,if-none-match,x-amz-content-sha256,x-amz-date");
      // A preflight for a bucket that does not exist is answered too (the browser then sees the real 404).
      const missing = await fetch(`${server.endpoint}/nobucket`, { method: "OPTIONS", headers: { origin: "http://x", "access-control-request-method": "GET" } });
      await missing.body?.cancel();
      assert.equal(missing.status, 200);
      // An OPTIONS that is no preflight is not answered by the shim: s3rver refuses it.
      const plain = await fetch(`${server.endpoint}/lake/k`, { method: "OPTIONS" });
      await plain.body?.cancel();
      assert.ok(plain.status >= 400, `status ${plain.status}`);
      assert.equal(plain.headers.get("access-control-allow-methods"), null);
    } finally {
      await server.close();
    }
  });

  test("200, 404, 403 and 412 answers all carry Allow-Origin and expose ETag", async () => {
    const server = await startS3Server(["lake"]);
    try {
      const ok = recording();
      const store = new S3Store("lake", server.options({ fetch: ok.fetch }));
      await store.put("a", utf8Encode("x"));
      assert.equal(await store.putIfAbsent("a", utf8Encode("y")), false);
      assert.equal(await store.stat("missing"), null);
      const denied = recording();
      await assert.rejects(new S3Store("lake", server.options({ fetch: denied.fetch, secretAccessKey: "wrong" })).get("a"));
      const statuses = [...ok.seen, ...denied.seen].map((s) => s.status);
      for (const status of [200, 404, 412, 403]) assert.ok(statuses.includes(status), `a ${status} answer was seen: ${statuses}`);
      for (const s of [...ok.seen, ...denied.seen]) {
        assert.equal(s.origin, "*", `status ${s.status}`);
        assert.match(s.expose ?? "", /\bETag\b/, `status ${s.status}`);
      }
    } finally {
      await server.close();
    }
  });
});
