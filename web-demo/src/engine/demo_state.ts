/**
 * The demo's own small persisted state (generator position, rate, simulated clock, the tag
 * sink's published batch): one JSON object under one key of an ObjectStore kept apart from the
 * warehouse (so an exported table holds only table files). In the browser that store is the
 * IndexedDB database `lakestate-demo-state`; tests use a MemoryStore.
 *
 * Invariants: `save` replaces the whole object (one put: atomic in IndexedDB); saves are
 * serialised in call order; unknown or malformed stored JSON is an error, never silently reset.
 * Imports: lakestate (ObjectStore type, LakeError). Mirrors no Java class.
 */
import { LakeError, type ObjectStore } from "../../../src/mod.ts";

/** The key of the state object. */
const STATE_KEY = "demo-state.json";

/** What the demo persists besides the tables. */
export interface DemoState {
  readonly refundRunning: boolean;
  /** Events per second. */
  readonly refundRate: number;
  /** Events generated so far (may be fractional between ticks). */
  readonly generated: number;
  /** The last batch whose tags the sink published. */
  readonly publishedBatch: number;
  readonly metricsRunning: boolean;
  /** Simulated ms per real second. */
  readonly metricsSpeed: number;
  /** Simulated clock, epoch ms (0: not started). */
  readonly simMs: number;
  readonly buyer: number;
}

/** The state of a fresh demo. */
export const INITIAL_STATE: DemoState = {
  refundRunning: false, refundRate: 400, generated: 0, publishedBatch: 0,
  metricsRunning: false, metricsSpeed: 6 * 3_600_000, simMs: 0, buyer: 1,
};

/** Loads and saves DemoState on a store (see the file header). */
export class DemoStateStore {
  readonly #store: ObjectStore;
  #queue: Promise<void> = Promise.resolve();

  /** Requires: `store` is not the warehouse (or at least not a table directory of it). */
  constructor(store: ObjectStore) {
    this.#store = store;
  }

  /** The stored state, or INITIAL_STATE when none is stored. */
  async load(): Promise<DemoState> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#store.get(STATE_KEY);
    } catch (error) {
      if (error instanceof LakeError && error.code === "not_found") return INITIAL_STATE;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new LakeError("corruption", `demo state: ${STATE_KEY} is not JSON (${String(error)})`);
    }
    if (typeof parsed !== "object" || parsed === null) throw new LakeError("corruption", `demo state: ${STATE_KEY} is not an object`);
    const state = { ...INITIAL_STATE, ...(parsed as Partial<DemoState>) };
    for (const [name, value] of Object.entries(state)) {
      const want = typeof (INITIAL_STATE as unknown as Record<string, unknown>)[name];
      if (typeof value !== want) throw new LakeError("corruption", `demo state: field ${name} is ${JSON.stringify(value)}, expected a ${want}`);
    }
    return state;
  }

  /** Stores `state` (after any save already under way). */
  save(state: DemoState): Promise<void> {
    const bytes = new TextEncoder().encode(JSON.stringify(state));
    this.#queue = this.#queue.catch(() => undefined).then(() => this.#store.put(STATE_KEY, bytes));
    return this.#queue;
  }
}
