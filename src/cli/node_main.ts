/**
 * Node entry of the CLI: wires the filesystem store and the process streams into `runCli`.
 *
 * Contract: the only CLI file that touches `process`; nothing imports it but bin/lakestate.mjs.
 * Imports: cli/main.ts, node.ts.
 */
import { runCli } from "./main.ts";
import { NodeFsStore } from "../io/fs_node_store.ts";

/** Runs the CLI with `args` (argv without node and script); resolves to the exit code. */
export async function runNodeCli(args: readonly string[]): Promise<number> {
  return runCli(args, {
    openStore: (root) => new NodeFsStore(root),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
  });
}
