/**
 * Node entry of the CLI: wires the filesystem store and the process streams into `runCli`.
 *
 * Contract: the only CLI file that touches `process`; nothing imports it but bin/lakestate.mjs.
 * Standard output honours backpressure (a write waits for 'drain'), and a closed pipe
 * (`lakestate read ... | head`) ends the process quietly instead of crashing on EPIPE.
 * `LAKESTATE_DEBUG=1` prints stack traces of unexpected errors. Ctrl-C ends the process, except
 * for commands that ask for the interrupt signal (`tail`), which then stop cleanly.
 * Imports: cli/main.ts, io/fs_node_store.ts, node.ts (for its parquet-wasm registration), node:fs/promises.
 */
import { readFile } from "node:fs/promises";
import { runCli } from "./main.ts";
import { NodeFsStore } from "../io/fs_node_store.ts";
import "../node.ts"; // registers parquet-wasm for fast reads and for writes (sql INSERT/DELETE)

/** All of standard input as UTF-8 text (`lakestate sql <warehouse> -`). */
async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Writes `text` to stdout; resolves at once, or after 'drain' when the stream's buffer is full. */
function writeStdout(text: string): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once("drain", resolve));
}

/**
 * Ctrl-C for commands that opt in (`CliHost.interruptSignal`): the first SIGINT aborts the
 * signal so the command ends cleanly; a second one exits at once (130), in case it cannot.
 */
class Interrupt {
  #controller: AbortController | null = null;
  readonly #onSigint = (): void => {
    if (this.#controller!.signal.aborted) process.exit(130);
    this.#controller!.abort();
  };

  /** The signal; the first call installs the SIGINT handler. */
  readonly signal = (): AbortSignal => {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      process.on("SIGINT", this.#onSigint);
    }
    return this.#controller.signal;
  };

  /** Removes the handler (Ctrl-C ends the process again). */
  dispose(): void {
    if (this.#controller !== null) process.off("SIGINT", this.#onSigint);
  }
}

/** Runs the CLI with `args` (argv without node and script); resolves to the exit code. */
export async function runNodeCli(args: readonly string[]): Promise<number> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0); // the reader went away: nothing more to do
    process.stderr.write(`lakestate: cannot write to standard output: ${error.message}\n`);
    process.exit(1);
  });
  const interrupt = new Interrupt();
  try {
    return await runCli(args, {
      openStore: (root) => new NodeFsStore(root),
      stdout: writeStdout,
      stderr: (text) => void process.stderr.write(text),
      cwd: process.cwd(),
      debug: process.env.LAKESTATE_DEBUG === "1",
      readFile: (path) => readFile(path),
      readStdin,
      interruptSignal: interrupt.signal,
    });
  } finally {
    interrupt.dispose();
  }
}
