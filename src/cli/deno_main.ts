/**
 * Deno entry of the CLI: `deno run -A src/cli/deno_main.ts <args>` (or `deno task cli`).
 *
 * Contract: wires the Deno filesystem store and Deno's streams into `runCli`; nothing imports
 * it. Writes are synchronous (natural backpressure); a closed pipe (`... | head`) ends the
 * process quietly. `LAKESTATE_DEBUG=1` prints stack traces of unexpected errors. Ctrl-C ends the
 * process, except for commands that ask for the interrupt signal (`tail`), which then stop cleanly.
 * Imports: cli/main.ts, io/fs_deno_store.ts, deno.ts (for its parquet-wasm registration).
 */
import { runCli } from "./main.ts";
import { DenoFsStore } from "../io/fs_deno_store.ts";
import "../deno.ts"; // registers parquet-wasm for fast reads and for writes (sql INSERT/DELETE)

interface DenoCli {
  args: string[];
  cwd(): string;
  exit(code: number): never;
  env: { get(name: string): string | undefined };
  errors: { BrokenPipe: new (...args: never[]) => Error };
  stdout: { writeSync(bytes: Uint8Array): number };
  stdin: { readable: ReadableStream<Uint8Array> };
  readFile(path: string): Promise<Uint8Array>;
  stderr: { writeSync(bytes: Uint8Array): number };
  addSignalListener(signal: "SIGINT", handler: () => void): void;
  removeSignalListener(signal: "SIGINT", handler: () => void): void;
}

const deno = (globalThis as unknown as { Deno: DenoCli }).Deno;
const encoder = new TextEncoder();

/** Writes all of `text`: writeSync may write only part of a large buffer. */
function writeAll(stream: { writeSync(bytes: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
  } catch (error) {
    if (error instanceof deno.errors.BrokenPipe) deno.exit(0); // the reader went away
    throw error;
  }
}

function debugEnabled(): boolean {
  try {
    return deno.env.get("LAKESTATE_DEBUG") === "1";
  } catch {
    return false; // no --allow-env
  }
}

// Ctrl-C for commands that opt in (CliHost.interruptSignal): the first SIGINT aborts the signal
// so the command ends cleanly; a second one exits at once (130), in case it cannot.
let interrupt: AbortController | null = null;
const onSigint = (): void => {
  if (interrupt!.signal.aborted) deno.exit(130);
  interrupt!.abort();
};
function interruptSignal(): AbortSignal {
  if (interrupt === null) {
    interrupt = new AbortController();
    deno.addSignalListener("SIGINT", onSigint);
  }
  return interrupt.signal;
}

const code = await runCli(deno.args, {
  openStore: (root) => new DenoFsStore(root),
  stdout: (text) => writeAll(deno.stdout, text),
  stderr: (text) => writeAll(deno.stderr, text),
  cwd: deno.cwd(),
  debug: debugEnabled(),
  readFile: (path) => deno.readFile(path),
  readStdin: () => new Response(deno.stdin.readable).text(),
  interruptSignal,
});
if (interrupt !== null) deno.removeSignalListener("SIGINT", onSigint);
deno.exit(code);
