/**
 * Browser stand-in for `node:path` in the demo bundle: examples/example_cli.ts imports
 * `resolve` for its "am I the program" check, which never runs in a page. Calling it here is a
 * programmer error. Imports: nothing.
 */
/** Not available in the browser (see the file header). */
export function resolve(..._parts: string[]): string {
  throw new Error("node:path is not available in the web demo (examples/example_cli.ts runIfEntry is Node/Deno only)");
}
export default { resolve };
