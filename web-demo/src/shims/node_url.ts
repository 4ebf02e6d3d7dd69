/**
 * Browser stand-in for `node:url` in the demo bundle (see node_path.ts). Imports: nothing.
 */
/** Not available in the browser (see the file header). */
export function pathToFileURL(_path: string): URL {
  throw new Error("node:url is not available in the web demo (examples/example_cli.ts runIfEntry is Node/Deno only)");
}
/** Not available in the browser (see the file header). */
export function fileURLToPath(_url: string | URL): string {
  throw new Error("node:url is not available in the web demo");
}
export default { pathToFileURL, fileURLToPath };
