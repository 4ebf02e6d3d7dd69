// Goal: `lakestate tail` prints a table's changes as NDJSON (`_ROW_KIND` first, then the
// columns exactly as `read --format ndjson` prints them), follows new commits, honours --from,
// --consumer (progress stored, resumed) and --columns, exits 0 when the host's interrupt
// signal aborts, 1 with one line for an expired next snapshot, 2 for usage mistakes.
// Method: the CLI runs in-process on a MemoryStore table with a capturing host that provides
// `interruptSignal`; commits are made while it runs; output is parsed line by line.
import { assert, describe, test } from "../../harness.ts";
import { runCli, type CliHost } from "../../../src/cli/main.ts";
import type { ObjectStore } from "../../../src/io/store.ts";
import { RowKind } from "../../../src/spec/row_kind.ts";
import { readConsumer } from "../../../src/table/consumer_manager.ts";
import { makeStreamTable, pkDef, within, type StreamTable } from "../stream/stream_helpers.ts";

interface Tail {
  /** Everything printed so far. */
  out(): string;
  err(): string;
  /** Ctrl-C, then the exit code. */
  interrupt(): Promise<number>;
  done: Promise<number>;
}

function startTail(store: ObjectStore, args: string[]): Tail {
  let out = "", err = "";
  const controller = new AbortController();
  let asked = false;
  const host: CliHost = {
    openStore: () => store,
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    cwd: ".",
    interruptSignal: () => { asked = true; return controller.signal; },
  };
  const done = runCli(["tail", "t", ...args], host);
  return {
    out: () => out,
    err: () => err,
    done,
    async interrupt() {
      assert.ok(asked, "tail asked for the interrupt signal");
      controller.abort();
      return within(done, 5000, "tail after Ctrl-C");
    },
  };
}

async function waitFor(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`tail test: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function lines(out: string): Record<string, unknown>[] {
  return out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function table(): Promise<StreamTable> {
  const st = await makeStreamTable(pkDef());
  await st.upsert([{ k: 1, v: "a" }, { k: 2, v: "b" }]);
  await st.commit([{ kind: RowKind.DELETE, row: { k: 1, v: "a" } }]);
  return st;
}

describe("lakestate tail", () => {
  test("prints the latest snapshot, then follows commits with their row kinds; Ctrl-C exits 0", async () => {
    const st = await table();
    const tail = startTail(st.store, ["--poll-ms", "5"]);
    await waitFor("the full read", () => lines(tail.out()).length === 1);
    assert.equal(tail.out(), '{"_ROW_KIND":"+I","k":2,"v":"b"}\n', "key order: _ROW_KIND first");
    await st.upsert([{ k: 3, v: "c" }]);
    await st.commit([{ kind: RowKind.DELETE, row: { k: 2, v: "b" } }]);
    await waitFor("two more changes", () => lines(tail.out()).length === 3);
    assert.equal(await tail.interrupt(), 0);
    assert.deepEqual(lines(tail.out()), [{ _ROW_KIND: "+I", k: 2, v: "b" }, { _ROW_KIND: "+I", k: 3, v: "c" }, { _ROW_KIND: "-D", k: 2, v: "b" }]);
    assert.equal(tail.err(), "");
  });

  test("--from earliest / N / latest, --columns", async () => {
    const st = await table();
    const earliest = startTail(st.store, ["--from", "earliest", "--poll-ms", "5", "--columns", "v,k"]);
    await waitFor("every change", () => lines(earliest.out()).length === 3);
    assert.equal(await earliest.interrupt(), 0);
    assert.equal(earliest.out(), '{"_ROW_KIND":"+I","v":"a","k":1}\n{"_ROW_KIND":"+I","v":"b","k":2}\n{"_ROW_KIND":"-D","v":"a","k":1}\n');
    const second = startTail(st.store, ["--from", "2", "--poll-ms", "5"]);
    await waitFor("snapshot 2", () => lines(second.out()).length === 1);
    assert.equal(await second.interrupt(), 0);
    assert.deepEqual(lines(second.out()), [{ _ROW_KIND: "-D", k: 1, v: "a" }]);
    const latest = startTail(st.store, ["--from", "latest", "--poll-ms", "5"]);
    await new Promise((r) => setTimeout(r, 30));
    await st.upsert([{ k: 9, v: "z" }]);
    await waitFor("the new commit", () => lines(latest.out()).length === 1);
    assert.equal(await latest.interrupt(), 0);
    assert.deepEqual(lines(latest.out()), [{ _ROW_KIND: "+I", k: 9, v: "z" }]);
  });

  test("--consumer stores progress after printed snapshots and resumes from it", async () => {
    const st = await table();
    const first = startTail(st.store, ["--from", "earliest", "--consumer", "cli", "--poll-ms", "5"]);
    await waitFor("both snapshots", () => lines(first.out()).length === 3);
    assert.equal(await first.interrupt(), 0);
    // Snapshot 2 was printed; asking for the next one acknowledged it.
    assert.equal((await readConsumer(st.store, "cli"))!.nextSnapshot, 3n);
    await st.upsert([{ k: 4, v: "d" }]);
    const second = startTail(st.store, ["--from", "earliest", "--consumer", "cli", "--poll-ms", "5"]);
    await waitFor("the commit made meanwhile", () => lines(second.out()).length === 1);
    assert.equal(await second.interrupt(), 0);
    assert.deepEqual(lines(second.out()), [{ _ROW_KIND: "+I", k: 4, v: "d" }]);
  });

  test("usage mistakes exit 2; an expired next snapshot exits 1 naming it", async () => {
    const st = await table();
    for (const args of [["--from", "yesterday"], ["--poll-ms", "0"], ["--poll-ms", "x"], ["--consumer", "a/b"], ["--columns", "nope"], ["--bogus"]]) {
      const run = startTail(st.store, args);
      assert.equal(await within(run.done, 5000, "tail with a usage mistake"), 2, args.join(" "));
      assert.match(run.err(), /^lakestate: /);
    }
    const fresh = await makeStreamTable(pkDef());
    await fresh.upsert([{ k: 1, v: "a" }]);
    const run = startTail(fresh.store, ["--from", "1", "--poll-ms", "1000"]);
    await waitFor("snapshot 1", () => lines(run.out()).length === 1);
    // The stream now sleeps before its next look for snapshot 2, which commits and expires meanwhile.
    for (let i = 0; i < 3; i++) await fresh.upsert([{ k: 10 + i, v: "x" }]);
    assert.ok(await fresh.expire(1) >= 2);
    const code = await within(run.done, 10_000, "tail after expiration");
    assert.equal(code, 1);
    assert.match(run.err(), /^lakestate: stream: the next snapshot to read, 2, has expired/);
  });
});
