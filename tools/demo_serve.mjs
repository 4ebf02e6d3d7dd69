// Serves the lakestate web demo (web-demo/) on localhost and prints its URL: `npm run demo`.
// Default: Vite's dev server (modules served as they are, the engine worker included).
// `--build`: builds web-demo/dist (Vite's production build) and serves that with `vite preview`.
// `--port N` picks the port (default 5173; the next free one if taken).
// Imports: vite (programmatic API), node:path, node:url.
import { build, createServer, preview } from "vite";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const configFile = join(root, "web-demo", "vite.config.ts");
const args = process.argv.slice(2);
const portAt = args.indexOf("--port");
const port = portAt >= 0 ? Number(args[portAt + 1]) : 5173;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`demo_serve: --port expects an integer 0..65535, got ${JSON.stringify(args[portAt + 1])}`);
  process.exit(2);
}

if (args.includes("--build")) {
  await build({ configFile, logLevel: "warn" });
  const server = await preview({ configFile, preview: { port, host: "127.0.0.1" } });
  console.log("lakestate demo (production build, web-demo/dist):");
  server.printUrls();
} else {
  const server = await createServer({ configFile, server: { port, host: "127.0.0.1" } });
  await server.listen();
  console.log("lakestate demo (Vite dev server):");
  server.printUrls();
}
console.log("Open the URL in Chrome, Edge or Firefox; Ctrl+C stops the server. The tables live in the tab's IndexedDB (lakestate-demo).");
