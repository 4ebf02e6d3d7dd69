/**
 * FaultStore: an ObjectStore wrapper for tests and simulations that injects the failures the
 * ObjectStore contract allows, at chosen writes, so commit code can be checked for crash safety.
 *
 * Writes (put, putIfAbsent, delete, makeDirectory, deleteDirectory) are numbered from 0 in call
 * order. A fault plan names a write
 * index and what happens there:
 *   fail         the write has no effect and rejects with LakeError("io"); later calls work.
 *   fail_after   the write takes effect, then rejects with LakeError("io"): the caller cannot
 *                tell whether it happened (a lost response, a timed-out conditional PUT that
 *                landed). This is the only "tear" the contract allows: objects are atomic, so a
 *                put is never half-written, but its outcome can be unknown.
 *   crash        the write has no effect and the store "crashes": this and every later call
 *                (reads included) rejects with LakeError("io"), as when the process dies. A test
 *                then reopens the wrapped store directly to see what survived.
 *   crash_after  the write takes effect, then the store crashes as above.
 * Partial objects, reordered writes and lost acknowledged writes are never modelled: every
 * adapter promises atomic, durable, ordered puts (store.ts), and putIfAbsent stays atomic.
 *
 * Invariants: without a matching plan the wrapper is transparent (it passes the store contract);
 * `writeLog` records every write attempt with its index, kind and path, so a test can first run
 * a scenario fault-free to count writes and then replay it failing at each index in turn.
 *
 * Imports: errors.ts, io/store.ts.
 * Mirrors: leveldb `db/fault_injection_test.cc` (FaultInjectionTestEnv), not a Paimon class.
 */
import { LakeError } from "../errors.ts";
import {
  deleteDirectory, listDirectories, makeDirectory, quotePath, type ByteRange, type ObjectEntry, type ObjectStat, type ObjectStore,
} from "./store.ts";

/** What happens at a planned write. Persisted nowhere; names are for tests. */
export const FaultKind = {
  FAIL: "fail",
  FAIL_AFTER: "fail_after",
  CRASH: "crash",
  CRASH_AFTER: "crash_after",
} as const;
/** One of `FaultKind`. */
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/** A kind of write operation. */
export type WriteOp = "put" | "putIfAbsent" | "delete" | "makeDirectory" | "deleteDirectory";

/** One planned fault. */
export interface FaultPlan {
  /** Index of the write (0-based, counting every put, putIfAbsent, delete, makeDirectory and deleteDirectory) that faults. */
  readonly writeIndex: number;
  readonly kind: FaultKind;
}

/** One write attempt, as recorded in `writeLog`. */
export interface WriteRecord {
  readonly index: number;
  readonly op: WriteOp;
  readonly path: string;
  /** The fault injected at this write, or null. */
  readonly fault: FaultKind | null;
}

/** An ObjectStore that injects the planned faults into the store it wraps. */
export class FaultStore implements ObjectStore {
  readonly #inner: ObjectStore;
  readonly #plans: Map<number, FaultKind>;
  readonly #log: WriteRecord[] = [];
  #crashed = false;

  /**
   * Wraps `inner`. Requires: plan write indexes are distinct safe integers >= 0 (asserted as
   * LakeError("invalid_argument"), since tests build plans from data).
   */
  constructor(inner: ObjectStore, plans: readonly FaultPlan[] = []) {
    this.#inner = inner;
    this.#plans = new Map();
    for (const p of plans) {
      if (!Number.isSafeInteger(p.writeIndex) || p.writeIndex < 0 || this.#plans.has(p.writeIndex)) {
        throw new LakeError("invalid_argument", `fault store: write index ${p.writeIndex} must be a distinct integer >= 0`);
      }
      this.#plans.set(p.writeIndex, p.kind);
    }
  }

  /** The store being wrapped (what a test "reopens" after a crash). */
  get inner(): ObjectStore {
    return this.#inner;
  }

  /** True once a crash fault fired: every call rejects from then on. */
  get crashed(): boolean {
    return this.#crashed;
  }

  /** Number of writes attempted so far (the next write's index). */
  get writeCount(): number {
    return this.#log.length;
  }

  /** Every write attempted so far, in order (a copy). */
  get writeLog(): WriteRecord[] {
    return [...this.#log];
  }

  #checkAlive(op: string, path: string): void {
    if (this.#crashed) throw new LakeError("io", `fault store: ${op} ${quotePath(path)} after a simulated crash`);
  }

  async #write<T>(op: WriteOp, path: string, run: () => Promise<T>): Promise<T> {
    this.#checkAlive(op, path);
    const index = this.#log.length;
    const fault = this.#plans.get(index) ?? null;
    this.#log.push({ index, op, path, fault });
    const fail = (): LakeError => new LakeError("io", `fault store: simulated ${fault} at write ${index} (${op} ${quotePath(path)})`);
    switch (fault) {
      case null:
        return run();
      case FaultKind.FAIL:
        throw fail();
      case FaultKind.CRASH:
        this.#crashed = true;
        throw fail();
      case FaultKind.FAIL_AFTER:
        await run();
        throw fail();
      case FaultKind.CRASH_AFTER:
        await run();
        this.#crashed = true;
        throw fail();
    }
  }

  /** See ObjectStore.get; rejects after a crash. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    this.#checkAlive("get", path);
    return this.#inner.get(path);
  }

  /** See ObjectStore.getRange; rejects after a crash. */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    this.#checkAlive("getRange", path);
    return this.#inner.getRange(path, range);
  }

  /** See ObjectStore.put; a counted write. */
  put(path: string, bytes: Uint8Array): Promise<void> {
    return this.#write("put", path, () => this.#inner.put(path, bytes));
  }

  /** See ObjectStore.putIfAbsent; a counted write. */
  putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    return this.#write("putIfAbsent", path, () => this.#inner.putIfAbsent(path, bytes));
  }

  /** See ObjectStore.list; rejects after a crash. */
  async list(prefix: string): Promise<ObjectEntry[]> {
    this.#checkAlive("list", prefix);
    return this.#inner.list(prefix);
  }

  /** See ObjectStore.delete; a counted write. */
  delete(path: string): Promise<void> {
    return this.#write("delete", path, () => this.#inner.delete(path));
  }

  /** See ObjectStore.stat; rejects after a crash. */
  async stat(path: string): Promise<ObjectStat | null> {
    this.#checkAlive("stat", path);
    return this.#inner.stat(path);
  }

  /** See ObjectStore.makeDirectory; a counted write. */
  makeDirectory(path: string): Promise<void> {
    return this.#write("makeDirectory", path, () => makeDirectory(this.#inner, path));
  }

  /** See ObjectStore.listDirectories; rejects after a crash. */
  async listDirectories(path: string): Promise<string[]> {
    this.#checkAlive("listDirectories", path);
    return listDirectories(this.#inner, path);
  }

  /** See ObjectStore.deleteDirectory; a counted write (one, however many objects it removes). */
  deleteDirectory(path: string): Promise<void> {
    return this.#write("deleteDirectory", path, () => deleteDirectory(this.#inner, path));
  }
}
