/**
 * A tiny static HTTP server for the demo's Playwright test (Node only): serves a directory
 * (web-demo/dist) on 127.0.0.1 with the right MIME types (application/wasm for
 * `instantiateStreaming`), no caching, index.html for "/". Paths escaping the root are 404.
 * Imports: node:http, node:fs/promises, node:path.
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".map": "application/json",
};

/** A running server: its origin ("http://127.0.0.1:PORT") and a close function. */
export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `rootDir` on 127.0.0.1 (`port` 0: any free port). */
export async function serveStatic(rootDir: string, port = 0): Promise<StaticServer> {
  const root = resolve(rootDir);
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("static server: no TCP address");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
