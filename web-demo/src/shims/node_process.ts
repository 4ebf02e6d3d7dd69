/**
 * Browser stand-in for `node:process` in the demo bundle: examples/example_cli.ts reads
 * `process.argv` only when an example runs as a program, which never happens in a page.
 * Imports: nothing.
 */
const process = { argv: [] as string[], exitCode: 0 as number | undefined };
export default process;
