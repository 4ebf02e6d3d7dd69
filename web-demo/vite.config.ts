/**
 * Vite configuration of the lakestate web demo (vite 8): root web-demo/, output web-demo/dist,
 * module workers (the engine runs in `src/demo_worker.ts`), the repository root readable by the
 * dev server (the demo imports ../src and ../examples), and Node built-ins imported by the
 * examples' shared CLI helper (examples/example_cli.ts: node:path, node:process, node:url, used
 * only when an example runs as a program) mapped to small browser stand-ins.
 * Imports: vite, node:path, node:url (config time only).
 */
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const shim = (name: string): string => resolve(here, "src/shims", name);

export default defineConfig({
  root: here,
  base: "./",
  publicDir: false,
  resolve: {
    alias: {
      "node:path": shim("node_path.ts"),
      "node:process": shim("node_process.ts"),
      "node:url": shim("node_url.ts"),
    },
  },
  worker: { format: "es" },
  build: { outDir: resolve(here, "dist"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4_000 },
  server: { fs: { allow: [resolve(here, "..")] }, host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
