/**
 * Process death for an in-process job: an ObjectStore wrapper every store call of one job
 * instance goes through. `kill()` makes the instance dead at once: from then on every call it
 * makes rejects, so nothing it still has in flight reaches storage, exactly as if the process
 * had been killed. `killAtWrite(n, landed, pathPart)` arms a kill at the n-th write (put,
 * putIfAbsent, delete) from now, counting only writes whose path contains `pathPart` when given:
 * `landed` false kills before the write happens, true right after it lands (the job dies
 * without learning that, for instance, its snapshot was committed).
 *
 * Invariants: a dead switch never passes a call through; a write that "lands" is complete
 * (objects are atomic, io/store.ts), a write that does not land has no effect.
 * Imports: lakestate (ObjectStore types only).
 */
import type { ByteRange, ObjectEntry, ObjectStat, ObjectStore } from "../../src/mod.ts";

/** The error a dead job's calls reject with. */
export class JobKilled extends Error {
  override name = "JobKilled";
}

/** An ObjectStore that dies on command (see the file header). */
export class KillSwitchStore implements ObjectStore {
  readonly #inner: ObjectStore;
  #dead: string | null = null;
  #armed: { remaining: number; landed: boolean; pathPart: string } | null = null;
  /** Writes passed through so far. */
  writeCount = 0;
  /** The write the armed kill fired at (`op path`), once it fired. */
  killedAt: string | null = null;

  constructor(inner: ObjectStore) {
    this.#inner = inner;
    // Directory operations are forwarded only when the wrapped store has them.
    if (inner.makeDirectory !== undefined) this.makeDirectory = (p) => this.#write("makeDirectory", p, () => inner.makeDirectory!(p));
    if (inner.listDirectories !== undefined) this.listDirectories = (p) => this.#read("listDirectories", p, () => inner.listDirectories!(p));
    if (inner.deleteDirectory !== undefined) this.deleteDirectory = (p) => this.#write("deleteDirectory", p, () => inner.deleteDirectory!(p));
  }

  /** True once killed. */
  get dead(): boolean {
    return this.#dead !== null;
  }

  /** Kills the job now (`why` goes into the errors of its later calls). */
  kill(why: string): void {
    this.#dead ??= why;
  }

  /**
   * Arms a kill at the `n`-th write from now (1 = the next one) among those whose path contains
   * `pathPart` (default: every write). Requires: n >= 1.
   */
  killAtWrite(n: number, landed: boolean, pathPart = ""): void {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`kill switch: write number must be >= 1, got ${n}`);
    this.#armed = { remaining: n, landed, pathPart };
  }

  /** Disarms a pending `killAtWrite` (when the batch ended before reaching it). */
  disarm(): void {
    this.#armed = null;
  }

  /** True while a `killAtWrite` is armed and has not fired. */
  get armed(): boolean {
    return this.#armed !== null;
  }

  #check(op: string, path: string): void {
    if (this.#dead !== null) throw new JobKilled(`job killed (${this.#dead}); ${op} ${path} refused`);
  }

  async #read<T>(op: string, path: string, run: () => Promise<T>): Promise<T> {
    this.#check(op, path);
    return run();
  }

  async #write<T>(op: string, path: string, run: () => Promise<T>): Promise<T> {
    this.#check(op, path);
    const armed = this.#armed;
    if (armed !== null && path.includes(armed.pathPart) && --armed.remaining === 0) {
      this.#armed = null;
      this.killedAt = `${op} ${path}${armed.landed ? " (landed)" : " (not written)"}`;
      if (armed.landed) await run();
      this.kill(`at write ${this.killedAt}`);
      throw new JobKilled(`job killed at ${this.killedAt}`);
    }
    const result = await run();
    this.writeCount++;
    return result;
  }

  get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read("get", path, () => this.#inner.get(path));
  }

  getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read("getRange", path, () => this.#inner.getRange(path, range));
  }

  put(path: string, bytes: Uint8Array): Promise<void> {
    return this.#write("put", path, () => this.#inner.put(path, bytes));
  }

  putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    return this.#write("putIfAbsent", path, () => this.#inner.putIfAbsent(path, bytes));
  }

  list(prefix: string): Promise<ObjectEntry[]> {
    return this.#read("list", prefix, () => this.#inner.list(prefix));
  }

  delete(path: string): Promise<void> {
    return this.#write("delete", path, () => this.#inner.delete(path));
  }

  stat(path: string): Promise<ObjectStat | null> {
    return this.#read("stat", path, () => this.#inner.stat(path));
  }

  makeDirectory?: (path: string) => Promise<void>;
  listDirectories?: (path: string) => Promise<string[]>;
  deleteDirectory?: (path: string) => Promise<void>;
}
